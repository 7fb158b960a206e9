"""Tests of coursekit.data.retention_offer: a randomised offer whose effect depends on a hidden reason.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

import numpy as np
import pandas as pd
import pytest

from coursekit import data
from coursekit.data.retention_offer import (
    OFFER_REASONS,
    RetentionOfferData,
    make_retention_offer,
    write_retention_offer,
)


def test_files_and_round_trip(tmp_path):
    offer = make_retention_offer(n_per_wave=50, seed=2)
    paths = write_retention_offer(tmp_path, offer)
    assert [p.name for p in paths] == ["retention_offer.csv", "retention_offer_truth.csv"]
    back = data.load_retention_offer(tmp_path)
    pd.testing.assert_frame_equal(back, offer.customers, check_dtype=False)
    truth = data.load_retention_offer_truth(tmp_path)
    assert list(truth["reason"].cat.categories) == list(OFFER_REASONS)
    assert isinstance(offer, RetentionOfferData)


def test_each_wave_is_randomised_in_halves():
    offer = make_retention_offer(n_per_wave=101, seed=5)
    counts = offer.customers.groupby(["wave", "arm"], observed=True).size()
    assert counts.tolist() == [51, 50, 51, 50]
    a, b = make_retention_offer(n_per_wave=101, seed=5), make_retention_offer(n_per_wave=101, seed=6)
    pd.testing.assert_frame_equal(offer.customers, a.customers)
    assert not offer.customers["arm"].equals(b.customers["arm"])


def test_a_large_sample_recovers_the_designed_effects():
    offer = make_retention_offer(n_per_wave=150_000, seed=11)
    both = offer.customers.merge(offer.truth, on="customer_id")
    rates = both.groupby(["reason", "arm"], observed=True)["churned"].mean().unstack()
    effect = rates["treatment"] - rates["control"]
    np.testing.assert_allclose(effect[["content", "price", "service", "moved_on"]], [0.02, -0.18, -0.03, -0.01], atol=0.012)
    means = both.groupby("reason", observed=True)[["support_calls", "usage_change", "joined_on_promotion"]].mean()
    assert means.loc["service", "support_calls"] == pytest.approx(2.2, abs=0.05)
    assert means.loc["moved_on", "usage_change"] == pytest.approx(-0.45, abs=0.01)
    assert means.loc["price", "joined_on_promotion"] == pytest.approx(0.65, abs=0.01)


def test_the_riskiest_are_not_the_most_persuadable():
    truth = data.load_retention_offer_truth()
    uplift = truth["p_churn_control"] - truth["p_churn_treated"]
    by_reason = pd.DataFrame({"risk": truth["p_churn_control"], "uplift": uplift, "reason": truth["reason"]}).groupby(
        "reason", observed=True).mean()
    assert by_reason["risk"].idxmax() == "moved_on" and by_reason["uplift"].idxmax() == "price"
    riskiest = truth["p_churn_control"] >= truth["p_churn_control"].quantile(0.8)
    assert uplift[riskiest].mean() < uplift.mean()      # the riskiest fifth is less persuadable than average


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_per_wave": 1}, ValueError, "n_per_wave"),
    ({"n_per_wave": 2.5}, ValueError, "n_per_wave"),
    ({"n_per_wave": "10"}, TypeError, "n_per_wave"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_retention_offer(**kwargs)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="retention_offer.csv"):
        data.load_retention_offer(tmp_path)
