"""M in the browser: the confusion matrix, and the images of one of its cells (a Selection)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn.training import confusion_matrix
from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, LABEL_COLOUR, RIGHT, TEXT, TRACK, WRONG
from myonn.windows.view import View


class Selection:
    """Some images of a set (one cell of the confusion matrix: "the 4s it reads as 9"), browsed in order."""

    def __init__(self, indices: np.ndarray, name: str):
        """`indices`: the images' 0-based positions in their set, ascending, at least one."""
        self.indices = np.asarray(indices)
        self.name = name

    def step(self, index: int, delta: int) -> int:
        """The image `delta` places on from `index` among the selection, stopping at either end."""
        position = int(np.searchsorted(self.indices, index))
        return int(self.indices[min(max(position + delta, 0), len(self.indices) - 1)])

    def position_text(self, index: int) -> str:
        """Where `index` is among the selection, as the status line says it: `4 read as 9: 2 of 7`."""
        return f"{self.name}: {int(np.searchsorted(self.indices, index)) + 1} of {len(self.indices)}"


class ConfusionMatrix(View):
    """M: how often each digit (row) is read as each digit (column) in the set shown.

    The arrow keys choose a cell; ENTER browses exactly its images ("the 4s it reads
    as 9") with the usual keys, and ESC comes back here.
    """

    MOVES = {pygame.K_UP: (-1, 0), pygame.K_DOWN: (1, 0), pygame.K_LEFT: (0, -1), pygame.K_RIGHT: (0, 1)}

    def __init__(
        self,
        shown: Callable[[], Shown],
        fonts: Fonts,
        browse: Callable[[Selection], None],
        tell: Callable[[str], None],
    ):
        """The matrix of `shown()`'s set and readings, in `fonts`; ENTER hands a cell's images to `browse`.

        `tell` puts a message on the status line (a cell with no images).
        """
        self.shown = shown
        self.fonts = fonts
        self.browse = browse
        self.tell = tell
        self.cell: tuple[int, int] | None = None  # (true digit, digit read); first the commonest mistake
        self._matrices: dict[str, np.ndarray] = {}

    def prepare(self) -> None:
        """The network has read the set: the counts follow at once."""
        self.matrix()

    def ready(self) -> bool:
        """Whether the network has read the set shown."""
        return self.shown().readings is not None

    def matrix(self) -> np.ndarray:
        """The counts: row = the label, column = the network's reading (int (10, 10))."""
        shown = self.shown()
        if shown.set_name not in self._matrices:
            self._matrices[shown.set_name] = confusion_matrix(shown.labels, shown.readings.argmax(axis=1))
        return self._matrices[shown.set_name]

    def chosen(self) -> tuple[int, int]:
        """The cell chosen: at first the commonest mistake."""
        if self.cell is None:
            mistakes = self.matrix() * (1 - np.eye(10, dtype=int))
            self.cell = tuple(int(i) for i in np.unravel_index(mistakes.argmax(), mistakes.shape))
        return self.cell

    def images(self) -> np.ndarray:
        """The 0-based indices of the set's images in the chosen cell, ascending."""
        label, reading = self.chosen()
        shown = self.shown()
        return np.flatnonzero((shown.labels == label) & (shown.readings.argmax(axis=1) == reading))

    def press(self, key: int, text: str = "") -> bool:
        """Arrows choose a cell, ENTER browses its images; the rest is the browser's."""
        if key in self.MOVES:
            (row, column), (down, right) = self.chosen(), self.MOVES[key]
            self.cell = (min(max(row + down, 0), 9), min(max(column + right, 0), 9))
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            label, reading = self.chosen()
            indices = self.images()
            if len(indices) == 0:
                self.tell(f"no {label} is read as {reading} in the {self.shown().set_name} set")
            else:
                self.browse(Selection(indices, f"{label}s read as {reading}"))
            return True
        return pygame.K_0 <= key <= pygame.K_9  # typed numbers mean nothing here

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The ten by ten counts, mistakes in red, right readings in green, the chosen cell framed."""
        fonts, matrix = self.fonts, self.matrix()
        label, reading = self.chosen()
        text_size = max(10, min(26, area.height // 22))
        cell = max(min((area.width - 8) // 11, (area.height - 3 * text_size - 8) // 11), 4)
        left = area.centerx - 11 * cell // 2 + cell  # one column of row names on the left
        top = area.top + text_size + 4 + cell  # one row of column names on top
        caption = fonts.fitted(
            "rows: the true digit; columns: what the network reads", BROWSER_FAINT, text_size, area.width - 8
        )
        surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 2)))
        font = fonts[max(8, min(int(cell * 0.45), 30))]
        totals = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        for digit in range(10):
            for text, centre in (
                (str(digit), (left + digit * cell + cell // 2, top - cell // 2)),
                (str(digit), (left - cell // 2, top + digit * cell + cell // 2)),
            ):
                name = font.render(text, True, LABEL_COLOUR)
                surface.blit(name, name.get_rect(center=centre))
        for row in range(10):
            for column in range(10):
                rect = pygame.Rect(left + column * cell, top + row * cell, cell, cell)
                share = matrix[row, column] / totals[row, 0]
                # Mistakes are rare: their colour grows with the square root of their share, to show.
                strength = share if row == column else min(1.0, float(np.sqrt(share) * 3))
                colour = RIGHT if row == column else WRONG
                pygame.draw.rect(surface, tuple(int(255 + (c - 255) * strength * 0.6) for c in colour), rect)
                pygame.draw.rect(surface, TRACK, rect, width=1)
                if matrix[row, column]:
                    count = font.render(str(matrix[row, column]), True, TEXT)
                    if count.get_width() > cell - 2:
                        count = pygame.transform.smoothscale(
                            count, (cell - 2, count.get_height() * (cell - 2) // count.get_width())
                        )
                    surface.blit(count, count.get_rect(center=rect.center))
        chosen = pygame.Rect(left + reading * cell, top + label * cell, cell, cell)
        pygame.draw.rect(surface, LABEL_COLOUR, chosen.inflate(4, 4), width=3)
        count = int(matrix[label, reading])
        what = "read right" if label == reading else f"read as {reading}"
        hint = f"{count} {label}s {what}" + ("; ENTER shows them, ESC comes back" if count else "")
        line = fonts.fitted(hint, TEXT, text_size, area.width - 8)
        surface.blit(line, line.get_rect(midtop=(area.centerx, top + 10 * cell + 4)))
