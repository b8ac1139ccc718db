"""The ideas pinned (issue 20): what the network, its training and MNIST's files promise, each
worked out by hand or by its definition, for the slips the other tests let through.

Every test here is small (tiny networks, a few images) and quick.
"""

from __future__ import annotations

import math
import types
import urllib.error

import numpy as np
import pytest

from myonn import mnist
from myonn.answer import whole_percentages
from myonn.book import book_inputs
from myonn import one_at_a_time
from myonn.network import WEIGHTS, NeuralNetwork, squeeze
from myonn.plumbing.errors import DataFileError
from myonn.training import EpochImages, divergence, fit, no_better_than_guessing


def sigmoid64(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def small_network(inputs: int, hidden: int, outputs: int, seed: int = 7) -> NeuralNetwork:
    """A network that does not deskew, with random biases so that no bias is special."""
    network = NeuralNetwork(inputs, hidden, outputs, seed=seed, deskew=False)
    rng = np.random.default_rng(seed)
    network.bh = rng.normal(0, 0.5, hidden).astype(np.float32)
    network.bo = rng.normal(0, 0.5, outputs).astype(np.float32)
    return network


# ---- the network ----------------------------------------------------------------------------


def test_a_new_network_keeps_every_weight_and_bias_in_float32_and_its_biases_at_zero():
    network = NeuralNetwork(784, 12, 10, seed=2)

    for name in WEIGHTS:
        assert getattr(network, name).dtype == np.float32, name
    assert not network.bh.any() and not network.bo.any()


def test_no_images_give_no_rows_of_float32_probabilities():
    probabilities = NeuralNetwork(784, 8, 10).predict_proba(np.zeros((0, 28, 28), np.uint8))

    assert probabilities.shape == (0, 10) and probabilities.dtype == np.float32


def test_squeezing_values_that_are_all_equal_gives_the_low_end_everywhere():
    # Nothing to stretch: no value is above the smallest, so none is lifted above `low` (and none is 0 / 0).
    np.testing.assert_array_equal(squeeze(np.full(4, 3.5), 0.01, 0.99), np.full(4, 0.01))


def test_squeezing_stretches_the_smallest_to_low_and_the_largest_to_high_linearly():
    np.testing.assert_allclose(squeeze(np.array([2.0, 4.0, 3.0, 6.0]), 10.0, 30.0), [10.0, 20.0, 15.0, 30.0])


def test_train_reports_a_confidently_wrong_answer_s_whole_loss_not_a_capped_one():
    network = small_network(4, 3, 3)
    network.bo[:] = [0.0, 0.0, 40.0]  # output 2 takes nearly all the belief
    inputs = np.array([[0.2, 0.9, 0.4, 0.0]], np.float32)
    targets = np.array([[1.0, 0.0, 0.0]], np.float32)  # but the answer is 0
    x = inputs[0].astype(np.float64)
    scores = network.who.astype(np.float64) @ sigmoid64(network.wih.astype(np.float64) @ x + network.bh) + network.bo
    # The cross-entropy -log p(0), by the log-sum-exp of the scores (about 40: p(0) is about e^-40).
    expected = math.log(np.exp(scores - scores.max()).sum()) + scores.max() - scores[0]

    loss, right = network.train(inputs, targets, learning_rate=0.1, momentum=0.0)

    assert expected > 30
    assert loss == pytest.approx(expected, rel=1e-4)
    assert right == 0


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.int16])
def test_the_forward_pass_refuses_whole_number_pixels_of_any_type_pointing_to_predict(dtype):
    network = NeuralNetwork(784, 8, 10, deskew=False)

    with pytest.raises(TypeError, match="predict"):
        network.query(np.full((2, 784), 200, dtype))


@pytest.mark.parametrize("length", [4, 6, 16])
def test_a_silencing_mask_not_of_the_hidden_nodes_is_refused_saying_how_many_there_are(length):
    network = small_network(16, 5, 4)
    mask = np.zeros(length, bool)
    mask[0] = True

    with pytest.raises(ValueError, match="mask of the 5 hidden nodes"):
        network.forward(np.full((1, 16), 0.5, np.float32), silenced=mask)


