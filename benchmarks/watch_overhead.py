#!/usr/bin/env python3
"""How much longer training takes with the --watch window: the same run with and without it, as a ratio.

Trains the same network on the same images (the defaults of ./mnist_train.py, for
fewer epochs), alternately with and without a `myonn.windows.watch.TrainingWindow` following
it, and compares the seconds `fit` takes (best of the repeats). The floor we set
ourselves: at most 1.10, 10% longer.

    python benchmarks/watch_overhead.py [--epochs 3] [--repeats 2] [--data-dir data]

With no screen it draws on SDL's "dummy" driver, which costs all the drawing but not
showing the frame; on a desktop it opens the real window (close it and the run stops).
Run it on an idle machine: on 2 cores any other busy process skews both sides.
"""

from __future__ import annotations

import argparse
import os
import time

from myonn import NeuralNetwork, mnist
from myonn.plumbing import paths
from myonn.windows.curves import LearningCurves
from myonn.training import fit

# The defaults of ./mnist_train.py that matter for speed.
HIDDEN, BATCH_SIZE, LEARNING_RATE = 200, 64, 0.3


def frame_seconds(images, labels, epochs: int, frames: int = 20) -> float:
    """Seconds to draw one frame of the watch window (weights and curves), best of `frames`."""
    from myonn.windows.watch import TrainingWindow

    network = NeuralNetwork(784, HIDDEN, 10, seed=0)
    curves = LearningCurves(epochs, len(images))
    fit(
        network,
        images[:6000],
        labels[:6000],
        1,
        BATCH_SIZE,
        LEARNING_RATE,
        on_step=curves.step,
        on_epoch=curves.epoch_done,
    )
    window = TrainingWindow()
    window.offscreen()
    window.network, window.curves, window.status = network, curves, None
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        window.draw(window.surface)
        times.append(time.perf_counter() - start)
    return min(times)


def run(images, labels, test, epochs: int, watch: bool) -> float:
    """Seconds of one run of fit, with or without the watch window."""
    network = NeuralNetwork(784, HIDDEN, 10, seed=0)
    window = None
    if watch:
        from myonn.windows.watch import TrainingWindow

        window = TrainingWindow()
        window.open()
        window.follow(network, LearningCurves(epochs, len(images)), "benchmark")
    start = time.perf_counter()
    try:
        fit(
            network,
            images,
            labels,
            epochs,
            BATCH_SIZE,
            LEARNING_RATE,
            test=test,
            on_step=window.step if window else None,
            on_epoch=window.epoch_done if window else None,
        )
        return time.perf_counter() - start
    finally:
        if window:
            window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2, help="runs each way (best is kept)")
    parser.add_argument("--data-dir", default=str(paths.DATA_DIR))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

    images, labels = mnist.load("train", args.data_dir)
    test = mnist.load("test", args.data_dir)
    without, with_window = [], []
    for _ in range(args.repeats):
        without.append(run(images, labels, test, args.epochs, watch=False))
        with_window.append(run(images, labels, test, args.epochs, watch=True))
    driver = os.environ.get("SDL_VIDEODRIVER", "the desktop's")
    print(
        f"cores: {os.cpu_count()}; {args.epochs} epochs on {len(images):,} images, best of {args.repeats} each; "
        f"video driver: {driver}"
    )
    print(f"without --watch: {min(without):.2f} s; with --watch: {min(with_window):.2f} s")
    print(f"--watch takes {min(with_window) / min(without):.3f}x the time (the floor: at most 1.10)")
    from myonn.windows.watch import MAX_SHARE, REDRAW_SECONDS

    frame = frame_seconds(images, labels, args.epochs)
    print(
        f"one frame takes {frame * 1000:.1f} ms to draw (without showing it); at {1 / REDRAW_SECONDS:.0f} frames "
        f"a second that is {frame / REDRAW_SECONDS:.1%} of the time (slower frames are spaced out to keep it "
        f"under {MAX_SHARE:.0%})"
    )


if __name__ == "__main__":
    main()
