"""Exercises for lesson 9: debugging back-propagation.

Each exercise repairs one exhibit of ``nnlib.bug_zoo``. The learner writes the
corrected function; the check puts it into a zoo layer in place of the step
it repairs and runs the detector that caught the bug:

- exhibits 1-4: ``gradcheck_layer`` must grade every row "good";
- exhibits 5-6: training must give exactly the loss curve of the correct zoo
  (which falls at every step).

Feedback says which row of gradcheck is still wrong, or what the loss curve
did, never just "wrong".
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from nnlib import bug_zoo as zoo
from nnlib.activation import sigmoid
from nnlib.exercises import CORRECT, INCORRECT, Exercise, Feedback
from nnlib.gradcheck import gradcheck_layer

LEARNING_RATE, STEPS = 2.0, 300  # the training run of exhibits 5 and 6


def _inputs(batch, n_in, seed):
    return np.random.default_rng(seed).standard_normal((batch, n_in))


def _not_a_function(answer, signature):
    if callable(answer):
        return None
    return Feedback(INCORRECT, f"expected a function {signature}, got "
                               f"{type(answer).__name__}; pass the function itself, no brackets.")


def _returns_array(fn, args, shape, name):
    """None if ``fn(*args)`` gives a finite array of ``shape``, else a Feedback saying why not."""
    try:
        with np.errstate(all="ignore"):
            out = fn(*args)
    except Exception as exc:  # the learner's code: report it, don't crash the lesson
        return Feedback(INCORRECT, f"your {name} raised {type(exc).__name__}: {exc}")
    if out is ...:
        return Feedback(INCORRECT, f"your {name} still returns ...: replace the ... in its "
                                   "body with your code.")
    if not isinstance(out, np.ndarray):
        return Feedback(INCORRECT, f"your {name} returned {type(out).__name__}, "
                                   f"expected a numpy array of shape {shape}.")
    if out.shape != shape:
        return Feedback(INCORRECT, f"your {name} returned shape {out.shape}, expected {shape} "
                                   "(a gradient has the shape of what it belongs to).")
    return None


def _gradcheck_feedback(models, X_list, fixed):
    """Run gradcheck on each model; correct only if every row of every report is good."""
    for model, X in zip(models, X_list, strict=True):
        try:
            with np.errstate(all="ignore"):
                report = gradcheck_layer(model, X)
        except Exception as exc:  # the learner's code ran inside backward
            return Feedback(INCORRECT, f"back-propagation with your function raised "
                                       f"{type(exc).__name__}: {exc}")
        bad = [(name, err, grade) for name, _, err, grade in report.rows if grade != "good"]
        if bad:
            rows = ", ".join(f"{name} (rel. error {err:.1e})" for name, err, _ in bad)
            return Feedback(INCORRECT, f"gradcheck still says {bad[0][2]} for {rows} "
                                       f"on {model!r} with a batch of {X.shape[0]}.")
    return Feedback(CORRECT, f"gradcheck grades every row good: {fixed}")


# ------------------------------------------------------- 1. the sigmoid's slope
def _check_sigmoid_backward(answer):
    problem = _not_a_function(answer, "sigmoid_backward(grad_A, Z, A)")
    if problem is not None:
        return problem
    Z = _inputs(4, 3, 11)
    problem = _returns_array(answer, (np.ones((4, 3)), Z, sigmoid(Z)), (4, 3),
                             "sigmoid_backward")
    if problem is not None:
        return problem
    layer = zoo.ZooDense(3, 3, seed=1)
    # the learner's function replaces the layer's step back through its activation
    layer.activation_backward = lambda dA, Z, A, activation: answer(dA, Z, A)
    return _gradcheck_feedback([layer], [_inputs(4, 3, 0)],
                               "weights, bias and input gradients are all right again.")


fix_sigmoid_slope = Exercise(
    "fix_sigmoid_slope",
    "Exhibit 1: write sigmoid_backward(grad_A, Z, A) that returns dL/dZ, the gradient "
    "grad_A passed back through the sigmoid A = sigmoid(Z). All three are (batch, n) arrays.",
    check=_check_sigmoid_backward,
    hint="The sigmoid's slope is s (1 - s) where s is the sigmoid's OUTPUT, and the output is "
         "already there: it is A. Multiply grad_A by that slope, element by element.",
    solution="""
