"""What the project tells a learner or a caller, pinned where a one-line slip went unseen.

Each test names one behaviour: a message's figures and files, the stream it goes to, the
condition that brings it. The expected words are those a learner is meant to read; the
figures in them are worked out here by hand.
"""

from __future__ import annotations

import pytest

from conftest import unwrapped

from myonn.plumbing.errors import DataFileError


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


# ---- ./mnist_train.py: its help, its refusals, its last lines ------------------------------------


def train_help(capsys) -> dict[str, str]:
    """./mnist_train.py --help, as {option as listed: its description, words joined by single spaces}."""
    import re

    import mnist_train

    with pytest.raises(SystemExit) as exit_info:
        mnist_train.parse_args(["--help"])
    assert exit_info.value.code == 0
    # Each option's entry starts on a line of its own, indented two spaces: "  --epochs EPOCHS  passes ...".
    entries = re.split(r"\n  (?=-)", capsys.readouterr().out.split("options:", 1)[1])
    listed = {}
    for entry in entries[1:]:
        option, _, description = entry.partition("  ")
        listed[option.strip()] = " ".join(description.split())
    return listed


@pytest.mark.parametrize(
    "option, default",
    [
        # docs/training.md's defaults: 25 epochs in batches of 64 from a rate of 0.3, 200 hidden
        # nodes, seed 0; the book's way one epoch at 0.05; each --extra digit counted 20 times.
        ("--epochs EPOCHS", "(default: 25)"),
        ("--batch-size BATCH_SIZE", "(default: 64)"),
        ("--learning-rate LEARNING_RATE", "(default: 0.3, or 0.05, constant, with --one-at-a-time)"),
        ("--hidden HIDDEN", "(default: 200)"),
        ("--seed SEED", "(default: 0)"),
        ("--extra-weight N", "(default: 20)"),
        ("--one-at-a-time", "(default: 1 epoch)"),
    ],
)
def test_the_trainer_s_help_gives_each_option_s_real_default(capsys, option, default):
    assert train_help(capsys)[option].endswith(default)


def picture_refusal(capsys, option, path) -> str:
    """The one line ./mnist_train.py's options refuse `path` for `option` with (exit status 2)."""
    import mnist_train

    with pytest.raises(SystemExit) as exit_info:
        mnist_train.parse_args([option, str(path), "--output", str(path.parent.parent / "m.npz")])
    assert exit_info.value.code == 2
    return unwrapped(capsys.readouterr().err).strip()


@pytest.mark.parametrize("option", ["--plot", "--screenshot"])
def test_a_picture_under_a_file_is_refused_before_training_naming_the_option_and_the_file(tmp_path, capsys, option):
    # Found now, not after minutes of training: a picture's folder that is a file.
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    told = picture_refusal(capsys, option, afile / "curves.png")
    assert told == f"mnist_train.py: error: argument {option}: {afile} is a file, not a folder (see --help)"


def test_the_trainer_says_how_long_training_took_in_seconds_to_a_tenth(tiny_mnist_dir, tmp_path, capsys):
    import re

    import mnist_train

    output = tmp_path / "m.npz"
    settings = ["--epochs", "2", "--batch-size", "8", "--hidden", "16", "--plain", "--limit", "200"]
    assert mnist_train.main([*settings, "--data-dir", str(tiny_mnist_dir), "--output", str(output)]) == 0
    lines = capsys.readouterr().out.splitlines()
    took = [line for line in lines if line.startswith("trained in ")]
    assert len(took) == 1 and re.fullmatch(r"trained in \d+\.\d s", took[0]), took
