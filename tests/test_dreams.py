"""What the network dreams of (myonn.dreams, NeuralNetwork.dream), and the errors it climbs with.

Expected values come from definitions: gradients by finite differences, principal
directions of data whose spread is known by hand, a nearest-neighbour reader written
here, and a climb on made-up directions whose only pixels are known.
"""

from __future__ import annotations

import numpy as np
import pytest

from myonn import NeuralNetwork, dreams


def log_probability(network: NeuralNetwork, inputs: np.ndarray, digit: int) -> float:
    """log p(digit) for one row of inputs, in float64, written from the definition (not forward)."""
    hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ inputs + network.bh)))
    scores = network.who.astype(np.float64) @ hidden + network.bo
    return float(scores[digit] - np.log(np.exp(scores).sum()))


def test_input_errors_are_the_gradient_of_log_probability_by_finite_differences():
    network = NeuralNetwork(784, 30, 10, seed=4, deskew=False)
    network.bh[:] = np.random.default_rng(1).normal(0, 0.5, 30)
    network.bo[:] = np.random.default_rng(2).normal(0, 0.5, 10)
    inputs = np.random.default_rng(3).random(784)
    gradient = dreams.input_errors(network, inputs, 7)
    h = 1e-4
    for pixel in (0, 100, 405, 783):
        up, down = inputs.copy(), inputs.copy()
        up[pixel] += h
        down[pixel] -= h
        slope = (log_probability(network, up, 7) - log_probability(network, down, 7)) / (2 * h)
        assert gradient[pixel] == pytest.approx(slope, rel=2e-3, abs=1e-5)


def test_errors_are_how_the_loss_falls_with_each_node_s_input():
    # hidden_errors[j] is minus the slope of the loss -log p(target) against hidden node j's
    # input, which a change of its bias bh[j] changes one for one: checked by finite differences.
    network = NeuralNetwork(784, 12, 10, seed=6, deskew=False)
    inputs = np.random.default_rng(0).random((1, 784)).astype(np.float32)
    targets = np.zeros((1, 10), np.float32)
    targets[0, 3] = 1
    hidden_outputs, final_outputs = network.forward(inputs)
    output_errors, hidden_errors = network.errors(hidden_outputs, final_outputs, targets)
    assert np.allclose(output_errors, targets - final_outputs)
    h = 1e-3
    for node in range(12):
        bias = network.bh[node]
        network.bh[node] = bias + h
        up = log_probability(network, inputs[0].astype(np.float64), 3)
        network.bh[node] = bias - h
        down = log_probability(network, inputs[0].astype(np.float64), 3)
        network.bh[node] = bias
        assert hidden_errors[0, node] == pytest.approx((up - down) / (2 * h), rel=1e-2, abs=1e-6)


