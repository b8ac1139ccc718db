"""Faults a saved file must survive, done for real: a kill mid-save, a full disk, a read-only
folder, damaged and hostile IDX files, two trainings saving to one file, a newer model format.

The disk is filled with RLIMIT_FSIZE in a child process (a write past the limit fails as
on a full disk, with EFBIG). A folder is made read-only with chmod; as root, whom chmod
does not stop, the child is first stripped of the powers to override file permissions.
"""

from __future__ import annotations

import ctypes
import functools
import gzip
import http.server
import json
import os
import resource
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TINY_TRAIN, fits_80_columns, unwrapped
from myonn import NeuralNetwork
from myonn.plumbing.errors import DataFileError
from myonn.mnist import read_idx

TRAIN = ROOT / "mnist_train.py"
# Quick, whole runs of ./mnist_train.py on the tiny MNIST folder.
QUICK = ["--limit", str(TINY_TRAIN), "--epochs", "1", "--hidden", "8", "--quiet"]


def run_python(args, *, preexec_fn=None, timeout=60, **options) -> subprocess.CompletedProcess:
    """Run Python on `args` from the repository's folder, as a learner would run a script."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", OPENBLAS_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        env=environment,
        **options,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The one message a learner gets for a fault, joined into one line: exit status 2, no traceback.

    The message fits an 80-column terminal (wrapped, its lines after the first indented).
    """
    assert result.returncode == 2, result.stderr
    assert fits_80_columns(result.stderr), result.stderr
    # A download announces each attempt ("downloading URL") before anything can fail.
    lines = [line for line in unwrapped(result.stderr).strip().splitlines() if not line.startswith("downloading ")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def names(folder: Path) -> list[str]:
    """Everything in `folder`, temporary files included."""
    return sorted(path.name for path in folder.iterdir())


# ---- how the faults are made -------------------------------------------------------------


def disk_full_after(size: int):
    """A preexec_fn: the child cannot write any file beyond `size` bytes, as on a nearly full disk."""

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write then fails with EFBIG instead of killing

    return limit


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def bound_by_permissions():
    """A preexec_fn: the child obeys file permissions even as root (who overrides them otherwise)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "cannot drop root's power to override permissions")


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only (undone after the test), checked to really refuse a new file."""
    made = []

    def make(folder: Path) -> Path:
        folder.chmod(0o555)
        made.append(folder)
        probe = run_python(["-c", f"open({str(folder / 'probe')!r}, 'w')"], preexec_fn=bound_by_permissions)
        if probe.returncode == 0:
            (folder / "probe").unlink()
            pytest.fail(f"could not make {folder} read-only for a child process here")
        return folder

    yield make
    for folder in made:
        folder.chmod(0o755)


@pytest.fixture
def old_model(tmp_path) -> Path:
    """A model already saved at models/model.npz, to be kept whole whatever happens."""
    folder = tmp_path / "models"
    folder.mkdir()
    NeuralNetwork(784, 5, 10, seed=9).save(folder / "model.npz")
    return folder / "model.npz"


@pytest.fixture
def mirror(mnist_dir):
    """An HTTP server on 127.0.0.1 serving the real MNIST files, as a mirror does."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mnist_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def train_downloading_from(mirror: str, *options) -> list:
    """The arguments that run ./mnist_train.py with `mirror` as its MNIST mirrors, the first and the second."""
    driver = (
        "import runpy, sys; from myonn import mnist; mnist.MIRRORS[:] = [sys.argv[1], sys.argv[1]]; "
        "sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    return ["-c", driver, mirror, TRAIN, *options]


@pytest.fixture
def data_without_test_files(tmp_path, tiny_mnist_dir) -> Path:
    """A data folder holding the (tiny) training files only: the test files must be downloaded."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
        shutil.copy(tiny_mnist_dir / name, folder / name)
    return folder


# ---- a kill at any moment while saving ---------------------------------------------------


def test_a_process_killed_at_random_moments_while_saving_leaves_the_old_or_the_whole_new_model(tmp_path):
    path = tmp_path / "model.npz"
    network = NeuralNetwork(784, 64, 10, seed=0)  # about 200 kB: a save takes a few milliseconds
    network.save(path)
    rng = np.random.default_rng(0)
    killed_midway = 0
    for kill in range(40):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child saves new versions of the network as fast as it can, until killed
            os.close(reader)
            try:
                for version in range(kill * 1000 + 1, kill * 1000 + 1000):
                    for name in ("wih", "bh", "who", "bo"):
                        getattr(network, name)[...] = version
                    network.metadata["version"] = version
                    network.save(path)
                    os.write(writer, f"{version}\n".encode())
            finally:
                os._exit(0)
        os.close(writer)
        with os.fdopen(reader) as saved:
            reported = [saved.readline() for _ in range(int(rng.integers(1, 4)))]
            assert all(reported), "the saving process died by itself"
            time.sleep(rng.uniform(0, 0.004))  # a random moment of a later save
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            last = max(int(version) for version in reported + saved.read().split())  # the last save it finished

        loaded = NeuralNetwork.load(path)  # whole: its zip's checksums and every check pass
        version = loaded.metadata["version"]
        assert version in (last, last + 1)  # the last save reported, or one finished but not yet reported
        for name in ("wih", "bh", "who", "bo"):
            assert (getattr(loaded, name) == version).all()
        leftovers = [name for name in names(tmp_path) if name != "model.npz"]
        killed_midway += bool(leftovers)
        for name in leftovers:  # what a kill mid-save leaves: a temporary file, never the model
            assert name.startswith(".model.npz.") and name.endswith(".tmp")
            (tmp_path / name).unlink()
    assert killed_midway > 0  # the kills did land in the middle of saves


def test_a_saved_model_is_flushed_to_the_disk_before_it_takes_the_models_name_and_the_name_after(tmp_path, monkeypatch):
    import myonn.plumbing.files

    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(
        myonn.plumbing.files.os, "fsync", lambda fd: events.append(("fsync", os.fstat(fd).st_ino)) or real_fsync(fd)
    )
    monkeypatch.setattr(
        myonn.plumbing.files.os,
        "replace",
        lambda a, b: events.append(("replace", os.stat(a).st_ino)) or real_replace(a, b),
    )

    NeuralNetwork(784, 4, 10).save(tmp_path / "model.npz")

    inode = (tmp_path / "model.npz").stat().st_ino
    assert events.index(("fsync", inode)) < events.index(("replace", inode))
    # ...and the folder after the rename, so that the new name itself reaches the disk.
    assert events.index(("fsync", tmp_path.stat().st_ino)) > events.index(("replace", inode))


# ---- a full disk, a read-only folder -------------------------------------------------------


def test_a_full_disk_while_saving_a_model_is_one_line_and_keeps_the_old_model(tmp_path, old_model, tiny_mnist_dir):
    before = old_model.read_bytes()

    result = run_python(
        [TRAIN, "--data-dir", tiny_mnist_dir, "--output", old_model, *QUICK], preexec_fn=disk_full_after(8192)
    )

    line = one_line_error(result)
    assert str(old_model) in line and "File too large" in line
    assert old_model.read_bytes() == before
    assert names(old_model.parent) == ["model.npz"]  # no temporary file left


def test_a_read_only_folder_for_the_model_is_refused_in_one_line_and_keeps_the_old_model(
    old_model, tiny_mnist_dir, read_only
):
    before = old_model.read_bytes()
    read_only(old_model.parent)

    result = run_python(
        [TRAIN, "--data-dir", tiny_mnist_dir, "--output", old_model, *QUICK], preexec_fn=bound_by_permissions
    )

    assert str(old_model.parent) in one_line_error(result)
    assert old_model.read_bytes() == before
    assert names(old_model.parent) == ["model.npz"]


def test_saving_into_a_read_only_folder_raises_one_line_naming_the_file(old_model, read_only):
    read_only(old_model.parent)
    save = f"NeuralNetwork(784, 4, 10).save({str(old_model)!r})"
    program = f"from myonn import NeuralNetwork; from myonn.plumbing.cli import run; run(lambda: {save}, 'save')"

    result = run_python(["-c", program], preexec_fn=bound_by_permissions)

    line = one_line_error(result)
    assert str(old_model) in line and "Permission denied" in line
    assert NeuralNetwork.load(old_model).hnodes == 5  # the old one
    assert names(old_model.parent) == ["model.npz"]


def test_a_full_disk_while_downloading_mnist_is_one_line_naming_the_file(data_without_test_files, mirror, tmp_path):
    before = names(data_without_test_files)

    result = run_python(
        train_downloading_from(
            mirror, "--data-dir", data_without_test_files, "--output", tmp_path / "model.npz", *QUICK
        ),
        preexec_fn=disk_full_after(4096),
    )

    line = one_line_error(result)
    assert "t10k-images-idx3-ubyte.gz" in line and "File too large" in line
    assert result.stderr.count("downloading ") == 1  # no other mirror could help: none is tried
    assert names(data_without_test_files) == before  # nothing half-downloaded, nothing temporary
    assert not (tmp_path / "model.npz").exists()


def test_a_read_only_data_folder_while_downloading_mnist_is_one_line_naming_the_file(
    data_without_test_files, mirror, tmp_path, read_only
):
    before = names(data_without_test_files)
    read_only(data_without_test_files)

    result = run_python(
        train_downloading_from(
            mirror, "--data-dir", data_without_test_files, "--output", tmp_path / "model.npz", *QUICK
        ),
        preexec_fn=bound_by_permissions,
    )

    line = one_line_error(result)
    assert "t10k-images-idx3-ubyte.gz" in line and "Permission denied" in line
    assert result.stderr.count("downloading ") == 1
    assert names(data_without_test_files) == before


# ---- two trainings saving to one file --------------------------------------------------------


def test_two_trainings_saving_to_the_same_file_at_once_leave_one_whole_network(tmp_path, tiny_mnist_dir):
    output = tmp_path / "model.npz"
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", OPENBLAS_NUM_THREADS="1")
    runs = {
        hidden: subprocess.Popen(
            [
                sys.executable,
                TRAIN,
                "--data-dir",
                tiny_mnist_dir,
                "--output",
                output,
                "--limit",
                str(TINY_TRAIN),
                "--epochs",
                "2",
                "--hidden",
                str(hidden),
                "--seed",
                str(hidden),
                "--quiet",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for hidden in (7, 9)
    }
    for run in runs.values():
        run.communicate(timeout=120)
        assert run.returncode == 0

    network = NeuralNetwork.load(output)
    assert network.hnodes in runs and network.metadata["seed"] == network.hnodes  # one run's, whole
    # The run that finishes second may find a clearly better network already there and
    # save its own beside it, whole too (./mnist_train.py never replaces a better network).
    assert names(tmp_path) in (["model.npz"], ["model.npz", "model.worse.npz"])
    if len(names(tmp_path)) == 2:
        other = NeuralNetwork.load(tmp_path / "model.worse.npz")
        assert {network.hnodes, other.hnodes} == set(runs) and other.metadata["seed"] == other.hnodes


# ---- a model from a newer myonn ----------------------------------------------------------------


def test_a_model_of_a_newer_format_asks_to_update_myonn_not_to_retrain(tmp_path):
    path = tmp_path / "new.npz"
    NeuralNetwork(784, 4, 10).save(path)
    with np.load(path) as npz:
        contents = {name: npz[name] for name in npz.files}
    metadata = json.loads(str(contents.pop("metadata")))
    np.savez(path, metadata=np.array(json.dumps({**metadata, "format_version": 2})), **contents)

    result = run_python([ROOT / "mnist_draw.py", "--model", path, "--screenshot", tmp_path / "shot.png"])

    line = one_line_error(result)
    assert "update myonn" in line and "version 2" in line
    assert "damaged" not in line and "mnist_train.py" not in line


# ---- read_idx against damaged and hostile files ---------------------------------------------------

# A few hundred damaged files a run keep the suite quick; HYPOTHESIS_PROFILE=thorough tries thousands.
settings.register_profile("quick", max_examples=200)
settings.register_profile("thorough", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def idx(shape: tuple[int, ...], payload: bytes, type_code: int = 0x08) -> bytes:
    """An IDX file's bytes: two zero bytes, the type, the dimension count, each size, then `payload`."""
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", s) for s in shape) + payload


def read_or_refuse(path: Path) -> None:
    """read_idx gives an array or a one-line DataFileError naming the file: nothing else, ever."""
    try:
        read_idx(path)
    except DataFileError as error:
        message = str(error)
        assert str(path) in message and "\n" not in message, message


# Valid files to damage: every type, 1 to 3 dimensions, a few bytes to a few kB.
valid_files = st.builds(
    lambda type_code, shape, seed: idx(
        shape,
        np.random.default_rng(seed)
        .integers(0, 256, int(np.prod(shape)) * {8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8}[type_code], dtype=np.uint8)
        .tobytes(),
        type_code,
    ),
    st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]),
    st.lists(st.integers(0, 12), min_size=1, max_size=3).map(tuple),
    st.integers(0, 2**32 - 1),
)


@st.composite
def damaged_files(draw) -> bytes:
    """A valid IDX file, then any of: cut short, bytes flipped, a dimension made absurd, gzipped."""
    data = bytearray(draw(valid_files))
    if draw(st.booleans()):  # flip some bytes, header included
        for _ in range(draw(st.integers(1, 4))):
            position = draw(st.integers(0, len(data) - 1))
            data[position] ^= draw(st.integers(1, 255))
    if draw(st.booleans()):  # an absurd dimension: up to 2**32 - 1
        ndim = max(1, min(data[3], (len(data) - 4) // 4))
        position = 4 + 4 * draw(st.integers(0, ndim - 1))
        data[position : position + 4] = struct.pack(">I", draw(st.sampled_from([2**32 - 1, 2**31, 65536, 10**9])))
    if draw(st.booleans()):
        data = bytearray(gzip.compress(bytes(data)))
    if draw(st.booleans()):  # cut short anywhere, gzip stream included
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@settings(deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=damaged_files())
def test_read_idx_refuses_any_damaged_file_only_with_a_one_line_data_file_error(tmp_path, data):
    path = tmp_path / "damaged.idx"
    path.write_bytes(data)
    read_or_refuse(path)


def gzip_bomb(declared: int, expands_to: int) -> bytes:
    """A gzipped IDX file whose header declares `declared` bytes of data, then holds `expands_to` bytes of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(idx((declared,), b""))]
    zeros = bytes(1 << 20)
    for _ in range(expands_to >> 20):
        parts.append(packer.compress(zeros))
    parts.append(packer.flush())
    return b"".join(parts)


@pytest.mark.parametrize("declared", [100, 100_000])
def test_a_gzip_bomb_is_refused_without_unzipping_beyond_what_its_header_declares(tmp_path, declared):
    path = tmp_path / "bomb.idx.gz"
    path.write_bytes(gzip_bomb(declared, 64 << 20))  # 64 MB of zeros in 64 kB

    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match="more bytes than"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # What the header declares, a few times over, plus a fixed buffer for reading the file.
    assert peak < 3 * declared + (1 << 20)


@settings(deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shape=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4).map(tuple),
    gzipped=st.booleans(),
    payload=st.binary(max_size=64),
)
def test_absurd_dimensions_use_no_more_memory_than_the_file_holds(tmp_path, shape, gzipped, payload):
    data = idx(shape, payload)
    path = tmp_path / "absurd.idx"
    path.write_bytes(gzip.compress(data) if gzipped else data)

    tracemalloc.start()
    try:
        read_or_refuse(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 1 << 20  # a few bytes of file: never an allocation of the size it claims
