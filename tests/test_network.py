"""The network: structure, forward propagation by hand, whole-network back-propagation
against finite differences."""

import numpy as np
import pytest
from finite_differences import central_difference
from hypothesis import given
from hypothesis import strategies as st

from nnlib.activation import sigmoid
from nnlib.gradcheck import gradcheck
from nnlib.layer import Dense
from nnlib.loss import get_loss
from nnlib.network import Network

seeds = st.integers(0, 2**32 - 1)


# -------------------------------------------------------------- structure


def test_from_sizes_structure():
    net = Network.from_sizes([4, 5, 3, 2], activation="tanh", output_activation="linear")
    assert net.sizes == [4, 5, 3, 2]
    assert len(net) == 3
    assert [(layer.n_in, layer.n_out) for layer in net] == [(4, 5), (5, 3), (3, 2)]
    assert [layer.activation.name for layer in net.layers] == ["tanh", "tanh", "linear"]
    assert net[0] is net.layers[0] and net[-1] is net.layers[2]
    same = Network.from_sizes([4, 5, 2], activation="relu")
    assert [layer.activation.name for layer in same] == ["relu", "relu"]


@pytest.mark.parametrize("bias, expected", [
    ("node", 2 * 3 + 3 + 3 * 1 + 1),  # 13
    ("layer", 2 * 3 + 1 + 3 * 1 + 1),  # 11
    (None, 2 * 3 + 3 * 1),  # 9
])
def test_parameter_count_by_hand(bias, expected):
    net = Network.from_sizes([2, 3, 1], bias=bias)
    assert net.n_parameters == expected
    assert sum(p.size for p in net.parameters().values()) == expected


def test_repr_lists_sizes_and_parameter_count():
    net = Network.from_sizes([64, 32, 10], output_activation="linear")
    text = repr(net)
    expected = 64 * 32 + 32 + 32 * 10 + 10  # 2410
    assert text.splitlines()[0] == f"Network 64 -> 32 -> 10  ({expected} parameters)"
    lines = text.splitlines()
    assert len(lines) == 4
    assert "input" in lines[1] and "64" in lines[1]
    assert "hidden" in lines[2] and "32" in lines[2] and "sigmoid" in lines[2]
    assert f"= {64 * 32 + 32} parameters" in lines[2]
    assert "output" in lines[3] and "10" in lines[3] and "linear" in lines[3]
    assert f"= {32 * 10 + 10} parameters" in lines[3]


def test_parameters_and_gradients_keys_and_shapes():
    net = Network.from_sizes([3, 4, 2], seed=1)
    params = net.parameters()
    assert list(params) == ["layer1.weights", "layer1.bias", "layer2.weights", "layer2.bias"]
    assert [p.shape for p in params.values()] == [(3, 4), (4,), (4, 2), (2,)]
    assert params["layer2.weights"] is net.layers[1].weights
    X = np.ones((5, 3))
    net.backward(np.ones_like(net.forward(X)))
    grads = net.gradients()
    assert list(grads) == list(params)
    for name in params:
        assert grads[name].shape == params[name].shape
    no_bias = Network.from_sizes([3, 4, 2], bias=None)
    assert list(no_bias.parameters()) == ["layer1.weights", "layer2.weights"]
    shared = Network.from_sizes([3, 4, 2], bias="layer")
    assert shared.parameters()["layer1.bias"].shape == (1,)


# ---------------------------------------------------------------- forward


def test_forward_by_hand():
    net = Network.from_sizes([2, 2, 1], seed=0)
    W1, b1 = np.array([[1.0, -2.0], [0.5, 1.0]]), np.array([0.1, -0.3])
    W2, b2 = np.array([[2.0], [-1.0]]), np.array([0.25])
    net.layers[0].weights[:], net.layers[0].bias[:] = W1, b1
    net.layers[1].weights[:], net.layers[1].bias[:] = W2, b2
    x = [0.5, -1.0]
    h = [1 / (1 + np.exp(-(x[0] * W1[0, j] + x[1] * W1[1, j] + b1[j]))) for j in range(2)]
    o = 1 / (1 + np.exp(-(h[0] * W2[0, 0] + h[1] * W2[1, 0] + b2[0])))
    assert net.forward(np.array([x]))[0, 0] == pytest.approx(o, rel=1e-14)
    assert net.predict(np.array([x]))[0, 0] == pytest.approx(o, rel=1e-14)


@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
       batch=st.integers(1, 6), seed=seeds)
def test_forward_return_all(sizes, batch, seed):
    net = Network.from_sizes(sizes, seed=seed)
    X = np.random.default_rng(seed).standard_normal((batch, sizes[0]))
    values = net.forward(X, return_all=True)
    assert len(values) == len(net.layers) + 1
    assert [v.shape for v in values] == [(batch, s) for s in sizes]
    np.testing.assert_array_equal(values[0], X)
    for layer, before, after in zip(net.layers, values[:-1], values[1:], strict=True):
        np.testing.assert_allclose(after, sigmoid(before @ layer.weights + layer.bias),
                                   rtol=1e-13)
    np.testing.assert_array_equal(values[-1], net.forward(X))


