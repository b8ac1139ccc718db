"""The windows: everything pygame draws, kept out of the ideas.

    display     open a window (or say why not) and save a frame as a PNG
    watch       the window that shows the network learning (mnist_train.py --watch)
    curves      learning curves, collected from training and drawn
"""

import os

# pygame greets on stdout when imported: not on a learner's terminal.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
