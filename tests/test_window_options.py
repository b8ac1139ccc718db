"""The two windows' options and keys, checked at their edges: what each changes, and what the status and help say.

./mnist_render.py's and ./mnist_draw.py's options are checked from outside where
a run is quick (a screenshot of the tiny MNIST folder, read back by pixel), and
from `parse_args` where only the command line is concerned. The keys are driven
as in test_render.py and test_draw.py, on the tiny MNIST's sets, with an untrained
network where a network's mistakes are needed: it reads most images wrong, so
every kind of mistake is there, at once and without training.
"""

import subprocess
import sys

import numpy as np
import pygame
import pytest

from conftest import ROOT, SHIPPED_MODEL
from test_render import screen  # noqa: F401 (the browser's window, a fixture)

import mnist_draw as draw_script  # the scripts (pyproject lists them as modules), for their parse_args
import mnist_render as render
from myonn import NeuralNetwork, mnist
from myonn.teaching import Teacher
from myonn.windows.browser import Browser
from myonn.windows.browser_keys import KEYS
from myonn.windows.draw_window import DrawWindow
from myonn.windows.fonts import Fonts
from myonn.windows.drawing_pad import DrawingPad
from myonn.windows.palette import (
    ANSWER_BAR,
    BROWSER_FAINT,
    FRAME,
    MESSAGE_COLOUR,
    RIGHT,
    STATUS_BACKGROUND,
    TEXT,
    WARNING,
)
from myonn.windows.pictures import digit_rect
from myonn.windows.prediction_view import headline
from myonn.windows.status_bar import STATUS_HEIGHT


@pytest.fixture(scope="module")
def tiny_sets(tiny_mnist_dir):
    """The tiny MNIST's two sets (300 training and 100 test images), by name."""
    return {name: mnist.load(name, tiny_mnist_dir) for name in ("train", "test")}


@pytest.fixture(scope="module")
def untrained():
    """A network that has learned nothing: it reads most digits wrong."""
    return NeuralNetwork(784, 16, 10, seed=0)


@pytest.fixture
def browser(screen, tiny_mnist_dir, tiny_sets):
    """A browser on the tiny training set, without a model."""
    return Browser(tiny_mnist_dir, "train", sets={"train": tiny_sets["train"]}, rng=np.random.default_rng(0))


@pytest.fixture
def guessing_browser(screen, tiny_mnist_dir, tiny_sets, untrained):
    """A browser on the tiny test set (100 images), reading with the untrained network."""
    return Browser(tiny_mnist_dir, "test", untrained, "model untrained", sets={"test": tiny_sets["test"]})


def press(browser, *keys, mod=0):
    """Post KEYDOWN events as a keyboard would ("7": a character typed), then let the browser handle them."""
    for key in keys:
        text = {pygame.K_SPACE: " ", pygame.K_RETURN: "\r"}.get(key, "")
        if isinstance(key, str):
            text, key = key, pygame.key.key_code(key)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=text, mod=mod, scancode=0))
    return browser.handle_events(pygame.event.get())


def pixels(surface):
    """The surface as an array of rows: uint8 (height, width, 3)."""
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def of_colour(shown, colour):
    """Where the pixels of `shown` (rows, columns, 3) are exactly `colour`: bool (rows, columns)."""
    return (shown == colour).all(axis=2)


def shown_digit(surface, rect):
    """The grey level at the centre of each of the 28x28 blocks of the digit drawn in `rect`."""
    block = rect.width // 28
    centres = block // 2 + block * np.arange(28)
    return pixels(surface)[rect.top + centres[:, None], rect.left + centres[None, :], 0]


def picture_area(surface):
    return pygame.Rect(0, 0, surface.get_width(), surface.get_height() - STATUS_HEIGHT)


# ---- the edges of the set ------------------------------------------------------------------------


def test_home_shows_the_first_image_without_a_message(browser):
    press(browser, pygame.K_END, pygame.K_HOME)
    assert browser.index == 0 and browser.message == ""


