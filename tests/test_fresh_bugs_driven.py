"""The windows as a learner drives them: what each key, button and mode keeps, forgets and redraws.

Driven in-process with posted pygame events, as tests/test_render.py and tests/test_draw.py
do; the browser runs on the tiny MNIST folder (100 test and 300 training images), so that a
set is read, and switched, in a blink.
"""

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.windows import browser_window
from myonn.teaching import Teacher, read_taught
from myonn.windows.browser import Browser
from myonn.windows.draw_window import DrawWindow
from myonn.windows.drawing_pad import DrawingPad
from myonn.windows.palette import BROWSER_FAINT, MESSAGE_COLOUR
from myonn.windows.status_bar import STATUS_HEIGHT

from conftest import SHIPPED_MODEL
from test_render import key_event, pixels, press, screen  # noqa: F401  (fixtures and helpers)

# ---- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    """The shipped network, loaded once (quicker than training one): never teach or change it."""
    return NeuralNetwork.load(SHIPPED_MODEL)


@pytest.fixture(scope="module")
def first_tests(test_set):
    """The first 1,000 test images and labels: enough mistakes to step between, and read in a blink."""
    return test_set[0][:1000], test_set[1][:1000]


@pytest.fixture
def tiny_browser(screen, tiny_mnist_dir, shipped, first_tests):  # noqa: F811
    """A browser on the first 1,000 test images, with the shipped network; T loads the tiny training set."""
    return Browser(tiny_mnist_dir, "test", shipped, "model shipped", sets={"test": first_tests})


@pytest.fixture
def tiny_misses(shipped, first_tests):
    """The 0-based indices of those test images the shipped network reads wrong, ascending."""
    images, labels = first_tests
    misses = np.flatnonzero(shipped.predict(images) != labels)
    assert len(misses) >= 3  # enough to step between
    return [int(i) for i in misses]


def browse_a_cell(browser):
    """M, then ENTER: browse the images of the commonest mistake; return their indices."""
    press(browser, pygame.K_m, pygame.K_RETURN)
    assert browser.selection is not None
    return [int(i) for i in browser.selection.indices]


def test_t_leaves_a_cells_images_and_steps_through_the_whole_other_set(tiny_browser):
    browse_a_cell(tiny_browser)
    press(tiny_browser, pygame.K_t)
    assert tiny_browser.selection is None
    assert "read as" not in tiny_browser.status_lines()[0]
    start = tiny_browser.index
    press(tiny_browser, pygame.K_DOWN)
    assert tiny_browser.index == start + 1  # the next image of the set, not of a cell


@pytest.mark.parametrize("key", [pygame.K_g, pygame.K_n])
def test_a_screen_key_while_browsing_a_cell_leaves_the_cell(tiny_browser, key):
    cell = browse_a_cell(tiny_browser)
    press(tiny_browser, key)
    assert tiny_browser.selection is None
    press(tiny_browser, key)  # back to the digit: the arrows step through the whole set again
    press(tiny_browser, pygame.K_DOWN)
    assert tiny_browser.index == cell[0] + 1


def test_a_typed_jump_while_browsing_a_cell_leaves_the_cell(tiny_browser):
    browse_a_cell(tiny_browser)
    press(tiny_browser, "5", "0", pygame.K_RETURN)
    assert tiny_browser.index == 49 and tiny_browser.selection is None
    press(tiny_browser, pygame.K_DOWN)
    assert tiny_browser.index == 50


def test_r_on_a_set_of_two_images_always_shows_the_other(screen, tiny_mnist_dir, train_set):  # noqa: F811
    two = train_set[0][:2], train_set[1][:2]
    browser = Browser(tiny_mnist_dir, "train", sets={"train": two}, rng=np.random.default_rng(0))
    for expected in [1, 0] * 10:
        press(browser, pygame.K_r)
        assert browser.index == expected


def test_e_on_a_mistake_goes_on_to_the_next_one(tiny_browser, tiny_misses):
    tiny_browser.go_to(tiny_misses[0])
    press(tiny_browser, pygame.K_e)
    assert tiny_browser.index == tiny_misses[1]
    assert tiny_browser.message == f"mistake 2 of {len(tiny_misses)}"


def test_w_on_a_mistake_goes_back_to_the_one_before(tiny_browser, tiny_misses):
    tiny_browser.go_to(tiny_misses[2])
    press(tiny_browser, pygame.K_w)
    assert tiny_browser.index == tiny_misses[1]
    assert tiny_browser.message == f"mistake 2 of {len(tiny_misses)}"


def test_w_before_the_first_mistake_wraps_to_the_last(tiny_browser, tiny_misses):
    press(tiny_browser, pygame.K_HOME, pygame.K_w)
    assert tiny_browser.index == tiny_misses[-1]
    assert tiny_browser.message == f"mistake {len(tiny_misses)} of {len(tiny_misses)} (wrapped around)"


