import re

import numpy as np
import pytest
import torch

from nnlab import check


def unit(w, theta):
    """A threshold unit as a learner would write it in lesson 01."""
    return lambda *x: int(np.dot(w, x) >= theta)


def feedback(capsys, *args, **kwargs):
    check.truth_table(*args, **kwargs)
    return capsys.readouterr().out


def test_correct_units_get_a_tick(capsys):
    assert feedback(capsys, unit([-1, -1], -1.5), "NAND").startswith("✓ NAND: all 4 rows")
    out = feedback(capsys, unit([1, 1, 1], 1.5), lambda a, b, c: a + b + c >= 2, name="majority")
    assert out.startswith("✓ majority: all 8 rows")


def test_outputs_may_be_bools_numpy_or_tensors(capsys):
    assert feedback(capsys, lambda a, b: a and b, "AND").startswith("✓")
    assert feedback(capsys, lambda a, b: np.array(a & b), "AND").startswith("✓")
    assert feedback(capsys, lambda a, b: torch.tensor(float(a & b)), "AND").startswith("✓")


def test_untouched_exercise_gets_a_specific_hint_not_the_answer(capsys):
    out = feedback(capsys, unit([0, 0], 0), "NAND")
    assert out.startswith("✗ NAND: wrong in 1 of 4 rows.")
    assert "input (1, 1): your function gives 1, NAND needs 0" in out
    assert "fires too often" in out and "Answer" not in out


def test_hint_direction_follows_the_mistake(capsys):
    assert "fires too rarely" in feedback(capsys, unit([1, 1], 2.5), "AND")      # never fires
    assert "only θ decides" in feedback(capsys, unit([1, 1], -1), "AND")         # fires at (0, 0)
    assert "tilted the wrong way" in feedback(capsys, unit([1, -1], 0.5), lambda a, b: b and not a)


def test_every_wrong_row_is_counted_even_when_only_three_are_listed(capsys):
    out = feedback(capsys, unit([0, 0, 0], 0), lambda a, b, c: a + b + c >= 2, name="majority")
    assert "wrong in 4 of 8 rows" in out and out.count("   input (") == 3 and "… and 1 more row\n" in out


def test_a_network_gets_its_own_hint_and_a_network_answer(capsys):
    out = feedback(capsys, unit([0, 0], 0), "XOR", hint="use two hidden units", answer=True)
    assert "Hint: use two hidden units" in out and "Two hidden units and an output unit can" in out
    ws = [tuple(map(int, w.split(", "))) for w in re.findall(r"w = \((-?\d+, -?\d+)\)", out)]
    thetas = [float(t) for t in re.findall(r"θ = (-?[\d.]+)", out)]
    hidden = [unit(w, t) for w, t in zip(ws[:2], thetas[:2])]   # the answer, run as a network, is XOR
    output = unit(ws[2], thetas[2])
    assert [output(*(h(a, b) for h in hidden)) for a in (0, 1) for b in (0, 1)] == [0, 1, 1, 0]


def test_answer_only_when_asked(capsys):
    out = feedback(capsys, unit([0, 0], 0), "NAND", answer=True)
    assert "Answer: w = (-1, -1), θ = -1.5" in out
    out = feedback(capsys, unit([0, 0], 0), "XOR", answer=True)
    assert "no single threshold unit can do this" in out


@pytest.mark.parametrize("fn, words", [
    (lambda a, b: None, "returned None: did you forget `return`?"),
    (lambda a, b: 0.7, "returned 0.7; a threshold unit outputs exactly 0 or 1"),
    (lambda a, b: "yes", "returned 'yes'"),
    (lambda a, b: 1 / 0, "raised ZeroDivisionError for input (0, 0)"),
    (lambda a: a, "raised TypeError"),
    ("nand", "expected a function, got str"),
])
def test_broken_functions_get_a_sentence_never_a_traceback(capsys, fn, words):
    out = feedback(capsys, fn, "NAND")
    assert out.startswith("✗") and words in out


def test_unknown_gate_is_reported_not_raised(capsys):
    out = feedback(capsys, unit([1, 1], 1.5), "NADN")
    assert out.startswith("✗ could not check: unknown gate 'NADN'; expected one of")


@pytest.mark.parametrize("value, words", [
    (np.array([1.0, 2.0, 3.0]), "✓ z is correct."),
    (np.array([1.0, 2.5, 3.0]), "1 of 3 values differ; the first at index (1,) is too large by 25%"),
    (np.array([1.0, 2.0]), "expected shape (3,), got shape (2,)"),
    (np.array([1.0, np.nan, 3.0]), "contains NaN or inf"),
    (..., "not done yet"),
    (torch.tensor([1.0, 2.0, 3.0]), "✓ z is correct."),
])
def test_close(capsys, value, words):
    check.close(value, [1.0, 2.0, 3.0], name="z")
    out = capsys.readouterr().out
    assert words in out and "Answer" not in out


def test_close_reveals_only_when_asked_and_never_raises(capsys):
    check.close(2.0, 3.0, name="slope", answer=True)
    out = capsys.readouterr().out
    assert "too small by 33%" in out and "Answer: 3.0" in out
    check.close("abc", 3.0)
    assert capsys.readouterr().out.startswith("✗ could not check your answer:")


def leaky(z):
    return torch.where(z > 0, z, 0.01 * z)


