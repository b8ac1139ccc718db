"""N in both windows: the training images the network was reminded of (myonn.nearest).

In the browser (`NearestScreen`), the image shown and the training images nearest to
it as the network sees it; in the drawing window (`NearestPanel`), the same for the
drawing read. A training image's label is red where it is not the digit the network
read: a misreading shows which MNIST digits it took the image for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pygame

from myonn import NeuralNetwork, mnist
from myonn.nearest import SHOWN, Reminders
from myonn.one_run import OneRunAtATime
from myonn.plumbing import paths
from myonn.plumbing.errors import DataFileError
from myonn.windows.browsed_sets import Shown
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, FAINT, FRAME, TEXT, WARNING
from myonn.windows.pictures import crisp_side, grey_surface
from myonn.windows.view import View

Tile = tuple[np.ndarray, str, tuple]  # a picture uint8 (28, 28), the words under it, their colour


def tile_rects(area: pygame.Rect, count: int, columns: int, text_size: int) -> list[pygame.Rect]:
    """Where `count` square pictures go in `area`, `columns` to a row, each with a line of text under it."""
    gap = max(4, area.width // 60)
    rows = -(-count // columns)
    side = min((area.width - gap) // columns - gap, (area.height - gap) // rows - text_size - gap)
    side = crisp_side(max(side, 1))
    left = area.centerx - (columns * (side + gap) - gap) // 2
    return [
        pygame.Rect(
            left + (i % columns) * (side + gap), area.top + (i // columns) * (side + text_size + gap), side, side
        )
        for i in range(count)
    ]


def draw_tiles(surface: pygame.Surface, rects: Sequence[pygame.Rect], tiles: Sequence[Tile], fonts: Fonts, size: int):
    """Each picture of `tiles` in its rect, framed, with its words under it in their colour."""
    for rect, (picture, words, colour) in zip(rects, tiles):
        surface.blit(pygame.transform.scale(grey_surface(picture), rect.size), rect)
        pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), width=1)
        text = fonts.fitted(words, colour, size, rect.width + 8)
        surface.blit(text, text.get_rect(midtop=(rect.centerx, rect.bottom + 2)))


def label_colour(label: int, answer: int | None) -> tuple:
    """A training image's label in red where it is not the digit read, else in the text's colour."""
    return WARNING if answer is not None and label != answer else TEXT


class NearestScreen(View):
    """N in the browser: the image shown, then the `SHOWN` training images nearest to it as the network sees it."""

    CAPTION = "the training images nearest to this one, as the network sees it (by its {hidden} hidden nodes)"

    def __init__(
        self,
        network: NeuralNetwork,
        shown: Callable[[], Shown],
        fonts: Fonts,
        busy: Callable[[str], None],
        training: Callable[[], tuple[np.ndarray, np.ndarray]],
    ):
        """The view of `shown()` in `fonts`; `training()` gives MNIST's training set; `busy` is told before slow work."""
        self.network, self.shown, self.fonts, self.busy, self.training = network, shown, fonts, busy, training
        self.reminders: Reminders | None = None
        self.missing = ""  # why there are none, when the training set cannot be loaded
        self._found: dict[tuple[str, int], np.ndarray] = {}  # the nearest, per image asked about

    def prepare(self) -> None:
        """Remember the training images' hidden outputs, once (a second or two)."""
        if self.reminders is None and not self.missing:
            try:
                images, labels = self.training()
            except DataFileError as error:
                self.missing = f"this needs MNIST's training set: {error}"
                return
            self.busy(f"remembering what the {len(labels):,} training images do inside the network...")
            self.reminders = Reminders(self.network, images, labels)

    def ready(self) -> bool:
        """Whether the training images' hidden outputs are remembered (or cannot be)."""
        return self.reminders is not None or bool(self.missing)

    def nearest(self) -> np.ndarray:
        """The indices of the training images nearest to the image shown (itself left out, if it is one)."""
        shown = self.shown()
        key = (shown.set_name, shown.index)
        if key not in self._found:
            hidden = self.network.forward(self.network.prepare_inputs(shown.image))[0][0]
            found = self.reminders.nearest(hidden, SHOWN + 1)
            if shown.set_name == "train":
                found = found[found != shown.index]
            self._found = {key: found[:SHOWN]}  # one image at a time: the browser shows one
        return self._found[key]

    def tiles(self) -> list[Tile]:
        """The image shown, then the nearest training images, each with its words."""
        shown = self.shown()
        answer = None if shown.readings is None else int(shown.readings[shown.index].argmax())
        read = "" if answer is None else f", read {answer}"
        tiles = [(shown.image, f"this: label {shown.label}{read}", TEXT)]
        for index in self.nearest():
            label = int(self.reminders.labels[index])
            tiles.append((self.reminders.images[index], f"{label}  (train {index + 1})", label_colour(label, answer)))
        return tiles

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The caption, then the image shown and its nearest training images, three to a row."""
        size = max(10, min(22, area.height // 24))
        words = self.missing or self.CAPTION.format(hidden=self.network.hnodes)
        caption = self.fonts.fitted(words, BROWSER_FAINT, size, area.width - 8)
        surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 4)))
        if self.missing:
            return
        grid = pygame.Rect(area.left, area.top + size + 12, area.width, area.height - size - 12)
        draw_tiles(surface, tile_rects(grid, SHOWN + 1, 3, size), self.tiles(), self.fonts, size)


def learn_reminders(network: NeuralNetwork, data_dir: str | Path) -> Reminders | str:
    """`Reminders` of MNIST's training set in `data_dir` for `network`, or why there are none (never downloads)."""
    found = mnist.read_if_there(data_dir)
    if found is None:
        return f"needs MNIST in {paths.shown(data_dir)}: ./mnist_train.py downloads it"
    return Reminders(network, *found["train"])


