"""The windows' promises that a fresh list of one-line bugs found unguarded, each worked out by hand.

Each test was written for a realistic slip (a swapped colour, a dropped copy, a wrong
variable) that the rest of the suite let through, and checked to fail on it; three more
pin a fix (N and T named 200 hidden nodes whatever the network had). They drive the
browser and the draw window headless, on small made-up sets, with an untrained network
of 16 hidden nodes: no reading skill is needed, and no MNIST.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from test_pictures_pinned import cell_colour, grid_of

from myonn import NeuralNetwork, inside
from myonn.nearest import SHOWN
from myonn.windows import browser_window
from myonn.windows.browsed_sets import Shown
from myonn.windows.browser import Browser
from myonn.windows.confusion_matrix_view import ConfusionMatrix
from myonn.windows.draw_window import WINDOW, DrawWindow
from myonn.windows.drawing_pad import DrawingPad, Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import ANSWER_BAR, BACKGROUND, FRAME, OTHER_BAR, PAPER, RIGHT, WRONG
from myonn.windows.prediction_view import PredictionView


@pytest.fixture(scope="module")
def untrained():
    """A network that has learned nothing (it need not read well here), quick to make."""
    return NeuralNetwork(784, 16, 10, seed=0)


def key_event(kind, key, text=""):
    """A key event as the keyboard sends it."""
    return pygame.event.Event(kind, key=key, unicode=text, mod=0, scancode=0)


def sets_of(train_ink: int, test_ink: int, count: int = 20):
    """A training and a test set of `count` images each, every image filled with one ink level, labels 0-9 in turn."""
    labels = (np.arange(count) % 10).astype(np.uint8)
    return {
        "train": (np.full((count, 28, 28), train_ink, np.uint8), labels),
        "test": (np.full((count, 28, 28), test_ink, np.uint8), labels.copy()),
    }


# ---- the browser on the display ----------------------------------------------------------------


def test_a_key_held_down_before_the_network_reads_a_set_acts_once_not_again_for_its_repeats(
    browser_screen, untrained, monkeypatch
):
    # P is pressed and held: while the network reads the set, the keyboard repeats it
    # three times, then it is let go. One press, one action: the network's view stays.
    browser = Browser("", "test", untrained, "", sets=sets_of(0, 0))
    window = browser_window.BrowserWindow(browser)
    read = untrained.predict_proba

    def slow_read(images):
        for kind in [pygame.KEYDOWN] * 3 + [pygame.KEYUP]:
            pygame.event.post(key_event(kind, pygame.K_p, "p"))
        return read(images)

    monkeypatch.setattr(untrained, "predict_proba", slow_read)
    window.process([key_event(pygame.KEYDOWN, pygame.K_p, "p")])
    assert browser.view == "prediction"


def test_the_busy_message_leaves_the_status_line_once_the_slow_work_is_done(browser_screen, untrained):
    browser = Browser("", "test", untrained, "", sets=sets_of(0, 0))
    window = browser_window.BrowserWindow(browser)
    told = []
    show_busy = window.show_busy
    window.browser.on_busy = lambda text: told.append(text) or show_busy(text)
    window.process([key_event(pygame.KEYDOWN, pygame.K_p, "p")])
    assert told  # the network read the set, and the window said so meanwhile
    assert browser.message == ""  # P has no news of its own once done
    assert told[0] not in browser.status_lines()[1]


# ---- P: the network's reading -------------------------------------------------------------------


def test_p_fills_the_bar_of_a_wrong_answer_red_not_green():
    pygame.font.init()
    surface = pygame.Surface((600, 400))
    outputs = np.zeros(10, np.float32)
    outputs[2] = 1.0  # reads 2, wholly; the label is 6
    PredictionView(None, Fonts(), None).draw_bars(surface, pygame.Rect(0, 0, 600, 400), outputs, 6)
    pixels = pygame.surfarray.array3d(surface)  # (x, y, rgb)

    def longest_run(colour):
        """The most pixels of `colour` in any one row: a full bar's length, or a short stretch of text or frame."""
        return int((pixels == colour).all(axis=2).sum(axis=0).max())

    # The answer's bar is full: red across most of the 600 pixels, and no bar's worth of green.
    assert longest_run(WRONG) > 300
    assert (pixels == RIGHT).all(axis=2).sum() < 0.5 * (pixels == WRONG).all(axis=2).sum()


