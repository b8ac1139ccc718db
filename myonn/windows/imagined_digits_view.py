"""B in the browser: what the network imagines for each digit, beside the set's average of each."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, LABEL_COLOUR, TRACK
from myonn.windows.pictures import crisp_side, grey_surface
from myonn.windows.view import View


class ImaginedDigits(View):
    """B: what the network imagines for each digit (its backquery) above the set's average of each digit."""

    def __init__(self, network: NeuralNetwork, shown: Callable[[], Shown], fonts: Fonts, busy: Callable[[str], None]):
        """The view of what `network` imagines and of `shown()`'s set, in `fonts`; `busy` is told before averaging."""
        self.network = network
        self.shown = shown
        self.fonts = fonts
        self.busy = busy
        self._imagined: np.ndarray | None = None  # once per network: it never changes in a browser
        self._averages: dict[str, np.ndarray] = {}  # once per set

    def press(self, key: int, text: str = "") -> bool:
        """This screen has no keys of its own: every key does what it does elsewhere."""
        return False

    def prepare(self) -> None:
        """Compute what the set shown needs, before it is drawn (averaging a set takes a second or two)."""
        self.imagined()
        self.averages()

    def ready(self) -> bool:
        """Whether `draw` can draw at once."""
        return self._imagined is not None and self.shown().set_name in self._averages

    def imagined(self) -> np.ndarray:
        """The ten backquery images, uint8 (10, 28, 28)."""
        if self._imagined is None:
            self._imagined = np.stack([self.network.backquery(digit) for digit in range(10)])
        return self._imagined

    def averages(self) -> np.ndarray:
        """Each digit's average image in the set shown, straightened as the network sees it."""
        shown = self.shown()
        name = shown.set_name
        if name not in self._averages:
            self.busy(f"averaging the {name} set's digits...")
            self._averages[name] = inside.average_digits(self.network, shown.images, shown.labels)
        return self._averages[name]

    def layout(self, area: pygame.Rect) -> tuple[int, list[tuple[pygame.Rect, pygame.Rect]]]:
        """The text size, and where each digit's two pictures go, in the grid of pairs that shows them largest."""
        gap, text_size = max(4, area.width // 80), max(10, min(26, area.height // 20))
        grid = pygame.Rect(area.left, area.top + 2 * text_size + gap, area.width, area.height - 2 * text_size - gap)
        tile, columns = max(
            (
                min(
                    (grid.width - gap) // columns // 2 - gap, (grid.height - gap) // -(-10 // columns) - text_size - gap
                ),
                columns,
            )
            for columns in (1, 2, 3, 4, 5, 10)
        )
        tile = crisp_side(max(tile, 1))
        pair_width = 2 * tile + 3 * gap
        left = grid.centerx - columns * pair_width // 2
        pairs = []
        for digit in range(10):
            x = left + (digit % columns) * pair_width + gap
            y = grid.top + (digit // columns) * (tile + text_size + gap) + text_size
            pairs.append((pygame.Rect(x, y, tile, tile), pygame.Rect(x + tile + gap, y, tile, tile)))
        return text_size, pairs

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Each digit's pair: imagined on the left, average on the right."""
        text_size, pairs = self.layout(area)
        for row, line in enumerate(
            (
                "left: what the network imagines for the digit (backquery)",
                f"right: the average {self.shown().set_name} digit, straightened as the network sees it",
            )
        ):
            caption = self.fonts.fitted(line, BROWSER_FAINT, text_size, area.width - 8)
            surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 2 + row * text_size)))
        for digit, rects in enumerate(pairs):
            name = self.fonts.fitted(str(digit), LABEL_COLOUR, text_size, rects[1].right - rects[0].left)
            surface.blit(name, name.get_rect(midbottom=((rects[0].right + rects[1].left) // 2, rects[0].top + 2)))
            for rect, image in zip(rects, (self.imagined()[digit], self.averages()[digit])):
                surface.blit(pygame.transform.scale(grey_surface(image), rect.size), rect)
                pygame.draw.rect(surface, TRACK, rect.inflate(2, 2), width=1)
