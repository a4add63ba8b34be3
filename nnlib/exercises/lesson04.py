"""Exercises for lesson 4: loss.

Every expected value is computed with nnlib's own loss functions
(``nnlib.loss``), so the exercises and the library can never disagree.
"""

from __future__ import annotations

import numpy as np

from nnlib.exercises import Exercise
from nnlib.loss import BinaryCrossEntropy, SumAbsoluteError, SumSquaredError

# Three outputs of a network and their labels, as columns (batch, 1).
OUTPUTS = (0.8, 0.3, 0.6)
LABELS = (1.0, 0.0, 1.0)


def _column(values) -> np.ndarray:
    return np.array(values, dtype=float).reshape(-1, 1)


sum_absolute_error = Exercise(
    "sum_absolute_error",
    f"A network outputs {OUTPUTS} for three examples whose labels are {LABELS}. "
    "What is the sum of the absolute differences (SAE)?",
    expected=lambda: SumAbsoluteError().value(_column(OUTPUTS), _column(LABELS)),
    hint="Subtract label from output for each example, drop the signs, add the three numbers.",
    solution="""
outputs = np.array([0.8, 0.3, 0.6])
labels = np.array([1.0, 0.0, 1.0])
answer = np.abs(outputs - labels).sum()     # 0.2 + 0.3 + 0.4
""",
)

sum_squared_error = Exercise(
    "sum_squared_error",
    f"Same outputs {OUTPUTS} and labels {LABELS}. "
    "What is the sum of the squared differences (SSE)?",
    expected=lambda: SumSquaredError().value(_column(OUTPUTS), _column(LABELS)),
    hint="Square each difference before adding: 0.2 becomes 0.04.",
    solution="""
outputs = np.array([0.8, 0.3, 0.6])
labels = np.array([1.0, 0.0, 1.0])
answer = ((outputs - labels) ** 2).sum()    # 0.04 + 0.09 + 0.16
""",
)

# ----------------------------------------------------------- best_constant_sae
MEASUREMENTS = (3.0, 7.0, 4.0, 20.0, 5.0)


def _best_constant_sae() -> float:
    # The SAE of a constant guess is piecewise linear with corners at the data
    # points, so its minimum is at one of them: try each with nnlib's SAE.
    y = _column(MEASUREMENTS)
    sae = SumAbsoluteError()
    return min(MEASUREMENTS, key=lambda c: sae.value(np.full_like(y, c), y))


best_constant_sae = Exercise(
    "best_constant_sae",
    f"You must predict one single number c for all of these measurements: {MEASUREMENTS}. "
    "Which c gives the smallest sum of absolute differences?",
    expected=_best_constant_sae,
    hint="Not the mean: the 20 would drag it up. Sort the numbers and think about what "
         "happens to the SAE when c moves one step past a data point.",
    solution="""
measurements = np.array([3.0, 7.0, 4.0, 20.0, 5.0])
answer = np.median(measurements)    # the middle value: half the data on each side
""",
)

# -------------------------------------------------------- bce_confident_wrong
BCE_PREDICTION = 0.01
BCE_LABEL = 1.0

bce_confident_wrong = Exercise(
    "bce_confident_wrong",
    f"The label is {BCE_LABEL:g} (yes), but a sigmoid output says the probability of yes is "
    f"only {BCE_PREDICTION}. What is the binary cross-entropy loss of this one prediction?",
    expected=lambda: BinaryCrossEntropy().value(_column([BCE_PREDICTION]), _column([BCE_LABEL])),
    tolerance=1e-4,
    hint="For label 1 the loss is -log(p), with the natural logarithm (np.log).",
    solution="""
p = 0.01          # predicted probability of "yes"
y = 1.0           # the label
answer = -(y * np.log(p) + (1 - y) * np.log(1 - p))    # = -log(0.01)
""",
)

EXERCISES = [sum_absolute_error, sum_squared_error, best_constant_sae, bce_confident_wrong]
