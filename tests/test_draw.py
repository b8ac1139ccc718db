"""mnist_draw.py: the window where a digit is drawn with the mouse and read by the network.

The real app runs headless (SDL's dummy video driver, set in conftest.py): the tests
post real pygame mouse and key events, let the app handle them a frame at a time as
its main loop does, and look at the canvas, the answer and the pixels of the frame.
"""

import importlib.util
import math
import subprocess
import sys

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.preprocess import to_mnist

from conftest import ROOT

SCRIPT = ROOT / "mnist_draw.py"


@pytest.fixture(scope="module")
def app():
    """The script, imported as a module."""
    spec = importlib.util.spec_from_file_location("mnist_draw", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def screen(app):
    """The app's window, opened on SDL's dummy video driver."""
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode(app.WINDOW)
    pygame.event.clear()
    yield surface
    pygame.display.quit()


@pytest.fixture
def pad(app, small_model, screen):
    return app.DrawingPad(small_model)


def frame(pad, screen):
    """One turn of the main loop: handle the queued events, then draw the frame."""
    pad.process(pygame.event.get())
    pad.draw(screen)


def window(pad, point):
    """The window position of canvas pixel `point` (x, y)."""
    return point[0] + pad.canvas_rect.x, point[1] + pad.canvas_rect.y


def press(pad, point, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window(pad, point), button=button))


def move(pad, point, button=1):
    buttons = tuple(int(b == button) for b in (1, 2, 3))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=window(pad, point), rel=(0, 0), buttons=buttons))


def release(pad, point, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=window(pad, point), button=button))


def stroke(pad, screen, points, button=1):
    """Drag with `button` through canvas `points`, one frame per event, like a fast hand."""
    press(pad, points[0], button)
    frame(pad, screen)
    for point in points[1:]:
        move(pad, point, button)
        frame(pad, screen)
    release(pad, points[-1], button)
    frame(pad, screen)


def key(pad, screen, key, mod=pygame.KMOD_NONE):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod))
    frame(pad, screen)


def draw_a_one(pad, screen):
    stroke(pad, screen, [(224, 80), (224, 370)])


def points_along(start, end, count=2000):
    """Evenly spaced points from `start` to `end`, rounded to pixels (x, y)."""
    t = np.linspace(0, 1, count)[:, None]
    return np.rint(np.asarray(start) * (1 - t) + np.asarray(end) * t).astype(int)


# ---- the brush ------------------------------------------------------------------------------


def test_a_click_paints_a_round_dot_as_wide_as_the_brush(pad, screen):
    press(pad, (200, 150))
    release(pad, (200, 150))
    frame(pad, screen)
    rows, cols = np.nonzero(pad.canvas)
    assert cols.max() - cols.min() + 1 == pad.brush
    assert rows.max() - rows.min() + 1 == pad.brush
    disc = np.pi * (pad.brush / 2) ** 2
    assert abs(len(rows) - disc) < 0.05 * disc  # round, not square (a square would be 27% more)


def test_a_fast_stroke_leaves_no_gaps(pad, screen):
    start, end = (30, 40), (410, 380)  # across the canvas in a single motion event
    stroke(pad, screen, [start, end])
    direction = np.subtract(end, start) / np.hypot(*np.subtract(end, start))
    across = np.array([-direction[1], direction[0]])
    for offset in np.linspace(-(pad.brush / 2 - 1), pad.brush / 2 - 1, 9):
        shifted = np.add(start, offset * across), np.add(end, offset * across)
        xs, ys = points_along(*shifted).T
        assert (pad.canvas[ys, xs] == 255).all(), f"gap {offset:+.1f} px off the stroke's middle"


def test_a_stroke_goes_through_every_mouse_position(pad, screen):
    stroke(pad, screen, [(50, 50), (400, 50), (400, 400)])
    for start, end in (((50, 50), (400, 50)), ((400, 50), (400, 400))):
        xs, ys = points_along(start, end).T
        assert (pad.canvas[ys, xs] == 255).all()
    assert pad.canvas[225, 225] == 0  # it turned the corner instead of cutting across


