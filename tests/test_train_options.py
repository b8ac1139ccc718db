"""Each option of ./mnist_train.py changes what it says it changes, seen from outside.

The runs are made on the tiny MNIST folder (300 training and 100 test images), all at
once as subprocesses (`runs`), and each test reads what one of them printed or saved:
the network read back (its shape and metadata), the lines, the picture. The defaults
and the messages expected are those of docs/training.md and the docstrings, written
out here by hand.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest

from conftest import TINY_TRAIN, unwrapped, write_idx
from myonn import NeuralNetwork

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "mnist_train.py"
EXTRA_DIGITS = 35  # each counted 20 times (the default --extra-weight): 300 + 700 = 1,000 images

# What each run is given, besides --data-dir (the tiny MNIST) and files in the run's folder.
RUNS = {
    # The defaults (docs/training.md): 25 epochs, batches of 64, learning rate 0.3, seed 0.
    "defaults": ["--plain", "--hidden", "16", "--output", "{dir}/defaults.npz"],
    # The book's way, with the seed and the batch said on the command line.
    "book": ["--one-at-a-time", "--plain", "--seed", "0", "--batch-size", "10", "--hidden", "8", "--limit", "100"]
    + ["--output", "{dir}/book.npz"],
    "book, seed 1, quiet": ["--one-at-a-time", "--plain", "--seed", "1", "--batch-size", "10", "--hidden", "8"]
    + ["--limit", "100", "--quiet", "--output", "{dir}/book1.npz"],
    # A network far worse (about 31%) than the one at its output (86%), with --quiet.
    "kept apart, quiet": ["--epochs", "1", "--hidden", "16", "--quiet", "--output", "{dir}/better.npz"],
    "extra": ["--extra", "{dir}/extra", "--epochs", "3", "--hidden", "8", "--plain", "--output", "{dir}/extra.npz"],
    "plot": ["--plot", "{dir}/curves.png", "--epochs", "2", "--batch-size", "16", "--hidden", "8", "--plain"]
    + ["--output", "{dir}/plot.npz"],
    "screenshot under a file": ["--screenshot", "{dir}/afile/watch.png", "--output", "{dir}/unused.npz"],
    "one batch of every image": ["--limit", "100", "--batch-size", "100", "--epochs", "1", "--hidden", "8"]
    + ["--output", "{dir}/whole.npz"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tiny_mnist_dir, test_set):
    """Every run of RUNS, started together and waited for: {name: (folder, returncode, stdout, stderr)}."""
    folder = tmp_path_factory.mktemp("train_options")
    # The taught digits for --extra: test images the tiny test set does not hold, with their labels.
    (folder / "extra").mkdir()
    write_idx(folder / "extra" / "images-idx3-ubyte", test_set[0][100 : 100 + EXTRA_DIGITS])
    write_idx(folder / "extra" / "labels-idx1-ubyte", test_set[1][100 : 100 + EXTRA_DIGITS])
    (folder / "afile").write_text("not a folder")
    better_network(tiny_mnist_dir).save(folder / "better.npz")
    # One BLAS thread each: the runs share the cores, and the book's runs are then exactly repeatable.
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    started = {
        name: subprocess.Popen(
            [sys.executable, str(SCRIPT), "--data-dir", str(tiny_mnist_dir)] + [arg.format(dir=folder) for arg in args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
            env=environment,
        )
        for name, args in RUNS.items()
    }
    done = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=300)
        done[name] = (folder, process.returncode, stdout, stderr)
    return done


def better_network(data_dir) -> NeuralNetwork:
    """A network trained here for a moment on the tiny MNIST: 25 plain epochs, 86% of its test images."""
    from myonn import mnist
    from myonn.training import fit

    network = NeuralNetwork(784, 16, 10, seed=0)
    images, labels = mnist.load("train", data_dir)
    fit(
        network, images, labels, 25, 64, 0.3, distort=0, styles=0, vary_strokes=False, test=mnist.load("test", data_dir)
    )
    return network


def ran(runs, name):
    """The run `name`, which must have ended well: (folder, stdout, stderr)."""
    folder, returncode, stdout, stderr = runs[name]
    assert returncode == 0, stderr
    return folder, stdout, stderr


# ---- the defaults ----------------------------------------------------------------------------


def test_without_options_it_trains_25_epochs_in_batches_of_64_from_a_rate_of_0_3_with_seed_0(runs):
    folder, _, _ = ran(runs, "defaults")
    metadata = NeuralNetwork.load(folder / "defaults.npz").metadata
    assert (metadata["epochs"], metadata["batch_size"], metadata["learning_rate"], metadata["seed"]) == (25, 64, 0.3, 0)
    assert metadata["trained_on"] == TINY_TRAIN  # no --limit: every training image


def test_the_first_line_says_the_network_s_shape_the_images_and_the_settings(runs):
    _, stdout, _ = ran(runs, "defaults")
    assert stdout.splitlines()[0] == "training 784-16-10 on 300 images: 25 epochs, batch 64, learning rate 0.3, plain"


def test_there_is_a_line_for_each_epoch_with_its_number_out_of_all_and_its_seconds(runs):
    _, stdout, _ = ran(runs, "defaults")
    epochs = [line for line in stdout.splitlines() if line.startswith("epoch ")]
    assert [line.split(":")[0] for line in epochs] == [f"epoch {n:>2}/25" for n in range(1, 26)]
    assert all(re.search(r"  \d+\.\d s$", line) for line in epochs), epochs  # a time taken is never negative


# ---- --one-at-a-time, --seed, --batch-size with it ---------------------------------------


def test_one_at_a_time_trains_one_epoch_at_0_05_and_says_so_without_a_batch_or_plain(runs):
    folder, stdout, _ = ran(runs, "book")
    metadata = NeuralNetwork.load(folder / "book.npz").metadata
    assert (metadata["epochs"], metadata["learning_rate"], metadata["batch_size"]) == (1, 0.05, 1)
    # The book's way has no batches, and takes the images as they are anyway.
    assert stdout.splitlines()[0] == "training 784-8-10 on 100 images one at a time: 1 epoch, learning rate 0.05"


def test_a_seed_of_0_can_be_given_on_the_command_line(runs):
    folder, _, _ = ran(runs, "book")  # --seed 0, the default, said out loud
    assert (folder / "book.npz").exists()


def test_the_seed_chooses_the_network_s_first_weights(runs):
    """The book's way takes the images in order: only the starting weights can tell two seeds apart."""
    folder, _, _ = ran(runs, "book")
    ran(runs, "book, seed 1, quiet")
    zero, one = NeuralNetwork.load(folder / "book.npz"), NeuralNetwork.load(folder / "book1.npz")
    assert not np.array_equal(zero.wih, one.wih) and not np.array_equal(zero.who, one.who)


