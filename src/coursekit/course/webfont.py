"""The CJK web font of the course's website and slides: Noto Sans SC, cut down to the characters used.

A browser on a machine without a Chinese font shows the Chinese edition as empty boxes.  The site and the
slides therefore serve their own font: the Simplified Chinese face of the OFL font the package already
installs for its figures (``noto-cjk-sans-otc``, Noto Sans CJK), subset with fontTools to the characters the
pages use and saved as WOFF2 (a few hundred kB instead of 19 MB), with a stylesheet that declares it for the
CJK code points only (:data:`UNICODE_RANGE`).  Put :data:`FONT_FAMILY` *first* in a ``font-family`` list: Chinese
is then drawn with it and Latin text with the fonts after it.  (Listed after a Latin font such as Arial, Chromium
drew some Chinese lines as empty boxes, on a machine without a system CJK font.)
"""

from __future__ import annotations

import re
from pathlib import Path

import noto_cjk_sans_otc
from fontTools import subset
from fontTools.ttLib import TTCollection

__all__ = ["FONT_FAMILY", "FONT_FILE", "CSS_FILE", "UNICODE_RANGE", "cjk_characters", "write_cjk_font"]

#: The CSS ``font-family`` the stylesheet defines.
FONT_FAMILY = "Coursekit Noto Sans SC"
#: The font file and the stylesheet written by :func:`write_cjk_font`.
FONT_FILE = "noto-sans-sc-subset.woff2"
CSS_FILE = "cjk-font.css"
#: The code points the font is used for (CJK punctuation, ideographs, full-width forms): put first in a
#: ``font-family`` list, it draws the Chinese and leaves Latin text to the fonts after it.
_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FFFF))
UNICODE_RANGE = ", ".join(f"U+{low:X}-{high:X}" for low, high in _RANGES)
_IN_RANGE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _RANGES) + "]")
#: The face of the collection to use (the collection also holds the Japanese, Korean and traditional forms).
_FACE = "Noto Sans CJK SC"
_COLLECTION = Path(noto_cjk_sans_otc.__file__).with_name("NotoSansCJK-Regular.ttc")


def cjk_characters(text: str) -> str:
    """The distinct characters of ``text`` in :data:`UNICODE_RANGE` (CJK punctuation, ideographs, full-width
    forms), sorted.

    >>> cjk_characters("客户 keeps 客户，churn")
    '客户，'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return "".join(sorted(set(_IN_RANGE.findall(text))))


def write_cjk_font(folder, text: str) -> Path:
    """Write the subset font and its stylesheet into ``folder``; return the stylesheet's path.

    Parameters
    ----------
    folder : str or Path
        Where to write :data:`FONT_FILE` and :data:`CSS_FILE` (created if missing).
    text : str
        Text whose CJK characters (:func:`cjk_characters`) the font must hold.

    Returns
    -------
    Path
        The stylesheet, which declares :data:`FONT_FAMILY` with a relative URL to the font.

    Examples
    --------
    >>> import tempfile
    >>> css = write_cjk_font(tempfile.mkdtemp(), "客户保持")
    >>> FONT_FAMILY in css.read_text() and (css.parent / FONT_FILE).stat().st_size > 1000
    True
    """
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    characters = cjk_characters(text)
    if not characters:
        raise ValueError("text holds no CJK character: there is nothing for the font to show")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    collection = TTCollection(str(_COLLECTION))
    faces = [font for font in collection.fonts if font["name"].getDebugName(4) == _FACE]
    if not faces:
        raise RuntimeError(f"{_COLLECTION.name} has no face {_FACE!r}: is noto-cjk-sans-otc installed whole?")
    font = faces[0]
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(str(folder / FONT_FILE))
    css = folder / CSS_FILE
    css.write_text(
        "/* Noto Sans CJK SC (SIL Open Font License 1.1), subset to the characters these pages use. */\n"
        "@font-face {\n"
        f'  font-family: "{FONT_FAMILY}";\n'
        f'  src: url("{FONT_FILE}") format("woff2");\n'
        "  font-weight: 400;\n"  # one weight: bold text gets a synthetic bold instead of the regular face
        f"  unicode-range: {UNICODE_RANGE};\n"
        "  font-display: swap;\n"
        "}\n", encoding="utf-8")
    return css
