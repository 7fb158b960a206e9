"""The language of the text the package writes: English, or 简体中文 for the Chinese edition.

Every notebook sets its language once, in its first code cell::

    language.set_language("English")       # the Chinese edition's cell reads language.set_language("简体中文")

The name is an ordinary string literal, so the Chinese notebook's code differs from the English one
only in a string, as every code cell of the edition must.  After that, the text the package itself
writes -- the messages of :mod:`coursekit.exercises`, the labels, titles and summaries of the
explorers -- comes in that language: the package marks each such text with :func:`tr`, and its
Chinese lives in the gettext catalogue ``coursekit/locale/zh_CN/coursekit.po``, kept and checked like
the notebooks' catalogues (``coursekit translate``).

>>> set_language("简体中文")
>>> language()
'zh_CN'
>>> set_language("English")
>>> tr("Retention r")
'Retention r'
"""

from __future__ import annotations

import functools
from importlib import resources

import polib

__all__ = ["LANGUAGES", "set_language", "language", "tr", "N_", "translate", "choose", "catalogue_file"]

#: The languages a notebook can choose, by the name it uses: name -> gettext language code.
LANGUAGES = {"English": "en", "简体中文": "zh_CN"}
_state = {"language": "en"}


def set_language(name: str) -> None:
    """Choose the language of the package's text: ``"English"`` or ``"简体中文"``.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`LANGUAGES`.
    TypeError
        If ``name`` is not a string.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'English' or '简体中文', got {type(name).__name__}")
    if name not in LANGUAGES:
        raise ValueError(f"name must be one of {', '.join(map(repr, LANGUAGES))}, got {name!r}")
    _state["language"] = LANGUAGES[name]


def language() -> str:
    """The current language's gettext code: ``"en"`` or ``"zh_CN"``."""
    return _state["language"]


def catalogue_file(code: str = "zh_CN"):
    """The package's message catalogue for ``code`` (a path-like resource)."""
    return resources.files("coursekit").joinpath("locale", code, "coursekit.po")


@functools.lru_cache(maxsize=4)
def _table(code: str) -> dict[str, str]:
    path = catalogue_file(code)
    if not path.is_file():
        return {}
    po = polib.pofile(str(path), wrapwidth=0)
    return {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags and not e.msgctxt}


def tr(text: str) -> str:
    """``text`` in the current language (itself in English, or where the catalogue has no translation)."""
    return translate(text, _state["language"])


def N_(text: str) -> str:
    """Mark ``text`` for the package's catalogue without translating it now (gettext's ``N_``): for words
    kept in a table and put into a language where they are used, with :func:`translate`."""
    return text


def translate(text: str, code: str) -> str:
    """``text`` in the language ``code`` -- ``"en"`` or ``"zh_CN"`` (a notebook's ``"zh-CN"`` too) --
    whatever the current language: for output whose language is not the session's, such as a Chinese
    submission's feedback page.

    >>> translate("Score", "zh-CN")
    '得分'
    >>> translate("Score", "en")
    'Score'
    """
    if not isinstance(text, str) or not isinstance(code, str):
        raise TypeError(f"text and code must be strings, got {type(text).__name__} and {type(code).__name__}")
    code = code.replace("-", "_")
    if code not in LANGUAGES.values():
        raise ValueError(f"code must be one of {', '.join(map(repr, LANGUAGES.values()))}, got {code!r}")
    if code == "en":
        return text
    return _table(code).get(text, text)


def choose(english, chinese):
    """``english`` or ``chinese``, whichever the current language reads: for names a library keeps in both
    languages side by side, such as ``bucket.HOLE_LABELS`` and ``bucket.HOLE_LABELS_ZH``, so that a notebook
    cell shows them in its edition's language without any code differing between the editions.

    >>> set_language("简体中文")
    >>> choose({"x": "poor service"}, {"x": "服务差"})["x"]
    '服务差'
    >>> set_language("English")
    >>> choose("poor service", "服务差")
    'poor service'
    """
    if type(english) is not type(chinese):
        raise TypeError(f"english and chinese must be of the same type, got {type(english).__name__} "
                        f"and {type(chinese).__name__}")
    return chinese if _state["language"] == "zh_CN" else english
