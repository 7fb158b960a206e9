"""Tests of coursekit.models.purchases: intervals, cycles, overdue list, anomalies, associations."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from coursekit.data import load_orders
from coursekit.models.purchases import (
    basket_lift,
    category_association,
    interval_anomalies,
    overdue,
    purchase_cycles,
    purchase_intervals,
)

DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


def small_orders() -> pd.DataFrame:
    """A: every four weeks or so; B: weekly, two orders on one day, then silent; C: once."""
    return pd.DataFrame(
        {
            "customer_id": ["A"] * 5 + ["B"] * 4 + ["C"],
            "order_date": pd.to_datetime(
                [
                    "2023-01-01", "2023-01-29", "2023-02-28", "2023-03-30", "2023-04-27",
                    "2023-01-10", "2023-01-17", "2023-01-24", "2023-01-24", "2023-03-01",
                ]
            ),
            "amount": [10.0, 12.0, 11.0, 9.0, 10.0, 5.0, 6.0, 7.0, 8.0, 30.0],
            "category": ["x", "y", "x", "x", "y", "x", "x", "x", "y", "y"],
        }
    )


def random_orders(seed: int, n: int = 400, customers: int = 25, span: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "customer_id": rng.choice([f"K{i:02d}" for i in range(customers)], n),
            "order_date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, span, n), unit="D"),
            "amount": rng.gamma(2.0, 20.0, n).round(2),
            "category": rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1]),
        }
    )
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # unsorted on purpose


def brute_days(frame: pd.DataFrame, keys) -> dict:
    """Sorted distinct purchase days of each group, by plain Python."""
    days: dict = {}
    for row in frame.itertuples(index=False):
        key = tuple(getattr(row, k) for k in keys)
        days.setdefault(key, set()).add(pd.Timestamp(row.order_date).normalize())
    return {k: sorted(v) for k, v in days.items()}


# --------------------------------------------------------------------------------------------
# purchase_intervals
# --------------------------------------------------------------------------------------------
def test_intervals_hand_values():
    gaps = purchase_intervals(small_orders())
    assert gaps.columns.tolist() == ["customer_id", "previous_date", "order_date", "interval_days"]
    assert gaps["customer_id"].tolist() == ["A"] * 4 + ["B"] * 2  # C bought once: no interval
    assert_array_equal(gaps["interval_days"], [28, 30, 30, 28, 7, 7])  # B's two orders on 24 Jan are one
    assert gaps["interval_days"].dtype == np.int64
    assert gaps.loc[5, "previous_date"] == pd.Timestamp("2023-01-17")
    assert gaps.loc[5, "order_date"] == pd.Timestamp("2023-01-24")
    pd.testing.assert_frame_equal(purchase_intervals(small_orders(), by="customer_id"), gaps)


def test_intervals_per_customer_and_category():
    gaps = purchase_intervals(small_orders(), by=("customer_id", "category"))
    # A-x: 01-01, 02-28, 03-30; A-y: 01-29, 04-27; B-x: 10, 17, 24 Jan; B-y and C-y: one purchase
    expected = [("A", "x", 58), ("A", "x", 30), ("A", "y", 88), ("B", "x", 7), ("B", "x", 7)]
    assert [(r.customer_id, r.category, r.interval_days) for r in gaps.itertuples()] == expected


def test_intervals_accept_iso_text_and_ignore_time_of_day():
    base = small_orders()
    text = base.assign(order_date=base["order_date"].dt.strftime("%Y-%m-%d"))
    timed = base.assign(order_date=base["order_date"] + pd.to_timedelta(np.arange(10) * 2.3, unit="h"))
    expected = purchase_intervals(base)
    pd.testing.assert_frame_equal(purchase_intervals(text), expected)
    pd.testing.assert_frame_equal(purchase_intervals(timed), expected)
    assert purchase_intervals(text)["order_date"].dtype == "datetime64[ns]"


@pytest.mark.parametrize("seed", [0, 1])
def test_intervals_match_brute_force(seed):
    frame = random_orders(seed)
    for keys in (["customer_id"], ["customer_id", "category"]):
        gaps = purchase_intervals(frame, by=keys)
        expected = []
        for key, days in sorted(brute_days(frame, keys).items()):
            expected += [key + ((b - a).days,) for a, b in zip(days, days[1:])]
        got = [tuple(r) for r in gaps[keys + ["interval_days"]].itertuples(index=False)]
        assert got == expected


def test_intervals_on_the_transactions_dataset(orders):
    gaps = purchase_intervals(orders)
    days = brute_days(orders, ["customer_id"])
    assert len(gaps) == sum(len(v) - 1 for v in days.values())
    total = sum((v[-1] - v[0]).days for v in days.values())
    assert int(gaps["interval_days"].sum()) == total  # gaps telescope to last - first
    assert (gaps["interval_days"] >= 1).all()


# --------------------------------------------------------------------------------------------
# purchase_cycles
# --------------------------------------------------------------------------------------------
def test_cycles_hand_values():
    cycles = purchase_cycles(small_orders())
    assert cycles.index.tolist() == ["A", "B", "C"]
    assert cycles.columns.tolist() == [
        "n_purchases", "last_purchase", "cycle_days", "cycle_spread", "predicted_next", "reason",
    ]
    assert_array_equal(cycles["n_purchases"], [5, 3, 1])
    # A: gaps 28, 30, 30, 28 -> median 29, quartiles 28 and 30; B: gaps 7, 7
    assert_allclose(cycles["cycle_days"], [29.0, 7.0, np.nan])
    assert_allclose(cycles["cycle_spread"], [2.0, 0.0, np.nan])
    assert cycles.loc["A", "predicted_next"] == pd.Timestamp("2023-05-26")
    assert cycles.loc["B", "predicted_next"] == pd.Timestamp("2023-01-31")
    assert pd.isna(cycles.loc["C", "predicted_next"])
    assert cycles["reason"].isna().tolist() == [True, True, False]
    assert cycles.loc["C", "reason"] == "only 1 purchase(s); a cycle needs at least 3"


def test_cycles_mad_spread_and_min_purchases():
    cycles = purchase_cycles(small_orders(), spread="mad", min_purchases=5)
    # A: |28-29|, |30-29|, ... -> all 1; B has 3 purchases < 5
    assert_allclose(cycles["cycle_spread"], [1.0, np.nan, np.nan])
    assert cycles.loc["B", "reason"] == "only 3 purchase(s); a cycle needs at least 5"
    two = purchase_cycles(small_orders(), min_purchases=2)
    assert two["cycle_days"].notna().tolist() == [True, True, False]


def test_predicted_next_rounds_half_days_up():
    frame = pd.DataFrame(
        {"customer_id": "Z", "order_date": pd.to_datetime(["2023-01-01", "2023-01-08", "2023-01-16"])}
    )
    cycles = purchase_cycles(frame)  # gaps 7 and 8 -> 7.5 days
    assert cycles.loc["Z", "cycle_days"] == 7.5
    assert cycles.loc["Z", "predicted_next"] == pd.Timestamp("2023-01-24")


@pytest.mark.parametrize("seed", [2, 3])
def test_cycles_match_brute_force(seed):
    frame = random_orders(seed, n=300, customers=40)
    for keys in (["customer_id"], ["customer_id", "category"]):
        cycles = purchase_cycles(frame, by=keys, min_purchases=3)
        days = brute_days(frame, keys)
        assert len(cycles) == len(days)  # no group dropped
        for key, values in days.items():
            row = cycles.loc[key if len(keys) > 1 else key[0]]
            assert row["n_purchases"] == len(values)
            assert row["last_purchase"] == values[-1]
            gaps = np.diff(np.array(values, dtype="datetime64[D]")).astype(float)
            if len(values) >= 3:
                assert_allclose(row["cycle_days"], np.median(gaps))
                q1, q3 = np.percentile(gaps, [25, 75])
                assert_allclose(row["cycle_spread"], q3 - q1)
                assert row["predicted_next"] == values[-1] + int(np.floor(np.median(gaps) + 0.5)) * DAY
                assert pd.isna(row["reason"])
            else:
                assert np.isnan(row["cycle_days"]) and pd.isna(row["predicted_next"])
                assert row["reason"].startswith(f"only {len(values)} purchase(s)")


def test_cycles_on_the_transactions_dataset(orders):
    cycles = purchase_cycles(orders)
    days = brute_days(orders, ["customer_id"])
    counts = pd.Series({k[0]: len(v) for k, v in days.items()}).sort_index()
    assert_array_equal(cycles["n_purchases"].to_numpy(), counts.to_numpy())
    assert int(cycles["cycle_days"].notna().sum()) == int((counts >= 3).sum()) == 2344
    assert int(cycles["reason"].notna().sum()) == 5000 - 2344
    assert_allclose(cycles["cycle_days"].median(), 33.0)


@pytest.mark.parametrize("spread", ["iqr", "mad"])
def test_cycles_when_no_group_has_enough_purchases(spread):
    frame = pd.DataFrame(
        {"customer_id": ["a", "b", "b"], "order_date": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-02-05"])}
    )
    cycles = purchase_cycles(frame, spread=spread)
    assert cycles["n_purchases"].tolist() == [1, 2]
    assert cycles["cycle_days"].isna().all() and cycles["predicted_next"].isna().all()
    assert cycles["reason"].tolist() == [
        "only 1 purchase(s); a cycle needs at least 3", "only 2 purchase(s); a cycle needs at least 3",
    ]
    assert interval_anomalies(frame, min_purchases=3).empty
    assert overdue(cycles, "2023-03-01").empty


def test_cycles_with_categorical_group_column(orders):
    cycles = purchase_cycles(orders.head(3000), by=("customer_id", "category"))
    assert cycles.index.names == ["customer_id", "category"]
    assert (cycles["n_purchases"] >= 1).all()  # unobserved combinations are not listed


# --------------------------------------------------------------------------------------------
# overdue
# --------------------------------------------------------------------------------------------
def test_overdue_hand_values():
    late = overdue(purchase_cycles(small_orders()), as_of="2023-06-30")
    assert late.index.tolist() == ["B", "A"]
    assert "reason" not in late.columns
    # A: 64 days since 27 Apr / 29; B: 157 days since 24 Jan / 7
    assert_array_equal(late["days_since_last"], [157, 64])
    assert_allclose(late["overdue_ratio"], [157 / 7, 64 / 29])
    assert late["days_since_last"].dtype == np.int64


def test_overdue_tolerance_is_relative_to_each_cycle():
    cycles = purchase_cycles(small_orders())
    # on 15 May: A 18 days (0.62 cycles), B 111 days (15.9 cycles)
    assert overdue(cycles, pd.Timestamp("2023-05-15")).index.tolist() == ["B"]
    # A is exactly 2 cycles late on 24 June (58 days): strict inequality
    assert "A" not in overdue(cycles, dt.date(2023, 6, 24), tolerance=2).index
    assert "A" in overdue(cycles, dt.date(2023, 6, 25), tolerance=2).index
    assert overdue(cycles, "2023-06-30", tolerance=100).empty


def test_overdue_matches_brute_force(orders):
    cycles = purchase_cycles(orders)
    as_of = pd.Timestamp("2023-12-31")
    late = overdue(cycles, as_of, tolerance=2.5)
    expected = []
    for key, row in cycles.iterrows():
        if np.isnan(row["cycle_days"]):
            continue
        ratio = (as_of - row["last_purchase"]).days / row["cycle_days"]
        if ratio > 2.5:
            expected.append((key, ratio))
    expected.sort(key=lambda kv: -kv[1])  # stable: ties keep customer order
    assert late.index.tolist() == [k for k, _ in expected]
    assert_allclose(late["overdue_ratio"], [r for _, r in expected])
    assert len(overdue(cycles, as_of)) == 1312


# --------------------------------------------------------------------------------------------
# interval_anomalies
# --------------------------------------------------------------------------------------------
def miao_orders() -> pd.DataFrame:
    days = [0, 28, 56, 84, 112, 140, 420, 448, 476, 477]
    return pd.DataFrame(
        {"customer_id": "M", "order_date": pd.Timestamp("2023-01-05") + pd.to_timedelta(days, unit="D")}
    )


def test_anomalies_find_the_break_and_the_burst():
    frame = miao_orders()  # gaps: 28 x5, 280, 28, 28, 1 -> median 28
    long = interval_anomalies(frame)
    assert long["interval_days"].tolist() == [280]
    assert_allclose(long["ratio"], [10.0])
    assert long["kind"].tolist() == ["long"]
    both = interval_anomalies(frame, side="both")
    assert both["kind"].tolist() == ["short", "long"]  # 1/28 is more extreme than 10
    assert_allclose(both["ratio"], [1 / 28, 10.0])
    assert interval_anomalies(frame, side="short")["interval_days"].tolist() == [1]
    assert interval_anomalies(frame, threshold=11).empty
    assert interval_anomalies(frame, min_purchases=11).empty


@pytest.mark.parametrize("threshold", [2.0, 4.0])
def test_anomalies_match_brute_force(orders, threshold):
    found = interval_anomalies(orders, threshold=threshold, side="both", min_purchases=4)
    expected = []
    for (customer,), days in brute_days(orders, ["customer_id"]).items():
        if len(days) < 4:
            continue
        gaps = np.diff(np.array(days, dtype="datetime64[D]")).astype(float)
        median = np.median(gaps)
        for later, gap in zip(days[1:], gaps):
            ratio = gap / median
            if ratio >= threshold or ratio <= 1 / threshold:
                expected.append((customer, later, ratio))
    assert len(found) == len(expected)
    got = sorted(zip(found["customer_id"], found["order_date"], found["ratio"]))
    for (c1, d1, r1), (c2, d2, r2) in zip(got, sorted(expected)):
        assert (c1, d1) == (c2, d2)
        assert_allclose(r1, r2)
    fold = np.maximum(found["ratio"], 1 / found["ratio"]).to_numpy()
    assert (np.diff(fold) <= 1e-12).all()  # most extreme first


# --------------------------------------------------------------------------------------------
# category_association
# --------------------------------------------------------------------------------------------
def test_association_matches_numpy_corrcoef():
    frame = random_orders(5, n=600, span=365)
    result = category_association(frame)
    monthly = (
        frame.assign(month=frame["order_date"].dt.to_period("M"))
        .pivot_table(index="month", columns="category", values="amount", aggfunc="sum", fill_value=0.0)
    )
    assert len(monthly) == 12 and (result["n_periods"] == 12).all()
    for row in result.itertuples():
        expected = np.corrcoef(monthly[row.category_a], monthly[row.category_b])[0, 1]
        assert_allclose(row.correlation, expected)
    assert (np.diff(result["correlation"].to_numpy()) <= 0).all()
    changes = category_association(frame, transform="diff")
    diffs = monthly.diff().iloc[1:]
    for row in changes.itertuples():
        assert_allclose(row.correlation, np.corrcoef(diffs[row.category_a], diffs[row.category_b])[0, 1])


def test_association_counts_spearman_and_empty_periods():
    frame = pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2023-01-03", "2023-01-04", "2023-03-09", "2023-04-01", "2023-04-02",
                                          "2023-04-05", "2023-01-20"]),
            "category": ["a", "a", "a", "a", "a", "b", "b"],
        }
    )
    # counts a = [2, 0, 1, 2], b = [1, 0, 0, 1] (February has no orders at all)
    result = category_association(frame, amount=None)
    assert result["n_periods"].tolist() == [4]
    assert_allclose(result["correlation"], np.corrcoef([2, 0, 1, 2], [1, 0, 0, 1])[0, 1])
    ranks_a, ranks_b = [3.5, 1, 2, 3.5], [3.5, 1.5, 1.5, 3.5]
    assert_allclose(category_association(frame, amount=None, method="spearman")["correlation"],
                    np.corrcoef(ranks_a, ranks_b)[0, 1])


def test_association_constant_category_gives_nan_last():
    frame = pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2023-01-05", "2023-02-05", "2023-03-05"] * 3),
            "category": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
            "amount": [1.0, 2.0, 3.0, 2.0, 4.0, 7.0, 5.0, 5.0, 5.0],
        }
    )
    result = category_association(frame)
    assert result[["category_a", "category_b"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert np.isfinite(result["correlation"].iloc[0]) and result["correlation"].iloc[1:].isna().all()


def test_association_on_the_transactions_dataset(orders):
    levels = category_association(orders)
    changes = category_association(orders, transform="diff", period="QS")
    assert len(levels) == 15 and (levels["n_periods"] == 36).all()
    assert (levels["correlation"] > 0.9).all()  # shared growth of the customer base
    assert (changes["n_periods"] == 11).all()


# --------------------------------------------------------------------------------------------
# basket_lift
# --------------------------------------------------------------------------------------------
def brute_rules(frame: pd.DataFrame, keys, item="category") -> dict:
    baskets: dict = {}
    for row in frame.itertuples(index=False):
        baskets.setdefault(tuple(getattr(row, k) for k in keys), set()).add(getattr(row, item))
    n = len(baskets)
    items = sorted(set().union(*baskets.values()))
    rules = {}
    for a, b in itertools.permutations(items, 2):
        n_a = sum(a in s for s in baskets.values())
        n_b = sum(b in s for s in baskets.values())
        n_ab = sum(a in s and b in s for s in baskets.values())
        if n_ab:
            rules[(a, b)] = (n_ab, n_ab / n, n_ab / n_a, n_ab * n / (n_a * n_b))
    return rules


def test_basket_lift_hand_values():
    lines = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o2", "o3", "o4", "o4", "o4"],
            "category": ["baby", "diapers", "baby", "diapers", "pet", "diapers", "pet", "pet"],
        }
    )
    rules = basket_lift(lines)
    assert rules[["antecedent", "consequent"]].values.tolist() == [
        ["baby", "diapers"], ["diapers", "baby"], ["diapers", "pet"], ["pet", "diapers"],
    ]
    assert_array_equal(rules["n_baskets"], [2, 2, 1, 1])  # two pet lines in o4 count once
    assert_allclose(rules["support"], [0.5, 0.5, 0.25, 0.25])
    assert_allclose(rules["confidence"], [1.0, 2 / 3, 1 / 3, 0.5])
    assert_allclose(rules["lift"], [4 / 3, 4 / 3, 2 / 3, 2 / 3])
    assert_allclose(rules["antecedent_support"], [0.5, 0.75, 0.75, 0.5])
    assert_allclose(rules["consequent_support"], [0.75, 0.5, 0.5, 0.75])
    assert basket_lift(lines, min_confidence=0.6)["confidence"].min() >= 0.6
    assert len(basket_lift(lines, min_support=0.3)) == 2


@pytest.mark.parametrize("seed", [7, 8])
def test_basket_lift_matches_brute_force(seed):
    frame = random_orders(seed, n=500, customers=60)
    for keys in (["customer_id"], ["customer_id", "order_date"]):
        rules = basket_lift(frame, basket=keys)
        expected = brute_rules(frame, keys)
        assert len(rules) == len(expected)
        for row in rules.itertuples():
            n_ab, support, confidence, lift = expected[(row.antecedent, row.consequent)]
            assert row.n_baskets == n_ab
            assert_allclose([row.support, row.confidence, row.lift], [support, confidence, lift])
        order = list(zip(-rules["lift"], -rules["support"]))
        assert order == sorted(order)


def test_basket_lift_on_the_transactions_dataset(orders):
    assert basket_lift(orders).empty  # one category per order: no pairs in a basket
    rules = basket_lift(orders, basket="customer_id")
    assert len(rules) == 30
    customers = orders.groupby("customer_id", observed=True)["category"].agg(lambda s: set(s))
    both = customers.map(lambda s: {"personal_care", "beauty"} <= s).sum()
    first = rules.iloc[0]
    assert (first["antecedent"], first["consequent"], first["n_baskets"]) == ("personal_care", "beauty", both)
    assert_allclose(first["support"], both / 5000)


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda f: purchase_intervals([1, 2]), TypeError, "orders must be a pandas DataFrame"),
        (lambda f: purchase_intervals(f, by=5), TypeError, "by must be a column name or a non-empty"),
        (lambda f: purchase_intervals(f, by=()), TypeError, "by must be a column name or a non-empty"),
        (lambda f: purchase_intervals(f, by=("customer_id", 3)), TypeError, "by must be a column name"),
        (lambda f: purchase_intervals(f, by=["customer_id", "customer_id"]), ValueError, "by must name distinct"),
        (lambda f: purchase_intervals(f, date=None), TypeError, "date must be a column name"),
        (lambda f: purchase_intervals(f, by="shop"), ValueError, r"orders must have the column\(s\) \['shop'\]"),
        (lambda f: purchase_intervals(f.iloc[:0]), ValueError, "orders must hold at least one row"),
        (lambda f: purchase_intervals(f.assign(customer_id=[None] + ["A"] * 9)), ValueError,
         r"orders\['customer_id'\] must not hold missing values, got 1 missing"),
        (lambda f: purchase_intervals(f.assign(order_date=f["order_date"].dt.tz_localize("UTC"))), ValueError,
         "without a time zone"),
        (lambda f: purchase_intervals(f.assign(order_date="2023-13-45")), ValueError,
         r"orders\['order_date'\] must hold dates"),
        (lambda f: purchase_intervals(f.assign(order_date="2023-01-01T00:00+01:00")), ValueError,
         "without a time zone"),
        (lambda f: purchase_intervals(f.assign(order_date=np.arange(10))), TypeError,
         r"must hold dates \(datetime64 or ISO text\), got the dtype int64"),
        (lambda f: purchase_intervals(f, by="order_date"), ValueError, "date must not be one of the grouping"),
        (lambda f: purchase_cycles(f.rename(columns={"customer_id": "ratio"}), by="ratio"), ValueError,
         r"by must not use the column names that the result adds, got \['ratio'\]"),
        (lambda f: purchase_cycles(f, min_purchases=1), ValueError, "min_purchases must be at least 2"),
        (lambda f: purchase_cycles(f, min_purchases=0), ValueError, "min_purchases must be an integer >= 1"),
        (lambda f: purchase_cycles(f, min_purchases=2.5), ValueError, "min_purchases must be a whole number"),
        (lambda f: purchase_cycles(f, spread="std"), ValueError, "spread must be one of 'iqr', 'mad'"),
        (lambda f: interval_anomalies(f, threshold=1), ValueError, r"threshold must be in \(1, inf\)"),
        (lambda f: interval_anomalies(f, threshold=[2, 3]), TypeError, "threshold must be a single number"),
        (lambda f: interval_anomalies(f, threshold=float("nan")), ValueError, "threshold must be a number, got NaN"),
        (lambda f: interval_anomalies(f, min_purchases=2), ValueError, "min_purchases must be at least 3"),
        (lambda f: interval_anomalies(f, side="up"), ValueError, "side must be one of 'both', 'long', 'short'"),
        (lambda f: category_association(f, period=3), TypeError, "period must be a pandas frequency alias"),
        (lambda f: category_association(f, period="fortnight"), ValueError, "period must be a pandas frequency"),
        (lambda f: category_association(f, transform="log"), ValueError, "transform must be one of"),
        (lambda f: category_association(f, method="kendall"), ValueError, "method must be one of"),
        (lambda f: category_association(f.assign(category="x")), ValueError, "at least two categories"),
        (lambda f: category_association(f, period="YS"), ValueError, "a correlation needs at least 3 periods"),
        (lambda f: category_association(f, transform="diff", period="QS"), ValueError,
         "a correlation needs at least 3 changes"),
        (lambda f: category_association(f.assign(amount="1")), TypeError, r"orders\['amount'\] must hold numbers"),
        (lambda f: category_association(f.assign(amount=np.inf)), ValueError, "must hold finite numbers"),
        (lambda f: basket_lift(f, basket="customer_id", item="customer_id"), ValueError,
         "item must not be one of the basket columns"),
        (lambda f: basket_lift(f, basket="customer_id", min_support=1.5), ValueError,
         r"min_support must be in \[0, 1\]"),
        (lambda f: basket_lift(f, basket="customer_id", min_confidence=-0.1), ValueError, "min_confidence must be in"),
        (lambda f: basket_lift(f, basket="customer_id", min_support=[0.1]), TypeError,
         "min_support must be a single number"),
        (lambda f: basket_lift(f), ValueError, r"orders must have the column\(s\) \['order_id'\]"),
        (lambda f: basket_lift(f, basket="customer_id", item=1), TypeError, "item must be a column name"),
    ],
)
def test_order_frame_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(small_orders())


@pytest.mark.parametrize(
    ("cycles", "kwargs", "error", "match"),
    [
        ("list", {}, TypeError, "cycles must be a pandas DataFrame"),
        ("no_cycle", {}, ValueError, r"cycles must have the columns \['last_purchase', 'cycle_days'\]"),
        ("ok", {"as_of": 20230630}, TypeError, "as_of must be a date"),
        ("ok", {"as_of": "yesterday"}, ValueError, "as_of must be a date such as"),
        ("ok", {"as_of": np.datetime64("NaT")}, ValueError, "as_of must be a date such as .*, got a missing value"),
        ("ok", {"as_of": pd.Timestamp("2023-06-30", tz="UTC")}, ValueError, "as_of must be a date without a time zone"),
        ("ok", {"as_of": "2023-03-31"}, ValueError, "as_of must be on or after every last_purchase"),
        ("ok", {"tolerance": 0}, ValueError, r"tolerance must be in \(0, inf\)"),
        ("ok", {"tolerance": [1, 2]}, TypeError, "tolerance must be a single number"),
        ("text_dates", {}, TypeError, r"cycles\['last_purchase'\] must hold datetime64"),
        ("text_cycle", {}, TypeError, r"cycles\['cycle_days'\] must hold numbers"),
        ("zero_cycle", {}, ValueError, r"cycles\['cycle_days'\] must be > 0"),
        ("missing_last", {}, ValueError, r"cycles\['last_purchase'\] must not be missing"),
    ],
)
def test_overdue_errors(cycles, kwargs, error, match):
    good = purchase_cycles(small_orders())
    frames = {
        "list": [1, 2],
        "no_cycle": good.drop(columns="cycle_days"),
        "ok": good,
        "text_dates": good.assign(last_purchase=good["last_purchase"].astype(str)),
        "text_cycle": good.assign(cycle_days="29"),
        "zero_cycle": good.assign(cycle_days=[29.0, 0.0, np.nan]),
        "missing_last": good.assign(last_purchase=[pd.NaT, good["last_purchase"].iloc[1], pd.NaT]),
    }
    arguments = {"as_of": "2023-06-30", **kwargs}
    with pytest.raises(error, match=match):
        overdue(frames[cycles], **arguments)
