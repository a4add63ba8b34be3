"""Lesson 4's outlier slider: each loss's best constant, by nnlib's losses, and the explorer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from figure_layout import drawn, figure_texts, inside, text_box  # noqa: E402

from nnlib.outlier_explorer import (  # noqa: E402
    MEASURED,
    best_constant,
    outlier_explorer,
    outlier_reading,
)


@pytest.mark.parametrize("outlier", [0.0, 5.55, 9.0, 20.0])
def test_sae_picks_the_median_and_sse_the_mean(outlier):
    values = np.array(MEASURED)
    values[-1] = outlier
    reading = outlier_reading(MEASURED, outlier)
    assert reading.sae == pytest.approx(np.median(values), abs=0.005)
    assert reading.sse == pytest.approx(values.mean(), abs=0.005)
    assert reading.sse_clean == pytest.approx(values[:-1].mean(), abs=0.005)


def test_best_constant_is_the_lowest_loss_of_the_whole_fine_grid():
    values = np.array([3.0, 7.0, 4.0, 20.0, 5.0])
    grid = np.round(np.arange(0, 20.001, 0.01), 10)
    sse = [((values - c) ** 2).sum() for c in grid]
    assert best_constant(values, "sse") == pytest.approx(grid[int(np.argmin(sse))])
    assert best_constant(values, "sae") == 5.0


def test_the_readout_says_how_far_each_best_constant_moved():
    text = outlier_reading(MEASURED, 9.0).text
    assert "SAE: 2.10" in text and "any c from 2.00 to 2.10" in text
    assert "SSE: 3.06" in text and "moved +0.99" in text


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least two"):
        outlier_reading([1.0], 3.0)
    with pytest.raises((TypeError, ValueError)):
        outlier_reading(MEASURED, "far")


def test_slider_at_min_default_max_moves_the_mean_not_the_median():
    explorer = outlier_explorer()
    slider = explorer.sliders["outlier"]
    pictures, readings = set(), []
    for value in (slider.min, slider.value, slider.max):
        text = explorer.update(outlier=value)
        assert text == outlier_reading(MEASURED, value).text
        pictures.add(explorer.png)
        readings.append(outlier_reading(MEASURED, value))
    assert len(pictures) == 3
    assert readings[0].sse < readings[1].sse < readings[2].sse  # the mean follows the outlier
    assert readings[2].sae - readings[0].sae <= 0.2  # the median stays with the bulk
    slider.value = 15.0
    assert "outlier is at 15.00" in explorer.text


def test_the_picture_keeps_its_text_inside_and_apart():
    explorer = outlier_explorer()
    renderer = drawn(explorer.figure)
    texts = figure_texts(explorer.figure)
    boxes = [text_box(t, renderer) for t in texts]
    for k, box in enumerate(boxes):
        assert inside(box, explorer.figure.bbox), texts[k].get_text()
        for other, other_box in zip(texts[k + 1:], boxes[k + 1:], strict=True):
            assert not box.overlaps(other_box), (texts[k].get_text(), other.get_text())
