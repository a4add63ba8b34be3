"""Stated lesson times follow the rule of docs/lesson_time.py, on the notebooks as they are now.

Every place that tells a learner or an instructor how long a lesson takes (docs/course.toml,
README's lesson map, the notebook's first cell, the instructor guide) states the same number,
and that number is within lesson_time.TOLERANCE of the rule's estimate. So a section added to
a lesson without updating its time fails here.
"""

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

import lesson_time  # noqa: E402

COURSE = tomllib.loads((ROOT / "docs" / "course.toml").read_text(encoding="utf-8"))
LESSONS = list(enumerate(COURSE["lessons"], start=1))
IDS = [lesson["file"][:2] for _, lesson in LESSONS]
NOTES = (ROOT / "docs" / "instructor_notes.md").read_text(encoding="utf-8")


def _first_cell(path: Path) -> str:
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _guide_section(number: int) -> str:
    start = NOTES.index(f"<!-- lesson {number:02d} -->")
    end = NOTES.find("<!-- lesson ", start + 1)
    return NOTES[start:end if end != -1 else None]


def _notebook(lesson) -> Path:
    path = ROOT / "lessons" / lesson["file"]
    if not path.exists():
        pytest.skip(f"{lesson['file']} is not written yet")
    return path


@pytest.mark.parametrize("number, lesson", LESSONS, ids=IDS)
def test_stated_time_is_within_tolerance_of_the_rule(number, lesson):
    estimate = lesson_time.estimate(_notebook(lesson))
    stated = lesson["minutes"]
    assert abs(stated - estimate.total) <= lesson_time.TOLERANCE * estimate.total, (
        f"docs/course.toml says lesson {number} takes {stated} minutes, but by the rule of "
        f"docs/lesson_time.py its notebook takes {estimate.total:.0f} ({estimate.whole}); "
        f"state about {lesson_time.stated_minutes(estimate.total)} in course.toml, README, "
        "the notebook's first cell and docs/instructor_notes.md"
    )


@pytest.mark.parametrize("number, lesson", LESSONS, ids=IDS)
def test_notebook_states_the_course_time_in_one_style(number, lesson):
    first = _first_cell(_notebook(lesson))
    assert f"**Time:** about {lesson['minutes']} minutes." in first, (
        f"{lesson['file']}'s first cell should say '**Time:** about {lesson['minutes']} "
        f"minutes.' as docs/course.toml does; it says:\n{first}"
    )
    assert "Estimated time" not in first


@pytest.mark.parametrize("number, lesson", LESSONS, ids=IDS)
def test_instructor_guide_states_the_course_time(number, lesson):
    section = _guide_section(number)
    assert f"**Time:** about {lesson['minutes']} minutes" in section, (
        f"docs/instructor_notes.md's lesson {number} section should state "
        f"'**Time:** about {lesson['minutes']} minutes' for learners working alone"
    )
    assert section.count("**Time:**") == 1, (
        f"docs/instructor_notes.md's lesson {number} section states its time more than once"
    )


@pytest.mark.parametrize("number, lesson", LESSONS, ids=IDS)
def test_a_long_lesson_marks_optional_sections_and_the_plan_skips_them(number, lesson):
    path = _notebook(lesson)
    estimate = lesson_time.estimate(path)
    if estimate.total <= lesson_time.LONG_LESSON:
        return
    assert estimate.optional_headings, (
        f"{lesson['file']} takes {estimate.total:.0f} minutes by the rule, over "
        f"{lesson_time.LONG_LESSON}: mark sections that can be skipped with a heading ending "
        "in '(optional)'"
    )
    assert estimate.core <= lesson_time.LONG_LESSON, (
        f"{lesson['file']} without its optional sections still takes {estimate.core:.0f} "
        f"minutes, over {lesson_time.LONG_LESSON}"
    )
    core = lesson_time.stated_minutes(estimate.core)
    first = _first_cell(path)
    said = re.search(r"without them the lesson takes about (\d+) minutes", first)
    assert said, f"{lesson['file']}'s first cell should say how long the lesson takes without them"
    assert abs(int(said.group(1)) - estimate.core) <= lesson_time.TOLERANCE * estimate.core, (
        f"{lesson['file']} says its core takes {said.group(1)} minutes; the rule says {core}"
    )
    section = _guide_section(number)
    for heading in estimate.optional_headings:
        title = re.sub(r"^\d+\.\s*", "", heading.removesuffix("(optional)").strip())
        assert title in section, (
            f"docs/instructor_notes.md's 50-minute plan for lesson {number} should say to skip "
            f"the optional section {heading!r}"
        )


def _write(tmp_path, cells) -> Path:
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [],
            "execution_count": None}


def test_the_rule_counts_words_code_exercises_and_sliders(tmp_path):
    words = " ".join(["word"] * 240)
    path = _write(tmp_path, [
        _md("# A lesson\n" + words),
        _code("x = 1\nprint(x)"),
        _code("answer = 2\nex.something.check(answer)"),
        _code("widgets.bias_explorer(weight=2.0, bias=0.0)"),
        _code("from nnlib.outlier_explorer import outlier_explorer\n\n"
              "outlier_explorer(outlier=9.0)"),
    ])
    e = lesson_time.estimate(path)
    counts = (e.whole.words, e.whole.code_cells, e.whole.exercises, e.whole.sliders)
    assert counts == (243, 4, 1, 2)
    expected = (243 / lesson_time.WORDS_PER_MINUTE + 4 * lesson_time.MINUTES_PER_CODE_CELL
                + lesson_time.MINUTES_PER_EXERCISE + 2 * lesson_time.MINUTES_PER_SLIDER)
    assert e.total == pytest.approx(expected)
    assert e.optional == 0 and e.optional_headings == ()


def test_an_optional_section_ends_at_the_next_heading_of_its_level(tmp_path):
    path = _write(tmp_path, [
        _md("## 1. Core\n" + " ".join(["a"] * 120)),
        _md("## 2. Extra (optional)\n" + " ".join(["b"] * 120) + "\n### A part of it\nmore"),
        _code("ex.extra.check(1)"),
        _md("## 3. Core again\nend"),
        _code("print(3)"),
    ])
    e = lesson_time.estimate(path)
    assert e.optional_headings == ("2. Extra (optional)",)
    # 4 + 120 + 5 + 1 words, one code cell and one exercise are optional
    assert e.optional_part == lesson_time.Part(words=130, code_cells=1, exercises=1)
    assert e.core == pytest.approx(e.total - e.optional)
    assert e.core == pytest.approx((3 + 120 + 4 + 1) / lesson_time.WORDS_PER_MINUTE + 1)


def test_the_rule_refuses_what_is_not_a_notebook(tmp_path):
    with pytest.raises(ValueError, match="expected the path of a notebook"):
        lesson_time.estimate(tmp_path / "missing.ipynb")
    (tmp_path / "notes.md").write_text("# not a notebook")
    with pytest.raises(ValueError, match="notes.md"):
        lesson_time.estimate(tmp_path / "notes.md")
