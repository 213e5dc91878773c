"""The explorer base every lesson reuses: controls, one picture redrawn in place, a message line."""
import base64
import html
import io
import time

import ipywidgets as widgets
import numpy as np
from IPython.display import Image as DisplayImage
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from PIL import Image

from ..runtime import COLORS

CONTROL_STYLE = {"description_width": "70px"}


def slider(description, min, max, step, value, integer=False):
    """A labelled slider that reports while it is dragged (explorer callbacks are well under 100 ms)."""
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    return cls(value=value, min=min, max=max, step=step, description=description,
               continuous_update=True, style=CONTROL_STYLE, layout=widgets.Layout(width="290px"))


def dropdown(description, options, value):
    """A labelled dropdown."""
    return widgets.Dropdown(options=options, value=value, description=description,
                            style=CONTROL_STYLE, layout=widgets.Layout(width="290px"))


def panels(rows, picture, message):
    """Controls in a column on the left, picture (an Output or an Image) and message line on the right; wraps on
    narrow screens."""
    return dict(children=[widgets.VBox(rows, layout=widgets.Layout(width="300px")),
                          widgets.VBox([picture, message])],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))


def show_png(output, png, label):
    """Swap a PNG into an Output widget in one message: no flicker, nothing accumulates."""
    output.outputs = ({"output_type": "display_data", "metadata": {},
                       "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": label}},)


def say(message, text, warning=False):
    """Put one line of text into an HTML widget; warnings in orange."""
    text = html.escape(text)
    message.value = f"<b style='color:#D55E00'>⚠ {text}</b>" if warning else text


class LiveFigure:
    """A Figure outside pyplot that re-renders fast: the static part once, then only its animated artists.

    Mark the artists that change with `animated=True`; call `png()` after changing them. Set
    `full_redraw = True` when something static changed (axis limits, tick labels) or when artists were
    added: the animated ones are looked up at each full redraw only, which saves ~8 ms a frame. Used
    by every explorer, the dashboard, and lessons that redraw a picture while a model trains (05).
    """

    def __init__(self, figsize):
        self.fig = Figure(figsize=figsize, dpi=100, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.full_redraw = True
        self._background = None
        self._animated = []

    def png(self):
        """Paint the animated artists over the cached static background; return PNG bytes."""
        image = Image.fromarray(self.pixels()).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)  # speed over size
        return buffer.getvalue()

    def pixels(self):
        """Paint the animated artists over the cached static background; return the canvas's pixels, an
        (h, w, 4) RGBA uint8 array, rows from the top. The dashboard writes into it, then encodes it itself."""
        if self.full_redraw or self._background is None:
            self._animated = sorted(self.fig.findobj(lambda a: a.get_animated()), key=lambda a: a.get_zorder())
            # canvas.draw() skips animated artists, except images: hide those while it draws
            images = [a for a in self._animated if isinstance(a, AxesImage) and a.get_visible()]
            for image in images:
                image.set_visible(False)
            self.canvas.draw()
            for image in images:
                image.set_visible(True)
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.full_redraw = False
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())


def live_curve(x, y, xlim, ylim, title="", labels=("data", "model"), xlabel="$x$", ylabel="$y$", figsize=(6.4, 3.8)):
    """Show the points (x, y); return draw(curve_y, caption), which redraws a curve through x in place (lesson 05).

    For watching a model learn: one picture in one output, replaced through a display handle, so nothing
    piles up (plt.ion() and plt.pause() animate a desktop window, not a notebook). The figure is a
    LiveFigure, so a frame repaints only the curve and the caption: a few milliseconds on a small CPU.
    """
    live = LiveFigure(figsize)
    ax = live.fig.subplots()
    ax.scatter(x, y, s=14, color=COLORS[0], label=labels[0])
    curve, = ax.plot([], [], color=COLORS[1], lw=3, label=labels[1], animated=True)
    caption = ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top", fontsize=11, color=COLORS[1],
                      animated=True)
    ax.set(xlim=xlim, ylim=ylim, xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.89), fontsize=9)   # the caption above it
    handle = display(DisplayImage(live.png()), display_id=True)

    def draw(curve_y, text=""):
        """Put the curve through (x, curve_y) and the caption on the picture, and show it in place of the last."""
        curve.set_data(x, curve_y)
        caption.set_text(text)
        handle.update(DisplayImage(live.png()))

    return draw