def test_a_typed_1_shows_the_first_image_without_a_message(browser):
    press(browser, pygame.K_END, "1", pygame.K_RETURN)
    assert browser.index == 0 and browser.message == ""


def test_stepping_onto_the_first_image_says_nothing_only_stepping_beyond_it_does(browser):
    press(browser, pygame.K_DOWN, pygame.K_UP)
    assert browser.index == 0 and browser.message == ""
    press(browser, pygame.K_UP)
    assert browser.message == "this is the first image of the train set"


def test_stepping_onto_the_last_image_says_nothing(browser, tiny_sets):
    press(browser, pygame.K_END, pygame.K_UP, pygame.K_DOWN)
    assert browser.index == len(tiny_sets["train"][1]) - 1 and browser.message == ""


def test_a_typed_number_stops_at_six_digits(browser):
    # "1234567": the seventh digit is not taken, so ENTER asks for image 123456.
    press(browser, *"1234567")
    assert "go to 123456_" in browser.status_lines()[0]
    press(browser, pygame.K_RETURN)
    assert browser.index == 299
    assert browser.message == "there is no image 123456: the train set has 300; showing the last"


def test_a_typed_number_one_past_the_end_shows_the_last_image(browser):
    press(browser, *"301", pygame.K_RETURN)
    assert browser.index == 299
    assert browser.status_lines()[0] == "train 300 / 300"
    assert "there is no image 301" in browser.status_lines()[1]


def test_r_never_shows_the_image_already_shown_even_at_the_largest_random_draw(screen, tiny_mnist_dir, tiny_sets):
    class Largest:
        """A generator whose every draw is the largest it may give: integers(n) is n - 1."""

        def integers(self, n):
            return n - 1

    browser = Browser(tiny_mnist_dir, "train", sets={"train": tiny_sets["train"]}, rng=Largest())
    for start in (0, 150, 299):
        browser.go_to(start)
        press(browser, pygame.K_r)
        assert browser.index != start


# ---- the two sets ---------------------------------------------------------------------------


def test_t_hides_the_label_shown_so_the_other_sets_image_is_guessed_first(browser):
    press(browser, pygame.K_SPACE, pygame.K_t)
    assert browser.set_name == "test" and browser.view == "digit"
    assert "label" not in browser.title()
    assert "label" not in browser.status_lines()[0]


def test_t_shows_the_other_sets_image_not_the_last_one_drawn(browser, screen, tiny_sets):
    # Both sets open on their first image: the same position, another picture.
    browser.draw(screen)
    press(browser, pygame.K_t)
    browser.draw(screen)
    rect = digit_rect(picture_area(screen))
    assert np.array_equal(shown_digit(screen, rect), 255 - tiny_sets["test"][0][0])


def test_the_next_image_is_drawn_after_a_key_moves_on(browser, screen, tiny_sets):
    browser.draw(screen)
    press(browser, pygame.K_DOWN)
    browser.draw(screen)
    rect = digit_rect(picture_area(screen))
    assert np.array_equal(shown_digit(screen, rect), 255 - tiny_sets["train"][0][1])


def label_view(browser, screen, index):
    """The pixels of SPACE's view of image `index`."""
    browser.go_to(index)
    press(browser, pygame.K_SPACE)
    browser.draw(screen)
    press(browser, pygame.K_SPACE)
    return pixels(screen)[: screen.get_height() - STATUS_HEIGHT]


def test_space_shows_the_images_label_the_same_for_two_images_of_one_digit_and_not_for_another(
    browser, screen, tiny_sets
):
    labels = tiny_sets["train"][1].tolist()
    first = labels[0]
    same = labels.index(first, 1)
    other = next(i for i, label in enumerate(labels) if label != first)
    assert np.array_equal(label_view(browser, screen, 0), label_view(browser, screen, same))
    assert not np.array_equal(label_view(browser, screen, 0), label_view(browser, screen, other))


