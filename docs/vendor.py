"""Copy the browser libraries the slides and the site need next to them, for offline use.

reveal.js (the slide show and its theme's font), require.js (which loads it)
and MathJax 2 (which typesets the formulas) are fetched from the npm registry
with ``npm pack``, at the pinned versions below, and only the files a page
loads are unpacked into ``<out>/_vendor/<name>/``. The downloaded packages
are kept in ``build/npm/`` so later builds need no network at all.

There is no fallback to a public CDN: a site that quietly loads its scripts
from the internet is not offline. Without npm (and no kept packages) the
build stops with ``VendorError``, which says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where the packages fetched by ``npm pack`` are kept between builds.
CACHE = ROOT / "build" / "npm"

#: npm package -> the paths (files, or folders ending in "/") the pages load from it.
PACKAGES = {
    "reveal.js@4.0.2": ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                        "dist/theme/fonts/source-sans-pro/", "plugin/notes/notes.js"],
    "requirejs@2.3.6": ["require.js"],
    "mathjax@2.7.7": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
                      "extensions/", "jax/input/TeX/", "jax/output/CommonHTML/",
                      "jax/element/", "fonts/HTML-CSS/TeX/woff/", "localization/en/"],
}
#: The MathJax configuration the pages load: TeX in, CommonHTML out, and the
#: Safe extension (no javascript: links or raw styles from the formulas).
MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"
#: The reveal.js theme of the decks; its font (Source Sans Pro) ships inside reveal.js.
REVEAL_THEME = "white"


class VendorError(RuntimeError):
    """The browser libraries could not be fetched, so the pages could not work offline."""


def folder(package: str) -> str:
    """The folder a package is unpacked into: its name without the version."""
    return package.rsplit("@", 1)[0]


def tarball(package: str) -> Path:
    """Where ``npm pack`` leaves a package: ``<name>-<version>.tgz`` in CACHE."""
    name, version = package.rsplit("@", 1)
    return CACHE / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def wanted(package: str, path: str) -> bool:
    """True if the file ``path`` of ``package`` is one a page loads (see PACKAGES)."""
    return any(path == w or (w.endswith("/") and path.startswith(w)) for w in PACKAGES[package])


def fetch(packages=PACKAGES) -> None:
    """``npm pack`` every package not yet kept in CACHE; VendorError if npm cannot."""
    missing = [p for p in packages if not tarball(p).is_file()]
    if not missing:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(
            f"the offline site and slides need {', '.join(missing)} from the npm registry, "
            "and npm is not installed: install it (Debian: `apt-get install npm`) and build again")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", *missing, "--silent"], cwd=tmp,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise VendorError(f"`npm pack {' '.join(missing)}` failed (exit {done.returncode}): "
                              f"{done.stderr.strip()[:400]}")
        for package in missing:
            shutil.move(Path(tmp) / tarball(package).name, tarball(package))


def vendor(out: Path) -> Path:
    """Unpack the files the pages load into ``out/_vendor``; returns that folder.

    Raises VendorError when the packages cannot be fetched.
    """
    fetch()
    target = Path(out) / "_vendor"
    for package in PACKAGES:
        name = folder(package)
        with tarfile.open(tarball(package)) as tar:
            for member in tar.getmembers():
                path = member.name.removeprefix("package/")
                if member.isfile() and wanted(package, path):
                    destination = target / name / path
                    if destination.is_file() and destination.stat().st_size == member.size:
                        continue
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(tar.extractfile(member).read())
    return target
