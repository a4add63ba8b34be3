"""How fast does nnlib train? Timings printed as a table -- not a test.

Run from the repository root (takes about a minute):

    .venv/bin/python benchmarks/bench_training.py
    .venv/bin/python benchmarks/bench_training.py --quick    # fewer repeats

The same training runs four ways, on identical work (same sizes, same starting
weights, same order of examples, same maths; see reference_loops.py):

- nnlib       ``nnlib.train`` itself;
- floor       a hand-written vectorised numpy loop with no library around it:
              the least time this maths takes in numpy, the floor that nnlib's
              layers, checks and bookkeeping add to;
- PyTorch     the usual torch loop on the CPU (skipped with a note if torch is
              not installed);
- per-example one example at a time as a column vector, in plain Python loops.

Tasks:

(a) digits: 64-32-10, sigmoid hidden layer, softmax cross-entropy on a linear
    output, batch 32, SGD, float64, on ``nnlib.load_digits()``: time per epoch.
(b) wide: 784-256-256-10, the same kind of network, batch 256, float32, on 8192
    seeded random examples: samples per second and GFLOP/s, next to the plain
    numpy matrix products of the same sizes alone.

Each timing is the best of several runs, with the implementations taking turns
so that a busy moment on the machine hits them all alike.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from reference_loops import (
    make_torch_model,
    torch_parameters,
    train_floor,
    train_per_example,
    train_torch,
)

import nnlib

try:
    import torch
except ImportError:
    torch = None

REPO = Path(__file__).resolve().parent.parent

# Targets from the project's issue.
# nnlib's time / the floor's time: what nnlib's layers, checks and bookkeeping may cost.
TARGET_FLOOR_RATIO = {"(a)": 1.10, "(b)": 1.05}
TARGET_IMPORT_SECONDS = 0.2  # `import nnlib` in a fresh interpreter
# nnlib's time / PyTorch's time: ahead on (a); at least level on (b), taken as
# no more than 5% slower.
TARGET_TORCH_RATIO = {"(a)": ("ahead", 1.0), "(b)": ("at least level", 1.05)}

# numpy's BLAS and PyTorch each keep worker threads spinning for a moment after
# a call; a short pause before each timed run lets them go idle, so that one
# library's threads do not slow the next one's run on a 2-core machine.
PAUSE_SECONDS = 0.2


@dataclass
class Task:
    name: str
    sizes: list
    dtype: type
    X: np.ndarray
    y: np.ndarray
    batch_size: int
    learning_rate: float
    epochs_per_run: int  # epochs in one timed run (time per epoch = run / this)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    def start_network(self, dtype=None):
        """The seeded starting network every implementation copies its weights from."""
        return nnlib.Network.from_sizes(self.sizes, activation="sigmoid",
                                        output_activation="linear", seed=0,
                                        dtype=dtype or self.dtype)


def digits_task() -> Task:
    digits = nnlib.load_digits()
    return Task("(a) digits 64-32-10", [64, 32, 10], np.float64, digits.X_train,
                digits.y_train, batch_size=32, learning_rate=0.5, epochs_per_run=5)


def wide_task() -> Task:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8192, 784)).astype(np.float32)
    y = rng.integers(0, 10, size=8192)
    return Task("(b) 784-256-256-10", [784, 256, 256, 10], np.float32, X, y,
                batch_size=256, learning_rate=0.1, epochs_per_run=2)


def flops_per_example(sizes) -> int:
    """Matrix-product flops of one training example, forward + backward.

    A layer (n_in -> n_out) does three products per step: Z = X W, dW = X^T dZ
    and dX = dZ W^T, each 2 * batch * n_in * n_out flops. The first layer needs
    no dX (nothing before it learns), so its third product is left out.
    """
    pairs = list(zip(sizes, sizes[1:], strict=False))
    return 2 * 3 * sum(a * b for a, b in pairs) - 2 * sizes[0] * sizes[1]


# ------------------------------------------------------------ the runners


def runners(task: Task, per_example_epochs: int) -> dict:
    """name -> (setup, run): ``run(setup())`` trains from the start network.

    Only ``run`` is timed; ``setup`` makes the fresh copy it starts from.
    """
    start = task.start_network()
    weights = [layer.weights for layer in start.layers]
    biases = [layer.bias for layer in start.layers]
    E = task.epochs_per_run
    args = (task.X, task.y, task.learning_rate)

    def run_nnlib(net):
        nnlib.train(net, task.X, task.y, loss="softmax_cross_entropy",
                    learning_rate=task.learning_rate, epochs=E, batch_size=task.batch_size,
                    seed=0)

    result = {
        "nnlib": (start.copy, run_nnlib),
        "floor (numpy loop)": (lambda: None,
                               lambda _: train_floor(weights, biases, *args, E,
                                                     task.batch_size, 0)),
    }
    if torch is not None:
        result["PyTorch"] = (lambda: make_torch_model(weights, biases),
                             lambda model: train_torch(model, *args, E, task.batch_size, 0))
    result["per-example loop"] = (
        lambda: None,
        lambda _: train_per_example(weights, biases, *args, per_example_epochs,
                                    task.batch_size, 0))
    return result


def time_runs(task: Task, repeats: int, per_example_epochs: int) -> dict:
    """name -> list of seconds per epoch, one per repeat; implementations take turns."""
    todo = runners(task, per_example_epochs)
    epochs = {name: task.epochs_per_run for name in todo}
    epochs["per-example loop"] = per_example_epochs
    for name, (setup, run) in todo.items():  # warm-up: caches, thread pools, lazy setup
        for _ in range(2 if name == "PyTorch" else 1):
            run(setup())
    seconds = {name: [] for name in todo}
    for i in range(repeats):
        for name, (setup, run) in todo.items():
            if name == "per-example loop" and i >= max(1, repeats // 2):
                continue  # slow: fewer repeats
            state = setup()
            time.sleep(PAUSE_SECONDS)
            t0 = time.perf_counter()
            run(state)
            seconds[name].append((time.perf_counter() - t0) / epochs[name])
    return seconds


def time_matmuls_only(task: Task, repeats: int) -> list:
    """Seconds per epoch of just the forward + backward matrix products, in numpy.

    Random arrays of the task's shapes and dtype, batch by batch as in training;
    no activation, no loss, no update.
    """
    rng = np.random.default_rng(1)
    sizes, dtype = task.sizes, task.dtype
    batches = [min(task.batch_size, task.n - s) for s in range(0, task.n, task.batch_size)]
    weights = [rng.standard_normal((a, b)).astype(dtype) / math.sqrt(a)
               for a, b in zip(sizes, sizes[1:], strict=False)]
    inputs = {m: rng.standard_normal((m, sizes[0])).astype(dtype) for m in set(batches)}

    def one_epoch():
        for m in batches:
            A = [inputs[m]]
            for W in weights:
                A.append(A[-1] @ W)  # forward: Z = X W
            dZ = A[-1]
            for layer in range(len(weights) - 1, -1, -1):
                A[layer].T @ dZ  # dW = X^T dZ
                if layer > 0:
                    dZ = dZ @ weights[layer].T  # dX = dZ W^T

    one_epoch()  # warm-up
    seconds = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        one_epoch()
        seconds.append(time.perf_counter() - t0)
    return seconds


# ------------------------------------------------------------ the checks


def max_difference(params_a, params_b) -> float:
    return max(float(np.max(np.abs(a - b))) for a, b in zip(params_a, params_b, strict=True))


def agreement(task: Task) -> list:
    """After one epoch from the same start in float64, how far each model is from nnlib's."""
    start = task.start_network(dtype=np.float64)
    X = task.X.astype(np.float64)
    weights = [layer.weights for layer in start.layers]
    biases = [layer.bias for layer in start.layers]
    net = start.copy()
    history = nnlib.train(net, X, task.y, loss="softmax_cross_entropy",
                          learning_rate=task.learning_rate, epochs=1,
                          batch_size=task.batch_size, seed=0)
    reference = [layer.weights for layer in net.layers] + [layer.bias for layer in net.layers]
    others = {
        "floor (numpy loop)": train_floor(weights, biases, X, task.y, task.learning_rate, 1,
                                          task.batch_size, 0),
        "per-example loop": train_per_example(weights, biases, X, task.y,
                                              task.learning_rate, 1, task.batch_size, 0),
    }
    if torch is not None:
        model = make_torch_model(weights, biases)
        losses = train_torch(model, X, task.y, task.learning_rate, 1, task.batch_size, 0)
        others["PyTorch"] = (*torch_parameters(model), losses)
    lines = []
    for name, (W, b, losses) in others.items():
        diff = max_difference(reference, W + b)
        loss_diff = max(abs(p - q) for p, q in zip(history.step_loss, losses, strict=True))
        lines.append(f"  {task.name:<20} nnlib vs {name:<20} max |weight diff| {diff:.1e}"
                     f"   max |step loss diff| {loss_diff:.1e}")
    return lines


