"""Watching it learn: ./mnist_train.py --watch, --plot, --screenshot and --one-at-a-time, and the package parts behind them.

Every run here is small (a few hundred to a few thousand images, one or two epochs, a
small hidden layer); the windows run headless on SDL's dummy driver (see conftest).
"""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.windows.curves import PLOT_SIZE, TEST_COLOUR, LearningCurves, nice_ticks
from myonn.one_at_a_time import train_one
from myonn.training import EpochReport, one_hot
from conftest import one_message, unwrapped

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "mnist_train.py"
SMALL = ["--epochs", "2", "--hidden", "32"]  # on tiny_mnist_dir: 300 training images, 100 test images


def train(*args, environment=None):
    """Run ./mnist_train.py with `args`; return the finished process."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=300,
    )


def load_script():
    """mnist_train.py as a module (pyproject lists it as one), to run its main() in this process
    (where pygame events can be posted)."""
    import mnist_train

    return mnist_train


def press_escape():
    """Put a real ESC key press on pygame's event queue."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="\x1b", scancode=41))


# ---- --plot ------------------------------------------------------------------------------


def test_plot_writes_a_png_of_the_stated_size_with_the_curves_drawn(tmp_path, tiny_mnist_dir):
    picture = tmp_path / "curves.png"
    result = train(*SMALL, "--quiet", "--data-dir", tiny_mnist_dir, "--output", tmp_path / "m.npz", "--plot", picture)
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(picture))
    assert image.get_size() == PLOT_SIZE == (960, 720)  # the size the README states
    pixels = pygame.surfarray.array3d(image).reshape(-1, 3)
    assert (pixels != 255).any(axis=1).mean() > 0.02  # ink, not a blank page
    assert (pixels == TEST_COLOUR).all(axis=1).any()  # the test accuracy's curve is there


