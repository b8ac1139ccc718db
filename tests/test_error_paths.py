"""The error paths no other test reaches in this process: each failure made to happen, and what follows checked.

Each test forces one `except` of the package (a file that cannot be read, a folder
that cannot be synced, a display that is not there, a library that will not load)
and checks the one-line message, or that the program goes on as it should, with
nothing the learner had lost or left half-written.
"""

from __future__ import annotations

import os

import numpy as np
import pygame
import pytest

from myonn import NeuralNetwork
from myonn.plumbing.errors import DataFileError, ModelFileError, MyonnError


# ---- model files ---------------------------------------------------------------------------


def test_a_model_file_that_cannot_be_read_says_so_in_one_line(tmp_path, monkeypatch):
    from myonn import model_file

    path = tmp_path / "mine.npz"
    NeuralNetwork(784, 8, 10).save(path)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(model_file.np, "load", denied)  # as root, chmod would not stop the read
    with pytest.raises(ModelFileError) as refusal:
        model_file.load(path)
    assert str(refusal.value) == f"{path}: cannot be read (Permission denied); {model_file.HOW_TO_TRAIN}"
    assert path.exists()


def test_a_file_that_cannot_be_opened_does_not_start_like_a_saved_model(tmp_path):
    from myonn.model_file import _starts_like_a_zip

    assert _starts_like_a_zip(tmp_path) is False  # a folder: opening it fails
    zipped = tmp_path / "a.npz"
    NeuralNetwork(784, 8, 10).save(zipped)
    assert _starts_like_a_zip(zipped) is True


# ---- the cores ------------------------------------------------------------------------------


def test_a_blas_library_that_will_not_load_is_passed_over(tmp_path, monkeypatch):
    from myonn.plumbing import cores

    broken = tmp_path / "libopenblas_broken.so"
    broken.write_bytes(b"not a shared library")
    monkeypatch.setattr(cores, "_loaded_libraries", lambda: [broken])
    monkeypatch.setattr(cores, "_bundled_with", lambda numpy: [])
    blas = cores.Blas.find()
    assert not blas.can_set and blas.threads() is None
    blas.use(2)  # a BLAS it cannot set: nothing happens, nothing fails


def test_without_proc_self_maps_no_library_is_listed(monkeypatch):
    from pathlib import Path

    from myonn.plumbing import cores

    real_read_text = Path.read_text

    def unreadable(self, *args, **kwargs):
        if str(self) == "/proc/self/maps":
            raise OSError(2, "No such file or directory")
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", unreadable)
    assert cores._loaded_libraries() == []


# ---- files written whole --------------------------------------------------------------------


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_folder_that_cannot_be_opened_to_sync_still_gets_the_whole_file(tmp_path, monkeypatch):
    from myonn.plumbing import files

    real_open = os.open

    def no_folders(path, flags, *args):
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied")  # as Windows: a folder cannot be opened
        return real_open(path, flags, *args)

    monkeypatch.setattr(files.os, "open", no_folders)
    before = open_descriptors()
    with files.atomic_write(tmp_path / "weights.bin") as out:
        out.write(b"all of it")
    assert (tmp_path / "weights.bin").read_bytes() == b"all of it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weights.bin"]
    assert open_descriptors() == before


def test_a_folder_that_cannot_be_synced_still_gets_the_whole_file_and_is_closed(tmp_path, monkeypatch):
    from myonn.plumbing import files

    real_fsync = os.fsync
    synced = []

    def folder_fails(descriptor):
        synced.append(descriptor)
        if len(synced) == 2:  # the first is the file's own, the second the folder's
            raise OSError(22, "Invalid argument")
        return real_fsync(descriptor)

    monkeypatch.setattr(files.os, "fsync", folder_fails)
    before = open_descriptors()
    with files.atomic_write(tmp_path / "weights.bin") as out:
        out.write(b"all of it")
    assert len(synced) == 2
    assert (tmp_path / "weights.bin").read_bytes() == b"all of it"
    assert open_descriptors() == before  # the folder's descriptor closed even so


# ---- saving a trained network ---------------------------------------------------------------


