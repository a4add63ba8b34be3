"""Gradient descent: forward, loss, backward, update -- again and again.

``train`` runs that loop over the training data for a number of *epochs*
(passes over all the data), in *mini-batches* of ``batch_size`` examples drawn
in a seeded shuffled order. Each mini-batch is one *step*: one update of every
weight and bias. It returns a ``History`` of the losses (and accuracies) so
they can be plotted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nnlib.checks import as_matrix, check_finite, check_positive_int, make_rng
from nnlib.learning_rate import check_learning_rate, sgd_step
from nnlib.loss import get_loss
from nnlib.network import Network, check_network

#: The loss has "risen far above where it started" when an epoch's loss is more
#: than RISE times the first step's loss (the untrained network's loss on the
#: first mini-batch; on all the data when training full-batch) ...
RISE = 10.0
#: ... in most (the median) of the last PATIENCE epochs: a spike that comes back
#: down within half that many epochs is not divergence.
PATIENCE = 50
#: A weight or bias feeding a sigmoid, tanh or softmax layer above this size
#: means that layer's nodes are saturated (slope below e^-100 for any input of
#: size 1e-4 or more): they have stopped learning for good. No ordinary training
#: comes near it.
SATURATED = 1e6


class TrainingDiverged(FloatingPointError):
    """Training blew up: the learning rate is almost always too large.

    Raised by ``train`` when the loss stops being a finite number, when the
    weights or biases become absurdly large, or when the loss has risen far
    above where it started and stays there (exactly when: below). The message
    names the step, the epoch and the learning rate. ``history`` is the ``History``
    of the run up to that moment: every finite step loss, and the epochs
    completed (for a non-finite loss, those before the one that diverged), so
    the curve that led to the blow-up can still be plotted.

    ``train`` raises it when

    - the loss of a step is not a finite number;
    - after an epoch, a weight or bias is NaN, infinite or absurdly large:
      above the square root of the largest float (1.3e154 in float64, 1.8e19
      in float32: products of two such numbers overflow), or above
      ``SATURATED`` (1e6) in a sigmoid, tanh or softmax layer;
    - the epoch loss has been more than ``RISE`` (10) times the first step's
      (the untrained network's) in most of the last ``PATIENCE`` (50) epochs
      (their median is above it).

    A spike that comes back down is left alone: XOR (2-4-1, tanh, sigmoid
    output, BCE, full batch) at learning rate 10 jumps from 0.71 to 9.8 at
    epoch 8, is above 10 times its start for 15 epochs, then falls to about
    1e-4 by epoch 300 -- ``train`` returns normally (the learning-rate lesson
    calls such a rate too large all the same). These checks cost one pass over
    the parameters per epoch.

    ``step``, ``epoch``, ``learning_rate`` and ``reason`` (what was seen, in
    words) are there for programs that show it (nnlib's widgets do).
    """

    def __init__(self, message, history=None, *, step=None, epoch=None, learning_rate=None,
                 reason=None):
        super().__init__(message)
        self.history = history
        self.step = step
        self.epoch = epoch
        self.learning_rate = learning_rate
        self.reason = reason


def _diverged(reason: str, why: str, step: int, epoch: int, history) -> TrainingDiverged:
    rate = history.learning_rate
    return TrainingDiverged(
        f"{reason} at step {step} (epoch {epoch}) with learning_rate={rate:g}: {why}. "
        f"Try a smaller learning rate, e.g. {rate / 10:g}.",
        history, step=step, epoch=epoch, learning_rate=rate, reason=reason.rstrip(","))


@dataclass
class History:
    """What happened during training.

    ``step_loss``: the loss of every mini-batch, in order. ``loss``: the mean
    step loss of each epoch. ``accuracy``: per epoch, for classification
    losses (else empty). ``val_loss``/``val_accuracy``: per epoch on the
    validation data, when given.
    """

    learning_rate: float
    batch_size: int
    step_loss: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return f"History(learning_rate={self.learning_rate}, no epochs yet)"
        text = (f"History({self.epochs} epochs, {len(self.step_loss)} steps, "
                f"learning_rate={self.learning_rate:g}, final loss {self.loss[-1]:.4g}")
        if self.accuracy:
            text += f", accuracy {self.accuracy[-1]:.1%}"
        if self.val_loss:
            text += f", validation loss {self.val_loss[-1]:.4g}"
        if self.val_accuracy:
            text += f", validation accuracy {self.val_accuracy[-1]:.1%}"
        return text + ")"


def _check_data(network, X, y, loss, name):
    X = check_finite(as_matrix(X, f"X{name}", network.layers[0].n_in), f"X{name}")
    # Compute in the network's own precision: a float32 network trains in float32.
    X = X.astype(network.layers[0].weights.dtype, copy=False)
    n_labels = len(y) if hasattr(y, "__len__") and getattr(y, "ndim", 1) > 0 else "no rows"
    if n_labels != X.shape[0]:
        raise ValueError(
            f"X{name} and y{name} must have the same number of examples (rows): "
            f"X{name} has {X.shape[0]}, y{name} has {n_labels}"
        )
    # The loss checks the labels' shape and range against the shape of the
    # network's output, (examples, output nodes): zeros of that shape will do,
    # without running all the data through the network. Whether the loss can
    # judge the real outputs (e.g. probabilities for BCE) is checked batch by
    # batch as training runs.
    output_like = np.zeros((X.shape[0], network.layers[-1].n_out))
    y = loss.check_target(output_like, y)
    if np.issubdtype(y.dtype, np.floating):
        check_finite(y, f"y{name}")
        y = y.astype(X.dtype, copy=False)
    return X, y


def _check_all_data(network, X, y, validation, loss):
    """The training data and the validation pair (or None), checked, in the network's dtype."""
    X, y = _check_data(network, X, y, loss, "")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X_val, y_val), "
                            f"got {type(validation).__name__}")
        validation = _check_data(network, *validation, loss, "_val")
    return X, y, validation


