"""Inside the network: what each hidden node looks for, and how strongly it answers an image.

The two windows (and a learner at the REPL) look inside a trained `NeuralNetwork`
through these functions; none of them changes the network.

* `hidden_pictures(network)`: each hidden node's 784 incoming weights (a row of the
  book's `wih`) laid out as the 28x28 picture they are multiplied with. Where a
  weight is positive, ink there excites the node; where negative, ink there calms it.
* `signed_rgb(values)`: any signed array as colours, positive and negative in two
  colours and zero neutral, as uint8 RGB that a window or a PNG can show.
* `activations(network, image)`: the output of every node for one image: the
  book's `hidden_outputs` and `final_outputs`, with some hidden nodes silenced if
  asked (`silenced`, a mask: the network's weights are never touched).
* `strongest_hidden` and `pushes`: which hidden nodes pushed an answer, and how hard.
* `why(network, image)`: which pixels argued for the answer and which against.
* `knock_out`: silence a random tenth more of the hidden nodes.
* `steps_to_network`: a drawing at each step from the canvas to the first layer.
* `average_digits`: each digit's average image as the network sees it, to set beside
  what it imagines (`NeuralNetwork.backquery`).

The network deskews every image before its first layer, so the pictures and the
maps here live in that straightened image (`NeuralNetwork.straighten`), not in the
raw one.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from myonn.network import NeuralNetwork
from myonn.preprocess import area_resize_matrix, to_mnist_steps

# Positive values in a warm red, negative in a blue, zero white: the two colours
# stay apart for the colour-blind (red-blue, not red-green).
POSITIVE = (200, 30, 30)
NEGATIVE = (30, 80, 210)
NEUTRAL = (255, 255, 255)


def image_side(network: NeuralNetwork) -> int:
    """The side of the square images the network reads: 28 for MNIST's 784 inputs."""
    side = int(round(network.inodes**0.5))
    if side * side != network.inodes:
        raise ValueError(f"a network with {network.inodes} inputs does not read square images")
    return side


def hidden_pictures(network: NeuralNetwork) -> np.ndarray:
    """Each hidden node's incoming weights as a picture: float32 (hidden, 28, 28).

    Picture j is row j of `wih`, the weights from every input pixel to hidden node j,
    in the pixels' places. The node's input is the sum of the straightened image times
    this picture (plus its bias `bh[j]`), so it answers most to ink on its positive
    weights and none on its negative ones.
    """
    side = image_side(network)
    return network.wih.reshape(network.hnodes, side, side)


def signed_rgb(
    values: np.ndarray,
    limit: float | np.ndarray | None = None,
    positive: tuple[int, int, int] = POSITIVE,
    negative: tuple[int, int, int] = NEGATIVE,
    neutral: tuple[int, int, int] = NEUTRAL,
) -> np.ndarray:
    """Signed `values` as colours: uint8 shaped values.shape + (3,).

    Zero is `neutral`; a value of `limit` or more is `positive` at full strength,
    `-limit` or less is `negative`, and in between the colour is mixed linearly. By
    default `limit` is the largest absolute value of the whole array; pass an array
    that broadcasts against `values` (e.g. one limit per picture, shaped (n, 1, 1))
    to scale parts of it apart. An all-zero array is all neutral.
    """
    values = np.asarray(values, np.float32)
    if limit is None:
        limit = float(np.abs(values).max()) if values.size else 0.0
    limit = np.asarray(limit, np.float32)
    # A zero limit (all values zero) would divide by zero: every value is then neutral.
    share = np.clip(values / np.where(limit > 0, limit, np.float32(1)), -1, 1)[..., np.newaxis]
    neutral_ = np.asarray(neutral, np.float32)
    towards = np.where(share >= 0, np.asarray(positive, np.float32), np.asarray(negative, np.float32))
    colours = neutral_ + np.abs(share) * (towards - neutral_)
    return np.rint(colours).astype(np.uint8)


