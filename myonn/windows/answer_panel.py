"""Beside the draw window's canvas: the 28x28 image the network gets, its answer big, and ten bars.

The bars' percentages are whole numbers that add up to exactly 100 (`myonn.answer.whole_percentages`).
"""

from __future__ import annotations

from typing import Callable

import pygame

from myonn.answer import whole_percentages
from myonn.preprocess import SIZE
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import ANSWER_BAR, FAINT, FRAME, OTHER_BAR, PAPER, TEXT
from myonn.windows.view import View

PREVIEW_SCALE = 5  # the 28x28 preview is shown 140x140


def grey_palette_surface(side: int) -> pygame.Surface:
    """An 8-bit surface `side` pixels a side on which value 255 (ink) shows black and 0 white."""
    surface = pygame.Surface((side, side), depth=8)
    surface.set_palette([(255 - i,) * 3 for i in range(256)])
    return surface


class AnswerPanel(View):
    """The answer view: the preview of what the network gets, the digit it reads, and ten bars."""

    def __init__(self, reading: Callable[[], Reading], fonts: Fonts, area: pygame.Rect):
        """The panel in `area`, showing `reading()` in `fonts`."""
        self.reading = reading
        self.fonts = fonts
        self.area = area
        side = SIZE * PREVIEW_SCALE
        self.preview_rect = pygame.Rect(area.left, area.top + 22, side, side)
        self.preview_surface = grey_palette_surface(SIZE)

    def bar_rects(self) -> list[pygame.Rect]:
        """Where the bars of the digits 0 to 9 go, each at its full length (100%)."""
        left, top, row = self.preview_rect.x + 22, self.preview_rect.bottom + 24, 26
        return [pygame.Rect(left, top + digit * row, self.area.width - 22 - 52, row - 6) for digit in range(10)]

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The preview, the answer and its caption, and the bars."""
        reading, small = self.reading(), self.fonts[22]
        preview = self.preview_rect
        surface.blit(small.render("the network sees", True, FAINT), (area.left, area.top))
        if reading.seen is not None:
            pygame.surfarray.blit_array(self.preview_surface, reading.seen.T)
            # transform.scale is nearest-neighbour: each MNIST pixel stays a crisp square.
            surface.blit(pygame.transform.scale(self.preview_surface, preview.size), preview)
        else:
            surface.fill(PAPER, preview)
        pygame.draw.rect(surface, FRAME, preview.inflate(2, 2), 1)
        self.draw_answer(surface, reading, area)
        self.draw_bars(surface, reading, area)

    def draw_answer(self, surface: pygame.Surface, reading: Reading, area: pygame.Rect) -> None:
        """The digit read, big, with a word above it: or "?" when it is too small or not sure."""
        answer_left = self.preview_rect.right + 16
        if reading.probabilities is None:
            caption = "" if not reading.canvas.any() else "SPACE reads it"
        else:
            caption = "it reads" if reading.is_read else "live guess"
            doubt = reading.doubt
            if doubt is not None:
                caption = "draw it larger" if doubt == "small" else "not sure"
            shown = "?" if doubt is not None else str(reading.answer)
            digit = self.fonts[200].render(shown, True, TEXT if reading.is_read else FAINT)
            surface.blit(digit, digit.get_rect(midtop=(answer_left + 50, self.preview_rect.top - 4)))
        surface.blit(self.fonts[22].render(caption, True, FAINT), (answer_left, area.top))

    def draw_bars(self, surface: pygame.Surface, reading: Reading, area: pygame.Rect) -> None:
        """Ten bars, one per digit, the percentages adding up to 100."""
        medium = self.fonts[26]
        percents = whole_percentages(reading.probabilities) if reading.probabilities is not None else [None] * 10
        for digit, (bar, percent) in enumerate(zip(self.bar_rects(), percents)):
            surface.blit(medium.render(str(digit), True, TEXT), (area.left, bar.y + 2))
            pygame.draw.rect(surface, PAPER, bar)
            if percent is not None:
                colour = ANSWER_BAR if digit == reading.answer else OTHER_BAR
                pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * percent / 100), bar.height))
                label = medium.render(f"{percent}%", True, TEXT)
                surface.blit(label, label.get_rect(topright=(area.right, bar.y + 2)))
