"""Lesson 08's explorer: draw a digit on an 8 × 8 grid of buttons; watch the hidden units and the probabilities."""
import copy

import ipywidgets as widgets
import numpy as np
import torch
from torch import nn

from .. import _validate
from ..data import digits
from ..runtime import COLORS
from .base import Explorer, dropdown

BRUSHES = [("ink (1)", 1.0), ("half ink (0.5)", 0.5), ("eraser (0)", 0.0)]
DRAWING = -1                  # the "start from" option that means: keep what is on the grid
CELL_PX = 30


def digit_explorer(model=None, presets=None):
    """Draw on an 8 × 8 grid and watch a trained network's hidden activations and class probabilities (lesson 08).

    `model`: an nn.Sequential of nn.Linear layers and layers without parameters (ReLU, Dropout, ...), with 64
    inputs and 10 outputs, trained on nnlab.data.digits(); the explorer uses a copy on the CPU, in eval mode.
    None trains the classic digit network scaled to 8 × 8 images, 64-16-16-10, here (about a second).
    `presets`: (X, y), images (N, 64) in [0, 1] and their labels; the first image of each digit is offered as
    a drawing to start from. None takes them from nnlab.data.digits() after its first 1,400 (on which the
    default model trains).
    """
    if model is None or presets is None:
        X, y = digits()
        model = _quick_model(X[:1400], y[:1400]) if model is None else model
        presets = (X[1400:], y[1400:]) if presets is None else presets
    net, linears = _checked_model(model)
    images, labels = _checked_presets(presets)
    return DigitExplorer(net, linears, images, labels)


def _quick_model(X, y, steps=200):
    """Train 64-16-16-10 with ReLU on (X, y): full-batch Adam, fixed seed (the default explorer's model)."""
    generator_state = torch.random.get_rng_state()        # leave the learner's random numbers untouched
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    torch.random.set_rng_state(generator_state)
    return model


def _checked_model(model):
    """A CPU copy of `model` in eval mode, and the indices of its Linear layers; or a ValueError saying why not."""
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be an nn.Sequential of nn.Linear layers and activations, got "
                        f"{type(model).__name__}")
    layers = list(model)
    linears = [i for i, layer in enumerate(layers) if isinstance(layer, nn.Linear)]
    others = [type(layer).__name__ for layer in layers
              if not isinstance(layer, nn.Linear) and next(layer.parameters(), None) is not None]
    if others or not linears:
        raise ValueError("model must hold nn.Linear layers and layers without parameters (activations, dropout) "
                         f"only; it has {others or 'no nn.Linear'}")
    first, last = layers[linears[0]], layers[linears[-1]]
    if first.in_features != 64 or last.out_features != 10 or linears[-1] != len(layers) - 1:
        raise ValueError("model must read 64 pixels and end in a Linear layer with 10 outputs (one score per "
                         f"digit); got {first.in_features} inputs and a last layer {layers[-1]}")
    return copy.deepcopy(model).cpu().eval(), linears


def _checked_presets(presets):
    """{digit: image (64,)} for the first image of each digit in presets = (X, y)."""
    if not isinstance(presets, (tuple, list)) or len(presets) != 2:
        raise TypeError("presets must be a pair (X, y) of images (N, 64) and their labels, or None")
    X = _validate.to_numpy("presets' X", presets[0])
    if X.ndim != 2 or X.shape[1] != 64 or not np.isfinite(X).all() or X.min() < 0 or X.max() > 1:
        raise ValueError(f"presets' X must have shape (N, 64) with pixels in [0, 1]; got shape {X.shape}")
    y = _validate.labels("presets' y", presets[1], len(X))
    images = {int(d): X[np.argmax(y == d)].copy() for d in range(10) if (y == d).any()}
    if not images:
        raise ValueError("presets must hold at least one image")
    return images, sorted(images)


