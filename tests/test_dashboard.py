"""Lesson 06's training dashboard, driven from Python: every control, step, reset, train(), play and pause."""
import base64
import io
import threading
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from nnlab.widgets.dashboard import BATCHES, DATASETS, L2S, LRS, dashboard
from nnlab.widgets.dashboard_model import FEATURES, RATES
from nnlab.widgets.dashboard_play import DATA_URL


def picture(dash):
    """The JPEG the dashboard shows: an Image widget's bytes (ipywidgets 8), or a data URL of them (7)."""
    value = bytes(dash.picture.value)  # ipywidgets 8 keeps a memoryview, 7 bytes
    if dash.picture.format == "jpeg":
        return value
    assert dash.picture.format == "url" and value.startswith(DATA_URL), value[:40]
    return base64.b64decode(value[len(DATA_URL):])


def test_the_picture_is_sent_the_way_this_ipywidgets_frees_it(dash):
    """7's browser side never frees an Image's blob URL, so under 7 the frames are data URLs; 8 frees them."""
    major = int(widgets.__version__.split(".")[0])
    assert dash.picture.format == ("jpeg" if major >= 8 else "url")
    assert picture(dash).startswith(b"\xff\xd8\xff")  # a JPEG, either way


def pixels(dash):
    return np.asarray(Image.open(io.BytesIO(picture(dash))))


@pytest.fixture
def dash():
    d = dashboard()
    yield d
    d.close()
    assert not d._threads


def test_default_state_draws_the_spiral_once_without_pyplot(dash):
    assert plt.get_fignums() == []
    assert dash.controls["dataset"].value == "spiral" and dash.n_classes == 3
    assert len(dash.X_train) == len(dash.X_test) == 150  # 300 points, half for training
    image = pixels(dash)
    assert image.shape == (560, 1000, 3) and image.std() > 20
    assert dash.epoch == 0 and dash.message.value.startswith("epoch 0 (0 steps)")
    assert dash.frames == 1


def test_controls_are_labelled_in_the_courses_words_and_the_labels_fit(dash):
    labels = {name: control.description for name, control in dash.controls.items()}
    assert labels["lr"] == "learning rate" and labels["l2"] == "weight decay"  # the README's notation, no "λ"
    assert not any("λ" in label for label in labels.values())
    widths = {control.style.description_width for name, control in dash.controls.items() if name not in FEATURES}
    assert widths == {"92px"}  # one column of labels, wide enough for "learning rate" (about 80 px)
    assert [dash.controls[name].description for name in FEATURES] == list(FEATURES)  # x₁, x₂, x₁², …
    assert labels["penalty"] == "penalty" and labels["rate"] == "penalty rate"
    dash.controls["l2"].value = 1e-3  # "weight decay" is torch's weight_decay, passed straight to the optimiser
    assert dash.optimizer.param_groups[0]["weight_decay"] == 1e-3


def test_train_lowers_the_loss_and_changes_the_picture(dash):
    before = picture(dash)
    start = dash.curve[-1][1]
    history = dash.train(steps=300)
    assert len(history["loss"]) == 300 and dash.epoch == 300
    loss, test_loss, acc = dash.curve[-1][1:4]
    assert loss < 0.3 * start and acc > 0.9
    assert picture(dash) != before
    assert "epoch 300 (300 steps)" in dash.message.value and "⚠" not in dash.message.value
    assert plt.get_fignums() == []


