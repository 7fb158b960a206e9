"""Tests of coursekit.crm.database: normalisers, quality report, matching, merge, SQLite load, privacy."""

from __future__ import annotations

import csv
import hashlib
import itertools
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.crm import database as db
from coursekit.data.crm_sources import (CONTACT_SOURCES, SOURCE_FILES, SOURCES, load_crm_defects, load_crm_identity, make_contacts)

CRM = Path(__file__).resolve().parents[1] / "datasets" / "crm"


@pytest.fixture(scope="module")
def raw():
    return db.extract()


@pytest.fixture(scope="module")
def cleaned(raw):
    return db.clean(raw)


@pytest.fixture(scope="module")
def clusters(cleaned):
    return db.match(cleaned.contacts)


@pytest.fixture(scope="module")
def merged(cleaned, clusters):
    return db.merge(cleaned.contacts, clusters)


@pytest.fixture(scope="module")
def con():
    connection = db.build_database()
    yield connection
    connection.close()


def _s(values):
    return pd.Series(values, dtype="str")


# --------------------------------------------------------------------------------------------
# normalisers
# --------------------------------------------------------------------------------------------
def test_normalise_phone_on_tricky_examples():
    cases = {
        "+86 138-1234-5678": ("13812345678", ""),
        "13812345678": ("13812345678", ""),
        " 138 1234 5678 ": ("13812345678", ""),
        "+8613812345678": ("13812345678", ""),
        "0086 138 1234 5678": ("13812345678", ""),
        "8613812345678": ("13812345678", ""),
        "138.1234.5678": ("13812345678", ""),
        "(0571) 8888 1234": ("057188881234", ""),
        "0571-88881234": ("057188881234", ""),
        "+86 571 8888 1234": ("057188881234", ""),
        "+86 10 2261 9939": ("01022619939", ""),  # Beijing's area code starts with 1
        "021-55556666": ("02155556666", ""),
        "138O1234567": (None, "phone_letters"),  # letter O for zero: flagged, not repaired
        "1381234567l": (None, "phone_letters"),  # letter l for one
        "1381234567": (None, "bad_phone"),
        "23812345678": (None, "bad_phone"),
        "": (None, ""),
    }
    result = db.normalise_phone(_s(list(cases) + [None]))
    expected_values = [v for v, _ in cases.values()] + [None]
    expected_reasons = [r for _, r in cases.values()] + [""]
    got = [None if pd.isna(v) else v for v in result.values]
    assert got == expected_values
    assert result.reasons.tolist() == expected_reasons
    assert result.failed.tolist() == [r != "" for r in expected_reasons]


def test_normalisers_keep_the_index():
    series = pd.Series(["13812345678", "x"], index=[10, 3], dtype="str")
    assert db.normalise_phone(series).values.index.tolist() == [10, 3]
    assert db.parse_dates(series).reasons.index.tolist() == [10, 3]
    assert db.normalise_name(series).index.tolist() == [10, 3]


def test_normalise_email():
    result = db.normalise_email(
        _s(["  Fang.Wang85@163.COM ", "fang.wang85163.com", "a@@b.com", "x@163", "fang wang@163.com", "a_b+c@mail.qq.com", ""])
    )
    assert [None if pd.isna(v) else v for v in result.values] == [
        "fang.wang85@163.com",
        None,
        None,
        None,
        None,
        "a_b+c@mail.qq.com",
        None,
    ]
    assert result.reasons.tolist() == ["", "bad_email", "bad_email", "bad_email", "bad_email", "", ""]


