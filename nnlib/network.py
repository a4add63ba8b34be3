"""A network: an ordered stack of layers, input to output.

The input layer is the data itself (``n_in`` values per example); every
``Dense`` layer after it is a hidden layer, and the last one is the output
layer. ``Network.from_sizes([2, 3, 1])`` is a network with 2 input nodes, one
hidden layer of 3 nodes and 1 output node.

Forward propagation runs the layers in order; back-propagation runs them in
reverse, each layer turning the gradient of its output into the gradient of
its input and keeping the gradients of its own weights and bias.
"""

from __future__ import annotations

import numpy as np

from nnlib.checks import as_matrix, check_finite, make_rng
from nnlib.layer import Dense


class Network:
    """An ordered stack of ``Dense`` layers whose sizes match.

    ``forward(X)`` maps a batch ``X`` of shape (batch, n_inputs) to the
    output (batch, n_outputs); ``backward(dOut)`` fills every layer's
    gradients. ``parameters()`` and ``gradients()`` name them
    ``"layer1.weights"``, ``"layer1.bias"``, ... in order.
    """

    def __init__(self, layers):
        if isinstance(layers, Dense):
            raise TypeError("Network expects a list of Dense layers, got a single Dense; "
                            "for a network of one layer use Network([layer])")
        try:
            layers = list(layers)
        except TypeError:
            raise TypeError(f"Network expects a list of Dense layers, got "
                            f"{type(layers).__name__} {layers!r:.60}") from None
        if not layers:
            raise ValueError("a network needs at least one layer, got an empty list")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Dense):
                raise TypeError(f"layer {i + 1} must be a Dense layer, got {type(layer).__name__}")
        for i, (before, after) in enumerate(zip(layers, layers[1:], strict=False)):
            if before.weights.dtype != after.weights.dtype:
                raise ValueError(
                    f"every layer of a network computes in one dtype, got layer {i + 1} in "
                    f"{before.weights.dtype} and layer {i + 2} in {after.weights.dtype}")
            if before.n_out != after.n_in:
                raise ValueError(
                    f"layer sizes do not match: layer {i + 1} outputs {before.n_out} values "
                    f"but layer {i + 2} expects {after.n_in} inputs"
                )
        self.layers = layers

    @classmethod
    def from_sizes(cls, sizes, activation="sigmoid", output_activation=None, bias="node",
                   init="auto", seed=0, dtype=np.float64) -> Network:
        """Build a network from its layer sizes, e.g. ``[64, 32, 10]``.

        ``sizes[0]`` is the number of input nodes, ``sizes[-1]`` of output
        nodes. Hidden layers use ``activation``; the output layer uses
        ``output_activation`` (default: the same). ``seed`` makes the starting
        weights reproducible.
        """
        sizes = list(sizes) if isinstance(sizes, (list, tuple, range, np.ndarray)) else sizes
        if not isinstance(sizes, list) or len(sizes) < 2:
            raise ValueError(
                f"sizes must list at least 2 layer sizes (inputs and outputs), got {sizes!r}"
            )
        rng = make_rng(seed)
        output_activation = activation if output_activation is None else output_activation
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
            last = i == len(sizes) - 2
            layers.append(Dense(n_in, n_out, output_activation if last else activation,
                                bias=bias, init=init, seed=rng, dtype=dtype))
        return cls(layers)

    # ------------------------------------------------------------ structure
    @property
    def sizes(self) -> list:
        """Nodes per layer, input layer first, e.g. ``[2, 3, 1]``."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def n_parameters(self) -> int:
        return sum(layer.n_parameters for layer in self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i) -> Dense:
        return self.layers[i]

    def __iter__(self):
        return iter(self.layers)

    # -------------------------------------------------------------- passes
    def forward(self, X, return_all: bool = False, check: bool = True):
        """Propagate ``X`` (batch, n_inputs) through every layer.

        Returns the output (batch, n_outputs), or with ``return_all=True`` the
        list of every layer's values ``[X, A1, A2, ..., output]`` (what the
        network diagrams draw). The network computes in its own dtype (that of
        its weights): a checked ``X`` is converted to it, so a float32 network
        gives float32 outputs for float64 data. ``check=False`` is the fast path
        of training loops: ``X`` must then already be a checked, finite float
        array in the network's dtype.
        """
        if check:
            X = check_finite(as_matrix(X, "X", self.layers[0].n_in), "X")
            X = X.astype(self.layers[0].weights.dtype, copy=False)
        if return_all:
            values = [X]
            for layer in self.layers:
                values.append(layer.forward(values[-1], check=False))
            return values
        for layer in self.layers:
            X = layer.forward(X, check=False)
        return X

    def backward(self, grad_output, need_input_grad: bool = True):
        """Back-propagate dL/d(output), shape (batch, n_outputs), through every layer.

        Fills each layer's ``grad_weights``/``grad_bias`` and returns dL/dX, or
        None with ``need_input_grad=False`` (training never uses the gradient of
        the data, so the first layer skips it).
        """
        grad = grad_output
        for layer in self.layers[:0:-1]:
            grad = layer.backward(grad)
        return self.layers[0].backward(grad, need_input_grad)

    def backward_from_logits(self, grad_z, need_input_grad: bool = True):
        """Back-propagate dL/dZ of the output layer's weighted sums, shape (batch, n_outputs).

        What ``train`` and ``gradcheck`` use for a loss computed from the logits
        (binary cross-entropy on a sigmoid output): the output layer's
        activation step is skipped, every other step is as in ``backward``.
        """
        grad = self.layers[-1].backward_from_z(grad_z, need_input_grad or len(self.layers) > 1)
        for layer in self.layers[-2:0:-1]:
            grad = layer.backward(grad)
        if len(self.layers) > 1:
            grad = self.layers[0].backward(grad, need_input_grad)
        return grad

    def predict(self, X) -> np.ndarray:
        """The network's output for ``X``; same as ``forward``."""
        return self.forward(X)

    # ---------------------------------------------------------- parameters
    def parameters(self) -> dict:
        """``{"layer1.weights": W1, "layer1.bias": b1, ...}`` (the arrays, not copies).

        A layer listed more than once (its weights shared, as in ``nnlib.bug_zoo``)
        is named once, by its first place.
        """
        return {f"layer{i}.{name}": p for i, layer in self._numbered_layers()
                for name, p in layer.parameters().items()}

    def gradients(self) -> dict:
        """Same keys as ``parameters()``, holding the gradients from the last ``backward``."""
        return {f"layer{i}.{name}": g for i, layer in self._numbered_layers()
                for name, g in layer.gradients().items()}

    def _numbered_layers(self):
        """``(1, layer1), (2, layer2), ...``, each distinct layer once."""
        seen = set()
        for i, layer in enumerate(self.layers, start=1):
            if id(layer) not in seen:
                seen.add(id(layer))
                yield i, layer

    def copy(self) -> Network:
        """An independent copy with the same weights and biases."""
        twin = Network.__new__(Network)
        twin.layers = []
        for layer in self.layers:
            new = Dense.__new__(Dense)
            new.__dict__.update(layer.__dict__)
            new.weights = layer.weights.copy()
            new.bias = None if layer.bias is None else layer.bias.copy()
            new.grad_weights = new.grad_bias = new.cache = None
            twin.layers.append(new)
        return twin

    def __repr__(self) -> str:
        lines = [f"Network {' -> '.join(str(s) for s in self.sizes)}"
                 f"  ({self.n_parameters} parameters)"]
        lines.append(f"  {'input':<6} {_nodes(self.sizes[0])}")
        for i, layer in enumerate(self.layers, start=1):
            kind = "output" if i == len(self.layers) else "hidden"
            b = 0 if layer.bias is None else layer.bias.size
            lines.append(
                f"  {kind:<6} {_nodes(layer.n_out)}  {layer.activation.name:<8}"
                f"  weights {str(layer.weights.shape):<10} + bias {b:>3}"
                f"  = {layer.n_parameters} parameters"
            )
        return "\n".join(lines)


def check_network(network, who: str) -> Network:
    """``network`` if it is a Network, else a TypeError saying what ``who`` was given."""
    if isinstance(network, Network):
        return network
    hint = "; for a single layer use Network([layer])" if isinstance(network, Dense) else ""
    raise TypeError(f"{who} expects a Network, got {type(network).__name__}{hint}")


def _nodes(n: int) -> str:
    """``"   3 nodes"`` / ``"   1 node "``: aligned in the summary table."""
    return f"{n:>4} node{'s' if n != 1 else ' '}"