def test_a_press_outside_the_canvas_draws_nothing(pad, screen):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pad.preview_rect.center, button=1))
    move(pad, (200, 200))
    frame(pad, screen)
    assert pad.is_empty()
    assert pad.strokes == []


def test_a_stroke_ends_when_its_button_is_no_longer_held(pad, screen):
    press(pad, (100, 100))
    frame(pad, screen)
    move(pad, (300, 100), button=None)  # the release was lost, e.g. outside the window
    frame(pad, screen)
    assert pad.canvas[100, 300] == 0
    assert pad.stroke is None


def test_the_eraser_is_wider_than_the_brush(pad, screen):
    for y in range(100, 340, 20):  # a field of ink
        stroke(pad, screen, [(60, y), (380, y)])
    assert pad.canvas[150:290, 150:290].all()

    press(pad, (220, 220), button=3)
    release(pad, (220, 220), button=3)
    frame(pad, screen)

    erased = np.flatnonzero(pad.canvas[220, 100:340] == 0)
    assert len(erased) > pad.brush  # a dot wider than the pen's, in one piece
    assert erased[-1] - erased[0] + 1 == len(erased)


def test_the_right_button_erases(pad, screen):
    stroke(pad, screen, [(60, 200), (380, 200)])
    stroke(pad, screen, [(220, 100), (220, 300)], button=3)
    assert (pad.canvas[200, 215:226] == 0).all()
    assert pad.canvas[200, 80] == 255 and pad.canvas[200, 360] == 255


# ---- keys -----------------------------------------------------------------------------------


def test_ctrl_z_undoes_the_last_stroke(pad, screen):
    stroke(pad, screen, [(100, 100), (300, 120)])
    before = pad.canvas.copy()
    stroke(pad, screen, [(100, 300), (300, 250)])
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, before)
    assert len(pad.strokes) == 1


def test_ctrl_z_undoes_an_erasure(pad, screen):
    stroke(pad, screen, [(60, 200), (380, 200)])
    before = pad.canvas.copy()
    stroke(pad, screen, [(220, 100), (220, 300)], button=3)
    key(pad, screen, pygame.K_z, pygame.KMOD_RCTRL)
    assert np.array_equal(pad.canvas, before)


def test_z_without_ctrl_undoes_nothing(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_z)
    assert len(pad.strokes) == 1 and not pad.is_empty()


@pytest.mark.parametrize("clear_key", [pygame.K_c, pygame.K_BACKSPACE], ids=["C", "BACKSPACE"])
def test_c_and_backspace_clear_the_canvas(pad, screen, clear_key):
    draw_a_one(pad, screen)
    key(pad, screen, clear_key)
    assert pad.is_empty()
    assert pad.strokes == [] and pad.answer is None


def test_space_reads_the_digit_through_to_mnist(pad, screen, small_model):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    expected = small_model.predict_proba(to_mnist(pad.canvas))[0]
    assert pad.is_read
    assert np.allclose(pad.probabilities, expected)
    assert pad.answer == expected.argmax()


