"""Lesson 07's explorer: how large each layer's gradient is in a deep network at initialisation, and why."""
import ipywidgets as widgets
import numpy as np
import torch
from matplotlib import colormaps
from matplotlib.colors import LogNorm, to_rgba
from matplotlib.patches import Rectangle
from torch import nn

from .. import _validate, data, gradients, train
from ..runtime import COLORS
from .base import Explorer, dropdown, slider

MAX_DEPTH = 30
FLOOR, CEILING = 1e-12, 1e2           # the fixed log axis of the gradient norms: bars are clipped to it
HUGE = CEILING                        # a gradient norm above the chart is exploding whatever the ratio: at gain 1.5
                                      # (ReLU + He bars up to 2× the top) lesson 07's spiral network diverges
TINY = 1e-3                           # every gradient norm below this is vanishing whatever the ratio
N_EXAMPLES = 256                      # the fixed batch: the first 256 handwritten digits
BINS = 40                             # activation-value bins of the heat map
VALUE_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "ReLU": (0.0, 3.0)}  # ReLU values above 3 go in the top bin
SATURATION_RULE = {"sigmoid": "a < 0.02 or a > 0.98", "tanh": "|a| > 0.98", "ReLU": "a = 0 (unit off)"}
INITS = ["default", "Xavier", "He"]
# The lesson's colours (its section 2): a sigmoid, tanh or ReLU network's bars in its colour; with BatchNorm, BatchNorm's.
BAR_COLOR = {"sigmoid": COLORS[0], "tanh": COLORS[1], "ReLU": COLORS[2], "norm": COLORS[3]}
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def gradient_explorer(depth=10, activation="sigmoid", init="default", norm=False, width=64, seed=0, gain=1.0):
    """A deep MLP at initialisation on 256 digits: ‖∂ℒ/∂W^l‖ per layer, activations and saturation (lesson 07).

    `depth` is the number of hidden layers (1–30), so the bars show W^1 … W^L with L = depth + 1; `norm`
    puts BatchNorm between each hidden Linear layer and its activation; the gain g multiplies every initial
    weight (large weights saturate sigmoid and tanh, and make ReLU gradients explode). The weights come
    from `seed`, so the picture changes only when a control does.
    """
    if not isinstance(norm, (bool, np.bool_)):
        raise TypeError(f"norm must be True (BatchNorm) or False, got {type(norm).__name__} {norm!r}")
    return GradientExplorer({
        "depth": slider("depth", 1, MAX_DEPTH, 1, _validate.count("depth", depth, 1, MAX_DEPTH), integer=True),
        "activation": dropdown("activation", list(VALUE_RANGE), _validate.choice("activation", activation, VALUE_RANGE)),
        "init": dropdown("init", INITS, _validate.choice("init", init, INITS)),
        "norm": widgets.Checkbox(value=bool(norm), description="BatchNorm before each activation", indent=False,
                                 layout=widgets.Layout(width="290px")),
        "gain": slider("gain g", 0.25, 5.0, 0.05, _validate.real("gain", gain, 0.25, 5.0)),
    }, width=_validate.count("width", width, 1, 1024), seed=_validate.count("seed", seed, 0))


def verdict(norms):
    """One sentence on the gradient norms [‖∂ℒ/∂W^1‖, …, ‖∂ℒ/∂W^L‖]: vanishing, exploding or healthy."""
    ratio = norms[0] / norms[-1]
    if not np.isfinite(norms).all():
        return "A gradient became NaN or inf: the numbers overflowed, so nothing can be learned from them."
    if ratio == 0:
        return "The first layer's gradient is exactly 0 (too small for float32): the early layers cannot learn at all."
    if ratio < 0.1:
        return (f"The first layer's gradient is {number(ratio)} times the last layer's: "
                "the early layers barely learn (vanishing gradients).")
    if ratio > 10:
        return (f"The first layer's gradient is {number(ratio)} times the last layer's: "
                "the early layers take huge steps (exploding gradients).")
    # Equal but enormous: ReLU with zero biases scales with its input, so multiplying every W by g
    # multiplies every weight gradient alike (by g^(L-1)) and the ratio stays healthy (lesson 07, section 5).
    if max(norms) > HUGE:
        return (f"Every layer's gradient is huge, up to {number(max(norms))} (bars clipped at 10²): "
                "one step of gradient descent would throw the weights far away (exploding gradients).")
    # Equal but tiny, the mirror image: weights too small for ReLU (or tanh) shrink the signal on its way up
    # and the error on its way down at every layer, so every weight gradient shrinks alike (lesson 07).
    if max(norms) < TINY:
        return (f"Every layer's gradient is tiny, at most {number(max(norms))}: the signal and the error both "
                "shrank at every layer, so gradient descent would barely move (vanishing gradients).")
    return (f"Healthy: the first layer's gradient is {number(ratio)} times the last layer's (within 10×), "
            "so every layer learns at a similar speed.")


