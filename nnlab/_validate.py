"""Argument checks shared by nnlab's public functions: each raises with a message naming what was expected."""
import math
import numbers

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
        a = to_numpy(name, value)
        if a.size != 1:
            raise ValueError(f"{name} must be a single number, got an array of shape {a.shape}")
        value = a.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise ValueError(f"{name} must be a finite number in [{minimum}, {maximum}], got {value}")
    return float(value)


def choice(name, value, options):
    """Return the option matching `value` (case-insensitive), or raise listing the options."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {sorted(options)}; got {value!r}")
    for option in options:
        if option.lower() == value.lower():
            return option
    raise ValueError(f"unknown {name} {value!r}; expected one of {sorted(options)}")


def to_numpy(name, x):
    """Convert a tensor on any device, an array or a list to a float64 NumPy array."""
    if hasattr(x, "detach"):  # a torch tensor, possibly on a GPU
        x = x.detach().cpu().numpy()
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numeric (array, tensor or list), got {type(x).__name__}") from None
    return a


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
