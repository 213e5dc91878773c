"""Property-based tests (hypothesis) of every data generator and plot helper (DESIGN.md §5).

Valid arguments, drawn over the whole valid range: finite data of the promised shape and dtype, and plots that
return their Axes with finite artists; plot inputs come as NumPy arrays, lists and torch tensors. Bad arguments
(zero or negative counts, NaN/inf, bools for numbers, wrong types, shapes or dtypes, unknown names): a
ValueError/TypeError whose message names the argument and says what was expected. The cases tried are counted
in BAD_INPUTS and reported at the end of the run (tests/conftest.py).
"""
import csv
import math
import os
import re
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from matplotlib.figure import Figure

from nnlab import data, diagram, plot, train

# Hypothesis caches unicode tables and constants on disk: in a temporary folder, not in .hypothesis/ in the checkout.
_CACHE = tempfile.TemporaryDirectory(prefix="nnlab-hypothesis-")
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", _CACHE.name)

# The same examples on every run and machine, no database of failures kept, and no timing limits (CI machines
# are slow and shared): a run either passes or fails, whatever the machine.
PROPERTY = dict(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=40, **PROPERTY)  # cheap calls: data generators and bad inputs
SLOW = settings(max_examples=20, **PROPERTY)  # calls that draw

BAD_INPUTS = {"tried": 0, "clear": 0}  # read by pytest_terminal_summary in conftest.py


def rejects(call, name):
    """call() must raise ValueError/TypeError naming the argument `name` and saying what was expected."""
    BAD_INPUTS["tried"] += 1
    try:
        with pytest.raises((ValueError, TypeError)) as error:
            call()
    finally:
        plt.close("all")
    message = str(error.value)
    assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message), f"message does not name {name!r}: {message}"
    assert re.search(r"\b(must|expected|need)\b", message), f"message does not say what was expected: {message}"
    BAD_INPUTS["clear"] += 1


# --- strategies ------------------------------------------------------------------------------------------------

seeds = st.integers(0, 2**64 - 1)  # all that torch.Generator.manual_seed takes


def numbers(lo, hi):
    """A number in [lo, hi] as a float, a NumPy float or a one-element tensor."""
    values = st.floats(lo, hi, allow_subnormal=False)
    return st.one_of(values, values.map(np.float64), values.map(lambda v: torch.tensor(v, dtype=torch.float64)))


def bad_count(minimum, maximum=None):
    """Anything a count must refuse: too small or too large, fractional, NaN/inf, bool, not a number."""
    bad = [st.integers(max_value=minimum - 1), st.floats(), st.floats().map(np.float64), st.booleans(),
           st.none(), st.text(max_size=3), st.complex_numbers(), st.just([minimum])]
    if maximum is not None:
        bad.append(st.integers(min_value=maximum + 1))
    return st.one_of(bad)


def bad_real(minimum=-math.inf, maximum=math.inf):
    """Anything a number in [minimum, maximum] must refuse: out of range, NaN/inf, bool, not a single number."""
    bad = [st.sampled_from([math.nan, math.inf, -math.inf]), st.booleans(), st.booleans().map(np.bool_),
           st.just(torch.tensor(True)), st.just(torch.tensor(math.nan)), st.just(np.array([1.0, 2.0])),
           st.none(), st.text(max_size=3), st.complex_numbers(), st.just([1.0])]
    if minimum > -math.inf:
        bad.append(st.floats(max_value=minimum).filter(lambda v: v < minimum))
    if maximum < math.inf:
        bad.append(st.floats(min_value=maximum).filter(lambda v: v > maximum))
    return st.one_of(bad)


def as_kind(a, kind):
    """The array `a` as a NumPy array, a nested list or a torch tensor (float32 or float64, or int64 labels)."""
    if kind == "list":
        return a.tolist()
    if kind == "float32 tensor":
        return torch.tensor(a, dtype=torch.float32)
    return torch.tensor(a) if kind == "tensor" else a


KINDS = st.sampled_from(["numpy", "list", "tensor", "float32 tensor"])


def plain(x):
    """Any array-like as float64 NumPy, computed independently of nnlab._validate."""
    return x.double().numpy() if isinstance(x, torch.Tensor) else np.array(x, dtype=np.float64)


def coords(shape):
    """Finite coordinates up to 1e6 in size (the range the lessons' plots live in, with room to spare)."""
    return hnp.arrays(np.float64, shape, elements=st.floats(-1e6, 1e6, allow_subnormal=False))


