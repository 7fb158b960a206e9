r"""The unified customer database (统一客户数据库) of Chapter 2, built from raw files.

Most firms keep customer data in pieces: the sales CRM, the web shop, the
warranty cards mailed back after a purchase, the service department's
complaint records and the order system each know part of a customer, under
their own spelling.  A unified database joins them, and the textbook's recipe
has three stages: gather and clean the sources (extract, merge, delete,
identify, extend, validate, update into one format), store them centrally,
and query them.  This module implements that pipeline on the course's raw
files (:mod:`coursekit.data.crm_sources`) with the standard library's
:mod:`sqlite3`:

1. :func:`extract` reads the five files as text, with no silent conversion;
2. the normalisers (:func:`normalise_phone`, :func:`normalise_email`,
   :func:`normalise_name`, :func:`normalise_city`, :func:`parse_dates`) put
   each field into one canonical form and say why a value could not be;
3. :func:`clean` applies them source by source and checks every row; a value
   that fails is removed, a row that fails a required field is rejected, and
   either way a line goes into the **quality report** (source, row id,
   field, value, reason, action) -- nothing is dropped or rewritten silently;
4. :func:`candidate_pairs`, :func:`score_pairs` and :func:`match` find the
   records that describe the same person (record linkage, 客户识别):
   blocking on exact keys keeps the number of comparisons near linear, a
   Fellegi-Sunter style score adds the evidence of each field, and the
   connected components of the accepted pairs are the customers;
5. :func:`merge` keeps one row per customer, choosing each field from the
   most trusted source and recording where it came from (provenance);
6. :func:`build_database` loads everything into SQLite under :data:`SCHEMA`
   (primary and foreign keys, checks, the quality report and a load log in
   which loaded + rejected = read for every source), and :func:`query`
   returns SQL results as DataFrames.

:func:`pseudonymise` replaces identifiers by salted hashes before an analysis
leaves the firm, as Dick's Supermarkets does when it shares results with
manufacturers with the customers' names removed.

References
----------
.. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
   Journal of the American Statistical Association 64(328), 1183-1210, 1969.
.. [2] P. Christen, *Data Matching: Concepts and Techniques for Record
   Linkage, Entity Resolution, and Duplicate Detection*, Springer, 2012.
.. [3] E. F. Codd, "A relational model of data for large shared data banks",
   Communications of the ACM 13(6), 377-387, 1970.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from coursekit._validate import check_number, check_positive_int
from coursekit.data.crm_sources import (CITY_NAMES_ZH, CONTACT_SOURCES, DEFECT_REASONS, INCENTIVES, ORDER_CATEGORIES, REFERENCE_DATE, ROW_ID_COLUMN, SOURCE_COLUMNS, SOURCE_FILES, SOURCES, TICKET_CATEGORIES, crm_dir, load_crm_identity)

__all__ = [
    "Normalised",
    "QualityIssue",
    "Cleaned",
    "Merged",
    "MatchQuality",
    "REASONS",
    "REQUIRED",
    "QUALITY_COLUMNS",
    "CONTACT_COLUMNS",
    "BLOCKING_KEYS",
    "WEIGHTS",
    "THRESHOLD",
    "NAME_SIMILAR",
    "SOURCE_PRIORITY",
    "SCHEMA",
    "MAX_AGE",
    "MIN_SALT_LENGTH",
    "normalise_phone",
    "normalise_email",
    "normalise_name",
    "normalise_city",
    "name_key",
    "parse_dates",
    "name_similarity",
    "quality_report",
    "extract",
    "clean_contacts",
    "clean",
    "candidate_pairs",
    "score_pairs",
    "match",
    "true_person_ids",
    "match_quality",
    "merge",
    "build_database",
    "query",
    "pseudonymise",
]

_NS = "datetime64[ns]"
_YEAR_DAYS = 365.2425

#: Oldest plausible age (years) at the reference date.
MAX_AGE = 110
#: Shortest salt accepted by :func:`pseudonymise`.
MIN_SALT_LENGTH = 8

#: Reason codes of the quality report and what they mean.
REASONS: dict[str, str] = {
    **DEFECT_REASONS,
    "bad_value": "the value is not one of those the field allows",
    "duplicate_id": "the row id occurs earlier in the same file",
    "unknown_customer": "the order's identifier matches no loaded customer record",
}

#: Required fields of each source: a row that fails one of them is rejected.
REQUIRED: dict[str, tuple[str, ...]] = {
    "crm_export": ("crm_id", "name"),
    "web_registrations": ("account_id", "email"),
    "warranty_cards": ("card_id", "name", "serial_number"),
    "service_tickets": ("ticket_id", "contact", "opened_at", "category", "complaint"),
    "order_lines": ("order_id", "line_no", "channel", "identifier", "order_date", "category", "quantity", "unit_price"),
}

#: Columns of the quality report.
QUALITY_COLUMNS: list[str] = ["source", "source_row_id", "field", "value", "reason", "action"]

#: Columns of the standardised contact records made by :func:`clean_contacts`.
CONTACT_COLUMNS: list[str] = [
    "source",
    "source_row_id",
    "record_date",
    "name",
    "name_key",
    "phone",
    "email",
    "birth_date",
    "city",
]

# Name of each unified contact field in each source file.
_RECORD_DATE = {
    "crm_export": "created",
    "web_registrations": "registered_at",
    "warranty_cards": "purchase_date",
    "service_tickets": "opened_at",
}
_CONTACT_FIELDS = ("name", "phone", "email", "birth_date", "city", "record_date")
# Required contact fields in unified names ("contact" = phone or e-mail).
_CONTACT_REQUIRED = {
    "crm_export": ("name",),
    "web_registrations": ("email",),
    "warranty_cards": ("name",),
    "service_tickets": ("contact", "record_date"),
}

#: Blocking keys tried by :func:`candidate_pairs`.
BLOCKING_KEYS: tuple[str, ...] = ("phone", "email", "name_birth_year", "name_phone_head", "name_phone_tail")

#: Evidence weights of :func:`score_pairs` (log-odds style points).
WEIGHTS: dict[str, float] = {
    "name_exact": 3.0,
    "name_similar": 2.0,
    "name_different": -3.0,
    "phone_exact": 6.0,
    "phone_one_digit": 3.0,
    "phone_different": -1.0,
    "email_exact": 6.0,
    "email_different": -1.0,
    "birth_date_exact": 4.0,
    "birth_date_different": -4.0,
    "city_same": 0.5,
    "city_different": -1.0,
}
#: Score at or above which two records are taken to be the same person.
THRESHOLD = 5.0
#: q-gram Jaccard similarity at or above which two different names count as a typo.
NAME_SIMILAR = 0.55

#: Sources trusted for each field of a merged customer, most trusted first.
SOURCE_PRIORITY: dict[str, tuple[str, ...]] = {
    "name": ("crm_export", "web_registrations", "warranty_cards"),
    "phone": ("crm_export", "web_registrations", "warranty_cards", "service_tickets"),
    "email": ("web_registrations", "crm_export", "service_tickets"),
    "birth_date": ("crm_export",),
    "city": ("crm_export", "warranty_cards"),
}

_MERGED_FIELDS = tuple(SOURCE_PRIORITY)

_HAN = r"[\u3400-\u9fff]"
_EMAIL_RE = r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$"
_CITY_FROM_ZH = {zh: en for en, zh in CITY_NAMES_ZH.items()}


# ----------------------------------------------------------------------------------------------
# records
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Normalised:
    """Canonical values of a field and, per value, why it could not be normalised.

    Attributes
    ----------
    values : pandas.Series
        The canonical values, missing (NaN / NaT) where the input was empty
        or unusable.
    reasons : pandas.Series
        A reason code of :data:`REASONS` where the input was not empty but
        could not be used, and ``""`` elsewhere.  Same index as ``values``.
    """

    values: pd.Series
    reasons: pd.Series

    @property
    def failed(self) -> pd.Series:
        """Boolean mask of the inputs that could not be used."""
        return self.reasons != ""


@dataclass(frozen=True)
class QualityIssue:
    """One line of the quality report: what failed, where, and what was done.

    Attributes
    ----------
    source : str
        Source file (one of :data:`coursekit.data.crm_sources.SOURCES`).
    source_row_id : str
        Row id in that file (``order_id-line_no`` for order lines).
    field : str
        Column of the file that failed.
    value : str
        The text found there (empty for a missing value).
    reason : str
        Reason code, a key of :data:`REASONS`.
    action : str
        ``"rejected"`` (the row was not loaded) or ``"set to missing"`` (the
        row was loaded without this value).
    """

    source: str
    source_row_id: str
    field: str
    value: str
    reason: str
    action: str

    def __post_init__(self):
        if self.reason not in REASONS:
            raise ValueError(f"reason must be one of {', '.join(map(repr, REASONS))}; got {self.reason!r}")
        if self.action not in ("rejected", "set to missing"):
            raise ValueError(f"action must be 'rejected' or 'set to missing'; got {self.action!r}")

    @property
    def explanation(self) -> str:
        """The meaning of :attr:`reason` in words."""
        return REASONS[self.reason]


@dataclass(frozen=True)
class Cleaned:
    """The output of :func:`clean`: standardised records and the quality report.

    Attributes
    ----------
    contacts : pandas.DataFrame
        One row per loaded record of the four contact sources, columns
        :data:`CONTACT_COLUMNS`, RangeIndex.
    accounts : pandas.DataFrame
        Web accounts: ``account_id``, ``registered_at`` (datetime64[ns]),
        ``incentive`` (str), ``marketing_consent`` (nullable boolean; missing
        when the file's value was not ``yes`` or ``no``).
    warranties : pandas.DataFrame
        Warranty cards: ``card_id``, ``product``, ``serial_number``,
        ``purchase_date`` (datetime64[ns]).
    tickets : pandas.DataFrame
        Service tickets: ``ticket_id``, ``opened_at`` and ``resolved_at``
        (datetime64[ns]), ``category`` (one of the bucket's holes),
        ``complaint`` (bool), ``summary``.
    orders : pandas.DataFrame
        Loaded order lines: ``order_id``, ``line_no`` (int64), ``channel``,
        ``identifier`` (as written), ``link_source`` and ``link_row_id``
        (the contact record the identifier points to), ``order_date``
        (datetime64[ns]), ``category``, ``quantity`` (int64), ``unit_price``
        and ``amount`` (float, currency units).
    issues : pandas.DataFrame
        The quality report, columns :data:`QUALITY_COLUMNS`.
    counts : pandas.DataFrame
        Per source: ``source``, ``file``, ``rows_read``, ``rows_loaded``,
        ``rows_rejected`` (loaded + rejected = read).
    """

    contacts: pd.DataFrame
    accounts: pd.DataFrame
    warranties: pd.DataFrame
    tickets: pd.DataFrame
    orders: pd.DataFrame
    issues: pd.DataFrame
    counts: pd.DataFrame


@dataclass(frozen=True)
class Merged:
    """The output of :func:`merge`: customers, their records and provenance.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer: ``customer_id`` (``"CU00001"`` ...), ``name``,
        ``phone``, ``email``, ``birth_date`` (datetime64[ns]), ``city``,
        ``first_seen`` (earliest record date), ``n_records`` (int64),
        ``sources`` (the contributing sources joined by ``";"``).
    members : pandas.DataFrame
        One row per contact record: ``source``, ``source_row_id``,
        ``customer_id``.
    provenance : pandas.DataFrame
        One row per customer and non-missing field: ``customer_id``,
        ``field``, ``source``, ``source_row_id`` of the record the value was
        taken from.
    """

    customers: pd.DataFrame
    members: pd.DataFrame
    provenance: pd.DataFrame


@dataclass(frozen=True)
class MatchQuality:
    """Pairwise quality of a clustering of records against the truth.

    A pair of records is *predicted* when both are in one cluster and *true*
    when both belong to one person.

    Attributes
    ----------
    precision, recall, f1 : float
        :math:`TP / (TP + FP)`, :math:`TP / (TP + FN)` and their harmonic
        mean (NaN when a denominator is 0).
    true_positives, false_positives, false_negatives : int
        Numbers of record pairs.
    n_records, n_clusters, n_people : int
        Records compared, predicted clusters, true people.
    """

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    n_records: int
    n_clusters: int
    n_people: int


# ----------------------------------------------------------------------------------------------
# argument checks
# ----------------------------------------------------------------------------------------------
def _check_series(name: str, series) -> pd.Series:
    if not isinstance(series, pd.Series):
        raise TypeError(f"{name} must be a pandas Series of text, got {type(series).__name__}")
    if len(series) and not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        raise TypeError(f"{name} must hold text (str or object dtype), got the dtype {series.dtype}")
    return series


def _text(series: pd.Series) -> pd.Series:
    """Text values with surrounding spaces removed; missing or empty -> NaN."""
    out = series.astype("str").str.strip()
    return out.where(out != "")


def _check_frame(name: str, frame, columns) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{name} must have the columns {list(columns)}; missing {absent}")
    return frame


def _reference(name: str, value) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as '2024-01-01', got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as '2024-01-01', got a missing value")
    return stamp.as_unit("ns")


def _by_unique(series: pd.Series, core):
    """Apply ``core`` once per distinct value of ``series`` and spread the result back.

    ``core`` takes a Series of distinct texts (the last one missing) and
    returns a Series or a :class:`Normalised` aligned with it.  Real columns
    repeat values (dates, cities, categories), so this saves most of the work
    of pandas' per-element string methods.
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


# ----------------------------------------------------------------------------------------------
# normalisers
# ----------------------------------------------------------------------------------------------
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
    return _by_unique(series, _phone_core)


def _phone_core(series: pd.Series):
    text = _text(series)
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
    reasons = pd.Series(np.where(letters, "phone_letters", np.where(present & ~valid, "bad_phone", "")), index=series.index)
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
    return _by_unique(series, _email_core)


def _email_core(series: pd.Series):
    text = _text(series).str.lower()
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
    return _by_unique(series, _name_core)


def _name_core(series: pd.Series):
    text = _text(series).str.replace(r"\s+", " ", regex=True)
    parts = text.str.extract(r"^(?P<surname>[^,]+?)\s*,\s*(?P<given>.+)$")
    reordered = (parts["given"] + " " + parts["surname"]).where(parts["given"].notna(), text)
    han = reordered.str.contains(_HAN, regex=True).fillna(False).astype(bool)
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
    return _by_unique(series, _key_core)


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
    return _by_unique(series, _city_core)


def _city_core(series: pd.Series):
    text = _text(series).str.replace(r"\s+", " ", regex=True)
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
    return _by_unique(series, lambda distinct: _dates_core(distinct, dayfirst))


def _dates_core(series: pd.Series, dayfirst: bool):
    text = _text(series)
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


# ----------------------------------------------------------------------------------------------
# quality report
# ----------------------------------------------------------------------------------------------
def quality_report(*parts) -> pd.DataFrame:
    """Assemble quality issues into the report frame, in a stable order.

    Parameters
    ----------
    *parts : pandas.DataFrame or iterable of QualityIssue
        Frames with the columns :data:`QUALITY_COLUMNS`, or
        :class:`QualityIssue` records.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`QUALITY_COLUMNS` (all str), sorted by source (in
        :data:`coursekit.data.crm_sources.SOURCES` order), row id and field, with
        a RangeIndex.

    References
    ----------
    .. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality
       means to data consumers", Journal of Management Information Systems
       12(4), 5-33, 1996.

    Examples
    --------
    >>> issue = QualityIssue("crm_export", "C00007", "phone", "138O1234567", "phone_letters", "set to missing")
    >>> quality_report([issue])[["source_row_id", "reason", "action"]].to_dict("records")
    [{'source_row_id': 'C00007', 'reason': 'phone_letters', 'action': 'set to missing'}]
    >>> issue.explanation
    'the phone number holds letters (O or l typed for 0 or 1?)'
    """
    frames = []
    for part in parts:
        if isinstance(part, pd.DataFrame):
            _check_frame("each part", part, QUALITY_COLUMNS)
            frames.append(part[QUALITY_COLUMNS])
        else:
            records = list(part)
            bad = [r for r in records if not isinstance(r, QualityIssue)]
            if bad:
                raise TypeError(f"each part must be a DataFrame or an iterable of QualityIssue, got {type(bad[0]).__name__}")
            frames.append(pd.DataFrame([r.__dict__ for r in records], columns=QUALITY_COLUMNS))
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in QUALITY_COLUMNS})
    report = pd.concat(frames, ignore_index=True).astype("str")
    rank = report["source"].map({s: i for i, s in enumerate(SOURCES)}).fillna(len(SOURCES))
    report = report.assign(_rank=rank).sort_values(["_rank", "source_row_id", "field", "reason"], kind="stable")
    return report.drop(columns="_rank").reset_index(drop=True)


