"""mnist_draw.py: the window where a digit is drawn with the mouse and read by the network.

The real app runs headless (SDL's dummy video driver, set in conftest.py): the tests
post real pygame mouse and key events, let the app handle them a frame at a time as
its main loop does, and look at the canvas, the answer and the pixels of the frame.
"""

import math
import subprocess
import sys

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.preprocess import to_mnist
from myonn.answer import whole_percentages
from myonn.windows.answer_panel import PREVIEW_SCALE
from myonn.windows.brush import paint_segment
from myonn.windows.demo_strokes import DEMO_STROKE
from myonn.windows.draw_window import MARGIN, WINDOW, DrawWindow
from myonn.windows.drawing_pad import CANVAS, DrawingPad
from myonn.windows.loop import run as run_window
from myonn.windows.palette import ANSWER_BAR, KNOCKED_OUT, LIT, PAPER, UNLIT
from myonn.windows.why_view import WhyView

from conftest import ROOT, one_message, unwrapped

SCRIPT = ROOT / "mnist_draw.py"


@pytest.fixture(scope="module")
def app():
    """The script, imported as a module (pyproject lists it as one), for its main."""
    import mnist_draw

    return mnist_draw


@pytest.fixture
def screen(draw_screen):
    """The app's window (conftest's `draw_screen`)."""
    return draw_screen


@pytest.fixture
def pad(small_model, screen):
    """The canvas and its reading."""
    return DrawingPad(small_model)


@pytest.fixture
def window(pad):
    """The window around the pad, driven by events."""
    return DrawWindow(pad)


def frame(window, screen):
    """One turn of the main loop: handle the queued events, then draw the frame."""
    window.process(pygame.event.get())
    window.draw(screen)


def on_screen(window, point):
    """The window position of canvas pixel `point` (x, y)."""
    return point[0] + window.canvas_rect.x, point[1] + window.canvas_rect.y


def press(window, point, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=on_screen(window, point), button=button))


def move(window, point, button=1):
    buttons = tuple(int(b == button) for b in (1, 2, 3))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=on_screen(window, point), rel=(0, 0), buttons=buttons))


def release(window, point, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=on_screen(window, point), button=button))


def stroke(window, screen, points, button=1):
    """Drag with `button` through canvas `points`, one frame per event, like a fast hand."""
    press(window, points[0], button)
    frame(window, screen)
    for point in points[1:]:
        move(window, point, button)
        frame(window, screen)
    release(window, points[-1], button)
    frame(window, screen)


def key(window, screen, key, mod=pygame.KMOD_NONE):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod))
    frame(window, screen)


def draw_a_one(window, screen):
    stroke(window, screen, [(224, 80), (224, 370)])


def points_along(start, end, count=2000):
    """Evenly spaced points from `start` to `end`, rounded to pixels (x, y)."""
    t = np.linspace(0, 1, count)[:, None]
    return np.rint(np.asarray(start) * (1 - t) + np.asarray(end) * t).astype(int)


# ---- the brush ------------------------------------------------------------------------------


def test_a_click_paints_a_round_dot_as_wide_as_the_brush(pad, window, screen):
    press(window, (200, 150))
    release(window, (200, 150))
    frame(window, screen)
    rows, cols = np.nonzero(pad.canvas)
    assert cols.max() - cols.min() + 1 == pad.brush
    assert rows.max() - rows.min() + 1 == pad.brush
    disc = np.pi * (pad.brush / 2) ** 2
    assert abs(len(rows) - disc) < 0.05 * disc  # round, not square (a square would be 27% more)


def test_a_fast_stroke_leaves_no_gaps(pad, window, screen):
    start, end = (30, 40), (410, 380)  # across the canvas in a single motion event
    stroke(window, screen, [start, end])
    direction = np.subtract(end, start) / np.hypot(*np.subtract(end, start))
    across = np.array([-direction[1], direction[0]])
    for offset in np.linspace(-(pad.brush / 2 - 1), pad.brush / 2 - 1, 9):
        shifted = np.add(start, offset * across), np.add(end, offset * across)
        xs, ys = points_along(*shifted).T
        assert (pad.canvas[ys, xs] == 255).all(), f"gap {offset:+.1f} px off the stroke's middle"


def test_a_stroke_goes_through_every_mouse_position(pad, window, screen):
    stroke(window, screen, [(50, 50), (400, 50), (400, 400)])
    for start, end in (((50, 50), (400, 50)), ((400, 50), (400, 400))):
        xs, ys = points_along(start, end).T
        assert (pad.canvas[ys, xs] == 255).all()
    assert pad.canvas[225, 225] == 0  # it turned the corner instead of cutting across