def test_normalise_name_and_key():
    raw = _s(["  WANG,  Fang ", "fang   wang", "Wang Fang", "王 芳", " 王芳 ", "Emma Clark", "CLARK, Emma", "", None])
    names = db.normalise_name(raw)
    assert [None if pd.isna(v) else v for v in names] == [
        "Fang Wang",
        "Fang Wang",
        "Wang Fang",
        "王芳",
        "王芳",
        "Emma Clark",
        "Emma Clark",
        None,
        None,
    ]
    keys = db.name_key(raw)
    assert [None if pd.isna(v) else v for v in keys] == [
        "fang wang",
        "fang wang",
        "fang wang",
        "王芳",
        "王芳",
        "clark emma",
        "clark emma",
        None,
        None,
    ]
    assert db.name_key(_s(["Anna Maria Rossi", "Rossi, Anna Maria"])).tolist() == ["anna maria rossi"] * 2


def test_normalise_city():
    assert db.normalise_city(_s(["杭州", " hangzhou ", "HANGZHOU", "上海", "Xi'an", ""])).fillna("-").tolist() == [
        "Hangzhou",
        "Hangzhou",
        "Hangzhou",
        "Shanghai",
        "Xi'An",
        "-",
    ]


def test_parse_dates_formats_and_failures():
    raw = _s(
        [
            "1985-03-02",
            "02/03/1985",
            "1985.3.2",
            "1985年3月2日",
            "1985/03/02",
            " 1985-3-2 ",
            "2023-05-04 13:22:05",
            "2023-05-04 13:22",
            "2023-02-30",
            "0000-00-00 00:00:00",
            "31/02/1990",
            "1985-13-02",
            "n/a",
            "19850302",
            "",
        ]
    )
    result = db.parse_dates(raw)
    expected = ["1985-03-02"] * 6 + ["2023-05-04 13:22:05", "2023-05-04 13:22:00"] + [None] * 7
    got = [None if pd.isna(v) else str(v) for v in result.values]
    assert [g if g is None else g.replace(" 00:00:00", "") for g in got] == expected
    assert result.reasons.tolist() == [""] * 8 + ["bad_date"] * 6 + [""]
    assert result.values.dtype == "datetime64[ns]"
    us = db.parse_dates(_s(["02/03/1985"]), dayfirst=False)
    assert us.values.iloc[0] == pd.Timestamp("1985-02-03")


def test_normaliser_argument_errors():
    for fn in (db.normalise_phone, db.normalise_email, db.normalise_name, db.name_key, db.normalise_city, db.parse_dates):
        with pytest.raises(TypeError, match="series must be a pandas Series of text"):
            fn(["13812345678"])
        with pytest.raises(TypeError, match="series must hold text"):
            fn(pd.Series([1.5, 2.0]))
    with pytest.raises(TypeError, match="dayfirst must be True or False"):
        db.parse_dates(_s(["1985-01-01"]), dayfirst="yes")


def test_name_similarity_matches_a_brute_force_jaccard():
    def jaccard(a, b, q):
        ga = {f"^{a}$"[i : i + q] for i in range(len(a) + 3 - q)}
        gb = {f"^{b}$"[i : i + q] for i in range(len(b) + 3 - q)}
        return len(ga & gb) / len(ga | gb)

    a = _s(["fang wang", "fang wang", "fang wang", "王芳", "li na", "emma clark", None])
    b = _s(["fang wang", "fnag wang", "wei wang", "王芳", "na li", "james clark", "x"])
    for q in (1, 2, 3):
        expected = [np.nan if pd.isna(x) else jaccard(x, y, q) for x, y in zip(a.tolist(), b.tolist())]
        assert_allclose(db.name_similarity(a, b, q=q), expected, rtol=1e-12)
    assert_allclose(db.name_similarity(a[:3], b[:3]), [1.0, 7 / 11, 5 / 12])
    with pytest.raises(ValueError, match="same length"):
        db.name_similarity(a, b[:2])
    with pytest.raises(ValueError, match="q must be an integer >= 1"):
        db.name_similarity(a, b, q=0)


