"""Figure helpers. Each takes `ax=None`, draws, and returns the Axes; tensors may live on any device."""
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle

from . import _validate
from .runtime import COLORS

MAX_RESOLUTION = 1000  # a 1000 × 1000 grid is already a million model evaluations

MARKERS = "os^Dv<>P"


def _axes(ax):
    return plt.gca() if ax is None else ax


def scatter_classes(X, y, ax=None, size=50, names=None):
    """Scatter 2-D points coloured and shaped by class, with a legend (lessons 01, 06)."""
    X = _validate.points("X", X)
    y = _validate.labels("y", y, len(X))
    size = _validate.real("size", size, minimum=0.0)
    classes = np.unique(y)
    try:
        legend = [names[c] if names is not None else f"class {c}" for c in classes]
    except (IndexError, KeyError, TypeError):
        raise ValueError(f"names must name every class {classes.tolist()} (a list or a dict); got {names!r}") from None
    ax = _axes(ax)
    for c, label in zip(classes, legend):
        ax.scatter(*X[y == c].T, s=size, color=COLORS[c % len(COLORS)], marker=MARKERS[c % len(MARKERS)],
                   edgecolors="white", linewidths=0.8, label=label, zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="best", fontsize=9)
    return ax


def decision_regions(model, X=None, y=None, ax=None, bounds=None, resolution=200, threshold=0.5, names=None):
    """Colour the plane by the class `model` predicts (lessons 01, 06); optionally overlay points X, y.

    `model` is an nn.Module or any callable taking an (M, 2) tensor. Outputs of shape (M, K) with
    K > 1 are scores (the class is the argmax); outputs of shape (M,) or (M, 1) are read as
    "class 1 where output >= threshold".
    """
    if not callable(model):
        raise TypeError(f"model must be an nn.Module or a callable, got {type(model).__name__}")
    resolution = _validate.count("resolution", resolution, minimum=2, maximum=MAX_RESOLUTION)
    threshold = _validate.real("threshold", threshold)
    if y is not None and X is None:  # y alone would be ignored without a word
        raise ValueError("y must come with the points X it labels; got y but X=None")
    if bounds is None:
        pts = _validate.points("X", X) if X is not None else np.array([[-1.0, -1.0], [1.0, 1.0]])
        lo, hi = pts.min(0), pts.max(0)
        pad = 0.1 * (hi - lo).max() + 0.1
        bounds = (lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad)
    x0, x1, y0, y1 = _bounds(bounds)

    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    param = next(model.parameters(), None) if isinstance(model, torch.nn.Module) else None
    grid = torch.tensor(np.c_[xx.ravel(), yy.ravel()],
                        dtype=param.dtype if param is not None else torch.float32,
                        device=param.device if param is not None else "cpu")
    if isinstance(model, torch.nn.Module):  # a network made for other data says so, not torch's matmul error
        _validate.model_and_data(model, grid[:1], X_name="the grid of (x1, x2) points")
    with torch.no_grad():
        out = _validate.to_numpy("model output", model(grid))
    if out.ndim == 2 and len(out) == len(grid) and out.shape[1] > 1:
        cls = out.argmax(1)
    elif out.shape in ((len(grid),), (len(grid), 1)):
        cls = (out.reshape(-1) >= threshold).astype(int)
    else:
        raise ValueError(f"model output must have shape (M,), (M, 1) or (M, K) for M = {len(grid)} "
                         f"grid points; got shape {out.shape}")

    ax = _axes(ax)
    k = max(int(cls.max()) + 1, 2)
    ax.contourf(xx, yy, cls.reshape(xx.shape), levels=np.arange(k + 1) - 0.5,
                colors=[COLORS[c % len(COLORS)] for c in range(k)], alpha=0.22, zorder=0)
    if X is not None:
        scatter_classes(X, y, ax=ax, names=names)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def neuron_line(w, theta, ax=None, bounds=(-0.5, 1.5, -0.5, 1.5), color=COLORS[1], label=None, shade=True):
    """Draw a threshold unit's line w1·x1 + w2·x2 = θ, shade where it fires (≥ θ), arrow along w (lesson 01).

    `shade=False` leaves the firing side unshaded (the arrow still points into it), for a picture
    that shades a region of its own, such as where two units both fire."""
    w, theta, (x0, x1, y0, y1) = _unit(w, theta, bounds)
    color = _validate.color("color", color)
    ax = _axes(ax)

    fires, line, arrow = unit_geometry(w, theta, (x0, x1, y0, y1))
    if fires and shade:
        ax.add_patch(Polygon(fires, closed=True, color=color, alpha=0.15, lw=0, zorder=0))
    if line:  # with w = 0 there is no line: the unit fires everywhere or nowhere
        ax.plot(*np.transpose(line), color=color, lw=2, label=label, zorder=2)
        ax.add_patch(FancyArrowPatch(*arrow, arrowstyle="-|>", mutation_scale=14, color=color, zorder=2))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    return ax


