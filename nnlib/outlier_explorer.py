"""One outlier, two losses: a slider moves one measurement and each loss's best constant follows.

Predict a handful of measurements with one single number ``c``. The best
``c`` under a loss is the one with the lowest loss; it is found here by trying
every ``c`` on a grid with nnlib's own losses (``SumAbsoluteError`` and
``SumSquaredError``). Under the absolute error it is the **median** of the
measurements, under the squared error their **mean** -- and the mean follows an
outlier wherever it goes, while the median barely moves.

- ``best_constant(values, loss)``: the grid's best ``c`` for a loss (numpy only);
- ``outlier_reading(values, outlier)``: both best constants with the last
  measurement replaced by ``outlier``, beside those without it, and the readout;
- ``outlier_explorer()``: the slider, the readout and the picture (an
  ``nnlib.widgets.Explorer``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnlib.checks import as_array, check_number
from nnlib.loss import get_loss

MEASURED = (2.1, 1.8, 2.4, 2.0, 2.2, 1.9, 9.0)  # lesson 4's measurements; the last is the outlier
OUTLIER_RANGE = (0.0, 20.0)
COARSE, FINE = 0.1, 0.01  # grid steps: first across the whole range, then near the best


def _lowest(grid, loss, target) -> float:
    losses = [loss.value(np.full_like(target, c), target) for c in grid]
    return float(grid[int(np.argmin(losses))])


def best_constant(values, loss, low=OUTLIER_RANGE[0], high=OUTLIER_RANGE[1]) -> float:
    """The ``c`` from ``low`` to ``high``, to 0.01, with the lowest ``loss`` (a Loss or its
    name) for predicting every one of ``values`` (n numbers) by ``c``.

    Tried on a 0.1 grid, then on a 0.01 grid within 0.1 of the best: both losses
    here are convex in ``c``, so that finds the best of the whole 0.01 grid (the
    lowest, where a range of ``c`` is equally good: the median of an even count).
    """
    loss = get_loss(loss)
    target = as_array(values, "values").reshape(-1, 1)
    coarse = _lowest(np.round(np.arange(low, high + COARSE / 2, COARSE), 10), loss, target)
    fine = np.round(np.arange(coarse - COARSE, coarse + COARSE + FINE / 2, FINE), 10)
    return _lowest(fine[(fine >= low) & (fine <= high)], loss, target)


@dataclass
class OutlierReading:
    """``values`` with the outlier in place; ``sae``/``sse``: the best constants with it,
    ``sae_clean``/``sse_clean``: without it (for SAE the lowest of an equally good range);
    ``text``: the readout."""

    values: np.ndarray
    sae: float
    sse: float
    sae_clean: float
    sse_clean: float
    text: str


def outlier_reading(values, outlier) -> OutlierReading:
    """Replace the last of ``values`` by ``outlier`` and find each loss's best constant."""
    outlier = check_number(outlier, "outlier")
    values = as_array(values, "values").ravel().copy()
    if values.size < 2:
        raise ValueError(f"values needs at least two numbers (the last is the outlier), "
                         f"got {values.size}")
    values[-1] = outlier
    clean = values[:-1]
    sae, sse = best_constant(values, "sae"), best_constant(values, "sse")
    sae_clean, sse_clean = best_constant(clean, "sae"), best_constant(clean, "sse")
    # The highest best c of the clean values: the lowest best c of their negatives.
    sae_clean_top = -best_constant(-clean, "sae", -OUTLIER_RANGE[1], -OUTLIER_RANGE[0])
    clean_sae = f"{sae_clean:.2f}" if sae_clean_top == sae_clean else \
        f"any c from {sae_clean:.2f} to {sae_clean_top:.2f}"
    text = (f"the outlier is at {outlier:.2f}\n"
            f"best constant under SAE: {sae:.2f}  (without the outlier {clean_sae}) - the "
            "median\n"
            f"best constant under SSE: {sse:.2f}  (without the outlier {sse_clean:.2f}, "
            f"moved {sse - sse_clean:+.2f}) - the mean")
    return OutlierReading(values, sae, sse, sae_clean, sse_clean, text)


def outlier_explorer(outlier=9.0, values=MEASURED):
    """Move the last measurement with a slider: the SAE and SSE best constants follow (or not)."""
    import ipywidgets

    from nnlib import figure_style, placement
    from nnlib.explorer_picture import ExplorerPicture
    from nnlib.widgets import FIGURE_DPI, SLIDER_STYLE, Explorer

    values = as_array(values, "values").ravel()
    low, high = OUTLIER_RANGE
    slider = ipywidgets.FloatSlider(value=check_number(outlier, "outlier"), min=low, max=high,
                                    step=0.1, description="outlier", readout_format=".1f",
                                    style=SLIDER_STYLE)
    picture = ExplorerPicture(8.0, 4.2, dpi=FIGURE_DPI)
    figure = picture.figure
    ax = figure.subplots()
    figure.subplots_adjust(left=0.09, right=0.97, bottom=0.13, top=0.8)
    n = values.size
    positions = np.arange(1, n + 1)
    ax.plot(positions[:-1], values[:-1], linestyle="none", marker="o", markersize=8,
            color=figure_style.BLACK, label="measurements")
    point, = ax.plot([], [], linestyle="none", marker="D", markersize=10,
                     color=figure_style.VERMILLION, markeredgecolor=figure_style.BLACK,
                     label="outlier (slider)")
    sae_line = ax.axhline(0.0, color=figure_style.BLUE, linewidth=2.2,
                          label="SAE's best c (median)")
    sse_line = ax.axhline(0.0, color=figure_style.ORANGE, linewidth=2.2, linestyle="--",
                          label="SSE's best c (mean)")
    ax.set_xlim(0.5, n + 0.5)
    ax.set_ylim(low - 0.8, high + 0.8)
    ax.set_xticks(positions)
    ax.set_xlabel("measurement")
    ax.set_ylabel("value")
    ax.set_title("One constant for all: where each loss puts it")
    placement.legend_above(ax)
    moving = [point, sae_line, sse_line]

    def draw(outlier):
        reading = outlier_reading(values, outlier)
        point.set_data([n], [outlier])
        sae_line.set_ydata([reading.sae, reading.sae])
        sse_line.set_ydata([reading.sse, reading.sse])
        return reading.text, picture.png(moving)

    explorer = Explorer({"outlier": slider}, draw,
                        alt="Seven measurements, the last one moved by the slider, with the best "
                            "constant under the absolute error (the median) and under the "
                            "squared error (the mean) as horizontal lines.")
    explorer.figure = figure
    return explorer
