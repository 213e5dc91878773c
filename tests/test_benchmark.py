"""The benchmark script's pieces (benchmarks/run.py): not the timings, which depend on the machine, but that
it measures what it says, so `python3 course.py bench` does not rot between runs."""
import importlib.util
from pathlib import Path

import torch
from torch import nn

from nnlab.widgets import dashboard, neuron_explorer

_spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parents[1] / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_a_walk_changes_the_slider_every_time_and_covers_its_range():
    dash = dashboard()
    try:
        for control, lowest, highest in [(neuron_explorer().controls["theta"], -3.0, 3.0),
                                         (dash.controls["lr"], 1e-4, 10.0)]:  # a log slider: 10**-4 to 10**1
            values = bench.walk(control, 100)
            assert len(values) == 100 and values[0] != control.value
            assert all(a != b for a, b in zip(values, values[1:]))  # every change fires the callback
            assert abs(min(values) - lowest) < 1e-9 and abs(max(values) - highest) < 1e-9
    finally:
        dash.close()


def test_callbacks_are_timed_and_no_figure_is_left_behind():
    median, p95, new_figures, growth = bench.callbacks(neuron_explorer, "theta", timed=10, memory=10, warm_up=2)
    assert 0 < median <= p95 and new_figures == 0


def test_the_nyu_spiral_has_the_courses_shape_and_seed():
    torch.manual_seed(12345)
    X, y = bench.nyu_spiral()
    assert X.shape == (3000, 2) and y.tolist() == [0] * 1000 + [1] * 1000 + [2] * 1000
    assert torch.allclose(X.norm(dim=1)[:1000], torch.linspace(0, 1, 1000), atol=1e-6)  # radius t from 0 to 1
    torch.manual_seed(12345)
    assert torch.equal(bench.nyu_spiral()[0], X)


def test_the_race_reports_when_the_target_is_first_reached_and_the_accuracy_after_the_set_epochs():
    torch.manual_seed(0)
    X, y = bench.nyu_spiral(100)
    model = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3))
    (seconds, epoch), final = bench.race(model, X, y, 1e-2, 0.0, epochs=50, target=0.5)
    assert seconds > 0 and 0 < epoch <= 50 and 0.5 <= final <= 1
    (never, final) = bench.race(model, X, y, 1e-2, 0.0, epochs=5, target=1.01, longest=10)
    assert never is None and 0 <= final <= 1
