r"""A bug zoo: small layers, each with one classic back-propagation mistake planted in it.

``ZooDense`` is a dense sigmoid layer organised the way PyTorch and micrograd
organise their work: ``backward`` *adds* its gradients into ``grad_weights``
and ``grad_bias`` (so a layer used twice collects both contributions),
``zero_grad()`` empties them before each training step, and ``step(lr)``
moves the parameters downhill. For a batch ``X`` of shape (batch, n_in):

.. math::
    Z = X W + b, \quad A = \sigma(Z); \qquad
    dZ = dA \odot A (1 - A), \quad dW \mathrel{+}= X^\top dZ, \quad
    db \mathrel{+}= \textstyle\sum_{batch} dZ, \quad dX = dZ\, W^\top

Each piece is a small method of its own, and each exhibit overrides exactly
one of them with a mistake, so the wrong line can be read beside the right one:

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

Two detectors find them: ``gradcheck_zoo`` compares back-propagation with
finite differences (it catches bugs 1-4), and the loss curve from
``train_zoo`` shows whether training really goes downhill (bugs 5-6).
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from nnlib.activation import sigmoid
from nnlib.checks import NotFiniteError, as_matrix, check_positive_int, make_rng
from nnlib.datasets import noisy_curve
from nnlib.gradcheck import GradcheckReport, numerical_gradient, relative_error, rounding_noise
from nnlib.learning_rate import check_learning_rate
from nnlib.loss import MeanSquaredError
from nnlib.weights import init_weights


class ZooDense:
    """A dense sigmoid layer, ``A = sigmoid(X @ W + b)``, that accumulates its gradients.

    ``weights`` (n_in, n_out) start random (Xavier, seeded), ``bias`` (n_out,)
    at zero. ``grad_weights`` and ``grad_bias`` have the same shapes; backward
    only ever adds to them, until ``zero_grad()`` sets them back to zero.
    """

    def __init__(self, n_in, n_out, seed=0):
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        self.weights = init_weights(self.n_in, self.n_out, "xavier", seed)
        self.bias = np.zeros(self.n_out)
        self.cache = None  # (X, Z, A) of the last forward
        self.zero_grad()

    def zero_grad(self):
        """Forget earlier gradients: ``grad_weights`` and ``grad_bias`` back to zeros."""
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(self.bias)

    def forward(self, X):
        """``A = sigmoid(X @ W + b)``: (batch, n_in) -> (batch, n_out); keeps X, Z, A."""
        Z = X @ self.weights + self.bias
        A = sigmoid(Z)
        self.cache = (X, Z, A)
        return A

    def backward(self, grad_A):
        """dL/dA (batch, n_out) -> dL/dX (batch, n_in); ADDS dL/dW and dL/db to the layer's."""
        if self.cache is None:
            raise RuntimeError("call forward() before backward(): the layer has no stored inputs")
        X, Z, A = self.cache
        grad_Z = self.sigmoid_backward(grad_A, Z, A)
        self.add_gradients(self.weight_gradient(X, grad_Z), self.bias_gradient(grad_Z))
        return grad_Z @ self.weights.T

    def sigmoid_backward(self, grad_A, Z, A):
        """dL/dZ = dL/dA * sigmoid'(Z), where sigmoid'(Z) = A (1 - A); all (batch, n_out)."""
        return grad_A * A * (1 - A)

    def weight_gradient(self, X, grad_Z):
        """dL/dW = X^T dZ: (n_in, batch) @ (batch, n_out) -> (n_in, n_out)."""
        return X.T @ grad_Z

    def bias_gradient(self, grad_Z):
        """dL/db = dZ summed over the batch: (batch, n_out) -> (n_out,)."""
        return grad_Z.sum(axis=0)

    def add_gradients(self, grad_weights, grad_bias):
        """Accumulate with ``+=``: every use of the layer adds its share."""
        self.grad_weights += grad_weights
        self.grad_bias += grad_bias

    def step(self, learning_rate):
        """One step downhill: ``W -= lr * dW`` and ``b -= lr * db``."""
        self.weights -= learning_rate * self.grad_weights
        self.bias -= learning_rate * self.grad_bias

    def parameters(self):
        return {"weights": self.weights, "bias": self.bias}

    def gradients(self):
        return {"weights": self.grad_weights, "bias": self.grad_bias}

    def __repr__(self):
        return f"{type(self).__name__}({self.n_in} -> {self.n_out})"


# ------------------------------------------------------ exhibit 1: the sigmoid's slope
class WrongSigmoidSlope(ZooDense):
    """Bug 1: the sigmoid's slope s (1 - s) is evaluated with the weighted sum Z for s."""

    def sigmoid_backward(self, grad_A, Z, A):
        return grad_A * Z * (1 - Z)  # planted bug


# ----------------------------------------------------- exhibit 2: a transposed gradient
class TransposedWeightGradient(ZooDense):
    """Bug 2: ``dZ^T X`` has shape (n_out, n_in); on a square layer that slips through."""

    def weight_gradient(self, X, grad_Z):
        return grad_Z.T @ X  # planted bug


