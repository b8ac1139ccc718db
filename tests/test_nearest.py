"""The training images nearest to an image as the network sees it (myonn.nearest), and N in both windows.

"Nearest" is checked by brute force: every training image's hidden outputs worked out
here from the book's formula in float64, every distance, sorted.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.nearest import SHOWN, Reminders


def hidden_by_hand(network, images):
    """The hidden outputs from the definition: sigmoid(wih . inputs + bh), in float64."""
    inputs = network.prepare_inputs(images).astype(np.float64)
    return 1 / (1 + np.exp(-(inputs @ network.wih.T.astype(np.float64) + network.bh)))


def brute_force_nearest(network, training, image, count):
    """The `count` training images nearest `image`: every squared distance, sorted (ties: the earlier first)."""
    distances = ((hidden_by_hand(network, training) - hidden_by_hand(network, image[None])) ** 2).sum(axis=1)
    return np.lexsort((np.arange(len(distances)), distances))[:count]


@pytest.fixture(scope="module")
def reminders(small_model, train_set):
    images, labels = train_set[0][:5000], train_set[1][:5000]
    return Reminders(small_model, images, labels)


def test_the_nearest_are_those_brute_force_finds_in_order(small_model, train_set, test_set, reminders):
    for index in (0, 1, 2, 8, 247):
        image = test_set[0][index]
        hidden = hidden_by_hand(small_model, image[None])[0]
        expected = brute_force_nearest(small_model, train_set[0][:5000], image, SHOWN)
        assert list(reminders.nearest(hidden)) == list(expected)


def test_a_training_image_is_nearest_to_itself(small_model, train_set, reminders):
    hidden = hidden_by_hand(small_model, train_set[0][123][None])[0]
    assert reminders.nearest(hidden, 1)[0] == 123


def test_of_two_as_near_the_earlier_comes_first(small_model, train_set):
    images = np.stack([train_set[0][7], train_set[0][3], train_set[0][7], train_set[0][3]])
    memory = Reminders(small_model, images, np.array([1, 2, 1, 2]))
    hidden = hidden_by_hand(small_model, train_set[0][7][None])[0]
    assert list(memory.nearest(hidden, 4)) == [0, 2, 1, 3]


def test_of_many_training_images_as_near_the_earliest_come_first_however_many_there_are():
    # 1,000 blank images light the same hidden nodes: all are as near, so the first 8 are 0 to 7.
    # (Before, only 32 of them were compared exactly, picked in no order: image 0 could be left out.)
    network = NeuralNetwork(16, 4, 10, seed=0, deskew=False)
    memory = Reminders(network, np.zeros((1000, 4, 4), np.uint8), np.zeros(1000, int))

    assert memory.nearest(memory.hidden[0], 8).tolist() == list(range(8))


def test_asking_for_more_than_there_are_gives_them_all(small_model, train_set):
    memory = Reminders(small_model, train_set[0][:3], train_set[1][:3])
    assert sorted(memory.nearest(hidden_by_hand(small_model, train_set[0][:1])[0], 8)) == [0, 1, 2]


def test_the_memory_held_is_the_hidden_outputs_of_every_training_image(small_model, reminders):
    assert reminders.hidden.shape == (5000, small_model.hnodes)
    assert reminders.nbytes == 5000 * small_model.hnodes * 4 + 5000 * 4


# ---- N in the browser -----------------------------------------------------------------


@pytest.fixture
def browser_screen():
    pygame.display.init()
    pygame.font.init()
    from myonn.windows.status_bar import STATUS_HEIGHT

    surface = pygame.display.set_mode((560, 560 + STATUS_HEIGHT))
    yield surface
    pygame.quit()


def n_key(browser):
    browser.press(pygame.K_n, "n")


def test_n_in_the_browser_shows_the_image_then_its_nearest_training_images(
    browser_screen, tiny_mnist_dir, small_model, test_set, train_set
):
    from conftest import TINY_TRAIN
    from myonn.windows.browser import Browser

    browser = Browser(tiny_mnist_dir, "test", small_model, "", sets={"test": (test_set[0][:50], test_set[1][:50])})
    browser.go_to(8)
    n_key(browser)
    assert browser.view == "nearest"
    browser.draw(browser_screen)
    view = browser.screens["nearest"]
    tiles = view.tiles()
    expected = brute_force_nearest(small_model, train_set[0][:TINY_TRAIN], test_set[0][8], SHOWN)
    assert len(tiles) == SHOWN + 1
    assert np.array_equal(tiles[0][0], test_set[0][8])
    answer = int(np.argmax(hidden_by_hand(small_model, test_set[0][8][None])[0] @ small_model.who.T + small_model.bo))
    assert tiles[0][1] == f"this: label {test_set[1][8]}, read {answer}"
    for (picture, words, colour), index in zip(tiles[1:], expected):
        assert np.array_equal(picture, train_set[0][index])
        label = int(train_set[1][index])
        assert words == f"{label}  (train {index + 1})"
        assert (colour == (190, 30, 30)) == (label != answer)  # red: not the digit read


def test_n_on_a_training_image_leaves_the_image_itself_out(browser_screen, tiny_mnist_dir, small_model, train_set):
    from myonn.windows.browser import Browser

    browser = Browser(tiny_mnist_dir, "train", small_model, "")
    browser.go_to(40)
    n_key(browser)
    found = browser.screens["nearest"].nearest()
    expected = brute_force_nearest(small_model, train_set[0][:300], train_set[0][40], SHOWN + 1)
    assert 40 not in found and expected[0] == 40
    assert list(found) == list(expected[1:])


def test_n_without_the_training_set_says_what_it_needs(
    browser_screen, tmp_path, small_model, test_set, monkeypatch, closed_port_url
):
    from myonn import mnist
    from myonn.windows.browser import Browser

    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])
    browser = Browser(tmp_path, "test", small_model, "", sets={"test": (test_set[0][:20], test_set[1][:20])})
    n_key(browser)
    browser.draw(browser_screen)
    assert browser.screens["nearest"].missing.startswith("this needs MNIST's training set: ")


# ---- N in the drawing window ------------------------------------------------------------


@pytest.fixture
def draw_window(small_model, tiny_mnist_dir):
    from myonn.windows.draw_window import WINDOW, DrawWindow
    from myonn.windows.drawing_pad import DrawingPad

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(WINDOW)
    pad = DrawingPad(small_model, live=False)
    yield DrawWindow(pad, data_dir=tiny_mnist_dir), screen
    pygame.quit()


def draw_a_seven(window):
    from myonn.windows.demo_strokes import DEMO_STROKE

    window.pad.trace(DEMO_STROKE)


def test_n_in_the_drawing_window_shows_the_training_digits_nearest_the_drawing_read(
    draw_window, small_model, train_set
):
    import time

    from conftest import TINY_TRAIN
    from myonn.preprocess import to_mnist

    window, screen = draw_window
    draw_a_seven(window)
    window.pad.read()
    window.process([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0)])
    assert window.view == "nearest"
    panel = window.views["nearest"]
    for _ in range(200):  # the thread remembers the 300 training digits
        if window.process([]):
            break
        time.sleep(0.05)
    window.draw(screen)
    seen = to_mnist(window.pad.canvas)
    expected = brute_force_nearest(small_model, train_set[0][:TINY_TRAIN], seen, SHOWN)
    assert list(panel.nearest(window.pad.hidden_outputs)) == list(expected)


def test_the_drawing_window_s_n_waits_for_space_and_forgets_after_a_lesson(draw_window):
    window, screen = draw_window
    window.show("nearest")
    panel = window.views["nearest"]
    panel.finish()
    assert panel.found is not None
    draw_a_seven(window)
    window.pad.update()
    window.draw(screen)  # no reading yet: it says to read first, and looks nothing up
    assert panel._nearest[0] is None
    window.forget_weights()
    assert panel.found is None


def test_n_in_the_drawing_window_without_mnist_says_where_it_looked(small_model, tmp_path):
    from myonn.windows.nearest_view import learn_reminders

    words = learn_reminders(small_model, tmp_path)
    assert words.startswith("needs MNIST in ") and "./mnist_train.py downloads it" in words


def test_nearest_asks_for_one_image_s_hidden_outputs_and_says_how_to_get_them(small_model, train_set, reminders):
    with pytest.raises(
        ValueError, match=r"hidden outputs.*network.forward\(network.prepare_inputs\(image\)\)\[0\]\[0\]"
    ):
        reminders.nearest(train_set[0][0])  # the pixels themselves


def test_reminders_want_a_label_for_each_image(small_model, train_set):
    with pytest.raises(ValueError, match="one label for each image: 10 images, 5 labels"):
        Reminders(small_model, train_set[0][:10], train_set[1][:5])


def test_with_no_training_images_there_is_nothing_nearer(small_model):
    memory = Reminders(small_model, np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))
    assert memory.hidden.shape == (0, small_model.hnodes) and memory.hidden.dtype == np.float32
    found = memory.nearest(np.zeros(small_model.hnodes))
    assert found.shape == (0,) and found.dtype == np.int64


def test_asking_for_none_gives_none(reminders, small_model):
    found = reminders.nearest(np.zeros(small_model.hnodes), 0)
    assert found.shape == (0,) and found.dtype == np.int64


def test_the_distances_are_squared_differences_of_hidden_outputs(reminders, small_model, train_set):
    hidden = hidden_by_hand(small_model, train_set[0][:1])[0]
    expected = ((hidden_by_hand(small_model, train_set[0][[3, 9]]) - hidden) ** 2).sum(axis=1)
    assert reminders.distances(hidden, np.array([3, 9])) == pytest.approx(expected, rel=1e-5)


def test_training_digits_remembered_before_a_lesson_are_not_shown_after_it(draw_window):
    window, screen = draw_window
    panel = window.views["nearest"]
    stale = object()
    panel._ready((0, stale))  # a run begun before any lesson: shown
    assert panel.found is stale
    window.forget_weights()  # a lesson
    panel._ready((0, stale))  # that same run's kind of result, arriving late: not shown
    assert panel.found is None
    fresh = object()
    panel._ready((1, fresh))
    assert panel.found is fresh
