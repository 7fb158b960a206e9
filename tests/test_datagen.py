"""Tests of coursekit.data.transactions: determinism, byte-for-byte files, structure, emergent properties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.data import transactions as datagen
from coursekit.data.transactions import (CATEGORIES, CHANNELS, DATASETS, REGIONS, TransactionsData, make_transactions, write_datasets, write_transactions)
from coursekit.models.concentration import top_share

REPO_DATASETS = Path(__file__).resolve().parents[1] / "datasets"
FILES = ["transactions_customers.csv", "transactions_orders.csv", "transactions_truth.csv"]


@pytest.fixture(scope="module")
def data() -> TransactionsData:
    return make_transactions()


def test_same_seed_gives_identical_frames(data):
    again = make_transactions()
    for a, b in zip(data, again):
        pd.testing.assert_frame_equal(a, b)


def test_different_seed_gives_different_data():
    a = make_transactions(n_customers=300, seed=1)
    b = make_transactions(n_customers=300, seed=2)
    assert not a.orders["amount"].equals(b.orders["amount"])


def test_writing_twice_gives_identical_bytes(tmp_path):
    first = write_datasets(tmp_path / "a", "transactions")
    second = write_datasets(tmp_path / "b", "transactions")
    assert [p.name for p in first] == FILES
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes()


def test_committed_files_are_regenerated_byte_for_byte(tmp_path):
    """`make data` (python -m coursekit.data.transactions datasets) reproduces the committed CSVs."""
    fresh = write_datasets(tmp_path)
    assert {name for name in datagen.DATASETS} >= {"transactions", "survey", "subscriptions", "bank_accounts"}
    for path in fresh:
        rel = path.relative_to(tmp_path)
        committed = REPO_DATASETS / rel
        assert committed.is_file(), f"{committed} is missing; run `make data`"
        assert committed.read_bytes() == path.read_bytes(), f"{rel} differs; run `make data`"
    written = {p.relative_to(tmp_path) for p in fresh}
    committed_csv = {p.relative_to(REPO_DATASETS) for p in REPO_DATASETS.rglob("*.csv")}
    assert committed_csv <= written, f"committed CSVs no generator writes: {sorted(map(str, committed_csv - written))}"


def test_main_writes_into_the_named_folder(tmp_path, capsys):
    assert datagen.main([str(tmp_path / "out"), "--only", "transactions"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == FILES
    assert "done in" in capsys.readouterr().out


def test_files_are_plain_csv(tmp_path):
    paths = write_transactions(tmp_path, make_transactions(n_customers=100, seed=5))
    for path in paths:
        raw = path.read_bytes()
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
    orders = paths[1].read_text().splitlines()
    assert orders[0] == "order_id,customer_id,order_date,amount,category"
    amount = orders[1].split(",")[3]
    assert len(amount.split(".")[1]) == 2


def test_registry_lists_transactions():
    assert "transactions" in DATASETS
    assert callable(DATASETS["transactions"])


def test_dtypes(data):
    customers, orders, truth = data
    assert customers.columns.tolist() == ["customer_id", "acquired", "channel", "region"]
    assert orders.columns.tolist() == ["order_id", "customer_id", "order_date", "amount", "category"]
    assert truth.columns.tolist() == [
        "customer_id",
        "purchase_rate_per_month",
        "churn_rate_per_month",
        "mean_spend",
        "lifetime_months",
        "churned_by_end",
        "churn_date",
    ]
    assert customers["channel"].cat.categories.tolist() == list(CHANNELS)
    assert customers["region"].cat.categories.tolist() == list(REGIONS)
    assert orders["category"].cat.categories.tolist() == list(CATEGORIES)
    assert pd.api.types.is_datetime64_any_dtype(orders["order_date"])
    assert truth["churned_by_end"].dtype == bool


def test_structure(data):
    customers, orders, truth = data
    assert len(customers) == 5000
    assert customers["customer_id"].is_unique
    assert orders["order_id"].is_unique
    assert customers["customer_id"].iloc[0] == "C00001"
    assert orders["order_id"].iloc[0] == "O000001"
    assert truth["customer_id"].tolist() == customers["customer_id"].tolist()
    assert orders["customer_id"].isin(customers["customer_id"]).all()
    assert (orders["amount"] > 0).all()
    assert np.allclose(orders["amount"], orders["amount"].round(2))
    # sorted by date, then id
    assert orders["order_date"].is_monotonic_increasing
    assert orders.sort_values(["order_date", "order_id"]).index.equals(orders.index)
    assert customers["acquired"].is_monotonic_increasing


def test_orders_fall_within_each_customers_observed_life(data):
    customers, orders, truth = data
    info = customers.merge(truth, on="customer_id")
    merged = orders.merge(info, on="customer_id", how="left")
    end = pd.Timestamp("2023-12-31")
    assert (merged["order_date"] >= merged["acquired"]).all()
    assert (merged["order_date"] <= end).all()
    last_day = merged["churn_date"].fillna(end)
    assert (merged["order_date"] <= last_day).all()
    # the first order of every customer is on the acquisition date
    first = orders.groupby("customer_id")["order_date"].min()
    assert (first.reindex(customers["customer_id"]).to_numpy() == customers["acquired"].to_numpy()).all()


def test_truth_is_consistent(data):
    customers, _, truth = data
    assert (truth["purchase_rate_per_month"] >= 0).all()
    assert (truth["churn_rate_per_month"] > 0).all()
    assert (truth["mean_spend"] > 0).all()
    assert (truth["lifetime_months"] >= 0).all()
    assert truth["churn_date"].isna().eq(~truth["churned_by_end"]).all()
    churned = truth["churned_by_end"]
    assert (truth.loc[churned, "churn_date"] >= customers.loc[churned, "acquired"]).all()
    assert (truth.loc[churned, "churn_date"] <= pd.Timestamp("2023-12-31")).all()
    # the churn date is the acquisition date plus the lifetime (to within a day)
    gap = (truth.loc[churned, "churn_date"] - customers.loc[churned, "acquired"]).dt.days
    months = truth.loc[churned, "lifetime_months"] * datagen.DAYS_PER_MONTH
    assert (np.abs(gap - months) <= 1.0001).all()


def test_emergent_concentration_and_churn(data):
    _, orders, truth = data
    revenue = orders.groupby("customer_id")["amount"].sum()
    share = top_share(revenue.to_numpy(), 0.2)
    assert 0.5 <= share <= 0.9
    churned = truth["churned_by_end"].mean()
    assert 0.1 <= churned <= 0.8


def test_channels_shift_behaviour(data):
    customers, _, truth = data
    by_channel = truth.groupby(customers["channel"].to_numpy())["churned_by_end"].mean()
    assert by_channel["referral"] < by_channel["search_ads"] < by_channel["promotion"]


def test_acquisition_grows(data):
    years = data.customers["acquired"].dt.year.value_counts()
    assert years[2021] < years[2022] < years[2023]


def test_small_and_custom_windows():
    one = make_transactions(n_customers=1, seed=0)
    assert len(one.customers) == 1 and len(one.orders) >= 1
    short = make_transactions(n_customers=50, seed=3, start=dt.date(2022, 3, 1), end="2022-03-02")
    assert short.orders["order_date"].between("2022-03-01", "2022-03-02").all()
    assert short.customers["acquired"].between("2022-03-01", "2022-03-02").all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_customers": 0}, ValueError, "n_customers"),
        ({"n_customers": 2.5}, ValueError, "n_customers"),
        ({"n_customers": "10"}, TypeError, "n_customers"),
        ({"n_customers": True}, TypeError, "n_customers"),
        ({"seed": -1}, ValueError, "seed"),
        ({"start": "not a date"}, ValueError, "start"),
        ({"start": 2021}, TypeError, "start"),
        ({"end": "2023-12-31 12:00"}, ValueError, "end"),
        ({"start": "2023-01-01", "end": "2022-01-01"}, ValueError, "end must be a later date than start"),
        ({"start": "2023-01-01", "end": "2023-01-01"}, ValueError, "end must be a later date than start"),
    ],
)
def test_make_transactions_validates(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_transactions(**{"n_customers": 10, **kwargs})


def test_write_validates(tmp_path):
    with pytest.raises(ValueError, match="names"):
        write_datasets(tmp_path, names=["nope"])
    with pytest.raises(TypeError, match="directory"):
        write_datasets(3)
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ValueError, match="directory"):
        write_datasets(afile)
    with pytest.raises(TypeError, match="data"):
        write_transactions(tmp_path, data="not data")
