"""myonn.styles and the recipe's varied epochs: crossed zeros, flagged ones, crossed sevens, bends.

Each styled digit is checked against a digit drawn here by hand (a ring, a bar, a 7),
where the new stroke must be found: ink where the plain digit had none.
"""

import numpy as np
import pytest

from myonn import images as imaging
from myonn.network import NeuralNetwork
from myonn.styles import crossed_sevens, draw_strokes, flagged_ones, slashed_zeros, styled_copies
from myonn.training import EpochImages


def ring(n: int = 6) -> np.ndarray:
    """n copies of a hand-made zero: a ring of radius 5 to 7 around (14, 14), no ink inside."""
    ys, xs = np.mgrid[0:28, 0:28]
    distance = np.hypot(ys - 14, xs - 14)
    image = np.where((distance >= 5) & (distance <= 7), 255, 0).astype(np.uint8)
    return np.repeat(image[None], n, axis=0)


def bar(n: int = 6) -> np.ndarray:
    """n copies of a hand-made one: an upright bar 3 pixels wide, rows 4 to 23, columns 13 to 15."""
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:16] = 255
    return np.repeat(image[None], n, axis=0)


def seven(n: int = 6) -> np.ndarray:
    """n copies of a hand-made seven: a bar across rows 4-6 (columns 8-19) and a stem down columns 17-19."""
    image = np.zeros((28, 28), np.uint8)
    image[4:7, 8:20] = 255
    image[4:24, 17:20] = 255
    return np.repeat(image[None], n, axis=0)


def test_a_stroke_is_full_ink_within_half_its_width_and_none_a_pixel_beyond():
    blank = np.zeros((1, 28, 28), np.uint8)
    out = draw_strokes(blank, [[10, 5]], [[10, 20]], [3.0])[0]
    # Width 3: full within 1.5 pixels of the line (plus the half-pixel ramp), nothing 2 or more away.
    assert out[10, 12] == 255 and out[11, 12] == 255 and out[9, 12] == 255
    assert out[12, 12] == 0 and out[8, 12] == 0
    # Round ends: the point 1 pixel past the end is inked, 3 pixels past is not.
    assert out[10, 21] == 255 and out[10, 23] == 0


def test_a_stroke_keeps_the_darker_ink_already_there():
    image = np.full((1, 28, 28), 200, np.uint8)
    out = draw_strokes(image, [[10, 5]], [[10, 20]], [3.0])[0]
    assert out[10, 12] == 255 and out[20, 20] == 200


def test_a_slashed_zero_has_ink_across_the_middle_of_its_ring():
    zeros = ring()
    slashed = slashed_zeros(zeros, np.random.default_rng(0))
    for image in slashed:
        # Wherever the digit now sits, the ring's hole is crossed: the middle of the ink's box has ink.
        rows, cols = np.flatnonzero(image.any(axis=1) > 0), np.flatnonzero(image.any(axis=0) > 0)
        middle = image[
            (rows[0] + rows[-1]) // 2 - 1 : (rows[0] + rows[-1]) // 2 + 2,
            (cols[0] + cols[-1]) // 2 - 1 : (cols[0] + cols[-1]) // 2 + 2,
        ]
        assert middle.max() > 127
    assert not zeros[0, 12:17, 12:17].any()  # the plain ring's middle is empty


def test_a_styled_digit_still_fits_mnist_s_20_by_20_box():
    for styled in (
        slashed_zeros(ring(), np.random.default_rng(1)),
        flagged_ones(bar(), np.random.default_rng(1)),
        crossed_sevens(seven(), np.random.default_rng(1)),
    ):
        for image in styled:
            rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
            assert rows[-1] - rows[0] < 20 and cols[-1] - cols[0] < 20


