"""Exercises for lesson 4: loss.

Every expected value is computed with nnlib's own loss functions
(``nnlib.loss``), so the exercises and the library can never disagree.
"""

from __future__ import annotations

import numpy as np

from nnlib.exercises import Choice, Exercise, Number
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
    title="Sum of absolute errors",
    expected=lambda: SumAbsoluteError().value(_column(OUTPUTS), _column(LABELS)),
    form=Number(),
    slips=lambda: [
        (SumSquaredError().value(_column(OUTPUTS), _column(LABELS)),
         "that is the sum of the SQUARED differences; here drop the signs instead."),
        (float(np.sum(np.subtract(OUTPUTS, LABELS))),
         "the signs cancel: take the absolute value of each difference before adding."),
    ],
    hint="Subtract label from output for each example, drop the signs, add the three numbers.",
)

sum_squared_error = Exercise(
    "sum_squared_error",
    f"Same outputs {OUTPUTS} and labels {LABELS}. "
    "What is the sum of the squared differences (SSE)?",
    title="Sum of squared errors",
    expected=lambda: SumSquaredError().value(_column(OUTPUTS), _column(LABELS)),
    form=Number(),
    slips=lambda: [
        (SumAbsoluteError().value(_column(OUTPUTS), _column(LABELS)),
         "that is the sum of the absolute differences; square each difference instead."),
    ],
    hint="Square each difference before adding: 0.2 becomes 0.04.",
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
    title="The best constant under SAE",
    expected=_best_constant_sae,
    form=Number(),
    slips=[(float(np.mean(MEASUREMENTS)),
            "that is the mean, the best constant under the SQUARED error. Under SAE the 20 "
            "pulls no harder than any other point.")],
    hint="Not the mean: the 20 would drag it up. Sort the numbers and think about what "
         "happens to the SAE when c moves one step past a data point.",
)

# -------------------------------------------------------- bce_confident_wrong
BCE_PREDICTION = 0.01
BCE_LABEL = 1.0

bce_confident_wrong = Exercise(
    "bce_confident_wrong",
    f"The label is {BCE_LABEL:g} (yes), but a sigmoid output says the probability of yes is "
    f"only {BCE_PREDICTION}. What is the binary cross-entropy loss of this one prediction?",
    title="Confident and wrong",
    expected=lambda: BinaryCrossEntropy().value(_column([BCE_PREDICTION]), _column([BCE_LABEL])),
    form=Number(tolerance=1e-4),
    slips=[
        (-np.log10(BCE_PREDICTION),
         "that is the base-10 logarithm. Cross-entropy uses the natural logarithm ln "
         "(np.log in numpy, log on most calculators is log10): -ln(0.01) = 2 ln 10."),
        (np.log(BCE_PREDICTION), "right size, wrong sign: the loss is MINUS ln(p), a positive "
                                 "number."),
        (abs(BCE_LABEL - BCE_PREDICTION),
         "that is the absolute error. Cross-entropy is -ln(p) for a label of 1."),
    ],
    hint="For label 1 the loss is -ln(p), with the natural logarithm ln (np.log in numpy).",
)

# ------------------------------------------------------------------ which_loss
#: The task: delivery times in minutes, a few of them recorded hours too late.
DELIVERY_MINUTES = (31.0, 28.0, 35.0, 30.0, 33.0, 29.0, 32.0, 30.0)
FORGOTTEN = (260.0, 245.0)  # two drivers forgot to press "delivered" for hours
LOSSES = {"SAE": SumAbsoluteError(), "SSE": SumSquaredError()}


def _best_constant(values, loss) -> float:
    """The constant prediction c (on a 0.1-minute grid) with the smallest loss, by nnlib."""
    y = _column(values)
    grid = np.arange(0.0, max(values) + 0.1, 0.1)
    return float(min(grid, key=lambda c: loss.value(np.full_like(y, c), y)))


def outlier_pull() -> dict:
    """How far the best constant moves, under each loss, when the two outliers are added."""
    return {name: abs(_best_constant(DELIVERY_MINUTES + FORGOTTEN, loss)
                      - _best_constant(DELIVERY_MINUTES, loss))
            for name, loss in LOSSES.items()}


def _robust_loss() -> str:
    pull = outlier_pull()
    return min(pull, key=pull.get)


which_loss = Exercise(
    "which_loss",
    f"A network predicts delivery times in minutes. Most recorded times are like "
    f"{DELIVERY_MINUTES}, but a few, like {FORGOTTEN}, are hours off: the driver forgot to "
    "press 'delivered'. You want those few records not to drag the predictions for all the "
    'others. Which loss do you train with: "SAE", "SSE" or "BCE"?',
    title="Which loss for this task?",
    expected=_robust_loss,
    form=Choice(["SAE", "SSE", "BCE"]),
    slips=lambda: [
        ("SSE", f"squaring makes the far-off records dominate: with the two forgotten times "
                f"the best constant under SSE moves by {outlier_pull()['SSE']:.0f} minutes, "
                f"under SAE by {outlier_pull()['SAE']:.1f}."),
        ("BCE", "binary cross-entropy is for yes/no labels (0 or 1) and outputs that are "
                "probabilities; delivery times are neither."),
    ],
    hint="Section 5: which loss chose the median and which the mean, and which of the two "
         "did the outlier drag?",
)

EXERCISES = [sum_absolute_error, sum_squared_error, best_constant_sae, bce_confident_wrong,
             which_loss]
