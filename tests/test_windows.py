"""What both windows do outside their own keys: no screen to show them on, and Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = ["mnist_render.py", "mnist_draw.py"]


def cpu_ticks(pid: int) -> int:
    """The processor time a process has used so far, in clock ticks (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_until_idle(process: subprocess.Popen, deadline: float = 60) -> None:
    """Wait until `process` uses no processor time for half a second: started, and asleep waiting for events."""
    until, quiet_since, last = time.monotonic() + deadline, time.monotonic(), -1
    while time.monotonic() - quiet_since < 0.5:
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < until, "the window never settled down to wait for events"
        ticks = cpu_ticks(process.pid)
        if ticks != last:
            quiet_since, last = time.monotonic(), ticks
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux finds its screen through DISPLAY")
@pytest.mark.parametrize("script", WINDOWS)
def test_with_no_screen_a_window_says_so_in_one_line_and_exits_2(script, tiny_mnist_dir):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / script), *(["--data-dir", str(tiny_mnist_dir)] if "render" in script else [])],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{script}: error: cannot open a window" in result.stderr and "--screenshot" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("script", WINDOWS)
def test_ctrl_c_in_the_terminal_ends_a_window_that_waits_for_events(script, project):
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy"}  # a window nobody sees, waiting for events
    # A copy of the project with a tiny MNIST: the draw window learns what digits look like in a blink.
    process = subprocess.Popen(
        [sys.executable, str(project / script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=project,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # as in a terminal
    try:
        wait_until_idle(process)  # started, and waiting in its event loop
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "command",
    [
        ["mnist_render.py", "--set", "test", "--index", "3"],
        ["mnist_draw.py", "--demo"],
        ["mnist_train.py", "--epochs", "1", "--hidden", "8", "--output", "m.npz"],
    ],
)
def test_a_screenshot_says_where_it_was_saved_as_seen_from_where_the_learner_stands(command, tmp_path, tiny_mnist_dir):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    args = [sys.executable, str(ROOT / command[0]), *command[1:], "--data-dir", str(tiny_mnist_dir)]
    if command[0] == "mnist_draw.py":
        args = args[:-2]  # the drawing window reads no MNIST
    (tmp_path / "pictures").mkdir()
    args += ["--screenshot", "pictures/shot.png"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "screenshot saved to pictures/shot.png" in result.stdout.splitlines()
    assert (tmp_path / "pictures" / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in (tmp_path / "pictures").iterdir()] == ["shot.png"]  # no temporary file left


def test_a_screenshot_that_fails_half_way_leaves_the_picture_there_as_it_was(tmp_path, monkeypatch):
    import pygame

    from myonn.plumbing.errors import MyonnError
    from myonn.windows.display import save_png

    picture = tmp_path / "shot.png"
    picture.write_bytes(b"the learner's own picture")

    def half_a_picture(surface, out, hint):
        out.write(b"\x89PNG half")
        raise pygame.error("out of memory")

    monkeypatch.setattr(pygame.image, "save", half_a_picture)
    with pytest.raises(MyonnError, match="cannot write the screenshot"):
        save_png(pygame.Surface((4, 4)), str(picture))
    assert picture.read_bytes() == b"the learner's own picture"
    assert [p.name for p in tmp_path.iterdir()] == ["shot.png"]


def test_the_watch_window_title_has_no_empty_brackets_before_it_knows_what_it_watches(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    import pygame

    from myonn.windows.watch import TrainingWindow

    window = TrainingWindow()
    try:
        window.open()
        assert pygame.display.get_caption()[0] == "myonn: watch it learn"
        window.follow(None, None, "784-200-10 on 300 images")
        assert pygame.display.get_caption()[0] == "myonn: watch it learn (784-200-10 on 300 images)"
    finally:
        window.close()
        pygame.quit()
