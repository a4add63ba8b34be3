"""One dtype end to end: a network computes in its own dtype, whatever it is given."""

import numpy as np
import pytest

from nnlib import loss as L
from nnlib.datasets import logic_gate, two_moons
from nnlib.gradient_descent import train
from nnlib.layer import Dense
from nnlib.network import Network


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("given", [np.float64, np.float32, np.int64])
def test_forward_and_predict_return_the_network_s_dtype(dtype, given):
    net = Network.from_sizes([2, 5, 3], activation="tanh", output_activation="softmax",
                             seed=0, dtype=dtype)
    X = (np.arange(8).reshape(4, 2) - 3).astype(given)
    for out in (net.forward(X), net.predict(X), *net.forward(X, return_all=True)[1:],
                net.layers[0].forward(X)):
        assert out.dtype == dtype
    expected = Network.from_sizes([2, 5, 3], activation="tanh", output_activation="softmax",
                                  seed=0, dtype=dtype).forward(X.astype(dtype))
    np.testing.assert_array_equal(net.forward(X), expected)  # converted first, then computed


def test_a_float32_network_trains_and_predicts_in_float32_on_float64_data():
    X, y = two_moons(64, seed=0)  # every data set is float64
    assert X.dtype == np.float64
    net = Network.from_sizes([2, 8, 1], activation="tanh", output_activation="sigmoid",
                             seed=0, dtype=np.float32)
    history = train(net, X, y, loss="bce", learning_rate=1.0, epochs=50, batch_size=16)
    assert history.loss[-1] < history.loss[0]
    assert all(p.dtype == np.float32 for p in net.parameters().values())
    assert all(g.dtype == np.float32 for g in net.gradients().values())
    assert net.predict(X).dtype == np.float32


@pytest.mark.parametrize("loss, output, target", [
    (L.MeanSquaredError(), np.full((3, 2), 0.5, np.float32), np.zeros((3, 2))),
    (L.SumSquaredError(), np.full((3, 2), 0.5, np.float32), np.zeros((3, 2))),
    (L.SumAbsoluteError(), np.full((3, 2), 0.5, np.float32), np.zeros((3, 2))),
    (L.BinaryCrossEntropy(), np.full((3, 1), 0.5, np.float32), np.ones((3, 1))),
    (L.BinaryCrossEntropy(from_logits=True), np.full((3, 1), 2.0, np.float32), np.ones((3, 1))),
    (L.SoftmaxCrossEntropy(), np.ones((3, 4), np.float32), np.array([0, 1, 3])),
    (L.SoftmaxCrossEntropy(), np.ones((3, 4), np.float32), np.eye(4)[[0, 1, 3]]),
])
def test_losses_keep_the_output_s_dtype(loss, output, target):
    value, grad = loss(output, target)  # float64 targets
    assert isinstance(value, float) and grad.dtype == np.float32


def test_a_network_of_mixed_dtypes_is_refused():
    with pytest.raises(ValueError, match=r"every layer of a network computes in one dtype, got "
                                         r"layer 1 in float32 and layer 2 in float64"):
        Network([Dense(2, 3, dtype=np.float32), Dense(3, 1)])


def test_float32_xor_still_learns():
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid",
                             seed=0, dtype=np.float32)
    history = train(net, X, y, loss="bce", learning_rate=1.0, epochs=500)
    assert history.loss[-1] < 0.05 and net.forward(X).dtype == np.float32
