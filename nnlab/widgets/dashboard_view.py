"""The dashboard's picture (lesson 06): the network (inputs, every hidden unit as a live map, weights as lines),
the output as decision regions or a heat map with the data, and the loss curves. It only draws: the
Dashboard hands it a snapshot of NumPy arrays and gets the pixels back.

Speed: axes, labels and tile frames are rendered once per architecture (LiveFigure's cached background);
a frame re-renders only the weight lines, the curves, the points and a few numbers, then pastes every
unit's map into the pixel buffer with NumPy (dashboard_paint)."""
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..runtime import COLORS
from .base import LiveFigure
from .dashboard_paint import (CMAP, NEGATIVE, POSITIVE, Writer, class_mix, colours, composite, paste,
                              tiles, upsample)

BOX = 1.3          # the view: [-BOX, BOX]² holds every data set
GRID = 48          # output resolution: 48² points, one forward pass, smoothed to the map's pixels
STRIDE = 2         # unit maps use every other grid point: 24² values per unit
TILE, PITCH = 28, 34          # a unit's map in pixels, and the distance between two units' tops
WIDTH, HEIGHT = 1000, 560     # the figure in pixels (dpi 100)
NET_W, TOP = 620, 48          # the network view's width; the first unit's top
MAP = (675, 240, 270)         # the output map: left, bottom, side in pixels
CLASS_RGB = np.array([to_rgb(c) for c in COLORS])


