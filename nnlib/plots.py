"""Pictures for the lessons: activations, losses, decision boundaries, networks, digits.

The network diagram is drawn by ``nnlib.network_diagram`` (positions from
``nnlib.network_geometry``), labels and legends are placed by
``nnlib.placement``, colours and sizes come from ``nnlib.figure_style``;
all of them are reached from here as well (``plots.draw_network``,
``plots.BLUE``, ...).

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
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from nnlib import figure_style, placement
from nnlib.activation import ACTIVATIONS, get_activation
from nnlib.checks import as_array, as_matrix, check_number, check_positive_int, check_range
from nnlib.figure_style import (  # noqa: F401  (re-exported: plots.BLUE, ...)
    BLACK,
    BLUE,
    DIGIT_SIZE,
    FIGSIZE,
    GREEN,
    HATCHES,
    LINESTYLES,
    MARKERS,
    NEGATIVE,
    NETWORK_FIGSIZE,
    ORANGE,
    PALETTE,
    PANEL_SIZE,
    POSITIVE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)
from nnlib.gradient_descent import History
from nnlib.layer import Dense
from nnlib.loss import get_loss
from nnlib.network import Network
from nnlib.network_diagram import draw_network  # noqa: F401  (re-exported)

#: Element-wise activations that can be drawn as a curve (softmax needs a whole row).
CURVE_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "softmax")


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
    ax = figure_style.axes(ax)
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
    ax = figure_style.axes(ax)
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
    ax = figure_style.axes(ax)
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


def class_grid(network, X, resolution, threshold=None) -> tuple:
    """``(xs, ys, classes)``: a grid over the data's range (with a margin) and the class there.

    ``xs``, ``ys``: ``resolution`` grid coordinates each; ``classes[i, j]``: the
    network's class at ``(xs[j], ys[i])``, as ``predict_classes`` picks it.
    """
    low, high = X.min(axis=0), X.max(axis=0)
    margin = 0.15 * np.maximum(high - low, 1e-9) + 0.1
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    return xs, ys, predict_classes(network, grid, threshold).reshape(grid_x.shape)


def _draw_regions(ax, xs, ys, classes, colors) -> None:
    """Fill each class's region (light colour and hatching) and draw the boundary line."""
    n_classes = len(colors)
    levels = np.arange(n_classes + 1) - 0.5
    with plt.rc_context({"hatch.color": "0.45", "hatch.linewidth": 0.6}):
        ax.contourf(xs, ys, classes, levels=levels, colors=colors, alpha=0.25,
                    hatches=[HATCHES[k % len(HATCHES)] for k in range(n_classes)])
    if np.unique(classes).size > 1:
        ax.contour(xs, ys, classes, levels=levels[1:-1], colors=BLACK, linewidths=1.2)


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
    ax = figure_style.axes(ax)
    if own_figure:
        ax.figure.set_layout_engine("constrained")  # keeps the legend (right of it) in view
    xs, ys, classes = class_grid(network, X, resolution, threshold)
    colors = [PALETTE[k % len(PALETTE)] for k in range(n_classes)]
    _draw_regions(ax, xs, ys, classes, colors)
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
