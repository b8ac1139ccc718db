"""Writing files so that a crash never leaves half of one under its final name."""

from __future__ import annotations

import os


def readable_mode() -> int:
    """The permissions a new file gets by default here (0o666 less the umask).

    Files are first written under a private temporary name (tempfile.mkstemp makes
    them 0o600) and then renamed; they are given these ordinary permissions first.
    """
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
