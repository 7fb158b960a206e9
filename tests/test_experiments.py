"""Tests of coursekit.models.experiments: A/B intervals against published values, coverage, sample size,
and the campaign dataset."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import chi2_contingency, norm

from coursekit.models.experiments import (CAMPAIGN_EFFECTS, ABTest, CampaignData, ab_test, ab_test_table, load_campaign, load_campaign_truth, main, make_campaign, sample_size, wilson_interval, write_campaign)

REPO_DATASETS = Path(__file__).resolve().parents[1] / "datasets"


# ---------------------------------------------------------------------------------------------
# intervals against Newcombe (1998), Table II, method 10 (hybrid score) and method 1 (Wald)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((0, 10, 0, 10), (-0.2775, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0000)),
        ((10, 10, 0, 10), (0.6075, 1.0000)),
    ],
)
def test_newcombe_hybrid_score_published_values(counts, expected):
    res = ab_test(*counts)
    assert_allclose([res.ci_low, res.ci_high], expected, atol=5e-5)


def test_wald_interval_published_values():
    res = ab_test(56, 70, 48, 80, method="wald")
    assert_allclose([res.ci_low, res.ci_high], [0.0575, 0.3425], atol=5e-5)
    assert res.method == "wald"


def test_wald_by_hand():
    res = ab_test(30, 100, 20, 100, method="wald", confidence=0.9)
    se = np.sqrt(0.3 * 0.7 / 100 + 0.2 * 0.8 / 100)
    z = norm.ppf(0.95)
    assert_allclose([res.ci_low, res.ci_high], [0.1 - z * se, 0.1 + z * se], rtol=1e-12)


def test_wilson_interval_by_hand():
    x, n, z = 56, 70, norm.ppf(0.975)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert_allclose(wilson_interval(56, 70), (centre - half, centre + half), rtol=1e-12)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and 0 < high < 0.35
    low, high = wilson_interval([0, 10], [10, 10])
    assert_allclose(low[0], 0.0) and assert_allclose(high[1], 1.0)


# ---------------------------------------------------------------------------------------------
# the z-test and the relative lift
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("counts", [(56, 70, 48, 80), (130, 200, 110, 210), (9, 10, 3, 10)])
def test_z_test_equals_uncorrected_chi_square(counts):
    xt, nt, xc, nc = counts
    res = ab_test(*counts)
    chi2, p, _, _ = chi2_contingency([[xt, nt - xt], [xc, nc - xc]], correction=False)
    assert_allclose(res.z**2, chi2, rtol=1e-12)
    assert_allclose(res.p_value, p, rtol=1e-10)


def test_z_test_by_hand_and_one_sided():
    res = ab_test(56, 70, 48, 80)
    pooled = 104 / 150
    z = 0.2 / np.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert_allclose(res.z, z, rtol=1e-12)
    assert_allclose(res.p_value, 2 * norm.sf(z))
    assert_allclose(ab_test(56, 70, 48, 80, alternative="greater").p_value, norm.sf(z))
    assert_allclose(ab_test(56, 70, 48, 80, alternative="less").p_value, norm.cdf(z))
    # no variation at all: z = 0, p = 1
    flat = ab_test(10, 10, 20, 20)
    assert flat.z == 0.0 and flat.p_value == 1.0


def test_relative_lift_and_katz_interval():
    res = ab_test(56, 70, 48, 80)
    assert_allclose(res.relative_lift, 0.8 / 0.6 - 1)
    se = np.sqrt(1 / 56 - 1 / 70 + 1 / 48 - 1 / 80)
    z = norm.ppf(0.975)
    log_rr = np.log(0.8 / 0.6)
    assert_allclose([res.relative_ci_low, res.relative_ci_high], np.exp([log_rr - z * se, log_rr + z * se]) - 1)
    empty_control = ab_test(5, 56, 0, 29)
    assert np.isnan(empty_control.relative_lift) and np.isnan(empty_control.relative_ci_low)


def test_result_fields():
    res = ab_test(56, 70, 48, 80)
    assert isinstance(res, ABTest)
    assert (res.rate_treated, res.rate_control) == (0.8, 0.6)
    assert_allclose(res.lift, 0.2)
    assert res.confidence == 0.95 and res.method == "newcombe" and res.alternative == "two-sided"
    assert isinstance(res.ci_low, float)


def test_vectorised_equals_scalar_calls():
    xt, nt, xc, nc = np.array([56, 9, 6]), np.array([70, 10, 7]), np.array([48, 3, 2]), np.array([80, 10, 7])
    res = ab_test(xt, nt, xc, nc)
    for k in range(3):
        one = ab_test(int(xt[k]), int(nt[k]), int(xc[k]), int(nc[k]))
        assert_allclose([res.ci_low[k], res.ci_high[k], res.p_value[k]], [one.ci_low, one.ci_high, one.p_value])


# ---------------------------------------------------------------------------------------------
# coverage: simulated experiments with a known true lift
# ---------------------------------------------------------------------------------------------
def coverage(p_t, p_c, n, method, runs=20000, seed=0):
    rng = np.random.default_rng(seed)
    xt = rng.binomial(n, p_t, runs)
    xc = rng.binomial(n, p_c, runs)
    res = ab_test(xt, n, xc, n, method=method)
    truth = p_t - p_c
    return float(np.mean((res.ci_low <= truth) & (truth <= res.ci_high)))


def test_newcombe_coverage_is_close_to_nominal():
    # a typical campaign: 70 % vs 65 %, 400 customers per arm
    assert 0.94 <= coverage(0.70, 0.65, 400, "newcombe") <= 0.96
    # small groups and rates near 1: still close to 95 %
    assert 0.93 <= coverage(0.92, 0.85, 30, "newcombe") <= 0.98


def test_wald_undercovers_small_groups_near_the_boundary():
    wald = coverage(0.95, 0.90, 20, "wald")
    newcombe = coverage(0.95, 0.90, 20, "newcombe")
    assert wald < 0.93 < newcombe


def test_type_one_error_of_the_z_test():
    rng = np.random.default_rng(1)
    xt = rng.binomial(500, 0.7, 20000)
    xc = rng.binomial(500, 0.7, 20000)
    rejected = np.mean(ab_test(xt, 500, xc, 500).p_value < 0.05)
    assert 0.04 <= rejected <= 0.06


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((11, 10, 5, 10), {}, ValueError, "retained_treated must not exceed n_treated, got retained_treated=11 > n_treated=10"),
        ((5, 10, 12, 10), {}, ValueError, "retained_control must not exceed n_control"),
        ((5, 0, 5, 10), {}, ValueError, "n_treated must be an integer >= 1, got 0"),
        ((-1, 10, 5, 10), {}, ValueError, "retained_treated must be an integer >= 0, got -1"),
        ((5.5, 10, 5, 10), {}, ValueError, "retained_treated must be a whole number"),
        ((5, 10, np.nan, 10), {}, ValueError, "retained_control must be a number, got NaN"),
        (("5", 10, 5, 10), {}, TypeError, "retained_treated must be a number"),
        ((5, 10, 5, 10), {"confidence": 1.0}, ValueError, r"confidence must be in \(0, 1\), got 1"),
        ((5, 10, 5, 10), {"confidence": 0}, ValueError, r"confidence must be in \(0, 1\)"),
        ((5, 10, 5, 10), {"method": "exact"}, ValueError, "method must be one of 'newcombe', 'wald'; got 'exact'"),
        ((5, 10, 5, 10), {"alternative": "bigger"}, ValueError, "alternative must be one of"),
        ((5, 10, 5, np.inf), {}, ValueError, "n_control must hold finite whole numbers"),
    ],
)
def test_ab_test_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        ab_test(*args, **kwargs)


def test_wilson_errors():
    with pytest.raises(ValueError, match="retained_group must not exceed n_group"):
        wilson_interval(5, 4)
    with pytest.raises(TypeError, match="confidence must be a single number"):
        wilson_interval(5, 10, confidence=[0.9, 0.95])


# ---------------------------------------------------------------------------------------------
# sample size
# ---------------------------------------------------------------------------------------------
def test_sample_size_textbook_values():
    # R: power.prop.test(p1 = .50, p2 = .75, power = .90) -> n = 76.7
    assert sample_size(0.50, 0.25, power=0.9) == 77
    # R: power.prop.test(p1 = .60, p2 = .75, power = .80) -> n = 151.9
    assert sample_size(0.60, 0.15) == 152
    # the formula by hand
    p1, p2 = 0.8, 0.82
    pb = (p1 + p2) / 2
    n = (norm.ppf(0.975) * np.sqrt(2 * pb * (1 - pb)) + norm.ppf(0.8) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / 0.02**2
    assert sample_size(0.8, 0.02) == int(np.ceil(n))


def test_sample_size_gives_the_power_it_promises():
    # power of the pooled z-test at n per arm, by the normal approximation
    p1, delta = 0.65, 0.05
    n = sample_size(p1, delta)
    p2 = p1 + delta
    pb = (p1 + p2) / 2
    se0 = np.sqrt(2 * pb * (1 - pb) / n)
    se1 = np.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n)
    power = norm.sf((norm.ppf(0.975) * se0 - delta) / se1)
    assert 0.8 <= power < 0.8 + 1e-3
    # and by simulation
    rng = np.random.default_rng(5)
    xt = rng.binomial(n, p2, 20000)
    xc = rng.binomial(n, p1, 20000)
    simulated = np.mean(ab_test(xt, n, xc, n).p_value < 0.05)
    assert 0.78 <= simulated <= 0.82


def test_sample_size_one_sided_smaller_and_vectorised():
    assert sample_size(0.7, 0.05, alternative="one-sided") < sample_size(0.7, 0.05)
    out = sample_size(0.7, np.array([0.02, 0.05, 0.1]))
    assert out.dtype == np.int64 and (np.diff(out) < 0).all()
    # a drop is as detectable as a rise of the same size around the same mean
    assert sample_size(0.75, -0.05) == sample_size(0.70, 0.05)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((0.7, 0.0), {}, "min_detectable_lift must not be 0"),
        ((0.7, 0.3), {}, r"p_control \+ min_detectable_lift must be in \(0, 1\), got 1"),
        ((1.0, 0.01), {}, r"p_control must be in \(0, 1\)"),
        ((0.7, 0.05), {"power": 1.0}, r"power must be in \(0, 1\)"),
        ((0.7, 0.05), {"alpha": 0}, r"alpha must be in \(0, 1\)"),
        ((0.7, 0.05), {"alternative": "greater"}, "alternative must be one of 'two-sided', 'one-sided'"),
    ],
)
def test_sample_size_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sample_size(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# ab_test_table
# ---------------------------------------------------------------------------------------------
def test_ab_test_table_counts_and_groups():
    data = pd.DataFrame(
        {
            "arm": ["treatment", "treatment", "control", "control", "treatment", "control"],
            "retained": [1, 0, 1, 1, 1, 0],
            "segment": ["a", "a", "a", "a", "b", "b"],
        }
    )
    overall = ab_test_table(data)
    assert overall.index.tolist() == ["all"]
    assert overall[["n_treated", "retained_treated", "n_control", "retained_control"]].iloc[0].tolist() == [3, 2, 3, 2]
    by = ab_test_table(data, by="segment")
    assert by.index.name == "segment" and by.index.tolist() == ["a", "b"]
    assert by.loc["a", ["n_treated", "retained_treated", "n_control", "retained_control"]].tolist() == [2, 1, 2, 2]
    one = ab_test(1, 2, 2, 2)
    assert_allclose(by.loc["a", ["lift", "ci_low", "ci_high", "p_value"]].to_numpy(float), [one.lift, one.ci_low, one.ci_high, one.p_value])


def test_ab_test_table_errors():
    good = pd.DataFrame({"arm": ["treatment", "control"], "retained": [True, False], "g": ["x", "y"]})
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        ab_test_table([1, 2])
    with pytest.raises(ValueError, match="data must have the columns"):
        ab_test_table(good, by="segment")
    with pytest.raises(ValueError, match="must hold only 'treatment' and 'control', got also \\['placebo'\\]"):
        ab_test_table(good.assign(arm=["treatment", "placebo"]))
    with pytest.raises(ValueError, match="must be boolean or 0/1"):
        ab_test_table(good.assign(retained=[2, 0]))
    with pytest.raises(ValueError, match="every group must have customers in both arms"):
        ab_test_table(good, by="g")


# ---------------------------------------------------------------------------------------------
# the campaign dataset
# ---------------------------------------------------------------------------------------------
def test_committed_campaign_files_are_regenerated_byte_for_byte(tmp_path):
    fresh = write_campaign(tmp_path)
    assert [p.name for p in fresh] == ["campaign_customers.csv", "campaign_truth.csv"]
    for path in fresh:
        committed = REPO_DATASETS / path.name
        assert committed.is_file(), f"{committed} is missing; run `python -m coursekit.models.experiments datasets`"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} differs; regenerate it"


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
    assert c.dtypes["retained"] == bool
    truth = load_campaign_truth().set_index("quadrant")
    table = ab_test_table(c, by="quadrant")
    # every 95 % interval covers the true lift in the committed sample
    assert ((table["ci_low"] <= truth.loc[table.index, "true_lift"]) & (truth.loc[table.index, "true_lift"] <= table["ci_high"])).all()


def test_campaign_errors(tmp_path):
    with pytest.raises(ValueError, match="n_customers must be an integer >= 2"):
        make_campaign(n_customers=1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        make_campaign(seed=-1)
    with pytest.raises(TypeError, match="data must be a CampaignData or None"):
        write_campaign(tmp_path, data=pd.DataFrame())
    with pytest.raises(FileNotFoundError, match="campaign_customers.csv"):
        load_campaign(tmp_path / "nowhere")
    bad = tmp_path / "bad"
    write_campaign(bad, make_campaign(n_customers=10, seed=1))
    text = (bad / "campaign_customers.csv").read_text().replace("True", "yes", 1)
    (bad / "campaign_customers.csv").write_text(text)
    with pytest.raises(ValueError, match="must hold True or False"):
        load_campaign(bad)


def test_main_writes_the_files(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "campaign_customers.csv" in out and "campaign_truth.csv" in out
    assert isinstance(make_campaign(10, 1), CampaignData)
