"""Tests of coursekit.cases.dicks: case 4's Dick's data, nine types, personalised lists, coupons."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.cases import dicks as dk
from coursekit.cases.dicks import (
    NINE_TYPES,
    conversion_offers,
    coupon_economics,
    make_dicks,
    nine_types,
    personalised_list,
    weekly_spend,
)
from coursekit.models.programmes import breakeven_lift
from coursekit.models.purchases import purchase_cycles


@pytest.fixture(scope="module")
def dicks():
    return make_dicks()


def test_dicks_structure(dicks):
    customers, baskets, items, truth = dicks
    assert len(customers) == len(truth) == 1000
    assert not baskets.duplicated(["card_id", "date"]).any()
    merged = items.merge(baskets, on=["card_id", "date"], how="left", indicator=True)
    assert (merged["_merge"] == "both").all(), "every item was bought on one of the customer's trips"
    item_total = items.groupby(["card_id", "date"])["amount"].sum()
    basket = baskets.set_index(["card_id", "date"])["spend"].reindex(item_total.index)
    assert (basket >= item_total - 1e-9).all()
    is_analgesic = items["category"] == "analgesics"
    assert set(items.loc[is_analgesic, "brand"]) == {"national", "store"}
    assert set(items.loc[~is_analgesic, "brand"]) == {""}
    buyers = set(truth.loc[truth["analgesic_loyalty"] != "", "card_id"])
    assert set(items.loc[is_analgesic, "card_id"]) <= buyers
    assert baskets["date"].min() >= pd.Timestamp("1999-01-03") and baskets["date"].max() <= pd.Timestamp("2000-01-01")


def test_dicks_loaders_round_trip(dicks):
    items = dk.load_dicks_items()
    pd.testing.assert_frame_equal(items.assign(category=items["category"].astype("str")), dicks.items)
    b = dk.load_dicks_baskets()
    pd.testing.assert_frame_equal(b.assign(store=b["store"].astype("str")), dicks.baskets)
    t = dk.load_dicks_truth()
    assert_allclose(t["analgesics_cycle"], dicks.truth["analgesics_cycle"])
    c = dk.load_dicks_customers()
    assert c["home_store"].dtype == "category"


def test_nine_types_against_a_loop(dicks):
    types = nine_types(dicks.items)
    rows = dicks.items[dicks.items["category"] == "analgesics"]
    for card, group in itertools.islice(rows.groupby("card_id"), 120):
        units = group["units"].sum()
        national = group.loc[group["brand"] == "national", "units"].sum()
        if len(group) < 2:
            assert card not in types.index
            continue
        share = national / units
        loyalty = "national" if share >= 0.8 else ("store" if share <= 0.2 else "switcher")
        usage = "light" if units <= 4 else ("medium" if units <= 9 else "heavy")
        assert types.loc[card, "type"] == f"{loyalty}/{usage}", card
    assert list(types["type"].cat.categories) == list(NINE_TYPES)
    truth = dicks.truth.set_index("card_id").loc[types.index]
    assert (types["loyalty"].astype(str) == truth["analgesic_loyalty"]).mean() > 0.85


def test_nine_types_by_hand_and_errors():
    lines = pd.DataFrame({"card_id": ["A", "A", "B"], "brand": ["national", "store", "store"], "units": [2, 1, 1]})
    t = nine_types(lines, category=None, min_purchases=1)
    assert_allclose(t.loc["A", "national_share"], 2 / 3)
    assert t.loc["A", "type"] == "switcher/light" and t.loc["B", "type"] == "store/light"
    with pytest.raises(ValueError, match="'national' or 'store'"):
        nine_types(lines.assign(brand="generic"), category=None)
    with pytest.raises(ValueError, match="low < high"):
        nine_types(lines, category=None, brand_cuts=(0.8, 0.2))
    with pytest.raises(ValueError, match="pair"):
        nine_types(lines, category=None, usage_cuts=(4,))
    with pytest.raises(ValueError, match="no purchase"):
        nine_types(lines.assign(category="pet_food"))
    with pytest.raises(ValueError, match="units"):
        nine_types(lines.assign(units=0), category=None)


def test_nine_types_ignores_missing_brands_of_other_categories(dicks):
    items = dicks.items.copy()
    items["brand"] = items["brand"].where(items["category"] == "analgesics", None)
    pd.testing.assert_frame_equal(nine_types(items), nine_types(dicks.items))
    with pytest.raises(ValueError, match=r"items\['brand'\] must not hold missing values"):
        nine_types(items.assign(brand=None))
    with pytest.raises(TypeError, match="DataFrame"):
        nine_types([1, 2])


def test_weekly_spend(dicks):
    ws = weekly_spend(dicks.baskets)
    totals = dicks.baskets.groupby("card_id")["spend"].sum()
    assert_allclose(ws.loc[totals.index], totals / 52.0)
    assert_allclose(weekly_spend(dicks.baskets, weeks=26).loc["D0002"], totals.loc["D0002"] / 26)
    with pytest.raises(ValueError, match="weeks"):
        weekly_spend(dicks.baskets, weeks=0)
    with pytest.raises(ValueError, match="spend"):
        weekly_spend(dicks.baskets.assign(spend=-1.0))


def test_personalised_list_against_a_loop(dicks):
    cycles = purchase_cycles(dicks.items, by=("card_id", "category"), date="date")
    ws = weekly_spend(dicks.baskets)
    as_of = pd.Timestamp("2000-01-03")
    due = personalised_list(cycles, ws, as_of)
    expected = set()
    for (card, cat), row in cycles.iterrows():
        if pd.isna(row["predicted_next"]) or ws.get(card, 0) < 25:
            continue
        if as_of <= row["predicted_next"] < as_of + pd.Timedelta(days=14):
            expected.add((card, cat))
    assert set(zip(due["card_id"], due["category"], strict=True)) == expected
    graced = personalised_list(cycles, ws, as_of, grace_days=7)
    assert len(graced) >= len(due) and graced["days_until"].min() >= -7
    assert (due["weekly_spend"] >= 25).all()


def test_personalised_list_errors(dicks):
    cycles = purchase_cycles(dicks.items, by=("card_id", "category"), date="date")
    ws = weekly_spend(dicks.baskets)
    with pytest.raises(TypeError, match="Series"):
        personalised_list(cycles, ws.to_frame(), "2000-01-03")
    with pytest.raises(ValueError, match="horizon_days"):
        personalised_list(cycles, ws, "2000-01-03", horizon_days=0)
    with pytest.raises(ValueError, match="min_weekly_spend"):
        personalised_list(cycles, ws, "2000-01-03", min_weekly_spend=-5)
    with pytest.raises(ValueError, match=r"cycles must have the column\(s\) \['predicted_next'\]"):
        personalised_list(cycles.drop(columns="predicted_next"), ws, "2000-01-03")


def test_conversion_offers(dicks):
    types = nine_types(dicks.items)
    offers = conversion_offers(types)
    assert set(offers["loyalty"].astype(str)) == {"national", "switcher"}
    assert offers["discount"].is_monotonic_decreasing
    heavy = offers[offers["discount"] == 0.35]
    assert set(heavy["usage"].astype(str)) == {"heavy"}
    assert len(heavy) == ((types["usage"] == "heavy") & (types["loyalty"] != "store")).sum()
    with pytest.raises(ValueError, match="depth"):
        conversion_offers(types, depth={"light": 0.1})
    with pytest.raises(ValueError, match="targets"):
        conversion_offers(types, targets=("loyal",))
    with pytest.raises(ValueError, match="depth"):
        conversion_offers(types, depth={"light": 0.1, "medium": 0.2, "heavy": 1.2})


def test_coupon_economics_by_hand():
    c = coupon_economics(200, 35, 0.2, 0.8, lists_per_year=26, cost_per_list=0.4)
    issued = 200 * 26 * 35
    assert_allclose([c.issued, c.redeemed, c.manufacturer_cost, c.store_coupon_cost, c.store_list_cost],
                    [issued, 0.2 * issued, 0.16 * issued, 0.04 * issued, 200 * 26 * 0.4])
    assert_allclose(c.store_per_customer, (0.04 * issued + 2080) / 200)
    assert_allclose(c.manufacturer_share_of_total, 0.16 * issued / (0.2 * issued + 2080))
    grid = coupon_economics(100, np.array([10.0, 20.0]), 0.5, np.array([[0.0], [1.0]]))
    assert grid.store_total.shape == (2, 2)
    with pytest.raises(ValueError, match="customers"):
        coupon_economics(0, 35, 0.2, 0.8)
    with pytest.raises(ValueError, match="redemption_rate"):
        coupon_economics(10, 35, 1.2, 0.8)
    with pytest.raises(TypeError, match="manufacturer_share"):
        coupon_economics(10, 35, 0.2, "most")


def test_coupon_explorer_matches_breakeven_lift():
    ex = dk.coupon_explorer()
    ex.set(face_value_per_list=40.0, redemption_rate=0.3, manufacturer_share=0.7, weekly_spend=80.0)
    cost = coupon_economics(1, 40.0, 0.3, 0.7, cost_per_list=0.4)
    assert_allclose(ex.results["store_per_customer"], cost.store_per_customer)
    assert_allclose(ex.results["breakeven_lift"], breakeven_lift(cost.store_per_customer, 80 * 52 * 0.25, 0.8, 0.1))
    ex.set(face_value_per_list=60.0, redemption_rate=1.0, manufacturer_share=0.0, weekly_spend=25.0)
    assert np.isnan(ex.results["breakeven_lift"])
