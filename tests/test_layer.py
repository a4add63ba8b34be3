"""The dense layer: forward by hand, backward against finite differences for every
activation and bias mode, weight initialisation."""

import math

import numpy as np
import pytest
from finite_differences import central_difference
from hypothesis import given
from hypothesis import strategies as st

from nnlib.gradcheck import gradcheck_layer
from nnlib.layer import Dense, DenseCache, dense_backward, input_gradient, weight_gradient
from nnlib.weights import init_weights

ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear", "softmax"]
BIAS_MODES = ["node", "layer", None]
seeds = st.integers(0, 2**32 - 1)


def layer_with_random_bias(n_in, n_out, activation, bias, seed):
    layer = Dense(n_in, n_out, activation, bias=bias, seed=seed)
    if layer.bias is not None:  # biases start at 0; make them count
        layer.bias[:] = np.random.default_rng(seed + 1).standard_normal(layer.bias.shape)
    return layer


# ---------------------------------------------------------------- forward


def test_forward_by_hand():
    layer = Dense(2, 3, "sigmoid", bias="node")
    layer.weights[:] = [[1.0, -1.0, 0.5], [2.0, 0.0, -0.5]]
    layer.bias[:] = [0.0, 1.0, -2.0]
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    out = layer.forward(X)
    for n in range(2):
        for j in range(3):
            z = sum(X[n, i] * layer.weights[i, j] for i in range(2)) + layer.bias[j]
            assert out[n, j] == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-14)
    cached_X, Z, A, W, _, _ = layer.cache
    np.testing.assert_array_equal(cached_X, X)
    np.testing.assert_allclose(Z, [[5.0, 0.0, -2.5], [0.0, 2.0, -2.75]])
    assert A is out


