#!/usr/bin/env python3
"""Browse MNIST in a window, and see what a trained network makes of each digit.

The talk's first demo: one handwritten digit, large, black ink on white. Arrow keys
move through the records, SPACE shows the label a person gave the image, and with a
trained network P shows what the network reads there, while E and W jump to the
images it gets wrong. H in the window lists every key.

    ./mnist_render.py                   # the training set, from image 1
    ./mnist_render.py --set test --index 248
    ./mnist_render.py --screenshot docs/render.png --set test --predict

Everything here is the window; the data and the network come from the myonn package.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

try:
    from myonn.plumbing.installed import require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit("mnist_render.py: error: cannot find the myonn package beside this script; run the copy in the project's folder")
require_packages("mnist_render.py", "numpy", "pygame")

import numpy as np  # noqa: E402

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on the learner's terminal
import pygame  # noqa: E402

from myonn import NeuralNetwork, inside, mnist  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, png_path, positive_int, reading_with, run, whole_number_up_to  # noqa: E402
from myonn.windows.display import WAIT_MS, init_display, save_png  # noqa: E402
from myonn.answer import clear_answer  # noqa: E402
from myonn.plumbing.errors import DataFileError, ModelFileError, MyonnError  # noqa: E402
from myonn.model_file import load_mnist_network  # noqa: E402
from myonn.training import confusion_matrix  # noqa: E402

PROGRAM = "mnist_render.py"
# The networks read with when no --model is given: the first that exists, else the shipped one.
MODEL_CANDIDATES = (paths.TRAINED_MODEL,)
SIDE = 28  # MNIST images are 28x28 pixels
SETS = ("train", "test")
PAGE = 100  # images skipped by PAGE UP / PAGE DOWN
MAX_SCALE = 100  # --scale beyond this makes a window larger than any screen
STATUS_HEIGHT = 52  # two lines of text under the digit
REPEAT_DELAY_MS, REPEAT_INTERVAL_MS = 300, 40  # a held key repeats after 0.3 s, 25 times a second
MAX_TYPED_DIGITS = 6
NO_MODEL = "no model: train one with ./mnist_train.py"

PAPER, INK = (255, 255, 255), (0, 0, 0)
TEXT, FAINT = (30, 30, 30), (110, 110, 110)
STATUS_BACKGROUND = (232, 232, 236)
LABEL_COLOUR = (25, 60, 150)
RIGHT, WRONG = (20, 135, 60), (200, 35, 35)
BAR, TRACK = (120, 140, 190), (236, 236, 242)
MESSAGE_COLOUR = (170, 70, 0)
MARK_TEXT = (20, 110, 50)

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
    ("B", "what the network imagines for each digit"),
    ("G", "the hidden nodes' weights; this image's favourites framed"),
    ("M", "confusion matrix: arrows pick a cell, ENTER shows its images"),
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
SCREEN_KEYS = {pygame.K_b: "backquery", pygame.K_g: "hidden", pygame.K_m: "confusion"}
VIEWS = ("digit", "label", "prediction", *SCREEN_KEYS.values())  # the names --view knows
REDRAW_EVENTS = {
    pygame.VIDEORESIZE,
    pygame.VIDEOEXPOSE,
    pygame.WINDOWSIZECHANGED,
    pygame.WINDOWEXPOSED,
    pygame.WINDOWRESTORED,
}


class Browser:
    """The browser's state (which set, which image, which view) and how it looks.

    `handle_events` applies pygame events to the state and says whether the window
    needs redrawing; `draw` paints the current state onto any surface (the window,
    or an off-screen surface for a screenshot). Positions are 0-based inside, and
    shown counting from 1.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike = paths.DATA_DIR,
        set_name: str = "train",
        model: NeuralNetwork | None = None,
        model_note: str = NO_MODEL,
        sets: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
        rng: np.random.Generator | None = None,
    ):
        """Open on image 1 of `set_name`, loading it from `data_dir` unless `sets` already holds it.

        `model` is a trained network, or None to browse without predictions, in which
        case `model_note` says why (it is shown whenever P, E or W is pressed).
        Raises `DataFileError` if the set cannot be loaded.
        """
        self.data_dir = Path(data_dir)
        self.sets = dict(sets or {})
        self.model = model
        self.model_note = model_note
        self.rng = rng if rng is not None else np.random.default_rng()
        self.set_name = set_name
        self.positions = {name: 0 for name in SETS}  # each set remembers where the learner was
        self.view = "digit"  # or "label", "prediction", or one of the screens below
        # The views that are screens of their own, each its own class, by the name --view knows.
        self.screens = {"backquery": ImaginedDigits(self), "hidden": HiddenNodes(self), "confusion": ConfusionMatrix(self)}
        self.selection: Selection | None = None  # the images of one cell of the confusion matrix, when browsing them
        self.view_under_label = "digit"  # the view SPACE's label covers, and the next image returns to
        self.show_help = False
        self.typed = ""  # digits typed so far for a jump
        self.message = ""  # one-off news for the status line, cleared by the next key
        self.running = True
        self.on_busy: Callable[[str], None] | None = None  # told before anything slow
        self._probabilities: dict[str, np.ndarray] = {}  # the network's outputs, per set
        self._misses: dict[str, np.ndarray] = {}  # indices it gets wrong, per set, ascending
        self._fonts: dict[int, pygame.font.Font] = {}
        self._digit_cache: tuple[tuple, pygame.Surface] | None = None
        self._load(set_name)

    # ---- the state -------------------------------------------------------------------

    @property
    def images(self) -> np.ndarray:
        """The images of the set shown: uint8 (n, 28, 28)."""
        return self.sets[self.set_name][0]

    @property
    def labels(self) -> np.ndarray:
        """The labels of the set shown: uint8 (n,)."""
        return self.sets[self.set_name][1]

    @property
    def index(self) -> int:
        """The 0-based position of the image shown in its set."""
        return self.positions[self.set_name]

    @property
    def label(self) -> int:
        """The label of the image shown."""
        return int(self.labels[self.index])

    def probabilities(self) -> np.ndarray | None:
        """The network's ten outputs for the image shown, if it has read this set yet."""
        table = self._probabilities.get(self.set_name)
        return None if table is None else table[self.index]

    def misses(self) -> np.ndarray | None:
        """The 0-based indices of this set's images that the network reads wrong, if known."""
        return self._misses.get(self.set_name)

    def position_text(self) -> str:
        """Where we are, as the status line and the title say it: `train 1 / 60000`."""
        return f"{self.set_name} {self.index + 1} / {len(self.labels)}"

    def label_shown(self) -> bool:
        """Whether the label of the image shown is revealed (by SPACE or the network's view)."""
        return self.view in ("label", "prediction")

    def title(self) -> str:
        """The window title: the position and, once revealed, the label."""
        revealed = f" - label {self.label}" if self.label_shown() else ""
        return f"MNIST {self.position_text()}{revealed}"

    def status_lines(self) -> tuple[str, str]:
        """The two lines of the status bar: the position and state; then news or the model."""
        parts = [self.position_text()]
        if self.selection is not None:
            parts.append(self.selection.position_text(self.index))
        if self.label_shown():
            parts.append(f"label {self.label}")
        misses = self.misses()
        if misses is not None:
            parts.append(f"network misses {len(misses)} ({len(misses) / len(self.labels):.2%})")
        if self.typed:
            parts.append(f"go to {self.typed}_")
        return "    ".join(parts), self.message or self.model_note

    # ---- what changes it ---------------------------------------------------------------

    def go_to(self, index: int) -> None:
        """Show image `index` (0-based) of this set, clamping it into the set with a message."""
        count = len(self.labels)
        if index < 0:
            self.message = "images count from 1: showing the first"
            index = 0
        elif index >= count:
            self.message = f"there is no image {index + 1}: the {self.set_name} set has {count}; showing the last"
            index = count - 1
        if index != self.index and self.view == "label":
            # The label is revealed per image: guess the next one first, in the view it covered.
            self.view = self.view_under_label
        self.positions[self.set_name] = index

    def step(self, delta: int) -> None:
        """Move `delta` images on (or back), stopping at either end with a message."""
        if self.selection is not None:
            self.go_to(self.selection.step(self.index, delta))
            return
        target = self.index + delta
        self.go_to(min(max(target, 0), len(self.labels) - 1))
        if target < 0:
            self.message = f"this is the first image of the {self.set_name} set"
        elif target >= len(self.labels):
            self.message = f"this is the last image of the {self.set_name} set"

    def switch_set(self) -> None:
        """Show the other set (train <-> test), where the learner last was in it."""
        other = SETS[1 - SETS.index(self.set_name)]
        try:
            self._load(other)
        except DataFileError as error:
            self.message = f"cannot show the {other} set: {error}"
            return
        self.set_name = other
        self.selection = None  # a cell's images belong to one set
        if self.view == "label":
            self.view = self.view_under_label
        if self.view == "prediction" or self.view in self.screens:
            self._predict_set()
        if self.view in self.screens:
            self.screens[self.view].prepare()

    def show_random(self) -> None:
        """Show a random image of this set (of the cell browsed), other than the one shown."""
        if self.selection is not None:
            if len(self.selection.indices) > 1:
                others = self.selection.indices[self.selection.indices != self.index]
                self.go_to(int(others[self.rng.integers(len(others))]))
            return
        count = len(self.labels)
        if count > 1:
            self.go_to((self.index + 1 + int(self.rng.integers(count - 1))) % count)

    def toggle_label(self) -> None:
        """Show the label big, or go back to the view it covers (the digit, or the network's reading)."""
        if self.view == "label":
            self.view = self.view_under_label
        else:
            self.view_under_label, self.view = self.view, "label"

    def toggle_prediction(self) -> None:
        """Show what the network reads in this image, or go back to the digit."""
        if self.view == "prediction":
            self.view = "digit"
        elif self._predict_set():
            self.view = "prediction"

    def show_screen(self, name: str) -> None:
        """Show the screen `name` (B, G or M), or go back to the digit if it is shown."""
        if self.view == name:
            self.view = "digit"
        elif self._predict_set():
            self.screens[name].prepare()
            self.selection = None
            self.view = name

    def browse(self, selection: "Selection") -> None:
        """Browse only the images of `selection`, in the network's view, starting at its first."""
        self.selection = selection
        self.view = "prediction"
        self.go_to(int(selection.indices[0]))
        self.message = "ESC: back to the confusion matrix"

    def leave_selection(self) -> None:
        """Back from a cell's images to the confusion matrix."""
        self.selection = None
        self.view = "confusion"

    def jump_to_mistake(self, direction: int) -> None:
        """Show the next (direction 1) or previous (-1) image the network reads wrong."""
        if not self._predict_set():
            return
        self.selection = None
        misses = self.misses()
        self.view = "prediction"
        if len(misses) == 0:
            self.message = f"the network reads every {self.set_name} image right"
            return
        if direction > 0:
            later = misses[misses > self.index]
            target = later[0] if len(later) else misses[0]
            wrapped = not len(later)
        else:
            earlier = misses[misses < self.index]
            target = earlier[-1] if len(earlier) else misses[-1]
            wrapped = not len(earlier)
        self.go_to(int(target))
        number = int(np.searchsorted(misses, target)) + 1
        self.message = f"mistake {number} of {len(misses)}" + (" (wrapped around)" if wrapped else "")

    def handle_events(self, events) -> bool:
        """Apply pygame events in order; True when the window must be redrawn."""
        redraw = False
        for event in events:
            redraw = self.handle(event) or redraw
        return redraw

    def handle(self, event: pygame.event.Event) -> bool:
        """Apply one pygame event; True when the window must be redrawn."""
        if event.type == pygame.QUIT:
            self.running = False
            return False
        if event.type in REDRAW_EVENTS:
            return True
        if event.type != pygame.KEYDOWN:
            return False
        self.press(event.key, getattr(event, "unicode", ""))
        return True

    def press(self, key: int, text: str = "") -> None:
        """Act on one key press: `key` is a pygame key code, `text` the character it typed."""
        self.message = ""
        if self.view in self.screens and self.screens[self.view].press(key):
            return
        digit = text if len(text) == 1 and text in "0123456789" else DIGIT_KEYS.get(key)
        if digit is not None:
            if len(self.typed) < MAX_TYPED_DIGITS:
                self.typed += digit
            return
        if key == pygame.K_BACKSPACE:
            self.typed = self.typed[:-1]
            return
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.typed:
                self.selection = None
                self.go_to(int(self.typed) - 1)
            self.typed = ""
            return
        if key == pygame.K_ESCAPE and (self.typed or self.show_help):
            self.typed, self.show_help = "", False
            return
        if key == pygame.K_ESCAPE and self.selection is not None:
            self.leave_selection()
            return
        if key == pygame.K_ESCAPE and self.view in self.screens:
            self.view = "digit"
            return
        self.typed = ""
        if key in (pygame.K_ESCAPE, pygame.K_q):
            self.running = False
        elif key in STEPS:
            self.step(STEPS[key])
        elif key == pygame.K_HOME:
            self.go_to(0 if self.selection is None else int(self.selection.indices[0]))
        elif key == pygame.K_END:
            self.go_to(len(self.labels) - 1 if self.selection is None else int(self.selection.indices[-1]))
        elif key == pygame.K_SPACE:
            self.toggle_label()
        elif key == pygame.K_t:
            self.switch_set()
        elif key == pygame.K_r:
            self.show_random()
        elif key in (pygame.K_h, pygame.K_F1):
            self.show_help = not self.show_help
        elif key == pygame.K_p:
            self.toggle_prediction()
        elif key == pygame.K_e:
            self.jump_to_mistake(1)
        elif key == pygame.K_w:
            self.jump_to_mistake(-1)
        elif key in SCREEN_KEYS:
            self.show_screen(SCREEN_KEYS[key])

    def _load(self, name: str) -> None:
        """Load set `name` unless it is already in memory."""
        if name not in self.sets:
            self._busy(f"loading the {name} set...")
            images, labels = mnist.load(name, self.data_dir)
            if len(labels) == 0:
                raise DataFileError(f"{self.data_dir}: the {name} set holds no images")
            self.sets[name] = images, labels

    def _predict_set(self) -> bool:
        """Have the network read the whole set shown, once; False (with a message) without a model."""
        if self.model is None:
            self.message = self.model_note
            return False
        if self.set_name not in self._probabilities:
            self._busy(f"the network is reading all {len(self.labels)} {self.set_name} images...")
            # One vectorised pass over the set: a second or two, then every image is instant.
            table = self.model.predict_proba(self.images)
            self._probabilities[self.set_name] = table
            self._misses[self.set_name] = np.flatnonzero(table.argmax(axis=1) != self.labels)
        return True

    def _busy(self, text: str) -> None:
        if self.on_busy is not None:
            self.on_busy(text)

    # ---- how it looks ------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the current state onto `surface`, fitted to its size."""
        width, height = surface.get_size()
        surface.fill(PAPER)
        area = pygame.Rect(0, 0, width, max(height - STATUS_HEIGHT, 0))
        if self.view == "label":
            self._draw_label(surface, area)
        elif self.view in self.screens and self.screens[self.view].ready():
            self.screens[self.view].draw(surface, area)
        elif self.view == "prediction" and self.probabilities() is not None:
            self._draw_prediction(surface, area)
        else:
            self._draw_digit(surface, area)
        self._draw_status(surface, pygame.Rect(0, area.bottom, width, height - area.bottom))
        if self.show_help:
            self._draw_help(surface)

    def _draw_digit(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        rect = digit_rect(area)
        key = (self.set_name, self.index, rect.width)
        if self._digit_cache is None or self._digit_cache[0] != key:
            # Ink is 255 in MNIST: show it black on white, as on paper. surfarray is (x, y).
            grey = (255 - self.images[self.index]).T
            small = pygame.surfarray.make_surface(np.repeat(grey[:, :, None], 3, axis=2))
            # A whole-number nearest-neighbour scale keeps every MNIST pixel a crisp square.
            self._digit_cache = key, pygame.transform.scale(small, rect.size)
        surface.blit(self._digit_cache[1], rect)

    def _draw_label(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        caption = self._text("label", FAINT, max(12, area.height // 14), area.width)
        surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + area.height // 30)))
        big = self._text(str(self.label), LABEL_COLOUR, int(area.height * 0.95), area.width)
        surface.blit(big, big.get_rect(center=(area.centerx, area.centery + area.height // 20)))

    def _draw_prediction(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The digit beside (or above) the network's ten outputs as bars."""
        if area.width >= area.height * 1.25:
            side = min(area.height, int(area.width * 0.55))
            digit_area = pygame.Rect(area.left, area.top, side, area.height)
            panel = pygame.Rect(digit_area.right, area.top, area.width - side, area.height)
        else:
            panel_height = int(area.height * 0.42)
            digit_area = pygame.Rect(area.left, area.top, area.width, area.height - panel_height)
            panel = pygame.Rect(area.left, digit_area.bottom, area.width, panel_height)
        self._draw_digit(surface, digit_area)

        outputs = self.probabilities()
        guess, label = int(outputs.argmax()), self.label
        panel = panel.inflate(-min(24, panel.width // 10), -min(12, panel.height // 10))
        heading = self._text(
            self.headline(),
            RIGHT if guess == label else WRONG,
            max(10, min(44, panel.height // 7)),
            panel.width,
        )
        surface.blit(heading, heading.get_rect(midtop=(panel.centerx, panel.top)))

        rows = pygame.Rect(panel.left, panel.top + heading.get_height() + 4, panel.width, 0)
        rows.height = max(panel.bottom - rows.top, 0)
        row_height = rows.height / 10
        font = self._font(max(8, min(34, int(row_height * 0.95))))
        digit_width = font.size("0")[0] + 8
        percent_width = font.size("100.0%")[0] + 6
        bar_width = max(rows.width - digit_width - percent_width, 1)
        for digit in range(10):
            top = rows.top + digit * row_height
            track = pygame.Rect(rows.left + digit_width, top + row_height * 0.15, bar_width, row_height * 0.7)
            pygame.draw.rect(surface, TRACK, track)
            colour = (RIGHT if digit == label else WRONG) if digit == guess else BAR
            pygame.draw.rect(surface, colour, (track.left, track.top, round(bar_width * outputs[digit]), track.height))
            if digit == label and guess != label:
                pygame.draw.rect(surface, RIGHT, track, width=2)  # where the answer should have been
            name = font.render(str(digit), True, RIGHT if digit == label else TEXT)
            surface.blit(name, name.get_rect(midleft=(rows.left, track.centery)))
            share = font.render(percent(outputs[digit]), True, TEXT)
            surface.blit(share, share.get_rect(midright=(rows.right, track.centery)))

    def headline(self) -> str:
        """Above the bars: what the network reads (or that it is not sure), and whether that is right."""
        outputs = self.probabilities()
        guess, label = int(outputs.argmax()), self.label
        if clear_answer(outputs) is None:
            return f"not sure: maybe {guess} ({percent(outputs[guess])}), label {label}"
        return f"reads {guess} ({percent(outputs[guess])}), label {label}: {'right' if guess == label else 'wrong'}"

    def _draw_status(self, surface: pygame.Surface, bar: pygame.Rect) -> None:
        surface.fill(STATUS_BACKGROUND, bar)
        first, second = self.status_lines()
        hint = self._text("H: keys", FAINT, 22, bar.width)
        # In a narrow window the line loses its last parts whole (never half a word), and
        # if even its first part does not fit beside the hint, the hint gives way.
        parts, font = first.split("    "), self._font(24)
        while len(parts) > 1 and font.size("    ".join(parts))[0] > bar.width - hint.get_width() - 24:
            parts.pop()
        if font.size(parts[0])[0] > bar.width - hint.get_width() - 24:
            hint = None
        else:
            surface.blit(hint, hint.get_rect(topright=(bar.right - 8, bar.top + 5)))
        room = max(bar.width - (hint.get_width() + 24 if hint else 16), 0)
        line = self._text("    ".join(parts), TEXT, 24, room, min_size=17)
        surface.blit(line, (8, bar.top + 5), pygame.Rect(0, 0, room, line.get_height()))
        news = self._text(second, MESSAGE_COLOUR if self.message else FAINT, 22, bar.width - 16, min_size=16)
        surface.blit(news, (8, bar.top + 29))

    def _draw_help(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        size = max(8, min(26, height // (len(KEYS) + 4)))
        for _ in range(2):  # sized by the height first, then smaller if too wide
            font = self._font(size)
            key_width = max(font.size(key)[0] for key, _ in KEYS) + size
            box_width = key_width + max(font.size(what)[0] for _, what in KEYS) + 2 * size
            if box_width <= width * 0.96:
                break
            size = max(8, int(size * width * 0.96 / box_width))
        line_height = int(size * 1.15)
        box = pygame.Rect(0, 0, box_width, (len(KEYS) + 1) * line_height + size)
        box.center = (width // 2, height // 2)
        veil = pygame.Surface(box.size, pygame.SRCALPHA)
        veil.fill((255, 255, 255, 240))
        surface.blit(veil, box)
        pygame.draw.rect(surface, FAINT, box, width=1)
        for row, (key, what) in enumerate(KEYS):
            y = box.top + size + row * line_height
            surface.blit(font.render(key, True, LABEL_COLOUR), (box.left + size, y))
            surface.blit(font.render(what, True, TEXT), (box.left + size + key_width, y))

    def _font(self, size: int) -> pygame.font.Font:
        if size not in self._fonts:
            if len(self._fonts) > 40:
                self._fonts.clear()  # resizing the window asks for ever new sizes
            if not pygame.font.get_init():
                pygame.font.init()
            self._fonts[size] = pygame.font.Font(None, size)  # pygame's own font: always there
        return self._fonts[size]

    def _text(self, text: str, colour: tuple, size: int, max_width: int, min_size: int = 8) -> pygame.Surface:
        """`text` rendered at `size`, or smaller (down to `min_size`) so that it fits in `max_width`."""
        rendered = self._font(size).render(text, True, colour)
        if rendered.get_width() > max_width > 0:
            smaller = max(min_size, int(size * max_width / rendered.get_width()))
            rendered = self._font(smaller).render(text, True, colour)
        return rendered


def percent(probability: float) -> str:
    """A probability as the window shows it, in the headline and on the bars alike: `99.9%`."""
    return f"{probability:.1%}"


def digit_rect(area: pygame.Rect) -> pygame.Rect:
    """Where the digit goes in `area`: a square of a whole multiple of 28 pixels, centred."""
    side = max(1, min(area.width, area.height) // SIDE) * SIDE
    rect = pygame.Rect(0, 0, side, side)
    rect.center = area.center
    return rect



# ---- the screens of their own: B, G and M --------------------------------------------------


def grey_surface(images: np.ndarray) -> pygame.Surface:
    """A surface of one 2-D image of ink levels (0 to 255), shown black on white."""
    grey = np.clip(255 - np.rint(images), 0, 255).astype(np.uint8).T  # surfarray is (x, y)
    return pygame.surfarray.make_surface(np.repeat(grey[:, :, None], 3, axis=2))


def crisp_side(side: int) -> int:
    """`side`, rounded down to a whole multiple of 28 when that leaves it at least 28 (crisp pixels)."""
    return side // SIDE * SIDE if side >= SIDE else max(side, 1)


class Selection:
    """Some images of a set (one cell of the confusion matrix: "the 4s it reads as 9"), browsed in order."""

    def __init__(self, indices: np.ndarray, name: str):
        """`indices`: the images' 0-based positions in their set, ascending, at least one."""
        self.indices = np.asarray(indices)
        self.name = name

    def step(self, index: int, delta: int) -> int:
        """The image `delta` places on from `index` among the selection, stopping at either end."""
        position = int(np.searchsorted(self.indices, index))
        return int(self.indices[min(max(position + delta, 0), len(self.indices) - 1)])

    def position_text(self, index: int) -> str:
        """Where `index` is among the selection, as the status line says it: `4 read as 9: 2 of 7`."""
        return f"{self.name}: {int(np.searchsorted(self.indices, index)) + 1} of {len(self.indices)}"


class ImaginedDigits:
    """B: what the network imagines for each digit (its backquery) above the set's average of each digit."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self._imagined: np.ndarray | None = None  # once per network: it never changes in a browser
        self._averages: dict[str, np.ndarray] = {}  # once per set

    def press(self, key: int) -> bool:
        """This screen has no keys of its own: every key does what it does elsewhere."""
        return False

    def prepare(self) -> None:
        """Compute what the set shown needs, before it is drawn (averaging a set takes a second or two)."""
        self.imagined()
        self.averages()

    def ready(self) -> bool:
        """Whether `draw` can draw at once."""
        return self._imagined is not None and self.browser.set_name in self._averages

    def imagined(self) -> np.ndarray:
        """The ten backquery images, uint8 (10, 28, 28)."""
        if self._imagined is None:
            self._imagined = np.stack([self.browser.model.backquery(digit) for digit in range(10)])
        return self._imagined

    def averages(self) -> np.ndarray:
        """Each digit's average image in the set shown, straightened as the network sees it."""
        name = self.browser.set_name
        if name not in self._averages:
            self.browser._busy(f"averaging the {name} set's digits...")
            self._averages[name] = inside.average_digits(self.browser.model, self.browser.images, self.browser.labels)
        return self._averages[name]

    def layout(self, area: pygame.Rect) -> tuple[int, list[tuple[pygame.Rect, pygame.Rect]]]:
        """The text size, and where each digit's two pictures go, in the grid of pairs that shows them largest."""
        gap, text_size = max(4, area.width // 80), max(10, min(26, area.height // 20))
        grid = pygame.Rect(area.left, area.top + 2 * text_size + gap, area.width, area.height - 2 * text_size - gap)
        tile, columns = max(
            (min((grid.width - gap) // columns // 2 - gap, (grid.height - gap) // -(-10 // columns) - text_size - gap), columns)
            for columns in (1, 2, 3, 4, 5, 10)
        )
        tile = crisp_side(max(tile, 1))
        pair_width = 2 * tile + 3 * gap
        left = grid.centerx - columns * pair_width // 2
        pairs = []
        for digit in range(10):
            x = left + (digit % columns) * pair_width + gap
            y = grid.top + (digit // columns) * (tile + text_size + gap) + text_size
            pairs.append((pygame.Rect(x, y, tile, tile), pygame.Rect(x + tile + gap, y, tile, tile)))
        return text_size, pairs

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Each digit's pair: imagined on the left, average on the right."""
        browser = self.browser
        text_size, pairs = self.layout(area)
        for row, line in enumerate(("left: what the network imagines for the digit (backquery)",
                                    f"right: the average {browser.set_name} digit, straightened as the network sees it")):
            caption = browser._text(line, FAINT, text_size, area.width - 8)
            surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 2 + row * text_size)))
        for digit, rects in enumerate(pairs):
            name = browser._text(str(digit), LABEL_COLOUR, text_size, rects[1].right - rects[0].left)
            surface.blit(name, name.get_rect(midbottom=((rects[0].right + rects[1].left) // 2, rects[0].top + 2)))
            for rect, image in zip(rects, (self.imagined()[digit], self.averages()[digit])):
                surface.blit(pygame.transform.scale(grey_surface(image), rect.size), rect)
                pygame.draw.rect(surface, TRACK, rect.inflate(2, 2), width=1)


class HiddenNodes:
    """G: each hidden node's incoming weights as a 28x28 picture; the image's favourite nodes framed.

    Red where ink excites the node, blue where ink calms it, white where it does not
    matter (`myonn.inside.signed_rgb`), each picture scaled to its own strongest weight.
    """

    MARKED = 10  # how many of the nodes the image excites most are framed
    MARK = (20, 135, 60)

    def __init__(self, browser: Browser):
        self.browser = browser
        self._pictures: list[pygame.Surface] | None = None  # once per network
        self._gallery: tuple[tuple, pygame.Surface] | None = None  # the scaled grid, once per size
        self._marked: tuple[tuple, np.ndarray] | None = None  # once per image

    def press(self, key: int) -> bool:
        """No keys of its own: the arrows still move through the images, and the frames follow."""
        return False

    def prepare(self) -> None:
        """Nothing slow to do: the pictures are made on the first draw, in a few milliseconds."""

    def ready(self) -> bool:
        """Always: every image's activations take a fraction of a millisecond."""
        return True

    def marked(self) -> np.ndarray:
        """The nodes the image shown excites most (the largest hidden outputs), most excited first."""
        browser = self.browser
        key = (browser.set_name, browser.index)
        if self._marked is None or self._marked[0] != key:
            hidden_outputs = inside.activations(browser.model, browser.images[browser.index]).hidden_outputs
            self._marked = key, np.argsort(-hidden_outputs, kind="stable")[: self.MARKED]
        return self._marked[1]

    def layout(self, area: pygame.Rect) -> tuple[pygame.Rect, list[pygame.Rect]]:
        """Where the image goes (a band at the top) and each node's picture (a grid below)."""
        count = self.browser.model.hnodes
        band = pygame.Rect(area.left, area.top, area.width, max(area.height // 5, 1))
        grid = pygame.Rect(area.left + 4, band.bottom + 4, area.width - 8, max(area.bottom - band.bottom - 8, 1))
        # The number of columns that makes the pictures largest.
        tile, columns = max(
            (min(grid.width // columns, grid.height // -(-count // columns)), columns) for columns in range(1, count + 1)
        )
        tile = max(tile, 2)
        left = grid.centerx - columns * tile // 2
        tiles = [pygame.Rect(left + (n % columns) * tile, grid.top + (n // columns) * tile, tile, tile) for n in range(count)]
        return band, tiles

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The image and a caption above the grid of pictures; the favourites framed."""
        browser = self.browser
        band, tiles = self.layout(area)
        browser._draw_digit(surface, pygame.Rect(band.left, band.top, band.height, band.height))
        size = max(10, min(24, band.height // 4))
        lines = [
            f"{len(tiles)} hidden nodes, each one's weights",
            "red: ink there excites the node; blue: ink there calms it",
            f"framed: the {self.MARKED} nodes this image excites most",
        ]
        for row, line in enumerate(lines):
            text = browser._text(line, MARK_TEXT if row == 2 else TEXT, size, band.width - band.height - 16)
            surface.blit(text, (band.left + band.height + 8, band.top + 4 + row * int(size * 1.2)))
        key = (area.size, tiles[0].width)
        if self._gallery is None or self._gallery[0] != key:
            self._gallery = key, self._render_gallery(area, tiles)
        surface.blit(self._gallery[1], area.topleft)
        for node in self.marked():
            pygame.draw.rect(surface, self.MARK, tiles[node], width=max(2, tiles[node].width // 10))

    def _render_gallery(self, area: pygame.Rect, tiles: list[pygame.Rect]) -> pygame.Surface:
        if self._pictures is None:
            pictures = inside.hidden_pictures(self.browser.model)
            limits = np.abs(pictures).max(axis=(1, 2), keepdims=True)
            colours = inside.signed_rgb(pictures, limit=limits)
            self._pictures = [pygame.surfarray.make_surface(picture.transpose(1, 0, 2)) for picture in colours]
        gallery = pygame.Surface(area.size, pygame.SRCALPHA)
        inner = max(tiles[0].width - 2, 1)  # a pixel of background between pictures
        for picture, tile in zip(self._pictures, tiles):
            gallery.blit(pygame.transform.scale(picture, (inner, inner)), (tile.left + 1 - area.left, tile.top + 1 - area.top))
        return gallery


class ConfusionMatrix:
    """M: how often each digit (row) is read as each digit (column) in the set shown.

    The arrow keys choose a cell; ENTER browses exactly its images ("the 4s it reads
    as 9") with the usual keys, and ESC comes back here.
    """

    MOVES = {pygame.K_UP: (-1, 0), pygame.K_DOWN: (1, 0), pygame.K_LEFT: (0, -1), pygame.K_RIGHT: (0, 1)}

    def __init__(self, browser: Browser):
        self.browser = browser
        self.cell: tuple[int, int] | None = None  # (true digit, digit read); first the commonest mistake
        self._matrices: dict[str, np.ndarray] = {}

    def prepare(self) -> None:
        """The browser has had the network read the set: the counts follow at once."""
        self.matrix()

    def ready(self) -> bool:
        """Whether the network has read the set shown."""
        return self.browser.set_name in self.browser._probabilities

    def matrix(self) -> np.ndarray:
        """The counts: row = the label, column = the network's reading (int (10, 10))."""
        name = self.browser.set_name
        if name not in self._matrices:
            readings = self.browser._probabilities[name].argmax(axis=1)
            self._matrices[name] = confusion_matrix(self.browser.labels, readings)
        return self._matrices[name]

    def chosen(self) -> tuple[int, int]:
        """The cell chosen: at first the commonest mistake."""
        if self.cell is None:
            mistakes = self.matrix() * (1 - np.eye(10, dtype=int))
            self.cell = tuple(int(i) for i in np.unravel_index(mistakes.argmax(), mistakes.shape))
        return self.cell

    def images(self) -> np.ndarray:
        """The 0-based indices of the set's images in the chosen cell, ascending."""
        label, reading = self.chosen()
        readings = self.browser._probabilities[self.browser.set_name].argmax(axis=1)
        return np.flatnonzero((self.browser.labels == label) & (readings == reading))

    def press(self, key: int) -> bool:
        """Arrows choose a cell, ENTER browses its images; the rest is the browser's."""
        if key in self.MOVES:
            (row, column), (down, right) = self.chosen(), self.MOVES[key]
            self.cell = (min(max(row + down, 0), 9), min(max(column + right, 0), 9))
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            label, reading = self.chosen()
            indices = self.images()
            if len(indices) == 0:
                self.browser.message = f"no {label} is read as {reading} in the {self.browser.set_name} set"
            else:
                self.browser.browse(Selection(indices, f"{label}s read as {reading}"))
            return True
        return key in DIGIT_KEYS  # typed numbers mean nothing here

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The ten by ten counts, mistakes in red, right readings in green, the chosen cell framed."""
        browser, matrix = self.browser, self.matrix()
        label, reading = self.chosen()
        text_size = max(10, min(26, area.height // 22))
        cell = max(min((area.width - 8) // 11, (area.height - 3 * text_size - 8) // 11), 4)
        left = area.centerx - 11 * cell // 2 + cell  # one column of row names on the left
        top = area.top + text_size + 4 + cell  # one row of column names on top
        caption = browser._text("rows: the true digit; columns: what the network reads", FAINT, text_size, area.width - 8)
        surface.blit(caption, caption.get_rect(midtop=(area.centerx, area.top + 2)))
        font = browser._font(max(8, min(int(cell * 0.45), 30)))
        totals = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        for digit in range(10):
            for text, centre in ((str(digit), (left + digit * cell + cell // 2, top - cell // 2)),
                                 (str(digit), (left - cell // 2, top + digit * cell + cell // 2))):
                name = font.render(text, True, LABEL_COLOUR)
                surface.blit(name, name.get_rect(center=centre))
        for row in range(10):
            for column in range(10):
                rect = pygame.Rect(left + column * cell, top + row * cell, cell, cell)
                share = matrix[row, column] / totals[row, 0]
                # Mistakes are rare: their colour grows with the square root of their share, to show.
                strength = share if row == column else min(1.0, float(np.sqrt(share) * 3))
                colour = RIGHT if row == column else WRONG
                pygame.draw.rect(surface, tuple(int(255 + (c - 255) * strength * 0.6) for c in colour), rect)
                pygame.draw.rect(surface, TRACK, rect, width=1)
                if matrix[row, column]:
                    count = font.render(str(matrix[row, column]), True, TEXT)
                    if count.get_width() > cell - 2:
                        count = pygame.transform.smoothscale(count, (cell - 2, count.get_height() * (cell - 2) // count.get_width()))
                    surface.blit(count, count.get_rect(center=rect.center))
        chosen = pygame.Rect(left + reading * cell, top + label * cell, cell, cell)
        pygame.draw.rect(surface, LABEL_COLOUR, chosen.inflate(4, 4), width=3)
        count = int(matrix[label, reading])
        what = "read right" if label == reading else f"read as {reading}"
        hint = f"{count} {label}s {what}" + ("; ENTER shows them, ESC comes back" if count else "")
        line = browser._text(hint, TEXT, text_size, area.width - 8)
        surface.blit(line, line.get_rect(midtop=(area.centerx, top + 10 * cell + 4)))


# ---- the command line and the window ----------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, checked by argparse (a bad option exits 2 with one line)."""
    keys = "\n".join(f"  {key:<26}{what}" for key, what in KEYS)
    parser = ArgumentParser(
        prog=PROGRAM,
        description="Browse the MNIST digits in a window and see what a trained network reads in each.",
        epilog=f"keys in the window:\n{keys}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--set", choices=SETS, default="train", help="the set to start in (default: train)")
    parser.add_argument("--index", type=positive_int, default=1, metavar="N",
                        help="start at image N, counting from 1 as the status line does (default: 1); "
                             "beyond the set it is clamped to the last image")
    parser.add_argument("--data-dir", default=paths.DATA_DIR, metavar="DIR",
                        help="folder of the MNIST files; missing ones are downloaded into it (default: the project's data/)")
    parser.add_argument("--model", metavar="PATH",
                        help="a network saved by ./mnist_train.py, for P, E and W (default: yours, data/my_nn.npz, "
                             "or before you have one the shipped data/mnist_nn.npz; without one the browser "
                             "runs without predictions)")
    parser.add_argument("--scale", type=whole_number_up_to(MAX_SCALE), default=20, metavar="N",
                        help=f"screen pixels per MNIST pixel, 1 to {MAX_SCALE}, setting the window's first size (default: 20)")
    parser.add_argument("--predict", action="store_true",
                        help="start showing what the network reads, as P does (the same as --view prediction)")
    parser.add_argument("--view", choices=VIEWS, default="digit",
                        help="start in this view: the digit, its label, what the network reads (P), what it "
                             "imagines (B), its hidden nodes (G) or its confusion matrix (M) (default: digit)")
    parser.add_argument("--screenshot", type=png_path, metavar="PATH",
                        help="draw the first frame (after the other options) to a PNG file and exit, "
                             "without opening a window")
    return parser.parse_args(argv)


def load_model(path: Path) -> tuple[NeuralNetwork | None, str]:
    """The network for predictions and the status line's note about it.

    The browser is useful without a network, so a model that is missing or cannot be
    used, named or by default, is reported once on stderr and the browser runs
    without predictions (P, E and W then say why). A good one is named on stdout.
    """
    try:
        model = load_mnist_network(path)
    except ModelFileError as error:
        print(f"{PROGRAM}: warning: {error}; browsing without predictions", file=sys.stderr)
        return None, f"no predictions: {error}"
    print(reading_with(path, model.metadata), flush=True)
    accuracy = model.metadata.get("test_accuracy")
    reads = f": {accuracy:.2%} right on the test set" if isinstance(accuracy, (int, float)) else ""
    return model, f"model {paths.shown(path)}{reads}"


def open_window(browser: Browser, size: tuple[int, int]) -> pygame.Surface:
    """Open the resizable window, no larger than the screen, with held keys repeating."""
    try:
        init_display()
        desktop = pygame.display.Info()
        if desktop.current_w > 0 and desktop.current_h > 0:
            size = (min(size[0], int(desktop.current_w * 0.95)), min(size[1], int(desktop.current_h * 0.9)))
        screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    except pygame.error as error:
        raise MyonnError(f"cannot open a window ({error}); --screenshot PATH draws without one") from None
    pygame.display.set_caption(browser.title())
    pygame.key.set_repeat(REPEAT_DELAY_MS, REPEAT_INTERVAL_MS)
    pygame.event.set_blocked([pygame.MOUSEMOTION, pygame.FINGERMOTION])  # nothing to do on mouse moves
    return screen


def run_window(browser: Browser) -> None:
    """The main loop: sleep until an event, apply it (and any others queued), redraw if needed."""

    was_busy = False

    def show_busy(text: str) -> None:
        nonlocal was_busy
        saved, browser.message = browser.message, text
        browser.draw(pygame.display.get_surface())
        pygame.display.flip()
        browser.message = saved
        was_busy = True

    browser.on_busy = show_busy
    redraw, caption = True, ""
    while browser.running:
        if redraw:
            browser.draw(pygame.display.get_surface())  # the display surface follows the window's size
            pygame.display.flip()
            if browser.title() != caption:
                caption = browser.title()
                pygame.display.set_caption(caption)
        # wait() sleeps, so an idle browser uses next to no processor time; it wakes
        # every WAIT_MS all the same, so that Ctrl-C in the terminal is seen.
        redraw = browser.handle_events([pygame.event.wait(WAIT_MS), *pygame.event.get()])
        if was_busy:
            # The key held while the network read the set kept repeating: one press, one action.
            pygame.event.clear((pygame.KEYDOWN, pygame.TEXTINPUT))
            was_busy = False


def main(argv: list[str] | None = None) -> int:
    """Parse the options, load the set (and the model), then run the window or save a screenshot."""
    args = parse_args(argv)
    # Only the set shown is loaded now (the other on the first T), so the window opens at once.
    shown = {args.set: mnist.load(args.set, args.data_dir)}
    model, note = load_model(Path(args.model) if args.model else paths.default_model(*MODEL_CANDIDATES))
    browser = Browser(args.data_dir, args.set, model, note, sets=shown)
    browser.go_to(args.index - 1)
    if args.predict or args.view == "prediction":
        browser.toggle_prediction()
    elif args.view == "label":
        browser.toggle_label()
    elif args.view in browser.screens:
        browser.show_screen(args.view)
    size = (SIDE * args.scale, SIDE * args.scale + STATUS_HEIGHT)
    pygame.font.init()
    try:
        if args.screenshot:
            frame = pygame.Surface(size)
            browser.draw(frame)
            save_png(frame, args.screenshot)
            return 0
        open_window(browser, size)
        run_window(browser)
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    run(main, PROGRAM)
