"""Gradient checking: the finite-difference estimate, the relative error and its grades,
and that a deliberately wrong gradient is caught."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.activation import Sigmoid
from nnlib.gradcheck import (
    GradcheckReport,
    gradcheck,
    gradcheck_activation,
    gradcheck_layer,
    gradcheck_loss,
    grade,
    numerical_gradient,
    relative_error,
)
from nnlib.layer import Dense
from nnlib.loss import MeanSquaredError
from nnlib.network import Network

seeds = st.integers(0, 2**32 - 1)


# ------------------------------------------------ deliberately wrong pieces


class DoubledWeightGradient(Dense):
    """Back-propagates correctly but stores twice the true dL/dW."""

    def backward(self, grad_output, need_input_grad=True):
        grad_input = super().backward(grad_output, need_input_grad)
        self.grad_weights = 2 * self.grad_weights
        return grad_input


class ForgetfulSigmoid(Sigmoid):
    """Uses a instead of a (1 - a) as the derivative."""

    def backward(self, grad_a, z, a):
        return grad_a * a


class HalfMeanSquaredError(MeanSquaredError):
    """Forgets the factor 2 of the squared error's gradient."""

    def compute(self, output, target):
        value, grad = super().compute(output, target)
        return value, grad / 2


def xor_network(layer_cls=Dense, hidden_activation="sigmoid"):
    return Network([layer_cls(2, 3, hidden_activation, seed=1), Dense(3, 1, seed=2)])


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def grades(report):
    return {name: g for name, _, _, g in report.rows}


def test_gradcheck_catches_a_wrong_weight_gradient():
    report = gradcheck(xor_network(DoubledWeightGradient), XOR_X, XOR_Y, "mse")
    assert grades(report) == {"layer1.weights": "wrong", "layer1.bias": "good",
                              "layer2.weights": "good", "layer2.bias": "good"}
    assert not report.ok
    # ||2g - g|| / (||2g|| + ||g||) = 1/3
    assert report.errors["layer1.weights"] == pytest.approx(1 / 3, rel=1e-6)
    assert report.max_error == report.errors["layer1.weights"]


def test_gradcheck_catches_a_wrong_activation_derivative():
    report = gradcheck(xor_network(hidden_activation=ForgetfulSigmoid()), XOR_X, XOR_Y, "mse")
    assert grades(report)["layer1.weights"] == "wrong"
    assert grades(report)["layer1.bias"] == "wrong"
    assert grades(report)["layer2.weights"] == "good"  # the layer after it is still right
    assert not report.ok
    z = np.random.default_rng(0).standard_normal((4, 3))
    assert not gradcheck_activation(ForgetfulSigmoid(), z).ok
    layer_report = gradcheck_layer(Dense(2, 3, ForgetfulSigmoid(), seed=0), z[:, :2])
    assert grades(layer_report) == {"weights": "wrong", "bias": "wrong", "input": "wrong"}


def test_gradcheck_loss_catches_a_wrong_loss_gradient():
    out = np.random.default_rng(0).standard_normal((5, 2))
    report = gradcheck_loss(HalfMeanSquaredError(), out, np.zeros((5, 2)))
    assert report.rows[0][3] == "wrong" and not report.ok
    assert gradcheck_loss(MeanSquaredError(), out, np.zeros((5, 2))).ok


def test_correct_network_is_all_good():
    report = gradcheck(xor_network(), XOR_X, XOR_Y, "mse")
    assert report.ok
    assert set(grades(report).values()) == {"good"}
    assert report.max_error < 1e-7


def test_shared_bias_before_softmax_is_good_although_its_gradient_is_zero():
    """Softmax ignores a shift of all its inputs, so a shared bias has gradient 0:
    rounding noise on both sides must not be graded as a mismatch."""
    layer = Dense(3, 4, "softmax", bias="layer", seed=1)
    layer.bias[:] = 0.7
    X = np.random.default_rng(0).standard_normal((5, 3))
    report = gradcheck_layer(layer, X)
    assert grades(report) == {"weights": "good", "bias": "good", "input": "good"}
    assert abs(layer.grad_bias[0]) < 1e-12
    net = Network([Dense(3, 4, "tanh", seed=0), Dense(4, 3, "softmax", bias="layer", seed=1)])
    report = gradcheck(net, X, np.zeros((5, 3)) + [[1.0, 0.0, 0.0]], "mse")
    assert set(grades(report).values()) == {"good"}


