"""Browser tests: each lesson in a real JupyterLab, driven by Playwright in the system Chromium.

The JupyterLab server serves a *copy* of notebooks/ (autosave never writes outputs into the
repository), with its own settings and workspaces folders, and is stopped by PID at the end.
Without Chromium these tests skip and say how to install it; NNLAB_REQUIRE_BROWSER=1 (set by CI)
turns that skip into a failure.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NNLAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM = CHROMIUM if CHROMIUM and Path(CHROMIUM).is_file() else None
# As root and on machines with no internet, Chromium needs these (no sandbox, no calls home).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
INSTALL_HINT = ("browser tests need Chromium and Playwright's Python package: "
                "Debian/Ubuntu `sudo apt-get install chromium`, macOS `brew install --cask chromium`, "
                "or point NNLAB_CHROMIUM at a Chromium/Chrome binary (no `playwright install` needed)")
LATENCIES = {}  # "lesson · explorer" -> median key-press-to-new-image milliseconds
PLAYS = {}  # "lesson · explorer" -> (epoch before play, epoch after pause, pictures per second, epochs per second,
#                                     pause ms)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    """Skip (or, in CI, fail) every browser test when Chromium or Playwright is missing."""
    if CHROMIUM is None or not _has_playwright():
        if os.environ.get("NNLAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NNLAB_REQUIRE_BROWSER=1 but Chromium or Playwright is missing: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)


def _has_playwright():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def api(server, method, path, body=None):
    """Call the Jupyter server's REST API."""
    request = urllib.request.Request(
        f"{server['url']}/{path.lstrip('/')}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {server['token']}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    """`jupyter lab` on 127.0.0.1, a free port and a token, serving a copy of the lessons."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # Render every cell, not only those in view, so that the DOM holds the whole notebook;
    # and never ask about Jupyter news (the toast would cover the screenshots).
    for plugin, settings in {"notebook-extension/tracker": {"windowingMode": "none"},
                             "apputils-extension/notification": {"fetchNews": "false"}}.items():
        path = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    port, token = free_port(), os.urandom(12).hex()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={home / 'settings'}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    yield from serve(command, home, root, port, token)


def free_port():
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(command, home, root, port, token, env=None):
    """Run a Jupyter server (`command`, plus --allow-root as root) until the session ends; stop only this PID."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "server.log", "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
    server = {"url": f"http://127.0.0.1:{port}", "token": token, "root": root, "log": home / "server.log"}
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        process.terminate()  # this PID only; the server shuts its kernels down
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def _wait_until_ready(server, process, timeout=120):
    start = time.time()
    while time.time() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}: {server['log'].read_text()[-2000:]}")
        try:
            api(server, "GET", "api/status")
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"jupyter lab was not ready after {timeout} s")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter):
    if LATENCIES:
        terminalreporter.section("explorer latency in the browser: key press to new image (budget <= 100 ms median, "
                                 "DESIGN.md §6)")
        for name, (median, worst) in LATENCIES.items():
            verdict = "ok" if median <= 100 else "SLOW"
            terminalreporter.write_line(f"{name:45s} median {median:6.0f} ms   max {worst:6.0f} ms   {verdict}")
    if PLAYS:
        terminalreporter.section("dashboard in the browser: play, then pause (budget >= 25 pictures/s and >= 200 "
                                 "epochs/s, DESIGN.md §6)")
        for name, (before, after, rate, epochs, paused_ms) in PLAYS.items():
            verdict = "ok" if rate >= 25 and epochs >= 200 else "SLOW"
            terminalreporter.write_line(f"{name:45s} epoch {before} -> {after}   {rate:4.1f} pictures/s   "
                                        f"{epochs:4.0f} epochs/s   pause took {paused_ms:.0f} ms   {verdict}")