def neuron_diagram(w, theta, x=None, ax=None, output="y"):
    """Draw one threshold unit: inputs, weighted edges, the sum, the step and the output (lesson 01).

    `output` is the output's TeX symbol (lesson 01 writes y-hat); with `x`, the inputs' and the output's values
    are written beside them, 1 in orange and 0 in blue.
    """
    if not isinstance(output, str):
        raise TypeError(f"output must be a TeX symbol such as 'y'; got {output!r}")
    w = _validate.to_numpy("w", w).reshape(-1)
    if not 1 <= len(w) <= 8 or not np.isfinite(w).all():
        raise ValueError(f"w must hold 1 to 8 finite weights; got {w.tolist()}")
    theta = _validate.real("theta", theta)
    if x is not None:
        x = _validate.to_numpy("x", x).reshape(-1)
        if x.shape != w.shape or not np.isfinite(x).all():
            raise ValueError(f"x must hold one value per weight ({len(w)}), all finite; got {x.tolist()}")
    n = len(w)
    ax = _axes(ax)
    cy = (n - 1) / 2
    ax.set(xlim=(-0.2, 10.2), ylim=(cy - max(n, 2) / 2 - 0.2, cy + max(n, 2) / 2 + 0.2), aspect="equal")
    ax.axis("off")
    node = dict(ha="center", va="center", fontsize=12)

    for i, wi in enumerate(w):
        yi = n - 1 - i
        ax.add_patch(Circle((1.2, yi), 0.34, fc="white", ec="0.35", lw=2))
        ax.text(1.2, yi, f"$x_{i + 1}$", **node)
        if x is not None:  # a 0 or 1 input in the lesson's colours (0 blue, 1 orange); other values black
            ax.text(0.35, yi, f"{x[i]:g}", color=COLORS[int(x[i])] if x[i] in (0, 1) else "black",
                    weight="bold", **node)
        end = (4.25, cy + (yi - cy) * 0.35)
        # the edge's width grows with |w| so that 0.3 and 0.6 look different; an inhibitory weight is dashed
        ax.add_patch(FancyArrowPatch((1.55, yi), end, arrowstyle="-|>", mutation_scale=12, color="0.35",
                                     lw=0.5 + 2.5 * min(abs(wi), 2), linestyle="--" if wi < 0 else "-"))
        ax.text(2.55, yi + (end[1] - yi) * 0.4 + 0.17, f"$w_{i + 1}$ = {wi:g}", ha="center", fontsize=9)

    ax.add_patch(Circle((5.0, cy), 0.75, fc="#f3f3f3", ec="black", lw=1.5))
    ax.text(5.0, cy, r"$\Sigma$", ha="center", va="center", fontsize=20)
    ax.text(5.0, cy - 1.0, rf"$z = \sum_i w_i x_i - \theta$,  $\theta$ = {theta:g}", ha="center", fontsize=9)
    ax.add_patch(FancyArrowPatch((5.75, cy), (6.9, cy), arrowstyle="-|>", mutation_scale=12, color="black"))
    # the step drawn as a tiny graph inside its box
    ax.add_patch(Rectangle((6.9, cy - 0.45), 1.0, 0.9, fc="white", ec="black", lw=1.2))
    ax.plot([7.0, 7.4, 7.4, 7.8], [cy - 0.3, cy - 0.3, cy + 0.3, cy + 0.3], color=COLORS[1], lw=2)
    ax.text(7.4, cy + 0.6, "step", ha="center", fontsize=9)
    ax.add_patch(FancyArrowPatch((7.9, cy), (8.9, cy), arrowstyle="-|>", mutation_scale=12, color="black"))
    if x is None:
        ax.text(9.4, cy, f"${output}$", **node)
    else:
        z = float(w @ x) - theta
        ax.text(6.3, cy + 0.25, f"z = {z:.2g}", ha="center", fontsize=9)
        ax.text(9.5, cy, f"${output}$ = {int(z >= 0)}", color=COLORS[int(z >= 0)], weight="bold", **node)
    return ax


def _bounds(bounds):
    b = _validate.to_numpy("bounds", bounds)
    if b.shape != (4,) or not np.isfinite(b).all() or b[0] >= b[1] or b[2] >= b[3]:
        raise ValueError(f"bounds must be (x_min, x_max, y_min, y_max) with min < max; got {b.tolist()}")
    return b.tolist()


def _unit(w, theta, bounds):
    """Check a threshold unit's 2 weights, threshold and box; return them as an array, a float and a list."""
    w = _validate.to_numpy("w", w)
    if w.shape != (2,) or not np.isfinite(w).all():
        raise ValueError(f"w must be 2 finite weights (w1, w2); got {w.tolist()}")
    return w, _validate.real("theta", theta), _bounds(bounds)


