"""Chapter 1 explorers: the CLV of one customer and the leaky bucket."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from coursekit import plotting
from coursekit.language import choose, tr
from coursekit.models import bucket as _bucket
from coursekit.models import clv as _clv
from coursekit.widgets._core import Explorer
from coursekit.widgets._core import float_slider as _float_slider
from coursekit.widgets._core import int_slider as _int_slider

__all__ = ["clv_explorer", "bucket_explorer", "BENCH"]

# --------------------------------------------------------------------------- CLV
def _draw_clv(ax, artists, monthly_revenue, margin_pct, retention, discount_rate, years):
    annual_margin = monthly_revenue * 12 * margin_pct / 100
    t = np.arange(years)
    # The course convention: year t's margin arrives at the end of year t, if the customer is still there.
    per_year = annual_margin * (retention / (1 + discount_rate)) ** (t + 1)
    value = _clv.clv(annual_margin, retention, discount_rate, periods=years, timing="end")
    forever = _clv.clv(annual_margin, retention, discount_rate, timing="end")
    revenue = _clv.lifetime_revenue(monthly_revenue, years)
    edges = np.arange(years + 1) + 0.5
    if not artists:
        artists["bars"] = ax.stairs(per_year, edges, fill=True, color=plotting.PALETTE[0], alpha=0.6,
                                    label=tr("expected discounted margin that year"))
        (artists["total"],) = ax.plot(t + 1, np.cumsum(per_year), color=plotting.PALETTE[1], marker="o",
                                      label=tr("cumulative (CLV so far)"))
        artists["forever"] = ax.axhline(forever, color=plotting.PALETTE[2], linestyle="--",
                                        label=tr("CLV, infinite horizon"))
        plotting.money_axis(ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        plotting.label(ax, tr("What one customer is worth, year by year"), tr("Year of the relationship"),
                       tr("Money (discounted)"), legend=True)
    else:
        artists["bars"].set_data(per_year, edges)
        artists["total"].set_data(t + 1, np.cumsum(per_year))
        artists["forever"].set_ydata([forever, forever])
    results = {"lifetime_revenue": revenue, "clv": value, "clv_infinite": forever,
               "margin_multiple": _clv.margin_multiple(retention, discount_rate)}
    html = (tr("<b>Undiscounted revenue</b> if the customer stays all {years} years: USD {revenue}").format(
                years=years, revenue=f"{revenue:,.0f}")
            + "<br>" + tr("<b>CLV</b> (margin, retention, discounting; {years} years): USD {clv}").format(
                years=years, clv=f"{value:,.0f}")
            + "<br>" + tr("<b>CLV</b> with no horizon: USD {clv} (margin multiple {multiple})").format(
                clv=f"{forever:,.0f}", multiple=f"{results['margin_multiple']:.2f}"))
    return results, html


def clv_explorer(monthly_revenue=1500.0, margin_pct=20.0, retention=0.8, discount_rate=0.08, years=10) -> Explorer:
    r"""Sliders for the CLV of one customer (FedEx-style inputs).

    Annual margin = monthly revenue × 12 × margin %.  The course's CLV convention:
    year *t*'s margin arrives at the end of year *t*, if the customer is still there
    (retained *t* times), so the CLV is :math:`m\,r/(1+d-r)` with no horizon
    (``clv(..., timing="end")``, Gupta & Lehmann 2003).
    """
    controls = {
        "monthly_revenue": _float_slider(tr("Monthly revenue (USD)"), monthly_revenue, 100, 5000, 100, ".0f"),
        "margin_pct": _float_slider(tr("Margin (% of revenue)"), margin_pct, 5, 100, 5, ".0f"),
        "retention": _float_slider(tr("Annual retention"), retention, 0.0, 0.99, 0.01),
        "discount_rate": _float_slider(tr("Annual discount rate"), discount_rate, 0.0, 0.25, 0.01),
        "years": _int_slider(tr("Horizon (years)"), years, 1, 30),
    }
    return Explorer(controls, _draw_clv)


# ------------------------------------------------------------------------ Bucket
_INITIAL, _MARGIN, _ACQUISITION = 10_000, 30.0, 200.0


def _hole_labels() -> dict[str, str]:
    """The holes' names (:data:`coursekit.models.bucket.HOLE_LABELS` or ``HOLE_LABELS_ZH``) in the current language."""
    return choose(_bucket.HOLE_LABELS, _bucket.HOLE_LABELS_ZH)


