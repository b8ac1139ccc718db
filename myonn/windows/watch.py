"""The `--watch` window of `mnist_train.py`: the network learning, as pictures.

On the left, every hidden node's weights as a 28x28 picture (`myonn.inside`),
which start as noise and become strokes; on the right, the learning curves
(`myonn.windows.curves`); above them, the epoch, the images per second and the time left.

`TrainingWindow` follows a run through `myonn.training.fit`'s `on_step` and
`on_epoch` callbacks. It redraws a few times a second, not after every batch, so
that watching costs the training little; closing the window or ESC raises
`WindowClosed`, which stops the run as Ctrl-C does.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Callable

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on the learner's terminal
import pygame  # noqa: E402

from myonn.windows import display  # noqa: E402
from myonn.windows.display import WAIT_MS  # noqa: E402
from myonn.windows.curves import LearningCurves, draw_curves, fitted, font  # noqa: E402
from myonn.plumbing.errors import WindowClosed  # noqa: E402
from myonn.inside import hidden_pictures, signed_rgb  # noqa: E402
from myonn.network import NeuralNetwork  # noqa: E402
from myonn.training import EpochReport  # noqa: E402

SIZE = (1200, 720)
REDRAW_SECONDS = 0.25  # four frames a second: lively, and a small cost beside the training
# On a slow or busy machine a frame can cost more: frames are then spaced out so that
# drawing never takes more than this share of the time (the floor is 10% at most).
MAX_SHARE = 0.04
BACKGROUND, PANEL, TEXT, FAINT = (250, 250, 252), (255, 255, 255), (30, 30, 30), (110, 110, 110)
GAP = 2  # pixels between two nodes' pictures (before scaling)
PALETTE_STEPS = 255  # shades from the most negative weight to the most positive
_palette: list[np.ndarray] = []


def palette() -> np.ndarray:
    """myonn.inside's colours for PALETTE_STEPS shares from -1 to 1: uint8 (PALETTE_STEPS, 3), made once."""
    if not _palette:
        _palette.append(signed_rgb(np.linspace(-1.0, 1.0, PALETTE_STEPS), limit=1.0))
    return _palette[0]


