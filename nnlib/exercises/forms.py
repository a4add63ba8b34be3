"""The forms an answer can take, how each is read and compared, and the one guard
for calling a learner's function.

A *form* knows two things:

- ``read(answer)``: turn what the learner typed into a clean value (``3.0`` and
  ``np.int64(3)`` both become ``3`` for a whole number), or refuse it with
  ``NotYet("expected a whole number, got a str")``;
- ``compare(value, expected)``: a ``Feedback`` saying right, or what is off
  ("too high", "the second element is off", "2 of 4 values are off ...").

The forms: ``Number`` (with a tolerance), ``WholeNumber``, ``Fraction`` (between
0 and 1), ``Pair`` (two numbers, in order or not), ``Shape``, ``Array`` (with a
tolerance), ``Choice`` (one of a few labels), ``Exact`` (a bool or a string) and
``Function`` (the answer is a function, tested on inputs).

``call_learner(fn, *args)`` is the single place where a learner's function is
called: whatever goes wrong inside (an exception, ``None`` returned because a
``return`` is missing, the ``...`` placeholder still returned) becomes a
``NotYet`` with a reason instead of a traceback in the lesson.
"""

from __future__ import annotations

import numbers

import numpy as np

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
_MARK = {CORRECT: "[correct]", INCORRECT: "[not yet]", NOT_ATTEMPTED: "[not attempted]"}


class Feedback:
    """The verdict of a check: ``status`` and a ``message``; truthy when correct."""

    slip = False  # set on a "[not yet]" that a known slip of the exercise explains

    def __init__(self, status: str, message: str):
        self.status = status
        self.message = message

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"{_MARK[self.status]} {self.message}"


class NotYet(Exception):
    """Raised inside a check to refuse an answer with a reason (becomes "[not yet] reason")."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def right(message: str) -> Feedback:
    return Feedback(CORRECT, message)


def wrong(message: str) -> Feedback:
    return Feedback(INCORRECT, message)


def type_name(x) -> str:
    """'an int', 'a list', 'a numpy array of shape (3,)': how an answer is named in feedback."""
    if isinstance(x, np.ndarray):
        return f"a numpy array of shape {x.shape}"
    name = type(x).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def short(args) -> str:
    """A one-line view of a function's arguments, for "for input ..." messages."""
    text = ", ".join(np.array2string(np.asarray(a), precision=3, threshold=6) for a in args)
    return text if len(text) < 80 else text[:77] + "..."


# ----------------------------------------------------------------- the guard
def call_learner(fn, *args, name="your function", errstate=None, explain=None, where=None):
    """Call the learner's ``fn(*args)`` and return its result, or raise ``NotYet`` saying why not.

    ``errstate``: numpy error handling while it runs, e.g. ``{"over": "raise"}``
    to turn an overflowing ``np.exp`` into an error instead of a warning.
    ``explain``: ``{ExceptionType: "what it means here"}``, added to the report
    of such an exception. Refused: an exception (any; the learner's code must
    not crash the lesson), ``None`` (no ``return``), ``...`` (placeholder left in).
    ``where`` names the input in messages (default "for input <args>").
    """
    where = f" {where}" if where else f" for input {short(args)}" if args else ""
    try:
        with np.errstate(**(errstate or {"all": "ignore"})):
            result = fn(*args)
    except Exception as exc:  # the learner's code: report it, don't crash the lesson
        extra = next((text for kind, text in (explain or {}).items()
                      if isinstance(exc, kind)), "")
        raise NotYet(f"{name} raised {type(exc).__name__}: {exc}{where}"
                     + (f". {extra}" if extra else "")) from None
    if result is None:
        raise NotYet(f"{name} returned nothing (None){where}: is a `return` missing?")
    if result is ...:
        raise NotYet(f"{name} still returns ...{where}: replace the ... in its body with "
                     "your code.")
    return result


