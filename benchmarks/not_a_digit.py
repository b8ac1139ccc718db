#!/usr/bin/env python3
"""How often the drawing window says "not sure" of things that are not digits, and of real digits.

Draws 200 of each kind of non-digit (benchmarks/not_digits.py: scribbles, lines,
zigzags, discs, crosses, letters) on the window's canvas, reads them as the window
does, and counts for each kind what the window says: "too small" (draw it larger),
"not sure" because no digit is clearly ahead (myonn.answer), "not sure" because it
looks like no digit the network learned (myonn.familiar), or a confident digit: a
wrong answer given as if sure. Then the same for the pen-drawn digits of
../shared/drawn_dev that the network reads right (it should rarely doubt those),
and for MNIST's test set.

    python benchmarks/not_a_digit.py                       # the shipped network
    python benchmarks/not_a_digit.py --model data/my_nn.npz

The figures go in docs/benchmarks.md ("Not a digit"). They do not depend on the
machine's load.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drawn_dev import DRAWN_DEV, load  # noqa: E402
from not_digits import KINDS, not_digits  # noqa: E402
from not_sure import network_named  # noqa: E402
from myonn import mnist  # noqa: E402
from myonn.answer import SURE_PERCENT, clear_answer, whole_percentages  # noqa: E402
from myonn.familiar import STRANGEST, learn_familiarity  # noqa: E402
from myonn.plumbing import paths  # noqa: E402
from myonn.preprocess import to_mnist, too_small  # noqa: E402

COUNT = 200  # drawings of each kind


def verdicts(network, familiarity, canvases: np.ndarray) -> dict[str, np.ndarray]:
    """What the window says of each canvas: too small, unsure, unfamiliar (each a mask), and the digit read."""
    small = np.array([too_small(canvas) for canvas in canvases])
    hidden, outputs = network.forward(network.prepare_inputs(np.stack([to_mnist(c) for c in canvases])))
    unsure = np.array([clear_answer(row, whole_percentages(row)) is None for row in outputs])
    strange = ~familiarity.familiar(hidden)
    return {
        "small": small,
        "unsure": unsure & ~small,
        "strange": strange & ~unsure & ~small,
        "digit": outputs.argmax(1),
    }


def main() -> None:
    args, network = network_named(__doc__.splitlines()[0])
    start = time.perf_counter()
    familiarity = learn_familiarity(network, args.data_dir)
    learned = time.perf_counter() - start
    if familiarity is None:
        sys.exit(f"not_a_digit.py: MNIST is missing from {args.data_dir}: run ./mnist_train.py once to fetch it")
    one = network.forward(network.prepare_inputs(mnist.load("test", args.data_dir)[0][:1]))[0]
    start = time.perf_counter()
    for _ in range(200):
        familiarity.familiar(one)
    each = (time.perf_counter() - start) / 200
    print(
        f"learned in {learned:.1f} s (with MNIST's loading), holding {familiarity.reference.nbytes / 1e6:.0f} MB; "
        f"{each * 1000:.2f} ms more for each reading (time it on an idle machine)"
    )
    print(
        f"network {paths.shown(args.model)}; not sure at {SURE_PERCENT}% or less, "
        f"or stranger than all but {STRANGEST:.1%} of its right MNIST test answers"
    )
    print(f"{'':10}{'too small':>10}{'not sure':>10}{'strange':>10}{'caught':>10}{'sure, wrong':>13}")
    caught_shares = []
    for kind in KINDS:
        said = verdicts(network, familiarity, not_digits(kind, COUNT))
        caught = said["small"] | said["unsure"] | said["strange"]
        caught_shares.append(caught.mean())
        print(
            f"{kind:10}{said['small'].mean():>10.0%}{said['unsure'].mean():>10.0%}{said['strange'].mean():>10.0%}"
            f"{caught.mean():>10.0%}{1 - caught.mean():>13.0%}"
        )
    print(f"non-digits caught: {np.mean(caught_shares):.0%} over the {len(KINDS)} kinds")

    images, labels = mnist.load("test", args.data_dir)
    hidden, outputs = network.forward(network.prepare_inputs(images))
    right = outputs.argmax(1) == labels
    unsure = np.array([clear_answer(row, whole_percentages(row)) is None for row in outputs[right]])
    strange = ~familiarity.familiar(hidden[right])
    print(
        f"MNIST test, of the {right.sum()} right answers: not sure {unsure.mean():.2%}, strange {strange.mean():.2%}, "
        f"either {(unsure | strange).mean():.2%}"
    )

    drawings = load(DRAWN_DEV)
    if drawings is None:
        print(f"(no {DRAWN_DEV}: real drawings skipped)")
        return
    said = verdicts(network, familiarity, drawings.canvases)
    right = said["digit"] == drawings.labels
    flagged = said["small"] | said["unsure"] | said["strange"]
    print(
        f"real drawings, of the {right.sum()} of {len(right)} read right: not sure {said['unsure'][right].mean():.2%}, "
        f"strange {said['strange'][right].mean():.2%}, too small {said['small'][right].mean():.2%}; "
        f"in all {flagged[right].mean():.2%}"
    )
    print(f"real drawings read wrong: {flagged[~right].mean():.0%} of them flagged")


if __name__ == "__main__":
    main()
