"""Exercises for lesson 5: back-propagation.

The neuron of every exercise here is the lesson's: one input ``x``, one weight
``w``, one bias ``b``, a sigmoid, and the squared error of one example,

    z = w x + b,   a = sigmoid(z),   L = (a - y)^2.

Every expected value is computed by nnlib itself (a one-neuron ``Network``,
its ``backward`` and ``sgd_step``), never typed in by hand.
"""

from __future__ import annotations

import numpy as np

from nnlib.activation import sigmoid
from nnlib.activation import sigmoid_derivative as _sigmoid_derivative
from nnlib.exercises import Exercise, Function, NotYet, Number, call_learner
from nnlib.layer import Dense
from nnlib.learning_rate import sgd_step
from nnlib.loss import SumSquaredError
from nnlib.network import Network

#: Answers rounded to 4 significant digits count (relative tolerance 1e-3).
ROUNDED = Number(tolerance=1e-3)


def neuron(w, b):
    """A network of one sigmoid neuron with one input, weight ``w`` and bias ``b``."""
    layer = Dense(1, 1, activation="sigmoid", seed=0)
    layer.weights[0, 0] = w
    layer.bias[0] = b
    return Network([layer])


def _gradients(x, w, b, y):
    """(a, dL/da, dL/dw, dL/db) for the neuron, from nnlib's forward and backward."""
    net = neuron(w, b)
    a = net.forward(np.array([[x]]))
    _, dL_da = SumSquaredError()(a, np.array([[y]]))
    net.backward(dL_da)
    layer = net.layers[0]
    return a.item(), dL_da.item(), layer.grad_weights.item(), layer.grad_bias.item()


def _same_function(fn, reference) -> bool:
    """Does the learner's ``fn`` give what ``reference`` gives on a few inputs?"""
    z = np.array([-2.0, 0.0, 1.5])
    try:
        return bool(np.allclose(call_learner(fn, z.copy()), reference(z)))
    except (NotYet, TypeError, ValueError):
        return False


# ------------------------------------------------------------------ 1. dL/da
_A, _Y = 0.3, 1.0


def _loss_slope():
    _, grad = SumSquaredError()(np.array([[_A]]), np.array([[_Y]]))
    return grad.item()


loss_slope = Exercise(
    "loss_slope",
    f"The neuron outputs a = {_A} for an example whose label is y = {_Y:g}. With "
    "L = (a - y)^2, what is dL/da?",
    title="The slope of the loss",
    expected=_loss_slope,
    form=ROUNDED,
    slips=lambda: [
        ((_A - _Y) ** 2, "that is the loss L itself; the question asks for its slope dL/da."),
        (-_loss_slope(), "right size, wrong sign: a is below y, so making a bigger makes the "
                         "loss smaller - the slope is negative."),
        (_A - _Y, "the factor 2 is missing: the derivative of u^2 is 2u."),
    ],
    hint="The derivative of (a - y)^2 with respect to a is 2 (a - y). Mind the sign.",
)


# ------------------------------------------------------- 2. the chain rule
_X2, _W2, _B2, _Y2 = 2.0, -0.5, 0.3, 0.0


def _chain_dw():
    return _gradients(_X2, _W2, _B2, _Y2)[2]


def _chain_without_sigmoid():
    _, dL_da, _, _ = _gradients(_X2, _W2, _B2, _Y2)
    return dL_da * _X2


chain_rule_dw = Exercise(
    "chain_rule_dw",
    f"A sigmoid neuron has input x = {_X2}, weight w = {_W2}, bias b = {_B2} and label "
    f"y = {_Y2:g}. With L = (a - y)^2, what is dL/dw? Multiply the three local slopes "
    "dL/da * da/dz * dz/dw.",
    title="The chain rule for a weight",
    expected=_chain_dw,
    form=ROUNDED,
    slips=lambda: [
        (_chain_without_sigmoid(),
         "the sigmoid's slope da/dz = a (1 - a) is missing from the product."),
        (_gradients(_X2, _W2, _B2, _Y2)[3],
         "that is dL/db: for the weight the last factor is dz/dw = x, not 1."),
        (-_chain_dw(),
         "right size, wrong sign: check a - y (here a is above y, so it is positive)."),
    ],
    hint="Forward first: z = w x + b, a = sigmoid(z). Then dL/da = 2 (a - y), "
         "da/dz = a (1 - a), dz/dw = x. Multiply them.",
)


# ------------------------------------------------ 3. the sigmoid's derivative
sigmoid_slope = Exercise(
    "sigmoid_slope",
    "Write a function my_sigmoid_derivative(z) that returns the slope of the sigmoid at z "
    "(a number or a numpy array, element by element). Use sigmoid'(z) = s (1 - s) "
    "with s = sigmoid(z).",
    title="The sigmoid's slope",
    expected=_sigmoid_derivative,
    form=Function([0.0, 2.0, np.array([-3.0, -0.5, 0.0, 0.5, 3.0]),
                   np.array([[1.0, -1.0], [6.0, -6.0]])], argnames="z"),
    slips=[(lambda f: _same_function(f, sigmoid),
            "your function returns the sigmoid itself; its slope is s (1 - s).")],
    points=2,                       # writing a function that works for every input
    hint="Compute s = 1 / (1 + np.exp(-z)) first, then return s * (1 - s). np.exp works "
         "on whole arrays.",
)


# ----------------------------------------------------------- 4. the update
_X4, _W4, _B4, _Y4, _LR4 = 1.5, 0.8, -0.5, 1.0, 0.5


def _updated_weight(sign=-1.0, lr=_LR4):
    net = neuron(_W4, _B4)
    output = net.forward(np.array([[_X4]]))
    _, grad = SumSquaredError()(output, np.array([[_Y4]]))
    net.backward(grad)
    if sign < 0:
        sgd_step(net, lr)
        return net.layers[0].weights.item()
    return _W4 + lr * net.layers[0].grad_weights.item()


update_step = Exercise(
    "update_step",
    f"Take the lesson's neuron (x = {_X4}, w = {_W4}, b = {_B4}, label y = {_Y4:g}) and a "
    f"learning rate of {_LR4}. After one gradient-descent update, what is the new weight w?",
    title="One update step",
    expected=_updated_weight,
    form=ROUNDED,
    slips=lambda: [
        (_W4, "that is the weight before the update; move it by -learning rate * dL/dw."),
        (_updated_weight(sign=+1.0), "you added the gradient: that walks uphill and makes the "
                                     "loss bigger. Subtract learning rate * gradient."),
        (_updated_weight(lr=1.0),
         "that is w - gradient: multiply the gradient by the learning rate first."),
    ],
    hint="First compute dL/dw for this neuron (forward, then the chain rule), then "
         "w_new = w - learning_rate * dL/dw.",
)


EXERCISES = [loss_slope, chain_rule_dw, sigmoid_slope, update_step]