def _issues(source: str, row_ids, field: str, values, reasons, mask) -> pd.DataFrame:
    """Issue rows for ``mask`` (action filled in later)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in QUALITY_COLUMNS})
    return pd.DataFrame(
        {
            "source": source if np.isscalar(source) else np.asarray(source, dtype=object)[mask],
            "source_row_id": np.asarray(row_ids, dtype=object)[mask],
            "field": field,
            "value": np.asarray(pd.Series(values).fillna(""), dtype=object)[mask],
            "reason": np.asarray(reasons, dtype=object)[mask] if not np.isscalar(reasons) else reasons,
            "action": "",
        },
        columns=QUALITY_COLUMNS,
    )


# ----------------------------------------------------------------------------------------------
# extract and clean
# ----------------------------------------------------------------------------------------------
def extract(directory=None) -> dict:
    """Read the five raw source files as text, exactly as written.

    Every column is read as a string; an empty field is the empty string.
    Nothing is converted, trimmed or dropped here (the E of ETL).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.data.loaders.data_dir`), or the ``crm`` folder itself.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed by :data:`coursekit.data.crm_sources.SOURCES`, columns as in
        :data:`coursekit.data.crm_sources.SOURCE_COLUMNS`.

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    ValueError
        If a file's header is not the expected one.

    References
    ----------
    .. [1] R. Kimball and J. Caserta, *The Data Warehouse ETL Toolkit*,
       Wiley, 2004.

    Examples
    --------
    >>> raw = extract()
    >>> {name: len(frame) for name, frame in raw.items()}
    {'crm_export': 1512, 'web_registrations': 956, 'warranty_cards': 938, 'service_tickets': 1157, 'order_lines': 60292}
    >>> raw["crm_export"].loc[0, "phone"]
    '+86 131-8404-2750'
    """
    folder = crm_dir(directory)
    raw = {}
    for source in SOURCES:
        path = folder / SOURCE_FILES[source]
        if not path.is_file():
            raise FileNotFoundError(f"the source file {str(path)!r} does not exist; regenerate it with `make data`")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
        if frame.columns.tolist() != SOURCE_COLUMNS[source]:
            raise ValueError(
                f"{path.name} must have the columns {SOURCE_COLUMNS[source]}, got {frame.columns.tolist()}"
            )
        raw[source] = frame.astype("str")
    return raw


def _row_ids(source: str, frame: pd.DataFrame) -> np.ndarray:
    """Row ids as written, without surrounding spaces (``order_id-line_no`` for order lines)."""
    if source == "order_lines":
        return (_stripped(frame["order_id"]) + "-" + _stripped(frame["line_no"])).to_numpy(dtype=object)
    return _stripped(frame[ROW_ID_COLUMN[source]]).to_numpy(dtype=object)


def _stripped(series: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed ('' for missing), computed once per distinct value."""
    return _by_unique(series, lambda u: u.str.strip().fillna(""))


def _required_empty(source: str, frame: pd.DataFrame, ids, fields, text=None) -> list[pd.DataFrame]:
    out = []
    for field in fields:
        empty = (text[field] if text is not None else _stripped(frame[field])) == ""
        out.append(_issues(source, ids, field, frame[field], "missing_required", empty.to_numpy()))
    return out


def _duplicates(source: str, frame: pd.DataFrame, ids) -> pd.DataFrame:
    ids = pd.Series(ids, dtype="str")
    dup = ids.duplicated().to_numpy().copy()
    if dup.any():
        dup &= (_stripped(ids) != "").to_numpy()
    field = "order_id" if source == "order_lines" else ROW_ID_COLUMN[source]
    return _issues(source, ids, field, frame[field], "duplicate_id", dup)


def clean_contacts(frame: pd.DataFrame, *, reference_date=REFERENCE_DATE):
    r"""Standardise contact records given in one unified layout, with their issues.

    ``frame`` holds text columns ``source``, ``source_row_id``, ``name``,
    ``phone``, ``email``, ``birth_date``, ``city`` and optionally
    ``record_date`` (the date the record was made).  Each value is
    normalised (:func:`normalise_name`, :func:`normalise_phone`,
    :func:`normalise_email`, :func:`parse_dates`, :func:`normalise_city`);
    then

    * a birth date giving an age :math:`a = (t_{\text{ref}} -
      \text{birth}) / 365.2425` outside :math:`[0, 110]` years is an
      ``impossible_age``;
    * a record date after the reference date is a ``future_date``;
    * an empty required field (:data:`REQUIRED`; for a service ticket the
      phone *or* e-mail) is ``missing_required``.

    A failed value is removed (``"set to missing"``); a record that fails a
    required field is left out (``"rejected"``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Contact records in the unified layout, such as
        :func:`coursekit.data.crm_sources.make_contacts` returns.
    reference_date : str or Timestamp, default "2024-01-01"
        "Today" for ages and future dates.

    Returns
    -------
    contacts : pandas.DataFrame
        The records kept, columns :data:`CONTACT_COLUMNS`, RangeIndex.
    issues : pandas.DataFrame
        Quality report (fields named as in the unified layout).

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 5 (data
       pre-processing).

    Examples
    --------
    >>> from coursekit.data.crm_sources import make_contacts
    >>> contacts, issues = clean_contacts(make_contacts(500, seed=4))
    >>> len(contacts), len(issues)
    (500, 0)
    >>> contacts.columns.tolist() == CONTACT_COLUMNS
    True
    """
    _check_frame("frame", frame, ["source", "source_row_id", "name", "phone", "email", "birth_date", "city"])
    ref = _reference("reference_date", reference_date)
    bad_sources = sorted(set(frame["source"].astype(str)) - set(CONTACT_SOURCES))
    if bad_sources:
        raise ValueError(f"frame['source'] must hold only {list(CONTACT_SOURCES)}, got {bad_sources}")
    frame = frame.reset_index(drop=True)
    src = frame["source"].astype("str").to_numpy(dtype=object)
    ids = frame["source_row_id"].astype("str").to_numpy(dtype=object)
    name = normalise_name(frame["name"])
    phone = normalise_phone(frame["phone"])
    email = normalise_email(frame["email"])
    birth = parse_dates(frame["birth_date"])
    raw_record = frame["record_date"] if "record_date" in frame.columns else pd.Series("", index=frame.index, dtype="str")
    record = parse_dates(raw_record)
    age = (ref - birth.values).dt.days / _YEAR_DAYS
    impossible = (age < 0) | (age > MAX_AGE)
    future = record.values > ref
    birth_values = birth.values.where(~impossible)
    record_values = record.values.where(~future)
    parts = [
        _issues(src, ids, "phone", frame["phone"], phone.reasons, phone.failed),
        _issues(src, ids, "email", frame["email"], email.reasons, email.failed),
        _issues(src, ids, "birth_date", frame["birth_date"], birth.reasons, birth.failed),
        _issues(src, ids, "birth_date", frame["birth_date"], "impossible_age", impossible.to_numpy()),
        _issues(src, ids, "record_date", raw_record, record.reasons, record.failed),
        _issues(src, ids, "record_date", raw_record, "future_date", future.to_numpy()),
    ]
    is_ticket = src == "service_tickets"
    needs_name = np.isin(src, [s for s, f in _CONTACT_REQUIRED.items() if "name" in f])
    needs_email = np.isin(src, [s for s, f in _CONTACT_REQUIRED.items() if "email" in f])
    raw_empty = {c: (frame[c].astype("str").str.strip().fillna("") == "").to_numpy() for c in ("name", "email", "phone")}
    parts.append(_issues(src, ids, "name", frame["name"], "missing_required", needs_name & raw_empty["name"]))
    parts.append(_issues(src, ids, "email", frame["email"], "missing_required", needs_email & raw_empty["email"]))
    parts.append(
        _issues(src, ids, "contact", frame["phone"], "missing_required", is_ticket & raw_empty["phone"] & raw_empty["email"])
    )
    if "record_date" in frame.columns:
        empty_record = (raw_record.astype("str").str.strip().fillna("") == "").to_numpy()
        parts.append(_issues(src, ids, "record_date", raw_record, "missing_required", is_ticket & empty_record))
    issues = pd.concat(parts, ignore_index=True)
    # a failed required field rejects the row
    required_hit = np.zeros(len(issues), dtype=bool)
    isrc = issues["source"].to_numpy(dtype=object)
    ifield = issues["field"].to_numpy(dtype=object)
    for source, fields in _CONTACT_REQUIRED.items():
        unified = set(fields) | ({"phone", "email"} if "contact" in fields else set())
        required_hit |= (isrc == source) & np.isin(ifield, list(unified))
    rejected_keys = set(zip(isrc[required_hit], issues["source_row_id"].to_numpy(dtype=object)[required_hit]))
    row_keys = pd.MultiIndex.from_arrays([src, ids])
    rejected = row_keys.isin(list(rejected_keys)) if rejected_keys else np.zeros(len(frame), dtype=bool)
    issue_keys = pd.MultiIndex.from_arrays([isrc, issues["source_row_id"].to_numpy(dtype=object)])
    issue_rejected = issue_keys.isin(list(rejected_keys)) if rejected_keys else np.zeros(len(issues), dtype=bool)
    issues["action"] = np.where(issue_rejected, "rejected", "set to missing")
    names = name
    contacts = pd.DataFrame(
        {
            "source": pd.array(src, dtype="str"),
            "source_row_id": pd.array(ids, dtype="str"),
            "record_date": record_values.astype(_NS),
            "name": names,
            "name_key": name_key(names),
            "phone": phone.values,
            "email": email.values,
            "birth_date": birth_values.astype(_NS),
            "city": normalise_city(frame["city"]),
        }
    )
    contacts = contacts[~np.asarray(rejected)].reset_index(drop=True)
    return contacts, quality_report(issues)


def _unified(source: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The contact fields of one source in the unified layout."""
    empty = pd.Series("", index=frame.index, dtype="str")
    out = pd.DataFrame({"source": source, "source_row_id": _row_ids(source, frame)}, index=frame.index)
    for field in ("name", "phone", "email", "birth_date", "city"):
        out[field] = frame[field] if field in frame.columns else empty
    if source == "service_tickets":
        contact = frame["contact"].astype("str")
        is_email = contact.str.contains("@", regex=False).fillna(False).astype(bool)
        out["phone"] = contact.where(~is_email, "")
        out["email"] = contact.where(is_email, "")
    out["record_date"] = frame[_RECORD_DATE[source]]
    return out.astype("str")


def _field_names(source: str, issues: pd.DataFrame) -> pd.DataFrame:
    """Rename unified fields back to the column names of ``source``."""
    rename = {"record_date": _RECORD_DATE[source]}
    if source == "service_tickets":
        rename.update({"phone": "contact", "email": "contact"})
    return issues.assign(field=issues["field"].replace(rename))


def _choice_issues(source, frame, ids, field, allowed, text=None) -> pd.DataFrame:
    values = text[field] if text is not None else _stripped(frame[field])
    bad = (values != "") & ~values.isin(list(allowed))
    return _issues(source, ids, field, frame[field], "bad_value", bad.to_numpy())


def clean(raw: dict, *, reference_date=REFERENCE_DATE) -> Cleaned:
    r"""Clean and validate the raw sources; report every problem with its row and reason.

    For each source, every field is normalised and checked (see the
    normalisers, :func:`clean_contacts` and :data:`REASONS`): dates that are
    not dates, future dates, impossible ages, phone numbers with letters or
    the wrong number of digits, malformed e-mails, values outside a field's
    allowed set, empty required fields, duplicate row ids, order quantities
    that are not whole numbers >= 1 and prices that are not > 0, and order
    lines whose identifier (CRM id, web account id or e-mail) matches no
    loaded record.  A row that fails a required field (:data:`REQUIRED`) is
    rejected; otherwise the failed value is removed.  Every such decision is
    a row of ``issues``, so that

    .. math:: \text{rows read} = \text{rows loaded} + \text{rows rejected}

    holds for each source (see ``counts``).

    Parameters
    ----------
    raw : dict of str to pandas.DataFrame
        The text frames of :func:`extract`.
    reference_date : str or Timestamp, default "2024-01-01"
        "Today" for ages and future dates.

    Returns
    -------
    Cleaned
        Standardised contacts, the source-specific tables, the quality
        report and the row counts.

    References
    ----------
    .. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality
       means to data consumers", Journal of Management Information Systems
       12(4), 5-33, 1996.
    .. [2] E. Rahm and H. H. Do, "Data cleaning: problems and current
       approaches", IEEE Data Engineering Bulletin 23(4), 3-13, 2000.

    Examples
    --------
    >>> cleaned = clean(extract())
    >>> print(cleaned.counts.to_string(index=False))
               source                  file  rows_read  rows_loaded  rows_rejected
           crm_export        crm_export.csv       1512         1506              6
    web_registrations web_registrations.csv        956          943             13
       warranty_cards    warranty_cards.csv        938          929              9
      service_tickets   service_tickets.csv       1157         1145             12
          order_lines       order_lines.csv      60292        60264             28
    >>> cleaned.issues["reason"].value_counts().to_dict()
    {'bad_date': 40, 'missing_required': 34, 'phone_letters': 30, 'bad_email': 21, 'impossible_age': 12, 'bad_quantity': 10, 'bad_phone': 8, 'future_date': 6, 'bad_price': 4}
    """
    if not isinstance(raw, dict):
        raise TypeError(f"raw must be a dict of DataFrames as returned by extract(), got {type(raw).__name__}")
    missing = [s for s in SOURCES if s not in raw]
    if missing:
        raise ValueError(f"raw must hold the sources {list(SOURCES)}; missing {missing}")
    for source in SOURCES:
        _check_frame(f"raw[{source!r}]", raw[source], SOURCE_COLUMNS[source])
    ref = _reference("reference_date", reference_date)
    frames = {s: raw[s].reset_index(drop=True).astype("str") for s in SOURCES}
    ids = {s: _row_ids(s, frames[s]) for s in SOURCES}

    # --- contact sources -------------------------------------------------------------------
    contact_parts, issue_parts = [], []
    for source in CONTACT_SOURCES:
        frame = frames[source]
        extra = [_duplicates(source, frame, ids[source])]
        extra += _required_empty(source, frame, ids[source], [ROW_ID_COLUMN[source]])
        if source == "warranty_cards":
            extra += _required_empty(source, frame, ids[source], ["serial_number"])
        if source == "web_registrations":
            extra.append(_choice_issues(source, frame, ids[source], "incentive", INCENTIVES))
            extra.append(_choice_issues(source, frame, ids[source], "marketing_consent", ("yes", "no")))
        if source == "service_tickets":
            extra += _required_empty(source, frame, ids[source], ["category", "complaint"])
            extra.append(_choice_issues(source, frame, ids[source], "category", TICKET_CATEGORIES))
            extra.append(_choice_issues(source, frame, ids[source], "complaint", ("True", "False")))
            resolved = parse_dates(frame["resolved_at"])
            extra.append(_issues(source, ids[source], "resolved_at", frame["resolved_at"], resolved.reasons, resolved.failed))
        extra = pd.concat(extra, ignore_index=True)
        contact_parts.append(_unified(source, frame))
        issue_parts.append(extra)
    unified = pd.concat(contact_parts, ignore_index=True)
    contacts, contact_issues = clean_contacts(unified, reference_date=ref)
    contact_issues = pd.concat(
        [_field_names(s, contact_issues[contact_issues["source"] == s]) for s in CONTACT_SOURCES], ignore_index=True
    )
    extra_issues = pd.concat(issue_parts, ignore_index=True)
    # rejection: any issue on a required field (in the file's own names)
    all_contact_issues = pd.concat([contact_issues, extra_issues], ignore_index=True)
    req = np.array(
        [f in REQUIRED[s] for s, f in zip(all_contact_issues["source"], all_contact_issues["field"])], dtype=bool
    )
    req &= (all_contact_issues["reason"] != "duplicate_id").to_numpy()
    rejected = pd.MultiIndex.from_arrays(
        [all_contact_issues["source"][req].to_numpy(), all_contact_issues["source_row_id"][req].to_numpy()]
    ).unique()
    keys = pd.MultiIndex.from_arrays([all_contact_issues["source"].to_numpy(), all_contact_issues["source_row_id"].to_numpy()])
    dropped = keys.isin(rejected) | (all_contact_issues["reason"] == "duplicate_id").to_numpy()
    all_contact_issues["action"] = np.where(dropped, "rejected", "set to missing")
    ckeys = pd.MultiIndex.from_arrays([contacts["source"].to_numpy(), contacts["source_row_id"].to_numpy()])
    # a duplicated id keeps its first row only
    first = ~pd.Series(list(zip(contacts["source"], contacts["source_row_id"]))).duplicated().to_numpy()
    contacts = contacts[~ckeys.isin(rejected) & first].reset_index(drop=True)

    # --- source-specific tables ---------------------------------------------------------------
    def kept(source):
        frame = frames[source]
        keys_ = pd.MultiIndex.from_arrays([np.full(len(frame), source, dtype=object), ids[source]])
        dup = pd.Series(ids[source]).duplicated().to_numpy()
        return frame[~keys_.isin(rejected) & ~dup].reset_index(drop=True)

    web = kept("web_registrations")
    accounts = pd.DataFrame(
        {
            "account_id": web["account_id"].str.strip(),
            "registered_at": parse_dates(web["registered_at"]).values.where(lambda s: s <= ref),
            "incentive": web["incentive"].str.strip().where(lambda s: s.isin(list(INCENTIVES))),
            "marketing_consent": web["marketing_consent"].str.strip().map({"yes": True, "no": False}).astype("boolean"),
        }
    )
    cards = kept("warranty_cards")
    warranties = pd.DataFrame(
        {
            "card_id": cards["card_id"].str.strip(),
            "product": _text(cards["product"]),
            "serial_number": cards["serial_number"].str.strip(),
            "purchase_date": parse_dates(cards["purchase_date"]).values.where(lambda s: s <= ref),
        }
    )
    tix = kept("service_tickets")
    tickets = pd.DataFrame(
        {
            "ticket_id": tix["ticket_id"].str.strip(),
            "opened_at": parse_dates(tix["opened_at"]).values,
            "category": tix["category"].str.strip(),
            "complaint": (tix["complaint"].str.strip() == "True").to_numpy(),
            "summary": _text(tix["summary"]),
            "resolved_at": parse_dates(tix["resolved_at"]).values,
        }
    )

    # --- order lines ------------------------------------------------------------------------------
    orders, order_issues = _clean_orders(frames["order_lines"], ids["order_lines"], contacts, ref)

    issues = quality_report(all_contact_issues, order_issues)
    counts = []
    for source in SOURCES:
        hit = (issues["source"] == source) & (issues["action"] == "rejected") & (issues["reason"] != "duplicate_id")
        n_rejected = int(issues.loc[hit, "source_row_id"].nunique())
        n_dup = int(pd.Series(ids[source]).duplicated().sum())
        counts.append(
            {
                "source": source,
                "file": SOURCE_FILES[source],
                "rows_read": len(frames[source]),
                "rows_loaded": len(frames[source]) - n_rejected - n_dup,
                "rows_rejected": n_rejected + n_dup,
            }
        )
    return Cleaned(
        contacts=contacts,
        accounts=accounts,
        warranties=warranties,
        tickets=tickets,
        orders=orders,
        issues=issues,
        counts=pd.DataFrame(counts),
    )


def _clean_orders(frame: pd.DataFrame, ids, contacts: pd.DataFrame, ref: pd.Timestamp):
    source = "order_lines"
    text = {c: _stripped(frame[c]) for c in frame.columns}
    present = {c: (text[c] != "").to_numpy() for c in frame.columns}
    parts = [_duplicates(source, frame, ids)]
    parts += _required_empty(source, frame, ids, REQUIRED[source], text)
    parts.append(_choice_issues(source, frame, ids, "channel", ("store", "web"), text))
    parts.append(_choice_issues(source, frame, ids, "category", ORDER_CATEGORIES, text))

    def whole(u):
        return pd.to_numeric(u.where(u.str.fullmatch(r"\d+").fillna(False).astype(bool)), errors="coerce")

    def decimal(u):
        return pd.to_numeric(u.where(u.str.fullmatch(r"\d+(?:\.\d+)?").fillna(False).astype(bool)), errors="coerce")

    line_no = _by_unique(text["line_no"], whole).to_numpy()
    line_ok = ~np.isnan(line_no) & (line_no >= 1)
    parts.append(_issues(source, ids, "line_no", frame["line_no"], "bad_value", present["line_no"] & ~line_ok))
    dates = parse_dates(frame["order_date"])
    future = (dates.values > ref).to_numpy()
    parts.append(_issues(source, ids, "order_date", frame["order_date"], dates.reasons, dates.failed))
    parts.append(_issues(source, ids, "order_date", frame["order_date"], "future_date", future))
    quantity = _by_unique(text["quantity"], whole).to_numpy()
    qty_ok = ~np.isnan(quantity) & (quantity >= 1)
    parts.append(_issues(source, ids, "quantity", frame["quantity"], "bad_quantity", present["quantity"] & ~qty_ok))
    price = _by_unique(text["unit_price"], decimal).to_numpy()
    price_ok = ~np.isnan(price) & (price > 0)
    parts.append(_issues(source, ids, "unit_price", frame["unit_price"], "bad_price", present["unit_price"] & ~price_ok))
    # identifiers: CRM id, web account id or e-mail of a loaded record
    ident = text["identifier"]
    crm_ids = contacts.loc[contacts["source"] == "crm_export", "source_row_id"]
    web_ids = contacts.loc[contacts["source"] == "web_registrations", "source_row_id"]
    priority = {"web_registrations": 0, "crm_export": 1, "service_tickets": 2, "warranty_cards": 3}
    by_email = (
        contacts.dropna(subset=["email"])
        .assign(_p=lambda f: f["source"].map(priority))
        .sort_values(["_p"], kind="stable")
        .drop_duplicates("email")
        .set_index("email")
    )
    has_at = _by_unique(ident, lambda u: u.str.contains("@", regex=False).fillna(False).astype(bool)).to_numpy()
    email = normalise_email(ident.where(has_at, ""))
    is_crm = ident.isin(crm_ids).to_numpy()
    is_web = ident.isin(web_ids).to_numpy() & ~is_crm
    email_hit = email.values.isin(by_email.index).to_numpy() & ~is_crm & ~is_web
    link_source = np.where(is_crm, "crm_export", np.where(is_web, "web_registrations", "")).astype(object)
    link_row = np.where(is_crm | is_web, ident.to_numpy(dtype=object), "").astype(object)
    if email_hit.any():
        hit = by_email.loc[email.values[email_hit].to_numpy()]
        link_source[email_hit] = hit["source"].to_numpy()
        link_row[email_hit] = hit["source_row_id"].to_numpy()
    unknown = present["identifier"] & (link_source == "")
    parts.append(_issues(source, ids, "identifier", frame["identifier"], "unknown_customer", unknown))
    issues = pd.concat(parts, ignore_index=True)
    issues["action"] = "rejected"  # every field of an order line is required
    rejected = issues.loc[issues["reason"] != "duplicate_id", "source_row_id"].unique()
    id_series = pd.Series(ids, dtype="str")
    keep = ~id_series.isin(rejected).to_numpy() & ~id_series.duplicated().to_numpy()
    orders = pd.DataFrame(
        {
            "order_id": text["order_id"],
            "line_no": line_no,
            "channel": text["channel"],
            "identifier": frame["identifier"],
            "link_source": pd.array(link_source, dtype="str"),
            "link_row_id": pd.array(link_row, dtype="str"),
            "order_date": dates.values,
            "category": text["category"],
            "quantity": quantity,
            "unit_price": price,
        }
    )[keep].reset_index(drop=True)
    orders["line_no"] = orders["line_no"].astype(np.int64)
    orders["quantity"] = orders["quantity"].astype(np.int64)
    orders["amount"] = np.round(orders["quantity"] * orders["unit_price"], 2)
    return orders, issues


# ----------------------------------------------------------------------------------------------
# matching
# ----------------------------------------------------------------------------------------------
def _check_contacts(contacts) -> pd.DataFrame:
    _check_frame("contacts", contacts, ["name_key", "phone", "email", "birth_date", "city"])
    if not isinstance(contacts.index, pd.RangeIndex) or contacts.index.start != 0 or contacts.index.step != 1:
        raise ValueError("contacts must have a default RangeIndex 0..n-1 (use .reset_index(drop=True))")
    return contacts


def _block_keys(contacts: pd.DataFrame, key: str) -> pd.Series:
    name = contacts["name_key"].astype("str")
    phone = contacts["phone"].astype("str")
    if key == "phone":
        return phone
    if key == "email":
        return contacts["email"].astype("str")
    if key == "name_birth_year":
        year = pd.to_datetime(contacts["birth_date"]).dt.year
        return name + "|" + year.astype("Int64").astype("str").where(year.notna())
    if key == "name_phone_head":
        return name + "|" + phone.str.slice(0, 7)
    if key == "name_phone_tail":
        return name + "|" + phone.str.slice(-4)
    raise ValueError(f"keys must be among {list(BLOCKING_KEYS)}, got {key!r}")


def _pairs_in_blocks(codes: np.ndarray, max_block_size: int | None):
    """All pairs (i < j) of records sharing a code (codes < 0 are missing)."""
    valid = np.flatnonzero(codes >= 0)
    order = valid[np.argsort(codes[valid], kind="stable")]
    c = codes[order]
    if c.size < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, c.size])
    skipped = 0
    if max_block_size is not None:
        too_big = sizes > max_block_size
        skipped = int(too_big.sum())
    else:
        too_big = np.zeros(sizes.size, dtype=bool)
    group = np.repeat(np.arange(starts.size), sizes)
    pos = np.arange(c.size) - starts[group]
    later = np.where(too_big[group], 0, sizes[group] - pos - 1)
    left = np.repeat(np.arange(c.size), later)
    offset = np.arange(left.size) - np.repeat(np.cumsum(later) - later, later) + 1
    i, j = order[left], order[left + offset]
    return np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64), skipped


def candidate_pairs(contacts: pd.DataFrame, keys=BLOCKING_KEYS, max_block_size: int | None = None) -> pd.DataFrame:
    r"""Candidate pairs of records by blocking: only records sharing a key are compared.

    Comparing every record with every other costs :math:`n(n-1)/2`
    comparisons -- 5 billion for 100,000 records.  Blocking compares only
    records that agree exactly on at least one key:

    * ``phone`` -- the normalised phone number;
    * ``email`` -- the normalised e-mail address;
    * ``name_birth_year`` -- name key and year of birth;
    * ``name_phone_head`` / ``name_phone_tail`` -- name key and the first
      seven / last four digits of the phone, which catch a phone number with
      one wrong digit (the wrong digit spoils at most one of the two).

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records (:func:`clean` or :func:`clean_contacts`) with a
        RangeIndex.
    keys : sequence of str, default :data:`BLOCKING_KEYS`
        Blocking keys to use.
    max_block_size : int, optional
        Skip blocks with more records than this (a guard against keys such
        as a shop's own phone number typed for many customers); no limit by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per distinct pair: ``left`` < ``right`` (int64 positions in
        ``contacts``) and a boolean column ``by_<key>`` per key telling which
        keys the pair shares; sorted by ``left``, ``right``.

    References
    ----------
    .. [1] P. Christen, "A survey of indexing techniques for scalable record
       linkage and deduplication", IEEE Transactions on Knowledge and Data
       Engineering 24(9), 1537-1555, 2012.

    Examples
    --------
    >>> contacts = clean(extract()).contacts
    >>> pairs = candidate_pairs(contacts)
    >>> len(pairs), len(contacts) * (len(contacts) - 1) // 2
    (3542, 10226503)
    >>> int(pairs["by_phone"].sum()), int(pairs["by_email"].sum())
    (2975, 989)
    """
    contacts = _check_contacts(contacts)
    if isinstance(keys, str):
        keys = [keys]
    keys = list(keys)
    if not keys or any(k not in BLOCKING_KEYS for k in keys) or len(set(keys)) != len(keys):
        raise ValueError(f"keys must be distinct names among {list(BLOCKING_KEYS)}, got {keys!r}")
    if max_block_size is not None:
        max_block_size = check_positive_int("max_block_size", max_block_size)
        if max_block_size < 2:
            raise ValueError(f"max_block_size must be at least 2 (a pair), got {max_block_size}")
    n = len(contacts)
    found = []
    for key in keys:
        codes, _ = pd.factorize(_block_keys(contacts, key))
        i, j, _ = _pairs_in_blocks(codes, max_block_size)
        found.append(np.unique(i * n + j))
    union = np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)
    out = pd.DataFrame({"left": union // max(n, 1), "right": union % max(n, 1)})
    for key, codes in zip(keys, found):
        out[f"by_{key}"] = np.isin(union, codes, assume_unique=True)
    return out


def _one_digit_apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Phones of equal length that differ in exactly one digit."""
    out = np.zeros(a.size, dtype=bool)
    la = np.array([len(x) for x in a]) if a.size else np.zeros(0, int)
    lb = np.array([len(x) for x in b]) if b.size else np.zeros(0, int)
    same = la == lb
    if same.any():
        width = int(la[same].max())
        aa = np.array(a[same], dtype=f"S{width}").view(np.uint8).reshape(-1, width)
        bb = np.array(b[same], dtype=f"S{width}").view(np.uint8).reshape(-1, width)
        out[same] = (aa != bb).sum(axis=1) == 1
    return out


def _anagrams(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Names made of the same letters (a transposition typo such as "Jnu" for "Jun")."""
    codes, uniques = pd.factorize(np.concatenate([a, b]))
    letters = np.array(["".join(sorted(u.replace(" ", ""))) for u in uniques], dtype=object)
    sa, sb = letters[codes[: a.size]], letters[codes[a.size :]]
    return sa == sb


def score_pairs(contacts: pd.DataFrame, pairs: pd.DataFrame, weights=None) -> pd.DataFrame:
    r"""Score candidate pairs by adding the evidence of each field.

    In the spirit of Fellegi and Sunter, each field contributes a weight --
    positive when the two records agree, negative when they disagree, zero
    when either value is missing or the values cannot be compared -- and the
    pair's score is the sum

    .. math:: S = w_{\text{name}} + w_{\text{phone}} + w_{\text{email}}
              + w_{\text{birth}} + w_{\text{city}}.

    Names are compared by their key: equal keys give ``name_exact``; a
    q-gram Jaccard similarity (:func:`name_similarity`) of at least
    :data:`NAME_SIMILAR`, or the same letters in another order (a
    transposition, one of the four single-error types that Damerau found
    behind most misspellings [2]_), gives ``name_similar`` (a typo);
    anything else gives ``name_different``.  A name in Chinese characters and one in Latin
    letters are not comparable (weight 0).  Phones that are equal give
    ``phone_exact``, phones that differ in exactly one digit
    ``phone_one_digit``.  The default weights are in :data:`WEIGHTS`.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records with a RangeIndex.
    pairs : pandas.DataFrame
        Candidate pairs with integer columns ``left`` and ``right``
        (:func:`candidate_pairs`).
    weights : dict, optional
        Replacement values for some or all of :data:`WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        ``pairs`` with the added float columns ``name_similarity``, ``name``,
        ``phone``, ``email``, ``birth_date``, ``city`` (the weights
        contributed) and ``score``.

    References
    ----------
    .. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210,
       1969.
    .. [2] F. J. Damerau, "A technique for computer detection and correction
       of spelling errors", Communications of the ACM 7(3), 171-176, 1964.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"name_key": ["fang wang", "fang wang", "fang wang"],
    ...                     "phone": ["13812345678", None, "13812345679"],
    ...                     "email": [None, "fw@163.com", None],
    ...                     "birth_date": pd.to_datetime(["1985-03-02", None, None]),
    ...                     "city": ["Hangzhou", "Hangzhou", "Hangzhou"]})
    >>> scored = score_pairs(toy, pd.DataFrame({"left": [0, 0], "right": [1, 2]}))
    >>> scored[["name", "phone", "city", "score"]].to_dict("records")
    [{'name': 3.0, 'phone': 0.0, 'city': 0.5, 'score': 3.5}, {'name': 3.0, 'phone': 3.0, 'city': 0.5, 'score': 6.5}]
    """
    contacts = _check_contacts(contacts)
    _check_frame("pairs", pairs, ["left", "right"])
    w = dict(WEIGHTS)
    if weights is not None:
        if not isinstance(weights, dict):
            raise TypeError(f"weights must be a dict of weight names to numbers, got {type(weights).__name__}")
        unknown = sorted(set(weights) - set(WEIGHTS))
        if unknown:
            raise ValueError(f"weights keys must be among {list(WEIGHTS)}, got {unknown}")
        for k, v in weights.items():
            w[k] = check_number(f"weights[{k!r}]", v)
    left = pairs["left"].to_numpy()
    right = pairs["right"].to_numpy()
    n = len(contacts)
    if len(left) and (left.min() < 0 or right.min() < 0 or max(left.max(), right.max()) >= n):
        raise ValueError(f"pairs must hold positions in 0..{n - 1}")

    def side(column):
        values = contacts[column].astype("str").to_numpy(dtype=object)
        return values[left], values[right]

    out = pairs.copy()
    # names
    ka, kb = side("name_key")
    both = pd.notna(ka) & pd.notna(kb)
    han_a = pd.Series(ka).str.contains(_HAN, regex=True).fillna(False).to_numpy(dtype=bool)
    han_b = pd.Series(kb).str.contains(_HAN, regex=True).fillna(False).to_numpy(dtype=bool)
    comparable = both & (han_a == han_b)
    sim = np.full(len(out), np.nan)
    if comparable.any():
        sim[comparable] = name_similarity(pd.Series(ka[comparable], dtype="str"), pd.Series(kb[comparable], dtype="str"))
    equal = comparable & (ka == kb)
    swapped = np.zeros(len(out), dtype=bool)
    unequal = comparable & ~equal
    if unequal.any():
        swapped[unequal] = _anagrams(ka[unequal], kb[unequal])
    out["name_similarity"] = sim
    out["name"] = np.select(
        [equal, comparable & ((sim >= NAME_SIMILAR) | swapped), comparable],
        [w["name_exact"], w["name_similar"], w["name_different"]],
        0.0,
    )
    # phones
    pa, pb = side("phone")
    both = pd.notna(pa) & pd.notna(pb)
    same = both & (pa == pb)
    near = np.zeros(len(out), dtype=bool)
    diff = both & ~same
    if diff.any():
        near[diff] = _one_digit_apart(pa[diff].astype(str), pb[diff].astype(str))
    out["phone"] = np.select([same, near, both], [w["phone_exact"], w["phone_one_digit"], w["phone_different"]], 0.0)
    # e-mails
    ea, eb = side("email")
    both = pd.notna(ea) & pd.notna(eb)
    out["email"] = np.select([both & (ea == eb), both], [w["email_exact"], w["email_different"]], 0.0)
    # birth dates
    ba = contacts["birth_date"].to_numpy(dtype=_NS)[left]
    bb = contacts["birth_date"].to_numpy(dtype=_NS)[right]
    both = ~np.isnat(ba) & ~np.isnat(bb)
    out["birth_date"] = np.select([both & (ba == bb), both], [w["birth_date_exact"], w["birth_date_different"]], 0.0)
    # cities
    ca, cb = side("city")
    both = pd.notna(ca) & pd.notna(cb)
    out["city"] = np.select([both & (ca == cb), both], [w["city_same"], w["city_different"]], 0.0)
    out["score"] = out[["name", "phone", "email", "birth_date", "city"]].sum(axis=1)
    return out


def match(contacts: pd.DataFrame, threshold: float = THRESHOLD, keys=BLOCKING_KEYS, weights=None) -> pd.Series:
    r"""Cluster the records that describe the same person.

    Candidate pairs (:func:`candidate_pairs`) are scored
    (:func:`score_pairs`); a pair with score :math:`S \ge` ``threshold``
    links its two records, and the customers are the connected components
    of the graph of links (union-find, computed with
    :func:`scipy.sparse.csgraph.connected_components`).  Linking is
    transitive: if A matches B and B matches C, all three are one customer
    even when A and C share nothing.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records with a RangeIndex.
    threshold : float, default :data:`THRESHOLD`
        Smallest score that links two records.
    keys : sequence of str, default :data:`BLOCKING_KEYS`
        Blocking keys.
    weights : dict, optional
        Replacement weights (see :func:`score_pairs`).

    Returns
    -------
    pandas.Series
        Cluster number (int64, 0, 1, ... in order of first appearance) of
        each record, index of ``contacts``, named ``"cluster"``.

    References
    ----------
    .. [1] R. E. Tarjan, "Efficiency of a good but not linear set union
       algorithm", Journal of the ACM 22(2), 215-225, 1975.
    .. [2] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210,
       1969.

    Examples
    --------
    >>> contacts = clean(extract()).contacts
    >>> clusters = match(contacts)
    >>> len(contacts), int(clusters.nunique())
    (4523, 2199)
    >>> quality = match_quality(clusters, true_person_ids(contacts))
    >>> round(quality.precision, 4), round(quality.recall, 4)
    (0.9989, 0.9059)
    """
    contacts = _check_contacts(contacts)
    threshold = check_number("threshold", threshold)
    n = len(contacts)
    if n == 0:
        return pd.Series(np.zeros(0, dtype=np.int64), index=contacts.index, name="cluster")
    scored = score_pairs(contacts, candidate_pairs(contacts, keys), weights)
    linked = scored[scored["score"] >= threshold]
    graph = sparse.coo_matrix(
        (np.ones(len(linked)), (linked["left"].to_numpy(), linked["right"].to_numpy())), shape=(n, n)
    ).tocsr()
    _, labels = connected_components(graph, directed=False)
    # renumber by first appearance
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(np.argsort(first))] = np.arange(first.size)
    return pd.Series(rank[labels], index=contacts.index, name="cluster")


def true_person_ids(contacts: pd.DataFrame, identity=None, directory=None) -> pd.Series:
    """The true person of each contact record, from the answer file.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Records with ``source`` and ``source_row_id``.
    identity : pandas.DataFrame, optional
        ``source``, ``source_row_id``, ``person_id``; by default
        :func:`coursekit.data.crm_sources.load_crm_identity`.
    directory : str or pathlib.Path, optional
        The datasets folder, when ``identity`` is not given.

    Returns
    -------
    pandas.Series
        ``person_id`` (str) aligned with ``contacts``; missing for records
        the answer file does not know.

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 7
       (evaluation of matching quality).

    Examples
    --------
    >>> contacts = clean(extract()).contacts
    >>> true_person_ids(contacts).head(3).tolist()
    ['P1819', 'P1803', 'P0753']
    """
    _check_frame("contacts", contacts, ["source", "source_row_id"])
    if identity is None:
        identity = load_crm_identity(directory)
    _check_frame("identity", identity, ["source", "source_row_id", "person_id"])
    lookup = identity.drop_duplicates(["source", "source_row_id"]).set_index(["source", "source_row_id"])["person_id"]
    keys = pd.MultiIndex.from_arrays([contacts["source"].astype("str"), contacts["source_row_id"].astype("str")])
    return pd.Series(lookup.reindex(keys).to_numpy(), index=contacts.index, name="person_id", dtype="str")


def match_quality(predicted, truth) -> MatchQuality:
    r"""Pairwise precision, recall and F1 of a clustering against the true identities.

    With :math:`n_{kp}` the number of records in predicted cluster :math:`k`
    that belong to person :math:`p`, :math:`a_k = \sum_p n_{kp}` and
    :math:`b_p = \sum_k n_{kp}`:

    .. math::
        TP = \sum_{k,p} \binom{n_{kp}}{2},\quad
        \text{precision} = \frac{TP}{\sum_k \binom{a_k}{2}},\quad
        \text{recall} = \frac{TP}{\sum_p \binom{b_p}{2}},\quad
        F_1 = \frac{2PR}{P + R}.

    Parameters
    ----------
    predicted : pandas.Series or array-like
        Cluster label of each record (:func:`match`).
    truth : pandas.Series or array-like
        True person of each record, aligned with ``predicted`` (same length
        and order); no missing values.

    Returns
    -------
    MatchQuality

    References
    ----------
    .. [1] P. Christen and K. Goiser, "Quality and complexity measures for
       data linkage and deduplication", in *Quality Measures in Data
       Mining*, Springer, 127-151, 2007.

    Examples
    --------
    >>> q = match_quality([0, 0, 1, 1, 2], ["a", "a", "a", "b", "c"])
    >>> q.true_positives, q.false_positives, q.false_negatives
    (1, 1, 2)
    >>> round(q.precision, 3), round(q.recall, 3), round(q.f1, 3)
    (0.5, 0.333, 0.4)
    """
    p = pd.Series(np.asarray(predicted, dtype=object)) if not isinstance(predicted, pd.Series) else predicted.reset_index(drop=True)
    t = pd.Series(np.asarray(truth, dtype=object)) if not isinstance(truth, pd.Series) else truth.reset_index(drop=True)
    if len(p) != len(t):
        raise ValueError(f"predicted and truth must have the same length, got {len(p)} and {len(t)}")
    if p.isna().any() or t.isna().any():
        raise ValueError("predicted and truth must not hold missing values; drop records without a known identity first")

    def pairs(counts):
        c = np.asarray(counts, dtype=np.int64)
        return int((c * (c - 1) // 2).sum())

    frame = pd.DataFrame({"p": p.to_numpy(), "t": t.to_numpy()})
    tp = pairs(frame.groupby(["p", "t"]).size())
    pred = pairs(frame.groupby("p").size())
    true = pairs(frame.groupby("t").size())
    precision = tp / pred if pred else float("nan")
    recall = tp / true if true else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if (precision + recall) > 0 else float("nan")
    return MatchQuality(
        precision=float(precision),
        recall=float(recall),
        f1=float(f1),
        true_positives=tp,
        false_positives=pred - tp,
        false_negatives=true - tp,
        n_records=len(frame),
        n_clusters=int(frame["p"].nunique()),
        n_people=int(frame["t"].nunique()),
    )


# ----------------------------------------------------------------------------------------------
# merge
# ----------------------------------------------------------------------------------------------
def merge(contacts: pd.DataFrame, clusters) -> Merged:
    r"""One row per customer, each field taken from the most trusted record (survivorship).

    For every field of :data:`SOURCE_PRIORITY`, the value is taken from the
    record of the cluster that has one, from the most trusted source (CRM
    before web before warranty card for names, the web account's verified
    login first for e-mails, ...), and among equally trusted records from
    the most recent one.  Which record each value came from is kept in
    ``provenance``; which records form each customer in ``members``.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Standardised records (:func:`clean`).
    clusters : pandas.Series or array-like
        Cluster label of each record (:func:`match`), aligned with
        ``contacts``.

    Returns
    -------
    Merged
        ``customers``, ``members`` and ``provenance``; customer ids
        ``"CU00001"``, ... follow the first appearance of each cluster in
        ``contacts``.

    References
    ----------
    .. [1] J. Bleiholder and F. Naumann, "Data fusion", ACM Computing
       Surveys 41(1), 1-41, 2009.

    Examples
    --------
    >>> contacts = clean(extract()).contacts
    >>> merged = merge(contacts, match(contacts))
    >>> len(merged.customers), len(merged.members)
    (2199, 4523)
    >>> merged.provenance.groupby("field")["source"].value_counts().loc["email"].to_dict()
    {'web_registrations': 902, 'crm_export': 617, 'service_tickets': 69}
    >>> print(merged.customers.loc[0, ["customer_id", "name", "phone", "city", "n_records"]].to_string())
    customer_id        CU00001
    name                 Na Li
    phone          13184042750
    city              Shanghai
    n_records                3
    >>> merged.provenance.query("customer_id == 'CU00001'")[["field", "source", "source_row_id"]].values.tolist()
    [['name', 'crm_export', 'C00001'], ['phone', 'crm_export', 'C00001'], ['email', 'crm_export', 'C00001'], ['birth_date', 'crm_export', 'C00001'], ['city', 'warranty_cards', 'WC00208']]
    """
    _check_frame("contacts", contacts, ["source", "source_row_id", "record_date", *SOURCE_PRIORITY])
    labels = np.asarray(clusters)
    if labels.shape != (len(contacts),):
        raise ValueError(f"clusters must hold one label per record ({len(contacts)}), got shape {labels.shape}")
    if pd.isna(pd.Series(labels)).any():
        raise ValueError("clusters must not hold missing labels")
    frame = contacts.reset_index(drop=True).copy()
    codes, _ = pd.factorize(labels)  # order of first appearance
    width = max(5, len(str(codes.max() + 1 if codes.size else 1)))
    customer_ids = np.char.add("CU", np.char.zfill((np.arange(codes.max() + 1 if codes.size else 0) + 1).astype(str), width))
    frame["customer_id"] = customer_ids[codes] if codes.size else pd.Series([], dtype="str")
    frame["_pos"] = np.arange(len(frame))
    frame["_date"] = pd.to_datetime(frame["record_date"]).fillna(pd.Timestamp.min.as_unit("ns"))
    customers = pd.DataFrame({"customer_id": customer_ids})
    prov_parts = []
    for field, priority in SOURCE_PRIORITY.items():
        rank = frame["source"].map({s: i for i, s in enumerate(priority)})
        cand = frame[rank.notna() & frame[field].notna()].assign(_rank=rank)
        cand = cand.sort_values(["customer_id", "_rank", "_date", "_pos"], ascending=[True, True, False, True], kind="stable")
        best = cand.drop_duplicates("customer_id")
        customers[field] = best.set_index("customer_id")[field].reindex(customers["customer_id"]).to_numpy()
        prov_parts.append(
            pd.DataFrame(
                {
                    "customer_id": best["customer_id"].to_numpy(),
                    "field": field,
                    "source": best["source"].to_numpy(),
                    "source_row_id": best["source_row_id"].to_numpy(),
                }
            )
        )
    grouped = frame.groupby("customer_id", sort=True)
    first_seen = pd.to_datetime(frame["record_date"]).groupby(frame["customer_id"]).min()
    customers["birth_date"] = pd.to_datetime(customers["birth_date"]).astype(_NS)
    customers["first_seen"] = first_seen.reindex(customers["customer_id"]).to_numpy().astype(_NS)
    customers["n_records"] = grouped.size().reindex(customers["customer_id"]).to_numpy().astype(np.int64)
    order = {s: i for i, s in enumerate(CONTACT_SOURCES)}
    srcs = frame[["customer_id", "source"]].drop_duplicates().assign(_o=lambda f: f["source"].map(order))
    srcs = srcs.sort_values(["customer_id", "_o"]).groupby("customer_id")["source"].agg(";".join)
    customers["sources"] = srcs.reindex(customers["customer_id"]).to_numpy()
    for column in ("customer_id", "name", "phone", "email", "city", "sources"):
        customers[column] = customers[column].astype("str")
    provenance = pd.concat(prov_parts, ignore_index=True)
    provenance["_f"] = provenance["field"].map({f: i for i, f in enumerate(_MERGED_FIELDS)})
    provenance = provenance.sort_values(["customer_id", "_f"]).drop(columns="_f").reset_index(drop=True).astype("str")
    members = frame[["source", "source_row_id", "customer_id"]].astype("str").reset_index(drop=True)
    return Merged(customers=customers, members=members, provenance=provenance)


# ----------------------------------------------------------------------------------------------
# the SQL database
# ----------------------------------------------------------------------------------------------
_SOURCE_LIST = ", ".join(f"'{s}'" for s in CONTACT_SOURCES)
_HOLE_LIST = ", ".join(f"'{h}'" for h in TICKET_CATEGORIES)
_INCENTIVE_LIST = ", ".join(f"'{i}'" for i in INCENTIVES)
_CATEGORY_LIST = ", ".join(f"'{c}'" for c in ORDER_CATEGORIES)
_FIELD_LIST = ", ".join(f"'{f}'" for f in _MERGED_FIELDS)
_ALL_SOURCES = ", ".join(f"'{s}'" for s in SOURCES)

#: SQL DDL of the unified customer database (SQLite dialect).  Dates are ISO
#: text ('YYYY-MM-DD', or 'YYYY-MM-DD HH:MM:SS' for times), money is in
#: currency units (CU).
SCHEMA = f"""
-- Unified customer database (统一客户数据库) of the course's appliance firm.
-- Dates are ISO-8601 text; amounts are in currency units (CU).

