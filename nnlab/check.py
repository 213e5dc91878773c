"""Exercise feedback: print ✓ or a specific hint. Never raises; shows an answer only when asked."""
import inspect
import itertools

import numpy as np
import torch

from . import _validate, train
from .data import GATES

OPTIMIZERS = {"Adam": torch.optim.Adam, "SGD": torch.optim.SGD}  # what check.classifier trains with


def truth_table(fn, target, name=None, answer=False, hint=None):
    """Check a learner's binary function `fn` against a gate name or a rule on bools (lesson 01).

    The automatic hint is about one unit's weights and θ; for a network of units pass a `hint` of your own.
    """
    try:
        _truth_table(fn, target, name, answer, hint)
    except Exception as error:  # feedback must never become a traceback
        print(f"✗ could not check: {error}")


def close(value, expected, name="your answer", rtol=1e-6, atol=1e-9, answer=False):
    """Check a number or array against the expected one, saying how it is off without revealing it."""
    try:
        _close(value, expected, name, rtol, atol, answer)
    except Exception as error:
        print(f"✗ could not check {name}: {error}")


def function(fn, reference, *args, name=None, rtol=1e-6, atol=1e-9, answer=False):
    """Call a learner's `fn(*args)` and a `reference(*args)`; say where they differ (lessons 02, 03)."""
    try:
        _function(fn, reference, args, name, rtol, atol, answer)
    except Exception as error:
        print(f"✗ could not check: {error}")


def choice(answers, expected, hints=None, answer=False):
    """Check named multiple-choice answers (a dict) against the expected ones; a hint for each miss."""
    try:
        _choice(answers, expected, hints or {}, answer)
    except Exception as error:
        print(f"✗ could not check: {error}")


def classifier(build, X, y, target=0.95, steps=1000, lr=0.01, seed=0, name=None, optimizer="Adam"):
    """Train the model `build()` returns on X, y (full batch, Adam or SGD); say whether it reaches `target` (06, 07).

    Returns the first step at which the training accuracy reached `target`, or None.
    """
    try:
        return _classifier(build, X, y, target, steps, lr, seed, name, optimizer)
    except Exception as error:
        print(f"✗ could not check: {error}")


def smallest(value, works, name="your answer", minimum=1):
    """Check that `value` is the smallest whole number >= `minimum` for which `works(value)` is true (lesson 06)."""
    try:
        _smallest(value, works, name, minimum)
    except Exception as error:
        print(f"✗ could not check {name}: {error}")


def _truth_table(fn, target, name, answer, hint=None):
    if not callable(fn):
        print(f"✗ expected a function, got {type(fn).__name__}: define it with `def` and pass its name")
        return
    if isinstance(target, str):
        rule = GATES[_validate.choice("gate", target, GATES)]
        name = name or target.upper()
    else:
        rule = target
        name = name or getattr(fn, "__name__", "your function")
    n = len(inspect.signature(rule).parameters)

    wrong = []
    for row in itertools.product([0, 1], repeat=n):
        want = int(bool(rule(*map(bool, row))))
        try:
            out = fn(*row)
        except Exception as error:
            print(f"✗ {name}: your function raised {type(error).__name__} for input {row}: {error}")
            return
        got = _as_bit(out)
        if got is None:
            why = "returned None: did you forget `return`?" if out is None else \
                f"returned {out!r}; a threshold unit outputs exactly 0 or 1 — did you apply the step?"
            print(f"✗ {name}: for input {row} your function {why}")
            return
        if got != want:
            wrong.append((row, got, want))

    if not wrong:
        print(f"✓ {name}: all {2 ** n} rows of the truth table match.")
    else:
        print(f"✗ {name}: wrong in {len(wrong)} of {2 ** n} rows.")
        for row, got, want in wrong[:3]:
            print(f"   input {row}: your function gives {got}, {name} needs {want}")
        if len(wrong) > 3:
            print(f"   … and {len(wrong) - 3} more row{'s' if len(wrong) > 4 else ''}")
        print("   Hint: " + (hint or _direction_hint(wrong)))
    if answer:
        print("   Answer: " + _threshold_answer(rule, n))


