"""The instructor guide is up to date with the exercises and covers every lesson."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

import build_instructor_guide  # noqa: E402

from nnlib.exercises import lesson_exercises  # noqa: E402

LESSONS = sorted(p.name[:2] for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def test_guide_matches_the_exercise_solutions():
    committed = build_instructor_guide.GUIDE.read_text(encoding="utf-8")
    assert committed == build_instructor_guide.render(), (
        "docs/instructors.md is out of date: run `make guide` (or "
        "python docs/build_instructor_guide.py) and commit the result"
    )


def test_guide_has_every_part_for_every_lesson():
    guide = build_instructor_guide.GUIDE.read_text(encoding="utf-8")
    sections = guide.split("\n## Lesson ")[1:]
    assert [s[:2].rstrip(":") for s in sections] == [n.lstrip("0") for n in LESSONS]
    for lesson, section in zip(LESSONS, sections, strict=True):
        for part in ("**Goals.**", "**Plan for 50 minutes.**", "**Misconceptions",
                     "**Discussion questions.**", "**Answers to the exercises.**"):
            assert part in section, f"lesson {lesson} lacks {part}"
        for exercise in lesson_exercises(lesson):
            assert f"*{exercise.key}*" in section, f"lesson {lesson} lacks {exercise.key}"


def test_guide_explains_running_a_class_and_regenerating_outputs():
    guide = build_instructor_guide.GUIDE.read_text(encoding="utf-8")
    for topic in ("JupyterHub", "Binder", "Colab", "nbconvert --to notebook --execute"):
        assert topic in guide
