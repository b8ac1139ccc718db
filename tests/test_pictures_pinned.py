"""The pictures pinned (issue 20, point 2): for known inputs, where a curve's points fall, what an axis
spans, which colour a sign or a reading gets, which node's picture is where, and what the words say.

Each expected value comes from the docstrings' definitions or is worked out by hand in the test;
the charts' layout is read back from the picture itself (the grid's own lines), not copied from the code.
"""

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.ladder import RUNGS, Result
from myonn.training import EpochReport
from myonn.windows import curves as curves_module
from myonn.windows import ladder_chart, palette
from myonn.windows.browsed_sets import Shown
from myonn.windows.confusion_matrix_view import ConfusionMatrix
from myonn.windows.curves import AXIS, LearningCurves, draw_curves, draw_panel
from myonn.windows.fonts import Fonts
from myonn.windows.hidden_nodes_view import HiddenNodes


@pytest.fixture(autouse=True)
def pygame_for_drawing():
    """pygame's display (for surfarray) and fonts, quit after each test."""
    pygame.display.init()
    pygame.font.init()
    yield
    pygame.quit()


def pixels(surface):
    """The surface as an array of rows: uint8 (height, width, 3)."""
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def report(epoch, test_accuracy=0.9, rate=0.3):
    return EpochReport(epoch, 0.5, 0.9, test_accuracy, 1.0, rate)


class Panels:
    """Records what draw_panel was asked to draw (rect, title, curves, x range, y range, x label), then draws it."""

    def __init__(self, module, monkeypatch):
        self.calls = []
        real = module.draw_panel

        def recorded(surface, rect, title, curves, x_range, y_range, percent=False, x_label=None, size=20):
            self.calls.append(dict(rect=rect, title=title, curves=curves, x_range=x_range, y_range=y_range))
            self.calls[-1]["x_label"] = x_label
            real(surface, rect, title, curves, x_range, y_range, percent, x_label, size)

        monkeypatch.setattr(module, "draw_panel", recorded)


@pytest.fixture
def panels(monkeypatch):
    """The three charts draw_curves draws, as draw_panel was asked for them: loss, accuracy, learning rate."""
    recorder = Panels(curves_module, monkeypatch)

    def draw(curves, rect=pygame.Rect(0, 0, 600, 600)):
        recorder.calls.clear()
        draw_curves(pygame.Surface((rect.right, rect.bottom)), rect, curves)
        return recorder.calls

    return draw


def run(epochs, losses, accuracies, test=None, per_epoch=100):
    """Curves of `epochs` epochs of `per_epoch` images, each epoch one stretch with the given loss and accuracy."""
    curves = LearningCurves(epochs, per_epoch)
    for epoch in range(1, epochs + 1):
        curves.step(per_epoch, losses[epoch - 1], round(accuracies[epoch - 1] * per_epoch), 0.3)
        curves.epoch_done(report(epoch, None if test is None else test[epoch - 1]))
    return curves


# ---- the figures behind the curves ----------------------------------------------------------------


def test_a_stretch_is_at_least_100_images_even_when_a_sixtieth_of_the_run_is_fewer():
    curves = LearningCurves(1, 1200)  # a sixtieth of the run: 20 images
    for _ in range(4):
        curves.step(20, 1.0, 10, 0.3)
    assert curves.loss == []  # 80 images: the stretch is still running
    curves.step(20, 1.0, 10, 0.3)
    assert curves.loss == [(100 / 1200, 1.0)]


def test_a_stretch_ends_when_exactly_half_a_stretch_is_left_in_the_epoch():
    curves = LearningCurves(1, 250)  # stretches of 100 images (the least)
    for batch in range(5):
        curves.step(50, float(batch), 0, 0.3)
    curves.epoch_done(report(1))
    # After 200 images, 50 are left: half a stretch, enough for one of its own.
    # By hand: losses 0, 1 | 2, 3 | 4 -> means 0.5, 2.5, 4.
    assert curves.loss == [(0.4, 0.5), (0.8, 2.5), (1.0, 4.0)]


def test_an_epoch_s_end_adds_its_last_learning_rate_at_the_whole_epoch():
    curves = LearningCurves(2, 100)
    curves.step(100, 1.0, 50, 0.3)
    curves.epoch_done(report(1, rate=0.25))
    assert curves.learning_rate[-1] == (1.0, 0.25)


