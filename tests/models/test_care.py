"""Tests of coursekit.models.care: retention by response time, the care plan, keyword mining."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data import complaints as cp
from coursekit.models.care import (
    CARE_ACTIONS,
    DEFAULT_RESPONSE_BANDS,
    care_plan_cost,
    keyword_counts,
    keyword_matches,
    retention_by_response,
)
from coursekit.models.experiments import wilson_interval


@pytest.fixture(scope="module")
def complaints() -> pd.DataFrame:
    return cp.load_complaints()


# --------------------------------------------------------------------------
# Retention by response time (the Wilson interval is tested in tests/models/test_experiments.py)
# --------------------------------------------------------------------------


def test_retention_by_response_hand_computed():
    log = pd.DataFrame(
        {
            "response_hours": [0.0, 1, 4, 4.01, 24, 30, 72, 100, 500],
            "stayed": [True, True, False, True, True, False, False, False, True],
        }
    )
    table = retention_by_response(log)
    assert table.index.tolist() == ["0-4 h", "4-24 h", "24-72 h", "over 72 h"]
    assert table.index.name == "response_band"
    assert table["complaints"].tolist() == [3, 2, 2, 2]  # 0 and 4 fall in the first band, 24 and 72 close theirs
    assert table["stayed"].tolist() == [2, 2, 0, 1]
    assert_allclose(table["stay_rate"], [2 / 3, 1.0, 0.0, 0.5])
    low, high = wilson_interval(np.array([2, 2, 0, 1]), np.array([3, 2, 2, 2]))
    assert_allclose(table["ci_low"], low)
    assert_allclose(table["ci_high"], high)
    assert table["lower"].tolist() == [0, 4, 24, 72] and table["upper"].tolist()[-1] == math.inf


def test_retention_by_response_custom_bands_and_empty_band():
    log = pd.DataFrame({"hours": [0.5, 1.5, 2.5], "kept": [1, 0, 1]})
    table = retention_by_response(log, bands=[0, 1, 2, 3, 10], hours="hours", stayed="kept", confidence=0.8)
    assert table.index.tolist() == ["0-1 h", "1-2 h", "2-3 h", "3-10 h"]
    assert table["complaints"].tolist() == [1, 1, 1, 0]
    assert np.isnan(table.loc["3-10 h", ["stay_rate", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()
    assert_allclose(table["stay_rate"].iloc[:3], [1.0, 0.0, 1.0])
    assert DEFAULT_RESPONSE_BANDS == (0.0, 4.0, 24.0, 72.0, math.inf)


def test_quick_response_keeps_about_70_percent(complaints):
    table = retention_by_response(complaints)
    rates = table["stay_rate"].to_numpy()
    assert (np.diff(rates) < 0).all(), "the stay rate must fall band by band"
    quick = table.iloc[0]
    assert_allclose(quick["stay_rate"], cp.QUICK_RESPONSE_CLAIM, atol=0.03)
    assert quick["ci_low"] <= 0.70 <= quick["ci_high"]
    assert table.iloc[-1]["stay_rate"] < 0.3  # slow answers keep far fewer
    assert table["complaints"].sum() == len(complaints)
    # the model's expected rates tell the same story
    truth = cp.load_complaints_truth()
    band = pd.cut(complaints["response_hours"], [0, 4, 24, 72, np.inf], include_lowest=True)
    expected = truth["stay_probability"].groupby(band.to_numpy(), observed=True).mean().to_numpy()
    assert (np.diff(expected) < 0).all()
    assert_allclose(expected[0], 0.70, atol=0.03)


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        (
            {"response_hours": [1.0, -2.0], "stayed": [True, False]},
            {},
            ValueError,
            r"complaints\['response_hours'\] must hold response times >= 0 hours, got -2",
        ),
        ({"response_hours": [1.0, np.nan], "stayed": [True, False]}, {}, ValueError, "must not contain missing values"),
        (
            {"response_hours": ["1", "x"], "stayed": [True, False]},
            {},
            TypeError,
            r"complaints\['response_hours'\] must hold numbers",
        ),
        (
            {"response_hours": [1.0, 80.0], "stayed": [True, False]},
            {"bands": (0, 4, 72)},
            ValueError,
            r"must fall within the bands \[0, 72\], got 80",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, 2]},
            {},
            ValueError,
            r"complaints\['stayed'\] must hold booleans \(or 0/1\)",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, None]},
            {},
            ValueError,
            r"complaints\['stayed'\] must hold booleans",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": (0, 24, 4, np.inf)},
            ValueError,
            "bands must be strictly increasing",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": (0, np.inf, 100)},
            ValueError,
            "bands must be strictly increasing finite edges",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": (4,)},
            ValueError,
            "bands must have at least two edges",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": (-1, 4)},
            ValueError,
            "bands must be hours >= 0",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": "0-4"},
            TypeError,
            "bands must be a sequence of band edges",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"bands": (0, "x")},
            TypeError,
            r"bands must hold numbers \(hours\)",
        ),
        (
            {"response_hours": [1.0, 2.0], "stayed": [True, False]},
            {"confidence": 95},
            ValueError,
            r"confidence must be in \(0, 1\)",
        ),
        (
            {"hours": [1.0], "stayed": [True]},
            {},
            ValueError,
            r"complaints must have the column\(s\) \['response_hours'\]",
        ),
    ],
)
def test_retention_by_response_errors(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        retention_by_response(pd.DataFrame(frame), **kwargs)


def test_retention_by_response_needs_a_frame():
    with pytest.raises(TypeError, match="complaints must be a pandas DataFrame"):
        retention_by_response({"response_hours": [1.0], "stayed": [True]})


# --------------------------------------------------------------------------
# Care plan
# --------------------------------------------------------------------------

PLAN = {
    "gold": {
        "customers": 100,
        "cost_per_customer": 800,
        "retention_without": 0.80,
        "retention_with": 0.92,
        "margin_per_retained": 9000,
    },
    "silver": {
        "customers": 1000,
        "cost_per_customer": 60,
        "retention_without": 0.70,
        "retention_with": 0.75,
        "margin_per_retained": 1500,
    },
    "ordinary": {
        "customers": 10000,
        "cost_per_customer": 2,
        "retention_without": 0.55,
        "retention_with": 0.56,
        "margin_per_retained": 150,
    },
}


def test_care_plan_cost_hand_computed():
    table = care_plan_cost(PLAN)
    assert table.index.tolist() == ["gold", "silver", "ordinary", "total"]
    # gold: cost 100*800 = 80,000; extra 100*0.12 = 12; margin 12*9000 = 108,000; net 28,000
    assert_allclose(table.loc["gold"], [100, 80_000, 12, 80_000 / 12, 108_000, 28_000, 0.12 * 9000])
    # silver: 60,000; 50; 75,000; 15,000; break-even 0.05*1500 = 75 per customer
    assert_allclose(table.loc["silver"], [1000, 60_000, 50, 1200, 75_000, 15_000, 75])
    # ordinary: 20,000; 100; 15,000; -5,000; break-even 1.5 < cost 2
    assert_allclose(table.loc["ordinary"], [10_000, 20_000, 100, 200, 15_000, -5_000, 1.5])
    assert_allclose(table.loc["total"], [11_100, 160_000, 162, 160_000 / 162, 198_000, 38_000, 198_000 / 11_100])
    assert table.columns.tolist() == [
        "customers",
        "cost",
        "extra_retained",
        "cost_per_extra_retained",
        "retained_margin",
        "net_value",
        "break_even_cost_per_customer",
    ]
    # a tier pays when its care costs less than the break-even cost
    pays = table["net_value"].iloc[:3] > 0
    assert (
        pays
        == (table["break_even_cost_per_customer"].iloc[:3] > pd.Series({t: PLAN[t]["cost_per_customer"] for t in PLAN}))
    ).all()


def test_care_plan_cost_frame_input_and_edge_cases():
    frame = pd.DataFrame(PLAN).T.assign(action=pd.Series(CARE_ACTIONS))
    table = care_plan_cost(frame, include_total=False)
    assert table.index.tolist() == ["gold", "silver", "ordinary"]
    assert_allclose(table["net_value"], [28_000, 15_000, -5_000])
    flat = care_plan_cost(
        {
            "free": {
                "customers": 10,
                "cost_per_customer": 0,
                "retention_without": 0.5,
                "retention_with": 0.5,
                "margin_per_retained": 10,
            },
            "paid": {
                "customers": 10,
                "cost_per_customer": 1,
                "retention_without": 0.5,
                "retention_with": 0.5,
                "margin_per_retained": 10,
            },
        }
    )
    assert np.isnan(flat.loc["free", "cost_per_extra_retained"])
    assert flat.loc["paid", "cost_per_extra_retained"] == math.inf
    assert flat.loc["total", "cost_per_extra_retained"] == math.inf
    loss = care_plan_cost({"g": {**PLAN["gold"], "margin_per_retained": -100}}, include_total=False)
    assert_allclose(loss.loc["g", "net_value"], -80_000 - 1_200)


@pytest.mark.parametrize(
    ("tiers", "kwargs", "error", "match"),
    [
        (
            {"gold": {**PLAN["gold"], "retention_with": 0.7}},
            {},
            ValueError,
            "retention_with must be >= retention_without.*tier 'gold' has 0.7 < 0.8",
        ),
        (
            {"gold": {**PLAN["gold"], "retention_with": 1.2}},
            {},
            ValueError,
            r"tiers\['retention_with'\] must be in \[0, 1\], got 1.2",
        ),
        (
            {"gold": {**PLAN["gold"], "customers": 0}},
            {},
            ValueError,
            r"tiers\['customers'\] must be in \(0, inf\), got 0",
        ),
        (
            {"gold": {**PLAN["gold"], "cost_per_customer": -5}},
            {},
            ValueError,
            r"tiers\['cost_per_customer'\] must be in \[0, inf\)",
        ),
        (
            {"gold": {**PLAN["gold"], "margin_per_retained": np.nan}},
            {},
            ValueError,
            r"tiers\['margin_per_retained'\] must be a number, got NaN",
        ),
        (
            {"gold": {**PLAN["gold"], "margin_per_retained": "lots"}},
            {},
            TypeError,
            r"tiers\['margin_per_retained'\] must hold numbers",
        ),
        (
            {"gold": {k: v for k, v in PLAN["gold"].items() if k != "customers"}},
            {},
            ValueError,
            r"missing \['customers'\]",
        ),
        ({"total": PLAN["gold"]}, {}, ValueError, "must not include a tier called 'total'"),
        ({}, {}, ValueError, "tiers must hold at least one tier"),
        ({"gold": [1, 2]}, {}, TypeError, r"tiers\['gold'\] must be a mapping"),
        ([PLAN["gold"]], {}, TypeError, "tiers must be a pandas DataFrame or a mapping"),
        (PLAN, {"include_total": "yes"}, TypeError, "include_total must be True or False"),
    ],
)
def test_care_plan_cost_errors(tiers, kwargs, error, match):
    with pytest.raises(error, match=match):
        care_plan_cost(tiers, **kwargs)


def test_care_plan_cost_duplicate_tiers():
    frame = pd.DataFrame([PLAN["gold"], PLAN["gold"]], index=["gold", "gold"])
    with pytest.raises(ValueError, match="tiers must name each tier once"):
        care_plan_cost(frame)


# --------------------------------------------------------------------------
# Keyword mining
# --------------------------------------------------------------------------


def test_keyword_matches_case_insensitive_literal():
    texts = pd.Series(
        ["Please sell SMALL ROLLS", "We need smaller rolls", "mini rolls (2x)", "a.b"], index=[5, 6, 7, 8]
    )
    m = keyword_matches(texts, ["small roll", "smaller roll", "mini rolls (2x)", "a.b"])
    assert m.index.tolist() == [5, 6, 7, 8]
    assert m.to_numpy().tolist() == [
        [True, False, False, False],
        [False, True, False, False],
        [False, False, True, False],
        [False, False, False, True],
    ]
    assert m.dtypes.eq(bool).all()
    assert keyword_matches(["ab"], "A").iloc[0, 0]


def test_keyword_counts_by_group_brute_force():
    texts = ["small rolls please", "SMALL ROLLS and mini rolls", "late", "mini roll?", "nothing"]
    kinds = pd.Series(
        pd.Categorical(["hotel", "hotel", "office", "shop", "hotel"], categories=["hotel", "office", "shop", "home"]),
        name="kind",
    )
    table = keyword_counts(texts, ["small roll", "mini roll"], by=kinds)
    assert table.index.tolist() == ["hotel", "office", "shop", "home"]  # every category, even unobserved ones
    assert table.index.name == "kind"
    assert table.to_dict("index") == {
        "hotel": {"n_comments": 3, "small roll": 2, "mini roll": 1, "any_keyword": 2},
        "office": {"n_comments": 1, "small roll": 0, "mini roll": 0, "any_keyword": 0},
        "shop": {"n_comments": 1, "small roll": 0, "mini roll": 1, "any_keyword": 1},
        "home": {"n_comments": 0, "small roll": 0, "mini roll": 0, "any_keyword": 0},
    }
    overall = keyword_counts(texts, ["small roll", "mini roll"])
    assert overall.index.tolist() == ["all"]
    assert overall.iloc[0].tolist() == [5, 2, 2, 3]
    plain = keyword_counts(texts, "late", by=["a", "b", "a", "b", "a"])
    assert plain.index.tolist() == ["a", "b"] and plain["late"].tolist() == [1, 0]
    cat = keyword_counts(texts, "late", by=pd.Categorical(list("xxyyx"), categories=["x", "y", "z"]))
    assert cat.index.tolist() == ["x", "y", "z"]


def test_keyword_mining_finds_the_small_roll_requests(complaints):
    truth = cp.load_complaints_truth()["small_roll_request"].to_numpy()
    found = keyword_matches(complaints["comment"], list(cp.SMALL_ROLL_PHRASES)).any(axis=1).to_numpy()
    recall = (found & truth).sum() / truth.sum()
    precision = (found & truth).sum() / found.sum()
    assert recall >= 0.9
    assert precision >= 0.75
    table = keyword_counts(complaints["comment"], list(cp.SMALL_ROLL_PHRASES), by=complaints["customer_type"])
    assert table["any_keyword"].idxmax() == "budget_hotel"
    share = table["any_keyword"] / table["n_comments"]
    assert share["budget_hotel"] > 5 * share.drop("budget_hotel").max()
    assert table["n_comments"].sum() == len(complaints)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: keyword_matches("small rolls", "small"), TypeError, "comments must be a sequence of texts"),
        (lambda: keyword_matches(["a", None], "a"), ValueError, "comments must not contain missing values"),
        (lambda: keyword_matches(["a", 3], "a"), TypeError, r"comments must hold texts \(str\)"),
        (lambda: keyword_matches(pd.Series([1, 2]), "a"), TypeError, r"comments must hold texts \(str\)"),
        (lambda: keyword_matches(42, "a"), TypeError, "comments must be a pandas Series or a list of texts"),
        (lambda: keyword_matches(["a"], []), ValueError, "keywords must hold at least one phrase"),
        (lambda: keyword_matches(["a"], ["a", " "]), ValueError, "keywords must be non-empty phrases"),
        (lambda: keyword_matches(["a"], ["Roll", "roll"]), ValueError, r"keywords must be distinct \(ignoring case\)"),
        (lambda: keyword_matches(["a"], ["a", 1]), TypeError, "keywords must be strings, got int 1"),
        (lambda: keyword_matches(["a"], 5), TypeError, "keywords must be a phrase or a list of phrases"),
        (lambda: keyword_matches(["a"], "any_keyword"), ValueError, "a name reserved for a column"),
        (
            lambda: keyword_counts(["a", "b"], "a", by=["x"]),
            ValueError,
            "by must have one group per comment: got 1 groups for 2",
        ),
        (
            lambda: keyword_counts(["a", "b"], "a", by=pd.Series(["x"])),
            ValueError,
            "by must have one group per comment",
        ),
        (lambda: keyword_counts(["a", "b"], "a", by=["x", None]), ValueError, "by must not contain missing values"),
        (lambda: keyword_counts(["a", "b"], "a", by="customer_type"), TypeError, "by must hold one group per comment"),
        (lambda: keyword_counts(["a", "b"], "a", by=5), TypeError, "by must be a Series or a sequence of group labels"),
        (
            lambda: keyword_counts(pd.Series(["a", "b"], index=[1, 2]), "a", by=pd.Series(["x", "y"], index=[0, 1])),
            ValueError,
            "by and comments must have the same index",
        ),
    ],
)
def test_keyword_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
