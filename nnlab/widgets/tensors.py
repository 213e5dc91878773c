"""Lesson 00's explorer: two shapes and an operation; the result's shape, or PyTorch's error in plain words.

Tensors are drawn as grids of numbered cells (a 1-D tensor as one row, or as a column where @ uses it as one).
A cell that broadcasting repeats is drawn hatched: PyTorch stores it once and reads the same number again, nothing
is copied in memory. The words come from nnlab.shapes.
"""
import functools
import textwrap
from typing import NamedTuple

import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, IdentityTransform

from .. import _validate
from ..runtime import COLORS
from ..shapes import OPERATIONS, describe, numbered, operate, outcome
from .base import Explorer, dropdown, slider

MAX_SIZE = 5  # the largest size a slider offers: enough for every rule, small enough to read every cell
MENU = {"*": "A * B   (element-wise)", "@": "A @ B   (matrix product)"}  # the dropdown's words, where not just code


def _tint(color, amount):
    """`color` mixed with white: amount 1 is the colour itself, 0 is white."""
    return tuple(1 - amount * (1 - np.array(matplotlib.colors.to_rgb(color))))


# A blue, B orange, results green (Okabe–Ito, as in every lesson); broadcast copies paler and hatched.
FILL = {"A": _tint(COLORS[0], 0.35), "B": _tint(COLORS[1], 0.35), "result": _tint(COLORS[2], 0.35)}
COPY = {name: _tint(color, 0.12) for name, color in zip(FILL, COLORS)}
EDGE = {name: _tint(color, 0.8) for name, color in zip(FILL, COLORS)}


# --- drawing --------------------------------------------------------------------------------------------------

class Grid(NamedTuple):
    """One tensor as drawn: its numbers (2-D), who each cell belongs to, which are stored (not copies), a label."""
    values: np.ndarray
    owner: np.ndarray         # "A", "B" or "result" per cell: its colour
    stored: np.ndarray        # False for a broadcast copy (hatched)
    label: str
    outline: tuple = ()       # cells (row slice, column slice) to outline


def _rows(t):
    """A 0-, 1- or 2-D tensor as a 2-D array: a 1-D tensor is drawn as one row, a number as one cell."""
    return t.reshape(1, -1).numpy() if t.ndim < 2 else t.numpy()


def _grid(t, owner, label, stored=None, outline=()):
    values = _rows(t)
    stored = np.ones(values.shape, bool) if stored is None else stored.reshape(values.shape)
    return Grid(values, np.full(values.shape, owner, dtype=object), stored, label, outline)


def _stretched(t, owner, shape):
    """t broadcast to `shape`, as a grid whose repeated cells are marked as copies."""
    padded = (1,) * (len(shape) - t.ndim) + tuple(t.shape)
    stored = np.ones(shape, bool)
    for d, (size, n) in enumerate(zip(padded, shape)):
        if size == 1 and n > 1:  # every index but the first along d is a copy
            stored[(slice(None),) * d + (slice(1, None),)] = False
    label = f"{owner} {tuple(t.shape)}" + (f" → {tuple(shape)}" if tuple(t.shape) != tuple(shape) else "")
    return _grid(t.reshape(padded).expand(shape), owner, label, stored)