def backquery_by_its_definition(network: NeuralNetwork, digit: int, rounded: bool = True) -> np.ndarray:
    """`NeuralNetwork.backquery` worked out in float64 from what its docstring says it does
    (with `rounded=False`, its shades before they are rounded to whole numbers)."""
    wih, who = network.wih.astype(np.float64), network.who.astype(np.float64)
    bh, bo = network.bh.astype(np.float64), network.bo.astype(np.float64)

    def stretch(values, low, high):
        values = values - values.min()
        return low + (high - low) * values / values.max()

    patterns = []
    for wanted_digit in range(network.onodes):
        wanted = np.where(np.arange(network.onodes) == wanted_digit, 0.99, 0.01)
        scores = np.log(wanted) - bo  # the softmax undone, the output biases taken off...
        scores -= scores.mean()  # ...and the constant chosen so that the ten add up to 0
        hidden = stretch(who.T @ scores, 0.01, 0.99)
        hidden_inputs = np.log(hidden / (1 - hidden)) - bh  # the sigmoid undone, the hidden biases off
        patterns.append(wih.T @ hidden_inputs)
    mine = patterns[digit] - np.mean(patterns, axis=0)  # what this digit has that the others share not
    side = round(network.inodes**0.5)
    shades = stretch(mine, 0.0, 255.0)
    return (np.rint(shades) if rounded else shades).reshape(side, side)


@pytest.mark.parametrize("digit", [0, 2, 3])
def test_backquery_is_the_book_s_backwards_pass_adapted_as_its_docstring_says(digit):
    network = small_network(16, 5, 4, seed=11)  # images of 4 x 4 pixels, four digits

    image = network.backquery(digit)

    assert image.dtype == np.uint8 and image.shape == (4, 4)
    assert np.abs(image.astype(int) - backquery_by_its_definition(network, digit)).max() <= 1


# ---- the book's step, one image at a time ------------------------------------------------------


class FakeClock:
    """A perf_counter that moves only when told to: one second per image learned from."""

    def __init__(self):
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


def test_one_at_a_time_s_loop_seconds_add_up_the_loop_of_every_epoch(monkeypatch, test_set):
    clock = FakeClock()
    real_train_one = one_at_a_time.train_one

    def one_second_each(*args):
        clock.now += 1.0
        return real_train_one(*args)

    monkeypatch.setattr(one_at_a_time, "time", types.SimpleNamespace(perf_counter=clock.perf_counter))
    monkeypatch.setattr(one_at_a_time, "train_one", one_second_each)
    network = NeuralNetwork(784, 8, 10, seed=1, deskew=False)

    one_at_a_time.fit_one_at_a_time(network, test_set[0][:3], test_set[1][:3], epochs=2)

    assert network.metadata["loop_seconds"] == 6.0  # 2 epochs of 3 images, a second each


def test_one_at_a_time_is_recorded_as_batches_of_one_without_momentum(test_set):
    network = NeuralNetwork(784, 8, 10, seed=1, deskew=False)

    one_at_a_time.fit_one_at_a_time(network, test_set[0][:4], test_set[1][:4], epochs=1, learning_rate=0.07)

    recorded = network.metadata
    assert (recorded["batch_size"], recorded["momentum"], recorded["learning_rate"]) == (1, 0.0, 0.07)
    assert recorded["one_at_a_time"] is True and recorded["trained_on"] == 4


# ---- training -----------------------------------------------------------------------------------


def test_a_run_at_exactly_one_and_a_half_times_chance_has_learned_something():
    # The bar is "below 1.5 times chance": 15% of ten digits is on the right side of it, as are 3 of 4 two-way answers.
    assert no_better_than_guessing(0.15) is False
    assert no_better_than_guessing(0.75, classes=2) is False
    assert no_better_than_guessing(0.7499, classes=2) is True


