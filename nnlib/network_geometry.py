"""Where everything of a network diagram goes: nodes, edges, bias, labels -- numbers only.

``network_geometry`` answers, for a Network (or one Dense layer, or just the
layer sizes), every question a drawing of it needs -- where each node sits,
what it says, which edges join which nodes with what width and style, where
the bias goes, which legend entries the picture needs -- as plain numbers and
strings. It needs numpy alone, so it can be read and tested without
matplotlib; ``nnlib.network_diagram.draw_network`` draws what it returns.

Coordinates are in *units*: layer k's column at ``x = k * dx``, rows 1 unit
apart, centred on ``y = 0``; a circle of ``radius`` units is one node. Sizes
of text are in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnlib.checks import as_array, check_positive_int
from nnlib.layer import Dense
from nnlib.network import Network

#: Legend entries a diagram can need, in the order they are listed.
POSITIVE_WEIGHT = "positive weight"
NEGATIVE_WEIGHT = "negative weight"
LAYER_BIAS = "bias (one per layer)"
NODE_BIAS = "b=...: bias of a node"
BIASES_LEFT_OUT = "(biases not shown: big layers)"

MAX_LABELLED_EDGES = 12  # show_weights="auto" writes the weights on at most this many edges
MAX_BIASED_ROWS = 6  # "b=..." under each node only for layers of at most this many drawn nodes


@dataclass
class Node:
    """One drawn node: node ``index`` of layer ``layer`` at ``(x, y)``, showing ``text``.

    ``kind``: ``"input"``, ``"hidden"`` or ``"output"`` (the drawing colours them apart).
    """

    layer: int
    index: int
    x: float
    y: float
    text: str
    kind: str


@dataclass
class Edge:
    """A line from ``start`` to ``end`` (x, y).

    ``weight``: the weight it stands for (None when only the sizes are known).
    ``sign``: ``"positive"`` (solid), ``"negative"`` (dashed) or ``"plain"``.
    ``width``: line width in points, larger for larger ``|w|``; ``alpha``: its
    opacity. ``label``: the weight's text, written at ``label_at``, or None.
    """

    start: tuple
    end: tuple
    weight: float | None
    sign: str
    width: float
    alpha: float = 1.0
    label: str | None = None
    label_at: tuple | None = None


@dataclass
class BiasNode:
    """A square "b" node of a layer with one bias, at ``(x, y)``, feeding ``edges``."""

    layer: int
    x: float
    y: float
    value: float
    edges: list = field(default_factory=list)


@dataclass
class NetworkGeometry:
    """Everything a network diagram shows, in units (positions) and points (fonts).

    ``nodes`` (list of Node), ``gaps`` ((x, y) of each "..." standing for the
    nodes left out of a big layer), ``edges`` (list of Edge), ``bias_nodes``
    (list of BiasNode), ``node_biases`` ((x, y, text) of each "b=..." label,
    its top at y), ``radius`` of a node, ``node_font`` and ``small_font``
    sizes, ``xlim``/``ylim``, ``columns`` ((x, label) under each layer),
    ``legend`` (entry names, see the constants above) and ``title``.
    """

    sizes: list
    nodes: list
    gaps: list
    edges: list
    bias_nodes: list
    node_biases: list
    radius: float
    node_font: float
    small_font: float
    xlim: tuple
    ylim: tuple
    columns: list
    legend: list
    title: str


def estimated_legend_height(entries, width_pt: float) -> float:
    """About how tall (points) the legend of ``entries`` is when it has ``width_pt`` to fill.

    About 0.55 em per letter and 5 em per entry at 8.5 points, 15 points per
    row, as many entries per row as fit. The drawing measures the real legend
    instead; this is for a geometry without a renderer.
    """
    if not entries:
        return 0.0
    for ncol in range(len(entries), 0, -1):
        width = sum((5.0 + 0.55 * len(name)) * 8.5 for name in entries[:ncol])
        if width <= 0.97 * width_pt:
            break
    return 15.0 * -(-len(entries) // ncol) + 4 + 4.0


def network_geometry(network_or_sizes, values=None, show_weights="auto", show_bias=True,
                     max_nodes=10, title=None, width_pt=504.0, height_pt=324.0,
                     legend_height=estimated_legend_height) -> NetworkGeometry:
    """The diagram of a network for an Axes of ``width_pt`` x ``height_pt`` points.

    Arguments as for ``draw_network``. ``legend_height(entries, width_pt)``
    gives the height in points of the legend band at the top (the drawing
    passes one that measures the real legend). Returns a NetworkGeometry.
    """
    sizes, layers, values, max_nodes = check_arguments(network_or_sizes, values, show_weights,
                                                       max_nodes)
    shown = [shown_nodes(n, max_nodes) for n in sizes]
    tallest = max(len(col) for col in shown)
    modes = [layer.bias_mode if layer.bias is not None else None for layer in layers]
    layer_bias = show_bias and "layer" in modes
    node_bias = show_bias and "node" in modes and tallest <= MAX_BIASED_ROWS
    legend = legend_entries(bool(layers), layer_bias, node_bias,
                            show_bias and "node" in modes and not node_bias)
    band_pt = legend_height(legend, width_pt) if legend else 0.0
    scale = _scale(shown, modes, layer_bias, node_bias, width_pt, height_pt, band_pt)
    position, gaps = node_positions(shown, scale["dx"])
    if title is None:
        title = "Network " + " -> ".join(str(s) for s in sizes)
        if values is not None:
            title += " (node values for one example)"
    return NetworkGeometry(
        sizes=sizes, nodes=_nodes(position, values), gaps=gaps,
        edges=_edges(sizes, layers, position, show_weights, scale["small_font"]),
        bias_nodes=_bias_nodes(layers, position, scale, show_bias),
        node_biases=_node_biases(layers, position, scale["radius"]) if node_bias else [],
        radius=scale["radius"], node_font=scale["node_font"], small_font=scale["small_font"],
        xlim=scale["xlim"], ylim=scale["ylim"], columns=_columns(sizes, position, scale["dx"]),
        legend=legend, title=title)


# ------------------------------------------------------------------ checks


def check_arguments(network_or_sizes, values, show_weights, max_nodes) -> tuple:
    """``(sizes, layers, values, max_nodes)`` checked; TypeError/ValueError saying what is wrong.

    ``layers``: the Dense layers whose weights are drawn (none for bare sizes);
    ``values``: one 1-D array per layer, or None.
    """
    sizes = sizes_of(network_or_sizes)
    layers = _layers_of(network_or_sizes)
    max_nodes = check_positive_int(max_nodes, "max_nodes")
    if max_nodes < 3:
        raise ValueError(f"max_nodes must be at least 3 (first, '...', last), got {max_nodes}")
    if values is not None:
        values = check_values(values, sizes)
    if show_weights not in ("auto", True, False):
        raise ValueError(f"show_weights must be 'auto', True or False, got {show_weights!r}")
    return sizes, layers, values, max_nodes


def sizes_of(network_or_sizes) -> list:
    """The layer sizes of a Network, of one Dense layer, or of a list of sizes (checked)."""
    if isinstance(network_or_sizes, Network):
        return network_or_sizes.sizes
    if isinstance(network_or_sizes, Dense):
        return [network_or_sizes.n_in, network_or_sizes.n_out]
    if isinstance(network_or_sizes, (str, bytes)) or not hasattr(network_or_sizes, "__len__"):
        raise TypeError(
            f"draw_network needs a Network or a list of layer sizes such as [2, 3, 1], "
            f"got {type(network_or_sizes).__name__}"
        )
    sizes = [check_positive_int(s, "each layer size") for s in network_or_sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least 2 layers (inputs and outputs), got {sizes}")
    return sizes


def _layers_of(network_or_sizes) -> list:
    """The Dense layers to draw the weights of (none when only the sizes are given)."""
    if isinstance(network_or_sizes, Network):
        return network_or_sizes.layers
    return [network_or_sizes] if isinstance(network_or_sizes, Dense) else []


def check_values(values, sizes) -> list:
    """``values`` as one 1-D array per layer, with the layer's number of nodes."""
    if isinstance(values, np.ndarray) or not isinstance(values, (list, tuple)):
        raise TypeError(
            f"values must be a list with one array per layer (as forward(X[:1], "
            f"return_all=True) returns), got {type(values).__name__}"
        )
    if len(values) != len(sizes):
        raise ValueError(
            f"values must hold one array per layer ({len(sizes)} for sizes {sizes}), "
            f"got {len(values)}"
        )
    checked = []
    for k, (v, n) in enumerate(zip(values, sizes, strict=True)):
        v = as_array(v, f"values[{k}]")
        if v.ndim == 2 and v.shape[0] == 1:
            v = v[0]
        if v.ndim == 2:
            raise ValueError(
                f"values[{k}] holds {v.shape[0]} examples; draw one at a time, "
                f"e.g. network.forward(X[:1], return_all=True)"
            )
        if v.shape != (n,):
            raise ValueError(
                f"values[{k}] must hold {n} values (one per node of layer {k}), got shape {v.shape}"
            )
        checked.append(v)
    return checked


