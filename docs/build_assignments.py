"""Build the graded versions of the lessons: an nbgrader course directory.

    python docs/build_assignments.py [--out build/nbgrader] [--lesson 02 ...] [--no-release]

writes ``<out>/source/<lesson>/<lesson>.ipynb`` for every lesson that has
exercises, then runs nbgrader's own ``generate_assignment``, which writes
``<out>/release/<lesson>/<lesson>.ipynb`` without the solutions and hidden tests
(and records each assignment in ``<out>/gradebook.db``).

Nothing is kept by hand. Each source notebook is the lesson notebook itself
(lessons/NN_topic.ipynb) with nbgrader cell metadata added from the lesson's
exercise specs (``nnlib.exercises.assignment_specs``):

- every markdown cell and the setup cell are locked (read-only) instruction cells;
- each exercise cell becomes a solution cell: the learner's stub from the lesson,
  then the spec's solution code between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION``, then the lesson's instant ``check`` (in graded mode
  ``solution()`` refuses, so its mention is dropped);
- after it comes a locked, autograded test cell worth the spec's ``points``:
  ``ex.<key>.assert_correct(answer)`` (it fails with nnlib's "[not yet] ..."
  reason), plus a hidden test between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS`` that checks the answer again against a freshly
  loaded copy of the exercise, so a notebook that replaced ``ex`` or its checks
  does not pass.

A lesson whose exercise cells and specs disagree (an exercise without a cell,
a cell for an exercise the module does not list, one used twice) stops the
build with the reason: the graded version cannot drift from the lesson.

The build needs the full package (with the solutions); graded mode must be off.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
DEFAULT_OUT = ROOT / "build" / "nbgrader"
COURSE_ID = "nnlib-course"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

# nbgrader_config.py of the course directory. The solution region is replaced
# by nothing: the lesson's own stub (answer = ... and any def skeleton) stays
# above it, so a released exercise cell reads exactly like the lesson's.
# Outputs of the lesson's demonstration cells are kept (learners see every
# picture before running anything, as in the lessons); exercise and test cells
# are stored without outputs.
NBGRADER_CONFIG = '''\
# nbgrader configuration of the course (written by docs/build_assignments.py).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.root = {root!r}
c.ClearSolutions.code_stub = {{"python": ""}}
c.ClearOutput.enabled = False
# Autograding runs every lesson top to bottom; training cells need more than 30 s
# on a busy machine.
c.ExecutePreprocessor.timeout = 600
c.Execute.timeout = 600
# Feedback shows each learner their graded notebook with nnlib's reasons, but
# not the hidden tests: their code is cleared, and an autograded cell's error
# shows as its last line ("AssertionError: [not yet] ..."), not as a traceback
# whose context lines would quote the hidden tests.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor  # noqa: E402
from nbgrader.utils import is_grade  # noqa: E402


class ReasonOnly(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, index):
        if is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{{output['ename']}}: {{output['evalue']}}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ReasonOnly,
                                    CSSHTMLHeaderPreprocessor]
'''

SETUP_IMPORT = re.compile(r"^from nnlib\.exercises import (lesson\d\d) as (\w+)$", re.M)


class DriftError(ValueError):
    """A lesson's exercise cells and its exercise specs disagree."""


def lessons_with_exercises() -> list[Path]:
    """Lesson notebooks whose setup cell imports an exercise module, in order."""
    found = []
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(SETUP_IMPORT.search(c.source) for c in nb.cells if c.cell_type == "code"):
            found.append(path)
    return found


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3}
    if grade:
        meta["points"] = points
    return meta


def _solution_cell(cell, spec: dict, module: str) -> nbformat.NotebookNode:
    """The exercise cell with the spec's solution inserted above its check line."""
    key = spec["key"]
    check_line = f"{module}.{key}.check(answer)"
    lines = cell.source.split("\n")
    at = [i for i, line in enumerate(lines) if line.strip() == check_line]
    if len(at) != 1:
        raise DriftError(f"the cell of exercise {key!r} must have one line {check_line!r}")
    if spec["solution"] is None:
        raise RuntimeError("graded mode is on, so the exercise specs carry no solutions: "
                           "build the assignments from the full package (unset NNLIB_GRADED)")
    stub = lines[:at[0]]
    rest = [line.replace(f"   {module}.{key}.solution()", "") for line in lines[at[0]:]]
    source = "\n".join([*stub, BEGIN_SOLUTION, spec["solution"].strip("\n"), END_SOLUTION,
                        *rest])
    new = nbformat.v4.new_code_cell(source, metadata=copy.deepcopy(cell.metadata))
    new.metadata["nbgrader"] = _meta(f"answer_{key}", solution=True)
    return new


def _test_cell(spec: dict, module: str, exercise_module: str) -> nbformat.NotebookNode:
    key, points = spec["key"], spec["points"]
    source = "\n".join([
        f"# Autograded: {spec['title']} ({points} point{'s' if points != 1 else ''}). "
        "Run it after your answer.",
        spec["test"] if module == "ex" else f"{module}.{key}.assert_correct(answer)",
        BEGIN_HIDDEN,
        "# checked again with a freshly loaded copy of the exercise, whatever the notebook "
        f"did to {module}",
        "import importlib",
        f'fresh = importlib.reload(importlib.import_module("{exercise_module}"))',
        f"fresh.{key}.assert_correct(answer)",
        END_HIDDEN,
    ])
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = _meta(f"test_{key}", grade=True, locked=True, points=points)
    return cell


