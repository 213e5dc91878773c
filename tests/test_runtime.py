import random
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
import torch

import nnlab
from nnlab import runtime


def test_import_changes_nothing():
    code = ("import matplotlib, torch; before = dict(matplotlib.rcParams); n = torch.get_num_threads(); "
            "import nnlab; assert dict(matplotlib.rcParams) == before; assert torch.get_num_threads() == n; "
            "print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_setup_style_seed_threads_and_status_line(capsys):
    old_threads = torch.get_num_threads()
    try:
        nnlab.setup(seed=7, threads=1)
        line = capsys.readouterr().out.strip()
        assert line.startswith(f"nnlab {nnlab.__version__} · torch {torch.__version__} · device ")
        assert "seed 7" in line and "1 thread" in line and "\n" not in line
        assert torch.get_num_threads() == 1
        # opaque white figures: readable on a dark theme
        assert matplotlib.rcParams["figure.facecolor"] == "white"
        assert matplotlib.rcParams["savefig.transparent"] is False
        first = torch.rand(3)
        nnlab.setup(seed=7, threads=1)
        assert torch.equal(first, torch.rand(3))
    finally:
        torch.set_num_threads(old_threads)
        matplotlib.rcdefaults()


def test_set_seed_reproduces_python_numpy_and_torch():
    nnlab.set_seed(3)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    nnlab.set_seed(3)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == a
    nnlab.set_seed(4)
    assert torch.rand(1).item() != a[2]


@pytest.mark.parametrize("bad, error, words", [
    (-1, ValueError, ">= 0"), (1.5, TypeError, "int"), ("0", TypeError, "int"), (True, TypeError, "int"),
])
def test_set_seed_rejects_bad_seed(bad, error, words):
    with pytest.raises(error, match=words):
        nnlab.set_seed(bad)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"threads": 0}, ValueError, "threads must be >= 1"),
    ({"threads": 2.0}, TypeError, "threads must be an int"),
    ({"seed": -5}, ValueError, "seed must be >= 0"),
])
def test_setup_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        nnlab.setup(**kwargs)


def test_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert nnlab.device() == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert nnlab.device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert nnlab.device() == torch.device("cuda")


def test_device_for_float64_skips_mps_which_has_no_float64(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert nnlab.device(torch.float64) == torch.device("cpu")
    assert nnlab.device(torch.float32) == torch.device("mps")
    assert nnlab.device(None) == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert nnlab.device(torch.float64) == torch.device("cuda")


@pytest.mark.parametrize("bad", ["float64", float, np.float64, 64])
def test_device_rejects_a_dtype_that_is_not_a_torch_dtype(bad):
    with pytest.raises(TypeError, match="dtype must be None or a torch.dtype"):
        nnlab.device(bad)


def test_in_colab_follows_the_google_colab_module(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert nnlab.in_colab() is False
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert nnlab.in_colab() is True


def test_colors_are_distinct_hex_codes():
    assert len(set(runtime.COLORS)) == len(runtime.COLORS)
    assert all(matplotlib.colors.is_color_like(c) for c in runtime.COLORS)
