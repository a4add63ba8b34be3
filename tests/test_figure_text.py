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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))

PICTURES = ("image/png", "application/vnd.jupyter.widget-view+json")
CAPTION = re.compile(r"^\*Figure: (?P<text>[^*]+)\*$")
# A sentence ends at ". ", "! " or "? " followed by a capital letter; "0.5" and "e.g." do not end one.
SENTENCE_BREAK = re.compile(r"(?<!e\.g)(?<!i\.e)[.!?]\s+[A-Z]")
MAX_WORDS = 60


def figure_cells(path: Path) -> list[tuple[int, dict, dict | None]]:
    """(cell number from 1, the figure's code cell, the cell after it) for every figure."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        if any(kind in output.get("data", {}) for output in cell.get("outputs", [])
               for kind in PICTURES):
            found.append((i + 1, cell, cells[i + 1] if i + 1 < len(cells) else None))
    return found


def caption_of(cell_after: dict | None) -> str | None:
    """The caption sentence opening ``cell_after``, or None."""
    if cell_after is None or cell_after["cell_type"] != "markdown":
        return None
    lines = "".join(cell_after["source"]).strip().splitlines()
    match = CAPTION.match(lines[0].strip()) if lines else None
    return match["text"].strip() if match else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_followed_by_a_one_sentence_caption(path):
    figures = figure_cells(path)
    assert figures, f"{path.name} draws no figures"
    for number, _, after in figures:
        text = caption_of(after)
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
    assert caption_of({"cell_type": "markdown", "source": "*Figure: a curve.*\n\nMore."}) == "a curve."
    assert caption_of({"cell_type": "markdown", "source": "Text first.\n*Figure: a curve.*"}) is None
    assert caption_of({"cell_type": "code", "source": "*Figure: a curve.*"}) is None
    assert caption_of(None) is None
    assert SENTENCE_BREAK.search("a curve. It rises")
    assert not SENTENCE_BREAK.search("the rate 0.5 and e.g. More")
