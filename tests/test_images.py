"""myonn.images: affine warps, deskewing and random distortions of batches of images."""

import numpy as np
import pytest

from myonn import images as imaging


@pytest.fixture(scope="module")
def digits(test_set) -> np.ndarray:
    """The first 300 real MNIST test images."""
    return test_set[0][:300]


def identity(n: int) -> np.ndarray:
    """n affine maps that send every point to itself."""
    return np.tile(np.array([[1, 0, 0], [0, 1, 0]], np.float32), (n, 1, 1))


def shift(n: int, dy: float, dx: float) -> np.ndarray:
    """n affine maps under which the output shows the source moved down by dy and right by dx."""
    matrices = identity(n)
    matrices[:, 0, 2], matrices[:, 1, 2] = -dy, -dx
    return matrices


def centre_of_mass(images: np.ndarray) -> np.ndarray:
    """(n, 2): each image's centre of ink, (row, column), computed here independently of myonn."""
    ys, xs = np.indices(images.shape[1:])
    mass = images.sum(axis=(1, 2), dtype=np.float64)
    return np.stack([(images * ys).sum(axis=(1, 2)) / mass, (images * xs).sum(axis=(1, 2)) / mass], axis=1)


def slant(images: np.ndarray) -> np.ndarray:
    """Each image's slant: how far its ink moves right per row down (cov(y, x) / var(y))."""
    ys, xs = np.indices(images.shape[1:])
    p = images / images.sum(axis=(1, 2), keepdims=True, dtype=np.float64)
    cy, cx = (p * ys).sum(axis=(1, 2)), (p * xs).sum(axis=(1, 2))
    cov = (p * ys * xs).sum(axis=(1, 2)) - cy * cx
    var = (p * ys**2).sum(axis=(1, 2)) - cy**2
    return cov / var


def slanted_bar(slope: float) -> np.ndarray:
    """One 28x28 image of a bar 3 pixels wide leaning right by `slope` pixels per row."""
    image = np.zeros((1, 28, 28), np.uint8)
    for row in range(5, 23):
        centre = 13.5 + slope * (row - 13.5)
        image[0, row, int(round(centre)) - 1 : int(round(centre)) + 2] = 255
    return image


# ---- warp_affine ----------------------------------------------------------------------------


def test_the_identity_warp_returns_each_image_unchanged(digits):
    np.testing.assert_array_equal(imaging.warp_affine(digits, identity(len(digits))), digits)


def test_the_identity_warp_returns_float_images_unchanged():
    images = np.random.default_rng(0).random((4, 10, 12)).astype(np.float32)

    np.testing.assert_allclose(imaging.warp_affine(images, identity(4)), images, atol=1e-6)


def test_a_whole_pixel_shift_moves_the_image_and_brings_in_background(digits):
    images = digits[:10]
    expected = np.zeros_like(images)
    expected[:, 2:, :-3] = images[:, :-2, 3:]  # two rows down, three columns left

    np.testing.assert_array_equal(imaging.warp_affine(images, shift(10, 2, -3)), expected)


def test_a_half_pixel_shift_averages_neighbouring_pixels():
    image = np.zeros((1, 5, 5), np.float32)
    image[0, 2, 2] = 1.0

    out = imaging.warp_affine(image, shift(1, 0, 0.5))

    assert out[0, 2, 2] == pytest.approx(0.5) and out[0, 2, 3] == pytest.approx(0.5)
    assert out.sum() == pytest.approx(1.0)


def test_uint8_results_are_rounded_to_the_nearest_level_not_truncated():
    image = np.zeros((1, 5, 5), np.uint8)
    image[0, 2, 2] = 3

    out = imaging.warp_affine(image, shift(1, 0, 0.25))

    assert (out[0, 2, 2], out[0, 2, 3]) == (2, 1)  # 2.25 and 0.75


def test_a_warp_far_outside_the_image_shows_only_background(digits):
    assert not imaging.warp_affine(digits[:5], shift(5, 100, -100)).any()


def test_every_image_is_moved_by_its_own_map(digits):
    images = digits[:3]
    matrices = np.concatenate([identity(1), shift(1, 1, 0), shift(1, 0, 2)])

    together = imaging.warp_affine(images, matrices)

    for i in range(3):
        np.testing.assert_array_equal(together[i], imaging.warp_affine(images[i : i + 1], matrices[i : i + 1])[0])


def test_warping_in_chunks_gives_the_same_result(digits):
    matrices = imaging.random_affine_matrices(len(digits), np.random.default_rng(0))

    np.testing.assert_array_equal(imaging.warp_affine(digits, matrices, chunk=7), imaging.warp_affine(digits, matrices))


