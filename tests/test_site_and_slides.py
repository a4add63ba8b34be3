"""The instructor kit builds: slides for every lesson and the offline course site."""

import html
import json
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

import build_site  # noqa: E402
import build_slides  # noqa: E402
import offline  # noqa: E402
import vendor  # noqa: E402

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


class _Links(HTMLParser):
    """Collects every href and src of a page, its element ids, and each picture's alt text."""

    def __init__(self):
        super().__init__()
        self.targets = []
        self.ids = set()
        self.pictures = []  # (src, alt or None) of every <img>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.targets.append((tag, attrs[name]))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "img":
            self.pictures.append((attrs.get("src") or "", attrs.get("alt")))


def _parsed(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _local_targets(page: Path):
    """(tag, file, anchor or "") of every link or source on ``page`` to a local file."""
    for tag, value in _parsed(page).targets:
        url = urlparse(value)
        if url.scheme or value.startswith(("#", "//")):
            continue  # data: images, external links and in-page anchors
        yield tag, page.parent / unquote(url.path), unquote(url.fragment)


def _title(notebook: Path) -> str:
    """The text of the notebook's first "# " heading."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            if cell["cell_type"] == "markdown" and line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{notebook.name} has no '# ' title")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_site.main(out)
    return out


def test_site_index_links_every_lesson_and_the_reference(site):
    course = tomllib.loads((ROOT / "docs" / "course.toml").read_text(encoding="utf-8"))
    index = (site / "index.html").read_text(encoding="utf-8")
    for lesson in course["lessons"]:
        assert f'lessons/{Path(lesson["file"]).stem}.html' in index
        assert lesson["title"] in index
    assert "api/index.html" in index
    rendered = {p.name for p in (site / "lessons").glob("*.html")}
    assert rendered == {p.stem + ".html" for p in LESSONS}


def test_every_local_link_and_image_of_the_site_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(LESSONS) + 2
    broken = [(str(page.relative_to(site)), tag, str(target))
              for page in pages for tag, target, _ in _local_targets(page) if not target.exists()]
    assert broken == []


def test_links_between_lessons_reach_their_page_and_heading(site):
    """A lesson's link to another notebook (e.g. lesson 2's table of symbols) works on the site."""
    links = [(page, target, anchor) for page in sorted((site / "lessons").glob("*.html"))
             for tag, target, anchor in _local_targets(page)
             if tag == "a" and target.parent == page.parent]
    assert len({page for page, _, _ in links}) >= 4, "lessons 3, 4, 6 and 9 link to lesson 2"
    for page, target, anchor in links:
        assert target.suffix == ".html", f"{page.name} links to {target.name}, not a page"
        assert not anchor or anchor in _parsed(target).ids, (
            f"{page.name} links to #{anchor}, which {target.name} does not have")


def test_every_picture_on_the_site_has_its_caption_as_alt_text(site):
    for lesson in LESSONS:
        cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
        captions = [offline.plain_text(caption) for _, caption in offline.figures(cells) if caption]
        pictures = _parsed(site / "lessons" / f"{lesson.stem}.html").pictures
        alts = [alt for src, alt in pictures if src.startswith("data:image/png")]
        assert None not in alts and "" not in alts, f"{lesson.name}: a picture without alt text"
        for caption in captions:
            assert caption in alts, f"{lesson.name}: no picture has the alt text {caption!r}"
        assert not any(c in alt for alt in alts for c in "$`\\"), lesson.name


def test_site_lessons_carry_their_stored_pictures(site):
    for lesson in LESSONS:
        page = (site / "lessons" / f"{lesson.stem}.html").read_text(encoding="utf-8")
        assert "data:image/png;base64," in page, f"{lesson.name} rendered without its pictures"


def test_api_reference_documents_the_core(site):
    layer = (site / "api" / "nnlib.layer.html").read_text(encoding="utf-8")
    assert "class <code>Dense" in layer and "backward" in layer
    assert "Z = X W + b" in layer


def test_slides_build_for_every_lesson(tmp_path):
    decks = build_slides.build(tmp_path)
    assert [d.name for d in decks] == [f"{p.stem}.slides.html" for p in LESSONS]
    for lesson, deck in zip(LESSONS, decks, strict=True):
        html = deck.read_text(encoding="utf-8")
        assert _title(lesson) in html, f"{deck.name} lacks the lesson title"
        assert html.count("<section") >= 5, f"{deck.name} has too few slides"
        assert "data:image/png;base64," in html, f"{deck.name} has no pictures"
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html
        assert "Traceback" not in html and "jp-OutputArea-output jp-mod-error" not in html


# --------------------------------------------------------------------------------------------
# Offline: every widget as a still picture, nothing loaded from the network
# --------------------------------------------------------------------------------------------

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _widget_outputs(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in cells for output in cell.get("outputs", []))


def test_every_widget_cell_of_the_site_shows_its_still_picture_and_the_note(site):
    widget_lessons = 0
    for lesson in LESSONS:
        page = (site / "lessons" / f"{lesson.stem}.html").read_text(encoding="utf-8")
        wanted = _widget_outputs(lesson)
        widget_lessons += wanted > 0
        stills = page.split('class="nnlib-explorer-static"')[1:]
        assert len(stills) == wanted, f"{lesson.name}: {len(stills)} still views, {wanted} widgets"
        for still in stills:
            block = still.split(html.escape(offline.STATIC_NOTE), 1)  # a caption may say the words
            assert len(block) == 2, f"{lesson.name}: a still view without the note"
            assert "data:image/png;base64," in block[0], f"{lesson.name}: a still view, no picture"
        assert WIDGET_VIEW not in page and "widget-state+json" not in page
    assert widget_lessons >= 4  # lessons 2, 3, 4 and 6 have explorers


def test_pages_and_decks_load_nothing_from_the_network(site, tmp_path):
    build_slides.build(tmp_path)
    pages = sorted(site.rglob("*.html")) + sorted(tmp_path.glob("*.html"))
    for path in pages:
        loaded = [value for tag, value in _parsed(path).targets if tag != "a"]
        remote = [value for value in loaded if urlparse(value).scheme not in ("", "data")]
        assert remote == [], f"{path.name} loads {remote}"
    for css in tmp_path.rglob("*.css"):
        assert "@import url(http" not in css.read_text(encoding="utf-8"), css.name


def _explorer_notebook(bundle: dict, state: dict):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "explorer", outputs=[nbformat.v4.new_output("display_data", data=bundle)]))
    nb.metadata["widgets"] = {offline.WIDGET_STATE: {"state": state}}
    return nb


def test_a_widget_saved_without_a_still_view_is_drawn_from_its_stored_state():
    view = {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "box"},
            "text/plain": "VBox()"}
    state = {
        "box": {"model_name": "VBoxModel",
                "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_text", "IPY_MODEL_pic"]}},
        "slider": {"model_name": "FloatSliderModel", "state": {"value": 0.5}},
        "text": {"model_name": "HTMLModel", "state": {"value": "<b>w = 0.50</b>"}},
        "pic": {"model_name": "ImageModel", "state": {"format": "png"},
                "buffers": [{"data": "iVBORw0K", "encoding": "base64", "path": ["value"]}]},
    }
    nb, _ = offline.StaticWidgets().preprocess(_explorer_notebook(view, state), {})
    data = nb.cells[0].outputs[0]["data"]
    assert list(data) == ["text/html"]
    still = data["text/html"]
    assert still.index("<b>w = 0.50</b>") < still.index("data:image/png;base64,iVBORw0K")
    assert offline.STATIC_NOTE in still and "widgets" not in nb.metadata

    with_fallback = {**view, "text/html": "<div>the explorer's own still view</div>"}
    nb, _ = offline.StaticWidgets().preprocess(_explorer_notebook(with_fallback, {}), {})
    assert nb.cells[0].outputs[0]["data"]["text/html"] == with_fallback["text/html"]
    assert WIDGET_VIEW not in nb.cells[0].outputs[0]["data"]


def test_a_widget_with_nothing_to_show_stops_the_build_saying_which_cell():
    view = {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "gone"}}
    with pytest.raises(offline.OfflineError, match=r"lesson_x, cell 1: .*'gone'.*--execute"):
        offline.StaticWidgets().preprocess(_explorer_notebook(view, {}),
                                           {"metadata": {"name": "lesson_x"}})


def test_without_npm_the_build_stops_instead_of_using_a_cdn(monkeypatch, tmp_path):
    monkeypatch.setattr(vendor, "CACHE", tmp_path / "no-cache")
    monkeypatch.setattr(vendor.shutil, "which", lambda name: None)
    with pytest.raises(vendor.VendorError, match="npm is not installed.*apt-get install npm"):
        vendor.vendor(tmp_path / "site")
    assert not (tmp_path / "site" / "_vendor").exists()


def test_slide_rules_split_a_long_section_into_slides_that_fit():
    import slide_metadata as rules

    def md(text):
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    def code(text, lines):
        return {"cell_type": "code", "metadata": {}, "source": text,
                "outputs": [{"output_type": "stream", "name": "stdout",
                             "text": "x\n" * lines}]}

    cells = [md("## Setup\n\nRun this first."), code("# Setup: find nnlib\nimport nnlib", 1),
             md("## 1. A long section"), *[md("A paragraph. " * 40) for _ in range(6)],
             code("print(x)", 12), md("Then this.")]
    kinds = rules.slide_types(cells)
    assert kinds[:3] == ["skip", "skip", "slide"]
    assert "subslide" in kinds[3:]
    used = 0.0  # every slide's estimated height stays within the budget
    for cell, kind in zip(cells[2:], kinds[2:], strict=True):
        used = (used if kind in ("-", "fragment") else 0) + rules.estimated_height(cell)
        assert used <= rules.BUDGET


def test_captions_become_alt_text_and_lesson_links_point_at_pages_and_decks():
    import nbformat

    nb = nbformat.v4.new_notebook()
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                       "text/plain": "<Figure>"})
    still = ('<div class="nnlib-explorer-static"><img src="data:image/png;base64,AAA" '
             'alt="the picture the widget last showed"></div>')
    widget = nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "m"},
        "text/html": still, "text/plain": "VBox()"})
    nb.cells = [
        nbformat.v4.new_markdown_cell("The [symbols](02_forward_propagation.ipynb#Symbols), "
                                      "and [lesson 3](03_bias.ipynb)."),
        nbformat.v4.new_code_cell("plot()", outputs=[png]),
        nbformat.v4.new_markdown_cell("*Figure: the curve of $\\sigma(z)$ & its slope.*\n\nText."),
        nbformat.v4.new_code_cell("explorer()", outputs=[widget]),
        nbformat.v4.new_markdown_cell("*Figure: a slider under the picture it moves.*"),
    ]
    for kind, suffix in (("site", ".html"), ("slides", ".slides.html")):
        body, _ = offline.exporter(kind, "../_vendor").from_notebook_node(nb)
        parser = _Links()
        parser.feed(body)
        alts = [alt for src, alt in parser.pictures if src.startswith("data:image/png")]
        assert alts == ["the curve of sigma(z) & its slope.",
                        "a slider under the picture it moves."], kind
        hrefs = [value for tag, value in parser.targets if tag == "a" and value[:1] == "0"]
        assert hrefs == [f"02_forward_propagation{suffix}#Symbols", f"03_bias{suffix}"], kind
