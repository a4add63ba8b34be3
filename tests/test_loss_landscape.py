"""The loss landscape: its numbers are nnlib's, its path is nnlib's training, its sliders work."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from figure_layout import drawn, figure_texts, inside, text_box  # noqa: E402

import nnlib  # noqa: E402
from nnlib.landscape_plot import landscape_explorer, plot_landscape, plot_one_step  # noqa: E402
from nnlib.loss_landscape import (  # noqa: E402
    best_fit,
    descent_path,
    landscape_data,
    landscape_grid,
    loss_at,
    neuron,
    path_reading,
)

X, Y = landscape_data()
LOWEST = loss_at(*best_fit(X, Y), X, Y)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_grid_losses_are_nnlibs_mean_squared_error():
    ws, bs, L = landscape_grid(X, Y, points=7)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        expected = np.mean((ws[j] * X + bs[i] - Y) ** 2)
        assert L[i, j] == pytest.approx(expected, rel=1e-12)
    assert L.min() >= LOWEST - 1e-12  # no grid point beats the least-squares bottom


def test_path_is_nnlibs_own_training_step_repeated():
    path = descent_path(X, Y, (4.0, 2.0), 0.1, 15)
    net = neuron(4.0, 2.0)
    # full batch: one step an epoch
    nnlib.train(net, X, Y, loss="mse", learning_rate=0.1, epochs=15)
    assert path.points.shape == (16, 2)
    layer = net.layers[0]
    np.testing.assert_allclose(path.points[-1], [layer.weights[0, 0], layer.bias[0]], rtol=1e-12)
    for k in (0, 7, 15):  # the loss recorded at each point is the loss there
        assert path.losses[k] == pytest.approx(loss_at(*path.points[k], X, Y), rel=1e-12)


@pytest.mark.parametrize("rate, verdict", [(0.005, "too small"), (0.1, "good"),
                                           (0.6, "zigzag"), (0.75, "too large")])
def test_too_small_good_and_too_large_read_as_such(rate, verdict):
    reading = path_reading(descent_path(X, Y, (4.0, 2.0), rate, 20), LOWEST)
    assert reading.verdict == verdict
    assert reading.text.splitlines()[-1].startswith(verdict if verdict != "zigzag" else "large")


def test_a_diverging_path_is_cut_short_and_said_so():
    path = descent_path(X, Y, (4.0, 2.0), 5.0, 60)
    assert path.blown_up and len(path.points) < 61
    assert "blew up" in path_reading(path, LOWEST).text


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        descent_path(X, Y, (0.0, 0.0), -0.1, 5)
    with pytest.raises(ValueError):
        descent_path(X, Y, (0.0, 0.0), 0.1, 0)


def positions(slider):
    return [slider.min, slider.value, slider.max]


def test_every_slider_at_min_default_max_gives_its_own_text_and_picture():
    explorer = landscape_explorer()
    defaults = explorer.values()
    for name, slider in explorer.sliders.items():
        texts, pngs = set(), set()
        for value in positions(slider):
            text = explorer.update(**{**defaults, name: value})
            assert explorer.png.startswith(b"\x89PNG")
            expected = path_reading(descent_path(
                X, Y, (explorer.values()["w"] if name != "w" else value,
                       explorer.values()["b"] if name != "b" else value),
                value if name == "learning_rate" else defaults["learning_rate"],
                value if name == "steps" else defaults["steps"]), LOWEST).text
            assert text == expected
            texts.add(text)
            pngs.add(explorer.png)
        assert len(texts) == 3 and len(pngs) == 3, name
    explorer.sliders["learning_rate"].value = 0.7  # moving a slider redraws
    assert "too large" in explorer.text
    assert isinstance(explorer.sliders["steps"], ipywidgets.IntSlider)


@pytest.mark.parametrize("draw", [
    lambda: plot_one_step(X, Y, 0.0, 0.1),
    lambda: plot_landscape(X, Y, [descent_path(X, Y, (4.0, 2.0), r, 20)
                                  for r in (0.01, 0.1, 0.7)]),
])
def test_static_pictures_keep_their_text_apart_and_inside(draw):
    ax = draw()
    renderer = drawn(ax.figure)
    texts = figure_texts(ax.figure)
    boxes = [text_box(t, renderer) for t in texts]
    for k, box in enumerate(boxes):
        assert inside(box, ax.figure.bbox), texts[k].get_text()
        for other, other_box in zip(texts[k + 1:], boxes[k + 1:], strict=True):
            assert not box.overlaps(other_box), (texts[k].get_text(), other.get_text())
