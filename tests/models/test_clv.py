"""Tests of coursekit.models.clv: closed forms against brute-force sums and hand-computed values."""

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.models.clv import (
    RetentionGain,
    clv,
    lifetime_revenue,
    margin_for_uplift,
    margin_multiple,
    profit_stream_npv,
    reichheld_sasser,
)

RETENTIONS = [0.0, 0.3, 0.6, 0.8, 0.95, 0.999]
DISCOUNTS = [-0.5, -0.1, 0.0, 0.05, 0.1, 0.3]


# ---------------------------------------------------------------------------------------------
# brute-force references: plain loops over the definitions
# ---------------------------------------------------------------------------------------------
def brute_lifetime_revenue(m, years, d):
    v = (1 + d) ** (-1 / 12)
    return sum(m * v**k for k in range(1, 12 * years + 1))


def brute_clv(m, r, d, periods, timing):
    if timing == "end":
        return sum(m * r**t / (1 + d) ** t for t in range(1, periods + 1))
    return sum(m * r**t / (1 + d) ** t for t in range(0, periods))


def brute_npv(r, d, p, g, a, horizon):
    total = -a
    for t in range(1, horizon + 1):
        profit = p * (1 + g) ** (t - 1)
        alive = r ** (t - 1)  # year 1 is certain (0.0 ** 0 == 1 in Python)
        total += profit * alive / (1 + d) ** t
    return total


# ---------------------------------------------------------------------------------------------
# lifetime_revenue
# ---------------------------------------------------------------------------------------------
def test_fedex_example():
    # 1500 a month x 12 months x 10 years = 180,000 (the reading prints 360,000, a slip).
    assert lifetime_revenue(1500, 10) == 180000.0
    assert isinstance(lifetime_revenue(1500, 10), float)


@pytest.mark.parametrize("d", [-0.5, -0.05, 0.0, 1e-10, 0.03, 0.08, 0.5])
@pytest.mark.parametrize("years", [0, 1, 3, 10])
def test_lifetime_revenue_matches_loop(years, d):
    assert_allclose(lifetime_revenue(1500, years, d), brute_lifetime_revenue(1500, years, d), rtol=1e-12, atol=1e-9)


def test_lifetime_revenue_hand_value():
    # 8 % a year: 1500 * (1 - 1.08**-10) / (1.08**(1/12) - 1) = 125,149.0...
    expected = 1500 * (1 - 1.08**-10) / (1.08 ** (1 / 12) - 1)
    assert_allclose(lifetime_revenue(1500, 10, 0.08), expected, rtol=1e-12)
    assert_allclose(lifetime_revenue(1500, 10, 0.08), 125149, atol=1)


def test_lifetime_revenue_fractional_years_and_arrays():
    # Undiscounted, half a year is six payments.
    assert lifetime_revenue(100, 0.5) == pytest.approx(600.0)
    # Discounted value is continuous in years and lies between the neighbouring whole months.
    v = lifetime_revenue(100, np.array([2.0, 2.04, 2.0833333333]), 0.1)
    assert v.shape == (3,)
    assert v[0] < v[1] < v[2]
    grid = lifetime_revenue(np.array([[1000], [1500]]), np.array([1, 5, 10]), 0.05)
    assert grid.shape == (2, 3)
    assert_allclose(grid[1] / grid[0], 1.5)


def test_lifetime_revenue_decreases_with_discount():
    values = lifetime_revenue(1500, 10, np.linspace(0, 0.5, 11))
    assert np.all(np.diff(values) < 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"monthly_revenue": -1, "years": 10}, ValueError, r"monthly_revenue must be in \[0, inf\), got -1"),
        ({"monthly_revenue": 1500, "years": -1}, ValueError, r"years must be in \[0, inf\), got -1"),
        ({"monthly_revenue": 1500, "years": float("nan")}, ValueError, "years must be a number, got NaN"),
        ({"monthly_revenue": 1500, "years": "10"}, TypeError, "years must be a number"),
        ({"monthly_revenue": 1500, "years": math.inf}, ValueError, "years must be a finite number"),
        ({"monthly_revenue": float("nan"), "years": 10}, ValueError, "monthly_revenue must be a number, got NaN"),
        ({"monthly_revenue": 1, "years": 1, "discount_rate": -1}, ValueError, r"discount_rate must be in \(-1, inf\)"),
        ({"monthly_revenue": 1, "years": 1, "discount_rate": -2}, ValueError, r"discount_rate must be in \(-1, inf\)"),
        ({"monthly_revenue": 1, "years": 1, "discount_rate": np.nan}, ValueError, "discount_rate must be a number"),
        ({"monthly_revenue": [1500, -3], "years": 10}, ValueError, "monthly_revenue must be in"),
    ],
)
def test_lifetime_revenue_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        lifetime_revenue(**kwargs)