def unit_geometry(w, theta, bounds):
    """For the unit w·x >= θ inside a box: the firing polygon, the line's segment, a short arrow along w.

    The polygon is the box clipped to the half-plane (one Sutherland–Hodgman step); the segment and
    the arrow are empty when w = 0. The arrow starts on the line and shows the weight vector's
    direction: perpendicular to the line, pointing into the side that fires.
    """
    w, theta, (x0, x1, y0, y1) = _unit(w, theta, bounds)
    box = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    fires, line = [], []
    for p, q in zip(box, box[1:] + box[:1]):
        sp, sq = w @ p - theta, w @ q - theta
        if sp >= 0:
            fires.append(p)
        if (sp >= 0) != (sq >= 0):
            t = sp / (sp - sq)
            fires.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
            line.append(fires[-1])
    if len(line) < 2:
        return fires, [], []
    # Start the arrow a little along the line from the point nearest the box centre, so that it
    # does not sit on top of lesson 01's input (1, 1); stay at that point if the shift leaves the box.
    size = min(x1 - x0, y1 - y0)
    norm = np.hypot(*w)  # not np.linalg.norm: w·w underflows to 0 for weights below ~1e-154
    unit = w / norm
    mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    foot = mid - (unit @ mid - theta / norm) * unit
    shifted = foot + 0.18 * size * np.array([-unit[1], unit[0]])
    if x0 < shifted[0] < x1 and y0 < shifted[1] < y1:
        foot = shifted
    return fires, line[:2], [tuple(foot), tuple(foot + 0.13 * size * unit)]


def loss_contours(f, bounds, ax=None, levels=12, resolution=150, labels=("$x$", "$y$"), colorbar=None):
    """Shade and outline a loss f(x, y) over a box (lesson 03); `f` takes and returns arrays of one shape.

    An int `levels` places that many contours at quantiles of f over the box, packed towards the low
    end, so that both a steep bowl's rim and its flat floor get lines; or pass the levels themselves.
    `colorbar`, a label, adds a colour bar that says which value each shade stands for (lesson 05).
    """
    if not callable(f):
        raise TypeError(f"f must be a function of two arrays (x, y), got {type(f).__name__}")
    x0, x1, y0, y1 = _bounds(bounds)
    resolution = _validate.count("resolution", resolution, minimum=2, maximum=MAX_RESOLUTION)
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    zz = _validate.to_numpy("f(x, y)", f(xx, yy))
    if zz.shape != xx.shape:
        raise ValueError(f"f must return one value per grid point, shape {xx.shape}; got shape {zz.shape}")
    finite = zz[np.isfinite(zz)]
    if finite.size == 0:
        raise ValueError("f is NaN or inf everywhere in bounds; expected finite values")
    if not (isinstance(labels, (tuple, list)) and len(labels) == 2):
        raise TypeError(f"labels must be two axis labels (x label, y label); got {labels!r}")
    if colorbar is not None and not isinstance(colorbar, str):
        raise TypeError(f"colorbar must be a label (a str) or None; got {type(colorbar).__name__}")
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        levels = _validate.count("levels", levels, minimum=1)
        lv = np.unique(np.quantile(finite, np.linspace(0, 1, levels + 1)[1:] ** 2))
    else:
        lv = np.unique(_validate.to_numpy("levels", levels).reshape(-1))
        if np.ndim(levels) != 1 or lv.size == 0 or not np.isfinite(lv).all():
            raise ValueError(f"levels must be an int or a list of finite numbers; got {levels!r}")
    if lv.size < 2:  # a constant f: one contour line cannot be filled; a relative gap, as 1e6 + 1e-12 == 1e6
        lv = np.array([finite.min(), finite.max() + max(1e-12, 1e-9 * abs(finite.max()))])

    ax = _axes(ax)
    filled = ax.contourf(xx, yy, zz, levels=lv, cmap="Blues_r", alpha=0.45, extend="both", zorder=0)
    ax.contour(xx, yy, zz, levels=lv, colors="0.35", linewidths=0.6, alpha=0.8, zorder=1)
    if colorbar is not None:
        ax.figure.colorbar(filled, ax=ax, label=colorbar, format="%g")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.grid(False)
    return ax


def descent_path(points, ax=None, color=COLORS[1], label=None, markersize=3.5, ends=(None, None)):
    """Draw an optimiser's steps (k, 2) as dots joined by lines: hollow circle at the start, star at the end (lesson 03).

    `ends` gives the start and end marks legend labels of their own, e.g. ("start", "after 100 steps") (lesson 05).
    """
    P = _validate.points("points", points)
    color = _validate.color("color", color)
    markersize = _validate.real("markersize", markersize, minimum=0.0)
    if not (isinstance(ends, (tuple, list)) and len(ends) == 2 and all(e is None or isinstance(e, str) for e in ends)):
        raise TypeError(f"ends must be two legend labels (start, end), each a str or None; got {ends!r}")
    ax = _axes(ax)
    ax.plot(*P.T, "-o", color=color, lw=1.2, markersize=markersize, label=label, zorder=3)
    ax.plot(*P[0], "o", ms=9, mfc="white", mec=color, mew=2, zorder=4, label=ends[0])
    ax.plot(*P[-1], "*", ms=14, color=color, mec="black", mew=0.6, zorder=4, label=ends[1])
    return ax