# ------------------------------------------------------------------ the forms
class Form:
    """Base of the answer forms: ``read`` an answer, ``compare`` it with the expected value."""

    #: How the form is named to a learner and in assignment specs.
    description = "an answer"

    def read(self, answer):
        return answer

    def compare(self, value, expected) -> Feedback:
        if type(value) is type(expected) and value == expected:
            return right("well done.")
        return wrong(f"{value!r} is not the answer; have another look.")

    def matches(self, value, other) -> bool:
        """Does ``value`` count as equal to ``other`` (used for slips)?"""
        return bool(self.compare(value, self.read(other)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _real(answer, what="a single number") -> float:
    """A real number from an answer (a one-element array counts), or NotYet."""
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, np.generic):
        answer = answer.item()
    if not is_number(answer):
        raise NotYet(f"expected {what}, got {type_name(answer)}")
    if np.isnan(answer):
        raise NotYet(f"your answer is {answer}: not a number at all (0/0 or inf - inf give "
                     "nan). Look for a division by zero or a missing value.")
    if not np.isfinite(answer):
        raise NotYet(f"your answer is {answer}, not a finite number")
    return answer


class Number(Form):
    """A real number, right within ``tolerance`` (absolute below 1, relative above)."""

    description = "a number"

    def __init__(self, tolerance: float = 1e-6):
        self.tolerance = tolerance

    def read(self, answer):
        return float(_real(answer))

    def close(self, value, expected) -> bool:
        return abs(value - float(expected)) <= self.tolerance * max(1.0, abs(float(expected)))

    def compare(self, value, expected) -> Feedback:
        if self.close(value, expected):
            return right(f"{value:.6g} is right.")
        direction = "too high" if value > expected else "too low"
        return wrong(f"{value:.6g} is {direction} (tolerance {self.tolerance:g}).")

    def __repr__(self) -> str:
        return f"Number(tolerance={self.tolerance:g})"


class WholeNumber(Form):
    """A whole number (3, 3.0 and np.int64(3) all count); exact, so no tolerance is shown.

    ``low``/``high`` bound it; ``ordered=False`` for labels such as digits, where
    "too high" means nothing (a wrong one is then just "not the answer").
    """

    description = "a whole number"

    def __init__(self, low=None, high=None, ordered=True):
        self.low, self.high, self.ordered = low, high, ordered

    def read(self, answer) -> int:
        value = _real(answer, "a whole number")
        if value != round(value):
            raise NotYet(f"expected a whole number, got {value:g}")
        value = int(round(value))
        if self.low is not None and value < self.low or \
                self.high is not None and value > self.high:
            raise NotYet(f"{value} is out of range: the answer is a whole number from "
                         f"{self.low} to {self.high}.")
        return value

    def compare(self, value, expected) -> Feedback:
        expected = int(expected)
        if value == expected:
            return right(f"{value} is right.")
        if not self.ordered:
            return wrong(f"{value} is not the answer.")
        return wrong(f"{value} is {'too high' if value > expected else 'too low'}.")


class Fraction(Number):
    """A fraction between 0 and 1; a percentage (97.2 for 0.972) is refused with that reason."""

    description = "a fraction between 0 and 1"

    def __init__(self, tolerance: float = 1e-3):
        super().__init__(tolerance)

    def read(self, answer) -> float:
        value = super().read(answer)
        if 1 < value <= 100:
            raise NotYet(f"{value:g} looks like a percentage; give the fraction, a number "
                         "between 0 and 1 (97 % is 0.97).")
        if not 0 <= value <= 1:
            raise NotYet(f"{value:g} is not a fraction: a fraction lies between 0 and 1.")
        return value

    def compare(self, value, expected) -> Feedback:
        if self.close(value, expected):
            return right(f"{value:.4f} is right: {float(expected):.2%}.")
        direction = "too high" if value > expected else "too low"
        return wrong(f"{value:.4f} is {direction}.")


_ORDINAL = ("first", "second")


class Pair(Form):
    """Two values, each read and compared by ``element`` (a form); ``unordered``: either order.

    Feedback names the element that is off ("the first (4) is right, the second
    (14) is too high").
    """

    description = "a pair (a, b)"

    def __init__(self, element: Form | None = None, unordered: bool = False):
        self.element = element or WholeNumber()
        self.unordered = unordered

    def read(self, answer) -> tuple:
        if self.unordered and isinstance(answer, (set, frozenset)) and len(answer) == 2:
            answer = sorted(answer)
        if isinstance(answer, np.ndarray):
            answer = answer.tolist()
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            raise NotYet(f"expected a pair such as (3, 5), got {type_name(answer)}"
                         + (f" of length {len(answer)}" if isinstance(answer, (tuple, list))
                            else ""))
        values = []
        for ordinal, item in zip(_ORDINAL, answer, strict=True):
            try:
                values.append(self.element.read(item))
            except NotYet as refusal:
                raise NotYet(f"the {ordinal} element: {refusal.message}") from None
        return tuple(values)

    def compare(self, value, expected) -> Feedback:
        expected = self.read(expected)
        if self.unordered:
            if all(self.element.matches(v, e) for v, e in zip(sorted(value), sorted(expected),
                                                                strict=True)):
                return right(f"{value} is right.")
            return wrong(f"{value} is not the pair (in either order).")
        verdicts = [self.element.compare(v, e) for v, e in zip(value, expected, strict=True)]
        if all(verdicts):
            return right(f"{value} is right.")
        parts = [f"the {ordinal} ({v}) is " + ("right" if ok else
                                                 "too high" if v > e else "too low")
                 for ordinal, v, e, ok in zip(_ORDINAL, value, expected, verdicts, strict=True)]
        return wrong("; ".join(parts) + ".")


class Shape(Form):
    """A numpy shape: a tuple (or list) of whole numbers."""

    description = "a shape such as (rows, columns)"

    def read(self, answer) -> tuple:
        if isinstance(answer, (tuple, list)) and all(
                isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))
                for n in answer):
            return tuple(int(n) for n in answer)
        raise NotYet(f"answer with a shape: a tuple of whole numbers such as (rows, columns), "
                     f"got {type_name(answer)}")

    def compare(self, value, expected) -> Feedback:
        expected = tuple(int(n) for n in expected)
        if value == expected:
            return right(f"{expected} is right.")
        if len(value) != len(expected):
            return wrong(f"{value} has {len(value)} sizes; this shape has {len(expected)}.")
        names = ("rows", "columns") if len(expected) == 2 else \
            [f"size {i} (counting from 0)" for i in range(len(expected))]
        parts = [f"the {name} ({v}) {'are right' if v == e else 'are off'}"
                 if len(expected) == 2 else f"{name} is {'right' if v == e else 'off'}"
                 for name, v, e in zip(names, value, expected, strict=True)]
        return wrong(f"{value} is not it: " + "; ".join(parts) + ".")


