"""Lesson 02's explorers, driven from Python as a learner's slider moves would."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnlab.widgets import activation_explorer, layer_explorer
from nnlab.widgets.activations import ACTIVATIONS, layer_matrix, value_and_slope


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
    y, slope = value_and_slope(name, z, leak=0.2)
    s = torch.sigmoid(z)
    expected = {
        "linear": torch.ones_like(z), "ramp": (z.abs() < 1).double(), "step": torch.zeros_like(z),
        "sign": torch.zeros_like(z), "sigmoid": s * (1 - s), "tanh": 1 - torch.tanh(z) ** 2,
        "ReLU": (z > 0).double(), "leaky ReLU": torch.where(z > 0, 1.0, 0.2).double(),
    }[name]
    assert torch.allclose(slope, expected, atol=1e-12)
    if name == "leaky ReLU":
        assert torch.equal(y, F.leaky_relu(z, 0.2))


def test_activation_explorer_every_control_changes_the_picture_without_leaks():
    ex = activation_explorer()
    assert "largest slope 0.25" in ex.fig.axes[0].title.get_text()
    figures = plt.get_fignums()
    drive(ex, [("scale", 2.0), ("shift", 1.5), ("activation", "leaky ReLU"), ("leak", 0.3),
               ("activation", "tanh"), ("scale", 4.0)])
    for i in range(50):
        ex.controls["shift"].value = round(-3 + 0.12 * i, 2)
    assert plt.get_fignums() == figures and len(ex.output.outputs) == 1


def test_activation_explorer_explains_what_cannot_learn_and_recovers():
    ex = activation_explorer(activation="sign")
    assert "cannot train it" in ex.message.value
    ex.controls["activation"].value = "ReLU"
    assert "cannot train it" not in ex.message.value
    assert "saturated on 50%" in ex.fig.axes[0].title.get_text()  # the dead half, z < 0
    ex.controls["activation"].value = "tanh"
    assert ex.limit == 1.5
    ex.controls["scale"].value = 5.0  # slope 5 at 0: the y-limits grow and the background is redrawn
    assert ex.limit == 6 and ex.fig.axes[0].get_ylim() == (-6, 6)


def test_layer_explorer_moves_the_grid_and_reports_w():
    ex = layer_explorer()
    messages = drive(ex, [("angle", 90.0), ("scale_x", 2.0), ("scale_y", -1.0), ("shift_x", 1.0),
                          ("shift_y", -1.0), ("activation", "sigmoid"), ("activation", "none")])
    assert "mirrors and scales areas by |det W| = 2.00" in messages[2]
    ex.controls["scale_y"].value = 0.0
    assert "flattens the plane onto a line" in ex.message.value
    # the black dot follows (1, 1): with no activation it sits at W(1, 1) + b
    W = layer_matrix(90.0, 2.0, 0.0)
    np.testing.assert_allclose(np.ravel(ex.corner[1].get_data()), W @ [1, 1] + [1, -1], atol=1e-12)


def test_layer_explorer_zooms_the_output_panel_for_squashing_activations():
    ex = layer_explorer(activation="sigmoid")
    assert ex.fig.axes[2].get_xlim() == (-0.2, 1.2)
    ex.controls["activation"].value = "ReLU"
    assert ex.fig.axes[2].get_xlim() == (-4, 4)


@pytest.mark.parametrize("factory, kwargs, error, words", [
    (activation_explorer, {"activation": "swish"}, ValueError, "unknown activation 'swish'"),
    (activation_explorer, {"scale": 0}, ValueError, r"scale must be a finite number in \[0.1, 5\]"),
    (activation_explorer, {"leak": float("nan")}, ValueError, "leak must be a finite number"),
    (layer_explorer, {"angle": 400}, ValueError, "angle must be a finite number"),
    (layer_explorer, {"activation": "step"}, ValueError, "unknown activation 'step'"),
    (layer_explorer, {"shift_x": "1"}, TypeError, "shift_x must be a number"),
])
def test_bad_arguments_are_refused_clearly(factory, kwargs, error, words):
    with pytest.raises(error, match=words):
        factory(**kwargs)
