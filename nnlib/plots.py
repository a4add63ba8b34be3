"""Pictures for the lessons: activations, losses, decision boundaries, networks, digits.

Import it as ``from nnlib import plots`` (it needs matplotlib; ``import nnlib``
alone does not). Every function

- takes an optional ``ax`` (a matplotlib Axes to draw into; ``None`` makes a
  new figure of a fixed size) and returns the Axes -- or the Figure, for the
  functions that draw a grid of pictures;
- sets a title and axis labels;
- uses the Okabe-Ito colours, which stay distinguishable for colour-blind
  readers, and never says anything with colour alone: a second cue (line
  style, marker shape or text) always carries the same meaning.

In a notebook, end the cell with ``plt.show()``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Rectangle

from nnlib import placement
from nnlib.activation import ACTIVATIONS, get_activation
from nnlib.checks import as_array, as_matrix, check_number, check_positive_int, check_range
from nnlib.gradient_descent import History
from nnlib.layer import Dense
from nnlib.loss import get_loss
from nnlib.network import Network

# ------------------------------------------------------------- the palette

# Okabe-Ito colours (safe for the common kinds of colour blindness).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
YELLOW = "#F0E442"
BLACK = "#000000"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, BLACK)
#: The second cue next to colour: one marker shape and one line style per series.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
#: Light hatching for the filled class regions of a decision boundary.
HATCHES = ("", "//", "..", "\\\\", "xx", "oo", "--", "++")

POSITIVE = BLUE  # positive weights: blue and solid
NEGATIVE = VERMILLION  # negative weights: vermillion and dashed

#: Default figure sizes in inches (width, height).
FIGSIZE = (6.0, 4.0)
NETWORK_FIGSIZE = (7.0, 4.5)
PANEL_SIZE = (3.4, 3.0)  # one panel of plot_activations
DIGIT_SIZE = (1.0, 1.25)  # one image of plot_digits / plot_hidden_weights

#: Element-wise activations that can be drawn as a curve (softmax needs a whole row).
CURVE_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "softmax")


# ----------------------------------------------------------------- helpers


def _axes(ax, figsize=FIGSIZE) -> Axes:
    """``ax`` itself, or the Axes of a new figure of size ``figsize`` when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes (or None for a new figure), got {type(ax).__name__}"
        )
    return ax


def curve_activation(name):
    """The Activation for ``name``, refusing softmax (it is not a curve of one number).

    ``name``: an activation name or Activation, as ``get_activation`` takes.
    """
    activation = get_activation(name)
    if activation.name not in CURVE_ACTIVATIONS:
        raise ValueError(
            f"only activations of a single number can be drawn as a curve: "
            f"{', '.join(CURVE_ACTIVATIONS)}; softmax works on a whole row, got {name!r}"
        )
    return activation


# -------------------------------------------------------------- activations


