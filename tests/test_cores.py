"""The matrix products get the cores other programs leave free (myonn.plumbing.cores), and training uses that.

The load is read from made-up /proc/stat texts and clocks here, with the expected
figures worked out by hand from what the kernel's counters mean; the BLAS thread
count is read back through OpenBLAS's own getter.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from myonn import NeuralNetwork
from myonn.plumbing.installed import BLAS_THREADS
from myonn.plumbing.cores import Blas, CoreShare, OtherPrograms, cpu_times, threads_for
from myonn.training import EpochImages, fit

TICK = os.sysconf("SC_CLK_TCK")


def stat_text(*cpus: tuple[int, ...]) -> str:
    """A /proc/stat text whose cpuN lines hold the given ticks (user nice system idle iowait irq softirq steal)."""
    total = [sum(column) for column in zip(*cpus)]
    lines = ["cpu  " + " ".join(map(str, total)) + " 0 0"]
    lines += [f"cpu{n} " + " ".join(map(str, ticks)) + " 0 0" for n, ticks in enumerate(cpus)]
    return "\n".join(lines + ["intr 12345 0 0", "procs_running 3"]) + "\n"


def test_busy_time_is_everything_but_idle_and_waiting_for_the_disk():
    text = stat_text((100, 5, 20, 1000, 7, 1, 2, 3), (50, 0, 10, 2000, 0, 0, 0, 0))
    busy, idle = cpu_times(text)
    # cpu0: 100 + 5 + 20 + 1 + 2 + 3 = 131 busy, 1007 idle; cpu1: 60 busy, 2000 idle.
    assert (busy, idle) == pytest.approx(((131 + 60) / TICK, (1007 + 2000) / TICK))


def test_a_stat_with_no_line_for_the_usable_cores_tells_nothing():
    # lxcfs in a container numbers its cores from 0, while the process may run on 4 and 5.
    assert cpu_times(stat_text((1, 0, 0, 1, 0, 0, 0, 0), (2, 0, 0, 2, 0, 0, 0, 0)), {4, 5}) is None


def raise_permission_error() -> str:
    raise PermissionError("/proc/stat")


@pytest.mark.parametrize("read_stat", [None, raise_permission_error], ids=["no /proc/stat", "unreadable"])
def test_where_the_system_does_not_say_the_thread_count_stays_as_found(read_stat, monkeypatch):
    monkeypatch.setattr("myonn.plumbing.cores.Path.is_file", lambda path: False)  # as on macOS or Windows
    others = OtherPrograms(read_stat=read_stat, clock=Clock())
    assert others.cores_used() is None
    blas = FakeBlas(1)
    share = CoreShare(blas, others, cores=16, clock=Clock())
    assert share.start() == 1 and blas.given == []


def test_only_the_cores_this_process_may_use_are_counted():
    text = stat_text((100, 0, 0, 10, 0, 0, 0, 0), (40, 0, 0, 70, 0, 0, 0, 0), (7, 0, 0, 1, 0, 0, 0, 0))
    assert cpu_times(text, {1}) == pytest.approx((40 / TICK, 70 / TICK))
    assert cpu_times(text, {0, 2}) == pytest.approx((107 / TICK, 11 / TICK))


class Clock:
    """A clock that moves only when told to, or when slept on."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_others_use_what_the_cores_did_less_what_this_process_did():
    clock = Clock()
    busy_ticks = [0]
    own = [0.0]
    others = OtherPrograms(
        read_stat=lambda: stat_text((busy_ticks[0], 0, 0, 0, 0, 0, 0, 0)),
        own=lambda: own[0],
        clock=clock,
        sleep=clock.sleep,
    )
    # Over 2 seconds the cores were busy for 3 seconds (1.5 cores), 1 second of it this process's.
    clock.now += 2
    busy_ticks[0] += 3 * TICK
    own[0] += 1.0
    assert others.cores_used() == pytest.approx(1.0)
    # Next: this process alone kept a core busy for 1 second.
    clock.now += 1
    busy_ticks[0] += TICK
    own[0] += 1.0
    assert others.cores_used() == pytest.approx(0.0)


def test_a_look_too_soon_after_the_last_waits_until_the_counters_can_tell():
    clock = Clock()
    slept = []
    others = OtherPrograms(
        read_stat=lambda: stat_text((0, 0, 0, 0, 0, 0, 0, 0)),
        own=lambda: 0.0,
        clock=clock,
        sleep=lambda seconds: slept.append(seconds) or clock.sleep(seconds),
    )
    clock.now += 0.03
    others.cores_used()
    assert slept == [pytest.approx(OtherPrograms.SHORTEST - 0.03)]