def _choice(answers, expected, hints, answer):
    if not isinstance(answers, dict):
        print(f"✗ expected a dict like {{'{next(iter(expected))}': '...'}}, got {type(answers).__name__}")
        return
    wrong = 0
    for key, want in expected.items():
        got = answers.get(key, ...)
        if got is ... or got is None:
            print(f"✗ {key}: not answered yet")
            wrong += 1
        elif str(got).strip().lower() != str(want).lower():
            print(f"✗ {key}: {got!r} is not the best choice. " + hints.get(key, ""))
            wrong += 1
        else:
            print(f"✓ {key}: {got}")
    print("✓ all correct." if not wrong else f"{wrong} of {len(expected)} still to fix.")
    if answer:
        print("   Answer: " + ", ".join(f"{k}: {v}" for k, v in expected.items()))


def _as_bit(out):
    """0 or 1 from a bool, number, NumPy or 0-d torch value; None if it is anything else."""
    try:
        v = float(out.item() if hasattr(out, "item") else out)
    except (TypeError, ValueError):
        return None
    return int(v) if v in (0.0, 1.0) else None


def _direction_hint(wrong):
    if any(not any(row) for row, _, _ in wrong):
        return ("with every input 0 the weighted sum is 0, so only θ decides: the unit fires there "
                "exactly when θ ≤ 0.")
    if all(got == 0 for _, got, _ in wrong):
        return ("your unit fires too rarely. Lower θ, or raise the weights of the inputs that are 1 "
                "in those rows.")
    if all(got == 1 for _, got, _ in wrong):
        return ("your unit fires too often. Raise θ, or lower (even make negative: inhibitory) the "
                "weights of the inputs that are 1 in those rows.")
    return ("it fires in some wrong rows and stays silent in others, so the line is tilted the wrong "
            "way. Sketch the points: which side of the line must each one be on?")


def _small_units(n):
    """Threshold units with n small-integer weights and a half-integer θ, simplest (smallest Σ|w|) first."""
    weights = sorted(itertools.product(range(-2, 3), repeat=n), key=lambda w: np.abs(w).sum())
    return [(np.array(w), theta) for w in weights for theta in np.arange(-2.5, 3.0, 1.0)]


def _unit_text(w, theta):
    return f"w = {tuple(int(v) for v in w)}, θ = {theta:g}"


def _threshold_answer(rule, n):
    """The simplest small-integer unit (w, θ) that computes `rule`; for 2 inputs, else a 2-unit hidden layer."""
    X = np.array(list(itertools.product([0, 1], repeat=n)))
    y = np.array([bool(rule(*map(bool, row))) for row in X])
    units = _small_units(n)
    for w, theta in units:
        if np.array_equal(X @ w >= theta, y):
            return f"{_unit_text(w, theta)} (one of many)."
    no_unit = "no single threshold unit can do this: the true and false rows cannot be split by one line (plane)."
    if n != 2:
        return no_unit
    hidden = {}  # each function of the inputs that one unit computes (its 4 outputs) -> the simplest such unit
    for w, theta in units:
        hidden.setdefault(tuple(X @ w >= theta), (w, theta))
    for h1, h2 in itertools.combinations(hidden, 2):
        H = np.column_stack([h1, h2]).astype(int)  # the hidden layer's outputs, one row per input
        for w, theta in units:
            if np.array_equal(H @ w >= theta, y):
                return (f"{no_unit} Two hidden units and an output unit can: h1 = unit with {_unit_text(*hidden[h1])}; "
                        f"h2 = unit with {_unit_text(*hidden[h2])}; output = unit on (h1, h2) with "
                        f"{_unit_text(w, theta)} (one of many).")
    return no_unit


def _close(value, expected, name, rtol, atol, answer):
    if value is None or value is Ellipsis:
        print(f"✗ {name}: not done yet — replace the `...` with your answer")
        return
    e = _validate.to_numpy("expected", expected)
    print(_compare(_validate.to_numpy(name, value), e, name, rtol, atol))
    if answer:
        print(f"   Answer: {e.tolist()}")


