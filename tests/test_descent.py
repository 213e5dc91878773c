"""Lesson 03's additions: the noisy line, the contour and path helpers, and both descent explorers."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nnlab import data, plot
from nnlab.widgets.descent import SURFACES, descent_1d_explorer, run_optimizer, surface_explorer


def picture(explorer):
    (output,) = explorer.output.outputs
    return output["data"]["image/png"]


# --- data.noisy_line -------------------------------------------------------------------------

def test_noisy_line_shapes_range_and_determinism():
    X, y = data.noisy_line(n=50, seed=3)
    assert X.shape == (50, 1) and y.shape == (50,) and X.dtype == y.dtype == torch.float32
    assert X.min() >= -2 and X.max() <= 2
    X2, y2 = data.noisy_line(n=50, seed=3)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert not torch.equal(y, data.noisy_line(n=50, seed=4)[1])


def test_noisy_line_without_noise_lies_on_the_line_and_least_squares_recovers_it():
    X, y = data.noisy_line(n=20, w=-0.5, b=3.0, noise=0.0)
    torch.testing.assert_close(y, -0.5 * X[:, 0] + 3.0)
    X, y = data.noisy_line(n=2000, w=2.0, b=-1.0, noise=0.5)
    A = np.column_stack([X.double().numpy(), np.ones(len(X))])
    w, b = np.linalg.lstsq(A, y.double().numpy(), rcond=None)[0]
    assert abs(w - 2.0) < 0.05 and abs(b + 1.0) < 0.05
    assert 0.45 < float((y - (2.0 * X[:, 0] - 1.0)).std()) < 0.55


def test_noisy_line_leaves_the_global_generator_alone():
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    data.noisy_line()
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n=1), ValueError, "n must be >= 2"),
    (dict(n=-5), ValueError, "n must be >= 2"),
    (dict(n=10.0), TypeError, "n must be an int"),
    (dict(noise=-0.1), ValueError, r"noise must be a finite number in \[0.0, 1000000.0\]"),
    (dict(noise=math.nan), ValueError, "noise must be a finite number"),
    (dict(w=math.inf), ValueError, "w must be a finite number"),
    (dict(b="1"), TypeError, "b must be a number"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
])
def test_noisy_line_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.noisy_line(**kwargs)


# --- plot.loss_contours and plot.descent_path ----------------------------------------------------

def bowl(x, y):
    return 0.5 * (x ** 2 + 100 * y ** 2)


def test_loss_contours_draws_filled_levels_and_lines_in_the_box():
    fig, ax = plt.subplots()
    assert plot.loss_contours(bowl, (-2, 2, -1, 1), ax=ax, levels=8) is ax
    filled, lines = ax.collections[:2]
    assert len(filled.levels) == len(lines.levels) == 8
    assert np.all(np.diff(lines.levels) > 0) and lines.levels[0] > 0  # quantiles of f, lowest first
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 1)
    assert ax.get_xlabel() == "$x$" and ax.get_ylabel() == "$y$"


def test_loss_contours_accepts_torch_functions_given_levels_and_uses_the_current_axes():
    fig, ax = plt.subplots()
    f = lambda x, y: torch.as_tensor(x) ** 2 + torch.as_tensor(y) ** 2  # returns a tensor
    assert plot.loss_contours(f, (-1, 1, -1, 1), levels=[0.1, 0.5, 1.0], labels=("$w$", "$b$")) is ax
    assert list(ax.collections[1].levels) == [0.1, 0.5, 1.0]
    assert ax.get_xlabel() == "$w$"


@pytest.mark.parametrize("f, bounds, kwargs, error, words", [
    ("bowl", (-1, 1, -1, 1), {}, TypeError, "f must be a function of two arrays"),
    (bowl, (1, -1, -1, 1), {}, ValueError, r"bounds must be \(x_min, x_max, y_min, y_max\)"),
    (bowl, (-1, 1, -1), {}, ValueError, "bounds must be"),
    (bowl, (-1, 1, -1, 1), dict(levels=0), ValueError, "levels must be >= 1"),
    (bowl, (-1, 1, -1, 1), dict(levels=[1.0, math.nan]), ValueError, "levels must be an int or a list of finite"),
    (bowl, (-1, 1, -1, 1), dict(resolution=-3), ValueError, "resolution must be >= 2"),
    (lambda x, y: x[0], (-1, 1, -1, 1), {}, ValueError, "f must return one value per grid point"),
    (lambda x, y: x * math.nan, (-1, 1, -1, 1), {}, ValueError, "f is NaN or inf everywhere"),
])
def test_loss_contours_rejects_bad_input(f, bounds, kwargs, error, words):
    fig, ax = plt.subplots()
    with pytest.raises(error, match=words):
        plot.loss_contours(f, bounds, ax=ax, **kwargs)


def test_descent_path_draws_the_steps_start_and_end_from_a_tensor():
    fig, ax = plt.subplots()
    P = torch.tensor([[-1.0, 1.0], [-0.5, -0.5], [0.0, 0.1]], dtype=torch.float64)
    assert plot.descent_path(P, ax=ax, label="GD") is ax
    steps, start, end = ax.lines
    np.testing.assert_array_equal(np.column_stack(steps.get_data()), P.numpy())
    assert start.get_xydata().tolist() == [[-1.0, 1.0]] and end.get_xydata().tolist() == [[0.0, 0.1]]
    assert steps.get_label() == "GD"


@pytest.mark.parametrize("points, error, words", [
    (np.zeros((4, 3)), ValueError, r"points must have shape \(N, 2\)"),
    (np.zeros((0, 2)), ValueError, "points must contain at least one point"),
    ([[0, 0], [math.inf, 1]], ValueError, "points contains NaN or inf"),
    ("path", TypeError, "points must be numeric"),
])
def test_descent_path_rejects_bad_input(points, error, words):
    with pytest.raises(error, match=words):
        plot.descent_path(points)


# --- descent_1d_explorer ------------------------------------------------------------------------

def test_1d_explorer_every_control_changes_the_picture_and_no_figure_leaks():
    ex = descent_1d_explorer()
    figures_before = plt.get_fignums()
    assert "converged" in ex.message.value and ex.draw_ms is not None
    for name, value in [("lr", 0.3), ("lr", 0.45), ("curvature", 8.0), ("curvature", 2.5), ("x0", -1.5),
                        ("x0", 2.8), ("steps", 5), ("steps", 40)]:
        before = picture(ex)
        ex.controls[name].value = value
        assert picture(ex) != before, f"changing {name} to {value} did not change the picture"
    for lr in np.linspace(0.01, 0.6, 50):
        ex.controls["lr"].value = round(float(lr), 2)
    for lam in np.arange(0.5, 10.5, 0.5):
        ex.controls["curvature"].value = float(lam)
    assert plt.get_fignums() == figures_before
    assert len(ex.output.outputs) == 1


def test_1d_explorer_says_converged_oscillating_or_diverged_around_2_over_lambda():
    ex = descent_1d_explorer(curvature=4.0, lr=0.49, x0=2.0)
    assert "converged: |x| &lt; 1e-6 after" in ex.message.value
    ex.controls["lr"].value = 0.5
    assert "exactly 2/λ = 0.5" in ex.message.value and "oscillates" in ex.message.value
    ex.controls["lr"].value = 0.51
    assert "diverged at step 335: |x| passed 1e6 — try a smaller learning rate" in ex.message.value
    assert "color" in ex.message.value  # shown as a warning
    good = picture(ex)
    ex.controls["lr"].value = 0.25      # still usable afterwards: η = 1/λ lands in one step
    assert "after 1 step," in ex.message.value and picture(ex) != good
    ex.controls["x0"].value = 0.0
    assert "already the minimum" in ex.message.value


@pytest.mark.parametrize("lam, edge", [(8.0, 0.25), (5.0, 0.4), (2.0, 1.0), (10.0, 0.2)])
def test_1d_explorer_curvature_slider_moves_the_edge(lam, edge):
    ex = descent_1d_explorer(curvature=4.0, lr=0.1)
    ex.controls["curvature"].value = lam
    ex.controls["lr"].value = round(edge - 0.01, 2)
    assert ex.message.value.startswith("converged") and f"&lt; 2/λ = {edge:g})" in ex.message.value
    ex.controls["lr"].value = edge
    assert f"exactly 2/λ = {edge:g}: every step flips x" in ex.message.value
    if edge + 0.01 <= ex.controls["lr"].max:
        ex.controls["lr"].value = round(edge + 0.01, 2)
        assert ex.message.value.startswith("<b") and f"diverged at step" in ex.message.value


def test_1d_explorer_draws_the_parabola_of_the_chosen_curvature():
    ex = descent_1d_explorer(curvature=4.0)
    for lam in (0.5, 10.0, 4.0):
        ex.controls["curvature"].value = lam
        xs, fs = ex.curve.get_data()
        np.testing.assert_allclose(fs, 0.5 * lam * xs ** 2)
        assert f"curvature λ = {lam:g}, so the edge is 2/λ = {2 / lam:.3g}" in ex.note.get_text()
    assert ex.ax.get_ylim() == pytest.approx((-1.225, 29.89))   # fixed: a larger λ shows as a narrower bowl
    assert [c.description for c in ex.controls.values()] == ["learning rate η", "curvature λ", "start x₀", "steps"]


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(curvature=0), ValueError, r"curvature must be a finite number in \[0.5, 10.0\]"),
    (dict(curvature="4"), TypeError, "curvature must be a number"),
    (dict(lr=-0.1), ValueError, r"lr must be a finite number in \[0.01, 1.0\]"),
    (dict(lr=1.5), ValueError, "lr must be a finite number in"),
    (dict(lr=math.nan), ValueError, "lr must be a finite number"),
    (dict(x0=5), ValueError, r"x0 must be a finite number in \[-3.0, 3.0\]"),
    (dict(steps=0), ValueError, "steps must be >= 1"),
    (dict(steps=80), ValueError, "steps must be between 1 and 50"),
    (dict(steps=2.5), TypeError, "steps must be an int"),
])
def test_1d_explorer_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        descent_1d_explorer(**kwargs)


# --- surface_explorer ---------------------------------------------------------------------------

def test_surface_explorer_every_control_changes_the_picture_and_no_figure_leaks():
    ex = surface_explorer()
    figures_before = plt.get_fignums()
    assert "GD, η = 0.018: after 100 steps" in ex.message.value
    changes = [("optimizer", "momentum"), ("momentum", 0.5), ("optimizer", "Nesterov"), ("optimizer", "Adam"),
               ("lr", 0.1), ("x0", 1.2), ("y0", -0.7), ("steps", 30), ("surface", "two valleys"),
               ("optimizer", "GD")]
    for name, value in changes:
        before = picture(ex)
        ex.controls[name].value = value
        assert picture(ex) != before, f"changing {name} to {value} did not change the picture"
        assert "Could not draw" not in ex.message.value
    for i in range(50):
        ex.controls["x0"].value = round(-2 + 0.08 * i, 2)
    assert plt.get_fignums() == figures_before
    assert len(ex.output.outputs) == 1


def test_surface_explorer_reports_divergence_and_keeps_working():
    ex = surface_explorer(optimizer="GD", lr=0.018)
    ex.controls["lr"].value = 1.0
    assert "diverged at step" in ex.message.value and "try a smaller learning rate" in ex.message.value
    broken = picture(ex)
    ex.controls["lr"].value = 0.01
    assert "after 100 steps f =" in ex.message.value and picture(ex) != broken
    ex.controls["surface"].value = "two valleys"
    ex.controls["lr"].value = 1.0
    assert "diverged at step 3: loss passed 1e10" in ex.message.value
    ex.controls["lr"].value = 0.05
    assert "near the global minimum" in ex.message.value


@pytest.mark.parametrize("x0, where", [(-0.3, "global minimum"), (0.3, "local minimum"), (0.0, "saddle")])
def test_surface_explorer_says_where_the_path_ended(x0, where):
    ex = surface_explorer(surface="two valleys", lr=0.05, x0=x0, y0=1.0, steps=150)
    assert f"near the {where}; f − f_min = " in ex.message.value


def test_surface_explorer_says_near_not_at_and_how_far_above_the_lowest_value():
    """Issue 14: near the bowl's minimum with f − f_min = 0.0026 and still falling is not "at the minimum"."""
    ex = surface_explorer(surface="bowl", optimizer="momentum", lr=0.02, momentum=0.9, x0=-1.5, y0=1.0, steps=100)
    path, losses, _ = run_optimizer("bowl", "momentum", 0.02, 0.9, -1.5, 1.0, 100)
    assert f"near the minimum; f − f_min = {losses[-1]:.2g}, still falling." in ex.message.value
    assert "at the minimum" not in ex.message.value
    ex.controls["steps"].value = 200          # by then within 1e-8 for good
    assert "near the minimum" in ex.message.value and "within 1e-8 of the lowest value from step" in ex.message.value
    ex.controls["surface"].value = "two valleys"   # a walk stuck in the local minimum is not falling any more
    ex.controls["x0"].value = 0.3
    assert "near the local minimum; f − f_min = 1.3, no longer falling." in ex.message.value
    ex.controls["optimizer"].value = "GD"
    ex.controls["lr"].value = 0.018
    ex.controls["steps"].value = 5
    assert "not near a critical point yet" in ex.message.value and "still falling" in ex.message.value


