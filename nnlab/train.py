"""A small training loop (lessons 06, 07): the plain PyTorch loop, plus history, a progress callback and a clean
stop when the loss becomes NaN or inf. Read `fit` top to bottom: it is the loop the lessons write by hand."""
import math

import torch
from torch import nn

from . import _validate

# The activations the lessons and the dashboard offer, by the name a learner picks.
ACTIVATIONS = {"ReLU": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky ReLU": nn.LeakyReLU,
               "linear": nn.Identity}


# Initialisations by name (lesson 07). "default" leaves PyTorch's own nn.Linear init alone: uniform weights
# with variance 1/(3·n_in), which shrinks a signal at every layer. Xavier (Glorot & Bengio 2010) keeps the
# variance of the signal and of its gradient steady through tanh layers; He (He et al. 2015) doubles it for
# ReLU, which zeroes half of its inputs. Both start the biases at 0.
INITS = ("default", "xavier", "he")
NORMS = {"none": None, "batch": nn.BatchNorm1d, "layer": nn.LayerNorm}


def make_mlp(n_in, n_hidden, n_layers, n_out, activation="ReLU", init="default", norm=None, gain=1.0):
    """A multi-layer perceptron: `n_layers` hidden layers of `n_hidden` units each (0 layers = a linear model).

    Used by lessons 06 and 07. Each hidden layer is Linear → [norm] → activation, so the network has
    n_layers + 1 weight matrices W_1 … W_L. `init` sets every Linear layer's weights: "default" (PyTorch's),
    "xavier" (normal, Var = 2/(n_in + n_out)) or "he" (normal, Var = 2/n_in); the last two set biases to 0.
    `gain` then multiplies every weight matrix: for demonstrations (lesson 07), large gains saturate sigmoid
    and tanh units and make a deep ReLU net's gradients explode; small gains make them vanish.
    `norm` = "batch" or "layer" puts BatchNorm1d or LayerNorm between each hidden Linear and its activation.
    """
    n_in = _validate.count("n_in", n_in, minimum=1)
    n_hidden = _validate.count("n_hidden", n_hidden, minimum=1)
    n_layers = _validate.count("n_layers", n_layers, minimum=0)
    n_out = _validate.count("n_out", n_out, minimum=1)
    act = ACTIVATIONS[_validate.choice("activation", activation, ACTIVATIONS)]
    init = _validate.choice("init", init, INITS)
    Norm = NORMS[_validate.choice("norm", "none" if norm is None else norm, NORMS)]
    gain = _validate.real("gain", gain, minimum=0.0)
    layers, width = [], n_in
    for _ in range(n_layers):
        layers += [nn.Linear(width, n_hidden)] + ([Norm(n_hidden)] if Norm else []) + [act()]
        width = n_hidden
    model = nn.Sequential(*layers, nn.Linear(width, n_out))
    for layer in model:
        if isinstance(layer, nn.Linear):
            _initialise(layer, init, gain)
    return model


def _initialise(layer, init, gain):
    """Re-draw one Linear layer's weights by the named rule, then scale them by `gain`."""
    with torch.no_grad():
        if init == "xavier":
            nn.init.xavier_normal_(layer.weight)                         # std = sqrt(2 / (n_in + n_out))
            nn.init.zeros_(layer.bias)
        elif init == "he":
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")   # std = sqrt(2 / n_in)
            nn.init.zeros_(layer.bias)
        if gain != 1.0:                                                  # skip: default stays bit-identical
            layer.weight.mul_(gain)


def model_device(model):
    """The device of a model's first parameter, else the CPU: where its inputs must go."""
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device("cpu")


def _tensors(model, X, y, name="X"):
    """Check X (N, features) against the model's first layer, y for one target per row, and finite inputs."""
    _validate.model_and_data(model, X, y, X_name=name)
    if not torch.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or inf; expected finite inputs")


def accuracy(model, X, y):
    """Fraction of rows of X whose highest-scoring class (argmax of the model's output) equals y."""
    _tensors(model, X, y)  # the accuracy of no examples is undefined: X must have rows
    dev = model_device(model)
    with torch.no_grad():
        return (model(X.to(dev)).argmax(1) == y.to(dev)).float().mean().item()


def new_history():
    """An empty training record: per-step loss (and accuracy), periodic test scores, and a stop message."""
    return {"loss": [], "accuracy": [], "test_step": [], "test_loss": [], "test_accuracy": [],
            "diverged": False, "message": None}


def fit(model, X, y, loss_fn, optimizer, steps, batch_size=None, callback=None, every=1, test=None,
        history=None, generator=None):
    """Train `model` for `steps` optimiser steps; return the history dict (lessons 06, 07).

    Full batch by default; with `batch_size` each step uses a fresh random mini-batch. For integer
    class labels y the history also records accuracy. Every `every` steps (and at the last) the
    optional `test=(X_test, y_test)` pair is scored and `callback(step, history)` is called; it may
    return False (or raise StopIteration) to stop early. If the loss becomes NaN or inf, training
    stops before that step's update and history["message"] says so. Pass an earlier `history` to
    continue it. Data are moved to the model's device.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, e.g. nn.CrossEntropyLoss(), got {type(loss_fn).__name__}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(step, history) or None, got {type(callback).__name__}")
    _tensors(model, X, y)
    steps = _validate.count("steps", steps, minimum=0)
    every = _validate.count("every", every, minimum=1)
    if batch_size is not None:
        batch_size = min(_validate.count("batch_size", batch_size, minimum=1), len(X))
    if test is not None:
        if not isinstance(test, (tuple, list)) or len(test) != 2:
            raise TypeError("test must be a pair (X_test, y_test) or None")
        _tensors(model, *test, name="X_test")
    history = new_history() if history is None else history
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError("history must be a dict returned by fit() or new_history(), or None")

    dev = model_device(model)
    X, y = X.to(dev), y.to(dev)
    test = tuple(t.to(dev) for t in test) if test is not None else None
    classify = not torch.is_floating_point(y)
    model.train()

    for i in range(1, steps + 1):
        if batch_size is None or batch_size == len(X):
            Xb, yb = X, y                                   # full batch: every example, every step
        else:
            idx = torch.randperm(len(X), generator=generator)[:batch_size].to(dev)
            Xb, yb = X[idx], y[idx]

        optimizer.zero_grad()                               # gradients add up unless cleared
        out = model(Xb)                                     # forward
        loss = loss_fn(out, yb)                             # how wrong
        value = loss.item()
        if not math.isfinite(value):                        # stop before a NaN reaches the weights
            step = len(history["loss"]) + 1
            history["diverged"] = True
            history["message"] = (f"diverged at step {step}: loss became {value} — "
                                  "try a smaller learning rate")
            break
        loss.backward()                                     # backward: d loss / d every parameter
        optimizer.step()                                    # update: w ← w − lr · gradient (for SGD)

        history["loss"].append(value)
        if classify:
            history["accuracy"].append((out.detach().argmax(1) == yb).float().mean().item())
        if i % every == 0 or i == steps:
            if test is not None:
                with torch.no_grad():
                    out_test = model(test[0])
                    history["test_step"].append(len(history["loss"]))
                    history["test_loss"].append(loss_fn(out_test, test[1]).item())
                    if classify:
                        history["test_accuracy"].append((out_test.argmax(1) == test[1]).float().mean().item())
            if callback is not None:
                try:
                    if callback(len(history["loss"]), history) is False:
                        break
                except StopIteration:
                    break
    return history
