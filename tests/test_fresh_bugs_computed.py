"""Computations pinned by their definitions: properties a realistic one-line slip in the arithmetic would break.

Each expected value comes from a definition, a hand computation or a second method,
never from the code under test.
"""

import numpy as np

from myonn.network import NeuralNetwork
from test_ideas_pinned import backquery_by_its_definition, small_network


# ---- the network ----------------------------------------------------------------------------


def test_backquery_rounds_each_pixel_to_the_nearest_shade_rather_than_cutting_it_down():
    # A pixel worked out as 200.7 is 201, not 200: truncation would darken half the pixels by one shade.
    for seed in range(4):
        network = small_network(64, 12, 5, seed=seed)
        for digit in range(5):
            exact = backquery_by_its_definition(network, digit, rounded=False).ravel()
            clear = np.abs(exact - np.floor(exact) - 0.5) > 0.01  # not too close to a half to call
            image = network.backquery(digit).ravel().astype(np.float64)
            np.testing.assert_array_equal(image[clear], np.rint(exact[clear]))


# ---- images: moments ------------------------------------------------------------------------


def test_moments_are_each_image_s_ink_mass_centre_spread_and_tilt_for_any_shape_of_image():
    # Worked out from the definition with np.indices, on tall, wide and square images alike.
    from myonn.images import moments

    rng = np.random.default_rng(3)
    for h, w in ((28, 28), (12, 20), (20, 9)):
        images = rng.integers(0, 256, (4, h, w)).astype(np.uint8)
        images[1, :, : w // 2] = 0  # ink on one side only, so the centre is not the middle
        ys, xs = np.indices((h, w))
        p = images.astype(np.float64)
        mass = p.sum(axis=(1, 2))
        cy, cx = (p * ys).sum(axis=(1, 2)) / mass, (p * xs).sum(axis=(1, 2)) / mass
        var_y = (p * ys**2).sum(axis=(1, 2)) / mass - cy**2
        cov = (p * ys * xs).sum(axis=(1, 2)) / mass - cy * cx

        got = moments(images)

        for value, expected in zip(got, (mass, cy, cx, var_y, cov)):
            np.testing.assert_allclose(value, expected, rtol=1e-4, atol=1e-3)


# ---- styles ---------------------------------------------------------------------------------


def test_ink_box_is_the_first_and_last_row_and_column_holding_ink():
    from myonn.styles import ink_box

    rng = np.random.default_rng(5)
    images = np.zeros((30, 28, 28), np.uint8)
    boxes = []
    for image in images:
        top, left = rng.integers(0, 27, 2)
        bottom, right = rng.integers(top, 28), rng.integers(left, 28)
        image[top, left] = image[bottom, right] = 200  # two inked corners: the box is theirs
        boxes.append((top, bottom, left, right))

    got = np.stack(ink_box(images), axis=1)

    np.testing.assert_array_equal(got, np.array(boxes, np.float32))


def test_pen_widths_measure_a_bar_three_pixels_wide_as_its_area_over_half_its_edge_plus_half_a_pixel():
    # A bar 3 wide and 20 long: area 60; its inner pixels (all four neighbours ink) 1 x 18 = 18,
    # so 42 lie on the edge: 2 * 60 / 42 = 2.857 pixels, widened by half a pixel to draw as dark.
    from myonn.styles import pen_widths

    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 4:24, 12:15] = 255

    assert pen_widths(image)[0] == np.float32(2 * 60 / 42 + 0.5)


def test_a_slashed_zero_s_slash_runs_from_bottom_left_to_top_right():
    # The new ink's rows and columns fall together: up the image (row down in number) is to the right.
    from myonn.styles import slashed_zeros

    ring = np.zeros((1, 28, 28), np.uint8)
    ys, xs = np.indices((28, 28))
    ring[0][np.abs(np.hypot(ys - 13.5, (xs - 13.5) * 1.4) - 8) < 1.5] = 255
    for seed in range(5):
        slashed = slashed_zeros(ring, np.random.default_rng(seed))[0].astype(np.float64)
        new = np.clip(slashed - ring[0], 0, None)
        new[np.abs(np.hypot(ys - 13.5, (xs - 13.5) * 1.4) - 8) < 3] = 0  # the slash inside the ring only
        cy, cx = (new * ys).sum() / new.sum(), (new * xs).sum() / new.sum()
        assert (new * (ys - cy) * (xs - cx)).sum() < 0


