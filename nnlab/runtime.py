"""Notebook set-up (every lesson's first cell): plotting style, seeds, threads and the device."""
import random
import sys

import matplotlib
import numpy as np
import torch

from . import _validate

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

# Opaque white figures with dark text: readable on JupyterLab's light and dark themes and on
# Colab, where a transparent figure would put black labels on a black page.
STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": 100,
    "figure.figsize": (6.0, 4.0),
    "figure.constrained_layout.use": True,  # labels of side-by-side panels never overlap
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def in_colab():
    """True when running inside Google Colab (the setup cell installs nnlab there)."""
    return "google.colab" in sys.modules


def device(dtype=None):
    """The best available torch device (for `dtype`, if given): CUDA, then Apple's MPS (which has no float64), then the CPU."""
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise TypeError(f"dtype must be None or a torch.dtype such as torch.float64, got {dtype!r}")
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available() and dtype != torch.float64:   # lessons 02–04 use float64
        return torch.device("mps")
    return torch.device("cpu")


def set_seed(seed=0):
    """Seed Python, NumPy and torch (all devices) so a lesson gives the same numbers every run."""
    seed = _validate.count("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def setup(seed=0, threads=1, style=True):
    """Prepare a lesson: inline plots, the course style, seeds, torch threads; print one status line."""
    # One thread: lesson models are tiny (lesson 06's is a 300 × 100 layer) and one thread runs them fastest.
    # More threads pay off only for big layers, and they wait for each other: while another process (the
    # browser, Jupyter, the dashboard's painter) holds a core, 300 Adam steps of lesson 06's model took
    # 7–25 s on 2 threads and 0.2 s on 1 (measured on a 2-core machine). Pass threads=N for big models.
    from . import __version__

    seed = _validate.count("seed", seed, minimum=0)
    threads = _validate.count("threads", threads, minimum=1)

    shell = _ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")  # first, because it resets some rcParams
    if style:
        matplotlib.rcParams.update(STYLE)
    set_seed(seed)
    torch.set_num_threads(threads)

    dev = device()
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else dev.type
    print(f"nnlab {__version__} · torch {torch.__version__} · device {name} · "
          f"seed {seed} · {threads} thread{'s' * (threads > 1)}")


def _ipython():
    """The running IPython shell, or None in a plain Python process."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()
