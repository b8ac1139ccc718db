"""Shared fixtures: where the real MNIST files are, and a small trained network.

Tests that need MNIST fail (never skip) when the files are missing, so that CI
cannot pass without having run them.
"""

import os
import socket
import sys
from pathlib import Path

import pytest

# pygame must never open a real window in the tests.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
# The drawing generator lives beside the benchmarks that use it (benchmarks/drawings.py).
sys.path.insert(0, str(ROOT / "benchmarks"))
MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
SHIPPED_MODEL = ROOT / "data" / "mnist_nn.npz"


@pytest.fixture(scope="session", autouse=True)
def mnist_read_once():
    """Each split of the real MNIST files read once for the whole session (the windows read the
    project's 60,000 training digits again and again: half a second each), handed out read-only,
    so that a test or a window writing into them fails. Every other folder is read as it is."""
    from myonn import mnist

    real, read = mnist.load, {}
    real_folders = {(ROOT / "data").resolve(), (ROOT.parent / "shared" / "mnist").resolve()}

    def load(split, data_dir=mnist.paths.DATA_DIR, mirrors=None):
        folder = Path(data_dir).resolve()
        names = mnist.SPLITS.get(split, ())[:2]
        files = [mnist.local_file(folder, name) for name in names]
        if folder not in real_folders or mirrors is not None or len(files) != 2 or None in files:
            return real(split, data_dir, mirrors)  # downloads, refusals, made-up folders: as they are
        key = (split, *((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files))
        if key not in read:
            images, labels = real(split, data_dir)
            images.flags.writeable = labels.flags.writeable = False
            read[key] = images, labels
        return read[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mnist, "load", load)
        yield


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the four real MNIST files: data/ or ../shared/mnist/."""
    for folder in (ROOT / "data", ROOT.parent / "shared" / "mnist"):
        if all((folder / name).exists() for name in MNIST_FILES):
            return folder
    pytest.fail("the MNIST files are missing: copy them into data/ (or run ./mnist_train.py once to download them)")


@pytest.fixture(scope="session")
def train_set(mnist_dir):
    """The real training split (images, labels), read once for the whole session: treat it as read-only."""
    from myonn import mnist

    return mnist.load("train", mnist_dir)


@pytest.fixture(scope="session")
def test_set(mnist_dir):
    """The real test split (images, labels), read once for the whole session: treat it as read-only."""
    from myonn import mnist

    return mnist.load("test", mnist_dir)


@pytest.fixture(scope="session")
def small_model_path(tmp_path_factory, train_set, test_set) -> Path:
    """A network trained for a few seconds on 6,000 MNIST images (about 94% right)."""
    from myonn import NeuralNetwork
    from myonn.training import fit

    network = NeuralNetwork(784, 64, 10, seed=1)
    fit(
        network,
        train_set[0][:6000],
        train_set[1][:6000],
        epochs=3,
        batch_size=64,
        learning_rate=0.5,
        test=(test_set[0][:2000], test_set[1][:2000]),
    )
    path = tmp_path_factory.mktemp("model") / "small.npz"
    network.save(path)
    return path


@pytest.fixture(scope="session")
def small_model(small_model_path):
    """The small trained network of `small_model_path`, loaded once: never train or change it."""
    from myonn import NeuralNetwork

    return NeuralNetwork.load(small_model_path)


@pytest.fixture(scope="session")
def small_model_handwriting(small_model, train_set):
    """The shapes of handwriting (`myonn.dreams.handwriting`) of MNIST's training digits as the small
    network sees them: a few seconds' work, done once for every test that dreams."""
    from myonn import dreams

    return dreams.handwriting(small_model, train_set[0])


def write_idx(path: Path, array) -> Path:
    """Write a uint8 array as an IDX file (not gzipped), as the tests' second writer of the format."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(size.to_bytes(4, "big") for size in array.shape)
    path.write_bytes(header + array.astype("u1").tobytes())
    return path


TINY_TRAIN, TINY_TEST = 300, 100


@pytest.fixture(scope="session")
def tiny_mnist_dir(tmp_path_factory, train_set, test_set) -> Path:
    """A data folder holding the first 300 training and 100 test images of MNIST: scripts run in a blink.

    The files are written unzipped, under MNIST's names without ".gz", as a learner may keep them.
    """
    folder = tmp_path_factory.mktemp("tiny_mnist")
    for (images_name, labels_name), (images, labels), count in (
        (("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), train_set, TINY_TRAIN),
        (("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"), test_set, TINY_TEST),
    ):
        write_idx(folder / images_name, images[:count])
        write_idx(folder / labels_name, labels[:count])
    return folder


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a local port nobody listens on: a download from it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def project(tmp_path, tiny_mnist_dir) -> Path:
    """A copy of the project (its scripts, package, .gitignore and shipped network) with a tiny MNIST in its data/.

    The tests that run the scripts with their default paths run this copy, so that they
    never touch the real project's data/ (the learner's own networks live there). Its
    data/ holds the tiny MNIST (the first 300 training and 100 test images), so runs are quick.
    """
    import shutil

    copy = tmp_path / "project"
    copy.mkdir()
    for script in ROOT.glob("mnist_*.py"):
        shutil.copy2(script, copy)
    shutil.copy2(ROOT / ".gitignore", copy)
    shutil.copytree(ROOT / "myonn", copy / "myonn", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "data").mkdir()
    shutil.copy2(SHIPPED_MODEL, copy / "data" / "mnist_nn.npz")
    for path in tiny_mnist_dir.iterdir():
        (copy / "data" / path.name).symlink_to(path)
    return copy


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """An empty folder outside the project, for a learner to start the scripts from."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def one_message(text: str) -> bool:
    """Whether `text` (a script's stderr) is one message that fits an 80-column terminal.

    Its first line starts at the left; any further line is indented under it; every line
    is at most 79 characters, but for one word alone on its line (a long path stays whole).
    """
    lines = text.rstrip("\n").split("\n")
    return (
        bool(lines[0].strip())
        and not lines[0].startswith(" ")
        and all(line.startswith("  ") and line.strip() for line in lines[1:])
        and fits_80_columns(text)
        and "Traceback" not in text
    )


