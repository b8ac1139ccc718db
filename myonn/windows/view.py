"""What every view of the windows is: something drawn into an area that may answer keys and the mouse.

A window shows one view at a time and hands it the events it does not use itself.
A view is handed what it needs (the network, the images, the fonts) when it is made,
not the whole window. Every method but `draw` has a default that does nothing.
"""

from __future__ import annotations

import pygame

# The event a window's timer sends at each frame while a view moves on its own (a dream forming).
FRAME = pygame.event.custom_type()
FRAME_MS = 40  # 25 frames a second


class View:
    """One view: `draw` it; `press`, `hover` and `click` say whether the view changed."""

    covers_canvas = False  # the drawing window's views beside the canvas leave it to be drawn on

    def press(self, key: int, text: str) -> bool:
        """A key the window did not use (`text`: what it types); True if the view changed."""
        return False

    def hover(self, pos: tuple[int, int]) -> bool:
        """The pointer moved to window position `pos`; True if the view changed."""
        return False

    def click(self, pos: tuple[int, int]) -> bool:
        """A click at window position `pos`; True if the view changed."""
        return False

    def prepare(self) -> None:
        """Start any slow work the view needs before it can be drawn (by default there is none)."""

    def ready(self) -> bool:
        """Whether `draw` can show the view now (False while `prepare`'s work goes on)."""
        return True

    def forming(self) -> bool:
        """Whether the view moves on its own, and wants `tick` at every frame (by default it never does)."""
        return False

    def tick(self) -> bool:
        """One frame of the view's own movement; True if it changed."""
        return False

    def finish(self) -> None:
        """Move the view on to where it stops on its own, at once (for a screenshot)."""

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Paint the view into `area` of `surface`."""
        raise NotImplementedError
