"""./mnist_render.py: the MNIST browser, driven headless by real pygame key events.

Each test posts key presses into pygame's event queue, lets the browser handle
them as its window loop does, and then checks what it shows: its state, its status
line and title, and the pixels it draws.
"""

import subprocess
import sys
import threading

import numpy as np
import pygame
import pytest

from conftest import ROOT, one_message, unwrapped

import mnist_render as render  # the script (pyproject lists it as a module), for its main
from myonn import NeuralNetwork, dreams, mnist
from myonn import images as imaging
from myonn.windows import browser_keys, browser_window
from myonn.windows.browser import Browser
from myonn.windows.browser_window import REPEAT_DELAY_MS, REPEAT_INTERVAL_MS
from myonn.windows.hidden_nodes_view import HiddenNodes
from myonn.windows.palette import BROWSER_FAINT, PAPER, RIGHT, STATUS_BACKGROUND, TEXT, WRONG
from myonn.windows.pictures import digit_rect
from myonn.windows.prediction_view import headline, percent
from myonn.windows.status_bar import STATUS_HEIGHT

SCRIPT = ROOT / "mnist_render.py"


@pytest.fixture(scope="module")
def misses(small_model, test_set):
    """The indices of the test images the small network reads wrong, ascending."""
    return list(np.flatnonzero(small_model.predict(test_set[0]) != test_set[1]))


@pytest.fixture
def screen(browser_screen):
    """The browser's window (conftest's `browser_screen`)."""
    return browser_screen


@pytest.fixture
def browser(screen, mnist_dir, train_set):
    """A browser on the training set, without a model; the test set loads from disk on T."""
    return Browser(mnist_dir, "train", sets={"train": train_set}, rng=np.random.default_rng(0))


@pytest.fixture
def model_browser(screen, mnist_dir, test_set, small_model):
    """A browser on the test set with the small trained network."""
    return Browser(mnist_dir, "test", small_model, "model small.npz", sets={"test": test_set})


def press(browser, *keys):
    """Post KEYDOWN events as a keyboard would, then let the browser handle the queue."""
    for key in keys:
        text = {pygame.K_SPACE: " ", pygame.K_RETURN: "\r"}.get(key, "")
        if isinstance(key, str):  # a character typed: "7", "q"
            text, key = key, pygame.key.key_code(key)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=text, mod=0, scancode=0))
    return browser.handle_events(pygame.event.get())


def pixels(surface):
    """The surface as an array of rows: uint8 (height, width, 3)."""
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def digit_area(surface):
    return pygame.Rect(0, 0, surface.get_width(), surface.get_height() - STATUS_HEIGHT)


def shown_digit(surface, rect):
    """The grey level at the centre of each of the 28x28 blocks of the digit drawn in `rect`."""
    block = rect.width // 28
    centres = block // 2 + block * np.arange(28)
    return pixels(surface)[rect.top + centres[:, None], rect.left + centres[None, :], 0]


# ---- browsing ----------------------------------------------------------------------------


def test_starts_on_the_first_training_image(browser, train_set):
    assert (browser.set_name, browser.index) == ("train", 0)
    assert browser.title() == f"MNIST train 1 / {len(train_set[1])}"
    assert browser.status_lines()[0] == f"train 1 / {len(train_set[1])}"


def test_down_and_right_show_the_next_image(browser):
    press(browser, pygame.K_DOWN, pygame.K_DOWN, pygame.K_RIGHT)
    assert browser.index == 3
    assert browser.status_lines()[0].startswith("train 4 / ")


def test_up_and_left_show_the_previous_image(browser):
    press(browser, pygame.K_END, pygame.K_UP, pygame.K_LEFT)
    assert browser.index == len(browser.labels) - 3


def test_page_down_and_page_up_move_a_hundred_images(browser):
    press(browser, pygame.K_PAGEDOWN, pygame.K_PAGEDOWN)
    assert browser.index == 200
    press(browser, pygame.K_PAGEUP)
    assert browser.index == 100


def test_home_and_end_show_the_first_and_last_image(browser, train_set):
    press(browser, pygame.K_END)
    assert browser.index == len(train_set[1]) - 1
    press(browser, pygame.K_HOME)
    assert browser.index == 0


def test_moving_before_the_first_image_stays_there_and_says_so(browser):
    press(browser, pygame.K_DOWN, pygame.K_PAGEUP)
    assert browser.index == 0
    assert "first image" in browser.status_lines()[1]


def test_moving_past_the_last_image_stays_there_and_says_so(browser):
    press(browser, pygame.K_END, pygame.K_DOWN)
    assert browser.index == len(browser.labels) - 1
    assert "last image" in browser.status_lines()[1]


def test_the_next_key_clears_a_message(browser):
    press(browser, pygame.K_UP)
    assert browser.message
    press(browser, pygame.K_DOWN)
    assert browser.message == ""


def test_r_shows_another_random_image_of_the_set(browser):
    seen = set()
    for _ in range(5):
        before = browser.index
        press(browser, pygame.K_r)
        assert browser.index != before and 0 <= browser.index < len(browser.labels)
        seen.add(browser.index)
    assert len(seen) > 1


# ---- the label -----------------------------------------------------------------------


def test_space_reveals_the_label_in_title_and_status(browser, train_set):
    label = int(train_set[1][0])
    assert "label" not in browser.title()
    press(browser, pygame.K_SPACE)
    assert browser.view == "label"
    assert browser.title().endswith(f"label {label}")
    assert f"label {label}" in browser.status_lines()[0]


