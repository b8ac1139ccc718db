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
