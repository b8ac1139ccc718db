"""The errors a user can cause, each carrying a one-line message to show them.

The scripts catch `MyonnError` and print its message instead of a traceback:
a missing file or a bad option is the user's mistake to fix, not a crash.
"""


class MyonnError(Exception):
    """A problem the user can fix; str(error) is a one-line message saying how."""


class DataFileError(MyonnError):
    """An MNIST file is missing, cannot be downloaded, or is not what it claims to be."""


class ModelFileError(MyonnError):
    """A saved network is missing, damaged, or of another format."""


class TrainingDiverged(MyonnError):
    """The loss became NaN or infinite: the learning rate is too high for this network."""


class WindowClosed(KeyboardInterrupt):
    """The learner closed the window watching the training (or pressed ESC): stop as Ctrl-C would."""
