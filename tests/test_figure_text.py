"""Every figure in a lesson has a one-sentence text alternative, right below it.

A figure is a code cell whose stored output holds a picture (a PNG from matplotlib,
or a widget, whose still picture the site shows). The markdown cell right after it
opens with its caption, one line of the form ``*Figure: <one sentence>.*``. A learner
reads it beside the picture in JupyterLab, a screen reader reads it there, and the
site puts the same sentence into the picture's ``alt`` text (docs/offline.py).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

from offline import figure_caption, figures, is_figure  # noqa: E402  (the site uses them too)

NOTEBOOKS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
# A sentence ends at ". ", "! " or "? " before a capital letter; "0.5" and "e.g." do not end one.
SENTENCE_BREAK = re.compile(r"(?<!e\.g)(?<!i\.e)[.!?]\s+[A-Z]")
MAX_WORDS = 60


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_followed_by_a_one_sentence_caption(path):
    found = figures(json.loads(path.read_text(encoding="utf-8"))["cells"])
    assert found, f"{path.name} draws no figures"
    for index, text in found:
        number = index + 1  # cells counted from 1, as a reader counts them
        assert text is not None, (
            f"{path.name}, cell {number}: the figure has no caption; the markdown cell right "
            f"after it should open with a line '*Figure: <one sentence>.*'")
        assert text.endswith("."), f"{path.name}, cell {number}: end the caption with a period"
        assert not SENTENCE_BREAK.search(text[:-1]), (
            f"{path.name}, cell {number}: the caption is more than one sentence: {text!r}")
        assert len(text.split()) <= MAX_WORDS, (
            f"{path.name}, cell {number}: the caption has {len(text.split())} words, "
            f"more than {MAX_WORDS}")


def test_the_caption_rule_reads_only_a_caption_line_right_after_the_figure():
    png = {"cell_type": "code", "outputs": [{"data": {"image/png": "iVBOR"}}]}
    widget = {"cell_type": "code", "outputs": [
        {"data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}}]}
    table = {"cell_type": "code", "outputs": [{"data": {"text/html": "<table></table>"}}]}
    assert is_figure(png) and is_figure(widget) and not is_figure(table)
    caption = {"cell_type": "markdown", "source": "*Figure: a curve.*"}
    assert figures([png, caption, table, widget]) == [(0, "a curve."), (3, None)]
    caption_first = {"cell_type": "markdown", "source": "*Figure: a curve.*\n\nMore."}
    caption_later = {"cell_type": "markdown", "source": "Text first.\n*Figure: a curve.*"}
    assert figure_caption(caption_first) == "a curve."
    assert figure_caption(caption_later) is None
    assert figure_caption({"cell_type": "code", "source": "*Figure: a curve.*"}) is None
    assert figure_caption(None) is None
    assert SENTENCE_BREAK.search("a curve. It rises")
    assert not SENTENCE_BREAK.search("the rate 0.5 and e.g. More")
