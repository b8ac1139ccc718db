"""What the project tells a learner or a caller, pinned where a one-line slip went unseen.

Each test names one behaviour: a message's figures and files, the stream it goes to, the
condition that brings it. The expected words are those a learner is meant to read; the
figures in them are worked out here by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import unwrapped
from myonn import dreams, inside, mnist, nearest, preprocess
from myonn.one_at_a_time import fit_one_at_a_time
from myonn.one_step import one_step
from myonn.training import fit

from myonn.plumbing.errors import DataFileError


# ---- model files ---------------------------------------------------------------------------------


def saved_with(path, drop=(), arrays=None, **changes):
    """A small network saved at `path`, then changed as another program might have: its metadata
    updated with `changes` (None removes a key), the arrays in `drop` removed, `arrays` put in."""
    import json

    import numpy as np

    from myonn import NeuralNetwork

    NeuralNetwork(784, 4, 10, seed=0).save(path)
    with np.load(path) as npz:
        kept = {name: npz[name] for name in npz.files if name not in drop}
    if "metadata" in kept:
        metadata = {**json.loads(str(kept["metadata"])), **changes}
        kept["metadata"] = np.array(json.dumps({k: v for k, v in metadata.items() if v is not None}))
    with open(path, "wb") as out:
        np.savez(out, **{**kept, **(arrays or {})})
    return path


def cut_in_half(path):
    """A saved network whose second half was lost (a copy broken off)."""
    saved_with(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def text_file(path):
    path.write_text("my notes")
    return path


def json_metadata(path, text):
    """A saved network whose metadata is `text` (not necessarily JSON)."""
    import numpy as np

    saved_with(path, arrays={"metadata": np.array(text)})
    return path


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda path: path, "no such model file"),
        (lambda path: path.mkdir() or path, "a folder, not a model file"),
        (text_file, "not a myonn model file (not an .npz archive of weights)"),
        (cut_in_half, "damaged model file (it no longer reads back whole)"),
        (lambda path: saved_with(path, drop=["metadata"]), "not a myonn model file (it has no metadata)"),
        (lambda path: json_metadata(path, "{format: myonn"), "damaged model file (its metadata is not JSON)"),
        (lambda path: saved_with(path, format="keras"), "not a myonn model file"),
        (lambda path: saved_with(path, format_version="1"), "damaged model file (model format version '1')"),
        (lambda path: saved_with(path, layer_sizes=[784, 0, 10]), "damaged model file (layer sizes [784, 0, 10])"),
        (lambda path: saved_with(path, drop=["who"]), "damaged model file (no who weights)"),
        (
            lambda path: saved_with(path, arrays={"bo": np.zeros(9, "float32")}),
            "damaged model file (bo is float32 (9,), expected (10,))",
        ),
        (
            lambda path: saved_with(path, arrays={"bh": np.full(4, float("inf"), "float32")}),
            "damaged model file (bh holds NaN or infinite weights)",
        ),
    ],
)
def test_each_way_a_model_file_is_wrong_is_told_in_its_own_words_then_how_to_get_a_good_one(tmp_path, make, why):
    from myonn.model_file import load_mnist_network
    from myonn.plumbing.errors import ModelFileError

    path = make(tmp_path / "model.npz")
    with pytest.raises(ModelFileError) as refusal:
        load_mnist_network(path)
    assert str(refusal.value) == f"{path}: {why}; train one with ./mnist_train.py"


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


def test_a_taught_digits_folder_that_does_not_exist_is_refused_saying_what_it_should_hold(tmp_path):
    from myonn.teaching import read_taught

    with pytest.raises(DataFileError) as refusal:
        read_taught(tmp_path / "my_digts")
    assert str(refusal.value) == (
        f"{tmp_path / 'my_digts'}: no such folder (expected a folder holding images-idx3-ubyte and labels-idx1-ubyte)"
    )


@pytest.mark.parametrize(
    "image, label, given",
    [
        ("float", 3, "float64 (28, 28), 3"),  # pixels scaled already: not what to_mnist gives
        ("small", 3, "uint8 (14, 14), 3"),
        ("flat", 3, "uint8 (784,), 3"),
        ("uint8", 10, "uint8 (28, 28), 10"),
    ],
)
def test_a_taught_digit_must_be_a_28x28_uint8_image_and_a_digit_and_the_refusal_says_what_was_given(
    tmp_path, image, label, given
):
    import numpy as np

    from myonn.teaching import TaughtDigits

    pixels = {
        "float": np.zeros((28, 28)),
        "small": np.zeros((14, 14), np.uint8),
        "flat": np.zeros(784, np.uint8),
        "uint8": np.zeros((28, 28), np.uint8),
    }[image]
    with pytest.raises(ValueError) as refusal:
        TaughtDigits(tmp_path / "my_digits").append(pixels, label)
    assert str(refusal.value) == f"a taught digit is a uint8 (28, 28) image and a label 0-9, not {given}"
    assert not (tmp_path / "my_digits").exists()  # nothing kept


# ---- what a caller of the ideas is refused -------------------------------------------------------


def refusal_of(call):
    """The exception `call` raises, as (its type, its message); (None, None) when it raises none."""
    try:
        call()
    except Exception as error:  # noqa: BLE001 - the refusal is what is looked at
        return type(error), str(error)
    return None, None


def network(*sizes, **options):
    from myonn import NeuralNetwork

    return NeuralNetwork(*(sizes or (784, 4, 10)), seed=0, **options)


def pixels(*shape, dtype="uint8"):
    import numpy as np

    return np.zeros(shape, dtype)


REFUSALS = {
    "no hidden nodes": (lambda: network(784, 0, 10), ValueError, "hidden_nodes must be a positive whole number, not 0"),
    "half an input": (lambda: network(2.5, 4, 10), ValueError, "input_nodes must be a positive whole number, not 2.5"),
    "no outputs": (lambda: network(784, 4, 0), ValueError, "output_nodes must be a positive whole number, not 0"),
    "deskewing 700 pixels": (
        lambda: network(700, 4, 10),
        ValueError,
        "deskewing needs square images, and 700 inputs are not a square number of pixels",
    ),
    "scaled pixels": (
        lambda: network().predict(pixels(2, 28, 28, dtype="float64")),
        TypeError,
        "images must be raw uint8 pixels (0 to 255), not float64",
    ),
    "27x27 images": (  # 27 x 27 = 729 pixels a row
        lambda: network().predict(pixels(2, 27, 27)),
        ValueError,
        "images must be shaped (n, 28, 28) or (n, 784), not (2, 729)",
    ),
    "raw pixels to forward": (
        lambda: network().forward(pixels(1, 784)),
        TypeError,
        "query, forward and train take the float inputs of prepare_inputs(images), not uint8 pixels; "
        "to read raw pixels use predict or predict_proba",
    ),
    "a mask of 3 of 4 hidden nodes": (
        lambda: network().forward(pixels(1, 784, dtype="float32"), silenced=pixels(3, dtype=bool) + True),
        ValueError,
        "silenced must be a mask of the 4 hidden nodes, not shaped (3,)",
    ),
    "backquery of 10": (
        lambda: network().backquery(10),
        ValueError,
        "digit must be one of the 10 outputs, 0 to 9, not 10",
    ),
    "no epochs": (
        lambda: fit(network(), pixels(5, 28, 28), pixels(5), 0, 64, 0.3),
        ValueError,
        "fit needs at least one epoch, batch and image (epochs=0, batch_size=64, images=5)",
    ),
    "no batch": (
        lambda: fit(network(), pixels(5, 28, 28), pixels(5), 1, 0, 0.3),
        ValueError,
        "fit needs at least one epoch, batch and image (epochs=1, batch_size=0, images=5)",
    ),
    "a label short": (
        lambda: fit(network(), pixels(5, 28, 28), pixels(4), 1, 2, 0.3),
        ValueError,
        "5 images but 4 labels",
    ),
    "a share above 1": (
        lambda: fit(network(), pixels(5, 28, 28), pixels(5), 1, 2, 0.3, distort=1.5, styles=0.25),
        ValueError,
        "distort and styles are shares from 0 to 1, not 1.5 and 0.25",
    ),
    "a negative share": (
        lambda: fit(network(), pixels(5, 28, 28), pixels(5), 1, 2, 0.3, distort=0.5, styles=-0.1),
        ValueError,
        "distort and styles are shares from 0 to 1, not 0.5 and -0.1",
    ),
    "700 pixels a row": (
        lambda: fit(network(700, 4, 10, deskew=False), pixels(5, 700), pixels(5), 1, 2, 0.3),
        ValueError,
        "fit trains on square images",
    ),
    "the book's way, no epochs": (
        lambda: fit_one_at_a_time(network(), pixels(5, 28, 28), pixels(5), 0),
        ValueError,
        "fit_one_at_a_time needs at least one epoch and as many labels as images (epochs=0, images=5, labels=5)",
    ),
    "the book's way, a label more": (
        lambda: fit_one_at_a_time(network(), pixels(5, 28, 28), pixels(6), 1),
        ValueError,
        "fit_one_at_a_time needs at least one epoch and as many labels as images (epochs=1, images=5, labels=6)",
    ),
    "a canvas of one row": (
        lambda: preprocess.to_mnist(pixels(5)),
        ValueError,
        "canvas must be a 2-D array, not shaped (5,)",
    ),
    "handwriting from one image": (
        lambda: dreams.handwriting(network(), pixels(1, 28, 28)),
        ValueError,
        "the shapes of handwriting need at least two training images",
    ),
    "a dream of -1": (
        lambda: dreams.dream_steps(network(), -1, None),
        ValueError,
        "digit must be one of the 10 outputs, 0 to 9, not -1",
    ),
    "one step towards 10": (
        lambda: one_step(network(), pixels(28, 28), 10),
        ValueError,
        "digit must be one of the 10 outputs, 0 to 9, not 10",
    ),
    "one step on two images": (
        lambda: one_step(network(), pixels(2, 28, 28), 3),
        ValueError,
        "one_step takes one image, shaped (28, 28), not (2, 28, 28)",
    ),
    "inside a network of 700 inputs": (
        lambda: inside.image_side(network(700, 4, 10, deskew=False)),
        ValueError,
        "a network with 700 inputs does not read square images",
    ),
    "reminders with a label short": (
        lambda: nearest.Reminders(network(), pixels(3, 28, 28), pixels(2)),
        ValueError,
        "one label for each image: 3 images, 2 labels",
    ),
    "an unknown split of MNIST": (
        lambda: mnist.load("validation"),
        ValueError,
        "split must be 'train' or 'test', not 'validation'",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_caller_s_bad_argument_is_refused_with_its_type_and_words_naming_what_was_given(case):
    call, kind, message = REFUSALS[case]
    assert refusal_of(call) == (kind, message)


# ---- IDX files -----------------------------------------------------------------------------------

LABELS_OF_TWO = bytes([0, 0, 8, 1, 0, 0, 0, 2, 3, 7])  # an IDX file of the labels 3 and 7, by hand


def random_idx_gzipped(length: int) -> bytes:
    """A gzipped IDX file of `length` random bytes (which gzip cannot shrink)."""
    import gzip

    payload = np.random.default_rng(0).integers(0, 256, length, np.uint8).tobytes()
    return gzip.compress(bytes([0, 0, 8, 1]) + length.to_bytes(4, "big") + payload)


@pytest.mark.parametrize(
    "content, why",
    [
        (b"\r\n<!DOCTYPE html><html>Moved</html>", "an HTML page saved under an IDX name, not MNIST data; delete it"),
        (b"\x00\x00\x08", "not an IDX file (only 3 bytes)"),
        (
            b"\x01\x02\x08\x01\x00\x00\x00\x00",
            "not an IDX file (magic number 0x01020801; expected 0x0000 then a type code and a dimension count)",
        ),
        (bytes([0, 0, 8, 3, 0, 0, 0, 2]), "truncated IDX header (8 of 16 bytes)"),  # 4 + 3 sizes of 4 bytes
        (LABELS_OF_TWO[:-1], "truncated: 9 bytes where its header (2,) needs 10"),
        (random_idx_gzipped(100_000)[:20_000], "truncated gzip file (download it again)"),
    ],
)
def test_each_way_an_idx_file_is_wrong_is_told_naming_the_file(tmp_path, content, why):
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as refusal:
        mnist.read_idx(path)
    assert str(refusal.value) == f"{path}: {why}"


def test_a_damaged_gzip_file_is_told_to_be_downloaded_again(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 40)  # gzip's first bytes, then nonsense
    with pytest.raises(DataFileError) as refusal:
        mnist.read_idx(path)
    told = str(refusal.value)
    assert told.startswith(f"{path}: damaged gzip file (") and told.endswith("); download it again")


def test_images_where_the_labels_belong_are_refused_as_an_images_file(tmp_path):
    from conftest import write_idx

    images = write_idx(tmp_path / "images", np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(DataFileError) as refusal:
        mnist.read_digit_pair(images, images)
    assert (
        str(refusal.value) == f"{images}: expected uint8 labels shaped (n,), found uint8 (2, 28, 28) (an images file?)"
    )


def test_a_label_above_9_is_refused_naming_the_largest_label_found(tmp_path):
    from conftest import write_idx

    images = write_idx(tmp_path / "images", np.zeros((3, 28, 28), np.uint8))
    labels = write_idx(tmp_path / "labels", np.array([4, 12, 3], np.uint8))
    with pytest.raises(DataFileError) as refusal:
        mnist.read_digit_pair(images, labels)
    assert str(refusal.value) == f"{labels}: label 12 found; MNIST labels are 0 to 9"


# ---- the drawing window's prompt -----------------------------------------------------------------


def pad_reading(sure_of: int | None, live: bool = False):
    """A drawing pad whose network is sure of digit `sure_of` whatever it sees (its output bias), or
    sure of none (an untrained network: ten outputs of about a tenth each)."""
    from myonn import NeuralNetwork
    from myonn.windows.drawing_pad import DrawingPad

    network = NeuralNetwork(784, 4, 10, seed=0)
    if sure_of is not None:
        network.bo[sure_of] = 10.0
    return DrawingPad(network, live=live)


def test_the_prompt_walks_a_learner_from_drawing_to_reading_to_clearing():
    pad = pad_reading(sure_of=3)
    said = [pad.prompt()[0]]
    pad.trace([(80, 224), (380, 224)])
    pad.update()
    said.append(pad.prompt()[0])
    pad.read()
    said.append(pad.prompt()[0])
    assert said == [
        "Press down your (left) mouse button to draw your digit",
        "Press SPACE to recognise the hand-drawn digit",
        "Press SPACE to clear the canvas for the next digit",
    ]


def test_a_reading_with_no_digit_ahead_asks_whether_it_is_a_digit():
    pad = pad_reading(sure_of=None)
    pad.trace([(80, 224), (380, 224)])
    pad.read()
    assert pad.prompt()[0] == "Not sure: no digit is clearly ahead. Is it a digit?"


def test_a_drawing_too_small_to_read_is_told_to_be_drawn_larger():
    pad = pad_reading(sure_of=3)
    pad.trace([(200, 200), (204, 200)])  # a dot of one brush width
    pad.read()
    assert pad.prompt()[0] == "Too small to read: draw it larger (Ctrl+Z, C: try again)"


# ---- the MNIST browser's status line -------------------------------------------------------------


def browser_of(count: int, set_name: str = "test"):
    """A browser over `count` blank images of `set_name` labelled 0, 1, 2, ... (no model)."""
    from myonn.windows.browser import Browser

    images, labels = np.zeros((count, 28, 28), np.uint8), (np.arange(count) % 10).astype(np.uint8)
    return Browser("no-such-folder", set_name, sets={set_name: (images, labels)})


def test_stepping_past_either_end_of_a_set_says_which_end_and_which_set():
    browser = browser_of(3, "test")
    browser.step(-1)
    at_start = browser.status_lines()[1]
    browser.step(5)
    at_end = browser.status_lines()[1]
    assert (at_start, at_end) == ("this is the first image of the test set", "this is the last image of the test set")


def test_an_image_before_the_first_is_told_that_images_count_from_1():
    browser = browser_of(3, "test")
    browser.go_to(2)
    browser.go_to(-1)
    assert browser.index == 0 and browser.status_lines()[1] == "images count from 1: showing the first"


# ---- the windows' options: the defaults their --help promises ------------------------------------


def help_of(script, capsys) -> dict[str, str]:
    """`script`'s --help, as {option as listed: its description, words joined by single spaces}."""
    import re

    with pytest.raises(SystemExit):
        script.parse_args(["--help"])
    options = capsys.readouterr().out.split("options:", 1)[1].split("\nkeys in the window:", 1)[0]
    listed = {}
    for entry in re.split(r"\n  (?=-)", options)[1:]:
        option, _, description = entry.partition("  ")
        listed[option.strip()] = " ".join(description.split())
    return listed


@pytest.mark.parametrize(
    "option, name, value",
    [
        ("--set {train,test}", "set", "train"),
        ("--index N", "index", 1),
        ("--scale N", "scale", 20),
        ("--view VIEW", "view", "digit"),
    ],
)
def test_the_browser_starts_as_its_help_says_it_does_by_default(capsys, option, name, value):
    import mnist_render

    assert f"(default: {value})" in help_of(mnist_render, capsys)[option]
    assert getattr(mnist_render.parse_args([]), name) == value


@pytest.mark.parametrize(
    "option, name, value",
    [("--brush N", "brush", 28), ("--view {canvas,inside,why,steps,nearest,learn}", "view", "canvas")],
)
def test_the_drawing_window_starts_as_its_help_says_it_does_by_default(capsys, option, name, value):
    import mnist_draw

    assert help_of(mnist_draw, capsys)[option].endswith(f"(default: {value})")
    assert getattr(mnist_draw.parse_args([]), name) == value
