"""Exercises for lesson 3: bias.

Every expected value is computed by nnlib itself (a ``Dense`` layer or a
``Network``), so the exercises and the library can never disagree.
"""

from __future__ import annotations

import numpy as np

from nnlib.exercises import Exercise, Number, Pair
from nnlib.layer import Dense
from nnlib.network import Network

# --------------------------------------------------------------- z_with_bias
Z_INPUTS = (0.5, -1.0, 2.0)
Z_WEIGHTS = (0.4, 0.3, -0.2)
Z_BIAS = 0.7


def _neuron(weights, bias) -> Dense:
    """One linear node with the given incoming weights and bias (so its output is z)."""
    layer = Dense(len(weights), 1, activation="linear", bias="node", seed=0)
    layer.weights[:, 0] = weights
    layer.bias[:] = bias
    return layer


def _z_with_bias() -> float:
    x = np.array([Z_INPUTS])
    return float(_neuron(Z_WEIGHTS, Z_BIAS).forward(x)[0, 0])


z_with_bias = Exercise(
    "z_with_bias",
    f"A node has inputs x = {Z_INPUTS}, weights w = {Z_WEIGHTS} and bias b = {Z_BIAS}. "
    "What is its sum z = x1*w1 + x2*w2 + x3*w3 + b (before the activation)?",
    title="The sum with a bias",
    expected=_z_with_bias,
    form=Number(),
    slips=lambda: [(float(np.dot(Z_INPUTS, Z_WEIGHTS)),
                    "that is the weighted sum without the bias: add b once at the end.")],
    hint="Multiply each input by its weight, add the three products, then add the bias "
         "once at the end. `x @ w` does the first two steps for numpy arrays.",
)

# --------------------------------------------------------------- switch_on_x
SWITCH_WEIGHT = 2.0
SWITCH_BIAS = -3.0


def _switch_on_x() -> float:
    # z = w x + b is a straight line in x; read b and w off the neuron itself
    # (z at x = 0 and the step from x = 0 to x = 1) and find where z = 0.
    neuron = _neuron((SWITCH_WEIGHT,), SWITCH_BIAS)
    z0, z1 = neuron.forward(np.array([[0.0], [1.0]]))[:, 0]
    return float(-z0 / (z1 - z0))


switch_on_x = Exercise(
    "switch_on_x",
    f"A sigmoid neuron with one input has weight w = {SWITCH_WEIGHT} and bias "
    f"b = {SWITCH_BIAS}. For which input x is its output exactly 0.5 (where it switches on)?",
    title="Where the neuron switches on",
    expected=_switch_on_x,
    form=Number(),
    slips=[(SWITCH_BIAS / SWITCH_WEIGHT, "mind the sign: w * x + b = 0 gives x = -b / w.")],
    hint="sigmoid(z) = 0.5 exactly when z = 0. Solve w * x + b = 0 for x.",
)

# -------------------------------------------------------------- count_biases
COUNT_SIZES = (4, 5, 3, 2)


def _count_biases() -> tuple:
    counts = []
    for mode in ("layer", "node"):
        network = Network.from_sizes(COUNT_SIZES, bias=mode)
        counts.append(sum(layer.bias.size for layer in network.layers))
    return tuple(counts)


count_biases = Exercise(
    "count_biases",
    f"A network has layer sizes {list(COUNT_SIZES)} (input layer first). How many bias "
    "values does it have (a) with one bias per layer, (b) with one bias per node? "
    "Answer with a pair: (per_layer, per_node).",
    title="Count the biases",
    expected=_count_biases,
    form=Pair(),
    slips=lambda: [((len(COUNT_SIZES), sum(COUNT_SIZES)),
                    "both counts include the input layer, which only holds the data and has "
                    "no bias.")],
    hint="The input layer only holds the data: it computes no sum, so it has no bias. "
         "Every other layer has one shared bias (per layer) or one per node (per node).",
)

EXERCISES = [z_with_bias, count_biases, switch_on_x]