def test_a_plot_path_that_cannot_be_written_is_one_line_before_any_training(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    result = train("--plot", blocker / "curves.png", "--output", tmp_path / "m.npz")
    assert result.returncode == 2
    assert one_message(result.stderr) and "--plot" in result.stderr
    assert "epoch" not in result.stdout and not (tmp_path / "m.npz").exists()


def test_a_plot_path_that_is_a_folder_is_refused(tmp_path):
    result = train("--plot", tmp_path, "--output", tmp_path / "m.npz")
    assert result.returncode == 2 and "--plot" in result.stderr and "folder" in result.stderr


# ---- --watch -----------------------------------------------------------------------------


def test_esc_in_the_watch_window_stops_training_and_saves_nothing(tmp_path, tiny_mnist_dir, monkeypatch, capsys):
    from myonn.windows.watch import TrainingWindow

    output = tmp_path / "model.npz"
    follow = TrainingWindow.follow

    def follow_then_escape(self, *args):
        follow(self, *args)  # draws the window once, before training
        press_escape()  # seen at the next redraw, while training

    monkeypatch.setattr(TrainingWindow, "follow", follow_then_escape)
    status = load_script().main([*SMALL, "--watch", "--data-dir", str(tiny_mnist_dir), "--output", str(output)])
    assert status == 130
    assert os.listdir(tmp_path) == []  # no model, no half-written file
    printed = capsys.readouterr()
    assert "nothing saved" in printed.err
    assert printed.out.startswith("training") and "epoch  2/2" not in printed.out  # stopped while training


def test_a_finished_watch_run_saves_and_keeps_the_window_open_until_esc(tmp_path, tiny_mnist_dir, monkeypatch, capsys):
    from myonn.windows.watch import TrainingWindow

    finished = TrainingWindow.finished
    shown = []

    def finished_then_escape(self, text):
        finished(self, text)
        shown.append(text)
        press_escape()

    monkeypatch.setattr(TrainingWindow, "finished", finished_then_escape)
    output = tmp_path / "model.npz"
    status = load_script().main([*SMALL, "--watch", "--data-dir", str(tiny_mnist_dir), "--output", str(output)])
    assert status == 0 and output.exists()
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("test accuracy: ")
    assert "test accuracy" in shown[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux finds its screen through DISPLAY")
def test_watch_with_no_screen_says_so_in_one_line_before_any_training(tmp_path, tiny_mnist_dir):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    result = train("--watch", "--data-dir", tiny_mnist_dir, "--output", tmp_path / "m.npz", environment=environment)
    assert result.returncode == 2
    # (SDL itself may complain first about XDG_RUNTIME_DIR; our own message is one line.)
    assert unwrapped(result.stderr).strip().splitlines()[-1].startswith("mnist_train.py: error: cannot open a window")
    assert "Traceback" not in result.stderr
    assert result.stdout == "" and not (tmp_path / "m.npz").exists()


def test_the_watch_window_redraws_a_few_times_a_second_not_every_batch(monkeypatch):
    from myonn.windows import watch

    clock = iter(np.arange(0.0, 100.0, 0.01))  # each batch takes 10 ms on this clock
    monkeypatch.setattr(watch.time, "perf_counter", lambda: float(next(clock)))
    window = watch.TrainingWindow()
    window.offscreen((400, 300))
    window.on_screen = True  # count its frames as if on screen, without a display
    frames = []
    monkeypatch.setattr(window, "draw", lambda surface: frames.append(1))
    monkeypatch.setattr(watch.pygame.display, "get_surface", lambda: None)
    monkeypatch.setattr(watch.pygame.display, "flip", lambda: None)
    monkeypatch.setattr(watch.pygame.event, "get", lambda: [])
    window.network, window.curves = NeuralNetwork(784, 4, 10), LearningCurves(1, 64 * 1000)
    for _ in range(1000):  # 1,000 batches of 10 ms: 10 s
        window.step(64, 1.0, 32, 0.1)
    assert 10 / watch.REDRAW_SECONDS * 0.5 <= len(frames) <= 10 / watch.REDRAW_SECONDS + 1
    assert watch.REDRAW_SECONDS >= 0.1  # at most ten frames a second


def test_a_costly_frame_spaces_out_the_next_ones_so_drawing_stays_a_small_share(monkeypatch):
    from myonn.windows import watch

    clock = [0.0]
    monkeypatch.setattr(watch.time, "perf_counter", lambda: clock[0])
    window = watch.TrainingWindow()
    window.on_screen = True
    frames = []

    def slow_draw(surface):  # each frame costs 0.1 s of the clock
        frames.append(clock[0])
        clock[0] += 0.1

    monkeypatch.setattr(window, "draw", slow_draw)
    monkeypatch.setattr(watch.pygame.display, "get_surface", lambda: None)
    monkeypatch.setattr(watch.pygame.display, "flip", lambda: None)
    monkeypatch.setattr(watch.pygame.event, "get", lambda: [])
    window.network, window.curves = NeuralNetwork(784, 4, 10), LearningCurves(1, 64 * 10000)
    for _ in range(10000):  # batches of 10 ms: 100 s of training
        clock[0] += 0.01
        window.step(64, 1.0, 32, 0.1)
    drawing, total = 0.1 * len(frames), clock[0]
    assert drawing / total <= watch.MAX_SHARE * 1.1
    assert len(frames) >= 10  # still redrawn now and then


def test_screenshot_draws_the_watch_window_halfway_without_a_screen(tmp_path, tiny_mnist_dir):
    picture = tmp_path / "watch.png"
    environment = {name: value for name, value in os.environ.items() if name not in ("DISPLAY", "SDL_VIDEODRIVER")}
    result = train(
        *SMALL,
        "--quiet",
        "--data-dir",
        tiny_mnist_dir,
        "--output",
        tmp_path / "m.npz",
        "--screenshot",
        picture,
        environment=environment,
    )
    assert result.returncode == 0, result.stderr
    image = pygame.surfarray.array3d(pygame.image.load(str(picture)))
    assert image.shape[:2] == (1200, 720)
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50  # weights in many shades, not a blank frame


# ---- --one-at-a-time ---------------------------------------------------------------------


def test_one_at_a_time_on_a_few_hundred_images_learns_and_prints_the_speed_up(tmp_path, tiny_mnist_dir):
    result = train("--one-at-a-time", "--hidden", "50", "--data-dir", tiny_mnist_dir, "--output", tmp_path / "m.npz")
    assert result.returncode == 0, result.stderr
    accuracy = float(result.stdout.strip().splitlines()[-1].split()[-1].rstrip("%"))
    assert accuracy > 40  # chance is 10%
    assert re.search(r"^one image at a time: [\d,]+ images/s$", result.stdout, re.M)
    assert re.search(r"^mini-batches of 64, same images: [\d,]+ images/s, [\d.]+ times faster$", result.stdout, re.M)
    network = NeuralNetwork.load(tmp_path / "m.npz")
    assert network.metadata["batch_size"] == 1 and network.metadata["trained_on"] == 300
    assert all(len(line) <= 80 for line in result.stdout.splitlines()[:3])


def test_one_at_a_time_refuses_extra_in_one_line(tmp_path):
    result = train("--one-at-a-time", "--extra", "data/my_digits", "--output", tmp_path / "m.npz")
    assert result.returncode == 2 and "--one-at-a-time" in result.stderr and one_message(result.stderr)


def test_the_book_s_one_image_step_is_the_mini_batch_step_with_a_batch_of_one_and_no_momentum(test_set):
    images, labels = test_set
    book, batch = NeuralNetwork(784, 20, 10, seed=3), NeuralNetwork(784, 20, 10, seed=3)
    inputs, targets = book.prepare_inputs(images[:3]), one_hot(labels[:3])
    for i in range(3):
        loss, right = train_one(book, inputs[i], targets[i], 0.1)
        batch_loss, batch_right = batch.train(inputs[i : i + 1], targets[i : i + 1], 0.1, momentum=0.0)
        assert loss == pytest.approx(batch_loss, rel=1e-5) and right == bool(batch_right)
    for name in ("wih", "bh", "who", "bo"):
        np.testing.assert_allclose(getattr(book, name), getattr(batch, name), atol=1e-6)


# ---- the curves ----------------------------------------------------------------------------


def test_axis_ticks_are_round_steps_covering_the_range():
    assert nice_ticks(0.0, 1.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0.9, 1.0) == [0.9, 0.92, 0.94, 0.96, 0.98, 1.0]
    assert nice_ticks(0.0, 20.0) == [0.0, 5.0, 10.0, 15.0, 20.0]


def test_the_training_curves_are_means_over_stretches_and_the_test_accuracy_is_per_epoch():
    curves = LearningCurves(epochs=1, images_per_epoch=1200)  # stretches of 100 images (at least 100)
    for batch in range(12):
        curves.step(100, loss=float(batch), right=batch * 10, rate=0.5)
    curves.epoch_done(EpochReport(1, 5.5, 0.55, 0.9, 1.0, 0.5))
    assert curves.loss == [((b + 1) / 12, float(b)) for b in range(12)]
    assert curves.train_accuracy == [((b + 1) / 12, b / 10) for b in range(12)]
    assert curves.test_accuracy == [(1.0, 0.9)]


# ---- what the watch window shows, pinned (issue 20's examples) ------------------------------


@pytest.mark.parametrize(
    "done, shown", [(0, "epoch 1/25"), (99, "epoch 1/25"), (100, "epoch 2/25"), (2500, "epoch 25/25")]
)
def test_the_epoch_counter_counts_from_1_to_the_last_epoch(done, shown):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(25, 100)
    window.curves.images_done = done  # by hand: 100 images an epoch
    assert window.progress_text() == shown


def test_each_nodes_weight_picture_is_scaled_by_its_own_largest_weight():
    from myonn.inside import NEGATIVE, POSITIVE
    from myonn.windows import watch

    pygame.display.init()
    try:
        network = NeuralNetwork(784, 4, 10, seed=0)
        network.wih[:] = 0
        network.wih[0, 100], network.wih[0, 200] = 5.0, -5.0  # a strong node
        network.wih[1, 100], network.wih[1, 200] = 0.05, -0.05  # a weak one, a hundred times weaker
        window = watch.TrainingWindow()
        window.network = network
        cell = 28 + watch.GAP
        side = 2 * cell - watch.GAP  # 4 nodes: a 2 x 2 grid at its own size (no scaling)
        surface = pygame.Surface((side, side))
        window.draw_weights(surface, pygame.Rect(0, 0, side, side))
        for node, (left, top) in enumerate([(0, 0), (cell, 0)]):
            # Pixel 100 is row 3, column 16; pixel 200 row 7, column 4 (28 to a row).
            assert tuple(surface.get_at((left + 16, top + 3)))[:3] == POSITIVE, node
            assert tuple(surface.get_at((left + 4, top + 7)))[:3] == NEGATIVE, node
    finally:
        pygame.display.quit()


def test_q_closes_the_watch_window_after_the_run(monkeypatch):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    try:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=0, unicode="q"))
        fired = []
        timer = threading.Timer(10, lambda: fired.append(1) or pygame.event.post(pygame.event.Event(pygame.QUIT)))
        timer.start()
        window.wait_until_closed()
        timer.cancel()
        assert fired == []  # Q itself closed it
    finally:
        window.close()


