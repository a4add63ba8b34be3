"""The widget lessons on ipywidgets 7.7.1, the version Colab ships.

A fresh venv gets the lessons' packages as Colab has them (ipywidgets==7.7.1 instead of
requirements.txt's 8.x, no JupyterLab) and the course from a copy of the repository. Then:

- every lesson that shows sliders runs under nbval strict (the kernel side of each explorer:
  building it, displaying it through ipywidgets 7's ``_ipython_display_``);
- the explorers' tests (tests/test_widgets.py, test_playground.py, test_computational_graph.py)
  run there too: they move every slider of every explorer and check its update function's text
  and picture.

Needs network access to PyPI.
"""

import re
import time

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
    run,
)

pytestmark = pytest.mark.venv
COLAB_IPYWIDGETS = "ipywidgets==7.7.1"
# A lesson shows sliders when a cell builds an explorer or the playground.
WIDGET_CALL = re.compile(r"\b(\w+_explorer|playground)\(")
WIDGET_LESSONS = [p for p in LESSONS if WIDGET_CALL.search(p.read_text(encoding="utf-8"))]
# The tests that move every slider of an explorer (nnlib.widgets, the playground, lesson 5's
# graph explorer) through its update function.
WIDGET_TESTS = [f"tests/{name}" for name in ("test_widgets.py", "test_playground.py",
                                              "test_computational_graph.py")
                if (ROOT / "tests" / name).exists()]


def test_the_lessons_with_sliders_are_all_found():
    found = {p.name[:2] for p in WIDGET_LESSONS}
    assert {"02", "03", "04", "06"} <= found, f"widget lessons found: {sorted(found)}"


@pytest.fixture(scope="session")
def colab_like(tmp_path_factory):
    base = tmp_path_factory.mktemp("ipywidgets7")
    repo = checkout_copy(base / "repo")
    python = new_venv(base / "venv")
    started = time.monotonic()
    lesson_needs = [requirement(name, ROOT / "requirements.txt")
                    for name in ("numpy", "matplotlib", "ipykernel")]
    pip_install(python, *lesson_needs, COLAB_IPYWIDGETS, repo, cwd=base)
    seconds = time.monotonic() - started
    pip_install(python, *(requirement(tool) for tool in (*NBVAL_TOOLS, "hypothesis")), cwd=base)
    return {"python": python, "repo": repo, "base": base, "install_seconds": seconds}


def test_the_venv_really_has_ipywidgets_7_7_1(colab_like):
    out = run([colab_like["python"], "-c", "import ipywidgets; print(ipywidgets.__version__)"],
              cwd=colab_like["base"])
    assert out.stdout.strip() == "7.7.1"


def test_widget_lessons_pass_nbval_strict_on_ipywidgets_7(colab_like, tmp_path):
    lessons = copy_lessons(tmp_path, WIDGET_LESSONS)
    result = nbval(colab_like["python"], lessons, home=tmp_path)
    print(f"ipywidgets 7.7.1 install: {colab_like['install_seconds']:.0f} s; nbval on "
          f"{[p.name[:2] for p in WIDGET_LESSONS]}: {result.summary} in {result.seconds:.0f} s")
    assert result.returncode == 0 and result.counts.get("failed", 0) == 0, describe(result)
    assert result.counts.get("passed", 0) > len(WIDGET_LESSONS), describe(result)


def test_every_explorer_update_function_works_on_ipywidgets_7(colab_like, tmp_path):
    # The installed course answers `import nnlib` (pytest runs from the copy's tests folder's
    # parent, but through the venv's pytest script, which does not put the folder on sys.path).
    command = [colab_like["python"].parent / "pytest", "-p", "no:cacheprovider", "-q",
               "-W", "ignore::DeprecationWarning", *WIDGET_TESTS]
    result = run(command, cwd=colab_like["repo"], home=tmp_path, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"widget tests on ipywidgets 7.7.1: {summary} in {result.seconds:.0f} s")
    assert result.returncode == 0, f"{summary}\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}"
