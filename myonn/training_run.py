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
from myonn.plumbing.errors import MyonnError
from myonn.training import EpochReport, confusion_matrix, no_better_than_guessing


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


def run_ladder(images, labels, test, plot=None, quiet: bool = False, cores=None) -> None:
    """`./mnist_train.py --ladder`: train every rung of `myonn.ladder`, a line for each; the chart into `plot`."""
    from myonn.ladder import RUNGS, climb
    from myonn.plumbing import paths
    from myonn.plumbing.cli import say

    if not quiet:
        count = f"{len(images):,} image{'s' * (len(images) != 1)}"
        say(f"the improvement ladder on {count}: {len(RUNGS)} rungs, each adding one change")
    results = climb(images, labels, test, on_rung=lambda result: say(result.line()), cores=cores)
    if plot:
        from myonn.windows.ladder_chart import save_ladder

        save_ladder(results, plot)
        if not quiet:
            say(f"the ladder drawn in {paths.shown(plot)}")
    if not quiet:
        say("no network was saved: ./mnist_train.py trains the last rung and saves it")


def load_training(data_dir, limit, batch_size, extra, extra_weight, error: Callable[[str], None], quiet=False):
    """MNIST as `./mnist_train.py`'s options ask: (train images, train labels, test images, test labels,
    how many `extra` digits), the first `limit` training images and each `extra` digit `extra_weight`
    times. A mistake in those options goes to `error` (the parser's: one line, exit 2)."""
    from myonn import mnist
    from myonn.plumbing.cli import say
    from myonn.teaching import read_taught, with_taught

    images, labels = mnist.load("train", data_dir)
    test_images, test_labels = mnist.load("test", data_dir)
    if limit is not None:
        if limit > len(images):
            error(f"argument --limit: {limit} is more than the {len(images)} training images")
        images, labels = images[:limit], labels[:limit]
    if batch_size > len(images):
        # One step an epoch, each averaged over every image, teaches next to nothing.
        error(f"argument --batch-size: {batch_size} is more than the {len(images)} images to train on")
    count = 0
    if extra is not None:
        extra_images, extra_labels = read_taught(extra)
        if not len(extra_labels):
            error(f"argument --extra: {extra} holds no digits")
        images, labels = with_taught(images, labels, extra_images, extra_labels, extra_weight)
        count = len(extra_labels)
        if not quiet:
            say(f"with {count} digit{'s' * (count != 1)} from {extra}, each counted {extra_weight} times")
    return images, labels, test_images, test_labels, count


def run_settings(network: NeuralNetwork, images: int, epochs, batch_size, learning_rate, plain, one_at_a_time) -> str:
    """What a run is, in words: "784-200-10 on 60,000 images: 25 epochs, batch 64, learning rate 0.3"."""
    shape = f"{network.inodes}-{network.hnodes}-{network.onodes}"
    batch = "" if one_at_a_time else f", batch {batch_size}"
    way = " one at a time" if one_at_a_time else ""
    plain = ", plain" if plain and not one_at_a_time else ""
    return f"{shape} on {images:,} images{way}: {epochs} epoch{'s' if epochs > 1 else ''}{batch}, learning rate {learning_rate}{plain}"


def refuse_if_it_learned_nothing(accuracy: float, learning_rate: float, usual_rate: float) -> None:
    """Say so and raise `MyonnError` (nothing is saved) when a network reads no better than guessing."""
    from myonn.plumbing.cli import say

    if no_better_than_guessing(accuracy):
        say(f"test accuracy: {accuracy:.2%}, no better than guessing (one digit in ten): it learned nothing")
        cause = "more images (--limit) or more --epochs"
        if learning_rate > usual_rate:
            cause = f"a smaller --learning-rate than {learning_rate}"
        raise MyonnError(f"nothing saved; try {cause}")
