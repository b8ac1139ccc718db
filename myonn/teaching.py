"""Teaching the network a learner's own handwriting, one corrected digit at a time.

No network reads everyone. In `./mnist_draw.py` a learner draws a digit, the network
reads it, and a digit key says what it really is. Each such lesson

* keeps the digit: the 28x28 image the network was given (after `to_mnist`) and its
  label are added to `data/my_digits/` as an IDX pair like MNIST's files
  (`TaughtDigits`), which `./mnist_train.py --extra data/my_digits` can train on;
* teaches the network at once (`learn`): a few small training steps on that digit
  and the learner's other taught digits, with MNIST images mixed into every step so
  that it does not forget how everyone else writes.

`Teacher` does both, saves the taught network apart from the shipped one, and can
take the last lesson back.

    teacher = Teacher(network, model_path)
    teacher.teach(to_mnist(canvas), 7)   # "taught: 7 — 12 digits taught"
    teacher.undo()
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from myonn import images as imaging
from myonn import mnist
from myonn.plumbing import paths
from myonn.plumbing.errors import DataFileError, ModelFileError, MyonnError
from myonn.network import WEIGHTS, NeuralNetwork
from myonn.training import one_hot

# The two files of a folder of taught digits, named like MNIST's (without .gz).
IMAGES = "images-idx3-ubyte"
LABELS = "labels-idx1-ubyte"

# One lesson: STEPS training steps, each on a batch of COPIES of the new digit (all
# but one randomly rotated, scaled and shifted a little, so that the network learns
# the shape rather than the pixels), up to OTHERS_PER_STEP of the digits taught
# before, and MNIST_PER_STEP MNIST images. Chosen with benchmarks/teaching.py: every
# taught digit is read right afterwards, and MNIST's test accuracy hardly moves
# (1 copy: 97% of the taught digits read right after their lesson; 32: MNIST falls more).
STEPS = 10
COPIES = 16
OTHERS_PER_STEP = 15
MNIST_PER_STEP = 48
LEARNING_RATE = 0.1


def read_taught(folder: str | os.PathLike, missing_ok: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The taught digits kept in `folder`: uint8 images (n, 28, 28) and labels (n,).

    `folder` holds `images-idx3-ubyte` and `labels-idx1-ubyte` (gzipped or not), read
    and checked as MNIST's files are: anything wrong raises `DataFileError` naming
    the file. With `missing_ok`, a folder that does not exist yet, or holds neither
    file, gives no digits. One image more than labels is a lesson whose label a crash
    kept from being written (`TaughtDigits.append` writes the labels last): it was
    never taught, and is left out.
    """
    folder = Path(folder)
    images_path, labels_path = folder / IMAGES, folder / LABELS
    if missing_ok and not images_path.exists() and not labels_path.exists() and not folder.is_file():
        return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8)
    if not folder.exists():
        raise DataFileError(f"{folder}: no such folder (expected a folder holding {IMAGES} and {LABELS})")
    if not folder.is_dir():
        raise DataFileError(f"{folder}: a file, not a folder (expected a folder holding {IMAGES} and {LABELS})")
    images, labels = mnist.read_digit_pair(images_path, labels_path)
    if len(images) == len(labels) + 1:
        images = images[:-1]
    elif len(images) != len(labels):
        raise DataFileError(
            f"{images_path} holds {_some(len(images), 'image')} but {labels_path} holds {_some(len(labels), 'label')}"
        )
    return images, labels


class TaughtDigits:
    """The digits a learner has taught, in memory and in a folder as an IDX pair.

    Every change rewrites both files atomically, the images first and the labels
    last: the labels say how many lessons are complete, so a crash or Ctrl-C at any
    moment leaves every digit taught before it readable.
    """

    def __init__(self, folder: str | os.PathLike = paths.MY_DIGITS):
        """Read the digits already in `folder` (none if it does not exist yet); `DataFileError` if damaged."""
        self.folder = Path(folder)
        self.images, self.labels = read_taught(self.folder, missing_ok=True)

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        return f"TaughtDigits({str(self.folder)!r}, {len(self)} digits)"

    def append(self, image: np.ndarray, label: int) -> None:
        """Add one uint8 28x28 `image` read as digit `label`, and save the folder."""
        image = np.asarray(image)
        if image.shape != (28, 28) or image.dtype != np.uint8 or not 0 <= int(label) <= 9:
            raise ValueError(
                f"a taught digit is a uint8 (28, 28) image and a label 0-9, not {image.dtype} {image.shape}, {label!r}"
            )
        images = np.concatenate([self.images, image[np.newaxis]])
        labels = np.append(self.labels, np.uint8(label))
        self._write(images, labels, labels_last=True)

    def pop(self) -> int:
        """Remove the last digit taught, save the folder, and return its label."""
        if not len(self):
            raise IndexError("no taught digit to remove")
        label = int(self.labels[-1])
        # The labels first: for a moment the folder holds one image too many, which
        # reads as the same digits (see read_taught).
        self._write(self.images[:-1], self.labels[:-1], labels_last=False)
        return label

    def _write(self, images: np.ndarray, labels: np.ndarray, labels_last: bool) -> None:
        """Write both files, in the order that keeps the folder readable between them."""
        files = [(self.folder / IMAGES, images), (self.folder / LABELS, labels)]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for path, array in files if labels_last else files[::-1]:
                mnist.write_idx(path, array)
        except OSError as error:
            raise DataFileError(
                f"{self.folder}: cannot save the taught digits there ({error.strerror or error})"
            ) from None
        self.images, self.labels = images, labels


