"""Exercises for lesson 7: experiments in the playground, checked by running them.

Every check builds an ``nnlib.playground.Playground`` with the learner's
choice, trains it with ``nnlib.train`` and judges the losses it reaches: the
expected answers are never typed in, they are what the runs do.

All runs share ``BASE``: 200 points with noise 0.1, 70 % of them for training,
tanh hidden layers, learning rate 0.3, mini-batches of 10, seed 0. The
solutions are in ``nnlib/exercises/solutions/lesson07.py``.
"""

from __future__ import annotations

import numbers
from functools import lru_cache

from nnlib.exercises import CORRECT, INCORRECT, Exercise, Feedback, Number, WholeNumber
from nnlib.playground import DATASETS, FEATURES, LEARNING_RATES, Playground, Settings

BASE = Settings(learning_rate=0.3, activation="tanh", batch_size=10, noise=0.1,
                train_percent=70, seed=0)
EPOCHS = 300


@lru_cache(maxsize=64)
def final_test_loss(epochs: int = EPOCHS, **settings) -> float:
    """Test loss after ``epochs`` epochs of a playground run with these settings (on ``BASE``)."""
    return run(epochs, **settings).test_loss[-1]


def run(epochs: int = EPOCHS, **settings) -> Playground:
    """A playground run on ``BASE`` changed by ``settings``, trained for ``epochs`` epochs."""
    pg = Playground(BASE, **settings)
    pg.step(epochs)
    return pg


def _is_whole(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


# ------------------------------------------------------ 1. a straight line
LINE_TARGET = 0.2


def _line_learns():
    return {d for d in DATASETS if final_test_loss(dataset=d, hidden=()) < LINE_TARGET}


def _check_line(answer) -> Feedback:
    if isinstance(answer, str) or not isinstance(answer, (set, list, tuple, frozenset)):
        return Feedback(INCORRECT, f"expected a set of data set names such as {{'xor'}}, got "
                                   f"{type(answer).__name__}")
    chosen = set(answer)
    unknown = chosen - set(DATASETS)
    if unknown:
        return Feedback(INCORRECT, f"{sorted(unknown)} are not data sets; the names are "
                                   f"{list(DATASETS)}")
    right = _line_learns()
    if chosen == right:
        return Feedback(CORRECT, f"only {sorted(right)}: a straight line separates those; "
                                 "every other data set needs a bend.")
    wrong = sorted(chosen - right)
    if wrong:
        losses = ", ".join(f"{d} ends at {final_test_loss(dataset=d, hidden=()):.2f}"
                           for d in wrong)
        return Feedback(INCORRECT, f"a straight line does not get below {LINE_TARGET} on "
                                   f"{wrong}: {losses}. Try them in the playground.")
    missing = sorted(right - chosen)
    return Feedback(INCORRECT, f"one more works: {missing} - a straight line does separate it.")


straight_line = Exercise(
    "straight_line",
    "With NO hidden layer and the inputs x1, x2, the network draws a straight line. On which "
    f"data sets does it reach a test loss below {LINE_TARGET} within {EPOCHS} epochs? Answer "
    f"a set of names from {list(DATASETS)}.",
    check=_check_line,
    hint="Set hidden layers to 0 in the playground, press Play on each data set and read the "
         "test loss; or run Playground(dataset=..., hidden=()) and step it.",
)


# ----------------------------------------------- 2. features instead of a hidden layer
FEATURE_TARGET = 0.1


def _check_features(answer) -> Feedback:
    if isinstance(answer, str) or not isinstance(answer, (tuple, list, set, frozenset)):
        return Feedback(INCORRECT, f"expected a tuple of feature names from {list(FEATURES)}, "
                                   f"got {type(answer).__name__}")
    chosen = tuple(f for f in FEATURES if f in set(answer))
    unknown = sorted(set(answer) - set(FEATURES))
    if unknown or not chosen:
        return Feedback(INCORRECT, f"choose one or more of {list(FEATURES)}, got {answer!r}")
    loss = final_test_loss(dataset="circles", hidden=(), features=chosen)
    if loss < FEATURE_TARGET:
        return Feedback(CORRECT, f"with {list(chosen)} and no hidden layer the test loss reaches "
                                 f"{loss:.3f}: x1^2 + x2^2 is the squared distance from the "
                                 "centre, and a circle is a straight cut in it.")
    return Feedback(INCORRECT, f"with {list(chosen)} the test loss only reaches {loss:.3f}. "
                               "What tells the inner circle from the outer one?")


circle_features = Exercise(
    "circle_features",
    "Circles, NO hidden layer: which input features bring the test loss below "
    f"{FEATURE_TARGET} within {EPOCHS} epochs? Answer a tuple of names from {list(FEATURES)}.",
    check=_check_features,
    hint="The inner points are close to the centre, the outer ones far: which features grow "
         "with the distance from the centre?",
)


# --------------------------------------------------- 3. the smallest hidden layer for XOR
XOR_TARGET = 0.2


def _check_xor_layer(answer) -> Feedback:
    if not _is_whole(answer) or not 1 <= answer <= 8:
        return Feedback(INCORRECT, f"expected a number of nodes from 1 to 8, got {answer!r}")
    loss = final_test_loss(dataset="xor", hidden=(answer,))
    if loss >= XOR_TARGET:
        return Feedback(INCORRECT, f"{answer} node(s): the test loss only reaches {loss:.3f}. "
                                   "Try more.")
    if answer > 1:
        smaller = final_test_loss(dataset="xor", hidden=(answer - 1,))
        if smaller < XOR_TARGET:
            return Feedback(INCORRECT, f"{answer} nodes work ({loss:.3f}), but so do "
                                       f"{answer - 1} ({smaller:.3f}): find the smallest.")
    return Feedback(CORRECT, f"{answer} nodes reach {loss:.3f}, and {answer - 1} do not: each "
                             "hidden node adds a straight cut, and XOR needs several.")


xor_layer = Exercise(
    "xor_layer",
    "XOR with the inputs x1, x2 and ONE hidden layer: what is the smallest number of nodes "
    f"that brings the test loss below {XOR_TARGET} within {EPOCHS} epochs?",
    form=WholeNumber(low=1, high=8),
    check=_check_xor_layer,
    hint="Set hidden layers to 1 and try 1, 2, 3, ... nodes per layer; or "
         "run(dataset='xor', hidden=(n,)).test_loss[-1].",
)


# ---------------------------------------------------------- 4. too large a learning rate
RATE_EPOCHS, JUMP = 200, 1.5


def _rate_run(rate):
    pg = run(RATE_EPOCHS, dataset="circles", hidden=(4, 4), learning_rate=rate)
    return pg.test_loss[0], max(pg.test_loss), pg.test_loss[-1], pg.diverged


def _check_rate(answer) -> Feedback:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real) \
            or answer not in LEARNING_RATES:
        return Feedback(INCORRECT, "expected one of the playground's rates "
                                   f"{list(LEARNING_RATES)}, got {answer!r}")
    start, highest, end, diverged = _rate_run(answer)
    if diverged:
        return Feedback(CORRECT, f"with {answer:g} the run diverged: {diverged}")
    if highest > JUMP * start:
        return Feedback(CORRECT, f"with {answer:g} the test loss jumps to {highest:.2f}, far above "
                                 f"the untrained network's {start:.2f}: the steps overshoot.")
    if end > start - 0.05:
        return Feedback(INCORRECT, f"with {answer:g} the test loss hardly moves ({start:.2f} to "
                                   f"{end:.2f}): that rate is too SMALL. Go the other way.")
    return Feedback(INCORRECT, f"with {answer:g} the test loss falls from {start:.2f} to "
                               f"{end:.2f} and never jumps above {JUMP} x {start:.2f}: it still "
                               "learns. Try a larger rate.")


