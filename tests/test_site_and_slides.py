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
