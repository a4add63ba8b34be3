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


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the learning rate is almost always too large.

    ``history`` is the ``History`` of the run up to that moment: every finite
    step loss, and the epochs completed before the one that diverged, so the
    curve that led to the blow-up can still be plotted.
    """

    def __init__(self, message, history=None):
        super().__init__(message)
        self.history = history


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
    float32). Raises ``TrainingDiverged`` when the loss stops being a finite
    number; its ``history`` holds the run up to then.
    """
    loss = get_loss(loss)
    loss.check_network(network)
    learning_rate = check_learning_rate(learning_rate)
    epochs = check_positive_int(epochs, "epochs")
    X, y = _check_data(network, X, y, loss, "")
    n = X.shape[0]
    batch_size = n if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n)
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X_val, y_val), "
                            f"got {type(validation).__name__}")
        validation = _check_data(network, *validation, loss, "_val")
    rng = make_rng(seed)
    history = History(learning_rate=learning_rate, batch_size=batch_size)
    bar = None
    if progress:
        from nnlib.progress import Progress

        bar = Progress(epochs)

    order = np.arange(n)
    # Overflows are detected as a non-finite loss, with a useful message,
    # instead of as numpy warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            if shuffle:
                rng.shuffle(order)
            _train_epoch(network, X, y, loss, order, history, epoch)
            if validation is not None:
                _score_validation(network, *validation, loss, history)
            if bar is not None:
                bar.update(epoch, f"loss {history.loss[-1]:.4g}")
            if callback is not None:
                callback(epoch, history)
    return history


def _train_epoch(network, X, y, loss, order, history, epoch) -> None:
    """One pass over the data in ``order``, a step per mini-batch; appends to ``history``.

    The data were checked by ``train``, so every call here takes the fast path.
    """
    n, batch_size, learning_rate = len(order), history.batch_size, history.learning_rate
    epoch_loss = 0.0
    correct = 0.0
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        xb, yb = X[idx], y[idx]
        output = loss.check_output(network.forward(xb, check=False))
        value, grad = loss(output, yb, check=False)
        if not math.isfinite(value):
            raise TrainingDiverged(
                f"the loss became {value} at step {len(history.step_loss) + 1} (epoch {epoch}) "
                f"with learning_rate={learning_rate:g}: the steps are too large, so the "
                f"weights overshoot and blow up. Try a smaller learning rate, "
                f"e.g. {learning_rate / 10:g}.",
                history,
            )
        network.backward(grad, need_input_grad=False)
        sgd_step(network, learning_rate, check=False)
        history.step_loss.append(value)
        epoch_loss += value
        if loss.classification:
            correct += loss.accuracy(output, yb, check=False) * len(idx)
    history.loss.append(epoch_loss / math.ceil(n / batch_size))
    if loss.classification:
        history.accuracy.append(correct / n)


def _score_validation(network, X_val, y_val, loss, history) -> None:
    """Append the loss (and accuracy) on the checked validation data to ``history``."""
    output = loss.check_output(network.forward(X_val, check=False))
    history.val_loss.append(loss(output, y_val, check=False)[0])
    if loss.classification:
        history.val_accuracy.append(loss.accuracy(output, y_val, check=False))


def accuracy(network, X, y, loss) -> float:
    """Fraction of the examples in ``X`` that ``network`` classifies correctly."""
    loss = get_loss(loss)
    if not loss.classification:
        raise ValueError(f"accuracy needs a classification loss, got {loss!r}")
    return loss.accuracy(network.forward(X), y)
