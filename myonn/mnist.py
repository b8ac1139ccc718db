"""The MNIST dataset: reading its IDX files, and downloading them when they are missing.

MNIST comes as four files in the IDX format (http://yann.lecun.com/exdb/mnist/):
60,000 training and 10,000 test images of 28x28 grey pixels (0 background, 255 ink),
each with a label file of digits 0-9. An IDX file is a small big-endian header
(a magic number holding the element type and the number of dimensions, then the
size of each dimension) followed by the elements themselves.

    images, labels = load("train")      # uint8 (60000, 28, 28), uint8 (60000,)

Every problem with a file is raised as `DataFileError` with a one-line message that
names the file, so a learner is never shown a traceback or a silently wrong array.
"""

from __future__ import annotations

import hashlib
import http.client
import math
import os
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from myonn.plumbing import paths
from myonn.plumbing.cli import say
from myonn.plumbing.errors import DataFileError
from myonn.plumbing.files import atomic_write

# The split name -> (images file, labels file, number of examples).
SPLITS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000),
}

# The published SHA-256 of each original file: a download is kept only if it matches.
SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# Well-known copies of the original files, tried in turn. The original site is last:
# it often refuses automated downloads.
MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]

# IDX type code -> NumPy element type (all big-endian, as the format says).
IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