@pytest.mark.parametrize("fn, words", [
    (leaky, "✓ leaky is correct."),
    (lambda z: torch.relu(z), "1 of 5 values differ; the first at input -2 is too large by 100%"),
    (lambda z: None, "returned None — not done yet"),
    (lambda z: ..., "returned Ellipsis — not done yet"),
    (lambda z: z[:2], "expected shape (5,), got shape (2,)"),
    (lambda z: z / 0, "contains NaN or inf"),
    (lambda z: 1 / 0, "raised ZeroDivisionError"),
])
def test_function_compares_with_a_reference(capsys, fn, words):
    check.function(fn, leaky, torch.tensor([-2.0, 0.0, 1.0, 2.0, 3.0]), name=None if fn is leaky else "f")
    out = capsys.readouterr().out
    assert words in out and "Answer" not in out


def test_function_with_several_arguments_and_unfinished_exercises(capsys):
    def step(x, grad, lr):
        raise NotImplementedError

    check.function(step, lambda x, g, lr: x - lr * g, 1.0, 2.0, 0.1)
    assert "not done yet — replace the `raise NotImplementedError`" in capsys.readouterr().out
    check.function(lambda x, g, lr: x - lr * g, lambda x, g, lr: x - lr * g, 1.0, 2.0, 0.1, name="update")
    assert capsys.readouterr().out.startswith("✓ update is correct.")
    check.function(lambda x, g, lr: x + lr * g, lambda x, g, lr: x - lr * g, 1.0, 2.0, 0.1, answer=True)
    out = capsys.readouterr().out
    assert out.startswith("✗ your function: 1 of 1 values differ; the first is too large by 50%.")
    assert "Answer: the reference gives 0.8" in out


def test_choice_marks_each_answer_with_a_hint_and_no_spoiler(capsys):
    expected = {"regression": "linear", "binary": "sigmoid"}
    hints = {"binary": "a probability lies between 0 and 1."}
    check.choice({"regression": "Linear", "binary": "ReLU"}, expected, hints)
    out = capsys.readouterr().out
    assert "✓ regression: Linear" in out and "✗ binary: 'ReLU' is not the best choice. a probability" in out
    assert "1 of 2 still to fix." in out and "Answer" not in out and "sigmoid" not in out
    check.choice({"regression": ..., "binary": "sigmoid"}, expected, answer=True)
    out = capsys.readouterr().out
    assert "✗ regression: not answered yet" in out and "Answer: regression: linear, binary: sigmoid" in out
    check.choice(["linear"], expected)
    assert capsys.readouterr().out.startswith("✗ expected a dict")
    check.choice({"regression": "linear", "binary": "sigmoid"}, expected)
    assert capsys.readouterr().out.endswith("✓ all correct.\n")


def test_function_with_several_results_checks_each(capsys):
    def reference(a):
        return a * 2, a.sum()

    check.function(lambda a: (a * 2, a.sum()), reference, np.arange(3.0), name="pair")
    assert capsys.readouterr().out == "✓ pair, result 1 is correct.\n✓ pair, result 2 is correct.\n"
    check.function(lambda a: (a * 2, a.sum() + 1), reference, np.arange(3.0), name="pair")
    out = capsys.readouterr().out
    assert "✓ pair, result 1 is correct." in out and "✗ pair, result 2: 1 of 1 values differ" in out
    check.function(lambda a: a * 2, reference, np.arange(3.0), name="pair", answer=True)
    out = capsys.readouterr().out
    assert "expected 2 results (a tuple), got ndarray" in out and "Answer" not in out


def spiral_check(capsys, build, **kwargs):
    from nnlab.data import spiral
    X, y = spiral(100, 3, 0.2, 0)
    first = check.classifier(build, X, y, **kwargs)
    return first, capsys.readouterr().out


def test_classifier_trains_a_good_model_and_reports_when_it_reached_the_target(capsys):
    nn = torch.nn
    first, out = spiral_check(capsys, lambda: nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3)),
                              target=0.95)
    assert out.startswith("✓") and isinstance(first, int) and 50 < first < 1000, out
    assert f"after {first} Adam steps" in out


def test_classifier_gives_specific_hints(capsys):
    nn = torch.nn

    def todo():
        raise NotImplementedError

    cases = [
        (todo, "not done yet"),
        (lambda: "a model", "expected an nn.Module"),
        (lambda: nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 2)), "shape (300, 3)"),
        (lambda: nn.Sequential(nn.Linear(2, 100), nn.Linear(100, 3)), "your model is linear"),
        (lambda: nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3)), "the target is 95%"),
    ]
    for build, hint in cases:
        first, out = spiral_check(capsys, build, target=0.95, steps=200)
        assert first is None and out.startswith("✗") and hint in out, (hint, out)
    first, out = spiral_check(capsys, 42)
    assert first is None and "expected a function" in out


def test_smallest_says_larger_smaller_or_tick(capsys):
    works = lambda n: n >= 5  # noqa: E731
    for value, expected in [(3, "try larger"), (7, "try smaller"), (5, "✓"), (..., "not done yet"), (1.5, "could not check")]:
        check.smallest(value, works, name="width")
        out = capsys.readouterr().out
        assert expected in out, (value, out)


def test_classifier_can_train_with_sgd_and_rejects_unknown_optimisers(capsys):
    nn = torch.nn
    build = lambda: nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 3))  # noqa: E731
    first, out = spiral_check(capsys, build, target=0.6, steps=300, lr=0.5, optimizer="sgd")
    assert out.startswith("✓") and "SGD steps" in out and first is not None, out
    first, out = spiral_check(capsys, build, optimizer="LBFGS")
    assert first is None and "unknown optimizer 'LBFGS'" in out, out


def test_classifier_says_when_a_deep_network_passes_no_signal(capsys):
    from nnlab.train import make_mlp
    first, out = spiral_check(capsys, lambda: make_mlp(2, 64, 9, 3, activation="sigmoid"), target=0.95, steps=50,
                              lr=0.1, optimizer="SGD")
    assert first is None and "the signal vanishes" in out and "linear" not in out, out
