"""The browser's status bar: two lines under the picture, and the hint that H lists the keys."""

from __future__ import annotations

from typing import Callable

import pygame

from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, MESSAGE_COLOUR, STATUS_BACKGROUND, TEXT
from myonn.windows.view import View

STATUS_HEIGHT = 52  # two lines of text
MIN_WIDTH = 420  # the window is at least this wide (a small --scale), so that both lines can be read
GAP = "    "  # between the parts of the first line


class StatusBar(View):
    """The first line: where we are and what is on, in parts; the second: news, in colour, or a note in grey."""

    def __init__(self, fonts: Fonts, lines: Callable[[], tuple[str, str]], news: Callable[[], bool]):
        """A bar showing `lines()`, written in `fonts`; `news()` says whether the second line is news."""
        self.fonts = fonts
        self.lines = lines
        self.news = news

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The two lines in `area`, the hint right of the first if there is room."""
        fonts, bar = self.fonts, area
        surface.fill(STATUS_BACKGROUND, bar)
        first, second = self.lines()
        hint = fonts.fitted("H: keys", BROWSER_FAINT, 22, bar.width)
        # In a narrow window the line loses its last parts whole (never half a word), and
        # if even its first part does not fit beside the hint, the hint gives way.
        parts, font = first.split(GAP), fonts[24]
        while len(parts) > 1 and font.size(GAP.join(parts))[0] > bar.width - hint.get_width() - 24:
            parts.pop()
        if font.size(parts[0])[0] > bar.width - hint.get_width() - 24:
            hint = None
        else:
            surface.blit(hint, hint.get_rect(topright=(bar.right - 8, bar.top + 5)))
        room = max(bar.width - (hint.get_width() + 24 if hint else 16), 0)
        line = fonts.fitted(GAP.join(parts), TEXT, 24, room, min_size=17)
        surface.blit(line, (8, bar.top + 5), pygame.Rect(0, 0, room, line.get_height()))
        colour = MESSAGE_COLOUR if self.news() else BROWSER_FAINT
        surface.blit(cut_to_fit(fonts, second, colour, bar.width - 16), (8, bar.top + 29))


def cut_to_fit(fonts: Fonts, text: str, colour: tuple, width: int) -> pygame.Surface:
    """`text` rendered to fit `width`: smaller (down to 16 from 22), and if even that is too
    wide, cut after its last word that fits, with "..." to show that there is more."""
    words, shown = text.split(" "), text
    rendered = fonts.fitted(shown, colour, 22, width, min_size=16)
    while rendered.get_width() > width and len(words) > 1:
        words.pop()
        shown = " ".join(words) + " ..."
        rendered = fonts.fitted(shown, colour, 22, width, min_size=16)
    return rendered