class DashboardView:
    """The figure, its animated artists, and the grid of points the model is evaluated on."""

    def __init__(self, device):
        self.live = LiveFigure((WIDTH / 100, HEIGHT / 100))
        self.live.fig.set_layout_engine("none")   # fixed pixel positions: the unit maps are pasted by pixel
        xs = torch.linspace(-BOX, BOX, GRID)
        self.points = torch.stack(torch.meshgrid(xs, xs, indexing="xy"), dim=-1).reshape(-1, 2)
        self.grid = self.points.to(device)         # the plane's points; the model sees their features
        sub = torch.arange(0, GRID, STRIDE)
        self.unit_rows = (sub[:, None] * GRID + sub[None, :]).reshape(-1).to(device)  # the coarser grid's rows
        self.side = len(sub)
        self.arch = None          # what the static part shows (features, widths, outputs, kind, loss range)
        self.network = None       # the last frame's numbers: per layer its units' maps, which units, weights
        self.build(self.live.fig)

    def _axes(self, x, y, w, h):
        return self.live.fig.add_axes([x / WIDTH, y / HEIGHT, w / WIDTH, h / HEIGHT])

    def build(self, fig):
        self.ax_net = net = self._axes(0, 0, NET_W, HEIGHT)
        net.set(xlim=(0, NET_W), ylim=(HEIGHT, 0))   # data coordinates = pixels, y downward
        net.axis("off")
        self.edges = LineCollection([], capstyle="butt", animated=True)
        net.add_collection(self.edges)
        self.static, self.scales = [], []          # per-architecture artists (labels, frames); the colour scales
        bar = self._axes(14, 22, 90, 9)
        bar.imshow(np.linspace(-1, 1, 90)[None, :], cmap=CMAP, aspect="auto", extent=(-1, 1, 0, 1))
        bar.set(yticks=[], xticks=[-1, 0, 1], xticklabels=["−", "0", "+"])
        bar.tick_params(labelsize=8, length=2, pad=1)
        net.text(112, HEIGHT - 28, "tiles: each unit's value over the plane (one colour scale per column, ± the number "
                 "under it)", fontsize=8, va="center")

        # The output map and its points are pixels pasted in each frame (paste_map): the points drawn once per
        # data set onto a transparent layer, the map smoothed from the grid by two small matrix products.
        left, bottom, side = MAP
        self.ax = ax = self._axes(left, bottom, side, side)
        self.dots = DotLayer(side - 2)
        ax.scatter([], [], s=18, color="0.6", edgecolors="white", label="training")  # legend proxies
        ax.scatter([], [], s=18, color="0.6", edgecolors="black", linewidths=0.8, label="test")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, handletextpad=0.2,
                  borderaxespad=0)
        ax.set(xlim=(-BOX, BOX), ylim=(-BOX, BOX))
        ax.set_xlabel("$x_1$", labelpad=0)
        ax.set_ylabel("$x_2$", labelpad=0)
        ax.tick_params(labelsize=8)
        ax.grid(False)
        self.cbar = self._axes(left + side + 7, bottom, 8, side)   # the regression heat map's colour bar
        self.cbar.imshow(np.linspace(-1, 1, 100)[::-1, None], cmap=CMAP, aspect="auto", extent=(0, 1, -1, 1))
        self.cbar.set(xticks=[], yticks=[-1, 0, 1])
        self.cbar.yaxis.tick_right()
        self.cbar.tick_params(labelsize=8)
        self.cbar.set_xlabel("ŷ, y", fontsize=9, labelpad=2)

        self.ax_loss = self._axes(690, 42, 280, 100)
        # a dot marks the latest value (so epoch 0 shows something too)
        self.train_line, = self.ax_loss.plot([], [], color=COLORS[0], lw=2, marker="o", ms=3, markevery=[-1],
                                             label="training", animated=True)
        self.test_line, = self.ax_loss.plot([], [], color=COLORS[1], lw=2, ls="--", marker="o", ms=3,
                                            markevery=[-1], label="test", animated=True)
        # Epochs on a "symlog" axis: linear from 0 to 10, then logarithmic, so the early drop and a long run both fit.
        # The axis grows tenfold when training passes its end: a rare full redraw instead of new tick labels each frame.
        self.ax_loss.set_xscale("symlog", linthresh=10)
        self.ax_loss.set_xlabel("epoch (logarithmic past 10)", fontsize=8, labelpad=1)
        self.ax_loss.tick_params(labelsize=8)
        self.ax_loss.legend(loc="lower left", fontsize=7.5)   # the first epochs, where no loss is low yet
        self.writer = Writer()   # the numbers that change every frame

    # --- the static part, once per architecture --------------------------------------------------------------

    def columns(self, names, widths, n_out):
        """x centre of each column (inputs, hidden layers, output) and how many units each shows."""
        counts = [len(names)] + [min(w, 12) for w in widths] + [n_out]
        xs = np.linspace(70, 575, len(counts)) if len(counts) > 2 else np.array([70.0, 575.0])
        return xs, counts

    def arrange(self, arch):
        """Labels, tile frames and weight-line positions for this architecture; the loss axes' range."""
        names, widths, n_out, classify, x_max, y_max = arch
        for artist in self.static:
            artist.remove()
        self.static = []
        net = self.ax_net
        xs, counts = self.columns(names, widths, n_out)
        self.corners = []   # each column's tiles' top-left pixels
        heads = ["inputs"] + [f"layer {l + 1}\n{w} unit{'s' * (w > 1)}" for l, w in enumerate(widths)] + \
                ["output\n" + (f"{n_out} class scores" if classify else "ŷ")]
        for c, (x, n, head) in enumerate(zip(xs, counts, heads)):
            self.static.append(net.text(x, 6, head, ha="center", va="top", fontsize=8.5))
            left = int(round(x - TILE / 2))
            self.corners.append([(left, TOP + j * PITCH) for j in range(n)])
            for j in range(n):
                edge = CLASS_RGB[j] if (c == len(xs) - 1 and classify) else "0.55"
                self.static.append(net.add_patch(Rectangle((left - 1.5, TOP + j * PITCH - 1.5), TILE + 3, TILE + 3,
                                                           facecolor="none", edgecolor=edge,
                                                           lw=2.2 if c == len(xs) - 1 and classify else 0.8)))
            if c == 0:
                for j, name in enumerate(names):
                    self.static.append(net.text(left - 6, TOP + j * PITCH + TILE / 2, name, ha="right",
                                                va="center", fontsize=9))
            if 0 < c < len(xs) - 1 and widths[c - 1] > n:
                self.static.append(net.text(x, TOP + n * PITCH, f"+{widths[c - 1] - n} more", ha="center",
                                            va="top", fontsize=8, color="0.3"))
        segments = []
        for c in range(len(xs) - 1):
            for i in range(counts[c]):          # W[j, i] joins unit i on the left to unit j on the right
                for j in range(counts[c + 1]):
                    segments.append([(xs[c] + TILE / 2 + 2, TOP + i * PITCH + TILE / 2),
                                     (xs[c + 1] - TILE / 2 - 2, TOP + j * PITCH + TILE / 2)])
        self.edges.set_segments(segments)
        self.static.append(net.text(xs[-1], TOP + n_out * PITCH, "softmax:\nregions →" if classify else "map →",
                                    ha="center", va="top", fontsize=8, color="0.3"))
        self.cbar.set_visible(not classify)
        self.ax_loss.set(xlim=(0, x_max), ylim=(0, y_max))
        self.ax_loss.set_ylabel("cross-entropy" if classify else "squared error", fontsize=8, labelpad=1)
        self.live.full_redraw = True

    # --- every frame -------------------------------------------------------------------------------------

    def render(self, snap):
        """Move the artists to show `snap` and render them: the frame's pixels (an RGBA array of its own)."""
        classify = snap["classify"]
        curve = snap["curve"]
        epoch, loss, test_loss, acc, test_acc = curve[-1]
        x_max = next(10 ** i for i in range(1, 30) if 10 ** i >= epoch)  # grows tenfold: a calm view
        y_max = float(f"{1.3 * snap['guess']:.2g}")                      # 1.3 × the loss of guessing
        if curve[:, 1:3].max() > y_max:       # a rising test loss stays in view (one doubling: divergence is cut off)
            y_max *= 2
        layers = snap["layers"]
        arch = (tuple(snap["features"]), tuple(layer["width"] for layer in layers[:-1]), layers[-1]["width"],
                classify, x_max, y_max)
        if arch != self.arch:
            self.arch = arch
            self.arrange(arch)
        self.network = layers

        out = snap["output"]
        self.map = (class_mix(out, CLASS_RGB[:out.shape[1]]) if classify else colours(out[:, 0], 1.0) / 255
                    ).astype(np.float32)
        if "points" in snap:
            self.dots.draw(snap["points"], (lambda y: CLASS_RGB[y]) if classify else
                           (lambda y: colours(y.reshape(-1), 1.0) / 255))
        done = f"epoch {int(epoch + 1e-9)}"
        status = (f"{done} · accuracy: training {acc:.0%}, test {test_acc:.0%}" if classify
                  else f"{done} · colour: prediction ŷ; dots: target y")
        self.train_line.set_data(curve[:, 0], curve[:, 1])
        self.test_line.set_data(curve[:, 0], curve[:, 2])
        left, bottom, side = MAP
        texts = [(left + side / 2, HEIGHT - bottom - side - 6, status, 13, "mb", 0),
                 (830, HEIGHT - 150, f"loss: training {loss:.3f} · test {test_loss:.3f}", 13, "mb", 0)]

        w = np.concatenate([layer["weights"].ravel() for layer in layers])  # in the order of the segments
        top = max(np.abs(w).max(), 1e-12)
        self.edges.set_linewidths(2.5 * np.abs(w) / top)
        texts.append((112, HEIGHT - 12, f"lines: weights, purple > 0, orange < 0, thickest |w| = {top:.2g}", 11,
                      "lm", 0))
        self.edges.set_color(np.where(w[:, None] >= 0, POSITIVE, NEGATIVE))
        columns = [snap["inputs"]] + [layer["values"] for layer in layers]
        scales = [float(np.abs(v).max()) if v.size else 0.0 for v in columns]
        xs, _ = self.columns(*arch[:3])
        texts += [(x, TOP + 12 * PITCH + 18, f"±{scale:.0f}" if scale >= 10 else f"±{scale:.2g}", 11, "mt", 64)
                  for x, scale in zip(xs, scales)]
        self.scales = scales
        pixels = self.live.pixels()
        self.paste_units(pixels, columns, scales)
        smooth = upsample(self.map.reshape(GRID, GRID, 3), side - 2)
        paste(pixels, composite(smooth, self.dots.layer), left + 1, HEIGHT - bottom - side + 1)
        self.writer.write(pixels, texts)
        return pixels.copy()   # the canvas's buffer is reused by the next frame

    def paste_units(self, pixels, columns, scales):
        """Every unit's map, coloured on its column's scale, pasted into the rendered pixels."""
        for values, scale, corners in zip(columns, scales, self.corners):
            images = tiles(colours(values, scale), self.side, TILE)
            for image, (x, y) in zip(images, corners):
                paste(pixels, image, x, y)


