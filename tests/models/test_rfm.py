"""Tests of coursekit.models.rfm: RFM table, quantile scores, segments, share of wallet."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from coursekit.data import load_orders
from coursekit.models.rfm import SEGMENTS, rfm_scores, rfm_segment, rfm_table, segment_rules, share_of_wallet


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


def small_orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "A", "C", "A", "B"],
            "order_date": pd.to_datetime(
                ["2023-01-05", "2023-02-01", "2023-03-10", "2023-03-15", "2023-06-20", "2023-06-28"]
            ),
            "amount": [20.0, 55.0, 35.0, 12.5, 40.0, 60.0],
        }
    )


# --------------------------------------------------------------------------------------------
# rfm_table
# --------------------------------------------------------------------------------------------
def test_rfm_table_hand_values():
    table = rfm_table(small_orders(), as_of="2023-06-30")
    assert table.index.name == "customer_id" and table.index.tolist() == ["A", "B", "C"]
    assert table.columns.tolist() == ["recency_days", "frequency", "monetary"]
    assert_array_equal(table["recency_days"], [10, 2, 107])
    assert_array_equal(table["frequency"], [3, 2, 1])
    assert_allclose(table["monetary"], [95.0, 115.0, 12.5])
    assert table["recency_days"].dtype == np.int64 and table["frequency"].dtype == np.int64


def test_rfm_table_other_column_names_and_text_dates():
    frame = small_orders().rename(columns={"customer_id": "who", "order_date": "when", "amount": "paid"})
    frame["when"] = frame["when"].dt.strftime("%Y-%m-%d")
    table = rfm_table(frame, pd.Timestamp("2023-06-30 18:00"), customer="who", date="when", amount="paid")
    assert table.index.name == "who"
    assert_array_equal(table["recency_days"], [10, 2, 107])  # time of day ignored
    assert rfm_table(small_orders(), "2023-06-28")["recency_days"].tolist() == [8, 0, 105]


def test_rfm_table_counts_orders_not_lines():
    lines = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o3", "o3", "o3", "o4"],
            "customer_id": ["A", "A", "A", "B", "B", "B", "B"],
            "order_date": ["2023-05-01", "2023-05-01", "2023-06-10", "2023-06-01", "2023-06-01", "2023-06-01",
                           "2023-06-25"],
            "amount": [5.0, 7.0, 3.0, 1.0, 2.0, 4.0, 10.0],
        }
    )
    table = rfm_table(lines, "2023-06-30", order="order_id")
    assert_array_equal(table["frequency"], [2, 2])
    assert_allclose(table["monetary"], [15.0, 17.0])
    assert_array_equal(table["recency_days"], [20, 5])
    assert_array_equal(rfm_table(lines, "2023-06-30")["frequency"], [3, 4])  # rows, without order=
    # on one-line orders both ways agree
    plain = small_orders().assign(order_id=[f"o{i}" for i in range(6)])
    pd.testing.assert_frame_equal(rfm_table(plain, "2023-06-30", order="order_id"), rfm_table(plain, "2023-06-30"))


def test_rfm_table_matches_brute_force(orders):
    table = rfm_table(orders, as_of="2023-12-31")
    last, count, total = {}, {}, {}
    for row in orders.itertuples(index=False):
        c = row.customer_id
        last[c] = max(last.get(c, row.order_date), row.order_date)
        count[c] = count.get(c, 0) + 1
        total[c] = total.get(c, 0.0) + row.amount
    customers = sorted(last)
    assert table.index.tolist() == customers
    end = pd.Timestamp("2023-12-31")
    assert_array_equal(table["recency_days"], [(end - last[c]).days for c in customers])
    assert_array_equal(table["frequency"], [count[c] for c in customers])
    assert_allclose(table["monetary"], [total[c] for c in customers])


# --------------------------------------------------------------------------------------------
# rfm_scores
# --------------------------------------------------------------------------------------------
def five_customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recency_days": [5, 40, 200, 5, 90],
            "frequency": [9, 3, 1, 1, 3],
            "monetary": [450.0, 90.0, 20.0, 35.0, 150.0],
        },
        index=pd.Index(list("ABCDE"), name="customer_id"),
    )


def test_rfm_scores_hand_values():
    scores = rfm_scores(five_customers())
    assert scores.columns.tolist() == ["R", "F", "M", "rfm_cell"]
    assert_array_equal(scores["R"], [4, 3, 1, 5, 2])  # A and D tie at 5 days: A listed first, lower score
    assert_array_equal(scores["F"], [5, 3, 1, 2, 4])
    assert_array_equal(scores["M"], [5, 3, 1, 2, 4])
    assert scores["rfm_cell"].tolist() == ["455", "333", "111", "522", "244"]
    average = rfm_scores(five_customers(), ties="average")
    assert_array_equal(average["R"], [5, 3, 1, 5, 2])  # ranks 4.5 -> ceil(4.5) = 5
    assert_array_equal(average["F"], [5, 4, 2, 2, 4])  # ranks 1.5 and 3.5
    three = rfm_scores(five_customers(), bins=3)  # ceil(rank * 3 / 5)
    assert_array_equal(three["M"], [3, 2, 1, 2, 3])


def brute_scores(values, bins, ascending, ties):
    """Score by sorting in plain Python: rank k of n -> ceil(k * bins / n)."""
    n = len(values)
    keyed = sorted(range(n), key=lambda i: (values[i] if ascending else -values[i], i))
    rank = [0.0] * n
    for position, i in enumerate(keyed, start=1):
        rank[i] = position
    if ties == "average":
        for value in set(values):
            members = [i for i in range(n) if values[i] == value]
            mean = sum(rank[i] for i in members) / len(members)
            for i in members:
                rank[i] = mean
    return [math.ceil(r * bins / n - 1e-12) for r in rank]


@pytest.mark.parametrize(
    ("bins", "ties", "n"), [(5, "first", 101), (3, "average", 57), (9, "first", 20), (4, "average", 203)]
)
def test_rfm_scores_match_brute_force(bins, ties, n):
    rng = np.random.default_rng(bins * 1000 + n)
    table = pd.DataFrame(
        {
            "recency_days": rng.integers(0, 30, n),
            "frequency": rng.geometric(0.5, n),
            "monetary": rng.gamma(1.0, 50.0, n).round(0),
        }
    )
    scores = rfm_scores(table, bins=bins, ties=ties)
    assert scores["R"].tolist() == brute_scores(table["recency_days"].tolist(), bins, False, ties)
    assert scores["F"].tolist() == brute_scores(table["frequency"].tolist(), bins, True, ties)
    assert scores["M"].tolist() == brute_scores(table["monetary"].tolist(), bins, True, ties)
    for column in "RFM":
        assert scores[column].between(1, bins).all()
        if ties == "first":  # equal-size groups
            sizes = scores[column].value_counts().reindex(range(1, bins + 1), fill_value=0)
            assert sizes.max() - sizes.min() <= 1


def test_rfm_scores_are_monotone_in_the_measures(orders):
    table = rfm_table(orders, as_of="2023-12-31")
    scores = rfm_scores(table, ties="average")
    for measure, score, sign in (("recency_days", "R", -1), ("frequency", "F", 1), ("monetary", "M", 1)):
        order = np.argsort(sign * table[measure].to_numpy(), kind="stable")
        assert (np.diff(scores[score].to_numpy()[order]) >= 0).all()
        same = table[measure].duplicated(keep=False)
        assert (scores[score][same].groupby(table[measure][same]).nunique() == 1).all()
    first = rfm_scores(table)
    for column in "RFM":
        assert first[column].value_counts().tolist() == [1000] * 5


# --------------------------------------------------------------------------------------------
# segments
# --------------------------------------------------------------------------------------------
def expected_segment(r, f, m):
    """The rule table written out as plain conditions."""
    fm = (f + m) / 2
    if r >= 4:
        return "Champions" if fm >= 4 else "Potential loyalists" if fm >= 2 else "New customers"
    if r == 3:
        return "Loyal customers" if fm >= 3 else "Need attention"
    if fm >= 4:
        return "Can't lose them"
    if fm >= 3:
        return "At risk"
    return "Hibernating" if r == 2 else "Lost"


def test_every_score_combination_gets_exactly_its_segment():
    grid = pd.DataFrame(list(itertools.product(range(1, 6), repeat=3)), columns=["R", "F", "M"])
    segments = rfm_segment(grid)
    assert segments.name == "segment"
    assert segments.cat.categories.tolist() == list(SEGMENTS)
    assert segments.notna().all()
    assert segments.tolist() == [expected_segment(*row) for row in grid.itertuples(index=False)]
    assert set(segments) == set(SEGMENTS)  # every segment is reachable


def test_rules_partition_the_grid():
    rules = segment_rules()
    assert rules["segment"].tolist() == list(SEGMENTS)
    for r in range(1, 6):
        for fm in np.arange(1.0, 5.01, 0.5):
            hits = rules[(rules.r_min <= r) & (r <= rules.r_max) & (rules.fm_min <= fm) & (fm < rules.fm_max)]
            assert len(hits) == 1, (r, fm)
    assert rules["description"].str.len().min() > 20


def test_segments_on_the_transactions_dataset(orders):
    table = rfm_table(orders, as_of="2023-12-31")
    segments = rfm_segment(rfm_scores(table))
    assert segments.index.equals(table.index)
    counts = segments.value_counts()
    assert counts.sum() == 5000
    assert counts["Champions"] == 1000 and counts["Lost"] == 681
    by_segment = table.groupby(segments, observed=True).median()
    assert by_segment.loc["Champions", "frequency"] > by_segment.loc["Hibernating", "frequency"]
    assert by_segment.loc["Lost", "recency_days"] > by_segment.loc["Champions", "recency_days"]


# --------------------------------------------------------------------------------------------
# share of wallet
# --------------------------------------------------------------------------------------------
def test_share_of_wallet_values():
    assert share_of_wallet(120.0, 400.0) == 0.3
    assert isinstance(share_of_wallet(1, 4), float)
    assert_allclose(share_of_wallet([50, 300, 0], [100, 320, 80]), [0.5, 0.9375, 0.0])
    assert_allclose(share_of_wallet([10, 20], 40), [0.25, 0.5])  # broadcasting
    assert share_of_wallet(80, 80) == 1.0
    series = share_of_wallet(pd.Series([30.0, 90.0], index=["A", "B"]), np.array([60.0, 100.0]))
    assert series.index.tolist() == ["A", "B"] and series.name == "share_of_wallet"
    assert_allclose(series, [0.5, 0.9])
    assert_allclose(share_of_wallet(pd.Series([1.0, 2.0]), 4.0), [0.25, 0.5])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((120, 100), ValueError, r"spend_with_us must not exceed total_category_spend.*got 120 > 100"),
        ((-1, 100), ValueError, r"spend_with_us must be in \[0, inf\)"),
        ((0, 0), ValueError, r"total_category_spend must be in \(0, inf\)"),
        ((float("nan"), 10), ValueError, "spend_with_us must be a number, got NaN"),
        (("10", 100), TypeError, "spend_with_us must be a number"),
        (([1, 2], [3, 4, 5]), ValueError, "must have matching shapes"),
        ((pd.Series([1.0, 2.0]), np.ones((2, 2)) * 5), ValueError, "one value per row of spend_with_us"),
        ((1.0, float("inf")), ValueError, "total_category_spend must be a finite number"),
    ],
)
def test_share_of_wallet_errors(args, error, match):
    with pytest.raises(error, match=match):
        share_of_wallet(*args)


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda f: rfm_table(f.to_dict(), "2023-06-30"), TypeError, "orders must be a pandas DataFrame"),
        (lambda f: rfm_table(f, "2023-06-30", customer=0), TypeError, "customer must be a column name"),
        (lambda f: rfm_table(f, "2023-06-30", amount="order_date"), ValueError,
         r"customer, date, amount \(and order\) must be different columns"),
        (lambda f: rfm_table(f, "2023-06-30", order="customer_id"), ValueError, "must be different columns"),
        (lambda f: rfm_table(f, "2023-06-30", order="order_id"), ValueError, r"column\(s\) \['order_id'\]"),
        (lambda f: rfm_table(f, "2023-06-30", order=["order_id"]), TypeError, "order must be a column name"),
        (lambda f: rfm_table(f, 2023), TypeError, "as_of must be a date"),
        (lambda f: rfm_table(f, "2023-06-27"), ValueError,
         r"orders must all be on or before as_of=2023-06-27, got 1 later order\(s\), the last on 2023-06-28"),
        (lambda f: rfm_table(f.drop(columns="amount"), "2023-06-30"), ValueError,
         r"orders must have the column\(s\) \['amount'\]"),
        (lambda f: rfm_table(f.assign(amount=[1.0, -2.0, 3.0, 4.0, 5.0, 6.0]), "2023-06-30"), ValueError,
         r"orders\['amount'\] must hold numbers >= 0, got -2"),
        (lambda f: rfm_table(f.assign(amount=[1.0, np.nan, 3.0, 4.0, 5.0, 6.0]), "2023-06-30"), ValueError,
         r"orders\['amount'\] must not hold missing values, got 1 missing"),
        (lambda f: rfm_table(f.assign(amount=True), "2023-06-30"), TypeError, r"orders\['amount'\] must hold numbers"),
        (lambda f: rfm_table(f.assign(order_date=pd.NaT), "2023-06-30"), ValueError,
         r"orders\['order_date'\] must not hold missing values"),
    ],
)
def test_rfm_table_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(small_orders())


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: rfm_scores(t.to_numpy()), TypeError, "table must be a pandas DataFrame"),
        (lambda t: rfm_scores(t, bins=1), ValueError, "bins must be between 2 and 9"),
        (lambda t: rfm_scores(t, bins=10), ValueError, "bins must be between 2 and 9"),
        (lambda t: rfm_scores(t, bins=2.5), ValueError, "bins must be a whole number"),
        (lambda t: rfm_scores(t, bins="5"), TypeError, "bins must be a whole number"),
        (lambda t: rfm_scores(t, ties="min"), ValueError, "ties must be one of 'first', 'average'"),
        (lambda t: rfm_scores(t, monetary="spend"), ValueError, r"table must have the column\(s\) \['spend'\]"),
        (lambda t: rfm_scores(t, recency=None), TypeError, "recency must be a column name"),
        (lambda t: rfm_scores(t.assign(frequency=-1)), ValueError, r"table\['frequency'\] must hold numbers >= 0"),
        (lambda t: rfm_scores(t.iloc[:0]), ValueError, "table must hold at least one row"),
        (lambda t: rfm_segment(t), ValueError, r"scores must have the column\(s\) \['R', 'F', 'M'\]"),
        (lambda t: rfm_segment([1, 2, 3]), TypeError, "scores must be a pandas DataFrame"),
        (lambda t: rfm_segment(rfm_scores(t).assign(F=6)), ValueError,
         r"scores\['F'\] must hold whole scores from 1 to 5 \(rfm_scores with bins=5\), got 6"),
        (lambda t: rfm_segment(rfm_scores(t).assign(M=2.5)), ValueError, r"scores\['M'\] must hold whole scores"),
        (lambda t: rfm_segment(rfm_scores(t).assign(R=0)), ValueError, r"scores\['R'\] must hold whole scores"),
        (lambda t: rfm_segment(rfm_scores(t), r=1), TypeError, "r must be a column name"),
    ],
)
def test_score_and_segment_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(five_customers())
