"""Lesson 02's explorers: one unit a = f(wx + b) and its slope; what one layer f(Wx + b) does to the plane."""
import functools

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.collections import LineCollection

from .. import _validate
from ..runtime import COLORS
from .base import Explorer, dropdown, slider

ALPHA = 0.1  # Leaky ReLU's slope α for z < 0, as in lesson 02 (PyTorch's default 0.01 is too flat to see)

# The catalogue of lesson 02, written with torch so that autograd supplies each slope.
ACTIVATIONS = {
    "linear": lambda z, alpha: z,
    "ramp": lambda z, alpha: F.hardtanh(z),  # z clipped to [-1, 1] ("hard tanh"); not max(0, z), which is ReLU
    "step": lambda z, alpha: (z >= 0).to(z.dtype),
    "sign": lambda z, alpha: torch.sign(z),
    "sigmoid": lambda z, alpha: torch.sigmoid(z),
    "tanh": lambda z, alpha: torch.tanh(z),
    "ReLU": lambda z, alpha: F.relu(z),
    "leaky ReLU": lambda z, alpha: F.leaky_relu(z, alpha),
}
# Saturated: the slope is below 1% of the function's own largest slope. Relative, so that each function is
# judged against its best (the sigmoid's slope never exceeds 0.25, tanh's reaches 1).
SATURATED = 0.01
OUTPUT_LIMITS = {"sigmoid": (-0.2, 1.2), "tanh": (-1.3, 1.3), "ramp": (-1.3, 1.3)}  # the layer explorer's zoom
XOR_INPUTS = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])  # lesson 01's truth table: XOR = 0, 0, 1, 1


def value_and_slope(name, z, alpha=ALPHA):
    """f(z) and f'(z) for a catalogue activation; the slope comes from autograd (0 where f has none)."""
    z = z.detach().clone().requires_grad_(True)
    y = ACTIVATIONS[name](z, alpha)
    if not y.requires_grad:  # a comparison (the step) is not differentiable: its slope is 0 a.e.
        return y.detach(), torch.zeros_like(z)
    (slope,) = torch.autograd.grad(y.sum(), z)
    return y.detach(), slope


@functools.lru_cache(maxsize=None)
def largest_slope(name, alpha=ALPHA):
    """max |f'(z)| over z in [-10, 10], a grid through 0 (where sigmoid and tanh are steepest): 0 for step and sign."""
    z = torch.arange(-1000, 1001, dtype=torch.float64) / 100
    return value_and_slope(name, z, alpha)[1].abs().max().item()


def activation_explorer(activation="sigmoid", w=1.0, b=0.0, alpha=ALPHA):
    """One unit with one input x: plot a = f(wx + b) and its slope da/dx; shade where it is saturated."""
    return ActivationExplorer({
        "activation": dropdown("activation", list(ACTIVATIONS), _validate.choice("activation", activation, ACTIVATIONS)),
        "w": slider("weight w", 0.1, 5.0, 0.1, _validate.real("w", w, 0.1, 5)),
        "b": slider("bias b", -3.0, 3.0, 0.1, _validate.real("b", b, -3, 3)),
        "alpha": slider("leaky α", 0.0, 0.5, 0.01, _validate.real("alpha", alpha, 0, 0.5)),
    })


class ActivationExplorer(Explorer):
    """The curve a = f(wx + b) and its slope w·f'(wx + b); grey bands where the slope is below 1% of its largest."""

    figsize = (7.0, 3.8)
    x = torch.linspace(-8, 8, 801, dtype=torch.float64)

    def build(self, fig):
        self.ax = ax = fig.subplots()
        self.band = ax.imshow(np.zeros((1, len(self.x))), extent=(-8, 8, -1, 1), aspect="auto", cmap="Greys",
                              vmin=0, vmax=1, alpha=0.18, animated=True, zorder=0)
        self.curve, = ax.plot([], [], color=COLORS[0], lw=2.5, label="$a = f(wx + b)$", animated=True)
        self.slope, = ax.plot([], [], color=COLORS[1], lw=2, ls="--", label="slope $da/dx = w\\,f'(wx + b)$",
                              animated=True)
        ax.axhline(0, color="0.4", lw=0.8)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.fill_between([], [], color="0.82", label="saturated: slope < 1% of its largest")  # legend entry
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=9)
        ax.set(xlim=(-8, 8), xlabel="input $x$", ylabel="output $a$ and slope $da/dx$")
        ax.set_title(" ", fontsize=10)
        ax.title.set_animated(True)  # its text changes with every setting
        self.limit = None
        self.saturated = None  # the fraction of the inputs shown that are saturated

    def update(self, activation, w, b, alpha):
        a, slope = value_and_slope(activation, w * self.x + b, alpha)
        slope = w * slope  # chain rule: da/dx = w f'(wx + b)
        peak = w * largest_slope(activation, alpha)
        saturated = (slope.abs() < SATURATED * peak).numpy() if peak > 0 else np.ones(len(self.x), dtype=bool)
        self.saturated = saturated.mean()
        self.curve.set_data(self.x, a)
        self.slope.set_data(self.x, slope)
        self.band.set_data(saturated[None, :].astype(float))

        # Round the y-limits up to a few fixed sizes, so the static background is redrawn rarely.
        top = float(max(a.abs().max(), slope.abs().max()))
        limit = next((v for v in (1.5, 3, 6, 12, 24, 48) if v >= 1.05 * top), 48)
        if limit != self.limit:
            self.limit = limit
            self.ax.set_ylim(-limit, limit)
            self.band.set_extent((-8, 8, -limit, limit))
            self.full_redraw = True
        # The unit's largest slope w·max f' (the one the band is measured against), even where the window misses it
        self.ax.set_title(f"{activation}: largest slope {peak:.3g}, "
                          f"saturated on {self.saturated:.0%} of the inputs shown")
        if peak == 0:
            return (f"{activation} is flat everywhere except at its jump: a unit like this passes no "
                    "gradient back, so gradient descent cannot train it.")
        return "Saturated inputs (shaded) pass back less than 1% of the gradient this unit passes at its steepest."


