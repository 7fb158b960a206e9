r"""Acquisition or retention? Blattberg and Deighton's customer-equity test (Chapter 5).

A prospect reached with acquisition spending :math:`A` becomes a customer with probability
:math:`a(A)`; a customer on whom the firm spends :math:`R` a year stays each year with probability
:math:`r(R)`.  Both rise with spending towards a ceiling, with diminishing returns:

.. math:: a(A) = a_{\max}\,(1 - e^{-k_a A}), \qquad r(R) = r_{\max}\,(1 - e^{-k_r R}).

A new customer brings the margin :math:`m` in the first year.  In every later year the firm spends
:math:`R` on each customer still there at its start and keeps a share :math:`r`, so per customer who
is still there *after* the spending the cost is :math:`R/r`.  With the discount rate :math:`d` and
:math:`r' = r/(1+d)`, the customer equity of one prospect is (Blattberg & Deighton 1996)

.. math:: CE(A, R) = a\,m - A + a\,\Bigl(m - \frac{R}{r}\Bigr)\frac{r'}{1 - r'} .

Each ceiling and slope can be set from one managerial judgement, as Blattberg and Deighton do: "at a
spend of X, we would reach a rate of Y, and no spend could take it above Z" (:func:`slope_from_judgement`).
The best retention spend maximises the future value of a customer, whatever is spent on acquisition;
the best acquisition spend then balances the last unit of money against the value of the customers it
brings (:func:`optimal_spending`).

* :func:`response_rate` -- the rate a spend buys;
* :func:`slope_from_judgement` -- the slope :math:`k` from one judged point and the ceiling;
* :func:`customer_equity` -- :math:`CE(A, R)` per prospect, vectorised;
* :func:`optimal_spending` -- the spends that maximise it.

References
----------
.. [1] R. C. Blattberg and J. Deighton, "Manage Marketing by the Customer Equity Test", Harvard Business
   Review 74(4), 136-144, 1996.
.. [2] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity: Building and Managing Relationships
   as Valuable Assets*, Harvard Business School Press, 2001.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize_scalar

from coursekit._validate import check_fraction, check_number, check_scalar

__all__ = ["response_rate", "slope_from_judgement", "customer_equity", "optimal_spending", "SpendingOptimum"]


def response_rate(spend, ceiling, slope):
    r"""The acquisition or retention rate that a spend buys: :math:`c\,(1 - e^{-k\,s})`.

    Parameters
    ----------
    spend : float or array_like
        Money spent per prospect (acquisition) or per customer and year (retention), >= 0.
    ceiling : float
        The rate no spend can exceed, in (0, 1).
    slope : float
        :math:`k` > 0: how fast the rate approaches its ceiling (per unit of money).

    Returns
    -------
    float or numpy.ndarray
        The rate, in [0, ceiling).

    Raises
    ------
    ValueError
        If an argument is out of its range or not finite.

    Examples
    --------
    >>> round(response_rate(50, 0.2, slope_from_judgement(50, 0.1, 0.2)), 4)
    0.1
    """
    s = check_number("spend", spend, low=0)
    c = check_scalar("ceiling", ceiling, low=0, high=1, low_open=True, high_open=True)
    k = check_scalar("slope", slope, low=0, low_open=True)
    rate = c * -np.expm1(-k * np.asarray(s))
    return float(rate) if rate.ndim == 0 else rate


def slope_from_judgement(spend, rate, ceiling) -> float:
    r"""The slope :math:`k` that makes ``spend`` buy ``rate`` under ``ceiling``: :math:`-\ln(1 - y/c)/s`.

    Parameters
    ----------
    spend : float
        The judged spend, > 0.
    rate : float
        The rate judged to follow from it, in (0, ceiling).
    ceiling : float
        The highest reachable rate, in (0, 1).

    Returns
    -------
    float
        The slope, > 0.

    Raises
    ------
    ValueError
        If ``rate`` is not below ``ceiling`` or an argument is out of range.

    References
    ----------
    .. [1] R. C. Blattberg and J. Deighton, Harvard Business Review 74(4), 136-144, 1996.

    Examples
    --------
    >>> round(slope_from_judgement(30, 0.5, 0.8), 5)
    0.03269
    """
    s = check_scalar("spend", spend, low=0, low_open=True)
    c = check_scalar("ceiling", ceiling, low=0, high=1, low_open=True, high_open=True)
    y = check_scalar("rate", rate, low=0, low_open=True)
    if y >= c:
        raise ValueError(f"rate must be below the ceiling ({c:g}): no spend reaches the ceiling, got rate={y:g}")
    return float(-np.log1p(-y / c) / s)


def _check_curves(margin, acquisition, retention, discount_rate):
    m = check_scalar("margin", margin, low=0, low_open=True)
    curves = []
    for name, curve in (("acquisition", acquisition), ("retention", retention)):
        if not isinstance(curve, (tuple, list)) or len(curve) != 2:
            raise TypeError(f"{name} must be a pair (ceiling, slope), got {curve!r}")
        c = check_scalar(f"{name} ceiling", curve[0], low=0, high=1, low_open=True, high_open=True)
        k = check_scalar(f"{name} slope", curve[1], low=0, low_open=True)
        curves.append((c, k))
    d = check_fraction("discount_rate", discount_rate)
    return m, curves[0], curves[1], d


def _future_value(retention_spend, m, ret, d):
    """Discounted value of a new customer's later years: (m - R/r) r'/(1 - r'), 0 where r = 0."""
    r = ret[0] * -np.expm1(-ret[1] * retention_spend)
    rp = r / (1 + d)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_year = m - np.where(r > 0, retention_spend / np.where(r > 0, r, 1), 0.0)
    return per_year * rp / (1 - rp)


def customer_equity(acquisition_spend, retention_spend, *, margin, acquisition, retention, discount_rate):
    r"""Customer equity per prospect, :math:`CE(A, R) = a m - A + a (m - R/r)\,r'/(1 - r')`.

    Parameters
    ----------
    acquisition_spend : float or array_like
        :math:`A`, money spent per prospect, >= 0.
    retention_spend : float or array_like
        :math:`R`, money spent per customer and year, >= 0 (broadcast against ``acquisition_spend``).
    margin : float
        :math:`m`, yearly margin of a customer, > 0.
    acquisition, retention : tuple of (float, float)
        Each response curve as ``(ceiling, slope)``; see :func:`response_rate`.
    discount_rate : float
        :math:`d`, per year, in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        Customer equity per prospect, in money.

    Raises
    ------
    ValueError
        If a number is out of its range.
    TypeError
        If a curve is not a pair.

    References
    ----------
    .. [1] R. C. Blattberg and J. Deighton, Harvard Business Review 74(4), 136-144, 1996.

    Examples
    --------
    A retention spend of zero loses every customer after the first year: the equity is then one year's
    margin on the prospects won, less the acquisition spend.

    >>> curve = (0.2, slope_from_judgement(50, 0.1, 0.2))
    >>> round(customer_equity(50, 0, margin=100, acquisition=curve, retention=(0.8, 0.03), discount_rate=0.1), 6)
    -40.0
    """
    m, acq, ret, d = _check_curves(margin, acquisition, retention, discount_rate)
    a_spend = check_number("acquisition_spend", acquisition_spend, low=0)
    r_spend = check_number("retention_spend", retention_spend, low=0)
    a = acq[0] * -np.expm1(-acq[1] * np.asarray(a_spend))
    value = a * (m + _future_value(np.asarray(r_spend, dtype=float), m, ret, d)) - a_spend
    return float(value) if np.ndim(value) == 0 else value


class SpendingOptimum(NamedTuple):
    """The result of :func:`optimal_spending`; every amount per prospect or per customer and year."""

    acquisition_spend: float
    retention_spend: float
    acquisition_rate: float
    retention_rate: float
    customer_value: float
    equity: float


def optimal_spending(*, margin, acquisition, retention, discount_rate) -> SpendingOptimum:
    r"""The acquisition and retention spends that maximise customer equity per prospect.

    The retention spend :math:`R^*` maximises the future value :math:`(m - R/r)\,r'/(1 - r')` of a new
    customer, whatever :math:`A` is, searched over :math:`0 \le R \le m\,r_{\max}` (beyond it a retained
    customer costs more than its margin).  With :math:`V = m + (m - R^*/r^*)\,r'/(1-r')` the value of a
    newly acquired customer, :math:`CE = a(A)\,V - A` is maximised where
    :math:`a'(A) V = 1`: :math:`A^* = \ln(a_{\max} k_a V)/k_a`, or 0 when even the first unit of money
    does not pay (:math:`a_{\max} k_a V \le 1`).

    Parameters
    ----------
    margin, acquisition, retention, discount_rate
        As :func:`customer_equity`.

    Returns
    -------
    SpendingOptimum
        ``acquisition_spend``, ``retention_spend``, the rates they buy, ``customer_value`` (:math:`V`)
        and ``equity`` (per prospect).

    Raises
    ------
    ValueError, TypeError
        As :func:`customer_equity`.

    References
    ----------
    .. [1] R. C. Blattberg and J. Deighton, Harvard Business Review 74(4), 136-144, 1996.

    Examples
    --------
    >>> best = optimal_spending(margin=150, acquisition=(0.10, slope_from_judgement(8, 0.05, 0.10)),
    ...                         retention=(0.85, slope_from_judgement(25, 0.6, 0.85)), discount_rate=0.1)
    >>> round(best.retention_spend, 1), round(best.retention_rate, 3), round(best.acquisition_spend, 1)
    (55.2, 0.793, 13.1)

    Retention is the cheaper way to hold a customer here (55.2 / 0.793 = 70 a year against 13.1 / 0.068 =
    193 per customer won), and yet both budgets are at their best: each is spent up to where its last
    unit of money stops paying.
    """
    m, acq, ret, d = _check_curves(margin, acquisition, retention, discount_rate)
    upper = m * ret[0]
    grid = np.linspace(0.0, upper, 2001)
    values = _future_value(grid, m, ret, d)
    i = int(np.argmax(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    if hi > lo:
        found = minimize_scalar(lambda x: -float(_future_value(np.asarray(x), m, ret, d)), bounds=(lo, hi),
                                method="bounded", options={"xatol": 1e-9})
        r_spend = float(found.x) if -found.fun >= values[i] else float(grid[i])
    else:
        r_spend = float(grid[i])
    future = float(_future_value(np.asarray(r_spend), m, ret, d))
    if future <= 0:                     # no retention spend pays: the customer is worth one year's margin
        r_spend, future = 0.0, 0.0
    value = m + future
    product = acq[0] * acq[1] * value
    a_spend = float(np.log(product) / acq[1]) if product > 1 else 0.0
    a_rate = acq[0] * -np.expm1(-acq[1] * a_spend)
    r_rate = ret[0] * -np.expm1(-ret[1] * r_spend)
    return SpendingOptimum(acquisition_spend=a_spend, retention_spend=r_spend, acquisition_rate=float(a_rate),
                           retention_rate=float(r_rate), customer_value=value, equity=float(a_rate * value - a_spend))
