"""Tests of coursekit.data.transactions: determinism, files, typed loaders, structure, emergent properties, revenue.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from coursekit.data import transactions as tx
from coursekit.data.transactions import (
    CATEGORIES,
    CHANNELS,
    REGIONS,
    TransactionsData,
    customer_revenue,
    load_customers,
    load_orders,
    load_truth,
    make_transactions,
    write_transactions,
)
from coursekit.models.concentration import top_share

STR = pd.Series(["x"]).astype("str").dtype
FILES = ["transactions_customers.csv", "transactions_orders.csv", "transactions_truth.csv"]


@pytest.fixture(scope="module")
def data() -> TransactionsData:
    return make_transactions()


def test_same_seed_gives_identical_frames(data):
    again = make_transactions()
    for a, b in zip(data, again, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_seed_gives_different_data():
    a = make_transactions(n_customers=300, seed=1)
    b = make_transactions(n_customers=300, seed=2)
    assert not a.orders["amount"].equals(b.orders["amount"])


def test_writing_twice_gives_identical_bytes(tmp_path):
    first = write_transactions(tmp_path / "a")
    second = write_transactions(tmp_path / "b")
    assert [p.name for p in first] == FILES
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes()


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
    months = truth.loc[churned, "lifetime_months"] * tx.DAYS_PER_MONTH
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
        ({"seed": 1.0}, TypeError, "seed"),
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
    with pytest.raises(TypeError, match="directory"):
        write_transactions(3)
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ValueError, match="directory"):
        write_transactions(afile)
    with pytest.raises(TypeError, match="data"):
        write_transactions(tmp_path, data="not data")


# --------------------------------------------------------------------------
# Loaders and customer revenue
# --------------------------------------------------------------------------


def test_missing_file_says_how_to_regenerate(tmp_path):
    with pytest.raises(FileNotFoundError, match="make data"):
        load_orders(tmp_path)
    with pytest.raises(TypeError, match="directory"):
        load_orders(5)


def test_loader_dtypes():
    customers = load_customers()
    orders = load_orders()
    truth = load_truth()
    assert customers["customer_id"].dtype == STR
    assert orders["order_id"].dtype == STR
    assert customers["acquired"].dtype == "datetime64[ns]"
    assert orders["order_date"].dtype == "datetime64[ns]"
    assert truth["churn_date"].dtype == "datetime64[ns]"
    assert customers["channel"].cat.categories.tolist() == list(CHANNELS)
    assert customers["region"].cat.categories.tolist() == list(REGIONS)
    assert orders["category"].cat.categories.tolist() == list(CATEGORIES)
    assert not customers["channel"].cat.ordered
    assert orders["amount"].dtype == np.float64
    assert truth["churned_by_end"].dtype == bool
    for column in ["purchase_rate_per_month", "churn_rate_per_month", "mean_spend", "lifetime_months"]:
        assert truth[column].dtype == np.float64
    assert customers["channel"].notna().all() and orders["category"].notna().all()


def test_loaders_return_what_the_generator_made(data):
    pd.testing.assert_frame_equal(load_customers(), data.customers)
    pd.testing.assert_frame_equal(load_orders(), data.orders)
    pd.testing.assert_frame_equal(load_truth(), data.truth)


def test_loaders_return_fresh_frames():
    first = load_orders()
    first.loc[:, "amount"] = -1.0
    second = load_orders()
    assert (second["amount"] > 0).all()


def test_loaders_read_another_folder(tmp_path):
    write_transactions(tmp_path, make_transactions(n_customers=30, seed=11))
    assert len(load_customers(tmp_path)) == 30
    assert len(load_truth(tmp_path)) == 30
    revenue = customer_revenue(directory=tmp_path)
    assert len(revenue) == 30
    assert revenue.sum() == pytest.approx(load_orders(tmp_path)["amount"].sum())


def test_bad_file_is_reported(tmp_path):
    write_transactions(tmp_path, make_transactions(n_customers=5, seed=1))
    path = tmp_path / "transactions_customers.csv"
    text = path.read_text().replace("referral", "word_of_mouth").replace("search_ads", "word_of_mouth")
    text = text.replace("social_media", "word_of_mouth").replace("marketplace", "word_of_mouth")
    text = text.replace("promotion", "word_of_mouth")
    path.write_text(text)
    with pytest.raises(ValueError, match="channel"):
        load_customers(tmp_path)


def test_customer_revenue_sums_to_orders_total():
    revenue = customer_revenue()
    orders = load_orders()
    customers = load_customers()
    assert revenue.name == "revenue"
    assert revenue.index.name == "customer_id"
    assert revenue.index.tolist() == customers["customer_id"].tolist()
    np.testing.assert_allclose(revenue.sum(), orders["amount"].sum(), rtol=1e-12)
    assert (revenue >= 0).all()
    per_customer = orders.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(revenue.loc[per_customer.index], per_customer, atol=0.005)


def test_customer_revenue_includes_customers_without_orders():
    orders = pd.DataFrame({"customer_id": ["a", "a", "c"], "amount": [1.25, 2.5, 4.0]})
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"]})
    revenue = customer_revenue(orders, customers)
    np.testing.assert_allclose(revenue.to_numpy(), [3.75, 0.0, 4.0])
    assert revenue.index.tolist() == ["a", "b", "c"]
    assert customer_revenue(orders).index.tolist() == ["a", "c"]


def test_customer_revenue_validates():
    customers = pd.DataFrame({"customer_id": ["a"]})
    with pytest.raises(TypeError, match="orders"):
        customer_revenue([1, 2], customers)
    with pytest.raises(ValueError, match="orders"):
        customer_revenue(pd.DataFrame({"customer_id": ["a"]}), customers)
    with pytest.raises(ValueError, match="unknown customer_id"):
        customer_revenue(pd.DataFrame({"customer_id": ["z"], "amount": [1.0]}), customers)
    with pytest.raises(ValueError, match="amount"):
        customer_revenue(pd.DataFrame({"customer_id": ["a"], "amount": ["x"]}), customers)
    with pytest.raises(ValueError, match="customers"):
        customer_revenue(
            pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}), pd.DataFrame({"customer_id": ["a", "a"]})
        )
    with pytest.raises(TypeError, match="directory"):
        load_orders(5)