def test_one_at_a_time_compares_itself_with_batches_of_the_batch_size_given(runs):
    _, stdout, _ = ran(runs, "book")
    assert re.search(r"^mini-batches of 10, same images: [\d,]+ images/s", stdout, re.M), stdout


def test_one_at_a_time_with_quiet_prints_only_the_accuracy_line(runs):
    _, stdout, _ = ran(runs, "book, seed 1, quiet")
    assert len(stdout.splitlines()) == 1 and stdout.startswith("test accuracy: ")


# ---- --quiet when the network goes elsewhere ----------------------------------------------


def test_quiet_still_says_on_stderr_that_a_worse_network_was_saved_beside_the_one_there(runs):
    folder, stdout, stderr = ran(runs, "kept apart, quiet")
    assert len(stdout.splitlines()) == 1 and stdout.startswith("test accuracy: ")
    said = unwrapped(stderr)
    # The runs start in their folder: the paths are said as the learner typed them, relative to it.
    assert "better.npz still holds the network that was there (86.00% right);" in said
    assert "saved beside it, in better.worse.npz" in said
    assert (folder / "better.worse.npz").exists()


# ---- --extra and its weight -----------------------------------------------------------------


def test_extra_digits_count_20_times_each_unless_told(runs):
    folder, stdout, _ = ran(runs, "extra")
    metadata = NeuralNetwork.load(folder / "extra.npz").metadata
    assert (metadata["extra_digits"], metadata["extra_weight"]) == (EXTRA_DIGITS, 20)
    assert metadata["trained_on"] == TINY_TRAIN + EXTRA_DIGITS * 20
    said = unwrapped(stdout)
    assert f"with {EXTRA_DIGITS} digits from {folder / 'extra'}, each counted 20 times" in said


def test_a_thousand_images_and_more_are_written_with_a_thousands_comma(runs):
    _, stdout, _ = ran(runs, "extra")
    assert "training 784-8-10 on 1,000 images: 3 epochs, batch 64, learning rate 0.3, plain" in stdout


# ---- --plot, --screenshot ----------------------------------------------------------------------


def test_plot_says_where_it_drew_the_curves(runs):
    folder, stdout, _ = ran(runs, "plot")
    assert "learning curves drawn in curves.png" in unwrapped(stdout)  # relative to the folder it ran in
    assert (folder / "curves.png").exists()


