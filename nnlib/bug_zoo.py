r"""A bug zoo: nnlib's own layer, with one classic back-propagation mistake in each exhibit.

``ZooDense`` is nnlib's ``Dense`` (a sigmoid layer, Xavier weights, a bias per
node) organised the way PyTorch and micrograd organise their work: its
``store_gradients`` step *adds* into ``grad_weights`` and ``grad_bias`` (so a
layer used twice collects both contributions), ``zero_grad()`` empties them
before each training step, and ``step(lr)`` moves the parameters downhill. For
a batch ``X`` of shape (batch, n_in):

.. math::
    Z = X W + b, \quad A = \sigma(Z); \qquad
    dZ = dA \odot A (1 - A), \quad dW \mathrel{+}= X^\top dZ, \quad
    db \mathrel{+}= \textstyle\sum_{batch} dZ, \quad dX = dZ\, W^\top

The backward pass is ``nnlib.layer.dense_backward``, made of named steps that a
subclass may replace. Each exhibit replaces exactly one of them with a mistake,
so the wrong line can be read beside the right one:

====  ================================  =============================================
bug   exhibit                           what is wrong
====  ================================  =============================================
1     ``WrongSigmoidSlope``             the slope :math:`s(1 - s)` taken of Z, not of A
2     ``TransposedWeightGradient``      :math:`dZ^\top X` instead of :math:`X^\top dZ`
3     ``AveragedBiasGradient``          the bias gradient averaged over the batch
4     ``OverwritingGradients``          ``=`` instead of ``+=`` (matters for a layer used twice)
5     ``UphillStep``                    ``w += lr * grad`` instead of ``w -= lr * grad``
6     ``training_step_without_reset``   no ``zero_grad()`` at the start of a step
====  ================================  =============================================

Two detectors find them: ``nnlib.gradcheck.gradcheck_layer`` compares
back-propagation with finite differences (it catches bugs 1-4), and the loss
curve from ``train_zoo`` shows whether training really goes downhill (bugs 5-6).
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from nnlib.checks import NotFiniteError, as_matrix, check_finite, check_positive_int
from nnlib.datasets import noisy_curve
from nnlib.layer import Dense
from nnlib.learning_rate import check_learning_rate, descend
from nnlib.loss import MeanSquaredError
from nnlib.network import Network


class ZooDense(Dense):
    """nnlib's ``Dense`` sigmoid layer, ``A = sigmoid(X @ W + b)``, that adds up its gradients.

    ``weights`` (n_in, n_out) start random (Xavier, seeded), ``bias`` (n_out,)
    at zero. ``grad_weights`` and ``grad_bias`` have the same shapes; backward
    only ever adds to them, until ``zero_grad()`` sets them back to zero.
    """

    def __init__(self, n_in, n_out, seed=0):
        super().__init__(n_in, n_out, "sigmoid", bias="node", init="xavier", seed=seed)
        self.zero_grad()

    def zero_grad(self):
        """Forget earlier gradients: ``grad_weights`` and ``grad_bias`` back to zeros."""
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(self.bias)

    def store_gradients(self, grad_weights, grad_bias):
        """Accumulate with ``+=``: every use of the layer adds its share."""
        self.grad_weights += grad_weights
        self.grad_bias += grad_bias

    def step(self, learning_rate):
        """One step downhill: ``W -= lr * dW`` and ``b -= lr * db`` (see ``descend``)."""
        descend(self, learning_rate)

    def __repr__(self):
        return f"{type(self).__name__}({self.n_in} -> {self.n_out})"


# ------------------------------------------------------ exhibit 1: the sigmoid's slope
class WrongSigmoidSlope(ZooDense):
    """Bug 1: the sigmoid's slope s (1 - s) is evaluated with the weighted sum Z for s."""

    @staticmethod
    def activation_backward(dA, Z, A, activation):
        return dA * Z * (1 - Z)  # planted bug


# ----------------------------------------------------- exhibit 2: a transposed gradient
class TransposedWeightGradient(ZooDense):
    """Bug 2: ``dZ^T X`` has shape (n_out, n_in); on a square layer that slips through."""

    @staticmethod
    def weight_gradient(X, dZ):
        return dZ.T @ X  # planted bug


# -------------------------------------------------------- exhibit 3: the bias gradient
class AveragedBiasGradient(ZooDense):
    """Bug 3: the bias gradient is the batch's average, but the loss adds up the examples."""

    @staticmethod
    def bias_gradient(dZ, mode):
        return dZ.mean(axis=0)  # planted bug


# ---------------------------------------------- exhibit 4: overwritten, not accumulated
class OverwritingGradients(ZooDense):
    """Bug 4: ``=`` instead of ``+=``: only the last backward through the layer counts."""

    def store_gradients(self, grad_weights, grad_bias):
        self.grad_weights = grad_weights  # planted bug
        self.grad_bias = grad_bias  # planted bug


