#!/usr/bin/env python3
"""How long one epoch takes at batch 128: the matrix products alone, myonn, and PyTorch.

Four ways, each printed with its ratios, in one run:

1. The floor: the epoch's five matrix products alone (per batch: the hidden layer's and
   the output layer's sums, the errors sent back, and the two weight gradients), on
   every core, into arrays made beforehand. No trainer can do the epoch faster.
2. The kernel: `NeuralNetwork.train` alone over contiguous batches, against the same
   network in PyTorch, in this process.
3. The epoch inside one process: `myonn.training.fit` as `./mnist_train.py --plain` runs it
   (shuffled batches, the test pass, its own choice of threads), on random pixels, the best
   of its epochs after the first. Steadier than 4 on a machine whose speed wanders.
4. The whole epoch, as a learner waits for it: the wall time of
   `./mnist_train.py --plain --epochs 6 --batch-size 128` minus that of `--epochs 2`,
   over 4, best of 5; likewise `benchmarks/torch_train.py`, which does the same work
   with PyTorch (shuffled batches, the same network and optimiser, the test accuracy
   after each epoch); and the default recipe, whose varied images cost the difference.

    python benchmarks/epoch_speed.py [--repeats 5] [--batch-size 128] [--no-whole]

Run it on an idle machine: on 2 cores any other busy process slows every side. A shared
virtual machine's speed also wanders by tens of percent from minute to minute, so the floor is
timed again between the whole runs and the best of all its timings kept: the ratios then
compare runs that had the same chances.
PyTorch is only a yardstick, never a dependency of myonn: without it, its lines are left out.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # whole_runs, beside it

from myonn import NeuralNetwork  # noqa: E402
from myonn.plumbing.cores import CoreShare  # noqa: E402
from myonn.training import fit, one_hot  # noqa: E402
from whole_runs import torch_trainer, trainer, wall_seconds  # noqa: E402

IMAGES = 60000


def floor_epoch(inputs: np.ndarray, network: NeuralNetwork, batch_size: int) -> float:
    """Seconds for the five matrix products of one epoch, nothing else."""
    hidden, outputs = network.hnodes, network.onodes
    hidden_outputs = np.empty((batch_size, hidden), np.float32)
    final_inputs = np.empty((batch_size, outputs), np.float32)
    output_errors = np.full((batch_size, outputs), 0.01, np.float32)
    hidden_errors = np.full((batch_size, hidden), 0.01, np.float32)
    back = np.empty((batch_size, hidden), np.float32)
    who_step, wih_step = np.empty_like(network.who), np.empty_like(network.wih)
    start = time.perf_counter()
    for b in range(0, len(inputs), batch_size):
        x = inputs[b : b + batch_size]
        n = len(x)
        np.matmul(x, network.wih.T, out=hidden_outputs[:n])
        np.matmul(hidden_outputs[:n], network.who.T, out=final_inputs[:n])
        np.matmul(output_errors[:n], network.who, out=back[:n])
        np.matmul(output_errors[:n].T, hidden_outputs[:n], out=who_step)
        np.matmul(hidden_errors[:n].T, x, out=wih_step)
    return time.perf_counter() - start


def kernel_epoch(network: NeuralNetwork, inputs: np.ndarray, targets: np.ndarray, batch_size: int) -> float:
    """Seconds for one epoch of `NeuralNetwork.train` over contiguous batches."""
    start = time.perf_counter()
    for b in range(0, len(inputs), batch_size):
        network.train(inputs[b : b + batch_size], targets[b : b + batch_size], 0.1, 0.9)
    return time.perf_counter() - start


def torch_setup(inputs: np.ndarray, labels: np.ndarray):
    """The same network in PyTorch, or None when PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 200), torch.nn.Sigmoid(), torch.nn.Linear(200, 10))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, as in myonn
    return torch, model, optimiser, loss_fn, torch.from_numpy(inputs), torch.from_numpy(labels.astype(np.int64))


def torch_kernel_epoch(setup, batch_size: int) -> float:
    """Seconds for one epoch of the PyTorch network over the same contiguous batches."""
    torch, model, optimiser, loss_fn, inputs, labels = setup
    start = time.perf_counter()
    for b in range(0, len(inputs), batch_size):
        optimiser.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs[b : b + batch_size]), labels[b : b + batch_size])
        loss.backward()
        optimiser.step()
    return time.perf_counter() - start


# Epochs of the two runs whose difference is timed. Short runs are more often spared a slow
# spell of a shared machine, and the best of each is kept.
SHORT, LONG = 2, 6


def fit_epoch(pixels: np.ndarray, labels: np.ndarray, test: tuple[np.ndarray, np.ndarray], batch_size: int) -> float:
    """Seconds of the best of three epochs after the first of `fit`, as the plain recipe runs it."""
    seconds = []
    fit(
        NeuralNetwork(784, 200, 10, seed=0),
        pixels,
        labels,
        epochs=4,
        batch_size=batch_size,
        learning_rate=0.1,
        distort=0,
        styles=0,
        vary_strokes=False,
        test=test,
        cores=CoreShare(),
        on_epoch=lambda report: seconds.append(report.seconds),
    )
    return min(seconds[1:])


