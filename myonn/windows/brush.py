"""The draw window's brush: a round pen dragged over the canvas, and the strokes it leaves.

The canvas is a NumPy array, ink 255 on background 0; a stroke remembers the points
it went through, so that undo can paint the strokes left again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ERASER_SCALE = 2  # the eraser is twice as wide as the brush: rubbing out is coarser work


def paint_segment(canvas: np.ndarray, start: tuple[int, int], end: tuple[int, int], diameter: int, value: int) -> None:
    """Paint a round brush dragged in a straight line from `start` to `end` (x, y) into `canvas`.

    Every pixel within diameter/2 of the segment gets `value` (a capsule), so a stroke
    is continuous however far apart two mouse positions are; start == end paints a dot.
    Only the segment's bounding box is computed, in one pass of NumPy. An even
    diameter centres the brush on the corner of the mouse's pixel, so that the brush is
    exactly `diameter` pixels wide.
    """
    height, width = canvas.shape
    radius = diameter / 2
    shift = 0.5 if diameter % 2 == 0 else 0.0
    (ax, ay), (bx, by) = (start[0] - shift, start[1] - shift), (end[0] - shift, end[1] - shift)
    top, bottom = max(int(np.floor(min(ay, by) - radius)), 0), min(int(np.ceil(max(ay, by) + radius)) + 1, height)
    left, right = max(int(np.floor(min(ax, bx) - radius)), 0), min(int(np.ceil(max(ax, bx) + radius)) + 1, width)
    if top >= bottom or left >= right:
        return  # wholly outside the canvas
    ys = np.arange(top, bottom, dtype=np.float32)[:, None]
    xs = np.arange(left, right, dtype=np.float32)[None, :]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    # t: how far along the segment each pixel's nearest point lies, 0 at start, 1 at end.
    t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / length2, 0, 1) if length2 else 0.0
    off_x, off_y = xs - (ax + t * dx), ys - (ay + t * dy)
    canvas[top:bottom, left:right][off_x * off_x + off_y * off_y <= radius * radius] = value


@dataclass
class Stroke:
    """One press-drag-release of a mouse button: the points it went through, in canvas pixels."""

    value: int  # 255 draws ink, 0 erases
    diameter: int
    points: list[tuple[int, int]] = field(default_factory=list)

    def extend(self, canvas: np.ndarray, point: tuple[int, int]) -> None:
        """Add `point` to the stroke and paint the segment to it from the last point."""
        paint_segment(canvas, self.points[-1] if self.points else point, point, self.diameter, self.value)
        self.points.append(point)

    def paint(self, canvas: np.ndarray) -> None:
        """Paint the whole stroke again (to rebuild the canvas after an undo)."""
        for start, end in zip(self.points[:1] + self.points[:-1], self.points):
            paint_segment(canvas, start, end, self.diameter, self.value)