class Explorer(widgets.HBox):
    """Controls on the left; on the right one picture, redrawn in place on every change, and a message line.

    A subclass writes two methods:
      build(fig)        once: make the axes and artists; mark every artist that will change with
                        `animated=True` (or `.set_animated(True)`);
      update(**values)  on every change: move those artists (set_data, set_xy, set_text, ...) and
                        return a sentence for the message line (or None). Set `self.full_redraw =
                        True` when something static changed too (axis limits, tick labels).
    `buttons` maps a label to an action (a function of no arguments); while it runs, control
    changes do not redraw, so an action that sets several sliders costs one redraw.
    Why: re-rendering axes, ticks and text costs ~50 ms per frame on a small CPU, so the static
    part is rendered once and kept as a bitmap; a change only paints the animated artists over it.
    The figure never touches pyplot, so nothing piles up however often it is redrawn. If update
    raises, the learner reads what went wrong in the message line and the last picture stays.
    Keeping up: the browser sends at most one change at a time and merges the ones that arrive
    meanwhile, so a slow redraw skips intermediate slider values instead of queueing them.
    Exact values: a slider shows its value to the slider's step, and in JupyterLab the browser rounds a value
    set from Python (by a button, say) and sends it back. The controls named in `exact` keep their value here,
    exactly: a slider within half a step of it still means it; only a move farther than that is the learner's.
    Set such a value with `keep(name, value)`.
    """

    figsize = (7.0, 4.0)

    def __init__(self, controls, buttons=None, exact=()):
        self.controls = dict(controls)
        self.exact = {name: self.controls[name].value for name in exact}
        self.draw_ms = None  # duration of the last redraw (compute + render), for benchmarks
        self._holding = False
        self.output = widgets.Output()
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self.buttons = {}
        for name, action in (buttons or {}).items():  # a button's action may change several controls
            self.buttons[name] = widgets.Button(description=name, layout=widgets.Layout(width="90px"))
            self.buttons[name].on_click(lambda _, action=action: self.press(action))
        rows = list(self.controls.values()) + ([widgets.HBox(list(self.buttons.values()))] if buttons else [])
        super().__init__(**panels(rows, self.output, self.message))

        self.live = LiveFigure(self.figsize)
        self.fig, self.canvas = self.live.fig, self.live.canvas
        self.build(self.fig)
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self.redraw()

    def build(self, fig):
        raise NotImplementedError("an Explorer subclass must define build(fig)")

    def update(self, **values):
        raise NotImplementedError("an Explorer subclass must define update(**values)")

    def values(self):
        """The current value of every control, by name; the `exact` ones as kept (see the class docstring)."""
        values = {name: control.value for name, control in self.controls.items()}
        for name, kept in self.exact.items():
            if abs(values[name] - kept) > self.controls[name].step / 2 + 1e-9:  # the learner moved this slider
                self.exact[name] = values[name]
            values[name] = self.exact[name]
        return values

    def keep(self, name, value):
        """Set an `exact` control to `value`, kept exactly however the slider rounds it."""
        self.exact[name] = value
        self.controls[name].value = value

    def press(self, action):
        """Run a button's action with redraws held back, then redraw once."""
        self._holding = True
        try:
            action()
        except Exception as error:  # like update: a sentence, never a traceback
            self.say(f"That did not work ({type(error).__name__}: {error}).", warning=True)
            return
        finally:
            self._holding = False
        self.redraw()

    def redraw(self, change=None):
        """Update the artists for the current controls and swap the new picture into the output."""
        if self._holding:
            return
        start = time.perf_counter()
        try:
            note = self.update(**self.values())
            png = self.live.png()
        except Exception as error:  # a learner must never see a traceback from a slider
            self.full_redraw = True
            self.say(f"Could not draw this setting ({type(error).__name__}: {error}). "
                     "Change a control to try another.", warning=True)
            return
        width, height = self.canvas.get_width_height()
        show_png(self.output, png, f"<Figure {width}x{height}>")
        self.say(note or "")
        self.draw_ms = 1000 * (time.perf_counter() - start)

    def say(self, text, warning=False):
        """Show one line of text under the picture; warnings in orange."""
        say(self.message, text, warning)

    @property
    def full_redraw(self):
        """Set to True in update() when something static changed, so the whole figure is redrawn."""
        return self.live.full_redraw

    @full_redraw.setter
    def full_redraw(self, value):
        self.live.full_redraw = value