class Activations(NamedTuple):
    """Every node's output for one image, in the book's names."""

    seen: np.ndarray  # uint8 (28, 28): the image as the first layer gets it (straightened)
    hidden_outputs: np.ndarray  # float32 (hidden,): each hidden node's sigmoid, 0 to 1
    final_outputs: np.ndarray  # float32 (10,): the probability of each digit, adding up to 1


def activations(
    network: NeuralNetwork, image: np.ndarray, silenced: np.ndarray | None = None, straighten: bool = True
) -> Activations:
    """The output of every node of `network` for one image.

    `image` is raw uint8 pixels (28, 28), straightened by the network as every image
    it reads is; pass `straighten=False` for an image that already is (the result of
    `network.straighten`), so it is not straightened twice. `silenced` is a boolean
    mask of hidden nodes to silence (see `NeuralNetwork.forward`).
    """
    side = image_side(network)
    image = np.asarray(image)
    if straighten:
        seen = network.straighten(image).reshape(side, side)
    else:
        seen = network.pixel_rows(image).reshape(side, side)
    hidden_outputs, final_outputs = network.forward(network.scale(seen[np.newaxis]), silenced)
    return Activations(seen, hidden_outputs[0], final_outputs[0])


def strongest_hidden(network: NeuralNetwork, hidden_outputs: np.ndarray, digit: int, count: int = 5) -> np.ndarray:
    """The `count` hidden nodes that pushed the output `digit` up most, strongest first.

    Hidden node j adds `who[digit, j] * hidden_outputs[j]` to the digit's score, and
    `who[i, j] * hidden_outputs[j]` to every other digit i's. The softmax only
    weighs scores against each other, so a node's push for `digit` is what it adds
    to that score above what it adds to the ten on average:
    `(who[digit, j] - mean_i who[i, j]) * hidden_outputs[j]`.
    """
    return np.argsort(-pushes(network, hidden_outputs, digit), kind="stable")[:count]


def pushes(network: NeuralNetwork, hidden_outputs: np.ndarray, digit: int) -> np.ndarray:
    """How much each hidden node pushed the output `digit` up (negative: down), as in `strongest_hidden`."""
    weights = network.who[digit] - network.who.mean(axis=0)
    return weights * hidden_outputs


def why(
    network: NeuralNetwork,
    image: np.ndarray,
    digit: int | None = None,
    silenced: np.ndarray | None = None,
    straighten: bool = True,
) -> np.ndarray:
    """Which pixels argued for the answer, and which against: a signed float32 (28, 28) map.

    For each pixel, its input times the slope of the answer's score with respect to
    it ("input x gradient"): about how much the score would drop if that pixel's ink
    were taken away. Positive pixels argued for `digit` (by default the network's
    answer), negative ones against it. The score is the digit's output before the
    softmax, less the mean of the ten (as in `pushes`). The map is over the image as
    the network sees it, straightened (`straighten=False` for an image that already
    is); `silenced` hidden nodes pass nothing back, as they pass nothing forward.
    """
    return why_of(network, activations(network, image, silenced, straighten), digit)


def why_of(network: NeuralNetwork, active: Activations, digit: int | None = None) -> np.ndarray:
    """`why` for an image whose activations are already known (so the window runs the network once a frame)."""
    seen, hidden_outputs, final_outputs = active
    if digit is None:
        digit = int(final_outputs.argmax())
    # Backwards from the score to each input, as backpropagation does: through the
    # hidden-to-output weights, then the sigmoid's slope, then the input-to-hidden weights.
    # A silenced node's output is 0, so nothing comes back through it.
    hidden_errors = (network.who[digit] - network.who.mean(axis=0)) * hidden_outputs * (1 - hidden_outputs)
    gradient = hidden_errors @ network.wih
    inputs = network.scale(seen[np.newaxis])[0]
    return (inputs * gradient).reshape(seen.shape)