def layer_explorer(angle=30.0, scale_x=1.0, scale_y=1.0, shift_x=0.0, shift_y=0.0, activation="ReLU"):
    """A grid of points, and XOR's four inputs, through a = f(Wx + b): W rotates and scales, b shifts, f bends."""
    options = ["none"] + [name for name in ACTIVATIONS if name not in ("linear", "step", "sign")]
    return LayerExplorer({
        "angle": slider("angle (°)", -180.0, 180.0, 5.0, _validate.real("angle", angle, -180, 180)),
        "scale_x": slider("scale x₁", -2.0, 2.0, 0.1, _validate.real("scale_x", scale_x, -2, 2)),
        "scale_y": slider("scale x₂", -2.0, 2.0, 0.1, _validate.real("scale_y", scale_y, -2, 2)),
        "shift_x": slider("b₁", -2.0, 2.0, 0.1, _validate.real("shift_x", shift_x, -2, 2)),
        "shift_y": slider("b₂", -2.0, 2.0, 0.1, _validate.real("shift_y", shift_y, -2, 2)),
        "activation": dropdown("activation", options, _validate.choice("activation", activation, options)),
    })


def layer_matrix(angle, scale_x, scale_y):
    """W = R(angle) · diag(scale_x, scale_y): stretch along the axes, then rotate; det W = scale_x · scale_y."""
    a = np.radians(angle)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.diag([scale_x, scale_y])


def layer_output(activation, z):
    """f(z) for a NumPy array of weighted sums ("none": z itself); no slope needed, so no autograd."""
    return z if activation == "none" else ACTIVATIONS[activation](torch.from_numpy(z), ALPHA).numpy()


class LayerExplorer(Explorer):
    """Three panels: the input grid x, the weighted sums z = Wx + b, and the layer's output a = f(z)."""

    figsize = (9.6, 3.8)
    ticks = np.linspace(-2, 2, 9)
    along = np.linspace(-2, 2, 41)

    def build(self, fig):
        # Grid lines in two greys: dark for constant x1, light for constant x2, so a mirror or a turn shows;
        # the colours are kept for XOR's points, coloured by class as in lesson 01.
        vertical = [np.column_stack([np.full_like(self.along, t), self.along]) for t in self.ticks]
        horizontal = [np.column_stack([self.along, np.full_like(self.along, t)]) for t in self.ticks]
        self.lines = np.array(vertical + horizontal)  # (18, 41, 2)
        colors = ["0.45"] * len(vertical) + ["0.78"] * len(horizontal)
        titles = ["input $x$", "weighted sums $z = Wx + b$", "layer output $a = f(z)$"]
        names = [("$x_1$", "$x_2$"), ("$z_1$", "$z_2$"), ("$a_1$", "$a_2$")]
        self.panels, self.points = [], []
        for i, (ax, title, (xlabel, ylabel)) in enumerate(zip(fig.subplots(1, 3), titles, names)):
            lines = LineCollection(self.lines, colors=colors, lw=1.1, animated=i > 0)
            ax.add_collection(lines)
            self.panels.append(lines)
            # XOR = 0 as blue circles, XOR = 1 as orange squares (lesson 01's colours and shapes)
            self.points.append([ax.plot([], [], marker, ls="none", color=COLORS[c], mec="black", mew=0.8, ms=8,
                                        zorder=3, animated=i > 0, label=f"XOR = {c}")[0]
                                for c, marker in ((0, "o"), (1, "s"))])
            ax.set(xlim=(-4, 4), ylim=(-4, 4), aspect="equal", title=title, xlabel=xlabel, ylabel=ylabel)
            ax.title.set_fontsize(10)
        self.points[0][0].set_data(*XOR_INPUTS[:2].T)
        self.points[0][1].set_data(*XOR_INPUTS[2:].T)
        fig.axes[0].legend(loc="lower left", fontsize=8, handletextpad=0.2, borderpad=0.3)

    def update(self, angle, scale_x, scale_y, shift_x, shift_y, activation):
        W = layer_matrix(angle, scale_x, scale_y)
        b = np.array([shift_x, shift_y])
        z = self.lines @ W.T + b
        self.panels[1].set_segments(z)
        self.panels[2].set_segments(layer_output(activation, z))
        # XOR's four inputs follow the same two steps
        z_xor = XOR_INPUTS @ W.T + b
        a_xor = layer_output(activation, z_xor)
        for panel, values in ((1, z_xor), (2, a_xor)):
            self.points[panel][0].set_data(*values[:2].T)
            self.points[panel][1].set_data(*values[2:].T)
        # Zoom the output panel to the activation's range (a static change: redraw everything).
        limits = OUTPUT_LIMITS.get(activation, (-4, 4))
        if self.fig.axes[2].get_xlim() != limits:
            self.fig.axes[2].set(xlim=limits, ylim=limits)
            self.full_redraw = True
        det = np.linalg.det(W)
        what = ("squeezes the whole plane onto one point (W = 0)" if not W.any() else  # both scales 0
                "flattens the plane onto a line (det W = 0)" if abs(det) < 1e-9 else
                f"{'mirrors and ' if det < 0 else ''}scales areas by |det W| = {abs(det):.2f}")
        shown = np.round(W, 2) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0: no "-0.00" on screen
        return f"W = [[{shown[0, 0]:.2f}, {shown[0, 1]:.2f}], [{shown[1, 0]:.2f}, {shown[1, 1]:.2f}]] {what}."
