"""Tests of coursekit.cases.miao: case 3's Miao data, the silence rule, its scoring and explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.cases import miao as mi
from coursekit.cases.miao import MIAO_CARD, alert_quality, make_miao, silence_alerts
from coursekit.models.purchases import overdue, purchase_cycles


@pytest.fixture(scope="module")
def miao():
    return make_miao()


def test_miao_story_is_in_the_data(miao):
    truth = miao.truth.set_index("card_id")
    row = truth.loc[MIAO_CARD]
    assert row["event"] == "pregnancy" and row["note"] == "the Miao household"
    assert str(row["start"].date()) == "2000-08-25" and str(row["birth"].date()) == "2001-05-18"
    mine = miao.purchases[miao.purchases["card_id"] == MIAO_CARD]
    sanitary = mine.loc[mine["category"] == "sanitary", "date"]
    assert not ((sanitary >= row["start"]) & (sanitary < row["end"])).any()
    assert (sanitary < row["start"]).sum() >= 5 and (sanitary >= row["end"]).sum() >= 2
    baby = mine.loc[mine["category"] == "baby", "date"]
    assert baby.min() >= row["birth"] - pd.Timedelta(days=4)
    assert mine["date"].min() >= pd.Timestamp("2000-02-21")


def test_miao_events_shape_the_purchases(miao):
    p, truth = miao.purchases, miao.truth
    assert not p.duplicated(["card_id", "date", "category"]).any()
    mothers = set(truth.loc[truth["event"] == "pregnancy", "card_id"])
    assert set(p.loc[p["category"] == "baby", "card_id"]) <= mothers
    merged = p.merge(truth, on="card_id")
    during = (merged["date"] >= merged["start"]) & (merged["end"].isna() | (merged["date"] < merged["end"]))
    sanitary = merged["category"] == "sanitary"
    assert not (during & sanitary).any(), "no sanitary purchase while an event goes on"
    stop_all = merged["event"].isin(["away", "moved"])
    assert not (during & stop_all).any(), "away and moved households buy nothing meanwhile"
    keep_shopping = merged["event"].isin(["elsewhere", "stopped", "pregnancy"]) & (merged["category"] == "groceries")
    assert (during & keep_shopping).sum() > 100
    counts = truth["event"].value_counts()
    for event, k in mi.MIAO_EVENT_COUNTS.items():
        assert counts[event] == k + (event == "pregnancy")


def test_miao_loaders_round_trip(miao):
    p = mi.load_miao_purchases()
    pd.testing.assert_frame_equal(p.assign(category=p["category"].astype("str")), miao.purchases)
    t = mi.load_miao_truth()
    pd.testing.assert_frame_equal(t.assign(event=t["event"].astype("str")), miao.truth)
    pd.testing.assert_frame_equal(mi.load_miao_cards(), miao.cards)


def test_make_miao_errors():
    with pytest.raises(ValueError, match="at least 60"):
        make_miao(n_cards=20)


def test_silence_alerts_equals_cycles_then_overdue(miao):
    p = miao.purchases
    as_of = pd.Timestamp("2001-03-01")
    alerts = silence_alerts(p, as_of, tolerance=3.0)
    past = p[(p["date"] <= as_of) & (p["category"] == "sanitary")]
    expected = overdue(purchase_cycles(past, by="card_id", date="date", min_purchases=4), as_of, tolerance=3.0)
    assert list(alerts.index) == list(expected.index)
    assert_allclose(alerts["overdue_ratio"], expected["overdue_ratio"])
    # brute force of the still-shopping filter
    checked = silence_alerts(p, as_of, tolerance=3.0, active_days=30)
    others = p[(p["category"] != "sanitary") & (p["date"] <= as_of) & (p["date"] > as_of - pd.Timedelta(days=30))]
    assert set(checked.index) == set(alerts.index) & set(others["card_id"])
    assert MIAO_CARD in checked.index


def test_silence_alerts_ignores_the_future():
    rows = [("A", d, "sanitary") for d in (0, 28, 56, 84, 112, 300)]
    p = pd.DataFrame(rows, columns=["card_id", "day", "category"])
    p["date"] = pd.Timestamp("2000-01-03") + pd.to_timedelta(p["day"], unit="D")
    assert silence_alerts(p, "2000-08-01").index.tolist() == ["A"]
    assert silence_alerts(p, "2000-11-15").empty


def test_silence_alerts_errors(miao):
    p = miao.purchases
    with pytest.raises(ValueError, match="tolerance"):
        silence_alerts(p, "2001-03-01", tolerance=0)
    with pytest.raises(ValueError, match="min_purchases"):
        silence_alerts(p, "2001-03-01", min_purchases=1)
    with pytest.raises(ValueError, match="no purchase of category"):
        silence_alerts(p, "2001-03-01", category="wine")
    with pytest.raises(TypeError, match="as_of"):
        silence_alerts(p, 20010301)
    with pytest.raises(ValueError, match=r"purchases must have the column\(s\) \['category'\]"):
        silence_alerts(p.drop(columns="category"), "2001-03-01")
    with pytest.raises(ValueError, match="active_days"):
        silence_alerts(p, "2001-03-01", active_days=0)


def test_alert_quality_against_a_loop(miao):
    as_of = pd.Timestamp("2001-03-01")
    alerts = silence_alerts(miao.purchases, as_of, tolerance=2.5)
    q = alert_quality(alerts, miao.truth, as_of)
    truth = miao.truth
    true = missed = 0
    ongoing = {}
    for _, row in truth.iterrows():
        if row["start"] <= as_of and (pd.isna(row["end"]) or row["end"] > as_of):
            ongoing[row["card_id"]] = row["event"]
    for card in alerts.index:
        true += ongoing.get(card) == "pregnancy"
    missed = sum(1 for card, e in ongoing.items() if e == "pregnancy" and card not in alerts.index)
    assert (q.alerts, q.true_alarms, q.false_alarms, q.missed) == (len(alerts), true, len(alerts) - true, missed)
    assert_allclose(q.precision, true / len(alerts))
    assert list(q.table.index) == list(alerts.index)


def test_alert_quality_errors(miao):
    with pytest.raises(TypeError, match="alerts"):
        alert_quality(3, miao.truth, "2001-03-01")
    with pytest.raises(ValueError, match="end"):
        alert_quality(["C0001"], miao.truth.drop(columns="end"), "2001-03-01")
    assert np.isnan(alert_quality([], miao.truth, "2001-03-01").precision)


def test_alarm_explorer_agrees_with_the_functions(miao):
    ex = mi.alarm_explorer(miao.purchases, miao.truth, "2001-03-01")
    for tolerance, days in [(3.0, 0), (4.0, 30), (6.0, 60)]:
        ex.set(tolerance=tolerance, active_days=days)
        alerts = silence_alerts(miao.purchases, "2001-03-01", tolerance=tolerance, active_days=days or None)
        q = alert_quality(alerts, miao.truth, "2001-03-01")
        assert ex.results["alerts"] == q.alerts and ex.results["true_alarms"] == q.true_alarms
