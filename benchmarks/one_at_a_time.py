#!/usr/bin/env python3
"""The book's way against the mini-batch loop: accuracy after one epoch on all 60,000 images, and speed.

Runs the real script twice, as a learner would, each into a temporary file (your
networks are left alone):

* `./mnist_train.py --one-at-a-time`: one epoch, one image at a time (the book's
  `train`, `myonn.one_at_a_time`); it prints its images per second and those of the
  mini-batch loop on the same images, measured in the same run;
* `./mnist_train.py --epochs 1`: one epoch of the usual mini-batch training.

    python benchmarks/one_at_a_time.py [--data-dir data]

Accuracies do not depend on the machine's load; speeds do: run it on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from myonn import NeuralNetwork
from myonn.plumbing import paths

ROOT = Path(__file__).resolve().parent.parent


def train(options: list[str], data_dir: str) -> tuple[dict, str]:
    """Run ./mnist_train.py with `options`; return the saved network's metadata and what it printed."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "model.npz"
        result = subprocess.run(
            [sys.executable, str(ROOT / "mnist_train.py"), "--data-dir", data_dir, "--output", str(output), *options],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        return NeuralNetwork.load(output).metadata, result.stdout


def number(pattern: str, text: str) -> float:
    """The number matched by the group of `pattern` in `text` (commas allowed)."""
    found = re.search(pattern, text, re.M)
    if not found:
        sys.exit(f"one_at_a_time.py: ./mnist_train.py did not print a line matching {pattern!r}")
    return float(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(paths.DATA_DIR))
    args = parser.parse_args()

    book, printed = train(["--one-at-a-time"], args.data_dir)
    book_speed = number(r"^one image at a time: ([\d,]+) images/s", printed)
    batch_speed = number(r"^mini-batches of \d+, same images: ([\d,]+) images/s", printed)
    batches, _ = train(["--epochs", "1", "--quiet"], args.data_dir)

    print(f"cores: {os.cpu_count()}; one epoch on {book['trained_on']:,} training images, 784-200-10, seed 0")
    print(
        f"one image at a time (learning rate {book['learning_rate']}): test accuracy {book['test_accuracy']:.2%}, "
        f"{book_speed:,.0f} images/s ({book['loop_seconds']:.1f} s)"
    )
    print(
        f"mini-batches of {batches['batch_size']} (learning rate {batches['learning_rate']}): test accuracy "
        f"{batches['test_accuracy']:.2%}, {batch_speed:,.0f} images/s on the same images"
    )
    print(
        f"  (./mnist_train.py --epochs 1 takes {batches['training_seconds']:.1f} s in all, preparing the images included)"
    )
    print(f"the mini-batch loop is {batch_speed / book_speed:.1f} times faster")


if __name__ == "__main__":
    main()
