import pytest

from coursekit import widgets
from coursekit.models import bucket, clv


def test_clv_explorer_recomputes_with_the_tested_functions():
    ex = widgets.clv_explorer()
    ex.set(monthly_revenue=1500, margin_pct=20, retention=0.85, discount_rate=0.10, years=10)
    assert ex.results["lifetime_revenue"] == clv.lifetime_revenue(1500, 10)
    assert ex.results["clv"] == pytest.approx(clv.clv(3600, 0.85, 0.10, periods=10, timing="end"))
    before = ex.image.value
    ex.controls["retention"].value = 0.9          # a slider move redraws in place
    assert bytes(ex.image.value) != bytes(before) and bytes(ex.image.value).startswith(b"\x89PNG")
    assert ex.results["clv"] == pytest.approx(clv.clv(3600, 0.90, 0.10, periods=10, timing="end"))
    assert "CLV" in ex.summary.value
    # the bars are the course convention's terms: year t's margin, retained t times, discounted t years
    assert ex.results["clv_infinite"] == pytest.approx(3600 * 0.9 / (1.1 - 0.9))
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()


def test_bucket_explorer_matches_the_model():
    ex = widgets.bucket_explorer(inflow=400)
    ex.set(**{hole: (3.0 if hole == "poor_service" else 1.0) for hole in bucket.HOLES})
    assert ex.results["steady_state"] == pytest.approx(400 / 0.08)
    assert ex.results["best_hole"] == "poor_service"
    ex.set(**{hole: 0.0 for hole in bucket.HOLES})
    assert "No leaks" in ex.summary.value
    ex.set(**{hole: 10.0 for hole in bucket.HOLES})
    assert ex.results["churn"] == pytest.approx(0.6)


def test_bucket_explorer_reports_impossible_churn():
    ex = widgets.bucket_explorer()
    ex.controls["rude_staff"].max = 100
    ex.set(rude_staff=100.0)
    assert "below 100%" in ex.summary.value and ex.results == {}


def test_explorer_rejects_unknown_controls():
    with pytest.raises(ValueError, match="unknown control"):
        widgets.clv_explorer().set(colour="red")
    with pytest.raises(ValueError, match="control"):
        widgets.Explorer({}, lambda ax: ({}, ""))


def test_bucket_explorer_rescales_to_show_the_whole_path():
    ex = widgets.bucket_explorer(inflow=100)
    ex.set(inflow=1500, months=120, rude_staff=4.0)
    low, high = ex.ax.get_ylim()
    assert low == 0 and high >= ex.results["steady_state"] and high >= ex.results["customers_end"]
    assert ex.ax.get_xlim() == (0, 120)


def test_clv_explorer_rescales_when_the_horizon_grows():
    ex = widgets.clv_explorer(years=2)
    ex.set(years=30, retention=0.95)
    assert ex.ax.get_xlim()[1] >= 30
    assert ex.ax.get_ylim()[1] >= ex.results["clv_infinite"]
