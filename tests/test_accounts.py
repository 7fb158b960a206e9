"""Tests of coursekit.data.bank_accounts: the bank-accounts dataset and count vs balance vs value churn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data.bank_accounts import (READING_CLOSED_BALANCE_SHARE, READING_COUNT_CHURN, READING_LARGE_CUT_RATE, SEGMENTS, BankAccountsData, balance_churn, churn_summary, count_churn, load_bank_accounts, load_bank_accounts_truth, make_bank_accounts, sharp_cuts, value_churn, write_bank_accounts)

REPO_DATASETS = Path(__file__).resolve().parents[1] / "datasets"
FILES = ["bank_accounts.csv", "bank_accounts_truth.csv"]

TOY = pd.DataFrame(
    {
        "segment": ["regular"] * 4 + ["large"] * 2,
        "balance_start": [100.0, 200.0, 300.0, 400.0, 5000.0, 4000.0],
        "balance_end": [0.0, 210.0, 290.0, 420.0, 1000.0, 4100.0],
        "closed": [True, False, False, False, False, False],
    }
)


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return load_bank_accounts()


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return load_bank_accounts_truth()


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------
def test_committed_files_are_regenerated_byte_for_byte(tmp_path):
    fresh = write_bank_accounts(tmp_path)
    assert [p.name for p in fresh] == FILES
    for path in fresh:
        committed = REPO_DATASETS / path.name
        assert committed.is_file(), f"{committed} is missing; run `python -m coursekit.data.bank_accounts datasets`"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} differs; regenerate the dataset"


def test_same_seed_same_frames_and_other_seed_other_data():
    a = make_bank_accounts(n_customers=500, seed=4)
    b = make_bank_accounts(n_customers=500, seed=4)
    for x, y in zip(a, b):
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
    with pytest.raises(ValueError, match="column 'year' of bank_accounts.csv must hold whole numbers"):
        load_bank_accounts(tmp_path)
    (tmp_path / "bank_accounts.csv").write_text(
        "customer_id,year,segment,balance_start,balance_end,closed\nK1,1,vip,10.00,0.00,True\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="column 'segment' of bank_accounts.csv must hold only 'regular', 'large'"):
        load_bank_accounts(tmp_path)


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
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"seed": "x"}, TypeError, "seed must be a whole number"),
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


# --------------------------------------------------------------------------------------------
# churn measures on hand-checked frames
# --------------------------------------------------------------------------------------------
def test_churn_measures_by_hand():
    assert_allclose(count_churn(TOY), 1 / 6)
    assert_allclose(balance_churn(TOY), 100 / 10_000)
    assert sharp_cuts(TOY).tolist() == [False, False, False, False, True, False]
    assert_allclose(value_churn(TOY), (100 + 4000) / 10_000)
    # an 80 % cut is not sharp at a 90 % threshold
    assert_allclose(value_churn(TOY, cut_threshold=0.9), 0.01)
    # a cut of exactly the threshold counts
    exact = TOY.assign(balance_end=[0.0, 100.0, 290.0, 420.0, 1000.0, 4100.0])
    assert sharp_cuts(exact).tolist() == [False, True, False, False, True, False]
    assert_allclose(value_churn(exact), (100 + 100 + 4000) / 10_000)
    assert sharp_cuts(TOY.set_axis(list("abcdef"))).index.tolist() == list("abcdef")


def test_churn_summary_by_hand():
    table = churn_summary(TOY)
    assert table.index.tolist() == ["large", "regular", "all"]
    assert table.index.name == "segment"
    assert table["customers"].tolist() == [2, 4, 6]
    assert table["closed"].tolist() == [0, 1, 1]
    assert table["sharp_cuts"].tolist() == [1, 0, 1]
    assert_allclose(table["count_churn"], [0, 0.25, 1 / 6])
    assert_allclose(table["balance_churn"], [0, 0.1, 0.01])
    assert_allclose(table["cut_rate"], [0.5, 0, 1 / 6])
    assert_allclose(table["value_churn"], [4000 / 9000, 0.1, 0.41])
    assert_allclose(table["balance_share"], [0.9, 0.1, 1.0])
    assert_allclose(table["closure_loss"], [0, 0.01, 0.01])
    assert_allclose(table["cut_loss"], [0.4, 0, 0.4])
    assert_allclose(table["value_loss"], [0.4, 0.01, 0.41])


def test_churn_summary_groupings(accounts):
    overall = churn_summary(TOY, by=None)
    assert overall.index.tolist() == ["all"]
    assert_allclose(overall.loc["all", "value_churn"], value_churn(TOY))
    two = churn_summary(accounts, by=["year", "segment"])
    assert two.index.names == ["year", "segment"]
    assert two.index[-1] == ("all", "all")
    groups = two.iloc[:-1]
    assert len(groups) == 4
    # shares of the whole frame add up over groups
    for column in ["balance_share", "closure_loss", "cut_loss", "value_loss", "customers", "closed"]:
        assert_allclose(groups[column].sum(), two.iloc[-1][column])
    assert_allclose(two.iloc[-1]["count_churn"], count_churn(accounts))
    assert_allclose(two.iloc[-1]["value_churn"], value_churn(accounts))
    yearly = churn_summary(accounts, by="year")
    assert yearly.index.tolist() == [1, 2, "all"]
    one = accounts[accounts["year"] == 1]
    assert_allclose(yearly.loc[1, "count_churn"], count_churn(one))


@pytest.mark.parametrize(
    ("frame", "error", "match"),
    [
        (TOY.to_dict(), TypeError, "frame must be a pandas DataFrame, got dict"),
        (TOY.drop(columns="closed"), ValueError, r"frame must have the columns .* missing \['closed'\]"),
        (TOY.iloc[:0], ValueError, "frame must hold at least one account"),
        (TOY.assign(balance_start=[np.nan, 1, 1, 1, 1, 1]), ValueError,
         "column 'balance_start' must not hold missing values, got 1"),
        (TOY.assign(balance_end=[0, -5, 1, 1, 1, 1]), ValueError,
         "column 'balance_end' must hold finite balances >= 0, got -5"),
        (TOY.assign(balance_start=["1"] * 6), TypeError, "column 'balance_start' must hold numbers"),
        (TOY.assign(closed=[1, 0, 0, 0, 0, 0]), TypeError, "column 'closed' must hold True/False"),
        (TOY.assign(balance_end=[5.0, 210, 290, 420, 1000, 4100]), ValueError,
         "closed accounts must end with balance_end == 0, got 5"),
        (TOY.assign(balance_start=0.0, balance_end=0.0), ValueError,
         "frame must hold a positive total of balance_start"),
    ],
)
def test_churn_measure_errors(frame, error, match):
    for function in (count_churn, balance_churn, value_churn, sharp_cuts, churn_summary):
        with pytest.raises(error, match=match):
            function(frame)


def test_threshold_and_grouping_errors():
    with pytest.raises(ValueError, match=r"cut_threshold must be in \(0, 1\], got 0"):
        value_churn(TOY, cut_threshold=0)
    with pytest.raises(ValueError, match=r"cut_threshold must be in \(0, 1\], got 1.5"):
        sharp_cuts(TOY, cut_threshold=1.5)
    with pytest.raises(TypeError, match="cut_threshold must be a single number"):
        churn_summary(TOY, cut_threshold=[0.5])
    with pytest.raises(ValueError, match="by='region' is not a column"):
        churn_summary(TOY, by="region")
    with pytest.raises(TypeError, match="by must be None, a column name or a non-empty list"):
        churn_summary(TOY, by=[])
    with pytest.raises(TypeError, match="by must be None, a column name or a non-empty list"):
        churn_summary(TOY, by=3)
    with pytest.raises(ValueError, match=r"column 'segment' \(by\) must not hold missing values"):
        churn_summary(TOY.assign(segment=[None, "a", "a", "a", "a", "a"]))


def test_command_line_writes_the_files(tmp_path, capsys):
    from coursekit.data.bank_accounts import DATASETS, main

    assert list(DATASETS) == ["bank_accounts"]
    assert main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "bank_accounts.csv" in printed and "done in" in printed
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (REPO_DATASETS / name).read_bytes()
