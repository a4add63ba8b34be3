"""gradcheck is strict where it matters: small mistakes fail, eps is validated."""

import importlib

import numpy as np
import pytest

from nnlib.datasets import one_hot
from nnlib.gradcheck import gradcheck, gradcheck_activation, gradcheck_layer, gradcheck_loss
from nnlib.layer import Dense
from nnlib.network import Network

gc = importlib.import_module("nnlib.gradcheck")  # the module (nnlib.gradcheck is the function)
RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 3))
Y = (RNG.random((6, 2)) > 0.5).astype(float)


def make_off_by(factor):
    class OffBy(Dense):
        """dW scaled by ``factor``: a gradient that is off by (factor - 1)."""

        @staticmethod
        def weight_gradient(X, dZ):
            return factor * (X.T @ dZ)

    return OffBy


@pytest.mark.parametrize("factor", [1.01, 0.99, 1.001])
def test_a_gradient_off_by_a_fraction_of_a_percent_is_wrong(factor):
    net = Network([Dense(3, 4, "tanh", seed=0), make_off_by(factor)(4, 2, "sigmoid", seed=1)])
    report = gradcheck(net, X, Y, "mse")
    errors, grades = report.errors, {name: g for name, _, _, g in report.rows}
    assert grades["layer2.weights"] == "wrong" and not report.ok, report
    assert errors["layer2.weights"] == pytest.approx(abs(factor - 1) / (1 + factor), rel=1e-3)
    assert grades["layer1.weights"] == "good"  # the mistake is found where it is


@pytest.mark.parametrize("output, loss, target", [
    ("sigmoid", "bce", Y), ("sigmoid", "mse", Y), ("tanh", "mse", Y), ("linear", "mse", Y),
    ("softmax", "mse", one_hot([0, 1, 1, 0, 1, 0], 2)),
    ("linear", "softmax_cross_entropy", np.array([0, 1, 1, 0, 1, 0])),
])
def test_correct_networks_are_good_for_every_output(output, loss, target):
    net = Network.from_sizes([3, 4, 2], activation="tanh", output_activation=output, seed=2)
    report = gradcheck(net, X, target, loss)
    assert report.ok and all(g == "good" for *_, g in report.rows), report


def test_the_widest_eps_allowed_still_grades_a_correct_network_ok():
    net = Network.from_sizes([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=2)
    assert gradcheck(net, X, Y, "bce", eps=gc.EPS_RANGE[1]).ok
    assert gradcheck(net, X, Y, "bce", eps=gc.EPS_RANGE[0]).ok


def test_eps_1_would_grade_a_correct_network_wrong_so_it_is_refused():
    net = Network.from_sizes([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=2)
    # what a nudge of 1 measures: the curve's bend, far from the slope
    loss = gc.get_loss("mse")

    def f():
        return loss(net.forward(X, check=False), Y, check=False)[0]

    out = net.forward(X)
    net.backward(loss(out, Y)[1])
    analytic = net.layers[0].grad_weights.copy()
    error = gc.relative_error(analytic, gc.numerical_gradient(f, net.layers[0].weights, 1.0))
    assert gc.grade(error) == "wrong"
    with pytest.raises(ValueError, match=r"eps must be between 1e-10 and 0\.001 .*got 1\.0: "
                                         r"wider nudges measure the curve's bend"):
        gradcheck(net, X, Y, "mse", eps=1.0)


@pytest.mark.parametrize("eps, error", [(0, ValueError), (0.0, ValueError), (-1e-6, ValueError),
                                        (float("nan"), ValueError), (float("inf"), ValueError),
                                        (1e-12, ValueError), ("small", TypeError),
                                        (None, TypeError), (True, TypeError)])
def test_eps_is_validated_by_every_gradcheck(eps, error):
    net = Network.from_sizes([3, 4, 2], seed=0)
    calls = [lambda: gradcheck(net, X, Y, "mse", eps=eps),
             lambda: gradcheck_layer(Dense(3, 2), X, eps=eps),
             lambda: gradcheck_loss("mse", np.zeros((6, 2)), Y, eps=eps),
             lambda: gradcheck_activation("tanh", X, eps=eps)]
    for call in calls:
        with pytest.raises(error, match=r"eps must be .*got"):
            call()


def test_nan_is_never_graded_ok():
    assert gc.grade(float("nan")) == "wrong"
    assert not gc.GradcheckReport([("w", (1,), float("nan"))]).ok
    net = Network.from_sizes([3, 4, 2], seed=0)
    net.layers[0].weights[1, 1] = np.nan  # in place: the assignment check cannot see it
    with pytest.raises(ValueError, match=r"a parameter contains NaN or infinity"):
        gradcheck(net, X, Y, "mse")


def test_the_thresholds_are_documented_with_their_reasons():
    doc = gc.__doc__
    assert gc.GOOD == 1e-7 and gc.WRONG == 1e-4
    for words in ("Where the thresholds come from", "truncation", "rounding", "2.2e-16",
                  "1 % mistake is wrong", "kink"):
        assert words in doc, words