# ---------------------------------------------------------------------------------------------
# clv and margin_multiple
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("timing", ["end", "start"])
def test_clv_closed_form_matches_loop(timing):
    for r, d, periods in itertools.product(RETENTIONS, DISCOUNTS, [0, 1, 2, 5, 17, 60]):
        expected = brute_clv(120.0, r, d, periods, timing)
        got = clv(120.0, r, d, periods=periods, timing=timing)
        assert_allclose(got, expected, rtol=1e-11, atol=1e-9, err_msg=f"r={r}, d={d}, T={periods}")


@pytest.mark.parametrize("timing", ["end", "start"])
def test_clv_q_equal_one(timing):
    # r / (1 + d) == 1 with r = 0.5, d = -0.5: every term equals m, so the sum is m * T.
    assert_allclose(clv(10, 0.5, -0.5, periods=7, timing=timing), 70.0)
    # Just next to q = 1 the closed form must stay accurate.
    assert_allclose(
        clv(10, 0.5, -0.5 + 1e-13, periods=7, timing=timing), brute_clv(10, 0.5, -0.5 + 1e-13, 7, timing), rtol=1e-10
    )


def test_clv_hand_values():
    # 100 * 0.8 / (1.1 - 0.8) = 266.666...; start = 100 * 1.1 / 0.3 = 366.666...
    assert_allclose(clv(100, 0.8, 0.1), 800 / 3)
    assert_allclose(clv(100, 0.8, 0.1, timing="start"), 1100 / 3)
    # three periods: 100 * (0.8/1.1 + 0.8**2/1.1**2 + 0.8**3/1.1**3) = 164.087...
    assert_allclose(clv(100, 0.8, 0.1, periods=3), 72.72727272 + 52.89256198 + 38.46731780, rtol=1e-9)
    assert clv(100, 0.8, 0.1, periods=0) == 0.0
    assert clv(100, 0.0, 0.1) == 0.0
    assert clv(100, 0.0, 0.1, timing="start") == pytest.approx(100.0)
    assert isinstance(clv(100, 0.8, 0.1), float)


@pytest.mark.parametrize("timing", ["end", "start"])
def test_infinite_horizon_is_limit_of_long_horizon(timing):
    for r, d in itertools.product([0.0, 0.5, 0.8, 0.95], [0.0, 0.05, 0.1, 0.3]):
        if r == 0.95 and d == 0.0:
            long = 2000  # q = 0.95: q**2000 is negligible
        else:
            long = 1000
        assert_allclose(clv(50, r, d, periods=long, timing=timing), clv(50, r, d, timing=timing), rtol=1e-12)


def test_start_equals_margin_plus_end():
    m = np.array([-20.0, 0.0, 35.0, 100.0])
    for r, d in itertools.product([0.0, 0.4, 0.9], [-0.05, 0.0, 0.1]):
        assert_allclose(clv(m, r, d, timing="start"), m + clv(m, r, d, timing="end"), atol=1e-12)


def test_clv_equals_margin_times_multiple():
    for r, d in itertools.product(RETENTIONS, [0.0, 0.05, 0.1, 0.3]):
        assert_allclose(clv(75.0, r, d), 75.0 * margin_multiple(r, d), rtol=1e-14)


def test_margin_multiple_values():
    # 0.8 / (1 + 0.1 - 0.8) = 0.8 / 0.3
    assert_allclose(margin_multiple(0.8, 0.1), 2.6667, atol=5e-5)
    assert margin_multiple(0.0, 0.1) == 0.0
    # The Gupta & Lehmann range: retention 60-90 %, discount 10-16 % gives about 1.07 to 4.5.
    grid = margin_multiple(np.array([[0.6], [0.9]]), np.array([0.10, 0.16]))
    assert_allclose(grid, [[0.6 / 0.5, 0.6 / 0.56], [0.9 / 0.2, 0.9 / 0.26]])


def test_clv_vectorised_shapes():
    r = np.linspace(0.1, 0.9, 9)
    d = np.array([0.05, 0.1, 0.2])
    grid = clv(100, r[:, None], d[None, :])
    assert grid.shape == (9, 3)
    for i, j in itertools.product(range(9), range(3)):
        assert_allclose(grid[i, j], clv(100, r[i], d[j]))
    horizons = clv(100, 0.8, 0.1, periods=np.arange(0, 6))
    assert horizons.shape == (6,)
    assert_allclose(horizons, [brute_clv(100, 0.8, 0.1, t, "end") for t in range(6)])
    assert clv([100, 200], 0.8, 0.1, periods=4).shape == (2,)


