"""Saving and loading networks: round trips, plain npz files without pickle, and errors."""

import numpy as np
import pytest

from nnlib.datasets import logic_gate
from nnlib.gradient_descent import train
from nnlib.layer import Dense
from nnlib.network import Network
from nnlib.saving import NotAParameterFile, load, load_parameters, save


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


def test_load_finds_what_save_wrote_under_the_same_name(tmp_path, monkeypatch):
    net = trained_network()
    monkeypatch.chdir(tmp_path)
    save(net, "model")
    twin = load("model")  # save wrote model.npz
    np.testing.assert_array_equal(twin.layers[0].weights, net.layers[0].weights)
    fresh = Network.from_sizes([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=9)
    load_parameters(fresh, "model")
    np.testing.assert_array_equal(fresh.layers[1].bias, net.layers[1].bias)


def test_a_missing_file_names_both_places_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no nnlib parameter file .*nothing or .*nothing"
                                                r"\.npz"):
        load(tmp_path / "nothing")
    with pytest.raises(IsADirectoryError, match="is a folder, not an nnlib parameter file"):
        load(tmp_path)
    with pytest.raises(TypeError, match="path must be a file name .*got int"):
        load(3)


def _damaged_files(good: bytes):
    import pickle

    return {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "truncated header": good[:10],
        "text": b"layer1.weights = [[1, 2], [3, 4]]\n",
        "a pickle": pickle.dumps({"layer1.weights": [[1.0]]}),
        "random bytes": bytes(range(256)) * 4,
        "one bare .npy array": None,  # written below with np.save
    }


@pytest.mark.parametrize("kind", list(_damaged_files(b"")))
def test_anything_load_cannot_read_is_not_an_nnlib_parameter_file(tmp_path, kind):
    good = save(trained_network(), tmp_path / "good.npz").read_bytes()
    path = tmp_path / "bad.npz"
    raw = _damaged_files(good)[kind]
    if raw is None:
        with open(path, "wb") as f:
            np.save(f, np.ones((2, 3)))
    else:
        path.write_bytes(raw)
    for call in (lambda: load(path), lambda: load_parameters(trained_network(), path)):
        with pytest.raises(NotAParameterFile, match=r"bad.npz is not an nnlib parameter file") \
                as info:
            call()
        assert "pickle" not in str(info.value).replace("never unpickles", "")


@pytest.mark.parametrize("drop", ["meta.sizes", "meta.activations", "meta.bias",
                                  "layer2.weights", "layer1.bias"])
def test_a_file_with_missing_keys_says_which(tmp_path, drop):
    path = save(trained_network(), tmp_path / "net.npz")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != drop}
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=f"{drop}"):
        load(path)


@pytest.mark.parametrize("key, value, message", [
    ("meta.sizes", np.array([2]), r"meta.sizes must be at least 2 whole numbers"),
    ("meta.sizes", np.array([2.0, 3.0, 1.0]), r"meta.sizes must be at least 2 whole numbers"),
    ("meta.activations", np.array(["tanh"]), r"meta.activations must name one setting per layer"),
    ("meta.activations", np.array(["tanh", "swish"]), r"expected activations from .*got 'swish'"),
    ("meta.bias", np.array(["node", "each"]), r"bias must be one of"),
    ("layer1.weights", np.array([["a", "b", "c"]] * 2), r"layer1.weights must hold real numbers"),
    ("layer1.weights", np.full((2, 3), np.nan), r"layer1.weights holds NaN or infinity"),
])
def test_a_file_with_wrong_contents_is_refused(tmp_path, key, value, message):
    path = save(trained_network(), tmp_path / "net.npz")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    arrays[key] = value
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=message):
        load(path)


def test_load_parameters_refuses_a_network_with_other_activations_or_bias(tmp_path):
    path = save(trained_network(), tmp_path / "net.npz")  # tanh hidden, sigmoid output
    relu = Network.from_sizes([2, 3, 1], activation="relu", output_activation="sigmoid")
    before = relu.layers[0].weights.copy()
    with pytest.raises(ValueError, match=r"layer 1 uses activation 'tanh' in .*net.npz but "
                                         r"'relu' in this network"):
        load_parameters(relu, path)
    np.testing.assert_array_equal(relu.layers[0].weights, before)  # nothing half-copied
    linear_out = Network.from_sizes([2, 3, 1], activation="tanh", output_activation="linear")
    with pytest.raises(ValueError, match=r"layer 2 uses activation 'sigmoid'"):
        load_parameters(linear_out, path)
    # one output node: a shared bias has the same shape (1,) as a bias per node
    shared_out = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid", bias="layer")])
    with pytest.raises(ValueError, match=r"layer 2 has bias='node' in .* but bias='layer'"):
        load_parameters(shared_out, path)
    with pytest.raises(TypeError, match="load_parameters expects a Network, got Dense"):
        load_parameters(Dense(2, 3), path)


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
    with pytest.raises(NotAParameterFile, match=r"is not an nnlib parameter file .*: it has no "
                                                r"meta.sizes, meta.activations, meta.bias; "
                                                r"got the arrays \['weights'\]"):
        load(path)


def test_load_never_unpickles(tmp_path):
    path = tmp_path / "sneaky.npz"
    np.savez(path, **{"meta.sizes": np.array([1, 1]), "meta.activations": np.array(["linear"]),
                      "meta.bias": np.array(["node"]),
                      "layer1.weights": np.array([[{"not": "numbers"}]], dtype=object),
                      "layer1.bias": np.zeros(1)})
    with pytest.raises(NotAParameterFile, match=r"got Python objects, not numbers, in "
                                                r"'layer1.weights'; nnlib never unpickles a file"):
        load(path)


def test_save_needs_a_network(tmp_path):
    with pytest.raises(TypeError, match="save expects a Network, got Dense"):
        save(Dense(2, 1), tmp_path / "layer.npz")
