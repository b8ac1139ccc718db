"""Run mutmut over the package and the scripts, module by module, and print how many mutants the tests catch.

mutmut makes its mutants mechanically: every one-line change of the kinds it knows
(an operator, a number, a string, a keyword argument, a call left out), in every
function, so the list is nobody's choice. For each one it runs the tests that reach
that function; a mutant is "killed" when one of them fails.

    pip install -e ".[dev]"                          # mutmut comes with the developers' extras
    python benchmarks/mutants.py                      # every module (an hour or more on 2 cores)
    python benchmarks/mutants.py myonn.styles mnist_train
    python benchmarks/mutants.py --survivors myonn.styles   # and list what got through
    python benchmarks/mutants.py --sample 20      # 20 mutants of every module, drawn at random

A whole run takes most of a day on 2 cores; `--sample N` tries N mutants of each
module drawn at random (the same N for the same --seed), which estimates each
module's share in an hour or two. The draw is the dice's, not ours. A second run of the
same sample tries only the mutants not caught yet. A mutant whose tests wait idle for
minutes (a window's loop that is never told to stop) is ended and counted caught: mutmut's
own limit counts CPU seconds, which a waiting window does not use.

It works in a copy of the repository that mutmut makes in `mutants/` (git ignores it),
and keeps its results there, so a second run only tries what changed. It is slow:
not part of CI. The figures are in docs/testing.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = Path(__file__).resolve().parent / "mutmut_support"

# mutmut's word for what happened to a mutant, and whether the tests caught it.
CAUGHT = {"killed": True, "timeout": True, "segfault": True, "caught by type check": True}
MISSED = {"survived", "no tests", "suspicious"}


def modules() -> list[str]:
    """Every module mutmut mutates: the package's, then the three scripts."""
    names = []
    for path in sorted((ROOT / "myonn").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names + ["mnist_train", "mnist_render", "mnist_draw"]


def mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """Run mutmut in the repository, with the support that reaches the tests' subprocesses."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SUPPORT), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "mutmut", *args]
    return subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=capture)


# A mutant whose tests run this long on almost no CPU is waiting for an event that never
# comes (a window's loop): mutmut's own limit counts CPU seconds, so it would wait for ever.
HANG_SECONDS = 150


def end_hung_mutants(stop: threading.Event) -> None:
    """Until `stop`, end every mutant that waits idle (Linux: read from /proc); mutmut counts it a timeout, caught."""
    tick = os.sysconf("SC_CLK_TCK")
    while not stop.wait(15):
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                title = (stat.parent / "cmdline").read_bytes().split(b"\0")[0]
                fields = stat.read_text().rpartition(")")[2].split()  # from the state, field 3, on
            except OSError:
                continue  # gone meanwhile
            if title.startswith(b"mutmut: "):
                cpu = sum(int(f) for f in fields[11:15]) / tick  # its own and its finished children's
                age = uptime - int(fields[19]) / tick
                if age > HANG_SECONDS and cpu < 0.1 * age:
                    print(f"\n{title.decode()[8:]}: waited {age:.0f} s on {cpu:.0f} s of CPU, ended", flush=True)
                    os.kill(int(stat.parent.name), signal.SIGXCPU)  # what mutmut itself sends: a timeout


def results() -> dict[str, str]:
    """Every mutant mutmut has tried, with what happened to it."""
    listing = mutmut("results", "--all", "true", capture=True).stdout
    statuses = {}
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" in name:
            statuses[name] = status
    return statuses


def made() -> list[str]:
    """Every mutant mutmut has made so far (it makes them all at the start of any run)."""
    names = []
    for meta in sorted((ROOT / "mutants").rglob("*.meta")):
        names += json.loads(meta.read_text()).get("exit_code_by_key", {})
    return names


def sample(wanted: list[str], size: int, seed: int) -> list[str]:
    """`size` mutants of each module in `wanted`, drawn at random (all of a module with fewer)."""
    by_module: dict[str, list[str]] = {}
    for name in made():
        by_module.setdefault(module_of(name), []).append(name)
    drawn = []
    for module in wanted:
        names = sorted(by_module.get(module, []))
        drawn += random.Random(f"{seed}:{module}").sample(names, min(size, len(names)))
    return drawn


def module_of(mutant: str) -> str:
    """`myonn.styles.x_draw_strokes__mutmut_8` -> `myonn.styles` (class methods are named xǁClassǁmethod)."""
    return mutant.partition("__mutmut_")[0].rpartition(".")[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all), e.g. myonn.styles mnist_train")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that got through")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tried at once (default: 2)")
    parser.add_argument("--report", action="store_true", help="print the figures of the last runs without running")
    parser.add_argument("--sample", type=int, metavar="N", help="try only N mutants of each module, drawn at random")
    parser.add_argument("--seed", type=int, default=0, help="which random draw --sample takes (default: 0)")
    args = parser.parse_args()
    wanted = args.modules or modules()
    unknown = [m for m in wanted if m not in modules()]
    if unknown:
        parser.error(f"no such module: {', '.join(unknown)} (choose from {', '.join(modules())})")
    drawn = None
    if args.sample is not None:
        drawn = sample(wanted, args.sample, args.seed)
        if not drawn:
            parser.error("mutmut has made no mutants yet: run this once without --sample (stop it once it tries them)")
    if not args.report:
        # One run for all of them: each run starts by running the whole suite twice (clean, and forced to fail).
        print(f"mutmut runs over {len(wanted)} module(s); mutmut shows its progress", flush=True)
        names = [f"{module}.*" for module in wanted]
        if drawn is not None:
            # mutmut tries again every mutant it is named; one the tests caught stays caught (the
            # tests only grow), and mutmut forgets the verdict itself when the mutated function changes.
            before = results()
            names = [name for name in drawn if not CAUGHT.get(before.get(name, ""))]
        stop = threading.Event()
        if Path("/proc/uptime").exists():
            threading.Thread(target=end_hung_mutants, args=(stop,), daemon=True).start()
        mutmut("run", "--max-children", str(args.max_children), *names)
        stop.set()
    statuses = results()
    if drawn is not None:
        chosen = set(drawn)
        statuses = {name: status for name, status in statuses.items() if name in chosen}
    print(f"\n{'module':34} {'mutants':>7} {'killed':>7} {'missed':>7} {'caught':>7}")
    for module in wanted:
        counts = Counter(s for name, s in statuses.items() if module_of(name) == module)
        total = sum(n for s, n in counts.items() if CAUGHT.get(s) or s in MISSED)  # tried, not "not checked"
        if not total:
            print(f"{module:34} {'-':>7}  (no mutants: nothing to mutate, or not run yet)")
            continue
        caught = sum(n for s, n in counts.items() if CAUGHT.get(s))
        missed = sum(n for s, n in counts.items() if s in MISSED)
        print(f"{module:34} {total:7} {counts['killed']:7} {missed:7} {100 * caught / total:6.1f}%")
        if args.survivors:
            for name, status in sorted(statuses.items()):
                if module_of(name) == module and status in MISSED:
                    print(f"    {status:9} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
