r"""The learning rate: how big a step gradient descent takes.

After back-propagation every weight and bias knows its gradient -- how much
the loss grows when that parameter grows a little. Gradient descent moves each
parameter a small step *against* its gradient:

.. math::  w \leftarrow w - \eta \, \frac{\partial L}{\partial w}

where :math:`\eta` is the learning rate. Too small and learning crawls; too
large and each step overshoots the valley, so the loss oscillates or explodes.
"""

from __future__ import annotations

import math
import numbers


def check_learning_rate(learning_rate) -> float:
    """Return ``learning_rate`` as a float if it is a finite number > 0."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(
            f"learning_rate must be a positive number such as 0.1, got {learning_rate!r}"
        )
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(
            f"learning_rate must be a finite number > 0 (a step size), got {learning_rate!r}"
        )
    return float(learning_rate)


def sgd_step(network, learning_rate, check: bool = True) -> None:
    """One gradient-descent update of every weight and bias, in place.

    ``param -= learning_rate * grad`` for each parameter (``descend``, layer by
    layer), using the gradients the last ``network.backward`` left in each
    layer. ``check=False`` skips the check of ``learning_rate`` (training loops
    check it once, before the first step).
    """
    if check:
        learning_rate = check_learning_rate(learning_rate)
    for layer in network.layers:
        descend(layer, learning_rate)


def descend(layer, learning_rate: float) -> None:
    """One step downhill for one layer: ``W -= lr * dW`` and ``b -= lr * db``, in place."""
    if layer.grad_weights is None:
        raise RuntimeError("no gradients to apply: run forward() and backward() first")
    W, b = layer.weights, layer.bias  # the arrays themselves: changed in place
    W -= learning_rate * layer.grad_weights
    if b is not None:
        b -= learning_rate * layer.grad_bias