# -------------------------------------------------------- exhibit 3: the bias gradient
class AveragedBiasGradient(ZooDense):
    """Bug 3: the bias gradient is the batch's average, but the loss adds up the examples."""

    def bias_gradient(self, grad_Z):
        return grad_Z.mean(axis=0)  # planted bug


# ---------------------------------------------- exhibit 4: overwritten, not accumulated
class OverwritingGradients(ZooDense):
    """Bug 4: ``=`` instead of ``+=``: only the last backward through the layer counts."""

    def add_gradients(self, grad_weights, grad_bias):
        self.grad_weights = grad_weights  # planted bug
        self.grad_bias = grad_bias  # planted bug


# -------------------------------------------------------- exhibit 5: the wrong direction
class UphillStep(ZooDense):
    """Bug 5: the update adds the gradient, so every step goes uphill."""

    def step(self, learning_rate):
        self.weights += learning_rate * self.grad_weights  # planted bug
        self.bias += learning_rate * self.grad_bias  # planted bug


# -------------------------------------------------------------------- chains of layers
class ZooChain:
    """Layers applied one after the other; the same layer may be listed more than once.

    ``ZooChain([a, b])`` is a two-layer network. ``ZooChain([a, a])`` applies
    the *same* weights twice, ``H = sigmoid(sigmoid(X W + b) W + b)``, so the
    gradient of W is the sum of what both uses contribute. Parameters are named
    ``layer1.weights``, ``layer1.bias``, ... once per distinct layer.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        self.distinct = list(dict.fromkeys(self.layers))  # each layer once, in order
        self.n_in, self.n_out = self.layers[0].n_in, self.layers[-1].n_out
        self.caches = []

    def forward(self, X):
        self.caches = []
        for layer in self.layers:
            X = layer.forward(X)
            self.caches.append(layer.cache)  # one cache per *use* of a layer
        return X

    def backward(self, grad):
        if len(self.caches) != len(self.layers):
            raise RuntimeError("call forward() before backward(): the chain has no stored inputs")
        for layer, cache in zip(reversed(self.layers), reversed(self.caches), strict=True):
            layer.cache = cache  # the inputs of this use of the layer
            grad = layer.backward(grad)
        return grad

    def zero_grad(self):
        for layer in self.distinct:
            layer.zero_grad()

    def step(self, learning_rate):
        for layer in self.distinct:
            layer.step(learning_rate)

    def parameters(self):
        return {f"layer{k}.{name}": p for k, layer in enumerate(self.distinct, start=1)
                for name, p in layer.parameters().items()}

    def gradients(self):
        return {f"layer{k}.{name}": g for k, layer in enumerate(self.distinct, start=1)
                for name, g in layer.gradients().items()}

    def __repr__(self):
        return f"ZooChain({', '.join(repr(layer) for layer in self.layers)})"


def used_twice(layer_class=ZooDense, size=3, seed=0):
    """One square ``size x size`` layer applied twice: ``ZooChain([layer, layer])``."""
    layer = layer_class(size, size, seed=seed)
    return ZooChain([layer, layer])


def zoo_network(layer_class=ZooDense, sizes=(1, 5, 5, 1), seed=0):
    """A chain of ``layer_class`` layers, 1 -> 5 -> 5 -> 1 by default; layer k gets seed + k."""
    return ZooChain([layer_class(n_in, n_out, seed=seed + k)
                     for k, (n_in, n_out) in enumerate(pairwise(sizes))])


# ---------------------------------------------------------------- detector 1: gradcheck
def gradcheck_zoo(model, X, seed=0, eps=1e-6) -> GradcheckReport:
    """Back-propagation against finite differences, for a ``ZooDense`` or a ``ZooChain``.

    Uses the number ``L = sum(G * model.forward(X))`` for a fixed random ``G``
    of shape (batch, n_out) drawn from ``seed``, so that dL/d(output) = G. One
    fresh backward (right after ``zero_grad``) gives back-propagation's
    gradients; ``numerical_gradient`` nudges every parameter and every input
    value. One row per array: relative error, graded good / inspect / wrong.
    """
    X = np.array(as_matrix(X, "X", model.n_in), dtype=np.float64)
    G = make_rng(seed).uniform(-1.0, 1.0, size=(X.shape[0], model.n_out))

    def f():
        return float(np.sum(G * model.forward(X)))

    scale = float(np.sum(np.abs(G * model.forward(X))))
    model.zero_grad()
    grad_X = model.backward(G)
    analytic = {name: g.copy() for name, g in model.gradients().items()}
    rows = [(name, p.shape, relative_error(analytic[name], numerical_gradient(f, p, eps),
                                           rounding_noise(scale, p.size, eps)))
            for name, p in model.parameters().items()]
    rows.append(("input", X.shape, relative_error(grad_X, numerical_gradient(f, X, eps),
                                                  rounding_noise(scale, X.size, eps))))
    return GradcheckReport(rows)


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
