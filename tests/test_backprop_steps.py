"""The step-by-step backward pass: its gradients are the loss's slopes (measured by
finite differences), its records chain layer to layer and show every shape."""

import numpy as np
import pytest
from finite_differences import central_difference

import nnlib
from nnlib.backprop_steps import BackwardStep, backward_steps, step_gradients

CASES = [
    # sizes, hidden activation, output activation, bias mode, loss, targets
    ([2, 3, 1], "sigmoid", "sigmoid", "node", "sse", "binary"),
    ([2, 4, 1], "tanh", "sigmoid", "node", "bce", "binary"),
    ([2, 5, 3, 1], "relu", "linear", "layer", "mse", "binary"),
    ([2, 3, 3], "tanh", "softmax", "node", "mse", "onehot"),
    ([2, 4, 3], "sigmoid", "linear", None, "softmax_cross_entropy", "labels"),
]


def _targets(kind, n_out):
    if kind == "binary":
        return nnlib.logic_gate("xor")[1]
    labels = np.array([0, 1, 2, 1])
    return labels if kind == "labels" else nnlib.one_hot(labels, n_out)


@pytest.mark.parametrize("sizes, hidden, out, bias, loss, kind", CASES)
def test_every_recorded_gradient_is_the_slope_of_the_loss(sizes, hidden, out, bias, loss, kind):
    X = nnlib.logic_gate("xor")[0] + 0.25
    net = nnlib.Network.from_sizes(sizes, activation=hidden, output_activation=out,
                                   bias=bias, seed=3)
    y = _targets(kind, sizes[-1])
    steps = backward_steps(net, X, y, loss)
    # The records hold the forward pass's own arrays, not recomputed copies.
    assert all(step.X is layer.cache.X and step.Z is layer.cache.Z
               for step, layer in zip(steps, reversed(net.layers), strict=True))
    loss = nnlib.get_loss(loss)

    def value():
        return loss(net.forward(X), y)[0]

    got = step_gradients(steps)
    assert list(got) == list(net.parameters())
    for name, p in net.parameters().items():
        np.testing.assert_allclose(got[name], central_difference(value, p), rtol=1e-5,
                                   atol=1e-8, err_msg=name)
    np.testing.assert_allclose(steps[-1].dX, central_difference(value, X), rtol=1e-5, atol=1e-8)


def test_order_shapes_and_chaining():
    X, y = nnlib.logic_gate("xor")
    net = nnlib.Network.from_sizes([2, 3, 1], seed=0)
    steps = backward_steps(net, X, y, "sse")
    assert [s.layer for s in steps] == [2, 1]
    assert [s.is_output for s in steps] == [True, False]
    out, hidden = steps
    assert out.shapes() == {"dA": (4, 1), "dZ": (4, 1), "dW": (3, 1), "db": (1,), "dX": (4, 3)}
    assert hidden.shapes() == {"dA": (4, 3), "dZ": (4, 3), "dW": (2, 3), "db": (3,),
                               "dX": (4, 2)}
    # The gradient handed back by the output layer is the hidden layer's dA.
    assert hidden.dA is out.dX
    # The loop starts from the loss's gradient: for SSE that is 2 (output - y).
    assert np.array_equal(out.dA, 2.0 * (net.forward(X) - y))
    # dZ = dA * f'(Z) with the sigmoid's f'(Z) = A (1 - A).
    np.testing.assert_allclose(out.dZ, out.dA * out.A * (1 - out.A))
    np.testing.assert_allclose(out.Z, hidden.A @ net.layers[1].weights + net.layers[1].bias)


def test_leaves_network_gradients_alone():
    X, y = nnlib.logic_gate("xor")
    net = nnlib.Network.from_sizes([2, 3, 1], seed=0)
    backward_steps(net, X, y, "mse")
    assert all(layer.grad_weights is None for layer in net.layers)


def test_repr_shows_formulas_and_shapes():
    X, y = nnlib.logic_gate("xor")
    net = nnlib.Network.from_sizes([2, 3, 1], seed=0)
    out, hidden = backward_steps(net, X, y, "sse")
    text = repr(out)
    assert text.startswith("layer 2 (sigmoid):")
    assert "dZ = dA * f'(Z)" in text and "from the loss" in text
    assert "(3, 4) @ (4, 1)" in text and "-> (3, 1)" in text
    assert "= dA of layer 1" in text
    assert "from layer 2" in repr(hidden)
    assert "db" not in repr(backward_steps(
        nnlib.Network.from_sizes([2, 1], bias=None, seed=0), X, y, "sse")[0])


def test_bad_input_is_explained():
    net = nnlib.Network.from_sizes([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="2 columns"):
        backward_steps(net, np.zeros((4, 3)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="same shape"):
        backward_steps(net, np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="loss must be one of"):
        backward_steps(net, np.zeros((4, 2)), np.zeros((4, 1)), loss="hinge")


def test_is_a_dataclass_record():
    X, y = nnlib.logic_gate("xor")
    step = backward_steps(nnlib.Network.from_sizes([2, 1], seed=0), X, y)[0]
    assert isinstance(step, BackwardStep)
    assert step.W is not None and step.layer_after is None
