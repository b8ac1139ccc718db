"""./mnist_train.py as a learner meets it: its options, its errors, its output, its saved model."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import TINY_TEST, TINY_TRAIN, fits_80_columns, one_message, unwrapped
from myonn import NeuralNetwork

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "mnist_train.py"


def train(*args, cwd=ROOT, env=None):
    """Run ./mnist_train.py with `args`; return the finished process."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@pytest.mark.parametrize(
    "option, value",
    [
        ("--epochs", "0"),
        ("--batch-size", "0"),
        ("--learning-rate", "0"),
        ("--learning-rate", "nan"),
        ("--learning-rate", "-1"),
        ("--hidden", "0"),
        ("--limit", "0"),
        ("--epochs", "many"),
    ],
)
def test_a_bad_option_value_is_one_line_naming_the_option_with_status_2(option, value, tmp_path):
    output = tmp_path / "model.npz"
    result = train(option, value, "--output", output)
    assert result.returncode == 2
    assert one_message(result.stderr), result.stderr
    assert option in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()


def test_a_limit_above_the_data_is_refused_and_nothing_is_written(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    result = train("--limit", TINY_TRAIN + 1, "--data-dir", tiny_mnist_dir, "--output", output)
    assert result.returncode == 2
    assert "--limit" in result.stderr and one_message(result.stderr)
    assert not output.exists()


def test_a_limit_of_exactly_the_whole_set_trains_on_all_of_it(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    result = train(
        "--limit",
        TINY_TRAIN,
        "--epochs",
        "1",
        "--hidden",
        "8",
        "--quiet",
        "--data-dir",
        tiny_mnist_dir,
        "--output",
        output,
    )
    assert result.returncode == 0, result.stderr
    assert NeuralNetwork.load(output).metadata["trained_on"] == TINY_TRAIN


def test_every_training_option_reaches_the_network_and_its_training(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    result = train(
        "--hidden",
        "13",
        "--seed",
        "5",
        "--plain",
        "--epochs",
        "2",
        "--batch-size",
        "25",
        "--learning-rate",
        "0.2",
        "--limit",
        "250",
        "--quiet",
        "--data-dir",
        tiny_mnist_dir,
        "--output",
        output,
    )
    assert result.returncode == 0, result.stderr
    network = NeuralNetwork.load(output)
    assert network.hnodes == 13
    # fit records what it was given: the seed its shuffling and distortions drew from, and the rest.
    metadata = network.metadata
    assert (metadata["seed"], metadata["epochs"]) == (5, 2)
    assert (metadata["distort"], metadata["styles"], metadata["vary_strokes"]) == (0, 0, False)  # --plain
    assert (metadata["batch_size"], metadata["learning_rate"], metadata["trained_on"]) == (25, 0.2, 250)


def test_without_plain_the_images_are_varied_as_the_recipe_says(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    assert (
        train("--epochs", "1", "--hidden", "8", "--quiet", "--data-dir", tiny_mnist_dir, "--output", output).returncode
        == 0
    )
    metadata = NeuralNetwork.load(output).metadata
    assert (metadata["distort"], metadata["styles"], metadata["vary_strokes"]) == (0.5, 0.3, True)


def test_the_accuracy_of_each_digit_is_the_share_of_that_digits_test_images_read_right(
    tmp_path, tiny_mnist_dir, test_set
):
    output = tmp_path / "model.npz"
    result = train("--epochs", "2", "--hidden", "16", "--data-dir", tiny_mnist_dir, "--output", output)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(number for number, line in enumerate(lines) if "per digit" in line)
    line = " ".join(lines[start : start + 2])  # five digits a line
    printed = {int(digit): float(value) for digit, value in re.findall(r"(\d): (\d+\.\d+)%", line)}

    images, labels = test_set[0][:TINY_TEST], test_set[1][:TINY_TEST]
    read = NeuralNetwork.load(output).predict(images)
    for digit in range(10):
        mine = [read[i] == digit for i in range(len(labels)) if labels[i] == digit]  # this digit's images only
        assert printed[digit] == pytest.approx(100 * sum(mine) / len(mine), abs=0.006)


def test_an_output_that_is_a_folder_is_refused(tmp_path):
    result = train("--output", tmp_path)
    assert result.returncode == 2 and "--output" in result.stderr


def test_missing_data_that_cannot_be_downloaded_says_which_files_and_where(
    tmp_path, monkeypatch, capsys, closed_port_url
):
    import mnist_train as script  # the script's main, in this process (pyproject lists it as a module)
    from myonn import mnist
    from myonn.plumbing.cli import run

    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])
    empty = tmp_path / "empty"
    with pytest.raises(SystemExit) as exit_info:
        run(lambda: script.main(["--data-dir", str(empty), "--output", str(tmp_path / "m.npz")]), "mnist_train.py")
    assert exit_info.value.code == 2
    printed = capsys.readouterr().err
    assert fits_80_columns(printed), printed  # the offline error was one line of 408 characters
    error = unwrapped(printed).strip().splitlines()[-1]
    assert error.startswith("mnist_train.py: error:")
    assert "train-images-idx3-ubyte.gz" in error and "t10k-labels-idx1-ubyte.gz" in error  # all four, at once
    assert str(empty.resolve()) in error
    assert not (tmp_path / "m.npz").exists()


def test_a_short_run_ends_with_the_test_accuracy_line_and_saves_the_model(tmp_path, mnist_dir):
    output = tmp_path / "model.npz"
    result = train("--limit", "5000", "--epochs", "3", "--data-dir", mnist_dir, "--output", output)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("test accuracy: ") and lines[-1].endswith("%")
    accuracy = float(lines[-1].split()[-1].rstrip("%"))
    assert 90 < accuracy <= 100
    assert "epoch  1/3" in result.stdout and "confusion matrix" in result.stdout
    network = NeuralNetwork.load(output)
    assert network.metadata["test_accuracy"] == pytest.approx(accuracy / 100, abs=5e-5)
    assert network.metadata["epochs"] == 3 and network.metadata["trained_on"] == 5000


def test_quiet_prints_only_the_accuracy_line(tmp_path, tiny_mnist_dir):
    result = train("--epochs", "1", "--quiet", "--data-dir", tiny_mnist_dir, "--output", tmp_path / "m.npz")
    assert result.returncode == 0
    assert result.stdout.strip().splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith("test accuracy: ")


def test_the_same_seed_gives_the_same_model(tmp_path, tiny_mnist_dir):
    paths = [tmp_path / "a.npz", tmp_path / "b.npz", tmp_path / "c.npz"]
    for path, seed in zip(paths, (7, 7, 8)):
        # One BLAS thread throughout: with more cores free one run than the next, the
        # products would add up in another order (myonn.plumbing.cores).
        assert (
            train(
                "--epochs",
                "2",
                "--seed",
                seed,
                "--quiet",
                "--hidden",
                "16",
                "--data-dir",
                tiny_mnist_dir,
                "--output",
                path,
                env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
            ).returncode
            == 0
        )
    a, b, c = (NeuralNetwork.load(path) for path in paths)
    assert np.array_equal(a.wih, b.wih) and np.array_equal(a.who, b.who)
    assert not np.array_equal(a.wih, c.wih)


def test_a_diverging_run_stops_with_a_message_and_saves_nothing(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    result = train("--epochs", "3", "--learning-rate", "1e30", "--data-dir", tiny_mnist_dir, "--output", output)
    assert result.returncode == 2
    assert "diverged" in result.stderr and "--learning-rate" in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()


def ctrl_c_as_in_a_terminal() -> None:
    """A preexec_fn: Ctrl-C (SIGINT) reaches the child as in a terminal, even when the tests were
    started in the background, which makes every child ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly_and_leaves_the_saved_model_as_it_was(tmp_path, tiny_mnist_dir, small_model_path):
    output = tmp_path / "model.npz"
    output.write_bytes(small_model_path.read_bytes())
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--epochs", "100000", "--data-dir", str(tiny_mnist_dir), "--output", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    try:
        # Wait until training is under way: the first epoch has ended.
        deadline = time.monotonic() + 120
        while not process.stdout.readline().startswith("epoch"):
            assert time.monotonic() < deadline and process.poll() is None, "mnist_train.py never finished an epoch"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    # After the progress bar, one line saying it stopped and that the model file is as it was (naming it).
    last = unwrapped(stderr).strip().splitlines()[-1]
    assert "interrupted" in last and str(output) in last and "Traceback" not in stderr, stderr
    assert output.read_bytes() == small_model_path.read_bytes()
    assert [name for name in os.listdir(tmp_path) if name != "model.npz"] == []


def test_an_output_under_a_file_is_refused_before_any_training(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    result = train("--output", blocker / "model.npz")
    assert result.returncode == 2
    assert "--output" in result.stderr and "not a folder" in result.stderr
    assert "epoch" not in result.stdout


def test_every_line_it_prints_fits_an_80_column_terminal(tmp_path, mnist_dir):
    result = train(
        "--plain",
        "--epochs",
        "1",
        "--limit",
        "2000",
        "--hidden",
        "16",
        "--data-dir",
        mnist_dir,
        "--output",
        tmp_path / "m.npz",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("plain" in line for line in lines) and any("per digit" in line for line in lines)
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)


@pytest.mark.parametrize("option", ["--plot", "--screenshot"])
def test_a_picture_not_named_png_is_refused_before_any_training(tmp_path, option):
    result = train(option, "curves.jpg", "--output", tmp_path / "m.npz", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        unwrapped(result.stderr).strip().endswith("curves.jpg: the picture is a PNG; name it curves.png (see --help)")
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("points_worse, kept_apart", [(0.5, False), (2.0, True)])
def test_only_a_network_more_than_a_point_worse_is_kept_apart_from_the_one_there(
    tmp_path, small_model_path, test_set, points_worse, kept_apart
):
    from myonn.plumbing.saving import save_without_spoiling

    images, labels = test_set[0][:1000], test_set[1][:1000]
    output = tmp_path / "mine.npz"
    output.write_bytes(small_model_path.read_bytes())
    small = NeuralNetwork.load(output)
    old = small.accuracy(images, labels)
    new = NeuralNetwork(784, 4, 10)
    new.metadata["test_accuracy"] = old - points_worse / 100  # a network that scored this much less

    save_without_spoiling(new, output, images, labels, force=False)

    assert NeuralNetwork.load(output).hnodes == (small.hnodes if kept_apart else 4)
    assert (tmp_path / "mine.worse.npz").exists() is kept_apart


def test_a_run_of_very_few_steps_says_why_it_reads_badly_and_what_to_change(tmp_path, tiny_mnist_dir):
    # 300 images in batches of 64 are ceil(300 / 64) = 5 steps: 4 full batches and one of 44.
    result = train("--epochs", "1", "--data-dir", tiny_mnist_dir, "--output", tmp_path / "m.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    hint = next(i for i, line in enumerate(lines) if line.startswith("only "))
    assert lines[hint].startswith("only 5 steps:")
    assert "--epochs" in lines[hint + 1] and "--limit" in lines[hint + 1] and "--batch-size" in lines[hint + 1]
    assert all(len(line) < 80 for line in (result.stdout + result.stderr).splitlines() if "\r" not in line)


def test_a_run_of_enough_steps_gets_no_word_on_steps(tmp_path, tiny_mnist_dir):
    # 2 epochs of 300 images, the book's way (a step per image), are 600 steps: more than the 500 called few.
    args = ("--one-at-a-time", "--epochs", "2", "--data-dir", tiny_mnist_dir)
    result = train(*args, "--output", tmp_path / "m.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout and not any(line.startswith("only ") for line in result.stdout.splitlines())


def test_few_steps_are_counted_one_per_batch_with_the_last_partial_batch_a_step_too():
    from myonn.training_run import few_steps_hint

    # 1,000 images in batches of 64: 15 full batches and one of 40, so 16 steps (the learner's run).
    assert few_steps_hint(dict(epochs=1, trained_on=1000, batch_size=64)).startswith("only 16 steps:")
    assert few_steps_hint(dict(epochs=3, trained_on=100, batch_size=1)).startswith("only 300 steps:")
    assert few_steps_hint(dict(epochs=1, trained_on=499, batch_size=1)).startswith("only 499 steps:")
    assert few_steps_hint(dict(epochs=1, trained_on=500, batch_size=1)) is None  # 500 is enough
    assert few_steps_hint(dict(epochs=25, trained_on=60000, batch_size=64)) is None  # the default run


def test_output_piped_into_a_program_that_stopped_reading_ends_quietly_with_sigpipe_s_status(tmp_path, tiny_mnist_dir):
    """`./mnist_train.py | head -1`: once head has gone, the next line has nowhere to go. The run
    ends as a command killed by SIGPIPE does (128 + 13), with no traceback and no network half-saved."""
    output = tmp_path / "model.npz"
    command = [sys.executable, str(SCRIPT), "--data-dir", str(tiny_mnist_dir), "--output", str(output)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    process.stdout.close()  # the reader is gone before the trainer's first line
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 141
    assert "Traceback" not in errors and "Broken pipe" not in errors, errors
    assert list(tmp_path.iterdir()) == []
