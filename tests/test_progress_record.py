"""Local exercise progress: recorded on a pass, summarised, resettable, robust to damage."""

import json
import os
from pathlib import Path

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


# ---------------------------------------------------------------------------
# Nothing a learner passed is ever lost (damage, several kernels, links, no place to write).

PASSES = {"01": ["count_weights", "count_nodes"], "02": ["weighted_sum", "layer_output"],
          "03": ["sigmoid_value"]}


def _write_record(done=PASSES) -> bytes:
    raw = json.dumps({"version": 1, "done": done}, indent=1).encode("utf-8")
    record.progress_file().write_bytes(raw)
    return raw


def _backups():
    path = record.progress_file()
    return sorted(path.parent.glob(path.name + ".damaged-*"))


def _as_sets(done):
    return {lesson: set(keys) for lesson, keys in done.items()}


def _damage_cases():
    full = json.dumps({"version": 1, "done": PASSES}, indent=1).encode("utf-8")
    cut = full.index(b'"sigmoid_value"')  # cut inside lesson 03's list, after its name's opening
    return {
        # cut off just before the closing brackets: every pass is still readable
        "truncated at the end": (full[:-6], _as_sets(PASSES)),
        # cut inside the last lesson's list: the lessons before it are complete
        "truncated in the middle": (full[:cut + 5], {"01": set(PASSES["01"]),
                                                     "02": set(PASSES["02"])}),
        # one byte that is not UTF-8 inside an exercise name: only that name is unreadable
        "not UTF-8": (full.replace(b"count_nodes", b"count_n\xffdes"),
                      {"01": {"count_weights"}, "02": set(PASSES["02"]),
                       "03": set(PASSES["03"])}),
        "a JSON list": (json.dumps([{"version": 1, "done": PASSES}]).encode(), _as_sets(PASSES)),
        "wrong-typed entries": (json.dumps({"version": 1, "done": {
            "01": ["count_weights", 7, None], "02": "weighted_sum", "03": {"x": 1}}}).encode(),
            {"01": {"count_weights"}}),
    }


@pytest.mark.parametrize("case", list(_damage_cases()))
def test_a_damaged_file_is_kept_aside_and_every_readable_pass_kept(case, capsys):
    raw, readable = _damage_cases()[case]
    record.progress_file().write_bytes(raw)
    assert record.load() == readable
    backups = _backups()
    assert len(backups) == 1 and backups[0].read_bytes() == raw  # the original, byte for byte
    exercise = lesson_exercises("04")[0]
    assert exercise.check(exercise.solve())
    assert record.load() == {**readable, "04": {exercise.key}}
    assert _backups() == backups  # no second copy of the same damage
    err = capsys.readouterr().err
    assert err.count("is damaged") == 1, err  # told once, not on every read
    assert str(backups[0]) in err and str(record.progress_file()) in err
    assert f"the {sum(map(len, readable.values()))} passes that can still be read" in err
    json.loads(record.progress_file().read_text(encoding="utf-8"))  # the file is whole again


def test_a_new_damage_gets_its_own_backup_and_its_own_message(capsys):
    record.progress_file().write_bytes(b'{"version": 1, "done": {"01": ["a"')
    assert record.load() == {"01": {"a"}}
    record.progress_file().write_bytes(b'{"version": 1, "done": {"02": ["b"')
    assert record.load() == {"02": {"b"}}
    assert len(_backups()) == 2
    assert capsys.readouterr().err.count("is damaged") == 2


def test_a_healthy_file_makes_no_backup_and_no_message(capsys):
    _write_record()
    assert record.mark_done("04", "new") is True
    assert record.load() == {**_as_sets(PASSES), "04": {"new"}}
    assert _backups() == [] and capsys.readouterr().err == ""


def test_other_fields_of_the_file_are_kept():
    record.progress_file().write_text(json.dumps(
        {"version": 1, "done": {"01": ["a"]}, "learner": "sam"}), encoding="utf-8")
    record.mark_done("02", "b")
    data = json.loads(record.progress_file().read_text(encoding="utf-8"))
    assert data == {"version": 1, "done": {"01": ["a"], "02": ["b"]}, "learner": "sam"}


def test_a_write_leaves_no_temporary_file_behind():
    for i in range(5):
        record.mark_done("01", f"pass{i}")
    names = sorted(p.name for p in record.progress_file().parent.iterdir())
    assert names == ["progress.json", "progress.json.lock"]


def test_a_symlinked_file_is_updated_through_the_link(tmp_path, monkeypatch):
    real = tmp_path / "synced" / "my_progress.json"
    real.parent.mkdir()
    real.write_text(json.dumps({"version": 1, "done": {"01": ["a"]}}), encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    monkeypatch.setenv("NNLIB_PROGRESS_FILE", str(link))
    assert record.mark_done("02", "b")
    assert link.is_symlink() and link.resolve() == real
    assert json.loads(real.read_text(encoding="utf-8"))["done"] == {"01": ["a"], "02": ["b"]}
    record.reset()
    assert link.is_symlink() and record.load() == {}


def _unwritable_places(tmp_path):
    places = {}
    folder = tmp_path / "a_folder"
    folder.mkdir()
    places["a directory"] = (folder, "directory")
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    places["a file in the way"] = (blocker / "progress.json", "Not a directory")
    if os.path.isdir("/sys"):  # read-only even for root
        places["a read-only place"] = (Path("/sys/nnlib-progress/progress.json"), "")
    if os.geteuid() != 0:  # root writes into read-only folders anyway
        locked = tmp_path / "read_only"
        locked.mkdir()
        locked.chmod(0o500)
        places["a read-only folder"] = (locked / "progress.json", "Permission denied")
    return places


def test_when_recording_is_impossible_the_learner_is_told_once_where_and_why(
        tmp_path, monkeypatch, capsys):
    for name, (path, why) in _unwritable_places(tmp_path).items():
        monkeypatch.setenv("NNLIB_PROGRESS_FILE", str(path))
        first, second = lesson_exercises("01")[:2]
        feedback = first.check(first.solve())
        assert feedback, name  # the check itself still works ...
        assert "record" not in repr(feedback).lower()  # ... and does not claim it recorded
        assert second.check(second.solve())
        assert record.mark_done("01", "anything") is False
        err = capsys.readouterr().err
        assert err.count("cannot be recorded") == 1, (name, err)  # once, not per check
        assert str(path) in err and why in err, (name, err)
        assert "NNLIB_PROGRESS_FILE" in err


def _write_passes(worker: int, count: int, start) -> None:
    start.wait()  # every process starts writing at the same moment
    for i in range(count):
        assert record.mark_done(f"w{worker}", f"pass{i:03d}")


def test_four_kernels_writing_at_once_keep_every_pass():
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # separate interpreters, as kernels are
    start = context.Barrier(4)
    workers = [context.Process(target=_write_passes, args=(w, 200, start)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    done = record.load()
    assert sum(len(keys) for keys in done.values()) == 800
    assert done == {f"w{w}": {f"pass{i:03d}" for i in range(200)} for w in range(4)}
    assert not list(record.progress_file().parent.glob("*.tmp"))
