"""Give every lesson cell its slide type, so each lesson can be taught from its slides.

    python docs/slide_metadata.py        # rewrites the metadata in lessons/*.ipynb

docs/build_slides.py applies the same rules when it builds the decks, so a deck
always follows them, even for a notebook whose stored metadata is older.

The rules (they only touch metadata, never sources or outputs):

- a markdown cell starting with ``#`` or ``##`` starts a new **slide**;
  ``###`` starts a **subslide** (a slide below, for detail);
- other markdown continues the current slide (``-``);
- the setup (its ``## Setup`` heading and the cell that imports, or that
  starts with ``# Setup``) and the learner's own progress record (its heading
  and its cell) are **skipped**: a class does not need to see them;
- an exercise cell (it calls ``.check(``) gets a **subslide** of its own;
- other code appears as a **fragment**, on the next key press, after the
  explanation it belongs to; a code cell longer than ``LONG`` lines shows only
  its output (tag ``slides-output-only``), since long code is read, not presented;
- a slide must fit a 1280x720 screen: when the cells of a slide would grow
  taller than ``BUDGET`` pixels (estimated by ``estimated_height`` for the
  decks' sizes, docs/templates/nnlib_slides/deck.css), the cell that would
  not fit starts a **subslide** below instead. A single cell taller than a
  slide is shrunk to fit by the deck (see that template).
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONG = 12
OUTPUT_ONLY_TAG = "slides-output-only"

#: Estimated pixels of content a slide may hold: the deck is 720 high, less reveal's
#: padding (40) and a margin for the estimate's error (measured: about 40 px per cell).
BUDGET = 600
#: The decks' text sizes (deck.css) as the estimate uses them, in CSS pixels.
PROSE_LINE, PROSE_CHARS, PARAGRAPH_GAP = 28.5, 118, 19
HEADING = {"# ": 75, "## ": 62, "### ": 52}
CODE_LINE, OUTPUT_LINE, OUTPUT_CHARS = 20, 19, 125
#: Figures are shown at their own size, but no taller than this (deck.css) nor wider
#: than the slide's text column.
FIGURE_MAX_HEIGHT, COLUMN_WIDTH = 440, 1240


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def slide_type(cell: dict) -> str:
    """The slideshow type of one cell on its own (before the fit-the-screen rule)."""
    source = _source(cell).strip()
    if source.startswith("### Your progress") or "progress_summary(" in source:
        return "skip"
    if cell["cell_type"] == "markdown":
        if source.startswith("## Setup"):
            return "skip"
        if source.startswith("### "):
            return "subslide"
        if source.startswith(("# ", "## ")):
            return "slide"
        return "-"
    if source.startswith("# Setup"):
        return "skip"
    lines = [line for line in source.splitlines() if line.strip()
             and not line.lstrip().startswith("#")]
    setup = ("import ", "from ", "np.set_printoptions")
    if lines and all(line.startswith(setup) for line in lines):
        return "skip"
    if ".check(" in source:
        return "subslide"
    return "fragment"


def output_only(cell: dict) -> bool:
    """True for a code cell whose deck shows only its output (long code, not an exercise)."""
    source = _source(cell)
    code_lines = [line for line in source.splitlines() if line.strip()]
    return cell["cell_type"] == "code" and len(code_lines) > LONG and ".check(" not in source


def _png_size(encoded: str) -> tuple[int, int]:
    """Width and height of a base64 PNG, read from its header."""
    header = base64.b64decode(encoded[:64])
    return struct.unpack(">II", header[16:24])


def _figure_height(encoded: str) -> float:
    width, height = _png_size(encoded)
    if width > COLUMN_WIDTH:
        height *= COLUMN_WIDTH / width
    return min(height, FIGURE_MAX_HEIGHT) + 8


def _markdown_height(source: str) -> float:
    height = 0.0
    for paragraph in re.split(r"\n\s*\n", source.strip()):
        paragraph = paragraph.strip()
        if paragraph.startswith("$$"):  # display formula: one line per \\ row
            height += 30 + 34 * (paragraph.count("\\\\") + 1)
            height += 25 if "underbrace" in paragraph else 0
            continue
        for mark, pixels in HEADING.items():
            if paragraph.startswith(mark):
                height += pixels
                paragraph = paragraph.partition("\n")[2]
                break
        if not paragraph:
            continue
        for item in re.split(r"\n(?=\s*(?:[-*]|\d+\.) )", paragraph):  # list items wrap alone
            text = re.sub(r"\s+", " ", item)
            height += PROSE_LINE * max(1, math.ceil(len(text) / PROSE_CHARS))
        height += PARAGRAPH_GAP
    return height


def _text_height(text: str) -> float:
    lines = text.rstrip().splitlines()
    return OUTPUT_LINE * sum(max(1, math.ceil(len(line) / OUTPUT_CHARS)) for line in lines)


def estimated_height(cell: dict) -> float:
    """About how many CSS pixels a cell takes on a slide (inputs, text outputs, figures)."""
    source = _source(cell)
    if cell["cell_type"] != "code":
        return _markdown_height(source)
    height = 10.0
    if not output_only(cell):
        height += 12 + CODE_LINE * len(source.rstrip().splitlines())
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            height += _figure_height(_source({"source": data["image/png"]}))
        elif "text/html" in data:  # a still view of an explorer: its picture and readout
            page = _source({"source": data["text/html"]})
            picture = re.search(r"base64,([A-Za-z0-9+/=]{64})", page)
            height += _figure_height(picture.group(1)) if picture else 0
            height += _text_height(re.sub(r"<[^>]+>", "", page)) + 20
        else:
            text = data.get("text/plain", output.get("text", ""))
            height += _text_height(_source({"source": text})) + 10
    return height


def slide_types(cells: list[dict]) -> list[str]:
    """The slide type of every cell of a notebook, the fit-the-screen rule included."""
    types, used = [], 0.0
    for cell in cells:
        kind = slide_type(cell)
        if kind != "skip":
            height = estimated_height(cell)
            if kind in ("slide", "subslide"):
                used = height
            elif used > 0 and used + height > BUDGET:
                kind, used = "subslide", height
            else:
                used += height
        types.append(kind)
    return types


def apply_rules(nb: dict) -> None:
    """Set every cell's slide type and the ``slides-output-only`` tag, in place."""
    for cell, kind in zip(nb["cells"], slide_types(nb["cells"]), strict=True):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
        if cell["cell_type"] == "code":
            tags = [t for t in cell["metadata"].get("tags", []) if t != OUTPUT_ONLY_TAG]
            if output_only(cell):
                tags.append(OUTPUT_ONLY_TAG)
            if tags:
                cell["metadata"]["tags"] = tags
            else:
                cell["metadata"].pop("tags", None)


def apply(path: Path) -> bool:
    """Set slide metadata in one notebook file; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    apply_rules(nb)
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    import sys

    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    for notebook in paths:
        print(f"{notebook.name}: {'updated' if apply(notebook) else 'unchanged'}")
