"""The windows' help: their keys, in a box over the middle of the window (H or F1)."""

from __future__ import annotations

import pygame

from myonn.windows.palette import ANSWER_BAR, FRAME, PAPER, TEXT


def draw_help(surface: pygame.Surface, keys: list[tuple[str, str]], font: pygame.font.Font) -> None:
    """`keys`, (key, what it does) pairs, in two columns in a box over the middle of `surface`."""
    key_width = max(font.size(key)[0] for key, _ in keys) + 24
    line = font.get_linesize() + 4
    box = pygame.Rect(0, 0, key_width + max(font.size(what)[0] for _, what in keys) + 48, line * len(keys) + 32)
    box.center = surface.get_rect().center
    surface.fill(PAPER, box)
    pygame.draw.rect(surface, FRAME, box, 1)
    for row, (key, what) in enumerate(keys):
        y = box.top + 16 + row * line
        surface.blit(font.render(key, True, ANSWER_BAR), (box.left + 24, y))
        surface.blit(font.render(what, True, TEXT), (box.left + 24 + key_width, y))
