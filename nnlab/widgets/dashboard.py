"""Lesson 06's training playground: pick data, input features and a network, press play, and watch every unit
of every layer, the weights between them, the decision regions and the loss curves change as it trains.

The parts: dashboard (this: the controls), dashboard_model (data, features, network, penalties),
dashboard_state (training and the sentence under the picture), dashboard_play (showing pictures, now or from
the background thread), dashboard_view and dashboard_paint (drawing them). Headless code drives the same path:
`dash.train(300)`.
"""
import threading

import ipywidgets as widgets

from .. import _validate, train
from ..runtime import device
from .base import CONTROL_STYLE, dropdown, panels, say, slider
from .dashboard_model import DATASETS, FEATURES, MAX_LAYERS, MAX_WIDTH, PENALTIES, RATES, feature_names, parse_widths
from .dashboard_play import Playing, picture_widget
from .dashboard_state import OPTIMIZERS, TrainingState
from .dashboard_view import DashboardView

BATCHES = [("full", 0), ("1", 1), ("8", 8), ("16", 16), ("32", 32), ("64", 64), ("128", 128)]
L2S = [("0", 0.0), ("1e-4", 1e-4), ("1e-3", 1e-3), ("1e-2", 1e-2), ("1e-1", 1e-1)]
LRS = [("0.0001", 1e-4), ("0.0003", 3e-4), ("0.001", 1e-3), ("0.003", 3e-3), ("0.01", 0.01), ("0.03", 0.03),
       ("0.1", 0.1), ("0.3", 0.3), ("1", 1.0), ("3", 3.0), ("10", 10.0)]   # a log scale in round steps
LABEL_WIDTH = "92px"   # the controls' descriptions: the course's words, not symbols
DATA_CONTROLS = ("dataset", "noise", "points", "train_fraction")


def dashboard(dataset="spiral", noise=0.2, points=100, train_fraction=0.5, layers=2, neurons=16,
              activation="ReLU", optimizer="Adam", lr=0.01, batch_size=0, l2=0.0, seed=0,
              features=("x1", "x2"), widths=None, penalty="none", rate=0.0, data_seed=0):
    """The live training dashboard (lesson 06): controls for data, inputs, network and optimiser; play, pause, step, reset.

    `points` is per class (the regression sets get 2 × points); `batch_size` 0 means full batch; `l2` is
    torch's weight_decay. `features` picks the inputs from x1, x2, x1^2, x2^2, x1*x2, sin(pi*x1), sin(pi*x2).
    `widths` (e.g. "8, 8, 4" or [8, 8, 4]) sets each hidden layer's width and overrides `layers` and `neurons`.
    `penalty` "L1" or "L2" adds rate·Σ|w| or rate·Σw² over the weights to the loss. `dash.train(steps)`
    trains without a thread.
    """
    values = dict(dataset=_validate.choice("dataset", dataset, DATASETS),
                  noise=_validate.real("noise", noise, 0.0, 0.5),
                  points=_validate.count("points", points, minimum=10),
                  train_fraction=_validate.real("train_fraction", train_fraction, 0.1, 0.9),
                  layers=_validate.count("layers", layers, minimum=0),
                  neurons=_validate.count("neurons", neurons, minimum=1),
                  activation=_validate.choice("activation", activation, train.ACTIVATIONS),
                  optimizer=_validate.choice("optimizer", optimizer, OPTIMIZERS),
                  lr=_validate.real("lr", lr, 1e-4, 10.0),
                  batch_size=_validate.count("batch_size", batch_size, minimum=0),
                  l2=_validate.real("l2", l2, 0.0, 0.1),
                  penalty=_validate.choice("penalty", penalty, PENALTIES),
                  rate=_validate.real("rate", rate, 0.0, 3.0))
    for name, top in (("points", 300), ("layers", MAX_LAYERS), ("neurons", MAX_WIDTH)):
        if values[name] > top:
            raise ValueError(f"{name} must be at most {top}, got {values[name]}")
    for name, options in (("batch_size", BATCHES), ("l2", L2S), ("lr", LRS), ("rate", [(str(r), r) for r in RATES])):
        if values[name] not in dict(options).values():
            extra = " (0 = full batch)" if name == "batch_size" else ""
            raise ValueError(f"{name} must be one of {[v for _, v in options]}{extra}, got {values[name]}")
    chosen = feature_names(features)
    if widths is not None:
        widths = parse_widths(widths)
        values["layers"], values["neurons"] = len(widths), widths[0] if widths else values["neurons"]
    else:
        widths = [values["neurons"]] * values["layers"]
    return Dashboard(values, seed=_validate.count("seed", seed, minimum=0), features=chosen, widths=widths,
                     data_seed=_validate.count("data_seed", data_seed, minimum=0, maximum=2**64 - 1))


