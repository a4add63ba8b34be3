"""Where labels and legends go: inside the Axes, clear of the data and of each other.

Used by ``nnlib.plots`` and ``nnlib.widgets`` (and open to any picture of the
course). The idea: try a few candidate places for a text and keep the first
of the best -- one that stays inside the Axes, covers no other text and
covers as few points of the drawn lines as possible. Sizes are measured with
the figure's renderer, before the figure is shown. All boxes are
``matplotlib.transforms.Bbox`` objects in pixels.

The public pieces:

- ``renderer(figure)``, ``frame(ax, renderer)``: what measures, and the room there is;
- ``line_pixels(ax)``: points along the drawn data, in pixels -- what a text must not cover;
- ``badness(box, frame, pixels, taken)``: how bad a place is (lower is better);
- ``LABEL_PLACES``, ``label_box``, ``best_label_place``: places for a label beside a point;
- ``label_points(ax, points, texts)``: new labels beside points;
- ``label_near(ax, annotation, xy, text)``: move an existing annotation beside a point;
- ``CORNERS``, ``place_legend(ax, places)``: a legend in the best of some places;
- ``legend_above(ax)``: a one-row legend above the Axes, where it covers no data.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: Places for a label next to its point: (dx, dy) offset in points, horizontal and vertical
#: alignment. Close places first; the far ones get a thin line back to the point.
LABEL_PLACES = [(7, 5, "left", "bottom"), (-7, 5, "right", "bottom"),
                (7, -5, "left", "top"), (-7, -5, "right", "top"),
                (9, 0, "left", "center"), (-9, 0, "right", "center"),
                (0, 9, "center", "bottom"), (0, -9, "center", "top")]
LABEL_PLACES += [(side * d / 2, up * d, ha, va)
                 for d in (22, 36, 52)
                 for up, va in ((1, "bottom"), (-1, "top"))
                 for side, ha in ((0, "center"), (1, "left"), (-1, "right"))]
FAR = 12.0  # points: a label further than this from its point gets a line back to it

#: Legend places tried inside an Axes, in order of preference: ``(loc, bbox_to_anchor)``.
CORNERS = [("upper left", None), ("upper right", None), ("lower right", None),
           ("lower left", None), ("center left", None), ("center right", None),
           ("upper center", None), ("lower center", None)]


def renderer(figure):
    """The renderer that measures the figure's text, or None if its canvas cannot measure."""
    get_renderer = getattr(figure.canvas, "get_renderer", None)
    return None if get_renderer is None else get_renderer()


def frame(ax, renderer, margin=3.0) -> Bbox:
    """The Axes' box in pixels, ``margin`` pixels inside its frame (layouts applied first)."""
    figure = ax.get_figure(root=True)
    if figure.get_layout_engine() is not None:
        figure.draw_without_rendering()  # constrained layout moves the Axes when it runs
    ax.apply_aspect()
    return ax.get_window_extent(renderer).padded(-margin)


def _densify(xy) -> np.ndarray:
    """The points of the polyline ``xy`` (n, 2) with extra points so none is over 2 apart."""
    if len(xy) < 2:
        return xy
    step = np.diff(xy, axis=0)
    n = np.clip(np.ceil(np.hypot(step[:, 0], step[:, 1]) / 2.0), 1, 2000).astype(np.int64)
    segment = np.repeat(np.arange(len(step)), n)
    fraction = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    return np.concatenate([xy[segment] + step[segment] * fraction[:, None], xy[-1:]])


def _marker_pixels(centres, size_pt, dpi) -> np.ndarray:
    """Nine points over each marker (centres (n, 2) in pixels, ``size_pt`` wide), not just one."""
    r = 0.5 * size_pt * dpi / 72
    grid = np.array([(dx, dy) for dx in (-r, 0.0, r) for dy in (-r, 0.0, r)])
    return (centres[:, None, :] + grid[None, :, :]).reshape(-1, 2)


