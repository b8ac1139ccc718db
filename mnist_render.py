#!/usr/bin/env python3
"""Browse MNIST in a window, and see what a trained network makes of each digit.

The talk's first demo: one handwritten digit, large, black ink on white. Arrow keys
move through the records, SPACE shows the label a person gave the image, and with a
trained network P shows what the network reads there, while E and W jump to the
images it gets wrong. H in the window lists every key.

    ./mnist_render.py                   # the training set, from image 1
    ./mnist_render.py --set test --index 248
    ./mnist_render.py --screenshot docs/render.png --set test --predict

Here are the options and the start; the window is myonn/windows/browser.py (its keys, views and
screens B, G and M beside it), the data and the network come from the myonn package.
"""

from __future__ import annotations

import argparse
import textwrap
import os
import sys
from pathlib import Path

try:
    from myonn.plumbing.installed import require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit(
        "mnist_render.py: error: cannot find the myonn package beside this script;\n"
        "  run the copy in the project's folder"
    )
require_packages("mnist_render.py", "numpy", "pygame")

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on the learner's terminal
import pygame  # noqa: E402

from myonn import NeuralNetwork, mnist  # noqa: E402
from myonn.model_file import load_mnist_network  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import (  # noqa: E402
    ArgumentParser,
    png_path,
    positive_int,
    reading_with,
    run,
    say,
    whole_number_up_to,
)
from myonn.plumbing.errors import ModelFileError  # noqa: E402
from myonn.windows.browser import SETS, VIEWS, Browser  # noqa: E402
from myonn.windows.browser_keys import KEYS  # noqa: E402
from myonn.windows.browser_window import open_window, run_window  # noqa: E402
from myonn.windows.display import save_png  # noqa: E402
from myonn.windows.pictures import SIDE  # noqa: E402
from myonn.windows.status_bar import MIN_WIDTH, STATUS_HEIGHT  # noqa: E402

PROGRAM = "mnist_render.py"
# The networks read with when no --model is given: the first that exists, else the shipped one.
MODEL_CANDIDATES = (paths.TRAINED_MODEL,)
MAX_SCALE = 100  # --scale beyond this makes a window larger than any screen


# ---- the command line and the window ----------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, checked by argparse (a bad option exits 2 with one line)."""
    # Each key on a line of at most 79 columns, the longer descriptions wrapped under themselves.
    keys = "\n".join(
        textwrap.fill(what, 79, initial_indent=f"  {key:<25}", subsequent_indent=" " * 27) for key, what in KEYS
    )
    parser = ArgumentParser(
        prog=PROGRAM,
        description="Browse the MNIST digits, and see what a trained network reads in each.",
        epilog=f"keys in the window:\n{keys}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # An option to a line or three, as --help lists them (formatted, each would take six).
    # fmt: off
    parser.add_argument("--set", choices=SETS, default="train", help="the set to start in (default: train)")
    parser.add_argument("--index", type=positive_int, default=1, metavar="N",
                        help="start at image N, counting from 1 as the status line does (default: 1); "
                             "beyond the set it is clamped to the last image")
    parser.add_argument("--data-dir", default=paths.DATA_DIR, metavar="DIR",
                        help="folder of the MNIST files; missing ones are downloaded into it (default: the project's data/)")
    parser.add_argument("--model", metavar="PATH",
                        help="a network saved by ./mnist_train.py, for P, E and W (default: yours, data/my_nn.npz, "
                             "or before you have one the shipped data/mnist_nn.npz; without one the browser "
                             "runs without predictions)")
    parser.add_argument("--scale", type=whole_number_up_to(MAX_SCALE), default=20, metavar="N",
                        help=f"screen pixels per MNIST pixel, 1 to {MAX_SCALE}, setting the window's first size (default: 20)")
    parser.add_argument("--predict", action="store_true",
                        help="start showing what the network reads, as P does (the same as --view prediction)")
    parser.add_argument("--view", choices=VIEWS, default="digit", metavar="VIEW",
                        help="start in VIEW: digit, label, prediction (what the network reads, P), backquery (what it "
                             "imagines, B), hidden (its hidden nodes, G) or confusion (its confusion matrix, M) "
                             "(default: digit)")
    parser.add_argument("--screenshot", type=png_path, metavar="PATH",
                        help="draw the first frame (after the other options) to a PNG file and exit, "
                             "without opening a window")
    # fmt: on
    return parser.parse_args(argv)


def load_model(path: Path) -> tuple[NeuralNetwork | None, str]:
    """The network for predictions and the status line's note about it.

    The browser is useful without a network, so a model that is missing or cannot be
    used, named or by default, is reported once on stderr and the browser runs
    without predictions (P, E and W then say why). A good one is named on stdout.
    """
    try:
        model = load_mnist_network(path)
    except ModelFileError as error:
        say(f"{PROGRAM}: warning: {error}; browsing without predictions", sys.stderr)
        return None, f"no predictions: {error}"
    say(reading_with(path, model.metadata))
    accuracy = model.metadata.get("test_accuracy")
    reads = f": {accuracy:.2%} right on the test set" if isinstance(accuracy, (int, float)) else ""
    return model, f"model {paths.shown(path)}{reads}"


def main(argv: list[str] | None = None) -> int:
    """Parse the options, load the set (and the model), then run the window or save a screenshot."""
    args = parse_args(argv)
    # Only the set shown is loaded now (the other on the first T), so the window opens at once.
    shown = {args.set: mnist.load(args.set, args.data_dir)}
    model, note = load_model(Path(args.model) if args.model else paths.default_model(*MODEL_CANDIDATES))
    browser = Browser(args.data_dir, args.set, model, note, sets=shown)
    browser.go_to(args.index - 1)
    if args.predict or args.view == "prediction":
        browser.toggle_prediction()
    elif args.view == "label":
        browser.toggle_label()
    elif args.view in browser.screens:
        browser.show_screen(args.view)
    size = (max(SIDE * args.scale, MIN_WIDTH), SIDE * args.scale + STATUS_HEIGHT)
    pygame.font.init()
    try:
        if args.screenshot:
            frame = pygame.Surface(size)
            browser.settle()  # a screen that forms step by step, shown formed
            browser.draw(frame)
            save_png(frame, args.screenshot)
            return 0
        open_window(browser, size)
        run_window(browser)
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    run(main, PROGRAM)
