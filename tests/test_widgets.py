"""nnlib.widgets: every explorer follows its sliders in text and picture, with the right numbers."""

from __future__ import annotations

import base64
import html
import inspect
import subprocess
import sys
from pathlib import Path

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_layout import figure_texts, inside, text_box

import nnlib
from nnlib import widgets
from nnlib.datasets import logic_gate
from nnlib.layer import Dense
from nnlib.loss import get_loss
from nnlib.network import Network

REPO_ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

BUILDERS = {
    "neuron": widgets.neuron_explorer,
    "bias": widgets.bias_explorer,
    "loss": widgets.loss_explorer,
    "learning_rate": widgets.learning_rate_explorer,
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def positions(slider) -> list:
    """The slider's minimum, default and maximum values."""
    if isinstance(slider, ipywidgets.FloatLogSlider):
        return [slider.base ** slider.min, slider.value, slider.base ** slider.max]
    return [slider.min, slider.value, slider.max]


# ------------------------------------------------------------ every explorer


@pytest.mark.parametrize("name", BUILDERS)
def test_explorer_structure(name):
    explorer = BUILDERS[name]()
    box = explorer.widget
    assert isinstance(box, ipywidgets.VBox)
    assert "nnlib-explorer" in box._dom_classes
    *sliders, readout, image = box.children
    assert sliders == list(explorer.sliders.values())
    for slider in sliders:
        assert slider.description and len(slider.description) <= 15
    assert isinstance(readout, ipywidgets.HTML) and "nnlib-readout" in readout._dom_classes
    assert isinstance(image, ipywidgets.Image) and "nnlib-figure" in image._dom_classes
    assert image.format == "png"
    # Built ready to show: text and picture of the default values.
    assert explorer.text and html.escape(explorer.text) in readout.value
    assert explorer.png.startswith(PNG_SIGNATURE) and image.value == explorer.png
    # The last expression of a cell shows the widget itself.
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == box.model_id
    # Its pictures never go through pyplot (nothing for a notebook to show twice).
    assert plt.get_fignums() == []


@pytest.mark.parametrize("name", BUILDERS)
def test_display_bundle_has_the_widget_and_a_static_picture_with_its_readout(name):
    explorer = BUILDERS[name]()
    explorer.update(**{k: positions(s)[2] for k, s in explorer.sliders.items()})
    bundle = explorer._repr_mimebundle_(include=None, exclude=None)  # as IPython calls it
    assert set(bundle) == {widgets.WIDGET_VIEW, "text/html", "text/plain"}
    page = bundle["text/html"]
    picture = base64.b64encode(explorer.png).decode("ascii")
    assert f'src="data:image/png;base64,{picture}"' in page  # the picture of the last update
    assert 'alt="' in page and html.escape(explorer.text) in page
    assert widgets.STATIC_NOTE in page and "running notebook" in widgets.STATIC_NOTE
    assert bundle["text/plain"].startswith(explorer.text)
    assert widgets.STATIC_NOTE in bundle["text/plain"]


class Widget7:
    """An ipywidgets 7 widget: a model id and on-displayed callbacks, no _repr_mimebundle_."""

    def __init__(self):
        self.model_id = "f00d"
        self.displayed = 0

    def _ipython_display_(self, **kwargs):
        raise AssertionError("the Explorer's bundle must not display the widget a second time")

    def _handle_displayed(self, **kwargs):
        self.displayed += 1


def test_widget_view_works_without_repr_mimebundle_as_on_ipywidgets_7():
    old = Widget7()
    assert widgets.widget_view(old, include=None) == {
        widgets.WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "f00d"}}
    assert old.displayed == 1  # its on_displayed callbacks ran, as ipywidgets 7 runs them
    box = ipywidgets.VBox([])
    assert widgets.widget_view(box)[widgets.WIDGET_VIEW]["model_id"] == box.model_id
    box.close()
    assert widgets.widget_view(box) == {}  # a closed widget has no view left


