"""The improvement ladder: the book's network, then one change at a time, up to today's recipe.

Each rung keeps every change above it and adds one:

0. the book exactly (`myonn.book`): sigmoid outputs, the squared error, no biases,
   inputs 0.01-1.00, targets 0.01/0.99, one image at a time, learning rate 0.1, one epoch;
1. mini-batches of 64, one matrix product for all of them, at the learning rate that
   suits their averaged step (2.0: of 0.5, 1, 1.5, 2, 3, 4 and 6, 2 and 3 did best);
2. a bias for every node;
3. softmax outputs with the cross-entropy loss (`myonn.network.NeuralNetwork`, from
   here on: its inputs 0 to 1, its targets 0 and 1);
4. momentum 0.9;
5. 25 epochs, with the learning rate falling along a cosine (`myonn.training.fit`);
6. deskewing every image before the first layer;
7. varied images: bent, turned, crossed, flagged, thinner, thicker (today's default).

The last rung is the network `./mnist_train.py` makes with its defaults. Why each change
helps is on docs/how-it-works.md; `benchmarks/ladder.py` adds how each rung reads
people's own drawings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

from myonn.book import BookNetwork, book_inputs, book_targets
from myonn.network import NeuralNetwork
from myonn.plumbing.cores import CoreShare
from myonn.training import fit, one_hot

BATCH = 64
EPOCHS = 25  # rungs 5 to 7, as the default training
BOOK_RATE = 0.1  # the book's, one image at a time
BOOK_BATCH_RATE = 2.0  # the book's network on mini-batches (see rung 1 above)
SOFTMAX_RATE = 1.0  # rung 3 (0.3, 1 and 3 tried: 91.0%, 93.6%, 93.2%)
MOMENTUM = 0.9
RATE = 0.3  # with momentum, as the default training


@dataclass
class Rung:
    """One rung of the ladder: what it adds, and how it trains a network from MNIST."""

    number: int
    change: str  # what this rung adds, in a few words
    train: Callable[[np.ndarray, np.ndarray, CoreShare | None], object]  # (images, labels, cores) -> a network
    epochs: int = 1  # passes over the training images


@dataclass
class Result:
    """What one rung gave: the network, its test accuracy, and how fast it learned."""

    rung: Rung
    network: object  # a BookNetwork or a NeuralNetwork: both have predict(images) and accuracy(images, labels)
    accuracy: float
    seconds: float
    images_seen: int  # training images learned from, over every epoch

    @property
    def images_per_second(self) -> float:
        """How many training images a second the rung learned from."""
        return self.images_seen / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The rung's line, under 80 columns: `rung N: change  accuracy  seconds  images/s`."""
        return (
            f"rung {self.rung.number}: {self.rung.change:<33} {self.accuracy:7.2%} {self.seconds:6.1f} s "
            f"{self.images_per_second:>9,.0f} images/s"
        )


def book_one_at_a_time(images, labels, cores=None) -> BookNetwork:
    """Rung 0: the book's network, trained the book's way."""
    network = BookNetwork()
    for inputs, targets in zip(book_inputs(images), book_targets(labels)):
        network.train(inputs, targets, BOOK_RATE)
    return network


def book_batches(images, labels, cores=None, biases: bool = False) -> BookNetwork:
    """Rungs 1 and 2: the book's network on mini-batches, with or without biases."""
    network = BookNetwork(biases=biases)
    inputs, targets = book_inputs(images), book_targets(labels)
    for start in range(0, len(inputs), BATCH):
        network.train_batch(inputs[start : start + BATCH], targets[start : start + BATCH], BOOK_BATCH_RATE)
    return network


def softmax_epoch(images, labels, cores=None, rate: float = SOFTMAX_RATE, momentum: float = 0.0) -> NeuralNetwork:
    """Rungs 3 and 4: one epoch of `NeuralNetwork.train` at a constant rate, without deskewing."""
    network = NeuralNetwork(seed=0, deskew=False)
    inputs, targets = network.prepare_inputs(images), one_hot(labels)
    for start in range(0, len(inputs), BATCH):
        network.train(inputs[start : start + BATCH], targets[start : start + BATCH], rate, momentum)
    return network


def recipe(images, labels, cores=None, deskew: bool = True, varied: bool = True) -> NeuralNetwork:
    """Rungs 5 to 7: `fit`'s epochs and schedule; with deskewing; with varied images (the default)."""
    network = NeuralNetwork(seed=0, deskew=deskew)
    plain = {} if varied else dict(distort=0.0, styles=0.0, vary_strokes=False)
    fit(network, images, labels, EPOCHS, BATCH, RATE, MOMENTUM, seed=0, cores=cores, **plain)
    return network


RUNGS = [
    Rung(0, "the book (sigmoid, squared error)", book_one_at_a_time),
    Rung(1, "mini-batches of 64", partial(book_batches, biases=False)),
    Rung(2, "biases", partial(book_batches, biases=True)),
    Rung(3, "softmax with cross-entropy", partial(softmax_epoch, rate=SOFTMAX_RATE, momentum=0.0)),
    Rung(4, "momentum", partial(softmax_epoch, rate=RATE, momentum=MOMENTUM)),
    Rung(5, f"{EPOCHS} epochs, cosine learning rate", partial(recipe, deskew=False, varied=False), EPOCHS),
    Rung(6, "deskewing", partial(recipe, deskew=True, varied=False), EPOCHS),
    Rung(7, "varied images (the default)", partial(recipe, deskew=True, varied=True), EPOCHS),
]


def climb(
    images: np.ndarray,
    labels: np.ndarray,
    test: tuple[np.ndarray, np.ndarray],
    rungs: list[Rung] = RUNGS,
    on_rung: Callable[[Result], None] | None = None,
    cores: CoreShare | None = None,
) -> list[Result]:
    """Train every rung on MNIST's `images` and `labels`, measure each on `test`; `on_rung(result)` after each."""
    results = []
    for rung in rungs:
        start = time.perf_counter()
        network = rung.train(images, labels, cores)
        seconds = time.perf_counter() - start
        result = Result(rung, network, network.accuracy(*test), seconds, rung.epochs * len(images))
        results.append(result)
        if on_rung:
            on_rung(result)
    return results