@st.composite
def point_sets(draw, min_points=1, max_points=25):
    """(N, 2) points and their class labels 0..K-1, each in a random representation."""
    n = draw(st.integers(min_points, max_points))
    X = draw(coords((n, 2)))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 5)))
    return as_kind(X, draw(KINDS)), as_kind(y, draw(st.sampled_from(["numpy", "list", "tensor"])))


@st.composite
def bad_arrays(draw, shape):
    """Arrays that are not finite real numbers of `shape`: NaN/inf inside, text, complex, ragged, a dict, a bool."""
    good = np.zeros(shape)
    kind = draw(st.sampled_from(["nan", "text", "complex", "ragged", "dict", "bool"]))
    if kind == "nan":
        good.flat[draw(st.integers(0, good.size - 1))] = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
        return as_kind(good, draw(KINDS))
    if kind == "complex":
        return as_kind(good + 1j, draw(st.sampled_from(["numpy", "list", "tensor"])))
    if kind == "text":
        return draw(st.one_of(st.text(max_size=4), st.just(good.astype(str)), st.just(good.astype(str).tolist())))
    return {"ragged": [[0.0, 1.0], [2.0]], "dict": {"x": 1.0}, "bool": True}[kind]


@st.composite
def wrong_shapes(draw, ok):
    """A finite array whose shape is not accepted by `ok(shape)`."""
    shape = draw(st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple).filter(lambda s: not ok(s)))
    return as_kind(draw(coords(shape)), draw(st.sampled_from(["numpy", "list", "tensor"])))


def assert_finite_artists(ax):
    """Every line, collection, patch and text on `ax` has finite coordinates, and so do the axis limits."""
    assert np.isfinite(ax.get_xlim()).all() and np.isfinite(ax.get_ylim()).all()
    for line in ax.lines:
        assert np.isfinite(line.get_xydata()).all()
    for collection in ax.collections:
        assert np.isfinite(collection.get_offsets()).all()
        for path in collection.get_paths():
            assert np.isfinite(path.vertices).all()
    for patch in ax.patches:
        assert np.isfinite(patch.get_path().vertices).all()
        assert np.isfinite(patch.get_patch_transform().get_matrix()).all()
    for text in ax.texts:
        assert np.isfinite(text.get_position()).all()


def new_axes(use_current):
    """Axes on a fresh figure; with use_current, the helper is called with ax=None and finds them itself."""
    if use_current:
        plt.close("all")
        return plt.subplots()[1]
    return Figure().add_subplot()


# --- data generators: valid arguments ----------------------------------------------------------------------------

@FAST
@given(st.integers(1, 10))
def test_binary_inputs_counts_every_row_once(n):
    X = data.binary_inputs(n)
    assert X.shape == (2**n, n) and X.dtype == torch.float32
    assert set(X.unique().tolist()) <= {0.0, 1.0} and len(set(map(tuple, X.tolist()))) == 2**n


def test_binary_inputs_largest():
    assert data.binary_inputs(16).shape == (2**16, 16)


@FAST
@given(st.sampled_from(sorted(data.GATES)).flatmap(
    lambda g: st.lists(st.booleans(), min_size=len(g), max_size=len(g)).map(
        lambda up: "".join(c.upper() if u else c.lower() for c, u in zip(g, up)))))
def test_logic_gate_any_case(name):
    X, y = data.logic_gate(name)
    n = 1 if name.upper() == "NOT" else 2
    assert X.shape == (2**n, n) and y.shape == (2**n,) and X.dtype == y.dtype == torch.float32
    assert torch.equal(X, data.binary_inputs(n)) and set(y.tolist()) <= {0.0, 1.0}


def labelled(X, y, n, k):
    """The common promise of the 2-D sets: X (n·k, 2) finite float32, y (n·k,) int64 = k blocks of n labels."""
    assert X.shape == (n * k, 2) and X.dtype == torch.float32 and torch.isfinite(X).all()
    assert y.shape == (n * k,) and y.dtype == torch.int64
    assert torch.equal(y, torch.arange(k).repeat_interleave(n))


@FAST
@given(st.integers(1, 40), st.integers(2, 6), numbers(0.0, 1e6), seeds)
def test_spiral(n, k, noise, seed):
    X, y = data.spiral(n, k, noise, seed)
    labelled(X, y, n, k)
    assert X.norm(dim=1).max() <= 1 + 1e-5  # the radius runs from 0 to 1


