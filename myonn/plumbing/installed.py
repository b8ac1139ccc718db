"""Before a script does any work: is everything it needs installed for this Python?

A new terminal without the project's virtual environment runs the system's
`python3`, which may lack pygame or tqdm. Rather than a traceback (and only after
loading the data), each script calls `require_packages` first and gets one line
saying what is missing and how to get it. This module and `myonn/__init__.py`
import only the standard library, so the check itself cannot fail that way.
"""

import importlib.util
import os
import sys
from pathlib import Path

from myonn.plumbing import paths
from myonn.plumbing.cli import say

OLDEST_PYTHON = (3, 9)


def missing_packages(*packages: str) -> list:
    """Which of the `packages` (import names) this Python cannot find, without importing any."""
    return [name for name in packages if importlib.util.find_spec(name) is None]


def how_to_install(windows: bool | None = None) -> str:
    """What the learner should do, for the Python they ran the script with: a phrase, then
    after a newline the command to type (`cli.fit` gives it a line of its own).

    `windows` (default: whether this is Windows) gives Windows' commands: its virtual
    environments keep their scripts in Scripts, not bin.
    """
    venv = paths.PROJECT / ".venv"
    windows = os.name == "nt" if windows is None else windows
    if sys.prefix != sys.base_prefix:  # inside a virtual environment, but not one with everything
        return f"install the project into it:\npip install -e {paths.shown(paths.PROJECT)}"
    if venv.is_dir():
        activate = venv / "Scripts" / "activate" if windows else venv / "bin" / "activate"
        return f"activate the project's virtual environment first:\n{'' if windows else '. '}{paths.shown(activate)}"
    then = ", then " if windows else " && "  # PowerShell before 7 has no "&&": one command after the other
    go = "" if Path.cwd() == paths.PROJECT else f"cd {paths.shown(paths.PROJECT)}{then}"
    if windows:  # the README's Windows commands
        return f'set the project up first (README, "Set up"):\n{go}py -m venv .venv, then .venv\\Scripts\\activate, then pip install -e .'
    return f'set the project up first (README, "Set up"):\n{go}python3 -m venv .venv && . .venv/bin/activate && pip install -e .'


def require_packages(program: str, *packages: str) -> None:
    """Exit with one message and status 2 unless this Python is new enough and has every one of `packages`."""
    problem = None
    if sys.version_info < OLDEST_PYTHON:
        problem = f"needs Python {'.'.join(map(str, OLDEST_PYTHON))} or newer, not {sys.version.split()[0]}"
    else:
        missing = missing_packages(*packages)
        if missing:
            names = " and ".join(missing)
            problem = f"{names} {'is' if len(missing) == 1 else 'are'} not installed for {sys.executable}"
    if problem:
        say(f"{program}: error: {problem}; {how_to_install()}", sys.stderr)
        sys.exit(2)


# OpenBLAS (the NumPy wheels' own), OpenMP builds, Intel's MKL, and Apple's Accelerate (vecLib).
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def one_blas_thread() -> bool:
    """Have NumPy's BLAS start with its matrix products on one thread, unless the learner
    set a thread count; return whether they did.

    Call it before NumPy is imported: BLAS reads these variables once, as it loads.
    The scripts do. A BLAS thread per core helps only a process that has the cores to
    itself: a thread waiting for a core that another program (or the script's own
    other thread) holds stalls the rest, and a step takes many times longer. The
    trainer then gives the products more threads while it sees cores free
    (`myonn.plumbing.cores`), unless the learner chose.
    """
    learner_chose = any(variable in os.environ for variable in BLAS_THREADS)
    for variable in BLAS_THREADS:
        os.environ.setdefault(variable, "1")
    return learner_chose
