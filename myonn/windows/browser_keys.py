"""The browser's keys: their words (KEYS, shown by H and by --help) and what each one does.

`BrowserKeys.press` gives a key first to the screen shown (M's arrows and ENTER),
then to typing a number and to ESC closing what is open, and else to a table from
key to the browser's verbs.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

import pygame

if TYPE_CHECKING:
    from myonn.windows.browser import Browser

PAGE = 100  # images skipped by PAGE UP / PAGE DOWN
MAX_TYPED_DIGITS = 6

# The keys, in the words shown by H in the window and by --help.
KEYS = [
    ("UP / DOWN, LEFT / RIGHT", "previous / next image"),
    ("PAGE UP / PAGE DOWN", f"{PAGE} images back / on"),
    ("HOME / END", "first / last image"),
    ("SPACE", "show the label (again: back to the digit)"),
    ("T", "switch between the training and the test set"),
    ("R", "a random image"),
    ("number, then ENTER", "go to that image (counting from 1)"),
    ("P", "what the network reads (needs a model)"),
    ("E / W", "next / previous image the network gets wrong"),
    ("B", "what it imagines for each digit: backquery, dream, average"),
    ("G", "the hidden nodes' weights; this image's favourites framed"),
    ("M", "confusion matrix: arrows pick a cell, ENTER shows its images"),
    ("N", "the training images nearest this one, as the network sees it"),
    ("H or F1", "show or hide these keys"),
    ("ESC", "close help, a typed number, a view or a cell's images; else quit"),
    ("Q, or close the window", "quit"),
]

STEPS = {
    pygame.K_UP: -1,
    pygame.K_LEFT: -1,
    pygame.K_DOWN: 1,
    pygame.K_RIGHT: 1,
    pygame.K_PAGEUP: -PAGE,
    pygame.K_PAGEDOWN: PAGE,
}
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): str(d) for d in range(10)}
SCREEN_KEYS = {pygame.K_b: "backquery", pygame.K_g: "hidden", pygame.K_m: "confusion", pygame.K_n: "nearest"}


class BrowserKeys:
    """What each key does in a `Browser`: a table from key to the browser's verbs, and a number typed."""

    def __init__(self, browser: Browser):
        """The keys of `browser`."""
        self.browser = browser
        self.actions = self.key_actions()

    def press(self, key: int, text: str) -> None:
        """Act on one key press: `key` is a pygame key code, `text` the character it typed."""
        browser = self.browser
        browser.message = ""
        if browser.view in browser.screens and browser.screens[browser.view].press(key, text):
            return
        if self.edit(key, text):
            return
        browser.typed = ""
        action = self.actions.get(key)
        if action is not None:
            action()

    def edit(self, key: int, text: str) -> bool:
        """Typing a number, ENTER to go there, and what ESC closes first; True if the key was one of these."""
        browser = self.browser
        digit = text if len(text) == 1 and text in "0123456789" else DIGIT_KEYS.get(key)
        if digit is not None:
            if len(browser.typed) < MAX_TYPED_DIGITS:
                browser.typed += digit
            return True
        if key == pygame.K_BACKSPACE:
            browser.typed = browser.typed[:-1]
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if browser.typed:
                browser.selection = None
                browser.go_to(int(browser.typed) - 1)
            browser.typed = ""
            return True
        if key == pygame.K_ESCAPE and (browser.typed or browser.show_help):
            browser.typed, browser.show_help = "", False
            return True
        if key == pygame.K_ESCAPE and browser.selection is not None:
            browser.leave_selection()
            return True
        if key == pygame.K_ESCAPE and browser.view in browser.screens:
            browser.view = "digit"
            return True
        return False

    def key_actions(self) -> dict[int, Callable[[], None]]:
        """What each of the other keys does (the words for them are in KEYS)."""
        browser = self.browser
        return {
            pygame.K_ESCAPE: browser.quit,
            pygame.K_q: browser.quit,
            **{key: partial(browser.step, delta) for key, delta in STEPS.items()},
            pygame.K_HOME: browser.go_to_first,
            pygame.K_END: browser.go_to_last,
            pygame.K_SPACE: browser.toggle_label,
            pygame.K_t: browser.switch_set,
            pygame.K_r: browser.show_random,
            pygame.K_h: browser.toggle_help,
            pygame.K_F1: browser.toggle_help,
            pygame.K_p: browser.toggle_prediction,
            pygame.K_e: partial(browser.jump_to_mistake, 1),
            pygame.K_w: partial(browser.jump_to_mistake, -1),
            **{key: partial(browser.show_screen, name) for key, name in SCREEN_KEYS.items()},
        }
