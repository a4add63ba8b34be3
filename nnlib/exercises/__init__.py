"""Exercise checks with instant feedback.

Each lesson's exercises live in ``nnlib.exercises.lessonNN`` as ``Exercise``
objects, listed in order in ``EXERCISES``. In a notebook::

    from nnlib.exercises import lesson01 as ex
    answer = ...            # the learner replaces ... with their answer
    ex.count_weights.check(answer)
    ex.count_weights.hint()
    ex.count_weights.solution()

``check`` returns a ``Feedback`` that prints one of three verdicts: ``[correct]``;
``[not yet]`` with the reason (wrong value, which element is off, wrong form, a
typical slip named); or ``[not attempted]`` (the ``...`` placeholder is still there).

How an exercise is written (the spec)
-------------------------------------
An exercise *declares* what is right; the checking is done here, once::

    count_weights = Exercise(
        "count_weights",
        "A network has layer sizes [3, 5, 2]. How many weights does it have?",
        expected=lambda: Network.from_sizes([3, 5, 2], bias=None).n_parameters,
        form=WholeNumber(),
        slips=lambda: [
            (Network.from_sizes([3, 5, 2]).n_parameters, "that also counts the biases."),
            (3 + 5 + 2, "that is the number of nodes; weights sit on the edges."),
        ],
        points=1,
        hint="Two neighbouring layers of sizes a and b have a * b weights.",
    )

- ``expected``: the right value, or a function of no arguments that computes
  it *with nnlib* (called once, on first use), so the exercise and the library
  never disagree. For a ``Function`` form it is the reference function.
- ``form``: how an answer is read and compared (``nnlib.exercises.forms``):
  ``Number(tolerance)``, ``WholeNumber()``, ``Fraction()``, ``Pair(...)``,
  ``Shape()``, ``Array(tolerance)``, ``Choice([...])``, ``Exact()`` or
  ``Function(inputs=[...])``. Left out, it follows from the expected value
  (an int is a whole number, a float a number, an array an array).
- ``slips``: known mistakes as ``(test, message)`` pairs (or a function of no
  arguments returning them, so they are computed with nnlib too). ``test`` is
  either a wrong *value*, compared in the exercise's form, or a *predicate*
  ``test(answer) -> bool`` on the answer as the learner gave it (predicates are
  also tried when the answer has the wrong form, e.g. "0.83 looks like a
  probability"). ``message`` is text, or a function of the answer giving text.
- ``check``: only where an exercise truly needs its own logic (training a
  network with the learner's learning rate): ``check(value) -> Feedback``, given
  the answer read by ``form``; it may ``raise NotYet("reason")``.
- ``well_done`` / ``advice``: text added to the message of a correct answer /
  of a wrong one (in the right form) that no slip explains; ``advice`` may be a
  function of the answer as read by the form.
- ``points``: what the exercise is worth when graded (nbgrader uses it).
- ``hint``: always available. The solution code lives apart from the lesson
  module, in ``nnlib/exercises/solutions/lessonNN.py`` (``SOLUTIONS[key]``), so
  a graded build of the package can leave it out (``nnlib.exercises.graded``).

A learner's function is always called through ``forms.call_learner``: an
exception, a missing ``return`` (``None``) or a leftover ``...`` become a
reason, never a traceback.

For graders (nbgrader)
----------------------
``exercise.spec()`` gives what an assignment builder needs: key, lesson,
title, question, points, form, hint, the solution code (not in graded mode)
and ``test``, the code of an autograder test: ``ex.<key>.assert_correct(answer)``,
which raises ``AssertionError`` with the ``[not yet]`` reason unless the
answer is right. ``assignment_specs("02")`` lists them for a lesson.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.resources
import io
import sys

import numpy as np

from nnlib.exercises import record
from nnlib.exercises.forms import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Array,
    Choice,
    Exact,
    Feedback,
    Form,
    Fraction,
    Function,
    NotYet,
    Number,
    Pair,
    Shape,
    WholeNumber,
    call_learner,
    compare,
    form_for,
    type_name,
)
from nnlib.exercises.graded import AnswersHidden, is_graded, refuse, solution_text

__all__ = [
    "CORRECT", "INCORRECT", "NOT_ATTEMPTED", "AnswersHidden", "Array", "Choice", "Exact",
    "Exercise", "Feedback", "Form", "Fraction", "Function", "NotYet", "Number", "Pair",
    "Shape", "Text", "WholeNumber", "assignment_specs", "call_learner", "compare",
    "is_graded", "lesson_exercises", "lesson_numbers", "progress_summary", "type_name",
]


class Text:
    """A piece of text that displays as itself (used for hints and solutions)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


