"""The playground widget: TensorFlow Playground's controls and views around a ``Playground``.

``playground(**settings)`` builds it; make it the last line of a notebook
cell. The model (data, network, training, losses) is ``nnlib.playground``;
this module only draws it and turns the controls into its calls:

- every control but the learning rate starts a fresh run (new data or a new
  network), as in TensorFlow Playground; a new learning rate applies from the
  next epoch on;
- **Play** trains ``epochs per frame`` epochs and redraws, again and again,
  in a background thread of the kernel (so the controls keep answering while
  it plays); **Pause** stops it; **Step** trains one epoch; **Reset** starts
  the run again from the seed's starting weights.

Views: the decision boundary (a heat map of the output, training points as
filled circles, test points as hollow squares), the train (solid) and test
(dashed) loss per epoch, and the network: each node as a small heat map of
its own value over the same square, each weight as a line whose width grows
with its size (blue and solid: positive; orange and dashed: negative). Pick a
node under "formula of" to read its computation with the live weights.

Everything a control does is a plain method (``set``, ``play``, ``pause``,
``step``, ``reset``, ``render``), which the tests call directly.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time

import numpy as np

from nnlib import playground_image as pictures
from nnlib.playground import (
    ACTIVATIONS,
    DATASETS,
    EXTENT,
    FEATURES,
    LEARNING_RATES,
    LIMITS,
    Playground,
    Settings,
)

HEAT_MAP_PIXELS = 300  # the decision boundary's side, in pixels
LOSS_CHART = (300, 110)  # the loss chart's width and height, in pixels
DIAGRAM_WIDTH = 310  # the network diagram's width, in pixels
NODE_PIXELS = 36  # each node's square in the diagram, in pixels
GRID = 50  # the network is evaluated on GRID x GRID points of the square per frame
NODE_GRID = 25  # each node's own heat map, in points per side
# Play never draws faster than this: the browser shares the machine with the kernel, and
# frames it cannot paint in time only queue up in front of the next control change.
MAX_FRAMES_PER_SECOND = 20
EPOCHS_PER_FRAME = (1, 2, 5, 10, 20)
#: The batch sizes the menu offers (the model takes any from 1 to 30).
BATCH_SIZES = (1, 2, 5, 10, 20, 30)
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂"}
DATASET_LABELS = {"xor": "XOR", "circles": "circles", "moons": "two moons",
                  "spirals": "spirals", "gaussians": "two Gaussian clusters"}


def _make_controls(w, s, epochs_per_frame, style, wide) -> dict:
    """The sliders and menus, named as the settings they set, at the values of settings ``s``."""
    return {
        "dataset": w.Dropdown(options=[(DATASET_LABELS[d], d) for d in DATASETS],
                              value=s.dataset, description="data", style=style, layout=wide),
        "noise": w.FloatSlider(value=s.noise, min=LIMITS["noise"][0], max=LIMITS["noise"][1],
                               step=0.05, description="noise", style=style, layout=wide,
                               continuous_update=False),
        "train_percent": w.IntSlider(value=s.train_percent, min=LIMITS["train_percent"][0],
                                     max=LIMITS["train_percent"][1], step=10,
                                     description="training data %", style=style,
                                     layout=wide, continuous_update=False),
        "hidden_layers": w.IntSlider(value=len(s.hidden), min=LIMITS["hidden_layers"][0],
                                     max=LIMITS["hidden_layers"][1],
                                     description="hidden layers", style=style, layout=wide,
                                     continuous_update=False),
        "nodes": w.IntSlider(value=s.hidden[0] if s.hidden else 4, min=LIMITS["nodes"][0],
                             max=LIMITS["nodes"][1], description="nodes per layer",
                             style=style, layout=wide, continuous_update=False),
        "activation": w.Dropdown(options=list(ACTIVATIONS), value=s.activation,
                                 description="activation", style=style, layout=wide),
        "learning_rate": w.Dropdown(options=[(f"{r:g}", r) for r in LEARNING_RATES],
                                    value=_nearest_rate(s.learning_rate),
                                    description="learning rate", style=style, layout=wide),
        "batch_size": w.Dropdown(options=sorted({*BATCH_SIZES, s.batch_size}),
                                 value=s.batch_size, description="batch size", style=style,
                                 layout=wide),
        "seed": w.IntSlider(value=s.seed, min=LIMITS["seed"][0], max=LIMITS["seed"][1],
                            description="seed", style=style, layout=wide,
                            continuous_update=False),
        "epochs_per_frame": w.Dropdown(options=list(EPOCHS_PER_FRAME), value=epochs_per_frame,
                                       description="epochs per frame", style=style,
                                       layout=wide),
    }


class PlaygroundWidget:
    """Controls, buttons and the three views, kept in step with a ``Playground``.

    ``model``: the ``Playground`` being shown. ``widget``: the ipywidgets box.
    ``text``: the readout as plain text (epoch, losses, settings, or what went
    wrong). ``frames``: how many frames have been drawn.
    """

    def __init__(self, epochs_per_frame: int = 2, **settings):
        import ipywidgets as w

        if epochs_per_frame not in EPOCHS_PER_FRAME:
            raise ValueError(f"epochs_per_frame must be one of {list(EPOCHS_PER_FRAME)}, "
                             f"got {epochs_per_frame!r}")
        self.model = Playground(**settings)
        self._lock = threading.RLock()  # the play thread and the controls take turns
        self._control_waiting = threading.Event()  # a control wants a turn: Play gives way
        self._thread = None
        self._playing = threading.Event()
        self.frames = 0
        self.message = ""
        s = self.model.settings
        style = {"description_width": "initial"}
        wide = w.Layout(width="240px")
        self.controls = _make_controls(w, s, epochs_per_frame, style, wide)
        self.features = {name: w.Checkbox(value=name in s.features,
                                          description=FEATURE_LABELS[name], indent=False,
                                          layout=w.Layout(width="auto"))
                         for name in FEATURES}
        self.buttons = {
            "play": w.Button(description="Play", icon="play", button_style="success",
                             layout=w.Layout(width="78px")),
            "step": w.Button(description="Step", icon="step-forward",
                             layout=w.Layout(width="74px")),
            "reset": w.Button(description="Reset", icon="undo", layout=w.Layout(width="78px")),
        }
        self.formula_choice = w.Dropdown(description="formula of", style=style, layout=wide)
        self.readout = w.HTML().add_class("nnlib-readout")
        self.heat_map = w.Image(format="png", width=HEAT_MAP_PIXELS, height=HEAT_MAP_PIXELS)
        self.heat_map.add_class("nnlib-figure").add_class("nnlib-playground-boundary")
        self.loss_chart = w.Image(format="png", width=LOSS_CHART[0], height=LOSS_CHART[1])
        self.loss_chart.add_class("nnlib-playground-loss")
        self.diagram = w.Image(format="png").add_class("nnlib-playground-network")
        self.diagram_caption = w.HTML()
        self.formula = w.HTML().add_class("nnlib-playground-formula")

        self._syncing = False  # True while the controls are set from the model
        self._connect()
        self.widget = self._arrange(w)
        self._formula_options()
        self.render()

    def _connect(self) -> None:
        """Every control, box and button calls its handler."""
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self._control_moved(name, change["new"]),
                            names="value")
        for name, box in self.features.items():
            box.observe(lambda change, name=name: self._feature_toggled(name, change["new"]),
                        names="value")
        self.buttons["play"].on_click(lambda _: self.pause() if self.playing else self.play())
        self.buttons["step"].on_click(lambda _: self.step())
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.formula_choice.observe(lambda change: self.render(), names="value")

    def _arrange(self, w):
        """The controls on the left, the network in the middle, the pictures on the right."""
        feature_row = w.HBox([w.Label("inputs"), *self.features.values()],
                             layout=w.Layout(flex_flow="row wrap", width="240px"))
        left = w.VBox([w.HBox(list(self.buttons.values())), self.controls["dataset"],
                       self.controls["noise"], self.controls["train_percent"], feature_row,
                       self.controls["hidden_layers"], self.controls["nodes"],
                       self.controls["activation"], self.controls["learning_rate"],
                       self.controls["batch_size"], self.controls["seed"],
                       self.controls["epochs_per_frame"], self.formula_choice],
                      layout=w.Layout(flex="0 0 250px", overflow="hidden"))
        right = w.VBox([self.readout, self.heat_map,
                        w.HTML("<small>loss per epoch: train — solid, test - - dashed</small>"),
                        self.loss_chart], layout=w.Layout(flex="0 0 304px"))
        middle = w.VBox([self.diagram, self.diagram_caption, self.formula],
                        layout=w.Layout(flex="0 0 316px", overflow="hidden"))
        widget = w.HBox([left, middle, right]).add_class("nnlib-explorer")
        return widget.add_class("nnlib-playground")

    # ------------------------------------------------------------ the controls
    @property
    def playing(self) -> bool:
        return self._playing.is_set()

    @property
    def epochs_per_frame(self) -> int:
        return self.controls["epochs_per_frame"].value

    def set(self, **values) -> str:
        """Apply control values, e.g. ``set(noise=0.3, hidden_layers=1)``; returns the readout.

        Names: the settings of ``nnlib.playground.Settings`` plus
        ``hidden_layers`` and ``nodes`` (every hidden layer gets ``nodes``
        nodes) and ``epochs_per_frame``. A value the playground refuses is
        shown in the readout and the control goes back to its last good value.
        """
        known = {"hidden_layers", "nodes", "epochs_per_frame", *Settings.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            raise TypeError(f"unknown control(s) {unknown}; the controls are {sorted(known)}")
        changes = {k: v for k, v in values.items()
                   if k not in ("hidden_layers", "nodes", "epochs_per_frame")}
        if "hidden_layers" in values or "nodes" in values:
            layers = values.get("hidden_layers", self.controls["hidden_layers"].value)
            nodes = values.get("nodes", self.controls["nodes"].value)
            changes["hidden"] = (nodes,) * layers if isinstance(layers, int) else layers
        if "epochs_per_frame" in values and values["epochs_per_frame"] not in EPOCHS_PER_FRAME:
            self.message = (f"epochs per frame must be one of {list(EPOCHS_PER_FRAME)}, "
                            f"got {values['epochs_per_frame']!r}")
            return self.render()
        with self._controls_turn():
            try:
                reset = self.model.update(**changes) if changes else False
            except (TypeError, ValueError) as error:
                self.message = str(error)
                self._show_settings()
                return self.render()
            self.message = ""
            self._show_settings()
            if "epochs_per_frame" in values:
                self._syncing = True
                self.controls["epochs_per_frame"].value = values["epochs_per_frame"]
                self._syncing = False
            if reset:
                self._formula_options()
            return self.render()

    def _control_moved(self, name: str, value) -> None:
        if not self._syncing:
            self.set(**{name: value})

    def _feature_toggled(self, name: str, on: bool) -> None:
        if self._syncing:
            return
        chosen = tuple(f for f, box in self.features.items() if box.value)
        if not chosen:
            self._show_settings()  # the box goes back on
            self.message = f"at least one input feature is needed, so {name} stays on"
            self.render()
            return
        self.set(features=chosen)

    def _show_settings(self) -> None:
        """Put the model's (valid) settings back into the controls, without new events."""
        s = self.model.settings
        wanted = {"dataset": s.dataset, "noise": s.noise, "train_percent": s.train_percent,
                  "hidden_layers": len(s.hidden), "activation": s.activation,
                  "learning_rate": _nearest_rate(s.learning_rate), "batch_size": s.batch_size,
                  "seed": s.seed}
        if s.hidden:
            wanted["nodes"] = s.hidden[0]
        self._syncing = True
        try:
            batch_menu = self.controls["batch_size"]
            if s.batch_size not in batch_menu.options:  # set in code to a size the menu lacks
                batch_menu.options = sorted({*batch_menu.options, s.batch_size})
            for name, value in wanted.items():
                if self.controls[name].value != value:
                    self.controls[name].value = value
            for name, box in self.features.items():
                box.value = name in s.features
        finally:
            self._syncing = False

    def _formula_options(self) -> None:
        net = self.model.network
        options = [("(none)", None)]
        for layer in range(1, len(net.layers) + 1):
            for node in range(1, net.layers[layer - 1].n_out + 1):
                options.append((self.model.node_name(layer, node), (layer, node)))
        current = self.formula_choice.value
        self.formula_choice.options = options
        self.formula_choice.value = current if current in dict(options).values() else None

    # ------------------------------------------------------------ the buttons
    def step(self, epochs: int = 1) -> str:
        """The Step button: pause, train ``epochs`` epoch(s), redraw; returns the readout."""
        self.pause()
        with self._controls_turn():
            self.model.step(epochs)
            return self.render()

    def reset(self) -> str:
        """The Reset button: pause and start the run again (same settings, epoch 0)."""
        self.pause()
        with self._controls_turn():
            self.model.reset()
            self.message = ""
            return self.render()

    def play(self) -> None:
        """The Play button: train and redraw in a background thread until ``pause``."""
        if self.playing or self.model.diverged is not None:
            return
        self._playing.set()
        self.buttons["play"].description, self.buttons["play"].icon = "Pause", "pause"
        self._thread = threading.Thread(target=self._play_loop, name="nnlib-playground",
                                        daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """The Pause button: stop playing after the current frame."""
        self._playing.clear()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None
        self.buttons["play"].description, self.buttons["play"].icon = "Play", "play"

    def _play_loop(self) -> None:
        period = 1.0 / MAX_FRAMES_PER_SECOND
        while self._playing.is_set():
            started = time.perf_counter()
            self.frame()
            if self.model.diverged is not None:
                self._playing.clear()
                self.buttons["play"].description, self.buttons["play"].icon = "Play", "play"
                break
            # Always a short pause, so the kernel can take in a control change between frames.
            time.sleep(max(0.005, period - (time.perf_counter() - started)))

    def frame(self) -> str:
        """One frame of Play: ``epochs_per_frame`` epochs, then the redraw.

        A control waiting for its turn cuts the frame short (after the epoch in
        progress, with no redraw: the control redraws), so a change shows at once.
        """
        with self._lock:
            for _ in range(self.epochs_per_frame):
                if self._control_waiting.is_set():
                    return self.text
                self.model.step(1)
            if self._control_waiting.is_set():
                return self.text
            return self.render()

    @contextlib.contextmanager
    def _controls_turn(self):
        """Hold the playground for a control (or button), ahead of the next frame."""
        self._control_waiting.set()
        with self._lock:
            self._control_waiting.clear()
            yield

    # ------------------------------------------------------------ the views
    def render(self) -> str:
        """Redraw every view from the model; returns the readout as plain text."""
        with self._lock:
            model = self.model
            # The readout first: it is the quickest to draw, so a change shows at once.
            self.text = self.readout_text()
            self.readout.value = _readout_html(self.text, model.diverged is not None
                                               or bool(self.message))
            values = model.node_values_grid(GRID)
            image = boundary_picture(model, values[-1][:, 0].reshape(GRID, GRID))
            self.heat_map.value = pictures.png_bytes(image)
            self.loss_chart.value = pictures.png_bytes(
                pictures.loss_chart(model.train_loss, model.test_loss, *LOSS_CHART))
            diagram = network_picture(model, values)
            self.diagram.value = pictures.png_bytes(diagram)
            self.diagram.width, self.diagram.height = str(diagram.shape[1]), str(diagram.shape[0])
            self.diagram_caption.value = network_caption(model)
            choice = self.formula_choice.value
            self.formula.value = "" if choice is None else (
                f"<code>{html.escape(model.formula(*choice))}</code>")
            self.frames += 1
            return self.text

    def readout_text(self) -> str:
        """Epoch, losses, the settings and any message, as plain text."""
        m, s = self.model, self.model.settings
        lines = [f"Epoch {m.epoch:,}   train loss {m.train_loss[-1]:.3f}   "
                 f"test loss {m.test_loss[-1]:.3f}"]
        inputs = ", ".join(FEATURE_LABELS[f] for f in s.features)
        lines.append(f"{DATASET_LABELS[s.dataset]}, noise {s.noise:.2f}, "
                     f"{s.train_percent} % training data, seed {s.seed}; inputs {inputs}")
        kind = f"{s.activation} hidden nodes" if s.hidden else "no hidden layer"
        lines.append(f"network {' → '.join(map(str, s.sizes))}, {kind}; learning rate "
                     f"{s.learning_rate:g}, batch size {s.batch_size} "
                     f"({m.steps_per_epoch} steps per epoch, {self.epochs_per_frame} "
                     f"epoch{'s' if self.epochs_per_frame > 1 else ''} per frame)")
        if m.diverged is not None:
            lines.append(f"Training stopped: {m.diverged} Press Reset (or change a setting) "
                         "to start again.")
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        from nnlib.widgets import static_bundle, widget_view

        return {**static_bundle(self.text, self.heat_map.value, alt="the decision boundary"),
                **widget_view(self.widget, **kwargs)}

    def __repr__(self) -> str:
        return f"PlaygroundWidget({self.model.settings})"


def playground(epochs_per_frame: int = 2, **settings) -> PlaygroundWidget:
    """A TensorFlow-Playground-style widget training an nnlib network; see the module doc.

    ``settings``: any of ``nnlib.playground.Settings`` (e.g. ``dataset="circles"``,
    ``hidden=(8, 8)``, ``learning_rate=0.03``) to start from.
    """
    return PlaygroundWidget(epochs_per_frame=epochs_per_frame, **settings)


def boundary_picture(model: Playground, output=None, pixels: int = HEAT_MAP_PIXELS) -> np.ndarray:
    """The decision boundary with the points, an RGB array (pixels, pixels, 3).

    The background is the network's output over the square [-EXTENT, EXTENT]^2
    (``output``: a (GRID, GRID) grid of it, computed if not given); training
    points are filled circles, test points hollow squares.
    """
    if output is None:
        output = model.predict_grid(GRID)
    return pictures.heat_map(output, pixels,
                             [(model.points_train, model.y_train, "circle", False),
                              (model.points_test, model.y_test, "square", True)], EXTENT)


def _nearest_rate(rate: float) -> float:
    return min(LEARNING_RATES, key=lambda r: abs(np.log(r) - np.log(rate)))


def _readout_html(text: str, alert: bool) -> str:
    """The readout: the epoch and losses in bold, then the settings (and any message)."""
    first, *rest = [html.escape(line) for line in text.split("\n")]
    if alert:
        rest[-1] = f'<span style="color: #b00020">{rest[-1]}</span>'
    return (f"<div style='line-height: 1.35'><b class='nnlib-playground-epoch'>{first}</b><br>"
            f"<span class='nnlib-playground-settings'>{'<br>'.join(rest)}</span></div>")


# ------------------------------------------------------------ the network diagram
def node_colours(values: np.ndarray, activation: str) -> np.ndarray:
    """One node's values over the grid as colours, scaled by what the node can reach.

    sigmoid: 0 (orange) to 1 (blue); tanh: -1 to 1; ReLU and linear (and the
    inputs): symmetric around 0, scaled by the largest value shown.
    """
    if activation == "sigmoid":
        low, high = 0.0, 1.0
    elif activation == "tanh":
        low, high = -1.0, 1.0
    else:
        finite = np.abs(values[np.isfinite(values)])
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        low, high = -top, top
    return pictures.diverging_colours(values, low, high)


def node_positions(sizes, node_size: int = NODE_PIXELS, gap: int = 10):
    """Top-left pixel of every node's square, layer by layer, and the picture's size."""
    width = DIAGRAM_WIDTH
    height = 8 + max(sizes) * (node_size + gap)
    xs = np.linspace(4, width - 4 - node_size, len(sizes)).round().astype(int)
    positions = []
    for x, n in zip(xs, sizes, strict=True):
        top = (height - (n * node_size + (n - 1) * gap)) // 2
        positions.append([(int(x), top + i * (node_size + gap)) for i in range(n)])
    return positions, (height, width)


def network_picture(model: Playground, values: list, node_size: int = NODE_PIXELS) -> np.ndarray:
    """The network as one RGB picture: each node a small heat map, each weight a line.

    ``values``: every layer's values over the grid (``Playground.node_values_grid``).
    Lines are blue and solid for positive weights, orange and dashed for
    negative ones, and wider the larger the weight (0.5 to 6 pixels).
    """
    net = model.network
    positions, (height, width) = node_positions(net.sizes, node_size)
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    starts, ends, weights = [], [], []
    for k, layer in enumerate(net.layers):  # every edge of a layer at once: (n_in, n_out)
        left, right = np.array(positions[k], float), np.array(positions[k + 1], float)
        shape = layer.weights.shape + (2,)
        start = np.broadcast_to(left[:, None] + [node_size, node_size / 2], shape)
        end = np.broadcast_to(right[None, :] + [-1, node_size / 2], shape)
        starts.append(start.reshape(-1, 2))
        ends.append(end.reshape(-1, 2))
        weights.append(np.nan_to_num(layer.weights, nan=0.0, posinf=0.0, neginf=0.0).ravel())
    starts, ends, weights = np.vstack(starts), np.vstack(ends), np.concatenate(weights)
    widths = np.minimum(6.0, 0.5 + 1.5 * np.abs(weights))
    colours = np.where((weights >= 0)[:, None], pictures.BLUE, pictures.ORANGE)
    dashed = weights < 0
    pictures.draw_lines(image, starts, ends, widths, colours, dashed)
    step = max(1, GRID // NODE_GRID)
    activations = ["linear"] + [layer.activation.name for layer in net.layers]
    for k, column in enumerate(positions):
        grid = values[k].reshape(GRID, GRID, -1)[::step, ::step]
        if activations[k] in ("sigmoid", "tanh"):  # one colour scale for the whole layer
            squares = pictures.resize_nearest(node_colours(grid, activations[k]), node_size)
        for i, (x, y) in enumerate(column):
            if activations[k] in ("sigmoid", "tanh"):
                square = squares[:, :, i]
            else:  # ReLU, linear and the inputs: each node scaled by its own largest value
                square = pictures.resize_nearest(node_colours(grid[:, :, i], activations[k]),
                                                 node_size)
            image[y - 1:y + node_size + 1, x - 1:x + node_size + 1] = pictures.INK
            image[y:y + node_size, x:x + node_size] = square
    return image


def network_caption(model: Playground) -> str:
    """What the network picture's columns are, left to right (HTML)."""
    inputs = ", ".join(FEATURE_LABELS[f] for f in model.settings.features)
    columns = [f"inputs ({inputs}, top to bottom)"]
    columns += [f"hidden layer {k} ({n} nodes)" for k, n in enumerate(model.settings.hidden, 1)]
    columns.append("output")
    return ("<small>" + " → ".join(columns) + ". Each square: what that node outputs over the "
            "data's square. Lines: weights, thicker = larger; blue solid positive, orange "
            "dashed negative.</small>")