def test_a_segment_paints_exactly_the_pixels_within_half_the_brush_of_it_and_no_further_past_its_ends():
    """The capsule by its definition, pixel by pixel: the distance from each pixel centre to the segment
    (projected onto it, the projection held between its two ends), for an odd and an even brush."""
    for diameter, start, end in ((9, (10, 12), (30, 22)), (10, (28, 8), (12, 30))):
        canvas = np.zeros((40, 40), np.uint8)
        paint_segment(canvas, start, end, diameter, 255)
        shift = 0.5 if diameter % 2 == 0 else 0.0  # an even brush is centred on the mouse pixel's corner
        (ax, ay), (bx, by) = (start[0] - shift, start[1] - shift), (end[0] - shift, end[1] - shift)
        expected = np.zeros_like(canvas)
        for y in range(40):
            for x in range(40):
                along = ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
                along = min(max(along, 0.0), 1.0)
                near_x, near_y = ax + along * (bx - ax), ay + along * (by - ay)
                if (x - near_x) ** 2 + (y - near_y) ** 2 <= (diameter / 2) ** 2 + 1e-6:
                    expected[y, x] = 255
        assert np.array_equal(canvas, expected), diameter


def test_a_press_outside_the_canvas_draws_nothing(pad, window, screen):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window.answer_panel.preview_rect.center, button=1))
    move(window, (200, 200))
    frame(window, screen)
    assert pad.is_empty()
    assert pad.strokes == []


def test_a_stroke_ends_when_its_button_is_no_longer_held(pad, window, screen):
    press(window, (100, 100))
    frame(window, screen)
    move(window, (300, 100), button=None)  # the release was lost, e.g. outside the window
    frame(window, screen)
    assert pad.canvas[100, 300] == 0
    assert pad.stroke is None


def test_the_eraser_is_wider_than_the_brush(pad, window, screen):
    for y in range(100, 340, 20):  # a field of ink
        stroke(window, screen, [(60, y), (380, y)])
    assert pad.canvas[150:290, 150:290].all()

    press(window, (220, 220), button=3)
    release(window, (220, 220), button=3)
    frame(window, screen)

    erased = np.flatnonzero(pad.canvas[220, 100:340] == 0)
    assert len(erased) > pad.brush  # a dot wider than the pen's, in one piece
    assert erased[-1] - erased[0] + 1 == len(erased)


def test_the_right_button_erases(pad, window, screen):
    stroke(window, screen, [(60, 200), (380, 200)])
    stroke(window, screen, [(220, 100), (220, 300)], button=3)
    assert (pad.canvas[200, 215:226] == 0).all()
    assert pad.canvas[200, 80] == 255 and pad.canvas[200, 360] == 255


# ---- keys -----------------------------------------------------------------------------------


def test_ctrl_z_undoes_the_last_stroke(pad, window, screen):
    stroke(window, screen, [(100, 100), (300, 120)])
    before = pad.canvas.copy()
    stroke(window, screen, [(100, 300), (300, 250)])
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, before)
    assert len(pad.strokes) == 1


def test_ctrl_z_undoes_an_erasure(pad, window, screen):
    stroke(window, screen, [(60, 200), (380, 200)])
    before = pad.canvas.copy()
    stroke(window, screen, [(220, 100), (220, 300)], button=3)
    key(window, screen, pygame.K_z, pygame.KMOD_RCTRL)
    assert np.array_equal(pad.canvas, before)


def test_ctrl_z_while_the_button_is_held_takes_back_the_stroke_and_the_pen_draws_no_more(pad, window, screen):
    press(window, (100, 100))
    move(window, (200, 200))
    frame(window, screen)
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.is_empty() and pad.strokes == []
    move(window, (300, 300))  # the button still held: the stroke taken back does not go on
    release(window, (300, 300))
    frame(window, screen)
    assert pad.is_empty()


def test_ctrl_z_after_two_traced_strokes_leaves_the_first(pad):
    pad.trace([(60, 60), (60, 300)])
    first = pad.canvas.copy()
    pad.trace([(300, 60), (300, 300)])
    pad.undo()
    assert np.array_equal(pad.canvas, first) and first.any()
    pad.clear()
    pad.undo()  # the cleared digit comes back, stroke by stroke
    assert np.array_equal(pad.canvas, first)


