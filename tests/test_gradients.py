"""Lesson 07's groundwork: make_mlp's init and norm options, nnlab.gradients, the digits, the gradient explorer.

"A 10-layer network" here means 10 weight matrices W^1 … W^10: make_mlp(..., n_layers=9), nine hidden layers
and the output layer. The explorer numbers its bars the same way (depth hidden layers, L = depth + 1).
"""
import copy
import hashlib
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import torch
import torch.nn.functional as F
from matplotlib.colors import to_rgba
from torch import nn

from nnlab import data, gradients, train
from nnlab.widgets import gradient_explorer
from nnlab.runtime import COLORS
from nnlab.widgets.gradients import CEILING, number, verdict

ROOT = Path(__file__).resolve().parents[1]
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
DIGITS_PER_CLASS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # the UCI test set's class counts


def digits_batch(n=256):
    X, y = data.digits()
    return X[:n], y[:n]


# --- make_mlp: init, gain, norm -----------------------------------------------------------------------------------

def test_default_init_is_pytorchs_own_bit_for_bit():
    torch.manual_seed(0)
    model = train.make_mlp(3, 5, 2, 2, "tanh")
    torch.manual_seed(0)
    plain = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 2))
    torch.manual_seed(0)
    explicit = train.make_mlp(3, 5, 2, 2, "tanh", init="default", norm=None, gain=1.0)
    for other in (plain, explicit):
        assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))


@pytest.mark.parametrize("init, expected_std", [
    ("he", lambda n_in, n_out: (2 / n_in) ** 0.5),
    ("xavier", lambda n_in, n_out: (2 / (n_in + n_out)) ** 0.5),
    ("He", lambda n_in, n_out: (2 / n_in) ** 0.5),  # case-insensitive, as the explorer's dropdown writes it
])
def test_xavier_and_he_draw_normal_weights_of_the_textbook_size_and_zero_biases(init, expected_std):
    torch.manual_seed(0)
    model = train.make_mlp(200, 300, 2, 100, init=init)
    for layer in [m for m in model if isinstance(m, nn.Linear)]:
        n_out, n_in = layer.weight.shape
        assert layer.weight.std().item() == pytest.approx(expected_std(n_in, n_out), rel=0.1)
        assert abs(layer.weight.mean().item()) < 0.1 * expected_std(n_in, n_out)
        assert torch.equal(layer.bias, torch.zeros(n_out))


def test_gain_multiplies_every_weight_matrix():
    torch.manual_seed(1)
    small = train.make_mlp(4, 8, 2, 3, init="he")
    torch.manual_seed(1)
    large = train.make_mlp(4, 8, 2, 3, init="he", gain=2.5)
    for a, b in zip(small, large):
        if isinstance(a, nn.Linear):
            assert torch.allclose(b.weight, 2.5 * a.weight) and torch.equal(a.bias, b.bias)


def test_norm_goes_between_each_hidden_linear_and_its_activation():
    kinds = [type(m).__name__ for m in train.make_mlp(2, 8, 2, 3, "sigmoid", norm="batch")]
    assert kinds == ["Linear", "BatchNorm1d", "Sigmoid", "Linear", "BatchNorm1d", "Sigmoid", "Linear"]
    kinds = [type(m).__name__ for m in train.make_mlp(2, 8, 1, 3, norm="Layer")]
    assert kinds == ["Linear", "LayerNorm", "ReLU", "Linear"]
    assert len(train.make_mlp(2, 8, 0, 3, norm="batch")) == 1  # a linear model has no hidden layer to normalise


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(init="glorot"), ValueError, r"unknown init 'glorot'; expected one of \['default', 'he', 'xavier'\]"),
    (dict(init=None), TypeError, "init must be a string"),
    (dict(norm="group"), ValueError, "unknown norm 'group'; expected one of"),
    (dict(norm=True), TypeError, "norm must be a string"),
    (dict(gain=-1.0), ValueError, r"gain must be a finite number in \[0.0, inf\]"),
    (dict(gain="2"), TypeError, "gain must be a number"),
])
def test_make_mlp_rejects_bad_init_norm_and_gain(kwargs, error, words):
    with pytest.raises(error, match=words):
        train.make_mlp(2, 4, 1, 2, **kwargs)


# --- nnlab.gradients -----------------------------------------------------------------------------------------------

