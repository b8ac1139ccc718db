#!/usr/bin/env python3
"""Train the network on MNIST from the terminal, report its accuracy, save its weights.

    ./mnist_train.py                  # defaults: fetch MNIST if needed, train, save data/my_nn.npz
    ./mnist_train.py --plain          # faster: the images as they are, not varied each epoch
    ./mnist_train.py --output data/mnist_nn.npz   # remake the network that ships with the project
    ./mnist_train.py --watch          # a window shows the network learning
    ./mnist_train.py --one-at-a-time --limit 2000   # the book's way, and how much slower it is
    ./mnist_train.py --help

Your network goes to data/my_nn.npz, never over the shipped data/mnist_nn.npz unless
you say so; and a network clearly worse than the one already in the output file is
saved beside it instead (--force replaces it all the same).

The ideas live in the myonn package (myonn/network.py, myonn/training.py, and what it
prints, myonn/training_run.py); this script is only the command line around them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROGRAM = "mnist_train.py"
try:
    from myonn.plumbing.installed import one_blas_thread, require_packages
except ImportError:  # this script was moved away from the project's myonn/ folder
    sys.exit(
        f"{PROGRAM}: error: cannot find the myonn package beside this script;\n  run the copy in the project's folder"
    )
require_packages(PROGRAM, "numpy", "tqdm")
# The matrix products start on one thread; training gives them the cores other programs
# leave free (myonn.plumbing.cores), unless the learner set OPENBLAS_NUM_THREADS or the like.
LEARNER_SET_THREADS = one_blas_thread()

from myonn import NeuralNetwork  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.plumbing.cli import ArgumentParser, non_negative_int, png_path, positive_float  # noqa: E402
from myonn.plumbing.cli import positive_int, refuse_others, run, say  # noqa: E402
from myonn.plumbing.cores import CoreShare  # noqa: E402
from myonn.plumbing.errors import WindowClosed  # noqa: E402
from myonn.one_at_a_time import LEARNING_RATE as ONE_AT_A_TIME_RATE, fit_one_at_a_time  # noqa: E402
from myonn.plumbing.saving import save_without_spoiling, unsaveable, unwritable  # noqa: E402
from myonn.training import fit  # noqa: E402
from myonn.training_run import EpochProgress, callbacks, load_training, print_report, print_speed_up  # noqa: E402
from myonn.training_run import refuse_if_it_learned_nothing, run_ladder, run_settings  # noqa: E402

# The defaults, in one place (as myonn.rb keeps `learning_rate: 0.3`).
DEFAULTS = dict(epochs=25, batch_size=64, learning_rate=0.3, hidden=200, seed=0)
# Each --extra digit is repeated this many times among the training images: 30 taught
# digits then make 600 of 60,600 images, seen 20 times an epoch each.
EXTRA_WEIGHT = 20
LADDER_OPTIONS = ("--limit", "--data-dir", "--plot", "--quiet")  # what --ladder takes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; a bad value exits with a one-line error and status 2."""
    parser = ArgumentParser(
        prog=PROGRAM,
        description="Train the 784-200-10 sigmoid network on MNIST, print its test accuracy, save it.",
    )
    # An option to a line or three, as --help lists them (formatted, each would take six).
    # fmt: off
    parser.add_argument("--epochs", type=positive_int, default=None,
                        help=f"passes over the training images (default: {DEFAULTS['epochs']})")
    parser.add_argument("--batch-size", type=positive_int, default=DEFAULTS["batch_size"],
                        help="images per training step (default: %(default)s)")
    parser.add_argument("--learning-rate", type=positive_float, default=None,
                        help=f"starting step size; it falls along a cosine to 0 by the last epoch (default: "
                             f"{DEFAULTS['learning_rate']}, or {ONE_AT_A_TIME_RATE}, constant, with --one-at-a-time)")
    parser.add_argument("--hidden", type=positive_int, default=DEFAULTS["hidden"],
                        help="nodes in the hidden layer (default: %(default)s)")
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULTS["seed"],
                        help="random seed: the same seed gives the same model (default: %(default)s)")
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N",
                        help="train on the first N training images only (default: all 60,000)")
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR,
                        help="where the MNIST files are; missing ones are downloaded there (default: the project's data/)")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to save the network (default: data/my_nn.npz, which the windows read with; with "
                             "--extra data/my_digits, data/my_taught_nn.npz; data/mnist_nn.npz remakes the shipped one)")
    parser.add_argument("--force", action="store_true",
                        help="save over the output file even if the network there is clearly better")
    parser.add_argument("--plain", action="store_true",
                        help="train on the images as they are (deskewed): none of the default's bent, turned, "
                             "crossed, flagged, thinned or thickened copies; faster, but worse on drawn digits")
    parser.add_argument("--extra", type=Path, metavar="DIR",
                        help="also train on the digits in DIR, a folder holding images-idx3-ubyte and labels-idx1-ubyte "
                             "(as ./mnist_draw.py keeps the digits you teach it in data/my_digits); each of them is "
                             "trained on --extra-weight times an epoch, so that a few dozen matter among 60,000")
    parser.add_argument("--extra-weight", type=positive_int, default=EXTRA_WEIGHT, metavar="N",
                        help="how many MNIST images each --extra digit counts as (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="print only the final accuracy line")
    parser.add_argument("--watch", action="store_true",
                        help="watch it learn in a window: the hidden nodes' weights, the curves, the time left (ESC stops)")
    parser.add_argument("--plot", type=png_path, default=None, metavar="PATH",
                        help="at the end, draw the learning curves (loss, accuracies, learning rate) into a PNG")
    parser.add_argument("--screenshot", type=png_path, default=None, metavar="PATH",
                        help="draw the --watch window halfway through training into a PNG, without a window")
    parser.add_argument("--one-at-a-time", action="store_true",
                        help="train the book's way, one image at a time (slow: use --limit), and say how much "
                             "faster mini-batches are (default: 1 epoch)")
    parser.add_argument("--ladder", action="store_true",
                        help="the improvement ladder: train the book's own network, then add one change at a time "
                             "up to the default, and print each rung's accuracy and speed (a minute or two; saves "
                             "no network; with --plot, a chart of it)")
    # fmt: on
    args = parser.parse_args(argv)
    args.parser = parser
    if args.ladder:  # each rung has its own settings, and none is saved
        why = "each rung has its own settings, and the ladder saves no network"
        refuse_others(parser, sys.argv[1:] if argv is None else argv, "--ladder", LADDER_OPTIONS, why)
    if args.one_at_a_time and args.extra is not None:
        # The book's loop takes the images in order: the repeated --extra digits would all come last.
        parser.error("argument --one-at-a-time: not with --extra (the book's way takes the images in order)")
    if args.epochs is None:
        args.epochs = 1 if args.one_at_a_time else DEFAULTS["epochs"]
    if args.learning_rate is None:
        args.learning_rate = ONE_AT_A_TIME_RATE if args.one_at_a_time else DEFAULTS["learning_rate"]
    args.output = args.output or paths.default_output(args.extra)
    for option in ("plot", "screenshot"):
        if problem := getattr(args, option) and unwritable(getattr(args, option)):
            parser.error(f"argument --{option}: {problem}")
    if not args.ladder and (problem := unsaveable(args.output, args.force)):  # now, not after training
        parser.error(f"argument --output: {problem}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Train as the command line says; return the exit status."""
    args = parse_args(argv)
    if args.watch or args.screenshot or args.plot:
        require_packages(PROGRAM, "pygame")  # they draw with it
    if args.ladder:
        return climb_ladder(args)
    window = None
    if args.watch or args.screenshot:
        from myonn.windows.watch import TrainingWindow

        window = TrainingWindow()
        if args.watch:
            window.open()  # no screen: one line and exit 2 now, not after loading or training
        else:
            window.offscreen()
    try:
        return train(args, window)
    finally:
        if window:
            window.close()


def core_share() -> CoreShare | None:
    """The cores other programs leave free, watched from now on (so that the first look covers
    the loading); None when the learner set the BLAS's thread count themselves."""
    return None if LEARNER_SET_THREADS else CoreShare()


def load_images(args: argparse.Namespace):
    """The training images and labels as --limit and --extra say, and the test set."""
    options = (args.data_dir, args.limit, args.batch_size, args.extra, args.extra_weight, args.parser.error)
    *sets, args.extra_digits = load_training(*options, quiet=args.quiet)
    return sets


def train(args: argparse.Namespace, window) -> int:
    """Load MNIST, train and save as `args` say, with the watch `window` if any; return the exit status."""
    cores = core_share()
    images, labels, test_images, test_labels = load_images(args)
    network = NeuralNetwork(784, args.hidden, 10, seed=args.seed)
    steps = (args.epochs, args.batch_size, args.learning_rate, args.plain, args.one_at_a_time)
    about = run_settings(network, len(images), *steps)
    if not args.quiet:
        say(f"training {about}")
    curves = None
    if window or args.plot:
        from myonn.windows.curves import LearningCurves  # pygame is loaded only when it draws

        curves = LearningCurves(args.epochs, len(images))
    if window:
        window.follow(network, curves, about)
        if args.screenshot:
            halfway = (args.epochs + 1) // 2
            window.after_epoch = lambda report: window.save_frame(args.screenshot) if report.epoch == halfway else None
    progress = None if args.quiet else EpochProgress(len(images), args.epochs)
    try:
        learn(args, network, images, labels, (test_images, test_labels), callbacks(progress, window, curves), cores)
    except KeyboardInterrupt as stop:
        how = "stopped (the window was closed)" if isinstance(stop, WindowClosed) else "interrupted"
        print(file=sys.stderr)  # past the progress bar's line
        say(f"{PROGRAM}: {how}; nothing saved ({paths.shown(args.output)} is as it was)", sys.stderr)
        return 130
    finally:
        if progress:
            progress.close()
    if args.one_at_a_time and not args.quiet:
        untrained = NeuralNetwork(784, args.hidden, 10, seed=args.seed)
        print_speed_up(network, untrained, images, labels, args.batch_size, DEFAULTS["learning_rate"])
    return finish(args, network, window, curves, (test_images, test_labels), f"{about}, seed {args.seed}")


def climb_ladder(args: argparse.Namespace) -> int:
    """--ladder: every rung of myonn.ladder trained, a line for each (myonn.training_run.run_ladder)."""
    cores = core_share()
    args.batch_size, args.extra = 1, None  # for load_images: the rungs choose their own
    images, labels, test_images, test_labels = load_images(args)
    run_ladder(images, labels, (test_images, test_labels), args.plot, args.quiet, cores)
    return 0


def learn(args: argparse.Namespace, network: NeuralNetwork, images, labels, test, hooks: dict, cores) -> None:
    """Train `network` as `args` say: the book's way, one image at a time, or `fit`'s mini-batches."""
    if args.one_at_a_time:
        fit_one_at_a_time(network, images, labels, args.epochs, args.learning_rate, test=test, **hooks)
        return
    steps = (args.epochs, args.batch_size, args.learning_rate)
    plain = dict(distort=0, styles=0, vary_strokes=False) if args.plain else {}
    fit(network, images, labels, *steps, seed=args.seed, test=test, cores=cores, **hooks, **plain)


def finish(args: argparse.Namespace, network: NeuralNetwork, window, curves, test, about: str) -> int:
    """Report on the trained network, save it (unless it learned nothing), plot its curves; return the exit status."""
    if args.extra is not None:
        network.metadata.update(extra=str(args.extra), extra_digits=args.extra_digits, extra_weight=args.extra_weight)
    accuracy = network.metadata["test_accuracy"]
    if not args.quiet:
        print_report(network, *test)
    refuse_if_it_learned_nothing(accuracy, args.learning_rate, DEFAULTS["learning_rate"])
    saved, kept_apart = save_without_spoiling(network, args.output, *test, args.force)
    if not args.quiet:
        print(f"trained in {network.metadata['training_seconds']:.1f} s")
    if not args.quiet or kept_apart:  # a network not where the learner asked for it is news even with --quiet
        for line in saved:
            say(line, sys.stderr if args.quiet else sys.stdout)
    if args.plot:
        from myonn.windows.curves import save_plot

        save_plot(curves, [f"test accuracy {accuracy:.2%}", about], args.plot)
        if not args.quiet:
            say(f"learning curves drawn in {paths.shown(args.plot)}")
    print(f"test accuracy: {accuracy:.2%}", flush=True)
    if window and args.watch:
        window.finished(f"finished: test accuracy {accuracy:.2%}  (ESC closes the window)")
        window.wait_until_closed()
    return 0


if __name__ == "__main__":
    run(main, PROGRAM)
