"""The dashboard's model side (lesson 06): data sets, input features, a network of any widths, the L1 and L2
penalties, and one forward pass over the view's grid that records every unit of every layer."""
import re

import torch
from torch import nn

from .. import _validate, data

CLASSIFY = {  # name → generator(n_per_class, noise, seed) of points X (N, 2) and class labels y
    "spiral": lambda n, noise, seed: data.spiral(n, 3, noise, seed),
    "XOR": data.xor,
    "circles": data.circles,
    "two moons": data.moons,
    "Gaussian blobs": lambda n, noise, seed: data.blobs(n, 3, noise, seed),
}
REGRESS = {  # Playground's regression sets: 2 × `points` points (as many as two classes), real-valued targets y
    "plane (regression)": lambda n, noise, seed: data.plane(2 * n, noise, seed),
    "Gaussians (regression)": lambda n, noise, seed: data.gaussians(2 * n, noise, seed),
}
DATASETS = {**CLASSIFY, **REGRESS}

# Playground's input features. The data live in about [-1.3, 1.3]², where sin x₁ ≈ x₁ would add nothing;
# sin πx₁ completes a full wave across the data, as Playground's sin x₁ does across its wider plane.
FEATURES = {
    "x₁": lambda X: X[:, 0], "x₂": lambda X: X[:, 1],
    "x₁²": lambda X: X[:, 0] ** 2, "x₂²": lambda X: X[:, 1] ** 2, "x₁x₂": lambda X: X[:, 0] * X[:, 1],
    "sin πx₁": lambda X: torch.sin(torch.pi * X[:, 0]), "sin πx₂": lambda X: torch.sin(torch.pi * X[:, 1]),
}
ASCII = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",  # what code may write instead
         "sin(pi*x1)": "sin πx₁", "sin(pi*x2)": "sin πx₂"}
PENALTIES = ("none", "L1", "L2")
RATES = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)   # Playground's regularisation rates ρ
MAX_LAYERS, MAX_WIDTH, MAX_SHOWN = 6, 128, 12   # a wider layer shows its 12 most active units


def feature_names(names):
    """Validate a collection of feature names (Unicode or ASCII, e.g. "x1^2"); return them in FEATURES order."""
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise TypeError(f"features must be a list of names such as ['x1', 'x2'], got {names!r}")
    chosen = set()
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"features must be names (strings), got {name!r}")
        options = {**{k: k for k in FEATURES}, **ASCII}
        match = next((v for k, v in options.items() if k.lower() == name.replace(" ", "").lower()
                      or k.lower() == name.lower()), None)
        if match is None:
            raise ValueError(f"unknown features entry {name!r}; expected some of {list(FEATURES)} "
                             f"(or {list(ASCII)})")
        chosen.add(match)
    if not chosen:
        raise ValueError("features must name at least one input, e.g. ['x1', 'x2']")
    return [name for name in FEATURES if name in chosen]


def features(X, names):
    """The network's inputs: the chosen features of the points X (N, 2), as columns (N, len(names))."""
    return torch.stack([FEATURES[name](X) for name in names], dim=1)


def parse_widths(text):
    """'8, 8, 4' → [8, 8, 4]: 0 to 6 hidden layers of 1 to 128 units; raise ValueError naming `widths`."""
    if isinstance(text, (list, tuple)):
        widths = [_validate.count("widths entry", w, minimum=1) for w in text]
    else:
        if not isinstance(text, str):
            raise TypeError(f"widths must be a text such as '8, 8, 4' or a list of whole numbers, got {text!r}")
        parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
        if not parts or not all(p.isdigit() for p in parts):
            raise ValueError(f"widths must be whole numbers separated by commas, such as 8, 8, 4; got {text!r}")
        widths = [int(p) for p in parts]
        if parts == ["0"]:  # "0" means no hidden layer, as the layers slider at 0
            widths = []
    if len(widths) > MAX_LAYERS or any(not 1 <= w <= MAX_WIDTH for w in widths):
        raise ValueError(f"widths must be 0 to {MAX_LAYERS} hidden layers of 1 to {MAX_WIDTH} units each, "
                         f"such as 8, 8, 4; got {text!r}")
    return widths


