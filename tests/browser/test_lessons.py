"""Every lesson, run in JupyterLab in Chromium as a learner would: Run All, then touch every explorer. And the
dashboard as `dashboard()` makes it (the spiral, two hidden layers of 16), the case of its speed budget."""
import contextlib
import re
import statistics
import time
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from conftest import LATENCIES, PLAYS, ROOT, api

SHOTS = ROOT / "shots"  # git-ignored
# What each lesson must render once it has run. A new lesson adds its line here.
EXPECTED = {
    "00_tensors": {"explorers": 1, "sliders": 4, "buttons": 0},
    "01_mp_neuron": {"explorers": 1, "sliders": 3, "buttons": 0},
    "02_activations": {"explorers": 2, "sliders": 8, "buttons": 0},
    "03_gradient_descent": {"explorers": 2, "sliders": 9, "buttons": 0},  # the 1-D explorer got a curvature slider
    "04_backprop": {"explorers": 1, "sliders": 10, "buttons": 2},
    "05_linear_regression": {"explorers": 1, "sliders": 3, "buttons": 1},  # + learning rate, "10 steps" (and a checkbox)
    "06_spiral_classification": {"explorers": 1, "sliders": 6, "buttons": 3},  # + play toggle; lr in round steps
    "07_vanishing_gradients": {"explorers": 1, "sliders": 2, "buttons": 0},
    "08_digits": {"explorers": 1, "sliders": 0, "buttons": 66},  # 64 grid cells, clear, invert
}
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the visible notebook only
PICTURE = ".widget-output img, img.widget-image"  # an explorer's picture: in an Output, or an Image (the dashboard)

# One pass over the DOM: every code cell's prompt, first source line and error text; widget counts.
REPORT_JS = """(selector) => {
  const nb = document.querySelector(selector);
  const cells = Array.from(nb.querySelectorAll('.jp-CodeCell')).map((c, i) => ({
    index: i,
    prompt: (c.querySelector('.jp-InputPrompt') || {}).innerText || '',
    first_line: (((c.querySelector('.jp-InputArea-editor') || {}).innerText || '').split('\\n')[0]),
    error: Array.from(c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
             .map(o => o.innerText).filter(t => /Traceback|Error|Exception/.test(t)).join('\\n').slice(0, 800),
  }));
  const text = nb.innerText;
  return {
    cells,
    widget_problems: ['Error displaying widget', 'Error rendering output', 'Failed to load model class',
                      'Loading widget...'].filter(s => text.includes(s)),
    sliders: nb.querySelectorAll('.widget-slider').length,
    buttons: nb.querySelectorAll('.jupyter-widgets.widget-button').length,
  };
}"""


@contextlib.contextmanager
def opened(jupyter_server, browser, name):
    """A fresh page with notebook `name` open in its own workspace; kernel and workspace removed afterwards."""
    workspace = f"browser-test-{name}"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    query = urllib.parse.urlencode({"token": jupyter_server["token"]})
    page.goto(f"{jupyter_server['url']}/lab/workspaces/{workspace}/tree/{name}.ipynb?reset&{query}")
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=90_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=90_000)
    try:
        yield page
    finally:
        page.close()
        for session in api(jupyter_server, "GET", "api/sessions"):
            if session["path"].endswith(f"{name}.ipynb"):
                api(jupyter_server, "DELETE", f"api/sessions/{session['id']}")
        api(jupyter_server, "DELETE", f"lab/api/workspaces/{workspace}")


@pytest.fixture
def lesson_page(jupyter_server, browser, request):
    """A lesson open in a fresh page (see opened)."""
    with opened(jupyter_server, browser, request.param) as page:
        yield request.param, page


def run_all(page, timeout_s=300):
    """Run > Run All Cells from the menu, then wait until no cell is busy and the kernel stays idle."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    start, idle_since = time.time(), None
    while time.time() - start < timeout_s:
        busy = any("*" in p for p in page.locator(f"{NOTEBOOK} .jp-InputPrompt").all_inner_texts())
        if not busy and page.locator("#jp-main-statusbar >> text=Idle").count():
            idle_since = idle_since or time.time()
            if time.time() - idle_since > 1.5:
                break
        else:
            idle_since = None
        time.sleep(0.2)
    page.wait_for_function(f"() => !document.querySelector('{NOTEBOOK}').innerText.includes('Loading widget...')",
                           timeout=30_000)


def with_pictures(page):
    """The widgets among the notebook's outputs that show a picture: the explorers and the dashboard."""
    return page.locator(f"{NOTEBOOK} .jp-OutputArea-output > .jupyter-widgets").filter(has=page.locator(PICTURE))


