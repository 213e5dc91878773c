"""Lesson 03's explorers: gradient descent on f(x) = ½λx², and four optimisers on 2-D loss surfaces."""
import math
from collections import namedtuple

import ipywidgets as widgets
import numpy as np
import torch

from .. import _validate, plot
from ..runtime import COLORS
from .base import CONTROL_STYLE, Explorer, dropdown, slider

X_VIEW = 3.5          # the 1-D picture shows x in [-3.5, 3.5]
X_LIMIT = 1e6         # 1-D: |x| beyond this counts as diverged
LOSS_LIMIT = 1e10     # 2-D: a loss beyond this counts as diverged
TOL = 1e-6            # 1-D: |x| below this counts as arrived
MAX_STEPS = 20_000    # 1-D: how far the verdict looks (the picture shows at most 50 steps)
# Room for labels such as "learning rate η" (the lessons' words, not just symbols) and a slider still ~170 px long,
# so that a learning rate of 0.50 can be hit with the mouse: the shared layout allows a 70 px label, 290 px in all.
LABEL_WIDTH, CONTROL_WIDTH = "105px", "350px"


def widen(controls):
    """Give every control a LABEL_WIDTH label and CONTROL_WIDTH in all; return the controls."""
    for control in controls.values():
        control.style.description_width = LABEL_WIDTH
        control.layout.width = CONTROL_WIDTH
    return controls


def descent_1d_explorer(curvature=4.0, lr=0.1, x0=2.0, steps=20):
    """Sliders for the learning rate η, the curvature λ, the start x₀ and the steps shown: gradient descent on f(x) = ½λx²."""
    return Descent1DExplorer(widen({
        # Steps of 0.01 and 0.5 put the edge η = 2/λ on the learning-rate grid for λ = 2, 2.5, 4, 5, 8, 10
        # (below λ = 2 the edge lies past the slider's end, 1.0: every η there converges).
        "lr": slider("learning rate η", 0.01, 1.0, 0.01, _validate.real("lr", lr, 0.01, 1.0)),
        "curvature": slider("curvature λ", 0.5, 10.0, 0.5, _validate.real("curvature", curvature, 0.5, 10.0)),
        "x0": slider("start x₀", -3.0, 3.0, 0.1, _validate.real("x0", x0, -3.0, 3.0)),
        "steps": slider("steps", 1, 50, 1, _validate.count("steps", steps, 1, 50), integer=True),
    }))


class _DescentExplorer(Explorer):
    """An Explorer with wider controls (see widen), whose divergence messages are shown as warnings."""

    def __init__(self, controls):
        super().__init__(controls)
        self.children[0].layout.width = f"{int(CONTROL_WIDTH[:-2]) + 10}px"   # the column that holds the controls

    def say(self, text, warning=False):
        super().say(text, warning or text.startswith("diverged"))


