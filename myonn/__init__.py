"""myonn: Make Your Own Neural Network, in NumPy.

A 784-200-10 sigmoid network that learns to read handwritten digits (MNIST):

    from myonn import mnist, NeuralNetwork
    images, labels = mnist.load("train")
    network = NeuralNetwork.load("data/mnist_nn.npz")
    network.predict(images[:5])

The ideas, one module each:
    mnist       read the IDX files of MNIST, downloading them when missing
    network     the network: forward pass, backpropagation, optimiser
    model_file  a trained network saved to an .npz file and read back, checked
    one_at_a_time  the book's way: one image at a time, in a plain Python loop
    training    the epoch loop around the network: varied images, learning-rate schedule
    training_run  what the trainer prints: progress, epoch lines, per-digit accuracy, confusion matrix
    images      geometric image operations: warps, deskewing, bends and turns
    styles      ways of writing MNIST hardly has (crossed 0s and 7s, flagged 1s), drawn onto its digits
    preprocess  turn a digit drawn on a canvas into an image like MNIST's
    answer      the digit clearly ahead in the network's answer, or "not sure"
    inside      inside the network: hidden nodes' pictures, activations, signed colours
    teaching    teach the network a learner's own digits, and keep them

Two subpackages keep the rest out of the way:
    windows     everything pygame draws: the windows, their views, the learning curves
    plumbing    one-line errors, the command line, paths, safe files, installed packages, cores
"""

from myonn.plumbing.errors import DataFileError, ModelFileError, MyonnError, TrainingDiverged

# NeuralNetwork is imported when first asked for (PEP 562), not here: importing the
# package then needs no NumPy, so a script can first check that NumPy is installed
# (myonn.plumbing.installed) and say so in one line instead of a traceback.


def __getattr__(name: str):
    if name == "NeuralNetwork":
        from myonn.network import NeuralNetwork

        return NeuralNetwork
    raise AttributeError(f"module 'myonn' has no attribute {name!r}")


__all__ = ["NeuralNetwork", "MyonnError", "DataFileError", "ModelFileError", "TrainingDiverged"]
