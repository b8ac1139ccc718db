"""Images and the inside views pinned (issue 20): the behaviours a fresh list of one-line bugs got past.

Each expectation is worked out here by hand from the definitions in the docstrings (an
affine map's fixed point, a rotation's orthogonality, a bilinear spread), never taken
from the code under test. Non-square images matter: 28x28 hides rows swapped for columns.
"""

import numpy as np
import pytest

from myonn import images as imaging
from myonn import NeuralNetwork, dreams, inside
from myonn.nearest import Reminders
from myonn.one_step import Step
from myonn.preprocess import stroke_width
from myonn.styles import INK, draw_strokes, ink_column, pen_widths, refit


def source_of(matrices: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Where each map sends an output point (y, x): the source point that output pixel shows."""
    return np.einsum("nij,nj->ni", matrices[:, :, :2], points) + matrices[:, :, 2]


def shown_at(matrices: np.ndarray, source: np.ndarray) -> np.ndarray:
    """The output point each map shows `source` at: its map solved backwards."""
    return np.linalg.solve(matrices[:, :, :2].astype(np.float64), (source - matrices[:, :, 2])[..., None])[..., 0]


# ---- random_affine_matrices ---------------------------------------------------------------


def test_random_maps_without_scaling_turn_the_image_without_stretching_or_mirroring_it():
    matrices = imaging.random_affine_matrices(500, np.random.default_rng(0), rotate_degrees=30, scale=(1, 1))
    turns = matrices[:, :, :2].astype(np.float64)

    # A rotation keeps lengths and angles (R R^T = I) and does not mirror (det R = 1).
    np.testing.assert_allclose(turns @ turns.transpose(0, 2, 1), np.broadcast_to(np.eye(2), turns.shape), atol=1e-5)
    np.testing.assert_allclose(np.linalg.det(turns), 1.0, atol=1e-5)


def test_the_source_s_centre_is_shown_at_most_the_shift_away_from_the_centre_whatever_the_turn():
    # The map turns and scales about the centre, then shifts: so the source's centre lands
    # on the image's centre moved by the shift, however far the image is turned.
    n, centre = 2000, np.array([13.5, 13.5])
    matrices = imaging.random_affine_matrices(n, np.random.default_rng(1), rotate_degrees=60, scale=(0.8, 1.2))

    moved = shown_at(matrices, np.tile(centre, (n, 1))) - centre

    assert np.abs(moved).max() <= 1.0 + 1e-4


def test_the_random_shifts_go_both_ways_along_both_axes_up_to_the_shift_asked():
    n, centre = 2000, np.array([13.5, 13.5])
    matrices = imaging.random_affine_matrices(n, np.random.default_rng(2), rotate_degrees=0, scale=(1, 1), shift=2.0)

    moved = shown_at(matrices, np.tile(centre, (n, 1))) - centre

    assert np.abs(moved).max() <= 2.0 + 1e-4
    assert (moved.min(axis=0) < -1.9).all() and (moved.max(axis=0) > 1.9).all()  # up, down, left and right


def test_a_non_square_image_is_turned_and_scaled_about_its_own_centre():
    n, centre = 200, np.array([9.5, 14.5])  # 20 rows, 30 columns
    matrices = imaging.random_affine_matrices(
        n, np.random.default_rng(3), size=(20, 30), rotate_degrees=30, scale=(0.8, 1.2), shift=0
    )

    # With no shift the centre is the one point each map leaves where it is.
    np.testing.assert_allclose(source_of(matrices, np.tile(centre, (n, 1))), np.tile(centre, (n, 1)), atol=1e-4)


# ---- bends --------------------------------------------------------------------------------


def test_random_bends_move_the_grid_points_both_ways_up_to_the_most_asked():
    bends = imaging.random_bends(500, np.random.default_rng(4), grid=4, most=2.0)

    assert bends.shape == (500, 2, 4, 4) and np.abs(bends).max() <= 2.0
    for axis in (0, 1):  # rows and columns, each up and down
        assert bends[:, axis].min() < -1.9 and bends[:, axis].max() > 1.9


def test_a_bend_grid_spans_a_non_square_image_s_height_down_and_its_width_across():
    # A 2x2 grid whose right-hand points move 1: pixel (y, x) of a 3x5 image moves x / 4, its
    # share of the way from the left column (x = 0) to the right one (x = 4), whatever its row.
    # Moving the bottom points instead gives y / 2.
    spread = imaging.bend_spreading(2, 3, 5)
    ys, xs = np.divmod(np.arange(15), 5)

    np.testing.assert_allclose(np.array([0, 1, 0, 1], np.float32) @ spread, xs / 4, atol=1e-6)
    np.testing.assert_allclose(np.array([0, 0, 1, 1], np.float32) @ spread, ys / 2, atol=1e-6)


# ---- styles: the ink's column, and shrinking back into the box ----------------------------


def test_the_ink_column_is_read_on_the_row_nearest_a_fractional_row():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 10, 5] = 255  # row 10: ink at column 5
    image[0, 11, [20, 22]] = 200  # row 11: ink at columns 20 and 22, mean 21

    assert ink_column(image, np.array([10.6]))[0] == pytest.approx(21.0)
    assert ink_column(image, np.array([10.4]))[0] == pytest.approx(5.0)


def centre_of_mass(image: np.ndarray) -> np.ndarray:
    """(row, column) of an image's centre of ink, from the definition."""
    ys, xs = np.indices(image.shape)
    return np.array([(image * ys).sum(), (image * xs).sum()]) / image.sum(dtype=np.float64)


def test_a_digit_grown_too_big_is_shrunk_into_20x20_about_the_middle_of_its_ink_box():
    # Ink 24 rows tall (0 to 23) and 6 columns wide (4 to 9), its box's middle (11.5, 6.5):
    # shrunk by 24 / 20 = 1.2 about that middle, it lands in the image's middle (13.5, 13.5),
    # output row p showing source row 11.5 + 1.2 (p - 13.5): rows 4 to 23 have ink.
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 0:24, 4:10] = 255

    out = refit(image)[0]

    rows = np.flatnonzero(out.any(axis=1))
    assert (rows[0], rows[-1]) == (4, 23)
    np.testing.assert_allclose(centre_of_mass(out), [13.5, 13.5], atol=0.05)