@FAST
@given(st.integers(2, 60), numbers(-1e6, 1e6), numbers(-1e6, 1e6), numbers(0.0, 1e6), seeds)
def test_noisy_line(n, w, b, noise, seed):
    X, y = data.noisy_line(n, w, b, noise, seed)
    assert X.shape == (n, 1) and y.shape == (n,) and X.dtype == y.dtype == torch.float32
    assert torch.isfinite(y).all() and (X.abs() <= 2).all()


@FAST
@given(st.integers(2, 120), numbers(0.0, 1e6), seeds)
def test_city_profit(n, noise, seed):
    X, y = data.city_profit(n, noise, seed)
    assert X.shape == (n, 1) and y.shape == (n,) and X.dtype == y.dtype == torch.float32
    assert torch.isfinite(y).all() and (X >= 5).all() and (X <= 22).all()


@FAST
@given(st.integers(2, 60), numbers(0.0, 1e6), seeds)
def test_quadratic(n, noise, seed):
    X, y = data.quadratic(n, noise, seed)
    assert X.shape == (n, 1) and y.shape == (n,) and X.dtype == y.dtype == torch.float32
    assert torch.isfinite(y).all() and (X.diff(dim=0) > 0).all() and X[0] == -1 and X[-1] == 1


@FAST
@given(st.sampled_from([data.circles, data.moons, data.xor]), st.integers(1, 40), numbers(0.0, 1e6), seeds)
def test_two_class_sets(generator, n, noise, seed):
    labelled(*generator(n, noise, seed), n, 2)


@FAST
@given(st.integers(1, 40), st.integers(2, 8), numbers(0.0, 1e6), seeds)
def test_blobs(n, k, noise, seed):
    labelled(*data.blobs(n, k, noise, seed), n, k)


@FAST
@given(st.integers(2, 40), st.integers(1, 3), st.sampled_from([torch.float32, torch.float64, torch.int64]),
       st.floats(0, 1, exclude_min=True, exclude_max=True), seeds)
def test_split_keeps_every_row_once(n, d, dtype, fraction, seed):
    X = torch.arange(n * d).reshape(n, d).to(dtype)
    y = torch.arange(n)
    X_train, y_train, X_test, y_test = data.split(X, y, fraction, seed)
    assert len(X_train) >= 1 and len(X_test) >= 1 and len(X_train) + len(X_test) == n
    assert X_train.dtype == X_test.dtype == dtype and X_train.shape[1:] == (d,)
    assert sorted(torch.cat([y_train, y_test]).tolist()) == list(range(n))
    assert torch.equal(X[y_train], X_train) and torch.equal(X[y_test], X_test)  # rows stay whole


def test_digits():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == torch.float32 and y.shape == (1797,) and y.dtype == torch.int64
    assert torch.isfinite(X).all() and X.min() >= 0 and X.max() <= 1 and set(y.tolist()) == set(range(10))


