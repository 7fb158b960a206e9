"""The browser set-up of the website's and slides' tests: the built folder served on localhost, Debian's
chromium driven by Playwright, and every request that leaves the machine aborted and recorded.

Students open the site on phones with no network and teachers project slides in rooms without one, so a
page that asks a CDN for a script, a font or MathJax is a failure even where the network would answer.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Hosts a page may ask: the local server only.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def missing(what: str):
    """Skip with what to install, or fail under CI (the browser tests never skip there)."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and the site's browser tests cannot run: {what}")
    pytest.skip(f"the site's browser tests need {what}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` as ``python -m http.server`` would (the README's way); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def offline_browser():
    """Debian's chromium, headless, launched by Playwright (whose own browser download needs the internet)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        missing("Debian's chromium (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python (pip install playwright; it is in the dev extra)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


def offline_page(browser, **context_options):
    """A new page whose every request to a host other than localhost is aborted and listed.

    Returns ``(page, external)``: ``external`` collects the URLs of the aborted requests, so a test asserts
    it stays empty.
    """
    context = browser.new_context(**context_options)
    external: list[str] = []

    def guard(route):
        url = route.request.url
        host = urllib.parse.urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    return page, external


_MARK_CJK = """selector => {
    let n = 0;
    for (const e of document.querySelectorAll(selector)) {
        if (/[\\u3000-\\u9fff]/.test(e.textContent)) { e.setAttribute('data-cjk-probe', ''); n += 1; }
    }
    return n;
}"""


def fonts_drawing_chinese(page, selector: str) -> list[tuple[str, bool]]:
    """The fonts Chromium drew the Chinese of the elements matching ``selector`` with, as (family, served).

    ``served`` is True for a web font the page loaded and False for a font of the machine.  Read from the
    DevTools protocol (``CSS.getPlatformFontsForNode``): what was drawn, not what the CSS asks for.  An element
    that is not laid out (a slide far from the current one) draws nothing and adds nothing.
    """
    if page.evaluate(_MARK_CJK, selector) == 0:
        return []
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeIds"]
        fonts = set()
        for node in nodes:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                if not font["familyName"].startswith("MathJax"):  # the maths' own glyphs (a space, a digit)
                    fonts.add((font["familyName"], font["isCustomFont"]))
        return sorted(fonts)
    finally:
        cdp.detach()