def sigmoid_backward(grad_A, Z, A):
    return grad_A * A * (1 - A)

answer = sigmoid_backward
""",
)


# ----------------------------------------------------- 2. the weight gradient
def _check_weight_gradient(answer):
    problem = _not_a_function(answer, "weight_gradient(X, grad_Z)")
    if problem is not None:
        return problem
    problem = _returns_array(answer, (_inputs(5, 4, 12), _inputs(5, 2, 13)), (4, 2),
                             "weight_gradient for X (5, 4) and grad_Z (5, 2)")
    if problem is not None:
        return problem
    square, wide = zoo.ZooDense(3, 3, seed=1), zoo.ZooDense(4, 2, seed=2)
    square.weight_gradient = answer
    wide.weight_gradient = answer
    return _gradcheck_feedback([square, wide], [_inputs(4, 3, 0), _inputs(5, 4, 1)],
                               "on a square layer and on a 4 -> 2 layer.")


fix_weight_gradient = Exercise(
    "fix_weight_gradient",
    "Exhibit 2: write weight_gradient(X, grad_Z) that returns dL/dW for a layer with inputs "
    "X (batch, n_in) and dL/dZ = grad_Z (batch, n_out). The result has W's shape (n_in, n_out).",
    check=_check_weight_gradient,
    hint="W[i, j] connects input i to node j, so its gradient adds up x_i * dz_j over the "
         "examples. Which matrix product gives an (n_in, n_out) result from X and grad_Z?",
    solution="""
def weight_gradient(X, grad_Z):
    return X.T @ grad_Z

answer = weight_gradient
""",
)


# ------------------------------------------------------- 3. the bias gradient
def _check_bias_gradient(answer):
    problem = _not_a_function(answer, "bias_gradient(grad_Z)")
    if problem is not None:
        return problem
    problem = _returns_array(answer, (_inputs(5, 3, 14),), (3,),
                             "bias_gradient for grad_Z of shape (5, 3)")
    if problem is not None:
        return problem
    layer = zoo.ZooDense(3, 3, seed=1)
    layer.bias_gradient = lambda dZ, mode: answer(dZ)  # the zoo's bias is one per node
    return _gradcheck_feedback([layer], [_inputs(5, 3, 0)],
                               "the bias gradient collects every example of the batch.")


fix_bias_gradient = Exercise(
    "fix_bias_gradient",
    "Exhibit 3: write bias_gradient(grad_Z) that returns dL/db from dL/dZ = grad_Z of shape "
    "(batch, n_out). The result has the bias's shape (n_out,).",
    check=_check_bias_gradient,
    hint="Each bias is added into its node's sum for every example, and the loss adds up "
         "the examples: so its gradient collects dZ from every row. Sum over axis 0.",
    solution="""
def bias_gradient(grad_Z):
    return grad_Z.sum(axis=0)