def _collection_pixels(collection, dpi) -> list:
    """Points over a scatter plot's markers or along contour lines (not filled regions)."""
    if isinstance(collection, PathCollection) and len(collection.get_offsets()):  # scatter
        centres = collection.get_offset_transform().transform(collection.get_offsets())
        size = np.sqrt(collection.get_sizes().max()) if len(collection.get_sizes()) else 6.0
        return [_marker_pixels(centres, size, dpi)]
    if isinstance(collection, ContourSet) and not collection.filled:
        transform = collection.get_transform()
        return [_densify(piece) for path in collection.get_paths()
                for piece in transform.transform_path(path).to_polygons(closed_only=False)]
    return []


def line_pixels(ax) -> np.ndarray:
    """Points along the data drawn in ``ax``, in pixels, at most about 2 pixels apart.

    These are what a label must not cover: every visible line, markers (nine
    points over each), the points of a scatter plot and contour lines (not
    filled regions). Lines with ``zorder <= 0`` (light guides such as the zero
    lines) do not count. Returns an (n, 2) array.
    """
    chunks = [np.empty((0, 2))]
    for line in ax.get_lines():
        if not line.get_visible() or line.get_zorder() <= 0:
            continue
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if line.get_linestyle() not in ("None", "none", "", " "):
            chunks.append(_densify(xy))
        if line.get_marker() not in ("None", "none", "", " ", None):
            chunks.append(_marker_pixels(xy, line.get_markersize(), ax.figure.dpi))
    for collection in ax.collections:
        if collection.get_visible():
            chunks += _collection_pixels(collection, ax.figure.dpi)
    return np.concatenate(chunks)


def badness(box, frame, pixels, taken=()) -> float:
    """How bad a place ``box`` (a Bbox in pixels) is for a label or a legend.

    Leaving ``frame`` is worst, then covering a box in ``taken``, then each point
    of ``pixels`` (the lines' data, (n, 2)) inside the box counts one.
    """
    if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
            and box.y1 <= frame.y1):
        return 1e9
    covered = ((pixels[:, 0] >= box.x0) & (pixels[:, 0] <= box.x1)
               & (pixels[:, 1] >= box.y0) & (pixels[:, 1] <= box.y1))
    return 1e6 * sum(box.overlaps(other) for other in taken) + float(covered.sum())


def label_box(anchor, size, place, dpi) -> Bbox:
    """The Bbox (pixels) of a text of ``size`` (w, h pixels) put at ``place`` from ``anchor``.

    ``place``: one of ``LABEL_PLACES``, ``(dx, dy, ha, va)`` with the offset in points.
    """
    dx, dy, ha, va = place
    x = anchor[0] + dx * dpi / 72 - {"left": 0.0, "center": 0.5, "right": 1.0}[ha] * size[0]
    y = anchor[1] + dy * dpi / 72 - {"bottom": 0.0, "center": 0.5, "top": 1.0}[va] * size[1]
    return Bbox.from_bounds(x, y, size[0], size[1])


def best_label_place(anchor, size, frame, pixels, taken, dpi, places=LABEL_PLACES):
    """The first of ``places`` with the least badness for a text of ``size`` at ``anchor``."""
    return min(places, key=lambda place: badness(
        label_box(anchor, size, place, dpi).padded(2), frame, pixels, taken))