def _draw_activation(ax, activation, low, high, show_derivative):
    """Draw ``activation`` (solid) and its derivative (dashed) on ``ax``, for z in [low, high]."""
    z = np.linspace(low, high, 401)
    label = activation.name
    ax.axhline(0.0, color="0.75", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.75", linewidth=0.8, zorder=0)
    ax.plot(z, activation.forward(z), color=BLUE, linewidth=2.2, label=f"{label}(z)")
    if show_derivative:
        ax.plot(z, activation.derivative(z), color=ORANGE, linestyle="--", linewidth=1.8,
                label=f"{label}'(z)  (derivative)")
    ax.set_xlim(low, high)


def plot_activation(name="sigmoid", z_range=(-10, 10), show_derivative=True, points=None,
                    ax=None):
    """Draw ``a = f(z)`` (solid) and, when ``show_derivative``, ``f'(z)`` (dashed).

    ``name``: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"linear"`` (or an
    Activation). ``z_range``: the z values shown. ``points``: z values to mark
    on the curve, each labelled with ``f(z)`` where the label covers no curve.
    Returns the Axes.
    """
    activation = curve_activation(name)
    low, high = check_range(z_range, "z_range")
    if points is not None:
        points = as_array(points, "points").ravel()
    ax = _axes(ax)
    _draw_activation(ax, activation, low, high, show_derivative)
    label = activation.name
    ax.set_title(f"The {label} activation")
    ax.set_xlabel("z  (weighted sum of the inputs)")
    ax.set_ylabel("a = f(z)  (output of the node)")
    labels = []
    if points is not None:
        values = activation.forward(points)
        ax.plot(points, values, linestyle="none", marker="o", markersize=7, color=BLACK,
                label="marked points")
        ax.set_ylim(ax.get_ylim())  # fixed now, so the labels can be placed for good
        labels = placement.label_points(ax, np.column_stack([points, values]),
                               [f"{label}({z0:.2f}) = {a0:.2f}" for z0, a0 in
                                zip(points, values, strict=True)])
    placement.place_legend(ax, placement.CORNERS, avoid=labels, fontsize=9)
    return ax


def plot_activations(names=("sigmoid", "tanh", "relu", "linear"), z_range=(-5, 5),
                     show_derivative=True):
    """One panel per activation, side by side, each with its derivative. Returns the Figure.

    The panels share one legend, under the panels, so no legend covers
    a curve.
    """
    if isinstance(names, str):
        names = (names,)
    names = list(names)
    if not names:
        raise ValueError("names must list at least one activation, got an empty list")
    activations = [curve_activation(name) for name in names]
    low, high = check_range(z_range, "z_range")
    fig, axes = plt.subplots(1, len(names), figsize=(PANEL_SIZE[0] * len(names), PANEL_SIZE[1]),
                             layout="constrained", squeeze=False)
    for activation, ax in zip(activations, axes[0], strict=True):
        _draw_activation(ax, activation, low, high, show_derivative)
        ax.set_title(activation.name)
        ax.set_ylabel("f(z) and f'(z)" if show_derivative else "f(z)")
        ax.set_xlabel("z")
    handles = [Line2D([], [], color=BLUE, linewidth=2.2, label="the activation f(z)")]
    if show_derivative:
        handles.append(Line2D([], [], color=ORANGE, linestyle="--", linewidth=1.8,
                              label="its derivative f'(z)"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9,
               frameon=False)
    fig.suptitle("Activation functions (solid) and their derivatives (dashed)"
                 if show_derivative else "Activation functions")
    return fig


# ------------------------------------------------------------------- losses


def _loss_values(history_or_values, per: str) -> np.ndarray:
    if per not in ("epoch", "step"):
        raise ValueError(f"per must be 'epoch' or 'step', got {per!r}")
    if isinstance(history_or_values, History):
        values = history_or_values.loss if per == "epoch" else history_or_values.step_loss
    else:
        values = history_or_values
    values = as_array(values, "history_or_values").ravel()
    if values.size == 0:
        raise ValueError("there are no loss values to plot (an empty history or list)")
    return values


def plot_loss_curve(history_or_values, per="epoch", log=False, ax=None, label=None):
    """The loss as training goes on, from a ``History`` or a list of numbers.

    ``per``: ``"epoch"`` (``history.loss``) or ``"step"`` (``history.step_loss``).
    ``log``: a logarithmic loss axis, which shows small losses better. Call it
    several times on the same ``ax`` with a ``label`` each to compare runs:
    each curve gets its own colour *and* line style. NaN or infinite values
    (a diverged run) are simply not drawn. Returns the Axes.
    """
    values = _loss_values(history_or_values, per)
    if log and np.any(values <= 0):
        raise ValueError("a log scale needs losses > 0; these hold a loss <= 0 (use log=False)")
    ax = _axes(ax)
    k = len(ax.get_lines())
    # A diverged run reaches 1e300 and more: on a log axis matplotlib's margin around such
    # values overflows; that is harmless, so numpy is told not to warn about it.
    with np.errstate(over="ignore"):
        ax.plot(np.arange(1, values.size + 1), values, color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], linewidth=2, label=label)
        if log:
            ax.set_yscale("log")
    ax.set_title(f"Loss during training (per {per})")
    ax.set_xlabel(per)
    ax.set_ylabel("loss (log scale)" if log else "loss")
    if any(not line.get_label().startswith("_") for line in ax.get_lines()):
        ax.legend()
    return ax


_LOSS_LABELS = {
    "sum_absolute_error": "absolute error |p - y|",
    "sum_squared_error": "squared error (p - y)²",
    "mean_squared_error": "squared error (p - y)² (mean of one)",
    "binary_cross_entropy": "binary cross-entropy",
}


def loss_of_one_prediction(loss, predictions, target):
    """The loss of each single prediction ``p`` against ``target``, one at a time (1-D array)."""
    loss = get_loss(loss)
    target = np.array([[target]], dtype=np.float64)
    return np.array([loss.value(np.array([[p]]), target) for p in predictions])


def plot_loss_vs_prediction(target=1.0, losses=("sae", "sse"), prediction_range=(-1.0, 3.0),
                            ax=None):
    """How the loss of one prediction ``p`` grows as ``p`` moves away from the ``target`` y.

    One curve per loss (names as in ``get_loss``: ``"sae"``, ``"sse"``,
    ``"mse"``, ``"bce"``); the binary cross-entropy is drawn only for
    predictions strictly between 0 and 1, and needs a target in [0, 1].
    Returns the Axes.
    """
    target = check_number(target, "target")
    low, high = check_range(prediction_range, "prediction_range")
    if isinstance(losses, str):
        losses = (losses,)
    losses = [get_loss(name) for name in losses]
    if not losses:
        raise ValueError("losses must name at least one loss, got an empty list")
    ax = _axes(ax)
    for k, loss in enumerate(losses):
        if loss.name not in _LOSS_LABELS:
            raise ValueError(
                f"plot_loss_vs_prediction draws losses of a single number: 'sae', 'sse', 'mse' "
                f"or 'bce', got {loss!r}"
            )
        if loss.name == "binary_cross_entropy":
            if not max(low, 0.0) < min(high, 1.0):
                raise ValueError(
                    f"binary cross-entropy needs predictions between 0 and 1, but "
                    f"prediction_range is {prediction_range!r}"
                )
            p = np.linspace(max(low, 0.005), min(high, 0.995), 301)
        else:
            p = np.linspace(low, high, 401)
        ax.plot(p, loss_of_one_prediction(loss, p, target), color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], linewidth=2.2,
                label=_LOSS_LABELS[loss.name])
    ax.axvline(target, color=BLACK, linestyle=":", linewidth=1.5, label=f"target y = {target:g}")
    ax.set_xlim(low, high)
    ax.set_ylim(bottom=0.0)
    ax.set_title(f"Loss of a single prediction p (target y = {target:g})")
    ax.set_xlabel("prediction p")
    ax.set_ylabel("loss")
    # The curves are lowest at the target, so the legend fits best at the top, right beside
    # the target line (not on it), on its wider side; else in whichever corner is free.
    t = (target - low) / (high - low)
    beside = [("upper right", (t - 0.01, 1.0)), ("upper left", (t + 0.01, 1.0))]
    places = beside[::-1] if t < 0.5 else beside
    inside = [place for place in places if 0.0 < place[1][0] < 1.0]
    placement.place_legend(ax, inside + placement.CORNERS, fontsize=9)
    return ax


