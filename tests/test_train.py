"""nnlab.train (fit, accuracy, make_mlp) and the dashboard's data sets in nnlab.data (circles, moons, blobs, xor, split)."""
import math

import pytest
import torch
from torch import nn

from nnlab import data, train


def spiral_setup(lr=1e-2, n_hidden=32, seed=0):
    torch.manual_seed(seed)
    X, y = data.spiral(n_per_class=50)
    model = train.make_mlp(2, n_hidden, 1, 3)
    return model, X, y, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=lr)


# --- make_mlp and accuracy ---------------------------------------------------------------------------------------

def test_make_mlp_builds_the_layers_asked_for():
    model = train.make_mlp(2, 8, 3, 4, "tanh")
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert model(torch.zeros(5, 2)).shape == (5, 4)
    linear = train.make_mlp(2, 8, 0, 3)
    assert len(linear) == 1 and linear[0].in_features == 2 and linear[0].out_features == 3
    assert isinstance(train.make_mlp(2, 4, 1, 2, "relu")[1], nn.ReLU)  # case-insensitive


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n_in=0), ValueError, "n_in must be >= 1"),
    (dict(n_hidden=2.5), TypeError, "n_hidden must be an int"),
    (dict(n_layers=-1), ValueError, "n_layers must be >= 0"),
    (dict(activation="swish"), ValueError, "unknown activation 'swish'"),
])
def test_make_mlp_rejects_bad_arguments(kwargs, error, words):
    args = dict(n_in=2, n_hidden=4, n_layers=1, n_out=2) | kwargs
    with pytest.raises(error, match=words):
        train.make_mlp(**args)


def test_accuracy_counts_argmax_hits():
    model = nn.Identity()
    scores = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0], [0.0, 1.0]])
    assert train.accuracy(model, scores, torch.tensor([0, 1, 1, 1])) == 0.75


# --- fit ---------------------------------------------------------------------------------------------------------

def test_fit_records_history_and_learns_the_spiral():
    model, X, y, loss_fn, opt = spiral_setup()
    history = train.fit(model, X, y, loss_fn, opt, steps=400)
    assert len(history["loss"]) == len(history["accuracy"]) == 400
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    assert history["accuracy"][-1] > 0.9 and train.accuracy(model, X, y) > 0.9
    assert history["message"] is None and not history["diverged"]


def test_fit_continues_a_history_and_scores_a_test_set_every_few_steps():
    model, X, y, loss_fn, opt = spiral_setup()
    X_train, y_train, X_test, y_test = data.split(X, y, 0.6)
    history = train.fit(model, X_train, y_train, loss_fn, opt, steps=10, every=4, test=(X_test, y_test))
    assert history["test_step"] == [4, 8, 10]  # every 4 steps, and the last
    history = train.fit(model, X_train, y_train, loss_fn, opt, steps=5, every=5, test=(X_test, y_test),
                        history=history)
    assert len(history["loss"]) == 15 and history["test_step"] == [4, 8, 10, 15]
    assert len(history["test_loss"]) == len(history["test_accuracy"]) == 4


def test_fit_calls_back_and_stops_when_asked():
    model, X, y, loss_fn, opt = spiral_setup()
    seen = []

    def callback(step, history):
        seen.append((step, len(history["loss"])))
        return step < 6

    history = train.fit(model, X, y, loss_fn, opt, steps=100, callback=callback, every=3)
    assert seen == [(3, 3), (6, 6)] and len(history["loss"]) == 6

    def stop(step, history):
        raise StopIteration

    assert len(train.fit(model, X, y, loss_fn, opt, steps=100, callback=stop)["loss"]) == 1


def test_fit_with_mini_batches_is_reproducible_with_a_generator():
    runs = []
    for _ in range(2):
        model, X, y, loss_fn, opt = spiral_setup()
        history = train.fit(model, X, y, loss_fn, opt, steps=30, batch_size=16,
                            generator=torch.Generator().manual_seed(1))
        runs.append(history["loss"])
    assert runs[0] == runs[1] and len(runs[0]) == 30
    assert all(a * 16 == round(a * 16) for a in history["accuracy"])  # accuracy of a 16-point batch


def test_fit_regression_records_no_accuracy():
    X, y = data.noisy_line(n=50)
    model = nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    history = train.fit(model, X, y[:, None], nn.MSELoss(), opt, steps=50)
    assert len(history["loss"]) == 50 and history["accuracy"] == []
    assert history["loss"][-1] < history["loss"][0]


def test_fit_stops_cleanly_when_the_loss_becomes_inf():
    X, y = data.noisy_line(n=50)
    model = nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=1e3)  # each step multiplies the error: it blows up
    history = train.fit(model, X, y[:, None], nn.MSELoss(), opt, steps=500)
    assert history["diverged"]
    n = len(history["loss"])
    assert n < 500 and all(math.isfinite(v) for v in history["loss"])
    assert history["message"].startswith(f"diverged at step {n + 1}: loss became ")
    assert "try a smaller learning rate" in history["message"]
    assert ("inf" in history["message"]) or ("nan" in history["message"])


def test_fit_stops_on_nan_before_it_reaches_the_weights():
    model = nn.Linear(2, 2)
    before = [p.detach().clone() for p in model.parameters()]
    loss_fn = lambda out, y: out.sum() * math.nan
    history = train.fit(model, torch.ones(3, 2), torch.zeros(3, dtype=torch.long), loss_fn,
                        torch.optim.SGD(model.parameters(), lr=0.1), steps=5)
    assert history["message"] == "diverged at step 1: loss became nan — try a smaller learning rate"
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


