"""The windows' fonts: pygame's own font at each size, each made once."""

from __future__ import annotations

import pygame


class Fonts:
    """pygame's default font at any size, made when first asked for: `fonts[22]`.

    A window makes one after `pygame.font.init()` and hands it to its views.
    """

    def __init__(self):
        self._fonts: dict[int, pygame.font.Font] = {}

    def __getitem__(self, size: int) -> pygame.font.Font:
        """The font `size` pixels high."""
        if size not in self._fonts:
            self._fonts[size] = pygame.font.Font(None, size)
        return self._fonts[size]