# ---------------------------------------------------------------- geometry


def shown_nodes(n: int, max_nodes: int) -> list:
    """Indices of the nodes drawn for a layer of ``n`` nodes; None marks the '...' gap."""
    if n <= max_nodes:
        return list(range(n))
    return list(range(max_nodes - 1)) + [None, n - 1]


def legend_entries(weights: bool, layer_bias: bool, node_bias: bool,
                   biases_left_out: bool) -> list:
    """The legend entries of a network drawing: weight signs and how the bias is drawn."""
    entries = [POSITIVE_WEIGHT, NEGATIVE_WEIGHT] if weights else []
    if layer_bias:
        entries.append(LAYER_BIAS)
    if node_bias:
        entries.append(NODE_BIAS)
    elif biases_left_out:
        entries.append(BIASES_LEFT_OUT)
    return entries


def _scale(shown, modes, layer_bias, node_bias, width_pt, height_pt, band_pt) -> dict:
    """Column spacing ``dx``, limits, node radius and font sizes that fill the Axes.

    Circles need equal x and y scales, so ``dx`` is chosen for the drawing to
    fill the Axes' width; the legend band of ``band_pt`` points is added on top.
    """
    tallest = max(len(col) for col in shown)
    top = (tallest - 1) / 2
    y_low, y_high = -top - (0.9 if node_bias else 0.7), top + (1.9 if layer_bias else 0.7)
    drawing_pt = max(height_pt - band_pt, 0.5 * height_pt)
    n_gaps = len(shown) - 1 + 0.9
    dx = max(2.2, (y_high - y_low) * width_pt / drawing_pt / n_gaps)
    x_low, x_high = -0.45 * dx, (len(shown) - 1) * dx + 0.45 * dx
    points_per_unit = min(width_pt / (x_high - x_low), drawing_pt / (y_high - y_low))
    y_high += band_pt / points_per_unit
    # Nodes as big as the room allows: rows are 1 apart, and "b=..." labels under the nodes of
    # a column need room between its rows.
    biased_rows = max([len(shown[k]) for k, mode in enumerate(modes, start=1)
                       if mode == "node"] + [0])
    radius = 0.42 if tallest > 6 else (0.3 if node_bias and biased_rows > 1 else 0.38)
    return {"dx": dx, "top": top, "xlim": (x_low, x_high), "ylim": (y_low, y_high),
            "radius": radius,
            "node_font": float(np.clip(points_per_unit * radius * 0.62, 6, 10)),
            "small_font": float(np.clip(points_per_unit * 0.16, 6, 9))}