@pytest.mark.parametrize(
    "cores, others, reserved, threads",
    [
        (2, 0.0, 0, 2),  # an idle machine: every core
        (2, 0.4, 0, 2),  # a little work elsewhere (1.6 cores free) leaves both
        (2, 0.6, 0, 1),  # more than half a core taken: that core is the other program's
        (2, 1.0, 0, 1),  # one busy loop
        (2, 2.0, 0, 1),  # two: still one thread, never none
        (2, 0.0, 1, 1),  # a core kept for the helper thread
        (4, 1.0, 1, 2),
        (8, 0.0, 0, 8),
    ],
)
def test_the_products_get_the_cores_left_free(cores, others, reserved, threads):
    assert threads_for(cores, others, reserved) == threads


class FakeBlas(Blas):
    """A BLAS that remembers the thread counts it is given."""

    def __init__(self, threads: int):
        super().__init__(self.set, lambda: self.current)
        self.current, self.given = threads, []

    def set(self, threads: int) -> None:
        self.current = threads
        self.given.append(threads)


class Load:
    """Other programs whose use of the cores is scripted, one figure per look."""

    def __init__(self, *figures: float):
        self.figures = list(figures)

    def cores_used(self) -> float:
        return self.figures.pop(0)


def test_the_thread_count_follows_a_load_only_once_it_has_lasted_two_looks():
    clock, blas = Clock(), FakeBlas(4)
    share = CoreShare(blas, Load(0.0, 1.0, 0.0, 1.0, 1.0), cores=2, interval=0.5, clock=clock)
    assert share.start() == 2 and blas.current == 2
    share.check()  # too soon: no look taken
    clock.now += 0.5
    share.check()  # one busy look (1.0): not yet
    assert blas.current == 2
    clock.now += 0.5
    share.check()  # idle again: the moment passed
    clock.now += 0.5
    share.check()
    assert blas.current == 2
    clock.now += 0.5
    share.check()  # busy a second time in a row: down to one thread
    assert blas.current == 1
    assert share.counts == [2, 1]
    share.stop()
    assert blas.given == [2, 1, 4]  # and back to the count found at the start


def test_a_reserved_core_is_kept_from_the_products():
    blas = FakeBlas(1)
    assert CoreShare(blas, Load(0.0), cores=2, clock=Clock()).start(reserved=1) == 1
    assert blas.given == []  # already one thread: nothing to change


def test_a_blas_whose_threads_cannot_be_set_is_left_and_recorded_as_it_is():
    cannot = Blas(getter=lambda: 3)
    share = CoreShare(cannot, Load(0.0), cores=8, clock=Clock())
    assert share.start() == 3 and share.counts == [3]


@pytest.mark.skipif(sys.platform != "linux", reason="NumPy's wheels use Accelerate on macOS")
def test_numpys_openblas_thread_count_can_be_set_while_running():
    blas = Blas.find()
    assert blas.can_set, "NumPy's BLAS is not an OpenBLAS whose thread count can be set"
    found = blas.threads()
    try:
        for threads in (1, 2, 1):
            blas.use(threads)
            assert blas.threads() == threads
    finally:
        blas.use(found)


@pytest.fixture
def few_images(train_set):
    images, labels = train_set
    return images[:600], labels[:600]


@pytest.mark.parametrize("plain, threads", [(True, 2), (False, 1)])
def test_fit_gives_the_products_the_free_cores_less_one_for_varied_images(few_images, plain, threads):
    blas = FakeBlas(1)
    share = CoreShare(blas, Load(*[0.0] * 100), cores=2, clock=Clock())
    network = NeuralNetwork(784, 8, 10, seed=0)
    varied = dict(distort=0, styles=0, vary_strokes=False) if plain else {}
    fit(network, *few_images, epochs=1, batch_size=100, learning_rate=0.3, cores=share, **varied)
    assert network.metadata["blas_threads"] == [threads]
    assert blas.current == 1  # given back as found


def test_the_thread_count_is_given_back_when_training_is_interrupted(few_images):
    blas = FakeBlas(1)
    share = CoreShare(blas, Load(*[0.0] * 100), cores=2, clock=Clock())

    def ctrl_c(count):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fit(
            NeuralNetwork(784, 8, 10, seed=0),
            *few_images,
            epochs=1,
            batch_size=100,
            learning_rate=0.3,
            distort=0,
            styles=0,
            vary_strokes=False,
            cores=share,
            on_batch=ctrl_c,
        )
    assert blas.given == [2, 1]


def test_a_core_share_used_again_records_only_its_new_run():
    share = CoreShare(FakeBlas(1), Load(0.0, 2.0), cores=2, clock=Clock())
    share.start()
    share.stop()
    share.start()
    assert share.counts == [1]