# ---- the network's mistakes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def untrained_misses(untrained, tiny_sets):
    """The test images (0-based, ascending) the untrained network reads wrong, by its own predict."""
    images, labels = tiny_sets["test"]
    return np.flatnonzero(untrained.predict(images) != labels)


def test_e_says_which_mistake_it_shows_counting_from_1(guessing_browser, untrained_misses):
    guessing_browser.go_to(int(untrained_misses[0]))
    press(guessing_browser, pygame.K_e)
    assert guessing_browser.index == untrained_misses[1]
    assert guessing_browser.message == f"mistake 2 of {len(untrained_misses)}"


def test_w_from_the_first_image_wraps_to_the_last_mistake_and_says_so(guessing_browser, untrained_misses):
    count = len(untrained_misses)
    press(guessing_browser, pygame.K_w)
    assert guessing_browser.index == untrained_misses[-1]
    assert guessing_browser.message == f"mistake {count} of {count} (wrapped around)"


def test_w_from_a_mistake_goes_to_the_one_before_it_without_wrapping(guessing_browser, untrained_misses):
    guessing_browser.go_to(int(untrained_misses[2]))
    press(guessing_browser, pygame.K_w)
    assert guessing_browser.index == untrained_misses[1]
    assert guessing_browser.message == f"mistake 2 of {len(untrained_misses)}"


def test_the_status_line_gives_the_share_missed_in_percent_to_two_decimals(guessing_browser, untrained_misses):
    # Of 100 images, each miss is exactly one percent.
    press(guessing_browser, pygame.K_p)
    count = len(untrained_misses)
    assert f"network misses {count} ({count}.00%)" in guessing_browser.status_lines()[0]


def test_e_when_the_network_reads_every_image_right_says_so_and_stays(screen, tiny_mnist_dir, tiny_sets):
    shipped = NeuralNetwork.load(SHIPPED_MODEL)
    images, labels = tiny_sets["test"]
    right = shipped.predict(images) == labels
    browser = Browser(tiny_mnist_dir, "test", shipped, "", sets={"test": (images[right], labels[right])})
    press(browser, pygame.K_DOWN, pygame.K_e)
    assert browser.index == 1
    assert browser.message == "the network reads every test image right"


def test_the_title_reveals_the_label_in_the_networks_view(guessing_browser, tiny_sets):
    press(guessing_browser, pygame.K_p)
    assert guessing_browser.title() == f"MNIST test 1 / 100 - label {tiny_sets['test'][1][0]}"


# ---- a cell of the confusion matrix ----------------------------------------------------------


def browse_a_cell(browser):
    """M, then ENTER: browse the images of the commonest mistake; returns them (0-based, ascending)."""
    press(browser, pygame.K_m, pygame.K_RETURN)
    return browser.selection.indices.tolist()


def test_end_and_home_in_a_cell_show_its_last_and_first_image(guessing_browser):
    cell = browse_a_cell(guessing_browser)
    assert len(cell) >= 3
    press(guessing_browser, pygame.K_END)
    assert guessing_browser.index == cell[-1]
    press(guessing_browser, pygame.K_HOME)
    assert guessing_browser.index == cell[0]


def test_a_typed_number_leaves_the_cell_for_the_whole_set(guessing_browser):
    cell = browse_a_cell(guessing_browser)
    target = next(i for i in range(100) if i not in cell and i + 1 not in cell)
    press(guessing_browser, *str(target + 1), pygame.K_RETURN)
    assert guessing_browser.index == target and guessing_browser.selection is None
    press(guessing_browser, pygame.K_DOWN)
    assert guessing_browser.index == target + 1  # the next image of the set, not of the cell
    assert " read as " not in guessing_browser.status_lines()[0]


def test_t_leaves_the_cell_whose_images_belong_to_the_set_left(screen, tiny_mnist_dir, tiny_sets, untrained):
    browser = Browser(tiny_mnist_dir, "test", untrained, "", sets=tiny_sets)
    browse_a_cell(browser)
    press(browser, pygame.K_t)
    assert browser.set_name == "train" and browser.selection is None
    press(browser, pygame.K_DOWN, pygame.K_DOWN)
    assert browser.index == 2
    assert " read as " not in browser.status_lines()[0]


