"""Print pip constraints that pin every direct dependency of nnlab to the lowest version pyproject.toml allows.

CI installs these into .venv-floors and runs the widget tests and every lesson there (issue 15), so that each
lower bound we declare is one that works. torch is left out: these machines can only install the CPU build
torch==2.13.0 (.ci/cpu-torch.txt), so its floor (2.0) is declared but not tested here.

    python3 .ci/floors.py > floors.txt
"""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNTESTABLE_HERE = {"torch"}


def floors():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["course"]:
        requirement = requirement.split("#")[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*(;.*)?", requirement)
        if not match:
            sys.exit(f"cannot read a lower bound from {requirement!r}: write it as 'name>=version'")
        name, version, marker = match.groups()
        if name.lower() not in UNTESTABLE_HERE and not marker:  # a marker: not for this Python
            yield f"{name}=={version}"


if __name__ == "__main__":
    print("\n".join(floors()))