def describe(lesson, cell):
    return f"{lesson}: code cell {cell['index'] + 1} ({cell['prompt'].strip(' :') or 'never ran'}) «{cell['first_line']}»"


@pytest.mark.parametrize("lesson_page", LESSONS, indirect=True)
def test_lesson_runs_and_its_explorers_respond(lesson_page):
    lesson, page = lesson_page
    assert lesson in EXPECTED, f"{lesson}: add its expected explorers, sliders and buttons to EXPECTED"
    run_all(page)
    report = page.evaluate(REPORT_JS, NOTEBOOK)

    failed = [c for c in report["cells"] if c["error"]]
    assert not failed, f"{describe(lesson, failed[0])} raised:\n{failed[0]['error']}"
    code = [c for c in report["cells"] if c["first_line"].strip()]
    not_run = [c for c in code if not any(ch.isdigit() for ch in c["prompt"])]
    assert not not_run, f"{describe(lesson, not_run[0])} did not run"
    assert not report["widget_problems"], f"{lesson}: {report['widget_problems']}"
    expected = EXPECTED[lesson]
    assert (report["sliders"], report["buttons"]) == (expected["sliders"], expected["buttons"]), \
        f"{lesson}: rendered {report['sliders']} sliders and {report['buttons']} buttons, expected {expected}"

    explorers = with_pictures(page)
    assert explorers.count() == expected["explorers"], f"{lesson}: {explorers.count()} explorers rendered"
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        cell = explorer.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]")
        where = f"{lesson}: explorer {i + 1} (cell {cell.locator('.jp-InputPrompt').inner_text().strip(' :')})"
        if explorer.locator(".noUi-handle, .ui-slider-handle").count():
            latencies = [nudge_slider(page, explorer, key, where) for key in ["ArrowRight", "ArrowLeft"] * 3]
        else:  # lesson 08's digit grid has no slider: click its cells (each click paints or clears one)
            latencies = [click_cell(page, explorer, cell, where) for cell in [27, 28, 27, 28, 36, 36]]
        LATENCIES[where] = (statistics.median(latencies), max(latencies))
        warning = explorer.locator(".widget-html-content").first.inner_text()
        assert "⚠" not in warning, f"{where}: after a slider move it says: {warning}"
        SHOTS.mkdir(exist_ok=True)
        explorer.screenshot(path=str(SHOTS / f"{lesson}-explorer{i + 1}.png"))  # the page shot may end before it
        if explorer.locator(".widget-toggle-button", has_text="play").count():
            play_and_pause(page, explorer, where, SHOTS / f"{lesson}-dashboard.png")

    SHOTS.mkdir(exist_ok=True)
    screenshot(page, SHOTS / f"{lesson}.png")


def nudge_slider(page, explorer, key, where):
    """Press an arrow key on the explorer's first slider; return ms until its picture changed (<= 1 s)."""
    image = explorer.locator(PICTURE).first
    before = image.get_attribute("src")
    handle = explorer.locator(".noUi-handle, .ui-slider-handle").first  # ipywidgets 8, 7
    handle.scroll_into_view_if_needed()
    handle.focus()
    start = time.perf_counter()
    page.keyboard.press(key)
    try:
        # an Output swaps in a new <img> (an Image changes its src), so look it up afresh each time
        page.wait_for_function("([root, before]) => { const img = root.querySelector('%s');"
                               " return img && img.src !== before; }" % PICTURE,
                               arg=[explorer.element_handle(), before], timeout=1000)
    except Exception:
        message = explorer.locator(".widget-html-content").first.inner_text()
        pytest.fail(f"{where}: pressed {key} on its slider, but the picture did not change within 1 s. "
                    f"Its message line says: {message!r}")
    return 1000 * (time.perf_counter() - start)


# Clicks button n inside the page and resolves with the ms from the click event to a new picture (-1: none in 1 s).
CLICK_JS = """([root, n]) => new Promise(resolve => {
  const before = (root.querySelector('%s') || {}).src;
  const observer = new MutationObserver(() => {
    const img = root.querySelector('%s');
    if (img && img.src !== before) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(root, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { observer.disconnect(); resolve(-1); }, 1000);
  const start = performance.now();
  root.querySelectorAll('.widget-button')[n].click();
})""" % (PICTURE, PICTURE)


