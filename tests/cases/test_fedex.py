"""Tests of coursekit.cases.fedex: case 1's account base, segment equity and acquisition ceiling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.cases import fedex
from coursekit.cases.fedex import acquisition_ceiling, fedex_accounts, segment_equity


def test_segment_equity_matches_a_brute_force_sum():
    table = segment_equity(fedex_accounts(), 0.10)
    accounts = fedex_accounts()
    for i, row in accounts.iterrows():
        m = row["monthly_revenue"] * 12 * row["margin_rate"]
        brute = sum(m * row["retention"] ** t / 1.1 ** t for t in range(1, 3000))
        assert_allclose(table.loc[i, "clv"], brute, rtol=1e-10)
        assert_allclose(table.loc[i, "equity"], row["accounts"] * brute, rtol=1e-10)
    assert_allclose(table["equity_share"].sum(), 1.0)
    ten = segment_equity(fedex_accounts(), 0.10, horizon=10)
    m = 2700.0
    assert_allclose(ten.loc[1, "clv"], sum(m * 0.85 ** t / 1.1 ** t for t in range(1, 11)))


def test_fedex_accounts_is_a_fresh_copy():
    a = fedex_accounts()
    a.loc[0, "accounts"] = 1
    assert fedex_accounts().loc[0, "accounts"] == 48_000


@pytest.mark.parametrize("column, value, match", [("retention", 1.0, "retention"), ("margin_rate", 1.5, "margin_rate"),
                                                  ("accounts", -1, "accounts"), ("retention", np.nan, "missing")])
def test_segment_equity_refuses_bad_columns(column, value, match):
    bad = fedex_accounts()
    bad[column] = bad[column].astype(float)
    bad.loc[0, column] = value
    with pytest.raises(ValueError, match=match):
        segment_equity(bad, 0.1)


def test_segment_equity_refuses_bad_inputs():
    with pytest.raises(ValueError, match=r"segments must have the column\(s\) \['retention'\]"):
        segment_equity(fedex_accounts().drop(columns="retention"), 0.1)
    with pytest.raises(TypeError, match="DataFrame"):
        segment_equity({"a": 1}, 0.1)
    with pytest.raises(ValueError, match="discount_rate"):
        segment_equity(fedex_accounts(), -1.0)


def test_acquisition_ceiling_brute_force():
    c = acquisition_ceiling(2700, 0.85, 0.10, referrals=0.5, conversion_rate=0.4)
    own = sum(2700 * 0.85 ** (t - 1) / 1.1 ** t for t in range(1, 3000))
    assert_allclose(c.own_value, own)
    assert_allclose(c.referral_value, own * 0.2)
    assert_allclose(c.ceiling, own * 1.2)
    arr = acquisition_ceiling(np.array([100.0, 200.0]), 0.5, 0.0)
    assert_allclose(arr.ceiling, [200.0, 400.0])
    with pytest.raises(ValueError, match="conversion_rate"):
        acquisition_ceiling(100, 0.5, 0.1, referrals=1, conversion_rate=1.5)
    with pytest.raises(ValueError, match="retention"):
        acquisition_ceiling(100, 1.0, 0.1)


def test_retention_cohort_has_its_true_rate_within_sampling_noise():
    from coursekit.models import experiments
    cohort = fedex.retention_cohort(n_accounts=400, retention=0.85)
    assert cohort.columns.tolist() == ["account_id", "monthly_revenue", "still_shipping"]
    assert cohort["account_id"].is_unique and (cohort["monthly_revenue"] > 0).all()
    low, high = experiments.wilson_interval(int(cohort["still_shipping"].sum()), len(cohort))
    assert low < 0.85 < high
    big = fedex.retention_cohort(n_accounts=200_000, retention=0.6, seed=3)
    assert abs(big["still_shipping"].mean() - 0.6) < 0.005
    pd.testing.assert_frame_equal(fedex.retention_cohort(), fedex.retention_cohort())
    assert fedex.retention_cohort(retention=1.0)["still_shipping"].all()


@pytest.mark.parametrize("kwargs, error", [({"n_accounts": 0}, ValueError), ({"n_accounts": 2.5}, (TypeError, ValueError)),
                                           ({"retention": 1.2}, ValueError), ({"retention": "high"}, TypeError),
                                           ({"seed": -1}, ValueError)])
def test_retention_cohort_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        fedex.retention_cohort(**kwargs)
