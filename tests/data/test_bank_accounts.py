"""Tests of coursekit.data.bank_accounts: the bank-accounts dataset, calibrated on the reading's German bank.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py;
the churn measures are tested in tests/models/test_account_churn.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data.bank_accounts import (
    READING_CLOSED_BALANCE_SHARE,
    READING_COUNT_CHURN,
    READING_LARGE_CUT_RATE,
    SEGMENTS,
    BankAccountsData,
    load_bank_accounts,
    load_bank_accounts_truth,
    make_bank_accounts,
    write_bank_accounts,
)
from coursekit.models.account_churn import churn_summary, sharp_cuts

FILES = ["bank_accounts.csv", "bank_accounts_truth.csv"]


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return load_bank_accounts()


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return load_bank_accounts_truth()


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------
def test_same_seed_same_frames_and_other_seed_other_data():
    a = make_bank_accounts(n_customers=500, seed=4)
    b = make_bank_accounts(n_customers=500, seed=4)
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y)
    c = make_bank_accounts(n_customers=500, seed=5)
    assert not a.accounts["balance_start"].equals(c.accounts["balance_start"])


def test_loaders_round_trip(tmp_path):
    data = make_bank_accounts(n_customers=300, years=3, seed=9)
    write_bank_accounts(tmp_path, data)
    loaded = load_bank_accounts(tmp_path)
    assert loaded.columns.tolist() == data.accounts.columns.tolist()
    assert loaded["customer_id"].tolist() == data.accounts["customer_id"].tolist()
    assert loaded["year"].tolist() == data.accounts["year"].tolist()
    assert loaded["segment"].tolist() == data.accounts["segment"].astype(str).tolist()
    assert_allclose(loaded["balance_start"], data.accounts["balance_start"], atol=5e-3)
    assert_allclose(loaded["balance_end"], data.accounts["balance_end"], atol=5e-3)
    assert loaded["closed"].tolist() == data.accounts["closed"].tolist()
    truth = load_bank_accounts_truth(tmp_path)
    assert_allclose(truth["close_probability"], data.truth["close_probability"], atol=1e-8)
    assert_allclose(truth["cut_depth"], data.truth["cut_depth"], atol=1e-10)
    assert truth["balance_cut"].tolist() == data.truth["balance_cut"].tolist()


def test_loaded_types(accounts, truth):
    assert accounts.dtypes.astype(str).tolist() == ["str", "int64", "category", "float64", "float64", "bool"]
    assert accounts["segment"].cat.categories.tolist() == list(SEGMENTS)
    assert truth.dtypes.astype(str).tolist() == ["str", "int64", "float64", "float64", "bool", "float64"]
    assert (truth["customer_id"].to_numpy() == accounts["customer_id"].to_numpy()).all()


def test_loader_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="bank_accounts.csv' does not exist"):
        load_bank_accounts(tmp_path)
    (tmp_path / "bank_accounts.csv").write_text("customer_id,year\nK1,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bank_accounts.csv must have the columns \['customer_id', 'year', 'segment'"):
        load_bank_accounts(tmp_path)
    (tmp_path / "bank_accounts.csv").write_text(
        "customer_id,year,segment,balance_start,balance_end,closed\nK1,1,large,10.00,0.00,maybe\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"column 'closed' of bank_accounts.csv must hold True or False; got"):
        load_bank_accounts(tmp_path)
    (tmp_path / "bank_accounts.csv").write_text(
        "customer_id,year,segment,balance_start,balance_end,closed\nK1,one,large,10.00,0.00,True\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="column 'year' of bank_accounts.csv must hold numbers; got 'one'"):
        load_bank_accounts(tmp_path)
    (tmp_path / "bank_accounts.csv").write_text(
        "customer_id,year,segment,balance_start,balance_end,closed\nK1,1,vip,10.00,0.00,True\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="column 'segment' of bank_accounts.csv must hold only 'regular', 'large'"):
        load_bank_accounts(tmp_path)


def test_files(tmp_path):
    paths = write_bank_accounts(tmp_path, make_bank_accounts(n_customers=50, seed=3))
    assert [p.name for p in paths] == FILES
    for path in paths:
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
    assert paths[0].read_text().splitlines()[0] == "customer_id,year,segment,balance_start,balance_end,closed"


def test_writer_errors(tmp_path):
    with pytest.raises(TypeError, match="data must be a BankAccountsData or None, got tuple"):
        write_bank_accounts(tmp_path, (1, 2))
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder"):
        write_bank_accounts(afile)


# --------------------------------------------------------------------------------------------
# structure of the committed data
# --------------------------------------------------------------------------------------------
def test_cohort_structure(accounts):
    y1 = accounts[accounts["year"] == 1].set_index("customer_id")
    y2 = accounts[accounts["year"] == 2].set_index("customer_id")
    assert len(y1) == 20_000
    assert set(accounts["year"]) == {1, 2}
    # closers leave; everyone else comes back with last year's end balance and segment
    assert y2.index.tolist() == y1.index[~y1["closed"]].tolist()
    assert_allclose(y2["balance_start"], y1.loc[y2.index, "balance_end"])
    assert (y2["segment"] == y1.loc[y2.index, "segment"]).all()
    assert (accounts.loc[accounts["closed"], "balance_end"] == 0).all()
    assert (accounts.loc[~accounts["closed"], "balance_end"] >= 1.0).all()
    assert (accounts["balance_start"] >= 1.0).all()
    share_large = (y1["segment"] == "large").mean()
    assert 0.18 < share_large < 0.22
    # heavy tails: the large fifth holds most of the money
    assert y1.loc[y1["segment"] == "large", "balance_start"].sum() / y1["balance_start"].sum() > 0.85


def test_truth_is_consistent_with_the_observations(accounts, truth):
    cut = truth["balance_cut"].to_numpy()
    large = (accounts["segment"] == "large").to_numpy()
    closed = accounts["closed"].to_numpy()
    assert not (cut & ~large).any()
    assert not (cut & closed).any()
    assert (truth.loc[~large, "cut_probability"] == 0).all()
    start, end = accounts["balance_start"].to_numpy(), accounts["balance_end"].to_numpy()
    depth = truth["cut_depth"].to_numpy()
    assert_allclose(end[cut], np.maximum(start[cut] * (1 - depth[cut]), 1.0), atol=0.011)
    assert (depth[~cut] == 0).all()
    # the observable rule finds the true cuts almost exactly
    observed = sharp_cuts(accounts).to_numpy()
    assert (observed == cut).mean() > 0.999


@pytest.mark.parametrize("year", [1, 2])
def test_expected_figures_equal_the_readings(accounts, truth, year):
    rows = (accounts["year"] == year).to_numpy()
    p = truth.loc[rows, "close_probability"].to_numpy()
    start = accounts.loc[rows, "balance_start"].to_numpy()
    large = (accounts.loc[rows, "segment"] == "large").to_numpy()
    q = truth.loc[rows & (accounts["segment"] == "large").to_numpy(), "cut_probability"].iloc[0]
    assert_allclose(p.mean(), READING_COUNT_CHURN, atol=1e-7)
    assert_allclose((p * start).sum() / start.sum(), READING_CLOSED_BALANCE_SHARE, atol=1e-7)
    assert_allclose(q * (1 - p[large]).sum() / large.sum(), READING_LARGE_CUT_RATE, atol=1e-7)


@pytest.mark.parametrize("year", [1, 2])
def test_realised_figures_echo_the_german_bank(accounts, year):
    """About 5 % of customers close (3 % of balances); 31.5 % of large customers cut (24 %)."""
    summary = churn_summary(accounts[accounts["year"] == year], cut_threshold=0.5)
    assert_allclose(summary.loc["all", "count_churn"], 0.05, atol=0.005)
    assert_allclose(summary.loc["all", "balance_churn"], 0.03, atol=0.006)
    assert_allclose(summary.loc["large", "cut_rate"], 0.315, atol=0.02)
    assert_allclose(summary.loc["large", "cut_loss"], 0.24, atol=0.025)
    # the lesson: value churn is several times count churn
    assert summary.loc["all", "value_churn"] > 4 * summary.loc["all", "count_churn"]


def test_calibration_hits_other_targets_in_expectation():
    data = make_bank_accounts(
        n_customers=3000,
        years=3,
        seed=2,
        target_count_churn=0.08,
        target_closed_balance_share=0.05,
        target_large_cut_rate=0.2,
        target_cut_balance_share=0.1,
        large_share=0.3,
    )
    assert isinstance(data, BankAccountsData)
    cal = data.calibration
    assert cal.index.tolist() == [1, 2, 3]
    assert_allclose(cal["expected_count_churn"], 0.08, rtol=1e-10)
    assert_allclose(cal["expected_closed_balance_share"], 0.05, rtol=1e-8)
    assert_allclose(cal["expected_large_cut_rate"], 0.2, rtol=1e-10)
    assert_allclose(cal["expected_cut_balance_share"], 0.1, rtol=1e-10)
    # the constants reproduce the truth table
    t, a = data.truth, data.accounts
    year1 = (a["year"] == 1).to_numpy()
    start = a.loc[year1, "balance_start"].to_numpy()
    p = cal.loc[1, "a"] * (start / cal.loc[1, "median_balance"]) ** (-cal.loc[1, "beta"])
    assert_allclose(t.loc[year1, "close_probability"], p, rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_customers": 5}, ValueError, "n_customers must be at least 10, got 5"),
        ({"n_customers": 0}, ValueError, "n_customers must be an integer >= 1, got 0"),
        ({"n_customers": 100.5}, ValueError, "n_customers must be a whole number"),
        ({"years": 0}, ValueError, "years must be an integer >= 1, got 0"),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer, got -1"),
        ({"seed": "x"}, TypeError, "seed must be a non-negative integer"),
        ({"target_count_churn": 0}, ValueError, r"target_count_churn must be in \(0, 1\), got 0"),
        ({"target_closed_balance_share": 1.2}, ValueError, r"target_closed_balance_share must be in \(0, 1\)"),
        ({"target_large_cut_rate": np.nan}, ValueError, "target_large_cut_rate must be a number, got NaN"),
        ({"target_cut_balance_share": [0.2]}, TypeError, "target_cut_balance_share must be a single number"),
        ({"large_share": 1.0}, ValueError, r"large_share must be in \(0, 1\), got 1"),
        ({"target_cut_balance_share": 0.9}, ValueError, r"target_cut_balance_share=0.9 is out of reach in year 1"),
        ({"target_large_cut_rate": 0.99, "target_count_churn": 0.3, "target_closed_balance_share": 0.2}, ValueError,
         "target_large_cut_rate=0.99 is out of reach"),
        ({"target_count_churn": 0.05, "target_closed_balance_share": 0.9}, ValueError,
         r"target_closed_balance_share=0.9 cannot be reached|closure probabilities .* exceed 1"),
    ],
)
def test_make_bank_accounts_errors(kwargs, error, match):
    args = {"n_customers": 500, "seed": 1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        make_bank_accounts(**args)