class NearestPanel(View):
    """N in the drawing window: the training images nearest to the drawing read, as the network sees it."""

    COLUMNS, SIZE = 4, 20

    def __init__(
        self,
        network: NeuralNetwork,
        reading: Callable[[], Reading],
        fonts: Fonts,
        area: pygame.Rect,
        data_dir: str | Path = paths.DATA_DIR,
    ):
        """The view of `network` reading `reading()`, in `area`, written in `fonts`; MNIST is read from `data_dir`."""
        self.network, self.reading, self.fonts, self.area, self.data_dir = network, reading, fonts, area, data_dir
        self.found: Reminders | str | None = None  # the training images remembered, or why not; None: not yet
        self._arrived = False  # they came from the thread since the last frame
        self._lessons = 0  # lessons given so far: what a run remembered for fewer is out of date
        self._worker = OneRunAtATime(
            lambda: (self._lessons, learn_reminders(network, data_dir)), self._ready, name="reminders"
        )
        self._asked = False  # the thread was started since the last lesson
        self._nearest: tuple = (None, None, np.zeros(0, np.int64))  # for which hidden outputs and memory

    def _ready(self, result: tuple[int, Reminders | str]) -> None:
        lessons, found = result
        if lessons == self._lessons:  # not begun before a lesson that came after it
            self.found, self._arrived = found, True

    def prepare(self) -> None:
        """Start remembering the training images' hidden outputs on a thread (about a second), once per network."""
        if not self._asked:
            self._asked = True
            self._worker.start()

    def forget(self) -> None:
        """A lesson moved the weights: the hidden outputs remembered are out of date."""
        self.found, self._asked = None, False
        self._lessons += 1

    def tick(self) -> bool:
        """True once, at the frame after the training images arrive from the thread."""
        arrived, self._arrived = self._arrived, False
        return arrived

    def finish(self) -> None:
        """Remember them now, on this thread (for a screenshot)."""
        if self.found is None:
            self._asked = True
            self.found = learn_reminders(self.network, self.data_dir)

    def nearest(self, hidden_outputs: np.ndarray) -> np.ndarray:
        """The indices of the training images nearest `hidden_outputs`, worked out once per reading."""
        if self._nearest[0] is not hidden_outputs or self._nearest[1] is not self.found:
            self._nearest = (hidden_outputs, self.found, self.found.nearest(np.ravel(hidden_outputs)))
        return self._nearest[2]

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The title, then the nearest training images with their labels, and what to look for."""
        small, medium = self.fonts[self.SIZE], self.fonts[26]
        reading = self.reading()
        if reading.hidden_outputs is None or not reading.is_read:
            # Only a reading SPACE made: while the pen moves, the window stays quick.
            words = "reminded of: draw a digit, then SPACE" if reading.probabilities is None else "SPACE: read it first"
            surface.blit(small.render(words, True, FAINT), (area.left, area.top))
            return
        answer = reading.answer
        surface.blit(medium.render(f"it read {answer}, reminded of", True, TEXT), (area.left, area.top))
        surface.blit(small.render("the training digits nearest, as it", True, FAINT), (area.left, area.top + 26))
        surface.blit(
            small.render(f"sees them (its {self.network.hnodes} hidden nodes)", True, FAINT), (area.left, area.top + 44)
        )
        if not isinstance(self.found, Reminders):
            self.prepare()
            words = self.found or "remembering the 60,000 training digits..."
            surface.blit(self.fonts.fitted(words, FAINT, self.SIZE, area.width), (area.left, area.top + 80))
            return
        indices = self.nearest(reading.hidden_outputs)
        labels = self.found.labels[indices]
        tiles = [
            (self.found.images[i], str(int(label)), label_colour(int(label), answer))
            for i, label in zip(indices, labels)
        ]
        grid = pygame.Rect(area.left, area.top + 76, area.width, 2 * (area.width // self.COLUMNS + self.SIZE))
        rects = tile_rects(grid, len(tiles), self.COLUMNS, self.SIZE)
        draw_tiles(surface, rects, tiles, self.fonts, self.SIZE)
        same = int((labels == answer).sum())
        y = rects[-1].bottom + self.SIZE + 14
        lines = (
            (f"{same} of {len(labels)} are {answer}s", TEXT),
            ("red: labelled another digit", WARNING),
            ("read wrong? its key (0-9) teaches it", FAINT),
        )
        for row, (line, colour) in enumerate(lines):
            surface.blit(small.render(line, True, colour), (area.left, y + row * 22))