class DotLayer:
    """The data points drawn once onto a transparent square of `size` pixels: premultiplied colour and alpha."""

    def __init__(self, size):
        self.fig = Figure(figsize=(size / 100, size / 100), dpi=100, layout="none")  # whatever the rcParams say
        self.fig.patch.set_alpha(0)
        self.ax = self.fig.add_axes([0, 0, 1, 1])
        self.ax.set(xlim=(-BOX, BOX), ylim=(-BOX, BOX))
        self.ax.axis("off")
        self.canvas = FigureCanvasAgg(self.fig)
        self.layer = (np.zeros((size, size, 3), np.float32), np.zeros((size, size, 1), np.float32))

    def draw(self, points, paint):
        """Training points with a white rim, test points with a black one, coloured by `paint(y)`."""
        X_train, y_train, X_test, y_test = points
        for artist in list(self.ax.collections):
            artist.remove()
        self.ax.scatter(*X_train.T, s=18, c=paint(y_train), edgecolors="white", linewidths=0.6)
        self.ax.scatter(*X_test.T, s=18, c=paint(y_test), edgecolors="black", linewidths=0.8)
        self.canvas.draw()
        rgba = np.asarray(self.canvas.buffer_rgba()).astype(np.float32) / 255
        alpha = rgba[:, :, 3:]
        self.layer = (rgba[:, :, :3] * alpha, alpha)
