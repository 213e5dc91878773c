"""Lesson 02's explorers: an activation function and its slope; what one layer a(Wx + b) does to the plane."""
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.collections import LineCollection

from .. import _validate
from ..runtime import COLORS
from .base import Explorer, dropdown, slider

# The catalogue of lesson 02, written with torch so that autograd supplies each slope.
ACTIVATIONS = {
    "linear": lambda z, leak: z,
    "ramp": lambda z, leak: F.hardtanh(z),  # z clipped to [-1, 1]
    "step": lambda z, leak: (z >= 0).to(z.dtype),
    "sign": lambda z, leak: torch.sign(z),
    "sigmoid": lambda z, leak: torch.sigmoid(z),
    "tanh": lambda z, leak: torch.tanh(z),
    "ReLU": lambda z, leak: F.relu(z),
    "leaky ReLU": lambda z, leak: F.leaky_relu(z, leak),
}
SATURATED = 0.01  # |slope| below this counts as saturated: almost no gradient passes
OUTPUT_LIMITS = {"sigmoid": (-0.2, 1.2), "tanh": (-1.3, 1.3), "ramp": (-1.3, 1.3)}  # the layer explorer's zoom


def value_and_slope(name, z, leak=0.01):
    """f(z) and f'(z) for a catalogue activation; the slope comes from autograd (0 where f has none)."""
    z = z.detach().clone().requires_grad_(True)
    y = ACTIVATIONS[name](z, leak)
    if not y.requires_grad:  # a comparison (the step) is not differentiable: its slope is 0 a.e.
        return y.detach(), torch.zeros_like(z)
    (slope,) = torch.autograd.grad(y.sum(), z)
    return y.detach(), slope


def activation_explorer(activation="sigmoid", scale=1.0, shift=0.0, leak=0.1):
    """Plot f(scale·z + shift) and its slope for any activation; shade where it is saturated."""
    return ActivationExplorer({
        "activation": dropdown("activation", list(ACTIVATIONS), _validate.choice("activation", activation, ACTIVATIONS)),
        "scale": slider("scale a", 0.1, 5.0, 0.1, _validate.real("scale", scale, 0.1, 5)),
        "shift": slider("shift c", -3.0, 3.0, 0.1, _validate.real("shift", shift, -3, 3)),
        "leak": slider("leak α", 0.0, 0.5, 0.01, _validate.real("leak", leak, 0, 0.5)),
    })


class ActivationExplorer(Explorer):
    """The curve f(az + c) and its slope a·f'(az + c); grey bands where |slope| < 0.01."""

    figsize = (7.0, 3.8)
    z = torch.linspace(-6, 6, 601, dtype=torch.float64)

    def build(self, fig):
        self.ax = ax = fig.subplots()
        self.band = ax.imshow(np.zeros((1, len(self.z))), extent=(-6, 6, -1, 1), aspect="auto", cmap="Greys",
                              vmin=0, vmax=1, alpha=0.18, animated=True, zorder=0)
        self.curve, = ax.plot([], [], color=COLORS[0], lw=2.5, label="$f(az + c)$", animated=True)
        self.slope, = ax.plot([], [], color=COLORS[1], lw=2, ls="--", label="slope $\\frac{d}{dz}f(az + c)$",
                              animated=True)
        ax.axhline(0, color="0.4", lw=0.8)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.fill_between([], [], color="0.82", label=f"saturated: |slope| < {SATURATED}")  # legend entry
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=9)
        ax.set(xlim=(-6, 6), xlabel="$z$")
        ax.set_title(" ", fontsize=10)
        ax.title.set_animated(True)  # its text changes with every setting
        self.limit = None

    def update(self, activation, scale, shift, leak):
        y, slope = value_and_slope(activation, scale * self.z + shift, leak)
        slope = scale * slope  # chain rule: d/dz f(az + c) = a f'(az + c)
        saturated = (slope.abs() < SATURATED).numpy()
        self.curve.set_data(self.z, y)
        self.slope.set_data(self.z, slope)
        self.band.set_data(saturated[None, :].astype(float))

        # Round the y-limits up to a few fixed sizes, so the static background is redrawn rarely.
        top = float(max(y.abs().max(), slope.abs().max()))
        limit = next((v for v in (1.5, 3, 6, 12, 24, 48) if v >= 1.05 * top), 48)
        if limit != self.limit:
            self.limit = limit
            self.ax.set_ylim(-limit, limit)
            self.band.set_extent((-6, 6, -limit, limit))
            self.full_redraw = True
        self.ax.set_title(f"{activation}: largest slope {slope.max():.3g}, "
                          f"saturated on {saturated.mean():.0%} of the inputs shown")
        if saturated.all():
            return (f"{activation} has (almost) no slope anywhere here: a unit like this passes no "
                    "gradient back, so gradient descent cannot train it.")
        return f"Saturated inputs (shaded) pass back less than {SATURATED} of the gradient."


