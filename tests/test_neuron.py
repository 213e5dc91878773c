"""Lesson 01's neuron explorer: its table shows z = w·x − θ, a sum that lands on θ fires, and the points are
drawn like the lesson's static plots (target 0 a blue circle, target 1 an orange square)."""
import matplotlib.colors as mcolors
import numpy as np
import pytest

from nnlab import data
from nnlab.plot import MARKERS
from nnlab.runtime import COLORS
from nnlab.widgets import neuron_explorer


def column(explorer, j):
    """Column j of the table's changing part (0 target, 1 z, 2 unit, 3 mark), top row first."""
    return [row[j].get_text() for row in explorer.cells]


def test_the_table_shows_z_for_every_input_with_a_true_minus_sign():
    ex = neuron_explorer(gate="AND", w1=1.0, w2=1.0, theta=1.5)
    assert column(ex, 1) == ["−1.5", "−0.5", "−0.5", "0.5"]
    assert column(ex, 2) == ["0", "0", "0", "1"]  # the unit fires exactly where z >= 0
    ex.controls["w2"].value = -2.0
    assert column(ex, 1) == ["−1.5", "−3.5", "−0.5", "−2.5"]
    assert column(ex, 2) == ["0", "0", "0", "0"]


@pytest.mark.parametrize("w1, w2, theta", [(0.6, 0.3, 0.9), (0.1, 0.2, 0.3), (0.7, 0.7, 1.4)])
def test_a_sum_that_lands_exactly_on_theta_fires(w1, w2, theta):
    # in floating point 0.6 + 0.3 < 0.9 and 0.1 + 0.2 > 0.3; on paper both equal θ, and w·x >= θ fires
    ex = neuron_explorer(gate="AND", w1=w1, w2=w2, theta=theta)
    assert column(ex, 1)[3] == "0.0" and column(ex, 2) == ["0", "0", "0", "1"]
    assert ex.message.value == "This unit computes AND: all 4 rows correct."


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR", "XOR"])
def test_targets_are_circles_and_squares_in_the_static_plots_colours(gate):
    ex = neuron_explorer(gate=gate)
    X, y = (t.numpy() for t in data.logic_gate(gate))
    for c, points in enumerate(ex.points):
        assert np.array_equal(points.get_offsets(), X[y == c])
        assert np.allclose(points.get_facecolor()[0], mcolors.to_rgba(COLORS[c]))
        assert points.get_label() == f"target {c}"
    assert MARKERS[:2] == "os"  # what plot.scatter_classes draws: class 0 circles, class 1 squares
    circle, square = (points.get_paths()[0] for points in ex.points)
    assert len(circle.vertices) > len(square.vertices)  # a circle's path has many vertices, a square's five


def test_moving_the_sliders_moves_only_the_unit_not_the_targets():
    ex = neuron_explorer(gate="OR")
    before = [points.get_offsets().copy() for points in ex.points]
    ex.controls["theta"].value = -2.0
    assert column(ex, 2) == ["1", "1", "1", "1"] and "3/4 for OR" in ex.message.value
    assert all(np.array_equal(p.get_offsets(), b) for p, b in zip(ex.points, before))


@pytest.mark.parametrize("w1, w2, theta, fires, why", [
    (0.0, 0.0, -1.0, "every", "both weights are 0"),     # no line at all: θ alone decides
    (0.0, 0.0, 0.5, "no", "both weights are 0"),
    (0.1, 0.0, 3.0, "no", "outside the picture"),        # the line x1 = 30 is off the plot
    (0.1, 0.0, -3.0, "every", "outside the picture"),
])
def test_without_a_line_in_the_picture_the_message_says_why(w1, w2, theta, fires, why):
    ex = neuron_explorer(gate="NAND", w1=w1, w2=w2, theta=theta)
    assert not ex.line.get_visible()
    assert f"fires on {fires} input" in ex.message.value and why in ex.message.value
    assert "Move the line" not in ex.message.value   # there is no line to move
    assert "from 0" in ex.message.value   # the advice names the way out: a weight (farther) away from 0
