"""One training step, in numbers: everything `NeuralNetwork.train` works out for one image and its label.

`one_step(network, image, digit)` runs the step `train` makes for that image, with
`train`'s own methods (`forward`, `errors`, `weight_steps`), and keeps every array
along the way under the book's names: the inputs, `hidden_outputs`, `final_outputs`,
`targets`, `output_errors`, `hidden_errors`, and the steps to `who` and `wih` (and the
biases). It then makes the step on a copy of the network, to show the answer before
and after. The network itself is never changed: the T view of the drawing window
shows the step, and only a lesson (a digit key elsewhere) teaches.

The step is plain gradient descent at `LEARNING_RATE`, without momentum: the step
`train(inputs, targets, LEARNING_RATE, momentum=0)` makes, which is the book's.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

import numpy as np

from myonn.network import WEIGHTS, NeuralNetwork

LEARNING_RATE = 0.1  # the size of a lesson's steps in the drawing window (myonn.teaching)

# The rule of each layer, in the book's form (rows are images, so its dot(a, b.T) is a x b).
RULES = (
    "hidden_outputs = sigmoid(wih . inputs + bh)",
    "final_outputs = softmax(who . hidden_outputs + bo)",
    "output_errors = targets - final_outputs",
    "hidden_errors = who.T . output_errors * hidden_outputs * (1 - hidden_outputs)",
    "delta who = lr * output_errors x hidden_outputs",
    "delta wih = lr * hidden_errors x inputs",
)


class Step(NamedTuple):
    """One training step for one image, every array under the book's name (one image: no batch axis)."""

    inputs: np.ndarray  # (784,), the straightened image as the network's inputs, 0 to 1
    hidden_outputs: np.ndarray  # (200,)
    final_outputs: np.ndarray  # (10,), the answer before the step
    targets: np.ndarray  # (10,), 1 for the label, 0 elsewhere
    output_errors: np.ndarray  # (10,), targets - final_outputs
    hidden_errors: np.ndarray  # (200,)
    steps: dict[str, np.ndarray]  # the change to each of WEIGHTS: who (10, 200), bo, wih (200, 784), bh
    after: np.ndarray  # (10,), the answer after the step
    learning_rate: float

    def moved_most(self, count: int = 4) -> np.ndarray:
        """The hidden nodes whose incoming weights (rows of wih) the step moved most, the most first."""
        sizes = np.abs(self.steps["wih"]).sum(axis=1)
        return np.argsort(-sizes, kind="stable")[:count]


def one_step(network: NeuralNetwork, image: np.ndarray, digit: int, learning_rate: float = LEARNING_RATE) -> Step:
    """The step `network.train` makes for raw uint8 `image` (28, 28) labelled `digit`, and the answer after it."""
    if int(digit) != digit or not 0 <= digit < network.onodes:
        raise ValueError(f"digit must be one of the {network.onodes} outputs, 0 to {network.onodes - 1}, not {digit!r}")
    side = int(round(network.inodes**0.5))
    if np.shape(image) not in ((side, side), (network.inodes,), (1, side, side), (1, network.inodes)):
        raise ValueError(f"one_step takes one image, shaped ({side}, {side}), not {np.shape(image)}")
    inputs = network.prepare_inputs(image)
    hidden_outputs, final_outputs = network.forward(inputs)
    targets = np.zeros_like(final_outputs)
    targets[0, int(digit)] = 1.0
    output_errors, hidden_errors = network.errors(hidden_outputs, final_outputs, targets)
    shown = output_errors[0].copy(), hidden_errors[0].copy()  # weight_steps scales its arguments in place
    steps = {
        name: step.copy()
        for name, step in network.weight_steps(
            inputs, hidden_outputs, output_errors, hidden_errors, learning_rate
        ).items()
    }
    stepped = copy.copy(network)  # the same network, with copies of its weights stepped
    for name in WEIGHTS:
        setattr(stepped, name, getattr(network, name) + steps[name])
    after = stepped.query(inputs)[0]
    return Step(
        inputs[0], hidden_outputs[0].copy(), final_outputs[0].copy(), targets[0], *shown, steps, after, learning_rate
    )
