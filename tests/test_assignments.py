"""Graded assignments, proven with nbgrader itself.

One course directory per test session is built by docs/build_assignments.py
(source/ from the lessons and the exercise specs, release/ by nbgrader's
generate_assignment). Then, for every lesson, three learners go through
nbgrader's real exchange and grading path, each lesson in its own copy of the
course (its own gradebook and exchange), lessons in parallel processes:
release_assignment -> fetch_assignment -> (the learner's edits) -> submit ->
collect -> autograde -> generate_feedback. The learners:

- ``handed_out`` submits the release as handed out: 0 points;
- ``solutions`` fills every answer cell with the spec's solution: full points;
- ``typical`` makes a typical mistake in the first exercise, solves the second
  and leaves the rest: exactly the second exercise's points, and the feedback
  nbgrader writes keeps nnlib's reason ("[not yet] ...").
"""

from __future__ import annotations

import html
import importlib
import multiprocessing
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
import build_assignments as ba  # noqa: E402

# A typical wrong attempt at each lesson's first exercise (code a learner writes).
TYPICAL_MISTAKE = {
    "01": "answer = 3 + 5 + 2  # counted the nodes",
    "02": "x = np.array([0.2, 0.7, 1.0])\nw = np.array([1.5, -0.5, 0.8])\n"
          "answer = np.sum(x + w)",
    "03": "x = np.array([0.5, -1.0, 2.0])\nw = np.array([0.4, 0.3, -0.2])\nanswer = x @ w",
    "04": "outputs = np.array([0.8, 0.3, 0.6])\nlabels = np.array([1.0, 0.0, 1.0])\n"
          "answer = (outputs - labels).sum()",
    "05": "a, y = 0.3, 1.0\nanswer = a - y",
    "06": "answer = 100.0",
    "07": "answer = {'xor'}",
    "08": "answer = 64 * 32 + 32 * 10  # weights only",
    "09": "def sigmoid_backward(grad_A, Z, A):\n    return grad_A * Z * (1 - Z)\n\n"
          "answer = sigmoid_backward",
}
STUDENTS = ("handed_out", "solutions", "typical")
WORKERS = 2  # the machine's cores: autograding is mostly the lessons' own computing


def _without_markers(source: str) -> str:
    markers = (ba.BEGIN_SOLUTION, ba.END_SOLUTION)
    return "\n".join(line for line in source.split("\n") if line.strip() not in markers)


def _with_answer(source: str, code: str) -> str:
    """The source cell with its solution region replaced by ``code``."""
    lines = source.split("\n")
    begin, end = lines.index(ba.BEGIN_SOLUTION), lines.index(ba.END_SOLUTION)
    return "\n".join([*lines[:begin], code, *lines[end + 1:]])


def _answer_cells(nb) -> dict:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def learner_edits(student: str, fetched, source, lesson: str) -> None:
    """What each learner does to the fetched notebook before submitting it."""
    if student == "handed_out":
        return
    source_cells = _answer_cells(source)
    ids = list(source_cells)
    for grade_id, cell in _answer_cells(fetched).items():
        solution = _without_markers(source_cells[grade_id].source)
        if student == "solutions":
            cell.source = solution
        elif grade_id == ids[0]:
            cell.source = _with_answer(source_cells[grade_id].source, TYPICAL_MISTAKE[lesson])
        elif grade_id == ids[1]:
            cell.source = solution


def grade_lesson(course: Path, name: str) -> dict:
    """One lesson through nbgrader, in its own copy of the course; returns what it gave."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    started = time.monotonic()
    work = course.parent / f"grading-{name}"
    for part in ("source", "release"):
        shutil.copytree(course / part / name, work / part / name)
    shutil.copy(course / "nbgrader_config.py", work)
    exchange = work / "exchange"
    exchange.mkdir()
    api = ba.course_api(work, Exchange={"root": str(exchange)})
    ba.checked(api.generate_assignment(name, force=True), "generate_assignment")  # gradebook
    ba.checked(api.release_assignment(name), "release_assignment")
    source = nbformat.read(work / "source" / name / f"{name}.ipynb", as_version=4)
    for student in STUDENTS:
        home = work / "home" / student
        home.mkdir(parents=True)
        coursedir = CourseDirectory(config=api.config, root=str(work), assignment_id=name,
                                    student_id=student)
        for step in ("FetchAssignment", "Submit"):
            app = getattr(api.exchange, step)(coursedir=coursedir, parent=api,
                                              authenticator=api.authenticator)
            app.assignment_dir = str(home)
            if step == "Submit":
                path = home / name / f"{name}.ipynb"
                fetched = nbformat.read(path, as_version=4)
                learner_edits(student, fetched, source, name[:2])
                nbformat.write(fetched, path)
            ba.checked(capture_log(app), f"{step} by {student}")
    ba.checked(api.collect(name), "collect")
    for student in STUDENTS:
        ba.checked(api.autograde(name, student), f"autograde of {student}")
    ba.checked(api.generate_feedback(name), "generate_feedback")
    scores, feedback = {}, {}
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for student in STUDENTS:
            notebook = gradebook.find_submission_notebook(name, name, student)
            scores[student] = {g.name: g.score for g in notebook.grades}
            html_file = work / "feedback" / student / name / f"{name}.html"
            feedback[student] = html_file.read_text()
    released = (work / "release" / name / f"{name}.ipynb").read_text()
    return {"scores": scores, "feedback": feedback, "released": released,
            "seconds": time.monotonic() - started}


LESSONS = [p.stem for p in ba.lessons_with_exercises()]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build the course once, then grade every lesson's three submissions, in parallel."""
    course = tmp_path_factory.mktemp("course") / "nbgrader"
    started = time.monotonic()
    drifted = {}
    markdown = {name: _markdown(ROOT / "lessons" / f"{name}.ipynb") for name in LESSONS}
    names = ba.build(course, drifted=drifted)
    built = time.monotonic() - started
    # fresh worker processes (a forked copy of this one would share its zmq state)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        results = dict(zip(names, pool.map(grade_lesson, [course] * len(names), names),
                           strict=True))
    total = time.monotonic() - started
    print(f"\nbuilt {len(names)} assignments in {built:.0f} s; graded 3 submissions each in "
          f"{total - built:.0f} s ({WORKERS} in parallel): "
          + ", ".join(f"{n[:2]} {r['seconds']:.0f} s" for n, r in results.items()))
    return {"course": course, "results": results, "drifted": drifted, "markdown": markdown}


