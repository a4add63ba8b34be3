"""Save a network's weights and biases to a ``.npz`` file, and load them back.

Only plain arrays and strings are stored and files are read with
``allow_pickle=False``: loading a file can never run code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnlib.layer import Dense
from nnlib.network import Network


def save(network: Network, path) -> Path:
    """Write every parameter plus the layer sizes, activations and bias modes to ``path``."""
    if not isinstance(network, Network):
        raise TypeError(f"save expects a Network, got {type(network).__name__}")
    path = Path(path)
    arrays = dict(network.parameters())
    arrays["meta.sizes"] = np.array(network.sizes)
    arrays["meta.activations"] = np.array([layer.activation.name for layer in network])
    arrays["meta.bias"] = np.array([str(layer.bias_mode) for layer in network])
    np.savez(path, **arrays)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def load(path) -> Network:
    """A new Network rebuilt from a file written by ``save``."""
    with np.load(path, allow_pickle=False) as data:
        if "meta.sizes" not in data.files:
            raise ValueError(f"{path} was not written by nnlib.saving.save: it holds {data.files}")
        sizes = [int(s) for s in data["meta.sizes"]]
        activations = [str(a) for a in data["meta.activations"]]
        modes = [None if m == "None" else str(m) for m in data["meta.bias"]]
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
            layer = Dense(n_in, n_out, activations[i], bias=modes[i], init="zeros",
                          dtype=data[f"layer{i + 1}.weights"].dtype)
            layers.append(layer)
        network = Network(layers)
        load_parameters(network, data)
    return network


def load_parameters(network: Network, source) -> None:
    """Copy saved parameters into an existing network of the same shape.

    ``source`` is a path or an already opened ``np.load`` result.
    """
    if not hasattr(source, "files"):
        with np.load(source, allow_pickle=False) as data:
            return load_parameters(network, data)
    for name, param in network.parameters().items():
        if name not in source.files:
            raise ValueError(f"the file has no parameter {name!r}; it holds {source.files}")
        saved = source[name]
        if saved.shape != param.shape:
            raise ValueError(
                f"{name} has shape {saved.shape} in the file but {param.shape} in the network"
            )
        param[...] = saved
    return None
