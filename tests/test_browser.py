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
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the `browser` fixture below skips (or fails on CI) with install hints
    PlaywrightError = PlaywrightTimeoutError = Exception

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE_HELPERS_JS = Path(__file__).resolve().parent / "browser_support" / "jupyterlab_page.js"
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
        except OSError:  # connection refused, timeout, HTTP error: not ready yet
            pass
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


# Module scope: the playground test (tests/test_browser_playground.py) uses these fixtures
# too, and playwright allows one sync driver per process, so each test file starts and stops
# its own when several files run in one worker.
@pytest.fixture(scope="module")
def lab_server(tmp_path_factory) -> Iterator[LabServer]:
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
        # JupyterLab makes a checkpoint of every notebook it opens; keep them out of lessons/.
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
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


@pytest.fixture(scope="module")
def browser_context():
    """Headless Chromium (Debian's /usr/bin/chromium) driven by the playwright package.

    All lessons are opened in one browser context, so JupyterLab's scripts come from the
    browser's cache after the first lesson.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None:
        browser_missing("The Python package `playwright` is not installed.")
    if not CHROMIUM.exists():
        browser_missing(f"No Chromium at {CHROMIUM}.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(path=PAGE_HELPERS_JS)
            yield context
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
# Steps of the test. The JavaScript they call (window.nnlibTest) is in
# tests/browser_support/jupyterlab_page.js, loaded into every page.
# --------------------------------------------------------------------------------------------


def open_notebook(page, server: LabServer, notebook_path: str) -> None:
    """Open the notebook in a fresh JupyterLab workspace and wait for an idle kernel."""
    page.goto(server.url(f"/lab/tree/{notebook_path}?reset"))
    try:
        page.wait_for_function(
            "(path) => nnlibTest.notebookReady(path)",
            arg=notebook_path,
            timeout=PAGE_READY_TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:
        ready = False
    else:
        ready = True
    if not ready:
        dialogs = page.locator(".jp-Dialog").all_inner_texts()
        pytest.fail(
            f"{notebook_path}: the notebook and an idle kernel were not ready within "
            f"{PAGE_READY_TIMEOUT_MS / 1000:.0f} s"
            + (f"; a dialog is open: {' / '.join(dialogs)!r}" if dialogs else ""),
            pytrace=False,
        )


def restart_and_run_all(page, notebook_path: str, lesson: str) -> str:
    """Kernel > Restart Kernel and Run All Cells, confirm, and wait for the run to finish.

    Returns a CSS selector for the notebook panel.
    """
    panel_id = page.evaluate("(path) => nnlibTest.startRestartRunAll(path)", notebook_path)
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()  # "Confirm restart"
    try:
        page.wait_for_function(
            "(path) => nnlibTest.runAllFinished(path)",
            arg=notebook_path,
            timeout=RUN_ALL_TIMEOUT_MS,
            polling=200,
        )
    except PlaywrightTimeoutError:
        finished = False
    else:
        finished = True
    if not finished:
        state = page.evaluate("(path) => nnlibTest.runAllState(path)", notebook_path)
        pytest.fail(
            f"{lesson}: restart & run all did not finish within "
            f"{RUN_ALL_TIMEOUT_MS / 1000:.0f} s ({state})",
            pytrace=False,
        )
    return f"#{panel_id}"


def shut_down_kernel(page, notebook_path: str) -> None:
    """Shut the lesson's kernel down, so kernels don't pile up while the session goes on."""
    try:
        page.evaluate("(path) => nnlibTest.shutDownKernel(path)", notebook_path)
    except PlaywrightError:
        pass  # the page is gone; the server shuts all kernels down when it stops


def cell_report(page, notebook_path: str) -> list[dict]:
    """What each cell shows right now: errors, widgets, figures (see cellReport in the .js)."""
    return page.evaluate("(path) => nnlibTest.cellReport(path)", notebook_path)


def first_line(source: str) -> str:
    """The first non-empty line of a cell, to say which cell a message is about."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    text = lines[0] if lines else "(empty cell)"
    return text if len(text) <= 80 else text[:77] + "..."


