"""The Chapter 4 explorer recomputes with the tested sBG functions and redraws in place."""

import math

import numpy as np
import pytest
from scipy import stats

from coursekit.models import survival
from coursekit.widgets import customer_loyalty


def test_default_is_the_fader_hardie_regular_cohort():
    ex = customer_loyalty.sbg_explorer()
    assert ex.values() == {"alpha": 0.704, "beta": 1.182, "horizon": 12, "discount_rate": 0.10, "margin": 100.0}
    r = ex.results
    assert r["mean_churn"] == pytest.approx(0.704 / 1.886)
    assert r["retention_first"] == pytest.approx(1.182 / 1.886)
    assert r["retention_last"] == pytest.approx((1.182 + 11) / (1.886 + 11))
    assert r["survival_end"] == pytest.approx(survival.sbg_survival(0.704, 1.182, 12))
    assert r["survival_end_flat"] == pytest.approx((1.182 / 1.886) ** 12)
    assert r["lifetime_horizon"] == pytest.approx(survival.sbg_expected_lifetime(0.704, 1.182, horizon=12))
    assert math.isinf(r["lifetime"]), "alpha <= 1: the mean lifetime is infinite"
    assert r["del"] == pytest.approx(3.6951474, rel=1e-6)
    assert r["clv"] == pytest.approx(100 * r["del"])
    assert "infinite" in ex.summary.value and "CLV" in ex.summary.value


def test_results_match_brute_force_sums():
    ex = customer_loyalty.sbg_explorer()
    ex.set(alpha=1.8, beta=6.0, horizon=30, discount_rate=0.05, margin=40.0)
    t = np.arange(0, 5000)
    # S(t) as a product of the retention rates (beta + j - 1) / (alpha + beta + j - 1)
    ratios = (6.0 + t[1:] - 1) / (7.8 + t[1:] - 1)
    survival = np.concatenate(([1.0], np.cumprod(ratios)))
    assert ex.results["lifetime_horizon"] == pytest.approx(survival[:30].sum())
    assert ex.results["lifetime"] == pytest.approx((1.8 + 6.0 - 1) / (1.8 - 1))
    assert ex.results["del"] == pytest.approx((survival / 1.05 ** t).sum(), rel=1e-9)
    assert ex.results["clv"] == pytest.approx(40 * ex.results["del"])
    assert ex.results["polarisation"] == pytest.approx(1 / 8.8)


def test_slider_move_redraws_in_place_and_rescales():
    ex = customer_loyalty.sbg_explorer()
    before = bytes(ex.image.value)
    ex.controls["horizon"].value = 40          # a slider move redraws
    after = bytes(ex.image.value)
    assert after != before and after.startswith(b"\x89PNG")
    assert ex.ax.get_xlim() == (0, 40)
    low, high = ex.ax.get_ylim()
    assert low == 0 and high >= 1
    line = ex._artists["survival"]
    assert len(line.get_xdata()) == 41
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()
    side = ex._artists["side"]
    assert side.get_title() and side.get_xlabel() and side.get_ylabel()


def test_density_panel_shows_the_beta_distribution():
    ex = customer_loyalty.sbg_explorer()
    ex.set(alpha=2.0, beta=5.0)
    x, y = ex._artists["density"].get_data()
    np.testing.assert_allclose(y, stats.beta.pdf(x, 2.0, 5.0), rtol=1e-10)
    assert ex._artists["side"].get_ylim()[1] >= y.max()
    assert ex._artists["mean"].get_xdata()[0] == pytest.approx(2 / 7)


def test_no_heterogeneity_limit_has_flat_retention():
    ex = customer_loyalty.sbg_explorer()
    ex.controls["alpha"].max = 1e6
    ex.controls["beta"].max = 1e6
    ex.set(alpha=2e5, beta=8e5, horizon=10)
    assert ex.results["retention_first"] == pytest.approx(0.8, abs=1e-6)
    assert ex.results["retention_last"] == pytest.approx(0.8, abs=1e-4)
    assert ex.results["survival_end"] == pytest.approx(ex.results["survival_end_flat"], rel=1e-3)


def test_infinite_values_are_reported_not_raised():
    ex = customer_loyalty.sbg_explorer()
    ex.set(alpha=0.5, discount_rate=0.0)
    assert math.isinf(ex.results["del"]) and math.isinf(ex.results["clv"])
    assert "DEL and CLV infinite" in ex.summary.value
    ex.set(alpha=1.5, discount_rate=0.0)
    assert ex.results["del"] == pytest.approx(ex.results["lifetime"])


def test_bench_moves_are_valid():
    for name, (factory, moves) in customer_loyalty.BENCH.items():
        ex = factory()
        assert moves, name
        for move in moves:
            ex.set(**move)
            assert 0 < ex.results["survival_end"] <= 1


def test_unknown_control_is_refused():
    with pytest.raises(ValueError, match="unknown control"):
        customer_loyalty.sbg_explorer().set(gamma=1.0)
