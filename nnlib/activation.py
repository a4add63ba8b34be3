r"""Activation functions: what a node does to its weighted sum.

A node first adds up its weighted inputs, :math:`z = \sum_i x_i w_i + b`, then
*squashes* that sum with an activation function, :math:`a = f(z)`. Each
activation here comes with its derivative :math:`f'(z)`, which
back-propagation needs.

Every function works element by element on a number or an array of any shape
and returns the same shape. Softmax is the exception: it works on a whole row
(the outputs of one example) at once.

====================  ===========================  ==============================
name                  :math:`f(z)`                 :math:`f'(z)`
====================  ===========================  ==============================
``"sigmoid"``         :math:`1 / (1 + e^{-z})`     :math:`f(z)\,(1 - f(z))`
``"tanh"``            :math:`\tanh z`              :math:`1 - \tanh^2 z`
``"relu"``            :math:`\max(0, z)`           1 if :math:`z > 0` else 0
``"linear"``          :math:`z`                    1
``"softmax"``         :math:`e^{z_k} / \sum_j e^{z_j}`   Jacobian, see ``softmax_jacobian``
====================  ===========================  ==============================
"""

from __future__ import annotations

import numbers

import numpy as np

from nnlib.checks import as_array

# ---------------------------------------------------------------- functions


def sigmoid(z):
    """Squash any number into (0, 1): ``1 / (1 + exp(-z))``, computed stably.

    ``exp(-z)`` overflows for very negative ``z``; so for ``z < 0`` we use the
    equal form ``exp(z) / (1 + exp(z))``. One formula gives both forms:
    ``exp(min(z, 0)) / (1 + exp(-|z|))``. It only ever takes ``exp`` of a
    number <= 0, so ``sigmoid(-9999999.0) == 0.0`` and
    ``sigmoid(9999999.0) == 1.0`` without any overflow warning.
    """
    z = as_array(z, "z")
    # z >= 0: exp(0) / (1 + exp(-z));  z < 0: exp(z) / (1 + exp(z)).
    # (Faster than choosing between the two forms with np.where.)
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


def sigmoid_derivative(z):
    """``sigmoid(z) * (1 - sigmoid(z))``: largest (0.25) at z = 0, tiny for large |z|."""
    s = sigmoid(z)
    return s * (1.0 - s)


def softplus(z):
    """``log(1 + exp(z))``, a smooth ReLU, computed as ``max(z, 0) + log1p(exp(-|z|))``.

    That form never overflows and keeps every digit at both ends:
    ``softplus(40.0) == 40.0`` and ``softplus(-40.0) == exp(-40)`` (4.25e-18).
    It is ``-log(sigmoid(-z))``: what binary cross-entropy is, written from the
    logits ``z`` instead of the probability ``sigmoid(z)`` (see ``nnlib.loss``).
    """
    z = as_array(z, "z")
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def tanh(z):
    """Squash any number into (-1, 1): ``tanh(z) = 2 * sigmoid(2z) - 1``."""
    return np.tanh(as_array(z, "z"))


def tanh_derivative(z):
    """``1 - tanh(z)**2``."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit: ``max(0, z)``. Not a squash: positive values pass unchanged."""
    return np.maximum(as_array(z, "z"), 0.0)


def relu_derivative(z):
    """1 where ``z > 0``, else 0 (we take 0 at exactly z = 0, as most libraries do)."""
    z = as_array(z, "z")
    return (z > 0).astype(z.dtype)


def linear(z):
    """The identity, ``f(z) = z``: used on the output of a regression network."""
    return as_array(z, "z").copy()


def linear_derivative(z):
    """1 everywhere."""
    return np.ones_like(as_array(z, "z"))


def softmax(z, axis: int = -1):
    """Turn a row of scores into probabilities that add up to 1.

    ``softmax(z)_k = exp(z_k) / sum_j exp(z_j)``. Subtracting the row's largest
    score first changes nothing mathematically and keeps ``exp`` from
    overflowing, so scores of 1e7 are fine. Shape in = shape out.

    ``axis`` is the axis that holds one example's scores (the last, by
    default); it must exist and hold at least one score.
    """
    z = as_array(z, "z")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be a whole number, got {type(axis).__name__} {axis!r}")
    if z.ndim == 0:
        raise ValueError("softmax needs a row of scores (an array with at least one axis), "
                         f"got a single number {z.item()!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be between {-z.ndim} and {z.ndim - 1} for z of shape "
                         f"{z.shape}, got {axis}")
    if z.shape[axis] == 0:
        raise ValueError(f"softmax needs at least one score along axis {axis}, "
                         f"got shape {z.shape}")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    """The full derivative of softmax for one example, ``z`` of shape (n,).

    ``J[i, j] = d softmax_i / d z_j = s_i * (delta_ij - s_j)``; shape (n, n).
    """
    z = as_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"softmax_jacobian takes one example, shape (n,), got shape {z.shape}")
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


def softmax_derivative(z):
    """The diagonal of the softmax Jacobian, ``s * (1 - s)``, row by row.

    Only the diagonal: each output also depends on the *other* scores of its
    row. Back-propagation uses the full Jacobian (see ``Softmax.backward``).
    """
    s = softmax(z)
    return s * (1.0 - s)


# ------------------------------------------------------------------ classes


class Activation:
    """One activation function with what back-propagation needs.

    ``forward(z)`` gives ``a = f(z)``; ``backward(grad_a, z, a)`` turns the
    gradient of the loss w.r.t. ``a`` into the gradient w.r.t. ``z`` (the chain
    rule through this function). All arrays have shape (batch, n_nodes).
    """

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z):
        raise NotImplementedError

    def backward(self, grad_a: np.ndarray, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """dL/dz = dL/da * f'(z), element by element."""
        return grad_a * self.derivative(z)

    def __call__(self, z):
        return self.forward(z)

    def __repr__(self) -> str:
        return self.name


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z):
        return sigmoid(z)

    def derivative(self, z):
        return sigmoid_derivative(z)

    def backward(self, grad_a, z, a):
        # f'(z) = a (1 - a): reuse the stored output instead of recomputing exp.
        return grad_a * a * (1.0 - a)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return tanh_derivative(z)

    def backward(self, grad_a, z, a):
        return grad_a * (1.0 - a * a)


class ReLU(Activation):
    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z):
        return relu_derivative(z)

    def backward(self, grad_a, z, a):
        return grad_a * (z > 0)


class Linear(Activation):
    name = "linear"

    def forward(self, z):
        return z

    def derivative(self, z):
        return linear_derivative(z)

    def backward(self, grad_a, z, a):
        return grad_a


class Softmax(Activation):
    name = "softmax"

    def forward(self, z):
        return softmax(z, axis=-1)

    def derivative(self, z):
        return softmax_derivative(z)

    def backward(self, grad_a, z, a):
        # Row by row, dL/dz = J^T dL/da with J = diag(s) - s s^T, which is
        # s * (dL/da - sum_k dL/da_k s_k): no (n, n) matrix is ever built.
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, Tanh, ReLU, Linear, Softmax)}


def get_activation(activation) -> Activation:
    """An Activation from its name (``"sigmoid"``, ``"tanh"``, ``"relu"``,
    ``"linear"``, ``"softmax"``) or an Activation instance (returned as is)."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation.lower() in ACTIVATIONS:
        return ACTIVATIONS[activation.lower()]()
    raise ValueError(
        f"activation must be one of {sorted(ACTIVATIONS)} or an Activation, got {activation!r}"
    )