def tiny_problem():
    torch.manual_seed(3)
    model = train.make_mlp(3, 4, 1, 2, "tanh").double()
    X = torch.randn(7, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0, 1, 0, 0])
    return model, X, y


def by_hand(model, X, y):
    """Lesson 04's four equations for Linear → tanh → Linear → softmax cross-entropy (mean over N examples)."""
    W1, b1, W2, b2 = model[0].weight, model[0].bias, model[2].weight, model[2].bias
    a1 = torch.tanh(X @ W1.T + b1)
    delta2 = (torch.softmax(a1 @ W2.T + b2, dim=1) - F.one_hot(y, 2)) / len(X)  # ∂C/∂z2, one row per example
    delta1 = (delta2 @ W2) * (1 - a1 ** 2)                                      # back through W2 and tanh
    return {"W": [(delta1.T @ X).norm().item(), (delta2.T @ a1).norm().item()],
            "b": [delta1.sum(0).norm().item(), delta2.sum(0).norm().item()]}


def test_gradient_norms_match_a_hand_computation_and_autograd():
    model, X, y = tiny_problem()
    expected = by_hand(model, X, y)
    assert gradients.gradient_norms(model, X, y, nn.CrossEntropyLoss()) == pytest.approx(expected["W"], rel=1e-10)
    assert gradients.bias_gradient_norms(model, X, y, nn.CrossEntropyLoss()) == pytest.approx(expected["b"],
                                                                                              rel=1e-10)
    reference = copy.deepcopy(model)
    nn.CrossEntropyLoss()(reference(X), y).backward()
    assert expected["W"] == pytest.approx([reference[0].weight.grad.norm().item(),
                                           reference[2].weight.grad.norm().item()], rel=1e-10)


def test_measuring_changes_neither_weights_nor_grads_nor_batchnorm_statistics():
    torch.manual_seed(0)
    model = train.make_mlp(64, 16, 3, 10, "sigmoid", norm="batch")
    X, y = digits_batch(32)
    for p in model.parameters():
        p.grad = torch.ones_like(p)  # a learner's own gradients, mid-way through something
    before = copy.deepcopy(model.state_dict())
    gradients.gradient_norms(model, X, y, nn.CrossEntropyLoss())
    gradients.bias_gradient_norms(model, X, y, nn.CrossEntropyLoss())
    gradients.layer_activations(model, X)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # incl. running mean/var
    assert all(torch.equal(p.grad, torch.ones_like(p)) for p in model.parameters())
    assert model.training


def test_behind_batchnorm_a_bias_gets_no_gradient():
    torch.manual_seed(0)
    model = train.make_mlp(64, 16, 2, 10, norm="batch")
    norms = gradients.bias_gradient_norms(model, *digits_batch(64), nn.CrossEntropyLoss())
    assert norms[0] < 1e-6 and norms[1] < 1e-6 and norms[2] > 1e-3  # the output layer's bias still learns


def test_layer_activations_are_each_hidden_layers_output():
    torch.manual_seed(0)
    model = train.make_mlp(2, 5, 3, 2, "sigmoid")
    X = torch.randn(6, 2)
    a = gradients.layer_activations(model, X)
    assert len(a) == 3 and all(t.shape == (6, 5) and not t.requires_grad for t in a)
    assert torch.allclose(a[0], torch.sigmoid(model[0](X)))
    assert torch.allclose(a[2], torch.sigmoid(model[4](a[1])))


def test_saturation_counts_where_the_slope_is_almost_zero():
    assert gradients.saturation(torch.tensor([0.01, 0.5, 0.99, 0.97]), "sigmoid") == 0.5
    assert gradients.saturation(torch.tensor([-0.99, 0.0, 0.5, 0.985]), "tanh") == 0.5
    assert gradients.saturation(torch.tensor([[0.0, 1.0], [0.0, 0.0]]), "relu") == 0.75


