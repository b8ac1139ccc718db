"""What the project tells a learner or a caller, pinned where a one-line slip went unseen.

Each test names one behaviour: a message's figures and files, the stream it goes to, the
condition that brings it. The expected words are those a learner is meant to read; the
figures in them are worked out here by hand.
"""

from __future__ import annotations

import pytest

from conftest import unwrapped

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


# ---- the digits a learner taught -----------------------------------------------------------------


def test_a_folder_of_two_images_more_than_labels_is_refused_saying_how_many_of_each(tmp_path):
    # One image more is a lesson a crash cut short (left out); two more is no such thing.
    import numpy as np

    from conftest import write_idx
    from myonn.teaching import IMAGES, LABELS, read_taught

    write_idx(tmp_path / IMAGES, np.zeros((4, 28, 28), np.uint8))
    write_idx(tmp_path / LABELS, np.array([3, 7], np.uint8))
    with pytest.raises(DataFileError) as refusal:
        read_taught(tmp_path)
    assert str(refusal.value) == f"{tmp_path / IMAGES} holds 4 images but {tmp_path / LABELS} holds 2 labels"


def test_a_damaged_folder_of_taught_digits_is_told_on_stderr_and_teaching_is_turned_off(tmp_path, monkeypatch, capsys):
    import mnist_draw
    from myonn import NeuralNetwork
    from myonn.plumbing import paths

    damaged = tmp_path / "my_digits"
    damaged.mkdir()
    (damaged / "images-idx3-ubyte").write_bytes(b"not an IDX file")
    (damaged / "labels-idx1-ubyte").write_bytes(b"nor this")
    monkeypatch.setattr(paths, "MY_DIGITS", damaged)
    monkeypatch.chdir(tmp_path)

    window_gets = mnist_draw.teaching(NeuralNetwork(784, 4, 10, seed=0), tmp_path / "model.npz")

    said = capsys.readouterr()
    assert said.out == ""
    told = unwrapped(said.err).strip()
    assert told.startswith(f"mnist_draw.py: teaching is off: {damaged / 'images-idx3-ubyte'}: not an IDX file")
    assert told.endswith("; move that folder aside to teach again")
    assert window_gets == {"no_teaching": "teaching is off: my_digits is damaged (see the terminal)"}
