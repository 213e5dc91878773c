"""Lesson 05's explorer: fit a line to the city data by hand, with residuals, the MSE and the best fit."""
import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from .. import _validate, data, plot
from ..runtime import COLORS
from .base import Explorer, slider

W_RANGE = (-0.5, 2.5)       # slope: profit ($10,000s) per 10,000 people
B_RANGE = (-10.0, 6.0)      # intercept: profit ($10,000s) of a city with no people
X_VIEW = (4.0, 23.0)        # population axis, 10,000s


def line_fit_explorer(w=0.5, b=0.0, show_best=False):
    """Sliders for the slope w and intercept b of ŷ = w·x + b over the city data (lesson 05); MSE, best-fit toggle."""
    if not isinstance(show_best, (bool, np.bool_)):
        raise TypeError(f"show_best must be True or False, got {type(show_best).__name__} {show_best!r}")
    return LineFitExplorer({
        "w": slider("w (slope)", *W_RANGE, 0.01, _validate.real("w", w, *W_RANGE)),
        "b": slider("b", *B_RANGE, 0.05, _validate.real("b", b, *B_RANGE)),
        "show_best": widgets.Checkbox(value=bool(show_best), description="show the best fit", indent=False,
                                      layout=widgets.Layout(width="290px")),
    })


def best_fit(x, y):
    """The least-squares slope and intercept (w*, b*) of the line through points x, y."""
    A = np.column_stack([x, np.ones_like(x)])
    w, b = np.linalg.lstsq(A, y, rcond=None)[0]
    return float(w), float(b)


class LineFitExplorer(Explorer):
    """Left: the cities, your line and each city's residual. Right: where your (w, b) sits on the MSE surface."""

    figsize = (9.4, 4.0)

    def build(self, fig):
        X, y = data.city_profit()
        self.x, self.y = X[:, 0].double().numpy(), y.double().numpy()
        self.best = best_fit(self.x, self.y)
        self.best_mse = self.mse(*self.best)
        ax, cost = fig.subplots(1, 2, width_ratios=[1.35, 1])

        # The residual segments go under the points; the lines over them.
        self.residuals = ax.add_collection(LineCollection([], colors=COLORS[1], linewidths=1, alpha=0.7,
                                                          zorder=2, animated=True))
        ax.scatter(self.x, self.y, s=16, color=COLORS[0], edgecolors="white", linewidths=0.5, zorder=3,
                   label=f"{len(self.x)} cities")
        xs = np.array(X_VIEW)
        self.line, = ax.plot(xs, xs, color=COLORS[1], lw=2.5, zorder=4, animated=True, label="your line")
        self.best_line, = ax.plot(xs, self.best[0] * xs + self.best[1], color="black", lw=1.5, ls="--",
                                  zorder=4, animated=True, label="best fit (least squares)")
        ax.plot([], [], color=COLORS[1], lw=1, alpha=0.7, label="residuals $\\hat y_i - y_i$")
        self.note = ax.text(0.03, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=10,
                            zorder=5, animated=True, bbox=dict(boxstyle="round", fc="white", ec="0.8"))
        pad = 0.08 * (self.y.max() - self.y.min())
        ax.set(xlim=X_VIEW, ylim=(self.y.min() - pad, self.y.max() + pad),
               xlabel="population (10,000s of people)", ylabel="profit ($10,000s)",
               title="fit the line $\\hat y = w\\,x + b$ by hand")
        ax.axhline(0, color="0.5", lw=0.8, zorder=1)
        ax.legend(loc="lower right", fontsize=8)

        # The MSE surface over the sliders' ranges: a long, thin valley, because w and b trade off.
        A = np.column_stack([self.x, np.ones_like(self.x)])
        G, r, c = A.T @ A / len(self.x), A.T @ self.y / len(self.x), self.y @ self.y / len(self.x)
        surface = lambda w, b: G[0, 0] * w * w + 2 * G[0, 1] * w * b + G[1, 1] * b * b - 2 * (r[0] * w + r[1] * b) + c
        plot.loss_contours(surface, (*W_RANGE, *B_RANGE), ax=cost, levels=12, resolution=120,
                           labels=("slope $w$", "intercept $b$"))
        self.you, = cost.plot([], [], "o", ms=9, color=COLORS[1], mec="black", mew=0.8, zorder=6, animated=True)
        self.best_point, = cost.plot(*self.best, "P", ms=11, color="black", mec="white", zorder=5, animated=True)
        cost.set_title("MSE$(w, b)$: ● you, ✚ the best fit", fontsize=10)

    def mse(self, w, b):
        """Mean squared error of the line ŷ = w·x + b on the cities."""
        return float(np.mean((w * self.x + b - self.y) ** 2))

    def update(self, w, b, show_best):
        pred = w * self.x + b
        mse = self.mse(w, b)
        xs = np.array(X_VIEW)
        self.line.set_ydata(w * xs + b)
        self.residuals.set_segments(np.stack([np.column_stack([self.x, self.y]),
                                              np.column_stack([self.x, pred])], axis=1))
        self.you.set_data([w], [b])
        self.best_line.set_visible(show_best)
        self.best_point.set_visible(show_best)
        self.note.set_text(f"MSE = {mse:.2f}" + (f"\nbest: {self.best_mse:.2f}" if show_best else ""))

        text = (f"w = {w:.2f}, b = {b:.2f}: MSE = {mse:.4g} ($10,000)², "
                f"a typical miss of √MSE ≈ ${np.sqrt(mse) * 10_000:,.0f}.")
        if not show_best:
            return text + " Make the orange segments short overall."
        ratio = mse / self.best_mse
        w_star, b_star = self.best
        if ratio < 1.01:
            return text + f" Within 1% of the best line (w* = {w_star:.3f}, b* = {b_star:.3f}): well fitted!"
        return text + (f" The best line, w* = {w_star:.3f}, b* = {b_star:.3f}, has MSE {self.best_mse:.4g}; "
                       f"yours is {ratio:.2f} times that.")