# --------------------------------------------------------------------------------------------
# extract, clean, quality report
# --------------------------------------------------------------------------------------------
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
        db.extract(tmp_path)
    folder = tmp_path / "crm"
    folder.mkdir()
    for source in SOURCES:
        (folder / SOURCE_FILES[source]).write_text((CRM / SOURCE_FILES[source]).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "warranty_cards.csv").write_text("card_id,name\nWC1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="warranty_cards.csv must have the columns"):
        db.extract(tmp_path)
    (folder / "warranty_cards.csv").unlink()
    with pytest.raises(FileNotFoundError, match="warranty_cards.csv"):
        db.extract(tmp_path)


def test_quality_report_finds_every_defect_and_nothing_else(cleaned):
    defects = load_crm_defects()
    found = set(map(tuple, cleaned.issues[["source", "source_row_id", "field", "reason"]].to_numpy().tolist()))
    planted = set(map(tuple, defects.to_numpy().tolist()))
    recall = len(found & planted) / len(planted)
    precision = len(found & planted) / len(found)
    assert recall == 1.0, sorted(planted - found)[:10]
    assert precision == 1.0, sorted(found - planted)[:10]
    assert cleaned.issues.columns.tolist() == db.QUALITY_COLUMNS
    assert set(cleaned.issues["action"]) == {"rejected", "set to missing"}


def test_issue_values_are_the_raw_text(cleaned, raw):
    issues = cleaned.issues[cleaned.issues["source"] == "crm_export"].set_index(["source_row_id", "field"])
    crm = raw["crm_export"].set_index("crm_id")
    for (row_id, field), value in issues["value"].items():
        assert crm.loc[row_id, field] == value


def test_required_fields_reject_and_others_remove_the_value(cleaned):
    issues = cleaned.issues
    for row in issues.itertuples():
        required = row.field in db.REQUIRED[row.source]
        assert row.action == ("rejected" if required else "set to missing"), row
    kept = set(zip(cleaned.contacts["source"], cleaned.contacts["source_row_id"]))
    removed = issues[issues["action"] == "set to missing"]
    for row in removed[removed["source"].isin(CONTACT_SOURCES)].itertuples():
        assert (row.source, row.source_row_id) in kept
    rejected = issues[issues["action"] == "rejected"]
    assert not kept & set(zip(rejected["source"], rejected["source_row_id"]))


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
    assert cleaned.contacts.columns.tolist() == db.CONTACT_COLUMNS
    assert cleaned.contacts["birth_date"].dtype == "datetime64[ns]"


def test_clean_handles_duplicates_unknown_customers_and_bad_values(raw, cleaned):
    flagged = set(cleaned.issues["source_row_id"])
    bad = {k: v.copy() for k, v in raw.items()}
    crm = bad["crm_export"]
    bad["crm_export"] = pd.concat([crm, crm.iloc[[0]]], ignore_index=True)  # the same crm_id twice
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
    result = db.clean(bad)
    issues = result.issues.set_index(["source", "source_row_id", "field"])
    assert issues.loc[("crm_export", crm.loc[0, "crm_id"], "crm_id"), "reason"] == "duplicate_id"
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
    base = db.clean(raw).counts.set_index("source")
    assert counts.loc["crm_export", "rows_rejected"] == base.loc["crm_export", "rows_rejected"] + 1
    assert counts.loc["crm_export", "rows_loaded"] == base.loc["crm_export", "rows_loaded"]
    assert counts.loc["order_lines", "rows_rejected"] == base.loc["order_lines", "rows_rejected"] + 4
    assert counts.loc["service_tickets", "rows_rejected"] == base.loc["service_tickets", "rows_rejected"] + 2
    assert (result.contacts.groupby(["source", "source_row_id"]).size() == 1).all()


def test_clean_argument_errors(raw):
    with pytest.raises(TypeError, match="raw must be a dict"):
        db.clean([raw["crm_export"]])
    with pytest.raises(ValueError, match="raw must hold the sources"):
        db.clean({"crm_export": raw["crm_export"]})
    broken = dict(raw, crm_export=raw["crm_export"].drop(columns="phone"))
    with pytest.raises(ValueError, match=r"raw\['crm_export'\] must have the columns"):
        db.clean(broken)
    with pytest.raises(ValueError, match="reference_date must be a date"):
        db.clean(raw, reference_date="someday")


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
    contacts, issues = db.clean_contacts(frame)
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
        db.clean_contacts(frame.assign(source="fax"))
    with pytest.raises(ValueError, match="frame must have the columns"):
        db.clean_contacts(frame.drop(columns="email"))


def test_quality_issue_records():
    issue = db.QualityIssue("web_registrations", "W00001", "email", "x", "bad_email", "rejected")
    assert issue.explanation == db.REASONS["bad_email"]
    report = db.quality_report([issue], pd.DataFrame([issue.__dict__]))
    assert len(report) == 2 and report.columns.tolist() == db.QUALITY_COLUMNS
    assert len(db.quality_report()) == 0
    with pytest.raises(ValueError, match="reason must be one of"):
        db.QualityIssue("crm_export", "C1", "name", "", "ugly", "rejected")
    with pytest.raises(ValueError, match="action must be"):
        db.QualityIssue("crm_export", "C1", "name", "", "missing_required", "ignored")
    with pytest.raises(TypeError, match="each part must be a DataFrame or an iterable of QualityIssue"):
        db.quality_report(["not an issue"])


# --------------------------------------------------------------------------------------------
# blocking, scoring, matching
# --------------------------------------------------------------------------------------------
def test_candidate_pairs_equal_brute_force_key_sharing():
    contacts, _ = db.clean_contacts(make_contacts(400, seed=12))
    pairs = db.candidate_pairs(contacts)
    keys = {k: db._block_keys(contacts, k).to_numpy(dtype=object) for k in db.BLOCKING_KEYS}
    expected = {}
    for i, j in itertools.combinations(range(len(contacts)), 2):
        shared = tuple(not pd.isna(keys[k][i]) and keys[k][i] == keys[k][j] for k in db.BLOCKING_KEYS)
        if any(shared):
            expected[(i, j)] = shared
    got = {(r.left, r.right): tuple(getattr(r, f"by_{k}") for k in db.BLOCKING_KEYS) for r in pairs.itertuples()}
    assert got == expected
    assert (pairs["left"] < pairs["right"]).all()


def test_blocking_compares_few_pairs_on_the_course_data(cleaned):
    contacts = cleaned.contacts
    pairs = db.candidate_pairs(contacts)
    assert len(pairs) < 0.001 * len(contacts) * (len(contacts) - 1) / 2
    only_phone = db.candidate_pairs(contacts, keys="phone")
    assert only_phone.columns.tolist() == ["left", "right", "by_phone"]
    assert len(only_phone) == int(pairs["by_phone"].sum())


def test_max_block_size_skips_large_blocks():
    contacts = pd.DataFrame(
        {
            "name_key": ["a b"] * 5,
            "phone": ["13812345678"] * 4 + ["13900000000"],
            "email": [None] * 5,
            "birth_date": pd.to_datetime([None] * 5),
            "city": [None] * 5,
        }
    ).astype({"name_key": "str", "phone": "str", "email": "str", "city": "str"})
    assert len(db.candidate_pairs(contacts, keys=["phone"])) == 6
    assert len(db.candidate_pairs(contacts, keys=["phone"], max_block_size=3)) == 0
    with pytest.raises(ValueError, match="max_block_size must be at least 2"):
        db.candidate_pairs(contacts, max_block_size=1)
    with pytest.raises(ValueError, match="keys must be distinct names among"):
        db.candidate_pairs(contacts, keys=["phone", "zip"])
    with pytest.raises(ValueError, match="keys must be distinct names among"):
        db.candidate_pairs(contacts, keys=["phone", "phone"])
    with pytest.raises(ValueError, match="RangeIndex"):
        db.candidate_pairs(contacts.set_index(pd.Index([5, 6, 7, 8, 9])))


def _toy_contacts():
    return pd.DataFrame(
        {
            "source": ["crm_export", "warranty_cards", "service_tickets", "web_registrations", "crm_export", "warranty_cards"],
            "source_row_id": ["C1", "WC1", "T1", "W1", "C2", "WC2"],
            "record_date": pd.to_datetime(["2020-01-01", "2023-01-01", "2023-02-01", "2021-01-01", "2022-01-01", "2022-05-01"]),
            "name": ["Jun Guo", "Jnu Guo", None, "Jun Guo", "Wei Wang", "王伟"],
            "name_key": ["guo jun", "guo jnu", None, "guo jun", "wang wei", "王伟"],
            "phone": ["18209742471", "18209742471", None, "18209742471", "057188881234", "057188881234"],
            "email": ["jun@163.com", None, "guojun@qq.com", "guojun@qq.com", None, None],
            "birth_date": pd.to_datetime(["1977-10-12", None, None, None, "1960-01-01", None]),
            "city": ["Hangzhou", "Hangzhou", None, None, "Hangzhou", "Hangzhou"],
        }
    ).astype({c: "str" for c in ("source", "source_row_id", "name", "name_key", "phone", "email", "city")})


def test_score_pairs_by_hand():
    contacts = _toy_contacts()
    pairs = pd.DataFrame({"left": [0, 0, 2, 4, 0], "right": [1, 3, 3, 5, 4]})
    scored = db.score_pairs(contacts, pairs)
    w = db.WEIGHTS
    # 0-1: transposed name (similar), same phone, city same
    assert scored.loc[0, "name"] == w["name_similar"]
    # 0-3: same name, same phone, different e-mails
    # 2-3: same e-mail only
    # 4-5: Latin vs characters: not comparable; same landline; same city
    # 0-4: different names, different phones, different birth dates, same city
    expected = [
        w["name_similar"] + w["phone_exact"] + w["city_same"],
        w["name_exact"] + w["phone_exact"] + w["email_different"],
        w["email_exact"],
        w["phone_exact"] + w["city_same"],
        w["name_different"] + w["phone_different"] + w["birth_date_different"] + w["city_same"],
    ]
    assert_allclose(scored["score"], expected)
    assert np.isnan(scored.loc[3, "name_similarity"]) and scored.loc[3, "name"] == 0.0
    heavy = db.score_pairs(contacts, pairs, weights={"city_same": 10.0})
    assert_allclose(heavy["score"] - scored["score"], [9.5, 0, 0, 9.5, 9.5])
    with pytest.raises(ValueError, match="weights keys must be among"):
        db.score_pairs(contacts, pairs, weights={"shoe_size": 1.0})
    with pytest.raises(TypeError, match="weights must be a dict"):
        db.score_pairs(contacts, pairs, weights=[1.0])
    with pytest.raises(ValueError, match="pairs must hold positions"):
        db.score_pairs(contacts, pd.DataFrame({"left": [0], "right": [6]}))


def test_one_digit_phone_typo_scores_as_near():
    contacts = _toy_contacts()
    contacts.loc[1, "phone"] = "18209742481"
    scored = db.score_pairs(contacts, pd.DataFrame({"left": [0], "right": [1]}))
    assert scored.loc[0, "phone"] == db.WEIGHTS["phone_one_digit"]


def test_match_links_transitively_and_respects_the_threshold():
    contacts = _toy_contacts()
    clusters = db.match(contacts)
    # C1, WC1, W1 share the phone; T1 shares W1's e-mail; the household landline links nobody
    # named differently, but the record in characters is not comparable and joins C2.
    assert clusters.tolist() == [0, 0, 0, 0, 1, 1]
    assert clusters.name == "cluster"
    assert db.match(contacts, threshold=100).tolist() == [0, 1, 2, 3, 4, 5]
    assert len(db.match(contacts.iloc[:0].reset_index(drop=True))) == 0
    with pytest.raises(TypeError, match="threshold must be a number"):
        db.match(contacts, threshold="high")


def test_match_quality_against_the_answer_file(cleaned, clusters):
    truth = db.true_person_ids(cleaned.contacts)
    assert truth.notna().all()
    quality = db.match_quality(clusters, truth)
    print(f"\nmatching on the course data: precision {quality.precision:.4f}, recall {quality.recall:.4f}, F1 {quality.f1:.4f}")
    assert quality.precision >= 0.95
    assert quality.recall >= 0.90
    assert quality.n_records == len(cleaned.contacts)
    assert quality.n_clusters == clusters.nunique()
    # matching must do better than doing nothing and than trusting names alone
    by_name = db.match_quality(cleaned.contacts["name_key"].fillna(pd.Series(range(len(cleaned.contacts))).astype(str)), truth)
    assert quality.f1 > by_name.f1


def test_match_quality_equals_brute_force_pair_counting():
    rng = np.random.default_rng(4)
    predicted = rng.integers(0, 12, 60)
    truth = rng.integers(0, 9, 60)
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(60), 2):
        same_p, same_t = predicted[i] == predicted[j], truth[i] == truth[j]
        tp += same_p and same_t
        fp += same_p and not same_t
        fn += same_t and not same_p
    q = db.match_quality(predicted, truth)
    assert (q.true_positives, q.false_positives, q.false_negatives) == (tp, fp, fn)
    assert_allclose([q.precision, q.recall], [tp / (tp + fp), tp / (tp + fn)])
    assert_allclose(q.f1, 2 * q.precision * q.recall / (q.precision + q.recall))
    perfect = db.match_quality(["a", "a", "b"], [1, 1, 2])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    none = db.match_quality([0, 1, 2], [0, 1, 2])
    assert np.isnan(none.precision) and np.isnan(none.recall)
    with pytest.raises(ValueError, match="same length"):
        db.match_quality([0, 1], [0])
    with pytest.raises(ValueError, match="must not hold missing values"):
        db.match_quality(pd.Series([0, None]), [0, 1])


