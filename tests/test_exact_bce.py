"""Binary cross-entropy is exact at any confidence on the training path.

With a sigmoid output and BCE, ``train`` and ``gradcheck`` compute the loss from
the output layer's weighted sums z (softplus) and the gradient as
dZ = (sigmoid(z) - y) / N. Compared here with the exact formulas, written
with Python's math module, at large |z| in float64 and float32.
"""

import math

import numpy as np
import pytest

from nnlib.activation import sigmoid, softplus
from nnlib.gradcheck import gradcheck
from nnlib.gradient_descent import train
from nnlib.layer import Dense
from nnlib.loss import BinaryCrossEntropy
from nnlib.network import Network


def exact_loss(z: float, y: float) -> float:
    """-[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z, without rounding s(z)."""
    softplus_z = max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    return softplus_z - y * z


def exact_slope(z: float, y: float) -> float:
    """dL/dz = s(z) - y."""
    return 1.0 / (1.0 + math.exp(-z)) - y


Z = [-40.0, -37.0, -17.0, -1.0, 0.0, 2.5, 17.0, 37.0, 40.0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_the_logits_form_matches_the_exact_formula_at_large_z(dtype, y):
    z = np.array(Z, dtype=dtype).reshape(-1, 1)
    target = np.full_like(z, y)
    value, grad = BinaryCrossEntropy(from_logits=True).compute(z, target)
    n = len(Z)
    exact_values = [exact_loss(float(v), y) for v in z.ravel()]
    assert value == pytest.approx(sum(exact_values) / n, rel=1e-6 if dtype == np.float32 else 1e-14)
    assert grad.dtype == dtype
    tol = 1e-7 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(grad.ravel(), [exact_slope(float(v), y) / n for v in z.ravel()],
                               rtol=tol, atol=tol / n)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_confident_mistake_at_z_40_gets_the_whole_gradient(dtype):
    # One sigmoid node, weight 40, input 1: z = 40, p = sigmoid(40), label 0.
    # Exact: loss 40, dL/dz = 1, so dL/dw = x * 1 = 1 and one step of 0.01 moves w to 39.99.
    net = Network([Dense(1, 1, "sigmoid", bias=None, dtype=dtype)])
    net.layers[0].weights = [[40.0]]
    X, y = np.ones((1, 1), dtype=dtype), np.zeros((1, 1), dtype=dtype)
    history = train(net, X, y, loss="bce", learning_rate=0.01, epochs=1)
    assert history.step_loss[0] == pytest.approx(40.0, rel=1e-7)
    assert net.layers[0].grad_weights[0, 0] == pytest.approx(1.0, rel=1e-7)
    assert net.layers[0].weights[0, 0] == pytest.approx(39.99, rel=1e-7)
    # The probability form cannot: sigmoid(40) rounds to 1 - 4e-18 or to exactly 1,
    # the clip stops the loss at 27.63 and the gradient through the sigmoid is 0.
    p = sigmoid(np.array([[40.0]], dtype=dtype))
    value, grad_p = BinaryCrossEntropy()(p, y)
    assert value == pytest.approx(-math.log(1e-12) if dtype == np.float64 else
                                  -math.log(np.finfo(np.float32).eps), rel=1e-6)
    assert float(grad_p[0, 0] * p[0, 0] * (1 - p[0, 0])) < 1e-9  # what the old path used


def test_a_confident_right_answer_is_exactly_almost_free():
    net = Network([Dense(1, 1, "sigmoid", bias=None)])
    net.layers[0].weights = [[-40.0]]
    history = train(net, np.ones((1, 1)), np.zeros((1, 1)), loss="bce", learning_rate=1.0,
                    epochs=1)
    assert history.step_loss[0] == pytest.approx(math.exp(-40.0), rel=1e-12)  # 4.25e-18, not 1e-12
    assert net.layers[0].grad_weights[0, 0] == pytest.approx(exact_slope(-40.0, 0.0), rel=1e-12)


def test_gradcheck_checks_the_exact_form_on_a_saturated_network():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 3))
    y = (rng.random((6, 1)) > 0.5).astype(float)
    net = Network.from_sizes([3, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    net.layers[1].weights = net.layers[1].weights * 50  # outputs saturate: |z| up to about 45
    net.forward(X)
    z = net.layers[1].cache.Z
    assert np.abs(z).max() > 30
    report = gradcheck(net, X, y, "bce")
    assert report.ok and all(grade == "good" for *_, grade in report.rows), report
    dW = net.layers[1].cache.X.T @ (sigmoid(z) - y) / len(X)  # dZ = (p - y) / N, by hand
    np.testing.assert_allclose(net.layers[1].grad_weights, dW, rtol=1e-12)


def test_softplus_is_exact_at_both_ends():
    assert softplus(40.0) == 40.0 + math.exp(-40.0)
    assert softplus(-40.0) == pytest.approx(math.exp(-40.0), rel=1e-15)
    assert softplus(np.float32(-40.0)).dtype == np.float32
    assert softplus(1e308) == 1e308  # no overflow


def test_the_probability_form_stays_for_pictures_with_its_clip():
    bce = BinaryCrossEntropy()
    p = np.array([[0.9], [0.2]])
    value, _ = bce(p, np.array([[1.0], [0.0]]))
    assert value == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2, rel=1e-14)
    # a prediction of exactly 0 for a 1 is clipped at 1e-12: the loss stops at 27.63
    assert bce(np.zeros((1, 1)), np.ones((1, 1)))[0] == pytest.approx(27.631, abs=1e-3)
    assert "27.63" in BinaryCrossEntropy.__doc__ and "clipped" in BinaryCrossEntropy.__doc__