def float32_stays_float32(task: Task) -> str:
    """Train a float32 nnlib network for one step and list any array that is not float32."""
    net = task.start_network(dtype=np.float32)
    nnlib.train(net, task.X[:task.batch_size], task.y[:task.batch_size],
                loss="softmax_cross_entropy", learning_rate=task.learning_rate, epochs=1,
                batch_size=task.batch_size)
    wrong = []
    for i, layer in enumerate(net.layers, start=1):
        arrays = {"weights": layer.weights, "bias": layer.bias, "grad_weights":
                  layer.grad_weights, "grad_bias": layer.grad_bias}
        arrays.update(X=layer.cache.X, Z=layer.cache.Z, A=layer.cache.A)
        wrong += [f"layer{i}.{k} is {v.dtype}" for k, v in arrays.items()
                  if v.dtype != np.float32]
    return "yes" if not wrong else "NO: " + ", ".join(wrong)


def import_seconds(module: str, runs: int = 7) -> float:
    """Median wall time of ``import module`` in a fresh interpreter."""
    code = (f"import time; t = time.perf_counter(); import {module}; "
            f"print(time.perf_counter() - t)")
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True, cwd=REPO).stdout) for _ in range(runs)]
    return statistics.median(times)


# ------------------------------------------------------------ the machine


