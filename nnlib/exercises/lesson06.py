"""Exercises for lesson 6: gradient descent, learning rates, mini-batches and epochs.

Every expected value is computed by nnlib: the step counts by running
``nnlib.train`` and counting its steps, the learning rate by training with the
learner's rate, and the diverged curve by seeing which run raised
``TrainingDiverged``.
"""

from __future__ import annotations

import math
import numbers
from functools import lru_cache

import numpy as np

from nnlib.datasets import logic_gate, noisy_curve
from nnlib.exercises import CORRECT, INCORRECT, Exercise, Feedback
from nnlib.exercises.lesson05 import mistakes_check
from nnlib.gradient_descent import TrainingDiverged, train
from nnlib.network import Network


def count_steps(n, batch_size, epochs):
    """How many updates ``train`` makes: it is run on ``n`` examples and counted."""
    X = np.zeros((n, 1))
    history = train(Network.from_sizes([1, 1], seed=0), X, np.zeros((n, 1)), loss="mse",
                    learning_rate=0.1, epochs=epochs, batch_size=batch_size)
    return len(history.step_loss)


# --------------------------------------------------------- 1. steps per epoch
_N1, _BATCH1 = 1000, 64

steps_per_epoch = Exercise(
    "steps_per_epoch",
    f"A training set has {_N1} examples and the mini-batches hold {_BATCH1}. How many steps "
    "(weight updates) does one epoch take?",
    check=mistakes_check(lambda: count_steps(_N1, _BATCH1, 1), [
        (lambda: _N1 // _BATCH1,
         f"that rounds down: after {_N1 // _BATCH1} full batches, {_N1 % _BATCH1} examples "
         "are left, and they make one more, smaller batch."),
        (lambda: _N1 / _BATCH1,
         "a number of steps is a whole number: the last batch is smaller, but still a step."),
        (lambda: _N1, "that is one step per example (batch size 1); here a step uses a "
                      f"whole mini-batch of {_BATCH1}."),
    ], tolerance=1e-9),
    hint="Divide and round UP: math.ceil(n / batch_size).",
    solution="""
import math

n, batch_size = 1000, 64
answer = math.ceil(n / batch_size)
""",
)


# ---------------------------------------------------------- 2. total updates
_N2, _BATCH2, _EPOCHS2 = 200, 32, 15

total_updates = Exercise(
    "total_updates",
    f"Training on {_N2} examples with batch_size={_BATCH2} for {_EPOCHS2} epochs: how many "
    "times is every weight updated in total?",
    check=mistakes_check(lambda: count_steps(_N2, _BATCH2, _EPOCHS2), [
        (lambda: math.ceil(_N2 / _BATCH2),
         "that is the number of steps in ONE epoch; there are "
         f"{_EPOCHS2} epochs."),
        (lambda: (_N2 // _BATCH2) * _EPOCHS2,
         "you rounded the steps per epoch down: the left-over examples form one more, "
         "smaller batch every epoch."),
        (lambda: _N2 / _BATCH2 * _EPOCHS2,
         "a number of updates is a whole number: round the steps per epoch up first."),
        (lambda: _N2 * _EPOCHS2,
         "that would be one update per example; each update here uses a whole mini-batch."),
    ], tolerance=1e-9),
    hint="Steps per epoch = ceil(n / batch_size); every epoch takes that many steps.",
    solution="""
import math

n, batch_size, epochs = 200, 32, 15
answer = math.ceil(n / batch_size) * epochs
""",
)


# ------------------------------------------------------- 3. a learning rate
TARGET_LOSS, TARGET_EPOCHS = 0.05, 200


def xor_network():
    """The lesson's XOR network: 2 -> 4 (tanh) -> 1 (sigmoid), seed 0."""
    return Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)


def _check_learning_rate(answer) -> Feedback:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return Feedback(INCORRECT, f"expected a learning rate (a number such as 0.1), "
                                   f"got {type(answer).__name__}")
    if not math.isfinite(answer) or answer <= 0:
        return Feedback(INCORRECT, f"a learning rate is a step size, a number > 0; got {answer}")
    X, y = logic_gate("xor")
    try:
        history = train(xor_network(), X, y, loss="bce", learning_rate=float(answer),
                        epochs=TARGET_EPOCHS)
    except TrainingDiverged:
        return Feedback(INCORRECT, f"with {answer:g} the loss blew up to infinity: far too "
                                   "large. Try a much smaller rate.")
    start, end, worst = history.loss[0], history.loss[-1], max(history.loss)
    if end < TARGET_LOSS:
        return Feedback(CORRECT, f"with {answer:g} the loss fell from {start:.3f} to {end:.4f} "
                                 f"in {TARGET_EPOCHS} epochs.")
    if worst > 1.5 * start:
        return Feedback(INCORRECT, f"with {answer:g} the loss jumped up to {worst:.2f} and ended "
                                   f"at {end:.3f}: the steps overshoot. Try a smaller rate.")
    return Feedback(INCORRECT, f"with {answer:g} the loss only fell from {start:.3f} to "
                               f"{end:.3f} in {TARGET_EPOCHS} epochs: the steps are too small. "
                               "Try a larger rate.")


