"""What a window says about the network's answer: the digit clearly ahead, or "not sure".

A network trained only on digits has ten outputs that always add up to 1, so it
must share its belief among the ten digits even for a line or a scribble: it has
no "none of these" to answer. What it can show is doubt, when no digit is clearly
ahead of the rest. Both windows ask `clear_answer`, so they agree on when to say so,
and hand it the figures they show, so that a bar reading 51% is never called "not sure".
(Things that are not digits at all are often read with no doubt: `myonn.familiar`
tells most of them apart, and the drawing window asks it too.)
"""

from __future__ import annotations

import numpy as np

# A digit is clearly ahead when it holds more than half of the belief: no other digit can
# then be as likely. For the shipped network, measured (benchmarks/not_sure.py): half or
# less is 0.1% of its right answers on MNIST's test set and 3.0% of its wrong ones (real
# drawings: 0.1% and 8.9%; with myonn.familiar the drawing window doubts 20% of those).
# A higher bar (60%: 0.8% of the real drawings read right) would leave no room for
# myonn.familiar within 1% of them (benchmarks/not_a_digit.py).
SURE_PERCENT = 50
SURE = SURE_PERCENT / 100


def clear_answer(probabilities: np.ndarray, shown_percents=None) -> int | None:
    """The digit the network reads in one image, if clearly ahead of the others; None when it is not sure.

    `probabilities` are the ten outputs for one image (they add up to 1). A window that
    shows them rounded passes `shown_percents`, the ten figures on screen (in percent):
    the rule then reads the figure the learner reads, and 50.4% shown as 50% is not sure.
    """
    probabilities = np.asarray(probabilities)
    digit = int(np.argmax(probabilities))
    if shown_percents is not None:
        return digit if shown_percents[digit] > SURE_PERCENT else None
    return digit if probabilities[digit] > SURE else None


def whole_percentages(probabilities: np.ndarray) -> list[int]:
    """Probabilities that add up to 1, as whole percentages that add up to exactly 100.

    Each is rounded down, then the points still missing go to the largest remainders,
    so the ten numbers on screen never add up to 99 or 101.
    """
    exact = np.asarray(probabilities, np.float64) * 100 / np.sum(probabilities)
    whole = np.floor(exact).astype(int)
    missing = 100 - int(whole.sum())
    whole[np.argsort(whole - exact, kind="stable")[:missing]] += 1
    return whole.tolist()
