"""myonn: Make Your Own Neural Network, in NumPy.

A 784-200-10 sigmoid network that learns to read handwritten digits (MNIST):

    from myonn import mnist, NeuralNetwork
    images, labels = mnist.load("train")
    network = NeuralNetwork.load("data/mnist_nn.npz")
    network.predict(images[:5])

Modules, one job each:
    mnist       read the IDX files of MNIST, downloading them when missing
    network     the network: forward pass, backpropagation, optimiser, save/load
    images      geometric image operations: warps, deskewing, distortions
    training    the epoch loop around the network, with its learning-rate schedule
    inside      inside the network: hidden nodes' pictures, activations, signed colours
    preprocess  turn a digit drawn on a canvas into an image like MNIST's
    drawings    MNIST digits redrawn as mouse drawings, to measure preprocess
    files       write a file whole or not at all
    cli, errors one-line errors instead of tracebacks, for the scripts
"""

from myonn.errors import DataFileError, ModelFileError, MyonnError, TrainingDiverged
from myonn.network import NeuralNetwork

__all__ = ["NeuralNetwork", "MyonnError", "DataFileError", "ModelFileError", "TrainingDiverged"]