def train(network, X, y, loss="mse", learning_rate=0.1, epochs=100, batch_size=None,
          shuffle=True, seed=0, validation=None, callback=None, progress=False) -> History:
    """Train ``network`` on ``X`` (batch, n_inputs) and labels ``y`` by gradient descent.

    Parameters
    ----------
    loss : a Loss or its name (``"mse"``, ``"bce"``, ``"softmax_cross_entropy"``, ...).
    learning_rate : step size, > 0.
    epochs : passes over the whole training set.
    batch_size : examples per step; None means all of them (full-batch).
    shuffle, seed : the order of examples is reshuffled every epoch, reproducibly.
    validation : optional ``(X_val, y_val)``, scored after every epoch.
    callback : optional ``callback(epoch, history)`` called after every epoch
        (epochs count from 1) -- lessons redraw plots from it.
    progress : show a one-line progress display.

    The data are used in the network's precision (a float32 network trains in
    float32). For a sigmoid output layer with binary cross-entropy, the loss and
    its gradient are computed from the output layer's weighted sums (see
    ``BinaryCrossEntropy``): exact however confident the network is.

    Raises ``TrainingDiverged`` (its ``history`` holds the run up to then) when
    the loss or the parameters blow up; its docstring says exactly when.
    """
    network = check_network(network, "train")
    loss = get_loss(loss)
    loss.check_network(network)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(epoch, history) or None, "
                        f"got {type(callback).__name__} {callback!r:.40}")
    learning_rate = check_learning_rate(learning_rate)
    epochs = check_positive_int(epochs, "epochs")
    X, y, validation = _check_all_data(network, X, y, validation, loss)
    n = X.shape[0]
    batch_size = n if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n)
    rng = make_rng(seed)
    history = History(learning_rate=learning_rate, batch_size=batch_size)
    bar = _progress_bar(epochs) if progress else None

    order = np.arange(n)
    exact = loss.on_logits(network) if type(network).backward is Network.backward else None
    limits = _parameter_limits(network)
    # Overflows are detected as a non-finite loss, with a useful message,
    # instead of as numpy warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            if shuffle:
                rng.shuffle(order)
            _train_epoch(network, X, y, loss, order, history, epoch, exact)
            if validation is not None:
                _score_validation(network, *validation, loss, history, exact)
            if bar is not None:
                bar.update(epoch, f"loss {history.loss[-1]:.4g}")
            if callback is not None:
                callback(epoch, history)
            _check_divergence(network, history, epoch, limits)  # the epoch is complete
    return history