@pytest.mark.parametrize(
    "value, ceiling",
    [(0.3, 0.3), (0.31, 0.5), (2.0, 2.0), (2.3026, 3.0), (7.6, 10.0), (1.0, 1.0), (0.0012, 0.0015), (0.0, 1.0)],
)
def test_an_axis_top_is_the_next_round_value_and_a_round_value_stays(value, ceiling):
    from myonn.windows.curves import nice_ceiling

    # By the definition: the smallest of 1, 1.5, 2, 3, 5, 7.5 or 10 times a power of ten at least `value`.
    assert nice_ceiling(value) == pytest.approx(ceiling)


@pytest.mark.parametrize("epochs", [1, 25, 60, 61, 100])
def test_the_curves_are_drawn_for_any_number_of_epochs_across_the_whole_axis(epochs):
    from myonn.training import EpochReport
    from myonn.windows.curves import LOSS_COLOUR, draw_plot

    pygame.font.init()
    per_epoch = 1000
    curves = LearningCurves(epochs, per_epoch)
    for epoch in range(1, epochs + 1):
        for _ in range(10):
            curves.step(100, loss=1.0 / epoch, right=90, rate=0.3)
        curves.epoch_done(EpochReport(epoch, 1.0 / epoch, 0.9, 0.9, 1.0, 0.3))
    picture = pixels(draw_plot(curves, ["title"]))
    loss_columns = np.flatnonzero((np.abs(picture.astype(int) - LOSS_COLOUR).sum(axis=2) < 30).any(axis=0))
    # The loss curve runs from the first epoch's points to the last: across most of the chart's width.
    assert loss_columns.size and loss_columns[-1] - loss_columns[0] > 0.8 * (picture.shape[1] - 32 - 120)


