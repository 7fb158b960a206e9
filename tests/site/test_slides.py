"""``coursekit slides``: the vendored npm packages, the decks built from the student notebooks, and the decks
in Chromium with every request that leaves the machine aborted.

The decks are the ones ``make slides`` wrote (``make test`` builds them first) when they are newer than everything
they are built from, else they are built once per module into a temporary folder (about 20 s): a stale or
missing build cannot make the tests pass.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
import tarfile
import urllib.request

import pytest

from coursekit.course import notebooks, slides, vendor, webfont
from coursekit.course.notebooks import repo_root
from tests.site.harness import fonts_drawing_chinese, offline_browser, offline_page, serving
from tests.site.published import current_build, page_text, teacher_only

ROOT = repo_root()
SHOTS = ROOT / "build" / "screenshots"
STUDENT_NOTEBOOKS = [p for folder in notebooks.ASSIGNMENTS for p in sorted((ROOT / folder).glob("*.ipynb"))]
#: An external URL a page would load: in a src/href attribute, a CSS url() or @import, or a script's string.
EXTERNAL_ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
EXTERNAL_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//""", re.I)
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
URL_STRING = re.compile(r"""(["'`])\s*(?:https?:)?//[^"'`\s]*\1""")


# ----------------------------------------------------------------------------------------------- vendor.py

def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def no_network(monkeypatch):
    """Fail any download: the vendor tests run from a cache prepared by the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"the test tried the network: {args[:1]}")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.fixture
def fake_package(monkeypatch, tmp_path):
    """A pinned package ``fake-lib`` whose tarball is already in a cache folder; returns the cache."""
    data = _tarball({"dist/lib.js": b"var lib = 1;", "dist/extra/a.css": b"a {}", "dist/extra/skip/b.css": b"b {}",
                     "README.md": b"# fake"})
    monkeypatch.setitem(vendor.PACKAGES, "fake-lib", vendor.Package(
        "1.0.0", _integrity(data), ("dist/lib.js", "dist/extra/"), ("dist/extra/skip/",)))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "fake-lib-1.0.0.tgz").write_bytes(data)
    return cache


def test_every_pinned_package_has_a_version_and_a_sha512():
    for name, package in vendor.PACKAGES.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", package.version), name
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", package.integrity), name
        assert package.include, name
    assert vendor.PACKAGES["mathjax"].version.startswith("2."), "nbconvert's mathjax macro calls the MathJax 2 API"
    assert vendor.PACKAGES["reveal.js"].version.startswith("4."), "nbconvert's reveal template is for reveal.js 4"


@pytest.mark.parametrize("call, error, words", [
    (lambda: vendor.tarball_url("left-pad"), ValueError, "name must be one of the pinned packages"),
    (lambda: vendor.tarball_url(3), TypeError, "name must be the name of an npm package"),
    (lambda: vendor.check_integrity("text", _integrity(b"")), TypeError, "data must be bytes"),
    (lambda: vendor.check_integrity(b"", "md5-abc"), ValueError, "integrity must be an npm sha512"),
    (lambda: vendor.fetch_tarball("jquery", cache=5), TypeError, "cache must be a folder"),
    (lambda: vendor.fetch_tarball("jquery", timeout=0), ValueError, "timeout must be a positive number"),
    (lambda: vendor.vendor([], "out"), TypeError, "names must be a package name or a non-empty list"),
    (lambda: vendor.vendor(["jquery", "nope"], "out"), ValueError, "got 'nope'"),
    (lambda: vendor.vendor("jquery", None), TypeError, "dest must be a folder"),
])
def test_bad_arguments_are_refused(call, error, words, no_network):
    with pytest.raises(error, match=re.escape(words)):
        call()


def test_a_cached_tarball_is_reused_and_only_the_listed_files_are_extracted(fake_package, no_network, tmp_path):
    (folder,) = vendor.vendor("fake-lib", tmp_path / "out", cache=fake_package)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["dist/extra/a.css", "dist/lib.js"]
    assert (folder / "dist" / "lib.js").read_bytes() == b"var lib = 1;"


def test_an_integrity_mismatch_raises(fake_package, monkeypatch, tmp_path):
    tampered = _tarball({"dist/lib.js": b"steal(document.cookie);"})
    (fake_package / "fake-lib-1.0.0.tgz").write_bytes(tampered)
    # the registry (faked: no network) serves the same tampered tarball
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: io.BytesIO(tampered))
    with pytest.raises(ValueError, match="integrity mismatch"):
        vendor.vendor("fake-lib", tmp_path / "out", cache=fake_package)
    assert not (tmp_path / "out" / "fake-lib").exists()
    assert not (fake_package / "fake-lib-1.0.0.tgz").exists(), "a cached tarball with the wrong hash is dropped"


def test_a_listed_file_missing_from_the_tarball_raises(fake_package, no_network, monkeypatch, tmp_path):
    package = vendor.PACKAGES["fake-lib"]
    monkeypatch.setitem(vendor.PACKAGES, "fake-lib", package._replace(include=(*package.include, "dist/gone.js")))
    with pytest.raises(ValueError, match="dist/gone.js"):
        vendor.vendor("fake-lib", tmp_path / "out", cache=fake_package)


# ------------------------------------------------------------------------------------------------ the decks

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The decks of every student notebook (``build/slides`` if current, else built now) and the pages there, in
    the order :func:`slides.build_slides` returns them."""
    out = current_build(ROOT / "build" / "slides", slides.build_slides, tmp_path_factory.mktemp("slides"))
    decks = [slides.deck_path(out, p.relative_to(ROOT)) for p in STUDENT_NOTEBOOKS]
    return out, [path for path in (*decks, out / "index.html") if path.is_file()]


