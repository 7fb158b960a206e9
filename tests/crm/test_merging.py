"""Tests of coursekit.crm.merging: survivorship by source priority and recency, with provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursekit import crm


def test_merge_applies_source_priority_and_recency(toy_contacts):
    contacts = toy_contacts
    merged = crm.merge(contacts, crm.match(contacts))
    first = merged.customers.iloc[0]
    assert first["customer_id"] == "CU00001"
    assert first["name"] == "Jun Guo"  # the CRM's spelling, not the warranty card's typo
    assert first["email"] == "guojun@qq.com"  # the web login beats the CRM's older address
    assert first["n_records"] == 4
    assert first["sources"] == "crm_export;web_registrations;warranty_cards;service_tickets"
    assert first["first_seen"] == pd.Timestamp("2020-01-01")
    prov = merged.provenance.set_index(["customer_id", "field"])
    assert tuple(prov.loc[("CU00001", "email")]) == ("web_registrations", "W1")
    assert tuple(prov.loc[("CU00001", "name")]) == ("crm_export", "C1")
    second = merged.customers.iloc[1]
    assert second["name"] == "Wei Wang" and second["city"] == "Hangzhou"
    # two CRM phones: the most recent record wins
    again = contacts.copy()
    again.loc[4, "source_row_id"], again.loc[4, "record_date"] = "C3", pd.Timestamp("2024-01-01")
    two = pd.concat([contacts.iloc[[4]], again.iloc[[4]].assign(phone="13700000000")], ignore_index=True)
    picked = crm.merge(two, [0, 0])
    assert picked.customers.loc[0, "phone"] == "13700000000"
    assert tuple(picked.provenance.set_index("field").loc["phone"]) == ("CU00001", "crm_export", "C3")


def test_merge_provenance_points_at_the_values(cleaned, merged):
    customers = merged.customers.set_index("customer_id")
    contacts = cleaned.contacts.set_index(["source", "source_row_id"])
    prov = merged.provenance
    assert not prov.duplicated(["customer_id", "field"]).any()
    for field in crm.SOURCE_PRIORITY:
        rows = prov[prov["field"] == field]
        taken = contacts.loc[list(zip(rows["source"], rows["source_row_id"], strict=True)), field].to_numpy()
        assert (customers.loc[rows["customer_id"], field].to_numpy() == taken).all()
        assert customers[field].notna().sum() == len(rows)
        assert set(rows["source"]) <= set(crm.SOURCE_PRIORITY[field])
    members = merged.members
    assert len(members) == len(cleaned.contacts)
    assert (members.groupby("customer_id").size().sort_index() == customers["n_records"].sort_index()).all()


def test_merge_argument_errors(cleaned):
    with pytest.raises(ValueError, match="clusters must hold one label per record"):
        crm.merge(cleaned.contacts, [0, 1])
    with pytest.raises(ValueError, match="clusters must not hold missing labels"):
        crm.merge(cleaned.contacts.head(2), [0, None])
    with pytest.raises(ValueError, match=r"contacts must have the column\(s\) \['city'\]"):
        crm.merge(cleaned.contacts.drop(columns="city"), np.zeros(len(cleaned.contacts)))
