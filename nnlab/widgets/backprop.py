"""Lesson 04's explorer: a 2-2-1 sigmoid network showing z, a and δ at every node and ∂J/∂w on every edge."""
import numpy as np
from matplotlib.patches import Circle

from .. import _validate
from ..runtime import COLORS
from .base import Explorer, slider

INPUTS = [(0.0, 1.2), (0.0, -1.2)]
HIDDEN = [(3.2, 1.2), (3.2, -1.2)]
OUTPUT = (6.4, 0.0)
START = {"w11": 0.8, "w12": -0.6, "w21": 0.4, "w22": 1.1, "v1": 1.2, "v2": -0.9}
START_BIASES = (np.array([0.1, -0.2]), np.array([0.05]))
LIMIT = 4.0  # weight sliders run from -LIMIT to LIMIT


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_backward(x, y, W1, b1, W2, b2):
    """One example through the 2-2-1 sigmoid net with J = ½(a − y)²: every z, a, δ and gradient."""
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - y) * a2 * (1 - a2)              # δ^L = (a^L − y) ⊙ σ'(z^L)
    delta1 = (W2.T @ delta2) * a1 * (1 - a1)       # δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ'(z^l)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "delta1": delta1, "delta2": delta2,
            "J": 0.5 * float((a2 - y) @ (a2 - y)),
            "dW1": np.outer(delta1, x), "db1": delta1, "dW2": np.outer(delta2, a1), "db2": delta2}


def backprop_explorer(x1=1.0, x2=0.5, y=1.0, lr=2.0):
    """Sliders for inputs, target, weights and λ; a step button runs one gradient-descent update."""
    weights = {name: slider(label, -LIMIT, LIMIT, 0.1, value) for name, label, value in [
        ("w11", "w¹₁₁", START["w11"]), ("w12", "w¹₁₂", START["w12"]), ("w21", "w¹₂₁", START["w21"]),
        ("w22", "w¹₂₂", START["w22"]), ("v1", "w²₁", START["v1"]), ("v2", "w²₂", START["v2"])]}
    controls = {
        "x1": slider("x₁", -2.0, 2.0, 0.1, _validate.real("x1", x1, -2, 2)),
        "x2": slider("x₂", -2.0, 2.0, 0.1, _validate.real("x2", x2, -2, 2)),
        "y": slider("target y", 0.0, 1.0, 0.05, _validate.real("y", y, 0, 1)),
        **weights,
        "lr": slider("λ", 0.1, 50.0, 0.1, _validate.real("lr", lr, 0.1, 50)),
    }
    return BackpropExplorer(controls)


