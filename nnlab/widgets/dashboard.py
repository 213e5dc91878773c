"""Lesson 06's training playground: pick data and a network, press play, watch the decision regions form.

While playing, one background thread trains (nnlab.train.fit, an epoch per turn) and, every 80 ms,
repaints: one batched forward pass over a small grid, then only the changing artists are re-rendered.
Training goes on between repaints instead of waiting for the browser. Why one thread and not a trainer
plus a painter: Python runs one thread at a time (the GIL), and a painter that must win the GIL back
from a busy trainer dozens of times per frame gets about 5 frames a second; taking turns gets 11–12.
A lock guards the model, optimiser and data, which control changes from the notebook also touch.
Headless code drives the same path synchronously: `dash.train(steps=300)`.
"""
import threading
import time

import ipywidgets as widgets
import numpy as np
import torch
from torch import nn

from .. import _validate, data, train
from ..runtime import device
from .base import CONTROL_STYLE, dropdown, panels, say, show_png, slider
from .dashboard_view import N_MAPS, DashboardView

DATASETS = {  # name → generator(n_per_class, noise, seed)
    "spiral": lambda n, noise, seed: data.spiral(n, 3, noise, seed),
    "XOR": data.xor,
    "circles": data.circles,
    "two moons": data.moons,
    "Gaussian blobs": lambda n, noise, seed: data.blobs(n, 3, noise, seed),
}
OPTIMIZERS = {
    "SGD": lambda p, lr, l2: torch.optim.SGD(p, lr=lr, weight_decay=l2),
    "SGD + momentum": lambda p, lr, l2: torch.optim.SGD(p, lr=lr, momentum=0.9, weight_decay=l2),
    "RMSprop": lambda p, lr, l2: torch.optim.RMSprop(p, lr=lr, weight_decay=l2),
    "Adam": lambda p, lr, l2: torch.optim.Adam(p, lr=lr, weight_decay=l2),
}
BATCHES = [("full", 0), ("1", 1), ("8", 8), ("16", 16), ("32", 32), ("64", 64), ("128", 128)]
L2S = [("0", 0.0), ("1e-4", 1e-4), ("1e-3", 1e-3), ("1e-2", 1e-2), ("1e-1", 1e-1)]
LABEL_WIDTH = "92px"   # the controls' descriptions: the course's words, not symbols
FRAME_S = 0.08     # repaint period while playing: 12 a second, a margin over the budget of 10


