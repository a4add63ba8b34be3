"""The playground of lesson 7 in a real JupyterLab, in headless Chromium.

Opens lessons/07_playground.ipynb, runs it, and on the playground widget:

1. presses Play and counts the frames the page shows: every animation frame in
   which the decision boundary's image has a new picture counts once;
2. presses Pause (the picture must stop changing), Step (the epoch goes up by
   one) and Reset (back to epoch 0);
3. moves every control -- each slider with the keyboard, each menu to another
   entry, each input checkbox on and off -- once while paused and once while
   playing, and times each change from the key press or click to the readout
   showing the new setting (and, for a change that starts a new run while
   paused, a new picture decoded).

The frames per second and the latency percentiles are printed and written to
tests/screenshots/playground_timings.txt; screenshots of the playground playing,
paused and after the controls moved are saved there too. Speed is reported, not
asserted (the benchmark's job): the asserts are that Play animates, Pause stops,
Step steps, Reset resets and every control is followed.

Run only this test:  .venv/bin/python -m pytest tests/test_browser_playground.py -s
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import test_browser
from test_browser import (
    REPO_ROOT,
    SCREENSHOT_DIR,
    check_lesson_output,
    open_notebook,
    restart_and_run_all,
    shut_down_kernel,
    stored_output_counts,
)

pytestmark = pytest.mark.browser
# The same JupyterLab server and Chromium fixtures as the lessons' browser test.
lab_server = test_browser.lab_server
browser_context = test_browser.browser_context

NOTEBOOK = REPO_ROOT / "lessons" / "07_playground.ipynb"
ROOT = ".nnlib-playground"
PLAY_SECONDS = 6.0
CONTROL_TIMEOUT_MS = 10_000

# In the page: count the animation frames in which the boundary's picture is new, and
# time control changes until the readout's settings (and maybe the picture) change.
PAGE_JS = """
(root) => {
  const widget = document.querySelector(root);
  const image = () => widget.querySelector("img.nnlib-playground-boundary");
  const settings = () => widget.querySelector(".nnlib-readout .nnlib-playground-settings");
  const state = { frames: 0, frameTimes: [], lastSrc: image().src, watch: null };
  function tick(now) {
    const src = image().src;
    if (src !== state.lastSrc && image().complete) {
      state.lastSrc = src;
      state.frames += 1;
      state.frameTimes.push(now);
    }
    const watch = state.watch;
    if (watch && watch.doneAt === null && watch.pressedAt !== null) {
      const text = settings() ? settings().textContent : "";
      const textOk = text !== watch.textBefore;
      const imageOk = !watch.needImage || (src !== watch.srcBefore && image().complete);
      if (textOk && imageOk) watch.doneAt = now;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
  window.nnlibPlayground = {
    frames: () => state.frames,
    src: () => image().src,
    watch: (needImage) => {
      state.watch = { textBefore: settings().textContent, srcBefore: image().src,
                      needImage: needImage, pressedAt: null, doneAt: null };
      const mark = () => { if (state.watch.pressedAt === null)
                             state.watch.pressedAt = performance.now(); };
      widget.addEventListener("keydown", mark, { capture: true, once: true });
      widget.addEventListener("mousedown", mark, { capture: true, once: true });
      widget.addEventListener("change", mark, { capture: true, once: true });
    },
    watchDone: () => state.watch.doneAt !== null,
    watchMs: () => state.watch.doneAt === null ? null : state.watch.doneAt - state.watch.pressedAt,
    epoch: () => {
      const text = widget.querySelector(".nnlib-playground-epoch").textContent;
      return parseInt(text.match(/Epoch ([0-9,]+)/)[1].replace(/,/g, ""), 10);
    },
  };
  return true;
}
"""


def epoch(page) -> int:
    return page.evaluate("() => nnlibPlayground.epoch()")


def button(page, label: str):
    return page.locator(f"{ROOT} button", has_text=re.compile(f"^\\s*{label}\\s*$"))


def count_frames(page, seconds: float) -> tuple[int, float]:
    """Frames shown during `seconds` of play, and the seconds actually measured."""
    start = page.evaluate("() => [nnlibPlayground.frames(), performance.now()]")
    page.wait_for_timeout(seconds * 1000)
    end = page.evaluate("() => [nnlibPlayground.frames(), performance.now()]")
    return end[0] - start[0], (end[1] - start[1]) / 1000


def timed_change(page, what: str, act, need_image: bool) -> float:
    """Do `act()` (a key press, a click, a selection); ms until the widget shows it."""
    page.evaluate("(need) => nnlibPlayground.watch(need)", need_image)
    act()
    try:
        page.wait_for_function("() => nnlibPlayground.watchDone()", timeout=CONTROL_TIMEOUT_MS,
                               polling="raf")
    except Exception:  # noqa: BLE001 - explained below
        pytest.fail(f"{what}: the playground did not show the change within "
                    f"{CONTROL_TIMEOUT_MS / 1000:.0f} s", pytrace=False)
    return page.evaluate("() => nnlibPlayground.watchMs()")


def control_moves(page):
    """(name, act, starts a new run) for every control of the playground, there and back."""
    moves = []
    sliders = page.locator(f"{ROOT} .widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        label = slider.locator(".widget-label").inner_text().strip()
        handle = slider.locator(".noUi-handle")
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        keys = ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft")
        for key in keys:
            moves.append((f"slider {label!r} {key}",
                          lambda h=handle, k=key: (h.focus(), h.press(k)), True))
    menus = page.locator(f"{ROOT} .widget-dropdown")
    for i in range(menus.count()):
        menu = menus.nth(i)
        label = menu.locator(".widget-label").inner_text().strip()
        if label == "formula of":
            continue  # shows a formula; checked on its own below
        select = menu.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("(s) => s.options[s.selectedIndex].text")
        other = options[(options.index(current) + 1) % len(options)]
        # A new batch size starts the run again from the same weights: same picture.
        resets = label not in ("learning rate", "epochs per frame", "batch size")
        for choice in (other, current):
            moves.append((f"menu {label!r} -> {choice}",
                          lambda s=select, c=choice: s.select_option(label=c), resets))
    boxes = page.locator(f"{ROOT} .widget-checkbox input")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        for step in ("toggle", "toggle back"):
            moves.append((f"input checkbox {i + 1} {step}", lambda b=box: b.click(), True))
    return moves


def test_playground_plays_steps_resets_and_follows_every_control(browser_context, lab_server):
    notebook_path = NOTEBOOK.relative_to(REPO_ROOT).as_posix()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    report = []
    try:
        open_notebook(page, lab_server, notebook_path)
        restart_and_run_all(page, notebook_path, NOTEBOOK.name)
        check_lesson_output(page, notebook_path, NOTEBOOK.name, stored_output_counts(NOTEBOOK))
        widget = page.locator(ROOT).first
        widget.scroll_into_view_if_needed()
        page.evaluate(PAGE_JS, ROOT)

        # 1. Play: count the pictures shown.
        button(page, "Play").click()
        page.wait_for_timeout(1000)  # the first frames, while the thread starts
        frames, seconds = count_frames(page, PLAY_SECONDS)
        fps = frames / seconds
        page.screenshot(path=SCREENSHOT_DIR / "07_playground-playing.png")
        played = epoch(page)
        report.append(f"Play: {frames} frames shown in {seconds:.1f} s = {fps:.1f} frames/s "
                      f"(epoch {played} reached)")
        assert frames >= 5, f"Play showed only {frames} new pictures in {seconds:.1f} s"
        assert played > 0

        # 2. Pause, Step, Reset.
        button(page, "Pause").click()
        page.wait_for_timeout(500)
        paused_src, paused_epoch = page.evaluate("() => nnlibPlayground.src()"), epoch(page)
        page.wait_for_timeout(1000)
        assert page.evaluate("() => nnlibPlayground.src()") == paused_src, "Pause did not stop"
        assert epoch(page) == paused_epoch
        page.screenshot(path=SCREENSHOT_DIR / "07_playground-paused.png")
        button(page, "Step").click()
        page.wait_for_function(f"() => nnlibPlayground.epoch() === {paused_epoch + 1}")
        button(page, "Reset").click()
        page.wait_for_function("() => nnlibPlayground.epoch() === 0")

        # 3. Every control, paused and while playing.
        latencies = {"paused": [], "playing": []}
        for state in ("paused", "playing"):
            if state == "playing":
                button(page, "Play").click()
                page.wait_for_timeout(500)
            for what, act, resets in control_moves(page):
                ms = timed_change(page, f"{what} ({state})", act,
                                  need_image=resets and state == "paused")
                latencies[state].append(ms)
                report.append(f"{state}, {what}: {ms:.0f} ms")
                page.wait_for_timeout(150 if state == "playing" else 50)
            if state == "playing":
                if button(page, "Play").count():
                    button(page, "Play").click()  # (a change restarts the run; still playing)
                page.screenshot(path=SCREENSHOT_DIR / "07_playground-controls-moved.png")
                if button(page, "Pause").count():
                    button(page, "Pause").click()

        # The formula of a node, on request, with its live weights.
        formula_menu = page.locator(f"{ROOT} .widget-dropdown",
                                    has_text="formula of").locator("select")
        formula_menu.select_option(index=1)
        page.wait_for_function(
            f"() => document.querySelector('{ROOT} .nnlib-playground-formula')"
            ".textContent.includes(' = ')")
        page.screenshot(path=SCREENSHOT_DIR / "07_playground-formula.png")

        everything = latencies["paused"] + latencies["playing"]
        for state, values in (*latencies.items(), ("all", everything)):
            p50, p95, p99 = np.percentile(values, [50, 95, 99])
            report.append(f"control changes {state}: {len(values)} changes, 50th {p50:.0f} ms, "
                          f"95th {p95:.0f} ms, 99th {p99:.0f} ms, max {max(values):.0f} ms")
    finally:
        if report:
            summary = "\n".join(report)
            (SCREENSHOT_DIR / "playground_timings.txt").write_text(summary + "\n",
                                                                   encoding="utf-8")
            print(f"\n\nPlayground in the browser (also in "
                  f"{SCREENSHOT_DIR / 'playground_timings.txt'}):\n{summary}")
        shut_down_kernel(page, notebook_path)
        page.close()