def _pieces(operation, a_shape, b_shape):
    """What draw_operation draws, left to right: grids and the symbols between them; and a caption."""
    A, B = numbered(a_shape), numbered(b_shape)
    shape, error = outcome(operation, a_shape, b_shape)
    symbol = {"+": "+", "*": "*", "@": "@"}.get(operation, ",")
    if error:
        return ([_grid(A, "A", f"A {tuple(A.shape)}"), symbol, _grid(B, "B", f"B {tuple(B.shape)}"), "=", "✗"],
                "PyTorch: " + error)
    result = operate(operation, A, B)
    if operation in "+*":
        grids = [_stretched(A, "A", shape), symbol, _stretched(B, "B", shape), "=",
                 _grid(result, "result", f"result {shape}")]
        copies = not (grids[0].stored.all() and grids[2].stored.all())
        return grids, ("hatched: a broadcast copy (PyTorch reuses the stored number; no memory is copied)"
                       if copies else "")
    if operation == "@":
        first = (slice(0, 1), slice(None))  # row 0 of A, column 0 of B, and the number they make
        column = (slice(None), slice(0, 1))
        b_grid = B.reshape(-1, 1) if B.ndim == 1 else B       # @ uses a 1-D B as a column
        r_grid = result.reshape(-1, 1) if B.ndim == 1 and A.ndim == 2 else result
        a_row, b_col = _rows(A)[0], b_grid[:, 0].numpy()
        terms = " + ".join(f"{x}·{y}" for x, y in zip(a_row, b_col))
        row, col = "A" if A.ndim == 1 else "row 0 of A", "B" if B.ndim == 1 else "column 0 of B"
        return ([_grid(A, "A", f"A {tuple(A.shape)}" + (" as a row" if A.ndim == 1 else ""), outline=[first]), "@",
                 _grid(b_grid, "B", f"B {tuple(B.shape)}" + (" as a column" if B.ndim == 1 else ""), outline=[column]),
                 "=", _grid(r_grid, "result", f"result {shape}" + (" as a column" if r_grid.ndim > result.ndim else ""),
                            outline=[(slice(0, 1), slice(0, 1))])],
                f"outlined: {row} times {col}, number by number, summed: {terms} = {int(_rows(result)[0, 0])}")
    owner = torch.cat([torch.zeros(A.shape), torch.ones(B.shape)], dim=int(operation[-1]))
    grid = _grid(result, "result", f"result {shape}")
    grid.owner[:] = np.where(_rows(owner) > 0, "B", "A")
    return ([_grid(A, "A", f"A {tuple(A.shape)}"), ",", _grid(B, "B", f"B {tuple(B.shape)}"), "→", grid],
            "blue cells come from A, orange cells from B")


def draw_operation(operation, a_shape, b_shape, ax=None):
    """Draw A, B and the result of `operation` as grids of numbered cells, broadcast copies hatched (lesson 00)."""
    operation = _validate.choice("operation", operation, OPERATIONS)
    a, b = _shape("a_shape", a_shape), _shape("b_shape", b_shape)
    pieces, caption = _pieces(operation, a, b)
    shape, error = outcome(operation, a, b)
    return _draw(pieces, caption, f"{OPERATIONS[operation]}  →  " + ("error" if error else f"shape {shape}"), ax)


def draw_tensors(tensors, labels=None, between=None, colors=None, title="", caption="", ax=None):
    """Draw 0-, 1- or 2-D tensors of whole numbers side by side as grids (1-D as one row), symbols between (00).

    `colors` picks each tensor's colour: 0 blue, 1 orange, 2 green (default: in turn).
    """
    tensors = [torch.as_tensor(t).detach().cpu() for t in tensors]
    if not tensors or any(t.ndim > 2 or t.is_floating_point() and not torch.equal(t, t.round()) for t in tensors):
        raise ValueError("tensors must be a non-empty list of 0-, 1- or 2-D tensors of whole numbers (one per cell); "
                         f"got {[(tuple(t.shape), str(t.dtype)) for t in tensors]}")
    labels = labels or [str(tuple(t.shape)) for t in tensors]
    between = between or [""] * (len(tensors) - 1)
    colors = colors or [i % 3 for i in range(len(tensors))]
    if not len(labels) == len(colors) == len(tensors) or len(between) != len(tensors) - 1:
        raise ValueError(f"expected {len(tensors)} labels and colours and {len(tensors) - 1} symbols between the "
                         f"tensors; got {len(labels)}, {len(colors)} and {len(between)}")
    owners = list(FILL)  # "A", "B", "result": blue, orange, green
    grids = [_grid(t, owners[_validate.count("colour", c, minimum=0, maximum=2)], label)
             for t, label, c in zip(tensors, labels, colors)]
    pieces = grids[:1] + [piece for pair in zip(between, grids[1:]) for piece in pair]
    return _draw(pieces, caption, title, ax)


