"""The training loop: epochs of shuffled mini-batches, a learning-rate schedule, evaluation.

`NeuralNetwork.train` learns from one batch; `fit` feeds it the whole training set
epoch after epoch and records how it goes. The learning rate follows a cosine curve
from its starting value down to zero over the whole run: big steps while the
weights are far from good, small ones to settle at the end.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable

import numpy as np

from myonn import images as imaging
from myonn.plumbing.cores import CoreShare
from myonn.plumbing.errors import TrainingDiverged
from myonn.network import NeuralNetwork
from myonn.styles import styled_copies

# The training recipe's ways of varying the images each epoch (see EpochImages).
DISTORT = 0.5  # the share of each epoch's images freshly bent, turned, scaled and shifted
STYLES = 0.3  # the share of 0s, 1s and 7s written crossed or flagged (myonn.styles)


@dataclass
class EpochReport:
    """How one epoch went: its mean loss, accuracies from 0.0 to 1.0, seconds taken, and the
    learning rate of its last batch (the schedule lowers it batch by batch)."""

    epoch: int
    loss: float
    train_accuracy: float
    test_accuracy: float | None
    seconds: float
    learning_rate: float


def one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """The network's target outputs: 1.0 at each label's digit, 0.0 elsewhere, float32 (n, classes)."""
    targets = np.zeros((len(labels), classes), np.float32)
    targets[np.arange(len(labels)), labels] = 1.0
    return targets


def cosine_learning_rate(start: float, step: int, total_steps: int) -> float:
    """The learning rate at `step` of `total_steps`: from `start` down to 0 along half a cosine."""
    return start * 0.5 * (1.0 + math.cos(math.pi * step / total_steps))


class EpochImages:
    """The training images as the network sees them in each epoch: a little different every time.

    People write digits in more ways than MNIST's 60,000 show, so each epoch
    (`next_epoch`) varies them, in three ways, each a share of the images:

    * `styles`: the 0s, 1s and 7s written as many people do and MNIST's writers hardly
      did, crossed or flagged (`myonn.styles`; one copy of each made once, swapped in);
    * `distort`: freshly bent, turned, scaled and shifted (`myonn.images.distort`);
    * `vary_strokes`: a quarter thinned and a quarter thickened (`thin_or_thicken`),
      as people's pens are.

    The network's own deskewing is done here too, once for the images that are not
    distorted, and in the same resampling pass as the distortion for those that are.
    """

    def __init__(
        self,
        network: NeuralNetwork,
        images: np.ndarray,
        labels: np.ndarray,
        rng: np.random.Generator,
        distort: float = DISTORT,
        styles: float = STYLES,
        vary_strokes: bool = True,
    ):
        """Work out once what is the same every epoch: the deskewed images, the styled copies."""
        self.images, self.distort, self.styles, self.vary_strokes = images, distort, styles, vary_strokes
        self.varies = bool(distort or styles or vary_strokes)
        self.straight = network.straighten(images).reshape(images.shape)
        self.deskew_maps = imaging.deskew_matrices(images) if distort and network.deskew else None
        self.styled = None
        if styles:
            where, copies = styled_copies(images, labels, rng)
            maps = imaging.deskew_matrices(copies) if distort and network.deskew else None
            self.styled = where, copies, network.straighten(copies).reshape(copies.shape), maps

    def next_epoch(self, rng: np.random.Generator) -> np.ndarray:
        """This epoch's images, uint8 (n, 28, 28), deskewed and varied."""
        source, pixels, maps = self.images, self.straight, self.deskew_maps
        if self.styled is not None:
            where, copies, straight_copies, copy_maps = self.styled
            swap = rng.random(len(where)) < self.styles
            source, pixels = source.copy(), pixels.copy()
            source[where[swap]], pixels[where[swap]] = copies[swap], straight_copies[swap]
            if maps is not None:
                maps = maps.copy()
                maps[where[swap]] = copy_maps[swap]
        if self.distort:
            chosen = np.flatnonzero(rng.random(len(source)) < self.distort)
            pixels = pixels.copy() if pixels is self.straight else pixels
            pixels[chosen] = imaging.distort(source[chosen], rng, None if maps is None else maps[chosen])
        if self.vary_strokes:
            pixels = imaging.thin_or_thicken(pixels, rng)
        return pixels