def shortened(text: str, limit: int = 800) -> str:
    """Text cut to `limit` characters, for failure messages."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " [...]"


def error_messages(lesson: str, cells: list[dict]) -> list[str]:
    """One message per cell that shows an error, stderr output or a widget that failed.

    A cell tagged "raises-exception" shows its error on purpose (as nbval allows too).
    """
    messages = []
    for number, cell in enumerate(cells, start=1):
        where = f"{lesson}, cell {number} `{first_line(cell['source'])}`"
        if not cell["expectsError"]:
            for text in cell["errors"]:
                messages.append(f"{where} shows an error or stderr output:\n{shortened(text)}")
        if cell["widgetError"]:
            messages.append(f"{where} shows a widget that failed to display "
                            "('Error displaying widget', 'model not found' or a javascript error)")
    return messages


def render_problems(lesson: str, cells: list[dict], stored: list[dict[str, int]]) -> list[str]:
    """Cells with fewer rendered widgets or figures than the saved lesson or the run produced."""
    if len(cells) != len(stored):
        return [f"{lesson}: the page shows {len(cells)} cells, the file has {len(stored)}"]
    problems = []
    for number, (cell, saved) in enumerate(zip(cells, stored, strict=True), start=1):
        where = f"{lesson}, cell {number} `{first_line(cell['source'])}`"
        wanted = max(saved["widgets"], cell["widgetOutputs"])
        if cell["renderedWidgets"] < wanted:
            problems.append(
                f"{where}: {cell['renderedWidgets']} widget(s) rendered, {wanted} expected "
                f"(saved lesson: {saved['widgets']}, this run: {cell['widgetOutputs']})"
            )
        wanted = max(saved["png"], cell["pngOutputs"])
        if cell["loadedImages"] < wanted:
            problems.append(
                f"{where}: {cell['loadedImages']} figure(s) rendered ({cell['images']} <img>), "
                f"{wanted} expected (saved lesson: {saved['png']}, this run: {cell['pngOutputs']})"
            )
    return problems


def check_lesson_output(page, notebook_path: str, lesson: str, stored: list[dict]) -> None:
    """No error anywhere; every widget and every figure is rendered.

    Widgets and images render a moment after their cell finished, so wait for them (up to
    RENDER_TIMEOUT_MS). After an error, the cells below it never ran: report only the error.
    """
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while True:
        cells = cell_report(page, notebook_path)
        errors = error_messages(lesson, cells)
        if errors:
            pytest.fail("\n\n".join(errors), pytrace=False)
        problems = render_problems(lesson, cells, stored)
        if not problems:
            return
        if time.monotonic() > deadline:
            pytest.fail("\n\n".join(problems), pytrace=False)
        page.wait_for_timeout(200)


def move_slider(page, handle, lesson: str, number: int) -> tuple[str, float]:
    """Press an arrow key on one slider and wait until its explorer's text and figure change.

    Returns the slider's description and the milliseconds from key press to updated explorer.
    """
    handle.evaluate("(handle) => nnlibTest.showDependents(handle)")
    handle.scroll_into_view_if_needed()
    watch = handle.evaluate("(handle) => nnlibTest.watchSlider(handle)")
    name = f"{lesson}, slider {number} {watch['label']!r}"
    if watch["inExplorer"] and not (watch["hasReadout"] and watch["hasFigure"]):
        pytest.fail(
            f"{name}: its .nnlib-explorer needs an HTML readout with class nnlib-readout and an "
            f"Image with class nnlib-figure showing a picture (readout found: "
            f"{watch['hasReadout']}, rendered figure found: {watch['hasFigure']})",
            pytrace=False,
        )
    handle.focus()
    page.keyboard.press(watch["key"])
    try:
        page.wait_for_function(
            "() => nnlibTest.sliderUpdated()", timeout=SLIDER_TIMEOUT_MS, polling="raf"
        )
    except PlaywrightTimeoutError:
        pass  # explained below
    state = page.evaluate("() => nnlibTest.sliderState()")
    if state["ms"] is None:
        unchanged = []
        if not state["textChanged"]:
            unchanged.append("readout text")
        if not state["imageChanged"] and state["images"] > 0:
            unchanged.append("image")
        pytest.fail(
            f"{name}: after pressing {watch['key']} the {' and the '.join(unchanged)} did not "
            f"change within {SLIDER_TIMEOUT_MS / 1000:.0f} s"
            + ("" if state["pressed"] else " (the slider never received the key press)"),
            pytrace=False,
        )
    return watch["label"], state["ms"]


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", LESSONS, ids=[path.name for path in LESSONS])
def test_lesson_in_jupyterlab(browser_context, lab_server, slider_timings, notebook: Path) -> None:
    """Restart & run all in JupyterLab: no errors, everything rendered, every slider works."""
    lesson = notebook.name
    notebook_path = notebook.relative_to(REPO_ROOT).as_posix()
    stored = stored_output_counts(notebook)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_notebook(page, lab_server, notebook_path)
        panel = restart_and_run_all(page, notebook_path, lesson)
        try:
            check_lesson_output(page, notebook_path, lesson, stored)
        finally:
            page.screenshot(path=SCREENSHOT_DIR / f"{notebook.stem}.png")
        markers = [f"cell {number} `{first_line(cell['source'])}`"
                   for number, cell in enumerate(cell_report(page, notebook_path), start=1)
                   if "NBVAL" in cell["source"]]
        assert not markers, f"{lesson}: a test marker (NBVAL_...) shows in {', '.join(markers)}"

        handles = page.locator(f"{panel} .widget-slider .noUi-handle")
        for number in range(1, handles.count() + 1):
            try:
                label, ms = move_slider(page, handles.nth(number - 1), lesson, number)
            finally:
                page.screenshot(path=SCREENSHOT_DIR / f"{notebook.stem}-slider-{number}.png")
            line = f"{lesson}, {label}, {ms:.0f}"
            print(line)
            slider_timings.append(line)
            after = f"{lesson} (after moving slider {label!r})"
            problems = error_messages(after, cell_report(page, notebook_path))
            if problems:
                pytest.fail("\n\n".join(problems), pytrace=False)
    finally:
        shut_down_kernel(page, notebook_path)
        page.close()


# --------------------------------------------------------------------------------------------
# The instructor kit, as a class sees it: the offline site and the slide decks, opened from
# disk with every request that would leave the machine blocked.
# --------------------------------------------------------------------------------------------

DECK_HELPERS_JS = Path(__file__).resolve().parent / "browser_support" / "reveal_deck.js"
SCREEN = {"width": 1280, "height": 720}  # the screen every slide must fit
SETTLE_MS = 120  # a slide is measured once two measurements this far apart agree
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
MATHJAX_IDLE = ("() => !window.MathJax || !MathJax.Hub || "
                "(MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running)")


def _docs_module(name: str):
    """Import one of the build scripts in docs/."""
    sys.path.insert(0, str(REPO_ROOT / "docs"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(REPO_ROOT / "docs"))


@pytest.fixture(scope="module")
def instructor_kit(tmp_path_factory) -> dict:
    """The site and the decks, built as `make site` and `make slides` build them."""
    out = tmp_path_factory.mktemp("kit")
    vendor = _docs_module("vendor")
    try:
        index = _docs_module("build_site").main(out / "site")
        decks = _docs_module("build_slides").build(out / "slides")
    except vendor.VendorError as error:
        browser_missing(f"The offline site and slides cannot be built: {error}.")
    return {"index": index, "site": index.parent, "decks": decks}


class Offline:
    """A browser context in which nothing leaves the machine, and a log of what tried to.

    Every request to anything but a local file (or a data:/blob: URL) is aborted and
    recorded; a local file that is missing (a failed file: request) is recorded too, and
    so is a script error on the page.
    """

    def __init__(self, browser):
        self.context = browser.new_context(viewport=SCREEN)
        self.context.add_init_script(path=DECK_HELPERS_JS)
        self.external: list[str] = []
        self.missing: list[str] = []
        self.script_errors: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def open(self, path: Path):
        """A new page showing `path`, loaded, with its failures logged under its name."""
        page = self.context.new_page()
        name = path.name
        page.on("requestfailed", lambda request: None if not request.url.startswith("file:")
                else self.missing.append(f"{name}: {request.url} ({request.failure})"))
        page.on("pageerror", lambda error: self.script_errors.append(f"{name}: {error}"))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page

    def problems(self) -> list[str]:
        return ([f"external request: {url}" for url in sorted(set(self.external))]
                + [f"missing local file: {m}" for m in self.missing]
                + [f"script error: {e}" for e in self.script_errors])


@pytest.fixture()
def offline(browser_context):
    guard = Offline(browser_context.browser)
    try:
        yield guard
    finally:
        guard.context.close()


def stored_widget_outputs(notebook: Path) -> int:
    """How many widget outputs (explorers) the saved lesson holds."""
    return sum(counts["widgets"] for counts in stored_output_counts(notebook))


def test_offline_site_every_page_loads_nothing_from_the_network(instructor_kit, offline) -> None:
    """Index, every lesson page and the reference: no request leaves the machine, no file is
    missing, formulas typeset, every widget cell shows its still picture, readout and note."""
    import tomllib

    site = instructor_kit["site"]
    course = tomllib.loads((REPO_ROOT / "docs" / "course.toml").read_text(encoding="utf-8"))
    pages = [instructor_kit["index"], *sorted((site / "lessons").glob("*.html")),
             *sorted((site / "api").glob("*.html"))]
    assert len(pages) >= len(course["lessons"]) + 3
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems, stills = [], 0
    for path in pages:
        page = offline.open(path)
        try:
            page.wait_for_function(MATHJAX_IDLE, timeout=30_000)
            if path == instructor_kit["index"]:
                text = page.inner_text("body")
                missing = [lesson["title"] for lesson in course["lessons"]
                           if lesson["title"] not in text]
                assert not missing, f"the site's index does not show {missing}"
                page.screenshot(path=SCREENSHOT_DIR / "site-index.png", full_page=True)
            if path.parent.name != "lessons":
                continue
            if page.locator(".MathJax_CHTML").count() == 0 and "$" in path.read_text("utf-8"):
                problems.append(f"{path.name}: no formula typeset")
            notebook = REPO_ROOT / "lessons" / f"{path.stem}.ipynb"
            wanted = stored_widget_outputs(notebook) if notebook.exists() else 0
            views = page.locator(".nnlib-explorer-static")
            if views.count() != wanted:
                problems.append(f"{path.name}: {views.count()} still widget views, "
                                f"{wanted} widget outputs in the lesson")
            for k in range(views.count()):
                view = views.nth(k)
                shown = view.evaluate(
                    "(v) => Array.from(v.querySelectorAll('img'))"
                    ".filter(i => i.complete && i.naturalWidth > 0).length")
                if not shown or "running notebook" not in view.inner_text():
                    problems.append(f"{path.name}, widget {k + 1}: picture shown: {shown}, "
                                    f"note: {'running notebook' in view.inner_text()}")
                view.scroll_into_view_if_needed()
                cell = view.locator("xpath=ancestor::div[contains(@class, 'jp-Cell')][1]")
                cell.screenshot(path=SCREENSHOT_DIR / f"site-widget-{path.stem}-{k + 1}.png")
                stills += 1
        finally:
            page.close()
    problems += offline.problems()
    print(f"\nsite: {len(pages)} pages opened offline, {stills} widget cells shown as stills")
    assert not problems, "\n".join(problems)
    assert stills > 0, "no widget cell found on the site"


def walk_deck(page, deck: Path) -> list[dict]:
    """Every slide of a deck, each shown with all its fragments: where its content lies.

    A slide that runs off the screen, and lesson 2's "A whole layer as one matrix product"
    (it once did), are saved as screenshots.
    """
    page.wait_for_selector(".reveal.ready", timeout=30_000)
    count = page.evaluate("() => nnlibDeck.start()")
    slides = []
    for i in range(count):
        where = page.evaluate("(i) => nnlibDeck.show(i)", i)
        try:
            page.wait_for_function("(i) => nnlibDeck.settled(i)", arg=i, timeout=30_000)
        except PlaywrightTimeoutError:
            state = page.evaluate("(i) => nnlibDeck.state(i)", i)
            pytest.fail(f"{deck.name}, slide {where['h']}/{where['v']} did not settle within "
                        f"30 s: {state}", pytrace=False)
        # Formulas typeset again and the deck refits a moment later: measure until two
        # measurements SETTLE_MS apart agree.
        measured, deadline = None, time.monotonic() + 10
        while True:
            page.wait_for_timeout(SETTLE_MS)
            again = page.evaluate("(i) => nnlibDeck.measure(i)", i)
            if again == measured or time.monotonic() > deadline:
                break
            measured = again
        slide = {**again, **where, "deck": deck.name}
        if overflows(slide) or "whole layer as one matrix" in slide["title"].lower():
            name = f"slides-{deck.name.removesuffix('.slides.html')}-{where['h']}-{where['v']}"
            page.screenshot(path=SCREENSHOT_DIR / f"{name}.png")
        slides.append(slide)
    return slides


def overflows(slide: dict) -> bool:
    """True if the slide's content reaches outside the screen (1 px of rounding allowed)."""
    return (slide["top"] < -1 or slide["left"] < -1 or slide["bottom"] > slide["height"] + 1
            or slide["right"] > slide["width"] + 1)


