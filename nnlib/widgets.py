"""Sliders that redraw a picture: explore a neuron, a bias, a loss and a learning rate.

Import it as ``from nnlib import widgets`` and make an explorer the last line
of a notebook cell, e.g. ``widgets.neuron_explorer()``. Move a slider: the
text under the sliders and the picture follow.

Every builder returns an ``Explorer``. Its ``update(**values)`` is a plain
function -- the sliders call it, and so can you: it recomputes everything for
those slider values, redraws the picture into ``explorer.png`` (PNG bytes) and
returns the text of the readout.

Each explorer has three parts: a *reading*, a pure function from slider
values to the numbers and text it shows (``neuron_reading``,
``switch_reading``, ``error_reading``, ``rate_reading`` with ``RateRuns``;
numpy only), a view that draws a reading, and the ``Explorer`` that joins
them to the sliders. Any other slider picture can reuse the glue:
``Explorer(sliders, draw, alt)``, and for its display bundle
``widget_view(widget)`` (the widget-view entry on ipywidgets 7 and 8) and
``static_bundle(text, png, alt)`` (the still picture, readout and
``STATIC_NOTE`` for front ends without widgets).

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
from dataclasses import dataclass

import numpy as np

from nnlib.activation import get_activation, sigmoid
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
    drawn from (set by the builders), to look at its parts. ``alt``: what the
    picture shows, in words (the still picture's alt text).
    """

    def __init__(self, sliders: dict, draw, alt: str = "the explorer's picture"):
        import ipywidgets

        self.sliders = dict(sliders)
        self.draw = draw
        self.alt = alt
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
        return {**static_bundle(self.text, self.png, self.alt),
                **widget_view(self.widget, **kwargs)}

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


def _explorer(sliders, draw, figure, alt) -> Explorer:
    """The Explorer of ``sliders`` and ``draw``, with its ``figure`` attached."""
    explorer = Explorer(sliders, draw, alt=alt)
    explorer.figure = figure
    return explorer


# ------------------------------------------------------------------ neuron
#
# Every explorer has three parts: a *reading* -- a pure function from the slider
# values to the numbers and the text it shows (numpy only, no picture) -- a
# *view* that draws a reading, and the Explorer that joins them to the sliders.


@dataclass
class NeuronReading:
    """What the neuron explorer shows: inputs ``x``, weights ``w``, bias ``b`` (None: no
    bias), the sum ``z = x . w + b``, the output ``a = f(z)`` and the readout ``text``."""

    inputs: np.ndarray
    weights: np.ndarray
    bias: float | None
    z: float
    a: float
    text: str


def neuron_reading(inputs, weights, bias=None, activation="sigmoid") -> NeuronReading:
    """``z = x . w + b`` and ``a = f(z)`` for one node, with a readout that shows the sum.

    ``inputs``, ``weights``: numbers of the same length n; ``bias``: a number,
    or None for a node without a bias; ``activation``: a name or Activation.
    """
    f = get_activation(activation)
    x, w = as_array(inputs, "inputs").ravel(), as_array(weights, "weights").ravel()
    b = 0.0 if bias is None else check_number(bias, "bias")
    z = float(x @ w + b)
    a = float(f.forward(z))
    n = range(1, x.size + 1)
    values = [(f"w{i}", wi) for i, wi in zip(n, w, strict=True)]
    names = [f"x{i}*w{i}" for i in n]
    numbers = [f"{_fmt(xi)}*{_signed(wi)}" for xi, wi in zip(x, w, strict=True)]
    if bias is not None:
        values, names, numbers = values + [("b", b)], names + ["b"], numbers + [_signed(b)]
    text = (", ".join(f"{name} = {_fmt(v)}" for name, v in values) + "\n"
            f"z = {' + '.join(names)}\n"
            f"  = {' + '.join(numbers)} = {_fmt(z, 4)}\n"
            f"a = {f.name}(z) = {f.name}({_fmt(z, 4)}) = {_fmt(a, 4)}")
    return NeuronReading(x, w, None if bias is None else b, z, a, text)


