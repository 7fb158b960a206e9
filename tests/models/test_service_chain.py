"""Tests of coursekit.models.service_chain: the links by hand, the recursion, the stochastic option."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.models.service_chain import (
    ChainParameters,
    compare_investment,
    customer_retention,
    employee_retention,
    service_quality,
    simulate_chain,
)


# ---------------------------------------------------------------------------------------------
# links
# ---------------------------------------------------------------------------------------------
def test_links_by_hand():
    assert employee_retention(0) == 0.6
    assert_allclose(employee_retention(2000), 0.6 + 0.3 * (1 - math.exp(-1)))
    assert_allclose(employee_retention([0, 1e9]), [0.6, 0.9])
    assert_allclose(service_quality(0.6), 0.4 + 0.6 * 0.6)
    assert_allclose(service_quality([0, 1]), [0.4, 1.0])
    assert_allclose(customer_retention(0.76), 0.5 + 0.4 * 0.76)
    assert_allclose(customer_retention([0, 1]), [0.5, 0.9])


def test_links_use_the_parameters():
    p = ChainParameters(employee_retention_min=0.5, employee_retention_max=0.7, investment_scale=100,
                        quality_floor=0.2, customer_retention_min=0.3, customer_retention_max=0.6)
    assert_allclose(employee_retention(100, p), 0.5 + 0.2 * (1 - math.exp(-1)))
    assert_allclose(service_quality(0.5, p), 0.2 + 0.8 * 0.5)
    assert_allclose(customer_retention(0.5, p), 0.45)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: employee_retention(-1), ValueError, r"investment_per_employee must be in \[0, inf\)"),
        (lambda: service_quality(1.2), ValueError, r"experienced_share must be in \[0, 1\], got 1.2"),
        (lambda: customer_retention(np.nan), ValueError, "quality must be a number, got NaN"),
        (lambda: customer_retention(0.5, params={"margin": 1}), TypeError, "params must be a ChainParameters"),
        (lambda: ChainParameters(employee_retention_max=0.5), ValueError, r"employee_retention_max must be in \[0.6, 1\]"),
        (lambda: ChainParameters(customer_retention_max=1.0), ValueError, r"customer_retention_max must be in \[0.5, 1\)"),
        (lambda: ChainParameters(investment_scale=0), ValueError, r"investment_scale must be in \(0, inf\)"),
        (lambda: ChainParameters(margin=-1), ValueError, r"margin must be in \[0, inf\)"),
        (lambda: ChainParameters(margin=[1, 2]), TypeError, "margin must be a single number"),
        (lambda: ChainParameters(quality_floor="high"), TypeError, "quality_floor must be a number"),
    ],
)
def test_link_and_parameter_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# the deterministic chain
# ---------------------------------------------------------------------------------------------
def chain_loop(periods, invest, x0, n0, p):
    """The recursion written out with plain floats."""
    rows = []
    x, n = x0, n0
    for t in range(periods):
        e = p.employee_retention_min + (p.employee_retention_max - p.employee_retention_min) * (
            1 - math.exp(-invest[t] / p.investment_scale)
        )
        q = p.quality_floor + (1 - p.quality_floor) * x
        r = p.customer_retention_min + (p.customer_retention_max - p.customer_retention_min) * q
        staff = n / p.customers_per_employee
        profit = n * p.margin - invest[t] * staff - (1 - e) * staff * p.replacement_cost - p.new_customers * p.acquisition_cost
        rows.append((e, x, q, r, n, staff, profit, profit / (1 + p.discount_rate) ** t))
        x = e
        n = r * n + p.new_customers
    return np.array(rows)


@pytest.mark.parametrize(
    ("invest", "x0"),
    [(0.0, None), (2000.0, 0.6), ([0.0] * 5 + [3000.0] * 7, None), (500.0, 0.3)],
)
def test_deterministic_chain_matches_the_loop(invest, x0):
    p = ChainParameters()
    periods = 12
    path = np.broadcast_to(np.asarray(invest, dtype=float), (periods,))
    start_x = employee_retention(path[0]) if x0 is None else x0
    expected = chain_loop(periods, path, start_x, 10000.0, p)
    table = simulate_chain(periods, invest, initial_experienced=x0)
    columns = ["employee_retention", "experienced_share", "service_quality", "customer_retention",
               "customers", "employees", "profit", "discounted_profit"]
    assert_allclose(table[columns].to_numpy(), expected, rtol=1e-12)
    assert_allclose(table["cumulative_discounted_profit"], np.cumsum(expected[:, -1]), rtol=1e-12)
    assert table.index.name == "year" and table.index.tolist() == list(range(periods))


def test_year_zero_by_hand():
    row = simulate_chain(1).iloc[0]
    # x = 0.6, q = 0.76, r = 0.804, 100 employees, 40 leavers
    assert_allclose(row[["experienced_share", "service_quality", "customer_retention"]].to_numpy(float), [0.6, 0.76, 0.804])
    assert_allclose(row["profit"], 10000 * 200 - 0 - 0.4 * 100 * 10000 - 2000 * 150)


def test_steady_state_and_internal_marketing_raises_retention():
    base = simulate_chain(200)
    invest = simulate_chain(200, 2000.0)
    r_base = 0.5 + 0.4 * (0.4 + 0.6 * 0.6)
    e = 0.6 + 0.3 * (1 - math.exp(-1))
    r_inv = 0.5 + 0.4 * (0.4 + 0.6 * e)
    assert_allclose(base["customer_retention"].iloc[-1], r_base)
    assert_allclose(invest["customer_retention"].iloc[-1], r_inv)
    assert_allclose(base["customers"].iloc[-1], 2000 / (1 - r_base), rtol=1e-9)
    assert_allclose(invest["customers"].iloc[-1], 2000 / (1 - r_inv), rtol=1e-9)
    assert invest["customer_retention"].iloc[-1] > base["customer_retention"].iloc[-1]


def test_quality_reacts_one_year_after_the_policy():
    path = [0.0] * 3 + [2000.0] * 3
    table = simulate_chain(6, path)
    e = table["employee_retention"].to_numpy()
    assert_allclose(table["experienced_share"].to_numpy()[1:], e[:-1])
    r = table["customer_retention"].to_numpy()
    assert r[3] == r[2] and r[4] > r[3]


def test_compare_investment_rows_equal_single_runs():
    table = compare_investment([0, 2000, 8000], periods=15)
    assert table.index.tolist() == [0.0, 2000.0, 8000.0]
    for level in (0.0, 2000.0, 8000.0):
        run = simulate_chain(15, level, initial_experienced=0.6)
        assert_allclose(table.loc[level, "npv"], run["cumulative_discounted_profit"].iloc[-1])
        assert_allclose(table.loc[level, "customer_retention"], run["customer_retention"].iloc[-1])
    assert table["customer_retention"].is_monotonic_increasing
    assert table["employee_retention"].is_monotonic_increasing


# ---------------------------------------------------------------------------------------------
# the stochastic chain
# ---------------------------------------------------------------------------------------------
def test_stochastic_runs_are_reproducible_and_whole():
    a = simulate_chain(10, 2000, stochastic=True, seed=3)
    b = simulate_chain(10, 2000, stochastic=True, seed=3)
    pd.testing.assert_frame_equal(a, b)
    for column in ("customers", "new_customers", "employees"):
        assert (a[column] == np.round(a[column])).all()
    # customers follow the flows: N[t+1] = kept + new
    kept = a["customer_retention"] * a["customers"]
    assert_allclose(a["customers"].to_numpy()[1:], (kept + a["new_customers"]).to_numpy()[:-1])
    assert not simulate_chain(10, 2000, stochastic=True, seed=4).equals(a)


def test_stochastic_mean_is_close_to_the_expected_path():
    expected = simulate_chain(8, 2000, initial_experienced=0.6)
    runs = np.array(
        [simulate_chain(8, 2000, initial_experienced=0.6, stochastic=True, seed=s)["customers"].to_numpy() for s in range(300)]
    )
    # the recursion is linear in customers given quality; averaging 300 runs leaves ~0.2 % noise
    assert_allclose(runs.mean(axis=0), expected["customers"].to_numpy(), rtol=0.01)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"periods": 0}, ValueError, "periods must be an integer >= 1"),
        ({"internal_investment": -5}, ValueError, r"internal_investment must be in \[0, inf\)"),
        ({"internal_investment": [0, 1]}, ValueError, r"one per year \(5 values\), got shape \(2,\)"),
        ({"initial_customers": -1}, ValueError, r"initial_customers must be in \[0, inf\)"),
        ({"initial_experienced": 1.5}, ValueError, r"initial_experienced must be in \[0, 1\]"),
        ({"seed": 1}, ValueError, "seed applies only to a stochastic run"),
        ({"stochastic": "yes"}, TypeError, "stochastic must be True or False"),
        ({"stochastic": True, "seed": -1}, ValueError, "seed must be a non-negative integer"),
        ({"stochastic": True, "seed": 1.5}, TypeError, "seed must be None, a non-negative integer"),
        ({"params": 3}, TypeError, "params must be a ChainParameters or None"),
    ],
)
def test_simulate_chain_errors(kwargs, error, match):
    args = {"periods": 5, **kwargs}
    with pytest.raises(error, match=match):
        simulate_chain(**args)


def test_compare_investment_errors():
    with pytest.raises(ValueError, match=r"levels must be in \[0, inf\)"):
        compare_investment([0, -1])
    with pytest.raises(ValueError, match="levels must be a non-empty 1-D sequence"):
        compare_investment([])
    with pytest.raises(ValueError, match="levels must be a non-empty 1-D sequence"):
        compare_investment([[0, 1], [2, 3]])