def test_clv_increases_with_retention_and_falls_with_discount():
    r = np.linspace(0, 0.99, 100)
    for periods in (None, 1, 10):
        for timing in ("end", "start"):
            values = clv(100, r, 0.1, periods=periods, timing=timing)
            if timing == "start" and periods == 1:
                assert_allclose(values, 100.0)  # only the certain first payment
            else:
                assert np.all(np.diff(values) > 0)
    assert np.all(np.diff(clv(100, 0.8, np.linspace(0, 1, 50))) < 0)


def test_negative_margin_allowed():
    assert_allclose(clv(-10, 0.5, 0.0), -10.0)


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_clv_rejects_retention_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=r"retention must be in \[0, 1\)"):
        clv(100, bad, 0.1)
    with pytest.raises(ValueError, match=r"retention must be in \[0, 1\)"):
        margin_multiple(bad, 0.1)
    with pytest.raises(ValueError, match=r"retention must be in \[0, 1\)"):
        clv(100, np.array([0.5, bad]), 0.1, periods=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"margin": np.nan}, ValueError, "margin must be a number, got NaN"),
        ({"margin": np.inf}, ValueError, "margin must be a finite number"),
        ({"margin": "100"}, TypeError, "margin must be a number"),
        ({"retention": np.nan}, ValueError, "retention must be a number, got NaN"),
        ({"discount_rate": np.nan}, ValueError, "discount_rate must be a number, got NaN"),
        ({"discount_rate": -1.0}, ValueError, r"discount_rate must be in \(-1, inf\), got -1"),
        ({"discount_rate": -1.5}, ValueError, r"discount_rate must be in \(-1, inf\)"),
        ({"timing": "middle"}, ValueError, "timing must be one of 'end', 'start'; got 'middle'"),
        ({"periods": 2.5}, ValueError, "periods must be a whole number, got 2.5"),
        ({"periods": -1}, ValueError, "periods must be an integer >= 0, got -1"),
        ({"periods": float("nan")}, ValueError, "periods must be a whole number"),
        ({"periods": "5"}, TypeError, "periods must be a whole number"),
        ({"periods": np.array([1, 2.5])}, ValueError, "periods must hold whole numbers, got 2.5"),
        ({"periods": np.array([3, -2])}, ValueError, "periods must hold integers >= 0, got -2"),
        ({"periods": np.array([3, np.nan])}, ValueError, "periods must be a number, got NaN"),
    ],
)
def test_clv_rejects_bad_input(kwargs, error, match):
    args = {"margin": 100, "retention": 0.8, "discount_rate": 0.1} | kwargs
    with pytest.raises(error, match=match):
        clv(**args)


def test_infinite_horizon_needs_convergence():
    # r = 0.9 and d = -0.2: r / (1 + d) = 1.125 > 1, the infinite sum diverges ...
    with pytest.raises(ValueError, match=r"retention < 1 \+ discount_rate.*retention=0.9, discount_rate=-0.2"):
        clv(100, 0.9, -0.2)
    with pytest.raises(ValueError, match=r"retention < 1 \+ discount_rate"):
        margin_multiple(0.8, -0.2)
    with pytest.raises(ValueError, match=r"retention < 1 \+ discount_rate"):
        clv(100, np.array([0.5, 0.9]), -0.2, timing="start")
    # ... but a finite horizon is fine.
    assert_allclose(clv(100, 0.9, -0.2, periods=4), brute_clv(100, 0.9, -0.2, 4, "end"))


def test_periods_accepts_numpy_integers_and_whole_floats():
    assert_allclose(clv(100, 0.8, 0.1, periods=np.int64(3)), clv(100, 0.8, 0.1, periods=3.0))
    assert_allclose(clv(100, 0.8, 0.1, periods=np.array(3)), clv(100, 0.8, 0.1, periods=3))


# ---------------------------------------------------------------------------------------------
# Reichheld--Sasser
# ---------------------------------------------------------------------------------------------
def test_profit_stream_npv_matches_loop():
    for r, d, g, a, horizon in itertools.product(
        [0.0, 0.5, 0.8, 0.95], [-0.2, 0.0, 0.1], [-0.1, 0.0, 0.08], [0.0, 150.0], [1, 2, 5, 30]
    ):
        expected = brute_npv(r, d, 100.0, g, a, horizon)
        got = profit_stream_npv(r, d, 100.0, profit_growth=g, acquisition_cost=a, horizon=horizon)
        assert_allclose(got, expected, rtol=1e-11, atol=1e-9, err_msg=f"r={r}, d={d}, g={g}, T={horizon}")


