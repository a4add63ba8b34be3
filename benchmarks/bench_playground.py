"""How fast is the playground? Frames per second and control latency, kernel side.

    .venv/bin/python benchmarks/bench_playground.py          # about a minute
    .venv/bin/python benchmarks/bench_playground.py --quick  # a few seconds, small counts

The task is the one the playground must keep alive: a 2-8-8-1 tanh network on
200 points (140 training, 60 test), mini-batches of 10 (14 steps per epoch).

1. **Rendering**: one frame's pictures drawn three ways, after the same training:
   - *matplotlib, full redraw*: a figure with the decision boundary (imshow +
     training and test points), the loss curves and ``plots.draw_network``,
     cleared and drawn again, saved as PNG -- the usual way;
   - *matplotlib, artists kept*: the same figure built once; per frame only the
     image data and the curves change (``set_data``), then draw and save;
   - *numpy -> PNG* (what the playground does): ``PlaygroundWidget.render``, the
     heat map with its points, the loss chart, and the network diagram with a
     heat map per node, all drawn from numpy arrays, PNG-packed with zlib.
2. **Frames**: ``PlaygroundWidget.frame()`` (training ``epochs_per_frame``
   epochs with ``nnlib.train`` + render) for 1, 2, 5 and 10 epochs per frame.
3. **Latency**: the time a control's change takes in the kernel, from setting
   the ipywidget's value to every view redrawn, for every control, paused and
   while Play runs (the change then waits for the frame in progress).

What the browser adds (sending the PNGs, decoding, painting) is measured by
``tests/test_browser_playground.py``, which counts the images shown per second.
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np


def percentiles(values_ms):
    values = np.asarray(values_ms)
    return {p: float(np.percentile(values, p)) for p in (50, 95, 99)}


def timed(function, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def matplotlib_full(model):
    from matplotlib.figure import Figure

    from nnlib import plots
    from nnlib.playground_widget import GRID

    fig = Figure(figsize=(9, 3.2), dpi=80)

    def draw():
        fig.clf()
        boundary, loss, network = fig.subplots(1, 3)
        boundary.imshow(model.predict_grid(GRID), cmap="RdBu", vmin=0, vmax=1,
                        extent=(-1.5, 1.5, -1.5, 1.5))
        boundary.scatter(*model.points_train.T, c=model.y_train[:, 0], cmap="RdBu", s=12,
                         edgecolors="k")
        boundary.scatter(*model.points_test.T, c=model.y_test[:, 0], cmap="RdBu", s=12,
                         marker="s", edgecolors="k")
        loss.plot(model.train_loss)
        loss.plot(model.test_loss, "--")
        plots.draw_network(model.network, ax=network)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    return draw


def matplotlib_kept(model):
    from matplotlib.figure import Figure

    from nnlib.playground_widget import GRID

    fig = Figure(figsize=(6, 3.2), dpi=80)
    boundary, loss = fig.subplots(1, 2)
    image = boundary.imshow(model.predict_grid(GRID), cmap="RdBu", vmin=0, vmax=1,
                            extent=(-1.5, 1.5, -1.5, 1.5))
    boundary.scatter(*model.points_train.T, c=model.y_train[:, 0], cmap="RdBu", s=12,
                     edgecolors="k")
    boundary.scatter(*model.points_test.T, c=model.y_test[:, 0], cmap="RdBu", s=12, marker="s",
                     edgecolors="k")
    (train_line,) = loss.plot(model.train_loss)
    (test_line,) = loss.plot(model.test_loss, "--")

    def draw():
        image.set_data(model.predict_grid(GRID))
        epochs = np.arange(len(model.train_loss))
        train_line.set_data(epochs, model.train_loss)
        test_line.set_data(epochs, model.test_loss)
        loss.relim()
        loss.autoscale_view()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    return draw


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    args = parser.parse_args()
    repeats = 5 if args.quick else 40
    changes = 2 if args.quick else 20

    from nnlib.playground_widget import MAX_FRAMES_PER_SECOND, playground

    settings = {"dataset": "circles", "hidden": (8, 8), "activation": "tanh",
                "learning_rate": 0.1, "batch_size": 10, "seed": 0}
    pw = playground(**settings)
    pw.step(20)  # a network part-way through training, as while playing
    model = pw.model
    print(f"task: {' -> '.join(map(str, model.network.sizes))} {settings['activation']}, "
          f"{len(model.X_train)} training + {len(model.X_test)} test points, batch size "
          f"{settings['batch_size']} ({model.steps_per_epoch} steps per epoch)\n")

    print("1. Rendering one frame (ms; 50th / 95th percentile -> frames/s the drawing allows)")
    ways = {"matplotlib, full redraw": matplotlib_full(model),
            "matplotlib, artists kept": matplotlib_kept(model),
            "numpy -> PNG (the playground)": pw.render}
    for name, draw in ways.items():
        draw()  # warm up
        p = percentiles(timed(draw, repeats))
        print(f"   {name:<32} {p[50]:7.1f} / {p[95]:7.1f} ms   -> {1000 / p[50]:6.1f} frames/s")

    print("\n2. One frame of Play = training + render (ms; 50th / 95th percentile)")
    for epochs in (1, 2, 5, 10):
        pw.set(epochs_per_frame=epochs)
        p = percentiles(timed(pw.frame, repeats))
        train = percentiles(timed(lambda e=epochs, m=model: m.step(e), repeats))
        print(f"   {epochs:>2} epochs per frame ({epochs * model.steps_per_epoch:>3} steps): "
              f"frame {p[50]:6.1f} / {p[95]:6.1f} ms (training {train[50]:5.1f}) -> "
              f"{1000 / p[50]:5.1f} frames/s, {epochs * 1000 / p[50]:6.0f} epochs/s")
    pw.set(epochs_per_frame=2)

    print("\n3. A control's change, from the widget's new value to all views redrawn (ms)")
    moves = [("noise", 0.15), ("noise", 0.1), ("train_percent", 60), ("train_percent", 70),
             ("hidden_layers", 3), ("hidden_layers", 2), ("nodes", 7), ("nodes", 8),
             ("batch_size", 20), ("batch_size", 10), ("seed", 1), ("seed", 0),
             ("activation", "relu"), ("activation", "tanh"), ("learning_rate", 0.3),
             ("learning_rate", 0.1), ("dataset", "xor"), ("dataset", "circles")]
    for playing in (False, True):
        latencies = []
        if playing:
            pw.play()
            time.sleep(0.3)
        for _ in range(changes):
            for name, value in moves:
                started = time.perf_counter()
                pw.controls[name].value = value
                latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(0.01 if playing else 0)
        frames_before = pw.frames
        if playing:
            started = time.perf_counter()
            time.sleep(2.0)
            fps = (pw.frames - frames_before) / (time.perf_counter() - started)
            pw.pause()
        p = percentiles(latencies)
        state = "while playing" if playing else "paused"
        print(f"   {state:<14} {len(latencies):>4} changes: 50th {p[50]:6.1f}, 95th {p[95]:6.1f}, "
              f"99th {p[99]:6.1f}, max {max(latencies):6.1f} ms")
        if playing:
            print(f"   Play ran at {fps:.1f} frames/s in the kernel meanwhile "
                  f"(capped at {MAX_FRAMES_PER_SECOND} frames/s)")


if __name__ == "__main__":
    main()
