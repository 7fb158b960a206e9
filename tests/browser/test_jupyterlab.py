"""The student notebooks as a student meets them: JupyterLab 4 in Chromium, *Run → Run All Cells*.

A real JupyterLab server is started on a free port with a copy of ``chapters/`` and ``cases/``;
Playwright drives the Debian ``chromium`` (launched by its ``executable_path``: Playwright's own
browser download needs the internet).  For every student notebook, with every exercise unanswered,
Run All must reach the last cell; every error shown must be a test cell's one-line "not answered
yet"; Chinese text must render with a CJK font (not missing-glyph boxes).  A screenshot of each
notebook is kept in ``build/screenshots/`` to look at.

Without chromium or Playwright the tests skip with what to install; with ``CI`` set they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from coursekit.course.notebooks import repo_root

ROOT = repo_root()
SHOTS = ROOT / "build" / "screenshots"
#: The notebook ``make lab`` opens (the Makefile's CHAPTER1), and how it opens it.
CHAPTER1 = re.search(r"^CHAPTER1 := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
#: Every student notebook, the Chinese edition's included (issue 15).
STUDENT_FOLDERS = ("chapters", "cases", "chapters-zh", "cases-zh")
STUDENT_NOTEBOOKS = sorted(p for folder in STUDENT_FOLDERS for p in ROOT.glob(f"{folder}/*.ipynb"))


def _explorer_cells(path: Path) -> list[int]:
    """Indices of the code cells that show an explorer (their last line calls ``…_explorer(…)``)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "".join(c["source"]).strip()
            and re.search(r"_explorer\(", "".join(c["source"]).strip().splitlines()[-1])]


#: How many explorers each student notebook shows.
EXPLORERS = {f"{p.parent.name}/{p.name}": len(_explorer_cells(p)) for p in STUDENT_NOTEBOOKS}
RUN_ALL_TIMEOUT = 120  # seconds for one notebook's Run All in the browser (the slowest takes about 6)

pytestmark = pytest.mark.slow


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and the browser tests cannot run: {what}")
    pytest.skip(f"browser tests need {what}")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    _missing("Debian's chromium (apt install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _running_lab(root: Path, *, default_url: str, locale: str | None = None):
    """A JupyterLab server over ``root`` (as ``make lab`` or, with ``locale``, ``make lab-zh`` starts it)."""
    port, token = _free_port(), secrets.token_hex(16)
    settings = root / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news pop-up
    if locale:  # what `make lab-zh` copies into its settings folder
        translation = root / ".settings" / "@jupyterlab" / "translation-extension"
        translation.mkdir(parents=True)
        shutil.copy(ROOT / "jupyter" / "lab-zh" / "translation.json", translation / "plugin.jupyterlab-settings")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTERLAB_WORKSPACES_DIR": str(root / ".ws"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"), "COURSEKIT_DATA": str(ROOT / "datasets"),
           # as `make lab` starts it for a student: without nbgrader's menus
           "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter" / "student")}
    overrides = Path(sys.prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    if not overrides.exists():
        pytest.fail(f"{overrides} is missing: `make` installs the course's JupyterLab settings there")
    log = open(root / "lab.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         f"--LabApp.default_url=/lab/tree/{default_url}",  # as `make lab` starts it
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.expose_app_in_browser=True",  # the deck tests step through slides with the app's commands
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
    try:
        yield {"base": base, "token": token, "root": root}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a copy of the student notebooks; yields (base url, token)."""
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python (pip install playwright; it is in the dev extra)")
    root = tmp_path_factory.mktemp("lab")
    for folder in STUDENT_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder)
    with _running_lab(root, default_url=CHAPTER1) as running, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield {**running, "browser": browser}
        browser.close()


def _shutdown_kernels(lab) -> None:
    request = urllib.request.Request(f"{lab['base']}/api/kernels?token={lab['token']}")
    for kernel in json.load(urllib.request.urlopen(request, timeout=10)):
        delete = urllib.request.Request(f"{lab['base']}/api/kernels/{kernel['id']}?token={lab['token']}",
                                        method="DELETE")
        try:
            urllib.request.urlopen(delete, timeout=10)
        except urllib.error.HTTPError:  # already shutting down with its page
            pass


_WIDGETS_AS_TEXT = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output pre'))
                   .map(e => e.textContent.trim()).filter(t => /^(HBox|VBox|interactive)\\(children=/.test(t))"""
_ERRORS = """() => Array.from(document.querySelectorAll(
                   '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                   .map(e => e.textContent.trim())"""


#: Every explorer on the page (a widget box holding an image): its picture, whether each slider's label is cut
#: short and whether each value readout and handle lies inside the notebook's visible width.
_EXPLORERS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').getBoundingClientRect();
  const inside = (e) => { const r = e.getBoundingClientRect();
                          return r.width > 0 && r.left >= panel.left - 1 && r.right <= panel.right + 1; };
  return Array.from(document.querySelectorAll('.jp-OutputArea-output > .widget-hbox'))
    .filter(h => h.querySelector('.widget-image'))
    .map(h => ({
      picture: h.querySelector('.widget-image').naturalWidth,
      pictureInside: inside(h.querySelector('.widget-image')),
      cut: Array.from(h.querySelectorAll('.widget-slider .widget-label'))
             .filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent),
      hidden: Array.from(h.querySelectorAll('.widget-slider')).filter(sl =>
             !inside(sl.querySelector('.widget-readout')) || !inside(sl.querySelector('.noUi-handle')))
             .map(sl => sl.querySelector('.widget-label').textContent),
    }));
}"""


def _file_browser_open(page) -> None:
    """Show the file browser beside the notebook, as a student working through the course has it."""
    if not page.locator("#filebrowser").is_visible():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']").click()
    page.locator("#filebrowser").wait_for(state="visible", timeout=10_000)


def _slider_delay(page, explorer) -> float:
    """Seconds from one arrow-key step of the explorer's first slider to a new picture (5 s at most)."""
    image = explorer.locator(".widget-image").first
    before = image.get_attribute("src")
    explorer.locator(".widget-slider .noUi-handle").first.focus()
    started = time.monotonic()
    page.keyboard.press("ArrowRight")
    while image.get_attribute("src") == before and time.monotonic() - started < 5:
        page.wait_for_timeout(10)
    return time.monotonic() - started if image.get_attribute("src") != before else float("inf")


