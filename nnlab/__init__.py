"""nnlab: data, plots, widgets and exercise checks for the nnlab lessons on neural networks.

Importing nnlab changes nothing: call `nnlab.setup()` in a notebook's first cell.
"""
from . import check, data, diagram, gradients, plot, train, widgets
from .runtime import device, in_colab, set_seed, setup

__version__ = "0.1.0"
__all__ = ["check", "data", "device", "diagram", "gradients", "in_colab", "plot", "set_seed", "setup", "train",
           "widgets"]
