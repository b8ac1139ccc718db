"""The book's way: training on one image at a time, in a plain Python loop.

Tariq Rashid's book and the talk train the network one image at a time: a column
vector in, one forward pass, the errors sent back, every weight nudged, next image.
`train_one` does exactly that to this project's `NeuralNetwork`, in the book's words,
so that a learner can put it beside `NeuralNetwork.train`, which does the same for a
whole mini-batch at once (with a batch of one and no momentum, the two make the
same step). Only two things differ from the book, as they do in the whole network:
the biases `bh` and `bo`, and the softmax outputs with the cross-entropy loss, which
take the sigmoid's slope out of the output layer's update.

`fit_one_at_a_time` runs the book's loop over a training set, and
`batch_images_per_second` times the mini-batch loop on the same images, so that a
learner feels why mini-batches matter: one matrix product for 64 images costs far
less than 64 small ones run from Python.
"""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np

from myonn.plumbing.errors import TrainingDiverged
from myonn.network import NeuralNetwork, sigmoid, softmax
from myonn.training import EpochReport, epoch_report, one_hot

# The book's learning rate for one image at a time is 0.1. With softmax outputs the
# error signal is larger than the book's (no sigmoid slope shrinks it); 0.05 did a
# little better here (one epoch on 10,000 images: 93.6% against 93.5% at 0.1, 93.2% at 0.02).
LEARNING_RATE = 0.05


def train_one(
    network: NeuralNetwork, inputs: np.ndarray, targets: np.ndarray, learning_rate: float
) -> tuple[float, bool]:
    """Learn from one image, as the book's `train` does; return its loss and whether it was read right.

    `inputs` are one image's prepared inputs (784,) (from `network.prepare_inputs`),
    `targets` its wanted outputs (10,): 1.0 for the right digit, 0.0 elsewhere. The
    loss and the verdict are from before the step, as `NeuralNetwork.train` reports.
    """
    # Convert the inputs and targets to column vectors, as the book does.
    inputs = inputs.reshape(-1, 1)
    targets = targets.reshape(-1, 1)

    # Calculate the signals into the hidden layer, and the signals emerging from it.
    hidden_inputs = np.dot(network.wih, inputs) + network.bh.reshape(-1, 1)
    hidden_outputs = sigmoid(hidden_inputs)
    # Calculate the signals into the final output layer, and the signals emerging from it
    # (softmax, where the book has a sigmoid: probabilities that add up to 1).
    final_inputs = np.dot(network.who, hidden_outputs) + network.bo.reshape(-1, 1)
    final_outputs = softmax(final_inputs.T).T

    # The output layer's error is (target - actual).
    output_errors = targets - final_outputs
    # The hidden layer's error is the output errors, split by weights, recombined at the hidden nodes.
    hidden_errors = np.dot(network.who.T, output_errors)

    # Update the weights for the links between the hidden and output layers (with the
    # cross-entropy loss, no `final_outputs * (1.0 - final_outputs)` here).
    network.who += learning_rate * np.dot(output_errors, np.transpose(hidden_outputs))
    network.bo += learning_rate * output_errors[:, 0]
    # Update the weights for the links between the input and hidden layers.
    hidden_deltas = hidden_errors * hidden_outputs * (1.0 - hidden_outputs)
    network.wih += learning_rate * np.dot(hidden_deltas, np.transpose(inputs))
    network.bh += learning_rate * hidden_deltas[:, 0]

    right = int(targets.argmax())
    loss = -math.log(max(float(final_outputs[right, 0]), 1e-30))
    return loss, int(final_outputs.argmax()) == right


def fit_one_at_a_time(
    network: NeuralNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    epochs: int = 1,
    learning_rate: float = LEARNING_RATE,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_batch: Callable[[int], None] | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
    on_step: Callable[[int, float, int, float], None] | None = None,
) -> list[EpochReport]:
    """Train `network` on raw MNIST `images` and `labels` the book's way, one image at a time.

    Each epoch goes through the images in their order with `train_one`, at a constant
    `learning_rate` and without momentum, as the book does. The callbacks and the
    reports are those of `myonn.training.fit` (each "batch" is one image), so the same
    progress bar and curves follow either loop. Records the run in `network.metadata`,
    including `loop_seconds`: the time spent in the loop itself, without preparing the
    images or measuring the test accuracy.
    """
    if epochs < 1 or len(images) == 0 or len(images) != len(labels):
        raise ValueError(
            f"fit_one_at_a_time needs at least one epoch and as many labels as images "
            f"(epochs={epochs}, images={len(images)}, labels={len(labels)})"
        )
    started = time.perf_counter()
    inputs = network.prepare_inputs(images)  # deskewed and scaled, as fit's are
    targets = one_hot(labels, network.onodes)
    test_inputs = network.prepare_inputs(test[0]) if test is not None else None
    loop_seconds = 0.0
    reports: list[EpochReport] = []
    for epoch in range(1, epochs + 1):
        epoch_start = time.perf_counter()
        loss_sum, correct = 0.0, 0
        for record in range(len(inputs)):
            loss, right = train_one(network, inputs[record], targets[record], learning_rate)
            if not math.isfinite(loss) or loss > 100:
                raise TrainingDiverged(
                    f"training diverged in epoch {epoch} (the loss became {loss:.3g}); "
                    f"try a smaller --learning-rate than {learning_rate}"
                )
            loss_sum += loss
            correct += right
            if on_batch:
                on_batch(1)
            if on_step:
                on_step(1, loss, int(right), learning_rate)
        loop_seconds += time.perf_counter() - epoch_start
        report = epoch_report(
            network, epoch, loss_sum, correct, len(inputs), learning_rate, epoch_start, test, test_inputs
        )
        reports.append(report)
        if on_epoch:
            on_epoch(report)

    # The record of the run, in the order of fit's (and the model files'), with the book's settings.
    steps = dict(epochs=epochs, learning_rate=learning_rate, momentum=0.0, batch_size=1, one_at_a_time=True)
    network.metadata.update(steps, distort=0, styles=0, vary_strokes=False, trained_on=len(images))
    seconds = dict(training_seconds=round(time.perf_counter() - started, 2), loop_seconds=round(loop_seconds, 3))
    network.metadata.update(test_accuracy=reports[-1].test_accuracy, **seconds)
    return reports


def batch_images_per_second(
    network: NeuralNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    learning_rate: float,
    at_least_seconds: float = 0.5,
) -> float:
    """How many images a second the mini-batch loop (`NeuralNetwork.train`) learns from, on these images.

    Times passes over the same prepared images in batches of `batch_size`, as
    `myonn.training.fit` trains, until `at_least_seconds` have gone by (a few hundred
    images take only milliseconds), and counts the loop only, as `fit_one_at_a_time`'s
    `loop_seconds` does. It trains `network`: give it a spare one.
    """
    inputs = network.prepare_inputs(images)
    targets = one_hot(labels, network.onodes)
    done, seconds = 0, 0.0
    while seconds < at_least_seconds:
        start = time.perf_counter()
        for b in range(0, len(inputs), batch_size):
            network.train(inputs[b : b + batch_size], targets[b : b + batch_size], learning_rate)
        seconds += time.perf_counter() - start
        done += len(inputs)
    return done / seconds
