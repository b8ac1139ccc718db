#!/usr/bin/env python3
"""How accurate and how fast ./mnist_train.py is, as a learner runs it.

Runs the real script, once with its defaults and once with --plain (each into a
temporary file, so no network of the project's is touched), and reads the test
accuracy and training seconds it saved in the model's metadata, with the whole
command's wall-clock seconds and the most memory it held at once; and reads the real
drawings of ../shared/drawn_dev with each network. Also times loading the 60,000
training images.

    python benchmarks/training.py [--data-dir DIR] [--skip-plain]

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from myonn import NeuralNetwork, mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402

ROOT = paths.PROJECT


def train(options: list[str], data_dir: str) -> dict:
    """Run ./mnist_train.py with `options`; return its saved metadata, wall-clock seconds and
    the most memory it held (MB; None where the system does not say)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "model.npz"
        command = [
            sys.executable,
            str(ROOT / "mnist_train.py"),
            "--quiet",
            "--data-dir",
            data_dir,
            "--output",
            str(output),
            *options,
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        if hasattr(os, "wait4"):  # the child's own resource use, not the largest of all children so far
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            megabytes = usage.ru_maxrss / (
                1024 if sys.platform.startswith("linux") else 1024 * 1024
            )  # KB on Linux, bytes on macOS
        else:
            process.wait()
            megabytes = None
        wall = time.perf_counter() - start
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
        network = NeuralNetwork.load(output)
    return {**network.metadata, "wall_seconds": wall, "megabytes": megabytes, "network": network}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(paths.DATA_DIR))
    parser.add_argument("--skip-plain", action="store_true", help="only the defaults")
    args = parser.parse_args()

    mnist.load("train", args.data_dir)  # first read: from disk into the page cache
    start = time.perf_counter()
    mnist.load("train", args.data_dir)
    print(f"loading the 60,000 training images: {time.perf_counter() - start:.2f} s")
    print(f"cores: {os.cpu_count()}")

    drawings = load(DRAWN_DEV)
    prepared = drawings.prepared() if drawings is not None else None
    runs = [("defaults", [])] + ([] if args.skip_plain else [("--plain", ["--plain"])])
    for name, options in runs:
        result = train(options, args.data_dir)
        real = (
            "" if prepared is None else f", real drawings {result['network'].accuracy(prepared, drawings.labels):.2%}"
        )
        print(
            f"{name}: test accuracy {result['test_accuracy']:.2%}{real} after {result['epochs']} epochs, "
            f"training {result['training_seconds']:.1f} s (whole command {result['wall_seconds']:.1f} s"
            + (f", at most {result['megabytes']:.0f} MB of memory)" if result["megabytes"] is not None else ")")
        )


if __name__ == "__main__":
    main()
