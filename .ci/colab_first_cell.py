"""Simulate a learner's first cell on a fresh Colab runtime, for CI (issue 8).

Run with the Python of an environment shaped like Colab's: torch, NumPy, matplotlib, ipywidgets 7.7.1 and
a kernel, but no nnlab. The lesson's own setup cell runs, with `google.colab` importable (as on Colab) and the
install URL pointed at this checkout (git+file://) instead of GitHub. It must end with nnlab installed, the
lesson run without an error, and no package Colab already has upgraded (that would force a restart).

    python .ci/colab_first_cell.py notebooks/01_mp_neuron.ipynb
"""
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# What every setup cell installs: the one repository URL, from pyproject.toml (a test keeps the cells in step).
REPOSITORY = "git+" + tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def installed():
    freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True).stdout
    return {line.split("==")[0].split(" @ ")[0].lower(): line for line in freeze.splitlines() if line}


def main(lesson):
    before = installed()
    assert "nnlab" not in before, "nnlab is already installed: this is not a fresh runtime"
    nb = nbformat.read(ROOT / lesson, 4)
    assert REPOSITORY in nb.cells[1].source, "the setup cell must install from the project's repository"
    nb.cells[1].source = nb.cells[1].source.replace(REPOSITORY, f"git+file://{ROOT}")
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')  # as on Colab\n"
        f"assert sys.prefix == {sys.prefix!r}, 'the kernel must run in the Colab-like environment'"))
    nb.cells.insert(3, nbformat.v4.new_code_cell(  # right after the setup cell: the installed copy is the one in use
        "assert 'site-packages' in nnlab.__file__, nnlab.__file__"))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as content:  # like Colab's /content: no nnlab/ folder to import by accident
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": content}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    after = installed()
    changed = sorted(name for name in before if after.get(name) != before[name])
    print(f"Colab first cell, {lesson}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells in "
          f"{time.perf_counter() - start:.1f} s, {len(errors)} errors; installed {after.get('nnlab')!r}; "
          f"changed packages: {changed or 'none'}")
    if errors:
        print("".join(errors[0].get("traceback", [])))
    return 1 if errors or changed or "nnlab" not in after else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
