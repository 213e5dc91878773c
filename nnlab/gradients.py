"""Measuring a network from the inside (lesson 07): how large each layer's gradient is, what each hidden
layer outputs, and how much of it is saturated. Every function leaves the model exactly as it found it."""
import contextlib

import torch
from torch import nn

from . import _validate
from .train import ACTIVATIONS, _tensors, model_device

# Where each activation passes (almost) no gradient back: its slope is near 0 there.
#   sigmoid: a < 0.02 or a > 0.98, where the slope a(1 - a) < 0.02 (its best is 0.25, at a = 0.5);
#   tanh:    |a| > 0.98, where the slope 1 - a² < 0.04 (its best is 1);
#   ReLU:    a == 0 exactly: slope 0, the unit is off for this example (off for every example = "dead").
SATURATED = {
    "sigmoid": lambda a: (a < 0.02) | (a > 0.98),
    "tanh": lambda a: a.abs() > 0.98,
    "ReLU": lambda a: a == 0,
}


def gradient_norms(model, X, y, loss_fn):
    """‖∂ℒ/∂W^l‖ (Frobenius norm) for every nn.Linear, in order, after one forward and backward pass (lesson 07).

    The gradients are computed at the current weights with torch.autograd.grad, so nothing is added to the
    parameters' .grad and no weight changes; BatchNorm's running statistics are restored afterwards.
    """
    return _linear_gradients(model, X, y, loss_fn, "weight")


def bias_gradient_norms(model, X, y, loss_fn):
    """‖∂ℒ/∂b^l‖ for every nn.Linear, in order: Nielsen's "speed of learning" of each layer (lesson 07).

    With a mean-reduced loss (PyTorch's default, reduction="mean") ℒ is the average of the examples' losses ℓ,
    so ∂ℒ/∂b^l already is the mean over examples of each example's ∂ℓ/∂b^l = δ^l. Behind a BatchNorm layer a
    bias gets no gradient at all (the norm subtracts the batch mean, and the bias with it): expect 0 there.
    """
    return _linear_gradients(model, X, y, loss_fn, "bias")


def layer_activations(model, X):
    """The output a^l of every activation module of an nn.Sequential, in order, as detached tensors (lesson 07).

    For make_mlp(..., n_layers=k) that is k tensors of shape (N, n_hidden): one per hidden layer.
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential (e.g. from make_mlp), got {type(model).__name__}")
    _validate.model_and_data(model, X)  # a tensor of shape (N, features), N >= 1, as wide as the first layer
    kinds = tuple(ACTIVATIONS.values())
    outputs, a = [], X.to(model_device(model))
    with torch.no_grad(), _buffers_kept(model):
        for layer in model:  # the forward pass, one layer at a time, keeping what each activation returns
            a = layer(a)
            if isinstance(layer, kinds):
                outputs.append(a)
    return outputs


def saturation(a, activation):
    """Fraction of the values in `a` where `activation` ("sigmoid", "tanh", "ReLU") has (almost) no slope (lesson 07)."""
    if not isinstance(a, torch.Tensor):
        raise TypeError(f"a must be a torch.Tensor of activation values, got {type(a).__name__}")
    activation = _validate.choice("activation", activation, SATURATED)
    if a.numel() == 0:
        raise ValueError("a must contain at least one value")
    return SATURATED[activation](a).float().mean().item()


def _linear_gradients(model, X, y, loss_fn, name):
    """The norm of the gradient of the loss with respect to each Linear layer's `name` ("weight" or "bias")."""
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, e.g. nn.CrossEntropyLoss(), got {type(loss_fn).__name__}")
    _tensors(model, X, y)  # a model, X (N, features) as wide as its first layer, one target per row
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("model must contain at least one nn.Linear layer")
    params = [getattr(m, name) for m in linears]
    if any(p is None for p in params):
        raise ValueError(f"every nn.Linear layer must have a {name}; one was built with {name}=False")
    device = model_device(model)
    with _buffers_kept(model):
        loss = loss_fn(model(X.to(device)), y.to(device))
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError("loss_fn must return a single number, e.g. nn.CrossEntropyLoss() (reduction='mean')")
        # autograd.grad returns the gradients instead of adding them to .grad: a learner's .grad is untouched
        grads = torch.autograd.grad(loss, params)
    # in float64: squaring a float32 gradient of 1e-25 inside norm() would underflow to a norm of exactly 0
    return [g.double().norm().item() for g in grads]


@contextlib.contextmanager
def _buffers_kept(model):
    """Restore every buffer (BatchNorm's running mean and variance) on exit: measuring must not train the model.

    In training mode BatchNorm normalises with the batch's own statistics, as it does while learning, and
    updates its running averages as a side effect; we want the first and not the second.
    """
    saved = [b.detach().clone() for b in model.buffers()]
    try:
        yield
    finally:
        with torch.no_grad():
            for buffer, value in zip(model.buffers(), saved):
                buffer.copy_(value)
