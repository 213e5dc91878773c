"""Deterministic data for the lessons: logic-gate truth tables (01), a noisy line (03), city profits and a
noisy parabola (05), the spiral (06, 07)."""
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


def city_profit(n=97, noise=3.0, seed=0):
    """Synthetic look-alike of the city population vs profit data (lesson 05): X (n, 1), y (n,); float32.

    Population is in units of 10,000 people, from 5 to 22, with more small cities than large
    ones (5 + 17·u² for u uniform in [0, 1)); profit, in units of $10,000, follows the line
    −3.9 + 1.2·population plus Gaussian noise of standard deviation `noise`, so some small cities
    make a loss. Both are rounded to 4 decimals, so the numbers (and data/city_profit.csv) are
    the same on every machine.
    """
    n = _validate.count("n", n, minimum=2)  # a line needs two points
    noise = _validate.real("noise", noise, minimum=0.0)
    seed = _validate.count("seed", seed, minimum=0)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    population = 5.0 + 17.0 * torch.rand(n, generator=g, dtype=torch.float64) ** 2
    profit = -3.9 + 1.2 * population + noise * torch.randn(n, generator=g, dtype=torch.float64)
    X = torch.round(population, decimals=4).float()[:, None]
    y = torch.round(profit, decimals=4).float()
    return X, y


def write_city_profit(path, n=97, noise=3.0, seed=0):
    """Write city_profit() as a CSV with header `population,profit` (how data/city_profit.csv is made, lesson 05)."""
    if not (isinstance(path, str) or hasattr(path, "__fspath__")):
        raise TypeError(f"path must be a file name (str or pathlib.Path), got {type(path).__name__} {path!r}")
    X, y = city_profit(n=n, noise=noise, seed=seed)
    rows = [f"{x:.4f},{t:.4f}" for x, t in zip(X[:, 0].tolist(), y.tolist())]
    # newline="\n": the same bytes on Windows, so the file can be compared with the shipped one
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        file.write("population,profit\n" + "\n".join(rows) + "\n")
    return path


def quadratic(n=100, noise=0.2, seed=0):
    """Points near the parabola y = x² (lesson 05): X (n, 1) evenly spaced in [-1, 1], y (n,); float32.

    y = x² + noise·u with u uniform in [0, 1), as in the classic PyTorch example. The noise is never
    negative, so the best any model can do is the curve x² + noise/2, and even that misses by
    noise²/12 on average (the mean squared error of uniform noise around its middle).
    """
    n = _validate.count("n", n, minimum=2)
    noise = _validate.real("noise", noise, minimum=0.0)
    seed = _validate.count("seed", seed, minimum=0)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    X = torch.linspace(-1.0, 1.0, n)[:, None]
    y = X[:, 0] ** 2 + noise * torch.rand(n, generator=g)
    return X, y