def test_space_again_goes_back_to_the_digit(browser):
    press(browser, pygame.K_SPACE, pygame.K_SPACE)
    assert browser.view == "digit"
    assert "label" not in browser.title()


def test_the_label_view_looks_different_from_the_digit_view(browser, screen):
    browser.draw(screen)
    digit = pixels(screen)
    press(browser, pygame.K_SPACE)
    browser.draw(screen)
    label = pixels(screen)
    area = digit_area(screen)
    assert (digit[: area.bottom] != label[: area.bottom]).any(axis=2).mean() > 0.05


def test_the_label_is_hidden_again_on_the_next_image(browser):
    press(browser, pygame.K_SPACE, pygame.K_DOWN)
    assert browser.view == "digit"


# ---- the two sets ----------------------------------------------------------------------


def test_t_switches_to_the_test_set(browser, test_set):
    press(browser, pygame.K_t)
    assert browser.set_name == "test"
    assert browser.title() == f"MNIST test 1 / {len(test_set[1])}"
    assert np.array_equal(browser.images, test_set[0])


def test_the_test_set_is_loaded_only_when_first_shown(browser):
    assert set(browser.sets) == {"train"}
    press(browser, pygame.K_t)
    assert set(browser.sets) == {"train", "test"}


def test_each_set_keeps_its_own_position(browser):
    press(browser, pygame.K_PAGEDOWN, pygame.K_t, pygame.K_DOWN)
    assert (browser.set_name, browser.index) == ("test", 1)
    press(browser, pygame.K_t)
    assert (browser.set_name, browser.index) == ("train", 100)


def test_a_set_that_cannot_be_loaded_keeps_the_browser_on_its_set(screen, tmp_path, train_set):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"not MNIST")
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not MNIST")
    browser = Browser(tmp_path, "train", sets={"train": train_set})
    press(browser, pygame.K_t)
    assert browser.set_name == "train"
    assert "cannot show the test set" in browser.status_lines()[1]


# ---- jumping to a typed number ---------------------------------------------------------


def test_a_typed_number_then_enter_jumps_to_that_image_counting_from_1(browser):
    press(browser, "1", "2", "3")
    assert "go to 123" in browser.status_lines()[0]
    assert browser.index == 0
    press(browser, pygame.K_RETURN)
    assert browser.index == 122
    assert browser.status_lines()[0].startswith("train 123 / ")


def test_keypad_enter_also_jumps(browser):
    press(browser, "4", pygame.K_KP_ENTER)
    assert browser.index == 3


def test_a_typed_number_beyond_the_set_is_clamped_with_a_message(browser):
    press(browser, "9", "9", "9", "9", "9", "9", pygame.K_RETURN)
    assert browser.index == len(browser.labels) - 1
    assert "no image 999999" in browser.status_lines()[1]


def test_a_typed_zero_shows_the_first_image_with_a_message(browser):
    press(browser, pygame.K_DOWN, "0", pygame.K_RETURN)
    assert browser.index == 0
    assert "count from 1" in browser.status_lines()[1]


def test_backspace_removes_the_last_typed_digit(browser):
    press(browser, "5", "7", pygame.K_BACKSPACE, pygame.K_RETURN)
    assert browser.index == 4


def test_escape_cancels_a_typed_number_without_quitting(browser):
    press(browser, "5", pygame.K_ESCAPE, pygame.K_RETURN)
    assert browser.running
    assert browser.index == 0
    assert "go to" not in browser.status_lines()[0]


# ---- help and quitting ---------------------------------------------------------------


def test_h_shows_the_keys_on_screen_and_h_again_hides_them(browser, screen):
    browser.draw(screen)
    plain = pixels(screen)
    press(browser, pygame.K_h)
    browser.draw(screen)
    assert browser.show_help
    assert (pixels(screen) != plain).any()
    press(browser, pygame.K_h)
    browser.draw(screen)
    assert np.array_equal(pixels(screen), plain)


def test_f1_also_shows_the_keys(browser):
    press(browser, pygame.K_F1)
    assert browser.show_help


def test_escape_closes_the_help_before_it_quits(browser):
    press(browser, pygame.K_h, pygame.K_ESCAPE)
    assert not browser.show_help and browser.running
    press(browser, pygame.K_ESCAPE)
    assert not browser.running


@pytest.mark.parametrize("key", [pygame.K_q, pygame.K_ESCAPE])
def test_q_and_escape_quit(browser, key):
    press(browser, key)
    assert not browser.running


def test_closing_the_window_quits(browser):
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    browser.handle_events(pygame.event.get())
    assert not browser.running


def test_a_resized_window_is_redrawn_and_a_mouse_move_is_not(browser):
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(300, 400), w=300, h=400))
    assert browser.handle_events(pygame.event.get())
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(1, 1), buttons=(0, 0, 0)))
    assert not browser.handle_events(pygame.event.get())


# ---- what the digit looks like ------------------------------------------------------------


def test_the_digit_is_drawn_black_ink_on_white(browser, screen, train_set):
    press(browser, pygame.K_DOWN)
    browser.draw(screen)
    rect = digit_rect(digit_area(screen))
    assert np.array_equal(shown_digit(screen, rect), 255 - train_set[0][1])


