import math

import pytest
import torch

from nnlab import data

TRUTH = {  # written out by hand, independently of nnlab.data.GATES
    "AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0], "XOR": [0, 1, 1, 0], "NOT": [1, 0],
}


@pytest.mark.parametrize("gate", TRUTH)
def test_logic_gate_truth_tables(gate):
    X, y = data.logic_gate(gate)
    n = 1 if gate == "NOT" else 2
    assert X.shape == (2 ** n, n) and X.dtype == torch.float32
    assert X.tolist() == data.binary_inputs(n).tolist()
    assert y.tolist() == TRUTH[gate]


def test_logic_gate_name_is_case_insensitive():
    assert torch.equal(data.logic_gate("xor")[1], data.logic_gate("XOR")[1])


@pytest.mark.parametrize("bad, error, words", [
    ("XNOR", ValueError, r"unknown gate name 'XNOR'; expected one of \['AND'"),
    (3, TypeError, "gate name must be a string"),
])
def test_logic_gate_rejects_unknown_names(bad, error, words):
    with pytest.raises(error, match=words):
        data.logic_gate(bad)


def test_binary_inputs_counts_in_order():
    assert data.binary_inputs(2).tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert data.binary_inputs(3).shape == (8, 3)
    with pytest.raises(ValueError, match="n_inputs must be >= 1"):
        data.binary_inputs(0)
    with pytest.raises(ValueError, match="at most 16"):
        data.binary_inputs(40)


def test_spiral_shape_dtype_labels_and_range():
    X, y = data.spiral(n_per_class=50, n_classes=4, noise=0.1, seed=1)
    assert X.shape == (200, 2) and X.dtype == torch.float32
    assert y.dtype == torch.int64 and y.tolist() == sum(([k] * 50 for k in range(4)), [])
    assert torch.isfinite(X).all()
    radius = X.norm(dim=1)
    assert radius.max() <= 1 + 1e-6
    # every arm starts at the origin and ends on the unit circle
    assert (radius == 0).sum() == 4
    assert torch.allclose(radius[49::50], torch.ones(4))


def test_spiral_without_noise_follows_the_formula():
    X, y = data.spiral(n_per_class=5, n_classes=2, noise=0.0)
    r = torch.tensor([0, 0.25, 0.5, 0.75, 1.0])
    t = torch.linspace(4, 8, 5)  # class 1: angles 4 to 8 radians
    assert torch.allclose(X[5:], torch.stack([r * torch.sin(t), r * torch.cos(t)], 1), atol=1e-6)


def test_spiral_is_deterministic_and_leaves_the_global_rng_alone():
    torch.manual_seed(0)
    expected_next = torch.rand(1)
    torch.manual_seed(0)
    a = data.spiral(seed=5)
    assert torch.equal(torch.rand(1), expected_next)
    b = data.spiral(seed=5)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], data.spiral(seed=6)[0])


@pytest.mark.parametrize("kwargs, error, words", [
    ({"n_per_class": 0}, ValueError, "n_per_class must be >= 1"),
    ({"n_per_class": -3}, ValueError, "n_per_class must be >= 1"),
    ({"n_per_class": 10.5}, TypeError, "n_per_class must be an int"),
    ({"n_classes": 1}, ValueError, "n_classes must be >= 2"),
    ({"noise": -0.1}, ValueError, "noise must be a finite number"),
    ({"noise": math.nan}, ValueError, "noise must be a finite number"),
    ({"noise": math.inf}, ValueError, "noise must be a finite number"),
    ({"noise": "high"}, TypeError, "noise must be a number"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
])
def test_spiral_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.spiral(**kwargs)