def test_every_control_changes_the_picture_and_step_and_reset_work(dash):
    dash.train(steps=20)
    seen = {picture(dash)}
    changes = [("dataset", name) for name in DATASETS if name != "spiral"] + [
        ("noise", 0.05), ("points", 40), ("train_fraction", 0.7), ("layers", 3), ("neurons", 5),
        ("activation", "tanh"), ("layers", 0), ("layers", 1), ("dataset", "spiral")]
    for name, value in changes:
        dash.controls[name].value = value
        dash.step_button.click()  # one epoch, so the picture shows training under the new setting
        assert picture(dash) not in seen, f"changing {name} to {value!r} did not change the picture"
        seen.add(picture(dash))
        assert "⚠" not in dash.message.value, (name, value, dash.message.value)
        assert len(dash.view.network) == dash.controls["layers"].value + 1  # every hidden layer, then the output
    assert dash.n_classes == 3 and len(dash.X_train) == round(0.7 * 120)
    assert [layer["values"].shape[1] for layer in dash.view.network] == [5, 3]  # a hidden layer of 5 units, 3 scores

    # optimiser, learning rate, batch size and L2 act on the running model: no reset
    for name, value in [("optimizer", "SGD + momentum"), ("lr", 0.1), ("batch_size", 16), ("l2", 1e-3),
                        ("optimizer", "RMSprop"), ("optimizer", "SGD")]:
        epoch = dash.epoch
        dash.controls[name].value = value
        assert dash.epoch == epoch
        dash.step_button.click()
        assert picture(dash) not in seen and "⚠" not in dash.message.value
        seen.add(picture(dash))
    group = dash.optimizer.param_groups[0]
    assert group["lr"] == 0.1 and group["weight_decay"] == 1e-3 and group["momentum"] == 0
    assert dash.steps_per_epoch == -(-len(dash.X_train) // 16)

    steps = len(dash.history["loss"])
    dash.step_button.click()
    assert len(dash.history["loss"]) == steps + dash.steps_per_epoch and dash.epoch == pytest.approx(int(dash.epoch))
    weights = dash.model[0].weight.detach().clone()
    dash.reset_button.click()
    assert dash.epoch == 0 and dash.history["loss"] == [] and len(dash.curve) == 1
    assert not np.allclose(weights, dash.model[0].weight.detach())  # new initial weights
    assert plt.get_fignums() == []


def test_all_options_of_every_dropdown_train_without_a_warning():
    dash = dashboard(points=30, neurons=4)
    for name, options in [("activation", ["ReLU", "tanh", "sigmoid", "leaky ReLU", "linear"]),
                          ("optimizer", ["SGD", "SGD + momentum", "RMSprop", "Adam"]),
                          ("batch_size", [b for _, b in BATCHES]), ("l2", [v for _, v in L2S])]:
        for value in options:
            dash.controls[name].value = value
            dash.train(steps=3)
            assert "⚠" not in dash.message.value, (name, value, dash.message.value)
    dash.close()


def test_a_learning_rate_of_10_is_reported_and_the_dashboard_stays_usable(dash):
    dash.controls["lr"].value = 10.0
    dash.train(steps=100)
    message = dash.message.value
    assert "⚠ diverged at step" in message and "lower the learning rate" in message
    assert dash.history["diverged"] and np.isfinite(pixels(dash)).all()
    dash.train(steps=10)  # nothing more happens while the message stands
    assert dash.message.value == message
    dash.controls["lr"].value = 0.01  # a new rate starts a fresh model
    assert dash.epoch == 0 and not dash.history["diverged"]
    dash.train(steps=200)
    assert "⚠" not in dash.message.value and dash.curve[-1][3] > 0.8


def test_sgd_with_a_learning_rate_of_10_is_reported_as_stuck():
    dash = dashboard(optimizer="SGD", lr=10)
    dash.train(steps=200)
    assert "⚠ little progress: after 200 steps" in dash.message.value and "Lower it" in dash.message.value
    assert "no better than the loss of guessing" in dash.message.value   # its loss is above ln 3
    dash.close()


def test_a_tiny_learning_rate_is_slow_not_called_stuck():
    dash = dashboard(layers=1, neurons=32, optimizer="SGD", lr=0.001)   # lesson 06's "slow, not stuck" case
    dash.train(steps=200)
    epoch, loss, *_ = dash.curve[-1]
    assert loss < np.log(3) and "hardly below the loss of guessing" in dash.message.value
    assert "stuck" not in dash.message.value
    dash.close()


def test_six_sigmoid_layers_are_reported_as_vanishing_gradients():
    dash = dashboard(layers=6, activation="sigmoid", optimizer="SGD", lr=0.1)
    dash.train(steps=200)
    message = dash.message.value
    assert "⚠ little progress" in message and "6 sigmoid layers" in message and "vanishing gradients" in message
    dash.controls["activation"].value = "ReLU"
    dash.controls["optimizer"].value = "Adam"
    dash.controls["lr"].value = 0.01
    dash.train(steps=200)
    assert "⚠" not in dash.message.value
    dash.close()


def test_play_trains_in_the_background_and_pause_stops_it(dash):
    before = picture(dash)
    dash.play_button.value = True
    assert dash.play_button.description == "⏸ pause"
    time.sleep(1.0)  # up to 33 frames at FRAME_S = 30 ms; the assertions below need 3
    assert dash.epoch > 0  # training went on while the test slept
    dash.play_button.value = False  # returns once the thread has stopped
    assert not dash._threads and dash.play_button.description == "▶ play"
    epoch, frames = dash.epoch, dash.frames
    assert frames >= 3 and picture(dash) != before
    assert f"epoch {int(epoch + 1e-9)}" in dash.message.value  # the last frame shows where training stopped
    time.sleep(0.3)
    assert dash.epoch == epoch and dash.frames == frames
    assert not any(t.name == "nnlab-train" for t in threading.enumerate())


def test_controls_change_while_playing_and_close_stops_the_thread():
    dash = dashboard()
    dash.play()
    time.sleep(0.2)
    dash.controls["lr"].value = 0.1
    dash.controls["neurons"].value = 8
    dash.controls["dataset"].value = "XOR"
    time.sleep(0.3)
    assert dash._threads and dash.epoch > 0 and dash.n_classes == 2
    assert dash.model[0].out_features == 8
    dash.close()
    assert not dash._threads and not any(t.name == "nnlab-train" for t in threading.enumerate())


def test_train_while_playing_pauses_first(dash):
    dash.play()
    time.sleep(0.2)
    dash.train(steps=5)
    assert not dash._threads and not dash.play_button.value


def test_divergence_while_playing_stops_the_thread_and_says_so(dash):
    dash.controls["lr"].value = 10.0
    dash.play()
    for _ in range(100):
        if not dash._threads or not dash._threads[0].is_alive():
            break
        time.sleep(0.05)
    time.sleep(0.1)
    assert not dash.play_button.value and "diverged at step" in dash.message.value
    dash.controls["lr"].value = 0.01  # a fresh model: play works again
    dash.play()
    time.sleep(0.3)
    dash.pause()
    assert dash.epoch > 0 and "⚠" not in dash.message.value


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(dataset="swiss roll"), ValueError, "unknown dataset 'swiss roll'"),
    (dict(noise=0.9), ValueError, r"noise must be a finite number in \[0.0, 0.5\]"),
    (dict(points=5), ValueError, "points must be >= 10"),
    (dict(points=1000), ValueError, "points must be at most 300"),
    (dict(layers=7), ValueError, "layers must be at most 6"),
    (dict(neurons=0), ValueError, "neurons must be >= 1"),
    (dict(activation="gelu"), ValueError, "unknown activation 'gelu'"),
    (dict(optimizer="LBFGS"), ValueError, "unknown optimizer 'LBFGS'"),
    (dict(lr=100), ValueError, r"lr must be a finite number in \[0.0001, 10.0\]"),
    (dict(batch_size=7), ValueError, "batch_size must be one of"),
    (dict(l2=0.5), ValueError, r"l2 must be a finite number in \[0.0, 0.1\]"),
    (dict(l2=0.05), ValueError, "l2 must be one of"),
    (dict(train_fraction="half"), TypeError, "train_fraction must be a number"),
    (dict(train_fraction=0.95), ValueError, r"train_fraction must be a finite number in \[0.1, 0.9\]"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(lr=0.005), ValueError, "lr must be one of"),
    (dict(features=["x3"]), ValueError, "unknown features entry 'x3'"),
    (dict(features=[]), ValueError, "features must name at least one input"),
    (dict(features="x1"), TypeError, "features must be a list"),
    (dict(widths="8, x"), ValueError, "widths must be whole numbers"),
    (dict(widths="1, 1, 1, 1, 1, 1, 1"), ValueError, "widths must be 0 to 6 hidden layers"),
    (dict(widths=[8, 200]), ValueError, "widths must be 0 to 6 hidden layers of 1 to 128"),
    (dict(penalty="L3"), ValueError, "unknown penalty 'L3'"),
    (dict(rate=0.5), ValueError, "rate must be one of"),
    (dict(rate=5), ValueError, r"rate must be a finite number in \[0.0, 3.0\]"),
    (dict(data_seed=-2), ValueError, "data_seed must be >= 0"),
])
def test_dashboard_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        dashboard(**kwargs)