# ---- the status bar ------------------------------------------------------------------------


def status_bar_lines(surface):
    """The pixels of the status bar's first and second lines: (rows, columns, 3) each."""
    bar = pixels(surface)[surface.get_height() - STATUS_HEIGHT :]
    return bar[:28], bar[28:]


def test_news_is_written_in_its_own_colour_and_the_model_note_in_grey(browser, screen):
    browser.draw(screen)
    _, note = status_bar_lines(screen)
    assert of_colour(note, BROWSER_FAINT).any() and not of_colour(note, MESSAGE_COLOUR).any()
    press(browser, pygame.K_UP)  # before the first image: news
    browser.draw(screen)
    _, news = status_bar_lines(screen)
    assert of_colour(news, MESSAGE_COLOUR).sum() > 20 and not of_colour(news, BROWSER_FAINT).any()


def test_the_second_line_shows_the_news_not_the_position(browser, screen):
    # Its ink spans the news as the bar's 22-pixel font measures it, from 8 pixels in.
    press(browser, pygame.K_UP)
    browser.draw(screen)
    _, news = status_bar_lines(screen)
    ink = np.flatnonzero((news != STATUS_BACKGROUND).any(axis=2).any(axis=0))
    width = browser.fonts[22].size("this is the first image of the train set")[0]
    assert abs((ink.max() + 1 - 8) - width) <= 3


# ---- the help (H) and the keys it names ------------------------------------------------------

KEY_WORDS = {"ESCAPE": "ESC"}  # the help's word for a key pygame names otherwise


def test_every_key_the_browser_answers_to_is_named_in_its_help(browser):
    named = " ".join(keys for keys, _ in KEYS).replace(",", " ").replace("/", " ").split()
    named_pairs = " ".join(named)
    for key in browser.keys.actions:
        name = pygame.key.name(key).upper()
        assert KEY_WORDS.get(name, name) in named_pairs, name


BACK, ON = {"previous", "back", "first"}, {"next", "on", "last"}


def paired_keys():
    """The help's lines that pair keys with words, "E / W" with "next / previous ...": (key name, back or on)."""
    pairs = []
    for keys, what in KEYS:
        words = [set(part.split()) for part in what.split(" / ")]
        for group in keys.split(", "):
            names = group.split(" / ")
            if len(names) == len(words) == 2:
                pairs += [(name, -1 if part & BACK else 1 if part & ON else 0) for name, part in zip(names, words)]
    return pairs


@pytest.mark.parametrize("name, direction", paired_keys())
def test_each_paired_key_goes_the_way_the_helps_word_in_its_place_says(guessing_browser, name, direction):
    assert direction != 0, "the help's word says neither back nor on"
    press(guessing_browser, pygame.K_m, pygame.K_ESCAPE)  # (the network reads the set: E and W can go)
    guessing_browser.go_to(50)
    press(guessing_browser, pygame.key.key_code(name.lower()))
    assert np.sign(guessing_browser.index - 50) == direction


def help_box(browser, screen):
    """The rectangle the help covers: where the frame changes when H is pressed."""
    browser.draw(screen)
    before = pixels(screen)
    press(browser, pygame.K_h)
    browser.draw(screen)
    rows, columns = np.nonzero((pixels(screen) != before).any(axis=2))
    return pygame.Rect(columns.min(), rows.min(), columns.max() + 1 - columns.min(), rows.max() + 1 - rows.min())


def test_the_help_is_a_box_in_the_middle_of_the_window(browser, screen):
    box = help_box(browser, screen)
    centre = screen.get_rect().center
    assert abs(box.centerx - centre[0]) <= 1 and abs(box.centery - centre[1]) <= 1


