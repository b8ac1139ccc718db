"""Behaviours a fresh list of one-line bugs showed no test held: each test here fails on one of them.

Each pins what a learner or a caller sees (a message, a key's effect, a file read back),
its expected value taken from a definition or worked out by hand, never from the code.
"""

import json

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork, mnist
from myonn.plumbing.errors import DataFileError
from myonn.preprocess import too_small
from myonn.windows.browser import Browser
from myonn.windows.confusion_matrix_view import Selection
from myonn.windows.status_bar import STATUS_HEIGHT


@pytest.fixture
def screen(browser_screen):
    """The browser's window (conftest's `browser_screen`)."""
    return browser_screen


def press(browser, *keys):
    """Post KEYDOWN events as a keyboard would, then let the browser handle the queue."""
    for key in keys:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode="", mod=0, scancode=0))
    return browser.handle_events(pygame.event.get())


# ---- myonn: data, preprocessing, model files ----------------------------------------------------


def test_a_failed_download_names_every_mnist_file_the_folder_lacks_not_only_the_split_asked_for(
    tmp_path, closed_port_url
):
    """One trip to fetch them all: asked for the training split in an empty folder, the message
    lists the test split's two files too."""
    train_images, train_labels, _ = mnist.SPLITS["train"]
    with pytest.raises(DataFileError) as excinfo:
        mnist.ensure_files([train_images, train_labels], tmp_path / "data", [closed_port_url])
    message = str(excinfo.value)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        assert name in message
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert name in message


def test_a_blank_canvas_is_not_too_small_to_read():
    """ "Draw it larger" is for a drawing with ink in it; a canvas with none is not small, it is empty."""
    assert not too_small(np.zeros((448, 448), np.uint8))


def test_a_model_file_from_before_deskewing_loads_as_a_network_that_does_not_deskew(tmp_path):
    """Files saved before the "deskew" key existed hold networks trained on images as they are:
    read back, they must not start straightening the images they were never trained on."""
    path = tmp_path / "old.npz"
    NeuralNetwork(784, 8, 10, seed=1, deskew=False).save(path)
    with np.load(path, allow_pickle=False) as npz:
        contents = {name: npz[name] for name in npz.files}
    metadata = json.loads(str(contents.pop("metadata")))
    del metadata["deskew"]
    np.savez(path, metadata=np.array(json.dumps(metadata)), **contents)

    assert NeuralNetwork.load(path).deskew is False


# ---- the browser (mnist_render.py) --------------------------------------------------------------


def test_r_in_a_set_of_two_images_always_shows_the_other_one(screen, mnist_dir, train_set):
    """R shows a random image other than the one shown: with two, that is always the other."""
    images, labels = train_set
    browser = Browser(mnist_dir, "train", sets={"train": (images[:2], labels[:2])}, rng=np.random.default_rng(0))
    for expected in (1, 0, 1, 0, 1, 0):
        press(browser, pygame.K_r)
        assert browser.index == expected


def test_t_leaves_a_confusion_cell_s_images_and_the_arrows_step_through_the_other_set(
    screen, mnist_dir, train_set, test_set, small_model
):
    """A cell's images belong to one set: after T, RIGHT moves to the next image of the other set,
    and the status line no longer counts the cell's images."""
    few = {"test": (test_set[0][:300], test_set[1][:300]), "train": (train_set[0][:300], train_set[1][:300])}
    browser = Browser(mnist_dir, "test", small_model, "model small.npz", sets=few)
    browser.browse(Selection(np.array([40, 80, 120]), "4s read as 9"))

    press(browser, pygame.K_t, pygame.K_RIGHT)

    assert browser.set_name == "train" and browser.index == 1
    assert "4s read as 9" not in browser.status_lines()[0]


def test_e_counts_the_mistakes_from_1_in_the_status_line(screen, mnist_dir, test_set, small_model):
    """E from the first image lands on the first miss after it, and says which it is counting from 1."""
    images, labels = test_set[0][:300], test_set[1][:300]
    misses = np.flatnonzero(small_model.predict(images) != labels)
    later = misses[misses > 0]
    browser = Browser(mnist_dir, "test", small_model, "model small.npz", sets={"test": (images, labels)})

    press(browser, pygame.K_e)

    number = list(misses).index(later[0]) + 1
    assert browser.index == later[0]
    assert browser.status_lines()[1] == f"mistake {number} of {len(misses)}"


