"""The course as a static website in both languages, built offline with Jupyter Book 1.

``coursekit site`` (``make site``) writes ``build/site/``: a language chooser at its root and one Jupyter
Book per edition, ``en/`` and ``zh-CN/``, each with the chapters, the cases, the data cards, the glossary and,
in a part of its own, the teacher's guide.  The notebooks are the *published* form of the executed
notebooks (:func:`coursekit.course.student_view.student_view`): prose, figures, worked examples and the
explorers' pictures, no solutions, hidden tests, teaching notes or answer outputs.  Nothing is executed.

Both editions have the same page names (``chapters/01_why_retention_matters``), so every page carries a
link to the same page in the other language (the extension :func:`setup` of this module puts it in the
theme's banner).  Maths is typeset by a MathJax served from the site (``sphinx-mathjax-offline``), Chinese
search words are segmented by jieba (Sphinx's Chinese search), and the Chinese text is drawn with the
course's own CJK web font (:mod:`coursekit.course.webfont`), so the site works with no network and on a
machine without a Chinese font.  Serve it with ``python -m http.server -d build/site``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from coursekit.course import glossary, notebooks, webfont
from coursekit.course.student_view import student_view
from coursekit.language import N_, translate

__all__ = ["EDITIONS", "build_site", "stage_edition", "setup"]

#: The editions: folder in the site (also the language code :func:`coursekit.language.translate` takes) →
#: Sphinx's language, and where each part of the repository comes from.
EDITIONS = {
    "en": {"sphinx": "en",
           "notebooks": {"chapters": "chapters", "cases": "cases"},
           "teachers": "docs/teachers", "cards": "datasets/cards"},
    "zh-CN": {"sphinx": "zh_CN",
              "notebooks": {"chapters": "chapters-zh", "cases": "cases-zh"},
              "teachers": "docs/teachers/zh-CN", "cards": "datasets/cards/zh-CN"},
}
#: The file each edition's source folder holds for :func:`setup` (the other edition and its pages).
_SWITCH_FILE = "_coursekit_switch.json"

_TITLE = N_("Customer Retention Management")
_INTRO = N_(
    "An executable course on keeping customers: five chapters and the cases that go with them, with the "
    "data, the explorers and the exercises of the course's Jupyter notebooks.")
_HOW = N_(
    "This website shows each notebook as a student opens it, with the outputs of its worked examples; "
    "the exercises are left for you. To run the code, move the explorers' sliders and answer the "
    "exercises, open the notebooks in JupyterLab (`make lab`, see the course's README).")
_PARTS = N_("Chapters")
_CASES = N_("Cases")
_REFERENCE = N_("Reference")
_TEACHERS = N_("For teachers")
_TEACHERS_NOTE = N_(
    "*These pages are the teacher's guide: plans, assessment, rubrics and how to run the cases. "
    "Students may read them; the worked answers and teaching notes are only in the teacher's notebooks.*")
_GLOSSARY = N_("Glossary")
_GLOSSARY_INTRO = N_(
    "The course's key terms, each with the one Chinese name the course uses, in the order the chapters "
    "introduce them.")
_GLOSSARY_HEADER = N_("| Term | 中文 | Meaning | Chapters |")
_DATA_TITLE = N_("Data cards")
_DATA_INTRO = N_(
    "The course's datasets: what each one represents, as its data card describes it. The full cards "
    "(files, columns, how the data were made) are in English.")
#: The language switch's label, in the language it leads to: the English page shows the Chinese "translation".
_SWITCH = N_("Read this page in English")


def _edition(edition: str) -> dict:
    if not isinstance(edition, str) or edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(map(repr, EDITIONS))}, got {edition!r}")
    return EDITIONS[edition]


def _write_notebook(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def _rewrite_links(text: str, mapping: dict[str, str]) -> str:
    """Point Markdown links at the site's pages: ``old-prefix/…`` becomes ``new-prefix/…``."""
    def fix(match):
        target = match.group(2)
        for old, new in mapping.items():
            if old in target:
                target = target.replace(old, new)
        return match.group(1) + target + match.group(3)
    return _LINK.sub(fix, text)


