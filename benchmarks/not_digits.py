"""Things people draw that are not digits, drawn the way the drawing window draws.

A learner tries the drawing window with a scribble, a dash, a filled blob or a
letter, to see what the network says. The network only knows ten digits, so it
gives one of them; the window should say "not sure" instead (myonn.answer). To
measure how often it does, this module makes such drawings on 280x280 canvases
with the window's own brush (myonn.windows.brush.paint_segment: round, one width,
ink 255 on 0), in six kinds, each with a random size, place and pen:

- `scribble`: a wandering pen, turning at random (a child's scribble);
- `line`: one straight stroke at least 35 degrees from upright (an upright one is a 1);
- `zigzag`: four to nine strokes back and forth;
- `disc`: a filled round or oval blob;
- `cross`: two strokes crossing (a + or an x);
- `letter`: a capital letter that looks like no digit (A E F H K M N R W X), drawn
  as strokes with a shaking hand.

The same seed gives the same drawings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from myonn.windows.brush import paint_segment  # noqa: E402

CANVAS = 280
KINDS = ("scribble", "line", "zigzag", "disc", "cross", "letter")

# Capital letters unlike any digit, as strokes through points of a unit box (x right, y down).
LETTERS = {
    "A": [[(0, 1), (0.5, 0), (1, 1)], [(0.25, 0.6), (0.75, 0.6)]],
    "E": [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.75, 0.5)]],
    "F": [[(1, 0), (0, 0), (0, 1)], [(0, 0.5), (0.75, 0.5)]],
    "H": [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]],
    "K": [[(0, 0), (0, 1)], [(1, 0), (0.05, 0.55), (1, 1)]],
    "M": [[(0, 1), (0, 0), (0.5, 0.65), (1, 0), (1, 1)]],
    "N": [[(0, 1), (0, 0), (1, 1), (1, 0)]],
    "R": [[(0, 1), (0, 0), (0.75, 0), (0.95, 0.25), (0.75, 0.5), (0, 0.5)], [(0.35, 0.5), (1, 1)]],
    "W": [[(0, 0), (0.25, 1), (0.5, 0.35), (0.75, 1), (1, 0)]],
    "X": [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],
}


def draw(strokes: list[np.ndarray], pen: int) -> np.ndarray:
    """A canvas with each stroke (points (x, y) in canvas pixels) painted by a pen `pen` pixels wide."""
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    for points in strokes:
        points = np.rint(points).astype(int)
        for start, end in zip(points[:-1], points[1:]):
            paint_segment(canvas, tuple(start), tuple(end), pen, 255)
        if len(points) == 1:
            paint_segment(canvas, tuple(points[0]), tuple(points[0]), pen, 255)
    return canvas


def placed(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """`strokes` drawn in a unit box, turned a little, sized 100-240 pixels and put anywhere on the canvas."""
    angle = rng.uniform(-0.2, 0.2)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    size = rng.uniform(100, 240)
    points = [(np.asarray(s, float) - 0.5) @ turn.T * size for s in strokes]
    every = np.concatenate(points)
    low, high = every.min(axis=0), every.max(axis=0)
    margin = 20
    shift = [
        rng.uniform(margin - lo, CANVAS - margin - hi) if hi - lo < CANVAS - 2 * margin else CANVAS / 2 - (lo + hi) / 2
        for lo, hi in zip(low, high)
    ]
    return [p + shift for p in points]


def scribble(rng: np.random.Generator) -> list[np.ndarray]:
    """A pen wandering 25-60 steps, turning at random as it goes."""
    steps = rng.integers(25, 61)
    heading = np.cumsum(rng.normal(0, 0.9, steps))
    path = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1) * rng.uniform(0.03, 0.07), axis=0)
    path = (path - path.min(axis=0)) / max(np.ptp(path, axis=0).max(), 1e-9)
    return [path]


def line(rng: np.random.Generator) -> list[np.ndarray]:
    """One straight stroke, 35 to 90 degrees away from upright."""
    angle = np.radians(rng.uniform(-55, 55))  # from the horizontal
    half = np.array([np.cos(angle), np.sin(angle)]) / 2 * rng.uniform(0.5, 1.0)
    return [np.array([0.5 - half, 0.5 + half])]


def zigzag(rng: np.random.Generator) -> list[np.ndarray]:
    """Four to nine strokes back and forth, across or up and down."""
    corners = rng.integers(5, 11)
    along = np.linspace(0, 1, corners)
    across = np.where(np.arange(corners) % 2 == 0, 0.0, 1.0) * rng.uniform(0.3, 1.0) + rng.normal(0, 0.05, corners)
    path = np.stack([along, across], axis=1)
    return [path if rng.random() < 0.5 else path[:, ::-1]]


def disc(rng: np.random.Generator) -> tuple[list[np.ndarray], int]:
    """A filled round or oval blob: a pen as wide as the blob, dragged a short way (so, and its pen width)."""
    width = int(rng.integers(50, 160))
    stretch = rng.uniform(0, 0.8) * width
    angle = rng.uniform(0, np.pi)
    centre = rng.uniform(width, CANVAS - width, 2) if CANVAS > 2 * width else np.full(2, CANVAS / 2)
    offset = np.array([np.cos(angle), np.sin(angle)]) * stretch / 2
    return [np.array([centre - offset, centre + offset])], width


def cross(rng: np.random.Generator) -> list[np.ndarray]:
    """Two strokes crossing near their middles: a + or an x."""
    angle = rng.uniform(0, np.pi / 2)
    strokes = []
    for turn in (angle, angle + np.pi / 2 + rng.normal(0, 0.15)):
        half = np.array([np.cos(turn), np.sin(turn)]) / 2 * rng.uniform(0.7, 1.0)
        middle = 0.5 + rng.normal(0, 0.05, 2)
        strokes.append(np.array([middle - half, middle + half]))
    return strokes


def letter(rng: np.random.Generator) -> list[np.ndarray]:
    """A capital letter from `LETTERS`, narrower or wider, written with a shaking hand."""
    name = rng.choice(sorted(LETTERS))
    width = rng.uniform(0.6, 1.0)
    strokes = []
    for stroke in LETTERS[name]:
        points = np.asarray(stroke, float) * [width, 1] + [(1 - width) / 2, 0]
        # Each stroke followed in short steps, each point a little off the line.
        fine = [a + (b - a) * t for a, b in zip(points[:-1], points[1:]) for t in np.linspace(0, 1, 8, endpoint=False)]
        fine.append(points[-1])
        strokes.append(np.asarray(fine) + rng.normal(0, 0.012, (len(fine), 2)))
    return strokes


def not_digits(kind: str, count: int, seed: int = 0) -> np.ndarray:
    """`count` canvases (uint8, count x 280 x 280, ink 255 on 0) of one `kind` (see `KINDS`)."""
    rng = np.random.default_rng([seed, KINDS.index(kind)])
    canvases = np.zeros((count, CANVAS, CANVAS), np.uint8)
    for i in range(count):
        pen = int(rng.choice([14, 20, 28, 28, 36]))  # the window's brush is 28 pixels unless --brush
        if kind == "disc":
            strokes, pen = disc(rng)
            canvases[i] = draw(strokes, pen)
            continue
        strokes = {"scribble": scribble, "line": line, "zigzag": zigzag, "cross": cross, "letter": letter}[kind](rng)
        canvases[i] = draw(placed(strokes, rng), pen)
    return canvases
