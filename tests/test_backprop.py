"""Lesson 04's helpers: the computational-graph diagram and the 2-2-1 backprop explorer."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nnlab import diagram
from nnlab.widgets import backprop_explorer
from nnlab.widgets.backprop import LIMIT, START, START_BIASES, forward_backward

NODES = {"w": (0, 1, ""), "x": (0, 0, ""), "u": (2, 0.5, "u = w·x")}
EDGES = [("w", "u", "∂u/∂w = x"), ("x", "u", "∂u/∂x = w")]


def test_computation_graph_shows_values_and_gradients():
    fig, ax = plt.subplots()
    assert diagram.computation_graph(NODES, EDGES, values={"u": 6.0}, grads={"w": 3.0}, ax=ax) is ax
    texts = [t.get_text() for t in ax.texts]
    assert "u = w·x\n= 6" in texts and "∂L/∂w = 3" in texts and "∂u/∂w = x" in texts
    assert len(ax.patches) == len(NODES) + len(EDGES)  # a box per node, an arrow per edge
    fig, ax = plt.subplots()
    diagram.computation_graph(NODES, EDGES, grads={"w": 3.0}, ax=ax, loss="ℒ")
    assert "∂ℒ/∂w = 3" in [t.get_text() for t in ax.texts]
    plt.close("all")


@pytest.mark.parametrize("nodes, edges, error, words", [
    ({}, [], TypeError, "nodes must be a non-empty dict"),
    ({"w": (0, 1)}, [], ValueError, "node 'w' must be"),
    (NODES, [("w", "v", "")], ValueError, "between known nodes"),
    (NODES, [], TypeError, "loss must be a non-empty string"),
])
def test_computation_graph_rejects_bad_input(nodes, edges, error, words):
    with pytest.raises(error, match=words):
        diagram.computation_graph(nodes, edges, loss="" if "loss" in words else "L")


def test_forward_backward_matches_autograd():
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(1, 2)), rng.normal(size=1)
    x, y = np.array([0.3, -1.1]), np.array([0.8])
    ours = forward_backward(x, y, W1, b1, W2, b2)
    params = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    a = torch.sigmoid(params[2] @ torch.sigmoid(params[0] @ torch.tensor(x) + params[1]) + params[3])
    J = 0.5 * ((a - torch.tensor(y)) ** 2).sum()
    J.backward()
    assert abs(ours["loss"] - J.item()) < 1e-15
    for name, p in zip(["dW1", "db1", "dW2", "db2"], params):
        np.testing.assert_allclose(ours[name], p.grad.numpy(), atol=1e-15)


def picture(ex):
    return ex.output.outputs[0]["data"]["image/png"]


def test_every_slider_changes_the_picture_and_no_figure_leaks():
    ex = backprop_explorer()
    figures = plt.get_fignums()
    for name, control in ex.controls.items():
        before = picture(ex)
        control.value = control.min if control.value != control.min else control.max
        assert picture(ex) != before, name
    for i in range(50):
        ex.controls["x1"].value = round(-2 + 0.08 * i, 2)
    assert plt.get_fignums() == figures and len(ex.output.outputs) == 1


def texts(ex):
    """Every text the explorer's picture shows."""
    return [t.get_text() for t in ex.fig.axes[0].texts]


def test_step_lowers_the_loss_and_moves_the_biases_where_they_can_be_seen():
    ex = backprop_explorer(lr=2.0)
    losses = [ex.loss]
    biases = lambda: [t.get_text().split("\n")[0] for t in ex.unit_text]  # noqa: E731 (a unit's first line)
    assert biases() == ["+0.10", "-0.20", "+0.05"]  # the biases are shown in their units' circles
    for _ in range(10):
        ex.buttons["step"].click()
        losses.append(ex.loss)
        assert "ℒ fell" in ex.message.value
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert not np.allclose(ex.b1, START_BIASES[0]) and not np.allclose(ex.b2, START_BIASES[1])
    assert biases() == [f"{b:+.2f}" for b in [*ex.b1, *ex.b2]] != ["+0.10", "-0.20", "+0.05"]
    assert "steps taken: 10" in " ".join(texts(ex))


def test_edge_labels_name_their_slider():
    ex = backprop_explorer()
    shown = texts(ex)
    for name, control in ex.controls.items():
        if name in START:
            assert f"{control.description} = {control.value:.2f}" in shown, name


def test_reset_restores_everything_a_learner_changed():
    ex = backprop_explorer(x1=-0.5, x2=1.5, y=0.8, lr=3.0)
    start, start_loss, start_picture = ex.values(), ex.loss, picture(ex)
    ex.controls["y"].value, ex.controls["lr"].value, ex.controls["x1"].value = 0.5, 20.0, 2.0
    for _ in range(3):
        ex.buttons["step"].click()
    ex.buttons["reset"].click()
    assert ex.values() == start and ex.loss == start_loss and ex.steps == 0
    assert np.array_equal(ex.b1, START_BIASES[0]) and np.array_equal(ex.b2, START_BIASES[1])
    assert picture(ex) == start_picture and "Press step" in ex.message.value


def test_a_large_learning_rate_overshoots_as_the_lesson_says():
    ex = backprop_explorer()
    ex.controls["y"].value, ex.controls["lr"].value = 0.5, 20.0  # the lesson's suggestion
    before = ex.loss
    ex.buttons["step"].click()
    assert ex.loss > before and "ℒ rose" in ex.message.value and "smaller learning rate" in ex.message.value


def test_a_huge_learning_rate_is_reported_and_weights_stay_in_range():
    ex = backprop_explorer(x1=2.0, x2=2.0, y=0.0, lr=50.0)
    messages = []
    for _ in range(8):
        ex.buttons["step"].click()
        messages.append(ex.message.value)
        assert all(-LIMIT <= ex.controls[k].value <= LIMIT for k in START)
    assert any("stopped at the end of" in m for m in messages), messages
    ex.controls["lr"].value = 0.5  # still usable
    assert "⚠" not in ex.message.value and "Could not" not in ex.message.value


@pytest.mark.parametrize("kwargs, error, words", [
    ({"x1": 3.0}, ValueError, r"x1 must be a finite number in \[-2, 2\]"),
    ({"y": -0.5}, ValueError, "y must be a finite number"),
    ({"lr": "fast"}, TypeError, "lr must be a number"),
    ({"lr": 80}, ValueError, r"lr must be a finite number in \[0.1, 50\]"),
])
def test_bad_arguments_are_refused(kwargs, error, words):
    with pytest.raises(error, match=words):
        backprop_explorer(**kwargs)


def test_the_browser_rounding_a_stepped_slider_back_is_not_a_move():
    """JupyterLab rounds a value that 'step' set to the slider's step and sends it back: the weights stay exact
    and the step's sentence stays; a learner's move of a slider is still taken."""
    ex, twin = backprop_explorer(), backprop_explorer()
    for _ in range(3):
        ex.buttons["step"].click()
        twin.buttons["step"].click()
        rounded = 0
        for name in START:  # what the browser sends back
            control = ex.controls[name]
            echo = control.min + round((control.value - control.min) / control.step) * control.step
            rounded += echo != control.value
            control.value = echo
        assert rounded > 0
        assert ex.values() == twin.values() and ex.loss == twin.loss
        assert "ℒ fell" in ex.message.value and ex.message.value == twin.message.value
    ex.controls["w11"].value = ex.controls["w11"].value + 3 * ex.controls["w11"].step  # the learner moves it
    assert ex.values()["w11"] == ex.controls["w11"].value and "Press step" in ex.message.value