def test_profit_stream_npv_q_equal_one():
    # q = r (1 + g) / (1 + d) = 0.8 * 1.375 / 1.1 = 1: each year adds 100 / 1.1.
    assert_allclose(profit_stream_npv(0.8, 0.1, 100, profit_growth=0.375, horizon=6), 600 / 1.1)


def test_profit_stream_npv_infinite_horizon():
    # -A + p / (1 + d - r (1 + g)) = -150 + 100 / (1.1 - 0.84)
    assert_allclose(profit_stream_npv(0.8, 0.1, 100, profit_growth=0.05, acquisition_cost=150), 100 / 0.26 - 150)
    assert_allclose(
        profit_stream_npv(0.8, 0.1, 100, profit_growth=0.05, acquisition_cost=150, horizon=3000),
        profit_stream_npv(0.8, 0.1, 100, profit_growth=0.05, acquisition_cost=150),
        rtol=1e-12,
    )
    message = r"retention \* \(1 \+ profit_growth\) < 1 \+ discount_rate; got retention=0.8, profit_growth=0.4"
    with pytest.raises(ValueError, match=message):
        profit_stream_npv(0.8, 0.1, 100, profit_growth=0.4)


def test_reichheld_sasser_hand_values():
    # base: 100 / (1.1 - 0.8) - 200 = 133.33; improved: 100 / (1.1 - 0.85) - 200 = 200; +50 %.
    gain = reichheld_sasser(0.8, 0.1, 100, acquisition_cost=200)
    assert isinstance(gain, RetentionGain)
    assert_allclose(
        [gain.retention, gain.improved_retention, gain.npv_base, gain.npv_improved, gain.pct_increase],
        [0.8, 0.85, 400 / 3, 200.0, 50.0],
    )
    assert all(
        isinstance(x, float)
        for x in (gain.retention, gain.improved_retention, gain.npv_base, gain.npv_improved, gain.pct_increase)
    )
    with pytest.raises(AttributeError):
        gain.pct_increase = 0.0  # frozen


def test_reichheld_sasser_matches_loop():
    for r, g, a, horizon in itertools.product([0.5, 0.7, 0.9], [0.0, 0.1], [0.0, 50.0], [3, 10, 25]):
        base = brute_npv(r, 0.1, 100.0, g, a, horizon)
        improved = brute_npv(r + 0.05, 0.1, 100.0, g, a, horizon)
        gain = reichheld_sasser(r, 0.1, 100.0, profit_growth=g, acquisition_cost=a, horizon=horizon)
        assert_allclose([gain.npv_base, gain.npv_improved], [base, improved], rtol=1e-11)
        assert_allclose(gain.pct_increase, 100 * (improved / base - 1), rtol=1e-9)


def test_reichheld_sasser_without_acquisition_cost_ignores_margin():
    pct = reichheld_sasser(0.8, 0.1, np.array([1.0, 10.0, 1000.0])).pct_increase
    # (1/0.25) / (1/0.3) - 1 = 0.3 / 0.25 - 1 = 20 %
    assert_allclose(pct, 20.0)


def test_reichheld_sasser_grid_and_nan_cells():
    r = np.array([[0.7], [0.8]])
    p = np.array([10.0, 100.0, 200.0])
    gain = reichheld_sasser(r, 0.1, p, acquisition_cost=200)
    for field in ("retention", "improved_retention", "npv_base", "npv_improved", "pct_increase"):
        assert getattr(gain, field).shape == (2, 3)
    # p = 10 never pays back 200 (10 / 0.4 = 25, 10 / 0.3 = 33.3): NaN, not an error.
    assert np.isnan(gain.pct_increase[:, 0]).all()
    # r = 0.7, p = 100: 100 / 0.4 - 200 = 50 -> 100 / 0.35 - 200 = 85.71: +71.43 %
    assert_allclose(gain.pct_increase[0, 1], 100 * ((100 / 0.35 - 200) / 50 - 1))
    assert_allclose(gain.pct_increase[1, 1:], [50.0, 100 * ((200 / 0.25 - 200) / (200 / 0.3 - 200) - 1)])
    assert_allclose(gain.retention, np.broadcast_to(r, (2, 3)))
    assert_allclose(gain.improved_retention, np.broadcast_to(r + 0.05, (2, 3)))