def fits_80_columns(text: str) -> bool:
    """Whether every line of `text` is at most 79 characters, but for one word alone on its line."""
    # splitlines also splits at the carriage returns with which a progress bar redraws itself.
    return all(len(line) <= 79 or " " not in line.strip() for line in text.splitlines())


def unwrapped(text: str) -> str:
    """`text` with each message that was wrapped to 80 columns joined back into one line.

    A wrapped message's lines after the first are indented two spaces more than its
    first; a line indented that far or further under a message's first line joins it.
    So does a line of a single word that ends at column 79, indented less: a path too
    long for the usual indent, pulled as far in as fits (`myonn.plumbing.cli.fit`).
    """
    lines: list[str] = []
    base = 0  # the indent of the first line of the message being joined
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        pulled_in = len(line) == 79 and " " not in line.strip()  # as far as column 0, if need be
        if lines and lines[-1].strip() and line.strip() and (indent >= base + 2 or pulled_in):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
            base = indent
    return "\n".join(lines)


class Desktop:
    """The screen as pygame.display.Info() tells it: its size, which a test sets."""

    current_w, current_h = 1000, 600


@pytest.fixture
def opened_windows(monkeypatch):
    """A dummy display whose screen is `Desktop` (1000 x 600 unless a test changes it): returns
    (desktop, opened), where `opened` collects each window set_mode opens, as (size, flags)."""
    import pygame

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    pygame.display.init()
    desktop, opened = Desktop(), []
    monkeypatch.setattr(pygame.display, "Info", lambda: desktop)
    real_set_mode = pygame.display.set_mode
    monkeypatch.setattr(
        pygame.display, "set_mode", lambda size, flags=0: opened.append((size, flags)) or real_set_mode(size)
    )
    yield desktop, opened
    pygame.quit()


@pytest.fixture
def browser_screen():
    """The browser's window (560 wide, and its status bar), on SDL's dummy video driver."""
    import pygame

    from myonn.windows.status_bar import STATUS_HEIGHT

    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((560, 560 + STATUS_HEIGHT))
    pygame.event.clear()
    yield surface
    pygame.quit()


@pytest.fixture
def draw_screen():
    """The draw window's display, opened on SDL's dummy video driver."""
    import pygame

    from myonn.windows.draw_window import WINDOW

    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode(WINDOW)
    pygame.event.clear()
    yield surface
    pygame.display.quit()