# ---- B: what the network imagines ---------------------------------------------------------------


def test_b_averages_the_set_shown_after_t_not_the_set_it_first_averaged(browser_screen):
    # The training images are blank, the test images inked all over: their averages are
    # blank and inked all over (straightening moves nothing in either).
    network = NeuralNetwork(784, 16, 10, seed=0)
    browser = Browser("", "train", network, "", sets=sets_of(0, 255))
    imagined = browser.screens["backquery"]  # B's screen (its dreams, slow to start, are not looked at here)
    assert imagined.averages()[:, 14, 14].max() == 0
    browser.press(pygame.K_t, "t")
    assert browser.set_name == "test"
    assert (imagined.averages()[:, 14, 14] == 255).all()


# ---- the draw window -------------------------------------------------------------------------------


@pytest.fixture
def tall_draw_screen():
    """A surface 100 pixels taller than the draw window, on SDL's dummy video driver: what runs past its foot shows."""
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((WINDOW[0], WINDOW[1] + 100))
    pygame.event.clear()
    yield surface
    pygame.quit()


@pytest.fixture
def draw_window(tall_draw_screen, untrained):
    """The draw window around a blank canvas, read by the untrained network."""
    return DrawWindow(DrawingPad(untrained))


def test_everything_the_draw_window_writes_under_the_canvas_ends_inside_the_window(draw_window, tall_draw_screen):
    draw_window.draw(tall_draw_screen)
    pixels = pygame.surfarray.array3d(tall_draw_screen)  # (x, y, rgb)
    assert (pixels[:, WINDOW[1] :] == BACKGROUND).all()  # nothing below the window's foot
    assert (pixels[:, draw_window.canvas_rect.bottom + 44 : WINDOW[1]] != BACKGROUND).any()  # the keys' line is there


def test_the_knocked_out_note_stands_above_the_canvas_and_leaves_the_canvas_blank(draw_window, tall_draw_screen):
    draw_window.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_k, mod=0, unicode="k"))
    draw_window.pad.message = ""  # only the note over the canvas is looked at here
    draw_window.draw(tall_draw_screen)
    pixels = pygame.surfarray.array3d(tall_draw_screen).astype(int)
    canvas = draw_window.canvas_rect
    assert (pixels[canvas.left : canvas.right, canvas.top : canvas.bottom] == 255).all()  # a blank canvas, white
    reddish = (pixels[:, :, 0] > pixels[:, :, 1] + 60) & (pixels[:, :, 0] > pixels[:, :, 2] + 60)
    assert reddish[canvas.left :, : canvas.top - 1].sum() > 20  # the note, in the warning's red, above the frame


def test_ctrl_z_brings_back_each_cleared_digit_in_turn_the_last_cleared_first(untrained):
    pad = DrawingPad(untrained)
    pad.trace([(100, 100), (100, 300)])  # a 1 on the left
    first = pad.canvas.copy()
    pad.clear()
    pad.trace([(300, 100), (300, 300)])  # a 1 on the right
    second = pad.canvas.copy()
    pad.clear()
    pad.undo()
    assert np.array_equal(pad.canvas, second)  # the last digit cleared comes back
    pad.undo()
    assert not pad.canvas.any()  # its one stroke taken back: a blank canvas, nothing cleared by that
    pad.undo()
    assert np.array_equal(pad.canvas, first)  # then the digit cleared before it
    pad.undo()
    pad.undo()
    assert not pad.canvas.any()  # nothing more to bring back


