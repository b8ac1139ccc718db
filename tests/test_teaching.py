"""Teaching the network a learner's handwriting: the taught digits' folder, lessons, undo, --extra."""

import hashlib
import inspect
import subprocess
import sys

import numpy as np
import pytest

from myonn import NeuralNetwork, mnist
from myonn.plumbing import paths
from myonn.plumbing.errors import DataFileError, MyonnError
from myonn.network import WEIGHTS
from myonn.teaching import IMAGES, LABELS, Teacher, TaughtDigits, read_taught

from conftest import ROOT, one_message


def digit(value: int) -> np.ndarray:
    """A 28x28 uint8 image, all pixels `value`: easy to recognise in a file."""
    return np.full((28, 28), value, np.uint8)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def network(small_model_path):
    return NeuralNetwork.load(small_model_path)


@pytest.fixture
def teacher(network, small_model_path, tmp_path, train_set):
    return Teacher(
        network,
        small_model_path,
        folder=tmp_path / "my_digits",
        save_to=tmp_path / "taught.npz",
        mnist_digits=train_set,
    )


def misread(network, test_set):
    """A test image the network reads wrong, and its true label."""
    images, labels = test_set
    wrong = np.flatnonzero(network.predict(images[:2000]) != labels[:2000])
    return images[wrong[0]], int(labels[wrong[0]])


# ---- the folder of taught digits ------------------------------------------------------


def test_taught_digits_round_trip_through_the_idx_pair(tmp_path):
    digits = TaughtDigits(tmp_path / "my_digits")
    for value, label in ((10, 7), (20, 1), (30, 4)):
        digits.append(digit(value), label)
    images, labels = mnist.read_idx(tmp_path / "my_digits" / IMAGES), mnist.read_idx(tmp_path / "my_digits" / LABELS)
    assert labels.tolist() == [7, 1, 4]
    assert images.shape == (3, 28, 28) and images.dtype == np.uint8
    assert [int(image[0, 0]) for image in images] == [10, 20, 30]


def test_the_files_have_mnist_headers(tmp_path):
    TaughtDigits(tmp_path).append(digit(5), 3)
    # IDX by hand: two zero bytes, 0x08 (unsigned bytes), the dimension count, then each size.
    assert (tmp_path / IMAGES).read_bytes()[:16] == bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28])
    assert (tmp_path / LABELS).read_bytes() == bytes([0, 0, 8, 1, 0, 0, 0, 1, 3])


def test_a_folder_not_made_yet_holds_no_digits(tmp_path):
    assert len(TaughtDigits(tmp_path / "not yet")) == 0
    assert not (tmp_path / "not yet").exists()


def test_a_crash_before_the_labels_are_written_loses_no_earlier_digit(tmp_path, monkeypatch):
    digits = TaughtDigits(tmp_path)
    digits.append(digit(1), 1)
    digits.append(digit(2), 2)
    real_write = mnist.write_idx

    def crash_at_labels(path, array):
        if path.name == LABELS:
            raise KeyboardInterrupt
        real_write(path, array)

    monkeypatch.setattr(mnist, "write_idx", crash_at_labels)
    with pytest.raises(KeyboardInterrupt):
        digits.append(digit(3), 3)
    images, labels = read_taught(tmp_path)
    assert labels.tolist() == [1, 2] and [int(image[0, 0]) for image in images] == [1, 2]


def test_a_crash_while_taking_a_digit_back_leaves_a_folder_that_reads_as_before_or_after(tmp_path, monkeypatch):
    digits = TaughtDigits(tmp_path)
    for value in (1, 2, 3):
        digits.append(digit(value), value)
    real_write, written = mnist.write_idx, []

    def crash_after_the_first_file(path, array):
        if written:
            raise KeyboardInterrupt
        real_write(path, array)
        written.append(path.name)

    monkeypatch.setattr(mnist, "write_idx", crash_after_the_first_file)
    with pytest.raises(KeyboardInterrupt):
        digits.pop()
    images, labels = read_taught(tmp_path)
    assert labels.tolist() in ([1, 2, 3], [1, 2])
    assert [int(image[0, 0]) for image in images] == labels.tolist()


