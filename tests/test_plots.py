"""nnlib.plots: every picture is titled and labelled, draws what it should, refuses bad input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_layout import drawn, figure_texts, inside, text_box
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

import nnlib
from nnlib import plots
from nnlib.activation import get_activation
from nnlib.datasets import load_digits_images, logic_gate, one_hot, spirals
from nnlib.layer import Dense
from nnlib.network import Network


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def assert_labelled(ax: Axes) -> None:
    assert ax.get_title(), "no title"
    assert ax.get_xlabel(), "no x label"
    assert ax.get_ylabel(), "no y label"


def line_labelled(ax: Axes, label: str):
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(lines) == 1, f"expected one line labelled {label!r}, got {len(lines)}"
    return lines[0]


def xor_network(seed=0, **kwargs) -> Network:
    return Network.from_sizes([2, 3, 1], seed=seed, **kwargs)


# -------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_plot_activation_draws_the_function_and_its_derivative(name):
    ax = plots.plot_activation(name, z_range=(-4, 4))
    assert isinstance(ax, Axes)
    assert_labelled(ax)
    activation = get_activation(name)
    curve = line_labelled(ax, f"{name}(z)")
    z = curve.get_xdata()
    assert z.min() == -4 and z.max() == 4
    np.testing.assert_allclose(curve.get_ydata(), activation.forward(z))
    derivative = line_labelled(ax, f"{name}'(z)  (derivative)")
    assert derivative.get_linestyle() == "--"  # told apart by style, not colour alone
    assert curve.get_linestyle() == "-"
    np.testing.assert_allclose(derivative.get_ydata(), activation.derivative(z))
    assert tuple(ax.figure.get_size_inches()) == plots.FIGSIZE


def test_plot_activation_marks_and_annotates_points():
    ax = plots.plot_activation("sigmoid", show_derivative=False, points=[-2, 0, 3])
    marks = line_labelled(ax, "marked points")
    np.testing.assert_allclose(marks.get_xdata(), [-2, 0, 3])
    np.testing.assert_allclose(marks.get_ydata(), nnlib.sigmoid(np.array([-2.0, 0.0, 3.0])))
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["sigmoid(-2.00) = 0.12", "sigmoid(0.00) = 0.50", "sigmoid(3.00) = 0.95"]
    assert not [line for line in ax.get_lines() if "derivative" in line.get_label()]


def test_plot_activation_draws_into_a_given_axes():
    fig, ax = plt.subplots()
    assert plots.plot_activation("tanh", ax=ax) is ax


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"name": "softmax"}, ValueError),
        ({"name": "sigmoidd"}, ValueError),
        ({"z_range": (5, -5)}, ValueError),
        ({"z_range": 5}, TypeError),
        ({"points": "abc"}, TypeError),
        ({"ax": "not an axes"}, TypeError),
    ],
)
def test_plot_activation_refuses_bad_input(kwargs, error):
    with pytest.raises(error):
        plots.plot_activation(**kwargs)


def test_plot_activations_one_labelled_panel_each():
    fig = plots.plot_activations()
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    assert len(fig.axes) == 4
    for ax, name in zip(fig.axes, ["sigmoid", "tanh", "relu", "linear"], strict=True):
        assert_labelled(ax)
        assert ax.get_title() == name
        assert len([line for line in ax.get_lines() if not line.get_label().startswith("_")]) == 2


def test_plot_activations_refuses_softmax_and_empty():
    with pytest.raises(ValueError, match="softmax"):
        plots.plot_activations(("sigmoid", "softmax"))
    with pytest.raises(ValueError):
        plots.plot_activations(())


# ------------------------------------------------------------------- losses


@pytest.fixture(scope="module")
def history():
    X, y = logic_gate("xor")
    return nnlib.train(xor_network(), X, y, learning_rate=2.0, epochs=30, batch_size=2)


def test_plot_loss_curve_from_a_history_per_epoch_and_per_step(history):
    ax = plots.plot_loss_curve(history)
    assert_labelled(ax)
    assert ax.get_xlabel() == "epoch"
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), history.loss)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 31))

    ax = plots.plot_loss_curve(history, per="step")
    assert ax.get_xlabel() == "step"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), history.step_loss)
    assert len(history.step_loss) == 60


def test_plot_loss_curve_compares_runs_on_one_axes(history):
    fig, ax = plt.subplots()
    plots.plot_loss_curve(history, ax=ax, label="run A", log=True)
    plots.plot_loss_curve([0.9, 0.5, 0.3], ax=ax, label="run B", log=True)
    first, second = ax.get_lines()
    assert first.get_linestyle() != second.get_linestyle()  # not colour alone
    assert first.get_color() != second.get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["run A", "run B"]
    assert ax.get_yscale() == "log"
    assert "log" in ax.get_ylabel()


def test_plot_loss_curve_skips_non_finite_values_of_a_diverged_run():
    ax = plots.plot_loss_curve([1.0, 10.0, 1e300, np.inf], log=True)
    assert len(ax.get_lines()[0].get_ydata()) == 4
    ax.figure.canvas.draw()  # no overflow warning when drawn either


@pytest.mark.parametrize(
    "values, kwargs, error",
    [
        ([], {}, ValueError),
        ([1.0, 0.5], {"per": "batch"}, ValueError),
        ([1.0, 0.0], {"log": True}, ValueError),
        ("loss", {}, TypeError),
    ],
)
def test_plot_loss_curve_refuses_bad_input(values, kwargs, error):
    with pytest.raises(error):
        plots.plot_loss_curve(values, **kwargs)


def test_plot_loss_vs_prediction_curves_are_the_losses():
    ax = plots.plot_loss_vs_prediction(target=1.0, losses=("sae", "sse"),
                                       prediction_range=(-1.0, 3.0))
    assert_labelled(ax)
    absolute = line_labelled(ax, "absolute error |p - y|")
    squared = line_labelled(ax, "squared error (p - y)²")
    p = absolute.get_xdata()
    assert p.min() == -1.0 and p.max() == 3.0
    np.testing.assert_allclose(absolute.get_ydata(), np.abs(p - 1.0))
    np.testing.assert_allclose(squared.get_ydata(), (squared.get_xdata() - 1.0) ** 2)
    assert absolute.get_linestyle() != squared.get_linestyle()
    target = line_labelled(ax, "target y = 1")
    assert list(target.get_xdata()) == [1.0, 1.0]


def test_plot_loss_vs_prediction_cross_entropy_stays_inside_0_1():
    ax = plots.plot_loss_vs_prediction(target=1.0, losses=("bce",), prediction_range=(-1, 2))
    curve = line_labelled(ax, "binary cross-entropy")
    p = curve.get_xdata()
    assert 0 < p.min() and p.max() < 1
    np.testing.assert_allclose(curve.get_ydata(), -np.log(p))


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"losses": ("softmax_cross_entropy",)}, ValueError),
        ({"losses": ("hinge",)}, ValueError),
        ({"losses": ()}, ValueError),
        ({"losses": ("bce",), "target": 2.0}, ValueError),
        ({"losses": ("bce",), "prediction_range": (2.0, 3.0)}, ValueError),
        ({"target": "one"}, TypeError),
        ({"prediction_range": (1.0, 1.0)}, ValueError),
    ],
)
def test_plot_loss_vs_prediction_refuses_bad_input(kwargs, error):
    with pytest.raises(error):
        plots.plot_loss_vs_prediction(**kwargs)


# -------------------------------------------------------- decision boundary


def scatter_points(ax):
    """The data drawn by plot_decision_boundary: one scatter per class, in class order."""
    return [c for c in ax.collections if c.get_offsets().shape[1:] == (2,)
            and len(c.get_offsets()) > 0 and type(c).__name__ == "PathCollection"]


def test_decision_boundary_one_output_network():
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    nnlib.train(net, X, y, loss="bce", learning_rate=3.0, epochs=300)
    ax = plots.plot_decision_boundary(net, X, y)
    assert_labelled(ax)
    points = scatter_points(ax)
    assert len(points) == 2
    np.testing.assert_allclose(points[0].get_offsets(), X[y[:, 0] == 0])
    np.testing.assert_allclose(points[1].get_offsets(), X[y[:, 0] == 1])
    # Different markers per class: the two scatters use different paths.
    assert not np.array_equal(points[0].get_paths()[0].vertices,
                              points[1].get_paths()[0].vertices)
    # The trained network separates XOR: its class at each data point is the label.
    np.testing.assert_array_equal(plots.predict_classes(net, X), y[:, 0])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "boundary"]


def test_decision_boundary_several_outputs_with_int_or_one_hot_labels():
    X, labels = spirals(20, 3, seed=0)
    net = Network.from_sizes([2, 8, 3], output_activation="linear", seed=0)
    for y in (labels, one_hot(labels, 3)):
        fig, ax = plt.subplots()
        plots.plot_decision_boundary(net, X, y, ax=ax, resolution=40, title="three classes")
        assert ax.get_title() == "three classes"
        assert len(scatter_points(ax)) == 3
    np.testing.assert_array_equal(plots.predict_classes(net, X), net.forward(X).argmax(axis=1))


def test_decision_boundary_of_a_network_that_says_one_class_everywhere():
    X, y = logic_gate("and")
    net = Network.from_sizes([2, 1], init="zeros", seed=0)
    net.layers[0].bias[:] = 5.0  # always class 1: no boundary line to draw, and no warning
    ax = plots.plot_decision_boundary(net, X, y, resolution=20)
    assert_labelled(ax)


def test_decision_boundary_refuses_bad_input():
    X, y = logic_gate("xor")
    with pytest.raises(ValueError, match="2 inputs"):
        plots.plot_decision_boundary(Network.from_sizes([3, 2, 1]), np.ones((4, 3)), y)
    with pytest.raises(TypeError, match="Network"):
        plots.plot_decision_boundary([2, 3, 1], X, y)
    with pytest.raises(ValueError, match="one label per example"):
        plots.plot_decision_boundary(xor_network(), X, y[:3])
    with pytest.raises(ValueError, match="columns"):
        plots.plot_decision_boundary(xor_network(), np.ones((4, 3)), y)
    with pytest.raises(ValueError, match="class labels"):
        plots.plot_decision_boundary(xor_network(), X, y - 0.5)
    with pytest.raises(ValueError):
        plots.plot_decision_boundary(xor_network(), X, y, resolution=1)


# ---------------------------------------------------------- network diagram


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def squares(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def edges(ax):
    return [line for line in ax.get_lines() if len(line.get_xdata()) == 2]


def test_draw_network_nodes_edges_and_values():
    net = xor_network(seed=1)
    X, _ = logic_gate("xor")
    values = net.forward(X[1:2], return_all=True)
    ax = plots.draw_network(net, values=values)
    assert_labelled(ax)
    assert len(circles(ax)) == 2 + 3 + 1
    assert len(edges(ax)) == 2 * 3 + 3 * 1
    texts = [t.get_text() for t in ax.texts]
    for layer_values in values:
        for v in layer_values[0]:
            assert f"{v:.2f}" in texts
    # Weights: written on the edges (9 edges <= 12), sign shown by line style as well as colour.
    weights = np.concatenate([layer.weights.ravel() for layer in net.layers])
    for w in weights:
        assert f"{w:.2f}" in texts
    # Edges are drawn layer by layer, source by source: the order of W.ravel().
    lines = edges(ax)
    for line, w in zip(lines, weights, strict=True):
        assert line.get_linestyle() == ("--" if w < 0 else "-")
        assert line.get_color() == (plots.NEGATIVE if w < 0 else plots.POSITIVE)
    widths = [line.get_linewidth() for line in lines]
    by_size = np.argsort(np.abs(weights))
    assert np.all(np.diff(np.array(widths)[by_size]) >= 0)  # wider for larger |w|
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "positive weight" in legend and "negative weight" in legend


def test_draw_network_from_sizes_only():
    ax = plots.draw_network([2, 3, 1])
    assert_labelled(ax)
    assert len(circles(ax)) == 6
    assert len(edges(ax)) == 9
    texts = [t.get_text() for t in ax.texts]
    assert {"x1", "x2", "h1", "h2", "h3", "o1"} <= set(texts)
    assert tuple(ax.figure.get_size_inches()) == plots.NETWORK_FIGSIZE


def test_draw_network_bias_pictures():
    layer_net = Network.from_sizes([2, 3, 1], bias="layer", seed=0)
    ax = plots.draw_network(layer_net)
    assert len(squares(ax)) == 2  # one "b" node per layer
    assert [t.get_text() for t in ax.texts].count("b") == 2
    assert len(edges(ax)) == 9 + 3 + 1  # the bias nodes feed every node of their layer

    node_net = Network.from_sizes([2, 3, 1], bias="node", seed=0)
    fig, ax = plt.subplots()
    plots.draw_network(node_net, ax=ax)
    assert len([t for t in ax.texts if t.get_text().startswith("b=")]) == 3 + 1
    assert not squares(ax)

    for net, kwargs in ((Network.from_sizes([2, 3, 1], bias=None), {}),
                        (node_net, {"show_bias": False}), (layer_net, {"show_bias": False})):
        fig, ax = plt.subplots()
        plots.draw_network(net, ax=ax, **kwargs)
        assert not squares(ax)
        assert not [t for t in ax.texts if t.get_text().startswith("b")]


def test_draw_network_weight_labels_only_on_small_networks():
    net = Network.from_sizes([4, 4, 4], seed=0)
    ax = plots.draw_network(net, show_bias=False)
    assert len(ax.texts) == 12  # node names only
    fig, ax = plt.subplots()
    plots.draw_network(net, ax=ax, show_weights=True, show_bias=False)
    assert len(ax.texts) == 12 + 32


def test_draw_network_shortens_big_layers():
    net = Network.from_sizes([64, 32, 10], seed=0)
    X = load_digits_images()[0][:1].reshape(1, 64) / 16.0
    ax = plots.draw_network(net, values=net.forward(X, return_all=True))
    assert len(circles(ax)) == 10 + 10 + 10
    assert [t.get_text() for t in ax.texts].count("...") == 2
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "64 nodes (10 shown)" in ticks[0] and "32 nodes (10 shown)" in ticks[1]
    fig, ax = plt.subplots()
    plots.draw_network(net, ax=ax, max_nodes=5)
    assert len(circles(ax)) == 5 + 5 + 5


@pytest.mark.parametrize(
    "values, error, match",
    [
        ([np.ones(2), np.ones(3)], ValueError, "one array per layer"),
        ([np.ones(2), np.ones(4), np.ones(1)], ValueError, "3 values"),
        ([np.ones((2, 2)), np.ones((2, 3)), np.ones((2, 1))], ValueError, "X\\[:1\\]"),
        (np.ones(6), TypeError, "list"),
    ],
)
def test_draw_network_refuses_values_of_the_wrong_shape(values, error, match):
    with pytest.raises(error, match=match):
        plots.draw_network(xor_network(), values=values)


@pytest.mark.parametrize(
    "network, kwargs, error",
    [
        ("2-3-1", {}, TypeError),
        ([2], {}, ValueError),
        ([2, 0, 1], {}, ValueError),
        ([2, 1.5, 1], {}, TypeError),
        ([2, 3, 1], {"max_nodes": 2}, ValueError),
        ([2, 3, 1], {"show_weights": "some"}, ValueError),
    ],
)
def test_draw_network_refuses_bad_input(network, kwargs, error):
    with pytest.raises(error):
        plots.draw_network(network, **kwargs)


# ------------------------------------------------------------------- digits


def test_plot_digits_labels_and_mistakes_in_words():
    images, labels = load_digits_images()
    predictions = labels[:12].copy()
    predictions[3] = (labels[3] + 1) % 10
    fig = plots.plot_digits(images[:12], labels[:12], predictions, n_cols=6)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() and "1 wrong" in fig.get_suptitle()
    assert fig.get_supxlabel()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[3] == f"pred {predictions[3]} / true {labels[3]}"
    assert titles[0] == str(labels[0])
    shown = fig.axes[0].get_images()[0]
    assert shown.get_cmap().name == "gray_r"
    np.testing.assert_array_equal(shown.get_array(), images[0])


def test_plot_digits_accepts_flat_rows_and_no_labels():
    X = load_digits_images()[0][:5].reshape(5, 64) / 16.0
    fig = plots.plot_digits(X, title="five digits")
    assert fig.get_suptitle() == "five digits"
    assert fig.axes[0].get_images()[0].get_array().shape == (8, 8)
    fig = plots.plot_digits(X, predictions=[1, 2, 3, 4, 5])
    assert fig.axes[1].get_title() == "pred 2"


@pytest.mark.parametrize(
    "images, kwargs, error",
    [
        (np.zeros((3, 63)), {}, ValueError),
        (np.zeros((3, 8)), {}, ValueError),
        (np.zeros((0, 8, 8)), {}, ValueError),
        (np.zeros((500, 64)), {}, ValueError),
        (np.zeros((3, 64)), {"labels": [1, 2]}, ValueError),
        ("digits", {}, TypeError),
    ],
)
def test_plot_digits_refuses_bad_input(images, kwargs, error):
    with pytest.raises(error):
        plots.plot_digits(images, **kwargs)


def test_plot_hidden_weights_one_image_per_node():
    net = Network.from_sizes([64, 12, 10], seed=0)
    fig = plots.plot_hidden_weights(net.layers[0], n=9)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    image_axes = [ax for ax in fig.axes if ax.get_images()]
    assert len(image_axes) == 9
    np.testing.assert_allclose(image_axes[2].get_images()[0].get_array(),
                               net.layers[0].weights[:, 2].reshape(8, 8))
    assert image_axes[0].get_title() == "node 1"
    colorbar = [ax for ax in fig.axes if ax.get_ylabel().startswith("weight")]
    assert len(colorbar) == 1
    # The whole network works too, and n is capped at the number of hidden nodes.
    fig = plots.plot_hidden_weights(net, n=50)
    assert len([ax for ax in fig.axes if ax.get_images()]) == 12


def test_plot_hidden_weights_refuses_bad_input():
    with pytest.raises(ValueError, match="64"):
        plots.plot_hidden_weights(Network.from_sizes([64, 10]).layers[0], shape=(7, 7))
    with pytest.raises(TypeError):
        plots.plot_hidden_weights(np.zeros((64, 10)))


# ------------------------------------------- readability: text clear of text and data


def assert_texts_apart_and_inside(fig) -> None:
    """No two texts of ``fig`` overlap, and each lies inside the figure."""
    renderer = drawn(fig)
    boxes = [(t.get_text(), text_box(t, renderer)) for t in figure_texts(fig)]
    for name, box in boxes:
        assert inside(box, fig.bbox), f"{name!r} runs past the edge of the figure"
    for k, (name, box) in enumerate(boxes):
        for other, other_box in boxes[k + 1:]:
            assert not box.overlaps(other_box), f"{name!r} and {other!r} overlap"


def curve_pixels(ax) -> np.ndarray:
    """The points of every data line of ``ax`` (not the light zero lines), in pixels."""
    lines = [line for line in ax.get_lines() if line.get_zorder() > 0]
    return np.concatenate([line.get_transform().transform(line.get_xydata()) for line in lines])


def covered(box, pixels) -> int:
    return int(np.sum((pixels[:, 0] >= box.x0) & (pixels[:, 0] <= box.x1)
                      & (pixels[:, 1] >= box.y0) & (pixels[:, 1] <= box.y1)))


@pytest.mark.parametrize("name, points", [
    ("sigmoid", [-5, 0, 5]),  # the lesson's picture: the label of -5 used to sit on the axis
    ("sigmoid", [-10, 10]),
    ("tanh", [-3, -1, 0, 0.5, 2]),
    ("relu", [-5, 0, 5, 9.5]),
    ("linear", [-9, 9]),
])
def test_plot_activation_point_labels_sit_inside_clear_of_frame_legend_and_each_other(name,
                                                                                     points):
    ax = plots.plot_activation(name, points=points)
    renderer = drawn(ax.figure)
    frame = ax.get_window_extent(renderer)
    legend = ax.get_legend().get_window_extent(renderer)
    boxes = [text_box(label, renderer) for label in ax.texts]
    assert len(boxes) == len(points)
    for label, box in zip(ax.texts, boxes, strict=True):
        assert inside(box, frame, margin=2), f"{label.get_text()!r} touches or leaves the frame"
        assert not box.overlaps(legend), f"{label.get_text()!r} is under the legend"
    for k, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[k + 1:]), "two labels overlap"
    assert_texts_apart_and_inside(ax.figure)


def test_plot_activation_lesson_labels_cover_no_curve_and_keep_their_minus_sign():
    ax = plots.plot_activation("sigmoid", points=[-5, 0, 5])
    renderer = drawn(ax.figure)
    pixels = curve_pixels(ax)
    for label in ax.texts:
        assert covered(text_box(label, renderer).padded(-1), pixels) == 0, label.get_text()
    assert ax.texts[0].get_text() == "sigmoid(-5.00) = 0.01"


def test_plot_activations_one_shared_legend_that_covers_no_panel():
    fig = plots.plot_activations()
    renderer = drawn(fig)
    assert all(ax.get_legend() is None for ax in fig.axes)  # none over a small panel's curves
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert any("derivative" in label for label in labels) and len(labels) == 2
    box = legend.get_window_extent(renderer)
    assert inside(box, fig.bbox)
    for ax in fig.axes:
        assert not box.overlaps(ax.get_window_extent(renderer))
    assert_texts_apart_and_inside(fig)


@pytest.mark.parametrize("losses, prediction_range", [
    (("sae", "sse"), (-1.0, 3.0)),  # lesson 4
    (("sae", "sse", "bce"), (0.0, 1.0)),
    (("sae", "sse"), (-2.0, 4.0)),
])
def test_plot_loss_vs_prediction_legend_leaves_the_target_line_and_curves_clear(losses,
                                                                               prediction_range):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.plot_loss_vs_prediction(1.0, losses, prediction_range, ax=ax)
    renderer = drawn(fig)
    box = ax.get_legend().get_window_extent(renderer)
    assert inside(box, ax.get_window_extent(renderer))
    target = line_labelled(ax, "target y = 1")
    target_x = target.get_transform().transform(target.get_xydata())[0, 0]
    assert not box.x0 - 1 <= target_x <= box.x1 + 1, "the legend covers the target line"
    assert covered(box, curve_pixels(ax)) == 0, "the legend covers a curve"


def node_net():
    net = Network.from_sizes([2, 3, 1], bias="node", seed=0)
    return net, {"values": net.forward(np.array([[1.0, 0.5]]), return_all=True)}


@pytest.mark.parametrize("figsize", [None, (5.0, 3.5), (7.0, 2.8)])
@pytest.mark.parametrize("make", [
    node_net,
    lambda: (Network.from_sizes([2, 3, 1], bias="layer", seed=0), {}),
    lambda: (Network.from_sizes([3, 4, 2], seed=0), {"show_bias": False}),
    lambda: (Network.from_sizes([64, 32, 10], seed=0), {}),
    lambda: (Dense(3, 1, bias="node", seed=0), {}),
])
def test_draw_network_legend_stays_in_the_picture_and_a_later_title_is_safe(make, figsize):
    network, kwargs = make()
    ax = None if figsize is None else plt.subplots(figsize=figsize)[1]
    ax = plots.draw_network(network, ax=ax, **kwargs)
    ax.set_title("A title the learner sets afterwards")
    renderer = drawn(ax.figure)
    legend = ax.get_legend().get_window_extent(renderer)
    title = text_box(ax.title, renderer)
    assert inside(legend, ax.figure.bbox), "the legend runs past the edge of the figure"
    assert inside(legend, ax.get_window_extent(renderer), margin=-1), "legend outside its Axes"
    assert inside(title, ax.figure.bbox)
    assert not title.overlaps(legend), "the title runs into the legend"


def with_values(sizes, x, **kwargs):
    """A network and its values for the example ``x``: draw_network's first two arguments."""
    net = Network.from_sizes(sizes, seed=0, **kwargs)
    return net, net.forward(np.array([x]), return_all=True)


@pytest.mark.parametrize("make", [
    lambda: plots.draw_network(Network.from_sizes([3, 4, 2], seed=0), show_bias=False),
    lambda: plots.draw_network(*with_values([3, 4, 1], [0.9, 0.2, 0.6]), show_bias=False),
    lambda: plots.draw_network(*with_values([2, 3, 1], [1.0, 0.5], bias="node")),
    lambda: plots.draw_network(*with_values([2, 3, 1], [1.0, 0.5], bias="layer")),
    lambda: plots.draw_network(Dense(6, 1, bias="node", seed=0)),  # six edges into one node
])
def test_draw_network_texts_never_overlap(make):
    assert_texts_apart_and_inside(make().figure)


def test_lesson_grid_of_network_shapes_keeps_its_text_apart():
    fig, axes = plt.subplots(2, 2, figsize=(12, 9), layout="constrained")
    for sizes, ax in zip([[2, 1], [2, 3, 1], [2, 5, 5, 1], [2, 4, 4, 4, 1]], axes.flat,
                         strict=True):
        plots.draw_network(sizes, ax=ax, show_bias=False)
    assert_texts_apart_and_inside(fig)
