"""nnlib is a complete package: the wheel alone runs every lesson.

One wheel is built per test session from a copy of the repository as a clone has it, and
installed with requirements.txt into one fresh venv outside the repository. The lessons are
copied away from any checkout too, so nothing but the installed package can answer
``import nnlib`` (the setup cell would otherwise find the course folder). Then every lesson
runs under nbval strict. Needs network access to PyPI (cached in PIP_CACHE_DIR).
"""

import re
import sys
import time
import zipfile

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
    site_packages,
)

pytestmark = pytest.mark.venv


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    source = checkout_copy(tmp_path_factory.mktemp("clone"))
    dist = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", dist, source],
                 cwd=source)
    (path,) = dist.glob("nnlib-*.whl")
    return {"path": path, "source": source, "log": result.stdout + result.stderr}


@pytest.fixture(scope="session")
def installed(tmp_path_factory, wheel):
    base = tmp_path_factory.mktemp("wheel-install")
    python = new_venv(base / "venv")
    started = time.monotonic()
    pip_install(python, "-r", ROOT / "requirements.txt", wheel["path"],
                *(requirement(tool) for tool in NBVAL_TOOLS), cwd=base)
    return {"python": python, "base": base, "install_seconds": time.monotonic() - started}


def test_wheel_ships_every_subpackage_module_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel["path"]).namelist())
    source = wheel["source"]
    modules = sorted(p.relative_to(source).as_posix() for p in (source / "nnlib").rglob("*.py"))
    assert modules, "no nnlib modules found in the copy of the repository"
    missing = [m for m in modules if m not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert "nnlib/data/digits.npz" in names, "the digits data is not in the wheel"
    licences = {n.split("/licenses/", 1)[1] for n in names if "/licenses/" in n}
    assert {"LICENSE", "data/README.md"} <= licences, f"licence files in the wheel: {licences}"


def test_building_the_wheel_prints_no_deprecation_warning(wheel):
    warnings = [line for line in wheel["log"].splitlines() if re.search("deprecat", line, re.I)]
    assert not warnings, "building nnlib warns:\n" + "\n".join(warnings)


def test_wheel_metadata_has_the_spdx_licence(wheel):
    with zipfile.ZipFile(wheel["path"]) as whl:
        metadata = whl.read("nnlib-0.1.0.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata


def test_import_nnlib_answers_from_the_venv_not_the_repository(installed, tmp_path):
    lessons = copy_lessons(tmp_path)
    code = ("import nnlib, nnlib.exercises, nnlib.datasets as d\n"
            "print(nnlib.__file__); print(nnlib.exercises.__file__); print(d.DIGITS_FILE)\n"
            "print(d.load_digits().X_train.shape)")
    out = run([installed["python"], "-c", code], cwd=lessons, home=tmp_path).stdout.splitlines()
    site = site_packages(installed["python"])
    for path in out[:3]:
        assert path.startswith(str(site)), f"{path} is not in the venv's {site}"
        assert not path.startswith(str(ROOT)), f"{path} comes from the repository"
    assert out[3] == "(1438, 64)"


def test_every_lesson_passes_nbval_strict_on_the_installed_wheel(installed, tmp_path):
    lessons = copy_lessons(tmp_path)
    result = nbval(installed["python"], lessons, home=tmp_path)
    print(f"wheel install: {installed['install_seconds']:.0f} s; nbval: {result.summary} "
          f"in {result.seconds:.0f} s over {len(LESSONS)} lessons")
    assert result.returncode == 0 and result.counts.get("failed", 0) == 0, describe(result)
    assert result.counts.get("passed", 0) > len(LESSONS), describe(result)
