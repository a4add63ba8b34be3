"""Pictures of the loss landscape: contours with gradient descent's path, and one step in 1-D.

The numbers come from ``nnlib.loss_landscape`` (nnlib's own forward, loss,
backward and ``sgd_step``); this module draws them:

- ``plot_landscape(X, y, paths, ax=None)``: contour lines of the loss over
  ``(w, b)``, the bottom of the bowl, and one line with markers per path;
- ``plot_one_step(X, y, w, learning_rate, ax=None)``: the loss along ``w``
  (the bias held at its best value), the tangent at ``w``, and the step of
  size learning rate x slope to the new point;
- ``landscape_explorer()``: sliders for the learning rate, the number of
  steps and the starting point (an ``nnlib.widgets.Explorer``).

Colours from ``nnlib.figure_style``; every colour also has its own marker or
line style, and labels are placed by ``nnlib.placement``.
"""

from __future__ import annotations

import numpy as np

from nnlib import figure_style, placement
from nnlib.learning_rate import sgd_step
from nnlib.loss import get_loss
from nnlib.loss_landscape import (
    B_RANGE,
    W_RANGE,
    best_fit,
    descent_path,
    landscape_data,
    landscape_grid,
    loss_at,
    neuron,
    path_reading,
)

PATH_STYLES = [(figure_style.BLUE, "o", "-"), (figure_style.GREEN, "s", "--"),
               (figure_style.VERMILLION, "^", "-."), (figure_style.PURPLE, "D", ":")]


def _new_axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def _contours(ax, X, y, grid=None):
    """The contour lines of the landscape, the bottom marked; returns ``(ws, bs, L)``."""
    ws, bs, L = landscape_grid(X, y) if grid is None else grid
    lowest = loss_at(*best_fit(X, y), X, y)
    levels = lowest + np.geomspace(0.02, L.max() - lowest, 14)
    ax.contour(ws, bs, L, levels=levels, colors="0.55", linewidths=0.8, zorder=0)
    w_best, b_best = best_fit(X, y)
    ax.plot([w_best], [b_best], linestyle="none", marker="*", markersize=15,
            color=figure_style.YELLOW, markeredgecolor=figure_style.BLACK, zorder=4,
            label="the bottom (lowest loss)")
    ax.set_xlim(*W_RANGE)
    ax.set_ylim(*B_RANGE)
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    return ws, bs, L


def plot_landscape(X, y, paths=(), ax=None, title="The loss over (w, b), and gradient descent",
                   labels=None):
    """Contours of the loss over ``(w, b)`` and the ``paths`` (``loss_landscape.Path``) on them.

    Each path is a line with a marker at every step, labelled with its
    learning rate (or with ``labels``, one text per path); the bottom of the
    bowl is a star. Returns the Axes.
    """
    paths = list(paths)
    if labels is None:
        labels = [f"learning rate {path.learning_rate:g}" for path in paths]
    labels = list(labels)
    if len(labels) != len(paths):
        raise ValueError(f"labels must give one text per path ({len(paths)}), got {len(labels)}")
    ax = _new_axes(ax, (7.0, 5.6))
    _contours(ax, X, y)
    for k, (path, label) in enumerate(zip(paths, labels, strict=True)):
        color, marker, style = PATH_STYLES[k % len(PATH_STYLES)]
        ax.plot(path.points[:, 0], path.points[:, 1], color=color, marker=marker,
                linestyle=style, markersize=4, linewidth=1.6, zorder=3, label=label)
    ax.plot([p.points[0, 0] for p in paths[:1]], [p.points[0, 1] for p in paths[:1]],
            linestyle="none", marker="o", markersize=10, markerfacecolor="white",
            markeredgecolor=figure_style.BLACK, zorder=5, label="start")
    ax.set_title(title)
    placement.place_legend(ax, placement.CORNERS, fontsize=9)
    return ax


