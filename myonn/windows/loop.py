"""The windows' one event loop: it sleeps in `pygame.event.wait` while nothing happens."""

from __future__ import annotations

from typing import Protocol

import pygame

from myonn.windows.display import WAIT_MS


class Window(Protocol):
    """What the loop runs: a window that handles a batch of events and draws a frame."""

    running: bool

    def process(self, events: list[pygame.event.Event]) -> bool:
        """Handle the events that queued up; return whether the window needs drawing again."""

    def draw(self, surface: pygame.Surface) -> None:
        """Paint a whole frame onto `surface`."""


def run(window: Window) -> None:
    """Show `window` on the display until it stops running, drawing a frame only when something changed."""
    # The display surface is asked for at every frame: a resizable window's follows its size.
    window.draw(pygame.display.get_surface())
    pygame.display.flip()
    while window.running:
        # Everything that queued up while the last frame was drawn, handled as one batch:
        # however fast the mouse moves, the window reads the canvas once a frame.
        # wait() wakes every WAIT_MS even when nothing happens, so that Ctrl-C is seen.
        if window.process([pygame.event.wait(WAIT_MS), *pygame.event.get()]) and window.running:
            window.draw(pygame.display.get_surface())
            pygame.display.flip()