def _save_and_read(page, path: Path) -> dict:
    """Save the open notebook from the page, then read it from disk as JSON.

    The save is awaited (``docmanager:save`` resolves once the server has written the file), and a file that
    does not parse is read again: jupyter_server writes a notebook in place after copying it aside, so a read
    that meets a save in progress (JupyterLab's autosave can start one at any moment) sees a truncated file.
    """
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    for _ in range(20):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            page.wait_for_timeout(250)
    return json.loads(path.read_text(encoding="utf-8"))  # still not whole after 5 s: let the error show


def run_all(page) -> None:
    """Run → Run All Cells, from the menu bar."""
    page.get_by_role("menuitem", name="Run", exact=True).click(timeout=10_000)
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click(timeout=10_000)


@pytest.mark.parametrize("notebook", STUDENT_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_run_all_reaches_the_end(lab, notebook):
    rel = f"{notebook.parent.name}/{notebook.name}"
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{notebook.parent.name}-{notebook.stem}.png"
    try:
        page.goto(f"{lab['base']}/lab/tree/{rel}?token={lab['token']}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # the kernel connected and idle (Run All before that moves the cursor and runs nothing)
        page.get_by_text("Python 3 (coursekit) | Idle").wait_for(timeout=90_000)
        _file_browser_open(page)
        start = clicked = time.monotonic()
        run_all(page)
        while True:  # the notebook as the browser holds it: saved from the page, read from disk
            page.wait_for_timeout(1000)
            cells = [c for c in _save_and_read(page, lab["root"] / rel)["cells"] if c["cell_type"] == "code"]
            not_run = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
            if not not_run and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count():
                break
            if len(not_run) == len(cells) and time.monotonic() - clicked > 20:  # the click came too early
                clicked = time.monotonic()
                run_all(page)
            if time.monotonic() - start > RUN_ALL_TIMEOUT:
                pytest.fail(f"Run All stopped: {len(not_run)} of {len(cells)} code cells did not run")
        seconds = time.monotonic() - start
        errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        unexpected = [f"{o['ename']}: {o['evalue'][:200]}" for o in errors if o["ename"] != "NotAnswered"]
        assert not unexpected, f"unexpected error output in {rel}: {unexpected[:3]}"
        shown = page.evaluate(_ERRORS)
        # the message of an unanswered exercise, in the notebook's language (the package's catalogue)
        prefix = "✗ 尚未作答" if notebook.parent.name.endswith("-zh") else "✗ not answered yet"
        assert all(text.startswith(prefix) for text in shown), shown[:3]
        as_text = page.evaluate(_WIDGETS_AS_TEXT)
        assert not as_text, f"an explorer is shown as text, not as a widget, in {rel}: {as_text[:1]}"
        widgets = page.locator(".jp-OutputArea-output .widget-slider, .jp-OutputArea-output .jupyter-widgets").count()
        # Each explorer, scrolled to, at 1366 x 768 with the file browser open: picture drawn, no label cut
        # short, every readout and handle inside the notebook; then one slider step redraws the picture.
        boxes = page.locator(".jp-OutputArea-output > .widget-hbox").filter(has=page.locator(".widget-image"))
        assert boxes.count() == EXPLORERS[rel], f"{rel}: {boxes.count()} explorers shown, {EXPLORERS[rel]} expected"
        delays = []
        for k in range(boxes.count()):
            boxes.nth(k).scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            seen = page.evaluate(_EXPLORERS)[k]
            assert seen["picture"] > 0, f"{rel}: explorer {k + 1} shows no picture"
            assert not seen["cut"], f"{rel}: explorer {k + 1} cuts these labels short: {seen['cut']}"
            assert not seen["hidden"], f"{rel}: explorer {k + 1} hides the readout or handle of {seen['hidden']}"
            assert seen["pictureInside"], f"{rel}: explorer {k + 1}'s picture runs past the notebook's edge"
            page.screenshot(path=str(shot.with_name(f"{shot.stem}-explorer{k + 1}.png")))
            delays.append(_slider_delay(page, boxes.nth(k)))
            assert delays[-1] < 5, f"{rel}: explorer {k + 1} did not redraw within 5 s of a slider step"
        first = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').first
        if errors:  # what a student sees at an unanswered exercise
            first.scroll_into_view_if_needed()
            page.wait_for_timeout(800)  # let the notebook paint the cells scrolled to
            page.screenshot(path=str(shot.with_name(shot.stem + "-exercise.png")))
        print(f"{rel}: Run All {seconds:.1f} s, {len(cells)} code cells, {len(errors)} 'not answered yet', "
              f"{widgets} widget elements, slider step to new picture "
              f"{', '.join(f'{d * 1000:.0f} ms' for d in delays) or '(no explorer)'}")
    finally:
        page.screenshot(path=str(shot), full_page=False)
        page.close()
        _shutdown_kernels(lab)


def test_chinese_renders_with_a_cjk_font(lab):
    """A CJK character must be drawn by a font that has it, not as the missing-glyph box."""
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{lab['base']}/lab/tree/chapters/01_why_retention_matters.ipynb?token={lab['token']}&reset")
        # the cells appear before their markdown is rendered: wait for the rendered text itself
        page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown", timeout=60_000)
        widths = page.evaluate("""() => {
            const c = document.createElement('canvas').getContext('2d');
            const font = getComputedStyle(document.querySelector('.jp-RenderedMarkdown')).fontFamily;
            c.font = '32px ' + font;
            // two different CJK characters: same width with a CJK font; a missing-glyph box is drawn the same
            // for both, so compare their pixels instead of their widths
            const draw = (ch) => { c.clearRect(0, 0, 64, 64); c.fillText(ch, 0, 40);
                                   return Array.from(c.getImageData(0, 0, 64, 64).data).join(','); };
            return [draw('客'), draw('户'), draw('\\uFFFF')];
        }""")
        assert widths[0] != widths[1], "客 and 户 are drawn alike: Chinese renders as missing-glyph boxes"
        assert widths[0] != widths[2], "客 is drawn like a missing glyph"
    finally:
        page.close()
        _shutdown_kernels(lab)


def test_the_lab_opens_on_chapter_one(lab):
    """``make lab`` opens Chapter 1, not the Launcher (the server's default URL is the notebook)."""
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{lab['base']}/?token={lab['token']}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "make-lab.png"))
        assert page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel").first.inner_text() == Path(
            CHAPTER1).name
        assert page.locator(".jp-Launcher").count() == 0
        # a student's lab: nbgrader's teacher menu and sidebars are not there (`make lab-teacher` has them)
        menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
        assert "Run" in menus and "Nbgrader" not in menus, menus
    finally:
        page.close()
        _shutdown_kernels(lab)