def test_space_after_a_read_clears_the_canvas_for_the_next_digit(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    key(pad, screen, pygame.K_SPACE)
    assert pad.is_empty() and pad.strokes == []
    assert not pad.is_read and pad.answer is None


def test_drawing_after_a_read_makes_space_read_again(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    stroke(pad, screen, [(180, 90), (224, 80)])
    key(pad, screen, pygame.K_SPACE)
    assert pad.is_read and not pad.is_empty()


def test_space_on_an_empty_canvas_says_to_draw_first(pad, screen):
    key(pad, screen, pygame.K_SPACE)
    text, _ = pad.prompt()
    assert "draw a digit first" in text.lower()
    assert not pad.is_read and pad.answer is None


def test_the_answer_percentages_add_up_to_100(app):
    rng = np.random.default_rng(0)
    for probabilities in rng.dirichlet(np.full(10, 0.3), 500).astype(np.float32):
        percents = app.whole_percentages(probabilities)
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
def test_percentages_are_rounded_by_largest_remainders(app, probabilities, percents):
    assert app.whole_percentages(np.array(probabilities, np.float32)) == percents


# ---- live mode ------------------------------------------------------------------------------


def test_live_mode_follows_the_drawing_while_the_button_is_held(pad, screen, small_model):
    press(pad, (224, 80))
    move(pad, (224, 250))
    frame(pad, screen)
    first = pad.probabilities.copy()
    assert np.allclose(first, small_model.predict_proba(to_mnist(pad.canvas))[0])
    move(pad, (120, 380))
    frame(pad, screen)
    assert np.allclose(pad.probabilities, small_model.predict_proba(to_mnist(pad.canvas))[0])
    assert not np.allclose(pad.probabilities, first)


def test_live_mode_reads_the_canvas_at_most_once_a_frame(pad, screen, monkeypatch):
    calls = []
    forward = pad.network.forward  # the network's forward pass, whichever verb calls it
    monkeypatch.setattr(pad.network, "forward", lambda inputs, silenced=None: calls.append(1) or forward(inputs, silenced))
    press(pad, (100, 100))
    for x in range(110, 400, 10):
        move(pad, (x, 100 + x // 3))
    frame(pad, screen)
    assert len(calls) == 1


def test_l_turning_live_mode_on_reads_what_is_already_drawn(pad, screen, small_model):
    key(pad, screen, pygame.K_l)
    draw_a_one(pad, screen)
    assert pad.answer is None

    key(pad, screen, pygame.K_l)

    assert pad.answer is not None
    assert np.allclose(pad.probabilities, small_model.predict_proba(to_mnist(pad.canvas))[0])


def test_l_turning_live_mode_off_takes_away_a_live_guess(pad, screen):
    draw_a_one(pad, screen)
    assert pad.answer is not None and not pad.is_read  # a live guess

    key(pad, screen, pygame.K_l)

    assert pad.answer is None


def test_l_turns_live_mode_off_until_space(pad, screen):
    key(pad, screen, pygame.K_l)
    draw_a_one(pad, screen)
    assert pad.answer is None
    key(pad, screen, pygame.K_SPACE)
    assert pad.answer is not None


def test_turning_live_mode_off_keeps_an_answer_already_read(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    answer = pad.answer
    key(pad, screen, pygame.K_l)
    assert pad.is_read and pad.answer == answer


# ---- the frame ------------------------------------------------------------------------------


def test_the_preview_shows_what_the_network_gets_crisply(app, pad, screen, small_model):
    stroke(pad, screen, [(150, 100), (300, 100), (180, 380)])  # a slanted 7: deskewing shows
    seen = small_model.prepare_inputs(to_mnist(pad.canvas)).reshape(28, 28) * 255
    pixels = pygame.surfarray.array3d(screen)[:, :, 0].T  # (y, x) red channel
    left, top, scale = pad.preview_rect.x, pad.preview_rect.y, app.PREVIEW_SCALE
    blocks = pixels[top : top + 28 * scale, left : left + 28 * scale].reshape(28, scale, 28, scale)
    assert (blocks == blocks[:, :1, :, :1]).all()  # every MNIST pixel a uniform square
    assert np.abs(blocks[:, 0, :, 0] - (255 - seen)).max() <= 1  # black ink on white


def test_the_canvas_is_shown_black_on_white(pad, screen):
    draw_a_one(pad, screen)
    pixels = pygame.surfarray.array3d(screen)[:, :, 0].T
    shown = pixels[pad.canvas_rect.top : pad.canvas_rect.bottom, pad.canvas_rect.left : pad.canvas_rect.right]
    assert np.array_equal(shown, 255 - pad.canvas)


def largest_remainders(probabilities) -> list[int]:
    """Whole percentages adding up to 100 by Hamilton's method, written out here as a second way."""
    exact = [100 * float(p) / float(sum(probabilities)) for p in probabilities]
    whole = [math.floor(e) for e in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def filled_lengths(app, pad, screen) -> list[int]:
    """How many pixels of each digit's bar are coloured in the frame."""
    pixels = pygame.surfarray.array3d(screen).transpose(1, 0, 2)
    return [int((pixels[rect.centery, rect.left : rect.right] != app.PAPER).any(axis=1).sum()) for rect in pad.bar_rects()]


def test_each_bar_is_as_long_as_its_percentage(app, pad, screen):
    stroke(pad, screen, [(150, 100), (300, 100), (180, 380)])
    key(pad, screen, pygame.K_SPACE)
    filled = filled_lengths(app, pad, screen)
    for rect, percent, length in zip(pad.bar_rects(), largest_remainders(pad.probabilities), filled):
        assert length == round(rect.width * percent / 100)  # to the nearest pixel


def test_bars_of_small_percentages_are_rounded_to_the_nearest_pixel(app, pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    # Set by hand: percentages 1 to 9 and 55, whose lengths fall at many fractions of a pixel.
    pad.probabilities = np.array([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.55], np.float32)
    pad.draw(screen)
    filled = filled_lengths(app, pad, screen)
    for rect, percent, length in zip(pad.bar_rects(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 55], filled):
        assert abs(length - rect.width * percent / 100) <= 0.5


@pytest.mark.parametrize(
    "event",
    [pygame.event.Event(pygame.QUIT), pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0)],
    ids=["close", "Escape"],
)
def test_the_window_closes_on_quit_and_escape(app, pad, screen, event):
    draw_a_one(pad, screen)
    pygame.event.post(event)
    app.window_loop(pad, screen)  # returns, instead of waiting for events forever
    assert not pad.running


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


def draw_a_seven(pad, screen):
    stroke(pad, screen, [(150, 100), (300, 100), (180, 380)])


def test_i_lights_each_hidden_node_by_its_output(app, pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_i)
    view = pad.views["inside"]
    hidden, _ = hidden_by_hand(network, network.straighten(to_mnist(pad.canvas))[0])
    assert network.hnodes == 64
    cells = [view.cell_rect(node) for node in range(64)]
    assert len({tuple(cell) for cell in cells}) == 64 and all(pad.panel_rect.contains(cell) for cell in cells)
    for node in range(64):
        expected = np.add(app.UNLIT, hidden[node] * np.subtract(app.LIT, app.UNLIT))
        assert np.abs(np.subtract(colour_at(screen, cells[node].center), expected)).max() <= 1


def test_i_shows_the_hidden_nodes_that_pushed_the_answer_most(pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_i)
    hidden, final = hidden_by_hand(network, network.straighten(to_mnist(pad.canvas))[0])
    answer = int(final.argmax())
    push = (network.who[answer] - network.who.mean(axis=0)) * hidden
    assert list(pad.views["inside"].strongest()) == list(np.argsort(-push)[: pad.views["inside"].STRONGEST])


def test_i_hovering_a_hidden_node_shows_it_large_and_a_click_keeps_it(app, pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_i)
    view = pad.views["inside"]
    hover(view.cell_rect(37).center)
    frame(pad, screen)
    assert view.node == 37
    assert colour_at(screen, view.cell_rect(37).topleft) == app.ANSWER_BAR  # framed in the grid
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=view.cell_rect(12).center, button=1))
    hover(pad.canvas_rect.center)
    frame(pad, screen)
    assert view.node == 12 and len(pad.strokes) == 1  # the click drew nothing


def test_i_moving_the_pointer_over_nothing_asks_for_no_new_frame(pad, screen):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_i)
    hover((pad.panel_rect.left + 5, pad.panel_rect.bottom - 5))
    assert pad.process(pygame.event.get()) is False


def test_k_knocks_out_a_tenth_of_the_hidden_nodes_more_each_press_and_the_answer_follows(app, pad, screen, network):
    draw_a_seven(pad, screen)
    weights = network.wih.copy(), network.who.copy()
    key(pad, screen, pygame.K_i)
    for presses in (1, 2, 3):
        key(pad, screen, pygame.K_k)
        silenced = np.flatnonzero(pad.silenced)
        assert len(silenced) == round(0.1 * 64) * presses
        hidden, final = hidden_by_hand(network, pad.seen, silenced)
        assert np.allclose(pad.hidden_outputs, hidden, atol=1e-5)
        assert np.allclose(pad.probabilities, final, atol=1e-5)
        for node in silenced:  # shown dark
            assert colour_at(screen, pad.views["inside"].cell_rect(node).center) == app.KNOCKED_OUT
    assert np.array_equal(network.wih, weights[0]) and np.array_equal(network.who, weights[1])


def test_shift_k_brings_every_hidden_node_back(pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_k)
    key(pad, screen, pygame.K_k)
    key(pad, screen, pygame.K_k, pygame.KMOD_LSHIFT)
    assert not pad.silenced.any()
    assert np.allclose(pad.probabilities, network.predict_proba(to_mnist(pad.canvas))[0])


def test_k_changes_an_answer_already_read_with_live_mode_off(pad, screen):
    key(pad, screen, pygame.K_l)
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    before = pad.probabilities.copy()
    key(pad, screen, pygame.K_k)
    assert pad.is_read and not np.allclose(pad.probabilities, before)


def test_w_colours_the_pixels_that_argued_for_the_answer_red_and_against_it_blue(app, pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_w)
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
    rect, scale = pad.views["why"].map_rect(), app.WhyView.SCALE
    strong = np.abs(arguments) > 0.5 * np.abs(arguments).max()
    assert strong.sum() >= 3
    for row, column in zip(*np.nonzero(strong)):
        red, _, blue = colour_at(screen, (rect.left + column * scale + scale // 2, rect.top + row * scale + scale // 2))
        assert (red > blue) == (arguments[row, column] > 0)
    empty = np.argwhere(seen == 0)[0]
    assert colour_at(screen, (rect.left + empty[1] * scale + 1, rect.top + empty[0] * scale + 1)) == app.PAPER


def test_s_shows_the_steps_from_canvas_to_network_each_with_its_reading(pad, screen, network):
    draw_a_seven(pad, screen)
    key(pad, screen, pygame.K_s)
    images, outputs = pad.views["steps"].steps()
    assert len(images) == 5 == len(pad.views["steps"].image_rects())
    assert np.array_equal(images[3], to_mnist(pad.canvas))  # placed: to_mnist's result
    assert np.array_equal(images[4], pad.seen)  # straightened: what the network gets
    for image, output in zip(images, outputs):
        assert np.allclose(output, hidden_by_hand(network, image)[1], atol=1e-5)  # each read as it is
    assert outputs[4].argmax() == pad.answer


def test_s_follows_the_drawing_as_it_changes(pad, screen):
    key(pad, screen, pygame.K_s)
    for points in ([(150, 100), (300, 100), (180, 380)], [(200, 240), (330, 240)], [(100, 400), (300, 420)]):
        stroke(pad, screen, points)
        images, _ = pad.views["steps"].steps()
        assert np.array_equal(images[3], to_mnist(pad.canvas))


@pytest.mark.parametrize("view_key, view", [(pygame.K_i, "inside"), (pygame.K_w, "why"), (pygame.K_s, "steps")])
def test_each_view_is_left_with_esc_or_its_own_key_and_esc_again_quits(pad, screen, view_key, view):
    draw_a_one(pad, screen)
    key(pad, screen, view_key)
    assert pad.view == view
    key(pad, screen, pygame.K_ESCAPE)
    assert pad.view == "canvas" and pad.running
    key(pad, screen, view_key)
    key(pad, screen, view_key)
    assert pad.view == "canvas"
    key(pad, screen, pygame.K_ESCAPE)
    assert not pad.running


@pytest.mark.parametrize("view", ["inside", "why", "steps"])
def test_each_view_on_an_empty_canvas_says_to_draw(pad, screen, view):
    pad.view = view
    frame(pad, screen)  # draws without an answer, and without failing


@pytest.mark.parametrize("view", ["canvas", "inside", "why", "steps"])
def test_view_starts_the_screenshot_in_that_view(app, network, small_model_path, tmp_path, view):
    path = tmp_path / f"{view}.png"
    assert app.main(["--model", str(small_model_path), "--demo", "--view", view, "--screenshot", str(path)]) == 0
    pygame.display.init()
    pygame.font.init()
    pad = app.DrawingPad(network)
    pad.trace(app.DEMO_STROKE)
    pad.read()
    pad.view = view
    pad.views["inside"].pinned = int(pad.views["inside"].strongest()[0])
    expected = pygame.Surface(app.WINDOW)
    pad.draw(expected)
    # The lines under the canvas greet with the network's name: compare the canvas and the panel beside it.
    shown = pygame.image.load(str(path)).subsurface(0, 0, app.WINDOW[0], pad.canvas_rect.bottom)
    assert np.array_equal(pygame.surfarray.array3d(shown), pygame.surfarray.array3d(expected.subsurface(shown.get_rect())))


# ---- the command line -----------------------------------------------------------------------


def run_script(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_screenshot_writes_the_window_to_a_png(app, small_model_path, tmp_path):
    path = tmp_path / "draw.png"
    result = run_script("--model", small_model_path, "--demo", "--screenshot", path)
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(path))
    assert image.get_size() == app.WINDOW
    canvas = pygame.surfarray.array3d(image)[app.MARGIN : app.MARGIN + app.CANVAS, app.MARGIN : app.MARGIN + app.CANVAS]
    assert (canvas == 0).any() and (canvas == 255).any()  # the demo digit, black on white


@pytest.mark.parametrize("contents", [None, b"not a model"], ids=["missing", "damaged"])
def test_a_bad_model_is_one_line_saying_how_to_train_one(tmp_path, contents):
    path = tmp_path / "model.npz"
    if contents is not None:
        path.write_bytes(contents)
    result = run_script("--model", path, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 2
    assert result.stderr.startswith(f"mnist_draw.py: error: {path}")
    assert "mnist_train.py" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_a_network_for_other_images_is_refused(tmp_path):
    path = tmp_path / "other.npz"
    NeuralNetwork(100, 8, 10).save(path)
    result = run_script("--model", path, "--screenshot", tmp_path / "out.png")
    assert result.returncode == 2
    assert result.stderr.startswith(f"mnist_draw.py: error: {path}") and "100 inputs" in result.stderr


def test_the_brush_must_be_a_positive_whole_number(small_model_path):
    result = run_script("--model", small_model_path, "--brush", "0")
    assert result.returncode == 2
    assert "--brush" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("diameter", [1, 2, 5, 8, 13, 28, 41])
def test_the_window_brush_paints_the_dot_the_drawn_digit_benchmark_assumes(app, diameter):
    from drawings import brush

    canvas = np.zeros((100, 100), np.uint8)
    app.paint_segment(canvas, (50, 50), (50, 50), diameter, 255)
    target = np.zeros((100, 100), bool)
    target[50, 50] = True

    np.testing.assert_array_equal(canvas == 255, brush(target, diameter))


# ---- a learner's first hour (issue 13) -----------------------------------------------------


def draw_a_bar(pad, screen):
    stroke(pad, screen, [(80, 300), (380, 300)])


def test_drawing_after_a_reading_starts_a_fresh_digit(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    draw_a_bar(pad, screen)
    assert pad.canvas[150, 224] == 0  # the one is gone: only the new stroke is read
    assert pad.canvas[300, 100] == 255
    assert len(pad.strokes) == 1 and not pad.is_read


def test_drawing_more_before_a_reading_adds_to_the_digit(pad, screen):
    draw_a_one(pad, screen)
    draw_a_bar(pad, screen)
    assert pad.canvas[150, 224] == 255 and pad.canvas[300, 100] == 255


def test_ctrl_z_brings_back_the_digit_a_fresh_start_cleared(pad, screen):
    draw_a_one(pad, screen)
    one = pad.canvas.copy()
    key(pad, screen, pygame.K_SPACE)
    draw_a_bar(pad, screen)
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.is_empty()
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, one)


@pytest.mark.parametrize("keys", [[pygame.K_c], [pygame.K_BACKSPACE], [pygame.K_SPACE, pygame.K_SPACE]],
                         ids=["C", "BACKSPACE", "SPACE after a reading"])
def test_ctrl_z_brings_back_a_cleared_digit(pad, screen, keys):
    draw_a_one(pad, screen)
    draw_a_bar(pad, screen)
    drawn = pad.canvas.copy()
    for cleared_by in keys:
        key(pad, screen, cleared_by)
    assert pad.is_empty()
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert np.array_equal(pad.canvas, drawn) and len(pad.strokes) == 2
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)  # then strokes come off one by one again
    assert pad.canvas[300, 100] == 0 and pad.canvas[150, 224] == 255


def test_ctrl_z_on_a_blank_canvas_with_nothing_cleared_does_nothing(pad, screen):
    key(pad, screen, pygame.K_c)
    key(pad, screen, pygame.K_z, pygame.KMOD_LCTRL)
    assert pad.is_empty() and pad.running


def test_q_quits(pad, screen):
    key(pad, screen, pygame.K_q)
    assert not pad.running


@pytest.mark.parametrize("help_key", [pygame.K_h, pygame.K_F1], ids=["H", "F1"])
def test_h_and_f1_show_the_keys_and_hide_them_again(app, pad, screen, help_key):
    pad.draw(screen)
    before = pygame.surfarray.array3d(screen)
    key(pad, screen, help_key)
    assert pad.show_help and not np.array_equal(pygame.surfarray.array3d(screen), before)
    key(pad, screen, help_key)
    pad.draw(screen)
    assert not pad.show_help and np.array_equal(pygame.surfarray.array3d(screen), before)


def test_escape_closes_the_keys_before_it_quits(pad, screen):
    key(pad, screen, pygame.K_h)
    key(pad, screen, pygame.K_ESCAPE)
    assert not pad.show_help and pad.running
    key(pad, screen, pygame.K_ESCAPE)
    assert not pad.running


def test_a_digit_drawn_only_a_few_pen_widths_across_asks_to_be_drawn_larger(pad, screen):
    # A "3" in a 45x60 box with the 28-pixel brush: about two pen widths across.
    for points in ([(200, 200), (217, 200), (210, 215)], [(210, 215), (217, 230), (200, 232)]):
        stroke(pad, screen, points)
    key(pad, screen, pygame.K_SPACE)
    assert "draw it larger" in pad.prompt()[0]


def test_a_digit_of_ordinary_size_is_not_asked_to_be_larger(pad, screen):
    draw_a_one(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    assert "larger" not in pad.prompt()[0]


def test_the_window_says_not_sure_when_no_digit_is_clearly_ahead(pad, screen, monkeypatch):
    unsure = np.array([[0.02, 0.01, 0.47, 0.43, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01]], np.float32)
    # The forward pass (query's, and the inside view's) gives these outputs:
    monkeypatch.setattr(pad.network, "forward", lambda inputs, silenced=None: (np.full((1, pad.network.hnodes), 0.5, np.float32), unsure))
    draw_a_bar(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    assert pad.prompt()[0].startswith("Not sure")
    sure = np.array([[0.02, 0.01, 0.90, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]], np.float32)
    monkeypatch.setattr(pad.network, "forward", lambda inputs, silenced=None: (np.full((1, pad.network.hnodes), 0.5, np.float32), sure))
    key(pad, screen, pygame.K_SPACE)
    draw_a_bar(pad, screen)
    key(pad, screen, pygame.K_SPACE)
    assert not pad.prompt()[0].startswith("Not sure")


def test_a_wait_that_times_out_draws_nothing_again_so_an_idle_window_sleeps(pad):
    # event.wait(WAIT_MS) hands back a NOEVENT when nothing happened; redrawing then would
    # keep an idle window busy five times a second.
    assert pad.process([pygame.event.Event(pygame.NOEVENT)]) is False
    assert pad.process([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0, unicode="h")]) is True