def test_a_flagged_one_has_ink_left_of_its_stem_near_the_top_and_none_at_the_bottom_without_a_foot():
    ones = bar()
    flagged = flagged_ones(ones, np.random.default_rng(2), foot=0.0)
    for image in flagged:
        ink = image > 127
        stem_left = np.flatnonzero(ink[-10])  # somewhere low on the stem: the stem's own columns
        top = np.flatnonzero(ink.any(axis=1))[0]
        assert ink[top : top + 8, : stem_left.min() - 1].any()  # the flag, left of the stem, near the top
        bottom = np.flatnonzero(ink.any(axis=1))[-1]
        assert not ink[bottom - 3 : bottom + 1, : stem_left.min() - 1].any()  # no foot


def test_a_one_with_a_foot_has_ink_both_sides_of_its_stem_at_the_bottom():
    footed = flagged_ones(bar(), np.random.default_rng(3), foot=1.0)
    for image in footed:
        ink = image > 127
        rows = np.flatnonzero(ink.any(axis=1))
        middle_row = ink[(rows[0] + rows[-1]) // 2]
        stem = np.flatnonzero(middle_row)
        bottom = ink[rows[-1] - 1 : rows[-1] + 1]
        assert bottom[:, : stem.min() - 1].any() and bottom[:, stem.max() + 2 :].any()


def test_a_crossed_seven_has_ink_both_sides_of_its_stem_halfway_down():
    crossed = crossed_sevens(seven(), np.random.default_rng(4))
    plain = seven()[0] > 127
    assert not plain[12:18, :16].any()  # the hand-made 7 has nothing left of its stem there
    for image in crossed:
        ink = image > 127
        rows = np.flatnonzero(ink.any(axis=1))
        band = ink[rows[0] + int(0.4 * (rows[-1] - rows[0])) : rows[0] + int(0.7 * (rows[-1] - rows[0])) + 1]
        stem_columns = np.flatnonzero(ink[rows[-1] - 2])
        assert band[:, : stem_columns.min() - 1].any() and band[:, stem_columns.max() + 2 :].any()


def test_styled_copies_are_made_of_exactly_the_zeros_ones_and_sevens():
    labels = np.array([0, 3, 1, 7, 7, 2, 9, 1, 0, 5])
    images = np.concatenate([ring(2), bar(2), seven(2), ring(2), bar(2)])[: len(labels)]
    where, copies = styled_copies(images, labels, np.random.default_rng(5))
    assert where.tolist() == [i for i, label in enumerate(labels) if label in (0, 1, 7)]
    assert copies.shape == (len(where), 28, 28) and copies.dtype == np.uint8


@pytest.fixture(scope="module")
def some_digits(train_set):
    """2,000 MNIST training images and labels."""
    return train_set[0][:2000], train_set[1][:2000]


def changed(network: NeuralNetwork, digits, **recipe) -> np.ndarray:
    """Which images one epoch of EpochImages shows otherwise than deskewed and nothing else."""
    images, labels = digits
    straight = network.straighten(images).reshape(images.shape)
    epoch = EpochImages(network, images, labels, np.random.default_rng(0), **recipe).next_epoch(
        np.random.default_rng(1)
    )
    return (epoch != straight).any(axis=(1, 2))


def test_with_every_style_on_every_zero_one_and_seven_is_restyled_and_nothing_else(some_digits):
    network = NeuralNetwork(784, 8, 10)
    differs = changed(network, some_digits, distort=0, styles=1.0, vary_strokes=False)
    styled = np.isin(some_digits[1], [0, 1, 7])
    assert differs[styled].mean() > 0.97 and not differs[~styled].any()


def test_a_share_of_the_zeros_ones_and_sevens_is_restyled_each_epoch(some_digits):
    differs = changed(NeuralNetwork(784, 8, 10), some_digits, distort=0, styles=0.3, vary_strokes=False)
    styled = np.isin(some_digits[1], [0, 1, 7])
    assert 0.2 < differs[styled].mean() < 0.4 and not differs[~styled].any()


def test_a_share_of_the_images_is_distorted_each_epoch(some_digits):
    differs = changed(NeuralNetwork(784, 8, 10), some_digits, distort=0.5, styles=0, vary_strokes=False)
    assert 0.4 < differs.mean() < 0.6


def test_a_bend_of_one_row_everywhere_moves_the_image_up_a_row():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 10:15, 8:20] = np.arange(12, dtype=np.uint8) * 20
    bends = np.zeros((1, 2, 4, 4), np.float32)
    bends[0, 0] = 1.0  # every grid point moves one row: each output pixel shows the one below it
    expected = np.zeros_like(image)
    expected[0, :-1] = image[0, 1:]
    identity = np.array([[[1, 0, 0], [0, 1, 0]]], np.float32)
    np.testing.assert_array_equal(imaging.warp_affine(image, identity, bends), expected)


