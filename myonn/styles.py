"""Ways of writing digits that people use and MNIST hardly has, drawn onto MNIST's own digits.

MNIST's writers were American, and wrote on paper. Many people elsewhere cross their
zeros (Ø), start a 1 with a long up-stroke from the left (and some give it a foot),
and cross the stem of their 7s. A network that never saw those reads a crossed zero
as 8 or 4, a flagged 1 as 7 or 2, a crossed 7 as 2. No rotation or stretch of an
MNIST digit makes those strokes, so they are drawn in: a straight stroke of the
digit's own pen width, placed from the digit's own ink (its box, the ink's position
at a given row), then the digit is shrunk back into MNIST's 20x20 box if it grew.

`styled_copies(images, labels, rng)` makes one such copy of every 0, 1 and 7; the
training (`myonn.training.fit`) swaps a share of them in each epoch.
"""

from __future__ import annotations

import numpy as np

from myonn.images import warp_affine
from myonn.preprocess import BOX

INK = 64  # a pixel darker than this counts as ink when measuring where a digit is


def draw_strokes(images: np.ndarray, starts: np.ndarray, ends: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Each image with one straight stroke drawn on it, anti-aliased: uint8 (n, h, w).

    Stroke i runs from `starts[i]` to `ends[i]`, points (y, x) in pixels, and is
    `widths[i]` pixels wide with round ends. A pixel is as dark as the stroke covers
    it (a one-pixel grey ramp at its edges, like MNIST's), and keeps its own ink
    where that is darker.
    """
    n, h, w = images.shape
    if n == 0:
        return images.copy()  # no digit of this kind among the images (a small --limit)
    ys, xs = np.divmod(np.arange(h * w, dtype=np.float32), np.float32(w))
    starts, ends = np.asarray(starts, np.float32), np.asarray(ends, np.float32)
    direction = ends - starts
    length2 = np.maximum((direction**2).sum(axis=1), 1e-6)[:, None]
    to_y, to_x = ys - starts[:, :1], xs - starts[:, 1:]
    # How far along the stroke each pixel's nearest point lies (0 at the start, 1 at the end)...
    along = np.clip((to_y * direction[:, :1] + to_x * direction[:, 1:]) / length2, 0, 1)
    # ...and the pixel's distance from that point.
    distance = np.hypot(to_y - along * direction[:, :1], to_x - along * direction[:, 1:])
    cover = np.clip(np.asarray(widths, np.float32)[:, None] / 2 + 0.5 - distance, 0, 1)
    stroke = np.rint(cover * 255).astype(np.uint8)
    return np.maximum(images.reshape(n, -1), stroke).reshape(n, h, w)


def ink_box(images: np.ndarray, ink: int = INK) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each image's ink box, pixels darker than `ink`: (top, bottom, left, right), float32 (n,) each."""
    ink = images > ink
    rows, cols = ink.any(axis=2), ink.any(axis=1)
    last = images.shape[1] - 1
    top, bottom = rows.argmax(axis=1), last - rows[:, ::-1].argmax(axis=1)
    left, right = cols.argmax(axis=1), last - cols[:, ::-1].argmax(axis=1)
    return tuple(np.asarray(edge, np.float32) for edge in (top, bottom, left, right))


def ink_column(images: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Where the ink is across row `rows[i]` of image i: its mean column, float32 (n,)."""
    row = images[np.arange(len(images)), np.clip(np.rint(rows).astype(int), 0, images.shape[1] - 1)]
    weights = np.where(row > INK, row, 0).astype(np.float32)
    mass = weights.sum(axis=1)
    middle = (images.shape[2] - 1) / 2
    return np.where(mass > 0, weights @ np.arange(images.shape[2], dtype=np.float32) / np.maximum(mass, 1), middle)


def pen_widths(images: np.ndarray) -> np.ndarray:
    """Each digit's own pen width in pixels (MNIST's are about 2 to 3), float32 (n,).

    As `myonn.preprocess.stroke_width` measures it (twice the ink's area over its
    edge), for a whole batch at once; a little wider, so the new stroke is as dark.
    """
    ink = images > 127
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    inner = ink & padded[:, :-2, 1:-1] & padded[:, 2:, 1:-1] & padded[:, 1:-1, :-2] & padded[:, 1:-1, 2:]
    area = ink.sum(axis=(1, 2))
    edge = np.maximum(area - inner.sum(axis=(1, 2)), 1)
    return (np.clip(2.0 * area / edge, 1.5, 4.0) + 0.5).astype(np.float32)


def refit(images: np.ndarray) -> np.ndarray:
    """Shrink each digit that its new strokes made larger than MNIST's 20x20 box back into it.

    The shrinking is about the middle of the digit's ink box, by area-like bilinear
    resampling; a digit that still fits is left as it is. (Where in the 28x28 image it
    sits does not matter: the network deskews, which centres every digit.)
    """
    n, h, w = images.shape
    top, bottom, left, right = ink_box(images, ink=0)
    side = np.maximum(bottom - top, right - left) + 1
    shrink = np.maximum(side / BOX, 1.0)  # source pixels per output pixel
    # Output pixel p shows source point (ink box's middle) + (p - image middle) * shrink.
    matrices = np.zeros((n, 2, 3), np.float32)
    matrices[:, 0, 0] = matrices[:, 1, 1] = shrink
    matrices[:, 0, 2] = (top + bottom) / 2 - shrink * (h - 1) / 2
    matrices[:, 1, 2] = (left + right) / 2 - shrink * (w - 1) / 2
    out = images.copy()
    grown = shrink > 1
    out[grown] = warp_affine(images[grown], matrices[grown])
    return out


def slashed_zeros(zeros: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Zeros crossed by a slash (Ø): from below the bottom left to above the top right.

    The slash runs through the ring's middle at 50 to 88 degrees from the horizontal
    and pokes out a pixel or two beyond it.
    """
    n = len(zeros)
    top, bottom, left, right = ink_box(zeros)
    cy, cx = (top + bottom) / 2, (left + right) / 2 + rng.uniform(-1, 1, n)
    run = 1 / np.tan(np.deg2rad(rng.uniform(50, 88, n)))  # columns to the right per row up
    height = bottom - top + 1
    y0, y1 = bottom + height * rng.uniform(-0.05, 0.3, n), top - height * rng.uniform(-0.05, 0.3, n)
    starts = np.stack([y0, cx - (y0 - cy) * run], axis=1)
    ends = np.stack([y1, cx - (y1 - cy) * run], axis=1)
    return refit(draw_strokes(zeros, starts, ends, pen_widths(zeros)))


def flagged_ones(ones: np.ndarray, rng: np.random.Generator, foot: float = 0.4) -> np.ndarray:
    """Ones with a flag (the long up-stroke from the left to the top), and a share `foot` with a foot too.

    The flag leaves the top of the stem downwards to the left, at 30 to 65 degrees
    below the horizontal (flatter, it would be a 7's bar) and 20% to 45% of the
    digit's height long.
    """
    n = len(ones)
    top, bottom, _, _ = ink_box(ones)
    height = bottom - top + 1
    widths = pen_widths(ones)
    x_top, x_bottom = ink_column(ones, top + 1), ink_column(ones, bottom - 1)
    length, angle = height * rng.uniform(0.2, 0.45, n), np.deg2rad(rng.uniform(30, 65, n))
    starts = np.stack([top + 0.5, x_top], axis=1)
    ends = np.stack([top + length * np.sin(angle), x_top - length * np.cos(angle)], axis=1)
    flagged = draw_strokes(ones, starts, ends, widths)
    left, right = height * rng.uniform(0.15, 0.35, n), height * rng.uniform(0.15, 0.35, n)
    y = bottom - 0.5
    feet = np.stack([y, x_bottom - left], axis=1), np.stack([y + rng.uniform(-1, 1, n), x_bottom + right], axis=1)
    footed = draw_strokes(flagged, *feet, widths)
    with_foot = (rng.random(n) < foot)[:, None, None]
    return refit(np.where(with_foot, footed, flagged))


def crossed_sevens(sevens: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sevens with a short bar across the stem, 45% to 65% of the way down, tilted up to 10 degrees."""
    n = len(sevens)
    top, bottom, _, _ = ink_box(sevens)
    height = bottom - top + 1
    y = top + height * rng.uniform(0.45, 0.65, n)
    x = ink_column(sevens, y) + rng.uniform(-1, 1, n)
    half = height * rng.uniform(0.15, 0.3, n)
    rise = half * np.tan(np.deg2rad(rng.uniform(-10, 10, n)))
    starts, ends = np.stack([y + rise, x - half], axis=1), np.stack([y - rise, x + half], axis=1)
    return refit(draw_strokes(sevens, starts, ends, pen_widths(sevens)))


# The digit -> how to write it in the other style.
STYLES = {0: slashed_zeros, 1: flagged_ones, 7: crossed_sevens}


def styled_copies(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One copy of every 0, 1 and 7 among `images`, written in the other style: (indices, uint8 images).

    `indices` says which image each copy stands for (its label is that image's).
    """
    indices = np.flatnonzero(np.isin(labels, list(STYLES)))
    copies = np.empty((len(indices), *images.shape[1:]), np.uint8)
    for digit, restyle in STYLES.items():
        which = labels[indices] == digit
        copies[which] = restyle(images[indices[which]], rng)
    return indices, copies