def test_the_plot_s_second_title_line_is_the_run_s_settings_and_seed(runs):
    from myonn.windows.curves import FAINT, PAPER, font

    pygame.font.init()
    folder, _, _ = ran(runs, "plot")
    picture = pygame.image.load(str(folder / "curves.png"))
    settings = "784-8-10 on 300 images: 2 epochs, batch 16, learning rate 0.3, plain, seed 0"
    # Under the first line (30-point text from y = 12, then 4 pixels), centred, in faint grey.
    rendered = font(22).render(settings, True, FAINT)
    expected = pygame.Surface(rendered.get_size())
    expected.fill(PAPER)
    expected.blit(rendered, (0, 0))
    at = ((picture.get_width() - rendered.get_width()) // 2, 12 + font(30).get_height() + 4)
    region = picture.subsurface(pygame.Rect(at, rendered.get_size()))
    assert np.array_equal(pygame.surfarray.array3d(region), pygame.surfarray.array3d(expected))


def test_the_plotted_curves_run_in_order_from_the_first_epoch_to_the_end_of_the_last(
    tiny_mnist_dir, tmp_path, monkeypatch
):
    """2 epochs of 300 images: every point of the loss and training-accuracy curves lies between epoch 0
    and epoch 2, left to right, the last at the end of epoch 2; the learning rate's last point there too."""
    import mnist_train
    from myonn.windows import curves

    plotted = []
    monkeypatch.setattr(curves, "save_plot", lambda drawn, title, path: plotted.append(drawn))
    args = ["--plot", str(tmp_path / "c.png"), "--epochs", "2", "--batch-size", "16", "--hidden", "8", "--plain"]
    assert (
        mnist_train.main([*args, "--quiet", "--data-dir", str(tiny_mnist_dir), "--output", str(tmp_path / "m.npz")])
        == 0
    )
    (drawn,) = plotted
    for name in ("loss", "train_accuracy"):
        xs = [x for x, _ in drawn.points(name)]
        assert all(0 < a < b for a, b in zip(xs, xs[1:])) and xs[-1] == 2.0, (name, xs)
    assert [x for x, _ in drawn.test_accuracy] == [1.0, 2.0] and drawn.learning_rate[-1][0] == 2.0


def test_a_screenshot_under_a_file_is_refused_before_any_training(runs):
    folder, returncode, stdout, stderr = runs["screenshot under a file"]
    assert returncode == 2
    assert "argument --screenshot" in stderr and "not a folder" in unwrapped(stderr)
    assert "epoch" not in stdout and not (folder / "unused.npz").exists()


def test_screenshot_draws_the_window_once_at_the_end_of_the_epoch_that_reaches_halfway(
    tiny_mnist_dir, tmp_path, monkeypatch
):
    """3 epochs: halfway is 1.5 epochs in, reached by the end of the second; the frame is drawn there only."""
    import mnist_train
    from myonn.windows import watch

    drawn = []
    monkeypatch.setattr(
        watch.TrainingWindow, "save_frame", lambda window, path: drawn.append(len(window.curves.test_accuracy))
    )
    args = ["--screenshot", str(tmp_path / "w.png"), "--epochs", "3", "--batch-size", "16", "--hidden", "8"]
    args += ["--plain", "--quiet", "--data-dir", str(tiny_mnist_dir), "--output", str(tmp_path / "m.npz")]
    assert mnist_train.main(args) == 0
    assert drawn == [2]  # epochs done when it was drawn


# ---- --batch-size, --learning-rate at their edges --------------------------------------------


def test_a_batch_of_exactly_every_training_image_is_allowed(runs):
    _, _, stdout, stderr = runs["one batch of every image"]
    assert "--batch-size" not in stderr
    assert "epoch  1/1" in stdout


def test_a_run_that_learned_nothing_at_a_rate_below_the_usual_is_told_to_train_longer(
    tiny_mnist_dir, tmp_path, monkeypatch, capsys
):
    """At 0.2, below the default 0.3, the rate is not to blame: more images or epochs are the advice."""
    import mnist_train
    from myonn.plumbing.errors import MyonnError

    # Training stands in by a run that read 5% of the test images right.
    monkeypatch.setattr(
        mnist_train, "fit", lambda network, *args, **kwargs: network.metadata.update(test_accuracy=0.05)
    )
    args = ["--learning-rate", "0.2", "--quiet", "--data-dir", str(tiny_mnist_dir), "--output", str(tmp_path / "m.npz")]
    with pytest.raises(MyonnError) as refusal:
        mnist_train.main(args)
    assert str(refusal.value) == "nothing saved; try more images (--limit) or more --epochs"
    assert "no better than guessing" in capsys.readouterr().out
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize(
    "rate, advice",
    [(0.3, "more images (--limit) or more --epochs"), (0.31, "a smaller --learning-rate than 0.31")],
)
def test_only_a_rate_above_the_usual_one_is_blamed_for_learning_nothing(rate, advice, capsys):
    from myonn.plumbing.errors import MyonnError
    from myonn.training_run import refuse_if_it_learned_nothing

    with pytest.raises(MyonnError) as refusal:
        refuse_if_it_learned_nothing(0.05, rate, 0.3)
    assert str(refusal.value) == f"nothing saved; try {advice}"


def test_a_diverging_run_names_the_epoch_it_diverged_in(test_set):
    from myonn.plumbing.errors import TrainingDiverged
    from myonn.training import fit

    network = NeuralNetwork(784, 8, 10, seed=0)
    with pytest.raises(TrainingDiverged) as stop:  # a step of 1e30 overshoots from the first batch
        fit(network, test_set[0][:100], test_set[1][:100], 3, 50, 1e30, distort=0, styles=0, vary_strokes=False)
    assert str(stop.value).startswith("training diverged in epoch 1 (")


# ---- what the terminal shows -------------------------------------------------------------------


def test_the_progress_bar_counts_the_epoch_s_images(monkeypatch):
    import tqdm

    from myonn.training_run import EpochProgress

    bars = []

    class Bar:
        def __init__(self, **options):
            self.options, self.done = options, 0
            bars.append(self)

        def update(self, count):
            self.done += count

        def close(self):
            pass

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    progress = EpochProgress(300, 25)
    progress.batch_done(64)
    progress.batch_done(64)
    assert len(bars) == 1 and bars[0].options["total"] == 300 and bars[0].done == 128


@pytest.mark.parametrize(
    "args, said",
    [
        ((60000, 25, 64, 0.3, False, False), "784-200-10 on 60,000 images: 25 epochs, batch 64, learning rate 0.3"),
        ((1000, 1, 64, 0.3, True, False), "784-200-10 on 1,000 images: 1 epoch, batch 64, learning rate 0.3, plain"),
        ((5000, 1, 1, 0.05, True, True), "784-200-10 on 5,000 images one at a time: 1 epoch, learning rate 0.05"),
    ],
)
def test_a_run_is_said_in_words_as_its_docstring_says(args, said):
    from myonn.training_run import run_settings

    assert run_settings(NeuralNetwork(784, 200, 10), *args) == said


def test_esc_in_the_watch_window_says_the_window_was_closed_not_interrupted(
    tmp_path, tiny_mnist_dir, monkeypatch, capsys
):
    """Ctrl-C says "interrupted"; closing the window is said as what it is, with the file left as it was."""
    import mnist_train
    from myonn.windows.watch import TrainingWindow

    follow = TrainingWindow.follow

    def follow_then_escape(window, *args):
        follow(window, *args)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="\x1b", scancode=41))

    monkeypatch.setattr(TrainingWindow, "follow", follow_then_escape)
    output = tmp_path / "m.npz"
    args = ["--watch", "--epochs", "2", "--hidden", "8", "--data-dir", str(tiny_mnist_dir), "--output", str(output)]
    assert mnist_train.main(args) == 130
    said = unwrapped(capsys.readouterr().err).strip().splitlines()[-1]
    assert said.startswith("mnist_train.py: stopped (the window was closed); nothing saved (")
    assert said.endswith(f"{output} is as it was)")


def test_one_at_a_time_trains_at_the_learning_rate_given(monkeypatch, tiny_mnist_dir, tmp_path):
    """--learning-rate reaches the book's loop too, not only the mini-batches (0.05 is its default)."""
    import mnist_train

    given = []

    class Stop(Exception):
        pass

    def recorded(network, images, labels, epochs=1, learning_rate=None, **rest):
        given.append((epochs, learning_rate))
        raise Stop

    monkeypatch.setattr(mnist_train, "fit_one_at_a_time", recorded)
    arguments = ["--one-at-a-time", "--learning-rate", "0.2", "--epochs", "2", "--hidden", "8", "--plain"]
    with pytest.raises(Stop):
        mnist_train.main([*arguments, "--data-dir", str(tiny_mnist_dir), "--output", str(tmp_path / "m.npz")])
    assert given == [(2, 0.2)]