def whole_epochs(commands: dict[str, list[str]], repeats: int, between: Callable[[], None]) -> dict[str, float]:
    """Seconds per epoch of each command (it takes --epochs N), timed whole: (best time with
    6 epochs - best time with 2) / 4, the commands taking turns, `between()` before each turn."""
    times = {(name, epochs): [] for name in commands for epochs in (SHORT, LONG)}
    for _ in range(repeats):
        for name, command in commands.items():
            for epochs in (SHORT, LONG):
                between()
                times[name, epochs].append(wall_seconds([*command, "--epochs", str(epochs)]))
    return {name: (min(times[name, LONG]) - min(times[name, SHORT])) / (LONG - SHORT) for name in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each timing (the best is kept)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--no-whole", action="store_true", help="leave out the whole commands (minutes)")
    args = parser.parse_args()
    cores = os.cpu_count()
    print(f"cores: {cores}, batch size {args.batch_size}, best of {args.repeats}; NumPy {np.__version__}")

    rng = np.random.default_rng(0)
    # Timing does not depend on the pixel values: random inputs avoid needing MNIST here.
    inputs = rng.random((IMAGES, 784), dtype=np.float32)
    labels = rng.integers(0, 10, IMAGES)
    targets = one_hot(labels)
    network = NeuralNetwork(784, 200, 10, seed=0)
    setup = torch_setup(inputs, labels)

    floor_epoch(inputs, network, args.batch_size)  # warm up caches and threads
    floors = [floor_epoch(inputs, network, args.batch_size) for _ in range(args.repeats)]
    floor = min(floors)
    batches = math.ceil(IMAGES / args.batch_size)
    flops = 2 * IMAGES * (2 * 784 * 200 + 3 * 200 * 10)
    print(
        f"\nthe floor, the five matrix products alone: {floor:.3f} s per epoch "
        f"({batches} batches, {flops / floor / 1e9:.0f} GFLOP/s)"
    )

    ours, theirs = [], []
    kernel_epoch(network, inputs, targets, args.batch_size)
    if setup:
        torch_kernel_epoch(setup, args.batch_size)
    for _ in range(args.repeats):
        ours.append(kernel_epoch(network, inputs, targets, args.batch_size))
        if setup:
            theirs.append(torch_kernel_epoch(setup, args.batch_size))
        floors.append(floor_epoch(inputs, network, args.batch_size))
    floor = min(floors)
    print(
        f"\nthe kernel, NeuralNetwork.train alone over contiguous batches (floor timed between: {floor:.3f} s at best):"
    )
    print(f"  myonn:   {min(ours):.3f} s per epoch, {min(ours) / floor:.2f}x the floor")
    if setup:
        print(f"  PyTorch {setup[0].__version__}: {min(theirs):.3f} s per epoch")
        print(f"  myonn takes {min(ours) / min(theirs):.2f}x PyTorch's time")

    pixels = rng.integers(0, 256, (IMAGES, 784), dtype=np.uint8)
    test = rng.integers(0, 256, (10000, 784), dtype=np.uint8), rng.integers(0, 10, 10000)
    fitted = []
    for _ in range(args.repeats):
        fitted.append(fit_epoch(pixels, labels, test, args.batch_size))
        floors.append(floor_epoch(inputs, network, args.batch_size))
    floor = min(floors)
    print(
        f"\nthe epoch inside one process, fit as --plain runs it (best of {args.repeats} x 3 epochs; "
        f"floor timed between: {floor:.3f} s at best):"
    )
    print(f"  myonn:   {min(fitted):.3f} s per epoch, {min(fitted) / floor:.2f}x the floor")

    if args.no_whole:
        return
    size = ("--batch-size", str(args.batch_size))
    commands = {"plain": trainer(*size, "--plain"), "default": trainer(*size)}
    if setup and torch_trainer():
        commands["torch"] = torch_trainer(*size)
    print(
        f"\nthe whole epoch, as a learner waits for it (({LONG} epochs - {SHORT} epochs) / {LONG - SHORT}, "
        f"best of {args.repeats}):",
        flush=True,
    )
    epoch = whole_epochs(
        commands, args.repeats, between=lambda: floors.append(floor_epoch(inputs, network, args.batch_size))
    )
    floor = min(floors)
    print(f"  the floor again, timed between the runs: {floor:.3f} s per epoch (best of all {len(floors)} timings)")
    print(f"  ./mnist_train.py --plain: {epoch['plain']:.3f} s per epoch, {epoch['plain'] / floor:.2f}x the floor")
    if setup:
        print(f"  PyTorch, the same work:   {epoch['torch']:.3f} s per epoch, {epoch['torch'] / floor:.2f}x the floor")
        print(f"  myonn takes {epoch['plain'] / epoch['torch']:.2f}x PyTorch's time per epoch")
    print(
        f"  ./mnist_train.py (varied images): {epoch['default']:.3f} s per epoch at batch {args.batch_size}; "
        f"the varied images cost {epoch['default'] - epoch['plain']:+.3f} s per epoch"
    )
    if not setup:
        print("PyTorch is not installed: no comparison (pip install torch to see one)")


if __name__ == "__main__":
    main()
