"""The MNIST browser's window (mnist_render.py): which set, which image, which view, and how it looks.

Browser is the state and its keys (a table from key to method) and draws it all onto
any surface through its views, each in its own module: the digit and its label, P's
bars, the screens B, G and M, and the status bar under them. browser_window
shows it on the display.
"""

from __future__ import annotations

import os
from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork
from myonn.plumbing import paths
from myonn.plumbing.errors import DataFileError
from myonn.windows.browser_keys import KEYS, SCREEN_KEYS, BrowserKeys
from myonn.windows.browsed_sets import BrowsedSets, Shown, next_miss
from myonn.windows.confusion_matrix_view import ConfusionMatrix, Selection
from myonn.windows.digit_view import DigitView, LabelView
from myonn.windows.fonts import Fonts
from myonn.windows.help_overlay import draw_help
from myonn.windows.hidden_nodes_view import HiddenNodes
from myonn.windows.imagined_digits_view import ImaginedDigits
from myonn.windows.nearest_view import NearestScreen
from myonn.windows.palette import PAPER
from myonn.windows.prediction_view import PredictionView
from myonn.windows.status_bar import STATUS_HEIGHT, StatusBar
from myonn.windows.view import FRAME

SETS = ("train", "test")
NO_MODEL = "no model: train one with ./mnist_train.py"
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

    `handle_events` applies pygame events to the state (the keys: browser_keys) and
    says whether the window needs redrawing; `draw` paints the current state onto any
    surface (the window, or an off-screen surface for a screenshot) through the views,
    each handed what it draws from (`shown`, the fonts, the network). Positions are
    0-based inside, and shown counting from 1.
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
        self.data = BrowsedSets(data_dir, sets or {}, model, self.busy)
        self.model = model
        self.model_note = model_note
        self.rng = rng if rng is not None else np.random.default_rng()
        self.set_name = set_name
        self.positions = {name: 0 for name in SETS}  # each set remembers where the learner was
        self.view = "digit"  # or "label", "prediction", or one of the screens
        self.fonts = fonts = Fonts()
        shown = self.shown  # what every view draws from
        self.digit = DigitView(shown)  # also beside P's bars and above G's nodes
        self.views = {
            "digit": self.digit,
            "label": LabelView(shown, fonts),
            "prediction": PredictionView(shown, fonts, self.digit.draw),
        }
        # The views that are screens of their own, by the name --view knows.
        self.screens = {
            "backquery": ImaginedDigits(model, shown, fonts, self.busy, lambda: self.data.load("train")[0]),
            "hidden": HiddenNodes(model, shown, fonts, self.digit.draw),
            "confusion": ConfusionMatrix(shown, fonts, self.browse, self.tell),
            "nearest": NearestScreen(model, shown, fonts, self.busy, lambda: self.data.load("train")),
        }
        self.status_bar = StatusBar(fonts, self.status_lines, lambda: bool(self.message))
        self.selection: Selection | None = None  # the images of one cell of the confusion matrix, when browsing them
        self.view_under_label = "digit"  # the view SPACE's label covers, and the next image returns to
        self.show_help = False
        self.typed = ""  # digits typed so far for a jump
        self.message = ""  # one-off news for the status line, cleared by the next key
        self.running = True
        self.on_busy: Callable[[str], None] | None = None  # told before anything slow
        self.keys = BrowserKeys(self)
        self.data.load(set_name)

    # ---- the state -------------------------------------------------------------------

    @property
    def sets(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The sets in memory, by name: (images, labels)."""
        return self.data.loaded

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

    def shown(self) -> Shown:
        """The set and image shown, with the network's readings of the set: what the views draw."""
        return self.data.shown(self.set_name, self.index)

    def probabilities(self) -> np.ndarray | None:
        """The network's ten outputs for the image shown, if it has read this set yet."""
        table = self.data.readings(self.set_name)
        return None if table is None else table[self.index]

    def misses(self) -> np.ndarray | None:
        """The 0-based indices of this set's images that the network reads wrong, if known."""
        return self.data.misses(self.set_name)

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
        if self.typed:  # what the learner is typing, kept before the rest when the line is too long
            parts.append(f"go to {self.typed}_")
        if self.selection is not None:
            parts.append(self.selection.position_text(self.index))
        if self.label_shown():
            parts.append(f"label {self.label}")
        misses = self.misses()
        if misses is not None:
            parts.append(f"network misses {len(misses)} ({len(misses) / len(self.labels):.2%})")
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
            self.data.load(other)
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

    def browse(self, selection: Selection) -> None:
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
        target, wrapped = next_miss(misses, self.index, direction)
        self.go_to(target)
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
        if event.type == FRAME:
            return self.tick()
        if event.type != pygame.KEYDOWN:
            return False
        self.press(event.key, getattr(event, "unicode", ""))
        return True

    def press(self, key: int, text: str = "") -> None:
        """Act on one key press: `key` is a pygame key code, `text` the character it typed (see browser_keys)."""
        self.keys.press(key, text)

    def quit(self) -> None:
        """Stop the window (Q, or ESC when it has nothing left to close)."""
        self.running = False

    def go_to_first(self) -> None:
        """HOME: the first image of the set (of the cell browsed)."""
        self.go_to(0 if self.selection is None else int(self.selection.indices[0]))

    def go_to_last(self) -> None:
        """END: the last image of the set (of the cell browsed)."""
        self.go_to(len(self.labels) - 1 if self.selection is None else int(self.selection.indices[-1]))

    def toggle_help(self) -> None:
        """H or F1: show or hide the keys."""
        self.show_help = not self.show_help

    def _predict_set(self) -> bool:
        """Have the network read the whole set shown, once; False (with a message) without a model."""
        if self.model is None:
            self.message = self.model_note
            return False
        self.data.read(self.set_name)
        return True

    def forming(self) -> bool:
        """Whether the screen shown moves on its own (the dreams forming): the window then sends FRAME events."""
        screen = self.screens.get(self.view)
        return screen is not None and screen.forming()

    def tick(self) -> bool:
        """One frame of the screen shown moving on its own; True if it changed."""
        screen = self.screens.get(self.view)
        return screen is not None and screen.tick()

    def settle(self) -> None:
        """Let the screen shown move on at once to where it stops (for a screenshot)."""
        screen = self.screens.get(self.view)
        if screen is not None:
            screen.finish()

    def tell(self, text: str) -> None:
        """Put `text` on the status line, until the next key."""
        self.message = text

    def busy(self, text: str) -> None:
        """Tell `on_busy` (the window, if there is one) that something slow starts: `text` says what."""
        if self.on_busy is not None:
            self.on_busy(text)

    # ---- how it looks ------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the current state onto `surface`, fitted to its size: the view, the status bar, the help."""
        width, height = surface.get_size()
        surface.fill(PAPER)
        area = pygame.Rect(0, 0, width, max(height - STATUS_HEIGHT, 0))
        view = self.screens.get(self.view) or self.views[self.view]
        (view if view.ready() else self.digit).draw(surface, area)
        self.status_bar.draw(surface, pygame.Rect(0, area.bottom, width, height - area.bottom))
        if self.show_help:
            draw_help(surface, KEYS, self.fonts)
