r"""Merge (survivorship): one row per customer from the matched records of Chapter 2's sources.

After matching (:mod:`coursekit.crm.matching`) each customer is a cluster of records that
disagree here and there: two spellings of a name, an old and a new phone number.
:func:`merge` keeps one value per field, taken from the most trusted source
(:data:`SOURCE_PRIORITY`) and among equally trusted records from the most recent one, and
records where every value came from (provenance), so that any field of the unified customer
can be traced back to a row of a source file.

References
----------
.. [1] J. Bleiholder and F. Naumann, "Data fusion", ACM Computing Surveys 41(1), 1-41, 2009.

Examples
--------
>>> import pandas as pd
>>> records = pd.DataFrame({"source": ["warranty_cards", "crm_export"], "source_row_id": ["WC1", "C1"],
...                         "record_date": pd.to_datetime(["2023-01-01", "2020-01-01"]),
...                         "name": ["Jnu Guo", "Jun Guo"], "phone": [None, "18209742471"],
...                         "email": [None, None], "birth_date": pd.to_datetime([None, None]),
...                         "city": ["Hangzhou", None]})
>>> merge(records, [0, 0]).customers[["customer_id", "name", "city", "sources"]].to_dict("records")
[{'customer_id': 'CU00001', 'name': 'Jun Guo', 'city': 'Hangzhou', 'sources': 'crm_export;warranty_cards'}]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import check_frame
from coursekit.crm.schema import CONTACT_SOURCES

__all__ = ["SOURCE_PRIORITY", "Merged", "merge"]

_NS = "datetime64[ns]"

#: Sources trusted for each field of a merged customer, most trusted first.
SOURCE_PRIORITY: dict[str, tuple[str, ...]] = {
    "name": ("crm_export", "web_registrations", "warranty_cards"),
    "phone": ("crm_export", "web_registrations", "warranty_cards", "service_tickets"),
    "email": ("web_registrations", "crm_export", "service_tickets"),
    "birth_date": ("crm_export",),
    "city": ("crm_export", "warranty_cards"),
}

_MERGED_FIELDS = tuple(SOURCE_PRIORITY)


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
        Standardised records (:func:`coursekit.crm.cleaning.clean`).
    clusters : pandas.Series or array-like
        Cluster label of each record (:func:`coursekit.crm.matching.match`), aligned with
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
    >>> from coursekit.crm.cleaning import clean, extract
    >>> from coursekit.crm.matching import match
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
    [['name', 'crm_export', 'C00001'], ['phone', 'crm_export', 'C00001'], ['email', 'crm_export', 'C00001'],
     ['birth_date', 'crm_export', 'C00001'], ['city', 'warranty_cards', 'WC00208']]
    """
    check_frame("contacts", contacts, ["source", "source_row_id", "record_date", *SOURCE_PRIORITY])
    labels = np.asarray(clusters)
    if labels.shape != (len(contacts),):
        raise ValueError(f"clusters must hold one label per record ({len(contacts)}), got shape {labels.shape}")
    if pd.isna(pd.Series(labels)).any():
        raise ValueError("clusters must not hold missing labels")
    frame = contacts.reset_index(drop=True).copy()
    codes, _ = pd.factorize(labels)  # order of first appearance
    width = max(5, len(str(codes.max() + 1 if codes.size else 1)))
    customer_ids = np.char.add(
        "CU", np.char.zfill((np.arange(codes.max() + 1 if codes.size else 0) + 1).astype(str), width)
    )
    frame["customer_id"] = customer_ids[codes] if codes.size else pd.Series([], dtype="str")
    frame["_pos"] = np.arange(len(frame))
    frame["_date"] = pd.to_datetime(frame["record_date"]).fillna(pd.Timestamp.min.as_unit("ns"))
    customers = pd.DataFrame({"customer_id": customer_ids})
    prov_parts = []
    for field, priority in SOURCE_PRIORITY.items():
        rank = frame["source"].map({s: i for i, s in enumerate(priority)})
        cand = frame[rank.notna() & frame[field].notna()].assign(_rank=rank)
        cand = cand.sort_values(
            ["customer_id", "_rank", "_date", "_pos"], ascending=[True, True, False, True], kind="stable"
        )
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
