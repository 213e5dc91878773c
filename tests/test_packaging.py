"""The front door: installable package, dependency lists in step, README commands and CI in agreement."""
import ast
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
CONDA_NAMES = {"torch": "pytorch", "playwright": "playwright-python"}  # pip name -> conda-forge name


def pip_requirements():
    project = PYPROJECT["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["course"]]


def conda_requirements():
    """The `- name>=x` lines of environment.yml (a deliberately tiny parser: no PyYAML needed)."""
    lines = (ROOT / "environment.yml").read_text().split("dependencies:")[1].splitlines()
    specs = [line.strip()[2:].split("#")[0].strip() for line in lines if re.match(r"^  - [a-z][^:]*$", line)]
    pip_section = [line.strip()[2:].split("#")[0].strip() for line in lines if re.match(r"^      - ", line)]
    return {re.split(r"[<>=!]", s)[0]: s for s in specs}, pip_section


def test_dependency_lists_agree():
    conda, pip_section = conda_requirements()
    expected = {CONDA_NAMES.get(r.name, r.name): f"{CONDA_NAMES.get(r.name, r.name)}{r.specifier}"
                for r in pip_requirements()}
    assert {k: v for k, v in conda.items() if k not in ("python", "pip")} == expected
    assert conda["python"] == "python" + PYPROJECT["project"]["requires-python"]
    assert pip_section == ["--editable ."], "environment.yml must install nnlab from this repository"


def test_lower_bounds_only_and_ipywidgets_7_and_8():
    for r in pip_requirements():
        assert r.specifier and all(s.operator == ">=" for s in r.specifier), f"{r}: lower bounds only"
    ipywidgets = next(r for r in pip_requirements() if r.name == "ipywidgets")
    assert ipywidgets.specifier.contains("7.7.1") and ipywidgets.specifier.contains("8.1.5")
    assert {r.name for r in pip_requirements()} >= {"torch", "numpy", "matplotlib", "ipywidgets",
                                                     "jupyterlab", "nbval", "pytest"}


def test_readme_gives_exactly_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Run it: two commands")[1].split("###")[0]
    commands = re.findall(r"```bash\n(.+?)\n```", section, re.S)
    assert commands[1:] == ["python3 course.py lab", "python3 course.py test"]  # after the clone
    ci = [line for line in (ROOT / ".ci/run").read_text().splitlines() if line.strip() and line[0] != "#"]
    assert ci[-1] == "python3 course.py test", "CI must end by running the README's test command"
    # the only other use: the same command in the floors stage's own environment
    others = [line for line in ci[:-1] if "course.py" in line]
    assert all(line.strip().startswith("python3 course.py test --ignore=tests/browser") for line in others), others


def test_readme_links_our_repository_and_never_the_pypi_namesake():
    readme = (ROOT / "README.md").read_text()
    assert f"git clone {REPOSITORY}" in readme
    assert not re.search(r"pip install\s+nnlab\b", readme)


def test_readme_opens_every_lesson_on_colab_and_all_on_binder_from_our_repository():
    readme = (ROOT / "README.md").read_text()
    owner_repo = REPOSITORY.removeprefix("https://github.com/")
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    colab = re.findall(r"\(https://colab\.research\.google\.com/github/([^)]+)\)", readme)
    assert colab == [f"{owner_repo}/blob/main/notebooks/{lesson}.ipynb" for lesson in lessons]
    binder = re.findall(r"\(https://mybinder\.org/v2/gh/([^/)]+/[^/)]+)/", readme)
    assert binder == [owner_repo]


def test_course_script_needs_only_the_standard_library():
    tree = ast.parse((ROOT / "course.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def test_ci_constrains_torch_to_the_cpu_build_and_requires_the_browser_tests():
    ci = (ROOT / ".ci/run").read_text()
    assert 'export PIP_CONSTRAINT="$PWD/.ci/cpu-torch.txt"' in ci
    assert "export NNLAB_REQUIRE_BROWSER=1" in ci and "apt-get install -y -qq chromium" in ci
    pins = [l for l in (ROOT / ".ci/cpu-torch.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert pins == ["torch==2.13.0"]


def test_requires_python_tells_the_truth_about_syntax():
    """requires-python says 3.10: every nnlab module and every lesson's code must parse as Python 3.10 (CI runs
    3.11, so a 3.11-only construct such as `except*` would otherwise slip through), and nnlab must not import
    a module that 3.10 lacks."""
    import nbformat

    oldest = tuple(int(p) for p in PYPROJECT["project"]["requires-python"].removeprefix(">=").split("."))
    assert oldest == (3, 10)
    sources = {str(p): p.read_text() for p in (ROOT / "nnlab").rglob("*.py")}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":  # IPython magics are not Python: blank them, keeping the indentation
                sources[f"{path.name} cell {i}"] = re.sub(r"^(\s*)[%!].*$", r"\1pass", cell.source, flags=re.M)
    for where, source in sources.items():
        ast.parse(source, filename=where, feature_version=oldest)
        assert not re.search(r"^\s*(import|from)\s+tomllib\b", source, re.M), f"{where}: tomllib is new in 3.11"
