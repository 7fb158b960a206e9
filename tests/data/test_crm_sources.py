"""Tests of coursekit.data.crm_sources: reproducible raw files, documented ground truth, built-in patterns."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.crm.schema import (
    CONTACT_SOURCES,
    DEFECT_REASONS,
    INCENTIVES,
    ORDER_CATEGORIES,
    REFERENCE_DATE,
    ROW_ID_COLUMN,
    SOURCE_COLUMNS,
    SOURCE_FILES,
    SOURCES,
    TICKET_CATEGORIES,
)
from coursekit.data.crm_answers import ANSWER_TABLES
from coursekit.data.crm_sources import (
    CYCLE_RANGE_DAYS,
    DEFECT_PLAN,
    N_PEOPLE,
    REGULAR_CATEGORIES,
    CrmData,
    make_crm,
    write_crm,
)

REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"
ANSWERS = ["identity.csv", "people.csv", "defects.csv", "orders.csv", "cycles.csv", "events.csv", "factors.csv"]


@pytest.fixture(scope="module")
def data() -> CrmData:
    return make_crm()


@pytest.fixture(scope="module")
def lines(data) -> pd.DataFrame:
    """Order lines with their true person, parsed (defective lines dropped)."""
    frame = data.sources["order_lines"].merge(data.orders, on="order_id", how="left")
    frame["date"] = pd.to_datetime(frame["order_date"], format="%Y-%m-%d", errors="coerce")
    frame["qty"] = pd.to_numeric(frame["quantity"], errors="coerce")
    return frame.dropna(subset=["date", "qty"])


# --------------------------------------------------------------------------------------------
# reproducibility and files
# --------------------------------------------------------------------------------------------
def test_committed_files_are_regenerated_byte_for_byte(tmp_path):
    """`python -m coursekit.data.crm_sources datasets` reproduces the committed files."""
    fresh = write_crm(tmp_path)
    assert len(fresh) == len(SOURCES) + len(ANSWERS)
    for path in fresh:
        committed = REPO_DATASETS / path.relative_to(tmp_path)
        assert committed.is_file(), f"{committed} is missing; run `python -m coursekit.data.crm_sources datasets`"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} differs; regenerate the crm dataset"


def test_same_seed_same_data_and_other_seed_differs(data):
    again = make_crm()
    for source in SOURCES:
        pd.testing.assert_frame_equal(data.sources[source], again.sources[source])
    pd.testing.assert_frame_equal(data.identity, again.identity)
    other = make_crm(n_people=300, seed=5)
    assert not other.sources["crm_export"]["name"].equals(
        data.sources["crm_export"]["name"].iloc[: len(other.sources["crm_export"])]
    )


def test_files_are_plain_utf8_csv_with_the_documented_headers(tmp_path):
    paths = write_crm(tmp_path, make_crm(n_people=150, seed=11))
    for source, path in zip(SOURCES, paths[: len(SOURCES)], strict=True):
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == SOURCE_COLUMNS[source]
        assert path.name == SOURCE_FILES[source]
    assert [p.name for p in paths[len(SOURCES) :]] == ANSWERS
    assert [spec.filename for spec in ANSWER_TABLES.values()] == [f"answers/{name}" for name in ANSWERS]
    assert all(p.parent.name == "answers" for p in paths[len(SOURCES) :])


def test_size_and_volume_of_the_course_files():
    folder = REPO_DATASETS / "crm"
    total = sum(p.stat().st_size for p in folder.rglob("*.csv"))
    assert total <= 5.0e6, f"the crm files take {total / 1e6:.2f} MB"
    with (folder / "order_lines.csv").open(encoding="utf-8") as handle:
        n_lines = sum(1 for _ in handle) - 1
    assert 40_000 <= n_lines <= 80_000


# --------------------------------------------------------------------------------------------
# ground truth
# --------------------------------------------------------------------------------------------
def test_identity_covers_every_contact_row_once(data):
    identity = data.identity
    assert not identity.duplicated(["source", "source_row_id"]).any()
    for source in CONTACT_SOURCES:
        ids = data.sources[source][ROW_ID_COLUMN[source]]
        assert ids.is_unique
        mine = identity.loc[identity["source"] == source, "source_row_id"]
        assert sorted(mine) == sorted(ids)
    assert set(identity["person_id"]) == set(data.people["person_id"])  # everybody appears somewhere
    assert len(data.people) == N_PEOPLE


def test_duplicates_within_and_across_sources(data):
    counts = data.identity.groupby(["source", "person_id"]).size()
    twice = (counts > 1).groupby(level=0).sum()
    assert twice["crm_export"] > 50 and twice["web_registrations"] > 20
    per_person = data.identity.groupby("person_id")["source"].nunique()
    assert (per_person >= 3).sum() > 300


def test_orders_belong_to_the_person_of_their_identifier(data):
    lines = data.sources["order_lines"].merge(data.orders, on="order_id")
    assert len(lines) == len(data.sources["order_lines"])
    owner = data.identity.set_index(["source", "source_row_id"])["person_id"]
    crm = lines[lines["identifier"].str.fullmatch(r"C\d+")]
    assert (
        owner.reindex(pd.MultiIndex.from_arrays([["crm_export"] * len(crm), crm["identifier"]])).to_numpy()
        == crm["person_id"].to_numpy()
    ).all()
    web = lines[lines["identifier"].str.fullmatch(r"W\d+")]
    assert (
        owner.reindex(pd.MultiIndex.from_arrays([["web_registrations"] * len(web), web["identifier"]])).to_numpy()
        == web["person_id"].to_numpy()
    ).all()
    guest = lines[lines["identifier"].str.contains("@", regex=False)]
    email_of = data.people.set_index("person_id")["email"]
    assert len(guest) > 1000
    assert (
        guest["identifier"].str.strip().str.lower().to_numpy() == email_of.reindex(guest["person_id"]).to_numpy()
    ).all()
    assert set(lines.loc[lines["channel"] == "store", "identifier"].str.slice(0, 1)) <= {"C", ""}


def test_defect_list_follows_the_plan(data):
    defects = data.defects
    assert len(defects) == sum(DEFECT_PLAN.values())
    planned = pd.Series(DEFECT_PLAN)
    found = defects.groupby(["source", "field", "defect"]).size()
    pd.testing.assert_series_equal(found.sort_index(), planned.sort_index(), check_names=False)
    assert set(defects["defect"]) <= set(DEFECT_REASONS)
    assert not defects.duplicated(["source", "source_row_id"]).any()  # one defect per row


def test_defective_values_look_the_part(data):
    def value(row):
        frame = data.sources[row.source]
        if row.source == "order_lines":
            order_id, line_no = row.source_row_id.rsplit("-", 1)
            hit = frame[(frame["order_id"] == order_id) & (frame["line_no"] == line_no)]
        else:
            hit = frame[frame[ROW_ID_COLUMN[row.source]] == row.source_row_id]
        assert len(hit) == 1
        return hit.iloc[0][row.field]

    for row in data.defects.itertuples():
        text = value(row)
        if row.defect == "missing_required":
            assert text == ""
        elif row.defect == "phone_letters":
            assert re.search(r"[A-Za-z]", text)
        elif row.defect == "bad_email":
            assert not re.fullmatch(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", text.strip().lower())
        elif row.defect == "bad_quantity":
            assert not (text.isdigit() and int(text) >= 1)
        elif row.defect == "future_date":
            assert text > REFERENCE_DATE


def test_rejecting_defects_spare_rows_used_by_orders(data):
    used = set(data.sources["order_lines"]["identifier"])
    rejecting = data.defects[
        data.defects["source"].isin(["crm_export", "web_registrations"])
        & data.defects["field"].isin(["name", "email"])
        & data.defects["defect"].isin(["missing_required", "bad_email"])
        & ~((data.defects["source"] == "crm_export") & (data.defects["field"] == "email"))
    ]
    assert len(rejecting) == 6 + 8 + 5
    assert not set(rejecting["source_row_id"]) & used


def test_small_datasets_scale_the_defects_down():
    small = make_crm(n_people=60, seed=9)
    assert 0 < len(small.defects) < sum(DEFECT_PLAN.values())
    assert not small.defects.duplicated(["source", "source_row_id"]).any()


# --------------------------------------------------------------------------------------------
# messy formats
# --------------------------------------------------------------------------------------------
def test_sources_are_messy_in_the_documented_ways(data):
    crm = data.sources["crm_export"]
    names = crm["name"]
    assert names.str.contains(",").any()  # "Surname, Given"
    assert names.str.contains(r"[\u4e00-\u9fff]").any()  # 汉字
    assert (names != names.str.strip()).any()  # stray spaces
    assert names.str.fullmatch(r"[A-Z ,]+").any() and names.str.fullmatch(r"[a-z ]+").any()
    phones = crm["phone"]
    for pattern in (r"\+86 1\d\d-\d{4}-\d{4}", r"1\d{10}", r"\(0\d{2,3}\) \d{4} \d{4}", r"0086 .*"):
        assert phones.str.fullmatch(pattern).any(), pattern
    births = crm["birth_date"]
    for pattern in (r"\d{4}-\d\d-\d\d", r"\d\d/\d\d/\d{4}", r"\d{4}\.\d{1,2}\.\d{1,2}", r"\d{4}年\d{1,2}月\d{1,2}日"):
        assert births.str.fullmatch(pattern).any(), pattern
    emails = crm["email"]
    assert (emails != emails.str.lower()).any() and (emails != emails.str.strip()).any()
    web = data.sources["web_registrations"]
    assert set(web["incentive"]) == set(INCENTIVES)
    assert set(web["marketing_consent"]) == {"yes", "no"}
    tickets = data.sources["service_tickets"]
    assert set(tickets["category"]) == set(TICKET_CATEGORIES)
    assert tickets["contact"].str.contains("@").mean() == pytest.approx(0.3, abs=0.05)
    assert (tickets["resolved_at"] == "").sum() > 50


def test_same_person_written_in_characters_and_pinyin(data):
    hanzi = data.people[data.people["script"] == "hanzi"]["person_id"]
    rows = data.identity[data.identity["person_id"].isin(hanzi) & (data.identity["source"] == "web_registrations")]
    web = data.sources["web_registrations"].set_index("account_id").loc[rows["source_row_id"], "name"]
    assert web.str.contains(r"[\u4e00-\u9fff]").any() and web.str.fullmatch(r"[A-Za-z ,]+").any()


# --------------------------------------------------------------------------------------------
# purchase patterns
# --------------------------------------------------------------------------------------------
def test_cycle_truth_is_within_the_documented_ranges(data):
    cycles = data.cycles
    for category, (lo, hi) in CYCLE_RANGE_DAYS.items():
        mu = cycles.loc[cycles["category"] == category, "mean_interval_days"]
        assert len(mu) > 50
        assert mu.min() >= lo and mu.max() <= hi


def test_observed_gaps_recover_each_personal_cycle(data, lines):
    regular = lines[lines["category"].isin(REGULAR_CATEGORIES)]
    occasions = (
        regular[["person_id", "category", "date"]].drop_duplicates().sort_values(["person_id", "category", "date"])
    )
    gaps = occasions.groupby(["person_id", "category"])["date"].diff().dt.days
    median = gaps.groupby([occasions["person_id"], occasions["category"]]).median()
    count = gaps.groupby([occasions["person_id"], occasions["category"]]).count()
    truth = data.cycles.set_index(["person_id", "category"])["mean_interval_days"]
    paused = set(data.events["person_id"])
    keep = (count >= 10) & ~median.index.get_level_values(0).isin(paused)
    ratio = (median[keep] / truth.reindex(median[keep].index)).to_numpy()
    assert keep.sum() > 1000
    assert np.median(ratio) == pytest.approx(1.0, abs=0.05)
    assert np.mean(np.abs(ratio - 1) < 0.2) > 0.9


def test_nobody_buys_after_churning(data, lines):
    churn = pd.to_datetime(data.people.set_index("person_id")["churn_date"].replace("", None))
    last = lines.groupby("person_id")["date"].max()
    churned = churn.dropna()
    assert len(churned) > 300
    assert (last.reindex(churned.index).dropna() < churned.reindex(last.reindex(churned.index).dropna().index)).all()
    alive_last = last[last.index.isin(churn[churn.isna()].index)]
    assert (alive_last > pd.Timestamp("2023-10-01")).mean() > 0.9


def test_pet_food_and_household_sales_move_together(lines):
    units = lines.assign(month=lines["date"].dt.to_period("M")).pivot_table(
        index="month", columns="category", values="qty", aggfunc="sum"
    )
    changes = units.diff().dropna()
    corr = changes.corr()
    pair = corr.loc["pet_food", "household"]
    others = corr.where(~np.eye(len(corr), dtype=bool)).stack()
    others = others.drop([("pet_food", "household"), ("household", "pet_food")])
    assert pair > 0.8
    assert pair > others.max()


def test_pregnancies_pause_personal_care_and_start_baby_products(data, lines):
    events = data.events
    assert len(events) == 30
    for row in events.itertuples():
        mine = lines[lines["person_id"] == row.person_id]
        care = mine.loc[mine["category"] == "personal_care", "date"]
        assert not ((care >= row.start) & (care < row.end)).any()
        assert (care < row.start).any() and (care >= row.end).any()
        baby = mine.loc[mine["category"] == "baby_products", "date"]
        assert (baby >= row.start + pd.Timedelta(days=270)).any()


def test_factors_hold_the_shared_demand_of_the_correlated_pair(data):
    wide = data.factors.pivot(index="month", columns="category", values="factor")
    assert len(wide) == 24 and list(wide.columns) == sorted(ORDER_CATEGORIES)
    assert (wide["pet_food"] == wide["household"]).all()
    assert wide["pet_food"].iloc[-6:].mean() > wide["pet_food"].iloc[:6].mean()
    assert (wide["appliances"] == 1.0).all()


# --------------------------------------------------------------------------------------------
# argument errors
# --------------------------------------------------------------------------------------------
def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="n_people must be at least 50"):
        make_crm(n_people=10)
    with pytest.raises(TypeError, match="n_people must be a whole number"):
        make_crm(n_people="many")
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        make_crm(seed=-1)
    with pytest.raises(TypeError, match="data must be a CrmData or None"):
        write_crm(tmp_path, data="nope")
    with pytest.raises(TypeError, match="directory must be a non-empty str"):
        write_crm(None)
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder"):
        write_crm(file)