def test_handwriting_finds_the_one_way_made_up_digits_vary_and_how_far():
    # 60 "digits", dark but for two pixels: pixel 10 of the top row, 0 or 255 in turn
    # from one sixth image to the next, and a pixel always at 51 (0.2). Every sixth is
    # used (images 0, 6, ..., 54): ten images, pixel 10 at 0, 1, 0, 1, ... as inputs.
    images = np.zeros((60, 28, 28), np.uint8)
    images[:, 0, 10] = [255 if (i // 6) % 2 else 0 for i in range(60)]
    images[:, 17, 24] = 51
    shapes = dreams.handwriting(NeuralNetwork(deskew=False), images, directions=3)
    assert shapes.average[10] == pytest.approx(0.5)
    assert shapes.average[17 * 28 + 24] == pytest.approx(0.2)
    assert abs(shapes.directions[0, 10]) == pytest.approx(1.0)
    # The sample variance of five 0s and five 1s around 0.5: 10 x 0.25 / 9.
    assert shapes.spreads[0] == pytest.approx((10 * 0.25 / 9) ** 0.5)
    assert shapes.spreads[1:] == pytest.approx([0, 0], abs=1e-7)
    assert np.allclose(shapes.directions @ shapes.directions.T, np.eye(3), atol=1e-9)


def test_a_dream_moves_only_along_the_directions_and_no_further_than_real_digits_go():
    # Two made-up directions, one pixel each: the dream may change those two pixels only,
    # each by at most REACH x its spread from the average, toward the digit.
    network = NeuralNetwork(784, 30, 10, seed=5, deskew=False)
    average = np.full(784, 0.3)
    directions = np.zeros((2, 784))
    directions[0, 200], directions[1, 600] = 1.0, 1.0
    spreads = np.array([0.1, 0.04])
    image = dreams.dream(network, 2, dreams.Handwriting(average, directions, spreads)).ravel()
    changed = np.flatnonzero(image != np.rint(0.3 * 255))
    assert set(changed) <= {200, 600}
    for pixel, spread in ((200, 0.1), (600, 0.04)):
        assert abs(image[pixel] / 255 - 0.3) <= dreams.REACH * spread + 0.5 / 255
        # Which way more ink there makes a 2 more likely, by finite differences.
        up, down = average.copy(), average.copy()
        up[pixel] += 1e-3
        down[pixel] -= 1e-3
        slope = log_probability(network, up, 2) - log_probability(network, down, 2)
        assert np.sign(image[pixel] / 255 - 0.3) == np.sign(slope)


def test_a_dream_of_no_steps_is_the_average_digit():
    network = NeuralNetwork(784, 10, 10, seed=1, deskew=False)
    average = np.linspace(0, 1, 784)
    shapes = dreams.Handwriting(average, np.eye(784)[:3], np.ones(3))
    assert np.array_equal(dreams.dream(network, 4, shapes, steps=0).ravel(), np.rint(average * 255))


@pytest.fixture(scope="module")
def small_model_dreams(small_model, small_model_handwriting):
    """The small trained network's ten dreams, from the shapes of MNIST's training digits."""
    shapes = small_model_handwriting
    return np.stack([small_model.dream(digit, shapes) for digit in range(10)])


def test_the_network_reads_each_of_its_dreams_as_the_digit_dreamt(small_model, small_model_dreams):
    # The dreams are straightened already: read them as the network reads straightened inputs.
    read = small_model.query(small_model_dreams.reshape(10, -1).astype(np.float32) / 255).argmax(axis=1)
    assert list(read) == list(range(10))


def test_most_dreams_are_read_as_their_digit_by_the_nearest_training_digits(small_model, small_model_dreams, train_set):
    # A reader that is not the network: the vote of the 5 nearest of 12,000 training
    # digits, pixel by pixel, straightened as the network sees them.
    training = small_model.prepare_inputs(train_set[0][:12000]).reshape(12000, -1).astype(np.float64)
    labels = train_set[1][:12000]
    right = 0
    for digit, image in enumerate(small_model_dreams):
        distances = ((training - image.reshape(-1) / 255) ** 2).sum(axis=1)
        votes = np.bincount(labels[np.argsort(distances)[:5]], minlength=10)
        right += int(votes.argmax() == digit)
    assert right >= 9


def test_the_same_network_gives_the_same_dreams(small_model, train_set, small_model_dreams):
    shapes = dreams.handwriting(small_model, train_set[0])  # learned again: the same shapes, the same dreams
    assert np.array_equal(np.stack([small_model.dream(d, shapes) for d in range(10)]), small_model_dreams)


def test_dream_steps_form_the_dream_one_step_at_a_time(small_model, small_model_handwriting, small_model_dreams):
    shapes = small_model_handwriting
    steps = list(dreams.dream_steps(small_model, 6, shapes))
    assert len(steps) == dreams.STEPS
    assert np.array_equal(steps[-1], small_model_dreams[6])
    assert not np.array_equal(steps[0], steps[-1])


def test_dream_without_shapes_learns_them_from_the_project_s_training_images(monkeypatch, small_model, train_set):
    from myonn import mnist

    asked = []
    some = (train_set[0][:3000], train_set[1][:3000])  # the project's training images, as few as will do
    monkeypatch.setattr(mnist, "load", lambda split, *rest: asked.append(split) or some)
    monkeypatch.setattr(dreams, "_learned", {})
    expected = dreams.dream(small_model, 3, dreams.handwriting(small_model, some[0]))
    assert np.array_equal(small_model.dream(3), expected)
    small_model.dream(4)
    assert asked == ["train"]  # learned once, for every dream after


@pytest.mark.parametrize("digit", [-1, 10, 2.5])
def test_a_dream_of_something_not_a_digit_is_refused(digit):
    shapes = dreams.Handwriting(np.zeros(784), np.eye(784)[:2], np.ones(2))
    with pytest.raises(ValueError, match="0 to 9"):
        dreams.dream_steps(NeuralNetwork(784, 10, 10), digit, shapes)


def test_handwriting_learned_once_is_kept_apart_for_networks_that_straighten_and_those_that_do_not(
    monkeypatch, small_model, train_set
):
    from myonn import NeuralNetwork, mnist

    monkeypatch.setattr(mnist, "load", lambda split, *rest: (train_set[0][:3000], train_set[1][:3000]))
    monkeypatch.setattr(dreams, "_learned", {})
    straight = dreams.mnist_handwriting(small_model)
    plain = dreams.mnist_handwriting(NeuralNetwork(784, 8, 10, deskew=False))
    assert not np.allclose(straight.average, plain.average)
    assert dreams.mnist_handwriting(NeuralNetwork(784, 16, 10)) is straight  # the weights do not matter
