#!/usr/bin/env python3
"""The yardstick for ./mnist_train.py --plain: the same training, written with PyTorch.

The identical network (784 inputs, 200 sigmoid hidden nodes, 10 outputs, softmax with
cross-entropy), the same optimiser (SGD with momentum 0.9, the learning rate falling
along a cosine batch by batch), shuffled batches of the same MNIST images (read with
myonn's loader, scaled to 0..1), the loss and right answers of every batch added up,
and the test accuracy after each epoch, printed as a line per epoch.

    python benchmarks/torch_train.py [--epochs 6] [--batch-size 128]

`benchmarks/epoch_speed.py` and `benchmarks/busy_machine.py` time it as a whole
process beside myonn's trainer. PyTorch is a yardstick, never a dependency of myonn.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from myonn import mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=0.3)
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR)
    args = parser.parse_args()

    started = time.perf_counter()
    torch.manual_seed(0)
    images, labels = mnist.load("train", args.data_dir)
    test_images, test_labels = mnist.load("test", args.data_dir)
    inputs = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255)
    targets = torch.from_numpy(labels.astype(np.int64))
    test_inputs = torch.from_numpy(test_images.reshape(len(test_images), -1).astype(np.float32) / 255)
    test_targets = torch.from_numpy(test_labels.astype(np.int64))

    model = torch.nn.Sequential(torch.nn.Linear(784, 200), torch.nn.Sigmoid(), torch.nn.Linear(200, 10))
    optimiser = torch.optim.SGD(model.parameters(), lr=args.learning_rate, momentum=0.9)
    loss_function = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, as in myonn
    batches = math.ceil(len(inputs) / args.batch_size)
    total_steps = args.epochs * batches
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.perf_counter()
        order = torch.randperm(len(inputs))
        loss_sum, correct = 0.0, 0
        for b in range(batches):
            step = (epoch - 1) * batches + b
            for group in optimiser.param_groups:
                group["lr"] = args.learning_rate * 0.5 * (1 + math.cos(math.pi * step / total_steps))
            batch = order[b * args.batch_size : (b + 1) * args.batch_size]
            optimiser.zero_grad(set_to_none=True)
            outputs = model(inputs[batch])
            loss = loss_function(outputs, targets[batch])
            loss.backward()
            optimiser.step()
            loss_sum += loss.item() * len(batch)
            correct += int((outputs.argmax(dim=1) == targets[batch]).sum())
        with torch.no_grad():
            test_accuracy = (model(test_inputs).argmax(dim=1) == test_targets).float().mean().item()
        print(
            f"epoch {epoch:>2}/{args.epochs}: loss {loss_sum / len(inputs):.4f}  train {correct / len(inputs):.2%}  "
            f"test {test_accuracy:.2%}  {time.perf_counter() - epoch_start:.1f} s",
            flush=True,
        )
    print(
        f"trained in {time.perf_counter() - started:.1f} s (PyTorch {torch.__version__}, {torch.get_num_threads()} threads)"
    )


if __name__ == "__main__":
    main()