class BackpropExplorer(Explorer):
    """The network as a diagram; 'step' applies W ← W − λ ∂J/∂W to every weight and bias."""

    figsize = (7.6, 4.3)

    def __init__(self, controls):
        self.b1, self.b2 = (b.copy() for b in START_BIASES)
        self.steps, self.last_J = 0, None
        super().__init__(controls, buttons={"step": self.step, "reset": self.reset})

    def build(self, fig):
        ax = fig.subplots()
        ax.set(xlim=(-1.0, 9.4), ylim=(-2.5, 2.5), aspect="equal")
        ax.axis("off")
        self.edges, self.edge_labels = {}, {}
        for j, h in enumerate(HIDDEN):
            for i, x in enumerate(INPUTS):
                self._edge(ax, f"w{j + 1}{i + 1}", x, h, 0.5 if i == j else 0.24)  # crossing edges: near the input
            self._edge(ax, f"v{j + 1}", h, OUTPUT, 0.5)
        for (x, y), color in zip(INPUTS + HIDDEN + [OUTPUT], [COLORS[0]] * 2 + [COLORS[2]] * 3):
            ax.add_patch(Circle((x, y), 0.62, fc="white", ec=color, lw=2, zorder=2))
        text = dict(ha="center", va="center", fontsize=8, zorder=3, animated=True)
        self.input_text = [ax.text(x, y, "", **text) for x, y in INPUTS]
        self.hidden_text = [ax.text(x, y, "", **text) for x, y in HIDDEN]
        self.output_text = ax.text(*OUTPUT, "", **text)
        self.loss_text = ax.text(8.1, 0.0, "", ha="center", va="center", fontsize=9, zorder=3, animated=True,
                                 bbox=dict(boxstyle="round", fc="#fdf1e8", ec=COLORS[1]))
        for x, label in [(0, "inputs"), (3.2, "hidden layer (sigmoid)"), (6.4, "output (sigmoid)")]:
            ax.text(x, 2.3, label, ha="center", fontsize=9, color="0.3")
        ax.text(4.2, -2.45, "each edge: its weight w and, in orange, the gradient ∂J/∂w", ha="center",
                fontsize=8, color="0.4")

    def _edge(self, ax, name, start, end, where):
        # The edges are repainted over the static circles, so stop them at the circles' rims.
        unit = np.subtract(end, start) / np.hypot(*np.subtract(end, start))
        a, b = np.add(start, 0.62 * unit), np.subtract(end, 0.62 * unit)
        self.edges[name], = ax.plot(*zip(a, b), lw=2, zorder=1, animated=True)
        x, y = np.add(start, where * np.subtract(end, start))
        box = dict(boxstyle="round,pad=0.1", fc="white", ec="none")
        self.edge_labels[name] = (
            ax.text(x, y + 0.02, "", ha="center", va="bottom", fontsize=7.5, animated=True, bbox=box),
            ax.text(x, y - 0.02, "", ha="center", va="top", fontsize=7.5, color=COLORS[1], animated=True, bbox=box))

    def parameters(self, values):
        W1 = np.array([[values["w11"], values["w12"]], [values["w21"], values["w22"]]])
        W2 = np.array([[values["v1"], values["v2"]]])
        return W1, self.b1, W2, self.b2

    def update(self, x1, x2, y, w11, w12, w21, w22, v1, v2, lr):
        values = self.values()
        x = np.array([x1, x2])
        r = forward_backward(x, np.array([y]), *self.parameters(values))
        grads = {"w11": r["dW1"][0, 0], "w12": r["dW1"][0, 1], "w21": r["dW1"][1, 0], "w22": r["dW1"][1, 1],
                 "v1": r["dW2"][0, 0], "v2": r["dW2"][0, 1]}
        for name, line in self.edges.items():
            w = values[name]
            line.set_linewidth(0.6 + 1.4 * min(abs(w), 3))
            line.set_color(COLORS[0] if w >= 0 else COLORS[1])
            weight, gradient = self.edge_labels[name]
            weight.set_text(f"w = {w:.2f}")
            gradient.set_text(f"∂J/∂w = {grads[name]:+.3f}")
        for t, v, name in zip(self.input_text, x, ("x₁", "x₂")):
            t.set_text(f"{name}\n{v:.2f}")
        for j, t in enumerate(self.hidden_text):
            t.set_text(f"z={r['z1'][j]:.2f}\na={r['a1'][j]:.2f}\nδ={r['delta1'][j]:+.4f}")
        self.output_text.set_text(f"z={r['z2'][0]:.2f}\na={r['a2'][0]:.2f}\nδ={r['delta2'][0]:+.4f}")
        self.loss_text.set_text(f"target y = {y:.2f}\nJ = ½(a − y)²\n= {r['J']:.5f}\n\nstep: w ← w − λ ∂J/∂w\nλ = {lr:.1f}")
        self.J = r["J"]
        if self.last_J is None:
            return f"J = {r['J']:.5f}. Press step to move every weight a little against its gradient."
        before, self.last_J = self.last_J, None
        if r["J"] > before:
            return (f"Step {self.steps}: J rose from {before:.5f} to {r['J']:.5f} — the step overshot; "
                    "try a smaller λ.")
        return f"Step {self.steps}: J fell from {before:.5f} to {r['J']:.5f}."

    def step(self):
        """One gradient-descent update of all weights and biases: θ ← θ − λ ∂J/∂θ."""
        values = self.values()
        r = forward_backward(np.array([values["x1"], values["x2"]]), np.array([values["y"]]),
                             *self.parameters(values))
        lr = values["lr"]
        new = {"w11": r["dW1"][0, 0], "w12": r["dW1"][0, 1], "w21": r["dW1"][1, 0], "w22": r["dW1"][1, 1],
               "v1": r["dW2"][0, 0], "v2": r["dW2"][0, 1]}
        for name, grad in new.items():
            self.controls[name].value = float(np.clip(values[name] - lr * grad, -LIMIT, LIMIT))
        self.b1 = self.b1 - lr * r["db1"]
        self.b2 = self.b2 - lr * r["db2"]
        self.steps += 1
        self.last_J = r["J"]

    def reset(self):
        """Back to the starting weights and biases."""
        for name, value in START.items():
            self.controls[name].value = value
        self.b1, self.b2 = (b.copy() for b in START_BIASES)
        self.steps, self.last_J = 0, None