def node_positions(shown, dx) -> tuple:
    """``(position, gaps)``: position[k][i] = (x, y) of drawn node i of layer k; "..." places."""
    position, gaps = [], []
    for k, col in enumerate(shown):
        ys = (len(col) - 1) / 2 - np.arange(len(col))
        position.append({i: (k * dx, y) for i, y in zip(col, ys, strict=True) if i is not None})
        gaps += [(k * dx, y) for i, y in zip(col, ys, strict=True) if i is None]
    return position, gaps


def _nodes(position, values) -> list:
    """The drawn nodes, each with its value (or its name: x1, h2, o1, ...) as text."""
    n_layers = len(position)
    prefix = ["x"] + ["h"] * (n_layers - 2) + ["o"]
    kinds = ["input"] + ["hidden"] * (n_layers - 2) + ["output"]
    return [Node(k, i, x, y, f"{values[k][i]:.2f}" if values is not None else f"{prefix[k]}{i + 1}",
                 kinds[k])
            for k, nodes in enumerate(position) for i, (x, y) in nodes.items()]


def _label_fraction(n_i: int, n_sources: int, n_targets: int) -> float:
    """How far along its edges source ``n_i``'s weight labels sit, so labels never collide.

    Each source gets its own fraction. Edges that all meet in one node (or all
    leave one node) get the same one, away from that node: there the labels
    are about 2/3 of a row apart.
    """
    if n_targets == 1:
        return 0.35
    if n_sources == 1:
        return 0.65
    return 0.3 + 0.4 * n_i / (n_sources - 1)


