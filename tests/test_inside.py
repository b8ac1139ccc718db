"""myonn.inside: the hidden nodes' pictures, signed colours, and every node's activation.

Expected values are worked out here from the definitions (the book's forward pass
written out by hand in float64), never by calling the code under test.
"""

import numpy as np
import pytest

from myonn import NeuralNetwork, inside


@pytest.fixture(scope="module")
def network():
    """A small untrained network with biases that are not zero, so that they count."""
    network = NeuralNetwork(784, 12, 10, seed=3)
    rng = np.random.default_rng(4)
    network.bh[:] = rng.normal(0, 0.5, 12)
    network.bo[:] = rng.normal(0, 0.5, 10)
    return network


@pytest.fixture(scope="module")
def image():
    """A raw image: a slanted bar of ink, grey at its edges."""
    picture = np.zeros((28, 28), np.uint8)
    for row in range(5, 23):
        column = 8 + row // 2
        picture[row, column : column + 3] = 255
        picture[row, column + 3] = 120
    return picture


def by_hand(network, seen, silenced=()):
    """The forward pass in float64, from the book's formulas, with `silenced` nodes outputting 0."""
    inputs = seen.reshape(-1).astype(np.float64) / 255
    hidden_outputs = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ inputs + network.bh)))
    hidden_outputs[list(silenced)] = 0
    final_inputs = network.who.astype(np.float64) @ hidden_outputs + network.bo
    final_outputs = np.exp(final_inputs) / np.exp(final_inputs).sum()
    return hidden_outputs, final_outputs


# ---- hidden_pictures ----------------------------------------------------------------------


def test_each_hidden_picture_is_its_nodes_weights_in_the_pixels_places(network):
    pictures = inside.hidden_pictures(network)
    assert pictures.shape == (12, 28, 28)
    for node, row, column in [(0, 0, 0), (5, 3, 17), (11, 27, 27), (7, 14, 0)]:
        assert pictures[node, row, column] == network.wih[node, row * 28 + column]


def test_a_hidden_nodes_input_is_its_picture_times_the_image_plus_its_bias(network, image):
    seen = network.straighten(image)[0]
    picture = inside.hidden_pictures(network)[4]
    hidden_input = (picture.astype(np.float64) * seen / 255).sum() + network.bh[4]
    assert inside.activations(network, image).hidden_outputs[4] == pytest.approx(
        1 / (1 + np.exp(-hidden_input)), rel=1e-5
    )


# ---- signed_rgb ---------------------------------------------------------------------------


def test_signed_rgb_shows_zero_neutral_and_the_extremes_in_their_two_colours():
    colours = inside.signed_rgb(np.array([0.0, 2.0, -2.0]))
    assert colours.dtype == np.uint8 and colours.shape == (3, 3)
    assert colours.tolist() == [list(inside.NEUTRAL), list(inside.POSITIVE), list(inside.NEGATIVE)]


def test_signed_rgb_mixes_linearly_between_neutral_and_each_colour():
    colours = inside.signed_rgb(
        np.array([1.0, -0.5]), limit=2.0, positive=(200, 0, 100), negative=(0, 0, 0), neutral=(100, 100, 100)
    )
    assert colours.tolist() == [[150, 50, 100], [75, 75, 75]]  # halfway to (200, 0, 100); a quarter to black


def test_signed_rgb_saturates_beyond_the_limit():
    colours = inside.signed_rgb(np.array([5.0, -7.0]), limit=1.0)
    assert colours.tolist() == [list(inside.POSITIVE), list(inside.NEGATIVE)]


def test_signed_rgb_scales_each_picture_by_its_own_limit():
    pictures = np.array([[[1.0, -1.0]], [[10.0, 0.0]]])
    colours = inside.signed_rgb(pictures, limit=np.abs(pictures).max(axis=(1, 2), keepdims=True))
    assert colours[0, 0, 0].tolist() == list(inside.POSITIVE)  # 1 is the first picture's largest
    assert colours[1, 0, 0].tolist() == list(inside.POSITIVE)


def test_signed_rgb_of_all_zeros_is_all_neutral():
    assert (inside.signed_rgb(np.zeros((4, 4))) == inside.NEUTRAL).all()


# ---- activations --------------------------------------------------------------------------


def test_activations_are_the_forward_pass_of_the_straightened_image(network, image):
    result = inside.activations(network, image)
    assert np.array_equal(result.seen, network.straighten(image)[0])
    hidden, final = by_hand(network, result.seen)
    assert np.allclose(result.hidden_outputs, hidden, atol=1e-6)
    assert np.allclose(result.final_outputs, final, atol=1e-6)


def test_activations_final_outputs_are_what_predict_proba_gives(network, image):
    assert np.allclose(inside.activations(network, image).final_outputs, network.predict_proba(image)[0])


def test_an_image_already_straightened_is_not_straightened_again(network, image):
    seen = network.straighten(image)[0]
    again = inside.activations(network, seen, straighten=False)
    assert np.array_equal(again.seen, seen)
    assert np.array_equal(again.hidden_outputs, inside.activations(network, image).hidden_outputs)