@SLOW
@given(st.integers(2, 60), numbers(0.0, 1e6), seeds, st.booleans())
def test_write_city_profit_round_trips(n, noise, seed, as_path):
    X, y = data.city_profit(n, noise, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "city.csv"
        target = path if as_path else str(path)
        assert data.write_city_profit(target, n, noise, seed) == target
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
    assert rows[0] == ["population", "profit"] and len(rows) == n + 1
    table = np.array(rows[1:], dtype=np.float64)
    assert np.isfinite(table).all()
    np.testing.assert_allclose(table, np.column_stack([X[:, 0].numpy(), y.numpy()]), rtol=1e-6, atol=5e-5)


# --- data generators: bad arguments ------------------------------------------------------------------------------

TWO_D = [data.spiral, data.circles, data.moons, data.blobs, data.xor]
REGRESSION = [data.noisy_line, data.city_profit, data.quadratic]
BAD_DATA = [  # (id, call with the bad value, the argument's name, bad values)
    ("binary_inputs n_inputs", lambda v: data.binary_inputs(v), "n_inputs", bad_count(1, 16)),
    ("logic_gate name", lambda v: data.logic_gate(v), "name", st.one_of(
        st.text(max_size=6).filter(lambda s: s.lower() not in {g.lower() for g in data.GATES}),
        st.none(), st.integers(), st.just(["AND"]))),
    *[(f"{f.__name__} n_per_class", lambda v, f=f: f(n_per_class=v), "n_per_class", bad_count(1)) for f in TWO_D],
    *[(f"{f.__name__} n_classes", lambda v, f=f: f(n_classes=v), "n_classes", bad_count(2))
      for f in (data.spiral, data.blobs)],
    *[(f"{f.__name__} n", lambda v, f=f: f(n=v), "n", bad_count(2)) for f in REGRESSION],
    *[(f"{f.__name__} noise", lambda v, f=f: f(noise=v), "noise", bad_real(0.0, 1e6)) for f in TWO_D + REGRESSION],
    *[(f"{f.__name__} seed", lambda v, f=f: f(seed=v), "seed", bad_count(0, 2**64 - 1)) for f in TWO_D + REGRESSION],
    ("noisy_line w", lambda v: data.noisy_line(w=v), "w", bad_real(-1e6, 1e6)),
    ("noisy_line b", lambda v: data.noisy_line(b=v), "b", bad_real(-1e6, 1e6)),
    ("write_city_profit path", lambda v: data.write_city_profit(v, n=3), "path",
     st.one_of(st.none(), st.integers(), st.floats(), st.just(["city.csv"]))),
    ("write_city_profit n", lambda v: data.write_city_profit(os.devnull, n=v), "n", bad_count(2)),
    ("split X", lambda v: data.split(v, torch.zeros(4)), "X", st.one_of(
        st.just([[0.0, 1.0]] * 4), st.just(np.zeros((4, 2))), st.none(), st.just(torch.zeros(3, 2)),
        st.just(torch.tensor(1.0)), st.just(torch.zeros(1, 2)), st.just(torch.zeros(4, 2, dtype=torch.complex64)),
        st.sampled_from([math.nan, math.inf, -math.inf]).map(lambda v: torch.tensor([[0.0, 0.0]] * 3 + [[v, 0.0]])))),
    ("split y", lambda v: data.split(torch.zeros(4, 2), v), "y", st.one_of(
        st.just([0, 1, 0, 1]), st.none(), st.just(torch.zeros(3)), st.just(torch.tensor(1)),
        st.just(torch.tensor([0.0, 1.0, math.nan, 0.0])))),
    ("split train_fraction", lambda v: data.split(torch.zeros(4, 2), torch.zeros(4), v), "train_fraction",
     st.one_of(bad_real(0.0, 1.0), st.sampled_from([0, 0.0, 1, 1.0]))),
    ("split seed", lambda v: data.split(torch.zeros(4, 2), torch.zeros(4), 0.5, v), "seed", bad_count(0, 2**64 - 1)),
]


# --- plot helpers: valid arguments -------------------------------------------------------------------------------

@st.composite
def class_names(draw, y):
    """None, or names for the classes in y as a list or a dict."""
    k = int(plain(y).max()) + 1
    kind = draw(st.sampled_from(["none", "list", "dict"]))
    if kind == "none":
        return None
    names = [f"class {c}!" for c in range(k)]
    return names if kind == "list" else dict(enumerate(names))


@SLOW
@given(point_sets(), st.floats(0, 300), st.booleans(), st.data())
def test_scatter_classes(points, size, use_current, pick):
    X, y = points
    names = pick.draw(class_names(y))
    ax = new_axes(use_current)
    assert plot.scatter_classes(X, y, ax=None if use_current else ax, size=size, names=names) is ax
    X, y = plain(X), plain(y)
    assert len(ax.collections) == len(np.unique(y))
    for collection, c in zip(ax.collections, np.unique(y)):
        np.testing.assert_allclose(collection.get_offsets(), X[y == c])
    assert_finite_artists(ax)
    plt.close("all")


@st.composite
def boxes(draw, scale=1e3):
    """(x_min, x_max, y_min, y_max) with min < max, as a tuple, list, array or tensor."""
    x0, y0 = draw(st.floats(-scale, scale)), draw(st.floats(-scale, scale))
    width, height = draw(st.floats(1e-3, scale)), draw(st.floats(1e-3, scale))
    return as_kind(np.array([x0, x0 + width, y0, y0 + height]), draw(KINDS))


@st.composite
def models(draw):
    """A linear model of points with K = 1..4 outputs: an nn.Module, or a function returning (M,), (M, 1) or (M, K)."""
    k = draw(st.integers(1, 4))
    W = torch.tensor(draw(coords((2, k))) / 1e5)
    b = torch.tensor(draw(coords(k)) / 1e5)
    kind = draw(st.sampled_from(["module", "function", "flat"] if k == 1 else ["module", "function"]))
    if kind == "module":
        module = torch.nn.Linear(2, k).to(draw(st.sampled_from([torch.float32, torch.float64])))
        with torch.no_grad():
            module.weight.copy_(W.T)
            module.bias.copy_(b)
        return module
    if kind == "flat":
        return lambda P: (P.double() @ W + b)[:, 0]
    return lambda P: P.double() @ W + b


@SLOW
@given(models(), st.one_of(st.none(), point_sets(max_points=10)), st.one_of(st.none(), boxes()),
       st.integers(2, 30), numbers(-10, 10), st.booleans())
def test_decision_regions(model, points, bounds, resolution, threshold, use_current):
    X, y = points if points is not None else (None, None)
    ax = new_axes(use_current)
    assert plot.decision_regions(model, X, y, ax=None if use_current else ax, bounds=bounds,
                                 resolution=resolution, threshold=threshold) is ax
    if bounds is not None:
        np.testing.assert_allclose([*ax.get_xlim(), *ax.get_ylim()], plain(bounds))
    elif X is not None:  # the box grows to hold every point
        lo, hi = plain(X).min(0), plain(X).max(0)
        assert ax.get_xlim()[0] < lo[0] and ax.get_xlim()[1] > hi[0] and ax.get_ylim()[0] < lo[1]
    assert_finite_artists(ax)
    plt.close("all")


weights2 = st.one_of(hnp.arrays(np.float64, 2, elements=st.floats(-10, 10)), st.just(np.zeros(2)))  # tiny too


@SLOW
@given(weights2, KINDS, numbers(-10, 10), boxes(scale=10),
       st.sampled_from(["C0", "tab:orange", "#1f77b4", (0.1, 0.2, 0.3), "black"]), st.booleans())
def test_neuron_line(w, kind, theta, bounds, color, use_current):
    ax = new_axes(use_current)
    assert plot.neuron_line(as_kind(w, kind), theta, ax=None if use_current else ax, bounds=bounds, color=color) is ax
    np.testing.assert_allclose([*ax.get_xlim(), *ax.get_ylim()], plain(bounds))
    assert len(ax.lines) <= 1 and len(ax.patches) <= 2
    tol = 1e-5 * (1 + np.abs(w).sum()) * (1 + np.abs(plain(bounds)).max())  # float32 tensors round w a little
    for line in ax.lines:  # the drawn segment lies on w·x = θ
        np.testing.assert_allclose(line.get_xydata() @ w, plain(theta), atol=tol)
    assert_finite_artists(ax)
    plt.close("all")


@FAST
@given(weights2, numbers(-10, 10), boxes(scale=10))
@example(np.array([1e-200, 0.0]), 0.0, (-1, 1, -1, 1))  # a line through the box, though w·w underflows to 0
def test_unit_geometry(w, theta, bounds):
    fires, line, arrow = plot.unit_geometry(w, theta, bounds)
    theta, tol = float(plain(theta)), 1e-9 * (1 + np.abs(w).sum()) * (1 + np.abs(plain(bounds)).max())
    assert np.isfinite(np.array(fires, dtype=float)).all()
    assert all(np.array(p) @ w >= theta - tol for p in fires)  # every corner of the polygon fires
    assert len(line) in (0, 2) and len(arrow) == len(line)
    if line:
        np.testing.assert_allclose(np.array(line) @ w, theta, atol=tol)
        start, end = map(np.array, arrow)
        assert np.isfinite([start, end]).all() and end @ w >= start @ w  # pointing into the side that fires
    if not w.any():
        assert line == []


@SLOW
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(coords(n), st.one_of(st.none(), coords(n)))), KINDS,
       numbers(-1e6, 1e6), st.booleans())
