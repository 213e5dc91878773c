"""Shared test set-up: no network, a non-interactive matplotlib backend, and no figure may outlive a test."""
import importlib.util
import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

# Offline (issue 9): block connections to other machines here and, through PYTHONPATH, in every kernel
# and server the tests start (see offline/sitecustomize.py).
OFFLINE = Path(__file__).parent / "offline"
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), os.environ.get("PYTHONPATH")]))
_spec = importlib.util.spec_from_file_location("nnlab_tests_offline", OFFLINE / "sitecustomize.py")
offline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offline)

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def pytest_terminal_summary(terminalreporter):
    """After the run: how many bad inputs tests/test_properties.py tried, and how many got a clear error."""
    import sys

    module = next((m for name, m in list(sys.modules.items()) if name.rpartition(".")[2] == "test_properties"), None)
    counts = getattr(module, "BAD_INPUTS", None)
    if counts and counts["tried"]:
        verdict = "all" if counts["clear"] == counts["tried"] else f"only {counts['clear']}"
        terminalreporter.write_line(f"property tests: {counts['tried']} bad-input cases tried, "
                                    f"{verdict} raised a clear ValueError/TypeError")
