"""Slide decks of every chapter and case, in both languages, that work offline (``coursekit slides``).

Each student notebook, as a student may see it (:func:`coursekit.course.student_view.student_view`), is
converted by nbconvert's reveal.js exporter, which reads the same slide metadata as RISE and
jupyterlab-slideshow (``cell.metadata.slideshow.slide_type``).  The decks load nothing from the internet:

* reveal.js, MathJax 2, require.js and jQuery are vendored from the npm registry
  (:mod:`coursekit.course.vendor`) into ``<out>/vendor/`` and linked by relative URLs, so the folder can
  be served from any path of any host;
* the template leaves out what nbconvert would load from a CDN that the decks do not use (mermaid, the
  widget renderer: an explorer is shown as its static picture);
* the Chinese text is set in the course's CJK web font (:mod:`coursekit.course.webfont`), written to
  ``<out>/vendor/fonts/`` with only the characters the decks use.

Layout of ``<out>``::

    index.html                                  every deck in both languages
    en/chapters/<name>.slides.html              en/cases/<name>.slides.html
    zh-CN/chapters/<name>.slides.html           zh-CN/cases/<name>.slides.html
    vendor/reveal.js/ vendor/mathjax/ vendor/requirejs/ vendor/jquery/ vendor/fonts/
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import jinja2
from nbconvert.exporters import SlidesExporter

from coursekit.course import notebooks, vendor, webfont
from coursekit.course.student_view import student_view
from coursekit.language import N_, translate

__all__ = ["DECK_FOLDERS", "LANGUAGE_NAMES", "deck_path", "build_slides"]

#: Student notebook folder → (language of its decks, folder of its decks under that language).
DECK_FOLDERS = {
    "chapters": ("en", "chapters"),
    "cases": ("en", "cases"),
    "chapters-zh": ("zh-CN", "chapters"),
    "cases-zh": ("zh-CN", "cases"),
}
#: The heading of each language's list on the index page, in that language.
LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}
#: The index page's headings, in each language through the package's catalogue.
_HEADINGS = {"chapters": N_("Chapters"), "cases": N_("Cases")}
#: Every deck sits two folders below ``<out>``; the vendored files are reached from there.
_VENDOR = "../../vendor"
#: The fonts of the reveal.js theme the decks use (``white``); the CJK web font comes first (it covers only the
#: CJK code points, so Latin text keeps the theme's fonts; after Helvetica, Chromium drew some Chinese as boxes).
_THEME_FONTS = '"Source Sans Pro", Helvetica'
_CODE_FONTS = 'Menlo, Consolas, "DejaVu Sans Mono"'

#: The deck template: nbconvert's ``reveal`` one, minus the CDN loads the decks do not need, plus the font.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_css %}
PRELOAD<link rel="stylesheet" href="VENDOR/fonts/CSS_FILE">
<style type="text/css">
:root:root {
  --r-main-font: FONTS;
  --r-heading-font: FONTS;
  --jp-ui-font-family: FONTS;
  --jp-content-font-family: FONTS;
  --jp-code-font-family: CODE;
}
/* headings as the notebook writes them (the white theme sets them in capitals) */
.reveal h1, .reveal h2, .reveal h3, .reveal h4, .reveal h5, .reveal h6 { text-transform: none !important; }
/* maths in a table cell as wide as it is: MathJax's automatic line breaks make it claim the whole row */
.reveal .jp-RenderedHTMLCommon td .mjx-full-width { width: auto !important; }
</style>
{% endblock html_head_css %}
{% block html_head_js_mathjax %}
<script src="{{ resources.mathjax_url }}"></script>
<script type="text/x-mathjax-config">
// nbconvert's settings, less two things that go wrong on a slow machine: its own Typeset call, queued while
// MathJax starts, races the one MathJax makes at start-up and can leave a formula's TeX source shown above
// the typeset formula; and previews (the TeX, then a quick draft) are not drawn at all
MathJax.Hub.Config({
  TeX: { equationNumbers: { autoNumber: "AMS", useLabelIds: true } },
  tex2jax: { inlineMath: [ ["$", "$"], ["\\\\(", "\\\\)"] ], displayMath: [ ["$$", "$$"], ["\\\\[", "\\\\]"] ],
             processEscapes: true, processEnvironments: true, preview: "none" },
  "fast-preview": { disabled: true },
  displayAlign: "center",
  messageStyle: "none",
  // a character MathJax's fonts lack (Chinese words in a formula) in the CJK web font, not in serif
  CommonHTML: { linebreaks: { automatic: true }, undefinedFamily: 'UNDEFINED' }
});
</script>
{% endblock html_head_js_mathjax %}
{% block footer_js %}
{{ super() }}
<script>
// the reveal.js loaded above through require.js, also as window.Reveal (for the console and the tests)
require(["VENDOR/reveal.js/dist/reveal.js"], function (Reveal) { window.Reveal = Reveal; });
</script>
{% endblock footer_js %}
"""
_TEMPLATE_NAME = "coursekit-slides.html.j2"