def test_neuron_diagram(wx, kind, theta, use_current):
    w, x = wx
    ax = new_axes(use_current)
    assert plot.neuron_diagram(as_kind(w, kind), theta, x=None if x is None else as_kind(x, kind),
                               ax=None if use_current else ax) is ax
    texts = [t.get_text() for t in ax.texts]
    assert sum(t.startswith("$w_") for t in texts) == len(w)
    assert any(t in ("$y$", "$y$ = 0", "$y$ = 1") for t in texts)
    assert_finite_artists(ax)
    plt.close("all")


@st.composite
def surfaces(draw):
    """A loss f(x, y): a tilted bowl (any curvature, also flat), returning NumPy arrays or tensors."""
    flat = draw(st.booleans())  # a constant f, also with a large offset: its two levels must still differ
    a, b, c, d = (0.0 if flat else draw(st.floats(-100, 100)) for _ in range(4))
    e = draw(st.floats(-1e6, 1e6))
    torch_out = draw(st.booleans())

    def f(x, y):
        z = a * x**2 + b * y**2 + c * x * y + d * x + e
        return torch.as_tensor(z) if torch_out else z
    return f


@SLOW
@given(surfaces(), boxes(scale=10), st.one_of(st.integers(1, 15), st.builds(
    as_kind, hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e4, 1e4)), KINDS)),
    st.integers(2, 40), st.sampled_from([("$w$", "$b$"), ["x", "y"]]), st.booleans())
