"""Your progress through the exercises, kept in a small local JSON file.

When an exercise check passes, its key is written to a JSON file on *your*
machine; nothing is ever sent anywhere. Where the file lives:

- ``$NNLIB_PROGRESS_FILE`` if that environment variable is set, else
- ``~/.nnlib/progress.json``.

Turn recording off with ``NNLIB_PROGRESS=off`` (environment) or
``record.disable()``; start again from nothing with ``record.reset()``.

File format: ``{"version": 1, "done": {"02": ["weighted_sum", ...], ...}}``.

A pass, once recorded, is never lost:

- **Damage.** A file that is cut short, not UTF-8, not a JSON object, or holds
  entries of the wrong type is copied aside first, as
  ``progress.json.damaged-<8 hex digits of its content>`` next to it, and you are
  told once where the copy is. Every entry that can still be read (a lesson
  name with exercise names, even from a file cut off half way) is kept.
- **Several notebooks at once.** A write takes a lock (``progress.json.lock``
  beside the file), reads the file again, adds the new pass to what is there
  now, writes a temporary file with a name of its own and renames it over the
  old one. So two kernels recording at the same moment keep both passes, and
  the file is never seen half written.
- **A symbolic link** is followed: the file it points to is updated, the link
  stays a link.
- **Nowhere to write** (the path is a directory, the folder is read-only, ...):
  the lesson goes on, and you are told once where recording failed and why.
  ``mark_done`` returns False then.

Messages go to standard error (a notebook shows them under the cell).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

try:  # POSIX: a real advisory lock
    import fcntl
except ImportError:  # pragma: no cover - Windows: lock a byte of the lock file instead
    fcntl = None
    import msvcrt

_enabled = os.environ.get("NNLIB_PROGRESS", "on").lower() not in ("off", "0", "false", "no")
_told: set = set()  # messages already shown in this session ("told once")


def progress_file() -> Path:
    """The path of the progress file (it may not exist yet)."""
    custom = os.environ.get("NNLIB_PROGRESS_FILE")
    return Path(custom) if custom else Path.home() / ".nnlib" / "progress.json"


def enable() -> None:
    """Record passed exercises (the default)."""
    global _enabled
    _enabled = True


def disable() -> None:
    """Stop recording passed exercises in this session."""
    global _enabled
    _enabled = False


def is_enabled() -> bool:
    return _enabled


def _tell_once(message: str) -> None:
    if message not in _told:
        _told.add(message)
        print(f"nnlib progress: {message}", file=sys.stderr, flush=True)


def _target() -> Path:
    """The file that is really written: a symbolic link is followed to its target."""
    return Path(os.path.realpath(progress_file()))


@contextlib.contextmanager
def _locked(target: Path):
    """Hold an exclusive lock on ``<target>.lock`` (created if needed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target.with_name(target.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # pragma: no cover
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# "lesson": ["key", "key", ...  -- a lesson's entry, even when the file stops inside it
_LESSON = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\[([^\[\]{}]*)')
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _salvage(text: str) -> dict:
    """The lesson entries that can still be read from text that is not valid JSON."""
    done: dict = {}
    for match in _LESSON.finditer(text):
        try:
            lesson = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        for key in _KEY.findall(match.group(2)):
            with contextlib.suppress(ValueError):
                done.setdefault(lesson, set()).add(json.loads(f'"{key}"'))
    return {lesson: {k for k in keys if _readable(k)} for lesson, keys in done.items()
            if _readable(lesson) and any(_readable(k) for k in keys)}


def _readable(name) -> bool:
    return isinstance(name, str) and name != "" and "\ufffd" not in name


def _parse(raw: bytes):
    """``(done, extra, problem)``: the entries read, other top-level fields, what was wrong."""
    problem = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        problem = "it is not UTF-8 text"
    if not text.strip():
        return {}, {}, None  # an empty file holds no passes: nothing to keep
    try:
        data = json.loads(text)
    except ValueError:
        return _salvage(text), {}, problem or "it is not valid JSON (cut short?)"
    if not isinstance(data, dict):
        kind = {list: "list", str: "string"}.get(type(data), "number")
        return _salvage(text), {}, problem or f"it holds a JSON {kind}, not an object"
    extra = {k: v for k, v in data.items() if k not in ("version", "done")}
    entries = data.get("done", {})
    if not isinstance(entries, dict):
        return _salvage(text), extra, problem or '"done" is not an object'
    done = {}
    for lesson, keys in entries.items():
        if not isinstance(keys, list) or not _readable(lesson):
            problem = problem or f"lesson {lesson!r} is not a list of exercise names"
            continue
        good = {k for k in keys if _readable(k)}
        if len(good) != len(keys):
            problem = problem or f"lesson {lesson!r} holds entries that are not exercise names"
        if good:
            done[lesson] = good
    return done, extra, problem


def _read(target: Path):
    """``(done, extra)`` from the file; a damaged file is first copied aside (once).

    Raises OSError when a damaged file cannot be copied aside: it must not be
    overwritten then.
    """
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return {}, {}
    done, extra, problem = _parse(raw)
    if problem is not None and not _keep_aside(target, raw, problem, done):
        raise OSError(f"{target} is damaged and no copy of it could be made")
    return done, extra


def _keep_aside(target: Path, raw: bytes, problem: str, done: dict) -> bool:
    """Copy a damaged file to ``<name>.damaged-<hash>`` and say so; False if that failed."""
    backup = target.with_name(f"{target.name}.damaged-{hashlib.sha256(raw).hexdigest()[:8]}")
    passes = sum(len(keys) for keys in done.values())
    try:
        if not backup.exists():
            _write_atomic(backup, raw)
    except OSError as exc:
        _tell_once(f"{target} is damaged: {problem}. No copy of it could be made "
                   f"({exc.strerror or exc}), so it is left untouched and new passes are not "
                   f"recorded; the {passes} passes that can still be read are shown.")
        return False
    _tell_once(f"{target} is damaged: {problem}. The original is kept as {backup}; "
               f"the {passes} passes that can still be read are kept.")
    return True


def _write_atomic(target: Path, data: bytes) -> None:
    """Write a temporary file with a unique name beside ``target``, then rename it over."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # keep the old file's permissions
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _encode(done: dict, extra: dict) -> bytes:
    payload = {"version": 1,
               "done": {lesson: sorted(keys) for lesson, keys in sorted(done.items()) if keys},
               **extra}
    return json.dumps(payload, indent=1).encode("utf-8")


def load() -> dict:
    """``{lesson: set of exercise keys}`` from the file (a damaged file is copied aside)."""
    target = _target()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        _tell_once(f"{target} cannot be read ({exc.strerror or exc}); no progress is shown.")
        return {}
    done, _, problem = _parse(raw)
    if problem is None:
        return done
    try:  # damaged: copy it aside under the lock (another kernel may be rewriting it)
        with _locked(target):
            return _read(target)[0]
    except OSError:
        _keep_aside(target, raw, problem, done)  # says why nothing could be copied
        return done


def mark_done(lesson: str, key: str) -> bool:
    """Record that exercise ``key`` of ``lesson`` passed. Returns False if not recorded."""
    if not _enabled:
        return False
    if key in load().get(lesson, set()):
        return True
    target = _target()
    try:
        with _locked(target):
            done, extra = _read(target)  # what is there now, other kernels' passes included
            done.setdefault(lesson, set()).add(key)
            _write_atomic(target, _encode(done, extra))
    except OSError as exc:  # a read-only home, a directory in the way: the lesson goes on
        reason = exc.strerror or str(exc)
        if target.is_dir():
            reason = "that path is a directory"
        _tell_once(f"your passes cannot be recorded in {target}: {reason}. The checks still "
                   f"work; set NNLIB_PROGRESS_FILE to a file you can write to keep a record, "
                   f"or turn recording off with record.disable().")
        return False
    return True


def reset() -> None:
    """Forget all recorded progress (a symbolic link stays; the file it points to is emptied)."""
    path = progress_file()
    if path.is_symlink():
        target = _target()
        with _locked(target):
            _write_atomic(target, _encode({}, {}))
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass
