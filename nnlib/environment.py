"""Is this kernel ready for the course? One line if it is, a sentence with the fix if not.

Every lesson's first cell calls :func:`check`. When all is well it prints one line::

    Ready: Python 3.11.7, nnlib 0.1.0, numpy 2.3.5, matplotlib 3.10.8, ipywidgets 8.1.9

When something is off it prints one sentence per problem, each saying what to do:

- a Python older than the course supports (``requires-python`` in pyproject.toml);
- matplotlib or ipywidgets missing, or a version the lessons were not written for;
- the widget front end (the part of ipywidgets that runs in the browser) missing or too
  old for the ipywidgets in the kernel.

Nothing here can help when ``nnlib`` itself cannot be imported: the setup cell handles
that case with its own few lines before it imports nnlib.

Only numpy is imported at the top; the other packages are looked up by their installed
metadata (``importlib.metadata``), so the check is fast and never imports matplotlib or
ipywidgets itself.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

import numpy as np

#: The oldest Python the course is tested on (pyproject.toml: ``requires-python``).
OLDEST_PYTHON = (3, 11)

# What a learner installs (requirements.txt); the fix sentences quote these.
MATPLOTLIB = "matplotlib>=3.8,<4"
IPYWIDGETS = "ipywidgets>=8.1,<9"
# ipywidgets 7.7 (what Colab ships) works too; older 7.x releases were never tested.
OLDEST_IPYWIDGETS_7 = (7, 7)


def _version_tuple(text: str) -> tuple[int, ...]:
    """``"8.1.9"`` -> ``(8, 1, 9)``; ``"3.0.0rc1"`` -> ``(3, 0, 0)``: the leading numbers."""
    return tuple(int(n) for n in re.match(r"\d+(?:\.\d+)*", text).group(0).split("."))


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution`` (a pip name), or None if it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _python_problem(version_info) -> str | None:
    if tuple(version_info[:2]) >= OLDEST_PYTHON:
        return None
    have = ".".join(str(v) for v in version_info[:3])
    need = ".".join(str(v) for v in OLDEST_PYTHON)
    return (f"This kernel runs Python {have}, but the course needs Python {need} or newer: "
            f"choose a newer kernel (or install Python {need}) and run this cell again.")


def _matplotlib_problem(version: str | None) -> str | None:
    if version is None:
        return (f'matplotlib is not installed, so no lesson can draw its pictures: run '
                f'`%pip install "{MATPLOTLIB}"` in a cell, then restart the kernel.')
    if _version_tuple(version)[:2] < (3, 8):
        return (f'matplotlib {version} is older than the lessons need: run '
                f'`%pip install "{MATPLOTLIB}"` in a cell, then restart the kernel.')
    return None


def _ipywidgets_problem(version: str | None) -> str | None:
    if version is None:
        return (f'ipywidgets is not installed, so the sliders cannot appear: run '
                f'`%pip install "{IPYWIDGETS}"` in a cell, then restart the kernel '
                "and reload the page.")
    have = _version_tuple(version)
    if have[:1] == (8,) or (have[:1] == (7,) and have[:2] >= OLDEST_IPYWIDGETS_7):
        return None
    return (f'ipywidgets {version} is not one the sliders were tested with (7.7 or 8): run '
            f'`%pip install "{IPYWIDGETS}"` in a cell, then restart the kernel '
            "and reload the page.")


def _front_end_problem(ipywidgets: str | None, lab_widgets: str | None,
                       notebook_widgets: str | None, jupyterlab: str | None) -> str | None:
    """The browser side of ipywidgets, as far as this environment can tell.

    JupyterLab and Notebook 7 draw widgets with the ``jupyterlab_widgets`` extension;
    ipywidgets 8 needs its 3.x series, and so does JupyterLab 4. Colab and VS Code bring
    their own widget front end, so a missing extension only matters when JupyterLab or
    Notebook runs from this same environment (``jupyterlab`` installed here).
    """
    if ipywidgets is None:
        return None  # already reported, with its fix
    kernel_major = _version_tuple(ipywidgets)[:1]
    fix = (f'run `pip install "{IPYWIDGETS}"` in the environment that runs JupyterLab, '
           "restart JupyterLab and reload the page")
    if lab_widgets is None:
        if jupyterlab is None or notebook_widgets is not None:
            return None
        return ("The widget front end (jupyterlab_widgets) is missing, so sliders will show "
                f"as plain text: {fix}.")
    front_major = _version_tuple(lab_widgets)[:1]
    lab_major = _version_tuple(jupyterlab)[:1] if jupyterlab else ()
    if (kernel_major == (8,) or lab_major >= (4,)) and front_major < (3,):
        return (f"The widget front end (jupyterlab_widgets {lab_widgets}) is too old for "
                f"ipywidgets {ipywidgets}"
                + (f" and JupyterLab {jupyterlab}" if lab_major >= (4,) else "")
                + f", so sliders will not appear: {fix}.")
    return None


def problems() -> list[str]:
    """Every problem found, each a sentence ending with its fix; empty when all is well."""
    ipywidgets = installed_version("ipywidgets")
    found = [
        _python_problem(sys.version_info),
        _matplotlib_problem(installed_version("matplotlib")),
        _ipywidgets_problem(ipywidgets),
        _front_end_problem(ipywidgets, installed_version("jupyterlab_widgets"),
                           installed_version("widgetsnbextension"),
                           installed_version("jupyterlab")),
    ]
    return [p for p in found if p is not None]


def summary() -> str:
    """``Ready: Python ..., nnlib ..., numpy ..., matplotlib ..., ipywidgets ...``."""
    from nnlib import __version__

    python = ".".join(str(v) for v in sys.version_info[:3])
    parts = [f"Python {python}", f"nnlib {__version__}", f"numpy {np.__version__}"]
    for name in ("matplotlib", "ipywidgets"):
        parts.append(f"{name} {installed_version(name) or 'missing'}")
    return "Ready: " + ", ".join(parts)


def check() -> bool:
    """Print one line if the course will run here, else each problem with its fix.

    Returns True when all is well, so a script can act on it.
    """
    found = problems()
    if not found:
        print(summary())
        return True
    print(summary().replace("Ready: ", "Found: ", 1))
    for problem in found:
        print("Problem:", problem)
    return False