def test_loss_contours(f, bounds, levels, resolution, labels, use_current):
    ax = new_axes(use_current)
    assert plot.loss_contours(f, bounds, ax=None if use_current else ax, levels=levels, resolution=resolution,
                              labels=labels) is ax
    np.testing.assert_allclose([*ax.get_xlim(), *ax.get_ylim()], plain(bounds))
    assert len(ax.collections) == 2 and (ax.get_xlabel(), ax.get_ylabel()) == tuple(labels)
    assert_finite_artists(ax)
    plt.close("all")


@SLOW
@given(st.integers(1, 30).flatmap(lambda k: coords((k, 2))), KINDS, st.floats(0, 20), st.booleans())
def test_descent_path(P, kind, markersize, use_current):
    ax = new_axes(use_current)
    assert plot.descent_path(as_kind(P, kind), ax=None if use_current else ax, markersize=markersize, label="GD") is ax
    steps, start, end = ax.lines
    expected = plain(as_kind(P, kind))
    np.testing.assert_allclose(steps.get_xydata(), expected)
    assert start.get_xydata().tolist() == [expected[0].tolist()]
    assert end.get_xydata().tolist() == [expected[-1].tolist()]
    assert_finite_artists(ax)
    plt.close("all")


@st.composite
def graphs(draw):
    """nodes {name: (x, y, formula)}, edges between them, and values and grads for some of the nodes."""
    names = draw(st.lists(st.text("wxbuzLry", min_size=1, max_size=3), min_size=1, max_size=6, unique=True))
    place = st.floats(-100, 100)
    nodes = {n: (draw(place), draw(place), draw(st.sampled_from(["", f"{n} = w·x"]))) for n in names}
    edges = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names), st.sampled_from(["", "∂u/∂w"])),
                          max_size=6))
    some = st.dictionaries(st.sampled_from(names), numbers(-1e6, 1e6), max_size=len(names))
    return nodes, edges, draw(st.one_of(st.none(), some)), draw(st.one_of(st.none(), some))


@SLOW
@given(graphs(), st.booleans())
def test_computation_graph(graph, use_current):
    nodes, edges, values, grads = graph
    ax = new_axes(use_current)
    assert diagram.computation_graph(nodes, edges, values, grads, ax=None if use_current else ax) is ax
    assert len(ax.patches) == len(nodes) + len(edges)
    assert sum(t.get_text().startswith("∂L/∂") for t in ax.texts) == len(grads or {})
    assert_finite_artists(ax)
    plt.close("all")


# --- plot helpers: bad arguments ---------------------------------------------------------------------------------

def quiet_model(P):
    return P[:, 0]


def bowl(x, y):
    return x**2 + y**2


def is_points_shape(shape):
    return len(shape) == 2 and shape[0] > 0 and shape[1] == 2  # (N, 2) with N >= 1


bad_points = st.one_of(bad_arrays((3, 2)), wrong_shapes(is_points_shape))
bad_bounds = st.one_of(bad_arrays((4,)), wrong_shapes(lambda s: s == (4,)),
                       st.sampled_from([(1, 0, 0, 1), (0, 1, 1, 1), (0, 0, 0, 1), [0, 1, 2, -2]]))
bad_colors = st.one_of(st.sampled_from(["notacolor", "C", (0.1, 0.2), (2.0, 0.0, 0.0), 3.5]), st.none())
bad_w2 = st.one_of(bad_arrays((2,)), wrong_shapes(lambda s: s == (2,)), st.none())
GOOD_NODES = {"w": (0, 1, ""), "x": (0, 0, ""), "u": (2, 0.5, "u = w·x")}