def test_train_rejects_a_bad_step_count(dash):
    with pytest.raises(ValueError, match="steps must be >= 1"):
        dash.train(steps=0)


def test_a_long_run_keeps_the_loss_curve_short():
    dash = dashboard(points=10, layers=1, neurons=2)
    dash.train(steps=2100)
    assert len(dash.curve) <= 2000 and dash.curve[0][0] == 0 and dash.epoch == 2100
    epochs = [row[0] for row in dash.curve]
    assert epochs == sorted(epochs)
    assert dash.view.ax_loss.get_xlim() == (0, 10_000)
    dash.close()


def test_playing_leaves_the_notebooks_torch_thread_count_alone(dash):
    import torch

    before = torch.get_num_threads()
    dash.play()
    time.sleep(0.5)
    dash.pause()
    assert torch.get_num_threads() == before  # set_num_threads is process-wide: the dashboard must not call it


# --- issue 16: the network view, features, widths, penalties, regression, new data, the learning-rate steps ---------


def test_the_network_view_shows_every_layer_with_its_units_maps_and_weights():
    dash = dashboard(widths="20, 5", points=30)
    dash.train(steps=30)
    hidden, second, out = dash.view.network
    assert [layer["width"] for layer in dash.view.network] == [20, 5, 3]
    assert hidden["values"].shape == (24 * 24, 12) and len(hidden["shown"]) == 12  # the 12 most active of 20
    mean = lambda layer: np.abs(dash.model[layer](dash.model[0](dash.grid_inputs)).detach().numpy()[dash.view.unit_rows]).mean(0)
    activity = mean(1)
    assert set(hidden["shown"]) == set(np.argsort(activity)[-12:])
    # each edge's weight is the model's: W[j, i] from shown unit i to shown unit j
    W = dash.model[2].weight.detach().numpy()
    assert np.array_equal(second["weights"], W[:, hidden["shown"]])
    assert np.array_equal(hidden["weights"], dash.model[0].weight.detach().numpy()[hidden["shown"]])
    assert out["values"].shape == (576, 3) and dash.view.scales[0] == pytest.approx(1.3 ** 1, rel=1e-5)
    assert any("+8 more" in text.get_text() for text in dash.view.static if hasattr(text, "get_text"))
    dash.close()