def deck_path(out: Path, student_path: Path) -> Path:
    """Where :func:`build_slides` writes the deck of a student notebook.

    >>> deck_path(Path("build/slides"), Path("cases-zh/02_leaky_bucket.ipynb")).as_posix()
    'build/slides/zh-CN/cases/02_leaky_bucket.slides.html'
    """
    for name, value in (("out", out), ("student_path", student_path)):
        if not isinstance(value, (str, Path)):
            raise TypeError(f"{name} must be a folder (str or Path), got {type(value).__name__}"
                            if name == "out" else f"{name} must be a path, got {type(value).__name__}")
    student_path = Path(student_path)
    if student_path.parent.name not in DECK_FOLDERS or student_path.suffix != ".ipynb":
        raise ValueError(f"student_path must be a notebook in one of {sorted(DECK_FOLDERS)}, got {str(student_path)!r}")
    language, folder = DECK_FOLDERS[student_path.parent.name]
    return Path(out) / language / folder / f"{student_path.stem}.slides.html"


def _exporter(language: str) -> SlidesExporter:
    fonts = f'"{webfont.FONT_FAMILY}", {_THEME_FONTS}, sans-serif'
    # a Chinese deck asks for the font at once, before its first layout, rather than when text needs it
    preload = (f'<link rel="preload" href="VENDOR/fonts/{webfont.FONT_FILE}" as="font" type="font/woff2" crossorigin>\n'
               if language == "zh-CN" else "")
    template = (_TEMPLATE.replace("PRELOAD", preload).replace("VENDOR", _VENDOR).replace("CSS_FILE", webfont.CSS_FILE)
                .replace("FONTS", fonts).replace("UNDEFINED", f'"{webfont.FONT_FAMILY}", serif')
                .replace("CODE", f'"{webfont.FONT_FAMILY}", {_CODE_FONTS}, monospace'))
    return SlidesExporter(
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: template})],
        template_file=_TEMPLATE_NAME,
        reveal_url_prefix=f"{_VENDOR}/reveal.js",
        reveal_theme="white",  # its fonts are in the package; "simple" loads Google Fonts
        reveal_scroll=True,  # a slide taller than the screen scrolls instead of being cut off
        exclude_input_prompt=True,  # no "In [ ]:" beside code that was not run in this deck
        exclude_output_prompt=True,
        require_js_url=f"{_VENDOR}/requirejs/require.js",
        jquery_url=f"{_VENDOR}/jquery/dist/jquery.min.js",
        mathjax_url=f"{_VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    )


