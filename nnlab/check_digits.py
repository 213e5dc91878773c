"""Exercise feedback for lesson 08 (as nnlab.check.layer_sizes and nnlab.check.beats): ✓ or a hint, never raises."""
import torch
from torch import nn

from . import _validate


def layer_sizes(build, sizes, name=None):
    """Check that `build()` returns a network of Linear layers sizes[0] → sizes[1] → … with an activation between."""
    try:
        _layer_sizes(build, sizes, name)
    except Exception as error:  # feedback must never become a traceback
        print(f"✗ could not check: {error}")


def beats(value, score, baseline, name="your answer", what="score", lower=True):
    """Check that `score(value)` beats `baseline` (is lower, or higher when lower=False); say both numbers."""
    try:
        _beats(value, score, baseline, name, what, lower)
    except Exception as error:
        print(f"✗ could not check {name}: {error}")


def _layer_sizes(build, sizes, name):
    sizes = [_validate.count("sizes", s) for s in sizes]
    if isinstance(build, nn.Module) or not callable(build):
        print(f"✗ expected a function that returns a model, got {type(build).__name__}: pass its name, without ()")
        return
    name = name or getattr(build, "__name__", "your network")
    try:
        model = build()
    except NotImplementedError:
        print(f"✗ {name}: not done yet — replace the `raise NotImplementedError` with your code")
        return
    if not isinstance(model, nn.Module):
        why = " — a missing `return`?" if model is None else ""
        print(f"✗ {name}: expected an nn.Module such as nn.Sequential(...), got {type(model).__name__}{why}")
        return
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    got = [(m.in_features, m.out_features) for m in linears]
    want = list(zip(sizes[:-1], sizes[1:]))
    if got != want:
        said = " → ".join(f"Linear({a}, {b})" for a, b in got) or "no nn.Linear layer"
        hint = ("the number of layers differs" if len(got) != len(want) else
                next(f"layer {k + 1} should be Linear({w[0]}, {w[1]})" for k, (g, w) in enumerate(zip(got, want))
                     if g != w))
        print(f"✗ {name}: it has {said}; {hint}. Each Linear(n_in, n_out) reads n_in numbers and makes n_out.")
        return
    with torch.no_grad():
        x = torch.rand(256, sizes[0], generator=torch.Generator().manual_seed(0))
        out = model(x)
        a, b = x[:128], x[128:]
        linear = torch.allclose(model((a + b) / 2), (model(a) + model(b)) / 2, atol=1e-5)
    if out.shape != (256, sizes[-1]):
        print(f"✗ {name}: for 256 inputs it returns shape {tuple(out.shape)}, expected (256, {sizes[-1]})")
        return
    if linear:
        print(f"✗ {name}: the layers are right, but with nothing between them the network is one linear map — "
              "put an activation such as nn.ReLU() between the layers.")
        return
    count = sum(p.numel() for p in model.parameters())
    expected = sum(a * b + b for a, b in want)
    if count != expected:
        print(f"✗ {name}: {count:,} parameters, expected {expected:,} — is a layer missing its bias, or is there "
              "an extra layer with parameters?")
        return
    print(f"✓ {name}: " + " → ".join(map(str, sizes)) + f" with activations between, {count:,} parameters.")


def _beats(value, score, baseline, name, what, lower):
    if value is None or value is Ellipsis:
        print(f"✗ {name}: not done yet — replace the `...` with your answer")
        return
    baseline = _validate.real("baseline", baseline)
    result = _validate.real(f"the {what}", score(value))
    better = result < baseline if lower else result > baseline
    word = "lower" if lower else "higher"
    if better:
        print(f"✓ {name} = {value}: {what} {result:.3f}, {word} than the baseline's {baseline:.3f}.")
    else:
        print(f"✗ {name} = {value}: {what} {result:.3f}, not {word} than the baseline's {baseline:.3f} — try another.")
