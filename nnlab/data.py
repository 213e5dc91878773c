"""Deterministic data for the lessons: logic-gate truth tables (01), a noisy line (03), city profits and a
noisy parabola (05), the spiral (06, 07), and 2-D toy sets for the training dashboard: circles, moons, blobs,
xor, the regression sets plane and gaussians, plus split() into training and test parts (06); and one real
data set, handwritten digits (07)."""
import csv
import gzip
import itertools
import math
from importlib import resources

import torch

from . import _validate

# The largest noise (and |w|, |b|) the generators take: far beyond any lesson's, and safe from float32's overflow
# to inf near 3.4e38, so the data always stay finite.
_BIG = 1e6

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
    n_inputs = _validate.count("n_inputs", n_inputs, minimum=1, maximum=16)  # 2**16 rows is plenty
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
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

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
    w = _validate.real("w", w, minimum=-_BIG, maximum=_BIG)
    b = _validate.real("b", b, minimum=-_BIG, maximum=_BIG)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

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
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

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
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    X = torch.linspace(-1.0, 1.0, n)[:, None]
    y = X[:, 0] ** 2 + noise * torch.rand(n, generator=g)
    return X, y


# --- Two-dimensional toy sets for the training dashboard (lesson 06) ---------------------------------------------


def circles(n_per_class=100, noise=0.1, seed=0):
    """A disc inside a ring (lesson 06): class 0 within radius 0.5, class 1 between 0.7 and 1; X (N, 2) float32, y int64.

    Radii are drawn so that points cover each area evenly; `noise` adds Gaussian jitter to both coordinates.
    """
    n = _validate.count("n_per_class", n_per_class, minimum=1)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)  # a private generator: the global RNG is untouched
    u = torch.rand(2, n, generator=g)
    r = torch.cat([0.5 * u[0].sqrt(), (0.49 + 0.51 * u[1]).sqrt()])  # sqrt: uniform over area
    t = 2 * math.pi * torch.rand(2 * n, generator=g)
    X = torch.stack([r * torch.cos(t), r * torch.sin(t)], dim=1) + noise * torch.randn(2 * n, 2, generator=g)
    return X, torch.arange(2).repeat_interleave(n)


def moons(n_per_class=100, noise=0.1, seed=0):
    """Two interleaving half-circles (lesson 06), scaled to fit about [-1, 1]²: X (N, 2) float32, y (N,) int64."""
    n = _validate.count("n_per_class", n_per_class, minimum=1)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)
    t = math.pi * torch.rand(2, n, generator=g)
    upper = torch.stack([torch.cos(t[0]), torch.sin(t[0])], dim=1)
    lower = torch.stack([1 - torch.cos(t[1]), 0.5 - torch.sin(t[1])], dim=1)
    X = (torch.cat([upper, lower]) - torch.tensor([0.5, 0.25])) / 1.5 + noise * torch.randn(2 * n, 2, generator=g)
    return X, torch.arange(2).repeat_interleave(n)


def blobs(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """Gaussian blobs (lesson 06): class k centred on a circle of radius 0.6 at angle 2πk/K, standard deviation `noise`.

    X (N, 2) float32, y (N,) int64. With small noise the classes are separable by straight lines.
    """
    n = _validate.count("n_per_class", n_per_class, minimum=1)
    k = _validate.count("n_classes", n_classes, minimum=2)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)
    angle = 2 * math.pi * torch.arange(k) / k + math.pi / 2
    centres = 0.6 * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    y = torch.arange(k).repeat_interleave(n)
    return centres[y] + noise * torch.randn(n * k, 2, generator=g), y


def xor(n_per_class=100, noise=0.15, seed=0):
    """The XOR point cloud (lessons 01, 06): four clusters at (±0.5, ±0.5); class 1 where the signs differ.

    n_per_class points per class (half in each of its two clusters, the odd one in the first), Gaussian
    spread `noise`; X (N, 2) float32, y (N,) int64. No single straight line separates the classes.
    """
    n = _validate.count("n_per_class", n_per_class, minimum=1)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)
    first = (n + 1) // 2
    corner = torch.tensor([[0.5, 0.5], [-0.5, -0.5], [-0.5, 0.5], [0.5, -0.5]])  # class 0, 0, 1, 1
    which = torch.cat([torch.arange(n) >= first, torch.arange(n) >= first]).long() + 2 * torch.arange(2).repeat_interleave(n)
    X = corner[which] + noise * torch.randn(2 * n, 2, generator=g)
    return X, torch.arange(2).repeat_interleave(n)


