"""Every exercise of lesson 9: its solution fixes the exhibit, the exhibit's bug does not.

For each exercise in ``EXERCISES``:

- the solution code, run on its own (with only ``np`` and ``nnlib``), checks as correct,
  and so does the zoo's own correct method;
- the zoo's planted bug, and other usual slips, check as "[not yet]" with a reason;
- the ``...`` placeholder (and a function whose body is still ``...``) is not accepted.
"""


import numpy as np
import pytest

from nnlib import bug_zoo as zoo
from nnlib.activation import Sigmoid
from nnlib.exercises import Exercise, lesson09


def _sigmoid_step(cls):
    """A zoo layer's step back through the sigmoid, as sigmoid_backward(grad_A, Z, A)."""
    return lambda grad_A, Z, A: cls.activation_backward(grad_A, Z, A, Sigmoid())


def _bias_step(cls):
    """A zoo layer's bias-gradient step, as bias_gradient(grad_Z)."""
    return lambda grad_Z: cls.bias_gradient(grad_Z, "node")


def _as_layer_function(cls, name):
    """A zoo method as a function of (layer, ...), as the exercises 4 and 5 ask for."""
    method = getattr(cls, name)
    return lambda layer, *args: method(layer, *args)


def _step_only_weights(layer, learning_rate):
    layer.weights -= learning_rate * layer.grad_weights


def _step_without_rate(layer, learning_rate):
    layer.weights -= layer.grad_weights
    layer.bias -= layer.grad_bias


def _step_too_small(layer, learning_rate):
    layer.weights -= 0.1 * learning_rate * layer.grad_weights
    layer.bias -= 0.1 * learning_rate * layer.grad_bias


def _step_not_in_place(layer, learning_rate):
    return layer.weights - learning_rate * layer.grad_weights


def _returns_new_arrays(layer, grad_weights, grad_bias):
    return layer.grad_weights + grad_weights, layer.grad_bias + grad_bias


def _training_step_returns_nothing(model, X, y, learning_rate):
    zoo.training_step(model, X, y, learning_rate)


def _training_step_loss_after_update(model, X, y, learning_rate):
    zoo.training_step(model, X, y, learning_rate)
    return zoo.mse(model.forward(X), y)[0]


def _placeholder_body(*args):
    return ...


CORRECT_METHODS = {
    "fix_sigmoid_slope": _sigmoid_step(zoo.ZooDense),
    "fix_weight_gradient": zoo.ZooDense.weight_gradient,
    "fix_bias_gradient": _bias_step(zoo.ZooDense),
    "fix_accumulation": _as_layer_function(zoo.ZooDense, "store_gradients"),
    "fix_step": _as_layer_function(zoo.ZooDense, "step"),
    "fix_reset": zoo.training_step,
}

WRONG = {
    "fix_sigmoid_slope": [
        _sigmoid_step(zoo.WrongSigmoidSlope),  # the planted bug
        lambda grad_A, Z, A: A * (1 - A),  # forgot grad_A
        lambda grad_A, Z, A: grad_A * A,  # half the slope
        lambda grad_A, Z, A: grad_A,  # no slope at all
        _placeholder_body, 0.25, "A * (1 - A)",
    ],
    "fix_weight_gradient": [
        zoo.TransposedWeightGradient.weight_gradient,  # the planted bug
        lambda X, grad_Z: X.T @ grad_Z / len(X),  # averaged
        lambda X, grad_Z: (X.T @ grad_Z).T,  # transposed after all
        lambda X, grad_Z: np.ones((X.shape[1], grad_Z.shape[1])),
        _placeholder_body, "X.T @ grad_Z",
    ],
    "fix_bias_gradient": [
        _bias_step(zoo.AveragedBiasGradient),  # the planted bug
        lambda grad_Z: grad_Z[0],  # the first example only
        lambda grad_Z: grad_Z,  # not summed at all
        lambda grad_Z: grad_Z.sum(axis=1),  # summed the wrong way
        lambda grad_Z: grad_Z.sum(),  # one number
        _placeholder_body,
    ],
    "fix_accumulation": [
        _as_layer_function(zoo.OverwritingGradients, "store_gradients"),  # the planted bug
        _returns_new_arrays,
        lambda layer, grad_weights, grad_bias: None,
        _placeholder_body,
    ],
    "fix_step": [
        _as_layer_function(zoo.UphillStep, "step"),  # the planted bug
        _step_only_weights, _step_without_rate, _step_too_small, _step_not_in_place,
        _placeholder_body, 0.1,
    ],
    "fix_reset": [
        zoo.training_step_without_reset,  # the planted bug
        _training_step_returns_nothing, _training_step_loss_after_update, _placeholder_body,
        "model.zero_grad()",
    ],
}