@pytest.mark.parametrize("size", [(900, 500), (300, 700), (61, 90)])
def test_the_digit_stays_square_and_crisp_in_any_window_size(browser, size, train_set):
    surface = pygame.Surface(size)
    browser.draw(surface)
    rect = digit_rect(digit_area(surface))
    assert rect.width == rect.height and rect.width % 28 == 0
    block = rect.width // 28
    drawn = pixels(surface)[rect.top : rect.bottom, rect.left : rect.right, 0]
    expected = np.kron(255 - train_set[0][0], np.ones((block, block), np.uint8))
    assert np.array_equal(drawn, expected)  # each MNIST pixel is a solid square, no blur


# ---- what the network reads ------------------------------------------------------------


def test_p_shows_the_networks_reading_of_the_image(model_browser, small_model, test_set):
    press(model_browser, pygame.K_p)
    assert model_browser.view == "prediction"
    expected = small_model.predict_proba(test_set[0][0])[0]
    assert np.allclose(model_browser.probabilities(), expected, atol=1e-6)
    assert f"label {test_set[1][0]}" in model_browser.status_lines()[0]


def test_p_again_goes_back_to_the_digit(model_browser):
    press(model_browser, pygame.K_p, pygame.K_p)
    assert model_browser.view == "digit"


def test_the_status_line_says_how_many_of_the_set_the_network_misses(model_browser, misses):
    press(model_browser, pygame.K_p)
    count = len(misses)
    assert f"network misses {count} " in model_browser.status_lines()[0]


def test_the_network_reads_a_set_once_and_only_when_first_needed(model_browser, small_model, monkeypatch):
    calls = []
    original = small_model.predict_proba
    monkeypatch.setattr(small_model, "predict_proba", lambda images: calls.append(len(images)) or original(images))
    press(model_browser, pygame.K_DOWN, pygame.K_SPACE)
    assert calls == []
    press(model_browser, pygame.K_p, pygame.K_DOWN, pygame.K_e, pygame.K_w, pygame.K_p, pygame.K_p)
    assert calls == [len(model_browser.labels)]


def test_e_jumps_to_the_next_image_the_network_gets_wrong(model_browser, misses):
    press(model_browser, pygame.K_e)
    assert model_browser.index == misses[0]
    assert model_browser.view == "prediction"
    press(model_browser, pygame.K_e)
    assert model_browser.index == misses[1]


def test_w_jumps_to_the_previous_image_the_network_gets_wrong(model_browser, misses):
    press(model_browser, pygame.K_END, pygame.K_w)
    assert model_browser.index == misses[-1]
    press(model_browser, pygame.K_w)
    assert model_browser.index == misses[-2]


def test_e_after_the_last_mistake_wraps_to_the_first(model_browser, misses):
    press(model_browser, pygame.K_END, pygame.K_e)
    assert model_browser.index == misses[0]
    assert "wrapped" in model_browser.status_lines()[1]


def test_the_prediction_view_shows_a_right_answer_green_and_a_wrong_one_red(model_browser, screen, misses, test_set):
    right = next(i for i in range(len(test_set[1])) if i not in misses)
    model_browser.go_to(right)
    press(model_browser, pygame.K_p)
    model_browser.draw(screen)
    shown = pixels(screen)
    assert (shown == RIGHT).all(axis=2).sum() > 100
    assert not (shown == WRONG).all(axis=2).any()
    press(model_browser, pygame.K_e)
    model_browser.draw(screen)
    assert (pixels(screen) == WRONG).all(axis=2).sum() > 100


def test_the_prediction_view_shows_the_digit_and_more(model_browser, screen, test_set):
    model_browser.draw(screen)
    digit = pixels(screen)
    press(model_browser, pygame.K_p)
    model_browser.draw(screen)
    rect = digit_rect(pygame.Rect(0, 0, 560, int(560 * 0.58)))
    assert np.array_equal(shown_digit(screen, rect), 255 - test_set[0][0])
    assert (pixels(screen) != digit).any()


def test_switching_sets_in_the_prediction_view_reads_the_new_set(screen, mnist_dir, test_set, small_model):
    browser = Browser(
        mnist_dir, "test", small_model, "", sets={"test": test_set, "train": (test_set[0][:500], test_set[1][:500])}
    )
    press(browser, pygame.K_p, pygame.K_t)
    assert (browser.set_name, browser.view) == ("train", "prediction")
    assert browser.misses() is not None


@pytest.mark.parametrize("key", [pygame.K_p, pygame.K_e, pygame.K_w])
def test_without_a_model_p_e_and_w_say_why_and_change_nothing(browser, key):
    press(browser, key)
    assert (browser.view, browser.index) == ("digit", 0)
    assert browser.status_lines()[1] == "no model: train one with ./mnist_train.py"


# ---- inside the network: B, G and M ------------------------------------------------------


@pytest.fixture
def first_test_images(test_set):
    """The first 2,000 test images and labels: enough for every cell of the matrix, and quick to read."""
    return test_set[0][:2000], test_set[1][:2000]


@pytest.fixture
def inside_browser(screen, mnist_dir, small_model, first_test_images):
    """A browser on the first 2,000 test images, with the small trained network."""
    return Browser(mnist_dir, "test", small_model, "model small.npz", sets={"test": first_test_images})


def area_of(screen):
    return pygame.Rect(0, 0, screen.get_width(), screen.get_height() - STATUS_HEIGHT)