def test_fit_refuses_more_labels_than_images(test_set):
    network = NeuralNetwork(784, 8, 10, deskew=False)

    with pytest.raises(ValueError, match="10 images but 11 labels"):
        fit(network, test_set[0][:10], test_set[1][:11], epochs=1, batch_size=5, learning_rate=0.1)


@pytest.mark.parametrize("distort, styles", [(1.5, 0.3), (0.5, 1.01), (-0.1, 0.3), (0.5, -0.5)])
def test_fit_refuses_shares_of_images_outside_0_to_1(test_set, distort, styles):
    network = NeuralNetwork(784, 8, 10, deskew=False)

    with pytest.raises(ValueError, match="shares from 0 to 1"):
        fit(network, test_set[0][:10], test_set[1][:10], 1, 5, 0.1, distort=distort, styles=styles)


def test_weights_that_stopped_being_numbers_are_divergence_even_when_the_loss_looks_fine():
    network = NeuralNetwork(4, 3, 10, deskew=False)
    network.who[1, 2] = np.nan

    assert "worse than guessing" in divergence(network, loss_sum=10 * 0.5, count=10)
    assert divergence(NeuralNetwork(4, 3, 10, deskew=False), loss_sum=10 * 0.5, count=10) == ""


def test_an_epoch_s_mean_loss_up_to_three_times_guessing_s_is_not_divergence():
    network = NeuralNetwork(4, 3, 10, deskew=False)
    guessing = math.log(10)  # the loss of a network that gives every digit a tenth

    assert divergence(network, loss_sum=100 * 2.99 * guessing, count=100) == ""
    assert "worse than guessing" in divergence(network, loss_sum=100 * 3.01 * guessing, count=100)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    weights = image.astype(np.float64) / image.sum()
    return float((weights * ys).sum()), float((weights * xs).sum())


def test_a_network_that_does_not_deskew_trains_on_distortions_of_its_images_as_they_are():
    # A blob in the top left corner, its centre at (4, 4): deskewing would move it to the middle
    # (13.5, 13.5); a distortion alone moves it a few pixels at most (bent 2, shifted 1, turned 5 degrees).
    images = np.zeros((20, 28, 28), np.uint8)
    images[:, 2:7, 2:7] = 255
    network = NeuralNetwork(784, 8, 10, deskew=False)
    rng = np.random.default_rng(3)

    varied = EpochImages(network, images, np.zeros(20, np.uint8), rng, distort=1.0, styles=0, vary_strokes=False)
    epoch = varied.next_epoch(rng)

    assert not np.array_equal(epoch, images)  # distorted...
    for image in epoch:
        cy, cx = centre_of_mass(image)
        assert abs(cy - 4) < 5 and abs(cx - 4) < 5  # ...but not deskewed


def test_fit_never_writes_into_the_images_it_is_given(test_set):
    images, labels = test_set[0][:60].copy(), test_set[1][:60]
    before = images.copy()
    network = NeuralNetwork(784, 8, 10, deskew=False)  # its straightened images are the given ones

    fit(network, images, labels, epochs=2, batch_size=20, learning_rate=0.1, distort=0.5, styles=0.3)

    np.testing.assert_array_equal(images, before)


def test_strokes_thinned_and_thickened_afresh_each_epoch_even_when_nothing_else_varies(test_set, monkeypatch):
    network = NeuralNetwork(784, 8, 10, deskew=False)
    seen = []
    real_train = network.train

    def recording_train(inputs, targets, learning_rate, momentum):
        seen.append(inputs.copy())
        return real_train(inputs, targets, learning_rate, momentum)

    monkeypatch.setattr(network, "train", recording_train)
    fit(network, test_set[0][:100], test_set[1][:100], 2, 50, 0.1, distort=0, styles=0, vary_strokes=True)

    first, second = (sorted(row.tobytes() for row in np.concatenate(seen[e * 2 : e * 2 + 2])) for e in (0, 1))
    assert first != second  # not the first epoch's thinned and thickened images again


