r"""Weights: one number on every edge between two layers.

Between a layer of ``n_in`` nodes and the next layer of ``n_out`` nodes there
is one weight per pair of nodes, stored as a matrix ``W`` of shape
``(n_in, n_out)``: ``W[i, j]`` is the weight on the edge from node ``i`` to
node ``j`` of the next layer. Column ``j`` holds all the weights *into* node
``j``, so for a batch of inputs ``X`` of shape ``(batch, n_in)`` the weighted
sums of every node for every example are one matrix product, ``X @ W``, of
shape ``(batch, n_out)``.

Starting values matter: if every weight starts equal, every node of a layer
computes the same thing and learns the same thing. So weights start small and
random, scaled by the number of inputs so that sums neither vanish nor explode.
"""

from __future__ import annotations

import numpy as np

from nnlib.checks import check_float_dtype, check_positive_int, make_rng

SCHEMES = ("xavier", "he", "normal", "zeros")


def init_weights(n_in, n_out, scheme="xavier", seed=None, dtype=np.float64) -> np.ndarray:
    r"""A new weight matrix of shape ``(n_in, n_out)``.

    ``scheme``:
      - ``"xavier"`` (Glorot): normal with standard deviation :math:`\sqrt{1/n_{in}}`,
        suits sigmoid and tanh;
      - ``"he"``: standard deviation :math:`\sqrt{2/n_{in}}`, suits ReLU;
      - ``"normal"``: standard deviation 1, as in many first textbooks;
      - ``"zeros"``: all zero, to see why random starts are needed.

    ``seed`` (int or numpy Generator) makes the draw reproducible.
    """
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    dtype = check_float_dtype(dtype)
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"weight scheme must be one of {SCHEMES}, got {scheme!r}")
    if scheme == "zeros":
        return np.zeros((n_in, n_out), dtype=dtype)
    std = {"xavier": np.sqrt(1.0 / n_in), "he": np.sqrt(2.0 / n_in), "normal": 1.0}[scheme]
    rng = make_rng(seed)
    return (rng.standard_normal((n_in, n_out)) * std).astype(dtype)


def default_scheme(activation_name: str) -> str:
    """He for ReLU, Xavier otherwise."""
    return "he" if activation_name == "relu" else "xavier"