class Dashboard(TrainingState, Playing, widgets.HBox):
    """Controls on the left; the picture (network, output, loss curves) and a message line on the right."""

    def __init__(self, values, seed=0, features=("x₁", "x₂"), widths=(16, 16), data_seed=0):
        check = {name: widgets.Checkbox(value=name in features, description=name, indent=False,
                                        layout=widgets.Layout(width="68px")) for name in FEATURES}
        self.controls = {
            "dataset": dropdown("data", list(DATASETS), values["dataset"]),
            "noise": slider("noise", 0.0, 0.5, 0.05, values["noise"]),
            "points": slider("points", 10, 300, 10, values["points"], integer=True),
            "train_fraction": slider("train part", 0.1, 0.9, 0.1, values["train_fraction"]),
            **check,
            "layers": slider("layers", 0, MAX_LAYERS, 1, values["layers"], integer=True),
            "neurons": slider("neurons", 1, MAX_WIDTH, 1, values["neurons"], integer=True),
            "widths": widgets.Text(value=", ".join(map(str, widths)) or "0", description="widths",
                                   placeholder="e.g. 8, 8, 4", continuous_update=False, style=CONTROL_STYLE,
                                   layout=widgets.Layout(width="290px")),
            "activation": dropdown("activation", list(train.ACTIVATIONS), values["activation"]),
            "optimizer": dropdown("optimiser", list(OPTIMIZERS), values["optimizer"]),
            "lr": widgets.SelectionSlider(options=LRS, value=values["lr"], description="learning rate",
                                          style=CONTROL_STYLE, layout=widgets.Layout(width="290px")),
            "batch_size": dropdown("batch", BATCHES, values["batch_size"]),
            # torch's weight_decay: the gradient of the penalty ρ‖w‖² is 2ρw, so weight decay = 2ρ (lesson 06)
            "l2": dropdown("weight decay", L2S, values["l2"]),
            "penalty": dropdown("penalty", [("none", "none"), ("L1: ρ·Σ|w|", "L1"), ("L2: ρ·Σw²", "L2")],
                                values["penalty"]),
            "rate": dropdown("penalty rate", [(f"{r:g}", r) for r in RATES], values["rate"]),
        }
        for name, control in self.controls.items():  # room for the longest label, "learning rate"
            if name not in FEATURES:
                control.style.description_width = LABEL_WIDTH
        for name in ("noise", "points", "train_fraction", "layers", "neurons"):
            self.controls[name].continuous_update = False  # these rebuild data or model: act when let go
        self.play_button = widgets.ToggleButton(value=False, description="▶ play", layout=widgets.Layout(width="90px"))
        self.step_button = widgets.Button(description="step", tooltip="train one epoch", layout=widgets.Layout(width="90px"))
        self.reset_button = widgets.Button(description="reset", tooltip="new initial weights",
                                           layout=widgets.Layout(width="90px"))
        self.data_button = widgets.Button(description="new data", tooltip="draw the data again with the next seed",
                                          layout=widgets.Layout(width="90px"))
        # Labels, not HTML: the message line stays the only HTML text (the browser test reads it by that class)
        self.seed_label = widgets.Label(layout=widgets.Layout(margin="0 0 0 8px"))
        self.picture = picture_widget()
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.5em", max_width="1000px"))
        c = self.controls
        boxes = [widgets.HBox([c[n] for n in names]) for names in (("x₁", "x₂"), ("x₁²", "x₂²", "x₁x₂"),
                                                                  ("sin πx₁", "sin πx₂"))]
        rows = [c["dataset"], c["noise"], c["points"], c["train_fraction"],
                widgets.HBox([self.data_button, self.seed_label]), widgets.Label("inputs (features):"), *boxes,
                widgets.Label("hidden layers:"), c["layers"], c["neurons"], c["widths"], c["activation"],
                widgets.Label("training:"), c["optimizer"], c["lr"], c["batch_size"], c["l2"], c["penalty"],
                c["rate"], widgets.HBox([self.play_button, self.step_button, self.reset_button])]
        super().__init__(**panels(rows, self.picture, self.message))

        self.device = device()
        self.seed, self.data_seed = seed, data_seed
        self.features, self.widths = list(features), list(widths)
        self.frames = 0            # repaints so far (for benchmarks)
        self.draw_ms = None        # duration of the last repaint
        self._lock = threading.RLock()  # guards model, optimiser, data and history
        self._draw_lock = threading.Lock()  # one repaint at a time
        self._stop = threading.Event()
        self._threads = []
        self._syncing = False      # set while the dashboard moves its own controls (layers ↔ widths)
        self.view = DashboardView(self.device)
        self._new_data()
        self._show_seed()

        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.play_button.observe(self._toggled, names="value")
        self.step_button.on_click(lambda _: self._safely(self.step))
        self.reset_button.on_click(lambda _: self._safely(self.reset))
        self.data_button.on_click(lambda _: self._safely(self.new_data))
        self.redraw()

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    # --- what a learner (or a test) can call -------------------------------------------------------------

    def train(self, steps=300):
        """Train `steps` optimiser steps now, in this thread, then repaint; return the history (for notebooks)."""
        steps = _validate.count("steps", steps, minimum=1)
        self.pause()
        self._fit(steps)
        self.redraw()
        return self.history

    def step(self):
        """Train one epoch and repaint."""
        self.pause()
        self._fit(self.steps_per_epoch)
        self.redraw()

    def reset(self):
        """New initial weights (the next seed), an empty history; keeps data and settings."""
        self.pause()
        with self._lock:
            self.seed += 1
            self._new_model()
        self.redraw()

    def new_data(self):
        """Draw the data set again with the next data seed (shown beside the button); a fresh network too."""
        with self._lock:
            self.data_seed += 1
            self._new_data()
        self._show_seed()
        if not self._threads:
            self.redraw()

    def play(self):
        """Start training in the background (what the play button does)."""
        self.play_button.value = True

    def pause(self):
        """Stop the background training; returns once its thread has finished (within about a frame)."""
        self.play_button.value = False
        self._stop_threads()

    def close(self):
        """Stop the threads, then close the widget."""
        if hasattr(self, "play_button"):   # ipywidgets closes a half-built one too (bad arguments)
            self.pause()
        super().close()

    # --- controls ----------------------------------------------------------------------------------------

    def _safely(self, action):
        try:
            action()
        except Exception as error:  # a sentence, never a traceback
            self.say(f"That did not work ({type(error).__name__}: {error}).", warning=True)

    def _set(self, name, value):
        """Move a control from here without acting on it (its new value is already in effect)."""
        self._syncing = True
        try:
            self.controls[name].value = value
        finally:
            self._syncing = False

    def _show_seed(self):
        self.seed_label.value = f"data seed {self.data_seed}"

    def _changed(self, change):
        if self._syncing:
            return
        name = next(n for n, c in self.controls.items() if c is change["owner"])
        try:
            with self._lock:
                self._apply(name, change["new"])
                if self.history["diverged"]:
                    self._new_model()       # a diverged model is useless: start again with the new setting
        except Exception as error:
            self.say(f"Could not use this setting ({type(error).__name__}: {error}).", warning=True)
            return
        if not self._threads:
            self.redraw()

    def _apply(self, name, value):
        """Act on one control's new value (under the lock)."""
        note = None
        if name in DATA_CONTROLS:
            self._new_data()
        elif name in FEATURES:
            chosen = [n for n in FEATURES if self.controls[n].value]
            if chosen:
                self.features = chosen
                self._new_features()
            else:                           # no input at all: keep this one, and say why
                self._set(name, True)
                note = f"The network needs at least one input: {name} stays ticked."
        elif name in ("layers", "neurons"):
            self.widths = [self.controls["neurons"].value] * self.controls["layers"].value
            self._set("widths", ", ".join(map(str, self.widths)) or "0")
            self._new_model()
        elif name == "widths":
            try:
                self.widths = parse_widths(value)
            except ValueError:
                kept = ", ".join(map(str, self.widths)) or "0"
                note = (f"widths: write 0 to {MAX_LAYERS} whole numbers from 1 to {MAX_WIDTH}, such as 8, 8, 4 "
                        f"(0 = no hidden layer); kept {kept}.")
                self._set("widths", kept)
            else:
                self._set("layers", len(self.widths))
                if self.widths:
                    self._set("neurons", self.widths[0])
                self._new_model()
        elif name == "activation":
            self._new_model()
        elif name == "optimizer":
            self._new_optimizer()           # a new optimiser keeps the weights trained so far
        elif name in ("lr", "l2"):          # change the running optimiser in place: training goes on
            for group in self.optimizer.param_groups:
                group["lr" if name == "lr" else "weight_decay"] = value
        elif name in ("penalty", "rate"):   # the loss's penalty changes in place: training goes on
            setattr(self.loss_fn, "kind" if name == "penalty" else "rate", value)
        self.note = note

    def say(self, text, warning=False):
        """Show one line under the picture; warnings in orange. `dash.sentence` keeps it as plain text."""
        self.sentence = text
        say(self.message, text, warning)
