"""Give every lesson cell its slide type, so each lesson can be taught from its slides.

    python docs/slide_metadata.py        # rewrites the metadata in lessons/*.ipynb

The rules (they only touch metadata, never sources or outputs):

- a markdown cell starting with ``#`` or ``##`` starts a new **slide**;
  ``###`` starts a **subslide** (a slide below, for detail);
- other markdown continues the current slide (``-``);
- the setup cell (imports only) and the learner's own progress record (its
  heading and its cell) are **skipped**: a class does not need to see them;
- an exercise cell (it calls ``.check(``) gets a **subslide** of its own;
- other code appears as a **fragment**, on the next key press, after the
  explanation it belongs to; a code cell longer than ``LONG`` lines shows only
  its output (tag ``slides-output-only``), since long code is read, not presented.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONG = 12
OUTPUT_ONLY_TAG = "slides-output-only"


def slide_type(cell: dict) -> str:
    """The slideshow type for one cell (see the module docstring)."""
    source = "".join(cell["source"]).strip()
    if source.startswith("### Your progress") or "progress_summary(" in source:
        return "skip"
    if cell["cell_type"] == "markdown":
        if source.startswith("### "):
            return "subslide"
        if source.startswith(("# ", "## ")):
            return "slide"
        return "-"
    lines = [line for line in source.splitlines() if line.strip()
             and not line.lstrip().startswith("#")]
    setup = ("import ", "from ", "np.set_printoptions")
    if lines and all(line.startswith(setup) for line in lines):
        return "skip"
    if ".check(" in source:
        return "subslide"
    return "fragment"


def apply(path: Path) -> bool:
    """Set slide metadata in one notebook; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb["cells"]:
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": slide_type(cell)}
        if cell["cell_type"] == "code":
            tags = [t for t in cell["metadata"].get("tags", []) if t != OUTPUT_ONLY_TAG]
            code_lines = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip()]
            if len(code_lines) > LONG and ".check(" not in "".join(cell["source"]):
                tags.append(OUTPUT_ONLY_TAG)
            if tags:
                cell["metadata"]["tags"] = tags
            else:
                cell["metadata"].pop("tags", None)
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    for notebook in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        print(f"{notebook.name}: {'updated' if apply(notebook) else 'unchanged'}")
