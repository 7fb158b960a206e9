"""What a customer is worth over time: lifetime revenue, CLV and retention economics.

This module holds the calculators of chapter 1 (why retention matters, 客户保持的重要性):

* :func:`lifetime_revenue` -- the undiscounted (or discounted) revenue of a customer who pays a
  fixed amount every month for a number of years; the FedEx example of the readings.
* :func:`clv` -- the expected, discounted customer lifetime value (客户终身价值) of one customer with a
  constant margin, a constant retention rate (客户保持率) and a constant discount rate, over a
  finite or an infinite horizon, with payments at the end or at the start of each period.
* :func:`margin_multiple` -- the Gupta--Lehmann shortcut ``r / (1 + d - r)``: how many times the
  per-period margin an infinite-horizon customer is worth.
* :func:`profit_stream_npv`, :func:`reichheld_sasser` and :func:`margin_for_uplift` -- the
  Reichheld--Sasser experiment: the net present value of a customer's profit stream at the current
  retention rate and at a retention rate a few points higher, the percentage gain between the two,
  and the margin at which that gain reaches a chosen target.

Every function validates its arguments, refuses NaN, broadcasts NumPy arrays (so a notebook can
evaluate a whole grid in one call) and returns a Python ``float`` when all inputs are scalars.
Retention, discount and growth rates are per period and must all refer to the same period length
(a monthly retention rate needs a monthly discount rate); the one exception is
:func:`lifetime_revenue`, which takes monthly payments and an annual discount rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coursekit._validate import as_output as _as_output
from coursekit._validate import (
    check_choice,
    check_fraction,
    check_number,
    check_periods,
)

__all__ = [
    "lifetime_revenue",
    "clv",
    "margin_multiple",
    "profit_stream_npv",
    "RetentionGain",
    "reichheld_sasser",
    "margin_for_uplift",
]


# --------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------
def _check_discount(value):
    """A discount rate is any finite number strictly above -1."""
    return check_number("discount_rate", value, low=-1.0, low_open=True)


def _geometric_sum(log_q, n):
    """Return ``sum_{k=0}^{n-1} q**k`` for ``q = exp(log_q)``, element-wise.

    The closed form ``(q**n - 1) / (q - 1)`` is evaluated as ``expm1(n log q) / expm1(log q)``,
    which keeps full precision when ``q`` is close to 1; at ``q == 1`` the limit ``n`` is used.
    ``n`` may be any real number >= 0 (the formula then extends the sum smoothly), and
    ``log_q = -inf`` (``q = 0``) gives 1 for ``n > 0`` and 0 for ``n = 0``.
    """
    log_q, n = np.broadcast_arrays(np.asarray(log_q, dtype=float), np.asarray(n, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        total = np.expm1(n * log_q) / np.expm1(log_q)
    total = np.where(log_q == 0.0, n, total)
    return np.where(n == 0.0, 0.0, total)


def _log_ratio(retention, discount_rate, profit_growth=0.0):
    """``log(r (1 + g) / (1 + d))`` computed with ``log1p``; ``-inf`` when ``r == 0``."""
    with np.errstate(divide="ignore"):
        return np.log(retention) + np.log1p(profit_growth) - np.log1p(discount_rate)


def _first(value, bad):
    """The value of ``value`` at the first True cell of the mask ``bad`` (for error messages)."""
    return np.broadcast_to(value, bad.shape)[bad].flat[0] if bad.ndim else float(value)


def _require_convergence(gap, values, *, what, condition):
    """Raise when an infinite geometric sum diverges (``gap <= 0`` somewhere).

    ``values`` maps argument names to their (broadcastable) values; the message reports them at
    the first offending cell.
    """
    bad = np.asarray(gap) <= 0
    if bad.any():
        got = ", ".join(f"{name}={_first(value, bad):g}" for name, value in values.items())
        raise ValueError(
            f"the infinite-horizon {what} is finite only when {condition}; got {got}. "
            "Give a finite horizon or a larger discount_rate."
        )


def _margin_multiple(r, d):
    return r / (1.0 + d - r)


# --------------------------------------------------------------------------------------------
# lifetime revenue and CLV
# --------------------------------------------------------------------------------------------
def lifetime_revenue(monthly_revenue, years, discount_rate=0.0):
    r"""Revenue a customer brings over a fixed life, optionally discounted.

    A customer pays ``monthly_revenue`` at the end of every month for ``years`` years, i.e.
    :math:`n = 12 \cdot \text{years}` payments.  Without discounting the total is simply

    .. math:: \text{LR} = m \cdot 12 \cdot \text{years}.

    With an annual discount rate :math:`d` each payment is discounted at the equivalent monthly
    factor :math:`v = (1 + d)^{-1/12}`, so that twelve monthly discounts equal one annual discount:

    .. math:: \text{PV} = m \sum_{k=1}^{n} v^k = m \, v \, \frac{1 - v^n}{1 - v},

    which equals :math:`m n` when :math:`d = 0` and extends smoothly to a non-integer number of
    months (e.g. ``years=2.5``).

    Parameters
    ----------
    monthly_revenue : float or array_like
        Revenue per month, in money units (e.g. US$), finite and >= 0.
    years : float or array_like
        Length of the relationship in years, finite and >= 0 (need not be whole).
    discount_rate : float or array_like, default 0.0
        Annual discount rate as a fraction (0.1 = 10 % a year), finite and > -1.

    Returns
    -------
    float or numpy.ndarray
        Lifetime revenue in the money units of ``monthly_revenue``, valued at the start of the
        relationship (time 0).  A float when every input is a scalar.

    Raises
    ------
    ValueError
        If a value is NaN, infinite or outside its range.
    TypeError
        If a value is not a number (e.g. a string).

    Notes
    -----
    Timing convention: payments arrive at the end of months 1, 2, ..., n; the value is stated at
    month 0.  Revenue is not profit: multiply by a margin, or use :func:`clv`, to value the customer.

    The FedEx example of the course readings (lesson plan R0) values a customer who brings US$1,500
    a month over a 10-year life.  The product 1500 x 12 x 10 is 180,000; the reading prints
    360,000, which is an arithmetic slip, so the course uses 180,000.

    References
    ----------
    .. [1] P. D. Berger and N. I. Nasr, "Customer lifetime value: Marketing models and
       applications", Journal of Interactive Marketing 12(1), 17-30, 1998.

    Examples
    --------
    The FedEx customer, undiscounted and at 8 % a year:

    >>> lifetime_revenue(1500, 10)
    180000.0
    >>> round(lifetime_revenue(1500, 10, discount_rate=0.08))
    125149

    Arrays broadcast, e.g. a grid of lives:

    >>> lifetime_revenue(1500, [1, 5, 10])
    array([ 18000.,  90000., 180000.])
    """
    m = check_number("monthly_revenue", monthly_revenue, low=0.0)
    y = check_number("years", years, low=0.0)
    d = _check_discount(discount_rate)
    n = 12.0 * np.asarray(y)
    log_v = -np.log1p(d) / 12.0
    return _as_output(m * np.exp(log_v) * _geometric_sum(log_v, n))


def clv(margin, retention, discount_rate, periods=None, timing="end"):
    r"""Expected discounted lifetime value of one customer.

    The customer yields a constant margin :math:`m` per period while active, stays from one
    period to the next with probability :math:`r` (the retention rate, 客户保持率), and money is
    discounted at :math:`d` per period.  Write :math:`q = r / (1 + d)`.

    ``timing="end"`` (default, Gupta & Lehmann 2003): margins arrive at the end of periods
    :math:`t = 1, \dots, T` and the customer is still active at the end of period :math:`t` with
    probability :math:`r^t`:

    .. math:: \text{CLV} = \sum_{t=1}^{T} \frac{m r^t}{(1+d)^t}
              = m \, q \, \frac{1 - q^T}{1 - q}
              \;\xrightarrow{T \to \infty}\; \frac{m r}{1 + d - r}.

    ``timing="start"``: the customer pays on acquisition (:math:`t = 0`) and at the start of each
    later period while retained:

    .. math:: \text{CLV} = \sum_{t=0}^{T-1} \frac{m r^t}{(1+d)^t}
              = m \, \frac{1 - q^T}{1 - q}
              \;\xrightarrow{T \to \infty}\; \frac{m (1 + d)}{1 + d - r}.

    For the infinite horizon the two conventions differ by exactly one margin:
    start = m + end.  When :math:`q = 1` (possible only with a negative discount rate) the finite
    sums equal :math:`m T`.

    Parameters
    ----------
    margin : float or array_like
        Margin (profit contribution) per period, in money units.  Any finite number is accepted;
        a negative margin describes a customer who costs more to serve than they bring in.
    retention : float or array_like
        Probability that an active customer is still active one period later, in [0, 1).
    discount_rate : float or array_like
        Discount rate per period as a fraction, > -1 (use the rate of the same period length as
        ``retention`` and ``margin``: a monthly retention needs a monthly discount rate).
    periods : int, array_like of int, or None, default None
        Number of margin payments :math:`T` (a whole number >= 0); ``None`` for an infinite
        horizon, which requires ``retention < 1 + discount_rate``.
    timing : {"end", "start"}, default "end"
        Whether margins arrive at the end of each period (first payment after one period) or at
        the start (first payment on acquisition).

    Returns
    -------
    float or numpy.ndarray
        Expected present value at time 0 of the customer's margins, in the money units of
        ``margin``.  A float when every input is a scalar.

    Raises
    ------
    ValueError
        If a value is NaN or outside its range, ``periods`` is not a whole number, ``timing`` is
        not one of the two conventions, or the infinite-horizon sum diverges.
    TypeError
        If a value is not a number.

    See Also
    --------
    margin_multiple : ``clv(m, r, d) == m * margin_multiple(r, d)``.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.
    .. [2] P. D. Berger and N. I. Nasr, "Customer lifetime value: Marketing models and
       applications", Journal of Interactive Marketing 12(1), 17-30, 1998.

    Examples
    --------
    A margin of 100 a year, 80 % retention, 10 % discount rate:

    >>> round(clv(100, 0.8, 0.1), 2)
    266.67
    >>> round(clv(100, 0.8, 0.1, timing="start"), 2)
    366.67
    >>> round(clv(100, 0.8, 0.1, periods=3), 2)
    164.09

    Arrays broadcast, e.g. several retention rates at once:

    >>> np.round(clv(100, np.array([0.5, 0.7, 0.9]), 0.1), 1)
    array([ 83.3, 175. , 450. ])
    """
    m = check_number("margin", margin)
    r = check_fraction("retention", retention)
    d = _check_discount(discount_rate)
    check_choice("timing", timing, ("end", "start"))
    if periods is None:
        gap = 1.0 + np.asarray(d) - np.asarray(r)
        _require_convergence(
            gap,
            {"retention": r, "discount_rate": d},
            what="CLV",
            condition="retention < 1 + discount_rate (r / (1 + d) below 1)",
        )
        if timing == "end":
            return _as_output(m * _margin_multiple(r, d))
        return _as_output(m * (1.0 + np.asarray(d)) / gap)
    t = check_periods("periods", periods, minimum=0)
    total = _geometric_sum(_log_ratio(r, d), t)
    if timing == "end":
        total = total * (np.asarray(r) / (1.0 + np.asarray(d)))
    return _as_output(m * total)


def margin_multiple(retention, discount_rate):
    r"""How many per-period margins an infinite-horizon customer is worth.

    .. math:: \text{multiple} = \frac{r}{1 + d - r},

    so that ``clv(m, r, d) == m * margin_multiple(r, d)`` (margins at the end of each period,
    infinite horizon).  Gupta & Lehmann (2003) note that for typical values (retention 60-90 %,
    discount 10-16 % a year) the multiple lies roughly between 1 and 4.5.

    Parameters
    ----------
    retention : float or array_like
        Retention rate per period, in [0, 1).
    discount_rate : float or array_like
        Discount rate per period as a fraction, > -1, with ``retention < 1 + discount_rate``.

    Returns
    -------
    float or numpy.ndarray
        The multiple (dimensionless: money units per unit of margin per period).

    Raises
    ------
    ValueError
        If a value is NaN or outside its range, or ``retention >= 1 + discount_rate``.
    TypeError
        If a value is not a number.

    Notes
    -----
    Timing convention: the first margin arrives at the end of the first period, as in
    :func:`clv` with ``timing="end"``.  Add 1 for a customer who also pays on acquisition.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.1), 4)
    2.6667
    >>> np.round(margin_multiple([0.6, 0.9], 0.12), 3)
    array([1.154, 4.091])
    """
    r = check_fraction("retention", retention)
    d = _check_discount(discount_rate)
    gap = 1.0 + np.asarray(d) - np.asarray(r)
    _require_convergence(
        gap,
        {"retention": r, "discount_rate": d},
        what="margin multiple",
        condition="retention < 1 + discount_rate (r / (1 + d) below 1)",
    )
    return _as_output(_margin_multiple(r, d))


# --------------------------------------------------------------------------------------------
# the Reichheld--Sasser comparison
# --------------------------------------------------------------------------------------------
def _stream_factor(r, d, g, horizon, *, retention_name="retention"):
    r"""NPV per unit of base profit, without acquisition cost: :math:`S(r)`.

    :math:`S(r) = \sum_{t=1}^{T} (1+g)^{t-1} r^{t-1} / (1+d)^t`.
    """
    r, d, g = np.asarray(r), np.asarray(d), np.asarray(g)
    if horizon is None:
        gap = 1.0 + d - r * (1.0 + g)
        _require_convergence(
            gap,
            {retention_name: r, "profit_growth": g, "discount_rate": d},
            what="NPV",
            condition=f"{retention_name} * (1 + profit_growth) < 1 + discount_rate",
        )
        return 1.0 / gap
    return _geometric_sum(_log_ratio(r, d, g), horizon) / (1.0 + d)


def _check_stream_args(discount_rate, profit_growth, acquisition_cost, horizon):
    d = _check_discount(discount_rate)
    g = check_number("profit_growth", profit_growth, low=-1.0, low_open=True)
    a = check_number("acquisition_cost", acquisition_cost, low=0.0)
    h = None if horizon is None else check_periods("horizon", horizon, minimum=1)
    return d, g, a, h


def _check_improved(r, uplift):
    u = check_number("uplift", uplift, low=0.0, low_open=True)
    improved = np.asarray(r) + np.asarray(u)
    bad = improved >= 1.0
    if bad.any():
        raise ValueError(
            "retention + uplift must be < 1 (the improved retention is a probability below 1), "
            f"got retention={_first(r, bad):g} and uplift={_first(u, bad):g}"
        )
    return improved


def _base_and_improved(retention, uplift, discount_rate, profit_growth, acquisition_cost, horizon):
    """Validate the shared Reichheld--Sasser arguments and return them with S(r) and S(r + u)."""
    r = check_fraction("retention", retention)
    improved = _check_improved(r, uplift)
    d, g, a, h = _check_stream_args(discount_rate, profit_growth, acquisition_cost, horizon)
    s_base = _stream_factor(r, d, g, h)
    s_improved = _stream_factor(improved, d, g, h, retention_name="(retention + uplift)")
    return r, improved, a, h, s_base, s_improved


def profit_stream_npv(retention, discount_rate, base_profit, profit_growth=0.0, acquisition_cost=0.0, horizon=None):
    r"""Net present value of a newly acquired customer's profit stream.

    The model behind Reichheld & Sasser (1990): acquiring the customer costs :math:`A` at
    :math:`t = 0`; in tenure year :math:`t = 1, 2, \dots` the customer, if still active, yields a
    profit :math:`p_t = p_1 (1 + g)^{t-1}` received at the end of the year.  Year 1 is certain
    (the customer was just acquired) and the customer is active in year :math:`t` with probability
    :math:`r^{t-1}`.  With :math:`q = r (1 + g) / (1 + d)`:

    .. math:: \text{NPV}(r) = -A + \sum_{t=1}^{T} \frac{p_t \, r^{t-1}}{(1+d)^t}
              = -A + \frac{p_1}{1+d} \cdot \frac{1 - q^T}{1 - q},

    which is :math:`-A + T p_1 / (1 + d)` when :math:`q = 1`, and
    :math:`-A + p_1 / (1 + d - r(1+g))` for an infinite horizon (which requires :math:`q < 1`).

    Parameters
    ----------
    retention : float or array_like
        Annual retention rate, in [0, 1).
    discount_rate : float or array_like
        Annual discount rate as a fraction, > -1.
    base_profit : float or array_like
        Profit in the first year, :math:`p_1`, in money units; any finite number.
    profit_growth : float or array_like, default 0.0
        Annual growth of the profit per retained customer, :math:`g` (0.1 = +10 % per year of
        tenure), > -1.
    acquisition_cost : float or array_like, default 0.0
        Cost of acquiring the customer, :math:`A`, paid at time 0, in money units, >= 0.
    horizon : int, array_like of int, or None, default None
        Number of tenure years :math:`T` counted (a whole number >= 1), or ``None`` for all years.

    Returns
    -------
    float or numpy.ndarray
        NPV at the acquisition date, in money units.  A float when every input is a scalar.

    Raises
    ------
    ValueError
        If a value is NaN or outside its range, ``horizon`` is not a whole number >= 1, or the
        infinite-horizon sum diverges (``retention * (1 + profit_growth) >= 1 + discount_rate``).
    TypeError
        If a value is not a number.

    Notes
    -----
    Timing convention: acquisition cost at time 0, profits at the end of each tenure year.
    This differs from :func:`clv`, where the first margin (at the end of period 1) is already
    weighted by the retention rate; here the first year is guaranteed.

    References
    ----------
    .. [1] F. F. Reichheld and W. E. Sasser Jr., "Zero Defections: Quality Comes to Services",
       Harvard Business Review 68(5), 105-111, 1990.

    Examples
    --------
    A customer earning 100 in the first year, 80 % retention, 10 % discount rate:

    >>> round(profit_stream_npv(0.8, 0.1, 100), 2)
    333.33
    >>> round(profit_stream_npv(0.8, 0.1, 100, profit_growth=0.05, acquisition_cost=150), 2)
    234.62
    >>> round(profit_stream_npv(0.8, 0.1, 100, horizon=2), 2)
    157.02
    """
    r = check_fraction("retention", retention)
    p = check_number("base_profit", base_profit)
    d, g, a, h = _check_stream_args(discount_rate, profit_growth, acquisition_cost, horizon)
    return _as_output(p * _stream_factor(r, d, g, h) - a)


@dataclass(frozen=True)
class RetentionGain:
    """Result of :func:`reichheld_sasser`.

    Attributes
    ----------
    retention : float or numpy.ndarray
        The base retention rate.
    improved_retention : float or numpy.ndarray
        The base retention plus the uplift.
    npv_base : float or numpy.ndarray
        NPV of a new customer's profit stream at the base retention, in money units.
    npv_improved : float or numpy.ndarray
        The same NPV at the improved retention.
    pct_increase : float or numpy.ndarray
        ``100 * (npv_improved / npv_base - 1)``, in percent (25.0 means +25 %); NaN in the cells
        of an array result where ``npv_base <= 0``.

    All fields are floats for scalar inputs and arrays of one common broadcast shape otherwise.
    """

    retention: float | np.ndarray
    improved_retention: float | np.ndarray
    npv_base: float | np.ndarray
    npv_improved: float | np.ndarray
    pct_increase: float | np.ndarray


def reichheld_sasser(
    retention,
    discount_rate,
    base_profit,
    profit_growth=0.0,
    acquisition_cost=0.0,
    horizon=None,
    uplift=0.05,
):
    r"""Reichheld & Sasser's experiment: how much a retention gain raises a customer's NPV.

    Computes :math:`\text{NPV}(r)` and :math:`\text{NPV}(r + u)` with
    :func:`profit_stream_npv` and the percentage gain

    .. math:: \text{pct} = 100 \left( \frac{\text{NPV}(r + u)}{\text{NPV}(r)} - 1 \right).

    Reichheld & Sasser (1990) reported that cutting defections by 5 percentage points raised
    the NPV of the average customer by 25 % to 85 % depending on the industry; the course
    readings repeat the range.  This function lets a student see which margins, growth rates,
    acquisition costs and retention rates produce such numbers.

    Parameters
    ----------
    retention : float or array_like
        Base annual retention rate, in [0, 1).
    discount_rate : float or array_like
        Annual discount rate as a fraction, > -1.
    base_profit : float or array_like
        First-year profit per customer, in money units, > 0.
    profit_growth : float or array_like, default 0.0
        Annual growth of profit per retained customer, > -1.
    acquisition_cost : float or array_like, default 0.0
        Acquisition cost per customer at time 0, in money units, >= 0.
    horizon : int, array_like of int, or None, default None
        Number of tenure years counted (whole number >= 1), or ``None`` for all years.
    uplift : float or array_like, default 0.05
        Retention gain in absolute points (0.05 turns 80 % into 85 %), > 0, with
        ``retention + uplift < 1``.

    Returns
    -------
    RetentionGain
        Frozen dataclass with ``retention``, ``improved_retention``, ``npv_base``,
        ``npv_improved`` and ``pct_increase`` (percent).  For array inputs every field is an array
        of the broadcast shape.

    Raises
    ------
    ValueError
        If a value is NaN or outside its range, ``retention + uplift >= 1``, the infinite-horizon
        sum diverges at the improved retention, or -- for scalar inputs only -- the customer does
        not pay back the acquisition cost at the base retention (``npv_base <= 0``), where a
        percentage change is meaningless.  For array inputs such cells get NaN in
        ``pct_increase`` instead, so one bad corner does not spoil a whole grid.
    TypeError
        If a value is not a number.

    Notes
    -----
    Timing convention as in :func:`profit_stream_npv`: acquisition cost at time 0, profits at
    the end of each tenure year, the first year certain.  Without acquisition cost the percentage
    equals ``S(r + u) / S(r) - 1`` and does not depend on the margin at all; the acquisition cost
    is what makes the gain large for customers whose margin barely pays it back.

    References
    ----------
    .. [1] F. F. Reichheld and W. E. Sasser Jr., "Zero Defections: Quality Comes to Services",
       Harvard Business Review 68(5), 105-111, 1990.

    Examples
    --------
    >>> gain = reichheld_sasser(0.8, 0.1, 100, acquisition_cost=200)
    >>> round(gain.npv_base, 2), round(gain.npv_improved, 2)
    (133.33, 200.0)
    >>> round(gain.pct_increase, 1)
    50.0

    A grid over retention and margin:

    >>> grid = reichheld_sasser(np.array([[0.7], [0.8]]), 0.1, np.array([100, 200]),
    ...                         acquisition_cost=200)
    >>> np.round(grid.pct_increase, 1)
    array([[71.4, 23.8],
           [50. , 28.6]])
    """
    r, improved, a, _, s_base, s_improved = _base_and_improved(
        retention, uplift, discount_rate, profit_growth, acquisition_cost, horizon
    )
    p = check_number("base_profit", base_profit, low=0.0, low_open=True)
    npv_base, npv_improved, gain = np.broadcast_arrays(p * s_base - a, p * s_improved - a, p * (s_improved - s_base))
    shape = npv_base.shape
    pays_back = npv_base > 0
    if not shape and not pays_back:
        raise ValueError(
            f"the customer does not pay back the acquisition cost at the base retention "
            f"(npv_base = {float(npv_base):g} <= 0 at retention={float(r):g}), so a percentage "
            "increase in NPV is meaningless; raise base_profit or lower acquisition_cost"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(pays_back, 100.0 * gain / np.where(pays_back, npv_base, 1.0), np.nan)
    return RetentionGain(
        retention=_as_output(np.broadcast_to(r, shape)),
        improved_retention=_as_output(np.broadcast_to(improved, shape)),
        npv_base=_as_output(npv_base),
        npv_improved=_as_output(npv_improved),
        pct_increase=_as_output(pct),
    )


def margin_for_uplift(
    target_pct,
    retention,
    discount_rate,
    acquisition_cost,
    profit_growth=0.0,
    horizon=None,
    uplift=0.05,
):
    r"""First-year profit at which a retention gain raises NPV by a target percentage.

    Let :math:`S(r)` be the NPV of the profit stream per unit of first-year profit, without
    acquisition cost (see :func:`profit_stream_npv`), :math:`r' = r + u` and
    :math:`\pi = \text{target\_pct} / 100`.  With first-year profit :math:`m` the gain of
    :func:`reichheld_sasser` is :math:`\pi = m (S(r') - S(r)) / (m S(r) - A)`, so

    .. math:: m = \frac{\pi A}{\pi S(r) - (S(r') - S(r))}.

    The gain falls as the margin grows, from very large values (a margin that barely pays back
    :math:`A`) towards :math:`(S(r') - S(r)) / S(r)` (a margin so large that :math:`A` is
    negligible).  Targets at or below that floor cannot be reached by any margin.

    Parameters
    ----------
    target_pct : float or array_like
        Target increase in NPV, in percent (25 means +25 %), > 0.
    retention : float or array_like
        Base annual retention rate, in [0, 1).
    discount_rate : float or array_like
        Annual discount rate as a fraction, > -1.
    acquisition_cost : float or array_like
        Acquisition cost per customer, in money units, > 0 (with no acquisition cost the
        percentage gain does not depend on the margin).
    profit_growth : float or array_like, default 0.0
        Annual growth of profit per retained customer, > -1.
    horizon : int, array_like of int, or None, default None
        Number of tenure years counted (whole number >= 1), or ``None`` for all years.
    uplift : float or array_like, default 0.05
        Retention gain in absolute points, > 0, with ``retention + uplift < 1``.

    Returns
    -------
    float or numpy.ndarray
        The first-year profit per customer, in the money units of ``acquisition_cost``.  For array
        inputs, cells where the target is unreachable hold NaN.

    Raises
    ------
    ValueError
        If a value is NaN or outside its range, ``acquisition_cost`` is 0, or -- for scalar inputs
        -- the target is unreachable (at or below the floor above, or ``horizon=1`` where
        retention has no effect).
    TypeError
        If a value is not a number.

    Notes
    -----
    Timing convention as in :func:`profit_stream_npv`.  The result ``m`` satisfies
    ``reichheld_sasser(retention, discount_rate, m, ..., acquisition_cost=A).pct_increase ==
    target_pct`` up to rounding.

    References
    ----------
    .. [1] F. F. Reichheld and W. E. Sasser Jr., "Zero Defections: Quality Comes to Services",
       Harvard Business Review 68(5), 105-111, 1990.

    Examples
    --------
    At 80 % retention, 10 % discount and an acquisition cost of 200, a 5-point retention gain
    raises NPV by 25 % when the first-year profit is 300 and by 85 % when it is about 78.5:

    >>> round(margin_for_uplift(25, 0.8, 0.1, 200), 2)
    300.0
    >>> round(margin_for_uplift(85, 0.8, 0.1, 200), 2)
    78.46
    """
    t = check_number("target_pct", target_pct, low=0.0, low_open=True)
    r, _, a, h, s_base, s_improved = _base_and_improved(
        retention, uplift, discount_rate, profit_growth, acquisition_cost, horizon
    )
    if np.any(np.asarray(a) == 0.0):
        raise ValueError(
            "acquisition_cost must be > 0, got 0: without an acquisition cost the percentage gain "
            "equals (S(r + uplift) - S(r)) / S(r) whatever the margin, so no margin can be solved for"
        )
    delta = s_improved - s_base
    share = np.asarray(t) / 100.0
    denominator = share * s_base - delta
    reachable = (delta > 0) & (denominator > 0)
    if np.ndim(reachable) == 0 and not reachable:
        if delta <= 0:
            raise ValueError(
                f"target_pct={float(t):g} is unreachable: with horizon={h} the retention rate does "
                "not change the NPV (only the first, certain year is counted)"
            )
        raise ValueError(
            f"target_pct={float(t):g} is unreachable at retention={float(r):g}: as the margin grows "
            f"the gain falls towards {100.0 * float(delta / s_base):.4g}% but never below it, so "
            "the target must be above that"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(reachable, share * np.asarray(a) / np.where(reachable, denominator, 1.0), np.nan)
    return _as_output(margin)