def test_true_person_ids_uses_the_identity_file(cleaned):
    ids = db.true_person_ids(cleaned.contacts.head(5), identity=load_crm_identity())
    assert ids.tolist() == db.true_person_ids(cleaned.contacts.head(5)).tolist()
    unknown = pd.DataFrame({"source": ["crm_export"], "source_row_id": ["C99999"]})
    assert db.true_person_ids(unknown).isna().all()


def test_match_scales_to_make_contacts():
    sample = make_contacts(5_000, seed=21)
    contacts, issues = db.clean_contacts(sample)
    assert len(issues) == 0 and len(contacts) == 5_000
    quality = db.match_quality(db.match(contacts), sample["person_id"])
    assert quality.precision >= 0.95 and quality.recall >= 0.85


# --------------------------------------------------------------------------------------------
# merge and provenance
# --------------------------------------------------------------------------------------------
def test_merge_applies_source_priority_and_recency():
    contacts = _toy_contacts()
    merged = db.merge(contacts, db.match(contacts))
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
    picked = db.merge(two, [0, 0])
    assert picked.customers.loc[0, "phone"] == "13700000000"
    assert tuple(picked.provenance.set_index("field").loc["phone"]) == ("CU00001", "crm_export", "C3")


def test_merge_provenance_points_at_the_values(cleaned, merged):
    customers = merged.customers.set_index("customer_id")
    contacts = cleaned.contacts.set_index(["source", "source_row_id"])
    prov = merged.provenance
    assert not prov.duplicated(["customer_id", "field"]).any()
    for field in db.SOURCE_PRIORITY:
        rows = prov[prov["field"] == field]
        taken = contacts.loc[list(zip(rows["source"], rows["source_row_id"])), field].to_numpy()
        assert (customers.loc[rows["customer_id"], field].to_numpy() == taken).all()
        assert customers[field].notna().sum() == len(rows)
        assert set(rows["source"]) <= set(db.SOURCE_PRIORITY[field])
    members = merged.members
    assert len(members) == len(cleaned.contacts)
    assert (members.groupby("customer_id").size().sort_index() == customers["n_records"].sort_index()).all()


