"""Copy the browser libraries the slides and the site need next to them, for offline use.

reveal.js (the slide show), require.js (which loads it) and MathJax 2 (which
typesets the formulas) are fetched once from the npm registry with
``npm pack``, and only the files a page loads are unpacked into
``<out>/_vendor/<name>/``. Without npm the pages fall back to the public CDNs
nbconvert uses, and then need a network to show slides and formulas.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

#: npm package -> the paths (files, or folders ending in "/") the pages load from it.
PACKAGES = {
    "reveal.js@4.0.2": ["dist/reveal.js", "dist/reveal.css", "dist/theme/simple.css",
                        "dist/theme/white.css", "plugin/notes/notes.js"],
    "requirejs@2.3.6": ["require.js"],
    "mathjax@2.7.7": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "extensions/",
                      "jax/input/TeX/", "jax/output/CommonHTML/", "jax/element/",
                      "fonts/HTML-CSS/TeX/woff/", "localization/en/"],
}
MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"


def folder(package: str) -> str:
    """The folder a package is unpacked into: its name without the version."""
    return package.rsplit("@", 1)[0]


def vendor(out: Path) -> bool:
    """Unpack every package of PACKAGES into ``out/_vendor``; False if npm cannot fetch them."""
    target = Path(out) / "_vendor"
    if all((target / folder(p)).is_dir() for p in PACKAGES):
        return True
    npm = shutil.which("npm")
    if npm is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", *PACKAGES, "--silent"], cwd=tmp,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            print(f"npm pack failed, the pages will use the CDN: {done.stderr.strip()[:200]}")
            return False
        for package, wanted in PACKAGES.items():
            name, version = package.rsplit("@", 1)
            with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                for member in tar.getmembers():
                    path = member.name.removeprefix("package/")
                    if member.isfile() and any(path == w or (w.endswith("/") and
                                                             path.startswith(w)) for w in wanted):
                        destination = target / name / path
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        destination.write_bytes(tar.extractfile(member).read())
    return True
