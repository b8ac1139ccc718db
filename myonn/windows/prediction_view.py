"""P in the browser: the digit beside what the network reads there, its ten outputs as bars."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn.answer import clear_answer
from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BAR, RIGHT, TEXT, TRACK, WRONG
from myonn.windows.view import View


def shown_percent(probability: float) -> float:
    """A probability in percent, rounded as the window shows it: 0.99949 -> 99.9."""
    return round(float(probability) * 100, 1)


def percent(probability: float) -> str:
    """A probability as the window shows it, in the headline and on the bars alike: `99.9%`."""
    return f"{shown_percent(probability):.1f}%"


def headline(outputs: np.ndarray, label: int) -> str:
    """Above the bars: what the network reads (or that it is not sure), and whether that is right."""
    guess = int(outputs.argmax())
    if clear_answer(outputs, [shown_percent(p) for p in outputs]) is None:
        return f"not sure: maybe {guess} ({percent(outputs[guess])}), label {label}"
    return f"reads {guess} ({percent(outputs[guess])}), label {label}: {'right' if guess == label else 'wrong'}"


class PredictionView(View):
    """P: the image shown beside (or above) the network's ten outputs for it, the answer green or red."""

    def __init__(
        self, shown: Callable[[], Shown], fonts: Fonts, draw_digit: Callable[[pygame.Surface, pygame.Rect], None]
    ):
        """The view of `shown()`'s image and readings, written in `fonts`; `draw_digit` draws the image."""
        self.shown = shown
        self.fonts = fonts
        self.draw_digit = draw_digit

    def ready(self) -> bool:
        """Whether the network has read the set shown."""
        return self.shown().readings is not None

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The digit beside the bars when `area` is wide, above them when it is tall."""
        if area.width >= area.height * 1.25:
            side = min(area.height, int(area.width * 0.55))
            digit_area = pygame.Rect(area.left, area.top, side, area.height)
            panel = pygame.Rect(digit_area.right, area.top, area.width - side, area.height)
        else:
            panel_height = int(area.height * 0.42)
            digit_area = pygame.Rect(area.left, area.top, area.width, area.height - panel_height)
            panel = pygame.Rect(area.left, digit_area.bottom, area.width, panel_height)
        self.draw_digit(surface, digit_area)
        shown = self.shown()
        self.draw_bars(surface, panel, shown.readings[shown.index], shown.label)

    def draw_bars(self, surface: pygame.Surface, panel: pygame.Rect, outputs: np.ndarray, label: int) -> None:
        """The headline, and under it one bar a digit: the network's `outputs` for an image of `label`."""
        guess = int(outputs.argmax())
        panel = panel.inflate(-min(24, panel.width // 10), -min(12, panel.height // 10))
        heading = self.fonts.fitted(
            headline(outputs, label),
            RIGHT if guess == label else WRONG,
            max(10, min(44, panel.height // 7)),
            panel.width,
        )
        surface.blit(heading, heading.get_rect(midtop=(panel.centerx, panel.top)))

        rows = pygame.Rect(panel.left, panel.top + heading.get_height() + 4, panel.width, 0)
        rows.height = max(panel.bottom - rows.top, 0)
        row_height = rows.height / 10
        font = self.fonts[max(8, min(34, int(row_height * 0.95)))]
        digit_width = font.size("0")[0] + 8
        percent_width = font.size("100.0%")[0] + 6
        bar_width = max(rows.width - digit_width - percent_width, 1)
        for digit in range(10):
            top = rows.top + digit * row_height
            track = pygame.Rect(rows.left + digit_width, top + row_height * 0.15, bar_width, row_height * 0.7)
            pygame.draw.rect(surface, TRACK, track)
            colour = (RIGHT if digit == label else WRONG) if digit == guess else BAR
            pygame.draw.rect(surface, colour, (track.left, track.top, round(bar_width * outputs[digit]), track.height))
            if digit == label and guess != label:
                pygame.draw.rect(surface, RIGHT, track, width=2)  # where the answer should have been
            name = font.render(str(digit), True, RIGHT if digit == label else TEXT)
            surface.blit(name, name.get_rect(midleft=(rows.left, track.centery)))
            share = font.render(percent(outputs[digit]), True, TEXT)
            surface.blit(share, share.get_rect(midright=(rows.right, track.centery)))
