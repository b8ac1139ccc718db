"""The browser's first two views: the digit itself, and SPACE's label over it."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, LABEL_COLOUR
from myonn.windows.pictures import digit_rect
from myonn.windows.view import View


class DigitView(View):
    """The image shown, black ink on white, as large as whole pixels fit: every MNIST pixel a crisp square."""

    def __init__(self, shown: Callable[[], Shown]):
        """The view of `shown().image`."""
        self.shown = shown
        self._cache: tuple[tuple, pygame.Surface] | None = None  # the image last scaled, and its size

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The image, as large as whole pixels fit in `area`, centred."""
        shown, rect = self.shown(), digit_rect(area)
        key = (shown.set_name, shown.index, rect.width)
        if self._cache is None or self._cache[0] != key:
            # Ink is 255 in MNIST: show it black on white, as on paper. surfarray is (x, y).
            grey = (255 - shown.image).T
            small = pygame.surfarray.make_surface(np.repeat(grey[:, :, None], 3, axis=2))
            # A whole-number nearest-neighbour scale keeps every MNIST pixel a crisp square.
            self._cache = key, pygame.transform.scale(small, rect.size)
        surface.blit(self._cache[1], rect)


class LabelView(View):
    """SPACE: the label a person gave the image shown, in big type."""

    def __init__(self, shown: Callable[[], Shown], fonts: Fonts):
        """The view of `shown().label`, written in `fonts`."""
        self.shown = shown
        self.fonts = fonts

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """A small caption, and the label as high as `area` allows."""
        caption = self.fonts.fitted("label", BROWSER_FAINT, max(12, area.height // 14), area.width)
        surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + area.height // 30)))
        big = self.fonts.fitted(str(self.shown().label), LABEL_COLOUR, int(area.height * 0.95), area.width)
        surface.blit(big, big.get_rect(center=(area.centerx, area.centery + area.height // 20)))