@pytest.mark.parametrize(
    "keys",
    [[pygame.K_DOWN], [pygame.K_SPACE], [pygame.K_t], [pygame.K_h], [pygame.K_p], ["4"], ["4", pygame.K_BACKSPACE]],
    ids=["DOWN", "SPACE", "T", "H", "P", "a digit typed", "BACKSPACE"],
)
def test_a_key_that_changes_what_is_shown_asks_for_a_new_frame(tiny_browser, keys):
    press(tiny_browser, *keys[:-1])
    before = (tiny_browser.set_name, tiny_browser.index, tiny_browser.view, tiny_browser.show_help, tiny_browser.typed)
    assert press(tiny_browser, keys[-1]) is True
    after = (tiny_browser.set_name, tiny_browser.index, tiny_browser.view, tiny_browser.show_help, tiny_browser.typed)
    assert after != before


def test_a_typed_number_stops_at_six_digits(tiny_browser):
    """No set holds a million images: a seventh digit typed is not taken."""
    press(tiny_browser, *"1234567")
    assert tiny_browser.typed == "123456"
    assert "go to 123456_" in tiny_browser.status_lines()[0]


def colours_in(surface, rect):
    """The set of colours drawn in `rect` of `surface`."""
    block = pixels(surface)[rect.top : rect.bottom, rect.left : rect.right].reshape(-1, 3)
    return {tuple(int(v) for v in colour) for colour in np.unique(block, axis=0)}


def second_line(surface):
    """Where the status bar's second line is drawn (see status_bar: 29 pixels under the bar's top)."""
    top = surface.get_height() - STATUS_HEIGHT + 29
    return pygame.Rect(0, top, surface.get_width(), surface.get_height() - top)


def test_the_status_bar_writes_news_in_colour_and_the_model_note_in_grey(tiny_browser, screen):  # noqa: F811
    tiny_browser.draw(screen)
    note = colours_in(screen, second_line(screen))
    assert BROWSER_FAINT in note and MESSAGE_COLOUR not in note
    press(tiny_browser, pygame.K_UP)  # "this is the first image": news
    tiny_browser.draw(screen)
    news = colours_in(screen, second_line(screen))
    assert MESSAGE_COLOUR in news and BROWSER_FAINT not in news


def test_the_help_box_is_drawn_over_the_middle_of_the_window(tiny_browser, screen):  # noqa: F811
    tiny_browser.draw(screen)
    before = pixels(screen).copy()
    press(tiny_browser, pygame.K_h)
    tiny_browser.draw(screen)
    changed = np.argwhere((pixels(screen) != before).any(axis=2))
    (top, left), (bottom, right) = changed.min(axis=0), changed.max(axis=0)
    centre_x, centre_y = screen.get_width() / 2, screen.get_height() / 2
    assert abs((left + right + 1) / 2 - centre_x) <= 1 and abs((top + bottom + 1) / 2 - centre_y) <= 1


def test_a_key_held_down_while_the_set_it_asked_for_is_read_acts_once(tiny_browser):
    """P held: the keyboard repeats it while the network reads the set; one press, one P."""
    browser = tiny_browser
    window = browser_window.BrowserWindow(browser)
    show_busy = window.show_busy

    def busy_while_p_repeats(text):
        show_busy(text)
        for _ in range(3):
            pygame.event.post(key_event(pygame.KEYDOWN, pygame.K_p, "p"))
        pygame.event.post(key_event(pygame.KEYUP, pygame.K_p, "p"))

    browser.on_busy = busy_while_p_repeats
    window.process([key_event(pygame.KEYDOWN, pygame.K_p, "p")])
    assert browser.view == "prediction"


def test_the_busy_message_goes_once_the_set_is_loaded(tiny_browser):
    browser = tiny_browser
    window = browser_window.BrowserWindow(browser)
    window.process([key_event(pygame.KEYDOWN, pygame.K_t, "t")])
    assert browser.set_name == "train"
    assert browser.status_lines()[1] == "model shipped"


# ---- the draw window ----------------------------------------------------------------------


@pytest.fixture
def pad(shipped, draw_screen):
    """A canvas read by the shipped network, without lessons."""
    return DrawingPad(shipped)


@pytest.fixture
def window(pad):
    return DrawWindow(pad)


@pytest.fixture
def teaching_window(draw_screen, tmp_path, train_set):
    """A window whose digit keys teach a fresh copy of the shipped network, in the test's tmp_path."""
    network = NeuralNetwork.load(SHIPPED_MODEL)
    teacher = Teacher(
        network, SHIPPED_MODEL, folder=tmp_path / "my_digits", save_to=tmp_path / "taught.npz", mnist_digits=train_set
    )
    return DrawWindow(DrawingPad(network, teacher=teacher))


def click(window, point, button=1):
    """A press and release of `button` at canvas pixel `point`, handled as one frame."""
    at = (point[0] + window.canvas_rect.x, point[1] + window.canvas_rect.y)
    window.process(
        [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at, button=button),
        ]
    )


