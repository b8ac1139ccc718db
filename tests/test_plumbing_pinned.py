"""The plumbing's edges the other tests leave open: boundaries of wrapping, words of messages, files kept.

Each test pins one behaviour of `myonn/plumbing/`, `myonn/teaching.py` or
`myonn/model_file.py` that a one-line slip would change where a learner (or a
caller) could see it: a line one column too wide, a command split where it fits,
an option written `--name=value` refused, another file's leftovers removed, a
message that says the wrong number. Expected values are worked out by hand.
"""

from __future__ import annotations

import argparse
import os

import pytest

from conftest import unwrapped

# ---- cli.fit: the 80-column boundaries ------------------------------------------------------


def test_a_message_of_exactly_80_columns_wraps_its_last_word():
    from myonn.plumbing.cli import fit

    # 75 + 1 + 4 = 80 columns: one too many (a line of 80 leaves the cursor no room).
    assert fit("x" * 75 + " yyyy") == "x" * 75 + "\n  yyyy"
    # 74 + 1 + 4 = 79 columns: fits.
    assert fit("x" * 74 + " yyyy") == "x" * 74 + " yyyy"


def test_a_command_whose_parts_fill_exactly_79_columns_stays_on_one_line():
    from myonn.plumbing.cli import fit

    # 4 (indent) + 35 + 4 (" && ") + 36 = 79 columns: it fits, so it is not broken.
    p, q = "p" * 35, "q" * 36
    assert fit(f"then:\n{p} && {q}") == f"then:\n    {p} && {q}"
    # One more character makes 80: broken after the &&.
    assert fit(f"then:\n{p} && {q}q") == f"then:\n    {p} &&\n      {q}q"


# ---- cli.refuse_others -----------------------------------------------------------------------


def refusing_parser() -> argparse.ArgumentParser:
    from myonn.plumbing.cli import ArgumentParser

    return ArgumentParser(prog="mnist_train.py")


def test_an_allowed_option_written_with_an_equals_sign_is_not_refused():
    from myonn.plumbing.cli import refuse_others

    argv = ["--ladder", "--data-dir=elsewhere", "--limit=100"]
    refuse_others(refusing_parser(), argv, "--ladder", ("--limit", "--data-dir"), "why")  # no SystemExit


def test_an_option_refused_beside_another_is_named_without_its_value(capsys):
    from myonn.plumbing.cli import refuse_others

    with pytest.raises(SystemExit) as stopped:
        refuse_others(refusing_parser(), ["--ladder", "--epochs=3"], "--ladder", ("--limit",), "its own settings")
    assert stopped.value.code == 2
    assert unwrapped(capsys.readouterr().err) == (
        "mnist_train.py: error: argument --ladder: not with --epochs (its own settings); it takes --limit (see --help)\n"
    )


# ---- cli.reading_with --------------------------------------------------------------------------


def test_a_network_taught_one_digit_says_digit_in_the_singular(tmp_path):
    from myonn.plumbing.cli import reading_with

    line = reading_with(tmp_path / "x.npz", {"test_accuracy": 0.5, "taught_digits": 1})
    assert line.endswith(" (50.00% right on the test set before it was taught 1 digit)")


# ---- files: what a killed save leaves, and who removes it -------------------------------------


def killed_while_saving(path) -> None:
    """Start saving `path` in a child process that dies mid-write, as a save killed outright does."""
    import subprocess
    import sys

    from conftest import ROOT

    code = (
        "import os, sys\n"
        "from myonn.plumbing.files import atomic_write\n"
        "with atomic_write(sys.argv[1]) as out:\n"
        "    out.write(b'half a model')\n"
        "    out.flush()\n"
        "    os._exit(9)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, timeout=60)
    assert result.returncode == 9


def backdate(path, minutes: float) -> None:
    import os
    import time

    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_a_killed_save_leaves_a_hidden_file_named_after_the_model(tmp_path):
    """docs/training.md: "a killed save's hidden `.my_nn.npz.*.tmp`"; the model itself is never half-written."""
    killed_while_saving(tmp_path / "my_nn.npz")
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".my_nn.npz.") and left.name.endswith(".tmp")