def _draw(pieces, caption, title, ax):
    """Lay the pieces out left to right, scaled to fit the axes: a title, the grids, their labels, a caption."""
    ax = plt.gca() if ax is None else ax
    ax.set_axis_off()
    height = max(p.values.shape[0] for p in pieces if isinstance(p, Grid))
    bbox = ax.get_position()
    w_in, h_in = bbox.width * ax.figure.get_figwidth(), bbox.height * ax.figure.get_figheight()
    caption = textwrap.fill(caption, int(13 * w_in))  # 9-point characters per line
    label_lines = max(p.label.count("\n") + 1 for p in pieces if isinstance(p, Grid))
    above = 0.5  # inches for the title; below: the labels (10-point monospace) and the caption
    below = 0.25 + 0.17 * label_lines + (0.2 * (caption.count("\n") + 1) if caption else 0)
    label_in = [0.085 * max(map(len, p.label.split("\n"))) + 0.1 if isinstance(p, Grid) else 0 for p in pieces]
    inch = (h_in - above - below) / height  # one cell; shrunk until the pieces and their labels fit across
    for _ in range(3):
        widths = [max(p.values.shape[1], w / inch) if isinstance(p, Grid) else 1.2 for p, w in zip(pieces, label_in)]
        inch = min(0.55, 0.96 * w_in / (sum(widths) + 0.4 * len(pieces)), (h_in - above - below) / height)
    base = min(12.0, inch * 72 * 0.42)  # points

    cells, copies, outlines = [], [], []
    words = []  # (glyph outline, where, size in points, colour): every number and every word
    x = 0.0
    for piece, width in zip(pieces, widths):
        if isinstance(piece, Grid):
            rows, cols = piece.values.shape
            left, top = x + (width - cols) / 2, rows / 2  # a grid narrower than its label: in the middle
            for (i, j), value in np.ndenumerate(piece.values):
                owner, kept = piece.owner[i, j], piece.stored[i, j]
                (cells if kept else copies).append(Rectangle((left + j, top - i - 1), 1, 1,
                                                             facecolor=(FILL if kept else COPY)[owner],
                                                             edgecolor=EDGE[owner]))
                text = str(int(value))
                words.append((_centred(text), (left + j + 0.5, top - i - 0.5),
                              min(base, inch * 72 * 1.3 / len(text)),  # long numbers smaller, to fit
                              "black" if kept else "0.45"))
            for r, c in piece.outline:
                i0, i1, _ = r.indices(rows)
                j0, j1, _ = c.indices(cols)
                outlines.append(Rectangle((left + j0, top - i1), j1 - j0, i1 - i0))
            words.append((_lines(piece.label, mono=True), (x + width / 2, -height / 2 - 0.08 / inch), 10, "black"))
        elif piece:
            big = piece == "✗"
            words.append((_centred(piece), (x + width / 2, 0), 26 if big else 16, COLORS[1] if big else "black"))
        x += width + 0.4
    top, bottom = height / 2 + above / inch, -height / 2 - below / inch
    centre = x / 2 - 0.2  # the middle of the pieces (x ends with one gap too many)
    if title:
        words.append((_lines(title, mono=True), (centre, top - 0.1 / inch), 12, "black"))
    if caption:
        words.append((_lines(caption), (centre, -height / 2 - (0.25 + 0.17 * label_lines) / inch), 9,
                      COLORS[1] if caption.startswith("PyTorch") else "0.25"))

    ax.add_collection(PatchCollection(cells, match_original=True, linewidth=1))
    if copies:  # hatched, with a dashed edge: a cell PyTorch does not store
        ax.add_collection(PatchCollection(copies, match_original=True, linewidth=0.8, linestyle="--", hatch="//"))
    if outlines:
        ax.add_collection(PatchCollection(outlines, facecolor="none", edgecolor="black", linewidth=2.5, zorder=3))
    # All the text as glyph outlines in one collection, sized in points like scatter markers: as ~100 Text
    # artists it would cost ~40 ms a frame, this way ~2 ms.
    paths, where, sizes, colours = zip(*words)
    ax.add_collection(PathCollection(paths, sizes=np.square(sizes), offsets=where, offset_transform=ax.transData,
                                     transform=IdentityTransform(), facecolors=colours, edgecolors="none", zorder=4))

    span_x, span_y = w_in / inch, h_in / inch  # the axes in cell units: equal scale on both axes
    ax.set_xlim(centre - span_x / 2, centre + span_x / 2)
    ax.set_ylim((top + bottom) / 2 - span_y / 2, (top + bottom) / 2 + span_y / 2)
    return ax