def test_after_an_epoch_the_next_one_counts_from_its_start_even_if_the_batches_fell_short():
    curves = LearningCurves(3, 100)
    curves.step(90, 1.0, 50, 0.3)  # the last few images of the epoch left out of its batches
    curves.epoch_done(report(1))
    assert curves.images_done == 100
    curves.step(10, 1.0, 5, 0.2)
    assert curves.learning_rate[-1] == (1.0, 0.2)  # the batch began at the second epoch's start


def test_an_axis_label_of_ten_thousand_is_written_with_a_comma():
    from myonn.windows.curves import _label

    assert _label(10_000.0, False) == "10,000"


# ---- the charts -----------------------------------------------------------------------------------


def axis_ticks(surface):
    """The x positions of the ticks under a chart's epoch axis (the lowest long line in AXIS's colour)."""
    is_axis = (pixels(surface) == AXIS).all(axis=2)
    axis_row = max(row for row in range(is_axis.shape[0]) if is_axis[row].sum() > 50)
    return list(np.flatnonzero(is_axis[axis_row + 2])), np.flatnonzero(is_axis[axis_row])


def test_a_one_epoch_chart_marks_only_whole_epochs_on_its_axis():
    surface = pygame.Surface((500, 300))
    surface.fill((255, 255, 255))
    draw_panel(surface, pygame.Rect(0, 0, 500, 300), [("loss", (0, 0, 0))], [], (0.0, 1.0), (0.0, 1.0))
    ticks, axis = axis_ticks(surface)
    assert ticks == [axis.min(), axis.max()]  # 0 and 1, at the axis's two ends


@pytest.mark.parametrize("count, dotted", [(30, True), (31, False)])
def test_up_to_30_points_each_is_marked_with_a_dot_more_are_a_plain_line(count, dotted):
    surface = pygame.Surface((700, 300))
    surface.fill((255, 255, 255))
    colour = (0, 160, 0)
    points = [(x, 0.5) for x in range(count)]
    draw_panel(surface, pygame.Rect(0, 0, 700, 300), [("x", (0, 0, 0))], [(points, colour)], (0, count), (0.0, 1.0))
    rows = np.flatnonzero((pixels(surface) == colour).all(axis=2).any(axis=1))
    # A line 2 pixels thick is 2 rows; a dot of radius 3 around each point makes 7.
    assert (len(rows) >= 6) == dotted


@pytest.mark.parametrize("epochs, top", [(3, 0.3), (2, 3.0)])
def test_in_a_run_of_3_epochs_or_more_the_loss_axis_leaves_out_the_first_epoch(panels, epochs, top):
    # The first epoch ends at x = 1.0 with a loss of 2.3; the later ones at 0.25 and 0.2.
    curves = run(epochs, [2.3, 0.25, 0.2][:epochs], [0.5, 0.9, 0.92][:epochs])
    assert panels(curves)[0]["y_range"] == (0.0, pytest.approx(top))  # 0.3 fits 0.25; 3 fits 2.3


@pytest.mark.parametrize(
    "train, test, floor",
    [
        ([0.5, 0.86, 0.9], [0.87, 0.88, 0.9], 0.85),  # the lowest after the first epoch: 86%, a 5% step under
        ([0.5, 0.9, 0.93], [0.9, 0.83, 0.95], 0.80),  # the test accuracy's 83% counts too
        ([0.5, 0.973, 0.98], [0.975, 0.98, 0.99], 0.97),  # from 95% up, whole percents
        ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 0.99),  # all right: still an axis, from 99%
    ],
)
def test_the_accuracy_axis_runs_from_a_round_number_under_the_lowest_accuracy_to_100_percent(
    panels, train, test, floor
):
    curves = run(3, [2.0, 0.3, 0.2], train, test)
    assert panels(curves)[1]["y_range"] == (pytest.approx(floor), 1.0)


def test_the_learning_rate_axis_reaches_the_highest_rate(panels):
    curves = LearningCurves(2, 100)
    for rate in (0.3, 0.2, 0.1, 0.01):  # the schedule lowering it
        curves.step(50, 1.0, 25, rate)
    assert panels(curves)[2]["y_range"] == (0.0, pytest.approx(0.3))


