"""The dashboard's picture (lesson 06): decision regions with the data, loss curves, and maps of the first hidden
layer's units. It only draws: the Dashboard hands it a snapshot of NumPy arrays and gets a PNG back."""
import numpy as np
import torch
from matplotlib.colors import to_rgb

from ..runtime import COLORS
from .base import LiveFigure

BOX = 1.3          # the view: [-BOX, BOX]² holds every data set
GRID = 48          # decision-region resolution: 48² points, one forward pass, smoothed by imshow
N_MAPS = 8         # first-layer units shown as small maps


class DashboardView:
    """The figure, its animated artists, and the grid of points the model is evaluated on."""

    def __init__(self, device):
        self.live = LiveFigure((9.6, 5.0))
        self.build(self.live.fig)
        xs = torch.linspace(-BOX, BOX, GRID)
        self.grid = torch.stack(torch.meshgrid(xs, xs, indexing="xy"), dim=-1).reshape(-1, 2).to(device)

    def build(self, fig):
        left, right = fig.subfigures(1, 2, width_ratios=[1.0, 1.05])
        top, bottom = right.subfigures(2, 1, height_ratios=[1.0, 0.95])
        self.ax = ax = left.subplots()
        self.regions = ax.imshow(np.ones((GRID, GRID, 3)), extent=(-BOX, BOX, -BOX, BOX), origin="lower",
                                 interpolation="bilinear", zorder=0, animated=True)
        self.train_dots = ax.scatter([], [], s=22, edgecolors="white", linewidths=0.6, zorder=3, animated=True)
        self.test_dots = ax.scatter([], [], s=22, edgecolors="black", linewidths=0.9, zorder=4, animated=True)
        ax.scatter([], [], s=22, color="0.6", edgecolors="white", label="training")  # legend proxies
        ax.scatter([], [], s=22, color="0.6", edgecolors="black", linewidths=0.9, label="test")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=9, handletextpad=0.2)
        ax.set(xlim=(-BOX, BOX), ylim=(-BOX, BOX), aspect="equal", xlabel="$x_1$")
        ax.set_ylabel("$x_2$", labelpad=0)
        ax.grid(False)
        self.status = ax.set_title("epoch 0 · accuracy: training 100%, test 100%", fontsize=11)
        self.status.set_animated(True)

        self.ax_loss = top.subplots()
        # a dot marks the latest value (so epoch 0 shows something too)
        self.train_line, = self.ax_loss.plot([], [], color=COLORS[0], lw=2, marker="o", ms=4, markevery=[-1],
                                             label="training", animated=True)
        self.test_line, = self.ax_loss.plot([], [], color=COLORS[1], lw=2, ls="--", marker="o", ms=4,
                                            markevery=[-1], label="test", animated=True)
        # Epochs on a "symlog" axis: linear from 0 to 10, then logarithmic, so the early drop and a long run both fit.
        self.ax_loss.set_xscale("symlog", linthresh=10)
        self.ax_loss.set(xlabel="epoch (logarithmic past 10)", ylabel="cross-entropy loss")
        # The epoch axis grows tenfold when training passes its end (10, 100, 1000 epochs): a full redraw
        # (~200 ms) that rarely happens, instead of repainting its tick labels in every frame (~15 ms of a 50 ms
        # frame). The loss axis stays put: 0 to 1.3 × the loss of guessing, ln(number of classes).
        self.ax_loss.legend(loc="upper right", fontsize=9)
        self.loss_note = self.ax_loss.set_title("loss: training 1.000 · test 1.000", fontsize=11)
        self.loss_note.set_animated(True)

        self.maps_title = bottom.suptitle("hidden layer 1: where each unit fires (yellow = most)", fontsize=10)
        self.map_axes = bottom.subplots(2, N_MAPS // 2).ravel()
        self.maps = []
        for i, m in enumerate(self.map_axes):
            self.maps.append(m.imshow(np.zeros((GRID, GRID)), extent=(-BOX, BOX, -BOX, BOX), origin="lower",
                                      cmap="viridis", vmin=0, vmax=1, interpolation="bilinear", animated=True))
            m.set_title(f"unit {i + 1}", fontsize=8, pad=2)
            m.set(xticks=[], yticks=[])
        self.no_maps = bottom.text(0.5, 0.45, "", ha="center", va="center", fontsize=10, color="0.3")
        self._view = None  # what the static part shows: the loss axes' limits and the number of unit maps

    def paint(self, snap):
        """Move the artists to show `snap` (see Dashboard._snapshot); return the PNG."""
        colors = np.array([to_rgb(c) for c in COLORS])
        k = snap["probs"].shape[1]
        mixed = snap["probs"] @ colors[:k]  # each grid point: its class colours weighted by probability
        self.regions.set_data((0.45 + 0.55 * mixed).reshape(GRID, GRID, 3))
        if "points" in snap:
            X_train, y_train, X_test, y_test = snap["points"]
            self.train_dots.set_offsets(X_train)
            self.train_dots.set_facecolor(colors[y_train])
            self.test_dots.set_offsets(X_test)
            self.test_dots.set_facecolor(colors[y_test])

        curve = snap["curve"]
        epoch, loss, test_loss, acc, test_acc = curve[-1]
        self.status.set_text(f"epoch {int(epoch + 1e-9)} · accuracy: training {acc:.0%}, test {test_acc:.0%}")
        self.train_line.set_data(curve[:, 0], curve[:, 1])
        self.test_line.set_data(curve[:, 0], curve[:, 2])
        self.loss_note.set_text(f"loss: training {loss:.3f} · test {test_loss:.3f}")
        x_max = next(10 ** i for i in range(1, 30) if 10 ** i >= epoch)  # grows tenfold: a calm view
        y_max = round(1.3 * np.log(snap["probs"].shape[1]), 2)
        hidden = snap["hidden"]
        n_maps = 0 if hidden is None else hidden.shape[1]
        if (x_max, y_max, n_maps) != self._view:  # something static changed: the loss axes or which maps show
            self._view = (x_max, y_max, n_maps)
            self.ax_loss.set(xlim=(0, x_max), ylim=(0, y_max))
            for i, (m, image) in enumerate(zip(self.map_axes, self.maps)):
                m.set_visible(i < n_maps)
                image.set_visible(i < n_maps)  # animated: painted by hand, so hidden by hand
            self.no_maps.set_text("" if n_maps else "no hidden layer: the model draws straight boundaries")
            self.maps_title.set_visible(n_maps > 0)  # no "hidden layer 1" heading over "no hidden layer"
            self.live.full_redraw = True
        for i in range(n_maps):
            a = hidden[:, i]
            span = a.max() - a.min()
            self.maps[i].set_data(((a - a.min()) / span if span > 1e-12 else 0 * a).reshape(GRID, GRID))
        return self.live.png()
