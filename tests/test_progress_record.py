"""Local exercise progress: recorded on a pass, summarised, resettable, robust to damage."""

import json

import pytest

from nnlib.exercises import Exercise, lesson_exercises, progress_summary, record
from nnlib.exercises import lesson02 as ex02


@pytest.fixture(autouse=True)
def recording_on():
    record.enable()
    yield
    record.enable()


def test_a_passed_check_is_recorded_under_its_lesson():
    exercise = lesson_exercises("02")[0]
    assert record.load() == {}
    assert exercise.check(exercise.solve())
    assert record.load() == {"02": {exercise.key}}
    data = json.loads(record.progress_file().read_text(encoding="utf-8"))
    assert data == {"version": 1, "done": {"02": [exercise.key]}}


def test_wrong_and_unattempted_answers_are_not_recorded():
    exercise = ex02.EXERCISES[0]
    exercise.check(...)
    exercise.check("not a number")
    assert record.load() == {}
    assert not record.progress_file().exists()


def test_summary_ticks_passed_exercises_per_lesson():
    first, *rest = lesson_exercises("02")
    first.check(first.solve())
    text = repr(progress_summary("02"))
    assert f"Lesson 02: 1 of {len(rest) + 1} done" in text
    assert f"[x] {first.key}" in text
    assert all(f"[ ] {e.key}" in text for e in rest)
    everything = repr(progress_summary())
    assert "Lesson 01: 0 of" in everything and "Lesson 09: 0 of" in everything
    assert str(record.progress_file()) in everything


def test_reset_forgets_everything():
    exercise = lesson_exercises("03")[0]
    exercise.check(exercise.solve())
    record.reset()
    assert record.load() == {}
    record.reset()  # resetting twice is fine


def test_disabled_recording_writes_nothing():
    record.disable()
    exercise = lesson_exercises("03")[0]
    assert exercise.check(exercise.solve())
    assert not record.progress_file().exists()
    assert "(recording is off)" in repr(progress_summary("03"))


@pytest.mark.parametrize("damage", [
    "{not json",
    "[1, 2, 3]",
    '{"version": 1, "done": "everything"}',
    "",
])
def test_a_damaged_file_is_recovered_from(damage):
    record.progress_file().write_text(damage, encoding="utf-8")
    assert record.load() == {}
    exercise = lesson_exercises("04")[0]
    assert exercise.check(exercise.solve())  # no exception in the lesson
    assert record.load() == {"04": {exercise.key}}


def test_readable_parts_of_a_partly_damaged_file_are_kept():
    record.progress_file().write_text(json.dumps(
        {"version": 1, "done": {"01": ["count_weights", 7], "02": "broken"}}), encoding="utf-8")
    assert record.load() == {"01": {"count_weights"}}
    exercise = lesson_exercises("03")[0]
    exercise.check(exercise.solve())
    assert record.load() == {"01": {"count_weights"}, "03": {exercise.key}}


def test_an_unwritable_location_does_not_break_the_check(monkeypatch, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("NNLIB_PROGRESS_FILE", str(blocker / "progress.json"))
    exercise = lesson_exercises("01")[0]
    assert exercise.check(exercise.solve())
    assert record.mark_done("01", "anything") is False


def test_exercises_outside_a_lesson_are_recorded_as_other():
    loose = Exercise("loose", "1 + 1?", expected=2)
    assert loose.check(2)
    assert record.load() == {"other": {"loose"}}


def test_the_file_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("NNLIB_PROGRESS_FILE")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert record.progress_file() == tmp_path / ".nnlib" / "progress.json"
