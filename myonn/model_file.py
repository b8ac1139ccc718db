"""Model files: a trained `NeuralNetwork` saved to disk and read back, checked.

A model file is an .npz archive (NumPy's zip of arrays) holding the four weight
arrays `wih`, `bh`, `who`, `bo` and one string array, `metadata`: JSON with the
format's name and version, the layer sizes, whether the network deskews, and what
training recorded about itself (epochs, accuracy, ...). It is never a pickle, so
reading one runs no code, and every way a file can be wrong (missing, not an
archive, damaged, from a newer myonn, the wrong sizes, NaN weights) is one line of
`ModelFileError` saying which, and what to do.

`NeuralNetwork.save(path)` and `NeuralNetwork.load(path)` call `save` and `load` here;
`load_mnist_network` is the load the scripts use, for a network that reads MNIST.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

from myonn.network import WEIGHTS, NeuralNetwork
from myonn.plumbing.errors import ModelFileError
from myonn.plumbing.files import atomic_write

FORMAT = "myonn-network"
FORMAT_VERSION = 1
HOW_TO_TRAIN = "train one with ./mnist_train.py"


class NewerFormat(ModelFileError):
    """A model file written by a newer myonn, in a format this one cannot read."""


def save(network: NeuralNetwork, path: str | os.PathLike) -> None:
    """Save the network's weights and metadata to an .npz file, atomically.

    The file is written under a temporary name beside `path` and renamed over it
    only when complete, so a crash or Ctrl-C never leaves a half-written model.
    """
    path = Path(path)
    metadata = {
        **network.metadata,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "layer_sizes": [network.inodes, network.hnodes, network.onodes],
        "activation": "sigmoid",
        "output": "softmax",
        "deskew": network.deskew,
    }
    arrays = {name: getattr(network, name) for name in WEIGHTS}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as out:
            # The metadata is JSON in a plain string array: it loads without pickle.
            np.savez(out, metadata=np.array(json.dumps(metadata)), **arrays)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot save the model there ({error.strerror or error})") from None


def load(path: str | os.PathLike) -> NeuralNetwork:
    """Read a network saved by `save`.

    Never unpickles. Checks the format, the layer sizes against every weight's
    shape, and that every weight is a finite number; raises `ModelFileError` with
    a one-line message otherwise.
    """
    path = Path(path)
    try:
        return _load(path)
    except NewerFormat as error:
        raise ModelFileError(str(error)) from None  # the file is good: no advice to train another
    except ModelFileError as error:
        # Whatever else is wrong with the file, the way out is the same.
        raise ModelFileError(f"{error}; {HOW_TO_TRAIN}") from None


def load_mnist_network(path: str | os.PathLike) -> NeuralNetwork:
    """`load`, checking too that the network reads 28x28 images as 10 digits."""
    network = load(path)
    if (network.inodes, network.onodes) != (784, 10):
        raise ModelFileError(
            f"{path}: this network has {network.inodes} inputs and {network.onodes} outputs, not the 784 "
            f"and 10 that read MNIST digits; {HOW_TO_TRAIN}"
        )
    return network


def _load(path: Path) -> NeuralNetwork:
    """`load` without its advice on how to get a good file."""
    contents = _read_arrays(path)
    metadata = _read_metadata(path, contents)
    inodes, hnodes, onodes = metadata["layer_sizes"]
    _check_weights(path, contents, {"wih": (hnodes, inodes), "bh": (hnodes,), "who": (onodes, hnodes), "bo": (onodes,)})

    network = NeuralNetwork(inodes, hnodes, onodes, seed=None, deskew=bool(metadata.get("deskew", False)))
    for name in WEIGHTS:
        setattr(network, name, np.ascontiguousarray(contents[name], dtype=np.float32))
    network.velocities = {name: np.zeros_like(getattr(network, name)) for name in WEIGHTS}
    network.metadata = {k: v for k, v in metadata.items() if k not in ("format", "format_version")}
    return network


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the .npz file at `path`, by name, read without pickle."""
    if not path.exists():
        raise ModelFileError(f"{path}: no such model file")
    if path.is_dir():
        raise ModelFileError(f"{path}: a folder, not a model file")
    try:
        npz = np.load(path, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):  # a lone .npy array
            raise ValueError("not an .npz archive")
        with npz:
            return {name: npz[name] for name in npz.files}
    except PermissionError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror})") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError) as error:
        # NumPy's own message may advise allow_pickle=True: never repeat that advice.
        # (RuntimeError: an encrypted zip; NotImplementedError: an unknown compression.)
        if isinstance(error, (zipfile.BadZipFile, EOFError)) and _starts_like_a_zip(path):
            # A saved model that no longer reads back: flipped bits fail the zip's
            # checksums, a cut-off file loses its index at the end.
            raise ModelFileError(f"{path}: damaged model file (it no longer reads back whole)") from None
        raise ModelFileError(f"{path}: not a myonn model file (not an .npz archive of weights)") from None


def _read_metadata(path: Path, contents: dict[str, np.ndarray]) -> dict:
    """The file's metadata, checked: a myonn model of format version 1 with three layer sizes."""
    if "metadata" not in contents or contents["metadata"].dtype.kind != "U":
        raise ModelFileError(f"{path}: not a myonn model file (it has no metadata)")
    try:
        metadata = json.loads(str(contents["metadata"]))
    except json.JSONDecodeError:
        raise ModelFileError(f"{path}: damaged model file (its metadata is not JSON)") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a myonn model file")
    version = metadata.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        # The file is fine: it is this myonn that is too old to read it.
        raise NewerFormat(
            f"{path}: saved by a newer myonn (model format version {version}; this myonn reads version "
            f"{FORMAT_VERSION}): update myonn (git pull) to read it"
        )
    if version != FORMAT_VERSION:
        raise ModelFileError(f"{path}: damaged model file (model format version {version!r})")
    sizes = metadata.get("layer_sizes")
    if not (isinstance(sizes, list) and len(sizes) == 3 and all(type(s) is int and s > 0 for s in sizes)):
        raise ModelFileError(f"{path}: damaged model file (layer sizes {sizes!r})")
    return metadata


def _check_weights(path: Path, contents: dict[str, np.ndarray], expected: dict[str, tuple[int, ...]]) -> None:
    """Check that every weight array is there, of float numbers, finite, and shaped as `expected`."""
    for name, shape in expected.items():
        array = contents.get(name)
        if array is None:
            raise ModelFileError(f"{path}: damaged model file (no {name} weights)")
        if array.shape != shape or array.dtype.kind != "f":
            raise ModelFileError(
                f"{path}: damaged model file ({name} is {array.dtype} {array.shape}, expected {shape})"
            )
        if not np.isfinite(array).all():
            raise ModelFileError(f"{path}: damaged model file ({name} holds NaN or infinite weights)")


def _starts_like_a_zip(path: Path) -> bool:
    """Whether the file begins as every .npz (a zip archive) does: it was a saved model once."""
    try:
        with open(path, "rb") as file:
            return file.read(4) == b"PK\x03\x04"
    except OSError:
        return False