# -------------------------------------------------------- decision boundary


def _class_labels(y, n_examples: int) -> np.ndarray:
    """Labels as integers (n,), from 0/1 columns (n, 1), one-hot rows (n, k) or integers (n,)."""
    y = as_array(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim == 2:
        y = y.argmax(axis=1).astype(np.float64)
    if y.ndim != 1 or y.shape[0] != n_examples:
        raise ValueError(
            f"y must hold one label per example: shape ({n_examples},), ({n_examples}, 1) or "
            f"one-hot ({n_examples}, n_classes), got shape {np.shape(y)}"
        )
    if np.any(y < 0) or np.any(y != np.round(y)):
        raise ValueError("y must hold class labels 0, 1, 2, ... (whole numbers >= 0)")
    return y.astype(np.int64)


def predict_classes(network, X, threshold=None) -> np.ndarray:
    """The class the network picks for each row of ``X``: output > threshold, or argmax.

    With one output node the class is 1 where the output exceeds ``threshold``
    (default 0.5, or 0 for a tanh output); with several, the node with the
    largest output wins.
    """
    output = network.forward(X)
    if output.shape[1] > 1:
        return output.argmax(axis=1)
    if threshold is None:
        threshold = 0.0 if network.layers[-1].activation.name == "tanh" else 0.5
    return (output[:, 0] > threshold).astype(np.int64)


def plot_decision_boundary(network, X, y, ax=None, resolution=150, title=None, threshold=None):
    """Colour the input plane by the class the network picks, and show the data on top.

    ``network`` must have 2 inputs (the two axes). Regions are filled with a
    light colour and a hatching pattern per class, the boundary between them is
    a black line, and the data points use a different marker per class.
    ``y``: labels (n,), 0/1 column (n, 1) or one-hot (n, k). Returns the Axes.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be an nnlib Network, got {type(network).__name__}")
    if network.sizes[0] != 2:
        raise ValueError(
            f"plot_decision_boundary draws the two inputs as the x and y axes, so the network "
            f"must have 2 inputs; this one has {network.sizes[0]} (sizes {network.sizes})"
        )
    X = as_matrix(X, "X", 2)
    labels = _class_labels(y, X.shape[0])
    resolution = check_positive_int(resolution, "resolution")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2 grid points per axis, got {resolution}")
    n_outputs = network.sizes[-1]
    n_classes = max(2 if n_outputs == 1 else n_outputs, int(labels.max()) + 1)
    own_figure = ax is None
    ax = _axes(ax)
    if own_figure:
        ax.figure.set_layout_engine("constrained")  # keeps the legend (right of it) in view

    # A grid over the data's range, with a margin, and the network's class at each point.
    low, high = X.min(axis=0), X.max(axis=0)
    margin = 0.15 * np.maximum(high - low, 1e-9) + 0.1
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    classes = predict_classes(network, grid, threshold).reshape(grid_x.shape)

    levels = np.arange(n_classes + 1) - 0.5
    colors = [PALETTE[k % len(PALETTE)] for k in range(n_classes)]
    with plt.rc_context({"hatch.color": "0.45", "hatch.linewidth": 0.6}):
        ax.contourf(grid_x, grid_y, classes, levels=levels, colors=colors, alpha=0.25,
                    hatches=[HATCHES[k % len(HATCHES)] for k in range(n_classes)])
    present = np.unique(classes)
    if present.size > 1:
        ax.contour(grid_x, grid_y, classes, levels=levels[1:-1], colors=BLACK, linewidths=1.2)

    handles, names = [], []
    for k in range(n_classes):
        mine = labels == k
        points = ax.scatter(X[mine, 0], X[mine, 1], s=40, marker=MARKERS[k % len(MARKERS)],
                            color=colors[k], edgecolors=BLACK, linewidths=0.7)
        region = Patch(facecolor=colors[k], alpha=0.35, hatch=HATCHES[k % len(HATCHES)],
                       edgecolor="0.45", linewidth=0)
        handles.append((region, points))
        names.append(f"class {k}")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    sizes = " -> ".join(str(s) for s in network.sizes)
    ax.set_title(title if title is not None else f"Decision boundary of a {sizes} network")
    ax.set_xlabel("x1 (input 1)")
    ax.set_ylabel("x2 (input 2)")
    handles.append(Line2D([], [], color=BLACK, linewidth=1.2))
    names.append("boundary")
    # On its own figure the legend sits outside, right of the data (the layout makes room
    # for it); in a grid of panels (a given ax) it stays inside, where it cannot cover the
    # next panel, in the corner with the fewest data points and boundary.
    style = {"handles": handles, "labels": names, "fontsize": 9, "title_fontsize": 8,
             "title": "region = network's answer",
             "handler_map": {tuple: HandlerTuple(ndivide=None, pad=0.3)}}
    if own_figure:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), **style)
    else:
        placement.place_legend(ax, placement.CORNERS, framealpha=0.85, **style)
    return ax


# ------------------------------------------------------------ network diagram


def _shown_nodes(n: int, max_nodes: int) -> list:
    """Indices of the nodes drawn for a layer of ``n`` nodes; None marks the '...' gap."""
    if n <= max_nodes:
        return list(range(n))
    return list(range(max_nodes - 1)) + [None, n - 1]


def _check_values(values, sizes) -> list:
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


def _sizes_of(network_or_sizes) -> list:
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


def _layer_name(k: int, n_layers: int) -> str:
    if k == 0:
        return "input"
    if k == n_layers - 1:
        return "output"
    return "hidden" if n_layers == 3 else f"hidden {k}"


def _network_legend_handles(weights: bool, layer_bias: bool, node_bias: bool,
                            biases_left_out: bool) -> list:
    """The legend entries of a network drawing: weight signs and how the bias is drawn."""
    handles = []
    if weights:
        handles += [Line2D([], [], color=POSITIVE, linewidth=2, label="positive weight"),
                    Line2D([], [], color=NEGATIVE, linewidth=2, linestyle="--",
                           label="negative weight")]
    if layer_bias:
        handles.append(Line2D([], [], linestyle="none", marker="s", markersize=9,
                              markerfacecolor="0.9", markeredgecolor=BLACK,
                              label="bias (one per layer)"))
    if node_bias:
        handles.append(Line2D([], [], linestyle="none", label="b=...: bias of a node"))
    elif biases_left_out:
        handles.append(Line2D([], [], linestyle="none", label="(biases not shown: big layers)"))
    return handles


def _network_legend(ax, handles, width_pt: float) -> float:
    """Put the legend at the top of ``ax``, in rows that fit ``width_pt``; its height in points.

    The legend is measured with the figure's renderer: all entries in one row if
    that fits the Axes' width, else in fewer columns.
    """
    renderer = placement.renderer(ax.figure)
    for ncol in range(len(handles), 0, -1):
        legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0),
                           ncol=ncol, frameon=False, fontsize=8.5, handlelength=2.5,
                           borderaxespad=0.2, columnspacing=1.5)
        if renderer is None:  # no way to measure: about 0.55 em per letter, 5 em per entry
            width = sum((5.0 + 0.55 * len(h.get_label())) * 8.5 for h in handles[:ncol])
            height = 15.0 * math.ceil(len(handles) / ncol) + 4
        else:
            extent = legend.get_window_extent(renderer)
            width, height = (extent.width * 72 / ax.figure.dpi, extent.height * 72 / ax.figure.dpi)
        if width <= 0.97 * width_pt:
            break
    return height + 4.0


def draw_network(network_or_sizes, values=None, ax=None, show_weights="auto", show_bias=True,
                 max_nodes=10, title=None):
    """Draw a network as circles (nodes) in columns joined by lines (weights).

    ``network_or_sizes``: a Network (or one Dense layer), or just the layer
    sizes, e.g. ``[2, 3, 1]``. ``values``: one array per layer -- e.g.
    ``network.forward(X[:1], return_all=True)`` -- written inside the nodes.

    For a Network, each edge shows its weight: **solid blue** if positive,
    **dashed vermillion** if negative, thicker for larger ``|w|``; with
    ``show_weights`` (``"auto"``: at most 12 edges) the numbers are written
    on the edges too. With ``show_bias``, a network with one bias per layer
    gets a square "b" node feeding every node of that layer, and one with a
    bias per node gets ``b=...`` under each node (left out when a layer shows
    more than 6 nodes: no room). Layers bigger than ``max_nodes`` show their
    first nodes, a "..." and their last node. ``title`` replaces the default
    title. The legend sits inside the Axes, above the drawing, so the figure
    keeps it whole and a title set later does not run into it. Returns the Axes.
    """
    sizes = _sizes_of(network_or_sizes)
    network = network_or_sizes if isinstance(network_or_sizes, (Network, Dense)) else None
    layers = [] if network is None else (
        network.layers if isinstance(network, Network) else [network])
    max_nodes = check_positive_int(max_nodes, "max_nodes")
    if max_nodes < 3:
        raise ValueError(f"max_nodes must be at least 3 (first, '...', last), got {max_nodes}")
    if values is not None:
        values = _check_values(values, sizes)
    if show_weights not in ("auto", True, False):
        raise ValueError(f"show_weights must be 'auto', True or False, got {show_weights!r}")
    if ax is None:  # a figure of its own: margins with room for the two-line layer names
        ax = _axes(ax, NETWORK_FIGSIZE)
        ax.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.19, top=0.9)
    ax = _axes(ax)
    ax.set_aspect("equal")

    shown = [_shown_nodes(n, max_nodes) for n in sizes]
    tallest = max(len(col) for col in shown)
    top = (tallest - 1) / 2
    bias_modes = [layer.bias_mode if layer.bias is not None else None for layer in layers]
    layer_bias = show_bias and "layer" in bias_modes
    node_bias = show_bias and "node" in bias_modes and tallest <= 6
    box = ax.get_position(original=True).transformed(ax.figure.transSubfigure)  # pixels
    width_pt, height_pt = box.width * 72 / ax.figure.dpi, box.height * 72 / ax.figure.dpi

    # The legend goes in a band at the top of the Axes, above the drawing: inside the Axes,
    # so it never leaves the figure and a title set later does not run into it.
    handles = _network_legend_handles(bool(layers), layer_bias, node_bias,
                                      show_bias and "node" in bias_modes and not node_bias)
    band_pt = _network_legend(ax, handles, width_pt) if handles else 0.0

    # Where every drawn node sits: column k at x = k * dx, rows 1 unit apart, centred on y = 0.
    # dx is chosen so that the drawing fills the Axes' width (circles need equal x/y scales).
    y_low, y_high = -top - (0.9 if node_bias else 0.7), top + (1.9 if layer_bias else 0.7)
    drawing_pt = max(height_pt - band_pt, 0.5 * height_pt)
    n_gaps = len(sizes) - 1 + 0.9
    dx = max(2.2, (y_high - y_low) * width_pt / drawing_pt / n_gaps)
    x_low, x_high = -0.45 * dx, (len(sizes) - 1) * dx + 0.45 * dx
    points_per_unit = min(width_pt / (x_high - x_low), drawing_pt / (y_high - y_low))
    y_high += band_pt / points_per_unit
    # Nodes as big as the room allows: rows are 1 apart, and "b=..." labels under the nodes of
    # a column need room between its rows.
    biased_rows = max([len(shown[k]) for k, mode in enumerate(bias_modes, start=1)
                       if mode == "node"] + [0])
    radius = 0.42 if tallest > 6 else (0.3 if node_bias and biased_rows > 1 else 0.38)
    node_font = float(np.clip(points_per_unit * radius * 0.62, 6, 10))
    small_font = float(np.clip(points_per_unit * 0.16, 6, 9))
    position = []  # position[k][i] = (x, y) of node i of layer k, for the drawn nodes
    gaps = []
    for k, col in enumerate(shown):
        ys = (len(col) - 1) / 2 - np.arange(len(col))
        position.append({i: (k * dx, y) for i, y in zip(col, ys, strict=True) if i is not None})
        gaps += [(k * dx, y) for i, y in zip(col, ys, strict=True) if i is None]

    # Edges: one per pair of drawn nodes in neighbouring layers.
    n_edges = sum(len(a) * len(b) for a, b in zip(position, position[1:], strict=False))
    label_weights = bool(layers) and (show_weights is True or (show_weights == "auto"
                                                               and n_edges <= 12))
    largest = max([np.abs(layer.weights).max() for layer in layers] + [1e-12])
    thin = n_edges > 40  # many edges: thinner lines, so the picture stays readable
    for k in range(len(sizes) - 1):
        sources, targets = position[k], position[k + 1]
        for n_i, (i, (x0, y0)) in enumerate(sources.items()):
            # Each source's labels sit at their own fraction t of the way, so they never collide.
            # Edges that all meet in one node (or all leave one node) get the same t, away from
            # that node: there the labels are about 2/3 of a row apart.
            if len(targets) == 1:
                t = 0.35
            elif len(sources) == 1:
                t = 0.65
            else:
                t = 0.3 + 0.4 * n_i / (len(sources) - 1)
            for j, (x1, y1) in targets.items():
                if not layers:
                    ax.plot([x0, x1], [y0, y1], color="0.55", linewidth=1.0, zorder=1)
                    continue
                w = layers[k].weights[i, j]
                ax.plot([x0, x1], [y0, y1], color=POSITIVE if w >= 0 else NEGATIVE,
                        linestyle="-" if w >= 0 else "--", alpha=0.6 if thin else 1.0,
                        linewidth=(0.3 + 1.5 * abs(w) / largest) if thin
                        else (0.6 + 3.0 * abs(w) / largest), zorder=1)
                if label_weights:
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.2f}",
                            fontsize=small_font, ha="center", va="center", zorder=4,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.9})

    # Bias: a square "b" node per layer, or "b=..." under each node.
    for k, layer in enumerate(layers, start=1):
        if not show_bias or layer.bias is None:
            continue
        if layer.bias_mode == "layer":
            b = float(layer.bias[0])
            bx, by = (k - 1) * dx, top + 1.1
            for x1, y1 in position[k].values():
                ax.plot([bx, x1], [by, y1], color=POSITIVE if b >= 0 else NEGATIVE,
                        linestyle="-" if b >= 0 else "--", linewidth=1.0, zorder=1, alpha=0.8)
            ax.add_patch(Rectangle((bx - radius, by - radius), 2 * radius, 2 * radius,
                                   facecolor="0.9", edgecolor=BLACK, zorder=3))
            ax.text(bx, by, "b", fontsize=node_font, ha="center", va="center", zorder=4)
            ax.text(bx, by + radius + 0.08, f"b = {b:.2f}", fontsize=small_font, ha="center",
                    va="bottom", zorder=4)
        elif node_bias:
            for j, (x1, y1) in position[k].items():
                ax.text(x1, y1 - radius - 0.05, f"b={layer.bias[j]:.2f}",
                        fontsize=small_font, ha="center", va="top", zorder=4,
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85})

    # Nodes, with their value (or their name) inside.
    prefix = ["x"] + ["h"] * (len(sizes) - 2) + ["o"]
    for k, nodes in enumerate(position):
        face = "#DCEBF7" if k == 0 else ("#FBE9D7" if k == len(sizes) - 1 else "white")
        for i, (x, y) in nodes.items():
            ax.add_patch(Circle((x, y), radius, facecolor=face, edgecolor=BLACK, linewidth=1.2,
                                zorder=3))
            text = f"{values[k][i]:.2f}" if values is not None else f"{prefix[k]}{i + 1}"
            ax.text(x, y, text, fontsize=node_font, ha="center", va="center", zorder=4)
    for x, y in gaps:
        ax.text(x, y, "...", fontsize=node_font + 2, ha="center", va="center", rotation=90)

    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xticks([k * dx for k in range(len(sizes))])
    ax.set_xticklabels([
        f"{_layer_name(k, len(sizes))}\n{n} node{'s' if n > 1 else ''}"
        + (f" ({len(position[k])} shown)" if len(position[k]) < n else "")
        for k, n in enumerate(sizes)])
    ax.set_yticks([])
    ax.tick_params(axis="x", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("layer (data flows left to right)")
    ax.set_ylabel("nodes")

    if title is None:
        title = "Network " + " -> ".join(str(s) for s in sizes)
        if values is not None:
            title += " (node values for one example)"
    ax.set_title(title, fontsize=11)
    return ax


# ------------------------------------------------------------------- digits


def _as_images(images) -> np.ndarray:
    images = as_array(images, "images")
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(
                f"images of shape (n, {images.shape[1]}) are not square; pass (n, 8, 8) or (n, 64)"
            )
        images = images.reshape(images.shape[0], side, side)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, 8, 8) or (n, 64), got {images.shape}")
    if images.shape[0] > 200:
        raise ValueError(
            f"that is {images.shape[0]} images; plot at most 200 at once, e.g. images[:20]"
        )
    return images


def _as_labels(labels, n: int, name: str):
    if labels is None:
        return None
    labels = np.asarray(labels).ravel()
    if labels.shape != (n,):
        raise ValueError(f"{name} must hold one label per image ({n}), got shape {labels.shape}")
    return labels


def plot_digits(images, labels=None, predictions=None, n_cols=10, title=None):
    """A grid of small grayscale images (dark = ink), with their labels as titles.

    ``images``: (n, 8, 8) or (n, 64). ``labels``: the true digits.
    ``predictions``: the network's answers; a wrong one is titled
    ``"pred 3 / true 5"`` in bold, with a thick vermillion frame. Returns the Figure.
    """
    images = _as_images(images)
    n = images.shape[0]
    labels = _as_labels(labels, n, "labels")
    predictions = _as_labels(predictions, n, "predictions")
    n_cols = min(check_positive_int(n_cols, "n_cols"), n)
    n_rows = math.ceil(n / n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, squeeze=False, layout="constrained",
                             figsize=(DIGIT_SIZE[0] * n_cols + 0.3, DIGIT_SIZE[1] * n_rows + 0.6))
    top = 16.0 if images.max() > 1.0 else 1.0
    mistakes = 0
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.set_axis_off()
            continue
        ax.imshow(images[k], cmap="gray_r", vmin=min(0.0, images.min()), vmax=top)
        text, wrong = "", False
        if predictions is not None and labels is not None:
            wrong = predictions[k] != labels[k]
            text = f"pred {predictions[k]} / true {labels[k]}" if wrong else f"{labels[k]}"
        elif predictions is not None:
            text = f"pred {predictions[k]}"
        elif labels is not None:
            text = f"{labels[k]}"
        if wrong:
            mistakes += 1
            for spine in ax.spines.values():
                spine.set_color(VERMILLION)
                spine.set_linewidth(3)
        ax.set_title(text, fontsize=8 if wrong else 10, fontweight="bold" if wrong else "normal",
                     color=VERMILLION if wrong else BLACK)
    if title is None:
        title = f"{n} digit image{'s' if n > 1 else ''}"
        if predictions is not None and labels is not None:
            title += f": {mistakes} wrong (titled 'pred ... / true ...')"
    fig.suptitle(title)
    height, width = images.shape[1:]
    fig.supxlabel(f"each image: {width} x {height} pixels, darker = more ink", fontsize=9)
    return fig


def plot_hidden_weights(layer, n=16, shape=(8, 8), n_cols=None):
    """Each hidden node's incoming weights drawn as an image: what the node responds to.

    ``layer``: the first Dense layer of a network (or the Network). Node ``j``'s
    weights ``W[:, j]`` are reshaped to ``shape`` (the input image's shape).
    Blue pixels have positive weights (ink there switches the node on),
    red ones negative; the colour bar gives the numbers. Returns the Figure.
    """
    if isinstance(layer, Network):
        layer = layer.layers[0]
    if not isinstance(layer, Dense):
        raise TypeError(f"layer must be a Dense layer or a Network, got {type(layer).__name__}")
    if len(shape) != 2 or shape[0] * shape[1] != layer.n_in:
        raise ValueError(
            f"shape {tuple(shape)} must hold exactly the layer's {layer.n_in} inputs"
        )
    n = min(check_positive_int(n, "n"), layer.n_out)
    n_cols = math.ceil(math.sqrt(n)) if n_cols is None else check_positive_int(n_cols, "n_cols")
    n_rows = math.ceil(n / n_cols)
    weights = layer.weights[:, :n]
    limit = max(float(np.abs(weights).max()), 1e-12)
    fig, axes = plt.subplots(n_rows, n_cols, squeeze=False, layout="constrained",
                             figsize=(1.3 * n_cols + 1.2, 1.35 * n_rows + 0.7))
    image = None
    for j, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if j >= n:
            ax.set_axis_off()
            continue
        image = ax.imshow(weights[:, j].reshape(shape), cmap="RdBu", vmin=-limit, vmax=limit)
        ax.set_title(f"node {j + 1}", fontsize=9)
    bar = fig.colorbar(image, ax=axes, shrink=0.8)
    bar.set_label("weight (blue +, red -)")
    fig.suptitle("What the hidden nodes respond to: each node's incoming weights")
    fig.supxlabel("pixel column", fontsize=9)
    fig.supylabel("pixel row", fontsize=9)
    return fig
