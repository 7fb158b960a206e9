"""Tests of coursekit.crm.sqlite: the SQLite database, its constraints, row accounting and queries."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit import crm
from coursekit.crm import SOURCE_FILES, SOURCES

CRM = Path(__file__).resolve().parents[2] / "datasets" / "crm"


def test_schema_integrity_and_foreign_keys(con):
    assert con.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {
        "customers",
        "contacts",
        "provenance",
        "web_accounts",
        "warranty_cards",
        "complaints",
        "orders",
        "quality_issues",
        "load_log",
    }
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute(
            "INSERT INTO orders VALUES ('X1', 1, 'CU99999', 'store', 'C1', '2023-01-01', 'snacks', 1, 1.0, 1.0)"
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("INSERT INTO load_log VALUES ('order_lines', 'f', 10, 5, 4)")


def test_database_row_accounting_against_the_files(con):
    log = crm.query(con, "SELECT * FROM load_log").set_index("source")
    for source in SOURCES:
        with (CRM / SOURCE_FILES[source]).open(encoding="utf-8", newline="") as handle:
            n_read = sum(1 for _ in csv.reader(handle)) - 1
        if source == "order_lines":
            (loaded,) = con.execute("SELECT COUNT(*) FROM orders").fetchone()
        else:
            (loaded,) = con.execute("SELECT COUNT(*) FROM contacts WHERE source = ?", (source,)).fetchone()
        (rejected,) = con.execute(
            "SELECT COUNT(DISTINCT source_row_id) FROM quality_issues WHERE source = ? AND action = 'rejected'",
            (source,),
        ).fetchone()
        assert loaded + rejected == n_read, source
        assert tuple(log.loc[source, ["rows_read", "rows_loaded", "rows_rejected"]]) == (n_read, loaded, rejected)


def test_sql_queries_return_the_expected_counts(con, cleaned, clusters, merged):
    one = lambda sql, *p: con.execute(sql, p).fetchone()[0]  # noqa: E731
    assert one("SELECT COUNT(*) FROM customers") == clusters.nunique() == len(merged.customers)
    assert one("SELECT COUNT(*) FROM contacts") == len(cleaned.contacts)
    assert one("SELECT COUNT(*) FROM complaints") == len(cleaned.tickets)
    assert one("SELECT COUNT(*) FROM complaints WHERE complaint = 1") == int(cleaned.tickets["complaint"].sum())
    assert one("SELECT COUNT(*) FROM web_accounts WHERE marketing_consent = 1") == int(
        cleaned.accounts["marketing_consent"].sum()
    )
    assert one("SELECT COUNT(*) FROM warranty_cards") == len(cleaned.warranties)
    assert one("SELECT COUNT(*) FROM quality_issues") == len(cleaned.issues)
    assert_allclose(one("SELECT SUM(amount) FROM orders"), cleaned.orders["amount"].sum(), rtol=1e-12)
    assert one("SELECT COUNT(*) FROM provenance") == len(merged.provenance)
    # customers who complained and also ordered, in SQL and in pandas
    sql = """SELECT COUNT(DISTINCT c.customer_id) FROM complaints AS c
             JOIN orders AS o ON o.customer_id = c.customer_id"""
    owner = merged.members.set_index(["source", "source_row_id"])["customer_id"]
    complained = set(
        owner.reindex(
            pd.MultiIndex.from_arrays([["service_tickets"] * len(cleaned.tickets), cleaned.tickets["ticket_id"]])
        )
    )
    ordered = set(
        owner.reindex(
            pd.MultiIndex.from_arrays([cleaned.orders["link_source"], cleaned.orders["link_row_id"]])
        ).to_numpy()
    )
    assert one(sql) == len(complained & ordered)
    # every customer's n_records equals its contacts
    assert (
        one(
            """SELECT COUNT(*) FROM customers AS cu
           WHERE n_records != (SELECT COUNT(*) FROM contacts AS ct WHERE ct.customer_id = cu.customer_id)"""
        )
        == 0
    )


def test_orders_of_duplicate_crm_files_meet_in_one_customer(con):
    """A person entered twice in the CRM buys under both ids; the database joins the two."""
    (n,) = con.execute(
        """SELECT COUNT(*) FROM (
               SELECT customer_id FROM orders WHERE channel = 'store'
               GROUP BY customer_id HAVING COUNT(DISTINCT identifier) > 1)"""
    ).fetchone()
    assert n > 50


def test_build_database_to_a_file(tmp_path):
    path = tmp_path / "crm.sqlite"
    con = crm.build_database(path=path)
    (n,) = con.execute("SELECT COUNT(*) FROM customers").fetchone()
    con.close()
    assert path.is_file()
    with sqlite3.connect(path) as again:
        assert again.execute("SELECT COUNT(*) FROM customers").fetchone() == (n,)
    again.close()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        crm.build_database(path=path)
    crm.build_database(path=str(path), overwrite=True).close()
    with pytest.raises(TypeError, match="path must be ':memory:' or a file path"):
        crm.build_database(path=3)
    with pytest.raises(TypeError, match="overwrite must be True or False"):
        crm.build_database(overwrite="yes")
    with pytest.raises(ValueError, match="path must be a file"):
        crm.build_database(path=tmp_path, overwrite=True)


def test_query_helper(con):
    frame = crm.query(con, "SELECT source, rows_read FROM load_log WHERE rows_rejected > ? ORDER BY source", (10,))
    assert frame.columns.tolist() == ["source", "rows_read"]
    assert frame["source"].tolist() == ["order_lines", "service_tickets", "web_registrations"]
    with pytest.raises(TypeError, match="con must be a sqlite3.Connection"):
        crm.query("db", "SELECT 1")
    with pytest.raises(ValueError, match="sql must be a non-empty SQL statement"):
        crm.query(con, "  ")
    with pytest.raises(TypeError, match="params must be a tuple, list or dict"):
        crm.query(con, "SELECT ?", 5)


def test_schema_is_documented():
    assert crm.SCHEMA.count("CREATE TABLE") == 9
    assert "REFERENCES customers (customer_id)" in crm.SCHEMA
    assert "FOREIGN KEY (source, source_row_id) REFERENCES contacts (source, source_row_id)" in crm.SCHEMA
    assert crm.SCHEMA.count("--") > 20