def key_down(window, key, mod=0):
    window.process([pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="")])


def test_after_the_right_button_is_let_go_the_left_button_draws_at_once(pad, window):
    """No mouse move between them: the eraser's stroke must end at its own button's release."""
    pad.trace([(100, 224), (340, 224)])
    click(window, (220, 224), button=3)
    assert pad.stroke is None
    click(window, (224, 80))
    assert pad.canvas[80, 224] == 255


def test_erasing_after_a_reading_rubs_out_only_under_the_eraser(pad, window):
    pad.trace([(100, 224), (340, 224)])
    key_down(window, pygame.K_SPACE)
    assert pad.is_read
    click(window, (300, 224), button=3)
    assert pad.canvas[224, 300] == 0 and pad.canvas[224, 120] == 255  # the rest of the digit stays


def test_ctrl_z_on_a_blank_canvas_brings_back_each_digit_cleared_in_turn(pad, window):
    pad.trace([(224, 80), (224, 370)])
    first = pad.canvas.copy()
    key_down(window, pygame.K_c)
    pad.trace([(80, 300), (380, 300)])
    second = pad.canvas.copy()
    key_down(window, pygame.K_c)
    key_down(window, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, second)
    key_down(window, pygame.K_z, pygame.KMOD_LCTRL)  # its one stroke taken back
    assert pad.is_empty()
    key_down(window, pygame.K_z, pygame.KMOD_LCTRL)  # and the digit cleared before it comes back
    assert np.array_equal(pad.canvas, first)


def test_ctrl_z_keeps_a_dot_made_by_one_click(pad, window):
    """A stroke of one point is a dot: painting the strokes left again after an undo keeps it."""
    click(window, (100, 100))
    assert pad.canvas[100, 100] == 255
    pad.trace([(300, 300), (350, 350)])
    key_down(window, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.canvas[100, 100] == 255 and pad.canvas[320, 320] == 0


@pytest.mark.parametrize("shift", [pygame.KMOD_LSHIFT, pygame.KMOD_RSHIFT], ids=["left", "right"])
def test_either_shift_with_k_brings_every_hidden_node_back(pad, window, shift):
    key_down(window, pygame.K_k)
    assert pad.silenced.any()
    key_down(window, pygame.K_k, shift)
    assert not pad.silenced.any()


@pytest.mark.parametrize(
    "mod",
    [pygame.KMOD_LCTRL, pygame.KMOD_RCTRL, pygame.KMOD_LALT, pygame.KMOD_LMETA],
    ids=["lctrl", "rctrl", "alt", "meta"],
)
def test_a_digit_key_with_ctrl_alt_or_meta_teaches_nothing(teaching_window, tmp_path, mod):
    pad = teaching_window.pad
    pad.trace([(224, 80), (224, 370)])
    key_down(teaching_window, pygame.K_SPACE)
    key_down(teaching_window, pygame.K_7, mod)
    assert pad.taught is None and pad.teacher.lessons == []
    assert not (tmp_path / "my_digits").exists()


def test_a_lesson_makes_n_remember_the_training_digits_again(teaching_window):
    """N's training digits are remembered by their hidden outputs, which a lesson changes."""
    pad, nearest = teaching_window.pad, teaching_window.views["nearest"]
    nearest.found = "remembered before the lesson"  # as if the thread had brought them
    pad.trace([(224, 80), (224, 370)])
    key_down(teaching_window, pygame.K_SPACE)
    key_down(teaching_window, pygame.K_1)
    assert pad.taught == 1
    assert nearest.found is None  # remembered again, for the network as it is now, when next shown


# ---- the training window ------------------------------------------------------------------


def test_screenshot_of_a_one_epoch_run_is_drawn_at_its_end(tmp_path, tiny_mnist_dir):
    """--screenshot draws the --watch window halfway, rounded up: after epoch 1 of 1."""
    import mnist_train

    picture = tmp_path / "watch.png"
    arguments = ["--epochs", "1", "--hidden", "16", "--quiet", "--data-dir", str(tiny_mnist_dir)]
    assert mnist_train.main([*arguments, "--output", str(tmp_path / "m.npz"), "--screenshot", str(picture)]) == 0
    assert pygame.image.load(str(picture)).get_size() == (1200, 720)


def test_a_second_lesson_in_the_same_window_is_learned_and_kept_after_the_first(teaching_window, tmp_path):
    """The first lesson saves the taught network; the next one goes on teaching it, not refused as another's."""
    pad = teaching_window.pad
    for digit, points in [(1, [(224, 80), (224, 370)]), (7, [(120, 100), (330, 100), (200, 380)])]:
        key_down(teaching_window, pygame.K_c)
        pad.trace(points)
        key_down(teaching_window, pygame.K_SPACE)
        key_down(teaching_window, getattr(pygame, f"K_{digit}"))
        assert pad.taught == digit, pad.message
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [1, 7]
    assert len(pad.teacher.lessons) == 2 and (tmp_path / "taught.npz").exists()