def with_taught(
    images: np.ndarray, labels: np.ndarray, taught_images: np.ndarray, taught_labels: np.ndarray, weight: int
) -> tuple[np.ndarray, np.ndarray]:
    """The training `images` and `labels` with each taught digit added `weight` times, after them.

    Repeated, not weighted in the loss: `fit`'s batches, shuffling and stroke variations
    then treat them as MNIST images (each copy thinned or thickened apart).
    """
    images = np.concatenate([images, np.repeat(taught_images, weight, axis=0)])
    labels = np.concatenate([labels, np.repeat(taught_labels, weight)])
    return images, labels


def learn(
    network: NeuralNetwork,
    image: np.ndarray,
    label: int,
    others: tuple[np.ndarray, np.ndarray],
    mnist_digits: tuple[np.ndarray, np.ndarray],
    rng: np.random.Generator,
    steps: int | None = None,
    learning_rate: float | None = None,
) -> None:
    """Teach `network` that the raw uint8 28x28 `image` is the digit `label`: one lesson.

    `steps` training steps, each on one batch: COPIES of the new digit, up to OTHERS_PER_STEP of
    the digits taught before (`others` = (images, labels), so earlier lessons are not
    undone by later ones) and MNIST_PER_STEP random images of `mnist_digits` (so the
    network keeps reading MNIST). Small steps without momentum: a lesson nudges the
    trained weights, it does not retrain them.
    """
    steps = STEPS if steps is None else steps
    learning_rate = LEARNING_RATE if learning_rate is None else learning_rate
    other_images, other_labels = others
    mnist_images, mnist_labels = mnist_digits
    for _ in range(steps):
        chosen = rng.choice(len(other_labels), size=min(OTHERS_PER_STEP, len(other_labels)), replace=False)
        drawn = rng.integers(0, len(mnist_labels), MNIST_PER_STEP)
        copies = np.repeat(np.asarray(image)[np.newaxis], COPIES, axis=0)
        copies[1:] = imaging.distort(copies[1:], rng)
        images = np.concatenate([copies, other_images[chosen], mnist_images[drawn]])
        labels = np.concatenate([[label] * COPIES, other_labels[chosen], mnist_labels[drawn]]).astype(np.int64)
        network.train(network.prepare_inputs(images), one_hot(labels, network.onodes), learning_rate, momentum=0.0)


