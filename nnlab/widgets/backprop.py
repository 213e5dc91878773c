"""Lesson 04's explorer: a 2-2-1 sigmoid network showing b, z, a and δ at every unit and ∂ℒ/∂w on every edge."""
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from .. import _validate
from ..runtime import COLORS
from .base import Explorer, slider

INPUTS = [(0.0, 1.3), (0.0, -1.3)]
HIDDEN = [(4.0, 1.3), (4.0, -1.3)]
OUTPUT = (8.0, 0.0)
RADIUS = 0.8
# name: (slider label, start value). W¹ (2×2) and W² (1×2), indexed as in the lesson: w^l_jk joins unit k of
# layer l−1 to unit j of layer l.
WEIGHTS = {"w11": ("w¹₁₁", 0.8), "w12": ("w¹₁₂", -0.6), "w21": ("w¹₂₁", 0.4), "w22": ("w¹₂₂", 1.1),
           "v1": ("w²₁₁", 1.2), "v2": ("w²₁₂", -0.9)}
START = {name: value for name, (_, value) in WEIGHTS.items()}
START_BIASES = (np.array([0.1, -0.2]), np.array([0.05]))
LIMIT = 4.0  # weight sliders run from -LIMIT to LIMIT
STEP = 0.01  # a weight slider's step: its readout (2 decimals) then shows what the picture shows


def number(v):
    """A loss for the picture and the message: 5 decimals, or 2 significant digits once it is tiny."""
    return f"{v:.5f}" if v >= 1e-4 else f"{v:.1e}"


def sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))  # the clip only keeps exp from overflowing (biases are unbounded)


def forward_backward(x, y, W1, b1, W2, b2):
    """One example through the 2-2-1 sigmoid net with ℒ = ½(ŷ − y)², ŷ = a²: every z, a, δ and gradient."""
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - y) * a2 * (1 - a2)              # BP1: δ^L = (a^L − y) ⊙ σ'(z^L)
    delta1 = (W2.T @ delta2) * a1 * (1 - a1)       # BP2: δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ'(z^l)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "delta1": delta1, "delta2": delta2,
            "loss": 0.5 * float((a2 - y) @ (a2 - y)),
            "dW1": np.outer(delta1, x), "db1": delta1, "dW2": np.outer(delta2, a1), "db2": delta2}  # BP3, BP4


def backprop_explorer(x1=1.0, x2=0.5, y=1.0, lr=2.0):
    """Sliders for inputs, target, weights and learning rate η; 'step' runs one gradient-descent update."""
    controls = {
        "x1": slider("input x₁", -2.0, 2.0, 0.1, _validate.real("x1", x1, -2, 2)),
        "x2": slider("input x₂", -2.0, 2.0, 0.1, _validate.real("x2", x2, -2, 2)),
        "y": slider("target y", 0.0, 1.0, 0.05, _validate.real("y", y, 0, 1)),
        **{name: slider(label, -LIMIT, LIMIT, STEP, value) for name, (label, value) in WEIGHTS.items()},
        "lr": slider("learning rate η", 0.1, 50.0, 0.1, _validate.real("lr", lr, 0.1, 50)),
    }
    for control in controls.values():  # room for "learning rate η"
        control.style.description_width = "105px"
    return BackpropExplorer(controls)