def _deck_to_cell(page, index: int) -> None:
    """Present the open notebook as slides (jupyterlab-slideshow) from the slide that holds cell ``index``."""
    page.evaluate("(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }", index)
    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")


def _run_all_and_wait(page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    indicator = ".jp-Notebook-ExecutionIndicator[data-status='{}']"
    page.locator(indicator.format("busy")).wait_for(timeout=30_000, state="attached")
    page.locator(indicator.format("idle")).wait_for(timeout=120_000, state="attached")


_ON_SCREEN = """(i) => {
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
  return Array.from(cell.querySelectorAll('.widget-slider, .widget-image')).every(e => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.width > 0 && r.bottom <= innerHeight && hit !== null && e.contains(hit);
  });
}"""


@pytest.mark.parametrize("notebook", [p for p in STUDENT_NOTEBOOKS if _explorer_cells(p)],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_explorers_work_on_their_slides(lab, notebook):
    """A teacher lecturing: Run All, start the deck; each explorer's slide shows its sliders and picture, live."""
    rel = f"{notebook.parent.name}/{notebook.name}"
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{lab['base']}/lab/tree/{rel}?token={lab['token']}&reset")
        page.get_by_text("Python 3 (coursekit) | Idle").wait_for(timeout=90_000)
        _run_all_and_wait(page)
        for k, index in enumerate(_explorer_cells(notebook)):
            _deck_to_cell(page, index)
            cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
            cell.locator(".widget-slider .noUi-handle").first.wait_for(state="visible", timeout=10_000)
            page.wait_for_timeout(500)
            shown = page.evaluate(_ON_SCREEN, index)
            page.screenshot(path=str(SHOTS / f"slides-{notebook.parent.name}-{notebook.stem}-{k + 1}.png"))
            assert shown, f"{rel}: explorer {k + 1}'s slide does not show all its sliders and its picture"
            delay = _slider_delay(page, cell)
            assert delay < 5, f"{rel}: explorer {k + 1} did not redraw on its slide within 5 s of a slider step"
            print(f"{rel}: explorer {k + 1} on its slide, slider step to new picture {delay * 1000:.0f} ms")
            page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    finally:
        page.close()
        _shutdown_kernels(lab)


def test_a_saved_explorer_reopens_without_an_error(lab):
    """Run, save, close and reopen Chapter 1: the explorers come back from the widget state saved with it."""
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{lab['base']}/lab/tree/{CHAPTER1}?token={lab['token']}&reset")
        page.get_by_text("Python 3 (coursekit) | Idle").wait_for(timeout=90_000)
        _run_all_and_wait(page)
        saved = _save_and_read(page, lab["root"] / CHAPTER1)
    finally:
        page.close()
        _shutdown_kernels(lab)
    assert "application/vnd.jupyter.widget-state+json" in saved["metadata"].get("widgets", {}), (
        "the widget state was not saved with the notebook (jupyter/lab/settings/overrides.json: saveState)")
    page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{lab['base']}/lab/tree/{CHAPTER1}?token={lab['token']}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        boxes = page.locator(".jp-OutputArea-output > .widget-hbox").filter(has=page.locator(".widget-image"))
        boxes.first.wait_for(state="attached", timeout=30_000)
        for k in range(boxes.count()):
            boxes.nth(k).scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "reopened-chapter1.png"))
        assert page.get_by_text("model not found").count() == 0, "a reopened explorer says 'model not found'"
        assert boxes.count() == EXPLORERS[CHAPTER1]
    finally:
        page.close()
        _shutdown_kernels(lab)


def test_make_lab_zh_shows_jupyterlab_in_chinese(lab, tmp_path):
    """``make lab-zh``: the language pack and the setting it copies give JupyterLab's menus in Chinese."""
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "jupyter/lab-zh/translation.json" in make and "translation-extension/plugin.jupyterlab-settings" in make
    folder = next((f for f in ("cases-zh", "chapters-zh") if (ROOT / f).is_dir()), None)
    assert folder, "no Chinese student notebooks: run `make release`"
    shutil.copytree(ROOT / folder, tmp_path / folder)
    with _running_lab(tmp_path, default_url=folder, locale="zh_CN") as running:
        page = lab["browser"].new_page(viewport={"width": 1366, "height": 768})
        try:
            page.goto(f"{running['base']}/lab/tree/{folder}?token={running['token']}")
            page.wait_for_selector("#jp-menu-panel .lm-MenuBar-itemLabel", timeout=60_000)
            menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "make-lab-zh.png"))
            assert "文件" in menus and "运行" in menus, menus
        finally:
            page.close()
