"""Notebook hygiene: the lesson files, committed clean, each following the lesson anatomy of DESIGN.md."""
import re
from pathlib import Path

import nbformat
import pytest

from test_packaging import REPOSITORY

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = ["00_tensors", "01_mp_neuron", "02_activations", "03_gradient_descent", "04_backprop",
           "05_linear_regression", "06_spiral_classification", "07_vanishing_gradients",
           "08_digits"]
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


# --- issue 14: no workshop words, one "Going deeper" form, a core path that stands alone ---------------------------

def prose(source):
    """Markdown without code (fenced blocks and `inline` spans): what a learner reads as sentences."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", source, flags=re.S))


# How our own workshop names the source articles. Learners never saw them as "seeds": a lesson cites a title and
# an author, or just teaches the idea. A random seed (torch.manual_seed, "any seed number works") is a real thing
# a lesson may name, so the word alone is not banned, only these uses of it.
WORKSHOP = re.compile(r"\bseeds? ?\d{3}\b|\bseed (articles?|notes?|texts?)\b|\b(our|the) seed (says|calls|uses|shows)\b"
                      r"|\bsource (notes|articles?)\b|\bour (notes|articles?)\b|\bthe original example\b", re.I)


def test_no_workshop_words_in_a_lesson(notebook):
    for source in sources(notebook, "markdown"):
        text = prose(source)
        found = WORKSHOP.search(text)
        assert not found, f"workshop words {found.group()!r} in: …{text[max(0, found.start() - 60):found.end() + 60]}…"


DEEPER = re.compile(r"^(#{2,3}) Going deeper \(optional\): \S", re.M)


def sections(nb):
    """(cell, in_going_deeper) for every cell: a "Going deeper" section runs until the next heading of its level."""
    level, marked = None, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for heading in re.findall(r"^(#{1,6}) ", cell.source, re.M):
                if level and len(heading) <= level:
                    level = None
            deeper = DEEPER.search(cell.source)
            if deeper:
                level = len(deeper.group(1))
        marked.append((cell, level is not None))
    return marked


def test_going_deeper_has_one_form_and_the_time_line_gives_both(notebook):
    markdown = "\n".join(sources(notebook, "markdown"))
    for heading in re.findall(r"^#+ .*going deeper.*$", markdown, re.M | re.I):
        assert DEEPER.match(heading), f"write optional sections as '## Going deeper (optional): topic', got {heading!r}"
    time_line = re.search(r"\*\*Time:\*\*.*", sources(notebook, "markdown")[0]).group()
    if DEEPER.search(markdown):
        assert "core path" in time_line and "Going deeper" in time_line, time_line


def test_the_core_path_never_uses_what_only_going_deeper_defines(notebook):
    """A name first defined in an optional section must not be read by a later core cell."""
    import ast

    core, optional_only = set(), set()
    for cell, deeper in sections(notebook):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", cell.source, flags=re.M))  # IPython magics: not Python
        stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        stored |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        stored |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                   for a in n.names}
        stored |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}  # a function's own arguments are local
        if deeper:
            optional_only |= stored - core
            continue
        loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        used = (loaded - stored) & optional_only
        assert not used, f"a core cell reads {sorted(used)}, defined only in a Going deeper section:\n{cell.source[:200]}"
        core |= stored
        optional_only -= stored


def glossary(nb):
    """The glossary's rows as {English term: Chinese term}, the English lower-cased and without markdown marks."""
    for source in sources(nb, "markdown"):
        if "## Glossary" in source:
            rows = [[col.strip() for col in line.strip().strip("|").split("|")]
                    for line in source.split("## Glossary", 1)[1].split("\n## ", 1)[0].splitlines() if line.startswith("|")]
            return {re.sub(r"[*`]", "", row[0]).lower(): row[1] for row in rows[2:] if len(row) >= 3}  # after the header
    return {}


def test_one_chinese_term_for_each_english_term_across_the_course():
    seen = {}  # English term -> (Chinese term, the lesson that first gave it)
    for path in WRITTEN:
        terms = glossary(nbformat.read(path, as_version=4))
        assert len(terms) >= 5, f"{path.name}: the glossary table was not found"
        for english, chinese in terms.items():
            first = seen.setdefault(english, (chinese, path.stem))
            assert chinese == first[0], f"{english!r}: {first[1]} says {first[0]}, {path.stem} says {chinese}"