def test_unit_maps_use_one_diverging_scale_per_layer_with_zero_white():
    from nnlab.widgets.dashboard_paint import LUT, colours
    assert tuple(colours(np.array([0.0]), 2.0)[0]) == tuple(LUT[128]) and LUT[128].min() > 240  # zero: white
    low, high = colours(np.array([-2.0, 2.0]), 2.0)
    assert low[0] > low[2] and high[2] > high[1]  # orange below zero, purple above
    dash = dashboard(activation="tanh", points=20)
    image = pixels(dash)
    x, y = dash.view.corners[1][0]           # the first hidden unit's tile, pasted by NumPy
    tile = image[y:y + 28, x:x + 28]
    values = dash.view.network[0]["values"][:, 0]
    assert (values < 0).any() and (values > 0).any()  # tanh units take both signs: both colours show
    assert (tile[..., 0] > tile[..., 2] + 40).any() and (tile[..., 2] > tile[..., 1] + 40).any()
    dash.close()


def test_circles_with_squared_features_and_no_hidden_layer():
    dash = dashboard(dataset="circles", noise=0.1, features=["x1^2", "x2^2"], widths="0")
    assert dash.features == ["x₁²", "x₂²"] and dash.model[0].in_features == 2 and len(dash.model) == 1
    assert dash.controls["x₁"].value is False and dash.controls["x₁²"].value is True
    assert dash.controls["layers"].value == 0 and dash.controls["widths"].value == "0"
    dash.train(steps=300)
    both = dash.curve[-1][3]
    assert both >= 0.9                    # a circle is a straight line in (x₁², x₂²)
    dash.controls["x₁²"].value = False    # x₂² alone cannot do it
    dash.train(steps=300)
    assert dash.curve[-1][3] < both - 0.1
    dash.close()


def test_a_straight_boundary_on_circles_blames_the_model_not_the_optimiser():
    dash = dashboard(dataset="circles", noise=0.1, widths="0")   # lesson 06, experiment 1: x₁, x₂, Adam at 0.01
    dash.train(steps=300)
    message = dash.message.value
    assert "⚠ little progress" in message and "no hidden layer the model is linear in its inputs" in message
    assert "Adam" not in message and "larger learning rate" not in message
    dash.controls["optimizer"].value = "SGD"   # with SGD at 0.01 the optimiser may be the limit: say so
    dash.controls["lr"].value = 0.001
    dash.train(steps=300)
    assert "try a larger learning rate, or Adam" in dash.message.value
    dash.close()


