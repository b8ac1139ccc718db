#!/usr/bin/env python3
"""How often the windows say "not sure" and "draw it larger", for a network and real drawings.

"Not sure" (myonn.answer.clear_answer: no digit above SURE) should be rare
among the network's right answers and common among its wrong ones; "draw it
larger" (myonn.preprocess.too_small) should catch no real digit. Measured on the
MNIST test set and, when it is there, on the pen-drawn digits of
../shared/drawn_dev (2,314 canvases, never trained on).

    python benchmarks/not_sure.py                       # the shipped network
    python benchmarks/not_sure.py --model data/my_nn.npz

The figures go in the README's "Not sure." paragraph. Accuracy figures do not
depend on the machine's load.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from myonn import mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.answer import SURE, clear_answer  # noqa: E402
from myonn.model_file import load_mnist_network  # noqa: E402
from myonn.preprocess import FEWEST_PEN_WIDTHS, size_in_pen_widths  # noqa: E402


def unsure_shares(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Of the right answers, of the wrong ones: the share called "not sure"; and the accuracy of the rest."""
    unsure = np.array([clear_answer(row) is None for row in probabilities])
    right = probabilities.argmax(axis=1) == labels
    return float(unsure[right].mean()), float(unsure[~right].mean()), float(right[~unsure].mean())


def network_named(description: str):
    """The --model and --data-dir of a benchmark of what the windows say, and the network --model names."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", type=Path, default=paths.SHIPPED_MODEL)
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR)
    args = parser.parse_args()
    return args, load_mnist_network(args.model)


def main() -> None:
    args, network = network_named(__doc__.splitlines()[0])
    print(
        f"network {paths.shown(args.model)}; not sure at {SURE:.0%} or less; too small under {FEWEST_PEN_WIDTHS} pen widths"
    )

    images, labels = mnist.load("test", args.data_dir)
    right, wrong, rest = unsure_shares(network.predict_proba(images), labels)
    print(
        f"MNIST test: not sure of {right:.1%} of its right answers, {wrong:.1%} of its wrong ones; "
        f"{rest:.2%} right when sure"
    )

    drawings = load(DRAWN_DEV)
    if drawings is None:
        print(f"(no {DRAWN_DEV}: drawn digits skipped)")
        return
    canvases, drawn_labels = drawings.canvases, drawings.labels
    probabilities = network.predict_proba(drawings.prepared())
    right, wrong, rest = unsure_shares(probabilities, drawn_labels)
    print(
        f"drawn digits: not sure of {right:.1%} of its right answers, {wrong:.1%} of its wrong ones; "
        f"{rest:.2%} right when sure"
    )
    sizes = np.array([size_in_pen_widths(canvas) for canvas in canvases])
    print(
        f"drawn digits: the smallest is {sizes.min():.1f} pen widths across; "
        f"{int((sizes < FEWEST_PEN_WIDTHS).sum())} of {len(sizes)} would be asked to be drawn larger"
    )


if __name__ == "__main__":
    main()
