"""Tests of coursekit.cases.bank: case 6's value at stake and programme explorer."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from coursekit.cases import bank as bk
from coursekit.data import bank_accounts as accounts


def test_value_at_stake_matches_the_formulas():
    v = bk.value_at_stake(50e6, 0.4, 0.025, 2e6, years=3, discount_rate=0.05)
    annual = 50e6 * 0.4 * 0.025
    pv = sum(annual / 1.05**t for t in (1, 2, 3))
    assert_allclose([v.kept_value, v.annual_margin, v.pv_margin], [20e6, annual, pv])
    assert_allclose([v.net_value, v.roi], [pv - 2e6, (pv - 2e6) / 2e6])
    arr = bk.value_at_stake(50e6, [0.0, 1.0], 0.02, 1e6)
    assert_allclose(arr.net_value, [-1e6, 0.0])
    assert arr.cost.shape == (2,)


@pytest.mark.parametrize("kwargs, match", [
    ({"lost_value": -1.0}, "lost_value"),
    ({"reduction": 1.2}, "reduction"),
    ({"margin_rate": -0.01}, "margin_rate"),
    ({"cost": 0.0}, "cost"),
    ({"years": 0}, "years"),
    ({"discount_rate": -0.5}, "discount_rate"),
])
def test_value_at_stake_refuses_bad_input(kwargs, match):
    args = {"lost_value": 1e6, "reduction": 0.5, "margin_rate": 0.02, "cost": 1e4}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        bk.value_at_stake(**args)


def test_bank_programme_explorer_matches_a_hand_computation():
    bank = accounts.load_bank_accounts()
    ex = bk.bank_programme_explorer(bank)
    ex.set(cut_threshold=0.5, reduction_pct=40.0, margin_pct=2.0, cost_per_customer=250.0, years=2)
    large = bank[(bank["year"] == 1) & (bank["segment"] == "large")]
    cut = (~large["closed"]) & (large["balance_end"] <= 0.5 * large["balance_start"])
    lost = (large["balance_start"] - large["balance_end"])[cut].sum()
    assert_allclose(ex.results["lost_value"], lost)
    assert_allclose(ex.results["pv_margin"], lost * 0.4 * 0.02 * 2)
    assert_allclose(ex.results["net_value"], lost * 0.4 * 0.02 * 2 - 250.0 * len(large))
    with pytest.raises(ValueError, match="year"):
        bk.bank_programme_explorer(bank, year=9)
