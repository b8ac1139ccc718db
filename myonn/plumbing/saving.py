"""Save a trained network without spoiling what the learner keeps: checked before training, done after it.

A network that cannot be saved is lost with its minutes of training, so `unwritable`
is asked before any work; and `save_without_spoiling` never replaces a clearly
better network with a worse one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from myonn.model_file import load_mnist_network
from myonn.plumbing import paths
from myonn.plumbing.errors import ModelFileError, MyonnError

# A new network this much less accurate than the one in the output file does not replace it without --force.
CLEARLY_WORSE = 0.01


def nearest_folder(path: Path) -> Path:
    """The nearest of `path`'s folders that exists: where its missing folders would be made.

    (The root always exists, so there is one.) It may turn out to be a file.
    """
    return next(p for p in path.absolute().parents if p.exists())


def unwritable(path: Path) -> str | None:
    """Why a file cannot be written at `path` (found before training, not after), or None if it can."""
    if path.is_dir():  # (the command line's png_path has said so already, with what to give instead)
        return f"{path} is a folder, not a file"
    # Missing folders are made when the file is written, as for --output.
    folder = nearest_folder(path)
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"cannot write into {folder}"
    return cannot_create_in(folder)


def cannot_create_in(folder: Path) -> str | None:
    """Why no file can be made in `folder`, found by making one (and removing it), or None.

    Permissions do not tell it all: as root every folder looks writable, and a read-only
    disk or /proc refuses all the same.
    """
    try:
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".myonn-probe-")
    except OSError as error:
        return f"cannot write into {folder} ({error.strerror or error})"
    os.close(descriptor)
    os.unlink(probe)
    return None


def unsaveable(output: Path, force: bool) -> str | None:
    """Why the trained network could not be saved to `output` (or must not be without `force`), or None."""
    if output.is_dir():
        return f"{output} is a folder; give a file name such as {output / 'mnist_nn.npz'}"
    folder = nearest_folder(output)
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not os.access(folder, os.W_OK):
        return f"cannot write into {folder}"
    if problem := cannot_create_in(folder):
        return problem
    if output.exists() and not force:
        # Whatever the learner keeps there, training must not end by replacing it blindly.
        try:
            load_mnist_network(output)
        except ModelFileError:
            return f"{output} is not a network this program made; give another file name, or add --force to replace it"
    return None


def save_without_spoiling(network, output: Path, test_images, test_labels, force: bool) -> tuple[list[str], bool]:
    """Save `network` to `output`, unless the network already there reads the test set clearly better.

    Then the new one goes beside it, as `<name>.worse.npz`, and the learner's better
    network stays where it was (`force` replaces it all the same). Returns the lines
    that tell the learner which file now holds which network, and whether the new
    one was saved beside `output` instead of in it.
    """
    accuracy = network.metadata["test_accuracy"]
    if not output.exists():
        network.save(output)
        lines = [f"saved {paths.describe(output)} ({accuracy:.2%} right) to {paths.shown(output)}"]
    else:
        try:
            old = load_mnist_network(output).accuracy(test_images, test_labels)
        except MyonnError:
            old = None  # only --force gets here (see mnist_train.parse_args): the file is replaced
        if old is not None and accuracy < old - CLEARLY_WORSE and not force:
            beside = output.with_name(f"{output.stem}.worse{output.suffix}")
            network.save(beside)
            return [
                f"{paths.shown(output)} still holds the network that was there ({old:.2%} right);",
                f"the new one reads only {accuracy:.2%}: saved beside it, in {paths.shown(beside)}",
                "(--force saves over a better network)",
            ], True
        network.save(output)
        before = f" ({old:.2%} right)" if old is not None else ""
        lines = [
            f"saved the new network ({accuracy:.2%} right) to {paths.shown(output)},",
            f"in place of the one that was there{before}",
        ]
    if output.resolve() == paths.default_model(paths.TRAINED_MODEL).resolve():
        if paths.TAUGHT_MODEL.exists():  # the draw window reads the network taught by hand first
            lines.append(f"./mnist_render.py reads with it; ./mnist_draw.py with {paths.shown(paths.TAUGHT_MODEL)}")
        else:
            lines.append("the windows read with it (--model PATH picks another)")
    elif output.resolve() == paths.TAUGHT_MODEL.resolve():
        lines.append("./mnist_draw.py reads with it first, and goes on teaching it")
    return lines, False