def test_offline_slides_load_nothing_and_every_slide_fits_the_screen(
    instructor_kit, offline
) -> None:
    """Every deck runs from disk with no network; every slide, all fragments shown, fits
    a 1280x720 screen."""
    decks = instructor_kit["decks"]
    assert len(decks) >= len(LESSONS) - 1  # every numbered lesson (not the progress page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    slides, too_big = [], []
    for deck in decks:
        page = offline.open(deck)
        try:
            if deck.name.startswith("03_"):
                first = page.inner_text(".reveal .slides section.present")
                assert "Lesson 3: Bias" in first
            for slide in walk_deck(page, deck):
                slides.append(slide)
                if overflows(slide):
                    too_big.append(slide)
        finally:
            page.close()
    shrunk = [s for s in slides if s["scale"] < 1]
    print(f"\nslides: {len(decks)} decks, {len(slides)} slides measured at "
          f"{SCREEN['width']}x{SCREEN['height']}; {len(shrunk)} shrunk to fit: "
          + ", ".join(f"{s['deck']} {s['h']}/{s['v']} x{s['scale']:.2f}" for s in shrunk))
    problems = offline.problems() + [
        f"{s['deck']}, slide {s['h']}/{s['v']} {s['title']!r} runs off the screen: content "
        f"spans x {s['left']:.0f}..{s['right']:.0f}, y {s['top']:.0f}..{s['bottom']:.0f}"
        for s in too_big]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# JupyterLab's first screen, started as `make lab` starts it
