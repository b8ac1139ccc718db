#!/usr/bin/env python3
"""Draw a digit with the mouse and have the network read it: the talk's last demo.

    ./mnist_draw.py                      # reads with your network, or else the shipped one
    ./mnist_draw.py --model my.npz --brush 36

Press down the left mouse button to draw your digit, then press SPACE to have it
read: the network's answer appears big, with a bar and a percentage for each of the
ten digits. SPACE again clears the canvas for the next digit. In live mode (on by
default, L toggles it) the answer follows the drawing as it is drawn.

The right button erases, C or BACKSPACE clears, Ctrl+Z undoes the last stroke or
brings back a cleared digit, H or F1 lists the keys, and Q or Escape quits. After a
reading, a digit key teaches the network "this is a 7": the
digit is kept in data/my_digits/ and the network learns it at once (myonn.teaching);
U takes the last lesson back. The taught network is saved to data/my_taught_nn.npz,
which the window then reads with, never over the shipped data/mnist_nn.npz. The window has a fixed size: the canvas is 448x448 screen pixels, 16
for each of MNIST's 28x28.

The drawing is kept as a NumPy array, ink 255 on background 0 (shown black on
white), and goes through `myonn.preprocess.to_mnist` exactly as it is; the small
preview shows the 28x28 image the network's first layer then receives.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    from myonn.plumbing.installed import one_blas_thread, require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit("mnist_draw.py: error: cannot find the myonn package beside this script; run the copy in the project's folder")
require_packages("mnist_draw.py", "numpy", "pygame")
# Reading one drawing is too little work to share out: with a BLAS thread per core, on
# a busy laptop a frame took 25-30 ms instead of under 2.
one_blas_thread()
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # or pygame greets on stdout

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from myonn import NeuralNetwork, inside  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, png_path, positive_int, reading_with, run  # noqa: E402
from myonn.windows.display import WAIT_MS, init_display, save_png  # noqa: E402
from myonn.plumbing.errors import MyonnError  # noqa: E402
from myonn.model_file import load_mnist_network  # noqa: E402
from myonn.answer import clear_answer  # noqa: E402
from myonn.preprocess import SIZE, to_mnist, to_mnist_steps, too_small  # noqa: E402
from myonn.teaching import Teacher  # noqa: E402

CANVAS = 448  # screen pixels a side: 16 for each MNIST pixel
MARGIN = 20
PANEL = 270  # width of the panel right of the canvas
WINDOW = (MARGIN + CANVAS + MARGIN + PANEL + MARGIN, MARGIN + CANVAS + 76)
# The networks read with when no --model is given: the first that exists, else the shipped one.
MODEL_CANDIDATES = (paths.TAUGHT_MODEL, paths.TRAINED_MODEL)
PREVIEW_SCALE = 5  # the 28x28 preview is shown 140x140
VIEW_KEYS = {pygame.K_i: "inside", pygame.K_w: "why", pygame.K_s: "steps"}
VIEWS = ("canvas", *VIEW_KEYS.values())  # the names --view knows
ERASER_SCALE = 2  # the eraser is twice as wide as the brush: rubbing out is coarser work

BACKGROUND = (232, 232, 228)
PAPER = (255, 255, 255)
FRAME = (150, 150, 150)
TEXT = (30, 30, 30)
FAINT = (120, 120, 120)
WARNING = (190, 30, 30)
ANSWER_BAR = (40, 110, 200)
OTHER_BAR = (175, 175, 175)

# The digit keys, on the main keyboard and on the keypad: each teaches its digit.
DIGIT_KEYS = {
    **{getattr(pygame, f"K_{digit}"): digit for digit in range(10)},
    **{getattr(pygame, f"K_KP{digit}"): digit for digit in range(10)},
}

# A European "1", a long up-stroke then the down-stroke, that the shipped network reads
# as a 7: --demo teach starts with it and teaches it (the README's correction screenshot).
DEMO_ONE = [(120, 130), (170, 110), (220, 90), (270, 70), (265, 150), (260, 230), (255, 310), (250, 390)]

# The keys, in the words shown by H in the window and by --help.
KEYS = [
    ("left button", "draw (after a reading: a fresh digit)"),
    ("right button", "erase"),
    ("SPACE", "read the digit; again: clear for the next one"),
    ("C or BACKSPACE", "clear"),
    ("Ctrl+Z", "undo the last stroke, or bring back a cleared digit"),
    ("L", "live mode on/off: the answer follows your pen"),
    ("0 to 9", "after a reading: teach the network it is that digit"),
    ("U", "take the last lesson back"),
    ("I", "inside the network: its nodes, live (point at one)"),
    ("W", "why: the pixels for and against the answer"),
    ("S", "the steps from your drawing to the network"),
    ("K, SHIFT+K", "knock out a tenth more hidden nodes; all back"),
    ("H or F1", "show or hide these keys"),
    ("Q or Esc", "quit (Esc first closes these keys or a view)"),
]

# A "2" drawn as one stroke, in canvas pixels: --demo starts with it (the README's screenshot).
DEMO_STROKE = [
    (140, 165), (155, 125), (185, 100), (225, 90), (265, 96), (295, 120), (305, 155), (295, 195),
    (265, 235), (225, 275), (185, 315), (150, 350), (140, 362), (190, 360), (245, 358), (300, 357), (325, 357),
]


def paint_segment(canvas: np.ndarray, start: tuple[int, int], end: tuple[int, int], diameter: int, value: int) -> None:
    """Paint a round brush dragged in a straight line from `start` to `end` (x, y) into `canvas`.

    Every pixel within diameter/2 of the segment gets `value` (a capsule), so a stroke
    is continuous however far apart two mouse positions are; start == end paints a dot.
    Only the segment's bounding box is computed, in one pass of NumPy. An even
    diameter centres the brush on the corner of the mouse's pixel, so that the brush is
    exactly `diameter` pixels wide.
    """
    height, width = canvas.shape
    radius = diameter / 2
    shift = 0.5 if diameter % 2 == 0 else 0.0
    (ax, ay), (bx, by) = (start[0] - shift, start[1] - shift), (end[0] - shift, end[1] - shift)
    top, bottom = max(int(np.floor(min(ay, by) - radius)), 0), min(int(np.ceil(max(ay, by) + radius)) + 1, height)
    left, right = max(int(np.floor(min(ax, bx) - radius)), 0), min(int(np.ceil(max(ax, bx) + radius)) + 1, width)
    if top >= bottom or left >= right:
        return  # wholly outside the canvas
    ys = np.arange(top, bottom, dtype=np.float32)[:, None]
    xs = np.arange(left, right, dtype=np.float32)[None, :]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    # t: how far along the segment each pixel's nearest point lies, 0 at start, 1 at end.
    t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / length2, 0, 1) if length2 else 0.0
    off_x, off_y = xs - (ax + t * dx), ys - (ay + t * dy)
    canvas[top:bottom, left:right][off_x * off_x + off_y * off_y <= radius * radius] = value


def whole_percentages(probabilities: np.ndarray) -> list[int]:
    """Probabilities that add up to 1, as whole percentages that add up to exactly 100.

    Each is rounded down, then the points still missing go to the largest remainders,
    so the ten numbers on screen never add up to 99 or 101.
    """
    exact = np.asarray(probabilities, np.float64) * 100 / np.sum(probabilities)
    whole = np.floor(exact).astype(int)
    missing = 100 - int(whole.sum())
    whole[np.argsort(whole - exact, kind="stable")[:missing]] += 1
    return whole.tolist()


@dataclass
class Stroke:
    """One press-drag-release of a mouse button: the points it went through, in canvas pixels."""

    value: int  # 255 draws ink, 0 erases
    diameter: int
    points: list[tuple[int, int]] = field(default_factory=list)

    def extend(self, canvas: np.ndarray, point: tuple[int, int]) -> None:
        """Add `point` to the stroke and paint the segment to it from the last point."""
        paint_segment(canvas, self.points[-1] if self.points else point, point, self.diameter, self.value)
        self.points.append(point)

    def paint(self, canvas: np.ndarray) -> None:
        """Paint the whole stroke again (to rebuild the canvas after an undo)."""
        for start, end in zip(self.points[:1] + self.points[:-1], self.points):
            paint_segment(canvas, start, end, self.diameter, self.value)


class DrawingPad:
    """The window's state and behaviour, without the window: tests drive it with events.

    `handle(event)` reacts to one pygame event, `update()` reads the canvas again if it
    changed (at most once a frame), `draw(surface)` paints a frame. `process(events)`
    does the first two for a frame's events, as the main loop does.
    """

    def __init__(self, network: NeuralNetwork, brush: int = 28, live: bool = True,
                 teacher: Teacher | None = None, no_teaching: str = ""):
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
        self.canvas_rect = pygame.Rect(MARGIN, MARGIN, CANVAS, CANVAS)
        side = SIZE * PREVIEW_SCALE
        self.preview_rect = pygame.Rect(self.canvas_rect.right + MARGIN, MARGIN + 22, side, side)
        self.strokes: list[Stroke] = []
        self.cleared: list[list[Stroke]] = []  # digits cleared away, the last on top, for Ctrl+Z
        self.stroke: Stroke | None = None  # the stroke being drawn, while its button is held
        self.stroke_button = 0
        self.probabilities: np.ndarray | None = None  # the network's answer, when one is shown
        self.seen: np.ndarray | None = None  # the 28x28 image behind that answer, as the network gets it
        self.hidden_outputs: np.ndarray | None = None  # every hidden node's output behind that answer
        self.stages: dict[str, np.ndarray] | None = None  # to_mnist's steps to that image (the S view shows them)
        # Hidden nodes knocked out by K: a mask applied as the network reads; its weights stay as they are.
        self.silenced = np.zeros(network.hnodes, bool)
        self.rng = np.random.default_rng()
        self.panel_rect = pygame.Rect(self.canvas_rect.right + MARGIN, MARGIN, PANEL, CANVAS)
        self.view = "canvas"  # or one of the views below, each its own class, by the name --view knows
        self.views = {"inside": InsideView(self), "why": WhyView(self), "steps": StepsView(self)}
        self.is_read = False  # SPACE was pressed and the canvas has not changed since
        self.too_small = False  # the answer shown is for a drawing too few pen widths across to read
        self.show_help = False
        self.message = ""  # a passing word to the user, cleared by their next action
        # News (not a warning), cleared likewise: at the start, which network reads and what it was taught.
        self.note = teacher.greeting() if teacher else no_teaching
        self.running = True
        self.stale = False  # the canvas changed since the answer was computed
        self.fonts = {size: pygame.font.Font(None, size) for size in (22, 26, 200)}
        self.canvas_surface = pygame.Surface((CANVAS, CANVAS), depth=8)
        self.canvas_surface.set_palette([(255 - i,) * 3 for i in range(256)])  # ink 255 shows black
        self.preview_surface = pygame.Surface((SIZE, SIZE), depth=8)
        self.preview_surface.set_palette([(255 - i,) * 3 for i in range(256)])

    # ---- what the user can do ------------------------------------------------------------

    @property
    def answer(self) -> int | None:
        """The digit the network reads, when an answer is shown."""
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    def is_empty(self) -> bool:
        """Whether the canvas holds no ink."""
        return not self.canvas.any()

    def trace(self, points: list[tuple[int, int]]) -> None:
        """Draw one stroke through `points` (canvas pixels), as the left button would."""
        stroke = Stroke(255, self.brush)
        for point in points:
            stroke.extend(self.canvas, point)
        self.strokes.append(stroke)
        self.changed()

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

    def teach(self, digit: int) -> None:
        """A digit key: the digit just read is `digit`; the network learns it at once."""
        if self.teacher is None:
            self.message = self.no_teaching
        elif self.probabilities is None or self.stale:
            self.message = f"Draw a digit and have it read first; then {digit} teaches it that it is a {digit}"
        else:
            before = self.answer
            try:
                self.note = self.teacher.teach(to_mnist(self.canvas), digit)
            except MyonnError as error:
                self.message = str(error)
                return
            self.recompute()  # the reading on screen, by the network as it is now
            self.views["inside"].forget_pictures()  # the lesson moved the weights
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
        self.views["inside"].forget_pictures()
        if self.probabilities is not None:
            self.recompute()

    def changed(self) -> None:
        """The canvas changed: any answer shown is out of date."""
        self.is_read = False
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

    def forget_answer(self) -> None:
        """No answer is shown (an empty canvas, or live mode off before SPACE)."""
        self.probabilities = self.seen = self.hidden_outputs = self.stages = None

    def knock_out(self, restore: bool = False) -> None:
        """K: silence a random tenth more of the hidden nodes; SHIFT+K (`restore`): bring them all back."""
        if restore:
            self.silenced = np.zeros_like(self.silenced)
            self.message = f"all {len(self.silenced)} hidden nodes are back"
        else:
            self.silenced = inside.knock_out(self.silenced, self.rng)
            self.message = f"{self.silenced.sum()} of {len(self.silenced)} hidden nodes knocked out; SHIFT+K brings them back"
        if self.probabilities is not None:
            self.recompute()  # the answer shown follows at once, live or not

    def show_view(self, name: str) -> None:
        """I, W or S: show that view beside the canvas, or the answer again if it is shown."""
        self.view = "canvas" if self.view == name else name

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

    # ---- events ---------------------------------------------------------------------------

    def to_canvas(self, pos: tuple[int, int]) -> tuple[int, int]:
        """A window position as a canvas pixel (x, y); it may lie outside the canvas."""
        return pos[0] - self.canvas_rect.x, pos[1] - self.canvas_rect.y

    def handle(self, event: pygame.event.Event) -> bool:
        """React to one event; return whether the window needs drawing again."""
        if event.type == pygame.MOUSEMOTION:
            if self.stroke is None:
                # Hovering: only the inside view reacts (to a hidden node under the pointer).
                return self.view == "inside" and self.views["inside"].hover(event.pos)
            if not event.buttons[self.stroke_button - 1]:
                self.stroke = None  # its release went astray (e.g. outside the window)
                return False
            self.stroke.extend(self.canvas, self.to_canvas(event.pos))
            self.changed()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and self.stroke is None:
            if not self.canvas_rect.collidepoint(event.pos):
                return self.view == "inside" and self.views["inside"].click(event.pos)
            self.message = self.note = ""
            if event.button == 1 and self.is_read:
                self.clear()  # a new digit after a reading starts afresh, as in the talk (Ctrl+Z brings it back)
            if event.button == 1:
                self.stroke = Stroke(255, self.brush)
            else:
                self.stroke = Stroke(0, self.brush * ERASER_SCALE)
            self.stroke_button = event.button
            self.strokes.append(self.stroke)
            self.stroke.extend(self.canvas, self.to_canvas(event.pos))
            self.changed()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == self.stroke_button:
            self.stroke = None
        elif event.type == pygame.KEYDOWN:
            self.message = self.note = ""
            if event.key in DIGIT_KEYS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
                self.teach(DIGIT_KEYS[event.key])
            elif event.key == pygame.K_u:
                self.undo_lesson()
            elif event.key == pygame.K_SPACE:
                self.read()
            elif event.key in (pygame.K_c, pygame.K_BACKSPACE):
                self.clear()
            elif event.key == pygame.K_z and event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
                self.undo()
            elif event.key == pygame.K_l:
                self.live = not self.live
                self.stale = True
            elif event.key in (pygame.K_h, pygame.K_F1):
                self.show_help = not self.show_help
            elif event.key == pygame.K_ESCAPE and self.show_help:
                self.show_help = False
            elif event.key == pygame.K_k:
                self.knock_out(restore=bool(event.mod & pygame.KMOD_SHIFT))
            elif event.key in VIEW_KEYS:
                self.show_view(VIEW_KEYS[event.key])
            elif event.key == pygame.K_ESCAPE and self.view != "canvas":
                self.view = "canvas"  # a view is left with ESC; ESC again quits
            elif event.key in (pygame.K_ESCAPE, pygame.K_q):
                self.running = False
        elif event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.NOEVENT:
            return False  # event.wait's time ran out: nothing happened, nothing to draw again
        return True

    def process(self, events: list[pygame.event.Event]) -> bool:
        """Handle one frame's events, then update the answer once; return whether to redraw."""
        redraw = False
        for event in events:
            redraw |= self.handle(event)
        self.update()
        return redraw

    # ---- drawing ------------------------------------------------------------------------

    def prompt(self) -> tuple[str, tuple[int, int, int]]:
        """The line under the canvas: what to do next, in the talk's words."""
        if self.message:
            return self.message, WARNING
        if self.note:
            return self.note, TEXT
        if self.probabilities is not None and self.too_small:
            return "Too small to read: draw it larger (Ctrl+Z, C: try again)", WARNING
        if self.probabilities is not None and clear_answer(self.probabilities) is None:
            return "Not sure: no digit is clearly ahead. Is it a digit?", WARNING
        if self.is_read:
            return "Press SPACE to clear the canvas for the next digit", TEXT
        if self.is_empty():
            return "Press down your (left) mouse button to draw your digit", TEXT
        return "Press SPACE to recognise the hand-drawn digit", TEXT

    def draw(self, surface: pygame.Surface) -> None:
        """Paint a whole frame onto `surface` (the window, or an image for --screenshot)."""
        surface.fill(BACKGROUND)
        pygame.surfarray.blit_array(self.canvas_surface, self.canvas.T)
        surface.blit(self.canvas_surface, self.canvas_rect)
        pygame.draw.rect(surface, FRAME, self.canvas_rect.inflate(2, 2), 1)

        small, medium, big = self.fonts[22], self.fonts[26], self.fonts[200]
        text, colour = self.prompt()
        surface.blit(medium.render(text, True, colour), (MARGIN, self.canvas_rect.bottom + 14))
        live = "on" if self.live else "off"
        keys = f"right button: erase   Ctrl+Z: undo   C: clear   L: live ({live})   0-9: teach   I W S K: inside   H: keys"
        surface.blit(small.render(keys, True, FAINT), (MARGIN, self.canvas_rect.bottom + 44))
        if self.silenced.any():
            note = f"{self.silenced.sum()} of {len(self.silenced)} hidden nodes knocked out (SHIFT+K: back)"
            text = small.render(note, True, WARNING)
            surface.blit(text, text.get_rect(bottomleft=(self.canvas_rect.left, self.canvas_rect.top - 3)))  # above the canvas
        if self.view in self.views:
            self.views[self.view].draw(surface, self.panel_rect)
            if self.show_help:
                self.draw_help(surface)
            return

        left = self.canvas_rect.right + MARGIN
        preview = self.preview_rect
        surface.blit(small.render("the network sees", True, FAINT), (left, MARGIN))
        if self.seen is not None:
            pygame.surfarray.blit_array(self.preview_surface, self.seen.T)
            # transform.scale is nearest-neighbour: each MNIST pixel stays a crisp square.
            surface.blit(pygame.transform.scale(self.preview_surface, preview.size), preview)
        else:
            surface.fill(PAPER, preview)
        pygame.draw.rect(surface, FRAME, preview.inflate(2, 2), 1)

        answer_left = preview.right + 16
        if self.probabilities is None:
            caption = "" if self.is_empty() else "SPACE reads it"
        else:
            caption = "it reads" if self.is_read else "live guess"
            sure = clear_answer(self.probabilities)
            if self.too_small or sure is None:
                caption = "draw it larger" if self.too_small else "not sure"
            shown = "?" if self.too_small or sure is None else str(sure)
            digit = big.render(shown, True, TEXT if self.is_read else FAINT)
            surface.blit(digit, digit.get_rect(midtop=(answer_left + 50, preview.top - 4)))
        surface.blit(small.render(caption, True, FAINT), (answer_left, MARGIN))

        # Ten bars, one per digit, the percentages adding up to 100.
        percents = whole_percentages(self.probabilities) if self.probabilities is not None else [None] * 10
        for digit, (bar, percent) in enumerate(zip(self.bar_rects(), percents)):
            surface.blit(medium.render(str(digit), True, TEXT), (left, bar.y + 2))
            pygame.draw.rect(surface, PAPER, bar)
            if percent is not None:
                colour = ANSWER_BAR if digit == self.answer else OTHER_BAR
                pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * percent / 100), bar.height))
                label = medium.render(f"{percent}%", True, TEXT)
                surface.blit(label, label.get_rect(topright=(left + PANEL, bar.y + 2)))
        if self.show_help:
            self.draw_help(surface)

    def draw_help(self, surface: pygame.Surface) -> None:
        """The keys, in a box over the middle of the window."""
        font = self.fonts[26]
        key_width = max(font.size(key)[0] for key, _ in KEYS) + 24
        line = font.get_linesize() + 4
        box = pygame.Rect(0, 0, key_width + max(font.size(what)[0] for _, what in KEYS) + 48, line * len(KEYS) + 32)
        box.center = surface.get_rect().center
        surface.fill(PAPER, box)
        pygame.draw.rect(surface, FRAME, box, 1)
        for row, (key, what) in enumerate(KEYS):
            y = box.top + 16 + row * line
            surface.blit(font.render(key, True, ANSWER_BAR), (box.left + 24, y))
            surface.blit(font.render(what, True, TEXT), (box.left + 24 + key_width, y))

    def bar_rects(self) -> list[pygame.Rect]:
        """Where the bars of the digits 0 to 9 go, each at its full length (100%)."""
        left, top, row = self.preview_rect.x + 22, self.preview_rect.bottom + 24, 26
        return [pygame.Rect(left, top + digit * row, PANEL - 22 - 52, row - 6) for digit in range(10)]



