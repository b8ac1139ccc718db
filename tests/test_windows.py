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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux finds its screen through DISPLAY")
@pytest.mark.parametrize("script", WINDOWS)
def test_with_no_screen_a_window_says_so_in_one_line_and_exits_2(script, mnist_dir):
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    result = subprocess.run([sys.executable, str(ROOT / script), *(["--data-dir", str(mnist_dir)] if "render" in script else [])],
                            capture_output=True, text=True, env=environment, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert f"{script}: error: cannot open a window" in result.stderr and "--screenshot" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("script", WINDOWS)
def test_ctrl_c_in_the_terminal_ends_a_window_that_waits_for_events(script, mnist_dir):
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy"}  # a window nobody sees, waiting for events
    arguments = ["--data-dir", str(mnist_dir)] if "render" in script else []
    process = subprocess.Popen([sys.executable, str(ROOT / script), *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT)
    try:
        time.sleep(3)  # started, and idle in its event loop
        assert process.poll() is None, process.communicate()[1]
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
