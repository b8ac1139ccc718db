"""From a digit drawn on a canvas to an image like MNIST's.

MNIST's digits were normalised: each was fitted into a 20x20 box keeping its aspect
ratio (anti-aliased, so edges are grey), then placed in a 28x28 image with its
centre of mass at the centre. A digit drawn on a canvas is none of that: it can be
anywhere, any size, with any pen. `to_mnist` repeats MNIST's normalisation on it,
so the network sees the kind of image it learned from.
"""

from __future__ import annotations

import numpy as np

BOX = 20  # MNIST fits each digit into a 20x20 box...
SIZE = 28  # ...inside a 28x28 image,
# ...centre of mass at row 14, column 14: the mean over MNIST's training set. (The network's
# deskewing then centres every image at 13.5, the exact middle, to a fraction of a pixel.)
CENTRE = 14.0
FINE = 4 * BOX  # pixels a side at which a drawing's pen width is measured and evened out
STROKE = 0.12  # the pen width, as a share of the box side, below which a drawing is thickened


def area_resize_matrix(source: int, target: int) -> np.ndarray:
    """The (target, source) matrix that averages `source` pixels down into `target` bins.

    Entry (i, j) is the share of source pixel j that falls in output bin i, divided
    by the bin's width: `matrix @ image @ matrix.T` resizes a square image by area
    averaging, the anti-aliasing that MNIST's own resize did.
    """
    edges = np.linspace(0, source, target + 1)
    starts, ends = edges[:-1, None], edges[1:, None]
    pixel = np.arange(source)[None, :]
    overlap = np.clip(np.minimum(ends, pixel + 1) - np.maximum(starts, pixel), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def ink_square(canvas: np.ndarray) -> np.ndarray | None:
    """The drawing cropped to its ink and padded to a square, ink in the middle: float32.

    Padding to a square before shrinking keeps the drawing's aspect ratio, as MNIST's
    fit into its 20x20 box did. None for a canvas with no ink.
    """
    rows, cols = np.flatnonzero(canvas.any(axis=1)), np.flatnonzero(canvas.any(axis=0))
    if rows.size == 0:
        return None
    crop = canvas[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    side = max(crop.shape)
    square = np.zeros((side, side), np.float32)
    top, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2
    square[top : top + crop.shape[0], left : left + crop.shape[1]] = crop
    return square


def stroke_width(ink: np.ndarray) -> float:
    """The mean width of the strokes in a boolean ink image, in pixels.

    A stroke of width w and length L covers about w * L pixels, and about 2 * L of
    them lie on its edge (they touch the background above, below, left or right):
    so the width is about twice the ink's area over its edge.
    """
    padded = np.pad(ink, 1)
    inner = ink & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    edge = int(ink.sum() - inner.sum())
    return 2.0 * ink.sum() / edge if edge else 0.0


# A drawing less than this many pen widths across becomes a blob once fitted into 20x20: ask
# for a larger one. (Measured: the smallest of 2,314 pen-drawn digits in drawn_dev is 3.4 pen
# widths across; a "3" drawn 45x60 with the draw window's 28-pixel brush is 2.1.)
FEWEST_PEN_WIDTHS = 3.0


def size_in_pen_widths(canvas: np.ndarray) -> float:
    """How many pen widths across a drawing is: the longer side of its ink over its strokes' width.

    A digit needs a few strokes side by side with gaps between them (a 3 has three
    bars one above the other), so one only a few pen widths across cannot show its
    shape. 0.0 for an empty canvas. This measures the drawing; `to_mnist` does not use it.
    """
    ink = np.asarray(canvas) > 127
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return 0.0
    width = stroke_width(ink)
    return max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) / width if width else 0.0


def too_small(canvas: np.ndarray) -> bool:
    """Whether a drawing with ink is too few pen widths across to be read (the window says "draw it larger")."""
    size = size_in_pen_widths(canvas)
    return 0.0 < size < FEWEST_PEN_WIDTHS


def thicken(image: np.ndarray, width: float) -> np.ndarray:
    """Widen strokes thinner than `width` pixels to about that width (grey dilation by a disc).

    People draw with thin pens and thick ones; MNIST's digits were written with pens
    of much the same width for their size, so a thin drawing is widened to match.
    Strokes already that wide are left alone.
    """
    measured = stroke_width(image > 127)
    radius = int(round((width - measured) / 2))
    if radius < 1:
        return image
    padded = np.pad(image, radius)
    out = image.copy()
    n = image.shape[0]
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dy * dy + dx * dx <= radius * radius:
                np.maximum(
                    out, padded[radius + dy : radius + dy + n, radius + dx : radius + dx + image.shape[1]], out=out
                )
    return out


def to_mnist(canvas: np.ndarray) -> np.ndarray:
    """Normalise a drawing the way MNIST was: uint8 (28, 28), ink 255 on background 0.

    `canvas` is a 2-D uint8 array of any size, ink 255 on background 0. The drawing
    is cropped to its ink, fitted into a 20x20 box keeping its aspect ratio, and
    placed in a 28x28 image with its centre of mass at the centre. An empty canvas
    gives all zeros.
    """
    return to_mnist_steps(canvas)["placed"]


def to_mnist_steps(canvas: np.ndarray) -> dict[str, np.ndarray]:
    """`to_mnist` step by step, for a learner to see: each stage's image, in order.

    * "cropped": the drawing cropped to its ink and padded to a square (float32, any size);
    * "fitted": shrunk into MNIST's 20x20 box, thin pens thickened (uint8 (20, 20));
    * "placed": the box placed in 28x28 by its centre of mass (uint8 (28, 28)): `to_mnist`'s result.

    (The network then deskews "placed" itself: `NeuralNetwork.straighten`.) An empty
    canvas gives an empty "cropped" and all-zero images.
    """
    canvas = np.asarray(canvas)
    if canvas.ndim != 2:
        raise ValueError(f"canvas must be a 2-D array, not shaped {canvas.shape}")
    square = ink_square(canvas)
    placed = np.zeros((SIZE, SIZE), np.uint8)
    if square is None:
        return {"cropped": np.zeros((0, 0), np.float32), "fitted": np.zeros((BOX, BOX), np.uint8), "placed": placed}
    # Shrink in two steps: to FINE pixels a side, where the pen's width can be measured
    # and a thin pen thickened, then on to the 20x20 box.
    down = area_resize_matrix(len(square), FINE).astype(np.float32)
    fine = down @ square @ down.T
    # Room around the drawing to thicken into, then crop to the thickened ink again:
    # the digit with its new strokes is what must fit the box.
    fine = ink_square(thicken(np.pad(fine, FINE // 8), STROKE * FINE))
    down = area_resize_matrix(len(fine), BOX).astype(np.float32)
    box = down @ fine @ down.T
    box *= 255.0 / box.max()  # full contrast, like MNIST's darkest strokes
    fitted = np.clip(np.rint(box), 0, 255).astype(np.uint8)

    # Place the box so that the centre of mass lands on MNIST's centre.
    ys = np.arange(BOX)
    mass = box.sum()
    cy, cx = (box.sum(axis=1) @ ys) / mass, (box.sum(axis=0) @ ys) / mass
    y0 = int(np.clip(np.rint(CENTRE - cy), 0, SIZE - BOX))
    x0 = int(np.clip(np.rint(CENTRE - cx), 0, SIZE - BOX))
    placed[y0 : y0 + BOX, x0 : x0 + BOX] = fitted
    return {"cropped": square, "fitted": fitted, "placed": placed}
