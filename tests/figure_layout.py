"""Measuring what a matplotlib figure draws: where its texts are, in pixels.

The plot and widget tests use these to check that labels, legends and notes
stay inside the picture and clear of each other.
"""

from matplotlib.text import Text


def drawn(fig):
    """Draw ``fig`` (layout included) and return its renderer, to measure what is drawn."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def text_box(text, renderer):
    """A text's box in pixels (for an annotation: the text alone, not its line to the point)."""
    return Text.get_window_extent(text, renderer)


def inside(box, frame, margin=0.0) -> bool:
    return (frame.x0 + margin <= box.x0 and box.x1 <= frame.x1 - margin
            and frame.y0 + margin <= box.y0 and box.y1 <= frame.y1 - margin)


def figure_texts(fig) -> list:
    """Every non-empty text the figure shows: titles, axis and tick labels, legends, notes."""
    texts = [fig._suptitle, fig._supxlabel, fig._supylabel, *fig.texts]
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted(limits)
            texts += [tick.label1 for tick in axis.get_major_ticks()
                      if low - 1e-9 <= tick.get_loc() <= high + 1e-9]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    unique = {id(t): t for t in texts if t is not None and t.get_visible() and t.get_text().strip()}
    return list(unique.values())