# --------------------------------------------------------------------------------------------

FIRST_LESSON = "lessons/01_layers_and_nodes.ipynb"
TOAST_WAIT_MS = 10_000  # JupyterLab asks about news within a few seconds of opening


def make_lab_args() -> list[str]:
    """The JupyterLab arguments of `make lab`, from the Makefile itself (`make -s lab-args`)."""
    try:
        done = subprocess.run(["make", "-s", "lab-args"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=60)
    except FileNotFoundError:
        pytest.fail("`make` is not installed; this test starts JupyterLab as `make lab` does",
                    pytrace=False)
    if done.returncode != 0 or not done.stdout.strip():
        pytest.fail(f"`make -s lab-args` failed (exit {done.returncode}): {done.stderr.strip()}",
                    pytrace=False)
    return done.stdout.split()


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory) -> Iterator[str]:
    """JupyterLab started with `make lab`'s arguments; yields the URL it prints.

    Only what a test must add is added: no browser, loopback and a free port, and
    checkpoints kept out of lessons/. Personal settings are left out, but the lab settings
    `make` installs into this environment are in force.
    """
    home = tmp_path_factory.mktemp("make-lab")
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        IPYTHONDIR=str(home / "ipython"),
    )
    port = free_loopback_port()
    command = [sys.executable, "-m", "jupyterlab", *make_lab_args(), "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0",
               f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}"]
    log_path = home / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log)
        try:
            printed = None
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while printed is None and time.monotonic() < deadline:
                if process.poll() is not None:
                    pytest.fail(f"JupyterLab exited with code {process.returncode}:\n"
                                f"{log_tail(log_path)}", pytrace=False)
                text = log_path.read_text(encoding="utf-8", errors="replace")
                found = re.search(rf"http://127\.0\.0\.1:{port}/\S*token=\S+", text)
                printed = found.group(0) if found else None
                time.sleep(0.3)
            if printed is None:
                pytest.fail(f"JupyterLab printed no URL within {SERVER_START_TIMEOUT_S} s:\n"
                            f"{log_tail(log_path)}", pytrace=False)
            yield printed
        finally:
            stop_process(process)


