"""The real drawings the benchmarks measure on: ../shared/drawn_dev, digits people wrote with a pen.

2,314 digits by 239 writers on pen tablets and pen screens (UNIPEN; its README.md
says where they come from), each a 280x280 canvas exactly as the drawing window
hands one to `myonn.preprocess.to_mnist`. A measure only: nothing here trains on them.

    from drawn_dev import DRAWN_DEV, load
    drawings = load(DRAWN_DEV)       # None when the folder is not there
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.errors import MyonnError  # noqa: E402
from myonn.preprocess import to_mnist  # noqa: E402

# Beside the project's folder, where the project's own machines keep it.
DRAWN_DEV = paths.PROJECT.parent / "shared" / "drawn_dev"


@dataclass
class Drawings:
    """The drawings and what is known of each: one entry per drawing, in the index's order."""

    canvases: np.ndarray  # uint8 (n, 280, 280), ink 255 on 0
    labels: np.ndarray  # the digit written
    sources: np.ndarray  # the UNIPEN contributor, e.g. "unipen-ced"
    writers: np.ndarray  # an anonymised writer ID, e.g. "ced-w07"
    pen_radius: np.ndarray  # the pen's radius on the canvas, pixels

    def prepared(self) -> np.ndarray:
        """Each canvas as the network gets it from the drawing window: `to_mnist`, uint8 (n, 28, 28)."""
        return np.stack([to_mnist(canvas) for canvas in self.canvases])

    def heights(self) -> np.ndarray:
        """Each drawing's height on its canvas, in pixels (its ink's top row to its bottom row)."""
        rows = self.canvases.any(axis=2)
        return (rows.shape[1] - rows[:, ::-1].argmax(axis=1)) - rows.argmax(axis=1)


def load(folder: Path) -> Drawings | None:
    """The drawings in `folder` (drawn_dev.npz and drawn_dev_index.csv), or None if it is not there."""
    if not (folder / "drawn_dev.npz").exists():
        return None
    try:
        with np.load(folder / "drawn_dev.npz") as data:
            canvases, labels, sources = data["canvases"], data["labels"], data["source"]
        with open(folder / "drawn_dev_index.csv", newline="") as file:
            rows = sorted(csv.DictReader(file), key=lambda row: int(row["index"]))
    except (OSError, KeyError, ValueError) as error:
        raise MyonnError(f"{folder}: cannot read the drawings ({error})") from None
    if len(rows) != len(labels):
        raise MyonnError(f"{folder}: the index lists {len(rows)} drawings, the archive holds {len(labels)}")
    radius_column = next(name for name in rows[0] if "radius" in name)
    return Drawings(
        canvases,
        labels.astype(np.int64),
        sources,
        np.array([row["writer"] for row in rows]),
        np.array([float(row[radius_column]) for row in rows]),
    )
