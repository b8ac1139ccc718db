"""myonn.preprocess.to_mnist: a drawing on a canvas made into an image like MNIST's."""

import numpy as np
import pytest

from myonn import images as imaging
from myonn.preprocess import area_resize_matrix, ink_square, stroke_width, thicken, to_mnist


def canvas_with_bar(top, left, height, width, size=448):
    """A canvas with one filled rectangle of ink."""
    canvas = np.zeros((size, size), np.uint8)
    canvas[top : top + height, left : left + width] = 255
    return canvas


def ring(size=448, centre=(200, 240), radius=120, pen=24):
    """A canvas with a circle drawn by a round pen of diameter `pen`."""
    ys, xs = np.mgrid[0:size, 0:size]
    distance = np.hypot(ys - centre[0], xs - centre[1])
    return np.where(np.abs(distance - radius) <= pen / 2, 255, 0).astype(np.uint8)


def test_an_empty_canvas_gives_all_zeros():
    result = to_mnist(np.zeros((300, 500), np.uint8))
    assert result.shape == (28, 28) and result.dtype == np.uint8 and not result.any()


def test_the_result_is_a_28x28_uint8_image_with_full_contrast():
    result = to_mnist(ring())
    assert result.shape == (28, 28) and result.dtype == np.uint8
    assert result.max() == 255


def test_the_drawing_fits_a_20x20_box_keeping_its_aspect_ratio():
    # A bar twice as tall as wide: 20 rows tall, about 10 columns wide, as in MNIST.
    result = to_mnist(canvas_with_bar(50, 300, 200, 100))
    rows, cols = np.flatnonzero(result.any(axis=1)), np.flatnonzero(result.any(axis=0))
    assert len(rows) == 20
    assert 9 <= len(cols) <= 11


@pytest.mark.parametrize("place", [(10, 10), (300, 20), (150, 330)])
def test_the_centre_of_mass_lands_at_the_centre_wherever_the_digit_was_drawn(place):
    canvas = np.zeros((448, 448), np.uint8)
    small = ring(size=120, centre=(60, 60), radius=40, pen=10)
    canvas[place[0] : place[0] + 60 + 40 + 10, place[1] : place[1] + 60 + 40 + 10] = small[:110, :110]
    mass, cy, cx, _, _ = imaging.moments(to_mnist(canvas)[np.newaxis])
    assert abs(cy[0] - 14) <= 0.6 and abs(cx[0] - 14) <= 0.6


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of an image's ink, weighted by brightness: the definition, worked out here."""
    ys, xs = np.mgrid[0 : image.shape[0], 0 : image.shape[1]]
    mass = image.astype(float).sum()
    return float((ys * image).sum() / mass), float((xs * image).sum() / mass)


@pytest.mark.parametrize("place", [(20, 30), (120, 160)])
def test_a_lopsided_digit_is_placed_by_its_centre_of_mass_not_by_its_box(place):
    # An L: a thin upright stroke and a heavy foot, so that its ink lies low and to the left
    # of the middle of its box, by different amounts down and across.
    canvas = np.zeros((448, 448), np.uint8)
    top, left = place
    canvas[top : top + 280, left : left + 24] = 255
    canvas[top + 220 : top + 280, left : left + 180] = 255

    result = to_mnist(canvas)

    cy, cx = centre_of_mass(result)
    assert abs(cy - 14) <= 0.55 and abs(cx - 14) <= 0.55  # placed to the nearest pixel
    rows, cols = np.flatnonzero(result.any(axis=1)), np.flatnonzero(result.any(axis=0))
    box_centre = ((rows[0] + rows[-1]) / 2, (cols[0] + cols[-1]) / 2)
    assert box_centre[0] < 14 - 2 and box_centre[1] > 14 + 1  # the box itself is far off the centre


def test_the_centre_of_mass_is_placed_to_the_nearest_pixel():
    # Lopsided shapes of many proportions: their centres of mass fall at every fraction of a
    # pixel, so a placement rounded down (or up) instead of to the nearest is more than half off.
    errors = []
    for foot in range(60, 240, 20):
        for stem in (200, 260, 320):
            canvas = np.zeros((448, 448), np.uint8)
            canvas[40 : 40 + stem, 50:74] = 255
            canvas[40 + stem - 50 : 40 + stem, 50 : 50 + foot] = 255
            cy, cx = centre_of_mass(to_mnist(canvas))
            errors += [abs(cy - 14), abs(cx - 14)]
    assert max(errors) <= 0.52
    assert max(errors) > 0.3  # the fractions do vary: the test can tell nearest from rounding down


def test_size_and_position_on_the_canvas_do_not_change_the_result_much():
    big = to_mnist(ring(centre=(224, 224), radius=180, pen=36))
    small = to_mnist(ring(centre=(100, 330), radius=60, pen=12))
    # Placing by the centre of mass is to the nearest pixel, as MNIST did: compare the
    # two as the network sees them, centred to a fraction of a pixel.
    big, small = imaging.deskew(np.stack([big, small])).astype(int)
    assert np.abs(big - small).mean() < 12


