"""Interactive explorers built from core ipywidgets and matplotlib (works with ipywidgets 7.7 and 8)."""
from .base import Explorer, dropdown, slider
from .neuron import neuron_explorer

__all__ = ["Explorer", "dropdown", "neuron_explorer", "slider"]
