"""Tests of coursekit.cases.small_rolls: case 5's keyword rule quality, launch economics and explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.cases import small_rolls as sr
from coursekit.data import complaints
from coursekit.models import care


def test_rule_quality_counts_match_brute_force():
    rng = np.random.default_rng(1)
    flagged = rng.random(500) < 0.3
    truth = rng.random(500) < 0.2
    q = sr.rule_quality(flagged, truth)
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    fp = sum(f and not t for f, t in zip(flagged, truth, strict=True))
    fn = sum((not f) and t for f, t in zip(flagged, truth, strict=True))
    tn = sum((not f) and (not t) for f, t in zip(flagged, truth, strict=True))
    assert (q.true_positives, q.false_positives, q.false_negatives, q.true_negatives) == (tp, fp, fn, tn)
    assert q.n == 500 and q.flagged == tp + fp and q.actual == tp + fn
    assert_allclose([q.precision, q.recall], [tp / (tp + fp), tp / (tp + fn)])
    assert_allclose(q.f1, 2 * tp / (2 * tp + fp + fn))
    table = q.table()
    assert table.to_numpy().tolist() == [[tp, fn], [fp, tn]]


def test_rule_quality_on_the_complaint_log_matches_the_data_card():
    log = complaints.load_complaints()
    truth = complaints.load_complaints_truth()
    hits = care.keyword_matches(log["comment"], list(complaints.SMALL_ROLL_PHRASES)).any(axis=1)
    q = sr.rule_quality(hits, truth["small_roll_request"])
    assert (q.flagged, q.true_positives, q.actual) == (72, 58, 62)
    assert_allclose([q.precision, q.recall], [58 / 72, 58 / 62])


def test_rule_quality_accepts_zero_one_and_handles_empty_classes():
    q = sr.rule_quality([0, 0, 0], [0, 1, 0])
    assert np.isnan(q.precision) and q.recall == 0 and np.isnan(q.f1)
    q = sr.rule_quality([1, 0], [0, 0])
    assert q.precision == 0 and np.isnan(q.recall)
    q = sr.rule_quality([True, False], [False, True])
    assert q.precision == 0 and q.recall == 0 and q.f1 == 0


def test_rule_quality_refuses_bad_input():
    with pytest.raises(ValueError, match="same length"):
        sr.rule_quality([True, False], [True])
    with pytest.raises(ValueError, match="at least one item"):
        sr.rule_quality([], [])
    with pytest.raises(ValueError, match="missing"):
        sr.rule_quality(pd.Series([True, None]), [True, False])
    with pytest.raises(TypeError, match="True/False"):
        sr.rule_quality(["yes", "no"], [True, False])
    with pytest.raises(TypeError, match="sequence of True/False"):
        sr.rule_quality("yes", [True])
    with pytest.raises(TypeError, match="DataFrame"):
        sr.rule_quality(pd.DataFrame({"a": [True]}), [True])
    with pytest.raises(ValueError, match="same index"):
        sr.rule_quality(pd.Series([True, False], index=[1, 2]), pd.Series([True, False], index=[2, 1]))


def test_launch_economics_matches_the_formulas():
    plan = sr.launch_economics(57, 0.3, 0.5, 1_500.0, 60_000.0, years=4, discount_rate=0.1)
    needing = 57 / 0.3
    margin = needing * 0.5 * 1_500.0
    pv = sum(margin / 1.1**t for t in range(1, 5))
    assert_allclose([plan.customers_with_need, plan.buyers, plan.annual_margin], [needing, needing * 0.5, margin])
    assert_allclose(plan.pv_margin, pv)
    assert_allclose(plan.net_value, pv - 60_000.0)
    assert_allclose(plan.roi, (pv - 60_000.0) / 60_000.0)
    # payback: the n at which the annuity of the margin equals the cost
    n = plan.payback_years
    assert_allclose(margin * (1 - 1.1**-n) / 0.1, 60_000.0)


def test_launch_economics_broadcasts_and_never_pays_back_without_margin():
    plan = sr.launch_economics(60, np.array([0.25, 0.5, 1.0]), 0.6, 1_200.0, 80_000.0)
    assert_allclose(plan.payback_years, 80_000.0 / (np.array([240.0, 120.0, 60.0]) * 0.6 * 1_200.0))
    assert plan.launch_cost.shape == (3,)
    none = sr.launch_economics(0, 0.25, 0.6, 1_200.0, 80_000.0)
    assert none.payback_years == np.inf and none.roi == -1.0


@pytest.mark.parametrize("kwargs, match", [
    ({"registration_rate": 0.0}, "registration_rate"),
    ({"registration_rate": 1.5}, "registration_rate"),
    ({"conversion": -0.1}, "conversion"),
    ({"margin_per_buyer": -1.0}, "margin_per_buyer"),
    ({"launch_cost": 0.0}, "launch_cost"),
    ({"registered": float("nan")}, "registered"),
    ({"years": 0}, "years"),
    ({"discount_rate": -0.1}, "discount_rate"),
])
def test_launch_economics_refuses_bad_input(kwargs, match):
    args = {"registered": 60, "registration_rate": 0.25, "conversion": 0.6, "margin_per_buyer": 1200.0,
            "launch_cost": 80_000.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sr.launch_economics(**args)


def test_launch_economics_refuses_a_non_integer_horizon():
    with pytest.raises(TypeError, match="years"):
        sr.launch_economics(60, 0.25, 0.6, 1200.0, 80_000.0, years="3")


def test_launch_explorer_matches_launch_economics():
    ex = sr.launch_explorer()
    ex.set(registration_rate=0.2, conversion=0.5, margin_per_buyer=1000.0, launch_cost=100_000.0)
    plan = sr.launch_economics(60, 0.2, 0.5, 1000.0, 100_000.0, years=3)
    assert_allclose([ex.results["buyers"], ex.results["payback_years"], ex.results["roi"]],
                    [plan.buyers, plan.payback_years, plan.roi])
    y = ex._artists["plan"].get_ydata()
    assert_allclose(y[[0, 12]], [-100_000.0, -100_000.0 + plan.annual_margin])
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()
    before = bytes(ex.image.value)
    ex.controls["conversion"].value = 0.9
    assert bytes(ex.image.value) != before
