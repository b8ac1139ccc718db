"""mnist_draw.py's lessons: digit keys teach the network the digit just read, U takes it back.

Driven headless with real pygame key events, as tests/test_draw.py does; every lesson
goes to a folder and a taught-network file in the test's own tmp_path.
"""

import hashlib

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.plumbing import paths
from myonn.preprocess import to_mnist
from myonn.teaching import IMAGES, LABELS, Teacher, read_taught

from myonn.windows.draw_window import DrawWindow
from myonn.windows.drawing_pad import DrawingPad

from test_draw import app, draw_a_one, frame, key, screen, window  # noqa: F401  (fixtures and helpers)
from conftest import one_message


@pytest.fixture
def network(small_model_path):
    """A fresh copy of the small network for each test: lessons change it."""
    return NeuralNetwork.load(small_model_path)


@pytest.fixture
def pad(network, small_model_path, screen, tmp_path, train_set):
    teacher = Teacher(
        network,
        small_model_path,
        folder=tmp_path / "my_digits",
        save_to=tmp_path / "taught.npz",
        mnist_digits=train_set,
    )
    return DrawingPad(network, teacher=teacher)


def draw_image(window, screen, image):
    """Put an MNIST image on the canvas, 16 canvas pixels for each of its pixels, and read it (SPACE)."""
    window.pad.canvas[:] = np.kron(image, np.ones((16, 16), np.uint8))
    window.pad.changed()
    frame(window, screen)
    key(window, screen, pygame.K_SPACE)  # teaching follows a reading the learner saw


def misread(window, screen, test_set):
    """Draw the first test image the network reads wrong through the window; return its label."""
    images, labels = test_set
    for image, label in zip(images, labels):
        draw_image(window, screen, image)
        if window.pad.answer != label:
            return int(label)
    pytest.fail("the network reads every test image right")


def test_a_digit_key_teaches_the_network_and_the_reading_updates(pad, window, screen, test_set):
    label = misread(window, screen, test_set)
    key(window, screen, pygame.K_0 + label)
    assert pad.answer == label
    assert pad.prompt()[0].startswith(f"taught: {label} — 1 digit taught")


def test_the_lesson_keeps_the_image_the_network_saw_and_its_label(pad, window, screen, tmp_path, test_set):
    label = misread(window, screen, test_set)
    seen = to_mnist(pad.canvas)
    key(window, screen, getattr(pygame, f"K_KP{label}"))  # the keypad's keys are not in order
    images, labels = read_taught(tmp_path / "my_digits")
    assert labels.tolist() == [label]
    np.testing.assert_array_equal(images[0], seen)


def test_u_undoes_the_last_lesson(pad, window, screen, tmp_path, test_set):
    label = misread(window, screen, test_set)
    before = pad.probabilities.copy()
    key(window, screen, pygame.K_0 + label)
    key(window, screen, pygame.K_u)
    np.testing.assert_array_equal(pad.probabilities, before)
    assert read_taught(tmp_path / "my_digits", missing_ok=True)[1].tolist() == []
    assert not (tmp_path / "my_digits").exists()  # the only lesson undone: as before it
    assert pad.prompt()[0].startswith(f"undone: the lesson {label}")


def test_a_digit_key_before_a_reading_teaches_nothing(pad, window, screen, tmp_path):
    key(window, screen, pygame.K_7)
    assert "first" in pad.prompt()[0]
    assert not (tmp_path / "my_digits").exists()


def test_in_live_mode_a_digit_key_before_space_teaches_nothing(pad, window, screen, tmp_path):
    # Live mode shows an answer with every stroke, but the learner has not asked for a reading.
    draw_a_one(window, screen)
    assert pad.live and pad.answer is not None
    wih, who = pad.network.wih.copy(), pad.network.who.copy()
    key(window, screen, pygame.K_7)
    assert pad.prompt()[0].startswith("Press SPACE to have it read first")
    assert not (tmp_path / "my_digits").exists() and not (tmp_path / "taught.npz").exists()
    np.testing.assert_array_equal(pad.network.wih, wih)
    np.testing.assert_array_equal(pad.network.who, who)


