r"""Extract and clean: Chapter 2's raw source files into standardised records and a quality report.

The first stage of the textbook's recipe for a unified customer database (统一客户数据库):
gather the sources and clean them into one format.  :func:`extract` reads the five files as
text, with no silent conversion (the E of ETL); :func:`clean` normalises every field
(:mod:`coursekit.crm.normalise`), checks every row against the rules of
:mod:`coursekit.crm.schema` and returns the standardised contact records, the
source-specific tables (web accounts, warranty cards, service tickets, order lines), the
quality report (:mod:`coursekit.crm.quality`) and the row counts of each source.  A value
that fails is removed, a row that fails a required field is rejected, and either way a line
goes into the report.  :func:`clean_contacts` does the same for contact records already in
one unified layout (such as :func:`coursekit.data.crm_contacts.make_contacts` draws).

References
----------
.. [1] R. Kimball and J. Caserta, *The Data Warehouse ETL Toolkit*, Wiley, 2004.
.. [2] E. Rahm and H. H. Do, "Data cleaning: problems and current approaches", IEEE Data
   Engineering Bulletin 23(4), 3-13, 2000.

Examples
--------
>>> cleaned = clean(extract())
>>> len(cleaned.contacts), len(cleaned.orders)
(4523, 60264)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import check_date, check_frame
from coursekit.crm.normalise import (
    by_distinct_value,
    name_key,
    normalise_city,
    normalise_email,
    normalise_name,
    normalise_phone,
    parse_dates,
    strip_text,
)
from coursekit.crm.quality import issue_rows, quality_report
from coursekit.crm.schema import (
    CONTACT_SOURCES,
    INCENTIVES,
    MAX_AGE,
    ORDER_CATEGORIES,
    REFERENCE_DATE,
    REQUIRED,
    ROW_ID_COLUMN,
    SOURCE_COLUMNS,
    SOURCE_FILES,
    SOURCE_TABLES,
    SOURCES,
    TICKET_CATEGORIES,
    crm_dir,
)

__all__ = ["Cleaned", "extract", "clean_contacts", "clean"]

_NS = "datetime64[ns]"
_YEAR_DAYS = 365.2425

# Name of each unified contact field in each source file.
_RECORD_DATE = {
    "crm_export": "created",
    "web_registrations": "registered_at",
    "warranty_cards": "purchase_date",
    "service_tickets": "opened_at",
}
# Required contact fields in unified names ("contact" = phone or e-mail).
_CONTACT_REQUIRED = {
    "crm_export": ("name",),
    "web_registrations": ("email",),
    "warranty_cards": ("name",),
    "service_tickets": ("contact", "record_date"),
}


@dataclass(frozen=True)
class Cleaned:
    """The output of :func:`clean`: standardised records and the quality report.

    Attributes
    ----------
    contacts : pandas.DataFrame
        One row per loaded record of the four contact sources, columns
        :data:`coursekit.crm.schema.CONTACT_COLUMNS`, RangeIndex.
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
        The quality report, columns :data:`coursekit.crm.schema.QUALITY_COLUMNS`.
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


def extract(directory=None) -> dict:
    """Read the five raw source files as text, exactly as written.

    Every column is read as a string (:meth:`coursekit.tables.Table.read_text` of
    :data:`coursekit.crm.schema.SOURCE_TABLES`); an empty field is the empty string.
    Nothing is converted, trimmed or dropped here (the E of ETL).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.tables.data_dir`), or the ``crm`` folder itself
        (see :func:`coursekit.crm.schema.crm_dir`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed by :data:`coursekit.crm.schema.SOURCES`, columns as in
        :data:`coursekit.crm.schema.SOURCE_COLUMNS`.

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
    return {source: SOURCE_TABLES[source].read_text(folder).astype("str") for source in SOURCES}


def _row_ids(source: str, frame: pd.DataFrame) -> np.ndarray:
    """Row ids as written, without surrounding spaces (``order_id-line_no`` for order lines)."""
    if source == "order_lines":
        return (_stripped(frame["order_id"]) + "-" + _stripped(frame["line_no"])).to_numpy(dtype=object)
    return _stripped(frame[ROW_ID_COLUMN[source]]).to_numpy(dtype=object)


def _stripped(series: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed ('' for missing), computed once per distinct value."""
    return by_distinct_value(series, lambda u: u.str.strip().fillna(""))


def _required_empty(source: str, frame: pd.DataFrame, ids, fields, text=None) -> list[pd.DataFrame]:
    out = []
    for field in fields:
        empty = (text[field] if text is not None else _stripped(frame[field])) == ""
        out.append(issue_rows(source, ids, field, frame[field], "missing_required", empty.to_numpy()))
    return out


