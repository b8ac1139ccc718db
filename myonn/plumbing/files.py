"""Writing a file so that a crash never leaves half of it under its final name."""

from __future__ import annotations

import glob
import os
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

# A temporary file beside `path` not written to for this long was left by a save that was
# killed (a saving process still at work writes to its file, which keeps it fresh).
STALE_SECONDS = 600


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Write `path` through a temporary file beside it, renamed over `path` only when complete.

        with atomic_write("data/mnist_nn.npz") as out:
            out.write(...)

    Leaving the block normally flushes the file to disk and renames it into place, so
    readers see either the old file or the whole new one. Leaving it by an exception
    (Ctrl-C included) removes the temporary file and leaves `path` as it was; a save
    killed outright leaves it, and the next save of `path` removes it once it is stale.
    The file gets the usual permissions for a new file here (0o666 less the umask).
    """
    path = Path(path)
    remove_stale(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        _sync_folder(path.parent)
    finally:
        if temporary.exists():
            temporary.unlink()


def remove_stale(path: Path) -> None:
    """Remove the temporary files of earlier saves of `path` that were killed, once STALE_SECONDS old."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: the save goes on all the same


def _sync_folder(folder: Path) -> None:
    """Flush a folder's list of names to disk, so that a rename in it survives a power cut."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a folder (Windows): the rename is done, only less durable
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
