"""Exercises for lesson 2: forward propagation.

Every expected value is computed by nnlib itself (a ``Dense`` layer or
``nnlib.activation.sigmoid``), so the exercises and the library can never
disagree. A few typical slips get a message of their own.
"""

from __future__ import annotations

import numpy as np

from nnlib.activation import sigmoid
from nnlib.exercises import Exercise, Function, Number, Pair, Shape
from nnlib.layer import Dense


def _neuron(weights, activation="linear") -> Dense:
    """One node without a bias, with the given incoming weights."""
    layer = Dense(len(weights), 1, activation=activation, bias=None, seed=0)
    layer.weights[:, 0] = weights
    return layer


# --------------------------------------------------------------- weighted_sum
SUM_INPUTS = (0.2, 0.7, 1.0)
SUM_WEIGHTS = (1.5, -0.5, 0.8)


def _node_output(activation="linear") -> float:
    return float(_neuron(SUM_WEIGHTS, activation).forward(np.array([SUM_INPUTS]))[0, 0])


weighted_sum = Exercise(
    "weighted_sum",
    f"A node has three inputs x = {SUM_INPUTS} with weights w = {SUM_WEIGHTS}. What is its "
    "weighted sum z = x1*w1 + x2*w2 + x3*w3 (before the activation)?",
    title="A weighted sum",
    expected=_node_output,
    form=Number(),
    slips=lambda: [
        (np.array(SUM_INPUTS) * np.array(SUM_WEIGHTS),
         "those are the three products, one per edge. The node adds them up into one number."),
        (_node_output("sigmoid"), "that is the value after the sigmoid. The question asks for "
                                  "the sum z before the activation."),
        (float(np.sum(np.array(SUM_INPUTS) + np.array(SUM_WEIGHTS))),
         "add the products x_i * w_i, not the inputs plus the weights."),
    ],
    hint="Multiply each input by the weight on its edge, then add the three products. "
         "With numpy arrays, np.sum(x * w) or x @ w does both steps.",
)

# -------------------------------------------------------------- sigmoid_value
SIGMOID_Z = 2.0

sigmoid_value = Exercise(
    "sigmoid_value",
    f"A node's weighted sum is z = {SIGMOID_Z}. What does the sigmoid turn it into? Compute "
    "sigmoid(z) = 1 / (1 + exp(-z)) with np.exp (give at least 4 decimals).",
    title="The sigmoid of one number",
    expected=lambda: float(sigmoid(SIGMOID_Z)),
    form=Number(tolerance=1e-4),
    slips=lambda: [
        (float(sigmoid(-SIGMOID_Z)),
         "that is sigmoid(-2). The formula has e to the power MINUS z: 1 / (1 + exp(-z))."),
        (float(np.exp(-SIGMOID_Z)), "that is only exp(-z). The sigmoid is 1 / (1 + exp(-z))."),
        (SIGMOID_Z, "that is z itself; the sigmoid squashes it into a number between 0 and 1."),
    ],
    hint="np.exp(-2.0) is e to the power -2. Add 1, then take 1 divided by the result. "
         "The answer lies between 0.5 and 1, because z is positive.",
)

# ------------------------------------------------------------------ my_sigmoid
#: numpy normally only *warns* when ``exp`` overflows (and the naive formula still
#: lands on 0.0); the check turns the overflow into an error, so a formula that
#: overflows is refused with the reason.
_TOO_BIG = ("Somewhere np.exp got a number too big for a float (above about 709). See the "
            "hint for a form that never overflows.")

