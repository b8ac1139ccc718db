"""myonn.familiar: whether a drawing looks like the digits the network learned, and the drawing window's "not sure".

Every expected value is computed here from the definitions in the module's docstring
(the energy by its formula, the nearest digits by comparing every pair), not by the
module's own code.
"""

import math
import threading

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.familiar import NEAREST, REFERENCE_EVERY, STRANGEST, Familiarity, energy, learn_familiarity
from myonn.familiar import InBackground
from not_digits import KINDS, not_digits

from test_draw import draw_a_bar, frame, key, screen, window  # noqa: F401  (fixtures and helpers)


def test_the_energy_is_log_sum_exp_of_the_output_layers_inputs():
    network = NeuralNetwork(4, 3, 2, seed=1)
    network.who = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], np.float32)
    network.bo = np.array([0.25, -0.5], np.float32)
    hidden = np.array([[0.2, 0.9, 0.4], [1.0, 0.0, 0.0]], np.float32)
    # By hand, row 1: 1*0.2 - 2*0.9 + 0.5*0.4 + 0.25 = -1.15 and 0 + 2.7 - 0.4 - 0.5 = 1.8.
    expected = [math.log(math.exp(-1.15) + math.exp(1.8)), math.log(math.exp(1.25) + math.exp(-0.5))]
    np.testing.assert_allclose(energy(network, hidden), expected, rtol=1e-5)


def test_the_energy_of_huge_inputs_does_not_overflow():
    network = NeuralNetwork(4, 1, 2, seed=1)
    network.who = np.array([[1000.0], [999.0]], np.float32)
    network.bo = np.zeros(2, np.float32)
    # log(e^1000 + e^999) = 1000 + log(1 + e^-1)
    np.testing.assert_allclose(energy(network, np.ones((1, 1), np.float32)), [1000 + math.log1p(math.exp(-1))])


@pytest.fixture(scope="module")
def familiarity(small_model, train_set, test_set):
    """The measures for the small network, learned from MNIST."""
    return Familiarity(small_model, train_set[0][:6000], *test_set)


def hidden_of(network, images):
    return network.forward(network.prepare_inputs(images))[0]


def test_the_reference_is_every_sixth_training_digit_as_the_network_sees_it(familiarity, small_model, train_set):
    expected = hidden_of(small_model, train_set[0][:6000:REFERENCE_EVERY])
    np.testing.assert_allclose(familiarity.reference, expected, rtol=1e-5, atol=1e-6)


def test_the_distance_is_to_the_nearest_reference_digits_by_brute_force(familiarity, small_model, test_set):
    hidden = hidden_of(small_model, test_set[0][:7])
    for row, measured in zip(hidden, familiarity.distance(hidden)):
        every = sorted(float(np.sum((row - other) ** 2)) for other in familiarity.reference)
        assert measured == pytest.approx(sum(every[:NEAREST]) / NEAREST, rel=1e-4)


def test_the_limits_leave_out_only_the_strangest_right_answers(familiarity, small_model, test_set):
    images, labels = test_set
    hidden, outputs = small_model.forward(small_model.prepare_inputs(images))
    right = hidden[outputs.argmax(axis=1) == labels]
    # Counted, not computed by the module: the share of right answers beyond each limit.
    below = np.mean(energy(small_model, right) < familiarity.least_energy)
    beyond = np.mean(familiarity.distance(right) > familiarity.farthest)
    for share in (below, beyond):
        assert abs(share - STRANGEST) <= 2 / len(right)  # to a digit or two: the limit lies between two
    # So the test digits read right are nearly all familiar: at most both shares are not.
    assert np.mean(familiarity.familiar(right)) >= 1 - below - beyond


def test_familiar_means_energy_at_the_limit_or_above_and_distance_at_the_limit_or_below(familiarity, small_model):
    hidden = hidden_of(small_model, np.stack([to_digit(canvas) for canvas in not_digits("zigzag", 40)]))
    expected = (energy(small_model, hidden) >= familiarity.least_energy) & (
        familiarity.distance(hidden) <= familiarity.farthest
    )
    np.testing.assert_array_equal(familiarity.familiar(hidden), expected)
    assert familiarity.familiar(hidden[0]).shape == (1,)  # one drawing's hidden outputs


def to_digit(canvas):
    from myonn.preprocess import to_mnist

    return to_mnist(canvas)


