"""JupyterLab's first screen, started exactly as `make lab` starts it.

The arguments come from the Makefile (`make -s lab-args`), so this test and `make lab` cannot
drift apart. JupyterLab runs for real on loopback and is stopped by its PID. Checked:

- the URL it prints (what a learner copies when no browser opens) opens lesson 1;
- it serves the repository root: README.md, nnlib/ and lessons/ are all reachable;
- the settings shipped in jupyter/lab/settings/overrides.json, which `make setup` copies into
  the venv, are in force: no news and no update checks, so no toast covers the lesson.
"""

import json
import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_LESSON = "lessons/01_layers_and_nodes.ipynb"
SHIPPED_SETTINGS = ROOT / "jupyter" / "lab" / "settings" / "overrides.json"
VENV_SETTINGS = Path(sysconfig.get_paths()["data"]) / "share/jupyter/lab/settings/overrides.json"
START_TIMEOUT_S = 60


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_args():
    out = subprocess.run(["make", "-s", "lab-args"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return out.split()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-first-screen")
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / "user-settings"),  # no personal settings
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        IPYTHONDIR=str(home / "ipython"),
    )
    # No token given: JupyterLab makes one and prints it in the URL, as for a learner.
    port = _free_port()
    command = [sys.executable, "-m", "jupyterlab", *_lab_args(), "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0"]
    log_path = home / "lab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log)
    try:
        printed = None
        deadline = time.monotonic() + START_TIMEOUT_S
        while printed is None and time.monotonic() < deadline:
            assert process.poll() is None, f"JupyterLab exited:\n{log_path.read_text()}"
            found = re.search(rf"http://127\.0\.0\.1:{port}/\S+token=\w+", log_path.read_text())
            printed = found.group(0) if found else None
            time.sleep(0.3)
        assert printed, f"JupyterLab printed no URL within {START_TIMEOUT_S} s:\n" \
                        f"{log_path.read_text()}"
        token = printed.rsplit("token=", 1)[1]
        yield {"base": f"http://127.0.0.1:{port}", "token": token, "printed": printed}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(lab, path):
    request = urllib.request.Request(lab["base"] + path,
                                     headers={"Authorization": f"token {lab['token']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def test_the_printed_url_opens_lesson_one(lab):
    assert lab["printed"].startswith(f"{lab['base']}/lab/tree/{FIRST_LESSON}?token="), lab
    with urllib.request.urlopen(lab["printed"], timeout=30) as response:
        assert response.status == 200
        page = response.read().decode("utf-8")
    assert "jupyter-config-data" in page  # the JupyterLab page itself, not a login form


def test_the_whole_repository_is_served(lab):
    for path in ("README.md", "nnlib/__init__.py", FIRST_LESSON, "Makefile"):
        status, body = _get(lab, f"/api/contents/{path}?content=0")
        assert status == 200 and json.loads(body)["path"] == path


def test_no_news_or_update_toast(lab):
    shipped = SHIPPED_SETTINGS.relative_to(ROOT)
    assert VENV_SETTINGS.is_file(), f"{VENV_SETTINGS} is missing: `make setup` copies {shipped}"
    assert json.loads(VENV_SETTINGS.read_text()) == json.loads(SHIPPED_SETTINGS.read_text()), (
        f"{VENV_SETTINGS} differs from the shipped settings; run `make setup`"
    )
    status, body = _get(lab, "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    # overrides.json replaces the defaults of the plugin's settings schema.
    defaults = {k: v["default"] for k, v in json.loads(body)["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false"
    assert defaults["checkForUpdates"] is False