def test_the_images_an_epoch_leaves_undistorted_are_the_straight_ones_not_an_earlier_epoch_s_distortions():
    rng = np.random.default_rng(4)
    images = rng.integers(0, 256, (400, 28, 28), dtype=np.uint8)
    network = NeuralNetwork(784, 8, 10, deskew=False)
    varied = EpochImages(network, images, np.zeros(400, np.uint8), rng, distort=0.5, styles=0, vary_strokes=False)

    varied.next_epoch(rng)
    second = varied.next_epoch(rng)

    as_given = np.mean([np.array_equal(a, b) for a, b in zip(second, images)])
    assert 0.4 < as_given < 0.6  # half left as they are, not only the quarter distorted in neither epoch


def test_the_book_s_inputs_are_float32_rows_as_its_network_s_weights_are():
    inputs = book_inputs(np.array([[[0, 255], [51, 102]]], np.uint8))

    assert inputs.dtype == np.float32 and inputs.shape == (1, 4)


# ---- the answer shown ------------------------------------------------------------------------------


def test_whole_percentages_round_down_first_so_that_rounding_each_up_never_passes_100():
    # 16.6% five times and 17%: rounded each, 17 x 6 = 102; floored, 16 x 5 + 17 = 97, and the three
    # missing points go to the largest remainders (the first three of the five equal .6s).
    assert whole_percentages([0.166] * 5 + [0.17]) == [17, 17, 17, 16, 16, 17]


# ---- MNIST's files --------------------------------------------------------------------------------


def test_a_header_cut_short_says_how_many_of_its_bytes_are_there(tmp_path):
    path = tmp_path / "cut.idx"
    path.write_bytes(bytes([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0]))  # 3 sizes need a header of 4 + 12 bytes

    with pytest.raises(DataFileError, match=r"truncated IDX header \(10 of 16 bytes\)"):
        mnist.read_idx(path)


def test_a_plain_file_too_long_says_by_how_many_bytes(tmp_path):
    path = tmp_path / "long.idx"
    path.write_bytes(bytes([0, 0, 0x08, 1, 0, 0, 0, 2, 7, 9]) + b"xyz")  # 2 elements, then 3 bytes too many

    with pytest.raises(DataFileError, match=r"long\.idx: 3 bytes more than its header \(2,\) describes"):
        mnist.read_idx(path)


def test_a_failed_download_names_every_mnist_file_the_folder_lacks_not_only_the_split_s(tmp_path, closed_port_url):
    with pytest.raises(DataFileError) as excinfo:
        mnist.load("test", tmp_path / "data", mirrors=[closed_port_url])

    for name in mnist.SHA256:  # one trip to fetch the training files too
        assert name in str(excinfo.value)


def test_a_failed_download_says_to_fetch_by_hand_from_the_mirror_given_not_a_default_one(tmp_path, closed_port_url):
    with pytest.raises(DataFileError) as excinfo:
        mnist.load("test", tmp_path / "data", mirrors=[closed_port_url])

    assert f"by hand from {closed_port_url} " in str(excinfo.value)
    assert not any(default in str(excinfo.value) for default in mnist.MIRRORS)


def test_an_http_error_is_told_by_its_code_and_reason():
    error = urllib.error.HTTPError("http://127.0.0.1/x", 404, "Not Found", {}, None)

    assert mnist._why(error) == "HTTP 404 Not Found"


def test_labels_above_9_anywhere_in_the_file_are_refused_naming_the_largest(tmp_path):
    images_path, labels_path = tmp_path / "images.idx", tmp_path / "labels.idx"
    mnist.write_idx(images_path, np.zeros((3, 28, 28), np.uint8))
    mnist.write_idx(labels_path, np.array([3, 12, 4], np.uint8))  # the bad label is not the last

    with pytest.raises(DataFileError, match="label 12 found"):
        mnist.read_digit_pair(images_path, labels_path)


