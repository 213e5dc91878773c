"""Lesson 05's additions: the city-profit and parabola data, the shipped CSV, and the line-fit explorer."""
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nnlab import data, plot
from nnlab.widgets import base
from nnlab.widgets.regression import B_RANGE, W_RANGE, best_fit, line_fit_explorer

SHIPPED_CSV = Path(__file__).resolve().parents[1] / "data" / "city_profit.csv"


def picture(explorer):
    (output,) = explorer.output.outputs
    return output["data"]["image/png"]


# --- data.city_profit and data.write_city_profit ----------------------------------------------------

def test_city_profit_shapes_ranges_and_a_linear_trend_with_losses():
    X, y = data.city_profit()
    assert X.shape == (97, 1) and y.shape == (97,) and X.dtype == y.dtype == torch.float32
    assert 5 <= X.min() and X.max() <= 22
    assert (y < 0).any() and (y > 15).any()              # some cities lose money, big ones earn a lot
    x, t = X[:, 0].double().numpy(), y.double().numpy()
    w, b = best_fit(x, t)
    assert 1.0 < w < 1.4 and -6 < b < -2                 # near the line −3.9 + 1.2·population
    assert 2.5 < np.std(t - (w * x + b)) < 3.5            # the noise has standard deviation 3
    assert np.array_equal(np.round(x, 4), x.round(4))     # 4 decimals, as in the CSV


def test_city_profit_is_deterministic_private_and_seeded():
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    X, y = data.city_profit()
    assert torch.equal(torch.rand(3), expected)          # the global generator is untouched
    X2, y2 = data.city_profit(seed=0)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert not torch.equal(X, data.city_profit(seed=1)[0])
    X3, y3 = data.city_profit(n=10, noise=0.0, seed=2)
    assert X3.shape == (10, 1)
    torch.testing.assert_close(y3, -3.9 + 1.2 * X3[:, 0], atol=2e-4, rtol=0)   # no noise: on the line


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n=1), ValueError, "n must be >= 2"),
    (dict(n=97.0), TypeError, "n must be an int"),
    (dict(noise=-1.0), ValueError, r"noise must be a finite number in \[0.0, 1000000.0\]"),
    (dict(noise=math.nan), ValueError, "noise must be a finite number"),
    (dict(noise="3"), TypeError, "noise must be a number"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(seed=None), TypeError, "seed must be an int"),
])
def test_city_profit_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.city_profit(**kwargs)


def test_the_shipped_csv_is_exactly_what_write_city_profit_makes(tmp_path):
    path = data.write_city_profit(tmp_path / "city_profit.csv")
    assert path.read_bytes() == SHIPPED_CSV.read_bytes(), \
        "data/city_profit.csv is stale: regenerate it with nnlab.data.write_city_profit('data/city_profit.csv')"
    lines = SHIPPED_CSV.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "population,profit" and len(lines) == 98
    table = np.array([line.split(",") for line in lines[1:]], dtype=float)
    X, y = data.city_profit()
    np.testing.assert_allclose(table, np.column_stack([X[:, 0].numpy(), y.numpy()]), atol=5e-5, rtol=0)


def test_write_city_profit_accepts_str_and_rejects_a_non_path(tmp_path):
    target = str(tmp_path / "small.csv")
    assert data.write_city_profit(target, n=3) == target
    assert Path(target).read_text(encoding="utf-8").count("\n") == 4
    with pytest.raises(TypeError, match="path must be a file name"):
        data.write_city_profit(42)
    with pytest.raises(ValueError, match="n must be >= 2"):
        data.write_city_profit(target, n=0)


# --- data.quadratic ---------------------------------------------------------------------------------

def test_quadratic_shapes_grid_and_noise_above_the_parabola():
    X, y = data.quadratic(n=100, noise=0.2, seed=0)
    assert X.shape == (100, 1) and y.shape == (100,) and X.dtype == y.dtype == torch.float32
    torch.testing.assert_close(X[:, 0], torch.linspace(-1, 1, 100))
    gap = y - X[:, 0] ** 2
    assert (gap >= 0).all() and (gap < 0.2).all()        # uniform noise in [0, 0.2)
    assert 0.08 < gap.mean() < 0.12
    X0, y0 = data.quadratic(n=5, noise=0.0)
    torch.testing.assert_close(y0, X0[:, 0] ** 2)