@pytest.mark.parametrize("size", [(560, 612), (420, 200), (900, 400)])
def test_the_help_fits_inside_the_window_with_its_frame_on_every_side(screen, tiny_mnist_dir, tiny_sets, size):
    browser = Browser(tiny_mnist_dir, "train", sets={"train": tiny_sets["train"]})
    surface = pygame.Surface(size)
    box = help_box(browser, surface)
    shown = pixels(surface)
    # The frame is a line of its colour all round what the help covers: nothing of the box is cut off.
    for edge in (shown[box.top, box.left : box.right], shown[box.bottom - 1, box.left : box.right]):
        assert of_colour(edge[None], FRAME).all()
    for edge in (shown[box.top : box.bottom, box.left], shown[box.top : box.bottom, box.right - 1]):
        assert of_colour(edge[None], FRAME).all()


def test_the_help_writes_each_keys_words_right_of_the_keys(browser, screen):
    box = help_box(browser, screen)
    shown = pixels(screen)[box.top : box.bottom, box.left : box.right]
    keys, words = of_colour(shown, ANSWER_BAR), of_colour(shown, TEXT)
    assert keys.any() and words.any()
    assert np.nonzero(words)[1].min() > np.nonzero(keys)[1].max()


# ---- the network's view (P) ------------------------------------------------------------------


def wrong_reading(browser, misses, screen):
    """P on the first image the network reads wrong: the frame's pixels (rows, columns, 3)."""
    browser.go_to(int(misses[0]))
    press(browser, pygame.K_p)
    browser.draw(screen)
    return pixels(screen)


def test_a_wrong_reading_frames_the_labels_bar_in_green(guessing_browser, untrained_misses, screen):
    green = of_colour(wrong_reading(guessing_browser, untrained_misses, screen), RIGHT)
    # The frame's top and bottom are lines across the bar's track; no digit's glyph is 100 pixels wide.
    assert green.sum(axis=1).max() >= 100


def test_a_wrong_reading_writes_the_labels_digit_in_green_and_the_guess_in_the_text_colour(
    guessing_browser, untrained_misses, screen
):
    green = of_colour(wrong_reading(guessing_browser, untrained_misses, screen), RIGHT)
    frame_rows = np.flatnonzero(green.sum(axis=1) >= 100)  # the frame round the label's bar
    frame_left = np.flatnonzero(green[frame_rows[0]]).min()
    rows, columns = np.nonzero(green[:, :frame_left])  # green left of the bars: the digits' names
    assert len(rows) > 0
    assert rows.min() >= frame_rows.min() - 4 and rows.max() <= frame_rows.max() + 4


def test_the_headline_says_right_when_the_reading_is_the_label_and_wrong_when_not():
    outputs = np.full(10, 0.01)
    outputs[3] = 0.91  # 91.0%, clearly ahead
    assert headline(outputs, 3) == "reads 3 (91.0%), label 3: right"
    assert headline(outputs, 5) == "reads 3 (91.0%), label 5: wrong"


# ---- the drawing window's keys ---------------------------------------------------------------


class Pupil:
    """A teacher that only notes the lessons it is given (digit keys), as (digit, ...)."""

    def __init__(self):
        self.lessons = []

    def greeting(self):
        return ""

    def teach(self, image, digit):
        self.lessons.append(digit)
        return f"taught: {digit}"


@pytest.fixture
def drawing(draw_screen, untrained):
    """The draw window round a pad reading with the untrained network (on SPACE: live mode off), its lessons noted."""
    return DrawWindow(DrawingPad(untrained, live=False, teacher=Pupil()))


def draw_key(window, key, mod=0, text=""):
    window.process([pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=text)])


def drag(window, points, button=1):
    """Press `button` at the first canvas point, move through the others, let go: a quick hand."""
    at = [(x + window.canvas_rect.x, y + window.canvas_rect.y) for x, y in points]
    held = tuple(int(b == button) for b in (1, 2, 3))
    events = [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at[0], button=button)]
    events += [pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=held) for p in at[1:]]
    events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at[-1], button=button))
    window.process(events)  # in one frame: live mode reads the canvas once