# ---- dreams ---------------------------------------------------------------------------------


def two_pixel_network() -> NeuralNetwork:
    """Inputs 2 x 2, one hidden node that sees only pixel 0, and two outputs: digit 1 likes pixel 0 dark."""
    network = NeuralNetwork(4, 1, 2, seed=0, deskew=False)
    network.wih = np.array([[4.0, 0, 0, 0]], np.float32)
    network.bh = np.zeros(1, np.float32)
    network.who = np.array([[3.0], [-3.0]], np.float32)
    network.bo = np.zeros(2, np.float32)
    return network


def test_a_dream_moves_against_a_direction_of_handwriting_as_far_as_its_reach_allows():
    # The network reads 1 best where pixel 0 is dark: the dream of a 1 darkens it, down to
    # REACH spreads below the average (0.5 - 2.5 * 0.1 = 0.25, pixel 64), and no further.
    from myonn.dreams import REACH, Handwriting, dream

    shapes = Handwriting(np.full(4, 0.5), np.array([[1.0, 0, 0, 0]]), np.array([0.1]))

    image = dream(two_pixel_network(), 1, shapes)

    assert image.ravel().tolist() == [round((0.5 - REACH * 0.1) * 255), 128, 128, 128]


def test_a_dream_moves_along_a_direction_of_handwriting_as_far_as_its_reach_allows():
    from myonn.dreams import REACH, Handwriting, dream

    shapes = Handwriting(np.full(4, 0.5), np.array([[1.0, 0, 0, 0]]), np.array([0.1]))

    image = dream(two_pixel_network(), 0, shapes)

    assert image.ravel().tolist() == [round((0.5 + REACH * 0.1) * 255), 128, 128, 128]


def test_the_shapes_of_handwriting_are_its_directions_of_largest_spread_largest_first():
    # A second method: the singular values of the centred inputs are the spreads times sqrt(n - 1).
    from myonn.dreams import SAMPLE_EVERY, handwriting

    rng = np.random.default_rng(2)
    network = NeuralNetwork(16, 3, 2, seed=0, deskew=False)
    images = (rng.random((600, 16)) * np.linspace(20, 250, 16)).astype(np.uint8)  # pixels of many spreads
    inputs = images[::SAMPLE_EVERY] / 255.0
    singular = np.linalg.svd(inputs - inputs.mean(axis=0), compute_uv=False)

    shapes = handwriting(network, images, directions=4)

    np.testing.assert_allclose(shapes.spreads, singular[:4] / np.sqrt(len(inputs) - 1), rtol=1e-4)
    np.testing.assert_allclose(shapes.average, inputs.mean(axis=0), atol=1e-6)


# ---- familiar -------------------------------------------------------------------------------


def test_energy_is_the_log_of_the_summed_exponentials_of_the_output_layer_s_inputs():
    from myonn.familiar import energy

    network = small_network(16, 5, 4)
    hidden = np.random.default_rng(1).random((6, 5)).astype(np.float32)
    scores = hidden.astype(np.float64) @ network.who.T.astype(np.float64) + network.bo

    np.testing.assert_allclose(energy(network, hidden), np.log(np.exp(scores).sum(axis=1)), rtol=1e-5)


# ---- the windows' arithmetic ----------------------------------------------------------------


def test_a_stroke_of_one_click_paints_its_dot_again_when_the_canvas_is_rebuilt():
    # Undo rebuilds the canvas from the strokes left: a dot must come back as it was drawn.
    from myonn.windows.brush import Stroke

    drawn = np.zeros((40, 40), np.uint8)
    stroke = Stroke(255, 9)
    stroke.extend(drawn, (20, 15))
    rebuilt = np.zeros_like(drawn)

    stroke.paint(rebuilt)

    assert drawn.any() and np.array_equal(rebuilt, drawn)


