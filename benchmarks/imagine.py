#!/usr/bin/env python3
"""What the network imagines for each digit, and who else reads it: the book's backquery against a dream.

For each digit, the book's backquery (`NeuralNetwork.backquery`) and a dream
(`NeuralNetwork.dream`, myonn/dreams.py) are read by two readers:

* the network itself, as it reads any straightened image (its forward pass);
* a reader that is not the network: a vote of the 5 training images nearest to the
  picture, pixel by pixel, among all 60,000 straightened as the network sees them.

Then the dreams are made a second time, to check the same network gives the same dreams.

    python benchmarks/imagine.py                         # the shipped network
    python benchmarks/imagine.py --model data/my_nn.npz

The figures go in docs/benchmarks.md ("What it imagines"). They do not depend on the
machine's load; the seconds do.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from not_sure import network_named  # noqa: E402
from myonn import dreams, mnist  # noqa: E402

VOTERS = 5  # nearest training images that vote


def nearest_vote(pictures: np.ndarray, training: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The label most of the `VOTERS` training images nearest to each picture carry (ties: the smaller digit)."""
    flat = pictures.reshape(len(pictures), -1).astype(np.float64) / 255
    squared = (flat**2).sum(axis=1)[:, None] + (training**2).sum(axis=1)[None, :] - 2 * flat @ training.T
    nearest = np.argsort(squared, axis=1)[:, :VOTERS]
    return np.array([np.bincount(labels[row], minlength=10).argmax() for row in nearest])


def main() -> None:
    args, network = network_named(__doc__.splitlines()[0])
    images, labels = mnist.load("train", args.data_dir)
    training = network.prepare_inputs(images).reshape(len(images), -1).astype(np.float64)

    start = time.perf_counter()
    shapes = dreams.handwriting(network, images)
    learned = time.perf_counter() - start
    start = time.perf_counter()
    dreamt = np.stack([network.dream(digit, shapes) for digit in range(10)])
    dreaming = (time.perf_counter() - start) / 10
    again = np.stack([network.dream(digit, dreams.handwriting(network, images)) for digit in range(10)])
    backqueries = np.stack([network.backquery(digit) for digit in range(10)])

    digits = np.arange(10)
    print(f"{'':12} {'the network reads':>28}   {'5 nearest training images vote':>31}")
    for name, pictures in (("backquery", backqueries), ("dream", dreamt)):
        by_network = network.query(network.scale(pictures)).argmax(axis=1)  # already straightened
        by_vote = nearest_vote(pictures, training, labels)
        print(
            f"{name:12} {(by_network == digits).sum():2} of 10: {''.join(map(str, by_network)):>14}"
            f"   {(by_vote == digits).sum():2} of 10: {''.join(map(str, by_vote)):>18}"
        )
    print(f"the same network gives the same dreams: {'yes' if np.array_equal(dreamt, again) else 'NO'}")
    print(
        f"handwriting's {dreams.DIRECTIONS} directions learned in {learned:.2f} s; "
        f"a dream of {dreams.STEPS} steps takes {dreaming * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
