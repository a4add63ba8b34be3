"""Run every lesson the way a learner does: in a real JupyterLab, in a real browser.

For each notebook in lessons/ this module

1. opens it in JupyterLab (one server for the whole test session) in headless Chromium,
2. restarts the kernel and runs all cells,
3. checks that no cell shows an error and that every widget and every matplotlib
   figure of the lesson is rendered,
4. moves every slider one step with the keyboard and checks that its explorer
   (readout text and figure) follows; the time this takes is printed, not asserted.

Screenshots and the slider timings are saved in tests/screenshots/.

Run only these tests:   .venv/bin/python -m pytest tests/test_browser.py -s
Leave them out:         .venv/bin/python -m pytest -m "not browser"
Other notebooks:        NNLIB_BROWSER_LESSONS='some/dir/*.ipynb' (globs or paths relative to the
                        repository root, separated by spaces or commas; default lessons/*.ipynb)

Widget convention the lessons follow (and this test relies on): an interactive explorer is an
ipywidgets.VBox with the CSS class "nnlib-explorer" holding sliders, an HTML readout with the class
"nnlib-readout" and an Image (a PNG of a matplotlib figure) with the class "nnlib-figure".
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = REPO_ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    "Install the browser with `apt-get install chromium` and the Python packages with "
    "`pip install -r requirements.txt`."
)

SERVER_START_TIMEOUT_S = 60  # JupyterLab must answer /api/status within this time
PAGE_READY_TIMEOUT_MS = 60_000  # notebook opened and kernel idle
RUN_ALL_TIMEOUT_MS = 120_000  # "Restart Kernel and Run All Cells" must finish within this time
RENDER_TIMEOUT_MS = 10_000  # widgets and figures must appear within this time after run-all
SLIDER_TIMEOUT_MS = 10_000  # an explorer must follow its slider within this time

# JupyterLab settings for the test server, written to its own overrides.json.
LAB_SETTINGS_OVERRIDES = {
    # No "news" / "update available" toast on top of the notebook.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Never save the notebook: the test must not write its outputs into lessons/.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}

STDERR_MIME = "application/vnd.jupyter.stderr"  # JupyterLab shows errors and stderr with this type
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# --------------------------------------------------------------------------------------------
# Which notebooks to test
# --------------------------------------------------------------------------------------------


def find_lessons() -> list[Path]:
    """The notebooks to test, sorted: lessons/*.ipynb, or those named by NNLIB_BROWSER_LESSONS."""
    patterns = os.environ.get("NNLIB_BROWSER_LESSONS", "lessons/*.ipynb").replace(",", " ").split()
    found = set()
    for pattern in patterns:
        found.update(REPO_ROOT.glob(pattern))
    return sorted(path for path in found if path.suffix == ".ipynb")


LESSONS = find_lessons()


def stored_output_counts(notebook: Path) -> list[dict[str, int]]:
    """For each cell of the saved notebook: how many PNG figures and widgets its outputs hold.

    The lessons are saved executed, so their stored outputs tell what a learner should see.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    counts = []
    for cell in cells:
        outputs = cell.get("outputs", [])
        counts.append(
            {
                "png": sum("image/png" in output.get("data", {}) for output in outputs),
                "widgets": sum(WIDGET_MIME in output.get("data", {}) for output in outputs),
            }
        )
    return counts


# --------------------------------------------------------------------------------------------
# The JupyterLab server (one for the whole session)
# --------------------------------------------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab: where it listens and the token that lets us in."""

    base_url: str
    token: str

    def url(self, path: str) -> str:
        """Address of `path` on the server, with the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{separator}token={self.token}"


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log_path: Path, lines: int = 40) -> str:
    """The last lines of the server's log, to show when something went wrong."""
    if not log_path.exists():
        return "(no log)"
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def wait_until_answering(
    process: subprocess.Popen, status_url: str, log_path: Path, timeout_s: float
) -> None:
    """Poll JupyterLab's /api/status until it answers; fail with the log tail if it never does."""
    # Talk to 127.0.0.1 directly, even when an http_proxy is set in the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {process.returncode} before it answered.\n"
                f"Last lines of its log:\n{log_tail(log_path)}",
                pytrace=False,
            )
        try:
            with opener.open(status_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet
        time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer {status_url.split('?')[0]} within {timeout_s} s.\n"
        f"Last lines of its log:\n{log_tail(log_path)}",
        pytrace=False,
    )


def stop_process(process: subprocess.Popen) -> None:
    """Stop the server by its own process id: politely first, then by force."""
    if process.poll() is None:
        process.terminate()  # JupyterLab shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    """Start JupyterLab from this Python environment, isolated from the user's own settings.

    Settings, workspaces, runtime files, config and data go to a temporary folder. The lab's
    settings overrides (overrides.json) are read from --LabApp.app_settings_dir, which we point
    into that folder too, so nothing is written into the virtual environment.
    """
    home = tmp_path_factory.mktemp("jupyterlab")
    app_settings_dir = home / "app-settings"
    app_settings_dir.mkdir()
    (app_settings_dir / "overrides.json").write_text(
        json.dumps(LAB_SETTINGS_OVERRIDES, indent=2), encoding="utf-8"
    )
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),  # ignore ~/.jupyter
        JUPYTER_DATA_DIR=str(home / "data"),  # ignore ~/.local/share/jupyter
        IPYTHONDIR=str(home / "ipython"),  # no personal IPython startup files in the kernel
    )
    port = free_loopback_port()
    token = secrets.token_hex(24)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO_ROOT}",
        f"--LabApp.app_settings_dir={app_settings_dir}",
        # Lets the test call JupyterLab's own commands through window.jupyterapp.
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")

    log_path = home / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            server = LabServer(base_url=f"http://127.0.0.1:{port}", token=token)
            wait_until_answering(
                process, server.url("/api/status"), log_path, SERVER_START_TIMEOUT_S
            )
            yield server
        finally:
            stop_process(process)


# --------------------------------------------------------------------------------------------
# The browser (one for the whole session, a fresh page per lesson)
# --------------------------------------------------------------------------------------------


def browser_missing(reason: str) -> None:
    """Skip the browser tests on a learner's machine, but fail them on CI."""
    message = f"{reason} {INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: a missing browser is an error)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's /usr/bin/chromium) driven by the playwright package."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_missing("The Python package `playwright` is not installed.")
    if not CHROMIUM.exists():
        browser_missing(f"No Chromium at {CHROMIUM}.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def slider_timings():
    """Collects "lesson, slider, ms" lines; prints them and saves tests/screenshots/timings.txt."""
    lines: list[str] = []
    yield lines
    if lines:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        summary = "lesson, slider, ms from key press to updated explorer\n" + "\n".join(lines)
        (SCREENSHOT_DIR / "timings.txt").write_text(summary + "\n", encoding="utf-8")
        print(f"\n\nSlider timings (also in {SCREENSHOT_DIR / 'timings.txt'}):\n{summary}")


# --------------------------------------------------------------------------------------------
# JavaScript run inside the JupyterLab page. `findPanel(path)` finds the open notebook.
# --------------------------------------------------------------------------------------------

FIND_PANEL_JS = """
function findPanel(path) {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const widget of app.shell.widgets("main")) {
        if (widget.context && widget.context.path === path && widget.content) return widget;
    }
    return null;
}
"""

# True once the notebook is open and its kernel is connected and idle.
NOTEBOOK_READY_JS = (
    "(path) => {"
    + FIND_PANEL_JS
    + """
    const panel = findPanel(path);
    if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return Boolean(kernel && kernel.connectionStatus === "connected" && kernel.status === "idle");
}"""
)

# Activate the notebook, clear its outputs (so old execution counts can't look like a finished
# run) and start "Restart Kernel and Run All Cells" (it waits for a confirm dialog).
START_RUN_ALL_JS = (
    "async (path) => {"
    + FIND_PANEL_JS
    + """
    const app = window.jupyterapp;
    const panel = findPanel(path);
    app.shell.activateById(panel.id);
    await app.commands.execute("notebook:clear-all-cell-outputs");
    void app.commands.execute("notebook:restart-run-all");
    return panel.id;
}"""
)

# True once the kernel is idle and every non-empty code cell ran (or a cell raised an error,
# which stops "run all").
RUN_ALL_FINISHED_JS = (
    "(path) => {"
    + FIND_PANEL_JS
    + """
    const panel = findPanel(path);
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== "idle") return false;
    let allRan = true;
    for (const cell of panel.content.widgets) {
        if (cell.model.type !== "code") continue;
        const outputs = cell.model.outputs.toJSON();
        if (outputs.some((output) => output.output_type === "error")) return true;
        const empty = cell.model.sharedModel.getSource().trim() === "";
        if (!empty && cell.model.executionCount === null) allRan = false;
    }
    return allRan;
}"""
)

# Where the notebook stands, to explain a timeout.
RUN_ALL_STATE_JS = (
    "(path) => {"
    + FIND_PANEL_JS
    + """
    const panel = findPanel(path);
    if (!panel) return "notebook not open";
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const prompts = panel.content.widgets
        .filter((cell) => cell.model.type === "code")
        .map((cell, i) => `cell ${i + 1}: [${cell.model.executionCount ?? " "}]`);
    return `kernel ${kernel ? kernel.status : "none"}; ` + prompts.join(", ");
}"""
)

# What every cell shows: error text, rendered widgets, rendered images, widget error text.
CELL_REPORT_JS = """(panelNode, stderrMime) => {
    const cells = Array.from(panelNode.querySelectorAll(".jp-Notebook .jp-Cell"));
    return cells.map((cell) => {
        const outputs = Array.from(cell.querySelectorAll(".jp-OutputArea-output"));
        const errors = outputs
            .filter((node) => node.getAttribute("data-mime-type") === stderrMime)
            .map((node) => node.textContent);
        const widgetViews = outputs.filter((node) => (
            node.classList.contains("jupyter-widgets") || node.querySelector(".jupyter-widgets")
        ));
        const images = Array.from(cell.querySelectorAll(".jp-RenderedImage img"));
        const outputText = Array.from(
            cell.querySelectorAll(".jp-OutputArea"), (area) => area.textContent
        ).join("\\n");
        const editor = cell.querySelector(".jp-InputArea-editor");
        return {
            source: editor ? editor.textContent : "",
            errors: errors,
            widgets: widgetViews.length,
            images: images.length,
            loadedImages: images.filter((img) => img.complete && img.naturalWidth > 0).length,
            widgetError: /Error displaying widget|model not found/.test(outputText),
        };
    });
}"""

# Before a slider moves: find what depends on it, remember it, and watch for it to change.
WATCH_SLIDER_JS = """(handle) => {
    const explorer = handle.closest(".nnlib-explorer");
    const container = explorer || handle.closest(".jp-OutputArea") || handle.closest(".jp-Cell");
    const slider = handle.closest(".widget-slider");
    const labelNode = slider && slider.querySelector(".widget-label");
    const label = (labelNode && labelNode.textContent.trim()) || "(slider without description)";

    function readoutText() {
        const readouts = container.querySelectorAll(".nnlib-readout");
        if (readouts.length > 0) {
            return Array.from(readouts, (node) => node.textContent).join("\\n");
        }
        // No readout by convention: all the text except the sliders' own value labels.
        const copy = container.cloneNode(true);
        copy.querySelectorAll(".widget-slider").forEach((node) => node.remove());
        return copy.textContent;
    }
    function imageSources() {
        return Array.from(container.querySelectorAll("img"), (img) => img.src);
    }

    const watch = {
        label: label,
        inExplorer: Boolean(explorer),
        hasReadout: container.querySelectorAll(".nnlib-readout").length > 0,
        hasFigure: container.querySelectorAll(".nnlib-figure").length > 0,
        textBefore: readoutText(),
        imagesBefore: imageSources(),
        textChanged: false,
        imageChanged: false,
        pressedAt: null,
        updatedAt: null,
        done: false,
    };
    const needImage = watch.imagesBefore.length > 0;
    const value = parseFloat(handle.getAttribute("aria-valuenow"));
    const max = parseFloat(handle.getAttribute("aria-valuemax"));
    watch.key = value >= max ? "ArrowLeft" : "ArrowRight";

    handle.addEventListener("keydown", (event) => {
        if (watch.pressedAt === null) watch.pressedAt = performance.now();
    }, { capture: true, once: true });

    const observer = new MutationObserver(() => {
        watch.textChanged = readoutText() !== watch.textBefore;
        const now = imageSources();
        watch.imageChanged = now.join("\\n") !== watch.imagesBefore.join("\\n");
        if (watch.textChanged && (watch.imageChanged || !needImage) && !watch.done) {
            watch.done = true;
            observer.disconnect();
            // Count the time until the new figure is decoded, ready to be painted.
            const fresh = Array.from(container.querySelectorAll("img"))
                .filter((img) => !watch.imagesBefore.includes(img.src));
            Promise.all(fresh.map((img) => img.decode().catch(() => null))).then(() => {
                watch.updatedAt = performance.now();
            });
        }
    });
    observer.observe(container, {
        subtree: true, childList: true, characterData: true, attributes: true,
    });
    window.nnlibSliderWatch = watch;
    return {
        label: watch.label, key: watch.key, inExplorer: watch.inExplorer,
        hasReadout: watch.hasReadout, hasFigure: watch.hasFigure,
    };
}"""

SLIDER_UPDATED_JS = "() => window.nnlibSliderWatch.updatedAt !== null"
SLIDER_STATE_JS = """() => {
    const watch = window.nnlibSliderWatch;
    return {
        textChanged: watch.textChanged, imageChanged: watch.imageChanged,
        pressed: watch.pressedAt !== null, images: watch.imagesBefore.length,
        ms: watch.updatedAt === null ? null : watch.updatedAt - watch.pressedAt,
    };
}"""


# --------------------------------------------------------------------------------------------
# Steps of the test
# --------------------------------------------------------------------------------------------


def open_notebook(page, server: LabServer, notebook_path: str) -> None:
    """Open the notebook in a fresh JupyterLab workspace and wait for an idle kernel."""
    page.goto(server.url(f"/lab/tree/{notebook_path}?reset"))
    page.wait_for_function("() => Boolean(window.jupyterapp)", timeout=PAGE_READY_TIMEOUT_MS)
    page.wait_for_function(NOTEBOOK_READY_JS, arg=notebook_path, timeout=PAGE_READY_TIMEOUT_MS)


def restart_and_run_all(page, notebook_path: str, lesson: str) -> str:
    """Kernel > Restart Kernel and Run All Cells, confirm, and wait for the run to finish.

    Returns a CSS selector for the notebook panel.
    """
    panel_id = page.evaluate(START_RUN_ALL_JS, notebook_path)
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    try:
        page.wait_for_function(
            RUN_ALL_FINISHED_JS, arg=notebook_path, timeout=RUN_ALL_TIMEOUT_MS, polling=200
        )
    except Exception as error:  # playwright's TimeoutError
        state = page.evaluate(RUN_ALL_STATE_JS, notebook_path)
        pytest.fail(
            f"{lesson}: run-all did not finish within {RUN_ALL_TIMEOUT_MS / 1000:.0f} s ({state})"
            f"\n{error}",
            pytrace=False,
        )
    return f"#{panel_id}"


def cell_report(page, panel: str) -> list[dict]:
    """What each cell of the notebook shows right now (see CELL_REPORT_JS)."""
    return page.locator(panel).evaluate(CELL_REPORT_JS, STDERR_MIME)


def short(text: str, limit: int = 600) -> str:
    """Text cut to `limit` characters, for failure messages."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " [...]"


def error_messages(lesson: str, cells: list[dict]) -> list[str]:
    """One message per cell that shows an error, stderr output or a widget that failed."""
    messages = []
    for number, cell in enumerate(cells, start=1):
        where = f"{lesson}, cell {number}:\n    {short(cell['source'], 200)}"
        for text in cell["errors"]:
            messages.append(f"{where}\n  shows an error / stderr output:\n{short(text)}")
        if cell["widgetError"]:
            messages.append(f"{where}\n  shows 'Error displaying widget' / 'model not found'")
    return messages


def render_problems(lesson: str, cells: list[dict], expected: list[dict[str, int]]) -> list[str]:
    """Cells with fewer rendered widgets or figures than the saved lesson has."""
    problems = []
    if len(cells) != len(expected):
        return [f"{lesson}: the page shows {len(cells)} cells, the file has {len(expected)}"]
    for number, (cell, want) in enumerate(zip(cells, expected, strict=True), start=1):
        where = f"{lesson}, cell {number} ({short(cell['source'], 80)!r})"
        if cell["widgets"] < want["widgets"]:
            problems.append(
                f"{where}: {cell['widgets']} rendered widget(s), the saved lesson has "
                f"{want['widgets']}"
            )
        if cell["loadedImages"] < want["png"]:
            problems.append(
                f"{where}: {cell['loadedImages']} rendered figure(s) "
                f"({cell['images']} <img>), the saved lesson has {want['png']} PNG figure(s)"
            )
    return problems


def wait_for_rendering(page, panel: str, lesson: str, expected: list[dict[str, int]]) -> list:
    """Give widgets and images a moment to render after the run; return the final cell report."""
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while True:
        cells = cell_report(page, panel)
        if error_messages(lesson, cells) or not render_problems(lesson, cells, expected):
            return cells
        if time.monotonic() > deadline:
            return cells
        page.wait_for_timeout(200)


def assert_lesson_looks_right(lesson: str, cells: list[dict], expected: list[dict]) -> None:
    """No error anywhere; every widget and every figure of the saved lesson is rendered."""
    problems = error_messages(lesson, cells) + render_problems(lesson, cells, expected)
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def move_slider(page, handle, lesson: str, number: int) -> tuple[str, float]:
    """Press an arrow key on one slider and wait until its explorer's text and figure change.

    Returns the slider's description and the milliseconds from key press to updated explorer.
    """
    handle.scroll_into_view_if_needed()
    watch = handle.evaluate(WATCH_SLIDER_JS)
    name = f"{lesson}, slider {number} {watch['label']!r}"
    if watch["inExplorer"] and not (watch["hasReadout"] and watch["hasFigure"]):
        pytest.fail(
            f"{name}: its .nnlib-explorer needs an HTML readout with class nnlib-readout and an "
            f"Image with class nnlib-figure (has readout: {watch['hasReadout']}, "
            f"has figure: {watch['hasFigure']})",
            pytrace=False,
        )
    handle.focus()
    page.keyboard.press(watch["key"])
    try:
        page.wait_for_function(SLIDER_UPDATED_JS, timeout=SLIDER_TIMEOUT_MS, polling="raf")
    except Exception:  # playwright's TimeoutError
        state = page.evaluate(SLIDER_STATE_JS)
        unchanged = [
            what
            for what, changed in [
                ("readout text", state["textChanged"]),
                ("image", state["imageChanged"] or state["images"] == 0),
            ]
            if not changed
        ]
        pytest.fail(
            f"{name}: after {watch['key']} the {' and the '.join(unchanged)} did not change "
            f"within {SLIDER_TIMEOUT_MS / 1000:.0f} s"
            + ("" if state["pressed"] else " (the slider handle never got the key press)"),
            pytrace=False,
        )
    return watch["label"], page.evaluate(SLIDER_STATE_JS)["ms"]


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", LESSONS, ids=[path.name for path in LESSONS])
def test_lesson_in_jupyterlab(browser, lab_server, slider_timings, notebook: Path) -> None:
    """Restart & run all in JupyterLab: no errors, everything rendered, every slider works."""
    lesson = notebook.name
    notebook_path = notebook.relative_to(REPO_ROOT).as_posix()
    expected = stored_output_counts(notebook)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        open_notebook(page, lab_server, notebook_path)
        panel = restart_and_run_all(page, notebook_path, lesson)
        cells = wait_for_rendering(page, panel, lesson, expected)
        page.screenshot(path=SCREENSHOT_DIR / f"{notebook.stem}.png")
        assert_lesson_looks_right(lesson, cells, expected)

        handles = page.locator(f"{panel} .widget-slider .noUi-handle")
        for number in range(1, handles.count() + 1):
            label, ms = move_slider(page, handles.nth(number - 1), lesson, number)
            page.screenshot(path=SCREENSHOT_DIR / f"{notebook.stem}-slider-{number}.png")
            line = f"{lesson}, {label}, {ms:.0f}"
            print(line)
            slider_timings.append(line)
            problems = error_messages(
                f"{lesson} (after moving slider {label!r})", cell_report(page, panel)
            )
            if problems:
                pytest.fail("\n\n".join(problems), pytrace=False)
    finally:
        context.close()
