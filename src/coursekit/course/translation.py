r"""The Chinese edition from the one English source: gettext catalogues per notebook, and the build.

The English teacher's notebooks in ``solutions/`` are the only source.  Their translatable text is cut
into **units** and kept in one gettext catalogue per notebook, ``locale/zh_CN/<assignment>/<stem>.po``,
which Poedit or Weblate can edit:

* a markdown cell is cut into blocks -- a paragraph, a heading, a list item, a table cell -- without
  their markup (``## ``, ``* ``, ``|``); maths (``$…$``), code spans, links and ``{…}`` fields stay in
  the unit and must come back unchanged in the translation (:func:`placeholder_problems`), except the words
  of a formula's ``\text{…}``, which are translated (:func:`math_words`: a block that is only a formula is
  a unit when its ``\text{…}`` holds English words);
* a code cell gives its comments and the string literals meant for people: a literal is a unit when it
  holds a letter and a space, or a character outside ASCII, or starts with a capital letter followed by a
  lower-case one; names such as ``"frequency"`` or ``"IV"``, date formats (``"%b %Y"``), queries
  (``"event == 'pregnancy'"``) and matplotlib positions (``"lower right"``) are code and stay as they are.

:func:`update_catalogue` brings a catalogue in line with its source, like ``msgmerge``: a unit whose text
changed keeps its old translation marked *fuzzy* (with the old English as ``#| msgid``), a unit that
disappeared is kept as *obsolete*, a new unit is added untranslated.  :func:`catalogue_problems` lists
everything that stops a notebook from being built: untranslated, fuzzy or obsolete entries, units of the
source missing from the catalogue, and translations that lost a placeholder.  :func:`build_notebook`
writes the Chinese teacher's notebook: every markdown unit and code unit replaced, nothing else --
:func:`code_difference` checks that a code cell differs from its English cell only in its string
literals and comments.

The Chinese teacher's notebooks live in ``solutions/chapters-zh/`` and ``solutions/cases-zh/``: two
nbgrader assignments of their own, with the same ``grade_id`` s as the English ones, so plain nbgrader
releases, collects and grades them, and the student versions are generated to ``chapters-zh/`` and
``cases-zh/``.

References
----------
.. [1] GNU gettext manual, "The Format of PO Files", https://www.gnu.org/software/gettext/manual/.
.. [2] R. Sapkota, "polib", https://polib.readthedocs.io/.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
import polib

from coursekit.course import glossary

__all__ = [
    "LANGUAGE",
    "EDITIONS",
    "Segment",
    "markdown_segments",
    "code_segments",
    "notebook_units",
    "catalogue_path",
    "edition_path",
    "update_catalogue",
    "catalogue_problems",
    "placeholder_problems",
    "math_words",
    "translated_notebook",
    "DOCUMENT_FOLDERS",
    "document_paths",
    "update_document_catalogue",
    "document_problems",
    "build_document",
    "metadata_texts",
    "translation_table",
    "translate_source",
    "build_notebook",
    "code_difference",
    "reading_windows",
    "write_reading_fingerprint",
    "shared_with_readings",
    "glossary_problems",
    "fix_emphasis",
    "package_units",
    "package_catalogue_path",
    "update_package_catalogue",
    "package_catalogue_problems",
]

#: The language of the second edition (gettext's name for it).
LANGUAGE = "zh_CN"
#: English assignment -> the Chinese edition's assignment (an nbgrader assignment of its own).
EDITIONS = {"chapters": "chapters-zh", "cases": "cases-zh"}

_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
#: Words inside maths: ``\text{…}``'s argument (no nested braces), translated with the sentence around it.
_MATH_TEXT = re.compile(r"\\text\{([^{}]*)\}")
#: An English word (two letters or more, one of them lower case): what makes a ``\text{…}`` need translating
#: (``\text{CLV}`` or ``\text{ROI}`` is an abbreviation the Chinese edition keeps).
_ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
_CODE_SPAN = re.compile(r"`[^`]+`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FIELD = re.compile(r"\{[^{}\n]*\}")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_CLOSING_PUNCT = "。，；：？！、）」』》”’"
_OPENING_PUNCT = "（「『《“‘"


@dataclass(frozen=True)
class Segment:
    """A piece of a cell's source: ``text`` is translated when ``unit`` is True, kept otherwise."""

    text: str
    unit: bool


def _is_text(s: str) -> bool:
    return bool(_LETTER.search(s))


# ---------------------------------------------------------------------------------------------- markdown

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*?)(\s*)$")
_ITEM = re.compile(r"^(\s*(?:[*+-]|\d+[.)])\s+)(.*)$")


