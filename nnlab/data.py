"""Deterministic data for the lessons: logic-gate truth tables (01), a noisy line (03), the spiral (06, 07)."""
import itertools

import torch

from . import _validate

# Each gate as a rule on binary inputs; the truth tables below are generated from these.
GATES = {
    "AND": lambda x1, x2: x1 and x2,
    "OR": lambda x1, x2: x1 or x2,
    "NAND": lambda x1, x2: not (x1 and x2),
    "NOR": lambda x1, x2: not (x1 or x2),
    "XOR": lambda x1, x2: x1 != x2,
    "NOT": lambda x1: not x1,
}


def binary_inputs(n_inputs):
    """All 2**n rows of n binary inputs in counting order (00, 01, 10, 11 for n = 2), as floats."""
    n_inputs = _validate.count("n_inputs", n_inputs, minimum=1)
    if n_inputs > 16:
        raise ValueError(f"n_inputs must be at most 16 (2**n rows), got {n_inputs}")
    return torch.tensor(list(itertools.product([0.0, 1.0], repeat=n_inputs)))


def logic_gate(name):
    """Truth table of a gate (AND, OR, NOT, NAND, NOR, XOR): inputs X of shape (rows, n) and targets y."""
    name = _validate.choice("gate name", name, GATES)
    rule = GATES[name]
    X = binary_inputs(rule.__code__.co_argcount)
    y = torch.tensor([float(rule(*map(bool, row))) for row in X.tolist()])
    return X, y


def spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class (the CS231n construction): X (N, 2) float32, y (N,) int64.

    Arm k sweeps radius r from 0 to 1 while its angle runs from 4k to 4(k+1) radians, plus
    Gaussian angle noise. Every arm starts at r = 0, so each class has one point at the origin.
    """
    n = _validate.count("n_per_class", n_per_class, minimum=1)
    k = _validate.count("n_classes", n_classes, minimum=2)
    noise = _validate.real("noise", noise, minimum=0.0)
    seed = _validate.count("seed", seed, minimum=0)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    r = torch.linspace(0.0, 1.0, n).repeat(k)
    arm = torch.arange(k).repeat_interleave(n)
    t = torch.linspace(0.0, 4.0, n).repeat(k) + 4.0 * arm + noise * torch.randn(n * k, generator=g)
    X = torch.stack([r * torch.sin(t), r * torch.cos(t)], dim=1)
    return X, arm


def noisy_line(n=100, w=2.0, b=-1.0, noise=0.5, seed=0):
    """Points near the line y = w·x + b (lesson 03): X (n, 1) uniform in [-2, 2], y (n,) with Gaussian noise; float32.

    X is a column (one feature per row), the shape nn.Linear(1, 1) expects; `noise` is the standard
    deviation of what is added to each y, so the best line any method can find differs a little
    from (w, b).
    """
    n = _validate.count("n", n, minimum=2)  # a line needs two points
    w = _validate.real("w", w)
    b = _validate.real("b", b)
    noise = _validate.real("noise", noise, minimum=0.0)
    seed = _validate.count("seed", seed, minimum=0)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    X = 4.0 * torch.rand(n, 1, generator=g) - 2.0
    y = w * X[:, 0] + b + noise * torch.randn(n, generator=g)
    return X, y
