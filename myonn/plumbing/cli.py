"""What the three scripts share on the command line: checked option values and clean exits.

A learner's mistake (a bad option, a missing file) gets one message saying what went
wrong and what to do, and exit status 2; Ctrl-C gets a short line and status 130.
Never a traceback. Every message fits an 80-column terminal (`fit`).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import Callable

from myonn.plumbing.errors import MyonnError

COLUMNS = 80  # the narrowest terminal in common use; a line of 79 leaves the cursor room


def fit(message: str) -> str:
    """`message` wrapped to fit 80 columns, each line after the first indented under it.

    Words are never broken, so a path or an address longer than a line stays whole
    (and copyable) on a line of its own, indented less if that lets it fit. What follows a newline in `message` is a
    command to type: it gets lines of its own, indented further, broken only after
    an `&&`, so that it can be copied whole.
    """
    prose, *commands = message.split("\n")
    indent = prose[: len(prose) - len(prose.lstrip(" "))]
    lines = textwrap.wrap(
        prose.lstrip(" "),
        COLUMNS - 1,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    for i, line in enumerate(lines):
        word = line.strip()
        if len(line) > COLUMNS - 1 and " " not in word and len(word) < COLUMNS:  # a long address: as far in as fits
            lines[i] = " " * (COLUMNS - 1 - len(word)) + word
    for command in commands:
        first, *more = command.strip().split(" && ")
        line = indent + "    " + first
        for part in more:
            if len(line) + len(" && " + part) <= COLUMNS - 1:
                line += " && " + part
            else:
                lines.append(line + " &&")  # the shell reads on past a line that ends in &&
                line = indent + "      " + part
        lines.append(line)
    return "\n".join(lines)


def say(message: str, file=None) -> None:
    """Print `message` fitted to 80 columns (`fit`) to `file` (standard output by default)."""
    print(fit(message), file=file or sys.stdout, flush=True)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, but a usage error is one message: `program: error: message (see --help)`."""

    def error(self, message: str):
        """Print the error, fitted to 80 columns, and exit with status 2, as argparse does."""
        self.exit(2, fit(f"{self.prog}: error: {message} (see --help)") + "\n")


def refuse_others(parser: argparse.ArgumentParser, argv: list[str], option: str, allowed: tuple, why: str) -> None:
    """A one-line error (exit 2) if `argv` gives `option` with any option but `allowed` (`why` says why)."""
    given = [word.split("=")[0] for word in argv if word.startswith("--")]
    others = [word for word in given if not any(known.startswith(word) for known in (option, *allowed))]
    if others:
        parser.error(f"argument {option}: not with {', '.join(others)} ({why}); it takes {', '.join(allowed)}")


def whole_number(text: str, minimum: int, maximum: int | None = None) -> int:
    """`text` as a whole number from `minimum` to `maximum`, or an argparse error saying why not."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    return whole_number(text, 1)


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number of at least 0."""
    return whole_number(text, 0)


def whole_number_up_to(maximum: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to `maximum`."""

    def check(text: str) -> int:
        return whole_number(text, 1, maximum)

    return check


def positive_float(text: str) -> float:
    """An argparse type: a finite number above 0 (so not 0, NaN or infinity)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def png_path(text: str) -> Path:
    """An argparse type: a file name ending in .png (--screenshot, --plot), refused otherwise.

    The pictures are PNGs: `shot.jpg` would get PNG bytes under a JPEG's name, which
    some viewers then refuse to open. Found before any work, not after it.
    """
    if Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name ending in .png")
    if not text.lower().endswith(".png"):
        stem = text[: -len(os.path.splitext(text)[1])] if os.path.splitext(text)[1] else text
        raise argparse.ArgumentTypeError(f"{text}: the picture is a PNG; name it {stem}.png")
    return Path(text)


def reading_with(path: str | os.PathLike, metadata: dict) -> str:
    """The line a window prints at start: which network it reads with, and how good it is.

    `reading with your network, data/my_nn.npz (97.12% right on the test set)`
    """
    from myonn.plumbing import paths

    accuracy = metadata.get("test_accuracy")
    how_good = f" ({accuracy:.2%} right on the test set)" if isinstance(accuracy, (int, float)) else ""
    taught = metadata.get("taught_digits")
    if how_good and isinstance(taught, int) and taught > 0:
        # Lessons (myonn.teaching) do not measure the test set again: the figure is from before them.
        how_good = (
            f" ({accuracy:.2%} right on the test set before it was taught {taught} digit{'s' if taught > 1 else ''})"
        )
    return f"reading with {paths.describe(path)}, {paths.shown(path)}{how_good}"


def run(main: Callable[[], int | None], program: str) -> None:
    """Run a script's `main` and exit with its status, turning user errors into one message.

    `MyonnError` prints `program: error: message` and exits 2 (argparse's status for
    a usage error); Ctrl-C prints `program: interrupted` and exits 130. Output piped into
    a program that stopped reading (`| head`) ends the run quietly, as SIGPIPE ends other
    commands, with its status 141; a network is only ever saved whole, so none is spoiled.
    """
    try:
        status = main()
    except BrokenPipeError:
        # Python would try to flush the dead pipe once more on the way out, and complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except MyonnError as error:
        say(f"{program}: error: {error}", sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print(f"\n{program}: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(status or 0)