def test_z_without_ctrl_undoes_nothing(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_z)
    assert len(pad.strokes) == 1 and not pad.is_empty()


@pytest.mark.parametrize("clear_key", [pygame.K_c, pygame.K_BACKSPACE], ids=["C", "BACKSPACE"])
def test_c_and_backspace_clear_the_canvas(pad, window, screen, clear_key):
    draw_a_one(window, screen)
    key(window, screen, clear_key)
    assert pad.is_empty()
    assert pad.strokes == [] and pad.answer is None


def test_space_reads_the_digit_through_to_mnist(pad, window, screen, small_model):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    expected = small_model.predict_proba(to_mnist(pad.canvas))[0]
    assert pad.is_read
    assert np.allclose(pad.probabilities, expected)
    assert pad.answer == expected.argmax()


def test_space_after_a_read_clears_the_canvas_for_the_next_digit(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_SPACE)
    assert pad.is_empty() and pad.strokes == []
    assert not pad.is_read and pad.answer is None


def test_drawing_after_a_read_makes_space_read_again(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    stroke(window, screen, [(180, 90), (224, 80)])
    key(window, screen, pygame.K_SPACE)
    assert pad.is_read and not pad.is_empty()


def test_space_on_an_empty_canvas_says_to_draw_first(pad, window, screen):
    key(window, screen, pygame.K_SPACE)
    text, _ = pad.prompt()
    assert "draw a digit first" in text.lower()
    assert not pad.is_read and pad.answer is None


def test_the_answer_percentages_add_up_to_100():
    rng = np.random.default_rng(0)
    for probabilities in rng.dirichlet(np.full(10, 0.3), 500).astype(np.float32):
        percents = whole_percentages(probabilities)
        assert sum(percents) == 100
        assert np.all(np.abs(np.array(percents) - probabilities * 100) < 1)


@pytest.mark.parametrize(
    "probabilities, percents",
    [
        ([0.334, 0.333, 0.333], [34, 33, 33]),  # 33.4, 33.3, 33.3: the missing point to the largest remainder
        ([0.456, 0.444, 0.1], [46, 44, 10]),
        ([0.0049, 0.9951, 0.0], [0, 100, 0]),
        ([0.125, 0.125, 0.125, 0.125, 0.5], [13, 13, 12, 12, 50]),  # equal remainders: the first ones
    ],
)
def test_percentages_are_rounded_by_largest_remainders(probabilities, percents):
    assert whole_percentages(np.array(probabilities, np.float32)) == percents


# ---- live mode ------------------------------------------------------------------------------


def test_live_mode_follows_the_drawing_while_the_button_is_held(pad, window, screen, small_model):
    press(window, (224, 80))
    move(window, (224, 250))
    frame(window, screen)
    first = pad.probabilities.copy()
    assert np.allclose(first, small_model.predict_proba(to_mnist(pad.canvas))[0])
    move(window, (120, 380))
    frame(window, screen)
    assert np.allclose(pad.probabilities, small_model.predict_proba(to_mnist(pad.canvas))[0])
    assert not np.allclose(pad.probabilities, first)


def test_live_mode_reads_the_canvas_at_most_once_a_frame(pad, window, screen, monkeypatch):
    calls = []
    forward = pad.network.forward  # the network's forward pass, whichever verb calls it
    monkeypatch.setattr(
        pad.network, "forward", lambda inputs, silenced=None: calls.append(1) or forward(inputs, silenced)
    )
    press(window, (100, 100))
    for x in range(110, 400, 10):
        move(window, (x, 100 + x // 3))
    frame(window, screen)
    assert len(calls) == 1


def test_l_turning_live_mode_on_reads_what_is_already_drawn(pad, window, screen, small_model):
    key(window, screen, pygame.K_l)
    draw_a_one(window, screen)
    assert pad.answer is None

    key(window, screen, pygame.K_l)

    assert pad.answer is not None
    assert np.allclose(pad.probabilities, small_model.predict_proba(to_mnist(pad.canvas))[0])


def test_l_turning_live_mode_off_takes_away_a_live_guess(pad, window, screen):
    draw_a_one(window, screen)
    assert pad.answer is not None and not pad.is_read  # a live guess

    key(window, screen, pygame.K_l)

    assert pad.answer is None


def test_l_turns_live_mode_off_until_space(pad, window, screen):
    key(window, screen, pygame.K_l)
    draw_a_one(window, screen)
    assert pad.answer is None
    key(window, screen, pygame.K_SPACE)
    assert pad.answer is not None


def test_turning_live_mode_off_keeps_an_answer_already_read(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    answer = pad.answer
    key(window, screen, pygame.K_l)
    assert pad.is_read and pad.answer == answer


# ---- the frame ------------------------------------------------------------------------------


def test_the_preview_shows_what_the_network_gets_crisply(pad, window, screen, small_model):
    stroke(window, screen, [(150, 100), (300, 100), (180, 380)])  # a slanted 7: deskewing shows
    seen = small_model.prepare_inputs(to_mnist(pad.canvas)).reshape(28, 28) * 255
    pixels = pygame.surfarray.array3d(screen)[:, :, 0].T  # (y, x) red channel
    left, top, scale = window.answer_panel.preview_rect.x, window.answer_panel.preview_rect.y, PREVIEW_SCALE
    blocks = pixels[top : top + 28 * scale, left : left + 28 * scale].reshape(28, scale, 28, scale)
    assert (blocks == blocks[:, :1, :, :1]).all()  # every MNIST pixel a uniform square
    assert np.abs(blocks[:, 0, :, 0] - (255 - seen)).max() <= 1  # black ink on white


def test_the_canvas_is_shown_black_on_white(pad, window, screen):
    draw_a_one(window, screen)
    pixels = pygame.surfarray.array3d(screen)[:, :, 0].T
    shown = pixels[
        window.canvas_rect.top : window.canvas_rect.bottom, window.canvas_rect.left : window.canvas_rect.right
    ]
    assert np.array_equal(shown, 255 - pad.canvas)


def largest_remainders(probabilities) -> list[int]:
    """Whole percentages adding up to 100 by Hamilton's method, written out here as a second way."""
    exact = [100 * float(p) / float(sum(probabilities)) for p in probabilities]
    whole = [math.floor(e) for e in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def filled_lengths(window, screen) -> list[int]:
    """How many pixels of each digit's bar are coloured in the frame."""
    pixels = pygame.surfarray.array3d(screen).transpose(1, 0, 2)
    return [
        int((pixels[rect.centery, rect.left : rect.right] != PAPER).any(axis=1).sum())
        for rect in window.answer_panel.bar_rects()
    ]


def test_each_bar_is_as_long_as_its_percentage(pad, window, screen):
    stroke(window, screen, [(150, 100), (300, 100), (180, 380)])
    key(window, screen, pygame.K_SPACE)
    filled = filled_lengths(window, screen)
    for rect, percent, length in zip(window.answer_panel.bar_rects(), largest_remainders(pad.probabilities), filled):
        assert length == round(rect.width * percent / 100)  # to the nearest pixel


def test_bars_of_small_percentages_are_rounded_to_the_nearest_pixel(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    # Set by hand: percentages 1 to 9 and 55, whose lengths fall at many fractions of a pixel.
    pad.probabilities = np.array([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.55], np.float32)
    window.draw(screen)
    filled = filled_lengths(window, screen)
    for rect, percent, length in zip(window.answer_panel.bar_rects(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 55], filled):
        assert abs(length - rect.width * percent / 100) <= 0.5


@pytest.mark.parametrize(
    "event",
    [pygame.event.Event(pygame.QUIT), pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0)],
    ids=["close", "Escape"],
)
def test_the_window_closes_on_quit_and_escape(pad, window, screen, event):
    draw_a_one(window, screen)
    pygame.event.post(event)
    run_window(window)  # returns, instead of waiting for events forever
    assert not window.running


# ---- inside the network: I, W, S and K ------------------------------------------------------

from test_inside import by_hand as hidden_by_hand  # noqa: E402  the forward pass by the book's formulas


@pytest.fixture
def network(small_model):
    """The network the pad reads with."""
    return small_model


def colour_at(screen, point):
    return tuple(screen.get_at(point))[:3]


def hover(point):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(0, 0, 0)))


def draw_a_seven(window, screen):
    stroke(window, screen, [(150, 100), (300, 100), (180, 380)])


def test_i_lights_each_hidden_node_by_its_output(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_i)
    view = window.views["inside"]
    hidden, _ = hidden_by_hand(network, network.straighten(to_mnist(pad.canvas))[0])
    assert network.hnodes == 64
    cells = [view.cell_rect(node) for node in range(64)]
    assert len({tuple(cell) for cell in cells}) == 64 and all(window.panel_rect.contains(cell) for cell in cells)
    for node in range(64):
        expected = np.add(UNLIT, hidden[node] * np.subtract(LIT, UNLIT))
        assert np.abs(np.subtract(colour_at(screen, cells[node].center), expected)).max() <= 1


def test_i_shows_the_hidden_nodes_that_pushed_the_answer_most(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_i)
    hidden, final = hidden_by_hand(network, network.straighten(to_mnist(pad.canvas))[0])
    answer = int(final.argmax())
    push = (network.who[answer] - network.who.mean(axis=0)) * hidden
    assert list(window.views["inside"].strongest()) == list(np.argsort(-push)[: window.views["inside"].STRONGEST])


def test_i_hovering_a_hidden_node_shows_it_large_and_a_click_keeps_it(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_i)
    view = window.views["inside"]
    hover(view.cell_rect(37).center)
    frame(window, screen)
    assert view.node == 37
    assert colour_at(screen, view.cell_rect(37).topleft) == ANSWER_BAR  # framed in the grid
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=view.cell_rect(12).center, button=1))
    hover(window.canvas_rect.center)
    frame(window, screen)
    assert view.node == 12 and len(pad.strokes) == 1  # the click drew nothing


def test_i_moving_the_pointer_over_nothing_asks_for_no_new_frame(window, screen):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_i)
    hover((window.panel_rect.left + 5, window.panel_rect.bottom - 5))
    assert window.process(pygame.event.get()) is False