def refusing(monkeypatch, *refused):
    """os.access as a user, not root, would find it: `refused` paths are not writable, all else is."""
    from myonn.plumbing import saving

    def access(path, mode):
        assert mode == os.W_OK
        return os.fspath(path) not in {os.fspath(p) for p in refused}

    monkeypatch.setattr(saving.os, "access", access)  # as root, every file looks writable


def test_a_picture_into_a_folder_is_refused(tmp_path):
    from myonn.plumbing.saving import unwritable

    assert unwritable(tmp_path) == f"{tmp_path} is a folder, not a file"


def test_a_picture_under_a_file_or_into_a_folder_not_writable_is_refused(tmp_path, monkeypatch):
    from myonn.plumbing.saving import unwritable

    (tmp_path / "notes.txt").write_text("mine")
    assert (
        unwritable(tmp_path / "notes.txt" / "deeper" / "plot.png")
        == f"{tmp_path / 'notes.txt'} is a file, not a folder"
    )
    assert unwritable(tmp_path / "new" / "deeper" / "plot.png") is None  # missing folders are made
    refusing(monkeypatch, tmp_path)
    assert unwritable(tmp_path / "new" / "plot.png") == f"cannot write into {tmp_path}"


def test_a_picture_over_a_file_not_writable_is_refused_and_the_file_kept(tmp_path, monkeypatch):
    from myonn.plumbing.saving import unwritable

    plot = tmp_path / "plot.png"
    plot.write_bytes(b"an older plot")
    assert unwritable(plot) is None
    refusing(monkeypatch, plot)  # the folder takes new files; this one may not be replaced
    assert unwritable(plot) == f"cannot write into {tmp_path}"
    assert unwritable(tmp_path / "another.png") is None
    assert plot.read_bytes() == b"an older plot"


def test_an_output_that_is_not_a_network_is_refused_unless_forced(tmp_path):
    from myonn.plumbing.saving import unsaveable

    notes = tmp_path / "notes.npz"
    notes.write_text("the learner's notes, not a network")
    refusal = unsaveable(notes, force=False)
    assert (
        refusal == f"{notes} is not a network this program made; give another file name, or add --force to replace it"
    )
    assert unsaveable(notes, force=True) is None
    assert notes.read_text() == "the learner's notes, not a network"


def test_forced_over_a_file_that_is_not_a_network_the_new_one_is_saved_there(tmp_path, small_model, test_set):
    from myonn.plumbing.saving import save_without_spoiling

    notes = tmp_path / "notes.npz"
    notes.write_text("not a network")
    network = NeuralNetwork.load(small_model_path_of(small_model, tmp_path))
    network.metadata["test_accuracy"] = 0.93
    lines, beside = save_without_spoiling(network, notes, test_set[0][:100], test_set[1][:100], force=True)
    assert not beside
    assert lines[:2] == [f"saved the new network (93.00% right) to {notes},", "in place of the one that was there"]
    assert np.array_equal(NeuralNetwork.load(notes).wih, network.wih)


def small_model_path_of(network: NeuralNetwork, folder) -> os.PathLike:
    """`network` saved in `folder`, to load a copy the test may change."""
    path = folder / "copy.npz"
    network.save(path)
    return path


# ---- taught digits --------------------------------------------------------------------------


def test_taught_digits_that_cannot_be_saved_are_one_line_and_stay_as_they_were(tmp_path):
    from myonn.teaching import TaughtDigits

    blocker = tmp_path / "a file"
    blocker.write_text("where the folder should be")
    digits = TaughtDigits(blocker / "my_digits")
    with pytest.raises(DataFileError) as refusal:
        digits.append(np.zeros((28, 28), np.uint8), 3)
    assert str(refusal.value).startswith(f"{blocker / 'my_digits'}: cannot save the taught digits there (")
    assert len(digits) == 0 and blocker.read_text() == "where the folder should be"


# ---- windows without a display ---------------------------------------------------------------


