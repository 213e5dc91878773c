"""Interactive explorers built from core ipywidgets and matplotlib (works with ipywidgets 7.7 and 8)."""
from .activations import activation_explorer, layer_explorer
from .backprop import backprop_explorer
from .base import Explorer, LiveFigure, dropdown, live_curve, slider
from .dashboard import Dashboard, dashboard
from .descent import descent_1d_explorer, surface_explorer
from .digits import digit_explorer
from .gradients import gradient_explorer
from .neuron import neuron_explorer
from .regression import line_fit_explorer
from .tensors import tensor_explorer

__all__ = ["Dashboard", "Explorer", "LiveFigure", "activation_explorer", "backprop_explorer", "dashboard",
           "descent_1d_explorer", "digit_explorer", "dropdown", "gradient_explorer", "layer_explorer",
           "line_fit_explorer", "live_curve", "neuron_explorer", "slider", "surface_explorer", "tensor_explorer"]
