r"""Case 6 -- *The bank that counted the wrong churn* (reading R4).

Serves the case notebook ``cases/06_bank_wrong_churn.ipynb``.  The case works on the bank
dataset of :mod:`coursekit.data.bank_accounts` (``load_bank_accounts``) with the churn measures
of :mod:`coursekit.models.account_churn` (``churn_summary``, ``sharp_cuts``); this module holds what it needs beyond it:

* :func:`value_at_stake` -- what a retention programme that prevents part of a loss of
  balances is worth, against its cost;
* the explorer :func:`bank_programme_explorer`, which lets the student move the programme's
  assumptions, with its ``BENCH`` slider moves for ``make bench``.

The case has no dataset of its own.

References
----------
.. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey Quarterly
   2002(2), 2002.
.. [2] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 10th ed.,
   McGraw-Hill/Irwin, 2011.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coursekit import plotting
from coursekit._validate import as_output, check_number, check_positive_int
from coursekit.data import bank_accounts
from coursekit.language import tr
from coursekit.models import account_churn
from coursekit.models import roi as _roi
from coursekit.models.roi import annuity_factor
from coursekit.plotting import money_text
from coursekit.widgets import Explorer, float_slider, int_slider

__all__ = ["ValueAtStake", "value_at_stake", "bank_programme_explorer", "BENCH"]


@dataclass(frozen=True)
class ValueAtStake:
    """Result of :func:`value_at_stake` (floats, or arrays for array input).

    Attributes
    ----------
    kept_value : float
        ``lost_value * reduction``: the balances (or revenue base) the programme keeps.
    annual_margin : float
        ``kept_value * margin_rate``: what the kept value earns per year.
    pv_margin : float
        Present value of ``annual_margin`` over ``years`` years.
    cost : float
        The programme's cost.
    net_value : float
        ``pv_margin - cost``.
    roi : float
        ``(pv_margin - cost) / cost``.
    """

    kept_value: float | np.ndarray
    annual_margin: float | np.ndarray
    pv_margin: float | np.ndarray
    cost: float | np.ndarray
    net_value: float | np.ndarray
    roi: float | np.ndarray


def value_at_stake(lost_value, reduction, margin_rate, cost, years=1, discount_rate=0.0) -> ValueAtStake:
    r"""What a retention programme is worth: the margin on the value it keeps, against its cost.

    A segment loses :math:`L` of value (balances, yearly revenue) in a year.  A programme that
    prevents the share :math:`s` of that loss keeps :math:`K = s L`, which earns the margin rate
    :math:`g` a year for as long as it stays, here :math:`T` years:

    .. math::

        PV = K\,g \sum_{t=1}^{T} (1 + d)^{-t}, \qquad
        \text{net} = PV - C, \qquad \text{ROI} = (PV - C) / C .

    Parameters
    ----------
    lost_value : float or array_like
        Value lost in a year without the programme (e.g. balances withdrawn by sharp cuts),
        money units, >= 0.
    reduction : float or array_like
        Share of the loss the programme prevents, in [0, 1].
    margin_rate : float or array_like
        Yearly margin per unit of kept value (e.g. 0.02 = 2 % net interest margin on a
        balance), >= 0.
    cost : float or array_like
        Cost of the programme, money units, > 0.
    years : int, default 1
        Years the kept value stays and earns, whole number >= 1.
    discount_rate : float or array_like, default 0
        Yearly discount rate, >= 0.

    Returns
    -------
    ValueAtStake
        Floats for scalar input, arrays of the broadcast shape otherwise.

    Raises
    ------
    ValueError, TypeError
        If an argument is not a number in its range or ``years`` is not a whole number >= 1.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey Quarterly
       2002(2), 2002.
    .. [2] R. A. Brealey, S. C. Myers and F. Allen, *Principles of Corporate Finance*, 10th ed.,
       McGraw-Hill/Irwin, 2011.

    Examples
    --------
    A third of 60 million of withdrawn balances kept, earning 2 % a year for 3 years, for a
    programme costing 1 million:

    >>> v = value_at_stake(60e6, 1 / 3, 0.02, 1e6, years=3)
    >>> round(v.kept_value), round(v.annual_margin), round(v.pv_margin), round(v.roi, 2)
    (20000000, 400000, 1200000, 0.2)
    >>> value_at_stake(60e6, [0.1, 0.5], 0.02, 1e6).net_value
    array([-880000., -400000.])
    """
    lost = check_number("lost_value", lost_value, low=0.0)
    s = check_number("reduction", reduction, low=0.0, high=1.0)
    g = check_number("margin_rate", margin_rate, low=0.0)
    c = check_number("cost", cost, low=0.0, low_open=True)
    if isinstance(years, np.ndarray) and years.ndim == 0:
        years = years.item()
    horizon = check_positive_int("years", years)
    d = check_number("discount_rate", discount_rate, low=0.0)
    kept = np.asarray(lost) * np.asarray(s)
    margin = kept * np.asarray(g)
    pv = margin * annuity_factor(horizon, d)
    return ValueAtStake(
        kept_value=as_output(kept),
        annual_margin=as_output(margin),
        pv_margin=as_output(pv),
        cost=as_output(np.broadcast_to(c, np.shape(pv))) if np.ndim(pv) else float(c),
        net_value=as_output(pv - c),
        roi=as_output(_roi.roi(pv, c)),
    )



def bank_programme_explorer(frame=None, year=1):
    """Sliders for a programme that keeps part of the balances large customers withdraw (case 6).

    The loss is the amount that large customers' sharp cuts took out of the bank in ``year``
    (:func:`coursekit.models.account_churn.churn_summary` at the chosen cut threshold); the programme
    prevents a share of it, the kept balances earn a margin for some years, and the programme
    costs a fixed amount per large customer (:func:`value_at_stake`).

    Examples
    --------
    >>> ex = bank_programme_explorer()
    >>> ex.set(reduction_pct=0)
    >>> ex.results["pv_margin"], ex.results["net_value"] < 0
    (0.0, True)
    """
    data = bank_accounts.load_bank_accounts() if frame is None else frame
    rows = data[data["year"] == year]
    if rows.empty:
        raise ValueError(f"year={year!r} has no rows in the bank data")
    large = rows[rows["segment"] == "large"]
    n_large = len(large)
    labels = [tr("margin on kept balances"), tr("programme cost"), tr("net value")]
    cache: dict = {}

    def draw(ax, artists, cut_threshold, reduction_pct, margin_pct, cost_per_customer, years):
        key = round(float(cut_threshold), 4)
        if key not in cache:
            cut = account_churn.sharp_cuts(large, cut_threshold)
            cache[key] = float((large["balance_start"] - large["balance_end"])[cut].sum())
        lost = cache[key]
        cost = max(cost_per_customer * n_large, 1e-9)
        v = value_at_stake(lost, reduction_pct / 100, margin_pct / 100, cost, years=int(years))
        charged = cost if cost_per_customer > 0 else 0.0
        heights = [v.pv_margin, charged, v.pv_margin - charged]
        if not artists:
            colours = [plotting.PALETTE[2], plotting.PALETTE[1], plotting.PALETTE[0]]
            artists["bars"] = ax.bar(labels, heights, color=colours)
            ax.axhline(0, color="0.4", linewidth=1)
            plotting.money_axis(ax, "y", symbol="")
            plotting.label(ax, tr("A programme for large customers"), tr("Component"),
                           tr("Money (CU, present value)"))
        else:
            for bar, h in zip(artists["bars"], heights, strict=True):
                bar.set_height(h)
        top = max(abs(h) for h in heights) * 1.15 or 1.0
        ax.set_ylim(min(0.0, min(heights) * 1.15), max(top, 1.0))
        results = {"lost_value": lost, "kept_value": v.kept_value, "pv_margin": v.pv_margin,
                   "cost": heights[1], "net_value": heights[2], "large_customers": n_large}
        html = "<br>".join([
            tr("Large customers' sharp cuts (&ge; {threshold}) took <b>{lost} CU</b> in year {year}.").format(
                threshold=f"{cut_threshold:.0%}", lost=money_text(lost), year=year),
            tr("Keeping {share}% of it = {kept} CU, earning {margin}% a year for {years} year(s): {pv} CU.").format(
                share=f"{reduction_pct:.0f}", kept=money_text(v.kept_value), margin=f"{margin_pct:.2f}",
                years=int(years), pv=money_text(v.pv_margin)),
            tr("Cost {cost} CU ({customers} large customers); net value <b>{net} CU</b>").format(
                cost=money_text(heights[1]), customers=f"{n_large:,}", net=money_text(heights[2])),
        ])
        return results, html

    controls = {
        "cut_threshold": float_slider(tr("Sharp cut = fall of at least"), 0.5, 0.3, 0.9, 0.05),
        "reduction_pct": float_slider(tr("Share of the cuts prevented (%)"), 30.0, 0, 100, 5, ".0f"),
        "margin_pct": float_slider(tr("Margin on balances (%/yr)"), 2.0, 0.5, 4.0, 0.25),
        "cost_per_customer": float_slider(tr("Cost per large customer (CU)"), 300.0, 0, 1500, 25, ".0f"),
        "years": int_slider(tr("Years kept balances stay"), 3, 1, 5),
    }
    return Explorer(controls, draw)


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 6 bank programme explorer": (bank_programme_explorer,
                                       [{"reduction_pct": 5.0 * i, "cut_threshold": 0.3 + 0.05 * (i % 12)}
                                        for i in range(15)]),
}