@pytest.mark.parametrize("call, error, words", [
    (lambda X, y: gradients.gradient_norms("model", X, y, nn.CrossEntropyLoss()), TypeError,
     "model must be a torch.nn.Module"),
    (lambda X, y: gradients.gradient_norms(nn.ReLU(), X, y, nn.CrossEntropyLoss()), ValueError,
     "at least one nn.Linear"),
    (lambda X, y: gradients.gradient_norms(train.make_mlp(2, 3, 1, 2), X.tolist(), y, nn.CrossEntropyLoss()),
     TypeError, "X must be a torch.Tensor"),
    (lambda X, y: gradients.bias_gradient_norms(train.make_mlp(2, 3, 1, 2), X, y[:3], nn.CrossEntropyLoss()),
     ValueError, "same number of rows"),
    (lambda X, y: gradients.gradient_norms(train.make_mlp(2, 3, 1, 2), X, y, "cross-entropy"), TypeError,
     "loss_fn must be callable"),
    (lambda X, y: gradients.gradient_norms(train.make_mlp(2, 3, 1, 2), X, y, nn.CrossEntropyLoss(reduction="none")),
     ValueError, "loss_fn must return a single number"),
    (lambda X, y: gradients.bias_gradient_norms(nn.Linear(2, 2, bias=False), X, y, nn.CrossEntropyLoss()),
     ValueError, "must have a bias"),
    (lambda X, y: gradients.layer_activations(nn.Linear(2, 2), X), TypeError, "must be a torch.nn.Sequential"),
    (lambda X, y: gradients.layer_activations(train.make_mlp(2, 3, 1, 2), X[0]), ValueError, r"shape \(N, features\)"),
    (lambda X, y: gradients.layer_activations(train.make_mlp(3, 3, 1, 2), X), ValueError, "must have 3 columns"),
    (lambda X, y: gradients.gradient_norms(train.make_mlp(3, 3, 1, 2), X, y, nn.CrossEntropyLoss()), ValueError,
     "X must have 3 columns"),
    (lambda X, y: gradients.bias_gradient_norms(train.make_mlp(2, 3, 1, 2), X[:0], y[:0], nn.CrossEntropyLoss()),
     ValueError, "X has no rows"),
    (lambda X, y: gradients.saturation(torch.zeros(3), "softplus"), ValueError, "unknown activation 'softplus'"),
    (lambda X, y: gradients.saturation([0.5], "tanh"), TypeError, "a must be a torch.Tensor"),
])
def test_measurements_refuse_bad_arguments_clearly(call, error, words):
    X, y = torch.randn(5, 2), torch.tensor([0, 1, 0, 1, 1])
    with pytest.raises(error, match=words):
        call(X, y)


# --- the lesson's claim: at initialisation, deep sigmoid nets starve their first layer; the fixes work -------------

def first_over_last(activation, init, norm, seed):
    torch.manual_seed(seed)
    model = train.make_mlp(64, 64, 9, 10, activation, init, norm)  # 10 weight matrices W_1 … W_10
    g = gradients.gradient_norms(model, *digits_batch(), nn.CrossEntropyLoss())
    assert len(g) == 10
    return g[0] / g[-1]


@pytest.mark.parametrize("seed", range(5))
def test_ten_layer_sigmoid_net_with_default_init_has_vanishing_gradients(seed):
    assert first_over_last("sigmoid", "default", None, seed) < 1e-4  # measured: 2e-8 … 6e-8


def test_the_lessons_network_falls_by_about_sqrt_48_per_layer_without_saturating():
    """Lesson 07, section 2: seed 0 gives 3.7e-8, a fall of 6.7 per layer (√48 ≈ 6.9), and no saturated unit."""
    ratio = first_over_last("sigmoid", "default", None, 0)
    assert f"{ratio:.1e}" == "3.7e-08" and abs(ratio ** (-1 / 9) / 48 ** 0.5 - 1) < 0.1
    torch.manual_seed(0)
    a = gradients.layer_activations(train.make_mlp(64, 64, 9, 10, "sigmoid"), digits_batch()[0])
    assert max(gradients.saturation(layer, "sigmoid") for layer in a) == 0


def test_a_gain_multiplies_every_weight_gradient_by_g_to_the_L_minus_1_for_a_given_output_error():
    """Lesson 07, section 5: ReLU with zero biases scales with its input, so a^(l-1) grows by g^(l-1) and δ^l by
    g^(L-l): ∂ℒ/∂W^l by g^(L-1) in every layer, ∂ℒ/∂b^l = δ^l by g^(L-l). Exactly, once the output error is fixed."""
    g, L = 2.0, 4
    X = torch.randn(16, 5, dtype=torch.float64)
    error = torch.randn(16, 3, dtype=torch.float64)  # the same ∂ℒ/∂z^L at both gains
    grads = {}
    for gain in (1.0, g):
        torch.manual_seed(0)
        model = train.make_mlp(5, 8, L - 1, 3, "ReLU", "he", gain=gain).double()
        model(X).backward(error)
        grads[gain] = [(m.weight.grad, m.bias.grad) for m in model if isinstance(m, nn.Linear)]
    for l, ((W1, b1), (Wg, bg)) in enumerate(zip(grads[1.0], grads[g]), start=1):
        assert torch.allclose(Wg, g ** (L - 1) * W1) and torch.allclose(bg, g ** (L - l) * b1)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("activation, init, norm", [("tanh", "xavier", None), ("ReLU", "he", None),
                                                    ("sigmoid", "default", "batch")])
