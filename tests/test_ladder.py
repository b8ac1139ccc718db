"""The book's own network (myonn.book), the improvement ladder (myonn.ladder) and --ladder.

The book's arithmetic is checked against values worked out by hand, weight by weight
with Python's math (no matrices), and on an all-zero network where every number is
a simple fraction.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pygame
import pytest

from conftest import ROOT, TINY_TRAIN, fits_80_columns, one_message
from myonn.book import BookNetwork, book_inputs, book_targets
from myonn.ladder import RUNGS, Result, Rung


def tiny_book_network(biases=False) -> BookNetwork:
    """A 3-2-2 book network with weights chosen by hand."""
    network = BookNetwork(3, 2, 2, biases=biases)
    network.wih[:] = [[0.9, 0.3, 0.4], [0.2, 0.8, 0.2]]
    network.who[:] = [[0.3, 0.7], [0.6, 0.5]]
    return network


def book_step_by_hand(wih, who, x, t, lr):
    """The book's step, one weight at a time: (new wih, new who) as lists of lists."""

    def sig(v):
        return 1 / (1 + math.exp(-v))

    hidden = [sig(sum(wih[j][i] * x[i] for i in range(len(x)))) for j in range(len(wih))]
    out = [sig(sum(who[k][j] * hidden[j] for j in range(len(hidden)))) for k in range(len(who))]
    e_out = [t[k] - out[k] for k in range(len(out))]
    e_hidden = [sum(who[k][j] * e_out[k] for k in range(len(out))) for j in range(len(hidden))]
    new_who = [
        [who[k][j] + lr * e_out[k] * out[k] * (1 - out[k]) * hidden[j] for j in range(len(hidden))]
        for k in range(len(out))
    ]
    new_wih = [
        [wih[j][i] + lr * e_hidden[j] * hidden[j] * (1 - hidden[j]) * x[i] for i in range(len(x))]
        for j in range(len(hidden))
    ]
    return new_wih, new_who


def test_the_book_s_step_is_the_book_s_arithmetic_weight_by_weight():
    network = tiny_book_network()
    x, t = [0.9, 0.1, 0.8], [0.99, 0.01]
    expected_wih, expected_who = book_step_by_hand(network.wih.tolist(), network.who.tolist(), x, t, 0.1)
    network.train(np.array(x, np.float32), np.array(t, np.float32), 0.1)
    assert network.wih == pytest.approx(np.array(expected_wih), abs=1e-6)
    assert network.who == pytest.approx(np.array(expected_who), abs=1e-6)
    assert not network.bh.any() and not network.bo.any()  # the book has no biases


def test_on_an_all_zero_network_the_book_s_step_is_simple_fractions():
    # Every sum is 0, so every sigmoid gives 1/2 and its slope 1/4. The output errors are
    # t - 1/2; each who step is lr x (t - 1/2) x 1/4 x 1/2. The hidden errors are
    # who.T x errors = 0, so wih does not move at all on this first step.
    network = BookNetwork(4, 3, 2)
    network.wih[:] = 0
    network.who[:] = 0
    network.train(np.full(4, 0.5, np.float32), np.array([0.99, 0.01], np.float32), 0.1)
    assert network.who[0] == pytest.approx([0.1 * 0.49 * 0.25 * 0.5] * 3)
    assert network.who[1] == pytest.approx([0.1 * -0.49 * 0.25 * 0.5] * 3)
    assert not network.wih.any()


def test_a_batch_of_one_is_the_book_s_step_and_a_batch_of_two_averages_two_steps():
    x = np.array([[0.9, 0.1, 0.8], [0.2, 0.7, 0.4]], np.float32)
    t = np.array([[0.99, 0.01], [0.01, 0.99]], np.float32)
    one, batch = tiny_book_network(), tiny_book_network()
    one.train(x[0], t[0], 0.3)
    batch.train_batch(x[:1], t[:1], 0.3)
    assert np.allclose(one.wih, batch.wih, atol=1e-7) and np.allclose(one.who, batch.who, atol=1e-7)
    # Two images: half of each image's own step, both from the same start.
    start = tiny_book_network()
    steps = []
    for row in range(2):
        wih, who = book_step_by_hand(start.wih.tolist(), start.who.tolist(), x[row].tolist(), t[row].tolist(), 0.3)
        steps.append((np.array(wih) - start.wih, np.array(who) - start.who))
    pair = tiny_book_network()
    pair.train_batch(x, t, 0.3)
    assert pair.wih - start.wih == pytest.approx((steps[0][0] + steps[1][0]) / 2, abs=1e-6)
    assert pair.who - start.who == pytest.approx((steps[0][1] + steps[1][1]) / 2, abs=1e-6)


