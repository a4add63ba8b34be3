r"""Loss functions: one number that says how wrong the outputs were.

Each loss compares the network's ``output`` (batch, n_outputs) with the
``target`` (the labels) and returns ``(value, grad)``: the loss value (a
float) and its gradient dL/d(output), the same shape as ``output`` -- where
back-propagation starts.

- ``SumAbsoluteError``:   value sum |o - y|,        gradient sign(o - y)
- ``SumSquaredError``:    value sum (o - y)^2,      gradient 2 (o - y)
- ``MeanSquaredError``:   value mean (o - y)^2 over all N elements, gradient 2 (o - y) / N
- ``BinaryCrossEntropy``: value -(1/B) sum [y log p + (1 - y) log(1 - p)],
  gradient (p - y) / (p (1 - p) B)
- ``SoftmaxCrossEntropy``: value -(1/B) sum_n log softmax(z_n)[y_n],
  gradient (softmax(z) - Y) / B, with Y the one-hot labels

``B`` is the batch size. The absolute and squared losses suit regression
(predicting numbers); the cross-entropies suit classification (predicting
probabilities). ``SoftmaxCrossEntropy`` takes the raw scores (*logits*) of a
``"linear"`` output layer and applies softmax itself, which is exact and
stable even for scores of 1e7.
"""

from __future__ import annotations

import numpy as np

from nnlib.activation import sigmoid, softmax, softplus
from nnlib.checks import as_array, as_matrix, check_finite

_EPS = 1e-12  # keeps log() away from 0 when a probability saturates at exactly 0 or 1


def _check_target_like(output, target):
    """Target must match the output's shape exactly; explain how to fix it if not."""
    target = as_array(target, "target")
    if target.shape != output.shape:
        hint = ""
        if target.ndim == 1 and output.ndim == 2 and output.shape == (target.shape[0], 1):
            hint = " - use target.reshape(-1, 1)"
        raise ValueError(
            f"target must have the same shape as the output {output.shape}, "
            f"got {target.shape}{hint}"
        )
    return target


