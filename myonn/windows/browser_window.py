"""The browser on the display: open its window, and run it over `loop.run`.

`BrowserWindow` is what the loop runs: the browser, with the title following the
image, a busy message shown at once, and the keys pressed during slow work handled
after it, in order, without the repeats of a key held meanwhile.
"""

from __future__ import annotations

import pygame

from myonn.windows import loop
from myonn.windows.browser import Browser
from myonn.windows import display
from myonn.windows.view import FRAME, FRAME_MS

REPEAT_DELAY_MS, REPEAT_INTERVAL_MS = 300, 40  # a held key repeats after 0.3 s, 25 times a second


class BrowserWindow:
    """A `Browser` shown in the display's window, as `loop.run` asks: `process` a batch of events, `draw` a frame."""

    def __init__(self, browser: Browser):
        """The window of `browser`, which it tells to show its busy messages here."""
        self.browser = browser
        browser.on_busy = self.show_busy
        self._was_busy = False  # whether the window showed a busy message since the last events
        self._held: set[int] = set()  # the keys pressed and not yet let go, as the events tell
        self._caption = ""  # the window title last set
        self._ticking = False  # whether the timer sends FRAME events

    @property
    def running(self) -> bool:
        """Whether the browser still runs (until Q, ESC or closing the window)."""
        return self.browser.running

    def process(self, events: list[pygame.event.Event]) -> bool:
        """One batch of events: apply them, then the keys pressed while that was busy; follow the title."""
        browser = self.browser
        redraw = self._apply(events)
        while self._was_busy:
            # Keys pressed while the network read a set wait in the queue: they are handled
            # now, in order (B then H shows the help), but a key held meanwhile kept
            # repeating, and its repeats are dropped: one press, one action.
            self._was_busy = False
            redraw = self._apply(self._without_repeats(pygame.event.get())) or redraw
        forming = browser.running and browser.forming()
        if forming != self._ticking:  # a dream forms: a frame every FRAME_MS until it is done
            pygame.time.set_timer(FRAME, FRAME_MS if forming else 0)
            self._ticking = forming
        if redraw and browser.running and browser.title() != self._caption:
            self._caption = browser.title()
            pygame.display.set_caption(self._caption)
        return redraw

    def _apply(self, events: list[pygame.event.Event]) -> bool:
        """Hand `events` to the browser, keeping count of the keys held down."""
        for event in events:
            if event.type == pygame.KEYDOWN:
                self._held.add(event.key)
            elif event.type == pygame.KEYUP:
                self._held.discard(event.key)
        return self.browser.handle_events(events)

    def _without_repeats(self, events: list[pygame.event.Event]) -> list[pygame.event.Event]:
        """`events` without the repeats of held keys: a key down again with no key up between."""
        held, kept = set(self._held), []
        for event in events:
            if event.type == pygame.KEYDOWN:
                if event.key in held:
                    continue
                held.add(event.key)
            elif event.type == pygame.KEYUP:
                held.discard(event.key)
            kept.append(event)
        return kept

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the browser onto `surface`."""
        self.browser.draw(surface)

    def show_busy(self, text: str) -> None:
        """Show `text` on the status line at once, before something slow."""
        browser = self.browser
        saved, browser.message = browser.message, text
        browser.draw(pygame.display.get_surface())
        pygame.display.flip()
        browser.message = saved
        self._was_busy = True


def open_window(browser: Browser, size: tuple[int, int]) -> pygame.Surface:
    """Open the resizable window, no larger than the screen, with held keys repeating."""
    screen = display.open_window(size, browser.title())
    pygame.key.set_repeat(REPEAT_DELAY_MS, REPEAT_INTERVAL_MS)
    pygame.event.set_blocked([pygame.MOUSEMOTION, pygame.FINGERMOTION])  # nothing to do on mouse moves
    return screen


def run_window(browser: Browser) -> None:
    """The main loop: sleep until an event, apply it (and any others queued), redraw if needed."""
    loop.run(BrowserWindow(browser))
