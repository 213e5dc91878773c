"""nnlab's benchmarks: prints a table and writes it, with date, machine and versions, to benchmarks/results.md.

    python3 course.py bench              # everything (about 5 minutes on 2 cores)
    python3 course.py bench --quick      # without executing the notebooks

Budgets (DESIGN.md §6 and issue 9) are checked here and reported as pass/fail lines; they are not timed unit
tests, because timings depend on the machine. Like the lessons (nnlab.setup), torch runs on one thread.
"""
import copy
import datetime
import gc
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import ipywidgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import nnlab
from nnlab.widgets import (activation_explorer, backprop_explorer, dashboard, descent_1d_explorer, digit_explorer,
                           gradient_explorer, layer_explorer, line_fit_explorer, neuron_explorer, surface_explorer,
                           tensor_explorer)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
EXPLORERS = {  # name: (factory, the slider to sweep)
    "tensor_explorer (00)": (tensor_explorer, "a_rows"),
    "neuron_explorer (01)": (neuron_explorer, "theta"),
    "activation_explorer (02)": (activation_explorer, "b"),
    "layer_explorer (02)": (layer_explorer, "angle"),
    "descent_1d_explorer (03)": (descent_1d_explorer, "x0"),
    "surface_explorer (03)": (surface_explorer, "x0"),
    "backprop_explorer (04)": (backprop_explorer, "x1"),
    "line_fit_explorer (05)": (line_fit_explorer, "w"),
    "gradient_explorer, depth 30 (07)": (lambda: gradient_explorer(depth=30), "gain"),
    "digit_explorer (08)": (digit_explorer, "preset"),  # a new drawing each time; a grid click costs the same redraw
    "dashboard, learning rate (06)": (dashboard, "lr"),
}
RACE = ["NYU course: Adam lr 1e-3, weight decay 1e-5", "lesson 06: Adam lr 1e-2"]
SUITE_BUDGET_S, CALLBACK_BUDGET_MS, PICTURES_BUDGET, MEMORY_BUDGET_MB = 120, 100, 25, 20
EPOCHS_BUDGET = 200   # the dashboard's training between pictures, epochs per second (issue 16)


def rss_mb():
    """This process's resident memory now (Linux /proc; elsewhere the peak, from resource)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


def cpu_name():
    """The processor's model name where the system says it (Linux), else its architecture."""
    try:
        line = next(row for row in Path("/proc/cpuinfo").read_text().splitlines() if row.startswith("model name"))
        return line.split(":", 1)[1].strip()
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def walk(control, n):
    """n values for a slider, back and forth over its whole range, each one different from the one before."""
    if isinstance(control, ipywidgets.Dropdown):  # a dropdown: its options in turn
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return [values[i % len(values)] for i in range(control.index + 1, control.index + 1 + n)]
    if isinstance(control, ipywidgets.FloatLogSlider):
        grid = control.base ** np.arange(control.min, control.max + 1e-9, control.step)
    elif isinstance(control, ipywidgets.SelectionSlider):  # e.g. the dashboard's learning rate, in round steps
        grid = np.array([v for _, v in control.options] if isinstance(control.options[0], tuple) else control.options)
    else:
        grid = np.arange(control.min, control.max + 1e-9, control.step)
    grid = grid[np.linspace(0, len(grid) - 1, min(len(grid), 41)).round().astype(int)]
    cycle = np.concatenate([grid, grid[-2:0:-1]])
    return [float(cycle[i % len(cycle)]) for i in range(1, n + 1)]  # starts one step away from the default


def callbacks(factory, name, timed=100, memory=200, warm_up=20):
    """Median and p95 callback time over `timed` changes; new figures and RSS growth over `memory` changes."""
    widget = factory()
    control = widget.controls[name]
    changes = walk(control, warm_up + timed + memory)
    times = []
    for i, value in enumerate(changes[:warm_up + timed]):
        start = time.perf_counter()
        control.value = value  # the callback runs now: compute, draw, encode (PNG; the dashboard JPEG), message
        if i >= warm_up:
            times.append(1000 * (time.perf_counter() - start))
    gc.collect()
    figures, rss = len(plt.get_fignums()), rss_mb()
    for value in changes[warm_up + timed:]:
        control.value = value
    gc.collect()
    new_figures, growth = len(plt.get_fignums()) - figures, rss_mb() - rss
    widget.close()  # the dashboard's close also stops its training thread
    return statistics.median(times), float(np.percentile(times, 95)), new_figures, growth