def read_whole_notebook(page, notebook) -> str:
    """The text of every cell, read screen by screen (JupyterLab renders only what is near the
    screen), then back at the top so the page looks as it did."""
    scroller = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer")
    texts = []
    for _ in range(500):
        texts.append(notebook.inner_text())
        at_end = scroller.evaluate(
            "(s) => { const end = s.scrollTop + s.clientHeight >= s.scrollHeight - 2;"
            " s.scrollTop += s.clientHeight * 0.8; return end; }")
        if at_end:
            break
        page.wait_for_timeout(150)
    scroller.evaluate("(s) => { s.scrollTop = 0; }")
    return "\n".join(texts)


def test_lab_first_screen_is_lesson_one_with_no_toast_and_no_test_markers(
    browser_context, make_lab: str
) -> None:
    """The URL `make lab` prints opens lesson 1; no news or update toast covers it; no nbval
    marker (NBVAL_...) shows in any cell."""
    cells = json.loads((REPO_ROOT / FIRST_LESSON).read_text(encoding="utf-8"))["cells"]
    first_lines = [first_line("".join(c["source"])) for c in cells if c["cell_type"] == "code"]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = browser_context.new_page()
    try:
        page.goto(make_lab)
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        notebook.locator(".jp-Cell").first.wait_for(timeout=PAGE_READY_TIMEOUT_MS)
        page.get_by_text("| Idle").first.wait_for(timeout=PAGE_READY_TIMEOUT_MS)
        tab = page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current").inner_text().strip()
        assert tab == Path(FIRST_LESSON).name, f"the first screen shows {tab!r}, not lesson 1"
        try:  # a toast that is going to appear does so within a few seconds
            page.locator(".Toastify__toast").first.wait_for(timeout=TOAST_WAIT_MS)
        except PlaywrightTimeoutError:
            pass
        page.screenshot(path=SCREENSHOT_DIR / "lab-first-screen.png")
        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert toasts == [], f"a toast covers the lesson: {toasts}"
        shown = read_whole_notebook(page, notebook)
        unseen = [line for line in first_lines if line.removesuffix("...") not in shown]
        assert not unseen, f"cells not rendered on the page, so not checked: {unseen[:3]}"
        assert "NBVAL" not in shown, "a test marker (NBVAL_...) shows in a cell of lesson 1"
    finally:
        page.close()