def test_a_bend_spreads_each_grid_point_s_move_so_every_pixel_gets_a_whole_move():
    spread = imaging.bend_spreading(4, 28, 28)
    np.testing.assert_allclose(spread.sum(axis=0), 1.0, atol=1e-6)
    assert spread[0, 0] == 1.0 and spread[15, 28 * 28 - 1] == 1.0  # the corners follow the grid's corners
    # Pixel x = 4 lies 4/9 of the way from grid point 0 to grid point 1 (one every 9 pixels).
    assert spread[0, 4] == pytest.approx(1 - 4 / 9) and spread[1, 4] == pytest.approx(4 / 9)


def test_a_slashed_zero_s_slash_leans_right_from_bottom_left_to_top_right():
    for image in slashed_zeros(ring(), np.random.default_rng(2)):
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        cy, cx = (rows[0] + rows[-1]) // 2, (cols[0] + cols[-1]) // 2
        # Inside the ring's hole only the slash has ink: a "/" rises (its row number falls) as it goes right.
        ys, xs = np.nonzero(image[cy - 3 : cy + 4, cx - 3 : cx + 4] > 127)
        assert len(ys) > 2 and np.corrcoef(ys, xs)[0, 1] < 0  # a backslash's would be above 0


@pytest.mark.parametrize("missing", [0, 1, 7])
def test_images_with_none_of_a_styled_digit_still_get_the_others_styles(train_set, missing):
    # The first 15 training images hold no 7: --limit 15 trained into a traceback before.
    from myonn.styles import styled_copies

    images, labels = train_set[0][:600], train_set[1][:600]
    keep = labels != missing
    indices, copies = styled_copies(images[keep], labels[keep], np.random.default_rng(0))
    others = [d for d in (0, 1, 7) if d != missing]
    assert sorted(indices) == sorted(np.flatnonzero(np.isin(labels[keep], others)))
    assert len(copies) == len(indices)


def test_a_few_images_without_a_seven_train(train_set):
    from myonn import NeuralNetwork
    from myonn.training import fit

    images, labels = train_set[0][:15], train_set[1][:15]
    assert 7 not in labels
    fit(NeuralNetwork(784, 8, 10, seed=0), images, labels, epochs=1, batch_size=8, learning_rate=0.3)


# ---- where each stroke goes, from the docstrings' ranges -----------------------------------


class Share:
    """A stand-in for numpy's random Generator: image i's every draw is the same share `t[i]` of its range.

    With it, where a stroke goes can be worked out by hand from the ranges the docstrings
    give: a share of 0 gives each range's low end, 1 its high end. As numpy's does, a
    draw with no size is one number for all (here, the first image's).
    """

    def __init__(self, *t: float):
        self.t = np.array(t)

    def uniform(self, low, high, size=None):
        t = self.t[0] if size is None else self.t[np.arange(size)]
        return low + t * (high - low)

    def random(self, size=None):
        t = self.t[0] if size is None else self.t[np.arange(size)]
        return np.minimum(t, 0.99)  # numpy's draws from [0, 1) are never 1


