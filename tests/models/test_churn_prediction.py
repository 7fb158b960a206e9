"""Churn prediction around a scikit-learn model (issue 14): snapshots, gains, calibration, targeting money."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from coursekit import data
from coursekit.models import churn_prediction as cp
from coursekit.models import uplift


def test_snapshot_and_label_against_a_brute_force_count():
    orders = data.load_orders()
    day = pd.Timestamp("2022-06-30")
    features = cp.snapshot_features(orders, day)
    label = cp.churn_label(orders, day, 180, features.index)
    for customer in features.index[:40]:
        mine = orders.loc[orders["customer_id"] == customer, "order_date"]
        past = mine[mine <= day]
        assert features.loc[customer, "frequency"] == len(past)
        assert features.loc[customer, "recency_days"] == (day - past.max()).days
        assert features.loc[customer, "tenure_days"] == (day - past.min()).days
        assert features.loc[customer, "orders_last_90"] == int((past > day - pd.Timedelta(days=90)).sum())
        future = mine[(mine > day) & (mine <= day + pd.Timedelta(days=180))]
        assert label[customer] == future.empty
    assert (orders.loc[orders["customer_id"].isin(features.index), "order_date"].min() <= day)
    assert len(features) == orders.loc[orders["order_date"] <= day, "customer_id"].nunique()


def test_gains_and_calibration_tables_on_a_known_example():
    rng = np.random.default_rng(5)
    p = rng.uniform(0, 1, 20_000)
    y = rng.random(20_000) < p                           # perfectly calibrated scores
    gains = cp.gains_table(p, y)
    assert gains["customers"].sum() == 20_000 and gains["captured"].iloc[-1] == pytest.approx(1.0)
    assert np.all(np.diff(gains["churn_rate"]) < 0.02) and gains["lift"].iloc[0] > 1.8
    cal = cp.calibration_table(p, y)
    np.testing.assert_allclose(cal["predicted"], cal["observed"], atol=0.03)
    chance = cp.gains_table(rng.uniform(size=20_000), y)
    assert abs(chance["lift"].iloc[0] - 1) < 0.1


def test_targeting_profit_counts_false_alarms():
    money = cp.targeting_profit([0.9, 0.8, 0.7, 0.1], [True, False, True, False], 0.75,
                                contact_cost=10, value_if_saved=100, save_rate=0.5)
    assert money["contacted"] == 3 and money["churners_contacted"] == 2 and money["false_alarms"] == 1
    assert money["profit"] == pytest.approx(2 * 0.5 * 100 - 3 * 10)


def test_a_logistic_regression_trained_on_the_past_predicts_the_future():
    """Time split: train on the snapshot of 30 June 2022, test on 31 December 2022 (180-day churn)."""
    orders = data.load_orders()

    def snapshot(day):
        f = cp.snapshot_features(orders, day)
        x = np.column_stack([np.log1p(f[c]) for c in ("recency_days", "frequency", "tenure_days", "monetary")]
                            + [f["orders_last_90"]])
        return x, cp.churn_label(orders, day, 180, f.index).to_numpy()

    x_train, y_train = snapshot("2022-06-30")
    x_test, y_test = snapshot("2022-12-31")
    model = LogisticRegression(max_iter=1000).fit(x_train, y_train)
    p = model.predict_proba(x_test)[:, 1]
    assert roc_auc_score(y_test, p) > 0.8
    gains = cp.gains_table(p, y_test)
    assert gains["lift"].iloc[0] > 1.4 and gains["lift"].iloc[-1] < 0.5
    cal = cp.calibration_table(p, y_test)
    assert (cal["predicted"] - cal["observed"]).abs().max() < 0.1


@pytest.mark.parametrize("call, error", [
    (lambda: cp.snapshot_features(pd.DataFrame({"customer_id": ["A"], "order_date": ["2024-01-01"]}), "2024-02-01"), ValueError),
    (lambda: cp.snapshot_features(pd.DataFrame({"customer_id": ["A"], "order_date": ["2024-03-01"], "amount": [1.0]}), "2024-02-01"), ValueError),
    (lambda: cp.churn_label(pd.DataFrame({"customer_id": ["A"], "order_date": ["2024-01-01"]}), "2024-02-01", 0), ValueError),
    (lambda: cp.gains_table([0.1, 0.2], [True, False], groups=3), ValueError),
    (lambda: cp.gains_table([0.1, 0.2], [True], groups=1), ValueError),
    (lambda: cp.calibration_table([0.1, 1.2], [True, False], groups=1), ValueError),
    (lambda: cp.targeting_profit([0.1], [True], 0.0, contact_cost=1, value_if_saved=1, save_rate=0.5), ValueError),
    (lambda: cp.targeting_profit([0.1], [True], 0.5, contact_cost=-1, value_if_saved=1, save_rate=0.5), ValueError),
    (lambda: cp.gains_table(["high", "low"], [True, False]), TypeError),
])
def test_bad_input_is_refused_with_a_clear_error(call, error):
    with pytest.raises(error):
        call()


def test_rank_groups_cuts_the_ranking_into_equal_groups():
    rng = np.random.default_rng(4)
    score = rng.random(1003)
    group = cp.rank_groups(score, groups=10)
    sizes = np.bincount(group)[1:]
    assert sizes.max() - sizes.min() <= 1 and sizes.sum() == 1003
    assert score[group == 1].min() > score[group == 2].max()          # the highest scores come first
    treated = rng.random(1003) < 0.5
    table = uplift.uplift_table(score, treated, rng.random(1003) < 0.3, groups=10)
    assert table["customers"].tolist() == sizes.tolist()              # the same ranking in both tables
    with pytest.raises(ValueError, match="groups must be at most"):
        cp.rank_groups([1.0, 2.0], groups=3)
    with pytest.raises(ValueError, match="whole number"):
        cp.rank_groups([1.0, 2.0], groups=1.5)