# ---- signed colours -----------------------------------------------------------------------


def test_by_default_the_colour_scale_reaches_the_largest_value_however_negative():
    # The limit is the largest absolute value, here 4 (a negative one): 1 is a quarter of the way.
    colours = inside.signed_rgb(
        np.array([-4.0, 1.0]), positive=(0, 0, 0), negative=(200, 200, 200), neutral=(100, 100, 100)
    )

    assert colours.tolist() == [[200, 200, 200], [75, 75, 75]]


# ---- nearest training images --------------------------------------------------------------


class RowsAsHidden:
    """A stand-in network whose hidden outputs for each "image" are that image's own row of numbers."""

    hnodes = 200

    def prepare_inputs(self, images):
        return images

    def forward(self, inputs):
        return inputs, None


def test_the_nearest_are_found_exactly_even_where_float32_cannot_tell_them_apart():
    # 2,000 hidden outputs a hair apart, and 6 images among them: their squared distances
    # differ by less than float32 can tell in |b|^2 - 2 a.b, so the quick pass must keep a
    # few more than 8 for float64 to put in order. Expected: every distance in float64, sorted.
    rng = np.random.default_rng(0)
    base = rng.random(200)
    hidden = (base + 0.003 * rng.normal(size=(2000, 200))).astype(np.float32)
    memory = Reminders(RowsAsHidden(), hidden, np.zeros(2000, int))

    for _ in range(6):
        query = (base + 0.003 * rng.normal(size=200)).astype(np.float32)
        distances = ((hidden.astype(np.float64) - query.astype(np.float64)) ** 2).sum(axis=1)
        assert memory.nearest(query, 8).tolist() == np.lexsort((np.arange(2000), distances))[:8].tolist()