def pixels(surface):
    """The surface as an array of rows: uint8 (height, width, 3)."""
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def test_a_plot_that_cannot_be_written_after_training_is_one_line_and_leaves_the_old_picture(tmp_path, monkeypatch):
    from myonn.plumbing.errors import MyonnError
    from myonn.windows import curves as curves_module

    pygame.font.init()
    path = tmp_path / "curves.png"
    path.write_bytes(b"the learner's earlier plot")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(curves_module.pygame.image, "save", full_disk)
    with pytest.raises(MyonnError) as refusal:
        curves_module.save_plot(LearningCurves(1, 100), ["title"], path)
    assert str(refusal.value) == f"{path}: cannot write the plot (No space left on device)"
    assert path.read_bytes() == b"the learner's earlier plot"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curves.png"]  # no temporary file left


# ---- what the watch window says and where it draws it ----------------------------------------


def text_at(surface, words, size, colour, at, background):
    """Whether `words`, rendered by pygame's font at `size` in `colour` (smoothed), is drawn at `at`."""
    from myonn.windows.curves import font

    rendered = font(size).render(words, True, colour)
    expected = pygame.Surface(rendered.get_size())
    expected.fill(background)
    expected.blit(rendered, (0, 0))
    region = surface.subsurface(pygame.Rect(at, rendered.get_size()))
    return np.array_equal(pygame.surfarray.array3d(region), pygame.surfarray.array3d(expected))


