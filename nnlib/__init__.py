"""nnlib: a small, readable neural-network library in numpy.

The pieces, in the order the course meets them:

- ``nnlib.network.Network`` and ``nnlib.layer.Dense`` -- layers of nodes;
- ``nnlib.weights``, ``nnlib.bias``, ``nnlib.activation`` -- what a layer computes;
- ``nnlib.loss`` -- how wrong the outputs are;
- ``Network.backward`` and ``nnlib.gradcheck`` -- back-propagation, checked;
- ``nnlib.learning_rate`` and ``nnlib.gradient_descent`` -- learning;
- ``nnlib.datasets`` -- data to learn from; ``nnlib.saving`` -- keep a trained network;
- ``nnlib.backprop_steps`` -- back-propagation one layer at a time, every array kept;
- ``nnlib.bug_zoo`` -- layers with planted back-propagation bugs, to find and fix.

Plots (``nnlib.plots``), sliders (``nnlib.widgets``) and exercise checks
(``nnlib.exercises``) are separate modules, imported only when a lesson asks
for them, so ``import nnlib`` needs numpy alone.
"""

from nnlib.activation import (
    linear,
    relu,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
)
from nnlib.checks import NotFiniteError
from nnlib.datasets import load_digits, logic_gate, one_hot
from nnlib.gradcheck import gradcheck, gradcheck_layer
from nnlib.gradient_descent import History, TrainingDiverged, accuracy, train
from nnlib.layer import Dense
from nnlib.learning_rate import sgd_step
from nnlib.loss import (
    BinaryCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    SumAbsoluteError,
    SumSquaredError,
    get_loss,
    probabilities,
)
from nnlib.network import Network
from nnlib.saving import NotAParameterFile, load, save

__version__ = "0.1.0"

__all__ = [
    "BinaryCrossEntropy", "Dense", "History", "MeanSquaredError", "Network", "NotAParameterFile",
    "NotFiniteError",
    "SoftmaxCrossEntropy", "SumAbsoluteError", "SumSquaredError", "TrainingDiverged",
    "accuracy", "get_loss", "gradcheck", "gradcheck_layer", "linear", "load", "load_digits",
    "logic_gate", "one_hot", "probabilities", "relu", "save", "sgd_step", "sigmoid",
    "sigmoid_derivative", "softmax", "tanh", "train",
]
