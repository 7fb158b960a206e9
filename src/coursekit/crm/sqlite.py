r"""Store and query: Chapter 2's unified customer database in SQLite.

The last two stages of the textbook's recipe: store the cleaned, matched and merged data
centrally, and query it.  :func:`build_database` runs the whole pipeline --
:func:`coursekit.crm.cleaning.extract`, :func:`coursekit.crm.cleaning.clean`,
:func:`coursekit.crm.matching.match`, :func:`coursekit.crm.merging.merge` -- and loads the
result with the standard library's :mod:`sqlite3` under :data:`SCHEMA` (primary and foreign
keys, checks, the quality report and a load log in which loaded + rejected = read for every
source); :func:`query` returns the result of a SQL statement as a DataFrame.

References
----------
.. [1] E. F. Codd, "A relational model of data for large shared data banks",
   Communications of the ACM 13(6), 377-387, 1970.
.. [2] SQLite documentation, "SQLite Foreign Key Support",
   https://www.sqlite.org/foreignkeys.html.

Examples
--------
>>> SCHEMA.count("CREATE TABLE"), "PRIMARY KEY (order_id, line_no)" in SCHEMA
(9, True)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit._validate import check_number
from coursekit.crm.cleaning import clean, extract
from coursekit.crm.matching import THRESHOLD, match
from coursekit.crm.merging import SOURCE_PRIORITY, merge
from coursekit.crm.schema import CONTACT_SOURCES, INCENTIVES, ORDER_CATEGORIES, SOURCES, TICKET_CATEGORIES

__all__ = ["SCHEMA", "build_database", "query"]

_SOURCE_LIST = ", ".join(f"'{s}'" for s in CONTACT_SOURCES)
_HOLE_LIST = ", ".join(f"'{h}'" for h in TICKET_CATEGORIES)
_INCENTIVE_LIST = ", ".join(f"'{i}'" for i in INCENTIVES)
_CATEGORY_LIST = ", ".join(f"'{c}'" for c in ORDER_CATEGORIES)
_FIELD_LIST = ", ".join(f"'{f}'" for f in SOURCE_PRIORITY)
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
    reason         TEXT NOT NULL,                -- see coursekit.crm.schema.REASONS
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
    return zip(*[_none(c) for c in columns], strict=True)


def build_database(
    directory=None, path=":memory:", *, threshold: float = THRESHOLD, overwrite: bool = False
) -> sqlite3.Connection:
    r"""Build the unified customer database from the raw files, in SQLite.

    Runs the whole pipeline -- :func:`coursekit.crm.cleaning.extract`,
    :func:`coursekit.crm.cleaning.clean`, :func:`coursekit.crm.matching.match`,
    :func:`coursekit.crm.merging.merge` -- and loads the result under
    :data:`SCHEMA` with foreign keys enforced.  Every source row is either
    loaded or listed in ``quality_issues`` with its reason, and ``load_log``
    records, per source, rows read = rows loaded + rows rejected (a CHECK
    constraint of the table).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.tables.data_dir`).
    path : str or pathlib.Path, default ":memory:"
        Where to create the database: in memory, or a new file.
    threshold : float, default :data:`coursekit.crm.matching.THRESHOLD`
        Matching threshold (see :func:`coursekit.crm.matching.match`).
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
        raise TypeError(
            f"path must be ':memory:' or a file path (str or pathlib.Path), got {type(path).__name__} {path!r}"
        )
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
        keys = pd.MultiIndex.from_arrays(
            [od["link_source"].to_numpy(dtype=object), od["link_row_id"].to_numpy(dtype=object)]
        )
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
            "INSERT INTO quality_issues (source, source_row_id, field, value, reason, action) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            _rows(qi["source"], qi["source_row_id"], qi["field"], qi["value"], qi["reason"], qi["action"]),
        )
        ct = cleaned.counts
        con.executemany(
            "INSERT INTO load_log VALUES (?, ?, ?, ?, ?)",
            _rows(
                ct["source"],
                ct["file"],
                ct["rows_read"].astype(int).tolist(),
                ct["rows_loaded"].astype(int).tolist(),
                ct["rows_rejected"].astype(int).tolist(),
            ),
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