# -------------------------------------------------------- exhibit 5: the wrong direction
class UphillStep(ZooDense):
    """Bug 5: the update adds the gradient, so every step goes uphill."""

    def step(self, learning_rate):
        self.weights += learning_rate * self.grad_weights  # planted bug
        self.bias += learning_rate * self.grad_bias  # planted bug


# ---------------------------------------------------------- networks of zoo layers
class ZooNetwork(Network):
    """nnlib's ``Network`` of zoo layers, where the same layer may be listed more than once.

    ``ZooNetwork([a, b])`` is a two-layer network. ``ZooNetwork([a, a])``
    applies the *same* weights twice, ``H = sigmoid(sigmoid(X W + b) W + b)``,
    so the gradient of W is the sum of what both uses contribute: forward keeps
    one cache per *use* and backward hands each use its own. Parameters are
    named as by ``Network``: ``layer1.weights``, ``layer1.bias``, ... once per
    distinct layer. ``zero_grad()`` and ``step(lr)`` act on each layer once.
    """

    def forward(self, X, check: bool = True):
        """The output for ``X`` (batch, n_inputs), keeping each use's cache for backward."""
        if check:
            X = check_finite(as_matrix(X, "X", self.layers[0].n_in), "X")
        self.caches = []
        for layer in self.layers:
            X = layer.forward(X, check=False)
            self.caches.append(layer.cache)
        return X

    def backward(self, grad_output, need_input_grad: bool = True):
        """Back-propagate through every use, last first; returns dL/dX."""
        if len(getattr(self, "caches", ())) != len(self.layers):
            raise RuntimeError("call forward() before backward(): the network has no stored inputs")
        grad = grad_output
        for layer, cache in zip(reversed(self.layers), reversed(self.caches), strict=True):
            layer.cache = cache  # the inputs of this use of the layer
            grad = layer.backward(grad)
        return grad

    @property
    def distinct(self) -> list:
        """Each layer once, in order of first use."""
        return list(dict.fromkeys(self.layers))

    def zero_grad(self):
        for layer in self.distinct:
            layer.zero_grad()

    def step(self, learning_rate):
        for layer in self.distinct:
            layer.step(learning_rate)

    def __repr__(self):
        return f"ZooNetwork({', '.join(repr(layer) for layer in self.layers)})"


def used_twice(layer_class=ZooDense, size=3, seed=0):
    """One square ``size x size`` layer applied twice: ``ZooNetwork([layer, layer])``."""
    layer = layer_class(size, size, seed=seed)
    return ZooNetwork([layer, layer])


def zoo_network(layer_class=ZooDense, sizes=(1, 5, 5, 1), seed=0):
    """A network of ``layer_class`` layers, 1 -> 5 -> 5 -> 1 by default; layer k gets seed + k."""
    return ZooNetwork([layer_class(n_in, n_out, seed=seed + k)
                       for k, (n_in, n_out) in enumerate(pairwise(sizes))])


# --------------------------------------------------------------- detector 2: the loss
mse = MeanSquaredError()  # the zoo's loss: mse(output, y) -> (value, dL/d(output))


def training_step(model, X, y, learning_rate):
    """Reset, forward, loss, backward, update; returns the loss (before the update)."""
    model.zero_grad()
    output = model.forward(X)
    loss, grad_output = mse(output, y)
    model.backward(grad_output)
    model.step(learning_rate)
    return loss


def training_step_without_reset(model, X, y, learning_rate):
    """Bug 6: no reset, so each step's gradient is added to those of all earlier steps."""
    output = model.forward(X)  # planted bug: the reset before this line is missing
    loss, grad_output = mse(output, y)
    model.backward(grad_output)
    model.step(learning_rate)
    return loss


def zoo_data(n=40, seed=0):
    """The zoo's training problem: ``noisy_curve`` squeezed so a sigmoid output can fit it.

    Returns ``x`` (n, 1) in [-1, 1] and ``y`` (n, 1) in (0, 1).
    """
    x, y = noisy_curve(n, noise=0.1, seed=seed)
    return x / 3, (y + 2.5) / 5


def train_zoo(model, X, y, learning_rate=2.0, steps=300, step_fn=None) -> list:
    """Full-batch training: the loss of every step, as a list of floats.

    ``step_fn(model, X, y, learning_rate) -> loss`` is one step
    (``training_step`` by default). Stops early, with a shorter list, if the
    loss stops being a finite number, or the outputs do (the weights blew up).
    """
    learning_rate = check_learning_rate(learning_rate)
    steps = check_positive_int(steps, "steps")
    step_fn = training_step if step_fn is None else step_fn
    losses = []
    # A blow-up shows as a non-finite loss, checked below, instead of numpy warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(steps):
            try:
                loss = float(step_fn(model, X, y, learning_rate))
            except NotFiniteError:  # the loss refuses outputs that are NaN or infinite
                break
            if not math.isfinite(loss):
                break
            losses.append(loss)
    return losses