def test_gradcheck_needs_float64():
    net = Network.from_sizes([2, 2, 1], dtype=np.float32)
    with pytest.raises(ValueError, match="gradcheck needs float64 parameters.*got float32"):
        gradcheck(net, XOR_X, XOR_Y, "mse")
    with pytest.raises(ValueError, match="got float32"):
        gradcheck_layer(Dense(2, 2, dtype=np.float32), XOR_X)


def test_gradcheck_activation_needs_a_batch():
    with pytest.raises(ValueError, match=r"z must be 2-D \(batch, n\), got shape \(3,\)"):
        gradcheck_activation("tanh", np.zeros(3))


# ------------------------------------------------------------- the pieces


@given(shape=st.tuples(st.integers(1, 4), st.integers(1, 4)), seed=seeds)
def test_numerical_gradient_of_a_cubic(shape, seed):
    """d/dx sum(x^3 + sin x) = 3x^2 + cos x; x is restored afterwards."""
    x = np.random.default_rng(seed).standard_normal(shape)
    x0 = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(x ** 3 + np.sin(x))), x)
    np.testing.assert_allclose(grad, 3 * x0 ** 2 + np.cos(x0), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(x, x0)


def test_numerical_gradient_of_a_linear_function_is_exact_enough():
    x = np.array([1.0, -2.0, 3.0])
    w = np.array([0.5, 4.0, -1.0])
    np.testing.assert_allclose(numerical_gradient(lambda: float(w @ x), x, eps=1e-4), w,
                               rtol=1e-9)


@given(seed=seeds, scale=st.floats(1e-6, 1e6))
def test_relative_error_identities(seed, scale):
    a = np.random.default_rng(seed).standard_normal(5) * scale
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, np.zeros(5)) == pytest.approx(1.0)
    assert relative_error(a, 2 * a) == pytest.approx(1 / 3)
    # it does not depend on the units
    b = a + 1e-3 * scale
    assert relative_error(a * 1000, b * 1000) == pytest.approx(relative_error(a, b), rel=1e-6)


def test_relative_error_of_zeros_and_rounding_noise():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    # two specks of rounding noise where the true gradient is 0
    assert relative_error([1e-17], [1e-11]) == pytest.approx((1e-11 - 1e-17) / (1e-11 + 1e-17))
    assert relative_error([1e-17], [1e-11], atol=1e-9) == 0.0
    # atol never hides a real difference
    assert relative_error([1.0], [2.0], atol=1e-9) == pytest.approx(1 / 3)


@pytest.mark.parametrize("error, expected", [
    (0.0, "good"), (3e-8, "good"), (1e-7, "inspect"), (1e-5, "inspect"), (1e-4, "inspect"),
    (1.1e-4, "wrong"), (5e-3, "wrong"), (1e-2, "wrong"), (0.011, "wrong"), (1.0, "wrong"),
])
def test_grades(error, expected):
    assert grade(error) == expected


def test_report_table():
    report = GradcheckReport([("layer1.weights", (2, 3), 1e-9), ("layer1.bias", (3,), 0.5),
                              ("layer2.weights", (3, 1), 1e-5)])
    assert report.errors == {"layer1.weights": 1e-9, "layer1.bias": 0.5,
                             "layer2.weights": 1e-5}
    assert report.max_error == 0.5
    assert not report.ok
    lines = repr(report).splitlines()
    assert lines[0].split() == ["parameter", "shape", "rel.", "error", "grade"]
    assert lines[1].split()[0] == "layer1.weights" and lines[1].endswith("good")
    assert "5.00e-01" in lines[2] and lines[2].endswith("wrong")
    assert lines[3].endswith("inspect")
    assert GradcheckReport([("w", (1,), 1e-5)]).ok  # "inspect" is not a failure
