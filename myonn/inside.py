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

The network deskews every image before its first layer, so the pictures and the
maps here live in that straightened image (`NeuralNetwork.straighten`), not in the
raw one.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from myonn.network import NeuralNetwork, softmax

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


def query_silenced(
    network: NeuralNetwork, inputs: np.ndarray, silenced: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`network.forward(inputs)` with the `silenced` hidden nodes' outputs forced to 0.

    `inputs` are prepared inputs (n, 784) from `network.prepare_inputs`; `silenced`
    is a boolean mask of the hidden nodes (hidden,), or None for none. A silenced
    node passes nothing on, as if it had been cut out of the network: its outgoing
    weights are multiplied by 0 for this query only, and the network's own weights
    stay as they are. Returns (hidden_outputs, final_outputs).
    """
    if silenced is None or not np.any(silenced):
        return network.forward(inputs)
    silenced = np.asarray(silenced, bool)
    if silenced.shape != (network.hnodes,):
        raise ValueError(f"silenced must be a mask of the {network.hnodes} hidden nodes, not shaped {silenced.shape}")
    hidden_outputs = network.forward(inputs)[0]
    hidden_outputs[:, silenced] = 0.0
    final_inputs = hidden_outputs @ network.who.T
    final_inputs += network.bo
    return hidden_outputs, softmax(final_inputs, out=final_inputs)


def activations(
    network: NeuralNetwork, image: np.ndarray, silenced: np.ndarray | None = None, straighten: bool = True
) -> Activations:
    """The output of every node of `network` for one image.

    `image` is raw uint8 pixels (28, 28), straightened by the network as every image
    it reads is; pass `straighten=False` for an image that already is (the result of
    `network.straighten`), so it is not straightened twice. `silenced` is a boolean
    mask of hidden nodes to silence (see `query_silenced`).
    """
    side = image_side(network)
    image = np.asarray(image)
    if straighten:
        seen = network.straighten(image).reshape(side, side)
    else:
        seen = network.pixel_rows(image).reshape(side, side)
    hidden_outputs, final_outputs = query_silenced(network, network.scale(seen[np.newaxis]), silenced)
    return Activations(seen, hidden_outputs[0], final_outputs[0])