def test_each_curve_is_drawn_in_the_colour_of_its_name_in_its_chart_s_title(panels):
    calls = panels(run(3, [2.0, 0.3, 0.2], [0.5, 0.9, 0.92], [0.8, 0.9, 0.93]))
    for call in calls:
        named = {colour for words, colour in call["title"] if words.strip() and not words.endswith(": ")}
        assert [colour for _, colour in call["curves"]] == [
            colour for words, colour in call["title"] if colour in named
        ], call["title"]
    train_curve, test_curve = calls[1]["curves"]
    assert train_curve[0][-1] == (3.0, 0.92) and test_curve[0][-1] == (3.0, 0.93)
    assert [words.strip() for words, _ in calls[1]["title"]] == ["accuracy:", "training images", "test images"]
    assert len({colour for call in calls for _, colour in call["curves"]}) == 4  # four curves, four colours


def test_the_three_charts_stack_in_their_rect_10_pixels_apart(panels):
    rect = pygame.Rect(20, 30, 600, 700)
    rects = [call["rect"] for call in panels(run(2, [1.0, 0.5], [0.8, 0.9]), rect)]
    assert rects[0].top == rect.top and all(r.left == rect.left and r.width == rect.width for r in rects)
    assert [below.top - above.bottom for above, below in zip(rects, rects[1:])] in ([10, 10], [9, 10], [10, 9])
    assert rect.bottom - 2 <= rects[2].bottom <= rect.bottom
    assert [call["x_range"] for call in panels(run(2, [1.0, 0.5], [0.8, 0.9]), rect)] == [(0.0, 2.0)] * 3


def test_the_accuracy_chart_with_its_two_curves_is_the_tallest_and_the_learning_rate_s_the_shortest(panels):
    heights = [call["rect"].height for call in panels(run(2, [1.0, 0.5], [0.8, 0.9]))]
    assert heights[1] > heights[0] > heights[2]


# ---- the watch window -------------------------------------------------------------------------------