def test_surface_explorer_says_a_slow_divergence_overshoots():
    """GD just past the bowl's edge 2/100 (η = 0.0209, the log slider's first stop past 0.02) grows, slower than 1e10."""
    ex = surface_explorer(surface="bowl", optimizer="GD", lr=0.018, x0=-1.5, y0=1.0, steps=100)
    ex.controls["lr"].value = 10 ** -1.68
    _, losses, diverged = run_optimizer("bowl", "GD", ex.controls["lr"].value, 0.9, -1.5, 1.0, 100)
    assert diverged is None and losses[-1] > 1e6 * losses[0]          # really growing, under the 1e10 cut-off
    assert "not near a critical point;" in ex.message.value and "yet" not in ex.message.value
    assert "higher than at the start: the steps overshoot — try a smaller learning rate." in ex.message.value
    ex.controls["lr"].value = 0.018                                    # below the edge: falling again
    assert "not near a critical point yet" in ex.message.value and "overshoot" not in ex.message.value


def test_surface_explorer_colour_bar_label_stands_apart_from_the_height_axis_label():
    """The colour bar's label and the right panel's y label are two labels, with clear space between them."""
    ex = surface_explorer(surface="bowl")
    for surface in ("bowl", "two valleys"):
        ex.controls["surface"].value = surface
        renderer = ex.fig.canvas.get_renderer()
        bar = ex.colorbar.ax.yaxis.label.get_window_extent(renderer)
        height = ex.loss_ax.yaxis.label.get_window_extent(renderer)
        assert height.x0 - bar.x1 >= 18, surface    # pixels; it was 9, close enough to read as one two-line label