def _function(fn, reference, args, name, rtol, atol, answer):
    if not callable(fn):
        print(f"✗ expected a function, got {type(fn).__name__}: define it with `def` and pass its name")
        return
    name = name or getattr(fn, "__name__", "<lambda>").replace("<lambda>", "your function")
    try:
        got = fn(*args)
    except NotImplementedError:
        print(f"✗ {name}: not done yet — replace the `raise NotImplementedError` with your code")
        return
    except Exception as error:
        print(f"✗ {name}: your function raised {type(error).__name__}: {error}")
        return
    if got is None or got is Ellipsis:
        print(f"✗ {name}: returned {got!r} — not done yet, or a missing `return`?")
        return
    expected = reference(*args)
    if isinstance(expected, tuple):  # several results, e.g. (dW, db, delta): check each
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            print(f"✗ {name}: expected {len(expected)} results (a tuple), got {type(got).__name__}")
            return
        for k, (g, e) in enumerate(zip(got, expected), 1):
            print(_compare(_validate.to_numpy(name, g), _validate.to_numpy("reference", e),
                           f"{name}, result {k}", rtol, atol))
    else:
        expected = _validate.to_numpy("reference output", expected)
        x = _validate.to_numpy("input", args[0]) if len(args) == 1 else None
        print(_compare(_validate.to_numpy(name, got), expected, name, rtol, atol, x))
    if answer:
        print(f"   Answer: the reference gives {_rounded(expected)}")


def _rounded(value):
    if isinstance(value, tuple):
        return tuple(_rounded(v) for v in value)
    return np.round(_validate.to_numpy("reference", value), 6).tolist()