def short_bar(n: int = 3) -> np.ndarray:
    """n copies of a one 16 pixels tall (rows 6 to 21, columns 13 to 15): room for a flag and a foot."""
    image = np.zeros((28, 28), np.uint8)
    image[6:22, 13:16] = 255
    return np.repeat(image[None], n, axis=0)


# Pen widths by hand, as `pen_widths` defines them: 2 x ink area / edge pixels, + 0.5.
# The short bar: 48 pixels of ink, 14 inside (column 14, rows 7 to 20), so 34 on the edge.
SHORT_BAR_PEN = 2 * 48 / 34 + 0.5
# The seven: 36 + 60 - 9 = 87 pixels of ink; inside, row 5 columns 9-18, (6, 17) and
# column 18 rows 6-22: 10 + 1 + 17 = 28, so 59 on the edge.
SEVEN_PEN = 2 * 87 / 59 + 0.5
SHARES = (0.0, 0.5, 1.0)  # the low end of every range, the middle, the high end: one image each


def assert_about(actual: np.ndarray, expected: np.ndarray) -> None:
    """Equal to a grey level (float rounding at a stroke's edge), image for image."""
    assert actual.shape == expected.shape
    assert np.abs(actual.astype(int) - expected.astype(int)).max() <= 1


def flagged_by_hand(t: float) -> np.ndarray:
    """The short bar with its flag at share t of the docstring's ranges, drawn from its two ends."""
    height, top, stem = 16, 6, 14.0  # rows 6 to 21; the stem's middle column
    length, angle = height * (0.2 + t * 0.25), np.deg2rad(30 + t * 35)  # 20% to 45% long, 30 to 65 degrees
    start, end = [top + 0.5, stem], [top + length * np.sin(angle), stem - length * np.cos(angle)]
    return draw_strokes(short_bar(1), [start], [end], [SHORT_BAR_PEN])[0]


def test_a_flag_leaves_the_top_of_the_stem_at_the_docstring_s_length_and_angle():
    expected = np.stack([flagged_by_hand(t) for t in SHARES])
    assert_about(flagged_ones(short_bar(), Share(*SHARES), foot=0.0), expected)


def test_a_foot_runs_both_ways_from_the_bottom_of_the_stem():
    expected = []
    for t in SHARES:
        # 15% to 35% of the height each way, from half a pixel above the ink's bottom (row 21),
        # the right end up to a pixel higher or lower.
        y, side = 21 - 0.5, 16 * (0.15 + t * 0.2)
        foot = [[y, 14.0 - side]], [[y - 1 + 2 * t, 14.0 + side]]
        expected.append(draw_strokes(flagged_by_hand(t)[None], *foot, [SHORT_BAR_PEN])[0])
    assert_about(flagged_ones(short_bar(), Share(*SHARES), foot=1.0), np.stack(expected))


def test_by_default_a_one_in_every_few_gets_a_foot():
    # foot=0.4: a draw of 0.39 from [0, 1) gives a foot, one of 0.4 or more does not. (Every
    # other draw is the middle of its range.)
    draws = Share(0.5, 0.5, 0.5)
    draws.random = lambda size: np.array([0.39, 0.4, 0.9])
    out = flagged_ones(short_bar(), draws)
    assert (out[0] == flagged_ones(short_bar(1), Share(0.5), foot=1.0)[0]).all()
    plain = flagged_ones(short_bar(1), Share(0.5), foot=0.0)[0]
    assert (out[1] == plain).all() and (out[2] == plain).all() and not (out[0] == plain).all()


def test_a_seven_s_bar_crosses_its_stem_where_the_docstring_says():
    height, top, stem = 20, 4, 18.0  # rows 4 to 23; the stem is columns 17 to 19
    expected = []
    for t in SHARES:
        y = top + height * (0.45 + t * 0.2)  # 45% to 65% of the way down
        x = stem + (-1 + 2 * t)  # up to a pixel either side of the stem's middle
        half = height * (0.15 + t * 0.15)  # 15% to 30% of the height each side
        rise = half * np.tan(np.deg2rad(-10 + 20 * t))  # tilted up to 10 degrees either way
        expected.append(draw_strokes(seven(1), [[y + rise, x - half]], [[y - rise, x + half]], [SEVEN_PEN])[0])
    assert_about(crossed_sevens(seven(3), Share(*SHARES)), np.stack(expected))