def test_reichheld_sasser_scalar_without_payback_raises():
    with pytest.raises(ValueError, match="does not pay back the acquisition cost"):
        reichheld_sasser(0.7, 0.1, 10, acquisition_cost=200)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"retention": -0.1}, ValueError, r"retention must be in \[0, 1\)"),
        ({"retention": 1.0}, ValueError, r"retention must be in \[0, 1\)"),
        ({"retention": 1.5}, ValueError, r"retention must be in \[0, 1\)"),
        ({"retention": 0.97}, ValueError, r"retention \+ uplift must be < 1.*retention=0.97 and uplift=0.05"),
        ({"uplift": 0.0}, ValueError, r"uplift must be in \(0, inf\), got 0"),
        ({"uplift": -0.05}, ValueError, r"uplift must be in \(0, inf\)"),
        ({"base_profit": 0.0}, ValueError, r"base_profit must be in \(0, inf\), got 0"),
        ({"base_profit": np.nan}, ValueError, "base_profit must be a number, got NaN"),
        ({"profit_growth": -1.0}, ValueError, r"profit_growth must be in \(-1, inf\)"),
        ({"acquisition_cost": -5.0}, ValueError, r"acquisition_cost must be in \[0, inf\), got -5"),
        ({"discount_rate": -1.0}, ValueError, r"discount_rate must be in \(-1, inf\)"),
        ({"horizon": 0}, ValueError, "horizon must be an integer >= 1, got 0"),
        ({"horizon": 2.5}, ValueError, "horizon must be a whole number, got 2.5"),
        # 0.8 * 1.3 = 1.04 < 1.1 converges, 0.85 * 1.3 = 1.105 does not
        ({"profit_growth": 0.3}, ValueError, r"\(retention \+ uplift\) \* \(1 \+ profit_growth\) < 1 \+ discount_rate"),
    ],
)
def test_reichheld_sasser_rejects_bad_input(kwargs, error, match):
    args = {"retention": 0.8, "discount_rate": 0.1, "base_profit": 100.0} | kwargs
    with pytest.raises(error, match=match):
        reichheld_sasser(**args)


@pytest.mark.parametrize("target", [25.0, 85.0])
@pytest.mark.parametrize(
    ("r", "d", "a", "g", "horizon"),
    [(0.8, 0.1, 200, 0.0, None), (0.7, 0.08, 80, 0.1, 10), (0.6, 0.05, 300, 0.0, 30)],
)
def test_margin_for_uplift_round_trip(target, r, d, a, g, horizon):
    m = margin_for_uplift(target, r, d, a, profit_growth=g, horizon=horizon)
    gain = reichheld_sasser(r, d, m, profit_growth=g, acquisition_cost=a, horizon=horizon)
    assert_allclose(gain.pct_increase, target, rtol=1e-10)


def test_margin_for_uplift_hand_value():
    # S(0.8) = 1/0.3, S(0.85) = 1/0.25; m = 0.25 * 200 / (0.25/0.3 - (4 - 1/0.3)) = 300
    assert_allclose(margin_for_uplift(25, 0.8, 0.1, 200), 300.0)
    grid = margin_for_uplift(np.array([25.0, 85.0, 10.0]), 0.8, 0.1, 200)
    assert_allclose(grid[:2], [300.0, 0.85 * 200 / (0.85 / 0.3 - 2 / 3)])
    # 10 % is below the 20 % floor (S(0.85)/S(0.8) - 1): unreachable, NaN in an array.
    assert np.isnan(grid[2])


def test_margin_for_uplift_errors():
    with pytest.raises(ValueError, match="without an acquisition cost the percentage gain"):
        margin_for_uplift(25, 0.8, 0.1, 0)
    with pytest.raises(ValueError, match=r"target_pct=10 is unreachable at retention=0.8.*towards 20%"):
        margin_for_uplift(10, 0.8, 0.1, 200)
    with pytest.raises(ValueError, match="unreachable: with horizon=1"):
        margin_for_uplift(25, 0.8, 0.1, 200, horizon=1)
    with pytest.raises(ValueError, match=r"target_pct must be in \(0, inf\), got -5"):
        margin_for_uplift(-5, 0.8, 0.1, 200)
    with pytest.raises(ValueError, match=r"retention must be in \[0, 1\)"):
        margin_for_uplift(25, 1.0, 0.1, 200)
    with pytest.raises(ValueError, match="target_pct must be a number, got NaN"):
        margin_for_uplift(np.nan, 0.8, 0.1, 200)