def _glossary_page(code: str) -> str:
    terms = glossary.load()
    lines = [f"# {translate(_GLOSSARY, code)}", "", translate(_GLOSSARY_INTRO, code), "",
             translate(_GLOSSARY_HEADER, code), "|---|---|---|---|"]
    for row in terms.itertuples():
        chapters = ", ".join(str(c) for c in row.chapters)
        lines.append(f"| {row.term} | {row.chinese} | {row.meaning} | {chapters} |")
    return "\n".join(lines) + "\n"


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+)$", text, re.M)
    return match.group(1).strip() if match else ""


def stage_edition(edition: str, folder, root: Path | None = None) -> list[str]:
    """Write one edition's Jupyter Book source into ``folder``; return its page names.

    Parameters
    ----------
    edition : {"en", "zh-CN"}
        Which edition.
    folder : str or Path
        An empty or missing folder for the book's source.
    root : Path, optional
        The course directory; defaults to the repository root.
    """
    spec, code = _edition(edition), edition  # the edition's folder name is its language code
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    root = notebooks.repo_root() if root is None else Path(root)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    links = {"chapters-zh/": "chapters/", "cases-zh/": "cases/", "datasets/cards/zh-CN/": "datasets/cards/",
             "docs/teachers/zh-CN/": "teachers/", "docs/teachers/": "teachers/"}
    parts = []
    # chapters and cases: the published notebooks
    for part, source in spec["notebooks"].items():
        pages = []
        for path in sorted((root / source).glob("*.ipynb")):
            nb = student_view(path, root)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = _rewrite_links(cell.source, links)
            _write_notebook(nb, folder / part / path.name)
            pages.append(f"{part}/{path.stem}")
        parts.append((part, pages))
    # the case index, generated from the cases' metadata
    index = (root / spec["notebooks"]["cases"] / "README.md").read_text(encoding="utf-8")
    (folder / "cases" / "index.md").write_text(_rewrite_links(index, links), encoding="utf-8")
    # data cards: the full cards (English) or their translated descriptions (Chinese)
    cards = []
    for path in sorted((root / spec["cards"]).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if edition != "en":  # the description links its full English card, on the English site (a page of
            # another book: a plain HTML link, which Sphinx leaves as it is)
            text = re.sub(r"\[([^\]]+)\]\(\.\./([\w-]+)\.md\)",
                          lambda m: f'<a href="../../../en/datasets/cards/{m.group(2)}.html" hreflang="en">'
                                    f"{html.escape(m.group(1).strip('`'))}</a>", text)
        (folder / "datasets" / "cards").mkdir(parents=True, exist_ok=True)
        (folder / "datasets" / "cards" / path.name).write_text(text, encoding="utf-8")
        cards.append((f"datasets/cards/{path.stem}", _first_heading(text)))
    data_index = [f"# {translate(_DATA_TITLE, code)}", "", translate(_DATA_INTRO, code), ""]
    data_index += [f"- [{title}](cards/{Path(page).name}.md)" for page, title in cards]
    (folder / "datasets" / "index.md").write_text("\n".join(data_index) + "\n", encoding="utf-8")
    (folder / "glossary.md").write_text(_glossary_page(code), encoding="utf-8")
    # the teacher's guide, in a part of its own
    teacher_pages = []
    for path in sorted((root / spec["teachers"]).glob("*.md")):
        text = _rewrite_links(path.read_text(encoding="utf-8"), links)
        if path.stem == "README":
            name = "index"
            text = re.sub(r"^(#[^\n]*\n)", lambda m: m.group(1) + "\n" + translate(_TEACHERS_NOTE, code) + "\n",
                          text, count=1)
        else:
            name = path.stem
        (folder / "teachers").mkdir(parents=True, exist_ok=True)
        (folder / "teachers" / f"{name}.md").write_text(text, encoding="utf-8")
        if name != "index":
            teacher_pages.append(f"teachers/{name}")
    # the landing page: what the course holds, each part with its pages
    landing = [f"# {translate(_TITLE, code)}", "", translate(_INTRO, code), "", translate(_HOW, code), ""]
    for part, pages in parts:
        landing += [f"## {translate(_PARTS if part == 'chapters' else _CASES, code)}", ""]
        for page in pages:
            title = nbformat.read(folder / f"{page}.ipynb", as_version=4).metadata.get("title") or page
            landing.append(f"- [{title}]({page}.ipynb)")
        landing.append("")
    landing += [f"## {translate(_REFERENCE, code)}", "", f"- [{translate(_GLOSSARY, code)}](glossary.md)",
                f"- [{translate(_DATA_TITLE, code)}](datasets/index.md)", "",
                f"## {translate(_TEACHERS, code)}", ""]
    guide = _first_heading((folder / "teachers" / "index.md").read_text(encoding="utf-8"))
    landing += [f"- [{guide}](teachers/index.md)", ""]
    (folder / "index.md").write_text("\n".join(landing), encoding="utf-8")
    toc = ["format: jb-book", "root: index", "parts:"]
    for part, pages in parts:
        caption = translate(_PARTS if part == "chapters" else _CASES, code)
        toc += [f"  - caption: {json.dumps(caption, ensure_ascii=False)}", "    chapters:"]
        if part == "cases":
            toc += ["      - file: cases/index", "        sections:"]
            toc += [f"          - file: {page}" for page in pages]
        else:
            toc += [f"      - file: {page}" for page in pages]
    toc += [f"  - caption: {json.dumps(translate(_REFERENCE, code), ensure_ascii=False)}", "    chapters:",
            "      - file: glossary", "      - file: datasets/index", "        sections:"]
    toc += [f"          - file: {page}" for page, _ in cards]
    toc += [f"  - caption: {json.dumps(translate(_TEACHERS, code), ensure_ascii=False)}", "    chapters:",
            "      - file: teachers/index", "        sections:"]
    toc += [f"          - file: {page}" for page in teacher_pages]
    (folder / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    (folder / "_static").mkdir()
    (folder / "_static" / "coursekit.css").write_text(_CSS, encoding="utf-8")
    config = {
        "title": translate(_TITLE, code),
        "author": "The coursekit authors",
        "copyright": "2026",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False,
                 "use_multitoc_numbering": False, "home_page_in_navbar": True},
        "launch_buttons": {"binderhub_url": "", "colab_url": "", "jupyterhub_url": "", "thebe": False},
        "parse": {"myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence", "html_image"]},
        "sphinx": {
            "extra_extensions": ["sphinx-mathjax-offline", "coursekit.course.site"],
            "config": {"language": spec["sphinx"], "html_static_path": ["_static"],
                       "html_css_files": ["coursekit.css"], "html_show_sourcelink": False,
                       # a character MathJax's fonts lack (the Chinese in a formula's \text{…}) is drawn in
                       # this family: the CJK web font, not the reader's serif (boxes where it has no Chinese)
                       "mathjax3_config": {"chtml": {"unknownFamily": f'"{webfont.FONT_FAMILY}", serif'}},
                       # a notebook's title is its H1 and its sections H3 (the course's layout): not a fault
                       "suppress_warnings": ["myst.header"]},
        },
    }
    (folder / "_config.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    pages = ["index", "glossary", "datasets/index", "cases/index", "teachers/index", *teacher_pages,
             *(page for _, group in parts for page in group), *(page for page, _ in cards)]
    return pages


