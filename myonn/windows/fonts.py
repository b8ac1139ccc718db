"""The windows' fonts: pygame's own font at each size, each made once."""

from __future__ import annotations

import pygame

MAX_SIZES = 40  # sizes kept at most: resizing a window asks for ever new sizes

_quits = 0  # times pygame has quit: a font made before pygame.quit() crashes pygame if used after it


def _count_quit() -> None:
    global _quits
    _quits += 1
    pygame.register_quit(_count_quit)  # pygame forgets a quit function once it has called it


pygame.register_quit(_count_quit)


class Fonts:
    """pygame's default font at any size, made when first asked for: `fonts[22]`.

    A window makes one and hands it to its views; `fitted` shrinks a text to a width.
    """

    def __init__(self):
        self._fonts: dict[int, pygame.font.Font] = {}
        self._made_after = _quits

    def __getitem__(self, size: int) -> pygame.font.Font:
        """The font `size` pixels high."""
        if self._made_after != _quits:  # pygame quit (and maybe started again) since they were made
            self._fonts.clear()
            self._made_after = _quits
        if size not in self._fonts:
            if len(self._fonts) > MAX_SIZES:
                self._fonts.clear()
            if not pygame.font.get_init():
                pygame.font.init()
            self._fonts[size] = pygame.font.Font(None, size)  # pygame's own font: always there
        return self._fonts[size]

    def fitted(self, text: str, colour: tuple, size: int, max_width: int, min_size: int = 8) -> pygame.Surface:
        """`text` rendered at `size`, or smaller (down to `min_size`) so that it fits in `max_width`."""
        width = self[size].size(text)[0]
        if width <= max_width or max_width <= 0:
            return self[size].render(text, True, colour)
        # Guess the size from the widths' ratio, then step to the largest that fits: a font's
        # width does not shrink exactly in proportion to its size.
        fits = max(min_size, min(size - 1, int(size * max_width / width)))
        while fits < size - 1 and self[fits + 1].size(text)[0] <= max_width:
            fits += 1
        while fits > min_size and self[fits].size(text)[0] > max_width:
            fits -= 1
        return self[fits].render(text, True, colour)