def test_composing_maps_applies_the_inner_map_to_a_point_first():
    rng = np.random.default_rng(3)
    outer, inner = imaging.random_affine_matrices(1, rng)[0], imaging.random_affine_matrices(1, rng)[0]
    point = np.array([4.0, 7.0])

    combined = imaging.compose(outer, inner)

    def apply(matrix, p):
        return matrix[:, :2] @ p + matrix[:, 2]

    np.testing.assert_allclose(apply(combined, point), apply(outer, apply(inner, point)), atol=1e-4)


def test_warping_by_a_composed_map_is_warping_twice(digits):
    images = digits[:5]  # MNIST digits have empty borders, so small shifts lose no ink
    first, second = shift(5, 1, -2), shift(5, -2, 1)

    # Warping by `second` shows the result of warping by `first` at second(p): first(second(p)).
    np.testing.assert_array_equal(
        imaging.warp_affine(images, imaging.compose(first, second)),
        imaging.warp_affine(imaging.warp_affine(images, first), second),
    )


# ---- deskew ----------------------------------------------------------------------------------


def test_a_deskewed_digit_has_its_centre_of_mass_at_the_centre_of_the_image(digits):
    centres = centre_of_mass(imaging.deskew(digits))

    np.testing.assert_allclose(centres, 13.5, atol=0.05)


def test_digits_off_centre_are_brought_to_the_centre(digits):
    moved = imaging.warp_affine(digits[:20], shift(20, 3, -2))
    assert np.abs(centre_of_mass(moved) - 13.5).max() > 1.5

    np.testing.assert_allclose(centre_of_mass(imaging.deskew(moved)), 13.5, atol=0.05)


@pytest.mark.parametrize("slope", [-0.5, -0.25, 0.3, 0.6])
def test_a_slanted_bar_is_stood_upright(slope):
    bar = slanted_bar(slope)
    assert slant(bar)[0] == pytest.approx(slope, abs=0.05)

    assert abs(slant(imaging.deskew(bar))[0]) < 0.05


def test_deskewing_removes_most_of_the_slant_of_real_digits(digits):
    before, after = np.abs(slant(digits)), np.abs(slant(imaging.deskew(digits)))

    assert after.mean() < 0.2 * before.mean()


def test_the_slant_of_a_nearly_flat_stroke_is_capped_at_one_pixel_a_row():
    flat = np.zeros((1, 28, 28), np.uint8)
    for row in range(12, 16):  # 4 rows, each 6 pixels right of the one above: almost a dash
        flat[0, row, 4 + 6 * (row - 12) : 10 + 6 * (row - 12)] = 255
    assert slant(flat)[0] > 4  # measured here, from the definition

    matrices = imaging.deskew_matrices(flat)

    assert matrices[0, 1, 0] == pytest.approx(1.0)  # sheared by one pixel a row at most


def test_an_upright_centred_digit_is_left_unchanged():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 6:22, 13:15] = 200  # a vertical bar centred on (13.5, 13.5)

    np.testing.assert_array_equal(imaging.deskew(image), image)


def test_an_empty_image_has_no_mass_and_its_centre_in_the_middle():
    mass, cy, cx, _, _ = imaging.moments(np.zeros((2, 28, 20), np.uint8))

    assert mass.tolist() == [0, 0]
    assert cy.tolist() == [13.5, 13.5] and cx.tolist() == [9.5, 9.5]


def test_an_empty_image_stays_empty_when_deskewed():
    empty = np.zeros((3, 28, 28), np.uint8)

    out = imaging.deskew(empty)

    assert out.shape == (3, 28, 28) and out.dtype == np.uint8 and not out.any()


def test_deskewing_keeps_almost_all_the_ink(digits):
    before = digits.sum(axis=(1, 2), dtype=np.float64)
    after = imaging.deskew(digits).sum(axis=(1, 2), dtype=np.float64)

    np.testing.assert_allclose(after, before, rtol=0.1)


def test_each_image_is_deskewed_on_its_own(digits):
    together = imaging.deskew(digits[:4])

    for i in range(4):
        np.testing.assert_array_equal(together[i], imaging.deskew(digits[i : i + 1])[0])


# ---- distort ---------------------------------------------------------------------------------


def test_random_maps_without_rotation_scaling_or_shift_are_the_identity():
    matrices = imaging.random_affine_matrices(6, np.random.default_rng(0), rotate_degrees=0, scale=(1, 1), shift=0)

    np.testing.assert_allclose(matrices, identity(6), atol=1e-6)


def test_random_rotations_are_up_to_the_degrees_asked_not_radians():
    matrices = imaging.random_affine_matrices(2000, np.random.default_rng(0), rotate_degrees=5, scale=(1, 1), shift=0)

    # A rotation by a maps (y, x) through [[cos a, -sin a], [sin a, cos a]].
    degrees = np.degrees(np.arctan2(matrices[:, 1, 0], matrices[:, 0, 0]))
    assert np.abs(degrees).max() <= 5 + 1e-3
    assert np.abs(degrees).max() > 4.9 and (degrees < 0).any() and (degrees > 0).any()


