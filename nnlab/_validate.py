"""Argument checks shared by nnlab's public functions: each raises with a message naming what was expected."""
import math
import numbers

import matplotlib.colors
import numpy as np


def count(name, value, minimum=1, maximum=None):
    """Return `value` as an int, or raise if it is not a whole number in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum} (at most {maximum}), got {value}")
    return int(value)


def real(name, value, minimum=-math.inf, maximum=math.inf):
    """Return `value` (a number, NumPy scalar or one-element tensor) as a float in [minimum, maximum]."""
    if hasattr(value, "detach") or isinstance(value, np.ndarray):
        if str(value.dtype).endswith("bool"):  # np.bool_ or torch.bool: True is not a number a learner meant
            raise TypeError(f"{name} must be a number, got a {value.dtype} {type(value).__name__}")
        a = to_numpy(name, value)
        if a.size != 1:
            raise ValueError(f"{name} must be a single number, got an array of shape {a.shape}")
        value = a.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise ValueError(f"{name} must be a finite number in [{minimum}, {maximum}], got {value}")
    return float(value)


def seed(value):
    """Return `value` as a seed for torch.Generator.manual_seed, which takes 0 to 2**64 - 1."""
    return count("seed", value, minimum=0, maximum=2**64 - 1)


def color(name, value):
    """Return `value` if matplotlib reads it as a colour, or raise (matplotlib's error does not name the argument)."""
    if not matplotlib.colors.is_color_like(value):
        raise ValueError(f"{name} must be a matplotlib colour such as 'C1', 'tab:blue', '#1f77b4' or (r, g, b); "
                         f"got {value!r}")
    return value


def choice(name, value, options):
    """Return the option matching `value` (case-insensitive), or raise listing the options."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {sorted(options)}; got {value!r}")
    for option in options:
        if option.lower() == value.lower():
            return option
    raise ValueError(f"unknown {name} {value!r}; expected one of {sorted(options)}")


def to_numpy(name, x):
    """Convert a tensor on any device, an array or a list of real numbers to a float64 NumPy array."""
    must, kind = f"{name} must be numeric (an array, tensor or list of real numbers), got", type(x).__name__
    if x is None or isinstance(x, (bool, np.bool_)):  # np.asarray would turn None into NaN, True into 1.0
        raise TypeError(f"{must} {x!r}")
    if hasattr(x, "detach"):  # a torch tensor, possibly on a GPU
        x = x.detach().cpu()
        x = (x if x.is_complex() else x.double()).numpy()  # .double(): NumPy has no bfloat16
    try:
        a = np.asarray(x)
    except ValueError:  # a ragged list such as [[1, 2], [3]]
        raise TypeError(f"{must} a ragged {kind}") from None
    # bools, ints and floats only (or objects holding them): a float cast would drop 1j or parse "1.5" silently
    if a.dtype.kind in "biufO":
        try:
            return a.astype(np.float64, copy=False)
        except (TypeError, ValueError):  # objects that are not numbers
            pass
    raise TypeError(f"{must} {kind} of dtype {a.dtype}")


def points(name, X):
    """Return X as an (N, 2) float64 array of finite points, or raise."""
    a = to_numpy(name, X)
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(f"{name} must have shape (N, 2): one row per point, columns x1 and x2; got shape {a.shape}")
    if len(a) == 0:
        raise ValueError(f"{name} must contain at least one point")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or inf; expected finite coordinates")
    return a


def labels(name, y, n):
    """Return y as an (n,) int array of non-negative class labels, or raise."""
    a = to_numpy(name, y)
    if a.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per point; got shape {a.shape}")
    if not np.isfinite(a).all() or (a < 0).any() or (a != np.round(a)).any():
        raise ValueError(f"{name} must hold class labels 0, 1, 2, ...; got values {np.unique(a)[:5]}")
    return a.astype(int)


def model_and_data(model, X, y=None, X_name="X"):
    """Check, before torch does, that `model` can read X (N, features) and that y has one target per row.

    The expected width is read from the model's first layer with parameters when it is an nn.Linear (the
    lessons' networks); other first layers (a convolution, say) are left to torch.
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(X, torch.Tensor):
        raise TypeError(f"{X_name} must be a torch.Tensor, got {type(X).__name__}")
    if X.ndim != 2:
        raise ValueError(f"{X_name} must have shape (N, features), one row per example; got shape {tuple(X.shape)}")
    if len(X) == 0:  # a loss or an accuracy is a mean over the rows: of no rows it is undefined
        raise ValueError(f"{X_name} has no rows (shape {tuple(X.shape)}); expected at least one example")
    first = next((m for m in model.modules() if next(m.parameters(recurse=False), None) is not None), None)
    if isinstance(first, torch.nn.Linear) and first.in_features != X.shape[1]:
        raise ValueError(f"model's first layer is Linear({first.in_features}, {first.out_features}), so {X_name} "
                         f"must have {first.in_features} columns (features); got {X.shape[1]}")
    if y is not None:
        y_name = "y" if X_name == "X" else f"y{X_name[1:]}"
        if not isinstance(y, torch.Tensor):
            raise TypeError(f"{y_name} must be a torch.Tensor, got {type(y).__name__}")
        if y.ndim == 0 or len(y) != len(X):
            raise ValueError(f"{X_name} and {y_name} must have the same number of rows (one target per example), "
                             f"got {len(X)} and {tuple(y.shape)}")
