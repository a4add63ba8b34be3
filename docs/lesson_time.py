"""How long a lesson takes a learner working alone: one rule, read from the notebook.

    python docs/lesson_time.py            # a table of every lesson's estimate

The rule adds four parts, each counted from the notebook as it is on disk:

=====================  ============  =====================================================
part                   minutes       why this number
=====================  ============  =====================================================
prose (markdown)       words / 120   Adults read ordinary non-fiction silently at about
                                     240 words a minute (Brysbaert's 2019 meta-analysis
                                     of 190 studies). Text that teaches, with formulas
                                     to check and a picture to look at for every few
                                     paragraphs, is read at about half that speed.
code cell              1 each        Read the code, run it, read what it prints or draws.
exercise               4 each        Read the question, write a line or a function, run
                                     the check, often a second try after the feedback.
slider / playground    4 each        Move every control at least once and watch the
                                     picture answer; the lesson's text asks what to try.
=====================  ============  =====================================================

A word is a run of characters between spaces, so a formula counts by its pieces.
An exercise is counted by the ``ex.<name>.check(`` calls in code cells (the setup cell's
``nnlib.environment.check()`` is not one); a slider by a code cell
that shows an explorer (a call such as ``widgets.<name>_explorer(...)`` or
``outlier_explorer(...)``), the playground or ``interact``.

**Optional sections.** A heading whose text ends in ``(optional)`` marks its section
(every cell up to the next heading of the same or a higher level) as optional. A lesson
whose whole estimate is above :data:`LONG_LESSON` minutes must mark optional sections
so that its core (the estimate without them) fits in :data:`LONG_LESSON`;
tests/test_lesson_times.py checks that, and that the time docs/course.toml states
(and README, the notebook's first cell and the instructor guide repeat) is within
:data:`TOLERANCE` of :func:`estimate`'s total.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_MINUTE = 120
MINUTES_PER_CODE_CELL = 1.0
MINUTES_PER_EXERCISE = 4.0
MINUTES_PER_SLIDER = 4.0
LONG_LESSON = 65          # "about an hour": above this a lesson marks optional sections
TOLERANCE = 0.25          # a stated time may differ from the estimate by this fraction

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
OPTIONAL = re.compile(r"\(optional\)\s*$", re.IGNORECASE)
EXERCISE = re.compile(r"\bex\.\w+\.check\(")
SLIDER = re.compile(r"^\s*(?:\w+\s*=\s*)?(?:[\w.]*_explorer|playground|interact)\(",
                    re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """The counts of one part of a lesson (all of it, or its optional sections)."""

    words: int = 0
    code_cells: int = 0
    exercises: int = 0
    sliders: int = 0

    @property
    def minutes(self) -> float:
        return (self.words / WORDS_PER_MINUTE + self.code_cells * MINUTES_PER_CODE_CELL
                + self.exercises * MINUTES_PER_EXERCISE + self.sliders * MINUTES_PER_SLIDER)

    def __add__(self, other: Part) -> Part:
        return Part(self.words + other.words, self.code_cells + other.code_cells,
                    self.exercises + other.exercises, self.sliders + other.sliders)


@dataclass(frozen=True)
class Estimate:
    """A lesson's estimate: ``total`` minutes, of which ``optional`` are in optional sections."""

    name: str
    whole: Part
    optional_part: Part
    optional_headings: tuple

    @property
    def total(self) -> float:
        return self.whole.minutes

    @property
    def optional(self) -> float:
        return self.optional_part.minutes

    @property
    def core(self) -> float:
        return self.total - self.optional


def _cell_part(cell) -> Part:
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    if cell["cell_type"] == "markdown":
        return Part(words=len(source.split()))
    if cell["cell_type"] == "code":
        return Part(code_cells=1, exercises=len(EXERCISE.findall(source)),
                    sliders=len(SLIDER.findall(source)))
    return Part()


def estimate(path) -> Estimate:
    """Estimate the lesson stored at ``path`` (an .ipynb file) by the rule above."""
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"expected the path of a notebook (.ipynb file), got {str(path)!r}")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    whole, optional = Part(), Part()
    optional_level = None          # the level of the optional heading we are under, if any
    headings = []
    for cell in cells:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            part = _cell_part(cell)
            whole += part
            if optional_level is not None:
                optional += part
            continue
        for line in source.splitlines():
            found = HEADING.match(line)
            if found:
                level = len(found.group(1))
                if optional_level is not None and level <= optional_level:
                    optional_level = None
                if optional_level is None and OPTIONAL.search(found.group(2)):
                    optional_level = level
                    headings.append(found.group(2))
            words = Part(words=len(line.split()))
            whole += words
            if optional_level is not None:
                optional += words
    return Estimate(path.name, whole, optional, tuple(headings))


def stated_minutes(minutes: float) -> int:
    """The time to state for an estimate: rounded to the nearest 5 minutes."""
    return int(5 * round(minutes / 5))


def main(argv=None) -> int:
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in (argv or [])] or sorted((root / "lessons").glob("[0-9][0-9]_*.ipynb"))
    print(f"{'lesson':34} words code ex. sliders  total  optional  core  state")
    for path in paths:
        e = estimate(path)
        w = e.whole
        print(f"{e.name:34} {w.words:5} {w.code_cells:4} {w.exercises:3} {w.sliders:7}"
              f"  {e.total:5.1f}  {e.optional:8.1f}  {e.core:4.1f}  {stated_minutes(e.total):5}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
