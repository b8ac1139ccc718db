#!/usr/bin/env python3
"""How much slower training gets on a busy machine: each run beside its idle time, and PyTorch's.

A learner's laptop has other programs running. This starts one single-threaded busy
loop per core (`python3 -c 'while True: pass'`), runs each command several times,
stops the loops, and prints every busy run's time as a multiple of the same
command's best idle time, timed in the same run:

* `./mnist_train.py --epochs 3`, the default recipe (its varied images are made on a
  helper thread while the network learns);
* `./mnist_train.py --plain --epochs 3`, which gives the matrix products every free core;
* `benchmarks/torch_train.py --epochs 3 --batch-size 64`, the same network in PyTorch.

    python benchmarks/busy_machine.py [--runs 3]

Start it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # whole_runs, beside it

from whole_runs import torch_trainer, trainer, wall_seconds  # noqa: E402


def busy_loops(count: int) -> list[subprocess.Popen]:
    """`count` processes that each keep one core busy until stopped."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command, idle and busy")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    commands = {
        "./mnist_train.py --epochs 3": trainer("--epochs", "3"),
        "./mnist_train.py --plain --epochs 3": trainer("--plain", "--epochs", "3"),
    }
    if torch_trainer():
        commands["PyTorch, the same network, 3 epochs"] = torch_trainer("--epochs", "3", "--batch-size", "64")
    else:
        print("PyTorch is not installed: no comparison (pip install torch to see one)")

    idle = {name: min(wall_seconds(command) for _ in range(args.runs)) for name, command in commands.items()}
    loops = busy_loops(cores)
    try:
        busy = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                busy[name].append(wall_seconds(command))
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()

    print(f"cores: {cores}; busy: {cores} loops, one per core; each run's time over its best idle time")
    for name in commands:
        ratios = "  ".join(f"{seconds / idle[name]:.1f}x" for seconds in busy[name])
        print(
            f"  {name}: idle {idle[name]:.1f} s; busy {', '.join(f'{s:.1f}' for s in busy[name])} s: {ratios}; "
            f"worst {max(busy[name]) / idle[name]:.1f}x"
        )


if __name__ == "__main__":
    main()
