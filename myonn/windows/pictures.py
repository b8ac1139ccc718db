"""NumPy arrays of colours as pygame surfaces."""

from __future__ import annotations

import numpy as np
import pygame


def rgb_surface(colours: np.ndarray, size: tuple[int, int]) -> pygame.Surface:
    """A uint8 (rows, columns, 3) array of colours as a surface of `size`, each pixel a crisp block."""
    return pygame.transform.scale(pygame.surfarray.make_surface(colours.transpose(1, 0, 2)), size)