def test_k_knocks_out_a_tenth_of_the_hidden_nodes_more_each_press_and_the_answer_follows(pad, window, screen, network):
    draw_a_seven(window, screen)
    weights = network.wih.copy(), network.who.copy()
    key(window, screen, pygame.K_i)
    for presses in (1, 2, 3):
        key(window, screen, pygame.K_k)
        silenced = np.flatnonzero(pad.silenced)
        assert len(silenced) == round(0.1 * 64) * presses
        hidden, final = hidden_by_hand(network, pad.seen, silenced)
        assert np.allclose(pad.hidden_outputs, hidden, atol=1e-5)
        assert np.allclose(pad.probabilities, final, atol=1e-5)
        for node in silenced:  # shown dark
            assert colour_at(screen, window.views["inside"].cell_rect(node).center) == KNOCKED_OUT
    assert np.array_equal(network.wih, weights[0]) and np.array_equal(network.who, weights[1])


def test_shift_k_brings_every_hidden_node_back(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_k)
    key(window, screen, pygame.K_k)
    key(window, screen, pygame.K_k, pygame.KMOD_LSHIFT)
    assert not pad.silenced.any()
    assert np.allclose(pad.probabilities, network.predict_proba(to_mnist(pad.canvas))[0])


def test_k_changes_an_answer_already_read_with_live_mode_off(pad, window, screen):
    key(window, screen, pygame.K_l)
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    before = pad.probabilities.copy()
    key(window, screen, pygame.K_k)
    assert pad.is_read and not np.allclose(pad.probabilities, before)


