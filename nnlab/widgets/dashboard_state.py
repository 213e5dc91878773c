"""The dashboard's training state (lesson 06): data, features, network, loss with its penalty, optimiser,
the per-epoch record, the sentence under the picture, and the snapshot a frame is painted from.
A mixin of Dashboard: it reads the controls through `self.values()` and is guarded by `self._lock`."""
import threading

import numpy as np
import torch
from torch import nn

from .. import data, train
from .dashboard_model import (CLASSIFY, DATASETS, PenalisedLoss, exact_zeros, features, make_network,
                              network_snapshot, weights)

OPTIMIZERS = {
    "SGD": lambda p, lr, l2: torch.optim.SGD(p, lr=lr, weight_decay=l2),
    "SGD + momentum": lambda p, lr, l2: torch.optim.SGD(p, lr=lr, momentum=0.9, weight_decay=l2),
    "RMSprop": lambda p, lr, l2: torch.optim.RMSprop(p, lr=lr, weight_decay=l2),
    "Adam": lambda p, lr, l2: torch.optim.Adam(p, lr=lr, weight_decay=l2),
}


class TrainingState:
    """Data, model, optimiser and history, rebuilt by the controls that need it."""

    def _new_data(self):
        v = self.values()
        with self._lock:
            self.classify = v["dataset"] in CLASSIFY
            X, y = DATASETS[v["dataset"]](v["points"], v["noise"], self.data_seed)
            if not self.classify:
                y = y[:, None]                     # one target per row, as the single output unit gives
            self.raw = data.split(X, y, v["train_fraction"], seed=self.data_seed)   # X_train, y_train, X_test, y_test
            self.y_train, self.y_test = self.raw[1].to(self.device), self.raw[3].to(self.device)
            if self.classify:
                self.n_out = int(y.max()) + 1
                self.guess = float(np.log(self.n_out))  # the loss of giving every class the same probability
            else:
                self.n_out = 1
                self.guess = float(self.raw[1].var(unbiased=False))  # the loss of always predicting the mean
            self._points_changed = True
            self._new_features()

    def _new_features(self):
        """The network's inputs for the data and for the view's grid, then a new network (its input width changed)."""
        with self._lock:
            self.X_train = features(self.raw[0], self.features).to(self.device)
            self.X_test = features(self.raw[2], self.features).to(self.device)
            self.grid_inputs = features(self.view.grid, self.features)
            self.input_maps = self.grid_inputs[self.view.unit_rows].cpu().numpy()
            self._new_model()

    def _new_model(self):
        v = self.values()
        with self._lock:
            torch.manual_seed(self.seed)
            self.model = make_network(len(self.features), self.widths, self.n_out,
                                      train.ACTIVATIONS[v["activation"]]).to(self.device)
            self.data_loss = nn.CrossEntropyLoss() if self.classify else nn.MSELoss()
            # L1 or L2 is added to the loss (dashboard_model.PenalisedLoss): the curves show the data loss alone
            self.loss_fn = PenalisedLoss(self.data_loss, self.model, v["penalty"], v["rate"])
            self._new_optimizer()
            self.history = train.new_history()
            self.generator = torch.Generator().manual_seed(self.seed)
            self._scored_step = 0
            self.curve = [self._scores(0)]  # (epoch, train loss, test loss, train accuracy, test accuracy)
            self.note = None

    def _new_optimizer(self):
        v = self.values()
        self.optimizer = OPTIMIZERS[v["optimizer"]](self.model.parameters(), v["lr"], v["l2"])
        exact_zeros(self.optimizer, self.loss_fn)

    def _scores(self, epoch):
        """Data loss (no penalty) and accuracy on the whole training and test sets (evaluated once per epoch)."""
        with torch.no_grad():
            out_train, out_test = self.model(self.X_train), self.model(self.X_test)
            scores = [self.data_loss(out_train, self.y_train), self.data_loss(out_test, self.y_test)]
            if self.classify:
                scores += [(out_train.argmax(1) == self.y_train).float().mean(),
                           (out_test.argmax(1) == self.y_test).float().mean()]
            scores = torch.stack(scores).tolist()  # one read-back from a GPU per epoch, not four
        return (epoch, *scores) if self.classify else (epoch, *scores, np.nan, np.nan)

    @property
    def n_classes(self):
        """The number of classes, or None for a regression set."""
        return self.n_out if self.classify else None

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
        if not np.isfinite(now) or now > 10 * max(start, 1.0):  # ten times its start: on its way to inf
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
            train.fit(self.model, self.X_train, self.y_train, self.loss_fn, self.optimizer, steps,
                      batch_size=batch, callback=self._after_epoch, every=self.steps_per_epoch,
                      history=self.history, generator=self.generator)
            return not self.history["diverged"]

    def zero_weights(self):
        """How many weights (not biases) are exactly 0, and how many there are."""
        with self._lock, torch.no_grad():
            ws = weights(self.model)
            return sum(int((w == 0).sum()) for w in ws), sum(w.numel() for w in ws)

    def _snapshot(self):
        """Under the lock: everything the painter needs, as NumPy arrays, from one batched forward pass."""
        output, layers = network_snapshot(self.model, self.grid_inputs, self.view.unit_rows, self.classify)
        snap = dict(output=output, layers=layers, inputs=self.input_maps, features=list(self.features),
                    classify=self.classify, guess=self.guess, curve=np.array(self.curve), note=self._diagnose())
        if self._points_changed:
            snap["points"] = [t.cpu().numpy() for t in (self.raw[0], self.raw[1], self.raw[2], self.raw[3])]
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
        guessing = "guessing" if self.classify else "always predicting the mean"
        if steps >= 100 and loss > 0.97 * min(start, self.guess):
            layers, activation = len(self.widths), self.controls["activation"].value
            adam = self.controls["optimizer"].value == "Adam"
            if self.controls["lr"].value >= 1:
                advice = "the learning rate is too large: each step overshoots"
                if activation == "ReLU":    # lesson 06, section 4: at learning rate 10 every hidden unit dies
                    advice += ("; a ReLU unit it leaves at zero on every point gets no gradient from the data, "
                               "so it stays off")
                advice += ". Lower it"
            elif activation in ("sigmoid", "tanh") and layers >= 4:
                advice = (f"with {layers} {activation} layers the gradient fades on its way back to the first layers "
                          "(vanishing gradients), so they barely learn. Try ReLU, fewer layers or Adam")
            elif self.loss_fn.kind != "none" and self.loss_fn.rate >= 0.1:
                advice = f"the {self.loss_fn.kind} penalty (rate {self.loss_fn.rate:g}) outweighs the data. Lower it"
            elif not layers and self.classify and adam and self.controls["lr"].value >= 0.01:
                # the optimiser works (lesson 06, experiment 1: x₁, x₂ on circles): the model is the limit
                advice = ("with no hidden layer the model is linear in its inputs. Add a hidden layer, or inputs "
                          "such as x₁² and x₂²")
            else:
                advice = "try a larger learning rate" + ("" if adam else ", or Adam")   # not Adam when it is on
            # "little progress", not "stuck": a tiny learning rate still lowers the loss, slowly (lesson 06, section 4)
            versus = "no better than" if loss >= self.guess else "hardly below"
            return (f"little progress: after {steps} steps the training loss is {loss:.3f}, {versus} the loss of "
                    f"{guessing} ({self.guess:.3f}); {advice}."), True
        text = f"epoch {int(epoch + 1e-9)} ({steps} steps): loss {loss:.3f} training, {test_loss:.3f} test"
        text += f"; accuracy {acc:.0%} training, {test_acc:.0%} test" if self.classify else " (mean squared error)"
        if self.loss_fn.kind == "L1" and self.loss_fn.rate > 0:
            zeros, total = self.zero_weights()
            text += f"; {zeros} of {total} weights are exactly 0"
        return text, False