def test_build_slides_refuses_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="root must be a folder"):
        slides.build_slides(tmp_path, root=1.5)
    with pytest.raises(ValueError, match="root must hold student notebooks"):
        slides.build_slides(tmp_path / "out", root=tmp_path)
    with pytest.raises(ValueError, match="student_path must be a notebook in one of"):
        slides.deck_path(tmp_path, ROOT / "docs" / "notes.ipynb")
    with pytest.raises(ValueError, match="student_path must be a notebook in one of"):
        slides.deck_path(tmp_path, ROOT / "cases" / "README.md")
    with pytest.raises(TypeError, match="out must be a folder"):
        slides.deck_path(None, ROOT / "cases" / "02_leaky_bucket.ipynb")


def test_every_student_notebook_has_a_deck_in_its_language(built):
    out, pages = built
    assert STUDENT_NOTEBOOKS
    expected = [slides.deck_path(out, p.relative_to(ROOT)) for p in STUDENT_NOTEBOOKS]
    assert pages == [*expected, out / "index.html"]
    for student, deck in zip(STUDENT_NOTEBOOKS, expected):
        language = "zh-CN" if student.parent.name.endswith("-zh") else "en"
        text = deck.read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in text, deck
        title = json.loads(student.read_text(encoding="utf-8"))["metadata"]["title"]
        assert f"<title>{html.escape(title, quote=False)}" in text, deck
        assert 'class="reveal"' in text and "<section" in text, deck


def test_the_index_lists_every_deck_with_its_title_and_language(built):
    out, pages = built
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<section lang="en">' in index and '<section lang="zh-CN">' in index
    zh_section = index.split('<section lang="zh-CN">')[1]
    for student, deck in zip(STUDENT_NOTEBOOKS, pages):
        title = json.loads(student.read_text(encoding="utf-8"))["metadata"]["title"]
        link = f'<a href="{deck.relative_to(out).as_posix()}">{html.escape(title)}</a>'
        assert link in index
        assert (link in zh_section) == student.parent.name.endswith("-zh")


