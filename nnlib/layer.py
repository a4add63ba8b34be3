r"""A dense (fully connected) layer: weights, bias and an activation.

Forward, for a batch ``X`` of shape ``(batch, n_in)`` (one row per example):

.. math::  Z = X W + b, \qquad A = f(Z)

with ``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)`` (or ``(1,)``
for one shared bias per layer), and ``Z``, ``A`` of shape ``(batch, n_out)``.

Backward, given ``dA`` = dL/dA of shape ``(batch, n_out)``: the chain rule, one
named step at a time, each a small function below (``bias_gradient`` lives in
``nnlib.bias``):

.. math::
    dZ = dA \odot f'(Z), \quad dW = X^T dZ, \quad db = \textstyle\sum_{batch} dZ,
    \quad dX = dZ\, W^T

``dense_backward`` composes the four steps: the forward pass's ``DenseCache``
in, the gradients ``(dZ, dW, db, dX)`` out. ``Dense.backward`` calls it; so do the step-through
view (``nnlib.backprop_steps``) and the bug zoo (``nnlib.bug_zoo``, whose
exhibits replace one step each).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnlib.activation import get_activation
from nnlib.bias import bias_gradient, check_bias_mode, init_bias
from nnlib.checks import (
    as_array,
    as_matrix,
    check_finite,
    check_float_dtype,
    check_positive_int,
)
from nnlib.weights import default_scheme, init_weights

# ----------------------------------------------------- the backward steps


def activation_backward(dA, Z, A, activation):
    """dZ = dA * f'(Z): back through the activation; ``dA``, ``Z``, ``A``, dZ all (batch, n_out).

    Element by element, except softmax, whose outputs depend on each other: it
    multiplies each row by its Jacobian (see ``Activation.backward``).
    """
    return activation.backward(dA, Z, A)


def weight_gradient(X, dZ):
    """dW = X^T dZ: (n_in, batch) @ (batch, n_out) -> (n_in, n_out).

    Weight ``W[i, j]`` carries input ``i`` into node ``j`` of every example, so
    its gradient adds up ``X[n, i] * dZ[n, j]`` over the examples ``n``.
    """
    return X.T @ dZ


def input_gradient(dZ, W):
    """dX = dZ W^T: (batch, n_out) @ (n_out, n_in) -> (batch, n_in), the dA of the layer before."""
    return dZ @ W.T


class DenseCache(NamedTuple):
    """What a dense layer's forward pass keeps for its backward pass.

    ``X`` (batch, n_in) the input, ``Z`` (batch, n_out) the weighted sums,
    ``A`` (batch, n_out) the outputs, ``W`` (n_in, n_out) the weights used,
    ``activation`` and ``bias_mode`` the layer's settings.
    """

    X: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    W: np.ndarray
    activation: object
    bias_mode: str | None


def dense_backward(dA, cache: DenseCache, need_input_grad: bool = True,
                   steps=None) -> tuple:
    """Back-propagate ``dA`` through one dense layer: cache in, ``(dZ, dW, db, dX)`` out.

    Shapes, for a batch of ``batch`` examples, ``n_in`` inputs and ``n_out`` nodes:

    =========  ======================  ==========================================
    name       shape                   what
    =========  ======================  ==========================================
    ``dA``     (batch, n_out)          dL/dA, from the layer after (or the loss)
    ``X``      (batch, n_in)           ``cache.X``, the layer's input
    ``Z``      (batch, n_out)          ``cache.Z = X W + b``
    ``A``      (batch, n_out)          ``cache.A = f(Z)``
    ``W``      (n_in, n_out)           ``cache.W``, the weights
    ``dZ``     (batch, n_out)          ``activation_backward(dA, Z, A, f)``
    ``dW``     (n_in, n_out)           ``weight_gradient(X, dZ)`` = X^T dZ
    ``db``     (n_out,), (1,) or None  ``bias_gradient(dZ, bias_mode)``
    ``dX``     (batch, n_in) or None   ``input_gradient(dZ, W)`` = dZ W^T
    =========  ======================  ==========================================

    ``dX`` is None when ``need_input_grad`` is False (a first layer's input,
    the data, needs no gradient). ``steps`` holds the four step functions as
    attributes (default: ``Dense``, i.e. the functions above); a layer passes
    itself, so a subclass that replaces one step changes only that step.
    Nothing is checked here: ``Dense.backward`` checks ``dA`` first.
    """
    steps = Dense if steps is None else steps
    dZ = steps.activation_backward(dA, cache.Z, cache.A, cache.activation)
    return dense_backward_from_z(dZ, cache, need_input_grad, steps)


def dense_backward_from_z(dZ, cache: DenseCache, need_input_grad: bool = True,
                          steps=None) -> tuple:
    """The last three steps of ``dense_backward``, starting from ``dZ`` = dL/dZ (batch, n_out).

    For a loss computed from the weighted sums ``Z`` themselves (binary
    cross-entropy from the logits of a sigmoid output: dZ = (sigmoid(Z) - y) / B,
    exact even where the sigmoid has saturated to 0 or 1).
    """
    steps = Dense if steps is None else steps
    dW = steps.weight_gradient(cache.X, dZ)
    db = steps.bias_gradient(dZ, cache.bias_mode)
    dX = steps.input_gradient(dZ, cache.W) if need_input_grad else None
    return dZ, dW, db, dX


# ------------------------------------------------------------- the layer


def _parameter(value, name, shape, dtype) -> np.ndarray:
    """``value`` as a new parameter array: shape ``shape``, finite real numbers, ``dtype``."""
    arr = check_finite(as_array(value, name), name)
    if arr.shape != shape:
        hint = " (one per node)" if name == "bias" and len(shape) == 1 and shape != (1,) else ""
        raise ValueError(f"{name} must have shape {shape}{hint}, got shape {arr.shape}")
    return np.asarray(arr, dtype=dtype)


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

    Attributes: ``weights`` (n_in, n_out), ``bias`` (n_out,) / (1,) / None
    (assigning a new array checks its shape and values and converts it to the
    layer's ``dtype``), and,
    after ``backward``, ``grad_weights`` and ``grad_bias`` of the same shapes.
    ``W``, ``b``, ``dW``, ``db`` are the same arrays under their maths names.
    ``cache`` is the last forward pass's ``DenseCache`` (None before the first).
    """

    # The steps of the backward pass, composed by ``dense_backward``. A
    # subclass may replace one (the bug zoo plants its mistakes that way).
    activation_backward = staticmethod(activation_backward)
    weight_gradient = staticmethod(weight_gradient)
    bias_gradient = staticmethod(bias_gradient)
    input_gradient = staticmethod(input_gradient)

    def __init__(self, n_in, n_out, activation="sigmoid", bias="node", init="auto",
                 seed=None, dtype=np.float64):
        dtype = check_float_dtype(dtype)
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        self.activation = get_activation(activation)
        self.bias_mode = check_bias_mode(bias)
        if init == "auto":
            init = default_scheme(self.activation.name)
        self.dtype = dtype
        self._weights = init_weights(self.n_in, self.n_out, init, seed, dtype)
        self._bias = init_bias(self.n_out, bias, dtype)
        self.grad_weights = None
        self.grad_bias = None
        self.cache = None

    # The parameters, checked whenever a new array is assigned: right shape,
    # finite real numbers, converted to the layer's dtype. (An update in place,
    # ``layer.weights -= step``, hands back the same array: nothing to check.)
    @property
    def weights(self) -> np.ndarray:
        """W, shape (n_in, n_out): ``weights[i, j]`` carries input ``i`` into node ``j``."""
        return self._weights

    @weights.setter
    def weights(self, value):
        if value is not self._weights:
            self._weights = _parameter(value, "weights", (self.n_in, self.n_out), self.dtype)

    @property
    def bias(self):
        """b, shape (n_out,) (one per node), (1,) (one per layer) or None (no bias)."""
        return self._bias

    @bias.setter
    def bias(self, value):
        if value is self._bias:
            return
        if self.bias_mode is None or value is None:
            raise ValueError(
                f"this layer was made with bias={self.bias_mode!r}, so its bias must stay "
                f"{'None' if self.bias_mode is None else 'an array'}, got "
                f"{'None' if value is None else type(value).__name__}; make a new "
                f"Dense(..., bias=...) to change that")
        shape = (self.n_out,) if self.bias_mode == "node" else (1,)
        self._bias = _parameter(value, "bias", shape, self.dtype)

    # Short names, as in the formulas.
    W = property(lambda self: self.weights)
    b = property(lambda self: self.bias)
    dW = property(lambda self: self.grad_weights)
    db = property(lambda self: self.grad_bias)

    def forward(self, X, check: bool = True) -> np.ndarray:
        """``A = f(X @ W + b)`` for ``X`` of shape (batch, n_in); returns (batch, n_out).

        The layer computes in its own dtype: a checked ``X`` is converted to it
        (float64 data into a float32 layer give float32 outputs).
        ``check=False`` is the fast path that training loops use once the data
        have been checked: ``X`` must then already be a finite float array of
        shape (batch, n_in), in the layer's dtype.
        """
        if check:
            X = check_finite(as_matrix(X, "X", self.n_in), "X")
            X = X.astype(self._weights.dtype, copy=False)
        W, b = self._weights, self._bias
        Z = X @ W
        if b is not None:
            Z += b
        A = self.activation.forward(Z)
        self.cache = DenseCache(X, Z, A, W, self.activation, self.bias_mode)
        return A

    def backward(self, grad_output, need_input_grad: bool = True):
        """Back-propagate ``dA`` (batch, n_out) through this layer (see ``dense_backward``).

        Stores ``grad_weights`` = dL/dW and ``grad_bias`` = dL/db (``store_gradients``), and returns
        dL/dX of shape (batch, n_in) for the layer before (or None when
        ``need_input_grad`` is False: the first layer's input needs no gradient).
        """
        if self.cache is None:
            raise RuntimeError("call forward() before backward(): the layer has no stored inputs")
        if not isinstance(grad_output, np.ndarray) or grad_output.shape != self.cache.A.shape:
            got = getattr(grad_output, "shape", type(grad_output).__name__)
            raise ValueError(
                f"backward expects a gradient of the same shape as this layer's output "
                f"{self.cache.A.shape}, got {got}"
            )
        _, dW, db, dX = dense_backward(grad_output, self.cache, need_input_grad, steps=self)
        self.store_gradients(dW, db)
        return dX

    def backward_from_z(self, grad_z, need_input_grad: bool = True):
        """Like ``backward``, but given dZ = dL/dZ (batch, n_out) instead of dL/dA.

        The activation's own step is skipped: the loss already went through it
        exactly (see ``dense_backward_from_z``). Returns dL/dX (or None).
        """
        if self.cache is None:
            raise RuntimeError("call forward() before backward(): the layer has no stored inputs")
        _, dW, db, dX = dense_backward_from_z(grad_z, self.cache, need_input_grad, steps=self)
        self.store_gradients(dW, db)
        return dX

    def store_gradients(self, grad_weights, grad_bias) -> None:
        """Keep one backward pass's dL/dW and dL/db, replacing those of the pass before."""
        self.grad_weights = grad_weights
        self.grad_bias = grad_bias

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