def assignment_notebook(lesson_path: Path) -> nbformat.NotebookNode:
    """The nbgrader source version of one lesson (see the module docstring)."""
    from nnlib.exercises import assignment_specs

    nb = nbformat.read(lesson_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    found = SETUP_IMPORT.search(code[0].source) if code else None
    if not found:
        raise DriftError(f"{lesson_path.name}: its first code cell (the setup) does not import "
                         "its exercises as `from nnlib.exercises import lessonNN as ex`")
    exercise_module, module = f"nnlib.exercises.{found.group(1)}", found.group(2)
    specs = {spec["key"]: spec for spec in assignment_specs(found.group(1)[len("lesson"):])}
    pattern = re.compile(rf"^{re.escape(module)}\.(\w+)\.check\(answer\)\s*$", re.M)

    cells, used, locked = [], [], 0
    for cell in nb.cells:
        keys = pattern.findall(cell.source) if cell.cell_type == "code" else []
        if len(keys) > 1:
            raise DriftError(f"{lesson_path.name}: one cell checks several exercises: {keys}")
        if keys:
            key = keys[0]
            if key not in specs:
                raise DriftError(f"{lesson_path.name}: a cell checks {module}.{key}, which "
                                 f"{exercise_module} does not list (it has {sorted(specs)})")
            if key in used:
                raise DriftError(f"{lesson_path.name}: exercise {key!r} is checked in two cells")
            used.append(key)
            cells += [_solution_cell(cell, specs[key], module),
                      _test_cell(specs[key], module, exercise_module)]
            continue
        is_setup = cell is code[0]
        cell = copy.deepcopy(cell)
        if cell.cell_type == "markdown" or is_setup:
            locked += 1
            cell.metadata["nbgrader"] = _meta(f"locked_{locked:02d}", locked=True)
        cells.append(cell)
    missing = [key for key in specs if key not in used]
    if missing:
        raise DriftError(f"{lesson_path.name}: {exercise_module} lists {missing}, but no cell of "
                         f"the lesson checks them ({module}.<key>.check(answer))")
    if used != [key for key in specs if key in used]:
        raise DriftError(f"{lesson_path.name}: exercises appear in the order {used}, the "
                         f"module lists them as {list(specs)}")
    source = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata), cells=cells)
    nbformat.validate(source)
    return source


def build(out: Path = DEFAULT_OUT, lessons=None, release: bool = True,
          drifted: dict | None = None) -> list[str]:
    """Write the course directory at ``out``; returns the assignment names.

    A lesson that has drifted from its specs raises ``DriftError``; given a dict
    ``drifted``, its name and the error go there instead and the other lessons
    are built.
    """
    out = Path(out).resolve()
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(course_id=COURSE_ID,
                                                                   root=str(out)))
    paths = lessons_with_exercises()
    if lessons:
        paths = [p for p in paths if p.name[:2] in lessons]
        unknown = sorted(set(lessons) - {p.name[:2] for p in paths})
        if unknown:
            raise ValueError(f"no lesson with exercises numbered {unknown}; there are "
                             f"{[p.name[:2] for p in lessons_with_exercises()]}")
    names = []
    for path in paths:
        name = path.stem
        try:
            notebook = assignment_notebook(path)
        except DriftError as error:
            if drifted is None:
                raise
            drifted[name] = error
            continue
        folder = out / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
        names.append(name)
    if release:
        with tempfile.TemporaryDirectory() as exchange:  # generating needs no exchange
            api = course_api(out, Exchange={"root": exchange})
            for name in names:
                generate_assignment(out, name, api)
    return names


def course_api(course_dir: Path, **settings):
    """nbgrader's Python API (``NbGraderAPI``) for the course directory ``course_dir``.

    It reads the course's ``nbgrader_config.py``; ``settings`` override it, as
    ``{"Exchange": {"root": "/srv/nbgrader/exchange"}}``. This is the same code
    the ``nbgrader`` commands run, in one process (each command would import
    nbgrader again, which takes seconds).
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.merge(Config(settings))
    config.CourseDirectory.root = str(course_dir)
    _put_bin_on_path()
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _put_bin_on_path() -> None:
    """nbgrader runs ``alembic`` (its database migrations) from PATH: use this environment's."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def checked(result: dict, what: str) -> dict:
    """An NbGraderAPI result, or RuntimeError with nbgrader's log if it failed."""
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('log', '')[-4000:]}\n"
                           f"{result.get('error', '')[-4000:]}")
    return result


def generate_assignment(course_dir: Path, name: str, api=None) -> Path:
    """nbgrader's generate_assignment: release/<name>/ without solutions and hidden tests."""
    api = api or course_api(course_dir)
    checked(api.generate_assignment(name, force=True), f"generate_assignment {name}")
    released = Path(course_dir) / "release" / name / f"{name}.ipynb"
    text = released.read_text()
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
        if marker in text:
            raise RuntimeError(f"{released} still contains {marker!r}")
    return released


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="the course directory (default: build/nbgrader)")
    parser.add_argument("--lesson", action="append", metavar="NN",
                        help="only this lesson (repeatable), e.g. --lesson 02")
    parser.add_argument("--no-release", action="store_true",
                        help="write source/ only, without running generate_assignment")
    args = parser.parse_args(argv)
    drifted = {}
    names = build(args.out, args.lesson, release=not args.no_release, drifted=drifted)
    where = args.out.resolve()
    print(f"{len(names)} assignments in {where}/source" +
          ("" if args.no_release else f", released to {where}/release") + ":")
    for name in names:
        print(f"  {name}")
    for name, error in drifted.items():
        print(f"NOT BUILT {name}: {error}", file=sys.stderr)
    return 1 if drifted else 0


if __name__ == "__main__":
    raise SystemExit(main())