def test_nice_ticks_are_round_steps_inside_the_range_reaching_within_a_step_of_both_ends():
    from myonn.windows.curves import nice_ticks

    rng = np.random.default_rng(4)
    for _ in range(150):
        low = float(rng.uniform(-5, 5)) * 10 ** int(rng.integers(-3, 4))
        high = low + float(rng.uniform(0.01, 10)) * 10 ** int(rng.integers(-3, 4))
        most = int(rng.integers(2, 12))
        ticks = nice_ticks(low, high, most)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else None
        assert all(low - 1e-9 * abs(low) - 1e-12 <= t <= high + 1e-9 * abs(high) + 1e-12 for t in ticks)
        if step is not None:
            mantissa = step / 10 ** np.floor(np.log10(step))
            assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6
            assert ticks[0] - low < step + 1e-9 and high - ticks[-1] < step + 1e-9
            assert len(ticks) <= most + 1


def test_the_running_loss_is_the_mean_over_images_not_over_batches():
    # Two batches, 30 images at loss 1.0 and 10 at loss 3.0: (30 * 1 + 10 * 3) / 40 = 1.5.
    from myonn.windows.curves import LearningCurves

    curves = LearningCurves(epochs=1, images_per_epoch=10_000)
    curves.step(30, 1.0, 15, 0.1)
    curves.step(10, 3.0, 10, 0.1)

    assert curves.current == (40 / 10_000, 1.5, 25 / 40)


def test_the_status_line_counts_epochs_from_1_and_moves_on_once_an_epoch_s_images_are_done():
    from myonn.windows.curves import LearningCurves
    from myonn.windows.watch import TrainingWindow

    window = TrainingWindow()
    window.curves = LearningCurves(epochs=3, images_per_epoch=100)
    for done, epoch in ((0, 1), (99, 1), (100, 2), (250, 3), (300, 3)):
        window.curves.images_done = done
        assert window.progress_text().startswith(f"epoch {epoch}/3")


def test_the_confusion_matrix_first_chooses_the_commonest_mistake_not_the_commonest_right_answer():
    import pygame

    from myonn.windows.browsed_sets import Shown
    from myonn.windows.confusion_matrix_view import ConfusionMatrix
    from myonn.windows.fonts import Fonts

    pygame.font.init()
    # Ten 3s read right, three 4s read as 9, one 7 read as 1.
    labels = np.array([3] * 10 + [4] * 3 + [7], np.uint8)
    readings = np.eye(10, dtype=np.float32)[[3] * 10 + [9] * 3 + [1]]
    shown = Shown("test", np.zeros((14, 28, 28), np.uint8), labels, 0, readings)

    view = ConfusionMatrix(lambda: shown, Fonts(), lambda *a: None, lambda *a: None)

    assert view.chosen() == (4, 9)


def test_the_next_miss_after_a_miss_is_the_one_after_it_and_the_one_before_is_the_one_before():
    from myonn.windows.browsed_sets import next_miss

    misses = np.array([3, 8, 20])
    assert next_miss(misses, 8, 1) == (20, False)
    assert next_miss(misses, 8, -1) == (3, False)
    assert next_miss(misses, 20, 1) == (3, True)
    assert next_miss(misses, 3, -1) == (20, True)


def test_hidden_nodes_lie_in_a_grid_twice_as_wide_as_high_the_places_left_over_grey():
    from myonn.windows.one_step_view import in_grid

    colours = np.random.default_rng(0).integers(0, 256, (200, 3)).astype(np.uint8)
    grid = in_grid(colours)
    assert grid.shape == (10, 20, 3)  # the docstring's 200 nodes: 10 rows of 20
    np.testing.assert_array_equal(grid.reshape(-1, 3)[:200], colours)

    grid = in_grid(colours[:7])  # 7 nodes: 4 columns (the root of 14, rounded up), 2 rows
    assert grid.shape == (2, 4, 3) and (grid.reshape(-1, 3)[7:] == 200).all()