BAD_PLOTS = [  # (id, call with the bad value, the argument's name, bad values)
    ("scatter_classes X", lambda v: plot.scatter_classes(v, [0, 1, 0]), "X", st.one_of(bad_points, st.none())),
    ("scatter_classes y", lambda v: plot.scatter_classes(np.zeros((3, 2)), v), "y", st.one_of(
        bad_arrays((3,)), st.none(), wrong_shapes(lambda s: s == (3,)),
        st.sampled_from([[0, -1, 0], [0, 0.5, 1], [1, 2, 1e400]]))),
    ("scatter_classes size", lambda v: plot.scatter_classes(np.zeros((3, 2)), [0, 1, 0], size=v), "size",
     bad_real(0.0)),
    ("scatter_classes names", lambda v: plot.scatter_classes(np.zeros((3, 2)), [0, 2, 0], names=v), "names",
     st.sampled_from([["a"], ["a", "b"], {0: "a", 1: "b"}, 5])),
    ("decision_regions model", lambda v: plot.decision_regions(v), "model", st.one_of(
        st.none(), st.integers(), st.text(max_size=3), st.just(torch.zeros(2)),
        st.sampled_from([lambda P: P[:3], lambda P: P.sum(), lambda P: P[:, :, None], lambda P: "text",
                         lambda P: P.to(torch.complex64)]))),
    ("decision_regions X", lambda v: plot.decision_regions(quiet_model, v, None), "X", bad_points),  # None: no points
    ("decision_regions y", lambda v: plot.decision_regions(quiet_model, None, v), "y",
     st.one_of(st.just([0, 1]), st.just(np.zeros(3)))),
    ("decision_regions bounds", lambda v: plot.decision_regions(quiet_model, bounds=v), "bounds",
     bad_bounds),  # None: fit the box to X
    ("decision_regions resolution", lambda v: plot.decision_regions(quiet_model, resolution=v), "resolution",
     bad_count(2, plot.MAX_RESOLUTION)),  # too large to allocate: a clear error, not a MemoryError
    ("decision_regions threshold", lambda v: plot.decision_regions(quiet_model, threshold=v), "threshold",
     bad_real()),
    ("neuron_line w", lambda v: plot.neuron_line(v, 0.5), "w", bad_w2),
    ("neuron_line theta", lambda v: plot.neuron_line([1, 1], v), "theta", bad_real()),
    ("neuron_line bounds", lambda v: plot.neuron_line([1, 1], 0.5, bounds=v), "bounds",
     st.one_of(bad_bounds, st.none())),
    ("neuron_line color", lambda v: plot.neuron_line([1, 1], 0.5, color=v), "color", bad_colors),
    ("unit_geometry w", lambda v: plot.unit_geometry(v, 0.5, (0, 1, 0, 1)), "w", bad_w2),
    ("unit_geometry theta", lambda v: plot.unit_geometry(np.ones(2), v, (0, 1, 0, 1)), "theta", bad_real()),
    ("unit_geometry bounds", lambda v: plot.unit_geometry(np.ones(2), 0.5, v), "bounds",
     st.one_of(bad_bounds, st.none())),
    ("neuron_diagram w", lambda v: plot.neuron_diagram(v, 0.5), "w",
     st.one_of(bad_arrays((3,)), st.none(), st.sampled_from([[], np.zeros(9), np.zeros((3, 3))]))),
    ("neuron_diagram theta", lambda v: plot.neuron_diagram([1, 1], v), "theta", bad_real()),
    ("neuron_diagram x", lambda v: plot.neuron_diagram([1, 1], 0.5, x=v), "x",
     st.one_of(bad_arrays((2,)), wrong_shapes(lambda s: int(np.prod(s)) == 2))),
    ("loss_contours f", lambda v: plot.loss_contours(v, (0, 1, 0, 1)), "f", st.one_of(
        st.none(), st.integers(), st.text(max_size=3),
        st.sampled_from([lambda x, y: x[0], lambda x, y: 1.0, lambda x, y: x * math.nan, lambda x, y: x + 1j,
                         lambda x, y: np.full(x.shape, "z")]))),
    ("loss_contours bounds", lambda v: plot.loss_contours(bowl, v), "bounds", st.one_of(bad_bounds, st.none())),
    ("loss_contours levels", lambda v: plot.loss_contours(bowl, (0, 1, 0, 1), levels=v), "levels", st.one_of(
        st.integers(max_value=0), st.booleans(), st.none(), st.text(max_size=3), st.floats(),
        st.sampled_from([[], [0.1, math.nan], [[0.1, 0.2]], [1j, 2j], np.array([0.1, math.inf])]))),
    ("loss_contours resolution", lambda v: plot.loss_contours(bowl, (0, 1, 0, 1), resolution=v), "resolution",
     bad_count(2, plot.MAX_RESOLUTION)),
    ("loss_contours labels", lambda v: plot.loss_contours(bowl, (0, 1, 0, 1), labels=v), "labels",
     st.sampled_from([None, "x", ("x",), ("x", "y", "z"), 3])),
    ("descent_path points", lambda v: plot.descent_path(v), "points", st.one_of(bad_points, st.none())),
    ("descent_path color", lambda v: plot.descent_path([[0, 0], [1, 1]], color=v), "color", bad_colors),
    ("descent_path markersize", lambda v: plot.descent_path([[0, 0], [1, 1]], markersize=v), "markersize",
     bad_real(0.0)),
    ("computation_graph nodes", lambda v: diagram.computation_graph(v, []), "nodes", st.one_of(
        st.none(), st.just({}), st.just([("w", 0, 0, "")]),
        st.sampled_from([(0, 1), (0, 1, 2), [0, 1, ""], (math.nan, 0, ""), (0, math.inf, ""), ("a", 0, ""),
                         (True, 0, "")]).map(lambda spec: {"w": spec}))),
    ("computation_graph edges", lambda v: diagram.computation_graph(GOOD_NODES, v), "edges", st.one_of(
        st.none(), st.just(3), st.just("wu"),
        st.sampled_from([("w", "v", ""), ("w", "u"), ("w", "u", "", ""), "wu ", 7, ("w", "u", 3)]).map(
            lambda edge: [edge]))),
    ("computation_graph values", lambda v: diagram.computation_graph(GOOD_NODES, [], values=v), "values", st.one_of(
        st.just([1.0]), st.just({"v": 1.0}), bad_real().map(lambda bad: {"u": bad}))),
    ("computation_graph grads", lambda v: diagram.computation_graph(GOOD_NODES, [], grads=v), "grads", st.one_of(
        st.just("w"), st.just({"L": 1.0}), bad_real().map(lambda bad: {"w": bad}))),
]


