"""Drive the explorers from Python, as a learner's slider moves would, and watch what they show."""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from nnlab.widgets import Explorer, neuron_explorer, slider


def picture(explorer):
    (output,) = explorer.output.outputs
    return output["data"]["image/png"]


def test_explorer_renders_its_default_state():
    ex = neuron_explorer()
    assert isinstance(ex, widgets.HBox)
    assert picture(ex) and ex.message.value == "This unit computes AND: all 4 rows correct."
    assert ex.draw_ms is not None


def test_every_control_changes_the_picture_and_no_figure_leaks():
    ex = neuron_explorer()
    figures_before = plt.get_fignums()
    seen = {picture(ex)}
    changes = [("w1", v) for v in (-2.0, 0.5, 2.9)] + [("w2", v) for v in (-1.0, 0.3)] + \
              [("theta", v) for v in (-0.5, 0.8)] + [("gate", g) for g in ("OR", "NAND", "NOR", "XOR")]
    for name, value in changes:
        before = picture(ex)
        ex.controls[name].value = value
        assert picture(ex) != before, f"changing {name} to {value} did not change the picture"
        seen.add(picture(ex))
    for i in range(50):  # 50 more changes: still no pyplot figure, still one output
        ex.controls["theta"].value = round(-3 + 0.12 * i, 2)
    assert plt.get_fignums() == figures_before
    assert len(ex.output.outputs) == 1
    assert len(seen) == len(changes) + 1


@pytest.mark.parametrize("gate, w1, w2, theta, score", [
    ("AND", 1, 1, 1.5, "all 4 rows correct"),
    ("OR", 1, 1, 0.5, "all 4 rows correct"),
    ("NAND", -1, -1, -1.5, "all 4 rows correct"),
    ("NOR", -1, -1, -0.5, "all 4 rows correct"),
    ("OR", 1, 1, 1.5, "2/4 for OR"),
    ("XOR", 1, 1, 0.5, "3/4 for XOR. No setting gets 4/4"),
    ("XOR", 0, 0, 0.5, "2/4 for XOR"),
])
def test_message_scores_the_truth_table(gate, w1, w2, theta, score):
    ex = neuron_explorer(gate=gate, w1=w1, w2=w2, theta=theta)
    assert score in ex.message.value


def test_bad_starting_values_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="unknown gate 'XNOR'"):
        neuron_explorer(gate="XNOR")
    with pytest.raises(ValueError, match=r"w1 must be a finite number in \[-3, 3\]"):
        neuron_explorer(w1=7)


class Fragile(Explorer):
    """An explorer whose update fails for negative values: the learner must see a sentence."""

    def build(self, fig):
        self.ax = fig.subplots()
        self.line, = self.ax.plot([0, 1], [0, 0], animated=True)

    def update(self, a):
        if a < 0:
            raise ValueError("a must not be negative")
        self.line.set_ydata([0, a])
        return f"a = {a}"


def test_an_error_in_update_becomes_a_message_and_the_explorer_recovers():
    ex = Fragile({"a": slider("a", -1.0, 1.0, 0.1, 0.5)})
    good = picture(ex)
    ex.controls["a"].value = -0.5
    assert "Could not draw this setting (ValueError: a must not be negative)" in ex.message.value
    assert picture(ex) == good  # the last good picture stays
    ex.controls["a"].value = 0.9
    assert ex.message.value == "a = 0.9" and picture(ex) != good


def test_base_requires_build_and_update():
    with pytest.raises(NotImplementedError, match="build"):
        Explorer({})


class Counter(Explorer):
    """Two sliders and a button that moves both: one press must cost one redraw."""

    def build(self, fig):
        self.text = fig.text(0.5, 0.5, "", animated=True)
        self.redraws = 0

    def update(self, a, b):
        self.redraws += 1
        self.text.set_text(f"{a} {b}")
        return f"a + b = {a + b}"


def test_a_button_changes_several_controls_with_one_redraw():
    def both_up():
        ex.controls["a"].value += 1
        ex.controls["b"].value += 1

    ex = Counter({"a": slider("a", 0, 10, 1, 0, integer=True), "b": slider("b", 0, 10, 1, 0, integer=True)},
                 buttons={"up": both_up, "fail": lambda: 1 / 0})
    start, before = ex.redraws, picture(ex)
    ex.buttons["up"].click()
    assert ex.redraws == start + 1 and ex.message.value == "a + b = 2" and picture(ex) != before
    ex.buttons["fail"].click()
    assert "That did not work (ZeroDivisionError" in ex.message.value
    ex.controls["a"].value = 5  # still responsive afterwards
    assert ex.message.value == "a + b = 6"


def test_live_figure_repaints_only_what_changed_and_never_touches_pyplot():
    from nnlab.widgets import LiveFigure

    live = LiveFigure(figsize=(3, 2))
    ax = live.fig.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    dot, = ax.plot([0.2], [0.2], "o", animated=True)
    first = live.png()
    assert first.startswith(b"\x89PNG") and live.full_redraw is False
    dot.set_data([0.8], [0.8])
    second = live.png()
    assert second != first
    dot.set_data([0.2], [0.2])
    assert live.png() == first  # the cached background is reused exactly
    ax.set_xlim(0, 2)
    live.full_redraw = True  # a static change: the background is rendered again
    assert live.png() != first
    assert plt.get_fignums() == []