def test_random_scalings_are_within_the_range_asked():
    matrices = imaging.random_affine_matrices(
        2000, np.random.default_rng(0), rotate_degrees=0, scale=(0.9, 1.2), shift=0
    )

    # Each output point maps back to the source through the inverse scaling: 1 / factor.
    factors = 1 / matrices[:, 0, 0]
    assert factors.min() >= 0.9 - 1e-6 and factors.max() <= 1.2 + 1e-6
    assert factors.min() < 0.91 and factors.max() > 1.19


def test_distorted_copies_keep_the_shape_and_type_and_differ_from_the_originals(digits):
    distorted = imaging.distort(digits, np.random.default_rng(0))

    assert distorted.shape == digits.shape and distorted.dtype == np.uint8
    changed = (distorted != digits).any(axis=(1, 2))
    assert changed.mean() > 0.9


def test_distortions_are_mild_enough_to_keep_the_digit_near_the_centre(digits):
    distorted = imaging.distort(digits, np.random.default_rng(0))

    assert np.abs(centre_of_mass(distorted) - centre_of_mass(digits)).max() < 6


def test_the_same_random_generator_state_gives_the_same_distortions(digits):
    first = imaging.distort(digits[:50], np.random.default_rng(7))
    again = imaging.distort(digits[:50], np.random.default_rng(7))
    other = imaging.distort(digits[:50], np.random.default_rng(8))

    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_an_empty_image_stays_empty_when_distorted():
    empty = np.zeros((20, 28, 28), np.uint8)
    assert not imaging.distort(empty, np.random.default_rng(0), imaging.deskew_matrices(empty)).any()


class NeverThinOrThicken:
    """A stand-in random generator whose every draw is 0.5: no image is thinned or thickened."""

    def random(self, size):
        return np.full(size, 0.5)


def test_distorting_with_no_random_motion_after_deskewing_is_deskewing(digits, monkeypatch):
    monkeypatch.setattr(imaging, "random_affine_matrices", lambda n, rng, size: identity(n))
    monkeypatch.setattr(imaging, "random_bends", lambda n, rng: np.zeros((n, 2, 4, 4), np.float32))

    still = imaging.distort(digits[:20], NeverThinOrThicken(), imaging.deskew_matrices(digits[:20]))

    np.testing.assert_array_equal(still, imaging.deskew(digits[:20]))


def test_the_random_motion_moves_the_deskewed_digit(digits, monkeypatch):
    off_centre = imaging.warp_affine(digits[:20], shift(20, -3, 2))
    monkeypatch.setattr(imaging, "random_affine_matrices", lambda n, rng, size: shift(n, 2, -1))
    monkeypatch.setattr(imaging, "random_bends", lambda n, rng: np.zeros((n, 2, 4, 4), np.float32))

    moved = imaging.distort(off_centre, NeverThinOrThicken(), imaging.deskew_matrices(off_centre))

    # Deskewing first brings each digit to the centre; the motion then moves it 2 down, 1 left.
    np.testing.assert_allclose(centre_of_mass(moved), [[15.5, 12.5]] * 20, atol=0.1)


def test_thinning_erodes_and_thickening_dilates_the_strokes():
    dot = np.zeros((3, 8, 8), np.uint8)
    dot[:, 4, 4] = 255

    class Draws:
        def random(self, size):
            return np.array([0.1, 0.5, 0.9])  # thin, unchanged, thicken at p = 0.25 (then: corners)

    out = imaging.thin_or_thicken(dot, Draws(), p=0.25)

    assert not out[0].any()
    np.testing.assert_array_equal(out[1], dot[1])
    assert out[2].sum() == 4 * 255 and out[2, 4:6, 4:6].all()  # its block above and left: grown down-right


def test_thinning_and_thickening_leave_the_ink_centred_on_average(digits):
    straight = imaging.deskew(digits[:400])

    # Every image thinned or thickened: with a 2x2 block always at one corner, the ink
    # would move half a pixel the same way in all of them.
    varied = imaging.thin_or_thicken(straight, np.random.default_rng(3), p=0.5)

    np.testing.assert_allclose(centre_of_mass(varied).mean(axis=0), centre_of_mass(straight).mean(axis=0), atol=0.1)


def test_moments_are_float32_like_every_image_computation():
    """By hand for one image: ink of 100 at (row 2, column 3) and (row 4, column 3)."""
    image = np.zeros((1, 8, 8), np.uint8)
    image[0, 2, 3] = image[0, 4, 3] = 100
    mass, cy, cx, var_y, cov_yx = imaging.moments(image)
    assert [a.dtype for a in (mass, cy, cx, var_y, cov_yx)] == [np.float32] * 5
    assert (mass[0], cy[0], cx[0], var_y[0], cov_yx[0]) == (200.0, 3.0, 3.0, 1.0, 0.0)