def _index_page(decks: list[tuple[str, str, str, str]]) -> str:
    """The index page: ``decks`` is (language, folder, title, URL relative to the index) in order."""
    sections = []
    for language, name in LANGUAGE_NAMES.items():
        lists = []
        for folder, heading in _HEADINGS.items():
            heading = translate(heading, language)
            items = [f'      <li><a href="{html.escape(url)}">{html.escape(title)}</a></li>'
                     for deck_lang, deck_folder, title, url in decks if (deck_lang, deck_folder) == (language, folder)]
            if items:
                lists.append(f"    <h3>{heading}</h3>\n    <ul>\n" + "\n".join(items) + "\n    </ul>")
        if lists:
            sections.append(f'  <section lang="{language}">\n    <h2>{name}</h2>\n' + "\n".join(lists) + "\n  </section>")
    # the CJK font first: its unicode-range leaves Latin text to the next ones, and no system font that
    # claims CJK code points without glyphs (headless Chromium showed boxes) gets to them before it
    fonts = f'"{webfont.FONT_FAMILY}", Helvetica, Arial, sans-serif'
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Slides — Customer retention</title>\n"
            f"<link rel=\"preload\" href=\"vendor/fonts/{webfont.FONT_FILE}\" as=\"font\" type=\"font/woff2\" crossorigin>\n"
            f"<link rel=\"stylesheet\" href=\"vendor/fonts/{webfont.CSS_FILE}\">\n"
            f"<style>body {{ font-family: {fonts}; max-width: 48em; margin: 2em auto; padding: 0 1em; "
            "line-height: 1.5; }</style>\n</head>\n<body>\n<main>\n  <h1>Slides · 幻灯片</h1>\n"
            + "\n".join(sections) + "\n</main>\n</body>\n</html>\n")


def build_slides(out: Path | None = None, root: Path | None = None) -> list[Path]:
    """Build the slide deck of every student notebook, both languages, and an index page of them.

    Parameters
    ----------
    out : Path, optional
        The folder to write into; defaults to ``<repo>/build/slides``.  Its ``en/``, ``zh-CN/`` and
        ``vendor/`` folders are replaced, so a deck whose notebook is gone does not linger.
    root : Path, optional
        The course directory holding ``chapters/``, ``cases/``, ``chapters-zh/``, ``cases-zh/`` and
        ``solutions/``; defaults to the repository root.

    Returns
    -------
    list of Path
        Every deck written (English chapters, cases, then Chinese), then ``<out>/index.html``.

    Raises
    ------
    ValueError
        If there is no student notebook under ``root``.

    Examples
    --------
    >>> build_slides(out=3)
    Traceback (most recent call last):
    ...
    TypeError: out must be a folder (str or Path), got int
    """
    for name, value in (("out", out), ("root", root)):
        if value is not None and not isinstance(value, (str, Path)):
            raise TypeError(f"{name} must be a folder (str or Path), got {type(value).__name__}")
    root = notebooks.repo_root() if root is None else Path(root)
    out = root / "build" / "slides" if out is None else Path(out)
    students = [path for folder in notebooks.ASSIGNMENTS for path in sorted((root / folder).glob("*.ipynb"))]
    if not students:
        raise ValueError(f"root must hold student notebooks in {list(notebooks.ASSIGNMENTS)}, found none in {root}")
    for folder in ("en", "zh-CN", "vendor"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    vendor.vendor(list(vendor.PACKAGES), out / "vendor")
    exporters = {language: _exporter(language) for language in LANGUAGE_NAMES}
    written, listed, text = [], [], []
    for student in students:
        nb = student_view(student, root)
        language, folder = DECK_FOLDERS[student.parent.name]
        body, _ = exporters[language].from_notebook_node(nb, resources={"metadata": {"name": student.stem}})
        # nbconvert's language_code accepts ISO 639-1 codes only ("zh", not "zh-CN"): set the page's here
        body = body.replace('<html lang="en">', f'<html lang="{language}">', 1)
        path = deck_path(out, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        written.append(path)
        text.append(body)
        title = nb.metadata.get("title") or student.stem
        listed.append((language, folder, title, path.relative_to(out).as_posix()))
    index = _index_page(listed)
    webfont.write_cjk_font(out / "vendor" / "fonts", "".join(text) + index)
    (out / "index.html").write_text(index, encoding="utf-8")
    return [*written, out / "index.html"]
