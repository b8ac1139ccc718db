#!/usr/bin/env python3
"""What teaching a network your handwriting does: real writers' digits before and after.

For each writer in ../shared/drawn_dev (digits written on pen tablets by real people,
`drawn_dev_index.csv` names the writer of each) who wrote every digit at least
--per-digit times and at least --min-others more: a fresh copy of the network is
taught the writer's first --per-digit digits of each kind, one lesson at a time,
with the very code `./mnist_draw.py` uses (`myonn.teaching.Teacher`, each canvas
through `myonn.preprocess.to_mnist`). Then the writer's other digits, never taught,
are read again, and the MNIST test set.

    python benchmarks/teaching.py
    python benchmarks/teaching.py --per-digit 2 --model data/my_nn.npz

The last line is the figure: `the writers' other digits: 93.5% before, 96.0% after
teaching (15 writers)`. drawn_dev is a measure, never training data for the shipped
network: here only throwaway copies are taught.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from myonn import NeuralNetwork, mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, positive_int, run  # noqa: E402
from myonn.plumbing.errors import MyonnError  # noqa: E402
from myonn.preprocess import to_mnist  # noqa: E402
from myonn.teaching import Teacher, TaughtDigits  # noqa: E402

PROGRAM = "teaching.py"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = ArgumentParser(prog=PROGRAM, description=__doc__.split("\n")[0])
    parser.add_argument(
        "--model",
        type=Path,
        default=paths.SHIPPED_MODEL,
        help="the network to teach copies of (default: the shipped one)",
    )
    parser.add_argument("--drawn-dev", type=Path, default=DRAWN_DEV, help="the drawn_dev folder (default: %(default)s)")
    parser.add_argument(
        "--data-dir", type=Path, default=paths.DATA_DIR, help="where the MNIST files are (default: %(default)s)"
    )
    parser.add_argument(
        "--per-digit", type=positive_int, default=1, help="digits of each kind taught per writer (default: %(default)s)"
    )
    parser.add_argument(
        "--min-others",
        type=positive_int,
        default=10,
        help="digits a writer must have left to measure (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="one line per writer")
    parser.add_argument(
        "--train-extra",
        action="store_true",
        help="also train a network from scratch with ./mnist_train.py --extra on every writer's taught "
        "digits, and read their other digits with it (about as long as ./mnist_train.py)",
    )
    return parser.parse_args(argv)


def writers(index: Path, per_digit: int, min_others: int) -> dict[str, tuple[list[int], list[int]]]:
    """Writer -> (rows to teach: the first `per_digit` of each digit, in the order written; the rows to measure)."""
    rows = defaultdict(list)
    with open(index, newline="") as file:
        for row in csv.DictReader(file):
            rows[row["writer"]].append((int(row["index"]), int(row["label"])))
    chosen = {}
    for writer, written in rows.items():
        seen: dict[int, int] = defaultdict(int)
        taught, others = [], []
        for index, label in written:
            (taught if seen[label] < per_digit else others).append(index)
            seen[label] += 1
        if len(seen) == 10 and min(seen.values()) >= per_digit and len(others) >= min_others:
            chosen[writer] = (taught, others)
    return chosen


def train_with_extra(args: argparse.Namespace, chosen: dict, images: dict, labels: np.ndarray) -> float:
    """Train ./mnist_train.py --extra on every chosen writer's taught digits; its accuracy on their other digits."""
    with tempfile.TemporaryDirectory() as scratch:
        folder, output = Path(scratch) / "extra", Path(scratch) / "extra.npz"
        digits = TaughtDigits(folder)
        for taught, _ in chosen.values():
            for i in taught:
                digits.append(images[i], int(labels[i]))
        subprocess.run(
            [
                sys.executable,
                str(paths.PROJECT / "mnist_train.py"),
                "--quiet",
                "--extra",
                str(folder),
                "--data-dir",
                str(args.data_dir),
                "--output",
                str(output),
            ],
            check=True,
        )
        network = NeuralNetwork.load(output)
    others = [i for _, rows in chosen.values() for i in rows]
    return network.accuracy(np.stack([images[i] for i in others]), labels[others])


def main(argv: list[str] | None = None) -> int:
    """Teach a copy of the network for each writer; print the figures."""
    args = parse_args(argv)
    drawings = load(args.drawn_dev)
    if drawings is None:
        raise MyonnError(f"{args.drawn_dev}: no drawn_dev.npz there (the real drawings this benchmark teaches from)")
    canvases, labels = drawings.canvases, drawings.labels
    chosen = writers(args.drawn_dev / "drawn_dev_index.csv", args.per_digit, args.min_others)
    if not chosen:
        raise MyonnError(f"no writer wrote every digit {args.per_digit} times with {args.min_others} more to measure")
    train = mnist.load("train", args.data_dir)
    test_images, test_labels = mnist.load("test", args.data_dir)
    shipped = NeuralNetwork.load(args.model)
    mnist_before = shipped.accuracy(test_images, test_labels)
    images = {i: to_mnist(canvases[i]) for rows in chosen.values() for i in (*rows[0], *rows[1])}

    right_before = right_after = measured = taught_right_before = taught_right_after = taught_count = 0
    mnist_after, lesson_seconds = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for n, (writer, (taught, others)) in enumerate(sorted(chosen.items())):
            network = NeuralNetwork.load(args.model)  # a fresh copy for each writer
            teacher = Teacher(
                network, args.model, folder=Path(scratch) / writer, save_to=None, seed=n, mnist_digits=train
            )
            taught_images = np.stack([images[i] for i in taught])
            other_images = np.stack([images[i] for i in others])
            before = network.predict(other_images) == labels[others]
            taught_right_before += int((network.predict(taught_images) == labels[taught]).sum())
            for i in taught:
                started = time.perf_counter()
                teacher.teach(images[i], int(labels[i]))
                lesson_seconds.append(time.perf_counter() - started)
            after = network.predict(other_images) == labels[others]
            taught_right_after += int((network.predict(taught_images) == labels[taught]).sum())
            taught_count += len(taught)
            mnist_after.append(network.accuracy(test_images, test_labels))
            right_before, right_after, measured = (
                right_before + before.sum(),
                right_after + after.sum(),
                measured + len(others),
            )
            if args.verbose:
                print(
                    f"{writer}: taught {len(taught)}, other digits {before.mean():.1%} -> {after.mean():.1%} "
                    f"({len(others)}), MNIST test {mnist_after[-1]:.2%}",
                    flush=True,
                )

    print(
        f"network: {paths.shown(args.model)}; {len(chosen)} writers, each taught {args.per_digit} digit(s) of each kind "
        f"({taught_count} lessons), measured on their {measured} other digits"
    )
    print(
        f"taught digits read right: {taught_right_before / taught_count:.1%} before, {taught_right_after / taught_count:.1%} after"
    )
    print(
        f"MNIST test accuracy: {mnist_before:.2%} before; after teaching {np.mean(mnist_after):.2%} on average "
        f"(lowest {np.min(mnist_after):.2%})"
    )
    print(
        f"one lesson (what the window does on a digit key, less saving): {np.median(lesson_seconds) * 1000:.0f} ms (median)"
    )
    if args.train_extra:
        extra_accuracy = train_with_extra(args, chosen, images, labels)
        print(
            f"the writers' other digits, by a network trained with --extra on all {taught_count} taught digits: "
            f"{extra_accuracy:.1%}"
        )
    print(
        f"the writers' other digits: {right_before / measured:.1%} before, {right_after / measured:.1%} after teaching "
        f"({len(chosen)} writers)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run(main, PROGRAM))
