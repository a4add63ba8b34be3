"""Exercises for lesson 8: the handwritten-digits project.

Every expected value is computed by nnlib itself: the parameter count by a
``Network``, the probabilities by ``nnlib.loss.probabilities``, and the test
accuracy and confusion counts by the lesson's own training run
(``nnlib.digits_project``, the same function the notebook calls), so the
numbers in the questions are the numbers the lesson printed.
"""

from __future__ import annotations

import numpy as np

from nnlib import digits_project as project
from nnlib.exercises import Exercise, Fraction, Pair, WholeNumber
from nnlib.loss import probabilities

SIZES = project.SIZES


# ------------------------------------------------------------------ n_parameters
def _n_parameters() -> int:
    return project.digits_network().n_parameters


def _n_parameters_slips():
    n_weights = sum(a * b for a, b in zip(SIZES, SIZES[1:], strict=False))
    first_layer = SIZES[0] * SIZES[1]
    return [
        (n_weights, f"{n_weights} counts the weights only. Every hidden and every output node "
                    "also has its own bias."),
        (first_layer, f"{first_layer} is the first layer's weights only; add its biases and "
                      "the weights and biases from the hidden layer to the output layer."),
        (first_layer + SIZES[1], f"{first_layer + SIZES[1]} is the first layer only; add the "
                                 "weights and biases from the hidden layer to the output layer."),
        (_n_parameters() + SIZES[0], "that gives the input nodes a bias too; they only hold "
                                     "the pixel values, so they have none."),
    ]


n_parameters = Exercise(
    "n_parameters",
    f"How many parameters (weights and biases, one bias per node) does a "
    f"{'-'.join(str(s) for s in SIZES)} network have?",
    title="Count the parameters",
    expected=_n_parameters,
    form=WholeNumber(),
    slips=_n_parameters_slips,
    advice="Count each layer separately: weights (inputs x nodes) plus one bias per node.",
    well_done="That many numbers for training to tune.",
    hint="Between two layers with a and b nodes there are a * b weights (one per edge) and "
         "b biases (one per node of the second layer). Do it for both layers and add.",
)

# --------------------------------------------------------------- predicted_digit
# The scores (logits) a network gave one image; the learner sees the probabilities.
LOGITS = (0.3, -1.2, 0.5, 1.1, 3.1, -0.4, 0.2, 1.6, 0.9, 2.8)
PROBABILITIES = probabilities(np.array([LOGITS]))[0]

predicted_digit = Exercise(
    "predicted_digit",
    "`ex.PROBABILITIES` holds the 10 probabilities a network gave one image "
    "(position k = digit k). Which digit does the network predict?",
    title="Read the prediction",
    expected=lambda: int(np.argmax(PROBABILITIES)),
    form=WholeNumber(0, 9, ordered=False),
    slips=[(lambda answer: isinstance(answer, float) and 0 < answer < 1,
            lambda answer: f"{answer} looks like a probability. The answer is a digit: the "
                           "position (0 to 9) of the largest one.")],
    advice=lambda digit: f"Digit {digit} has probability {PROBABILITIES[digit]:.3f}; another "
                         "digit has a larger one.",
    well_done="Its probability is the largest in the row.",
    hint="The prediction is the digit with the largest probability. Positions count from 0, "
         "so the first number belongs to digit 0.",
)


# ------------------------------------------------------------- accuracy_fraction
def lesson_test_counts() -> tuple[int, int]:
    """(right, all) on the test images for the lesson's trained network."""
    confusion = project.lesson_confusion()
    return int(np.trace(confusion)), int(confusion.sum())


def _accuracy_slips():
    n_right, n_test = lesson_test_counts()
    n_train = len(project.lesson_run()[1].y_train)
    return [
        ((n_test - n_right) / n_test, "that is the fraction the network got wrong (the error "
                                      "rate), not the fraction it got right."),
        (n_right / n_train, f"that divides by the {n_train} training images; the accuracy "
                            "here is on the test images."),
    ]


accuracy_fraction = Exercise(
    "accuracy_fraction",
    lambda: "In section 5 the trained network classified {} of the {} test images "
            "correctly. What is its test accuracy, as a fraction between 0 and 1?".format(
                *lesson_test_counts()),
    title="Test accuracy as a fraction",
    expected=lambda: lesson_test_counts()[0] / lesson_test_counts()[1],
    form=Fraction(tolerance=1e-3),
    slips=_accuracy_slips,
    advice="Divide the number of correct predictions by the number of test images.",
    hint="Accuracy = correct predictions / all predictions. How many test images are there? "
         "`len(y_test)` tells you.",
)


# ----------------------------------------------------------- most_confused_pair
def pair_counts() -> np.ndarray:
    """counts[a, b] = how often a was read as b or b as a (a != b); zero on the diagonal."""
    confusion = project.lesson_confusion()
    both_ways = confusion + confusion.T
    np.fill_diagonal(both_ways, 0)
    return both_ways


def _most_confused() -> tuple:
    counts = pair_counts()
    a, b = np.unravel_index(np.argmax(counts), counts.shape)
    return (int(a), int(b))


def _mixed_up(pair) -> str:
    count = int(pair_counts()[pair])
    return (f"{pair[0]} and {pair[1]} are mixed up {count} {'time' if count == 1 else 'times'} "
            "in all (both directions added); another pair is mixed up more often.")


most_confused_pair = Exercise(
    "most_confused_pair",
    "In the lesson's confusion matrix, which two digits does the network mix up most often? "
    "Count both directions (a read as b, and b read as a) and answer with a pair such as "
    "(3, 5), in either order.",
    title="The most confused pair",
    expected=_most_confused,
    form=Pair(WholeNumber(0, 9), unordered=True),
    slips=[(lambda answer: isinstance(answer, (tuple, list)) and len(answer) == 2
            and answer[0] == answer[1],
            "that is the diagonal: those are the images the network got right. Look off the "
            "diagonal.")],
    advice=_mixed_up,
    well_done="They are mixed up more often than any other pair.",
    hint="confusion[a, b] counts true a read as b. The pair {a, b} is mixed up "
         "confusion[a, b] + confusion[b, a] times: add the matrix to its transpose "
         "(confusion + confusion.T), ignore the diagonal and find the largest entry.",
)

EXERCISES = [n_parameters, predicted_digit, accuracy_fraction, most_confused_pair]
