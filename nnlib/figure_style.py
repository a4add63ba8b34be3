"""The look every picture of the course shares: colours, markers, line styles, sizes.

The colours are Okabe-Ito's, which stay distinguishable for the common kinds
of colour blindness; a picture never says anything with colour alone: a
second cue (line style, marker shape or text) carries the same meaning.
``axes(ax, figsize)`` gives the Axes a picture draws into. ``nnlib.plots``
re-exports every name here (``plots.BLUE`` and so on).
"""

from __future__ import annotations

# Okabe-Ito colours (safe for the common kinds of colour blindness).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
YELLOW = "#F0E442"
BLACK = "#000000"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, BLACK)
#: The second cue next to colour: one marker shape and one line style per series.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
#: Light hatching for the filled class regions of a decision boundary.
HATCHES = ("", "//", "..", "\\\\", "xx", "oo", "--", "++")

POSITIVE = BLUE  # positive weights: blue and solid
NEGATIVE = VERMILLION  # negative weights: vermillion and dashed

#: Default figure sizes in inches (width, height).
FIGSIZE = (6.0, 4.0)
NETWORK_FIGSIZE = (7.0, 4.5)
PANEL_SIZE = (3.4, 3.0)  # one panel of plot_activations
DIGIT_SIZE = (1.0, 1.25)  # one image of plot_digits / plot_hidden_weights


def axes(ax, figsize=FIGSIZE):
    """``ax`` itself, or the Axes of a new pyplot figure of size ``figsize`` when ``ax`` is None.

    TypeError if ``ax`` is neither None nor a matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes (or None for a new figure), got {type(ax).__name__}"
        )
    return ax