def plot_one_step(X, y, w, learning_rate, ax=None):
    """One step of gradient descent on the loss along ``w`` (``b`` held at its best value).

    The slope is nnlib's ``dL/dw`` (``backward``), the new weight the one that
    ``sgd_step`` leaves: ``w - learning_rate * slope``. Returns the Axes.
    """
    ax = _new_axes(ax, (8.0, 4.6))
    _, b = best_fit(X, y)
    net = neuron(w, b)
    value, grad_output = get_loss("mse")(net.forward(X), y)
    net.backward(grad_output)
    slope = float(net.layers[0].dW[0, 0])
    sgd_step(net, learning_rate)
    w_new = float(net.layers[0].weights[0, 0])
    ws = np.linspace(*W_RANGE, 200)
    ax.plot(ws, [loss_at(v, b, X, y) for v in ws], color=figure_style.BLACK, linewidth=2,
            label=f"loss along w (b = {b:.2f})")
    reach = np.array([w - 1.2, w + 1.2])
    ax.plot(reach, value + slope * (reach - w), color=figure_style.BLUE, linestyle="--",
            linewidth=1.6, label=f"tangent at w = {w:g}: slope {slope:.2f}")
    new_value = loss_at(w_new, b, X, y)
    ax.plot([w], [value], linestyle="none", marker="o", markersize=9, color=figure_style.BLUE,
            markeredgecolor=figure_style.BLACK, zorder=5)
    ax.plot([w_new], [new_value], linestyle="none", marker="s", markersize=9,
            color=figure_style.VERMILLION, markeredgecolor=figure_style.BLACK, zorder=5)
    top = max(value, new_value)
    ax.set_ylim(-0.06 * top * 1.5, top * 1.5)
    step = w_new - w
    ax.plot([w, w_new], [value, value], color=figure_style.VERMILLION, linewidth=2.2,
            zorder=4, label=f"the step: -{learning_rate:g} x slope = {step:+.2f}")
    ax.plot([w_new], [value], linestyle="none", zorder=4, markersize=9,
            marker=">" if step > 0 else "<", color=figure_style.VERMILLION)
    ax.plot([w_new, w_new], [value, new_value], color=figure_style.VERMILLION, linestyle=":",
            linewidth=1.4, zorder=4)
    ax.set_xlim(*W_RANGE)
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss (mean squared error)")
    sign = f"({slope:.2f})" if slope < 0 else f"{slope:.2f}"
    ax.set_title(f"One step: w moves by -learning rate x slope = -{learning_rate:g} x {sign} "
                 f"= {step:+.2f}", fontsize=11)
    placement.label_points(ax, [(w, value), (w_new, new_value)],
                           [f"w = {w:g}, loss {value:.2f}",
                            f"new w = {w_new:.2f}, loss {new_value:.2f}"])
    placement.place_legend(ax, placement.CORNERS, fontsize=9)
    return ax


def landscape_explorer(learning_rate=0.1, steps=20, w=4.0, b=-3.0):
    """Gradient descent on the landscape: sliders for the learning rate, the number of
    steps and the starting ``(w, b)``. The readout says whether the rate is too small,
    good, zigzagging or too large (``loss_landscape.path_reading``)."""
    import ipywidgets

    from nnlib.explorer_picture import ExplorerPicture
    from nnlib.widgets import FIGURE_DPI, SLIDER_STYLE, Explorer

    X, y = landscape_data()
    lowest = loss_at(*best_fit(X, y), X, y)
    picture = ExplorerPicture(7.5, 5.6, dpi=FIGURE_DPI)
    figure = picture.figure
    ax = figure.subplots()
    figure.subplots_adjust(left=0.1, right=0.97, bottom=0.1, top=0.86)
    _contours(ax, X, y)
    line, = ax.plot([], [], color=figure_style.BLUE, marker="o", markersize=4, linewidth=1.6,
                    zorder=3, label="gradient descent's path")
    start, = ax.plot([], [], linestyle="none", marker="o", markersize=10,
                     markerfacecolor="white", markeredgecolor=figure_style.BLACK, zorder=5,
                     label="start")
    ax.set_title("The loss over (w, b): each marker is one step")
    placement.legend_above(ax)
    moving = [line, start]

    def slider(name, value, low, high, step, description):
        return ipywidgets.FloatSlider(value=value, min=low, max=high, step=step,
                                      description=description, readout_format=".3g",
                                      style=SLIDER_STYLE)

    sliders = {
        "learning_rate": slider("learning_rate", learning_rate, 0.005, 0.8, 0.005,
                                "learning rate"),
        "steps": ipywidgets.IntSlider(value=steps, min=1, max=60, description="steps",
                                      style=SLIDER_STYLE),
        "w": slider("w", w, -1.5, 4.5, 0.1, "start w"),
        "b": slider("b", b, -3.5, 2.5, 0.1, "start b"),
    }

    def draw(learning_rate, steps, w, b):
        reading = path_reading(descent_path(X, y, (w, b), learning_rate, steps), lowest)
        points = reading.path.points
        line.set_data(points[:, 0], points[:, 1])
        start.set_data([w], [b])
        return reading.text, picture.png(moving)

    explorer = Explorer(sliders, draw,
                        alt="Contour lines of the loss over the weight w and the bias b, with "
                            "gradient descent's path from the chosen start, one marker a step.")
    explorer.figure = figure
    return explorer