def test_of_images_as_near_the_earlier_comes_first_among_many_that_are_not():
    # 40 images of two kinds in turn, 0 1 0 1 ...: asked about the first kind, the 8 nearest
    # are its first 8 images, in order (a sort that is not stable puts them in any order).
    kinds = np.array([np.full(200, 0.25), np.full(200, 0.75)], np.float32)
    memory = Reminders(RowsAsHidden(), kinds[np.arange(40) % 2], np.zeros(40, int))

    assert memory.nearest(kinds[0], 8).tolist() == [0, 2, 4, 6, 8, 10, 12, 14]


# ---- dreams -------------------------------------------------------------------------------


def test_each_step_of_a_dream_goes_the_step_size_in_standard_deviations_not_in_pixels():
    # One made-up direction, pixel 200 alone, whose digits spread 0.4 around 0.2: each step
    # moves it STEP_SIZE x 0.4 = 0.005 the way that makes a 2 more likely (by finite differences).
    network = NeuralNetwork(784, 30, 10, seed=5, deskew=False)
    average, direction = np.full(784, 0.2), np.zeros((1, 784))
    direction[0, 200] = 1.0
    up, down = average.copy(), average.copy()
    up[200], down[200] = 0.2 + 1e-3, 0.2 - 1e-3
    way = np.sign(log_probability(network, up, 2) - log_probability(network, down, 2))

    steps = list(dreams.dream_steps(network, 2, dreams.Handwriting(average, direction, np.array([0.4])), steps=10))

    expected = np.rint((0.2 + way * dreams.STEP_SIZE * 0.4 * np.arange(1, 11)) * 255)
    assert [int(step.ravel()[200]) for step in steps] == expected.astype(int).tolist()


def log_probability(network: NeuralNetwork, inputs: np.ndarray, digit: int) -> float:
    """log p(digit) for one row of inputs, in float64, from the definition."""
    hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ inputs + network.bh)))
    scores = network.who.astype(np.float64) @ hidden + network.bo
    return float(scores[digit] - np.log(np.exp(scores).sum()))


# ---- distort: about each image's own centre, and bent ------------------------------------


def no_bends(n, rng):
    """Bends that move nothing, to see the affine motion alone."""
    return np.zeros((n, 2, imaging.BEND_GRID, imaging.BEND_GRID), np.float32)


def test_a_non_square_image_is_distorted_about_its_own_centre(monkeypatch):
    # A dot in the middle of a 20x60 image: turned and scaled about that middle, it only
    # moves by the shift, at most a pixel each way (a turn about another point moves it further).
    monkeypatch.setattr(imaging, "random_bends", no_bends)
    images = np.zeros((300, 20, 60), np.float32)
    images[:, 9:11, 29:31] = 1.0

    out = imaging.distort(images, np.random.default_rng(5))

    ys, xs = np.indices((20, 60))
    mass = out.sum(axis=(1, 2))
    moved = np.stack([(out * ys).sum(axis=(1, 2)) / mass - 9.5, (out * xs).sum(axis=(1, 2)) / mass - 29.5], axis=1)
    assert np.abs(moved).max() <= 1.1


def test_distorting_bends_a_straight_stroke_by_at_most_the_bend(monkeypatch):
    # With no turn, scaling or shift, only the bend moves the ink: a straight upright line
    # comes out wavy (its rows' ink no longer all in one column), none of it moved over BEND pixels.
    monkeypatch.setattr(imaging, "random_affine_matrices", lambda n, rng, size: np.tile(np.eye(2, 3), (n, 1, 1)))
    images = np.zeros((50, 28, 28), np.float32)
    images[:, 4:24, 14] = 1.0

    out = imaging.distort(images, np.random.default_rng(6))

    rows = out[:, 6:22]  # rows the line still crosses, however it is bent up or down
    columns = (rows * np.arange(28)).sum(axis=2) / rows.sum(axis=2)  # each row's ink column
    assert np.abs(columns - 14).max() <= imaging.BEND + 1e-4
    assert (columns.max(axis=1) - columns.min(axis=1) > 0.1).mean() > 0.9


# ---- styles: strokes' grey edges, the ink counted --------------------------------------


