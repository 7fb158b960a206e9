"""What the site's and the slides' tests share: the build they read (``make site``'s or ``make slides``' when it
is newer than everything it is built from, else a fresh one), the text a reader sees of a page, and the text only
a teacher's notebook holds (teaching notes, solution code, hidden tests), which no published page may show."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

from coursekit.course import notebooks

ROOT = notebooks.repo_root()
#: What the site and the slides are built from: a build older than any of these is stale.
INPUTS = ("solutions", "chapters", "cases", "chapters-zh", "cases-zh", "docs/teachers", "datasets/cards",
          "src/coursekit")


def _newest_input() -> float:
    return max(p.stat().st_mtime for folder in INPUTS for p in (ROOT / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def current_build(folder: Path, build, scratch: Path) -> Path:
    """``folder`` if the build there (``make site``, ``make slides``: ``make test`` runs both first) is newer than
    everything it is built from, else ``build(scratch)`` into a scratch folder; a stale or missing build is never
    tested."""
    stamp = folder / "index.html"
    if stamp.exists() and stamp.stat().st_mtime >= _newest_input():
        return folder
    build(scratch)
    return scratch


def page_text(raw: str) -> str:
    """A page's text, as a reader sees it (scripts, styles and tags dropped, entities decoded, spaces collapsed)."""
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))


def _sentences(text: str) -> list[str]:
    """Plain sentences of Markdown, long enough to be telling (formulas, tables and code left out)."""
    text = re.sub(r"\$[^$]*\$|`[^`]*`|\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_#>]", "", text)
    text = re.sub(r"(?<!\n)\n(?![\n\-\d])", " ", text)  # a paragraph's lines are one line
    parts = re.split(r"(?<=[.!?。！？])\s*|\n", text)
    return [p.strip() for p in parts if len(p.strip()) >= 30 and "|" not in p]


def teacher_only(path: Path) -> list[str]:
    """What only the teacher's version of a notebook holds: teaching notes, solution code, hidden tests."""
    student = "\n".join(c.source for c in nbformat.read(ROOT / path.parent.name / path.name, as_version=4).cells)
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if notebooks.is_instructor_only(cell):  # (a note may quote the case: what the student has is not secret)
            found += [s for s in _sentences(cell.source) if re.sub(r"\s+", " ", s) not in re.sub(r"\s+", " ", student)]
        for block in re.findall(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END", cell.source, re.S):
            found += [line.strip() for line in block.splitlines()
                      if len(line.strip()) >= 25 and not line.strip().startswith("#")
                      and line.strip() not in student]
    return found
