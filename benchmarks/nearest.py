#!/usr/bin/env python3
"""N in both windows: how long remembering the training images takes, what it holds, and each lookup.

Remembers the hidden outputs of MNIST's 60,000 training images for the shipped network
(`myonn.nearest.Reminders`), then finds the 8 nearest to each of 1,000 test images, and
checks every answer against a brute-force search in float64. Run it on an idle machine.

    python benchmarks/nearest.py [--model PATH]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from not_sure import network_named  # noqa: E402
from myonn import mnist  # noqa: E402
from myonn.nearest import SHOWN, Reminders  # noqa: E402

ASKED = 1000


def main() -> None:
    args, network = network_named(__doc__.splitlines()[0])
    images, labels = mnist.load("train", args.data_dir)
    test_images, test_labels = mnist.load("test", args.data_dir)
    start = time.perf_counter()
    reminders = Reminders(network, images, labels)
    remembered = time.perf_counter() - start
    hidden = network.forward(network.prepare_inputs(test_images[:ASKED]))[0].copy()
    times, found = [], []
    for row in hidden:
        start = time.perf_counter()
        found.append(reminders.nearest(row))
        times.append((time.perf_counter() - start) * 1000)
    exact = reminders.hidden.astype(np.float64)
    same = 0
    for row, indices in zip(hidden.astype(np.float64), found):
        distances = ((exact - row) ** 2).sum(axis=1)
        same += list(np.lexsort((np.arange(len(distances)), distances))[:SHOWN]) == list(indices)
    agree = np.mean([(labels[indices] == label).mean() for indices, label in zip(found, test_labels[:ASKED])])
    print(f"remembering {len(images):,} training images: {remembered:.2f} s, {reminders.nbytes / 1e6:.0f} MB")
    print(f"a lookup of the {SHOWN} nearest: median {np.median(times):.1f} ms, 95% {np.percentile(times, 95):.1f} ms")
    print(f"the same {SHOWN}, in the same order, as a brute-force search in float64: {same} of {ASKED}")
    print(f"of the {SHOWN} nearest, labelled as the test image: {agree:.1%}")


if __name__ == "__main__":
    main()