-- One row per real customer: a cluster of matched source records.
CREATE TABLE customers (
    customer_id  TEXT PRIMARY KEY,               -- 'CU00001', ...
    name         TEXT,                           -- survivor values; see provenance
    phone        TEXT,                           -- digits, national form
    email        TEXT,                           -- lower case
    birth_date   TEXT,                           -- 'YYYY-MM-DD'
    city         TEXT,
    first_seen   TEXT,                           -- earliest record date
    n_records    INTEGER NOT NULL CHECK (n_records >= 1),
    sources      TEXT NOT NULL                   -- contributing sources, ';'-separated
);

-- One row per loaded source record describing a person, and the customer it belongs to.
CREATE TABLE contacts (
    source         TEXT NOT NULL CHECK (source IN ({_SOURCE_LIST})),
    source_row_id  TEXT NOT NULL,                -- crm_id, account_id, card_id or ticket_id
    customer_id    TEXT NOT NULL REFERENCES customers (customer_id),
    record_date    TEXT,                         -- created / registered / purchased / opened
    name           TEXT,                         -- normalised values of this record
    phone          TEXT,
    email          TEXT,
    birth_date     TEXT,
    city           TEXT,
    PRIMARY KEY (source, source_row_id)
);
CREATE INDEX contacts_by_customer ON contacts (customer_id);