def dashboard_pictures(seconds=5.0):
    """Play the default dashboard (the spiral, network view on): pictures and epochs per second while it trains;
    and, paused, the median milliseconds of one picture (render + JPEG) and of one epoch, in CPU time of the
    thread, which a busy machine inflates less than the rates."""
    dash = dashboard()
    frames, epoch = dash.frames, dash.epoch
    dash.play()
    time.sleep(seconds)
    dash.pause()
    rate = (dash.frames - frames) / seconds, (dash.epoch - epoch) / seconds

    def cpu_ms(action, n=40):
        times = []
        for _ in range(n):
            start = time.thread_time()
            action()
            times.append(1000 * (time.thread_time() - start))
        return statistics.median(times)

    picture_ms, epoch_ms = cpu_ms(dash.redraw), cpu_ms(lambda: dash._fit(dash.steps_per_epoch))
    dash.close()
    return (*rate, picture_ms, epoch_ms)


def import_seconds(repeats=5):
    """Median time of `import nnlab` in a fresh Python on top of torch, matplotlib and ipywidgets."""
    code = ("import time, torch, matplotlib, ipywidgets; start = time.perf_counter(); import nnlab, nnlab.widgets; "
            "print(time.perf_counter() - start)")
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                  check=True).stdout) for _ in range(repeats))


def notebook_seconds():
    """Execute every lesson in a fresh kernel, as nbval does; seconds per notebook, kernel start included."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                       extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()  # no start-up chatter
        times[path.stem] = time.perf_counter() - start
    return times


def nyu_spiral(n_per_class=1000, n_classes=3, noise=0.2):
    """The NYU deep-learning course's spiral (Canziani, NYU-DLSP20, 04-spiral_classification.ipynb): class c's
    angle runs from 2πc/C to 2π(c + 2)/C plus N(0, 0.2²) noise, radius t from 0 to 1. Uses torch's global
    generator, as the course does, so the course's seed gives the course's data."""
    t = torch.linspace(0, 1, n_per_class)
    X, y = [], []
    for c in range(n_classes):
        angle = torch.linspace(2 * math.pi / n_classes * c, 2 * math.pi / n_classes * (2 + c), n_per_class)
        angle = angle + torch.randn(n_per_class) * noise
        X.append(t[:, None] * torch.stack([angle.sin(), angle.cos()], dim=1))
        y.append(torch.full((n_per_class,), c))
    return torch.cat(X), torch.cat(y)


def race(model, X, y, lr, weight_decay, epochs=1000, target=0.95, longest=5000):
    """Full-batch Adam for `epochs` epochs (longer, up to `longest`, while `target` is not reached yet): seconds and
    epochs until the training accuracy first reaches `target` (None if never), and the accuracy after `epochs`."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    reached, final, start = None, None, time.perf_counter()
    for epoch in range(longest):
        scores = model(X)
        accuracy = (scores.argmax(1) == y).float().mean().item()
        if epoch == epochs:
            final = accuracy
        if reached is None and accuracy >= target:
            reached = (time.perf_counter() - start, epoch)
        if epoch >= epochs and reached:
            break
        optimizer.zero_grad()
        nn.functional.cross_entropy(scores, y).backward()
        optimizer.step()
    return reached, final


def spiral_race():
    """The course's recipe against lesson 06's, on the course's data, from the same initial weights."""
    torch.manual_seed(12345)  # the course's seed; it then builds a linear model before the two-layer one
    X, y = nyu_spiral()
    nn.Sequential(nn.Linear(2, 100), nn.Linear(100, 3))
    course = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3))
    ours = copy.deepcopy(course)
    return {RACE[0]: race(course, X, y, 1e-3, 1e-5), RACE[1]: race(ours, X, y, 1e-2, 0.0)}


def verdict(ok):
    return "pass" if ok else "FAIL"


