"""The draw window: a canvas to draw a digit on with the mouse, and the network's answer beside it.

`DrawWindow` turns the mouse and the keys into the verbs of a `DrawingPad` (the
canvas and its reading) and paints a frame: the canvas, the line under it, and one
view beside it (the answer, or I, W, S: inside the network, why, the steps).
"""

from __future__ import annotations

from typing import Callable

import pygame

from myonn.windows.answer_panel import AnswerPanel, grey_palette_surface
from myonn.windows.drawing_pad import CANVAS, DrawingPad
from myonn.windows.fonts import Fonts
from myonn.windows.help_overlay import draw_help
from myonn.plumbing import paths
from myonn.windows.inside_view import InsideView
from myonn.windows.nearest_view import NearestPanel
from myonn.windows.one_step_view import OneStepView
from myonn.windows.palette import BACKGROUND, FAINT, FRAME, TEXT, WARNING
from myonn.windows.steps_view import StepsView
from myonn.windows.why_view import WhyView

MARGIN = 20
PANEL = 270  # width of the panel right of the canvas
WINDOW = (MARGIN + CANVAS + MARGIN + PANEL + MARGIN, MARGIN + CANVAS + 76)
VIEW_KEYS = {pygame.K_i: "inside", pygame.K_w: "why", pygame.K_s: "steps", pygame.K_n: "nearest", pygame.K_t: "learn"}
VIEWS = ("canvas", *VIEW_KEYS.values())  # the names --view knows

# The digit keys, on the main keyboard and on the keypad: each teaches its digit.
DIGIT_KEYS = {
    **{getattr(pygame, f"K_{digit}"): digit for digit in range(10)},
    **{getattr(pygame, f"K_KP{digit}"): digit for digit in range(10)},
}

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
    ("N", "the training digits it was reminded of"),
    ("T", "one training step on the drawing, in numbers (0-9: its label)"),
    ("K, SHIFT+K", "knock out a tenth more hidden nodes; all back"),
    ("H or F1", "show or hide these keys"),
    ("Q or Esc", "quit (Esc first closes these keys or a view)"),
]


def ignoring_mod(verb: Callable[[], None]) -> Callable[[int], None]:
    """A key's action that is the same whatever modifier keys are held."""
    return lambda mod: verb()