def test_merge_argument_errors(cleaned):
    with pytest.raises(ValueError, match="clusters must hold one label per record"):
        db.merge(cleaned.contacts, [0, 1])
    with pytest.raises(ValueError, match="clusters must not hold missing labels"):
        db.merge(cleaned.contacts.head(2), [0, None])
    with pytest.raises(ValueError, match="contacts must have the columns"):
        db.merge(cleaned.contacts.drop(columns="city"), np.zeros(len(cleaned.contacts)))


# --------------------------------------------------------------------------------------------
# the SQLite database
# --------------------------------------------------------------------------------------------
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
    log = db.query(con, "SELECT * FROM load_log").set_index("source")
    for source in SOURCES:
        with (CRM / SOURCE_FILES[source]).open(encoding="utf-8", newline="") as handle:
            n_read = sum(1 for _ in csv.reader(handle)) - 1
        if source == "order_lines":
            (loaded,) = con.execute("SELECT COUNT(*) FROM orders").fetchone()
        else:
            (loaded,) = con.execute("SELECT COUNT(*) FROM contacts WHERE source = ?", (source,)).fetchone()
        (rejected,) = con.execute(
            "SELECT COUNT(DISTINCT source_row_id) FROM quality_issues WHERE source = ? AND action = 'rejected'", (source,)
        ).fetchone()
        assert loaded + rejected == n_read, source
        assert tuple(log.loc[source, ["rows_read", "rows_loaded", "rows_rejected"]]) == (n_read, loaded, rejected)


