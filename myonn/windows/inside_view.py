"""The draw window's I view: inside the network, live, as the digit is drawn.

The hidden nodes lit by their outputs, the ten outputs, and the hidden nodes that
pushed the answer most, with their weights. Hovering over (or clicking) a hidden node
shows its weights large and its ten outgoing weights (`myonn.inside` computes them).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import ANSWER_BAR, BACKGROUND, FAINT, KNOCKED_OUT, LIT, PAPER, TEXT, UNLIT
from myonn.windows.pictures import rgb_surface
from myonn.windows.view import View


class InsideView(View):
    """I: the hidden nodes, the outputs, the strongest nodes, and the node under the pointer."""

    COLUMNS = 20  # hidden nodes a row in the grid
    CELL = 13  # screen pixels a hidden node
    STRONGEST = 5  # how many of the nodes that pushed the answer most are shown
    SMALL, LARGE = 48, 112  # sides of their weight pictures, and of the one hovered

    def __init__(self, network: NeuralNetwork, reading: Callable[[], Reading], fonts: Fonts, area: pygame.Rect):
        """The view of `network` reading `reading()`, in `area`, written in `fonts`."""
        self.network = network
        self.reading = reading
        self.fonts = fonts
        self.area = area
        self.hovered: int | None = None  # the hidden node under the pointer
        self.pinned: int | None = None  # the hidden node last clicked
        self._pictures: dict[int, pygame.Surface] = {}  # each node's weights at each size, made once

    @property
    def node(self) -> int | None:
        """The hidden node shown large: the one under the pointer, else the one last clicked."""
        return self.hovered if self.hovered is not None else self.pinned

    def grid_rect(self) -> pygame.Rect:
        """Where the grid of hidden nodes goes."""
        rows = -(-self.network.hnodes // self.COLUMNS)
        return pygame.Rect(self.area.left, self.area.top + 20, self.COLUMNS * self.CELL, rows * self.CELL)

    def cell_rect(self, node: int) -> pygame.Rect:
        """Where hidden node `node` is in the grid."""
        grid = self.grid_rect()
        row, column = divmod(node, self.COLUMNS)
        return pygame.Rect(grid.left + column * self.CELL, grid.top + row * self.CELL, self.CELL, self.CELL)

    def node_at(self, pos: tuple[int, int]) -> int | None:
        """The hidden node at window position `pos`, if any."""
        grid = self.grid_rect()
        if not grid.collidepoint(pos):
            return None
        node = (pos[1] - grid.top) // self.CELL * self.COLUMNS + (pos[0] - grid.left) // self.CELL
        return node if node < self.network.hnodes else None

    def hover(self, pos: tuple[int, int]) -> bool:
        """The pointer moved to `pos`; True when that changes what is shown."""
        node = self.node_at(pos)
        changed = node != self.hovered
        self.hovered = node
        return changed

    def click(self, pos: tuple[int, int]) -> bool:
        """A click at `pos`: a hidden node there stays shown large after the pointer leaves it."""
        node = self.node_at(pos)
        if node is None:
            return False
        self.pinned = node
        return True

    def forget_pictures(self) -> None:
        """The network's weights changed (a lesson): make the pictures again when next needed."""
        self._pictures.clear()

    def picture(self, node: int, side: int) -> pygame.Surface:
        """Hidden node `node`'s weights, red for positive and blue for negative, `side` pixels a side."""
        key = node * 1000 + side
        if key not in self._pictures:
            weights = inside.hidden_pictures(self.network)[node]
            self._pictures[key] = rgb_surface(inside.signed_rgb(weights), (side, side))
        return self._pictures[key]

    def strongest(self) -> np.ndarray:
        """The hidden nodes that pushed the answer most, strongest first."""
        reading = self.reading()
        return inside.strongest_hidden(self.network, reading.hidden_outputs, reading.answer, self.STRONGEST)

    def output_rects(self) -> list[pygame.Rect]:
        """Where the ten outputs go, under the grid."""
        top = self.grid_rect().bottom + 26
        width = self.area.width // 10
        return [pygame.Rect(self.area.left + digit * width, top, width - 2, 24) for digit in range(10)]

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The grid, the outputs, the strongest nodes and the node under the pointer."""
        reading = self.reading()
        self.draw_grid(surface, reading, area)
        self.draw_outputs(surface, reading, area)
        top = self.output_rects()[0].bottom + 8
        small = self.fonts[22]
        if reading.answer is None:
            surface.blit(small.render("draw a digit to see its nodes light up", True, FAINT), (area.left, top))
        else:
            surface.blit(small.render(f"the nodes that pushed {reading.answer} most", True, FAINT), (area.left, top))
            for place, node in enumerate(self.strongest()):
                x = area.left + place * (self.SMALL + 6)
                surface.blit(self.picture(node, self.SMALL), (x, top + 18))
                label = small.render(f"#{node}", True, TEXT)
                surface.blit(label, label.get_rect(midtop=(x + self.SMALL // 2, top + 20 + self.SMALL)))
        top += 18 + self.SMALL + 22
        if self.node is None:
            surface.blit(small.render("point at a node to see its weights", True, FAINT), (area.left, top))
            return
        self.draw_node(surface, reading, area, top)

    def draw_grid(self, surface: pygame.Surface, reading: Reading, area: pygame.Rect) -> None:
        """The hidden nodes, each a cell lit by its output (black when knocked out)."""
        grid, hnodes = self.grid_rect(), self.network.hnodes
        caption = "black: knocked out (K)" if reading.silenced.any() else f"{hnodes} hidden nodes, lit by their output"
        surface.blit(self.fonts[22].render(caption, True, FAINT), (area.left, area.top))
        outputs = reading.hidden_outputs if reading.hidden_outputs is not None else np.zeros(hnodes, np.float32)
        cells = np.zeros((grid.height // self.CELL) * self.COLUMNS, np.float32)
        cells[: len(outputs)] = outputs
        colours = np.asarray(UNLIT, np.float32) + cells[:, None] * (np.subtract(LIT, UNLIT, dtype=np.float32))
        colours[: len(outputs)][reading.silenced] = KNOCKED_OUT
        colours[len(outputs) :] = BACKGROUND
        surface.blit(rgb_surface(np.rint(colours).astype(np.uint8).reshape(-1, self.COLUMNS, 3), grid.size), grid)
        for x in range(grid.left, grid.right + 1, self.CELL):  # a line of background between the nodes
            pygame.draw.line(surface, BACKGROUND, (x, grid.top), (x, grid.bottom))
        for y in range(grid.top, grid.bottom + 1, self.CELL):
            pygame.draw.line(surface, BACKGROUND, (grid.left, y), (grid.right, y))
        if self.node is not None:
            pygame.draw.rect(surface, ANSWER_BAR, self.cell_rect(self.node).inflate(2, 2), width=2)

    def draw_outputs(self, surface: pygame.Surface, reading: Reading, area: pygame.Rect) -> None:
        """The ten outputs, each coloured by its probability, the answer framed."""
        small = self.fonts[22]
        surface.blit(small.render("the ten outputs", True, FAINT), (area.left, self.grid_rect().bottom + 8))
        for digit, rect in enumerate(self.output_rects()):
            share = 0.0 if reading.probabilities is None else float(reading.probabilities[digit])
            pygame.draw.rect(surface, tuple(int(255 + (c - 255) * share) for c in ANSWER_BAR), rect)
            if digit == reading.answer:
                pygame.draw.rect(surface, TEXT, rect, width=2)
            name = small.render(str(digit), True, PAPER if share > 0.5 else TEXT)
            surface.blit(name, name.get_rect(center=rect.center))

    def draw_node(self, surface: pygame.Surface, reading: Reading, area: pygame.Rect, top: int) -> None:
        """The node shown large: its weights from each pixel, and to each output."""
        node = self.node
        output = (
            "knocked out"
            if reading.silenced[node]
            else ("" if reading.hidden_outputs is None else f"output {reading.hidden_outputs[node]:.2f}")
        )
        surface.blit(self.fonts[22].render(f"node #{node}  {output}", True, TEXT), (area.left, top))
        surface.blit(self.picture(node, self.LARGE), (area.left, top + 18))
        # Its ten outgoing weights, as bars left (negative) or right (positive) of a middle line.
        weights = self.network.who[:, node]
        left = area.left + self.LARGE + 24
        middle, reach = left + (area.right - left) // 2, (area.right - left) // 2 - 4
        row = self.LARGE // 10
        scale = reach / max(float(np.abs(weights).max()), 1e-6)
        for digit, weight in enumerate(weights):
            y = top + 18 + digit * row
            name = self.fonts[15].render(str(digit), True, TEXT)  # 11 pixels apart: a tiny font
            surface.blit(name, name.get_rect(midright=(left - 6, y + row // 2 - 1)))
            length = int(round(weight * scale))
            colour = inside.POSITIVE if weight > 0 else inside.NEGATIVE
            pygame.draw.rect(surface, colour, pygame.Rect(min(middle, middle + length), y, abs(length), row - 2))
        pygame.draw.line(surface, FAINT, (middle, top + 18), (middle, top + 18 + self.LARGE))