def _inline(text: str) -> list[Segment]:
    """A block's text as one unit, with its surrounding whitespace kept out of it.

    A block that is only maths, code spans and links (nothing left to translate) is kept as it is, unless
    its maths holds English words in ``\text{…}``."""
    stripped = text.strip()
    bare = _LINK.sub("", _CODE_SPAN.sub("", _MATH.sub(lambda m: " ".join(math_words(m.group())), stripped)))
    if not stripped or not _is_text(bare):
        return [Segment(text, False)]
    start = text.index(stripped)
    out = []
    if start:
        out.append(Segment(text[:start], False))
    out.append(Segment(stripped, True))
    if start + len(stripped) < len(text):
        out.append(Segment(text[start + len(stripped):], False))
    return out


def math_words(text: str) -> list[str]:
    r"""The ``\text{…}`` arguments of the maths in ``text`` that hold an English word (they are translated
    with their unit).

    Examples
    --------
    >>> math_words(r"$$\text{churn rate} = 1 - r, \quad \text{CLV} = \frac{m}{1 - r}$$")
    ['churn rate']
    >>> math_words(r"so $\text{流失率} = 1 - r$ and \text{not maths}")
    []
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return [t for math in _MATH.findall(text) for t in _MATH_TEXT.findall(math)
            if any(len(w) > 1 for w in _ENGLISH_WORD.findall(t))]


def _table_row(line: str) -> list[Segment]:
    if _TABLE_RULE.match(line):
        return [Segment(line, False)]
    out = []
    for k, piece in enumerate(re.split(r"(\|)", line)):
        out.extend([Segment(piece, False)] if piece == "|" or k == 0 and not piece.strip() else _inline(piece))
    return out


def _starts_item(line: str, in_item) -> bool:
    """Whether ``line`` starts a list item.  As in CommonMark, a paragraph's line that starts with a number
    and a full stop ("5. …" in a sentence broken there) goes on the paragraph; only a bullet or "1." can
    interrupt a paragraph, while inside a list any item marker starts the next item."""
    m = _ITEM.match(line)
    if not m:
        return False
    marker = m[1].strip()
    return bool(in_item) or marker in {"*", "+", "-"} or marker in {"1.", "1)"}


def markdown_segments(source: str) -> list[Segment]:
    """Cut a markdown cell into segments whose texts join back to ``source`` exactly.

    Units are paragraphs, headings (without ``#``), list items (without their marker, continuation lines
    included) and table cells; fenced code blocks, table rules and blank lines are kept as they are.

    Examples
    --------
    >>> segs = markdown_segments("## Key terms\\n\\n* one item\\n  goes on\\n* two\\n\\n| a | b |\\n|---|---|")
    >>> [s.text for s in segs if s.unit]
    ['Key terms', 'one item\\n  goes on', 'two', 'a', 'b']
    >>> "".join(s.text for s in segs) == "## Key terms\\n\\n* one item\\n  goes on\\n* two\\n\\n| a | b |\\n|---|---|"
    True
    """
    lines = source.split("\n")
    out: list[Segment] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nl = "\n" if i < len(lines) - 1 else ""
        if line.lstrip().startswith("```"):                       # a fenced block, kept whole
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith("```"):
                j += 1
            j = min(j, len(lines) - 1)
            out.append(Segment("\n".join(lines[i:j + 1]) + ("\n" if j < len(lines) - 1 else ""), False))
            i = j + 1
            continue
        if not line.strip():
            out.append(Segment(line + nl, False))
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            out.append(Segment(heading[1], False))
            out.extend(_inline(heading[2]))
            out.append(Segment(heading[3] + nl, False))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            out.extend(_table_row(line))
            out.append(Segment(nl, False))
            i += 1
            continue
        item = _ITEM.match(line)
        # a paragraph or a list item: runs to a blank line, a heading, a table or the next item
        j = i + 1
        while j < len(lines) and lines[j].strip() and not _HEADING.match(lines[j]) \
                and not lines[j].lstrip().startswith(("|", "```")) and not _starts_item(lines[j], item):
            j += 1
        block = "\n".join(lines[i:j])
        end_nl = "\n" if j < len(lines) else ""
        if item:
            out.append(Segment(item[1], False))
            block = block[len(item[1]):]
        out.extend(_inline(block))
        out.append(Segment(end_nl, False))
        i = j
    return [s for s in out if s.text]


# -------------------------------------------------------------------------------------------------- code

_STRING_START = re.compile(r"^([rRbBuUfF]{0,2})('''|\"\"\"|'|\")")


#: String values that code reads rather than people: matplotlib's legend and text positions.
_CODE_WORDS = {f"{v} {h}" for v in ("upper", "lower", "center") for h in ("left", "right", "center")} | {"best"}


#: A string that is an SQL statement: code for the database, not text for people.
_SQL = re.compile(r"\s*(SELECT|WITH|CREATE|DROP|INSERT|UPDATE|DELETE|PRAGMA) ")


def _literal_is_text(prefix: str, body: str) -> bool:
    if "b" in prefix.lower() or not _is_text(body) or body.strip() in _CODE_WORDS or _SQL.match(body):
        return False
    outside = _FIELD.sub("", body) if "f" in prefix.lower() else body    # an f-string's fields are code
    if not _is_text(outside) or re.search(r"%[a-zA-Z]", outside) or re.search(r"==|!=|<=|>=", outside):
        return False                                                      # a date format, a query
    if any(ord(ch) > 127 for ch in body):
        return True
    if re.search(r"[A-Za-z]{2,}:(\s|$)", outside):                       # a label: "largest: {x}"
        return True
    if re.search(r"[A-Za-z]\s+\S", body) or re.search(r"\S\s+[A-Za-z]", body):
        return True
    return bool(re.match(r"^[A-Z][a-z]", body))


def code_segments(source: str) -> list[Segment]:
    """Cut a code cell into segments: comments and the string literals meant for people are units.

    A unit is the text *inside* the quotes (or after ``#`` and a space); the quotes, prefixes and code
    around them are kept.  A cell that is not valid Python (IPython magics) has no units.

    Examples
    --------
    >>> segs = code_segments('print("Hello, world")  # greet\\nx = df["frequency"]')
    >>> [s.text for s in segs if s.unit]
    ['Hello, world', 'greet']
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [Segment(source, False)]
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(row, col):
        return starts[row - 1] + col

    cuts: list[tuple[int, int]] = []
    for tok in tokens:
        a, b = offset(*tok.start), offset(*tok.end)
        if tok.type == tokenize.COMMENT:
            m = re.match(r"#+\s*", tok.string)
            body = tok.string[m.end():].rstrip()
            if body and _is_text(body) and not body.startswith(("##", "BEGIN", "END", "YOUR CODE", "noqa", "type:")):
                cuts.append((a + m.end(), a + m.end() + len(body)))
        elif tok.type == tokenize.STRING:
            m = _STRING_START.match(tok.string)
            if not m:
                continue
            quote = m[2]
            body_start, body_end = a + m.end(), b - len(quote)
            if _literal_is_text(m[1], source[body_start:body_end]):
                cuts.append((body_start, body_end))
    out, last = [], 0
    for a, b in cuts:
        if a > last:
            out.append(Segment(source[last:a], False))
        out.append(Segment(source[a:b], True))
        last = b
    if last < len(source):
        out.append(Segment(source[last:], False))
    return out


def _cell_segments(cell) -> list[Segment]:
    if cell.cell_type == "markdown":
        return markdown_segments(cell.source)
    if cell.cell_type == "code":
        return code_segments(cell.source)
    return [Segment(cell.source, False)]


def _context(cell) -> str | None:
    """The gettext context of a cell's units: ``"code"`` for code cells (a string in code may need another
    translation than the same words in prose, e.g. ``"English"``), none for markdown."""
    return "code" if cell.cell_type == "code" else None


def metadata_texts(nb) -> list[str]:
    """The notebook's texts kept in its metadata, which the case index and JupyterLab's tab show: its
    ``title``, and ``coursekit``'s ``title`` and ``skills`` (cases).  Their context is ``"metadata"``."""
    meta = nb.metadata.get("coursekit") or {}
    texts = [nb.metadata.get("title"), meta.get("title"), *meta.get("skills", [])]
    return [t for t in texts if isinstance(t, str) and _is_text(t)]


def notebook_units(nb) -> list[tuple[str, str | None, str]]:
    """Every unit of a notebook in order, as ``(cell id, context, text)``; the metadata's last."""
    units = [(cell.get("id", str(k)), _context(cell), seg.text) for k, cell in enumerate(nb.cells)
             for seg in _cell_segments(cell) if seg.unit]
    return units + [("metadata", "metadata", text) for text in metadata_texts(nb)]


# ---------------------------------------------------------------------------------------------- catalogue

def catalogue_path(notebook: Path, root: Path) -> Path:
    """``locale/zh_CN/<assignment>/<stem>.po`` for ``solutions/<assignment>/<stem>.ipynb``."""
    notebook = Path(notebook)
    return Path(root) / "locale" / LANGUAGE / notebook.parent.name / (notebook.stem + ".po")


def edition_path(notebook: Path, root: Path) -> Path:
    """``solutions/<assignment>-zh/<stem>.ipynb``: where the Chinese teacher's notebook is built."""
    notebook = Path(notebook)
    assignment = notebook.parent.name
    if assignment not in EDITIONS:
        raise ValueError(f"notebook must be in solutions/chapters or solutions/cases, got {notebook}")
    return Path(root) / "solutions" / EDITIONS[assignment] / notebook.name


def _is_dollar_amount(span: str) -> bool:
    """A ``$…$`` in a code string or comment that is two dollar amounts or dollar signs around words
    (``"$300,000 … $1,000,000"``, ``# $ per customer … $ for the plan``), not matplotlib's mathtext."""
    return "\\" not in span and bool(re.search(r"\s", span))


def _placeholders(text: str, code: bool = False) -> Counter:
    found = Counter()
    # maths must come back as it was, but for the words in its \text{…}, which are translated
    maths = [m for m in _MATH.findall(text) if not (code and _is_dollar_amount(m))]
    found.update(_MATH_TEXT.sub(r"\\text{…}", m) for m in maths)
    found.update(_CODE_SPAN.findall(text))
    for m in maths:  # a {…} field inside maths is maths
        text = text.replace(m, " ", 1)
    found.update(_FIELD.findall(text))
    found.update("link:" + url for url in _LINK.findall(text))
    found.update(tag.split()[0].rstrip(">") for tag in _HTML.findall(text))
    return found


def placeholder_problems(msgid: str, msgstr: str, *, code: bool = False) -> list[str]:
    r"""What a translation lost or added of its source's maths, code spans, links, ``{…}`` fields and tags.

    With ``code=True`` (a string or comment of a code cell) a ``$…$`` holding a space and no backslash is
    read as dollar amounts rather than maths.

    Examples
    --------
    >>> placeholder_problems("Use `clv.clv` with $r$.", "用 `clv.clv` 计算 $r$。")
    []
    >>> placeholder_problems("Use `clv.clv` with $r$.", "用 clv.clv 计算 $r$。")
    ['lost `clv.clv`']
    >>> placeholder_problems("$300,000 to $1,000,000", "30万到100万美元", code=True)
    []

    Maths comes back as it was, except the words in its ``\text{…}``:

    >>> placeholder_problems(r"$$\text{churn rate} = 1 - r$$", r"$$\text{流失率} = 1 - r$$")
    []
    >>> placeholder_problems(r"$$\text{churn rate} = 1 - r$$", r"$$\text{流失率} = r$$")
    ['lost $$\\text{…} = 1 - r$$', 'added $$\\text{…} = r$$']
    """
    if not isinstance(code, bool):
        raise TypeError(f"code must be True or False, got {code!r}")
    want, got = _placeholders(msgid, code), _placeholders(msgstr, code)
    problems = [f"lost {item}" for item in sorted((want - got).elements())]
    problems += [f"added {item}" for item in sorted((got - want).elements())]
    return problems


def _new_catalogue(project: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"coursekit {project}",
        "Language": LANGUAGE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def _merge(path: Path, units, project: str, *, drop_obsolete: bool) -> dict:
    """Write the catalogue at ``path`` for ``units`` ((where, context, text) in order), keeping old translations.

    An entry is keyed by its context and its English.  A unit whose English is new gets the translation of
    the same English in another context or of the closest old English (a fuzzy match), marked *fuzzy* either
    way (the two may need different words), or none."""
    old = polib.pofile(str(path), wrapwidth=0) if path.is_file() else _new_catalogue(project)
    known = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    retired = {(e.msgctxt, e.msgid): e for e in old if e.obsolete}
    po = _new_catalogue(project)
    po.metadata.update({k: v for k, v in old.metadata.items() if k not in po.metadata})
    counts = {"units": 0, "new": 0, "fuzzy": 0, "obsolete": 0}
    seen: dict[tuple, polib.POEntry] = {}
    wanted = {(ctx, text) for _, ctx, text in units}
    # an entry whose English is still used, in another context only: its translation moves there unchanged
    moved = {k[1]: e for k, e in known.items() if k not in wanted and e.msgstr
             and any((c, k[1]) in wanted for c in (None, "code"))}
    for where, ctx, text in units:
        key = (ctx, text)
        if key in seen:
            seen[key].occurrences.append((where, ""))
            continue
        counts["units"] += 1
        previous = known.get(key) or retired.get(key)
        if previous is not None:
            entry = polib.POEntry(msgctxt=ctx, msgid=text, msgstr=previous.msgstr, flags=list(previous.flags),
                                  previous_msgid=previous.previous_msgid, comment=previous.comment,
                                  tcomment=previous.tcomment)
        elif moved.get(text) is not None:             # the same English, no longer used in its old context
            previous = moved.pop(text)
            entry = polib.POEntry(msgctxt=ctx, msgid=text, msgstr=previous.msgstr, flags=list(previous.flags),
                                  tcomment=previous.tcomment)
        else:
            pool = {k[1]: e for k, e in list(known.items()) + list(retired.items()) if k not in seen and e.msgstr}
            close = [text] if text in pool else difflib.get_close_matches(text, list(pool), n=1, cutoff=0.75)
            if close:
                source = pool[close[0]]
                entry = polib.POEntry(msgctxt=ctx, msgid=text, msgstr=source.msgstr, flags=["fuzzy"],
                                      previous_msgid=close[0], tcomment=source.tcomment)
                counts["fuzzy"] += 1
            else:
                entry = polib.POEntry(msgctxt=ctx, msgid=text, msgstr="")
                counts["new"] += 1
        entry.occurrences = [(where, "")]
        seen[key] = entry
        po.append(entry)
    if not drop_obsolete:
        moved_away = {(c, t) for c in (None, "code") for t in seen_texts(seen) if (c, t) not in seen}
        for key, entry in list(known.items()) + list(retired.items()):
            if key not in seen and key not in moved_away and entry.msgstr:
                po.append(polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr=entry.msgstr, obsolete=True))
                counts["obsolete"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return counts


def seen_texts(seen: dict) -> set[str]:
    """The English texts of a catalogue's current entries, whatever their context."""
    return {text for _, text in seen}


def update_catalogue(notebook: Path, root: Path, *, drop_obsolete: bool = False) -> tuple[Path, dict]:
    """Bring the notebook's catalogue in line with its English source (create it if missing).

    Parameters
    ----------
    notebook : Path
        ``solutions/<assignment>/<stem>.ipynb``.
    root : Path
        The repository root.
    drop_obsolete : bool, default False
        Remove entries whose English no longer occurs (after their translation has been reused).

    Returns
    -------
    (Path, dict)
        The catalogue's path and counts: ``units``, ``new``, ``fuzzy`` (changed English, old translation
        kept for review), ``obsolete``.
    """
    notebook = Path(notebook)
    units = notebook_units(nbformat.read(notebook, as_version=4))
    path = catalogue_path(notebook, root)
    return path, _merge(path, units, f"{notebook.parent.name}/{notebook.stem}", drop_obsolete=drop_obsolete)


# ---------------------------------------------------------------------------------------------- documents

#: The Markdown documents of the Chinese edition, by folder: a teacher's-guide page is translated whole,
#: a data card's description (its title and first section, what the data represent); the card's
#: file-by-file and column-by-column reference stays in the English card, which the Chinese one links.
DOCUMENT_FOLDERS = {"docs/teachers": "whole", "datasets/cards": "description"}
#: The sub-folder that holds a folder's Chinese documents: ``docs/teachers/zh-CN/README.md``.
DOCUMENT_EDITION = "zh-CN"
_CARD_FOOTER = ("\n---\n\n本数据卡只翻译了数据的说明。文件、列、生成方式和已知局限的完整说明见英文数据卡 "
                "[`{name}`]({name})。\n")


def document_paths(root: Path) -> list[Path]:
    """Every English document of :data:`DOCUMENT_FOLDERS` under ``root``."""
    return [path for folder in DOCUMENT_FOLDERS for path in sorted((Path(root) / folder).glob("*.md"))]


def _document_kind(path: Path, root: Path) -> str:
    folder = Path(path).parent.resolve().relative_to(Path(root).resolve()).as_posix()
    if folder not in DOCUMENT_FOLDERS:
        raise ValueError(f"a document must be in one of {', '.join(DOCUMENT_FOLDERS)}, got {path}")
    return DOCUMENT_FOLDERS[folder]


def document_source(path: Path, root: Path) -> str:
    """The part of a document that is translated: all of it, or a data card's text before its second
    ``## `` heading."""
    text = Path(path).read_text(encoding="utf-8")
    if _document_kind(path, root) == "description":
        headings = [m.start() for m in re.finditer(r"^## ", text, flags=re.M)]
        if len(headings) >= 2:
            text = text[:headings[1]].rstrip("\n") + "\n"
    return text


def document_units(path: Path, root: Path) -> list[tuple[str, str | None, str]]:
    """The units of a document, as ``(file name, None, text)``."""
    return [(Path(path).name, None, seg.text) for seg in markdown_segments(document_source(path, root)) if seg.unit]


def document_catalogue_path(path: Path, root: Path) -> Path:
    """``locale/zh_CN/<folder>/<stem>.po`` for the document ``<folder>/<stem>.md``."""
    folder = Path(path).parent.resolve().relative_to(Path(root).resolve())
    return Path(root) / "locale" / LANGUAGE / folder / (Path(path).stem + ".po")


def document_edition_path(path: Path, root: Path) -> Path:
    """``<folder>/zh-CN/<name>``: where the Chinese document is built."""
    _document_kind(path, root)
    return Path(path).parent / DOCUMENT_EDITION / Path(path).name


def update_document_catalogue(path: Path, root: Path, *, drop_obsolete: bool = False) -> tuple[Path, dict]:
    """:func:`update_catalogue` for a Markdown document."""
    po_path = document_catalogue_path(path, root)
    project = po_path.relative_to(Path(root) / "locale" / LANGUAGE).with_suffix("").as_posix()
    return po_path, _merge(po_path, document_units(path, root), project, drop_obsolete=drop_obsolete)


def document_problems(path: Path, root: Path) -> list[str]:
    """:func:`catalogue_problems` for a Markdown document."""
    units = {(ctx, text) for _, ctx, text in document_units(path, root)}
    return _po_problems(document_catalogue_path(path, root), units, root)


def translate_document(path: Path, root: Path) -> str:
    """The Chinese text of a document from its catalogue (untranslated units stay English)."""
    po = polib.pofile(str(document_catalogue_path(path, root)), wrapwidth=0)
    table = translation_table(po)
    text = "".join(table.get((None, s.text), s.text) if s.unit else s.text
                   for s in markdown_segments(document_source(path, root)))
    if _document_kind(path, root) == "description":
        text += _CARD_FOOTER.format(name=Path(path).name)
    return _relink(text, Path(path), root)


def _relink(text: str, path: Path, root: Path) -> str:
    """Point the relative links of a document at the right files from its ``zh-CN/`` folder: a
    teacher's-guide page linked as it is (``semester.md`` is the Chinese page beside it), any other
    target one folder up (``../cdnow.md``, the full English card; ``../../solutions/…``)."""
    whole = _document_kind(path, root) == "whole"       # a card's Chinese edition is only its description
    translated = {p.name for p in document_paths(root) if p.parent == path.parent} if whole else set()

    def fix(match):
        target = match[1]
        if re.match(r"[a-z]+:|#|/", target) or target.split("#")[0] in translated:
            return match[0]
        return f"](../{target})"
    return re.sub(r"\]\(([^)\s]+)\)", fix, text)


def build_document(path: Path, root: Path, *, check: bool = True) -> Path:
    """Write the Chinese edition of a Markdown document to :func:`document_edition_path`.

    Raises
    ------
    ValueError
        If ``check`` and :func:`document_problems` finds anything.
    """
    if check:
        problems = document_problems(path, root)
        if problems:
            raise ValueError(f"{Path(path).name}: the catalogue is not ready:\n" + "\n".join(problems[:20]))
    out = document_edition_path(path, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(translate_document(path, root), encoding="utf-8")
    return out


def package_units(package: Path) -> list[tuple[str, str]]:
    """Every text the package marks with :func:`coursekit.language.tr` or ``N_``, as ``(module:line, text)``."""
    units = []
    for path in sorted(Path(package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                units.append((f"{path.relative_to(package).as_posix()}:{node.lineno}", None, node.args[0].value))
    return sorted(units, key=lambda u: (u[0].split(":")[0], int(u[0].split(":")[1])))


def package_catalogue_path(root: Path) -> Path:
    """``src/coursekit/locale/zh_CN/coursekit.po``: the package's own messages."""
    return Path(root) / "src" / "coursekit" / "locale" / LANGUAGE / "coursekit.po"


def update_package_catalogue(root: Path, *, drop_obsolete: bool = False) -> tuple[Path, dict]:
    """Bring the package's message catalogue in line with the texts it marks with ``tr``."""
    path = package_catalogue_path(root)
    units = package_units(Path(root) / "src" / "coursekit")
    return path, _merge(path, units, "coursekit", drop_obsolete=drop_obsolete)


def _po_problems(path: Path, units: set[tuple[str | None, str]], root: Path) -> list[str]:
    if not path.is_file():
        return [f"{path}: no catalogue (run `coursekit translate update`)"]
    po = polib.pofile(str(path), wrapwidth=0)
    fp_path = fingerprint_path(root)
    fingerprint = set(fp_path.read_text(encoding="utf-8").split()) if fp_path.is_file() else set()
    problems = []
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    for _, text in sorted(units - set(entries), key=lambda k: k[1]):
        problems.append(f"{path.name}: the English changed — no entry for {text[:70]!r} (run `coursekit translate update`)")
    for e in po:
        where = f"{path.name}: {e.msgid[:70]!r}"
        if e.obsolete:
            problems.append(f"{where} is obsolete: its English is gone from the source")
        elif (e.msgctxt, e.msgid) not in units:
            problems.append(f"{where} no longer occurs in the source (run `coursekit translate update`)")
        elif "fuzzy" in e.flags:
            problems.append(f"{where} is fuzzy: the English changed since it was translated")
        elif not e.msgstr.strip():
            problems.append(f"{where} is untranslated")
        else:
            problems += [f"{where}: the translation {p}" for p in placeholder_problems(
                e.msgid, e.msgstr, code=e.msgctxt == "code")]
            problems += [f"{where}: {p}" for p in glossary_problems(e.msgid, e.msgstr)]
            if not e.msgctxt and fix_emphasis(e.msgstr) != e.msgstr:
                problems.append(f"{where}: emphasis (*…* or **…**) that ends on Chinese punctuation followed by text "
                                "(or starts on it after text) does not render in Markdown: move the punctuation "
                                "outside the asterisks (`fix_emphasis` does it)")
            shared = shared_with_readings(e.msgstr, fingerprint)
            if shared:
                problems.append(f"{where}: the translation shares {SHARED_RUN}+ characters with a reading: {shared[0]}…")
    return problems


def catalogue_problems(notebook: Path, root: Path) -> list[str]:
    """Everything that stops the Chinese edition of ``notebook`` from being built, one line each.

    Untranslated, fuzzy and obsolete entries; units of the English source the catalogue lacks (the English
    changed since the catalogue was updated); translations that lost or added a placeholder, spell a
    glossary term otherwise than the glossary, or share 16 Chinese characters in a row with a reading.
    Empty when the edition can be built.
    """
    notebook = Path(notebook)
    units = {(ctx, text) for _, ctx, text in notebook_units(nbformat.read(notebook, as_version=4))}
    return _po_problems(catalogue_path(notebook, root), units, root)


def package_catalogue_problems(root: Path) -> list[str]:
    """The same checks for the package's own messages (:func:`update_package_catalogue`)."""
    units = {(ctx, text) for _, ctx, text in package_units(Path(root) / "src" / "coursekit")}
    return _po_problems(package_catalogue_path(root), units, root)


def fix_emphasis(text: str) -> str:
    """Move Chinese punctuation out of Markdown emphasis where CommonMark would not render the emphasis.

    A closing ``*``/``**`` right after a punctuation mark and right before a letter cannot close (and an
    opening one right after a letter and before a punctuation mark cannot open): ``**课堂：**在`` shows its
    asterisks.  The punctuation moves outside: ``**课堂**：在``.  Code spans and maths are left alone.

    Examples
    --------
    >>> fix_emphasis("**课堂：**90 分钟；*谁会来？*我们")
    '**课堂**：90 分钟；*谁会来*？我们'
    >>> fix_emphasis("它说：**重要**。")
    '它说：**重要**。'
    """
    protected = [(m.start(), m.end()) for pattern in (_CODE_SPAN, _MATH) for m in pattern.finditer(text)]
    markers = [m for m in re.finditer(r"\*\*|\*", text) if not any(a <= m.start() < b for a, b in protected)]
    out, last, open_marks = [], 0, []
    for m in markers:
        mark = m.group()
        if open_marks and open_marks[-1] == mark:                       # a closing marker
            open_marks.pop()
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if before and before in _CLOSING_PUNCT and after and not after.isspace() and after not in "*" + _CLOSING_PUNCT:
                out.append(text[last:m.start() - 1] + mark + before)
                last = m.end()
        else:                                                           # an opening marker
            open_marks.append(mark)
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if after and after in _OPENING_PUNCT and before and not before.isspace() and before not in _OPENING_PUNCT:
                out.append(text[last:m.start()] + after + mark)
                last = m.end() + 1
    out.append(text[last:])
    return "".join(out)


def _glossary_pairs() -> list[tuple[re.Pattern, tuple[str, ...], str]]:
    """(English pattern, accepted Chinese spellings, term) for every multi-word glossary term."""
    pairs = []
    for term, chinese in zip(glossary.load()["term"], glossary.load()["chinese"], strict=True):
        english_parts = [t.strip() for t in re.sub(r"\s*\(.*?\)", "", term).split(" / ")]
        chinese_parts = [c.strip() for c in re.sub(r"\s*[（(].*?[)）]", "", chinese).split(" / ")]
        if len(english_parts) == len(chinese_parts) > 1:
            options = [(e, (c,)) for e, c in zip(english_parts, chinese_parts, strict=True)]
        else:
            options = [(e, tuple(chinese_parts)) for e in english_parts]
        for english, accepted in options:
            if len(english.split()) >= 2:
                words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", english))
                pairs.append((re.compile(rf"\b{words}s?\b", re.I), accepted, english))
    return pairs


def glossary_problems(msgid: str, msgstr: str) -> list[str]:
    """The glossary's multi-word terms in ``msgid`` whose Chinese spelling ``msgstr`` does not use.

    A unit kept in English on purpose (``msgstr == msgid``, such as the English column of a chapter's
    key-terms table, whose next column gives the Chinese) has nothing to check.

    Examples
    --------
    >>> glossary_problems("The retention rate fell.", "保持率下降了。")
    ["'retention rate' must be translated as 客户保持率"]
    >>> glossary_problems("The retention rate fell.", "客户保持率下降了。")
    []
    >>> glossary_problems("retention rate", "retention rate")
    []
    """
    if msgstr.strip() == msgid.strip():
        return []
    return [f"{english!r} must be translated as {' or '.join(accepted)}" for pattern, accepted, english in _GLOSSARY()
            if pattern.search(msgid) and not any(a in msgstr for a in accepted)]


def _glossary_cache():
    cache: list = []

    def get():
        if not cache:
            cache.extend(_glossary_pairs())
        return cache
    return get


_GLOSSARY = _glossary_cache()


# --------------------------------------------------------------------------------------------------- build

def translation_table(po: polib.POFile) -> dict[tuple[str | None, str], str]:
    """``(context, English) -> Chinese`` for every usable entry (translated, not fuzzy, not obsolete)."""
    return {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags}


def translate_source(cell, table: dict) -> str:
    """The cell's source with every unit replaced by its translation in ``table`` (:func:`translation_table`)."""
    ctx = _context(cell)
    return "".join(table.get((ctx, s.text), s.text) if s.unit else s.text for s in _cell_segments(cell))


def translated_notebook(notebook: Path, root: Path, *, check: bool = True):
    """The Chinese teacher's notebook of ``notebook`` from its catalogue (outputs cleared), in memory.

    Raises
    ------
    ValueError
        If ``check`` and :func:`catalogue_problems` finds anything, or a code cell would differ from its
        English cell in more than strings and comments.
    """
    notebook = Path(notebook)
    if check:
        problems = catalogue_problems(notebook, root)
        if problems:
            raise ValueError(f"{notebook.name}: the catalogue is not ready:\n" + "\n".join(problems[:20]))
    po = polib.pofile(str(catalogue_path(notebook, root)), wrapwidth=0)
    table = translation_table(po)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        english = cell.source
        cell.source = translate_source(cell, table)
        if cell.cell_type == "code":
            diff = code_difference(english, cell.source)
            if diff:
                raise ValueError(f"{notebook.name}, cell {cell.get('id')}: the translation changes the code: {diff}")
            cell.outputs, cell.execution_count = [], None
    nb.metadata["language"] = "zh-CN"
    if nb.metadata.get("title"):
        nb.metadata["title"] = table.get(("metadata", nb.metadata["title"]), nb.metadata["title"])
    meta = nb.metadata.get("coursekit")
    if meta:
        if meta.get("title"):
            meta["title"] = table.get(("metadata", meta["title"]), meta["title"])
        if meta.get("skills"):
            meta["skills"] = [table.get(("metadata", t), t) for t in meta["skills"]]
    return nb


def build_notebook(notebook: Path, root: Path, *, check: bool = True) -> Path:
    """Write :func:`translated_notebook` to :func:`edition_path`.

    Raises
    ------
    ValueError
        As :func:`translated_notebook`.
    """
    nb = translated_notebook(notebook, root, check=check)
    out = edition_path(notebook, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out


class _Blank(ast.NodeTransformer):
    """Blank every string constant; an f-string keeps only the multiset of its fields."""

    def visit_Constant(self, node):
        return ast.Constant(value="") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        fields = sorted(ast.dump(self.visit(v)) for v in node.values if isinstance(v, ast.FormattedValue))
        return ast.Constant(value="f:" + "|".join(fields))


def _shape(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return ast.dump(_Blank().visit(tree))


def code_difference(english: str, translated: str) -> str:
    """Empty if two code cells differ only in string literals and comments; else what differs.

    The syntax trees are compared with every string blanked (an f-string keeps its ``{…}`` fields, in any
    order, since a Chinese sentence may put them elsewhere).  Cells that are not Python (magics) must be
    identical.

    Examples
    --------
    >>> code_difference('print(f"{n} customers")  # count', 'print(f"{n} 位客户")  # 计数')
    ''
    >>> code_difference('x = 1', 'x = 2')
    'the code itself differs'
    """
    a, b = _shape(english), _shape(translated)
    if a is None or b is None:
        return "" if english == translated else "a cell that is not Python changed"
    return "" if a == b else "the code itself differs"


def changed_lines(english: str, translated: str) -> list[str]:
    """The lines of a translated cell that differ from the English one (for review)."""
    return [line for line in difflib.unified_diff(english.splitlines(), translated.splitlines(), lineterm="", n=0)
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]


# ------------------------------------------------------------------------------------- the readings' text

#: How many Chinese characters in a row a translation may share with a reading: fewer than this.
SHARED_RUN = 16
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def reading_windows(text: str, size: int = SHARED_RUN) -> set[str]:
    """The hashes of every run of ``size`` Chinese characters in ``text`` (punctuation, digits and Latin
    letters dropped first, so a copy with changed punctuation is still found)."""
    chars = _cjk(text)
    return {hashlib.sha1(chars[i:i + size].encode("utf-8")).hexdigest()[:12] for i in range(len(chars) - size + 1)}


def fingerprint_path(root: Path) -> Path:
    """``locale/readings-fingerprint.txt``: hashes of the readings' 16-character runs, not their text."""
    return Path(root) / "locale" / "readings-fingerprint.txt"


def write_reading_fingerprint(readings: Path, root: Path) -> Path:
    """Hash every 16-character run of the course readings (``*.txt`` in ``readings``) into the repository.

    The readings themselves stay outside the repository; their fingerprint lets CI check that no
    translation shares a run of :data:`SHARED_RUN` Chinese characters with them.
    """
    hashes: set[str] = set()
    files = sorted(Path(readings).glob("*.txt"))
    if not files:
        raise ValueError(f"readings must be a folder of the readings' .txt files, found none in {readings}")
    for path in files:
        hashes |= reading_windows(path.read_text(encoding="utf-8"))
    out = fingerprint_path(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(sorted(hashes)) + "\n", encoding="utf-8")
    return out


def shared_with_readings(text: str, fingerprint: set[str]) -> list[str]:
    """The runs of :data:`SHARED_RUN` Chinese characters of ``text`` that occur in a reading."""
    chars = _cjk(text)
    return [chars[i:i + SHARED_RUN] for i in range(len(chars) - SHARED_RUN + 1)
            if hashlib.sha1(chars[i:i + SHARED_RUN].encode("utf-8")).hexdigest()[:12] in fingerprint]
