"""Lesson 05's explorer: fit a line to the city data by hand, or let gradient descent walk 10 steps at a time."""
import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from .. import _validate, data, plot
from ..runtime import COLORS
from .base import CONTROL_STYLE, Explorer, slider

W_RANGE = (-0.5, 2.5)       # slope: profit ($10,000s) per 10,000 people
B_RANGE = (-10.0, 6.0)      # intercept: profit ($10,000s) of a city with no people
LR_EXPONENTS = (-4, 0.5)    # learning rate 10⁻⁴ … 3.2: holds both edges, 2/λ_max ≈ 0.016 raw and 2 standardised
X_VIEW = (4.0, 23.0)        # population axis, 10,000s
STEPS = 10                  # gradient-descent steps per press of the button
STEP = 0.01                 # the w and b sliders' step: their readouts (2 decimals) then show what the message says
CONTROL_WIDTH = "350px"     # wider than the shared 290 px: the label takes 105 px, the slider keeps ~170 px
# One set of loss levels for both views of the right panel, so that one colour bar serves both.
LEVELS = [4.4, 4.6, 5, 6, 8, 12, 20, 35, 60, 100, 200, 400]


def line_fit_explorer(w=0.5, b=0.0, show_best=False, standardise=False, lr=0.01):
    """Sliders for the slope w and intercept b of ŷ = w·x + b over the city data (lesson 05), and 10 steps of
    gradient descent on ℒ = ½·MSE at a chosen learning rate, on the raw or the standardised population."""
    for name, value in [("show_best", show_best), ("standardise", standardise)]:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    lr = _validate.real("lr", lr, 10.0 ** LR_EXPONENTS[0], 10.0 ** LR_EXPONENTS[1])

    def checkbox(description, value):
        return widgets.Checkbox(value=bool(value), description=description, indent=False)

    controls = {
        "w": slider("slope w", *W_RANGE, STEP, _validate.real("w", w, *W_RANGE)),
        "b": slider("intercept b", *B_RANGE, STEP, _validate.real("b", b, *B_RANGE)),
        "show_best": checkbox("show the best fit", show_best),
        "standardise": checkbox("standardise x (for gradient descent)", standardise),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=LR_EXPONENTS[0], max=LR_EXPONENTS[1], step=0.01,
                                     description="learning rate η", readout_format=".3g", style=CONTROL_STYLE),
    }
    for control in controls.values():       # room for "learning rate η", and a slider long enough to aim with a mouse
        control.style.description_width, control.layout.width = "105px", CONTROL_WIDTH
    return LineFitExplorer(controls)


def best_fit(x, y):
    """The least-squares slope and intercept (w*, b*) of the line through points x, y."""
    A = np.column_stack([x, np.ones_like(x)])
    w, b = np.linalg.lstsq(A, y, rcond=None)[0]
    return float(w), float(b)