def main(quick=False):
    torch.set_num_threads(1)
    lines = ["# nnlab benchmarks\n",
             f"{datetime.date.today()} · {platform.platform()} · {cpu_name()} · "
             f"{os.cpu_count()} cores · Python {platform.python_version()} · nnlab {nnlab.__version__} · "
             f"torch {torch.__version__} · numpy {np.__version__} · matplotlib {matplotlib.__version__} · "
             f"ipywidgets {ipywidgets.__version__} · torch threads {torch.get_num_threads()}\n",
             "Made by `python3 course.py bench`" + (" --quick (notebooks not executed)" if quick else "") + ".\n"]
    budgets = []

    def emit(line=""):
        print(line, flush=True)
        lines.append(line)

    if not quick:
        emit("## Notebooks (fresh kernel each, kernel start included)\n")
        emit("| notebook | seconds |\n|---|---:|")
        times = notebook_seconds()
        for name, seconds in times.items():
            emit(f"| {name} | {seconds:.1f} |")
        total = sum(times.values())
        emit(f"| **whole suite** | **{total:.1f}** |\n")
        budgets.append(f"{verdict(total <= SUITE_BUDGET_S)}: whole suite {total:.0f} s (budget ≤ {SUITE_BUDGET_S} s)")

    emit("## Callbacks: one slider change = compute + draw + encode (100 changes after 20 warm-up); memory over "
         "200 more\n")
    emit("| widget | slider | median ms | p95 ms | new figures | RSS growth MB |\n|---|---|---:|---:|---:|---:|")
    for name, (factory, control) in EXPLORERS.items():
        median, p95, figures, growth = callbacks(factory, control)
        emit(f"| {name} | {control} | {median:.1f} | {p95:.1f} | {figures} | {growth:+.1f} |")
        budgets.append(f"{verdict(median <= CALLBACK_BUDGET_MS)}: {name} median {median:.1f} ms "
                       f"(budget ≤ {CALLBACK_BUDGET_MS} ms)")
        budgets.append(f"{verdict(figures == 0 and growth < MEMORY_BUDGET_MB)}: {name} after 200 changes: "
                       f"{figures} new figures, {growth:+.1f} MB (budget 0 figures, < {MEMORY_BUDGET_MB} MB)")
    emit()

    pictures, epochs, picture_ms, epoch_ms = dashboard_pictures()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    emit(f"## Dashboard while playing (spiral, network view, 5 s)\n\n{pictures:.1f} pictures per second, "
         f"{epochs:.0f} epochs per second (load average {load:.1f}); in CPU time one picture takes "
         f"{picture_ms:.1f} ms (render + JPEG) and one epoch {epoch_ms:.2f} ms\n")
    budgets.append(f"{verdict(pictures >= PICTURES_BUDGET)}: dashboard {pictures:.1f} pictures/s "
                   f"(budget ≥ {PICTURES_BUDGET})")
    budgets.append(f"{verdict(epochs >= EPOCHS_BUDGET)}: dashboard {epochs:.0f} epochs/s between pictures "
                   f"(budget ≥ {EPOCHS_BUDGET})")

    seconds = import_seconds()
    emit(f"## Import\n\n`import nnlab, nnlab.widgets` on top of torch, matplotlib and ipywidgets: "
         f"{1000 * seconds:.0f} ms (median of 5 fresh processes)\n")

    emit("## The spiral race (NYU course's spiral: 3 × 1000 points, angle noise 0.2; same data, same initial "
         "weights, 1000 full-batch epochs)\n")
    emit("| recipe | first reaches 0.95 | seconds | accuracy after 1000 epochs |\n|---|---:|---:|---:|")
    results = list(spiral_race().values())
    (course, course_final), (ours, ours_final) = results
    for name, (reached, final) in zip(RACE, results):
        when, seconds = (f"epoch {reached[1]}", f"{reached[0]:.2f}") if reached else ("not in 5000 epochs", "–")
        emit(f"| {name} | {when} | {seconds} | {final:.3f} |")
    ratio = course[0] / ours[0] if course and ours else math.nan
    emit(f"\nLesson 06's recipe reaches 0.95 {ratio:.1f}× sooner than the course's "
         "(the course's recipe is trained on past its 1000 epochs until it gets there).\n")
    budgets.append(f"{verdict(ratio >= 5 and ours_final >= 0.99)}: spiral race, ours {ratio:.1f}× sooner "
                   f"(budget ≥ 5×) and at {ours_final:.3f} after 1000 epochs (budget ≥ 0.99)")

    emit("## Budgets\n")
    for line in budgets:
        emit(f"- {line}")
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0 if all(line.startswith("pass") for line in budgets) else 1


if __name__ == "__main__":
    sys.exit(main(quick="--quick" in sys.argv[1:]))