#: The site's own style: the CJK web font first (it covers only CJK code points), so Chinese is drawn with it on
#: any machine and Latin text with the theme's fonts; the language switch in the banner.
_CSS = f"""@import url("fonts/{webfont.CSS_FILE}");
:root {{
  --pst-font-family-base: "{webfont.FONT_FAMILY}", -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  --pst-font-family-heading: var(--pst-font-family-base);
}}
.bd-header-announcement {{ justify-content: flex-end; min-height: 2.2rem; padding: 0.3rem 1.5rem;
  background-color: var(--pst-color-surface); color: var(--pst-color-text-base); }}
.bd-header-announcement::after {{ display: none; }}
.bd-header-announcement a.coursekit-switch {{ font-weight: 600; color: var(--pst-color-link); }}
"""


def _switch_html(context_page: str, depth: int, other: dict, pages: set[str]) -> str:
    target = context_page if context_page in pages else "index"
    href = "../" * (depth + 1) + f"{other['folder']}/{target}.html"
    return (f'<a class="coursekit-switch" href="{html.escape(href)}" hreflang="{other["lang"]}" '
            f'lang="{other["lang"]}">{html.escape(other["label"])}</a>')


def _page_context(app, pagename, templatename, context, doctree):
    switch = getattr(app.env, "coursekit_switch", None)
    if switch is None:
        path = Path(app.srcdir) / _SWITCH_FILE
        switch = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        app.env.coursekit_switch = switch
    if not switch:
        return
    context["theme_announcement"] = _switch_html(pagename, pagename.count("/"), switch, set(switch["pages"]))


