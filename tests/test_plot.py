import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nnlab import data, plot

X_AND, Y_AND = data.logic_gate("AND")


def test_scatter_classes_one_collection_per_class_and_accepts_tensors():
    X, y = data.spiral(n_per_class=20, n_classes=3)
    fig, ax = plt.subplots()
    assert plot.scatter_classes(X, y, ax=ax) is ax
    assert len(ax.collections) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    np.testing.assert_allclose(ax.collections[1].get_offsets(), X[y == 1].numpy())


def test_scatter_classes_without_ax_uses_the_current_axes():
    fig, ax = plt.subplots()
    assert plot.scatter_classes([[0, 0], [1, 1]], [0, 1], names={0: "off", 1: "on"}) is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["off", "on"]


@pytest.mark.parametrize("X, y, error, words", [
    (np.zeros((4, 3)), np.zeros(4), ValueError, r"X must have shape \(N, 2\)"),
    (np.zeros((4, 2)), np.zeros(3), ValueError, r"y must have shape \(4,\)"),
    (np.array([[0, math.nan], [1, 1]]), [0, 1], ValueError, "X contains NaN or inf"),
    (np.zeros((2, 2)), [0, -1], ValueError, "class labels"),
    (np.zeros((2, 2)), [0, 0.5], ValueError, "class labels"),
    ("points", [0], TypeError, "X must be numeric"),
])
def test_scatter_classes_rejects_bad_input(X, y, error, words):
    with pytest.raises(error, match=words):
        plot.scatter_classes(X, y)


def test_decision_regions_of_a_module_on_its_device_with_points():
    model = torch.nn.Linear(2, 3).double()  # float64 parameters: the grid must follow
    X, y = data.spiral(n_per_class=10)
    fig, ax = plt.subplots()
    plot.decision_regions(model, X, y, ax=ax, resolution=30)
    assert len(ax.collections) >= 4  # the filled regions plus one scatter per class
    lo = X.numpy().min(0)
    assert ax.get_xlim()[0] < lo[0] and ax.get_ylim()[0] < lo[1]


@pytest.mark.parametrize("model", [
    lambda P: torch.stack([-P[:, 0], P[:, 0]], 1),   # scores: argmax picks the class
    lambda P: (P[:, 0] > 0).float(),                 # one output: class 1 where >= 0.5
    lambda P: (P[:, :1] > 0).numpy(),                # (M, 1) NumPy output
])
def test_decision_regions_colour_where_the_model_says(model):
    """Sample the drawn colours: left half class 0 (blue), right half class 1 (orange)."""
    fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
    ax.set_position([0, 0, 1, 1])
    plot.decision_regions(model, ax=ax, bounds=(-1, 1, -1, 1))
    ax.axis("off")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    left, right = rgb[50, 20], rgb[50, 80]
    assert left[2] > left[0] and right[0] > right[2]  # bluish vs orangish tint
    assert ax.get_xlim() == (-1, 1) and ax.get_ylim() == (-1, 1)


@pytest.mark.parametrize("model, kwargs, error, words", [
    ("not a model", {}, TypeError, "model must be an nn.Module or a callable"),
    (lambda P: P[:3], {}, ValueError, "model output must have shape"),
    (lambda P: P[:, 0], {"bounds": (1, 0, 0, 1)}, ValueError, "bounds must be"),
    (lambda P: P[:, 0], {"resolution": 1}, ValueError, "resolution must be >= 2"),
    (lambda P: P[:, 0], {"threshold": math.nan}, ValueError, "threshold must be a finite"),
])
def test_decision_regions_rejects_bad_input(model, kwargs, error, words):
    with pytest.raises(error, match=words):
        plot.decision_regions(model, **kwargs)


