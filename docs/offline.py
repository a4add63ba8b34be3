"""nbconvert set up so a lesson's page or deck needs nothing from the network.

Used by docs/build_site.py and docs/build_slides.py:

- the course's own templates (docs/templates/nnlib_site, nnlib_slides) extend
  nbconvert's "lab" page and "reveal" deck and leave out every script those
  load from a CDN: the widget manager (unpkg), mermaid and jquery (cdnjs);
- reveal.js, require.js and MathJax come from ``_vendor/`` next to the pages
  (docs/vendor.py), the fonts from reveal.js's own theme folder;
- a widget cannot move without a kernel, so ``StaticWidgets`` shows each
  widget output as the still picture and readout it last showed, with a note
  that the sliders need a running notebook;
- ``FigureText`` gives every picture its caption as ``alt`` text: the lessons
  put a one-sentence ``*Figure: ...*`` line right below each figure
  (tests/test_figure_text.py), which a screen reader reads out on the page;
- ``LessonLinks`` turns a link to another lesson's notebook
  (``02_forward_propagation.ipynb#Symbols-used-in-this-course``) into a link to
  that lesson's page or deck, anchor kept.

Where the still view comes from: an explorer's display bundle carries it
(``text/html`` beside the widget-view entry, see nnlib.widgets), and that is
used first -- it is the explorer's own account, and it is kept in the cell
however the notebook was saved. Outputs saved without it (an older notebook,
another kind of widget) are drawn from the widget state nbconvert stores in
the notebook's metadata: the Image widgets' PNGs and the HTML widgets' text,
in the order the widget shows them. An output with neither stops the build:
an empty ``Out[n]`` on the site is exactly what this module is here to stop.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from vendor import MATHJAX_CONFIG, REVEAL_THEME

from nnlib.widgets import STATIC_NOTE  # said under every still view, the explorers' own too

TEMPLATES = Path(__file__).resolve().parent / "templates"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: The mime types of a still view an output may carry beside its widget view.
STILL = ("text/html", "image/png")
#: The size a deck is laid out at (reveal.js scales it to the screen): a 1280x720 screen.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
#: A figure's caption: the first line of the markdown cell right after the figure.
CAPTION = re.compile(r"^\*Figure: (?P<text>[^*]+)\*$")
#: A markdown link to a lesson notebook in the same folder: ``](02_forward_propagation.ipynb#x)``.
LESSON_LINK = re.compile(r"\]\((?P<stem>\d\d_\w+)\.ipynb(?P<anchor>#[^)\s]*)?\)")


class OfflineError(ValueError):
    """A notebook holds something a page could only show with the network."""


def _children(model: dict) -> list[str]:
    """The model ids of a container widget's children, in display order."""
    refs = model.get("state", {}).get("children", [])
    return [ref.removeprefix("IPY_MODEL_") for ref in refs if isinstance(ref, str)]


def still_from_state(model_id: str, state: dict) -> str | None:
    """HTML for the widget ``model_id`` from stored widget state, or None if it shows nothing.

    ``state`` is ``metadata.widgets[WIDGET_STATE]["state"]`` of a notebook:
    model id -> ``{"model_name", "state", "buffers"}``. The Image widgets'
    pictures (a base64 buffer at path ``["value"]``) and the HTML widgets'
    ``value`` are shown in the order of the widget tree; sliders and other
    controls are left out (they cannot move here).
    """
    parts: list[str] = []

    def walk(mid: str, seen: frozenset) -> None:
        model = state.get(mid)
        if model is None or mid in seen:
            return
        name, values = model.get("model_name", ""), model.get("state", {})
        if name == "ImageModel":
            picture = next((b["data"] for b in model.get("buffers", [])
                            if b.get("path") == ["value"] and b.get("encoding") == "base64"), None)
            if picture:
                kind = html.escape(values.get("format") or "png")
                parts.append(f'<img src="data:image/{kind};base64,{picture}" '
                             'alt="the picture the widget last showed" style="max-width: 100%">')
        elif name == "HTMLModel" and values.get("value"):
            parts.append(f"<div>{values['value']}</div>")
        for child in _children(model):
            walk(child, seen | {mid})

    walk(model_id, frozenset())
    if not parts:
        return None
    return (f'<div class="nnlib-explorer-static">{"".join(parts)}'
            f'<p style="font-style: italic">{html.escape(STATIC_NOTE)}</p></div>')