def draw_a_bar(window):
    drag(window, [(80 + x, 300) for x in range(0, 301, 4)])


def test_cmd_z_also_undoes_the_last_stroke_as_on_a_mac(drawing):
    draw_a_bar(drawing)
    draw_key(drawing, pygame.K_z, pygame.KMOD_LMETA)
    assert drawing.pad.is_empty()


def test_the_right_shift_key_with_k_also_brings_every_node_back(drawing):
    draw_key(drawing, pygame.K_k)
    assert drawing.pad.silenced.any()
    draw_key(drawing, pygame.K_k, pygame.KMOD_RSHIFT)
    assert not drawing.pad.silenced.any()


def test_shift_k_says_that_all_the_hidden_nodes_are_back(drawing, untrained):
    draw_key(drawing, pygame.K_k)
    draw_key(drawing, pygame.K_k, pygame.KMOD_LSHIFT)
    assert drawing.pad.message == f"all {untrained.hnodes} hidden nodes are back"


@pytest.mark.parametrize("mod", [pygame.KMOD_LALT, pygame.KMOD_RCTRL, pygame.KMOD_LMETA])
def test_a_digit_key_held_with_alt_ctrl_or_cmd_teaches_nothing(drawing, mod):
    draw_a_bar(drawing)
    draw_key(drawing, pygame.K_SPACE, text=" ")
    draw_key(drawing, pygame.K_7, mod, "7")
    assert drawing.pad.teacher.lessons == []
    draw_key(drawing, pygame.K_7, 0, "7")  # (the same key alone does teach)
    assert drawing.pad.teacher.lessons == [7]


def test_erasing_after_a_reading_keeps_the_digit_and_rubs_out_only_under_the_eraser(drawing):
    draw_a_bar(drawing)
    draw_key(drawing, pygame.K_SPACE, text=" ")
    drag(drawing, [(100, 300)], button=3)
    canvas = drawing.pad.canvas
    assert canvas[300, 100] == 0  # under the eraser
    assert canvas[300, 350] == 255  # the rest of the bar


def warning_above_the_canvas(window, surface):
    """Whether anything is written in the warning colour in the margin above the canvas."""
    window.draw(surface)
    return of_colour(pixels(surface)[: window.canvas_rect.top], WARNING).any()


def test_the_note_above_the_canvas_appears_only_while_nodes_are_knocked_out(drawing, draw_screen):
    assert not warning_above_the_canvas(drawing, draw_screen)
    draw_key(drawing, pygame.K_k)
    assert warning_above_the_canvas(drawing, draw_screen)
    draw_key(drawing, pygame.K_k, pygame.KMOD_LSHIFT)
    assert not warning_above_the_canvas(drawing, draw_screen)


def test_after_a_sure_reading_the_line_under_the_canvas_says_space_clears_it(draw_screen):
    # The module's own words: "SPACE again clears the canvas for the next digit".
    window = DrawWindow(DrawingPad(NeuralNetwork.load(SHIPPED_MODEL), live=False))
    drag(window, [(224, 80 + y) for y in range(0, 291, 4)])  # a 1
    assert "clear" not in window.pad.prompt()[0]
    draw_key(window, pygame.K_SPACE, text=" ")
    assert window.pad.reading().doubt is None and window.pad.answer == 1
    assert "SPACE to clear" in window.pad.prompt()[0]


# ---- the command lines ---------------------------------------------------------------------

RENDER = ROOT / "mnist_render.py"