def test_what_a_killed_save_left_is_removed_by_the_next_save_ten_minutes_on(tmp_path):
    from myonn import NeuralNetwork

    killed_while_saving(tmp_path / "my_nn.npz")
    (left,) = tmp_path.iterdir()
    backdate(left, 11)
    NeuralNetwork(784, 4, 10).save(tmp_path / "my_nn.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["my_nn.npz"]


def test_what_a_save_wrote_to_nine_minutes_ago_is_left_to_it(tmp_path):
    """Not yet ten minutes: it may be another save's, still at work (docs/training.md)."""
    from myonn import NeuralNetwork

    killed_while_saving(tmp_path / "my_nn.npz")
    (left,) = tmp_path.iterdir()
    backdate(left, 9)
    NeuralNetwork(784, 4, 10).save(tmp_path / "my_nn.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([left.name, "my_nn.npz"])


def test_a_model_named_with_brackets_removes_its_own_leftovers_and_no_other_file_s(tmp_path):
    """File names are matched as they are: `net[1].npz` is not a pattern that also means `net1.npz`."""
    from myonn import NeuralNetwork

    own = tmp_path / ".net[1].npz.0badc0de.tmp"
    other = tmp_path / ".net1.npz.0badc0de.tmp"  # what a killed save of net1.npz left
    for leftover in (own, other):
        leftover.write_bytes(b"half a model")
        backdate(leftover, 11)
    NeuralNetwork(784, 4, 10).save(tmp_path / "net[1].npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, "net[1].npz"])


# ---- saving: asked before training, leaving nothing behind ------------------------------------


def test_asking_whether_a_picture_can_be_written_leaves_the_folder_as_it_was(tmp_path):
    """`unwritable` makes a file to be sure it can: it must take it away again."""
    from myonn.plumbing.saving import unwritable

    assert unwritable(tmp_path / "curves.png") is None
    assert list(tmp_path.iterdir()) == []


def test_asking_whether_a_network_can_be_saved_leaves_the_folder_as_it_was(tmp_path):
    from myonn.plumbing.saving import unsaveable

    assert unsaveable(tmp_path / "mine.npz", force=False) is None
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_is_a_folder_is_told_a_file_name_inside_it(tmp_path):
    from myonn.plumbing.saving import unsaveable

    assert unsaveable(tmp_path, force=False) == (
        f"{tmp_path} is a folder; give a file name such as {tmp_path}/mnist_nn.npz"
    )


# ---- paths.describe --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative, name",
    [
        ("data/my_nn.npz", "your network"),
        ("data/mnist_nn.npz", "the shipped network"),
        ("data/my_taught_nn.npz", "your taught network"),
        ("data/other.npz", "the network"),
    ],
)
def test_a_network_typed_relative_to_the_project_s_folder_is_called_by_its_name(monkeypatch, relative, name):
    from pathlib import Path

    from myonn.plumbing import paths

    monkeypatch.chdir(paths.PROJECT)  # as a learner types --model data/my_nn.npz there
    assert paths.describe(Path(relative)) == name


# ---- teaching: what the drawing window says --------------------------------------------------


@pytest.fixture
def fresh_teacher(tmp_path):
    """A Teacher of an untrained network with no MNIST to learn from: its lessons are kept, not learned."""
    from myonn import NeuralNetwork
    from myonn.teaching import Teacher

    def make(network=None):
        return Teacher(
            network or NeuralNetwork(784, 4, 10, seed=1),
            tmp_path / "model.npz",
            folder=tmp_path / "my_digits",
            save_to=tmp_path / "taught.npz",
            mnist_dir=tmp_path / "no_mnist",
        )

    return make


def digit(value: int):
    import numpy as np

    return np.full((28, 28), value, np.uint8)


def test_a_first_greeting_says_how_to_teach(fresh_teacher, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert fresh_teacher().greeting() == "reading with the network (model.npz); after a reading, 0-9 teaches it"


def test_the_greeting_counts_the_digits_kept_from_before_when_the_network_learned_none(
    fresh_teacher, tmp_path, monkeypatch
):
    from myonn.teaching import TaughtDigits

    monkeypatch.chdir(tmp_path)
    kept = TaughtDigits(tmp_path / "my_digits")
    kept.append(digit(1), 1)
    kept.append(digit(2), 2)
    assert fresh_teacher().greeting().endswith("; 2 digits you taught are kept in my_digits")


def test_a_network_taught_one_digit_is_greeted_in_the_singular(fresh_teacher, tmp_path):
    from myonn import NeuralNetwork

    network = NeuralNetwork(784, 4, 10, seed=1)
    network.metadata["taught_digits"] = 1
    assert fresh_teacher(network).greeting().endswith(", taught 1 digit")


def test_undoing_the_only_lesson_counts_0_digits_in_the_plural(fresh_teacher):
    teacher = fresh_teacher()
    assert teacher.teach(digit(9), 4).startswith("4 kept, not learned: MNIST is missing from ")
    assert teacher.undo() == "undone: the lesson 4 — 0 digits taught"


# ---- model files -------------------------------------------------------------------------------


def write_model(path, layer_sizes, **metadata) -> None:
    """An .npz as `save` writes one, by hand: zero weights shaped by `layer_sizes`, and the metadata JSON."""
    import json

    import numpy as np

    inodes, hnodes, onodes = layer_sizes
    fields = {"format": "myonn-network", "format_version": 1, "layer_sizes": list(layer_sizes), **metadata}
    np.savez(
        path,
        metadata=np.array(json.dumps(fields)),
        wih=np.zeros((hnodes, inodes), np.float32),
        bh=np.zeros(hnodes, np.float32),
        who=np.zeros((onodes, hnodes), np.float32),
        bo=np.zeros(onodes, np.float32),
    )


def test_a_layer_of_no_nodes_is_refused_as_damaged(tmp_path):
    from myonn import NeuralNetwork
    from myonn.plumbing.errors import ModelFileError

    path = tmp_path / "model.npz"
    write_model(path, (784, 0, 10))
    with pytest.raises(ModelFileError) as refusal:
        NeuralNetwork.load(path)
    assert str(refusal.value).startswith(f"{path}: damaged model file (layer sizes [784, 0, 10])")


def test_a_loaded_network_s_metadata_is_what_training_recorded_not_the_file_format(tmp_path):
    from myonn import NeuralNetwork

    path = tmp_path / "model.npz"
    write_model(path, (784, 3, 10), epochs=2, test_accuracy=0.5)
    metadata = NeuralNetwork.load(path).metadata
    assert metadata == {"layer_sizes": [784, 3, 10], "epochs": 2, "test_accuracy": 0.5}


# ---- commands --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, module", [("train", "mnist_train"), ("render", "mnist_render"), ("draw", "mnist_draw")])
def test_python_m_myonn_hands_the_script_only_the_options_after_the_program(monkeypatch, name, module):
    """`python -m myonn train --epochs 2` is `./mnist_train.py --epochs 2`: the word train is not an option."""
    import types

    from myonn.plumbing import commands

    given = []
    script = types.SimpleNamespace(main=lambda argv: given.append(argv) or 0)
    monkeypatch.setattr(commands.importlib, "import_module", lambda wanted: script if wanted == module else None)
    with pytest.raises(SystemExit) as stopped:
        commands.main([name, "--epochs", "2"])
    assert stopped.value.code == 0
    assert given == [["--epochs", "2"]]


# ---- saving: which network is kept ---------------------------------------------------------------


@pytest.mark.parametrize("new_accuracy, kept_apart", [(0.99, False), (0.989, True)])
def test_a_network_exactly_one_point_worse_replaces_the_one_there_and_more_is_kept_apart(
    tmp_path, new_accuracy, kept_apart
):
    """Kept apart only when more than 1 point less accurate (docs/training.md): 1 point exactly replaces it."""
    import numpy as np

    from myonn import NeuralNetwork
    from myonn.plumbing.saving import save_without_spoiling

    images = np.random.default_rng(0).integers(0, 256, (50, 28, 28), dtype=np.uint8)
    there = NeuralNetwork(784, 3, 10, seed=2)
    labels = there.predict(images)  # what it reads: it reads every one "right", 100%
    output = tmp_path / "mine.npz"
    there.save(output)
    new = NeuralNetwork(784, 5, 10, seed=3)
    new.metadata["test_accuracy"] = new_accuracy

    _, beside = save_without_spoiling(new, output, images, labels, force=False)

    assert beside is kept_apart
    assert NeuralNetwork.load(output).hnodes == (3 if kept_apart else 5)
    assert (tmp_path / "mine.worse.npz").exists() is kept_apart


# ---- teaching: the folder of taught digits --------------------------------------------------------


def test_a_file_given_as_the_taught_digits_folder_is_called_a_file(tmp_path):
    from myonn.plumbing.errors import DataFileError
    from myonn.teaching import read_taught

    file = tmp_path / "my_digits"
    file.write_text("notes")
    with pytest.raises(DataFileError) as refusal:
        read_taught(file)
    assert str(refusal.value) == (
        f"{file}: a file, not a folder (expected a folder holding images-idx3-ubyte and labels-idx1-ubyte)"
    )
    assert file.read_text() == "notes"


def test_a_folder_of_more_labels_than_images_says_how_many_of_each(tmp_path):
    import numpy as np

    from conftest import write_idx
    from myonn.plumbing.errors import DataFileError
    from myonn.teaching import read_taught

    images = write_idx(tmp_path / "images-idx3-ubyte", np.zeros((1, 28, 28), np.uint8))
    labels = write_idx(tmp_path / "labels-idx1-ubyte", np.array([7, 7, 7], np.uint8))
    with pytest.raises(DataFileError) as refusal:
        read_taught(tmp_path)
    assert str(refusal.value) == f"{images} holds 1 image but {labels} holds 3 labels"


def test_teaching_another_network_while_a_taught_one_is_kept_says_how_to_teach_that_one(
    fresh_teacher, tmp_path, monkeypatch
):
    from myonn.plumbing.errors import MyonnError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "taught.npz").write_bytes(b"the learner's taught network")
    with pytest.raises(MyonnError) as refusal:
        fresh_teacher().teach(digit(9), 4)
    assert str(refusal.value) == "taught.npz holds your taught network: start without --model to teach it"


def test_a_lesson_without_mnist_keeps_the_digit_and_says_where_mnist_was_looked_for(
    fresh_teacher, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert fresh_teacher().teach(digit(9), 4) == (
        "4 kept, not learned: MNIST is missing from no_mnist/ (run ./mnist_train.py once to fetch it)"
    )


def test_a_folder_given_as_a_picture_is_told_to_name_a_png_file(tmp_path):
    from myonn.plumbing.cli import png_path

    with pytest.raises(argparse.ArgumentTypeError) as refusal:
        png_path(str(tmp_path))
    assert str(refusal.value) == f"{tmp_path} is a folder; give a file name ending in .png"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="open files are counted in /proc/self/fd (Linux)")
def test_asking_whether_a_file_can_be_written_leaves_no_file_open(tmp_path):
    """The check is made before every run and picture: a descriptor left open each time would pile up."""
    from myonn.plumbing.saving import unwritable

    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        assert unwritable(tmp_path / "curves.png") is None
    assert len(os.listdir("/proc/self/fd")) == before


# ---- saving: --output refused before training ---------------------------------------------------


def test_an_output_under_a_file_is_refused_naming_that_file(tmp_path):
    from myonn.plumbing.saving import unsaveable

    (tmp_path / "notes.txt").write_text("mine")
    refusal = unsaveable(tmp_path / "notes.txt" / "nets" / "mine.npz", force=True)
    assert refusal == f"{tmp_path / 'notes.txt'} is a file, not a folder"
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_an_output_into_a_folder_not_writable_is_refused_naming_the_folder(tmp_path, monkeypatch):
    from myonn.plumbing import saving

    # os.access as a user who is not root sees it (root may write anywhere).
    def access(path, mode):
        return not (os.fspath(path) == os.fspath(tmp_path) and mode == os.W_OK)  # readable, not writable

    monkeypatch.setattr(saving.os, "access", access)
    assert saving.unsaveable(tmp_path / "new" / "mine.npz", force=False) == f"cannot write into {tmp_path}"


def test_an_output_holding_a_network_is_no_reason_to_refuse(tmp_path):
    """Which one is kept is decided after training, by how well each reads (`save_without_spoiling`)."""
    from myonn import NeuralNetwork
    from myonn.plumbing.saving import unsaveable

    output = tmp_path / "mine.npz"
    NeuralNetwork(784, 3, 10).save(output)
    before = output.read_bytes()
    assert unsaveable(output, force=False) is None
    assert output.read_bytes() == before


@pytest.mark.parametrize("taught_there", [False, True])
def test_the_last_saved_line_says_which_window_reads_the_new_network(tmp_path, monkeypatch, taught_there):
    """docs/drawing.md: the drawing window reads a network taught by hand first, the browser the trained one."""
    import numpy as np

    from myonn import NeuralNetwork
    from myonn.plumbing import paths
    from myonn.plumbing.saving import save_without_spoiling

    monkeypatch.setattr(paths, "TRAINED_MODEL", tmp_path / "my_nn.npz")
    monkeypatch.setattr(paths, "TAUGHT_MODEL", tmp_path / "my_taught_nn.npz")
    if taught_there:
        NeuralNetwork(784, 3, 10, seed=1).save(paths.TAUGHT_MODEL)
    network = NeuralNetwork(784, 3, 10, seed=2)
    network.metadata["test_accuracy"] = 0.5
    images = np.zeros((2, 28, 28), np.uint8)

    lines, _ = save_without_spoiling(network, paths.TRAINED_MODEL, images, np.zeros(2, np.uint8), force=False)

    if taught_there:
        assert lines[-1].startswith("./mnist_render.py reads with it; ./mnist_draw.py with ")
        assert lines[-1].endswith("my_taught_nn.npz")
    else:
        assert lines[-1].startswith("the windows read with it")


def test_a_picture_s_name_ending_in_capital_png_is_a_png_name():
    from pathlib import Path

    from myonn.plumbing.cli import png_path

    assert png_path("SHOT.PNG") == Path("SHOT.PNG") and png_path("curves.Png") == Path("curves.Png")


def test_asking_the_package_for_a_name_it_lacks_says_which_name_as_python_does():
    """`myonn.NeuralNetwork` comes on first use (PEP 562); any other missing name is refused
    in Python's own words for a module, so a typo reads as it would anywhere else."""
    import myonn

    with pytest.raises(AttributeError) as refused:
        myonn.NeuralNetwrok  # noqa: B018 (the typo is the point)
    assert str(refused.value) == "module 'myonn' has no attribute 'NeuralNetwrok'"
