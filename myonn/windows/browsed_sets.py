"""The MNIST sets the browser shows, each loaded once, and the network's reading of each, made once.

`Shown` is what the browser's views are handed to draw from: the set shown, the
image shown in it, and the network's ten outputs for every image of the set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from myonn import NeuralNetwork, mnist
from myonn.plumbing.errors import DataFileError


class Shown(NamedTuple):
    """The set shown and its image, as the browser's views read them."""

    set_name: str
    images: np.ndarray  # uint8 (n, 28, 28)
    labels: np.ndarray  # uint8 (n,)
    index: int  # the image shown, 0-based
    readings: np.ndarray | None  # the network's ten outputs for each image, once it has read the set

    @property
    def image(self) -> np.ndarray:
        """The image shown: uint8 (28, 28)."""
        return self.images[self.index]

    @property
    def label(self) -> int:
        """The label of the image shown."""
        return int(self.labels[self.index])


class BrowsedSets:
    """The sets in memory, by name ("train", "test"), and what `model` (None: no network) reads in each."""

    def __init__(
        self,
        data_dir: str | os.PathLike,
        sets: dict[str, tuple[np.ndarray, np.ndarray]],
        model: NeuralNetwork | None,
        busy: Callable[[str], None],
    ):
        """Sets already loaded are in `sets`; the others load from `data_dir`, after `busy` is told."""
        self.data_dir = Path(data_dir)
        self.loaded = dict(sets)  # name -> (images, labels)
        self.model = model
        self.busy = busy
        self._readings: dict[str, np.ndarray] = {}  # the network's outputs, per set
        self._misses: dict[str, np.ndarray] = {}  # indices it gets wrong, per set, ascending

    def load(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The images and labels of set `name`, loaded unless already in memory; DataFileError if it cannot be."""
        if name not in self.loaded:
            self.busy(f"loading the {name} set...")
            images, labels = mnist.load(name, self.data_dir)
            if len(labels) == 0:
                raise DataFileError(f"{self.data_dir}: the {name} set holds no images")
            self.loaded[name] = images, labels
        return self.loaded[name]

    def read(self, name: str) -> None:
        """Have the network read the whole set `name`, once (there must be a network)."""
        if name not in self._readings:
            images, labels = self.loaded[name]
            self.busy(f"the network is reading all {len(labels)} {name} images...")
            # One vectorised pass over the set: a second or two, then every image is instant.
            table = self.model.predict_proba(images)
            self._readings[name] = table
            self._misses[name] = np.flatnonzero(table.argmax(axis=1) != labels)

    def readings(self, name: str) -> np.ndarray | None:
        """The network's ten outputs for each image of set `name`, if it has read the set yet."""
        return self._readings.get(name)

    def misses(self, name: str) -> np.ndarray | None:
        """The 0-based indices of the images of set `name` that the network reads wrong, if known."""
        return self._misses.get(name)

    def shown(self, name: str, index: int) -> Shown:
        """Image `index` of set `name`, with the set and its readings."""
        images, labels = self.loaded[name]
        return Shown(name, images, labels, index, self._readings.get(name))


def next_miss(misses: np.ndarray, index: int, direction: int) -> tuple[int, bool]:
    """The miss after (direction 1) or before (-1) image `index`, wrapping round; and whether it wrapped."""
    if direction > 0:
        later = misses[misses > index]
        return (int(later[0]), False) if len(later) else (int(misses[0]), True)
    earlier = misses[misses < index]
    return (int(earlier[-1]), False) if len(earlier) else (int(misses[-1]), True)