def test_biases_learn_as_weights_from_an_input_that_is_always_one():
    # A bias is a weight from an extra input fixed at 1: add that input to the hand
    # computation (a fourth input of 1, whose weights are the biases, zero at first).
    network = tiny_book_network(biases=True)
    x, t = [0.9, 0.1, 0.8], [0.99, 0.01]
    wih = [row + [0.0] for row in network.wih.tolist()]
    expected_wih, _ = book_step_by_hand(wih, network.who.tolist(), x + [1.0], t, 0.1)
    network.train(np.array(x, np.float32), np.array(t, np.float32), 0.1)
    assert network.bh == pytest.approx([row[3] for row in expected_wih], abs=1e-6)
    assert network.bo.any()


def test_the_book_s_inputs_and_targets():
    pixels = np.array([[[0, 255], [51, 102]]], np.uint8)
    assert book_inputs(pixels)[0] == pytest.approx([0.01, 1.0, 0.01 + 0.2 * 0.99, 0.01 + 0.4 * 0.99])
    targets = book_targets(np.array([2, 0]), 3)
    assert np.allclose(targets, [[0.01, 0.01, 0.99], [0.99, 0.01, 0.01]])


def test_the_book_s_network_reads_its_largest_output():
    network = tiny_book_network()
    image = np.zeros((1, 3), np.uint8)  # inputs all 0.01: outputs sigmoid(who . sigmoid(0.01 x wih))
    hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ np.full(3, 0.01))))
    outputs = 1 / (1 + np.exp(-(network.who.astype(np.float64) @ hidden)))
    assert network.predict(image)[0] == int(np.argmax(outputs))


# ---- the ladder ---------------------------------------------------------------------------


def test_the_ladder_has_the_eight_rungs_in_order():
    assert [rung.number for rung in RUNGS] == list(range(8))
    assert RUNGS[0].change.startswith("the book")
    assert "default" in RUNGS[-1].change


def test_each_rung_s_line_fits_80_columns_and_says_its_figures():
    rung = Rung(5, "25 epochs, cosine learning rate", lambda *args: None, 25)
    line = Result(rung, None, 0.98765, 12.5, 25 * 60000).line()
    assert line.startswith("rung 5: 25 epochs, cosine learning rate")
    assert "98.77%" in line and "12.5 s" in line and "120,000 images/s" in line  # 1.5 million / 12.5 s
    assert len(line) < 80


def test_the_first_rungs_train_the_book_s_network_and_the_later_ones_today_s(train_set, monkeypatch):
    from myonn import NeuralNetwork

    steps = []
    real_train, real_batch = NeuralNetwork.train, BookNetwork.train_batch

    def train(self, x, t, rate, momentum=0.9):
        steps.append((len(x), rate, momentum))
        return real_train(self, x, t, rate, momentum)

    def train_batch(self, x, t, rate):
        steps.append((len(x), rate))
        return real_batch(self, x, t, rate)

    monkeypatch.setattr(NeuralNetwork, "train", train)
    monkeypatch.setattr(BookNetwork, "train_batch", train_batch)
    images, labels = train_set[0][:640], train_set[1][:640]  # ten batches of 64
    networks = []
    for rung in RUNGS[:5]:
        steps.clear()
        networks.append((rung.train(images, labels, None), list(steps)))
    assert all(isinstance(n, BookNetwork) for n, _ in networks[:3])
    assert networks[0][1] == []  # the book's own train, one image at a time
    assert networks[1][1] == networks[2][1] == [(64, 2.0)] * 10
    assert not networks[1][0].biases and networks[2][0].biases
    assert all(isinstance(n, NeuralNetwork) and not n.deskew for n, _ in networks[3:5])
    assert networks[3][1] == [(64, 1.0, 0.0)] * 10  # softmax, no momentum yet
    assert networks[4][1] == [(64, 0.3, 0.9)] * 10  # momentum, at the default's rate


