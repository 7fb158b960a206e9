"""Tests of coursekit.models.account_churn: count vs balance vs value churn, by hand and on the bank-accounts data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data.bank_accounts import load_bank_accounts
from coursekit.models.account_churn import balance_churn, churn_summary, count_churn, sharp_cuts, value_churn

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
        (TOY.drop(columns="closed"), ValueError, r"frame must have the column\(s\) \['closed'\]"),
        (TOY.iloc[:0], ValueError, "frame must hold at least one row, got 0"),
        (TOY.assign(balance_start=[np.nan, 1, 1, 1, 1, 1]), ValueError,
         r"frame\['balance_start'\] must not hold missing values, got 1 missing"),
        (TOY.assign(balance_end=[0, -5, 1, 1, 1, 1]), ValueError,
         r"frame\['balance_end'\] must hold numbers >= 0, got -5"),
        (TOY.assign(balance_end=[0, np.inf, 1, 1, 1, 1]), ValueError,
         r"frame\['balance_end'\] must hold finite numbers"),
        (TOY.assign(balance_start=["1"] * 6), TypeError, r"frame\['balance_start'\] must hold numbers"),
        (TOY.assign(closed=[1, 0, 0, 0, 0, 0]), TypeError, r"frame\['closed'\] must hold True/False"),
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
    with pytest.raises(ValueError, match=r"frame must have the column\(s\) \['region'\]"):
        churn_summary(TOY, by="region")
    with pytest.raises(TypeError, match="by must be a column name or a non-empty tuple/list of column names"):
        churn_summary(TOY, by=[])
    with pytest.raises(TypeError, match="by must be a column name or a non-empty tuple/list of column names"):
        churn_summary(TOY, by=3)
    with pytest.raises(ValueError, match=r"frame\['segment'\] must not hold missing values"):
        churn_summary(TOY.assign(segment=[None, "a", "a", "a", "a", "a"]))
