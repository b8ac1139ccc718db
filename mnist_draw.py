#!/usr/bin/env python3
"""Draw a digit with the mouse and have the network read it: the talk's last demo.

    ./mnist_draw.py                      # reads with your network, or else the shipped one
    ./mnist_draw.py --model my.npz --brush 36

Press down the left mouse button to draw your digit, then press SPACE to have it
read: the network's answer appears big, with a bar and a percentage for each of the
ten digits. SPACE again clears the canvas for the next digit. In live mode (on by
default, L toggles it) the answer follows the drawing as it is drawn.

The right button erases, C or BACKSPACE clears, Ctrl+Z undoes the last stroke or
brings back a cleared digit, H or F1 lists the keys, and Q or Escape quits. After a
reading, a digit key teaches the network "this is a 7": the
digit is kept in data/my_digits/ and the network learns it at once (myonn.teaching);
U takes the last lesson back. The taught network is saved to data/my_taught_nn.npz,
which the window then reads with, never over the shipped data/mnist_nn.npz. The window has a fixed size: the canvas is 448x448 screen pixels, 16
for each of MNIST's 28x28.

The drawing is kept as a NumPy array, ink 255 on background 0 (shown black on
white), and goes through `myonn.preprocess.to_mnist` exactly as it is; the small
preview shows the 28x28 image the network's first layer then receives.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

try:
    from myonn.plumbing.installed import one_blas_thread, require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit(
        "mnist_draw.py: error: cannot find the myonn package beside this script;\n"
        "  run the copy in the project's folder"
    )
require_packages("mnist_draw.py", "numpy", "pygame")
# Reading one drawing is too little work to share out: with a BLAS thread per core, on
# a busy laptop a frame took 25-30 ms instead of under 2.
one_blas_thread()
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # or pygame greets on stdout

import pygame  # noqa: E402

from myonn import NeuralNetwork  # noqa: E402
from myonn.familiar import InBackground  # noqa: E402
from myonn.model_file import load_mnist_network  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, png_path, reading_with, run, say, whole_number_up_to  # noqa: E402
from myonn.plumbing.errors import MyonnError  # noqa: E402
from myonn.teaching import Teacher  # noqa: E402
from myonn.windows.demo_strokes import DEMO_ONE, DEMO_STROKE  # noqa: E402
from myonn.windows.display import open_window, save_png  # noqa: E402
from myonn.windows.draw_window import KEYS, VIEWS, WINDOW, DrawWindow  # noqa: E402
from myonn.windows.drawing_pad import DrawingPad  # noqa: E402
from myonn.windows.loop import run as run_window  # noqa: E402

# The networks read with when no --model is given: the first that exists, else the shipped one.
MODEL_CANDIDATES = (paths.TAUGHT_MODEL, paths.TRAINED_MODEL)
MAX_BRUSH = 112  # a quarter of the canvas: a wider brush paints a blob, not a stroke


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = ArgumentParser(
        prog="mnist_draw.py",
        description="Draw a digit with the mouse and have the neural network read it.",
        epilog="keys in the window:\n" + "\n".join(f"  {key:<16}{what}" for key, what in KEYS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # An option to a line or three, as --help lists them (formatted, each would take six).
    # fmt: off
    parser.add_argument("--model", metavar="PATH",
                        help="the trained network to read with (default: the one you taught, data/my_taught_nn.npz; "
                             "else yours, data/my_nn.npz, made by ./mnist_train.py; else the shipped data/mnist_nn.npz)")
    parser.add_argument("--brush", type=whole_number_up_to(MAX_BRUSH), default=28, metavar="N",
                        help=f"brush diameter in canvas pixels, 1 to {MAX_BRUSH}, of 448 a side (default: %(default)s)")
    parser.add_argument("--screenshot", type=png_path, metavar="PATH",
                        help="draw one frame into a PNG file and exit, without opening a window")
    parser.add_argument("--view", choices=VIEWS, default="canvas",
                        help="start with this view beside the canvas: the answer (canvas), inside the network (I), "
                             "why (W), the steps (S), the training digits it was reminded of (N) or one training "
                             "step in numbers (T, as learn) (default: %(default)s)")
    parser.add_argument("--demo", nargs="?", const="read", choices=("read", "one", "teach"),
                        help="start with a digit drawn and read (for screenshots); --demo one: a European 1 that "
                             "the shipped network reads as 7 (T's step is for the label 1); --demo teach: that 1 read wrong, then taught (in "
                             "memory only: your digits and networks are left as they are)")
    # fmt: on
    return parser.parse_args(argv)


def teaching(network: NeuralNetwork, model: str | os.PathLike) -> dict:
    """The window's teacher (`teacher=`), or why there is none (`no_teaching=`): a damaged
    data/my_digits is said in one line in the terminal and left as it is."""
    try:
        return {
            "teacher": Teacher(
                network, model, folder=paths.MY_DIGITS, save_to=paths.TAUGHT_MODEL, mnist_dir=paths.DATA_DIR
            )
        }
    except MyonnError as error:
        say(f"mnist_draw.py: teaching is off: {error}; move that folder aside to teach again", sys.stderr)
        return {"no_teaching": f"teaching is off: {paths.shown(paths.MY_DIGITS)} is damaged (see the terminal)"}


def main(argv: list[str] | None = None) -> int:
    """Open the drawing window (or write --screenshot) and return the exit status."""
    args = parse_args(argv)
    model = args.model or paths.default_model(*MODEL_CANDIDATES)
    network = load_mnist_network(model)  # before any window: a missing model is one line, no flash
    say(reading_with(model, network.metadata))
    pygame.font.init()
    # --demo teach's lesson is kept in a scratch folder, removed when the window closes.
    with tempfile.TemporaryDirectory() if args.demo == "teach" else contextlib.nullcontext() as scratch:
        return show(args, network, model, scratch and Path(scratch))


def show(args: argparse.Namespace, network: NeuralNetwork, model: str | os.PathLike, scratch: Path | None) -> int:
    """`main` once the network is loaded: the window, or its --screenshot (`scratch`: see main)."""
    if args.demo == "teach":
        # A lesson to show, not to keep: the digit in `scratch`, the network not saved.
        pad = DrawingPad(network, brush=args.brush, teacher=Teacher(network, model, folder=scratch, save_to=None))
        window = DrawWindow(pad)
        pad.trace(DEMO_ONE)
        pad.read()
        window.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0, unicode="1"))
    else:
        pad = DrawingPad(network, brush=args.brush, **teaching(network, model))
        window = DrawWindow(pad)
        if args.demo:
            pad.trace(DEMO_ONE if args.demo == "one" else DEMO_STROKE)
            pad.read()
    pad.update()
    window.show(args.view)
    if args.demo == "one":
        window.views["learn"].pick(1)  # T shows the step a lesson would start with: "this is a 1"
    if args.demo and pad.answer is not None:
        window.views["inside"].pinned = int(window.views["inside"].strongest()[0])  # a node shown large in the picture

    if args.screenshot:
        # The first frame, as the window shows it before it has learned what digits look
        # like to the network (myonn.familiar: about a second after it opens).
        frame = pygame.Surface(WINDOW)
        window.views[window.view].finish()  # N's training digits, remembered at once
        window.draw(frame)
        save_png(frame, args.screenshot)
        return 0

    open_window(WINDOW, "myonn: draw a digit", resizable=False)  # its canvas is a fixed size
    try:
        pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_CROSSHAIR)
    except pygame.error:
        pass  # some displays have no such cursor: the arrow will do
    # Learned after the window opens, so that it opens at once; again after each lesson.
    taught = (lambda: pad.teacher.digits.images.copy()) if pad.teacher else None
    pad.learn_familiarity = InBackground(network, paths.DATA_DIR, pad.learned_familiarity, taught).start
    pad.learn_familiarity()
    try:
        run_window(window)
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    run(main, "mnist_draw.py")
