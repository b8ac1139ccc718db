"""Shared fixtures: where the real MNIST files are, and a small trained network.

Tests that need MNIST fail (never skip) when the files are missing, so that CI
cannot pass without having run them.
"""

import os
import socket
from pathlib import Path

import pytest

# pygame must never open a real window in the tests.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
SHIPPED_MODEL = ROOT / "data" / "mnist_nn.npz"


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the four real MNIST files: data/ or ../shared/mnist/."""
    for folder in (ROOT / "data", ROOT.parent / "shared" / "mnist"):
        if all((folder / name).exists() for name in MNIST_FILES):
            return folder
    pytest.fail("the MNIST files are missing: copy them into data/ (or run ./mnist_train.py once to download them)")


@pytest.fixture(scope="session")
def small_model_path(tmp_path_factory, mnist_dir) -> Path:
    """A network trained for a few seconds on 6,000 MNIST images (about 94% right)."""
    from myonn import NeuralNetwork, mnist
    from myonn.training import fit

    images, labels = mnist.load("train", mnist_dir)
    test_images, test_labels = mnist.load("test", mnist_dir)
    network = NeuralNetwork(784, 64, 10, seed=1)
    fit(network, images[:6000], labels[:6000], epochs=3, batch_size=64, learning_rate=0.5,
        test=(test_images[:2000], test_labels[:2000]))
    path = tmp_path_factory.mktemp("model") / "small.npz"
    network.save(path)
    return path


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a local port nobody listens on: a download from it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
