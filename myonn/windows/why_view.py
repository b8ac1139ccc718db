"""The draw window's W view: why the network gave its answer.

Over the 28x28 image it got, the pixels that argued for the answer (red) and those
that argued against it (blue), as `myonn.inside.why_of` measures them.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.preprocess import SIZE
from myonn.answer import whole_percentages
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import FAINT, FRAME, PAPER, TEXT
from myonn.windows.pictures import rgb_surface
from myonn.windows.view import View


class WhyView(View):
    """W: the pixels for and against the answer, over the image the network got."""

    SCALE = 9  # the 28x28 map is shown 252x252

    def __init__(self, network: NeuralNetwork, reading: Callable[[], Reading], fonts: Fonts, area: pygame.Rect):
        """The view of `network` reading `reading()`, in `area`, written in `fonts`."""
        self.network = network
        self.reading = reading
        self.fonts = fonts
        self.area = area

    def colours(self) -> np.ndarray:
        """The map as colours over the faint grey ink of the image: uint8 (28, 28, 3)."""
        reading = self.reading()
        active = inside.Activations(reading.seen, reading.hidden_outputs, reading.probabilities)
        arguments = inside.why_of(self.network, active)
        # Full colour from the 95th percentile of the inked pixels' arguments up: a few strong
        # pixels would otherwise leave the rest too pale to see.
        strength = np.abs(arguments[reading.seen > 0])
        limit = float(np.percentile(strength, 95)) if strength.size else None
        colours = inside.signed_rgb(arguments, limit=limit or None).astype(np.float32)
        colours *= 1 - 0.3 * reading.seen[:, :, None] / 255.0  # the ink shows through, faintly
        return np.rint(colours).astype(np.uint8)

    def map_rect(self) -> pygame.Rect:
        """Where the map goes."""
        side = SIZE * self.SCALE
        return pygame.Rect(self.area.left, self.area.top + 44, side, side)

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The map, with what its colours mean."""
        reading, small = self.reading(), self.fonts[22]
        answer, rect = reading.answer, self.map_rect()
        if answer is None:
            surface.blit(small.render("why: draw a digit first", True, FAINT), (area.left, area.top))
            surface.fill(PAPER, rect)
            return
        title = f"why it reads {answer} ({whole_percentages(reading.probabilities)[answer]}%)"
        # Each line made smaller where it would run past the panel's edge (`Fonts.fitted`).
        surface.blit(self.fonts.fitted(title, TEXT, 26, area.width), (area.left, area.top))
        subtitle = self.fonts.fitted("over the 28x28 image the network gets", FAINT, 22, area.width)
        surface.blit(subtitle, (area.left, area.top + 22))
        surface.blit(rgb_surface(self.colours(), rect.size), rect)
        pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)
        for row, (colour, words) in enumerate(
            (
                (inside.POSITIVE, f"red: these pixels argued for {answer}"),
                (inside.NEGATIVE, "blue: these argued against it"),
            )
        ):
            y = rect.bottom + 12 + row * 24
            pygame.draw.rect(surface, colour, (area.left, y + 2, 14, 14))
            surface.blit(self.fonts.fitted(words, TEXT, 22, area.width - 22), (area.left + 22, y))
        hint = "try rubbing out a red part (right button)"
        surface.blit(self.fonts.fitted(hint, FAINT, 22, area.width), (area.left, rect.bottom + 64))