class LineFitExplorer(Explorer):
    """Left: the cities, your line and each city's residual. Right: where your (w, b) sits on the loss surface,
    in raw or standardised units, and the last 10 steps of gradient descent.

    w and b are `exact` controls (see Explorer): "10 steps" leaves them between the sliders' steps.
    """

    figsize = (10.0, 4.3)

    def __init__(self, controls):
        self.walk = None        # the points of the last "10 steps", shown until the learner changes something
        self.walked = None      # the controls' values right after that press
        self.standardised = None
        super().__init__(controls, buttons={f"{STEPS} steps": self.ten_steps}, exact=("w", "b"))
        self.children[0].layout.width = f"{int(CONTROL_WIDTH[:-2]) + 10}px"     # the column that holds the controls

    def build(self, fig):
        X, y = data.city_profit()
        self.x, self.y = X[:, 0].double().numpy(), y.double().numpy()
        self.mu, self.std = self.x.mean(), self.x.std()            # for x′ = (x − μ)/std
        self.best = best_fit(self.x, self.y)
        self.best_loss = self.loss(*self.best)
        ax, self.cost = fig.subplots(1, 2, width_ratios=[1.25, 1])

        # The residual segments go under the points; the lines over them.
        self.residuals = ax.add_collection(LineCollection([], colors=COLORS[1], linewidths=1, alpha=0.7,
                                                          zorder=2, animated=True))
        ax.scatter(self.x, self.y, s=16, color=COLORS[0], edgecolors="white", linewidths=0.5, zorder=3,
                   label=f"{len(self.x)} cities")
        xs = np.array(X_VIEW)
        self.line, = ax.plot(xs, xs, color=COLORS[1], lw=2.5, zorder=4, animated=True, label="your line")
        self.best_line, = ax.plot(xs, self.best[0] * xs + self.best[1], color="black", lw=1.5, ls="--",
                                  zorder=4, animated=True, label="best fit (least squares), when ticked")
        ax.plot([], [], color=COLORS[1], lw=1, alpha=0.7, label="residuals $\\hat y_i - y_i$")
        self.note = ax.text(0.03, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=10,
                            zorder=5, animated=True, bbox=dict(boxstyle="round", fc="white", ec="0.8"))
        pad = 0.08 * (self.y.max() - self.y.min())
        ax.set(xlim=X_VIEW, ylim=(self.y.min() - pad, self.y.max() + pad),
               xlabel="population $x$ (10,000s of people)", ylabel="profit $y$ (\\$10,000s)",
               title="fit the line $\\hat y = w\\,x + b$ by hand")
        ax.axhline(0, color="0.5", lw=0.8, zorder=1)
        # Below the axes: inside, any corner is crossed by some line's residuals.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=8, frameon=False)

        # The loss over (w, b), and over (w′, b′) of the standardised population: one is shown at a time.
        # Both are exact quadratics, ℒ = ½ pᵀGp − pᵀr + c with p = (slope, intercept).
        self.views = {}
        for standardised in (False, True):
            x = self.scaled_x(standardised)
            A = np.column_stack([x, np.ones_like(x)])
            G, r, c = A.T @ A / len(x), A.T @ self.y / len(x), self.y @ self.y / len(x)
            surface = lambda w, b, G=G, r=r, c=c: (0.5 * (G[0, 0] * w * w + 2 * G[0, 1] * w * b + G[1, 1] * b * b)
                                                  - (r[0] * w + r[1] * b) + 0.5 * c)
            if standardised:    # a square around the best line, for a round bowl drawn round
                centre = self.to_view(*self.best, True)
                box = (centre[0] - 8, centre[0] + 8, centre[1] - 8, centre[1] + 8)
            else:
                box = (*W_RANGE, *B_RANGE)
            before = set(self.cost.get_children())
            plot.loss_contours(surface, box, ax=self.cost, levels=LEVELS, resolution=120,
                               colorbar=None if standardised else "loss $\\mathcal{L} = \\frac{1}{2}$MSE")
            self.views[standardised] = [a for a in self.cost.get_children() if a not in before], box
        self.walk_line, = self.cost.plot([], [], "-o", color=COLORS[1], lw=1, ms=3, zorder=5, animated=True)
        self.you, = self.cost.plot([], [], "o", ms=9, color=COLORS[1], mec="black", mew=0.8, zorder=6, animated=True)
        self.best_point, = self.cost.plot([], [], "P", ms=11, color="black", mec="white", zorder=5, animated=True)

    def scaled_x(self, standardised):
        """The population as gradient descent sees it: raw x, or x′ = (x − μ)/std."""
        return (self.x - self.mu) / self.std if standardised else self.x

    def to_view(self, w, b, standardised):
        """The line ŷ = w·x + b as (w′, b′) for x′ = (x − μ)/std when standardised: w′ = std·w, b′ = b + μw."""
        return (self.std * w, b + self.mu * w) if standardised else (w, b)

    def from_view(self, w, b, standardised):
        """The inverse of to_view: back to the slope and intercept of the raw population."""
        return (w / self.std, b - self.mu * w / self.std) if standardised else (w, b)

    def loss(self, w, b):
        """ℒ = ½·MSE of the line ŷ = w·x + b on the cities (½ of the mean squared residual)."""
        return float(0.5 * np.mean((w * self.x + b - self.y) ** 2))

    def descend(self, w, b, lr, standardised, steps=STEPS):
        """The (slope, intercept) points of `steps` gradient-descent steps on ℒ, in the view's units."""
        x = self.scaled_x(standardised)
        p = np.array(self.to_view(w, b, standardised))
        path = [p]
        with np.errstate(over="ignore", invalid="ignore"):    # far past the edge the steps may overflow
            for _ in range(steps):
                r = p[0] * x + p[1] - self.y                  # residuals ŷ − y
                p = p - lr * np.array([np.mean(r * x), np.mean(r)])
                path.append(p)
        return np.array(path)

    def ten_steps(self):
        """Walk 10 steps downhill from the sliders' line; the sliders follow (within their range)."""
        v = self.values()
        self.walk = self.descend(v["w"], v["b"], v["lr"], v["standardise"])
        w, b = self.from_view(*self.walk[-1], v["standardise"])
        for name, value, (low, high) in [("w", w, W_RANGE), ("b", b, B_RANGE)]:
            self.keep(name, float(np.clip(np.nan_to_num(value, nan=high), low, high)))
        self.walked = self.values()

    def show_view(self, standardised):
        """Show the loss over (w, b), or over (w′, b′) of the standardised population (a full redraw)."""
        for view, (artists, box) in self.views.items():
            for artist in artists:
                artist.set_visible(view == standardised)
        box = self.views[standardised][1]
        self.cost.set(xlim=box[:2], ylim=box[2:], aspect="equal" if standardised else "auto")
        if standardised:
            self.cost.set(xlabel="slope $w'$ (per std of population)", ylabel="intercept $b'$",
                          title="$\\mathcal{L}(w', b')$ with $x' = (x - \\mu)/\\mathrm{std}$")
        else:
            self.cost.set(xlabel="slope $w$", ylabel="intercept $b$", title="$\\mathcal{L}(w, b)$ on the raw population")
        self.cost.title.set_fontsize(10)
        self.standardised = standardised
        self.full_redraw = True

    def update(self, w, b, show_best, standardise, lr):
        if standardise != self.standardised:
            self.show_view(standardise)
        if self.walked != dict(w=w, b=b, show_best=show_best, standardise=standardise, lr=lr):
            self.walk = self.walked = None         # the learner changed something (a browser's echo is no change)
        walk = self.walk
        pred = w * self.x + b
        loss = self.loss(w, b)
        xs = np.array(X_VIEW)
        self.line.set_ydata(w * xs + b)
        self.residuals.set_segments(np.stack([np.column_stack([self.x, self.y]),
                                              np.column_stack([self.x, pred])], axis=1))
        view_w, view_b = self.to_view(w, b, standardise)
        best_w, best_b = self.to_view(*self.best, standardise)
        self.you.set_data([view_w], [view_b])
        self.best_point.set_data([best_w], [best_b])
        self.walk_line.set_data(*(walk.T if walk is not None else ([], [])))
        self.best_line.set_visible(show_best)
        self.best_point.set_visible(show_best)
        self.note.set_text(f"$\\mathcal{{L}}$ = {loss:.2f}" + (f"\nbest: {self.best_loss:.2f}" if show_best else ""))

        text = (f"w = {w:.2f}, b = {b:.2f}: ℒ = ½·MSE = {loss:.4g} ($10,000)², "
                f"a typical miss of √MSE ≈ ${np.sqrt(2 * loss) * 10_000:,.0f}.")
        if standardise:
            text += f" With x′ = (x − {self.mu:.2f})/{self.std:.2f} the same line is w′ = {view_w:.2f}, b′ = {view_b:.2f}."
        if walk is not None:
            text = self.verdict(walk, lr, standardise) + " " + text
        if not show_best:
            return text + " Make the orange segments short overall."
        ratio = loss / self.best_loss
        w_star, b_star = self.best
        if ratio < 1.01:
            # 1% of the loss, not of w and b: along the valley floor a line this good can be far from (w*, b*)
            return text + (f" Your ℒ is within 1% of the lowest ℒ, {self.best_loss:.4g} "
                           f"(the best line: w* = {w_star:.3f}, b* = {b_star:.3f}): well fitted!")
        times = f"{ratio:.3f}" if ratio < 1.1 else f"{ratio:.2f}"    # not "1.01" for 1.012: that reads as within 1%
        return text + (f" The best line, w* = {w_star:.3f}, b* = {b_star:.3f}, has ℒ = {self.best_loss:.4g}; "
                       f"yours is {times} times that.")

    def verdict(self, walk, lr, standardise):
        """One sentence on the last 10 steps: did the loss fall or rise, and did the walk leave the sliders?"""
        start, end = (self.loss(*self.from_view(*p, standardise)) for p in (walk[0], walk[-1]))
        said = f"{STEPS} steps at learning rate η = {lr:.4g}:"
        if not np.isfinite(end) or end > start * (1 + 1e-9):
            said += (f" ℒ rose from {start:.4g} to {end:.4g}: each step overshoots the bottom further than the one "
                     "before. This learning rate is too large.")
        elif end < start * (1 - 1e-9):
            said += f" ℒ fell from {start:.4g} to {end:.4g}."
        else:
            said += f" ℒ stayed at {start:.4g}."
        w, b = self.from_view(*walk[-1], standardise)
        if not (np.isfinite([w, b]).all() and W_RANGE[0] <= w <= W_RANGE[1] and B_RANGE[0] <= b <= B_RANGE[1]):
            said += " The walk left the range of the sliders, so they stop at its edge."
        return said
