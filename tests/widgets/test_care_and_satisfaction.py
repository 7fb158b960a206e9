"""Chapter 3 explorers: the complaint-response scenario and the tiered care plan."""

import numpy as np
import pandas as pd
import pytest

from coursekit.data import complaints
from coursekit.models import care
from coursekit.widgets import care_and_satisfaction


@pytest.fixture(scope="module")
def log():
    return complaints.load_complaints()


def test_response_explorer_matches_a_hand_computation(log):
    ex = care_and_satisfaction.response_explorer(log=log)
    ex.set(threshold_hours=4, quick_share_pct=60, cost_per_quick=25.0, margin=400.0)
    quick = log["response_hours"] <= 4
    r_q = log.loc[quick, "stayed"].mean()
    r_s = log.loc[~quick, "stayed"].mean()
    q0 = quick.mean()
    n = len(log)
    res = ex.results
    np.testing.assert_allclose([res["quick_stay_rate"], res["slow_stay_rate"], res["today_share"]], [r_q, r_s, q0])
    np.testing.assert_allclose(res["stay_rate"], 0.6 * r_q + 0.4 * r_s)
    np.testing.assert_allclose(res["kept"], n * (0.6 * r_q + 0.4 * r_s))
    np.testing.assert_allclose(res["extra_kept"], n * (0.6 - q0) * (r_q - r_s))
    moved = n * (0.6 - q0)
    np.testing.assert_allclose(res["cost"], 25.0 * moved)
    np.testing.assert_allclose(res["cost_per_extra_kept"], 25.0 / (r_q - r_s))
    np.testing.assert_allclose(res["net_value"], moved * (r_q - r_s) * 400.0 - 25.0 * moved)
    assert "Target" in ex.summary.value and "per extra customer kept" in ex.summary.value


def test_response_explorer_today_point_is_the_observed_stay_rate(log):
    ex = care_and_satisfaction.response_explorer(log=log)
    ex.set(threshold_hours=12)
    x, y = ex._artists["today"].get_data()
    np.testing.assert_allclose(x, [(log["response_hours"] <= 12).mean()])
    np.testing.assert_allclose(y, [log["stayed"].mean()])
    curve = ex._artists["curve"].get_ydata()
    np.testing.assert_allclose([curve[0], curve[-1]], [ex.results["slow_stay_rate"], ex.results["quick_stay_rate"]])


def test_response_explorer_redraws_in_place_with_fixed_axes(log):
    ex = care_and_satisfaction.response_explorer(log=log)
    before = bytes(ex.image.value)
    ex.controls["quick_share_pct"].value = 90      # a slider move redraws
    after = bytes(ex.image.value)
    assert after != before and after.startswith(b"\x89PNG")
    assert ex.ax.get_xlim() == (0, 1) and ex.ax.get_ylim() == (0, 1)
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()


def test_response_explorer_below_todays_share_costs_nothing(log):
    ex = care_and_satisfaction.response_explorer(log=log)
    ex.set(quick_share_pct=10)
    assert "nothing to speed up" in ex.summary.value
    assert "cost" not in ex.results and ex.results["extra_kept"] < 0


def test_response_explorer_when_quick_answers_keep_fewer():
    toy = pd.DataFrame({"response_hours": [1.0, 2.0, 10.0, 20.0], "stayed": [False, False, True, True]})
    ex = care_and_satisfaction.response_explorer(log=toy, quick_share_pct=100)
    assert ex.results["extra_kept"] == pytest.approx(-2.0)
    assert "fewer" in ex.summary.value and "cost" not in ex.results


def test_response_explorer_when_speed_makes_no_difference():
    toy = pd.DataFrame({"response_hours": [1.0, 2.0, 10.0, 20.0], "stayed": [True, False, True, False]})
    ex = care_and_satisfaction.response_explorer(log=toy, quick_share_pct=100, cost_per_quick=10.0)
    assert ex.results["extra_kept"] == 0 and ex.results["cost"] == pytest.approx(20.0)
    assert np.isinf(ex.results["cost_per_extra_kept"])
    assert "keeps <b>no</b> extra customer" in ex.summary.value


def test_response_explorer_with_an_empty_band():
    toy = pd.DataFrame({"response_hours": [0.5, 1.0, 2.0], "stayed": [True, True, False]})
    ex = care_and_satisfaction.response_explorer(log=toy, threshold_hours=4, quick_share_pct=100)
    assert ex.results["today_share"] == 1.0
    assert ex.results["slow_stay_rate"] == pytest.approx(2 / 3)
    assert ex.results["stay_rate"] == pytest.approx(2 / 3)
    assert "nothing to speed up" in ex.summary.value


def test_care_plan_explorer_uses_care_plan_cost():
    ex = care_and_satisfaction.care_plan_explorer()
    expected = care.care_plan_cost(care_and_satisfaction.CARE_PLAN_EXAMPLE)
    pd.testing.assert_frame_equal(ex.results["table"], expected)
    np.testing.assert_allclose(ex.results["net_value"], 80_000 + 22_500 - 5_000)
    np.testing.assert_allclose(ex.results["cost_per_extra_retained"], 270_000 / 195)
    np.testing.assert_allclose(list(ex.results["payback"].values()), [1.5, 1.25, 0.75])
    heights = [bar.get_height() for bar in ex._artists["bars"]]
    np.testing.assert_allclose(heights, [1.5, 1.25, 0.75])


def test_care_plan_explorer_slider_moves():
    ex = care_and_satisfaction.care_plan_explorer()
    ex.set(gold_lift=0.0, silver_cost=30.0, ordinary_cost=0.0)
    table = ex.results["table"]
    assert table.loc["gold", "extra_retained"] == 0
    assert np.isinf(table.loc["gold", "cost_per_extra_retained"])
    np.testing.assert_allclose(table.loc["silver", "cost"], 1_500 * 30.0)
    assert ex.results["payback"]["ordinary"] == 0.0          # free care: no ratio to show
    assert ex.ax.get_ylim()[1] >= max(ex.results["payback"].values())
    net = -160_000 + (75 * 1_500 - 45_000) + 15_000
    assert ex.results["net_value"] == pytest.approx(net)
    assert "— each" in ex.summary.value and f"USD -{-net:,.0f}" in ex.summary.value


def test_care_plan_explorer_caps_retention_at_one():
    ex = care_and_satisfaction.care_plan_explorer()
    ex.controls["gold_lift"].max = 50
    ex.set(gold_lift=50.0)                         # 80% + 50 points is capped at 100%
    np.testing.assert_allclose(ex.results["table"].loc["gold", "extra_retained"], 200 * 0.20)


def test_bench_moves_are_valid():
    for name, (factory, moves) in care_and_satisfaction.BENCH.items():
        ex = factory()
        assert len(moves) == 15, name
        for move in moves:
            ex.set(**move)
        assert ex.results, name
