"""A pytest plugin for benchmarks/mutants.py: the functions a test's subprocesses reached count as the test's.

While mutmut counts which tests reach which function ("stats"), the subprocesses a
test starts must not be told "stats" through the environment (they would look for
mutmut's settings in their own folder, and fail); they are told MYONN_MUTMUT_STATS, the
folder where sitecustomize.py writes what they reached, instead.

It also runs a mutant's tests quickest first. mutmut stops at the first failure (-x),
and most mutants are killed by a quick test of the function itself; in the files'
order, a slow test of a whole script often came first.
"""

import os
import tempfile
from pathlib import Path

import pytest

_folder = None


def pytest_configure(config):
    global _folder
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    import mutmut.mutation.trampoline as trampoline

    _folder = tempfile.mkdtemp(prefix="myonn-mutmut-hits-")
    del os.environ["MUTANT_UNDER_TEST"]
    trampoline._mutant_under_test = "stats"  # this process still counts
    os.environ["MYONN_MUTMUT_STATS"] = _folder


def pytest_unconfigure(config):
    global _folder
    if _folder is None:
        return
    os.environ["MUTANT_UNDER_TEST"] = "stats"
    del os.environ["MYONN_MUTMUT_STATS"]
    _folder = None


@pytest.hookimpl(tryfirst=True)  # before mutmut's own teardown hook reads what the test reached
def pytest_runtest_teardown(item, nextitem):
    if _folder is None:
        return
    from mutmut.state import state

    for path in Path(_folder).glob("*.txt"):
        state()._stats.update(path.read_text().split())
        path.unlink()


def pytest_collection_modifyitems(config, items):
    """Outside the counting run, run the tests quickest first, by the times mutmut recorded."""
    if os.environ.get("MUTANT_UNDER_TEST") in (None, "stats", "list_all_tests"):
        return
    from mutmut.state import state

    durations = state().duration_by_test
    items.sort(key=lambda item: durations.get(item.nodeid, float("inf")))
