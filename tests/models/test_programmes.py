"""Tests of coursekit.models.programmes: break-even lift, programme NPV, copycats and win-back."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.models.clv import clv
from coursekit.models.programmes import WinBack, breakeven_lift, copycat, programme_npv, winback_value


def multiple(r, d):
    return r / (1 + d - r)


# ---------------------------------------------------------------------------------------------
# breakeven_lift
# ---------------------------------------------------------------------------------------------
def test_breakeven_by_hand():
    # F = 100 * 0.8/0.3 / 95 ; r* = F * 1.1 / (1 + F)
    f = 100 * (0.8 / 0.3) / 95
    assert_allclose(breakeven_lift(5, 100, 0.8, 0.1), f * 1.1 / (1 + f) - 0.8, rtol=1e-13)
    assert_allclose(breakeven_lift(5, 100, 0.8, 0.1), 0.0110599, rtol=1e-5)
    f = (100 * (0.8 / 0.3) + 20) / 95
    assert_allclose(breakeven_lift(5, 100, 0.8, 0.1, upfront_cost_per_customer=20), f * 1.1 / (1 + f) - 0.8)


def test_breakeven_lift_makes_the_value_equal():
    for c, m, r, d, k in [(5, 100, 0.8, 0.1, 0), (20, 60, 0.5, 0.05, 10), (1, 10, 0.9, 0.0, 0), (3, 50, 0.0, 0.2, 5)]:
        lift = breakeven_lift(c, m, r, d, upfront_cost_per_customer=k)
        assert_allclose((m - c) * multiple(r + lift, d) - k, m * multiple(r, d), rtol=1e-12, atol=1e-10)
        assert_allclose(programme_npv(c, m, r, lift, d, upfront_cost_per_customer=k), 0.0, atol=1e-9)


def test_breakeven_zero_cost_needs_no_lift():
    assert breakeven_lift(0, 100, 0.8, 0.1) == pytest.approx(0.0, abs=1e-15)


def test_breakeven_vectorised_with_unreachable_cells():
    out = breakeven_lift(np.array([5.0, 90.0]), 100, 0.9, 0.05)
    # 90 of 100 is far too much at 90 % retention: no retention below 1 pays it back
    f = 100 * multiple(0.9, 0.05) / 95
    assert_allclose(out[0], f * 1.05 / (1 + f) - 0.9)
    assert np.isnan(out[1])


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((100, 100, 0.8, 0.1), {}, ValueError, "points_cost_per_customer must be below margin"),
        ((-1, 100, 0.8, 0.1), {}, ValueError, r"points_cost_per_customer must be in \[0, inf\)"),
        ((5, 0, 0.8, 0.1), {}, ValueError, r"margin must be in \(0, inf\)"),
        ((5, 100, 1.0, 0.1), {}, ValueError, r"retention must be in \[0, 1\)"),
        ((5, 100, 0.8, -0.1), {}, ValueError, r"discount_rate must be in \[0, inf\)"),
        ((5, 100, 0.8, 0.1), {"upfront_cost_per_customer": -1}, ValueError, "upfront_cost_per_customer must be in"),
        ((90, 100, 0.9, 0.05), {}, ValueError, "no retention below 1 pays back this programme"),
        (("5", 100, 0.8, 0.1), {}, TypeError, "points_cost_per_customer must be a number"),
        ((5, 100, np.nan, 0.1), {}, ValueError, "retention must be a number, got NaN"),
    ],
)
def test_breakeven_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        breakeven_lift(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# programme_npv
# ---------------------------------------------------------------------------------------------
def test_programme_npv_by_hand():
    # 1000 * (95 * 0.82/0.28 - 100 * 0.8/0.3)
    assert_allclose(programme_npv(5, 100, 0.8, 0.02, 0.1, customers=1000), 1000 * (95 * 0.82 / 0.28 - 100 * 0.8 / 0.3))
    # fixed and one-off costs are subtracted once
    assert_allclose(
        programme_npv(5, 100, 0.8, 0.02, 0.1, customers=1000, upfront_cost_per_customer=3, fixed_cost=2000),
        1000 * (95 * 0.82 / 0.28 - 100 * 0.8 / 0.3 - 3) - 2000,
    )


@pytest.mark.parametrize("horizon", [1, 3, 10])
def test_programme_npv_finite_horizon_matches_loop(horizon):
    c, m, r, u, d, n = 5, 100, 0.8, 0.02, 0.1, 250
    loop = n * sum(((m - c) * (r + u) ** t - m * r**t) / (1 + d) ** t for t in range(1, horizon + 1))
    assert_allclose(programme_npv(c, m, r, u, d, customers=n, horizon=horizon), loop, rtol=1e-12)


def test_programme_npv_uses_clv():
    assert_allclose(programme_npv(7, 80, 0.7, 0.05, 0.12), clv(73, 0.75, 0.12) - clv(80, 0.7, 0.12))


def test_programme_npv_vectorised():
    lifts = np.array([0.0, 0.01, 0.02])
    out = programme_npv(5, 100, 0.8, lifts, 0.1)
    assert out.shape == (3,)
    assert_allclose(out, 95 * multiple(0.8 + lifts, 0.1) - 100 * multiple(0.8, 0.1))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lift": 0.25}, ValueError, "retention \\+ lift must be < 1, got retention=0.8 and lift=0.25"),
        ({"lift": -0.01}, ValueError, r"lift must be in \[0, inf\)"),
        ({"customers": -1}, ValueError, r"customers must be in \[0, inf\)"),
        ({"fixed_cost": -1}, ValueError, r"fixed_cost must be in \[0, inf\)"),
        ({"margin": -5}, ValueError, r"margin must be in \(0, inf\)"),
    ],
)
def test_programme_npv_errors(kwargs, error, match):
    args = {"points_cost_per_customer": 5, "margin": 100, "retention": 0.8, "lift": 0.02, "discount_rate": 0.1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        programme_npv(**args)


def test_programme_npv_horizon():
    # an empty horizon counts no margin at all: only the one-off costs remain
    assert programme_npv(5, 100, 0.8, 0.02, 0.1, customers=10, upfront_cost_per_customer=2, horizon=0) == -20.0
    with pytest.raises(ValueError, match="horizon must be an integer >= 0, got -1"):
        programme_npv(5, 100, 0.8, 0.02, 0.1, horizon=-1)
    with pytest.raises(ValueError, match="horizon must be a whole number"):
        programme_npv(5, 100, 0.8, 0.02, 0.1, horizon=2.5)


# ---------------------------------------------------------------------------------------------
# copycat
# ---------------------------------------------------------------------------------------------
def copycat_loop(c, m, r, u, d, kappa, periods, n0, inflow, learn, k, f0):
    total = -n0 * k - f0
    n, w = n0, n0
    rows = []
    for t in range(1, periods + 1):
        lift = u * (1 - kappa) ** (t - 1) + learn
        n = (r + lift) * n + inflow
        w = r * w + inflow
        inc = n * (m - c) - inflow * k - w * m
        total += inc / (1 + d) ** t
        rows.append((lift, n, w, inc, total))
    return np.array(rows)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"copy_rate": 0.5},
        {"copy_rate": 0.0},
        {"copy_rate": 1.0, "learning_lift": 0.02},
        {"copy_rate": 0.3, "learning_lift": 0.01, "upfront_cost_per_customer": 4.0, "fixed_cost": 500.0},
        {"copy_rate": 0.2, "new_customers": 50.0, "customers": 300.0},
    ],
)
def test_copycat_matches_a_loop(kwargs):
    args = dict(points_cost_per_customer=5, margin=100, retention=0.8, lift=0.03, discount_rate=0.1, periods=12)
    args.update(kwargs)
    table = copycat(**args)
    n0 = args.get("customers", 1000.0)
    inflow = args.get("new_customers", n0 * (1 - 0.8))
    expected = copycat_loop(
        5, 100, 0.8, 0.03, 0.1, args["copy_rate"], 12, n0, inflow,
        args.get("learning_lift", 0.0), args.get("upfront_cost_per_customer", 0.0), args.get("fixed_cost", 0.0),
    )
    got = table[["lift", "customers", "customers_without", "incremental", "cumulative_npv"]].to_numpy()
    assert_allclose(got, expected, rtol=1e-12, atol=1e-8)
    assert table.index.tolist() == list(range(1, 13))
    assert_allclose(table["points_cost"], table["customers"] * 5)
    assert_allclose(table["discounted"], table["incremental"] / 1.1 ** np.arange(1, 13))


def test_copycat_long_run_levels():
    # never copied: the base settles at A / (1 - r - lift) and earns a fixed surplus for good
    t = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.0, periods=400)
    inflow = 1000 * 0.2
    assert_allclose(t["customers"].iloc[-1], inflow / (1 - 0.83), rtol=1e-9)
    assert_allclose(t["incremental"].iloc[-1], inflow * 95 / 0.17 - inflow * 100 / 0.2, rtol=1e-9)
    # copied at once: from period 2 the lift is gone and the base drifts back; the loss tends to c * N0
    t = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=1.0, periods=400)
    assert (t["lift"].iloc[1:] == 0).all()
    assert_allclose(t["incremental"].iloc[-1], -5 * 1000, rtol=1e-9)
    assert t["cumulative_npv"].iloc[-1] < 0
    assert_allclose(t["copied_share"].iloc[1:], 1.0)


def test_learning_lift_keeps_the_programme_profitable():
    copied = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.5, periods=30)
    learning = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.5, periods=30, learning_lift=0.02)
    assert copied["cumulative_npv"].iloc[-1] < 0 < learning["cumulative_npv"].iloc[-1]
    assert_allclose(learning["lift"].iloc[-1], 0.02, atol=1e-8)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"copy_rate": 1.5}, ValueError, r"copy_rate must be in \[0, 1\], got 1.5"),
        ({"copy_rate": -0.1}, ValueError, r"copy_rate must be in \[0, 1\]"),
        ({"lift": 0.15, "learning_lift": 0.06}, ValueError, "retention \\+ lift \\+ learning_lift must be < 1"),
        ({"periods": 0}, ValueError, "periods must be an integer >= 1"),
        ({"learning_lift": -0.01}, ValueError, r"learning_lift must be in \[0, inf\)"),
        ({"new_customers": -5}, ValueError, r"new_customers must be in \[0, inf\)"),
        ({"margin": [100, 200]}, TypeError, "margin must be a single number"),
        ({"retention": 1.0}, ValueError, r"retention must be in \[0, 1\)"),
    ],
)
def test_copycat_errors(kwargs, error, match):
    args = dict(points_cost_per_customer=5, margin=100, retention=0.8, lift=0.03, discount_rate=0.1, copy_rate=0.5)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        copycat(**args)


# ---------------------------------------------------------------------------------------------
# win-back
# ---------------------------------------------------------------------------------------------
def test_winback_by_hand():
    wb = winback_value(500, 0.12, 30, 400)
    assert isinstance(wb, WinBack)
    assert (wb.expected_won, wb.cost, wb.value_won, wb.net_value) == (60.0, 15000.0, 24000.0, 9000.0)
    assert_allclose([wb.breakeven_win_rate, wb.cost_per_win], [0.075, 250.0])
    # at the break-even win rate the campaign nets zero
    assert_allclose(winback_value(500, wb.breakeven_win_rate, 30, 400).net_value, 0.0, atol=1e-9)


def test_winback_vectorised_and_zero_win_rate():
    wb = winback_value(100, np.array([0.0, 0.1, 0.5]), np.array([20.0, 20.0, 0.0]), 300)
    assert_allclose(wb.net_value, [-2000.0, 1000.0, 15000.0])
    assert wb.cost_per_win[0] == math.inf
    assert_allclose(wb.cost_per_win[1:], [200.0, 0.0])
    assert winback_value(10, 0.0, 0.0, 100).cost_per_win == 0.0


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1, 0.1, 10, 100), ValueError, r"lost_customers must be in \[0, inf\)"),
        ((10, 1.1, 10, 100), ValueError, r"win_rate must be in \[0, 1\], got 1.1"),
        ((10, 0.1, -1, 100), ValueError, r"cost_per_attempt must be in \[0, inf\)"),
        ((10, 0.1, 10, 0), ValueError, r"clv_after_return must be in \(0, inf\)"),
        ((10, np.nan, 10, 100), ValueError, "win_rate must be a number, got NaN"),
        ((10, 0.1, "10", 100), TypeError, "cost_per_attempt must be a number"),
    ],
)
def test_winback_errors(args, error, match):
    with pytest.raises(error, match=match):
        winback_value(*args)