def fit(
    network: NeuralNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    momentum: float = 0.9,
    distort: float = DISTORT,
    styles: float = STYLES,
    vary_strokes: bool = True,
    seed: int = 0,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_batch: Callable[[int], None] | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
    on_step: Callable[[int, float, int, float], None] | None = None,
    cores: CoreShare | None = None,
) -> list[EpochReport]:
    """Train `network` on raw MNIST `images` and `labels` for `epochs` passes.

    Each epoch shuffles the images and trains on them `batch_size` at a time. The
    images vary from epoch to epoch (`EpochImages`): a share `distort` of them bent,
    turned, scaled and shifted, a share `styles` of the 0s, 1s and 7s crossed or
    flagged, and with `vary_strokes` a quarter thinned and a quarter thickened. All
    three help most with digits people draw (`mnist_draw.py`); 0, 0 and False train
    on the images as they are (deskewed).
    When `test` = (images, labels) is given, the test accuracy is measured after every
    epoch. `on_batch(n)` is called after each batch of n images, `on_epoch(report)`
    after each epoch, and `on_step(n, loss, right, rate)` after each batch too, with
    the batch's mean loss, how many it read right and its learning rate (for curves).
    With `cores` (a `myonn.plumbing.cores.CoreShare`), the matrix products get as many threads as
    other programs leave cores free, less one for making the next epoch's images when
    they vary; without, they keep the BLAS's thread count.
    Records the run in `network.metadata` and returns the reports.
    Raises `TrainingDiverged` if the loss stops being a finite number, or an epoch
    ends worse than random guessing.

    The images on their way to `network.train`:
    1. once, before the first epoch (`EpochImages`): every image deskewed, if the network deskews
       (`network.straighten`), and the crossed and flagged copies of the 0s, 1s and 7s made;
    2. every epoch, by a helper thread while the network learns from the last one
       (`EpochImages.next_epoch`): styled copies swapped in for a share of the 0s, 1s
       and 7s, a share distorted (and deskewed in the same pass), strokes thinned or
       thickened; images that do not vary are made only once;
    3. kept as uint8 pixels, shuffled (a new order each epoch), cut into batches;
    4. each batch scaled to float inputs 0.0 to 1.0 (`network.scale`) just before `train`.
    """
    images = _checked_images(network, images, labels, epochs, batch_size, distort, styles)
    started = time.perf_counter()
    labels = np.asarray(labels)
    # Two random streams from the one seed: one varies the images, the other shuffles
    # them, so the helper thread below never shares a generator with the loop.
    image_rng, order_rng = (np.random.default_rng(stream) for stream in np.random.SeedSequence(seed).spawn(2))
    targets = one_hot(labels, network.onodes)
    epoch_images = EpochImages(network, images, labels, image_rng, distort, styles, vary_strokes)
    test_inputs = network.prepare_inputs(test[0]) if test is not None else None
    batches_per_epoch = math.ceil(len(images) / batch_size)
    total_steps = epochs * batches_per_epoch
    reports: list[EpochReport] = []

    def next_pixels() -> np.ndarray:
        """The next epoch's images, varied, as rows of pixels."""
        return epoch_images.next_epoch(image_rng).reshape(len(images), -1)

    # While the network learns from one epoch's images, a helper thread makes the next
    # epoch's: NumPy lets go of Python's lock in both, so the two share the cores. Images
    # that do not vary are made once, and the matrix products get every core. They are
    # kept as pixels and scaled a batch at a time: as float inputs, an epoch's images
    # would take four times the memory (188 MB), twice over while the next is made.
    reserved = 1 if epoch_images.varies else 0  # a core for the helper thread

    def between_batches() -> None:
        if cores and (not epoch_images.varies or upcoming.done()):
            cores.check()  # never while the helper may be inside a BLAS product

    with ThreadPoolExecutor(max_workers=1) as helper, cores.during(reserved) if cores else nullcontext():
        upcoming = helper.submit(next_pixels)
        for epoch in range(1, epochs + 1):
            epoch_start = time.perf_counter()
            if epoch == 1 or epoch_images.varies:
                pixels = upcoming.result()
            if epoch < epochs and epoch_images.varies:
                upcoming = helper.submit(next_pixels)
            order = order_rng.permutation(len(images))
            first_step = (epoch - 1) * batches_per_epoch
            rates = [cosine_learning_rate(learning_rate, first_step + b, total_steps) for b in range(batches_per_epoch)]
            loss_sum, correct = train_epoch(
                network, pixels, targets, order, batch_size, rates, momentum, on_batch, on_step, between_batches
            )
            why = divergence(network, loss_sum, len(images))
            if why:
                raise TrainingDiverged(
                    f"training diverged in epoch {epoch} ({why}); try a smaller --learning-rate than {learning_rate}"
                )
            rate = rates[-1]
            report = epoch_report(network, epoch, loss_sum, correct, len(images), rate, epoch_start, test, test_inputs)
            reports.append(report)
            if on_epoch:
                on_epoch(report)

    # The record of the run, saved with the weights (in this order, as the model files have always had it).
    steps = dict(epochs=epochs, learning_rate=learning_rate, momentum=momentum, batch_size=batch_size, seed=seed)
    network.metadata.update(steps, distort=distort, styles=styles, vary_strokes=vary_strokes, trained_on=len(images))
    seconds = round(time.perf_counter() - started, 2)
    network.metadata.update(test_accuracy=reports[-1].test_accuracy, training_seconds=seconds)
    if cores and cores.counts:
        # Products split between other thread counts add up in another order: part of the record.
        network.metadata.update(blas_threads=cores.counts)
    return reports


