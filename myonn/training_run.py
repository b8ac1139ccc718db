"""What the trainer shows in the terminal while it trains and after: progress, epoch lines, the report.

progress = EpochProgress(len(images), epochs)   # a bar inside each epoch, a line after it
fit(..., **callbacks(progress, window, curves))  # feeds the bar, the watch window, the curves
print_report(network, test_images, test_labels)  # accuracy per digit, confusion matrix, a word on few steps
"""

from __future__ import annotations

import sys
import math
from typing import Callable

import numpy as np

from myonn.network import NeuralNetwork
from myonn.one_at_a_time import batch_images_per_second
from myonn.training import EpochReport, confusion_matrix


class EpochProgress:
    """A progress bar inside each epoch (images per second, time left), then one line for the epoch."""

    def __init__(self, images: int, epochs: int):
        self.images, self.epochs, self.bar = images, epochs, None

    def batch_done(self, count: int) -> None:
        """Advance the bar; it starts at the first batch, so preparing the data does not skew its rate."""
        if self.bar is None:
            from tqdm import tqdm

            # disable=None: no bar when stderr is not a terminal (a file would fill with its redraws).
            self.bar = tqdm(
                total=self.images,
                unit="img",
                unit_scale=True,
                leave=False,
                dynamic_ncols=True,
                file=sys.stderr,
                disable=None,
            )
        self.bar.update(count)

    def epoch_done(self, report: EpochReport) -> None:
        """Replace the finished bar with the epoch's line: loss, accuracies, seconds."""
        self.close()
        test = f"{report.test_accuracy:.2%}" if report.test_accuracy is not None else "-"
        print(
            f"epoch {report.epoch:>2}/{self.epochs}: loss {report.loss:.4f}  train {report.train_accuracy:.2%}  "
            f"test {test}  {report.seconds:.1f} s",
            flush=True,
        )

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def callbacks(progress: EpochProgress | None, window, curves) -> dict[str, Callable | None]:
    """The on_batch, on_epoch and on_step arguments of `fit` that feed whichever of the three is there.

    The watch `window` draws its own `curves`; without a window the curves (for --plot) are fed directly.
    """

    def on_epoch(report: EpochReport) -> None:
        if progress:
            progress.epoch_done(report)
        if window:
            window.epoch_done(report)
        elif curves:
            curves.epoch_done(report)

    return dict(
        on_batch=progress.batch_done if progress else None,
        on_epoch=on_epoch,
        on_step=window.step if window else curves.step if curves else None,
    )


def print_report(network: NeuralNetwork, test_images: np.ndarray, test_labels: np.ndarray) -> None:
    """Print the accuracy for each digit and the confusion matrix."""
    matrix = confusion_matrix(test_labels, network.predict(test_images))
    per_digit = matrix.diagonal() / matrix.sum(axis=1)
    # Five digits a line, so that it fits an 80-column terminal.
    for first in (0, 5):
        print(
            ("accuracy per digit: " if first == 0 else " " * 20)
            + "  ".join(f"{d}: {per_digit[d]:.2%}" for d in range(first, first + 5))
        )
    print("confusion matrix (rows: the true digit, columns: the digit read):")
    print("       " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(matrix):
        print(f"  {digit:>3}  " + "".join(f"{count:>6}" for count in row))
    if hint := few_steps_hint(network.metadata):
        print(hint)


FEW_STEPS = 500  # fewer changes to the weights than this, and a network has hardly begun to learn


def learning_steps(metadata: dict) -> int:
    """How many times training changed the weights: one step per mini-batch (per image, the book's way)."""
    return metadata["epochs"] * math.ceil(metadata["trained_on"] / metadata["batch_size"])


def few_steps_hint(metadata: dict) -> str | None:
    """Two lines saying why a run of very few steps reads badly, and what to change; None for a real run.

    `--epochs 1 --limit 1000` takes 16 steps of 64 images and reads about 4 digits in
    10; the same images one at a time are 1,000 steps. A learner should not take that
    for a broken network.
    """
    steps = learning_steps(metadata)
    if steps >= FEW_STEPS:
        return None
    return (
        f"only {steps:,} steps: each moves the weights a little, so the network has hardly\n"
        "begun to learn; more --epochs, a bigger --limit or a smaller --batch-size help"
    )


def print_speed_up(
    network: NeuralNetwork,
    fresh: NeuralNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    learning_rate: float,
) -> None:
    """Print how fast the book's loop taught `network`, and how much faster mini-batches teach
    `fresh` (a new network, so the one just trained is left as it is) from the same images."""
    one_by_one = network.metadata["epochs"] * len(images) / network.metadata["loop_seconds"]
    in_batches = batch_images_per_second(fresh, images, labels, batch_size, learning_rate)
    print(f"one image at a time: {one_by_one:,.0f} images/s")
    print(
        f"mini-batches of {batch_size}, same images: {in_batches:,.0f} images/s, "
        f"{in_batches / one_by_one:.1f} times faster"
    )
