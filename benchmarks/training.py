#!/usr/bin/env python3
"""How accurate and how fast ./mnist_train.py is, as a learner runs it.

Runs the real script, once with its defaults and once with --augment (each into a
temporary file, so data/mnist_nn.npz is left alone), and reads the test accuracy
and training seconds it saved in the model's metadata. Also times loading the
60,000 training images.

    python benchmarks/training.py [--data-dir data] [--skip-augment]

Run it on an idle machine: on 2 cores any other busy process slows training.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from myonn import NeuralNetwork, mnist

ROOT = Path(__file__).resolve().parent.parent


def train(options: list[str], data_dir: str) -> dict:
    """Run ./mnist_train.py with `options`; return its saved metadata and wall-clock seconds."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "model.npz"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "mnist_train.py"), "--quiet", "--data-dir", data_dir, "--output", str(output), *options],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        metadata = NeuralNetwork.load(output).metadata
    return {**metadata, "wall_seconds": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--skip-augment", action="store_true", help="only the defaults")
    args = parser.parse_args()

    mnist.load("train", args.data_dir)  # first read: from disk into the page cache
    start = time.perf_counter()
    mnist.load("train", args.data_dir)
    print(f"loading the 60,000 training images: {time.perf_counter() - start:.2f} s")
    print(f"cores: {os.cpu_count()}")

    runs = [("defaults", [])] + ([] if args.skip_augment else [("--augment", ["--augment"])])
    for name, options in runs:
        result = train(options, args.data_dir)
        print(
            f"{name}: test accuracy {result['test_accuracy']:.2%} after {result['epochs']} epochs, "
            f"training {result['training_seconds']:.1f} s (whole command {result['wall_seconds']:.1f} s)"
        )


if __name__ == "__main__":
    main()