def test_without_mnist_there_is_nothing_to_learn_and_nothing_is_fetched(small_model, tmp_path):
    assert learn_familiarity(small_model, tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_learning_in_the_background_hands_the_measures_over(small_model, mnist_dir):
    done, got = threading.Event(), []
    InBackground(small_model, mnist_dir, lambda familiarity: got.append(familiarity) or done.set()).start()
    assert done.wait(30)  # about a second of work: 30 is plenty, even on a busy machine
    assert isinstance(got[0], Familiarity) and got[0].network is small_model


def test_asked_again_while_it_learns_it_learns_once_more_after_not_beside(small_model, monkeypatch):
    import myonn.familiar as familiar

    running, started, release, calls = [], threading.Event(), threading.Event(), []

    def slow_learning(network, data_dir, taught):
        running.append(1)
        assert len(running) == 1  # never two at once
        calls.append(data_dir)
        started.set()
        release.wait(10)
        running.pop()
        return f"familiarity {len(calls)}"

    monkeypatch.setattr(familiar, "learn_familiarity", slow_learning)
    ready, finished = [], threading.Event()
    learner = InBackground(small_model, "data", lambda f: ready.append(f) or (len(ready) == 2 and finished.set()))
    learner.start()
    assert started.wait(10)
    learner.start()  # two lessons while the first run learns: one more run, not two
    learner.start()
    release.set()
    assert finished.wait(10)
    assert ready == ["familiarity 1", "familiarity 2"] and len(calls) == 2


def test_a_taught_digit_counts_among_the_training_digits(small_model, train_set, test_set):
    drawing = np.zeros((28, 28), np.uint8)
    drawing[4:24, 6:9] = drawing[4:24, 19:22] = drawing[13:16, 6:22] = 255  # an H, taught as a digit
    plain = Familiarity(small_model, train_set[0][:6000], *test_set)
    taught = Familiarity(small_model, train_set[0][:6000], *test_set, taught_images=drawing[None])
    hidden = hidden_of(small_model, drawing[None])
    # By the definition: its NEAREST nearest are now its own NEAREST copies, at distance 0.
    assert taught.distance(hidden)[0] == pytest.approx(0.0, abs=1e-3)
    assert plain.distance(hidden)[0] > 1e-3  # untaught, no training digit is just like it
    assert len(taught.reference) == len(plain.reference) + NEAREST


def test_learning_in_the_background_takes_the_digits_taught_when_it_starts(small_model, mnist_dir):
    drawing = np.zeros((1, 28, 28), np.uint8)
    drawing[0, 4:24, 12:16] = 255
    done, got = threading.Event(), []
    InBackground(small_model, mnist_dir, lambda f: got.append(f) or done.set(), taught=lambda: drawing).start()
    assert done.wait(30)
    assert len(got[0].reference) == len(range(0, 60000, REFERENCE_EVERY)) + NEAREST  # MNIST's, and the taught one
    np.testing.assert_allclose(got[0].reference[-1], hidden_of(small_model, drawing)[0], rtol=1e-5, atol=1e-6)


# ---- the drawing window -------------------------------------------------------------------


@pytest.fixture
def pad(small_model, screen, familiarity):
    from myonn.windows.drawing_pad import DrawingPad

    pad = DrawingPad(small_model)
    pad.learned_familiarity(familiarity)
    return pad


def test_a_drawing_unlike_any_digit_is_not_sure_and_shows_no_digit(pad, window, screen, familiarity, monkeypatch):
    monkeypatch.setattr(familiarity, "farthest", -1.0)  # nothing is near enough: nothing is familiar
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert not pad.familiar and pad.reading().doubt == "strange"
    assert pad.prompt()[0] == "Not sure: it looks like none of the digits it learned. Is it a digit?"


def test_a_familiar_drawing_is_read_as_before(pad, window, screen, familiarity, monkeypatch):
    monkeypatch.setattr(familiarity, "farthest", np.inf)
    monkeypatch.setattr(familiarity, "least_energy", -np.inf)
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert pad.familiar
    assert pad.reading().doubt in (None, "unsure")  # the plain rule alone decides


def test_the_verdict_shown_is_the_measures_verdict_on_the_hidden_outputs_shown(pad, window, screen, familiarity):
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    hidden = pad.hidden_outputs[None]  # one drawing: a row
    expected = bool(
        energy(pad.network, hidden)[0] >= familiarity.least_energy
        and familiarity.distance(hidden)[0] <= familiarity.farthest
    )
    assert pad.familiar is expected


def test_until_the_measures_are_learned_every_drawing_counts_as_familiar(small_model, screen):
    from myonn.windows.draw_window import DrawWindow
    from myonn.windows.drawing_pad import DrawingPad

    pad = DrawingPad(small_model)
    window = DrawWindow(pad)
    draw_a_bar(window, screen)
    assert pad.familiarity is None and pad.familiar


def test_when_the_measures_arrive_the_reading_is_made_again(pad, window, screen, familiarity, monkeypatch):
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    monkeypatch.setattr(familiarity, "farthest", -1.0)
    pad.learned_familiarity(familiarity)
    assert window.process([]) is True  # no event, but the window is drawn again
    assert not pad.familiar


# ---- the non-digits of the benchmark ------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_non_digits_are_canvases_with_ink_and_the_same_seed_gives_the_same(kind):
    first, again, other = not_digits(kind, 5, seed=3), not_digits(kind, 5, seed=3), not_digits(kind, 5, seed=4)
    assert first.shape == (5, 280, 280) and first.dtype == np.uint8
    assert set(np.unique(first)) <= {0, 255} and all(canvas.any() for canvas in first)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_damaged_mnist_files_give_no_measures_and_are_left_as_they_are(small_model, tmp_path):
    from myonn import mnist

    for split in ("train", "test"):
        for name in mnist.SPLITS[split][:2]:
            (tmp_path / name).write_bytes(b"not gzip, not IDX")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert learn_familiarity(small_model, tmp_path) is None
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before
