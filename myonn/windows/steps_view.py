"""The draw window's S view: the steps from the canvas to the network.

Each of `myonn.inside.STEP_NAMES` small, with what the network reads there, so that
a learner sees why MNIST's normalisation matters.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pygame

from myonn import NeuralNetwork, inside
from myonn.preprocess import SIZE
from myonn.answer import whole_percentages
from myonn.windows.drawing_pad import Reading
from myonn.windows.fonts import Fonts
from myonn.windows.palette import FAINT, FRAME, TEXT, WARNING
from myonn.windows.pictures import rgb_surface
from myonn.windows.view import View


class StepsView(View):
    """S: the five images from the canvas to the network's first layer, each with its reading."""

    SCALE = 2  # each 28x28 step is shown 56x56
    ROW = 84  # screen pixels from one step to the next

    def __init__(self, network: NeuralNetwork, reading: Callable[[], Reading], fonts: Fonts, area: pygame.Rect):
        """The view of `network` reading `reading()`, in `area`, written in `fonts`."""
        self.network = network
        self.reading = reading
        self.fonts = fonts
        self.area = area
        # For the answer shown: the (stages, probabilities) it was made for, the images, their outputs.
        self._steps: tuple[tuple, list[np.ndarray], np.ndarray] | None = None

    def steps(self) -> tuple[list[np.ndarray], np.ndarray]:
        """The five images, and the network's outputs for each as it is (with any nodes knocked out)."""
        reading = self.reading()
        # The very objects, not their ids: holding them, their ids cannot be reused by new ones.
        key = (reading.stages, reading.probabilities)
        if self._steps is None or self._steps[0][0] is not key[0] or self._steps[0][1] is not key[1]:
            images = inside.steps_to_network(self.network, reading.canvas, reading.stages, reading.seen)
            # Each image as it is, straight into the first layer: the network's own
            # straightening is the last step, not applied to the others.
            inputs = self.network.scale(np.stack(images))
            outputs = self.network.forward(inputs, reading.silenced)[1]
            self._steps = key, images, outputs
        return self._steps[1], self._steps[2]

    def image_rects(self) -> list[pygame.Rect]:
        """Where the five images go, one under another."""
        side, area = SIZE * self.SCALE, self.area
        return [
            pygame.Rect(area.left, area.top + 24 + row * self.ROW, side, side) for row in range(len(inside.STEP_NAMES))
        ]

    def draw(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Each step's image, its name and what the network reads in it."""
        reading, small, medium = self.reading(), self.fonts[22], self.fonts[26]
        surface.blit(small.render("from your drawing to the network", True, FAINT), (area.left, area.top))
        if reading.answer is None:
            surface.blit(small.render("draw a digit first", True, FAINT), (area.left, area.top + 24))
            return
        images, outputs = self.steps()
        for name, image, output, rect in zip(inside.STEP_NAMES, images, outputs, self.image_rects()):
            grey = np.repeat((255 - image)[:, :, None], 3, axis=2)
            surface.blit(rgb_surface(grey, rect.size), rect)
            pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), 1)
            surface.blit(small.render(name, True, FAINT), (rect.right + 10, rect.top))
            reading_there = int(output.argmax())
            words = f"reads {reading_there} ({whole_percentages(output)[reading_there]}%)"
            colour = TEXT if reading_there == reading.answer else WARNING
            surface.blit(medium.render(words, True, colour), (rect.right + 10, rect.top + 22))