@pytest.mark.parametrize("change, error, words", [
    (dict(model=lambda x: x), TypeError, "model must be a torch.nn.Module"),
    (dict(optimizer="adam"), TypeError, "optimizer must be a torch.optim.Optimizer"),
    (dict(loss_fn=3), TypeError, "loss_fn must be callable"),
    (dict(X=[[0.0, 1.0]]), TypeError, "X must be a torch.Tensor"),
    (dict(X=torch.zeros(10)), ValueError, r"X must have shape \(N, features\)"),
    (dict(y=torch.zeros(7, dtype=torch.long)), ValueError, "same number of rows"),
    (dict(X=torch.full((150, 2), math.nan)), ValueError, "X contains NaN or inf"),
    (dict(steps=-1), ValueError, "steps must be >= 0"),
    (dict(steps=1.5), TypeError, "steps must be an int"),
    (dict(every=0), ValueError, "every must be >= 1"),
    (dict(batch_size=0), ValueError, "batch_size must be >= 1"),
    (dict(callback="print"), TypeError, "callback must be a function"),
    (dict(test=torch.zeros(3, 2)), TypeError, r"test must be a pair \(X_test, y_test\)"),
    (dict(history=[]), TypeError, "history must be a dict"),
])
def test_fit_rejects_bad_arguments(change, error, words):
    model, X, y, loss_fn, opt = spiral_setup()
    args = dict(model=model, X=X, y=y, loss_fn=loss_fn, optimizer=opt, steps=5) | change
    with pytest.raises(error, match=words):
        train.fit(**args)


# --- data: circles, moons, blobs, xor, split ------------------------------------------------------------------------

GENERATORS = [data.circles, data.moons, data.blobs, data.xor]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_shape_dtype_balance_and_determinism(make):
    X, y = make(n_per_class=40, seed=3)
    k = 3 if make is data.blobs else 2
    assert X.shape == (40 * k, 2) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert y.bincount().tolist() == [40] * k
    assert torch.isfinite(X).all() and X.abs().max() < 1.6  # inside the dashboard's view, noise allowed
    X2, y2 = make(n_per_class=40, seed=3)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert not torch.equal(X, make(n_per_class=40, seed=4)[0])


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_leave_the_global_generator_alone(make):
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    make()
    assert torch.equal(torch.rand(3), expected)


def test_generators_without_noise_follow_their_shapes():
    X, y = data.circles(n_per_class=200, noise=0.0)
    r = X.norm(dim=1)
    assert r[y == 0].max() <= 0.5 + 1e-6 and r[y == 1].min() >= 0.7 - 1e-6 and r.max() <= 1 + 1e-6
    X, y = data.xor(n_per_class=7, noise=0.0)
    assert ((X[:, 0] * X[:, 1] < 0).long() == y).all()  # class 1 where the signs differ
    assert X.abs().eq(0.5).all()
    X, y = data.blobs(n_per_class=5, n_classes=4, noise=0.0)
    assert torch.allclose(X.norm(dim=1), torch.full((20,), 0.6))
    assert len(torch.unique(X, dim=0)) == 4
    X, y = data.moons(n_per_class=50, noise=0.0)
    upper = X[y == 0] * 1.5 + torch.tensor([0.5, 0.25])
    assert torch.allclose(upper.norm(dim=1), torch.ones(50), atol=1e-5)


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n_per_class=0), ValueError, "n_per_class must be >= 1"),
    (dict(n_per_class=2.0), TypeError, "n_per_class must be an int"),
    (dict(noise=-0.1), ValueError, "noise must be a finite number"),
    (dict(noise=math.nan), ValueError, "noise must be a finite number"),
    (dict(noise="low"), TypeError, "noise must be a number"),
    (dict(seed=-2), ValueError, "seed must be >= 0"),
])
def test_generators_reject_bad_arguments(make, kwargs, error, words):
    with pytest.raises(error, match=words):
        make(**kwargs)


def test_blobs_rejects_a_single_class():
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        data.blobs(n_classes=1)


def test_split_shuffles_and_keeps_every_row_once():
    X, y = data.spiral(n_per_class=10)
    X_train, y_train, X_test, y_test = data.split(X, y, 0.7, seed=2)
    assert len(X_train) == len(y_train) == 21 and len(X_test) == len(y_test) == 9
    together = torch.cat([torch.cat([X_train, y_train[:, None]], 1), torch.cat([X_test, y_test[:, None]], 1)])
    assert sorted(together.tolist()) == sorted(torch.cat([X, y[:, None].float()], 1).tolist())
    assert torch.equal(data.split(X, y, 0.7, seed=2)[0], X_train)
    assert not torch.equal(data.split(X, y, 0.7, seed=3)[0], X_train)
    assert len(data.split(X[:2], y[:2], 0.01)[0]) == 1  # each part keeps at least one row


@pytest.mark.parametrize("args, error, words", [
    ((torch.zeros(5, 2), torch.zeros(4)), ValueError, "same number of rows"),
    (([[0.0, 0.0]], torch.zeros(1)), TypeError, "X and y must be torch tensors"),
    ((torch.zeros(1, 2), torch.zeros(1)), ValueError, "need at least 2 rows"),
    ((torch.zeros(5, 2), torch.zeros(5), 1.0), ValueError, "strictly between 0 and 1"),
    ((torch.zeros(5, 2), torch.zeros(5), 0.0), ValueError, "strictly between 0 and 1"),
    ((torch.zeros(5, 2), torch.zeros(5), 1.5), ValueError, r"train_fraction must be a finite number in \[0.0, 1.0\]"),
    ((torch.zeros(5, 2), torch.zeros(5), 0.5, -1), ValueError, "seed must be >= 0"),
])
def test_split_rejects_bad_arguments(args, error, words):
    with pytest.raises(error, match=words):
        data.split(*args)
