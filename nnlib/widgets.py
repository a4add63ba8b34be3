"""Sliders that redraw a picture: explore a neuron, a bias, a loss and a learning rate.

Import it as ``from nnlib import widgets`` and make an explorer the last line
of a notebook cell, e.g. ``widgets.neuron_explorer()``. Move a slider: the
text under the sliders and the picture follow.

Every builder returns an ``Explorer``. Its ``update(**values)`` is a plain
function -- the sliders call it, and so can you: it recomputes everything for
those slider values, redraws the picture into ``explorer.png`` (PNG bytes) and
returns the text of the readout.

ipywidgets and matplotlib are imported inside the functions, so importing this
module costs nothing until an explorer is built. Pictures are drawn on a
``matplotlib.figure.Figure`` of their own (not through ``pyplot``), so they
appear only inside their explorer.
"""

from __future__ import annotations

import base64
import html
import io
import math

import numpy as np

from nnlib.checks import as_array, check_number, check_positive_int, check_range
from nnlib.gradient_descent import TrainingDiverged, train
from nnlib.layer import Dense
from nnlib.loss import SumAbsoluteError, SumSquaredError
from nnlib.network import Network

FIGURE_DPI = 80  # pixels per inch of the pictures: small enough to redraw quickly
SLIDER_STYLE = {"description_width": "initial"}  # show slider names in full


