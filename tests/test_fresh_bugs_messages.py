"""What the project tells a learner or a caller, pinned where a one-line slip went unseen.

Each test names one behaviour: a message's figures and files, the stream it goes to, the
condition that brings it. The expected words are those a learner is meant to read; the
figures in them are worked out here by hand.
"""

from __future__ import annotations

import pytest

from myonn import mnist
from myonn.plumbing.errors import DataFileError


# ---- MNIST's files -------------------------------------------------------------------------------


def test_a_failed_download_names_every_mnist_file_the_folder_lacks_not_only_the_split_asked_for(
    tmp_path, closed_port_url
):
    # One trip to fetch them all: asked for the test split in an empty folder, the way out
    # names the two test files (tried) and the two training files (also missing) alike.
    with pytest.raises(DataFileError) as refusal:
        mnist.load("test", tmp_path / "data", mirrors=[closed_port_url])
    listed = str(refusal.value).split(": ", 1)[1].split("; download failed")[0]
    assert listed.split(", ") == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]


# ---- model files ---------------------------------------------------------------------------------


def saved_with(path, **changes):
    """A small network saved at `path`, its metadata then changed as `changes` say (as another myonn might)."""
    import json

    import numpy as np

    from myonn import NeuralNetwork

    NeuralNetwork(784, 4, 10, seed=0).save(path)
    with np.load(path) as npz:
        arrays = {name: npz[name] for name in npz.files}
    metadata = {**json.loads(str(arrays.pop("metadata"))), **changes}
    with open(path, "wb") as out:
        np.savez(out, metadata=np.array(json.dumps(metadata)), **arrays)
    return path


def test_a_newer_model_format_is_told_both_versions_the_file_s_and_the_one_this_myonn_reads(tmp_path):
    from myonn.model_file import load_mnist_network
    from myonn.plumbing.errors import ModelFileError

    path = saved_with(tmp_path / "future.npz", format_version=7)
    with pytest.raises(ModelFileError) as refusal:
        load_mnist_network(path)
    assert "(model format version 7; this myonn reads version 1)" in str(refusal.value)