def test_a_thin_pen_is_thickened_to_an_mnist_like_stroke():
    thin = to_mnist(ring(radius=180, pen=4)).astype(float)
    thick = to_mnist(ring(radius=180, pen=40)).astype(float)
    # A 4-pixel pen on a 360-pixel digit would shrink to a faint fifth of a pixel, and
    # even at full contrast hold half the ink of MNIST-like strokes: thickened, it
    # holds about as much as a drawing made with a pen of MNIST's proportions.
    assert thin.sum() > 0.8 * thick.sum()


def test_a_digit_drawn_with_a_one_pixel_pen_still_comes_out_at_full_contrast():
    canvas = np.zeros((448, 448), np.uint8)
    canvas[np.arange(20, 420), np.arange(20, 420) // 3 + 100] = 255  # a long, steep, hair-thin line

    result = to_mnist(canvas)

    assert result.max() == 255  # its darkest pixel as dark as MNIST's darkest strokes


def test_thickening_widens_by_a_round_pen():
    dot = np.zeros((21, 21), np.uint8)
    dot[10, 10] = 255  # one pixel: a stroke 2 pixels wide by stroke_width's measure (area 1, edge 1)

    thick = thicken(dot, 2 + 2 * 3)  # to be widened by a radius of 3 pixels

    ys, xs = np.indices(dot.shape)
    disc = (ys - 10) ** 2 + (xs - 10) ** 2 <= 3**2  # every pixel within 3 of the dot, by definition
    np.testing.assert_array_equal(thick == 255, disc)


def test_stroke_width_measures_a_bar_by_its_short_side():
    bar = np.zeros((60, 60), bool)
    bar[10:50, 20:26] = True
    assert stroke_width(bar) == pytest.approx(6, rel=0.25)


def test_ink_square_keeps_the_drawing_in_the_middle_of_a_square():
    square = ink_square(canvas_with_bar(100, 100, 40, 10))
    assert square.shape == (40, 40)
    assert square[:, 15:25].all() and not square[:, :15].any() and not square[:, 25:].any()
    assert ink_square(np.zeros((5, 5), np.uint8)) is None


def test_area_resize_keeps_the_mean_brightness():
    image = np.random.default_rng(0).random((90, 90))
    resize = area_resize_matrix(90, 20)
    assert (resize @ image @ resize.T).mean() == pytest.approx(image.mean(), rel=1e-6)


def test_a_canvas_that_is_not_2d_is_refused():
    with pytest.raises(ValueError):
        to_mnist(np.zeros((10, 10, 3), np.uint8))


def test_the_shipped_network_reads_a_drawn_zero_and_a_drawn_one():
    from pathlib import Path

    from myonn import NeuralNetwork

    model = Path(__file__).resolve().parent.parent / "data" / "mnist_nn.npz"
    assert model.exists(), "data/mnist_nn.npz is missing: train it with ./mnist_train.py"
    network = NeuralNetwork.load(model)
    one = canvas_with_bar(80, 210, 300, 24)
    assert network.predict(to_mnist(one))[0] == 1
    assert network.predict(to_mnist(ring(centre=(224, 224), radius=110, pen=26)))[0] == 0


# ---- the measures, exactly (by hand) ---------------------------------------------------------


def test_size_in_pen_widths_is_the_longer_side_over_the_stroke_width_exactly():
    from myonn.preprocess import size_in_pen_widths

    canvas = np.zeros((448, 448), np.uint8)
    canvas[200:228, 50:330] = 255  # 28 high, 280 long
    canvas[200:228, 329] = 128  # the last column grey, but ink (above 127)
    canvas[10, 10] = 127  # a speck at 127: not ink
    # By hand: area 28 * 280 = 7840; inside (all four neighbours ink) 26 * 278 = 7228;
    # edge 612; width 2 * 7840 / 612; size 280 / width.
    assert size_in_pen_widths(canvas) == pytest.approx(280 * 612 / (2 * 7840), rel=1e-12)
    assert size_in_pen_widths(canvas.T.copy()) == pytest.approx(280 * 612 / (2 * 7840), rel=1e-12)  # upright


def test_a_line_one_pixel_high_is_measured_too():
    from myonn.preprocess import size_in_pen_widths

    canvas = np.zeros((50, 200), np.uint8)
    canvas[20, 40:140] = 255  # one row: area 100, every pixel on the edge, so 2 pixels wide
    assert size_in_pen_widths(canvas) == pytest.approx(100 / 2)


def test_too_small_is_strictly_between_no_ink_and_the_fewest_pen_widths():
    from myonn.preprocess import FEWEST_PEN_WIDTHS, too_small

    dot = np.zeros((20, 20), np.uint8)
    dot[5, 5] = 255  # area 1, edge 1: 2 pixels wide, 1 long: half a pen width
    assert too_small(dot)
    line = np.zeros((20, 20), np.uint8)
    line[5, 2 : 2 + int(2 * FEWEST_PEN_WIDTHS)] = 255  # 6 long, 2 wide: exactly the fewest
    assert not too_small(line)


def test_no_ink_has_no_stroke_width():
    assert stroke_width(np.zeros((9, 9), bool)) == 0.0


def test_ink_square_puts_a_wide_crop_in_the_middle_rows_as_float32():
    canvas = np.zeros((30, 30), np.uint8)
    canvas[10:12, 5:11] = 200  # 2 high, 6 wide: a 6x6 square with the crop in rows 2 and 3
    square = ink_square(canvas)
    assert square.dtype == np.float32 and square.shape == (6, 6)
    expected = np.zeros((6, 6), np.float32)
    expected[2:4, :] = 200
    np.testing.assert_array_equal(square, expected)


def dilated_by_hand(image, radius):
    """Grey dilation by a disc of `radius`, pixel by pixel: the brightest pixel within the disc."""
    out = image.copy()
    height, width = image.shape
    for y in range(height):
        for x in range(width):
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    if dy * dy + dx * dx <= radius * radius and 0 <= y + dy < height and 0 <= x + dx < width:
                        out[y, x] = max(out[y, x], image[y + dy, x + dx])
    return out


def test_thickening_a_wide_image_matches_a_dilation_by_hand():
    image = np.zeros((15, 25), np.uint8)  # not square
    image[10, 3:22] = 255  # a line 1 pixel high: 2 wide by stroke_width's measure
    # A grey block at 127 is not ink, so not measured (but dilated). Were it measured, the
    # width would be 2 * 44 / 35 = 2.51 and the radius round(1.24) = 1, not round(1.5) = 2.
    image[1:6, 2:7] = 127
    thick = thicken(image, 5)  # 3 pixels wider: a radius of 1.5, rounded to 2
    np.testing.assert_array_equal(thick, dilated_by_hand(image, 2))


def test_a_stroke_already_nearly_as_wide_is_left_alone():
    image = np.zeros((15, 25), np.uint8)
    image[7, 3:22] = 255  # 2 wide
    assert thicken(image, 2.9) is image  # (2.9 - 2) / 2 rounds to a radius of 0


def test_a_stroke_one_pixel_short_of_each_side_is_widened_by_one():
    image = np.zeros((15, 25), np.uint8)
    image[7, 3:22] = 255  # 2 wide; 4 wanted: a radius of exactly 1
    np.testing.assert_array_equal(thicken(image, 4), dilated_by_hand(image, 1))


def test_an_empty_canvas_gives_every_stage_empty_or_blank_of_its_shape():
    from myonn.preprocess import to_mnist_steps

    stages = to_mnist_steps(np.zeros((50, 50), np.uint8))
    assert list(stages) == ["cropped", "fitted", "placed"]
    assert (stages["cropped"].shape, stages["cropped"].dtype) == ((0, 0), np.float32)
    assert (stages["fitted"].shape, stages["fitted"].dtype) == ((20, 20), np.uint8) and not stages["fitted"].any()
    assert (stages["placed"].shape, stages["placed"].dtype) == ((28, 28), np.uint8) and not stages["placed"].any()


def test_the_refusal_of_a_canvas_not_2d_names_its_shape():
    with pytest.raises(ValueError, match=r"2-D array, not shaped \(10, 10, 3\)"):
        to_mnist(np.zeros((10, 10, 3), np.uint8))


@pytest.mark.parametrize("heavy_end", ["right", "left", "bottom", "top"])
def test_a_drawing_heavy_at_one_end_is_placed_against_that_edge_but_never_off_the_image(heavy_end):
    # A filled block with a long thin tail: the centre of mass lies near the block's end of
    # the 20x20 box, so centring it would push the box past the 28x28 image; it stops at
    # the edge (box at column 0, or at 28 - 20 = 8), whole.
    canvas = np.zeros((448, 448), np.uint8)
    canvas[140:300, 260:420] = 255  # the block, at the right: 8 of the box's 20 columns, most of the ink
    canvas[217:223, 20:260] = 255  # the tail, to the left
    turns = {"right": 0, "left": 2, "bottom": 3, "top": 1}[heavy_end]
    placed = to_mnist(np.rot90(canvas, turns).copy())
    columns = np.flatnonzero(placed.any(axis=0))
    rows = np.flatnonzero(placed.any(axis=1))
    if heavy_end in ("right", "left"):
        assert (columns[0], columns[-1]) == ((0, 19) if heavy_end == "right" else (8, 27))
    else:
        assert (rows[0], rows[-1]) == ((0, 19) if heavy_end == "bottom" else (8, 27))
