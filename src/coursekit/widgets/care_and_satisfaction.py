"""Chapter 3 explorers: how fast complaints are answered, and what care by tier costs.

* :func:`response_explorer` -- the complaint log of :mod:`coursekit.data.complaints`
  split at a "quick response" threshold; sliders set the share of complaints
  the firm answers that quickly, the extra cost of a quick answer and the
  margin of a kept customer.  It shows the stay rate of all complainers, the
  customers kept and the cost per extra customer kept
  (:func:`coursekit.models.care.retention_by_response`,
  :func:`coursekit.models.care.care_plan_cost`).
* :func:`care_plan_explorer` -- the tiered care plan (gold: a trip, silver:
  holiday gifts, ordinary: greeting cards) with a cost and a retention lift per
  tier; it shows cost and retained margin by tier
  (:func:`coursekit.models.care.care_plan_cost`).

The scenario of the response explorer is deliberately simple: moving a
complaint from the slow group to the quick one is assumed to give it the
quick group's observed stay rate.  That reads the observed association as a
causal effect, which the notebook discusses.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from coursekit import plotting
from coursekit.data import complaints as _data
from coursekit.language import tr
from coursekit.models import care
from coursekit.widgets._core import Explorer, float_slider, int_slider

__all__ = ["response_explorer", "care_plan_explorer", "CARE_PLAN_EXAMPLE", "BENCH"]

_GRID = np.linspace(0.0, 1.0, 101)
_DOT = '<span style="color:{}">{}</span>'


# ----------------------------------------------------------------- response time
def _quick_and_slow(log, threshold_hours):
    """Stay rates and Wilson intervals of complaints answered within / after the threshold."""
    table = care.retention_by_response(log, bands=(0.0, float(threshold_hours), math.inf))
    quick, slow = table.iloc[0], table.iloc[1]
    return table, quick, slow


def _draw_response(ax, artists, threshold_hours, quick_share_pct, cost_per_quick, margin, *, log):
    table, quick, slow = _quick_and_slow(log, threshold_hours)
    n = int(table["complaints"].sum())
    today_share = quick["complaints"] / n
    today_rate = table["stayed"].sum() / n
    target = quick_share_pct / 100.0
    # A band with no complaints has no stay rate: fall back on the other one.
    r_q = quick["stay_rate"] if quick["complaints"] else slow["stay_rate"]
    r_s = slow["stay_rate"] if slow["complaints"] else r_q
    lo_q, hi_q = (quick["ci_low"], quick["ci_high"]) if quick["complaints"] else (slow["ci_low"], slow["ci_high"])
    lo_s, hi_s = (slow["ci_low"], slow["ci_high"]) if slow["complaints"] else (lo_q, hi_q)
    curve = _GRID * r_q + (1 - _GRID) * r_s
    low = _GRID * lo_q + (1 - _GRID) * lo_s
    high = _GRID * hi_q + (1 - _GRID) * hi_s
    rate = target * r_q + (1 - target) * r_s
    if not artists:
        # Text is most of the rendering time: keep the legend short and explain the markers in the summary.
        artists["band"] = ax.fill_between(_GRID, low, high, color=plotting.PALETTE[0], alpha=0.2,
                                          label=tr("95% limits"))
        (artists["curve"],) = ax.plot(_GRID, curve, color=plotting.PALETTE[0], label=tr("stay rate"))
        artists["claim"] = ax.axhline(_data.QUICK_RESPONSE_CLAIM, color="0.5", linestyle=":",
                                      label=tr("claimed 70%"))
        (artists["today"],) = ax.plot([today_share], [today_rate], "o", color=plotting.PALETTE[1])
        (artists["target"],) = ax.plot([target], [rate], "s", color=plotting.PALETTE[2], markersize=8)
        plotting.percent_axis(ax, "x")
        plotting.percent_axis(ax, "y")
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        plotting.label(ax, tr("Answer faster, keep more complainers?"),
                       tr("Share of complaints answered quickly"), tr("Complainers who stayed"))
        ax.legend(loc="lower right", fontsize=8)
        # The economics of the target, on the picture: the cost and margin sliders move it.
        artists["money"] = ax.text(0.02, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=9,
                                   bbox={"facecolor": "white", "edgecolor": "0.8", "boxstyle": "round"})
    else:
        artists["band"].set_data(_GRID, low, high)
        artists["curve"].set_ydata(curve)
        artists["today"].set_data([today_share], [today_rate])
        artists["target"].set_data([target], [rate])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    kept = n * rate
    extra = n * (target - today_share) * (r_q - r_s)
    results = {"complaints": n, "threshold_hours": float(threshold_hours), "today_share": float(today_share),
               "quick_stay_rate": float(r_q), "slow_stay_rate": float(r_s), "stay_rate": float(rate),
               "kept": float(kept), "extra_kept": float(extra)}
    head = (_DOT.format(plotting.PALETTE[1], "&#9679;") + " "
            + tr("<b>Today</b>: {quick} of {n} complaints ({share}) answered within {hours} h; {quick_rate} of them "
                 "stayed, against {slow_rate} of the slower ones.").format(
                quick=f"{int(quick['complaints']):,}", n=f"{n:,}", share=f"{today_share:.1%}",
                hours=f"{threshold_hours:g}", quick_rate=f"{r_q:.1%}", slow_rate=f"{r_s:.1%}")
            + "<br>" + _DOT.format(plotting.PALETTE[2], "&#9632;") + " "
            + tr("<b>Target</b>: {target} answered quickly: stay rate {rate}, <b>{kept}</b> complainers kept "
                 "({extra} on today).").format(
                target=f"{target:.0%}", rate=f"{rate:.1%}", kept=f"{kept:,.0f}", extra=f"{extra:+,.0f}")
            + "<br>")
    moved = n * (target - today_share)
    if moved > 0 and r_q >= r_s:
        plan = care.care_plan_cost(
            {"faster answers": {"customers": moved, "cost_per_customer": cost_per_quick,
                                "retention_without": r_s, "retention_with": r_q,
                                "margin_per_retained": margin}},
            include_total=False,
        ).iloc[0]
        results.update(cost=float(plan["cost"]), cost_per_extra_kept=float(plan["cost_per_extra_retained"]),
                       net_value=float(plan["net_value"]))
        per = plan["cost_per_extra_retained"]
        net = plotting.money_text(plan["net_value"])
        money = tr("Target {target}: cost USD {cost}\nmargin of the extra kept USD {margin}\nnet value USD {net}").format(
            target=f"{target:.0%}", cost=f"{plan['cost']:,.0f}", margin=f"{plan['retained_margin']:,.0f}", net=net)
        if np.isfinite(per):
            tail = tr("Speeding up {moved} answers costs USD {cost}: <b>USD {per}</b> per extra customer kept; "
                      "net value USD {net}.").format(moved=f"{moved:,.0f}", cost=f"{plan['cost']:,.0f}",
                                                     per=f"{per:,.0f}", net=net)
        else:
            tail = tr("Speeding up {moved} answers costs USD {cost} and keeps <b>no</b> extra customer: quick and "
                      "slow answers keep the same share.").format(moved=f"{moved:,.0f}", cost=f"{plan['cost']:,.0f}")
    elif moved > 0:
        money = tr("Quick answers keep fewer customers:\nspeeding up does not pay")
        tail = tr("Here the quick answers keep <b>fewer</b> customers than the slow ones: speeding up does not pay.")
    else:
        money = tr("Target at or below today's share:\nnothing to pay for (cost and margin unused)")
        tail = tr("The target is at or below today's share: nothing to speed up.")
    artists["money"].set_text(money)
    return results, head + tail


def response_explorer(threshold_hours=4, quick_share_pct=50, cost_per_quick=20.0, margin=300.0, log=None) -> Explorer:
    """Sliders for the complaint log: quick-response threshold, target share, cost and margin.

    Parameters
    ----------
    threshold_hours : int, default 4
        A complaint answered within this many hours counts as "quick".
    quick_share_pct : int, default 50
        Target share of complaints answered quickly, in percent.
    cost_per_quick : float, default 20
        Extra cost (USD) of answering one slow complaint quickly.
    margin : float, default 300
        Margin (USD) earned from each complainer who stays.
    log : pandas.DataFrame, optional
        A complaint log with ``response_hours`` and ``stayed``; default
        :func:`coursekit.data.complaints.load_complaints`.

    Returns
    -------
    Explorer
        ``results`` holds ``today_share``, ``quick_stay_rate``,
        ``slow_stay_rate``, ``stay_rate`` (at the target), ``kept``,
        ``extra_kept`` and, when the target is above today's share,
        ``cost``, ``cost_per_extra_kept`` and ``net_value``.

    Notes
    -----
    With :math:`n` complaints, today's quick share :math:`q_0`, the target
    :math:`q` and the observed stay rates :math:`r_q` (quick) and :math:`r_s`
    (slow), the stay rate at the target is :math:`q r_q + (1 - q) r_s` and the
    extra customers kept are :math:`n (q - q_0)(r_q - r_s)`.

    Examples
    --------
    >>> ex = response_explorer()
    >>> round(ex.results["quick_stay_rate"], 3), round(ex.results["today_share"], 3)
    (0.703, 0.288)
    >>> ex.set(quick_share_pct=100)
    >>> round(ex.results["stay_rate"], 3)
    0.703
    """
    log = _data.load_complaints() if log is None else log
    controls = {
        "threshold_hours": int_slider(tr("Quick means within (h)"), threshold_hours, 1, 24),
        "quick_share_pct": int_slider(tr("Target quick share (%)"), quick_share_pct, 0, 100),
        "cost_per_quick": float_slider(tr("Extra cost per quick answer (USD)"), cost_per_quick, 0, 200, 5, ".0f"),
        "margin": float_slider(tr("Margin per customer kept (USD)"), margin, 0, 2000, 50, ".0f"),
    }
    return Explorer(controls, partial(_draw_response, log=log))


# --------------------------------------------------------------------- care plan
#: The tiered care plan of chapter 3 (a year): customers, retention without care
#: and margin per retained customer are fixed; cost and retention with care are
#: the defaults of the sliders.  Illustrative figures, not data.
CARE_PLAN_EXAMPLE = {
    "gold": {"action": care.CARE_ACTIONS["gold"], "customers": 200, "cost_per_customer": 800.0,
             "retention_without": 0.80, "retention_with": 0.90, "margin_per_retained": 12_000.0},
    "silver": {"action": care.CARE_ACTIONS["silver"], "customers": 1_500, "cost_per_customer": 60.0,
               "retention_without": 0.70, "retention_with": 0.75, "margin_per_retained": 1_500.0},
    "ordinary": {"action": care.CARE_ACTIONS["ordinary"], "customers": 10_000, "cost_per_customer": 2.0,
                 "retention_without": 0.55, "retention_with": 0.56, "margin_per_retained": 150.0},
}

_TIERS = tuple(CARE_PLAN_EXAMPLE)


def _tier_names(capital: bool = False) -> dict[str, str]:
    """The tiers' names in the current language, as written in a sentence or (``capital``) at its start."""
    if capital:
        return {"gold": tr("Gold"), "silver": tr("Silver"), "ordinary": tr("Ordinary")}
    return {"gold": tr("gold"), "silver": tr("silver"), "ordinary": tr("ordinary")}