def plane(n=200, noise=0.1, seed=0):
    """TensorFlow Playground's "plane" regression set (lesson 06): X uniform in [-1, 1]², target y = (x₁ + x₂)/2.

    Gaussian noise of standard deviation `noise` is added to y. X (n, 2) float32, y (n,) float32 in about [-1, 1].
    """
    n = _validate.count("n", n, minimum=1)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)
    X = 2 * torch.rand(n, 2, generator=g) - 1
    return X, X.sum(dim=1) / 2 + noise * torch.randn(n, generator=g)


# Playground's six bumps, scaled to [-1, 1]²: two rows of three, signs alternating like a chessboard's squares.
_BUMPS = torch.tensor([[-0.8, 0.5], [0.0, 0.5], [0.8, 0.5], [-0.8, -0.5], [0.0, -0.5], [0.8, -0.5]])
_SIGNS = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])


def gaussians(n=200, noise=0.1, seed=0):
    """TensorFlow Playground's "multi-Gaussian" regression set (lesson 06): y is a sum of six Gaussian bumps.

    Bumps of height ±1 and width (standard deviation) 0.25 sit at (±0.8 or 0, ±0.5); X is uniform in [-1, 1]²
    and Gaussian noise of standard deviation `noise` is added to y. X (n, 2) float32, y (n,) float32.
    """
    n = _validate.count("n", n, minimum=1)
    noise = _validate.real("noise", noise, minimum=0.0, maximum=_BIG)
    seed = _validate.seed(seed)

    g = torch.Generator().manual_seed(seed)
    X = 2 * torch.rand(n, 2, generator=g) - 1
    squared = ((X[:, None, :] - _BUMPS) ** 2).sum(dim=2)          # (n, 6): squared distance to each bump
    y = (_SIGNS * torch.exp(-squared / (2 * 0.25**2))).sum(dim=1)
    return X, y + noise * torch.randn(n, generator=g)


def split(X, y, train_fraction=0.5, seed=0):
    """Shuffle the rows and split them (lesson 06): X_train, y_train, X_test, y_test; each part keeps >= 1 row."""
    if not isinstance(X, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError(f"X and y must be torch tensors, got {type(X).__name__} and {type(y).__name__}")
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got shapes {tuple(X.shape)} and {tuple(y.shape)}")
    if len(X) < 2:
        raise ValueError(f"need at least 2 rows in X to split into a training and a test part, got {len(X)}")
    for name, t in (("X", X), ("y", y)):
        if t.is_complex() or not torch.isfinite(t).all():
            raise ValueError(f"{name} must hold finite real numbers; got NaN, inf or complex values")
    train_fraction = _validate.real("train_fraction", train_fraction, minimum=0.0, maximum=1.0)
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must lie strictly between 0 and 1, got {train_fraction}")
    seed = _validate.seed(seed)

    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    n_train = min(max(round(train_fraction * len(X)), 1), len(X) - 1)
    train, test = order[:n_train], order[n_train:]
    return X[train], y[train], X[test], y[test]


# --- Real data shipped inside the package (so that it also works on Colab, where only nnlab is installed) ---------


def digits():
    """The 8×8 handwritten digits (lessons 07 and 08): X (1797, 64) float32 in [0, 1], y (1797,) int64 labels 0–9.

    The UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin & Kaynak, 1998; see data/README.md),
    read from nnlab/_data/digits.csv.gz. Each row of the file is 64 pixel counts 0–16 (an 8×8 image, row by
    row: X[i].reshape(8, 8) shows it) and then the label; dividing by 16 puts the pixels in [0, 1].
    """
    # resources.files finds the file wherever nnlab is installed (a wheel, an editable checkout, Colab)
    with (resources.files("nnlab") / "_data" / "digits.csv.gz").open("rb") as raw, \
            gzip.open(raw, "rt", newline="") as file:
        rows = [[int(v) for v in row] for row in csv.reader(file)]
    table = torch.tensor(rows)
    return table[:, :64].float() / 16.0, table[:, 64].long()