def test_w_colours_the_pixels_that_argued_for_the_answer_red_and_against_it_blue(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_w)
    seen = pad.seen
    answer = pad.answer
    inputs = seen.reshape(-1).astype(np.float64) / 255

    def score(x):
        hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ x + network.bh)))
        final_inputs = network.who.astype(np.float64) @ hidden + network.bo
        return final_inputs[answer] - final_inputs.mean()

    arguments = np.zeros(784)
    for pixel in np.flatnonzero(inputs):
        step = np.zeros(784)
        step[pixel] = 1e-4
        arguments[pixel] = inputs[pixel] * (score(inputs + step) - score(inputs - step)) / 2e-4
    arguments = arguments.reshape(28, 28)
    rect, scale = window.views["why"].map_rect(), WhyView.SCALE
    strong = np.abs(arguments) > 0.5 * np.abs(arguments).max()
    assert strong.sum() >= 3
    for row, column in zip(*np.nonzero(strong)):
        red, _, blue = colour_at(screen, (rect.left + column * scale + scale // 2, rect.top + row * scale + scale // 2))
        assert (red > blue) == (arguments[row, column] > 0)
    empty = np.argwhere(seen == 0)[0]
    assert colour_at(screen, (rect.left + empty[1] * scale + 1, rect.top + empty[0] * scale + 1)) == PAPER


def test_s_shows_the_steps_from_canvas_to_network_each_with_its_reading(pad, window, screen, network):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_s)
    images, outputs = window.views["steps"].steps()
    assert len(images) == 5 == len(window.views["steps"].image_rects())
    assert np.array_equal(images[3], to_mnist(pad.canvas))  # placed: to_mnist's result
    assert np.array_equal(images[4], pad.seen)  # straightened: what the network gets
    for image, output in zip(images, outputs):
        assert np.allclose(output, hidden_by_hand(network, image)[1], atol=1e-5)  # each read as it is
    assert outputs[4].argmax() == pad.answer


def test_s_shows_each_step_at_twice_mnist_s_size_one_under_another(window):
    """StepsView: "each 28x28 step is shown 56x56", one under another, inside the panel."""
    rects = window.views["steps"].image_rects()
    assert [rect.size for rect in rects] == [(56, 56)] * 5
    assert all(window.panel_rect.contains(rect) for rect in rects)
    assert all(a.bottom <= b.top and a.left == b.left for a, b in zip(rects, rects[1:]))


def test_s_follows_the_drawing_as_it_changes(pad, window, screen):
    key(window, screen, pygame.K_s)
    for points in ([(150, 100), (300, 100), (180, 380)], [(200, 240), (330, 240)], [(100, 400), (300, 420)]):
        stroke(window, screen, points)
        images, _ = window.views["steps"].steps()
        assert np.array_equal(images[3], to_mnist(pad.canvas))


@pytest.mark.parametrize(
    "view_key, view",
    [
        (pygame.K_i, "inside"),
        (pygame.K_w, "why"),
        (pygame.K_s, "steps"),
        (pygame.K_n, "nearest"),
        (pygame.K_t, "learn"),
    ],
)
def test_each_view_is_left_with_esc_or_its_own_key_and_esc_again_quits(window, screen, view_key, view):
    draw_a_one(window, screen)
    key(window, screen, view_key)
    assert window.view == view
    key(window, screen, pygame.K_ESCAPE)
    assert window.view == "canvas" and window.running
    key(window, screen, view_key)
    key(window, screen, view_key)
    assert window.view == "canvas"
    key(window, screen, pygame.K_ESCAPE)
    assert not window.running


@pytest.mark.parametrize("view", ["inside", "why", "steps", "nearest", "learn"])
def test_each_view_on_an_empty_canvas_says_to_draw(window, screen, view):
    window.view = view
    frame(window, screen)  # draws without an answer, and without failing


@pytest.mark.parametrize("view", ["canvas", "inside", "why", "steps", "nearest", "learn"])
def test_view_starts_the_screenshot_in_that_view(
    app, network, small_model_path, tmp_path, view, monkeypatch, train_set
):
    from myonn.nearest import Reminders
    from myonn.windows import nearest_view

    # N remembers the first 2,000 training digits, not all 60,000: the same for the app and for the expected frame.
    few = train_set[0][:2000], train_set[1][:2000]
    monkeypatch.setattr(nearest_view, "learn_reminders", lambda network, data_dir: Reminders(network, *few))
    path = tmp_path / f"{view}.png"
    assert app.main(["--model", str(small_model_path), "--demo", "--view", view, "--screenshot", str(path)]) == 0
    pygame.display.init()
    pygame.font.init()
    pad = DrawingPad(network)
    window = DrawWindow(pad)
    pad.trace(DEMO_STROKE)
    pad.read()
    window.view = view
    window.views["inside"].pinned = int(window.views["inside"].strongest()[0])
    window.views[view].finish()
    expected = pygame.Surface(WINDOW)
    window.draw(expected)
    # The lines under the canvas greet with the network's name: compare the canvas and the panel beside it.
    shown = pygame.image.load(str(path)).subsurface(0, 0, WINDOW[0], window.canvas_rect.bottom)
    assert np.array_equal(
        pygame.surfarray.array3d(shown), pygame.surfarray.array3d(expected.subsurface(shown.get_rect()))
    )


# ---- the command line -----------------------------------------------------------------------


def run_script(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_screenshot_writes_the_window_to_a_png(small_model_path, tmp_path):
    path = tmp_path / "draw.png"
    result = run_script("--model", small_model_path, "--demo", "--screenshot", path)
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(path))
    assert image.get_size() == WINDOW
    canvas = pygame.surfarray.array3d(image)[MARGIN : MARGIN + CANVAS, MARGIN : MARGIN + CANVAS]
    assert (canvas == 0).any() and (canvas == 255).any()  # the demo digit, black on white


@pytest.mark.parametrize("contents", [None, b"not a model"], ids=["missing", "damaged"])
def test_a_bad_model_is_one_line_saying_how_to_train_one(tmp_path, contents):
    path = tmp_path / "model.npz"
    if contents is not None:
        path.write_bytes(contents)
    result = run_script("--model", path, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 2
    assert unwrapped(result.stderr).startswith(f"mnist_draw.py: error: {path}")
    assert "mnist_train.py" in result.stderr
    assert one_message(result.stderr)
    assert not (tmp_path / "out.png").exists()


def test_a_network_for_other_images_is_refused(tmp_path):
    path = tmp_path / "other.npz"
    NeuralNetwork(100, 8, 10).save(path)
    result = run_script("--model", path, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 2
    assert one_message(result.stderr)
    assert unwrapped(result.stderr).startswith(f"mnist_draw.py: error: {path}") and "100 inputs" in result.stderr


@pytest.mark.parametrize("brush", ["0", "113", "1000", "2.5"])
def test_the_brush_must_be_a_whole_number_up_to_a_quarter_of_the_canvas(brush, small_model_path, tmp_path):
    result = run_script("--model", small_model_path, "--brush", brush, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 2
    assert one_message(result.stderr) and "--brush" in result.stderr
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("brush", ["1", "112"])  # 112: a quarter of the 448-pixel canvas
def test_a_brush_from_1_to_a_quarter_of_the_canvas_is_taken(brush, small_model_path, tmp_path):
    result = run_script("--model", small_model_path, "--brush", brush, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("diameter", [1, 2, 5, 8, 13, 28, 41])
def test_the_window_brush_paints_the_dot_the_drawn_digit_benchmark_assumes(diameter):
    from drawings import brush

    canvas = np.zeros((100, 100), np.uint8)
    paint_segment(canvas, (50, 50), (50, 50), diameter, 255)
    target = np.zeros((100, 100), bool)
    target[50, 50] = True

    np.testing.assert_array_equal(canvas == 255, brush(target, diameter))


# ---- a learner's first hour (issue 13) -----------------------------------------------------


def draw_a_bar(window, screen):
    stroke(window, screen, [(80, 300), (380, 300)])


def test_drawing_after_a_reading_starts_a_fresh_digit(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    draw_a_bar(window, screen)
    assert pad.canvas[150, 224] == 0  # the one is gone: only the new stroke is read
    assert pad.canvas[300, 100] == 255
    assert len(pad.strokes) == 1 and not pad.is_read


def test_drawing_more_before_a_reading_adds_to_the_digit(pad, window, screen):
    draw_a_one(window, screen)
    draw_a_bar(window, screen)
    assert pad.canvas[150, 224] == 255 and pad.canvas[300, 100] == 255


def test_ctrl_z_brings_back_the_digit_a_fresh_start_cleared(pad, window, screen):
    draw_a_one(window, screen)
    one = pad.canvas.copy()
    key(window, screen, pygame.K_SPACE)
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.is_empty()
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, one)


@pytest.mark.parametrize(
    "keys",
    [[pygame.K_c], [pygame.K_BACKSPACE], [pygame.K_SPACE, pygame.K_SPACE]],
    ids=["C", "BACKSPACE", "SPACE after a reading"],
)
def test_ctrl_z_brings_back_a_cleared_digit(pad, window, screen, keys):
    draw_a_one(window, screen)
    draw_a_bar(window, screen)
    drawn = pad.canvas.copy()
    for cleared_by in keys:
        key(window, screen, cleared_by)
    assert pad.is_empty()
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, drawn) and len(pad.strokes) == 2
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)  # then strokes come off one by one again
    assert pad.canvas[300, 100] == 0 and pad.canvas[150, 224] == 255


def test_ctrl_z_on_a_blank_canvas_with_nothing_cleared_does_nothing(pad, window, screen):
    key(window, screen, pygame.K_c)
    key(window, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.is_empty() and window.running


def test_q_quits(window, screen):
    key(window, screen, pygame.K_q)
    assert not window.running


@pytest.mark.parametrize("help_key", [pygame.K_h, pygame.K_F1], ids=["H", "F1"])
def test_h_and_f1_show_the_keys_and_hide_them_again(window, screen, help_key):
    window.draw(screen)
    before = pygame.surfarray.array3d(screen)
    key(window, screen, help_key)
    assert window.show_help and not np.array_equal(pygame.surfarray.array3d(screen), before)
    key(window, screen, help_key)
    window.draw(screen)
    assert not window.show_help and np.array_equal(pygame.surfarray.array3d(screen), before)


def test_escape_closes_the_keys_before_it_quits(window, screen):
    key(window, screen, pygame.K_h)
    key(window, screen, pygame.K_ESCAPE)
    assert not window.show_help and window.running
    key(window, screen, pygame.K_ESCAPE)
    assert not window.running


def test_a_digit_drawn_only_a_few_pen_widths_across_asks_to_be_drawn_larger(pad, window, screen):
    # A "3" in a 45x60 box with the 28-pixel brush: about two pen widths across.
    for points in ([(200, 200), (217, 200), (210, 215)], [(210, 215), (217, 230), (200, 232)]):
        stroke(window, screen, points)
    key(window, screen, pygame.K_SPACE)
    assert "draw it larger" in pad.prompt()[0]


def test_a_digit_of_ordinary_size_is_not_asked_to_be_larger(pad, window, screen):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert "larger" not in pad.prompt()[0]


def test_the_window_says_not_sure_when_no_digit_is_clearly_ahead(pad, window, screen, monkeypatch):
    unsure = np.array([[0.02, 0.01, 0.47, 0.43, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01]], np.float32)
    # The forward pass (query's, and the inside view's) gives these outputs:
    monkeypatch.setattr(
        pad.network,
        "forward",
        lambda inputs, silenced=None: (np.full((1, pad.network.hnodes), 0.5, np.float32), unsure),
    )
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert pad.prompt()[0].startswith("Not sure")
    sure = np.array([[0.02, 0.01, 0.90, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]], np.float32)
    monkeypatch.setattr(
        pad.network, "forward", lambda inputs, silenced=None: (np.full((1, pad.network.hnodes), 0.5, np.float32), sure)
    )
    key(window, screen, pygame.K_SPACE)
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert not pad.prompt()[0].startswith("Not sure")


def test_a_wait_that_times_out_draws_nothing_again_so_an_idle_window_sleeps(window):
    # event.wait(WAIT_MS) hands back a NOEVENT when nothing happened; redrawing then would
    # keep an idle window busy five times a second.
    assert window.process([pygame.event.Event(pygame.NOEVENT)]) is False
    assert window.process([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0, unicode="h")]) is True


@pytest.mark.parametrize("top, sure", [(0.5051, True), (0.5049, False)])
def test_the_window_calls_a_digit_sure_exactly_when_its_bar_shows_more_than_half(
    top, sure, pad, window, screen, monkeypatch
):
    # By hand: 50.51% and 49.49% round to the bars' 51% and 49%; 50.49% and 49.51% to 50% and 50%.
    outputs = np.zeros((1, 10), np.float32)
    outputs[0, 4], outputs[0, 9] = top, 1 - top
    monkeypatch.setattr(
        pad.network,
        "forward",
        lambda inputs, silenced=None: (np.full((1, pad.network.hnodes), 0.5, np.float32), outputs),
    )
    draw_a_bar(window, screen)
    key(window, screen, pygame.K_SPACE)
    assert whole_percentages(pad.probabilities)[4] == (51 if sure else 50)
    assert pad.prompt()[0].startswith("Not sure") is not sure


def test_demo_one_starts_with_the_european_one_drawn_and_read(app, small_model_path, small_model, tmp_path):
    from myonn.windows.demo_strokes import DEMO_ONE

    path = tmp_path / "one.png"
    assert app.main(["--model", str(small_model_path), "--demo", "one", "--screenshot", str(path)]) == 0
    pygame.display.init()
    pad = DrawingPad(small_model)
    pad.trace(DEMO_ONE)
    window = DrawWindow(pad)
    shown = pygame.image.load(str(path)).subsurface(window.canvas_rect)
    # The canvas shows ink where the traced 1 has it (white paper, black ink on screen).
    assert np.array_equal(pygame.surfarray.array3d(shown)[:, :, 0].T == 0, pad.canvas == 255)


def test_brush_sets_the_pen_s_width_in_canvas_pixels(small_model_path, tmp_path):
    # The demo's 2 drawn with a pen 8 and 40 pixels wide: its ink is a band along the
    # same strokes, so five times the width gives about five times the ink.
    ink = {}
    for brush in (8, 40):
        path = tmp_path / f"brush{brush}.png"
        result = run_script("--model", small_model_path, "--demo", "--brush", brush, "--screenshot", path)
        assert result.returncode == 0, result.stderr
        window = DrawWindow(DrawingPad(NeuralNetwork.load(small_model_path)))
        canvas = pygame.surfarray.array3d(pygame.image.load(str(path)).subsurface(window.canvas_rect))
        ink[brush] = int((canvas[:, :, 0] < 128).sum())
    assert 3.5 < ink[40] / ink[8] < 6