class Explorer:
    """Sliders, a text readout and a picture, kept in step.

    ``sliders``: a dict name -> ipywidgets slider. ``draw(**values)`` does the
    real work: for one value per slider it recomputes, redraws and returns
    ``(readout_text, png_bytes)``. The Explorer shows them in ``widget``, an
    ipywidgets VBox (sliders, then readout, then picture), and calls ``update``
    whenever a slider moves. ``figure``: the matplotlib Figure the picture is
    drawn from (set by the builders), to look at its parts.
    """

    def __init__(self, sliders: dict, draw):
        import ipywidgets

        self.sliders = dict(sliders)
        self.draw = draw
        self.figure = None
        self.readout = ipywidgets.HTML().add_class("nnlib-readout")
        self.image = ipywidgets.Image(format="png").add_class("nnlib-figure")
        self.widget = ipywidgets.VBox([*self.sliders.values(), self.readout, self.image])
        self.widget.add_class("nnlib-explorer")
        self.text, self.png = "", b""
        for slider in self.sliders.values():
            slider.observe(self._slider_moved, names="value")
        self.update()

    def values(self) -> dict:
        """The sliders' current values, ``{name: value}``."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self, **values) -> str:
        """Recompute and redraw for these slider values (the others keep their current value).

        Returns the readout text; the PNG of the picture is in ``self.png``.
        """
        unknown = sorted(set(values) - set(self.sliders))
        if unknown:
            raise TypeError(f"unknown slider {unknown}; this explorer has {list(self.sliders)}")
        self.text, self.png = self.draw(**{**self.values(), **values})
        self.readout.value = _html(self.text)
        self.image.value = self.png
        return self.text

    def _slider_moved(self, change) -> None:
        self.update(**self.values())

    def _repr_mimebundle_(self, **kwargs):
        """What a notebook shows: the live widget, and a still picture for everywhere else.

        A front end with ipywidgets draws the sliders (the widget-view entry);
        one without them -- a static web page, an exported notebook, an old
        viewer -- falls back on ``text/html`` (the current picture and readout
        with a note that the sliders need a running notebook) or ``text/plain``.
        """
        return {**static_bundle(self.text, self.png), **widget_view(self.widget, **kwargs)}

    def __repr__(self) -> str:
        return f"Explorer(sliders={list(self.sliders)})"


# ----------------------------------------------------------------- display

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC_NOTE = "The sliders move only in a running notebook; this is the picture they last drew."


def widget_view(widget, **kwargs) -> dict:
    """The widget-view entry of a display bundle for ``widget``, on ipywidgets 7 and 8.

    ipywidgets 8 widgets give their bundle through ``_repr_mimebundle_``;
    ipywidgets 7 widgets have none (they display themselves through
    ``_ipython_display_``), so the entry is written here in the same form:
    ``{"version_major": 2, "version_minor": 0, "model_id": ...}`` -- the
    widget-view format both versions send. Returns ``{WIDGET_VIEW: {...}}``.
    """
    if getattr(widget, "comm", True) is None:
        return {}  # a closed widget: nothing left to show
    if hasattr(widget, "_repr_mimebundle_"):
        if widget._repr_mimebundle_ is None:
            return {}  # closed, as ipywidgets 8 marks it
        bundle = widget._repr_mimebundle_(**kwargs) or {}
        return {key: value for key, value in bundle.items() if key == WIDGET_VIEW}
    if hasattr(widget, "_handle_displayed"):
        widget._handle_displayed()  # ipywidgets 7: run the widget's on_displayed callbacks
    return {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


def static_bundle(text: str, png: bytes, alt: str = "the explorer's picture") -> dict:
    """``text/html`` and ``text/plain`` for a front end without widgets.

    The HTML holds the picture ``png`` inline (a base64 ``data:`` URL, with
    ``alt`` text), the readout ``text`` and ``STATIC_NOTE``; the plain text
    holds the readout and the note.
    """
    picture = base64.b64encode(png).decode("ascii")
    page = (f'<div class="nnlib-explorer-static">'
            f'<img src="data:image/png;base64,{picture}" alt="{html.escape(alt)}" '
            f'style="max-width: 100%">{_html(text)}'
            f'<p style="font-style: italic">{html.escape(STATIC_NOTE)}</p></div>')
    return {"text/html": page, "text/plain": f"{text}\n({STATIC_NOTE})"}


# ----------------------------------------------------------------- helpers


def _html(text: str) -> str:
    """The readout as HTML: the text as it is, in a fixed-width font, lines kept."""
    return ('<div style="font-family: monospace; white-space: pre-wrap; line-height: 1.4">'
            f"{html.escape(text)}</div>")


class _Picture:
    """A figure redrawn fast: its fixed parts once, then only the artists that move.

    ``png(moving)`` marks the ``moving`` artists as animated (a full drawing
    skips those), draws the fixed parts once and keeps that image as the
    background; afterwards it pastes the background and draws just the moving
    artists on top (matplotlib calls this *blitting*). The figure is drawn by
    the Agg canvas, outside pyplot, so it never shows up on its own.
    """

    def __init__(self, width: float, height: float):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(width, height), dpi=FIGURE_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.background = None

    def png(self, moving) -> bytes:
        """The figure as PNG bytes, redrawing only ``moving``."""
        from PIL import Image

        moving = list(moving)
        for artist in moving:
            artist.set_animated(True)
        if self.background is None:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self.background)
        for artist in moving:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(
            buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _slider(name, value, low, high, step=0.1, description=None):
    """A float slider from ``low`` to ``high``; ValueError if ``value`` lies outside."""
    import ipywidgets

    value = check_number(value, name)
    if not low <= value <= high:
        raise ValueError(f"{name} = {value} lies outside its slider's range [{low}, {high}]")
    return ipywidgets.FloatSlider(value=value, min=low, max=high, step=step,
                                  description=description or name, readout_format=".2f",
                                  style=SLIDER_STYLE)


def _fmt(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals, never as "-0.00"."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _signed(value: float, digits: int = 2) -> str:
    """A number to put after "*" in a sum: negative numbers in brackets."""
    text = _fmt(value, digits)
    return f"({text})" if text.startswith("-") else text


# ------------------------------------------------------------------ neuron


def neuron_explorer(inputs=(1.0, 0.5), weights=(0.8, -0.4), bias=0.0, activation="sigmoid",
                    weight_range=(-5, 5), bias_range=(-5, 5), show_bias=True):
    """One node: move its weights (and bias) and watch ``z = x . w + b`` and ``a = f(z)``.

    The inputs stay fixed. Left: the activation curve with the node's current
    point ``(z, a)``. Right: the node drawn as a tiny network with its current
    weights. One slider per weight (``w1``, ``w2``, ...) and one for the bias
    (``b``) when ``show_bias``; with ``show_bias=False`` the node has no bias
    (``bias`` is ignored).
    """
    from nnlib import plots

    x = as_array(inputs, "inputs").ravel()
    w0 = as_array(weights, "weights").ravel()
    if x.size != w0.size or not 1 <= x.size <= 6:
        raise ValueError(
            f"inputs and weights must have the same length, from 1 to 6; got {x.size} inputs "
            f"and {w0.size} weights"
        )
    f = plots.curve_activation(activation)
    w_low, w_high = check_range(weight_range, "weight_range")
    b_low, b_high = check_range(bias_range, "bias_range")
    sliders = {f"w{i}": _slider(f"w{i}", float(w), w_low, w_high)
               for i, w in enumerate(w0, start=1)}
    if show_bias:
        sliders["b"] = _slider("b", bias, b_low, b_high)

    # The largest |z| the sliders allow fixes the curve's range, so it never jumps.
    z_max = np.abs(x).sum() * max(abs(w_low), abs(w_high))
    z_max = max(5.0, z_max + (max(abs(b_low), abs(b_high)) if show_bias else 0.0))
    picture = _Picture(10.0, 4.2)
    fig = picture.figure
    ax_curve, ax_net = fig.subplots(1, 2, width_ratios=(1.15, 1.0))
    fig.subplots_adjust(left=0.085, right=0.98, bottom=0.17, top=0.9, wspace=0.14)
    # A little room past the largest |z|, so the node's point is drawn whole at either end.
    z_low, z_high = -1.04 * z_max, 1.04 * z_max
    plots.plot_activation(f, z_range=(z_low, z_high), show_derivative=False, ax=ax_curve)
    guide, = ax_curve.plot([], [], color=plots.BLACK, linestyle=":", linewidth=1.2)
    point, = ax_curve.plot([], [], linestyle="none", marker="o", markersize=10,
                           color=plots.VERMILLION, markeredgecolor=plots.BLACK,
                           label="this node: (z, a)")
    note = ax_curve.text(0.98, 0.05, "", transform=ax_curve.transAxes, ha="right",
                         va="bottom", fontsize=10,
                         bbox={"facecolor": "white", "edgecolor": "0.7", "alpha": 0.9})
    # Upper left stays clear of the curve of every activation, which all rise left to right.
    legend = ax_curve.legend(loc="upper left", fontsize=9)
    ax_curve.set_title(f"a = {f.name}(z)")
    node = Dense(x.size, 1, activation=f, bias="node" if show_bias else None)
    # The title says what the diagram shows: "+ b" only for a node that has a bias.
    formula = f"{f.name}(x . w{' + b' if node.bias is not None else ''})"

    def draw(**values):
        w = np.array([values[f"w{i}"] for i in range(1, x.size + 1)])
        b = values["b"] if show_bias else 0.0
        z = float(x @ w + b)
        a = float(f.forward(z))
        names = [f"x{i}*w{i}" for i in range(1, x.size + 1)] + (["b"] if show_bias else [])
        numbers = [f"{_fmt(xi)}*{_signed(wi)}" for xi, wi in zip(x, w, strict=True)]
        numbers += [_signed(b)] if show_bias else []
        text = (", ".join(f"{name} = {_fmt(v)}" for name, v in values.items()) + "\n"
                f"z = {' + '.join(names)}\n"
                f"  = {' + '.join(numbers)} = {_fmt(z, 4)}\n"
                f"a = {f.name}(z) = {f.name}({_fmt(z, 4)}) = {_fmt(a, 4)}")
        bottom = ax_curve.get_ylim()[0]
        guide.set_data([z, z, z_low], [bottom, a, a])
        point.set_data([z], [a])
        note.set_text(f"z = {_fmt(z)}\na = {_fmt(a)}")
        node.weights[:, 0] = w
        if show_bias:
            node.bias[0] = b
        ax_net.clear()
        plots.draw_network(node, values=[x, np.array([a])], ax=ax_net,
                           title=f"The node: a = {formula}")
        diagram = [*ax_net.lines, *ax_net.patches, *ax_net.texts]
        # The legend and the note are drawn after the guide lines, so those never cross them.
        return text, picture.png([guide, point, legend, note, *diagram])

    explorer = Explorer(sliders, draw)
    explorer.figure = fig
    return explorer


# -------------------------------------------------------------------- bias


def bias_explorer(weight=1.0, bias=0.0, weight_range=(-5, 5), bias_range=(-10, 10)):
    """``sigmoid(w x + b)`` against ``x``: the bias moves where the node switches on.

    The output crosses 0.5 where ``w x + b = 0``, at ``x = -b / w``; that
    point is marked. A dotted grey curve shows ``w = 1, b = 0`` for comparison.
    """
    from nnlib import plots
    from nnlib.activation import sigmoid

    w_low, w_high = check_range(weight_range, "weight_range")
    b_low, b_high = check_range(bias_range, "bias_range")
    sliders = {"w": _slider("w", weight, w_low, w_high),
               "b": _slider("b", bias, b_low, b_high)}
    x_max = 10.0
    xs = np.linspace(-x_max, x_max, 401)
    # The legend and the note sit in a column right of the plot, where they cover nothing.
    picture = _Picture(9.0, 3.6)
    fig = picture.figure
    ax = fig.subplots()
    fig.subplots_adjust(left=0.08, right=0.69, bottom=0.15, top=0.9)
    ax.axhline(0.5, color="0.6", linestyle="--", linewidth=1)
    ax.plot(xs, sigmoid(xs), color="0.55", linestyle=":", linewidth=1.8,
            label="w = 1, b = 0\n(for comparison)")
    curve, = ax.plot(xs, sigmoid(xs), color=plots.BLUE, linewidth=2.4, label="sigmoid(w*x + b)")
    switch = ax.axvline(0.0, color=plots.VERMILLION, linestyle="-.", linewidth=1.5)
    point, = ax.plot([], [], linestyle="none", marker="D", markersize=9, color=plots.VERMILLION,
                     markeredgecolor=plots.BLACK, label="switch point\n(output = 0.5)")
    note = ax.text(1.04, 0.0, "", transform=ax.transAxes, ha="left", va="bottom", fontsize=10,
                   bbox={"facecolor": "white", "edgecolor": "0.7", "alpha": 0.9})
    ax.set_xlim(-x_max, x_max)
    ax.set_ylim(-0.05, 1.05)
    ax.set_title("sigmoid(w*x + b): the bias shifts where the node switches on", fontsize=11)
    ax.set_xlabel("x  (the input)")
    ax.set_ylabel("output sigmoid(w*x + b)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), borderaxespad=0.0, fontsize=9)

    def draw(w, b):
        curve.set_ydata(sigmoid(w * xs + b))
        head = f"w = {_fmt(w)}, b = {_fmt(b)}\n"
        if abs(w) < 1e-9:
            text = (head + f"w = 0: the output is sigmoid(b) = {_fmt(float(sigmoid(b)), 4)} for "
                    "every x - the input has no effect, so the node never switches.")
            switch.set_visible(False)
            point.set_data([], [])
            note.set_text("no switch point\n(w = 0)")
            return text, picture.png([curve, switch, point, note])
        x0 = -b / w
        side = ">" if w > 0 else "<"
        text = (head + f"output = sigmoid(w*x + b) = 0.5 where w*x + b = 0, "
                f"at x = -b/w = {_fmt(x0)}\n"
                f"it is on (output > 0.5) for x {side} {_fmt(x0)}")
        if abs(x0) > x_max:
            text += f" (off this picture, which shows x from {-x_max:g} to {x_max:g})"
        switch.set_visible(abs(x0) <= x_max)
        switch.set_xdata([x0, x0])
        point.set_data([x0], [0.5])
        note.set_text(f"switches at x = {_fmt(x0)}\non for x {side} {_fmt(x0)}")
        return text, picture.png([curve, switch, point, note])

    explorer = Explorer(sliders, draw)
    explorer.figure = fig
    return explorer


# -------------------------------------------------------------------- loss


def loss_explorer(target=1.0, prediction=0.0, prediction_range=(-2, 4)):
    """One prediction against its target: the absolute and the squared error.

    Slide the prediction ``p``: the readout gives ``|p - y|`` and ``(p - y)^2``
    and the picture marks both on their curves. Small errors count less when
    squared, large ones much more.
    """
    from nnlib import placement, plots

    target = check_number(target, "target")
    low, high = check_range(prediction_range, "prediction_range")
    sliders = {"prediction": _slider("prediction", prediction, low, high)}
    absolute, squared = SumAbsoluteError(), SumSquaredError()
    picture = _Picture(8.0, 3.8)
    fig = picture.figure
    ax = fig.subplots()
    fig.subplots_adjust(left=0.08, right=0.97, bottom=0.14, top=0.84)
    # The curves run a little past the slider's ends, so a point at either end is drawn whole.
    margin = 0.03 * (high - low)
    plots.plot_loss_vs_prediction(target, ("sae", "sse"), (low - margin, high + margin), ax=ax)
    now = ax.axvline(float(prediction), color="0.4", linewidth=1)
    on_abs, = ax.plot([], [], linestyle="none", marker="o", markersize=9, color=plots.BLUE,
                      markeredgecolor=plots.BLACK)
    on_sq, = ax.plot([], [], linestyle="none", marker="s", markersize=9, color=plots.ORANGE,
                     markeredgecolor=plots.BLACK)
    label_style = {"textcoords": "offset points", "fontsize": 10,
                   "fontweight": "bold", "zorder": 6,
                   "bbox": {"boxstyle": "round,pad=0.15", "facecolor": "white",
                            "edgecolor": "none", "alpha": 0.85},
                   "arrowprops": {"arrowstyle": "-", "color": "0.35", "linewidth": 0.8,
                                  "shrinkA": 1, "shrinkB": 5}}
    label_abs = ax.annotate("", (0, 0), xytext=(0, 0), color=plots.BLUE, **label_style)
    label_sq = ax.annotate("", (0, 0), xytext=(0, 0), color="#9A6A00", **label_style)
    # Room above the highest point for its two labels (about 40 points of the Axes' height).
    highest = max(abs(low - margin - target), abs(high + margin - target))
    highest = max(highest, highest ** 2)
    room = 40 / (ax.bbox.height * 72 / fig.dpi)
    ax.set_ylim(0.0, highest / (1.0 - room))
    placement.legend_above(ax)

    def draw(prediction):
        p, y = np.array([[prediction]]), np.array([[target]])
        abs_error, sq_error = absolute.value(p, y), squared.value(p, y)
        text = (f"prediction p = {_fmt(prediction)}, target y = {_fmt(target)}\n"
                f"absolute error |p - y|  = {_fmt(abs_error, 4)}\n"
                f"squared error  (p - y)² = {_fmt(sq_error, 4)}")
        now.set_xdata([prediction, prediction])
        on_abs.set_data([prediction], [abs_error])
        on_sq.set_data([prediction], [sq_error])
        # Each label beside its point where it covers no curve; the higher point's label
        # first, and the other one clear of it (the two are equal at |p - y| = 0 or 1).
        labels = [(label_sq, sq_error, "(p - y)²"), (label_abs, abs_error, "|p - y|")]
        if abs_error > sq_error:
            labels.reverse()
        taken = []
        for label, value, name in labels:
            taken.append(placement.label_near(ax, label, (prediction, value),
                                              f"{name} = {_fmt(value, 2)}", taken))
        return text, picture.png([now, on_abs, on_sq, label_abs, label_sq])

    explorer = Explorer(sliders, draw)
    explorer.figure = fig
    return explorer


# ----------------------------------------------------------- learning rate


def _dataset(name: str, seed):
    from nnlib import datasets

    if name in ("and", "or", "xor", "nand"):
        return datasets.logic_gate(name)
    if name == "moons":
        return datasets.two_moons(100, 0.1, seed=seed)
    if name == "circles":
        return datasets.circles(100, 0.05, seed=seed)
    raise ValueError(
        f"dataset must be 'xor', 'and', 'or', 'nand', 'moons' or 'circles', got {name!r}"
    )


def learning_rate_explorer(dataset="xor", sizes=(2, 4, 1), reference=1.0, lr_min=0.001,
                           lr_max=100.0, epochs=300, seed=0, activation="tanh",
                           output_activation="sigmoid", loss="mse", learning_rate=None):
    """Train the same small network with the learning rate of a slider; compare the losses.

    Every run starts from the same seeded weights and trains full-batch for
    ``epochs`` epochs. The picture shows the loss per epoch (log scale) for the
    slider's rate next to the ``reference`` rate. Too small: the loss barely
    moves. Too large: each step jumps past the valley, so the loss goes *up*,
    or blows up to infinity (``TrainingDiverged``, possible with a linear
    output); the readout says so in words and the picture marks where.
    ``learning_rate``: the slider's starting value (default: ``reference``).
    Runs are cached, so coming back to a rate is instant.
    """
    import ipywidgets

    from nnlib import placement, plots

    X, y = _dataset(dataset, seed)
    epochs = check_positive_int(epochs, "epochs")
    if not 0 < lr_min < lr_max:
        raise ValueError(f"need 0 < lr_min < lr_max, got lr_min={lr_min}, lr_max={lr_max}")
    learning_rate = reference if learning_rate is None else learning_rate
    for name, rate in (("reference", reference), ("learning_rate", learning_rate)):
        if not lr_min <= rate <= lr_max:
            raise ValueError(f"{name} = {rate} lies outside [lr_min, lr_max] = "
                             f"[{lr_min}, {lr_max}]")
    start = Network.from_sizes(list(sizes), activation=activation,
                               output_activation=output_activation, seed=seed)
    if start.sizes[0] != X.shape[1] or start.sizes[-1] != y.shape[1]:
        raise ValueError(
            f"sizes must start with {X.shape[1]} inputs and end with {y.shape[1]} output for "
            f"the {dataset!r} data, got {list(sizes)}"
        )
    runs = {}  # learning rate -> (loss per epoch, divergence message or None, step)

    def run(rate):
        """Train a fresh copy of the starting network; cached per rate."""
        key = f"{rate:.6g}"
        if key not in runs:
            seen = []  # the History, kept by the callback: train raises before returning it

            def keep(epoch, history):
                if not seen:
                    seen.append(history)

            network = start.copy()
            try:
                history = train(network, X, y, loss=loss, learning_rate=rate, epochs=epochs,
                                shuffle=False, callback=keep)
                runs[key] = (history.loss, None, None)
            except TrainingDiverged as error:
                losses = seen[0].loss if seen else []
                step = len(seen[0].step_loss) + 1 if seen else 1
                runs[key] = (losses, str(error), step)
        return runs[key]

    ref_losses, _, _ = run(reference)
    first = ref_losses[0]
    bottom = min(1e-4, 0.5 * min(ref_losses))
    top = max(1.0, 4.0 * first)
    epochs_axis = np.arange(1, epochs + 1)

    picture = _Picture(8.0, 3.9)
    fig = picture.figure
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.84)
    reference_curve, = ax.plot(epochs_axis[:len(ref_losses)], ref_losses, color=plots.BLACK,
                               linestyle="--", linewidth=1.8,
                               label=f"reference rate {reference:g}")
    curve, = ax.plot([], [], color=plots.BLUE, linewidth=2.4, label="the slider's rate")
    mark, = ax.plot([], [], linestyle="none", marker="X", markersize=13,
                    color=plots.VERMILLION, markeredgecolor=plots.BLACK)
    note = ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", fontsize=10,
                       color=plots.VERMILLION, fontweight="bold", zorder=6,
                       bbox={"facecolor": "white", "edgecolor": plots.VERMILLION, "alpha": 0.9},
                       arrowprops={"arrowstyle": "-", "color": plots.VERMILLION,
                                   "linewidth": 1.0, "shrinkA": 1, "shrinkB": 7})
    ax.set_yscale("log")
    ax.set_xlim(-0.02 * epochs, 1.02 * epochs + 1)  # room for a mark at either end
    ax.set_ylim(bottom, top)
    ax.set_title(f"Training a {' -> '.join(map(str, start.sizes))} network on the "
                 f"{dataset.upper()} data: loss per epoch")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{loss} loss (log scale)")
    legend = placement.legend_above(ax)

    def show_event(epoch, loss_value, message):
        """Mark the point where training went wrong, with a note where it covers no curve."""
        mark.set_data([epoch], [loss_value])
        note.set_visible(True)
        placement.label_near(ax, note, (epoch, loss_value), message)

    def draw(learning_rate):
        losses, error, step = run(learning_rate)
        rate = f"{learning_rate:.3g}"
        curve.set_data(epochs_axis[:len(losses)], losses)
        legend.get_texts()[1].set_text(f"the slider's rate {rate}")
        mark.set_data([], [])
        note.set_visible(False)
        # The reference is drawn over the slider's curve, so it shows when the two are equal.
        moving = [curve, reference_curve, legend, mark, note]
        if error is not None:
            where = len(losses) + 1
            text = (f"learning rate {rate}: training DIVERGED at step {step} (epoch {where}): "
                    "the loss stopped being a number (it became infinite or NaN).\n"
                    "Each step was so large that the weights overshot the valley further "
                    "and further until the numbers blew up.\n"
                    f"Try a smaller rate, e.g. {learning_rate / 10:.3g}.")
            leaves = next((i + 1 for i, v in enumerate(losses) if v > top), where)
            message = f"blew up at epoch {where}"
            if leaves < where:
                message = f"off the chart from epoch {leaves},\nblew up at epoch {where}"
            show_event(where, top / 3, message)
            return text, picture.png(moving)
        final, start_loss, ref_final = losses[-1], losses[0], ref_losses[-1]
        text = (f"learning rate {rate}: the loss went from {start_loss:.4f} to a final loss "
                f"of {final:.4f} in {epochs} epochs (reference rate {reference:g}: "
                f"{ref_final:.4f}).\n")
        if final > start_loss:
            rise = next(i for i, v in enumerate(losses) if v > start_loss)
            text += ("Too large: the loss went UP. Every step jumps past the valley, the nodes "
                     "saturate and learning stalls.\nTry a smaller rate.")
            show_event(rise + 1, losses[rise], f"the loss rises from epoch {rise + 1}")
        elif final > 0.9 * start_loss:
            text += "Too small: the loss has hardly moved - the steps are tiny. Try a larger rate."
        elif final <= ref_final:
            text += "This rate learns at least as fast as the reference rate."
        else:
            text += "This rate learns, but more slowly than the reference rate."
        return text, picture.png(moving)

    slider = ipywidgets.FloatLogSlider(value=learning_rate, base=10, min=math.log10(lr_min),
                                       max=math.log10(lr_max), step=0.1,
                                       description="learning rate", readout_format=".3g",
                                       style=SLIDER_STYLE)
    explorer = Explorer({"learning_rate": slider}, draw)
    explorer.figure = fig
    return explorer