def accuracy_axis(monkeypatch, lowest: float) -> tuple[float, float]:
    """The y-range draw_curves gives its accuracy chart when the lowest accuracy so far is `lowest`."""
    import pygame

    from myonn.windows import curves as charts

    ranges = []
    monkeypatch.setattr(
        charts, "draw_panel", lambda surface, rect, words, lines, x_range, y_range, **kw: ranges.append(y_range)
    )
    run = charts.LearningCurves(epochs=2, images_per_epoch=100)
    run.train_accuracy = [(0.5, min(0.99, lowest + 0.01)), (1.0, lowest)]
    run.test_accuracy = [(1.0, min(1.0, lowest + 0.02))]
    charts.draw_curves(pygame.Surface((400, 600)), pygame.Rect(0, 0, 400, 600), run)
    return ranges[1]


def test_the_accuracy_axis_starts_at_the_5_percent_step_at_or_below_the_lowest_accuracy(monkeypatch):
    for lowest, floor in ((0.87, 0.85), (0.5, 0.5), (0.612, 0.6), (0.949, 0.9)):
        assert accuracy_axis(monkeypatch, lowest) == (floor, 1.0)


def test_above_95_percent_the_accuracy_axis_starts_at_the_whole_percent_at_or_below_the_lowest(monkeypatch):
    for lowest, floor in ((0.973, 0.97), (0.951, 0.95), (0.9999, 0.99)):
        assert accuracy_axis(monkeypatch, lowest) == (floor, 1.0)


def test_a_confusion_cell_is_shaded_by_its_share_of_its_row_whatever_the_size_of_other_rows():
    # Half the 1s read as 0: that cell's shade must not change when there are more 0s. Between
    # 4 zeros and 100, only the count written in the cell of the 0s read right may change.
    import pygame

    from myonn.windows.browsed_sets import Shown
    from myonn.windows.confusion_matrix_view import ConfusionMatrix
    from myonn.windows.fonts import Fonts

    pygame.font.init()
    area = pygame.Rect(0, 0, 550, 600)

    def drawn(zeros: int) -> np.ndarray:
        labels = np.array([0] * zeros + [1, 1], np.uint8)
        readings = np.eye(10, dtype=np.float32)[[0] * zeros + [1, 0]]
        shown = Shown("test", np.zeros((zeros + 2, 28, 28), np.uint8), labels, 0, readings)
        page = pygame.Surface(area.size)
        ConfusionMatrix(lambda: shown, Fonts(), lambda *a: None, lambda *a: None).draw(page, area)
        return pygame.surfarray.array3d(page)

    xs, ys = np.nonzero((drawn(4) != drawn(100)).any(axis=2))
    cell = area.width // 11
    assert len(xs) and xs.max() - xs.min() < cell and ys.max() - ys.min() < cell


def test_the_hidden_nodes_framed_are_those_the_image_excites_most_most_excited_first():
    import pygame

    from myonn.windows.browsed_sets import Shown
    from myonn.windows.fonts import Fonts
    from myonn.windows.hidden_nodes_view import HiddenNodes

    pygame.font.init()
    network = NeuralNetwork(784, 16, 10, seed=3, deskew=False)
    network.bh = np.linspace(-2, 2, 16).astype(np.float32)
    image = np.random.default_rng(3).integers(0, 256, (28, 28)).astype(np.uint8)
    shown = Shown("test", image[np.newaxis], np.zeros(1, np.uint8), 0, None)
    sums = image.reshape(-1).astype(np.float64) / 255 @ network.wih.T.astype(np.float64) + network.bh
    most_first = np.argsort(-1 / (1 + np.exp(-sums)), kind="stable")

    view = HiddenNodes(network, lambda: shown, Fonts(), lambda surface, rect: None)
    marked = view.marked()

    assert 0 < len(marked) < 16 and marked.tolist() == most_first[: len(marked)].tolist()