def block_centres(surface, rect):
    """The colour at the centre of each of the 28x28 blocks of a picture drawn in `rect`: (28, 28, 3)."""
    centres_x = rect.left + ((np.arange(28) + 0.5) * rect.width / 28).astype(int)
    centres_y = rect.top + ((np.arange(28) + 0.5) * rect.height / 28).astype(int)
    return pixels(surface)[centres_y[:, None], centres_x[None, :]]


def test_b_shows_each_digits_backquery_and_dream_beside_its_average_straightened_test_image(
    inside_browser, screen, small_model, first_test_images, small_model_handwriting
):
    press(inside_browser, pygame.K_b)
    inside_browser.settle()
    inside_browser.draw(screen)
    assert inside_browser.view == "backquery"
    images, labels = first_test_images
    straight = imaging.deskew(images).astype(np.float64)
    shapes = small_model_handwriting
    _, groups = inside_browser.screens["backquery"].layout(area_of(screen))
    assert len(groups) == 10
    for digit, (imagined, dreamt, average) in enumerate(groups):
        assert np.array_equal(block_centres(screen, imagined)[:, :, 0], 255 - small_model.backquery(digit))
        assert np.array_equal(block_centres(screen, dreamt)[:, :, 0], 255 - small_model.dream(digit, shapes))
        expected = 255 - straight[labels == digit].mean(axis=0)
        assert np.abs(block_centres(screen, average)[:, :, 0] - expected).max() <= 1


def test_the_dreams_form_a_few_steps_at_each_frame_then_stop(
    inside_browser, screen, small_model, small_model_handwriting
):
    from myonn.windows.imagined_digits_view import STEPS_PER_FRAME
    from myonn.windows.view import FRAME

    shapes = small_model_handwriting
    climb = list(dreams.dream_steps(small_model, 4, shapes))
    press(inside_browser, pygame.K_b)
    view = inside_browser.screens["backquery"]
    assert inside_browser.forming()
    assert np.array_equal(view.dreamt()[4], np.rint(np.clip(shapes.average, 0, 1) * 255).reshape(28, 28))
    for frame in range(1, 4):
        pygame.event.post(pygame.event.Event(FRAME))
        assert inside_browser.handle_events(pygame.event.get())
        assert np.array_equal(view.dreamt()[4], climb[frame * STEPS_PER_FRAME - 1])
    assert f"(step {3 * STEPS_PER_FRAME} of {dreams.STEPS})" in view.captions()[1]
    frames_left = -(-dreams.STEPS // STEPS_PER_FRAME) - 3
    for _ in range(frames_left):
        pygame.event.post(pygame.event.Event(FRAME))
    inside_browser.handle_events(pygame.event.get())
    assert not inside_browser.forming()
    assert np.array_equal(view.dreamt()[4], climb[-1])
    assert "step" not in view.captions()[1]
    pygame.event.post(pygame.event.Event(FRAME))
    assert not inside_browser.handle_events(pygame.event.get())  # formed: nothing left to draw again


def test_without_the_training_set_b_says_the_dreams_need_it_and_shows_the_rest(
    tmp_path, screen, small_model, first_test_images, monkeypatch, closed_port_url
):
    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])
    browser = Browser(tmp_path, "test", small_model, "model small.npz", sets={"test": first_test_images})
    press(browser, pygame.K_b)
    browser.draw(screen)
    view = browser.screens["backquery"]
    assert browser.view == "backquery" and not browser.forming()
    assert view.dreamt() is None
    assert view.captions()[1].startswith("no dreams: they need MNIST's training images")
    _, groups = view.layout(area_of(screen))
    imagined, dreamt, _ = groups[0]
    assert np.array_equal(block_centres(screen, imagined)[:, :, 0], 255 - small_model.backquery(0))
    assert (block_centres(screen, dreamt) == PAPER).all()


def tile_has_frame(shown, tile):
    """Whether the edge of `tile` is drawn all round in the marking colour in `shown` (rows of pixels)."""
    edges = [
        shown[tile.top, tile.left : tile.right],
        shown[tile.bottom - 1, tile.left : tile.right],
        shown[tile.top : tile.bottom, tile.left],
        shown[tile.top : tile.bottom, tile.right - 1],
    ]
    return all((edge == HiddenNodes.MARK).all() for edge in edges)


def most_active_hidden_nodes(network, image, count):
    """The hidden nodes with the largest outputs for `image`, from the book's formula in float64."""
    inputs = imaging.deskew(image[np.newaxis])[0].reshape(-1) / 255.0
    hidden_outputs = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ inputs + network.bh)))
    return set(np.argsort(-hidden_outputs)[:count].tolist())


def test_g_shows_one_picture_per_hidden_node(inside_browser, screen, small_model):
    press(inside_browser, pygame.K_g)
    inside_browser.draw(screen)
    _, tiles = inside_browser.screens["hidden"].layout(area_of(screen))
    assert inside_browser.view == "hidden"
    assert len(tiles) == small_model.hnodes == 64
    assert len({tuple(tile) for tile in tiles}) == 64  # none on top of another
    assert all(area_of(screen).contains(tile) for tile in tiles)