def _progress_bar(epochs):
    """A one-line progress display (``nnlib.progress``, imported only when asked for)."""
    from nnlib.progress import Progress

    return Progress(epochs)


def _train_epoch(network, X, y, loss, order, history, epoch, exact=None) -> None:
    """One pass over the data in ``order``, a step per mini-batch; appends to ``history``.

    The data were checked by ``train``, so every call here takes the fast path.
    ``exact``: the loss on the output layer's Z (``Loss.on_logits``), or None.
    """
    n, batch_size, learning_rate = len(order), history.batch_size, history.learning_rate
    epoch_loss = 0.0
    correct = 0.0
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        xb, yb = X[idx], y[idx]
        output = network.forward(xb, check=False)
        if exact is None:
            value, grad = loss.compute(loss.check_output(output), yb)
        else:
            value, grad = exact.compute(network.layers[-1].cache.Z, yb)
        if not math.isfinite(value):
            raise _diverged(f"the loss became {value}", "the steps are too large, so the "
                            "weights overshoot and blow up", len(history.step_loss) + 1,
                            epoch, history)
        if exact is None:
            network.backward(grad, need_input_grad=False)
        else:
            network.backward_from_logits(grad, need_input_grad=False)
        sgd_step(network, learning_rate, check=False)
        history.step_loss.append(value)
        epoch_loss += value
        if loss.classification:
            correct += loss.compute_accuracy(output, yb) * len(idx)
    history.loss.append(epoch_loss / math.ceil(n / batch_size))
    if loss.classification:
        history.accuracy.append(correct / n)


def _parameter_limits(network) -> list:
    """The size above which each layer's weights and biases count as blown up."""
    limits = []
    for layer in network.layers:
        limit = float(np.sqrt(np.finfo(layer.weights.dtype).max))
        if layer.activation.name in ("sigmoid", "tanh", "softmax"):
            limit = min(limit, SATURATED)
        limits.append(limit)
    return limits


def _check_divergence(network, history, epoch, limits) -> None:
    """After an epoch: raise TrainingDiverged if the parameters or the loss have blown up."""
    step = len(history.step_loss)
    for i, (layer, limit) in enumerate(zip(network.layers, limits, strict=True), start=1):
        for name, p in layer.parameters().items():
            size = float(np.max(np.abs(p)))
            if not size <= limit:  # also NaN
                what = "saturates its nodes" if limit == SATURATED else "is about to overflow"
                raise _diverged(
                    f"layer {i}'s {name} grew to {size:.3g}, above {limit:.3g}, where a "
                    f"{layer.activation.name} layer {what},", "the steps are too large",
                    step, epoch, history)
    start, now = history.step_loss[0], history.loss[-1]
    if epoch < PATIENCE or not start > 0:
        return
    recent = history.loss[-PATIENCE:]
    if sorted(recent)[PATIENCE // 2] > RISE * start:  # the median: most of those epochs
        raise _diverged(
            f"the loss has stayed above {RISE:g} times its start {start:.4g} for most of the "
            f"last {PATIENCE} epochs, at {now:.4g},", "the steps are too large, so the weights "
            "overshoot and stay stuck", step, epoch, history)


def _score_validation(network, X_val, y_val, loss, history, exact=None) -> None:
    """Append the loss (and accuracy) on the checked validation data to ``history``."""
    output = network.forward(X_val, check=False)
    if exact is None:
        history.val_loss.append(loss(loss.check_output(output), y_val, check=False)[0])
    else:
        history.val_loss.append(exact.compute(network.layers[-1].cache.Z, y_val)[0])
    if loss.classification:
        history.val_accuracy.append(loss.accuracy(output, y_val, check=False))


def accuracy(network, X, y, loss) -> float:
    """Fraction of the examples in ``X`` that ``network`` classifies correctly."""
    network = check_network(network, "accuracy")
    loss = get_loss(loss)
    if not loss.classification:
        raise ValueError(f"accuracy needs a classification loss, got {loss!r}")
    return loss.accuracy(network.forward(X), y)
