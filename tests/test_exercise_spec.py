"""The declarative exercise spec: forms, slips, the guard around a learner's function,
points and the autograder's test."""

import numpy as np
import pytest

from nnlib.exercises import (
    CORRECT,
    INCORRECT,
    Array,
    Choice,
    Exercise,
    Feedback,
    Fraction,
    Function,
    NotYet,
    Number,
    Pair,
    Shape,
    WholeNumber,
    call_learner,
)


def message(exercise, answer):
    verdict = exercise.check(answer)
    assert verdict.status == INCORRECT, repr(verdict)
    return verdict.message


# ------------------------------------------------------------------ forms
def test_whole_number_shows_no_tolerance():
    ex = Exercise("n", "How many?", expected=lambda: 25, form=WholeNumber())
    assert ex.check(25) and ex.check(25.0) and ex.check(np.int64(25)) and ex.check(np.array([25]))
    assert message(ex, 26) == "26 is too high."
    assert message(ex, 24) == "24 is too low."
    assert message(ex, 24.5) == "expected a whole number, got 24.5"
    assert message(ex, "25") == "expected a whole number, got a str"


def test_an_int_expected_value_implies_a_whole_number():
    ex = Exercise("n", "How many?", expected=lambda: 7)
    assert isinstance(ex.form, WholeNumber)
    assert "tolerance" not in message(ex, 9)


def test_whole_number_range():
    ex = Exercise("d", "Which digit?", expected=4, form=WholeNumber(0, 9))
    assert "from 0 to 9" in message(ex, 12)


@pytest.mark.parametrize("answer", [float("nan"), np.float64("nan"), np.array([np.nan])])
def test_nan_is_not_a_number_not_too_low(answer):
    text = message(Exercise("x", "?", expected=0.5), answer)
    assert "not a number" in text and "too low" not in text and "too high" not in text


def test_nan_inside_an_array_is_named():
    text = message(Exercise("a", "?", expected=np.zeros(2)), np.array([0.0, np.nan]))
    assert "nan: not a number" in text


def test_fraction_refuses_a_percentage_and_numbers_outside_zero_one():
    ex = Exercise("f", "?", expected=lambda: 349 / 359, form=Fraction())
    assert ex.check(0.972) and ex.check(349 / 359)
    assert "percentage" in message(ex, 97.2)
    assert "between 0 and 1" in message(ex, -0.2)
    assert message(ex, 0.5) == "0.5000 is too low."


def test_pair_says_which_element_is_off():
    ex = Exercise("p", "?", expected=lambda: (3, 10), form=Pair())
    assert ex.check((3, 10)) and ex.check([3, 10]) and ex.check(np.array([3, 10]))
    assert message(ex, (3, 14)) == "the first (3) is right; the second (14) is too high."
    assert message(ex, (2, 10)) == "the first (2) is too low; the second (10) is right."
    assert message(ex, (1, 2, 3)) == "expected a pair such as (3, 5), got a tuple of length 3"
    assert message(ex, ("a", 2)) == "the first element: expected a whole number, got a str"


def test_unordered_pair_accepts_either_order_and_a_set():
    ex = Exercise("p", "?", expected=(1, 6), form=Pair(unordered=True))
    assert ex.check((6, 1)) and ex.check({1, 6}) and ex.check([1, 6])
    assert "either order" in message(ex, (1, 7))


def test_shape():
    ex = Exercise("s", "?", expected=(32, 16), form=Shape())
    assert ex.check((32, 16)) and ex.check([32, 16])
    assert "the rows (32) are right; the columns (10) are off" in message(ex, (32, 10))
    assert "has 3 sizes" in message(ex, (32, 16, 1))
    assert "answer with a shape" in message(ex, 16)


def test_array_with_tolerance():
    ex = Exercise("a", "?", expected=np.array([0.5, 0.25]), form=Array(tolerance=1e-3))
    assert ex.check([0.5004, 0.2498])
    assert "1 of 2 values are off" in message(ex, [0.5, 0.3])