@pytest.mark.parametrize("name", BUILDERS)
def test_every_slider_at_min_default_max_changes_text_and_picture(name):
    explorer = BUILDERS[name]()
    text, png = explorer.text, explorer.png
    for slider_name, slider in explorer.sliders.items():
        for value in positions(slider):
            new_text = explorer.update(**{slider_name: value})
            assert new_text != text, f"{slider_name}={value}: readout did not change"
            assert explorer.png != png, f"{slider_name}={value}: picture did not change"
            assert explorer.png.startswith(PNG_SIGNATURE)
            assert explorer.readout.value.count(html.escape(new_text)) == 1
            assert explorer.image.value == explorer.png
            text, png = new_text, explorer.png


@pytest.mark.parametrize("name", BUILDERS)
def test_moving_a_slider_updates_the_explorer(name):
    explorer = BUILDERS[name]()
    slider_name, slider = list(explorer.sliders.items())[0]
    text, png = explorer.text, explorer.png
    target = positions(slider)[2]
    slider.value = target  # what a learner's mouse does
    assert explorer.text != text and explorer.png != png
    assert html.escape(explorer.text) in explorer.readout.value
    assert explorer.image.value == explorer.png
    assert explorer.text == explorer.update(**explorer.values())


@pytest.mark.parametrize("name", BUILDERS)
def test_update_refuses_an_unknown_slider(name):
    explorer = BUILDERS[name]()
    with pytest.raises(TypeError, match="unknown slider"):
        explorer.update(nonsense=1.0)


# ------------------------------------------------------------ the numbers


def test_neuron_explorer_prints_z_and_a_as_nnlib_computes_them():
    x = np.array([1.0, 0.5])
    explorer = widgets.neuron_explorer(inputs=x, weights=(0.8, -0.4), bias=0.0)
    assert list(explorer.sliders) == ["w1", "w2", "b"]
    node = Dense(2, 1, activation="sigmoid", bias="node")
    for w1, w2, b in [(0.8, -0.4, 0.0), (-5.0, -0.4, 0.0), (5.0, 5.0, -5.0), (0.8, -5.0, 5.0)]:
        text = explorer.update(w1=w1, w2=w2, b=b)
        node.weights[:, 0] = [w1, w2]
        node.bias[0] = b
        a = node.forward(x.reshape(1, 2))[0, 0]
        z = node.cache.Z[0, 0]
        assert f"w1 = {w1:.2f}, w2 = {w2:.2f}, b = {b:.2f}" in text
        assert f"= {z:.4f}\n" in text
        assert text.endswith(f"sigmoid({z:.4f}) = {a:.4f}")


def test_neuron_explorer_without_bias_and_other_activations():
    explorer = widgets.neuron_explorer(inputs=(0.9, 0.2, 0.6), weights=(0.5, -1.0, 2.0),
                                       show_bias=False, activation="tanh")
    assert list(explorer.sliders) == ["w1", "w2", "w3"]
    text = explorer.update(w3=-1.0)
    z = 0.9 * 0.5 + 0.2 * -1.0 + 0.6 * -1.0
    assert f"tanh({z:.4f}) = {np.tanh(z):.4f}" in text
    assert "b" not in text.split("\n")[0]


def test_bias_explorer_says_where_the_node_switches_on():
    explorer = widgets.bias_explorer(weight=2.0, bias=0.0)
    text = explorer.update(w=2.0, b=-3.0)
    assert "x = -b/w = 1.50" in text and "for x > 1.50" in text
    # At the switch point the node's output is exactly one half.
    assert nnlib.sigmoid(2.0 * 1.5 - 3.0) == 0.5
    text = explorer.update(w=-4.0, b=10.0)
    assert "x = -b/w = 2.50" in text and "for x < 2.50" in text
    text = explorer.update(w=0.5, b=10.0)
    assert "-20.00" in text and "off this picture" in text
    text = explorer.update(w=0.0, b=1.0)
    assert "never switches" in text and f"{nnlib.sigmoid(1.0):.4f}" in text