def train_epoch(
    network: NeuralNetwork,
    pixels: np.ndarray,
    targets: np.ndarray,
    order: np.ndarray,
    batch_size: int,
    rates: list[float],
    momentum: float,
    on_batch: Callable[[int], None] | None = None,
    on_step: Callable[[int, float, int, float], None] | None = None,
    between_batches: Callable[[], None] | None = None,
) -> tuple[float, int]:
    """One pass over `pixels` (rows of uint8) in `order`, `batch_size` at a time, batch b at `rates[b]`.

    Returns the summed loss (each batch's mean loss times its size) and how many images
    it read right. A batch whose loss is no number (the steps overshot) ends the epoch
    there, and its loss is returned as the sum, before `on_batch` or `on_step` hear of it.
    """
    loss_sum, correct = 0.0, 0
    for b, rate in enumerate(rates):
        batch = order[b * batch_size : (b + 1) * batch_size]
        loss, right = network.train(network.scale(pixels[batch]), targets[batch], rate, momentum)
        if not math.isfinite(loss):
            return loss, correct
        loss_sum += loss * len(batch)
        correct += right
        if on_batch:
            on_batch(len(batch))
        if on_step:
            on_step(len(batch), loss, right, rate)
        if between_batches:
            between_batches()
    return loss_sum, correct


def divergence(network: NeuralNetwork, loss_sum: float, count: int) -> str:
    """Why an epoch of `count` images that summed `loss_sum` shows the training diverged, or "" if it did not."""
    if not math.isfinite(loss_sum):
        return f"the loss became {loss_sum}"
    # A network that guesses at random scores a loss of ln(10) = 2.3; a whole epoch
    # far worse than guessing means the steps are overshooting, not learning.
    if loss_sum / count > 3 * math.log(network.onodes) or not all(
        np.isfinite(getattr(network, name)).all() for name in ("wih", "who")
    ):
        return f"mean loss {loss_sum / count:.1f}, worse than guessing"
    return ""


def _checked_images(network, images, labels, epochs, batch_size, distort, styles) -> np.ndarray:
    """`images` as (n, side, side) pixels, once `fit`'s arguments are known to make sense (else ValueError)."""
    rows = network.pixel_rows(images)
    if epochs < 1 or batch_size < 1 or len(rows) == 0:
        raise ValueError(
            f"fit needs at least one epoch, batch and image (epochs={epochs}, batch_size={batch_size}, images={len(rows)})"
        )
    if len(labels) != len(rows):
        raise ValueError(f"{len(rows)} images but {len(labels)} labels")
    if not (0 <= distort <= 1 and 0 <= styles <= 1):
        raise ValueError(f"distort and styles are shares from 0 to 1, not {distort} and {styles}")
    side = int(round(network.inodes**0.5))
    if side * side != network.inodes:
        raise ValueError("fit trains on square images")
    return rows.reshape(len(rows), side, side)


def epoch_report(
    network: NeuralNetwork,
    epoch: int,
    loss_sum: float,
    correct: int,
    count: int,
    rate: float,
    epoch_start: float,
    test: tuple[np.ndarray, np.ndarray] | None,
    test_inputs: np.ndarray | None,
) -> EpochReport:
    """How the epoch went, from the sums of its `count` images' losses and right answers.

    Its seconds run from `epoch_start` (a `time.perf_counter()`) to after the test
    images are read; `rate` is the learning rate of its last step.
    """
    test_accuracy = accuracy_on_test(network, test_inputs, test)
    return EpochReport(epoch, loss_sum / count, correct / count, test_accuracy, time.perf_counter() - epoch_start, rate)


def accuracy_on_test(
    network: NeuralNetwork, test_inputs: np.ndarray | None, test: tuple[np.ndarray, np.ndarray] | None
) -> float | None:
    """The share of the test images read right, from their prepared inputs; None without a test set."""
    if test_inputs is None:
        return None
    return float((network.query(test_inputs).argmax(axis=1) == test[1]).mean())


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int = 10) -> np.ndarray:
    """Counts (classes, classes): row = the true digit, column = the digit the network read."""
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)
    return matrix


def no_better_than_guessing(accuracy: float, classes: int = 10) -> bool:
    """Whether a network that reads `accuracy` (0.0 to 1.0) of its test images has learned nothing.

    Guessing one digit in ten scores 10%, and always answering the commonest digit
    of MNIST's test set (a 1) 11.35%: a run that lands below 1.5 times chance, such
    as one whose learning rate is far too high, has not learned to read.
    """
    return accuracy < 1.5 / classes