EXERCISES = lesson09.EXERCISES
IDS = [ex.key for ex in EXERCISES]


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_zoos_correct_method_is_correct(exercise):
    assert exercise.check(CORRECT_METHODS[exercise.key]), exercise.key


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_wrong_answers_get_a_reason(exercise):
    for wrong in WRONG[exercise.key]:
        feedback = exercise.check(wrong)
        text = repr(feedback)
        assert not feedback, f"{exercise.key}: {wrong!r} was accepted"
        assert text.startswith("[not yet] "), text
        assert len(text) > len("[not yet] ") + 20, text


def test_gradcheck_feedback_names_the_row_and_its_error():
    text = repr(lesson09.fix_weight_gradient.check(lambda X, grad_Z: X.T @ grad_Z / len(X)))
    assert "wrong for weights (rel. error" in text and "bias" not in text
    text = repr(lesson09.fix_weight_gradient.check(zoo.TransposedWeightGradient.weight_gradient))
    assert "returned shape (2, 4), expected (4, 2)" in text  # caught on a 4 -> 2 layer
    text = repr(lesson09.fix_bias_gradient.check(_bias_step(zoo.AveragedBiasGradient)))
    assert "wrong for bias (rel. error 6.7e-01)" in text  # batch of 5: (5 - 1) / (5 + 1)


def test_loss_curve_feedback_says_what_the_curve_did():
    assert "uphill" in repr(lesson09.fix_step.check(_as_layer_function(zoo.UphillStep, "step")))
    text = repr(lesson09.fix_reset.check(zoo.training_step_without_reset))
    assert "went up in" in text and "old gradients" in text


def test_learner_code_that_misbehaves_never_warns_or_crashes():
    # pytest turns warnings into errors: an overflowing answer must come back as feedback
    def explode(grad_A, Z, A):
        return grad_A * np.exp(1000 * Z)

    assert not lesson09.fix_sigmoid_slope.check(explode)

    def raises(X, grad_Z):
        raise KeyError("oops")

    assert "raised KeyError" in repr(lesson09.fix_weight_gradient.check(raises))


def test_exercise_list_is_complete():
    defined = [v for v in vars(lesson09).values() if isinstance(v, Exercise)]
    assert len(lesson09.EXERCISES) == 6
    assert {id(e) for e in defined} == {id(e) for e in lesson09.EXERCISES}
    keys = [e.key for e in lesson09.EXERCISES]
    assert len(set(keys)) == len(keys)
    assert set(keys) == set(WRONG) == set(CORRECT_METHODS)


def test_step_slips_name_the_parameter_and_what_it_did():
    check = lesson09.fix_step.check
    assert "layer.bias did not change" in repr(check(_step_only_weights))
    assert "layer.weights moved by the whole gradient" in repr(check(_step_without_rate))
    assert "layer.weights did not change" in repr(check(_step_not_in_place))
    assert check(_step_without_rate).slip and not check(_step_too_small).slip


def test_every_exhibit_is_repaired_in_the_step_it_breaks():
    """The checks plug the answer into the very step the exhibit replaces: the planted
    bug, given back as an answer, fails exactly the rows gradcheck showed in the lesson."""
    text = repr(lesson09.fix_sigmoid_slope.check(_sigmoid_step(zoo.WrongSigmoidSlope)))
    assert all(row in text for row in ("weights (rel. error 8.9e-01)", "bias", "input"))
    text = repr(lesson09.fix_bias_gradient.check(_bias_step(zoo.AveragedBiasGradient)))
    assert "weights" not in text and "input" not in text