def dashboard(dataset="spiral", noise=0.2, points=100, train_fraction=0.5, layers=2, neurons=16,
              activation="ReLU", optimizer="Adam", lr=0.01, batch_size=0, l2=0.0, seed=0):
    """The live training dashboard (lesson 06): controls for data, network and optimiser; play, pause, step, reset.

    `points` is per class; `batch_size` 0 means full batch. `dash.train(steps)` trains without a thread.
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
                  l2=_validate.real("l2", l2, 0.0, 0.1))
    for name, top in (("points", 300), ("layers", 6), ("neurons", 128)):
        if values[name] > top:
            raise ValueError(f"{name} must be at most {top}, got {values[name]}")
    if values["batch_size"] not in dict(BATCHES).values():
        raise ValueError(f"batch_size must be one of {[b for _, b in BATCHES]} (0 = full batch), got {batch_size}")
    if values["l2"] not in dict(L2S).values():
        raise ValueError(f"l2 must be one of {[v for _, v in L2S]}, got {l2}")
    return Dashboard(values, seed=_validate.count("seed", seed, minimum=0))


class Dashboard(widgets.HBox):
    """Controls on the left; the picture (regions, loss curves, first-layer units) and a message line on the right."""

    def __init__(self, values, seed=0):
        self.controls = {
            "dataset": dropdown("data", list(DATASETS), values["dataset"]),
            "noise": slider("noise", 0.0, 0.5, 0.05, values["noise"]),
            "points": slider("points", 10, 300, 10, values["points"], integer=True),
            "train_fraction": slider("train part", 0.1, 0.9, 0.1, values["train_fraction"]),
            "layers": slider("layers", 0, 6, 1, values["layers"], integer=True),
            "neurons": slider("neurons", 1, 128, 1, values["neurons"], integer=True),
            "activation": dropdown("activation", list(train.ACTIVATIONS), values["activation"]),
            "optimizer": dropdown("optimiser", list(OPTIMIZERS), values["optimizer"]),
            "lr": widgets.FloatLogSlider(value=values["lr"], base=10, min=-4, max=1, step=0.25,
                                         description="learning rate", readout_format=".3g", style=CONTROL_STYLE,
                                         layout=widgets.Layout(width="290px")),
            "batch_size": dropdown("batch", BATCHES, values["batch_size"]),
            # torch's weight_decay: the gradient of the penalty ρ‖w‖² is 2ρw, so weight decay = 2ρ (lesson 06)
            "l2": dropdown("weight decay", L2S, values["l2"]),
        }
        for control in self.controls.values():  # room for the longest label, "learning rate"
            control.style.description_width = LABEL_WIDTH
        for name in ("noise", "points", "train_fraction", "layers", "neurons"):
            self.controls[name].continuous_update = False  # these rebuild data or model: act when let go
        self.play_button = widgets.ToggleButton(value=False, description="▶ play", layout=widgets.Layout(width="90px"))
        self.step_button = widgets.Button(description="step", tooltip="train one epoch", layout=widgets.Layout(width="90px"))
        self.reset_button = widgets.Button(description="reset", tooltip="new initial weights",
                                           layout=widgets.Layout(width="90px"))
        self.output = widgets.Output()
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        buttons = widgets.HBox([self.play_button, self.step_button, self.reset_button])
        super().__init__(**panels(list(self.controls.values()) + [buttons], self.output, self.message))

        self.device = device()
        self.seed = seed
        self.frames = 0            # repaints so far (for benchmarks)
        self.draw_ms = None        # duration of the last repaint
        self._lock = threading.RLock()  # guards model, optimiser, data and history
        self._draw_lock = threading.Lock()  # one repaint at a time
        self._stop = threading.Event()
        self._threads = []
        self.view = DashboardView(self.device)
        self._new_data()

        for name, control in self.controls.items():
            control.observe(self._changed, names="value")
        self.play_button.observe(self._toggled, names="value")
        self.step_button.on_click(lambda _: self._safely(self.step))
        self.reset_button.on_click(lambda _: self._safely(self.reset))
        self.redraw()

    # --- the state: data, model, optimiser, history ---------------------------------------------------------

    def _new_data(self):
        v = {name: control.value for name, control in self.controls.items()}
        with self._lock:
            X, y = DATASETS[v["dataset"]](v["points"], v["noise"], 0)
            X_train, y_train, X_test, y_test = data.split(X, y, v["train_fraction"], seed=0)
            self.n_classes = int(y.max()) + 1
            self.X_train, self.y_train = X_train.to(self.device), y_train.to(self.device)
            self.X_test, self.y_test = X_test.to(self.device), y_test.to(self.device)
            self._points_changed = True
            self._new_model()

    def _new_model(self):
        v = {name: control.value for name, control in self.controls.items()}
        with self._lock:
            torch.manual_seed(self.seed)
            self.model = train.make_mlp(2, v["neurons"], v["layers"], self.n_classes, v["activation"]).to(self.device)
            self.loss_fn = nn.CrossEntropyLoss()
            self._new_optimizer()
            self.history = train.new_history()
            self.generator = torch.Generator().manual_seed(self.seed)
            self._scored_step = 0
            self.curve = [self._scores(0)]  # (epoch, train loss, test loss, train accuracy, test accuracy)
            self.note = None

    def _new_optimizer(self):
        v = {name: control.value for name, control in self.controls.items()}
        self.optimizer = OPTIMIZERS[v["optimizer"]](self.model.parameters(), v["lr"], v["l2"])

    def _scores(self, epoch):
        """Loss and accuracy on the whole training and test sets (evaluated once per epoch)."""
        with torch.no_grad():
            out_train, out_test = self.model(self.X_train), self.model(self.X_test)
            return (epoch, self.loss_fn(out_train, self.y_train).item(), self.loss_fn(out_test, self.y_test).item(),
                    (out_train.argmax(1) == self.y_train).float().mean().item(),
                    (out_test.argmax(1) == self.y_test).float().mean().item())

    @property
    def steps_per_epoch(self):
        batch = self.controls["batch_size"].value or len(self.X_train)
        return -(-len(self.X_train) // min(batch, len(self.X_train)))

    @property
    def epoch(self):
        """Epochs trained so far (passes over the training set)."""
        return self.curve[-1][0]

    def _after_epoch(self, step, history):
        """fit's callback: score the epoch, catch a blow-up that is not yet inf, and stop when asked."""
        epoch = self.curve[-1][0] + (step - self._scored_step) / self.steps_per_epoch
        self._scored_step = step
        self.curve.append(self._scores(epoch))
        if len(self.curve) > 2000:  # long runs: keep every other point (and the last), so frames stay fast
            self.curve = self.curve[:-1:2] + self.curve[-1:]
        start, now = self.curve[0][1], self.curve[-1][1]
        if now > 10 * max(start, 1.0):  # a loss ten times its start is on its way to inf
            history["diverged"] = True
            history["message"] = (f"diverged at step {step}: loss rose from {start:.3g} to {now:.3g} — "
                                  "lower the learning rate")
            return False
        # pause stops the background trainer here, within an epoch; train() and step() run to the end
        return not (self._stop.is_set() and threading.current_thread().name == "nnlab-train")

    def _fit(self, steps):
        """Train `steps` steps (whole epochs are scored); return True while training may continue."""
        with self._lock:
            if self.history["diverged"]:
                return False
            batch = self.controls["batch_size"].value or None
            every = self.steps_per_epoch
            train.fit(self.model, self.X_train, self.y_train, self.loss_fn, self.optimizer, steps,
                      batch_size=batch, callback=self._after_epoch, every=every, history=self.history,
                      generator=self.generator)
            return not self.history["diverged"]

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

    def play(self):
        """Start training in the background (what the play button does)."""
        self.play_button.value = True

    def pause(self):
        """Stop the background training; returns once its thread has finished (within about a frame)."""
        self.play_button.value = False
        self._stop_threads()

    def close(self):
        """Stop the threads, then close the widget."""
        self.pause()
        super().close()

    # --- threads -----------------------------------------------------------------------------------------

    def _toggled(self, change):
        self.play_button.description = "⏸ pause" if change["new"] else "▶ play"
        if change["new"]:
            self._stop_threads()  # a thread that stopped by itself (divergence) may still be finishing
            self._stop.clear()
            self._threads = [threading.Thread(target=self._play_loop, daemon=True, name="nnlab-train")]
            self._threads[0].start()
        else:
            self._stop_threads()

    def _stop_threads(self):
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        self._threads = [t for t in self._threads if t.is_alive()]

    def _play_loop(self):
        try:
            last = 0.0
            while not self._stop.is_set():
                if time.perf_counter() - last >= FRAME_S:
                    last = time.perf_counter()
                    self.redraw()
                if not self._fit(self.steps_per_epoch):
                    break
        except Exception as error:  # never a traceback from a thread: say it and stop
            self.note = f"training stopped ({type(error).__name__}: {error})"
        self._stop.set()
        self.redraw()  # the final state, so the picture matches the counter after a pause
        self.play_button.value = False

    # --- controls ----------------------------------------------------------------------------------------

    def _safely(self, action):
        try:
            action()
        except Exception as error:  # a sentence, never a traceback
            self.say(f"That did not work ({type(error).__name__}: {error}).", warning=True)

    def _changed(self, change):
        name = next(n for n, c in self.controls.items() if c is change["owner"])
        try:
            with self._lock:
                if name in ("dataset", "noise", "points", "train_fraction"):
                    self._new_data()
                elif name in ("layers", "neurons", "activation"):
                    self._new_model()
                elif name == "optimizer":
                    self._new_optimizer()   # a new optimiser keeps the weights trained so far
                elif name in ("lr", "l2"):  # change the running optimiser in place: training goes on
                    for group in self.optimizer.param_groups:
                        group["lr" if name == "lr" else "weight_decay"] = change["new"]
                if self.history["diverged"]:
                    self._new_model()       # a diverged model is useless: start again with the new setting
        except Exception as error:
            self.say(f"Could not use this setting ({type(error).__name__}: {error}).", warning=True)
            return
        if not self._threads:
            self.redraw()

    # --- the picture -------------------------------------------------------------------------------------

    def _snapshot(self):
        """Under the lock: everything the painter needs, as NumPy arrays, from one batched forward pass."""
        with torch.no_grad():
            if len(self.model) > 1:  # a hidden layer: its units' responses, then the rest of the network
                hidden = self.model[1](self.model[0](self.view.grid))
                scores = self.model[2:](hidden)
                hidden = hidden[:, :N_MAPS].cpu().numpy()
            else:
                scores, hidden = self.model(self.view.grid), None
            probs = torch.softmax(scores, dim=1).cpu().numpy()
        snap = dict(probs=probs, hidden=hidden, curve=np.array(self.curve), note=self._diagnose())
        if self._points_changed:
            snap["points"] = [t.cpu().numpy() for t in (self.X_train, self.y_train, self.X_test, self.y_test)]
            self._points_changed = False
        return snap

    def _diagnose(self):
        """One sentence about the state of training, and whether it is a warning."""
        epoch, loss, test_loss, acc, test_acc = self.curve[-1]
        start = self.curve[0][1]
        steps = len(self.history["loss"])
        if self.history["message"]:
            return self.history["message"] + " (then press reset or change a control).", True
        if self.note:
            return self.note, True
        chance = np.log(self.n_classes)  # the loss of guessing every class equally often
        if steps >= 100 and loss > 0.97 * min(start, chance):
            layers, activation = self.controls["layers"].value, self.controls["activation"].value
            if self.controls["lr"].value >= 1:
                advice = "the learning rate is too large: each step overshoots. Lower it"
            elif activation in ("sigmoid", "tanh") and layers >= 4:
                advice = (f"with {layers} {activation} layers the gradient fades on its way back to the first layers "
                          "(vanishing gradients), so they barely learn. Try ReLU, fewer layers or Adam")
            else:
                advice = "try a larger learning rate, or Adam"
            # "little progress", not "stuck": a tiny learning rate still lowers the loss, slowly (lesson 06, section 4)
            versus = "no better than" if loss >= chance else "hardly below"
            return (f"little progress: after {steps} steps the training loss is {loss:.3f}, {versus} the loss of "
                    f"guessing ({chance:.3f}); {advice}."), True
        return (f"epoch {int(epoch + 1e-9)} ({steps} steps): loss {loss:.3f} training, {test_loss:.3f} test; "
                f"accuracy {acc:.0%} training, {test_acc:.0%} test"), False

    def redraw(self):
        """Repaint the picture from the current model; safe to call from any thread."""
        with self._draw_lock:
            start = time.perf_counter()
            try:
                with self._lock:
                    snap = self._snapshot()
                png = self.view.paint(snap)
            except Exception as error:  # never a traceback: say it, keep the last picture
                self.view.live.full_redraw = True
                self.say(f"Could not draw ({type(error).__name__}: {error}).", warning=True)
                return
            show_png(self.output, png, "<nnlab training dashboard>")
            self.say(*snap["note"])
            self.frames += 1
            self.draw_ms = 1000 * (time.perf_counter() - start)

    def say(self, text, warning=False):
        """Show one line under the picture; warnings in orange."""
        say(self.message, text, warning)
