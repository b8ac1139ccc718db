"""The three programs as commands: `myonn-train`, `myonn-render`, `myonn-draw`, and
`python -m myonn train|render|draw`, each with the options of its script.

Each command imports its script (pyproject.toml installs the three as modules) and
runs the script's `main` as `./mnist_train.py` would: the same help, the same
messages under the script's name, a learner's mistake one line and exit status 2.
Importing a script first checks that what it needs is installed, before NumPy loads.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from myonn.plumbing.cli import ArgumentParser, run

# The sub-command, the script's module, and the name its messages go by.
PROGRAMS = {
    "train": ("mnist_train", "mnist_train.py", "train the network on MNIST, report its accuracy, save it"),
    "render": ("mnist_render", "mnist_render.py", "browse MNIST in a window, with what the network reads"),
    "draw": ("mnist_draw", "mnist_draw.py", "draw digits with the mouse for the network to read"),
}


def run_program(name: str, argv: list[str]) -> None:
    """Run the script behind sub-command `name` with the options `argv`, and exit with its status."""
    module_name, program, _ = PROGRAMS[name]
    script = importlib.import_module(module_name)
    run(lambda: script.main(argv), program)


def train() -> None:
    """The `myonn-train` command: ./mnist_train.py."""
    run_program("train", sys.argv[1:])


def render() -> None:
    """The `myonn-render` command: ./mnist_render.py."""
    run_program("render", sys.argv[1:])


def draw() -> None:
    """The `myonn-draw` command: ./mnist_draw.py."""
    run_program("draw", sys.argv[1:])


def main(argv: list[str] | None = None) -> None:
    """`python -m myonn PROGRAM [options]`: run one of the three; no or a wrong PROGRAM is a one-line error."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PROGRAMS:
        run_program(argv[0], argv[1:])
    parser = ArgumentParser(
        prog="python -m myonn",
        description="The three programs of Make Your Own Neural Network; PROGRAM --help lists each one's options.",
        epilog="\n".join(f"  {name:7} {about}" for name, (_, _, about) in PROGRAMS.items()),
        usage="python -m myonn {train,render,draw} [options]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("program", metavar="PROGRAM", choices=list(PROGRAMS), help="train, render or draw")
    parser.parse_args(argv[:1])  # --help, or a one-line error: no PROGRAM, or not one of the three
    parser.error(f"argument PROGRAM: invalid choice: {argv[0]!r} (choose from 'train', 'render', 'draw')")
