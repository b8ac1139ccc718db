"""The windows' help: their keys, in a box over the middle of the window (H or F1)."""

from __future__ import annotations

import pygame

from myonn.windows.fonts import Fonts
from myonn.windows.palette import ANSWER_BAR, FRAME, PAPER, TEXT

SMALLEST = 8  # the font size the box shrinks to at most, in a tiny window


def box_size(keys: list[tuple[str, str]], font: pygame.font.Font) -> tuple[int, int, int]:
    """The width of the keys' column, the height of a line, and the box's (width, height) for `keys` in `font`."""
    key_width = max(font.size(key)[0] for key, _ in keys) + 24
    line = font.get_linesize() + 4
    return key_width, line, (key_width + max(font.size(what)[0] for _, what in keys) + 48, line * len(keys) + 32)


def draw_help(surface: pygame.Surface, keys: list[tuple[str, str]], fonts: Fonts, size: int = 26) -> None:
    """`keys`, (key, what it does) pairs, in two columns in a box over the middle of `surface`.

    The text is `size` pixels high, or smaller in a window too small for the box.
    """
    room = surface.get_size()
    while True:
        font = fonts[size]
        key_width, line, (width, height) = box_size(keys, font)
        if size <= SMALLEST or (width <= room[0] and height <= room[1]):
            break
        size = max(SMALLEST, min(size - 1, int(size * min(room[0] / width, room[1] / height))))
    box = pygame.Rect(0, 0, width, height)
    box.center = surface.get_rect().center
    surface.fill(PAPER, box)
    pygame.draw.rect(surface, FRAME, box, 1)
    for row, (key, what) in enumerate(keys):
        y = box.top + 16 + row * line
        surface.blit(font.render(key, True, ANSWER_BAR), (box.left + 24, y))
        surface.blit(font.render(what, True, TEXT), (box.left + 24 + key_width, y))
