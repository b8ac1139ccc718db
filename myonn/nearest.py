"""Who taught it this: the training images nearest to an image, as the network sees them.

The network never keeps its training images, but each of them left its mark on the
weights, and images that light the same hidden nodes are read the same way. So to ask
"which MNIST digits was it reminded of?", compare what the image does inside the
network with what every training image does: the 200 hidden outputs (`hidden_outputs`,
the book's name), by their squared distance. A misreading then shows its reasons: a
European 1, with its long flag, lands among MNIST's 7s.

`Reminders` works out the hidden outputs of all 60,000 training images once (about a
second, and 48 MB); each question after that is one matrix product, a few milliseconds.
"""

from __future__ import annotations

import numpy as np

from myonn.network import NeuralNetwork

SHOWN = 8  # training images shown for an image
CHUNK = 10_000  # training images straightened at a time: their float inputs are 31 MB


class Reminders:
    """The hidden outputs of every training image, to find those nearest to any image's."""

    def __init__(self, network: NeuralNetwork, images: np.ndarray, labels: np.ndarray):
        """Remember what `network`'s hidden nodes do for each of `images` (uint8 (n, 28, 28)), with their `labels`."""
        if len(images) != len(labels):
            raise ValueError(f"one label for each image: {len(images)} images, {len(labels)} labels")
        self.images = images
        self.labels = np.asarray(labels)
        self.hidden = (
            np.concatenate(
                [
                    network.forward(network.prepare_inputs(images[start : start + CHUNK]))[0]
                    for start in range(0, len(images), CHUNK)
                ]
            )
            if len(images)
            else np.zeros((0, network.hnodes), np.float32)
        )
        self._norms = (self.hidden**2).sum(axis=1)  # |b|^2 of each, once

    @property
    def nbytes(self) -> int:
        """The memory the remembered hidden outputs hold, in bytes."""
        return self.hidden.nbytes + self._norms.nbytes

    def nearest(self, hidden_outputs: np.ndarray, count: int = SHOWN) -> np.ndarray:
        """The indices of the `count` training images whose hidden outputs are nearest `hidden_outputs`,
        the nearest first (of two as near, the earlier image first).

        `hidden_outputs` are one image's, shaped (hidden,): for raw pixels `image`,
        `network.forward(network.prepare_inputs(image))[0][0]`. The indices count from 0
        (the browser shows them from 1).
        """
        row = np.asarray(hidden_outputs, np.float32)
        if row.size != self.hidden.shape[1]:
            raise ValueError(
                f"nearest takes one image's {self.hidden.shape[1]} hidden outputs, not an array shaped {row.shape}: "
                "network.forward(network.prepare_inputs(image))[0][0] gives them"
            )
        row = row.reshape(-1)
        count = min(count, len(self.hidden))
        if count == 0:
            return np.zeros(0, np.int64)
        # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, where |a|^2 is the same for every b: one matrix
        # product in float32 (a few ms) finds a few more than needed; their exact distances
        # in float64 then put them in order.
        rough = self._norms - 2 * (self.hidden @ row)
        spare = min(4 * count, len(rough))
        # Every image as near as the last of them, too: of many as near, the earliest must be among them.
        candidates = np.flatnonzero(rough <= np.partition(rough, spare - 1)[spare - 1])
        exact = self.distances(hidden_outputs, candidates)
        return candidates[np.lexsort((candidates, exact))][:count]

    def distances(self, hidden_outputs: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """The squared distances from `hidden_outputs` to the hidden outputs of training images `indices`."""
        return ((self.hidden[indices].astype(np.float64) - np.asarray(hidden_outputs, np.float64)) ** 2).sum(axis=1)
