"""NumPy arrays of colours as pygame surfaces, and where a 28x28 image goes to stay crisp."""

from __future__ import annotations

import numpy as np
import pygame

SIDE = 28  # MNIST images are 28x28 pixels


def rgb_surface(colours: np.ndarray, size: tuple[int, int]) -> pygame.Surface:
    """A uint8 (rows, columns, 3) array of colours as a surface of `size`, each pixel a crisp block."""
    return pygame.transform.scale(pygame.surfarray.make_surface(colours.transpose(1, 0, 2)), size)


def grey_surface(images: np.ndarray) -> pygame.Surface:
    """A surface of one 2-D image of ink levels (0 to 255), shown black on white."""
    grey = np.clip(255 - np.rint(images), 0, 255).astype(np.uint8).T  # surfarray is (x, y)
    return pygame.surfarray.make_surface(np.repeat(grey[:, :, None], 3, axis=2))


def crisp_side(side: int) -> int:
    """`side`, rounded down to a whole multiple of 28 when that leaves it at least 28 (crisp pixels)."""
    return side // SIDE * SIDE if side >= SIDE else max(side, 1)


def digit_rect(area: pygame.Rect) -> pygame.Rect:
    """Where the digit goes in `area`: a square of a whole multiple of 28 pixels, centred."""
    side = max(1, min(area.width, area.height) // SIDE) * SIDE
    rect = pygame.Rect(0, 0, side, side)
    rect.center = area.center
    return rect