def test_i_draws_a_node_s_positive_outgoing_weights_red_rightwards_and_its_negative_ones_blue_leftwards(
    tall_draw_screen,
):
    network = NeuralNetwork(784, 16, 10, seed=0)
    node = 3
    network.wih[node] = 0.0  # its picture all white: the only red and blue drawn are its ten bars
    network.who[:, node] = [1, 1, 1, 1, 1, -1, -1, -1, -1, -1]  # for 0 to 4, against 5 to 9
    window = DrawWindow(DrawingPad(network))
    window.show("inside")
    cell = window.views["inside"].cell_rect(node)
    window.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=cell.center, rel=(0, 0), buttons=(0, 0, 0)))
    window.draw(tall_draw_screen)
    pixels = pygame.surfarray.array3d(tall_draw_screen)
    red = np.argwhere((pixels == inside.POSITIVE).all(axis=2))  # (x, y) each
    blue = np.argwhere((pixels == inside.NEGATIVE).all(axis=2))
    assert len(red) and len(blue)
    assert red[:, 0].min() >= blue[:, 0].max()  # red right of the middle line, blue left of it
    assert red[:, 1].max() < blue[:, 1].min()  # the bars of 0 to 4 above those of 5 to 9


def test_w_writes_its_title_and_subtitle_above_the_map_not_under_it(draw_window, tall_draw_screen):
    draw_window.pad.trace([(200, 80), (220, 380)])
    draw_window.pad.read()
    draw_window.show("why")
    draw_window.draw(tall_draw_screen)
    pixels = pygame.surfarray.array3d(tall_draw_screen).astype(int)
    panel = draw_window.panel_rect
    framed = (pixels == FRAME).all(axis=2)
    # The map's frame: the first row of the panel with a line of frame colour as wide as the 252-pixel map.
    frame_top = next(y for y in range(panel.top, panel.bottom) if framed[panel.left : panel.right, y].sum() >= 252)
    written = [y for y in range(panel.top, frame_top) if (pixels[panel.left : panel.right, y] != BACKGROUND).any()]
    assert len(written) >= 20  # two lines of writing (26 and 22 pixels high) stand over the map


# ---- words that name the network's size ----------------------------------------------------------


@pytest.fixture
def written(monkeypatch):
    """Every text pygame renders from now on, in order (put in place before a window's fonts are made)."""
    texts: list[str] = []

    class RecordingFont(pygame.font.Font):
        def render(self, text, *args):
            texts.append(text)
            return super().render(text, *args)

    monkeypatch.setattr(pygame.font, "Font", RecordingFont)
    return texts


def test_n_in_the_browser_counts_the_hidden_nodes_of_the_network_it_has(browser_screen, untrained, written):
    browser = Browser("", "train", untrained, "", sets=sets_of(0, 0))
    browser.press(pygame.K_n, "n")
    browser.draw(browser_screen)
    captions = [text for text in written if "nearest to this one" in text]
    assert captions and all("by its 16 hidden nodes" in text for text in captions)  # the network has 16, not 200


def test_n_in_the_draw_window_counts_the_hidden_nodes_of_the_network_it_has(
    tall_draw_screen, untrained, written, tmp_path
):
    window = DrawWindow(DrawingPad(untrained), data_dir=tmp_path)  # no MNIST there: the words above it only
    window.pad.trace([(200, 80), (220, 380)])
    window.pad.read()
    window.show("nearest")
    window.draw(tall_draw_screen)
    assert "sees them (its 16 hidden nodes)" in written


def test_t_names_the_sizes_of_the_network_it_steps(tall_draw_screen, untrained, written):
    window = DrawWindow(DrawingPad(untrained))
    window.pad.trace([(200, 80), (220, 380)])
    window.pad.read()
    window.show("learn")
    window.draw(tall_draw_screen)
    for words in ("hidden_outputs (16)", "hidden_errors (16, signed)", "delta who (10x16)"):
        assert words in written


