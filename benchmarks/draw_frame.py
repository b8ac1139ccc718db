#!/usr/bin/env python3
"""How long the draw window takes per frame while a digit is drawn, live mode on, in each view.

Draws the --demo "2" as a hand would, one mouse movement per frame, through
./mnist_draw.py's own window (`myonn.windows.draw_window`): each frame handles its event, reads the canvas
again (to_mnist, deskewing, the network, and whatever the view adds: the hidden
nodes, the why map, the steps) and draws the whole window. It prints the median and
the slowest 5% of frames for each view (canvas, inside with a node shown large, why,
steps, nearest, learn), and the same with half the hidden nodes knocked out (K). T
(learn) covers the canvas, and the pen does not draw under it: its costly frame, the
one that works out a new training step when a digit key picks a label, is timed apart. The floor we set
ourselves: under 5 ms a frame, so that drawing never lags.

    python benchmarks/draw_frame.py [--model PATH] [--points 300] [--repeats 3]

It draws on SDL's "dummy" driver: all the work of a frame but showing it. Run it on
an idle machine: on 2 cores any other busy process slows every frame.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # as the window itself sets them

import numpy as np  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
FLOOR_MS = 5.0


def along(stroke: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """`count` points evenly along the polyline `stroke`, as a mouse reports a steady hand."""
    points = np.asarray(stroke, np.float64)
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(points, axis=0).T))]
    at = np.linspace(0, lengths[-1], count)
    return list(
        zip(
            np.interp(at, lengths, points[:, 0]).round().astype(int),
            np.interp(at, lengths, points[:, 1]).round().astype(int),
        )
    )


def frame_times(network, view: str, points: list[tuple[int, int]], knocked_out: int) -> list[float]:
    """Milliseconds of each frame while `points` are drawn in `view`."""
    import pygame

    from myonn.windows.draw_window import DrawWindow
    from myonn.windows.drawing_pad import DrawingPad

    pad = DrawingPad(network)
    window = DrawWindow(pad)
    screen = pygame.display.get_surface()
    window.show(view)
    window.views[view].finish()  # N's training digits remembered before the timing, not on a thread during it
    for _ in range(knocked_out):
        pad.knock_out()
    if view == "inside":
        window.views["inside"].pinned = 0  # a node shown large, its weights in and out
    to_window = lambda point: (point[0] + window.canvas_rect.x, point[1] + window.canvas_rect.y)  # noqa: E731
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=to_window(points[0]), button=1))
    times = []
    for point in points[1:]:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=to_window(point), rel=(0, 0), buttons=(1, 0, 0)))
        start = time.perf_counter()
        # One turn of the window's loop: its events, the reading, the frame.
        if window.process(pygame.event.get()):
            window.draw(screen)
            pygame.display.flip()
        times.append((time.perf_counter() - start) * 1000)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=to_window(points[-1]), button=1))
    window.process(pygame.event.get())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="the network to read with (default: the shipped one)")
    parser.add_argument("--points", type=int, default=300, help="mouse positions along the digit (default: 300)")
    parser.add_argument("--repeats", type=int, default=3, help="times each view draws the digit (default: 3)")
    args = parser.parse_args()

    import pygame

    from myonn.plumbing import paths
    from myonn.model_file import load_mnist_network

    from myonn.windows.demo_strokes import DEMO_STROKE
    from myonn.windows.draw_window import VIEWS, WINDOW

    network = load_mnist_network(args.model or paths.SHIPPED_MODEL)
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode(WINDOW)
    points = along(DEMO_STROKE, args.points)
    frame_times(network, "canvas", points[:30], 0)  # warm up: first calls, caches
    print(
        f"draw window, live mode on: milliseconds a frame over {args.repeats} x {args.points - 1} frames (floor {FLOOR_MS:g} ms)"
    )
    print(f"{'view':<10}{'knocked out':>12}{'median':>9}{'95%':>8}{'slowest':>9}   under the floor")
    for knocked_out in (0, 5):
        for view in VIEWS:
            times = [t for _ in range(args.repeats) for t in frame_times(network, view, points, knocked_out)]
            median, p95, worst = np.median(times), np.percentile(times, 95), max(times)
            label = f"{knocked_out * 10}%"
            verdict = "yes" if p95 < FLOOR_MS else "NO"
            print(f"{view:<10}{label:>12}{median:9.2f}{p95:8.2f}{worst:9.2f}   {verdict} (95% of frames)")
    # T covers the canvas and the pen does not draw under it: its costly frame is the one
    # that works out a new step, after a digit key picks another label.
    times = [t for _ in range(args.repeats) for t in new_step_times(network, points)]
    print(f"{'learn, a new label (0-9)':<30}{np.median(times):9.2f}{np.percentile(times, 95):8.2f}{max(times):9.2f}")
    pygame.quit()


def new_step_times(network, points: list[tuple[int, int]]) -> list[float]:
    """Milliseconds of each frame in which T works out and draws the step for a new label, on the drawn digit."""
    import pygame

    from myonn.windows.draw_window import DrawWindow
    from myonn.windows.drawing_pad import DrawingPad

    pad = DrawingPad(network)
    pad.trace(points)
    pad.read()
    window = DrawWindow(pad)
    screen = pygame.display.get_surface()
    window.show("learn")
    window.draw(screen)
    times = []
    for digit in range(10):
        start = time.perf_counter()
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=getattr(pygame, f"K_{digit}"), mod=0, unicode=""))
        if window.process(pygame.event.get()):
            window.draw(screen)
            pygame.display.flip()
        times.append((time.perf_counter() - start) * 1000)
    return times


if __name__ == "__main__":
    main()