@pytest.mark.parametrize("label", [-1, 10])
def test_a_taught_label_must_be_a_digit(tmp_path, label):
    with pytest.raises(ValueError):
        TaughtDigits(tmp_path).append(digit(5), label)
    assert not (tmp_path / LABELS).exists()


def test_a_lesson_trains_on_the_digit_itself_and_on_distorted_copies_of_it(network, train_set, monkeypatch):
    from myonn.teaching import COPIES, learn

    batches = []
    monkeypatch.setattr(network, "train", lambda inputs, targets, rate, momentum: batches.append((inputs, targets)))
    image = train_set[0][0]

    learn(
        network,
        image,
        5,
        (np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8)),
        train_set,
        np.random.default_rng(0),
        steps=1,
    )

    inputs, targets = batches[0]
    assert (targets[:COPIES].argmax(axis=1) == 5).all()
    np.testing.assert_array_equal(inputs[0], network.prepare_inputs(image)[0])  # the digit as drawn
    for copy in inputs[1:COPIES]:
        assert not np.array_equal(copy, inputs[0])  # and moved a little, each its own way
    assert len({row.tobytes() for row in inputs[:COPIES]}) == COPIES


@pytest.mark.parametrize("damage", ["truncated labels", "labels not idx", "more labels than images", "images missing"])
def test_a_damaged_folder_is_one_line_and_is_not_overwritten(tmp_path, network, small_model_path, damage):
    folder = tmp_path / "my_digits"
    TaughtDigits(folder).append(digit(9), 9)
    if damage == "truncated labels":
        (folder / LABELS).write_bytes((folder / LABELS).read_bytes()[:-1])
    elif damage == "labels not idx":
        (folder / LABELS).write_text("7\n")
    elif damage == "more labels than images":
        (folder / LABELS).write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 9, 9, 9]))
    else:
        (folder / IMAGES).unlink()
    before = {path.name: sha(path) for path in folder.iterdir()}
    with pytest.raises(DataFileError) as error:
        Teacher(network, small_model_path, folder=folder, save_to=tmp_path / "taught.npz")
    assert "\n" not in str(error.value) and str(folder) in str(error.value)
    assert {path.name: sha(path) for path in folder.iterdir()} == before


# ---- lessons ------------------------------------------------------------------------------


def test_teaching_a_misread_digit_makes_the_network_read_it_so(teacher, network, test_set):
    image, label = misread(network, test_set)
    assert network.predict(image)[0] != label
    status = teacher.teach(image, label)
    assert network.predict(image)[0] == label
    assert status == f"taught: {label} — 1 digit taught"


def test_teaching_saves_the_taught_network_and_never_touches_the_shipped_one(network, tmp_path, train_set, test_set):
    shipped_before = sha(paths.SHIPPED_MODEL), paths.SHIPPED_MODEL.stat().st_mtime_ns
    teacher = Teacher(
        network,
        paths.SHIPPED_MODEL,
        folder=tmp_path / "my_digits",
        save_to=tmp_path / "taught.npz",
        mnist_digits=train_set,
    )
    image, label = misread(network, test_set)
    teacher.teach(image, label)
    assert (sha(paths.SHIPPED_MODEL), paths.SHIPPED_MODEL.stat().st_mtime_ns) == shipped_before
    taught = NeuralNetwork.load(tmp_path / "taught.npz")
    assert taught.predict(image)[0] == label and taught.metadata["taught_digits"] == 1


def test_the_taught_network_is_kept_apart_from_the_shipped_one():
    assert paths.TAUGHT_MODEL.resolve() != paths.SHIPPED_MODEL.resolve()
    # inspect.signature, not __defaults__: it reads through wrappers (mutmut wraps every function)
    assert inspect.signature(Teacher).parameters["save_to"].default == paths.TAUGHT_MODEL


def test_undo_takes_back_the_digit_and_what_the_network_learned(teacher, network, test_set, tmp_path):
    images, labels = test_set
    teacher.teach(images[0], int(labels[0]))
    weights = {name: getattr(network, name).copy() for name in WEIGHTS}
    image, label = misread(network, test_set)
    teacher.teach(image, label)
    assert teacher.undo() == f"undone: the lesson {label} — 1 digit taught"
    for name in WEIGHTS:
        np.testing.assert_array_equal(getattr(network, name), weights[name])
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [labels[0]]
    saved = NeuralNetwork.load(tmp_path / "taught.npz")
    np.testing.assert_array_equal(saved.wih, weights["wih"])


