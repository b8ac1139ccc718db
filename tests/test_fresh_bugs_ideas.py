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