def test_unticking_the_last_feature_keeps_it_and_says_why():
    dash = dashboard(features=["x1"], points=20)
    dash.controls["x₁"].value = False
    assert dash.controls["x₁"].value is True and dash.features == ["x₁"]
    assert "needs at least one input" in dash.message.value and "⚠" in dash.message.value
    dash.controls["sin πx₂"].value = True
    assert dash.features == ["x₁", "sin πx₂"] and dash.model[0].in_features == 2 and "⚠" not in dash.message.value
    dash.close()


def test_widths_text_and_the_layer_sliders_agree():
    dash = dashboard(points=20)
    dash.controls["widths"].value = "8, 8, 4"
    assert dash.widths == [8, 8, 4] and [m.out_features for m in dash.model if hasattr(m, "out_features")] == [8, 8, 4, 3]
    assert dash.controls["layers"].value == 3 and dash.controls["neurons"].value == 8
    dash.controls["layers"].value = 2          # the sliders make every layer as wide as "neurons"
    assert dash.widths == [8, 8] and dash.controls["widths"].value == "8, 8"
    for bad in ["8, x", "1, 2, 3, 4, 5, 6, 7", "200", "-3", ""]:
        dash.controls["widths"].value = bad
        assert "⚠ widths: write 0 to 6 whole numbers" in dash.message.value and "kept 8, 8" in dash.message.value
        assert dash.widths == [8, 8] and dash.controls["widths"].value == "8, 8"
    dash.controls["widths"].value = "0"
    assert dash.widths == [] and len(dash.model) == 1 and "⚠" not in dash.message.value
    dash.close()


def test_l1_drives_weights_to_exactly_zero_and_l2_only_shrinks_them():
    counts = {}
    for penalty in ("L1", "L2"):
        dash = dashboard(penalty=penalty, rate=0.01, points=50)
        dash.train(steps=400)
        counts[penalty] = dash.zero_weights()
        if penalty == "L1":
            assert f"{counts['L1'][0]} of {counts['L1'][1]} weights are exactly 0" in dash.message.value
        dash.close()
    assert counts["L1"][0] > 0.3 * counts["L1"][1] and counts["L2"][0] == 0


def test_the_penalty_is_added_to_the_loss_not_the_optimiser():
    dash = dashboard(points=20)
    dash.controls["penalty"].value = "L2"
    dash.controls["rate"].value = 0.3
    assert dash.optimizer.param_groups[0]["weight_decay"] == 0   # not torch's weight_decay
    w = [layer.weight for layer in dash.model if hasattr(layer, "weight")]
    expected = dash.data_loss(dash.model(dash.X_train), dash.y_train) + 0.3 * sum((v ** 2).sum() for v in w)
    assert dash.loss_fn(dash.model(dash.X_train), dash.y_train).item() == pytest.approx(expected.item(), rel=1e-6)
    dash.controls["penalty"].value = "L1"
    expected = dash.data_loss(dash.model(dash.X_train), dash.y_train) + 0.3 * sum(v.abs().sum() for v in w)
    assert dash.loss_fn(dash.model(dash.X_train), dash.y_train).item() == pytest.approx(expected.item(), rel=1e-6)
    dash.close()


def test_a_penalty_rate_of_3_underfits_and_says_so():
    dash = dashboard(penalty="L2", rate=3.0, points=50)
    dash.train(steps=200)
    assert dash.curve[-1][3] < 0.6 and "⚠ little progress" in dash.message.value
    assert "L2 penalty (rate 3) outweighs the data" in dash.message.value
    dash.close()


@pytest.mark.parametrize("name", ["plane (regression)", "Gaussians (regression)"])
def test_regression_sets_train_with_squared_error_and_show_a_heat_map(name):
    dash = dashboard(dataset=name, points=50, widths="8, 8")
    assert dash.n_classes is None and dash.model[-1].out_features == 1 and dash.y_train.shape == (50, 1)
    start = dash.curve[-1][1]
    dash.train(steps=300)
    assert dash.curve[-1][1] < 0.5 * start and "(mean squared error)" in dash.message.value
    assert "⚠" not in dash.message.value and np.isnan(dash.curve[-1][3])
    assert dash.view.cbar.get_visible() and dash.view.map.shape == (48 * 48, 3)
    dash.controls["dataset"].value = "spiral"
    assert not dash.view.cbar.get_visible() and dash.n_classes == 3
    dash.close()