@pytest.mark.parametrize("resizable", [True, False])  # the browser and the watch window; the drawing window
def test_a_window_without_a_display_is_one_line_that_says_how_to_draw_without_one(monkeypatch, resizable):
    from myonn.windows import display

    def no_display():
        raise pygame.error("No available video device")

    monkeypatch.setattr(display, "init_display", no_display)
    with pytest.raises(MyonnError) as refusal:
        display.open_window((560, 600), "a window", resizable)
    assert str(refusal.value) == "cannot open a window (No available video device); --screenshot PATH draws without one"


def test_the_drawing_window_opens_at_its_own_size_whatever_the_screen(opened_windows):
    from myonn.windows import display

    desktop, opened = opened_windows
    desktop.current_w, desktop.current_h = 400, 300  # a screen smaller than the window
    display.open_window((778, 544), "myonn: draw a digit", resizable=False)
    assert opened == [((778, 544), 0)]
    assert pygame.display.get_caption()[0] == "myonn: draw a digit"


def test_ctrl_c_while_the_watch_window_waits_after_the_run_just_ends_the_wait(monkeypatch):
    from myonn.windows import watch

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    window = watch.TrainingWindow()
    window.open()
    try:

        def interrupted(timeout=0):
            raise KeyboardInterrupt

        monkeypatch.setattr(pygame.event, "wait", interrupted)
        window.wait_until_closed()  # returns, without a traceback
        assert window.on_screen
    finally:
        window.close()


def test_the_temporary_file_of_a_killed_save_is_removed_by_a_later_save_once_stale(tmp_path):
    import time

    from myonn.plumbing import files

    path = tmp_path / "my_nn.npz"
    killed = tmp_path / ".my_nn.npz.0badc0de.tmp"  # what a save killed outright leaves
    killed.write_bytes(b"half a model")
    at_work = tmp_path / ".my_nn.npz.5afe5afe.tmp"  # another save, still writing it
    at_work.write_bytes(b"a model being written")
    other = tmp_path / ".notes.npz.0badc0de.tmp"  # another file's: not this save's business
    other.write_bytes(b"x")
    old = time.time() - files.STALE_SECONDS - 5
    os.utime(killed, (old, old))
    os.utime(other, (old, old))
    NeuralNetwork(784, 4, 10).save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, at_work.name, "my_nn.npz"])


@pytest.mark.parametrize("option", ["--plot", "--output"])
def test_a_place_where_no_file_can_be_made_is_refused_before_training(option, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT, one_message

    # /proc takes no new files, even from root, whom every folder lets write.
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "mnist_train.py"),
            option,
            "/proc/curves.png" if option == "--plot" else "/proc/x.npz",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert one_message(result.stderr)
    assert f"argument {option}: cannot write into /proc (" in " ".join(result.stderr.split())
    assert "training" not in result.stdout


def test_a_stale_temporary_file_that_cannot_be_removed_does_not_stop_the_save(tmp_path, monkeypatch):
    import time
    from pathlib import Path

    from myonn.plumbing import files

    stale = tmp_path / ".my_nn.npz.0badc0de.tmp"
    stale.write_bytes(b"someone else's")
    old = time.time() - files.STALE_SECONDS - 5
    os.utime(stale, (old, old))
    real_unlink = Path.unlink

    def refuse(self, *args, **kwargs):
        if self == stale:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    NeuralNetwork(784, 4, 10).save(tmp_path / "my_nn.npz")
    assert (tmp_path / "my_nn.npz").exists() and stale.exists()


def test_a_folder_that_takes_no_new_file_is_said_with_the_system_s_reason():
    from pathlib import Path

    from myonn.plumbing.saving import cannot_create_in

    said = cannot_create_in(Path("/proc"))
    assert said.startswith("cannot write into /proc (") and said.endswith(")")


def test_undoing_every_lesson_keeps_the_folder_if_the_learner_put_something_else_there(
    small_model_path, tmp_path, train_set, test_set
):
    from myonn.teaching import Teacher

    folder = tmp_path / "my_digits"
    teacher = Teacher(
        NeuralNetwork.load(small_model_path),
        small_model_path,
        folder=folder,
        save_to=tmp_path / "taught.npz",
        mnist_digits=train_set,
    )
    teacher.teach(test_set[0][0], int(test_set[1][0]))
    (folder / "notes.txt").write_text("the learner's")
    teacher.undo()
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert not (tmp_path / "taught.npz").exists()


