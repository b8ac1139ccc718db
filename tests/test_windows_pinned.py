"""Small promises of the windows, each worked out by hand: sizes, the loop's frames, R's draw, P's frame.

Each test here was written for a change mutmut made that the suite let through (see
docs/testing.md), and checked to fail on it.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from myonn.windows.pictures import crisp_side


def test_a_crisp_side_is_the_largest_multiple_of_28_that_fits_or_the_side_itself_below_28():
    for side in range(1, 300):
        multiples = [m for m in range(28, side + 1, 28)]
        expected = multiples[-1] if multiples else side
        assert crisp_side(side) == expected, side


class CountingWindow:
    """A window that changes (or not) at the frames asked, and stops at the last."""

    def __init__(self, changes):
        self.changes = list(changes)
        self.running = True
        self.draws = 0

    def process(self, events):
        changed = self.changes.pop(0)
        if not self.changes:
            self.running = False
        return changed

    def draw(self, surface):
        self.draws += 1


@pytest.fixture
def display():
    pygame.display.init()
    pygame.display.set_mode((40, 30))
    yield
    pygame.display.quit()


def test_the_loop_draws_a_frame_at_the_start_and_after_each_change_only(display):
    from myonn.windows.loop import run

    quiet = CountingWindow([False, False, False])
    run(quiet)
    assert quiet.draws == 1  # nothing changed: the first frame only

    busy = CountingWindow([True, False, True, True])
    run(busy)
    assert busy.draws == 1 + 2  # the last change came as the window stopped: no frame drawn for it


def test_r_shows_another_image_each_time_and_in_time_every_other_one(small_model):
    from myonn.windows.browser import Browser

    images, labels = np.zeros((5, 28, 28), np.uint8), np.arange(5, dtype=np.uint8)
    browser = Browser("", "test", sets={"test": (images, labels)}, rng=np.random.default_rng(3))
    seen = set()
    for _ in range(200):
        before = browser.index
        browser.show_random()
        assert browser.index != before
        assert 0 <= browser.index < 5
        seen.add((before, browser.index))
    # From each image, every one of the four others came up.
    assert seen == {(a, b) for a in range(5) for b in range(5) if a != b}


def test_p_frames_the_label_s_bar_two_pixels_wide_in_green_when_the_network_reads_another_digit():
    from myonn.windows.fonts import Fonts
    from myonn.windows.palette import RIGHT, TRACK
    from myonn.windows.prediction_view import PredictionView

    pygame.font.init()
    surface = pygame.Surface((600, 400))
    outputs = np.zeros(10, np.float32)
    outputs[2] = 1.0  # reads 2; the label is 6, whose bar is empty and framed
    PredictionView(None, Fonts(), None).draw_bars(surface, pygame.Rect(0, 0, 600, 400), outputs, 6)
    pixels = pygame.surfarray.array3d(surface)  # (x, y, rgb)
    track = (pixels == TRACK).all(axis=2)
    green = (pixels == RIGHT).all(axis=2)
    xs, ys = np.nonzero(track)
    # The label's track: the only one with green around it. Its rows hold green at both ends.
    rows = [y for y in np.unique(ys) if green[:, y].any() and track[:, y].any()]
    assert rows
    y = rows[len(rows) // 2]
    inside = np.flatnonzero(track[:, y])
    left, right = inside.min(), inside.max()
    assert green[left - 2 : left, y].all() and not green[left - 3, y]
    assert green[right + 1 : right + 3, y].all() and not green[right + 3, y]


def test_the_imagined_digits_stand_centred_across_their_area():
    from myonn.windows.imagined_digits_view import ImaginedDigits

    for area in (pygame.Rect(0, 0, 900, 700), pygame.Rect(30, 10, 1400, 500), pygame.Rect(0, 0, 420, 800)):
        _, groups = ImaginedDigits.layout(None, area)
        left = min(rect.left for group in groups for rect in group)
        right = max(rect.right for group in groups for rect in group)
        assert abs((left - area.left) - (area.right - right)) <= 2, area


def test_w_gives_full_colour_to_the_strongest_twentieth_of_the_inked_pixels_not_only_to_the_strongest(monkeypatch):
    """W's colours reach full strength at the 95th percentile of the inked pixels' arguments (by hand here:
    89 pixels argue 1, 10 argue 2, one argues 10, so the percentile is 2), over ink that fades them by 30%."""
    from types import SimpleNamespace

    from myonn import inside
    from myonn.windows import why_view

    seen = np.zeros((28, 28), np.uint8)
    seen[5:15, 5:15] = 255  # 100 inked pixels
    arguments = np.zeros((28, 28), np.float32)
    arguments[5:15, 5:15] = 1.0
    arguments[5, 5:15] = 2.0
    arguments[14, 14] = 10.0
    monkeypatch.setattr(why_view.inside, "why_of", lambda network, active: arguments)
    reading = SimpleNamespace(seen=seen, hidden_outputs=None, probabilities=None)
    view = why_view.WhyView(None, lambda: reading, None, pygame.Rect(0, 0, 300, 400))

    colours = view.colours()

    full = np.rint(np.asarray(inside.POSITIVE, np.float64) * 0.7)
    at_full = (colours == full).all(axis=2)
    assert at_full.sum() == 11 and at_full[5, 5:15].all() and at_full[14, 14]
    # An argument of 1 is half of the way there.
    half = np.rint((np.asarray(inside.NEUTRAL, np.float64) + np.asarray(inside.POSITIVE)) / 2 * 0.7)
    assert np.abs(colours[10, 10].astype(int) - half).max() <= 1
    assert (colours[20, 20] == inside.NEUTRAL).all()  # no ink, no argument: neutral, unfaded


@pytest.mark.parametrize("hnodes", [200, 64, 7, 1])
@pytest.mark.parametrize("size", [(800, 600), (420, 900), (1300, 500)])
def test_g_s_node_pictures_are_the_largest_whole_squares_that_fit_in_rows_under_the_image(hnodes, size):
    """Found by trying every side, largest first: the grid sits 4 pixels inside the area below the image's
    band (a fifth of the height), and a side fits when some number of columns holds all the nodes."""
    from types import SimpleNamespace

    from myonn.windows.hidden_nodes_view import HiddenNodes

    area = pygame.Rect(10, 20, *size)
    view = SimpleNamespace(network=SimpleNamespace(hnodes=hnodes))
    band, tiles = HiddenNodes.layout(view, area)
    width, height = size[0] - 8, size[1] - size[1] // 5 - 8
    side = next(
        s
        for s in range(min(width, height), 0, -1)
        if any(c * s <= width and -(-hnodes // c) * s <= height for c in range(1, hnodes + 1))
    )
    assert len(tiles) == hnodes
    assert {(t.width, t.height) for t in tiles} == {(side, side)}
    columns = len({t.left for t in tiles})
    lefts, tops = sorted({t.left for t in tiles}), sorted({t.top for t in tiles})
    assert all(b - a == side for a, b in zip(lefts, lefts[1:])) and all(b - a == side for a, b in zip(tops, tops[1:]))
    assert tops[0] == area.top + size[1] // 5 + 4 and tops[-1] + side <= area.bottom - 4
    assert [(t.left, t.top) for t in tiles] == sorted(((t.left, t.top) for t in tiles), key=lambda p: (p[1], p[0]))
    assert columns * side <= width


def test_t_s_words_are_made_smaller_to_end_before_the_view_s_right_edge():
    from myonn.windows.fonts import Fonts
    from myonn.windows.one_step_view import OneStepView

    pygame.font.init()
    page = pygame.Surface((700, 300))
    page.fill((1, 2, 3))
    view = OneStepView(None, None, Fonts(), pygame.Rect(0, 0, 400, 300))
    view.text(page, "a line of words far too long to fit beside this picture\nand a second", (150, 10), 18)
    pixels = pygame.surfarray.array3d(page)
    assert (pixels[400 - 6 :] == (1, 2, 3)).all()  # nothing from 6 pixels short of the edge on
    assert not (pixels[150:394, 10:46] == (1, 2, 3)).all()  # and the words are there


def test_the_draw_window_learns_what_is_familiar_with_the_digits_taught_so_far(small_model_path, monkeypatch):
    """Opened on a lesson (--demo teach: one 1 taught), the background work that learns what digits look like
    to the network is handed the taught digits too, as copies: otherwise a taught style reads as strange."""
    import mnist_draw

    asked = []

    class Recorded:
        def __init__(self, network, data_dir, ready, taught=None):
            asked.append(taught)

        def start(self):
            pass

    windows = []
    monkeypatch.setattr(mnist_draw, "InBackground", Recorded)
    monkeypatch.setattr(mnist_draw, "run_window", windows.append)
    try:
        assert mnist_draw.main(["--demo", "teach", "--model", str(small_model_path)]) == 0
        (taught,) = asked
        images = windows[0].pad.teacher.digits.images
        assert taught is not None and len(images) == 1
        handed = taught()
        assert np.array_equal(handed, images) and handed is not images
    finally:
        pygame.quit()


@pytest.mark.parametrize("width", [300, 420, 560])
def test_m_draws_only_inside_its_area_its_caption_4_pixels_clear_of_each_side(width):
    from myonn.windows.browsed_sets import Shown
    from myonn.windows.confusion_matrix_view import ConfusionMatrix
    from myonn.windows.fonts import Fonts

    pygame.font.init()
    labels = np.array([0] * 10 + [1] * 10, np.uint8)
    readings = np.eye(10, dtype=np.float32)[[0] * 10 + [1] * 5 + [0] * 5]
    shown = Shown("test", np.zeros((20, 28, 28), np.uint8), labels, 0, readings)
    view = ConfusionMatrix(lambda: shown, Fonts(), lambda *a: None, lambda *a: None)
    page = pygame.Surface((width + 100, 700))
    page.fill((1, 2, 3))
    area = pygame.Rect(50, 20, width, 560)
    view.draw(page, area)
    drawn = ~(pygame.surfarray.array3d(page) == (1, 2, 3)).all(axis=2)  # (x, y)
    xs, ys = np.nonzero(drawn)
    assert xs.min() >= area.left and xs.max() < area.right and ys.min() >= area.top and ys.max() < area.bottom
    caption_rows = drawn[:, area.top : area.top + 12]
    columns = np.flatnonzero(caption_rows.any(axis=1))
    assert columns.min() >= area.left + 4 and columns.max() < area.right - 4


def test_the_familiarity_is_learned_on_a_thread_named_for_it(monkeypatch):
    """A traceback or a debugger's list of threads says which work it is."""
    import threading

    from myonn import familiar

    names, done = [], threading.Event()
    monkeypatch.setattr(
        familiar, "learn_familiarity", lambda *args: names.append(threading.current_thread().name) or "learned"
    )
    familiar.InBackground(None, "", lambda result: done.set()).start()
    assert done.wait(30)
    assert names == ["familiarity"]


