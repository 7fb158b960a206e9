"""Tests of coursekit.data.campaign: the randomised retention campaign with a known true lift per quadrant.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data.campaign import (
    CAMPAIGN_EFFECTS,
    CampaignData,
    load_campaign,
    load_campaign_truth,
    make_campaign,
    write_campaign,
)
from coursekit.models.experiments import ab_test_table


def test_files(tmp_path):
    paths = write_campaign(tmp_path, make_campaign(n_customers=10, seed=3))
    assert [p.name for p in paths] == ["campaign_customers.csv", "campaign_truth.csv"]
    assert paths[0].read_text().splitlines()[0] == "customer_id,quadrant,arm,retained"
    assert isinstance(make_campaign(10, 1), CampaignData)


def test_make_campaign_is_deterministic_and_randomised():
    a, b = make_campaign(), make_campaign()
    pd.testing.assert_frame_equal(a.customers, b.customers)
    c = a.customers
    assert len(c) == 6000 and c["customer_id"].is_unique
    assert (c["arm"] == "treatment").sum() == 3000
    # quadrant shares close to the generative shares (multinomial sd about 0.006)
    shares = c["quadrant"].value_counts(normalize=True).sort_index().to_numpy()
    assert_allclose(shares, CAMPAIGN_EFFECTS["share"], atol=0.025)
    # randomisation: the two arms have the same mix of quadrants (up to noise)
    mix = pd.crosstab(c["arm"], c["quadrant"], normalize="index").to_numpy()
    assert_allclose(mix[0], mix[1], atol=0.04)
    assert make_campaign(n_customers=7, seed=2).customers["arm"].value_counts()["treatment"] == 3


def test_campaign_truth_table():
    truth = make_campaign().truth
    assert truth["quadrant"].tolist() == ["I", "II", "III", "IV", "all"]
    assert_allclose(truth["p_treated"] - truth["p_control"], truth["true_lift"], atol=1e-15)
    eff = CAMPAIGN_EFFECTS
    assert_allclose(truth["true_lift"].iloc[-1], (eff["share"] * eff["lift"]).sum())
    assert_allclose(truth["true_lift"].iloc[-1], 0.0375)


def test_large_campaign_recovers_the_true_rates():
    c = make_campaign(n_customers=400_000, seed=9).customers
    rates = c.groupby(["quadrant", "arm"], observed=True)["retained"].mean().unstack()
    eff = CAMPAIGN_EFFECTS.set_index("quadrant")
    assert_allclose(rates["control"].to_numpy(), eff["p_control"], atol=0.01)
    assert_allclose((rates["treatment"] - rates["control"]).to_numpy(), eff["lift"], atol=0.012)


def test_loaders_round_trip(tmp_path):
    data = make_campaign(n_customers=500, seed=4)
    write_campaign(tmp_path, data)
    loaded = load_campaign(tmp_path)
    pd.testing.assert_frame_equal(loaded, data.customers)
    truth = load_campaign_truth(tmp_path)
    assert_allclose(truth[["share", "p_control", "p_treated", "true_lift"]].to_numpy(),
                    data.truth[["share", "p_control", "p_treated", "true_lift"]].to_numpy(), atol=5e-5)


def test_committed_dataset_types_and_truth_coverage():
    c = load_campaign()
    assert c.dtypes["quadrant"] == pd.CategoricalDtype(["I", "II", "III", "IV"], ordered=True)
    assert c.dtypes["arm"] == pd.CategoricalDtype(["control", "treatment"])
    assert c.dtypes["retained"] == np.dtype(bool)
    truth = load_campaign_truth().set_index("quadrant")
    table = ab_test_table(c, by="quadrant")
    # every 95 % interval covers the true lift in the committed sample
    true_lift = truth.loc[table.index, "true_lift"]
    assert ((table["ci_low"] <= true_lift) & (true_lift <= table["ci_high"])).all()


def test_campaign_errors(tmp_path):
    with pytest.raises(ValueError, match="n_customers must be an integer >= 2"):
        make_campaign(n_customers=1)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        make_campaign(seed=-1)
    with pytest.raises(TypeError, match="data must be a CampaignData or None"):
        write_campaign(tmp_path, data=pd.DataFrame())
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_campaign(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="campaign_customers.csv"):
        load_campaign(tmp_path)
    bad = tmp_path / "bad"
    write_campaign(bad, make_campaign(n_customers=10, seed=1))
    text = (bad / "campaign_customers.csv").read_text().replace("True", "yes", 1)
    (bad / "campaign_customers.csv").write_text(text)
    with pytest.raises(ValueError, match="must hold True or False"):
        load_campaign(bad)
