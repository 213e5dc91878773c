"""The ipywidgets 7 front end (issue 15): every lesson in the classic Notebook 6.5 with widgetsnbextension 3.6, in Chromium.

Colab draws widgets with the ipywidgets 7.x JavaScript; the nearest page a test can open is the classic notebook's
with ipywidgets 7.7.1. The checks are test_lessons.py's: Run All, no tracebacks, every widget rendered (none left
unrendered, none with an error), each explorer's picture changes after an arrow key on its first slider (a
jQuery-UI slider in 7.x), and the median latency. This pass runs in CI's Colab environment (.ci/run sets
NNLAB_CLASSIC=1 there); where the classic notebook or ipywidgets 7 is missing (the JupyterLab environment) it skips.

The server is isolated: fresh config, data and runtime folders and this environment's Jupyter path only, so no
nbextension from ~/.jupyter, another prefix or another virtual environment can load. A first probe proves it: the
page must run exactly this environment's widget extension and kernel, and must be able to make an Output widget.
"""
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import LATENCIES, ROOT, api, free_port, serve
from test_lessons import EXPECTED, LESSONS, play_and_pause

from nnlab.widgets.dashboard_play import DATA_URL

try:
    import ipywidgets
    import notebook
    CLASSIC = notebook.__version__.startswith("6.") and ipywidgets.__version__.startswith("7.")
except ImportError:
    CLASSIC = False
WHY_SKIP = "the classic-notebook pass needs notebook 6.x and ipywidgets 7.x (CI runs it in .venv-colab: see .ci/run)"
if not CLASSIC and os.environ.get("NNLAB_CLASSIC") == "1":
    raise RuntimeError(f"NNLAB_CLASSIC=1 but {WHY_SKIP}")  # fails collection instead of skipping
pytestmark = pytest.mark.skipif(not CLASSIC, reason=WHY_SKIP)

SHOTS = ROOT / "shots"  # git-ignored
WIDGET_JS = Path(sys.prefix, "share", "jupyter", "nbextensions", "jupyter-js-widgets", "extension.js")
IMAGE = ".jupyter-widgets-output-area img, img.widget-image"  # in an Output (7.x: no .widget-output class) or an Image
# What a page may print to its console as an error without anything being wrong: MathJax probes its web fonts
# with about:blank, which Chromium refuses; a failed load is recorded by its response instead (below).
HARMLESS = re.compile(r"Access to font at 'about:blank'|^Failed to load resource:")
# The classic notebook ships MathJax without its .otf fonts; MathJax asks for two, gets 404, and uses its others.
MISSING_FONTS = re.compile(r"/static/components/MathJax/fonts/HTML-CSS/TeX/otf/MathJax_[A-Za-z-]+\.otf")
WIDGET_PROBLEMS = ["Error displaying widget", "Error rendering", "Failed to load model class", "Loading widget...",
                   "Could not create", "model not found", "Widget not found"]

# One pass over the DOM and the notebook's model: each code cell's prompt, first line and error text; widget
# outputs the kernel sent against widget views drawn; widget counts.
REPORT_JS = """() => {
  const nb = document.querySelector('#notebook-container');
  const model = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
  const cells = Array.from(nb.querySelectorAll('.cell.code_cell')).map((c, i) => ({
    index: i,
    prompt: (c.querySelector('.input_prompt') || {}).innerText || '',
    first_line: model[i].get_text().split('\\n')[0],
    error: Array.from(c.querySelectorAll('.output_error, .output_stderr'))
             .map(o => o.innerText).filter(t => /Traceback|Error|Exception/.test(t)).join('\\n').slice(0, 800),
    widgets_sent: model[i].output_area.outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length,
    widgets_drawn: c.querySelectorAll('.output_subarea.jupyter-widgets-view > .jupyter-widgets').length,
  }));
  return {
    cells,
    text: nb.innerText,
    sliders: nb.querySelectorAll('.widget-slider').length,
    buttons: nb.querySelectorAll('.jupyter-widgets.widget-button').length,  // as in JupyterLab: toggles not counted
  };
}"""


@pytest.fixture(scope="session")
def classic_server(tmp_path_factory):
    """`jupyter notebook` (classic, 6.5) on 127.0.0.1, a free port and a token, serving a copy of the lessons."""
    home = tmp_path_factory.mktemp("classic")
    root = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # Jupyter looks in the user's folders, every folder on JUPYTER_PATH / JUPYTER_CONFIG_PATH, then the environment's
    # and the system's. Fresh user folders, and the environment's folders first and only on the paths.
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               JUPYTER_PATH=str(Path(sys.prefix, "share", "jupyter")),
               JUPYTER_CONFIG_PATH=str(Path(sys.prefix, "etc", "jupyter")), JUPYTER_PREFER_ENV_PATH="1")
    port, token = free_port(), os.urandom(12).hex()
    command = [sys.executable, "-m", "notebook", "--no-browser", "--NotebookApp.ip=127.0.0.1",
               f"--NotebookApp.port={port}", "--NotebookApp.port_retries=0", f"--NotebookApp.token={token}",
               f"--NotebookApp.notebook_dir={root}"]
    yield from serve(command, home, root, port, token, env)


