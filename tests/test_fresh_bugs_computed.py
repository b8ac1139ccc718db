"""Computations pinned by their definitions: properties a realistic one-line slip in the arithmetic would break.

Each expected value comes from a definition, a hand computation or a second method,
never from the code under test.
"""

import numpy as np

from myonn.network import NeuralNetwork


def small_network(inputs: int, hidden: int, outputs: int, seed: int = 7) -> NeuralNetwork:
    """A network that does not deskew, with random biases so that no bias is special."""
    network = NeuralNetwork(inputs, hidden, outputs, seed=seed, deskew=False)
    rng = np.random.default_rng(seed)
    network.bh = rng.normal(0, 0.5, hidden).astype(np.float32)
    network.bo = rng.normal(0, 0.5, outputs).astype(np.float32)
    return network


# ---- the network ----------------------------------------------------------------------------


def unrounded_backquery(network: NeuralNetwork, digit: int) -> np.ndarray:
    """The backquery's pixels before rounding, worked out in float64 from its docstring."""
    wih, who = network.wih.astype(np.float64), network.who.astype(np.float64)

    def stretch(values, low, high):
        values = values - values.min()
        return low + (high - low) * values / values.max()

    patterns = []
    for wanted_digit in range(network.onodes):
        scores = np.log(np.where(np.arange(network.onodes) == wanted_digit, 0.99, 0.01)) - network.bo
        hidden = stretch(who.T @ (scores - scores.mean()), 0.01, 0.99)
        patterns.append(wih.T @ (np.log(hidden / (1 - hidden)) - network.bh))
    return stretch(patterns[digit] - np.mean(patterns, axis=0), 0.0, 255.0)


def test_backquery_rounds_each_pixel_to_the_nearest_shade_rather_than_cutting_it_down():
    # A pixel worked out as 200.7 is 201, not 200: truncation would darken half the pixels by one shade.
    for seed in range(4):
        network = small_network(64, 12, 5, seed=seed)
        for digit in range(5):
            exact = unrounded_backquery(network, digit).ravel()
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