def _draw_bucket(ax, artists, inflow, months, **rates_pct):
    if not artists:
        (artists["expected"],) = ax.plot([], [], label=tr("expected path"))
        (artists["sample"],) = ax.plot([], [], alpha=0.7, linewidth=1, label=tr("one simulated path"))
        artists["steady"] = ax.axhline(0, color=plotting.PALETTE[2], linestyle="--", label=tr("steady state"))
        artists["warning"] = ax.text(0.5, 0.5, tr("The holes add up to 100% or more a month:\n"
                                                  "every customer leaves at once."), ha="center", va="center",
                                     transform=ax.transAxes, visible=False)
        plotting.label(ax, tr("Leaky bucket: customers over time"), tr("Month"), tr("Customers"), legend=True)
    rates = {hole: rates_pct[hole] / 100 for hole in _bucket.HOLES}
    impossible = sum(rates.values()) >= 1
    artists["warning"].set_visible(impossible)
    for name in ("expected", "sample", "steady"):
        artists[name].set_visible(not impossible)
    if impossible:
        return {}, tr("<b>Total monthly churn must stay below 100%.</b>")
    b = _bucket.Bucket(leak_rates=rates, inflow=inflow, initial=_INITIAL, margin=_MARGIN,
                       acquisition_cost=_ACQUISITION)
    expected = _bucket.expected_path(b, months)
    sample = _bucket.simulate(b, months, seed=1)
    artists["expected"].set_data(expected.index, expected["customers"])
    artists["sample"].set_data(sample.index, sample["customers"])
    results = {"churn": b.churn, "customers_end": float(expected["customers"].iloc[-1])}
    if b.churn > 0:
        level = _bucket.steady_state(b)
        artists["steady"].set_ydata([level, level])
        best = _bucket.hole_values(b).iloc[0]
        results.update(steady_state=level, refill_cost=_bucket.refill_cost(b), best_hole=best["hole"])
        hole = _hole_labels()[best["hole"]]
        html = (tr("Total churn {churn} a month; the bucket settles at <b>{customers}</b> customers.").format(
                    churn=f"{b.churn:.1%}", customers=f"{level:,.0f}")
                + "<br>" + tr("Refilling it costs USD {cost} a month in acquisition.").format(
                    cost=f"{results['refill_cost']:,.0f}")
                + "<br>" + tr("Plug first: <b>{hole}</b> (saves USD {saving} a month).").format(
                    hole=hole, saving=f"{best['saved_acquisition_per_month']:,.0f}"))
    else:
        artists["steady"].set_visible(False)
        html = tr("No leaks: every customer stays and the bucket only fills.")
    top = max(expected["customers"].max(), sample["customers"].max(), results.get("steady_state", 0))
    ax.set_xlim(0, months)
    ax.set_ylim(0, 1.08 * top)
    return results, html


def bucket_explorer(inflow=400, months=60, rates_pct=None) -> Explorer:
    """A slider per hole of the leaky bucket (monthly % of customers lost), the inflow and the horizon.

    The firm starts with 10,000 customers; each earns USD 30 a month and a new one
    costs USD 200 to acquire.
    """
    rates_pct = dict({hole: 1.0 for hole in _bucket.HOLES}, **(rates_pct or {}))
    names = _hole_labels()
    controls = {hole: _float_slider(tr("{hole} (%/month)").format(hole=names[hole]),
                                    rates_pct[hole], 0, 10, 0.25)
                for hole in _bucket.HOLES}
    controls["inflow"] = _int_slider(tr("New customers / month"), inflow, 0, 2000, 50)
    controls["months"] = _int_slider(tr("Horizon (months)"), months, 12, 120, 6)
    return Explorer(controls, _draw_bucket)


#: Slider moves that ``make bench`` replays to time each explorer's redraw.
BENCH = {
    "CLV explorer": (clv_explorer, [{"retention": 0.5 + 0.03 * i, "years": 5 + i} for i in range(15)]),
    "bucket explorer": (bucket_explorer, [{"rude_staff": 0.5 * (i % 10), "months": 24 + 6 * (i % 10)}
                                          for i in range(15)]),
}