my_sigmoid = Exercise(
    "my_sigmoid",
    "Write your own sigmoid: a function my_sigmoid(z) that takes a numpy array z of any "
    "shape and returns 1 / (1 + exp(-z)) for every element. It must also work for huge "
    "values such as z = -1000 or 1000, without numpy overflowing.",
    title="Your own sigmoid",
    expected=sigmoid,
    form=Function([np.array(0.0), np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),
                   np.array([[-5.0, 5.0], [-20.0, 20.0]]), np.array([-1000.0, 1000.0]),
                   np.array([-9999999.0, 9999999.0])],
                  errstate={"over": "raise", "invalid": "raise", "divide": "raise"},
                  explain={FloatingPointError: _TOO_BIG, OverflowError: _TOO_BIG},
                  name="your sigmoid", argnames="z"),
    well_done="It agrees with nnlib's sigmoid even for huge |z|, without overflowing.",
    points=2,                       # writing a function that works for every input
    hint="1 / (1 + np.exp(-z)) is right in maths, but for z = -1000 it asks for exp(1000), "
         "which is too big for a float. Only ever take exp of a number <= 0: with "
         "e = np.exp(-np.abs(z)), the sigmoid is 1 / (1 + e) where z >= 0 and e / (1 + e) "
         "where z < 0 (multiply top and bottom of the formula by exp(z) to see why). "
         "np.where(condition, a, b) picks between two arrays element by element.",
)

# ----------------------------------------------------------------- weight_entry
ENTRY_SIZES = (4, 3)   # 4 input nodes -> 3 nodes
ENTRY_FROM, ENTRY_TO = 3, 2  # counted from 1, as in the question


def _weight_entry() -> tuple:
    """Find, by running the layer, which entry of W carries input ENTRY_FROM into node ENTRY_TO."""
    n_in, n_out = ENTRY_SIZES
    layer = Dense(n_in, n_out, activation="linear", bias=None, seed=0)
    layer.weights[:] = np.arange(n_in * n_out).reshape(n_in, n_out)  # every weight different
    x = np.zeros((1, n_in))
    x[0, ENTRY_FROM - 1] = 1.0               # only this input node is on...
    z = layer.forward(x)[0, ENTRY_TO - 1]    # ...so node ENTRY_TO receives exactly its weight
    i, j = np.argwhere(layer.weights == z)[0]
    return (int(i), int(j))


weight_entry = Exercise(
    "weight_entry",
    f"A layer joins {ENTRY_SIZES[0]} input nodes to {ENTRY_SIZES[1]} nodes, so its weight "
    f"matrix W has shape {ENTRY_SIZES}. Which entry W[i, j] is the weight on the edge from "
    f"input node {ENTRY_FROM} to node {ENTRY_TO} of the next layer (counting nodes from 1, "
    "as people do)? Answer with the numpy indices as a pair (i, j).",
    title="Which entry of W?",
    expected=_weight_entry,
    form=Pair(),
    slips=lambda: [
        (_weight_entry()[::-1], "the first index is the node the edge comes FROM (a row of W), "
                                "the second the node it goes TO (a column)."),
        ((ENTRY_FROM, ENTRY_TO), "numpy counts from 0: the first node has index 0."),
    ],
    well_done="That entry is the weight on that edge.",
    advice="W[i, j] joins input node i to node j of the next layer, counted from 0.",
    hint="Rows of W belong to the nodes the edges come from, columns to the nodes they go "
         "to. numpy indices start at 0, so node 1 has index 0.",
)

# ---------------------------------------------------------- layer_output_shape
BATCH, N_IN, N_OUT = 32, 64, 16

layer_output_shape = Exercise(
    "layer_output_shape",
    f"A batch of {BATCH} examples, each with {N_IN} input values, goes through a layer of "
    f"{N_OUT} nodes. What is the shape of the layer's output? Answer with a tuple "
    "(rows, columns).",
    title="The shape of a layer's output",
    expected=lambda: Dense(N_IN, N_OUT, seed=0).forward(np.zeros((BATCH, N_IN))).shape,
    form=Shape(),
    slips=lambda: [
        ((N_OUT, BATCH), "rows are examples and columns are nodes: (batch, n_out)."),
        (Dense(N_IN, N_OUT, seed=0).weights.shape,
         "that is the shape of the weight matrix W, not of the layer's output."),
        ((BATCH, N_IN), "that is the shape of the input X. The layer has a different number "
                        "of nodes than there are inputs."),
    ],
    well_done="One row per example, one column per node.",
    advice="(batch, n_in) @ (n_in, n_out) gives (batch, n_out).",
    hint="X has shape (batch, n_in) and W has shape (n_in, n_out). In X @ W the two inner "
         "sizes must match and disappear; the outer two remain.",
)

EXERCISES = [weighted_sum, sigmoid_value, my_sigmoid, weight_entry, layer_output_shape]
