"""Draw a network: circles (nodes) in columns joined by lines (weights).

``draw_network`` asks ``nnlib.network_geometry`` where everything goes and
draws it with matplotlib: the legend band, the edges, the bias, the nodes and
the axes, each by a small function of its own. ``nnlib.plots`` re-exports
``draw_network``.
"""

from __future__ import annotations

import math

from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle

from nnlib import placement
from nnlib.figure_style import BLACK, NEGATIVE, NETWORK_FIGSIZE, POSITIVE, axes
from nnlib.network_geometry import (
    BIASES_LEFT_OUT,
    LAYER_BIAS,
    NEGATIVE_WEIGHT,
    NODE_BIAS,
    POSITIVE_WEIGHT,
    check_arguments,
    network_geometry,
)

#: How each kind of edge looks: colour and line style (the sign is never colour alone).
EDGE_STYLES = {"positive": (POSITIVE, "-"), "negative": (NEGATIVE, "--"), "plain": ("0.55", "-")}
#: Fill of the input, hidden and output nodes.
NODE_FACES = {"input": "#DCEBF7", "hidden": "white", "output": "#FBE9D7"}


def draw_network(network_or_sizes, values=None, ax=None, show_weights="auto", show_bias=True,
                 max_nodes=10, title=None):
    """Draw a network as circles (nodes) in columns joined by lines (weights).

    ``network_or_sizes``: a Network (or one Dense layer), or just the layer
    sizes, e.g. ``[2, 3, 1]``. ``values``: one array per layer -- e.g.
    ``network.forward(X[:1], return_all=True)`` -- written inside the nodes.

    For a Network, each edge shows its weight: **solid blue** if positive,
    **dashed vermillion** if negative, thicker for larger ``|w|``; with
    ``show_weights`` (``"auto"``: at most 12 edges) the numbers are written
    on the edges too. With ``show_bias``, a network with one bias per layer
    gets a square "b" node feeding every node of that layer, and one with a
    bias per node gets ``b=...`` under each node (left out when a layer shows
    more than 6 nodes: no room). Layers bigger than ``max_nodes`` show their
    first nodes, a "..." and their last node. ``title`` replaces the default
    title. The legend sits inside the Axes, above the drawing, so the figure
    keeps it whole and a title set later does not run into it. Returns the Axes.

    The positions come from ``nnlib.network_geometry.network_geometry``.
    """
    check_arguments(network_or_sizes, values, show_weights, max_nodes)  # before any figure
    if ax is None:  # a figure of its own: margins with room for the two-line layer names
        ax = axes(None, NETWORK_FIGSIZE)
        ax.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.19, top=0.9)
    ax = axes(ax)
    box = ax.get_position(original=True).transformed(ax.figure.transSubfigure)  # pixels
    geometry = network_geometry(
        network_or_sizes, values, show_weights, show_bias, max_nodes, title,
        width_pt=box.width * 72 / ax.figure.dpi, height_pt=box.height * 72 / ax.figure.dpi,
        legend_height=lambda entries, width_pt: draw_legend(ax, entries, width_pt))
    ax.set_aspect("equal")
    draw_edges(ax, geometry.edges, geometry.small_font)
    draw_bias(ax, geometry)
    draw_nodes(ax, geometry)
    draw_frame(ax, geometry)
    return ax


def legend_handles(entries) -> list:
    """A matplotlib handle for each legend entry of ``network_geometry``."""
    looks = {
        POSITIVE_WEIGHT: {"color": POSITIVE, "linewidth": 2},
        NEGATIVE_WEIGHT: {"color": NEGATIVE, "linewidth": 2, "linestyle": "--"},
        LAYER_BIAS: {"linestyle": "none", "marker": "s", "markersize": 9,
                     "markerfacecolor": "0.9", "markeredgecolor": BLACK},
        NODE_BIAS: {"linestyle": "none"},
        BIASES_LEFT_OUT: {"linestyle": "none"},
    }
    return [Line2D([], [], label=entry, **looks[entry]) for entry in entries]


