"""Tests of coursekit.models.switching against hand-computed and brute-force values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.models.switching import (
    BARRIER_NAMES_ZH,
    BARRIERS,
    RETENTION_MODES,
    SwitchDecision,
    SwitchingCost,
    retention_mode,
    switch_is_worth_it,
    switching_cost,
)


# --------------------------------------------------------------------------------------------
# switching_cost
# --------------------------------------------------------------------------------------------
def test_switching_cost_by_hand():
    cost = switching_cost(
        money={"sunk": 40, "transaction": 10, "termination": 60},
        hours={"transaction": 3, "learning": 2, "opportunity": 0.5},
        value_of_time=20,
        psychological=35,
    )
    assert isinstance(cost, SwitchingCost)
    assert cost.table.index.tolist() == list(BARRIERS) + ["psychological"]
    assert_allclose(cost.table["money"], [40, 10, 0, 0, 60, 35])
    assert_allclose(cost.table["hours"], [0, 3, 2, 0.5, 0, 0])
    assert_allclose(cost.table["time_cost"], [0, 60, 40, 10, 0, 0])
    assert_allclose(cost.table["total"], [40, 70, 40, 10, 60, 35])
    assert (cost.money, cost.hours, cost.time_cost, cost.psychological) == (110.0, 5.5, 110.0, 35.0)
    assert cost.total == 110.0 + 110.0 + 35.0
    assert_allclose(cost.table["total"].sum(), cost.total)


def test_switching_cost_defaults_and_series_input():
    assert switching_cost().total == 0.0
    assert switching_cost(money={"sunk": 5}).total == 5.0
    # sunk costs are felt (in total) but lost either way (not in relevant)
    cost = switching_cost(money={"sunk": 5, "termination": 2}, hours={"sunk": 1, "learning": 2}, value_of_time=10)
    assert (cost.total, cost.relevant) == (37.0, 22.0)
    assert switching_cost(hours={"learning": 4}, value_of_time=0).total == 0.0  # time explicitly free
    cost = switching_cost(money=pd.Series({"opportunity": 12.5}), psychological=7.5)
    assert cost.total == 20.0
    assert set(BARRIER_NAMES_ZH) == set(BARRIERS)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"money": [1, 2]}, TypeError, "money must be a mapping from barrier"),
        ({"money": {"fees": 10}}, ValueError, r"money has unknown barrier\(s\) \['fees'\]; allowed: sunk, transaction"),
        ({"money": {"sunk": -1}}, ValueError, r"money\['sunk'\] must be in \[0, inf\), got -1"),
        ({"money": {"sunk": np.nan}}, ValueError, r"money\['sunk'\] must be a number, got NaN"),
        ({"money": {"sunk": [1, 2]}}, TypeError, r"money\['sunk'\] must be a single number"),
        ({"hours": {"learning": 2}}, ValueError, "value_of_time must be given"),
        ({"hours": {"learning": math.inf}, "value_of_time": 10}, ValueError,
         r"hours\['learning'\] must be a finite number"),
        ({"value_of_time": -5}, ValueError, r"value_of_time must be in \[0, inf\), got -5"),
        ({"value_of_time": [5]}, TypeError, "value_of_time must be a single number"),
        ({"psychological": -1}, ValueError, r"psychological must be in \[0, inf\), got -1"),
        ({"psychological": "high"}, TypeError, "psychological must be a number"),
        ({"psychological": [1]}, TypeError, "psychological must be a single number"),
    ],
)
def test_switching_cost_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        switching_cost(**kwargs)


# --------------------------------------------------------------------------------------------
# switch_is_worth_it
# --------------------------------------------------------------------------------------------
def _brute_force(saving, cost, years, rate):
    cumulative, payback = 0.0, math.inf
    for t in range(1, years + 1):
        cumulative += saving / (1 + rate) ** t
        if payback == math.inf and cumulative >= cost:
            payback = float(t)
    return cumulative, cumulative - cost, (0.0 if cost == 0 else payback)


@pytest.mark.parametrize(
    ("saving", "cost", "years", "rate"),
    [
        (120, 275, 3, 0.10),
        (50, 500, 20, 0.05),
        (80, 100, 1, 0.0),
        (-30, 10, 5, 0.08),
        (100, 0, 4, 0.1),
        (10, 30, 3, -0.2),
    ],
)
def test_switch_is_worth_it_matches_brute_force(saving, cost, years, rate):
    decision = switch_is_worth_it(saving, cost, years, rate)
    assert isinstance(decision, SwitchDecision)
    pv, npv, payback = _brute_force(saving, cost, years, rate)
    assert_allclose(decision.pv_savings, pv, rtol=1e-12)
    assert_allclose(decision.npv, npv, rtol=1e-12, atol=1e-12)
    assert decision.payback_year == payback
    assert decision.worth_it is (npv > 0)
    assert decision.switching_cost == float(cost)


def test_switch_is_worth_it_annuity_closed_form_and_no_discount():
    d, n, s = 0.07, 12, 250.0
    annuity = s * (1 - (1 + d) ** -n) / d
    assert_allclose(switch_is_worth_it(s, 1000, n, d).pv_savings, annuity, rtol=1e-12)
    assert switch_is_worth_it(100, 250, 3).pv_savings == pytest.approx(300.0)
    assert switch_is_worth_it(100, 250, 3).payback_year == 3.0
    assert switch_is_worth_it(100, 300, 3).worth_it is False  # NPV exactly 0 is not worth it


def test_switch_is_worth_it_vectorised_and_accepts_switching_cost():
    cost = switching_cost(money={"termination": 275})
    decision = switch_is_worth_it(np.array([60.0, 120.0, 200.0]), cost, years=3, discount_rate=0.10)
    assert_allclose(decision.payback_year, [math.inf, 3.0, 2.0])
    assert decision.worth_it.tolist() == [False, True, True]
    grid = switch_is_worth_it(np.array([[60.0], [120.0]]), 275, 3, np.array([0.0, 0.1, 0.2]))
    assert grid.npv.shape == (2, 3)
    for i, s in enumerate([60.0, 120.0]):
        for j, d in enumerate([0.0, 0.1, 0.2]):
            assert_allclose(grid.npv[i, j], _brute_force(s, 275, 3, d)[1], rtol=1e-12)
    assert switch_is_worth_it(100, 10, np.int64(2)).payback_year == 1.0


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((100, 50, 0, 0.1), ValueError, "years must be an integer >= 1, got 0"),
        ((100, 50, 2.5, 0.1), ValueError, "years must be a whole number, got 2.5"),
        ((100, 50, [1, 2], 0.1), TypeError, "years must be a single whole number"),
        ((100, 50, "3", 0.1), TypeError, "years must be a whole number"),
        ((100, -50, 3, 0.1), ValueError, r"switching_cost must be in \[0, inf\), got -50"),
        ((np.nan, 50, 3, 0.1), ValueError, "annual_saving must be a number, got NaN"),
        ((100, 50, 3, -1.0), ValueError, r"discount_rate must be in \(-1, inf\), got -1"),
        ((100, 50, 3, math.inf), ValueError, "discount_rate must be a finite number"),
        ((100, None, 3, 0.1), TypeError, "switching_cost must be a number"),
    ],
)
def test_switch_is_worth_it_errors(args, error, match):
    with pytest.raises(error, match=match):
        switch_is_worth_it(*args)


# --------------------------------------------------------------------------------------------
# retention_mode
# --------------------------------------------------------------------------------------------
def test_retention_mode_rule_and_boundaries():
    assert retention_mode(0.01, 0) == "active"
    assert retention_mode(50, 1000) == "active"  # value keeps them; barriers are a bonus
    assert retention_mode(0, 10) == "passive"  # indifferent, but leaving costs something
    assert retention_mode(-80, 275) == "passive"
    assert retention_mode(-275, 275) == "at_risk"  # gain from leaving equals the barrier
    assert retention_mode(0, 0) == "at_risk"
    assert retention_mode(-300, 275) == "at_risk"
    assert set(RETENTION_MODES) == {"active", "passive", "at_risk"}


def test_retention_mode_vectorised_and_with_switching_cost():
    surplus = np.array([-300.0, -100.0, 0.0, 20.0])
    modes = retention_mode(surplus, 275)
    assert isinstance(modes, np.ndarray)
    assert modes.tolist() == ["at_risk", "passive", "passive", "active"]
    cost = switching_cost(hours={"transaction": 2}, value_of_time=25)  # 50
    assert retention_mode([-60, -40], cost).tolist() == ["at_risk", "passive"]
    grid = retention_mode(np.array([[-10.0], [10.0]]), np.array([0.0, 20.0]))
    assert grid.tolist() == [["at_risk", "passive"], ["active", "active"]]
    # "one click": when the barrier falls to zero, passive customers become at risk
    assert retention_mode(-80, 0) == "at_risk"


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((np.nan, 10), ValueError, "surplus_value must be a number, got NaN"),
        ((10, -1), ValueError, r"switching_cost must be in \[0, inf\), got -1"),
        (("high", 10), TypeError, "surplus_value must be a number"),
        ((10, math.inf), ValueError, "switching_cost must be a finite number"),
    ],
)
def test_retention_mode_errors(args, error, match):
    with pytest.raises(error, match=match):
        retention_mode(*args)
