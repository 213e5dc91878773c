"""Every explorer and the dashboard driven to the edges of its controls: a message, never a traceback, and it
keeps working afterwards (issue 9; DESIGN.md §4)."""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlab.widgets import (activation_explorer, backprop_explorer, dashboard, descent_1d_explorer, digit_explorer,
                           gradient_explorer, layer_explorer, line_fit_explorer, neuron_explorer, surface_explorer,
                           tensor_explorer)
from nnlab.widgets.dashboard_model import FEATURES
from nnlab.widgets.dashboard_play import DATA_URL

EXPLORERS = [neuron_explorer, activation_explorer, layer_explorer, descent_1d_explorer, surface_explorer,
             backprop_explorer, line_fit_explorer, gradient_explorer, tensor_explorer, digit_explorer]


def edges(control):
    """The extreme values a learner can reach with this control."""
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base ** control.min, control.base ** control.max]
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return [control.min, control.max]
    if isinstance(control, widgets.Dropdown):
        return [value for _, value in control.options] if isinstance(control.options[0], tuple) else list(control.options)
    if isinstance(control, widgets.Checkbox):
        return [True, False]
    if isinstance(control, widgets.SelectionSlider):  # e.g. the dashboard's learning rate: its first and last value
        values = [v for _, v in control.options] if isinstance(control.options[0], tuple) else list(control.options)
        return [values[0], values[-1]]
    if isinstance(control, widgets.Text):  # e.g. the dashboard's widths: empty, smallest, largest, too many, not numbers
        return ["", "0", "1", "128, 128, 128, 128, 128, 128", "1, 1, 1, 1, 1, 1, 1", "129", "eight"]
    raise AssertionError(f"no edges known for {type(control).__name__}")


def shows_a_picture_and_a_sentence(widget):
    """One picture and a message without a traceback. An edge is a setting a learner may choose, so
    it must be handled, not caught by the last-resort "Could not draw" / "did not work" sentence."""
    if hasattr(widget, "picture"):  # the dashboard: an Image widget, a JPEG or (ipywidgets 7) its data URL
        image = bytes(widget.picture.value)  # ipywidgets 8 keeps a memoryview, 7 bytes
        assert image.startswith(b"\xff\xd8\xff" if widget.picture.format == "jpeg" else DATA_URL + b"/9j/")  # JPEG
    else:                             # the explorers: one PNG in an Output widget
        (output,) = widget.output.outputs
        assert output["output_type"] == "display_data" and output["data"]["image/png"]
        image = output["data"]["image/png"]
    for sign_of_a_crash in ("Traceback", "File \"", "Could not", "did not work"):
        assert sign_of_a_crash not in widget.message.value, widget.message.value
    return image


def corners(explorer):
    """Every control at its lowest edge, then every control at its highest (the harshest combinations)."""
    for pick in (0, -1):
        for control in explorer.controls.values():
            control.value = edges(control)[pick]
            yield


@pytest.mark.parametrize("factory", EXPLORERS, ids=lambda f: f.__name__)
def test_explorer_at_every_edge_shows_a_message_and_recovers(factory, capsys):
    explorer = factory()
    defaults = explorer.values()
    shows_a_picture_and_a_sentence(explorer)
    default_message = explorer.message.value
    tried = 0
    for name, control in explorer.controls.items():
        for value in edges(control):
            control.value = value
            shows_a_picture_and_a_sentence(explorer)
            for button in explorer.buttons.values():  # e.g. a backprop step at the largest learning rate
                button.click()
                shows_a_picture_and_a_sentence(explorer)
            tried += 1
        control.value = defaults[name]
    for _ in corners(explorer):
        last_edge_picture = shows_a_picture_and_a_sentence(explorer)
        tried += 1
    assert tried >= 2 * len(explorer.controls)

    # back to the starting values: a new picture and the very sentence it started with
    # (pixels may shift by one: constrained layout re-settles after the axis limits changed)
    if "reset" in explorer.buttons:
        explorer.buttons["reset"].click()
    for name, value in defaults.items():
        explorer.controls[name].value = value
    assert shows_a_picture_and_a_sentence(explorer) != last_edge_picture
    assert explorer.message.value == default_message and "⚠" not in default_message
    assert capsys.readouterr().err == ""  # nothing escaped to the notebook's stderr either
    assert plt.get_fignums() == []


def test_dashboard_at_every_edge_shows_a_message_and_recovers(capsys):
    dash = dashboard()
    try:
        defaults = {name: control.value for name, control in dash.controls.items()}
        for name, control in dash.controls.items():
            for value in edges(control):
                control.value = value
                dash.train(steps=20)
                shows_a_picture_and_a_sentence(dash)
                assert np.isfinite(dash.curve[0][1])  # the starting loss is a number, whatever the setting
            control.value = defaults[name]

        # the named edges: largest learning rate, deepest and widest network, zero noise, fewest points; and
        # (issue 16) every feature, the strongest penalties, the regression sets at their extremes, no x₁, x₂
        every = {name: True for name in FEATURES}
        for setting in [dict(lr=10.0), dict(layers=6, neurons=128), dict(noise=0.0),
                        dict(points=10, train_fraction=0.1), dict(points=10, train_fraction=0.9, batch_size=128),
                        dict(layers=6, neurons=1, activation="sigmoid", optimizer="SGD", lr=1e-4),
                        dict(**every, widths="128, 128, 128, 128, 128, 128"), dict(penalty="L1", rate=3.0),
                        dict(penalty="L2", rate=3.0, optimizer="SGD", lr=10.0),
                        dict(dataset="plane (regression)", lr=10.0), dict(dataset="Gaussians (regression)", points=10,
                                                                          noise=0.5, penalty="L1", rate=1.0),
                        {"x₁": False, "x₂": False}]:
            for name, value in setting.items():
                dash.controls[name].value = value
            dash.train(steps=50)
            shows_a_picture_and_a_sentence(dash)
            dash.step_button.click()
            dash.reset_button.click()
            dash.data_button.click()
            shows_a_picture_and_a_sentence(dash)
            for name in setting:
                dash.controls[name].value = defaults[name]
        dash.controls["widths"].value = defaults["widths"]

        dash.controls["lr"].value = 10.0  # diverges, and says so in words
        dash.train(steps=100)
        assert "⚠" in dash.message.value and "learning rate" in dash.message.value
        dash.controls["lr"].value = defaults["lr"]  # a new model with the new setting: usable again
        history = dash.train(steps=300)
        assert not history["diverged"] and dash.curve[-1][3] > 0.9
        assert "⚠" not in dash.message.value
        assert capsys.readouterr().err == ""
        assert plt.get_fignums() == []
    finally:
        dash.close()