def test_one_reading_is_taught_once_until_u_takes_the_lesson_back(pad, window, screen, tmp_path):
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_7)
    wih, who = pad.network.wih.copy(), pad.network.who.copy()
    key(window, screen, pygame.K_7)  # the same digit again: it would learn the same drawing twice
    assert pad.prompt()[0].startswith("Already taught as a 7; U takes that back")
    key(window, screen, pygame.K_1)  # another digit for the same drawing: the same
    assert pad.prompt()[0].startswith("Already taught as a 7")
    np.testing.assert_array_equal(pad.network.wih, wih)
    np.testing.assert_array_equal(pad.network.who, who)
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [7]
    key(window, screen, pygame.K_u)  # the lesson taken back, the drawing can be taught what it is
    key(window, screen, pygame.K_1)
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [1]
    key(window, screen, pygame.K_SPACE)  # cleared; a new drawing is a new reading
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_1)
    assert read_taught(tmp_path / "my_digits")[1].tolist() == [1, 1]


def test_a_damaged_my_digits_folder_turns_teaching_off_in_one_line_and_is_left_alone(
    app, network, small_model_path, screen, tmp_path, monkeypatch, capsys
):
    folder = tmp_path / "my_digits"
    folder.mkdir()
    (folder / IMAGES).write_bytes(b"<html>not digits</html>")
    (folder / LABELS).write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 0]))
    before = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}
    monkeypatch.setattr(paths, "MY_DIGITS", folder)
    monkeypatch.setattr(paths, "TAUGHT_MODEL", tmp_path / "taught.npz")
    pad = DrawingPad(network, **app.teaching(network, small_model_path))
    window = DrawWindow(pad)
    error = capsys.readouterr().err
    assert one_message(error) and str(folder / IMAGES) in error.replace("\n  ", " ")
    pad.trace([(224, 80), (224, 370)])
    pad.update()
    key(window, screen, pygame.K_1)
    assert "teaching is off" in pad.prompt()[0]
    assert {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()} == before
    assert not (tmp_path / "taught.npz").exists()


def test_the_window_reads_with_the_taught_network_first(app):
    # The taught network, then the one ./mnist_train.py made, then the shipped one.
    assert app.MODEL_CANDIDATES == (paths.TAUGHT_MODEL, paths.TRAINED_MODEL)


def test_demo_teach_shows_a_correction_and_keeps_nothing(app, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "MY_DIGITS", tmp_path / "my_digits")
    monkeypatch.setattr(paths, "TAUGHT_MODEL", tmp_path / "taught.npz")
    shot = tmp_path / "shot.png"
    assert app.main(["--model", str(paths.SHIPPED_MODEL), "--demo", "teach", "--screenshot", str(shot)]) == 0
    assert shot.exists()
    assert not (tmp_path / "my_digits").exists() and not (tmp_path / "taught.npz").exists()


def test_a_lesson_and_its_undoing_have_the_window_learn_what_digits_look_like_again(pad, window, screen):
    # A lesson changes the network, so what its hidden outputs look like for digits changes too.
    asked = []
    pad.learn_familiarity = lambda: asked.append(len(asked))
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_1)
    assert asked == [0]
    key(window, screen, pygame.K_u)
    assert asked == [0, 1]


def test_a_lesson_that_cannot_be_saved_says_so_on_the_status_line(
    window, screen, small_model_path, train_set, tmp_path
):
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where the taught network's folder should be")
    network = NeuralNetwork.load(small_model_path)
    teacher = Teacher(network, small_model_path, tmp_path / "my_digits", blocker / "t.npz", mnist_digits=train_set)
    pad = DrawingPad(network, teacher=teacher)
    window = DrawWindow(pad)
    draw_a_one(window, screen)
    key(window, screen, pygame.K_SPACE)
    key(window, screen, pygame.K_7)
    text, _ = pad.prompt()
    assert text.startswith("the lesson was learned but not saved:") and pad.taught is None
    key(window, screen, pygame.K_u)  # undoing it cannot save either: said the same way
    assert pad.prompt()[0].startswith("the lesson was learned but not saved:")
