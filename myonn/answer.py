"""What a window says about the network's answer: the digit clearly ahead, or "not sure".

A network trained only on digits has ten outputs that always add up to 1, so it
must share its belief among the ten digits even for a line or a scribble: it has
no "none of these" to answer. What it can show is doubt, when no digit is clearly
ahead of the rest. Both windows ask `clear_answer`, so they agree on when to say so.
"""

from __future__ import annotations

import numpy as np

# The least probability at which a digit counts as clearly ahead. For the shipped network,
# measured (benchmarks/not_sure.py): answers below it are 0.3% of its right answers on
# MNIST's test set but 23% of its wrong ones (real drawings: 0.8% and 27%).
SURE = 0.6


def clear_answer(probabilities: np.ndarray) -> int | None:
    """The digit the network reads in one image, if clearly ahead of the others; None when it is not sure.

    `probabilities` are the ten outputs for one image (they add up to 1).
    """
    probabilities = np.asarray(probabilities)
    digit = int(np.argmax(probabilities))
    return digit if probabilities[digit] >= SURE else None
