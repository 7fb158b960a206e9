r"""A/B tests of retention campaigns: lift, its uncertainty, and how many customers to test.

A retention campaign is judged by an experiment: customers are split at random into a
*treatment* group that gets the campaign and a *control* group that does not, and the retention
rates of the two groups are compared some time later.

* :func:`ab_test` -- the lift (difference of retention rates) with a confidence interval, the
  relative lift with its interval, and the two-proportion z-test;
* :func:`ab_test_table` -- the same from a customer-level table, overall or per segment;
* :func:`wilson_interval` -- the Wilson score interval of one rate (the course's one Wilson
  interval; :func:`wilson_limits` is its unchecked array form, which
  :func:`coursekit.models.care.retention_by_response` also uses);
* :func:`sample_size` -- customers per group needed to detect a given lift.

The campaign dataset of the course, a generated experiment with a known true lift per segment
of the customer value matrix, is in :mod:`coursekit.data.campaign`.

References
----------
.. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments: A Practical
   Guide to A/B Testing*, Cambridge University Press, 2020.
.. [2] R. G. Newcombe, "Interval estimation for the difference between independent
   proportions: comparison of eleven methods", Statistics in Medicine 17(8), 873-890, 1998.
.. [3] J. L. Fleiss, B. Levin and M. C. Paik, *Statistical Methods for Rates and Proportions*,
   3rd ed., Wiley, 2003.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from coursekit._validate import as_output, check_choice, check_frame, check_number, check_scalar, check_whole_numbers

__all__ = [
    "ABTest",
    "ab_test",
    "ab_test_table",
    "wilson_interval",
    "wilson_limits",
    "sample_size",
]

_METHODS = ("newcombe", "wald")
_ALTERNATIVES = ("two-sided", "greater", "less")


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------
def _confidence(confidence) -> float:
    return check_scalar("confidence", confidence, low=0.0, high=1.0, low_open=True, high_open=True)


def _counts(successes, n, x_name: str, n_name: str):
    """Counts of successes and trials: whole numbers, ``n >= 1``, ``0 <= successes <= n``, broadcastable."""
    n = check_whole_numbers(n_name, n, minimum=1)
    x = check_whole_numbers(x_name, successes, minimum=0)
    try:
        x_b, n_b = np.broadcast_arrays(x, n)
    except ValueError:
        raise ValueError(
            f"{x_name} and {n_name} must broadcast together, got shapes {np.shape(x)} and {np.shape(n)}"
        ) from None
    bad = x_b > n_b
    if bad.any():
        raise ValueError(
            f"{x_name} must not exceed {n_name}, got {x_name}={x_b[bad].flat[0]:g} > {n_name}={n_b[bad].flat[0]:g}"
        )
    return x, n


# --------------------------------------------------------------------------------------------
# intervals and tests
# --------------------------------------------------------------------------------------------
def wilson_limits(successes, n, z):
    r"""Wilson score limits for arrays of counts, without checks.

    The array form of :func:`wilson_interval` for callers that have checked their counts
    (``n >= 1``, ``0 <= successes <= n``) and computed :math:`z` once.

    Parameters
    ----------
    successes, n : numpy.ndarray
        Successes (e.g. customers retained) and trials; they broadcast together.
    z : float
        Standard-normal quantile, e.g. 1.96 for a 95 % interval.

    Returns
    -------
    tuple of numpy.ndarray
        The lower and upper limits, clipped to [0, 1].

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
       Journal of the American Statistical Association 22(158), 209-212, 1927.

    Examples
    --------
    >>> low, high = wilson_limits(np.array([7.0, 0.0]), np.array([10.0, 5.0]), 1.959963984540054)
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.3968, 0.0], [0.8922, 0.4345])
    """
    p = successes / n
    denom = 1.0 + z**2 / n
    centre = (p + z**2 / (2.0 * n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / n + z**2 / (4.0 * n**2)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def wilson_interval(successes, n, confidence=0.95):
    r"""Wilson score interval of a proportion, such as a retention rate.

    With :math:`\hat p = x / n` and :math:`z = \Phi^{-1}(1 - \alpha/2)`:

    .. math:: \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p (1 - \hat p)}{n}
              + \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}

    Unlike the textbook Wald interval :math:`\hat p \pm z \sqrt{\hat p (1-\hat p)/n}` it stays
    inside [0, 1] and keeps close to its nominal coverage for small groups and rates near 0 or 1.

    Parameters
    ----------
    successes : int or array_like of int
        Number of successes :math:`x` (e.g. customers retained, complainers who stayed), a whole
        number from 0 to ``n``.
    n : int or array_like of int
        Number of trials (customers in the group), a whole number >= 1; broadcasts with
        ``successes``.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    tuple of (float or numpy.ndarray)
        The lower and upper limits, as proportions.

    Raises
    ------
    ValueError
        If a count is not a whole number, ``successes > n``, ``n < 1``, the counts do not
        broadcast together or ``confidence`` is outside (0, 1).
    TypeError
        If a value is not a number, or ``confidence`` is not a single number.

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
       Journal of the American Statistical Association 22(158), 209-212, 1927.
    .. [2] A. Agresti and B. A. Coull, "Approximate Is Better than 'Exact' for Interval
       Estimation of Binomial Proportions", The American Statistician 52(2), 119-126, 1998.

    Examples
    --------
    >>> low, high = wilson_interval(56, 70)
    >>> round(low, 4), round(high, 4)
    (0.6917, 0.8769)
    >>> low, high = wilson_interval(7, 10)
    >>> round(low, 4), round(high, 4)
    (0.3968, 0.8922)
    >>> wilson_interval(0, 5)[0]
    0.0
    """
    x, n = _counts(successes, n, "successes", "n")
    z = norm.ppf(0.5 + _confidence(confidence) / 2.0)
    low, high = wilson_limits(np.asarray(x), np.asarray(n), z)
    return as_output(low), as_output(high)


@dataclass(frozen=True)
class ABTest:
    """Result of :func:`ab_test`.

    Fields are floats for scalar inputs and arrays of the broadcast shape otherwise.

    Attributes
    ----------
    rate_treated, rate_control : float or numpy.ndarray
        Observed retention rates of the two groups.
    lift : float or numpy.ndarray
        ``rate_treated - rate_control``, the absolute lift (0.03 = 3 percentage points).
    ci_low, ci_high : float or numpy.ndarray
        Two-sided confidence interval of the lift (method in ``method``).
    relative_lift : float or numpy.ndarray
        ``rate_treated / rate_control - 1`` (NaN when ``rate_control`` is 0).
    relative_ci_low, relative_ci_high : float or numpy.ndarray
        Katz log interval of the relative lift (NaN when a group retained nobody).
    z : float or numpy.ndarray
        Pooled two-proportion z statistic (0 when both groups are all retained or all lost).
    p_value : float or numpy.ndarray
        p-value of the z-test for ``alternative``.
    confidence : float
        Confidence level of the intervals.
    method : str
        ``"newcombe"`` or ``"wald"``.
    alternative : str
        ``"two-sided"``, ``"greater"`` or ``"less"``.
    """

    rate_treated: float | np.ndarray
    rate_control: float | np.ndarray
    lift: float | np.ndarray
    ci_low: float | np.ndarray
    ci_high: float | np.ndarray
    relative_lift: float | np.ndarray
    relative_ci_low: float | np.ndarray
    relative_ci_high: float | np.ndarray
    z: float | np.ndarray
    p_value: float | np.ndarray
    confidence: float
    method: str
    alternative: str


def ab_test(
    retained_treated,
    n_treated,
    retained_control,
    n_control,
    confidence=0.95,
    method="newcombe",
    alternative="two-sided",
) -> ABTest:
    r"""Lift of a retention campaign, with confidence intervals and a two-proportion z-test.

    With :math:`\hat p_T = x_T / n_T` and :math:`\hat p_C = x_C / n_C` the lift is
    :math:`\hat\delta = \hat p_T - \hat p_C`.  Its interval is

    * ``method="newcombe"`` (default): Newcombe's hybrid score interval (method 10 of Newcombe
      1998), built from the Wilson intervals :math:`(l_T, u_T)` and :math:`(l_C, u_C)` of the two
      rates:

      .. math:: \left[\hat\delta - \sqrt{(\hat p_T - l_T)^2 + (u_C - \hat p_C)^2},\;
                \hat\delta + \sqrt{(u_T - \hat p_T)^2 + (\hat p_C - l_C)^2}\right];

    * ``method="wald"``: :math:`\hat\delta \pm z \sqrt{\hat p_T (1-\hat p_T)/n_T + \hat p_C
      (1-\hat p_C)/n_C}`, which is simpler but too narrow for small groups or rates near 0 or 1.

    The relative lift :math:`\hat p_T / \hat p_C - 1` gets the Katz log interval
    :math:`\exp\{\ln(\hat p_T/\hat p_C) \pm z \sqrt{1/x_T - 1/n_T + 1/x_C - 1/n_C}\} - 1`.
    The test statistic pools the two groups, :math:`\bar p = (x_T + x_C)/(n_T + n_C)`:

    .. math:: Z = \hat\delta \Big/ \sqrt{\bar p (1 - \bar p) (1/n_T + 1/n_C)}.

    Parameters
    ----------
    retained_treated, n_treated : int or array_like of int
        Customers retained and customers in the treatment group (whole numbers, 0 <= retained
        <= n, n >= 1).
    retained_control, n_control : int or array_like of int
        The same for the control group.
    confidence : float, default 0.95
        Confidence level of the (two-sided) intervals, in (0, 1).
    method : {"newcombe", "wald"}, default "newcombe"
        Interval of the lift.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Alternative hypothesis of the z-test: the rates differ, the treatment rate is higher, or
        it is lower.  (The intervals are two-sided in every case.)

    Returns
    -------
    ABTest
        Rates, lift and interval, relative lift and interval, z and p-value.

    Raises
    ------
    ValueError
        If a count is not a whole number or out of range, ``confidence`` is outside (0, 1), or
        ``method`` / ``alternative`` is unknown.
    TypeError
        If a count is not a number.

    Notes
    -----
    The normal approximation behind the z-test needs a few retained and a few lost customers in
    each group (a common rule: at least 5 of each); use an exact test otherwise.  Every input
    may be an array, so thousands of simulated experiments can be analysed in one call.

    References
    ----------
    .. [1] R. G. Newcombe, "Interval estimation for the difference between independent
       proportions: comparison of eleven methods", Statistics in Medicine 17(8), 873-890, 1998.
    .. [2] D. Katz, J. Baptista, S. P. Azen and M. C. Pike, "Obtaining confidence intervals for
       the risk ratio in cohort studies", Biometrics 34(3), 469-474, 1978.
    .. [3] J. L. Fleiss, B. Levin and M. C. Paik, *Statistical Methods for Rates and
       Proportions*, 3rd ed., Wiley, 2003.

    Examples
    --------
    Newcombe's (1998) first example, 56/70 against 48/80:

    >>> res = ab_test(56, 70, 48, 80)
    >>> round(res.lift, 4), round(res.ci_low, 4), round(res.ci_high, 4)
    (0.2, 0.0524, 0.3339)
    >>> round(res.z, 3), round(res.p_value, 4)
    (2.65, 0.0081)
    >>> res = ab_test(56, 70, 48, 80, method="wald")
    >>> round(res.ci_low, 4), round(res.ci_high, 4)
    (0.0575, 0.3425)
    """
    x_t, n_t = _counts(retained_treated, n_treated, "retained_treated", "n_treated")
    x_c, n_c = _counts(retained_control, n_control, "retained_control", "n_control")
    conf = _confidence(confidence)
    method = check_choice("method", method, _METHODS)
    alternative = check_choice("alternative", alternative, _ALTERNATIVES)
    x_t, n_t, x_c, n_c = np.broadcast_arrays(x_t, n_t, x_c, n_c)
    z_crit = norm.ppf(0.5 + conf / 2.0)

    p_t, p_c = x_t / n_t, x_c / n_c
    lift = p_t - p_c
    if method == "wald":
        half = z_crit * np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
        low, high = lift - half, lift + half
    else:
        l_t, u_t = wilson_limits(x_t, n_t, z_crit)
        l_c, u_c = wilson_limits(x_c, n_c, z_crit)
        low = lift - np.sqrt((p_t - l_t) ** 2 + (u_c - p_c) ** 2)
        high = lift + np.sqrt((u_t - p_t) ** 2 + (p_c - l_c) ** 2)

    with np.errstate(divide="ignore", invalid="ignore"):
        ok_ratio = p_c > 0
        relative = np.where(ok_ratio, p_t / np.where(ok_ratio, p_c, 1.0) - 1.0, np.nan)
        ok_ci = (x_t > 0) & (x_c > 0)
        safe_t, safe_c = np.where(ok_ci, x_t, 1.0), np.where(ok_ci, x_c, 1.0)
        log_rr = np.log(safe_t / n_t) - np.log(safe_c / n_c)
        se_log = np.sqrt(1 / safe_t - 1 / n_t + 1 / safe_c - 1 / n_c)
        rel_low = np.where(ok_ci, np.exp(log_rr - z_crit * se_log) - 1.0, np.nan)
        rel_high = np.where(ok_ci, np.exp(log_rr + z_crit * se_log) - 1.0, np.nan)

        pooled = (x_t + x_c) / (n_t + n_c)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
        z = np.where(se > 0, lift / np.where(se > 0, se, 1.0), 0.0)
    if alternative == "two-sided":
        p_value = 2.0 * norm.sf(np.abs(z))
    elif alternative == "greater":
        p_value = norm.sf(z)
    else:
        p_value = norm.cdf(z)
    return ABTest(
        rate_treated=as_output(p_t),
        rate_control=as_output(p_c),
        lift=as_output(lift),
        ci_low=as_output(low),
        ci_high=as_output(high),
        relative_lift=as_output(relative),
        relative_ci_low=as_output(rel_low),
        relative_ci_high=as_output(rel_high),
        z=as_output(z),
        p_value=as_output(np.minimum(p_value, 1.0)),
        confidence=conf,
        method=method,
        alternative=alternative,
    )


def ab_test_table(
    data,
    by=None,
    arm="arm",
    outcome="retained",
    treatment="treatment",
    control="control",
    confidence=0.95,
    method="newcombe",
) -> pd.DataFrame:
    """:func:`ab_test` on a customer-level table, overall or per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer, with an ``arm`` column (values ``treatment`` / ``control``) and a
        boolean (or 0/1) ``outcome`` column, e.g. :func:`coursekit.data.campaign.load_campaign`.
    by : str or None, default None
        Column to split by (e.g. ``"quadrant"``), or ``None`` for one overall row.
    arm, outcome : str, default "arm", "retained"
        Names of the arm and outcome columns.
    treatment, control : str, default "treatment", "control"
        Labels of the two arms in the ``arm`` column.
    confidence : float, default 0.95
        Confidence level, in (0, 1).
    method : {"newcombe", "wald"}, default "newcombe"
        Interval of the lift (see :func:`ab_test`).

    Returns
    -------
    pandas.DataFrame
        One row per group (index ``by``, or ``"all"``) with ``n_treated``, ``retained_treated``,
        ``n_control``, ``retained_control`` (int), ``rate_treated``, ``rate_control``, ``lift``,
        ``ci_low``, ``ci_high``, ``relative_lift``, ``z`` and ``p_value``.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame.
    ValueError
        If a column is missing, the outcome is not boolean or 0/1, an arm label is unknown, or a
        group has no customer in one of the arms.

    References
    ----------
    .. [1] R. Kohavi, D. Tang and Y. Xu, *Trustworthy Online Controlled Experiments*,
       Cambridge University Press, 2020.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"arm": ["treatment"] * 4 + ["control"] * 4,
    ...                     "retained": [True, True, True, False, True, False, False, False]})
    >>> ab_test_table(toy)[["n_treated", "rate_treated", "rate_control", "lift"]]
         n_treated  rate_treated  rate_control  lift
    all          4          0.75          0.25   0.5
    """
    check_frame("data", data, [arm, outcome] + ([] if by is None else [by]))
    labels = data[arm].astype(object)
    unknown = sorted({str(v) for v in pd.unique(labels)} - {str(treatment), str(control)})
    if unknown:
        raise ValueError(f"data[{arm!r}] must hold only {treatment!r} and {control!r}, got also {unknown!r}")
    values = data[outcome]
    if values.isna().any() or not values.isin([0, 1, True, False]).all():
        raise ValueError(f"data[{outcome!r}] must be boolean or 0/1 without missing values")
    frame = pd.DataFrame(
        {
            "group": "all" if by is None else data[by],
            "treated": (labels == treatment).to_numpy(),
            "retained": values.astype(bool).to_numpy(),
        }
    )
    grouped = frame.groupby(["group", "treated"], observed=True, sort=True)["retained"]
    counts = grouped.agg(["size", "sum"]).unstack("treated")
    if counts.isna().any().any() or counts.shape[1] != 4:
        raise ValueError(f"every group must have customers in both arms ({treatment!r} and {control!r})")
    n_t = counts[("size", True)].to_numpy(dtype=np.int64)
    x_t = counts[("sum", True)].to_numpy(dtype=np.int64)
    n_c = counts[("size", False)].to_numpy(dtype=np.int64)
    x_c = counts[("sum", False)].to_numpy(dtype=np.int64)
    res = ab_test(x_t, n_t, x_c, n_c, confidence=confidence, method=method)
    index = counts.index.copy()
    index.name = by
    return pd.DataFrame(
        {
            "n_treated": n_t,
            "retained_treated": x_t,
            "n_control": n_c,
            "retained_control": x_c,
            "rate_treated": np.atleast_1d(res.rate_treated),
            "rate_control": np.atleast_1d(res.rate_control),
            "lift": np.atleast_1d(res.lift),
            "ci_low": np.atleast_1d(res.ci_low),
            "ci_high": np.atleast_1d(res.ci_high),
            "relative_lift": np.atleast_1d(res.relative_lift),
            "z": np.atleast_1d(res.z),
            "p_value": np.atleast_1d(res.p_value),
        },
        index=index,
    )


def sample_size(p_control, min_detectable_lift, power=0.8, alpha=0.05, alternative="two-sided"):
    r"""Customers per group needed to detect a retention lift with a two-proportion z-test.

    With :math:`p_1 = p_C`, :math:`p_2 = p_C + \delta`, :math:`\bar p = (p_1 + p_2)/2`,
    :math:`q = 1 - p`, :math:`z_\alpha = \Phi^{-1}(1 - \alpha/2)` (two-sided) or
    :math:`\Phi^{-1}(1 - \alpha)` (one-sided) and :math:`z_\beta = \Phi^{-1}(\text{power})`:

    .. math:: n = \left\lceil \frac{\left(z_\alpha \sqrt{2 \bar p \bar q}
              + z_\beta \sqrt{p_1 q_1 + p_2 q_2}\right)^2}{\delta^2} \right\rceil

    per group (Fleiss, Levin & Paik 2003, without continuity correction; the formula of R's
    ``power.prop.test``).

    Parameters
    ----------
    p_control : float or array_like
        Expected retention rate without the campaign, in (0, 1).
    min_detectable_lift : float or array_like
        Smallest lift worth detecting, as a difference of rates (0.03 = 3 points), not 0, with
        ``p_control + min_detectable_lift`` in (0, 1).
    power : float, default 0.8
        Probability of detecting a true lift of that size, in (0, 1).
    alpha : float, default 0.05
        Significance level, in (0, 1).
    alternative : {"two-sided", "one-sided"}, default "two-sided"
        Whether the test is two-sided or one-sided.

    Returns
    -------
    int or numpy.ndarray
        Customers per group (the campaign needs twice as many in total).

    Raises
    ------
    ValueError
        If a value is NaN or out of range, or the lift is 0.
    TypeError
        If a value is not a number.

    References
    ----------
    .. [1] J. L. Fleiss, B. Levin and M. C. Paik, *Statistical Methods for Rates and
       Proportions*, 3rd ed., Wiley, 2003, chapter 4.
    .. [2] R Core Team, ``power.prop.test``, R: A Language and Environment for Statistical
       Computing, package stats.

    Examples
    --------
    The example of R's documentation, ``power.prop.test(p1 = .50, p2 = .75, power = .90)``,
    gives n = 76.7, i.e. 77 per group:

    >>> sample_size(0.50, 0.25, power=0.9)
    77

    Detecting a 2-point lift on an 80 % retention rate takes far more customers:

    >>> sample_size(0.80, 0.02)
    6039
    """
    p1 = check_number("p_control", p_control, low=0.0, high=1.0, low_open=True, high_open=True)
    delta = check_number("min_detectable_lift", min_detectable_lift, low=-1.0, high=1.0, low_open=True, high_open=True)
    pw = check_number("power", power, low=0.0, high=1.0, low_open=True, high_open=True)
    a = check_number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    alternative = check_choice("alternative", alternative, ("two-sided", "one-sided"))
    if np.any(np.asarray(delta) == 0):
        raise ValueError("min_detectable_lift must not be 0: a zero lift cannot be detected")
    p2 = np.asarray(p1) + np.asarray(delta)
    bad = (p2 <= 0) | (p2 >= 1)
    if np.any(bad):
        raise ValueError(
            "p_control + min_detectable_lift must be in (0, 1), "
            f"got {np.broadcast_to(p2, np.shape(bad))[bad].flat[0]:g}"
        )
    z_a = norm.ppf(1 - np.asarray(a) / 2) if alternative == "two-sided" else norm.ppf(1 - np.asarray(a))
    z_b = norm.ppf(pw)
    p_bar = (np.asarray(p1) + p2) / 2
    numerator = (z_a * np.sqrt(2 * p_bar * (1 - p_bar)) + z_b * np.sqrt(p1 * (1 - np.asarray(p1)) + p2 * (1 - p2))) ** 2
    n = np.ceil(numerator / np.asarray(delta) ** 2 - 1e-9).astype(np.int64)
    return int(n) if n.ndim == 0 else n
