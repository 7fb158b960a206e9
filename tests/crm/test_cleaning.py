"""Tests of coursekit.crm.cleaning: extract the raw files as text, clean them, report every problem."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit import crm
from coursekit.crm import CONTACT_SOURCES, SOURCE_FILES, SOURCES
from coursekit.data.crm_answers import load_crm_defects

CRM = Path(__file__).resolve().parents[2] / "datasets" / "crm"


def test_extract_reads_text_exactly(raw):
    assert list(raw) == list(SOURCES)
    for source, frame in raw.items():
        with (CRM / SOURCE_FILES[source]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert frame.columns.tolist() == rows[0]
        assert len(frame) == len(rows) - 1
        assert frame.to_numpy().tolist()[:50] == rows[1:51]  # no trimming, no conversion


def test_extract_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no CRM source files"):
        crm.extract(tmp_path)
    folder = tmp_path / "crm"
    folder.mkdir()
    for source in SOURCES:
        (folder / SOURCE_FILES[source]).write_text(
            (CRM / SOURCE_FILES[source]).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (folder / "warranty_cards.csv").write_text("card_id,name\nWC1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="warranty_cards.csv must have the columns"):
        crm.extract(tmp_path)
    (folder / "warranty_cards.csv").unlink()
    with pytest.raises(FileNotFoundError, match="warranty_cards.csv"):
        crm.extract(tmp_path)


def test_quality_report_finds_every_defect_and_nothing_else(cleaned):
    defects = load_crm_defects()
    found = set(map(tuple, cleaned.issues[["source", "source_row_id", "field", "reason"]].to_numpy().tolist()))
    planted = set(map(tuple, defects.to_numpy().tolist()))
    recall = len(found & planted) / len(planted)
    precision = len(found & planted) / len(found)
    assert recall == 1.0, sorted(planted - found)[:10]
    assert precision == 1.0, sorted(found - planted)[:10]
    assert cleaned.issues.columns.tolist() == crm.QUALITY_COLUMNS
    assert set(cleaned.issues["action"]) == {"rejected", "set to missing"}


def test_issue_values_are_the_raw_text(cleaned, raw):
    issues = cleaned.issues[cleaned.issues["source"] == "crm_export"].set_index(["source_row_id", "field"])
    export = raw["crm_export"].set_index("crm_id")
    for (row_id, field), value in issues["value"].items():
        assert export.loc[row_id, field] == value


def test_required_fields_reject_and_others_remove_the_value(cleaned):
    issues = cleaned.issues
    for row in issues.itertuples():
        required = row.field in crm.REQUIRED[row.source]
        assert row.action == ("rejected" if required else "set to missing"), row
    kept = set(zip(cleaned.contacts["source"], cleaned.contacts["source_row_id"], strict=True))
    removed = issues[issues["action"] == "set to missing"]
    for row in removed[removed["source"].isin(CONTACT_SOURCES)].itertuples():
        assert (row.source, row.source_row_id) in kept
    rejected = issues[issues["action"] == "rejected"]
    assert not kept & set(zip(rejected["source"], rejected["source_row_id"], strict=True))


def test_row_accounting_per_source(cleaned):
    counts = cleaned.counts.set_index("source")
    for source in SOURCES:
        with (CRM / SOURCE_FILES[source]).open(encoding="utf-8", newline="") as handle:
            n_read = sum(1 for _ in csv.reader(handle)) - 1
        loaded = len(cleaned.orders) if source == "order_lines" else int((cleaned.contacts["source"] == source).sum())
        rejected = cleaned.issues[(cleaned.issues["source"] == source) & (cleaned.issues["action"] == "rejected")]
        assert counts.loc[source, "rows_read"] == n_read
        assert counts.loc[source, "rows_loaded"] == loaded
        assert loaded + rejected["source_row_id"].nunique() == n_read


def test_source_tables_are_typed(cleaned):
    assert cleaned.orders["order_date"].dtype == "datetime64[ns]"
    assert cleaned.orders["quantity"].dtype == np.int64 and (cleaned.orders["quantity"] >= 1).all()
    assert_allclose(cleaned.orders["amount"], (cleaned.orders["quantity"] * cleaned.orders["unit_price"]).round(2))
    assert set(cleaned.orders["link_source"]) == {"crm_export", "web_registrations"}
    assert cleaned.tickets["complaint"].dtype == bool
    assert cleaned.accounts["marketing_consent"].dtype == "boolean"
    assert cleaned.warranties["purchase_date"].dtype == "datetime64[ns]"
    assert cleaned.contacts.columns.tolist() == crm.CONTACT_COLUMNS
    assert cleaned.contacts["birth_date"].dtype == "datetime64[ns]"


def test_clean_handles_duplicates_unknown_customers_and_bad_values(raw, cleaned):
    flagged = set(cleaned.issues["source_row_id"])
    bad = {k: v.copy() for k, v in raw.items()}
    export = bad["crm_export"]
    bad["crm_export"] = pd.concat([export, export.iloc[[0]]], ignore_index=True)  # the same crm_id twice
    orders = bad["order_lines"]
    extra = orders.iloc[[0, 0, 0, 0]].copy()
    extra["order_id"] = ["O999991", "O999992", "O999993", "O999994"]
    extra["identifier"] = ["C99999", "C00001", "C00001", "nobody@nowhere.com"]
    extra["channel"] = ["store", "phone", "store", "web"]
    extra["order_date"] = ["2023-05-01", "2023-05-01", "2030-01-01", "2023-05-01"]
    bad["order_lines"] = pd.concat([orders, extra], ignore_index=True)
    tickets = bad["service_tickets"]
    t0, t1 = tickets.index[~tickets["ticket_id"].isin(flagged)][:2]
    tickets.loc[t0, "category"] = "angry"
    tickets.loc[t1, "complaint"] = "maybe"
    web = bad["web_registrations"]
    w0 = web.index[~web["account_id"].isin(flagged)][0]
    web.loc[w0, "marketing_consent"] = "perhaps"
    result = crm.clean(bad)
    issues = result.issues.set_index(["source", "source_row_id", "field"])
    assert issues.loc[("crm_export", export.loc[0, "crm_id"], "crm_id"), "reason"] == "duplicate_id"
    assert issues.loc[("order_lines", "O999991-1", "identifier"), "reason"] == "unknown_customer"
    assert issues.loc[("order_lines", "O999992-1", "channel"), "reason"] == "bad_value"
    assert issues.loc[("order_lines", "O999993-1", "order_date"), "reason"] == "future_date"
    assert issues.loc[("order_lines", "O999994-1", "identifier"), "reason"] == "unknown_customer"
    assert issues.loc[("service_tickets", tickets.loc[t0, "ticket_id"], "category"), "action"] == "rejected"
    assert issues.loc[("service_tickets", tickets.loc[t1, "ticket_id"], "complaint"), "action"] == "rejected"
    consent = issues.loc[("web_registrations", web.loc[w0, "account_id"], "marketing_consent")]
    assert consent["reason"] == "bad_value" and consent["action"] == "set to missing"
    assert pd.isna(result.accounts.set_index("account_id").loc[web.loc[w0, "account_id"], "marketing_consent"])
    counts = result.counts.set_index("source")
    assert (counts["rows_loaded"] + counts["rows_rejected"] == counts["rows_read"]).all()
    base = crm.clean(raw).counts.set_index("source")
    assert counts.loc["crm_export", "rows_rejected"] == base.loc["crm_export", "rows_rejected"] + 1
    assert counts.loc["crm_export", "rows_loaded"] == base.loc["crm_export", "rows_loaded"]
    assert counts.loc["order_lines", "rows_rejected"] == base.loc["order_lines", "rows_rejected"] + 4
    assert counts.loc["service_tickets", "rows_rejected"] == base.loc["service_tickets", "rows_rejected"] + 2
    assert (result.contacts.groupby(["source", "source_row_id"]).size() == 1).all()


def test_clean_argument_errors(raw):
    with pytest.raises(TypeError, match="raw must be a dict"):
        crm.clean([raw["crm_export"]])
    with pytest.raises(ValueError, match="raw must hold the sources"):
        crm.clean({"crm_export": raw["crm_export"]})
    broken = dict(raw, crm_export=raw["crm_export"].drop(columns="phone"))
    with pytest.raises(ValueError, match=r"raw\['crm_export'\] must have the column\(s\) \['phone'\]"):
        crm.clean(broken)
    with pytest.raises(ValueError, match="reference_date must be a date such as"):
        crm.clean(raw, reference_date="someday")


def test_clean_contacts_checks_ages_and_required_fields():
    frame = pd.DataFrame(
        {
            "source": ["crm_export", "crm_export", "web_registrations", "service_tickets", "warranty_cards"],
            "source_row_id": ["C1", "C2", "W1", "T1", "WC1"],
            "name": ["Fang Wang", "", "Li Na", "", "WEI LI"],
            "phone": ["13812345678", "13912345678", "138O1234567", "", "13712345678"],
            "email": ["", "", "li@163.com", "", ""],
            "birth_date": ["1899-01-01", "2031-05-04", "", "", ""],
            "city": ["杭州", "", "", "", "Hangzhou"],
            "record_date": ["2020-01-01", "2020-01-01", "2020-01-01 10:00:00", "2023-01-01 09:00:00", "2031-06-01"],
        }
    )
    contacts, issues = crm.clean_contacts(frame)
    assert contacts["source_row_id"].tolist() == ["C1", "W1", "WC1"]
    got = set(map(tuple, issues[["source_row_id", "field", "reason", "action"]].to_numpy().tolist()))
    assert got == {
        ("C1", "birth_date", "impossible_age", "set to missing"),
        ("C2", "birth_date", "impossible_age", "rejected"),
        ("C2", "name", "missing_required", "rejected"),
        ("W1", "phone", "phone_letters", "set to missing"),
        ("T1", "contact", "missing_required", "rejected"),
        ("WC1", "record_date", "future_date", "set to missing"),
    }
    assert contacts["city"].fillna("-").tolist() == ["Hangzhou", "-", "Hangzhou"]
    assert contacts["birth_date"].isna().all()
    with pytest.raises(ValueError, match=r"frame\['source'\] must hold only"):
        crm.clean_contacts(frame.assign(source="fax"))
    with pytest.raises(ValueError, match=r"frame must have the column\(s\) \['email'\]"):
        crm.clean_contacts(frame.drop(columns="email"))
