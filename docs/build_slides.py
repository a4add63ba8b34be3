"""Build every lesson as reveal.js slides into build/slides/.

    python docs/build_slides.py          # or: make slides

Each cell's slide type, given by the rules of docs/slide_metadata.py (applied
here as the deck is built, and stored in the notebooks for other slide tools),
decides how it shows: ``slide`` starts a new
slide, ``subslide`` a slide below it, ``fragment`` appears on the next key
press, ``skip`` is left out. Code cells tagged ``slides-output-only`` show
their output without the code. Open ``build/slides/NN_name.slides.html`` in a
browser; arrow keys move through the deck.

So that the decks work in a classroom without internet, reveal.js, require.js
and MathJax are copied next to them into ``_vendor/`` (see docs/vendor.py),
nothing else is loaded from the network, and each slider explorer shows the
still picture it last drew (see docs/offline.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import offline
import slide_metadata
from vendor import vendor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "slides"
OUTPUT_ONLY_TAG = slide_metadata.OUTPUT_ONLY_TAG


def build(out: Path = OUT) -> list[Path]:
    """Write one deck per lesson into ``out``; returns their paths."""
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    vendor(out)
    exporter = offline.exporter("slides", "_vendor")
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={OUTPUT_ONLY_TAG}), enabled=True)
    decks = []
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        slide_metadata.apply_rules(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    print(f"{len(decks)} decks written to {out}")
    return decks


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
