"""Digits drawn the way a person draws them with a mouse, made from MNIST's digits.

A person drawing in ./mnist_draw.py drags a round brush over a large canvas: every
stroke is one width, pure ink (255) with hard edges on a background of 0, and the
digit can be any size, anywhere, drawn with any brush. MNIST's digits are none of
that: small, grey-edged, written with a real pen. To measure how well
`myonn.preprocess.to_mnist` and a network read drawings, this module redraws MNIST
digits as such drawings, in three steps:

1. `skeleton`: the centre line of the digit's strokes. The digit is enlarged
   `UPSAMPLE` times (bilinear) and cut at a grey level that keeps its strokes
   joined and its loops open, so that its outline is smooth rather than a
   staircase of big pixels, then thinned to a line one pixel wide (Zhang and
   Suen's thinning, run on the whole batch at once).
2. `centre_line`: the skeleton as a path of short segments, smoothed, scaled onto
   the canvas keeping the digit's aspect ratio, at the requested height and place.
3. `brush`: a round brush pressed along the whole path, exactly as the drawing
   window's brush paints (same pixels for the same diameter), so the strokes are
   continuous, of one width, with hard edges.

`drawn_digits` does all three for a batch, with a random size, place and pen for
each digit, and flags the few digits a pen of one width cannot redraw (a loop
written filled in: see `drawable`). A 448x448 canvas is 200 KB: make and read them
in chunks; the same seed gives the same drawings whatever the chunks.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

UPSAMPLE = 4  # the skeleton is found on the digit enlarged to 112x112
INK_LEVELS = (64, 128, 192)  # the grey levels a digit's ink may be cut at (see `enlarged_ink`)
DEPTH_REACH = 16  # enlarged pixels: farther than the thickest stroke's half-width that matters
CHUNK = 256  # digits enlarged at a time
MAX_LOST_INK = 0.1  # a digit whose redrawing misses more of its ink than this is not drawable
SMOOTHING = 4  # passes of smoothing along the skeleton (see `centre_line`)


class Drawings(NamedTuple):
    """A batch of drawings and how each was drawn; all sizes in canvas pixels.

    `canvases` is uint8 (n, size, size), ink 255 on 0. `heights` and `widths` are the
    extent of each drawing's ink, `pen_widths` the pen's diameter, `centres` the
    (row, column) centre of each drawing's ink box. `drawable` says whether the
    drawing is faithful to its digit (see `drawable`): measure on those.
    """

    canvases: np.ndarray
    heights: np.ndarray
    widths: np.ndarray
    pen_widths: np.ndarray
    centres: np.ndarray
    drawable: np.ndarray


# ---- step 1: the skeleton ----------------------------------------------------------


def upsample_matrix(source: int, factor: int) -> np.ndarray:
    """The (source * factor, source) matrix of bilinear enlargement by `factor`.

    Output pixel i shows source position (i + 0.5) / factor - 0.5, so that both grids
    cover the same square; `matrix @ image @ matrix.T` enlarges a square image.
    """
    positions = np.clip((np.arange(source * factor) + 0.5) / factor - 0.5, 0, source - 1)
    left = np.minimum(np.floor(positions).astype(int), source - 2)
    share = positions - left  # how much of the right-hand neighbour to take
    matrix = np.zeros((source * factor, source))
    rows = np.arange(source * factor)
    matrix[rows, left] = 1 - share
    matrix[rows, left + 1] = share
    return matrix


def _thinning_tables() -> np.ndarray:
    """For each of Zhang and Suen's two sub-steps, which of the 256 neighbourhoods delete their pixel.

    A neighbourhood is coded by the bits of its eight neighbours, clockwise from the
    one above (P2 = bit 0, P3 = bit 1, ... P9 = bit 7). A pixel is deleted when it has
    2 to 6 ink neighbours (so it is neither a line's end nor inside the ink), exactly
    one background-to-ink step going round them (so deleting it cuts nothing in two),
    and it lies on the east or south side of the stroke (first sub-step) or on the
    west or north side (second), so that strokes are eaten evenly from both sides.
    """
    codes = np.arange(256)
    p = [(codes >> bit) & 1 for bit in range(8)]  # p[0] = P2 (north) ... p[7] = P9 (north-west)
    count = sum(p)
    steps = sum((p[i] == 0) & (p[(i + 1) % 8] == 1) for i in range(8))
    north, east, south, west = p[0], p[2], p[4], p[6]
    common = (count >= 2) & (count <= 6) & (steps == 1)
    first = common & (north * east * south == 0) & (east * south * west == 0)
    second = common & (north * east * west == 0) & (north * south * west == 0)
    return np.stack([first, second])


THINNING_TABLES = _thinning_tables()


def thin(ink: np.ndarray) -> np.ndarray:
    """Zhang and Suen's thinning of bool images (n, h, w): each stroke down to a line one pixel wide.

    Every pass deletes, in all images at once, the border pixels whose deletion
    neither breaks a stroke nor shortens a line; it stops when no pixel changes.
    Connected strokes stay connected and loops stay loops.
    """
    ink = np.asarray(ink, bool)
    out = np.zeros_like(ink)
    rows, cols = np.flatnonzero(ink.any(axis=(0, 2))), np.flatnonzero(ink.any(axis=(0, 1)))
    if rows.size == 0:
        return out
    # Work only inside the box holding all the ink, with a frame of background round it.
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    grid = np.pad(ink[:, top:bottom, left:right], ((0, 0), (1, 1), (1, 1)))
    h, w = bottom - top, right - left
    # The eight neighbours of the inner pixels, in the order of the tables' bits.
    offsets = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]
    active = np.arange(len(grid))  # the images that changed in the last pass
    while active.size:
        part = grid[active]
        changed = np.zeros(len(active), bool)
        for table in THINNING_TABLES:
            code = np.zeros((len(active), h, w), np.uint8)
            for bit, (dy, dx) in enumerate(offsets):
                code |= np.left_shift(part[:, 1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w].view(np.uint8), bit)
            delete = table[code]
            delete &= part[:, 1:-1, 1:-1]
            part[:, 1:-1, 1:-1] &= ~delete
            changed |= delete.any(axis=(1, 2))
        grid[active] = part
        active = active[changed]
    out[:, top:bottom, left:right] = grid[:, 1:-1, 1:-1]
    return out


def euler_number(masks: np.ndarray) -> np.ndarray:
    """Pieces minus holes of each bool image (n, h, w), ink joined through corners: int (n,).

    Counted from the 2x2 blocks of pixels alone (Gray's bit quads): (blocks with one
    ink pixel - blocks with three - 2 x blocks with two diagonal ones) / 4. So it
    costs a few whole-array operations, where counting pieces and holes one by one
    would need a flood fill.
    """
    padded = np.pad(np.asarray(masks, bool), ((0, 0), (1, 1), (1, 1))).view(np.int8)
    a, b, c, d = padded[:, :-1, :-1], padded[:, :-1, 1:], padded[:, 1:, :-1], padded[:, 1:, 1:]
    count = a + b + c + d
    ones, threes = (count == 1).sum(axis=(1, 2)), (count == 3).sum(axis=(1, 2))
    diagonals = ((count == 2) & (a == d)).sum(axis=(1, 2))
    return (ones - threes - 2 * diagonals) // 4


def enlarged_ink(images: np.ndarray) -> np.ndarray:
    """Where digits have ink, `UPSAMPLE` times finer: bool (n, 28 * UPSAMPLE, 28 * UPSAMPLE).

    Each uint8 digit (n, 28, 28) is enlarged with bilinear interpolation and cut at
    a grey level. MNIST's grey edges say where the true edge lies between pixels, so
    the cut gives smooth outlines rather than a staircase of big pixels. The level is
    one of `INK_LEVELS`, chosen for each digit: the lowest keeps faint thin strokes
    joined, but a heavy pen nearly fills some loops (the small loop of a 2, the
    lower loop of an 8, the loop of a 6) with grey, and only a higher level opens
    them. Each digit is cut at the level showing the most holes for its pieces (the
    least `euler_number`), the lowest on ties.
    """
    images = np.asarray(images)
    n, h, w = images.shape
    rows, cols = upsample_matrix(h, UPSAMPLE).astype(np.float32), upsample_matrix(w, UPSAMPLE).astype(np.float32)
    grey = rows @ images.astype(np.float32) @ cols.T
    levels = np.array(INK_LEVELS, np.float32)
    best = np.argmin(np.stack([euler_number(grey >= level) for level in levels]), axis=0)  # first = lowest
    return grey >= levels[best][:, None, None]


def skeleton(images: np.ndarray) -> np.ndarray:
    """The centre lines of digits: bool (n, 28 * UPSAMPLE, 28 * UPSAMPLE), or one (112, 112).

    `images` are uint8 MNIST digits, (n, 28, 28) or one (28, 28): their enlarged ink
    (see `enlarged_ink`) thinned to lines one pixel wide.
    """
    images = np.asarray(images)
    lines = thin(enlarged_ink(images[np.newaxis] if images.ndim == 2 else images))
    return lines[0] if images.ndim == 2 else lines


def skeleton_and_lost_ink(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each digit's skeleton (as `skeleton`) and the share of its ink a pen tracing it would miss (float (n,)).

    The pen is taken half again as wide as the digit's typical stroke (the median
    thickness along its skeleton), allowing for a real pen pressed harder in places.
    Ink beyond its reach is a loop filled in or a blot: the skeleton of a filled
    loop is a short line, so its drawing would lose the loop.
    """
    images = np.asarray(images)
    if len(images) > CHUNK:  # the enlarged arrays of a big batch would fill the memory
        parts = [skeleton_and_lost_ink(images[i : i + CHUNK]) for i in range(0, len(images), CHUNK)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    ink = enlarged_ink(images)
    lines = thin(ink)
    depth = np.sqrt(squared_distances(~ink, DEPTH_REACH))  # from each ink pixel to the background
    half_widths = np.array([np.median(d[line]) if line.any() else 0.0 for d, line in zip(depth, lines)])
    reach = np.minimum(1.5 * half_widths, DEPTH_REACH)
    near = squared_distances(lines, DEPTH_REACH) <= (reach**2)[:, None, None]
    lost = (ink & ~near).sum(axis=(1, 2)) / np.maximum(ink.sum(axis=(1, 2)), 1)
    return lines, lost


def drawable(images: np.ndarray, max_lost: float = MAX_LOST_INK) -> np.ndarray:
    """Which digits a pen of one width can redraw faithfully: bool (n,).

    Those whose pen would miss at most `max_lost` of their ink (see
    `skeleton_and_lost_ink`). About 1% of MNIST's test digits are not: mostly 6s,
    2s and 8s written with a loop filled in, which their drawing would show as a
    stub that no one would draw for that digit. Counting them would blame the
    reader for the redrawing's fault.
    """
    return skeleton_and_lost_ink(images)[1] <= max_lost


# ---- steps 2 and 3: the pen on the canvas ------------------------------------------


NEIGHBOURS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


def centre_line(lines: np.ndarray, smoothing: int = SMOOTHING) -> np.ndarray:
    """The pen's path along a skeleton: float segments (m, 2, 2) of (start, end) points (y, x).

    Every pair of 8-neighbouring skeleton pixels is one segment; a lone pixel is a
    segment of length 0 (a dot). The skeleton of an enlarged digit climbs its slopes
    in stairs, which a pen would trace as a wobble no hand makes, so the points are
    first smoothed: `smoothing` times, each pixel moves to the mean of itself and its
    neighbours. Line ends stay put, so strokes keep their length.
    """
    lines = np.asarray(lines, bool)
    ys, xs = np.nonzero(lines)
    if ys.size == 0:
        raise ValueError("the digit has no ink to draw")
    # Number the skeleton's pixels and list each one's neighbours by number (-1: none).
    number = np.full((lines.shape[0] + 2, lines.shape[1] + 2), -1)
    number[ys + 1, xs + 1] = np.arange(ys.size)
    neighbours = np.stack([number[ys + 1 + dy, xs + 1 + dx] for dy, dx in NEIGHBOURS], axis=1)
    linked = neighbours >= 0
    degree = linked.sum(axis=1, keepdims=True)
    points = np.stack([ys, xs], axis=1).astype(np.float64)
    for _ in range(smoothing):
        total = points + (points[neighbours] * linked[..., None]).sum(axis=1)
        points = np.where(degree >= 2, total / (1 + degree), points)
    segments = [np.stack([points, points], axis=1)]  # lone pixels are dots
    for k in range(4, 8):  # the neighbours right of and below each pixel: each pair once
        ends = neighbours[linked[:, k], k]
        segments.append(np.stack([points[linked[:, k]], points[ends]], axis=1))
    return np.concatenate(segments)


def _row_gaps(targets: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """For each pixel, how far (int32, capped at reach + 1) the nearest target in its row lies
    at or to its left, and at or to its right."""
    x = np.arange(targets.shape[-1], dtype=np.int32)
    far = np.int32(targets.shape[-1] + reach + 1)  # a column farther than the reach from every pixel
    nearest_left = np.maximum.accumulate(np.where(targets, x, -far), axis=-1)
    nearest_right = np.flip(np.minimum.accumulate(np.flip(np.where(targets, x, 2 * far), -1), axis=-1), -1)
    cap = np.int32(reach + 1)
    return np.minimum(x - nearest_left, cap), np.minimum(nearest_right - x, cap)


def squared_distances(targets: np.ndarray, reach: int) -> np.ndarray:
    """Squared distance from each pixel to the nearest true pixel of `targets` (..., h, w): int32.

    Exact up to `reach` pixels; a pixel farther than that from every target gets some
    value above reach^2. Two passes, each a handful of whole-array operations: first
    each pixel's distance to the nearest target in its own row, then, for each row
    offset dy up to `reach`, dy^2 plus that row's distance^2, keeping the least.
    """
    targets = np.asarray(targets, bool)
    h = targets.shape[-2]
    padded = np.pad(targets, [(0, 0)] * (targets.ndim - 2) + [(reach, reach), (0, 0)])  # rows without targets
    left, right = _row_gaps(padded, reach)
    across = np.minimum(left, right) ** 2
    best = np.full(targets.shape, 2 * (reach + 1) ** 2, np.int32)
    for dy in range(-reach, reach + 1):
        np.minimum(best, across[..., reach - dy : reach - dy + h, :] + dy * dy, out=best)
    return best


def brush(targets: np.ndarray, diameter: int) -> np.ndarray:
    """The pixels a round brush `diameter` pixels wide covers when pressed on every target pixel: bool.

    As ./mnist_draw.py's brush: every pixel whose centre lies within diameter / 2 of
    the brush's centre, which is the target pixel's centre for an odd diameter and
    its top-left corner for an even one, so that the brush is exactly `diameter`
    pixels wide and tall either way. Measured in half pixels, so both cases are
    whole numbers: a pixel (a, b) rows and columns from the target is covered when
    (2a + s)^2 + (2b + s)^2 <= diameter^2, with s = 1 for an even diameter, else 0.
    """
    targets = np.asarray(targets, bool)
    h = targets.shape[-2]
    s = 1 - diameter % 2
    above, below = diameter // 2, diameter - 1 - diameter // 2  # the rows the brush covers round its target
    padded = np.pad(targets, [(0, 0)] * (targets.ndim - 2) + [(below, above), (0, 0)])
    left, right = _row_gaps(padded, above)
    # A target d columns to the left is at b = d; one d columns to the right at b = -d.
    across = np.minimum((2 * left + s) ** 2, (2 * right - s) ** 2)
    best = np.full(targets.shape, 2 * (diameter + 2) ** 2, np.int32)
    for a in range(-above, below + 1):  # the pixel lies a rows below the target
        np.minimum(best, across[..., below - a : below - a + h, :] + (2 * a + s) ** 2, out=best)
    return best <= diameter**2


def _layout(segments: np.ndarray, height: int, pen_width: int) -> tuple[float, float, float, int]:
    """Where a path goes in a drawing `height` pixels tall: (scale, path's top, path's left, ink width).

    Path point (y, x) lands (y - top) * scale rows and (x - left) * scale columns
    from the first pixel the path covers; the pen adds pen_width - 1 pixels to the
    path's extent, pen_width // 2 of them above it and to its left.
    """
    points = segments.reshape(-1, 2)
    low, high = points.min(axis=0), points.max(axis=0)
    if high[0] - low[0] < 1:
        raise ValueError("the digit is flat (its skeleton is less than a pixel tall): no height to scale it to")
    scale = (height - pen_width) / (high[0] - low[0])
    width = int(np.rint((high[1] - low[1]) * scale)) + pen_width
    return scale, float(low[0]), float(low[1]), width


def ink_width(segments: np.ndarray, height: int, pen_width: int) -> int:
    """The width in canvas pixels of a path drawn `height` pixels tall with this pen."""
    return _layout(segments, height, pen_width)[3]


def draw_path(
    segments: np.ndarray, canvas_size: int, height: int, centre: tuple[float, float], pen_width: int
) -> np.ndarray:
    """Trace a path (from `centre_line`) with a round pen: uint8 (canvas_size, canvas_size), ink 255 on 0.

    The drawing's ink is exactly `height` pixels tall (pen included), as wide as the
    path's aspect ratio makes it, and its ink box is centred on `centre` (row,
    column). `pen_width` is the brush's diameter in whole pixels, as in
    ./mnist_draw.py. Raises ValueError when the drawing would not fit on the canvas
    or the pen is not narrower than the height.
    """
    if int(pen_width) != pen_width or pen_width < 1:
        raise ValueError(f"the pen width must be a whole number of pixels, at least 1, not {pen_width!r}")
    pen_width = int(pen_width)
    if height <= pen_width:
        raise ValueError(f"a pen {pen_width} pixels wide is too wide for a drawing {height} pixels tall")
    scale, path_top, path_left, width = _layout(segments, height, pen_width)
    top = int(np.rint(centre[0] - (height - 1) / 2))
    left = int(np.rint(centre[1] - (width - 1) / 2))
    if top < 0 or left < 0 or top + height > canvas_size or left + width > canvas_size:
        raise ValueError(
            f"a drawing {height}x{width} pixels centred at {tuple(centre)} does not fit on a {canvas_size}-pixel canvas"
        )
    # Sample every segment at least once per canvas pixel, so that the path has no gaps.
    lengths = np.hypot(*(segments[:, 1] - segments[:, 0]).T) * scale
    t = np.linspace(0.0, 1.0, int(np.ceil(lengths.max())) + 2)[:, None, None]
    points = segments[None, :, 0] + (segments[None, :, 1] - segments[None, :, 0]) * t
    rows = np.rint((points[..., 0] - path_top) * scale).astype(np.int64).ravel()
    cols = np.rint((points[..., 1] - path_left) * scale).astype(np.int64).ravel()
    # Only the drawing's own box is brushed, not the whole canvas.
    box = np.zeros((height, width), bool)
    box[rows + pen_width // 2, cols + pen_width // 2] = True
    canvas = np.zeros((canvas_size, canvas_size), np.uint8)
    canvas[top : top + height, left : left + width][brush(box, pen_width)] = 255
    return canvas


def redraw(image: np.ndarray, canvas_size: int, height: int, centre: tuple[float, float], pen_width: int) -> np.ndarray:
    """One MNIST digit drawn with a round pen on a canvas: uint8 (canvas_size, canvas_size), ink 255 on 0.

    `image` is a uint8 (28, 28) digit. The drawing is `height` pixels tall (pen
    included), keeps the digit's aspect ratio, and its ink box is centred on
    `centre` (row, column); `pen_width` is the brush's diameter in whole pixels.
    Raises ValueError when it does not fit on the canvas.
    """
    return draw_path(centre_line(skeleton(image)), canvas_size, height, centre, pen_width)


# ---- many drawings at random -------------------------------------------------------


def drawn_digits(
    images: np.ndarray,
    rng: np.random.Generator,
    canvas_size: int = 448,
    heights: tuple[float, float] = (0.25, 0.9),
    pen_widths: tuple[int, int] = (6, 40),
    max_pen_share: float = 0.18,
    thin_pens: tuple[int, int] = (2, 5),
    thin_share: float = 0.1,
) -> Drawings:
    """Each digit of `images` (uint8, (n, 28, 28)) drawn at random, as a person might draw it.

    * Height: uniform over `heights`, as fractions of the canvas side (a quarter of the
      canvas to nearly all of it); a digit wider than tall is shrunk to fit.
    * Pen: a whole number of pixels, uniform over `pen_widths` (both ends included),
      but never above `max_pen_share` of the height: a pen that thick fills the
      digit's loops and merges its strokes into a blob that no one would draw. A
      share `thin_share` of the drawings use a very thin pen from `thin_pens` instead.
    * Place: uniform over every centre that keeps the whole drawing on the canvas.

    Returns `Drawings`, flagging the digits a pen of one width cannot redraw
    faithfully (see `drawable`). Each digit uses its own block of five random
    numbers, so drawing a set in chunks gives the same drawings as drawing it at once.
    """
    images = np.asarray(images)
    n = len(images)
    draws = rng.random((n, 5))
    lines, lost = skeleton_and_lost_ink(images)
    canvases = np.zeros((n, canvas_size, canvas_size), np.uint8)
    out_heights, out_widths, out_pens = np.zeros(n, int), np.zeros(n, int), np.zeros(n, int)
    centres = np.zeros((n, 2))
    for i in range(n):
        path = centre_line(lines[i])
        u_height, u_thin, u_pen, u_row, u_col = draws[i]
        height = int(np.rint(canvas_size * (heights[0] + (heights[1] - heights[0]) * u_height)))
        low, high = (
            thin_pens if u_thin < thin_share else (pen_widths[0], min(pen_widths[1], int(max_pen_share * height)))
        )
        pen = low + int(u_pen * (max(high, low) - low + 1))
        width = ink_width(path, height, pen)
        while width > canvas_size:  # a wide digit: shrink it, and its pen with it, to fit
            shrink = min(canvas_size / width, (height - 1) / height)
            height = int(height * shrink)
            pen = max(min(int(round(pen * shrink)), int(max_pen_share * height)), 1)
            width = ink_width(path, height, pen)
        # Centres whose drawing stays on the canvas, from flush top/left to flush bottom/right.
        row = (height - 1) / 2 + (canvas_size - height) * u_row
        col = (width - 1) / 2 + (canvas_size - width) * u_col
        canvases[i] = draw_path(path, canvas_size, height, (row, col), pen)
        out_heights[i], out_widths[i], out_pens[i], centres[i] = height, width, pen, (row, col)
    return Drawings(canvases, out_heights, out_widths, out_pens, centres, lost <= MAX_LOST_INK)