def test_a_slash_runs_through_the_ring_s_middle_at_the_docstring_s_angle():
    # The ring's ink box is rows and columns 7 to 21 (15 high), its middle (14, 14). Its pen,
    # by hand: 80 pixels of ink, 16 inside, so 2 x 80 / 64 + 0.5 = 3.
    expected = []
    shares = (0.0, 0.1, 0.2)  # slashes short enough that the zero still fits its 20x20 box
    for t in shares:
        cx = 14 + (-1 + 2 * t)  # up to a pixel either side of the middle
        run = 1 / np.tan(np.deg2rad(50 + 38 * t))  # 50 to 88 degrees from the horizontal
        # From 5% inside to 30% beyond the bottom, to as far beyond the top.
        y0, y1 = 21 + 15 * (-0.05 + 0.35 * t), 7 - 15 * (-0.05 + 0.35 * t)
        start, end = [y0, cx - (y0 - 14) * run], [y1, cx - (y1 - 14) * run]
        expected.append(draw_strokes(ring(1), [start], [end], [3.0])[0])
    assert_about(slashed_zeros(ring(3), Share(*shares)), np.stack(expected))


@pytest.mark.parametrize("restyle, digit", [(slashed_zeros, ring), (flagged_ones, bar), (crossed_sevens, seven)])
def test_each_copy_of_a_digit_gets_its_own_stroke(restyle, digit):
    # Six copies of one digit, six draws: no two strokes the same.
    out = restyle(digit(6), np.random.default_rng(7)).reshape(6, -1)
    assert len({image.tobytes() for image in out}) == 6


def test_each_styled_copy_is_written_in_its_own_digit_s_style():
    labels = np.array([1, 0, 7, 1])
    images = np.concatenate([short_bar(1), ring(1), seven(1), short_bar(1)])
    where, copies = styled_copies(images, labels, np.random.default_rng(8))
    assert where.tolist() == [0, 1, 2, 3]
    for image, label in zip(copies, labels):
        ink = image > 127
        rows = np.flatnonzero(ink.any(axis=1))
        stem = np.flatnonzero(ink[rows[-1] - 4])  # low on the stem, above any foot
        middle = ink[(rows[0] + rows[-1]) // 2]
        if label == 1:  # a flag goes left only: nothing right of the stem halfway down
            assert not middle[stem.max() + 2 :].any()
        if label == 7:  # a bar goes both ways
            assert middle[: stem.min() - 1].any() and middle[stem.max() + 2 :].any()
        if label == 0:  # a slash through the ring's hole
            cols = np.flatnonzero(ink.any(axis=0))
            cy, cx = (rows[0] + rows[-1]) // 2, (cols[0] + cols[-1]) // 2
            assert ink[cy - 1 : cy + 2, cx - 1 : cx + 2].any()


def test_ink_column_reads_the_row_asked_up_to_the_last_and_holds_rows_past_the_edges_to_them():
    """The mean column of the ink across a row, by hand: ink at columns 18 and 22 of the last row (27)
    is centred on 20; at column 3 of the first row, on 3; a row past either edge reads the edge row."""
    from myonn.styles import ink_column

    images = np.zeros((4, 28, 28), np.uint8)
    images[:, 27, 18] = images[:, 27, 22] = 200
    images[:, 26, 5] = 200  # the row above the last: another place
    images[:, 0, 3] = 200
    columns = ink_column(images, np.array([27.0, 31.0, 0.0, -4.0]))
    assert columns.tolist() == [20.0, 20.0, 3.0, 3.0]
    # No ink across the row: the middle of the image.
    assert ink_column(images[:1], np.array([13.0])).tolist() == [13.5]