def test_undo_with_no_lesson_says_so_and_changes_nothing(teacher, network):
    weights = network.wih.copy()
    assert "nothing to undo" in teacher.undo()
    np.testing.assert_array_equal(network.wih, weights)


def test_without_mnist_the_digit_is_kept_and_the_status_says_what_to_do(network, small_model_path, tmp_path):
    teacher = Teacher(
        network,
        small_model_path,
        folder=tmp_path / "my_digits",
        save_to=tmp_path / "taught.npz",
        mnist_dir=tmp_path / "empty",
    )
    weights = network.wih.copy()
    status = teacher.teach(digit(0), 4)
    assert "MNIST is missing" in status and "./mnist_train.py" in status and "\n" not in status
    np.testing.assert_array_equal(network.wih, weights)
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [4]
    assert not (tmp_path / "taught.npz").exists()


def test_teaching_another_network_never_replaces_a_taught_one(network, small_model_path, tmp_path, train_set):
    taught = tmp_path / "taught.npz"
    taught.write_bytes(b"the learner's taught network")
    teacher = Teacher(network, small_model_path, folder=tmp_path / "my_digits", save_to=taught, mnist_digits=train_set)
    with pytest.raises(MyonnError, match="--model"):
        teacher.teach(digit(0), 4)
    assert taught.read_bytes() == b"the learner's taught network"
    assert not (tmp_path / "my_digits").exists()


# ---- ./mnist_train.py --extra ---------------------------------------------------------------