_NOT_ATTEMPTED = "replace the ... with your answer, then run this cell again."


class Exercise:
    """One exercise: its question, what is right (the spec above), a hint, points."""

    def __init__(self, key, question, *, expected=None, form: Form | None = None, slips=(),
                 check=None, points=1, hint="", solution=None, well_done="", advice="",
                 reference=None, inputs=None, tolerance=None, title=None):
        if sum(x is not None for x in (expected, reference, check)) != 1:
            raise ValueError("give exactly one of expected=, reference= or check=")
        if reference is not None:           # the short way to write a Function form
            if not inputs:
                raise ValueError("reference= needs inputs= (a list of argument tuples)")
            form, expected = Function(inputs, output=_output_form(tolerance)), reference
        if tolerance is not None and form is not None and not isinstance(form, Function):
            raise ValueError("give the tolerance to the form, e.g. form=Number(tolerance=1e-3)")
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise ValueError(f"points must be a whole number >= 0, got {points!r}")
        self.key = key
        self._question = question
        self._expected = expected
        self._form = form
        self._tolerance = 1e-6 if tolerance is None else tolerance
        self._slips = slips
        self._check = check
        self.points = points
        self.title = title or key.replace("_", " ").capitalize()
        self._hint = hint
        self._solution = solution
        self._well_done = well_done
        self._advice = advice

    # ------------------------------------------------------------ the spec
    @property
    def question(self) -> str:
        """The question, with every number it needs (computed on first use if a function)."""
        if callable(self._question):
            self._question = self._question()
        return self._question

    @property
    def form(self) -> Form:
        """How an answer is read and compared (given, or implied by the expected value)."""
        if self._form is None:
            if self._check is not None:
                self._form = Form()            # a custom check reads the answer itself
            else:
                self._form = form_for(self._expected_value())
                if isinstance(self._form, (Number, Array)):
                    self._form.tolerance = self._tolerance
        return self._form

    def _expected_value(self):
        if callable(self._expected) and not isinstance(self._form, Function):
            self._expected = self._expected()
        return self._expected

    @property
    def expected(self):
        """The expected value (computed on first use); refused in graded mode."""
        refuse(f"The expected value of {self.key!r}")
        return None if isinstance(self._form, Function) else self._expected_value()

    def _slip_list(self):
        if callable(self._slips):
            self._slips = list(self._slips())
        return self._slips

    # ------------------------------------------------------------ checking
    def check(self, answer) -> Feedback:
        """Check ``answer``; the ``...`` placeholder (or None) counts as not attempted."""
        if answer is ... or answer is None:
            return Feedback(NOT_ATTEMPTED, _NOT_ATTEMPTED)
        try:
            verdict = self._verdict(answer)
        except NotYet as refusal:
            verdict = Feedback(INCORRECT, refusal.message)
        if verdict:
            if self._well_done:
                verdict = Feedback(CORRECT, f"{verdict.message} {self._well_done}")
            record.mark_done(self.lesson or "other", self.key)
        return verdict

    def _verdict(self, answer) -> Feedback:
        form = self.form
        try:
            value = form.read(answer)
        except NotYet:
            slip = self._matching_slip(answer, None)
            if slip is not None:
                return slip
            raise
        if self._check is not None:
            verdict = self._check(value)
        else:
            verdict = form.compare(value, self._expected_value())
        if verdict:
            return verdict
        slip = self._matching_slip(answer, value)
        if slip is not None:
            return slip
        if self._advice:
            advice = self._advice(value) if callable(self._advice) else self._advice
            verdict = Feedback(INCORRECT, f"{verdict.message} {advice}")
        return verdict

    def _matching_slip(self, answer, value):
        """The Feedback of the first slip the answer matches, or None."""
        for test, message in self._slip_list():
            if callable(test) and not isinstance(test, np.ndarray):
                hit = bool(test(answer))
            elif value is None:      # not in the exercise's form: compare in the slip's own
                hit = bool(compare(answer, test))
            else:
                try:
                    hit = self.form.matches(value, test)
                except NotYet:
                    hit = False
            if hit:
                verdict = Feedback(INCORRECT, message(answer) if callable(message) else message)
                verdict.slip = True
                return verdict
        return None

    # ------------------------------------------------------ hints, solutions
    def hint(self) -> Text:
        return Text(f"Hint: {self._hint}")

    @property
    def has_inline_solution(self) -> bool:
        """True if the solution text was given here, not in ``solutions/lessonNN.py``."""
        return self._solution is not None

    def solution_code(self) -> str:
        """The solution code (it ends by setting ``answer``); refused in graded mode."""
        refuse(f"The solution of {self.key!r}")
        if self._solution is not None:
            return self._solution.strip("\n")
        if self.lesson is None:
            raise LookupError(f"exercise {self.key!r} belongs to no lesson module, and has no "
                              "solution= of its own")
        return solution_text(self.lesson, self.key).strip("\n")

    def solution(self) -> Text:
        return Text(f"Solution:\n{self.solution_code().strip()}")

    def solve(self):
        """Run the solution code and return its ``answer`` (what the guide and tests use).

        The solution runs in a fresh namespace holding ``np`` and ``nnlib``;
        anything it prints is swallowed. Refused in graded mode.
        """
        import nnlib

        code = self.solution_code()
        namespace = {"np": np, "nnlib": nnlib}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)  # the project's own solution text, not user input
        return namespace["answer"]

    # ------------------------------------------------------------ grading
    def assert_correct(self, answer) -> Feedback:
        """The autograder's test: the Feedback if correct, else AssertionError with the reason."""
        verdict = self.check(answer)
        if not verdict:
            raise AssertionError(repr(verdict))
        return verdict

    def test_code(self, module: str = "ex") -> str:
        """The code of an autograder test cell, with the lesson's module imported as ``module``."""
        return f"{module}.{self.key}.assert_correct(answer)"

    def spec(self) -> dict:
        """What an assignment builder needs; "solution" is None in graded mode."""
        return {
            "key": self.key, "lesson": self.lesson, "title": self.title,
            "question": self.question, "points": self.points,
            "form": self.form.description, "hint": self._hint,
            "solution": None if is_graded() else self.solution_code(),
            "test": self.test_code(),
        }

    @property
    def lesson(self):
        """The lesson number ("02") whose module lists this exercise, if any."""
        prefix = "nnlib.exercises.lesson"
        for name, module in list(sys.modules.items()):
            if name.startswith(prefix) and self in getattr(module, "EXERCISES", ()):
                return name.removeprefix(prefix)
        return None

    def __repr__(self) -> str:
        return f"Exercise {self.key}: {self.question}"


def _output_form(tolerance):
    return None if tolerance is None else Number(tolerance)


def lesson_numbers() -> list[str]:
    """The lesson numbers ("01", "02", ...) that have an exercise module."""
    return sorted(p.name[len("lesson"):-len(".py")]
                  for p in importlib.resources.files("nnlib.exercises").iterdir()
                  if p.name.startswith("lesson") and p.name.endswith(".py"))


def lesson_exercises(lesson: str) -> list:
    """The exercises of lesson ``"02"`` (from ``nnlib.exercises.lesson02``), in order."""
    return list(importlib.import_module(f"nnlib.exercises.lesson{lesson}").EXERCISES)


def assignment_specs(lesson: str) -> list[dict]:
    """``Exercise.spec()`` of every exercise of a lesson, in order (for nbgrader builds)."""
    return [exercise.spec() for exercise in lesson_exercises(lesson)]


def progress_summary(lessons=None) -> Text:
    """Which exercises you have passed, lesson by lesson, from the local progress file.

    ``lessons``: a lesson number such as ``"02"``, a list of them, or None for all.
    """
    if lessons is None:
        lessons = lesson_numbers()
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