def test_silenced_hidden_nodes_output_nothing_and_the_answer_follows(network, image):
    silenced = np.zeros(12, bool)
    silenced[[1, 6, 7]] = True
    result = inside.activations(network, image, silenced=silenced)
    hidden, final = by_hand(network, result.seen, silenced=[1, 6, 7])
    assert (result.hidden_outputs[[1, 6, 7]] == 0).all()
    assert np.allclose(result.hidden_outputs, hidden, atol=1e-6)
    assert np.allclose(result.final_outputs, final, atol=1e-6)


def test_silencing_leaves_the_networks_weights_as_they_were(network, image):
    before = {name: getattr(network, name).copy() for name in ("wih", "bh", "who", "bo")}
    inside.activations(network, image, silenced=np.ones(12, bool))
    for name, weights in before.items():
        assert np.array_equal(getattr(network, name), weights)
    assert np.allclose(inside.activations(network, image).final_outputs, network.predict_proba(image)[0])


def test_a_silencing_mask_of_the_wrong_size_is_refused(network, image):
    with pytest.raises(ValueError, match="12 hidden nodes"):
        inside.activations(network, image, silenced=np.ones(13, bool))


# ---- which hidden nodes pushed the answer -------------------------------------------------


def test_the_strongest_hidden_nodes_are_those_adding_most_to_the_answers_score_over_the_average(network, image):
    hidden = inside.activations(network, image).hidden_outputs
    push = [(network.who[3, j] - network.who[:, j].mean()) * hidden[j] for j in range(12)]
    expected = sorted(range(12), key=lambda j: -push[j])[:4]
    assert list(inside.strongest_hidden(network, hidden, 3, count=4)) == expected


# ---- why ----------------------------------------------------------------------------------


def score_by_hand(network, inputs, digit, silenced=()):
    """The digit's score before the softmax, less the mean of the ten, in float64."""
    hidden_outputs = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ inputs + network.bh)))
    hidden_outputs[list(silenced)] = 0
    final_inputs = network.who.astype(np.float64) @ hidden_outputs + network.bo
    return final_inputs[digit] - final_inputs.mean()


def input_times_slope(network, seen, digit, silenced=()):
    """Each pixel's input times the slope of the score, the slope by central differences."""
    inputs = seen.reshape(-1).astype(np.float64) / 255
    result = np.zeros(784)
    for pixel in np.flatnonzero(inputs):
        step = np.zeros(784)
        step[pixel] = 1e-4
        slope = (
            score_by_hand(network, inputs + step, digit, silenced)
            - score_by_hand(network, inputs - step, digit, silenced)
        ) / 2e-4
        result[pixel] = inputs[pixel] * slope
    return result.reshape(28, 28)


def test_why_is_each_pixels_input_times_the_slope_of_the_answers_score(network, image):
    seen, _, final_outputs = inside.activations(network, image)
    answer = int(final_outputs.argmax())
    expected = input_times_slope(network, seen, answer)
    assert np.allclose(inside.why(network, image), expected, atol=1e-4 * np.abs(expected).max())


def test_why_can_ask_about_another_digit(network, image):
    seen = network.straighten(image)[0]
    expected = input_times_slope(network, seen, 8)
    assert np.allclose(inside.why(network, image, digit=8), expected, atol=1e-4 * np.abs(expected).max())


def test_why_says_nothing_about_pixels_without_ink(network, image):
    seen = network.straighten(image)[0]
    assert (inside.why(network, image)[seen == 0] == 0).all()


def test_silenced_nodes_carry_no_argument_back(network, image):
    silenced = np.zeros(12, bool)
    silenced[[0, 2, 5, 9]] = True
    seen = network.straighten(image)[0]
    expected = input_times_slope(network, seen, 4, silenced=[0, 2, 5, 9])
    assert np.allclose(
        inside.why(network, image, digit=4, silenced=silenced), expected, atol=1e-4 * np.abs(expected).max()
    )


# ---- knocking nodes out -------------------------------------------------------------------


def test_each_knock_out_silences_a_tenth_of_the_nodes_more_and_keeps_those_already_silenced():
    rng = np.random.default_rng(0)
    silenced = np.zeros(200, bool)
    for presses in range(1, 11):
        more = inside.knock_out(silenced, rng)
        assert more.sum() == 20 * presses
        assert more[silenced].all()
        silenced = more
    assert silenced.all()


def test_knock_out_leaves_the_mask_it_was_given_alone():
    silenced = np.zeros(200, bool)
    inside.knock_out(silenced, np.random.default_rng(0))
    assert not silenced.any()


def test_knock_out_of_the_last_few_nodes_silences_them_all():
    silenced = np.ones(200, bool)
    silenced[[3, 50, 170]] = False
    assert inside.knock_out(silenced, np.random.default_rng(0)).all()


# ---- average digits -----------------------------------------------------------------------


