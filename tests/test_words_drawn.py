"""What the windows write, word for word, and that every word is drawn smoothed.

pygame draws all text with `Font.render`. These tests put a recording font in its place
(a subclass that notes each call, then draws as pygame does), drive the draw window with
real events as a learner would, and read what was written. The expected words are the
product's own, written out here by hand: a test fails when a word, a case or a number
shown to the learner changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pygame
import pytest

from myonn.windows import curves
from myonn.windows.draw_window import WINDOW, DrawWindow
from myonn.windows.drawing_pad import DrawingPad
from myonn.windows.fonts import Fonts
from test_draw import frame, key
from test_draw import screen as screen  # the draw window's own screen fixture (re-exported: pytest finds it here)


@dataclass
class Written:
    text: object
    antialias: object
    colour: tuple


@pytest.fixture
def written(monkeypatch):
    """Every text pygame renders from now on, in order: put in place before a window makes its fonts."""
    calls: list[Written] = []

    class RecordingFont(pygame.font.Font):
        def render(self, text, antialias, color, background=None):
            calls.append(Written(text, antialias, tuple(color)))
            if background is None:
                return super().render(text, antialias, color)
            return super().render(text, antialias, color, background)

    monkeypatch.setattr(pygame.font, "Font", RecordingFont)
    monkeypatch.setattr(curves, "_fonts", Fonts())  # the pictures' shared cache: made afresh, recording
    return calls


@pytest.fixture
def window(small_model, screen, written):
    """The draw window with no teacher (teaching off), live mode on, as `DrawingPad` starts."""
    return DrawWindow(DrawingPad(small_model))


def mouse(window, screen, kind, point, button=1):
    pos = (point[0] + window.canvas_rect.x, point[1] + window.canvas_rect.y)
    if kind == pygame.MOUSEMOTION:
        buttons = tuple(int(b == button) for b in (1, 2, 3))
        event = pygame.event.Event(kind, pos=pos, rel=(0, 0), buttons=buttons)
    else:
        event = pygame.event.Event(kind, pos=pos, button=button)
    pygame.event.post(event)
    frame(window, screen)


def draw_a_seven(window, screen):
    points = [(100, 90), (340, 90), (300, 200), (220, 380)]
    mouse(window, screen, pygame.MOUSEBUTTONDOWN, points[0])
    for point in points[1:]:
        mouse(window, screen, pygame.MOUSEMOTION, point)
    mouse(window, screen, pygame.MOUSEBUTTONUP, points[-1])


def texts(calls, since=0):
    return [call.text for call in calls[since:]]


def largest_remainders(probabilities) -> list[int]:
    """Whole percents adding up to 100, by hand: round down, then give the points left to the largest remainders."""
    exact = [100 * float(p) / float(np.sum(probabilities, dtype=np.float64)) for p in probabilities]
    whole = [int(e // 1) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] - whole[i]))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def test_every_word_the_draw_window_writes_is_smoothed_and_is_text(window, screen, written):
    """Through every view, before and after a drawing, a knock-out and the help: no text drawn jagged."""
    frame(window, screen)
    for view in (pygame.K_i, pygame.K_w, pygame.K_s, pygame.K_n, pygame.K_t):
        key(window, screen, view)
        key(window, screen, view)  # and back
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    for view in (pygame.K_i, pygame.K_w, pygame.K_s, pygame.K_t):
        key(window, screen, view)
        key(window, screen, view)
    key(window, screen, pygame.K_i)
    key(window, screen, pygame.K_k)
    window.views["inside"].pinned = int(np.flatnonzero(window.pad.silenced)[0])
    frame(window, screen)
    key(window, screen, pygame.K_h)
    assert len(written) > 100
    jagged = [call.text for call in written if call.antialias is not True]
    assert jagged == []
    assert all(isinstance(call.text, str) for call in written)


def test_before_a_drawing_each_view_says_to_draw_first(window, screen, written):
    frame(window, screen)
    assert "Press down your (left) mouse button to draw your digit" in texts(written)
    start = len(written)
    key(window, screen, pygame.K_SPACE)
    assert "Draw a digit first, then press SPACE" in texts(written, start)
    for view, words in (
        (pygame.K_i, ["draw a digit to see its nodes light up", "point at a node to see its weights"]),
        (pygame.K_w, ["why: draw a digit first"]),
        (pygame.K_s, ["draw a digit first"]),
        (pygame.K_n, ["reminded of: draw a digit, then SPACE"]),
    ):
        start = len(written)
        key(window, screen, view)
        for line in words:
            assert line in texts(written, start)
        key(window, screen, view)


def test_the_answer_says_live_guess_while_drawing_and_it_reads_after_space(window, screen, written):
    draw_a_seven(window, screen)
    start = len(written)
    frame(window, screen)
    shown = texts(written, start)
    assert "the network sees" in shown
    assert "live guess" in shown and "it reads" not in shown
    start = len(written)
    key(window, screen, pygame.K_SPACE)
    shown = texts(written, start)
    assert "it reads" in shown and "live guess" not in shown


def test_under_t_the_lines_under_the_canvas_say_what_t_shows_and_what_its_keys_do(window, screen, written):
    """T covers the canvas: the line under it says what the step view shows, and its keys line
    says the digit keys pick the label (nothing is learned); T again brings the usual lines back."""
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    start = len(written)
    key(window, screen, pygame.K_t)
    shown = texts(written, start)
    assert "What one training step would do with this drawing, for the label picked" in shown
    assert "0-9: the label of the training step shown (nothing is learned)   T or Esc: back to the canvas" in shown
    start = len(written)
    key(window, screen, pygame.K_t)
    shown = texts(written, start)
    assert not any("training step" in str(line) for line in shown)
    assert any(str(line).startswith("right button: erase") for line in shown)


def test_the_ten_bars_are_labelled_with_whole_percents_by_largest_remainders(window, screen, written):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    start = len(written)
    frame(window, screen)
    percents = [text for text in texts(written, start) if re.fullmatch(r"\d+%", text)]
    expected = largest_remainders(window.pad.probabilities)
    assert [int(p[:-1]) for p in percents] == expected
    assert sum(expected) == 100


def test_w_names_what_its_colours_mean_and_what_to_try(window, screen, written):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    answer = int(np.argmax(window.pad.probabilities))
    start = len(written)
    key(window, screen, pygame.K_w)
    shown = texts(written, start)
    percent = largest_remainders(window.pad.probabilities)[answer]
    assert f"why it reads {answer} ({percent}%)" in shown
    assert "over the 28x28 image the network gets" in shown
    assert f"red: these pixels argued for {answer}" in shown
    assert "blue: these argued against it" in shown
    assert "try rubbing out a red part (right button)" in shown


def test_i_names_a_knocked_out_node_and_a_live_node_s_output(window, screen, written, small_model):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_i)
    key(window, screen, pygame.K_k)
    pad, view = window.pad, window.views["inside"]
    silenced, alive = int(np.flatnonzero(pad.silenced)[0]), int(np.flatnonzero(~pad.silenced)[0])
    view.pinned = silenced
    start = len(written)
    frame(window, screen)
    shown = texts(written, start)
    assert f"node #{silenced}  knocked out" in shown
    assert "black: knocked out (K)" in shown
    assert f"{pad.silenced.sum()} of {small_model.hnodes} hidden nodes knocked out (SHIFT+K: back)" in shown
    view.pinned = alive
    start = len(written)
    frame(window, screen)
    # The node's output by hand: the sigmoid of its weighted sum of the 784 inputs the network got.
    inputs = small_model.prepare_inputs(pad.seen[None]).astype(np.float64)[0]
    weighted = small_model.wih[alive].astype(np.float64) @ inputs + float(small_model.bh[alive])
    output = 1 / (1 + np.exp(-weighted))
    assert f"node #{alive}  output {output:.2f}" in texts(written, start)


def test_a_digit_key_with_teaching_off_says_teaching_is_off(window, screen, written):
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    start = len(written)
    key(window, screen, pygame.K_3)
    assert "teaching is off" in texts(written, start)


def test_n_says_it_is_remembering_until_the_training_digits_are_ready(window, screen, written, monkeypatch):
    """N reads the 60,000 training digits in another thread; until they arrive it says so, in words that fit."""
    view = window.views["nearest"]
    monkeypatch.setattr(type(view), "prepare", lambda self: None)  # the thread never hands them over
    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    start = len(written)
    key(window, screen, pygame.K_n)
    answer = int(np.argmax(window.pad.probabilities))
    shown = texts(written, start)
    assert f"it read {answer}, reminded of" in shown
    assert "remembering the 60,000 training digits..." in shown


def test_n_under_its_nearest_digits_counts_those_of_the_answer_and_says_how_to_teach(
    window, screen, written, small_model, train_set
):
    from myonn.nearest import Reminders

    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    view = window.views["nearest"]
    view.found = Reminders(small_model, train_set[0][:300], train_set[1][:300])
    start = len(written)
    key(window, screen, pygame.K_n)
    answer = int(np.argmax(window.pad.probabilities))
    labels = view.found.labels[view.nearest(window.pad.hidden_outputs)]
    shown = texts(written, start)
    assert f"{int((labels == answer).sum())} of {len(labels)} are {answer}s" in shown
    assert "red: labelled another digit" in shown
    assert "read wrong? its key (0-9) teaches it" in shown
    assert all(call.antialias is True for call in written[start:])


# ---- the browser's pictures --------------------------------------------------------------------


def test_the_label_view_writes_label_over_the_big_label(written):
    from myonn.windows.browsed_sets import Shown
    from myonn.windows.digit_view import LabelView

    pygame.font.init()
    images, labels = np.zeros((3, 28, 28), np.uint8), np.array([4, 7, 1], np.uint8)
    LabelView(lambda: Shown("test", images, labels, 1, None), Fonts()).draw(
        pygame.Surface((400, 400)), pygame.Rect(0, 0, 400, 400)
    )
    assert texts(written) == ["label", "7"]
    assert all(call.antialias is True for call in written)


def test_the_ladder_chart_s_title_and_legend_are_smoothed(written):
    from myonn.ladder import RUNGS, Result
    from myonn.windows.ladder_chart import draw_ladder

    pygame.font.init()
    draw_ladder([Result(rung, None, 0.9, 1.0, 1000.0) for rung in RUNGS])
    assert "The improvement ladder: one change at a time" in texts(written)
    for rung in RUNGS:
        assert f"{rung.number}: {rung.change}" in texts(written)
    assert all(call.antialias is True for call in written)


def test_p_names_each_digit_the_label_s_in_green_and_gives_each_output_in_tenths(written):
    from myonn.windows.palette import RIGHT, TEXT
    from myonn.windows.prediction_view import PredictionView

    pygame.font.init()
    outputs = np.array([0.01, 0.02, 0.6, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.07], np.float32)
    PredictionView(None, Fonts(), None).draw_bars(pygame.Surface((600, 400)), pygame.Rect(0, 0, 600, 400), outputs, 3)
    names = {call.text: call.colour for call in written if call.text in [str(d) for d in range(10)]}
    assert names == {str(d): (RIGHT if d == 3 else TEXT) for d in range(10)}
    shares = [call.text for call in written if call.text.endswith("%") and " " not in call.text]
    assert shares == ["1.0%", "2.0%", "60.0%", "30.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", "7.0%"]
    assert all(call.antialias is True for call in written)


@pytest.mark.parametrize("name", ["inside", "why", "steps", "nearest"])
def test_each_view_beside_the_canvas_draws_only_inside_its_own_area(window, screen, name, small_model, train_set):
    """Drawn on a page of a colour no view uses, a view leaves every pixel outside its area as it was."""
    from myonn.nearest import Reminders

    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    view = window.views[name]
    if name == "nearest":
        view.found = Reminders(small_model, train_set[0][:300], train_set[1][:300])
    if name == "inside":
        view.pinned = 0
    page = pygame.Surface(WINDOW)
    sentinel = (1, 2, 3)
    page.fill(sentinel)
    view.draw(page, window.panel_rect)
    pixels = pygame.surfarray.array3d(page)  # (x, y, rgb)
    outside = np.ones(pixels.shape[:2], bool)
    area = window.panel_rect
    outside[area.left - 1 : area.right + 1, area.top - 1 : area.bottom + 1] = False  # a frame may sit on its edge
    changed = outside & ~(pixels == sentinel).all(axis=2)
    xs, ys = np.nonzero(changed)
    assert not changed.any(), (area, view.area, xs.min(), xs.max(), ys.min(), ys.max())
    assert not (pixels[~outside] == sentinel).all(axis=1).all()  # and it drew something


def test_w_s_colour_keys_are_squares_beside_their_words_under_the_map(window, screen):
    from myonn import inside

    draw_a_seven(window, screen)
    key(window, screen, pygame.K_SPACE)
    view, area = window.views["why"], window.panel_rect
    page = pygame.Surface(WINDOW)
    page.fill((1, 2, 3))
    view.draw(page, area)
    pixels = pygame.surfarray.array3d(page)  # (x, y, rgb)
    below = view.map_rect().bottom + 2  # the map's own colours stay above
    for colour in (inside.POSITIVE, inside.NEGATIVE):
        xs, ys = np.nonzero((pixels[area.left : area.left + 20, below:] == colour).all(axis=2))
        assert xs.size
        width, height = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
        assert width == height and xs.size == width * height  # a whole square


def test_the_lines_under_the_canvas_end_inside_the_window_s_margin_however_long_the_greeting(small_model, screen):
    """The greeting names the network's file, whose path may be long: it is made smaller, not cut off."""
    from myonn.windows.draw_window import MARGIN

    pad = DrawingPad(small_model, no_teaching="teaching is off: " + "/a/very/long/folder" * 8 + " is damaged")
    window = DrawWindow(pad)
    page = pygame.Surface(WINDOW)
    page.fill((1, 2, 3))
    window.draw(page)
    pixels = pygame.surfarray.array3d(page)
    below = pixels[:, window.canvas_rect.bottom + 2 :]
    assert (below[WINDOW[0] - MARGIN :] == window_background(page)).all()
    assert not (below[MARGIN : WINDOW[0] - MARGIN] == window_background(page)).all()


def window_background(page):
    return pygame.surfarray.array3d(page)[0, 0]