answer = bias_gradient
""",
)


# ---------------------------------------------- 4. accumulate, don't overwrite
def _check_add_gradients(answer):
    problem = _not_a_function(answer, "add_gradients(layer, grad_weights, grad_bias)")
    if problem is not None:
        return problem
    layer = zoo.ZooDense(3, 3, seed=1)
    try:
        answer(layer, np.ones((3, 3)), np.ones(3))
    except Exception as exc:  # the learner's code
        return Feedback(INCORRECT, f"your add_gradients raised {type(exc).__name__}: {exc}")
    if not (isinstance(layer.grad_weights, np.ndarray) and np.array_equal(
            layer.grad_weights, np.ones((3, 3)))):
        return Feedback(INCORRECT, "after one call on a layer with zero gradients, "
                                   "layer.grad_weights should hold what you were given; "
                                   "change the layer's arrays, don't return new ones.")
    chain = zoo.used_twice(size=3, seed=1)
    chain.layers[0].store_gradients = functools.partial(answer, chain.layers[0])
    verdict = _gradcheck_feedback([chain], [_inputs(4, 3, 0)],
                                  "both uses of the shared layer now count.")
    if not verdict:
        verdict.message += " Each use of the layer must ADD its share to the earlier ones."
    return verdict


fix_accumulation = Exercise(
    "fix_accumulation",
    "Exhibit 4: write add_gradients(layer, grad_weights, grad_bias) that puts one backward "
    "pass's gradients into layer.grad_weights and layer.grad_bias so that a layer used twice "
    "gets the share of both uses.",
    check=_check_add_gradients,
    hint="Replacing the stored gradient forgets the other use. Add to it, in place, with +=.",
    solution="""
def add_gradients(layer, grad_weights, grad_bias):
    layer.grad_weights += grad_weights
    layer.grad_bias += grad_bias

answer = add_gradients
""",
)


# --------------------------------------------------------- 5. the update's sign
def _reference_losses():
    X, y = zoo.zoo_data()
    return zoo.train_zoo(zoo.zoo_network(), X, y, LEARNING_RATE, STEPS)


def _curve_feedback(losses, fixed):
    """Compare a loss curve with the correct zoo's and describe how it differs."""
    expected = _reference_losses()
    n = len(expected)
    if len(losses) == n and np.allclose(losses, expected, rtol=1e-9, atol=1e-12):
        return Feedback(CORRECT, f"{fixed} The loss falls from {losses[0]:.4f} to "
                                 f"{losses[-1]:.4f} in {n} steps, at every step.")
    if len(losses) < n:
        return Feedback(INCORRECT, f"the loss blew up to infinity after {len(losses)} steps.")
    ups = int(np.sum(np.diff(losses) > 0))
    if losses[-1] > losses[0]:
        return Feedback(INCORRECT, f"the loss climbed from {losses[0]:.4f} to "
                                   f"{losses[-1]:.4f}: the steps go uphill.")
    if ups > 0:
        return Feedback(INCORRECT, f"the loss went up in {ups} of {n - 1} steps and ended at "
                                   f"{losses[-1]:.4f} (the correct training ends at "
                                   f"{expected[-1]:.4f}, falling at every step).")
    if abs(losses[-1] - expected[-1]) > 1e-4:
        return Feedback(INCORRECT, f"the loss ended at {losses[-1]:.4f}, but the correct "
                                   f"training reaches {expected[-1]:.4f} in {n} steps.")
    k = int(np.argmax(~np.isclose(losses, expected, rtol=1e-9, atol=1e-12)))
    return Feedback(INCORRECT, f"the loss curve differs from the correct training's: at step "
                               f"{k + 1} yours is {losses[k]:.6f}, the correct one "
                               f"{expected[k]:.6f}.")


