"""myonn.training: a short run on real MNIST learns, runs repeat exactly, the schedule and the reports.

The real run trains a 784-32-10 network on 3,000 images for 2 epochs (under a second);
nothing here trains on the full 60,000.
"""

import math

import numpy as np
import pytest

from myonn.plumbing.errors import TrainingDiverged
from myonn.network import WEIGHTS, NeuralNetwork
from myonn.training import confusion_matrix, cosine_learning_rate, fit, no_better_than_guessing, one_hot


@pytest.fixture(scope="module")
def data(train_set, test_set):
    """(train images, train labels, test images, test labels): 3,000 to train on, 2,000 to test."""
    return train_set[0][:3000], train_set[1][:3000], test_set[0][:2000], test_set[1][:2000]


@pytest.fixture(scope="module")
def short_run(data):
    """A 784-32-10 network trained for 2 epochs, and the reports of its epochs."""
    images, labels, test_images, test_labels = data
    network = NeuralNetwork(784, 32, 10, seed=0)
    reports = fit(
        network, images, labels, epochs=2, batch_size=32, learning_rate=0.3, seed=0, test=(test_images, test_labels)
    )
    return network, reports


def weights_of(network: NeuralNetwork) -> dict:
    """Copies of the network's weight arrays, by name."""
    return {name: getattr(network, name).copy() for name in WEIGHTS}


def small_run(images, labels, seed: int = 0, network_seed: int = 0, **options) -> dict:
    """The weights after one epoch on the given images."""
    network = NeuralNetwork(784, 16, 10, seed=network_seed)
    fit(network, images, labels, epochs=1, batch_size=50, learning_rate=0.3, seed=seed, **options)
    return weights_of(network)


# ---- a short run on real MNIST -------------------------------------------------------------


def test_a_short_run_on_real_mnist_reads_most_unseen_test_digits_right(short_run, data):
    network, _ = short_run
    _, _, test_images, test_labels = data
    untrained = NeuralNetwork(784, 32, 10, seed=0)

    assert untrained.accuracy(test_images, test_labels) < 0.3
    assert network.accuracy(test_images, test_labels) > 0.88


def test_each_epoch_is_reported_and_the_loss_falls(short_run):
    _, reports = short_run

    assert [report.epoch for report in reports] == [1, 2]
    assert reports[1].loss < reports[0].loss < math.log(10)  # better than guessing, and improving
    assert all(0 <= report.train_accuracy <= 1 and report.seconds > 0 for report in reports)


def test_the_last_reported_test_accuracy_is_the_network_s_accuracy_on_the_test_images(short_run, data):
    network, reports = short_run
    _, _, test_images, test_labels = data

    assert reports[-1].test_accuracy == pytest.approx(network.accuracy(test_images, test_labels))


def test_the_run_is_recorded_in_the_metadata(short_run):
    network, reports = short_run

    assert network.metadata["epochs"] == 2
    assert network.metadata["learning_rate"] == 0.3
    assert network.metadata["batch_size"] == 32
    assert network.metadata["trained_on"] == 3000
    assert network.metadata["test_accuracy"] == reports[-1].test_accuracy
    # The whole run's time, kept to hundredths of a second: at least the epochs' own.
    seconds = network.metadata["training_seconds"]
    assert seconds >= sum(report.seconds for report in reports) - 0.01
    assert abs(seconds * 100 - round(seconds * 100)) < 1e-6


def test_an_epoch_s_report_is_its_mean_loss_and_share_right_worked_out_from_its_sums():
    import time

    from myonn.training import epoch_report

    start = time.perf_counter()
    report = epoch_report(NeuralNetwork(784, 4, 10), 3, 6.0, 30, 40, 0.125, start, None, None)
    assert (report.epoch, report.loss, report.train_accuracy, report.test_accuracy) == (3, 0.15, 0.75, None)
    assert report.learning_rate == 0.125 and 0 <= report.seconds < 5


# ---- repeatability ---------------------------------------------------------------------------


