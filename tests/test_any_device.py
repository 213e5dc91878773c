"""Every nnlab plot, check and training helper accepts tensors that live on a GPU (issue 8), tested without one.

`OnAnotherDevice` is a CPU tensor that refuses, as a CUDA tensor does, to be read by NumPy or matplotlib
until `.cpu()` is called; so a helper that forgot `.detach().cpu()` fails here, on any machine. (With a real
GPU, tests/test_plot.py also runs the plots on CUDA tensors.)
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from nnlab import check, data, gradients, plot, train

REFUSAL = "can't convert a tensor on another device to numpy: call .cpu() first (as with CUDA)"


class OnAnotherDevice(torch.Tensor):
    """A tensor NumPy cannot read until .cpu(), like one on a GPU; results of operations on it stay so."""

    def cpu(self, *args, **kwargs):
        return torch.Tensor.cpu(self, *args, **kwargs).as_subclass(torch.Tensor)

    def numpy(self, *args, **kwargs):
        raise TypeError(REFUSAL)

    def __array__(self, *args, **kwargs):
        raise TypeError(REFUSAL)


def elsewhere(*tensors):
    moved = tuple(t.clone().as_subclass(OnAnotherDevice) for t in tensors)
    return moved if len(moved) > 1 else moved[0]


def test_the_stand_in_refuses_numpy_like_a_gpu_tensor_does():
    t = elsewhere(torch.ones(3))
    for read in (lambda: np.asarray(t), lambda: t.numpy(), lambda: (t * 2).detach().numpy(),
                 lambda: plt.plot(t)):
        with pytest.raises(TypeError, match="another device"):
            read()
    assert np.asarray(t.detach().cpu()).tolist() == [1.0, 1.0, 1.0]


def test_plots_accept_tensors_on_another_device():
    X, y = elsewhere(*data.spiral(10))
    model = nn.Linear(2, 3)
    fig, axes = plt.subplots(1, 5)
    plot.scatter_classes(X, y, ax=axes[0])
    plot.decision_regions(model, X, y, ax=axes[1], resolution=20)
    plot.neuron_line(elsewhere(torch.tensor([1.0, 1.0])), elsewhere(torch.tensor(1.5)), ax=axes[2])
    plot.neuron_diagram(elsewhere(torch.tensor([1.0, -1.0])), elsewhere(torch.tensor(0.5)),
                        x=elsewhere(torch.tensor([1.0, 0.0])), ax=axes[3])
    plot.descent_path(elsewhere(torch.tensor([[1.0, 1.0], [0.5, 0.4], [0.1, 0.0]])), ax=axes[4])
    plot.loss_contours(lambda a, b: elsewhere(torch.as_tensor(a ** 2 + b ** 2)), (-1, 1, -1, 1), ax=axes[4], resolution=20)
    assert len(axes[0].collections) == 3 and len(axes[4].collections) > 1


def test_training_and_measuring_accept_tensors_on_another_device():
    X, y = elsewhere(*data.spiral(20))
    X_train, y_train, X_test, y_test = data.split(X, y, 0.5, seed=0)
    torch.manual_seed(0)
    model = train.make_mlp(2, 16, 2, 3, "tanh")
    history = train.fit(model, X_train, y_train, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), 0.01),
                        50, test=(X_test, y_test))
    assert len(history["loss"]) == 50 and 0 <= train.accuracy(model, X, y) <= 1
    norms = gradients.gradient_norms(model, X, y, nn.CrossEntropyLoss())
    assert len(norms) == 3 and all(np.isfinite(norms))
    (hidden, *_), = [gradients.layer_activations(model, X)]
    assert gradients.saturation(hidden, "tanh") >= 0


def test_checks_accept_answers_on_another_device(capsys):
    check.close(elsewhere(torch.tensor(0.25)), 0.25, name="σ'(0)")
    check.function(lambda z: elsewhere(torch.sigmoid(torch.as_tensor(z))), torch.sigmoid, torch.linspace(-3, 3, 7))
    check.truth_table(lambda x1, x2: elsewhere(torch.tensor(float(x1 and x2))), "AND")
    X, y = elsewhere(*data.spiral(30))
    check.classifier(lambda: nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 3)), X, y, target=0.9)
    out = capsys.readouterr().out
    assert out.count("✓") == 4 and "another device" not in out, out
