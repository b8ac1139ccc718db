"""The neural network: three layers of nodes, written from scratch in NumPy.

This is the network of Tariq Rashid's "Make Your Own Neural Network" and of the talk
"Make Your Own Neural Network with Ruby": 784 input nodes (one per pixel of a 28x28
image), a hidden layer of 200 sigmoid nodes, and 10 output nodes (one per digit).
It keeps the book's three verbs and its names (`wih`, `who`, `hidden_outputs`,
`output_errors`, `hidden_errors`, ...) and adds what makes it fast and accurate.
To read the book's own step first, one image at a time as column vectors, see
`myonn.one_at_a_time.train_one`; `train` here is the same arithmetic on a batch, plus:

* Mini-batches. The book trains one image at a time; here `train` takes a batch of
  images as the rows of a matrix, so each layer is one matrix product that NumPy's
  BLAS spreads over every core. The book's column vectors become rows, so its
  `dot(wih, inputs)` is written `inputs @ wih.T` here.
* Biases. Each hidden and output node adds a learned bias (`bh`, `bo`) to its
  weighted sum; the book leaves them out.
* A softmax output layer with the cross-entropy loss, where the book has sigmoid
  outputs and the squared error. The outputs are then probabilities that add up
  to 1, and the error signal at the output is exactly the book's
  `output_errors = targets - final_outputs`, without the sigmoid's slope
  `final_outputs * (1 - final_outputs)`, which makes a confidently wrong answer
  learn slowly.
* Momentum. Each weight moves by a velocity that remembers a fraction of its last
  step, which smooths the noisy steps of small batches.
* Deskewing (on by default). Before the first layer, each image's slant is removed
  and its centre of mass is put in the middle (see `myonn.images.deskew`), on the
  training images and on every image the network is asked about, so the network
  need not learn every angle a digit can be written at.

The training loop around `train` (epochs, shuffling, the learning-rate schedule,
varied copies of the training images) is in `myonn.training`; saving a trained
network to a file and reading it back (`save`, `load`) in `myonn.model_file`.

The network owns its input scaling: callers pass raw pixels (uint8, 0 to 255).
"""

from __future__ import annotations

import os

import numpy as np

from myonn import images as imaging

WEIGHTS = ("wih", "bh", "who", "bo")


def sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The activation function of the hidden nodes: 1 / (1 + exp(-x)).

    Like NumPy's own functions it writes into `out` when given (`out=x` reuses x's
    memory, as the forward pass does), else into a new array. Its slope, needed by
    backpropagation, is `sigmoid(x) * (1 - sigmoid(x))`.
    """
    if out is None:
        out = np.array(x, dtype=np.result_type(x, np.float32))  # a float copy to work in
    np.negative(x, out=out)
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x < -88: 1/inf is the right 0
        np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def softmax(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Turn each row of scores into probabilities that add up to 1 (into `out` when given).

    Subtracting the row's largest score first changes nothing mathematically but keeps
    exp() from overflowing.
    """
    x = np.atleast_2d(x)
    if out is None:
        out = np.array(x, dtype=np.result_type(x, np.float32))
    np.subtract(x, x.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def squeeze(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Scale `values` linearly so that the smallest becomes `low` and the largest `high` (backquery's rescaling)."""
    values = values - values.min()
    top = values.max()
    return low + (high - low) * (values / top if top > 0 else values)


class NeuralNetwork:
    """A three-layer network: input -> sigmoid hidden layer -> softmax output.

    `NeuralNetwork(784, 200, 10)` makes the network of the talk with small random
    weights; `NeuralNetwork.load(path)` reads a trained one. `predict(images)` reads
    digits from raw MNIST pixels; `train(inputs, targets, ...)` learns from one batch.
    """

    def __init__(
        self,
        input_nodes: int = 784,
        hidden_nodes: int = 200,
        output_nodes: int = 10,
        seed: int | None = 0,
        deskew: bool = True,
    ):
        """Make a network with random weights: the same `seed` gives the same weights.

        As in the book, each weight is drawn from a normal distribution whose spread
        is 1 / sqrt(number of incoming links), so every node starts with sums of
        about the same size whatever the layer's width. Biases start at zero.
        """
        for name, value in (
            ("input_nodes", input_nodes),
            ("hidden_nodes", hidden_nodes),
            ("output_nodes", output_nodes),
        ):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")
        self.inodes, self.hnodes, self.onodes = int(input_nodes), int(hidden_nodes), int(output_nodes)
        self.deskew = bool(deskew)
        if self.deskew and round(self.inodes**0.5) ** 2 != self.inodes:
            raise ValueError(
                f"deskewing needs square images, and {self.inodes} inputs are not a square number of pixels"
            )
        rng = np.random.default_rng(seed)
        # wih: weights from input to hidden, one row per hidden node (the book's shape).
        self.wih = rng.normal(0.0, self.inodes**-0.5, (self.hnodes, self.inodes)).astype(np.float32)
        self.bh = np.zeros(self.hnodes, np.float32)
        # who: weights from hidden to output, one row per output node.
        self.who = rng.normal(0.0, self.hnodes**-0.5, (self.onodes, self.hnodes)).astype(np.float32)
        self.bo = np.zeros(self.onodes, np.float32)
        # The velocity of each weight for momentum: where it was moving at the last step.
        self.velocities = {name: np.zeros_like(getattr(self, name)) for name in WEIGHTS}
        # What training records about itself (epochs, accuracy, ...), saved with the weights.
        self.metadata: dict = {}

    def __repr__(self) -> str:
        accuracy = self.metadata.get("test_accuracy")
        trained = f", test accuracy {accuracy:.2%}" if accuracy is not None else ", untrained"
        return f"NeuralNetwork({self.inodes}, {self.hnodes}, {self.onodes}{trained})"

    # ---- inputs -------------------------------------------------------------------

    def pixel_rows(self, images: np.ndarray) -> np.ndarray:
        """Check raw pixels and give them as rows: uint8 (n, 784) from (n, 28, 28), (n, 784) or (28, 28)."""
        images = np.asarray(images)
        if images.dtype != np.uint8:
            raise TypeError(f"images must be raw uint8 pixels (0 to 255), not {images.dtype}")
        side = int(round(self.inodes**0.5))
        if images.shape == (side, side) and side != self.inodes:
            images = images[np.newaxis]  # one image
        if images.ndim == 3:
            images = images.reshape(len(images), images.shape[1] * images.shape[2])
        if images.ndim != 2 or images.shape[1] != self.inodes:
            raise ValueError(f"images must be shaped (n, {side}, {side}) or (n, {self.inodes}), not {images.shape}")
        return images

    def straighten(self, images: np.ndarray) -> np.ndarray:
        """The images as the network looks at them, still as uint8 pixels.

        When the network deskews (the default), each image's slant is removed and its
        centre of mass put in the middle (`myonn.images.deskew`), giving (n, 28, 28);
        otherwise they are only checked, as rows (n, 784).
        """
        rows = self.pixel_rows(images)
        if not self.deskew:
            return rows
        side = int(round(self.inodes**0.5))
        return imaging.deskew(rows.reshape(len(rows), side, side))

    @staticmethod
    def scale(pixels: np.ndarray) -> np.ndarray:
        """Pixels 0 to 255 -> the network's inputs, float32 rows of 0.0 to 1.0."""
        # One pass over the pixels (not a float copy, then a second pass to scale it).
        return np.multiply(pixels.reshape(len(pixels), -1), np.float32(1 / 255), dtype=np.float32)

    def prepare_inputs(self, images: np.ndarray) -> np.ndarray:
        """Turn raw pixels into the network's inputs: `scale(straighten(images))`.

        `images` are uint8 pixels shaped (n, 28, 28), (n, 784) or one image (28, 28).
        Training and every prediction go through here, so they see the same kind of image.
        """
        return self.scale(self.straighten(images))

    # ---- the book's verbs: query and train -----------------------------------------

    def query(self, inputs: np.ndarray, silenced: np.ndarray | None = None) -> np.ndarray:
        """The forward pass: prepared inputs (n, 784) -> output probabilities (n, 10)."""
        return self.forward(inputs, silenced)[1]

    def forward(self, inputs: np.ndarray, silenced: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Feed prepared inputs through the network; return (hidden_outputs, final_outputs).

        `silenced` knocks hidden nodes out: a boolean mask of the hidden nodes (hidden,)
        whose outputs are set to 0, so they pass nothing on, as if cut out of the
        network, for this pass only (the weights are not touched). None silences none.
        """
        if inputs.dtype.kind != "f":
            # Raw pixels (0 to 255) would be read unscaled and without deskewing, and
            # badly: they must come through prepare_inputs.
            raise TypeError(
                f"query, forward and train take the float inputs of prepare_inputs(images), not {inputs.dtype} "
                "pixels; to read raw pixels use predict or predict_proba"
            )
        hidden_inputs = inputs @ self.wih.T
        hidden_inputs += self.bh
        hidden_outputs = sigmoid(hidden_inputs, out=hidden_inputs)  # in place: no new array per batch
        if silenced is not None and np.any(silenced):
            silenced = np.asarray(silenced, bool)
            if silenced.shape != (self.hnodes,):
                raise ValueError(
                    f"silenced must be a mask of the {self.hnodes} hidden nodes, not shaped {silenced.shape}"
                )
            hidden_outputs[:, silenced] = 0.0
        final_inputs = hidden_outputs @ self.who.T
        final_inputs += self.bo
        final_outputs = softmax(final_inputs, out=final_inputs)
        return hidden_outputs, final_outputs

    def train(
        self, inputs: np.ndarray, targets: np.ndarray, learning_rate: float, momentum: float = 0.9
    ) -> tuple[float, int]:
        """Learn from one mini-batch: forward pass, backpropagation, one step of the optimiser.

        The book's step, one image at a time, is `myonn.one_at_a_time.train_one`; this
        is the same arithmetic on a batch (each image a row), averaged over its images.
        `inputs` are prepared inputs (n, 784); `targets` are the wanted outputs (n, 10),
        1 for the right digit and 0 elsewhere. Returns the batch's mean cross-entropy
        loss and how many of its images were read right, both before the step.
        """
        n = len(inputs)
        hidden_outputs, final_outputs = self.forward(inputs)
        right = targets.argmax(axis=1)
        loss = float(-np.log(np.maximum(final_outputs[np.arange(n), right], 1e-30)).mean())
        correct = int((final_outputs.argmax(axis=1) == right).sum())

        output_errors, hidden_errors = self.errors(hidden_outputs, final_outputs, targets)
        steps = self.weight_steps(inputs, hidden_outputs, output_errors, hidden_errors, learning_rate)
        for name in WEIGHTS:
            self._move(name, steps[name], momentum)
        return loss, correct

    def errors(
        self, hidden_outputs: np.ndarray, final_outputs: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Backpropagation: how wrong each output and each hidden node was, (output_errors, hidden_errors).

        Rows are images. `train` turns them into the weights' steps; `myonn.dreams` carries
        them one layer further back, to the inputs.
        """
        # With softmax and cross-entropy, the error at the output is just what was
        # wanted minus what came out (the book's output_errors).
        output_errors = targets - final_outputs
        # Each hidden node is blamed for the output errors in proportion to its weights...
        hidden_errors = output_errors @ self.who
        # ...and passes it back through the slope of its sigmoid.
        hidden_errors *= hidden_outputs * (1.0 - hidden_outputs)
        return output_errors, hidden_errors

    def weight_steps(
        self,
        inputs: np.ndarray,
        hidden_outputs: np.ndarray,
        output_errors: np.ndarray,
        hidden_errors: np.ndarray,
        learning_rate: float,
    ) -> dict[str, np.ndarray]:
        """Each weight's step for a batch, before momentum: {"who": ..., "bo": ..., "wih": ..., "bh": ...}.

        The book's rules: `delta who = lr * output_errors x hidden_outputs` and
        `delta wih = lr * hidden_errors x inputs`, averaged over the batch's n images
        (a bias's input is always 1). It scales the errors in place, and gives arrays it
        reuses at the next batch: copy what is to be kept.
        """
        # Averaged over the batch, each weight's step is (error at its output end) x
        # (signal at its input end): the book's dot(errors, outputs.T), for n images at once.
        step = np.float32(learning_rate / len(inputs))
        output_errors *= step
        hidden_errors *= step
        steps = self._steps()
        np.matmul(output_errors.T, hidden_outputs, out=steps["who"])
        np.sum(output_errors, axis=0, out=steps["bo"])
        np.matmul(hidden_errors.T, inputs, out=steps["wih"])
        np.sum(hidden_errors, axis=0, out=steps["bh"])
        return steps

    def _steps(self) -> dict[str, np.ndarray]:
        """Arrays for the weights' steps, made once and written into batch after batch.

        A new 600 KB array for `wih`'s step every batch can cost as much as the matrix
        product that fills it: the memory may go back to the operating system when freed,
        and every page of it is then handed out and cleared again.
        """
        steps = self.__dict__.get("_step_arrays")
        if steps is None or any(
            steps[name].shape != getattr(self, name).shape or steps[name].dtype != getattr(self, name).dtype
            for name in WEIGHTS
        ):
            steps = self._step_arrays = {name: np.empty_like(getattr(self, name)) for name in WEIGHTS}
        return steps

    def _move(self, name: str, step: np.ndarray, momentum: float) -> None:
        """The optimiser, SGD with momentum: velocity = momentum * velocity + step; weight += velocity."""
        velocity = self.velocities[name]
        velocity *= np.float32(momentum)
        velocity += step
        weights = getattr(self, name)
        weights += velocity

    # ---- reading digits --------------------------------------------------------------

    def predict_proba(self, images: np.ndarray, batch_size: int = 8192) -> np.ndarray:
        """How likely each digit is for each image: float32 (n, 10), rows adding up to 1.

        `images` are raw uint8 pixels: (n, 28, 28), (n, 784), or one image (28, 28),
        which gives one row.
        """
        rows = self.pixel_rows(images)
        if len(rows) == 0:
            return np.zeros((0, self.onodes), np.float32)
        # A batch at a time, preparation included, so that reading all 60,000 training
        # images never holds all their float inputs at once.
        return np.concatenate(
            [
                self.query(self.prepare_inputs(rows[start : start + batch_size]))
                for start in range(0, len(rows), batch_size)
            ]
        )

    def predict(self, images: np.ndarray) -> np.ndarray:
        """The digit the network reads in each image: int64 labels shaped (n,)."""
        return self.predict_proba(images).argmax(axis=1)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        """The fraction of `images` read as their `labels`, from 0.0 to 1.0."""
        return float((self.predict(images) == np.asarray(labels)).mean())

    # ---- the book's backwards query ------------------------------------------------------

    def backquery(self, digit: int) -> np.ndarray:
        """What the network "imagines" for `digit`: uint8 (28, 28), pixels 0 to 255.

        The book's backquery runs the network backwards: it asks for the outputs
        0.99 for the digit and 0.01 elsewhere, turns them back into the outputs'
        inputs with the inverse of the sigmoid (the logit, log(y / (1 - y))), sends
        those back through the transposed weights `who.T`, squeezes the result into
        the sigmoid's range 0.01 to 0.99, takes the logit again, sends it back
        through `wih.T`, and scales the result to pixels. Here the same, adapted:

        * The outputs are a softmax, whose inverse is the log of the probabilities
          plus any constant (a softmax cannot tell scores that differ by one number
          added to all ten). The book's targets 0.99 / 0.01 are turned into scores
          with the log, their output biases `bo` taken off, and the constant chosen
          so that the ten add up to 0.
        * The hidden biases `bh` are taken off the hidden nodes' inputs before
          going back through `wih.T`, as the output biases were. That step changes
          no pixel, though: it adds the same vector, `-wih.T @ bh`, to all ten
          digits' patterns, and the last step below takes their average off, which
          cancels it exactly (with `+ bh` instead, the pictures are the same). It is
          kept because it is the book's symmetry, and the bullet below says why the
          average goes.
        * The network deskews each image before its first layer, and that cannot be
          undone: the image is the digit as the network sees it, straightened. Compare
          it with deskewed digits, not raw ones.

        * Last, the pattern the ten digits share is taken off (their average): the
          squeezing leaves a blob common to every digit, which
          says nothing about which digit it is, just as a softmax ignores what all ten
          scores share. What is left is what the network imagines *this* digit to be.

        Going back through a transposed matrix is not an inverse: the image is the
        pattern that the weights most associate with the digit, not an input that
        would give exactly those outputs. It is noisy, like the book's, and the
        network itself reads few of its ten backqueries as their digits: `dream` is
        the image it does read as the digit.
        """
        if int(digit) != digit or not 0 <= digit < self.onodes:
            raise ValueError(f"digit must be one of the {self.onodes} outputs, 0 to {self.onodes - 1}, not {digit!r}")
        patterns = [self._backwards(wanted) for wanted in range(self.onodes)]
        inputs = squeeze(patterns[int(digit)] - np.mean(patterns, axis=0), 0.0, 255.0)
        side = int(round(self.inodes**0.5))
        return np.rint(inputs).astype(np.uint8).reshape(side, side)

    def _backwards(self, digit: int) -> np.ndarray:
        """The book's backwards pass for `digit`, adapted (see `backquery`): the inputs' signals, float (784,)."""
        wanted = np.full(self.onodes, 0.01)
        wanted[digit] = 0.99
        final_inputs = np.log(wanted) - self.bo
        final_inputs -= final_inputs.mean()
        hidden_outputs = squeeze(self.who.T.astype(np.float64) @ final_inputs, 0.01, 0.99)
        hidden_inputs = np.log(hidden_outputs / (1 - hidden_outputs)) - self.bh
        return self.wih.T.astype(np.float64) @ hidden_inputs

    def dream(self, digit: int, shapes=None) -> np.ndarray:
        """What the network dreams of for `digit`: an image it reads as that digit, uint8 (28, 28).

        Unlike `backquery`'s, a person reads it too: it climbs the network's own
        gradient from the average digit, moving only in the ways handwriting varies
        (see `myonn.dreams`). `shapes` are those ways, `myonn.dreams.handwriting(network,
        train_images)`; without them they are learned from MNIST's training images in
        the project's data folder (downloaded if missing), a second or two the first
        time. Like backquery's, the image is straightened, as the network sees digits.
        """
        from myonn import dreams  # here, not at the top: dreams imports this module

        return dreams.dream(self, digit, shapes if shapes is not None else dreams.mnist_handwriting(self))

    # ---- saving and loading (the file format is in myonn.model_file) ------------------

    def save(self, path: str | os.PathLike) -> None:
        """Save the weights and metadata to an .npz file, atomically (`myonn.model_file.save`)."""
        from myonn import model_file  # here, not at the top: model_file imports this module

        model_file.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> NeuralNetwork:
        """Read a network saved by `save`, checked, never unpickled (`myonn.model_file.load`)."""
        from myonn import model_file

        return model_file.load(path)