def test_loss_explorer_prints_the_absolute_and_squared_error():
    explorer = widgets.loss_explorer(target=1.0, prediction=0.0, prediction_range=(-2, 4))
    sae, sse = get_loss("sae"), get_loss("sse")
    for p in (-2.0, 0.0, 1.0, 2.5, 4.0):
        text = explorer.update(prediction=p)
        out, y = np.array([[p]]), np.array([[1.0]])
        assert f"prediction p = {p:.2f}" in text
        assert f"|p - y|  = {sae.value(out, y):.4f}" in text
        assert f"(p - y)² = {sse.value(out, y):.4f}" in text


def test_learning_rate_explorer_final_loss_matches_nnlib_training():
    explorer = widgets.learning_rate_explorer()
    slider = explorer.sliders["learning_rate"]
    assert isinstance(slider, ipywidgets.FloatLogSlider)
    assert slider.description == "learning rate"
    assert positions(slider) == pytest.approx([0.001, 1.0, 100.0])
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = nnlib.train(net, X, y, loss="mse", learning_rate=3.0, epochs=300, shuffle=False)
    text = explorer.update(learning_rate=3.0)
    assert f"final loss of {history.loss[-1]:.4f}" in text
    assert "learning rate 3:" in text
    assert explorer.update(learning_rate=3.0) == text  # cached: the same run


def test_learning_rate_explorer_explains_a_rate_that_is_too_large_or_too_small():
    explorer = widgets.learning_rate_explorer()
    text = explorer.update(learning_rate=100.0)  # sigmoid output: the loss rises and sticks
    assert "learning rate 100" in text and "went UP" in text and "smaller rate" in text
    text = explorer.update(learning_rate=0.001)
    assert "hardly moved" in text and "larger rate" in text


def test_learning_rate_explorer_reports_divergence_in_words():
    # With a linear output the loss can become infinite: train raises TrainingDiverged.
    explorer = widgets.learning_rate_explorer(output_activation="linear", reference=0.1)
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="linear", seed=0)
    X, y = logic_gate("xor")
    with pytest.raises(nnlib.TrainingDiverged):
        nnlib.train(net, X, y, loss="mse", learning_rate=100.0, epochs=300, shuffle=False)
    png = explorer.png
    text = explorer.update(learning_rate=100.0)  # no exception, no warning
    assert "DIVERGED at step" in text and "learning rate 100" in text
    assert "Try a smaller rate" in text and "Traceback" not in text
    assert explorer.png != png and explorer.png.startswith(PNG_SIGNATURE)


def test_learning_rate_explorer_other_data_and_loss():
    explorer = widgets.learning_rate_explorer(dataset="and", loss="bce", epochs=50)
    assert "final loss" in explorer.update(learning_rate=0.5)


# ------------------------------------- readings: slider values -> numbers, no picture


def defaults(builder) -> dict:
    """The builder's default arguments (the slider ranges and starting values)."""
    return {name: p.default for name, p in inspect.signature(builder).parameters.items()}


def min_default_max(low, default, high) -> list:
    return [low, default, high]