def test_g_frames_exactly_the_hidden_nodes_the_image_excites_most(
    inside_browser, screen, small_model, first_test_images
):
    press(inside_browser, pygame.K_g)
    for _ in range(3):
        inside_browser.draw(screen)
        _, tiles = inside_browser.screens["hidden"].layout(area_of(screen))
        shown = pixels(screen)
        framed = {node for node, tile in enumerate(tiles) if tile_has_frame(shown, tile)}
        expected = most_active_hidden_nodes(small_model, first_test_images[0][inside_browser.index], HiddenNodes.MARKED)
        assert framed == expected
        press(inside_browser, pygame.K_DOWN)  # the next image: the frames follow it
    assert inside_browser.index == 3


def test_g_shows_positive_weights_red_and_negative_blue(inside_browser, screen, small_model):
    press(inside_browser, pygame.K_g)
    inside_browser.draw(screen)
    _, tiles = inside_browser.screens["hidden"].layout(area_of(screen))
    node = 5
    weights = small_model.wih[node].reshape(28, 28)
    tile = tiles[node].inflate(-2, -2)  # the picture inside its pixel of background
    shown = block_centres(screen, tile).astype(int)
    strong = np.abs(weights) > 0.6 * np.abs(weights).max()
    redder = shown[:, :, 0] > shown[:, :, 2]
    assert strong.any()
    assert np.array_equal(redder[strong], weights[strong] > 0)


def cell_images(network, images, labels, label, reading):
    return np.flatnonzero((labels == label) & (network.predict(images) == reading)).tolist()


def test_m_starts_on_the_commonest_mistake(inside_browser, small_model, first_test_images):
    press(inside_browser, pygame.K_m)
    readings = small_model.predict(first_test_images[0])
    counts = np.zeros((10, 10), int)
    for label, reading in zip(first_test_images[1], readings):
        counts[label, reading] += label != reading
    assert inside_browser.view == "confusion"
    assert inside_browser.screens["confusion"].chosen() == np.unravel_index(counts.argmax(), counts.shape)


def test_m_arrows_choose_a_cell_and_stop_at_the_edges(inside_browser):
    press(inside_browser, pygame.K_m)
    screen_ = inside_browser.screens["confusion"]
    screen_.cell = (0, 0)
    press(inside_browser, pygame.K_UP, pygame.K_LEFT, pygame.K_DOWN, pygame.K_DOWN, pygame.K_RIGHT)
    assert screen_.chosen() == (2, 1)


def test_m_enter_browses_exactly_the_images_of_the_chosen_cell_and_esc_comes_back(
    inside_browser, small_model, first_test_images
):
    press(inside_browser, pygame.K_m)
    label, reading = inside_browser.screens["confusion"].chosen()
    expected = cell_images(small_model, *first_test_images, label, reading)
    press(inside_browser, pygame.K_RETURN)
    visited = [inside_browser.index]
    for _ in range(len(expected) + 2):  # two more than there are: it stops at the last
        press(inside_browser, pygame.K_DOWN)
        if inside_browser.index != visited[-1]:
            visited.append(inside_browser.index)
    assert visited == expected
    assert inside_browser.view == "prediction"
    assert f"{label}s read as {reading}: {len(expected)} of {len(expected)}" in inside_browser.status_lines()[0]
    press(inside_browser, pygame.K_ESCAPE)
    assert inside_browser.view == "confusion" and inside_browser.running


def test_m_counts_each_cell(inside_browser, screen, small_model, first_test_images):
    press(inside_browser, pygame.K_m)
    inside_browser.draw(screen)
    matrix = inside_browser.screens["confusion"].matrix()
    images, labels = first_test_images
    readings = small_model.predict(images)
    assert matrix.sum() == len(labels)
    for label, reading in [(3, 5), (4, 9), (7, 2), (1, 1)]:
        assert matrix[label, reading] == int(((labels == label) & (readings == reading)).sum())


@pytest.mark.parametrize(
    "key, view",
    [(pygame.K_b, "backquery"), (pygame.K_g, "hidden"), (pygame.K_m, "confusion"), (pygame.K_n, "nearest")],
)
def test_each_inside_view_is_left_with_esc_and_with_its_own_key(inside_browser, screen, key, view):
    press(inside_browser, key)
    inside_browser.draw(screen)
    assert inside_browser.view == view
    press(inside_browser, pygame.K_ESCAPE)
    assert inside_browser.view == "digit" and inside_browser.running
    press(inside_browser, key, key)
    assert inside_browser.view == "digit"


@pytest.mark.parametrize("key", [pygame.K_b, pygame.K_g, pygame.K_m, pygame.K_n])
def test_without_a_model_b_g_and_m_say_why_and_change_nothing(browser, key):
    press(browser, key)
    assert browser.view == "digit"
    assert browser.status_lines()[1] == "no model: train one with ./mnist_train.py"


def test_help_lists_b_g_and_m():
    keys = dict(browser_keys.KEYS)
    assert "imagines" in keys["B"] and "hidden nodes" in keys["G"] and "confusion matrix" in keys["M"]


VIEW_KEYS = {
    "digit": [],
    "label": [pygame.K_SPACE],
    "prediction": [pygame.K_p],
    "backquery": [pygame.K_b],
    "hidden": [pygame.K_g],
    "confusion": [pygame.K_m],
    "nearest": [pygame.K_n],
}


