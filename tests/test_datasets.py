"""Tests of coursekit.data.loaders: data folder, typed loaders, customer revenue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursekit.data import loaders as ds
from coursekit.data.transactions import CATEGORIES, CHANNELS, REGIONS, make_transactions, write_transactions


def test_data_dir_is_the_repository_folder(monkeypatch):
    monkeypatch.delenv("COURSEKIT_DATA", raising=False)
    path = ds.data_dir()
    assert path.name == "datasets"
    assert (path / "transactions_orders.csv").is_file()


def test_data_dir_env_var(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path))
    assert ds.data_dir() == tmp_path
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="make data"):
        ds.data_dir()


def test_missing_file_says_how_to_regenerate(tmp_path):
    with pytest.raises(FileNotFoundError, match="make data"):
        ds.load_orders(tmp_path)


def test_loader_dtypes():
    customers = ds.load_customers()
    orders = ds.load_orders()
    truth = ds.load_truth()
    assert customers["customer_id"].dtype == pd.Series(["x"]).astype("str").dtype
    assert orders["order_id"].dtype == pd.Series(["x"]).astype("str").dtype
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


def test_loaders_return_what_the_generator_made():
    data = make_transactions()
    pd.testing.assert_frame_equal(ds.load_customers(), data.customers)
    pd.testing.assert_frame_equal(ds.load_orders(), data.orders)
    pd.testing.assert_frame_equal(ds.load_truth(), data.truth)


def test_loaders_return_fresh_frames():
    first = ds.load_orders()
    first.loc[:, "amount"] = -1.0
    second = ds.load_orders()
    assert (second["amount"] > 0).all()


def test_loaders_read_another_folder(tmp_path):
    write_transactions(tmp_path, make_transactions(n_customers=30, seed=11))
    assert len(ds.load_customers(tmp_path)) == 30
    assert len(ds.load_truth(tmp_path)) == 30
    revenue = ds.customer_revenue(directory=tmp_path)
    assert len(revenue) == 30
    assert revenue.sum() == pytest.approx(ds.load_orders(tmp_path)["amount"].sum())


def test_bad_file_is_reported(tmp_path):
    write_transactions(tmp_path, make_transactions(n_customers=5, seed=1))
    path = tmp_path / "transactions_customers.csv"
    text = path.read_text().replace("referral", "word_of_mouth").replace("search_ads", "word_of_mouth")
    text = text.replace("social_media", "word_of_mouth").replace("marketplace", "word_of_mouth")
    text = text.replace("promotion", "word_of_mouth")
    path.write_text(text)
    with pytest.raises(ValueError, match="channel"):
        ds.load_customers(tmp_path)


def test_customer_revenue_sums_to_orders_total():
    revenue = ds.customer_revenue()
    orders = ds.load_orders()
    customers = ds.load_customers()
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
    revenue = ds.customer_revenue(orders, customers)
    np.testing.assert_allclose(revenue.to_numpy(), [3.75, 0.0, 4.0])
    assert revenue.index.tolist() == ["a", "b", "c"]
    assert ds.customer_revenue(orders).index.tolist() == ["a", "c"]


def test_customer_revenue_validates():
    customers = pd.DataFrame({"customer_id": ["a"]})
    with pytest.raises(TypeError, match="orders"):
        ds.customer_revenue([1, 2], customers)
    with pytest.raises(ValueError, match="orders"):
        ds.customer_revenue(pd.DataFrame({"customer_id": ["a"]}), customers)
    with pytest.raises(ValueError, match="unknown customer_id"):
        ds.customer_revenue(pd.DataFrame({"customer_id": ["z"], "amount": [1.0]}), customers)
    with pytest.raises(ValueError, match="amount"):
        ds.customer_revenue(pd.DataFrame({"customer_id": ["a"], "amount": ["x"]}), customers)
    with pytest.raises(ValueError, match="customers"):
        ds.customer_revenue(
            pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}), pd.DataFrame({"customer_id": ["a", "a"]})
        )
    with pytest.raises(TypeError, match="directory"):
        ds.load_orders(5)


def test_every_dataset_loads_through_coursekit_datasets():
    from coursekit.data import loaders as datasets

    for name in datasets._ELSEWHERE:
        assert callable(getattr(datasets, name)), name
    assert len(datasets.load_survey()) == 1500
    assert len(datasets.load_campaign()) == 6000
    with pytest.raises(AttributeError, match="no attribute"):
        datasets.load_nothing
