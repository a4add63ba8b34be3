"""Exercise checks with instant feedback.

Each lesson's exercises live in ``nnlib.exercises.lessonNN`` as ``Exercise``
objects. In a notebook::

    from nnlib.exercises import lesson02 as ex
    answer = ...            # the learner replaces ... with their answer
    ex.weighted_sum.check(answer)
    ex.weighted_sum.hint()
    ex.weighted_sum.solution()

``check`` returns a ``Feedback`` that prints one of three verdicts:
correct; incorrect, with the reason (wrong value, wrong shape, wrong type);
or not attempted (the ``...`` placeholder is still there). Numbers and arrays
are compared with a tolerance.
"""

from __future__ import annotations

import importlib
import importlib.resources
import numbers
import sys

import numpy as np

from nnlib.exercises import record

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
_MARK = {CORRECT: "[correct]", INCORRECT: "[not yet]", NOT_ATTEMPTED: "[not attempted]"}


class Feedback:
    """The verdict of a check: ``status`` and a ``message``; truthy when correct."""

    def __init__(self, status: str, message: str):
        self.status = status
        self.message = message

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"{_MARK[self.status]} {self.message}"


class Text:
    """A piece of text that displays as itself (used for hints and solutions)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _type_name(x) -> str:
    if isinstance(x, np.ndarray):
        return f"a numpy array of shape {x.shape}"
    name = type(x).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def compare(answer, expected, tolerance: float = 1e-6) -> Feedback:
    """Compare an answer with the expected value: numbers, arrays, bools or strings."""
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected.item()  # a 0-d array holds a single number (or bool)
    if isinstance(expected, (bool, np.bool_)) or isinstance(expected, str):
        if type(answer) is not type(expected) and not (
            isinstance(expected, (bool, np.bool_)) and isinstance(answer, (bool, np.bool_))
        ):
            return Feedback(INCORRECT, f"expected {_type_name(expected)}, got {_type_name(answer)}")
        if answer == expected:
            return Feedback(CORRECT, "well done.")
        return Feedback(INCORRECT, f"{answer!r} is not the answer; have another look.")
    if _is_number(expected):
        if isinstance(answer, np.ndarray) and answer.size == 1:
            answer = answer.item()
        if not _is_number(answer):
            return Feedback(INCORRECT, f"expected a single number, got {_type_name(answer)}")
        if not np.isfinite(answer):
            return Feedback(INCORRECT, f"your answer is {answer}, not a finite number")
        diff = float(answer) - float(expected)
        if abs(diff) <= tolerance * max(1.0, abs(float(expected))):
            return Feedback(CORRECT, f"{float(answer):.6g} is right.")
        direction = "too high" if diff > 0 else "too low"
        return Feedback(INCORRECT, f"{float(answer):.6g} is {direction} "
                                   f"(tolerance {tolerance:g}).")
    expected = np.asarray(expected)
    if isinstance(answer, (list, tuple)):
        try:
            answer = np.asarray(answer)
        except ValueError:
            return Feedback(INCORRECT, f"expected an array of shape {expected.shape}, got "
                                       f"{_type_name(answer)} whose rows differ in length")
    if not isinstance(answer, np.ndarray):
        return Feedback(INCORRECT,
                        f"expected an array of shape {expected.shape}, got {_type_name(answer)}")
    if answer.shape != expected.shape:
        return Feedback(INCORRECT, f"expected shape {expected.shape}, got {answer.shape}")
    if not np.issubdtype(answer.dtype, np.number):
        return Feedback(INCORRECT, f"expected numbers, got an array of dtype {answer.dtype}")
    close = np.isclose(answer, expected, rtol=tolerance, atol=tolerance)
    if close.all():
        return Feedback(CORRECT, f"all {expected.size} values are right.")
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    where = f"index {first}" if first else "the value"
    return Feedback(INCORRECT, f"{int((~close).sum())} of {expected.size} values are off "
                               f"(tolerance {tolerance:g}); first at {where}: "
                               f"yours is {answer[first]:.6g}.")


class Exercise:
    """One exercise: a question, how to check an answer, a hint and a solution.

    Give exactly one way to check:

    - ``expected``: the right value (number, array, bool, string), or a
      function of no arguments that computes it (so it comes from nnlib
      itself, never typed in by hand);
    - ``reference`` + ``inputs``: the answer is a function; it is called on each
      input (a tuple of arguments) and compared with ``reference``;
    - ``check``: a function ``check(answer) -> Feedback`` for anything else.
    """

    def __init__(self, key, question, *, expected=None, reference=None, inputs=None,
                 check=None, tolerance=1e-6, hint="", solution=""):
        ways = sum(x is not None for x in (expected, reference, check))
        if ways != 1:
            raise ValueError("give exactly one of expected=, reference= or check=")
        if reference is not None and not inputs:
            raise ValueError("reference= needs inputs= (a list of argument tuples)")
        self.key = key
        self.question = question
        self._expected = expected
        self._reference = reference
        self._inputs = inputs
        self._check = check
        self.tolerance = tolerance
        self._hint = hint
        self._solution = solution

    @property
    def expected(self):
        """The expected value (computed on first use), or None for function exercises."""
        if callable(self._expected):
            self._expected = self._expected()
        return self._expected

    def check(self, answer) -> Feedback:
        """Check ``answer``; the ``...`` placeholder (or None) counts as not attempted."""
        if answer is ... or answer is None:
            return Feedback(NOT_ATTEMPTED,
                            "replace the ... with your answer, then run this cell again.")
        if self._check is not None:
            verdict = self._check(answer)
        elif self._reference is not None:
            verdict = self._check_function(answer)
        else:
            verdict = compare(answer, self.expected, self.tolerance)
        if verdict:
            record.mark_done(self.lesson or "other", self.key)
        return verdict

    @property
    def lesson(self):
        """The lesson number ("02") whose module lists this exercise, if any."""
        prefix = "nnlib.exercises.lesson"
        for name, module in list(sys.modules.items()):
            if name.startswith(prefix) and self in getattr(module, "EXERCISES", ()):
                return name.removeprefix(prefix)
        return None

    def _check_function(self, answer) -> Feedback:
        if not callable(answer):
            return Feedback(INCORRECT, f"expected a function, got {_type_name(answer)}")
        for args in self._inputs:
            try:
                got = answer(*args)
            except Exception as exc:  # the learner's code: report, don't crash the lesson
                return Feedback(INCORRECT, f"your function raised {type(exc).__name__}: {exc} "
                                           f"for input {_short(args)}")
            verdict = compare(got, self._reference(*args), self.tolerance)
            if not verdict:
                return Feedback(INCORRECT, f"for input {_short(args)}: {verdict.message}")
        return Feedback(CORRECT, f"your function agrees on all {len(self._inputs)} test inputs.")

    def solve(self):
        """Run the solution code and return its ``answer`` (what the guide and tests use).

        The solution runs in a fresh namespace holding ``np`` and ``nnlib``;
        anything it prints is swallowed.
        """
        import contextlib
        import io

        import nnlib

        namespace = {"np": np, "nnlib": nnlib}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(self._solution, namespace)  # the project's own solution text, not user input
        return namespace["answer"]

    def hint(self) -> Text:
        return Text(f"Hint: {self._hint}")

    def solution(self) -> Text:
        return Text(f"Solution:\n{self._solution.strip()}")

    def __repr__(self) -> str:
        return f"Exercise {self.key}: {self.question}"


def _short(args) -> str:
    text = ", ".join(np.array2string(np.asarray(a), precision=3, threshold=6) for a in args)
    return text if len(text) < 80 else text[:77] + "..."


def lesson_exercises(lesson: str) -> list:
    """The exercises of lesson ``"02"`` (from ``nnlib.exercises.lesson02``), in order."""
    return list(importlib.import_module(f"nnlib.exercises.lesson{lesson}").EXERCISES)


def progress_summary(lessons=None) -> Text:
    """Which exercises you have passed, lesson by lesson, from the local progress file.

    ``lessons``: a lesson number such as ``"02"``, a list of them, or None for all.
    """
    if lessons is None:
        lessons = sorted(p.stem.removeprefix("lesson") for p in
                         importlib.resources.files("nnlib.exercises").iterdir()
                         if p.name.startswith("lesson") and p.name.endswith(".py"))
    elif isinstance(lessons, str):
        lessons = [lessons]
    done = record.load()
    lines = []
    for lesson in lessons:
        exercises = lesson_exercises(lesson)
        passed = [ex.key for ex in exercises if ex.key in done.get(lesson, set())]
        marks = "  ".join(f"[{'x' if ex.key in passed else ' '}] {ex.key}" for ex in exercises)
        lines.append(f"Lesson {lesson}: {len(passed)} of {len(exercises)} done   {marks}")
    state = "" if record.is_enabled() else " (recording is off)"
    lines.append(f"Progress file: {record.progress_file()}{state}")
    return Text("\n".join(lines))