def test_the_time_left_is_the_images_left_at_the_rate_since_the_first_batch(monkeypatch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(10, 1000)  # 10,000 images in all
    window.curves.images_done = 2600
    window.started, window.counted_from = 100.0, 600  # the first batch ended at 100 s, 600 images in
    monkeypatch.setattr(watch.time, "perf_counter", lambda: 104.0)
    # 2,000 images in the 4 s since: 500 a second; 7,400 left: 14.8 s, said as "about 15 s".
    assert window.progress_text() == "epoch 3/10    500 images/s    about 15 s left"
    monkeypatch.setattr(watch.time, "perf_counter", lambda: 100.5)  # under a second: 4,000 a second
    assert window.progress_text() == "epoch 3/10    4,000 images/s    about 2 s left"


def test_before_any_image_after_the_first_batch_no_rate_is_guessed():
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(2, 100)
    window.curves.images_done = 64
    window.started, window.counted_from = 1.0, 64
    assert window.progress_text() == "epoch 1/2"


def test_the_first_batch_ends_the_status_line_and_starts_the_clock(monkeypatch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(2, 100)
    window.status = "preparing the images..."
    monkeypatch.setattr(watch.time, "perf_counter", lambda: 50.0)
    window.step(32, 2.3, 3, 0.3)
    assert window.status is None and window.started == 50.0 and window.counted_from == 32


def test_a_frame_is_drawn_once_its_interval_has_passed_and_not_before(monkeypatch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    window.curves = LearningCurves(2, 1000)
    window.started, window.last_drawn, window.interval = 0.0, 10.0, 0.25
    drawn = []
    monkeypatch.setattr(window, "refresh", lambda now=None: drawn.append(now))
    for now in (10.1, 10.249, 10.25, 10.3):
        monkeypatch.setattr(watch.time, "perf_counter", lambda now=now: now)
        window.step(10, 1.0, 5, 0.3)
        if drawn:
            window.last_drawn = drawn[-1]
    assert drawn == [10.25]  # exactly an interval after the last frame, then not again so soon


def test_the_palette_runs_from_blue_through_white_to_red(monkeypatch):
    from myonn.inside import NEGATIVE, NEUTRAL, POSITIVE
    from myonn.windows import watch

    monkeypatch.setattr(watch, "_palette", [])  # made here, not kept from an earlier test
    colours = watch.palette()
    assert len(colours) == watch.PALETTE_STEPS
    assert tuple(colours[0]) == NEGATIVE and tuple(colours[-1]) == POSITIVE
    assert tuple(colours[watch.PALETTE_STEPS // 2]) == NEUTRAL
    # A quarter of the way up: halfway from blue to white, as myonn.inside mixes them.
    quarter = colours[round((watch.PALETTE_STEPS - 1) / 4)]
    assert np.allclose(quarter, (np.array(NEGATIVE) + np.array(NEUTRAL)) / 2, atol=2)


@pytest.fixture(params=[(1000, 600)])
def drawn_window(request):
    """A watch window drawn off screen (1000 x 600 unless asked): a 16-node network, after 30 of 200 images."""
    from myonn.windows import watch

    pygame.display.init()
    pygame.font.init()
    window = watch.TrainingWindow()
    window.offscreen(request.param)
    window.follow(NeuralNetwork(784, 16, 10, seed=3), LearningCurves(2, 100), "784-16-10 on 100 images")
    window.curves.step(30, 2.0, 4, 0.3)
    window.status = None
    window.draw(window.surface)
    yield window
    pygame.quit()


@pytest.mark.parametrize("drawn_window", [(1200, 720)], indirect=True)  # the window's own size
def test_the_progress_and_the_heading_are_written_at_the_top_left(drawn_window):
    from myonn.windows import watch

    surface = drawn_window.surface
    assert text_at(surface, "epoch 1/2", 30, watch.TEXT, (16, 12), watch.BACKGROUND)
    assert text_at(surface, "784-16-10 on 100 images", 22, watch.FAINT, (16, 42), watch.BACKGROUND)
    words = "each hidden node's weights: red, ink there excites it; blue, ink there calms it"
    assert text_at(surface, words, 22, watch.TEXT, (16, 70), watch.BACKGROUND)


def test_in_a_narrow_window_the_caption_is_smaller_and_ends_before_the_curves_panel(drawn_window):
    from myonn.windows import watch

    pixels = pygame.surfarray.array3d(drawn_window.surface).transpose(1, 0, 2)
    ink = np.nonzero((pixels[70:92] == watch.TEXT).all(axis=2).any(axis=0))[0]
    panel_left = 16 + 490 + 24
    assert ink.max() < panel_left - 4 and ink.max() - ink.min() > 0.8 * 490


def test_a_status_takes_the_progress_line_s_place_until_training_starts(drawn_window):
    from myonn.windows import watch

    drawn_window.finished("finished: test accuracy 12.34%  (ESC closes the window)")
    drawn_window.draw(drawn_window.surface)
    words = "finished: test accuracy 12.34%  (ESC closes the window)"
    assert text_at(drawn_window.surface, words, 30, watch.TEXT, (16, 12), watch.BACKGROUND)


def test_the_weights_fill_a_square_under_their_caption_and_the_curves_a_panel_to_the_right(drawn_window):
    from myonn.windows import watch

    pixels = pygame.surfarray.array3d(drawn_window.surface).transpose(1, 0, 2)
    # 600 high: the square is 600 - 70 - 40 = 490 a side (narrower than half of 1000), from (16, 94).
    # 16 nodes make a 4 x 4 sheet of 28-pixel pictures 2 apart: 118 x 118, scaled to fill it.
    sheet = ~(pixels == watch.BACKGROUND).all(axis=2)
    sheet[:94] = False  # the writing above it
    sheet[:, 16 + 490 :] = False  # the panel to the right
    ys, xs = np.nonzero(sheet)
    assert (xs.min(), ys.min()) == (16, 94)
    assert xs.max() - xs.min() + 1 == ys.max() - ys.min() + 1 == int(118 * (490 / 118))  # as scaled: 489
    # The panel: 24 to the right of the square, 70 down, to 16 from the right edge and 12 from the bottom.
    panel = (pixels == watch.PANEL).all(axis=2)
    panel_ys, panel_xs = np.nonzero(panel[:, 16 + 490 :])
    assert panel_xs.min() + 16 + 490 == 16 + 490 + 24 and panel_xs.max() + 16 + 490 == 1000 - 16 - 1
    assert panel_ys.min() == 70 and panel_ys.max() == 600 - 12 - 1


def test_the_window_opens_no_larger_than_the_screen_and_resizable(opened_windows):
    from myonn.windows import watch

    desktop, opened = opened_windows
    window = watch.TrainingWindow()
    try:
        window.open()
        assert opened == [((950, 540), pygame.RESIZABLE)]  # 95% of the screen's 1000 x 600 width, 90% of its height
        desktop.current_w = 0  # a display that does not say its size: the window's own
        window.open()
        assert opened[-1] == (watch.SIZE, pygame.RESIZABLE)
    finally:
        window.close()


def test_no_display_is_one_line_that_says_how_to_draw_without_one(monkeypatch):
    from myonn.plumbing.errors import MyonnError
    from myonn.windows import watch

    def no_display(*args, **kwargs):
        raise pygame.error("No available video device")

    monkeypatch.setattr(watch.display, "init_display", no_display)
    with pytest.raises(MyonnError) as raised:
        watch.TrainingWindow().open()
    assert str(raised.value) == "cannot open a window (No available video device); --screenshot PATH draws without one"


@pytest.mark.parametrize(
    "event, closes",
    [
        (pygame.event.Event(pygame.QUIT), True),
        (pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0), True),
        (pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=0), True),
        (pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0), False),
        (pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(5, 5)), False),
    ],
)
def test_after_the_run_only_closing_esc_or_q_ends_the_wait(monkeypatch, event, closes):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    try:
        events = [event, pygame.event.Event(pygame.QUIT)]  # then a QUIT, so that the wait ends in any case
        monkeypatch.setattr(pygame.event, "wait", lambda timeout=0: events.pop(0))
        window.wait_until_closed()
        assert (len(events) == 1) == closes
    finally:
        window.close()


def test_after_the_run_the_window_redraws_when_resized_or_uncovered_and_not_otherwise(monkeypatch):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    try:
        drawn = []
        monkeypatch.setattr(window, "draw", lambda surface: drawn.append(surface))
        events = [
            pygame.event.Event(pygame.WINDOWEXPOSED),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(5, 5)),
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0),
            pygame.event.Event(pygame.NOEVENT),
            pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(5, 5)),
            pygame.event.Event(pygame.VIDEORESIZE, size=(800, 600), w=800, h=600),
            pygame.event.Event(pygame.QUIT),
        ]
        monkeypatch.setattr(pygame.event, "wait", lambda timeout=0: events.pop(0))
        window.wait_until_closed()
        # Two of the six events uncover or resize the window; the other four change nothing.
        assert len(drawn) == 2 and all(surface is pygame.display.get_surface() for surface in drawn)
    finally:
        window.close()


