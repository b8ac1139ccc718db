#!/usr/bin/env python3
"""How many realistic bugs the test suite catches: a mutation check of our own.

Each mutant below is one small, realistic bug in myonn/ or one of the scripts (a sign
flipped, a check dropped, an axis swapped, a step forgotten). One at a time, it is
made in a temporary copy of the repository and the whole suite is run there, most
relevant test files first and stopping at the first failure (`-x`), so a caught bug
costs seconds. A mutant that passes every test "survives": a bug the suite would let
through. The last line is the kill rate.

    python benchmarks/mutation.py              # every mutant (slow: minutes, not in CI)
    python benchmarks/mutation.py --list       # list them
    python benchmarks/mutation.py -k softmax   # only those whose description or file matches
    python benchmarks/mutation.py --jobs 2     # two at a time, each in its own copy

It runs at low priority with one BLAS thread (the machine may be shared). A mutant
whose line is no longer in the code (the code moved on) is reported and left out of
the rate; fix its line here. Survivors known to be equivalent (no behaviour differs)
are marked, with the reason, and counted apart; docs/testing.md lists them.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
TIMEOUT = 600  # seconds for one run of the suite: a mutant that hangs it counts as caught


@dataclass
class Mutant:
    """Replace `old` (found exactly once in `file`) with `new`; run `tests` first."""

    file: str
    old: str
    new: str
    description: str
    tests: tuple[str, ...] = ()
    equivalent: str = ""  # why no test can tell it apart, when that is so


def m(file, old, new, description, *tests, equivalent=""):
    return Mutant(file, old, new, description, tuple(f"tests/test_{t}.py" for t in tests), equivalent)


NET, TRAIN, IMG, PRE, DATA = (
    "myonn/network.py",
    "myonn/training.py",
    "myonn/images.py",
    "myonn/preprocess.py",
    "myonn/mnist.py",
)
MODEL = "myonn/model_file.py"
MUTANTS = [
    # ---- the network
    m(
        NET,
        "np.subtract(x, x.max(axis=1, keepdims=True), out=out)",
        "np.copyto(out, x)",
        "softmax without subtracting the row's largest score",
        "network",
    ),
    m(
        NET,
        "out /= out.sum(axis=1, keepdims=True)",
        "out /= out.sum()",
        "softmax normalised over the whole batch",
        "network",
    ),
    m(NET, "np.negative(x, out=out)", "np.copyto(out, x)", "sigmoid of -x", "network"),
    m(
        NET,
        "hidden_errors *= hidden_outputs * (1.0 - hidden_outputs)",
        "hidden_errors *= hidden_outputs",
        "backpropagation without the sigmoid's slope",
        "network",
    ),
    m(
        NET,
        "step = np.float32(learning_rate / len(inputs))",
        "step = np.float32(learning_rate)",
        "step not averaged over the batch",
        "network",
    ),
    m(
        NET,
        'np.sum(hidden_errors, axis=0, out=steps["bh"])',
        'np.mean(hidden_errors, axis=0, out=steps["bh"])',
        "hidden bias step averaged twice",
        "network",
    ),
    m(NET, "velocity *= np.float32(momentum)", "velocity *= np.float32(0.0)", "momentum ignored", "network"),
    m(NET, "1e-30)).mean())", "1e-30)).sum())", "loss summed, not averaged, over the batch", "network", "training"),
    m(
        MODEL,
        "path.parent.mkdir(parents=True, exist_ok=True)",
        "pass",
        "save no longer creates the output's folder",
        "network",
        "faults",
    ),
    m(MODEL, "if not np.isfinite(array).all():", "if False:", "load accepts NaN weights", "network"),
    m(
        MODEL,
        'if array.shape != shape or array.dtype.kind != "f":',
        "if array.shape != shape:",
        "load accepts integer weights",
        "network",
    ),
    m(
        MODEL,
        "if (network.inodes, network.onodes) != (784, 10):",
        "if network.inodes != 784:",
        "load_mnist_network checks only the inputs",
        "network",
        "draw",
        "render",
    ),
    m(
        MODEL,
        "if type(version) is int and version > FORMAT_VERSION:",
        "if False:",
        "a newer format version called damaged",
        "network",
        "faults",
    ),
    m(MODEL, 'deskew=bool(metadata.get("deskew", False))', "deskew=True", "a loaded network always deskews", "network"),
    m(NET, "if images.dtype != np.uint8:", "if False:", "raw pixels of another type accepted", "network"),
    m(NET, "np.float32(1 / 255)", "np.float32(1 / 256)", "pixels scaled by 1/256", "network"),
    m(
        NET,
        "rows[start : start + batch_size]",
        "rows[start : start + batch_size - 1]",
        "predict_proba drops an image per batch",
        "network",
    ),
    m(
        NET,
        "self.inodes**-0.5, (self.hnodes, self.inodes)",
        "1.0, (self.hnodes, self.inodes)",
        "initial weights not scaled by the number of inputs",
        "network",
    ),
    m(
        NET,
        "        output_errors = targets - final_outputs\n",
        "        output_errors = final_outputs - targets\n",
        "train climbs the loss instead of descending it",
        "network",
    ),
    # ---- training
    m(
        TRAIN,
        "loss_sum += loss * len(batch)",
        "loss_sum += loss",
        "an epoch's loss not weighted by batch size",
        "training",
    ),
    m(
        TRAIN,
        "epoch_report(network, epoch, loss_sum, correct, len(images), rate,",
        "epoch_report(network, epoch, loss_sum, correct, len(batch), rate,",
        "training accuracy over the last batch's size",
        "training",
    ),
    m(
        TRAIN,
        "order = order_rng.permutation(len(images))",
        "order = np.arange(len(images))",
        "no shuffling in fit",
        "training",
    ),
    m(
        TRAIN,
        "pixels = imaging.thin_or_thicken(pixels, rng)",
        "pixels = pixels",
        "vary_strokes does nothing",
        "training",
    ),
    m(
        TRAIN,
        "pixels[chosen] = imaging.distort(source[chosen], rng, None if maps is None else maps[chosen])",
        "pixels[chosen] = pixels[chosen]",
        "distort does nothing but deskewing",
        "training",
    ),
    m(
        TRAIN,
        "pixels[chosen] = imaging.distort(source[chosen], rng, None if maps is None else maps[chosen])",
        "pixels[chosen] = imaging.distort(source[chosen], rng, None)",
        "distorted images not deskewed",
        "training",
    ),
    m(
        TRAIN,
        "swap = rng.random(len(where)) < self.styles",
        "swap = rng.random(len(where)) < 0",
        "styles never swapped in",
        "training",
    ),
    m(
        TRAIN,
        "return start * 0.5 * (1.0 + math.cos(math.pi * step / total_steps))",
        "return start * (1.0 - step / total_steps)",
        "a linear schedule instead of the cosine",
        "training",
    ),
    m(
        TRAIN,
        "first_step = (epoch - 1) * batches_per_epoch",
        "first_step = epoch * batches_per_epoch",
        "the schedule one epoch ahead",
        "training",
    ),
    m(
        TRAIN,
        "batches_per_epoch = math.ceil(len(images) / batch_size)",
        "batches_per_epoch = len(images) // batch_size",
        "the last partial batch dropped",
        "training",
    ),
    m(
        TRAIN,
        "np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)",
        "np.add.at(matrix, (np.asarray(predictions), np.asarray(labels)), 1)",
        "confusion matrix transposed",
        "training",
        "train_cli",
    ),
    m(
        TRAIN,
        "batch_size=batch_size, seed=seed)",
        "batch_size=batch_size, seed=0)",
        "metadata records seed 0",
        "training",
    ),
    m(
        TRAIN,
        "if loss_sum / count > 3 * math.log(network.onodes) or not all(",
        "if False and not all(",
        "a diverging epoch not stopped",
        "training",
        "train_cli",
    ),
    # ---- images
    m(
        IMG,
        "angle = np.deg2rad(rng.uniform(-rotate_degrees, rotate_degrees, n))",
        "angle = rng.uniform(-rotate_degrees, rotate_degrees, n)",
        "rotations in radians where degrees were meant",
        "images",
    ),
    m(
        IMG,
        "np.clip(np.rint(result, out=result), 0, 255, out=result)",
        "np.clip(result, 0, 255, out=result)",
        "warped uint8 pixels truncated, not rounded",
        "images",
    ),
    m(IMG, "slant = np.clip(slant, -max_slant, max_slant)", "slant = slant", "slant not capped", "images"),
    m(IMG, "matrices[:, 1, 0] = slant", "matrices[:, 1, 0] = -slant", "deskewing doubles the slant", "images"),
    m(
        IMG,
        "cov_yx = (p @ xs) @ ys / safe - cy * cx",
        "cov_yx = (p @ xs) @ ys / safe",
        "covariance not centred",
        "images",
    ),
    m(
        IMG,
        "top += (bottom - top) * src_y",
        "top += (bottom - top) * src_x",
        "bilinear interpolation mixes up rows and columns",
        "images",
    ),
    m(
        IMG,
        "(outer[..., :2] @ inner[..., 2:3])[..., 0] + outer[..., 2]",
        "(outer[..., :2] @ inner[..., 2:3])[..., 0] + inner[..., 2]",
        "compose adds the wrong translation",
        "images",
    ),
    m(
        IMG,
        "(choice < p, np.minimum), (choice > 1 - p, np.maximum)",
        "(choice < p, np.maximum), (choice > 1 - p, np.maximum)",
        "thin_or_thicken never thins",
        "images",
        "training",
    ),
    m(
        IMG,
        "top_left = rng.random(len(images)) < 0.5",
        "top_left = rng.random(len(images)) < 1.0",
        "thinning and thickening always at the same corner",
        "images",
    ),
    m(
        IMG,
        "(choice > 1 - p, np.maximum)",
        "(choice > p, np.maximum)",
        "thin_or_thicken thickens three quarters",
        "images",
    ),
    m(
        IMG,
        "cy = np.where(mass > 0, rows @ ys / safe, (h - 1) / 2)",
        "cy = np.where(mass > 0, rows @ ys / safe, 0)",
        "an empty image's centre at the top",
        "images",
    ),
    m(
        IMG,
        "matrices = compose(deskew_maps, matrices)",
        "matrices = compose(matrices, deskew_maps)",
        "distort's motion applied before deskewing",
        "images",
    ),
    # ---- drawn digits to MNIST
    m(
        PRE,
        "cy, cx = (box.sum(axis=1) @ ys) / mass, (box.sum(axis=0) @ ys) / mass",
        "cx, cy = (box.sum(axis=1) @ ys) / mass, (box.sum(axis=0) @ ys) / mass",
        "to_mnist's centre of mass with x and y swapped",
        "preprocess",
    ),
    m(
        PRE,
        "cy, cx = (box.sum(axis=1) @ ys) / mass, (box.sum(axis=0) @ ys) / mass",
        "cy = cx = (BOX - 1) / 2",
        "to_mnist places the box's centre, not the centre of mass",
        "preprocess",
    ),
    m(
        PRE,
        "y0 = int(np.clip(np.rint(CENTRE - cy), 0, SIZE - BOX))",
        "y0 = int(np.clip(np.floor(CENTRE - cy), 0, SIZE - BOX))",
        "to_mnist rounds the placement down",
        "preprocess",
    ),
    m(PRE, "box *= 255.0 / box.max()", "box *= 1.0", "to_mnist without full contrast", "preprocess"),
    m(
        PRE,
        "return 2.0 * ink.sum() / edge if edge else 0.0",
        "return ink.sum() / edge if edge else 0.0",
        "stroke width halved",
        "preprocess",
    ),
    m(
        PRE,
        "return overlap / overlap.sum(axis=1, keepdims=True)",
        "return overlap",
        "area resize not normalised",
        "preprocess",
    ),
    m(
        PRE,
        "top, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2",
        "top, left = 0, 0",
        "the drawing put in the corner of its square, not the middle",
        "preprocess",
    ),
    m(
        PRE,
        "if dy * dy + dx * dx <= radius * radius:",
        "if True:",
        "thin drawings thickened by a square pen",
        "preprocess",
    ),
    # ---- MNIST files
    m(
        DATA,
        'for candidate in (data_dir / name, data_dir / name.removesuffix(".gz")):',
        "for candidate in (data_dir / name,):",
        "MNIST files unzipped by hand not found",
        "mnist_load",
    ),
    m(
        DATA,
        'url = mirror.rstrip("/") + "/" + name',
        "url = mirror + name",
        "a mirror without its trailing slash",
        "download",
    ),
    m(
        DATA,
        "if labels.size and labels.max() > 9:",
        "if labels.size and labels.max() > 10:",
        "a label of 10 accepted",
        "mnist_load",
    ),
    m(
        DATA,
        "if digest.hexdigest() != SHA256.get(name, digest.hexdigest()):",
        "if False:",
        "checksum not checked",
        "download",
    ),
    m(
        DATA,
        "piece = self.unzip.decompress(source, min(most, 16 * self.CHUNK))",
        "piece = self.unzip.decompress(source)",
        "read_idx unzips everything (a gzip bomb fills the memory)",
        "faults",
        "idx",
    ),
    m(
        DATA,
        'return array.astype(dtype.newbyteorder("="))',
        "return array.astype(dtype)",
        "elements left big-endian",
        "idx",
    ),
    m(
        DATA,
        "if zero != 0 or type_code not in IDX_TYPES or ndim == 0:",
        "if zero != 0 or type_code not in IDX_TYPES:",
        "zero dimensions accepted",
        "idx",
        "faults",
    ),
    m(
        DATA,
        "if len(images) != len(labels):",
        "if False:",
        "images and labels of different counts accepted",
        "mnist_load",
    ),
    m(DATA, "images.shape[1:] != (28, 28) or ", "", "images of another size accepted", "mnist_load"),
    m(
        DATA,
        "with atomic_write(target) as out:",
        'with open(target, "wb") as out:',
        "downloads written in place",
        "download",
        "faults",
    ),
    m(
        DATA,
        'raise DataFileError(f"{target}: cannot write the download',
        'raise MirrorFailed(f"{target}: cannot write the download',
        "a download that cannot be written tries the next mirror",
        "faults",
        "download",
    ),
    # ---- files, command lines
    m(
        "myonn/plumbing/files.py",
        "os.fsync(out.fileno())",
        "pass",
        "the atomic write without fsync",
        "faults",
        "network",
    ),
    m(
        "myonn/plumbing/files.py",
        "        _sync_folder(path.parent)\n",
        "",
        "the folder not flushed after the rename",
        "faults",
    ),
    m(
        "myonn/plumbing/files.py",
        "            temporary.unlink()",
        "            pass",
        "the temporary file left behind on failure",
        "faults",
        "network",
    ),
    m("myonn/plumbing/files.py", "0o666)", "0o600)", "saved files private to their owner", "network"),
    m(
        "myonn/plumbing/cli.py",
        "if not math.isfinite(value) or value <= 0:",
        "if value <= 0:",
        "a learning rate of nan accepted",
        "cli",
        "train_cli",
    ),
    m(
        "myonn/plumbing/cli.py",
        "if value < minimum:",
        "if value <= minimum:",
        "the smallest allowed value refused",
        "cli",
        "train_cli",
    ),
    m(
        "myonn/plumbing/cli.py",
        "if maximum is not None and value > maximum:",
        "if maximum is not None and value >= maximum:",
        "the largest allowed value refused",
        "cli",
        "render",
    ),
    m(
        "myonn/plumbing/cli.py",
        "        sys.exit(2)",
        "        sys.exit(1)",
        "a learner's mistake exits 1",
        "cli",
        "train_cli",
    ),
    m(
        "myonn/plumbing/paths.py",
        "return next((path for path in candidates if path.exists()), SHIPPED_MODEL)",
        "return SHIPPED_MODEL",
        "the learner's own network never used by default",
        "project_folder",
        "render",
        "draw",
    ),
    # ---- what the windows show about the network
    m(
        "myonn/answer.py",
        "return digit if probabilities[digit] > SURE else None",
        "return digit",
        'the windows never say "not sure"',
        "answer",
        "draw",
        "render",
    ),
    m(
        NET,
        "hidden_outputs[:, silenced] = 0.0",
        "pass",
        "knocked-out nodes still pass their output on",
        "inside",
        "network",
    ),
    m(
        "myonn/inside.py",
        "weights = network.who[digit] - network.who.mean(axis=0)",
        "weights = network.who[digit]",
        "a node's push not measured against the other digits",
        "inside",
    ),
    m(
        "myonn/inside.py",
        "* hidden_outputs * (1 - hidden_outputs)\n",
        "* hidden_outputs\n",
        "why's gradient without the sigmoid's slope",
        "inside",
    ),
    m(
        "myonn/inside.py",
        "count = min(max(1, int(round(fraction * len(silenced)))), len(working))",
        "count = min(max(1, int(round(fraction * len(working)))), len(working))",
        "knock_out counts a share of the working nodes",
        "inside",
    ),
    m(
        "myonn/answer.py",
        "probabilities[digit] > SURE",
        "probabilities[digit] >= SURE",
        "exactly half counted as sure",
        "answer",
    ),
    # ---- the book's one-at-a-time loop, the learning curves
    m(
        "myonn/one_at_a_time.py",
        "hidden_deltas = hidden_errors * hidden_outputs * (1.0 - hidden_outputs)",
        "hidden_deltas = hidden_errors * hidden_outputs",
        "the book's loop without the sigmoid's slope",
        "watch_it_learn",
    ),
    m(
        "myonn/one_at_a_time.py",
        "network.bo += learning_rate * output_errors[:, 0]",
        "pass",
        "the book's loop never moves the output biases",
        "watch_it_learn",
    ),
    m(
        "myonn/windows/curves.py",
        "sums[0] += loss * count",
        "sums[0] += loss",
        "the loss curve not weighted by batch size",
        "watch_it_learn",
    ),
    m(
        "myonn/windows/curves.py",
        "self.test_accuracy.append((x, report.test_accuracy))",
        "self.test_accuracy.append((x - 1, report.test_accuracy))",
        "each test accuracy plotted at the start of its epoch",
        "watch_it_learn",
    ),
    m(
        TRAIN,
        "return accuracy < 1.5 / classes",
        "return accuracy < 1.0 / classes",
        "a network no better than guessing saved",
        "project_folder",
        "training",
    ),
    # ---- sharing the cores
    m(
        "myonn/plumbing/cores.py",
        "idle += ticks[3] + ticks[4]",
        "idle += ticks[3]",
        "time waiting for the disk counted as busy",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "max(0.0, (busy_now - busy_then) - (own_now - own_then))",
        "max(0.0, busy_now - busy_then)",
        "this program's own work counted as other programs'",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "return max(1, int(free + 0.5))",
        "return max(1, int(free))",
        "a core others barely use counted as taken",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "free = cores - others - reserved",
        "free = cores - others",
        "the helper's core not kept from the products",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "if wanted != self.threads and wanted == self.wanted:",
        "if wanted != self.threads:",
        "a moment's load elsewhere changes the thread count",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "        if now < self.next_look:\n            return\n",
        "",
        "a look at the machine after every batch",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "            self.blas.use(self.found)",
        "            pass",
        "the thread count not given back after training",
        "cores",
    ),
    m(
        "myonn/plumbing/cores.py",
        "(cpus is not None and int(match.group(1)) not in cpus)",
        "False",
        "cores this process may not use counted as its own",
        "cores",
    ),
    m(
        TRAIN,
        "reserved = 1 if epoch_images.varies else 0",
        "reserved = 0",
        "no core kept for the helper making varied images",
        "cores",
        "training",
    ),
    m(
        TRAIN,
        "if epoch < epochs and epoch_images.varies:",
        "if epoch < epochs:",
        "unvarying images made again every epoch",
        "cores",
        "training",
    ),
    m(
        TRAIN,
        "network.train(network.scale(pixels[batch]),",
        "network.train(network.scale(pixels)[batch],",
        "the whole epoch's images made into float inputs (188 MB) for every batch",
        "cores",
        "training",
    ),
    m(
        "mnist_train.py",
        "return None if LEARNER_SET_THREADS else CoreShare()",
        "return CoreShare()",
        "the learner's own thread setting overridden",
        "cores",
        "train_cli",
    ),
    m(
        "myonn/plumbing/installed.py",
        "learner_chose = any(variable in os.environ for variable in BLAS_THREADS)",
        "learner_chose = False",
        "the learner's own thread setting not noticed",
        "cores",
        "installed",
    ),
    # ---- teaching
    m(
        "myonn/teaching.py",
        "not 0 <= int(label) <= 9",
        "not 0 <= int(label) <= 10",
        "a taught label of 10 accepted",
        "teaching",
    ),
    m(
        "myonn/teaching.py",
        "for path, array in files if labels_last else files[::-1]:",
        "for path, array in files:",
        "taught digits removed in the order that leaves an unreadable folder",
        "teaching",
    ),
    m(
        "myonn/teaching.py",
        "copies[1:] = imaging.distort(copies[1:], rng)",
        "pass",
        "a lesson's copies all alike",
        "teaching",
    ),
    m(
        "myonn/plumbing/paths.py",
        "return str(absolute.relative_to(Path.cwd()))",
        "return str(absolute)",
        "paths always shown in full",
        "project_folder",
        "train_cli",
    ),
    # ---- ./mnist_train.py
    m(
        "mnist_train.py",
        "    except KeyboardInterrupt as stop:\n",
        "    except ZeroDivisionError as stop:\n",
        "its Ctrl-C handler removed",
        "train_cli",
    ),
    m("mnist_train.py", "seed=args.seed, test=", "test=", "--seed not passed to training", "train_cli"),
    m(
        "myonn/training_run.py",
        "if limit > len(images):",
        "if limit >= len(images):",
        "--limit equal to the whole set refused",
        "train_cli",
    ),
    m(
        "mnist_train.py",
        "network = NeuralNetwork(784, args.hidden, 10",
        "network = NeuralNetwork(784, 200, 10",
        "--hidden ignored",
        "train_cli",
    ),
    m(
        "myonn/training_run.py",
        "matrix.diagonal() / matrix.sum(axis=1)",
        "matrix.diagonal() / matrix.sum(axis=0)",
        "per-digit accuracy over the wrong axis",
        "train_cli",
    ),
    m(
        "mnist_train.py",
        "vary_strokes=False) if args.plain else {}",
        "vary_strokes=False) if False else {}",
        "--plain ignored",
        "train_cli",
    ),
    m(
        "mnist_train.py",
        "steps = (args.epochs, args.batch_size, args.learning_rate)",
        "steps = (args.epochs, 64, args.learning_rate)",
        "--batch-size ignored",
        "train_cli",
    ),
    m(
        "myonn/plumbing/saving.py",
        "accuracy < old - CLEARLY_WORSE and not force",
        "accuracy < old and not force",
        "a network a hair worse kept apart",
        "project_folder",
    ),
    # ---- ./mnist_draw.py's window (myonn/windows)
    m(
        "myonn/answer.py",
        'whole[np.argsort(whole - exact, kind="stable")[:missing]] += 1',
        'whole[np.argsort(exact - whole, kind="stable")[:missing]] += 1',
        "percentages rounded so the missing points go to the smallest remainders",
        "draw",
    ),
    m(
        "myonn/windows/drawing_pad.py",
        "Stroke(0, self.brush * ERASER_SCALE)",
        "Stroke(0, self.brush)",
        "the eraser no wider than the brush",
        "draw",
    ),
    m(
        "myonn/windows/drawing_pad.py",
        "self.live = not self.live\n        self.stale = True",
        "self.live = not self.live",
        "L toggles live mode without refreshing the answer",
        "draw",
    ),
    m(
        "myonn/windows/brush.py",
        "shift = 0.5 if diameter % 2 == 0 else 0.0",
        "shift = 0.0",
        "an even brush one pixel too wide",
        "draw",
    ),
    m(
        "myonn/windows/draw_window.py",
        "mod & (pygame.KMOD_CTRL | pygame.KMOD_META):",
        "True:",
        "Z alone undoes",
        "draw",
    ),
    m(
        "myonn/windows/answer_panel.py",
        "round(bar.width * percent / 100)",
        "int(bar.width * percent / 100)",
        "bars rounded down",
        "draw",
    ),
    # ---- ./mnist_render.py (myonn/windows/browser.py and the modules beside it)
    m(
        "myonn/windows/browser_keys.py",
        "browser.go_to(int(browser.typed) - 1)",
        "browser.go_to(int(browser.typed))",
        "a typed image number counted from 0",
        "render",
    ),
    m(
        "myonn/windows/browser_window.py",
        "if event.key in held:",
        "if False:",
        "the browser does not drop the repeats of a key held while it reads a whole set",
        "render",
    ),
    m(
        "myonn/windows/browsed_sets.py",
        "self._misses[name] = np.flatnonzero(table.argmax(axis=1) != labels)",
        "self._misses[name] = np.flatnonzero(table.argmax(axis=0) != labels)",
        "mistakes found over the wrong axis",
        "render",
    ),
]


def copy_repository(destination: Path) -> None:
    """The files git knows (as they are now in the working tree), plus the MNIST files."""
    names = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    for name in names:
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    (destination / "data").mkdir(exist_ok=True)
    for folder in (ROOT / "data", ROOT.parent / "shared" / "mnist"):
        if all((folder / name).exists() for name in MNIST_FILES):
            for name in MNIST_FILES:
                shutil.copy2(folder / name, destination / "data" / name)
            return
    sys.exit("mutation.py: the MNIST files are missing from data/ (run ./mnist_train.py once)")


# Tests that fail without any mutant (someone's work in progress): left out of every run.
BROKEN: list[str] = []


def run_suite(copy: Path, first: tuple[str, ...], stop: bool = True) -> tuple[bool, list[str], float]:
    """Run the suite in `copy`, `first` test files first, stopping at the first failure when `stop`.

    Returns (passed, the failing tests or why, seconds)."""
    every = sorted(str(p.relative_to(copy)) for p in (copy / "tests").glob("test_*.py"))
    order = [t for t in first if t in every] + [t for t in every if t not in first]
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    deselect = [option for test in BROKEN for option in ("--deselect", test)]
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *(["-x"] if stop else []),
                "-q",
                "-rfE",
                "-p",
                "no:cacheprovider",
                *deselect,
                *order,
            ],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return False, [f"timed out after {TIMEOUT} s"], time.perf_counter() - started
    seconds = time.perf_counter() - started
    if result.returncode == 0:
        return True, [], seconds
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    return False, failed or (result.stdout.strip().splitlines() or ["?"])[-1:], seconds


def try_mutant(copy: Path, mutant: Mutant) -> tuple[str, str, float]:
    """Make `mutant` in `copy`, run the suite, undo it: ("killed" | "survived" | "stale", why, seconds)."""
    path = copy / mutant.file
    original = path.read_text() if path.exists() else ""
    if original.count(mutant.old) != 1:
        return "stale", "", 0.0
    path.write_text(original.replace(mutant.old, mutant.new))
    try:
        passed, why, seconds = run_suite(copy, mutant.tests)
    finally:
        path.write_text(original)
    return ("survived" if passed else "killed"), (why or [""])[0], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the test suite against realistic one-line bugs.")
    parser.add_argument(
        "-k",
        metavar="TEXT",
        action="append",
        help="only the mutants whose description or file contains TEXT (may be repeated)",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tried at once, each in its own copy (default: 1)")
    args = parser.parse_args()
    chosen = [
        mutant
        for mutant in MUTANTS
        if not args.k or any(text in mutant.description or text in mutant.file for text in args.k)
    ]
    if args.list:
        for number, mutant in enumerate(chosen, 1):
            print(f"{number:3} {mutant.file}: {mutant.description}")
        return 0
    os.nice(10)  # a shared machine: everyone else's work first
    # Started in the background, this process and its children would ignore Ctrl-C, and the
    # tests that press it would wait in vain: give the tests a terminal's Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    with tempfile.TemporaryDirectory(prefix="myonn-mutation-") as temporary:
        shared = ROOT.parent / "shared"  # the real drawings and MNIST, found beside the project
        if shared.is_dir():
            (Path(temporary) / "shared").symlink_to(shared)
        copies = queue.Queue()
        for job in range(max(1, args.jobs)):
            copy = Path(temporary) / f"myonn{job}"
            copy_repository(copy)
            copies.put(copy)
        first = copies.get()
        passed, failing, seconds = run_suite(first, (), stop=False)
        copies.put(first)
        if not passed:
            if not all("::" in test for test in failing):
                print(f"the suite cannot run without any mutant ({failing[0]}): fix that first")
                return 1
            BROKEN.extend(failing)
            print(f"{len(failing)} test(s) fail without any mutant and are left out of every run: {', '.join(failing)}")
        print(f"the suite passes unmutated ({seconds:.0f} s); {len(chosen)} mutants", flush=True)

        results: dict[int, str] = {}

        def attempt(number: int, mutant: Mutant) -> None:
            copy = copies.get()
            try:
                outcome, why, seconds = try_mutant(copy, mutant)
            finally:
                copies.put(copy)
            if outcome == "survived" and mutant.equivalent:
                outcome = "equivalent"
            results[number] = outcome
            detail = {
                "killed": f"({seconds:.0f} s, by {why})",
                "stale": "(its line changed: update it here)",
                "equivalent": f"({mutant.equivalent})",
                "survived": "",
            }[outcome]
            print(
                f"{number:3} {outcome.upper() if outcome == 'survived' else outcome:10} {mutant.file}: "
                f"{mutant.description} {detail}",
                flush=True,
            )

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            list(pool.map(lambda item: attempt(*item), enumerate(chosen, 1)))

    outcomes = {
        kind: [chosen[n - 1] for n, o in sorted(results.items()) if o == kind]
        for kind in ("killed", "survived", "equivalent", "stale")
    }
    killed, survivors = outcomes["killed"], outcomes["survived"]
    counted = len(killed) + len(survivors)
    print()
    for mutant in survivors:
        print(f"survivor: {mutant.file}: {mutant.description}: {mutant.old!r} -> {mutant.new!r}")
    if outcomes["stale"]:
        print(f"{len(outcomes['stale'])} mutant(s) no longer match the code and were left out")
    if outcomes["equivalent"]:
        print(f"{len(outcomes['equivalent'])} equivalent mutant(s) survived, as expected, and are left out of the rate")
    print(f"kill rate: {len(killed)} of {counted} mutants killed ({len(killed) / max(counted, 1):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