def _edges(sizes, layers, position, show_weights, small_font) -> list:
    """One Edge per pair of drawn nodes in neighbouring layers, layer by layer, source by source.

    With weights: solid if ``w >= 0``, dashed if negative, width growing with
    ``|w|`` (thinner and lighter when there are over 40 edges).
    """
    n_edges = sum(len(a) * len(b) for a, b in zip(position, position[1:], strict=False))
    label_weights = bool(layers) and (show_weights is True or (
        show_weights == "auto" and n_edges <= MAX_LABELLED_EDGES))
    largest = max([np.abs(layer.weights).max() for layer in layers] + [1e-12])
    thin = n_edges > 40
    edges = []
    for k in range(len(sizes) - 1):
        sources, targets = position[k], position[k + 1]
        for n_i, (i, (x0, y0)) in enumerate(sources.items()):
            t = _label_fraction(n_i, len(sources), len(targets))
            for j, (x1, y1) in targets.items():
                if not layers:
                    edges.append(Edge((x0, y0), (x1, y1), None, "plain", 1.0))
                    continue
                w = float(layers[k].weights[i, j])
                edges.append(Edge(
                    (x0, y0), (x1, y1), w, "positive" if w >= 0 else "negative",
                    (0.3 + 1.5 * abs(w) / largest) if thin else (0.6 + 3.0 * abs(w) / largest),
                    0.6 if thin else 1.0, f"{w:.2f}" if label_weights else None,
                    (x0 + t * (x1 - x0), y0 + t * (y1 - y0))))
    return edges


def _bias_nodes(layers, position, scale, show_bias) -> list:
    """A square "b" node above the previous column for each layer with one bias per layer."""
    if not show_bias:
        return []
    found = []
    for k, layer in enumerate(layers, start=1):
        if layer.bias is None or layer.bias_mode != "layer":
            continue
        b = float(layer.bias[0])
        bx, by = (k - 1) * scale["dx"], scale["top"] + 1.1
        sign = "positive" if b >= 0 else "negative"
        found.append(BiasNode(k, bx, by, b, [Edge((bx, by), end, b, sign, 1.0, 0.8)
                                             for end in position[k].values()]))
    return found


def _node_biases(layers, position, radius) -> list:
    """``(x, y, "b=...")`` under each node of the layers with one bias per node."""
    return [(x, y - radius - 0.05, f"b={layer.bias[j]:.2f}")
            for k, layer in enumerate(layers, start=1)
            if layer.bias is not None and layer.bias_mode == "node"
            for j, (x, y) in position[k].items()]


def layer_name(k: int, n_layers: int) -> str:
    """"input", "output", "hidden" or "hidden k" for layer ``k`` of ``n_layers``."""
    if k == 0:
        return "input"
    if k == n_layers - 1:
        return "output"
    return "hidden" if n_layers == 3 else f"hidden {k}"


def _columns(sizes, position, dx) -> list:
    """``(x, text)`` under each layer: its name and number of nodes (and how many are shown)."""
    return [(k * dx, f"{layer_name(k, len(sizes))}\n{n} node{'s' if n > 1 else ''}"
             + (f" ({len(position[k])} shown)" if len(position[k]) < n else ""))
            for k, n in enumerate(sizes)]