@pytest.mark.parametrize("number", [1, 3])
def test_every_rung_starts_from_the_same_weights_the_default_does(number, train_set, monkeypatch):
    from myonn import NeuralNetwork

    monkeypatch.setattr(NeuralNetwork, "train", lambda self, *args: (0.0, 0))  # learn nothing: the start shows
    monkeypatch.setattr(BookNetwork, "train_batch", lambda self, *args: None)
    start = NeuralNetwork(seed=0)  # the default network's first weights (the book's network draws the same way)
    network = RUNGS[number].train(train_set[0][:128], train_set[1][:128], None)
    assert np.array_equal(network.wih, start.wih) and np.array_equal(network.who, start.who)


def test_the_book_s_network_s_accuracy_is_the_share_it_reads_right():
    network = tiny_book_network()
    images = np.zeros((4, 3), np.uint8)
    read = network.predict(images)[0]  # all four images alike: all read the same
    labels = np.array([read, read, read, (read + 1) % 2])
    assert network.accuracy(images, labels) == 0.75


def test_the_last_rung_is_the_default_network(tmp_path, tiny_mnist_dir):
    from myonn import NeuralNetwork, mnist

    images, labels = mnist.load("train", tiny_mnist_dir)
    ladder = RUNGS[-1].train(images, labels, None)
    output = tmp_path / "default.npz"
    result = subprocess.run(
        [sys.executable, str(ROOT / "mnist_train.py"), "--data-dir", tiny_mnist_dir, "--output", output, "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    default = NeuralNetwork.load(output)
    for name in ("wih", "bh", "who", "bo"):
        assert np.allclose(getattr(ladder, name), getattr(default, name), atol=1e-5)


def ladder_run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "mnist_train.py"), "--ladder", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_ladder_prints_a_line_per_rung_draws_its_chart_and_saves_no_network(project, elsewhere):
    chart = elsewhere / "ladder.png"
    before = sorted(p.name for p in (project / "data").iterdir())
    result = subprocess.run(
        [sys.executable, str(project / "mnist_train.py"), "--ladder", "--plot", str(chart)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rungs = [line for line in result.stdout.splitlines() if line.startswith("rung ")]
    assert [line.split(":")[0] for line in rungs] == [f"rung {n}" for n in range(8)]
    assert fits_80_columns(result.stdout)
    assert f"on {TINY_TRAIN:,} images" in result.stdout
    assert "no network was saved" in result.stdout
    assert sorted(p.name for p in (project / "data").iterdir()) == before
    assert pygame.image.load(str(chart)).get_size() == (960, 720)


def test_ladder_on_one_image_climbs_every_rung_and_quiet_prints_only_the_rungs(tiny_mnist_dir, tmp_path):
    # Each rung picks its own batch: one image is not "fewer than a batch" for the ladder.
    quiet = ladder_run("--limit", "1", "--quiet", "--data-dir", tiny_mnist_dir, cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert [line.split(":")[0] for line in quiet.stdout.splitlines()] == [f"rung {n}" for n in range(8)]
    said = ladder_run("--limit", "1", "--data-dir", tiny_mnist_dir, cwd=tmp_path)
    assert said.stdout.splitlines()[0] == "the improvement ladder on 1 image: 8 rungs, each adding one change"
    assert said.stdout.splitlines()[-1] == "no network was saved: ./mnist_train.py trains the last rung and saves it"
    assert list(tmp_path.iterdir()) == []


def test_ladder_s_rungs_share_the_cores_as_training_does(tiny_mnist_dir, monkeypatch):
    import mnist_train
    from myonn import ladder

    share, given = object(), []
    monkeypatch.setattr(mnist_train, "core_share", lambda: share)
    monkeypatch.setattr(ladder, "climb", lambda images, labels, test, on_rung, cores: given.append(cores) or [])
    assert mnist_train.main(["--ladder", "--limit", "30", "--quiet", "--data-dir", str(tiny_mnist_dir)]) == 0
    assert given == [share]  # the one made when the program started, watching since the loading


@pytest.mark.parametrize("option", [["--epochs", "3"], ["--output", "x.npz"], ["--one-at-a-time"], ["--watch"]])
def test_ladder_refuses_options_its_rungs_choose_for_themselves(option, tmp_path):
    result = ladder_run(*option, "--limit", "100", cwd=tmp_path)
    assert result.returncode == 2
    assert one_message(result.stderr)
    assert f"not with {option[0]}" in " ".join(result.stderr.split())
    assert not (tmp_path / "x.npz").exists()


# ---- its chart ----------------------------------------------------------------------------


def test_the_chart_puts_each_rung_s_accuracy_in_its_place():
    from myonn.windows.curves import TEST_COLOUR
    from myonn.windows.ladder_chart import accuracy_floor, draw_ladder

    accuracies = [0.95, 0.89, 0.89, 0.935, 0.954, 0.983, 0.988, 0.99]
    results = [Result(rung, None, accuracy, 1.0, 60000) for rung, accuracy in zip(RUNGS, accuracies)]
    assert accuracy_floor(results) == pytest.approx(0.88)  # one whole percent below 89%
    pygame.font.init()
    picture = pygame.surfarray.array3d(draw_ladder(results)).transpose(1, 0, 2)
    below_title = 60 + 20 + 4  # the chart's top, under the panel's title (in the same colour)
    top = picture[below_title : picture.shape[0] // 2]
    ys, xs = np.nonzero((top == TEST_COLOUR).all(axis=2))
    # The line runs from rung 0 to rung 7: leftmost and rightmost at the two ends...
    left, right = xs.min(), xs.max()
    assert right - left > 0.8 * picture.shape[1]
    # ...its highest point at rung 7 (0.99), its lowest near rungs 1 and 2 (0.89).
    assert abs(xs[ys.argmin()] - right) <= 4
    low = xs[ys == ys.max()]
    width = (right - left) / 7
    assert all(0.5 <= (x - left) / width <= 2.5 for x in low)


def biased_book_network() -> BookNetwork:
    """The 3-2-2 book network with biases, already non-zero (as after some training)."""
    network = tiny_book_network(biases=True)
    network.bh[:] = [0.2, -0.4]
    network.bo[:] = [-0.3, 0.1]
    return network


def with_bias_input(network):
    """The weights as the book would have them with a fourth input always 1, whose weights are the biases."""
    wih = [row + [b] for row, b in zip(network.wih.tolist(), network.bh.tolist())]
    who = [row + [b] for row, b in zip(network.who.tolist(), network.bo.tolist())]
    return wih, who


def test_biases_add_to_each_node_s_sum_in_query_and_in_train():
    network = biased_book_network()
    x = np.array([0.9, 0.1, 0.8], np.float32)
    hidden = 1 / (1 + np.exp(-(network.wih.astype(np.float64) @ x + network.bh)))
    outputs = 1 / (1 + np.exp(-(network.who.astype(np.float64) @ hidden + network.bo)))
    assert network.query(x[None])[0] == pytest.approx(outputs, abs=1e-6)


def test_a_biased_step_is_the_book_s_step_with_an_input_always_one(monkeypatch):
    # The hidden layer's bias input is 1, and so is the output layer's: the book's rule for a
    # weight, with that input, is the bias's step (worked out here with the extra input).
    network = biased_book_network()
    x, t = [0.9, 0.1, 0.8], [0.99, 0.01]

    def sig(v):
        return 1 / (1 + math.exp(-v))

    wih, who = with_bias_input(network)
    hidden = [sig(sum(w * xi for w, xi in zip(row, x + [1.0]))) for row in wih]
    out = [sig(sum(w * h for w, h in zip(row, hidden + [1.0]))) for row in who]
    e_out = [ti - oi for ti, oi in zip(t, out)]
    e_hidden = [sum(who[k][j] * e_out[k] for k in range(2)) for j in range(2)]
    bo = [who[k][2] + 0.1 * e_out[k] * out[k] * (1 - out[k]) for k in range(2)]
    bh = [wih[j][3] + 0.1 * e_hidden[j] * hidden[j] * (1 - hidden[j]) for j in range(2)]
    network.train(np.array(x, np.float32), np.array(t, np.float32), 0.1)
    assert network.bo == pytest.approx(bo, abs=1e-6) and network.bh == pytest.approx(bh, abs=1e-6)


def test_a_biased_batch_of_two_averages_the_two_images_biased_steps():
    x = np.array([[0.9, 0.1, 0.8], [0.2, 0.7, 0.4]], np.float32)
    t = np.array([[0.99, 0.01], [0.01, 0.99]], np.float32)
    steps = []
    for row in range(2):
        one = biased_book_network()
        one.train(x[row], t[row], 0.3)
        steps.append((one.bh - biased_book_network().bh, one.bo - biased_book_network().bo))
    pair = biased_book_network()
    pair.train_batch(x, t, 0.3)
    start = biased_book_network()
    assert pair.bh - start.bh == pytest.approx((steps[0][0] + steps[1][0]) / 2, abs=1e-6)
    assert pair.bo - start.bo == pytest.approx((steps[0][1] + steps[1][1]) / 2, abs=1e-6)


def test_the_book_s_network_has_no_biases_unless_asked_and_keeps_float32():
    network = BookNetwork(4, 3, 2)
    assert network.biases is False
    assert all(a.dtype == np.float32 for a in (network.wih, network.who, network.bh, network.bo))
    assert book_inputs(np.zeros((2, 2, 2), np.uint8)).dtype == np.float32
    assert book_targets(np.array([1, 0]), 2).dtype == np.float32


@pytest.mark.parametrize("number, deskew, varied", [(5, False, False), (6, True, False), (7, True, True)])
def test_the_last_three_rungs_call_fit_as_the_default_does_but_for_what_they_leave_out(
    number, deskew, varied, monkeypatch, train_set
):
    from myonn import NeuralNetwork, ladder

    calls = []

    def recording_fit(network, images, labels, *args, **kwargs):
        calls.append((network.wih.copy(), network.deskew, args, kwargs))

    monkeypatch.setattr(ladder, "fit", recording_fit)
    cores = object()  # whatever the script hands on
    RUNGS[number].train(train_set[0][:64], train_set[1][:64], cores)
    ((wih, straightens, args, kwargs),) = calls
    assert np.array_equal(wih, NeuralNetwork(seed=0).wih) and straightens == deskew
    assert args == (25, 64, 0.3, 0.9)  # the default's epochs, batch, rate and momentum
    plain = {} if varied else {"distort": 0.0, "styles": 0.0, "vary_strokes": False}
    assert kwargs == {"seed": 0, "cores": cores, **plain}


def test_climbing_times_each_rung_and_counts_the_images_it_learned_from(monkeypatch, train_set, test_set):
    from myonn import ladder

    clock = iter([10.0, 12.5, 20.0, 24.0])
    monkeypatch.setattr(ladder.time, "perf_counter", lambda: next(clock))
    quick = [Rung(0, "first", lambda *a: ReadsAsTold(0)), Rung(5, "second", lambda *a: ReadsAsTold(1), 25)]
    seen = []
    results = ladder.climb(
        train_set[0][:100], train_set[1][:100], (test_set[0][:10], test_set[1][:10]), quick, seen.append
    )
    assert [r.seconds for r in results] == [2.5, 4.0]
    assert [r.images_seen for r in results] == [100, 2500]
    assert [r.accuracy for r in results] == [float((test_set[1][:10] == d).mean()) for d in (0, 1)]
    assert seen == results and results[1].images_per_second == 625.0


class ReadsAsTold:
    """A stand-in network that reads every image as `digit`."""

    def __init__(self, digit):
        self.digit = digit

    def accuracy(self, images, labels):
        return float((np.asarray(labels) == self.digit).mean())