@pytest.mark.parametrize("view", VIEW_KEYS)
def test_view_starts_the_screenshot_in_the_view_its_key_shows(
    screen, tiny_mnist_dir, small_model, small_model_path, tmp_path, view
):
    browser = Browser(tiny_mnist_dir, "test", small_model, "", sets={"test": mnist.load("test", tiny_mnist_dir)})
    press(browser, *VIEW_KEYS[view])
    browser.settle()  # the screenshot shows the dreams formed
    expected = pygame.Surface((420, 280 + STATUS_HEIGHT))  # --scale 10: 280 high, and 420 wide at least
    browser.draw(expected)
    path = tmp_path / f"{view}.png"
    render.main(
        [
            "--data-dir",
            str(tiny_mnist_dir),
            "--set",
            "test",
            "--model",
            str(small_model_path),
            "--scale",
            "10",
            "--view",
            view,
            "--screenshot",
            str(path),
        ]
    )
    # The status line names the model file in one and not the other: compare the views above it.
    assert np.array_equal(pixels(pygame.image.load(str(path)))[:280], pixels(expected)[:280])


# ---- the model file ------------------------------------------------------------------


def test_a_missing_model_is_one_warning_and_the_browser_runs_without_it(tmp_path, capsys):
    model, note = render.load_model(tmp_path / "none.npz")
    assert model is None
    assert note == f"no predictions: {tmp_path / 'none.npz'}: no such model file; train one with ./mnist_train.py"
    error = capsys.readouterr().err
    assert one_message(error)
    assert unwrapped(error).strip() == (
        f"mnist_render.py: warning: {tmp_path / 'none.npz'}: no such model file; train one with ./mnist_train.py; "
        "browsing without predictions"
    )


def test_a_corrupt_model_is_reported_once_and_the_browser_runs_without_it(tmp_path, capsys):
    path = tmp_path / "bad.npz"
    path.write_bytes(b"this is not a model")
    model, note = render.load_model(path)
    assert model is None
    assert note.startswith(f"no predictions: {path}: not a myonn model file")
    error = capsys.readouterr().err
    assert one_message(error)
    assert unwrapped(error).strip() == (
        f"mnist_render.py: warning: {note.removeprefix('no predictions: ')}; browsing without predictions"
    )


def test_a_network_not_shaped_for_mnist_is_not_used(tmp_path, capsys):
    path = tmp_path / "other.npz"
    NeuralNetwork(100, 8, 3).save(path)
    model, note = render.load_model(path)
    assert model is None
    assert "not the 784 and 10" in note


def test_a_good_model_is_loaded_and_named_in_the_status_line(small_model_path):
    model, note = render.load_model(small_model_path)
    assert isinstance(model, NeuralNetwork)
    assert note.startswith(f"model {small_model_path}: ")


# ---- the command line and the window ---------------------------------------------------


def run_script(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_help_describes_the_options_and_the_keys():
    result = run_script("--help")
    assert result.returncode == 0
    for text in ("--set", "--index", "counting from 1", "--data-dir", "--model", "--scale", "--screenshot", "PAGE UP"):
        assert text in result.stdout


def test_a_bad_set_exits_2_without_a_traceback():
    result = run_script("--set", "validation")
    assert result.returncode == 2
    assert "invalid choice: 'validation'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_scale_exits_2_without_a_traceback():
    result = run_script("--scale", "0")
    assert result.returncode == 2
    assert "--scale: must be at least 1" in result.stderr


def test_missing_data_exits_2_with_one_line_and_downloads_nothing(tmp_path, monkeypatch, capsys, closed_port_url):
    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])
    with pytest.raises(SystemExit) as exit:
        render.run(
            lambda: render.main(["--data-dir", str(tmp_path), "--screenshot", str(tmp_path / "x.png")]), render.PROGRAM
        )
    assert exit.value.code == 2
    error = unwrapped(capsys.readouterr().err).strip().splitlines()[-1]
    assert error.startswith("mnist_render.py: error: MNIST file(s) missing from ")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_screenshot_draws_the_first_frame_after_the_options(mnist_dir, tmp_path, test_set):
    path = tmp_path / "shot.png"
    result = run_script(
        "--data-dir", str(mnist_dir), "--set", "test", "--index", "8", "--scale", "5", "--screenshot", str(path)
    )
    assert result.returncode == 0, result.stderr
    shot = pygame.image.load(str(path))
    assert shot.get_size() == (420, 140 + STATUS_HEIGHT)  # 28 x 5 high, and wide enough for the status bar
    rect = digit_rect(digit_area(shot))
    assert np.array_equal(shown_digit(shot, rect), 255 - test_set[0][7])


def test_an_index_beyond_the_set_shows_the_last_image(mnist_dir, tmp_path, test_set):
    path = tmp_path / "shot.png"
    render.main(
        ["--data-dir", str(mnist_dir), "--set", "test", "--index", "10001", "--scale", "3", "--screenshot", str(path)]
    )
    shot = pygame.image.load(str(path))
    # --scale 3: the digit is 84 pixels a side, centred in the 420-pixel-wide window ((420 - 84) / 2 = 168).
    assert np.array_equal(shown_digit(shot, pygame.Rect(168, 0, 84, 84)), 255 - test_set[0][-1])


def test_screenshot_with_predict_shows_the_prediction_view(mnist_dir, small_model_path, tmp_path):
    plain, predicted = tmp_path / "plain.png", tmp_path / "predicted.png"
    common = ["--data-dir", str(mnist_dir), "--set", "test", "--model", str(small_model_path), "--scale", "10"]
    render.main([*common, "--screenshot", str(plain)])
    render.main([*common, "--predict", "--screenshot", str(predicted)])
    with_bars = pixels(pygame.image.load(str(predicted)))
    assert (with_bars != pixels(pygame.image.load(str(plain)))).any()
    assert (with_bars == RIGHT).all(axis=2).any() or (with_bars == WRONG).all(axis=2).any()


