"""Learning curves: how the loss, the accuracies and the learning rate go during a run.

`LearningCurves` collects a run's figures as `myonn.training.fit` reports them
(its `on_step` and `on_epoch` callbacks), and `draw_curves` draws them on a pygame
surface in three panels over the same epoch axis: the loss, the training and test
accuracy, and the learning-rate schedule. The `--watch` window of `mnist_train.py`
draws them while the network learns, and `--plot` (`save_plot`) writes them to a PNG
at the end; pygame, which the windows need anyway, draws both, so no plotting
library is needed.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on the learner's terminal
import pygame  # noqa: E402

from myonn.plumbing.errors import MyonnError  # noqa: E402
from myonn.plumbing.files import atomic_write  # noqa: E402
from myonn.windows.fonts import Fonts  # noqa: E402
from myonn.training import EpochReport  # noqa: E402

PLOT_SIZE = (960, 720)  # --plot's picture, in pixels

PAPER, AXIS, GRID, TEXT, FAINT = (255, 255, 255), (60, 60, 60), (225, 225, 230), (30, 30, 30), (110, 110, 110)
LOSS_COLOUR = (120, 60, 160)
TRAIN_COLOUR = (40, 100, 200)
TEST_COLOUR = (220, 110, 20)
RATE_COLOUR = (30, 140, 70)
# Points kept per curve drawn within epochs: enough for a smooth line at any width.
POINTS_PER_RUN = 600
# The training loss and accuracy are drawn as means over stretches of about a sixtieth
# of the run (at least MIN_STRETCH images), so that even a one-epoch run has a curve.
STRETCHES_PER_RUN, MIN_STRETCH = 60, 100


@dataclass
class LearningCurves:
    """A run's figures as (epoch, value) points: x = 2.5 is halfway through the third epoch.

    The training loss and accuracy are the means over stretches of an epoch (a few per
    epoch, each ending at an epoch's end at the latest), at the stretch's end; `current`
    holds the stretch in progress, so a window can show the curve moving. The test
    accuracy is measured at each epoch's end. The learning rate is kept batch by batch
    (thinned out to at most `POINTS_PER_RUN` points), as the schedule lowers it.
    """

    epochs: int  # how many the run will have: the width of the axis
    images_per_epoch: int
    loss: list[tuple[float, float]] = field(default_factory=list)
    train_accuracy: list[tuple[float, float]] = field(default_factory=list)
    test_accuracy: list[tuple[float, float]] = field(default_factory=list)
    learning_rate: list[tuple[float, float]] = field(default_factory=list)
    current: tuple[float, float, float] | None = None  # (x, loss so far, accuracy so far) of the epoch running
    images_done: int = 0  # in the whole run
    _sums: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])  # this epoch's loss x images, right, images

    def step(self, count: int, loss: float, right: int, rate: float) -> None:
        """Count one batch of `count` images (`myonn.training.fit`'s `on_step`)."""
        x_before = self.images_done / self.images_per_epoch
        self.images_done += count
        sums = self._sums
        sums[0] += loss * count
        sums[1] += right
        sums[2] += count
        x = self.images_done / self.images_per_epoch
        if not self.learning_rate or x - self.learning_rate[-1][0] >= self.epochs / POINTS_PER_RUN:
            self.learning_rate.append((x_before, rate))
        self.current = (x, sums[0] / sums[2], sums[1] / sums[2])
        stretch = max(MIN_STRETCH, math.ceil(self.images_per_epoch / math.ceil(STRETCHES_PER_RUN / self.epochs)))
        left_in_epoch = self.images_per_epoch - self.images_done % self.images_per_epoch
        # A stretch ends when long enough, unless what is left of the epoch is too short to make one.
        if sums[2] >= stretch and left_in_epoch >= stretch // 2:
            self._end_stretch()

    def _end_stretch(self) -> None:
        """Add the stretch in progress to the loss and training-accuracy curves."""
        if self.current is not None:
            x, loss, accuracy = self.current
            self.loss.append((x, loss))
            self.train_accuracy.append((x, accuracy))
        self.current, self._sums = None, [0.0, 0.0, 0.0]

    def epoch_done(self, report: EpochReport) -> None:
        """End an epoch: its last stretch, and its test accuracy (`myonn.training.fit`'s `on_epoch`)."""
        self._end_stretch()
        x = float(report.epoch)
        if report.test_accuracy is not None:
            self.test_accuracy.append((x, report.test_accuracy))
        self.learning_rate.append((x, report.learning_rate))
        self.images_done = report.epoch * self.images_per_epoch

    def points(self, name: str) -> list[tuple[float, float]]:
        """The points of curve `name` ("loss", "train_accuracy", ...), with the running epoch's so far."""
        points = list(getattr(self, name))
        if self.current is not None and name in ("loss", "train_accuracy"):
            points.append((self.current[0], self.current[1 if name == "loss" else 2]))
        return points


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values from `low` to `high` for an axis's ticks: steps of 1, 2 or 5 times a power of ten."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    rough = (high - low) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first = math.ceil(low / step - 1e-9)
    return [round(k * step, 12) for k in range(first, int(math.floor(high / step + 1e-9)) + 1)]


_fonts = Fonts()


def font(size: int) -> pygame.font.Font:
    """pygame's own font (always there) at `size` pixels, from the windows' one font cache."""
    return _fonts[size]


def fitted(text: str, colour: tuple[int, int, int], size: int, max_width: int) -> pygame.Surface:
    """`text` rendered at `size`, or smaller so that it fits in `max_width` (the windows' one font cache)."""
    return _fonts.fitted(text, colour, size, max_width)


def _label(value: float, percent: bool) -> str:
    """An axis label: 97.5% or 0.25."""
    if percent:
        return f"{value * 100:g}%"
    if abs(value) >= 10_000 and value == int(value):
        return f"{value:,.0f}"  # 80,000 images a second, not 8e+04
    return f"{value:.4g}"


def draw_panel(
    surface: pygame.Surface,
    rect: pygame.Rect,
    title: list[tuple[str, tuple[int, int, int]]],
    curves: list[tuple[list[tuple[float, float]], tuple[int, int, int]]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    percent: bool = False,
    x_label: str | None = None,
    size: int = 20,
) -> None:
    """One chart in `rect`: a title in coloured words, axes with ticks and labels, and lines of points."""
    text = font(size)
    x = rect.left
    for words, colour in title:
        picture = text.render(words, True, colour)
        surface.blit(picture, (x, rect.top))
        x += picture.get_width()
    y_ticks = nice_ticks(*y_range, most=max(3, min(6, rect.height // 40)))
    tick_width = max(text.size(_label(t, percent))[0] for t in y_ticks)
    bottom_room = size * (2 if x_label else 1) + 4
    plot = pygame.Rect(
        rect.left + tick_width + 8,
        rect.top + size + 4,
        rect.width - tick_width - 16,
        rect.height - size - 4 - bottom_room,
    )
    if plot.width < 10 or plot.height < 10:
        return
    (x0, x1), (y0, y1) = x_range, y_range

    def place(px: float, py: float) -> tuple[int, int]:
        return (
            round(plot.left + (px - x0) / (x1 - x0) * plot.width),
            round(plot.bottom - (min(max(py, y0), y1) - y0) / (y1 - y0) * plot.height),
        )

    for tick in y_ticks:
        _, y = place(x0, tick)
        pygame.draw.line(surface, GRID, (plot.left, y), (plot.right, y))
        picture = text.render(_label(tick, percent), True, FAINT)
        surface.blit(picture, (plot.left - 6 - picture.get_width(), y - picture.get_height() // 2))
    for tick in nice_ticks(x0, x1, most=max(2, min(11, plot.width // 50))):
        if tick != int(tick):
            continue  # whole epochs only
        x, _ = place(tick, y0)
        pygame.draw.line(surface, AXIS, (x, plot.bottom), (x, plot.bottom + 4))
        picture = text.render(f"{tick:g}", True, FAINT)
        surface.blit(picture, (x - picture.get_width() // 2, plot.bottom + 5))
    pygame.draw.line(surface, AXIS, plot.bottomleft, plot.bottomright)
    pygame.draw.line(surface, AXIS, plot.topleft, plot.bottomleft)
    if x_label:
        picture = text.render(x_label, True, TEXT)
        surface.blit(picture, (plot.centerx - picture.get_width() // 2, plot.bottom + 5 + size))
    for points, colour in curves:
        # Points beyond the axis (the first epoch's, see `settled`) are left out, not
        # flattened against the edge where they would look like figures.
        placed = [place(px, py) for px, py in points if y0 - 1e-9 <= py <= y1 + 1e-9]
        if len(placed) > 1:
            pygame.draw.lines(surface, colour, False, placed, 2)
        if len(placed) <= 30:  # a few points, as the test accuracy's per epoch: mark each one
            for point in placed:
                pygame.draw.circle(surface, colour, point, 3)


def draw_curves(surface: pygame.Surface, rect: pygame.Rect, curves: LearningCurves) -> None:
    """Draw `curves` in `rect` of `surface`: loss, accuracy and learning rate, one above the other.

    The three charts share the epoch axis (0 to the run's last epoch). The loss axis
    starts at 0; the accuracy axis runs from a round number below the lowest accuracy
    so far up to 100%, so that 98% and 99% stay apart; the learning rate has its own.
    """
    x_range = (0.0, float(max(1, curves.epochs)))
    size = max(14, min(22, rect.height // 30))  # one text size for all three charts
    gap = 10
    heights = (0.36, 0.40, 0.24)
    usable = rect.height - 2 * gap
    tops = [
        rect.top,
        rect.top + int(usable * heights[0]) + gap,
        rect.top + int(usable * (heights[0] + heights[1])) + 2 * gap,
    ]
    panels = [pygame.Rect(rect.left, top, rect.width, int(usable * h)) for top, h in zip(tops, heights)]

    loss = curves.points("loss")
    highest = max((value for _, value in settled(loss, curves.epochs)), default=math.log(10))
    draw_panel(
        surface,
        panels[0],
        [("loss (cross-entropy), training images", LOSS_COLOUR)],
        [(loss, LOSS_COLOUR)],
        x_range,
        (0.0, nice_ceiling(highest)),
        size=size,
    )

    train, test = curves.points("train_accuracy"), curves.points("test_accuracy")
    lowest = min((value for _, value in settled(train, curves.epochs) + test), default=0.0)
    floor = max(0.0, math.floor(lowest * 20) / 20)  # 5% steps: 0.95, 0.90, ...
    if lowest >= 0.95:
        floor = math.floor(lowest * 100) / 100
    draw_panel(
        surface,
        panels[1],
        [("accuracy: ", TEXT), ("training images", TRAIN_COLOUR), ("  test images", TEST_COLOUR)],
        [(train, TRAIN_COLOUR), (test, TEST_COLOUR)],
        x_range,
        (min(floor, 0.99), 1.0),
        percent=True,
        size=size,
    )

    rates = curves.learning_rate
    top_rate = max((value for _, value in rates), default=1.0)
    draw_panel(
        surface,
        panels[2],
        [("learning rate", RATE_COLOUR)],
        [(rates, RATE_COLOUR)],
        x_range,
        (0.0, nice_ceiling(top_rate)),
        x_label="epoch",
        size=size,
    )


def settled(points: list[tuple[float, float]], epochs: int) -> list[tuple[float, float]]:
    """The points an axis is fitted to: in a run of 3 epochs or more, those after the first epoch.

    The first epoch starts from guessing (a loss of 2.3, 10% right); fitting the axis to it
    would squash the rest of the run into a flat line; the chart leaves its start out.
    """
    later = [point for point in points if point[0] > 1.0]
    return later if epochs >= 3 and later else points


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 or 10 times a power of ten that is at least `value` (for an axis's top)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 3, 5, 7.5, 10) if m * power >= value * (1 - 1e-9))


def draw_plot(curves: LearningCurves, title: list[str], size: tuple[int, int] = PLOT_SIZE) -> pygame.Surface:
    """The learning curves as a picture of `size`, under the `title` lines (the run's settings and result)."""
    surface = pygame.Surface(size)
    surface.fill(PAPER)
    y = 12
    for number, line in enumerate(title):
        picture = font(30 if number == 0 else 22).render(line, True, TEXT if number == 0 else FAINT)
        surface.blit(picture, ((size[0] - picture.get_width()) // 2, y))
        y += picture.get_height() + 4
    draw_curves(surface, pygame.Rect(16, y + 12, size[0] - 32, size[1] - y - 24), curves)
    return surface


def save_plot(
    curves: LearningCurves, title: list[str], path: str | os.PathLike, size: tuple[int, int] = PLOT_SIZE
) -> None:
    """Write `draw_plot(curves, title, size)` to `path` as a PNG, whole or not at all."""
    save_picture(draw_plot(curves, title, size), path)


def save_picture(picture: pygame.Surface, path: str | os.PathLike) -> None:
    """Write a chart to `path` as a PNG, whole or not at all, making its folder if needed."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as out:
            pygame.image.save(picture, out, "plot.png")  # the name hint picks the format
    except (pygame.error, OSError) as error:
        reason = getattr(error, "strerror", None) or error
        raise MyonnError(f"{path}: cannot write the plot ({reason})") from None