def test_surface_explorer_colour_bar_follows_the_surface():
    ex = surface_explorer(surface="bowl")
    assert ex.colorbar.mappable is ex.filled["bowl"]
    ex.controls["surface"].value = "two valleys"
    assert ex.colorbar.mappable is ex.filled["two valleys"] and "darker = lower" in ex.colorbar.ax.get_ylabel()
    low, high = ex.colorbar.mappable.levels[[0, -1]]
    assert low < SURFACES["two valleys"].f(0.8, 0.0) < high    # the local minimum's height is on the scale


@pytest.mark.parametrize("optimizer, kwargs", [
    ("GD", {}), ("momentum", dict(momentum=0.8)), ("Nesterov", dict(momentum=0.8, nesterov=True))])
def test_run_optimizer_matches_the_update_rule(optimizer, kwargs):
    """The explorer's torch.optim path equals the rule written out by hand (PyTorch's momentum form)."""
    path, losses, diverged = run_optimizer("bowl", optimizer, 0.01, kwargs.get("momentum", 0.0), -1.5, 1.0, 40)
    p, v, H, mu = np.array([-1.5, 1.0]), np.zeros(2), np.array([1.0, 100.0]), kwargs.get("momentum", 0.0)
    for k in range(1, 41):
        g = H * p
        v = mu * v + g
        p = p - 0.01 * (g + mu * v if kwargs.get("nesterov") else v)
        np.testing.assert_allclose(path[k], p, rtol=1e-12, atol=1e-15)
    assert diverged is None and losses[-1] == pytest.approx(SURFACES["bowl"].f(*p))


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(surface="saddle"), ValueError, r"unknown surface 'saddle'; expected one of \['bowl', 'two valleys'\]"),
    (dict(optimizer="RMSprop"), ValueError, "unknown optimizer 'RMSprop'"),
    (dict(optimizer=None), TypeError, "optimizer must be a string"),
    (dict(lr=0), ValueError, r"lr must be a finite number in \[0.001, 1.0\]"),
    (dict(momentum=1.0), ValueError, r"momentum must be a finite number in \[0.0, 0.99\]"),
    (dict(x0=math.nan), ValueError, "x0 must be a finite number"),
    (dict(y0=3), ValueError, r"y0 must be a finite number in \[-1.5, 1.5\]"),
    (dict(steps=-1), ValueError, "steps must be >= 1"),
    (dict(steps=500), ValueError, "steps must be between 1 and 200"),
])
def test_surface_explorer_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        surface_explorer(**kwargs)