class DigitExplorer(Explorer):
    """An 8 × 8 grid of buttons to draw on; the network's input, hidden activations and probabilities on the right.

    Buttons cannot feel a drag, so a learner draws by clicking cells: a click paints a cell with the brush,
    a second click with the same brush clears it. After each change `pixels`, `hidden` (one array per hidden
    layer), `probabilities` and `prediction` hold what the picture shows.
    """

    figsize = (6.6, 3.2)

    def __init__(self, model, linears, images, labels):
        self.model, self.linears, self.images = model, linears, images
        self.pixels = images[labels[0]].copy()
        self.shown = labels[0]                      # the preset now on the grid (DRAWING once edited)
        with torch.no_grad():                       # a fixed colour scale for the hidden units: the presets' range
            self.widths = [model[i].in_features for i in linears[1:]]
            hidden = np.concatenate([a for image in images.values() for a in self._forward(image)[0]])
            self.bottom, self.top = min(0.0, float(hidden.min())), max(float(hidden.max()), 1e-6)
        self.cells = [widgets.Button(tooltip=f"row {k // 8 + 1}, column {k % 8 + 1}",
                                     layout=widgets.Layout(width=f"{CELL_PX}px", height=f"{CELL_PX}px", padding="0",
                                                           margin="0", border="1px solid #bbbbbb"))
                      for k in range(64)]
        for k, cell in enumerate(self.cells):
            cell.on_click(lambda _, k=k: self.press(lambda: self.paint(k)))
        self.colors = [None] * 64
        options = [("your drawing", DRAWING)] + [(f"an example of {d}", d) for d in labels]
        controls = {"preset": dropdown("start from", options, labels[0]), "brush": dropdown("brush", BRUSHES, 1.0)}
        super().__init__(controls, buttons={"clear": self.clear, "invert": self.invert})
        grid = widgets.VBox([widgets.HBox(self.cells[r * 8:(r + 1) * 8]) for r in range(8)],
                            layout=widgets.Layout(margin="0 0 8px 0"))
        left = self.children[0]
        left.children = (widgets.Label("click a cell to paint it (again to clear it)"), grid) + tuple(left.children)

    def paint(self, k):
        """Paint cell k (0–63, row by row) with the brush, or clear it if it already has the brush's value."""
        brush = self.controls["brush"].value
        self.pixels[k] = 0.0 if self.pixels[k] == brush else brush
        self._edited()

    def clear(self):
        """Every pixel 0 (background)."""
        self.pixels[:] = 0.0
        self._edited()

    def invert(self):
        """Every pixel p becomes 1 − p: ink becomes background and background ink."""
        self.pixels = 1.0 - self.pixels
        self._edited()

    def _edited(self):
        """The grid no longer shows a preset: say so in the dropdown (press() holds its redraw back)."""
        self.shown = DRAWING
        self.controls["preset"].value = DRAWING

    def _forward(self, image):
        """Hidden activations (what each Linear after the first reads) and the 10 scores, for one image."""
        h, hidden = torch.as_tensor(image, dtype=torch.float32)[None], []
        for i, layer in enumerate(self.model):
            if i in self.linears[1:]:
                hidden.append(h[0].numpy().copy())
            h = layer(h)
        return hidden, h[0]

    def build(self, fig):
        ax_in, ax_hidden, ax_p = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.25, 1.1]})
        self.image_in = ax_in.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=1, animated=True)
        ax_in.set(title="the 64 pixels\nit reads", xticks=[], yticks=[])
        for spine in ax_in.spines.values():          # a frame, so that an empty grid still shows its edges;
            spine.set(visible=True, animated=True)   # animated: painted after the image, which would cover two sides
        fig.colorbar(self.image_in, ax=ax_in, orientation="horizontal", label="pixel value", ticks=[0, 0.5, 1])
        n = len(self.widths)
        self.image_hidden = ax_hidden.imshow(np.full((n, max(self.widths)), np.nan), cmap="viridis",
                                             vmin=self.bottom, vmax=self.top, aspect="auto", animated=True)
        ax_hidden.set(title="its hidden units", xlabel="unit", yticks=range(n),
                      yticklabels=[f"layer {l}" for l in range(1, n + 1)], xticks=range(0, max(self.widths), 4))
        ax_hidden.grid(False)
        fig.colorbar(self.image_hidden, ax=ax_hidden, orientation="horizontal", label="activation $a$",
                     extend="max" if self.bottom == 0 else "both")
        self.bars = ax_p.barh(range(10), np.zeros(10), color=COLORS[0], animated=True)
        ax_p.set(xlim=(0, 1), ylim=(9.6, -0.6), yticks=range(10), xlabel="probability $p_k$", ylabel="digit $k$",
                 title="softmax")
        self.title_p = ax_p.text(0.5, 1.16, "", transform=ax_p.transAxes, ha="center", va="bottom", fontsize=11,
                                 color=COLORS[1], animated=True)

    def update(self, preset, brush):
        if preset != self.shown:                    # the learner picked a preset: load it
            self.shown = preset
            if preset != DRAWING:
                self.pixels = self.images[preset].copy()
        with torch.no_grad():
            hidden, scores = self._forward(self.pixels)
            p = torch.softmax(scores, 0).numpy()
        self.hidden, self.probabilities, self.prediction = hidden, p, int(p.argmax())
        self._color_cells()
        self.image_in.set_data(self.pixels.reshape(8, 8))
        table = np.full((len(hidden), max(self.widths)), np.nan)
        for row, a in enumerate(hidden):
            table[row, :len(a)] = a
        self.image_hidden.set_data(table)
        for k, bar in enumerate(self.bars):
            bar.set_width(p[k])
            bar.set_color(COLORS[1] if k == self.prediction else COLORS[0])
        self.title_p.set_text(f"prediction: {self.prediction}")
        second = int(np.argsort(p)[-2])
        if not self.pixels.any():
            return (f"The grid is empty, yet the network must answer: it says {self.prediction} with probability "
                    f"{p[self.prediction]:.2f} (softmax's probabilities always add up to 1).")
        article = "an" if self.prediction == 8 else "a"             # "an 8", said "an eight"
        return (f"The network reads {article} {self.prediction} with probability {p[self.prediction]:.2f}; next comes "
                f"{second} with {p[second]:.2f}.")

    def _color_cells(self):
        """Shade each grid button like its pixel (white = 0, black = 1); only the cells that changed."""
        for k, value in enumerate(self.pixels):
            grey = "#" + f"{round(255 * (1 - value)):02x}" * 3
            if grey != self.colors[k]:
                self.cells[k].style.button_color = grey
                self.colors[k] = grey
