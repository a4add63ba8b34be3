"""nnlib.network_geometry: where a network diagram puts its nodes, edges and bias, no matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.layer import Dense
from nnlib.network import Network
from nnlib.network_geometry import (
    BIASES_LEFT_OUT,
    LAYER_BIAS,
    NEGATIVE_WEIGHT,
    NODE_BIAS,
    POSITIVE_WEIGHT,
    estimated_legend_height,
    network_geometry,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_geometry_needs_no_matplotlib():
    code = ("import sys; from nnlib.network_geometry import network_geometry; "
            "network_geometry([2, 3, 1]); print('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO_ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_nodes_sit_in_columns_one_unit_apart_centred_on_zero():
    g = network_geometry([2, 3, 1])
    assert g.sizes == [2, 3, 1]
    by_layer = [[n for n in g.nodes if n.layer == k] for k in range(3)]
    assert [len(col) for col in by_layer] == [2, 3, 1]
    xs = [col[0].x for col in by_layer]
    dx = xs[1] - xs[0]
    assert dx >= 2.2 and xs == pytest.approx([0.0, dx, 2 * dx])
    for col in by_layer:
        ys = [n.y for n in col]
        assert np.allclose(np.diff(ys), -1.0) and sum(ys) == pytest.approx(0.0)
    assert [n.text for n in g.nodes] == ["x1", "x2", "h1", "h2", "h3", "o1"]
    assert [n.kind for n in g.nodes] == ["input"] * 2 + ["hidden"] * 3 + ["output"]
    # Without weights: plain edges, no weight labels, no legend.
    assert len(g.edges) == 2 * 3 + 3 * 1
    assert {e.sign for e in g.edges} == {"plain"} and all(e.label is None for e in g.edges)
    assert g.legend == [] and g.title == "Network 2 -> 3 -> 1"
    assert [text for _, text in g.columns] == ["input\n2 nodes", "hidden\n3 nodes",
                                               "output\n1 node"]


def test_edges_carry_the_weights_in_the_order_of_w_ravel():
    net = Network.from_sizes([2, 3, 1], seed=1)
    g = network_geometry(net)
    weights = np.concatenate([layer.weights.ravel() for layer in net.layers])
    assert [e.weight for e in g.edges] == pytest.approx(weights)
    for e, w in zip(g.edges, weights, strict=True):
        assert e.sign == ("negative" if w < 0 else "positive")
        assert e.label == f"{w:.2f}"  # 9 edges <= 12: written on the edges
    widths = np.array([e.width for e in g.edges])
    assert np.all(np.diff(widths[np.argsort(np.abs(weights))]) >= 0)  # wider for larger |w|
    largest = np.argmax(np.abs(weights))
    assert widths[largest] == pytest.approx(3.6)
    # Each edge's label lies on its edge, strictly between the two nodes.
    for e in g.edges:
        (x0, y0), (x1, y1) = e.start, e.end
        t = (e.label_at[0] - x0) / (x1 - x0)
        assert 0 < t < 1 and e.label_at[1] == pytest.approx(y0 + t * (y1 - y0))
    assert g.legend[:2] == [POSITIVE_WEIGHT, NEGATIVE_WEIGHT]
    assert network_geometry(net, show_weights=False).edges[0].label is None


def test_bias_as_a_square_node_per_layer_or_a_label_per_node():
    layer_net = Network.from_sizes([2, 3, 1], bias="layer", seed=0)
    g = network_geometry(layer_net)
    assert [b.layer for b in g.bias_nodes] == [1, 2]
    assert [len(b.edges) for b in g.bias_nodes] == [3, 1]  # feeds every node of its layer
    assert g.bias_nodes[0].value == pytest.approx(layer_net.layers[0].bias[0])
    assert LAYER_BIAS in g.legend and g.node_biases == []
    top_node = max(n.y for n in g.nodes)
    assert all(b.y > top_node for b in g.bias_nodes)  # above the columns

    node_net = Network.from_sizes([2, 3, 1], bias="node", seed=0)
    g = network_geometry(node_net)
    assert g.bias_nodes == [] and NODE_BIAS in g.legend
    texts = [text for _, _, text in g.node_biases]
    expected = [f"b={b:.2f}" for layer in node_net.layers for b in layer.bias]
    assert texts == expected
    assert network_geometry(node_net, show_bias=False).node_biases == []
    # A layer too tall for labels under its nodes: the legend says they are left out.
    big = network_geometry(Network.from_sizes([2, 8, 1], bias="node", seed=0))
    assert big.node_biases == [] and BIASES_LEFT_OUT in big.legend


def test_big_layers_show_first_nodes_a_gap_and_the_last():
    g = network_geometry([30, 4, 2], max_nodes=5)
    first = [n.index for n in g.nodes if n.layer == 0]
    assert first == [0, 1, 2, 3, 29]
    assert len(g.gaps) == 1 and g.gaps[0][0] == 0.0
    assert g.columns[0][1] == "input\n30 nodes (5 shown)"


def test_values_written_inside_the_nodes_and_a_dense_layer_alone():
    layer = Dense(3, 1, bias="node", seed=0)
    g = network_geometry(layer, values=[np.array([1.0, 0.5, -2.0]), np.array([[0.25]])])
    assert [n.text for n in g.nodes] == ["1.00", "0.50", "-2.00", "0.25"]
    assert g.title.endswith("(node values for one example)")


def test_the_legend_band_makes_room_at_the_top():
    net = Network.from_sizes([2, 3, 1], seed=0)
    without = network_geometry(net, legend_height=lambda entries, width: 0.0)
    with_band = network_geometry(net, legend_height=lambda entries, width: 40.0)
    assert with_band.ylim[1] > without.ylim[1] and with_band.ylim[0] == without.ylim[0]
    assert estimated_legend_height([], 500.0) == 0.0
    # Narrow: entries wrap onto more rows, so the band gets taller.
    assert estimated_legend_height(g := without.legend, 100.0) > estimated_legend_height(g, 900.0)


@pytest.mark.parametrize("kwargs, error", [
    ({"network_or_sizes": [2]}, ValueError),
    ({"network_or_sizes": "2-3-1"}, TypeError),
    ({"network_or_sizes": [2, 3, 1], "max_nodes": 2}, ValueError),
    ({"network_or_sizes": [2, 3, 1], "show_weights": "yes"}, ValueError),
    ({"network_or_sizes": [2, 3, 1], "values": [np.zeros(2), np.zeros(3)]}, ValueError),
    ({"network_or_sizes": [2, 1], "values": [np.zeros((2, 2)), np.zeros(1)]}, ValueError),
])
def test_bad_arguments_get_a_clear_error(kwargs, error):
    with pytest.raises(error):
        network_geometry(**kwargs)