def test_a_typed_number_stops_growing_at_its_most_digits(screen, mnist_dir, train_set):
    """Digits typed past MAX_TYPED_DIGITS are ignored: the status line shows only as many."""
    from myonn.windows.browser_keys import MAX_TYPED_DIGITS

    browser = Browser(mnist_dir, "train", sets={"train": train_set})
    typed = "1234567890"[: MAX_TYPED_DIGITS + 1]
    press(browser, *(getattr(pygame, f"K_{digit}") for digit in typed))

    assert f"go to {typed[:MAX_TYPED_DIGITS]}_" in browser.status_lines()[0]
    assert typed not in browser.status_lines()[0]


def second_status_line(surface):
    """The colours of the status bar's second line: a set of (r, g, b)."""
    rows = pygame.surfarray.array3d(surface).transpose(1, 0, 2)[surface.get_height() - STATUS_HEIGHT + 29 :]
    return {tuple(int(c) for c in pixel) for pixel in rows.reshape(-1, 3)}


def test_news_on_the_status_line_is_in_the_message_colour_and_the_model_note_in_grey(screen, mnist_dir, train_set):
    from myonn.windows.palette import BROWSER_FAINT, MESSAGE_COLOUR

    browser = Browser(mnist_dir, "train", sets={"train": train_set}, model_note="no model: a note")
    browser.draw(screen)
    note = second_status_line(screen)
    browser.message = "this is the first image of the train set"
    browser.draw(screen)
    news = second_status_line(screen)

    assert BROWSER_FAINT in note and MESSAGE_COLOUR not in note
    assert MESSAGE_COLOUR in news and BROWSER_FAINT not in news


def test_m_frames_the_chosen_cell_in_its_row_of_the_true_digit_and_column_of_the_reading(
    screen, mnist_dir, test_set, small_model
):
    """The frame of cell (2 read as 7) lies in column 7, row 2: the green cell of the right readings
    in its column (7 read as 7) is below it, five rows down, never above it."""
    from myonn.windows.palette import LABEL_COLOUR

    images, labels = test_set[0][:300], test_set[1][:300]
    browser = Browser(mnist_dir, "test", small_model, "model small.npz", sets={"test": (images, labels)})
    press(browser, pygame.K_m)
    browser.screens["confusion"].cell = (2, 7)
    browser.draw(screen)
    picture = pygame.surfarray.array3d(screen).transpose(1, 0, 2).astype(int)

    framed = np.all(picture == LABEL_COLOUR, axis=2)
    # The frame's top and bottom edges: the only rows with a long run of its colour (the names are short).
    longest = [max(map(len, "".join(".#"[int(v)] for v in row).split("."))) for row in framed]
    edges = [y for y, run in enumerate(longest) if run >= 30]
    top, bottom = min(edges), max(edges)
    columns = np.flatnonzero(framed[top])
    centre_x = (columns.min() + columns.max()) // 2
    red, green, blue = picture[:, centre_x].T
    greens = np.flatnonzero((green > red + 30) & (green > blue + 30))

    assert len(greens) and greens.min() > bottom


# ---- the draw window's pad (mnist_draw.py) ------------------------------------------------------


def test_rubbing_out_after_a_reading_keeps_the_rest_of_the_drawing(small_model):
    """Only a new stroke of ink after SPACE's reading starts a new digit: the eraser corrects this one."""
    from myonn.windows.drawing_pad import DrawingPad

    pad = DrawingPad(small_model)
    pad.trace([(100, 100), (300, 300)])
    pad.read()
    pad.pen_down((100, 100), erase=True)
    pad.pen_up()

    assert pad.canvas[300, 300] == 255  # (row, column): the far end of the stroke, never rubbed
    assert pad.canvas[100, 100] == 0  # where the eraser went


# ---- where things are kept ----------------------------------------------------------------------


def test_the_taught_digits_folder_reached_through_a_link_still_trains_the_taught_network(tmp_path, monkeypatch):
    """A learner may keep data/ on a bigger disk behind a symbolic link: --extra naming the folder
    of taught digits by either of its names still saves to the taught network."""
    from myonn.plumbing import paths

    real = tmp_path / "disk" / "my_digits"
    real.mkdir(parents=True)
    link = tmp_path / "data"
    link.symlink_to(tmp_path / "disk")
    monkeypatch.setattr(paths, "MY_DIGITS", link / "my_digits")

    assert paths.default_output(link / "my_digits") == paths.TAUGHT_MODEL
    assert paths.default_output(real) == paths.TAUGHT_MODEL
    assert paths.default_output(tmp_path / "elsewhere") == paths.TRAINED_MODEL
