"""Drawing a computational graph, and stepping through its backward pass edge by edge.

The graph itself -- nodes, edges and every number on them -- comes from
``nnlib.computational_graph`` (nnlib's own forward and backward numbers).
This module only places and draws it:

- ``graph_layout(graph)``: where each node goes (data coordinates), left to
  right in the order of the forward pass; each node's weights and bias sit
  just above it (below, for nodes under the middle), away from its inputs'
  edges. It reads best with one or two nodes per layer (a middle node of
  three has its weights among the other nodes' edges);
- ``draw_computational_graph(graph, step=None, ax=None)``: nodes with their
  forward values (and, once known, their gradient ``grad``), edges with
  their local slope and the gradient they carry back; ``step`` shows only the
  first ``step`` edges of the backward pass (None: all of them). Edge labels
  are placed by ``nnlib.placement`` clear of the nodes and of each other;
- ``graph_explorer(network, x, y, loss)``: a slider over the backward pass
  (an ``nnlib.widgets.Explorer``), the picture and the readout of
  ``computational_graph.graph_reading`` following it.

Colours come from ``nnlib.figure_style`` (``nnlib.plots``'s palette); what a
colour says is also said in words (the ``grad`` line, the edge's text).
"""

from __future__ import annotations

import numpy as np

from nnlib import figure_style, placement
from nnlib.computational_graph import ComputationalGraph, computational_graph, graph_reading

ROW = 3.8  # vertical distance between the nodes of one layer (data units)
PARAM_RISE = 2.1  # how far above (or below) its node a weight or bias sits
PARAM_GAP = 2.0  # horizontal distance between the weights of one node
TO_Z = 3.4  # from a layer's inputs to its z
TO_A = 3.0  # from z to a (and from the last a to the loss)
UNIT_INCHES = 0.62  # inches per data unit in a new figure
FONT = 9
EDGE_FONT = 7.5

_FILL = {"input": "#FFFFFF", "weight": "#E3F1FA", "bias": "#E3F1FA", "z": "#FDF3D9",
         "a": "#FDF3D9", "loss": "#F2F2F2"}


def graph_layout(graph: ComputationalGraph) -> dict:
    """``{node key: (x, y)}``: inputs at x = 0, then each layer's z and a, then the loss."""
    def rows(n):
        return [((n - 1) / 2 - j) * ROW for j in range(n)]

    where = {}
    sizes = graph.sizes
    for i, y in enumerate(rows(sizes[0])):
        where[f"x[{i}]"] = (0.0, y)
    x_in = 0.0
    for k in range(1, len(sizes)):
        x_z = x_in + TO_Z
        for j, y in enumerate(rows(sizes[k])):
            where[f"z{k}[{j}]"] = (x_z, y)
            where[f"a{k}[{j}]"] = (x_z + TO_A, y)
            params = [f"W{k}[{i},{j}]" for i in range(sizes[k - 1])]
            if f"b{k}[{j}]" in graph.nodes:
                params.append(f"b{k}[{j}]")
            elif j == 0 and f"b{k}" in graph.nodes:  # one bias shared by the layer
                params.append(f"b{k}")
            side = 1.0 if y >= 0 else -1.0
            for m, key in enumerate(params):
                dx = (m - (len(params) - 1) / 2) * PARAM_GAP + 0.3
                where[key] = (x_z + dx, y + side * PARAM_RISE)
        x_in = x_z + TO_A
    where["L"] = (x_in + TO_A, 0.0)
    return where


def _number(value: float) -> str:
    text = f"{value:.3f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _node_text(node, known: bool) -> str:
    text = f"{node.label}\n{_number(node.value)}"
    return f"{text}\ngrad {_number(node.grad)}" if known else f"{text}\n "


def _edge_text(edge) -> str:
    return f"slope {_number(edge.slope)}\ngrad {_number(edge.grad)}"


