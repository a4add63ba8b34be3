"""Saving and loading networks: round trips, plain npz files without pickle, and errors."""

import numpy as np
import pytest

from nnlib.datasets import logic_gate
from nnlib.gradient_descent import train
from nnlib.layer import Dense
from nnlib.network import Network
from nnlib.saving import load, load_parameters, save


def trained_network(bias="node", dtype=np.float64):
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 3, 1], activation="tanh", output_activation="sigmoid",
                             bias=bias, seed=4, dtype=dtype)
    train(net, X.astype(dtype), y.astype(dtype), loss="bce", learning_rate=1.0, epochs=20)
    return net


@pytest.mark.parametrize("bias", ["node", "layer", None])
def test_round_trip(tmp_path, bias):
    net = trained_network(bias)
    path = save(net, tmp_path / "net.npz")
    assert path == tmp_path / "net.npz" and path.exists()
    twin = load(path)
    assert twin.sizes == net.sizes
    assert [layer.activation.name for layer in twin] == ["tanh", "sigmoid"]
    assert [layer.bias_mode for layer in twin] == [bias, bias]
    for name, p in net.parameters().items():
        np.testing.assert_array_equal(twin.parameters()[name], p)
        assert twin.parameters()[name].dtype == p.dtype
    X = np.random.default_rng(0).standard_normal((7, 2))
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))


def test_round_trip_float32_and_deeper(tmp_path):
    net = Network.from_sizes([3, 5, 4, 2], activation="relu", output_activation="linear",
                             seed=2, dtype=np.float32)
    twin = load(save(net, tmp_path / "deep.npz"))
    assert twin.sizes == [3, 5, 4, 2]
    assert all(p.dtype == np.float32 for p in twin.parameters().values())
    X = np.ones((2, 3), dtype=np.float32)
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))


def test_suffix_is_added(tmp_path):
    path = save(trained_network(), tmp_path / "model")
    assert path.name == "model.npz" and path.exists()
    assert load(path).sizes == [2, 3, 1]


def test_file_is_plain_arrays_without_pickle(tmp_path):
    net = trained_network()
    path = save(net, tmp_path / "net.npz")
    with np.load(path, allow_pickle=False) as data:
        assert set(data.files) == {"layer1.weights", "layer1.bias", "layer2.weights",
                                   "layer2.bias", "meta.sizes", "meta.activations",
                                   "meta.bias"}
        assert data["meta.sizes"].tolist() == [2, 3, 1]
        assert data["meta.activations"].tolist() == ["tanh", "sigmoid"]
        assert data["meta.bias"].tolist() == ["node", "node"]
        assert all(data[name].dtype != object for name in data.files)
        np.testing.assert_array_equal(data["layer1.weights"], net.layers[0].weights)


def test_loaded_network_is_independent(tmp_path):
    net = trained_network()
    twin = load(save(net, tmp_path / "net.npz"))
    twin.layers[0].weights += 1.0
    assert not np.array_equal(twin.layers[0].weights, net.layers[0].weights)


def test_load_parameters_into_an_existing_network(tmp_path):
    net = trained_network()
    path = save(net, tmp_path / "net.npz")
    fresh = Network.from_sizes([2, 3, 1], activation="tanh", output_activation="sigmoid",
                               seed=99)
    load_parameters(fresh, path)
    X = np.random.default_rng(1).standard_normal((5, 2))
    np.testing.assert_array_equal(fresh.forward(X), net.forward(X))


def test_load_parameters_shape_mismatch(tmp_path):
    path = save(trained_network(), tmp_path / "net.npz")
    wider = Network.from_sizes([2, 4, 1])
    with pytest.raises(ValueError, match=r"layer1.weights has shape \(2, 3\) in the file but "
                                         r"\(2, 4\) in the network"):
        load_parameters(wider, path)
    shared = Network.from_sizes([2, 3, 1], bias="layer")
    with pytest.raises(ValueError, match=r"layer1.bias has shape \(3,\) in the file but \(1,\)"):
        load_parameters(shared, path)
    deeper = Network.from_sizes([2, 3, 1, 1])
    with pytest.raises(ValueError, match=r"the file has no parameter 'layer3.weights'"):
        load_parameters(deeper, path)


def test_load_refuses_other_files(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, weights=np.ones(3))
    with pytest.raises(ValueError, match=r"was not written by nnlib.saving.save: it holds "
                                         r"\['weights'\]"):
        load(path)


def test_load_never_unpickles(tmp_path):
    path = tmp_path / "sneaky.npz"
    np.savez(path, **{"meta.sizes": np.array([1, 1]), "meta.activations": np.array(["linear"]),
                      "meta.bias": np.array(["node"]),
                      "layer1.weights": np.array([[{"not": "numbers"}]], dtype=object),
                      "layer1.bias": np.zeros(1)})
    with pytest.raises(ValueError, match="allow_pickle=False"):
        load(path)


def test_save_needs_a_network(tmp_path):
    with pytest.raises(TypeError, match="save expects a Network, got Dense"):
        save(Dense(2, 1), tmp_path / "layer.npz")