def number(x, math=False):
    """A ratio as the lesson prints it: 1.4 → "1.4", 250 → "250", 3.7e-08 → "3.7 × 10⁻⁸" (or mathtext)."""
    if not np.isfinite(x) or x == 0 or 0.01 <= x < 10:
        return f"{x:.2g}"
    if 10 <= x < 1000:
        return f"{x:.0f}"
    mantissa, exponent = f"{x:.1e}".split("e")        # "3.7e-08": rounded once, never "10.0 × 10⁻⁸"
    if math:
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"{mantissa} × 10" + str(int(exponent)).translate(SUPERSCRIPT)


class GradientExplorer(Explorer):
    """Left: ‖∂ℒ/∂W^l‖ per layer on a fixed log axis. Right: each hidden layer's activations and saturation."""

    figsize = (9.6, 4.2)

    def __init__(self, controls, width, seed):
        self.width, self.seed = width, seed
        X, y = data.digits()
        self.X, self.y = X[:N_EXAMPLES], y[:N_EXAMPLES]  # real digits with their real labels, always the same
        self.loss_fn = nn.CrossEntropyLoss()
        self.shown = None  # (layers shown, activation): the static part the background was drawn for
        self.norms, self.saturated, self.verdict = None, None, ""  # the last measurement, as numbers and words
        super().__init__(controls)

    def build(self, fig):
        axes = fig.subplot_mosaic([["grad", "hist"], ["grad", "sat"]], height_ratios=[2.2, 1])
        self.ax, self.hist_ax, self.sat_ax = axes["grad"], axes["hist"], axes["sat"]
        layers = np.arange(1, MAX_DEPTH + 2)

        # Bars from the floor of the log axis up to each norm; one per possible layer, unused ones hidden.
        self.bars = self.ax.bar(layers, np.ones(len(layers)), bottom=FLOOR, color=COLORS[0], animated=True)
        # The band within 10× of the output layer's gradient: a healthy network keeps every bar inside it.
        # Drawn over the bars with dashed edges, so that it stays visible over ReLU's bars, which share its green.
        self.band = self.ax.add_patch(Rectangle((0, 1), 1, 1, transform=self.ax.get_yaxis_transform(),
                                                facecolor=to_rgba(COLORS[2], 0.15), edgecolor="0.3", lw=1,
                                                ls="--", zorder=3, animated=True))
        self.ax.set(yscale="log", ylim=(FLOOR, CEILING), xlabel="layer $l$ (1 = first, $L$ = output)",
                    ylabel=r"$\|\partial \mathcal{L} / \partial W^l\|$ (log scale)")
        self.ax.title.set(fontsize=10, animated=True)

        # The heat map: a colour per (layer, value bin) on a log scale from 0.1% to 100%; white where none.
        self.image = self.hist_ax.imshow(np.zeros((BINS, 1)), origin="lower", aspect="auto",
                                         cmap=colormaps["Blues"].with_extremes(bad="white"),
                                         norm=LogNorm(1e-3, 1), interpolation="nearest", animated=True)
        self.hist_ax.set(ylabel="activation $a^l$", xticklabels=[])
        self.hist_ax.set_title("share of outputs at each value, per hidden layer", fontsize=10)
        self.hist_ax.grid(False)
        # The key to the shading, beside both right-hand panels so that their layer axes stay aligned.
        fig.colorbar(self.image, ax=[self.hist_ax, self.sat_ax], label="share of a layer's outputs", shrink=0.6,
                     anchor=(0, 1))

        self.sat_bars = self.sat_ax.bar(layers[:-1], np.zeros(MAX_DEPTH), animated=True)
        self.sat_ax.set(ylim=(0, 100), ylabel="saturated %", xlabel="hidden layer $l$")
        self.sat_ax.title.set(fontsize=9, animated=True)

    def update(self, depth, activation, init, norm, gain):
        # The same seed for the same settings, in a private RNG stream: the learner's global RNG is untouched.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            model = train.make_mlp(64, self.width, depth, 10, activation, init, "batch" if norm else None, gain)
        norms = np.array(gradients.gradient_norms(model, self.X, self.y, self.loss_fn))
        a = gradients.layer_activations(model, self.X)
        self.relayout(depth, activation)

        L = depth + 1
        color = BAR_COLOR["norm" if norm else activation]
        for l, bar in enumerate(self.bars, start=1):
            bar.set_visible(l <= L)
            bar.set_color(color)
            if l <= L:
                bar.set_height(np.clip(np.nan_to_num(norms[l - 1], nan=CEILING), FLOOR, CEILING) - FLOOR)
        self.band.set_visible(bool(np.isfinite(norms[-1]) and norms[-1] > 0))
        self.band.set_y(norms[-1] / 10)
        self.band.set_height(norms[-1] * 10 - norms[-1] / 10)
        self.norms = norms
        first_over_last = rf"\|\partial\mathcal{{L}}/\partial W^1\| \,/\, \|\partial\mathcal{{L}}/\partial W^{{{L}}}\|"
        self.ax.title.set_text(f"${first_over_last} = {number(norms[0] / norms[-1], math=True)}$"
                               "\n(green band: within 10× of the last layer)")

        # The heat map: for each hidden layer, the share of its N × width values that falls in each bin.
        lo, hi = VALUE_RANGE[activation]
        values = torch.stack(a).flatten(1)                                  # (depth, N · width)
        bins = ((values - lo) / (hi - lo) * BINS).long().clamp(0, BINS - 1)  # outside the range: the end bins
        share = torch.zeros(depth, BINS).scatter_add_(1, bins, torch.ones_like(values)) / values.shape[1]
        picture = np.full((BINS, self.shown[0]), np.nan)
        picture[:, :depth] = share.T.numpy()
        self.image.set_data(np.ma.masked_where(~(picture > 0), picture))     # 0 and the unused layers: white

        self.saturated = saturated = [gradients.saturation(layer, activation) for layer in a]
        for l, bar in enumerate(self.sat_bars, start=1):
            bar.set_visible(l <= depth)
            bar.set_color(color)
            if l <= depth:
                bar.set_height(100 * saturated[l - 1])
        self.sat_ax.title.set_text(f"saturated: {SATURATION_RULE[activation]} — "
                                   f"{np.mean(saturated):.0%} of all outputs")
        self.verdict = verdict(norms)
        return self.verdict

    def relayout(self, depth, activation):
        """Round the layers shown up to 5, 12, 20 or 30, so that dragging depth rarely redraws the axes."""
        n = next(n for n in (5, 12, 20, MAX_DEPTH) if n >= depth)  # 12: the default depth 10 sits inside
        if (n, activation) == self.shown:
            return
        self.shown = (n, activation)
        ticks = list(range(1, n + 2)) if n <= 10 else [1] + list(range(5, n + 2, 5))
        self.ax.set(xlim=(0.4, n + 1.6), xticks=ticks)
        ticks = [t for t in ticks if t <= n]
        lo, hi = VALUE_RANGE[activation]
        self.image.set_extent((0.5, n + 0.5, lo, hi))
        self.hist_ax.set(xlim=(0.5, n + 0.5), ylim=(lo, hi), xticks=ticks)
        self.sat_ax.set(xlim=(0.5, n + 0.5), xticks=ticks)
        self.full_redraw = True

