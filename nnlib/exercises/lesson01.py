"""Exercises for lesson 1: layers and nodes.

Every expected value is computed by nnlib (a ``Network``'s own parameter
count) or by numpy from the exercise's data, never typed in by hand. A few
typical slips get a message of their own that says what went wrong.
"""

from __future__ import annotations

import numpy as np

from nnlib.exercises import Array, Exercise, WholeNumber
from nnlib.network import Network


def _n_weights(sizes) -> int:
    """The number of weights (no biases) of a network with these layer sizes, from nnlib."""
    return Network.from_sizes(list(sizes), bias=None).n_parameters


# ------------------------------------------------------------- count_weights
COUNT_SIZES = (3, 5, 2)

count_weights = Exercise(
    "count_weights",
    f"A network has layer sizes {list(COUNT_SIZES)} (input layer first). How many weights "
    "does it have? Count the weights only, no biases.",
    title="Count the weights",
    expected=lambda: _n_weights(COUNT_SIZES),
    form=WholeNumber(),
    slips=lambda: [
        (Network.from_sizes(list(COUNT_SIZES)).n_parameters,
         "that also counts the biases (one per hidden and output node). "
         "The question asks for the weights only: one per edge."),
        (int(np.prod(COUNT_SIZES)),
         "multiplying all three sizes counts paths through the network, not edges. "
         "Count the edges between each pair of neighbouring layers, then add."),
        (sum(COUNT_SIZES),
         "that is the number of nodes. Weights sit on the edges between nodes."),
    ],
    hint="Every node of a layer is joined to every node of the next layer, and each edge "
         "carries one weight. So two neighbouring layers of sizes a and b have a * b "
         "weights. Do that for each neighbouring pair and add the results.",
)

# ------------------------------------------------------------------ n_weights
n_weights = Exercise(
    "n_weights",
    "Write a function n_weights(sizes) that takes a list of layer sizes, such as "
    "[3, 5, 2], and returns how many weights (no biases) a network of that shape has. "
    "It must work for any number of layers.",
    title="A function that counts weights",
    reference=_n_weights,
    inputs=[([2, 1],), ([3, 5, 2],), ([4, 6, 6, 3],), ([64, 16, 10],), ([784, 128, 64, 10],)],
    points=2,                       # writing a function that works for every input
    hint="Walk over neighbouring pairs of layers: zip(sizes[:-1], sizes[1:]) gives "
         "(3, 5) and then (5, 2) for [3, 5, 2]. Multiply each pair and add up.",
)

# ---------------------------------------------------------------- input_nodes
IMAGE_SHAPE = (28, 28)

input_nodes = Exercise(
    "input_nodes",
    f"A grey-scale image is {IMAGE_SHAPE[0]} x {IMAGE_SHAPE[1]} pixels. Each pixel becomes "
    "one input value. How many nodes does the network's input layer need?",
    title="Input nodes for an image",
    expected=lambda: np.zeros(IMAGE_SHAPE).size,
    form=WholeNumber(),
    slips=[
        (sum(IMAGE_SHAPE), "that adds the two sides. Every pixel gets its own input node, "
                           "so count all the pixels."),
        (IMAGE_SHAPE[0], "that is one row of pixels. The network sees every row, one after "
                         "the other."),
    ],
    hint="The 8 x 8 digits in this lesson need 64 input nodes: one per pixel.",
)

# ------------------------------------------------------------ image_to_inputs
TINY_IMAGE = ((0, 8),
              (16, 4))
TINY_MAX = 16  # pixel values run from 0 (no ink) to 16 (full ink), as in the digits


def _image_to_inputs_slips():
    image = np.asarray(TINY_IMAGE, dtype=np.float64)
    return [
        (image.reshape(-1),
         "the order is right but the values are not scaled yet: divide by 16, the "
         "largest possible pixel value, so that they fall between 0 and 1."),
        (image / TINY_MAX,
         "the values are right, but the input layer is one list of 4 values, not a "
         "2 x 2 grid: flatten it with .reshape(-1)."),
        (image.T.reshape(-1) / TINY_MAX,
         "the values are scaled, but you read the pixels column by column. Read them row "
         "by row: the first row left to right, then the second row (what .reshape(-1) does)."),
    ]


image_to_inputs = Exercise(
    "image_to_inputs",
    f"A tiny 2 x 2 image has the pixel values {[list(row) for row in TINY_IMAGE]} (row by "
    f"row, 0 = no ink, {TINY_MAX} = full ink). Turn it into the 4 input values of a network: "
    "read it row by row and scale each value to lie between 0 and 1. Answer with a numpy "
    "array of shape (4,).",
    title="From an image to input values",
    expected=lambda: np.asarray(TINY_IMAGE, dtype=np.float64).reshape(-1) / TINY_MAX,
    form=Array(),
    slips=_image_to_inputs_slips,
    hint="Make a numpy array of the image, flatten it with .reshape(-1) (row by row), then "
         "divide by 16, the largest value a pixel can have.",
)

EXERCISES = [count_weights, n_weights, input_nodes, image_to_inputs]