def make_network(n_in, widths, n_out, activation):
    """Linear → activation for each hidden width, then a Linear output layer (PyTorch's default initialisation)."""
    layers, width = [], n_in
    for w in widths:
        layers += [nn.Linear(width, w), activation()]
        width = w
    return nn.Sequential(*layers, nn.Linear(width, n_out))


def weights(model):
    """The weight matrices W¹ … Wᴸ (biases are not penalised, as in Playground)."""
    return [layer.weight for layer in model if isinstance(layer, nn.Linear)]


class PenalisedLoss:
    """The data loss plus ρ·Σ|w| (L1) or ρ·Σw² (L2) over every weight: added to the loss here, not torch's
    weight_decay (which is L2 only, acts inside the optimiser and covers biases too)."""

    def __init__(self, data_loss, model, kind="none", rate=0.0):
        self.data_loss, self.model, self.kind, self.rate = data_loss, model, kind, rate

    def penalty(self):
        """ρ·Σ|w| or ρ·Σw² (a tensor that autograd differentiates), or 0."""
        if self.kind == "none" or self.rate == 0:
            return 0.0
        power = 1 if self.kind == "L1" else 2
        return self.rate * sum(w.abs().pow(power).sum() for w in weights(self.model))

    def __call__(self, out, y):
        return self.data_loss(out, y) + self.penalty()


def exact_zeros(optimizer, loss):
    """Make L1 reach exactly zero. A gradient step on ρ·|w| jumps over 0 instead of landing on it (its slope
    is ±ρ right up to 0), so the weight would flicker around zero. As in Playground, a weight that a step
    carries across zero stops at zero; unlike Playground, which then freezes it for good, it stays there only
    while the data pull on it less than the penalty does, |∂ℒ_data/∂w| ≤ ρ, which is exactly when no small move
    away from zero lowers the loss (the penalty's slope jumps from −ρ to +ρ there)."""
    before = {}

    def remember(*_):
        if loss.kind == "L1" and loss.rate > 0:
            for w in weights(loss.model):
                before[w] = (w.detach().clone(), w.grad.detach().abs() <= loss.rate if w.grad is not None else None)

    def clip(*_):
        with torch.no_grad():
            for w, (old, weak) in before.items():
                crossed = old * w < 0                 # the step jumped over zero
                stays = (old == 0) & weak if weak is not None else old == 0
                w[crossed | stays] = 0.0
        before.clear()

    return optimizer.register_step_pre_hook(remember), optimizer.register_step_post_hook(clip)


def network_snapshot(model, grid, unit_rows, classify):
    """One forward pass over the grid's inputs (G, features): the output at every grid point, and for each layer
    (hidden ones and the output) the shown units' values at `unit_rows` (a coarser grid) with their weights."""
    layers, shown_before = [], None
    h = grid
    with torch.no_grad():
        linears = [i for i, layer in enumerate(model) if isinstance(layer, nn.Linear)]
        for n, i in enumerate(linears):
            W = model[i].weight
            z = model[i](h)
            h = model[i + 1](z) if i + 1 < len(model) else z   # a hidden layer's activation; the output's scores
            values = h[unit_rows]
            if n < len(linears) - 1 and h.shape[1] > MAX_SHOWN:  # the most active units: largest mean |value|
                shown = values.abs().mean(0).topk(MAX_SHOWN).indices.sort().values
            else:
                shown = torch.arange(h.shape[1], device=h.device)
            cols = shown_before if shown_before is not None else torch.arange(W.shape[1], device=W.device)
            layers.append(dict(values=values[:, shown], shown=shown, weights=W[shown][:, cols], width=h.shape[1]))
            shown_before = shown
        out = torch.softmax(h, dim=1) if classify else h
    moved = [{k: (v.cpu().numpy() if torch.is_tensor(v) else v) for k, v in layer.items()} for layer in layers]
    return out.cpu().numpy(), moved
