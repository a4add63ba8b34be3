r"""The computational graph of a small network on one example: every number, node by node.

A dense network on one example is a chain of small computations. For layer
``k`` with input values ``x_i`` (the data, or the previous layer's ``a``),
weights ``W[i, j]`` and biases ``b[j]``:

.. math::  z_j = \textstyle\sum_i x_i W[i, j] + b_j, \qquad a_j = f(z_j)

and the loss ``L`` is computed from the last layer's ``a``. Drawn as a graph,
each of these numbers is a **node** and each "is used to compute" is an
**edge** from a parent (e.g. ``w``) to a child (e.g. ``z``). Going backward,
every edge carries

- its **local slope** d(child)/d(parent): ``x_i`` for a weight, 1 for a bias,
  ``W[i, j]`` for an input, f'(z) from ``z`` to ``a``, dL/da into the loss;
- its **back-propagated gradient**: dL/d(child) times that slope, the part of
  dL/d(parent) that flows along this edge. A parent used by several children
  (an input feeding every node of the next layer) adds up its edges.

Every number here is one that nnlib itself computes: the forward values and
the gradients are ``nnlib.backprop_steps.backward_steps``'s records (the very
``dense_backward`` that ``Network.backward`` runs), and the local slopes and the
per-edge parts come from the same named steps of ``nnlib.layer``
(``activation_backward``, ``weight_gradient``, ``input_gradient``) and
``nnlib.bias.bias_gradient``, fed with ones or with one node's ``dZ`` alone.

``computational_graph(network, x, y, loss)`` builds the graph (numpy only);
``graph_reading(graph, step)`` says what the first ``step`` edges of the
backward pass have revealed. ``nnlib.graph_plot`` draws both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnlib.backprop_steps import backward_steps
from nnlib.bias import bias_gradient
from nnlib.checks import as_array
from nnlib.layer import activation_backward, input_gradient, weight_gradient
from nnlib.loss import get_loss


@dataclass
class GraphNode:
    """One number of the graph.

    ``key``: a unique id such as ``"z2[0]"``; ``label``: how a picture names it
    (``"z"`` for a one-node network, ``"z2[0]"`` otherwise); ``kind``: ``"input"``,
    ``"weight"``, ``"bias"``, ``"z"``, ``"a"`` or ``"loss"``; ``layer`` (0 for
    the inputs, 1.. for the layers, the number of layers + 1 for the loss) and
    ``index`` (the node's number in its layer, (i, j) for a weight);
    ``value``: its forward value; ``grad``: dL/d(this number).
    """

    key: str
    label: str
    kind: str
    layer: int
    index: object
    value: float
    grad: float


@dataclass
class GraphEdge:
    """``parent`` is used to compute ``child`` (both node keys).

    ``slope``: the local slope d(child)/d(parent); ``grad``: the gradient this
    edge carries back, dL/d(child) * slope (a part of dL/d(parent)).
    """

    parent: str
    child: str
    slope: float
    grad: float


@dataclass
class ComputationalGraph:
    """The nodes (forward order: inputs, then layer by layer, then the loss) and the
    edges in the order back-propagation visits them (from the loss back to the inputs).

    ``loss_name``: the loss's name; ``target``: the example's target(s);
    ``n_layers``, ``sizes``: the network's shape.
    """

    nodes: dict
    edges: list
    loss_name: str
    target: np.ndarray
    sizes: tuple
    n_layers: int = field(init=False)

    def __post_init__(self):
        self.n_layers = len(self.sizes) - 1

    @property
    def loss(self) -> float:
        """The loss's value L."""
        return self.nodes["L"].value

    def edges_from(self, key: str) -> list:
        """The edges leaving node ``key`` (those that carry its gradient back to it)."""
        return [edge for edge in self.edges if edge.parent == key]


def _label(name, layer, index, many_layers, many) -> str:
    """``name`` with the layer number when the network has several layers, and the index
    when there are several of its kind."""
    text = f"{name}{layer}" if many_layers and layer else name
    if not many:
        return text
    if isinstance(index, tuple):
        return f"{text}[{index[0]},{index[1]}]"
    return f"{text}[{index}]"


def computational_graph(network, x, y, loss="sum_squared_error") -> ComputationalGraph:
    """The graph of ``network`` on ONE example ``x`` (n_inputs numbers) with target ``y``.

    ``loss``: a Loss or its name. Softmax layers are refused (their outputs
    depend on each other, so ``a_j`` has an edge from every ``z``). Returns a
    ``ComputationalGraph`` whose node values and gradients are those of
    ``backward_steps`` (so of ``Network.backward``).
    """
    loss = get_loss(loss)
    X, y = _one_example(network, x, y)
    steps = sorted(backward_steps(network, X, y, loss), key=lambda s: s.layer)
    sizes = (X.shape[1], *(layer.n_out for layer in network.layers))
    nodes = _graph_nodes(network, steps, loss.value(steps[-1].A, y))
    edges = _graph_edges(network, steps)
    return ComputationalGraph(nodes, edges, loss.name, y[0], sizes)


def _one_example(network, x, y):
    """``x`` and ``y`` as rows (1, n_inputs) and (1, n_outputs); softmax layers refused."""
    x = as_array(x, "x")
    n_in = network.layers[0].n_in
    if x.size != n_in or x.ndim > 2 or (x.ndim == 2 and x.shape[0] != 1):
        raise ValueError(f"x must be ONE example of {n_in} numbers (shape ({n_in},) or "
                         f"(1, {n_in})), got shape {x.shape}")
    for k, layer in enumerate(network.layers, start=1):
        if layer.activation.name == "softmax":
            raise ValueError(f"layer {k} uses softmax, whose outputs depend on each other; "
                             "the graph is drawn for element-wise activations only")
    n_out = network.layers[-1].n_out
    y = as_array(y, "y")
    if y.size != n_out:
        raise ValueError(f"y must be the example's {n_out} target number(s), got shape {y.shape}")
    return x.reshape(1, n_in), y.reshape(1, n_out)


def _graph_nodes(network, steps, loss_value) -> dict:
    """Every input, weight, bias, z, a and the loss, with its value and dL/d(it)."""
    n_in = network.layers[0].n_in
    many_layers = len(network.layers) > 1
    nodes = {}

    def add(key, name, kind, layer, index, value, grad, many):
        nodes[key] = GraphNode(key, _label(name, layer, index, many_layers, many), kind,
                               layer, index, float(value), float(grad))

    first = steps[0]
    for i in range(n_in):
        add(f"x[{i}]", "x", "input", 0, i, first.X[0, i], first.dX[0, i], n_in > 1)
    for step, layer in zip(steps, network.layers, strict=True):
        k = step.layer
        for i, j in np.ndindex(step.W.shape):
            add(f"W{k}[{i},{j}]", "w", "weight", k, (i, j), step.W[i, j], step.dW[i, j],
                step.W.size > 1)
        if layer.bias_mode == "node":
            for j in range(layer.n_out):
                add(f"b{k}[{j}]", "b", "bias", k, j, layer.bias[j], step.db[j], layer.n_out > 1)
        elif layer.bias_mode == "layer":
            add(f"b{k}", "b", "bias", k, None, layer.bias[0], step.db[0], False)
        for j in range(layer.n_out):
            add(f"z{k}[{j}]", "z", "z", k, j, step.Z[0, j], step.dZ[0, j], layer.n_out > 1)
            add(f"a{k}[{j}]", "a", "a", k, j, step.A[0, j], step.dA[0, j], layer.n_out > 1)
    add("L", "L", "loss", len(steps) + 1, None, loss_value, 1.0, False)
    nodes["L"].label = "L"  # one loss: no layer number
    return nodes


def _graph_edges(network, steps) -> list:
    """Every edge, child to parent: its local slope and the share of dL it carries."""
    edges = []
    last = steps[-1]
    for j in range(last.A.shape[1]):  # into the loss: the slope IS dL/da
        edges.append(GraphEdge(f"a{last.layer}[{j}]", "L", float(last.dA[0, j]),
                               float(last.dA[0, j])))
    for step, layer in reversed(list(zip(steps, network.layers, strict=True))):
        k = step.layer
        ones = np.ones_like(step.Z)
        f_slope = activation_backward(ones, step.Z, step.A, layer.activation)  # f'(z)
        w_slope = weight_gradient(step.X, ones)  # dz_j/dW[i, j] = x_i
        b_slope = bias_gradient(ones, "node")  # dz_j/db_j = 1
        inputs = [f"x[{i}]" for i in range(step.X.shape[1])] if k == 1 else \
            [f"a{k - 1}[{i}]" for i in range(step.X.shape[1])]
        for j in range(layer.n_out):
            only_j = np.zeros_like(step.dZ)
            only_j[0, j] = step.dZ[0, j]  # this node's dZ alone: its share of each gradient
            unit_j = np.zeros_like(step.dZ)
            unit_j[0, j] = 1.0
            edges.append(GraphEdge(f"z{k}[{j}]", f"a{k}[{j}]", float(f_slope[0, j]),
                                   float(step.dZ[0, j])))
            w_grad = weight_gradient(step.X, only_j)
            for i in range(step.W.shape[0]):
                edges.append(GraphEdge(f"W{k}[{i},{j}]", f"z{k}[{j}]", float(w_slope[i, j]),
                                       float(w_grad[i, j])))
            if layer.bias_mode is not None:
                key = f"b{k}[{j}]" if layer.bias_mode == "node" else f"b{k}"
                edges.append(GraphEdge(key, f"z{k}[{j}]", float(b_slope[j]),
                                       float(bias_gradient(only_j, "node")[j])))
            x_slope = input_gradient(unit_j, step.W)  # dz_j/dx_i = W[i, j]
            x_grad = input_gradient(only_j, step.W)
            for i, parent in enumerate(inputs):
                edges.append(GraphEdge(parent, f"z{k}[{j}]", float(x_slope[0, i]),
                                       float(x_grad[0, i])))
    return edges


@dataclass
class GraphReading:
    """What the first ``step`` edges of the backward pass show.

    ``revealed``: those edges (backward order); ``known``: the keys of the nodes
    whose gradient is complete (the loss from the start; any other node once
    every edge leaving it is revealed); ``current``: the last revealed edge
    (None at step 0); ``text``: the readout.
    """

    step: int
    n_steps: int
    revealed: list
    known: set
    current: GraphEdge | None
    text: str


def _f(value: float) -> str:
    text = f"{value:.3f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def graph_reading(graph: ComputationalGraph, step: int) -> GraphReading:
    """The backward pass of ``graph`` revealed up to edge ``step`` (0: the forward pass only).

    ``step`` runs from 0 to ``len(graph.edges)``; anything else is a ValueError.
    """
    n = len(graph.edges)
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step <= n:
        raise ValueError(f"step must be a whole number from 0 to {n}, got {step!r}")
    step = int(step)
    revealed = graph.edges[:step]
    done = {id(edge) for edge in revealed}
    known = {"L"} | {key for key in graph.nodes
                     if key != "L" and graph.edges_from(key)
                     and all(id(edge) in done for edge in graph.edges_from(key))}
    nodes = graph.nodes
    if step == 0:
        text = (f"step 0 of {n}: the forward pass. Every node holds its value; "
                f"L = {_f(graph.loss)}.\n"
                "Move the slider: each step sends the gradient back along one more edge.")
        return GraphReading(0, n, [], known, None, text)
    edge = revealed[-1]
    parent, child = nodes[edge.parent], nodes[edge.child]
    if child.kind == "loss":
        how = f"local slope dL/d{parent.label} = {_f(edge.slope)} (the loss's own gradient)"
    else:
        why = "f'(z)" if child.kind == "a" else \
            {"weight": "the input", "bias": "1", "input": "the weight",
             "a": "the weight"}[parent.kind]
        how = f"local slope d{child.label}/d{parent.label} = {_f(edge.slope)} ({why})"
    lines = [f"step {step} of {n}: edge {parent.label} -> {child.label}",
             f"  {how}",
             f"  dL/d{child.label} x slope = {_f(child.grad)} x {_f(edge.slope)} "
             f"= {_f(edge.grad)}"]
    parts = graph.edges_from(edge.parent)
    if edge.parent in known:
        if len(parts) > 1:
            lines.append(f"  dL/d{parent.label} = sum of its {len(parts)} edges = "
                         f"{_f(parent.grad)}")
        else:
            lines.append(f"  dL/d{parent.label} = {_f(parent.grad)}")
    else:
        left = sum(id(e) not in done for e in parts)
        lines.append(f"  dL/d{parent.label}: {left} more edge(s) to add")
    return GraphReading(step, n, revealed, known, edge, "\n".join(lines))
