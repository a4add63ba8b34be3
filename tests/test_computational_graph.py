"""The computational graph: its numbers are nnlib's own, its step-through and its picture."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from figure_layout import drawn, inside, text_box  # noqa: E402

import nnlib  # noqa: E402
from nnlib.backprop_steps import backward_steps  # noqa: E402
from nnlib.computational_graph import computational_graph, graph_reading  # noqa: E402
from nnlib.graph_plot import draw_computational_graph, graph_explorer  # noqa: E402

SIZES = ([1, 1], [1, 2, 1], [2, 2, 1], [2, 3, 1])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def network(sizes, seed=3, bias="node"):
    net = nnlib.Network.from_sizes(sizes, activation="sigmoid", seed=seed, bias=bias)
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        if layer.bias is not None:
            layer.bias[...] = rng.normal(size=layer.bias.shape)
    return net


def example(sizes):
    return np.linspace(0.5, 1.5, sizes[0]), np.ones(sizes[-1])


@pytest.mark.parametrize("sizes", SIZES)
def test_graph_numbers_are_nnlibs_forward_and_backward_numbers(sizes):
    net = network(sizes)
    x, y = example(sizes)
    graph = computational_graph(net, x, y, "sum_squared_error")
    # the network's own backward pass
    out = net.forward(x[None, :])
    loss_value, dA = nnlib.SumSquaredError()(out, y[None, :])
    net.backward(dA)
    steps = {s.layer: s for s in backward_steps(net, x[None, :], y[None, :], "sse")}
    assert graph.loss == pytest.approx(loss_value, abs=0)
    for k, layer in enumerate(net.layers, start=1):
        for i, j in np.ndindex(layer.weights.shape):
            node = graph.nodes[f"W{k}[{i},{j}]"]
            assert node.value == layer.weights[i, j] and node.grad == layer.grad_weights[i, j]
        for j in range(layer.n_out):
            assert graph.nodes[f"b{k}[{j}]"].grad == layer.grad_bias[j]
            assert graph.nodes[f"z{k}[{j}]"].value == steps[k].Z[0, j]
            assert graph.nodes[f"z{k}[{j}]"].grad == steps[k].dZ[0, j]
            assert graph.nodes[f"a{k}[{j}]"].value == steps[k].A[0, j]
            assert graph.nodes[f"a{k}[{j}]"].grad == steps[k].dA[0, j]
    for i in range(sizes[0]):
        assert graph.nodes[f"x[{i}]"].grad == steps[1].dX[0, i]


@pytest.mark.parametrize("sizes", SIZES)
def test_each_edge_is_slope_times_the_childs_gradient_and_the_parts_add_up(sizes):
    graph = computational_graph(network(sizes), *example(sizes))
    for edge in graph.edges:
        child = graph.nodes[edge.child]
        assert edge.grad == pytest.approx(child.grad * edge.slope, rel=1e-12, abs=1e-15)
    for key, node in graph.nodes.items():
        if key != "L":
            parts = graph.edges_from(key)
            assert parts, f"{key} feeds nothing"
            assert sum(e.grad for e in parts) == pytest.approx(node.grad, rel=1e-12, abs=1e-15)


def test_one_neuron_slopes_are_the_chain_rule_by_hand():
    net = nnlib.Network([nnlib.Dense(1, 1, activation="sigmoid", seed=0)])
    net.layers[0].weights[0, 0], net.layers[0].bias[0] = 0.8, -0.5
    x, w, y = 1.5, 0.8, 1.0
    graph = computational_graph(net, [x], [y])
    a = 1 / (1 + np.exp(-(w * x - 0.5)))
    slopes = {(e.parent, e.child): e.slope for e in graph.edges}
    assert slopes[("a1[0]", "L")] == pytest.approx(2 * (a - y))
    assert slopes[("z1[0]", "a1[0]")] == pytest.approx(a * (1 - a))
    assert slopes[("W1[0,0]", "z1[0]")] == x
    assert slopes[("b1[0]", "z1[0]")] == 1.0
    assert slopes[("x[0]", "z1[0]")] == w
    assert [graph.nodes[e.parent].label for e in graph.edges] == ["a", "z", "w", "b", "x"]


def test_a_shared_layer_bias_and_no_bias():
    shared = computational_graph(network([2, 2, 1], bias="layer"), *example([2, 2, 1]))
    assert shared.nodes["b1"].grad == pytest.approx(sum(e.grad for e in shared.edges_from("b1")))
    assert len(shared.edges_from("b1")) == 2
    none = computational_graph(network([2, 1], bias=None), *example([2, 1]))
    assert not any(node.kind == "bias" for node in none.nodes.values())


def test_bad_input_is_refused_with_what_was_expected():
    net = network([2, 2, 1])
    with pytest.raises(ValueError, match="ONE example of 2 numbers"):
        computational_graph(net, np.ones((3, 2)), [1.0])
    with pytest.raises(ValueError, match="1 target"):
        computational_graph(net, [1.0, 2.0], [1.0, 0.0])
    soft = nnlib.Network([nnlib.Dense(2, 2, activation="softmax", seed=0)])
    with pytest.raises(ValueError, match="softmax"):
        computational_graph(soft, [1.0, 2.0], [1.0, 0.0])
    graph = computational_graph(net, [1.0, 2.0], [1.0])
    for step in (-1, len(graph.edges) + 1, 1.5, True):
        with pytest.raises(ValueError, match="whole number from 0 to"):
            graph_reading(graph, step)
    with pytest.raises(TypeError, match="ComputationalGraph"):
        draw_computational_graph(net)


def test_reading_reveals_the_backward_pass_edge_by_edge():
    graph = computational_graph(network([1, 2, 1]), *example([1, 2, 1]))
    n = len(graph.edges)
    start = graph_reading(graph, 0)
    assert start.known == {"L"} and start.revealed == [] and "forward pass" in start.text
    middle = graph_reading(graph, n // 2)
    assert middle.revealed == graph.edges[: n // 2]
    assert "L" in middle.known and "x[0]" not in middle.known
    assert f"step {n // 2} of {n}" in middle.text
    end = graph_reading(graph, n)
    assert end.known == set(graph.nodes)
    assert "sum of its 2 edges" in end.text  # x feeds both hidden nodes


def test_explorer_update_at_first_middle_and_last_step():
    net = network([1, 2, 1])
    explorer = graph_explorer(net, *example([1, 2, 1]))
    slider = explorer.sliders["step"]
    n = len(explorer.graph.edges)
    assert (slider.min, slider.value, slider.max) == (0, 0, n)
    pictures = []
    for step in (0, n // 2, n):
        text = explorer.update(step=step)
        assert text == graph_reading(explorer.graph, step).text
        assert explorer.png.startswith(b"\x89PNG")
        pictures.append(explorer.png)
        ax = explorer.figure.axes[0]
        shown = [t.get_visible() for t in ax.texts if "slope" in t.get_text()]
        assert sum(shown) == step
    assert len(set(pictures)) == 3
    slider.value = n  # moving the slider redraws too
    assert explorer.text == graph_reading(explorer.graph, n).text


@pytest.mark.parametrize("sizes", SIZES)
def test_no_text_of_the_picture_overlaps_another_or_leaves_it(sizes):
    ax = draw_computational_graph(computational_graph(network(sizes), *example(sizes)),
                                  title="the graph")
    renderer = drawn(ax.figure)
    texts = [t for t in [ax.title, *ax.texts] if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 2 * len(computational_graph(network(sizes), *example(sizes)).edges) // 2
    boxes = [text_box(t, renderer) for t in texts]
    for k, box in enumerate(boxes):
        assert inside(box, ax.figure.bbox), f"{texts[k].get_text()!r} leaves the picture"
        for other, other_box in zip(texts[k + 1:], boxes[k + 1:], strict=True):
            assert not box.overlaps(other_box), \
                f"{texts[k].get_text()!r} and {other.get_text()!r} overlap"
