"""Tests of coursekit.models.retention: rates from counts and cohort tables."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.models.retention import (
    churn_rate,
    cohort_table,
    expected_lifetime,
    period_retention,
    retention_rate,
    retention_table,
)


def test_rates_from_counts():
    assert_allclose(retention_rate(2000, 1640), 0.82)
    assert_allclose(churn_rate(2000, 1640), 0.18)
    assert_allclose(retention_rate(np.array([10, 20]), np.array([5, 20])), [0.5, 1.0])


def test_expected_lifetime_matches_a_simulated_mean():
    # Geometric lifetimes: mean of many simulated customers approaches 1/(1-r).
    rng = np.random.default_rng(0)
    lifetimes = rng.geometric(1 - 0.8, size=200_000)  # counts the first period
    assert_allclose(lifetimes.mean(), expected_lifetime(0.8), rtol=0.01)
    assert expected_lifetime(0.0) == 1.0


@pytest.mark.parametrize(
    "args, message",
    [((0, 0), "customers_at_start"), ((100, -1), "retained"), ((100, 120), "exceed"), ((float("nan"), 1), "NaN")],
)
def test_bad_counts(args, message):
    with pytest.raises(ValueError, match=message):
        retention_rate(*args)


@pytest.mark.parametrize("r", [-0.1, 1.0, 1.2, float("nan")])
def test_bad_retention(r):
    with pytest.raises(ValueError, match="retention"):
        expected_lifetime(r)


# ------------------------------------------------------------------------------------------
# cohort tables
# ------------------------------------------------------------------------------------------
@pytest.fixture
def toy():
    return pd.DataFrame(
        {
            "cohort": ["2023-02", "2023-01", "2023-01", "2023-01", "2023-01", "2023-02", "2023-03"],
            "periods_observed": [1, 1, 2, 3, 3, 2, 1],
            "churned": [True, True, True, False, False, False, False],
        }
    )


def test_cohort_table_by_hand(toy):
    table = cohort_table(toy)
    assert table.index.tolist() == ["2023-01", "2023-02", "2023-03"]
    assert table.columns.tolist() == [0, 1, 2, 3]
    expected = np.array([[4, 3, 2, 2], [2, 1, 1, np.nan], [1, 1, np.nan, np.nan]], dtype=float)
    assert_allclose(table.to_numpy(), expected)  # NaN where censored, never 0
    shares = retention_table(table)
    assert_allclose(shares.to_numpy(), expected / expected[:, :1])
    rates = period_retention(table)
    assert rates.columns.tolist() == [1, 2, 3]
    assert_allclose(rates.to_numpy(), [[3 / 4, 2 / 3, 1.0], [1 / 2, 1.0, np.nan], [1.0, np.nan, np.nan]])


def test_cohort_table_custom_columns_and_zero_rows(toy):
    renamed = toy.rename(columns={"cohort": "c", "periods_observed": "d", "churned": "gone"})
    table = cohort_table(renamed, cohort="c", duration="d", churned="gone")
    assert table.index.name == "c"
    # a cohort whose customers have all churned has real zeros, not NaN
    gone = pd.DataFrame({"cohort": ["A", "A"], "periods_observed": [1, 2], "churned": [True, True]})
    assert_allclose(cohort_table(gone).to_numpy(), [[2, 1, 0]])
    assert_allclose(period_retention(pd.DataFrame([[2.0, 0.0, 0.0]], columns=range(3))).to_numpy(), [[0.0, np.nan]])


def test_cohort_table_matches_brute_force_counts():
    rng = np.random.default_rng(8)
    n = 3000
    cohort = rng.integers(0, 6, n)
    lifetime = rng.geometric(rng.beta(1.0, 4.0, n))
    horizon = 8 - cohort
    frame = pd.DataFrame({"cohort": cohort, "periods_observed": np.minimum(lifetime, horizon),
                          "churned": lifetime <= horizon})
    table = cohort_table(frame)
    for k in range(6):
        for t in range(9):
            value = table.loc[k, t]
            if t > 8 - k:
                assert np.isnan(value)
            else:
                assert value == np.sum((cohort == k) & (lifetime > t))
    # the cohort-by-cohort shares agree with the product of the period retention rates
    assert_allclose(retention_table(table).iloc[:, 1:].to_numpy(),
                    np.cumprod(period_retention(table).to_numpy(), axis=1))


# ------------------------------------------------------------------------------------------
# error paths


def test_cohort_table_validates(toy):
    with pytest.raises(TypeError, match="DataFrame"):
        cohort_table(toy.to_numpy())
    with pytest.raises(ValueError, match="not a column"):
        cohort_table(toy, cohort="month")
    with pytest.raises(ValueError, match="at least one row"):
        cohort_table(toy.iloc[:0])
    bad = toy.copy()
    bad.loc[0, "periods_observed"] = -1
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        cohort_table(bad)
    bad = toy.copy()
    bad.loc[0, "periods_observed"] = 0
    with pytest.raises(ValueError, match="at least 1 period"):
        cohort_table(bad)
    bad = toy.astype({"cohort": object})
    bad.loc[0, "cohort"] = None
    with pytest.raises(ValueError, match="missing"):
        cohort_table(bad)
    bad = toy.assign(churned=["y"] * len(toy))
    with pytest.raises(TypeError, match="booleans"):
        cohort_table(bad)


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        ([[10.0, 12.0, 8.0]], ValueError, "must not increase"),
        ([[10.0, -1.0, np.nan]], ValueError, ">= 0"),
        ([[0.0, 0.0, 0.0]], ValueError, "size > 0"),
        ([[np.nan, 1.0, 1.0]], ValueError, "cohort size in column 0"),
        ([[10.0, np.nan, 5.0]], ValueError, "after a missing"),
        ([[10.0, np.inf, 5.0]], ValueError, "finite"),
    ],
)
def test_tables_validate(rows, error, match):
    table = pd.DataFrame(rows, columns=range(3), index=["A"])
    with pytest.raises(error, match=match):
        retention_table(table)
    with pytest.raises(error, match=match):
        period_retention(table)


def test_tables_validate_shape_and_type():
    with pytest.raises(TypeError, match="DataFrame"):
        retention_table([[1, 2]])
    with pytest.raises(ValueError, match="columns 0, 1, ..., T"):
        retention_table(pd.DataFrame([[10, 8]], columns=[1, 2]))
    with pytest.raises(ValueError, match="at least one cohort"):
        retention_table(pd.DataFrame())
    with pytest.raises(TypeError, match="numbers"):
        retention_table(pd.DataFrame([["a", "b"]], columns=[0, 1]))
    with pytest.raises(ValueError, match="columns 0 and 1"):
        period_retention(pd.DataFrame([[10.0]], columns=[0]))
