"""Exercise checks (nnlib.exercises): verdicts, reasons, tolerance, function exercises,
hints and solutions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.exercises import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Exercise,
    Feedback,
    compare,
)


def verdict(feedback):
    return feedback.status, repr(feedback)


# ------------------------------------------------------------ single values


def test_correct_number():
    ex = Exercise("z", "Compute z.", expected=2.5)
    fb = ex.check(2.5)
    assert fb.status == CORRECT and bool(fb)
    assert repr(fb).startswith("[correct] ")
    assert ex.check(np.float64(2.5))
    assert ex.check(np.array([2.5]))  # a one-element array is a number too
    assert ex.check(5 / 2)


@given(expected=st.floats(-1e6, 1e6), offset=st.floats(0.0, 0.9))
def test_within_tolerance_is_correct(expected, offset):
    """The tolerance is absolute below 1 and relative above."""
    tol = 1e-6
    allowed = tol * max(1.0, abs(expected))
    assert compare(expected + offset * allowed, expected, tol)
    assert compare(expected - offset * allowed, expected, tol)


@given(expected=st.floats(-1e6, 1e6), factor=st.floats(2.0, 1e3))
def test_too_high_and_too_low(expected, factor):
    tol = 1e-6
    off = factor * tol * max(1.0, abs(expected))
    high = compare(expected + off, expected, tol)
    low = compare(expected - off, expected, tol)
    assert high.status == low.status == INCORRECT
    assert not high and not low
    assert "too high" in high.message and "too low" in low.message
    assert "(tolerance 1e-06)" in high.message
    assert repr(high).startswith("[not yet] ")


def test_tolerance_of_an_exercise():
    ex = Exercise("rough", "Roughly 10.", expected=10.0, tolerance=0.1)
    assert ex.check(10.9)  # 0.1 relative of 10 is 1.0
    assert "too high" in ex.check(11.5).message
    assert "too low" in ex.check(8.0).message


def test_non_finite_number():
    nan = compare(float("nan"), 1.0).message
    assert "not a number" in nan and "too" not in nan   # NaN is neither too high nor too low
    assert "not a finite number" in compare(float("inf"), 1.0).message


def test_expected_value_is_computed_once_on_first_use():
    calls = []

    def compute():
        calls.append(1)
        return 0.75

    ex = Exercise("lazy", "?", expected=compute)
    assert calls == []
    assert ex.check(0.75) and ex.check(0.75)
    assert ex.expected == 0.75
    assert calls == [1]


def test_zero_d_array_expected_is_a_number():
    assert compare(2.0, np.array(2.0))
    assert "too low" in compare(1.0, np.array(2.0)).message


# ---------------------------------------------------------- wrong type/shape


def test_wrong_shape():
    fb = compare(np.zeros((3, 1)), np.zeros(3))
    assert fb.status == INCORRECT
    assert fb.message == "expected shape (3,), got (3, 1)"
    assert compare(np.zeros((1, 3)), np.zeros((3, 1))).message == \
        "expected shape (3, 1), got (1, 3)"


@pytest.mark.parametrize("answer, expected, message", [
    ("0.5", 0.5, "expected a single number, got a str"),
    ([0.5], 0.5, "expected a single number, got a list"),
    (True, 1.0, "expected a single number, got a bool"),
    (1j, 1.0, "expected a single number, got a complex"),
    (np.zeros(3), 0.5, "expected a single number, got a numpy array of shape (3,)"),
    (5, np.zeros(3), "expected an array of shape (3,), got an int"),
    ({"a": 1}, np.zeros(2), "expected an array of shape (2,), got a dict"),
    (["a", "b"], np.zeros(2), "expected numbers, got an array of dtype <U1"),
    ([[1, 2], [3]], np.zeros((2, 2)),
     "expected an array of shape (2, 2), got a list whose rows differ in length"),
    (1, True, "expected a bool, got an int"),
    (3, "three", "expected a str, got an int"),
])
def test_wrong_type(answer, expected, message):
    fb = compare(answer, expected)
    assert fb.status == INCORRECT
    assert fb.message == message


def test_bools_and_strings():
    assert compare(True, True) and compare(np.bool_(False), False)
    assert compare("sigmoid", "sigmoid")
    fb = compare("relu", "sigmoid")
    assert fb.status == INCORRECT and "'relu' is not the answer" in fb.message


# -------------------------------------------------------------------- arrays


def test_arrays():
    expected = np.array([1.0, 2.0, 3.0])
    assert compare([1.0, 2.0, 3.0], expected)  # lists are fine
    assert compare((1, 2, 3), expected)
    assert compare(expected + 1e-9, expected)
    fb = compare(np.array([1.0, 5.0, 3.0]), expected)
    assert fb.status == INCORRECT
    assert fb.message == ("1 of 3 values are off (tolerance 1e-06); first at index (1,): "
                          "yours is 5.")
    fb = compare(np.array([[0.0, 9.0], [9.0, 0.0]]), np.zeros((2, 2)))
    assert fb.message.startswith("2 of 4 values are off") and "index (0, 1)" in fb.message
    assert not compare(np.array([np.nan, 2.0, 3.0]), expected)


# -------------------------------------------------------------- not attempted


@pytest.mark.parametrize("answer", [..., None])
def test_not_attempted(answer):
    for ex in [Exercise("a", "?", expected=1.0),
               Exercise("f", "?", reference=abs, inputs=[(1,)]),
               Exercise("c", "?", check=lambda a: Feedback(CORRECT, "ok"))]:
        fb = ex.check(answer)
        assert fb.status == NOT_ATTEMPTED and not fb
        assert repr(fb) == ("[not attempted] replace the ... with your answer, "
                            "then run this cell again.")


# ------------------------------------------------------------ function answers


def square_sum(x, y):
    return x * x + y


FUNCTION_EXERCISE = Exercise("fn", "Write f(x, y) = x^2 + y.", reference=square_sum,
                             inputs=[(1.0, 2.0), (np.array([1.0, -2.0]), 0.5), (0.0, 0.0)])


def test_correct_function():
    fb = FUNCTION_EXERCISE.check(lambda x, y: x ** 2 + y)
    assert fb.status == CORRECT
    assert fb.message == "your function agrees on all 3 test inputs."


def test_wrong_function_names_the_input():
    fb = FUNCTION_EXERCISE.check(lambda x, y: abs(x) * x + y)  # wrong for negative x only
    assert fb.status == INCORRECT
    assert fb.message == ("for input [ 1. -2.], 0.5: 1 of 2 values are off (tolerance 1e-06); "
                          "first at index (1,): yours is -3.5.")


def test_function_that_raises():
    fb = FUNCTION_EXERCISE.check(lambda x, y: x / 0.0 if isinstance(x, float) else 1 / 0)
    assert fb.status == INCORRECT
    assert fb.message.startswith("your function raised ZeroDivisionError: ")
    assert "for input 1., 2." in fb.message


def test_function_with_the_wrong_signature():
    fb = FUNCTION_EXERCISE.check(lambda x: x)
    assert "your function raised TypeError" in fb.message


def test_not_a_function():
    fb = FUNCTION_EXERCISE.check(3)
    assert fb.status == INCORRECT
    assert fb.message == "expected a function (its name, without brackets), got an int"
    assert FUNCTION_EXERCISE.expected is None


def test_custom_check():
    ex = Exercise("even", "An even number.",
                  check=lambda a: Feedback(CORRECT if a % 2 == 0 else INCORRECT, "checked"))
    assert ex.check(4) and not ex.check(3)


# ------------------------------------------------------ hints, solutions, setup


def test_hint_and_solution_text():
    ex = Exercise("w", "What is w?", expected=1.0, hint="look at the first column",
                  solution="\n  w = W[0, 0]\n\n")
    assert repr(ex.hint()) == "Hint: look at the first column"
    assert repr(ex.solution()) == "Solution:\nw = W[0, 0]"
    assert ex.hint().text == "Hint: look at the first column"
    assert repr(ex) == "Exercise w: What is w?"


def test_exactly_one_way_to_check():
    with pytest.raises(ValueError, match="give exactly one of expected=, reference= or check="):
        Exercise("x", "?")
    with pytest.raises(ValueError, match="exactly one"):
        Exercise("x", "?", expected=1.0, check=lambda a: Feedback(CORRECT, ""))
    with pytest.raises(ValueError, match=r"reference= needs inputs="):
        Exercise("x", "?", reference=abs)


def test_feedback_truthiness():
    assert Feedback(CORRECT, "")
    assert not Feedback(INCORRECT, "")
    assert not Feedback(NOT_ATTEMPTED, "")
    assert verdict(Feedback(INCORRECT, "why")) == (INCORRECT, "[not yet] why")
