"""Exercises for lesson 6: gradient descent, learning rates, mini-batches and epochs.

Every expected value is computed by nnlib: the step counts by running
``nnlib.train`` and counting its steps, the learning rate by training with the
learner's rate, and the diverged curve by seeing which run raised
``TrainingDiverged``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnlib.datasets import logic_gate, noisy_curve
from nnlib.exercises import (
    CORRECT,
    INCORRECT,
    Choice,
    Exercise,
    Feedback,
    NotYet,
    Number,
    WholeNumber,
)
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
    title="Steps per epoch",
    expected=lambda: count_steps(_N1, _BATCH1, 1),
    form=WholeNumber(),
    slips=[
        (_N1 // _BATCH1, f"that rounds down: after {_N1 // _BATCH1} full batches, "
                         f"{_N1 % _BATCH1} examples are left, and they make one more, smaller "
                         "batch."),
        (_N1 / _BATCH1,
         "a number of steps is a whole number: the last batch is smaller, but still a step."),
        (_N1, "that is one step per example (batch size 1); here a step uses a "
              f"whole mini-batch of {_BATCH1}."),
    ],
    hint="Divide and round UP: math.ceil(n / batch_size).",
)


# ---------------------------------------------------------- 2. total updates
_N2, _BATCH2, _EPOCHS2 = 200, 32, 15

total_updates = Exercise(
    "total_updates",
    f"Training on {_N2} examples with batch_size={_BATCH2} for {_EPOCHS2} epochs: how many "
    "times is every weight updated in total?",
    title="Updates in total",
    expected=lambda: count_steps(_N2, _BATCH2, _EPOCHS2),
    form=WholeNumber(),
    slips=lambda: [
        (count_steps(_N2, _BATCH2, 1),
         f"that is the number of steps in ONE epoch; there are {_EPOCHS2} epochs."),
        ((_N2 // _BATCH2) * _EPOCHS2,
         "you rounded the steps per epoch down: the left-over examples form one more, "
         "smaller batch every epoch."),
        (_N2 / _BATCH2 * _EPOCHS2,
         "a number of updates is a whole number: round the steps per epoch up first."),
        (_N2 * _EPOCHS2,
         "that would be one update per example; each update here uses a whole mini-batch."),
    ],
    hint="Steps per epoch = ceil(n / batch_size); every epoch takes that many steps.",
)


# ------------------------------------------------------- 3. a learning rate
TARGET_LOSS, TARGET_EPOCHS = 0.05, 200


def xor_network():
    """The lesson's XOR network: 2 -> 4 (tanh) -> 1 (sigmoid), seed 0."""
    return Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)


#: A run whose loss climbs above this many times its start has overshot, even if it
#: comes down again: the same rate a little larger ends far off (see the lesson).
SPIKE = 1.5


def learning_rate_run(learning_rate) -> dict:
    """Train ``xor_network()`` on XOR with this rate (bce, full batch, TARGET_EPOCHS epochs).

    Returns the start, end and highest loss, and whether the run diverged (its
    loss became infinite: ``TrainingDiverged``, whose ``history`` holds the
    losses up to then).
    """
    X, y = logic_gate("xor")
    try:
        losses = train(xor_network(), X, y, loss="bce", learning_rate=float(learning_rate),
                       epochs=TARGET_EPOCHS).loss
        diverged = False
    except TrainingDiverged as stop:
        losses, diverged = stop.history.loss or [float("inf")], True
    return {"start": losses[0], "end": losses[-1], "highest": max(losses),
            "diverged": diverged}


def _check_learning_rate(rate) -> Feedback:
    if rate <= 0:
        raise NotYet(f"a learning rate is a step size, a number > 0; got {rate:g}")
    run = learning_rate_run(rate)
    start, end, highest = run["start"], run["end"], run["highest"]
    if run["diverged"]:
        return Feedback(INCORRECT, f"with {rate:g} the loss blew up to infinity: far too "
                                   "large. Try a much smaller rate.")
    if highest > SPIKE * start:
        came_down = f", then came down to {end:.4f}" if end < TARGET_LOSS else \
            f" and ended at {end:.3f}"
        return Feedback(INCORRECT, f"with {rate:g} the loss jumped from {start:.3f} up to "
                                   f"{highest:.2f}{came_down}: the steps overshoot. A good "
                                   "rate brings the loss down without such a spike. Try a "
                                   "smaller rate.")
    if end < TARGET_LOSS:
        return Feedback(CORRECT, f"with {rate:g} the loss fell from {start:.3f} to {end:.4f} "
                                 f"in {TARGET_EPOCHS} epochs.")
    return Feedback(INCORRECT, f"with {rate:g} the loss only fell from {start:.3f} to "
                               f"{end:.3f} in {TARGET_EPOCHS} epochs: the steps are too small. "
                               "Try a larger rate.")


