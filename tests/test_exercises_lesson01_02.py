"""The exercises of lessons 1 (layers and nodes) and 2 (forward propagation).

For every exercise listed in ``EXERCISES``:

- its solution code, run on its own (with only ``np`` and ``nnlib`` available),
  produces an ``answer`` that the check accepts;
- plausible wrong answers (typical slips) are refused with a reason;
- the untouched ``...`` placeholder counts as "not attempted";
- the lesson's notebook has a cell that checks it, stored as "not attempted".
"""

import warnings

import numpy as np
import pytest

import nnlib
from nnlib.exercises import lesson01, lesson02

ALL = [(module, ex) for module in (lesson01, lesson02) for ex in module.EXERCISES]


def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _flipped_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))


# Typical mistakes per exercise, each with a word the reason must contain.
WRONG = {
    "count_weights": [(32, "biases"), (30, "paths"), (10, "nodes"), (26, "too high")],
    "n_weights": [
        (lambda sizes: sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)),
         "too high"),
        (lambda sizes: sizes[0] * sizes[-1], "for input"),
        (42, "function"),
    ],
    "input_nodes": [(56, "sides"), (28, "row"), (785, "too high")],
    "image_to_inputs": [
        (np.array([0, 8, 16, 4]), "scaled"),
        (np.array([[0, 0.5], [1, 0.25]]), "flatten"),
        (np.array([0, 1, 0.5, 0.25]), "column by column"),
        (np.array([0, 0.5, 1]), "shape"),
    ],
    "weighted_sum": [
        (np.array([0.3, -0.35, 0.8]), "products"),
        (0.679178699175393, "sigmoid"),
        (0.85, "too high"),
    ],
    "sigmoid_value": [(0.1192, "MINUS"), (0.1353, "exp(-z)"), (2.0, "squashes"),
                      (0.85, "too low")],
    "my_sigmoid": [
        (_naive_sigmoid, "overflow"),
        (_flipped_sigmoid, "for z ="),
        (lambda z: 1 / (1 + np.exp(z)), "for z ="),
        (0.5, "function"),
    ],
    "weight_entry": [((1, 2), "FROM"), ((3, 2), "from 0"), ((0, 0), "W[i, j] joins"),
                     (7, "pair")],
    "layer_output_shape": [((16, 32), "rows are examples"), ((64, 16), "weight matrix"),
                           ((32, 64), "input X"), ((32, 10), "(batch, n_out)"),
                           (16, "shape")],
}

WRONG_CASES = [(ex, wrong, reason) for _, ex in ALL for wrong, reason in WRONG[ex.key]]


def test_every_exercise_has_wrong_answers_here():
    assert sorted(WRONG) == sorted(ex.key for _, ex in ALL)


@pytest.mark.parametrize("case", WRONG_CASES,
                         ids=[f"{ex.key}-{i}" for i, (ex, _, _) in enumerate(WRONG_CASES)])
def test_wrong_answer_is_refused_with_a_reason(case):
    ex, wrong, reason = case
    verdict = ex.check(wrong)
    assert verdict.status == "incorrect", repr(verdict)
    assert repr(verdict).startswith("[not yet] ")
    assert reason in verdict.message, repr(verdict)


def test_expected_values_match_the_lessons_words():
    # Spot checks by hand, independent of nnlib.
    assert lesson01.count_weights.check(3 * 5 + 5 * 2)
    assert lesson01.input_nodes.check(784)
    assert lesson01.image_to_inputs.check(np.array([0.0, 0.5, 1.0, 0.25]))
    assert lesson02.weighted_sum.check(0.2 * 1.5 - 0.7 * 0.5 + 1.0 * 0.8)
    assert lesson02.sigmoid_value.check(0.8808)
    assert lesson02.weight_entry.check((2, 1))
    assert lesson02.layer_output_shape.check((32, 16))
    assert lesson02.layer_output_shape.check([32, 16])


def test_my_sigmoid_accepts_a_stable_sigmoid_without_warnings():
    def sigmoid(z):
        out = np.empty_like(z, dtype=float)
        positive = z >= 0
        out[positive] = 1 / (1 + np.exp(-z[positive]))
        out[~positive] = np.exp(z[~positive]) / (1 + np.exp(z[~positive]))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lesson02.my_sigmoid.check(sigmoid)
        assert lesson02.my_sigmoid.check(nnlib.sigmoid)
        verdict = lesson02.my_sigmoid.check(_naive_sigmoid)  # refused, and no warning leaks
    assert not verdict