def test_work_given_no_name_runs_on_a_thread_named_work():
    import threading

    from myonn.one_run import OneRunAtATime

    names, done = [], threading.Event()
    OneRunAtATime(lambda: names.append(threading.current_thread().name) or 1, lambda result: done.set()).start()
    assert done.wait(30) and names == ["work"]


def test_d_writes_each_digit_s_name_centred_over_its_middle_picture(small_model):
    from myonn.windows.browsed_sets import Shown
    from myonn.windows.fonts import Fonts
    from myonn.windows.imagined_digits_view import ImaginedDigits
    from myonn.windows.palette import LABEL_COLOUR

    pygame.font.init()
    images, labels = np.zeros((10, 28, 28), np.uint8), np.arange(10, dtype=np.uint8)
    view = ImaginedDigits(
        small_model, lambda: Shown("test", images, labels, 0, None), Fonts(), lambda words: None, lambda: images
    )
    view._imagined = np.zeros((10, 28, 28), np.uint8)  # pictures of nothing: only the names are looked at
    view._averages["test"] = np.zeros((10, 28, 28), np.uint8)
    area = pygame.Rect(0, 0, 900, 700)
    page = pygame.Surface(area.size)
    view.draw(page, area)
    text_size, groups = view.layout(area)
    named = (pygame.surfarray.array3d(page) == LABEL_COLOUR).all(axis=2)  # (x, y)
    for left, middle, right in groups:
        xs, _ = np.nonzero(named[left.left : right.right, left.top - text_size : left.top + 2])
        assert xs.size, "no name over the pictures"
        assert abs(left.left + (xs.min() + xs.max()) / 2 - middle.centerx) <= 2