def test_unit_geometry_polygon_line_and_arrow():
    w = np.array([1.0, 1.0])
    fires, line, arrow = plot.unit_geometry(w, 1.5, (-0.5, 1.5, -0.5, 1.5))
    fires = np.array(fires)
    assert np.all(fires @ w >= 1.5 - 1e-12)               # every corner of the polygon fires
    assert np.allclose(np.array(line) @ w, 1.5)           # the segment lies on the line
    start, end = map(np.array, arrow)
    assert np.isclose(start @ w, 1.5) and end @ w > 1.5   # the arrow starts on it and points into it
    assert plot.unit_geometry(np.zeros(2), -1, (0, 1, 0, 1))[1:] == ([], [])   # w = 0: no line
    assert len(plot.unit_geometry(np.zeros(2), -1, (0, 1, 0, 1))[0]) == 4     # ... fires everywhere
    assert plot.unit_geometry(np.zeros(2), 1, (0, 1, 0, 1))[0] == []          # ... or nowhere


def test_neuron_line_draws_line_patch_and_arrow_on_any_device():
    fig, ax = plt.subplots()
    w = torch.tensor([1.0, -2.0], device="cpu")
    assert plot.neuron_line(w, torch.tensor(0.5), ax=ax, label="unit") is ax
    assert len(ax.lines) == 1 and len(ax.patches) == 2
    xs, ys = ax.lines[0].get_data()
    assert np.allclose(xs - 2 * ys, 0.5)


@pytest.mark.parametrize("w, theta, error, words", [
    ([1, 2, 3], 0, ValueError, "w must be 2 finite weights"),
    ([1, math.nan], 0, ValueError, "w must be 2 finite weights"),
    ([1, 1], math.inf, ValueError, "theta must be a finite number"),
])
def test_neuron_line_rejects_bad_input(w, theta, error, words):
    with pytest.raises(error, match=words):
        plot.neuron_line(w, theta)


def test_neuron_diagram_shows_inputs_weights_and_output():
    fig, ax = plt.subplots()
    plot.neuron_diagram([0.6, 0.3, 0.4], 0.9, x=[1, 0, 1], ax=ax)
    texts = [t.get_text() for t in ax.texts]
    assert "$w_2$ = 0.3" in texts and "$y$ = 1" in texts
    plot.neuron_diagram([0.6, 0.3, 0.4], 0.9, x=[0, 1, 1], ax=ax)
    assert "$y$ = 0" in [t.get_text() for t in ax.texts]


def test_neuron_diagram_names_the_output_and_colours_it_by_value():
    for x, bit in [([1, 0, 1], 1), ([0, 1, 1], 0)]:
        fig, ax = plt.subplots()
        plot.neuron_diagram([0.6, 0.3, 0.4], 0.8, x=x, ax=ax, output=r"\hat y")
        out = next(t for t in ax.texts if t.get_text() == rf"$\hat y$ = {bit}")
        assert out.get_color() == plot.COLORS[bit]   # 1 orange, 0 blue, as in lesson 01's plots
        values = [t for t in ax.texts if t.get_text() in ("0", "1")]   # the inputs' values, top to bottom
        assert [t.get_color() for t in values] == [plot.COLORS[v] for v in x]
        plt.close(fig)
    with pytest.raises(TypeError, match="output must be a TeX symbol"):
        plot.neuron_diagram([1.0], 0.5, output=1)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"w": [], "theta": 0}, ValueError, "w must hold 1 to 8"),
    ({"w": [1, 2], "theta": 0, "x": [1]}, ValueError, "x must hold one value per weight"),
    ({"w": [1, 2], "theta": "high"}, TypeError, "theta must be a number"),
    ({"w": [1, 2], "theta": [1, 2]}, TypeError, "theta must be a number"),
    ({"w": [1, 2], "theta": torch.ones(2)}, ValueError, "theta must be a single number"),
])
def test_neuron_diagram_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        plot.neuron_diagram(**kwargs)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_plots_accept_cuda_tensors():
    X, y = (t.cuda() for t in data.spiral(n_per_class=10))
    model = torch.nn.Linear(2, 3).cuda()
    plot.decision_regions(model, X, y, resolution=20)
    plot.neuron_line(torch.ones(2, device="cuda"), torch.tensor(1.0, device="cuda"))