def test_the_vendored_files_and_the_font_are_there(built):
    out, _ = built
    for path in ("reveal.js/dist/reveal.js", "reveal.js/dist/theme/white.css", "reveal.js/plugin/notes/notes.js",
                 "mathjax/MathJax.js", "mathjax/config/TeX-AMS_CHTML-full.js", "requirejs/require.js",
                 "jquery/dist/jquery.min.js", f"fonts/{webfont.CSS_FILE}", f"fonts/{webfont.FONT_FILE}"):
        assert (out / "vendor" / path).is_file(), path
    assert webfont.FONT_FAMILY in (out / "vendor" / "fonts" / webfont.CSS_FILE).read_text(encoding="utf-8")


def _external_loads(text: str) -> list[str]:
    found = [m.group(0) for m in EXTERNAL_ATTRIBUTE.finditer(text)]
    found += [m.group(0) for m in EXTERNAL_CSS.finditer(text)]
    for script in SCRIPT.finditer(text):
        found += [m.group(0) for m in URL_STRING.finditer(script.group(1))]
    return found


def test_the_external_url_check_finds_what_it_should():
    assert _external_loads('<script src="https://cdn.example/x.js"></script>')
    assert _external_loads("<link rel=stylesheet href=//cdn.example/x.css>")
    assert _external_loads("<style>@import url(https://fonts.example/css);</style>")
    assert _external_loads("<script type=module>import m from 'https://cdn.example/m.mjs';</script>")
    assert not _external_loads('<script>// see https://example.org/docs\nvar a = "../x.js";</script>')


def test_no_deck_loads_anything_from_another_host(built):
    out, pages = built
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not _external_loads(text), (page, _external_loads(text))
        assert "mermaid" not in text and "unpkg.com" not in text and "cdnjs" not in text, page
    css = (out / "vendor" / "reveal.js" / "dist" / "theme" / "white.css").read_text(encoding="utf-8")
    assert not _external_loads(css), "the reveal theme imports a web font from another host"


@pytest.mark.parametrize("student", STUDENT_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_deck_shows_solutions_hidden_tests_or_teaching_notes(built, student):
    out, _ = built
    text = slides.deck_path(out, student.relative_to(ROOT)).read_text(encoding="utf-8")
    for marker in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "BEGIN HIDDEN TESTS", notebooks.INSTRUCTOR_ONLY):
        assert marker not in text
    visible = page_text(text)
    leaked = [line for line in teacher_only(ROOT / "solutions" / student.parent.name / student.name)
              if re.sub(r"\s+", " ", line) in visible]
    assert not leaked, f"teacher-only text in the deck of {student.relative_to(ROOT)}: {leaked[:3]}"


# ------------------------------------------------------------------------------------------- in the browser

def _open_deck(browser, url):
    page, external = offline_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=30_000)
    return page, external