def test_quadratic_is_deterministic_and_private():
    torch.manual_seed(3)
    expected = torch.rand(2)
    torch.manual_seed(3)
    a = data.quadratic(seed=4)
    assert torch.equal(torch.rand(2), expected)
    assert torch.equal(a[1], data.quadratic(seed=4)[1]) and not torch.equal(a[1], data.quadratic(seed=5)[1])


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n=1), ValueError, "n must be >= 2"),
    (dict(n="100"), TypeError, "n must be an int"),
    (dict(noise=-0.2), ValueError, "noise must be a finite number"),
    (dict(noise=math.inf), ValueError, "noise must be a finite number"),
    (dict(seed=1.5), TypeError, "seed must be an int"),
])
def test_quadratic_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.quadratic(**kwargs)


# --- line_fit_explorer ------------------------------------------------------------------------------

def shown_loss(explorer):
    return float(re.search(r"ℒ = ½·MSE = ([\d.e+-]+) ", explorer.message.value).group(1))


def city_xy():
    X, y = data.city_profit()
    return X[:, 0].double().numpy(), y.double().numpy()


def raw_edge():
    """2/λ_max of the loss ℒ = ½·MSE over (w, b) on the raw population."""
    x, _ = city_xy()
    A = np.column_stack([x, np.ones_like(x)])
    return 2 / np.linalg.eigvalsh(A.T @ A / len(x)).max()


def test_every_control_changes_the_picture_and_no_figure_leaks():
    ex = line_fit_explorer()
    figures = plt.get_fignums()
    assert ex.draw_ms is not None and "Could not draw" not in ex.message.value
    for name, value in [("w", 1.0), ("w", -0.3), ("b", -4.0), ("b", 5.0), ("show_best", True), ("show_best", False),
                        ("standardise", True), ("standardise", False)]:
        before = picture(ex)
        ex.controls[name].value = value
        assert picture(ex) != before, f"changing {name} to {value} did not change the picture"
    before = picture(ex)
    ex.buttons["10 steps"].click()
    assert picture(ex) != before, "10 steps did not change the picture"
    for i in range(50):
        ex.controls["w"].value = round(W_RANGE[0] + 0.06 * i, 2)
    assert plt.get_fignums() == figures and len(ex.output.outputs) == 1


def test_the_message_shows_half_the_mse_of_the_line():
    x, t = city_xy()
    ex = line_fit_explorer(w=0.8, b=-1.5)
    for w, b in [(0.8, -1.5), (1.2, -4.0), (2.0, 3.0), (-0.5, -10.0)]:
        ex.controls["w"].value, ex.controls["b"].value = w, b
        assert shown_loss(ex) == pytest.approx(0.5 * np.mean((w * x + b - t) ** 2), rel=1e-3)
        assert ex.loss(w, b) == pytest.approx(0.5 * np.mean((w * x + b - t) ** 2), rel=1e-12)
    assert "$" in ex.message.value and "typical miss" in ex.message.value


def test_the_surface_is_the_same_loss_as_the_message():
    """The right panel shades ℒ = ½·MSE (as lesson 05's contour plots do), with slope across and intercept up."""
    ex = line_fit_explorer()
    assert ex.cost.get_xlabel().startswith("slope") and ex.cost.get_ylabel().startswith("intercept")
    colorbar_axes = [a for a in ex.fig.axes if a not in (ex.cost, ex.line.axes)]
    assert len(colorbar_axes) == 1 and "frac{1}{2}" in colorbar_axes[0].get_ylabel()


