r"""The loss landscape of a one-neuron model, and gradient descent's path across it.

The model is one linear neuron, :math:`\hat y = w\,x + b`, fitted to a small
seeded data set (``x`` from -1 to 2, ``y = 2x - 1`` plus noise) with the mean
squared error. It has exactly two parameters, so its loss is a surface over the
plane of ``(w, b)``: the **loss landscape**, drawn as contour lines (each line
joins the points of equal loss, like the height lines of a map).

Every number is nnlib's:

- ``landscape_grid`` evaluates the loss with the network's own ``forward`` and
  the loss's own ``value`` at every point of a grid;
- ``descent_path`` runs gradient descent from a starting point with nnlib's
  training step -- ``forward``, the loss and its gradient, ``backward``,
  ``sgd_step`` -- and records ``(w, b)`` and the loss after every step;
- the bottom of the bowl, ``best_fit``, is the least-squares solution (the
  point every good path converges to; numpy's ``lstsq``, an independent check).

``path_reading`` turns one path into the words an explorer shows: too small
(it has not gone half of the way down), good, zigzagging, or too large (the
loss grows). numpy only; ``nnlib.landscape_plot`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnlib.checks import check_number, check_positive_int
from nnlib.layer import Dense
from nnlib.learning_rate import check_learning_rate, sgd_step
from nnlib.loss import get_loss
from nnlib.network import Network

LOSS = "mse"
W_RANGE = (-2.0, 5.0)  # the picture's window on the weight ...
B_RANGE = (-4.0, 3.0)  # ... and on the bias
BLOWN_UP = 1e6  # a loss above this ends the path: it has left every picture long ago


def landscape_data(n: int = 20, seed=0):
    """The data: ``x`` (n, 1) evenly from -1 to 2 and ``y = 2x - 1 + noise`` (n, 1), seeded."""
    n = check_positive_int(n, "n")
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 2.0, n).reshape(-1, 1)
    return x, 2.0 * x - 1.0 + rng.normal(0.0, 0.3, size=x.shape)


def neuron(w, b) -> Network:
    """The model: one linear neuron with weight ``w`` and bias ``b`` (a ``Network``)."""
    net = Network([Dense(1, 1, activation="linear", seed=0)])
    net.layers[0].weights[0, 0] = check_number(w, "w")
    net.layers[0].bias[0] = check_number(b, "b")
    return net


def loss_at(w, b, X, y, loss=LOSS) -> float:
    """The loss of the neuron ``(w, b)`` on ``X``, ``y``, by nnlib's forward and loss."""
    return float(get_loss(loss).value(neuron(w, b).forward(X), y))


def landscape_grid(X, y, w_range=W_RANGE, b_range=B_RANGE, points: int = 61, loss=LOSS):
    """``(ws, bs, L)``: the grid's weights (points,), biases (points,) and losses (points, points).

    ``L[i, j]`` is the loss at ``w = ws[j]``, ``b = bs[i]`` (rows follow the
    bias, as contour plots expect).
    """
    points = check_positive_int(points, "points")
    ws, bs = np.linspace(*w_range, points), np.linspace(*b_range, points)
    net, fn = neuron(0.0, 0.0), get_loss(loss)
    layer = net.layers[0]
    L = np.empty((points, points))
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            layer.weights[0, 0], layer.bias[0] = w, b
            L[i, j] = fn.value(net.forward(X), y)
    return ws, bs, L


def best_fit(X, y) -> tuple:
    """The bottom of the bowl: the least-squares ``(w, b)``."""
    design = np.hstack([X, np.ones_like(X)])
    (w, b), *_ = np.linalg.lstsq(design, y[:, 0], rcond=None)
    return float(w), float(b)


@dataclass
class Path:
    """Gradient descent from one start: ``points`` (steps + 1, 2) the ``(w, b)`` before
    each step and after the last, ``losses`` (steps + 1,) the loss there; ``blown_up``:
    True when the loss passed ``BLOWN_UP`` and the path was cut short."""

    learning_rate: float
    points: np.ndarray
    losses: np.ndarray
    blown_up: bool


def descent_path(X, y, start, learning_rate, steps, loss=LOSS) -> Path:
    """``steps`` steps of full-batch gradient descent from ``start = (w, b)``, by nnlib's step.

    Each step is forward, loss (its value and dL/d output), ``backward`` and
    ``sgd_step`` -- the same four calls ``nnlib.train`` makes for a full batch.
    """
    rate = check_learning_rate(learning_rate)
    steps = check_positive_int(steps, "steps")
    w0, b0 = start
    net, fn = neuron(w0, b0), get_loss(loss)
    layer = net.layers[0]
    points, losses = [], []
    blown_up = False
    for _ in range(steps + 1):
        value, grad_output = fn(net.forward(X), y)
        points.append((float(layer.weights[0, 0]), float(layer.bias[0])))
        losses.append(float(value))
        if not np.isfinite(value) or value > BLOWN_UP:
            blown_up = True
            break
        if len(points) == steps + 1:
            break
        net.backward(grad_output)
        sgd_step(net, rate)
    return Path(rate, np.array(points), np.array(losses), blown_up)


@dataclass
class PathReading:
    """What the explorer says about a path: ``verdict`` (``"too small"``, ``"good"``,
    ``"zigzag"``, ``"too large"``), the fraction of the way down it went and the text."""

    path: Path
    verdict: str
    way_down: float
    text: str


def path_reading(path: Path, lowest: float) -> PathReading:
    """Judge ``path``, given the lowest loss of the landscape ``lowest``.

    - too large: the loss at the end is above the loss at the start, or it is
      rising and more than twice as far above the bottom as the path's best
      point (the steps overshoot the valley by more each time), or it blew up;
    - zigzag: it gets down, but the direction of the steps flips back and forth;
    - too small: it went less than half of the way from the start to the bottom;
    - good: otherwise.
    """
    lowest = check_number(lowest, "lowest")
    start, end = path.losses[0], path.losses[-1]
    height = start - lowest
    way_down = 1.0 if height <= 0 else float((start - end) / height)
    moves = np.diff(path.points, axis=0)
    flips = int(np.sum(np.sum(moves[1:] * moves[:-1], axis=1) < 0)) if len(moves) > 1 else 0
    steps = len(path.points) - 1
    head = (f"learning rate {path.learning_rate:g}, {steps} steps from "
            f"w = {path.points[0, 0]:.2f}, b = {path.points[0, 1]:.2f}\n"
            f"loss {start:.4f} -> {end:.4g}  (lowest possible {lowest:.4f})\n")
    least = float(path.losses.min())
    growing = len(path.losses) > 2 and end > path.losses[-2] and end - lowest > 2 * (least - lowest)
    if path.blown_up or end > start or growing:
        verdict = "too large"
        text = ("too large: each step overshoots the valley by more than the last, so the "
                "loss GROWS" + (" - it blew up and the path was cut short." if path.blown_up
                                else f" (it got down to {least:.4g} on the way)."))
    elif flips > steps // 2 and way_down >= 0.5:
        verdict = "zigzag"
        text = (f"large: the steps flip direction {flips} times, zigzagging across the "
                f"valley, yet the loss still falls ({100 * way_down:.0f}% of the way down).")
    elif way_down < 0.5:
        verdict = "too small"
        text = (f"too small: only {100 * way_down:.0f}% of the way down after {steps} "
                "steps - tiny steps crawl along the slope.")
    else:
        verdict = "good"
        text = f"good: {100 * way_down:.0f}% of the way down, heading straight for the bottom."
    return PathReading(path, verdict, way_down, head + text)
