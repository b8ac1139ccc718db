"""`./mnist_train.py --ladder --plot PATH`: the improvement ladder as a chart.

Two charts over the rungs, 0 (the book) to 7 (today's default): the test accuracy
each rung reached, and how many training images a second it learned from; under
them, what each rung added.
"""

from __future__ import annotations

import os

import pygame

from myonn.ladder import Result
from myonn.windows.curves import PLOT_SIZE, TEST_COLOUR, TRAIN_COLOUR, draw_panel, font, nice_ceiling, save_picture
from myonn.windows.palette import FAINT, PAPER, TEXT


def accuracy_floor(results: list[Result]) -> float:
    """The accuracy axis's foot: the whole percent below the lowest rung's accuracy (at least 0)."""
    return max(0.0, (int(min(r.accuracy for r in results) * 100) - 1) / 100)


def draw_ladder(results: list[Result], size: tuple[int, int] = PLOT_SIZE) -> pygame.Surface:
    """The ladder's chart as a picture of `size`."""
    surface = pygame.Surface(size)
    surface.fill(PAPER)
    title = font(30).render("The improvement ladder: one change at a time", True, TEXT)
    surface.blit(title, ((size[0] - title.get_width()) // 2, 12))
    legend_top = size[1] - 26 * ((len(results) + 1) // 2) - 12
    top, height = 60, (legend_top - 60) // 2
    last = max(1, results[-1].rung.number)
    accuracies = [(r.rung.number, r.accuracy) for r in results]
    speeds = [(r.rung.number, r.images_per_second) for r in results]
    draw_panel(
        surface,
        pygame.Rect(16, top, size[0] - 32, height - 8),
        [("test accuracy", TEST_COLOUR)],
        [(accuracies, TEST_COLOUR)],
        (0, last),
        (accuracy_floor(results), 1.0),
        percent=True,
    )
    draw_panel(
        surface,
        pygame.Rect(16, top + height, size[0] - 32, height - 8),
        [("training images learned from per second", TRAIN_COLOUR)],
        [(speeds, TRAIN_COLOUR)],
        (0, last),
        (0.0, nice_ceiling(max(speed for _, speed in speeds))),
        x_label="rung",
    )
    half = (len(results) + 1) // 2
    for i, result in enumerate(results):
        words = font(20).render(f"{result.rung.number}: {result.rung.change}", True, FAINT)
        surface.blit(words, (40 + (i // half) * (size[0] // 2), legend_top + (i % half) * 26))
    return surface


def save_ladder(results: list[Result], path: str | os.PathLike) -> None:
    """Write `draw_ladder(results)` to `path` as a PNG, whole or not at all."""
    save_picture(draw_ladder(results), path)
