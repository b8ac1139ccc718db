"""T in the drawing window: one training step on the drawing, in numbers (myonn.one_step).

It covers the canvas: the forward pass along the top (the inputs, `hidden_outputs`,
`final_outputs` beside the `targets`), the errors going back along the middle
(`output_errors`, `hidden_errors`), and the steps they make at the bottom (to `who`, and
to `wih` for the four hidden nodes it moves most), with the answer before and after.
Each picture carries the book's name and its layer's rule. A digit key picks the label
the step is for; nothing is learned (a lesson is a digit key outside this view).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.answer import whole_percentages
from myonn.one_step import RULES, Step, one_step
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import ANSWER_BAR, FAINT, FRAME, LIT, OTHER_BAR, TEXT, UNLIT
from myonn.windows.pictures import rgb_surface
from myonn.windows.view import View


def in_grid(colours: np.ndarray) -> np.ndarray:
    """One colour per hidden node (n, 3) laid out in rows twice as long as the grid is high
    (200 nodes: 10 rows of 20), the places left over grey: uint8 (rows, columns, 3)."""
    columns = int(np.ceil(np.sqrt(2 * len(colours))))
    rows = -(-len(colours) // columns)
    grid = np.full((rows * columns, 3), 200, np.uint8)
    grid[: len(colours)] = colours
    return grid.reshape(rows, columns, 3)


def lit_colours(outputs: np.ndarray) -> np.ndarray:
    """Hidden outputs (0 to 1) as lights, from UNLIT to LIT: uint8 (n, 3)."""
    share = np.clip(outputs, 0, 1)[:, None]
    colours = np.asarray(UNLIT, np.float32) + share * (np.asarray(LIT, np.float32) - np.asarray(UNLIT, np.float32))
    return np.rint(colours).astype(np.uint8)


class OneStepView(View):
    """T: one step of training on the drawing, for the label picked, every array under its book's name."""

    covers_canvas = True  # it is drawn over the canvas too: the pen does not draw while it is shown

    def __init__(self, network: NeuralNetwork, reading: Callable[[], Reading], fonts: Fonts, area: pygame.Rect):
        """The view of `network` learning from `reading()`, drawn in `area`, written in `fonts`."""
        self.network, self.reading, self.fonts, self.area = network, reading, fonts, area
        self.label: int | None = None  # the label picked; None: the digit read
        self._step: tuple[tuple, Step] | None = None  # the step, and for which image and label
        self._picture: tuple[tuple, pygame.Surface] | None = None  # the view drawn, and for which step

    def forget(self) -> None:
        """A lesson moved the weights: the step worked out before is out of date."""
        self._step = self._picture = None

    def pick(self, digit: int) -> None:
        """A digit key in this view: show the step for that label."""
        self.label = digit

    def step(self) -> Step | None:
        """The step for the drawing and the label picked (worked out once for each); None without a drawing."""
        reading = self.reading()
        if reading.seen is None:
            return None
        label = self.label if self.label is not None else reading.answer
        key = (reading.seen.tobytes(), label)
        if self._step is None or self._step[0] != key:
            self._step = (key, one_step(self.network, reading.seen, label))
        return self._step[1]

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """The view, drawn once per step and label, and copied at every frame after."""
        self.step()
        key = None if self._step is None else self._step[0]
        if self._picture is None or self._picture[0] != key:
            picture = pygame.Surface(self.area.size)
            where, self.area = self.area, pygame.Rect((0, 0), self.area.size)
            try:
                self.paint(picture)
            finally:
                self.area = where
            self._picture = (key, picture)
        surface.blit(self._picture[1], self.area)
        pygame.draw.rect(surface, FRAME, self.area.inflate(2, 2), 1)

    def paint(self, surface: pygame.Surface) -> None:
        """The whole step into `self.area` of `surface`: forward along the top, errors in the middle,
        weight steps at the bottom."""
        area = self.area
        surface.fill((255, 255, 255), area)
        step = self.step()
        if step is None:
            self.text(surface, "one training step: draw a digit first", (area.left + 10, area.top + 10), 24)
            return
        label = int(step.targets.argmax())
        title = f"one training step for the label {label}, lr {step.learning_rate} (a digit key: another label)"
        self.text(surface, title, (area.left + 10, area.top + 6), 22)
        left, top = area.left + 10, area.top + 34
        self.forward(surface, step, left, top)
        self.backward(surface, step, left, top + 130)
        self.weights(surface, step, left, top + 268)

    # ---- the three rows --------------------------------------------------------------------------

    def forward(self, surface: pygame.Surface, step: Step, left: int, top: int) -> None:
        """The inputs, hidden_outputs, and final_outputs beside the targets."""
        side = int(round(step.inputs.size**0.5))
        grey = np.repeat(np.rint(255 - step.inputs * 255).astype(np.uint8).reshape(side, side, 1), 3, axis=2)
        self.picture(surface, grey, pygame.Rect(left, top + 18, 84, 84), "inputs (28x28)")
        self.picture(
            surface,
            in_grid(lit_colours(step.hidden_outputs)),
            pygame.Rect(left + 110, top + 18, 200, 80),
            f"hidden_outputs ({step.hidden_outputs.size})",
        )
        self.rule(surface, RULES[0], (left + 110, top + 102), left + 330)
        self.bars(surface, step.final_outputs, step.targets, left + 370, top, "final_outputs (bars) / targets (frames)")
        self.rule(surface, RULES[1], (left + 370, top + 102))

    def backward(self, surface: pygame.Surface, step: Step, left: int, top: int) -> None:
        """The output_errors as ten signed bars, and the hidden_errors as 200 signed nodes."""
        self.signed_bars(surface, step.output_errors, left, top, "output_errors (red +, blue -)")
        self.rule(surface, RULES[2], (left, top + 108), left + 330)
        colours = in_grid(inside.signed_rgb(step.hidden_errors))
        self.picture(
            surface,
            colours,
            pygame.Rect(left + 370, top + 18, 200, 80),
            f"hidden_errors ({step.hidden_errors.size}, signed)",
        )
        self.rule(surface, RULES[3].replace(" * hidden", "\n    * hidden", 1), (left + 370, top + 100))

    def weights(self, surface: pygame.Surface, step: Step, left: int, top: int) -> None:
        """The step to who (10x200), to wih for the nodes it moves most, and the answer before and after."""
        self.picture(
            surface,
            inside.signed_rgb(step.steps["who"]),
            pygame.Rect(left, top + 18, 300, 50),
            "delta who ({}x{})".format(*step.steps["who"].shape),
        )
        self.rule(surface, RULES[4], (left, top + 72))
        side = int(round(step.inputs.size**0.5))
        self.text(surface, "delta wih, for the 4 nodes it moves most", (left + 320, top), 16)
        for i, node in enumerate(step.moved_most()):
            picture = inside.signed_rgb(step.steps["wih"][node].reshape(side, side))
            rect = pygame.Rect(left + 320 + i * 62, top + 18, 56, 56)
            surface.blit(rgb_surface(picture, rect.size), rect)
            pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)
            self.text(surface, f"node {node}", (rect.left, rect.bottom + 2), 13, FAINT)
        self.rule(surface, RULES[5], (left + 320, top + 92))
        before, after = whole_percentages(step.final_outputs), whole_percentages(step.after)
        label = int(step.targets.argmax())
        read_before, read_after = int(step.final_outputs.argmax()), int(step.after.argmax())
        lines = (
            f"before: reads {read_before} ({before[read_before]}%)"
            + ("" if read_before == label else f", {label}: {before[label]}%"),
            f"after this one step: reads {read_after} ({after[read_after]}%)"
            + ("" if read_after == label else f", {label}: {after[label]}%"),
        )
        for row, line in enumerate(lines):
            self.text(surface, line, (left, top + 110 + row * 20), 20, TEXT)
        why = "one image alone moves it far: training averages\neach step over 64 images, and a lesson mixes in MNIST's"
        self.text(surface, why, (left + 320, top + 116), 16, FAINT)

    # ---- the parts ---------------------------------------------------------------------------------

    def text(self, surface, words: str, at: tuple[int, int], size: int = 18, colour=TEXT, right: int = 0) -> None:
        """Words at `at` (a line each, for each "\\n"), made smaller to end before `right` (the view's edge)."""
        right = right or self.area.right - 6
        for row, line in enumerate(words.split("\n")):
            surface.blit(self.fonts.fitted(line, colour, size, right - at[0]), (at[0], at[1] + row * size))

    def rule(self, surface, words: str, at: tuple[int, int], right: int = 0) -> None:
        """A layer's rule, in the book's names, faint under its picture."""
        self.text(surface, words, at, 16, FAINT, right)

    def picture(self, surface, colours: np.ndarray, rect: pygame.Rect, name: str) -> None:
        """A picture of uint8 colours in `rect`, framed, with its name above."""
        self.text(surface, name, (rect.left, rect.top - 17), 16)
        surface.blit(rgb_surface(colours, rect.size), rect)
        pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)

    def bars(self, surface, outputs: np.ndarray, targets: np.ndarray, left: int, top: int, name: str) -> None:
        """Each digit's output as a bar, its target as a frame around where the bar should reach."""
        self.text(surface, name, (left, top), 16)
        for digit in range(len(outputs)):
            y = top + 18 + digit * 8
            self.text(surface, str(digit), (left, y - 4), 13, FAINT)
            colour = ANSWER_BAR if targets[digit] > 0 else OTHER_BAR
            pygame.draw.rect(surface, colour, (left + 12, y, max(1, round(float(outputs[digit]) * 150)), 7))
            pygame.draw.rect(surface, FRAME, (left + 12, y, round(float(targets[digit]) * 150) or 1, 7), 1)

    def signed_bars(self, surface, values: np.ndarray, left: int, top: int, name: str) -> None:
        """Ten signed values as bars from a middle line: red to the right for +, blue to the left for -."""
        self.text(surface, name, (left, top), 16)
        middle, half = left + 160, 140
        for digit, value in enumerate(values):
            y = top + 18 + digit * 8
            self.text(surface, str(digit), (left, y - 4), 13, FAINT)
            width = round(abs(float(value)) * half)
            colour = inside.POSITIVE if value >= 0 else inside.NEGATIVE
            pygame.draw.rect(surface, colour, (middle if value >= 0 else middle - width, y, max(width, 1), 7))
        pygame.draw.line(surface, FRAME, (middle, top + 16), (middle, top + 18 + 8 * len(values)))