def test_sql_queries_return_the_expected_counts(con, cleaned, clusters, merged):
    one = lambda sql, *p: con.execute(sql, p).fetchone()[0]  # noqa: E731
    assert one("SELECT COUNT(*) FROM customers") == clusters.nunique() == len(merged.customers)
    assert one("SELECT COUNT(*) FROM contacts") == len(cleaned.contacts)
    assert one("SELECT COUNT(*) FROM complaints") == len(cleaned.tickets)
    assert one("SELECT COUNT(*) FROM complaints WHERE complaint = 1") == int(cleaned.tickets["complaint"].sum())
    assert one("SELECT COUNT(*) FROM web_accounts WHERE marketing_consent = 1") == int(cleaned.accounts["marketing_consent"].sum())
    assert one("SELECT COUNT(*) FROM warranty_cards") == len(cleaned.warranties)
    assert one("SELECT COUNT(*) FROM quality_issues") == len(cleaned.issues)
    assert_allclose(one("SELECT SUM(amount) FROM orders"), cleaned.orders["amount"].sum(), rtol=1e-12)
    assert one("SELECT COUNT(*) FROM provenance") == len(merged.provenance)
    # customers who complained and also ordered, in SQL and in pandas
    sql = """SELECT COUNT(DISTINCT c.customer_id) FROM complaints AS c
             JOIN orders AS o ON o.customer_id = c.customer_id"""
    owner = merged.members.set_index(["source", "source_row_id"])["customer_id"]
    complained = set(owner.reindex(pd.MultiIndex.from_arrays([["service_tickets"] * len(cleaned.tickets), cleaned.tickets["ticket_id"]])))
    ordered = set(
        owner.reindex(pd.MultiIndex.from_arrays([cleaned.orders["link_source"], cleaned.orders["link_row_id"]])).to_numpy()
    )
    assert one(sql) == len(complained & ordered)
    # every customer's n_records equals its contacts
    assert one(
        """SELECT COUNT(*) FROM customers AS cu
           WHERE n_records != (SELECT COUNT(*) FROM contacts AS ct WHERE ct.customer_id = cu.customer_id)"""
    ) == 0


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
    con = db.build_database(path=path)
    (n,) = con.execute("SELECT COUNT(*) FROM customers").fetchone()
    con.close()
    assert path.is_file()
    with sqlite3.connect(path) as again:
        assert again.execute("SELECT COUNT(*) FROM customers").fetchone() == (n,)
    again.close()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        db.build_database(path=path)
    db.build_database(path=str(path), overwrite=True).close()
    with pytest.raises(TypeError, match="path must be ':memory:' or a file path"):
        db.build_database(path=3)
    with pytest.raises(TypeError, match="overwrite must be True or False"):
        db.build_database(overwrite="yes")
    with pytest.raises(ValueError, match="path must be a file"):
        db.build_database(path=tmp_path, overwrite=True)


