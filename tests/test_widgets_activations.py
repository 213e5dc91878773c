"""Lesson 02's explorers, driven from Python as a learner's slider moves would."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnlab.widgets import activation_explorer, layer_explorer
from nnlab.widgets.activations import ACTIVATIONS, ALPHA, XOR_INPUTS, largest_slope, layer_matrix, value_and_slope


def picture(explorer):
    return explorer.output.outputs[0]["data"]["image/png"]


def drive(explorer, changes):
    """Apply (control, value) changes; assert each one changes the picture; return the messages."""
    messages = []
    for name, value in changes:
        before = picture(explorer)
        explorer.controls[name].value = value
        assert picture(explorer) != before, f"changing {name} to {value} did not change the picture"
        assert "⚠" not in explorer.message.value, explorer.message.value
        messages.append(explorer.message.value)
    return messages


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_slopes_from_autograd_match_the_textbook(name):
    z = torch.linspace(-4, 4, 81, dtype=torch.float64) + 0.05  # off the kinks
    y, slope = value_and_slope(name, z, alpha=0.2)
    s = torch.sigmoid(z)
    expected = {
        "linear": torch.ones_like(z), "ramp": (z.abs() < 1).double(), "step": torch.zeros_like(z),
        "sign": torch.zeros_like(z), "sigmoid": s * (1 - s), "tanh": 1 - torch.tanh(z) ** 2,
        "ReLU": (z > 0).double(), "leaky ReLU": torch.where(z > 0, 1.0, 0.2).double(),
    }[name]
    assert torch.allclose(slope, expected, atol=1e-12)
    if name == "leaky ReLU":
        assert torch.equal(y, F.leaky_relu(z, 0.2))


def test_largest_slopes_and_the_lessons_alpha():
    assert ALPHA == 0.1 and activation_explorer().controls["alpha"].value == ALPHA
    assert largest_slope("sigmoid") == 0.25 and largest_slope("tanh") == 1.0
    assert largest_slope("ReLU") == 1.0 and largest_slope("step") == 0.0 and largest_slope("sign") == 0.0


def test_activation_explorer_every_control_changes_the_picture_without_leaks():
    ex = activation_explorer()
    assert "largest slope 0.25" in ex.fig.axes[0].title.get_text()
    assert ex.fig.axes[0].get_xlabel() and ex.fig.axes[0].get_ylabel()   # both axes say what they show
    figures = plt.get_fignums()
    drive(ex, [("w", 2.0), ("b", 1.5), ("activation", "leaky ReLU"), ("alpha", 0.3),
               ("activation", "tanh"), ("w", 4.0)])
    for i in range(50):
        ex.controls["b"].value = round(-3 + 0.12 * i, 2)
    assert plt.get_fignums() == figures and len(ex.output.outputs) == 1


def test_saturation_is_measured_against_each_functions_largest_slope():
    ex = activation_explorer()  # sigmoid: σ' < 1% of 0.25 beyond |x| ≈ 5.99, i.e. on 25% of [-8, 8]
    assert abs(ex.saturated - 2 * (8 - 5.99) / 16) < 0.01 and "saturated on 25%" in ex.fig.axes[0].title.get_text()
    ex.controls["activation"].value = "tanh"  # tanh z = 2σ(2z) - 1 flattens at half the |z|: beyond 2.99
    assert abs(ex.saturated - 2 * (8 - 2.99) / 16) < 0.01
    tanh = ex.saturated
    ex.controls["activation"].value = "sigmoid"
    ex.controls["w"].value = 2.0  # the sigmoid with weight 2 has tanh's shape, so the same band
    assert abs(ex.saturated - tanh) <= 2 / len(ex.x)
    ex.controls["activation"].value = "leaky ReLU"  # α = 0.1 is 10% of the largest slope: never saturated
    assert ex.saturated == 0
    ex.controls["alpha"].value = 0.0  # α = 0 is ReLU: the half x < 0 is flat
    assert abs(ex.saturated - 0.5) < 0.01


def test_activation_explorer_explains_what_cannot_learn_and_recovers():
    ex = activation_explorer(activation="sign")
    assert "cannot train it" in ex.message.value and ex.saturated == 1
    ex.controls["activation"].value = "ReLU"
    assert "cannot train it" not in ex.message.value
    assert "saturated on 50%" in ex.fig.axes[0].title.get_text()  # the dead half, x < 0
    ex.controls["w"].value, ex.controls["b"].value = 0.3, -3.0  # z = 0.3x - 3 < 0 on all of [-8, 8]: dead there
    title = ex.fig.axes[0].title.get_text()  # the band is measured against the unit's largest slope w, not 0
    assert "largest slope 0.3," in title and "saturated on 100%" in title
    ex.controls["w"].value, ex.controls["b"].value = 1.0, 0.0
    ex.controls["activation"].value = "tanh"
    assert ex.limit == 1.5
    ex.controls["w"].value = 5.0  # slope 5 at 0: the y-limits grow and the background is redrawn
    assert ex.limit == 6 and ex.fig.axes[0].get_ylim() == (-6, 6)


def test_layer_explorer_moves_the_grid_and_reports_w():
    ex = layer_explorer()
    messages = drive(ex, [("angle", 90.0), ("scale_x", 2.0), ("scale_y", -1.0), ("shift_x", 1.0),
                          ("shift_y", -1.0), ("activation", "sigmoid"), ("activation", "none")])
    assert "mirrors and scales areas by |det W| = 2.00" in messages[2]
    ex.controls["scale_y"].value = 0.0
    assert "flattens the plane onto a line" in ex.message.value
    ex.controls["scale_x"].value = 0.0  # W = R diag(0, 0) = 0: every point goes to the origin, not to a line
    assert "onto one point (W = 0)" in ex.message.value
    ex.controls["scale_x"].value = 2.0
    # with no activation, XOR's points sit at W x + b
    W = layer_matrix(90.0, 2.0, 0.0)
    np.testing.assert_allclose(np.ravel(ex.points[1][0].get_data()), (XOR_INPUTS[:2] @ W.T + [1, -1]).T.ravel())


def test_layer_explorer_carries_xors_points_through_the_layer():
    ex = layer_explorer(angle=45.0, scale_x=1.5, scale_y=-0.5, shift_x=-0.5, shift_y=0.3, activation="ReLU")
    z = XOR_INPUTS @ layer_matrix(45.0, 1.5, -0.5).T + [-0.5, 0.3]
    for panel, expected in ((0, XOR_INPUTS), (1, z), (2, np.maximum(z, 0))):
        class0, class1 = (np.column_stack(dots.get_data()) for dots in ex.points[panel])
        np.testing.assert_allclose(class0, expected[:2], atol=1e-12)  # XOR = 0: (0, 0) and (1, 1)
        np.testing.assert_allclose(class1, expected[2:], atol=1e-12)  # XOR = 1: (0, 1) and (1, 0)
    assert [ax.get_xlabel() for ax in ex.fig.axes] == ["$x_1$", "$z_1$", "$a_1$"]
    assert [ax.get_ylabel() for ax in ex.fig.axes] == ["$x_2$", "$z_2$", "$a_2$"]


def test_layer_explorer_zooms_the_output_panel_for_squashing_activations():
    ex = layer_explorer(activation="sigmoid")
    assert ex.fig.axes[2].get_xlim() == (-0.2, 1.2)
    ex.controls["activation"].value = "ReLU"
    assert ex.fig.axes[2].get_xlim() == (-4, 4)


@pytest.mark.parametrize("factory, kwargs, error, words", [
    (activation_explorer, {"activation": "swish"}, ValueError, "unknown activation 'swish'"),
    (activation_explorer, {"w": 0}, ValueError, r"w must be a finite number in \[0.1, 5\]"),
    (activation_explorer, {"alpha": float("nan")}, ValueError, "alpha must be a finite number"),
    (layer_explorer, {"angle": 400}, ValueError, "angle must be a finite number"),
    (layer_explorer, {"activation": "step"}, ValueError, "unknown activation 'step'"),
    (layer_explorer, {"shift_x": "1"}, TypeError, "shift_x must be a number"),
])
def test_bad_arguments_are_refused_clearly(factory, kwargs, error, words):
    with pytest.raises(error, match=words):
        factory(**kwargs)