def test_a_screenshot_into_folders_not_there_yet_makes_them(tmp_path):
    from myonn.windows import watch

    pygame.display.init()
    pygame.font.init()
    try:
        window = watch.TrainingWindow()
        window.offscreen((400, 300))
        path = tmp_path / "a" / "b" / "shot.png"
        window.save_frame(path)
        assert pygame.image.load(str(path)).get_size() == (400, 300)
    finally:
        pygame.quit()


def test_closing_the_window_says_it_is_no_longer_on_screen(monkeypatch):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    assert window.on_screen
    window.close()
    assert window.on_screen is False


def test_while_the_images_are_prepared_the_window_says_so_and_names_the_run(monkeypatch):
    from myonn.windows import watch

    window = watch.TrainingWindow()
    monkeypatch.setattr(window, "refresh", lambda now=None: None)
    assert window.status == "loading MNIST..."
    window.follow(NeuralNetwork(784, 8, 10), LearningCurves(1, 10), "784-8-10 on 10 images")
    assert window.status == "preparing the images..."
    assert window.caption() == "myonn: watch it learn (784-8-10 on 10 images)"


# ---- the --plot picture ----------------------------------------------------------------------


def test_the_plot_s_title_lines_are_centred_at_the_top_the_first_large_the_rest_faint():
    from myonn.windows.curves import FAINT, TEXT, draw_plot, font
    from myonn.windows.palette import PAPER

    pygame.font.init()
    title = ["test accuracy 97.50%", "784-200-10 on 60,000 images: 25 epochs"]
    picture = draw_plot(LearningCurves(2, 100), title, (800, 600))
    first, second = font(30).render(title[0], True, TEXT), font(22).render(title[1], True, FAINT)
    assert text_at(picture, title[0], 30, TEXT, ((800 - first.get_width()) // 2, 12), PAPER)
    below = 12 + first.get_height() + 4
    assert text_at(picture, title[1], 22, FAINT, ((800 - second.get_width()) // 2, below), PAPER)


def test_the_plot_s_charts_start_under_the_title_16_pixels_from_the_edges(tmp_path):
    from myonn.windows.curves import draw_curves, draw_plot, font
    from myonn.windows.palette import PAPER

    pygame.font.init()
    curves = LearningCurves(3, 100)
    for epoch in range(1, 4):
        for _ in range(4):
            curves.step(25, 1.0 / epoch, 20, 0.3)
        curves.epoch_done(EpochReport(epoch, 1.0 / epoch, 0.8, 0.9, 1.0, 0.3))
    picture = draw_plot(curves, ["one line"], (700, 500))
    top = 12 + font(30).get_height() + 4 + 12
    expected = pygame.Surface((700, 500))
    expected.fill(PAPER)
    draw_curves(expected, pygame.Rect(16, top, 700 - 32, 500 - top - 12), curves)
    below = pygame.Rect(0, top, 700, 500 - top)
    assert np.array_equal(pixels(picture.subsurface(below)), pixels(expected.subsurface(below)))


def test_save_plot_draws_at_the_size_asked_into_folders_it_makes(tmp_path):
    from myonn.windows.curves import save_plot

    pygame.font.init()
    path = tmp_path / "plots" / "run 1" / "curves.png"
    save_plot(LearningCurves(1, 100), ["title"], path, size=(640, 480))
    assert pygame.image.load(str(path)).get_size() == (640, 480)


def test_a_plot_pygame_cannot_encode_is_one_line_with_pygame_s_reason(tmp_path, monkeypatch):
    from myonn.plumbing.errors import MyonnError
    from myonn.windows import curves as curves_module

    pygame.font.init()

    def cannot_encode(*args, **kwargs):
        raise pygame.error("Unsupported image format")

    monkeypatch.setattr(curves_module.pygame.image, "save", cannot_encode)
    path = tmp_path / "curves.png"
    with pytest.raises(MyonnError) as refusal:
        curves_module.save_plot(LearningCurves(1, 100), ["title"], path)
    assert str(refusal.value) == f"{path}: cannot write the plot (Unsupported image format)"


def test_the_curves_show_the_stretch_in_progress_for_loss_and_training_accuracy_only():
    curves = LearningCurves(4, 1000)  # stretches of 1000 / ceil(60 / 4) = 67, at least 100 images
    curves.step(40, 2.0, 10, 0.3)
    curves.step(20, 1.0, 14, 0.3)  # 60 images so far: a stretch still in progress
    # By hand: loss (2.0 x 40 + 1.0 x 20) / 60 = 5/3; right (10 + 14) / 60 = 0.4; at x = 60 / 1000.
    assert curves.points("loss") == [(0.06, pytest.approx(5 / 3))]
    assert curves.points("train_accuracy") == [(0.06, pytest.approx(0.4))]
    assert curves.points("test_accuracy") == []
    assert curves.points("learning_rate") == [(0.0, 0.3), (0.04, 0.3)]  # where each batch began


@pytest.mark.parametrize(
    "value, percent, label",
    [(0.975, True, "97.5%"), (1.0, True, "100%"), (0.25, False, "0.25"), (80000.0, False, "80,000")],
)
def test_an_axis_label_reads_as_a_learner_writes_it(value, percent, label):
    from myonn.windows.curves import _label

    assert _label(value, percent) == label


def test_a_chart_s_title_is_its_coloured_words_one_after_another_at_its_top_left():
    from myonn.windows.curves import TEST_COLOUR, TRAIN_COLOUR, draw_panel, font

    pygame.font.init()
    surface = pygame.Surface((500, 300))
    surface.fill((255, 255, 255))
    words = [("accuracy: ", (30, 30, 30)), ("training images", TRAIN_COLOUR), ("  test images", TEST_COLOUR)]
    draw_panel(surface, pygame.Rect(10, 20, 480, 260), words, [], (0, 5), (0.9, 1.0), percent=True)
    x = 10
    for text, colour in words:
        assert text_at(surface, text, 20, colour, (x, 20), (255, 255, 255)), text
        x += font(20).size(text)[0]


@pytest.mark.parametrize("height, top, most", [(100, 0.6, 3), (220, 0.85, 5), (400, 1.1, 6)])
def test_a_chart_has_a_tick_for_every_40_whole_pixels_of_its_height_from_3_to_6(height, top, most):
    # The ranges are chosen so that one more or one less tick asked for changes the step.
    from myonn.windows.curves import GRID, draw_panel

    pygame.font.init()
    surface = pygame.Surface((400, height))
    surface.fill((255, 255, 255))
    draw_panel(surface, pygame.Rect(0, 0, 400, height), [("loss", (0, 0, 0))], [], (0, 10), (0.0, top))
    column = pixels(surface)[:, 200]  # a grid line crosses the plot at each tick but the lowest, the axis
    grid_rows = int((column == GRID).all(axis=1).sum())
    assert grid_rows == len(nice_ticks(0.0, top, most=most)) - 1


@pytest.fixture
def panel():
    """A chart drawn by draw_panel in (20, 30, 500, 300) with the default text size (20), and what it was given."""
    from myonn.windows.curves import draw_panel

    pygame.font.init()
    surface = pygame.Surface((560, 360))
    surface.fill((255, 255, 255))
    colour = (200, 0, 200)
    points = [(0.0, 0.0), (2.0, 0.3), (5.0, 0.5), (10.0, 1.0)]
    rect = pygame.Rect(20, 30, 500, 300)
    draw_panel(surface, rect, [("loss", (0, 0, 120))], [(points, colour)], (0, 10), (0.0, 1.0), x_label="epoch")
    return surface, rect, points, colour


def panel_layout(rect, y_ticks):
    """Where draw_panel's plot goes, by its layout: a line of title (20 + 4) above, the widest tick
    label + 8 to the left, 8 to the right, and two lines of text (20 each) + 4 below."""
    from myonn.windows.curves import _label, font

    tick_width = max(font(20).size(_label(t, False))[0] for t in y_ticks)
    return pygame.Rect(rect.left + tick_width + 8, rect.top + 24, rect.width - tick_width - 16, rect.height - 24 - 44)


def test_a_chart_puts_each_point_where_its_value_falls_between_the_axes(panel):
    from myonn.windows.curves import AXIS

    surface, rect, points, colour = panel
    y_ticks = nice_ticks(0.0, 1.0, most=6)  # 300 pixels high: 6 ticks at most
    plot = panel_layout(rect, y_ticks)
    for px, py in points:
        x = round(plot.left + px / 10 * plot.width)
        y = round(plot.bottom - py * plot.height)
        assert tuple(surface.get_at((x, y)))[:3] == colour, (px, py)  # each point is marked (a few points)
    assert tuple(surface.get_at((plot.left, plot.centery)))[:3] == AXIS  # the value axis
    assert tuple(surface.get_at((plot.right - 3, plot.bottom)))[:3] == AXIS  # the epoch axis
    assert tuple(surface.get_at((plot.left - 1, plot.centery)))[:3] != AXIS  # and nowhere left of it


def test_a_chart_labels_its_ticks_beside_and_under_the_axes(panel):
    from myonn.windows.curves import FAINT, TEXT, font

    surface, rect, points, colour = panel
    plot = panel_layout(rect, nice_ticks(0.0, 1.0, most=6))
    for tick in (0.2, 0.6, 1.0):
        label = f"{tick:.4g}"
        width, height = font(20).size(label)
        y = round(plot.bottom - tick * plot.height)
        assert text_at(surface, label, 20, FAINT, (plot.left - 6 - width, y - height // 2), (255, 255, 255)), label
    x_ticks = nice_ticks(0, 10, most=max(2, min(11, plot.width // 50)))
    for tick in x_ticks[1:-1]:  # inside the axis (the ends may run into the edges)
        label = f"{tick:g}"
        x = round(plot.left + tick / 10 * plot.width)
        assert text_at(surface, label, 20, FAINT, (x - font(20).size(label)[0] // 2, plot.bottom + 5), (255, 255, 255))
    width = font(20).size("epoch")[0]
    assert text_at(surface, "epoch", 20, TEXT, (plot.centerx - width // 2, plot.bottom + 25), (255, 255, 255))
    assert text_at(surface, "loss", 20, (0, 0, 120), (rect.left, rect.top), (255, 255, 255))


@pytest.mark.parametrize("room, drawn", [(10, True), (9, False)])
def test_a_chart_too_small_to_read_draws_only_its_title(room, drawn):
    from myonn.windows.curves import AXIS, draw_panel

    pygame.font.init()
    rect_height = 24 + room + 24  # title line, the plot, one line of tick labels + 4
    surface = pygame.Surface((400, rect_height))
    surface.fill((255, 255, 255))
    draw_panel(surface, pygame.Rect(0, 0, 400, rect_height), [("rate", (0, 0, 0))], [], (0, 5), (0.0, 1.0))
    has_axis = bool((pixels(surface) == AXIS).all(axis=2).any())
    assert has_axis == drawn


def test_a_point_beyond_the_axis_is_left_out_not_drawn_at_its_edge():
    from myonn.windows.curves import draw_panel

    pygame.font.init()
    surface = pygame.Surface((400, 300))
    surface.fill((255, 255, 255))
    colour = (0, 160, 0)
    draw_panel(surface, pygame.Rect(0, 0, 400, 300), [("x", (0, 0, 0))], [([(1.0, 2.0)], colour)], (0, 2), (0.0, 1.0))
    assert not (pixels(surface) == colour).all(axis=2).any()


def test_a_frame_drawn_at_a_moment_counts_from_that_moment():
    from myonn.windows import watch

    window = watch.TrainingWindow()  # not on screen: nothing to draw, only the clock to set
    window.refresh(123.0)
    assert window.last_drawn == 123.0


def test_before_it_knows_what_it_watches_the_window_draws_only_its_status():
    from myonn.windows import watch

    pygame.display.init()
    pygame.font.init()
    try:
        window = watch.TrainingWindow()
        window.offscreen((800, 500))
        window.network = NeuralNetwork(784, 4, 10)  # a network, but no curves yet
        window.draw(window.surface)
        assert text_at(window.surface, "loading MNIST...", 30, watch.TEXT, (16, 12), watch.BACKGROUND)
        below = pixels(window.surface)[60:]
        assert (below == watch.BACKGROUND).all()
    finally:
        pygame.quit()


def test_a_sheet_wider_than_tall_fills_the_width_of_its_square(monkeypatch):
    from myonn.windows import watch

    pygame.display.init()
    try:
        window = watch.TrainingWindow()
        window.network = NeuralNetwork(784, 10, 10, seed=1)  # 10 nodes: 4 columns of 3 rows
        surface = pygame.Surface((300, 300))
        surface.fill(watch.BACKGROUND)
        window.draw_weights(surface, pygame.Rect(0, 0, 300, 300))
        ys, xs = np.nonzero(~(pixels(surface) == watch.BACKGROUND).all(axis=2))
        sheet_w, sheet_h = 4 * 30 - 2, 3 * 30 - 2  # 28-pixel pictures 2 apart
        assert xs.max() + 1 == int(sheet_w * (300 / sheet_w))  # the width filled
        assert ys.max() + 1 <= int(sheet_h * (300 / sheet_w)) + 1  # the height in proportion
    finally:
        pygame.quit()


def test_a_screenshot_of_a_window_on_screen_is_the_window_s_frame(monkeypatch, tmp_path):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    try:
        path = tmp_path / "shot.png"
        window.save_frame(path)
        assert pygame.image.load(str(path)).get_size() == pygame.display.get_surface().get_size()
    finally:
        window.close()


def test_the_curves_fill_their_panel_6_pixels_in_from_each_side(drawn_window):
    from myonn.windows import watch
    from myonn.windows.curves import draw_curves

    right = pygame.Rect(16 + 490 + 24, 70, 1000 - (16 + 490) - 40, 600 - 70 - 12)
    expected = pygame.Surface((1000, 600))
    expected.fill(watch.PANEL)
    draw_curves(expected, right.inflate(-12, -12), drawn_window.curves)
    assert np.array_equal(pixels(drawn_window.surface.subsurface(right)), pixels(expected.subsurface(right)))