too_large_rate = Exercise(
    "too_large_rate",
    "Circles with two hidden layers of 4 tanh nodes: pick a learning rate from the menu that is "
    f"too large, so that within {RATE_EPOCHS} epochs the test loss jumps to more than {JUMP} "
    "times the untrained network's.",
    form=Number(),
    check=_check_rate,
    hint="Raise the learning rate a step at a time and watch the loss curve jump.",
)


# ---------------------------------------------------------------- 5. overfitting
NOISY = {"dataset": "xor", "noise": 0.4, "train_percent": 30}
OVERFIT_EPOCHS, OVERFIT_RISE = 400, 0.1


def _check_overfit(answer) -> Feedback:
    if not isinstance(answer, (tuple, list)) or not all(_is_whole(n) for n in answer):
        return Feedback(INCORRECT, f"expected hidden layer sizes such as (8, 8), got {answer!r}")
    try:
        pg = run(OVERFIT_EPOCHS, hidden=tuple(answer), **NOISY)
    except ValueError as error:
        return Feedback(INCORRECT, str(error))
    lowest = min(pg.test_loss)
    best_epoch = pg.test_loss.index(lowest)
    end = pg.test_loss[-1]
    if end >= lowest + OVERFIT_RISE and pg.train_loss[-1] < pg.train_loss[best_epoch]:
        return Feedback(CORRECT, f"the test loss was lowest ({lowest:.3f}) at epoch {best_epoch} "
                                 f"and rose to {end:.3f} while the train loss kept falling: the "
                                 "network learned the noise of its few training points.")
    return Feedback(INCORRECT, f"the test loss was lowest at epoch {best_epoch} ({lowest:.3f}) "
                               f"and ended at {end:.3f}: it rose by {end - lowest:.3f}, less than "
                               f"{OVERFIT_RISE}. A network with more nodes can fit more noise.")


overfit = Exercise(
    "overfit",
    f"Noisy XOR (noise {NOISY['noise']}, only {NOISY['train_percent']} % of the points for "
    f"training): choose hidden layers (e.g. (8, 8)) with which, within {OVERFIT_EPOCHS} epochs, "
    f"the test loss ends at least {OVERFIT_RISE} above its lowest value while the train loss "
    "keeps falling.",
    check=_check_overfit,
    hint="Small networks cannot follow the noise; give it many nodes and watch the dashed test "
         "curve turn upwards.",
)


EXERCISES = [straight_line, circle_features, xor_layer, too_large_rate, overfit]
