"""Exercises for lesson 9: debugging back-propagation.

Each exercise repairs one exhibit of ``nnlib.bug_zoo``. The learner writes the
corrected step; the check puts it into a zoo layer in place of the step it
repairs and runs the detector that caught the bug:

- exhibits 1-3 (``Repair``): ``gradcheck_layer`` must grade every row "good",
  on layers chosen so the bug cannot hide (a batch of several examples, a layer
  that is not square);
- exhibit 4: the same, on a layer used twice;
- exhibits 5-6: training must give exactly the loss curve of the correct zoo
  (which falls at every step).

Every call of the learner's code, and every detector run with it plugged in,
goes through ``call_learner``: an exception is a reason, never a traceback.
Feedback says which row of gradcheck is still wrong, or what the loss curve
did, never just "wrong"; typical slips of exhibit 5 are (test, message) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial

import numpy as np

from nnlib import bug_zoo as zoo
from nnlib.activation import sigmoid
from nnlib.exercises import Exercise, Function, NotYet, call_learner, type_name
from nnlib.exercises.forms import is_number, right, wrong
from nnlib.gradcheck import gradcheck_layer

LEARNING_RATE, STEPS = 2.0, 300  # the training run of exhibits 5 and 6


def _inputs(batch, n_in, seed):
    return np.random.default_rng(seed).standard_normal((batch, n_in))


def _in_place(fn, *args, name):
    """Call a learner's function that changes its arguments in place (returning nothing is fine)."""
    def run():
        result = fn(*args)
        return "done" if result is None else result

    return call_learner(run, name=name)


# ----------------------------------------------------------------- the detectors
def _gradcheck_verdict(models, fixed):
    """Gradcheck each ``(model, X)``; right only if every row of every report is good."""
    for model, X in models:
        report = call_learner(gradcheck_layer, model, X,
                              name="back-propagation with your function",
                              where=f"on {model!r} with a batch of {X.shape[0]}")
        bad = [(name, err, grade) for name, _, err, grade in report.rows if grade != "good"]
        if bad:
            rows = ", ".join(f"{name} (rel. error {err:.1e})" for name, err, _ in bad)
            return wrong(f"gradcheck still says {bad[0][2]} for {rows} "
                         f"on {model!r} with a batch of {X.shape[0]}.")
    return right(f"gradcheck grades every row good: {fixed}")


@cache
def _reference_losses() -> tuple:
    X, y = zoo.zoo_data()
    return tuple(zoo.train_zoo(zoo.zoo_network(), X, y, LEARNING_RATE, STEPS))


def _training_verdict(train, fixed):
    """Run ``train()`` (the zoo's training run with the learner's code in it) and compare its
    loss curve with the correct zoo's, describing how it differs."""
    losses = call_learner(train, name="training with your function")
    expected = _reference_losses()
    n = len(expected)
    if len(losses) == n and np.allclose(losses, expected, rtol=1e-9, atol=1e-12):
        return right(f"{fixed} The loss falls from {losses[0]:.4f} to {losses[-1]:.4f} in "
                     f"{n} steps, at every step.")
    if len(losses) < n:
        return wrong(f"the loss blew up to infinity after {len(losses)} steps.")
    ups = int(np.sum(np.diff(losses) > 0))
    if losses[-1] > losses[0]:
        return wrong(f"the loss climbed from {losses[0]:.4f} to {losses[-1]:.4f}: the steps "
                     "go uphill.")
    if ups > 0:
        return wrong(f"the loss went up in {ups} of {n - 1} steps and ended at "
                     f"{losses[-1]:.4f} (the correct training ends at {expected[-1]:.4f}, "
                     "falling at every step).")
    if abs(losses[-1] - expected[-1]) > 1e-4:
        return wrong(f"the loss ended at {losses[-1]:.4f}, but the correct training reaches "
                     f"{expected[-1]:.4f} in {n} steps.")
    k = int(np.argmax(~np.isclose(losses, expected, rtol=1e-9, atol=1e-12)))
    return wrong(f"the loss curve differs from the correct training's: at step {k + 1} yours "
                 f"is {losses[k]:.6f}, the correct one {expected[k]:.6f}.")