class Descent1DExplorer(_DescentExplorer):
    """Left: the parabola with the steps drawn on it. Right: the distance to the minimum |x_k|, on a log scale."""

    figsize = (8.6, 3.6)

    def build(self, fig):
        self.ax, log_ax = fig.subplots(1, 2, width_ratios=[1.3, 1])
        self.curve, = self.ax.plot([], [], color=COLORS[0], lw=2, animated=True)
        self.path, = self.ax.plot([], [], "-o", color=COLORS[1], lw=1.2, ms=4, animated=True)
        self.start, = self.ax.plot([], [], "o", ms=9, mfc="white", mec=COLORS[1], mew=2, animated=True)
        self.note = self.ax.text(0.5, 0.97, "", transform=self.ax.transAxes, ha="center", va="top", fontsize=9,
                                 linespacing=1.4, animated=True, zorder=5,
                                 bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
        # No legend: on this picture any place for it is crossed by some path. The title says it all.
        # The height axis stays put (it fits λ = 4), so a larger λ shows as a narrower, steeper bowl.
        f_top = 0.5 * 4.0 * X_VIEW ** 2
        self.ax.set(xlim=(-X_VIEW, X_VIEW), ylim=(-0.05 * f_top, 1.22 * f_top), xlabel="$x$",
                    ylabel="$f(x) = \\frac{1}{2}\\lambda x^2$",
                    title="steps $x_{k+1} = x_k - \\eta f'(x_k)$ on the curve (○ = start $x_0$)")
        self.ax.title.set_fontsize(10)

        log_ax.set_yscale("log")
        log_ax.axhline(X_LIMIT, color=COLORS[1], ls="--", lw=1)
        log_ax.axhline(TOL, color=COLORS[2], ls="--", lw=1)
        log_ax.text(49, X_LIMIT * 3, "diverged above $10^6$", ha="right", va="bottom", fontsize=8, color=COLORS[1])
        log_ax.text(49, TOL / 3, "arrived below $10^{-6}$", ha="right", va="top", fontsize=8, color=COLORS[2])
        self.distance, = log_ax.plot([], [], "-o", color=COLORS[1], lw=1.2, ms=3, animated=True)
        log_ax.set(xlim=(0, 50), ylim=(1e-10, 1e9), xlabel="step $k$", ylabel="$|x_k|$ (log scale)",
                   title="distance to the minimum")
        log_ax.title.set_fontsize(10)

    def update(self, lr, curvature, x0, steps):
        lam = curvature
        grid = np.linspace(-X_VIEW, X_VIEW, 151)
        self.curve.set_data(grid, 0.5 * lam * grid ** 2)
        factor = 1 - lr * lam            # x_{k+1} = x_k - η·λ·x_k = (1 - ηλ)·x_k
        xs = [x0]
        for _ in range(steps):
            xs.append(xs[-1] - lr * lam * xs[-1])
        xs = np.array(xs)
        drawn = np.clip(xs, -1e3, 1e3)   # far outside the picture anyway; keeps the renderer's numbers small
        self.path.set_data(drawn, 0.5 * lam * drawn ** 2)
        self.start.set_data([x0], [0.5 * lam * x0 ** 2])
        self.distance.set_data(np.arange(len(xs)), np.maximum(np.abs(np.clip(xs, -1e12, 1e12)), 1e-30))
        edge = f"2/λ = {2 / lam:.3g}"
        self.note.set_text(f"curvature λ = {lam:g}, so the edge is {edge}\n"
                           f"ηλ = {lr * lam:.3g}: each step multiplies x by 1 − ηλ = {factor:.3g}")

        if x0 == 0:
            return "x₀ = 0 is already the minimum: f′(0) = 0, so no step moves it."
        if abs(factor + 1) < 1e-9:       # ηλ = 2 up to rounding (0.4 × 5 is 2.0000000000000004)
            return (f"η = {lr:.3g} is exactly {edge}: every step flips x to −x, so it oscillates "
                    f"between ±{abs(x0):g} forever — neither arriving nor escaping.")
        x = x0
        for k in range(1, MAX_STEPS + 1):
            x = x - lr * lam * x
            if abs(x) > X_LIMIT:
                return f"diverged at step {k}: |x| passed 1e6 — try a smaller learning rate (below {edge})."
            if abs(x) < TOL:
                how = "in one step: η = 1/λ jumps straight to the minimum" if k == 1 else \
                      ("sliding down one side" if factor > 0 else "zig-zagging across the minimum")
                return f"converged: |x| < 1e-6 after {k} step{'s' * (k > 1)}, {how} (η = {lr:.3g} < {edge})."
        return (f"still on its way after {MAX_STEPS} steps: |x| = {abs(x):.2g} "
                f"({'shrinking' if abs(factor) < 1 else 'growing'} by a factor {abs(factor):.4g} per step).")


# ---------------------------------------------------------------------------------------------
# Explorer B: optimisers on a 2-D loss surface

Surface = namedtuple("Surface", "f grad f_min marks title")
BOUNDS = (-2.0, 2.0, -1.5, 1.5)
SURFACES = {
    # ½(x² + 100y²): a bowl 100 times more curved across (y) than along (x); curvatures 1 and 100.
    "bowl": Surface(
        f=lambda x, y: 0.5 * (x ** 2 + 100 * y ** 2),
        grad=lambda x, y: (x, 100 * y),
        f_min=0.0,
        marks=[((0.0, 0.0), "minimum")],
        title="bowl $f = \\frac{1}{2}(x^2 + 100y^2)$"),
    # (x² − 1)² + 0.6x³ + y²: minima at x = −1.25 (deeper) and x = 0.8, a saddle at the origin.
    "two valleys": Surface(
        f=lambda x, y: (x ** 2 - 1) ** 2 + 0.6 * x ** 3 + y ** 2,
        grad=lambda x, y: (4 * x ** 3 + 1.8 * x ** 2 - 4 * x, 2 * y),
        f_min=-0.85546875,
        marks=[((-1.25, 0.0), "global minimum"), ((0.8, 0.0), "local minimum"), ((0.0, 0.0), "saddle")],
        title="two valleys $f = (x^2-1)^2 + 0.6x^3 + y^2$"),
}
OPTIMIZERS = ["GD", "momentum", "Nesterov", "Adam"]


def surface_explorer(surface="bowl", optimizer="GD", lr=0.018, momentum=0.9, x0=-1.5, y0=1.0, steps=100):
    """Pick a surface and an optimiser (torch.optim), set the learning rate, momentum, start and steps; watch the path."""
    lr = _validate.real("lr", lr, 1e-3, 1.0)
    return SurfaceExplorer(widen({
        "surface": dropdown("surface", list(SURFACES), _validate.choice("surface", surface, SURFACES)),
        "optimizer": dropdown("optimiser", OPTIMIZERS, _validate.choice("optimizer", optimizer, OPTIMIZERS)),
        # Learning rates worth trying span three decades, so this one slider moves on a log scale. Its stops are
        # 10^(k/50): four digits tell 10^-1.7 = 0.01995 (where a browser puts a 0.02 set from Python) from 0.02.
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.02, description="learning rate η",
                                     readout_format=".4g", continuous_update=True, style=CONTROL_STYLE,
                                     layout=widgets.Layout(width="290px")),
        "momentum": slider("momentum β", 0.0, 0.99, 0.01, _validate.real("momentum", momentum, 0.0, 0.99)),
        "x0": slider("start x", -2.0, 2.0, 0.05, _validate.real("x0", x0, -2.0, 2.0)),
        "y0": slider("start y", -1.5, 1.5, 0.05, _validate.real("y0", y0, -1.5, 1.5)),
        "steps": slider("steps", 1, 200, 1, _validate.count("steps", steps, 1, 200), integer=True),
    }))