def test_query_helper(con):
    frame = db.query(con, "SELECT source, rows_read FROM load_log WHERE rows_rejected > ? ORDER BY source", (10,))
    assert frame.columns.tolist() == ["source", "rows_read"]
    assert frame["source"].tolist() == ["order_lines", "service_tickets", "web_registrations"]
    with pytest.raises(TypeError, match="con must be a sqlite3.Connection"):
        db.query("db", "SELECT 1")
    with pytest.raises(ValueError, match="sql must be a non-empty SQL statement"):
        db.query(con, "  ")
    with pytest.raises(TypeError, match="params must be a tuple, list or dict"):
        db.query(con, "SELECT ?", 5)


def test_schema_is_documented():
    assert db.SCHEMA.count("CREATE TABLE") == 9
    assert "REFERENCES customers (customer_id)" in db.SCHEMA
    assert "FOREIGN KEY (source, source_row_id) REFERENCES contacts (source, source_row_id)" in db.SCHEMA
    assert db.SCHEMA.count("--") > 20


# --------------------------------------------------------------------------------------------
# pseudonymisation
# --------------------------------------------------------------------------------------------
def test_pseudonymise_is_salted_sha256_and_deterministic():
    frame = pd.DataFrame({"customer_id": ["CU00001", "CU00002", "CU00001", None], "phone": ["138", "139", "138", "140"], "x": [1, 2, 3, 4]})
    salt = "a-long-secret"
    a = db.pseudonymise(frame, ["customer_id", "phone"], salt)
    b = db.pseudonymise(frame, ["customer_id", "phone"], salt)
    pd.testing.assert_frame_equal(a, b)
    expected = hashlib.sha256(b"a-long-secret\x1fCU00001").hexdigest()[:16]
    assert a.loc[0, "customer_id"] == expected == a.loc[2, "customer_id"]
    assert a.loc[0, "customer_id"] != a.loc[1, "customer_id"]
    assert pd.isna(a.loc[3, "customer_id"])
    assert a["x"].tolist() == [1, 2, 3, 4]
    assert frame.loc[0, "customer_id"] == "CU00001"  # the input is untouched
    other = db.pseudonymise(frame, "customer_id", "another-secret")
    assert (other["customer_id"].dropna() != a["customer_id"].dropna()).all()
    assert len(db.pseudonymise(frame, "phone", salt, length=64).loc[0, "phone"]) == 64


def test_pseudonymise_errors():
    frame = pd.DataFrame({"id": ["a"]})
    with pytest.raises(ValueError, match="salt must be a secret of at least 8 characters, got 0"):
        db.pseudonymise(frame, "id", "")
    with pytest.raises(ValueError, match="salt must be a secret of at least 8 characters, got 5"):
        db.pseudonymise(frame, "id", "short")
    with pytest.raises(TypeError, match="salt must be a secret string"):
        db.pseudonymise(frame, "id", None)
    with pytest.raises(ValueError, match=r"columns must be columns of frame; \['name'\]"):
        db.pseudonymise(frame, "name", "long-enough-salt")
    with pytest.raises(ValueError, match="columns must name at least one column"):
        db.pseudonymise(frame, [], "long-enough-salt")
    with pytest.raises(ValueError, match="length must be between 4 and 64"):
        db.pseudonymise(frame, "id", "long-enough-salt", length=80)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        db.pseudonymise({"id": ["a"]}, "id", "long-enough-salt")
