"""Tests of coursekit.models.allocation: the response model, the optimiser's optimality and the errors."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.models.allocation import (
    BERRY_INSTRUMENTS,
    EXAMPLE_SEGMENTS,
    RETENTION_LEVELS,
    BudgetAllocation,
    allocate_budget,
    customer_equity,
    even_split,
    retention_lift,
)
from coursekit.models.clv import margin_multiple


def segments(**columns):
    base = {"segment": ["A", "B"], "customers": [1000, 500], "margin": [50.0, 120.0], "retention": [0.7, 0.8]}
    base.update(columns)
    return pd.DataFrame(base)


def instruments(**columns):
    base = {"instrument": ["financial", "structural"], "max_lift": [0.03, 0.06], "cost_per_customer": [10.0, 60.0]}
    base.update(columns)
    return pd.DataFrame(base)


def equity_by_hand(seg, inst, spend, d):
    """Plain loops over the definition, for comparison."""
    total = 0.0
    for i, srow in enumerate(seg.itertuples()):
        r = srow.retention
        for j, irow in enumerate(inst.itertuples()):
            x = spend[i][j] / srow.customers
            r += irow.max_lift * (1 - math.exp(-x / irow.cost_per_customer))
        total += srow.customers * srow.margin * r / (1 + d - r)
    return total


# ---------------------------------------------------------------------------------------------
# tables and the response
# ---------------------------------------------------------------------------------------------
def test_berry_tables():
    assert RETENTION_LEVELS["instrument"].tolist() == ["financial", "social", "structural"]
    assert RETENTION_LEVELS["level"].tolist() == [1, 2, 3]
    assert BERRY_INSTRUMENTS["instrument"].tolist() == ["financial", "social", "structural"]
    assert EXAMPLE_SEGMENTS["segment"].tolist() == ["I", "II", "III", "IV"]


def test_retention_lift_by_hand():
    assert_allclose(retention_lift(30, 0.04, 30), 0.04 * (1 - math.exp(-1)))
    assert retention_lift(0, 0.04, 30) == 0.0
    assert_allclose(retention_lift([10, 20], [0.02, 0.05], 10), [0.02 * (1 - math.exp(-1)), 0.05 * (1 - math.exp(-2))])
    # diminishing returns: each extra 10 buys less
    steps = np.diff(retention_lift(np.arange(0, 100, 10), 0.05, 25))
    assert (np.diff(steps) < 0).all()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1, 0.04, 30), r"spend_per_customer must be in \[0, inf\)"),
        ((10, 1.0, 30), r"max_lift must be in \[0, 1\)"),
        ((10, 0.04, 0), r"cost_per_customer must be in \(0, inf\)"),
        ((10, 0.04, -5), r"cost_per_customer must be in \(0, inf\)"),
    ],
)
def test_retention_lift_errors(args, match):
    with pytest.raises(ValueError, match=match):
        retention_lift(*args)


def test_customer_equity_without_spend_uses_the_margin_multiple():
    seg = segments()
    expected = 1000 * 50 * margin_multiple(0.7, 0.1) + 500 * 120 * margin_multiple(0.8, 0.1)
    assert_allclose(customer_equity(seg, instruments()), expected, rtol=1e-13)
    # 1000*50*0.7/0.4 + 500*120*0.8/0.3 = 87500 + 160000
    assert_allclose(customer_equity(seg, instruments()), 247500.0)


def test_customer_equity_with_spend_matches_loops():
    seg, inst = segments(), instruments()
    spend = [[10000.0, 5000.0], [0.0, 30000.0]]
    assert_allclose(customer_equity(seg, inst, spend, 0.1), equity_by_hand(seg, inst, spend, 0.1), rtol=1e-13)
    frame = pd.DataFrame(spend, index=["A", "B"], columns=["financial", "structural"])
    # labels are matched, whatever the order
    shuffled = frame.loc[["B", "A"], ["structural", "financial"]]
    assert_allclose(customer_equity(seg, inst, shuffled, 0.1), equity_by_hand(seg, inst, spend, 0.1), rtol=1e-13)


# ---------------------------------------------------------------------------------------------
# even split
# ---------------------------------------------------------------------------------------------
def test_even_split_by_customer_and_by_cell():
    seg, inst = segments(), instruments()
    by_customer = even_split(seg, inst, 30000)
    # 1000 and 500 customers: 20000 and 10000, each split over 2 instruments
    assert_allclose(by_customer.to_numpy(), [[10000, 10000], [5000, 5000]])
    assert by_customer.index.tolist() == ["A", "B"]
    assert by_customer.columns.tolist() == ["financial", "structural"]
    by_cell = even_split(seg, inst, 30000, by="cell")
    assert_allclose(by_cell.to_numpy(), np.full((2, 2), 7500.0))
    with pytest.raises(ValueError, match="by must be one of 'customer', 'cell'; got 'segment'"):
        even_split(seg, inst, 100, by="segment")


# ---------------------------------------------------------------------------------------------
# the optimiser
# ---------------------------------------------------------------------------------------------
def test_result_is_feasible_and_consistent():
    seg, inst = segments(), instruments()
    result = allocate_budget(seg, inst, 40000, discount_rate=0.1)
    assert isinstance(result, BudgetAllocation)
    spend = result.spend.to_numpy()
    assert (spend >= 0).all()
    assert_allclose(spend.sum(), 40000, rtol=1e-12)
    assert_allclose(result.equity, customer_equity(seg, inst, result.spend, 0.1), rtol=1e-12)
    assert_allclose(result.even_split_equity, customer_equity(seg, inst, even_split(seg, inst, 40000), 0.1))
    assert_allclose(result.no_spend_equity, customer_equity(seg, inst))
    assert_allclose(result.gain, result.equity - result.even_split_equity)
    assert result.gain > 0
    assert result.concave
    # tables agree with the spend
    assert_allclose(result.table["spend"].to_numpy(), spend.ravel())
    assert_allclose(result.segments["spend"].to_numpy(), spend.sum(axis=1))
    assert_allclose(result.segments["equity"].sum(), result.equity)
    assert_allclose(
        result.segments["equity_gain"].sum(), result.equity - result.no_spend_equity, rtol=1e-10
    )
    lifts = result.table["lift"].to_numpy().reshape(2, 2)
    assert_allclose(result.segments["retention"].to_numpy(), seg["retention"].to_numpy() + lifts.sum(axis=1))


def test_analytic_gradient_matches_finite_differences():
    seg, inst = segments(), instruments()
    result = allocate_budget(seg, inst, 40000)
    spend = result.spend.to_numpy()
    h = 1e-3
    numeric = []
    for i, j in itertools.product(range(2), range(2)):
        up, down = spend.copy(), spend.copy()
        up[i, j] += h
        down[i, j] = max(down[i, j] - h, 0.0)
        numeric.append(
            (customer_equity(seg, inst, up) - customer_equity(seg, inst, down)) / (up[i, j] - down[i, j])
        )
    assert_allclose(result.table["marginal_return"].to_numpy(), numeric, rtol=1e-5)


@pytest.mark.parametrize("budget", [5000, 40000, 200000])
def test_kkt_equal_marginal_returns(budget):
    result = allocate_budget(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, budget)
    table = result.table
    funded = table["spend"] > 1e-6 * budget
    grad = table["marginal_return"]
    lam = result.marginal_return
    assert funded.sum() >= 1
    # funded cells all earn the shadow price ...
    assert_allclose(grad[funded].to_numpy(), lam, rtol=1e-5)
    # ... and no unfunded cell earns more
    assert (grad[~funded] <= lam * (1 + 1e-5)).all()


def brute_two_cells(seg, inst, budget, cells, n=200001):
    """Grid over the budget split between two cells (all other cells get nothing)."""
    share = np.linspace(0.0, 1.0, n)
    shape = (len(seg), len(inst))
    (i1, j1), (i2, j2) = cells
    # vectorised equity over the grid
    r = np.tile(seg["retention"].to_numpy(float)[:, None], (1, n))
    for (i, j), s in (((i1, j1), share * budget), ((i2, j2), (1 - share) * budget)):
        x = s / seg["customers"].iloc[i]
        r[i] += inst["max_lift"].iloc[j] * (1 - np.exp(-x / inst["cost_per_customer"].iloc[j]))
    nm = (seg["customers"] * seg["margin"]).to_numpy(float)[:, None]
    values = (nm * r / (1.1 - r)).sum(axis=0)
    k = int(np.argmax(values))
    best = values[k]
    spend = np.zeros(shape)
    spend[i1, j1] += share[k] * budget
    spend[i2, j2] += (1 - share[k]) * budget
    return best, spend


def test_matches_brute_force_one_segment_two_instruments():
    seg = segments().iloc[[1]].reset_index(drop=True)
    inst = instruments()
    result = allocate_budget(seg, inst, 20000, discount_rate=0.1)
    best, spend = brute_two_cells(seg, inst, 20000, [(0, 0), (0, 1)])
    assert_allclose(result.equity, best, rtol=1e-9)
    assert result.equity >= best - 1e-6
    assert_allclose(result.spend.to_numpy(), spend, atol=20000 / 200000 * 2)


def test_matches_brute_force_two_segments_one_instrument():
    seg = segments()
    inst = instruments().iloc[[0]].reset_index(drop=True)
    result = allocate_budget(seg, inst, 15000, discount_rate=0.1)
    best, spend = brute_two_cells(seg, inst, 15000, [(0, 0), (1, 0)])
    assert_allclose(result.equity, best, rtol=1e-9)
    assert result.equity >= best - 1e-6
    assert_allclose(result.spend.to_numpy(), spend, atol=15000 / 200000 * 2)


def test_matches_brute_force_three_cells_on_a_simplex_grid():
    seg = segments(segment=["A", "B"])
    inst = instruments().iloc[[0]].reset_index(drop=True)
    seg3 = pd.concat([seg, pd.DataFrame({"segment": ["C"], "customers": [300], "margin": [200.0], "retention": [0.85]})])
    seg3 = seg3.reset_index(drop=True)
    budget = 12000.0
    result = allocate_budget(seg3, inst, budget)
    # every split of the budget in steps of budget / 1000 (about 500,000 points), vectorised
    k = 1000
    a, b = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    keep = a + b <= k
    spend = np.stack([a[keep], b[keep], k - a[keep] - b[keep]]) * (budget / k)  # (3, points)
    n = seg3["customers"].to_numpy(float)[:, None]
    m = seg3["margin"].to_numpy(float)[:, None]
    r = seg3["retention"].to_numpy(float)[:, None] + 0.03 * (1 - np.exp(-spend / n / 10.0))
    grid = (n * m * r / (1.1 - r)).sum(axis=0)
    best = grid.max()
    assert result.equity >= best - 1e-6
    assert_allclose(result.equity, best, rtol=1e-7)
    assert_allclose(result.spend.to_numpy().ravel(), spend[:, np.argmax(grid)], atol=2 * budget / k)


def test_beats_even_splits_and_random_allocations():
    rng = np.random.default_rng(3)
    budget = 150000
    result = allocate_budget(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, budget)
    for by in ("customer", "cell"):
        assert result.equity > customer_equity(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, even_split(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, budget, by=by))
    shares = rng.dirichlet(np.ones(12), size=300)
    for w in shares:
        assert result.equity >= customer_equity(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, budget * w.reshape(4, 3))
    assert result.concave


def test_even_by_cell_baseline():
    result = allocate_budget(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, 100000, even_by="cell")
    expected = customer_equity(
        EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, even_split(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, 100000, by="cell")
    )
    assert_allclose(result.even_split_equity, expected)


def test_zero_budget():
    result = allocate_budget(segments(), instruments(), 0)
    assert (result.spend.to_numpy() == 0).all()
    assert_allclose(result.equity, result.no_spend_equity)
    assert result.gain == 0.0


def test_per_segment_instruments():
    seg = segments()
    inst = pd.DataFrame(
        {
            "segment": ["A", "A", "B", "B"],
            "instrument": ["financial", "structural", "financial", "structural"],
            "max_lift": [0.05, 0.0, 0.0, 0.08],
            "cost_per_customer": [10.0, 50.0, 10.0, 40.0],
        }
    )
    result = allocate_budget(seg, inst, 30000)
    spend = result.spend
    # instruments without effect get nothing
    assert spend.loc["A", "structural"] < 1e-6 and spend.loc["B", "financial"] < 1e-6
    # the two effective cells share the budget with equal marginal returns
    table = result.table.set_index(["segment", "instrument"])
    assert_allclose(
        table.loc[("A", "financial"), "marginal_return"], table.loc[("B", "structural"), "marginal_return"], rtol=1e-5
    )
    # rows in another order give the same answer
    again = allocate_budget(seg, inst.iloc[::-1], 30000)
    assert again.spend.columns.tolist() == ["structural", "financial"]
    assert_allclose(again.spend.loc[spend.index, spend.columns].to_numpy(), spend.to_numpy(), atol=1e-3)


def test_non_concave_case_is_flagged_and_still_good():
    # a big lift on a high base retention: increasing returns near zero spend
    seg = pd.DataFrame({"segment": ["A", "B"], "customers": [100, 100], "margin": [100.0, 100.0], "retention": [0.85, 0.5]})
    inst = pd.DataFrame({"instrument": ["x"], "max_lift": [0.14], "cost_per_customer": [50.0]})
    result = allocate_budget(seg, inst, 20000)
    assert not result.concave
    best, _ = brute_two_cells(seg, inst, 20000, [(0, 0), (1, 0)])
    assert_allclose(result.equity, best, rtol=1e-8)


def test_ten_segments_three_instruments():
    rng = np.random.default_rng(11)
    seg = pd.DataFrame(
        {
            "segment": [f"S{k}" for k in range(10)],
            "customers": rng.integers(200, 5000, 10),
            "margin": rng.uniform(20, 300, 10),
            "retention": rng.uniform(0.5, 0.85, 10),
        }
    )
    result = allocate_budget(seg, BERRY_INSTRUMENTS, 250000)
    assert result.spend.shape == (10, 3)
    assert_allclose(result.spend.to_numpy().sum(), 250000)
    funded = result.table["spend"] > 1e-6 * 250000
    assert_allclose(result.table.loc[funded, "marginal_return"], result.marginal_return, rtol=1e-5)
    assert (result.table.loc[~funded, "marginal_return"] <= result.marginal_return * (1 + 1e-5)).all()
    assert result.gain > 0


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seg", "inst", "kwargs", "error", "match"),
    [
        (None, None, {"budget": -1}, ValueError, r"budget must be in \[0, inf\), got -1"),
        (None, None, {"budget": np.nan}, ValueError, "budget must be a number, got NaN"),
        (None, None, {"budget": [1, 2]}, TypeError, "budget must be a single number"),
        ({"retention": [0.7, 1.0]}, None, {}, ValueError, r'segments\["retention"\] must be in \[0, 1\), got 1'),
        ({"retention": [-0.1, 0.5]}, None, {}, ValueError, r'segments\["retention"\] must be in \[0, 1\)'),
        ({"customers": [0, 10]}, None, {}, ValueError, r'segments\["customers"\] must be in \(0, inf\)'),
        ({"margin": [-5.0, 10.0]}, None, {}, ValueError, r'segments\["margin"\] must be in \[0, inf\)'),
        ({"segment": ["A", "A"]}, None, {}, ValueError, "must name each segment once"),
        (None, {"cost_per_customer": [-10.0, 60.0]}, {}, ValueError, r'instruments\["cost_per_customer"\] must be in \(0, inf\), got -10'),
        (None, {"cost_per_customer": [0.0, 60.0]}, {}, ValueError, r'instruments\["cost_per_customer"\] must be in \(0, inf\)'),
        (None, {"max_lift": [-0.01, 0.06]}, {}, ValueError, r'instruments\["max_lift"\] must be in \[0, inf\)'),
        (None, {"max_lift": [0.2, 0.1]}, {}, ValueError, "must stay below 1 in every segment"),
        (None, {"instrument": ["x", "x"]}, {}, ValueError, "must name each instrument once"),
        (None, None, {"discount_rate": -0.1}, ValueError, r"discount_rate must be in \[0, inf\)"),
        (None, None, {"even_by": "segment"}, ValueError, "by must be one of"),
    ],
)
def test_allocate_budget_errors(seg, inst, kwargs, error, match):
    s = segments(**(seg or {}))
    i = instruments(**(inst or {}))
    kwargs = {"budget": 1000, **kwargs}
    with pytest.raises(error, match=match):
        allocate_budget(s, i, **kwargs)


def test_table_errors():
    with pytest.raises(TypeError, match="segments must be a pandas DataFrame, got dict"):
        allocate_budget({"segment": ["A"]}, instruments(), 100)
    with pytest.raises(ValueError, match=r"segments must have the columns .* \(missing \['margin'\]\)"):
        allocate_budget(segments().drop(columns="margin"), instruments(), 100)
    with pytest.raises(ValueError, match="instruments must have the columns"):
        allocate_budget(segments(), instruments().drop(columns="max_lift"), 100)
    with pytest.raises(ValueError, match="segments must have at least one row"):
        allocate_budget(segments().iloc[:0], instruments(), 100)
    with pytest.raises(ValueError, match="instruments must have at least one row"):
        allocate_budget(segments(), instruments().iloc[:0], 100)
    per_segment = pd.DataFrame(
        {"segment": ["A", "B", "B"], "instrument": ["f", "f", "f"], "max_lift": [0.01] * 3, "cost_per_customer": [1.0] * 3}
    )
    with pytest.raises(ValueError, match="every \\(segment, instrument\\) pair exactly once"):
        allocate_budget(segments(), per_segment, 100)
    unknown = per_segment.assign(segment=["A", "B", "Z"], instrument=["f", "f", "g"])
    with pytest.raises(ValueError, match="unknown \\['Z'\\]"):
        allocate_budget(segments(), unknown, 100)


def test_spend_table_errors():
    with pytest.raises(ValueError, match=r"spend must have shape \(2, 2\)"):
        customer_equity(segments(), instruments(), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"spend must be in \[0, inf\)"):
        customer_equity(segments(), instruments(), [[-1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="missing segments \\['B'\\]"):
        customer_equity(segments(), instruments(), pd.DataFrame({"financial": [1.0], "structural": [1.0]}, index=["A"]))
    with pytest.raises(ValueError, match=r"budget must be in \[0, inf\)"):
        even_split(segments(), instruments(), -5)