def label_points(ax, points, texts, fontsize=9) -> list:
    """Write ``texts[k]`` next to ``points[k]`` (data coordinates), keeping clear of the data.

    Each label goes to the best of ``LABEL_PLACES``: inside the Axes, over no
    other label and over as few points of the lines as possible. A label placed
    away from its point gets a thin line back to it. Returns the labels
    (matplotlib Annotations).
    """
    measure = renderer(ax.figure)
    room = frame(ax, measure, margin=4) if measure is not None else None
    pixels = line_pixels(ax) if measure is not None else None
    dpi = ax.figure.dpi
    labels, taken = [], []
    for (x, y), text in zip(points, texts, strict=True):
        place = LABEL_PLACES[0]
        if measure is not None:
            probe = ax.text(x, y, text, fontsize=fontsize)
            box = probe.get_window_extent(measure)
            probe.remove()
            anchor = ax.transData.transform((x, y))
            place = best_label_place(anchor, (box.width, box.height), room, pixels, taken, dpi)
            taken.append(label_box(anchor, (box.width, box.height), place, dpi).padded(2))
        dx, dy, ha, va = place
        far = math.hypot(dx, dy) > FAR
        labels.append(ax.annotate(
            text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
            fontsize=fontsize, zorder=5,
            arrowprops={"arrowstyle": "-", "color": "0.35", "linewidth": 0.8, "shrinkA": 1,
                        "shrinkB": 5} if far else None))
    return labels


def label_near(ax, label, xy, text, taken=()) -> Bbox:
    """Move the annotation ``label`` to show ``text`` beside the point ``xy``, clear of the data.

    ``label``: an Annotation made with ``textcoords="offset points"`` (and, if
    it has one, a line back to its point). The place is the best of
    ``LABEL_PLACES``: inside the Axes, over none of the boxes in ``taken`` and
    over as few points of the data as possible; the line back shows only when
    the label sits far from its point. Returns the label's box in pixels, to
    add to ``taken`` for the next label.
    """
    measure = renderer(ax.figure)
    label.set_text(text)
    label.xy = xy
    size = Text.get_window_extent(label, measure)  # the text alone, without its line
    anchor = ax.transData.transform(xy)
    room = ax.get_window_extent(measure).padded(-4)
    place = best_label_place(anchor, (size.width, size.height), room, line_pixels(ax), taken,
                             ax.figure.dpi)
    dx, dy, ha, va = place
    label.set_position((dx, dy))
    label.set_horizontalalignment(ha)
    label.set_verticalalignment(va)
    if label.arrow_patch is not None:
        label.arrow_patch.set_visible(math.hypot(dx, dy) > FAR)
    return label_box(anchor, (size.width, size.height), place, ax.figure.dpi).padded(2)


def place_legend(ax, places, avoid=(), **kwargs):
    """A legend at the best of ``places``, a list of ``(loc, bbox_to_anchor)`` pairs.

    Best: inside the Axes, over none of the texts in ``avoid`` and over as few
    points of the lines as possible; ties go to the earlier place.
    ``kwargs`` go to ``ax.legend``. Returns the Legend.
    """
    loc, anchor = places[0]
    legend = ax.legend(loc=loc, bbox_to_anchor=anchor, **kwargs)
    measure = renderer(ax.figure)
    if measure is None or len(places) == 1:
        return legend
    room = frame(ax, measure, margin=0)
    pixels = line_pixels(ax)
    taken = [text.get_window_extent(measure) for text in avoid]

    def how_bad(place):
        legend.set_loc(place[0])
        legend.set_bbox_to_anchor(place[1])
        return badness(legend.get_window_extent(measure).padded(3), room, pixels, taken)

    best = min(places, key=how_bad)
    legend.set_loc(best[0])
    legend.set_bbox_to_anchor(best[1])
    return legend


def legend_above(ax, **kwargs):
    """The Axes' legend in one row just above it, with the title lifted above the legend.

    Outside the Axes the legend covers no data, wherever the moving parts go.
    ``kwargs`` go to ``ax.legend``. Returns the Legend.
    """
    handles, _ = ax.get_legend_handles_labels()
    legend = ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(handles),
                       frameon=False, borderaxespad=0.2, fontsize=9, **kwargs)
    height = legend.get_window_extent(renderer(ax.figure)).height * 72 / ax.figure.dpi
    ax.set_title(ax.get_title(), pad=height + 5)
    return legend
