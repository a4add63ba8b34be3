"""Build the course as a static, offline website in build/site/.

    python docs/build_site.py            # or: make site

- ``index.html``: the lesson map (from docs/course.toml) linking every lesson;
- ``lessons/NN_name.html``: each lesson rendered with its stored outputs
  (pictures embedded in the page, every slider explorer as the still picture
  and readout it last showed; MathJax for the formulas copied next to the
  pages by docs/vendor.py, so nothing is fetched from a server, see
  docs/offline.py);
- ``api/``: an nnlib reference generated from the docstrings.

Open ``build/site/index.html`` in a browser; no server and no network needed.
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
import sys
import tomllib
from pathlib import Path

import offline
from vendor import vendor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "site"

#: nnlib's modules in the order the course meets them (plots and widgets last).
API_MODULES = [
    "nnlib.network", "nnlib.layer", "nnlib.weights", "nnlib.bias", "nnlib.activation",
    "nnlib.loss", "nnlib.gradcheck", "nnlib.learning_rate", "nnlib.gradient_descent",
    "nnlib.datasets", "nnlib.saving", "nnlib.progress", "nnlib.checks", "nnlib.plots",
    "nnlib.widgets", "nnlib.backprop_steps", "nnlib.bug_zoo", "nnlib.exercises",
    "nnlib.exercises.record",
]

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }
nav { margin-bottom: 1.5rem; } nav a { margin-right: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left;
         vertical-align: top; }
pre { background: #f5f5f5; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
h3 code { font-size: 1rem; }
table.lessons td:last-child { white-space: nowrap; }
"""


def load_course() -> dict:
    """The course description: title and lessons (file, title, learn, minutes)."""
    with open(ROOT / "docs" / "course.toml", "rb") as f:
        return tomllib.load(f)


def page(title: str, body: str, depth: int = 0) -> str:
    """A complete HTML page with the site's navigation; ``depth`` = folders below the root."""
    up = "../" * depth
    nav = (f'<nav><a href="{up}index.html">Course</a>'
           f'<a href="{up}api/index.html">nnlib reference</a></nav>')
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{nav}\n{body}\n</body></html>\n")


def build_index(course: dict, out: Path) -> None:
    rows = "\n".join(
        f'<tr><td>{i}</td><td><a href="lessons/{Path(lesson["file"]).stem}.html">'
        f'{html.escape(lesson["title"])}</a></td><td>{html.escape(lesson["learn"])}</td>'
        f'<td>{lesson["minutes"]} min</td></tr>'
        for i, lesson in enumerate(course["lessons"], start=1))
    body = (f"<h1>{html.escape(course['title'])}</h1><p>{html.escape(course['about'])}</p>"
            '<table class="lessons"><tr><th>#</th><th>Lesson</th>'
            "<th>What you learn</th><th>Time</th></tr>"
            f"{rows}</table>"
            '<p>The library every lesson uses is described in the '
            '<a href="api/index.html">nnlib reference</a>.</p>')
    (out / "index.html").write_text(page(course["title"], body), encoding="utf-8")


LESSON_NAV = ('<nav style="padding:.5rem 1rem"><a href="../index.html">Course</a> &middot; '
              '<a href="../api/index.html">nnlib reference</a></nav>')


def build_lessons(course: dict, out: Path) -> None:
    import nbformat

    vendor(out)  # formulas typeset with no network (see docs/vendor.py)
    exporter = offline.exporter("site", "../_vendor")
    (out / "lessons").mkdir(parents=True, exist_ok=True)
    for lesson in course["lessons"]:
        nb = nbformat.read(ROOT / "lessons" / lesson["file"], as_version=4)
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": Path(lesson["file"]).stem}})
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + LESSON_NAV, body, count=1)
        target = out / "lessons" / (Path(lesson["file"]).stem + ".html")
        target.write_text(body, encoding="utf-8")


def _doc(obj) -> str:
    return html.escape(inspect.getdoc(obj) or "")


def _signature(obj) -> str:
    try:
        return html.escape(str(inspect.signature(obj)))
    except (TypeError, ValueError):
        return "(...)"


def build_api(out: Path) -> None:
    api = out / "api"
    api.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    items = []
    for name in API_MODULES:
        module = importlib.import_module(name)
        parts = [f"<h1><code>{name}</code></h1><pre>{_doc(module)}</pre>"]
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isclass(obj):
                parts.append(f'<h2 id="{attr}">class <code>{attr}{_signature(obj)}</code></h2>'
                             f"<pre>{_doc(obj)}</pre>")
                for meth, fn in vars(obj).items():
                    if meth.startswith("_") or not callable(fn):
                        continue
                    parts.append(f"<h3><code>{attr}.{meth}{_signature(fn)}</code></h3>"
                                 f"<pre>{_doc(fn)}</pre>")
            elif inspect.isfunction(obj):
                parts.append(f'<h2 id="{attr}"><code>{attr}{_signature(obj)}</code></h2>'
                             f"<pre>{_doc(obj)}</pre>")
        (api / f"{name}.html").write_text(page(name, "\n".join(parts), depth=1), encoding="utf-8")
        summary = (inspect.getdoc(module) or "").splitlines()[0] if inspect.getdoc(module) else ""
        items.append(f'<tr><td><a href="{name}.html"><code>{name}</code></a></td>'
                     f"<td>{html.escape(summary)}</td></tr>")
    body = ("<h1>nnlib reference</h1><p>Generated from the docstrings.</p>"
            f"<table>{''.join(items)}</table>")
    (api / "index.html").write_text(page("nnlib reference", body, depth=1), encoding="utf-8")


def main(out: Path = OUT) -> Path:
    """Build the whole site into ``out``; returns the path of its index.html."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    course = load_course()
    build_index(course, out)
    build_lessons(course, out)
    build_api(out)
    print(f"site written to {out / 'index.html'}")
    return out / "index.html"


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
