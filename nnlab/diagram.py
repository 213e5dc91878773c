"""Diagrams drawn with matplotlib alone (no graphviz): computational graphs for lesson 04."""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import _validate
from .runtime import COLORS


def computation_graph(nodes, edges, values=None, grads=None, ax=None, loss="L"):
    """Draw a computational graph (lesson 04); return the Axes.

    nodes:  {name: (x, y, formula)}, e.g. {"u": (2, 2, "u = w·x")}; leaves may have formula "".
    edges:  [(source, target, local derivative label or "")], e.g. ("w", "u", "∂u/∂w = x").
    values: {name: number} shown under each node (the forward pass), if given.
    grads:  {name: number} shown in orange as ∂L/∂name (the backward pass), if given.
    loss:   the name of the differentiated quantity in those labels, e.g. "ℒ" (lesson 04's notation).
    """
    if not isinstance(nodes, dict) or not nodes:
        raise TypeError("nodes must be a non-empty dict {name: (x, y, formula)}")
    for name, spec in nodes.items():
        if not (isinstance(spec, tuple) and len(spec) == 3 and isinstance(spec[2], str)):
            raise ValueError(f"node {name!r} must be (x, y, formula) in nodes, formula a string; got {spec!r}")
        _validate.real(f"x of node {name!r} in nodes", spec[0])
        _validate.real(f"y of node {name!r} in nodes", spec[1])
    if not isinstance(edges, (list, tuple)):
        raise TypeError(f"edges must be a list of (source, target, label); got {type(edges).__name__}")
    for edge in edges:
        if not (isinstance(edge, (tuple, list)) and len(edge) == 3 and edge[0] in nodes and edge[1] in nodes
                and isinstance(edge[2], str)):
            raise ValueError(f"each edge in edges must be (source, target, label) between known nodes; got {edge!r}")
    if not isinstance(loss, str) or not loss:
        raise TypeError(f"loss must be a non-empty string, the loss's name in the labels; got {loss!r}")
    values, grads = _numbers("values", values, nodes), _numbers("grads", grads, nodes)
    ax = plt.gca() if ax is None else ax
    ax.axis("off")
    ax.set_aspect("equal")

    for source, target, label in edges:
        (x0, y0, _), (x1, y1, _) = nodes[source], nodes[target]
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=14,
                                     shrinkA=30, shrinkB=34, color="0.45", lw=1.2, zorder=1))
        if label:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, label, ha="center", va="bottom", fontsize=8,
                    color="0.3", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    for name, (x, y, formula) in nodes.items():
        lines = [formula or name]
        if name in values:
            lines.append(f"= {values[name]:.4g}")
        ax.add_patch(FancyBboxPatch((x - 0.55, y - 0.38), 1.1, 0.76, boxstyle="round,pad=0.06",
                                    fc="#eef4fa" if formula else "white", ec=COLORS[0], lw=1.5, zorder=2))
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=9, zorder=3)
        if name in grads:
            ax.text(x, y - 0.5, f"∂{loss}/∂{name} = {grads[name]:.4g}", ha="center", va="top", fontsize=8.5,
                    color=COLORS[1], weight="bold", zorder=3)
    xs = [x for x, _, _ in nodes.values()]
    ys = [y for _, y, _ in nodes.values()]
    ax.set(xlim=(min(xs) - 0.9, max(xs) + 0.9), ylim=(min(ys) - 1.0, max(ys) + 0.7))
    return ax


def _numbers(name, numbers, nodes):
    """Check a {node name: number} dict (values or grads) and return it with plain floats."""
    if numbers is None:
        return {}
    if not isinstance(numbers, dict):
        raise TypeError(f"{name} must be a dict {{node name: number}}; got {type(numbers).__name__}")
    unknown = [key for key in numbers if key not in nodes]
    if unknown:  # a typo would otherwise leave a box silently empty
        raise ValueError(f"{name} has unknown node names {unknown}; expected names from nodes: {list(nodes)}")
    return {key: _validate.real(f"{name}[{key!r}]", v) for key, v in numbers.items()}