def _neuron_view(f, n_inputs, show_bias, z_max):
    """``(figure, show)``: the activation curve with the node's point, and the node drawn.

    ``show(reading)`` moves the point, redraws the node and returns the PNG.
    """
    from nnlib import plots

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
    node = Dense(n_inputs, 1, activation=f, bias="node" if show_bias else None)
    # The title says what the diagram shows: "+ b" only for a node that has a bias.
    title = f"The node: a = {f.name}(x . w{' + b' if show_bias else ''})"

    def show(reading: NeuronReading) -> bytes:
        z, a = reading.z, reading.a
        guide.set_data([z, z, z_low], [ax_curve.get_ylim()[0], a, a])
        point.set_data([z], [a])
        note.set_text(f"z = {_fmt(z)}\na = {_fmt(a)}")
        node.weights[:, 0] = reading.weights
        if show_bias:
            node.bias[0] = reading.bias
        ax_net.clear()
        plots.draw_network(node, values=[reading.inputs, np.array([a])], ax=ax_net, title=title)
        diagram = [*ax_net.lines, *ax_net.patches, *ax_net.texts]
        # The legend and the note are drawn after the guide lines, so those never cross them.
        return picture.png([guide, point, legend, note, *diagram])

    return fig, show


def neuron_explorer(inputs=(1.0, 0.5), weights=(0.8, -0.4), bias=0.0, activation="sigmoid",
                    weight_range=(-5, 5), bias_range=(-5, 5), show_bias=True):
    """One node: move its weights (and bias) and watch ``z = x . w + b`` and ``a = f(z)``.

    The inputs stay fixed. Left: the activation curve with the node's current
    point ``(z, a)``. Right: the node drawn as a tiny network with its current
    weights. One slider per weight (``w1``, ``w2``, ...) and one for the bias
    (``b``) when ``show_bias``; with ``show_bias=False`` the node has no bias
    (``bias`` is ignored). The numbers come from ``neuron_reading``.
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
    figure, show = _neuron_view(f, x.size, show_bias, z_max)

    def draw(**values):
        w = [values[f"w{i}"] for i in range(1, x.size + 1)]
        reading = neuron_reading(x, w, values["b"] if show_bias else None, f)
        return reading.text, show(reading)

    return _explorer(sliders, draw, figure,
                     f"Left: the curve a = {f.name}(z) with the node's point (z, a). Right: the "
                     "node drawn with its inputs, weights and output.")


# -------------------------------------------------------------------- bias


@dataclass
class SwitchReading:
    """What the bias explorer shows for ``sigmoid(w x + b)``.

    ``switch``: the x where the output is 0.5, ``-b / w`` (None when w = 0);
    ``side``: ``">"`` (on for larger x) or ``"<"``; ``on_picture``: whether
    the switch point lies in the shown x range; ``note`` and ``text``: the
    picture's note and the readout.
    """

    w: float
    b: float
    switch: float | None
    side: str | None
    on_picture: bool
    note: str
    text: str


def switch_reading(w, b, x_max=10.0) -> SwitchReading:
    """Where ``sigmoid(w x + b)`` switches on (crosses 0.5), for the picture's x in +-``x_max``."""
    w, b = check_number(w, "w"), check_number(b, "b")
    head = f"w = {_fmt(w)}, b = {_fmt(b)}\n"
    if abs(w) < 1e-9:
        text = (head + f"w = 0: the output is sigmoid(b) = {_fmt(float(sigmoid(b)), 4)} for "
                "every x - the input has no effect, so the node never switches.")
        return SwitchReading(w, b, None, None, False, "no switch point\n(w = 0)", text)
    x0 = -b / w
    side = ">" if w > 0 else "<"
    text = (head + f"output = sigmoid(w*x + b) = 0.5 where w*x + b = 0, "
            f"at x = -b/w = {_fmt(x0)}\n"
            f"it is on (output > 0.5) for x {side} {_fmt(x0)}")
    if abs(x0) > x_max:
        text += f" (off this picture, which shows x from {-x_max:g} to {x_max:g})"
    return SwitchReading(w, b, x0, side, abs(x0) <= x_max,
                         f"switches at x = {_fmt(x0)}\non for x {side} {_fmt(x0)}", text)