def test_a_stroke_s_grey_edge_is_its_cover_rounded_to_the_nearest_level():
    # A stroke 2.3 wide along row 10: a pixel a row off is covered 2.3 / 2 + 0.5 - 1 = 0.65,
    # so 0.65 x 255 = 165.75, which rounds to 166.
    out = draw_strokes(np.zeros((1, 28, 28), np.uint8), [[10, 5]], [[10, 20]], [2.3])[0]

    assert out[11, 12] == 166 and out[9, 12] == 166


def test_the_ink_column_leaves_out_pixels_too_faint_to_count_as_ink():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 10, 20] = 200
    image[0, 10, 0] = INK  # not darker than INK: not ink

    assert ink_column(image, np.array([10.0]))[0] == pytest.approx(20.0)


def test_a_digit_s_pen_width_counts_only_its_dark_pixels_as_stroke_width_does():
    # A bar 3 wide (rows 6 to 21, columns 13 to 15) with a grey (100) column each side: the
    # grey is not ink, so the pen is the bar's, 2 x 48 / 34 by hand, and 0.5 wider.
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 6:22, 12:17] = 100
    image[0, 6:22, 13:16] = 255

    assert pen_widths(image)[0] == pytest.approx(2 * 48 / 34 + 0.5)
    assert pen_widths(image)[0] == pytest.approx(stroke_width(image[0] > 127) + 0.5)


def test_the_climb_reads_each_pixel_as_it_can_be_not_beyond_full_ink():
    # Pixel 100 helps the 0 up to full ink and harms it beyond (a node rising at 0.9, a
    # stronger one against it rising at 1.2); pixel 200 helps throughout. Read as it can
    # be, pixel 100 stays full and keeps its share of each step; read beyond full ink it
    # would turn back, and pixel 200 get all of every step. The climb by hand, in float64.
    network = NeuralNetwork(784, 3, 10, seed=0, deskew=False)
    for weights in (network.wih, network.bh, network.who, network.bo):
        weights[...] = 0
    network.wih[0, 100], network.bh[0] = 20, -18
    network.wih[1, 100], network.bh[1] = 20, -24
    network.wih[2, 200], network.bh[2] = 4, -2
    network.who[0] = [1, -2, 1]
    average, directions, spreads = np.zeros(784), np.zeros((2, 784)), np.array([0.4, 0.4])
    average[100], average[200] = 0.9, 0.5
    directions[0, 100] = directions[1, 200] = 1.0

    along, expected = np.zeros(2), []
    for _ in range(100):
        inputs = np.clip(average + along @ directions, 0, 1)
        slopes = []
        for pixel in (100, 200):
            up, down = inputs.copy(), inputs.copy()
            up[pixel] += 1e-6
            down[pixel] -= 1e-6
            slopes.append((log_probability(network, up, 0) - log_probability(network, down, 0)) / 2e-6)
        uphill = np.array(slopes) * spreads
        along = np.clip(along + dreams.STEP_SIZE * spreads * uphill / np.sqrt((uphill**2).sum()), -1.0, 1.0)
        expected.append(np.rint(np.clip(average[200] + along[1], 0, 1) * 255))

    climbed = [
        step.ravel()[200]
        for step in dreams.dream_steps(network, 0, dreams.Handwriting(average, directions, spreads), 100)
    ]

    assert np.abs(np.array(climbed, int) - np.array(expected, int)).max() <= 1


def test_the_shapes_of_handwriting_need_two_images_at_least():
    # Six images: only the first is sampled (every sixth), and one image has no spread.
    with pytest.raises(ValueError, match="at least two training images"):
        dreams.handwriting(NeuralNetwork(deskew=False), np.zeros((6, 28, 28), np.uint8))


# ---- one step -----------------------------------------------------------------------------


def test_of_nodes_a_step_moved_as_much_the_lower_numbered_is_named_first():
    # 40 hidden nodes, the even ones moved 1 by the step, the odd ones not at all.
    moves = np.zeros((40, 784))
    moves[::2, 0] = 1.0
    step = Step(*[None] * 6, {"wih": moves}, None, 0.1)

    assert step.moved_most(4).tolist() == [0, 2, 4, 6]
