"""What the network dreams of for a digit: an image it reads as that digit, kept among handwriting's shapes.

The book's backquery (`NeuralNetwork.backquery`) runs the network backwards through
its transposed weights. What comes out is the pattern the weights most associate
with a digit, but a learner reads it as noise, and so does the network: it reads
only a few of its own ten backqueries as the digit they were made for.

A dream asks the question the other way round: which image would the network read
as this digit? It starts from the average digit and climbs, step by step, the
network's own gradient of log(probability of the digit): backpropagation, with the
same errors as training (`NeuralNetwork.errors`), carried one layer further, to the
inputs. Left free, that climb finds blobs and fine stripes that the network reads as
the digit and nobody else does: the network answers for all 784 pixels, also the
combinations no pen makes. So each step moves the image only along the
`DIRECTIONS` main directions in which MNIST's digits differ from their average
(their principal components), and never further along each than `REACH` times how
far real digits go: the image stays one that handwriting could have made, and
a person (or a nearest-neighbour vote over the training digits) reads the digit too.

Each step goes the same short way, `STEP_SIZE` standard deviations of the digits,
in the direction that raises the probability fastest. The network is sure of its digit
after a few dozen steps, and a step as long as the gradient would then all but stop:
the dream of a 1 stayed the average digit's blob with a stroke through it, which the
network reads as a 1 and a person as a 3. Steps of a fixed length go on toward the
digit's own shape, and 300 of them go no further from the average than real digits
lie from it (3.75 standard deviations at most; a real digit lies about 4.5 away in 20
directions).

Like backquery's, the dream lives in the network's own input space: the digit as
the network sees it, straightened (deskewed). Measured by `benchmarks/imagine.py`.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

import numpy as np

from myonn.network import NeuralNetwork

DIRECTIONS = 20  # principal directions the dream may move along: with 40 or 80 a 7 drifts toward a 9
REACH = 2.5  # how far along each, in standard deviations of the training digits
STEPS = 300  # steps of the climb
STEP_SIZE = 0.0125  # how far each step goes, in standard deviations: 300 go 3.75 at most
SAMPLE_EVERY = 6  # every sixth training image (10,000) is plenty to find 20 directions


class Handwriting(NamedTuple):
    """The shapes handwritten digits take, as the network sees them: their average and main directions."""

    average: np.ndarray  # float64 (784,): the average straightened training digit, inputs 0 to 1
    directions: np.ndarray  # float64 (DIRECTIONS, 784): unit vectors, the largest spread first
    spreads: np.ndarray  # float64 (DIRECTIONS,): the standard deviation of the digits along each


def handwriting(network: NeuralNetwork, train_images: np.ndarray, directions: int = DIRECTIONS) -> Handwriting:
    """The average and the main `directions` of MNIST's training digits, straightened as `network` sees them.

    `train_images` are raw uint8 pixels (n, 28, 28); every `SAMPLE_EVERY`-th is used.
    The directions are the eigenvectors of the digits' covariance matrix with the
    largest eigenvalues, which are the variances along them.
    """
    inputs = network.prepare_inputs(np.asarray(train_images)[::SAMPLE_EVERY]).astype(np.float64)
    if len(inputs) < 2:
        raise ValueError("the shapes of handwriting need at least two training images")
    average = inputs.mean(axis=0)
    variances, vectors = np.linalg.eigh(np.cov(inputs - average, rowvar=False))
    largest = np.argsort(variances)[::-1][:directions]  # eigh sorts them smallest first
    return Handwriting(average, vectors[:, largest].T, np.sqrt(np.maximum(variances[largest], 0.0)))


_learned: dict[tuple[int, bool], Handwriting] = {}  # by the images' size and whether they are straightened


def mnist_handwriting(network: NeuralNetwork) -> Handwriting:
    """`handwriting` from MNIST's training images in the project's data folder, learned once.

    The shapes depend only on how the network straightens its images, not on its
    weights: every network that deskews shares them.
    """
    key = (network.inodes, network.deskew)
    if key not in _learned:
        from myonn import mnist

        _learned[key] = handwriting(network, mnist.load("train")[0])
    return _learned[key]


def input_errors(network: NeuralNetwork, inputs: np.ndarray, digit: int) -> np.ndarray:
    """How each input should change to make `digit` more likely: the gradient of log p(digit), float (784,).

    The training step's errors for the target "this is `digit`" (`NeuralNetwork.errors`),
    carried one layer further back: the hidden errors sent through `wih`, as the output
    errors were sent through `who`.
    """
    hidden_outputs, final_outputs = network.forward(np.asarray(inputs, np.float32).reshape(1, -1))
    targets = np.zeros_like(final_outputs)
    targets[0, digit] = 1.0
    _, hidden_errors = network.errors(hidden_outputs, final_outputs, targets)
    return (hidden_errors @ network.wih)[0]


def dream_steps(network: NeuralNetwork, digit: int, shapes: Handwriting, steps: int = STEPS) -> Iterator[np.ndarray]:
    """The dream of `digit` as it forms: the image after each step of the climb, uint8 (28, 28)."""
    if int(digit) != digit or not 0 <= digit < network.onodes:
        raise ValueError(f"digit must be one of the {network.onodes} outputs, 0 to {network.onodes - 1}, not {digit!r}")
    return _climb(network, int(digit), shapes, steps)


def _climb(network: NeuralNetwork, digit: int, shapes: Handwriting, steps: int) -> Iterator[np.ndarray]:
    """`dream_steps`, once `digit` is checked (a generator's own checks wait for its first step)."""
    side = int(round(network.inodes**0.5))
    limit = REACH * shapes.spreads
    along = np.zeros(len(shapes.spreads))  # how far the image is along each direction from the average
    for _ in range(steps):
        inputs = np.clip(shapes.average + along @ shapes.directions, 0.0, 1.0)  # what pixels can be
        # The gradient, projected onto the directions: the way handwriting allows. Measured in
        # each direction's standard deviations, a step goes STEP_SIZE the steepest way up.
        uphill = (shapes.directions @ input_errors(network, inputs, digit)) * shapes.spreads
        length = np.sqrt((uphill**2).sum())
        if length > 0:  # (no way up: the image stays as it is)
            along += STEP_SIZE * shapes.spreads * uphill / length
        np.clip(along, -limit, limit, out=along)
        yield pixels(shapes.average + along @ shapes.directions, side)


def dream(network: NeuralNetwork, digit: int, shapes: Handwriting, steps: int = STEPS) -> np.ndarray:
    """What `network` dreams of for `digit`: the last image of `dream_steps`, uint8 (28, 28)."""
    image = pixels(shapes.average, int(round(network.inodes**0.5)))  # no steps: the average digit
    for image in dream_steps(network, digit, shapes, steps):
        pass
    return image


def pixels(inputs: np.ndarray, side: int) -> np.ndarray:
    """Inputs (0 to 1) -> uint8 pixels (side, side), what lies outside 0 to 1 cut off."""
    return np.rint(np.clip(inputs, 0.0, 1.0) * 255).astype(np.uint8).reshape(side, side)