pick_learning_rate = Exercise(
    "pick_learning_rate",
    f"Find a learning rate with which the lesson's XOR network (xor_network(): 2-4-1, tanh "
    f"then sigmoid, seed 0; loss 'bce', full batch) gets its loss below {TARGET_LOSS} within "
    f"{TARGET_EPOCHS} epochs, without its loss ever climbing above {SPIKE} times where it "
    "started. The check trains the network with your rate.",
    title="Pick a learning rate",
    form=Number(),
    check=_check_learning_rate,
    hint="Try rates a factor of 3 to 10 apart (0.1, 0.3, 1, 3, ...) with nnlib.train and "
         "look at history.loss[-1]. Too small crawls; too large overshoots.",
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
        try:
            history = train(net, x, t, loss="mse", learning_rate=learning_rate,
                            epochs=MYSTERY_EPOCHS)
            diverged = False
        except TrainingDiverged as stop:
            history, diverged = stop.history, True
        runs[label] = (tuple(history.loss), diverged)
    return runs


def mystery_curves() -> dict:
    """Three loss curves (loss per epoch), labelled "A", "B", "C".

    Each comes from training the same regression network with a different
    learning rate. A run that diverged stops where its loss became infinite.
    """
    return {label: list(losses) for label, (losses, _) in _mystery_runs().items()}


def _diverged_label():
    return next(label for label, (_, diverged) in _mystery_runs().items() if diverged)


def _diverged_slips():
    runs = _mystery_runs()
    lowest = min(runs, key=lambda k: runs[k][0][-1])
    slips = []
    for label, (losses, diverged) in runs.items():
        if diverged:
            continue
        if label == lowest:
            slips.append((label, f"{label} ends with the lowest loss ({losses[-1]:.4f}): that "
                                 "is the well-chosen rate."))
        else:
            slips.append((label, f"{label} goes down all the time, only slowly (ending at "
                                 f"{losses[-1]:.3f}): too small, but not diverged."))
    return slips


diverged_curve = Exercise(
    "diverged_curve",
    "ex.mystery_curves() holds three loss curves, A, B and C, from the same network trained "
    'with three learning rates. Which one diverged? Answer with its label, e.g. "A".',
    title="Which run diverged?",
    expected=_diverged_label,
    form=Choice(MYSTERY_RATES),
    slips=_diverged_slips,
    well_done="Its loss grows by orders of magnitude and the run stops when it reaches "
              "infinity.",
    hint="Plot them on a log scale (plots.plot_loss_curve(values, log=True, label=...)). A "
         "diverging loss does not settle: it climbs, often by many powers of ten.",
)


# ------------------------------------------------- 5. reading the landscape
#: Three paths on lesson 6's loss landscape, all from the same start, labelled A, B, C.
LANDSCAPE_RATES = {"A": 0.1, "B": 0.7, "C": 0.005}
LANDSCAPE_START, LANDSCAPE_STEPS = (4.0, -3.0), 20


def landscape_paths() -> dict:
    """The three paths ``{"A": Path, ...}``: LANDSCAPE_STEPS steps of gradient descent from
    LANDSCAPE_START on ``nnlib.loss_landscape``'s one-neuron model, one rate each."""
    from nnlib.loss_landscape import descent_path, landscape_data

    X, y = landscape_data()
    return {label: descent_path(X, y, LANDSCAPE_START, rate, LANDSCAPE_STEPS)
            for label, rate in LANDSCAPE_RATES.items()}


def _landscape_verdicts() -> dict:
    from nnlib.loss_landscape import best_fit, landscape_data, loss_at, path_reading

    X, y = landscape_data()
    lowest = loss_at(*best_fit(X, y), X, y)
    return {label: path_reading(path, lowest) for label, path in landscape_paths().items()}


def _overshooting_label():
    return next(label for label, reading in _landscape_verdicts().items()
                if reading.verdict == "too large")


def _overshooting_slips():
    slips = []
    for label, reading in _landscape_verdicts().items():
        if reading.verdict == "too large":
            continue
        end = reading.path.losses[-1]
        if reading.verdict == "too small":
            why = (f"path {label} takes tiny steps: after {LANDSCAPE_STEPS} steps it is only "
                   f"{100 * reading.way_down:.0f}% of the way down - too small, not too large.")
        else:
            why = (f"path {label} reaches the bottom (its loss ends at {end:.4f}): that is "
                   "the well-chosen rate.")
        slips.append((label, why))
    return slips


overshooting_path = Exercise(
    "overshooting_path",
    f"ex.landscape_paths() holds three gradient-descent paths on the loss landscape, "
    f"{LANDSCAPE_STEPS} steps each from w = {LANDSCAPE_START[0]:g}, b = {LANDSCAPE_START[1]:g}, "
    'labelled A, B and C. Which path\'s learning rate is too large? Answer with its label, '
    'e.g. "A".',
    title="Which path overshoots?",
    expected=_overshooting_label,
    form=Choice(tuple(LANDSCAPE_RATES)),
    slips=_overshooting_slips,
    well_done="Its steps jump across the valley, each landing higher up the far side than "
              "the last: the path zigzags OUT of the bowl and its loss grows.",
    hint="Follow each path from the start (the white circle). A good path walks down to the "
         "star; a too-small one stops short; a too-large one jumps from one side of the "
         "valley to the other, further out each time.",
)


EXERCISES = [pick_learning_rate, diverged_curve, overshooting_path, steps_per_epoch,
             total_updates]