def _action_text(action: str) -> str:
    """A care action of :data:`coursekit.models.care.CARE_ACTIONS` in the current language."""
    names = {"an annual trip": tr("an annual trip"), "holiday gifts": tr("holiday gifts"),
             "greeting cards and SMS": tr("greeting cards and SMS")}
    return names.get(action, action)


def _plan(values):
    """The care plan with the slider values (cost per customer, lift in points) put in."""
    plan = {}
    for tier in _TIERS:
        base = dict(CARE_PLAN_EXAMPLE[tier])
        base["cost_per_customer"] = values[f"{tier}_cost"]
        base["retention_with"] = min(1.0, base["retention_without"] + values[f"{tier}_lift"] / 100.0)
        plan[tier] = base
    return plan


def _draw_care(ax, artists, **values):
    table = care.care_plan_cost(_plan(values))
    tiers = table.loc[list(_TIERS)]
    # Margin kept per dollar of care: above 1 the tier's care pays for itself.
    cost = tiers["cost"].to_numpy()
    payback = np.divide(tiers["retained_margin"].to_numpy(), cost, out=np.zeros(len(_TIERS)), where=cost > 0)
    x = np.arange(len(_TIERS))
    if not artists:
        artists["bars"] = ax.bar(x, payback, width=0.6, color=[plotting.PALETTE[i] for i in (3, 5, 2)])
        artists["even"] = ax.axhline(1.0, color=plotting.PALETTE[1], linestyle="--", label=tr("break-even"))
        names = _tier_names()
        ax.set_xticks(x, [names.get(tier, tier) for tier in _TIERS])
        plotting.label(ax, tr("Tiered care: margin kept per USD 1 of care"), tr("Customer tier"),
                       tr("Margin kept / cost of care"), legend=True)
    else:
        for bar, height in zip(artists["bars"], payback):
            bar.set_height(height)
    ax.set_xlim(-0.6, len(_TIERS) - 0.4)
    ax.set_ylim(0, max(2.0, 1.15 * float(payback.max())))
    results = {"table": table, "payback": dict(zip(_TIERS, payback.tolist())), "net_value": float(table.loc["total", "net_value"]),
               "extra_retained": float(table.loc["total", "extra_retained"]),
               "cost_per_extra_retained": float(table.loc["total", "cost_per_extra_retained"])}
    rows = []
    names = _tier_names()
    for tier in _TIERS:
        row = table.loc[tier]
        per = row["cost_per_extra_retained"]
        per_text = f"USD {per:,.0f}" if np.isfinite(per) else "—"
        rows.append(tr("<b>{tier}</b> ({action}): {extra} extra kept, {per} each, net USD {net} "
                       "(break-even cost USD {break_even})").format(
            tier=names.get(tier, tier), action=_action_text(CARE_PLAN_EXAMPLE[tier]["action"]),
            extra=f"{row['extra_retained']:,.0f}", per=per_text, net=plotting.money_text(row["net_value"]),
            break_even=f"{row['break_even_cost_per_customer']:,.2f}"))
    total = table.loc["total"]
    per = total["cost_per_extra_retained"]
    per_text = f"USD {per:,.0f}" if np.isfinite(per) else "—"
    html = "<br>".join(rows) + "<br>" + tr(
        "<b>Plan</b>: cost USD {cost}, {extra} extra kept ({per} each), net value <b>USD {net}</b>").format(
        cost=f"{total['cost']:,.0f}", extra=f"{total['extra_retained']:,.0f}", per=per_text,
        net=plotting.money_text(total["net_value"]))
    return results, html


