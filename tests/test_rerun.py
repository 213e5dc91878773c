"""Run All twice in the same kernel gives the same results (issue 9): no lesson depends on state left behind by
an earlier run of its own cells (a variable changed further down, a seed consumed, a figure left open).
On the way, every picture a lesson shows is checked to be opaque, so it stays readable on dark themes (issue 8)."""
import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# What differs from run to run whatever the state: wall-clock times ("0.21 s", "35 ms", "1.9× faster") and
# memory addresses ("<MulBackward0 object at 0x7fc9be2dd210>")
VOLATILE = re.compile(r"\d+(\.\d+)?(e[-+]?\d+)?\s*(s|ms|µs|seconds|×)(?![A-Za-z])|0x[0-9a-f]+")


def texts(cell):
    """What a learner reads in a cell's output: printed text and text results, with times and addresses masked."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data") and "image/png" not in output["data"]:
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return VOLATILE.sub("<volatile>", "".join(parts))


def transparent_pictures(nb):
    """Cells whose PNG output has any transparent pixel: on a dark page its black labels would vanish."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                image = Image.open(io.BytesIO(base64.b64decode(png)))
                if image.mode in ("RGBA", "LA", "P") and image.convert("RGBA").getextrema()[3][0] < 255:
                    found.append(index)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_run_all_twice_in_one_kernel_gives_the_same_output(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    runs = []
    with client.setup_kernel():
        for _ in range(2):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)  # raises CellExecutionError on any error
            runs.append([texts(cell) for cell in nb.cells if cell.cell_type == "code"])
            images = [sum("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in nb.cells]
            runs[-1].append(images)  # the same number of pictures in every cell
            assert not transparent_pictures(nb), f"transparent pictures in cells {transparent_pictures(nb)}"
    first, second = runs
    different = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    assert not different, "\n\n".join(f"code cell {i}:\n--- first run\n{first[i]}\n--- second run\n{second[i]}"
                                      for i in different[:3])
    assert sum(map(len, first[:-1])) > 100  # the lesson printed something to compare
