"""Save a network's weights and biases to a ``.npz`` file, and load them back.

Only plain arrays and strings are stored and files are read with
``allow_pickle=False``: loading a file can never run code.

``save(net, "model")`` writes ``model.npz`` (numpy adds the suffix), and
``load("model")`` finds it. Anything ``load`` cannot read as such a file (cut
short, empty, text, another program's arrays, keys missing, not numbers, NaN)
raises ``NotAParameterFile``, a ValueError that says what was wrong.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nnlib.activation import ACTIVATIONS
from nnlib.bias import check_bias_mode
from nnlib.layer import Dense
from nnlib.network import Network

_META = ("meta.sizes", "meta.activations", "meta.bias")


class NotAParameterFile(ValueError):
    """A file that ``load`` or ``load_parameters`` cannot read as a file written by ``save``."""


def _npz_path(path) -> Path:
    """``path``, or ``path + ".npz"`` when only that exists (what ``save(net, path)`` wrote)."""
    if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__"):
        path = Path(path.decode() if isinstance(path, bytes) else path)
    else:
        raise TypeError(f"path must be a file name (str or Path), got {type(path).__name__}")
    if path.is_file():
        return path
    with_suffix = path.with_name(path.name + ".npz")
    if path.suffix != ".npz" and with_suffix.is_file():
        return with_suffix
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not an nnlib parameter file")
    tried = str(path) if path.suffix == ".npz" else f"{path} or {with_suffix}"
    raise FileNotFoundError(f"there is no nnlib parameter file {tried}")


def _open(path):
    """``(path, arrays)``: every array of the file, read without pickle, or NotAParameterFile."""
    path = _npz_path(path)
    what = f"{path} is not an nnlib parameter file (expected a .npz written by nnlib.save)"
    try:
        with open(path, "rb") as f:  # our own handle: closed even when numpy gives up
            data = np.load(f, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise NotAParameterFile(f"{what}: got one bare array, not named arrays")
            arrays = {}
            for name in data.files:
                try:
                    arrays[name] = data[name]
                except ValueError as exc:  # an object array: it would need unpickling
                    raise NotAParameterFile(f"{what}: got Python objects, not numbers, in "
                                            f"{name!r}; nnlib never unpickles a file, as that "
                                            f"could run code") from exc
            data.close()
    except NotAParameterFile:
        raise
    except ValueError as exc:  # numpy: not a .npy/.npz at all (text, pickle, ...)
        raise NotAParameterFile(f"{what}: got a file that is not a numpy .npz archive") from exc
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise NotAParameterFile(f"{what}: got a file that is empty, cut short or damaged "
                                f"({type(exc).__name__})") from exc
    return path, arrays


def _check_layout(path, arrays):
    """The sizes, activations and bias modes a file records, checked for consistency."""
    what = f"{path} is not an nnlib parameter file (expected a .npz written by nnlib.save)"
    missing = [key for key in _META if key not in arrays]
    if missing:
        raise NotAParameterFile(f"{what}: it has no {', '.join(missing)}; "
                                f"got the arrays {sorted(arrays)}")
    sizes, activations, modes = (arrays[key] for key in _META)
    if (sizes.ndim != 1 or sizes.size < 2 or not np.issubdtype(sizes.dtype, np.integer)
            or (sizes < 1).any()):
        raise NotAParameterFile(f"{what}: meta.sizes must be at least 2 whole numbers >= 1, "
                                f"got {sizes.tolist()!r}")
    n_layers = sizes.size - 1
    for key, arr in (("meta.activations", activations), ("meta.bias", modes)):
        if arr.shape != (n_layers,) or arr.dtype.kind != "U":
            raise NotAParameterFile(f"{what}: {key} must name one setting per layer "
                                    f"({n_layers}), got {arr.tolist()!r}")
    activations = [str(a) for a in activations]
    unknown = [a for a in activations if a not in ACTIVATIONS]
    if unknown:
        raise NotAParameterFile(f"{what}: expected activations from {sorted(ACTIVATIONS)}, "
                                f"got {unknown[0]!r}")
    modes = [None if m == "None" else str(m) for m in modes]
    try:
        for mode in modes:
            check_bias_mode(mode)
    except (TypeError, ValueError) as exc:
        raise NotAParameterFile(f"{what}: {exc}") from exc
    return [int(s) for s in sizes], activations, modes


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
    """A new Network rebuilt from a file written by ``save`` (``"model"`` finds ``model.npz``)."""
    path, arrays = _open(path)
    sizes, activations, modes = _check_layout(path, arrays)
    first = arrays.get("layer1.weights")
    dtype = first.dtype if first is not None and first.dtype.kind == "f" else np.float64
    layers = [Dense(n_in, n_out, activations[i], bias=modes[i], init="zeros", dtype=dtype)
              for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False))]
    network = Network(layers)
    _copy_parameters(network, path, arrays)
    return network


def load_parameters(network: Network, source) -> None:
    """Copy saved parameters into an existing network of the same layout.

    ``source`` is a path (``"model"`` finds ``model.npz``). The network must
    match the file layer by layer: sizes, activations and bias modes; else a
    ValueError says where they differ (weights trained for a sigmoid layer mean
    something else in a ReLU layer). Nothing is copied unless everything fits.
    """
    if not isinstance(network, Network):
        raise TypeError(f"load_parameters expects a Network, got {type(network).__name__}")
    path, arrays = _open(source)
    _check_parameters(network, path, arrays)  # every parameter there, of the right shape
    if all(key in arrays for key in _META):
        sizes, activations, modes = _check_layout(path, arrays)
        if sizes != network.sizes:
            raise ValueError(f"{path} holds a network of sizes {sizes}, "
                             f"this network has sizes {network.sizes}")
        for i, layer in enumerate(network, start=1):
            if layer.activation.name != activations[i - 1]:
                raise ValueError(f"layer {i} uses activation {activations[i - 1]!r} in {path} "
                                 f"but {layer.activation.name!r} in this network")
            if layer.bias_mode != modes[i - 1]:
                raise ValueError(f"layer {i} has bias={modes[i - 1]!r} in {path} "
                                 f"but bias={layer.bias_mode!r} in this network")
    _copy_parameters(network, path, arrays)


def _check_parameters(network: Network, path, arrays) -> None:
    """Every parameter of ``network`` is in the file, of the same shape, finite real numbers."""
    for name, param in network.parameters().items():
        if name not in arrays:
            raise ValueError(f"the file has no parameter {name!r}; it holds {sorted(arrays)}")
        saved = arrays[name]
        if saved.shape != param.shape:
            raise ValueError(
                f"{name} has shape {saved.shape} in the file but {param.shape} in the network"
            )
        if saved.dtype.kind not in "fiu":
            raise NotAParameterFile(f"{path}: {name} must hold real numbers, "
                                    f"got dtype {saved.dtype}")
        if not np.all(np.isfinite(saved)):
            raise ValueError(f"{path}: {name} holds NaN or infinity; a network saved after its "
                             f"training diverged cannot be used")


def _copy_parameters(network: Network, path, arrays) -> None:
    """Check every saved parameter against the network's, then copy them all."""
    _check_parameters(network, path, arrays)
    for name, param in network.parameters().items():
        param[...] = arrays[name]
