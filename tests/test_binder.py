"""Binder works: repo2docker's own build steps, reproduced in a fresh venv.

repo2docker (repo2docker/buildpacks/python/__init__.py) picks its Python buildpack for this
repository because runtime.txt names python, reads the version there, then installs
requirements.txt into the kernel's environment (``pip install --no-cache-dir -r
requirements.txt``) and, because pyproject.toml has [project] and [build-system], runs
``pip install --no-cache-dir .``, and last runs ``./postBuild`` (which installs the lab
settings that turn the news toast off). A ``binder/`` or ``.binder/`` folder would change all of
that: repo2docker then reads only the files inside it, ignores pyproject.toml's
requires-python and never runs ``pip install .``; so the repository has none.

The same two steps run here from a copy of the repository as a clone has it, with the
Python runtime.txt pins, then every lesson runs under nbval strict. (The download cache is
kept, unlike repo2docker's --no-cache-dir, so the test is fast; what gets installed is the
same.) Needs network access to PyPI.
"""

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib

import pytest
from venv_support import (
    LESSONS,
    NBVAL_TOOLS,
    ROOT,
    checkout_copy,
    copy_lessons,
    describe,
    nbval,
    new_venv,
    pip_install,
    requirement,
)

pytestmark = pytest.mark.venv
RUNTIME = ROOT / "runtime.txt"
DEV_ONLY = ("pytest", "pytest-xdist", "hypothesis", "ruff", "playwright", "nbval", "nbconvert")


def _pinned_python():
    match = re.fullmatch(r"python-(\d+)\.(\d+)", RUNTIME.read_text(encoding="utf-8").strip())
    assert match, f"runtime.txt must read like python-3.11, got {RUNTIME.read_text()!r}"
    return int(match.group(1)), int(match.group(2))


def test_runtime_pins_a_python_the_course_supports_and_nothing_overrides_it():
    major, minor = _pinned_python()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    oldest = tuple(int(n) for n in re.fullmatch(r">=(\d+)\.(\d+)", requires).groups())
    assert (major, minor) >= oldest, f"runtime.txt pins {major}.{minor}, pyproject {requires}"
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), (
            f"{folder}/ makes repo2docker ignore runtime.txt, requirements.txt and pyproject.toml "
            "at the top and skip `pip install .`"
        )


def test_requirements_txt_is_the_learners_list():
    lines = [line.split("#", 1)[0].strip()
             for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    names = {re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower() for line in lines if line}
    tools = names & set(DEV_ONLY)
    assert not tools, f"developer tools in requirements.txt: {tools}"
    assert {"numpy", "matplotlib", "ipywidgets", "ipykernel", "jupyterlab"} <= names
    assert not any(line.startswith(("-e", ".")) for line in lines), (
        "requirements.txt must not install the repository itself: repo2docker runs `pip install .`"
    )


def test_readme_says_how_to_launch_on_binder_at_lesson_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"https://mybinder\.org/v2/gh/\S+/HEAD\?labpath=lessons/"
                     r"01_layers_and_nodes\.ipynb", readme), "README has no Binder launch line"


@pytest.fixture(scope="session")
def binder(tmp_path_factory):
    major, minor = _pinned_python()
    if sys.version_info[:2] == (major, minor):
        python = sys.executable
    else:
        python = shutil.which(f"python{major}.{minor}")
        assert python, f"runtime.txt pins Python {major}.{minor}, which is not installed here"
    base = tmp_path_factory.mktemp("binder")
    repo = checkout_copy(base / "repo")
    venv_python = new_venv(base / "venv", python)
    started = time.monotonic()
    step1 = pip_install(venv_python, "-r", "requirements.txt", cwd=repo)
    step2 = pip_install(venv_python, ".", cwd=repo, verbose=True)
    seconds = time.monotonic() - started
    # repo2docker: RUN chmod +x postBuild; RUN ./postBuild, with NB_PYTHON_PREFIX set.
    env_prefix = venv_python.parent.parent
    subprocess.run(["bash", "postBuild"], cwd=repo, check=True,
                   env={**os.environ, "NB_PYTHON_PREFIX": str(env_prefix)})
    # Only to run the check; not part of what Binder installs.
    pip_install(venv_python, *(requirement(tool) for tool in NBVAL_TOOLS), cwd=base)
    return {"python": venv_python, "steps": (step1, step2), "install_seconds": seconds,
            "prefix": env_prefix}


def test_post_build_installs_the_lab_settings(binder):
    installed = binder["prefix"] / "share/jupyter/lab/settings/overrides.json"
    shipped = ROOT / "jupyter/lab/settings/overrides.json"
    assert installed.read_text() == shipped.read_text()


def test_binder_steps_install_without_deprecation_warnings(binder):
    output = "\n".join(step.stdout + step.stderr for step in binder["steps"])
    warnings = [line for line in output.splitlines() if re.search("deprecat", line, re.I)]
    assert not warnings, "installing warns:\n" + "\n".join(warnings)


def test_every_lesson_passes_nbval_strict_after_binders_steps(binder, tmp_path):
    lessons = copy_lessons(tmp_path)
    result = nbval(binder["python"], lessons, home=tmp_path)
    print(f"Binder-style install: {binder['install_seconds']:.0f} s; nbval: {result.summary} "
          f"in {result.seconds:.0f} s over {len(LESSONS)} lessons")
    assert result.returncode == 0 and result.counts.get("failed", 0) == 0, describe(result)
    assert result.counts.get("passed", 0) > len(LESSONS), describe(result)