def _bias_view(x_max):
    """``(figure, show)``: sigmoid(w x + b) against x with its switch point; ``show(reading)``."""
    from nnlib import plots

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

    def show(reading: SwitchReading) -> bytes:
        curve.set_ydata(sigmoid(reading.w * xs + reading.b))
        switch.set_visible(reading.on_picture)
        if reading.switch is None:
            point.set_data([], [])
        else:
            switch.set_xdata([reading.switch, reading.switch])
            point.set_data([reading.switch], [0.5])
        note.set_text(reading.note)
        return picture.png([curve, switch, point, note])

    return fig, show


def bias_explorer(weight=1.0, bias=0.0, weight_range=(-5, 5), bias_range=(-10, 10)):
    """``sigmoid(w x + b)`` against ``x``: the bias moves where the node switches on.

    The output crosses 0.5 where ``w x + b = 0``, at ``x = -b / w``; that
    point is marked. A dotted grey curve shows ``w = 1, b = 0`` for comparison.
    The numbers come from ``switch_reading``.
    """
    w_low, w_high = check_range(weight_range, "weight_range")
    b_low, b_high = check_range(bias_range, "bias_range")
    sliders = {"w": _slider("w", weight, w_low, w_high),
               "b": _slider("b", bias, b_low, b_high)}
    x_max = 10.0
    figure, show = _bias_view(x_max)

    def draw(w, b):
        reading = switch_reading(w, b, x_max)
        return reading.text, show(reading)

    return _explorer(sliders, draw, figure,
                     "The curve sigmoid(w*x + b) against x, with the switch point where the "
                     "output is 0.5, next to sigmoid(x) for comparison.")


# -------------------------------------------------------------------- loss


@dataclass
class ErrorReading:
    """One prediction ``p`` against its target ``y``: ``|p - y|``, ``(p - y)^2`` and the text."""

    prediction: float
    target: float
    absolute: float
    squared: float
    text: str


def error_reading(prediction, target) -> ErrorReading:
    """The absolute and the squared error of one prediction, as nnlib's losses compute them."""
    prediction, target = check_number(prediction, "prediction"), check_number(target, "target")
    p, y = np.array([[prediction]]), np.array([[target]])
    absolute, squared = SumAbsoluteError().value(p, y), SumSquaredError().value(p, y)
    text = (f"prediction p = {_fmt(prediction)}, target y = {_fmt(target)}\n"
            f"absolute error |p - y|  = {_fmt(absolute, 4)}\n"
            f"squared error  (p - y)² = {_fmt(squared, 4)}")
    return ErrorReading(prediction, target, absolute, squared, text)


def _loss_view(target, low, high, prediction):
    """``(figure, show)``: both error curves with the prediction's points, labelled."""
    from nnlib import placement, plots

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
    ax.set_ylim(0.0, highest / (1.0 - 40 / (ax.bbox.height * 72 / fig.dpi)))
    placement.legend_above(ax)

    def show(reading: ErrorReading) -> bytes:
        p = reading.prediction
        now.set_xdata([p, p])
        on_abs.set_data([p], [reading.absolute])
        on_sq.set_data([p], [reading.squared])
        # Each label beside its point where it covers no curve; the higher point's label
        # first, and the other one clear of it (the two are equal at |p - y| = 0 or 1).
        labels = [(label_sq, reading.squared, "(p - y)²"), (label_abs, reading.absolute, "|p - y|")]
        if reading.absolute > reading.squared:
            labels.reverse()
        taken = []
        for label, value, name in labels:
            taken.append(placement.label_near(ax, label, (p, value), f"{name} = {_fmt(value, 2)}",
                                              taken))
        return picture.png([now, on_abs, on_sq, label_abs, label_sq])

    return fig, show