class Array(Form):
    """A numpy array (or a list of numbers) of the expected shape, right within ``tolerance``."""

    description = "a numpy array"

    def __init__(self, tolerance: float = 1e-6):
        self.tolerance = tolerance

    def compare(self, value, expected) -> Feedback:
        expected = np.asarray(expected)
        if isinstance(value, (list, tuple)):
            try:
                value = np.asarray(value)
            except ValueError:
                return wrong(f"expected an array of shape {expected.shape}, got "
                             f"{type_name(value)} whose rows differ in length")
        if not isinstance(value, np.ndarray):
            return wrong(f"expected an array of shape {expected.shape}, got {type_name(value)}")
        if value.shape != expected.shape:
            return wrong(f"expected shape {expected.shape}, got {value.shape}")
        if not np.issubdtype(value.dtype, np.number):
            return wrong(f"expected numbers, got an array of dtype {value.dtype}")
        close = np.isclose(value, expected, rtol=self.tolerance, atol=self.tolerance)
        if close.all():
            return right(f"all {expected.size} values are right.")
        first = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f"index {first}" if first else "the value"
        nan = " (nan: not a number)" if np.isnan(value[first]) else ""
        return wrong(f"{int((~close).sum())} of {expected.size} values are off "
                     f"(tolerance {self.tolerance:g}); first at {where}: yours is "
                     f"{value[first]:.6g}{nan}.")

    def __repr__(self) -> str:
        return f"Array(tolerance={self.tolerance:g})"


