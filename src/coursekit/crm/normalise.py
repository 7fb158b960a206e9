r"""Normalisers of Chapter 2's pipeline: each field of the raw files into one canonical form.

Every source writes a person's fields its own way: phones as ``13812345678``, ``+86
138-1234-5678`` or ``(0571) 8888 1234``; names in mixed case, "Surname, Given" order or
Chinese characters; dates as ``1985-03-02``, ``02/03/1985`` or ``1985年3月2日``.  Each
normaliser here takes a Series of text and returns the canonical values; those that can fail
(:func:`normalise_phone`, :func:`normalise_email`, :func:`parse_dates`) also say, per value,
why it could not be used (a :class:`Normalised`), so that :mod:`coursekit.crm.cleaning` can
report it instead of dropping it silently.  :func:`name_key` and :func:`name_similarity`
make names comparable for matching (:mod:`coursekit.crm.matching`).

All of them work once per distinct value (:func:`by_distinct_value`): real columns repeat
their values, so this saves most of the work of pandas' per-element string methods.

References
----------
.. [1] P. Christen, *Data Matching: Concepts and Techniques for Record Linkage, Entity
   Resolution, and Duplicate Detection*, Springer, 2012, chapter 5 (data pre-processing).

Examples
--------
>>> import pandas as pd
>>> normalise_phone(pd.Series(["+86 138-1234-5678", "138O1234567"])).reasons.tolist()
['', 'phone_letters']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from coursekit._validate import check_positive_int
from coursekit.crm.schema import CITY_NAMES_ZH

__all__ = [
    "Normalised",
    "HAN_PATTERN",
    "normalise_phone",
    "normalise_email",
    "normalise_name",
    "normalise_city",
    "name_key",
    "parse_dates",
    "name_similarity",
    "strip_text",
    "by_distinct_value",
]

_NS = "datetime64[ns]"
#: A character of the CJK Unified Ideographs blocks (Chinese characters, 汉字).
HAN_PATTERN = r"[\u3400-\u9fff]"
_EMAIL_RE = r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$"
_CITY_FROM_ZH = {zh: en for en, zh in CITY_NAMES_ZH.items()}


@dataclass(frozen=True)
class Normalised:
    """Canonical values of a field and, per value, why it could not be normalised.

    Attributes
    ----------
    values : pandas.Series
        The canonical values, missing (NaN / NaT) where the input was empty
        or unusable.
    reasons : pandas.Series
        A reason code of :data:`coursekit.crm.schema.REASONS` where the input was not empty but
        could not be used, and ``""`` elsewhere.  Same index as ``values``.
    """

    values: pd.Series
    reasons: pd.Series

    @property
    def failed(self) -> pd.Series:
        """Boolean mask of the inputs that could not be used."""
        return self.reasons != ""


def _check_series(name: str, series) -> pd.Series:
    if not isinstance(series, pd.Series):
        raise TypeError(f"{name} must be a pandas Series of text, got {type(series).__name__}")
    if len(series) and not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        raise TypeError(f"{name} must hold text (str or object dtype), got the dtype {series.dtype}")
    return series


def strip_text(series: pd.Series) -> pd.Series:
    """Return text values with surrounding spaces removed; missing or empty values become NaN.

    Examples
    --------
    >>> strip_text(pd.Series([" a ", "", None, "b"])).tolist()
    ['a', nan, nan, 'b']
    """
    out = series.astype("str").str.strip()
    return out.where(out != "")


def by_distinct_value(series: pd.Series, core):
    """Apply ``core`` once per distinct value of ``series`` and spread the result back.

    ``core`` takes a Series of distinct texts (the last one missing) and
    returns a Series or a :class:`Normalised` aligned with it.  Real columns
    repeat values (dates, cities, categories), so this saves most of the work
    of pandas' per-element string methods.

    Examples
    --------
    >>> by_distinct_value(pd.Series(["a", "b", "a"], index=[7, 8, 9]), lambda u: u.str.upper()).to_dict()
    {7: 'A', 8: 'B', 9: 'A'}
    """
    codes, uniques = pd.factorize(series.astype("str"), use_na_sentinel=True)
    distinct = pd.Series(np.append(np.asarray(uniques, dtype=object), None), dtype="str")
    take = np.where(codes < 0, len(uniques), codes)
    result = core(distinct)

    def spread(values: pd.Series) -> pd.Series:
        out = values.iloc[take]
        out.index = series.index
        return out

    if isinstance(result, Normalised):
        return Normalised(spread(result.values), spread(result.reasons))
    return spread(result)


def normalise_phone(series: pd.Series) -> Normalised:
    r"""Normalise phone numbers to digits in the national form.

    Separators (spaces, hyphens, brackets, dots) are removed.  A country code
    written as ``+86``, ``0086`` or a bare ``86`` before an 11-digit mobile
    number is dropped, and the trunk ``0`` of a landline is restored after
    it (``+86 571 8888 1234`` -> ``057188881234``).  The result must be a
    mobile number (``1[3-9]`` + 9 digits) or a landline (``0`` + 9 to 11
    digits).  A number holding letters -- typically the letter O typed for
    the digit 0 or l for 1 -- is **flagged, not repaired**: guessing would
    hide the error from the people who can fix it.

    Parameters
    ----------
    series : pandas.Series
        Phone numbers as text; empty or missing values stay missing without
        a reason.

    Returns
    -------
    Normalised
        ``values`` (str, digits) and ``reasons`` (``"phone_letters"``,
        ``"bad_phone"`` or ``""``).

    References
    ----------
    .. [1] ITU-T Recommendation E.164, "The international public
       telecommunication numbering plan", International Telecommunication
       Union, 2010.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.Series(["+86 138-1234-5678", "13812345678", "(0571) 8888 1234",
    ...                  "+86 571 8888 1234", "0086 138 1234 5678", "138O1234567", "1381234", ""])
    >>> result = normalise_phone(raw)
    >>> result.values.tolist()
    ['13812345678', '13812345678', '057188881234', '057188881234', '13812345678', nan, nan, nan]
    >>> result.reasons.tolist()
    ['', '', '', '', '', 'phone_letters', 'bad_phone', '']
    """
    _check_series("series", series)
    return by_distinct_value(series, _phone_core)


def _phone_core(series: pd.Series):
    text = strip_text(series)
    present = text.notna()
    letters = text.str.contains(r"[A-Za-z]", regex=True).fillna(False).astype(bool)
    digits = text.str.replace(r"\D", "", regex=True)
    intl = text.str.startswith("+").fillna(False).astype(bool) & digits.str.startswith("86").fillna(False).astype(bool)
    zz = digits.str.startswith("0086").fillna(False).astype(bool)
    national = digits.where(~zz, digits.str.slice(4))
    national = national.where(~intl, national.str.slice(2))
    mobile = national.str.fullmatch(r"1[3-9]\d{9}").fillna(False).astype(bool)
    trunk = (intl | zz) & ~mobile
    national = national.where(~trunk, "0" + national)
    bare = ~(intl | zz) & (national.str.len() == 13) & national.str.startswith("861").fillna(False).astype(bool)
    national = national.where(~bare, national.str.slice(2))
    valid = national.str.fullmatch(r"1[3-9]\d{9}|0\d{9,11}").fillna(False).astype(bool)
    reasons = pd.Series(
        np.where(letters, "phone_letters", np.where(present & ~valid, "bad_phone", "")), index=series.index
    )
    reasons = reasons.where(present, "").astype("str")
    values = national.where(present & (reasons == "")).astype("str")
    return Normalised(values, reasons)


def normalise_email(series: pd.Series) -> Normalised:
    r"""Normalise e-mail addresses: trim, lower-case, check the form.

    An address is accepted when it matches
    ``local@domain.tld`` with a local part of letters, digits and
    ``. _ % + -``, and a domain of dot-separated labels ending in a
    top-level domain of two letters or more.  Spaces inside an address,
    a missing or doubled ``@`` or a missing top-level domain make it
    malformed.  (Lower-casing the local part is a simplification that holds
    for the large providers, though RFC 5321 lets a server distinguish case.)

    Parameters
    ----------
    series : pandas.Series
        Addresses as text; empty or missing values stay missing.

    Returns
    -------
    Normalised
        ``values`` (str, lower case) and ``reasons`` (``"bad_email"`` or
        ``""``).

    References
    ----------
    .. [1] J. Klensin, "Simple Mail Transfer Protocol", RFC 5321, 2008.

    Examples
    --------
    >>> import pandas as pd
    >>> result = normalise_email(pd.Series(["  Fang.Wang85@163.COM ", "fang.wang85163.com", "a@@b.com", None]))
    >>> result.values.tolist()
    ['fang.wang85@163.com', nan, nan, nan]
    >>> result.reasons.tolist()
    ['', 'bad_email', 'bad_email', '']
    """
    _check_series("series", series)
    return by_distinct_value(series, _email_core)


def _email_core(series: pd.Series):
    text = strip_text(series).str.lower()
    present = text.notna()
    valid = text.str.fullmatch(_EMAIL_RE).fillna(False).astype(bool)
    reasons = pd.Series(np.where(present & ~valid, "bad_email", ""), index=series.index).astype("str")
    return Normalised(text.where(valid).astype("str"), reasons)


def normalise_name(series: pd.Series) -> pd.Series:
    r"""Normalise personal names to one display form.

    Spaces are trimmed and collapsed, ``"Surname, Given"`` becomes ``"Given
    Surname"``, and names in Latin script are title-cased (``"WANG, fang"``
    -> ``"Fang Wang"``).  Names written in Chinese characters (汉字) are kept
    as written, without the spaces some clerks type between characters.
    (Title case is crude for names such as McDonald, which becomes
    Mcdonald; comparisons use the case-free :func:`name_key`.)  A
    name written without a comma in the order "Surname Given" cannot be told
    apart from "Given Surname" and is left in its order; :func:`name_key`
    makes such names comparable.

    Parameters
    ----------
    series : pandas.Series
        Names as text; empty or missing values stay missing.

    Returns
    -------
    pandas.Series
        Normalised names (str).

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 5 (data
       pre-processing).

    Examples
    --------
    >>> import pandas as pd
    >>> normalise_name(pd.Series(["  WANG,  Fang ", "fang   wang", "王 芳", "Li Na", ""])).tolist()
    ['Fang Wang', 'Fang Wang', '王芳', 'Li Na', nan]
    """
    _check_series("series", series)
    return by_distinct_value(series, _name_core)


def _name_core(series: pd.Series):
    text = strip_text(series).str.replace(r"\s+", " ", regex=True)
    parts = text.str.extract(r"^(?P<surname>[^,]+?)\s*,\s*(?P<given>.+)$")
    reordered = (parts["given"] + " " + parts["surname"]).where(parts["given"].notna(), text)
    han = reordered.str.contains(HAN_PATTERN, regex=True).fillna(False).astype(bool)
    out = reordered.where(han, reordered.str.title())
    out = out.where(~han, out.str.replace(" ", "", regex=False))
    return out.astype("str")


def name_key(series: pd.Series) -> pd.Series:
    r"""Order-free comparison key of normalised names.

    Latin-script names are lower-cased and their words sorted, so ``"Fang
    Wang"``, ``"Wang Fang"`` and ``"WANG, Fang"`` share the key ``"fang
    wang"``; names in Chinese characters are their own key.

    Parameters
    ----------
    series : pandas.Series
        Names (normalised or raw text).

    Returns
    -------
    pandas.Series
        Keys (str), missing where the name is.

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 4
       (indexing).

    Examples
    --------
    >>> import pandas as pd
    >>> name_key(pd.Series(["Fang Wang", "Wang Fang", "WANG, Fang", "王芳", None])).tolist()
    ['fang wang', 'fang wang', 'fang wang', '王芳', nan]
    """
    _check_series("series", series)
    return by_distinct_value(series, _key_core)


def _key_core(series: pd.Series):
    names = _name_core(series).str.lower()
    present = names.notna()
    if not present.any():
        return names
    words = names[present].str.split(" ", expand=True).fillna("").to_numpy(dtype=object)
    words = np.sort(words, axis=1)
    joined = pd.Series(words[:, 0], index=names.index[present], dtype="str")
    for k in range(1, words.shape[1]):
        joined = joined + " " + pd.Series(words[:, k], index=joined.index, dtype="str")
    out = names.copy()
    out[present] = joined.str.strip().str.replace(r"\s+", " ", regex=True)
    return out


def normalise_city(series: pd.Series) -> pd.Series:
    """Normalise city names: trim, title case, Chinese names to their English names.

    Parameters
    ----------
    series : pandas.Series
        City names as text.

    Returns
    -------
    pandas.Series
        City names (str), missing where the input was empty.

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 5 (data
       pre-processing).

    Examples
    --------
    >>> import pandas as pd
    >>> normalise_city(pd.Series([" hangzhou", "杭州", "HANGZHOU", ""])).tolist()
    ['Hangzhou', 'Hangzhou', 'Hangzhou', nan]
    """
    _check_series("series", series)
    return by_distinct_value(series, _city_core)


def _city_core(series: pd.Series):
    text = strip_text(series).str.replace(r"\s+", " ", regex=True)
    mapped = text.map(_CITY_FROM_ZH)
    return mapped.where(mapped.notna(), text.str.title()).astype("str")


def parse_dates(series: pd.Series, *, dayfirst: bool = True) -> Normalised:
    r"""Parse dates written in the formats found in the sources.

    Accepted forms (leading and trailing spaces ignored):

    * ``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYY.M.D``, optionally followed by
      a time ``HH:MM`` or ``HH:MM:SS``;
    * ``DD/MM/YYYY`` (or ``MM/DD/YYYY`` with ``dayfirst=False``);
    * ``YYYY年M月D日``.

    A value in none of these forms, or naming a day that does not exist
    (``2023-02-30``, ``0000-00-00``), becomes NaT with the reason
    ``"bad_date"``.  Whether a valid date is plausible (an age, a date in the
    future) is for the caller to check.

    Parameters
    ----------
    series : pandas.Series
        Dates as text; empty or missing values stay missing without a reason.
    dayfirst : bool, default True
        How to read ``NN/NN/YYYY``: day first (the convention of the course's
        files) or month first.

    Returns
    -------
    Normalised
        ``values`` (datetime64[ns]) and ``reasons`` (``"bad_date"`` or ``""``).

    References
    ----------
    .. [1] ISO 8601-1:2019, "Date and time -- Representations for information
       interchange -- Part 1: Basic rules", International Organization for
       Standardization, 2019.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.Series(["1985-03-02", "02/03/1985", "1985.3.2", "1985年3月2日",
    ...                  "2023-05-04 13:22:05", "2023-02-30", "n/a", ""])
    >>> result = parse_dates(raw)
    >>> result.values.dt.strftime("%Y-%m-%d").tolist()
    ['1985-03-02', '1985-03-02', '1985-03-02', '1985-03-02', '2023-05-04', nan, nan, nan]
    >>> result.reasons.tolist()
    ['', '', '', '', '', 'bad_date', 'bad_date', '']
    """
    if not isinstance(dayfirst, (bool, np.bool_)):
        raise TypeError(f"dayfirst must be True or False, got {type(dayfirst).__name__} {dayfirst!r}")
    _check_series("series", series)
    return by_distinct_value(series, lambda distinct: _dates_core(distinct, dayfirst))


def _dates_core(series: pd.Series, dayfirst: bool):
    text = strip_text(series)
    present = text.notna()
    # fast path: the ISO forms that systems export
    fast = pd.Series(pd.NaT, index=series.index, dtype=_NS)
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m-%d %H:%M:%S", 19)):
        pending = present & fast.isna() & (text.str.len() == width)
        if pending.any():
            fast[pending] = pd.to_datetime(text[pending], format=fmt, errors="coerce").astype(_NS)
    slow = present & fast.isna()
    if not slow.any():
        reasons = pd.Series("", index=series.index, dtype="str")
        return Normalised(fast, reasons)
    text = text.where(slow)
    iso = text.str.extract(
        r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
        r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
    )
    first, second = ("day", "month") if dayfirst else ("month", "day")
    slash = text.str.extract(rf"^(?P<{first}>\d{{1,2}})/(?P<{second}>\d{{1,2}})/(?P<year>\d{{4}})$")
    han = text.str.extract(r"^(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日$")
    parts = {}
    for unit in ("year", "month", "day"):
        value = iso[unit].fillna(slash[unit]).fillna(han[unit])
        parts[unit] = pd.to_numeric(value, errors="coerce")
    for unit in ("hour", "minute", "second"):
        parts[unit] = pd.to_numeric(iso[unit], errors="coerce").fillna(0.0)
    frame = pd.DataFrame(parts)
    ok = frame[["year", "month", "day"]].notna().all(axis=1) & (frame["year"] >= 1)
    values = fast.copy()
    if ok.any():
        values[ok] = pd.to_datetime(frame[ok], errors="coerce").astype(_NS)
    reasons = pd.Series(np.where(present & values.isna(), "bad_date", ""), index=series.index).astype("str")
    return Normalised(values, reasons)


def name_similarity(left: pd.Series, right: pd.Series, q: int = 2) -> np.ndarray:
    r"""Jaccard similarity of the q-gram sets of two aligned series of names.

    Each name is padded as ``^name$`` and cut into its set :math:`G` of
    overlapping substrings of length :math:`q`; the similarity of two names
    is

    .. math:: J(a, b) = \frac{|G_a \cap G_b|}{|G_a \cup G_b|} \in [0, 1].

    A missing name gives NaN.  The computation is vectorised: the q-gram
    sets form a sparse 0/1 matrix and the intersections are row-wise dot
    products, evaluated once per distinct pair of names.

    Parameters
    ----------
    left, right : pandas.Series
        Names (or keys) to compare position by position; same length.
    q : int, default 2
        Length of the substrings (a whole number >= 1).

    Returns
    -------
    numpy.ndarray
        Similarities (float), NaN where either name is missing.

    References
    ----------
    .. [1] E. Ukkonen, "Approximate string-matching with q-grams and maximal
       matches", Theoretical Computer Science 92(1), 191-211, 1992.
    .. [2] P. Jaccard, "The distribution of the flora in the alpine zone",
       New Phytologist 11(2), 37-50, 1912.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series(["fang wang", "fang wang", "fang wang", "王芳", None])
    >>> b = pd.Series(["fang wang", "fnag wang", "wei wang", "王芳", "x"])
    >>> name_similarity(a, b).round(3).tolist()
    [1.0, 0.636, 0.417, 1.0, nan]
    """
    _check_series("left", left)
    _check_series("right", right)
    if len(left) != len(right):
        raise ValueError(f"left and right must have the same length, got {len(left)} and {len(right)}")
    q = check_positive_int("q", q)
    a = left.astype("str").to_numpy(dtype=object)
    b = right.astype("str").to_numpy(dtype=object)
    both = pd.notna(a) & pd.notna(b)
    out = np.full(len(a), np.nan)
    if not both.any():
        return out
    codes, uniques = pd.factorize(np.concatenate([a[both], b[both]]))
    ca, cb = codes[: both.sum()], codes[both.sum() :]
    out_both = np.ones(ca.size)
    diff = ca != cb
    if diff.any():
        pair = np.unique(np.stack([ca[diff], cb[diff]], axis=1), axis=0)
        grams = [{f"^{s}$"[i : i + q] for i in range(max(len(s) + 3 - q, 1))} for s in uniques]
        vocab: dict[str, int] = {}
        cols = [vocab.setdefault(g, len(vocab)) for gs in grams for g in gs]
        rows = np.repeat(np.arange(len(grams)), [len(gs) for gs in grams])
        m = sparse.csr_matrix((np.ones(len(cols)), (rows, np.asarray(cols))), shape=(len(grams), len(vocab)))
        size = np.asarray(m.sum(axis=1)).ravel()
        inter = np.asarray(m[pair[:, 0]].multiply(m[pair[:, 1]]).sum(axis=1)).ravel()
        sim = inter / (size[pair[:, 0]] + size[pair[:, 1]] - inter)
        lookup = pd.Series(sim, index=pd.MultiIndex.from_arrays([pair[:, 0], pair[:, 1]]))
        out_both[diff] = lookup.reindex(pd.MultiIndex.from_arrays([ca[diff], cb[diff]])).to_numpy()
    out[both] = out_both
    return out