def knock_out(silenced: np.ndarray, rng: np.random.Generator, fraction: float = 0.1) -> np.ndarray:
    """A new mask with `fraction` of all the hidden nodes more silenced, chosen at random.

    `silenced` is the boolean mask of the nodes already silenced (it is not changed).
    When fewer nodes than that are still working, all of them are silenced.
    """
    silenced = np.asarray(silenced, bool)
    working = np.flatnonzero(~silenced)
    count = min(max(1, int(round(fraction * len(silenced)))), len(working))
    more = silenced.copy()
    more[rng.choice(working, count, replace=False)] = True
    return more


def average_digits(
    network: NeuralNetwork, images: np.ndarray, labels: np.ndarray, batch_size: int = 8192
) -> np.ndarray:
    """The average of each digit's images as the network sees them (straightened): float32 (10, 28, 28).

    What a digit "looks like on average" to the network, to set beside its backquery.
    A digit with no images averages to zeros.
    """
    side = image_side(network)
    sums = np.zeros((network.onodes, side * side), np.float64)
    labels = np.asarray(labels)
    for start in range(0, len(images), batch_size):
        seen = network.straighten(images[start : start + batch_size]).reshape(-1, side * side)
        batch_labels = labels[start : start + batch_size]
        for digit in range(network.onodes):
            sums[digit] += seen[batch_labels == digit].sum(axis=0)
    counts = np.bincount(labels, minlength=network.onodes)[:, np.newaxis]
    return (sums / np.maximum(counts, 1)).astype(np.float32).reshape(network.onodes, side, side)


STEP_NAMES = (
    "your drawing, shrunk whole",
    "cropped to its ink",
    "fitted into 20x20",
    "placed by its centre of mass",
    "straightened: its input",
)


def steps_to_network(
    network: NeuralNetwork,
    canvas: np.ndarray,
    stages: dict[str, np.ndarray] | None = None,
    straightened: np.ndarray | None = None,
) -> list[np.ndarray]:
    """The drawing at each step from the canvas to the network's first layer: five uint8 (28, 28) images.

    In the order of `STEP_NAMES`: the whole canvas shrunk to 28x28; the drawing
    cropped to its ink (a square), shrunk to 28x28; fitted into MNIST's 20x20 box and
    put in the middle of 28x28; placed by its centre of mass (`to_mnist`'s result);
    and straightened by the network. Each is at full contrast (its darkest pixel 255),
    as MNIST's digits are. `stages` (`myonn.preprocess.to_mnist_steps(canvas)`) and
    `straightened` (`network.straighten` of its "placed"), if already computed, are
    not computed again. Ask the network about each (`network.forward(inputs, silenced)`) to see why the
    normalisation matters.
    """
    side = image_side(network)
    if stages is None:
        stages = to_mnist_steps(canvas)
    fitted = np.zeros((side, side), np.uint8)
    box = stages["fitted"]
    top = (side - len(box)) // 2
    fitted[top : top + len(box), top : top + len(box)] = box
    placed = stages["placed"]
    straight = network.straighten(placed).reshape(side, side) if straightened is None else straightened
    return [shrink(canvas, side), shrink(stages["cropped"], side), fitted, placed, straight]


@functools.lru_cache(maxsize=16)
def resize_matrix(source: int, target: int) -> np.ndarray:
    """`area_resize_matrix` as float32, kept: a window shrinks the same sizes frame after frame."""
    matrix = area_resize_matrix(source, target).astype(np.float32)
    matrix.flags.writeable = False
    return matrix


def shrink(image: np.ndarray, side: int) -> np.ndarray:
    """A square image shrunk to side x side by area averaging, at full contrast: uint8."""
    if image.size == 0:
        return np.zeros((side, side), np.uint8)
    down = resize_matrix(len(image), side)
    small = down @ image.astype(np.float32) @ down.T
    top = small.max()
    return np.clip(np.rint(small * (255.0 / top if top > 0 else 0.0)), 0, 255).astype(np.uint8)