def draw_legend(ax, entries, width_pt: float) -> float:
    """Put the legend at the top of ``ax``, in rows that fit ``width_pt``; its height in points.

    The legend is measured with the figure's renderer: all entries in one row if
    that fits the Axes' width, else in fewer columns.
    """
    handles = legend_handles(entries)
    renderer = placement.renderer(ax.figure)
    for ncol in range(len(handles), 0, -1):
        legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0),
                           ncol=ncol, frameon=False, fontsize=8.5, handlelength=2.5,
                           borderaxespad=0.2, columnspacing=1.5)
        if renderer is None:  # no way to measure: about 0.55 em per letter, 5 em per entry
            width = sum((5.0 + 0.55 * len(h.get_label())) * 8.5 for h in handles[:ncol])
            height = 15.0 * math.ceil(len(handles) / ncol) + 4
        else:
            extent = legend.get_window_extent(renderer)
            width, height = (extent.width * 72 / ax.figure.dpi, extent.height * 72 / ax.figure.dpi)
        if width <= 0.97 * width_pt:
            break
    return height + 4.0


def draw_edges(ax, edges, fontsize: float) -> None:
    """Each Edge as a line (colour and style by its sign), with its weight's label if it has one."""
    for edge in edges:
        colour, style = EDGE_STYLES[edge.sign]
        (x0, y0), (x1, y1) = edge.start, edge.end
        ax.plot([x0, x1], [y0, y1], color=colour, linestyle=style, alpha=edge.alpha,
                linewidth=edge.width, zorder=1)
        if edge.label is not None:
            ax.text(*edge.label_at, edge.label, fontsize=fontsize, ha="center", va="center",
                    zorder=4, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                    "edgecolor": "none", "alpha": 0.9})


def draw_bias(ax, geometry) -> None:
    """The square "b" nodes with their edges and value, and the "b=..." labels under nodes."""
    r = geometry.radius
    for node in geometry.bias_nodes:
        draw_edges(ax, node.edges, geometry.small_font)
        ax.add_patch(Rectangle((node.x - r, node.y - r), 2 * r, 2 * r,
                               facecolor="0.9", edgecolor=BLACK, zorder=3))
        ax.text(node.x, node.y, "b", fontsize=geometry.node_font, ha="center", va="center",
                zorder=4)
        ax.text(node.x, node.y + r + 0.08, f"b = {node.value:.2f}",
                fontsize=geometry.small_font, ha="center", va="bottom", zorder=4)
    for x, y, text in geometry.node_biases:
        ax.text(x, y, text, fontsize=geometry.small_font, ha="center", va="top", zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85})


def draw_nodes(ax, geometry) -> None:
    """Each node as a circle with its text inside; a "..." where nodes are left out."""
    for node in geometry.nodes:
        ax.add_patch(Circle((node.x, node.y), geometry.radius, facecolor=NODE_FACES[node.kind],
                            edgecolor=BLACK, linewidth=1.2, zorder=3))
        ax.text(node.x, node.y, node.text, fontsize=geometry.node_font, ha="center",
                va="center", zorder=4)
    for x, y in geometry.gaps:
        ax.text(x, y, "...", fontsize=geometry.node_font + 2, ha="center", va="center",
                rotation=90)


def draw_frame(ax, geometry) -> None:
    """Limits, the layer names under the columns, axis labels and the title; no box around."""
    ax.set_xlim(*geometry.xlim)
    ax.set_ylim(*geometry.ylim)
    ax.set_xticks([x for x, _ in geometry.columns])
    ax.set_xticklabels([text for _, text in geometry.columns])
    ax.set_yticks([])
    ax.tick_params(axis="x", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("layer (data flows left to right)")
    ax.set_ylabel("nodes")
    ax.set_title(geometry.title, fontsize=11)