def test_a_screenshot_that_cannot_be_written_exits_2(mnist_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        target = tmp_path / "no such folder" / "shot.png"
        render.run(
            lambda: render.main(["--data-dir", str(mnist_dir), "--set", "test", "--screenshot", str(target)]),
            render.PROGRAM,
        )
    assert exit.value.code == 2
    # The cause in the system's words, once: not Python's "[Errno 2] ..." with the path again.
    err = capsys.readouterr().err
    assert unwrapped(err).strip().endswith("shot.png: cannot write the screenshot (No such file or directory)"), err


def test_the_window_runs_until_q_and_makes_held_keys_repeat(mnist_dir, monkeypatch):
    repeat = []
    monkeypatch.setattr(
        render,
        "run_window",
        lambda browser, real=render.run_window: repeat.append(pygame.key.get_repeat()) or real(browser),
    )
    pygame.display.init()
    for key in (pygame.K_DOWN, pygame.K_SPACE, pygame.K_q):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode="", mod=0, scancode=0))
    # If the loop ever ignored Q, closing the window after 20 s ends the test, failing it.
    fired = []
    timer = threading.Timer(20, lambda: fired.append(True) or pygame.event.post(pygame.event.Event(pygame.QUIT)))
    timer.start()
    try:
        assert render.main(["--data-dir", str(mnist_dir), "--set", "test"]) == 0
    finally:
        timer.cancel()
    assert fired == []
    assert repeat == [(REPEAT_DELAY_MS, REPEAT_INTERVAL_MS)]


# ---- a learner's first hour (issue 13) -----------------------------------------------------


def test_after_space_in_the_network_view_the_next_image_shows_the_network_view_again(model_browser):
    press(model_browser, pygame.K_p, pygame.K_SPACE)
    assert model_browser.view == "label"
    press(model_browser, pygame.K_DOWN)
    assert (model_browser.index, model_browser.view) == (1, "prediction")


def test_space_again_in_the_network_view_goes_back_to_the_bars(model_browser):
    press(model_browser, pygame.K_p, pygame.K_SPACE, pygame.K_SPACE)
    assert model_browser.view == "prediction"


def test_the_headline_rounds_the_answer_as_its_bar_does(model_browser, small_model, test_set):
    outputs = small_model.predict_proba(test_set[0])
    # An image whose answer is 99.5% to 99.95% sure: whole percent would say 100%, a tenth 99.x%.
    index = int(np.flatnonzero((outputs.max(axis=1) >= 0.995) & (outputs.max(axis=1) < 0.9995))[0])
    press(model_browser, *str(index + 1), pygame.K_RETURN, pygame.K_p)
    top = outputs[index].max()
    assert f"({top * 100:.1f}%)" in headline(model_browser.probabilities(), model_browser.label)
    assert percent(top) == f"{top * 100:.1f}%"


def test_the_headline_says_not_sure_when_no_digit_is_clearly_ahead(model_browser):
    press(model_browser, pygame.K_p)
    unsure = np.array([0.02, 0.01, 0.47, 0.43, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01], np.float32)
    model_browser.shown().readings[0] = unsure
    assert (
        headline(model_browser.probabilities(), model_browser.label)
        == f"not sure: maybe 2 (47.0%), label {model_browser.label}"
    )


@pytest.mark.parametrize("top, words", [(0.50051, "reads 2 (50.1%)"), (0.50049, "not sure: maybe 2 (50.0%)")])
def test_the_headline_calls_an_answer_sure_exactly_when_its_bar_shows_more_than_half(model_browser, top, words):
    # By hand: 50.051% shows as 50.1%, 50.049% as 50.0%.
    press(model_browser, pygame.K_p)
    outputs = np.zeros(10, np.float32)
    outputs[2], outputs[7] = top, 1 - top
    model_browser.shown().readings[0] = outputs
    assert headline(model_browser.probabilities(), model_browser.label).startswith(words)


@pytest.mark.parametrize("width", [140, 200, 260, 320, 560])
def test_in_a_narrow_window_the_status_line_keeps_clear_of_the_hint(model_browser, width):
    press(model_browser, pygame.K_p)
    surface = pygame.Surface((width, 300))
    model_browser.draw(surface)
    top = 300 - STATUS_HEIGHT + 5
    hint = pygame.Surface(pygame.font.Font(None, 22).size("H: keys"))
    hint.fill(STATUS_BACKGROUND)
    hint.blit(pygame.font.Font(None, 22).render("H: keys", True, BROWSER_FAINT), (0, 0))
    hint_left = width - 8 - hint.get_width()
    shown = pixels(surface)[top : top + hint.get_height(), hint_left : width - 8]
    band = pixels(surface)[top : top + hint.get_height()]
    inked = (np.abs(band.astype(int) - STATUS_BACKGROUND).sum(axis=2) > 60).any(axis=0)
    if width >= 200:  # room for both: the hint whole, and a clear gap before it
        assert np.array_equal(shown, pixels(hint))
        assert not inked[hint_left - 10 : hint_left].any()
    assert inked[:60].any()  # and the position is there, whatever the width


