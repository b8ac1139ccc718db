"""The smaller surprises of a learner's first hour: each mistake gets the right one line.

Each test runs a script as a learner would, from a folder outside the project.
"""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, one_message, unwrapped


def run(script, *args, cwd, env=None):
    return subprocess.run(
        [sys.executable, str(ROOT / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("script", ["mnist_draw.py", "mnist_render.py"])
def test_a_folder_given_as_the_model_is_called_a_folder(elsewhere, tiny_mnist_dir, script):
    folder = elsewhere / "models"
    folder.mkdir()
    data = ["--data-dir", tiny_mnist_dir] if "render" in script else []
    result = run(script, "--model", "models", *data, "--screenshot", "shot.png", cwd=elsewhere)
    assert "models: a folder, not a model file" in result.stderr
    assert one_message(result.stderr)


def test_a_model_with_a_flipped_bit_is_called_damaged(elsewhere, small_model_path):
    data = bytearray(small_model_path.read_bytes())
    data[len(data) // 2] ^= 0x08  # one bit, in the middle of the weights
    (elsewhere / "flipped.npz").write_bytes(bytes(data))
    result = run("mnist_draw.py", "--model", "flipped.npz", "--screenshot", "shot.png", cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr.startswith("mnist_draw.py: error: flipped.npz: damaged model file")
    assert not (elsewhere / "shot.png").exists()


@pytest.mark.parametrize(
    "script, name", [("mnist_draw.py", "shot.jpg"), ("mnist_render.py", "shot.JPEG"), ("mnist_draw.py", "shot")]
)
def test_a_screenshot_not_named_png_is_refused_and_nothing_written(elsewhere, script, name):
    """Each script and each kind of wrong name once from outside; every pair in-process below."""
    result = run(script, "--screenshot", name, cwd=elsewhere)
    assert result.returncode == 2
    assert unwrapped(result.stderr).strip().endswith(f"{name}: the picture is a PNG; name it shot.png (see --help)")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("script", ["mnist_draw", "mnist_render"])
@pytest.mark.parametrize("name", ["shot.jpg", "shot.JPEG", "shot"])
def test_each_script_refuses_a_screenshot_not_named_png_before_it_reads_anything(script, name, capsys, monkeypatch):
    import importlib

    app = importlib.import_module(script)
    monkeypatch.setattr(app, "load_mnist_network", lambda *a: pytest.fail("read a network before refusing the name"))
    with pytest.raises(SystemExit) as exit:
        app.main(["--screenshot", name])
    assert exit.value.code == 2
    assert (
        unwrapped(capsys.readouterr().err)
        .strip()
        .endswith(f"{name}: the picture is a PNG; name it shot.png (see --help)")
    )


def test_the_browser_treats_a_missing_named_model_as_a_missing_default_one(project, elsewhere):
    named = run(project / "mnist_render.py", "--model", "none.npz", "--screenshot", "a.png", cwd=elsewhere)
    (project / "data" / "mnist_nn.npz").unlink()
    default = run(project / "mnist_render.py", "--screenshot", "b.png", cwd=elsewhere)
    for result, path in ((named, "none.npz"), (default, project / "data" / "mnist_nn.npz")):
        assert result.returncode == 0, result.stderr
        assert one_message(result.stderr), result.stderr
        assert unwrapped(result.stderr).strip() == (
            f"mnist_render.py: warning: {path}: no such model file; "
            "train one with ./mnist_train.py; browsing without predictions"
        )
    assert (elsewhere / "a.png").exists() and (elsewhere / "b.png").exists()


def test_mnist_load_from_python_names_no_command_line_option(tmp_path, monkeypatch, closed_port_url):
    from myonn import mnist
    from myonn.plumbing.errors import DataFileError

    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])
    with pytest.raises(DataFileError) as error:
        mnist.load("test", tmp_path / "empty")
    assert "--data-dir" not in str(error.value)
    assert str((tmp_path / "empty").resolve()) in str(error.value)


def test_mnist_load_from_python_finds_the_projects_data_from_any_folder(project, elsewhere):
    code = "from myonn import mnist; images, labels = mnist.load('test'); print(images.shape, labels.shape)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=60,
    )
    assert result.stdout.strip() == "(100, 28, 28) (100,)", result.stderr  # the copy's tiny MNIST
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux finds its screen through DISPLAY")
@pytest.mark.parametrize("script", ["mnist_draw.py", "mnist_render.py"])
def test_with_no_screen_the_only_error_line_is_ours(elsewhere, tiny_mnist_dir, script):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "XDG_RUNTIME_DIR")
    }
    result = run(
        script, *(["--data-dir", tiny_mnist_dir] if "render" in script else []), cwd=elsewhere, env=environment
    )
    assert result.returncode == 2
    assert one_message(result.stderr), result.stderr
    assert unwrapped(result.stderr).strip() == (
        f"{script}: error: cannot open a window: no display found (is DISPLAY set?); --screenshot PATH draws without one"
    )


MISTAKES = [
    ("mnist_train.py", ["--epochs", "0"]),
    ("mnist_train.py", ["--learning-rate", "nan"]),
    ("mnist_train.py", ["--plot", "curves.jpg"]),
    ("mnist_train.py", ["--one-at-a-time", "--extra", "data/my_digits"]),
    ("mnist_train.py", ["--output", "a-folder"]),
    ("mnist_render.py", ["--scale", "0"]),
    ("mnist_render.py", ["--set", "validation"]),
    ("mnist_render.py", ["--model", "a-folder", "--screenshot", "shot.png"]),
    ("mnist_draw.py", ["--brush", "1000"]),
    ("mnist_draw.py", ["--model", "a-folder"]),
    ("mnist_draw.py", ["--screenshot", "shot.jpg"]),
]


@pytest.mark.parametrize("script, args", MISTAKES, ids=[" ".join([s, *a]) for s, a in MISTAKES])
def test_every_line_a_mistake_prints_fits_an_80_column_terminal(elsewhere, tiny_mnist_dir, script, args):
    (elsewhere / "a-folder").mkdir()
    data = ["--data-dir", tiny_mnist_dir] if script == "mnist_render.py" else []
    result = run(script, *args, *data, cwd=elsewhere, env=dict(os.environ, COLUMNS="80"))
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip(), "the mistake went unremarked"
    for line in (result.stdout + result.stderr).splitlines():
        assert len(line) <= 79, line


def test_the_line_naming_a_taught_network_fits_an_80_column_terminal(elsewhere, small_model_path):
    # The longest line a window prints at start: the taught network, from deep in a folder.
    from myonn import NeuralNetwork

    network = NeuralNetwork.load(small_model_path)
    network.metadata["taught_digits"] = 12
    path = elsewhere / "my experiments" / "with the drawing window" / "my_taught_nn.npz"
    path.parent.mkdir(parents=True)
    network.save(path)
    result = run("mnist_draw.py", "--model", path, "--screenshot", "shot.png", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 79 for line in lines), result.stdout
    accuracy = network.metadata["test_accuracy"]
    assert (
        unwrapped(result.stdout)
        .splitlines()[0]
        .endswith(
            f"{path.relative_to(elsewhere)} ({accuracy:.2%} right on the test set before it was taught 12 digits)"
        )
    )