def test_images_that_do_not_vary_are_made_once_and_scaled_a_batch_at_a_time(few_images, monkeypatch):
    made, scaled, trained = [], [], []
    original_epoch, original_scale = EpochImages.next_epoch, NeuralNetwork.scale
    monkeypatch.setattr(EpochImages, "next_epoch", lambda self, rng: made.append(1) or original_epoch(self, rng))
    monkeypatch.setattr(
        NeuralNetwork, "scale", staticmethod(lambda pixels: scaled.append(len(pixels)) or original_scale(pixels))
    )
    network = NeuralNetwork(784, 8, 10, seed=0)
    original_train = network.train
    monkeypatch.setattr(
        network, "train", lambda inputs, *rest: trained.append(inputs.copy()) or original_train(inputs, *rest)
    )
    fit(network, *few_images, epochs=3, batch_size=100, learning_rate=0.3, distort=0, styles=0, vary_strokes=False)
    assert len(made) == 1
    # Never a float copy of the whole epoch (188 MB for MNIST): one batch of 100 at a time.
    assert scaled == [100] * 18
    # The same float inputs as preparing them all at once: the deskewed pixels / 255, exactly.
    prepared = NeuralNetwork(784, 8, 10).prepare_inputs(few_images[0])
    assert sorted(row.tobytes() for row in np.concatenate(trained[:6])) == sorted(row.tobytes() for row in prepared)
    made.clear(), scaled.clear()
    fit(NeuralNetwork(784, 8, 10, seed=0), *few_images, epochs=3, batch_size=100, learning_rate=0.3, distort=0.5)
    assert len(made) == 3  # varied: new images every epoch...
    assert scaled == [100] * 18  # ...scaled a batch at a time too


def run_trainer(tmp_path, tiny_mnist_dir, environment):
    output = tmp_path / "model.npz"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "mnist_train.py"),
            "--plain",
            "--epochs",
            "1",
            "--hidden",
            "8",
            "--quiet",
            "--data-dir",
            str(tiny_mnist_dir),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with np.load(output) as saved:
        return json.loads(str(saved["metadata"]))


def test_the_trainer_chooses_the_threads_unless_the_learner_set_them(tmp_path, tiny_mnist_dir):
    untouched = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS}
    chosen = run_trainer(tmp_path, tiny_mnist_dir, untouched)
    assert 1 <= chosen["blas_threads"][0] <= os.cpu_count()
    learner = run_trainer(tmp_path, tiny_mnist_dir, {**untouched, "OPENBLAS_NUM_THREADS": "1"})
    assert "blas_threads" not in learner


# ---- edges: guest time, a process ahead of the counters, odd lines, affinity, the reserved core ----


def test_guest_time_already_inside_user_time_is_not_counted_twice():
    # The two columns after steal are guest and guest_nice: time already counted in user and nice.
    text = "cpu  100 0 0 50 0 0 0 0 30 0\ncpu0 100 0 0 50 0 0 0 0 30 0\n"
    assert cpu_times(text, {0}) == pytest.approx((100 / TICK, 50 / TICK))


def test_this_process_counted_ahead_of_the_cores_is_no_program_using_less_than_nothing():
    """Its own time and /proc/stat are read a moment apart: more of its own than the cores did is 0 cores, not less."""
    clock, busy_ticks, own = Clock(), [0], [0.0]
    others = OtherPrograms(
        read_stat=lambda: stat_text((busy_ticks[0], 0, 0, 0, 0, 0, 0, 0)),
        own=lambda: own[0],
        clock=clock,
        sleep=clock.sleep,
    )
    clock.now += 1
    busy_ticks[0] += TICK  # the cores: 1 second
    own[0] += 1.5  # this process: 1.5 seconds, read a moment later
    assert others.cores_used() == 0.0


def test_a_stat_line_too_short_to_read_tells_nothing():
    others = OtherPrograms(read_stat=lambda: "cpu0 1 2 3\n", clock=Clock(), sleep=lambda seconds: None)
    assert others.cores_used() is None


def test_the_cores_counted_are_the_ones_this_process_may_run_on(monkeypatch):
    from myonn.plumbing import cores

    monkeypatch.setattr(cores, "usable_cpus", lambda: {2, 5})  # taskset -c 2,5 on an 8-core machine
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 8)
    assert cores.core_count() == 2


def test_a_reserved_core_stays_kept_when_the_load_is_looked_at_again():
    clock, blas = Clock(), FakeBlas(1)
    share = CoreShare(blas, Load(0.0, 0.0, 0.0), cores=4, interval=0.5, clock=clock)
    assert share.start(reserved=1) == 3
    for _ in range(2):  # two idle looks: 4 cores, 1 kept, still 3
        clock.now += 0.5
        share.check()
    assert blas.current == 3 and share.counts == [3]


def test_every_change_of_thread_count_is_recorded_also_back_to_one_used_before():
    # Busy for two looks, then idle for two: 2 threads, then 1, then 2 again, each a change in the record.
    clock = Clock()
    share = CoreShare(FakeBlas(4), Load(0.0, 1.0, 1.0, 0.0, 0.0), cores=2, interval=0.5, clock=clock)
    share.start()
    for _ in range(4):
        clock.now += 0.5
        share.check()
    assert share.counts == [2, 1, 2]
