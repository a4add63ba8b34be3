"""Graded mode: when a lesson runs as an assignment, answers stay out of reach.

Graded mode is on when any of these holds:

- the environment variable ``NNLIB_GRADED`` is ``1`` (or ``true``/``yes``/``on``),
  e.g. set for every learner's server on a class hub;
- this copy of nnlib is a *graded build*: it has no ``nnlib/exercises/solutions/``
  package (and carries the marker file ``nnlib/exercises/GRADED``).

In graded mode ``Exercise.solution()``, ``Exercise.solve()``,
``Exercise.solution_code()``, ``Exercise.expected`` and the instructor-guide
builder refuse with ``AnswersHidden``; ``check()`` and ``hint()`` work as
always, so a learner still gets instant feedback.

Build the graded package (a wheel without the solution texts) for a hub's
single-user environment::

    python -m nnlib.exercises.graded build-wheel OUT_DIR    # prints the wheel's path
    python -m nnlib.exercises.graded status                  # graded or not, and why

or from Python: ``nnlib.exercises.graded.build_wheel(out_dir)``.

What graded mode can and cannot prevent
---------------------------------------
It removes the ready-made answers: the solution texts are not in the graded
package at all (not as source, not as compiled files), and nothing that
prints or runs a solution works. It cannot hide what the checks themselves
need: every expected value is *computed* by nnlib code that ships in the
package (that is what keeps the exercises honest), so a learner who reads
``nnlib/exercises/lessonNN.py`` and calls the same nnlib functions can work an
answer out, which is doing the exercise by other means. ``check()`` also
answers as often as it is asked, so an exercise with three choices can be
guessed. A learner who installs the full package from PyPI or from the
course's repository has the solutions: graded mode protects the environment
the hub gives, not the internet. Hidden tests that nbgrader runs at grading
time (not in the learner's kernel) are what make grades trustworthy; graded
mode keeps the learner's kernel from handing out the answers.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.util
import os
import sys
import zipfile
from pathlib import Path

GRADED_ENV = "NNLIB_GRADED"
MARKER = "GRADED"
_ON = {"1", "true", "yes", "on"}
_PACKAGE = Path(__file__).resolve().parent.parent  # the nnlib package folder


class AnswersHidden(RuntimeError):
    """Raised when something would reveal an answer while graded mode is on."""


def graded_reason() -> str | None:
    """Why graded mode is on (a sentence), or None when it is off."""
    if os.environ.get(GRADED_ENV, "").strip().lower() in _ON:
        return f"the environment variable {GRADED_ENV} is set"
    if (Path(__file__).parent / MARKER).exists():
        return "this installation of nnlib is a graded build"
    if importlib.util.find_spec("nnlib.exercises.solutions") is None:
        return "this installation of nnlib has no solutions"
    return None


def is_graded() -> bool:
    """True when lessons run as graded assignments (see the module docstring)."""
    return graded_reason() is not None


def refuse(what: str) -> None:
    """Raise ``AnswersHidden`` if graded mode is on; ``what`` names what was asked for."""
    reason = graded_reason()
    if reason is not None:
        raise AnswersHidden(
            f"{what} is not available: this lesson runs as a graded assignment ({reason}). "
            "check() still tells you whether your answer is right, and hint() still helps.")


def solution_text(lesson: str, key: str) -> str:
    """The solution code of exercise ``key`` of lesson ``lesson`` ("02"), from
    ``nnlib/exercises/solutions/lessonNN.py``; refuses in graded mode."""
    refuse(f"The solution of {key!r}")
    module = importlib.import_module(f"nnlib.exercises.solutions.lesson{lesson}")
    try:
        return module.SOLUTIONS[key]
    except KeyError:
        raise KeyError(f"nnlib/exercises/solutions/lesson{lesson}.py has no solution for "
                       f"{key!r}; it has {sorted(module.SOLUTIONS)}") from None


# ------------------------------------------------------------- the graded wheel
def _package_files():
    """(path inside the wheel, bytes) of every file of nnlib a graded build ships."""
    for path in sorted(_PACKAGE.rglob("*")):
        relative = path.relative_to(_PACKAGE.parent)
        parts = relative.parts
        if path.is_dir() or "__pycache__" in parts or path.suffix in {".pyc", ".pyo"}:
            continue
        if parts[:3] == ("nnlib", "exercises", "solutions"):
            continue
        yield relative.as_posix(), path.read_bytes()
    yield f"nnlib/exercises/{MARKER}", (b"This is a graded build of nnlib: it has no exercise "
                                        b"solutions. See nnlib/exercises/graded.py.\n")


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out_dir) -> Path:
    """Write ``nnlib-<version>-py3-none-any.whl`` without the solutions into ``out_dir``.

    The wheel holds every file of the nnlib package this module belongs to
    (its data too), minus ``nnlib/exercises/solutions/``, plus the ``GRADED``
    marker. Install it with ``pip install <wheel>`` into a learner environment;
    ``python -m nnlib.exercises.graded status`` there says "graded".
    """
    import nnlib

    if importlib.util.find_spec("nnlib.exercises.solutions") is None:
        raise AnswersHidden("this nnlib is already a graded build (no solutions): build the "
                            "graded wheel from the full course package")
    inline = _inline_solutions()
    if inline:
        raise ValueError("these exercises keep their solution text inside the lesson module, "
                         "so a graded wheel would still ship it; move each into "
                         "nnlib/exercises/solutions/lessonNN.py (SOLUTIONS[key]): "
                         + ", ".join(inline))
    version = nnlib.__version__
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"nnlib-{version}-py3-none-any.whl"
    info = f"nnlib-{version}.dist-info"
    metadata = (f"Metadata-Version: 2.1\nName: nnlib\nVersion: {version}\n"
                "Summary: nnlib, graded build (no exercise solutions)\n"
                "Requires-Python: >=3.11\nRequires-Dist: numpy>=2.0,<3\n"
                "Provides-Extra: plots\nRequires-Dist: matplotlib>=3.8; extra == \"plots\"\n"
                "Provides-Extra: widgets\nRequires-Dist: ipywidgets>=8.1; extra == \"widgets\"\n"
                "Requires-Dist: matplotlib>=3.8; extra == \"widgets\"\n").encode()
    wheel_text = (b"Wheel-Version: 1.0\nGenerator: nnlib.exercises.graded\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files = [*_package_files(), (f"{info}/METADATA", metadata), (f"{info}/WHEEL", wheel_text)]
    record = [_record_line(name, data) for name, data in files] + [f"{info}/RECORD,,"]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
        archive.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def _inline_solutions() -> list[str]:
    """"lessonNN.key" of every exercise that carries its solution text inline."""
    from nnlib.exercises import lesson_exercises, lesson_numbers

    return [f"lesson{lesson}.{exercise.key}" for lesson in lesson_numbers()
            for exercise in lesson_exercises(lesson) if exercise.has_inline_solution]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["build-wheel"] and len(argv) == 2:
        print(build_wheel(argv[1]))
        return 0
    if argv == ["status"]:
        reason = graded_reason()
        print(f"graded: {reason}" if reason else "not graded: solutions are available")
        return 0
    print("usage: python -m nnlib.exercises.graded build-wheel OUT_DIR\n"
          "       python -m nnlib.exercises.graded status", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