class StaticWidgets(Preprocessor):
    """Replace every widget output by its still view (see the module docstring)."""

    def preprocess(self, nb, resources):
        name = resources.get("metadata", {}).get("name", "the notebook")
        stored = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        for number, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "markdown" and "```mermaid" in cell.source:
                raise OfflineError(f"{name}, cell {number}: a mermaid diagram needs the mermaid "
                                   "library from a CDN; draw it as a picture instead")
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if WIDGET_VIEW not in data:
                    continue
                if any(kind in data for kind in STILL):
                    output["data"] = {k: v for k, v in data.items() if k != WIDGET_VIEW}
                    continue
                model_id = data[WIDGET_VIEW].get("model_id", "")
                still = still_from_state(model_id, stored)
                if still is None:
                    raise OfflineError(
                        f"{name}, cell {number}: a widget output has no still picture: its "
                        f"display bundle has none of {', '.join(STILL)} and the notebook's "
                        f"stored widget state has nothing to show for model {model_id!r} "
                        "(run the notebook with `jupyter nbconvert --execute`, which stores it)")
                output["data"] = {"text/html": still}
        # The pages load no widget manager, so the stored state would be dead weight.
        nb.metadata.pop("widgets", None)
        return nb, resources


def is_figure(cell) -> bool:
    """True for a code cell whose stored output shows a picture (a PNG or a widget)."""
    return cell.get("cell_type") == "code" and any(
        kind in output.get("data", {}) for output in cell.get("outputs", [])
        for kind in ("image/png", WIDGET_VIEW))


def figure_caption(cell_after) -> str | None:
    """The caption sentence that opens ``cell_after`` (the cell below a figure), or None."""
    if cell_after is None or cell_after.get("cell_type") != "markdown":
        return None
    lines = "".join(cell_after.get("source", "")).strip().splitlines()
    match = CAPTION.match(lines[0].strip()) if lines else None
    return match["text"].strip() if match else None


def figures(cells) -> list[tuple[int, str | None]]:
    """``(index, caption or None)`` of every figure among ``cells``: the caption is the
    first line of the cell right after it (see ``figure_caption``)."""
    return [(i, figure_caption(cells[i + 1] if i + 1 < len(cells) else None))
            for i, cell in enumerate(cells) if is_figure(cell)]


def plain_text(caption: str) -> str:
    """A caption as alt text: no markdown or formula marks (``$\\eta$`` -> ``eta``)."""
    text = re.sub(r"\\([A-Za-z]+)", r"\1", caption)
    return re.sub(r"[$`*_{}]", "", text)


class FigureText(Preprocessor):
    """Put each figure's caption into its pictures' ``alt`` text (run before StaticWidgets).

    A PNG output gets it as output metadata (the templates write it into the
    ``<img>``); the still view a widget output carries (``text/html``) has its
    pictures' generic alt replaced.
    """

    def preprocess(self, nb, resources):
        for i, caption in figures(nb.cells):
            if caption is None:
                continue  # tests/test_figure_text.py sees to it that every lesson figure has one
            caption = plain_text(caption)
            for output in nb.cells[i].get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data:
                    output.setdefault("metadata", {})["alt"] = caption
                if "text/html" in data and "<img" in data["text/html"]:
                    alt = html.escape(caption).replace("\\", "\\\\")
                    data["text/html"] = re.sub(r'(<img\b[^>]*?\balt=")[^"]*(")',
                                               rf"\g<1>{alt}\g<2>", data["text/html"])
        return nb, resources


class LessonLinks(Preprocessor):
    """Point links to ``NN_name.ipynb`` at ``NN_name<suffix>``: the lesson's page or deck."""

    def __init__(self, suffix: str, **kwargs):
        super().__init__(**kwargs)
        self.suffix = suffix

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = LESSON_LINK.sub(
                    lambda m: f"]({m['stem']}{self.suffix}{m['anchor'] or ''})", cell.source)
        return nb, resources


def exporter(kind: str, vendor_url: str):
    """An nbconvert exporter for ``kind`` "site" (a lesson page) or "slides" (a deck).

    ``vendor_url``: the address of ``_vendor/`` as seen from the pages, e.g.
    ``"../_vendor"``; every script and style they load comes from there.
    """
    from nbconvert import HTMLExporter, SlidesExporter

    if kind == "site":
        result = HTMLExporter(template_name="nnlib_site", embed_images=True,
                              extra_template_basedirs=[str(TEMPLATES)],
                              extra_template_paths=[str(TEMPLATES)])  # picture_alt.j2
    elif kind == "slides":
        result = SlidesExporter(template_name="nnlib_slides", reveal_theme=REVEAL_THEME,
                                reveal_url_prefix=f"{vendor_url}/reveal.js",
                                reveal_width=str(SLIDE_WIDTH), reveal_height=str(SLIDE_HEIGHT),
                                extra_template_basedirs=[str(TEMPLATES)],
                                extra_template_paths=[str(TEMPLATES)])  # picture_alt.j2
    else:
        raise ValueError(f"kind must be 'site' or 'slides', got {kind!r}")
    result.mathjax_url = f"{vendor_url}/mathjax/MathJax.js{MATHJAX_CONFIG}"
    result.require_js_url = f"{vendor_url}/requirejs/require.js"
    result.register_preprocessor(FigureText(), enabled=True)
    result.register_preprocessor(StaticWidgets(), enabled=True)
    result.register_preprocessor(LessonLinks(".html" if kind == "site" else ".slides.html"),
                                 enabled=True)
    return result