def test_choice_ignores_case_and_spaces():
    ex = Exercise("c", "?", expected="B", form=Choice("ABC"))
    assert ex.check(" b ")
    assert message(ex, "A") == "A is not the answer; have another look."
    assert "the choices are" in message(ex, "D")
    assert "expected a label" in message(ex, 2)


# ------------------------------------------------------------------ slips
def test_slips_are_values_compared_in_the_form_or_predicates():
    calls = []

    def slips():
        calls.append(1)
        return [(32, "that also counts the biases."),
                (lambda answer: isinstance(answer, float) and 0 < answer < 1,
                 lambda answer: f"{answer} looks like a probability.")]

    ex = Exercise("w", "?", expected=lambda: 25, form=WholeNumber(), slips=slips)
    assert calls == []                              # computed on first use, once
    assert message(ex, 32.0) == "that also counts the biases."
    assert message(ex, 0.3) == "0.3 looks like a probability."   # tried on a wrong form too
    assert message(ex, 31) == "31 is too high."
    assert calls == [1]


def test_a_correct_answer_wins_over_a_slip():
    ex = Exercise("x", "?", expected=1.0, slips=[(1.0, "never shown")])
    assert ex.check(1.0)


def test_well_done_extends_the_correct_message():
    ex = Exercise("x", "?", expected=2, well_done="Two edges.")
    assert repr(ex.check(2)) == "[correct] 2 is right. Two edges."


# ------------------------------------------------------------ the guard
def no_return(x):
    x * 2                                            # noqa: B018 (the slip under test)


def placeholder_body(x):
    ...


def test_guard_names_a_missing_return():
    with pytest.raises(NotYet, match=r"returned nothing \(None\) for input 1: is a `return` "
                                     "missing?"):
        call_learner(no_return, 1)
    ex = Exercise("f", "?", reference=lambda x: 2 * x, inputs=[(1.0,)])
    assert "returned nothing (None)" in message(ex, no_return)
    assert "returned nothing (None)" in message(ex, placeholder_body)


def test_guard_reports_exceptions_with_an_explanation():
    def overflow(z):
        return np.exp(z)

    with pytest.raises(NotYet, match="FloatingPointError.*too big"):
        call_learner(overflow, np.array([1000.0]), errstate={"over": "raise"},
                     explain={FloatingPointError: "a number got too big"})
    with pytest.raises(NotYet, match="still returns ..."):
        call_learner(lambda: ...)


def test_function_form_copies_array_inputs():
    def mutating(z):
        z += 1
        return z

    ex = Exercise("f", "?", expected=lambda z: z + 1, form=Function([np.zeros(2), np.ones(2)]))
    assert ex.check(mutating)                        # the reference sees unchanged inputs


def test_custom_check_gets_the_read_answer_and_may_raise_not_yet():
    def positive_rate(rate):
        if rate <= 0:
            raise NotYet("a learning rate is a step size, a number > 0")
        return Feedback(CORRECT, "fine")

    ex = Exercise("r", "?", form=Number(), check=positive_rate)
    assert ex.check(0.5)
    assert message(ex, -1) == "a learning rate is a step size, a number > 0"
    assert message(ex, "fast") == "expected a single number, got a str"


# ------------------------------------------------------- points and grading
def test_points_default_and_validation():
    assert Exercise("x", "?", expected=1.0).points == 1
    assert Exercise("x", "?", expected=1.0, points=3).points == 3
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="points must be a whole number"):
            Exercise("x", "?", expected=1.0, points=bad)


def test_tolerance_goes_to_the_form():
    with pytest.raises(ValueError, match="give the tolerance to the form"):
        Exercise("x", "?", expected=1.0, form=Number(), tolerance=1e-3)


def test_assert_correct_is_the_autograder_test():
    ex = Exercise("w", "?", expected=lambda: 25, form=WholeNumber(),
                  slips=[(32, "that also counts the biases.")])
    assert ex.assert_correct(25)
    with pytest.raises(AssertionError, match=r"\[not yet\] that also counts the biases."):
        ex.assert_correct(32)
    with pytest.raises(AssertionError, match=r"\[not attempted\]"):
        ex.assert_correct(...)
    assert ex.test_code() == "ex.w.assert_correct(answer)"