class BackpropExplorer(Explorer):
    """The network as a diagram; 'step' applies w ← w − η ∂ℒ/∂w to every weight and bias; 'reset' undoes it all.

    The weights are `exact` controls (see Explorer): a step leaves them between the sliders' steps.
    """

    figsize = (8.6, 4.0)

    def __init__(self, controls):
        self.start = {name: control.value for name, control in controls.items()}
        self.b1, self.b2 = (b.copy() for b in START_BIASES)
        self.steps, self.last_loss, self.clipped, self.stepped = 0, None, [], None
        super().__init__(controls, buttons={"step": self.step, "reset": self.reset}, exact=WEIGHTS)

    def build(self, fig):
        ax = fig.subplots()
        ax.set(xlim=(-1.0, 11.8), ylim=(-3.05, 2.7), aspect="equal")
        ax.axis("off")
        self.edges, self.edge_labels = {}, {}
        for j, h in enumerate(HIDDEN):
            for k, x in enumerate(INPUTS):
                # The crossing edges are labelled near their input end, where they are still far apart.
                self._edge(ax, f"w{j + 1}{k + 1}", x, h, 0.5 if j == k else 0.34)
            self._edge(ax, f"v{j + 1}", h, OUTPUT, 0.5)
        for (x, y), color in zip(INPUTS + HIDDEN + [OUTPUT], [COLORS[0]] * 2 + [COLORS[2]] * 3):
            ax.add_patch(Circle((x, y), RADIUS, fc="white", ec=color, lw=2, zorder=2))
        text = dict(ha="center", va="center", fontsize=8, zorder=3, animated=True)
        self.input_text = [ax.text(x, y, "", **text) for x, y in INPUTS]
        # Only numbers change, so the names (b, z, a, δ) and the formulas are drawn once, into the background:
        # fewer glyphs to paint on every frame.
        self.unit_text = [self._unit(ax, x, y, bias)
                          for (x, y), bias in zip(HIDDEN + [OUTPUT], ["b¹₁", "b¹₂", "b²₁"])]
        ax.add_patch(FancyBboxPatch((9.5, -1.3), 1.9, 2.6, boxstyle="round,pad=0.1", fc="#fdf1e8", ec=COLORS[1]))
        line = dict(ha="center", va="center", fontsize=8.5, zorder=3)
        for y, static in [(0.75, "ℒ = ½(ŷ − y)²"), (-0.15, "step:"), (-0.45, "w ← w − η ∂ℒ/∂w")]:
            ax.text(10.45, y, static, **line)
        self.loss_text = [ax.text(10.45, y, "", animated=True, **line) for y in (1.1, 0.45, -0.8, -1.1)]
        for x, label in [(0, "inputs"), (4.0, "hidden layer (sigmoid)"), (8.0, "output ŷ (sigmoid)")]:
            ax.text(x, 2.45, label, ha="center", fontsize=9, color="0.3")
        ax.text(5.4, -2.55, "each edge: its weight (line width |w|; blue w > 0, pink w < 0) and, in orange, "
                "∂ℒ/∂w (BP3)\neach unit: its bias b, sum z, activation a and error δ = ∂ℒ/∂z = ∂ℒ/∂b (BP4)",
                ha="center", va="top", fontsize=7.5, color="0.35")

    def _edge(self, ax, name, start, end, where):
        # The edges are repainted over the static circles, so stop them at the circles' rims.
        unit = np.subtract(end, start) / np.hypot(*np.subtract(end, start))
        a, b = np.add(start, RADIUS * unit), np.subtract(end, RADIUS * unit)
        self.edges[name], = ax.plot(*zip(a, b), lw=2, zorder=1, animated=True)
        x, y = np.add(start, where * np.subtract(end, start))
        box = dict(boxstyle="round,pad=0.1", fc="white", ec="none")
        self.edge_labels[name] = (
            ax.text(x, y + 0.03, "", ha="center", va="bottom", fontsize=7.5, animated=True, bbox=box, zorder=4),
            ax.text(x, y - 0.03, "", ha="center", va="top", fontsize=7.5, color=COLORS[1], animated=True, bbox=box,
                    zorder=4))

    def parameters(self, values):
        """(W1, b1, W2, b2) for these slider values and the current biases."""
        W1 = np.array([[values["w11"], values["w12"]], [values["w21"], values["w22"]]])
        W2 = np.array([[values["v1"], values["v2"]]])
        return W1, self.b1, W2, self.b2

    def gradients(self, values):
        """forward_backward for these slider values, and ∂ℒ/∂w by slider name."""
        r = forward_backward(np.array([values["x1"], values["x2"]]), np.array([values["y"]]),
                             *self.parameters(values))
        return r, {"w11": r["dW1"][0, 0], "w12": r["dW1"][0, 1], "w21": r["dW1"][1, 0], "w22": r["dW1"][1, 1],
                   "v1": r["dW2"][0, 0], "v2": r["dW2"][0, 1]}

    def update(self, x1, x2, y, w11, w12, w21, w22, v1, v2, lr):
        values = self.values()
        r, grads = self.gradients(values)
        for name, line in self.edges.items():
            w = values[name]
            line.set_linewidth(0.6 + 1.4 * min(abs(w), 3))
            line.set_color(COLORS[0] if w >= 0 else COLORS[3])  # orange is kept for gradients
            weight, gradient = self.edge_labels[name]
            weight.set_text(f"{WEIGHTS[name][0]} = {w:.2f}")
            gradient.set_text(f"∂ℒ/∂w = {grads[name]:+.4f}")
        for t, v, name in zip(self.input_text, (x1, x2), ("x₁", "x₂")):
            t.set_text(f"{name}\n{v:.2f}")
        units = zip(np.concatenate([self.b1, self.b2]), np.concatenate([r["z1"], r["z2"]]),
                    np.concatenate([r["a1"], r["a2"]]), np.concatenate([r["delta1"], r["delta2"]]))
        for t, (b, z, a, delta) in zip(self.unit_text, units):
            t.set_text(f"{b:+.2f}\n{z:+.2f}\n{a:.3f}\n{delta:+.4f}")
        for t, text in zip(self.loss_text, [f"target y = {y:.2f}", f"= {number(r['loss'])}", f"η = {lr:.1f}",
                                             f"steps taken: {self.steps}"]):
            t.set_text(text)
        self.loss = r["loss"]
        # The step's sentence stays until the learner changes something (not when the browser echoes a slider).
        if self.stepped is None or any(abs(values[n] - self.stepped[n]) > 1e-9 for n in values):
            self.stepped = None
            return f"ℒ = {number(r['loss'])}. Press step to move every weight and bias a little against its gradient."
        before = self.last_loss
        names = ", ".join(WEIGHTS[n][0] for n in self.clipped)
        clipped = "" if not self.clipped else (
            f" ({names} stopped at the end of {'its slider' if len(self.clipped) == 1 else 'their sliders'}, "
            f"±{LIMIT:g}.)")
        if r["loss"] > before:
            return (f"Step {self.steps}: ℒ rose from {number(before)} to {number(r['loss'])}: the step overshot; "
                    f"try a smaller learning rate η.{clipped}")
        return f"Step {self.steps}: ℒ fell from {number(before)} to {number(r['loss'])}.{clipped}"

    @staticmethod
    def _unit(ax, x, y, bias):
        """The names in a unit's circle, drawn once; returns the animated text for its four numbers."""
        ax.text(x - 0.02, y, f"{bias} =\nz =\na =\nδ =", ha="right", va="center", fontsize=8, zorder=3)
        return ax.text(x + 0.02, y, "", ha="left", va="center", fontsize=8, zorder=3, animated=True)

    def step(self):
        """One gradient-descent update of every weight and bias: w ← w − η ∂ℒ/∂w, b ← b − η ∂ℒ/∂b."""
        values = self.values()
        r, grads = self.gradients(values)
        lr = values["lr"]
        self.clipped = []
        for name, grad in grads.items():
            new = values[name] - lr * grad
            if abs(new) > LIMIT:
                self.clipped.append(name)
            self.keep(name, float(np.clip(new, -LIMIT, LIMIT)))
        self.b1 = self.b1 - lr * r["db1"]
        self.b2 = self.b2 - lr * r["db2"]
        self.steps += 1
        self.last_loss, self.stepped = r["loss"], self.values()

    def reset(self):
        """Back to the start: the inputs, target, weights, biases and learning rate the explorer began with."""
        self.exact = {name: self.start[name] for name in WEIGHTS}
        for name, value in self.start.items():
            self.controls[name].value = value
        self.b1, self.b2 = (b.copy() for b in START_BIASES)
        self.steps, self.last_loss, self.clipped, self.stepped = 0, None, [], None