def _duplicates(source: str, frame: pd.DataFrame, ids) -> pd.DataFrame:
    ids = pd.Series(ids, dtype="str")
    dup = ids.duplicated().to_numpy().copy()
    if dup.any():
        dup &= (_stripped(ids) != "").to_numpy()
    field = "order_id" if source == "order_lines" else ROW_ID_COLUMN[source]
    return issue_rows(source, ids, field, frame[field], "duplicate_id", dup)


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
    * an empty required field (:data:`coursekit.crm.schema.REQUIRED`; for a service ticket the
      phone *or* e-mail) is ``missing_required``.

    A failed value is removed (``"set to missing"``); a record that fails a
    required field is left out (``"rejected"``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Contact records in the unified layout, such as
        :func:`coursekit.data.crm_contacts.make_contacts` returns.
    reference_date : str or Timestamp, default "2024-01-01"
        "Today" for ages and future dates.

    Returns
    -------
    contacts : pandas.DataFrame
        The records kept, columns :data:`coursekit.crm.schema.CONTACT_COLUMNS`, RangeIndex.
    issues : pandas.DataFrame
        Quality report (fields named as in the unified layout).

    References
    ----------
    .. [1] P. Christen, *Data Matching*, Springer, 2012, chapter 5 (data
       pre-processing).

    Examples
    --------
    >>> from coursekit.data.crm_contacts import make_contacts
    >>> contacts, issues = clean_contacts(make_contacts(500, seed=4))
    >>> len(contacts), len(issues)
    (500, 0)
    >>> from coursekit.crm.schema import CONTACT_COLUMNS
    >>> contacts.columns.tolist() == CONTACT_COLUMNS
    True
    """
    check_frame("frame", frame, ["source", "source_row_id", "name", "phone", "email", "birth_date", "city"])
    ref = check_date("reference_date", reference_date)
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
    raw_record = (
        frame["record_date"] if "record_date" in frame.columns else pd.Series("", index=frame.index, dtype="str")
    )
    record = parse_dates(raw_record)
    age = (ref - birth.values).dt.days / _YEAR_DAYS
    impossible = (age < 0) | (age > MAX_AGE)
    future = record.values > ref
    birth_values = birth.values.where(~impossible)
    record_values = record.values.where(~future)
    parts = [
        issue_rows(src, ids, "phone", frame["phone"], phone.reasons, phone.failed),
        issue_rows(src, ids, "email", frame["email"], email.reasons, email.failed),
        issue_rows(src, ids, "birth_date", frame["birth_date"], birth.reasons, birth.failed),
        issue_rows(src, ids, "birth_date", frame["birth_date"], "impossible_age", impossible.to_numpy()),
        issue_rows(src, ids, "record_date", raw_record, record.reasons, record.failed),
        issue_rows(src, ids, "record_date", raw_record, "future_date", future.to_numpy()),
    ]
    is_ticket = src == "service_tickets"
    needs_name = np.isin(src, [s for s, f in _CONTACT_REQUIRED.items() if "name" in f])
    needs_email = np.isin(src, [s for s, f in _CONTACT_REQUIRED.items() if "email" in f])
    raw_empty = {
        c: (frame[c].astype("str").str.strip().fillna("") == "").to_numpy() for c in ("name", "email", "phone")
    }
    parts.append(issue_rows(src, ids, "name", frame["name"], "missing_required", needs_name & raw_empty["name"]))
    parts.append(issue_rows(src, ids, "email", frame["email"], "missing_required", needs_email & raw_empty["email"]))
    parts.append(
        issue_rows(
            src, ids, "contact", frame["phone"], "missing_required", is_ticket & raw_empty["phone"] & raw_empty["email"]
        )
    )
    if "record_date" in frame.columns:
        empty_record = (raw_record.astype("str").str.strip().fillna("") == "").to_numpy()
        parts.append(issue_rows(src, ids, "record_date", raw_record, "missing_required", is_ticket & empty_record))
    issues = pd.concat(parts, ignore_index=True)
    # a failed required field rejects the row
    required_hit = np.zeros(len(issues), dtype=bool)
    isrc = issues["source"].to_numpy(dtype=object)
    ifield = issues["field"].to_numpy(dtype=object)
    for source, fields in _CONTACT_REQUIRED.items():
        unified = set(fields) | ({"phone", "email"} if "contact" in fields else set())
        required_hit |= (isrc == source) & np.isin(ifield, list(unified))
    rejected_keys = set(
        zip(isrc[required_hit], issues["source_row_id"].to_numpy(dtype=object)[required_hit], strict=True)
    )
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
    return issue_rows(source, ids, field, frame[field], "bad_value", bad.to_numpy())


def clean(raw: dict, *, reference_date=REFERENCE_DATE) -> Cleaned:
    r"""Clean and validate the raw sources; report every problem with its row and reason.

    For each source, every field is normalised and checked (see the
    normalisers, :func:`clean_contacts` and :data:`coursekit.crm.schema.REASONS`): dates that are
    not dates, future dates, impossible ages, phone numbers with letters or
    the wrong number of digits, malformed e-mails, values outside a field's
    allowed set, empty required fields, duplicate row ids, order quantities
    that are not whole numbers >= 1 and prices that are not > 0, and order
    lines whose identifier (CRM id, web account id or e-mail) matches no
    loaded record.  A row that fails a required field (:data:`coursekit.crm.schema.REQUIRED`) is
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
    {'bad_date': 40, 'missing_required': 34, 'phone_letters': 30, 'bad_email': 21, 'impossible_age': 12,
     'bad_quantity': 10, 'bad_phone': 8, 'future_date': 6, 'bad_price': 4}
    """
    if not isinstance(raw, dict):
        raise TypeError(f"raw must be a dict of DataFrames as returned by extract(), got {type(raw).__name__}")
    missing = [s for s in SOURCES if s not in raw]
    if missing:
        raise ValueError(f"raw must hold the sources {list(SOURCES)}; missing {missing}")
    for source in SOURCES:
        check_frame(f"raw[{source!r}]", raw[source], SOURCE_COLUMNS[source])
    ref = check_date("reference_date", reference_date)
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
            extra.append(
                issue_rows(source, ids[source], "resolved_at", frame["resolved_at"], resolved.reasons, resolved.failed)
            )
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
        [f in REQUIRED[s] for s, f in zip(all_contact_issues["source"], all_contact_issues["field"], strict=True)],
        dtype=bool,
    )
    req &= (all_contact_issues["reason"] != "duplicate_id").to_numpy()
    rejected = pd.MultiIndex.from_arrays(
        [all_contact_issues["source"][req].to_numpy(), all_contact_issues["source_row_id"][req].to_numpy()]
    ).unique()
    keys = pd.MultiIndex.from_arrays(
        [all_contact_issues["source"].to_numpy(), all_contact_issues["source_row_id"].to_numpy()]
    )
    dropped = keys.isin(rejected) | (all_contact_issues["reason"] == "duplicate_id").to_numpy()
    all_contact_issues["action"] = np.where(dropped, "rejected", "set to missing")
    ckeys = pd.MultiIndex.from_arrays([contacts["source"].to_numpy(), contacts["source_row_id"].to_numpy()])
    # a duplicated id keeps its first row only
    first = ~pd.Series(list(zip(contacts["source"], contacts["source_row_id"], strict=True))).duplicated().to_numpy()
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
            "product": strip_text(cards["product"]),
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
            "summary": strip_text(tix["summary"]),
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

    line_no = by_distinct_value(text["line_no"], whole).to_numpy()
    line_ok = ~np.isnan(line_no) & (line_no >= 1)
    parts.append(issue_rows(source, ids, "line_no", frame["line_no"], "bad_value", present["line_no"] & ~line_ok))
    dates = parse_dates(frame["order_date"])
    future = (dates.values > ref).to_numpy()
    parts.append(issue_rows(source, ids, "order_date", frame["order_date"], dates.reasons, dates.failed))
    parts.append(issue_rows(source, ids, "order_date", frame["order_date"], "future_date", future))
    quantity = by_distinct_value(text["quantity"], whole).to_numpy()
    qty_ok = ~np.isnan(quantity) & (quantity >= 1)
    parts.append(issue_rows(source, ids, "quantity", frame["quantity"], "bad_quantity", present["quantity"] & ~qty_ok))
    price = by_distinct_value(text["unit_price"], decimal).to_numpy()
    price_ok = ~np.isnan(price) & (price > 0)
    parts.append(
        issue_rows(source, ids, "unit_price", frame["unit_price"], "bad_price", present["unit_price"] & ~price_ok)
    )
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
    has_at = by_distinct_value(ident, lambda u: u.str.contains("@", regex=False).fillna(False).astype(bool)).to_numpy()
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
    parts.append(issue_rows(source, ids, "identifier", frame["identifier"], "unknown_customer", unknown))
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
