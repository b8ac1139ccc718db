"""myonn: Make Your Own Neural Network, in NumPy.

A 784-200-10 sigmoid network that learns to read handwritten digits (MNIST):

    from myonn import mnist, NeuralNetwork
    images, labels = mnist.load("train")
    network = NeuralNetwork.load("data/mnist_nn.npz")
    network.predict(images[:5])

Modules, one job each:
    mnist       read the IDX files of MNIST, downloading them when missing
    network     the network: forward pass, backpropagation, optimiser, save/load
    images      geometric image operations: warps, deskewing, bends and turns
    styles      ways of writing MNIST hardly has (crossed 0s and 7s, flagged 1s), drawn onto its digits
    training    the epoch loop around the network: varied images, learning-rate schedule
    one_at_a_time  the book's way: one image at a time, in a plain Python loop
    curves      learning curves, collected from training and drawn with pygame
    watch       the window that shows the network learning (mnist_train.py --watch)
    inside      inside the network: hidden nodes' pictures, activations, signed colours
    teaching    teach the network a learner's own digits, and keep them
    preprocess  turn a digit drawn on a canvas into an image like MNIST's
    answer      the digit clearly ahead in the network's answer, or "not sure"
    drawings    MNIST digits redrawn as mouse drawings, to measure preprocess
    files       write a file whole or not at all
    cli, errors one-line errors instead of tracebacks, for the scripts
    paths       where the project keeps its data and networks
    installed   whether the packages a script needs are there, before it starts
    cores       how many cores the matrix products get: those other programs leave free
"""

from myonn.errors import DataFileError, ModelFileError, MyonnError, TrainingDiverged

# NeuralNetwork is imported when first asked for (PEP 562), not here: importing the
# package then needs no NumPy, so a script can first check that NumPy is installed
# (myonn.installed) and say so in one line instead of a traceback.


def __getattr__(name: str):
    if name == "NeuralNetwork":
        from myonn.network import NeuralNetwork

        return NeuralNetwork
    raise AttributeError(f"module 'myonn' has no attribute {name!r}")


__all__ = ["NeuralNetwork", "MyonnError", "DataFileError", "ModelFileError", "TrainingDiverged"]