def _markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def _expected_reason(lesson: str, key: str) -> str:
    """nnlib's own verdict on the typical mistake, computed here."""
    namespace = {"np": np, "nnlib": nnlib}
    exec(TYPICAL_MISTAKE[lesson], namespace)
    module = importlib.import_module(f"nnlib.exercises.lesson{lesson}")
    return repr(getattr(module, key).check(namespace["answer"]))


def _text(page: str) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_lesson_with_exercises_has_a_typical_mistake():
    missing = [name for name in LESSONS if name[:2] not in TYPICAL_MISTAKE]
    assert not missing, f"add a typical wrong attempt for {missing} to TYPICAL_MISTAKE"


def test_source_notebooks_carry_nbgrader_metadata_on_every_exercise(graded):
    from nnlib.exercises import assignment_specs

    for name in graded["results"]:
        nb = nbformat.read(graded["course"] / "source" / name / f"{name}.ipynb", as_version=4)
        meta = {c.metadata["nbgrader"]["grade_id"]: (c, c.metadata["nbgrader"])
                for c in nb.cells if "nbgrader" in c.metadata}
        for spec in assignment_specs(name[:2]):
            answer, answer_meta = meta[f"answer_{spec['key']}"]
            test, test_meta = meta[f"test_{spec['key']}"]
            assert answer_meta["solution"] and not answer_meta["grade"]
            assert spec["solution"].strip() in answer.source
            assert ba.BEGIN_SOLUTION in answer.source and ba.END_SOLUTION in answer.source
            assert test_meta["grade"] and test_meta["locked"]
            assert test_meta["points"] == spec["points"]
            assert ba.BEGIN_HIDDEN in test.source and ba.END_HIDDEN in test.source
        instructions = [c for c in nb.cells if c.cell_type == "markdown"]
        assert all(c.metadata["nbgrader"]["locked"] for c in instructions)
        # the lesson's text, word for word (as it was when the course was built)
        assert [c.source for c in instructions] == graded["markdown"][name]


@pytest.mark.parametrize("name", LESSONS)
def test_autograde_release_solutions_and_a_typical_mistake(graded, name):
    from nnlib.exercises import assignment_specs

    assert name not in graded["drifted"], f"{name} was not built: {graded['drifted'][name]}"
    result = graded["results"][name]
    specs = assignment_specs(name[:2])
    points = {f"test_{s['key']}": s["points"] for s in specs}
    for spec in specs:  # the release has no solutions and no hidden tests
        assert spec["solution"].strip() not in result["released"]
    for marker in (ba.BEGIN_SOLUTION, ba.BEGIN_HIDDEN, "fresh = importlib.reload"):
        assert marker not in result["released"]

    scores = result["scores"]
    assert scores["handed_out"] == dict.fromkeys(points, 0.0)
    assert scores["solutions"] == {k: float(v) for k, v in points.items()}
    second = f"test_{specs[1]['key']}"
    assert scores["typical"] == {k: float(v) if k == second else 0.0
                                 for k, v in points.items()}
    print(f"\n{name}: handed out {sum(scores['handed_out'].values()):g}, "
          f"solutions {sum(scores['solutions'].values()):g}, "
          f"typical mistake {sum(scores['typical'].values()):g} of {sum(points.values())} points")

    typical = _text(result["feedback"]["typical"])
    reason = _expected_reason(name[:2], specs[0]["key"])
    assert reason.startswith("[not yet] ")
    assert reason in typical, f"the feedback lost nnlib's reason {reason!r}"
    assert "[not attempted]" in typical
    assert "[not attempted]" in _text(result["feedback"]["handed_out"])
    for page in result["feedback"].values():  # feedback does not give the hidden tests away
        assert ba.BEGIN_HIDDEN not in page and "fresh = importlib.reload" not in page
