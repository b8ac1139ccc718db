"""G in the browser: each hidden node's weights as a picture, the image's favourite nodes framed."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import MARK_TEXT, TEXT
from myonn.windows.view import View


class HiddenNodes(View):
    """G: each hidden node's incoming weights as a 28x28 picture; the image's favourite nodes framed.

    Red where ink excites the node, blue where ink calms it, white where it does not
    matter (`myonn.inside.signed_rgb`), each picture scaled to its own strongest weight.
    """

    MARKED = 10  # how many of the nodes the image excites most are framed
    MARK = (20, 135, 60)

    def __init__(
        self,
        network: NeuralNetwork,
        shown: Callable[[], Shown],
        fonts: Fonts,
        draw_digit: Callable[[pygame.Surface, pygame.Rect], None],
    ):
        """The view of `network`'s hidden nodes and `shown()`'s image, in `fonts`; `draw_digit` draws the image."""
        self.network = network
        self.shown = shown
        self.fonts = fonts
        self.draw_digit = draw_digit
        self._pictures: list[pygame.Surface] | None = None  # once per network
        self._gallery: tuple[tuple, pygame.Surface] | None = None  # the scaled grid, once per size
        self._marked: tuple[tuple, np.ndarray] | None = None  # once per image

    def press(self, key: int, text: str = "") -> bool:
        """No keys of its own: the arrows still move through the images, and the frames follow."""
        return False

    def prepare(self) -> None:
        """Nothing slow to do: the pictures are made on the first draw, in a few milliseconds."""

    def ready(self) -> bool:
        """Always: every image's activations take a fraction of a millisecond."""
        return True

    def marked(self) -> np.ndarray:
        """The nodes the image shown excites most (the largest hidden outputs), most excited first."""
        shown = self.shown()
        key = (shown.set_name, shown.index)
        if self._marked is None or self._marked[0] != key:
            hidden_outputs = inside.activations(self.network, shown.image).hidden_outputs
            self._marked = key, np.argsort(-hidden_outputs, kind="stable")[: self.MARKED]
        return self._marked[1]

    def layout(self, area: pygame.Rect) -> tuple[pygame.Rect, list[pygame.Rect]]:
        """Where the image goes (a band at the top) and each node's picture (a grid below)."""
        count = self.network.hnodes
        band = pygame.Rect(area.left, area.top, area.width, max(area.height // 5, 1))
        grid = pygame.Rect(area.left + 4, band.bottom + 4, area.width - 8, max(area.bottom - band.bottom - 8, 1))
        # The number of columns that makes the pictures largest.
        tile, columns = max(
            (min(grid.width // columns, grid.height // -(-count // columns)), columns)
            for columns in range(1, count + 1)
        )
        tile = max(tile, 2)
        left = grid.centerx - columns * tile // 2
        tiles = [
            pygame.Rect(left + (n % columns) * tile, grid.top + (n // columns) * tile, tile, tile) for n in range(count)
        ]
        return band, tiles

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The image and a caption above the grid of pictures; the favourites framed."""
        band, tiles = self.layout(area)
        self.draw_digit(surface, pygame.Rect(band.left, band.top, band.height, band.height))
        size = max(10, min(24, band.height // 4))
        lines = [
            f"{len(tiles)} hidden nodes, each one's weights",
            "red: ink there excites the node; blue: ink there calms it",
            f"framed: the {min(self.MARKED, len(tiles))} nodes this image excites most",
        ]
        for row, line in enumerate(lines):
            text = self.fonts.fitted(line, MARK_TEXT if row == 2 else TEXT, size, band.width - band.height - 16)
            surface.blit(text, (band.left + band.height + 8, band.top + 4 + row * int(size * 1.2)))
        key = (area.size, tiles[0].width)
        if self._gallery is None or self._gallery[0] != key:
            self._gallery = key, self._render_gallery(area, tiles)
        surface.blit(self._gallery[1], area.topleft)
        for node in self.marked():
            pygame.draw.rect(surface, self.MARK, tiles[node], width=max(2, tiles[node].width // 10))

    def _render_gallery(self, area: pygame.Rect, tiles: list[pygame.Rect]) -> pygame.Surface:
        if self._pictures is None:
            pictures = inside.hidden_pictures(self.network)
            limits = np.abs(pictures).max(axis=(1, 2), keepdims=True)
            colours = inside.signed_rgb(pictures, limit=limits)
            self._pictures = [pygame.surfarray.make_surface(picture.transpose(1, 0, 2)) for picture in colours]
        gallery = pygame.Surface(area.size, pygame.SRCALPHA)
        inner = max(tiles[0].width - 2, 1)  # a pixel of background between pictures
        for picture, tile in zip(self._pictures, tiles):
            gallery.blit(
                pygame.transform.scale(picture, (inner, inner)), (tile.left + 1 - area.left, tile.top + 1 - area.top)
            )
        return gallery
