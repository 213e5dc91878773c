"""Notebook hygiene: the lesson files, committed clean, each following the lesson anatomy of DESIGN.md."""
import re
from pathlib import Path

import nbformat
import pytest

from test_packaging import REPOSITORY

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = ["01_mp_neuron", "02_activations", "03_gradient_descent", "04_backprop",
           "05_linear_regression", "06_spiral_classification", "07_vanishing_gradients"]
WRITTEN = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_only_lesson_files_in_notebooks():
    assert WRITTEN, "no lessons found"
    assert {p.stem for p in WRITTEN} <= set(LESSONS), f"unexpected notebooks: {[p.name for p in WRITTEN]}"
    assert "01_mp_neuron" in {p.stem for p in WRITTEN}


@pytest.fixture(params=WRITTEN, ids=lambda p: p.name)
def notebook(request):
    nb = nbformat.read(request.param, as_version=4)
    nbformat.validate(nb)
    return nb


def sources(nb, kind):
    return [c.source for c in nb.cells if c.cell_type == kind]


def test_committed_without_outputs_or_execution_counts(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"a cell has outputs: clear them before committing (Edit → Clear Outputs of All Cells):\n"
                f"{cell.source[:80]}")


def test_runs_on_the_standard_python3_kernel(notebook):
    assert notebook.metadata.kernelspec.name == "python3"


def test_opens_with_title_outcomes_and_time(notebook):
    intro = sources(notebook, "markdown")[0]
    assert re.match(r"# Lesson \d\d · ", intro)
    assert "**You will learn**" in intro and "**Time:**" in intro
    outcomes = re.findall(r"^- ", intro.split("**You will learn**")[1].split("**Time:**")[0], re.M)
    assert 3 <= len(outcomes) <= 5


def test_setup_cell_installs_from_our_repository_only_on_colab(notebook):
    setup = sources(notebook, "code")[0]
    assert 'if "google.colab" in sys.modules:' in setup
    assert f'%pip install -q "nnlab @ git+{REPOSITORY}"' in setup
    assert "nnlab.setup()" in setup
    for source in sources(notebook, "code"):
        code = re.sub(r"#.*", "", source)
        assert not re.search(r"pip install\s+(-\S+\s+)*nnlab\b", code), "installs the unrelated PyPI nnlab"


def test_has_self_checks_exercises_and_closing_sections(notebook):
    code = sources(notebook, "code")
    markdown = "\n".join(sources(notebook, "markdown"))
    assert sum("assert " in c for c in code) >= 3, "every section's claim needs a self-check cell"
    assert 2 <= sum("nnlab.check." in c for c in code) <= 4, "2–4 exercises with nnlab.check feedback"
    for heading in ("## Summary", "## Glossary", "## Further reading", "Exercises"):
        assert heading in markdown
    assert "中文" in markdown  # the glossary gives the Chinese term


def test_no_images_linked_from_the_repository(notebook):
    for source in sources(notebook, "markdown"):
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)|<img[^>]+src=\"([^\"]+)\"", source):
            link = next(t for t in target if t)
            assert link.startswith(("data:", "attachment:")), f"image {link} will not render on Colab"
