"""Determinism (issue 9): on the CPU the same seed gives bit-identical data and training histories, whatever
ran before, in this process or a fresh one."""
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

import nnlab
from nnlab import data, train
from nnlab.widgets import dashboard

GENERATORS = {  # name: a call with a seed
    "spiral": lambda seed: data.spiral(50, 3, 0.2, seed),
    "noisy_line": lambda seed: data.noisy_line(40, 2.0, -1.0, 0.5, seed),
    "city_profit": lambda seed: data.city_profit(97, 3.0, seed),
    "quadratic": lambda seed: data.quadratic(30, 0.2, seed),
    "circles": lambda seed: data.circles(30, 0.1, seed),
    "moons": lambda seed: data.moons(30, 0.1, seed),
    "blobs": lambda seed: data.blobs(30, 4, 0.2, seed),
    "xor": lambda seed: data.xor(30, 0.15, seed),
    "split": lambda seed: data.split(*data.spiral(20), 0.5, seed),
}


def shake_the_global_generators():
    """Draw from every global random generator, so anything that (wrongly) used them would change."""
    torch.rand(7)
    np.random.rand(7)
    nnlab.set_seed(12345)
    torch.rand(3)


def run_training(seed, optimizer="Adam", batch_size=None):
    """Lesson 06's recipe on a small spiral; the per-step loss and accuracy and the final weights."""
    X, y = data.spiral(60, 3, 0.2, seed=1)
    torch.manual_seed(seed)
    model = train.make_mlp(2, 32, 2, 3, "tanh")
    opt = torch.optim.Adam(model.parameters(), lr=0.01) if optimizer == "Adam" else torch.optim.SGD(
        model.parameters(), lr=0.5, momentum=0.9)
    history = train.fit(model, X, y, nn.CrossEntropyLoss(), opt, 150, batch_size=batch_size,
                        generator=torch.Generator().manual_seed(seed))
    return history, [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize("name", GENERATORS)
def test_every_generator_repeats_bit_for_bit_and_a_new_seed_changes_it(name):
    first = GENERATORS[name](3)
    shake_the_global_generators()
    again = GENERATORS[name](3)
    other = GENERATORS[name](4)
    assert len(first) == len(again)
    for a, b, c in zip(first, again, other):
        assert a.dtype == b.dtype and torch.equal(a, b)
    assert any(not torch.equal(a, c) for a, c in zip(first, other))


@pytest.mark.parametrize("optimizer, batch_size", [("Adam", None), ("SGD", 16)])
def test_training_history_and_weights_repeat_bit_for_bit(optimizer, batch_size):
    history, weights = run_training(0, optimizer, batch_size)
    shake_the_global_generators()
    history_again, weights_again = run_training(0, optimizer, batch_size)
    assert len(history["loss"]) == 150
    assert history["loss"] == history_again["loss"] and history["accuracy"] == history_again["accuracy"]
    assert all(torch.equal(w, v) for w, v in zip(weights, weights_again))
    other, _ = run_training(1, optimizer, batch_size)
    assert other["loss"] != history["loss"]  # the seed matters: the test above could fail


def test_the_dashboard_trains_the_same_way_twice():
    curves = []
    for _ in range(2):
        dash = dashboard(dataset="two moons", batch_size=16, optimizer="SGD + momentum", lr=0.1, seed=5)
        history = dash.train(steps=120)
        curves.append((list(history["loss"]), [tuple(row) for row in dash.curve]))
        dash.close()
        shake_the_global_generators()
    assert curves[0] == curves[1]


SCRIPT = """
import hashlib, torch
from torch import nn
from nnlab import data, train
X, y = data.spiral(60, 3, 0.2, seed=1)
torch.manual_seed(0)
model = train.make_mlp(2, 32, 2, 3, "ReLU", init="he")
history = train.fit(model, X, y, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=0.01), 100,
                    batch_size=32, generator=torch.Generator().manual_seed(0))
digest = hashlib.sha256(X.numpy().tobytes() + repr(history["loss"]).encode())
for p in model.parameters():
    digest.update(p.detach().numpy().tobytes())
print(digest.hexdigest())
"""


def test_a_fresh_process_gives_the_same_bits():
    # torch.set_num_threads(1) as the lessons do: the same answer must not depend on the thread count's race
    digests = [subprocess.run([sys.executable, "-c", "import torch; torch.set_num_threads(1)\n" + SCRIPT],
                              capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)]
    assert len(digests[0]) == 64 and digests[0] == digests[1]