def test_the_same_seeds_give_identical_weights(data):
    images, labels = data[0][:600], data[1][:600]

    first, again = small_run(images, labels), small_run(images, labels)

    for name in WEIGHTS:
        np.testing.assert_array_equal(first[name], again[name])


def test_another_shuffling_seed_gives_other_weights(data):
    images, labels = data[0][:600], data[1][:600]

    assert not np.array_equal(small_run(images, labels, seed=0)["wih"], small_run(images, labels, seed=1)["wih"])


def test_runs_distorting_and_styling_every_image_with_the_same_seeds_are_identical_too(data):
    images, labels = data[0][:300], data[1][:300]

    first, again = (
        small_run(images, labels, distort=1.0, styles=1.0),
        small_run(images, labels, distort=1.0, styles=1.0),
    )

    for name in WEIGHTS:
        np.testing.assert_array_equal(first[name], again[name])


# ---- the loop --------------------------------------------------------------------------------


def test_every_image_is_trained_on_once_an_epoch_in_batches(data):
    images, labels = data[0][:250], data[1][:250]
    batches, epochs = [], []
    network = NeuralNetwork(784, 8, 10, deskew=False)

    fit(
        network,
        images,
        labels,
        epochs=2,
        batch_size=100,
        learning_rate=0.1,
        on_batch=batches.append,
        on_epoch=epochs.append,
    )

    assert batches == [100, 100, 50] * 2
    assert [report.epoch for report in epochs] == [1, 2]


def test_each_batch_s_learning_rate_follows_the_cosine_schedule(data, monkeypatch):
    images, labels = data[0][:250], data[1][:250]
    network = NeuralNetwork(784, 8, 10, deskew=False)
    rates = []
    real_train = network.train

    def recording_train(inputs, targets, learning_rate, momentum):
        rates.append(learning_rate)
        return real_train(inputs, targets, learning_rate, momentum)

    monkeypatch.setattr(network, "train", recording_train)
    fit(network, images, labels, epochs=2, batch_size=100, learning_rate=0.4)

    # 0.4 * (1 + cos(pi * step / 6)) / 2 for steps 0 to 5, worked out by hand (cos(pi/6) = sqrt(3)/2).
    half_root_3 = 3**0.5 / 2
    expected = [0.4, 0.2 * (1 + half_root_3), 0.3, 0.2, 0.1, 0.2 * (1 - half_root_3)]
    assert rates == pytest.approx(expected, rel=1e-9)


def trained_inputs(monkeypatch, network, images, labels, epochs=2, batch_size=50, **options):
    """fit's training inputs and target labels, batch by batch, as lists of per-epoch arrays."""
    inputs, targets = [], []
    real_train = network.train

    def recording_train(batch_inputs, batch_targets, learning_rate, momentum):
        inputs.append(batch_inputs.copy())
        targets.append(batch_targets.argmax(axis=1))
        return real_train(batch_inputs, batch_targets, learning_rate, momentum)

    monkeypatch.setattr(network, "train", recording_train)
    fit(network, images, labels, epochs=epochs, batch_size=batch_size, learning_rate=0.1, **options)
    per_epoch = len(inputs) // epochs
    return (
        [np.concatenate(inputs[e * per_epoch : (e + 1) * per_epoch]) for e in range(epochs)],
        [np.concatenate(targets[e * per_epoch : (e + 1) * per_epoch]) for e in range(epochs)],
    )


def rows(array: np.ndarray) -> list[bytes]:
    """Each image (or input row) as bytes, to find it again among others."""
    return [row.tobytes() for row in array.reshape(len(array), -1)]


def test_each_epoch_shuffles_the_images_afresh(data, monkeypatch):
    images, labels = data[0][:200], data[1][:200]
    network = NeuralNetwork(784, 8, 10, deskew=False)

    inputs, targets = trained_inputs(monkeypatch, network, images, labels, vary_strokes=False, distort=0, styles=0)

    expected = rows(images)
    for epoch in inputs:
        seen = rows(np.rint(epoch * 255).astype(np.uint8))
        assert sorted(seen) == sorted(expected)  # every image once...
        assert seen != expected  # ...but not in the order given
    assert rows(inputs[0]) != rows(inputs[1])  # and in another order the next epoch
    assert not np.array_equal(targets[0], targets[1])


