"""Build every lesson as reveal.js slides into build/slides/.

    python docs/build_slides.py          # or: make slides

Each cell's ``slideshow.slide_type`` metadata (set by docs/slide_metadata.py
and stored in the notebooks) decides how it shows: ``slide`` starts a new
slide, ``subslide`` a slide below it, ``fragment`` appears on the next key
press, ``skip`` is left out. Code cells tagged ``slides-output-only`` show
their output without the code. Open ``build/slides/NN_name.slides.html`` in a
browser; arrow keys move through the deck.

So that the decks work in a classroom without internet, reveal.js and
require.js are copied next to them (into ``_vendor/``) from the npm registry
with ``npm pack`` when npm is available; otherwise the decks load them from
their public CDN.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "slides"
OUTPUT_ONLY_TAG = "slides-output-only"
REVEAL, REQUIRE = "reveal.js@4.0.2", "requirejs@2.3.6"  # the versions nbconvert's template expects
#: Files of each npm package the decks need, relative to the package root.
VENDOR_FILES = {
    REVEAL: ["dist/reveal.js", "dist/reveal.css", "dist/theme/simple.css",
             "dist/theme/white.css", "plugin/notes/notes.js"],
    REQUIRE: ["require.js"],
}


def vendor_assets(out: Path) -> bool:
    """Copy reveal.js and require.js into ``out/_vendor`` with ``npm pack``; False if impossible."""
    npm = shutil.which("npm")
    if npm is None:
        return False
    vendor = out / "_vendor"
    if all((vendor / pkg.split("@")[0] / f).exists() for pkg, files in VENDOR_FILES.items()
           for f in files):
        return True
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", *VENDOR_FILES, "--silent"], cwd=tmp,
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            print(f"npm pack failed, the decks will use the CDN: {done.stderr.strip()[:200]}")
            return False
        for package, files in VENDOR_FILES.items():
            name, version = package.split("@")
            with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                for file in files:
                    member = tar.extractfile(f"package/{file}")
                    target = vendor / name / file
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
    return True


def build(out: Path = OUT) -> list[Path]:
    """Write one deck per lesson into ``out``; returns their paths."""
    import nbformat
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = SlidesExporter(reveal_theme="simple")
    if vendor_assets(out):
        exporter.reveal_url_prefix = "_vendor/reveal.js"
        exporter.require_js_url = "_vendor/requirejs/require.js"
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={OUTPUT_ONLY_TAG}), enabled=True)
    decks = []
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    print(f"{len(decks)} decks written to {out}")
    return decks


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
