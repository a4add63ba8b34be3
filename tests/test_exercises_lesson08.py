"""Lesson 8's exercises: every solution passes its own check, a plausible mistake
gets "[not yet]" with a reason, and the untouched placeholder is "not attempted"."""

import numpy as np
import pytest

import nnlib
from nnlib.exercises import lesson08 as ex

# A mistake a learner could plausibly make, and a word the reason must contain.
WRONG = {
    "n_parameters": (64 * 32 + 32 * 10, "bias"),        # the weights without the biases
    "predicted_digit": (9, "probability"),              # the runner-up
    "accuracy_fraction": (100 * 349 / 359, "percentage"),
    "most_confused_pair": ((4, 9), "times"),
}


def test_every_exercise_has_a_wrong_answer_to_try():
    assert [e.key for e in ex.EXERCISES] == list(WRONG)


@pytest.mark.parametrize("exercise", ex.EXERCISES, ids=lambda e: e.key)
def test_plausible_wrong_answer_is_not_yet_with_a_reason(exercise):
    wrong, reason = WRONG[exercise.key]
    verdict = exercise.check(wrong)
    assert not verdict
    text = repr(verdict)
    assert text.startswith("[not yet]"), text
    assert reason in text, text


@pytest.mark.parametrize("answer", ["2410", [64, 32, 10], 2410.5, True])
def test_n_parameters_rejects_non_numbers(answer):
    assert repr(ex.n_parameters.check(answer)).startswith("[not yet]")


def test_n_parameters_accepts_a_float_with_a_whole_value():
    assert ex.n_parameters.check(2410.0)


def test_predicted_digit_row_is_a_probability_distribution():
    assert ex.PROBABILITIES.shape == (10,)
    assert np.isclose(ex.PROBABILITIES.sum(), 1.0)
    # the runner-up is close, so reading the row carefully matters
    top, runner_up = np.sort(ex.PROBABILITIES)[::-1][:2]
    assert top - runner_up < 0.15


def test_predicted_digit_explains_a_probability_given_instead_of_a_digit():
    verdict = ex.predicted_digit.check(float(ex.PROBABILITIES.max()))
    assert "probability" in repr(verdict) and not verdict


def test_accuracy_fraction_explains_the_error_rate():
    n_right, n_test = ex.lesson_test_counts()
    assert "wrong" in repr(ex.accuracy_fraction.check((n_test - n_right) / n_test))


def test_accuracy_fraction_accepts_rounding_to_three_decimals():
    assert ex.accuracy_fraction.check(round(349 / 359, 3))


def test_most_confused_pair_accepts_either_order_and_a_set():
    a, b = ex.most_confused_pair.solve()
    assert ex.most_confused_pair.check((b, a))
    assert ex.most_confused_pair.check({a, b})
    assert ex.most_confused_pair.check(np.array([a, b]))


@pytest.mark.parametrize("answer", [3, (3, 3), (1, 2, 3), ("a", "b"), (1, 12)])
def test_most_confused_pair_rejects_malformed_pairs(answer):
    assert repr(ex.most_confused_pair.check(answer)).startswith("[not yet]")


def test_expected_values_come_from_nnlib():
    assert ex.n_parameters.expected == nnlib.Network.from_sizes([64, 32, 10]).n_parameters
    n_right, n_test = ex.lesson_test_counts()
    assert n_test == len(nnlib.load_digits().y_test)
    counts = ex.pair_counts()
    assert (counts == counts.T).all() and (np.diag(counts) == 0).all()
    assert (counts == counts.max()).sum() == 2, "the most confused pair must be unique"


def test_accuracy_question_uses_the_numbers_the_lesson_prints():
    """The lesson prints "(349 of 359 test images)"; the question must say the same."""
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parent.parent / "lessons" / "08_digits_project.ipynb"
    outputs = "".join("".join(out.get("text", "")) for cell in
                      json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                      if cell["cell_type"] == "code" for out in cell["outputs"])
    n_right, n_test = ex.lesson_test_counts()
    assert f"({n_right} of {n_test} test images)" in outputs
    assert f"{n_right} of the {n_test} test images" in ex.accuracy_fraction.question
    assert ex.accuracy_fraction.check(n_right / n_test)


def test_the_lesson_run_is_the_notebooks_run():
    from nnlib import digits_project

    net, data = digits_project.lesson_run()
    again = digits_project.digits_network()
    digits_project.train_digits(again, data)
    assert np.array_equal(again.predict(data.X_test), net.predict(data.X_test))
    confusion = digits_project.lesson_confusion()
    assert confusion.sum() == len(data.y_test) and confusion.shape == (10, 10)
