"""Tests of coursekit.models.value_matrix: quadrants, strategy table and the two value axes from data."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data import load_orders
from coursekit.models.value_matrix import (
    QUADRANTS,
    STRATEGY_TABLE,
    current_value_from_orders,
    growth_potential_from_wallet,
    place_customers,
    quadrant_summary,
    value_matrix,
)


# ---------------------------------------------------------------------------------------------
# strategy table
# ---------------------------------------------------------------------------------------------
def test_strategy_table_follows_r1_table_3_3():
    t = STRATEGY_TABLE
    assert t.columns.tolist() == [
        "quadrant",
        "current_value",
        "growth_potential",
        "resource_allocation",
        "retention_strategy",
    ]
    assert t["quadrant"].tolist() == ["I", "II", "III", "IV"]
    assert t["current_value"].tolist() == ["low", "low", "high", "high"]
    assert t["growth_potential"].tolist() == ["low", "high", "low", "high"]
    assert t["resource_allocation"].tolist() == ["none", "moderate", "priority", "top priority"]
    assert "end" in t.loc[0, "retention_strategy"]
    assert "rebuild" in t.loc[1, "retention_strategy"]
    assert "high level" in t.loc[2, "retention_strategy"]
    assert "grow" in t.loc[3, "retention_strategy"]


# ---------------------------------------------------------------------------------------------
# value_matrix
# ---------------------------------------------------------------------------------------------
def test_each_quadrant_by_hand():
    # cuts at 50: (low, low) -> I, (low, high) -> II, (high, low) -> III, (high, high) -> IV
    q = value_matrix([10, 10, 90, 90], [10, 90, 10, 90], current_cut=50, potential_cut=50)
    assert q.tolist() == ["I", "II", "III", "IV"]
    assert q.name == "quadrant"
    assert q.dtype == pd.CategoricalDtype(list(QUADRANTS), ordered=True)
    # the quadrant agrees with the low/high columns of the strategy table
    table = STRATEGY_TABLE.set_index("quadrant")
    for cv, gp, quad in zip([10, 10, 90, 90], [10, 90, 10, 90], q):
        assert table.loc[quad, "current_value"] == ("high" if cv > 50 else "low")
        assert table.loc[quad, "growth_potential"] == ("high" if gp > 50 else "low")


def test_median_cuts_and_ties_count_as_low():
    cv = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # median 3
    gp = np.array([5.0, 4.0, 3.0, 2.0, 1.0])  # median 3
    q = value_matrix(cv, gp)
    # 1,5 -> II; 2,4 -> II; 3,3 -> I (both at the median); 4,2 -> III; 5,1 -> III
    assert q.tolist() == ["II", "II", "I", "III", "III"]
    # default cut equals the explicit median
    assert value_matrix(cv, gp, current_cut=3.0, potential_cut=3.0).tolist() == q.tolist()


def test_even_count_median_splits_in_half():
    rng = np.random.default_rng(0)
    cv, gp = rng.normal(size=1000), rng.normal(size=1000)
    q = value_matrix(cv, gp)
    high_current = q.isin(["III", "IV"]).sum()
    high_potential = q.isin(["II", "IV"]).sum()
    assert high_current == 500 and high_potential == 500


def test_series_index_is_kept():
    cv = pd.Series([5.0, 50.0, 500.0], index=["x", "y", "z"])
    gp = pd.Series([9.0, 1.0, 10.0], index=["x", "y", "z"])
    q = value_matrix(cv, gp)  # medians 50 and 9
    assert q.index.tolist() == ["x", "y", "z"]
    assert q.tolist() == ["I", "I", "IV"]
    # a Series with a plain list takes the Series' index
    assert value_matrix([5.0, 50.0, 500.0], gp).index.tolist() == ["x", "y", "z"]


def test_negative_current_value_is_allowed():
    assert value_matrix([-10.0, 20.0], [1.0, 2.0], current_cut=0.0, potential_cut=1.5).tolist() == ["I", "IV"]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (([1, 2], [1]), {}, ValueError, "one value per customer each, got 2 and 1"),
        (([], []), {}, ValueError, "current_value must hold at least one customer"),
        (([[1, 2]], [[1, 2]]), {}, ValueError, "current_value must be one-dimensional"),
        (([1, np.nan], [1, 2]), {}, ValueError, "current_value must be a number, got NaN"),
        (([1, 2], [1, np.inf]), {}, ValueError, "growth_potential must hold finite numbers"),
        ((["a", "b"], [1, 2]), {}, TypeError, "current_value must be a number"),
        (([1, 2], [1, 2]), {"current_cut": np.nan}, ValueError, "current_cut must be a number, got NaN"),
        (([1, 2], [1, 2]), {"potential_cut": [1, 2]}, TypeError, "potential_cut must be a single number"),
        (([1, 2], [1, 2]), {"potential_cut": np.inf}, ValueError, "potential_cut must be a finite number"),
        ((pd.DataFrame({"a": [1]}), [1]), {}, TypeError, "current_value must be a 1-D sequence"),
    ],
)
def test_value_matrix_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        value_matrix(*args, **kwargs)


def test_mismatched_series_indexes_are_refused():
    with pytest.raises(ValueError, match="same index"):
        value_matrix(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0, 2.0], index=["b", "a"]))


# ---------------------------------------------------------------------------------------------
# place_customers and quadrant_summary
# ---------------------------------------------------------------------------------------------
def test_place_customers_joins_the_strategy():
    cv = pd.Series([10.0, 10.0, 90.0, 90.0], index=list("abcd"))
    gp = pd.Series([10.0, 90.0, 10.0, 90.0], index=list("abcd"))
    placed = place_customers(cv, gp, current_cut=50, potential_cut=50)
    assert placed.index.tolist() == list("abcd")
    assert placed.columns.tolist() == [
        "current_value",
        "growth_potential",
        "quadrant",
        "resource_allocation",
        "retention_strategy",
    ]
    assert placed["quadrant"].tolist() == ["I", "II", "III", "IV"]
    assert placed["resource_allocation"].tolist() == STRATEGY_TABLE["resource_allocation"].tolist()
    assert placed["retention_strategy"].tolist() == STRATEGY_TABLE["retention_strategy"].tolist()
    assert_allclose(placed["current_value"], cv)


def test_quadrant_summary_by_hand():
    cv = [100, 20, 300, 500, 10]
    gp = [5, 80, 10, 90, 1]
    s = quadrant_summary(cv, gp)
    # medians 100 and 10: I = {100, 10}, II = {20}, III = {300}, IV = {500}
    assert s.index.tolist() == ["I", "II", "III", "IV"]
    assert s["customers"].tolist() == [2, 1, 1, 1]
    assert_allclose(s["current_value"], [110, 20, 300, 500])
    assert_allclose(s["share_of_current_value"], np.array([110, 20, 300, 500]) / 930)
    assert_allclose(s["share_of_customers"], [0.4, 0.2, 0.2, 0.2])
    assert_allclose(s["growth_potential"], [6, 80, 10, 90])


def test_quadrant_summary_keeps_empty_quadrants_and_zero_total():
    s = quadrant_summary([0.0, 0.0], [1.0, 2.0])
    assert s["customers"].tolist() == [1, 1, 0, 0]
    assert s["share_of_current_value"].isna().all()


# ---------------------------------------------------------------------------------------------
# current value from orders
# ---------------------------------------------------------------------------------------------
def _orders():
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c", "d", "b"],
            "order_date": pd.to_datetime(
                ["2022-12-31", "2023-01-01", "2023-06-30", "2023-12-31", "2024-01-05", "2022-06-01"]
            ),
            "amount": [1000.0, 50.0, 80.0, 40.0, 70.0, 30.0],
        }
    )


def test_current_value_window_boundaries():
    cv = current_value_from_orders(_orders(), margin_rate=0.5, as_of="2023-12-31")
    # window (2022-12-31, 2023-12-31]: a's order on 2022-12-31 is out, 2023-06-30 in;
    # b: 2023-01-01 in; c: 2023-12-31 in; d only after as_of -> not a known customer yet
    assert cv.index.tolist() == ["a", "b", "c"]
    assert_allclose(cv.to_numpy(), [0.5 * 80, 0.5 * 50, 0.5 * 40])
    assert cv.name == "current_value" and cv.index.name == "customer_id"


def test_current_value_default_as_of_and_months():
    cv = current_value_from_orders(_orders(), margin_rate=1.0)  # as_of = 2024-01-05
    # window (2023-01-05, 2024-01-05]: a 80, b 0, c 40, d 70
    assert cv.to_dict() == {"a": 80.0, "b": 0.0, "c": 40.0, "d": 70.0}
    cv24 = current_value_from_orders(_orders(), margin_rate=1.0, months=24)
    # window (2022-01-05, 2024-01-05]: everything
    assert cv24.to_dict() == {"a": 1080.0, "b": 80.0, "c": 40.0, "d": 70.0}


def test_current_value_on_the_course_data_matches_a_groupby():
    orders = load_orders()
    cv = current_value_from_orders(orders, margin_rate=0.3)
    window = orders[(orders["order_date"] > "2022-12-31") & (orders["order_date"] <= "2023-12-31")]
    expected = 0.3 * window.groupby("customer_id")["amount"].sum()
    assert len(cv) == orders["customer_id"].nunique() == 5000
    assert_allclose(cv[expected.index].to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert (cv.drop(expected.index) == 0).all()


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        ([1, 2], {}, TypeError, "orders must be a pandas DataFrame"),
        (pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}), {}, ValueError, "orders must have the columns"),
        (None, {"margin_rate": 1.5}, ValueError, r"margin_rate must be in \[0, 1\], got 1.5"),
        (None, {"margin_rate": -0.1}, ValueError, r"margin_rate must be in \[0, 1\]"),
        (None, {"margin_rate": [0.1, 0.2]}, TypeError, "margin_rate must be a single number"),
        (None, {"months": 0}, ValueError, "months must be an integer >= 1"),
        (None, {"months": 1.5}, ValueError, "months must be a whole number"),
        (None, {"as_of": "not a date"}, TypeError, "as_of must be a date"),
        (None, {"as_of": "2000-01-01"}, ValueError, "at least one order on or before as_of=2000-01-01"),
    ],
)
def test_current_value_errors(frame, kwargs, error, match):
    frame = _orders() if frame is None else frame
    kwargs = {"margin_rate": 0.3, **kwargs}
    with pytest.raises(error, match=match):
        current_value_from_orders(frame, **kwargs)


def test_current_value_bad_columns():
    bad_dates = _orders().assign(order_date=["2023-01-01"] * 6)
    with pytest.raises(ValueError, match="order_date'\\] must be datetime64"):
        current_value_from_orders(bad_dates, 0.3)
    missing = _orders()
    missing.loc[0, "order_date"] = pd.NaT
    with pytest.raises(ValueError, match="must not have missing dates"):
        current_value_from_orders(missing, 0.3)
    bad_amount = _orders().assign(amount=[1.0, np.nan, 1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="amount'\\] must hold finite numbers"):
        current_value_from_orders(bad_amount, 0.3)
    with pytest.raises(ValueError, match="at least one order"):
        current_value_from_orders(_orders().iloc[:0], 0.3)


# ---------------------------------------------------------------------------------------------
# growth potential
# ---------------------------------------------------------------------------------------------
def test_wallet_headroom_by_hand():
    # (1000 - 200) * 0.3 = 240; (1000 - 900) * 0.3 = 30; all of the wallet -> 0
    assert growth_potential_from_wallet(200, 1000, 0.3) == 240.0
    assert_allclose(growth_potential_from_wallet([200, 900, 500], [1000, 1000, 500], [0.3, 0.3, 0.5]), [240, 30, 0])


def test_wallet_series_output():
    spend = pd.Series([100.0, 400.0], index=["a", "b"])
    wallet = pd.Series([500.0, 400.0], index=["a", "b"])
    gp = growth_potential_from_wallet(spend, wallet, 0.25)
    assert isinstance(gp, pd.Series) and gp.name == "growth_potential"
    assert gp.index.tolist() == ["a", "b"]
    assert_allclose(gp.to_numpy(), [100.0, 0.0])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1, 100, 0.3), ValueError, r"spend_with_us must be in \[0, inf\), got -1"),
        ((200, 100, 0.3), ValueError, "total_category_spend must be >= spend_with_us"),
        ((20, 100, 1.2), ValueError, r"margin_rate must be in \[0, 1\], got 1.2"),
        ((20, np.nan, 0.3), ValueError, "total_category_spend must be a number, got NaN"),
        (("20", 100, 0.3), TypeError, "spend_with_us must be a number"),
        (([1, 2, 3], [10, 20], 0.3), ValueError, "compatible shapes"),
    ],
)
def test_wallet_errors(args, error, match):
    with pytest.raises(error, match=match):
        growth_potential_from_wallet(*args)


def test_wallet_series_length_mismatch():
    with pytest.raises(ValueError, match="a Series input must match"):
        growth_potential_from_wallet(pd.Series([1.0, 2.0]), 10.0, np.array([[0.1], [0.2]]))