def click_cell(page, explorer, cell, where):
    """Click button number `cell` of the explorer (the digit grid's cells come first); ms until its picture changed.

    Timed inside the page, from the click event to the new image, like the learner sees it (a Playwright click
    would add its own checks that the button is visible and still)."""
    explorer.locator(".widget-button").nth(cell).scroll_into_view_if_needed()
    ms = page.evaluate(CLICK_JS, [explorer.element_handle(), cell])
    if ms < 0:
        message = explorer.locator(".widget-html-content").first.inner_text()
        pytest.fail(f"{where}: clicked button {cell}, but the picture did not change within 1 s. "
                    f"Its message line says: {message!r}")
    return ms


def play_and_pause(page, explorer, where, shot, seconds=3.0):
    """The dashboard: press play, watch the picture for a few seconds, press pause; the epoch counter must have
    advanced, the picture must have changed many times, and it must stand still soon after the pause. Returns the
    picture's last src."""
    message = explorer.locator(".widget-html-content").first
    image = explorer.locator(PICTURE).first
    toggle = explorer.locator(".widget-toggle-button").first

    def epoch():
        found = re.search(r"epoch (\d+)", message.inner_text())
        return int(found.group(1)) if found else None

    epoch_before = epoch()
    # count every new picture in the page itself (polling from here would miss frames closer than a poll)
    explorer.evaluate("""(root) => { root.__frames = 0; let last = null;
        root.__watch = new MutationObserver(() => {
          const img = root.querySelector('%s');
          const key = img && img.src.length + img.src.slice(-48);
          if (key && key !== last) { last = key; root.__frames += 1; } });
        root.__watch.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']}); }"""
                      % PICTURE)
    toggle.scroll_into_view_if_needed()
    toggle.click()
    time.sleep(seconds)
    frames = explorer.evaluate("(root) => { root.__watch.disconnect(); return root.__frames; }")
    toggle.click()  # pause
    start = time.perf_counter()
    page.wait_for_function("(el) => el.innerText.includes('play')", arg=toggle.element_handle(), timeout=2000)
    paused_ms = 1000 * (time.perf_counter() - start)
    time.sleep(0.3)
    still = image.get_attribute("src")
    time.sleep(1.0)
    assert image.get_attribute("src") == still, f"{where}: the picture still changes 1.3 s after pause"
    epoch_after = epoch()
    assert epoch_before is not None and epoch_after is not None, f"{where}: no epoch counter in {message.inner_text()!r}"
    assert epoch_after > epoch_before, f"{where}: epoch {epoch_before} → {epoch_after} after {seconds} s of play"
    assert frames >= 10, f"{where}: only {frames} different pictures in {seconds} s of play"
    assert "⚠" not in message.inner_text(), f"{where}: after play and pause it says: {message.inner_text()}"
    PLAYS[where] = (epoch_before, epoch_after, frames / seconds, (epoch_after - epoch_before) / seconds, paused_ms)
    explorer.screenshot(path=str(shot))  # after training
    return still


def test_default_dashboard_plays_in_the_browser(jupyter_server, browser):
    """dashboard() with no arguments, played for 5 s in a notebook of its own (lesson 06 shows one hidden layer)."""
    name = "default_dashboard"  # written into the server's copy of notebooks/, never into the repository
    cells = [nbformat.v4.new_code_cell("import nnlab\nnnlab.setup()"), nbformat.v4.new_code_cell("nnlab.widgets.dashboard()")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, jupyter_server["root"] / f"{name}.ipynb")
    with opened(jupyter_server, browser, name) as page:
        run_all(page)
        failed = [c for c in page.evaluate(REPORT_JS, NOTEBOOK)["cells"] if c["error"]]
        assert not failed, f"{name}: {describe(name, failed[0])} raised:\n{failed[0]['error']}"
        dashboard = with_pictures(page)
        assert dashboard.count() == 1, f"{name}: {dashboard.count()} dashboards rendered"
        assert "widths" in dashboard.inner_text()  # the dashboard, not some other picture
        SHOTS.mkdir(exist_ok=True)
        play_and_pause(page, dashboard, "dashboard() as it comes: spiral, 16 + 16", SHOTS / f"{name}.png", seconds=5.0)


def screenshot(page, path: Path):
    """JupyterLab scrolls inside a fixed-size app: grow the viewport to the notebook's height first."""
    scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    height = page.evaluate(f"() => document.querySelector('{scroller}').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(16000, height + 200)})
    page.evaluate(f"() => document.querySelector('{scroller}').scrollTop = 0")
    time.sleep(0.5)
    page.screenshot(path=str(path))