def test_copy_is_independent():
    net = Network.from_sizes([2, 3, 1], bias="layer", seed=3)
    twin = net.copy()
    X = np.random.default_rng(0).standard_normal((4, 2))
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    twin.layers[0].weights += 1.0
    twin.layers[1].bias += 1.0
    assert not np.array_equal(twin.forward(X), net.forward(X))
    assert twin.layers[1].bias_mode == "layer"
    assert twin.layers[0].weights is not net.layers[0].weights


def test_seed_gives_reproducible_weights():
    a = Network.from_sizes([3, 4, 2], seed=11).parameters()
    b = Network.from_sizes([3, 4, 2], seed=11).parameters()
    c = Network.from_sizes([3, 4, 2], seed=12).parameters()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["layer1.weights"], c["layer1.weights"])
    # the two layers draw different numbers from the one seed
    assert not np.array_equal(a["layer1.weights"][:3, :2], a["layer2.weights"][:3, :2])


# -------------------------------------------------------------- backward

CASES = [  # (output activation, loss, kind of target)
    ("linear", "mse", "real"),
    ("linear", "sse", "real"),
    ("tanh", "sae", "real"),
    ("sigmoid", "bce", "binary"),
    ("linear", "softmax_cross_entropy", "labels"),
    ("softmax", "mse", "real"),
]


def make_target(kind, batch, n_out, rng):
    if kind == "real":
        return rng.standard_normal((batch, n_out))
    if kind == "binary":
        return rng.integers(0, 2, (batch, n_out)).astype(float)
    return rng.integers(0, n_out, batch)


@pytest.mark.parametrize("output_activation, loss, kind", CASES)
@given(hidden=st.lists(st.integers(1, 4), min_size=0, max_size=2),
       n_in=st.integers(1, 4), n_out=st.integers(1, 3), batch=st.integers(1, 5),
       activation=st.sampled_from(["sigmoid", "tanh", "relu"]),
       bias=st.sampled_from(["node", "layer", None]), seed=seeds)
def test_whole_network_gradcheck_is_good(output_activation, loss, kind, hidden, n_in, n_out,
                                         batch, activation, bias, seed):
    if kind == "labels":
        n_out += 1  # at least two classes
    net = Network.from_sizes([n_in, *hidden, n_out], activation=activation,
                             output_activation=output_activation, bias=bias, seed=seed)
    rng = np.random.default_rng(seed)
    for p in net.parameters().values():  # non-zero biases too
        p[...] = rng.standard_normal(p.shape)
    X = rng.standard_normal((batch, n_in))
    report = gradcheck(net, X, make_target(kind, batch, n_out, rng), loss)
    assert len(report.rows) == len(net.parameters())
    assert all(row[3] == "good" for row in report.rows), report
    assert report.ok


def test_backward_matches_independent_finite_differences():
    """The same check without nnlib.gradcheck: every gradient and dL/dX."""
    rng = np.random.default_rng(4)
    net = Network([Dense(3, 4, "tanh", seed=1), Dense(4, 4, "relu", bias="layer", seed=2),
                   Dense(4, 2, "sigmoid", seed=3)])
    for p in net.parameters().values():
        p[...] = rng.standard_normal(p.shape)
    X = rng.standard_normal((5, 3))
    Y = rng.standard_normal((5, 2))

    def loss():
        return float(np.sum((net.forward(X) - Y) ** 2))

    grad_X = net.backward(2 * (net.forward(X) - Y))
    grads = net.gradients()
    for name, p in net.parameters().items():
        np.testing.assert_allclose(grads[name], central_difference(loss, p),
                                   rtol=1e-6, atol=1e-8, err_msg=name)
    np.testing.assert_allclose(grad_X, central_difference(loss, X), rtol=1e-6, atol=1e-8)


def test_gradients_depend_on_the_latest_backward():
    net = Network.from_sizes([2, 2, 1], seed=0)
    X = np.ones((3, 2))
    net.backward(np.ones_like(net.forward(X)))
    once = net.gradients()["layer1.weights"].copy()
    net.backward(2 * np.ones_like(net.forward(X)))  # gradients are replaced, not added
    np.testing.assert_allclose(net.gradients()["layer1.weights"], 2 * once, rtol=1e-12)


def test_gradcheck_keeps_the_parameters():
    net = Network.from_sizes([2, 3, 1], seed=0)
    before = {k: v.copy() for k, v in net.parameters().items()}
    gradcheck(net, np.ones((2, 2)), np.zeros((2, 1)), get_loss("mse"))
    for name, p in net.parameters().items():
        np.testing.assert_array_equal(p, before[name])
