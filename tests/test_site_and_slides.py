"""The instructor kit builds: slides for every lesson and the offline course site."""

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
    """Collects every href and src of a page."""

    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append((tag, value))


def _local_targets(page: Path):
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    for tag, value in parser.targets:
        url = urlparse(value)
        if url.scheme or value.startswith(("#", "//")):
            continue  # data: images, external links and in-page anchors
        yield tag, page.parent / unquote(url.path)


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
              for page in pages for tag, target in _local_targets(page) if not target.exists()]
    assert broken == []


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
            block = still.split("running notebook", 1)
            assert len(block) == 2, f"{lesson.name}: a still view without the note"
            assert "data:image/png;base64," in block[0], f"{lesson.name}: a still view, no picture"
        assert WIDGET_VIEW not in page and "widget-state+json" not in page
    assert widget_lessons >= 4  # lessons 2, 3, 4 and 6 have explorers


def test_pages_and_decks_load_nothing_from_the_network(site, tmp_path):
    build_slides.build(tmp_path)
    pages = sorted(site.rglob("*.html")) + sorted(tmp_path.glob("*.html"))
    for path in pages:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        loaded = [value for tag, value in parser.targets if tag != "a"]
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
