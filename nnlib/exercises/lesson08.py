"""Exercises for lesson 8: the handwritten-digits project.

Every expected value is computed by nnlib itself: the parameter count by a
``Network``, the probabilities by ``nnlib.loss.probabilities``, the test-set
size by ``load_digits`` and the confusion counts by training the lesson's own
seeded network again.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from nnlib.datasets import load_digits, train_test_split
from nnlib.exercises import CORRECT, INCORRECT, Exercise, Feedback, _type_name
from nnlib.gradient_descent import train
from nnlib.loss import probabilities
from nnlib.network import Network

# The lesson's network and training run (keep in step with 08_digits_project.ipynb).
SIZES = (64, 32, 10)
LEARNING_RATE = 0.5
EPOCHS = 40
BATCH_SIZE = 32


def _whole_number(answer):
    """``answer`` as an int if it is a whole number (3, 3.0, np.int64(3)), else None."""
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None
    if not np.isfinite(answer) or answer != round(answer):
        return None
    return int(round(answer))


# ------------------------------------------------------------------ n_parameters
def _n_parameters() -> int:
    return Network.from_sizes(SIZES, output_activation="linear").n_parameters


def _check_n_parameters(answer) -> Feedback:
    n = _whole_number(answer)
    if n is None:
        return Feedback(INCORRECT, f"expected a whole number, got {_type_name(answer)}")
    expected = _n_parameters()
    if n == expected:
        return Feedback(CORRECT, f"{n} is right: {expected} numbers for training to tune.")
    n_weights = sum(a * b for a, b in zip(SIZES, SIZES[1:], strict=False))
    if n == n_weights:
        return Feedback(INCORRECT, f"{n} counts the weights only. Every hidden and every "
                                   "output node also has its own bias.")
    if n in (SIZES[0] * SIZES[1], SIZES[0] * SIZES[1] + SIZES[1]):
        return Feedback(INCORRECT, f"{n} is the first layer only; add the weights and biases "
                                   "from the hidden layer to the output layer.")
    if n == expected + SIZES[0]:
        return Feedback(INCORRECT, f"{n} gives the input nodes a bias too; they only hold "
                                   "the pixel values, so they have none.")
    direction = "too high" if n > expected else "too low"
    return Feedback(INCORRECT, f"{n} is {direction}. Count each layer separately: "
                               "weights (inputs x nodes) plus one bias per node.")


n_parameters = Exercise(
    "n_parameters",
    f"How many parameters (weights and biases, one bias per node) does a "
    f"{'-'.join(str(s) for s in SIZES)} network have?",
    check=_check_n_parameters,
    hint="Between two layers with a and b nodes there are a * b weights (one per edge) and "
         "b biases (one per node of the second layer). Do it for both layers and add.",
    solution="""
hidden = 64 * 32 + 32      # weights from 64 inputs to 32 hidden nodes, plus 32 biases
output = 32 * 10 + 10      # weights from 32 hidden nodes to 10 outputs, plus 10 biases
answer = hidden + output
""",
)

# --------------------------------------------------------------- predicted_digit
# The scores (logits) a network gave one image; the learner sees the probabilities.
LOGITS = (0.3, -1.2, 0.5, 1.1, 3.1, -0.4, 0.2, 1.6, 0.9, 2.8)
PROBABILITIES = probabilities(np.array([LOGITS]))[0]


def _predicted_digit() -> int:
    return int(np.argmax(PROBABILITIES))


def _check_predicted_digit(answer) -> Feedback:
    digit = _whole_number(answer)
    if digit is None:
        if isinstance(answer, numbers.Real) and not isinstance(answer, bool) \
                and 0 < answer < 1:
            return Feedback(INCORRECT, f"{answer} looks like a probability. The answer is a "
                                       "digit: the position (0 to 9) of the largest one.")
        return Feedback(INCORRECT, f"expected a whole number from 0 to 9, got "
                                   f"{_type_name(answer)}")
    if not 0 <= digit <= 9:
        return Feedback(INCORRECT, f"{digit} is not a digit; the answer is between 0 and 9.")
    expected = _predicted_digit()
    if digit == expected:
        return Feedback(CORRECT, f"{digit} is right: its probability "
                                 f"{PROBABILITIES[digit]:.3f} is the largest in the row.")
    return Feedback(INCORRECT, f"digit {digit} has probability {PROBABILITIES[digit]:.3f}; "
                               "another digit has a larger one.")


predicted_digit = Exercise(
    "predicted_digit",
    "`ex.PROBABILITIES` holds the 10 probabilities a network gave one image "
    "(position k = digit k). Which digit does the network predict?",
    check=_check_predicted_digit,
    hint="The prediction is the digit with the largest probability. Positions count from 0, "
         "so the first number belongs to digit 0.",
    solution="""
from nnlib.exercises import lesson08 as ex