def test_readings_need_neither_matplotlib_nor_ipywidgets():
    code = ("import sys; sys.modules['matplotlib'] = None; sys.modules['ipywidgets'] = None\n"
            "from nnlib import widgets as w\n"
            "print(w.neuron_reading([1, 0.5], [0.8, -0.4], 0.0).a)\n"
            "print(w.switch_reading(2.0, -3.0).switch)\n"
            "print(w.error_reading(3.0, 1.0).squared)\n"
            "runs = w.RateRuns(epochs=20)\n"
            "print(w.rate_reading(runs.run(0.001), runs.run(1.0), 0.001, 1.0, 20, 1.0).verdict)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO_ROOT, check=True)
    a = 1 / (1 + np.exp(-0.6))
    assert result.stdout.split() == [f"{a}", "1.5", "4.0", "too", "small"]


def test_neuron_reading_at_every_slider_min_default_max():
    d = defaults(widgets.neuron_explorer)
    x = np.array(d["inputs"])
    (w_low, w_high), (b_low, b_high) = d["weight_range"], d["bias_range"]
    node = Dense(2, 1, activation="sigmoid", bias="node")
    settings = [dict(w=list(d["weights"]), b=d["bias"])]
    for k in range(2):
        for value in min_default_max(w_low, d["weights"][k], w_high):
            w = list(d["weights"])
            w[k] = value
            settings.append(dict(w=w, b=d["bias"]))
    settings += [dict(w=list(d["weights"]), b=b) for b in min_default_max(b_low, 0.0, b_high)]
    for setting in settings:
        reading = widgets.neuron_reading(x, setting["w"], setting["b"], "sigmoid")
        node.weights[:, 0] = setting["w"]
        node.bias[0] = setting["b"]
        assert reading.a == pytest.approx(node.forward(x.reshape(1, 2))[0, 0], abs=1e-15)
        assert reading.z == pytest.approx(x @ np.array(setting["w"]) + setting["b"])
        assert reading.text.endswith(f"sigmoid({reading.z:.4f}) = {reading.a:.4f}")
    no_bias = widgets.neuron_reading(x, [w_high, w_low], None, "tanh")
    assert no_bias.bias is None and no_bias.a == pytest.approx(np.tanh(x @ [w_high, w_low]))
    assert "b" not in no_bias.text.split("\n")[0]


def test_switch_reading_at_every_slider_min_default_max():
    d = defaults(widgets.bias_explorer)
    (w_low, w_high), (b_low, b_high) = d["weight_range"], d["bias_range"]
    for w in min_default_max(w_low, d["weight"], w_high):
        for b in min_default_max(b_low, d["bias"], b_high):
            reading = widgets.switch_reading(w, b)
            assert nnlib.sigmoid(w * reading.switch + b) == pytest.approx(0.5)  # crosses 0.5
            assert reading.side == (">" if w > 0 else "<")
            assert reading.on_picture == (abs(reading.switch) <= 10.0)
            assert ("off this picture" in reading.text) == (not reading.on_picture)
    flat = widgets.switch_reading(0.0, b_high)
    assert flat.switch is None and not flat.on_picture and "never switches" in flat.text


def test_error_reading_at_every_slider_min_default_max():
    d = defaults(widgets.loss_explorer)
    low, high = d["prediction_range"]
    sae, sse = get_loss("sae"), get_loss("sse")
    for p in min_default_max(low, d["prediction"], high):
        reading = widgets.error_reading(p, d["target"])
        out, y = np.array([[p]]), np.array([[d["target"]]])
        assert reading.absolute == sae.value(out, y) == abs(p - d["target"])
        assert reading.squared == sse.value(out, y) == (p - d["target"]) ** 2
        assert f"(p - y)² = {reading.squared:.4f}" in reading.text


@pytest.fixture(scope="module")
def xor_runs():
    return widgets.RateRuns("xor", (2, 4, 1), epochs=300, loss="bce")


def test_rate_reading_at_the_slider_min_default_max(xor_runs):
    d = defaults(widgets.learning_rate_explorer)
    reference = xor_runs.run(d["reference"])
    verdicts = {}
    for rate in min_default_max(d["lr_min"], d["reference"], d["lr_max"]):
        reading = widgets.rate_reading(xor_runs.run(rate), reference, rate, d["reference"],
                                       300, 4.0)
        X, y = logic_gate("xor")
        net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid",
                                 seed=0)
        if reading.verdict == "diverged":  # the loss stuck far above its start: train says so
            with pytest.raises(nnlib.TrainingDiverged) as caught:
                nnlib.train(net, X, y, loss="bce", learning_rate=rate, epochs=300,
                            shuffle=False)
            history = caught.value.history
            assert f"DIVERGED at step {caught.value.step}" in reading.text
        else:
            history = nnlib.train(net, X, y, loss="bce", learning_rate=rate, epochs=300,
                                  shuffle=False)
            assert reading.final == history.loss[-1]
        assert reading.losses == history.loss and reading.peak == max(history.loss)
        verdicts[rate] = reading.verdict
    assert verdicts == {0.001: "too small", 1.0: "as fast", 100.0: "diverged"}