class GraphPicture:
    """A drawn graph whose backward pass can be shown up to any step.

    ``ax``: the Axes it is drawn in; ``nodes``: node key -> its Text;
    ``edges``: one Line2D per edge; ``edge_labels``: one Text per edge (same
    order as ``graph.edges``). ``show(step)`` updates what is visible.
    """

    def __init__(self, graph: ComputationalGraph, ax, title=None):
        self.graph, self.ax = graph, ax
        where = graph_layout(graph)
        xs = [p[0] for p in where.values()]
        ys = [p[1] for p in where.values()]
        ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
        ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
        ax.set_axis_off()
        self.edges, self.edge_labels = [], []
        for edge in graph.edges:
            (x0, y0), (x1, y1) = where[edge.parent], where[edge.child]
            line, = ax.plot([x0, x1], [y0, y1], color="0.6", linewidth=1.0, zorder=1)
            self.edges.append(line)
        self.nodes = {}
        for key, node in graph.nodes.items():
            self.nodes[key] = ax.text(
                *where[key], _node_text(node, True), ha="center", va="center", fontsize=FONT,
                zorder=4, bbox={"boxstyle": "round,pad=0.3", "facecolor": _FILL[node.kind],
                                "edgecolor": figure_style.BLACK, "linewidth": 0.8})
        if title:
            ax.set_title(title, fontsize=10)
        self._place_edge_labels(where)
        self.show(None)

    def _place_edge_labels(self, where) -> None:
        """Each edge's label on its line, at the place (along it) that covers nothing else."""
        ax = self.ax
        measure = placement.renderer(ax.figure)
        room = placement.frame(ax, measure, margin=1)
        taken = [text.get_window_extent(measure).padded(2) for text in self.nodes.values()]
        no_lines = np.empty((0, 2))
        for edge in self.graph.edges:
            start = ax.transData.transform(where[edge.parent])
            end = ax.transData.transform(where[edge.child])
            label = ax.text(0, 0, _edge_text(edge), ha="center", va="center",
                            fontsize=EDGE_FONT, zorder=3, color=figure_style.VERMILLION,
                            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.95})
            box = label.get_window_extent(measure)
            size = (box.width, box.height)
            best, best_bad = None, None
            for t in (0.42, 0.5, 0.35, 0.58, 0.3, 0.65, 0.25, 0.72, 0.2, 0.8):
                centre = start + t * (end - start)
                place = (0, 0, "center", "center")
                candidate = placement.label_box(centre, size, place, ax.figure.dpi).padded(1)
                bad = placement.badness(candidate, room, no_lines, taken)
                if best_bad is None or bad < best_bad:
                    best, best_bad = (centre, candidate), bad
                if bad == 0:
                    break
            centre, candidate = best
            label.set_position(ax.transData.inverted().transform(centre))
            taken.append(candidate)
            self.edge_labels.append(label)

    def show(self, step=None):
        """Show the backward pass up to edge ``step`` (None: complete); returns the reading."""
        graph = self.graph
        reading = graph_reading(graph, len(graph.edges) if step is None else step)
        for key, text in self.nodes.items():
            known = key in reading.known
            text.set_text(_node_text(graph.nodes[key], known))
            text.get_bbox_patch().set_edgecolor(
                figure_style.VERMILLION if known else figure_style.BLACK)
            text.get_bbox_patch().set_linewidth(1.6 if known else 0.8)
        for k, (line, label) in enumerate(zip(self.edges, self.edge_labels, strict=True)):
            shown = k < reading.step
            current = step is not None and k == reading.step - 1  # the newest edge, stepping
            line.set_color(figure_style.VERMILLION if shown else "0.6")
            line.set_linewidth(3.0 if current else 1.8 if shown else 1.0)
            line.set_linestyle("-" if shown else ":")
            label.set_visible(shown)
            label.set_fontweight("bold" if current else "normal")
        return reading


def _figure_size(graph) -> tuple:
    where = graph_layout(graph)
    xs = [p[0] for p in where.values()]
    ys = [p[1] for p in where.values()]
    return ((max(xs) - min(xs) + 1.8) * UNIT_INCHES,
            (max(ys) - min(ys) + 1.6) * UNIT_INCHES + 0.5)


def draw_computational_graph(graph: ComputationalGraph, step=None, ax=None, title=None):
    """Draw ``graph``, its backward pass shown up to edge ``step`` (None: all); returns the Axes.

    Nodes show their name, forward value and, once every edge leaving them has
    been followed back, ``grad`` = dL/d(name) (with a vermillion frame). A
    followed edge is solid and vermillion and says its local ``slope`` and
    the ``grad`` it carries back; the others are dotted grey. ``ax``: an Axes
    to draw into (None: a new figure sized for the graph).
    """
    if not isinstance(graph, ComputationalGraph):
        raise TypeError(f"graph must be a ComputationalGraph (from computational_graph(...)), "
                        f"got {type(graph).__name__}")
    if ax is None:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=_figure_size(graph))
        ax = figure.add_axes((0.0, 0.0, 1.0, 0.93 if title else 1.0))
    picture = GraphPicture(graph, ax, title)
    picture.show(step)
    return ax


def graph_explorer(network, x, y, loss="sum_squared_error", title=None):
    """A slider that walks the backward pass of ``network`` on one example, edge by edge.

    Step 0 is the forward pass (values on the nodes); each step follows one
    more edge back from the loss; the last step shows every gradient. The
    readout explains the newest edge (``graph_reading``). Returns an
    ``nnlib.widgets.Explorer`` with one slider, ``step``.
    """
    import ipywidgets

    from nnlib.explorer_picture import ExplorerPicture
    from nnlib.widgets import FIGURE_DPI, SLIDER_STYLE, Explorer

    graph = computational_graph(network, x, y, loss)
    picture_png = ExplorerPicture(*_figure_size(graph), dpi=FIGURE_DPI)
    figure = picture_png.figure
    ax = figure.add_axes((0.0, 0.0, 1.0, 0.93 if title else 1.0))
    picture = GraphPicture(graph, ax, title)
    n = len(graph.edges)
    slider = ipywidgets.IntSlider(value=0, min=0, max=n, step=1,
                                  description="backward step", style=SLIDER_STYLE)

    def draw(step):
        reading = picture.show(step)
        return reading.text, picture_png.png()  # every node and edge may change: draw it all

    explorer = Explorer({"step": slider}, draw,
                        alt="The computational graph: nodes with their forward values; the "
                            "edges followed back so far carry their local slope and gradient.")
    explorer.figure = figure
    explorer.graph = graph
    return explorer