class Teacher:
    """Lessons for a network: keep each corrected digit, learn from it, save, and undo.

    `teach` and `undo` return the line for the window's status; a lesson that cannot
    be given raises `MyonnError` with a one-line reason. The taught network is saved to
    `save_to` (`data/my_taught_nn.npz`), never over the network it was read from unless
    that is the taught one. Undo takes back the lessons given since this Teacher was
    made: the digit, and the weights as they were before it; once all are taken back,
    the taught network and the folder of digits this Teacher made are removed again.
    """

    def __init__(
        self,
        network: NeuralNetwork,
        model_path: str | os.PathLike,
        folder: str | os.PathLike = paths.MY_DIGITS,
        save_to: str | os.PathLike | None = paths.TAUGHT_MODEL,
        mnist_dir: str | os.PathLike = paths.DATA_DIR,
        seed: int = 0,
        mnist_digits: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        """Teach `network` (read from `model_path`), keeping digits in `folder`.

        Raises `DataFileError` if `folder` holds damaged files: they are left as they
        are. `save_to=None` keeps the taught network in memory only, and
        `mnist_digits` = (images, labels) saves reading MNIST from `mnist_dir` (both for
        benchmarks).
        """
        self.network = network
        self.model_path = Path(model_path)
        self.digits = TaughtDigits(folder)
        self.save_to = None if save_to is None else Path(save_to)
        self.mnist_dir = Path(mnist_dir)
        self.rng = np.random.default_rng(seed)
        self._mnist = mnist_digits
        # One entry per lesson given here: the weights before it (None when it could
        # not learn, MNIST missing), for undo.
        self.lessons: list[dict[str, np.ndarray] | None] = []
        # What was there before the first lesson: undoing every lesson goes back to it.
        self._started_from = self.model_path
        self._made_here = {
            "network": self.save_to is not None and not self.save_to.exists(),
            "folder": not self.digits.folder.exists(),
        }

    def __repr__(self) -> str:
        return f"Teacher({self.network!r}, {self.digits!r}, {len(self.lessons)} lessons given)"

    @property
    def network_taught(self) -> int:
        """How many taught digits the network has learned from, over all its sessions."""
        return int(self.network.metadata.get("taught_digits", 0))

    def mnist_digits(self) -> tuple[np.ndarray, np.ndarray]:
        """MNIST's training images and labels, read at the first lesson (never downloaded here).

        Raises `DataFileError` saying what to do when they are missing or damaged.
        """
        if self._mnist is None:
            images_name, labels_name, _ = mnist.SPLITS["train"]
            if any(mnist.local_file(self.mnist_dir, name) is None for name in (images_name, labels_name)):
                raise DataFileError(
                    f"MNIST is missing from {paths.shown(self.mnist_dir)}/ (run ./mnist_train.py once to fetch it)"
                )
            self._mnist = mnist.load("train", self.mnist_dir)
        return self._mnist

    def check_can_save(self) -> None:
        """Refuse to teach a network other than the taught one while a taught one is kept: it would replace it."""
        if self.save_to is None or not self.save_to.exists():
            return
        if self.model_path.resolve() != self.save_to.resolve():
            raise MyonnError(
                f"{paths.shown(self.save_to)} holds your taught network: start without --model to teach it"
            )

    def teach(self, image: np.ndarray, label: int) -> str:
        """One lesson: `image` (uint8 28x28, as `to_mnist` makes it) is the digit `label`."""
        self.check_can_save()
        earlier = (self.digits.images, self.digits.labels)
        self.digits.append(image, label)
        count = _count(len(self.digits))
        try:
            mnist_digits = self.mnist_digits()
        except DataFileError as error:
            self.lessons.append(None)
            return f"{label} kept, not learned: {error}"
        before = {name: getattr(self.network, name).copy() for name in WEIGHTS}
        learn(self.network, image, label, earlier, mnist_digits, self.rng)
        self.network.metadata["taught_digits"] = self.network_taught + 1
        self.lessons.append(before)
        self._save()
        return f"taught: {label} — {count}"

    def undo(self) -> str:
        """Take back the last lesson given here: forget its digit and restore the weights."""
        if not self.lessons:
            return "nothing to undo: U takes back the lessons taught since the window opened"
        label = self.digits.pop()
        before = self.lessons.pop()
        if before is not None:
            for name, weights in before.items():
                setattr(self.network, name, weights)
            self.network.metadata["taught_digits"] = max(self.network_taught - 1, 0)
            self._save()
        if not self.lessons:
            self._as_before()
        return f"undone: the lesson {label} — {_count(len(self.digits))}"

    def _as_before(self) -> None:
        """Every lesson given here taken back: the files this Teacher made go, and the window
        reads with the network it started with (a taught network from before stays, as it was)."""
        if self._made_here["network"] and self.save_to is not None and self.save_to.exists():
            self.save_to.unlink()  # it holds the weights the window started with: nothing is lost
            self.model_path = self._started_from
        if self._made_here["folder"] and not len(self.digits):
            for name in (IMAGES, LABELS):
                (self.digits.folder / name).unlink(missing_ok=True)
            try:
                self.digits.folder.rmdir()
            except OSError:
                pass  # the learner put something else there: it stays

    def _save(self) -> None:
        """Save the taught network, if it is kept on disk."""
        if self.save_to is not None:
            try:
                self.network.save(self.save_to)
            except ModelFileError as error:
                raise MyonnError(f"the lesson was learned but not saved: {error}") from None
            self.model_path = self.save_to

    def greeting(self) -> str:
        """What the window says at the start: which network reads, and what it was taught.

        "reading with your taught network (data/my_taught_nn.npz), taught 12 digits"
        """
        network = f"reading with {paths.describe(self.model_path)} ({paths.shown(self.model_path)})"
        extra = self.network.metadata.get("extra_digits")
        if isinstance(extra, int) and extra > 0:  # trained from the start with digits taught (--extra)
            then = f", then taught {self.network_taught} more" if self.network_taught else ""
            return f"{network}, trained with {_count(extra).removesuffix(' taught')} of yours{then}"
        if self.network_taught:
            return f"{network}, taught {_count(self.network_taught).removesuffix(' taught')}"
        if len(self.digits):
            return f"{network}; {len(self.digits)} digits you taught are kept in {paths.shown(self.digits.folder)}"
        return f"{network}; after a reading, 0-9 teaches it"


def _some(count: int, thing: str) -> str:
    """ "1 image", "3 images"."""
    return f"{count} {thing}{'' if count == 1 else 's'}"


def _count(digits: int) -> str:
    """ "12 digits taught", "1 digit taught"."""
    return f"{_some(digits, 'digit')} taught"
