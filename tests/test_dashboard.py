"""Lesson 06's training dashboard, driven from Python: every control, step, reset, train(), play and pause."""
import base64
import io
import threading
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from nnlab.widgets.dashboard import BATCHES, DATASETS, L2S, dashboard


def picture(dash):
    (output,) = dash.output.outputs
    return output["data"]["image/png"]


def pixels(dash):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(picture(dash)))))


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
    assert image.shape == (500, 960, 3) and image.std() > 20
    assert dash.epoch == 0 and dash.message.value.startswith("epoch 0 (0 steps)")
    assert dash.frames == 1


def test_controls_are_labelled_in_the_courses_words_and_the_labels_fit(dash):
    labels = {name: control.description for name, control in dash.controls.items()}
    assert labels["lr"] == "learning rate" and labels["l2"] == "weight decay"  # the README's notation, no "λ"
    assert not any("λ" in label for label in labels.values())
    widths = {control.style.description_width for control in dash.controls.values()}
    assert widths == {"92px"}  # one column of labels, wide enough for "learning rate" (about 80 px)
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
        assert dash.view.maps_title.get_visible() == (dash.controls["layers"].value > 0)  # no "hidden layer 1" over none
    assert dash.n_classes == 3 and len(dash.X_train) == round(0.7 * 120)
    assert dash.view.map_axes[4].get_visible() and not dash.view.map_axes[5].get_visible()  # a hidden layer of 5 units

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
    time.sleep(1.0)  # ~12 frames at 80 ms each; the assertions below need 3
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