def loss_explorer(target=1.0, prediction=0.0, prediction_range=(-2, 4)):
    """One prediction against its target: the absolute and the squared error.

    Slide the prediction ``p``: the readout gives ``|p - y|`` and ``(p - y)^2``
    and the picture marks both on their curves. Small errors count less when
    squared, large ones much more. The numbers come from ``error_reading``.
    """
    target = check_number(target, "target")
    low, high = check_range(prediction_range, "prediction_range")
    sliders = {"prediction": _slider("prediction", prediction, low, high)}
    figure, show = _loss_view(target, low, high, prediction)

    def draw(prediction):
        reading = error_reading(prediction, target)
        return reading.text, show(reading)

    return _explorer(sliders, draw, figure,
                     "The absolute error |p - y| and the squared error (p - y)² against the "
                     "prediction p, with both errors of the current prediction marked.")


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


@dataclass
class Run:
    """One training run: the loss per completed epoch, and how it ended.

    ``diverged``: None, or the message of the ``TrainingDiverged`` that stopped
    it at step ``step`` of epoch ``epoch``, having seen ``reason`` (its
    ``losses`` are the epochs completed).
    """

    losses: list
    diverged: str | None = None
    step: int | None = None
    epoch: int | None = None
    reason: str | None = None


class RateRuns:
    """The same seeded network trained full-batch for ``epochs`` epochs with any rate.

    ``run(rate)`` trains a fresh copy of the starting network ``start`` and
    returns a Run; runs are cached per rate, so coming back to a rate is
    instant. ValueError if ``sizes`` does not fit the data.
    """

    def __init__(self, dataset="xor", sizes=(2, 4, 1), epochs=300, seed=0, activation="tanh",
                 output_activation="sigmoid", loss="mse"):
        self.dataset = dataset
        self.X, self.y = _dataset(dataset, seed)
        self.epochs = check_positive_int(epochs, "epochs")
        self.loss = loss
        self.start = Network.from_sizes(list(sizes), activation=activation,
                                        output_activation=output_activation, seed=seed)
        if self.start.sizes[0] != self.X.shape[1] or self.start.sizes[-1] != self.y.shape[1]:
            raise ValueError(
                f"sizes must start with {self.X.shape[1]} inputs and end with "
                f"{self.y.shape[1]} output for the {dataset!r} data, got {list(sizes)}"
            )
        self._runs = {}

    def run(self, rate: float) -> Run:
        """Train a fresh copy of the starting network with learning rate ``rate``."""
        key = f"{rate:.6g}"
        if key not in self._runs:
            try:
                history = train(self.start.copy(), self.X, self.y, loss=self.loss,
                                learning_rate=rate, epochs=self.epochs, shuffle=False)
                self._runs[key] = Run(list(history.loss))
            except TrainingDiverged as error:
                done = error.history
                self._runs[key] = Run(list(done.loss), str(error), error.step, error.epoch,
                                      error.reason)
        return self._runs[key]


@dataclass
class RateReading:
    """What the learning-rate explorer shows for one rate.

    ``verdict``: ``"diverged"``, ``"rose"`` (ended above its start), ``"spiked"``
    (rose above its start on the way, then came down), ``"too small"``,
    ``"as fast"`` or ``"slower"`` (than the reference rate). ``start``,
    ``final``, ``peak`` losses (``peak_epoch``: where the highest loss was);
    ``event``: ``(epoch, loss, message)`` of the point the picture marks, or
    None; ``text``: the readout.
    """

    rate: float
    losses: list
    verdict: str
    start: float | None
    final: float | None
    peak: float | None
    peak_epoch: int | None
    event: tuple | None
    text: str


def rate_reading(run: Run, reference: Run, rate, reference_rate, epochs, ceiling) -> RateReading:
    """Judge the Run of learning rate ``rate`` against the ``reference`` Run, in numbers and words.

    A run that diverged, ended above its start, or *spiked* above its start on
    the way is called too large, whatever its final loss; then a run whose loss
    hardly moved (over 90% of the start left) is too small; else it is as fast
    as, or slower than, the reference. ``ceiling``: the top of the picture's
    loss axis (a point above it is marked just under it).
    """
    name = f"{rate:.3g}"
    if run.diverged is not None:
        return _diverged_reading(run, rate, ceiling)
    losses = run.losses
    start, final, ref_final = losses[0], losses[-1], reference.losses[-1]
    peak_index = int(np.argmax(losses))
    peak = losses[peak_index]
    text = (f"learning rate {name}: the loss went from {start:.4f} to a final loss "
            f"of {final:.4f} in {epochs} epochs (reference rate {reference_rate:g}: "
            f"{ref_final:.4f}).\n")
    event = None
    if final > start:
        verdict, rise = "rose", next(i for i, v in enumerate(losses) if v > start)
        text += ("Too large: the loss went UP. Every step jumps past the valley, the nodes "
                 "saturate and learning stalls.\nTry a smaller rate.")
        event = (rise + 1, losses[rise], f"the loss rises from epoch {rise + 1}")
    elif peak > start:
        verdict = "spiked"
        text += (f"Too large, even though it ended low: on the way the loss SPIKED to "
                 f"{peak:.4g} at epoch {peak_index + 1}, {peak / start:.3g} times its start, "
                 "before it came down.\nEach step jumped past the valley; this run found its "
                 "way back, but a rate that makes the loss spike cannot be trusted. "
                 "Try a smaller rate.")
        where = f"to {peak:.3g} at epoch {peak_index + 1}"
        event = ((peak_index + 1, peak, f"the loss spikes {where}") if peak < ceiling / 1.5
                 else (peak_index + 1, ceiling / 1.5, f"the loss spikes off the chart,\n{where}"))
    elif final > 0.9 * start:
        verdict = "too small"
        text += "Too small: the loss has hardly moved - the steps are tiny. Try a larger rate."
    elif final <= ref_final:
        verdict = "as fast"
        text += "This rate learns at least as fast as the reference rate."
    else:
        verdict = "slower"
        text += "This rate learns, but more slowly than the reference rate."
    return RateReading(rate, losses, verdict, start, final, peak, peak_index + 1, event, text)


def _diverged_reading(run: Run, rate, ceiling) -> RateReading:
    """The reading of a run that stopped with TrainingDiverged."""
    name, losses = f"{rate:.3g}", run.losses
    where = run.epoch or len(losses) + 1
    text = (f"learning rate {name}: training DIVERGED at step {run.step} (epoch {where}): "
            f"{run.reason or 'the loss stopped being a number'}.\n"
            "Each step was so large that the weights overshot the valley again and again, "
            "so train stopped the run.\n"
            f"Try a smaller rate, e.g. {rate / 10:.3g}.")
    leaves = next((i + 1 for i, v in enumerate(losses) if v > ceiling), where)
    message = f"diverged: stopped at epoch {where}"
    if leaves < where:
        message = f"off the chart from epoch {leaves},\nstopped at epoch {where}"
    peak = max(losses) if losses else None
    return RateReading(rate, losses, "diverged", losses[0] if losses else None, None, peak,
                       int(np.argmax(losses)) + 1 if losses else None,
                       (where, ceiling / 3, message), text)