# ---- is there a screen to show a window on? -----------------------------------------------


@pytest.mark.parametrize(
    "platform, environment, refused",
    [
        ("linux", {}, True),
        ("freebsd13", {}, True),
        ("openbsd7", {}, True),
        ("netbsd9", {}, True),
        ("linux", {"DISPLAY": ":0"}, False),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
        ("linux", {"SDL_VIDEODRIVER": "x11"}, False),  # asked for: SDL says if it cannot
        ("darwin", {}, False),
        ("win32", {}, False),
    ],
)
def test_without_a_display_a_window_is_refused_before_sdl_starts(monkeypatch, platform, environment, refused):
    from myonn.windows import display

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(display.sys, "platform", platform)
    started = []
    monkeypatch.setattr(display.pygame.display, "init", lambda: started.append(True))
    monkeypatch.setattr(display, "require_display", lambda: None)
    if refused:
        with pytest.raises(MyonnError, match="^cannot open a window: no display found"):
            display.init_display()
        assert not started
    else:
        display.init_display()
        assert started


@pytest.mark.parametrize(
    "driver, asked, refused",
    [
        ("offscreen", None, True),
        ("dummy", None, True),
        ("dummy", "dummy", False),
        ("offscreen", "offscreen", False),
        ("x11", None, False),
        ("windows", None, False),
    ],
)
def test_an_invisible_driver_sdl_fell_back_to_is_no_display(monkeypatch, driver, asked, refused):
    from myonn.windows import display

    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    if asked:
        monkeypatch.setenv("SDL_VIDEODRIVER", asked)
    monkeypatch.setattr(display.pygame.display, "get_driver", lambda: driver)
    if refused:
        with pytest.raises(MyonnError) as refusal:
            display.require_display()
        assert str(refusal.value) == display.NO_DISPLAY
    else:
        display.require_display()


# ---- work on another thread, one run at a time ----------------------------------------------


def test_work_runs_on_a_daemon_thread_of_its_name_and_again_once_done(monkeypatch):
    import threading

    from myonn.one_run import OneRunAtATime

    threads, done = [], threading.Event()

    def work():
        threads.append(threading.current_thread())
        return len(threads)

    results = []
    runner = OneRunAtATime(work, lambda result: results.append(result) or done.set(), name="reminders")
    runner.start()
    assert done.wait(10)
    threads[0].join(10)
    done.clear()
    runner.start()  # the first run is over: a new one, not a wait for a run under way
    assert done.wait(10)
    assert results == [1, 2]
    assert all(t.name == "reminders" and t.daemon for t in threads)


def test_work_that_gives_nothing_hands_nothing_over():
    import threading

    from myonn.one_run import OneRunAtATime

    ran = threading.Event()
    handed = []
    runner = OneRunAtATime(lambda: ran.set(), handed.append)
    runner.start()
    assert ran.wait(10)
    for thread in threading.enumerate():
        if thread.name == "work":
            thread.join(10)
    assert handed == []


def test_a_display_without_a_crosshair_cursor_keeps_its_arrow_and_the_window_opens(
    opened_windows, small_model_path, monkeypatch
):
    import mnist_draw

    _, opened = opened_windows
    asked, shown = [], []

    def no_such_cursor(cursor):
        asked.append(cursor)
        raise pygame.error("cursor not available")

    class Idle:  # the background learning of "not a digit" is not what this test is about
        def __init__(self, *args):
            self.start = lambda: None

    monkeypatch.setattr(pygame.mouse, "set_cursor", no_such_cursor)
    monkeypatch.setattr(mnist_draw, "InBackground", Idle)
    monkeypatch.setattr(mnist_draw, "run_window", lambda window: shown.append(window))
    assert mnist_draw.main(["--model", str(small_model_path)]) == 0
    assert asked == [pygame.SYSTEM_CURSOR_CROSSHAIR]
    assert opened == [((778, 544), 0)]  # the drawing window's own size, not resizable
    assert len(shown) == 1 and shown[0].views  # and it was shown, with its views
