"""How many cores the matrix products get: the ones other programs leave free.

NumPy hands its matrix products to a BLAS library (OpenBLAS, in NumPy's own wheels),
which splits each product between threads, one per core. On an idle machine that
nearly halves a training step on two cores. On a busy one it is a trap: a product is
finished only when its last thread is, and a thread waiting for a core that another
program holds stalls all the others, product after product. A laptop with a browser
open is such a machine.

So the trainer asks, before it starts and then every half second, how much of the
machine other programs used lately (`OtherPrograms`), and gives the products as many
threads as there are cores left (`CoreShare`). On an idle machine that is every core,
on a busy one it is one, and it changes only when the load does: a run on a machine
that stays as idle or as busy keeps one thread count throughout, and the same seed
gives the same network. (Products split between a different number of threads add
their numbers in a different order: the weights differ in their last bits.)

Linux tells all of this (`/proc/stat`). Where nothing tells it (macOS, Windows, a
sandbox that hides it), the count stays as the script started it, one thread: safe on a
busy machine. The count is set through OpenBLAS's own `openblas_set_num_threads`; with
another BLAS, or none found, it stays as it was too.
"""

from __future__ import annotations

import ctypes
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

# The names OpenBLAS builds give their thread-count functions: NumPy's 2.x wheels, its
# 1.x wheels (both with a suffix for their 64-bit integers), and a system's OpenBLAS.
SETTERS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads")


class Blas:
    """NumPy's BLAS library, to read and set how many threads its matrix products use."""

    def __init__(self, setter: Callable[[int], None] | None = None, getter: Callable[[], int] | None = None):
        """Found with `Blas.find()`; without a setter the thread count can only be left alone."""
        self.setter, self.getter = setter, getter

    @classmethod
    def find(cls) -> "Blas":
        """NumPy's OpenBLAS, with its set/get functions; or one that can set nothing."""
        import numpy  # loads the BLAS library, so that it is among this process's libraries

        for path in _loaded_libraries() + _bundled_with(numpy):
            if "blas" not in path.name.lower():  # libopenblas, libscipy_openblas64_, Debian's libblas.so.3
                continue
            try:
                library = ctypes.CDLL(str(path))
            except OSError:
                continue
            for name in SETTERS:
                setter = getattr(library, name, None)
                getter = getattr(library, name.replace("set_num", "get_num"), None)
                if setter is not None and getter is not None:
                    setter.argtypes, setter.restype, getter.restype = [ctypes.c_int], None, ctypes.c_int
                    return cls(setter, getter)
        return cls()

    @property
    def can_set(self) -> bool:
        """Whether the thread count can be changed while the program runs."""
        return self.setter is not None

    def threads(self) -> int | None:
        """How many threads the matrix products use now (None when it cannot be told)."""
        return int(self.getter()) if self.getter is not None else None

    def use(self, threads: int) -> None:
        """Have the matrix products use `threads` threads from now on (nothing when it cannot)."""
        if self.setter is not None and threads != self.threads():
            self.setter(int(threads))


def _loaded_libraries() -> list[Path]:
    """The shared libraries this process has loaded (Linux lists them in /proc/self/maps)."""
    try:
        text = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    return list(dict.fromkeys(Path(match) for match in re.findall(r"\s(/\S+\.so[.\d]*)$", text, re.MULTILINE)))


def _bundled_with(numpy) -> list[Path]:
    """The libraries NumPy's wheels carry beside the package (numpy.libs, numpy/.dylibs)."""
    package = Path(numpy.__file__).parent
    return [
        path
        for folder in (package.parent / "numpy.libs", package / ".dylibs")
        if folder.is_dir()
        for path in sorted(folder.iterdir())
    ]


# ---- how busy the machine is ------------------------------------------------------------


