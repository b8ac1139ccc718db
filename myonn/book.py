"""The book's own network, exactly: sigmoid outputs, the squared error, no biases.

Tariq Rashid's "Make Your Own Neural Network" trains a 784-200-10 network whose every
node, outputs too, is a sigmoid; it learns from the squared error, one image at a
time, at a learning rate of 0.1; its inputs are the pixels scaled to 0.01-1.00 and its
targets are 0.99 for the right digit and 0.01 elsewhere (a sigmoid never reaches 0 or
1). `BookNetwork.train` is the book's `train`, line for line, with its names. The
improvement ladder (`myonn.ladder`) starts here, and then changes one thing at a time
until it reaches `myonn.network.NeuralNetwork` and today's recipe.

`train_batch` is the same arithmetic for a mini-batch (rows of a matrix, averaged),
and `biases=True` gives every node a bias: the ladder's first two rungs. (The book's
loop on this project's own network, softmax and biases included, is
`myonn.one_at_a_time.train_one`: `--one-at-a-time` runs it.)
"""

from __future__ import annotations

import numpy as np

from myonn.network import sigmoid


def book_inputs(images: np.ndarray) -> np.ndarray:
    """Raw pixels (n, 28, 28) -> the book's inputs, float32 rows (n, 784) from 0.01 to 1.0.

    The book: `(numpy.asfarray(all_values[1:]) / 255.0 * 0.99) + 0.01`, so that no input
    is 0, which would stop its weights from learning.
    """
    return (np.asarray(images, np.float32).reshape(len(images), -1) / 255.0 * 0.99 + 0.01).astype(np.float32)


def book_targets(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """Labels -> the book's targets (n, 10): 0.99 for the right digit, 0.01 elsewhere."""
    targets = np.full((len(labels), classes), 0.01, np.float32)
    targets[np.arange(len(labels)), np.asarray(labels, np.int64)] = 0.99
    return targets


class BookNetwork:
    """The book's three-layer network: every node a sigmoid, no biases (unless `biases`)."""

    def __init__(self, inputnodes=784, hiddennodes=200, outputnodes=10, seed: int = 0, biases: bool = False):
        """Weights drawn as the book draws them: normal, with spread 1 / sqrt(incoming links)."""
        self.inodes, self.hnodes, self.onodes = inputnodes, hiddennodes, outputnodes
        rng = np.random.default_rng(seed)
        self.wih = rng.normal(0.0, self.inodes**-0.5, (self.hnodes, self.inodes)).astype(np.float32)
        self.who = rng.normal(0.0, self.hnodes**-0.5, (self.onodes, self.hnodes)).astype(np.float32)
        # The book has none; the ladder's rung 2 adds them (zero: at first they change nothing).
        self.biases = biases
        self.bh = np.zeros(self.hnodes, np.float32)
        self.bo = np.zeros(self.onodes, np.float32)

    def query(self, inputs: np.ndarray) -> np.ndarray:
        """The book's query for rows of inputs (n, 784): the final outputs (n, 10), each 0 to 1."""
        hidden_outputs = sigmoid(inputs @ self.wih.T + self.bh)
        return sigmoid(hidden_outputs @ self.who.T + self.bo)

    def train(self, inputs_list: np.ndarray, targets_list: np.ndarray, learning_rate: float) -> None:
        """The book's `train`: one image's inputs (784,) and targets (10,), one step."""
        # convert inputs list to 2d array
        inputs = np.array(inputs_list, ndmin=2).T
        targets = np.array(targets_list, ndmin=2).T
        # calculate signals into hidden layer, and the signals emerging from it
        hidden_outputs = sigmoid(np.dot(self.wih, inputs) + self.bh[:, None])
        # calculate signals into final output layer, and the signals emerging from it
        final_outputs = sigmoid(np.dot(self.who, hidden_outputs) + self.bo[:, None])
        # output layer error is the (target - actual)
        output_errors = targets - final_outputs
        # hidden layer error is the output_errors, split by weights, recombined at hidden nodes
        # (the book's choice: the outputs' sigmoid slope is left out of what is sent back)
        hidden_errors = np.dot(self.who.T, output_errors)
        # update the weights for the links between the hidden and output layers
        output_deltas = output_errors * final_outputs * (1.0 - final_outputs)
        self.who += learning_rate * np.dot(output_deltas, np.transpose(hidden_outputs))
        # update the weights for the links between the input and hidden layers
        hidden_deltas = hidden_errors * hidden_outputs * (1.0 - hidden_outputs)
        self.wih += learning_rate * np.dot(hidden_deltas, np.transpose(inputs))
        if self.biases:  # a bias is a weight from an input that is always 1
            self.bo += learning_rate * output_deltas[:, 0]
            self.bh += learning_rate * hidden_deltas[:, 0]

    def train_batch(self, inputs: np.ndarray, targets: np.ndarray, learning_rate: float) -> None:
        """`train` for a mini-batch: rows of inputs (n, 784) and targets (n, 10), the steps averaged over them."""
        n = len(inputs)
        hidden_outputs = sigmoid(inputs @ self.wih.T + self.bh)
        final_outputs = sigmoid(hidden_outputs @ self.who.T + self.bo)
        output_errors = targets - final_outputs
        # As the book does: the hidden errors are the output errors split by the weights,
        # before the outputs' sigmoid slope is applied (so not quite the squared error's gradient).
        hidden_errors = output_errors @ self.who
        output_deltas = output_errors * final_outputs * (1.0 - final_outputs)
        hidden_deltas = hidden_errors * hidden_outputs * (1.0 - hidden_outputs)
        step = np.float32(learning_rate / n)
        self.who += step * (output_deltas.T @ hidden_outputs)
        self.wih += step * (hidden_deltas.T @ inputs)
        if self.biases:
            self.bo += step * output_deltas.sum(axis=0)
            self.bh += step * hidden_deltas.sum(axis=0)

    def predict(self, images: np.ndarray) -> np.ndarray:
        """The digit read in each of raw uint8 `images` (n, 28, 28): the largest output."""
        return self.query(book_inputs(images)).argmax(axis=1)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        """The fraction of `images` read as their `labels`."""
        return float((self.predict(images) == np.asarray(labels)).mean())