def _rate_view(runs: RateRuns, reference: Run, reference_rate, ceiling):
    """``(figure, show)``: the loss per epoch of a rate next to the reference's (log scale)."""
    from nnlib import placement, plots

    epochs_axis = np.arange(1, runs.epochs + 1)
    picture = _Picture(8.0, 3.9)
    fig = picture.figure
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.84)
    ref_losses = reference.losses
    reference_curve, = ax.plot(epochs_axis[:len(ref_losses)], ref_losses, color=plots.BLACK,
                               linestyle="--", linewidth=1.8,
                               label=f"reference rate {reference_rate:g}")
    curve, = ax.plot([], [], color=plots.BLUE, linewidth=2.4, label="the slider's rate")
    mark, = ax.plot([], [], linestyle="none", marker="X", markersize=13,
                    color=plots.VERMILLION, markeredgecolor=plots.BLACK)
    note = ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", fontsize=10,
                       color=plots.VERMILLION, fontweight="bold", zorder=6,
                       bbox={"facecolor": "white", "edgecolor": plots.VERMILLION, "alpha": 0.9},
                       arrowprops={"arrowstyle": "-", "color": plots.VERMILLION,
                                   "linewidth": 1.0, "shrinkA": 1, "shrinkB": 7})
    ax.set_yscale("log")
    ax.set_xlim(-0.02 * runs.epochs, 1.02 * runs.epochs + 1)  # room for a mark at either end
    ax.set_ylim(min(1e-4, 0.5 * min(ref_losses)), ceiling)
    ax.set_title(f"Training a {' -> '.join(map(str, runs.start.sizes))} network on the "
                 f"{runs.dataset.upper()} data: loss per epoch")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{runs.loss} loss (log scale)")
    legend = placement.legend_above(ax)

    def show(reading: RateReading) -> bytes:
        curve.set_data(epochs_axis[:len(reading.losses)], reading.losses)
        legend.get_texts()[1].set_text(f"the slider's rate {reading.rate:.3g}")
        mark.set_data([], [])
        note.set_visible(reading.event is not None)
        if reading.event is not None:  # where training went wrong, with a note clear of curves
            epoch, loss_value, message = reading.event
            mark.set_data([epoch], [loss_value])
            placement.label_near(ax, note, (epoch, loss_value), message)
        # The reference is drawn over the slider's curve, so it shows when the two are equal.
        return picture.png([curve, reference_curve, legend, mark, note])

    return fig, show


def _check_rates(lr_min, lr_max, **rates) -> None:
    """ValueError unless ``0 < lr_min < lr_max`` and every rate lies in ``[lr_min, lr_max]``."""
    if not 0 < lr_min < lr_max:
        raise ValueError(f"need 0 < lr_min < lr_max, got lr_min={lr_min}, lr_max={lr_max}")
    for name, rate in rates.items():
        if not lr_min <= rate <= lr_max:
            raise ValueError(f"{name} = {rate} lies outside [lr_min, lr_max] = "
                             f"[{lr_min}, {lr_max}]")


def learning_rate_explorer(dataset="xor", sizes=(2, 4, 1), reference=1.0, lr_min=0.001,
                           lr_max=100.0, epochs=300, seed=0, activation="tanh",
                           output_activation="sigmoid", loss="mse", learning_rate=None):
    """Train the same small network with the learning rate of a slider; compare the losses.

    Every run starts from the same seeded weights and trains full-batch for
    ``epochs`` epochs (``RateRuns``). The picture shows the loss per epoch (log
    scale) for the slider's rate next to the ``reference`` rate. Too small: the
    loss barely moves. Too large: each step jumps past the valley, so the loss
    spikes, goes *up*, or blows up to infinity (``TrainingDiverged``, possible
    with a linear output); the readout (``rate_reading``) says so in words and
    the picture marks where. ``learning_rate``: the slider's starting value
    (default: ``reference``). Runs are cached, so coming back to a rate is instant.
    """
    import ipywidgets

    learning_rate = reference if learning_rate is None else learning_rate
    _check_rates(lr_min, lr_max, reference=reference, learning_rate=learning_rate)
    runs = RateRuns(dataset, sizes, epochs, seed, activation, output_activation, loss)
    reference_run = runs.run(reference)
    ceiling = max(1.0, 4.0 * reference_run.losses[0])
    figure, show = _rate_view(runs, reference_run, reference, ceiling)

    def draw(learning_rate):
        reading = rate_reading(runs.run(learning_rate), reference_run, learning_rate, reference,
                               runs.epochs, ceiling)
        return reading.text, show(reading)

    slider = ipywidgets.FloatLogSlider(value=learning_rate, base=10, min=math.log10(lr_min),
                                       max=math.log10(lr_max), step=0.1,
                                       description="learning rate", readout_format=".3g",
                                       style=SLIDER_STYLE)
    return _explorer({"learning_rate": slider}, draw, figure,
                     "The loss per epoch, on a log scale, for the slider's learning rate and "
                     "for the reference rate, with a mark where training went wrong.")
