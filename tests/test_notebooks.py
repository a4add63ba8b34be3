"""Checks on the stored lesson notebooks that nbval itself does not make.

nbval re-runs each lesson and compares its outputs; these tests check how the
notebooks were *saved*: run top to bottom in one go, with no errors or
warnings in the outputs a learner sees before running anything, and with
outputs left uncompared (the ``nbval-ignore-output`` cell tag) only where they
cannot be compared. nbval's markers live in cell tags, out of a learner's sight:
no cell shows a ``# NBVAL_...`` comment.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))  # the lessons
ALL_NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))  # the lessons and the progress notebook
IGNORE_TAG = "nbval-ignore-output"
# nbval also reads markers written as comments ("# NBVAL_IGNORE_OUTPUT", ...); learners
# would see them, so the lessons use tags only.
MARKER_COMMENT = re.compile(r"^\s*#\s*(NBVAL_\w+|PYTEST_VALIDATE_IGNORE_OUTPUT)\s*$", re.MULTILINE)
# What may justify an ignored cell: a widget, a progress display, a live plot, the
# setup check (it prints the versions installed here), or
# the learner's own exercise record (it differs from machine to machine).
IGNORE_REASONS = re.compile(
    r"widgets\.|_explorer\(|playground\(|progress=True|display_id|interact|progress_summary"
    r"|environment\.check"
)


def _code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def _text_of(output):
    if output["output_type"] == "stream":
        return "".join(output["text"])
    if output["output_type"] == "error":
        return "\n".join(output["traceback"])
    return "".join(output.get("data", {}).get("text/plain", ""))


def test_every_lesson_of_the_course_map_is_there():
    course = tomllib.loads((ROOT / "docs" / "course.toml").read_text(encoding="utf-8"))
    assert [p.name for p in NOTEBOOKS] == [lesson["file"] for lesson in course["lessons"]]
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, len(NOTEBOOKS) + 1)]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_saved_in_order_from_a_fresh_kernel(path):
    counts = [c["execution_count"] for c in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name} was saved out of order or partly run: execution counts {counts}; "
        "re-run it with `jupyter nbconvert --to notebook --execute --inplace`"
    )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_no_errors_or_warnings_in_stored_outputs(path):
    for i, cell in enumerate(_code_cells(path), start=1):
        for output in cell["outputs"]:
            text = _text_of(output)
            assert output["output_type"] != "error", f"{path.name} cell {i}: error\n{text}"
            assert output.get("name") != "stderr", f"{path.name} cell {i}: stderr\n{text}"
            assert "Warning" not in text and "Traceback" not in text, (
                f"{path.name} cell {i} shows a warning or traceback:\n{text}"
            )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_cell_tags_not_visible_comments(path):
    for i, cell in enumerate(_code_cells(path), start=1):
        found = MARKER_COMMENT.search("".join(cell["source"]))
        assert found is None, (
            f"{path.name} cell {i} shows the test marker {found.group(0).strip()!r} to learners; "
            f"remove the comment and give the cell the tag {IGNORE_TAG!r} "
            "(metadata.tags) instead"
        )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_ignored_outputs_only_where_they_cannot_be_compared(path):
    for i, cell in enumerate(_code_cells(path), start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        assert isinstance(tags, list), f"{path.name} cell {i}: tags must be a list, got {tags!r}"
        source = "".join(cell["source"])
        if IGNORE_TAG in tags:
            assert IGNORE_REASONS.search(source), (
                f"{path.name} cell {i} is tagged {IGNORE_TAG!r} but shows no widget, progress "
                f"display or live plot:\n{source}"
            )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_widget_cells_are_tagged_so_nbval_leaves_their_output_alone(path):
    for i, cell in enumerate(_code_cells(path), start=1):
        source = "".join(cell["source"])
        shows_a_widget = re.search(r"^\s*(widgets\.)?\w+_explorer\(", source, re.MULTILINE)
        if shows_a_widget:
            assert IGNORE_TAG in cell.get("metadata", {}).get("tags", []), (
                f"{path.name} cell {i} shows an explorer but lacks the tag {IGNORE_TAG!r}:"
                f"\n{source}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_lesson_has_pictures_exercises_and_references(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code_cells = _code_cells(path)
    images = sum("image/png" in o.get("data", {}) for c in code_cells for o in c["outputs"])
    checks = sum("".join(c["source"]).count(".check(") for c in code_cells)
    assert images >= 1, f"{path.name} stores no picture"
    assert checks >= 2, f"{path.name} has {checks} exercise checks, expected at least 2"
    assert "Going further" in markdown
    assert "youtube.com/watch?v=aircAruvnKk" in markdown, "3Blue1Brown's series is not linked"
    assert "ibm.com/topics/neural-networks" in markdown, "IBM's overview is not linked"


def test_readme_lesson_map_matches_the_course():
    course = tomllib.loads((ROOT / "docs" / "course.toml").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for i, lesson in enumerate(course["lessons"], start=1):
        row = (f"| {i} | [{lesson['title']}](lessons/{lesson['file']}) | {lesson['learn']} "
               f"| {lesson['minutes']} min |")
        assert row in readme, f"README's lesson map lacks or differs for lesson {i}:\n{row}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_stored_progress_shows_a_learner_who_has_not_started(path):
    # A learner opening a lesson has passed nothing yet: the stored progress cells must
    # come from a fresh progress record, not from the checks run on the machine that saved it.
    cells = [c for c in _code_cells(path) if "progress_summary" in "".join(c["source"])]
    for cell in cells:
        text = "".join(_text_of(o) for o in cell["outputs"])
        assert "[x]" not in text and re.search(r"\b[1-9]\d* of \d+ done", text) is None, (
            f"{path.name}: the stored progress cell shows exercises as passed:\n{text}\n"
            "re-run the notebook with an empty progress record "
            "(NNLIB_PROGRESS_FILE=/tmp/fresh.json jupyter nbconvert --execute --inplace ...)"
        )
