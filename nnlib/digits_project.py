"""Lesson 8's digits project: its data split, its network and its training run, once.

The lesson notebook, its exercises and their solutions all call these, so the
numbers a learner sees in the lesson (for example "349 of 359 test images")
are the numbers the exercises check against::

    from nnlib import digits_project as project
    data = project.digits_split()           # train / validation / test, seeded
    net = project.digits_network()          # 64 -> 32 (sigmoid) -> 10 (linear), seed 0
    history = project.train_digits(net, data, progress=True)
    confusion = project.confusion_matrix(data.y_test, net.predict(data.X_test).argmax(axis=1))

The settings (the lesson's section 5): 40 epochs of mini-batches of 32 images,
learning rate 0.5, softmax cross-entropy, shuffling seeded with 0.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from nnlib.datasets import load_digits, train_test_split
from nnlib.gradient_descent import History, train
from nnlib.network import Network

SIZES = (64, 32, 10)
ACTIVATION = "sigmoid"
LEARNING_RATE = 0.5
EPOCHS = 40
BATCH_SIZE = 32
LOSS = "softmax_cross_entropy"


class DigitsSplit(NamedTuple):
    """The lesson's images as inputs (n, 64) in [0, 1] and labels (n,), in three parts."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def digits_split() -> DigitsSplit:
    """20 % of the digits for testing (seed 0), then 20 % of the rest for validation (seed 1)."""
    digits = load_digits(test_fraction=0.2, seed=0)
    X_train, y_train, X_val, y_val = train_test_split(digits.X_train, digits.y_train,
                                                      test_fraction=0.2, seed=1)
    return DigitsSplit(X_train, y_train, X_val, y_val, digits.X_test, digits.y_test)


def digits_network(hidden: int = SIZES[1], activation: str = ACTIVATION) -> Network:
    """The lesson's untrained network: 64 inputs -> ``hidden`` nodes -> 10 scores, seed 0."""
    return Network.from_sizes([SIZES[0], hidden, SIZES[2]], activation=activation,
                              output_activation="linear", seed=0)


def train_digits(net: Network, data: DigitsSplit, *, learning_rate: float = LEARNING_RATE,
                 epochs: int = EPOCHS, batch_size: int = BATCH_SIZE, callback=None,
                 progress: bool = False) -> History:
    """Train ``net`` on ``data.X_train`` with the lesson's settings (validation on ``X_val``).

    ``callback(epoch, history)`` and ``progress`` are passed to ``nnlib.train``;
    the weights change in place and the ``History`` is returned.
    """
    return train(net, data.X_train, data.y_train, loss=LOSS, learning_rate=learning_rate,
                 epochs=epochs, batch_size=batch_size, seed=0,
                 validation=(data.X_val, data.y_val), callback=callback, progress=progress)


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """``counts[t, p]``: how many images of digit ``t`` were predicted as ``p`` (n_classes^2)."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (np.asarray(true), np.asarray(predicted)), 1)
    return counts


@functools.cache
def lesson_run() -> tuple[Network, DigitsSplit]:
    """The lesson's trained network and its data (trained once per session, then kept).

    Do not change the returned network's weights: the exercises read it.
    """
    data = digits_split()
    net = digits_network()
    train_digits(net, data)
    return net, data


def lesson_confusion() -> np.ndarray:
    """The confusion matrix of the lesson's trained network on the 359 test images."""
    net, data = lesson_run()
    return confusion_matrix(data.y_test, net.predict(data.X_test).argmax(axis=1))
