"""Benchmark: callback time (compute + render + PNG) of every explorer over 50 slider changes; the training
dashboard's pictures per second while it plays; lesson 06's time to 99% training accuracy.

    .venv/bin/python tests/bench_explorers.py

Budgets (DESIGN.md §6): median <= 100 ms; >= 10 dashboard pictures per second. A benchmark, not a test:
timings depend on the machine. Like the lessons (nnlab.setup), it runs torch on one thread.
"""
import statistics
import time

import numpy as np
import torch
from torch import nn

from nnlab import data
from nnlab.widgets import (activation_explorer, backprop_explorer, dashboard, descent_1d_explorer, gradient_explorer,
                           layer_explorer, line_fit_explorer, neuron_explorer, surface_explorer)

EXPLORERS = {  # name: (factory, the slider to sweep, its range)
    "neuron_explorer (lesson 01)": (neuron_explorer, "theta", (-3.0, 3.0)),
    "activation_explorer (lesson 02)": (activation_explorer, "shift", (-3.0, 3.0)),
    "layer_explorer (lesson 02)": (layer_explorer, "angle", (-180.0, 180.0)),
    "descent_1d_explorer (lesson 03)": (descent_1d_explorer, "x0", (-3.0, 3.0)),
    "surface_explorer (lesson 03)": (surface_explorer, "x0", (-2.0, 2.0)),
    "backprop_explorer (lesson 04)": (backprop_explorer, "x1", (-2.0, 2.0)),
    "line_fit_explorer (lesson 05)": (line_fit_explorer, "w", (-0.5, 2.5)),
    "gradient_explorer, depth 30 (07)": (lambda: gradient_explorer(depth=30), "gain", (0.5, 1.5)),
}


def bench(factory, control, span, changes=50):
    start = time.perf_counter()
    explorer = factory()
    first = 1000 * (time.perf_counter() - start)
    times = []
    for value in np.linspace(*span, changes).round(1):
        explorer.controls[control].value = float(value)
        times.append(explorer.draw_ms)
    png_kb = len(explorer.output.outputs[0]["data"]["image/png"]) * 3 / 4 / 1024
    return first, statistics.median(times), np.percentile(times, 95), png_kb


def bench_dashboard(seconds=5.0):
    """Play the default dashboard (the spiral) for a while: pictures and epochs per second."""
    dash = dashboard()
    frames, epoch = dash.frames, dash.epoch
    dash.play()
    time.sleep(seconds)
    start = time.perf_counter()
    dash.pause()
    pause_ms = 1000 * (time.perf_counter() - start)
    rate = (dash.frames - frames) / seconds, (dash.epoch - epoch) / seconds
    dash.close()
    return rate, pause_ms


def time_to_99(seed):
    """Lesson 06's recipe: 100 ReLU units, Adam lr 0.01, full batch; seconds and steps until 99% training accuracy."""
    X, y = data.spiral(100, 3, 0.2, 0)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    start = time.perf_counter()
    for step in range(1, 1001):
        optimizer.zero_grad()
        out = model(X)
        if (out.argmax(1) == y).float().mean() >= 0.99:
            return time.perf_counter() - start, step - 1
        nn.functional.cross_entropy(out, y).backward()
        optimizer.step()
    return None, None


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(f"{'explorer':34s} {'first draw':>11s} {'median':>8s} {'p95':>8s} {'image':>8s}  budget")
    for name, (factory, control, span) in EXPLORERS.items():
        first, median, p95, kb = bench(factory, control, span)
        verdict = "pass" if median <= 100 else "FAIL"
        print(f"{name:34s} {first:8.0f} ms {median:5.1f} ms {p95:5.1f} ms {kb:5.0f} KB  {verdict} (median <= 100 ms)")

    (pictures, epochs), pause_ms = bench_dashboard()
    verdict = "pass" if pictures >= 10 else "FAIL"
    print(f"dashboard (lesson 06), playing: {pictures:.1f} pictures/s, {epochs:.0f} epochs/s; pause took "
          f"{pause_ms:.0f} ms  {verdict} (>= 10 pictures/s)")
    for seed in range(4):
        seconds, steps = time_to_99(seed)
        print(f"lesson 06 recipe, seed {seed}: 99% training accuracy after {steps} steps, {seconds:.2f} s")
