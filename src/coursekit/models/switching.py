r"""Switching costs (转换成本): what it costs a customer to change supplier, and what follows.

A switching cost is everything a customer gives up or spends to move to another supplier.  The
slides (R1) list five kinds of barrier, and the readings add that each can be paid in money, in
time and in worry (R2, R4):

=================  ==========  =================================================================
barrier            Chinese     what it is (examples)
=================  ==========  =================================================================
``sunk``           沉没成本    past investment in the current relationship that is gone whether
                               or not the customer leaves: set-up fees paid years ago, the time
                               spent learning the current system, equipment already written off
``transaction``    交易成本    searching for, comparing and setting up a new supplier: paperwork,
                               visits, negotiating, moving data and standing orders
``learning``       学习成本    learning the new product and unlearning habits; for organisations,
                               retraining staff and replacing equipment (R4; the slides call it
                               转移成本, a word others use for switching costs in general)
``opportunity``    机会成本    benefits of staying that are forgone: loyalty discounts, status,
                               volume tiers, points that expire on leaving, the old supplier's
                               knowledge of you
``termination``    终止壁垒    money lost by ending the relationship: early-termination fees,
                               unused prepaid fees forfeited on leaving, notice periods, awkward
                               cancellation procedures
=================  ==========  =================================================================

Time is turned into money at a value of time per hour; a psychological cost (the risk and
uncertainty of an unknown supplier, the loss of a familiar contact) can be added as a money
equivalent.  Sunk costs are lost whichever way the customer decides, so they should not enter the
decision; yet they are felt as barriers (the sunk-cost effect, Arkes & Blumer 1985), which is why
they are on the list.  A cost that is lost *only if* the customer leaves -- prepaid fees forfeited,
points that expire, a discount given up -- is not sunk: it is part of what switching costs
(Burnham, Frels & Mahajan's financial switching costs).  :class:`SwitchingCost` therefore reports
both the ``total`` the customer may feel and the decision-``relevant`` part without the sunk costs.

The internet has pushed many of these costs down to "one click" (R2): comparing offers and
signing up elsewhere is quick, so barriers built on inconvenience erode, and only value
(active retention) keeps customers -- see :func:`retention_mode`.

References
----------
.. [1] T. A. Burnham, J. K. Frels and V. Mahajan, "Consumer switching costs: a typology,
   antecedents, and consequences", Journal of the Academy of Marketing Science 31(2), 109-126,
   2003.
.. [2] P. Klemperer, "Markets with consumer switching costs", The Quarterly Journal of Economics
   102(2), 375-394, 1987.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import as_output, check_number, check_positive_int

__all__ = [
    "BARRIERS",
    "BARRIER_NAMES_ZH",
    "SwitchingCost",
    "switching_cost",
    "SwitchDecision",
    "switch_is_worth_it",
    "RETENTION_MODES",
    "retention_mode",
]

#: The five switching barriers of the slides (R1), in display order.
BARRIERS = ("sunk", "transaction", "learning", "opportunity", "termination")

#: Chinese names of the barriers as used in the readings.
BARRIER_NAMES_ZH = {
    "sunk": "沉没成本",
    "transaction": "交易成本",
    "learning": "学习成本",
    "opportunity": "机会成本",
    "termination": "终止壁垒",
}

#: Labels returned by :func:`retention_mode`.
RETENTION_MODES = ("active", "passive", "at_risk")


@dataclass(frozen=True, eq=False)
class SwitchingCost:
    """Result of :func:`switching_cost`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per barrier (``BARRIERS``) and a last row ``"psychological"``; columns
        ``money`` (money units), ``hours``, ``time_cost`` (hours x value of time) and ``total``
        (money + time_cost).
    money : float
        Out-of-pocket money over all barriers (psychological cost excluded).
    hours : float
        Time over all barriers, in hours.
    time_cost : float
        ``hours * value_of_time``.
    psychological : float
        Money equivalent of the psychological cost.
    total : float
        ``money + time_cost + psychological``: the money-equivalent switching cost, as the
        customer may feel it (sunk costs included).
    relevant : float
        ``total`` minus the ``sunk`` barrier (its money and its time): the part of the cost that
        switching actually adds, which is what a switching decision should weigh.
    """

    table: pd.DataFrame
    money: float
    hours: float
    time_cost: float
    psychological: float
    total: float
    relevant: float


def _by_barrier(name: str, value) -> dict:
    """Check a mapping barrier -> finite number >= 0 (absent barriers are 0)."""
    if value is None:
        return dict.fromkeys(BARRIERS, 0.0)
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be a mapping from barrier ({', '.join(BARRIERS)}) to a number, "
            f"got {type(value).__name__} {value!r}"
        )
    unknown = [k for k in value if k not in BARRIERS]
    if unknown:
        raise ValueError(f"{name} has unknown barrier(s) {unknown!r}; allowed: {', '.join(BARRIERS)}")
    out = {}
    for k in BARRIERS:
        v = value.get(k, 0.0)
        if np.ndim(v) != 0:
            raise TypeError(f"{name}[{k!r}] must be a single number, got {v!r}")
        out[k] = check_number(f"{name}[{k!r}]", v, low=0.0)
    return out


def switching_cost(money=None, hours=None, value_of_time=None, psychological=0.0) -> SwitchingCost:
    r"""Money-equivalent cost of switching supplier, barrier by barrier.

    .. math::

        C_b = m_b + h_b \, v, \qquad
        C = \sum_{b \in \text{barriers}} C_b + \psi,

    with :math:`m_b` the money and :math:`h_b` the hours that barrier :math:`b` costs, :math:`v`
    the value of an hour and :math:`\psi` the money equivalent of the psychological cost.

    Parameters
    ----------
    money : mapping, optional
        Money cost by barrier (keys among :data:`BARRIERS`; absent keys are 0), in money units,
        each finite and >= 0.
    hours : mapping, optional
        Time cost by barrier, in hours, each finite and >= 0.
    value_of_time : float, optional
        Money units per hour, finite and >= 0.  Required when any hours are given (so that time
        is not silently valued at zero); defaults to 0 otherwise.
    psychological : float, default 0
        Money equivalent of the psychological cost (uncertainty, risk, attachment), >= 0.

    Returns
    -------
    SwitchingCost
        Per-barrier table and totals.

    Raises
    ------
    TypeError
        If ``money`` or ``hours`` is not a mapping, or a value is not a number.
    ValueError
        If a barrier name is unknown, a value is NaN, infinite or negative, or hours are given
        without ``value_of_time``.

    References
    ----------
    .. [1] T. A. Burnham, J. K. Frels and V. Mahajan, "Consumer switching costs: a typology,
       antecedents, and consequences", Journal of the Academy of Marketing Science 31(2),
       109-126, 2003.
    .. [2] H. R. Arkes and C. Blumer, "The psychology of sunk cost", Organizational Behavior and
       Human Decision Processes 35(1), 124-140, 1985.

    Examples
    --------
    A household moving its current account: a 40 set-up fee paid two years ago (sunk), a 60
    early-exit charge, 3 hours of paperwork and 2 hours of learning a new app at 25 an hour, plus
    unease worth 50:

    >>> cost = switching_cost(money={"sunk": 40, "termination": 60},
    ...                       hours={"transaction": 3, "learning": 2},
    ...                       value_of_time=25, psychological=50)
    >>> cost.money, cost.hours, cost.time_cost, cost.total, cost.relevant
    (100.0, 5.0, 125.0, 275.0, 235.0)
    >>> cost.table["total"].tolist()
    [40.0, 75.0, 50.0, 0.0, 60.0, 50.0]
    """
    m = _by_barrier("money", money)
    h = _by_barrier("hours", hours)
    any_hours = any(v > 0 for v in h.values())
    if value_of_time is None:
        if any_hours:
            raise ValueError(
                "value_of_time must be given (money units per hour) when hours are given; "
                "pass value_of_time=0 to count time as free"
            )
        v = 0.0
    else:
        if np.ndim(value_of_time) != 0:
            raise TypeError(f"value_of_time must be a single number, got {value_of_time!r}")
        v = check_number("value_of_time", value_of_time, low=0.0)
    if np.ndim(psychological) != 0:
        raise TypeError(f"psychological must be a single number, got {psychological!r}")
    psi = check_number("psychological", psychological, low=0.0)
    index = pd.Index(list(BARRIERS) + ["psychological"], name="barrier")
    table = pd.DataFrame(
        {
            "money": [m[b] for b in BARRIERS] + [psi],
            "hours": [h[b] for b in BARRIERS] + [0.0],
        },
        index=index,
    )
    table["time_cost"] = table["hours"] * v
    table["total"] = table["money"] + table["time_cost"]
    money_total = float(sum(m.values()))
    hours_total = float(sum(h.values()))
    time_cost = float(table["time_cost"].sum())
    return SwitchingCost(
        table=table,
        money=money_total,
        hours=hours_total,
        time_cost=time_cost,
        psychological=psi,
        total=money_total + time_cost + psi,
        relevant=money_total + time_cost + psi - float(table.loc["sunk", "total"]),
    )


@dataclass(frozen=True, eq=False)
class SwitchDecision:
    """Result of :func:`switch_is_worth_it`.

    Attributes
    ----------
    pv_savings : float or numpy.ndarray
        Present value of the savings over the horizon, in money units.
    switching_cost : float or numpy.ndarray
        The one-off cost of switching, paid now.
    npv : float or numpy.ndarray
        ``pv_savings - switching_cost``.
    worth_it : bool or numpy.ndarray
        ``npv > 0``.
    payback_year : float or numpy.ndarray
        First year at whose end the discounted savings cover the cost (0 when the cost is 0);
        ``inf`` when they never do within the horizon.
    """

    pv_savings: float | np.ndarray
    switching_cost: float | np.ndarray
    npv: float | np.ndarray
    worth_it: bool | np.ndarray
    payback_year: float | np.ndarray


def switch_is_worth_it(annual_saving, switching_cost, years, discount_rate=0.0) -> SwitchDecision:
    r"""Is switching supplier worth its cost?  A net-present-value comparison.

    .. math::

        \mathrm{NPV} = \sum_{t=1}^{T} \frac{S}{(1 + d)^t} - C,

    with :math:`S` the saving per year from the new supplier (received at the end of each year),
    :math:`T` the horizon in years, :math:`d` the annual discount rate and :math:`C` the one-off
    switching cost paid now.  Switching pays when NPV > 0.  Seen from the firm, the same sum says
    how large an advantage a competitor must offer before the barriers stop holding a customer.

    Parameters
    ----------
    annual_saving : float or array_like
        Saving per year, money units; any finite number (negative means the new supplier is
        dearer).
    switching_cost : float, array_like or SwitchingCost
        One-off cost, money units, >= 0; a :class:`SwitchingCost` contributes its ``total`` (what
        the customer may feel); pass its ``relevant`` to leave the sunk costs out.
    years : int
        Horizon in years, a whole number >= 1.
    discount_rate : float or array_like, default 0
        Annual discount rate, finite and > -1.

    Returns
    -------
    SwitchDecision
        PV of savings, cost, NPV, the decision and the discounted payback year; floats for
        scalar inputs, arrays of the broadcast shape otherwise.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a number of the allowed range, or ``years`` is not a whole number
        >= 1.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 13th ed.,
       McGraw-Hill, 2020, chapter 2 (present values) and chapter 5 (payback).
    .. [2] P. Klemperer, "Markets with consumer switching costs", The Quarterly Journal of
       Economics 102(2), 375-394, 1987.

    Examples
    --------
    Saving 120 a year for 3 years at 10 % against a 275 switching cost:

    >>> decision = switch_is_worth_it(120, 275, years=3, discount_rate=0.10)
    >>> round(decision.pv_savings, 2), round(decision.npv, 2), decision.worth_it
    (298.42, 23.42, True)
    >>> decision.payback_year
    3.0
    >>> switch_is_worth_it([60, 120, 200], 275, years=3, discount_rate=0.10).payback_year
    array([inf,  3.,  2.])
    """
    if isinstance(switching_cost, SwitchingCost):
        switching_cost = switching_cost.total
    s = check_number("annual_saving", annual_saving)
    c = check_number("switching_cost", switching_cost, low=0.0)
    if isinstance(years, np.ndarray) and years.ndim == 0:
        years = years.item()
    if np.ndim(years) != 0:
        raise TypeError(f"years must be a single whole number, got {years!r}")
    horizon = check_positive_int("years", years)
    d = check_number("discount_rate", discount_rate, low=-1.0, low_open=True)
    s_arr, c_arr, d_arr = np.broadcast_arrays(np.asarray(s, float), np.asarray(c, float), np.asarray(d, float))
    t = np.arange(1, horizon + 1, dtype=float)
    factors = np.exp(-np.log1p(d_arr)[..., None] * t)  # (..., T)
    cumulative = np.cumsum(s_arr[..., None] * factors, axis=-1)
    pv = cumulative[..., -1]
    npv = pv - c_arr
    covered = cumulative >= c_arr[..., None]
    first = np.argmax(covered, axis=-1) + 1.0
    payback = np.where(covered.any(axis=-1), first, np.inf)
    payback = np.where(c_arr == 0, 0.0, payback)
    worth = npv > 0
    return SwitchDecision(
        pv_savings=as_output(pv),
        switching_cost=as_output(c_arr),
        npv=as_output(npv),
        worth_it=bool(worth) if worth.ndim == 0 else worth,
        payback_year=as_output(payback),
    )


def retention_mode(surplus_value, switching_cost):
    r"""Classify a customer's retention as active, passive or at risk (the value model of R1).

    The slides' value model keeps a customer by two forces: a *motivation* to stay, the
    customer's surplus value (客户剩余价值) and psychological attachment (心理依附), which gives
    **active retention** (主动保持); and a *resistance* to leaving, the switching barriers, which
    gives **passive retention** (被动保持).  With

    * :math:`V` = the customer's surplus from staying *relative to the best alternative*
      (value received minus price paid, minus the same for the alternative; emotional attachment
      counted as a money equivalent), and
    * :math:`C` = the money-equivalent switching cost (:func:`switching_cost`), over the same
      horizon as :math:`V` (e.g. both as present values),

    the rule is

    =====================  ==========  ==============================================
    condition              mode        meaning
    =====================  ==========  ==============================================
    :math:`V > 0`          active      stays because staying is better
    :math:`V \le 0 < V+C`  passive     the alternative is better, but the barriers
                                       cost more than the gain from leaving
    :math:`V + C \le 0`    at_risk     nothing holds the customer: expect defection
    =====================  ==========  ==============================================

    Passive retention is fragile: when a competitor widens its advantage or the barrier falls
    (the internet's "one click", R2), the customer leaves, and often resents having been held.

    Parameters
    ----------
    surplus_value : float or array_like
        :math:`V`, money units; any finite number.
    switching_cost : float, array_like or SwitchingCost
        :math:`C`, money units, >= 0.

    Returns
    -------
    str or numpy.ndarray
        ``"active"``, ``"passive"`` or ``"at_risk"`` (see :data:`RETENTION_MODES`); an array of
        strings of the broadcast shape for array input.

    Raises
    ------
    TypeError, ValueError
        If a value is not a finite number or ``switching_cost`` is negative.

    References
    ----------
    .. [1] N. Bendapudi and L. L. Berry, "Customers' motivations for maintaining relationships
       with service providers", Journal of Retailing 73(1), 15-37, 1997.
    .. [2] M. A. Jones, D. L. Mothersbaugh and S. E. Beatty, "Switching barriers and repurchase
       intentions in services", Journal of Retailing 76(2), 259-274, 2000.

    Examples
    --------
    >>> retention_mode(50, 0)
    'active'
    >>> retention_mode(-80, 275)
    'passive'
    >>> retention_mode([-300, 0, 0], [275, 10, 0]).tolist()
    ['at_risk', 'passive', 'at_risk']
    """
    if isinstance(switching_cost, SwitchingCost):
        switching_cost = switching_cost.total
    v = check_number("surplus_value", surplus_value)
    c = check_number("switching_cost", switching_cost, low=0.0)
    v_arr, c_arr = np.broadcast_arrays(np.asarray(v, float), np.asarray(c, float))
    modes = np.select([v_arr > 0, v_arr + c_arr > 0], ["active", "passive"], default="at_risk")
    if modes.ndim == 0:
        return str(modes)
    return modes
