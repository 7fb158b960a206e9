"""The course-wide bilingual glossary: one spelling of every key term, in English and 简体中文.

The terms live in ``glossary.csv`` next to this module (columns ``term``, ``chinese``, ``meaning``,
``chapters``).  Each chapter's *Key terms* cell is rendered from it (:func:`key_terms_markdown`,
written into the teacher's notebooks by ``coursekit glossary``), and the tests check two rules with
:func:`first_use_problems`: a notebook gives a term's Chinese at the term's first use, and the Key
terms cells say what the glossary says.  The glossary is also the term base of the Chinese edition.

>>> terms = load()
>>> terms.loc[terms["term"] == "Net Promoter Score (NPS)", "chinese"].item()
'净推荐值'
>>> print(key_terms_markdown(1).splitlines()[0])
## Key terms (关键术语)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import nbformat
import pandas as pd

__all__ = ["load", "key_terms_markdown", "write_key_terms", "forms", "first_use_problems", "is_key_terms_cell",
           "KEY_TERMS_HEADING"]

KEY_TERMS_HEADING = "## Key terms (关键术语)"
#: How far after an English term its Chinese may follow at the first use (characters).
NEAR = 60
CHAPTERS = range(1, 6)


def load() -> pd.DataFrame:
    """The glossary as a table, in the order the chapters introduce the terms.

    Raises
    ------
    ValueError
        If a term is listed twice, a field is empty, or a chapter number is not 1-5.
    """
    with resources.files("coursekit.course").joinpath("glossary.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = pd.DataFrame(rows, columns=["term", "chinese", "meaning", "chapters"])
    for column in table.columns:
        empty = table[column].str.strip() == ""
        if empty.any():
            raise ValueError(f"glossary.csv: empty {column!r} in row(s) {list(table.index[empty] + 2)}")
    duplicated = table["term"][table["term"].duplicated()]
    if len(duplicated):
        raise ValueError(f"glossary.csv lists these terms twice: {sorted(duplicated)}; one spelling per term")
    table["chapters"] = table["chapters"].map(lambda text: tuple(int(n) for n in text.split()))
    bad = table["chapters"].map(lambda chs: not chs or any(ch not in CHAPTERS for ch in chs))
    if bad.any():
        raise ValueError(f"glossary.csv: chapters must be numbers 1-5, see {list(table.loc[bad, 'term'])}")
    return table


def key_terms_markdown(chapter: int) -> str:
    """The *Key terms* cell of a chapter: every glossary term listed for it, as a three-column table.

    Raises
    ------
    ValueError
        If ``chapter`` is not 1-5.
    """
    if isinstance(chapter, bool) or not isinstance(chapter, int) or chapter not in CHAPTERS:
        raise ValueError(f"chapter must be an int from 1 to 5, got {chapter!r}")
    table = load()
    rows = table[table["chapters"].map(lambda chs: chapter in chs)]
    lines = [KEY_TERMS_HEADING, "", "The course's glossary (`coursekit/course/glossary.csv`) gives every term one "
             "spelling in both languages.", "", "| English | 中文 | Meaning in this course |", "|---|---|---|"]
    lines += [f"| {r.term} | {r.chinese} | {r.meaning} |" for r in rows.itertuples()]
    return "\n".join(lines)


def write_key_terms(root) -> list:
    """Render every chapter's Key terms cell in ``root/solutions/chapters`` from the glossary.

    Run by ``coursekit generate`` and ``release`` before the student versions are made; returns the
    notebooks it changed.

    Raises
    ------
    ValueError
        If a chapter notebook has no Key terms cell, or more than one.
    """
    changed = []
    for path in sorted(Path(root, "solutions", "chapters").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if is_key_terms_cell(c)]
        if len(cells) != 1:
            raise ValueError(f"{path.name} must have exactly one Key terms cell, found {len(cells)}")
        text = key_terms_markdown(int(path.name[:2]))
        if cells[0].source != text:
            cells[0].source = text
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def is_key_terms_cell(cell) -> bool:
    return cell.get("cell_type") == "markdown" and cell.get("source", "").startswith("## Key terms")


def _parts(text: str) -> list[str]:
    return [p.strip() for p in text.split(" / ") if p.strip()]


def forms(term: str) -> list[str]:
    """The English forms of a term that count as a use of it: each ``/`` alternative, the acronym.

    >>> forms("customer lifetime value (CLV)")
    ['customer lifetime value', 'CLV']
    >>> forms("precision / recall")
    ['precision', 'recall']
    >>> forms("true / spurious loyalty")
    ['true loyalty', 'spurious loyalty']
    """
    acronym = re.search(r"\(([^)]*)\)\s*$", term)
    main = term[: acronym.start()].strip() if acronym else term
    found = _parts(main)
    # "true / spurious loyalty" means "true loyalty / spurious loyalty": one-word parts share the last noun
    if len(found) > 1 and " " in found[-1]:
        noun = found[-1].split(" ", 1)[1]
        found = [f"{f} {noun}" if " " not in f else f for f in found[:-1]] + [found[-1]]
    if acronym and re.fullmatch(r"[A-Za-z/]{2,12}", acronym.group(1)):
        found.append(acronym.group(1))
    return found


def _chinese_forms(chinese: str) -> list[str]:
    text = re.sub(r"[（(][^)）]*[)）]", "", chinese)
    return [p for p in _parts(text)] + [chinese.strip()]


_CODE = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$", re.S)


@dataclass(frozen=True)
class FirstUse:
    term: str
    chinese: str
    cell: int
    context: str


def _checked(row, chapter) -> bool:
    """A chapter checks the terms its Key terms list; a case (``chapter=None``) the terms of two or more
    words and the acronyms (single everyday words such as "expectation" are left to the chapters)."""
    if chapter is not None:
        return chapter in row.chapters
    return any(" " in f or f.isupper() for f in forms(row.term))


def first_use_problems(nb, chapter: int | None = None) -> list[FirstUse]:
    """Glossary terms whose first use in the notebook's prose does not carry the Chinese term.

    ``chapter`` is the chapter number of a chapter notebook (its Key terms are checked) or ``None`` for a
    case.

    The prose is the markdown outside code spans and maths, the title cell and the Key terms and
    References cells left out; a use is the first whole-word, case-insensitive match of any of the term's :func:`forms`
    (acronyms case-sensitive), and it carries the Chinese when one of the Chinese forms follows within
    :data:`NEAR` characters (the course writes ``customer lifetime value (客户终身价值)``).
    """
    cells = [(i, _CODE.sub(" ", c["source"])) for i, c in enumerate(nb["cells"])
             if i > 0 and c["cell_type"] == "markdown" and not is_key_terms_cell(c)
             and not c["source"].lstrip().startswith("## References")]
    problems = []
    for row in load().itertuples():
        if not _checked(row, chapter):
            continue
        first = None
        for english in forms(row.term):
            flags = 0 if english.isupper() else re.IGNORECASE
            pattern = re.compile(rf"(?<![\w-]){re.escape(english)}(?![\w-])", flags)
            for i, text in cells:
                match = pattern.search(text)
                if match:
                    if first is None or (i, match.start()) < first[:2]:
                        first = (i, match.start(), match.end(), text)
                    break
        if first is None:
            continue
        i, start, end, text = first
        after = text[end:end + NEAR]
        if not any(zh in after for zh in _chinese_forms(row.chinese)):
            problems.append(FirstUse(row.term, row.chinese, i, text[max(0, start - 20):end + NEAR].replace("\n", " ")))
    return problems
