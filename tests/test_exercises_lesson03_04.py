"""The exercises of lessons 3 (bias) and 4 (loss): solutions pass, wrong answers don't.

For every exercise listed in ``EXERCISES``:

- its solution code, run on its own (with only ``np`` and ``nnlib`` available),
  produces an ``answer`` that the check accepts;
- a plausible wrong answer (a typical slip) is refused with a reason;
- the untouched ``...`` placeholder counts as "not attempted".
"""

import numpy as np
import pytest

from nnlib.exercises import lesson03, lesson04

ALL = [(f"lesson{module.__name__[-2:]}", ex)
       for module in (lesson03, lesson04) for ex in module.EXERCISES]

# One typical mistake per exercise.
WRONG = {
    "z_with_bias": -0.5,                 # forgot to add the bias
    "switch_on_x": -1.5,                 # b / w instead of -b / w
    "count_biases": (4, 14),             # counted the input layer too
    "sum_absolute_error": 0.29,          # squared the differences
    "sum_squared_error": 0.9,            # forgot to square
    "best_constant_sae": 7.8,            # the mean, which minimises SSE instead
    "bce_confident_wrong": 0.99,         # the absolute error, not the cross-entropy
    "which_loss": "SSE",                 # the loss the outliers drag most
}


def _ids(item):
    return f"{item[0]}.{item[1].key}"


def test_every_exercise_has_a_wrong_answer_here():
    assert sorted(WRONG) == sorted(ex.key for _, ex in ALL)


@pytest.mark.parametrize("item", ALL, ids=_ids)
def test_wrong_answer_is_refused_with_a_reason(item):
    _, ex = item
    verdict = ex.check(WRONG[ex.key])
    assert verdict.status == "incorrect", repr(verdict)
    assert repr(verdict).startswith("[not yet] ")
    assert len(verdict.message) > 10


def test_expected_values_match_the_lessons_words():
    # Spot checks by hand, independent of nnlib: z, -b/w, the counts, SAE/SSE,
    # the median and -log(0.01).
    assert lesson03.z_with_bias.expected == pytest.approx(0.2)
    assert lesson03.switch_on_x.expected == pytest.approx(1.5)
    assert lesson03.count_biases.expected == (3, 10)
    assert lesson04.sum_absolute_error.expected == pytest.approx(0.9)
    assert lesson04.sum_squared_error.expected == pytest.approx(0.29)
    assert lesson04.best_constant_sae.expected == pytest.approx(5.0)
    assert lesson04.bce_confident_wrong.expected == pytest.approx(-np.log(0.01))


def test_bce_in_base_10_gets_a_hint_about_ln():
    verdict = lesson04.bce_confident_wrong.check(-np.log10(0.01))
    assert not verdict and "natural logarithm ln" in verdict.message and "np.log" in verdict.message


def test_which_loss_is_computed_from_how_far_the_outliers_pull():
    pull = lesson04.outlier_pull()
    assert pull["SSE"] > 10 * pull["SAE"]       # the mean moves by tens of minutes, the median not
    assert lesson04.which_loss.check("sae") and not lesson04.which_loss.check("BCE")
    assert "choices" in lesson04.which_loss.check("MSE").message


def test_pairs_say_which_element_is_off():
    assert lesson03.count_biases.check((3, 9)).message == \
        "the first (3) is right; the second (9) is too low."