# ---- the answer beside the canvas, and S's steps -----------------------------------------------------


def test_the_answer_s_bar_is_blue_and_the_other_digits_bars_grey(draw_window, tall_draw_screen):
    probabilities = np.zeros(10, np.float32)
    probabilities[2], probabilities[7] = 0.6, 0.4  # reads 2; 7 a close second
    canvas = np.zeros((448, 448), np.uint8)
    reading = Reading(canvas, probabilities, None, None, None, np.zeros(16, bool), True, False)
    panel = draw_window.answer_panel
    panel.draw_bars(tall_draw_screen, reading, draw_window.panel_rect)
    bars = panel.bar_rects()
    filled = [tuple(tall_draw_screen.get_at((bar.left + 3, bar.centery)))[:3] for bar in bars]  # near each bar's start
    assert filled[2] == ANSWER_BAR
    assert filled[7] == OTHER_BAR


def test_the_answer_panel_writes_its_percentages_inside_the_panel(draw_window, tall_draw_screen):
    draw_window.pad.trace([(200, 80), (220, 380)])
    draw_window.pad.read()
    draw_window.draw(tall_draw_screen)
    pixels = pygame.surfarray.array3d(tall_draw_screen)
    panel = draw_window.panel_rect
    assert (pixels[panel.right :, : WINDOW[1]] == BACKGROUND).all()  # nothing in the margin right of the panel
    bars = draw_window.answer_panel.bar_rects()
    beside_bars = pixels[bars[0].right : panel.right, bars[0].top : bars[-1].bottom]
    assert (beside_bars != BACKGROUND).any()  # the percentages, right of the bars


def test_s_s_steps_stand_apart_their_frames_not_touching(draw_window):
    rects = draw_window.views["steps"].image_rects()
    frames = [rect.inflate(2, 2) for rect in rects]
    assert all(a.bottom < b.top for a, b in zip(frames, frames[1:]))


def test_n_in_the_browser_shows_the_image_and_every_one_of_its_nearest_training_images(
    browser_screen, untrained, written
):
    browser = Browser("", "test", untrained, "", sets=sets_of(0, 0))
    browser.press(pygame.K_n, "n")
    browser.draw(browser_screen)
    assert sum(text.startswith("this: label") for text in written) == 1
    assert sum("(train " in text for text in written) == SHOWN  # none left without a place


def test_under_t_a_warning_still_takes_the_line_under_the_canvas(tall_draw_screen, untrained, written):
    window = DrawWindow(DrawingPad(untrained))
    window.show("learn")
    window.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" "))  # nothing drawn yet
    window.draw(tall_draw_screen)
    assert "Draw a digit first, then press SPACE" in written


# ---- M: the confusion matrix ---------------------------------------------------------------------


def test_m_colours_a_rare_mistake_by_the_square_root_of_its_share():
    # 100 images of 4: 99 read right, one read as 9. Its share, 0.01, has a square root of
    # 0.1, three times that is 0.3 of the colour, and the colour is laid on at 60% at most:
    # each channel goes 0.18 of the way from white to WRONG (200, 35, 35): (245, 215, 215).
    labels = np.full(100, 4, np.uint8)
    readings = np.eye(10, dtype=np.float32)[[4] * 99 + [9]]
    shown = Shown("test", np.zeros((100, 28, 28), np.uint8), labels, 0, readings)
    pygame.font.init()
    surface = pygame.Surface((560, 560))
    surface.fill(PAPER)
    ConfusionMatrix(lambda: shown, Fonts(), lambda selection: None, lambda text: None).draw(surface, surface.get_rect())
    grid = grid_of(surface)
    assert cell_colour(surface, grid, 4, 9) == pytest.approx((245, 215, 215), abs=1)