def _check_step(answer):
    problem = _not_a_function(answer, "step(layer, learning_rate)")
    if problem is not None:
        return problem
    layer = zoo.ZooDense(3, 3, seed=1)
    layer.grad_weights[:] = _inputs(3, 3, 15)
    layer.grad_bias[:] = np.arange(1.0, 4.0)
    before = layer.weights.copy(), layer.bias.copy()
    try:
        with np.errstate(all="ignore"):
            answer(layer, 0.5)
    except Exception as exc:  # the learner's code
        return Feedback(INCORRECT, f"your step raised {type(exc).__name__}: {exc}")
    for name, old, grad in [("weights", before[0], layer.grad_weights),
                            ("bias", before[1], layer.grad_bias)]:
        new = getattr(layer, name)
        if isinstance(new, np.ndarray) and new.shape == old.shape:
            if np.allclose(new, old + 0.5 * grad):
                return Feedback(INCORRECT, f"layer.{name} moved WITH its gradient (uphill); "
                                           "it should move against it.")
            if np.allclose(new, old - grad):
                return Feedback(INCORRECT, f"layer.{name} moved by the whole gradient; "
                                           "multiply it by the learning rate first.")
            if np.allclose(new, old):
                return Feedback(INCORRECT, f"layer.{name} did not change.")
    network = zoo.zoo_network()
    for each in network.distinct:
        each.step = functools.partial(answer, each)
    X, y = zoo.zoo_data()
    try:
        losses = zoo.train_zoo(network, X, y, LEARNING_RATE, STEPS)
    except Exception as exc:  # the learner's code
        return Feedback(INCORRECT, f"training with your step raised {type(exc).__name__}: {exc}")
    return _curve_feedback(losses, "your step goes downhill.")


fix_step = Exercise(
    "fix_step",
    "Exhibit 5: write step(layer, learning_rate) that updates layer.weights and layer.bias "
    "(in place) with one gradient-descent step, using layer.grad_weights and layer.grad_bias.",
    check=_check_step,
    hint="The gradient points uphill; gradient descent moves the other way: "
         "subtract learning_rate times the gradient, for the weights and for the bias.",
    solution="""
def step(layer, learning_rate):
    layer.weights -= learning_rate * layer.grad_weights
    layer.bias -= learning_rate * layer.grad_bias

answer = step
""",
)


# ------------------------------------------------------ 6. reset every step
def _check_training_step(answer):
    problem = _not_a_function(answer, "training_step(model, X, y, learning_rate)")
    if problem is not None:
        return problem
    X, y = zoo.zoo_data()
    network = zoo.zoo_network()
    try:
        with np.errstate(all="ignore"):
            first = answer(network, X, y, LEARNING_RATE)
    except Exception as exc:  # the learner's code
        return Feedback(INCORRECT, f"your training_step raised {type(exc).__name__}: {exc}")
    if first is ...:
        return Feedback(INCORRECT, "your training_step still returns ...: replace the ... "
                                   "with your code.")
    if isinstance(first, bool) or not isinstance(first, numbers.Real):
        return Feedback(INCORRECT, f"your training_step returned {type(first).__name__}; "
                                   "it should return the loss, a number.")
    try:
        losses = zoo.train_zoo(zoo.zoo_network(), X, y, LEARNING_RATE, STEPS, step_fn=answer)
    except Exception as exc:  # the learner's code
        return Feedback(INCORRECT, f"training with your training_step raised "
                                   f"{type(exc).__name__}: {exc}")
    verdict = _curve_feedback(losses, "every step starts from fresh gradients.")
    if not verdict and len(losses) == STEPS and np.any(np.diff(losses) > 0):
        verdict.message += (" Full-batch steps with a good learning rate never do that; "
                            "are old gradients still in the layers?")
    return verdict


fix_reset = Exercise(
    "fix_reset",
    "Exhibit 6: write training_step(model, X, y, learning_rate) - one full training step of a "
    "zoo model with the loss zoo.mse - that returns the loss (computed before the update).",
    check=_check_training_step,
    hint="Start every step with model.zero_grad(); then forward, loss (zoo.mse returns the "
         "value and the gradient), backward, step, and return the value.",
    solution="""
from nnlib import bug_zoo as zoo
from nnlib.activation import sigmoid

def training_step(model, X, y, learning_rate):
    model.zero_grad()
    output = model.forward(X)
    loss, grad_output = zoo.mse(output, y)
    model.backward(grad_output)
    model.step(learning_rate)
    return loss

answer = training_step
""",
)


EXERCISES = [fix_sigmoid_slope, fix_weight_gradient, fix_bias_gradient, fix_accumulation,
             fix_step, fix_reset]
