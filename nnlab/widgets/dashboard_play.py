"""Showing the dashboard's pictures (lesson 06): now, after a control changes, or from the play thread.

While playing, one thread trains and paints, a second encodes and sends the pictures. The trainer runs
nnlab.train.fit an epoch per turn and, every FRAME_S, paints a frame: one batched forward pass over a small
grid for the whole network, the changing artists, every unit's map pasted in with NumPy. Why not a painter
thread beside the trainer: Python runs one thread at a time (the GIL), and a painter that must win the GIL
back from a busy trainer dozens of times per frame gets few frames; taking turns gets them all. Only the JPEG
encoding (Pillow, which mostly lets go of the GIL) and the sending go to a second thread, the sender, so that
training goes on while a frame is compressed. The sender holds one frame at most: a newer frame replaces one
not yet sent, so the browser never falls behind.

The picture is an Image widget, not an Output as in the explorers: a frame goes as binary, and the browser
changes one <img>'s src. ipywidgets 8's browser side shows an Image's bytes through a blob URL and frees it at
the next frame; 7's never frees it (about 7 MB a second while playing), so there the value is a data URL,
a plain string the browser drops with its frame (slower to show, so 8 keeps the bytes).
"""
import base64
import threading
import time

import ipywidgets as widgets

from .dashboard_paint import encode_jpeg

FRAME_S = 0.030    # repaint period while playing: 33 a second at most, a margin over the budget of 25
BLOBS_FREED = int(widgets.__version__.split(".")[0]) >= 8
DATA_URL = b"data:image/jpeg;base64,"   # what a frame's value starts with where blob URLs are not freed


def picture_widget():
    """The Image widget the dashboard shows its frames in (see the module's docstring for its format)."""
    return widgets.Image(format="jpeg" if BLOBS_FREED else "url",
                         layout=widgets.Layout(max_width="100%", height="auto"))


class Sender:
    """A thread that encodes and shows the latest frame handed to it."""

    def __init__(self, dashboard):
        self.dashboard = dashboard
        self.frame = None
        self.closed = False
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True, name="nnlab-send")
        self.thread.start()

    def put(self, frame):
        """Hand over (pixels, note, start time); replaces a frame not sent yet."""
        with self.ready:
            self.frame = frame
            self.ready.notify()

    def close(self):
        """Send what is pending, then stop; returns when the thread has ended."""
        with self.ready:
            self.closed = True
            self.ready.notify()
        self.thread.join(timeout=5)

    def _run(self):
        while True:
            with self.ready:
                while self.frame is None and not self.closed:
                    self.ready.wait()
                frame, self.frame = self.frame, None
                if frame is None:
                    return
            self.dashboard._show(*frame)


class Playing:
    """The Dashboard's pictures and play button: show a picture now; start, stop and run the background training."""

    def redraw(self):
        """Repaint the picture from the current model and show it now; safe to call from any thread."""
        frame = self._render()
        if frame is not None:
            self._show(*frame)

    def _render(self):
        """The current state's pixels, the sentence for it and when it began; None (and a message) if it fails."""
        with self._draw_lock:
            start = time.perf_counter()
            try:
                with self._lock:
                    snap = self._snapshot()
                return self.view.render(snap), snap["note"], start
            except Exception as error:  # never a traceback: say it, keep the last picture
                self.view.live.full_redraw = True
                self.say(f"Could not draw ({type(error).__name__}: {error}).", warning=True)
                return None

    def _show(self, pixels, note, start):
        """Encode a rendered frame, swap it and its sentence in (from the thread that rendered it, or the sender)."""
        jpeg = encode_jpeg(pixels)
        self.picture.value = jpeg if BLOBS_FREED else DATA_URL + base64.b64encode(jpeg)
        self.say(*note)
        self.frames += 1
        self.draw_ms = 1000 * (time.perf_counter() - start)

    def _toggled(self, change):
        self.play_button.description = "⏸ pause" if change["new"] else "▶ play"
        if change["new"]:
            self._stop_threads()  # a thread that stopped by itself (divergence) may still be finishing
            self._stop.clear()
            self._threads = [threading.Thread(target=self._play_loop, daemon=True, name="nnlab-train")]
            self._threads[0].start()
        else:
            self._stop_threads()

    def _stop_threads(self):
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        self._threads = [t for t in self._threads if t.is_alive()]

    def _play_loop(self):
        sender = Sender(self)
        try:
            due = 0.0
            while not self._stop.is_set():
                if time.perf_counter() >= due:
                    start = time.perf_counter()
                    frame = self._render()
                    if frame is not None:
                        sender.put(frame)
                    # the next frame after FRAME_S, or later on a busy machine: training keeps a quarter of the time
                    due = start + max(FRAME_S, 1.35 * (time.perf_counter() - start))
                if not self._fit(self.steps_per_epoch):
                    break
        except Exception as error:  # never a traceback from a thread: say it and stop
            self.note = f"training stopped ({type(error).__name__}: {error})"
        sender.close()
        self._stop.set()
        self.redraw()  # the final state, so the picture matches the counter after a pause
        self.play_button.value = False
