#!/usr/bin/env python3
"""Train the network on MNIST from the terminal, report its accuracy, save its weights.

    ./mnist_train.py                  # defaults: fetch MNIST if needed, train, save data/mnist_nn.npz
    ./mnist_train.py --augment        # slower, more accurate, and better on drawn digits
    ./mnist_train.py --help

The ideas live in the myonn package (myonn/network.py, myonn/training.py); this
script is only the command line around them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from myonn import NeuralNetwork, mnist
from myonn.cli import ArgumentParser, non_negative_int, positive_float, positive_int, run
from myonn.training import EpochReport, confusion_matrix, fit

PROGRAM = "mnist_train.py"

# The defaults, in one place (as myonn.rb keeps `learning_rate: 0.3`).
DEFAULTS = dict(epochs=20, augmented_epochs=30, batch_size=64, learning_rate=0.3, hidden=200, seed=0)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; a bad value exits with a one-line error and status 2."""
    parser = ArgumentParser(
        prog=PROGRAM,
        description="Train the 784-200-10 sigmoid network on MNIST, print its test accuracy, save it.",
    )
    parser.add_argument("--epochs", type=positive_int, default=None,
                        help=f"passes over the training images (default: {DEFAULTS['epochs']}, "
                             f"or {DEFAULTS['augmented_epochs']} with --augment, which gives more to learn)")
    parser.add_argument("--batch-size", type=positive_int, default=DEFAULTS["batch_size"],
                        help="images per training step (default: %(default)s)")
    parser.add_argument("--learning-rate", type=positive_float, default=DEFAULTS["learning_rate"],
                        help="starting step size; it falls along a cosine to 0 by the last epoch (default: %(default)s)")
    parser.add_argument("--hidden", type=positive_int, default=DEFAULTS["hidden"],
                        help="nodes in the hidden layer (default: %(default)s)")
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULTS["seed"],
                        help="random seed: the same seed gives the same model (default: %(default)s)")
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N",
                        help="train on the first N training images only (default: all 60,000)")
    parser.add_argument("--data-dir", type=Path, default=Path("data"), help="where the MNIST files are; missing ones are downloaded there (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=Path("data/mnist_nn.npz"), help="where to save the trained network (default: %(default)s)")
    parser.add_argument("--augment", action="store_true",
                        help="train each epoch on freshly rotated, scaled and shifted copies of the images")
    parser.add_argument("--quiet", action="store_true", help="print only the final accuracy line")
    args = parser.parse_args(argv)
    if args.epochs is None:
        args.epochs = DEFAULTS["augmented_epochs" if args.augment else "epochs"]
    if args.output.is_dir():
        parser.error(f"argument --output: {args.output} is a folder; give a file name such as {args.output / 'mnist_nn.npz'}")
    # Found now, not after training: a network that cannot be saved is lost.
    folder = next((p for p in args.output.absolute().parents if p.exists()), Path("/"))
    if not folder.is_dir():
        parser.error(f"argument --output: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK):
        parser.error(f"argument --output: cannot write into {folder}")
    args.parser = parser
    return args


class EpochProgress:
    """A progress bar inside each epoch (images per second, time left), then one line for the epoch."""

    def __init__(self, images: int, epochs: int):
        self.images, self.epochs, self.bar = images, epochs, None

    def batch_done(self, count: int) -> None:
        """Advance the bar; it starts at the first batch, so preparing the data does not skew its rate."""
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=self.images, unit="img", unit_scale=True, leave=False, dynamic_ncols=True, file=sys.stderr)
        self.bar.update(count)

    def epoch_done(self, report: EpochReport) -> None:
        """Replace the finished bar with the epoch's line: loss, accuracies, seconds."""
        self.close()
        test = f"{report.test_accuracy:.2%}" if report.test_accuracy is not None else "-"
        print(f"epoch {report.epoch:>2}/{self.epochs}: loss {report.loss:.4f}  train {report.train_accuracy:.2%}  "
              f"test {test}  {report.seconds:.1f} s", flush=True)

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def print_report(network: NeuralNetwork, test_images: np.ndarray, test_labels: np.ndarray) -> None:
    """Print the accuracy for each digit and the confusion matrix."""
    matrix = confusion_matrix(test_labels, network.predict(test_images))
    per_digit = matrix.diagonal() / matrix.sum(axis=1)
    print("accuracy per digit: " + "  ".join(f"{d}: {a:.2%}" for d, a in enumerate(per_digit)))
    print("confusion matrix (rows: the true digit, columns: the digit read):")
    print("       " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(matrix):
        print(f"  {digit:>3}  " + "".join(f"{count:>6}" for count in row))


def main(argv: list[str] | None = None) -> int:
    """Train as the command line says; return the exit status."""
    args = parse_args(argv)
    images, labels = mnist.load("train", args.data_dir)
    test_images, test_labels = mnist.load("test", args.data_dir)
    if args.limit is not None:
        if args.limit > len(images):
            args.parser.error(f"argument --limit: {args.limit} is more than the {len(images)} training images")
        images, labels = images[: args.limit], labels[: args.limit]

    network = NeuralNetwork(784, args.hidden, 10, seed=args.seed)
    if not args.quiet:
        print(f"training {network.inodes}-{network.hnodes}-{network.onodes} on {len(images)} images: "
              f"{args.epochs} epoch{'s' if args.epochs > 1 else ''}, batch {args.batch_size}, learning rate {args.learning_rate}"
              + (", augmented" if args.augment else ""), flush=True)
    progress = None if args.quiet else EpochProgress(len(images), args.epochs)
    try:
        fit(network, images, labels, args.epochs, args.batch_size, args.learning_rate,
            augment=args.augment, seed=args.seed, test=(test_images, test_labels),
            on_batch=progress.batch_done if progress else None,
            on_epoch=progress.epoch_done if progress else None)
    except KeyboardInterrupt:
        print(f"\n{PROGRAM}: interrupted; nothing saved ({args.output} is as it was)", file=sys.stderr)
        return 130
    finally:
        if progress:
            progress.close()

    accuracy = network.metadata["test_accuracy"]
    if not args.quiet:
        print_report(network, test_images, test_labels)
    network.save(args.output)
    if not args.quiet:
        print(f"trained in {network.metadata['training_seconds']:.1f} s; saved {args.output}")
    print(f"test accuracy: {accuracy:.2%}")
    return 0


if __name__ == "__main__":
    run(main, PROGRAM)
