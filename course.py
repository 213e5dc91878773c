#!/usr/bin/env python3
"""The README's commands.

    python3 course.py lab    set up, then open the lessons in JupyterLab
    python3 course.py test   set up, then run every test (unit, widget, notebook hygiene, nbval)
    python3 course.py bench  set up, then run the benchmarks (writes benchmarks/results.md)

Set-up makes (or reuses) a virtual environment in .venv (or $NNLAB_VENV) and installs this repository into it,
with everything the lessons and the tests need. Extra arguments go to JupyterLab or pytest.
Only the Python standard library is used here, so it runs on a machine that has nothing else.
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / os.environ.get("NNLAB_VENV", ".venv")  # CI sets another one for its floors stage


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def set_up():
    if sys.version_info < (3, 10):
        sys.exit(f"nnlab needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing nnlab and what the lessons need (the first time, torch alone takes a few minutes) ...",
          flush=True)
    subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--editable", f"{ROOT}[course]"], check=True)


def main(argv):
    if not argv or argv[0] not in ("lab", "test", "bench"):
        sys.exit(__doc__)
    command, extra = argv[0], argv[1:]
    set_up()
    if command == "test":
        return subprocess.run([venv_python(), "-m", "pytest", *extra], cwd=ROOT).returncode
    if command == "bench":
        return subprocess.run([venv_python(), ROOT / "benchmarks" / "run.py", *extra], cwd=ROOT).returncode
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        print("Running as root (as in many containers): passing --allow-root to JupyterLab.")
        extra.append("--allow-root")
    return subprocess.run([venv_python(), "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT / 'notebooks'}",
                           *extra], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
