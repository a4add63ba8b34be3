"""The lessons' setup cell, run for real in the states a learner's kernel can be in.

Every lesson starts with the same setup block (up to ``environment.check()``). Here it
runs in a subprocess of this venv's Python started with ``-S`` (no site-packages, no .pth
files, so the editable nnlib install is invisible) and a PYTHONPATH pointing at a crafted
copy of site-packages: symlinks to every installed package except the ones a state
removes. So each state is a real environment, not a mock:

- all well: one line, ``Ready: ...`` with the versions;
- nnlib not installed, notebook inside a course checkout: uses that copy, says so, goes on;
- nnlib not installed and no course folder (Colab, a bare kernel): the one pip command;
- Python too old, ipywidgets missing, widget front end missing or too old: a sentence
  with the fix.
"""

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
END = "environment.check()\n"
# What belongs to the editable nnlib install (found only through its .pth file, which -S
# skips, but listed here too so the crafted site has no trace of nnlib).
NNLIB_INSTALL = ("__editable__", "nnlib-", "nnlib.")


def _first_code_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def _setup_block(path):
    source = "".join(_first_code_cell(path)["source"])
    assert END in source, f"{path.name}: the first code cell does not end its setup with {END!r}"
    return source.split(END, 1)[0] + END


SETUP = _setup_block(LESSONS[0])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_lesson_starts_with_the_same_setup(path):
    assert _setup_block(path) == SETUP, (
        f"{path.name}'s setup block differs from {LESSONS[0].name}'s; copy it "
        "(the block up to environment.check()) unchanged"
    )
    tags = _first_code_cell(path).get("metadata", {}).get("tags", [])
    assert "nbval-ignore-output" in tags, (
        f"{path.name}: the setup cell prints this machine's versions; tag it nbval-ignore-output"
    )


def _site_without(tmp_path, *prefixes, extra=()):
    """A folder of symlinks to site-packages, minus entries whose names start with a prefix."""
    site = tmp_path / "site"
    site.mkdir()
    drop = tuple(p.lower() for p in (*NNLIB_INSTALL, *prefixes))
    for entry in SITE_PACKAGES.iterdir():
        if not entry.name.lower().startswith(drop) and not entry.name.endswith(".pth"):
            (site / entry.name).symlink_to(entry)
    for name, version in extra:  # a package that claims to be installed at this version
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return site


def _run_setup(site, cwd, *, nnlib_on_path=True, before=""):
    path = [str(site)] + ([str(ROOT)] if nnlib_on_path else [])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = os.pathsep.join(path)
    return subprocess.run([sys.executable, "-S", "-c", before + SETUP], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _lines(out):
    return [line for line in out.splitlines() if line.strip()]


def test_all_well_prints_one_ready_line(tmp_path):
    result = _run_setup(_site_without(tmp_path), ROOT / "lessons")
    assert result.returncode == 0, result.stderr
    lines = _lines(result.stdout)
    assert len(lines) == 1, result.stdout
    for part in ("Ready: Python 3.", "nnlib 0.", "numpy 2.", "matplotlib 3.", "ipywidgets "):
        assert part in lines[0]


def test_no_nnlib_inside_a_course_checkout_uses_that_copy_and_goes_on(tmp_path):
    result = _run_setup(_site_without(tmp_path), ROOT / "lessons", nnlib_on_path=False)
    assert result.returncode == 0, result.stderr
    lines = _lines(result.stdout)
    assert lines[0] == (f"nnlib is not installed in this kernel: using the copy in {ROOT} "
                        f"(to install it for good: pip install -e {ROOT})")
    assert lines[1].startswith("Ready: "), result.stdout


def test_no_nnlib_and_no_course_folder_says_the_one_install_command(tmp_path):
    alone = tmp_path / "colab"
    alone.mkdir()
    result = _run_setup(_site_without(tmp_path), alone, nnlib_on_path=False)
    assert result.returncode != 0
    assert "ModuleNotFoundError: nnlib, the course's package, is not installed" in result.stderr
    assert '`%pip install "nnlib @ git+https://github.com/OWNER/REPO"`' in result.stderr
    assert "then run this cell again" in result.stderr


def test_a_missing_dependency_of_nnlib_is_named(tmp_path):
    result = _run_setup(_site_without(tmp_path, "numpy"), ROOT / "lessons")
    assert result.returncode != 0
    assert "No module named 'numpy'" in result.stderr


def test_too_old_python_says_which_python_to_use(tmp_path):
    old = "import sys\nsys.version_info = (3, 9, 18, 'final', 0)\n"
    result = _run_setup(_site_without(tmp_path), ROOT / "lessons", before=old)
    assert result.returncode == 0, result.stderr
    assert "Found: Python 3.9.18" in result.stdout
    expected = ("Problem: This kernel runs Python 3.9.18, but the course needs Python 3.11 or "
                "newer: choose a newer kernel (or install Python 3.11) and run this cell again.")
    assert expected in result.stdout


def test_missing_ipywidgets_says_the_install_command(tmp_path):
    site = _site_without(tmp_path, "ipywidgets", "jupyterlab_widgets", "widgetsnbextension")
    result = _run_setup(site, ROOT / "lessons")
    assert result.returncode == 0, result.stderr
    assert "ipywidgets missing" in result.stdout
    assert ('Problem: ipywidgets is not installed, so the sliders cannot appear: run '
            '`%pip install "ipywidgets>=8.1,<9"` in a cell') in result.stdout


def test_missing_widget_front_end_is_reported(tmp_path):
    site = _site_without(tmp_path, "jupyterlab_widgets", "widgetsnbextension")
    result = _run_setup(site, ROOT / "lessons")
    assert result.returncode == 0, result.stderr
    assert ("Problem: The widget front end (jupyterlab_widgets) is missing, so sliders will show "
            "as plain text") in result.stdout


def test_too_old_widget_front_end_is_reported(tmp_path):
    site = _site_without(tmp_path, "jupyterlab_widgets", extra=[("jupyterlab_widgets", "1.1.7")])
    result = _run_setup(site, ROOT / "lessons")
    assert result.returncode == 0, result.stderr
    assert "Problem: The widget front end (jupyterlab_widgets 1.1.7) is too old for ipywidgets 8." \
        in result.stdout
    assert "restart JupyterLab and reload the page." in result.stdout