def test_the_toggle_shows_and_hides_the_best_fit():
    ex = line_fit_explorer(w=1.0, b=0.0)
    assert not ex.best_line.get_visible() and "w* =" not in ex.message.value   # not given away unasked
    hidden = picture(ex)
    ex.controls["show_best"].value = True
    assert ex.best_line.get_visible() and ex.best_point.get_visible() and picture(ex) != hidden
    w_star, b_star = ex.best
    assert f"w* = {w_star:.3f}" in ex.message.value and "times that" in ex.message.value
    ex.controls["w"].value, ex.controls["b"].value = round(w_star, 2), round(b_star, 2)   # the sliders' step
    assert "Your ℒ is within 1% of the lowest ℒ" in ex.message.value
    ex.controls["show_best"].value = False
    assert not ex.best_line.get_visible() and "w* =" not in ex.message.value


def test_within_one_percent_is_of_the_loss_not_of_w_and_b():
    """A line on the valley floor, its intercept 0.6 from b*, is within 1% in ℒ: the message says it is the loss."""
    ex = line_fit_explorer(show_best=True)
    w_star, b_star = ex.best
    b = round(b_star + 0.6, 2)
    w = round((np.mean(ex.x * ex.y) - b * ex.x.mean()) / np.mean(ex.x ** 2), 2)     # the best slope for this b
    ex.controls["w"].value, ex.controls["b"].value = w, b
    assert abs(b - b_star) > 0.5 and ex.loss(w, b) < 1.01 * ex.best_loss
    assert "Your ℒ is within 1% of the lowest ℒ" in ex.message.value


def test_just_short_of_one_percent_never_reads_1_01():
    """Just outside 1% (lesson 05's presses below the edge end there) the ratio shows three decimals, not '1.01'."""
    ex = line_fit_explorer(show_best=True)
    w_star, b_star = ex.best
    b = round(b_star + 0.75, 2)                                                      # along the valley floor
    w = round((np.mean(ex.x * ex.y) - b * ex.x.mean()) / np.mean(ex.x ** 2), 2)
    ex.controls["w"].value, ex.controls["b"].value = w, b
    ratio = ex.loss(w, b) / ex.best_loss
    assert 1.01 <= ratio < 1.1 and "within 1%" not in ex.message.value
    assert f"yours is {ratio:.3f} times that" in ex.message.value and f"{ratio:.3f}" != "1.010"
    ex.controls["w"].value, ex.controls["b"].value = 0.5, 0.0                        # far off: two decimals
    assert f"yours is {ex.loss(0.5, 0.0) / ex.best_loss:.2f} times that." in ex.message.value


def test_the_best_fit_is_least_squares():
    ex = line_fit_explorer()
    w_star, b_star = ex.best
    A = np.column_stack([ex.x, np.ones_like(ex.x)])
    np.testing.assert_allclose([w_star, b_star], np.linalg.solve(A.T @ A, A.T @ ex.y), rtol=1e-10)
    assert ex.best_loss == pytest.approx(ex.loss(w_star, b_star))
    assert all(ex.loss(w_star + dw, b_star + db) > ex.best_loss for dw, db in [(0.01, 0), (0, 0.05), (-0.01, 0.1)])


def test_ten_steps_is_gradient_descent_on_half_the_mse_and_the_sliders_follow():
    x, t = city_xy()
    ex = line_fit_explorer(w=0.5, b=0.0, lr=0.01)
    ex.buttons["10 steps"].click()
    w, b = 0.5, 0.0
    for _ in range(10):                                  # by hand: ∂ℒ/∂w = mean((ŷ − y)x), ∂ℒ/∂b = mean(ŷ − y)
        r = w * x + b - t
        w, b = w - 0.01 * np.mean(r * x), b - 0.01 * np.mean(r)
    assert ex.controls["w"].value == pytest.approx(w, rel=1e-9) and ex.controls["b"].value == pytest.approx(b, abs=1e-9)
    assert len(ex.walk_line.get_xdata()) == 11 and "10 steps at learning rate η = 0.01: ℒ fell" in ex.message.value
    ex.controls["lr"].value = 0.02                       # any other change: the walk is no longer drawn
    assert len(ex.walk_line.get_xdata()) == 0 and "10 steps" not in ex.message.value


def browser_echo(control):
    """What JupyterLab sends back after the kernel sets a slider: the value rounded to the slider's step."""
    return control.min + round((control.value - control.min) / control.step) * control.step


