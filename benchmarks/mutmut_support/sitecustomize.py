"""Lets mutmut reach into the Pythons the tests start (imported by every Python started under benchmarks/mutants.py).

The tests run ./mnist_train.py and the windows as a learner does, in another Python.
Two things would go wrong there without this file:

- a script run as a program is the module `__main__`, while mutmut names its mutants
  after the file (`mnist_train.x_main__mutmut_3`): the script would never run its
  mutant, and every mutant of it that only a subprocess test reaches would "survive";
- while mutmut counts which tests reach which function ("stats"), the calls made in
  another Python are never heard of. subprocess_hits.py sets MYONN_MUTMUT_STATS, and
  this writes the functions such a process reached into a file in that folder, which
  subprocess_hits.py hands to mutmut at the end of the test.

A Python started with -S imports no sitecustomize: it runs the code unmutated and counts nothing.
"""

import atexit
import os
import sys

if os.environ.get("MYONN_MUTMUT_STATS") or os.environ.get("MUTANT_UNDER_TEST"):
    import mutmut.mutation.trampoline as _trampoline

    def _main_module_name() -> str:
        """The name mutmut gave the module running as `__main__`: mnist_train, or myonn.__main__ for python -m."""
        main = sys.modules.get("__main__")
        spec = getattr(main, "__spec__", None)
        if spec is not None and spec.name:
            return spec.name
        return os.path.splitext(os.path.basename(getattr(main, "__file__", "") or ""))[0]

    _find_mutant = _trampoline.get_mutant_under_test

    def _mutant_under_test() -> str:
        name = _find_mutant()
        module, _, mutant = name.rpartition(".")
        if module and module == _main_module_name():
            return f"__main__.{mutant}"  # what the trampoline compares with the function's __module__
        return name

    _trampoline.get_mutant_under_test = _mutant_under_test

    if os.environ.get("MYONN_MUTMUT_STATS"):
        _hits = set()
        _trampoline._mutant_under_test = "stats"
        os.environ.pop("MUTANT_UNDER_TEST", None)

        def _record(name, caller=None):
            if name.startswith("__main__."):
                name = _main_module_name() + name[len("__main__") :]
            _hits.add(name)

        _trampoline.record_trampoline_hit = _record

        @atexit.register
        def _write_hits() -> None:
            if _hits:
                path = os.path.join(os.environ["MYONN_MUTMUT_STATS"], f"{os.getpid()}.txt")
                with open(path, "w") as file:
                    file.write("\n".join(sorted(_hits)))