# ------------------------------------------------------- exhibits 1-3: one step each
@dataclass
class Repair:
    """A repaired backward step, checked by gradcheck with the learner's function in place.

    ``plug(layer, answer)`` puts the answer into a zoo layer in place of the
    step ``name``; ``probe`` is one call of the answer on its own (described
    by ``probe_desc``) whose result must have ``shape``; ``layers`` lists the
    ``(n_in, n_out, batch)`` of the layers gradchecked; ``fixed`` is said when
    all are good.
    """

    name: str
    plug: object
    probe: tuple
    probe_desc: str
    shape: tuple
    layers: list
    fixed: str

    def form(self, argnames) -> Function:
        """The answer's form: a function (tried on the probe inputs by ``check``)."""
        return Function([self.probe], name=f"your {self.name}", argnames=argnames)

    def check(self, answer):
        out = call_learner(answer, *self.probe, name=f"your {self.name}",
                           where=f"for {self.probe_desc}")
        said = f"your {self.name} (for {self.probe_desc}) returned"
        if not isinstance(out, np.ndarray):
            raise NotYet(f"{said} {type_name(out)}, expected a numpy array of shape "
                         f"{self.shape}.")
        if out.shape != self.shape:
            raise NotYet(f"{said} shape {out.shape}, expected {self.shape} (a gradient has "
                         "the shape of what it belongs to).")
        models = []
        for k, (n_in, n_out, batch) in enumerate(self.layers):
            layer = zoo.ZooDense(n_in, n_out, seed=k + 1)
            self.plug(layer, answer)
            models.append((layer, _inputs(batch, n_in, k)))
        return _gradcheck_verdict(models, self.fixed)


def _plug_activation(layer, answer):
    layer.activation_backward = lambda dA, Z, A, activation: answer(dA, Z, A)


def _plug_weight_gradient(layer, answer):
    layer.weight_gradient = answer


def _plug_bias_gradient(layer, answer):
    layer.bias_gradient = lambda dZ, mode: answer(dZ)  # the zoo's bias: one per node


_Z = _inputs(4, 3, 11)
SLOPE = Repair("sigmoid_backward", _plug_activation, (np.ones((4, 3)), _Z, sigmoid(_Z)),
               "grad_A, Z, A of shape (4, 3)", (4, 3), [(3, 3, 4)],
               "weights, bias and input gradients are all right again.")
WEIGHTS = Repair("weight_gradient", _plug_weight_gradient, (_inputs(5, 4, 12), _inputs(5, 2, 13)),
                 "X (5, 4) and grad_Z (5, 2)", (4, 2), [(3, 3, 4), (4, 2, 5)],
                 "on a square layer and on a 4 -> 2 layer.")
BIAS = Repair("bias_gradient", _plug_bias_gradient, (_inputs(5, 3, 14),),
              "grad_Z of shape (5, 3)", (3,), [(3, 3, 5)],
              "the bias gradient collects every example of the batch.")

fix_sigmoid_slope = Exercise(
    "fix_sigmoid_slope",
    "Exhibit 1: write sigmoid_backward(grad_A, Z, A) that returns dL/dZ, the gradient "
    "grad_A passed back through the sigmoid A = sigmoid(Z). All three are (batch, n) arrays.",
    title="Repair the sigmoid's slope",
    form=SLOPE.form("grad_A Z A"),
    check=SLOPE.check,
    hint="The sigmoid's slope is s (1 - s) where s is the sigmoid's OUTPUT, and the output is "
         "already there: it is A. Multiply grad_A by that slope, element by element.",
)

fix_weight_gradient = Exercise(
    "fix_weight_gradient",
    "Exhibit 2: write weight_gradient(X, grad_Z) that returns dL/dW for a layer with inputs "
    "X (batch, n_in) and dL/dZ = grad_Z (batch, n_out). The result has W's shape (n_in, n_out).",
    title="Repair the weight gradient",
    form=WEIGHTS.form("X grad_Z"),
    check=WEIGHTS.check,
    hint="W[i, j] connects input i to node j, so its gradient adds up x_i * dz_j over the "
         "examples. Which matrix product gives an (n_in, n_out) result from X and grad_Z?",
)

fix_bias_gradient = Exercise(
    "fix_bias_gradient",
    "Exhibit 3: write bias_gradient(grad_Z) that returns dL/db from dL/dZ = grad_Z of shape "
    "(batch, n_out). The result has the bias's shape (n_out,).",
    title="Repair the bias gradient",
    form=BIAS.form("grad_Z"),
    check=BIAS.check,
    hint="Each bias is added into its node's sum for every example, and the loss adds up "
         "the examples: so its gradient collects dZ from every row. Sum over axis 0.",
)


# ---------------------------------------------- 4. accumulate, don't overwrite
def _check_add_gradients(answer):
    layer = zoo.ZooDense(3, 3, seed=1)
    _in_place(answer, layer, np.ones((3, 3)), np.ones(3), name="your add_gradients")
    if not (isinstance(layer.grad_weights, np.ndarray)
            and np.array_equal(layer.grad_weights, np.ones((3, 3)))):
        raise NotYet("after one call on a layer with zero gradients, layer.grad_weights "
                     "should hold what you were given; change the layer's arrays, don't "
                     "return new ones.")
    network = zoo.used_twice(size=3, seed=1)
    network.layers[0].store_gradients = partial(answer, network.layers[0])
    return _gradcheck_verdict([(network, _inputs(4, 3, 0))],
                              "both uses of the shared layer now count.")