# ---- the views beside the canvas: I, W and S ------------------------------------------------

LIT, UNLIT, KNOCKED_OUT = (255, 200, 40), (70, 70, 80), (0, 0, 0)


def rgb_surface(colours: np.ndarray, size: tuple[int, int]) -> pygame.Surface:
    """A uint8 (rows, columns, 3) array of colours as a surface of `size`, each pixel a crisp block."""
    return pygame.transform.scale(pygame.surfarray.make_surface(colours.transpose(1, 0, 2)), size)


class InsideView:
    """I: inside the network, live: the hidden nodes lit by their outputs, the ten outputs, and the
    hidden nodes that pushed the answer most, with their weights. Hovering over (or clicking) a
    hidden node shows its weights large and its ten outgoing weights.
    """

    COLUMNS = 20  # hidden nodes a row in the grid
    CELL = 13  # screen pixels a hidden node
    STRONGEST = 5  # how many of the nodes that pushed the answer most are shown
    SMALL, LARGE = 48, 112  # sides of their weight pictures, and of the one hovered

    def __init__(self, pad: "DrawingPad"):
        self.pad = pad
        self.hovered: int | None = None  # the hidden node under the pointer
        self.pinned: int | None = None  # the hidden node last clicked
        self._pictures: dict[int, pygame.Surface] = {}  # each node's weights at each size, made once
        self.tiny = pygame.font.Font(None, 15)  # the outgoing weights' digits, 11 pixels apart

    @property
    def node(self) -> int | None:
        """The hidden node shown large: the one under the pointer, else the one last clicked."""
        return self.hovered if self.hovered is not None else self.pinned

    def grid_rect(self) -> pygame.Rect:
        """Where the grid of hidden nodes goes."""
        rows = -(-self.pad.network.hnodes // self.COLUMNS)
        panel = self.pad.panel_rect
        return pygame.Rect(panel.left, panel.top + 20, self.COLUMNS * self.CELL, rows * self.CELL)

    def cell_rect(self, node: int) -> pygame.Rect:
        """Where hidden node `node` is in the grid."""
        grid = self.grid_rect()
        row, column = divmod(node, self.COLUMNS)
        return pygame.Rect(grid.left + column * self.CELL, grid.top + row * self.CELL, self.CELL, self.CELL)

    def node_at(self, pos: tuple[int, int]) -> int | None:
        """The hidden node at window position `pos`, if any."""
        grid = self.grid_rect()
        if not grid.collidepoint(pos):
            return None
        node = (pos[1] - grid.top) // self.CELL * self.COLUMNS + (pos[0] - grid.left) // self.CELL
        return node if node < self.pad.network.hnodes else None

    def hover(self, pos: tuple[int, int]) -> bool:
        """The pointer moved to `pos`; True when that changes what is shown."""
        node = self.node_at(pos)
        changed = node != self.hovered
        self.hovered = node
        return changed

    def click(self, pos: tuple[int, int]) -> bool:
        """A click at `pos`: a hidden node there stays shown large after the pointer leaves it."""
        node = self.node_at(pos)
        if node is None:
            return False
        self.pinned = node
        return True

    def forget_pictures(self) -> None:
        """The network's weights changed (a lesson): make the pictures again when next needed."""
        self._pictures.clear()

    def picture(self, node: int, side: int) -> pygame.Surface:
        """Hidden node `node`'s weights, red for positive and blue for negative, `side` pixels a side."""
        key = node * 1000 + side
        if key not in self._pictures:
            weights = inside.hidden_pictures(self.pad.network)[node]
            self._pictures[key] = rgb_surface(inside.signed_rgb(weights), (side, side))
        return self._pictures[key]

    def strongest(self) -> np.ndarray:
        """The hidden nodes that pushed the answer most, strongest first."""
        return inside.strongest_hidden(self.pad.network, self.pad.hidden_outputs, self.pad.answer, self.STRONGEST)

    def output_rects(self) -> list[pygame.Rect]:
        """Where the ten outputs go, under the grid."""
        top = self.grid_rect().bottom + 26
        width = self.pad.panel_rect.width // 10
        return [pygame.Rect(self.pad.panel_rect.left + digit * width, top, width - 2, 24) for digit in range(10)]

    def draw(self, surface: pygame.Surface, panel: pygame.Rect) -> None:
        """The grid, the outputs, the strongest nodes and the node under the pointer."""
        pad, small = self.pad, self.pad.fonts[22]
        grid = self.grid_rect()
        caption = "black: knocked out (K)" if pad.silenced.any() else f"{pad.network.hnodes} hidden nodes, lit by their output"
        surface.blit(small.render(caption, True, FAINT), (panel.left, panel.top))
        outputs = pad.hidden_outputs if pad.hidden_outputs is not None else np.zeros(pad.network.hnodes, np.float32)
        cells = np.zeros((grid.height // self.CELL) * self.COLUMNS, np.float32)
        cells[: len(outputs)] = outputs
        colours = np.asarray(UNLIT, np.float32) + cells[:, None] * (np.subtract(LIT, UNLIT, dtype=np.float32))
        colours[: len(outputs)][pad.silenced] = KNOCKED_OUT
        colours[len(outputs) :] = BACKGROUND
        surface.blit(rgb_surface(np.rint(colours).astype(np.uint8).reshape(-1, self.COLUMNS, 3), grid.size), grid)
        for x in range(grid.left, grid.right + 1, self.CELL):  # a line of background between the nodes
            pygame.draw.line(surface, BACKGROUND, (x, grid.top), (x, grid.bottom))
        for y in range(grid.top, grid.bottom + 1, self.CELL):
            pygame.draw.line(surface, BACKGROUND, (grid.left, y), (grid.right, y))
        if self.node is not None:
            pygame.draw.rect(surface, ANSWER_BAR, self.cell_rect(self.node).inflate(2, 2), width=2)

        surface.blit(small.render("the ten outputs", True, FAINT), (panel.left, grid.bottom + 8))
        for digit, rect in enumerate(self.output_rects()):
            share = 0.0 if pad.probabilities is None else float(pad.probabilities[digit])
            pygame.draw.rect(surface, tuple(int(255 + (c - 255) * share) for c in ANSWER_BAR), rect)
            if digit == pad.answer:
                pygame.draw.rect(surface, TEXT, rect, width=2)
            name = small.render(str(digit), True, PAPER if share > 0.5 else TEXT)
            surface.blit(name, name.get_rect(center=rect.center))

        top = self.output_rects()[0].bottom + 8
        if pad.answer is None:
            surface.blit(small.render("draw a digit to see its nodes light up", True, FAINT), (panel.left, top))
        else:
            surface.blit(small.render(f"the nodes that pushed {pad.answer} most", True, FAINT), (panel.left, top))
            for place, node in enumerate(self.strongest()):
                x = panel.left + place * (self.SMALL + 6)
                surface.blit(self.picture(node, self.SMALL), (x, top + 18))
                label = small.render(f"#{node}", True, TEXT)
                surface.blit(label, label.get_rect(midtop=(x + self.SMALL // 2, top + 20 + self.SMALL)))
        top += 18 + self.SMALL + 22
        if self.node is None:
            surface.blit(small.render("point at a node to see its weights", True, FAINT), (panel.left, top))
            return
        self.draw_node(surface, panel, top)

    def draw_node(self, surface: pygame.Surface, panel: pygame.Rect, top: int) -> None:
        """The node shown large: its weights from each pixel, and to each output."""
        pad, small, node = self.pad, self.pad.fonts[22], self.node
        output = "knocked out" if pad.silenced[node] else (
            "" if pad.hidden_outputs is None else f"output {pad.hidden_outputs[node]:.2f}")
        surface.blit(small.render(f"node #{node}  {output}", True, TEXT), (panel.left, top))
        surface.blit(self.picture(node, self.LARGE), (panel.left, top + 18))
        # Its ten outgoing weights, as bars left (negative) or right (positive) of a middle line.
        weights = pad.network.who[:, node]
        left = panel.left + self.LARGE + 24
        middle, reach = left + (panel.right - left) // 2, (panel.right - left) // 2 - 4
        row = self.LARGE // 10
        scale = reach / max(float(np.abs(weights).max()), 1e-6)
        for digit, weight in enumerate(weights):
            y = top + 18 + digit * row
            name = self.tiny.render(str(digit), True, TEXT)
            surface.blit(name, name.get_rect(midright=(left - 6, y + row // 2 - 1)))
            length = int(round(weight * scale))
            colour = inside.POSITIVE if weight > 0 else inside.NEGATIVE
            pygame.draw.rect(surface, colour, pygame.Rect(min(middle, middle + length), y, abs(length), row - 2))
        pygame.draw.line(surface, FAINT, (middle, top + 18), (middle, top + 18 + self.LARGE))


class WhyView:
    """W: why the network gave its answer: over the 28x28 image it got, the pixels that argued
    for the answer (red) and those that argued against it (blue) (`myonn.inside.why`).
    """

    SCALE = 9  # the 28x28 map is shown 252x252

    def __init__(self, pad: "DrawingPad"):
        self.pad = pad

    def colours(self) -> np.ndarray:
        """The map as colours over the faint grey ink of the image: uint8 (28, 28, 3)."""
        pad = self.pad
        active = inside.Activations(pad.seen, pad.hidden_outputs, pad.probabilities)
        arguments = inside.why_of(pad.network, active)
        # Full colour from the 95th percentile of the inked pixels' arguments up: a few strong
        # pixels would otherwise leave the rest too pale to see.
        strength = np.abs(arguments[pad.seen > 0])
        limit = float(np.percentile(strength, 95)) if strength.size else None
        colours = inside.signed_rgb(arguments, limit=limit or None).astype(np.float32)
        colours *= 1 - 0.3 * pad.seen[:, :, None] / 255.0  # the ink shows through, faintly
        return np.rint(colours).astype(np.uint8)

    def map_rect(self) -> pygame.Rect:
        """Where the map goes."""
        side = SIZE * self.SCALE
        return pygame.Rect(self.pad.panel_rect.left, self.pad.panel_rect.top + 44, side, side)

    def draw(self, surface: pygame.Surface, panel: pygame.Rect) -> None:
        """The map, with what its colours mean."""
        pad, small, medium = self.pad, self.pad.fonts[22], self.pad.fonts[26]
        rect = self.map_rect()
        if pad.answer is None:
            surface.blit(small.render("why: draw a digit first", True, FAINT), (panel.left, panel.top))
            surface.fill(PAPER, rect)
            return
        title = f"why it reads {pad.answer} ({whole_percentages(pad.probabilities)[pad.answer]}%)"
        surface.blit(medium.render(title, True, TEXT), (panel.left, panel.top))
        surface.blit(small.render("over the 28x28 image the network gets", True, FAINT), (panel.left, panel.top + 22))
        surface.blit(rgb_surface(self.colours(), rect.size), rect)
        pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)
        for row, (colour, words) in enumerate(((inside.POSITIVE, f"red: these pixels argued for {pad.answer}"),
                                               (inside.NEGATIVE, "blue: these argued against it"))):
            y = rect.bottom + 12 + row * 24
            pygame.draw.rect(surface, colour, (panel.left, y + 2, 14, 14))
            surface.blit(small.render(words, True, TEXT), (panel.left + 22, y))
        hint = "try rubbing out a red part (right button)"
        surface.blit(small.render(hint, True, FAINT), (panel.left, rect.bottom + 64))


class StepsView:
    """S: the steps from the canvas to the network, each small with what the network reads there,
    so that a learner sees why MNIST's normalisation matters.
    """

    SCALE = 2  # each 28x28 step is shown 56x56
    ROW = 84  # screen pixels from one step to the next

    def __init__(self, pad: "DrawingPad"):
        self.pad = pad
        # For the answer shown: the (stages, probabilities) it was made for, the images, their outputs.
        self._steps: tuple[tuple, list[np.ndarray], np.ndarray] | None = None

    def steps(self) -> tuple[list[np.ndarray], np.ndarray]:
        """The five images, and the network's outputs for each as it is (with any nodes knocked out)."""
        pad = self.pad
        # The very objects, not their ids: holding them, their ids cannot be reused by new ones.
        key = (pad.stages, pad.probabilities)
        if self._steps is None or self._steps[0][0] is not key[0] or self._steps[0][1] is not key[1]:
            images = inside.steps_to_network(pad.network, pad.canvas, pad.stages, pad.seen)
            # Each image as it is, straight into the first layer: the network's own
            # straightening is the last step, not applied to the others.
            inputs = pad.network.scale(np.stack(images))
            outputs = inside.query_silenced(pad.network, inputs, pad.silenced)[1]
            self._steps = key, images, outputs
        return self._steps[1], self._steps[2]

    def image_rects(self) -> list[pygame.Rect]:
        """Where the five images go, one under another."""
        side = SIZE * self.SCALE
        panel = self.pad.panel_rect
        return [pygame.Rect(panel.left, panel.top + 24 + row * self.ROW, side, side) for row in range(len(inside.STEP_NAMES))]

    def draw(self, surface: pygame.Surface, panel: pygame.Rect) -> None:
        """Each step's image, its name and what the network reads in it."""
        pad, small, medium = self.pad, self.pad.fonts[22], self.pad.fonts[26]
        surface.blit(small.render("from your drawing to the network", True, FAINT), (panel.left, panel.top))
        if pad.answer is None:
            surface.blit(small.render("draw a digit first", True, FAINT), (panel.left, panel.top + 24))
            return
        images, outputs = self.steps()
        for name, image, output, rect in zip(inside.STEP_NAMES, images, outputs, self.image_rects()):
            grey = np.repeat((255 - image)[:, :, None], 3, axis=2)
            surface.blit(rgb_surface(grey, rect.size), rect)
            pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)
            surface.blit(small.render(name, True, FAINT), (rect.right + 10, rect.top))
            reading = int(output.argmax())
            words = f"reads {reading} ({whole_percentages(output)[reading]}%)"
            surface.blit(medium.render(words, True, TEXT if reading == pad.answer else WARNING), (rect.right + 10, rect.top + 22))


def window_loop(pad: DrawingPad, screen: pygame.Surface) -> None:
    """Show the window until it is closed, sleeping in `event.wait` whenever nothing happens."""
    pad.draw(screen)
    pygame.display.flip()
    while pad.running:
        # Everything that queued up while the last frame was drawn, handled as one frame:
        # however fast the mouse moves, the network reads the canvas once a frame.
        # wait() wakes every WAIT_MS even when nothing happens, so that Ctrl-C is seen.
        if pad.process([pygame.event.wait(WAIT_MS), *pygame.event.get()]) and pad.running:
            pad.draw(screen)
            pygame.display.flip()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = ArgumentParser(
        prog="mnist_draw.py",
        description="Draw a digit with the mouse and have the neural network read it.",
        epilog="keys in the window:\n" + "\n".join(f"  {key:<16}{what}" for key, what in KEYS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", metavar="PATH",
                        help="the trained network to read with (default: the one you taught, data/my_taught_nn.npz; "
                             "else yours, data/my_nn.npz, made by ./mnist_train.py; else the shipped data/mnist_nn.npz)")
    parser.add_argument("--brush", type=positive_int, default=28, metavar="N",
                        help="brush diameter in canvas pixels, of 448 a side (default: %(default)s)")
    parser.add_argument("--screenshot", type=png_path, metavar="PATH",
                        help="draw one frame into a PNG file and exit, without opening a window")
    parser.add_argument("--view", choices=VIEWS, default="canvas",
                        help="start with this view beside the canvas: the answer (canvas), inside the network (I), "
                             "why (W) or the steps (S) (default: %(default)s)")
    parser.add_argument("--demo", nargs="?", const="read", choices=("read", "teach"),
                        help="start with a digit drawn and read (for screenshots); --demo teach: a 1 read wrong, "
                             "then taught (in memory only: your digits and networks are left as they are)")
    return parser.parse_args(argv)


def teaching(network: NeuralNetwork, model: str | os.PathLike) -> dict:
    """The window's teacher (`teacher=`), or why there is none (`no_teaching=`): a damaged
    data/my_digits is said in one line in the terminal and left as it is."""
    try:
        return {"teacher": Teacher(network, model, folder=paths.MY_DIGITS, save_to=paths.TAUGHT_MODEL, mnist_dir=paths.DATA_DIR)}
    except MyonnError as error:
        print(f"mnist_draw.py: teaching is off: {error}; move that folder aside to teach again", file=sys.stderr)
        return {"no_teaching": f"teaching is off: {paths.shown(paths.MY_DIGITS)} is damaged (see the terminal)"}


def main(argv: list[str] | None = None) -> int:
    """Open the drawing window (or write --screenshot) and return the exit status."""
    args = parse_args(argv)
    model = args.model or paths.default_model(*MODEL_CANDIDATES)
    network = load_mnist_network(model)  # before any window: a missing model is one line, no flash
    print(reading_with(model, network.metadata), flush=True)
    pygame.font.init()
    # --demo teach's lesson is kept in a scratch folder, removed when the window closes.
    with tempfile.TemporaryDirectory() if args.demo == "teach" else contextlib.nullcontext() as scratch:
        return show(args, network, model, scratch and Path(scratch))


def show(args: argparse.Namespace, network: NeuralNetwork, model: str | os.PathLike, scratch: Path | None) -> int:
    """`main` once the network is loaded: the window, or its --screenshot (`scratch`: see main)."""
    if args.demo == "teach":
        # A lesson to show, not to keep: the digit in `scratch`, the network not saved.
        pad = DrawingPad(network, brush=args.brush, teacher=Teacher(network, model, folder=scratch, save_to=None))
        pad.trace(DEMO_ONE)
        pad.read()
        pad.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0, unicode="1"))
    else:
        pad = DrawingPad(network, brush=args.brush, **teaching(network, model))
        if args.demo:
            pad.trace(DEMO_STROKE)
            pad.read()
    pad.update()
    pad.view = args.view
    if args.demo and pad.answer is not None:
        pad.views["inside"].pinned = int(pad.views["inside"].strongest()[0])  # a node shown large in the picture

    if args.screenshot:
        frame = pygame.Surface(WINDOW)
        pad.draw(frame)
        save_png(frame, args.screenshot)
        return 0

    try:
        init_display()
        screen = pygame.display.set_mode(WINDOW)
    except pygame.error as error:
        raise MyonnError(f"cannot open a window ({error}); --screenshot PATH draws without one") from None
    pygame.display.set_caption("myonn: draw a digit")
    try:
        pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_CROSSHAIR)
    except pygame.error:
        pass  # some displays have no such cursor: the arrow will do
    try:
        window_loop(pad, screen)
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    run(main, "mnist_draw.py")