pick_learning_rate = Exercise(
    "pick_learning_rate",
    f"Find a learning rate with which the lesson's XOR network (xor_network(): 2-4-1, tanh "
    f"then sigmoid, seed 0; loss 'bce', full batch) gets its loss below {TARGET_LOSS} within "
    f"{TARGET_EPOCHS} epochs. The check trains the network with your rate.",
    check=_check_learning_rate,
    hint="Try rates a factor of 3 to 10 apart (0.1, 0.3, 1, 3, ...) with nnlib.train and "
         "look at history.loss[-1]. Too small crawls; too large overshoots.",
    solution="""
X, y = nnlib.logic_gate("xor")
for learning_rate in [0.01, 0.1, 0.3, 1.0, 3.0]:
    net = nnlib.Network.from_sizes([2, 4, 1], activation="tanh",
                                   output_activation="sigmoid", seed=0)
    history = nnlib.train(net, X, y, loss="bce", learning_rate=learning_rate, epochs=200)
    print(f"learning rate {learning_rate:<5} final loss {history.loss[-1]:.4f}")
    if history.loss[-1] < 0.05:
        break
answer = learning_rate
""",
)


# ------------------------------------------------------ 4. which one diverged
#: The three mystery runs: a network fitting a noisy curve with three learning rates.
MYSTERY_RATES = {"A": 0.2, "B": 0.45, "C": 0.002}
MYSTERY_EPOCHS = 300


@lru_cache(maxsize=1)
def _mystery_runs():
    x, t = noisy_curve(100, noise=0.1, seed=0)
    runs = {}
    for label, learning_rate in MYSTERY_RATES.items():
        net = Network.from_sizes([1, 8, 1], activation="tanh", output_activation="linear", seed=0)
        seen = []
        try:
            train(net, x, t, loss="mse", learning_rate=learning_rate, epochs=MYSTERY_EPOCHS,
                  callback=lambda epoch, history, seen=seen: seen.append(history))
            diverged = False
        except TrainingDiverged:
            diverged = True
        runs[label] = (tuple(seen[0].loss), diverged)
    return runs


def mystery_curves() -> dict:
    """Three loss curves (loss per epoch), labelled "A", "B", "C".

    Each comes from training the same regression network with a different
    learning rate. A run that diverged stops where its loss became infinite.
    """
    return {label: list(losses) for label, (losses, _) in _mystery_runs().items()}


def _diverged_label():
    return next(label for label, (_, diverged) in _mystery_runs().items() if diverged)


def _check_diverged(answer) -> Feedback:
    if not isinstance(answer, str):
        return Feedback(INCORRECT, f'expected a label such as "A", got {type(answer).__name__}')
    label = answer.strip().upper()
    runs = _mystery_runs()
    if label not in runs:
        return Feedback(INCORRECT, f'the curves are labelled "A", "B" and "C", got {answer!r}')
    if label == _diverged_label():
        return Feedback(CORRECT, f"{label} it is: its loss grows by orders of magnitude and the "
                                 "run stops when it reaches infinity.")
    losses = runs[label][0]
    lowest = min(runs, key=lambda k: runs[k][0][-1])
    if label == lowest:
        return Feedback(INCORRECT, f"{label} ends with the lowest loss ({losses[-1]:.4f}): that "
                                   "is the well-chosen rate.")
    return Feedback(INCORRECT, f"{label} goes down all the time, only slowly (ending at "
                               f"{losses[-1]:.3f}): too small, but not diverged.")


diverged_curve = Exercise(
    "diverged_curve",
    "ex.mystery_curves() holds three loss curves, A, B and C, from the same network trained "
    'with three learning rates. Which one diverged? Answer with its label, e.g. "A".',
    check=_check_diverged,
    hint="Plot them on a log scale (plots.plot_loss_curve(values, log=True, label=...)). A "
         "diverging loss does not settle: it climbs, often by many powers of ten.",
    solution="""
from nnlib.exercises.lesson06 import mystery_curves

curves = mystery_curves()
# The diverged run ends far above where it started.
answer = max(curves, key=lambda label: curves[label][-1] / curves[label][0])
""",
)


EXERCISES = [pick_learning_rate, diverged_curve, steps_per_epoch, total_updates]
