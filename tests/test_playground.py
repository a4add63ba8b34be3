"""The playground: its model, its pictures and its widget, called directly.

Every control is set to its minimum, its default and its maximum, and each time
the widget must redraw, train a frame and step without an error; the model must
train with nnlib.train itself and give the same numbers for the same settings.
"""

from __future__ import annotations

import io
import time
import zlib

import numpy as np
import pytest

from nnlib import datasets
from nnlib import playground_image as pictures
from nnlib.gradient_descent import train
from nnlib.network import Network
from nnlib.playground import (
    ACTIVATIONS,
    DATASETS,
    FEATURES,
    LEARNING_RATES,
    LIMITS,
    Playground,
    Settings,
    feature_matrix,
    grid_points,
    make_data,
)

ipywidgets = pytest.importorskip("ipywidgets")
from nnlib.playground_widget import (  # noqa: E402
    DIAGRAM_WIDTH,
    EPOCHS_PER_FRAME,
    HEAT_MAP_PIXELS,
    PlaygroundWidget,
    playground,
)

DEFAULTS = Settings()

# Every control, with its minimum, default and maximum (or every choice it offers).
CONTROL_VALUES = {
    "dataset": list(DATASETS),
    "noise": [LIMITS["noise"][0], DEFAULTS.noise, LIMITS["noise"][1]],
    "train_percent": [LIMITS["train_percent"][0], DEFAULTS.train_percent,
                      LIMITS["train_percent"][1]],
    "features": [("x1",), DEFAULTS.features, tuple(FEATURES)],
    "hidden_layers": [LIMITS["hidden_layers"][0], len(DEFAULTS.hidden),
                      LIMITS["hidden_layers"][1]],
    "nodes": [LIMITS["nodes"][0], DEFAULTS.hidden[0], LIMITS["nodes"][1]],
    "activation": list(ACTIVATIONS),
    "learning_rate": [LEARNING_RATES[0], DEFAULTS.learning_rate, LEARNING_RATES[-1]],
    "batch_size": [LIMITS["batch_size"][0], DEFAULTS.batch_size, LIMITS["batch_size"][1]],
    "seed": [LIMITS["seed"][0], DEFAULTS.seed, LIMITS["seed"][1]],
    "epochs_per_frame": [EPOCHS_PER_FRAME[0], 2, EPOCHS_PER_FRAME[-1]],
}
CASES = [(name, value) for name, values in CONTROL_VALUES.items() for value in values]


