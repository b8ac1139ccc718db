"""Where the project keeps its data and its networks, whatever folder a learner starts from.

The defaults are found relative to the project (the folder holding `myonn/` and the
three scripts), so `~/myonn/mnist_draw.py` works from any folder. A path a learner
types (`--data-dir`, `--model`, `--output`) is taken relative to where they stand,
as usual; only the defaults live here.

Three networks, kept apart so that no experiment can spoil the one that works:

* `SHIPPED_MODEL`, `data/mnist_nn.npz`: the network that comes with the project
  (in git), made by `./mnist_train.py --output data/mnist_nn.npz`.
* `TRAINED_MODEL`, `data/my_nn.npz`: where `./mnist_train.py` saves by default, the
  learner's own (git ignores it).
* `TAUGHT_MODEL`, `data/my_taught_nn.npz`: the network `./mnist_draw.py` teaches with
  the digits a learner corrects, which it keeps in `MY_DIGITS`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]  # myonn/plumbing/paths.py -> the project folder
DATA_DIR = PROJECT / "data"
SHIPPED_MODEL = DATA_DIR / "mnist_nn.npz"
TRAINED_MODEL = DATA_DIR / "my_nn.npz"
TAUGHT_MODEL = DATA_DIR / "my_taught_nn.npz"
MY_DIGITS = DATA_DIR / "my_digits"


def default_output(extra: Path | None) -> Path:
    """Where ./mnist_train.py saves when not told: your network, `TRAINED_MODEL`; or, trained
    with the digits taught in the drawing window (`--extra data/my_digits`), your taught
    network, `TAUGHT_MODEL`, which that window reads with first and goes on teaching."""
    if extra is not None and Path(extra).resolve() == MY_DIGITS.resolve():
        return TAUGHT_MODEL
    return TRAINED_MODEL


def default_model(*candidates: Path) -> Path:
    """The first of `candidates` that exists, else the shipped network.

    The windows read with the learner's own network when there is one:
    `default_model(TRAINED_MODEL)` is `data/my_nn.npz` once `./mnist_train.py` has
    made it, and `data/mnist_nn.npz` before.
    """
    return next((path for path in candidates if path.exists()), SHIPPED_MODEL)


def describe(path: Path) -> str:
    """Which network `path` is, in a learner's words: "your network", "the shipped network", ...

    Any other file is just "the network".
    """
    names = {SHIPPED_MODEL: "the shipped network", TRAINED_MODEL: "your network", TAUGHT_MODEL: "your taught network"}
    return names.get(Path(path).resolve(), "the network")


def shown(path: str | os.PathLike) -> str:
    """`path` as a learner should read it: relative to where they stand when it lies below, else in full.

    From the project's folder the default model is `data/my_nn.npz`; from elsewhere it
    is the whole path, which is where they would find it.
    """
    absolute = Path(path).absolute()
    if Path.cwd() == Path(absolute.anchor):
        return str(absolute)  # from / itself, "tmp/shot.png" would read as a folder of here
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)