@pytest.mark.parametrize("standardise", [False, True])
def test_the_browser_rounding_the_walked_sliders_back_is_not_a_move(standardise):
    """After "10 steps" JupyterLab rounds w and b to their step and sends them back: the line stays exact, the
    walk and its sentence stay, and the next press starts where the last one ended; a learner's move still counts."""
    ex, twin = line_fit_explorer(standardise=standardise), line_fit_explorer(standardise=standardise)
    ex.controls["lr"].value = twin.controls["lr"].value = 0.05 if standardise else 0.015
    for _ in range(3):
        ex.buttons["10 steps"].click()
        twin.buttons["10 steps"].click()
        rounded = 0
        for name in ("w", "b"):
            echo = browser_echo(ex.controls[name])
            rounded += echo != ex.controls[name].value
            ex.controls[name].value = echo
        assert rounded > 0
        assert ex.values() == twin.values() and ex.message.value == twin.message.value
        assert "ℒ fell" in ex.message.value and len(ex.walk_line.get_xdata()) == 11
        assert picture(ex) == picture(twin)
    for name in ("w", "b"):          # the readouts (2 decimals) show what the message says
        assert f"{name} = {ex.values()[name]:.2f}" in ex.message.value
        assert f"{browser_echo(ex.controls[name]):.2f}" == f"{ex.values()[name]:.2f}"
    ex.controls["w"].value = browser_echo(ex.controls["w"]) + ex.controls["w"].step     # the learner moves it
    assert ex.values()["w"] == ex.controls["w"].value and "10 steps" not in ex.message.value
    assert len(ex.walk_line.get_xdata()) == 0


@pytest.mark.parametrize("standardise", [False, True])
def test_a_learner_can_find_the_edge_by_hand(standardise):
    """Below 2/λ_max the loss falls at every press, above it rises: 2/λ_max on the raw population, 2 standardised."""
    edge = 2.0 if standardise else raw_edge()
    ex = line_fit_explorer(standardise=standardise)
    for factor, verdict in [(0.97, "ℒ fell"), (1.03, "ℒ rose")]:
        ex.controls["w"].value, ex.controls["b"].value, ex.controls["lr"].value = 0.5, 0.0, factor * edge
        said = [ex.buttons["10 steps"].click() or ex.message.value for _ in range(3)]
        assert all(verdict in s for s in said), said
    assert "too large" in said[-1]
    ex.controls["w"].value, ex.controls["b"].value = 0.5, 0.0       # one press, still inside the sliders:
    ex.buttons["10 steps"].click()                                   # the message gives its one ℒ one way
    rose_to = re.search(r"ℒ rose from [\d.]+ to ([\d.]+)", ex.message.value).group(1)
    assert f"ℒ = ½·MSE = {rose_to} " in ex.message.value, ex.message.value
    low, high = (10.0 ** e for e in (ex.controls["lr"].min, ex.controls["lr"].max))
    assert low < raw_edge() / 10 and 2 * 1.2 < high            # both edges lie well inside the slider


def test_standardise_keeps_the_line_and_shows_the_round_bowl():
    x, _ = city_xy()
    mu, std = x.mean(), x.std()
    ex = line_fit_explorer(w=0.8, b=-1.0)
    raw_line, raw_loss = ex.line.get_ydata().copy(), shown_loss(ex)
    ex.controls["standardise"].value = True
    assert (ex.controls["w"].value, ex.controls["b"].value) == (0.8, -1.0)      # the sliders stay: the same line
    np.testing.assert_allclose(ex.line.get_ydata(), raw_line)
    assert shown_loss(ex) == raw_loss
    assert f"w′ = {0.8 * std:.2f}, b′ = {-1.0 + 0.8 * mu:.2f}" in ex.message.value
    np.testing.assert_allclose(ex.you.get_xydata()[0], [0.8 * std, -1.0 + 0.8 * mu])
    assert ex.cost.get_aspect() in (1.0, "equal") and "w'" in ex.cost.get_xlabel()   # a round bowl, drawn round
    ex.controls["lr"].value = 1.0                                                  # H = I: one step lands
    ex.buttons["10 steps"].click()
    w_star, b_star = ex.best
    assert ex.controls["w"].value == pytest.approx(w_star) and ex.controls["b"].value == pytest.approx(b_star)
    ex.controls["standardise"].value = False
    assert ex.cost.get_aspect() == "auto" and ex.cost.get_xlabel() == "slope $w$"


