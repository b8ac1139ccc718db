"""The scripts from any folder, and the networks they keep apart (the shipped one, the learner's).

Each test runs a copy of the project (the `project` fixture, with a tiny MNIST) as a
learner would, from another folder (`elsewhere`), so the defaults must be found from the
project itself.
"""

import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import TINY_TEST, fits_80_columns, unwrapped
from myonn import NeuralNetwork

CHEAP = ("--epochs", "1", "--hidden", "16")  # about 48% of the tiny test set
BETTER = ("--epochs", "5", "--hidden", "32")  # about 73%


def run(project, script, *args, cwd):
    """Run `script` of the project copy with `args` from the folder `cwd`; return the finished process.

    Everything it printed must fit an 80-column terminal; the process returned holds it
    with each wrapped message joined back into one line, to compare with whole sentences.
    """
    result = subprocess.run(
        [sys.executable, str(project / script), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    assert fits_80_columns(result.stdout) and fits_80_columns(result.stderr), result.stdout + result.stderr
    result.stdout, result.stderr = unwrapped(result.stdout), unwrapped(result.stderr)
    return result


def accuracy_of(path, test_set):
    """What share of the tiny test set the network saved at `path` reads right, counted here."""
    network = NeuralNetwork.load(path)
    return float(np.mean(network.predict(test_set[0][:TINY_TEST]) == test_set[1][:TINY_TEST]))


# ---- from any folder -----------------------------------------------------------------------


def test_training_from_another_folder_uses_the_projects_data_and_saves_there(project, elsewhere):
    result = run(project, "mnist_train.py", *CHEAP, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == []  # no data/ downloaded where the learner stands
    assert (project / "data" / "my_nn.npz").exists()
    assert (
        f"saved your network ({NeuralNetwork.load(project / 'data' / 'my_nn.npz').metadata['test_accuracy']:.2%} right) to {project / 'data' / 'my_nn.npz'}"
        in result.stdout
    )


@pytest.mark.parametrize("script", ["mnist_render.py", "mnist_draw.py"])
def test_a_window_from_another_folder_finds_the_projects_data_and_network(project, elsewhere, script):
    result = run(project, script, "--screenshot", "shot.png", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in elsewhere.iterdir()) == ["shot.png"]  # a path typed is the learner's
    shipped = project / "data" / "mnist_nn.npz"
    accuracy = NeuralNetwork.load(shipped).metadata["test_accuracy"]  # whatever network ships today
    assert f"reading with the shipped network, {shipped} ({accuracy:.2%} right" in result.stdout


def test_an_output_typed_by_the_learner_is_relative_to_where_they_stand(project, elsewhere):
    result = run(project, "mnist_train.py", *CHEAP, "--output", "mine.npz", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "mine.npz").exists() and not (project / "data" / "my_nn.npz").exists()
    assert "to mine.npz" in result.stdout


# ---- the shipped network and the learner's ------------------------------------------------


def test_training_with_the_defaults_leaves_git_status_clean(project, elsewhere):
    git = ["git", "-c", "user.name=learner", "-c", "user.email=learner@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "clone"], cwd=project, check=True)
    shipped = (project / "data" / "mnist_nn.npz").read_bytes()
    assert run(project, "mnist_train.py", *CHEAP, cwd=project).returncode == 0
    status = subprocess.run([*git, "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    assert (project / "data" / "mnist_nn.npz").read_bytes() == shipped


@pytest.mark.parametrize("script", ["mnist_render.py", "mnist_draw.py"])
def test_the_windows_read_with_the_learners_network_once_there_is_one(project, elsewhere, small_model_path, script):
    shutil.copy2(small_model_path, project / "data" / "my_nn.npz")
    expected = NeuralNetwork.load(small_model_path).metadata["test_accuracy"]
    result = run(project, script, "--screenshot", "shot.png", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (
        f"reading with your network, {project / 'data' / 'my_nn.npz'} ({expected:.2%} right on the test set)"
        in result.stdout
    )


def test_a_clearly_worse_network_is_saved_beside_the_one_there(project, elsewhere, small_model_path, test_set):
    output = elsewhere / "mine.npz"
    shutil.copy2(small_model_path, output)
    before = output.read_bytes()
    result = run(project, "mnist_train.py", *CHEAP, "--output", "mine.npz", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == before
    worse = elsewhere / "mine.worse.npz"
    old, new = accuracy_of(output, test_set), accuracy_of(worse, test_set)
    assert new < old - 0.01
    assert f"mine.npz still holds the network that was there ({old:.2%} right);" in result.stdout
    assert f"the new one reads only {new:.2%}: saved beside it, in mine.worse.npz" in result.stdout


def test_remaking_the_shipped_network_with_a_worse_one_keeps_the_shipped_one(project, test_set):
    shipped = (project / "data" / "mnist_nn.npz").read_bytes()
    result = run(project, "mnist_train.py", *CHEAP, "--output", "data/mnist_nn.npz", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "data" / "mnist_nn.npz").read_bytes() == shipped
    assert (project / "data" / "mnist_nn.worse.npz").exists()


def test_force_saves_over_a_better_network(project, elsewhere, small_model_path, test_set):
    output = elsewhere / "mine.npz"
    shutil.copy2(small_model_path, output)
    result = run(project, "mnist_train.py", *CHEAP, "--output", output, "--force", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert accuracy_of(output, test_set) < accuracy_of(small_model_path, test_set) - 0.01
    assert not (elsewhere / "mine.worse.npz").exists()


def test_a_network_as_good_or_better_replaces_the_one_there(project, elsewhere, test_set):
    output = elsewhere / "mine.npz"
    assert run(project, "mnist_train.py", *CHEAP, "--output", output, cwd=elsewhere).returncode == 0
    old = accuracy_of(output, test_set)
    result = run(project, "mnist_train.py", *BETTER, "--output", output, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    new = accuracy_of(output, test_set)
    assert new > old
    assert f"saved the new network ({new:.2%} right) to mine.npz," in result.stdout
    assert f"in place of the one that was there ({old:.2%} right)" in result.stdout


def test_a_run_no_better_than_guessing_says_so_and_saves_nothing(project, elsewhere, mnist_dir):
    result = run(
        project,
        "mnist_train.py",
        "--limit",
        "2000",
        "--epochs",
        "1",
        "--learning-rate",
        "8",
        "--data-dir",
        mnist_dir,
        "--output",
        "mine.npz",
        cwd=elsewhere,
    )
    assert result.returncode == 2
    accuracy = float(result.stdout.split("test accuracy: ")[-1].split("%")[0])
    assert accuracy < 15  # guessing scores 10%
    assert "no better than guessing" in result.stdout and "learned nothing" in result.stdout
    assert (
        result.stderr.strip().splitlines()[-1]
        == "mnist_train.py: error: nothing saved; try a smaller --learning-rate than 8.0"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_batch_larger_than_the_training_images_is_refused(project, elsewhere):
    result = run(project, "mnist_train.py", "--batch-size", "500", cwd=elsewhere)  # the tiny set has 300
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "argument --batch-size: 500 is more than the 300 images to train on (see --help)"
    )
    assert "epoch" not in result.stdout


def test_an_output_file_that_is_not_a_network_is_refused_before_training(project, elsewhere):
    notes = elsewhere / "notes.npz"
    notes.write_text("my notes")
    result = run(project, "mnist_train.py", *CHEAP, "--output", notes, cwd=elsewhere)
    assert result.returncode == 2
    assert "is not a network" in result.stderr and "--force" in result.stderr
    assert notes.read_text() == "my notes" and "epoch" not in result.stdout


def test_the_end_of_a_run_says_which_network_each_window_reads(project, small_model_path):
    result = run(project, "mnist_train.py", *CHEAP, cwd=project)
    assert "the windows read with it" in result.stdout
    shutil.copy2(small_model_path, project / "data" / "my_taught_nn.npz")  # a network taught in the draw window
    result = run(project, "mnist_train.py", *BETTER, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "./mnist_render.py reads with it; ./mnist_draw.py with data/my_taught_nn.npz" in result.stdout


def test_extra_with_the_taught_digits_makes_the_network_the_draw_window_reads_and_teaches(project, train_set):
    from myonn.teaching import Teacher, TaughtDigits

    images, labels = train_set
    taught = TaughtDigits(project / "data" / "my_digits")
    for index in range(3):
        taught.append(images[index], int(labels[index]))
    result = run(project, "mnist_train.py", *BETTER, "--extra", "data/my_digits", cwd=project)
    assert result.returncode == 0, result.stderr
    taught_model = project / "data" / "my_taught_nn.npz"
    assert "to data/my_taught_nn.npz" in result.stdout
    assert "./mnist_draw.py reads with it first, and goes on teaching it" in result.stdout
    assert not (project / "data" / "my_nn.npz").exists()
    assert NeuralNetwork.load(taught_model).metadata["extra_digits"] == 3
    # The drawing window reads with it, with no --model ...
    result = run(project, "mnist_draw.py", "--screenshot", "shot.png", cwd=project)
    assert result.stdout.startswith("reading with your taught network, data/my_taught_nn.npz ")
    # ... and teaches it: the lesson is saved into it.
    network = NeuralNetwork.load(taught_model)
    teacher = Teacher(network, taught_model, taught.folder, save_to=taught_model, mnist_digits=train_set)
    assert teacher.greeting().endswith("trained with 3 digits of yours")
    before = taught_model.read_bytes()
    assert teacher.teach(images[3], int(labels[3])).startswith(f"taught: {labels[3]}")
    assert taught_model.read_bytes() != before
    assert NeuralNetwork.load(taught_model).metadata["taught_digits"] == 1
    assert (
        Teacher(NeuralNetwork.load(taught_model), taught_model, taught.folder)
        .greeting()
        .endswith("trained with 3 digits of yours, then taught 1 more")
    )


def test_extra_with_another_folder_still_saves_your_network(project, train_set):
    from myonn.teaching import TaughtDigits

    images, labels = train_set
    other = TaughtDigits(project / "other_digits")
    other.append(images[0], int(labels[0]))
    result = run(project, "mnist_train.py", *CHEAP, "--extra", "other_digits", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "data" / "my_nn.npz").exists() and not (project / "data" / "my_taught_nn.npz").exists()


def test_force_replaces_an_output_file_that_is_not_a_network(project, elsewhere):
    notes = elsewhere / "notes.npz"
    notes.write_text("my notes")
    result = run(project, "mnist_train.py", *CHEAP, "--output", notes, "--force", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert NeuralNetwork.load(notes).hnodes == 16  # the network trained now (--hidden 16)


def test_a_screenshot_named_in_capitals_is_taken(project, elsewhere):
    result = run(project, "mnist_draw.py", "--screenshot", "SHOT.PNG", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "SHOT.PNG").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # a PNG's signature