def train(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "mnist_train.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.parametrize("damage", ["no folder", "no labels", "truncated images"])
def test_extra_with_a_bad_folder_is_one_line_and_status_2(tmp_path, tiny_mnist_dir, damage):
    folder = tmp_path / "extra"
    if damage != "no folder":
        TaughtDigits(folder).append(digit(3), 3)
        if damage == "no labels":
            (folder / LABELS).unlink()
        else:
            (folder / IMAGES).write_bytes((folder / IMAGES).read_bytes()[:100])
    result = train(
        "--extra",
        folder,
        "--data-dir",
        tiny_mnist_dir,
        "--limit",
        "200",
        "--epochs",
        "1",
        "--output",
        tmp_path / "m.npz",
    )
    assert result.returncode == 2
    assert one_message(result.stderr)
    assert str(folder) in result.stderr
    assert not (tmp_path / "m.npz").exists()


def test_extra_trains_on_the_folders_digits_too(tmp_path, tiny_mnist_dir):
    folder = tmp_path / "extra"
    digits = TaughtDigits(folder)
    for label in range(3):
        digits.append(digit(100 + label), label)
    result = train(
        "--extra",
        folder,
        "--extra-weight",
        "5",
        "--data-dir",
        tiny_mnist_dir,
        "--limit",
        "300",
        "--epochs",
        "1",
        "--hidden",
        "16",
        "--output",
        tmp_path / "m.npz",
    )
    assert result.returncode == 0, result.stderr
    metadata = NeuralNetwork.load(tmp_path / "m.npz").metadata
    assert (metadata["extra_digits"], metadata["extra_weight"], metadata["trained_on"]) == (3, 5, 300 + 3 * 5)


def test_the_start_line_says_the_test_figure_is_from_before_the_lessons():
    from myonn.plumbing.cli import reading_with

    line = reading_with(paths.TAUGHT_MODEL, {"test_accuracy": 0.9893, "taught_digits": 12})
    assert line.endswith("(98.93% right on the test set before it was taught 12 digits)")


# ---- each digit with its own label (issue 20's examples) -----------------------------------


def test_with_taught_adds_each_taught_digit_weight_times_under_its_own_label():
    from myonn.teaching import with_taught

    images, labels = np.stack([digit(1), digit(2)]), np.array([1, 2], np.uint8)
    taught, taught_labels = np.stack([digit(30), digit(40)]), np.array([3, 4], np.uint8)
    all_images, all_labels = with_taught(images, labels, taught, taught_labels, 3)
    # By hand: MNIST's two first, then 3 copies of each taught digit; each image's value tells which.
    assert all_labels.tolist() == [1, 2, 3, 3, 3, 4, 4, 4]
    assert [int(image[0, 0]) for image in all_images] == [1, 2, 30, 30, 30, 40, 40, 40]


def test_a_lesson_trains_on_earlier_taught_digits_under_their_own_labels(monkeypatch):
    from myonn import teaching

    network = NeuralNetwork(784, 8, 10, seed=0)
    network.deskew = False  # the values in the images stay as they are, to be recognised below
    seen = []
    monkeypatch.setattr(
        network, "train", lambda inputs, targets, rate, momentum: seen.append((inputs.copy(), targets.argmax(1)))
    )
    others = (np.stack([digit(30), digit(40), digit(50)]), np.array([3, 4, 5], np.uint8))
    mnist_digits = (np.stack([digit(200)]), np.array([9], np.uint8))
    teaching.learn(network, digit(70), 7, others, mnist_digits, np.random.default_rng(0), steps=4)
    assert len(seen) == 4
    for inputs, labels in seen:
        # Each image's pixel value says which digit it is (scaled to 0..1): it must carry that digit's label.
        expected = {70: 7, 30: 3, 40: 4, 50: 5, 200: 9}
        for row, label in zip(inputs, labels):
            value = int(round(float(np.median(row)) * 255))
            if value in expected:  # the copies of the new digit are distorted: only the first is as drawn
                assert label == expected[value]
        assert (labels[: teaching.COPIES] == 7).all()


def test_a_failed_save_of_the_taught_network_says_so_and_is_not_called_taught(tmp_path, train_set, small_model_path):
    network = NeuralNetwork.load(small_model_path)
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where the taught network's folder should be")
    teacher = Teacher(
        network, small_model_path, tmp_path / "my_digits", save_to=blocker / "taught.npz", mnist_digits=train_set
    )
    with pytest.raises(MyonnError, match="the lesson was learned but not saved"):
        teacher.teach(digit(0), 4)


def test_each_step_of_a_lesson_has_every_earlier_digit_once_at_a_lesson_s_rate_without_momentum(monkeypatch):
    from myonn import teaching

    network = NeuralNetwork(784, 8, 10, seed=0)
    network.deskew = False
    seen = []
    monkeypatch.setattr(
        network, "train", lambda inputs, targets, rate, momentum: seen.append((inputs.copy(), rate, momentum))
    )
    count = teaching.OTHERS_PER_STEP  # as many earlier digits as a step takes: each must come once
    others = (np.stack([digit(10 + 3 * i) for i in range(count)]), np.arange(count, dtype=np.uint8) % 10)
    mnist_digits = (np.stack([digit(250)]), np.array([9], np.uint8))
    teaching.learn(network, digit(200), 2, others, mnist_digits, np.random.default_rng(1), steps=3)
    for inputs, rate, momentum in seen:
        values = np.rint(np.median(inputs, axis=1) * 255).astype(int)
        earlier = values[teaching.COPIES : teaching.COPIES + count]
        assert sorted(earlier) == [10 + 3 * i for i in range(count)]  # each once: chosen without replacement
        assert rate == teaching.LEARNING_RATE and momentum == 0.0


def test_a_lesson_s_rate_can_be_chosen(monkeypatch):
    from myonn import teaching

    network = NeuralNetwork(784, 8, 10, seed=0)
    rates = []
    monkeypatch.setattr(network, "train", lambda inputs, targets, rate, momentum: rates.append(rate))
    empty = (np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))
    teaching.learn(
        network, digit(9), 1, empty, (np.stack([digit(3)]), np.array([3])), np.random.default_rng(0), 2, 0.02
    )
    assert rates == [0.02, 0.02]


def test_taking_back_the_last_of_three_digits_keeps_the_first_two_as_they_were(tmp_path):
    digits = TaughtDigits(tmp_path / "my_digits")
    for value, label in ((10, 1), (20, 2), (30, 3)):
        digits.append(digit(value), label)
    assert digits.pop() == 3
    assert [int(image[0, 0]) for image in digits.images] == [10, 20]
    images, labels = read_taught(tmp_path / "my_digits")
    assert [int(image[0, 0]) for image in images] == [10, 20] and labels.tolist() == [1, 2]


def test_taking_back_a_digit_when_there_is_none_says_so(tmp_path):
    with pytest.raises(IndexError, match="^no taught digit to remove$"):
        TaughtDigits(tmp_path / "none").pop()


