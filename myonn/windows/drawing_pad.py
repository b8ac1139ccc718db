"""The draw window's canvas and what a user does with it, without the window.

`DrawingPad` holds the drawing (its strokes, for undo), the network's reading of it,
the lessons given with the digit keys and the hidden nodes knocked out with K. The
window (`myonn.windows.draw_window`) turns mouse and key events into its verbs;
the views beside the canvas see its `reading()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from myonn import NeuralNetwork, inside
from myonn.answer import clear_answer, whole_percentages
from myonn.familiar import Familiarity
from myonn.plumbing.errors import MyonnError
from myonn.preprocess import SIZE, to_mnist, to_mnist_steps, too_small
from myonn.teaching import Teacher
from myonn.windows.brush import ERASER_SCALE, Stroke
from myonn.windows.palette import TEXT, WARNING

CANVAS = 448  # canvas pixels a side: 16 for each MNIST pixel


@dataclass
class Reading:
    """What the views beside the canvas show: the canvas and the network's answer for it, if any."""

    canvas: np.ndarray  # the drawing, ink 255 on 0
    probabilities: np.ndarray | None  # the network's answer, when one is shown
    seen: np.ndarray | None  # the 28x28 image behind that answer, as the network gets it
    hidden_outputs: np.ndarray | None  # every hidden node's output behind that answer
    stages: dict[str, np.ndarray] | None  # to_mnist's steps to that image
    silenced: np.ndarray  # the hidden nodes knocked out (K)
    is_read: bool  # SPACE read it, and it has not changed since
    too_small: bool  # the drawing is too few pen widths across to read
    familiar: bool = True  # it looks like the digits the network learned (myonn.familiar)

    @property
    def doubt(self) -> str | None:
        """Why the window shows "?" instead of the digit read: "small", "strange" or "unsure"; None when it reads one."""
        if self.probabilities is None:
            return None
        if self.too_small:
            return "small"
        if not self.familiar:
            return "strange"
        if clear_answer(self.probabilities, whole_percentages(self.probabilities)) is None:
            return "unsure"
        return None

    @property
    def answer(self) -> int | None:
        """The digit the network reads, when an answer is shown."""
        return None if self.probabilities is None else int(np.argmax(self.probabilities))


