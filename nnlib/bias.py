r"""Bias: a number added into a node's sum that does not come from the previous layer.

Without a bias a sigmoid node's output is 0.5 whenever all its inputs are 0,
and a boundary it draws must pass through the origin. A bias shifts the sum:
:math:`z = \sum_i x_i w_i + b`, so the node can switch on at any threshold.

Two pictures are supported:

- ``"layer"`` -- **one bias value per layer**, shared by every node of that
  layer (the simplest picture, used in the course's first lessons):
  ``b`` has shape ``(1,)`` and is added to every node's sum.
- ``"node"`` -- **one bias per node**, what real libraries (PyTorch's
  ``nn.Linear``, Keras's ``Dense``) do: ``b`` has shape ``(n_out,)``. This is
  the same as a constant extra input node that always holds 1, with its own
  weight to each node of the next layer.
- ``None`` -- no bias at all (to see what goes wrong without one).

Biases start at zero: unlike weights they need no randomness to break symmetry.
"""

from __future__ import annotations

import numpy as np

from nnlib.checks import check_float_dtype, check_positive_int

MODES = ("node", "layer", None)


def check_bias_mode(mode):
    """Return ``mode`` if it is one of ``"node"``, ``"layer"`` or ``None``."""
    if not (mode is None or isinstance(mode, str)) or mode not in MODES:
        raise ValueError(f"bias must be one of 'node', 'layer' or None, got {mode!r}")
    return mode


def init_bias(n_out, mode="node", dtype=np.float64):
    """Zero biases: shape ``(n_out,)`` for ``"node"``, ``(1,)`` for ``"layer"``, None for None."""
    n_out = check_positive_int(n_out, "n_out")
    check_bias_mode(mode)
    dtype = check_float_dtype(dtype)
    if mode is None:
        return None
    return np.zeros(n_out if mode == "node" else 1, dtype=dtype)


def bias_gradient(grad_z: np.ndarray, mode) -> np.ndarray | None:
    """dL/db from dL/dz (shape (batch, n_out)).

    Each bias is added to the sum of every example in the batch, so its
    gradient is a sum over the batch (axis 0); a shared per-layer bias is also
    added to every node, so its gradient sums over the nodes too.
    """
    if mode is None:
        return None
    if mode == "node":
        return grad_z.sum(axis=0)
    return np.array([grad_z.sum()], dtype=grad_z.dtype)