class TrainingWindow:
    """A window (or, for a screenshot, a surface) showing a network learn, fed by fit's callbacks.

    `open()` shows the window (a one-line `MyonnError` without a screen) and
    `follow(network, curves, heading)` says what to show; then pass `step` and
    `epoch_done` to `fit` as `on_step` and `on_epoch`. After the run, `finished(text)`
    shows the result, `wait_until_closed()` keeps it on screen, and `close()` ends it.
    """

    def __init__(self) -> None:
        self.network: NeuralNetwork | None = None
        self.curves: LearningCurves | None = None
        self.heading = ""
        self.surface: pygame.Surface | None = None
        self.on_screen = False
        self.started: float | None = None  # when the first batch ended: the rate is counted from there
        self.counted_from = 0  # images done by then
        self.last_drawn = 0.0
        self.interval = REDRAW_SECONDS  # seconds until the next frame is due
        self.status = "loading MNIST..."
        self.after_epoch: Callable[[EpochReport], None] | None = None  # e.g. to take a screenshot

    def open(self) -> None:
        """Open the window, resizable; a one-line MyonnError if there is no screen to show it on."""
        display.open_window(SIZE, self.caption())
        pygame.event.set_blocked([pygame.MOUSEMOTION, pygame.FINGERMOTION])
        self.on_screen = True
        self.refresh()

    def caption(self) -> str:
        """The window's title: what it watches learn, once it knows (the window opens before the data loads)."""
        return f"myonn: watch it learn ({self.heading})" if self.heading else "myonn: watch it learn"

    def offscreen(self, size: tuple[int, int] = SIZE) -> None:
        """Draw on a surface of `size` instead of a window (for --screenshot: no screen needed)."""
        self.surface = pygame.Surface(size)

    def follow(self, network: NeuralNetwork, curves: LearningCurves, heading: str) -> None:
        """Show `network` learning, with `curves` (fed by `step` and `epoch_done`) under `heading`."""
        self.network, self.curves, self.heading = network, curves, heading
        if self.on_screen:
            pygame.display.set_caption(self.caption())
        self.status = "preparing the images..."
        self.refresh()

    def close(self) -> None:
        """Close the window (if one is open)."""
        self.on_screen = False
        pygame.quit()

    # ---- fit's callbacks ------------------------------------------------------------

    def step(self, count: int, loss: float, right: int, rate: float) -> None:
        """After each batch: count it, and redraw if the last frame is old enough."""
        self.curves.step(count, loss, right, rate)
        now = time.perf_counter()
        if self.started is None:  # the first batch: training is under way
            self.started, self.counted_from, self.status = now, self.curves.images_done, None
        if now - self.last_drawn >= self.interval:
            self.refresh(now)

    def epoch_done(self, report: EpochReport) -> None:
        """After each epoch: add its figures and redraw."""
        self.curves.epoch_done(report)
        self.refresh()
        if self.after_epoch:
            self.after_epoch(report)

    # ---- drawing ---------------------------------------------------------------------

    def refresh(self, now: float | None = None) -> None:
        """Handle the window's events (ESC or closing raises WindowClosed), then draw a frame."""
        self.last_drawn = time.perf_counter() if now is None else now
        if self.on_screen:
            for event in pygame.event.get():
                if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                    raise WindowClosed
            self.draw(pygame.display.get_surface())
            pygame.display.flip()
            cost = time.perf_counter() - self.last_drawn
            self.interval = max(REDRAW_SECONDS, cost / MAX_SHARE)

    def progress_text(self) -> str:
        """The epoch, the images per second and the time left, in words."""
        curves = self.curves
        total = curves.epochs * curves.images_per_epoch
        epoch = min(curves.epochs, curves.images_done // curves.images_per_epoch + 1)
        words = [f"epoch {epoch}/{curves.epochs}"]
        if self.started is not None and curves.images_done > self.counted_from:
            seconds = time.perf_counter() - self.started
            rate = (curves.images_done - self.counted_from) / max(seconds, 1e-9)
            words.append(f"{rate:,.0f} images/s")
            words.append(f"about {math.ceil((total - curves.images_done) / rate)} s left")
        return "    ".join(words)

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole frame on `surface`, whatever its size."""
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        big, small = font(30), font(22)
        surface.blit(big.render(self.progress_text() if self.status is None else self.status, True, TEXT), (16, 12))
        surface.blit(small.render(self.heading, True, FAINT), (16, 42))
        if self.network is None or self.curves is None:
            return
        top = 70
        grid_side = min(height - top - 40, width // 2)
        grid = pygame.Rect(16, top + 24, grid_side, grid_side)
        caption = "each hidden node's weights: red, ink there excites it; blue, ink there calms it"
        # Smaller in a narrow window, so that the curves' panel beside it does not cover its end.
        surface.blit(fitted(caption, TEXT, 22, grid_side + 20), (16, top))
        self.draw_weights(surface, grid)
        right = pygame.Rect(grid.right + 24, top, width - grid.right - 40, height - top - 12)
        pygame.draw.rect(surface, PANEL, right)
        draw_curves(surface, right.inflate(-12, -12), self.curves)

    def draw_weights(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Every hidden node's weights as a 28x28 picture, in a square grid filling `rect`."""
        pictures = hidden_pictures(self.network)
        count, side = pictures.shape[0], pictures.shape[1]
        columns = math.ceil(math.sqrt(count))
        rows = math.ceil(count / columns)
        # Each picture scaled by its own largest weight: every node's pattern shows,
        # whether its weights have grown much or little.
        limits = np.abs(pictures).max(axis=(1, 2), keepdims=True)
        shares = pictures / np.where(limits > 0, limits, 1)
        # Coloured through a table of myonn.inside's colours for 255 shares from -1 to 1:
        # the same colours, at a fraction of the cost four times a second.
        colours = palette()[np.rint((shares + 1) * (PALETTE_STEPS // 2)).astype(np.intp)]
        cell = side + GAP
        sheet = np.empty((rows, cell, columns, cell, 3), np.uint8)
        sheet[:] = BACKGROUND
        tiles = np.zeros((rows * columns, side, side, 3), np.uint8)
        tiles[:] = BACKGROUND
        tiles[:count] = colours
        sheet[:, :side, :, :side] = tiles.reshape(rows, columns, side, side, 3).transpose(0, 2, 1, 3, 4)
        sheet = sheet.reshape(rows * cell, columns * cell, 3)[:-GAP, :-GAP]
        picture = pygame.surfarray.make_surface(sheet.transpose(1, 0, 2))  # surfarray is indexed (x, y)
        scale = min(rect.width / picture.get_width(), rect.height / picture.get_height())
        size = (max(1, int(picture.get_width() * scale)), max(1, int(picture.get_height() * scale)))
        surface.blit(pygame.transform.smoothscale(picture, size), rect.topleft)

    # ---- after the run -----------------------------------------------------------------

    def finished(self, text: str) -> None:
        """Show that the run is over, with `text` (its result), in place of the progress line."""
        self.status = text
        self.refresh()

    def wait_until_closed(self) -> None:
        """Keep the last frame on screen until the window is closed, ESC is pressed or Ctrl-C."""
        try:
            while self.on_screen:
                event = pygame.event.wait(WAIT_MS)  # wakes now and then, so Ctrl-C is seen
                if event.type == pygame.QUIT or (
                    event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_q)
                ):
                    return
                if event.type in (pygame.VIDEORESIZE, pygame.WINDOWEXPOSED, pygame.WINDOWSIZECHANGED):
                    self.draw(pygame.display.get_surface())
                    pygame.display.flip()
        except KeyboardInterrupt:
            return

    def save_frame(self, path) -> None:
        """Write the current frame to `path` as a PNG."""
        from myonn.windows.display import save_png

        surface = self.surface if self.surface is not None else pygame.display.get_surface()
        self.draw(surface)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        save_png(surface, str(path))