def run_optimizer(surface, optimizer, lr, momentum, x0, y0, steps):
    """Run a torch.optim optimiser on a surface: the path (k+1, 2), the losses (k+1,), the step it diverged at or None."""
    s = SURFACES[surface]
    p = torch.tensor([x0, y0], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(optimizer, [p], lr, momentum)
    path, losses = [(x0, y0)], [float(s.f(x0, y0))]
    for k in range(1, steps + 1):
        with torch.no_grad():
            # The exact gradient, written out: autograd would give the same numbers, more slowly.
            p.grad = torch.stack(s.grad(p[0], p[1]))
        opt.step()
        with torch.no_grad():
            loss = float(s.f(p[0], p[1]))
        path.append(tuple(p.tolist()))
        losses.append(loss)
        if not math.isfinite(loss) or loss > LOSS_LIMIT:
            return np.array(path), np.array(losses), k
    return np.array(path), np.array(losses), None


def make_optimizer(name, params, lr, momentum):
    """The torch.optim optimiser behind each dropdown entry; the momentum slider (β) is Adam's β₁."""
    if name == "GD" or (name == "Nesterov" and momentum == 0):  # Nesterov with β = 0 is plain GD
        return torch.optim.SGD(params, lr=lr, foreach=False)
    if name in ("momentum", "Nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=name == "Nesterov", foreach=False)
    return torch.optim.Adam(params, lr=lr, betas=(momentum, 0.999), foreach=False)


class SurfaceExplorer(_DescentExplorer):
    """Left: contours of the chosen surface with the optimiser's path. Right: f − f_min per step, log scale."""

    figsize = (9.0, 3.9)

    def build(self, fig):
        # Room between the colour bar's label and the right panel's y label, so that they read as two labels, not one
        fig.get_layout_engine().set(wspace=0.06)
        self.ax, self.loss_ax = fig.subplots(1, 2, width_ratios=[1.45, 1])
        # Both surfaces' contours and marks are drawn once; a change of surface only swaps which is visible.
        self.filled = {}   # each surface's shaded contours, which the colour bar reads
        self.static = {name: self._draw_surface(name) for name in SURFACES}
        self.surface = None
        self.line, = self.ax.plot([], [], "-o", color=COLORS[1], lw=1.2, ms=2.5, animated=True, zorder=3)
        self.start, = self.ax.plot([], [], "o", ms=9, mfc="white", mec=COLORS[1], mew=2, animated=True, zorder=4)
        self.end, = self.ax.plot([], [], "*", ms=15, color=COLORS[1], mec="black", mew=0.6, animated=True, zorder=4)

        lx = self.loss_ax
        lx.set_yscale("log")
        self.loss_line, = lx.plot([], [], color=COLORS[1], lw=1.5, animated=True)
        lx.set(xlim=(0, 200), ylim=(1e-12, 1e5), xlabel="step $k$", ylabel="$f - f_{min}$ (log scale)",
               title="height above the lowest point")
        lx.title.set_fontsize(10)

        # Switching surfaces redraws everything; the layout would not change, so compute it once and keep it.
        self.ax.set_title(SURFACES["two valleys"].title, fontsize=10)
        self.colorbar = fig.colorbar(self.filled[self.controls["surface"].value], ax=self.ax, pad=0.02, fraction=0.05)
        self.colorbar.set_label("$f(x, y)$, darker = lower", fontsize=9)
        self.canvas.draw()
        fig.set_layout_engine("none")

    def _draw_surface(self, name):
        """Draw one surface's contours and critical points; return the artists added."""
        before = set(self.ax.get_children())
        s = SURFACES[name]
        plot.loss_contours(s.f, BOUNDS, ax=self.ax, levels=14)
        self.filled[name] = next(a for a in self.ax.collections if a not in before)   # the shading, drawn first
        for (x, y), label in s.marks:
            marker = {"saddle": "X", "local minimum": "D"}.get(label, "P")
            self.ax.plot(x, y, marker, ms=8, color="black", mec="white", zorder=2)
            self.ax.annotate(label, (x, y), xytext=(0, -13), textcoords="offset points", ha="center",
                             va="top", fontsize=8, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7))
        return [a for a in self.ax.get_children() if a not in before]

    def _show_surface(self, name):
        for surface, artists in self.static.items():
            for artist in artists:
                artist.set_visible(surface == name)
        self.ax.set_title(SURFACES[name].title, fontsize=10)
        if self.colorbar.mappable is not self.filled[name]:   # the same place, the new surface's values
            cax = self.colorbar.ax
            cax.clear()
            self.colorbar = self.fig.colorbar(self.filled[name], cax=cax)
            self.colorbar.set_label("$f(x, y)$, darker = lower", fontsize=9)
        self.surface = name
        self.full_redraw = True

    def update(self, surface, optimizer, lr, momentum, x0, y0, steps):
        if surface != self.surface:
            self._show_surface(surface)
        s = SURFACES[surface]
        path, losses, diverged = run_optimizer(surface, optimizer, lr, momentum, x0, y0, steps)

        # Draw up to the first point far outside the box; beyond it there is nothing to see.
        far = np.flatnonzero(~(np.abs(path) < 50).all(axis=1))
        shown = path[: far[0] + 1] if far.size else path
        shown = np.clip(np.nan_to_num(shown, nan=0.0), -50, 50)
        self.line.set_data(*shown.T)
        self.start.set_data([x0], [y0])
        self.end.set_data(*([c] for c in shown[-1]))
        height = np.clip(np.nan_to_num(losses - s.f_min, nan=1e30, posinf=1e30), 1e-20, 1e30)
        self.loss_line.set_data(np.arange(len(height)), height)

        setting = f"{optimizer}, η = {lr:.4g}" + (f", {'β₁' if optimizer == 'Adam' else 'β'} = {momentum:g}"
                                                   if optimizer != "GD" else "")
        if diverged is not None:
            what = "became inf" if not math.isfinite(losses[-1]) else "passed 1e10"
            return f"diverged at step {diverged}: loss {what} — try a smaller learning rate ({setting})."
        x, y = path[-1]
        # A walk that ends higher than it started has overshot (GD just past 2/λ grows, but slower than 1e10).
        overshot = losses[-1] > losses[0] + 1e-9
        near = next((label for (mx, my), label in s.marks if math.hypot(x - mx, y - my) < 0.02), None)
        # "Near" is not "at": say how far above the lowest value f still is, and whether it is still falling.
        gap = losses[-1] - s.f_min
        above = np.flatnonzero(losses - s.f_min >= 1e-8)
        if overshot:
            how = "higher than at the start: the steps overshoot — try a smaller learning rate"
        elif above.size and above[-1] < steps:
            how = f"within 1e-8 of the lowest value from step {above[-1] + 1} on"
        else:   # against the highest f of the last 50 steps: momentum's f goes up and down while it spirals in
            earlier = losses[max(0, steps - 50):-1].max() - s.f_min
            # Away from a critical point a small drop is still a drop: GD at exactly η = 2/100 on the bowl
            # bounces y between ±1 for ever while x still slides, and a walk may leave a saddle slowly.
            how = ("still falling" if gap < 0.99 * earlier else
                   "no longer falling" if near or gap >= earlier - 1e-12 * (1 + abs(earlier)) else
                   "falling slowly (by less than 1% in the last 50 steps)")
        # "yet" only where the walk is still on its way (GD at exactly the bowl's edge never gets there)
        where = f"near the {near}" if near else "not near a critical point" + (" yet" if how == "still falling" else "")
        return (f"{setting}: after {steps} step{'s' * (steps > 1)} f = {losses[-1]:.3g} at ({x:.3f}, {y:.3f}), {where}; "
                f"f − f_min = {gap:.2g}, {how}.")