def test_a_rate_whose_loss_spikes_is_called_too_large_even_if_it_ends_low(xor_runs):
    # Lesson 6's explorer at rate 10: the loss jumps from 0.71 to about 9.8, then ends near 1e-4,
    # lower than the reference's final loss -- yet this is not a good rate.
    reference = xor_runs.run(1.0)
    reading = widgets.rate_reading(xor_runs.run(10.0), reference, 10.0, 1.0, 300, 4.0)
    assert reading.final < reference.losses[-1] and reading.final < 1e-3
    assert reading.verdict == "spiked"
    assert reading.peak == pytest.approx(9.79, abs=0.01) and reading.peak_epoch == 8
    assert reading.peak / reading.start > 10
    assert "SPIKED to 9.789 at epoch 8" in reading.text and "Try a smaller rate" in reading.text
    assert "as fast as" not in reading.text
    epoch, value, message = reading.event
    assert epoch == 8 and value < 4.0 and "off the chart" in message  # marked inside the chart
    explorer = widgets.learning_rate_explorer(loss="bce")
    assert "SPIKED" in explorer.update(learning_rate=10.0)


def test_rate_runs_keep_the_history_of_a_run_that_diverged():
    runs = widgets.RateRuns(output_activation="linear")
    run = runs.run(100.0)
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="linear", seed=0)
    X, y = logic_gate("xor")
    with pytest.raises(nnlib.TrainingDiverged) as caught:
        nnlib.train(net, X, y, loss="mse", learning_rate=100.0, epochs=300, shuffle=False)
    history = caught.value.history
    assert run.diverged == str(caught.value) and run.losses == history.loss
    assert run.step == caught.value.step and run.epoch == caught.value.epoch
    reading = widgets.rate_reading(run, runs.run(0.1), 100.0, 0.1, 300, 4.0)
    assert reading.verdict == "diverged" and f"DIVERGED at step {run.step}" in reading.text
    assert runs.run(100.0) is run  # cached


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "builder, kwargs, error",
    [
        (widgets.neuron_explorer, {"inputs": (1.0, 2.0), "weights": (1.0,)}, ValueError),
        (widgets.neuron_explorer, {"weights": (9.0, 0.0)}, ValueError),
        (widgets.neuron_explorer, {"activation": "softmax"}, ValueError),
        (widgets.neuron_explorer, {"inputs": "x"}, TypeError),
        (widgets.neuron_explorer, {"weight_range": (5, -5)}, ValueError),
        (widgets.bias_explorer, {"bias": 20.0}, ValueError),
        (widgets.bias_explorer, {"weight": "one"}, TypeError),
        (widgets.loss_explorer, {"prediction": 10.0}, ValueError),
        (widgets.loss_explorer, {"target": None}, TypeError),
        (widgets.learning_rate_explorer, {"reference": 1000.0}, ValueError),
        (widgets.learning_rate_explorer, {"dataset": "iris"}, ValueError),
        (widgets.learning_rate_explorer, {"sizes": (3, 4, 1)}, ValueError),
        (widgets.learning_rate_explorer, {"lr_min": 1.0, "lr_max": 0.1}, ValueError),
        (widgets.learning_rate_explorer, {"epochs": 0}, ValueError),
    ],
)
def test_builders_refuse_bad_input(builder, kwargs, error):
    with pytest.raises(error):
        builder(**kwargs)


# -------------------------------------------------------------------- import


