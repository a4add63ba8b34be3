"""A class's load on one machine: N learners logging in to a real JupyterHub at once.

    .venv/bin/python benchmarks/bench_hub.py                 # 10, 20 and 30 learners
    .venv/bin/python benchmarks/bench_hub.py --learners 3    # a quick smoke run

For each class size a fresh JupyterHub with configurable-http-proxy is started on
loopback (the course's hub settings from the instructor guide, as in
tests/test_hub.py). All N learners then do at the same moment what a class does
in its first minutes: log in, start a server, pull the course with the
nbgitpuller link, open lesson 2, run its setup cell and move the neuron
explorer's slider (its update) in a kernel. Measured per class size:

- served: how many learners got the explorer's output (and why the others did not);
- time from login to that first output, p50 and p95 (and the slowest);
- memory per learner: resident memory (RSS) of the learner's single-user server
  plus its kernel, after the first output; the hub and the proxy separately;
- CPU per learner: CPU seconds the server and kernel used to get there, plus an
  equal share of what the hub and proxy used.

Then every process is stopped by its PID. The sizing lines at the end turn the
largest served class into cores and memory per 100 learners. Run it alone on the
machine: everything else running skews the times. Results also go to
benchmarks/results/bench_hub.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hub_support import (  # noqa: E402
    Hub,
    Learner,
    course_upstream,
    is_running,
    rss_bytes,
    stop_pid,
)

LESSON = "02_forward_propagation.ipynb"
EXPLORER_CALL = "widgets.neuron_explorer("
UPDATE = "w3=-1.0"
TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def one_class(n: int, workdir: Path, upstream: Path, timeout: float) -> dict:
    """N learners at once on a fresh hub; returns the figures, after stopping everything."""
    hub = Hub(workdir / f"hub-{n}")
    learners = [Learner(hub, f"learner{i:03d}") for i in range(1, n + 1)]
    hub.start()
    pids = {"hub": hub.process.pid, "proxy": hub.proxy_pid}
    hub_cpu_before = cpu_seconds(pids["hub"]) + cpu_seconds(pids["proxy"])
    failures, served = {}, []
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(n) as pool:
            futures = {learner: pool.submit(learner.run_lesson, upstream, LESSON,
                                            EXPLORER_CALL, UPDATE) for learner in learners}
            for learner, future in futures.items():
                try:
                    result = future.result(timeout=max(1.0, timeout - (time.monotonic()
                                                                        - started)))
                    if result["update"]["error"] or "sigmoid(" not in result["update"]["text"]:
                        failures[learner.name] = f"wrong output: {result['update']}"
                    else:
                        served.append(learner)
                except Exception as error:  # a learner who was not served: say why
                    failures[learner.name] = f"{type(error).__name__}: {str(error)[:200]}"
        memory = {learner.name: (rss_bytes(learner.pids.get("server", 0)),
                                 rss_bytes(learner.pids.get("kernel", 0)))
                  for learner in served}
        cpu = {learner.name: cpu_seconds(learner.pids["server"])
               + cpu_seconds(learner.pids["kernel"]) for learner in served}
        hub_rss, proxy_rss = rss_bytes(pids["hub"]), rss_bytes(pids["proxy"])
        hub_cpu = cpu_seconds(pids["hub"]) + cpu_seconds(pids["proxy"]) - hub_cpu_before
    finally:
        for kind in ("kernel", "server"):
            for learner in learners:
                if kind in learner.pids:
                    pids[f"{learner.name} {kind}"] = learner.pids[kind]
                    stop_pid(learner.pids[kind])
        stop_pid(pids["proxy"])
        hub.stop()
    left = [name for name, pid in pids.items() if is_running(pid)]
    first = [learner.times["first_output"] for learner in served]
    per_learner = [s + k for s, k in memory.values()]
    return {
        "learners": n, "served": len(served), "failures": failures,
        "first_output_p50_s": percentile(first, 50) if first else None,
        "first_output_p95_s": percentile(first, 95) if first else None,
        "first_output_max_s": max(first) if first else None,
        "server_ready_p50_s": statistics.median(learner.times["server_ready"]
                                                for learner in served) if served else None,
        "rss_per_learner_mb": statistics.mean(per_learner) / MB if per_learner else None,
        "rss_server_mb": statistics.mean(s for s, _ in memory.values()) / MB if memory else None,
        "rss_kernel_mb": statistics.mean(k for _, k in memory.values()) / MB if memory else None,
        # the learner's server and kernel, plus an equal share of the hub's and proxy's work
        "cpu_per_learner_s": statistics.mean(cpu.values()) + hub_cpu / n if cpu else None,
        "hub_rss_mb": hub_rss / MB, "proxy_rss_mb": proxy_rss / MB,
        "processes_stopped": len(pids), "still_running": left,
    }


def fmt(value, digits=1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def sizing(rows: list[dict], login_window: float) -> list[str]:
    """Cores and memory per 100 learners, from the largest class that was fully served."""
    full = [r for r in rows if r["served"] == r["learners"]]
    if not full:
        return ["no class size was fully served: no sizing"]
    best = max(full, key=lambda r: r["learners"])
    memory_gb = 100 * best["rss_per_learner_mb"] / 1024 + (best["hub_rss_mb"]
                                                           + best["proxy_rss_mb"]) / 1024
    cores = 100 * best["cpu_per_learner_s"] / login_window
    return [
        f"from the {best['learners']}-learner class: {best['rss_per_learner_mb']:.0f} MB and "
        f"{best['cpu_per_learner_s']:.1f} CPU s per learner to the first output",
        f"memory per 100 learners: {memory_gb:.1f} GB resident just after the first output "
        "(lesson 2; a lesson that trains networks or keeps many figures holds more)",
        f"cores per 100 learners: {cores:.1f} for all 100 to reach their first output within "
        f"{login_window:.0f} s of logging in together ({cores * login_window / 120:.1f} if two "
        "minutes are fine)",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds a class may take from the first login (default 300)")
    parser.add_argument("--login-window", type=float, default=60.0,
                        help="seconds within which a class should reach its first output, "
                             "for the sizing (default 60)")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.learners):
        parser.error(f"--learners must be positive, got {args.learners}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_hub-") as tmp:
        upstream = course_upstream(Path(tmp))
        for n in args.learners:
            print(f"{n} learners logging in together ...", flush=True)
            rows.append(one_class(n, Path(tmp), upstream, args.timeout))
    print(f"\n{os.cpu_count()} cores; lesson {LESSON}, first output = the explorer's update")
    header = ("learners", "served", "p50 s", "p95 s", "max s", "server up p50 s",
              "MB/learner", "server MB", "kernel MB", "CPU s/learner", "hub MB", "proxy MB")
    print(" | ".join(header))
    for r in rows:
        print(" | ".join([str(r["learners"]), f"{r['served']}/{r['learners']}",
                          fmt(r["first_output_p50_s"]), fmt(r["first_output_p95_s"]),
                          fmt(r["first_output_max_s"]), fmt(r["server_ready_p50_s"]),
                          fmt(r["rss_per_learner_mb"], 0), fmt(r["rss_server_mb"], 0),
                          fmt(r["rss_kernel_mb"], 0), fmt(r["cpu_per_learner_s"]),
                          fmt(r["hub_rss_mb"], 0), fmt(r["proxy_rss_mb"], 0)]))
        for name, why in r["failures"].items():
            print(f"    not served: {name}: {why}")
        if r["still_running"]:
            print(f"    STILL RUNNING after the stop: {r['still_running']}")
    broke = [r["learners"] for r in rows if r["served"] < r["learners"]]
    print("where it breaks: " + (f"{min(broke)} learners (not all served)" if broke
                                 else f"not within {max(args.learners)} learners"))
    for line in sizing(rows, args.login_window):
        print(line)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_hub.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