def test_surface_explorer_at_the_bowls_edge_says_neither_yet_nor_stopped():
    """GD at exactly η = 2/100 bounces y between ±1 for ever: not 'yet', and f still falls a little (x slides)."""
    ex = surface_explorer(surface="bowl", optimizer="GD", lr=0.02, x0=-1.5, y0=1.0, steps=100)
    _, losses, _ = run_optimizer("bowl", "GD", 0.02, 0.9, -1.5, 1.0, 100)
    assert 0 < losses[-51] - losses[-1] < 0.01 * losses[-51]          # falling, but by under 1% in 50 steps
    assert "not near a critical point;" in ex.message.value and "yet" not in ex.message.value
    assert "falling slowly (by less than 1% in the last 50 steps)." in ex.message.value
    ex.controls["x0"].value = 0.0                                       # then f = 50 at every step: not falling
    assert "not near a critical point;" in ex.message.value and "no longer falling." in ex.message.value


def test_surface_explorer_tells_the_sliders_stop_below_the_edge_from_the_edge():
    """The log slider's stop 10^-1.7 = 0.01995 (where JupyterLab puts a 0.02 set from Python) is not shown as 0.02."""
    ex = surface_explorer(surface="bowl", optimizer="GD", lr=0.02, x0=-1.5, y0=1.0, steps=100)
    assert "GD, η = 0.02:" in ex.message.value and "falling slowly" in ex.message.value   # exactly 2/100: y bounces
    ex.controls["lr"].value = 10 ** -1.7
    assert ex.controls["lr"].readout_format == ".4g" and f"{ex.controls['lr'].value:.4g}" == "0.01995"
    assert "GD, η = 0.01995:" in ex.message.value and "not near a critical point yet" in ex.message.value
    ex.controls["optimizer"].value = "momentum"                    # momentum's edge is 2(1 + β)/100 = 0.038
    ex.controls["lr"].value = 10 ** -1.44
    assert "η = 0.03631, β = 0.9" in ex.message.value and "still falling" in ex.message.value
    ex.controls["lr"].value = 10 ** -1.42                           # 0.03802, just past it
    assert "η = 0.03802, β = 0.9" in ex.message.value and "overshoot" in ex.message.value
