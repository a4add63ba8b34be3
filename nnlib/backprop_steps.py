r"""Back-propagation, one layer at a time, with every intermediate array kept.

``Network.backward`` keeps only the gradients of the weights and biases. This
module runs the very same function, ``nnlib.layer.dense_backward``, layer by
layer, and keeps everything it returns in a record per layer, so a lesson can
print each local gradient beside its formula.

Going backward through a dense layer with input ``X`` (batch, n_in), weights
``W`` (n_in, n_out), sums ``Z = X W + b`` and values ``A = f(Z)`` (batch, n_out),
given ``dA`` = dL/dA from the layer after it (or from the loss):

.. math::
    dZ = dA \odot f'(Z), \qquad dW = X^T dZ, \qquad db = \textstyle\sum_{batch} dZ,
    \qquad dX = dZ\, W^T

``dX`` = dL/dX is the ``dA`` of the layer before. The loop starts at the
output layer with ``dA`` = the loss's gradient and walks back to the first
hidden layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnlib.checks import as_matrix
from nnlib.layer import dense_backward
from nnlib.loss import get_loss


@dataclass
class BackwardStep:
    """What one layer computes on the way back.

    ``layer`` counts from 1 (the first hidden layer); ``is_output`` marks the
    last one. ``X`` (the layer's input: the data or the previous layer's
    ``A``), ``Z``, ``A`` are the forward values and ``W`` the weights;
    ``dA``, ``dZ``, ``dW``, ``db``, ``dX`` are the gradients of the loss with
    respect to ``A``, ``Z``, ``W``, ``b`` and ``X`` (``db`` is None when the
    layer has no bias). Printing a step shows each formula with its shapes.
    """

    layer: int
    activation: str
    X: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    W: np.ndarray
    dA: np.ndarray
    dZ: np.ndarray
    dW: np.ndarray
    db: np.ndarray | None
    dX: np.ndarray
    is_output: bool = False

    def shapes(self) -> dict:
        """The shape of each gradient: ``{"dA": (batch, n_out), "dZ": ..., "dX": ...}``."""
        names = ("dA", "dZ", "dW", "db", "dX")
        return {name: getattr(self, name).shape for name in names
                if getattr(self, name) is not None}

    def __repr__(self) -> str:
        def s(a):
            return str(a.shape)

        after = "the loss" if self.layer_after is None else f"layer {self.layer_after}"
        before = "the data (not needed)" if self.layer == 1 else f"layer {self.layer - 1}"
        rows = [
            ("dA = dL/dA", f"{s(self.dA)} from {after}", ""),
            ("dZ = dA * f'(Z)", f"{s(self.dA)} * {s(self.Z)}", s(self.dZ)),
            ("dW = X^T @ dZ", f"{s(self.X.T)} @ {s(self.dZ)}", s(self.dW)),
        ]
        if self.db is not None:
            rows.append(("db = sum of dZ over the batch", f"{s(self.dZ)} summed", s(self.db)))
        rows.append(("dX = dZ @ W^T", f"{s(self.dZ)} @ {s(self.W.T)}",
                     f"{s(self.dX)}  = dA of {before}"))
        lines = [f"layer {self.layer} ({self.activation}):"]
        for formula, how, result in rows:
            arrow = f"-> {result}" if result else ""
            lines.append(f"  {formula:<30} {how:<20} {arrow}".rstrip())
        return "\n".join(lines)

    @property
    def layer_after(self):
        """The number of the layer after this one, or None for the output layer."""
        return None if self.is_output else self.layer + 1


def backward_steps(network, X, y, loss="mse") -> list:
    """Run forward, then back-propagate layer by layer; one ``BackwardStep`` per layer.

    ``X`` (batch, n_inputs), ``y`` the targets, ``loss`` a Loss or its name.
    The list is in backward order: the output layer first. Each step records
    the forward pass's cache and what ``dense_backward`` returns for it -- the
    computation ``network.backward`` does -- but the network's own
    ``grad_weights``/``grad_bias`` are left untouched.
    """
    loss = get_loss(loss)
    X = as_matrix(X, "X", network.layers[0].n_in)
    output = network.forward(X)  # every layer keeps its cache (X, Z, A, W, ...)
    y = loss.check_target(output, y)
    _, dA = loss(output, y)

    steps = []
    last = len(network.layers)
    for number in range(last, 0, -1):
        layer = network.layers[number - 1]
        cache = layer.cache
        dZ, dW, db, dX = dense_backward(dA, cache, steps=layer)
        steps.append(BackwardStep(number, layer.activation.name, cache.X, cache.Z, cache.A,
                                  cache.W, dA, dZ, dW, db, dX, is_output=number == last))
        dA = dX
    return steps


def step_gradients(steps) -> dict:
    """The gradients of a ``backward_steps`` list, keyed like ``network.gradients()``."""
    grads = {}
    for step in sorted(steps, key=lambda s: s.layer):
        grads[f"layer{step.layer}.weights"] = step.dW
        if step.db is not None:
            grads[f"layer{step.layer}.bias"] = step.db
    return grads
