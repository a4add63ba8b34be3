"""Helpers for the tests that install the course into a fresh virtual environment.

tests/test_packaging.py (a built wheel), tests/test_binder.py (repo2docker's steps) and
tests/test_ipywidgets7.py (Colab's ipywidgets) each make one venv per test session, outside
the repository, install packages from PyPI into it, and run the lessons there under nbval.
Downloads are cached in PIP_CACHE_DIR (default: a folder in the system's temp directory), so
only the first run of the day fetches anything.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
PIP_CACHE_DIR = os.environ.get("PIP_CACHE_DIR") or str(Path(tempfile.gettempdir()) /
                                                        "nnlib-tests-pip-cache")
INSTALL_TIMEOUT_S = 1800
NBVAL_TIMEOUT_S = 1800


def _env(home: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_XDIST_WORKER",
                        "PYTEST_ADDOPTS", "NNLIB_PROGRESS_FILE")}
    env.update(PIP_CACHE_DIR=PIP_CACHE_DIR, PIP_DISABLE_PIP_VERSION_CHECK="1",
               PYTHONDONTWRITEBYTECODE="1")
    if home is not None:  # kernels, Jupyter and the progress record stay in the test's folder
        env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
                   JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
                   IPYTHONDIR=str(home / ".ipython"),
                   MPLCONFIGDIR=str(home / ".matplotlib"))
    return env


def run(command, cwd, *, timeout=INSTALL_TIMEOUT_S, home=None, check=True):
    """Run ``command``; on failure raise AssertionError with the command and its output's end."""
    started = time.monotonic()
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=_env(home),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout)
    result.seconds = time.monotonic() - started
    if check and result.returncode != 0:
        raise AssertionError(
            f"`{' '.join(map(str, command))}` in {cwd} failed (exit {result.returncode}):\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-4000:]}")
    return result


def checkout_copy(dest: Path) -> Path:
    """The repository as a clone would have it (tracked and not-ignored files), copied to dest."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():  # a file deleted but not yet committed is skipped
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def new_venv(path: Path, python: str = sys.executable) -> Path:
    """A fresh venv at ``path`` (its interpreter is the base of ``python``); returns its python."""
    run([python, "-m", "venv", path], cwd=path.parent)
    venv_python = path / "bin" / "python"
    run([venv_python, "-m", "pip", "install", "-q", "--upgrade", "pip"], cwd=path.parent)
    return venv_python


def pip_install(venv_python: Path, *args, cwd: Path, verbose=False):
    flags = ["-v"] if verbose else ["-q"]
    return run([venv_python, "-m", "pip", "install", *flags, *args], cwd=cwd)


def site_packages(venv_python: Path) -> Path:
    out = run([venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
              cwd=venv_python.parent)
    return Path(out.stdout.strip())


def copy_lessons(dest: Path, notebooks=LESSONS) -> Path:
    """The lessons (and nbval's sanitizer) copied to ``dest/lessons``, away from any checkout."""
    lessons = dest / "lessons"
    lessons.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copy2(notebook, lessons / notebook.name)
    shutil.copy2(SANITIZE, dest / SANITIZE.name)
    return lessons


def nbval(venv_python: Path, lessons: Path, home: Path):
    """Run every notebook in ``lessons`` under nbval strict with the venv's pytest.

    Returns the finished process with ``counts`` ({"passed": n, "failed": m, ...}) and
    ``seconds``; the caller asserts on them.
    """
    command = [venv_python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
               "--nbval-sanitize-with", lessons.parent / SANITIZE.name, "-n", "2",
               "--dist", "loadfile", *sorted(p.name for p in lessons.glob("*.ipynb"))]
    result = run(command, cwd=lessons, timeout=NBVAL_TIMEOUT_S, home=home, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    result.counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", summary)}
    result.summary = summary
    return result


def describe(result) -> str:
    """What a failed nbval run printed, for an assertion message."""
    return f"{result.summary} ({result.seconds:.0f} s)\n{result.stdout[-8000:]}\n" \
           f"{result.stderr[-2000:]}"


def requirement(name: str, listing: Path = ROOT / "requirements-dev.txt") -> str:
    """The line for ``name`` in a requirements file (so venvs get the versions the lists pin)."""
    for line in listing.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if re.match(rf"{re.escape(name)}\s*([<>=!~;\[]|$)", line):
            return line
    raise AssertionError(f"{listing.name} has no line for {name}")


# What running the lessons under nbval needs on top of the course (not part of any install a
# learner makes).
NBVAL_TOOLS = ("nbval", "pytest", "pytest-xdist")