class Loss:
    """A loss function. ``loss(output, target)`` returns ``(value, grad)``.

    A loss is written as two formulas, ``compute`` (value and gradient) and,
    for classification, ``compute_accuracy``. They take arrays that have
    already been checked; ``loss(output, target)`` and ``loss.accuracy(...)``
    check first; with ``check=False`` they go straight to the formulas. The
    formulas are the fast path: ``train`` calls them batch after batch, once it
    has checked the labels.
    """

    name = "loss"
    #: True for losses on class labels: the training loop then reports accuracy.
    classification = False

    def __call__(self, output, target, check: bool = True):
        if check:
            output = self.check_output(check_finite(as_matrix(output, "output"), "output"))
            target = check_finite(self.check_target(output, target), "target")
            if np.issubdtype(target.dtype, np.floating):  # the loss keeps the output's dtype
                target = target.astype(output.dtype, copy=False)
        return self.compute(output, target)

    def check_output(self, output):
        """Refuse outputs this loss cannot judge (see BinaryCrossEntropy); else return them."""
        return output

    def check_network(self, network) -> None:
        """Refuse a network whose output layer does not suit this loss (used by ``train``)."""

    def on_logits(self, network):
        """The same loss computed from the output layer's weighted sums Z, or None.

        ``train`` and ``gradcheck`` use it when there is one: its ``compute(Z, y)``
        returns ``(value, dL/dZ)``, exact where the output activation has
        saturated (see ``BinaryCrossEntropy``).
        """
        return None

    def value(self, output, target) -> float:
        """Just the loss value."""
        return self(output, target)[0]

    def check_target(self, output, target):
        return _check_target_like(output, target)

    def compute(self, output, target):
        """The formula: ``(value, dL/d(output))`` for a checked ``output`` and ``target``."""
        raise NotImplementedError

    def accuracy(self, output, target, check: bool = True):
        """Fraction of examples classified correctly, or None for regression losses."""
        if not self.classification:
            return None
        if check:
            output = as_matrix(output, "output")
            target = self.check_target(output, target)
        return self.compute_accuracy(output, target)

    def compute_accuracy(self, output, target) -> float:
        """The fraction of correct examples, for a checked ``output`` and ``target``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__ + "()"


class SumAbsoluteError(Loss):
    """Sum of the absolute differences; every error counts in proportion to its size."""

    name = "sum_absolute_error"

    def compute(self, output, target):
        diff = output - target
        return float(np.abs(diff).sum()), np.sign(diff)


class SumSquaredError(Loss):
    """Sum of the squared differences; large errors count far more than small ones."""

    name = "sum_squared_error"

    def compute(self, output, target):
        diff = output - target
        return float((diff * diff).sum()), 2.0 * diff


class MeanSquaredError(Loss):
    """Mean of the squared differences over all elements: does not grow with the batch."""

    name = "mean_squared_error"

    def compute(self, output, target):
        diff = output - target
        return float((diff * diff).mean()), (2.0 / diff.size) * diff


def _check_binary_labels(target):
    if np.any((target < 0) | (target > 1)):
        raise ValueError(
            f"binary cross-entropy needs targets between 0 and 1 (class labels 0/1), "
            f"got values from {target.min():g} to {target.max():g}"
        )
    return target


class BinaryCrossEntropy(Loss):
    """Cross-entropy for yes/no outputs, averaged over the batch.

    Two forms of one formula:

    - **From the logits** (``from_logits=True``, or what ``train`` and
      ``gradcheck`` use for a sigmoid output layer, see ``on_logits``): the loss
      takes the weighted sums ``z`` and applies the sigmoid itself. Value
      ``softplus(z) - z y`` (= ``max(z, 0) - z y + log(1 + e^{-|z|})``), gradient
      dL/dz = ``(sigmoid(z) - y) / B``. Exact at any confidence: at z = 40 with
      y = 0 the value is 40 and the gradient 1/B, in float64 and float32.
    - **From probabilities** (the default, for lesson 4's pictures of the loss
      against the predicted probability p): ``-[y log p + (1 - y) log(1 - p)]``,
      gradient dL/dp = ``(p - y) / (p (1 - p) B)``. ``p`` is clipped to
      [1e-12, 1 - 1e-12] (at least one float step from 0 and 1: in float32
      1 - 1e-12 rounds to 1) so ``log`` stays finite. The clip is where this form
      goes wrong: a confidently wrong example's loss stops at -log(1e-12) =
      27.63, and once the sigmoid rounds to exactly 0 or 1 (|z| >= 37 in float64,
      >= 17 in float32) dL/dp times the sigmoid's slope p (1 - p) = 0 is 0, where
      the true gradient dL/dz is 1. Hence ``train`` never trains with it.
    """

    name = "binary_cross_entropy"
    classification = True

    def __init__(self, from_logits: bool = False):
        self.from_logits = bool(from_logits)

    def check_target(self, output, target):
        return _check_binary_labels(_check_target_like(output, target))

    def on_logits(self, network):
        """For a sigmoid output layer: ``BinaryCrossEntropy(from_logits=True)`` on its Z."""
        if not self.from_logits and network.layers[-1].activation.name == "sigmoid":
            return BinaryCrossEntropy(from_logits=True)
        return None

    def check_network(self, network) -> None:
        last = network.layers[-1].activation.name
        if not self.from_logits and last != "sigmoid":
            raise ValueError(
                f"BinaryCrossEntropy expects probabilities from a sigmoid output layer, but the "
                f"network's output layer is {last!r}; use output_activation='sigmoid', or "
                f"BinaryCrossEntropy(from_logits=True) for a 'linear' output layer"
            )
        if self.from_logits and last != "linear":
            raise ValueError(
                f"BinaryCrossEntropy(from_logits=True) applies the sigmoid itself and expects "
                f"a 'linear' output layer, but the network's output layer is {last!r}"
            )

    def check_output(self, output):
        if not self.from_logits and (output.min() < 0 or output.max() > 1):
            raise ValueError(
                f"BinaryCrossEntropy expects probabilities between 0 and 1 (a sigmoid output "
                f"layer), got outputs from {output.min():.4g} to {output.max():.4g}; for the raw "
                f"scores of a linear output layer use BinaryCrossEntropy(from_logits=True)"
            )
        return output

    def compute(self, output, target):
        batch = output.shape[0]
        if self.from_logits:
            z = output
            value = softplus(z) - z * target
            return float(value.sum() / batch), (sigmoid(z) - target) / batch
        # In float32, 1 - 1e-12 rounds to 1.0: keep at least one float step away from 1.
        eps = max(_EPS, float(np.finfo(output.dtype).eps))
        p = np.clip(output, eps, 1.0 - eps)
        value = -(target * np.log(p) + (1.0 - target) * np.log(1.0 - p))
        return float(value.sum() / batch), (p - target) / (p * (1.0 - p) * batch)

    def compute_accuracy(self, output, target):
        threshold = 0.0 if self.from_logits else 0.5
        return float(np.mean((output > threshold) == (target > 0.5)))

    def __repr__(self) -> str:
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, on the raw scores of a linear output layer.

    ``target`` is either class labels, shape (batch,) with integers in
    [0, n_classes), or one-hot rows, shape (batch, n_classes). Computed as
    ``logsumexp(z) - z[label]`` so huge scores never overflow.
    """

    name = "softmax_cross_entropy"
    classification = True

    def check_network(self, network) -> None:
        last = network.layers[-1].activation.name
        if last != "linear":
            raise ValueError(
                f"SoftmaxCrossEntropy applies softmax itself and expects the raw scores of a "
                f"'linear' output layer, but the network's output layer is {last!r}; use "
                f"output_activation='linear'"
            )

    def check_target(self, output, target):
        batch, n_classes = output.shape
        arr = np.asarray(target)
        if arr.ndim == 1:
            if arr.shape[0] != batch:
                raise ValueError(
                    f"labels must have one entry per example, shape ({batch},), got {arr.shape}"
                )
            if not np.issubdtype(arr.dtype, np.integer):
                if not np.issubdtype(arr.dtype, np.number) or np.any(arr != np.round(arr)):
                    raise TypeError(f"labels must be whole numbers (class indices), got {arr[:5]}")
                arr = arr.astype(np.int64)
            if arr.min() < 0 or arr.max() >= n_classes:
                raise ValueError(
                    f"labels must be class indices from 0 to {n_classes - 1} "
                    f"(the output has {n_classes} columns), got values from "
                    f"{arr.min()} to {arr.max()}"
                )
            return arr
        target = _check_target_like(output, target)
        if np.any(target < 0) or not np.allclose(target.sum(axis=1), 1.0):
            raise ValueError(
                "one-hot targets must be rows of non-negative numbers adding up to 1, got "
                f"values from {target.min():g} to {target.max():g} in rows adding up to "
                f"{target.sum(axis=1).min():g} to {target.sum(axis=1).max():g}"
            )
        return target

    def compute(self, output, target):
        batch = output.shape[0]
        shifted = output - output.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_probs = shifted - log_sum
        probs = np.exp(log_probs)
        if target.ndim == 1:
            rows = np.arange(batch)
            value = -log_probs[rows, target].sum() / batch
            grad = probs
            grad[rows, target] -= 1.0
        else:
            value = -(target * log_probs).sum() / batch
            grad = probs - target
        return float(value), grad / batch

    def compute_accuracy(self, output, target):
        labels = target if target.ndim == 1 else target.argmax(axis=1)
        return np.count_nonzero(output.argmax(axis=1) == labels) / len(labels)


def probabilities(logits):
    """Softmax of each row: what a SoftmaxCrossEntropy network's scores mean."""
    return softmax(as_matrix(logits, "logits"), axis=1)


LOSSES = {
    "sum_absolute_error": SumAbsoluteError,
    "sae": SumAbsoluteError,
    "sum_squared_error": SumSquaredError,
    "sse": SumSquaredError,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "binary_cross_entropy": BinaryCrossEntropy,
    "bce": BinaryCrossEntropy,
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "cross_entropy": SoftmaxCrossEntropy,
}


def get_loss(loss) -> Loss:
    """A Loss from its name (see ``LOSSES``) or a Loss instance (returned as is)."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss.lower() in LOSSES:
        return LOSSES[loss.lower()]()
    raise ValueError(f"loss must be one of {sorted(LOSSES)} or a Loss, got {loss!r}")