def test_import_nnlib_needs_numpy_only():
    code = ("import sys, nnlib, nnlib.widgets; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO_ROOT, check=True)
    assert result.stdout.strip() == "[]"


# ------------------------------------------- readability: text clear of text and data


EXPLORERS = {
    **BUILDERS,
    "neuron, lesson 2": lambda: widgets.neuron_explorer(
        inputs=(0.9, 0.2, 0.6), weights=(0.5, -1.0, 2.0), show_bias=False),
    "neuron, lesson 3": lambda: widgets.neuron_explorer(
        inputs=(1.0, 0.5), weights=(0.8, -0.4), bias=-1.0),
    "neuron, six tanh inputs": lambda: widgets.neuron_explorer(
        inputs=(1.0,) * 6, weights=(0.1,) * 6, activation="tanh"),
    "bias, lesson 3": lambda: widgets.bias_explorer(weight=2.0),
    "learning rate, lesson 6": lambda: widgets.learning_rate_explorer(loss="bce"),
    "learning rate, diverging": lambda: widgets.learning_rate_explorer(
        output_activation="linear", reference=0.1),
    "learning rate, lesson 6, spiking at 10": lambda: widgets.learning_rate_explorer(
        loss="bce", learning_rate=10.0),
}


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_pictures_keep_every_text_inside_and_apart(name):
    explorer = EXPLORERS[name]()
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    for slider_name, slider in explorer.sliders.items():
        for value in positions(slider):
            explorer.update(**{slider_name: value})
            fig.canvas.draw()  # lays out the fixed parts too (the PNG keeps its own copy)
            boxes = [(t.get_text(), text_box(t, renderer)) for t in figure_texts(fig)]
            for text, box in boxes:
                assert inside(box, fig.bbox), f"{slider_name}={value}: {text!r} is cut off"
            for k, (text, box) in enumerate(boxes):
                for other, other_box in boxes[k + 1:]:
                    assert not box.overlaps(other_box), (
                        f"{slider_name}={value}: {text!r} and {other!r} overlap")
            for ax in fig.axes:
                if ax.get_legend() is not None:
                    assert inside(ax.get_legend().get_window_extent(renderer), fig.bbox)


@pytest.mark.parametrize("show_bias", [True, False])
def test_neuron_explorer_diagram_title_says_plus_b_only_with_a_bias(show_bias):
    explorer = widgets.neuron_explorer(inputs=(0.9, 0.2, 0.6), weights=(0.5, -1.0, 2.0),
                                       show_bias=show_bias)
    curve, diagram = explorer.figure.axes
    assert diagram.get_title() == ("The node: a = sigmoid(x . w + b)" if show_bias
                                   else "The node: a = sigmoid(x . w)")
    assert curve.get_title() == "a = sigmoid(z)"
    has_bias_labels = any(t.get_text().startswith("b=") for t in diagram.texts)
    assert has_bias_labels == show_bias


@pytest.mark.parametrize("prediction", [-2.0, 0.0, 0.5, 1.0, 2.0, 2.5, 4.0])
def test_loss_explorer_value_labels_never_overlap_and_the_legend_covers_no_data(prediction):
    # At p = 0 and p = 2 the two errors are equal (1.00), at p = 1 both are 0.
    explorer = widgets.loss_explorer(target=1.0, prediction=0.0, prediction_range=(-2, 4))
    explorer.update(prediction=prediction)
    (ax,) = explorer.figure.axes
    renderer = explorer.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == 2
    first, second = (text_box(label, renderer) for label in labels)
    assert not first.overlaps(second), "the two value labels are drawn on top of each other"
    assert inside(first, frame, margin=2) and inside(second, frame, margin=2)
    legend = ax.get_legend().get_window_extent(renderer)
    assert not legend.overlaps(frame), "the legend sits on the plot (target line, curves)"
    assert not any(legend.overlaps(text_box(label, renderer)) for label in labels)