class DrawWindow:
    """The window's behaviour, without the screen: tests drive it with events.

    `handle(event)` reacts to one pygame event, `process(events)` handles a frame's
    events and then brings the pad's answer up to date once, `draw(surface)` paints a
    frame: what `myonn.windows.loop.run` asks of a window.
    """

    def __init__(self, pad: DrawingPad, data_dir=paths.DATA_DIR):
        """The window around `pad`; the training digits N shows are read from `data_dir`."""
        self.pad = pad
        self.canvas_rect = pygame.Rect(MARGIN, MARGIN, CANVAS, CANVAS)
        self.panel_rect = pygame.Rect(self.canvas_rect.right + MARGIN, MARGIN, PANEL, CANVAS)
        self.fonts = Fonts()
        network, reading, fonts, panel = pad.network, pad.reading, self.fonts, self.panel_rect
        self.answer_panel = AnswerPanel(reading, fonts, panel)
        # Each view beside the canvas, by the name --view knows: "canvas" shows the answer.
        self.views = {
            "canvas": self.answer_panel,
            "inside": InsideView(network, reading, fonts, panel),
            "why": WhyView(network, reading, fonts, panel),
            "steps": StepsView(network, reading, fonts, panel),
            "nearest": NearestPanel(network, reading, fonts, panel, data_dir),
            "learn": OneStepView(network, reading, fonts, pygame.Rect(MARGIN, MARGIN, WINDOW[0] - 2 * MARGIN, CANVAS)),
        }
        self.view = "canvas"
        self.stroke_button = 0  # the mouse button drawing pad.stroke
        self.show_help = False
        self.running = True
        self.canvas_surface = grey_palette_surface(CANVAS)
        # What each key does, given the modifier keys held (the digit keys teach: see press).
        self.key_table: dict[int, Callable[[int], None]] = {
            pygame.K_u: self.undo_lesson,
            pygame.K_SPACE: ignoring_mod(pad.read),
            pygame.K_c: ignoring_mod(pad.clear),
            pygame.K_BACKSPACE: ignoring_mod(pad.clear),
            pygame.K_z: self.undo,
            pygame.K_l: ignoring_mod(pad.toggle_live),
            pygame.K_h: self.toggle_help,
            pygame.K_F1: self.toggle_help,
            pygame.K_k: self.knock_out,
            pygame.K_ESCAPE: self.escape,
            pygame.K_q: self.quit,
            **{key: self.show_view(name) for key, name in VIEW_KEYS.items()},
        }

    # ---- what the keys do ---------------------------------------------------------------------

    def press(self, key: int, mod: int) -> None:
        """A key pressed, with `mod` the modifier keys held: the table says what it does."""
        pad = self.pad
        pad.message = pad.note = ""
        if key in DIGIT_KEYS:
            if mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
                return
            if self.view == "learn":
                self.views["learn"].pick(DIGIT_KEYS[key])  # T's step is for that label; nothing is learned
            else:
                self.teach(DIGIT_KEYS[key])
        elif key in self.key_table:
            self.key_table[key](mod)

    def teach(self, digit: int) -> None:
        """A digit key: the pad learns it; the inside view's pictures of the weights are redrawn."""
        self.pad.teach(digit)
        self.forget_weights()

    def undo_lesson(self, mod: int) -> None:
        """U: the last lesson taken back."""
        self.pad.undo_lesson()
        self.forget_weights()

    def forget_weights(self) -> None:
        """A lesson moved the weights (or took them back): the views' pictures of them are out of date."""
        self.views["inside"].forget_pictures()
        self.views["nearest"].forget()
        self.views["learn"].forget()

    def undo(self, mod: int) -> None:
        """Ctrl+Z undoes; Z alone does nothing."""
        if mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
            self.pad.undo()

    def knock_out(self, mod: int) -> None:
        """K knocks out a tenth more hidden nodes, SHIFT+K brings them all back."""
        self.pad.knock_out(restore=bool(mod & pygame.KMOD_SHIFT))

    def toggle_help(self, mod: int) -> None:
        """H or F1: the keys shown, or hidden again."""
        self.show_help = not self.show_help

    def show_view(self, name: str) -> Callable[[int], None]:
        """The key of view `name`: show it beside the canvas, or the answer again if it is shown."""

        def toggle(mod: int) -> None:
            """Show view `name`, or the answer again."""
            self.show("canvas" if self.view == name else name)

        return toggle

    def show(self, name: str) -> None:
        """Show view `name` beside the canvas, starting any slow work it needs."""
        self.view = name
        self.views[name].prepare()

    def escape(self, mod: int) -> None:
        """Esc closes the keys, else a view; then it quits."""
        if self.show_help:
            self.show_help = False
        elif self.view != "canvas":
            self.view = "canvas"
        else:
            self.running = False

    def quit(self, mod: int = 0) -> None:
        """Q or closing the window."""
        self.running = False

    # ---- events -------------------------------------------------------------------------------

    def to_canvas(self, pos: tuple[int, int]) -> tuple[int, int]:
        """A window position as a canvas pixel (x, y); it may lie outside the canvas."""
        return pos[0] - self.canvas_rect.x, pos[1] - self.canvas_rect.y

    def handle(self, event: pygame.event.Event) -> bool:
        """React to one event; return whether the window needs drawing again."""
        pad = self.pad
        if event.type == pygame.MOUSEMOTION:
            if pad.stroke is None:
                # Hovering: the view beside the canvas may react (I: to a hidden node under the pointer).
                return self.views[self.view].hover(event.pos)
            if not event.buttons[self.stroke_button - 1]:
                pad.pen_up()  # its release went astray (e.g. outside the window)
                return False
            pad.pen_moved(self.to_canvas(event.pos))
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and pad.stroke is None:
            view = self.views[self.view]
            if not self.canvas_rect.collidepoint(event.pos) or view.covers_canvas:  # T: no drawing unseen
                return view.click(event.pos)
            self.stroke_button = event.button
            pad.pen_down(self.to_canvas(event.pos), erase=event.button == 3)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == self.stroke_button:
            pad.pen_up()
        elif event.type == pygame.KEYDOWN:
            self.press(event.key, event.mod)
        elif event.type == pygame.QUIT:
            self.quit()
        elif event.type == pygame.NOEVENT:
            return False  # event.wait's time ran out: nothing happened, nothing to draw again
        return True

    def process(self, events: list[pygame.event.Event]) -> bool:
        """Handle one frame's events, then update the answer once; return whether to redraw."""
        redraw = False
        for event in events:
            redraw |= self.handle(event)
        # An answer out of date is news even with no event: the measures of myonn.familiar
        # arrive from another thread.
        redraw |= self.pad.stale
        redraw |= self.views[self.view].tick()  # N's training digits arrive from another thread
        self.pad.update()
        return redraw

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        """Paint a whole frame onto `surface` (the window, or an image for --screenshot)."""
        pad, canvas = self.pad, self.canvas_rect
        surface.fill(BACKGROUND)
        pygame.surfarray.blit_array(self.canvas_surface, pad.canvas.T)
        surface.blit(self.canvas_surface, canvas)
        pygame.draw.rect(surface, FRAME, canvas.inflate(2, 2), 1)

        small = self.fonts[22]
        text, colour = pad.prompt()
        if self.view == "learn" and not pad.message:  # (the greeting waits under T)
            text, colour = "What one training step would do with this drawing, for the label picked", TEXT
        # A long greeting (a network's path) is made smaller rather than run off the window's edge.
        surface.blit(self.fonts.fitted(text, colour, 26, WINDOW[0] - 2 * MARGIN), (MARGIN, canvas.bottom + 14))
        live = "on" if pad.live else "off"
        keys = f"right button: erase   Ctrl+Z: undo   C: clear   L: live ({live})   0-9: teach   I W S N T K: inside   H: keys"
        if self.view == "learn":  # T covers the canvas, and its digit keys pick the step's label
            keys = "0-9: the label of the training step shown (nothing is learned)   T or Esc: back to the canvas"
        surface.blit(small.render(keys, True, FAINT), (MARGIN, canvas.bottom + 44))
        if pad.silenced.any():
            note = f"{pad.silenced.sum()} of {len(pad.silenced)} hidden nodes knocked out (SHIFT+K: back)"
            text = small.render(note, True, WARNING)
            surface.blit(text, text.get_rect(bottomleft=(canvas.left, canvas.top - 3)))  # above the canvas
        self.views[self.view].draw(surface, self.panel_rect)
        if self.show_help:
            draw_help(surface, KEYS, self.fonts)
