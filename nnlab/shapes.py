"""Two shapes and an operation: what PyTorch makes of them, said in plain words; its errors, too (lesson 00).

The tensor explorer and lesson 00 show these sentences; nnlab.check uses `in_words` to explain an error that a
learner's function raised.
"""
import re

import numpy as np
import torch

from . import _validate

OPERATIONS = {  # the operations of lesson 00's explorer, as code
    "+": "A + B",
    "*": "A * B",
    "@": "A @ B",
    "cat0": "torch.cat([A, B], dim=0)",
    "cat1": "torch.cat([A, B], dim=1)",
}


def numbered(shape, start=1):
    """An int64 tensor of `shape` holding start, start + 1, ... row by row: every cell tells where it came from."""
    n = int(np.prod(shape, dtype=int))
    return torch.arange(start, start + n).reshape(tuple(shape))


def operate(operation, A, B):
    """A + B, A * B, A @ B, or A and B concatenated along dim 0 or 1: the explorer's operations."""
    if operation == "+":
        return A + B
    if operation == "*":
        return A * B
    if operation == "@":
        return A @ B
    return torch.cat([A, B], dim=int(operation[-1]))


def outcome(operation, a_shape, b_shape):
    """(result shape, None) when PyTorch can do `operation` on tensors of these shapes, else (None, its error)."""
    operation = _validate.choice("operation", operation, OPERATIONS)
    try:
        return tuple(operate(operation, numbered(a_shape), numbered(b_shape)).shape), None
    except (RuntimeError, IndexError) as error:  # the two kinds PyTorch raises for shapes that do not fit
        return None, str(error)


# PyTorch's messages (2.x) about shapes, dtypes and devices, each with the same thing said in plain words.
WORDS = [
    (r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)",
     "the shapes are lined up from the right, and in dimension {2} one tensor has size {0} and the other {1}. "
     "Broadcasting can only stretch a size of 1, so these shapes do not fit together."),
    (r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)",
     "a matrix product needs as many columns on the left as rows on the right, but the left is {0}×{1} "
     "and the right is {2}×{3}: {1} ≠ {2}."),
    (r"size mismatch, got input \((\d+)\), mat \((\d+)x(\d+)\), vec \((\d+)\)",
     "a matrix times a 1-D vector needs one vector entry per matrix column, but the matrix is {1}×{2} "
     "and the vector has {3} entries."),
    (r"inconsistent tensor size, expected tensor \[(\d+)\] and src \[(\d+)\]",
     "@ between two 1-D vectors is their dot product, which needs equal lengths; here {0} and {1}."),
    (r"Tensors must have same number of dimensions: got (\d+) and (\d+)",
     "cat joins tensors that have the same number of dimensions, but one has {0} and the other {1}. "
     "Give the smaller one the missing dimension first (unsqueeze)."),
    (r"Dimension out of range \(expected to be in range of \[(-?\d+), (-?\d+)\], but got (-?\d+)\)",
     lambda low, high, d: _no_such_dimension(int(high) + 1, d)),
    (r"Sizes of tensors must match except in dimension (\d+)\. Expected size (\d+) but got size (\d+)",
     "cat along dimension {0} lays the tensors end to end in that dimension, so all their other sizes must "
     "agree, but one has size {1} where the other has {2}."),
    (r"stack expects each tensor to be equal size, but got \[([\d, ]*)\] at entry 0 and \[([\d, ]*)\] at entry",
     "stack puts tensors side by side along a new dimension, so they need exactly the same shape; "
     "got [{0}] and [{1}]."),
    (r"shape '\[([-\d, ]*)\]' is invalid for input of size (\d+)",
     "the new shape [{0}] does not hold the {1} numbers the tensor has: the sizes must multiply to {1}."),
    (r"view size is not compatible with input tensor's size and stride",
     "view can only re-read the numbers in the order they already lie in memory, and here they do not "
     "(for example after a transpose: the tensor is not contiguous). Use reshape, which copies when it must."),
    (r"a Tensor with (\d+) elements cannot be converted to Scalar",
     ".item() works only for a tensor holding exactly one number; this one holds {0}. .tolist() gives them all."),
    (r"same dtype|expected scalar type",
     "the two tensors have different dtypes (for example float32 and float64; NumPy arrays usually hold float64). "
     "Convert one: .float() makes float32, .to(other.dtype) matches the other."),
    (r"same device|not on the expected device",
     "the tensors are on different devices (one on the GPU, one on the CPU). Move one with .to(device)."),
    (r"Can't call numpy\(\) on Tensor that requires grad",
     "this tensor records how it was computed, for gradients (lesson 03). Call .detach() first: "
     "t.detach().numpy()."),
    (r"can't convert \S+ device type tensor to numpy",
     "NumPy reads only tensors in the computer's main memory: call .cpu() first, t.detach().cpu().numpy()."),
]