@pytest.fixture(scope="module")
def default_shot(tiny_mnist_dir, tmp_path_factory):
    """./mnist_render.py's screenshot with neither --set nor --scale (nor --model: no network is needed)."""
    path = tmp_path_factory.mktemp("defaults") / "shot.png"
    result = subprocess.run(
        [sys.executable, str(RENDER), "--data-dir", str(tiny_mnist_dir), "--screenshot", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return pygame.image.load(str(path))


def test_render_starts_in_the_training_set_without_set(default_shot, tiny_sets):
    rect = digit_rect(picture_area(default_shot))
    assert np.array_equal(shown_digit(default_shot, rect), 255 - tiny_sets["train"][0][0])


def test_render_draws_20_screen_pixels_per_mnist_pixel_without_scale(default_shot):
    # docs/browsing.md: --scale 1 to 100, default 20; the status bar below the digit.
    assert default_shot.get_size() == (28 * 20, 28 * 20 + STATUS_HEIGHT)


def test_render_takes_a_scale_up_to_100_and_refuses_101(capsys):
    assert render.parse_args(["--scale", "100"]).scale == 100
    with pytest.raises(SystemExit) as refused:
        render.parse_args(["--scale", "101"])
    assert refused.value.code == 2
    assert "--scale" in capsys.readouterr().err


def test_the_model_note_gives_its_test_accuracy_in_percent_to_two_decimals(tmp_path):
    path = tmp_path / "noted.npz"
    network = NeuralNetwork(784, 16, 10, seed=0)
    network.metadata["test_accuracy"] = 0.9712
    network.save(path)
    _, note = render.load_model(path)
    assert note == f"model {path}: 97.12% right on the test set"


def test_draw_paints_with_a_28_pixel_brush_without_brush():
    # docs/drawing.md: "--brush N sets the pen's diameter in canvas pixels (... 28 by default)".
    assert draw_script.parse_args([]).brush == 28


@pytest.fixture
def opened(monkeypatch):
    """The DrawWindow mnist_draw.py's main makes, once it has returned: a list of one."""
    made = []

    class Kept(DrawWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(draw_script, "DrawWindow", Kept)
    return made


def test_demo_one_shows_ts_step_for_the_label_1(opened, tmp_path):
    # --help: "--demo one: a European 1 that the shipped network reads as 7 (T's step is for the label 1)".
    shot = tmp_path / "one.png"
    assert draw_script.main(["--model", str(SHIPPED_MODEL), "--demo", "one", "--screenshot", str(shot)]) == 0
    assert opened[0].views["learn"].label == 1


def test_demo_teach_teaches_the_drawn_one_as_a_1(opened, tmp_path, monkeypatch):
    from myonn.plumbing import paths

    monkeypatch.setattr(paths, "MY_DIGITS", tmp_path / "my_digits")
    monkeypatch.setattr(paths, "TAUGHT_MODEL", tmp_path / "taught.npz")
    monkeypatch.setattr(Teacher, "teach", lambda teacher, image, digit: f"taught: {digit}")  # (quick: no learning)
    shot = tmp_path / "teach.png"
    assert draw_script.main(["--model", str(SHIPPED_MODEL), "--demo", "teach", "--screenshot", str(shot)]) == 0
    assert opened[0].pad.taught == 1


class WordsDrawn(Fonts):
    """The window's fonts, noting every text they are asked to render."""

    def __init__(self):
        super().__init__()
        self.words = []

    def __getitem__(self, size):
        font, words = super().__getitem__(size), self.words

        class Noting:
            def render(self, text, *args):
                words.append(text)
                return font.render(text, *args)

            def __getattr__(self, name):
                return getattr(font, name)

        return Noting()


def test_the_keys_line_says_whether_live_mode_is_on_after_each_l(drawing, draw_screen):
    """docs/drawing.md: "L | live mode on/off"; the line of keys under the canvas tells which it is now."""
    drawing.fonts = WordsDrawn()
    said = []
    for _ in range(3):
        drawing.fonts.words.clear()
        drawing.draw(draw_screen)
        said.append([words for words in drawing.fonts.words if "L: live" in words])
        draw_key(drawing, pygame.K_l, text="l")
    # The fixture's pad starts with live mode off; L turns it on, then off again.
    assert [len(lines) for lines in said] == [1, 1, 1]
    assert ["L: live (off)" in said[0][0], "L: live (on)" in said[1][0], "L: live (off)" in said[2][0]] == [True] * 3


def test_a_lesson_that_did_not_change_the_reading_does_not_say_what_it_read_before(drawing):
    """ "it read X before" is news only when the lesson made it read the digit taught; this
    teacher learns nothing, so the network still reads what it read."""
    draw_a_bar(drawing)
    draw_key(drawing, pygame.K_SPACE, text=" ")
    read = drawing.pad.answer
    other = (read + 1) % 10
    draw_key(drawing, pygame.K_0 + other, 0, str(other))
    assert drawing.pad.teacher.lessons == [other] and drawing.pad.answer == read
    assert "before" not in drawing.pad.note, drawing.pad.note


@pytest.mark.parametrize("points", [[(50, 60)], [(50, 60), (90, 75), (120, 40)]])
def test_a_stroke_painted_again_after_an_undo_is_the_stroke_as_it_was_drawn(points):
    """Undo rebuilds the canvas from the strokes kept: a click (one point) is a dot again, and a
    drag the same capsules, pixel for pixel."""
    from myonn.windows.brush import Stroke

    live, again = np.zeros((140, 140), np.uint8), np.zeros((140, 140), np.uint8)
    stroke = Stroke(value=255, diameter=9)
    for point in points:
        stroke.extend(live, point)
    stroke.paint(again)
    assert live.any() and np.array_equal(again, live)


def test_a_view_that_does_not_move_on_its_own_asks_for_no_frames(guessing_browser):
    """The loop sleeps until an event (docs: one sleeping event loop); only the dreams forming want
    frames. In M, which never moves on its own, the window must not be woken 25 times a second."""
    press(guessing_browser, "m")
    assert guessing_browser.view == "confusion"
    assert guessing_browser.forming() is False


def test_pointing_or_clicking_beside_the_canvas_in_the_plain_view_redraws_nothing(drawing):
    """Only a view that answers the pointer (I's nodes) redraws for it; the plain answer panel does not."""
    beside = (drawing.panel_rect.centerx, drawing.panel_rect.centery)
    assert not drawing.canvas_rect.collidepoint(beside)
    moved = pygame.event.Event(pygame.MOUSEMOTION, pos=beside, rel=(1, 1), buttons=(0, 0, 0))
    clicked = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=beside, button=1)
    assert drawing.process([moved]) is False
    assert drawing.process([clicked]) is False


@pytest.mark.parametrize("drawn", [False, True])
def test_n_beside_the_canvas_asks_for_a_drawing_then_for_space(drawn):
    """N shows the training digits only for a reading SPACE made: with nothing drawn it asks for a digit,
    with a drawing not yet read (live mode reads as the pen moves) it asks for SPACE."""
    import types

    from myonn.windows.nearest_view import NearestPanel

    pygame.font.init()
    surface = pygame.Surface((300, 400))
    reading = types.SimpleNamespace(
        hidden_outputs=np.zeros((1, 16), np.float32) if drawn else None,
        is_read=False,
        probabilities=np.full(10, 0.1, np.float32) if drawn else None,
    )
    fonts = WordsDrawn()
    NearestPanel(None, lambda: reading, fonts, surface.get_rect()).draw(surface, surface.get_rect())

    assert len(fonts.words) == 1
    said = fonts.words[0]
    assert ("SPACE" in said and "draw" not in said) if drawn else ("draw a digit" in said), said


def test_the_help_box_holds_its_widest_line_and_its_lines_do_not_overlap():
    from myonn.windows.help_overlay import box_size

    pygame.font.init()
    font = Fonts()[26]
    keys = [("UP/DOWN", "a short one"), ("H", "a much longer description of what this key does")]
    key_width, line, (width, height) = box_size(keys, font)
    widest_key = max(font.size(key)[0] for key, _ in keys)
    widest_words = max(font.size(words)[0] for _, words in keys)
    assert key_width > widest_key  # the words start right of every key
    assert width > key_width + widest_words  # the longest description fits inside the box
    assert line >= font.get_linesize() and height > line * len(keys)  # a line each, none over another