def setup(app):
    """Sphinx extension: the language switch of each page (the same page in the other edition)."""
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _jupyter_book(source: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(source), "--path-output", str(output),
               "--builder", "html", "--warningiserror", "--keep-going"]  # a broken link fails the build
    log = open(output.parent / f"{output.name}.log", "wb")  # noqa: SIM115 - closed by the caller
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONHASHSEED": "0"})


def build_site(out=None, root: Path | None = None) -> dict:
    """Build the website into ``out`` (default ``build/site``); return what was built and how long it took.

    Parameters
    ----------
    out : str or Path, optional
        The site's folder; it is replaced.  Default ``<repo>/build/site``.
    root : Path, optional
        The course directory; defaults to the repository root.

    Returns
    -------
    dict
        ``{"pages": {edition: number of HTML pages}, "seconds": {"stage": …, "build": …, "font": …}}``.

    Raises
    ------
    RuntimeError
        If Jupyter Book fails; its log is quoted.
    """
    if out is not None and not isinstance(out, (str, Path)):
        raise TypeError(f"out must be a path, got {type(out).__name__}")
    root = notebooks.repo_root() if root is None else Path(root)
    out = root / "build" / "site" if out is None else Path(out)
    work = out.parent / f"{out.name}-src"
    seconds = {}
    start = time.perf_counter()
    staged = {edition: stage_edition(edition, work / edition, root) for edition in EDITIONS}
    for edition in staged:
        (other,) = [e for e in EDITIONS if e != edition]
        switch = {"folder": other, "lang": other, "label": translate(_SWITCH, other),
                  "pages": staged[other]}
        (work / edition / _SWITCH_FILE).write_text(json.dumps(switch, ensure_ascii=False), encoding="utf-8")
    seconds["stage"] = time.perf_counter() - start
    start = time.perf_counter()
    builds = {edition: _jupyter_book(work / edition, work / f"{edition}-out") for edition in EDITIONS}
    for edition, process in builds.items():
        if process.wait() != 0:
            log = (work / f"{edition}-out.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"Jupyter Book failed on the {edition} edition:\n{log[-4000:]}")
    seconds["build"] = time.perf_counter() - start
    start = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    pages, text = {}, _CHOOSER
    for edition in EDITIONS:
        html_dir = work / f"{edition}-out" / "_build" / "html"
        shutil.copytree(html_dir, out / edition, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
        # the pages and the theme's and search's own words (in their scripts)
        text += "".join(webfont.cjk_characters(p.read_text(encoding="utf-8", errors="ignore"))
                        for p in (out / edition).rglob("*") if p.suffix in {".html", ".js"} and p.is_file())
        pages[edition] = sum(1 for p in (out / edition).rglob("*.html") if "_static" not in p.parts)
    # one font for the whole site, next to the chooser and in each edition's _static (each edition stands alone)
    webfont.write_cjk_font(out / "_fonts", text)
    for edition in EDITIONS:
        shutil.copytree(out / "_fonts", out / edition / "_static" / "fonts")
    (out / "index.html").write_text(_CHOOSER, encoding="utf-8")
    seconds["font"] = time.perf_counter() - start
    return {"pages": pages, "seconds": seconds}


_CHOOSER = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer Retention Management · 客户保持管理</title>
<link rel="stylesheet" href="_fonts/{webfont.CSS_FILE}">
<style>
body {{ font-family: "{webfont.FONT_FAMILY}", -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }}
a.edition {{ display: block; font-size: 1.4rem; margin: 1rem 0; padding: 1rem; border: 1px solid #ccd;
            border-radius: 6px; text-decoration: none; }}
</style>
</head>
<body>
<h1>Customer Retention Management <span lang="zh-CN">客户保持管理</span></h1>
<a class="edition" href="en/index.html" hreflang="en">English edition</a>
<a class="edition" href="zh-CN/index.html" hreflang="zh-CN" lang="zh-CN">简体中文版</a>
</body>
</html>
"""
