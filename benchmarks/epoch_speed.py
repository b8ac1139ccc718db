#!/usr/bin/env python3
"""How long one epoch of the 784-200-10 network takes at batch 128: myonn against PyTorch.

Both train the identical network (784 inputs, 200 sigmoid hidden nodes, 10 softmax
outputs, cross-entropy loss, SGD with momentum 0.9) on the same 60,000 float32
inputs in batches of 128, on the CPU, in the same run, alternating, best of several
epochs each. PyTorch is only a yardstick here, never a dependency of myonn: if it
is not installed, only myonn's time is printed.

    python benchmarks/epoch_speed.py [--epochs 5] [--batch-size 128]

Run it on an idle machine: on 2 cores any other busy process slows both sides.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from myonn import NeuralNetwork
from myonn.training import one_hot


def myonn_epoch(network: NeuralNetwork, inputs: np.ndarray, targets: np.ndarray, batch_size: int) -> float:
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
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 200), torch.nn.Sigmoid(), torch.nn.Linear(200, 10))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, as in myonn
    return torch, model, optimiser, loss_fn, torch.from_numpy(inputs), torch.from_numpy(labels.astype(np.int64))


def torch_epoch(setup, batch_size: int) -> float:
    """Seconds for one epoch of the PyTorch network over the same contiguous batches."""
    torch, model, optimiser, loss_fn, inputs, labels = setup
    start = time.perf_counter()
    for b in range(0, len(inputs), batch_size):
        optimiser.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs[b : b + batch_size]), labels[b : b + batch_size])
        loss.backward()
        optimiser.step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=5, help="epochs timed for each side (best is kept)")
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    # Timing does not depend on the pixel values: random inputs avoid needing MNIST here.
    inputs = rng.random((60000, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 60000)
    targets = one_hot(labels)
    network = NeuralNetwork(784, 200, 10, seed=0)
    setup = torch_setup(inputs, labels)

    ours, theirs = [], []
    myonn_epoch(network, inputs, targets, args.batch_size)  # warm up caches and threads
    if setup:
        torch_epoch(setup, args.batch_size)
    for _ in range(args.epochs):
        ours.append(myonn_epoch(network, inputs, targets, args.batch_size))
        if setup:
            theirs.append(torch_epoch(setup, args.batch_size))
    print(f"cores: {os.cpu_count()}, batch size {args.batch_size}, best of {args.epochs} epochs each")
    print(f"myonn (NumPy {np.__version__}): {min(ours):.3f} s per epoch (median {np.median(ours):.3f})")
    if setup:
        print(f"PyTorch {setup[0].__version__} (CPU):  {min(theirs):.3f} s per epoch (median {np.median(theirs):.3f})")
        print(f"myonn takes {min(ours) / min(theirs):.2f}x PyTorch's time per epoch")
    else:
        print("PyTorch is not installed: no comparison (pip install torch to see one)")


if __name__ == "__main__":
    main()