@pytest.mark.slow
@pytest.mark.parametrize("language, folder", [("en", "chapters"), ("zh-CN", "chapters-zh")])
def test_a_deck_works_offline(built, language, folder):
    out, _ = built
    student = ROOT / folder / "01_why_retention_matters.ipynb"
    deck = slides.deck_path(out, student.relative_to(ROOT)).relative_to(out).as_posix()
    with serving(out) as base, offline_browser() as browser:
        page, external = _open_deck(browser, base + deck)
        assert page.evaluate("document.documentElement.lang") == language
        before = page.evaluate("Reveal.getIndices()")
        page.evaluate("Reveal.next()")
        assert page.evaluate("Reveal.getIndices()") != before, "Reveal.next() did not advance the deck"
        page.keyboard.press("ArrowRight")
        # MathJax (the vendored one) typesets the whole deck; go to the first slide with maths
        page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.isReady", timeout=30_000)
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        assert page.evaluate("MathJax.version").startswith("2.")
        indices = page.evaluate("""() => {
            const maths = document.querySelector('.reveal .slides section .MathJax_CHTML, .reveal .slides section .mjx-chtml');
            if (!maths) return null;
            let section = maths.closest('section');
            Reveal.slide(...Object.values(Reveal.getIndices(section)).slice(0, 2));
            return Reveal.getIndices();
        }""")
        assert indices is not None, "MathJax typeset no maths (no .MathJax_CHTML/.mjx-chtml element)"
        assert page.evaluate("document.querySelector('.reveal .slides section.present .mjx-chtml') !== null")
        assert page.evaluate("document.querySelectorAll('.MathJax_Error, .mjx-merror').length") == 0
        page.wait_for_timeout(800)  # the slide transition; the deck re-renders the slide's maths on arrival
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        # every formula of the slide typeset (MathJax puts its rendering, id '<script id>-Frame', before it), and no
        # preview left beside it: nbconvert's own settings left the TeX preview above the formula on a busy machine
        shown = page.evaluate("""() => {
            const slide = document.querySelector('.reveal .slides section.present');
            const scripts = Array.from(slide.querySelectorAll('script[type^="math/tex"]'));
            return {formulas: scripts.length,
                    untypeset: scripts.filter(s => !document.getElementById(s.id + '-Frame')).length,
                    previews: Array.from(slide.querySelectorAll('.MathJax_Preview')).map(e => e.innerText.trim())
                                  .filter(t => t).map(t => t.slice(0, 80))}; }""")
        assert shown["formulas"] > 0 and shown["untypeset"] == 0, f"maths not typeset on the slide: {shown}"
        assert not shown["previews"], f"a formula's preview (its TeX or a draft) left on the slide: {shown['previews']}"
        if language == "zh-CN":
            page.wait_for_function(
                """family => document.fonts.ready.then(() => Array.from(document.fonts).some(
                       f => f.family.replace(/["']/g, '') === family && f.status === 'loaded'))""",
                arg=webfont.FONT_FAMILY, timeout=30_000)
            family = page.evaluate("getComputedStyle(document.querySelector('.reveal .slides section.present "
                                   ".jp-RenderedHTMLCommon') || document.querySelector('.reveal')).fontFamily")
            assert webfont.FONT_FAMILY in family
            # Chinese words in a formula (§1.1's retention rate): MathJax's fallback family for characters its
            # fonts lack is serif unless the deck names the web font, and serif is boxes on a machine without one
            found = page.evaluate("""() => {
                const m = Array.from(document.querySelectorAll('.reveal .slides section .mjx-chtml'))
                               .find(e => e.textContent.includes('客户保持率'));
                if (!m) return false;
                Reveal.slide(...Object.values(Reveal.getIndices(m.closest('section'))).slice(0, 2));
                return true; }""")
            assert found, "the deck has no formula with Chinese words (§1.1's retention rate)"
            page.wait_for_timeout(800)
            fonts = fonts_drawing_chinese(page, ".reveal .slides section.present .mjx-chtml .mjx-char")
            assert fonts and all(served for _, served in fonts), f"Chinese in formulas drawn with: {fonts}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"slides-deck-{language}.png"))
        page.context.close()
        assert not external, f"requests that left the machine: {external}"


@pytest.mark.slow
def test_the_index_opens_offline_with_the_cjk_font(built):
    out, _ = built
    with serving(out) as base, offline_browser() as browser:
        page, external = offline_page(browser, viewport={"width": 1000, "height": 800})
        page.goto(base + "index.html")
        page.wait_for_function(
            """family => document.fonts.ready.then(() => Array.from(document.fonts).some(
                   f => f.family.replace(/["']/g, '') === family && f.status === 'loaded'))""",
            arg=webfont.FONT_FAMILY, timeout=30_000)
        links = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
        assert len(links) == len(STUDENT_NOTEBOOKS)
        assert all(link.startswith(base) for link in links)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "slides-index.png"), full_page=True)
        page.context.close()
        assert not external, f"requests that left the machine: {external}"
