"""Graded mode: answers refused, feedback kept; the graded wheel ships no solutions."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nnlib.exercises import AnswersHidden, graded, lesson_exercises, lesson_numbers
from nnlib.exercises import lesson01 as ex01

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

import build_instructor_guide  # noqa: E402


@pytest.fixture
def graded_mode(monkeypatch):
    monkeypatch.setenv(graded.GRADED_ENV, "1")
    assert graded.is_graded()


def test_off_by_default(monkeypatch):
    monkeypatch.delenv(graded.GRADED_ENV, raising=False)
    assert not graded.is_graded() and graded.graded_reason() is None
    assert "answer =" in repr(ex01.count_weights.solution())


@pytest.mark.parametrize("value", ["0", "", "no"])
def test_only_a_yes_switches_it_on(monkeypatch, value):
    monkeypatch.setenv(graded.GRADED_ENV, value)
    assert not graded.is_graded()


def test_everything_that_reveals_an_answer_refuses(graded_mode):
    exercise = ex01.count_weights
    for reveal in (exercise.solution, exercise.solve, exercise.solution_code,
                   lambda: exercise.expected):
        with pytest.raises(AnswersHidden, match="runs as a graded assignment .*NNLIB_GRADED "
                                                "is set.*check\\(\\) still tells you"):
            reveal()
    with pytest.raises(AnswersHidden, match="instructor guide"):
        build_instructor_guide.render()


def test_check_and_hint_keep_working(graded_mode):
    exercise = ex01.count_weights
    assert exercise.check(3 * 5 + 5 * 2)
    assert "also counts the biases" in exercise.check(32).message
    assert exercise.check(...).status == "not attempted"
    assert repr(exercise.hint()).startswith("Hint: ")
    assert exercise.assert_correct(25)
    spec = exercise.spec()
    assert spec["solution"] is None and spec["test"] == "ex.count_weights.assert_correct(answer)"


def test_assignment_spec_outside_graded_mode(monkeypatch):
    from nnlib.exercises import assignment_specs

    monkeypatch.delenv(graded.GRADED_ENV, raising=False)
    specs = assignment_specs("01")
    assert [s["key"] for s in specs] == [e.key for e in ex01.EXERCISES]
    first = specs[0]
    assert set(first) == {"key", "lesson", "title", "question", "points", "form", "hint",
                          "solution", "test"}
    assert first["lesson"] == "01" and first["points"] == 1 and "answer =" in first["solution"]
    assert first["form"] == "a whole number"


def test_no_lesson_module_holds_its_solution_text():
    """Solutions live in nnlib/exercises/solutions/, so that the graded build leaves them out."""
    assert graded._inline_solutions() == []


def _solution_texts():
    texts = []
    for lesson in lesson_numbers():
        for exercise in lesson_exercises(lesson):
            texts.append(exercise.solution_code())
    return texts


def test_graded_wheel_has_no_solutions_and_refuses_them_when_installed(tmp_path):
    wheel = graded.build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        contents = {name: archive.read(name) for name in names}
    assert "nnlib/exercises/GRADED" in names and "nnlib/exercises/lesson01.py" in names
    assert not [n for n in names if "/solutions/" in n or n.endswith(".pyc")]
    everything = b"\n".join(contents.values()).decode("utf-8", errors="replace")
    for text in _solution_texts():
        assert text.strip() not in everything
    record = contents[next(n for n in names if n.endswith("/RECORD"))].decode()
    assert all(n in record for n in names)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(target), str(wheel)], check=True)
    script = (
        "import nnlib, sys\n"
        f"assert nnlib.__file__.startswith({str(target)!r}), nnlib.__file__\n"
        "from nnlib.exercises import lesson01 as ex, AnswersHidden\n"
        "print(ex.count_weights.check(25))\n"
        "try:\n"
        "    ex.count_weights.solution()\n"
        "except AnswersHidden as refusal:\n"
        "    print('refused:', refusal)\n"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True)
    assert "[correct] 25 is right." in run.stdout
    assert "refused: The solution of 'count_weights' is not available" in run.stdout
    assert "graded build" in run.stdout
    status = subprocess.run([sys.executable, "-m", "nnlib.exercises.graded", "status"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert status.stdout.startswith("graded: this installation of nnlib is a graded build")


def test_the_graded_build_refuses_to_build_again(monkeypatch, tmp_path):
    monkeypatch.setattr(graded.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(AnswersHidden, match="already a graded build"):
        graded.build_wheel(tmp_path)


def test_command_line_usage():
    run = subprocess.run([sys.executable, "-m", "nnlib.exercises.graded"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 2 and "build-wheel OUT_DIR" in run.stderr