answer = int(np.argmax(ex.PROBABILITIES))    # the position of the largest probability
""",
)

# ------------------------------------------------------------- accuracy_fraction
N_CORRECT = 341


def _n_test() -> int:
    return len(load_digits(test_fraction=0.2, seed=0).y_test)


def _accuracy_fraction() -> float:
    return N_CORRECT / _n_test()


def _check_accuracy_fraction(answer) -> Feedback:
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return Feedback(INCORRECT, f"expected a single number, got {_type_name(answer)}")
    expected = _accuracy_fraction()
    if abs(answer - expected) <= 1e-3:
        return Feedback(CORRECT, f"{answer:.4f} is right: {expected:.2%} of the test images.")
    if abs(answer - 100 * expected) <= 0.1:
        return Feedback(INCORRECT, f"{answer:g} is a percentage; give the fraction, a number "
                                   "between 0 and 1.")
    if abs(answer - (1 - expected)) <= 1e-3:
        return Feedback(INCORRECT, f"{answer:.4f} is the fraction the network got wrong "
                                   "(the error rate), not the fraction it got right.")
    direction = "too high" if answer > expected else "too low"
    return Feedback(INCORRECT, f"{answer:.4f} is {direction}. Divide the number of correct "
                               "predictions by the number of test images.")


accuracy_fraction = Exercise(
    "accuracy_fraction",
    f"A network classifies {N_CORRECT} of the lesson's test images correctly. "
    "What is its test accuracy, as a fraction between 0 and 1?",
    check=_check_accuracy_fraction,
    hint="Accuracy = correct predictions / all predictions. How many test images are there? "
         "`len(y_test)` tells you.",
    solution="""
digits = nnlib.load_digits(test_fraction=0.2, seed=0)
answer = 341 / len(digits.y_test)
""",
)


# ----------------------------------------------------------- most_confused_pair
def _lesson_confusion() -> np.ndarray:
    """The lesson's seeded training run, and its confusion matrix on the test images."""
    digits = load_digits(test_fraction=0.2, seed=0)
    X_train, y_train, _, _ = train_test_split(digits.X_train, digits.y_train, 0.2, seed=1)
    net = Network.from_sizes(SIZES, activation="sigmoid", output_activation="linear", seed=0)
    train(net, X_train, y_train, loss="softmax_cross_entropy", learning_rate=LEARNING_RATE,
          epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0)
    predicted = net.predict(digits.X_test).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (digits.y_test, predicted), 1)
    return confusion


@functools.cache
def _pair_counts() -> np.ndarray:
    """counts[a, b] = how often a was read as b or b as a (a != b); zero on the diagonal."""
    confusion = _lesson_confusion()
    both_ways = confusion + confusion.T
    np.fill_diagonal(both_ways, 0)
    return both_ways



def _check_most_confused_pair(answer) -> Feedback:
    if isinstance(answer, (set, frozenset)):
        answer = sorted(answer)
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(INCORRECT, f"expected a pair of two digits such as (3, 5), got "
                                   f"{_type_name(answer)}")
    a, b = (_whole_number(x) for x in answer)
    if a is None or b is None or not (0 <= a <= 9 and 0 <= b <= 9):
        return Feedback(INCORRECT, f"both entries must be digits from 0 to 9, got {answer!r}")
    if a == b:
        return Feedback(INCORRECT, f"({a}, {b}) is the diagonal: those are the images the "
                                   "network got right. Look off the diagonal.")
    counts = _pair_counts()
    count, most = int(counts[a, b]), int(counts.max())
    if count == most:
        return Feedback(CORRECT, f"{a} and {b} are mixed up {count} times in all, more than "
                                 "any other pair.")
    return Feedback(INCORRECT, f"{a} and {b} are mixed up {count} "
                               f"{'time' if count == 1 else 'times'} in all (both directions "
                               "added); another pair is mixed up more often.")


most_confused_pair = Exercise(
    "most_confused_pair",
    "In the lesson's confusion matrix, which two digits does the network mix up most often? "
    "Count both directions (a read as b, and b read as a) and answer with a pair such as "
    "(3, 5), in either order.",
    check=_check_most_confused_pair,
    hint="confusion[a, b] counts true a read as b. The pair {a, b} is mixed up "
         "confusion[a, b] + confusion[b, a] times: add the matrix to its transpose "
         "(confusion + confusion.T), ignore the diagonal and find the largest entry.",
    solution="""
# In the lesson `confusion` already exists; rebuilt here so this runs on its own.
digits = nnlib.load_digits(test_fraction=0.2, seed=0)
X_train, y_train, _, _ = nnlib.datasets.train_test_split(
    digits.X_train, digits.y_train, test_fraction=0.2, seed=1)
net = nnlib.Network.from_sizes([64, 32, 10], activation="sigmoid",
                               output_activation="linear", seed=0)
nnlib.train(net, X_train, y_train, loss="softmax_cross_entropy", learning_rate=0.5,
            epochs=40, batch_size=32, seed=0)
predicted = net.predict(digits.X_test).argmax(axis=1)
confusion = np.zeros((10, 10), dtype=int)
for true, pred in zip(digits.y_test, predicted, strict=True):
    confusion[true, pred] += 1

both_ways = confusion + confusion.T     # a read as b plus b read as a
np.fill_diagonal(both_ways, 0)          # the diagonal holds the right answers
a, b = np.unravel_index(np.argmax(both_ways), both_ways.shape)
answer = (int(a), int(b))
""",
)

EXERCISES = [n_parameters, predicted_digit, accuracy_fraction, most_confused_pair]
