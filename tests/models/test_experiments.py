"""Tests of coursekit.models.experiments: A/B intervals against published values, coverage, sample size,
and the Wilson interval (by hand, by the roots of its quadratic, and against scipy's)."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from scipy.stats import chi2_contingency, norm

from coursekit.models import care, experiments, satisfaction
from coursekit.models.experiments import ABTest, ab_test, ab_test_table, sample_size, wilson_interval, wilson_limits


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
        ((11, 10, 5, 10), {}, ValueError,
         "retained_treated must not exceed n_treated, got retained_treated=11 > n_treated=10"),
        ((5, 10, 12, 10), {}, ValueError, "retained_control must not exceed n_control"),
        ((5, 0, 5, 10), {}, ValueError, "n_treated must hold whole numbers >= 1, got 0"),
        ((-1, 10, 5, 10), {}, ValueError, "retained_treated must hold whole numbers >= 0, got -1"),
        ((5.5, 10, 5, 10), {}, ValueError, "retained_treated must hold whole numbers, got 5.5"),
        ((5, 10, np.nan, 10), {}, ValueError, "retained_control must be a number, got NaN"),
        (("5", 10, 5, 10), {}, TypeError, "retained_treated must hold numbers"),
        (([5, 6], 10, 5, [10, 10, 10]), {}, ValueError, "must broadcast|shape"),
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




# ---------------------------------------------------------------------------------------------
# the Wilson interval: the course's one, used by ab_test and care.retention_by_response
# ---------------------------------------------------------------------------------------------
def _wilson_by_roots(x, n, z):
    """The Wilson limits are the roots p of (x/n - p)^2 = z^2 p (1 - p) / n."""
    phat = x / n
    a = 1 + z**2 / n
    b = -(2 * phat + z**2 / n)
    c = phat**2
    roots = np.sort(np.roots([a, b, c]).real)
    return roots[0], roots[1]


@pytest.mark.parametrize(("x", "n"), [(7, 10), (1, 3), (608, 865), (50, 269), (0, 4), (5, 5)])
def test_wilson_interval_brute_force(x, n):
    low, high = wilson_interval(x, n)
    ref = _wilson_by_roots(x, n, stats.norm.ppf(0.975))
    assert_allclose([low, high], ref, atol=1e-9)
    assert 0.0 <= low <= x / n <= high <= 1.0


def test_wilson_interval_values_and_vectorisation():
    low, high = wilson_interval(7, 10)
    assert_allclose([low, high], [0.396778, 0.892209], atol=1e-6)
    lows, highs = wilson_interval(np.array([0, 7, 10]), 10, confidence=0.9)
    assert lows.shape == highs.shape == (3,)
    assert lows[0] == 0.0 and highs[2] == 1.0
    assert_allclose(lows[1], _wilson_by_roots(7, 10, stats.norm.ppf(0.95))[0])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((11, 10), ValueError, r"successes must not exceed n, got successes=11 > n=10"),
        ((-1, 10), ValueError, "successes must hold whole numbers >= 0, got -1"),
        ((1.5, 10), ValueError, "successes must hold whole numbers, got 1.5"),
        ((1, 0), ValueError, "n must hold whole numbers >= 1, got 0"),
        ((1, 2.5), ValueError, "n must hold whole numbers"),
        ((np.nan, 2), ValueError, "successes must be a number, got NaN"),
        (("1", 2), TypeError, "successes must hold numbers"),
        ((5, 10, [0.9, 0.95]), TypeError, "confidence must be a single number"),
        (([1, 2], [3, 4, 5]), ValueError, "successes and n must broadcast together"),
        ((1, 2, 1.5), ValueError, r"confidence must be in \(0, 1\)"),
    ],
)
def test_wilson_interval_errors(args, error, match):
    with pytest.raises(error, match=match):
        wilson_interval(*args)


@pytest.mark.parametrize(("x", "n"), [(0, 1), (0, 10), (3, 7), (7, 10), (56, 70), (608, 865), (10, 10), (499, 1000)])
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_interval_equals_scipy(x, n, confidence):
    """Oracle: scipy.stats.binomtest(k, n).proportion_ci(method="wilson") (no continuity correction)."""
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert_allclose(wilson_interval(x, n, confidence=confidence), (ci.low, ci.high), rtol=1e-12, atol=1e-15)


def test_wilson_interval_vectorised_equals_scipy():
    x = np.arange(0, 41)
    low, high = wilson_interval(x, 40, confidence=0.9)
    cis = [stats.binomtest(int(k), 40).proportion_ci(confidence_level=0.9, method="wilson") for k in x]
    assert_allclose(low, [c.low for c in cis], rtol=1e-12, atol=1e-15)
    assert_allclose(high, [c.high for c in cis], rtol=1e-12, atol=1e-15)


def test_one_wilson_interval():
    """care (retention by response time) uses the interval of experiments; nothing defines its own."""
    assert not hasattr(satisfaction, "wilson_interval") and not hasattr(care, "wilson_interval")
    assert care.wilson_limits is experiments.wilson_limits
    low, high = wilson_limits(np.array([7.0]), np.array([10.0]), norm.ppf(0.975))
    assert_allclose([low[0], high[0]], wilson_interval(7, 10), rtol=0, atol=0)


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
    root = norm.ppf(0.975) * np.sqrt(2 * pb * (1 - pb)) + norm.ppf(0.8) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n = root**2 / 0.02**2
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
    assert_allclose(by.loc["a", ["lift", "ci_low", "ci_high", "p_value"]].to_numpy(float),
                    [one.lift, one.ci_low, one.ci_high, one.p_value])


def test_ab_test_table_errors():
    good = pd.DataFrame({"arm": ["treatment", "control"], "retained": [True, False], "g": ["x", "y"]})
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        ab_test_table([1, 2])
    with pytest.raises(ValueError, match=r"data must have the column\(s\) \['segment'\]"):
        ab_test_table(good, by="segment")
    with pytest.raises(ValueError, match="must hold only 'treatment' and 'control', got also \\['placebo'\\]"):
        ab_test_table(good.assign(arm=["treatment", "placebo"]))
    with pytest.raises(ValueError, match="must be boolean or 0/1"):
        ab_test_table(good.assign(retained=[2, 0]))
    with pytest.raises(ValueError, match="every group must have customers in both arms"):
        ab_test_table(good, by="g")