-- Which record each survivor value of a customer was taken from.
CREATE TABLE provenance (
    customer_id    TEXT NOT NULL REFERENCES customers (customer_id),
    field          TEXT NOT NULL CHECK (field IN ({_FIELD_LIST})),
    source         TEXT NOT NULL,
    source_row_id  TEXT NOT NULL,
    PRIMARY KEY (customer_id, field),
    FOREIGN KEY (source, source_row_id) REFERENCES contacts (source, source_row_id)
);

-- Web-shop accounts and the sign-up incentive that brought them.
CREATE TABLE web_accounts (
    account_id         TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (customer_id),
    registered_at      TEXT,
    incentive          TEXT CHECK (incentive IN ({_INCENTIVE_LIST})),
    marketing_consent  INTEGER CHECK (marketing_consent IN (0, 1))  -- NULL = unknown
);

-- Warranty / service cards mailed back after buying an appliance.
CREATE TABLE warranty_cards (
    card_id        TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (customer_id),
    product        TEXT,
    serial_number  TEXT NOT NULL,
    purchase_date  TEXT
);

-- Service-department tickets; category = the hole of the leaky bucket.
CREATE TABLE complaints (
    ticket_id    TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (customer_id),
    opened_at    TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ({_HOLE_LIST})),
    complaint    INTEGER NOT NULL CHECK (complaint IN (0, 1)),  -- 0 = enquiry or suggestion
    summary      TEXT,
    resolved_at  TEXT                                            -- NULL while open
);

