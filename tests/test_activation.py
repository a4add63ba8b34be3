"""Activation functions: values worked out by hand, derivatives against finite differences,
and stability for huge inputs."""

import math
import warnings

import numpy as np
import pytest
from finite_differences import central_difference_of
from hypothesis import given
from hypothesis import strategies as st

from nnlib import activation as act
from nnlib.gradcheck import gradcheck_activation

NAMES = ["sigmoid", "tanh", "relu", "linear", "softmax"]
ELEMENTWISE = {
    "sigmoid": (act.sigmoid, act.sigmoid_derivative),
    "tanh": (act.tanh, act.tanh_derivative),
    "relu": (act.relu, act.relu_derivative),
    "linear": (act.linear, act.linear_derivative),
}

shapes = st.tuples(st.integers(1, 6), st.integers(1, 6))
seeds = st.integers(0, 2**32 - 1)


def random_z(shape, seed, scale=3.0, away_from_zero=False):
    z = np.random.default_rng(seed).standard_normal(shape) * scale
    if away_from_zero:  # keep ReLU's kink at 0 out of the finite differences
        z = np.where(np.abs(z) < 1e-3, 0.5, z)
    return z


# ----------------------------------------------------------- values by hand


def test_sigmoid_values_by_hand():
    assert act.sigmoid(0.0) == 0.5
    # sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4 and sigmoid(-ln 3) = 1/4
    assert act.sigmoid(math.log(3)) == pytest.approx(0.75, abs=1e-15)
    assert act.sigmoid(-math.log(3)) == pytest.approx(0.25, abs=1e-15)
    assert act.sigmoid_derivative(0.0) == 0.25


@given(st.floats(-700, 700))
def test_sigmoid_matches_formula_and_symmetry(z):
    assert act.sigmoid(z) == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-12, abs=1e-300)
    # sigmoid(-z) = 1 - sigmoid(z)
    assert act.sigmoid(-z) == pytest.approx(1.0 - act.sigmoid(z), abs=1e-15)


@given(st.floats(-20, 20))
def test_tanh_is_a_rescaled_sigmoid(z):
    assert act.tanh(z) == pytest.approx(2.0 * act.sigmoid(2.0 * z) - 1.0, abs=1e-14)


