"""Uplift: two-model estimates and targeting judged with the experiment (issue 14, Ascarza 2018)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from coursekit import data
from coursekit.models import uplift


def _brute_force_saved(score, treated, churned, k):
    top = np.argsort(-np.asarray(score), kind="stable")[:k]
    t, y = np.asarray(treated)[top], np.asarray(churned)[top]
    return k * (y[~t].mean() - y[t].mean())


def test_saved_curve_and_value_against_a_brute_force_count():
    rng = np.random.default_rng(3)
    n = 2_000
    score, treated, churned = rng.normal(size=n), rng.random(n) < 0.5, rng.random(n) < 0.3
    shares = np.array([0.1, 0.25, 0.5, 1.0])
    expected = [_brute_force_saved(score, treated, churned, int(np.ceil(s * n))) for s in shares]
    np.testing.assert_allclose(uplift.saved_curve(score, treated, churned, shares), expected)
    money = uplift.targeting_value(score, treated, churned, 0.25, value_if_saved=300, offer_cost=20)
    assert money["targeted"] == 500
    assert money["profit"] == pytest.approx(expected[1] * 300 - 500 * 20)
    table = uplift.uplift_table(score, treated, churned, groups=4)
    assert table["customers"].tolist() == [500] * 4
    first = np.argsort(-score, kind="stable")[:500]
    t, y = treated[first], churned[first]
    assert table.loc[1, "uplift"] == pytest.approx(y[~t].mean() - y[t].mean())


def test_a_known_uplift_is_recovered_by_the_experiment():
    """Simulated: the offer removes 20 points of churn where x > 0 and nothing elsewhere."""
    rng = np.random.default_rng(8)
    n = 200_000
    x = rng.normal(size=n)
    treated = rng.random(n) < 0.5
    churned = rng.random(n) < np.where(treated & (x > 0), 0.1, 0.3)
    table = uplift.uplift_table(x, treated, churned, groups=2)
    np.testing.assert_allclose(table["uplift"], [0.2, 0.0], atol=0.01)
    assert uplift.saved_curve(x, treated, churned, 0.5)[0] == pytest.approx(0.2 * n / 2, rel=0.05)
    assert uplift.saved_curve(-x, treated, churned, 0.5)[0] == pytest.approx(0, abs=0.01 * n / 2)


def test_on_the_course_data_uplift_targeting_beats_risk_targeting():
    """Two logistic models trained on wave 1 rank wave 2; the experiment and the truth agree on the winner."""
    offer = data.load_retention_offer()
    truth = data.load_retention_offer_truth().set_index("customer_id")

    def features(frame):
        return np.column_stack([np.log(frame["tenure_months"]), np.log(frame["monthly_fee"]), frame["support_calls"],
                                frame["joined_on_promotion"], frame["usage_change"]])

    train, test = offer[offer["wave"] == 1], offer[offer["wave"] == 2]
    treated_train = train["arm"] == "treatment"
    models = {arm: LogisticRegression(max_iter=1000).fit(features(train[mask]), train.loc[mask, "churned"])
              for arm, mask in (("treatment", treated_train), ("control", ~treated_train))}
    risk = models["control"].predict_proba(features(test))[:, 1]
    lift = risk - models["treatment"].predict_proba(features(test))[:, 1]
    t, y = (test["arm"] == "treatment").to_numpy(), test["churned"].to_numpy()
    true_uplift = (truth["p_churn_control"] - truth["p_churn_treated"]).loc[test["customer_id"]].to_numpy()
    by_risk = uplift.targeting_value(risk, t, y, 0.2, value_if_saved=600, offer_cost=30)
    by_uplift = uplift.targeting_value(lift, t, y, 0.2, value_if_saved=600, offer_cost=30)
    assert by_uplift["profit"] > by_risk["profit"] + 30_000
    top = 2_000
    assert true_uplift[np.argsort(-lift)[:top]].sum() > 2 * true_uplift[np.argsort(-risk)[:top]].sum()
    assert np.corrcoef(lift, true_uplift)[0, 1] > 0.35


@pytest.mark.parametrize("call, error, match", [
    (lambda: uplift.uplift_table([1, 2], [True, True], [True, False]), ValueError, "both|some"),
    (lambda: uplift.uplift_table([1, 2], [True, False], [True]), ValueError, "churned"),
    (lambda: uplift.uplift_table([1, 2], [True, False], [True, False], groups=3), ValueError, "groups"),
    (lambda: uplift.saved_curve([1, 2], [True, False], [True, False], 0), ValueError, "shares"),
    (lambda: uplift.targeting_value([2, 1, 0], [True, True, False], [True, False, False], 0.3,
                                    value_if_saved=1, offer_cost=1), ValueError, "one arm"),
    (lambda: uplift.targeting_value([2, 1], [True, False], [True, False], 1.0, value_if_saved=-1, offer_cost=1),
     ValueError, "value_if_saved"),
    (lambda: uplift.uplift_table(pd.Series(["a", "b"]), [True, False], [True, False]), TypeError, "score"),
])
def test_bad_input_is_refused(call, error, match):
    with pytest.raises(error, match=match):
        call()