def test_new_data_draws_the_next_seed_and_shows_it(dash):
    X = dash.raw[0].clone()
    dash.data_button.click()
    assert dash.data_seed == 1 and dash.seed_label.value == "data seed 1"
    assert not np.allclose(X, dash.raw[0]) and dash.epoch == 0
    again = dashboard(data_seed=1)
    assert np.array_equal(again.raw[0], dash.raw[0])
    again.close()


def test_the_learning_rate_slider_has_round_values_on_a_log_scale(dash):
    values = [v for _, v in LRS]
    assert values[0] == 1e-4 and values[-1] == 10 and dash.controls["lr"].value == 0.01
    assert all(str(label) in ("0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10")
               for label, _ in LRS)
    ratios = np.array(values[1:]) / np.array(values[:-1])
    assert set(np.round(ratios, 2)) <= {3.0, 3.33}  # about half a decade per step


def test_the_jpeg_is_the_rendered_pixels_to_within_what_an_eye_can_see(dash):
    from nnlab.widgets.dashboard_paint import encode_jpeg
    dash.train(300)
    with dash._lock:
        pixels = dash.view.render(dash._snapshot())
    data = encode_jpeg(pixels)
    decoded = np.asarray(Image.open(io.BytesIO(data)), dtype=int)
    error = np.abs(decoded - pixels[..., :3])
    assert decoded.shape == (560, 1000, 3) and error.mean() < 2 and np.percentile(error, 99) < 20
    assert len(data) < 300_000  # about 230 kB: what each frame costs the network


def test_rates_offered_reach_the_over_regularised_story():
    assert {0.3, 1.0, 3.0} <= set(RATES) and RATES[0] == 0


def test_no_warning_under_the_lessons_settings():
    import warnings

    import matplotlib

    from nnlab.runtime import STYLE
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():   # the lessons' style: constrained layout on
        warnings.simplefilter("error")
        # Library deprecations (ipykernel's Comm outside a kernel, pyparsing under matplotlib 3.8) are not ours
        # and Jupyter does not show them to a learner; every other warning is an error.
        warnings.simplefilter("ignore", DeprecationWarning)
        dash = dashboard(dataset="two moons", points=20)
        dash.controls["dataset"].value = "plane (regression)"
        dash.train(steps=5)
        dash.close()


@pytest.mark.parametrize("make", ["plane", "gaussians"])
def test_the_regression_sets_are_deterministic_finite_and_validated(make):
    import torch

    from nnlab import data
    make = getattr(data, make)
    X, y = make(n=50, noise=0.0, seed=3)
    assert X.shape == (50, 2) and y.shape == (50,) and X.dtype == y.dtype == torch.float32
    assert torch.equal(make(n=50, noise=0.0, seed=3)[1], y) and not torch.equal(make(n=50, seed=4)[0], X)
    assert X.abs().max() <= 1 and y.abs().max() <= 1.01
    if make is data.plane:
        assert torch.allclose(y, X.sum(1) / 2)
    else:  # a bump of height +1 at (-0.8, 0.5), of -1 at (0, 0.5)
        centres = torch.tensor([[-0.8, 0.5], [0.0, 0.5]])
        assert make(n=1, noise=0.0)[1].shape == (1,)
        from nnlab.data import _BUMPS
        assert torch.equal(_BUMPS[:2], centres)
    for kwargs, words in [(dict(n=0), "n must be >= 1"), (dict(noise=-1.0), "noise must be a finite number"),
                          (dict(seed=-1), "seed must be >= 0")]:
        with pytest.raises(ValueError, match=words):
            make(**kwargs)


def test_a_test_loss_above_the_loss_chart_doubles_its_height_once(dash):
    dash.train(steps=5)
    with dash._lock:
        snap = dash._snapshot()
    top = float(f"{1.3 * snap['guess']:.2g}")  # 1.3 × the loss of guessing
    dash.view.render(snap)
    assert dash.view.ax_loss.get_ylim()[1] == pytest.approx(top)
    snap["curve"][-1, 2] = 1.5 * top  # over-fitting: the test loss climbs past the top
    dash.view.render(snap)
    assert dash.view.ax_loss.get_ylim()[1] == pytest.approx(2 * top)
    snap["curve"][-1, 2] = 10 * top  # diverging: one doubling only, the message line says the rest
    dash.view.render(snap)
    assert dash.view.ax_loss.get_ylim()[1] == pytest.approx(2 * top)