def test_the_time_left_is_rounded_up_to_the_next_whole_second(monkeypatch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(1, 10_000)
    window.curves.images_done = 2600
    window.started, window.counted_from = 100.0, 100
    monkeypatch.setattr(watch.time, "perf_counter", lambda: 100.5)
    # 2,500 images in half a second: 5,000 a second; 7,400 left: 1.48 s, said as "about 2 s".
    assert window.progress_text() == "epoch 1/1    5,000 images/s    about 2 s left"


def test_the_places_after_the_last_node_s_picture_are_left_as_background():
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.network = NeuralNetwork(784, 10, 10, seed=1)  # 10 nodes: 4 columns of 3 rows, 2 places empty
    cell = 28 + watch.GAP
    surface = pygame.Surface((4 * cell - watch.GAP, 3 * cell - watch.GAP))  # the sheet at its own size
    surface.fill((255, 0, 255))
    window.draw_weights(surface, surface.get_rect())
    empty = pixels(surface)[2 * cell :, 2 * cell :]
    assert (empty == watch.BACKGROUND).all()
    assert not (pixels(surface)[:28, :28] == watch.BACKGROUND).all()  # a node's picture is there


@pytest.mark.parametrize("epoch", [1, 2])
def test_after_every_epoch_the_window_hands_its_report_on(epoch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(2, 100)
    handed = []
    window.after_epoch = handed.append
    window.epoch_done(report(epoch))
    assert handed == [report(epoch)]


# ---- the ladder's chart -------------------------------------------------------------------------------


def results(accuracies, speeds=None):
    speeds = speeds or [1000.0] * len(RUNGS)
    return [Result(rung, None, a, 1.0, s) for rung, a, s in zip(RUNGS, accuracies, speeds)]


def test_a_rung_that_reads_nothing_right_puts_the_accuracy_axis_at_0_not_below():
    assert ladder_chart.accuracy_floor(results([0.0, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9])) == 0.0


def test_the_speed_chart_reaches_the_fastest_rung_and_its_axis_is_the_rungs(monkeypatch):
    recorder = Panels(ladder_chart, monkeypatch)
    speeds = [1000.0, 2000.0, 5000.0, 8000.0, 20000.0, 40000.0, 80000.0, 60000.0]
    ladder_chart.draw_ladder(results([0.9] * 8, speeds))
    accuracy, speed = recorder.calls
    assert speed["y_range"] == (0.0, 100_000)  # the round value at or above 80,000
    assert speed["x_label"] == "rung" and speed["x_range"] == accuracy["x_range"] == (0, 7)


def test_the_ladder_s_legend_is_two_columns_of_four_rungs_under_the_charts():
    from myonn.windows.curves import font
    from myonn.windows.palette import FAINT, PAPER

    picture = ladder_chart.draw_ladder(results([0.9] * 8))
    width, height = picture.get_size()
    top = height - 26 * 4 - 12  # four lines of 26 pixels, 12 from the bottom
    for i, rung in enumerate(RUNGS):
        words = f"{rung.number}: {rung.change}"
        rendered = font(20).render(words, True, FAINT)
        expected = pygame.Surface(rendered.get_size())
        expected.fill(PAPER)
        expected.blit(rendered, (0, 0))
        at = (40 + (i // 4) * (width // 2), top + (i % 4) * 26)
        region = picture.subsurface(pygame.Rect(at, rendered.get_size()))
        assert np.array_equal(pixels(region), pixels(expected)), words


# ---- M: the confusion matrix ------------------------------------------------------------------------


class SaidFonts(Fonts):
    """Fonts that remember each text fitted to a width, and its colour."""

    def __init__(self):
        super().__init__()
        self.said = []

    def fitted(self, text, colour, size, max_width, min_size=8):
        self.said.append((text, tuple(colour)))
        return super().fitted(text, colour, size, max_width, min_size)


def readings_of(reads):
    """One-hot readings (n, 10) for the digits read."""
    return np.eye(10, dtype=np.float32)[np.asarray(reads)]


@pytest.fixture
def matrix_view():
    """M on 20 images: ten 0s all read right; ten 1s, five read right and five read as 0."""
    labels = np.array([0] * 10 + [1] * 10, np.uint8)
    reads = [0] * 10 + [1] * 5 + [0] * 5
    shown = Shown("test", np.zeros((20, 28, 28), np.uint8), labels, 0, readings_of(reads))
    told, browsed = [], []
    view = ConfusionMatrix(lambda: shown, SaidFonts(), browsed.append, told.append)
    surface = pygame.Surface((560, 560))
    return view, surface, told, browsed


def grid_of(surface):
    """The matrix's cells as (left, top, side), from the bounding box of their thin TRACK-coloured edges."""
    ys, xs = np.nonzero((pixels(surface) == palette.TRACK).all(axis=2))
    side = (xs.max() + 1 - xs.min()) // 10
    assert (ys.max() + 1 - ys.min()) // 10 == side
    return xs.min(), ys.min(), side


def cell_colour(surface, grid, row, column):
    """The fill of a cell, near its corner (clear of its count)."""
    left, top, side = grid
    return tuple(int(c) for c in surface.get_at((left + column * side + 2, top + row * side + 2))[:3])


def test_m_colours_right_readings_green_mistakes_red_by_their_share_of_the_true_digit(matrix_view):
    view, surface, _, _ = matrix_view
    surface.fill(palette.PAPER)
    view.draw(surface, surface.get_rect())
    grid = grid_of(surface)
    all_right, half_right, mistake = (cell_colour(surface, grid, r, c) for r, c in ((0, 0), (1, 1), (1, 0)))
    assert all_right[1] > max(all_right[0], all_right[2]) and half_right[1] > max(half_right[0], half_right[2])
    assert mistake[0] > max(mistake[1], mistake[2])
    # Ten 0s of ten read right is a stronger green than five 1s of ten, though 0 is read 15 times.
    assert sum(all_right) < sum(half_right) < 3 * 255
    assert cell_colour(surface, grid, 5, 7) == (255, 255, 255)  # no 5 at all: blank


def test_m_frames_the_chosen_cell_in_its_true_digit_s_row_and_its_reading_s_column(matrix_view):
    view, surface, _, _ = matrix_view
    assert view.chosen() == (1, 0)  # the commonest mistake: 1s read as 0
    surface.fill(palette.PAPER)
    view.draw(surface, surface.get_rect())
    left, top, side = grid_of(surface)
    framed = (pixels(surface) == palette.LABEL_COLOUR).all(axis=2)
    assert framed[top + side + side // 2, left - 1]  # left of row 1, column 0
    assert not framed[top + side // 2, left + 2 * side - 1]  # not right of row 0, column 1


def test_m_says_how_many_of_the_chosen_cell_and_that_enter_shows_them(matrix_view):
    view, surface, _, _ = matrix_view
    view.draw(surface, surface.get_rect())
    assert ("5 1s read as 0; ENTER shows them, ESC comes back", palette.TEXT) in view.fonts.said
    view.cell = (1, 1)
    view.draw(surface, surface.get_rect())
    assert "5 1s read right; ENTER shows them, ESC comes back" in [text for text, _ in view.fonts.said]


def test_m_on_an_empty_cell_says_none_and_offers_no_enter(matrix_view):
    view, surface, told, browsed = matrix_view
    view.cell = (0, 8)
    view.draw(surface, surface.get_rect())
    assert view.fonts.said[-1][0] == "0 0s read as 8"
    view.press(pygame.K_RETURN)
    assert told == ["no 0 is read as 8 in the test set"] and browsed == []


@pytest.mark.parametrize("key", [pygame.K_0, pygame.K_5, pygame.K_9])
def test_m_takes_every_digit_key_and_leaves_the_chosen_cell(matrix_view, key):
    view, _, _, _ = matrix_view
    assert view.press(key) is True and view.chosen() == (1, 0)


# ---- G: the hidden nodes ------------------------------------------------------------------------------


@pytest.fixture
def nodes_view():
    """G on a 4-node network: node 0 strong, node 1 a hundred times weaker, node 2 negative, node 3 all zero."""
    network = NeuralNetwork(784, 4, 10, seed=0)
    network.wih[:] = 0
    blob = np.zeros((28, 28), np.float32)
    blob[10:18, 10:18] = 1  # an 8 x 8 square in the middle of the picture
    network.wih[0], network.wih[1], network.wih[2] = 5 * blob.ravel(), 0.05 * blob.ravel(), -0.5 * blob.ravel()
    shown = Shown("test", np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8), 0, None)
    return HiddenNodes(network, lambda: shown, SaidFonts(), lambda surface, rect: None)


def test_g_scales_each_node_s_picture_by_its_own_strongest_weight(nodes_view):
    from myonn.inside import NEGATIVE, NEUTRAL, POSITIVE

    surface = pygame.Surface((400, 400))
    nodes_view.draw(surface, surface.get_rect())
    _, tiles = nodes_view.layout(surface.get_rect())
    centres = [tuple(surface.get_at(tile.center))[:3] for tile in tiles]
    assert centres == [POSITIVE, POSITIVE, NEGATIVE, NEUTRAL]


def test_g_lays_the_nodes_out_left_to_right_then_row_by_row(nodes_view):
    _, tiles = nodes_view.layout(pygame.Rect(0, 0, 400, 400))  # 4 nodes: 2 x 2
    assert tiles[1].top == tiles[0].top and tiles[1].left == tiles[0].right
    assert tiles[2].left == tiles[0].left and tiles[2].top == tiles[0].bottom


def test_g_s_caption_counts_the_nodes_and_names_the_frames_in_their_colour():
    from myonn.windows.palette import MARK_TEXT, TEXT

    shown = Shown("test", np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8), 0, None)
    view = HiddenNodes(NeuralNetwork(784, 16, 10, seed=0), lambda: shown, SaidFonts(), lambda surface, rect: None)
    surface = pygame.Surface((400, 400))
    view.draw(surface, surface.get_rect())
    assert view.fonts.said == [
        ("16 hidden nodes, each one's weights", TEXT),
        ("red: ink there excites the node; blue: ink there calms it", TEXT),
        ("framed: the 10 nodes this image excites most", MARK_TEXT),
    ]


def test_g_on_fewer_than_10_nodes_says_it_frames_them_all_not_10(nodes_view):
    # --hidden 4 makes such a network: all four are framed, and the caption counts four.
    surface = pygame.Surface((400, 400))
    nodes_view.draw(surface, surface.get_rect())
    assert nodes_view.fonts.said[-1][0] == "framed: the 4 nodes this image excites most"


# ---- the palette ---------------------------------------------------------------------------------------


def test_right_is_green_wrong_is_red_and_a_lit_node_is_brighter_than_an_unlit_one():
    assert palette.RIGHT[1] > max(palette.RIGHT[0], palette.RIGHT[2])
    assert palette.WRONG[0] > max(palette.WRONG[1], palette.WRONG[2])
    assert sum(palette.LIT) > sum(palette.UNLIT) > sum(palette.KNOCKED_OUT) == 0


def test_t_s_output_bars_are_the_answer_s_colour_only_for_the_digit_its_target_asks_for():
    """T's target is 1 for the label and 0 for the other nine: only that digit's bar is drawn as the answer."""
    from myonn.windows.fonts import Fonts
    from myonn.windows.one_step_view import OneStepView
    from myonn.windows.palette import ANSWER_BAR, OTHER_BAR

    pygame.font.init()
    surface = pygame.Surface((400, 200))
    view = OneStepView(None, None, Fonts(), surface.get_rect())
    targets = np.zeros(10, np.float32)
    targets[3] = 1.0

    view.bars(surface, np.full(10, 0.5, np.float32), targets, 0, 0, "final_outputs")

    # Each digit's bar starts 12 pixels in and is 7 high, 8 apart, under an 18-pixel heading;
    # a bar of 0.5 is 75 pixels long: its middle is 50 pixels in.
    colours = [tuple(surface.get_at((50, 18 + digit * 8 + 3)))[:3] for digit in range(10)]
    assert colours == [tuple(ANSWER_BAR) if digit == 3 else tuple(OTHER_BAR) for digit in range(10)]


@pytest.mark.parametrize("count, columns", [(8, 4), (8, 8), (5, 3)])
def test_n_s_tiles_are_centred_in_their_area_in_rows_of_the_columns_asked(count, columns):
    from myonn.windows.nearest_view import tile_rects

    area = pygame.Rect(30, 40, 600, 400)
    rects = tile_rects(area, count, columns, 20)

    assert len(rects) == count and all(rect.width == rect.height > 0 for rect in rects)
    assert all(area.contains(rect) for rect in rects)
    first_row = [rect for rect in rects if rect.top == rects[0].top]
    assert len(first_row) == min(count, columns)
    # As much room on the left of the row as on its right (to a pixel: the halves of an odd width).
    assert abs((first_row[0].left - area.left) - (area.right - first_row[-1].right)) <= 1
    assert all(a.left < b.left and not a.colliderect(b) for a, b in zip(first_row, first_row[1:]))
    assert sorted({rect.top for rect in rects}) == [rect.top for rect in rects[::columns]]  # row after row, down


@pytest.mark.parametrize("size", [(300, 320), (520, 300)])
def test_p_s_bars_stay_inside_their_panel_leaving_the_right_for_the_percentages(size):
    """Every digit's track is as long as a full bar: it must end inside the panel, short of the percentages'
    column at its right (the headline above, in the answer's colour, is not counted)."""
    from myonn.windows.fonts import Fonts
    from myonn.windows.palette import TRACK
    from myonn.windows.prediction_view import PredictionView

    pygame.font.init()
    outside = (1, 2, 3)
    surface = pygame.Surface((size[0] + 200, size[1] + 200))
    surface.fill(outside)
    panel = pygame.Rect(100, 100, *size)
    outputs = np.zeros(10, np.float32)
    outputs[4] = 1.0  # read as a 4, right

    PredictionView(None, Fonts(), None).draw_bars(surface, panel, outputs, 4)

    pixels = pygame.surfarray.pixels3d(surface)  # (x, y, rgb)
    bars = (pixels == TRACK).all(axis=2)
    columns = np.flatnonzero(bars.any(axis=1))
    assert columns.size and panel.left <= columns.min() and columns.max() < panel.right
    # "100.0%" is written to the right of the full bar: the last tenth of the panel holds no bar.
    assert columns.max() < panel.right - panel.width // 10
