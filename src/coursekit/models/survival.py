r"""Survival curves and the shifted-beta-geometric (sBG) model of contractual retention.

Chapter 4 (customer loyalty, 客户忠诚) measures retention in data
(:mod:`coursekit.models.retention` builds the cohort tables) and projects it:

* **Survival curves** -- :func:`kaplan_meier`, the product-limit estimator
  with Greenwood standard errors, for lifetimes with censoring.
* **The shifted-beta-geometric (sBG) model** of Fader and Hardie (2007).  Each
  customer renews at the end of every period with her own constant
  probability :math:`1 - \theta`; the churn probabilities :math:`\theta` vary
  across customers as :math:`\mathrm{Beta}(\alpha, \beta)`.  Then

  .. math::

     P(T = t) = \frac{B(\alpha + 1, \beta + t - 1)}{B(\alpha, \beta)}, \qquad
     S(t) = P(T > t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)}, \qquad
     r_t = \frac{S(t)}{S(t-1)} = \frac{\beta + t - 1}{\alpha + \beta + t - 1},

  where :math:`T \in \{1, 2, \dots\}` is the number of periods a customer
  stays (the period of acquisition counts as the first) and :math:`S(t)` the
  share still active after :math:`t` renewal decisions.  :func:`fit_sbg`
  estimates :math:`\alpha, \beta` by maximum likelihood from the survivor
  counts of a cohort, :func:`fit_sbg_lifetimes` from individual lifetimes;
  :func:`sbg_project`, :func:`sbg_expected_lifetime`, :func:`sbg_del` and
  :func:`sbg_clv` turn the estimates into projections and values.

The aggregate retention rate :math:`r_t` of the sBG model *rises* with tenure
although no customer's own churn probability changes: customers with a high
:math:`\theta` leave first, so the survivors are, on average, the loyal ones
(Vaupel and Yashin, 1985, call such effects "heterogeneity's ruses").

References
----------
.. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
   Journal of Interactive Marketing 21(1), 76-90, 2007.
.. [2] P. S. Fader and B. G. S. Hardie, "Customer-Base Valuation in a
   Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
   Science 29(1), 85-93, 2010.
.. [3] E. L. Kaplan and P. Meier, "Nonparametric Estimation from Incomplete
   Observations", Journal of the American Statistical Association 53(282),
   457-481, 1958.
.. [4] J. W. Vaupel and A. I. Yashin, "Heterogeneity's Ruses: Some Surprising
   Effects of Selection on Population Dynamics", The American Statistician
   39(3), 176-185, 1985.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, ndtri

from coursekit._validate import (
    as_output,
    check_choice,
    check_flags,
    check_fraction,
    check_number,
    check_positive_int,
    check_vector,
    check_whole_numbers,
)

__all__ = [
    "kaplan_meier",
    "FitError",
    "SBGFit",
    "sbg_pmf",
    "sbg_survival",
    "sbg_retention",
    "sbg_from_retention",
    "fit_sbg",
    "fit_sbg_lifetimes",
    "sbg_project",
    "sbg_expected_lifetime",
    "sbg_del",
    "sbg_clv",
]


def _check_ab(alpha, beta):
    """alpha and beta of the sBG model: finite and > 0."""
    a = check_number("alpha", alpha, low=0.0, low_open=True)
    b = check_number("beta", beta, low=0.0, low_open=True)
    return a, b


def _first_bad(value, bad) -> float:
    """Value of ``value`` at the first True cell of ``bad`` (broadcast), for messages."""
    return float(np.broadcast_to(value, bad.shape)[bad].flat[0]) if bad.ndim else float(value)


def _require_alpha_above_one(a, what: str) -> None:
    """Raise when the undiscounted sum of S(t) diverges (alpha <= 1)."""
    bad = np.asarray(a) <= 1.0
    if bad.any():
        raise ValueError(
            f"the {what} is infinite when alpha <= 1 (S(t) falls only like t**-alpha, so the sum of "
            f"S(t) diverges); got alpha={_first_bad(a, bad):g}. Give a finite horizon, or value the "
            "customer with a discount rate > 0 (sbg_del)"
        )


# --------------------------------------------------------------------------------------------
# Kaplan-Meier
# --------------------------------------------------------------------------------------------
def kaplan_meier(durations, observed, conf_level=0.95, conf_type="log-log"):
    r"""Kaplan-Meier (product-limit) survival curve with Greenwood standard errors.

    At each distinct time :math:`t_j` let :math:`n_j` be the number at risk
    (durations :math:`\ge t_j`) and :math:`d_j` the churn events at
    :math:`t_j`.  Then

    .. math::

       \hat S(t) = \prod_{t_j \le t} \Bigl(1 - \frac{d_j}{n_j}\Bigr), \qquad
       \widehat{\mathrm{Var}}\,\hat S(t) = \hat S(t)^2 \sum_{t_j \le t}
       \frac{d_j}{n_j (n_j - d_j)} \quad \text{(Greenwood)}.

    A customer censored at :math:`t_j` counts as at risk at :math:`t_j`
    (censoring happens after that time's churn decisions), the usual
    convention.  With whole-period durations :math:`1 - d_j / n_j` is the
    retention rate of period :math:`t_j` among the customers who reached it.

    Parameters
    ----------
    durations : array_like
        Time each customer was observed, >= 0 (e.g. periods until churn, or
        until the end of observation).
    observed : array_like of bool
        True if the customer's churn was observed at ``durations``, False if
        she was still active then (right-censored).  1/0 are accepted.
    conf_level : float, default 0.95
        Confidence level of the pointwise interval, in (0, 1).
    conf_type : {"log-log", "linear"}, default "log-log"
        ``"log-log"``: the interval of :math:`\log(-\log S)` transformed back
        (Kalbfleisch and Prentice), which stays inside [0, 1];
        ``"linear"``: :math:`\hat S \pm z\,\mathrm{se}`, clipped to [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per distinct duration (plus a first row at time 0 if no
        duration is 0), with columns ``time``, ``at_risk``, ``events``,
        ``censored``, ``retention`` (:math:`1 - d_j/n_j`), ``survival``
        (:math:`\hat S(t_j)`), ``std_error`` (Greenwood), ``ci_lower`` and
        ``ci_upper``.  Once the curve reaches 0 the standard error and the
        interval are NaN (undefined).

    Raises
    ------
    ValueError
        If a duration is negative, NaN or infinite, the lengths differ, a flag
        is not boolean, or ``conf_level`` / ``conf_type`` is invalid.
    TypeError
        If the inputs are not numbers / booleans.

    References
    ----------
    .. [1] E. L. Kaplan and P. Meier, "Nonparametric Estimation from Incomplete
       Observations", Journal of the American Statistical Association 53(282),
       457-481, 1958.
    .. [2] M. Greenwood, "The Natural Duration of Cancer", Reports on Public
       Health and Medical Subjects 33, His Majesty's Stationery Office, London,
       1926.
    .. [3] J. D. Kalbfleisch and R. L. Prentice, *The Statistical Analysis of
       Failure Time Data*, 2nd ed., Wiley, 2002.

    Examples
    --------
    Six customers; churn observed after 1, 2, 2 and 4 periods, two still
    active after 2 and 3 periods:

    >>> km = kaplan_meier([1, 2, 2, 2, 3, 4], [True, True, True, False, False, True])
    >>> km[["time", "at_risk", "events", "censored", "survival"]].round(4)
       time  at_risk  events  censored  survival
    0   0.0        6       0         0    1.0000
    1   1.0        6       1         0    0.8333
    2   2.0        5       2         1    0.5000
    3   3.0        2       0         1    0.5000
    4   4.0        1       1         0    0.0000
    >>> round(float(km.loc[2, "std_error"]), 4)
    0.2041
    """
    t = check_vector("durations", durations)
    if not np.isfinite(t).all() or (t < 0).any():
        bad = ~np.isfinite(t) | (t < 0)
        raise ValueError(f"durations must be finite and >= 0, got {t[bad][0]:g}")
    event = check_flags("observed", observed, t.size)
    level = check_number("conf_level", conf_level, low=0.0, high=1.0, low_open=True, high_open=True)
    check_choice("conf_type", conf_type, ("log-log", "linear"))

    times, inverse = np.unique(t, return_inverse=True)
    total = np.bincount(inverse, minlength=times.size)
    events = np.bincount(inverse, weights=event.astype(float), minlength=times.size).astype(np.int64)
    at_risk = t.size - np.concatenate(([0], np.cumsum(total)[:-1]))
    if times[0] > 0:
        times = np.concatenate(([0.0], times))
        total = np.concatenate(([0], total))
        events = np.concatenate(([0], events))
        at_risk = np.concatenate(([t.size], at_risk))
    censored = total - events
    retention = 1.0 - events / at_risk
    survival = np.cumprod(retention)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(events > 0, events / (at_risk * (at_risk - events).astype(float)), 0.0)
        greenwood = np.cumsum(term)
        positive = survival > 0
        std_error = np.where(positive, survival * np.sqrt(greenwood), np.nan)
        z = float(ndtri(0.5 + level / 2.0))
        if conf_type == "linear":
            lower = np.where(positive, np.clip(survival - z * std_error, 0.0, 1.0), np.nan)
            upper = np.where(positive, np.clip(survival + z * std_error, 0.0, 1.0), np.nan)
        else:
            log_s = np.log(np.where(positive, survival, 1.0))
            interior = positive & (survival < 1.0)
            spread = np.where(interior, z * np.sqrt(greenwood) / np.abs(np.where(interior, log_s, 1.0)), 0.0)
            lower = np.where(positive, np.where(interior, survival ** np.exp(spread), 1.0), np.nan)
            upper = np.where(positive, np.where(interior, survival ** np.exp(-spread), 1.0), np.nan)
    return pd.DataFrame(
        {
            "time": times.astype(float),
            "at_risk": at_risk.astype(np.int64),
            "events": events.astype(np.int64),
            "censored": censored.astype(np.int64),
            "retention": retention,
            "survival": survival,
            "std_error": std_error,
            "ci_lower": lower,
            "ci_upper": upper,
        }
    )


# --------------------------------------------------------------------------------------------
# the shifted-beta-geometric model
# --------------------------------------------------------------------------------------------
class FitError(ValueError):
    """A model could not be fitted: the optimiser did not converge or the data do not identify it.

    A subclass of :class:`ValueError`, raised instead of returning estimates
    that look plausible but are not maximum-likelihood estimates.

    Examples
    --------
    >>> issubclass(FitError, ValueError)
    True
    """


@dataclass(frozen=True)
class SBGFit:
    r"""Maximum-likelihood estimates of the shifted-beta-geometric model.

    Attributes
    ----------
    alpha, beta : float
        Parameters of the Beta distribution of the customers' churn
        probabilities :math:`\theta`.
    log_likelihood : float
        Log-likelihood at the estimates (natural log).
    n : int
        Number of customers the fit used (the cohort size for :func:`fit_sbg`).
    converged : bool
        Always True: a fit that does not converge raises :class:`FitError`
        instead of returning.
    message : str
        The optimiser's message.

    Examples
    --------
    >>> fit = SBGFit(alpha=1.0, beta=3.0, log_likelihood=-10.0, n=50, converged=True, message="ok")
    >>> fit.mean_churn
    0.25
    """

    alpha: float
    beta: float
    log_likelihood: float
    n: int
    converged: bool
    message: str

    @property
    def mean_churn(self) -> float:
        r"""Mean churn probability of a newly acquired customer, :math:`\alpha / (\alpha + \beta)`.

        Examples
        --------
        >>> SBGFit(1.0, 4.0, -1.0, 10, True, "ok").mean_churn
        0.2
        """
        return self.alpha / (self.alpha + self.beta)


def sbg_pmf(alpha, beta, t):
    r"""Probability that a customer's lifetime is exactly ``t`` periods under the sBG model.

    .. math:: P(T = t \mid \alpha, \beta) = \frac{B(\alpha + 1, \beta + t - 1)}{B(\alpha, \beta)},
              \qquad t = 1, 2, \dots

    i.e. the share of a new cohort that churns at the end of period ``t``
    (the period of acquisition is period 1).  Computed in log space with
    :func:`scipy.special.betaln`.

    Parameters
    ----------
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    t : int or array_like of int
        Lifetime in periods, a whole number >= 1.

    Returns
    -------
    float or numpy.ndarray
        Probabilities (broadcast over the inputs).

    Raises
    ------
    ValueError
        If ``alpha`` or ``beta`` is not > 0, or ``t`` is not a whole number >= 1.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> round(sbg_pmf(1.0, 3.0, 1), 4)       # alpha / (alpha + beta)
    0.25
    >>> np.round(sbg_pmf(0.704, 1.182, [1, 2, 3]), 4)
    array([0.3733, 0.1529, 0.0858])
    """
    a, b = _check_ab(alpha, beta)
    tt = check_whole_numbers("t", t, minimum=1)
    return as_output(np.exp(betaln(a + 1.0, b + tt - 1.0) - betaln(a, b)))


def sbg_survival(alpha, beta, t):
    r"""Share of a cohort still active after ``t`` renewal decisions under the sBG model.

    .. math:: S(t \mid \alpha, \beta) = P(T > t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)},
              \qquad S(0) = 1,

    computed as ``exp(betaln(alpha, beta + t) - betaln(alpha, beta))``.

    Parameters
    ----------
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    t : int or array_like of int
        Periods since acquisition, a whole number >= 0.

    Returns
    -------
    float or numpy.ndarray
        Survival probabilities in (0, 1].

    Raises
    ------
    ValueError
        If ``alpha`` or ``beta`` is not > 0, or ``t`` is not a whole number >= 0.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    The regular cohort of Fader and Hardie (2007), alpha = 0.704, beta = 1.182:

    >>> np.round(sbg_survival(0.704, 1.182, [0, 1, 2, 7]), 4)
    array([1.    , 0.6267, 0.4738, 0.2391])
    """
    a, b = _check_ab(alpha, beta)
    tt = check_whole_numbers("t", t, minimum=0)
    return as_output(np.exp(betaln(a, b + tt) - betaln(a, b)))


def sbg_retention(alpha, beta, t):
    r"""Retention rate of period ``t`` implied by the sBG model.

    .. math:: r_t = \frac{S(t)}{S(t-1)} = \frac{\beta + t - 1}{\alpha + \beta + t - 1},
              \qquad t = 1, 2, \dots

    :math:`r_t` increases with :math:`t` towards 1 although every customer's
    own churn probability is constant: the survivors of :math:`t - 1` renewals
    are increasingly the customers with a low :math:`\theta`.

    Parameters
    ----------
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    t : int or array_like of int
        Period, a whole number >= 1 (``t = 1`` is the first renewal).

    Returns
    -------
    float or numpy.ndarray
        Retention rates in (0, 1).

    Raises
    ------
    ValueError
        If ``alpha`` or ``beta`` is not > 0, or ``t`` is not a whole number >= 1.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> np.round(sbg_retention(0.704, 1.182, [1, 2, 5, 12]), 4)
    array([0.6267, 0.7561, 0.8804, 0.9454])
    """
    a, b = _check_ab(alpha, beta)
    tt = check_whole_numbers("t", t, minimum=1)
    return as_output((b + tt - 1.0) / (a + b + tt - 1.0))


def sbg_from_retention(r1, r2):
    r"""The sBG parameters that reproduce two consecutive retention rates exactly.

    From :math:`r_1 = \beta / (\alpha + \beta)` and
    :math:`r_2 = (\beta + 1) / (\alpha + \beta + 1)`:

    .. math:: \alpha + \beta = \frac{1 - r_2}{r_2 - r_1}, \qquad
              \beta = r_1 (\alpha + \beta), \qquad \alpha = (1 - r_1)(\alpha + \beta).

    A solution exists only when :math:`r_2 > r_1`: the sBG model can only
    produce rising retention.  Useful as a quick estimate and as the starting
    point of :func:`fit_sbg`.

    Parameters
    ----------
    r1, r2 : float or array_like
        Retention rates of periods 1 and 2, each in (0, 1), with ``r2 > r1``.

    Returns
    -------
    tuple of float (or of numpy.ndarray)
        ``(alpha, beta)``.

    Raises
    ------
    ValueError
        If a rate is outside (0, 1) or ``r2 <= r1``.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> alpha, beta = sbg_from_retention(0.6, 0.7)
    >>> round(alpha, 6), round(beta, 6)
    (1.2, 1.8)
    >>> round(sbg_retention(alpha, beta, 2), 6)
    0.7
    """
    a = check_fraction("r1", r1)
    b = check_fraction("r2", r2)
    for name, value in (("r1", a), ("r2", b)):
        zero = np.asarray(value) == 0.0
        if zero.any():
            raise ValueError(f"{name} must be in (0, 1): a retention rate of 0 leaves nobody to project, got 0")
    flat = np.asarray(b) <= np.asarray(a)
    if flat.any():
        raise ValueError(
            f"r2 must be greater than r1 (the sBG model implies rising retention), got r1={_first_bad(a, flat):g} "
            f"and r2={_first_bad(b, flat):g}"
        )
    total = (1.0 - np.asarray(b)) / (np.asarray(b) - np.asarray(a))
    return as_output((1.0 - np.asarray(a)) * total), as_output(np.asarray(a) * total)


_LOG_BOUND = 15.0  # the search is confined to exp(-15) <= alpha, beta <= exp(15)
_GRAD_TOL = 1e-6  # largest accepted gradient of the mean log-likelihood w.r.t. log alpha, log beta


def _sbg_objective(x, t_churn, n_churn, t_cens, n_cens, scale):
    """Minus the sBG log-likelihood / scale, and its gradient w.r.t. (log alpha, log beta)."""
    a, b = np.exp(x)
    lb = betaln(a, b)
    psi_ab, psi_a, psi_b = digamma(a + b), digamma(a), digamma(b)
    psi_churn = digamma(a + b + t_churn)
    psi_cens = digamma(a + b + t_cens)
    ll = n_churn @ (betaln(a + 1.0, b + t_churn - 1.0) - lb) + n_cens @ (betaln(a, b + t_cens) - lb)
    d_a = n_churn @ (digamma(a + 1.0) - psi_churn - psi_a + psi_ab) + n_cens @ (psi_ab - psi_cens)
    d_b = n_churn @ (digamma(b + t_churn - 1.0) - psi_churn - psi_b + psi_ab) + n_cens @ (
        digamma(b + t_cens) - psi_cens - psi_b + psi_ab
    )
    return -ll / scale, -np.array([a * d_a, b * d_b]) / scale


def _fit_sbg_counts(churn_by_t: np.ndarray, censored_by_t: np.ndarray) -> SBGFit:
    """Fit the sBG model to churn counts (index t = lifetime) and censoring counts (index t)."""
    n = int(churn_by_t.sum() + censored_by_t.sum())
    events = churn_by_t.sum()
    if events == 0:
        raise FitError(
            "no customer churned, so the data say nothing about the churn probabilities; the sBG model "
            "cannot be fitted (its likelihood keeps growing as alpha -> 0)"
        )
    periods = np.arange(churn_by_t.size, dtype=float)
    reached = n - np.concatenate(([0.0], np.cumsum(churn_by_t + censored_by_t)[:-1]))  # durations >= t
    if reached.size < 3 or reached[2] == 0:
        raise FitError(
            "nobody was observed at risk of churning in period 2 or later, so only the mean churn "
            "probability alpha / (alpha + beta) is identified, not alpha and beta separately; "
            "the sBG fit needs survivors observed over at least two periods"
        )
    keep = churn_by_t > 0
    t_churn, n_churn = periods[keep], churn_by_t[keep].astype(float)
    keep = (censored_by_t > 0) & (periods > 0)
    t_cens, n_cens = periods[keep], censored_by_t[keep].astype(float)
    args = (t_churn, n_churn, t_cens, n_cens, float(n))

    # Start from the sBG that reproduces the first two retention rates, when it exists.
    r1 = 1.0 - churn_by_t[1] / reached[1]
    r2 = 1.0 - churn_by_t[2] / reached[2]
    if 0.0 < r1 < r2 < 1.0:
        a0, b0 = sbg_from_retention(r1, r2)
    else:
        r = min(max(r1, 0.05), 0.95)
        a0, b0 = 1.0, r / (1.0 - r)
    x0 = np.clip(np.log([a0, b0]), -5.0, 5.0)
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 2

    # As alpha, beta -> infinity with alpha / (alpha + beta) fixed, the sBG tends to a geometric
    # model with one churn probability for everybody.  If that limit fits at least as well as the
    # point reached, the likelihood has no maximum: the optimiser merely stopped on a rising ridge.
    exposure = float(periods @ (churn_by_t + censored_by_t))  # renewal decisions observed
    theta = events / exposure
    ll_geometric = events * np.log(theta) + ((exposure - events) * np.log1p(-theta) if theta < 1 else 0.0)

    def no_heterogeneity(log_likelihood, alpha, beta):
        return FitError(
            "the data show no sign of heterogeneity: the sBG likelihood keeps rising as alpha and beta "
            f"grow together (reached alpha={alpha:.3g}, beta={beta:.3g}), towards a constant churn "
            f"probability of {theta:.4g} for everybody; fit that constant-retention model instead "
            "(retention = 1 - churn events / renewal decisions observed)"
        )

    def grad_ok(x):
        return bool(np.all(np.isfinite(x)) and np.max(np.abs(_sbg_objective(x, *args)[1])) <= _GRAD_TOL)

    # TNC (a bounded truncated-Newton method implemented in C) rather than L-BFGS-B: for two
    # parameters both need a few dozen evaluations, but SciPy's L-BFGS-B calls multithreaded
    # OpenBLAS routines that become 10-100 times slower when the machine's cores are busy.
    res = minimize(
        _sbg_objective, x0, args=args, jac=True, method="TNC", bounds=bounds,
        options={"ftol": 1e-14, "gtol": 1e-10, "xtol": 1e-12, "maxfun": 1000},
    )
    x, message = res.x, f"TNC: {res.message}"
    if not res.success and np.isfinite(res.fun) and grad_ok(x):
        gradient = float(np.max(np.abs(_sbg_objective(x, *args)[1])))
        message = (
            f"TNC: stopped with '{res.message}' where the gradient of the mean log-likelihood is "
            f"{gradient:.1e} <= {_GRAD_TOL:g}; accepted as converged"
        )
    if not (np.isfinite(res.fun) and grad_ok(x)):
        start = x if np.all(np.isfinite(x)) else x0
        res2 = minimize(
            lambda y: _sbg_objective(np.clip(y, -_LOG_BOUND, _LOG_BOUND), *args)[0], start,
            method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 4000},
        )
        x2 = np.clip(res2.x, -_LOG_BOUND, _LOG_BOUND)
        if not (res2.success and np.isfinite(res2.fun) and grad_ok(x2)):
            best = min((r for r in (res, res2) if np.isfinite(r.fun)), key=lambda r: r.fun, default=None)
            if best is not None and -best.fun * n <= ll_geometric + 1e-9 * n:
                a_best, b_best = np.exp(np.clip(best.x, -_LOG_BOUND, _LOG_BOUND))
                raise no_heterogeneity(-best.fun * n, a_best, b_best)
            raise FitError(
                f"the sBG maximum-likelihood fit did not converge ({message}; Nelder-Mead: {res2.message}); "
                "no estimates are returned"
            )
        x, message = x2, f"Nelder-Mead: {res2.message}"
    alpha, beta = (float(v) for v in np.exp(x))
    log_likelihood = -float(_sbg_objective(x, *args)[0]) * n
    if log_likelihood <= ll_geometric + 1e-9 * n:
        raise no_heterogeneity(log_likelihood, alpha, beta)
    if np.any(np.abs(x) >= _LOG_BOUND - 1e-3):
        if x[0] < 0 and x[1] < 0:
            detail = (
                "both parameters run towards 0, the limit in which some customers churn at once and "
                "the rest never churn (a 'mover-stayer' pattern)"
            )
        else:
            detail = "an estimate ran to the edge of the search region"
        raise FitError(
            f"the sBG likelihood has no interior maximum for these data: {detail} "
            f"(reached alpha={alpha:.3g}, beta={beta:.3g}); no estimates are returned"
        )
    return SBGFit(alpha=alpha, beta=beta, log_likelihood=log_likelihood, n=n, converged=True, message=message)


def fit_sbg(survivors):
    r"""Fit the shifted-beta-geometric model to the survivor counts of one cohort.

    With survivors :math:`S(0) = n_0, S(1), \dots, S(T)`, :math:`n_t = S(t-1) - S(t)`
    customers churned at the end of period :math:`t` and :math:`S(T)` are still
    active (censored).  The log-likelihood of Fader and Hardie (2007) is

    .. math:: LL(\alpha, \beta) = \sum_{t=1}^{T} n_t \log P(T = t \mid \alpha, \beta)
              + S(T) \log S(T \mid \alpha, \beta),

    maximised over :math:`(\log\alpha, \log\beta)` (each confined to
    :math:`[-15, 15]`) with :func:`scipy.optimize.minimize`: the bounded
    truncated-Newton method TNC with the analytic gradient (digamma
    functions), starting from :func:`sbg_from_retention` of the first two
    observed retention rates, with Nelder-Mead as a fallback.  A point is
    accepted only where the gradient of the mean log-likelihood (per customer,
    with respect to :math:`\log\alpha, \log\beta`) is at most
    :math:`10^{-6}`.

    A fit that does not converge says so: :class:`FitError` is raised, never
    estimates that merely look plausible.  This also happens when the data
    have no maximum-likelihood estimate: no churn at all; no survivor observed
    beyond period 1 (only :math:`\alpha / (\alpha+\beta)` is identified);
    retention that does not rise (the likelihood increases without bound
    towards the constant-churn geometric model); or a split into customers
    who leave at once and customers who never leave (:math:`\alpha, \beta \to 0`).

    Parameters
    ----------
    survivors : array_like of int
        :math:`S(0), S(1), \dots, S(T)` with :math:`T \ge 2`: whole numbers
        >= 0 that never increase, :math:`S(0) > 0`.  Percentages must first be
        turned into counts (e.g. 63.1 % of 1,000 customers = 631).

    Returns
    -------
    SBGFit
        ``alpha``, ``beta``, ``log_likelihood``, ``n`` (= :math:`S(0)`),
        ``converged`` (True) and the optimiser's ``message``.

    Raises
    ------
    ValueError
        If the counts are not whole numbers, are negative, increase, have fewer
        than three entries, or the cohort size is 0.
    FitError
        (a ValueError) If the maximum-likelihood fit does not converge or does
        not exist for these data.
    TypeError
        If ``survivors`` holds non-numbers.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.
    .. [2] S. G. Nash, "Newton-Type Minimization via the Lanczos Method", SIAM
       Journal on Numerical Analysis 21(4), 770-778, 1984.
    .. [3] J. A. Nelder and R. Mead, "A Simplex Method for Function
       Minimization", The Computer Journal 7(4), 308-313, 1965.

    Examples
    --------
    Years 0-7 of the regular cohort of Fader and Hardie (2007), out of 1,000
    customers; the paper reports alpha = 0.704 and beta = 1.182:

    >>> fit = fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(fit.alpha, 3), round(fit.beta, 3), round(fit.log_likelihood, 1)
    (0.704, 1.182, -1680.3)
    """
    s = check_vector("survivors", survivors)
    if s.size < 3:
        raise ValueError(
            f"survivors must list S(0), S(1), ..., S(T) with T >= 2 (at least three counts), got {s.size}; "
            "with one period only the mean churn is identified"
        )
    check_whole_numbers("survivors", s, minimum=0)
    if s[0] == 0:
        raise ValueError("survivors[0], the cohort size, must be > 0, got 0")
    rise = np.diff(s) > 0
    if rise.any():
        t = int(np.flatnonzero(rise)[0])
        raise ValueError(
            f"survivor counts must not increase: S({t}) = {s[t]:g} but S({t + 1}) = {s[t + 1]:g} "
            "(a cohort only loses customers; count new customers in their own cohort)"
        )
    churn = np.concatenate(([0.0], s[:-1] - s[1:]))
    censored = np.zeros_like(s)
    censored[-1] = s[-1]
    return _fit_sbg_counts(churn, censored)


def fit_sbg_lifetimes(durations, observed):
    r"""Fit the shifted-beta-geometric model to individual lifetimes with right-censoring.

    Customer :math:`i` was observed for :math:`d_i` periods; if her churn was
    observed her lifetime is :math:`T_i = d_i`, otherwise she was still active
    after :math:`d_i` renewal decisions.  The log-likelihood is

    .. math:: LL(\alpha, \beta) = \sum_{i\,\text{churned}} \log P(T = d_i \mid \alpha, \beta)
              + \sum_{i\,\text{censored}} \log S(d_i \mid \alpha, \beta),

    which equals the likelihood of :func:`fit_sbg` when all customers belong to
    one cohort observed for :math:`T` periods, and also handles pooled cohorts
    observed for different lengths of time.  The counts of equal lifetimes are
    aggregated first, so the cost does not grow with the number of customers.
    Optimisation and failure rules as in :func:`fit_sbg`.

    Parameters
    ----------
    durations : array_like of int
        Periods observed, whole numbers >= 0 (>= 1 for a churned customer).
    observed : array_like of bool
        True if the churn was observed (the lifetime is ``durations``), False
        if the customer was still active (censored).  1/0 are accepted.

    Returns
    -------
    SBGFit
        Estimates; ``n`` is the number of customers.

    Raises
    ------
    ValueError
        If a duration is not a whole number >= 0, a churned customer has
        duration 0, the lengths differ, or the input is empty.
    FitError
        (a ValueError) If the fit does not converge or the data do not identify
        the model (see :func:`fit_sbg`).
    TypeError
        If the inputs are not numbers / booleans.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    Ten customers: churn after 1, 1, 1, 2, 2 and 3 periods; four still active
    after 3 periods (the cohort 10, 7, 5, 4 of :func:`fit_sbg`):

    >>> fit = fit_sbg_lifetimes([1, 1, 1, 2, 2, 3, 3, 3, 3, 3], [1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (1.626, 3.662)
    >>> same = fit_sbg([10, 7, 5, 4])
    >>> round(same.alpha, 3), round(same.beta, 3)
    (1.626, 3.662)
    """
    d = check_vector("durations", durations)
    check_whole_numbers("durations", d, minimum=0)
    event = check_flags("observed", observed, d.size)
    if (event & (d < 1)).any():
        raise ValueError("a churned customer (observed True) must have a duration >= 1, got 0")
    periods = d.astype(np.int64)
    width = max(int(periods.max()) + 1, 3)
    churn = np.bincount(periods[event], minlength=width).astype(float)
    censored = np.bincount(periods[~event], minlength=width).astype(float)
    return _fit_sbg_counts(churn, censored)


def sbg_project(fit, periods):
    r"""Project survival and retention of a cohort with fitted sBG parameters.

    For :math:`t = 0, 1, \dots, \text{periods}`: the survival
    :math:`S(t) = B(\alpha, \beta + t) / B(\alpha, \beta)`, the retention rate
    :math:`r_t = (\beta + t - 1)/(\alpha + \beta + t - 1)`, the churn
    probability :math:`P(T = t)` and the expected number still active,
    :math:`n\,S(t)`, out of the ``fit.n`` customers the fit used.

    Parameters
    ----------
    fit : SBGFit
        Result of :func:`fit_sbg` or :func:`fit_sbg_lifetimes`.
    periods : int
        Last period to project, a whole number >= 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (int), ``survival``, ``retention`` (NaN at period
        0), ``churn_probability`` (NaN at period 0) and ``expected_active``.

    Raises
    ------
    TypeError
        If ``fit`` is not an :class:`SBGFit` or ``periods`` is not a whole number.
    ValueError
        If ``periods`` < 1.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> fit = fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> sbg_project(fit, 12).loc[[8, 12], ["period", "survival", "expected_active"]].round(3)
        period  survival  expected_active
    8        8      0.22          220.085
    12      12      0.17          170.037
    """
    if not isinstance(fit, SBGFit):
        raise TypeError(f"fit must be an SBGFit (from fit_sbg or fit_sbg_lifetimes), got {type(fit).__name__}")
    last = check_positive_int("periods", periods)
    t = np.arange(last + 1)
    survival = np.exp(betaln(fit.alpha, fit.beta + t) - betaln(fit.alpha, fit.beta))
    later = t[1:].astype(float)
    retention = np.concatenate(([np.nan], (fit.beta + later - 1.0) / (fit.alpha + fit.beta + later - 1.0)))
    log_pmf = betaln(fit.alpha + 1.0, fit.beta + later - 1.0) - betaln(fit.alpha, fit.beta)
    churn = np.concatenate(([np.nan], np.exp(log_pmf)))
    return pd.DataFrame(
        {
            "period": t.astype(np.int64),
            "survival": survival,
            "retention": retention,
            "churn_probability": churn,
            "expected_active": fit.n * survival,
        }
    )


def sbg_expected_lifetime(alpha, beta, horizon=None):
    r"""Expected number of periods a new customer stays under the sBG model.

    The lifetime :math:`T \ge 1` counts the period of acquisition, as
    :func:`expected_lifetime` does.  Without a horizon

    .. math:: E[T] = \sum_{t=0}^{\infty} S(t) = E\!\left[\frac{1}{\theta}\right]
              = \frac{\alpha + \beta - 1}{\alpha - 1}, \qquad \alpha > 1,

    and the mean is **infinite** when :math:`\alpha \le 1` (then :math:`S(t)`
    falls only like :math:`t^{-\alpha}`; a ValueError says so).  With a horizon
    :math:`H` the function returns the mean number of periods within the
    first :math:`H`,

    .. math:: E[\min(T, H)] = \sum_{t=0}^{H-1} S(t),

    summed exactly (finite for every :math:`\alpha`).

    Parameters
    ----------
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    horizon : int, optional
        Number of periods to count, a whole number >= 1; ``None`` (default)
        for an unlimited horizon.

    Returns
    -------
    float or numpy.ndarray
        Expected lifetime in periods.

    Raises
    ------
    ValueError
        If ``alpha`` or ``beta`` is not > 0, ``horizon`` is not a whole number
        >= 1, or the horizon is unlimited and ``alpha <= 1``.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.
    .. [2] P. S. Fader and B. G. S. Hardie, "Customer-Base Valuation in a
       Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
       Science 29(1), 85-93, 2010.

    Examples
    --------
    >>> sbg_expected_lifetime(2.0, 6.0)            # (2 + 6 - 1) / (2 - 1)
    7.0
    >>> round(sbg_expected_lifetime(0.704, 1.182, horizon=12), 3)
    4.41
    """
    a, b = _check_ab(alpha, beta)
    if horizon is None:
        _require_alpha_above_one(a, "expected lifetime")
        return as_output((np.asarray(a) + np.asarray(b) - 1.0) / (np.asarray(a) - 1.0))
    h = check_positive_int("horizon", horizon)
    a_, b_ = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    t = np.arange(h, dtype=float)
    total = np.exp(betaln(a_[..., None], b_[..., None] + t) - betaln(a_, b_)[..., None]).sum(axis=-1)
    return as_output(total)


_DEL_RTOL = 1e-12
_DEL_MAX_TERMS = 2**25


def _del_one(a: float, b: float, d: float) -> float:
    """sum_{t>=0} S(t) / (1+d)^t for one parameter triple, summed until a rigorous tail bound is tiny.

    The ratio of consecutive terms, (beta + t) / (alpha + beta + t) / (1 + d), rises towards
    1 / (1 + d), so the tail after the term of index N is at most term_N * (1 + d) / d.
    """
    if d == 0.0:
        return (a + b - 1.0) / (a - 1.0)
    log_z = -np.log1p(d)
    tail_factor = -1.0 / np.expm1(log_z)  # 1 / (1 - z) = (1 + d) / d
    lb = betaln(a, b)
    # The sum is at most (1 + d) / d, so stopping needs term_N <= rtol; terms fall with N, so if the
    # last allowed term is still above rtol the series cannot be summed within the budget.
    if float(np.exp(betaln(a, b + _DEL_MAX_TERMS) - lb + _DEL_MAX_TERMS * log_z)) > _DEL_RTOL:
        raise ValueError(
            f"discount_rate={d:g} is too close to 0 for alpha={a:g}: the discounted sum would need more "
            f"than {_DEL_MAX_TERMS:,} periods to converge; use a larger discount rate"
        )
    total, start, chunk = 0.0, 0, 4096
    while True:
        t = np.arange(start, start + chunk, dtype=float)
        total += float(np.exp(betaln(a, b + t) - lb + t * log_z).sum())
        start += chunk
        next_term = float(np.exp(betaln(a, b + start) - lb + start * log_z))
        if next_term * tail_factor <= _DEL_RTOL * total:
            return total
        if start >= _DEL_MAX_TERMS:  # pragma: no cover - excluded by the check above up to rounding
            raise ValueError(
                f"discount_rate={d:g} is too close to 0 for alpha={a:g}: the discounted sum had not "
                f"converged after {_DEL_MAX_TERMS:,} periods; use a larger discount rate"
            )
        chunk = min(2 * chunk, 2**20)


def sbg_del(alpha, beta, discount_rate):
    r"""Discounted expected lifetime (DEL) of a newly acquired customer under the sBG model.

    Fader and Hardie (2010) value a customer who pays at the start of every
    period while active (the first payment on acquisition, :math:`t = 0`) as
    margin x DEL, with

    .. math:: \mathrm{DEL}(d \mid \alpha, \beta) = \sum_{t=0}^{\infty} \frac{S(t)}{(1+d)^t}
              = {}_2F_1\!\Bigl(1, \beta; \alpha + \beta; \tfrac{1}{1+d}\Bigr).

    The function sums the series (in log space, with :func:`scipy.special.betaln`)
    until a rigorous bound on the remaining tail is below :math:`10^{-12}` of
    the total; the ratio of consecutive terms never exceeds
    :math:`1/(1+d)`, so the tail after term :math:`N` is at most
    :math:`\text{term}_N (1+d)/d`.  (SciPy's ``hyp2f1`` returns NaN for some
    parameters, e.g. integer :math:`\alpha` or large :math:`\beta`, so it is not
    used.)  With :math:`d = 0` DEL is the expected lifetime,
    :math:`(\alpha + \beta - 1)/(\alpha - 1)`, finite only for :math:`\alpha > 1`.

    Parameters
    ----------
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    discount_rate : float or array_like
        Discount rate per period (the period of the model: a monthly model
        needs a monthly rate), >= 0.

    Returns
    -------
    float or numpy.ndarray
        DEL in periods (discounted).

    Raises
    ------
    ValueError
        If a parameter is out of range, ``discount_rate`` is 0 while
        ``alpha <= 1`` (infinite), or the rate is so small that the series does
        not converge within 2**25 terms.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "Customer-Base Valuation in a
       Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
       Science 29(1), 85-93, 2010.

    Examples
    --------
    The regular cohort of Fader and Hardie (2007) at a 10 % annual discount rate:

    >>> round(sbg_del(0.704, 1.182, 0.10), 3)
    3.695
    >>> sbg_del(2.0, 6.0, 0.0)
    7.0
    """
    a, b = _check_ab(alpha, beta)
    d = check_number("discount_rate", discount_rate, low=0.0)
    a_, b_, d_ = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float), np.asarray(d, dtype=float))
    undiscounted = d_ == 0.0
    if undiscounted.any():
        _require_alpha_above_one(a_[undiscounted], "undiscounted expected lifetime (discount_rate = 0)")
    out = np.empty(a_.shape)
    for index in np.ndindex(a_.shape):
        out[index] = _del_one(float(a_[index]), float(b_[index]), float(d_[index]))
    return as_output(out)


def sbg_clv(margin, alpha, beta, discount_rate, timing="start"):
    r"""Expected lifetime value of a newly acquired customer under the sBG model.

    With a margin :math:`m` per period while active and discount rate :math:`d`:

    ``timing="start"`` (default; Fader and Hardie 2010): the customer pays on
    acquisition and at the start of every later period while still active,

    .. math:: E[\mathrm{CLV}] = m \sum_{t=0}^{\infty} \frac{S(t)}{(1+d)^t} = m \cdot \mathrm{DEL}(d);

    ``timing="end"``: the margin of a period arrives at its end, if the
    customer renews,

    .. math:: E[\mathrm{CLV}] = m \sum_{t=1}^{\infty} \frac{S(t)}{(1+d)^t} = m\,(\mathrm{DEL}(d) - 1).

    The words mean what they mean in :func:`coursekit.models.clv.clv`; when every
    customer has the same churn probability (:math:`\alpha, \beta \to \infty`
    with :math:`\beta/(\alpha+\beta) = r`) the two functions agree for either
    timing.  Note the default differs: ``clv`` defaults to ``"end"``, this
    function to ``"start"``, the convention of the sBG papers.

    Parameters
    ----------
    margin : float or array_like
        Margin per period, in money units (any finite number).
    alpha, beta : float or array_like
        Parameters of the Beta distribution of churn probabilities, > 0.
    discount_rate : float or array_like
        Discount rate per period, >= 0 (> 0 when ``alpha <= 1``).
    timing : {"start", "end"}, default "start"
        When each period's margin arrives (see above).

    Returns
    -------
    float or numpy.ndarray
        Expected present value at acquisition, in the money units of ``margin``.

    Raises
    ------
    ValueError
        As :func:`sbg_del`, or if ``timing`` is not ``"start"`` or ``"end"``.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "Customer-Base Valuation in a
       Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
       Science 29(1), 85-93, 2010.
    .. [2] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of
       Interactive Marketing 17(1), 9-24, 2003.

    Examples
    --------
    >>> round(sbg_clv(100, 0.704, 1.182, 0.10), 2)
    369.51
    >>> round(sbg_clv(100, 0.704, 1.182, 0.10, timing="end"), 2)
    269.51
    """
    m = check_number("margin", margin)
    check_choice("timing", timing, ("start", "end"))
    value = np.asarray(sbg_del(alpha, beta, discount_rate))
    if timing == "end":
        value = value - 1.0
    return as_output(np.asarray(m) * value)
