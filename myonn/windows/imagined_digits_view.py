"""B in the browser: what the network imagines for each digit, two ways, beside the set's average of each.

For each digit, three pictures: the book's backquery (the weights run backwards), the
network's dream (myonn.dreams: an image it reads as the digit, kept among the shapes
handwriting takes), which forms on screen a few steps at each frame, and the average
of the set's images of the digit. All three are straightened, as the network sees digits.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, dreams, inside
from myonn.plumbing.errors import DataFileError
from myonn.windows.browsed_sets import Shown
from myonn.windows.fonts import Fonts
from myonn.windows.palette import BROWSER_FAINT, LABEL_COLOUR, TRACK
from myonn.windows.pictures import crisp_side, grey_surface
from myonn.windows.view import View


CAPTIONS = (
    "left, the book's backquery: the weights run backwards, the pattern they tie to the digit",
    "middle, its dream: an image it reads as the digit, climbed to from the average digit",
    "right, the average of the set's images of the digit, straightened as the network sees them",
)
STEPS_PER_FRAME = 6  # of each dream's climb, at each frame: 300 steps form in about 2 seconds


class ImaginedDigits(View):
    """B: for each digit, its backquery, its dream (forming step by step) and the set's average image."""

    def __init__(
        self,
        network: NeuralNetwork,
        shown: Callable[[], Shown],
        fonts: Fonts,
        busy: Callable[[str], None],
        training_images: Callable[[], np.ndarray],
    ):
        """The view of what `network` imagines and of `shown()`'s set, in `fonts`; `busy` is told before averaging.

        `training_images()` gives MNIST's training images, whose shapes the dreams keep
        to (DataFileError if they cannot be loaded: the dreams then say so).
        """
        self.network = network
        self.shown = shown
        self.fonts = fonts
        self.busy = busy
        self.training_images = training_images
        self._imagined: np.ndarray | None = None  # once per network: it never changes in a browser
        self._averages: dict[str, np.ndarray] = {}  # once per set
        self._dreams: np.ndarray | None = None  # each digit's dream as far as it has formed
        self._climbs: list | None = None  # each digit's climb (myonn.dreams.dream_steps), until done
        self.no_dreams = ""  # why there are none, when the training images cannot be loaded
        self.steps_done = 0  # of the dreams' climb

    def press(self, key: int, text: str = "") -> bool:
        """This screen has no keys of its own: every key does what it does elsewhere."""
        return False

    def prepare(self) -> None:
        """Compute what the set shown needs, before it is drawn (averaging a set takes a second or two),
        and start the dreams (once: they depend on the network only)."""
        self.imagined()
        self.averages()
        if self._dreams is None and not self.no_dreams:
            try:
                images = self.training_images()
            except DataFileError as error:
                self.no_dreams = f"no dreams: they need MNIST's training images ({error})"
                return
            self.busy("learning the shapes of handwriting for the dreams...")
            shapes = dreams.handwriting(self.network, images)
            self._dreams = np.stack(
                [dreams.pixels(shapes.average, inside.image_side(self.network))] * 10
            )  # each starts at the average
            self._climbs = [dreams.dream_steps(self.network, digit, shapes) for digit in range(10)]

    def forming(self) -> bool:
        """Whether the dreams are still forming: the window then calls `tick` at every frame."""
        return self._climbs is not None

    def tick(self, steps: int = STEPS_PER_FRAME) -> bool:
        """Climb each dream `steps` steps further; True if the pictures changed."""
        if self._climbs is None:
            return False
        for digit, climb in enumerate(self._climbs):
            for _, image in zip(range(steps), climb):
                self._dreams[digit] = image
        self.steps_done = min(self.steps_done + steps, dreams.STEPS)
        if self.steps_done == dreams.STEPS:
            self._climbs = None  # all ten formed
        return True

    def finish(self) -> None:
        """Form the dreams whole at once (for a screenshot)."""
        while self.tick():
            pass

    def dreamt(self) -> np.ndarray | None:
        """The ten dreams as far as they have formed, uint8 (10, 28, 28); None without training images."""
        return self._dreams

    def ready(self) -> bool:
        """Whether `draw` can draw at once."""
        return self._imagined is not None and self.shown().set_name in self._averages

    def imagined(self) -> np.ndarray:
        """The ten backquery images, uint8 (10, 28, 28)."""
        if self._imagined is None:
            self._imagined = np.stack([self.network.backquery(digit) for digit in range(10)])
        return self._imagined

    def averages(self) -> np.ndarray:
        """Each digit's average image in the set shown, straightened as the network sees it."""
        shown = self.shown()
        name = shown.set_name
        if name not in self._averages:
            self.busy(f"averaging the {name} set's digits...")
            self._averages[name] = inside.average_digits(self.network, shown.images, shown.labels)
        return self._averages[name]

    def layout(self, area: pygame.Rect) -> tuple[int, list[tuple[pygame.Rect, pygame.Rect, pygame.Rect]]]:
        """The text size, and where each digit's three pictures go, in the grid that shows them largest."""
        gap, text_size = max(4, area.width // 80), max(10, min(26, area.height // 22))
        top = len(CAPTIONS) * text_size + gap
        grid = pygame.Rect(area.left, area.top + top, area.width, area.height - top)
        tile, columns = max(
            (
                min(
                    (grid.width - gap) // columns // 3 - gap, (grid.height - gap) // -(-10 // columns) - text_size - gap
                ),
                columns,
            )
            for columns in (1, 2, 3, 4, 5, 10)
        )
        tile = crisp_side(max(tile, 1))
        group_width = 3 * tile + 4 * gap
        left = grid.centerx - columns * group_width // 2
        groups = []
        for digit in range(10):
            x = left + (digit % columns) * group_width + gap
            y = grid.top + (digit // columns) * (tile + text_size + gap) + text_size
            groups.append(tuple(pygame.Rect(x + i * (tile + gap), y, tile, tile) for i in range(3)))
        return text_size, groups

    def captions(self) -> tuple[str, str, str]:
        """The three lines above the pictures: what each of a digit's three pictures shows."""
        backquery, dream, average = CAPTIONS
        if self.no_dreams:
            dream = self.no_dreams
        elif self.forming():
            dream += f" (step {self.steps_done} of {dreams.STEPS})"
        return backquery, dream, average.replace("the set's", f"the {self.shown().set_name} set's")

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Each digit's three pictures, left to right: its backquery, its dream, the set's average."""
        text_size, groups = self.layout(area)
        for row, line in enumerate(self.captions()):
            caption = self.fonts.fitted(line, BROWSER_FAINT, text_size, area.width - 8)
            surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 2 + row * text_size)))
        dreamt = self.dreamt()
        for digit, rects in enumerate(groups):
            name = self.fonts.fitted(str(digit), LABEL_COLOUR, text_size, rects[2].right - rects[0].left)
            surface.blit(name, name.get_rect(midbottom=(rects[1].centerx, rects[0].top + 2)))
            pictures = (self.imagined()[digit], None if dreamt is None else dreamt[digit], self.averages()[digit])
            for rect, image in zip(rects, pictures):
                if image is not None:
                    surface.blit(pygame.transform.scale(grey_surface(image), rect.size), rect)
                pygame.draw.rect(surface, TRACK, rect.inflate(2, 2), width=1)
