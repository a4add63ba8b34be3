r"""A dense (fully connected) layer: weights, bias and an activation.

Forward, for a batch ``X`` of shape ``(batch, n_in)`` (one row per example):

.. math::  Z = X W + b, \qquad A = f(Z)

with ``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)`` (or ``(1,)``
for one shared bias per layer), and ``Z``, ``A`` of shape ``(batch, n_out)``.

Backward, given ``dA`` = dL/dA of shape ``(batch, n_out)`` (the chain rule,
one step at a time; the forward pass left ``X``, ``Z``, ``A`` in a cache):

.. math::
    dZ = dA \odot f'(Z), \quad dW = X^T dZ, \quad db = \textstyle\sum_{batch} dZ,
    \quad dX = dZ\, W^T
"""

from __future__ import annotations

import numpy as np

from nnlib.activation import get_activation
from nnlib.bias import bias_gradient, check_bias_mode, init_bias
from nnlib.checks import as_matrix, check_finite, check_positive_int
from nnlib.weights import default_scheme, init_weights


class Dense:
    """A fully connected layer of ``n_out`` nodes, each fed by all ``n_in`` inputs.

    Parameters
    ----------
    n_in, n_out : number of nodes in the previous layer and in this one.
    activation : ``"sigmoid"`` (default), ``"tanh"``, ``"relu"``, ``"linear"``,
        ``"softmax"``, or an Activation.
    bias : ``"node"`` (one per node, default), ``"layer"`` (one shared value)
        or None.
    init : weight scheme (see ``nnlib.weights``); ``"auto"`` picks He for ReLU
        and Xavier otherwise.
    seed : int or numpy Generator, for reproducible starting weights.
    dtype : float64 (default) or float32.

    Attributes: ``weights`` (n_in, n_out), ``bias`` (n_out,) / (1,) / None and,
    after ``backward``, ``grad_weights`` and ``grad_bias`` of the same shapes.
    ``W``, ``b``, ``dW``, ``db`` are the same arrays under their maths names.
    """

    def __init__(self, n_in, n_out, activation="sigmoid", bias="node", init="auto",
                 seed=None, dtype=np.float64):
        if not np.issubdtype(np.dtype(dtype), np.floating):
            raise TypeError(f"dtype must be a float type (float64 or float32), got {dtype!r}")
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        self.activation = get_activation(activation)
        self.bias_mode = check_bias_mode(bias)
        if init == "auto":
            init = default_scheme(self.activation.name)
        self.weights = init_weights(self.n_in, self.n_out, init, seed, dtype)
        self.bias = init_bias(self.n_out, bias, dtype)
        self.grad_weights = None
        self.grad_bias = None
        self._cache = None

    # Short names, as in the formulas.
    W = property(lambda self: self.weights)
    b = property(lambda self: self.bias)
    dW = property(lambda self: self.grad_weights)
    db = property(lambda self: self.grad_bias)

    def forward(self, X) -> np.ndarray:
        """``A = f(X @ W + b)`` for ``X`` of shape (batch, n_in); returns (batch, n_out)."""
        X = check_finite(as_matrix(X, "X", self.n_in), "X")
        return self._forward(X)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        # The unchecked forward pass, used inside training loops after the data
        # was checked once.
        Z = X @ self.weights
        if self.bias is not None:
            Z += self.bias
        A = self.activation.forward(Z)
        self._cache = (X, Z, A)
        return A

    def backward(self, grad_output, need_input_grad: bool = True):
        """Back-propagate ``dA`` (batch, n_out) through this layer.

        Stores ``grad_weights`` = dL/dW and ``grad_bias`` = dL/db, and returns
        dL/dX of shape (batch, n_in) for the layer before (or None when
        ``need_input_grad`` is False: the first layer's input needs no gradient).
        """
        if self._cache is None:
            raise RuntimeError("call forward() before backward(): the layer has no stored inputs")
        X, Z, A = self._cache
        if not isinstance(grad_output, np.ndarray) or grad_output.shape != A.shape:
            got = getattr(grad_output, "shape", type(grad_output).__name__)
            raise ValueError(
                f"backward expects a gradient of the same shape as this layer's output "
                f"{A.shape}, got {got}"
            )
        grad_Z = self.activation.backward(grad_output, Z, A)
        self.grad_weights = X.T @ grad_Z
        self.grad_bias = bias_gradient(grad_Z, self.bias_mode)
        return grad_Z @ self.weights.T if need_input_grad else None

    def parameters(self) -> dict:
        """``{"weights": W, "bias": b}`` (the arrays themselves, not copies)."""
        params = {"weights": self.weights}
        if self.bias is not None:
            params["bias"] = self.bias
        return params

    def gradients(self) -> dict:
        """``{"weights": dW, "bias": db}`` from the last ``backward``."""
        if self.grad_weights is None:
            raise RuntimeError("no gradients yet: call forward() and backward() first")
        grads = {"weights": self.grad_weights}
        if self.bias is not None:
            grads["bias"] = self.grad_bias
        return grads

    @property
    def n_parameters(self) -> int:
        return sum(p.size for p in self.parameters().values())

    def __repr__(self) -> str:
        return (f"Dense({self.n_in} -> {self.n_out}, activation={self.activation.name}, "
                f"bias={self.bias_mode!r})")
