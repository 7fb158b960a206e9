"""Tests of coursekit.cases.freshbox: case 2's FreshBox data, leak rates, repair plan and explorer."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from coursekit.cases import freshbox as fb
from coursekit.cases.freshbox import leak_rates, make_freshbox, plug_plan
from coursekit.models import bucket


@pytest.fixture(scope="module")
def freshbox():
    return make_freshbox(blank_month=fb.FRESHBOX_BLANK_MONTH)


def test_freshbox_accounting(freshbox):
    m, c, t = freshbox
    starts = m["customers_start"].to_numpy()
    flows = m["new_customers"].to_numpy() - m["cancellations"].to_numpy()
    assert_array_equal(starts[1:], starts[:-1] + flows[:-1])
    assert int(t["leavers"].sum()) == len(c) == int(m["cancellations"].sum())
    named = c["reason"].value_counts()
    for _, row in t.iterrows():
        assert named.get(row["hole"], 0) == row["stated"]
    assert named[fb.UNSTATED] == int((t["leavers"] - t["stated"]).sum())
    per_month = c.groupby(c["cancel_date"].dt.to_period("M")).size().to_numpy()
    assert_array_equal(per_month, m["cancellations"].to_numpy())
    assert c["cancel_date"].is_monotonic_increasing


def test_freshbox_loaders_round_trip(freshbox):
    pd.testing.assert_frame_equal(fb.load_freshbox_monthly(), freshbox.monthly)
    log = fb.load_freshbox_cancellations()
    assert log["reason"].dtype == "category"
    pd.testing.assert_frame_equal(log.assign(reason=log["reason"].astype("str")), freshbox.cancellations)
    truth = fb.load_freshbox_truth()
    assert_allclose(truth["leak_rate"], freshbox.truth["leak_rate"])


def test_the_blank_month_records_no_reason_and_changes_nothing_else(freshbox):
    """Issue 13: a missing month. Its cancellations are all 'not_given'; every other month is as without it."""
    plain = make_freshbox()
    log = freshbox.cancellations
    month = log["cancel_date"].dt.to_period("M")
    blank = pd.Period(fb.FRESHBOX_START, "M") + fb.FRESHBOX_BLANK_MONTH
    assert (log.loc[month == blank, "reason"] == fb.UNSTATED).all() and (month == blank).sum() > 500
    assert (log.loc[month != blank, "reason"] == fb.UNSTATED).mean() < 0.35
    pd.testing.assert_frame_equal(freshbox.monthly, plain.monthly)
    other = plain.cancellations["cancel_date"].dt.to_period("M") != blank
    pd.testing.assert_frame_equal(log[month != blank].reset_index(drop=True),
                                  plain.cancellations[other].reset_index(drop=True))
    assert (freshbox.truth["stated"] < plain.truth["stated"]).all()
    assert (freshbox.truth["leavers"] == plain.truth["leavers"]).all()


def test_freshbox_rejects_bad_arguments():
    with pytest.raises(ValueError, match="blank_month"):
        make_freshbox(months=3, blank_month=3)
    with pytest.raises(ValueError, match="months"):
        make_freshbox(months=0)
    with pytest.raises(ValueError, match="inflow"):
        make_freshbox(inflow=-1)
    with pytest.raises(TypeError, match="seed"):
        make_freshbox(seed=1.5)
    with pytest.raises(ValueError, match="seed"):
        make_freshbox(seed=-1)


def test_loaders_refuse_wrong_columns(tmp_path):
    (tmp_path / "freshbox").mkdir()
    (tmp_path / "freshbox" / "monthly.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match=r"freshbox/monthly.csv must have the columns \['month'"):
        fb.load_freshbox_monthly(tmp_path)


def test_leak_rates_by_hand(freshbox):
    m, c, _ = freshbox
    est = leak_rates(c, m)
    exposure = m["customers_start"].sum()
    counts = c["reason"].value_counts()
    named_total = sum(counts.get(h, 0) for h in bucket.HOLES)
    for hole in bucket.HOLES:
        s = counts.get(hole, 0)
        expected = (s + counts[fb.UNSTATED] * s / named_total) / exposure
        assert_allclose(est.loc[hole, "rate"], expected)
        assert_allclose(est.loc[hole, "rate_named"], s / exposure)
    assert_allclose(est["allocated"].sum(), len(c))
    assert_allclose(est["share"].sum(), 1.0)
    assert list(est.index) == list(bucket.HOLES)


def test_leak_rates_recover_the_truth_roughly_where_reporting_is_even(freshbox):
    est = leak_rates(freshbox.cancellations, freshbox.monthly)
    truth = freshbox.truth.set_index("hole")["leak_rate"]
    # rude staff is under-reported (40 % name it) and so underestimated
    assert est.loc["rude_staff", "rate"] < 0.75 * truth["rude_staff"]
    assert_allclose(est["rate"].sum(), truth.sum(), rtol=0.05)


def test_leak_rates_errors():
    monthly = pd.DataFrame({"customers_start": [100]})
    with pytest.raises(ValueError, match="hole names"):
        leak_rates(pd.DataFrame({"reason": ["late"]}), monthly)
    with pytest.raises(ValueError, match="positive exposure"):
        leak_rates(pd.DataFrame({"reason": ["rude_staff"]}), pd.DataFrame({"customers_start": [0]}))
    with pytest.raises(ValueError, match="cannot be shared out"):
        leak_rates(pd.DataFrame({"reason": ["not_given"]}), monthly)
    with pytest.raises(ValueError, match=r"cancellations must have the column\(s\) \['reason'\]"):
        leak_rates(pd.DataFrame({"why": ["rude_staff"]}), monthly)
    with pytest.raises(TypeError, match="DataFrame"):
        leak_rates(["rude_staff"], monthly)


def test_plug_plan_by_hand():
    b = bucket.Bucket({"rude_staff": 0.01, "poor_service": 0.03, "out_of_stock": 0.01}, inflow=500, margin=20,
                      acquisition_cost=100)
    repairs = pd.DataFrame({"hole": ["poor_service", "rude_staff", "out_of_stock"], "fraction": [0.5, 1.0, 0.2],
                            "monthly_cost": [10_000.0, 500.0, 0.0], "note": ["a", "b", "c"]})
    plan = plug_plan(b, repairs).set_index("hole")
    n_star = 500 / 0.05
    for hole, f, cost in [("poor_service", 0.5, 10_000.0), ("rude_staff", 1.0, 500.0), ("out_of_stock", 0.2, 0.0)]:
        p = b.leak_rates[hole]
        saved = 100 * p * f * n_star
        assert_allclose(plan.loc[hole, "saved_per_month"], saved)
        assert_allclose(plan.loc[hole, "net_per_month"], saved - cost)
        assert_allclose(plan.loc[hole, "extra_customers"], 500 / (0.05 - p * f) - n_star)
    assert plan.loc["out_of_stock", "return_per_dollar"] == np.inf
    assert list(plug_plan(b, repairs)["net_per_month"]) == sorted(plan["net_per_month"], reverse=True)
    assert "note" in plan.columns


def test_plug_plan_errors():
    b = bucket.Bucket({"rude_staff": 0.01}, inflow=10, acquisition_cost=1)
    ok = {"hole": ["rude_staff"], "fraction": [0.5], "monthly_cost": [1.0]}
    with pytest.raises(ValueError, match="hole"):
        plug_plan(b, pd.DataFrame({**ok, "hole": ["leaky_roof"]}))
    with pytest.raises(ValueError, match="at most once"):
        plug_plan(b, pd.DataFrame({"hole": ["rude_staff"] * 2, "fraction": [0.5, 0.5], "monthly_cost": [1.0, 1.0]}))
    with pytest.raises(ValueError, match="fraction"):
        plug_plan(b, pd.DataFrame({**ok, "fraction": [1.5]}))
    with pytest.raises(ValueError, match="monthly_cost"):
        plug_plan(b, pd.DataFrame({**ok, "monthly_cost": [-1.0]}))
    with pytest.raises(TypeError, match="Bucket"):
        plug_plan({"rude_staff": 0.01}, pd.DataFrame(ok))


def test_best_repairs_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(1, 8))
        plan = pd.DataFrame({"hole": [f"h{i}" for i in range(k)], "monthly_cost": rng.integers(0, 10, k).astype(float),
                             "net_per_month": rng.normal(2, 3, k), "saved_per_month": rng.uniform(0, 9, k)})
        budget = float(rng.integers(0, 25))
        choice = fb.best_repairs(plan, budget)
        best = max(
            (sum(plan["net_per_month"].iloc[list(s)]) for r in range(k + 1) for s in itertools.combinations(range(k), r)
             if sum(plan["monthly_cost"].iloc[list(s)]) <= budget),
        )
        assert_allclose(choice.net_per_month, best)
        chosen = plan[plan["hole"].isin(choice.holes)]
        assert chosen["monthly_cost"].sum() <= budget
        assert_allclose(choice.saved_per_month, chosen["saved_per_month"].sum())


def test_best_repairs_errors():
    plan = pd.DataFrame({"hole": ["a"], "monthly_cost": [1.0], "net_per_month": [1.0], "saved_per_month": [2.0]})
    with pytest.raises(ValueError, match="budget"):
        fb.best_repairs(plan, -1)
    with pytest.raises(ValueError, match="at most 20"):
        fb.best_repairs(pd.concat([plan] * 21, ignore_index=True), 5)
    with pytest.raises(ValueError, match=r"plan must have the column\(s\) \['net_per_month'\]"):
        fb.best_repairs(plan.drop(columns="net_per_month"), 5)


def test_repair_explorer_agrees_with_the_functions(freshbox):
    est = leak_rates(freshbox.cancellations, freshbox.monthly)
    b = bucket.Bucket(est["rate"].to_dict(), inflow=650, acquisition_cost=90)
    repairs = pd.DataFrame({"hole": list(bucket.HOLES), "fraction": 0.5,
                            "monthly_cost": [500.0, 3000, 6000, 900, 2500, 2000]})
    ex = fb.repair_explorer(b, repairs)
    for budget, cost in [(8000.0, 90.0), (2000.0, 150.0), (0.0, 60.0)]:
        ex.set(budget=budget, acquisition_cost=cost)
        plan = plug_plan(dataclasses.replace(b, acquisition_cost=cost), repairs)
        assert ex.results["chosen"] == tuple(h for h in repairs["hole"] if h in fb.best_repairs(plan, budget).holes)
        assert ex.results["first_hole"] == plan.loc[0, "hole"]
    with pytest.raises(TypeError, match="Bucket"):
        fb.repair_explorer("bucket", repairs)