def _no_such_dimension(n, d):
    """Words for a dimension index that a tensor with n dimensions does not have."""
    names = ", ".join(map(str, range(n)))
    from_end = ", ".join(map(str, range(-1, -n - 1, -1)))
    return (f"there is no dimension {d} here: the tensor has {n} dimension{'s' * (n > 1)}, numbered {names} "
            f"(or {from_end}, counting from the end).")


def in_words(error):
    """PyTorch's error (an exception or its message) said in plain words, for a learner."""
    if not isinstance(error, (str, Exception)):
        raise TypeError(f"error must be an exception or its message (a str), got {type(error).__name__}")
    message = str(error)
    for pattern, words in WORDS:
        found = re.search(pattern, message)
        if found:
            return words(*found.groups()) if callable(words) else words.format(*found.groups())
    return f"PyTorch refuses this: {message.splitlines()[0] if message else type(error).__name__}"


def describe(operation, a_shape, b_shape):
    """One or two sentences: what the operation does to these shapes, or why PyTorch refuses it."""
    operation = _validate.choice("operation", operation, OPERATIONS)
    a, b = tuple(a_shape), tuple(b_shape)
    shape, error = outcome(operation, a, b)
    start = f"{OPERATIONS[operation]} with A {a} and B {b}"
    if error:
        return f"✗ {start}: PyTorch raises an error. In words: {in_words(error)}"
    done = f"{start} → result {shape}. "
    if operation in "+*":
        return done + _broadcast_story(a, b, shape)
    if operation == "@":
        k = a[-1]
        if len(a) == len(b) == 1:
            return done + f"Both are 1-D, so @ is their dot product: {k} products summed into one number, shape ()."
        row = "A" if len(a) == 1 else "a row of A"
        column = "B" if len(b) == 1 else "a column of B"  # a 1-D B is the one column
        inner = f"each result number is {row} times {column}: {k} products, summed."
        if len(b) == 1:
            return done + f"B is 1-D, so @ uses it as a column and drops that dimension (like torch.mv): {inner}"
        if len(a) == 1:
            return done + f"A is 1-D, so @ uses it as a row and drops that dimension: {inner}"
        return done + f"The shared size {k} (A's columns, B's rows) disappears: {inner}"
    dim = int(operation[-1])
    part = ["rows", "columns"][dim] if len(a) == 2 else "numbers"
    where = {"rows": "under", "columns": "to the right of", "numbers": "after"}[part]
    part, go = (part[:-1], "goes") if b[dim] == 1 else (part, "go")  # one row goes, two rows go
    return done + f"B's {b[dim]} {part} {go} {where} A's {a[dim]}; every other size must match."


def _broadcast_story(a, b, shape):
    """Which of A and B broadcasting stretched, and how (shapes lined up from the right)."""
    if a == b:
        return "Same shapes: each result number combines the two numbers in the same place."
    parts = []
    for name, s in (("A", a), ("B", b)):
        padded = (1,) * (len(shape) - len(s)) + s
        copies = [f"{n}× along dim {d}" for d, (size, n) in enumerate(zip(padded, shape)) if size == 1 and n > 1]
        if padded != s or copies:
            parts.append(f"{name} {s}" + (f" is read as {padded}" if padded != s else "") +
                         (" and" if padded != s and copies else "") +
                         (f" is repeated {' and '.join(copies)}" if copies else ""))
    hatched = any("repeated" in part for part in parts)  # (1, 1) + (1,): read as (1, 1), but nothing repeated
    story = "Broadcasting: " + "; ".join(parts) + (" (hatched cells)." if hatched else ".")
    if len(parts) == 2 and np.prod(shape) > max(np.prod(a), np.prod(b)):
        n = shape[0]
        story += (f" Careful: both were stretched, so every number of A meets every number of B. A column ({n}, 1) "
                  f"with a vector ({n},) is the classic bug: a {n} × {n} table where you wanted {n} results."
                  if sorted([a, b], key=len) in ([(n,), (n, 1)],) else
                  " Careful: both were stretched, so the result is bigger than either; is that what you meant?")
    return story