-- Order lines, each linked to the customer of its identifier.
CREATE TABLE orders (
    order_id     TEXT NOT NULL,
    line_no      INTEGER NOT NULL CHECK (line_no >= 1),
    customer_id  TEXT NOT NULL REFERENCES customers (customer_id),
    channel      TEXT NOT NULL CHECK (channel IN ('store', 'web')),
    identifier   TEXT NOT NULL,                  -- as written: CRM id, account id or e-mail
    order_date   TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ({_CATEGORY_LIST})),
    quantity     INTEGER NOT NULL CHECK (quantity >= 1),
    unit_price   REAL NOT NULL CHECK (unit_price > 0),
    amount       REAL NOT NULL,                  -- quantity * unit_price, CU
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX orders_by_customer ON orders (customer_id, order_date);

-- Every value removed and every row rejected while loading, with the reason.
CREATE TABLE quality_issues (
    issue_id       INTEGER PRIMARY KEY,
    source         TEXT NOT NULL CHECK (source IN ({_ALL_SOURCES})),
    source_row_id  TEXT NOT NULL,
    field          TEXT NOT NULL,
    value          TEXT NOT NULL,                -- the text found ('' if empty)
    reason         TEXT NOT NULL,                -- see coursekit.crm.database.REASONS
    action         TEXT NOT NULL CHECK (action IN ('rejected', 'set to missing'))
);