def machine_lines() -> list:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [f"CPU: {cpu}, {os.cpu_count()} logical cores, "
             f"{len(os.sched_getaffinity(0))} usable by this process",
             f"Python {platform.python_version()}, numpy {np.__version__}, nnlib "
             f"{nnlib.__version__}"]
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                lines.append(f"numpy BLAS: {pool['internal_api']} {pool['version']}, "
                             f"kernel {pool.get('architecture')}, {pool['num_threads']} threads")
    except ImportError:
        lines.append("numpy BLAS: threadpoolctl not installed; see numpy.show_config()")
    if torch is None:
        lines.append("PyTorch: not installed - its rows are skipped "
                     "(install with: .venv/bin/pip install torch==2.13.0)")
    else:
        lines.append(f"PyTorch {torch.__version__}, torch.get_num_threads() = "
                     f"{torch.get_num_threads()} (left at its default)")
    env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                      "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    lines.append("Environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))
    lines.append("Load average (1, 5, 15 min) at start: "
                 + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return lines


# ------------------------------------------------------------ the report


def table_rows(task: Task, seconds: dict, matmul_seconds: list | None) -> list:
    """One row per implementation: best and median time per epoch, speed, ratio to floor."""
    flops = flops_per_example(task.sizes)
    floor = min(seconds["floor (numpy loop)"])
    rows = []
    named = list(seconds.items())
    if matmul_seconds is not None:
        named.append(("numpy matmuls alone", matmul_seconds))
    for name, times in named:
        best = min(times)
        samples = task.n / best
        rows.append((task.name, name, best * 1e3, statistics.median(times) * 1e3, samples,
                     samples * flops / 1e9, best / floor))
    return rows


def print_table(rows) -> None:
    header = (f"{'task':<20} {'implementation':<21} {'ms/epoch':>9} {'(median)':>9} "
              f"{'samples/s':>10} {'GFLOP/s':>8} {'x floor':>8}")
    print(header)
    print("-" * len(header))
    for task, name, best, median, samples, gflops, ratio in rows:
        print(f"{task:<20} {name:<21} {best:>9.2f} {median:>9.2f} {samples:>10,.0f} "
              f"{gflops:>8.2f} {ratio:>8.2f}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 9")
    options = parser.parse_args()
    repeats = 3 if options.quick else 9

    print("Machine")
    for line in machine_lines():
        print("  " + line)
    tasks = [digits_task(), wide_task()]

    print("\nDo the implementations compute the same thing? (one epoch, same start, float64)")
    for task in tasks:
        for line in agreement(task):
            print(line)
    print(f"  float32 network on float32 data stays float32 in forward, backward, loss and "
          f"update: {float32_stays_float32(tasks[1])}")

    epochs = " and ".join(f"{t.epochs_per_run} epochs for {t.name[:3]}" for t in tasks)
    print(f"\nTimings: best of {repeats} runs of {epochs} (per-example loop: 1 epoch, "
          f"fewer runs); median in brackets")
    rows = []
    for task in tasks:
        per_example_epochs = 1
        seconds = time_runs(task, repeats, per_example_epochs)
        rows += table_rows(task, seconds, time_matmuls_only(task, repeats))
    print_table(rows)

    imports = import_seconds("nnlib")
    numpy_import = import_seconds("numpy")
    print(f"\nimport nnlib in a fresh interpreter: {imports:.3f} s (median of 7; "
          f"numpy alone: {numpy_import:.3f} s)")

    print("\nTargets")
    by_key = {(r[0], r[1]): r for r in rows}
    for task in tasks:
        nn = by_key[(task.name, "nnlib")]
        limit = TARGET_FLOOR_RATIO[task.name[:3]]
        print(f"  {task.name}: nnlib / floor = {nn[6]:.2f} (target <= {limit}): "
              f"{verdict(nn[6] <= limit)}")
        if torch is not None:
            ratio = nn[2] / by_key[(task.name, "PyTorch")][2]
            wanted, limit = TARGET_TORCH_RATIO[task.name[:3]]
            print(f"  {task.name}: nnlib / PyTorch time = {ratio:.2f} (target: {wanted}, "
                  f"<= {limit}): {verdict(ratio <= limit)}")
    print(f"  import nnlib: {imports:.3f} s (target < {TARGET_IMPORT_SECONDS} s): "
          f"{verdict(imports < TARGET_IMPORT_SECONDS)}")
    print("  Load average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
