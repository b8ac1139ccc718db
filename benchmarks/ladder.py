#!/usr/bin/env python3
"""The improvement ladder (myonn.ladder), rung by rung, on MNIST and on people's own drawings.

Trains each rung as `./mnist_train.py --ladder` does and prints its line, then how it
reads the real pen-drawn digits of ../shared/drawn_dev (never trained on), drawn
through the drawing window's `to_mnist`. Time it on an idle machine.

    python benchmarks/ladder.py
    python benchmarks/ladder.py --limit 10000       # a quicker look

The figures go in docs/benchmarks.md ("The improvement ladder") and docs/how-it-works.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from myonn import mnist  # noqa: E402
from myonn.ladder import climb  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cores import CoreShare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="train on the first N training images only")
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR)
    args = parser.parse_args()
    images, labels = mnist.load("train", args.data_dir)
    test = mnist.load("test", args.data_dir)
    if args.limit:
        images, labels = images[: args.limit], labels[: args.limit]
    drawings = load(DRAWN_DEV)
    drawn = drawings.prepared() if drawings is not None else None
    print(f"{platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d')}; {len(images):,} images")
    print(f"{'':49} {'MNIST':>7} {'seconds':>8} {'images/s':>9} {'drawn_dev':>9}")
    start = time.perf_counter()

    def report(result) -> None:
        on_drawings = "" if drawn is None else f"{result.network.accuracy(drawn, drawings.labels):9.2%}"
        change = f"rung {result.rung.number}: {result.rung.change}"
        print(
            f"{change:49} {result.accuracy:7.2%} {result.seconds:8.1f} {result.images_per_second:9,.0f} {on_drawings}",
            flush=True,
        )

    climb(images, labels, test, on_rung=report, cores=CoreShare())
    print(f"the whole ladder: {time.perf_counter() - start:.0f} s" + ("" if drawn is not None else "; no drawn_dev"))


if __name__ == "__main__":
    main()