def test_average_digits_average_each_digits_straightened_images(network, image):
    images = np.stack([image, image[::-1], image[:, ::-1], np.roll(image, 3, axis=1)])
    labels = np.array([7, 1, 7, 7], np.uint8)
    seen = network.straighten(images).astype(np.float64)
    averages = inside.average_digits(network, images, labels, batch_size=3)  # two batches
    assert averages.shape == (10, 28, 28) and averages.dtype == np.float32
    assert np.allclose(averages[7], (seen[0] + seen[2] + seen[3]) / 3, atol=1e-4)
    assert np.allclose(averages[1], seen[1])
    assert (averages[0] == 0).all()  # no 0s among the images


# ---- the steps from canvas to network -----------------------------------------------------


def test_shrink_averages_each_block_and_gives_full_contrast():
    blocks = np.array([[0, 60], [120, 30]], np.float64)
    image = np.kron(blocks, np.ones((3, 3))).astype(np.uint8)  # 6x6, blocks of 3x3
    assert inside.shrink(image, 2).tolist() == [[0, 128], [255, 64]]  # x 255/120, rounded


def test_the_steps_are_the_drawing_shrunk_cropped_fitted_placed_and_straightened(network):
    from myonn.preprocess import to_mnist, to_mnist_steps

    canvas = np.zeros((448, 448), np.uint8)
    canvas[60:300, 100:130] = 255  # a tall bar, left of centre
    canvas[60:90, 100:260] = 255
    steps = inside.steps_to_network(network, canvas)
    drawing, cropped, fitted, placed, straight = steps
    assert drawing.shape == cropped.shape == fitted.shape == placed.shape == straight.shape == (28, 28)
    assert [step.dtype for step in steps] == [np.uint8] * 5  # images, as the docstring says
    assert (
        drawing[:, 17:].max() == 0 and drawing[19:, :].max() == 0 and drawing[5:18, 6:8].min() > 0
    )  # where it was drawn
    assert cropped[0].max() > 0 and cropped[-1].max() > 0  # cropped: the tall drawing fills it top to bottom
    assert np.array_equal(fitted[4:24, 4:24], to_mnist_steps(canvas)["fitted"]) and fitted[:4].max() == 0
    assert np.array_equal(placed, to_mnist(canvas))
    assert np.array_equal(straight, network.straighten(placed)[0])


# ---- the edges, by hand (mutmut survivors) -------------------------------------------------


def test_shrink_scales_to_full_contrast_exactly():
    image = np.zeros((4, 4), np.uint8)
    image[:2, 2:] = 7  # block means, by hand: [[0, 7], [3, 0]]
    image[2:, :2] = 3
    # 7 -> 255; 3 -> 255 * 3 / 7 = 109.29, so 109.
    np.testing.assert_array_equal(inside.shrink(image, 2), np.array([[0, 255], [109, 0]], np.uint8))
    assert inside.shrink(image, 2).dtype == np.uint8


def test_shrink_of_faint_ink_still_reaches_full_contrast():
    image = np.zeros((2, 2), np.uint8)
    image[0, 0] = 1  # the brightest block is 1: it becomes 255 like any other
    np.testing.assert_array_equal(inside.shrink(image, 2), np.array([[255, 0], [0, 0]], np.uint8))


def test_shrink_of_a_single_pixel_and_of_nothing():
    np.testing.assert_array_equal(inside.shrink(np.full((1, 1), 5, np.uint8), 2), np.full((2, 2), 255, np.uint8))
    empty = inside.shrink(np.zeros((0, 0), np.float32), 3)  # what to_mnist_steps crops from a blank canvas
    assert empty.shape == (3, 3) and empty.dtype == np.uint8 and not empty.any()


def test_knock_out_silences_at_least_one_node_however_few_there_are():
    more = inside.knock_out(np.zeros(4, bool), np.random.default_rng(0))  # a tenth of 4 rounds to 0
    assert more.sum() == 1


def test_a_network_whose_inputs_are_not_square_is_refused_naming_them():
    with pytest.raises(ValueError, match="a network with 10 inputs does not read square images"):
        inside.image_side(NeuralNetwork(10, 3, 2, deskew=False))


def test_the_straightened_image_given_is_the_last_step_shown(network):
    from myonn.preprocess import to_mnist_steps

    canvas = np.zeros((56, 56), np.uint8)
    canvas[10:40, 20:26] = 255
    given = np.full((28, 28), 9, np.uint8)  # whatever the caller already has: not computed again
    steps = inside.steps_to_network(network, canvas, to_mnist_steps(canvas), given)
    assert steps[-1] is given


def test_why_of_an_image_already_straightened_is_not_straightened_again(network, image):
    # The same weights in a network that never straightens: it reads any image as it is.
    as_it_is = NeuralNetwork(network.inodes, network.hnodes, network.onodes, deskew=False)
    for name in ("wih", "who", "bh", "bo"):
        setattr(as_it_is, name, getattr(network, name).copy())
    slanted = np.zeros((28, 28), np.uint8)
    for row in range(4, 24):
        slanted[row, 8 + row // 2 : 12 + row // 2] = 255  # a stroke leaning right: straightening would move it
    np.testing.assert_allclose(inside.why(network, slanted, straighten=False), inside.why(as_it_is, slanted), atol=1e-6)
    assert not np.allclose(inside.why(network, slanted), inside.why(as_it_is, slanted), atol=1e-6)