def test_relu_and_linear_values():
    z = np.array([[-2.0, -0.0, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(act.relu(z), [[0.0, 0.0, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(act.relu_derivative(z), [[0.0, 0.0, 0.0, 1.0, 1.0]])
    np.testing.assert_array_equal(act.linear(z), z)
    np.testing.assert_array_equal(act.linear_derivative(z), np.ones_like(z))


def test_linear_returns_a_copy():
    z = np.array([1.0, 2.0])
    out = act.linear(z)
    out[0] = 99.0
    assert z[0] == 1.0


def test_softmax_values_by_hand():
    # exp(0) : exp(ln 2) : exp(ln 3) = 1 : 2 : 3
    z = np.log([1.0, 2.0, 3.0])
    np.testing.assert_allclose(act.softmax(z), [1 / 6, 2 / 6, 3 / 6], rtol=1e-14)
    np.testing.assert_allclose(act.softmax(np.zeros(4)), np.full(4, 0.25))


@given(shapes, seeds, st.floats(-50, 50))
def test_softmax_rows_are_probabilities_and_shift_invariant(shape, seed, shift):
    z = random_z(shape, seed)
    s = act.softmax(z)
    assert s.shape == z.shape
    assert np.all(s > 0)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-13)
    np.testing.assert_allclose(act.softmax(z + shift), s, rtol=1e-9, atol=1e-15)
    e = np.exp(z)
    np.testing.assert_allclose(s, e / e.sum(axis=1, keepdims=True), rtol=1e-12)
    # axis=0 works on columns instead
    np.testing.assert_allclose(act.softmax(z, axis=0).sum(axis=0), 1.0, rtol=1e-13)


@pytest.mark.parametrize("name", list(ELEMENTWISE))
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), seed=seeds)
def test_elementwise_functions_keep_the_shape(name, shape, seed):
    f, df = ELEMENTWISE[name]
    z = random_z(tuple(shape), seed)
    assert np.shape(f(z)) == z.shape
    assert np.shape(df(z)) == z.shape


def test_functions_accept_lists_and_ints():
    np.testing.assert_allclose(act.sigmoid([0, 0]), [0.5, 0.5])
    np.testing.assert_array_equal(act.relu([-1, 2]), [0.0, 2.0])
    assert act.relu([-1, 2]).dtype == np.float64


# ----------------------------------------------- derivatives, numerically


@pytest.mark.parametrize("name", list(ELEMENTWISE))
@given(shape=shapes, seed=seeds)
def test_derivative_matches_finite_differences(name, shape, seed):
    f, df = ELEMENTWISE[name]
    z = random_z(shape, seed, away_from_zero=True)
    numeric = central_difference_of(lambda v: float(np.sum(f(v))), z)
    np.testing.assert_allclose(df(z), numeric, rtol=1e-6, atol=1e-8)


@given(n=st.integers(1, 7), seed=seeds)
def test_softmax_jacobian_matches_finite_differences(n, seed):
    z = random_z((n,), seed)
    J = act.softmax_jacobian(z)
    assert J.shape == (n, n)
    eps = 1e-6
    for j in range(n):  # column j: how every output moves when z_j moves
        step = np.zeros(n)
        step[j] = eps
        numeric = (act.softmax(z + step) - act.softmax(z - step)) / (2 * eps)
        np.testing.assert_allclose(J[:, j], numeric, atol=1e-9)
    np.testing.assert_allclose(J, J.T, atol=1e-15)  # symmetric
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-14)  # outputs always add up to 1
    np.testing.assert_allclose(np.diag(J), act.softmax_derivative(z), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
@given(shape=shapes, seed=seeds)
def test_activation_backward_matches_finite_differences(name, shape, seed):
    """backward(G, z, a) must be the gradient of sum(G * f(z)) w.r.t. z."""
    a_obj = act.get_activation(name)
    z = random_z(shape, seed, away_from_zero=True)
    G = np.random.default_rng(seed + 1).standard_normal(shape)
    analytic = a_obj.backward(G, z, a_obj.forward(z))
    numeric = central_difference_of(lambda v: float(np.sum(G * a_obj.forward(v))), z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)
    report = gradcheck_activation(name, z, seed=seed)
    assert report.ok
    assert [row[3] for row in report.rows] == ["good"]


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_classes_agree_with_functions(name):
    f, df = ELEMENTWISE[name]
    obj = act.get_activation(name)
    z = random_z((3, 4), 7)
    np.testing.assert_allclose(obj.forward(z), f(z))
    np.testing.assert_allclose(obj(z), f(z))
    np.testing.assert_allclose(obj.derivative(z), df(z))
    G = np.ones_like(z)
    np.testing.assert_allclose(obj.backward(G, z, obj.forward(z)), df(z), atol=1e-15)
    assert repr(obj) == name


def test_softmax_class_works_on_rows_of_a_batch_and_on_one_row():
    z = random_z((3, 4), 3)
    sm = act.Softmax()
    np.testing.assert_allclose(sm.forward(z), act.softmax(z, axis=1))
    np.testing.assert_allclose(sm.forward(z[0]), act.softmax(z[0]))
    np.testing.assert_allclose(sm.derivative(z), act.softmax_derivative(z))
    # a single row back-propagates like a batch of one
    G = random_z((4,), 4)
    np.testing.assert_allclose(sm.backward(G, z[0], sm.forward(z[0])),
                               act.softmax_jacobian(z[0]).T @ G, atol=1e-15)


def test_get_activation():
    for name in NAMES:
        assert act.get_activation(name).name == name
        assert act.get_activation(name.upper()).name == name
    tanh = act.Tanh()
    assert act.get_activation(tanh) is tanh
    with pytest.raises(ValueError, match=r"activation must be one of .*'sigmoid'.* got 'swish'"):
        act.get_activation("swish")
    with pytest.raises(ValueError, match="got 3"):
        act.get_activation(3)


# ------------------------------------------------------------- stability

HUGE = 9999999.0


def no_float_errors():
    """Overflow, division by zero and invalid operations raise instead of warning.

    Underflow (exp(-1e7) rounding to exactly 0.0) is the correct answer here,
    so it is not among them.
    """
    return np.errstate(over="raise", divide="raise", invalid="raise")


def test_sigmoid_saturates_exactly_without_warnings():
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        assert act.sigmoid(-HUGE) == 0.0
        assert act.sigmoid(HUGE) == 1.0
        out = act.sigmoid(np.array([-1e7, -745.0, -30.0, 30.0, 1e7]))
        assert np.all(np.isfinite(out))
        assert np.all(np.diff(out) >= 0)
        np.testing.assert_array_equal(act.sigmoid_derivative(np.array([-1e7, 1e7])), [0.0, 0.0])
        z = np.array([[-1e7, 1e7]])
        g = act.Sigmoid().backward(np.ones_like(z), z, act.sigmoid(z))
        np.testing.assert_array_equal(g, [[0.0, 0.0]])


def test_tanh_saturates_without_warnings():
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(act.tanh(np.array([-1e7, 1e7])), [-1.0, 1.0])
        np.testing.assert_array_equal(act.tanh_derivative(np.array([-1e7, 1e7])), [0.0, 0.0])


def test_softmax_of_huge_scores_is_finite():
    z = np.array([[1e7, -1e7, 0.0], [1e7, 1e7, -1e7], [-1e7, -1e7, -1e7]])
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        s = act.softmax(z)
        J = act.softmax_jacobian(z[0])
        g = act.Softmax().backward(np.ones_like(z), z, s)
        d = act.softmax_derivative(z)
    np.testing.assert_array_equal(s, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    assert np.all(np.isfinite(J)) and np.all(np.isfinite(g)) and np.all(np.isfinite(d))
    np.testing.assert_array_equal(J, np.zeros((3, 3)))
