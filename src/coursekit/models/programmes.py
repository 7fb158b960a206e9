r"""Economics of frequency and club programmes, and of winning lost customers back.

A points or club programme (frequency marketing, Berry's first level of retention) costs money
for every member in every period -- the points redeemed, the member discounts -- and pays for
itself only through the extra customers it keeps.  With margin :math:`m` per period, retention
:math:`r`, discount rate :math:`d` and the margin multiple :math:`f(r) = r / (1 + d - r)` of
:mod:`coursekit.models.clv`, a member is worth

.. math:: V_0 = m \, f(r) \quad \text{without the programme,} \qquad
          V_1 = (m - c) \, f(r + \Delta) - K \quad \text{with it,}

where :math:`c` is the programme cost per member and period, :math:`\Delta` the retention lift
and :math:`K` a one-off cost per member at enrolment (card, welcome gift, set-up).

* :func:`breakeven_lift` -- the lift :math:`\Delta^*` at which :math:`V_1 = V_0`;
* :func:`programme_npv` -- :math:`V_1 - V_0` for a whole membership, over any horizon;
* :func:`copycat` -- the same, period by period, when competitors copy the programme: the
  copyable part of the lift melts away while the points keep costing.  This is why reading R3
  calls frequency marketing a tactic rather than a strategy: the lasting part of the lift comes
  from turning the programme's data into a *learning relationship* -- offers fitted to each
  customer, and rewards that are not price cuts (recipes, meal plans, usage tips, express
  checkout, home delivery) -- which competitors cannot copy (``learning_lift``);
* :func:`winback_value` -- exit management (R4): is it worth trying to win lost customers back?

Early warning from purchase gaps (a steady customer who has stopped ordering) is
:func:`coursekit.models.purchases.overdue`.

References
----------
.. [1] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
   Management Review 38(4), 71-82, 1997.
.. [2] B. Sharp and A. Sharp, "Loyalty programs and their impact on repeat-purchase loyalty
   patterns", International Journal of Research in Marketing 14(5), 473-486, 1997.
.. [3] J. S. Thomas, R. C. Blattberg and E. J. Fox, "Recapturing lost customers", Journal of
   Marketing Research 41(1), 31-45, 2004.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import as_output, check_fraction, check_number, check_periods, check_positive_int
from coursekit.models.clv import clv

__all__ = ["breakeven_lift", "programme_npv", "copycat", "WinBack", "winback_value"]


def _multiple(r, d):
    return r / (1.0 + d - r)


def _first(value, bad):
    return np.broadcast_to(value, bad.shape)[bad].flat[0]


def _check_cost_below_margin(c, m):
    bad = np.broadcast_to(np.asarray(c) >= np.asarray(m), np.broadcast_shapes(np.shape(c), np.shape(m)))
    if bad.any():
        raise ValueError(
            "points_cost_per_customer must be below margin (a programme that costs the whole margin "
            f"can never pay back), got points_cost_per_customer={_first(c, bad):g} and margin={_first(m, bad):g}"
        )


def breakeven_lift(points_cost_per_customer, margin, retention, discount_rate, upfront_cost_per_customer=0.0):
    r"""Retention lift at which a points programme exactly pays for itself.

    Setting :math:`(m - c) f(r + \Delta) - K = m f(r)` with :math:`f(r) = r / (1 + d - r)` and
    solving :math:`f(r^*) = F` for :math:`r^* = F (1 + d) / (1 + F)` gives

    .. math:: F = \frac{m f(r) + K}{m - c}, \qquad
              \Delta^* = \frac{F (1 + d)}{1 + F} - r.

    A programme whose real lift exceeds :math:`\Delta^*` adds value; one below it destroys value.
    Margins are received at the end of each period by the customers still active (the
    ``timing="end"`` convention of :func:`coursekit.models.clv.clv`), over an infinite horizon.

    Parameters
    ----------
    points_cost_per_customer : float or array_like
        Programme cost per member and period (points redeemed, member discounts), money units,
        >= 0 and below ``margin``.
    margin : float or array_like
        Margin per customer and period before programme costs, money units, > 0.
    retention : float or array_like
        Retention rate per period without the programme, in [0, 1).
    discount_rate : float or array_like
        Discount rate per period, >= 0.
    upfront_cost_per_customer : float or array_like, default 0.0
        One-off cost per member at enrolment, money units, >= 0.

    Returns
    -------
    float or numpy.ndarray
        The break-even lift as a retention fraction (0.011 = 1.1 percentage points).  For array
        inputs, cells where even a retention of 1 would not pay back hold NaN.

    Raises
    ------
    ValueError
        If a value is NaN or out of range, the points cost is not below the margin, or -- for
        scalar inputs -- no retention below 1 pays back the programme.
    TypeError
        If a value is not a number.

    References
    ----------
    .. [1] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
       Management Review 38(4), 71-82, 1997.
    .. [2] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.

    Examples
    --------
    Points worth 5 a year on a margin of 100, at 80 % retention and a 10 % discount rate:
    ``F = 266.67 / 95 = 2.807``, ``r* = 2.807 * 1.1 / 3.807 = 0.8111``:

    >>> round(breakeven_lift(5, 100, 0.8, 0.1), 4)
    0.0111

    A welcome gift of 20 per member raises the hurdle:

    >>> round(breakeven_lift(5, 100, 0.8, 0.1, upfront_cost_per_customer=20), 4)
    0.0262
    """
    c = check_number("points_cost_per_customer", points_cost_per_customer, low=0.0)
    m = check_number("margin", margin, low=0.0, low_open=True)
    r = check_fraction("retention", retention)
    d = check_number("discount_rate", discount_rate, low=0.0)
    k = check_number("upfront_cost_per_customer", upfront_cost_per_customer, low=0.0)
    _check_cost_below_margin(c, m)
    target = (np.asarray(m) * _multiple(np.asarray(r), d) + k) / (np.asarray(m) - c)
    needed = target * (1.0 + np.asarray(d)) / (1.0 + target)
    reachable = needed < 1.0
    if np.ndim(reachable) == 0 and not reachable:
        raise ValueError(
            f"no retention below 1 pays back this programme: it would need a retention of {float(needed):.4g} "
            f"(margin={float(m):g}, points_cost_per_customer={float(c):g}, retention={float(r):g}, "
            f"discount_rate={float(d):g}, upfront_cost_per_customer={float(k):g})"
        )
    return as_output(np.where(reachable, needed - np.asarray(r), np.nan))


def programme_npv(
    points_cost_per_customer,
    margin,
    retention,
    lift,
    discount_rate,
    customers=1,
    upfront_cost_per_customer=0.0,
    fixed_cost=0.0,
    horizon=None,
):
    r"""Net present value of running a points or club programme for a group of customers.

    .. math:: \text{NPV} = N \left[ \text{CLV}(m - c,\, r + \Delta) - \text{CLV}(m,\, r) - K
              \right] - F_0,

    with :math:`\text{CLV}` the expected discounted margin of :func:`coursekit.models.clv.clv` (margins
    at the end of each period, over ``horizon`` periods or forever), :math:`N` members,
    :math:`K` the one-off cost per member and :math:`F_0` a one-off fixed cost of the programme
    (IT, launch).  The NPV is zero at :math:`\Delta = \Delta^*` of :func:`breakeven_lift` when
    the horizon is infinite and :math:`F_0 = 0`.

    Parameters
    ----------
    points_cost_per_customer : float or array_like
        Programme cost per member and period, money units, >= 0.
    margin : float or array_like
        Margin per customer and period before programme costs, money units, > 0.
    retention : float or array_like
        Retention rate per period without the programme, in [0, 1).
    lift : float or array_like
        Retention lift the programme brings, as a fraction, >= 0, with ``retention + lift < 1``.
    discount_rate : float or array_like
        Discount rate per period, >= 0.
    customers : float or array_like, default 1
        Number of members, >= 0.
    upfront_cost_per_customer : float or array_like, default 0.0
        One-off cost per member at enrolment, money units, >= 0.
    fixed_cost : float or array_like, default 0.0
        One-off fixed cost of the programme, money units, >= 0.
    horizon : int or None, default None
        Number of periods counted (a whole number >= 0), or ``None`` for all of them.

    Returns
    -------
    float or numpy.ndarray
        NPV in money units at the launch date.

    Raises
    ------
    ValueError
        If a value is NaN or out of range or ``retention + lift >= 1``.
    TypeError
        If a value is not a number.

    References
    ----------
    .. [1] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
       Management Review 38(4), 71-82, 1997.

    Examples
    --------
    1,000 members, points worth 5 on a margin of 100, a 2-point lift:
    ``1000 * (95 * 0.82 / 0.28 - 100 * 0.8 / 0.3)``:

    >>> round(programme_npv(5, 100, 0.8, 0.02, 0.1, customers=1000), 2)
    11547.62
    >>> round(programme_npv(5, 100, 0.8, 0.02, 0.1, customers=1000, horizon=5), 2)
    1759.55
    """
    c = check_number("points_cost_per_customer", points_cost_per_customer, low=0.0)
    m = check_number("margin", margin, low=0.0, low_open=True)
    r = check_fraction("retention", retention)
    u = check_number("lift", lift, low=0.0)
    d = check_number("discount_rate", discount_rate, low=0.0)
    n = check_number("customers", customers, low=0.0)
    k = check_number("upfront_cost_per_customer", upfront_cost_per_customer, low=0.0)
    f0 = check_number("fixed_cost", fixed_cost, low=0.0)
    h = None if horizon is None else check_periods("horizon", horizon, minimum=0)
    improved = np.asarray(r) + np.asarray(u)
    bad = np.asarray(improved >= 1.0)
    if bad.any():
        raise ValueError(
            f"retention + lift must be < 1, got retention={_first(r, bad):g} and lift={_first(u, bad):g}"
        )
    with_programme = clv(np.asarray(m) - c, improved, d, periods=h)
    without = clv(m, r, d, periods=h)
    return as_output(np.asarray(n) * (with_programme - without - k) - f0)


def copycat(
    points_cost_per_customer,
    margin,
    retention,
    lift,
    discount_rate,
    copy_rate,
    periods=10,
    customers=1000,
    new_customers=None,
    learning_lift=0.0,
    upfront_cost_per_customer=0.0,
    fixed_cost=0.0,
) -> pd.DataFrame:
    r"""A points programme for the whole customer base, period by period, while competitors copy it.

    In period 1 the programme is new and brings its full copyable lift :math:`\Delta`.  Each
    period competitors neutralise a share :math:`\kappa` (``copy_rate``) of what is left of the
    advantage, so the share of the advantage copied by period :math:`t` is
    :math:`1 - (1 - \kappa)^{t-1}` and the lift is

    .. math:: \Delta_t = \Delta (1 - \kappa)^{t-1} + \Delta_L,

    where :math:`\Delta_L` (``learning_lift``) is the part of the lift that comes from a learning
    relationship -- offers and non-price rewards built on what the firm has learned about each
    customer -- and cannot be copied.  The points cost :math:`c` per member stays whatever
    competitors do.

    The customer base is open: it starts at :math:`N_0` customers, in balance without the
    programme (:math:`A = N_0 (1 - r)` new customers a period, unless ``new_customers`` is
    given), and evolves as

    .. math:: N_t = (r + \Delta_t) N_{t-1} + A, \qquad N^{\text{without}}_t = r N^{\text{without}}_{t-1} + A.

    The :math:`N_t` customers at the end of period :math:`t` each earn the margin then (net of
    :math:`c` with the programme); every new member costs :math:`K` at enrolment, the initial
    base at launch.  The incremental margin is discounted at :math:`d`; the cumulative NPV
    starts at :math:`-N_0 K - F_0`.  When the copyable lift is gone the base drifts back to its
    old size while every member still costs :math:`c`: the programme loses :math:`c N_0` a
    period for good, unless a learning lift keeps it above the break-even.

    Parameters
    ----------
    points_cost_per_customer, margin, retention, discount_rate : float
        As in :func:`programme_npv` (single numbers).
    lift : float
        Copyable retention lift at launch, fraction, >= 0.
    copy_rate : float
        Share of the remaining copyable advantage that competitors erase each period, in [0, 1]
        (0 = never copied; 1 = copied after the first period).
    periods : int, default 10
        Number of periods, a whole number >= 1.
    customers : float, default 1000
        Customers at launch, :math:`N_0`, >= 0.
    new_customers : float or None, default None
        New customers per period, :math:`A`, >= 0; ``None`` for the balance level
        ``customers * (1 - retention)``.
    learning_lift : float, default 0.0
        Lift from the learning relationship, which competitors cannot copy, >= 0;
        ``retention + lift + learning_lift`` must be below 1.
    upfront_cost_per_customer, fixed_cost : float, default 0.0
        One-off cost per member at enrolment and for the whole programme at launch, money
        units, >= 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` 1..periods, with ``copied_share``, ``lift``, ``retention`` (with
        the programme), ``customers`` and ``customers_without`` (end of period),
        ``points_cost``, ``enrolment_cost``, ``margin_with`` (net of points), ``margin_without``,
        ``incremental`` (margin with, less enrolment, less margin without), ``discounted`` (its
        present value) and ``cumulative_npv``.

    Raises
    ------
    ValueError
        If a value is NaN or out of range, or the retention with the programme reaches 1.
    TypeError
        If a value is not a single number.

    Notes
    -----
    Without copying, the base settles at :math:`A / (1 - r - \Delta)` and the programme earns
    :math:`A (m - c) / (1 - r - \Delta) - A m / (1 - r)` a period for good, which is positive
    exactly when :math:`\Delta > (1 - r) c / m`.  :func:`breakeven_lift` answers the same
    question for one member, with discounting.

    References
    ----------
    .. [1] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
       Management Review 38(4), 71-82, 1997.
    .. [2] Course reading R3, case "Ken Robb's secret" and its answer (frequency marketing as a
       tactic; a learning relationship and non-price rewards).

    Examples
    --------
    Points worth 5 a period on a margin of 100, a 3-point lift at launch, 1,000 customers at
    80 % retention.  Competitors copy half of the remaining advantage every period:

    >>> t = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.5, periods=10)
    >>> t[["lift", "customers", "incremental", "cumulative_npv"]].round(3).head(3)
             lift  customers  incremental  cumulative_npv
    period
    1       0.030   1030.000    -2150.000       -1954.545
    2       0.015   1039.450    -1252.250       -2989.463
    3       0.008   1039.356    -1261.192       -3937.015
    >>> round(float(t["cumulative_npv"].iloc[-1]), 2)
    -14108.21

    Never copied, the same programme pays; copied, it still pays only with a learning lift:

    >>> round(float(copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.0, periods=10)["cumulative_npv"].iloc[-1]), 2)
    23836.01
    >>> t = copycat(5, 100, 0.8, 0.03, 0.1, copy_rate=0.5, periods=10, learning_lift=0.02)
    >>> round(float(t["cumulative_npv"].iloc[-1]), 2)
    22641.45
    """
    c = _single("points_cost_per_customer", points_cost_per_customer, low=0.0)
    m = _single("margin", margin, low=0.0, low_open=True)
    r = _single("retention", retention, low=0.0, high=1.0, high_open=True)
    u = _single("lift", lift, low=0.0)
    d = _single("discount_rate", discount_rate, low=0.0)
    kappa = _single("copy_rate", copy_rate, low=0.0, high=1.0)
    periods = check_positive_int("periods", periods)
    n0 = _single("customers", customers, low=0.0)
    inflow = n0 * (1.0 - r) if new_customers is None else _single("new_customers", new_customers, low=0.0)
    learn = _single("learning_lift", learning_lift, low=0.0)
    k = _single("upfront_cost_per_customer", upfront_cost_per_customer, low=0.0)
    f0 = _single("fixed_cost", fixed_cost, low=0.0)
    if r + u + learn >= 1.0:
        raise ValueError(
            f"retention + lift + learning_lift must be < 1, got {r:g} + {u:g} + {learn:g} = {r + u + learn:g}"
        )

    t = np.arange(1, periods + 1)
    remaining = (1.0 - kappa) ** (t - 1)
    lift_t = u * remaining + learn
    retention_t = r + lift_t
    base = np.empty(periods)
    level = n0
    for i, q in enumerate(retention_t):  # one step per period: N_t = q_t N_{t-1} + A
        level = q * level + inflow
        base[i] = level
    without = r**t * n0 + inflow * _partial_geometric(r, t)
    enrolment = np.full(periods, inflow * k)
    margin_with = base * (m - c)
    margin_without = without * m
    incremental = margin_with - enrolment - margin_without
    discounted = incremental / (1.0 + d) ** t
    cumulative = -n0 * k - f0 + np.cumsum(discounted)
    return pd.DataFrame(
        {
            "copied_share": 1.0 - remaining,
            "lift": lift_t,
            "retention": retention_t,
            "customers": base,
            "customers_without": without,
            "points_cost": base * c,
            "enrolment_cost": enrolment,
            "margin_with": margin_with,
            "margin_without": margin_without,
            "incremental": incremental,
            "discounted": discounted,
            "cumulative_npv": cumulative,
        },
        index=pd.RangeIndex(1, periods + 1, name="period"),
    )


def _partial_geometric(r: float, t: np.ndarray) -> np.ndarray:
    """sum_{k=0}^{t-1} r**k for integer t >= 1."""
    return np.cumsum(r ** (t - 1))


def _single(name, value, **bounds) -> float:
    checked = check_number(name, value, **bounds)
    if not isinstance(checked, float):
        raise TypeError(f"{name} must be a single number, got {value!r}")
    return checked


@dataclass(frozen=True)
class WinBack:
    """Result of :func:`winback_value`.

    Attributes
    ----------
    expected_won : float or numpy.ndarray
        Customers expected to come back, ``lost_customers * win_rate``.
    cost : float or numpy.ndarray
        Cost of the campaign, ``lost_customers * cost_per_attempt``, money units.
    value_won : float or numpy.ndarray
        Value of the returning customers, ``expected_won * clv_after_return``.
    net_value : float or numpy.ndarray
        ``value_won - cost``: positive means the campaign is worth running.
    breakeven_win_rate : float or numpy.ndarray
        ``cost_per_attempt / clv_after_return``: the win rate at which the campaign breaks even.
    cost_per_win : float or numpy.ndarray
        ``cost_per_attempt / win_rate`` (inf when ``win_rate`` is 0).
    """

    expected_won: float | np.ndarray
    cost: float | np.ndarray
    value_won: float | np.ndarray
    net_value: float | np.ndarray
    breakeven_win_rate: float | np.ndarray
    cost_per_win: float | np.ndarray


def winback_value(lost_customers, win_rate, cost_per_attempt, clv_after_return) -> WinBack:
    r"""Expected economics of a campaign to win lost customers back.

    Every lost customer is approached once at cost :math:`k`; a share :math:`w` returns and is
    then worth :math:`V` (their CLV after returning, e.g. from :func:`coursekit.models.clv.clv` with the
    retention rate of returned customers, often lower than that of never-lost ones):

    .. math:: \text{net} = L \, (w V - k), \qquad w^* = k / V.

    Parameters
    ----------
    lost_customers : float or array_like
        Number of lost customers approached, >= 0.
    win_rate : float or array_like
        Share of them that come back, in [0, 1].
    cost_per_attempt : float or array_like
        Cost of approaching one lost customer (offer, call, discount), money units, >= 0.
    clv_after_return : float or array_like
        Value of a customer who comes back, money units, > 0.

    Returns
    -------
    WinBack
        Expected customers won, cost, value won, net value, break-even win rate and cost per
        customer won (floats for scalar inputs, arrays otherwise).

    Raises
    ------
    ValueError
        If a value is NaN, infinite or out of range.
    TypeError
        If a value is not a number.

    Notes
    -----
    Exit management (R4) starts before the offer: learn why each customer left -- one cause or
    several -- fix what can be fixed, and approach first the customers whose reason has been
    removed; they have the highest win rates.

    References
    ----------
    .. [1] J. S. Thomas, R. C. Blattberg and E. J. Fox, "Recapturing lost customers", Journal of
       Marketing Research 41(1), 31-45, 2004.
    .. [2] J. Griffin and M. W. Lowenstein, *Customer Winback: How to Recapture Lost Customers --
       and Keep Them Loyal*, San Francisco: Jossey-Bass, 2001.

    Examples
    --------
    500 lost customers, 12 % come back, 30 per attempt, 400 per returning customer:

    >>> wb = winback_value(500, 0.12, 30, 400)
    >>> wb.expected_won, wb.cost, wb.value_won, wb.net_value
    (60.0, 15000.0, 24000.0, 9000.0)
    >>> wb.breakeven_win_rate, wb.cost_per_win
    (0.075, 250.0)
    """
    n = check_number("lost_customers", lost_customers, low=0.0)
    w = check_number("win_rate", win_rate, low=0.0, high=1.0)
    k = check_number("cost_per_attempt", cost_per_attempt, low=0.0)
    v = check_number("clv_after_return", clv_after_return, low=0.0, low_open=True)
    n_, w_, k_, v_ = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (n, w, k, v)))
    won = n_ * w_
    cost = n_ * k_
    value = won * v_
    with np.errstate(divide="ignore", invalid="ignore"):
        per_win = np.where(w_ > 0, k_ / np.where(w_ > 0, w_, 1.0), np.where(k_ > 0, np.inf, 0.0))
    return WinBack(
        expected_won=as_output(won),
        cost=as_output(cost),
        value_won=as_output(value),
        net_value=as_output(value - cost),
        breakeven_win_rate=as_output(k_ / v_),
        cost_per_win=as_output(per_win),
    )