def test_good_init_relu_or_batchnorm_keep_the_ten_layers_within_10x(activation, init, norm, seed):
    assert 0.1 <= first_over_last(activation, init, norm, seed) <= 10  # measured: 0.66 … 2.3


# --- the handwritten digits ----------------------------------------------------------------------------------------

def test_digits_are_the_uci_test_set_scaled_to_0_1():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == torch.float32
    assert y.shape == (1797,) and y.dtype == torch.int64
    assert X.min() == 0 and X.max() == 1 and torch.equal(X * 16, (X * 16).round())  # counts 0..16, divided by 16
    assert torch.bincount(y).tolist() == DIGITS_PER_CLASS
    assert y[:10].tolist() == list(range(10))


def test_the_shipped_digits_file_is_unchanged_documented_and_packaged():
    path = ROOT / "nnlab" / "_data" / "digits.csv.gz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == DIGITS_SHA256
    assert DIGITS_SHA256 in (ROOT / "data" / "README.md").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*(#.*\n\s*)*nnlab = \["_data/\*\.csv\.gz"\]', pyproject)


def test_digits_gives_fresh_tensors_each_time():
    X, _ = data.digits()
    X += 1  # a learner's in-place edit must not leak into the next call
    assert data.digits()[0].max() == 1


# --- the gradient explorer -----------------------------------------------------------------------------------------

def picture(explorer):
    return explorer.output.outputs[0]["data"]["image/png"]


def test_every_control_changes_the_picture_without_warnings_or_leaks():
    figures = plt.get_fignums()
    rng = torch.get_rng_state()
    ex = gradient_explorer()
    assert "vanishing gradients" in ex.message.value
    for name, value in [("depth", 20), ("activation", "tanh"), ("init", "Xavier"), ("activation", "ReLU"),
                        ("init", "He"), ("norm", True), ("gain", 2.0), ("depth", 3), ("activation", "sigmoid")]:
        before = picture(ex)
        ex.controls[name].value = value
        assert picture(ex) != before, f"changing {name} to {value} did not change the picture"
        assert "⚠" not in ex.message.value, ex.message.value
    assert plt.get_fignums() == figures and len(ex.output.outputs) == 1
    assert torch.equal(torch.get_rng_state(), rng)  # the explorer seeds a private stream only


def test_same_settings_give_the_same_picture():
    ex = gradient_explorer(depth=5)
    first = picture(ex)
    ex.controls["init"].value = "He"
    ex.controls["init"].value = "default"
    assert picture(ex) == first


def test_bars_take_the_lessons_colour_for_the_network():
    """Section 2's key: sigmoid C[0], tanh C[1], ReLU C[2], BatchNorm C[3], on both bar charts."""
    ex = gradient_explorer(depth=3)
    for name, value, color in [("activation", "sigmoid", COLORS[0]), ("activation", "tanh", COLORS[1]),
                               ("activation", "ReLU", COLORS[2]), ("norm", True, COLORS[3])]:
        ex.controls[name].value = value
        assert ex.bars[0].get_facecolor() == ex.sat_bars[0].get_facecolor() == to_rgba(color), (name, value)


def test_the_band_stays_visible_over_bars_of_its_own_green():
    """ReLU's bars are the band's green: the band is drawn over them, with dashed edges at 1/10 and 10 × the last bar."""
    ex = gradient_explorer(depth=3, activation="ReLU", init="He")
    assert ex.band.zorder > ex.bars[0].zorder and ex.band.get_linestyle() == "--" and ex.band.get_linewidth() > 0
    assert ex.band.get_facecolor()[3] < 0.3                          # translucent: the bars show through
    last = ex.norms[-1]
    assert abs(ex.band.get_y() / last - 0.1) < 1e-9 and abs((ex.band.get_y() + ex.band.get_height()) / last - 10) < 1e-9


@pytest.mark.parametrize("settings, words", [
    (dict(activation="sigmoid", init="default"), "vanishing gradients"),
    (dict(activation="tanh", init="Xavier"), "Healthy"),
    (dict(activation="ReLU", init="He"), "Healthy"),
    (dict(activation="sigmoid", init="default", norm=True), "Healthy"),
    (dict(activation="ReLU", init="He", gain=2.0), "exploding gradients"),
    (dict(activation="ReLU", init="Xavier"), "tiny"),               # level bars, every one below 10⁻⁴
])
def test_depth_30_works_and_the_message_reads_the_picture(settings, words):
    ex = gradient_explorer(depth=30, **settings)
    assert words in ex.message.value and "⚠" not in ex.message.value
    assert ex.fig.axes[0].get_title().startswith(r"$\|\partial\mathcal{L}/\partial W^1\| \,/\, \|\partial\mathcal{L}/\partial W^{31}\|")
    assert sum(bar.get_visible() for bar in ex.bars) == 31


def test_bars_above_the_chart_are_never_called_healthy():
    """ReLU + He at gain 1.5 (the gain at which lesson 07's spiral network diverges): level bars, up to twice the top."""
    ex = gradient_explorer(depth=9, activation="ReLU", init="He", gain=1.5)
    assert 0.1 < ex.norms[0] / ex.norms[-1] < 10 and max(ex.norms) > 2 * CEILING
    assert "exploding gradients" in ex.verdict and not ex.verdict.startswith("Healthy")
    ex = gradient_explorer(depth=9, activation="ReLU", init="He", gain=1.25)   # every bar on the chart: healthy
    assert max(ex.norms) < CEILING and ex.verdict.startswith("Healthy")


def test_ratios_are_written_as_the_lesson_prints_them():
    assert number(1.43) == "1.4" and number(37.2) == "37" and number(0.037) == "0.037"
    assert number(3.67e-8) == "3.7 × 10⁻⁸" and number(2.4e6) == "2.4 × 10⁶" and number(9.99e2) == "999"
    assert number(3.67e-8, math=True) == r"3.7 \times 10^{-8}"


@pytest.mark.parametrize("g, words", [
    ([3.67e-9, 0.1], "The first layer's gradient is 3.7 × 10⁻⁸ times the last layer's: the early layers barely learn"),
    ([250.0, 1.0], "The first layer's gradient is 250 times the last layer's: the early layers take huge steps"),
    ([2e3, 1.5e3], "Every layer's gradient is huge, up to 2.0 × 10³"),
    ([1.4, 1.0], "Healthy: the first layer's gradient is 1.4 times the last layer's"),
    ([3e-5, 1e-5], "Every layer's gradient is tiny, at most 3.0 × 10⁻⁵"),
    ([0.0, 1.0], "exactly 0"),
    ([float("nan"), 1.0], "NaN or inf"),
])
def test_the_verdict_reads_the_numbers(g, words):
    assert words in verdict(g)


def test_at_its_opening_settings_the_explorer_shows_the_lessons_network():
    """Lesson 07 opens the explorer at depth 9: the same network, ratio and (zero) saturation as its section 2."""
    ex = gradient_explorer(depth=9)
    torch.manual_seed(0)
    g = gradients.gradient_norms(train.make_mlp(64, 64, 9, 10, "sigmoid"), *digits_batch(), nn.CrossEntropyLoss())
    assert list(ex.norms) == pytest.approx(g, rel=1e-6)
    assert "3.7 × 10⁻⁸" in ex.verdict and "3.7 \\times 10^{-8}" in ex.fig.axes[0].get_title()
    assert ex.saturated == [0.0] * 9 and "&#x27;" not in ex.verdict  # plain text, for print()


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(depth=0), ValueError, "depth must be >= 1"),
    (dict(depth=31), ValueError, "depth must be between 1 and 30"),
    (dict(depth=2.0), TypeError, "depth must be an int"),
    (dict(activation="softplus"), ValueError, "unknown activation 'softplus'"),
    (dict(init="orthogonal"), ValueError, "unknown init 'orthogonal'"),
    (dict(norm="batch"), TypeError, "norm must be True"),
    (dict(width=0), ValueError, "width must be >= 1"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(gain=10), ValueError, "gain must be a finite number"),
])
def test_bad_arguments_are_refused_clearly(kwargs, error, words):
    with pytest.raises(error, match=words):
        gradient_explorer(**kwargs)
