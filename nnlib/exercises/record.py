"""Your progress through the exercises, kept in a small local JSON file.

When an exercise check passes, its key is written to a JSON file on *your*
machine; nothing is ever sent anywhere. Where the file lives:

- ``$NNLIB_PROGRESS_FILE`` if that environment variable is set, else
- ``~/.nnlib/progress.json``.

Turn recording off with ``NNLIB_PROGRESS=off`` (environment) or
``record.disable()``; start again from nothing with ``record.reset()``.
A missing, unreadable or damaged file never stops a lesson: what can be read
is kept, the rest starts empty.

File format: ``{"version": 1, "done": {"02": ["weighted_sum", ...], ...}}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_enabled = os.environ.get("NNLIB_PROGRESS", "on").lower() not in ("off", "0", "false", "no")


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


def load() -> dict:
    """``{lesson: set of exercise keys}`` from the file; damaged parts are skipped."""
    try:
        data = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    done = data.get("done") if isinstance(data, dict) else None
    if not isinstance(done, dict):
        return {}
    return {str(lesson): {k for k in keys if isinstance(k, str)}
            for lesson, keys in done.items() if isinstance(keys, list)}


def _save(done: dict) -> None:
    path = progress_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    done = {lesson: sorted(keys) for lesson, keys in sorted(done.items())}
    payload = {"version": 1, "done": done}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    tmp.replace(path)  # never leaves a half-written file behind


def mark_done(lesson: str, key: str) -> bool:
    """Record that exercise ``key`` of ``lesson`` passed. Returns False if not recorded."""
    if not _enabled:
        return False
    done = load()
    if key in done.get(lesson, set()):
        return True
    done.setdefault(lesson, set()).add(key)
    try:
        _save(done)
    except OSError:
        return False  # a read-only home directory must not break the lesson
    return True


def reset() -> None:
    """Forget all recorded progress (deletes the file)."""
    try:
        progress_file().unlink()
    except FileNotFoundError:
        pass