def blocks(images: np.ndarray, pick) -> list[np.ndarray]:
    """`pick` (np.minimum or np.maximum) over each pixel's 2x2 block, for both blocks a pixel can anchor:
    with the pixels below and right of it, and with those above and left (background beyond the edge)."""
    p = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    down_right = pick(pick(p[:, 1:-1, 1:-1], p[:, 2:, 1:-1]), pick(p[:, 1:-1, 2:], p[:, 2:, 2:]))
    up_left = pick(pick(p[:, 1:-1, 1:-1], p[:, :-2, 1:-1]), pick(p[:, 1:-1, :-2], p[:, :-2, :-2]))
    return [down_right, up_left]


def test_vary_strokes_thins_a_quarter_and_thickens_a_quarter_of_the_images_each_epoch(data, monkeypatch):
    images = data[0][:400]
    network = NeuralNetwork(784, 8, 10, deskew=False)
    # Each image written apart from the others, so that any version of it is found again.
    originals = {row: i for i, row in enumerate(rows(images))}
    thinner = {row: i for version in blocks(images, np.minimum) for i, row in enumerate(rows(version))}
    thicker = {row: i for version in blocks(images, np.maximum) for i, row in enumerate(rows(version))}

    inputs, _ = trained_inputs(
        monkeypatch, network, images, data[1][:400], epochs=1, vary_strokes=True, distort=0, styles=0
    )

    seen = rows(np.rint(inputs[0] * 255).astype(np.uint8))
    kinds = [
        "same" if row in originals else "thinner" if row in thinner else "thicker" if row in thicker else "?"
        for row in seen
    ]
    assert "?" not in kinds
    assert 0.15 < kinds.count("thinner") / len(kinds) < 0.35
    assert 0.15 < kinds.count("thicker") / len(kinds) < 0.35


def test_without_vary_strokes_the_images_are_trained_on_as_they_are(data, monkeypatch):
    images = data[0][:200]
    network = NeuralNetwork(784, 8, 10, deskew=False)

    inputs, _ = trained_inputs(
        monkeypatch, network, images, data[1][:200], epochs=1, vary_strokes=False, distort=0, styles=0
    )

    assert sorted(rows(np.rint(inputs[0] * 255).astype(np.uint8))) == sorted(rows(images))


def test_distort_trains_on_fresh_distortions_of_the_straightened_images_each_epoch(data, monkeypatch):
    images = data[0][:200]
    network = NeuralNetwork(784, 8, 10, deskew=True)
    straight = set(rows(network.prepare_inputs(images)))

    inputs, _ = trained_inputs(monkeypatch, network, images, data[1][:200], distort=1.0, styles=0, vary_strokes=False)

    for epoch in inputs:
        assert sum(row in straight for row in rows(epoch)) < 0.2 * len(images)  # moved, not only straightened
    assert not set(rows(inputs[0])) & set(rows(inputs[1]))  # other distortions each epoch


def test_styles_alone_swap_in_another_share_of_the_styled_copies_each_epoch(data, monkeypatch):
    # Only the crossed and flagged copies vary here: an epoch made once and reused would show the same images.
    images, labels = data[0][:200], data[1][:200]
    network = NeuralNetwork(784, 8, 10, deskew=False)

    inputs, _ = trained_inputs(monkeypatch, network, images, labels, distort=0, styles=0.5, vary_strokes=False)

    plain = set(rows(network.prepare_inputs(images)))
    styled = [{row for row in rows(epoch) if row not in plain} for epoch in inputs]
    assert styled[0] and styled[1] and styled[0] != styled[1]


def test_a_learning_rate_far_too_high_stops_training_with_advice(data):
    images, labels = data[0][:500], data[1][:500]
    network = NeuralNetwork(784, 16, 10, deskew=False)

    with pytest.raises(TrainingDiverged, match="smaller --learning-rate"):
        fit(network, images, labels, epochs=2, batch_size=50, learning_rate=1000.0)


def test_an_epoch_whose_loss_stays_finite_but_worse_than_guessing_stops_training(data):
    # A rate that overshoots without overflowing: every loss is a number, the epoch's mean far above ln 10.
    images, labels = data[0][:500], data[1][:500]
    network = NeuralNetwork(784, 16, 10, deskew=False)

    with pytest.raises(TrainingDiverged, match="worse than guessing"):
        fit(network, images, labels, epochs=2, batch_size=50, learning_rate=100.0, vary_strokes=False)


# ---- the small helpers -------------------------------------------------------------------------


def test_the_cosine_learning_rate_falls_from_its_start_through_half_to_zero():
    assert cosine_learning_rate(0.2, 0, 100) == pytest.approx(0.2)
    assert cosine_learning_rate(0.2, 50, 100) == pytest.approx(0.1)
    assert cosine_learning_rate(0.2, 100, 100) == pytest.approx(0.0, abs=1e-12)
    # A cosine, not a straight line: a quarter of the way, 0.1 * (1 + cos(pi / 4)) = 0.1 * (1 + 1 / sqrt(2)).
    assert cosine_learning_rate(0.2, 25, 100) == pytest.approx(0.1 * (1 + 0.5**0.5))
    rates = [cosine_learning_rate(0.2, step, 100) for step in range(101)]
    assert all(later < earlier for earlier, later in zip(rates, rates[1:]))


def test_one_hot_targets_are_1_at_the_label_and_0_elsewhere():
    targets = one_hot(np.array([3, 0, 9]))

    assert targets.shape == (3, 10) and targets.dtype == np.float32
    assert targets.sum(axis=1).tolist() == [1, 1, 1]
    assert targets.argmax(axis=1).tolist() == [3, 0, 9]


def test_the_confusion_matrix_counts_true_digits_by_row_and_readings_by_column():
    labels = np.array([0, 1, 1, 2, 2, 2])
    predictions = np.array([0, 1, 2, 2, 2, 0])

    matrix = confusion_matrix(labels, predictions, classes=3)

    assert matrix.tolist() == [[1, 0, 0], [0, 1, 1], [1, 0, 2]]


@pytest.mark.parametrize(
    "accuracy, learned_nothing",
    [(0.0, True), (0.10, True), (0.1135, True), (0.14, True), (0.16, False), (0.5, False), (0.99, False)],
)
def test_a_run_below_one_and_a_half_times_chance_learned_nothing(accuracy, learned_nothing):
    # Chance is one digit in ten; always answering MNIST's commonest digit (a 1) scores 11.35%.
    assert no_better_than_guessing(accuracy) is learned_nothing


def test_each_epoch_reports_the_rate_of_its_last_step_and_counts_the_last_batch_as_it_is(data, monkeypatch):
    images, labels = data[0][:250], data[1][:250]
    network = NeuralNetwork(784, 8, 10, deskew=False)
    rates, steps, reports = [], [], []
    real_train = network.train

    def recording_train(inputs, targets, learning_rate, momentum):
        rates.append(learning_rate)
        return real_train(inputs, targets, learning_rate, momentum)

    monkeypatch.setattr(network, "train", recording_train)
    fit(
        network,
        images,
        labels,
        epochs=2,
        batch_size=100,
        learning_rate=0.4,
        on_step=lambda count, loss, right, rate: steps.append((count, rate)),
        on_epoch=reports.append,
    )
    # Three steps an epoch (100, 100 and the 50 left over), each counted at its own size.
    assert [count for count, _ in steps] == [100, 100, 50] * 2
    # The rate reported for an epoch is its last step's (the schedule lowers it step by step).
    assert [report.learning_rate for report in reports] == [rates[2], rates[5]]
    assert [rate for _, rate in steps] == rates
