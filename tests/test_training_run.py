"""What the trainer prints (myonn.training_run): the epoch lines, the report, the word on few steps, the speed-up.

Every expected line is written out here from figures chosen by hand: a network whose
readings are known (a stand-in that reads as told), counts made by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from myonn import training_run
from myonn.training import EpochReport


def test_an_epoch_s_line_gives_its_loss_accuracies_and_seconds(capsys):
    progress = training_run.EpochProgress(1000, 25)
    progress.epoch_done(EpochReport(3, 0.123449, 0.975, 0.981, 1.25, 0.2))
    assert capsys.readouterr().out == "epoch  3/25: loss 0.1234  train 97.50%  test 98.10%  1.2 s\n"
    progress.epoch_done(EpochReport(12, 2.0, 0.1, None, 10.0, 0.2))
    assert capsys.readouterr().out == "epoch 12/25: loss 2.0000  train 10.00%  test -  10.0 s\n"


class ReadsAsTold:
    """A stand-in network: it reads the images as the test says, and has the metadata given."""

    def __init__(self, readings, metadata):
        self.readings, self.metadata = np.asarray(readings), metadata

    def predict(self, images):
        return self.readings


def test_the_report_gives_each_digit_s_accuracy_and_the_confusion_matrix(capsys):
    # Twenty test images, two of each digit: the first of each read right, the second read as
    # the next digit up (9 as 0), except the second 4, also read right.
    labels = np.repeat(np.arange(10), 2)
    readings = labels.copy()
    readings[1::2] = (labels[1::2] + 1) % 10
    readings[9] = 4
    metadata = {"epochs": 25, "trained_on": 60000, "batch_size": 64}
    training_run.print_report(ReadsAsTold(readings, metadata), np.zeros((20, 28, 28), np.uint8), labels)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "accuracy per digit: 0: 50.00%  1: 50.00%  2: 50.00%  3: 50.00%  4: 100.00%"
    assert lines[1] == " " * 20 + "5: 50.00%  6: 50.00%  7: 50.00%  8: 50.00%  9: 50.00%"
    assert lines[2] == "confusion matrix (rows: the true digit, columns: the digit read):"
    assert lines[3] == "       " + "".join(f"{d:>6}" for d in range(10))
    expected_rows = np.zeros((10, 10), int)
    for digit in range(10):
        expected_rows[digit, digit] += 1
        expected_rows[digit, digit if digit == 4 else (digit + 1) % 10] += 1
    for digit in range(10):
        assert lines[4 + digit] == f"  {digit:>3}  " + "".join(f"{n:>6}" for n in expected_rows[digit])
    assert len(lines) == 14  # 25 epochs of 938 steps: no word on few steps
    assert all(len(line) < 80 for line in lines)


@pytest.mark.parametrize(
    "epochs, images, batch, steps",
    [(1, 1000, 64, 16), (2, 1000, 64, 32), (1, 500, 1, 500), (1, 499, 1, 499), (3, 130, 64, 9)],
)
def test_a_run_s_steps_are_one_per_batch_and_under_500_get_a_word(epochs, images, batch, steps):
    metadata = {"epochs": epochs, "trained_on": images, "batch_size": batch}
    assert training_run.learning_steps(metadata) == steps
    hint = training_run.few_steps_hint(metadata)
    if steps >= 500:
        assert hint is None
    else:
        assert hint.startswith(f"only {steps:,} steps: ")
        assert "more --epochs, a bigger --limit or a smaller --batch-size help" in hint


def test_the_report_of_a_short_run_ends_with_the_word_on_few_steps(capsys):
    labels = np.arange(10)
    metadata = {"epochs": 1, "trained_on": 1000, "batch_size": 64}
    training_run.print_report(ReadsAsTold(labels, metadata), np.zeros((10, 28, 28), np.uint8), labels)
    out = capsys.readouterr().out
    assert out.endswith(training_run.few_steps_hint(metadata) + "\n")
    assert "only 16 steps" in out


def test_the_speed_up_is_mini_batches_images_a_second_over_the_book_s(monkeypatch, capsys):
    taught = ReadsAsTold([], {"epochs": 2, "loop_seconds": 4.0})  # 2 x 1,000 images in 4 s: 500 a second
    monkeypatch.setattr(training_run, "batch_images_per_second", lambda *args: 4350.0)
    training_run.print_speed_up(taught, None, np.zeros((1000, 28, 28), np.uint8), np.zeros(1000), 64, 0.3)
    assert capsys.readouterr().out == (
        "one image at a time: 500 images/s\nmini-batches of 64, same images: 4,350 images/s, 8.7 times faster\n"
    )


class Recorder:
    """Something fit's callbacks feed: it records what reached it."""

    def __init__(self):
        self.calls = []

    def step(self, *args):
        self.calls.append(("step", args))

    def epoch_done(self, report):
        self.calls.append(("epoch", report))

    def batch_done(self, count):
        self.calls.append(("batch", count))


@pytest.mark.parametrize("with_window", [True, False])
def test_fit_s_callbacks_feed_the_bar_and_the_window_or_else_the_curves(with_window):
    progress, window, curves = Recorder(), Recorder(), Recorder()
    hooks = training_run.callbacks(progress, window if with_window else None, curves)
    report = EpochReport(1, 1.0, 0.5, 0.5, 1.0, 0.3)
    hooks["on_batch"](64)
    hooks["on_step"](64, 1.0, 30, 0.3)
    hooks["on_epoch"](report)
    assert progress.calls == [("batch", 64), ("epoch", report)]
    fed = window if with_window else curves  # the window feeds its own curves
    assert fed.calls == [("step", (64, 1.0, 30, 0.3)), ("epoch", report)]
    assert (curves.calls == []) == with_window


def test_without_a_bar_a_window_or_curves_nothing_is_fed():
    hooks = training_run.callbacks(None, None, None)
    assert hooks["on_batch"] is None and hooks["on_step"] is None
    hooks["on_epoch"](EpochReport(1, 1.0, 0.5, None, 1.0, 0.3))  # and an epoch's end fails nowhere