-- Row accounting of each source file: nothing disappears unrecorded.
CREATE TABLE load_log (
    source         TEXT PRIMARY KEY CHECK (source IN ({_ALL_SOURCES})),
    file           TEXT NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    CHECK (rows_loaded + rows_rejected = rows_read)
);
"""


def _iso(values, with_time: bool = False) -> list:
    """ISO text of dates (or date-times), None for NaT, for SQLite."""
    stamps = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(stamps, unit="s" if with_time else "D").astype(object)
    if with_time:
        text = np.char.replace(text.astype(str), "T", " ").astype(object)
    text[np.isnat(stamps)] = None
    return text.tolist()


def _none(values) -> list:
    """Values for SQLite, None for missing."""
    if isinstance(values, list):
        return values
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = s.isna()
    if missing.any():
        return s.astype(object).where(~missing, None).tolist()
    return s.tolist()


def _rows(*columns):
    """Rows of plain Python values (None for missing) for ``executemany``."""
    return zip(*[_none(c) for c in columns])


def build_database(directory=None, path=":memory:", *, threshold: float = THRESHOLD, overwrite: bool = False) -> sqlite3.Connection:
    r"""Build the unified customer database from the raw files, in SQLite.

    Runs the whole pipeline -- :func:`extract`, :func:`clean`,
    :func:`match`, :func:`merge` -- and loads the result under
    :data:`SCHEMA` with foreign keys enforced.  Every source row is either
    loaded or listed in ``quality_issues`` with its reason, and ``load_log``
    records, per source, rows read = rows loaded + rows rejected (a CHECK
    constraint of the table).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.data.loaders.data_dir`).
    path : str or pathlib.Path, default ":memory:"
        Where to create the database: in memory, or a new file.
    threshold : float, default :data:`THRESHOLD`
        Matching threshold (see :func:`match`).
    overwrite : bool, default False
        Replace an existing file at ``path``.

    Returns
    -------
    sqlite3.Connection
        An open connection (``PRAGMA foreign_keys = ON``).

    References
    ----------
    .. [1] E. F. Codd, "A relational model of data for large shared data
       banks", Communications of the ACM 13(6), 377-387, 1970.
    .. [2] SQLite documentation, "SQLite Foreign Key Support",
       https://www.sqlite.org/foreignkeys.html.

    Examples
    --------
    >>> con = build_database()
    >>> query(con, "SELECT COUNT(*) AS customers FROM customers")
       customers
    0       2199
    >>> print(query(con, "SELECT source, rows_read, rows_loaded, rows_rejected FROM load_log").to_string(index=False))
               source  rows_read  rows_loaded  rows_rejected
           crm_export       1512         1506              6
    web_registrations        956          943             13
       warranty_cards        938          929              9
      service_tickets       1157         1145             12
          order_lines      60292        60264             28
    >>> con.execute("PRAGMA foreign_key_check").fetchall()
    []
    """
    threshold = check_number("threshold", threshold)
    if not isinstance(overwrite, (bool, np.bool_)):
        raise TypeError(f"overwrite must be True or False, got {type(overwrite).__name__} {overwrite!r}")
    if not isinstance(path, (str, Path)) or str(path) == "":
        raise TypeError(f"path must be ':memory:' or a file path (str or pathlib.Path), got {type(path).__name__} {path!r}")
    if str(path) != ":memory:":
        target = Path(path)
        if target.exists():
            if not overwrite:
                raise FileExistsError(f"path {str(target)!r} exists; pass overwrite=True to replace it")
            if target.is_dir():
                raise ValueError(f"path must be a file, got the folder {str(target)!r}")
            target.unlink()
    cleaned = clean(extract(directory))
    contacts = cleaned.contacts
    merged = merge(contacts, match(contacts, threshold=threshold))
    customer_of = merged.members.set_index(["source", "source_row_id"])["customer_id"]

    con = sqlite3.connect(str(path))
    con.execute("PRAGMA foreign_keys = ON")
    con.executescript(SCHEMA)
    cu = merged.customers
    with con:
        con.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _rows(
                cu["customer_id"],
                _none(cu["name"]),
                _none(cu["phone"]),
                _none(cu["email"]),
                _iso(cu["birth_date"]),
                _none(cu["city"]),
                _iso(cu["first_seen"]),
                cu["n_records"].astype(int).tolist(),
                cu["sources"],
            ),
        )
        con.executemany(
            "INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _rows(
                contacts["source"],
                contacts["source_row_id"],
                merged.members["customer_id"],
                _iso(contacts["record_date"]),
                _none(contacts["name"]),
                _none(contacts["phone"]),
                _none(contacts["email"]),
                _iso(contacts["birth_date"]),
                _none(contacts["city"]),
            ),
        )
        pv = merged.provenance
        con.executemany(
            "INSERT INTO provenance VALUES (?, ?, ?, ?)",
            _rows(pv["customer_id"], pv["field"], pv["source"], pv["source_row_id"]),
        )

        def owners(source, ids):
            keys = pd.MultiIndex.from_arrays([np.full(len(ids), source, dtype=object), np.asarray(ids, dtype=object)])
            return customer_of.reindex(keys).tolist()

        ac = cleaned.accounts
        con.executemany(
            "INSERT INTO web_accounts VALUES (?, ?, ?, ?, ?)",
            _rows(
                ac["account_id"],
                owners("web_registrations", ac["account_id"]),
                _iso(ac["registered_at"], with_time=True),
                _none(ac["incentive"]),
                ac["marketing_consent"].astype("Int64"),
            ),
        )
        wc = cleaned.warranties
        con.executemany(
            "INSERT INTO warranty_cards VALUES (?, ?, ?, ?, ?)",
            _rows(
                wc["card_id"],
                owners("warranty_cards", wc["card_id"]),
                _none(wc["product"]),
                wc["serial_number"],
                _iso(wc["purchase_date"]),
            ),
        )
        tk = cleaned.tickets
        con.executemany(
            "INSERT INTO complaints VALUES (?, ?, ?, ?, ?, ?, ?)",
            _rows(
                tk["ticket_id"],
                owners("service_tickets", tk["ticket_id"]),
                _iso(tk["opened_at"], with_time=True),
                tk["category"],
                tk["complaint"].astype(int).tolist(),
                _none(tk["summary"]),
                _iso(tk["resolved_at"], with_time=True),
            ),
        )
        od = cleaned.orders
        keys = pd.MultiIndex.from_arrays([od["link_source"].to_numpy(dtype=object), od["link_row_id"].to_numpy(dtype=object)])
        con.executemany(
            "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _rows(
                od["order_id"],
                od["line_no"].astype(int).tolist(),
                customer_of.reindex(keys).tolist(),
                od["channel"],
                od["identifier"],
                _iso(od["order_date"]),
                od["category"],
                od["quantity"].astype(int).tolist(),
                od["unit_price"].astype(float).tolist(),
                od["amount"].astype(float).tolist(),
            ),
        )
        qi = cleaned.issues
        con.executemany(
            "INSERT INTO quality_issues (source, source_row_id, field, value, reason, action) VALUES (?, ?, ?, ?, ?, ?)",
            _rows(qi["source"], qi["source_row_id"], qi["field"], qi["value"], qi["reason"], qi["action"]),
        )
        ct = cleaned.counts
        con.executemany(
            "INSERT INTO load_log VALUES (?, ?, ?, ?, ?)",
            _rows(ct["source"], ct["file"], ct["rows_read"].astype(int).tolist(), ct["rows_loaded"].astype(int).tolist(), ct["rows_rejected"].astype(int).tolist()),
        )
    return con


def query(con: sqlite3.Connection, sql: str, params=()) -> pd.DataFrame:
    """Run one SQL query and return its result as a DataFrame.

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection, e.g. from :func:`build_database`.
    sql : str
        One SQL statement; use ``?`` placeholders for values.
    params : sequence or dict, default ()
        Values for the placeholders (never paste values into ``sql``).

    Returns
    -------
    pandas.DataFrame
        The rows, with the statement's column names.

    References
    ----------
    .. [1] ISO/IEC 9075-2:2016, "Information technology -- Database
       languages -- SQL -- Part 2: Foundation (SQL/Foundation)".

    Examples
    --------
    >>> con = build_database()
    >>> query(con, '''SELECT category, COUNT(*) AS tickets FROM complaints
    ...               WHERE complaint = 1 GROUP BY category
    ...               ORDER BY tickets DESC, category LIMIT 3''')
           category  tickets
    0  poor_quality      216
    1  poor_service      216
    2  out_of_stock      183
    >>> query(con, "SELECT COUNT(*) AS n FROM customers WHERE sources LIKE ?", ("%web_registrations%",))
         n
    0  902
    """
    if not isinstance(con, sqlite3.Connection):
        raise TypeError(f"con must be a sqlite3.Connection, got {type(con).__name__}")
    if not isinstance(sql, str) or not sql.strip():
        raise ValueError(f"sql must be a non-empty SQL statement, got {sql!r}")
    if not isinstance(params, (tuple, list, dict)):
        raise TypeError(f"params must be a tuple, list or dict of values, got {type(params).__name__}")
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description] if cursor.description else []
    return pd.DataFrame(cursor.fetchall(), columns=columns)


# ----------------------------------------------------------------------------------------------
# privacy
# ----------------------------------------------------------------------------------------------
def pseudonymise(frame: pd.DataFrame, columns, salt: str, *, length: int = 16) -> pd.DataFrame:
    r"""Replace identifying columns by salted SHA-256 hashes before data leaves the firm.

    Each value :math:`v` becomes the first ``length`` hexadecimal digits of
    :math:`\mathrm{SHA256}(\text{salt} \,\|\, \text{0x1f} \,\|\, v)`.  The
    same value always gets the same pseudonym under one salt, so a partner
    can still count, join and follow customers over time; without the
    secret salt the pseudonym cannot be reversed by hashing guesses of
    phone numbers or names.  Missing values stay missing.  Note that
    pseudonymised data are still personal data in law (e.g. GDPR recital
    26): remove the columns nobody outside needs.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data to share.
    columns : str or sequence of str
        Columns to replace.
    salt : str
        A secret of at least :data:`MIN_SALT_LENGTH` characters, kept inside
        the firm.
    length : int, default 16
        Hex digits kept (4 to 64); 16 digits = 64 bits.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the columns replaced (str).

    References
    ----------
    .. [1] National Institute of Standards and Technology, "Secure Hash
       Standard (SHS)", FIPS PUB 180-4, 2015.
    .. [2] Regulation (EU) 2016/679 (General Data Protection Regulation),
       Article 4(5) and recital 26, 2016.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"customer_id": ["CU00001", "CU00002", "CU00001"], "amount": [12.5, 8.0, 3.0]})
    >>> pseudonymise(sales, "customer_id", salt="course-secret-2024")
            customer_id  amount
    0  d5c4a272b04e3c2a    12.5
    1  6fb94534918b04a5     8.0
    2  d5c4a272b04e3c2a     3.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if isinstance(columns, str):
        columns = [columns]
    columns = list(columns)
    if not columns:
        raise ValueError("columns must name at least one column to pseudonymise, got none")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"columns must be columns of frame; {absent} are not (frame has {frame.columns.tolist()})")
    if not isinstance(salt, str):
        raise TypeError(f"salt must be a secret string, got {type(salt).__name__}")
    if len(salt) < MIN_SALT_LENGTH:
        raise ValueError(
            f"salt must be a secret of at least {MIN_SALT_LENGTH} characters, got {len(salt)}; "
            "a short or empty salt lets anyone re-identify customers by hashing guesses"
        )
    length = check_positive_int("length", length)
    if not 4 <= length <= 64:
        raise ValueError(f"length must be between 4 and 64 hex digits, got {length}")
    out = frame.copy()
    prefix = salt.encode("utf-8") + b"\x1f"
    for column in columns:
        values = out[column]
        present = values.notna()
        text = values[present].astype(str)
        uniques = pd.unique(text)
        digests = [hashlib.sha256(prefix + u.encode("utf-8")).hexdigest()[:length] for u in uniques]
        mapping = pd.Series(digests, index=uniques)
        hashed = pd.Series(np.nan, index=out.index, dtype="str")
        hashed[present] = mapping.reindex(text.to_numpy()).to_numpy()
        out[column] = hashed
    return out
