"""Behaviours a one-line slip in the ideas and the trainer's plumbing would change unnoticed by the other tests.

Each test pins one thing a learner or a caller sees, its expected value worked out by hand
or from the definition in the code's docstring.
"""

import numpy as np
import pytest

from myonn import mnist
from myonn.network import NeuralNetwork


def test_the_book_s_run_of_several_epochs_records_its_images_once_and_a_step_per_image_per_epoch(test_set):
    # trained_on is the number of training images, as fit records it; the word on few steps counts
    # epochs x images steps for the book's way (a batch of one): 3 x 4 = 12 here.
    from myonn.one_at_a_time import fit_one_at_a_time
    from myonn.training_run import learning_steps

    network = NeuralNetwork(784, 8, 10, seed=1, deskew=False)
    fit_one_at_a_time(network, test_set[0][:4], test_set[1][:4], epochs=3)

    assert network.metadata["trained_on"] == 4
    assert learning_steps(network.metadata) == 12


def test_extra_naming_a_folder_whose_files_hold_no_digits_is_refused(tmp_path, tiny_mnist_dir):
    from myonn.teaching import IMAGES, LABELS
    from myonn.training_run import load_training

    mnist.write_idx(tmp_path / IMAGES, np.zeros((0, 28, 28), np.uint8))
    mnist.write_idx(tmp_path / LABELS, np.zeros(0, np.uint8))

    def error(message):
        raise SystemExit(message)  # the parser's error: one line, exit 2

    with pytest.raises(SystemExit, match=f"argument --extra: {tmp_path} holds no digits"):
        load_training(tiny_mnist_dir, None, 64, tmp_path, 20, error, quiet=True)


# ---- what a learner is told ------------------------------------------------------------------


def test_a_network_trained_with_taught_digits_and_taught_more_since_is_greeted_with_both_counts(tmp_path):
    from myonn.teaching import Teacher

    network = NeuralNetwork(784, 4, 10, seed=1)
    network.metadata.update(extra_digits=30, taught_digits=2)  # --extra with 30 digits, then 2 lessons
    teacher = Teacher(network, tmp_path / "model.npz", folder=tmp_path / "digits", save_to=None, mnist_dir=tmp_path)

    assert teacher.greeting().endswith(", trained with 30 digits of yours, then taught 2 more")


def test_a_file_too_short_for_an_idx_header_says_how_many_bytes_it_holds(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(b"\x00\x00\x08")

    with pytest.raises(mnist.DataFileError, match=r"not an IDX file \(only 3 bytes\)"):
        mnist.read_idx(path)


def test_a_file_longer_than_its_header_says_says_by_how_many_bytes(tmp_path):
    # A header for 4 one-byte labels (4 + 4 bytes), then 4 labels and 5 bytes too many.
    path = tmp_path / "labels"
    path.write_bytes(bytes([0, 0, 0x08, 1]) + (4).to_bytes(4, "big") + bytes(4) + bytes(5))

    with pytest.raises(mnist.DataFileError, match=": 5 bytes more than its header"):
        mnist.read_idx(path)


def test_a_word_of_exactly_79_characters_is_pulled_to_the_left_edge_to_fit():
    from myonn.plumbing.cli import fit

    word = "w" * 79  # indented by two it would take 81 columns; from column 0 it takes 79
    assert fit(f"error: {word} end") == f"error:\n{word}\n  end"


def test_saving_the_learner_s_own_network_says_the_windows_read_with_it_and_how_to_pick_another(tmp_path, monkeypatch):
    from myonn.plumbing import paths
    from myonn.plumbing.saving import save_without_spoiling

    monkeypatch.setattr(paths, "TRAINED_MODEL", tmp_path / "my_nn.npz")
    monkeypatch.setattr(paths, "TAUGHT_MODEL", tmp_path / "my_taught_nn.npz")
    network = NeuralNetwork(784, 3, 10, seed=2)
    network.metadata["test_accuracy"] = 0.5

    lines, _ = save_without_spoiling(network, paths.TRAINED_MODEL, np.zeros((2, 28, 28), np.uint8), np.zeros(2), False)

    assert "--model PATH" in lines[-1]


def test_a_lesson_without_mnist_names_the_folder_it_looked_in(tmp_path, monkeypatch):
    from myonn.teaching import Teacher

    monkeypatch.chdir(tmp_path)
    network = NeuralNetwork(784, 4, 10, seed=1)
    folders = dict(folder=tmp_path / "digits", save_to=None, mnist_dir=tmp_path / "no_mnist")
    teacher = Teacher(network, tmp_path / "model.npz", **folders)

    assert "MNIST is missing from no_mnist/" in teacher.teach(np.full((28, 28), 9, np.uint8), 3)


# ---- what a caller is refused ------------------------------------------------------------------


def test_fit_with_no_images_is_refused_saying_so():
    from myonn.training import fit

    network = NeuralNetwork(784, 4, 10)
    no_images = np.zeros((0, 28, 28), np.uint8)

    with pytest.raises(ValueError, match="images=0"):
        fit(network, no_images, np.zeros(0, np.uint8), epochs=1, batch_size=8, learning_rate=0.1)


def test_nearest_refuses_what_is_not_one_image_s_hidden_outputs_saying_how_to_get_them():
    from myonn.nearest import Reminders

    network = NeuralNetwork(784, 4, 10)
    reminders = Reminders(network, np.zeros((3, 28, 28), np.uint8), np.arange(3))

    with pytest.raises(ValueError, match="nearest takes one image's 4 hidden outputs"):
        reminders.nearest(np.zeros(784))  # the image's pixels, not its hidden outputs


def test_an_epoch_that_read_no_test_digit_right_shows_0_percent_not_a_dash(capsys):
    # "-" is for a run without a test set; 0% is a score.
    from myonn.training import EpochReport
    from myonn.training_run import EpochProgress

    EpochProgress(10, 2).epoch_done(EpochReport(1, 2.3, 0.1, 0.0, 1.0, 0.3))

    assert "test 0.00%" in capsys.readouterr().out


def test_replacing_a_network_that_read_nothing_right_says_it_read_0_percent(tmp_path):
    from myonn.plumbing.saving import save_without_spoiling

    output = tmp_path / "mine.npz"
    old = NeuralNetwork(784, 3, 10, seed=1)
    old.save(output)
    images = np.zeros((2, 28, 28), np.uint8)
    labels = (old.predict(images) + 1) % 10  # never what the old network reads: 0% right
    new = NeuralNetwork(784, 3, 10, seed=2)
    new.metadata["test_accuracy"] = 0.5

    lines, _ = save_without_spoiling(new, output, images, labels, force=False)

    assert lines[1] == "in place of the one that was there (0.00% right)"