def test_each_row_of_n_s_tiles_leaves_a_line_of_text_under_the_row_above_and_the_last_inside_the_area():
    # The words under a picture take `text_size` pixels: the next row's pictures start below them.
    import pygame

    from myonn.windows.nearest_view import tile_rects

    for area, count, columns, text_size in (
        (pygame.Rect(0, 0, 600, 400), 8, 4, 20),
        (pygame.Rect(10, 30, 300, 700), 9, 3, 14),
        (pygame.Rect(0, 0, 900, 300), 16, 8, 22),
    ):
        rects = tile_rects(area, count, columns, text_size)
        tops = sorted({rect.top for rect in rects})
        side = rects[0].height
        assert len(tops) == -(-count // columns)
        assert all(lower - upper >= side + text_size for upper, lower in zip(tops, tops[1:]))
        assert tops[-1] + side + text_size <= area.bottom


def test_p_s_bars_are_their_share_of_the_track_rounded_to_the_nearest_pixel():
    import pygame

    from myonn.windows.fonts import Fonts
    from myonn.windows.palette import BAR, TRACK
    from myonn.windows.prediction_view import PredictionView

    pygame.font.init()
    surface = pygame.Surface((420, 400))
    outputs = np.array([0.7] + [0.0666 * k for k in range(1, 10)], np.float32)  # lengths of many fractions
    PredictionView(lambda: None, Fonts(), lambda surface, rect: None).draw_bars(surface, surface.get_rect(), outputs, 0)
    pixels = pygame.surfarray.array3d(surface).transpose(1, 0, 2)  # (y, x, 3)
    bar, track = (pixels == BAR).all(axis=2).sum(axis=1), (pixels == TRACK).all(axis=2).sum(axis=1)
    rows = np.flatnonzero(bar > 0)
    whole = np.bincount(bar[rows] + track[rows]).argmax()  # the track's length, on the rows no letter touches
    lengths = sorted({int(bar[y]) for y in rows if bar[y] + track[y] == whole})
    assert lengths == sorted(round(whole * float(p)) for p in outputs[1:])


def test_every_hidden_node_of_i_s_grid_is_found_under_the_pointer_even_in_a_last_row_part_full():
    # 64 hidden nodes, 20 a row: the last row holds 4, and the pointer finds each of them.
    import pygame

    from myonn.windows.fonts import Fonts
    from myonn.windows.inside_view import InsideView

    view = InsideView(NeuralNetwork(784, 64, 10, seed=0), lambda: None, Fonts(), pygame.Rect(0, 0, 800, 600))

    assert all(view.node_at(view.cell_rect(node).center) == node for node in range(64))


def test_m_s_arrows_reach_every_cell_of_the_ten_by_ten_and_stop_at_its_edges():
    """From the commonest mistake, the arrows walk to each corner: rows and columns 0 to 9, no further."""
    import pygame

    from myonn.windows.browsed_sets import Shown
    from myonn.windows.confusion_matrix_view import ConfusionMatrix
    from myonn.windows.fonts import Fonts

    pygame.font.init()
    labels = np.array([4] * 3 + [3], np.uint8)  # three 4s read as 9: the commonest mistake, in the last column
    readings = np.eye(10, dtype=np.float32)[[9] * 3 + [3]]
    shown = Shown("test", np.zeros((4, 28, 28), np.uint8), labels, 0, readings)
    view = ConfusionMatrix(lambda: shown, Fonts(), lambda *a: None, lambda *a: None)
    assert view.chosen() == (4, 9)

    view.press(pygame.K_DOWN)  # a step down keeps the column
    assert view.chosen() == (5, 9)
    for key, corner in (
        (pygame.K_DOWN, (9, 9)),
        (pygame.K_LEFT, (9, 0)),
        (pygame.K_UP, (0, 0)),
        (pygame.K_RIGHT, (0, 9)),
    ):
        for _ in range(12):  # more presses than cells: the edge holds
            view.press(key)
        assert view.chosen() == corner
