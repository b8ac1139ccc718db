"""Does a drawing look like the digits the network learned from? "Not sure" for things that are not digits.

A network trained only on digits gives one of ten answers for anything: a dash, a
scribble, a letter is read as some digit, often at 99% (`myonn.answer` explains why).
Its outputs cannot say "none of these", but two things inside it can:

1. **The energy** of its answer: log(sum(exp(final_inputs))), how strongly the output
   layer's inputs speak at all. A digit it knows drives one output far up; a zigzag
   often drives none, and only the softmax makes one of them look sure.
2. **The nearest training digits**, as the network sees them: the mean squared
   distance from the drawing's 200 hidden outputs to those of the `NEAREST` training
   images closest to it. A letter or a cross can drive an output up, but lights a
   pattern of hidden nodes that no training digit lights.

Each is compared with what the network's own right answers on MNIST's test set give:
a drawing stranger than all but `STRANGEST` of them, by either measure, is not
familiar. So the rule follows whichever network reads, and on the digits it was made
for it speaks up for 0.3% + 0.3% at most. Measured by `benchmarks/not_a_digit.py`.

The digits a learner taught the drawing window count among the training digits: a
lesson says "this is a digit", so a drawing like it is familiar from then on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from myonn import mnist
from myonn.network import NeuralNetwork
from myonn.one_run import OneRunAtATime

NEAREST = 5  # training digits a drawing is compared with
REFERENCE_EVERY = 6  # every sixth training image (10,000) stands for them all: enough, and quick
STRANGEST = 0.003  # the share of right answers on MNIST's test set that either measure may call strange
CHUNK = 1000  # drawings compared at a time: a 1,000 x 10,000 table of distances is 40 MB


def energy(network: NeuralNetwork, hidden_outputs: np.ndarray) -> np.ndarray:
    """log(sum(exp(final_inputs))) for each row of `hidden_outputs` (n, hidden): high for a clear digit."""
    final_inputs = hidden_outputs @ network.who.T + network.bo
    top = final_inputs.max(axis=1, keepdims=True)
    return top[:, 0] + np.log(np.exp(final_inputs - top).sum(axis=1))  # without overflow


class Familiarity:
    """What the network's hidden outputs look like for digits, to tell a drawing that is not one."""

    def __init__(
        self,
        network: NeuralNetwork,
        train_images: np.ndarray,
        test_images: np.ndarray,
        test_labels,
        taught_images: np.ndarray | None = None,
    ):
        """Learn the measures' limits for `network` from MNIST (uint8 images, as `mnist.load` gives them).

        `taught_images`, the digits taught in the drawing window, join the training digits
        compared with, each `NEAREST` times: a drawing just like one is as near as can be.
        """
        self.network = network
        reference = train_images[::REFERENCE_EVERY]
        if taught_images is not None and len(taught_images):
            reference = np.concatenate([reference, np.repeat(np.asarray(taught_images, np.uint8), NEAREST, axis=0)])
        self.reference = network.forward(network.prepare_inputs(reference))[0].copy()
        self._reference_norms = (self.reference**2).sum(axis=1)
        hidden, outputs = network.forward(network.prepare_inputs(test_images))
        right = hidden[outputs.argmax(axis=1) == np.asarray(test_labels)]
        self.least_energy = float(np.quantile(energy(network, right), STRANGEST))
        self.farthest = float(np.quantile(self.distance(right), 1 - STRANGEST))

    def distance(self, hidden_outputs: np.ndarray) -> np.ndarray:
        """The mean squared distance from each row of `hidden_outputs` to its `NEAREST` reference digits."""
        distances = []
        for start in range(0, len(hidden_outputs), CHUNK):
            rows = hidden_outputs[start : start + CHUNK]
            # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, for every pair at once.
            squared = (rows**2).sum(axis=1)[:, None] + self._reference_norms[None, :] - 2 * rows @ self.reference.T
            distances.append(np.partition(squared, NEAREST - 1, axis=1)[:, :NEAREST].mean(axis=1))
        return np.concatenate(distances) if distances else np.zeros(0)

    def familiar(self, hidden_outputs: np.ndarray) -> np.ndarray:
        """For each row of `hidden_outputs` (n, hidden): whether it looks like a digit to this network."""
        hidden_outputs = np.atleast_2d(hidden_outputs)
        return (energy(self.network, hidden_outputs) >= self.least_energy) & (
            self.distance(hidden_outputs) <= self.farthest
        )


def learn_familiarity(
    network: NeuralNetwork, data_dir: str | Path, taught_images: np.ndarray | None = None
) -> Familiarity | None:
    """`Familiarity` for `network` (and `taught_images`) from the MNIST files in `data_dir`; None when they are not all there.

    Never downloads: without MNIST the windows keep to the plain "not sure" rule.
    """
    found = mnist.read_if_there(data_dir)
    if found is None:
        return None
    (train_images, _), (test_images, test_labels) = found["train"], found["test"]
    return Familiarity(network, train_images, test_images, test_labels, taught_images)


class InBackground(OneRunAtATime):
    """Learns `Familiarity` for a network on another thread, so that the window opens at once.

    One run at a time (`myonn.one_run.OneRunAtATime`): asked again while it works (a
    lesson given meanwhile), it learns once more when done, for the network as it is then.
    """

    def __init__(
        self,
        network: NeuralNetwork,
        data_dir: str | Path,
        ready: Callable[[Familiarity], None],
        taught: Callable[[], np.ndarray] | None = None,
    ):
        """Each `Familiarity` learned for `network` from the MNIST files in `data_dir` goes to `ready`;
        `taught()` gives the digits taught so far, as each run starts."""
        super().__init__(
            lambda: learn_familiarity(network, data_dir, taught() if taught else None), ready, name="familiarity"
        )