DOWNLOAD_TIMEOUT = 30  # seconds without an answer before a mirror counts as dead


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file, gzipped or not, and return its array.

    Any element type and any number of dimensions. The magic number, the type code
    and the exact payload length are checked; a bad file raises `DataFileError`.
    Multi-byte elements come back in the machine's native byte order, in an array
    of its own that may be written to. A gzipped file is unzipped only as far as its
    header says it goes: a damaged or hostile one cannot fill the memory.
    """
    path = Path(path)
    try:
        with open(path, "rb") as file:
            return _parse_idx(_IdxStream(file, path), path)
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found") from None
    except OSError as error:
        raise DataFileError(f"{path}: cannot be read ({error.strerror or error})") from None


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write `array` as an uncompressed IDX file that `read_idx` reads back as it was.

    Any element type IDX has (uint8, int8, int16, int32, float32, float64), at least
    one dimension. Written atomically (`myonn.plumbing.files.atomic_write`): a crash leaves the
    old file or the whole new one, never half of either.
    """
    array = np.asarray(array)
    codes = {dtype.newbyteorder("="): code for code, dtype in IDX_TYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None or array.ndim == 0:
        raise ValueError(
            f"IDX holds arrays of one or more dimensions of {sorted(map(str, codes))}, not {array.dtype} {array.shape}"
        )
    header = bytes([0, 0, code, array.ndim]) + b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    with atomic_write(path) as out:
        out.write(header)
        out.write(np.ascontiguousarray(array, dtype=IDX_TYPES[code]).tobytes())


class _IdxStream:
    """The bytes of an open IDX file, unzipped on the fly when gzipped (told by content, not name).

    `read(n)` gives at most n bytes and never unzips more than it gives, so the memory
    used is what the caller asks for, whatever the file would expand to.
    """

    CHUNK = 1 << 16  # bytes of the file read at a time

    def __init__(self, file, path: Path):
        self.file, self.path = file, path
        self.pending = file.read(self.CHUNK)  # read but not yet given (or not yet unzipped)
        # zlib with wbits=31 reads the gzip wrapper and is about twice as fast as gzip.
        self.unzip = zlib.decompressobj(31) if self.pending[:2] == b"\x1f\x8b" else None

    def size(self) -> int | None:
        """The whole size of a file that is not gzipped (None when it is)."""
        return None if self.unzip else os.fstat(self.file.fileno()).st_size

    def read(self, n: int) -> bytes:
        """The next n bytes, or fewer where the file ends."""
        parts, count = [], 0
        while count < n:
            piece = self._next(n - count)
            if not piece:
                break
            parts.append(piece)
            count += len(piece)
        return b"".join(parts)

    def _next(self, most: int) -> bytes:
        """Some of the next bytes, at most `most`; b"" at the end of the file."""
        if self.unzip is None:
            if not self.pending:
                return self.file.read(min(most, self.CHUNK))
            piece, self.pending = self.pending[:most], self.pending[most:]
            return piece
        while not self.unzip.eof:
            source = self.unzip.unconsumed_tail or self.pending or self.file.read(self.CHUNK)
            try:
                # Even with no input left, zlib may still hold output from what it was given.
                piece = self.unzip.decompress(source, min(most, 16 * self.CHUNK))
            except zlib.error as error:
                raise DataFileError(f"{self.path}: damaged gzip file ({error}); download it again") from None
            self.pending = b""  # what zlib did not take is in its unconsumed_tail
            if piece:
                return piece
            if not source:
                raise DataFileError(f"{self.path}: truncated gzip file (download it again)")
        return b""


def _parse_idx(stream: _IdxStream, path: Path) -> np.ndarray:
    """Check an IDX header against its payload and return the elements as an array."""
    head = stream.read(64)
    # An IDX file starts with two zero bytes, so a leading "<" is a web page (an error
    # page or a mirror's "moved" notice saved by a browser or a proxy), never data.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise DataFileError(f"{path}: an HTML page saved under an IDX name, not MNIST data; delete it")
    if len(head) < 4:
        raise DataFileError(f"{path}: not an IDX file (only {len(head)} bytes)")
    zero, type_code, ndim = int.from_bytes(head[0:2], "big"), head[2], head[3]
    if zero != 0 or type_code not in IDX_TYPES or ndim == 0:
        raise DataFileError(
            f"{path}: not an IDX file (magic number 0x{head[:4].hex()}; "
            "expected 0x0000 then a type code and a dimension count)"
        )
    header_size = 4 + 4 * ndim
    data = bytearray(head)
    data += stream.read(header_size - len(data))
    if len(data) < header_size:
        raise DataFileError(f"{path}: truncated IDX header ({len(data)} of {header_size} bytes)")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = IDX_TYPES[type_code]
    # Python integers: a damaged header's sizes can overflow NumPy's 64-bit product.
    expected = header_size + math.prod(shape) * dtype.itemsize
    size = stream.size()
    if size is not None and size < expected:  # known before reading a byte of a plain file
        raise DataFileError(f"{path}: truncated: {size} bytes where its header {shape} needs {expected}")
    if size is not None and size > expected:
        raise DataFileError(f"{path}: {size - expected} bytes more than its header {shape} describes")
    # One byte more than the header describes is enough to know the file is too long.
    data += stream.read(expected + 1 - len(data))
    if len(data) < expected:
        raise DataFileError(f"{path}: truncated: {len(data)} bytes where its header {shape} needs {expected}")
    if len(data) > expected:
        raise DataFileError(f"{path}: more bytes than the {expected} its header {shape} describes")
    try:
        array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    except (ValueError, OverflowError):  # no data, but sizes beyond what NumPy can shape: (0, 2**32 - 1, ...)
        raise DataFileError(f"{path}: its header's sizes {shape} are too large for an array") from None
    # astype copies: the result is native-endian and writeable (frombuffer's view of
    # the bytes is read-only, which surprises anyone who edits an image in place).
    return array.astype(dtype.newbyteorder("="))


def load(split: str, data_dir: str | os.PathLike = paths.DATA_DIR, mirrors: Iterable[str] | None = None):
    """Load one split of MNIST: `"train"` (60,000 examples) or `"test"` (10,000).

    Returns (images, labels): uint8 arrays shaped (n, 28, 28) and (n,). `data_dir` is
    the project's data/ unless given (from any working folder). Files missing
    from `data_dir` are first downloaded from `mirrors` (default `MIRRORS`). Raises
    `DataFileError` when a file is missing and cannot be fetched, or is not what it
    should be, or when images and labels disagree.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    images_name, labels_name, _ = SPLITS[split]
    data_dir = Path(data_dir)
    ensure_files([images_name, labels_name], data_dir, mirrors)
    images_path, labels_path = local_file(data_dir, images_name), local_file(data_dir, labels_name)

    images, labels = read_digit_pair(images_path, labels_path)
    if len(images) != len(labels):
        raise DataFileError(f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels")
    return images, labels


_read: dict[Path, dict[str, tuple[np.ndarray, np.ndarray]]] = {}  # the last folder read, by its path


def read_if_there(data_dir: str | os.PathLike) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """Both splits of MNIST in `data_dir`, {"train": (images, labels), "test": ...}, or None when
    a file is missing or damaged. Never downloads: the drawing window uses it for what it can
    do without MNIST (the script that trains says what is wrong with a damaged file).

    The files are read once per folder: asked again (after a lesson), the same arrays come
    back at once. Treat them as read-only.
    """
    folder = Path(data_dir).resolve()
    if folder in _read:
        return _read[folder]
    if any(local_file(folder, name) is None for split in ("train", "test") for name in SPLITS[split][:2]):
        return None
    try:
        found = {split: load(split, folder) for split in ("train", "test")}
    except DataFileError:
        return None
    _read.clear()  # one folder kept: the window reads only data/
    _read[folder] = found
    return found


def read_digit_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read an IDX pair of digits like MNIST's: uint8 images (n, 28, 28) and labels 0-9 (m,).

    Checks each file's type and shape and the labels' range, raising `DataFileError`
    naming the file; the counts are left for the caller to compare. Used for MNIST
    and for the digits a learner teaches (`myonn.teaching`).
    """
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise DataFileError(
            f"{images_path}: expected uint8 images shaped (n, 28, 28), found {images.dtype} {images.shape}"
            + (" (a labels file?)" if images.ndim == 1 else "")
        )
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise DataFileError(
            f"{labels_path}: expected uint8 labels shaped (n,), found {labels.dtype} {labels.shape}"
            + (" (an images file?)" if labels.ndim == 3 else "")
        )
    if labels.size and labels.max() > 9:
        raise DataFileError(f"{labels_path}: label {labels.max()} found; MNIST labels are 0 to 9")
    return images, labels


def local_file(data_dir: Path, name: str) -> Path | None:
    """Where the MNIST file `name` is in `data_dir`: as published (.gz) or unzipped; None if neither."""
    for candidate in (data_dir / name, data_dir / name.removesuffix(".gz")):
        if candidate.exists():
            return candidate
    return None


def ensure_files(names: Iterable[str], data_dir: Path, mirrors: Iterable[str] | None = None) -> None:
    """Download whichever of the named MNIST files are missing from `data_dir`.

    Each mirror is tried in turn; a file is kept only when its SHA-256 matches the
    published one, and it reaches its final name only when complete. Raises
    `DataFileError` saying what is missing and how to get it by hand.
    """
    missing = [name for name in names if local_file(data_dir, name) is None]
    if not missing:
        return
    mirrors = list(MIRRORS if mirrors is None else mirrors)
    # Folders made here are removed again if nothing could be fetched into them, so a
    # mistyped --data-dir leaves nothing behind.
    made = [folder for folder in (data_dir, *data_dir.parents) if not folder.exists()]
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFileError(f"{data_dir}: cannot create the data folder ({error.strerror or error})") from None
    for name in missing:
        reason = download(name, data_dir, mirrors)
        if reason:
            break  # every mirror failed: the rest would most likely fail too (no network), each after a timeout
    else:
        return
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            break
    # Every MNIST file the folder lacks, not just this split's: one trip to fetch them all.
    still_missing = [file for file in dict.fromkeys([*missing, *SHA256]) if local_file(data_dir, file) is None]
    raise DataFileError(
        f"MNIST file(s) missing from {data_dir.resolve()}: {', '.join(still_missing)}; download failed "
        f"({reason}). Fetch them by hand from {mirrors[0] if mirrors else MIRRORS[0]} "
        f"(or any MNIST mirror) into that folder."
    )


class WrongChecksum(Exception):
    """A mirror sent a file other than the published one."""


class MirrorFailed(Exception):
    """A mirror could not be reached or broke off: its message says why, in one line."""


def download(name: str, data_dir: Path, mirrors: Iterable[str]) -> str | None:
    """Fetch one MNIST file into `data_dir`, trying each mirror in turn.

    Returns None on success, or the reason the last mirror failed. The file is written
    to a temporary name in `data_dir` and renamed only once its checksum is right, so a
    partial or wrong download never sits under the final name. A file that cannot be
    written here (a read-only folder, a full disk) raises `DataFileError` at once: no
    other mirror would help.
    """
    reason = "no mirror given"
    target = data_dir / name
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name
        say(f"downloading {url}", sys.stderr)
        try:
            with atomic_write(target) as out:
                digest = hashlib.sha256()
                for chunk in _fetch(url):
                    digest.update(chunk)
                    out.write(chunk)
                if digest.hexdigest() != SHA256.get(name, digest.hexdigest()):
                    raise WrongChecksum(url)  # leaves the block: the download is thrown away
            return None
        except WrongChecksum:
            reason = f"{url} sent a file whose checksum is wrong"
            say(f"  {reason}; trying the next mirror", sys.stderr)
        except MirrorFailed as error:
            reason = f"{url}: {error}"
            say(f"  failed: {reason}", sys.stderr)
        except OSError as error:  # only writing here: every error of the mirror's is a MirrorFailed
            raise DataFileError(f"{target}: cannot write the download ({error.strerror or error})") from None
    return reason


def _fetch(url: str) -> Iterator[bytes]:
    """The file at `url`, a chunk at a time; any failure of the mirror's is a `MirrorFailed`."""
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            while chunk := response.read(1 << 16):
                yield chunk
    # URLError and timeouts are OSErrors; a server that does not speak HTTP raises
    # HTTPException (BadStatusLine, IncompleteRead, ...); ValueError is a malformed URL.
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise MirrorFailed(_why(error)) from None


def _why(error: Exception) -> str:
    """Why a download failed, in one line (a server's garbage may hold line breaks)."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, http.client.HTTPException):
        return f"the server sent a broken HTTP answer ({type(error).__name__})"
    text = " ".join(str(getattr(error, "reason", None) or error).split())
    return text or type(error).__name__
