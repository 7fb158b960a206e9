"""BG/NBD, Pareto/NBD and gamma-gamma (issue 14), checked against the published CDNOW results."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.data import cdnow
from coursekit.models import bgnbd, gamma_gamma, pareto_nbd

# Fader, Hardie & Lee (2005), Marketing Science 24(2): the estimates on the CDNOW sample, weeks 1-39
BGNBD_PUBLISHED = (0.243, 4.414, 0.793, 2.426)
BGNBD_LL = -9582.4
PARETO_PUBLISHED = (0.553, 10.578, 0.606, 11.669)
PARETO_LL = -9595.0
# Fader, Hardie & Lee (2005), Journal of Marketing Research 42(4); Fader & Hardie (2013), note 025
GAMMA_GAMMA_PUBLISHED = (6.25, 3.74, 15.44)


@pytest.fixture(scope="module")
def summary():
    return cdnow.cdnow_summary()


@pytest.fixture(scope="module")
def xtT(summary):
    return summary["frequency"].to_numpy(), summary["recency"].to_numpy(), summary["T"].to_numpy()


def test_bgnbd_reproduces_the_published_estimates(xtT):
    fit = bgnbd.fit_bgnbd(*xtT)
    assert_allclose(fit.params, BGNBD_PUBLISHED, atol=0.0006)
    assert fit.log_likelihood == pytest.approx(BGNBD_LL, abs=0.05)
    assert fit.n_customers == 2357
    assert bgnbd.bgnbd_log_likelihood(fit, *xtT) == pytest.approx(fit.log_likelihood)


def test_bgnbd_reproduces_the_published_conditional_expectation():
    """FHL 2005: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks."""
    value = bgnbd.bgnbd_conditional_expected_transactions(BGNBD_PUBLISHED, 39, [2], [30.43], [38.86])
    assert value[0] == pytest.approx(1.226, abs=0.0005)


def test_bgnbd_reproduces_the_published_spreadsheet_expectations(xtT):
    """E[X(t)] of a new customer on CDNOW, from the spreadsheet implementation of FHL (2005).

    B. G. S. Hardie's Excel note "Implementing the BG/NBD model" (brucehardie.com, note 004) tabulates
    E[X(t)] for the CDNOW fit; the values below are as reproduced in the test-suite of the ``lifetimes``
    package (``test_expectation_returns_same_value_Hardie_excel_sheet``)."""
    times = np.array([0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0])
    published = np.array([0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576])
    fit = bgnbd.fit_bgnbd(*xtT)
    np.testing.assert_allclose(bgnbd.bgnbd_expected_transactions(fit, times), published, atol=5e-4)


def test_pareto_nbd_reproduces_the_published_estimates(xtT):
    fit = pareto_nbd.fit_pareto_nbd(*xtT)
    assert_allclose(fit.params, PARETO_PUBLISHED, atol=0.002)
    assert fit.log_likelihood == pytest.approx(PARETO_LL, abs=0.05)
    # BG/NBD fits this sample slightly better, as the paper reports
    assert bgnbd.fit_bgnbd(*xtT).log_likelihood > fit.log_likelihood


def test_gamma_gamma_reproduces_the_published_estimates(summary):
    repeaters = summary[summary["frequency"] > 0]
    assert len(repeaters) == 946
    fit = gamma_gamma.fit_gamma_gamma(repeaters["frequency"], repeaters["monetary_value"])
    assert_allclose(fit.params, GAMMA_GAMMA_PUBLISHED, atol=0.006)
    spend = gamma_gamma.gamma_gamma_expected_spend(fit, repeaters["frequency"], repeaters["monetary_value"])
    # shrinkage: the expected spend lies between the customer's own average and the population mean
    population = fit.p * fit.gamma / (fit.q - 1)
    own = repeaters["monetary_value"].to_numpy()
    assert ((spend - own) * (spend - population) <= 1e-9).all()


def test_the_holdout_period(summary, xtT):
    """Weeks 40-78: the forecasts follow the holdout purchases by calibration frequency (FHL 2005, Fig. 4)."""
    actual = summary["holdout_frequency"].to_numpy()
    for forecast in (bgnbd.bgnbd_conditional_expected_transactions(bgnbd.fit_bgnbd(*xtT), 39, *xtT),
                     pareto_nbd.pareto_nbd_conditional_expected_transactions(pareto_nbd.fit_pareto_nbd(*xtT), 39, *xtT)):
        assert actual.sum() == 1882
        assert 0.8 * actual.sum() < forecast.sum() < 1.05 * actual.sum()
        groups = np.minimum(xtT[0], 7)
        by_x_actual = np.array([actual[groups == k].mean() for k in range(8)])
        by_x_forecast = np.array([forecast[groups == k].mean() for k in range(8)])
        assert np.all(np.diff(by_x_forecast) > 0)
        assert np.corrcoef(by_x_actual, by_x_forecast)[0, 1] > 0.98


def test_discounted_expected_transactions_against_the_forecasts_it_discounts():
    """DET is the discounted sum of the conditional forecasts: integrate d E[Y(t)] e^{-delta t} numerically."""
    from scipy.integrate import quad

    delta = np.log(1.15) / 52
    for x, t_x, big_t in [(2, 30.43, 38.86), (0, 0.0, 32.0), (9, 37.0, 38.0)]:
        def rate(u, x=x, t_x=t_x, big_t=big_t):
            h = 1e-3
            lo = max(u - h, 0.0)
            ahead = pareto_nbd.pareto_nbd_conditional_expected_transactions(PARETO_PUBLISHED, u + h, [x], [t_x], [big_t])[0]
            behind = pareto_nbd.pareto_nbd_conditional_expected_transactions(PARETO_PUBLISHED, lo, [x], [t_x], [big_t])[0]
            return (ahead - behind) / (u + h - lo)
        numeric = quad(lambda u: rate(u) * np.exp(-delta * u), 0, 20_000, limit=400)[0]
        det = pareto_nbd.pareto_nbd_discounted_expected_transactions(PARETO_PUBLISHED, delta, [x], [t_x], [big_t])[0]
        assert det == pytest.approx(numeric, rel=1e-3)
    slow, fast = (pareto_nbd.pareto_nbd_discounted_expected_transactions(PARETO_PUBLISHED, d, [2], [30.43], [38.86])[0]
                  for d in (0.001, 0.01))
    assert slow > fast > 0
    with pytest.raises(ValueError, match="discount_rate"):
        pareto_nbd.pareto_nbd_discounted_expected_transactions(PARETO_PUBLISHED, 0, [2], [30.43], [38.86])


def test_p_alive_behaves(xtT):
    fit = bgnbd.BGNBDFit(*BGNBD_PUBLISHED)
    p = bgnbd.bgnbd_p_alive(fit, *xtT)
    assert ((p > 0) & (p <= 1)).all() and (p[xtT[0] == 0] == 1).all()
    # the longer the silence since the last purchase, the lower P(alive)
    silent = bgnbd.bgnbd_p_alive(fit, [3, 3, 3], [35.0, 20.0, 5.0], [38.0, 38.0, 38.0])
    assert np.all(np.diff(silent) < 0)
    q = pareto_nbd.pareto_nbd_p_alive(PARETO_PUBLISHED, *xtT)
    assert ((q > 0) & (q <= 1)).all()
    assert (q[xtT[0] == 0] < 1).all(), "the Pareto/NBD lets customers die before their first repeat purchase"


def test_unconditional_expectation_matches_a_simulation():
    """E[X(t)] of the BG/NBD against a simulation of the model itself (200,000 customers)."""
    rng = np.random.default_rng(2)
    r, alpha, a, b = BGNBD_PUBLISHED
    n, t = 200_000, 39.0
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    count = np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        clock[alive] += rng.exponential(1 / lam[alive])
        alive &= clock < t
        count[alive] += 1
        alive &= rng.random(n) >= p
    assert bgnbd.bgnbd_expected_transactions(BGNBD_PUBLISHED, t) == pytest.approx(count.mean(), rel=0.02)


@pytest.mark.parametrize("call", [
    lambda: bgnbd.fit_bgnbd([1, 2], [1.0], [5.0, 5.0]),
    lambda: bgnbd.bgnbd_p_alive(BGNBD_PUBLISHED, [1.5], [1.0], [5.0]),
    lambda: bgnbd.bgnbd_p_alive(BGNBD_PUBLISHED, [1], [6.0], [5.0]),
    lambda: bgnbd.bgnbd_p_alive(BGNBD_PUBLISHED, [0], [2.0], [5.0]),
    lambda: bgnbd.bgnbd_p_alive(BGNBD_PUBLISHED, [2], [0.0], [5.0]),
    lambda: bgnbd.bgnbd_p_alive((0.2, -1, 1, 1), [2], [1.0], [5.0]),
    lambda: pareto_nbd.fit_pareto_nbd([-1], [0.0], [5.0]),
    lambda: pareto_nbd.pareto_nbd_p_alive(PARETO_PUBLISHED, [1], [1.0], [0.0]),
    lambda: gamma_gamma.fit_gamma_gamma([0, 1], [10.0, 5.0]),
    lambda: gamma_gamma.gamma_gamma_expected_spend(GAMMA_GAMMA_PUBLISHED, [1], [-3.0]),
    lambda: bgnbd.bgnbd_conditional_expected_transactions(BGNBD_PUBLISHED, -1, [1], [1.0], [5.0]),
])
def test_bad_input_gets_a_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("call", [
    lambda: bgnbd.bgnbd_p_alive("r alpha a b", [1], [1.0], [5.0]),
    lambda: bgnbd.bgnbd_p_alive((1, 2, 3), [1], [1.0], [5.0]),
    lambda: pareto_nbd.pareto_nbd_p_alive(PARETO_PUBLISHED, ["2"], [1.0], [5.0]),
    lambda: gamma_gamma.gamma_gamma_log_likelihood({"p": 1}, [1], [3.0]),
])
def test_bad_types_get_a_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_the_pareto_nbd_recovers_the_truth_of_the_course_s_synthetic_retailer():
    """Issue 14: the transactions dataset is generated Pareto/NBD-style with a known truth.

    The Pareto/NBD recovers the mean purchase and churn rates and tells live customers from dead
    ones; the BG/NBD, whose customers can only leave right after a purchase, overstates P(alive).
    """
    from coursekit import data
    from coursekit.models import purchases
    orders = data.load_orders()
    truth = data.load_truth().set_index("customer_id")
    month = 365.25 / 12
    s = purchases.repeat_buying_summary(orders, "2023-12-31", by="customer_id", date="order_date", unit_days=month)
    s = s[s["T"] > 0]
    fit = pareto_nbd.fit_pareto_nbd(s["frequency"], s["recency"], s["T"])
    assert fit.r / fit.alpha == pytest.approx(truth["purchase_rate_per_month"].mean(), rel=0.1)
    assert fit.s / fit.beta == pytest.approx(truth["churn_rate_per_month"].mean(), rel=0.15)
    alive = ~truth.loc[s.index, "churned_by_end"].to_numpy()
    p = pareto_nbd.pareto_nbd_p_alive(fit, s["frequency"], s["recency"], s["T"])
    assert p.mean() == pytest.approx(alive.mean(), abs=0.05)
    auc = (p[alive][:, None] > p[~alive][None, :]).mean()
    assert auc > 0.85
    fb = bgnbd.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    assert bgnbd.bgnbd_p_alive(fb, s["frequency"], s["recency"], s["T"]).mean() > alive.mean() + 0.1