@functools.lru_cache(maxsize=None)
def _centred(text):
    """The outline of a short text at a font size of 1 point, its ink centred on (0, 0): a number or a symbol."""
    path = TextPath((0, 0), text, size=1, prop=FontProperties(family="DejaVu Sans"))
    box = path.get_extents()
    return path.transformed(Affine2D().translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2))


@functools.lru_cache(maxsize=1024)
def _lines(text, mono=False):
    """The outline of a text of one or more lines at a font size of 1 point, centred below (0, 0)."""
    prop = FontProperties(family="DejaVu Sans Mono" if mono else "DejaVu Sans")
    lines = []
    for k, line in enumerate(text.split("\n")):
        path = TextPath((0, 0), line or " ", size=1, prop=prop)
        box = path.get_extents()
        lines.append(path.transformed(Affine2D().translate(-(box.x0 + box.x1) / 2, -0.8 - 1.25 * k)))  # baselines
    return Path.make_compound_path(*lines)


# --- the explorer --------------------------------------------------------------------------------------------

def _shape(name, shape):
    """A shape the explorer can draw: 1 or 2 sizes from 1 to MAX_SIZE."""
    if not isinstance(shape, (tuple, list, torch.Size)):
        raise TypeError(f"{name} must be a shape such as (3, 4) or (4,), got {type(shape).__name__} {shape!r}")
    if len(shape) not in (1, 2):
        raise ValueError(f"{name} must have 1 or 2 dimensions (the explorer draws flat grids), got "
                         f"{len(shape)}: {tuple(shape)}")
    return tuple(_validate.count(f"{name}[{i}]", s, minimum=1, maximum=MAX_SIZE) for i, s in enumerate(shape))


def shape_from(rows, cols):
    """The shape two sliders stand for: (rows, cols), or (cols,) — a 1-D tensor — when rows is 0."""
    return (cols,) if rows == 0 else (rows, cols)


def tensor_explorer(a_shape=(3, 4), b_shape=(4,), operation="+"):
    """Pick the shapes of A and B (rows 0 = a 1-D tensor) and an operation: see the result, or the error in words."""
    a, b = _shape("a_shape", a_shape), _shape("b_shape", b_shape)
    operation = _validate.choice("operation", operation, OPERATIONS)
    return TensorExplorer({
        "operation": dropdown("operation", [(MENU.get(value, code), value) for value, code in OPERATIONS.items()],
                              operation),
        "a_rows": slider("A rows", 0, MAX_SIZE, 1, 0 if len(a) == 1 else a[0], integer=True),
        "a_cols": slider("A cols", 1, MAX_SIZE, 1, a[-1], integer=True),
        "b_rows": slider("B rows", 0, MAX_SIZE, 1, 0 if len(b) == 1 else b[0], integer=True),
        "b_cols": slider("B cols", 1, MAX_SIZE, 1, b[-1], integer=True),
    })


class TensorExplorer(Explorer):
    """A, B and the result as grids of numbered cells; the message line says what happened, or PyTorch's error."""

    figsize = (8.6, 3.3)

    def build(self, fig):
        fig.set_layout_engine("none")  # one axes filling the figure: nothing to lay out
        self.ax = fig.add_axes((0, 0, 1, 1))

    def update(self, operation, a_rows, a_cols, b_rows, b_cols):
        a, b = shape_from(a_rows, a_cols), shape_from(b_rows, b_cols)
        # The number of cells changes with every slider: remove the last picture's collections, draw anew.
        # (Cheaper than ax.clear(), which rebuilds the axes' ticks although they are never shown.)
        for artist in list(self.ax.collections):
            artist.remove()
        draw_operation(operation, a, b, ax=self.ax)
        self.full_redraw = True
        return describe(operation, a, b)
