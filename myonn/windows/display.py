"""What every window shares with the screen: opening one (or saying why not), and PNGs.

A window opens only where someone can see it: without a screen (over SSH, say) the
programs say so in one line, and `--screenshot` draws the same frame into a PNG.
"""

from __future__ import annotations

import os
import sys

import pygame

from myonn.plumbing.errors import MyonnError
from myonn.plumbing.cli import say

# How long the windows wait for an event before looking again: short enough that
# Ctrl-C in the terminal (seen only between waits) ends them at once, long enough to idle.
WAIT_MS = 200


NO_DISPLAY = "cannot open a window: no display found (is DISPLAY set?); --screenshot PATH draws without one"


def init_display() -> None:
    """pygame.display.init(), or a one-line MyonnError first if there is no screen to show a window on.

    On Linux without DISPLAY or WAYLAND_DISPLAY there is no screen: say so before SDL
    starts, which would first print its own line about XDG_RUNTIME_DIR when probing
    for Wayland. (Not pygame.init(): no sound is needed, and no audio warnings come
    without a sound card.)
    """
    asked = os.environ.get("SDL_VIDEODRIVER")
    if (
        sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
        and not asked
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise MyonnError(NO_DISPLAY)
    pygame.display.init()
    require_display()


def open_window(size: tuple[int, int], caption: str, resizable: bool = True) -> pygame.Surface:
    """Open the window, titled `caption`: `size`, or less to fit the screen when `resizable`.

    Without a screen to show it on, a one-line MyonnError that says how to draw without one.
    """
    try:
        init_display()
        if resizable:
            desktop = pygame.display.Info()
            if desktop.current_w > 0 and desktop.current_h > 0:  # some displays do not say
                size = (min(size[0], int(desktop.current_w * 0.95)), min(size[1], int(desktop.current_h * 0.9)))
        screen = pygame.display.set_mode(size, pygame.RESIZABLE if resizable else 0)
    except pygame.error as error:
        raise MyonnError(f"cannot open a window ({error}); --screenshot PATH draws without one") from None
    pygame.display.set_caption(caption)
    return screen


def require_display() -> None:
    """After pygame.display.init(): a one-line MyonnError if there is no screen to show a window on.

    Without one (no DISPLAY, over SSH), SDL quietly falls back to an invisible
    "offscreen" driver, and the window would run where nobody can see it. The
    "dummy" or "offscreen" drivers are fine when asked for (SDL_VIDEODRIVER), as the
    tests do.
    """
    driver = pygame.display.get_driver()
    if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
        raise MyonnError(NO_DISPLAY)


def save_png(surface, path: str) -> None:
    """Write a pygame surface to `path` as a PNG, whatever the file is called (for --screenshot), and say where.

    Written whole or not at all: a picture already there stays as it was if this fails.
    """
    from myonn.plumbing import paths
    from myonn.plumbing.files import atomic_write

    try:
        with atomic_write(path) as out:
            pygame.image.save(surface, out, "screenshot.png")  # the name hint picks the format
    except (pygame.error, OSError) as error:
        reason = getattr(error, "strerror", None) or error
        raise MyonnError(f"{path}: cannot write the screenshot ({reason})") from None
    say(f"screenshot saved to {paths.shown(path)}")