class Exact(Form):
    """A bool or a string, equal to the expected one."""

    description = "an exact value"

    def compare(self, value, expected) -> Feedback:
        if isinstance(expected, np.bool_):
            expected = bool(expected)
        same_kind = type(value) is type(expected) or (
            isinstance(expected, bool) and isinstance(value, (bool, np.bool_)))
        if not same_kind:
            return wrong(f"expected {type_name(expected)}, got {type_name(value)}")
        if value == expected:
            return right("well done.")
        return wrong(f"{value!r} is not the answer; have another look.")


class Choice(Form):
    """One of a few labels (strings), e.g. "A", "B", "C"; case and spaces are ignored."""

    def __init__(self, options):
        self.options = tuple(options)

    @property
    def description(self) -> str:
        return "one of " + ", ".join(f'"{o}"' for o in self.options)

    def read(self, answer) -> str:
        if not isinstance(answer, str):
            raise NotYet(f'expected a label such as "{self.options[0]}", got {type_name(answer)}')
        for option in self.options:
            if answer.strip().lower() == option.lower():
                return option
        raise NotYet(f"the choices are {self.description[7:]}; got {answer!r}")

    def compare(self, value, expected) -> Feedback:
        if value == expected:
            return right(f"{value} is right.")
        return wrong(f"{value} is not the answer; have another look.")

    def __repr__(self) -> str:
        return f"Choice({list(self.options)!r})"


class Function(Form):
    """The answer is a function; it is called on each of ``inputs`` (tuples of arguments).

    Each call goes through ``call_learner`` (with ``errstate`` and ``explain``)
    and its result is compared, by the ``output`` form (inferred from the
    reference's result if not given), with what the reference function returns.
    """

    description = "a function"

    def __init__(self, inputs, output: Form | None = None, errstate=None, explain=None,
                 name="your function", argnames=None):
        if not inputs:
            raise ValueError("Function(inputs=...) needs a list of argument tuples")
        self.inputs = [args if isinstance(args, tuple) else (args,) for args in inputs]
        self.output, self.errstate, self.explain, self.name = output, errstate, explain, name
        self.argnames = argnames.split() if isinstance(argnames, str) else argnames

    def where(self, args) -> str:
        """"for input 1., 2." or, with ``argnames``, "for z = [-2.  0.]"."""
        if not self.argnames:
            return f"for input {short(args)}"
        return "for " + ", ".join(f"{name} = {short((a,))}"
                                  for name, a in zip(self.argnames, args, strict=True))

    def read(self, answer):
        if not callable(answer):
            raise NotYet(f"expected a function (its name, without brackets), got "
                         f"{type_name(answer)}")
        return answer

    def compare(self, value, expected) -> Feedback:
        for args in self.inputs:
            got = call_learner(value, *[np.copy(a) if isinstance(a, np.ndarray) else a
                                        for a in args],
                               name=self.name, errstate=self.errstate, explain=self.explain,
                               where=self.where(args))
            reference = expected(*args)
            form = self.output or form_for(reference)
            try:
                verdict = form.compare(form.read(got), reference)
            except NotYet as refusal:
                verdict = wrong(refusal.message)
            if not verdict:
                return wrong(f"{self.where(args)}: {verdict.message}")
        return right(f"your function agrees on all {len(self.inputs)} test inputs.")

    def matches(self, value, other) -> bool:
        return value is other


def form_for(expected) -> Form:
    """The form an expected value implies: bools and strings exact, ints whole numbers,
    other numbers ``Number``, anything else ``Array``."""
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected.item()
    if isinstance(expected, (bool, np.bool_, str)):
        return Exact()
    if isinstance(expected, (int, np.integer)):
        return WholeNumber()
    if is_number(expected):
        return Number()
    return Array()


def compare(answer, expected, tolerance: float = 1e-6) -> Feedback:
    """Compare an answer with the expected value in the form the value implies.

    Numbers and arrays use ``tolerance``; ``compare(0.3, 0.3)`` is right,
    ``compare("0.3", 0.3)`` says a number was expected.
    """
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected.item()
    form = form_for(expected)
    if isinstance(form, (Number, Array)):
        form.tolerance = tolerance
    if isinstance(form, WholeNumber):  # a whole expected value still accepts 3.0000001 here
        form = Number(tolerance)
    try:
        return form.compare(form.read(answer), expected)
    except NotYet as refusal:
        return wrong(refusal.message)
