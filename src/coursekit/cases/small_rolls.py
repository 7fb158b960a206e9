r"""Case 5 -- *Small rolls for budget hotels* (reading R1).

Serves the case notebook ``cases/05_small_rolls.ipynb``.  The case mines the complaint log of
:mod:`coursekit.data.complaints` (``load_complaints``, ``load_complaints_truth``) for an unmet need
and sizes the product line that answers it.  This module holds what the case needs beyond the
chapter modules:

* :func:`rule_quality` -- a keyword rule scored against the truth (confusion counts,
  precision, recall, F1);
* :func:`launch_economics` -- the product line sized from the registered requests up to the
  payback of the launch;
* the explorer :func:`launch_explorer`, which puts the assumptions on sliders, with its
  ``BENCH`` slider moves for ``make bench``.

The case has no dataset of its own.

References
----------
.. [1] C. D. Manning, P. Raghavan and H. Schuetze, *Introduction to Information Retrieval*,
   Cambridge University Press, 2008 (precision and recall).
.. [2] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 10th ed.,
   McGraw-Hill/Irwin, 2011 (present value and payback).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit import plotting
from coursekit._validate import as_output, check_number, check_positive_int
from coursekit.language import tr
from coursekit.models import roi as _roi
from coursekit.models.roi import annuity_factor
from coursekit.plotting import money_text
from coursekit.widgets import Explorer, float_slider

__all__ = ["RuleQuality", "rule_quality", "LaunchEconomics", "launch_economics", "launch_explorer", "BENCH"]


@dataclass(frozen=True)
class RuleQuality:
    """Result of :func:`rule_quality`.

    Attributes
    ----------
    n : int
        Items scored (e.g. complaints).
    flagged, actual : int
        Items the rule flags; items that truly belong to the class.
    true_positives, false_positives, false_negatives, true_negatives : int
        The four cells of the confusion table.
    precision : float
        ``true_positives / flagged``: the share of flags that are right (NaN if nothing is
        flagged).
    recall : float
        ``true_positives / actual``: the share of true items that the rule finds (NaN if there
        are none).
    f1 : float
        Harmonic mean of precision and recall (0 when both are 0, NaN when either is NaN).
    """

    n: int
    flagged: int
    actual: int
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    precision: float
    recall: float
    f1: float

    def table(self) -> pd.DataFrame:
        """The confusion table: rows = truth (True, False), columns = rule (flagged, not flagged)."""
        return pd.DataFrame(
            {tr("flagged"): [self.true_positives, self.false_positives],
             tr("not flagged"): [self.false_negatives, self.true_negatives]},
            index=pd.Index([tr("truly a request"), tr("not a request")], name=tr("truth")),
        )


def _as_flags(name: str, values) -> tuple[np.ndarray, pd.Index | None]:
    """Return 1-D booleans (and the index of a Series) from booleans or 0/1 numbers."""
    if isinstance(values, (str, bytes)) or np.ndim(values) == 0:
        raise TypeError(f"{name} must be a sequence of True/False flags, got {type(values).__name__} {values!r}")
    index = values.index if isinstance(values, (pd.Series, pd.DataFrame)) else None
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} must be one column of flags (a Series), got a DataFrame; use .any(axis=1)")
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if len(series) == 0:
        return np.zeros(0, dtype=bool), index
    if series.isna().any():
        raise ValueError(f"{name} must not hold missing values, got {int(series.isna().sum())}")
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=bool), index
    if pd.api.types.is_numeric_dtype(series) and series.isin([0, 1]).all():
        return series.to_numpy(dtype=float) == 1.0, index
    raise TypeError(f"{name} must hold True/False (or 0/1), got values of dtype {series.dtype}")


def rule_quality(flagged, truth) -> RuleQuality:
    r"""Score a yes/no rule (e.g. a keyword search) against the truth.

    With TP, FP, FN, TN the cells of the confusion table,

    .. math::

        \text{precision} = \frac{TP}{TP + FP}, \qquad
        \text{recall} = \frac{TP}{TP + FN}, \qquad
        F_1 = \frac{2\,\text{precision}\cdot\text{recall}}{\text{precision} + \text{recall}} .

    Precision answers "when the rule says yes, how often is it right?"; recall answers "of the
    true cases, how many does it find?".  A rule that flags everything has recall 1 and poor
    precision; a rule that flags one sure case has precision 1 and poor recall.

    Parameters
    ----------
    flagged : array_like of bool
        The rule's verdict per item (booleans or 0/1), no missing values.
    truth : array_like of bool
        Whether each item truly belongs to the class, same length; when both are Series their
        indexes must be equal (the same items in the same order).

    Returns
    -------
    RuleQuality
        Counts, precision, recall and F1; ``.table()`` gives the confusion table.

    Raises
    ------
    TypeError
        If an input is not a sequence of booleans (or 0/1).
    ValueError
        If the inputs are empty, differ in length or index, or hold missing values.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schuetze, *Introduction to Information Retrieval*,
       Cambridge University Press, 2008, section 8.3.

    Examples
    --------
    >>> q = rule_quality([True, True, False, False, True], [True, False, True, False, True])
    >>> q.true_positives, q.false_positives, q.false_negatives, q.true_negatives
    (2, 1, 1, 1)
    >>> round(q.precision, 4), round(q.recall, 4), round(q.f1, 4)
    (0.6667, 0.6667, 0.6667)
    >>> q.table()
                     flagged  not flagged
    truth
    truly a request        2            1
    not a request          1            1
    """
    f, f_index = _as_flags("flagged", flagged)
    t, t_index = _as_flags("truth", truth)
    if f.size == 0:
        raise ValueError("flagged and truth must hold at least one item, got none")
    if f.size != t.size:
        raise ValueError(f"flagged and truth must have the same length, got {f.size} and {t.size}")
    if f_index is not None and t_index is not None and not f_index.equals(t_index):
        raise ValueError("flagged and truth must have the same index (the same items in the same order)")
    tp = int(np.sum(f & t))
    fp = int(np.sum(f & ~t))
    fn = int(np.sum(~f & t))
    tn = int(np.sum(~f & ~t))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    if np.isnan(precision) or np.isnan(recall):
        f1 = float("nan")
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return RuleQuality(n=int(f.size), flagged=tp + fp, actual=tp + fn, true_positives=tp, false_positives=fp,
                       false_negatives=fn, true_negatives=tn, precision=float(precision), recall=float(recall),
                       f1=float(f1))


@dataclass(frozen=True)
class LaunchEconomics:
    """Result of :func:`launch_economics` (floats, or arrays for array input).

    Attributes
    ----------
    customers_with_need : float
        ``registered / registration_rate``: customers estimated to share the need.
    buyers : float
        ``customers_with_need * conversion``.
    annual_margin : float
        ``buyers * margin_per_buyer``, money units per year.
    pv_margin : float
        Present value of ``annual_margin`` over ``years`` years (end-of-year receipts).
    launch_cost : float
        The one-off cost, paid now.
    net_value : float
        ``pv_margin - launch_cost``.
    roi : float
        ``(pv_margin - launch_cost) / launch_cost`` (:func:`coursekit.models.roi.roi`).
    payback_years : float
        Years until the (discounted) margin repays the cost
        (:func:`coursekit.models.roi.payback_period`); ``inf`` if never.
    """

    customers_with_need: float | np.ndarray
    buyers: float | np.ndarray
    annual_margin: float | np.ndarray
    pv_margin: float | np.ndarray
    launch_cost: float | np.ndarray
    net_value: float | np.ndarray
    roi: float | np.ndarray
    payback_years: float | np.ndarray


def launch_economics(registered, registration_rate, conversion, margin_per_buyer, launch_cost,
                     years=3, discount_rate=0.0) -> LaunchEconomics:
    r"""Size a product line from the complaints that asked for it, and price its launch.

    Only some of the customers who have a need ever say so; the complaint log shows the ones who
    did.  With :math:`R` registered requests and a registration rate :math:`\rho` (the share of
    customers with the need who voice it),

    .. math::

        N = R / \rho, \qquad B = c\,N, \qquad M = B\,m, \qquad
        PV = M \sum_{t=1}^{T} (1 + d)^{-t},

    where :math:`c` is the share of them who buy (conversion), :math:`m` the yearly margin per
    buying customer, :math:`T` the horizon and :math:`d` the discount rate.  The launch costs
    :math:`C` now; ROI = (PV - C) / C and the payback period solves
    :math:`M\,(1 - (1 + d)^{-n}) / d = C` (:math:`n = C / M` when :math:`d = 0`).

    Parameters
    ----------
    registered : float or array_like
        Requests found in the complaint log (customers, not comments), >= 0.
    registration_rate : float or array_like
        Share of customers with the need who register it, in (0, 1].
    conversion : float or array_like
        Share of customers with the need who buy the new line, in [0, 1].
    margin_per_buyer : float or array_like
        Yearly margin per buying customer, money units, >= 0.
    launch_cost : float or array_like
        One-off cost of the launch (stock, samples, sales visits), money units, > 0.
    years : int, default 3
        Horizon of the margin stream, whole years >= 1.
    discount_rate : float or array_like, default 0
        Yearly discount rate, >= 0.

    Returns
    -------
    LaunchEconomics
        Floats for scalar inputs, arrays of the broadcast shape otherwise.

    Raises
    ------
    ValueError, TypeError
        If an argument is not a number in its range, or ``years`` is not a whole number >= 1.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 10th ed.,
       McGraw-Hill/Irwin, 2011 (present value and payback).
    .. [2] TARP (Technical Assistance Research Programs), *Consumer Complaint Handling in
       America: An Update Study*, U.S. Office of Consumer Affairs, 1986 (most dissatisfied
       customers never complain; the "1 in 26" ratios quoted from it are commonly cited claims).

    Examples
    --------
    60 requests, one hotel in four with the need says so, 60 % of them buy, 1,200 a year of
    margin each, a launch costing 80,000:

    >>> plan = launch_economics(60, 0.25, 0.6, 1_200, 80_000, years=3)
    >>> plan.customers_with_need, plan.buyers, plan.annual_margin
    (240.0, 144.0, 172800.0)
    >>> round(plan.payback_years, 3), round(plan.roi, 3)
    (0.463, 5.48)
    >>> launch_economics(60, [0.25, 1.0], 0.6, 1_200, 80_000).payback_years.round(3)
    array([0.463, 1.852])
    """
    r = check_number("registered", registered, low=0.0)
    rho = check_number("registration_rate", registration_rate, low=0.0, high=1.0, low_open=True)
    c = check_number("conversion", conversion, low=0.0, high=1.0)
    m = check_number("margin_per_buyer", margin_per_buyer, low=0.0)
    cost = check_number("launch_cost", launch_cost, low=0.0, low_open=True)
    if isinstance(years, np.ndarray) and years.ndim == 0:
        years = years.item()
    horizon = check_positive_int("years", years)
    d = check_number("discount_rate", discount_rate, low=0.0)
    needing = np.asarray(r) / np.asarray(rho)
    buyers = needing * np.asarray(c)
    margin = buyers * np.asarray(m)
    pv = margin * annuity_factor(horizon, d)
    safe = np.where(margin > 0, margin, 1.0)
    payback = np.where(margin > 0, _roi.payback_period(cost, safe, d), np.inf)
    return LaunchEconomics(
        customers_with_need=as_output(needing),
        buyers=as_output(buyers),
        annual_margin=as_output(margin),
        pv_margin=as_output(pv),
        launch_cost=as_output(np.broadcast_to(cost, np.shape(pv))) if np.ndim(pv) else float(cost),
        net_value=as_output(pv - cost),
        roi=as_output(_roi.roi(pv, cost)),
        payback_years=as_output(payback),
    )



def launch_explorer(registered=60, registration_rate=0.25, conversion=0.6, margin_per_buyer=1226.4,
                    launch_cost=80_000.0, years=3):
    """Sliders for the small-roll launch of case 5: registration rate, conversion, margin, cost.

    The default margin per hotel is the case's: 40 rooms x 70 % occupancy x 365 nights x one
    small roll per occupied room-night x 0.12 yuan = 1,226.4 yuan a year.

    The plot shows the cumulative net cash of the launch month by month (no discounting): it
    starts at minus the launch cost and climbs by the monthly margin of the buyers; where it
    crosses zero is the payback.  A dashed line shows the pessimistic case in which only the
    hotels that complained have the need (registration rate 1).  Numbers come from
    :func:`launch_economics`.

    Examples
    --------
    >>> ex = launch_explorer()
    >>> ex.set(registration_rate=0.5)
    >>> ex.results["buyers"], round(ex.results["payback_years"], 3)
    (72.0, 0.906)
    """
    months = np.arange(0, 12 * 5 + 1)

    def draw(ax, artists, registration_rate, conversion, margin_per_buyer, launch_cost):
        plan = launch_economics(registered, registration_rate, conversion, margin_per_buyer, launch_cost,
                                years=years)
        floor = launch_economics(registered, 1.0, conversion, margin_per_buyer, launch_cost, years=years)
        cash = -launch_cost + plan.annual_margin * months / 12
        low = -launch_cost + floor.annual_margin * months / 12
        if not artists:
            (artists["plan"],) = ax.plot(months, cash, color=plotting.PALETTE[0], label=tr("your assumptions"))
            (artists["floor"],) = ax.plot(months, low, color=plotting.PALETTE[1], linestyle="--",
                                          label=tr("only the hotels that complained"))
            ax.axhline(0, color="0.4", linewidth=1)
            (artists["payback"],) = ax.plot([], [], "o", color=plotting.PALETTE[0])
            plotting.money_axis(ax, "y", symbol="")
            plotting.label(ax, tr("Small-roll line: cumulative net cash"), tr("Months after launch"),
                           tr("Net cash (yuan)"), legend=True)
            ax.legend(loc="upper left", fontsize=8)
        else:
            artists["plan"].set_ydata(cash)
            artists["floor"].set_ydata(low)
        pb = plan.payback_years * 12
        artists["payback"].set_data([pb] if pb <= months[-1] else [], [0.0] if pb <= months[-1] else [])
        ax.set_xlim(0, months[-1])
        ax.set_ylim(-300_000, 1_200_000)
        results = {"customers_with_need": plan.customers_with_need, "buyers": plan.buyers,
                   "annual_margin": plan.annual_margin, "payback_years": plan.payback_years,
                   "roi": plan.roi, "payback_years_if_only_complainers": floor.payback_years}
        html = "<br>".join([
            tr("Hotels with the need: <b>{hotels}</b> ({asked} asked, 1 in {ratio} asks); buyers {buyers}").format(
                hotels=f"{plan.customers_with_need:,.0f}", asked=registered, ratio=f"{1 / registration_rate:.1f}",
                buyers=f"{plan.buyers:,.0f}"),
            tr("Margin {margin} yuan a year; payback <b>{months} months</b>; {years}-year ROI {roi}").format(
                margin=money_text(plan.annual_margin), months=f"{pb:.1f}", years=years, roi=f"{plan.roi:.0%}"),
            tr("If only the complainers buy: payback {months} months").format(
                months=f"{floor.payback_years * 12:.1f}"),
        ])
        return results, html

    controls = {
        "registration_rate": float_slider(tr("Share of hotels that ask"), registration_rate, 0.04, 1.0, 0.01),
        "conversion": float_slider(tr("Share who buy"), conversion, 0.1, 1.0, 0.05),
        "margin_per_buyer": float_slider(tr("Margin per hotel (yuan/yr)"), margin_per_buyer, 200, 3000, 1, ".0f"),
        "launch_cost": float_slider(tr("Launch cost (yuan)"), launch_cost, 20_000, 300_000, 5_000, ".0f"),
    }
    return Explorer(controls, draw)


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 5 launch explorer": (launch_explorer,
                               [{"registration_rate": 0.04 + 0.06 * i, "conversion": 0.2 + 0.05 * i}
                                for i in range(15)]),
}