class DrawingPad:
    """The canvas, its strokes and its reading: the draw window's state, driven by its verbs."""

    def __init__(
        self,
        network: NeuralNetwork,
        brush: int = 28,
        live: bool = True,
        teacher: Teacher | None = None,
        no_teaching: str = "",
    ):
        """A blank canvas read by `network`, drawn with a brush `brush` canvas pixels wide.

        `teacher` (teaching `network`) gives lessons for the digit keys and U;
        without one, those keys show `no_teaching`, why there is none.
        """
        self.network = network
        self.teacher = teacher
        self.no_teaching = no_teaching or "teaching is off"
        self.brush = brush
        self.live = live
        self.canvas = np.zeros((CANVAS, CANVAS), np.uint8)
        self.strokes: list[Stroke] = []
        self.cleared: list[list[Stroke]] = []  # digits cleared away, the last on top, for Ctrl+Z
        self.stroke: Stroke | None = None  # the stroke being drawn, while its button is held
        self.probabilities: np.ndarray | None = None  # the network's answer, when one is shown
        self.seen: np.ndarray | None = None  # the 28x28 image behind that answer, as the network gets it
        self.hidden_outputs: np.ndarray | None = None  # every hidden node's output behind that answer
        self.stages: dict[str, np.ndarray] | None = None  # to_mnist's steps to that image (the S view shows them)
        # Hidden nodes knocked out by K: a mask applied as the network reads; its weights stay as they are.
        self.silenced = np.zeros(network.hnodes, bool)
        self.rng = np.random.default_rng()
        self.is_read = False  # SPACE was pressed and the canvas has not changed since
        self.taught: int | None = None  # the digit this reading was taught as, once it was
        self.too_small = False  # the answer shown is for a drawing too few pen widths across to read
        # Learned from MNIST once the window is open (myonn.familiar.InBackground);
        # until then, and without MNIST, every drawing counts as familiar.
        self.familiarity: Familiarity | None = None
        self.familiar = True  # the answer shown is for a drawing that looks like a digit
        self.learn_familiarity: Callable[[], None] | None = None  # (again) after a lesson changed the network
        self.message = ""  # a passing word to the user, cleared by their next action
        # News (not a warning), cleared likewise: at the start, which network reads and what it was taught.
        self.note = teacher.greeting() if teacher else no_teaching
        self.stale = False  # the canvas changed since the answer was computed

    @property
    def answer(self) -> int | None:
        """The digit the network reads, when an answer is shown."""
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    def reading(self) -> Reading:
        """The canvas and its answer as they are now, for the views."""
        return Reading(
            self.canvas,
            self.probabilities,
            self.seen,
            self.hidden_outputs,
            self.stages,
            self.silenced,
            self.is_read,
            self.too_small,
            self.familiar,
        )

    def is_empty(self) -> bool:
        """Whether the canvas holds no ink."""
        return not self.canvas.any()

    # ---- the pen ------------------------------------------------------------------------------

    def trace(self, points: list[tuple[int, int]]) -> None:
        """Draw one stroke through `points` (canvas pixels), as the left button would."""
        stroke = Stroke(255, self.brush)
        for point in points:
            stroke.extend(self.canvas, point)
        self.strokes.append(stroke)
        self.changed()

    def pen_down(self, point: tuple[int, int], erase: bool = False) -> None:
        """A button pressed on the canvas at `point`: a stroke of ink (or, `erase`, of the eraser) begins."""
        self.message = self.note = ""
        if not erase and self.is_read:
            self.clear()  # a new digit after a reading starts afresh, as in the talk (Ctrl+Z brings it back)
        if not erase:
            self.stroke = Stroke(255, self.brush)
        else:
            self.stroke = Stroke(0, self.brush * ERASER_SCALE)
        self.strokes.append(self.stroke)
        self.pen_moved(point)

    def pen_moved(self, point: tuple[int, int]) -> None:
        """The held pen moved to `point` (canvas pixels; it may lie outside the canvas)."""
        self.stroke.extend(self.canvas, point)
        self.changed()

    def pen_up(self) -> None:
        """The stroke's button was let go."""
        self.stroke = None

    # ---- what the keys do ---------------------------------------------------------------------

    def read(self) -> None:
        """SPACE: read the digit; or, when it was just read, clear for the next one."""
        if self.is_read:
            self.clear()
        elif self.is_empty():
            self.message = "Draw a digit first, then press SPACE"
        else:
            self.recompute()
            self.is_read = True

    def clear(self) -> None:
        """C or BACKSPACE: a blank canvas, no strokes, no answer (Ctrl+Z brings the digit back)."""
        if self.strokes:
            self.cleared.append(self.strokes)
        self.stroke = None
        self.strokes = []
        self.canvas.fill(0)
        self.changed()

    def undo(self) -> None:
        """Ctrl+Z: take back the last stroke (ink or eraser), or on a cleared canvas bring back the digit cleared.

        Clearing leaves no strokes behind, so "the last thing done" is the last stroke
        while there are strokes, and the last clearing once there are none.
        """
        if self.strokes:
            if self.strokes.pop() is self.stroke:
                self.stroke = None
        elif self.cleared:
            self.strokes = self.cleared.pop()
        else:
            return
        self.canvas.fill(0)
        for stroke in self.strokes:
            stroke.paint(self.canvas)
        self.changed()

    def toggle_live(self) -> None:
        """L: live mode on or off; the answer shown follows at the next update."""
        self.live = not self.live
        self.stale = True

    def teach(self, digit: int) -> None:
        """A digit key: the digit just read is `digit`; the network learns it at once.

        Only after a reading the learner saw (SPACE, even in live mode, where the answer
        shown moves with every stroke), and once a reading: a second lesson on the same
        drawing would teach it twice (U takes the first back, to teach another digit).
        """
        if self.teacher is None:
            self.message = self.no_teaching
        elif not self.is_read or self.probabilities is None or self.stale:
            self.message = f"Press SPACE to have it read first; then {digit} teaches it that it is a {digit}"
        elif self.taught is not None:
            self.message = f"Already taught as a {self.taught}; U takes that back, SPACE clears for the next digit"
        else:
            before = self.answer
            try:
                self.note = self.teacher.teach(to_mnist(self.canvas), digit)
            except MyonnError as error:
                self.message = str(error)
                return
            self.taught = digit
            self.relearn_familiarity()
            self.recompute()  # the reading on screen, by the network as it is now
            if before != digit == self.answer:
                self.note += f"; it read {before} before"

    def undo_lesson(self) -> None:
        """U: take the last lesson back, its digit and what the network learned from it."""
        if self.teacher is None:
            self.message = self.no_teaching
            return
        try:
            self.note = self.teacher.undo()
        except MyonnError as error:
            self.message = str(error)
        else:
            self.taught = None  # the drawing on screen may be taught again (another digit, say)
            self.relearn_familiarity()
        if self.probabilities is not None:
            self.recompute()

    def knock_out(self, restore: bool = False) -> None:
        """K: silence a random tenth more of the hidden nodes; SHIFT+K (`restore`): bring them all back."""
        if restore:
            self.silenced = np.zeros_like(self.silenced)
            self.message = f"all {len(self.silenced)} hidden nodes are back"
        else:
            self.silenced = inside.knock_out(self.silenced, self.rng)
            self.message = (
                f"{self.silenced.sum()} of {len(self.silenced)} hidden nodes knocked out; SHIFT+K brings them back"
            )
        if self.probabilities is not None:
            self.recompute()  # the answer shown follows at once, live or not

    # ---- the reading --------------------------------------------------------------------------

    def changed(self) -> None:
        """The canvas changed: any answer shown is out of date."""
        self.is_read = False
        self.taught = None
        self.stale = True

    def recompute(self) -> None:
        """Read the canvas now: to_mnist, then the network's probabilities for each digit."""
        self.stale = False
        if self.is_empty():
            self.forget_answer()
            self.too_small = False
            return
        self.too_small = too_small(self.canvas)
        # predict_proba(to_mnist(canvas)) in its steps, to keep to_mnist's stages (for S), the
        # image the network's first layer gets (deskewed by the network itself) for the
        # preview, and every node's output (for I), with the nodes K knocked out silenced.
        self.stages = to_mnist_steps(self.canvas)
        self.seen = self.network.straighten(self.stages["placed"]).reshape(SIZE, SIZE)
        active = inside.activations(self.network, self.seen, self.silenced, straighten=False)
        self.hidden_outputs, self.probabilities = active.hidden_outputs, active.final_outputs
        familiarity = self.familiarity
        self.familiar = familiarity is None or bool(familiarity.familiar(self.hidden_outputs)[0])

    def relearn_familiarity(self) -> None:
        """The network changed (a lesson, or one undone): what digits look like to it is learned again."""
        if self.learn_familiarity is not None:
            self.learn_familiarity()

    def learned_familiarity(self, familiarity: Familiarity) -> None:
        """`familiarity` is ready (it was learned on another thread): read the canvas again with it."""
        self.familiarity = familiarity
        self.stale = True

    def forget_answer(self) -> None:
        """No answer is shown (an empty canvas, or live mode off before SPACE)."""
        self.probabilities = self.seen = self.hidden_outputs = self.stages = None

    def update(self) -> None:
        """Once a frame, after its events: bring the answer up to date with the canvas."""
        if not self.stale:
            return
        if self.live:
            self.recompute()
        else:
            self.stale = False
            if not self.is_read:
                self.forget_answer()  # no answer until SPACE

    def prompt(self) -> tuple[str, tuple[int, int, int]]:
        """The line under the canvas, and its colour: what to do next, in the talk's words."""
        if self.message:
            return self.message, WARNING
        if self.note:
            return self.note, TEXT
        doubt = self.reading().doubt
        if doubt == "small":
            return "Too small to read: draw it larger (Ctrl+Z, C: try again)", WARNING
        if doubt == "strange":
            return "Not sure: it looks like none of the digits it learned. Is it a digit?", WARNING
        if doubt == "unsure":
            return "Not sure: no digit is clearly ahead. Is it a digit?", WARNING
        if self.is_read:
            return "Press SPACE to clear the canvas for the next digit", TEXT
        if self.is_empty():
            return "Press down your (left) mouse button to draw your digit", TEXT
        return "Press SPACE to recognise the hand-drawn digit", TEXT