@pytest.mark.parametrize("call, name, bad", [case[1:] for case in BAD_DATA + BAD_PLOTS],
                         ids=[case[0] for case in BAD_DATA + BAD_PLOTS])
@FAST
@given(st.data())
def test_data_generators_and_plot_helpers_reject_bad_arguments(call, name, bad, pick):
    value = pick.draw(bad, label=name)
    rejects(lambda: call(value), name)


# --- where nnlab meets torch: a model and its data (issue 14 §4) ---------------------------------------------------

def three_in():
    """A network whose first layer takes 3 features."""
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))


def labels_for(X):
    return torch.zeros(len(X), dtype=torch.long)


def one_fit(X, y, test=None):
    model = three_in()
    return train.fit(model, X, y, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), 1,
                     test=test)


other_widths = st.integers(1, 6).filter(lambda k: k != 3)
wrong_width = st.tuples(st.integers(1, 6), other_widths).map(lambda s: torch.zeros(*s))     # model wants 3
no_rows = st.integers(0, 6).map(lambda k: torch.zeros(0, k))                                 # nothing to average
other_lengths = st.integers(0, 9).filter(lambda n: n != 5).map(lambda n: torch.zeros(n, dtype=torch.long))
not_two_in = st.integers(1, 6).filter(lambda k: k != 2).map(lambda k: torch.nn.Linear(k, 2))

BAD_MODEL_DATA = [  # (id, call with the bad value, the argument's name, bad values)
    ("accuracy X width", lambda v: train.accuracy(three_in(), v, labels_for(v)), "X", wrong_width),
    ("accuracy X empty", lambda v: train.accuracy(three_in(), v, labels_for(v)), "X", no_rows),
    ("accuracy y length", lambda v: train.accuracy(three_in(), torch.zeros(5, 3), v), "y", other_lengths),
    ("fit X width", lambda v: one_fit(v, labels_for(v)), "X", wrong_width),
    ("fit X empty", lambda v: one_fit(v, labels_for(v)), "X", no_rows),
    ("fit y length", lambda v: one_fit(torch.zeros(5, 3), v), "y", other_lengths),
    ("fit X_test width", lambda v: one_fit(torch.zeros(5, 3), labels_for(torch.zeros(5)), (v, labels_for(v))),
     "X_test", wrong_width),
    ("fit y_test length", lambda v: one_fit(torch.zeros(5, 3), labels_for(torch.zeros(5)), (torch.zeros(5, 3), v)),
     "y_test", other_lengths),
    ("decision_regions model width", lambda v: plot.decision_regions(v), "model", not_two_in),
]


@pytest.mark.parametrize("call, name, bad", [case[1:] for case in BAD_MODEL_DATA],
                         ids=[case[0] for case in BAD_MODEL_DATA])
@FAST
@given(st.data())
def test_a_model_and_its_data_are_checked_before_torch(call, name, bad, pick):
    value = pick.draw(bad, label=name)
    rejects(lambda: call(value), name)