def _compare(v, e, name, rtol, atol, x=None):
    """One line saying whether v matches e, and if not, where and in which direction."""
    if v.shape != e.shape:
        return f"✗ {name}: expected shape {e.shape}, got shape {v.shape}"
    if not np.isfinite(v).all() and np.isfinite(e).all():
        return f"✗ {name}: contains NaN or inf — look for a division by zero or an overflowing exp"
    bad = ~np.isclose(v, e, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return f"✓ {name} is correct."
    i = np.unravel_index(np.argmax(bad), v.shape)
    if x is not None and x.shape == v.shape:
        where = f" at input {x[i]:.4g}"
    else:
        where = f" at index {tuple(int(k) for k in i)}" if v.ndim else ""
    size = abs(v[i] - e[i]) / max(abs(e[i]), atol)
    return (f"✗ {name}: {int(bad.sum())} of {v.size} values differ; the first{where} is "
            f"too {'large' if v[i] > e[i] else 'small'} by {size:.0%}.")


def _classifier(build, X, y, target, steps, lr, seed, name, optimizer):
    optimizer = _validate.choice("optimizer", optimizer, OPTIMIZERS)
    if not callable(build):
        print(f"✗ expected a function that returns a model, got {type(build).__name__}: pass its name, without ()")
        return None
    name = name or getattr(build, "__name__", "your model")
    torch.manual_seed(seed)
    try:
        model = build()
    except NotImplementedError:
        print(f"✗ {name}: not done yet — replace the `raise NotImplementedError` with your code")
        return None
    if not isinstance(model, torch.nn.Module):
        print(f"✗ {name}: expected an nn.Module (e.g. nn.Sequential(...)), got {type(model).__name__}")
        return None
    model = model.to(X.device)
    n_classes = int(y.max()) + 1
    with torch.no_grad():
        out = model(X)
        if out.shape != (len(X), n_classes):
            print(f"✗ {name}: the output must have one score per class, shape ({len(X)}, {n_classes}); "
                  f"got {tuple(out.shape)}. Check the last layer's out_features.")
            return None
        spread = out.std(0).max().item()  # how much the scores differ between inputs
        # an affine model maps midpoints to midpoints: then no activation bends anything
        a, b = X[: len(X) // 2], X[len(X) // 2: 2 * (len(X) // 2)]
        if spread > 1e-4 and torch.allclose(model((a + b) / 2), (model(a) + model(b)) / 2, atol=1e-5):
            print(f"✗ {name}: your model is linear (an affine map), so it can only draw straight boundaries — "
                  "put an activation such as nn.ReLU() between the layers.")
            return None
    # the lessons' loop; history["accuracy"][i] is measured before update i + 1, so its index counts updates
    history = train.fit(model, X, y, torch.nn.CrossEntropyLoss(), OPTIMIZERS[optimizer](model.parameters(), lr=lr),
                        steps, callback=lambda step, h: h["accuracy"][-1] < target)
    first = next((i for i, a in enumerate(history["accuracy"]) if a >= target), None)
    accuracy = history["accuracy"][-1] if history["accuracy"] else 0.0
    if first is None:
        advice = ("At the start it gave the same scores to every input (they differed by at most "
                  f"{spread:.0e}): the signal vanishes on its way through the layers (lesson 07)."
                  if spread < 1e-4 else "More hidden units, or another layer?")
        print(f"✗ {name}: {accuracy:.1%} training accuracy after {steps} {optimizer} steps (lr {lr}); the target is "
              f"{target:.0%}. {advice}")
        return None
    print(f"✓ {name} reaches {target:.0%} training accuracy after {first} {optimizer} steps (lr {lr}).")
    return first


def _smallest(value, works, name, minimum):
    if value is None or value is Ellipsis:
        print(f"✗ {name}: not done yet — replace the `...` with your answer")
        return
    value = _validate.count(name, value, minimum=minimum)
    if not works(value):
        print(f"✗ {name}: {value} is not enough — try larger.")
    elif value > minimum and works(value - 1):
        print(f"✗ {name}: {value} works, but so does a smaller one — try smaller.")
    else:
        print(f"✓ {name}: {value} is the smallest that works.")


# --- lesson 00: tensors ------------------------------------------------------------------------------------------

def tensor(value, expected, name="your tensor", rtol=1e-6, atol=1e-9, answer=False):
    """Check a tensor's shape, dtype and numbers against `expected`, with a hint for each kind of miss (lesson 00)."""
    try:
        _tensor(value, expected, name, rtol, atol, answer)
    except Exception as error:
        print(f"✗ could not check {name}: {error}")


def tensor_function(fn, reference, *args, name=None, mistakes=None, rtol=1e-6, atol=1e-9, answer=False):
    """Call a learner's `fn(*args)` and `reference(*args)` and compare the tensors; PyTorch's errors in words (00).

    `mistakes` maps a hint to a function computing a typical wrong answer from the same arguments: a result
    equal to that wrong answer gets the hint.
    """
    try:
        _tensor_function(fn, reference, args, name, mistakes or {}, rtol, atol, answer)
    except Exception as error:
        print(f"✗ could not check: {error}")


def _tensor_function(fn, reference, args, name, mistakes, rtol, atol, answer):
    if not callable(fn):
        print(f"✗ expected a function, got {type(fn).__name__}: define it with `def` and pass its name")
        return
    name = name or getattr(fn, "__name__", "<lambda>").replace("<lambda>", "your function")
    expected = reference(*args)
    print(_function_verdict(fn, args, expected, name, mistakes, rtol, atol))
    if answer:
        print(f"   Answer: the reference gives {expected}")


def _function_verdict(fn, args, expected, name, mistakes, rtol, atol):
    from .shapes import in_words  # lesson 00's words for PyTorch's errors

    try:
        got = fn(*args)
    except NotImplementedError:
        return f"✗ {name}: not done yet — replace the `raise NotImplementedError` with your code"
    except Exception as error:
        tip = ("\n   Is one of them a weight matrix, stored as (outputs, inputs) like nn.Linear's? Then it may need "
               "transposing." if "mat1 and mat2 shapes" in str(error) else "")
        return f"✗ {name}: PyTorch raised {type(error).__name__}: {error}\n   In words: {in_words(error)}{tip}"
    for hint, wrong in mistakes.items():
        if _same(got, wrong(*args), rtol, atol) and not _same(got, expected, rtol, atol):
            return f"✗ {name}: {hint}"
    return _tensor_verdict(got, expected, name, rtol, atol)


def _same(a, b, rtol, atol):
    """True when a and b are tensors of one shape with the same numbers."""
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape and
            torch.allclose(a.detach().cpu().double(), b.detach().cpu().double(), rtol=rtol, atol=atol))


def _tensor(value, expected, name, rtol, atol, answer):
    if not isinstance(expected, torch.Tensor):
        raise TypeError(f"expected must be a torch tensor, got {type(expected).__name__}")
    print(_tensor_verdict(value, expected, name, rtol, atol))
    if answer:
        print(f"   Answer: {expected.detach().cpu()}")


def _tensor_verdict(value, expected, name, rtol, atol):
    """One line: ✓, or what the shape, dtype or numbers of `value` say went wrong."""
    if value is None or value is Ellipsis:
        return f"✗ {name}: not done yet — replace the `...` with your answer, or a missing `return`?"
    if expected.ndim == 0 and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        value = torch.tensor(value, dtype=expected.dtype)  # one number: a Python float (from .item()) is fine too
    if not isinstance(value, torch.Tensor):
        kind = "a NumPy array: torch.from_numpy(...) turns it into one" if isinstance(value, np.ndarray) else \
            f"{type(value).__name__} {value!r}: torch.tensor(...) turns numbers and lists into one"
        return f"✗ {name}: expected a torch tensor, got {kind}"
    v, e = value.detach().cpu(), expected.detach().cpu()
    if v.shape != e.shape:
        return f"✗ {name}: {_shape_hint(tuple(v.shape), tuple(e.shape))}"
    if v.dtype != e.dtype:
        fix = {torch.float32: ".float()", torch.float64: ".double()", torch.int64: ".long()"}.get(e.dtype,
                                                                                                  f".to({e.dtype})")
        right = " The numbers are right." if torch.allclose(v.double(), e.double(), rtol=rtol, atol=atol) else ""
        return (f"✗ {name}: dtype {v.dtype}, expected {e.dtype}.{right} Convert with {fix}, or create it with "
                f"dtype={e.dtype}.")
    if torch.allclose(v.double(), e.double(), rtol=rtol, atol=atol):
        return f"✓ {name} is correct: shape {tuple(e.shape)}, dtype {e.dtype}."
    if torch.equal(v.flatten().sort().values, e.flatten().sort().values):
        return (f"✗ {name}: the right numbers in the wrong places. reshape fills a shape row by row; "
                ".T swaps rows and columns.")
    bad = ~torch.isclose(v.double(), e.double(), rtol=rtol, atol=atol)
    first = tuple(int(i) for i in bad.nonzero()[0])
    size = "too large" if v[first] > e[first] else "too small"
    if not e.ndim:
        return f"✗ {name} is {size}."
    return f"✗ {name}: {int(bad.sum())} of {e.numel()} numbers differ; the first, at index {first}, is {size}."


def _shape_hint(got, want):
    """Why a tensor might have come out with shape `got` instead of `want`."""
    said = f"expected shape {want}, got shape {got}"
    n = got[0] if got else 0
    if len(got) == 2 and got == (n, n) and n > 1 and want in ((), (n,), (n, 1), (1, n)):
        return (said + f" — a {n} × {n} table. Broadcasting paired every number with every other, as when a "
                "column (N, 1) meets a vector (N,). Make the two shapes equal before combining them "
                "(.squeeze(1), or [:, None]).")
    if [s for s in got if s != 1] == [s for s in want if s != 1]:
        return (said + " — the same sizes, with a dimension of size 1 " + ("missing" if len(got) < len(want)
                else "too many") + ". keepdim=True in a reduction, .unsqueeze(d) or [:, None] add one; "
                ".squeeze(d) removes one.")
    if len(got) == len(want) == 2 and got == want[::-1]:
        return said + (" — rows and columns swapped: reshape's sizes the wrong way round, or a transpose (.T) too "
                       "many or too few?")
    if int(np.prod(got)) == int(np.prod(want)):
        return said + f" — the right number of elements ({int(np.prod(want))}), arranged differently: see reshape."
    if len(got) < len(want):
        return said + " — fewer dimensions than expected: did a reduction (sum, mean) remove one you needed?"
    return said + "."


# --- lesson 08: digits (in their own module, to keep this one short) -------------------------------------------------

from .check_digits import beats, layer_sizes  # noqa: E402
