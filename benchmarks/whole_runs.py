"""Timing whole commands as a learner runs them: ./mnist_train.py and its PyTorch yardstick.

Shared by `epoch_speed.py` and `busy_machine.py`. Every run saves into a temporary
folder, never over a network of the project's, and starts with no BLAS thread
setting in its environment, so that each command chooses its threads as it would
for a learner.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from myonn.plumbing.installed import BLAS_THREADS  # noqa: E402

SAVED = Path(tempfile.mkdtemp(prefix="myonn-timed-")) / "timed.npz"


def trainer(*options: str) -> list[str]:
    """The command `./mnist_train.py *options`, saving into a temporary file."""
    return [sys.executable, str(ROOT / "mnist_train.py"), *options, "--output", str(SAVED), "--force"]


def torch_trainer(*options: str) -> list[str] | None:
    """The command `benchmarks/torch_train.py *options`, or None when PyTorch is not installed."""
    if importlib.util.find_spec("torch") is None:
        return None
    return [sys.executable, str(ROOT / "benchmarks" / "torch_train.py"), *options]


def untouched_environment() -> dict:
    """This environment without any BLAS thread setting."""
    return {name: value for name, value in os.environ.items() if name not in BLAS_THREADS}


def wall_seconds(command: list[str]) -> float:
    """The wall time of running `command` to the end, its output thrown away."""
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=untouched_environment(), cwd=ROOT
    )
    return time.perf_counter() - start