def decode_png(data: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


# ------------------------------------------------------------------ the model
def test_a_run_is_nnlib_train_epoch_by_epoch():
    pg = Playground(dataset="circles", hidden=(3,), learning_rate=0.3, batch_size=7, seed=4)
    twin = Network.from_sizes([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=4)
    pg.step(3)
    for epoch in (1, 2, 3):
        history = train(twin, pg.X_train, pg.y_train, loss="bce", learning_rate=0.3, epochs=1,
                        batch_size=7, seed=4 * 1_000_003 + epoch,
                        validation=(pg.X_test, pg.y_test))
        assert history.loss[-1] == pytest.approx(pg.train_loss[epoch], rel=1e-12)
        assert history.val_loss[-1] == pytest.approx(pg.test_loss[epoch], rel=1e-12)
    for mine, theirs in zip(pg.network.layers, twin.layers, strict=True):
        np.testing.assert_allclose(mine.weights, theirs.weights, rtol=1e-12)


def test_same_settings_same_run_however_it_is_stepped():
    a, b = Playground(dataset="moons"), Playground(dataset="moons")
    a.step(6)
    for _ in range(3):
        b.step(2)
    assert a.train_loss == b.train_loss and a.test_loss == b.test_loss
    c = Playground(dataset="moons", seed=1)
    c.step(6)
    assert c.test_loss != a.test_loss


def test_data_sets_have_both_classes_split_as_asked():
    for name in DATASETS:
        for percent in (10, 70, 90):
            pg = Playground(dataset=name, train_percent=percent)
            assert len(pg.X_train) == round(200 * percent / 100)
            assert len(pg.X_train) + len(pg.X_test) == 200
            assert set(np.unique(pg.y_train)) == {0.0, 1.0}
        X, y = make_data(name, 200, 0.0, 0)
        assert X.shape == (200, 2) and y.shape == (200, 1)
        assert np.abs(X).max() <= 1.5  # inside the pictures' square


def test_new_generators_are_seeded_and_labelled():
    X, y = datasets.xor_points(100, noise=0.0, seed=3)
    assert np.array_equal(y[:, 0], (X[:, 0] * X[:, 1] < 0).astype(float))
    assert np.array_equal(X, datasets.xor_points(100, noise=0.0, seed=3)[0])
    X, y = datasets.gaussian_clusters(400, noise=0.0, seed=0)
    assert X[y[:, 0] == 1].mean(axis=0) == pytest.approx([0.5, 0.5], abs=0.05)
    assert X[y[:, 0] == 0].mean(axis=0) == pytest.approx([-0.5, -0.5], abs=0.05)
    with pytest.raises(ValueError, match="spread must be"):
        datasets.gaussian_clusters(spread=0)


def test_features_are_computed_from_the_points():
    X = np.array([[2.0, -3.0]])
    assert feature_matrix(X, tuple(FEATURES)).tolist() == [[2.0, -3.0, 4.0, 9.0, -6.0]]
    grid = grid_points(4)
    assert grid[0].tolist() == pytest.approx([-1.125, 1.125])  # top left
    assert grid[-1].tolist() == pytest.approx([1.125, -1.125])  # bottom right


@pytest.mark.parametrize("name,value", [
    ("dataset", "swirl"), ("noise", -0.1), ("noise", 0.6), ("train_percent", 5),
    ("train_percent", 95), ("hidden", (4,) * 5), ("hidden", (9,)), ("hidden", (0,)),
    ("activation", "softmax"), ("learning_rate", 20.0), ("batch_size", 0),
    ("batch_size", 31), ("seed", -1), ("features", ()), ("features", ("x3",)),
    ("features", "x1"), ("seed", 1.5), ("noise", True),
])
def test_bad_settings_are_refused_saying_what_is_allowed(name, value):
    pg = Playground()
    before = pg.settings
    with pytest.raises((ValueError, TypeError), match=name.rstrip("s") if name != "hidden"
                       else "hidden|nodes"):
        pg.update(**{name: value})
    assert pg.settings == before


def test_learning_rate_change_keeps_the_weights_other_changes_start_again():
    pg = Playground()
    pg.step(5)
    assert pg.update(learning_rate=0.3) is False
    assert pg.epoch == 5
    pg.step(1)
    assert pg.learning_rates == [0.1] * 5 + [0.3]
    assert pg.update(batch_size=5) is True
    assert pg.epoch == 0 and len(pg.test_loss) == 1
    assert pg.update(batch_size=5) is False  # no change, nothing happens


def test_steps_per_epoch_counts_the_last_smaller_batch():
    pg = Playground(batch_size=30)  # 140 training points
    assert pg.steps_per_epoch == 5


def test_formula_shows_live_weights():
    pg = Playground(hidden=(2,), features=("x1", "x1^2"))
    w = pg.network.layers[0].weights
    w[:, 0] = [1.5, -0.25]
    pg.network.layers[0].bias[0] = 0.125
    assert pg.formula(1, 1) == "h1_1 = tanh(1.5 x1 - 0.25 x1^2 + 0.125)"
    assert pg.formula(2, 1).startswith("output = sigmoid(")
    assert "h1_1" in pg.formula(2, 1) and "h1_2" in pg.formula(2, 1)
    with pytest.raises(ValueError, match="layer must be from 1 to 2"):
        pg.formula(3, 1)
    with pytest.raises(ValueError, match="node must be from 1 to 2"):
        pg.formula(1, 3)


def test_a_diverging_run_stops_with_nnlibs_message():
    pg = Playground()
    pg.network.layers[0].weights[:] = np.nan
    assert pg.step(5) == 0
    assert pg.diverged is not None and "epoch 1" in pg.diverged
    assert pg.step(1) == 0  # stays stopped until reset
    pg.reset()
    assert pg.diverged is None and pg.step(1) == 1


# ------------------------------------------------------------------ the pictures
def test_png_bytes_decode_to_the_same_pixels():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (7, 5, 3), dtype=np.uint8)
    assert np.array_equal(decode_png(pictures.png_bytes(image)), image)
    with pytest.raises(ValueError, match="uint8"):
        pictures.png_bytes(image.astype(float))


def test_heat_map_colours_and_marker_shapes():
    probabilities = np.array([[0.0, 1.0], [0.5, 0.5]])
    image = pictures.heat_map(probabilities, 100, strength=1.0)
    assert image.shape == (100, 100, 3)
    assert image[10, 10].tolist() == pictures.ORANGE.astype(int).tolist()  # class 0, top left
    assert image[10, 90].tolist() == pictures.BLUE.astype(int).tolist()
    assert image[90, 50].tolist() == [255, 255, 255]  # undecided
    blank = np.full((40, 40, 3), 255, dtype=np.uint8)
    filled, hollow = blank.copy(), blank.copy()
    centre = np.array([[0.0, 0.0]])
    pictures.draw_points(filled, centre, [1], 1.0, shape="circle")
    pictures.draw_points(hollow, centre, [1], 1.0, shape="square", hollow=True)
    # A filled circle is blue at its centre and leaves its corners; a hollow square is
    # white at its centre and fills its corners: told apart without colour.
    assert filled[19, 19].tolist() == pictures.BLUE.astype(int).tolist()
    assert hollow[19, 19].tolist() == [255, 255, 255]
    assert filled[15, 15].tolist() == [255, 255, 255] and hollow[15, 15].tolist() != [255] * 3


def test_loss_chart_draws_both_curves():
    chart = pictures.loss_chart([0.7, 0.5, 0.2], [0.7, 0.6, 0.5], width=120, height=60)
    assert chart.shape == (60, 120, 3)
    dark = (chart < 100).all(axis=2)
    assert dark.sum() > 100  # the solid train curve
    grey = (chart == 90).all(axis=2)
    assert grey.sum() > 20  # the dashed test curve


# ------------------------------------------------------------------ the widget
@pytest.fixture
def widget():
    pw = playground(dataset="xor")
    yield pw
    pw.pause()


def check_drawn(pw: PlaygroundWidget):
    image = decode_png(pw.heat_map.value)
    assert image.shape == (HEAT_MAP_PIXELS, HEAT_MAP_PIXELS, 3)
    assert decode_png(pw.loss_chart.value).shape[2] == 3
    diagram = decode_png(pw.diagram.value)
    assert diagram.shape[1] == DIAGRAM_WIDTH and (str(diagram.shape[1]), str(diagram.shape[0])) == (
        pw.diagram.width, pw.diagram.height)
    assert pw.diagram_caption.value.count("hidden layer") == len(pw.model.settings.hidden)
    assert f"Epoch {pw.model.epoch:,}" in pw.readout.value
    assert "Traceback" not in pw.readout.value


@pytest.mark.parametrize("name,value", CASES, ids=[f"{n}={v}" for n, v in CASES])
def test_every_control_at_its_minimum_default_and_maximum(widget, name, value):
    widget.set(**{name: value})
    s = widget.model.settings
    expected = {"hidden_layers": lambda: len(s.hidden), "nodes": lambda: set(s.hidden) or {value},
                "epochs_per_frame": lambda: widget.epochs_per_frame}
    got = expected.get(name, lambda: getattr(s, name))()
    assert got == ({value} if name == "nodes" else value)
    assert widget.message == ""
    check_drawn(widget)
    widget.frame()
    assert widget.model.epoch == widget.epochs_per_frame or widget.model.diverged
    check_drawn(widget)
    widget.step()
    check_drawn(widget)
    widget.reset()
    assert widget.model.epoch == 0


@pytest.mark.parametrize("name,value", CASES, ids=[f"{n}={v}" for n, v in CASES])
def test_every_control_moved_like_a_learner_does(widget, name, value):
    """Through the ipywidgets themselves: setting a control's value redraws the views."""
    before = (widget.heat_map.value, widget.text)
    if name == "features":
        for feature, box in widget.features.items():
            if feature in value:
                box.value = True
        for feature, box in widget.features.items():
            if feature not in value:
                box.value = False
        assert widget.model.settings.features == value
    else:
        widget.controls[name].value = value
    changed = (widget.heat_map.value, widget.text) != before
    unchanged_setting = {"dataset": "xor", "features": DEFAULTS.features}.get(name)
    if value != unchanged_setting and value != CONTROL_VALUES[name][1]:
        assert changed, f"moving {name} to {value!r} changed nothing"
    check_drawn(widget)


def test_a_batch_size_the_menu_lacks_can_be_set_in_code(widget):
    widget.set(batch_size=7)
    assert widget.controls["batch_size"].value == 7 and widget.model.settings.batch_size == 7
    assert "batch size 7 (20 steps per epoch" in widget.text


def test_bad_control_values_show_a_message_and_keep_the_run(widget):
    widget.step(3)
    text = widget.set(noise=0.9)
    assert "noise must be a number from 0 to 0.5, got 0.9" in text
    assert widget.model.settings.noise == DEFAULTS.noise and widget.model.epoch == 3
    widget.set(noise=0.2)
    assert widget.message == ""
    assert "at least one" not in widget.text
    for box in widget.features.values():
        box.value = False
    assert "at least one input feature is needed" in widget.text
    assert widget.model.settings.features and any(b.value for b in widget.features.values())
    with pytest.raises(TypeError, match="unknown control"):
        widget.set(colour="red")


def test_play_pause_step_reset_buttons(widget):
    widget.buttons["play"].click()
    assert widget.playing and widget.buttons["play"].description == "Pause"
    deadline = time.monotonic() + 20
    while widget.model.epoch < 3 * widget.epochs_per_frame and time.monotonic() < deadline:
        time.sleep(0.05)
    widget.buttons["play"].click()
    assert not widget.playing and widget.buttons["play"].description == "Play"
    epoch = widget.model.epoch
    assert epoch >= 3 * widget.epochs_per_frame
    time.sleep(0.2)
    assert widget.model.epoch == epoch  # paused means paused
    widget.buttons["step"].click()
    assert widget.model.epoch == epoch + 1
    widget.buttons["reset"].click()
    assert widget.model.epoch == 0 and widget.text.startswith("Epoch 0 ")


def test_controls_answer_while_playing(widget):
    widget.play()
    try:
        widget.set(dataset="circles")
        assert widget.model.settings.dataset == "circles"
        assert "circles" in widget.text
    finally:
        widget.pause()


def test_diverged_run_shows_the_message_in_the_widget_never_a_traceback(widget):
    widget.model.network.layers[-1].weights[:] = np.inf
    widget.play()
    deadline = time.monotonic() + 20
    while widget.playing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not widget.playing
    assert "Training stopped: epoch 1:" in widget.text
    assert "Press Reset" in widget.readout.value and "Traceback" not in widget.readout.value
    widget.reset()
    assert "Training stopped" not in widget.text


def test_formula_of_a_chosen_node_follows_the_weights(widget):
    widget.formula_choice.value = (1, 2)
    first = widget.formula.value
    assert "h1_2 = tanh(" in first
    widget.step(5)
    assert widget.formula.value != first
    options = dict(widget.formula_choice.options)
    assert "output" in options and "h2_4" in options
    widget.set(hidden_layers=1)
    assert "h2_4" not in dict(widget.formula_choice.options)


def test_draw_lines_width_and_dashes():
    image = np.full((21, 61, 3), 255, dtype=np.uint8)
    pictures.draw_lines(image, [(5, 5), (5, 15)], [(55, 5), (55, 15)], [4, 1],
                        [pictures.BLUE, pictures.ORANGE], [False, True])
    blue = (image == pictures.BLUE.astype(np.uint8)).all(axis=2)
    orange = (image == pictures.ORANGE.astype(np.uint8)).all(axis=2)
    assert 4 <= blue[:, 30].sum() <= 5  # 4 pixels wide
    assert blue[5, 5:56].all()  # solid
    row = orange[15, 5:56]
    assert 0.4 < row.mean() < 0.6 and orange.sum(axis=0).max() == 1  # dashed, 1 pixel wide


def outside_nodes(pw):
    from nnlib.playground_widget import NODE_PIXELS, node_positions

    image = decode_png(pw.diagram.value).copy()
    positions, _ = node_positions(pw.model.network.sizes)
    for column in positions:
        for x, y in column:
            image[y - 1:y + NODE_PIXELS + 1, x - 1:x + NODE_PIXELS + 1] = 255
    return image


def test_diagram_draws_weights_by_size_and_sign(widget):
    for layer in widget.model.network.layers:
        layer.weights[:] = 0.5
    widget.render()
    lines = outside_nodes(widget)
    orange = (lines == pictures.ORANGE.astype(np.uint8)).all(axis=2)
    blue = (lines == pictures.BLUE.astype(np.uint8)).all(axis=2)
    assert orange.sum() == 0 and blue.sum() > 0  # all positive: all blue
    thin = blue.sum()
    widget.model.network.layers[0].weights[0, 0] = -2.0
    widget.render()
    lines = outside_nodes(widget)
    assert (lines == pictures.ORANGE.astype(np.uint8)).all(axis=2).sum() > 0
    for layer in widget.model.network.layers:
        layer.weights[:] = 3.0
    widget.render()
    assert (outside_nodes(widget) == pictures.BLUE.astype(np.uint8)).all(axis=2).sum() > 2 * thin


def test_still_picture_for_pages_without_widgets(widget):
    bundle = widget._repr_mimebundle_()
    assert "data:image/png;base64," in bundle["text/html"]
    assert "Epoch 0" in bundle["text/plain"]


def test_settings_and_epochs_per_frame_are_checked_when_built():
    with pytest.raises(ValueError, match="epochs_per_frame must be one of"):
        playground(epochs_per_frame=3)
    with pytest.raises(ValueError, match="dataset must be one of"):
        playground(dataset="digits")


def test_png_is_compressed_with_zlib():
    data = pictures.png_bytes(np.zeros((10, 10, 3), dtype=np.uint8))
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8:start - 4], "big")
    rows = zlib.decompress(data[start:start + length])
    assert len(rows) == 10 * (1 + 30)
