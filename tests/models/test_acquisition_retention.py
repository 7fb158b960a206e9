"""Blattberg and Deighton's customer-equity test (issue 14): the formula, its optimum, its errors."""

from __future__ import annotations

import numpy as np
import pytest

from coursekit.models import acquisition_retention as ar

CURVES = dict(margin=150, acquisition=(0.10, ar.slope_from_judgement(8, 0.05, 0.10)),
              retention=(0.85, ar.slope_from_judgement(25, 0.6, 0.85)), discount_rate=0.10)


def _year_by_year(a_spend, r_spend, margin, acquisition, retention, discount_rate, years=2_000):
    """The equity summed year by year: a prospect, then R spent on each customer alive at a year's start."""
    a = ar.response_rate(a_spend, *acquisition)
    r = ar.response_rate(r_spend, *retention) if r_spend > 0 else 0.0
    total, alive = a * margin - a_spend, a
    for t in range(1, years):
        cost = alive * r_spend                       # spent on everyone who starts the year
        alive *= r
        total += (alive * margin - cost) / (1 + discount_rate) ** t
    return total


@pytest.mark.parametrize("a_spend, r_spend", [(0, 0), (5, 10), (13, 55), (40, 120)])
def test_the_formula_is_the_year_by_year_sum(a_spend, r_spend):
    """Blattberg & Deighton's closed form, with R/r per retained customer, equals the explicit sum.

    The explicit sum discounts year t's spending with year t's margin (both at the end of the year), which is
    the timing the closed form assumes."""
    assert ar.customer_equity(a_spend, r_spend, **CURVES) == pytest.approx(_year_by_year(a_spend, r_spend, **CURVES))


def test_the_optimum_beats_a_fine_grid_and_satisfies_its_first_order_condition():
    best = ar.optimal_spending(**CURVES)
    a_grid, r_grid = np.linspace(0, 60, 601), np.linspace(0, 150, 1501)
    equity = ar.customer_equity(a_grid[:, None], r_grid[None, :], **CURVES)
    assert best.equity >= equity.max() - 1e-9
    i, j = np.unravel_index(equity.argmax(), equity.shape)
    assert abs(a_grid[i] - best.acquisition_spend) <= 0.1 and abs(r_grid[j] - best.retention_spend) <= 0.1
    ceiling, slope = CURVES["acquisition"]
    assert ceiling * slope * np.exp(-slope * best.acquisition_spend) * best.customer_value == pytest.approx(1)
    assert best.equity == pytest.approx(ar.customer_equity(best.acquisition_spend, best.retention_spend, **CURVES))


def test_cheaper_retention_does_not_mean_spend_everything_on_retention():
    best = ar.optimal_spending(**CURVES)
    per_retained, per_acquired = best.retention_spend / best.retention_rate, best.acquisition_spend / best.acquisition_rate
    assert per_retained < per_acquired / 2                       # "retention is cheaper" holds on average...
    more = ar.customer_equity(best.acquisition_spend, best.retention_spend + 30, **CURVES)
    assert more < best.equity                                    # ...yet more retention money loses equity


def test_nothing_is_spent_where_nothing_pays():
    poor = ar.optimal_spending(margin=10, acquisition=(0.05, 0.01), retention=(0.3, 0.01), discount_rate=0.1)
    assert poor.acquisition_spend == 0 and poor.retention_spend == 0 and poor.equity == 0
    assert poor.customer_value == pytest.approx(10)


def test_slope_from_judgement_reproduces_the_judgement():
    k = ar.slope_from_judgement(30, 0.5, 0.8)
    assert ar.response_rate(30, 0.8, k) == pytest.approx(0.5)
    np.testing.assert_allclose(ar.response_rate(np.array([0.0, 1e6]), 0.8, k), [0.0, 0.8])


@pytest.mark.parametrize("call, error, match", [
    (lambda: ar.slope_from_judgement(30, 0.9, 0.8), ValueError, "below the ceiling"),
    (lambda: ar.slope_from_judgement(0, 0.5, 0.8), ValueError, "spend"),
    (lambda: ar.response_rate(-1, 0.8, 0.1), ValueError, "spend"),
    (lambda: ar.response_rate(1, 1.2, 0.1), ValueError, "ceiling"),
    (lambda: ar.customer_equity(1, 1, margin=100, acquisition=0.2, retention=(0.8, 0.1), discount_rate=0.1),
     TypeError, "acquisition must be a pair"),
    (lambda: ar.customer_equity(1, 1, margin=0, acquisition=(0.2, 0.1), retention=(0.8, 0.1), discount_rate=0.1),
     ValueError, "margin"),
    (lambda: ar.optimal_spending(margin=100, acquisition=(0.2, 0.1), retention=(0.8, 0.1), discount_rate=1.5),
     ValueError, "discount_rate"),
])
def test_bad_input_is_refused(call, error, match):
    with pytest.raises(error, match=match):
        call()