def care_plan_explorer() -> Explorer:
    """A cost slider and a retention-lift slider (percentage points) for each tier of the care plan.

    Customers, retention without care and the margin of each tier are those of
    :data:`CARE_PLAN_EXAMPLE`.

    Returns
    -------
    Explorer
        ``results`` holds the :func:`coursekit.models.care.care_plan_cost`
        table, the margin kept per dollar of care of each tier (``payback``)
        and the plan's ``net_value``, ``extra_retained`` and
        ``cost_per_extra_retained``.

    Examples
    --------
    >>> ex = care_plan_explorer()
    >>> ex.results["table"].loc["total", ["cost", "extra_retained", "net_value"]].round(1).tolist()
    [270000.0, 195.0, 97500.0]
    >>> ex.set(ordinary_cost=1.0)
    >>> round(ex.results["payback"]["ordinary"], 2)
    1.5
    """
    controls = {}
    names = _tier_names(capital=True)
    limits = {"gold": (0, 3000, 50), "silver": (0, 300, 5), "ordinary": (0, 10, 0.5)}
    for tier in _TIERS:
        base = CARE_PLAN_EXAMPLE[tier]
        lo, hi, step = limits[tier]
        controls[f"{tier}_cost"] = float_slider(tr("{tier}: care USD / customer").format(tier=names[tier]),
                                                base["cost_per_customer"], lo, hi, step, ".1f" if step < 1 else ".0f")
        lift = 100 * (base["retention_with"] - base["retention_without"])
        controls[f"{tier}_lift"] = float_slider(tr("{tier}: retention lift (pts)").format(tier=names[tier]),
                                                round(lift, 1), 0, 20, 0.5, ".1f")
    return Explorer(controls, _draw_care)


#: Slider moves that ``make bench`` replays to time each explorer's redraw.
BENCH = {
    "complaint response explorer": (response_explorer,
                                    [{"quick_share_pct": 5 * i + 10, "threshold_hours": 1 + (i % 12)}
                                     for i in range(15)]),
    "care plan explorer": (care_plan_explorer,
                           [{"gold_cost": 200.0 * (i % 10), "silver_lift": 0.5 * i} for i in range(15)]),
}
