"""Benchmark: callback time (compute + render + PNG) of every explorer over 50 slider changes.

    .venv/bin/python tests/bench_explorers.py

Budget (DESIGN.md §6): median <= 100 ms. A benchmark, not a test: timings depend on the machine.
"""
import statistics
import time

import numpy as np

from nnlab.widgets import (activation_explorer, backprop_explorer, descent_1d_explorer, layer_explorer,
                           line_fit_explorer, neuron_explorer, surface_explorer)

EXPLORERS = {  # name: (factory, the slider to sweep, its range)
    "neuron_explorer (lesson 01)": (neuron_explorer, "theta", (-3.0, 3.0)),
    "activation_explorer (lesson 02)": (activation_explorer, "shift", (-3.0, 3.0)),
    "layer_explorer (lesson 02)": (layer_explorer, "angle", (-180.0, 180.0)),
    "descent_1d_explorer (lesson 03)": (descent_1d_explorer, "x0", (-3.0, 3.0)),
    "surface_explorer (lesson 03)": (surface_explorer, "x0", (-2.0, 2.0)),
    "backprop_explorer (lesson 04)": (backprop_explorer, "x1", (-2.0, 2.0)),
    "line_fit_explorer (lesson 05)": (line_fit_explorer, "w", (-0.5, 2.5)),
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


if __name__ == "__main__":
    print(f"{'explorer':34s} {'first draw':>11s} {'median':>8s} {'p95':>8s} {'image':>8s}  budget")
    for name, (factory, control, span) in EXPLORERS.items():
        first, median, p95, kb = bench(factory, control, span)
        verdict = "pass" if median <= 100 else "FAIL"
        print(f"{name:34s} {first:8.0f} ms {median:5.1f} ms {p95:5.1f} ms {kb:5.0f} KB  {verdict} (median <= 100 ms)")