def layer_explorer(angle=30.0, scale_x=1.0, scale_y=1.0, shift_x=0.0, shift_y=0.0, activation="ReLU"):
    """A grid of points through y = a(Wx + b): W rotates and scales, b shifts, the activation bends."""
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
    """W = R(angle) · diag(scale_x, scale_y): stretch along the axes, then rotate."""
    a = np.radians(angle)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.diag([scale_x, scale_y])


class LayerExplorer(Explorer):
    """Three panels: the input grid x, the linear part Wx + b, and the layer's output a(Wx + b)."""

    figsize = (9.6, 3.6)
    ticks = np.linspace(-2, 2, 9)
    along = np.linspace(-2, 2, 41)

    def build(self, fig):
        # Grid lines: vertical ones (constant x1) in blue, horizontal ones (constant x2) in orange.
        vertical = [np.column_stack([np.full_like(self.along, t), self.along]) for t in self.ticks]
        horizontal = [np.column_stack([self.along, np.full_like(self.along, t)]) for t in self.ticks]
        self.lines = np.array(vertical + horizontal)  # (18, 41, 2)
        colors = [COLORS[0]] * len(vertical) + [COLORS[1]] * len(horizontal)
        titles = ["input $x$", "linear part $Wx + b$", "layer output $a(Wx + b)$"]
        self.panels = []
        for ax, title in zip(fig.subplots(1, 3), titles):
            lines = LineCollection(self.lines, colors=colors, lw=1.2, animated=ax is not fig.axes[0])
            ax.add_collection(lines)
            self.panels.append(lines)
            ax.set(xlim=(-4, 4), ylim=(-4, 4), aspect="equal", title=title)
            ax.title.set_fontsize(10)
        self.corner = [ax.plot([], [], "o", color="black", ms=5, animated=True)[0] for ax in fig.axes]
        self.corner[0].set_data([1], [1])
        self.corner[0].set_animated(False)
        fig.axes[0].set(xlabel="$x_1$", ylabel="$x_2$")

    def update(self, angle, scale_x, scale_y, shift_x, shift_y, activation):
        W = layer_matrix(angle, scale_x, scale_y)
        b = np.array([shift_x, shift_y])
        z = self.lines @ W.T + b
        a = z if activation == "none" else value_and_slope(activation, torch.from_numpy(z), 0.1)[0].numpy()
        self.panels[1].set_segments(z)
        self.panels[2].set_segments(a)
        # The black dot follows the input point (1, 1) through the layer.
        dot_z = W @ [1.0, 1.0] + b
        dot_a = dot_z if activation == "none" else value_and_slope(activation, torch.tensor(dot_z), 0.1)[0].numpy()
        self.corner[1].set_data([dot_z[0]], [dot_z[1]])
        self.corner[2].set_data([dot_a[0]], [dot_a[1]])
        # Zoom the output panel to the activation's range (a static change: redraw everything).
        limits = OUTPUT_LIMITS.get(activation, (-4, 4))
        if self.fig.axes[2].get_xlim() != limits:
            self.fig.axes[2].set(xlim=limits, ylim=limits)
            self.full_redraw = True
        det = np.linalg.det(W)
        what = ("flattens the plane onto a line (det W = 0)" if abs(det) < 1e-9 else
                f"{'mirrors and ' if det < 0 else ''}scales areas by |det W| = {abs(det):.2f}")
        return f"W = [[{W[0, 0]:.2f}, {W[0, 1]:.2f}], [{W[1, 0]:.2f}, {W[1, 1]:.2f}]] {what}."