def test_taught_digits_say_where_they_are_kept_and_how_many(tmp_path):
    digits = TaughtDigits(tmp_path / "my_digits")
    digits.append(digit(5), 5)
    assert repr(digits) == f"TaughtDigits({str(tmp_path / 'my_digits')!r}, 1 digits)"


def test_undo_counts_one_lesson_fewer_in_the_network_s_record(teacher, network, test_set):
    images, labels = test_set
    network.metadata["taught_digits"] = 5  # from earlier sessions
    teacher.teach(images[0], int(labels[0]))
    assert network.metadata["taught_digits"] == 6
    teacher.undo()
    assert network.metadata["taught_digits"] == 5


def test_undo_says_exactly_what_u_takes_back_when_there_is_nothing(teacher):
    assert teacher.undo() == "nothing to undo: U takes back the lessons taught since the window opened"


def test_the_first_lesson_reads_mnist_from_the_folder_given(
    network, small_model_path, tmp_path, tiny_mnist_dir, monkeypatch
):
    from conftest import TINY_TRAIN

    read = []
    real_load = mnist.load
    monkeypatch.setattr(
        mnist, "load", lambda split, folder=None: read.append((split, folder)) or real_load(split, folder)
    )
    teacher = Teacher(network, small_model_path, tmp_path / "my_digits", save_to=None, mnist_dir=tiny_mnist_dir)
    images, labels = teacher.mnist_digits()
    assert read == [("train", tiny_mnist_dir)] and len(labels) == TINY_TRAIN
    teacher.mnist_digits()
    assert len(read) == 1  # read once


def test_undoing_every_lesson_of_a_first_session_leaves_no_taught_network_or_folder(
    network, small_model_path, tmp_path, test_set, train_set
):
    folder, taught = tmp_path / "my_digits", tmp_path / "taught.npz"
    teacher = Teacher(network, small_model_path, folder=folder, save_to=taught, mnist_digits=train_set)
    images, labels = test_set
    teacher.teach(images[0], int(labels[0]))
    teacher.teach(images[1], int(labels[1]))
    assert taught.exists() and folder.exists()
    teacher.undo()
    assert taught.exists() and len(read_taught(folder)[1]) == 1  # one lesson left: kept
    teacher.undo()
    assert not taught.exists() and not folder.exists()
    assert teacher.model_path == small_model_path  # the window reads with what it started with
    assert teacher.greeting().startswith("reading with ")
    assert "taught" not in teacher.greeting().split(";")[0]


def test_undoing_every_lesson_keeps_a_taught_network_and_digits_from_before(
    network, small_model_path, tmp_path, test_set, train_set
):
    folder, taught = tmp_path / "my_digits", tmp_path / "taught.npz"
    first = Teacher(network, small_model_path, folder=folder, save_to=taught, mnist_digits=train_set)
    images, labels = test_set
    first.teach(images[0], int(labels[0]))  # an earlier session's lesson, kept
    earlier = NeuralNetwork.load(taught)
    later = Teacher(NeuralNetwork.load(taught), taught, folder=folder, save_to=taught, mnist_digits=train_set)
    later.teach(images[1], int(labels[1]))
    later.undo()
    kept = NeuralNetwork.load(taught)
    for name in WEIGHTS:
        np.testing.assert_array_equal(getattr(kept, name), getattr(earlier, name))
    assert kept.metadata["taught_digits"] == 1
    assert read_taught(folder)[1].tolist() == [labels[0]]
    assert later.model_path == taught


def test_undoing_every_lesson_leaves_a_folder_that_was_there_before_even_with_no_digits(
    network, small_model_path, tmp_path, test_set, train_set
):
    folder = tmp_path / "my_digits"
    TaughtDigits(folder).append(digit(3), 3)
    TaughtDigits(folder).pop()  # the learner's folder, now holding no digit
    before = sorted(p.name for p in folder.iterdir())
    teacher = Teacher(network, small_model_path, folder=folder, save_to=tmp_path / "t.npz", mnist_digits=train_set)
    teacher.teach(test_set[0][0], int(test_set[1][0]))
    teacher.undo()
    assert sorted(p.name for p in folder.iterdir()) == before