def test_layer_bias_adds_one_value_to_every_node():
    layer = Dense(2, 3, "linear", bias="layer")
    layer.weights[:] = [[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]
    layer.bias[:] = 10.0
    out = layer.forward([[1.0, 1.0]])
    np.testing.assert_array_equal(out, [[11.0, 13.0, 13.0]])


def test_no_bias_means_zero_in_zero_sum():
    layer = Dense(3, 2, "sigmoid", bias=None, seed=0)
    np.testing.assert_array_equal(layer.forward(np.zeros((4, 3))), np.full((4, 2), 0.5))


@pytest.mark.parametrize("bias, shape", [("node", (4,)), ("layer", (1,)), (None, None)])
def test_shapes_and_aliases(bias, shape):
    layer = Dense(3, 4, bias=bias, seed=0)
    assert layer.weights.shape == (3, 4)
    assert layer.W is layer.weights
    assert layer.b is layer.bias
    if shape is None:
        assert layer.bias is None
        assert list(layer.parameters()) == ["weights"]
    else:
        assert layer.bias.shape == shape
        np.testing.assert_array_equal(layer.bias, 0.0)  # biases start at zero
        assert list(layer.parameters()) == ["weights", "bias"]
    assert layer.n_parameters == 12 + (0 if shape is None else shape[0])
    out = layer.forward(np.ones((5, 3)))
    assert out.shape == (5, 4)
    layer.backward(np.ones((5, 4)))
    assert layer.dW is layer.grad_weights and layer.grad_weights.shape == (3, 4)
    assert layer.db is layer.grad_bias
    assert set(layer.gradients()) == set(layer.parameters())
    for name, g in layer.gradients().items():
        assert g.shape == layer.parameters()[name].shape


def test_parameters_are_the_arrays_themselves():
    layer = Dense(2, 2, seed=0)
    layer.parameters()["weights"][0, 0] = 42.0
    assert layer.weights[0, 0] == 42.0


def test_repr():
    assert repr(Dense(3, 4, "tanh", bias="layer")) == \
        "Dense(3 -> 4, activation=tanh, bias='layer')"


# --------------------------------------------------------------- backward


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bias", BIAS_MODES)
@given(batch=st.integers(1, 6), n_in=st.integers(1, 5), n_out=st.integers(1, 5), seed=seeds)
def test_backward_matches_finite_differences(activation, bias, batch, n_in, n_out, seed):
    """dW, db and dX for the scalar L = sum(G * layer(X)), whose dL/dA is G."""
    layer = layer_with_random_bias(n_in, n_out, activation, bias, seed)
    rng = np.random.default_rng(seed + 2)
    X = rng.standard_normal((batch, n_in))
    G = rng.standard_normal((batch, n_out))

    def loss():
        return float(np.sum(G * layer.forward(X)))

    layer.forward(X)
    dX = layer.backward(G)
    assert dX.shape == X.shape
    np.testing.assert_allclose(dX, central_difference(loss, X), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(layer.grad_weights, central_difference(loss, layer.weights),
                               rtol=1e-5, atol=1e-8)
    if bias is None:
        assert layer.grad_bias is None
    else:
        np.testing.assert_allclose(layer.grad_bias, central_difference(loss, layer.bias),
                                   rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bias", BIAS_MODES)
@given(batch=st.integers(1, 6), n_in=st.integers(1, 5), n_out=st.integers(1, 5), seed=seeds)
def test_gradcheck_layer_grades_every_layer_good(activation, bias, batch, n_in, n_out, seed):
    layer = layer_with_random_bias(n_in, n_out, activation, bias, seed)
    X = np.random.default_rng(seed + 2).standard_normal((batch, n_in))
    report = gradcheck_layer(layer, X, seed=seed)
    names = ["weights", "input"] if bias is None else ["weights", "bias", "input"]
    assert [row[0] for row in report.rows] == names
    assert all(row[3] == "good" for row in report.rows), report
    assert report.ok


@given(batch=st.integers(1, 6), n_out=st.integers(1, 5), seed=seeds)
def test_bias_gradients_sum_over_the_batch(batch, n_out, seed):
    """With a linear activation dL/dZ = G: the per-node bias gradient is G summed over
    the batch, the shared per-layer bias gradient is G summed over batch and nodes."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, 3))
    G = rng.standard_normal((batch, n_out))
    node = Dense(3, n_out, "linear", bias="node", seed=seed)
    node.forward(X)
    node.backward(G)
    np.testing.assert_allclose(node.grad_bias, G.sum(axis=0), rtol=1e-12)
    shared = Dense(3, n_out, "linear", bias="layer", seed=seed)
    shared.forward(X)
    shared.backward(G)
    assert shared.grad_bias.shape == (1,)
    assert shared.grad_bias[0] == pytest.approx(G.sum(), rel=1e-12, abs=1e-12)
    # through a sigmoid, dL/dZ = G * a * (1 - a)
    sig = Dense(3, n_out, "sigmoid", bias="layer", seed=seed)
    A = sig.forward(X)
    sig.backward(G)
    assert sig.grad_bias[0] == pytest.approx(np.sum(G * A * (1 - A)), rel=1e-12, abs=1e-12)


def test_backward_without_input_gradient():
    layer = Dense(2, 3, seed=0)
    layer.forward(np.ones((4, 2)))
    assert layer.backward(np.ones((4, 3)), need_input_grad=False) is None
    assert layer.grad_weights.shape == (2, 3)


def test_backward_and_gradients_need_forward_first():
    layer = Dense(2, 3, seed=0)
    with pytest.raises(RuntimeError, match=r"call forward\(\) before backward\(\)"):
        layer.backward(np.ones((1, 3)))
    with pytest.raises(RuntimeError, match="no gradients yet"):
        layer.gradients()


# ---------------------------------------------------------- initialisation


@pytest.mark.parametrize("scheme, variance", [("xavier", lambda n: 1 / n),
                                              ("he", lambda n: 2 / n),
                                              ("normal", lambda n: 1.0)])
def test_weight_scales(scheme, variance):
    n_in, n_out = 50, 400  # 20000 draws: the sample variance is within ~3 % of the truth
    W = init_weights(n_in, n_out, scheme, seed=1)
    assert W.shape == (n_in, n_out) and W.dtype == np.float64
    assert W.var() == pytest.approx(variance(n_in), rel=0.05)
    assert abs(W.mean()) < 0.05 * math.sqrt(variance(n_in))


def test_zero_weights():
    np.testing.assert_array_equal(init_weights(3, 2, "zeros"), np.zeros((3, 2)))


def test_auto_init_picks_he_for_relu_and_xavier_otherwise():
    np.testing.assert_array_equal(Dense(4, 3, "relu", seed=5).weights,
                                  init_weights(4, 3, "he", seed=5))
    for name in ["sigmoid", "tanh", "linear", "softmax"]:
        np.testing.assert_array_equal(Dense(4, 3, name, seed=5).weights,
                                      init_weights(4, 3, "xavier", seed=5))


def test_seeded_weights_are_reproducible():
    np.testing.assert_array_equal(Dense(3, 3, seed=7).weights, Dense(3, 3, seed=7).weights)
    assert not np.array_equal(Dense(3, 3, seed=7).weights, Dense(3, 3, seed=8).weights)


def test_float32_layer():
    layer = Dense(3, 2, dtype=np.float32, seed=0)
    assert layer.weights.dtype == np.float32 and layer.bias.dtype == np.float32
    out = layer.forward(np.ones((2, 3), dtype=np.float32))
    assert out.dtype == np.float32


# ------------------------------------------------- the backward steps, one by one


def test_weight_and_input_gradients_by_hand():
    rng = np.random.default_rng(3)
    X, dZ, W = rng.standard_normal((4, 2)), rng.standard_normal((4, 3)), rng.standard_normal((2, 3))
    dW, dX = weight_gradient(X, dZ), input_gradient(dZ, W)
    for i in range(2):
        for j in range(3):
            assert dW[i, j] == pytest.approx(sum(X[n, i] * dZ[n, j] for n in range(4)))
    for n in range(4):
        for i in range(2):
            assert dX[n, i] == pytest.approx(sum(dZ[n, j] * W[i, j] for j in range(3)))


@pytest.mark.parametrize("bias, db_shape", [("node", (3,)), ("layer", (1,)), (None, None)])
def test_dense_backward_is_a_pure_function_of_its_cache(bias, db_shape):
    layer = layer_with_random_bias(2, 3, "tanh", bias, seed=5)
    X = np.random.default_rng(6).standard_normal((4, 2))
    layer.forward(X)
    cache = layer.cache
    assert isinstance(cache, DenseCache) and cache.X is X and cache.W is layer.weights
    dA = np.random.default_rng(7).standard_normal((4, 3))
    dZ, dW, db, dX = dense_backward(dA, cache)
    assert layer.grad_weights is None  # the function touched nothing
    assert dZ.shape == (4, 3) and dW.shape == (2, 3) and dX.shape == (4, 2)
    np.testing.assert_allclose(dZ, dA * (1 - np.tanh(cache.Z) ** 2))
    assert (db is None) if db_shape is None else db.shape == db_shape
    assert dense_backward(dA, cache, need_input_grad=False)[3] is None
    layer_dX = layer.backward(dA)  # the layer's backward is this very function
    np.testing.assert_array_equal(layer_dX, dX)
    np.testing.assert_array_equal(layer.grad_weights, dW)


def test_a_subclass_that_replaces_one_step_changes_only_that_gradient():
    class NoInputGradient(Dense):
        @staticmethod
        def input_gradient(dZ, W):
            return np.zeros((dZ.shape[0], W.shape[0]))

    X = np.random.default_rng(8).standard_normal((5, 3))
    right, wrong = Dense(3, 2, seed=1), NoInputGradient(3, 2, seed=1)
    G = np.ones((5, 2))
    right.forward(X)
    wrong.forward(X)
    dX_right, dX_wrong = right.backward(G), wrong.backward(G)
    np.testing.assert_array_equal(wrong.grad_weights, right.grad_weights)
    np.testing.assert_array_equal(wrong.grad_bias, right.grad_bias)
    assert np.abs(dX_right).sum() > 0 and not dX_wrong.any()
    report = gradcheck_layer(wrong, X)
    assert [g for *_, g in report.rows] == ["good", "good", "wrong"]


def test_the_weight_gradient_product_is_written_once_in_the_library():
    """``X.T @ dZ`` lives in layer.weight_gradient; every other view reuses it. (The only
    other ``something.T @ ...`` in nnlib is the bug zoo's planted ``dZ.T @ X``.)"""
    import ast
    from pathlib import Path

    import nnlib

    found = []
    for path in sorted(Path(nnlib.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)
                    and isinstance(node.left, ast.Attribute) and node.left.attr == "T"):
                found.append((path.name, ast.unparse(node)))
    assert sorted(found) == [("bug_zoo.py", "dZ.T @ X"), ("layer.py", "X.T @ dZ")]