fix_accumulation = Exercise(
    "fix_accumulation",
    "Exhibit 4: write add_gradients(layer, grad_weights, grad_bias) that puts one backward "
    "pass's gradients into layer.grad_weights and layer.grad_bias so that a layer used twice "
    "gets the share of both uses.",
    title="Add up, don't overwrite",
    form=Function([()], name="your add_gradients"),
    check=_check_add_gradients,
    advice="Each use of the layer must ADD its share to the earlier ones.",
    hint="Replacing the stored gradient forgets the other use. Add to it, in place, with +=.",
)


# --------------------------------------------------------- 5. the update's sign
def _one_step(answer):
    """``(layer before, layer after)`` of one learner step with known gradients, or None."""
    layer = zoo.ZooDense(3, 3, seed=1)
    layer.grad_weights[:] = _inputs(3, 3, 15)
    layer.grad_bias[:] = np.arange(1.0, 4.0)
    before = {"weights": layer.weights.copy(), "bias": layer.bias.copy()}
    try:
        _in_place(answer, layer, 0.5, name="your step")
    except NotYet:
        return None
    return before, layer


def _moved(answer, how):
    """Which parameter ("weights" or "bias") one step moved to ``how(old, grad)``, or None."""
    if not callable(answer) or (result := _one_step(answer)) is None:
        return None
    before, layer = result
    for name, grad in (("weights", layer.grad_weights), ("bias", layer.grad_bias)):
        new = getattr(layer, name)
        if (isinstance(new, np.ndarray) and new.shape == before[name].shape
                and np.allclose(new, how(before[name], grad))):
            return name
    return None


def _step_slip(how, says):
    """A slip of exhibit 5 as a (test, message) pair: one step moved a parameter by ``how``."""
    return (lambda answer: _moved(answer, how) is not None,
            lambda answer: f"layer.{_moved(answer, how)} {says}")


def _check_step(answer):
    _in_place(answer, zoo.ZooDense(3, 3, seed=1), 0.5, name="your step")
    network = zoo.zoo_network()
    for layer in network.distinct:
        layer.step = partial(answer, layer)
    X, y = zoo.zoo_data()
    return _training_verdict(lambda: zoo.train_zoo(network, X, y, LEARNING_RATE, STEPS),
                             "your step goes downhill.")


fix_step = Exercise(
    "fix_step",
    "Exhibit 5: write step(layer, learning_rate) that updates layer.weights and layer.bias "
    "(in place) with one gradient-descent step, using layer.grad_weights and layer.grad_bias.",
    title="Step downhill",
    form=Function([()], name="your step"),
    check=_check_step,
    slips=[
        _step_slip(lambda old, grad: old + 0.5 * grad,
                   "moved WITH its gradient (uphill); it should move against it."),
        _step_slip(lambda old, grad: old - grad,
                   "moved by the whole gradient; multiply it by the learning rate first."),
        _step_slip(lambda old, grad: old, "did not change: change it in place, with -=."),
    ],
    hint="The gradient points uphill; gradient descent moves the other way: "
         "subtract learning_rate times the gradient, for the weights and for the bias.",
)


# ------------------------------------------------------ 6. reset every step
def _check_training_step(answer):
    X, y = zoo.zoo_data()
    first = call_learner(answer, zoo.zoo_network(), X, y, LEARNING_RATE,
                         name="your training_step", where="on the zoo's network")
    if not is_number(first):
        raise NotYet(f"your training_step returned {type_name(first)}; it should return the "
                     "loss, a number.")
    verdict = _training_verdict(
        lambda: zoo.train_zoo(zoo.zoo_network(), X, y, LEARNING_RATE, STEPS, step_fn=answer),
        "every step starts from fresh gradients.")
    if not verdict and "went up in" in verdict.message:
        verdict.message += (" Full-batch steps with a good learning rate never do that; "
                            "are old gradients still in the layers?")
    return verdict


fix_reset = Exercise(
    "fix_reset",
    "Exhibit 6: write training_step(model, X, y, learning_rate) - one full training step of a "
    "zoo model with the loss zoo.mse - that returns the loss (computed before the update).",
    title="Reset every step",
    form=Function([()], name="your training_step"),
    check=_check_training_step,
    hint="Start every step with model.zero_grad(); then forward, loss (zoo.mse returns the "
         "value and the gradient), backward, step, and return the value.",
)


EXERCISES = [fix_sigmoid_slope, fix_weight_gradient, fix_bias_gradient, fix_accumulation,
             fix_step, fix_reset]