def test_one_at_a_time_tells_on_batch_of_each_image_as_a_batch_of_one(test_set):
    told = []
    network = NeuralNetwork(784, 8, 10, seed=1, deskew=False)

    one_at_a_time.fit_one_at_a_time(network, test_set[0][:3], test_set[1][:3], epochs=2, on_batch=told.append)

    assert told == [1] * 6  # 2 epochs of 3 images


def test_the_batch_loop_s_speed_is_the_images_over_the_seconds_its_passes_took(monkeypatch, test_set):
    """With a clock that moves 0.25 s for each batch trained: 4 images in batches of 2 take 0.5 s a pass,
    so a first pass already reaches the 0.5 s asked for: 4 images / 0.5 s = 8 images a second."""
    clock = FakeClock()
    network = NeuralNetwork(784, 8, 10, seed=1, deskew=False)
    real_train = network.train

    def a_quarter_second_each(*args, **kwargs):
        clock.now += 0.25
        return real_train(*args, **kwargs)

    monkeypatch.setattr(one_at_a_time, "time", types.SimpleNamespace(perf_counter=clock.perf_counter))
    monkeypatch.setattr(network, "train", a_quarter_second_each)

    speed = one_at_a_time.batch_images_per_second(network, test_set[0][:4], test_set[1][:4], 2, 0.1, 0.5)

    assert speed == 8.0


# ---- "not a digit" --------------------------------------------------------------------------------


def test_the_energy_of_each_row_is_its_own_log_sum_exp_even_beside_a_row_far_larger():
    """energy = log(sum(exp(final_inputs))) per row; a row of outputs near 1000 beside one of zeros
    must not push the zeros' exponentials to nothing (the shift that avoids overflow is each row's own)."""
    from myonn.familiar import energy

    network = NeuralNetwork(4, 2, 3, seed=0, deskew=False)
    network.who = np.array([[1000, 0], [999, 0], [0, 0]], np.float32)
    network.bo = np.zeros(3, np.float32)
    hidden_outputs = np.array([[1, 0], [0, 0]], np.float32)  # final inputs: (1000, 999, 0) and (0, 0, 0)

    found = energy(network, hidden_outputs)

    expected = [1000 + math.log(1 + math.exp(-1) + math.exp(-1000)), math.log(3)]
    assert found == pytest.approx(expected, abs=1e-3)


# ---- MNIST's download -------------------------------------------------------------------------------


def test_a_download_error_with_no_words_is_named_by_its_kind():
    assert mnist._why(ConnectionResetError()) == "ConnectionResetError"
    assert mnist._why(TimeoutError("timed out")) == "timed out"


def test_a_drawing_exactly_at_the_distance_limit_is_familiar_and_a_hair_beyond_it_is_not():
    """The limit is the distance of the strangest right answers kept ("stranger than all but 0.3%"):
    a drawing exactly that far is no stranger than they are."""
    from myonn.familiar import NEAREST, Familiarity

    familiarity = Familiarity.__new__(Familiarity)  # the measures set by hand, not learned from MNIST
    familiarity.network = NeuralNetwork(4, 3, 2, seed=0, deskew=False)
    familiarity.reference = np.random.default_rng(0).random((NEAREST + 3, 3)).astype(np.float32)
    familiarity._reference_norms = (familiarity.reference**2).sum(axis=1)
    familiarity.least_energy = -np.inf  # every energy is enough: only the distance decides
    drawing = np.array([[0.5, 0.2, 0.9]], np.float32)
    familiarity.farthest = float(familiarity.distance(drawing)[0])  # the limit set at this drawing's distance

    assert familiarity.familiar(drawing).tolist() == [True]
    # One float32 step nearer: the distances are float32, and NumPy compares them with the limit as float32.
    familiarity.farthest = float(np.nextafter(np.float32(familiarity.farthest), np.float32(-np.inf)))
    assert familiarity.familiar(drawing).tolist() == [False]