def key_event(kind, key, text=""):
    """A key event as the keyboard sends it (KEYDOWN or KEYUP)."""
    return pygame.event.Event(kind, key=key, unicode=text, mod=0, scancode=0)


def test_keys_repeated_while_the_network_reads_a_set_are_dropped(screen, mnist_dir, test_set, small_model, monkeypatch):
    browser = Browser(mnist_dir, "test", small_model, "", sets={"test": test_set})
    read = small_model.predict_proba

    def slow_read(images):
        # While the network reads: DOWN pressed and held (the keyboard repeats it four times),
        # let go, then pressed once more. Two presses: two images on.
        for kind in [pygame.KEYDOWN] * 5 + [pygame.KEYUP, pygame.KEYDOWN, pygame.KEYUP]:
            pygame.event.post(key_event(kind, pygame.K_DOWN))
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        return read(images)

    monkeypatch.setattr(small_model, "predict_proba", slow_read)
    pygame.event.post(key_event(pygame.KEYDOWN, pygame.K_p, "p"))

    browser_window.run_window(browser)

    assert browser.index == 2  # the repeats were dropped: one press, one action
    assert browser.probabilities is not None


def test_a_key_pressed_while_the_browser_is_busy_is_handled_after_it(
    screen, mnist_dir, test_set, small_model, monkeypatch
):
    # The learner presses B, and H a moment later while the network is still imagining.
    browser = Browser(mnist_dir, "test", small_model, "", sets={"test": test_set})
    show_busy, told = browser_window.BrowserWindow.show_busy, []

    def busy_and_h_pressed(window, text):
        show_busy(window, text)
        if not told:
            pygame.event.post(key_event(pygame.KEYDOWN, pygame.K_h, "h"))
            pygame.event.post(key_event(pygame.KEYUP, pygame.K_h, "h"))
            pygame.event.post(pygame.event.Event(pygame.QUIT))
        told.append(text)

    monkeypatch.setattr(browser_window.BrowserWindow, "show_busy", busy_and_h_pressed)
    pygame.event.post(key_event(pygame.KEYDOWN, pygame.K_b, "b"))

    browser_window.run_window(browser)

    assert told  # B was slow
    assert browser.view == "backquery" and browser.show_help


@pytest.mark.parametrize("scale", [1, 8, 14])
def test_at_a_small_scale_the_status_bar_is_wide_enough_and_no_line_runs_off_the_edge(mnist_dir, tmp_path, scale):
    path = tmp_path / "shot.png"
    # A long message on the second line: the index is past the end of the set.
    arguments = ["--data-dir", str(mnist_dir), "--index", "99999", "--scale", str(scale), "--screenshot", str(path)]
    assert render.main(arguments) == 0
    shot = pixels(pygame.image.load(str(path)))
    assert shot.shape[:2] == (28 * scale + STATUS_HEIGHT, 420)
    for top, bottom in ((5, 29), (29, STATUS_HEIGHT)):  # the two lines of the bar
        band = shot[28 * scale + top : 28 * scale + bottom]
        inked = (np.abs(band.astype(int) - STATUS_BACKGROUND).sum(axis=2) > 60).any(axis=0)
        assert inked.any() and not inked[-8:].any()  # written, and clear of the 8-pixel margin


def test_a_line_too_long_for_the_bar_is_cut_after_its_last_word_that_fits(screen):
    from myonn.windows.fonts import Fonts
    from myonn.windows.status_bar import cut_to_fit

    fonts = Fonts()
    text = "there is no image 99999: the train set has 60000; showing the last"
    # By brute force: the longest run of its first words that, with " ...", fits at size 16.
    words = text.split(" ")
    fitting = [
        k for k in range(1, len(words)) if pygame.font.Font(None, 16).size(" ".join(words[:k]) + " ...")[0] <= 200
    ]
    expected = pygame.font.Font(None, 16).render(" ".join(words[: max(fitting)]) + " ...", True, TEXT)
    cut = cut_to_fit(fonts, text, TEXT, 200)
    assert cut.get_width() <= 200
    assert np.array_equal(pixels(cut), pixels(expected))
    # A line that fits is left whole, at full size.
    whole = cut_to_fit(fonts, "train 1 / 60000", TEXT, 200)
    assert np.array_equal(pixels(whole), pixels(pygame.font.Font(None, 22).render("train 1 / 60000", True, TEXT)))


def test_a_number_being_typed_is_kept_first_after_the_position_when_the_line_is_full(model_browser):
    # In the network's view the first line is long (the label, the misses): what the learner
    # types must not be the part that gives way.
    press(model_browser, pygame.K_p, pygame.K_SPACE, "1", "5", "2")
    first, _ = model_browser.status_lines()
    assert first.startswith(f"{model_browser.position_text()}    go to 152_    ")


def test_the_window_sends_frames_while_the_dreams_form_and_none_once_formed(inside_browser, screen):
    from myonn.windows.view import FRAME

    window = browser_window.BrowserWindow(inside_browser)
    b = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_b, unicode="b", mod=0, scancode=0)
    window.process([b])
    pygame.time.wait(150)
    assert any(event.type == FRAME for event in pygame.event.get())
    inside_browser.settle()
    window.process([])
    pygame.event.get()
    pygame.time.wait(150)
    assert not any(event.type == FRAME for event in pygame.event.get())