def cpu_times(stat: str, cpus: set[int] | None = None) -> tuple[float, float] | None:
    """(busy, idle) seconds of `cpus` (default: all) since boot, from the text of /proc/stat;
    None when it has no line for any of them (a container's own numbering, say).

    Each `cpuN` line counts clock ticks spent in: user, nice, system, idle, iowait, irq,
    softirq, steal (and guest time, already inside user). Idle and iowait are idle.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy = idle = lines = 0
    for line in stat.splitlines():
        match = re.match(r"cpu(\d+)\s+(.*)", line)
        if not match or (cpus is not None and int(match.group(1)) not in cpus):
            continue
        ticks = [int(value) for value in match.group(2).split()[:8]]
        idle += ticks[3] + ticks[4]
        busy += sum(ticks) - ticks[3] - ticks[4]
        lines += 1
    return (busy / tick, idle / tick) if lines else None


def own_cpu_seconds() -> float:
    """The processor time this process has used, all its threads together (user + system)."""
    times = os.times()
    return times.user + times.system


class OtherPrograms:
    """How many cores' worth of work other programs did since the last look (`cores_used`)."""

    # Fewer seconds than this between two looks say little (the counters tick 100 times
    # a second): the first look after starting waits for them.
    SHORTEST = 0.1

    def __init__(
        self,
        read_stat: Callable[[], str] | None = None,
        own: Callable[[], float] = own_cpu_seconds,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        """Start counting now. `read_stat` gives the text of /proc/stat (None: read it, when there is one)."""
        self.cpus = usable_cpus()
        if read_stat is None and Path("/proc/stat").is_file():
            read_stat = lambda: Path("/proc/stat").read_text()  # noqa: E731
        self.read_stat, self.own, self.clock, self.sleep = read_stat, own, clock, sleep
        self.last = self._reading()

    def _reading(self) -> tuple[float, float, float] | None:
        """(now, busy seconds of the usable cores, this process's seconds), or None if it cannot be told."""
        if self.read_stat is None:
            return None
        try:
            times = cpu_times(self.read_stat(), self.cpus)
        except (OSError, ValueError, IndexError):  # hidden, or not the format this reads
            return None
        return None if times is None else (self.clock(), times[0], self.own())

    def cores_used(self) -> float | None:
        """Cores kept busy by other programs since the last call (or since starting): 1.0 is one
        core; None when the system does not say."""
        reading = self._reading()
        if reading is not None and self.last is not None and reading[0] - self.last[0] < self.SHORTEST:
            self.sleep(self.SHORTEST - (reading[0] - self.last[0]))
            reading = self._reading()
        if reading is None or self.last is None:
            self.last = reading
            return None
        (then, busy_then, own_then), (now, busy_now, own_now) = self.last, reading
        self.last = reading
        seconds = now - then
        if seconds <= 0:
            return 0.0
        return max(0.0, (busy_now - busy_then) - (own_now - own_then)) / seconds


def usable_cpus() -> set[int] | None:
    """The cores this process may run on (None where the system cannot say which)."""
    return set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def core_count() -> int:
    """How many cores this process may run on."""
    cpus = usable_cpus()
    return len(cpus) if cpus else os.cpu_count() or 1


def threads_for(cores: int, others: float, reserved: int = 0) -> int:
    """The threads for the matrix products: the cores left when others use `others` cores'
    worth and `reserved` are kept for this program's own other work; always at least one.

    A core counts as taken once others use more than half of it.
    """
    free = cores - others - reserved
    return max(1, int(free + 0.5))


class CoreShare:
    """Gives the matrix products the cores other programs leave free, and keeps it so.

    Make one when the program starts, so that its first look at the machine covers
    the time spent loading. `start(reserved)` sets the thread count before training;
    `check()`, called after every batch, looks again every `interval` seconds and
    changes the count only when the load has changed for two looks in a row, so a
    moment's work elsewhere does not change it. `stop()` puts back the count found.
    """

    def __init__(
        self,
        blas: Blas | None = None,
        others: OtherPrograms | None = None,
        cores: int | None = None,
        interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ):
        """Start watching the machine now."""
        self.blas = blas if blas is not None else Blas.find()
        self.others = others if others is not None else OtherPrograms(clock=clock)
        self.cores = cores if cores is not None else core_count()
        self.interval, self.clock = interval, clock
        self.reserved, self.threads, self.wanted, self.found = 0, None, None, None
        self.counts: list[int] = []  # every thread count used, in order (for the record)
        self.next_look = clock()

    def start(self, reserved: int = 0) -> int | None:
        """Set the thread count for training, keeping `reserved` cores for other work; return it."""
        self.found = self.blas.threads()
        self.reserved, self.counts = reserved, []
        others = self.others.cores_used()
        # Not knowing how busy the machine is, keep the count found (the scripts start at 1).
        self._use(self.found if others is None else threads_for(self.cores, others, reserved))
        return self.threads

    def check(self) -> None:
        """Every `interval` seconds: look at the machine, and follow a load that has changed."""
        now = self.clock()
        if now < self.next_look:
            return
        self.next_look = now + self.interval
        others = self.others.cores_used()
        if others is None:
            return
        wanted = threads_for(self.cores, others, self.reserved)
        if wanted != self.threads and wanted == self.wanted:  # the same answer twice in a row
            self._use(wanted)
        self.wanted = wanted

    def stop(self) -> None:
        """Give the BLAS back the thread count it had before `start`."""
        if self.found is not None:
            self.blas.use(self.found)

    @contextmanager
    def during(self, reserved: int = 0):
        """`start(reserved)` on entering, `stop()` on leaving, however it is left."""
        self.start(reserved)
        try:
            yield self
        finally:
            self.stop()

    def _use(self, threads: int | None) -> None:
        if not self.blas.can_set or threads is None:  # another BLAS (or none found): left as it is
            threads = self.blas.threads()
        else:
            self.blas.use(threads)
        self.threads = self.wanted = threads
        self.next_look = self.clock() + self.interval
        if threads is not None and (not self.counts or self.counts[-1] != threads):
            self.counts.append(threads)
