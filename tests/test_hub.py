"""A class on a real JupyterHub: five learners at once, from login to a lesson's first output.

Starts JupyterHub (PyPI) with configurable-http-proxy (npm) on loopback, with the
course's hub settings from the instructor guide, DummyAuthenticator and
SimpleLocalProcessSpawner (no system users needed). Five learners log in at
once, each gets a token from the REST API, starts a server, pulls the course
with the nbgitpuller link, opens lesson 2 through the contents API and runs its
setup cell and the neuron explorer's update in a kernel over the websocket.
Then every process the test started (hub, proxy, single-user servers, kernels)
is stopped by its PID and checked to be gone. Figures are printed (``-s``).
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from hub_support import Hub, Learner, course_upstream, is_running, stop_pid

LESSON = "02_forward_propagation.ipynb"
EXPLORER_CALL = "widgets.neuron_explorer("
UPDATE = "w3=-1.0"
LEARNERS = [f"learner{i}" for i in range(1, 6)]
# In graded mode check() still answers, and solution() refuses (the error stops the cell).
GRADED_PROBE = ("print(repr(ex.weighted_sum.check(0.2 * 1.5 + 0.7 * -0.5 + 1.0 * 0.8)))\n"
                "ex.weighted_sum.solution()")

def expected_setup_text() -> str:
    """What the setup cell's environment check prints in this same environment."""
    from nnlib import environment
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        environment.check()
    return printed.getvalue()


def expected_update_text(explorer_source: str) -> str:
    """The same explorer update, computed here with nnlib (what the learner must see)."""
    from nnlib import widgets
    explorer = eval(explorer_source.strip(), {"widgets": widgets})  # the lesson's own cell
    return explorer.update(w3=-1.0)


def test_five_learners_at_once_reach_a_lesson_and_every_process_is_stopped(tmp_path):
    hub = Hub(tmp_path / "hub")
    upstream = course_upstream(tmp_path)
    learners = [Learner(hub, name) for name in LEARNERS]
    started: dict[str, int] = {}
    t0 = time.monotonic()
    hub.start()
    started["hub"] = hub.process.pid
    started["proxy"] = hub.proxy_pid
    hub_ready = time.monotonic() - t0
    try:
        with ThreadPoolExecutor(len(learners)) as pool:
            futures = [pool.submit(learner.run_lesson, upstream, LESSON, EXPLORER_CALL, UPDATE,
                                   also=GRADED_PROBE) for learner in learners]
            results = []
            for learner, future in zip(learners, futures, strict=True):
                try:
                    results.append(future.result(timeout=400))
                finally:  # whatever happened, remember the PIDs to stop
                    for kind, pid in learner.pids.items():
                        started[f"{learner.name} {kind}"] = pid
        assert len({r["update"]["text"] for r in results}) == 1  # everyone saw the same
        for learner, result in zip(learners, results, strict=True):
            setup, update = result["setup"], result["update"]
            assert setup["error"] is None and setup["reply"] == "ok", (learner.name, setup)
            assert setup["text"].startswith("Ready: ")
            assert setup["text"] == expected_setup_text(), (
                f"{learner.name}'s setup cell printed {setup['text']!r}")
            assert update["error"] is None, (learner.name, update["error"])
            assert update["text"] == expected_update_text(result["explorer_source"]) + "\n"
            z = 0.9 * 0.5 + 0.2 * -1.0 + 0.6 * -1.0  # inputs (0.9, 0.2, 0.6), w3 moved to -1
            assert f"sigmoid({z:.4f}) = {1 / (1 + np.exp(-z)):.4f}" in update["text"]
            # the guide's hub settings run the class in graded mode: no solution, but checks
            probe = result["also"]
            assert probe["error"] and probe["error"].startswith("AnswersHidden: "), probe
            assert "graded assignment" in probe["error"]
            assert probe["text"].startswith("[correct]"), probe
            home = hub.workdir / "home" / learner.name
            assert (home / "course" / "lessons" / LESSON).exists()  # each has their own copy
        assert len({learner.pids["server"] for learner in learners}) == len(learners)
        assert len({learner.pids["kernel"] for learner in learners}) == len(learners)
        assert all(is_running(pid) for pid in started.values())
    finally:
        stopped = {}
        for kind in ("kernel", "server"):  # kernels first, then their servers
            for learner in learners:
                if kind in learner.pids:
                    stopped[f"{learner.name} {kind}"] = stop_pid(learner.pids[kind])
        if "proxy" in started:
            stopped["proxy"] = stop_pid(started["proxy"])
        stopped["hub"] = hub.stop()
    still_running = [name for name, pid in started.items() if is_running(pid)]
    assert not still_running, f"still running after the stop: {still_running}"
    assert all(stopped.values()), stopped

    first = [learner.times["first_output"] for learner in learners]
    print(f"\nhub + proxy up in {hub_ready:.1f} s; {len(learners)} learners at once")
    for learner in learners:
        print(f"  {learner.name}: " + ", ".join(
            f"{k} {v:.1f} s" for k, v in learner.times.items() if k != "start"))
    print(f"login to first output: median {statistics.median(first):.1f} s, "
          f"max {max(first):.1f} s")
    print(f"processes started and stopped by PID: {len(started)} "
          f"(hub, proxy, {len(learners)} servers, {len(learners)} kernels): "
          + ", ".join(f"{k}={v}" for k, v in started.items()))