def test_a_walk_that_leaves_the_range_stops_at_its_edge_and_says_so():
    ex = line_fit_explorer(lr=10.0 ** 0.5)
    ex.buttons["10 steps"].click()
    said = ex.message.value
    assert "ℒ rose" in said and "left the range of the sliders" in said and "Could not" not in said
    assert ex.controls["w"].value in W_RANGE or ex.controls["b"].value in B_RANGE


def test_the_legend_sits_below_the_cities_not_on_them():
    ex = line_fit_explorer()
    ax = ex.line.axes
    renderer = ex.canvas.get_renderer()
    assert ax.get_legend().get_window_extent(renderer).y1 < ax.get_window_extent(renderer).y0


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(w=3.0), ValueError, r"w must be a finite number in \[-0.5, 2.5\]"),
    (dict(w=math.nan), ValueError, "w must be a finite number"),
    (dict(w="1"), TypeError, "w must be a number"),
    (dict(b=-20), ValueError, r"b must be a finite number in \[-10.0, 6.0\]"),
    (dict(show_best="yes"), TypeError, "show_best must be True or False"),
    (dict(show_best=1), TypeError, "show_best must be True or False"),
    (dict(standardise="no"), TypeError, "standardise must be True or False"),
    (dict(lr=0.0), ValueError, "lr must be a finite number in"),
    (dict(lr=5.0), ValueError, "lr must be a finite number in"),
])
def test_line_fit_explorer_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        line_fit_explorer(**kwargs)


def test_slider_ranges_hold_the_best_fit():
    ex = line_fit_explorer()
    w_star, b_star = ex.best
    assert W_RANGE[0] < w_star < W_RANGE[1] and B_RANGE[0] < b_star < B_RANGE[1]
    assert (ex.controls["w"].min, ex.controls["w"].max) == W_RANGE


# --- plot.loss_contours(colorbar=...), plot.descent_path(ends=...) and widgets.base.live_curve ------------

def test_loss_contours_can_add_a_colour_bar_and_descent_path_can_label_its_ends():
    fig, ax = plt.subplots()
    plot.loss_contours(lambda a, b: a ** 2 + b ** 2, (-1, 1, -1, 1), ax=ax, levels=[0.1, 0.5, 1.0], colorbar="loss")
    (bar,) = [a for a in fig.axes if a is not ax]
    assert bar.get_ylabel() == "loss"
    plot.descent_path([[1, 1], [0.5, 0.5], [0, 0]], ax=ax, label="walk", ends=("start", "end"))
    assert [t.get_text() for t in ax.legend().get_texts()] == ["walk", "start", "end"]
    with pytest.raises(TypeError, match="colorbar must be a label"):
        plot.loss_contours(lambda a, b: a + b, (0, 1, 0, 1), ax=ax, colorbar=1)
    with pytest.raises(TypeError, match="ends must be two legend labels"):
        plot.descent_path([[0, 0], [1, 1]], ax=ax, ends="start")
    plt.close(fig)


def test_live_curve_shows_one_picture_and_replaces_it_in_place(monkeypatch):
    shown = []

    class Handle:
        def update(self, image):
            shown[-1] = image                           # replaced, not appended: one output

    monkeypatch.setattr(base, "display", lambda image, display_id: shown.append(image) or Handle())
    figures = plt.get_fignums()
    x = np.linspace(-1, 1, 50)
    draw = base.live_curve(x, x ** 2, xlim=(-1, 1), ylim=(0, 1), title="test")
    first = shown[0].data
    draw(x ** 2, "step 0")
    second = shown[0].data
    draw(0 * x, "step 5")
    assert len(shown) == 1 and len({first, second, shown[0].data}) == 3
    assert plt.get_fignums() == figures                  # the figure lives outside pyplot: nothing piles up
