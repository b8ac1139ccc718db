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
    from myonn.installed import require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit("mnist_draw.py: error: cannot find the myonn package beside this script; run the copy in the project's folder")
require_packages("mnist_draw.py", "numpy", "pygame")

# Set before NumPy and pygame load. Reading one drawing is too little work to share
# out: with a BLAS thread per core, each small matrix product waits for a core that
# is busy elsewhere, and on a busy laptop a frame took 25-30 ms instead of under 2.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # or pygame greets on stdout

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from myonn import NeuralNetwork, paths  # noqa: E402
from myonn.cli import WAIT_MS, ArgumentParser, positive_int, reading_with, require_display, run, save_png  # noqa: E402
from myonn.errors import MyonnError  # noqa: E402
from myonn.network import load_mnist_network  # noqa: E402
from myonn.answer import clear_answer  # noqa: E402
from myonn.preprocess import SIZE, to_mnist, too_small  # noqa: E402
from myonn.teaching import Teacher  # noqa: E402

CANVAS = 448  # screen pixels a side: 16 for each MNIST pixel
MARGIN = 20
PANEL = 270  # width of the panel right of the canvas
WINDOW = (MARGIN + CANVAS + MARGIN + PANEL + MARGIN, MARGIN + CANVAS + 76)
# The networks read with when no --model is given: the first that exists, else the shipped one.
MODEL_CANDIDATES = (paths.TAUGHT_MODEL, paths.TRAINED_MODEL)
PREVIEW_SCALE = 5  # the 28x28 preview is shown 140x140
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
DEMO_ONE = [(150, 175), (190, 140), (230, 105), (265, 75), (262, 140), (258, 220), (254, 300), (250, 380)]

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
    ("H or F1", "show or hide these keys"),
    ("Q or Esc", "quit (Esc first closes these keys)"),
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
            self.probabilities = self.seen = None
            self.too_small = False
            return
        self.too_small = too_small(self.canvas)
        # predict_proba(to_mnist(canvas)) in its two steps, to keep the image the network's
        # first layer gets (deskewed by the network itself) for the preview.
        self.seen = self.network.straighten(to_mnist(self.canvas)).reshape(SIZE, SIZE)
        self.probabilities = self.network.query(self.network.scale(self.seen[np.newaxis]))[0]

    def update(self) -> None:
        """Once a frame, after its events: bring the answer up to date with the canvas."""
        if not self.stale:
            return
        if self.live:
            self.recompute()
        else:
            self.stale = False
            if not self.is_read:
                self.probabilities = self.seen = None  # no answer until SPACE

    # ---- events ---------------------------------------------------------------------------

    def to_canvas(self, pos: tuple[int, int]) -> tuple[int, int]:
        """A window position as a canvas pixel (x, y); it may lie outside the canvas."""
        return pos[0] - self.canvas_rect.x, pos[1] - self.canvas_rect.y

    def handle(self, event: pygame.event.Event) -> bool:
        """React to one event; return whether the window needs drawing again."""
        if event.type == pygame.MOUSEMOTION:
            if self.stroke is None:
                return False
            if not event.buttons[self.stroke_button - 1]:
                self.stroke = None  # its release went astray (e.g. outside the window)
                return False
            self.stroke.extend(self.canvas, self.to_canvas(event.pos))
            self.changed()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and self.stroke is None:
            if not self.canvas_rect.collidepoint(event.pos):
                return False
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
            elif event.key in (pygame.K_ESCAPE, pygame.K_q):
                self.running = False
        elif event.type == pygame.QUIT:
            self.running = False
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
        keys = f"right button: erase   Ctrl+Z: undo   C: clear   L: live ({live})   0-9: teach   U: unteach   H: keys"
        surface.blit(small.render(keys, True, FAINT), (MARGIN, self.canvas_rect.bottom + 44))

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
    parser.add_argument("--screenshot", metavar="PATH",
                        help="draw one frame into a PNG file and exit, without opening a window")
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

    if args.screenshot:
        frame = pygame.Surface(WINDOW)
        pad.draw(frame)
        save_png(frame, args.screenshot)
        return 0

    try:
        pygame.display.init()  # not pygame.init(): no sound needed, and no audio warnings without a sound card
        require_display()
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
