"""What every lesson's exercises must do, for all lessons at once.

Each lesson NN has ``nnlib/exercises/lessonNN.py`` with an ``EXERCISES`` list.
Here: every solution passes its own check (without a warning), the ``...``
placeholder counts as not attempted, hints and solutions print, and the lesson
notebook checks every exercise, in order, with the placeholder still in place.
What a wrong answer is told is lesson-specific: see tests/test_exercises_lessonNN*.py.
"""

import importlib
import json
import re
import warnings
from pathlib import Path

import pytest

from nnlib.exercises import NOT_ATTEMPTED, Exercise, lesson_exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
LESSONS = [path.name[:2] for path in NOTEBOOKS]
ALL = [(lesson, exercise) for lesson in LESSONS for exercise in lesson_exercises(lesson)]
IDS = [f"{lesson}.{exercise.key}" for lesson, exercise in ALL]


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_at_least_two_exercises(lesson):
    exercises = lesson_exercises(lesson)
    assert len(exercises) >= 2
    assert len({e.key for e in exercises}) == len(exercises), "exercise keys must be unique"


@pytest.mark.parametrize("lesson, exercise", ALL, ids=IDS)
def test_solution_passes_its_check_without_a_warning(lesson, exercise):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = exercise.check(exercise.solve())
    assert verdict, f"{lesson}.{exercise.key}: {verdict!r}"
    assert repr(verdict).startswith("[correct] ")


@pytest.mark.parametrize("lesson, exercise", ALL, ids=IDS)
def test_placeholder_is_not_attempted(lesson, exercise):
    for placeholder in (..., None):
        verdict = exercise.check(placeholder)
        assert verdict.status == NOT_ATTEMPTED and not verdict
        assert repr(verdict).startswith("[not attempted] ")


@pytest.mark.parametrize("lesson, exercise", ALL, ids=IDS)
def test_question_hint_and_solution_print(lesson, exercise):
    assert len(exercise.question) > 20
    hint, solution = repr(exercise.hint()), repr(exercise.solution())
    assert hint.startswith("Hint: ") and len(hint) > len("Hint: ") + 10
    assert solution.startswith("Solution:\n") and "answer =" in solution


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_checks_every_exercise_in_order_with_the_placeholder(notebook):
    exercises = lesson_exercises(notebook.name[:2])
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code"]
    keys_in_order = []
    for cell in cells:
        source = "".join(cell["source"])
        for exercise in exercises:
            if f"ex.{exercise.key}.check(answer)" in source:
                keys_in_order.append(exercise.key)
                assert "answer = ...  # replace ... with " in source, source
                assert f"# ex.{exercise.key}.hint()   ex.{exercise.key}.solution()" in source
                text = "".join("".join(out.get("data", {}).get("text/plain", ""))
                               for out in cell["outputs"])
                assert text.startswith("[not attempted]"), (exercise.key, text)
    assert keys_in_order == [exercise.key for exercise in exercises]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_exercise_a_lesson_module_defines_is_listed(lesson):
    module = importlib.import_module(f"nnlib.exercises.lesson{lesson}")
    defined = [v for v in vars(module).values() if isinstance(v, Exercise)]
    assert {id(e) for e in defined} == {id(e) for e in module.EXERCISES}


def _numbers(text):
    """The numbers a text mentions, as absolute floats ("2.0" and "$z = 2$" both give 2.0)."""
    return {abs(float(n)) for n in re.findall(r"(?<![A-Za-z_.\d])\d+(?:\.\d+)?", text)}


#: Every lesson follows the question style.
QUESTION_STYLE = NOTEBOOKS


@pytest.mark.parametrize("notebook", QUESTION_STYLE, ids=lambda p: p.name)
def test_every_exercise_states_its_question_right_above_its_answer_cell(notebook):
    """One heading style, "### Exercise N: title", and every number the question needs."""
    exercises = lesson_exercises(notebook.name[:2])
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, exercise in enumerate(exercises, start=1):
        index = next(i for i, c in enumerate(cells) if c["cell_type"] == "code"
                     and f"ex.{exercise.key}.check(answer)" in "".join(c["source"]))
        above = cells[index - 1]
        text = "".join(above["source"])
        assert above["cell_type"] == "markdown", f"{exercise.key}: no question above its cell"
        heading = f"### Exercise {number}: {exercise.title}"
        assert text.startswith(heading + "\n"), f"{exercise.key}: {text[:60]!r} != {heading!r}"
        missing = _numbers(exercise.question) - _numbers(text)
        assert not missing, f"{exercise.key}: the question above the cell lacks {missing}"
        assert text.count("### Exercise") == 1