def open_notebook(server, browser, name):
    """A fresh page with `name`.ipynb open, its kernel idle and the widget manager in place; console errors kept."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # No 'Notebook 7' banner over the screenshots: what its "Don't show anymore" button stores. (Its server switch,
    # --NotebookApp.show_banner=False, makes notebook 6.5.7's page throw an error.)
    page.add_init_script("localStorage.setItem('showNotebookNews', 'false')")
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and not HARMLESS.search(m.text) and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(f"uncaught: {e}"))
    page.on("response", lambda r: r.status >= 400 and not MISSING_FONTS.search(r.url)
            and page.console_errors.append(f"{r.status} {r.url}"))
    page.goto(f"{server['url']}/notebooks/{name}.ipynb?token={server['token']}")
    page.wait_for_selector("#notebook-container .cell", timeout=90_000)
    page.wait_for_function("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                           " && Jupyter.notebook.kernel.is_connected() && Jupyter.WidgetManager"
                           " && Jupyter.WidgetManager._managers.length > 0", timeout=90_000)
    page.wait_for_selector("#kernel_indicator_icon.kernel_idle_icon", timeout=90_000)
    return page


def close_notebook(server, page, name):
    page.close()
    for session in api(server, "GET", "api/sessions"):
        if session["path"].endswith(f"{name}.ipynb"):
            api(server, "DELETE", f"api/sessions/{session['id']}")  # shuts its kernel down


def run_all(page, timeout_s=300):
    """Cell > Run All from the menu, then wait until no prompt says [*] and the kernel indicator stays idle."""
    page.locator("#celllink").click()
    page.locator("#run_all_cells > a").click()
    start, idle_since = time.time(), None
    while time.time() - start < timeout_s:
        busy = any("*" in p for p in page.locator("#notebook-container .input_prompt").all_inner_texts())
        if not busy and page.locator("#kernel_indicator_icon.kernel_idle_icon").count():
            idle_since = idle_since or time.time()
            if time.time() - idle_since > 1.5:
                return
        else:
            idle_since = None
        time.sleep(0.2)
    pytest.fail(f"Run All had not finished after {timeout_s} s")


@pytest.fixture(scope="session")
def classic_front_end(classic_server, browser):
    """Probe the page once: this environment's widget extension and kernel, nothing else, and a working Output.

    widgetsnbextension 3.6.7 to 3.6.10 fail the last check (see .ci/classic.txt): their bundle compiles the widget
    base classes as JavaScript classes, but subclasses the Output model with Backbone's extend(), which neither
    copies a class's static methods (_deserialize_state) nor may call a class constructor.
    """
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("import sys, ipywidgets\nprint(sys.prefix, ipywidgets.__version__)"),
                nbformat.v4.new_code_cell("out = ipywidgets.Output()\ndisplay(out)\nwith out:\n    print('in an Output')"),
                nbformat.v4.new_code_cell("ipywidgets.IntSlider(3)")]
    nbformat.write(nb, classic_server["root"] / "_probe.ipynb")
    page = open_notebook(classic_server, browser, "_probe")
    try:
        run_all(page, timeout_s=60)
        enabled = page.evaluate("() => Jupyter.notebook.config.data.load_extensions || {}")
        served = urllib.request.urlopen(f"{classic_server['url']}/nbextensions/jupyter-js-widgets/extension.js"
                                        f"?token={classic_server['token']}", timeout=30).read()
        kernel_said = page.locator("#notebook-container .cell.code_cell").nth(0).locator(".output_text").inner_text()
        output_text = page.locator(".jupyter-widgets-output-area").first.inner_text() \
            if page.locator(".jupyter-widgets-output-area").count() else ""
        sliders = page.locator(".ui-slider-handle").count()
        errors = list(page.console_errors)
    finally:
        close_notebook(classic_server, page, "_probe")
    declared = {}
    for path in sorted(Path(sys.prefix, "etc", "jupyter", "nbconfig", "notebook.d").glob("*.json")):
        declared.update(json.loads(path.read_text()).get("load_extensions", {}))
    assert {k for k, on in enabled.items() if on} == {k for k, on in declared.items() if on}, \
        f"the page loads nbextensions {enabled}, but this environment declares {declared}"
    assert hashlib.sha256(served).digest() == hashlib.sha256(WIDGET_JS.read_bytes()).digest(), \
        f"the page's widget extension is not this environment's {WIDGET_JS}"
    assert kernel_said.split() == [sys.prefix, ipywidgets.__version__], f"the kernel says {kernel_said!r}"
    assert sliders == 1, f"a plain IntSlider did not render; console: {errors}"
    assert "in an Output" in output_text and not errors, (
        f"ipywidgets.Output() did not render in the classic notebook (console: {errors[:3]}). If it says "
        f"'_deserialize_state is not a function': widgetsnbextension 3.6.7-3.6.10 cannot make an Output; see .ci/classic.txt")


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_classic_notebook(classic_server, classic_front_end, browser, lesson):
    assert lesson in EXPECTED, f"{lesson}: add its expected explorers, sliders and buttons to test_lessons.EXPECTED"
    page = open_notebook(classic_server, browser, lesson)
    try:
        check_lesson(page, lesson)
    finally:
        close_notebook(classic_server, page, lesson)


def check_lesson(page, lesson):
    run_all(page)
    report = page.evaluate(REPORT_JS)
    where = lambda c: f"{lesson}: code cell {c['index'] + 1} ({c['prompt'].strip(' :')}) «{c['first_line']}»"
    failed = [c for c in report["cells"] if c["error"]]
    assert not failed, f"{where(failed[0])} raised:\n{failed[0]['error']}"
    not_run = [c for c in report["cells"] if c["first_line"].strip() and not re.search(r"\d", c["prompt"])]
    assert not not_run, f"{where(not_run[0])} did not run"
    undrawn = [c for c in report["cells"] if c["widgets_drawn"] < c["widgets_sent"]]
    assert not undrawn, f"{where(undrawn[0])}: {undrawn[0]['widgets_sent']} widgets sent, " \
                        f"{undrawn[0]['widgets_drawn']} drawn; console: {page.console_errors[:3]}"
    problems = [s for s in WIDGET_PROBLEMS if s in report["text"]]
    assert not problems, f"{lesson}: the page says {problems}"
    expected = EXPECTED[lesson]
    assert (report["sliders"], report["buttons"]) == (expected["sliders"], expected["buttons"]), \
        f"{lesson}: rendered {report['sliders']} sliders and {report['buttons']} buttons, expected {expected}"

    explorers = page.locator("#notebook-container .output_subarea.jupyter-widgets-view > .jupyter-widgets").filter(
        has=page.locator(IMAGE))
    assert explorers.count() == expected["explorers"], f"{lesson}: {explorers.count()} explorers rendered"
    SHOTS.mkdir(exist_ok=True)
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        cell = explorer.locator("xpath=ancestor::div[contains(@class, 'code_cell')]")
        name = f"classic {lesson}: explorer {i + 1} (cell {cell.locator('.input_prompt').inner_text().strip(' :')})"
        latencies = [nudge(page, explorer, key, name) for key in ["ArrowRight", "ArrowLeft"] * 3]
        LATENCIES[name] = (statistics.median(latencies), max(latencies))
        message = explorer.locator(".widget-html-content").first.inner_text()
        assert "⚠" not in message, f"{name}: after a slider move it says: {message}"
        explorer.screenshot(path=str(SHOTS / f"classic-{lesson}-explorer{i + 1}.png"))
        if explorer.locator(".widget-toggle-button", has_text="play").count():
            src = play_and_pause(page, explorer, name, SHOTS / f"classic-{lesson}-dashboard.png")
            # ipywidgets 7's Image never frees the blob URL it makes for bytes (~7 MB a second while playing)
            assert src.startswith(DATA_URL.decode()), f"{name}: the dashboard's src is {src[:40]!r}"
    assert not page.console_errors, f"{lesson}: the browser console says {page.console_errors[:3]}"
    screenshot(page, SHOTS / f"classic-{lesson}.png")


def nudge(page, explorer, key, where):
    """Press an arrow key on the explorer's first (jQuery-UI) slider, or where it has none (lesson 08's grid) click
    its first button; return ms until its picture changed (<= 1 s)."""
    before = explorer.locator(IMAGE).first.get_attribute("src")
    has_slider = explorer.locator(".ui-slider-handle").count() > 0
    target = explorer.locator(".ui-slider-handle" if has_slider else ".widget-button").first
    target.scroll_into_view_if_needed()
    if has_slider:
        target.focus()
    start = time.perf_counter()
    if has_slider:
        page.keyboard.press(key)
    else:
        key = "a click"
        target.click()
    try:  # an Output swaps in a new <img> (an Image changes its src), so look it up afresh each time
        page.wait_for_function(f"([root, before]) => {{ const img = root.querySelector('{IMAGE}');"
                               " return img && img.src !== before; }",
                               arg=[explorer.element_handle(), before], timeout=1000)
    except Exception:
        message = explorer.locator(".widget-html-content").first.inner_text()
        pytest.fail(f"{where}: {key} on its first control, but the picture did not change within 1 s. "
                    f"Its message line says: {message!r}")
    return 1000 * (time.perf_counter() - start)


def screenshot(page, path: Path):
    """The classic notebook scrolls inside #site: grow the viewport to the notebook's height first."""
    height = page.evaluate("() => document.querySelector('#header').offsetHeight"
                           " + document.querySelector('#notebook').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(16000, height + 100)})
    page.evaluate("() => document.querySelector('#site').scrollTop = 0")
    time.sleep(0.5)
    page.screenshot(path=str(path))
