"""Lesson 01's explorer: one threshold unit, its line, its firing half-plane and its truth-table score."""
import numpy as np
from matplotlib.patches import FancyArrowPatch, Polygon

from .. import _validate, data, plot
from ..plot import MARKERS
from ..runtime import COLORS
from .base import Explorer, dropdown, slider

TWO_INPUT_GATES = ["AND", "OR", "NAND", "NOR", "XOR"]
BOUNDS = (-0.5, 1.5, -0.5, 1.5)
RIGHT, WRONG = "#cdeccd", "#f6c9b5"  # table cell tints


def neuron_explorer(gate="AND", w1=1.0, w2=1.0, theta=1.5):
    """Sliders for w1, w2, θ and a gate dropdown: watch one unit's line and score the truth table."""
    return NeuronExplorer({
        "gate": dropdown("gate", TWO_INPUT_GATES, _validate.choice("gate", gate, TWO_INPUT_GATES)),
        "w1": slider("w₁", -3.0, 3.0, 0.1, _validate.real("w1", w1, -3, 3)),
        "w2": slider("w₂", -3.0, 3.0, 0.1, _validate.real("w2", w2, -3, 3)),
        "theta": slider("θ", -3.0, 3.0, 0.1, _validate.real("theta", theta, -3, 3)),
    })


class NeuronExplorer(Explorer):
    """Left: the four inputs, the line w·x = θ and the shaded side where the unit fires. Right: the truth table,
    with each input's z = w·x − θ and the unit's output."""

    figsize = (7.4, 3.7)

    def build(self, fig):
        ax, table = fig.subplots(1, 2, width_ratios=[1.1, 1])
        self.X = data.binary_inputs(2).numpy()
        color = COLORS[1]
        self.fires = ax.add_patch(Polygon(np.zeros((3, 2)), color=color, alpha=0.15, lw=0, animated=True))
        self.line, = ax.plot([], [], color=color, lw=2.5, animated=True, label="$w_1x_1 + w_2x_2 = \\theta$")
        self.arrow = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=14,
                                                  color=color, animated=True))
        # one scatter per target, coloured and shaped as in plot.scatter_classes: 0 = blue circle, 1 = orange square
        self.points = [ax.scatter([], [], s=170, color=COLORS[c], marker=MARKERS[c], edgecolors="white",
                                  linewidths=1, zorder=3, animated=True, label=f"target {c}") for c in (0, 1)]
        self.wrong = ax.scatter([], [], s=460, facecolors="none", edgecolors="black", linewidths=2,
                                zorder=4, animated=True, label="unit is wrong here")
        self.w_label = ax.text(0, 0, r"$\mathbf{w}$", color=color, fontsize=12, ha="center", va="center",
                              clip_on=True, animated=True)
        ax.set(xlim=BOUNDS[:2], ylim=BOUNDS[2:], aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
               title="shaded: where the unit fires ($\\mathbf{w} \\cdot \\mathbf{x} \\geq \\theta$)")
        ax.title.set_fontsize(10)

        # The truth table as a text grid: a title, the column names, one row per input, the score.
        table.set(xlim=(0, 6), ylim=(0, 6.2))
        table.axis("off")
        self.header = table.text(3, 5.8, "", ha="center", va="center", fontsize=11, animated=True)
        for j, name in enumerate(["$x_1$", "$x_2$", "target", "$z$", "unit", ""]):
            table.text(j + 0.5, 5.1, name, ha="center", va="center", fontsize=10, weight="bold")
        self.cells = []  # per input row: the target, z, the unit's output, the ✓/✗ mark
        for i, (a, b) in enumerate(self.X):
            row_y = 4.4 - 0.6 * i
            table.text(0.5, row_y, f"{a:g}", ha="center", va="center")
            table.text(1.5, row_y, f"{b:g}", ha="center", va="center")
            self.cells.append([table.text(j + 2.5, row_y, "", ha="center", va="center", animated=True)
                               for j in range(4)])
            self.cells[-1][3].set_bbox(dict(boxstyle="round", lw=0))
        table.text(3, 1.95, "$z = w_1x_1 + w_2x_2 - \\theta$; unit = 1 when $z \\geq 0$",
                   ha="center", va="center", fontsize=8.5)
        self.score = table.text(3, 1.35, "", ha="center", va="center", fontsize=13, weight="bold",
                                animated=True)
        handles = [self.line, self.wrong, *self.points]  # two columns: the unit's marks, then the targets
        table.legend(handles, [h.get_label() for h in handles], loc="lower center", ncol=2, fontsize=8,
                     markerscale=0.6)

    def update(self, gate, w1, w2, theta):
        y = data.logic_gate(gate)[1].numpy().astype(int)
        w = np.array([w1, w2])
        # The sliders move in tenths, which floats store inexactly (0.6 + 0.3 = 0.8999999999999999):
        # rounding z lets a sum that lands exactly on θ reach it, as the rule w·x >= θ says on paper.
        z = np.round(self.X @ w - theta, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
        fired = (z >= 0).astype(int)
        ok = fired == y
        score = int(ok.sum())

        fires, line, arrow = plot.unit_geometry(w, theta, BOUNDS)
        self.fires.set_xy(fires if fires else np.full((3, 2), np.nan))
        self.line.set_data(*np.transpose(line) if line else ([], []))
        for artist in (self.line, self.arrow, self.w_label):  # with w = 0 there is no line
            artist.set_visible(bool(line))
        if line:
            self.arrow.set_positions(*arrow)
            self.w_label.set_position(np.add(arrow[1], 0.08 * w / np.linalg.norm(w)))
        for c, points in enumerate(self.points):
            points.set_offsets(self.X[y == c])
        self.wrong.set_offsets(self.X[~ok] if (~ok).any() else np.empty((0, 2)))
        self.header.set_text(f"truth table of {gate}")
        for i, (target, z_text, unit, mark) in enumerate(self.cells):
            target.set_text(str(y[i]))
            z_text.set_text(f"{z[i]:.1f}".replace("-", "\u2212"))  # a true minus sign, as on the axes
            unit.set_text(str(fired[i]))
            mark.set_text("✓" if ok[i] else "✗")
            mark.get_bbox_patch().set_facecolor(RIGHT if ok[i] else WRONG)
        self.score.set_text(f"{score}/4 rows correct")
        self.score.set_color(COLORS[2] if score == 4 else "black")

        if score == 4:
            return f"This unit computes {gate}: all 4 rows correct."
        if not line:  # no line in the picture: the unit fires on all four inputs or on none
            why = ("both weights are 0, so θ alone decides and there is no line. Move a weight away from 0."
                   if w1 == w2 == 0 else
                   "its line lies outside the picture. Bring it in: θ nearer 0, or a weight farther from 0.")
            return f"{score}/4 for {gate}. The unit fires on {'every' if fired.all() else 'no'} input: {why}"
        if gate == "XOR":
            return f"{score}/4 for XOR. No setting gets 4/4: the section on XOR below shows why."
        return f"{score}/4 for {gate}. Move the line so that only the target-1 points are on the shaded side."
