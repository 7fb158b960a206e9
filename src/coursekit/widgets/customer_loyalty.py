r"""Chapter 4 explorer: the shifted-beta-geometric (sBG) model of a cohort.

Every customer keeps her own churn probability :math:`\theta` for life; across
customers :math:`\theta \sim \mathrm{Beta}(\alpha, \beta)`.  The explorer draws,
for a cohort acquired at period 0,

* the sBG survival :math:`S(t)` and the retention rates
  :math:`r_t = (\beta + t - 1)/(\alpha + \beta + t - 1)`, which *rise* with
  tenure although nobody's own churn probability changes;
* for comparison a cohort *without* heterogeneity, in which every customer has
  the same churn probability :math:`\bar\theta = \alpha/(\alpha+\beta)` (the
  same first-period churn): its retention is flat at :math:`1 - \bar\theta`
  and its survival :math:`(1-\bar\theta)^t` falls much faster;
* in a side panel, the Beta density of :math:`\theta` across customers.

The summary gives the expected lifetime within the horizon, the unlimited
expected lifetime (infinite when :math:`\alpha \le 1`), the discounted expected
lifetime (DEL) and the CLV of a customer paying a margin at the start of every
period while active (:func:`coursekit.models.survival.sbg_clv`, ``timing="start"``).

Examples
--------
>>> ex = sbg_explorer()
>>> round(ex.results["retention_first"], 4), round(ex.results["del"], 3)
(0.6267, 3.695)
>>> ex.set(alpha=0.5, discount_rate=0.0)
>>> ex.results["lifetime"]
inf
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator
from scipy.special import betaln

from coursekit import plotting
from coursekit.language import tr
from coursekit.models import survival
from coursekit.widgets._core import Explorer
from coursekit.widgets._core import float_slider as _float_slider
from coursekit.widgets._core import int_slider as _int_slider

__all__ = ["sbg_explorer", "BENCH"]

# Grid on which the density of theta is drawn in the side panel (open interval: the density may be
# infinite at 0 or 1 when alpha or beta < 1).
_THETA = np.linspace(0.005, 0.995, 199)


def _beta_density(alpha: float, beta: float) -> np.ndarray:
    """Density of Beta(alpha, beta) on the grid ``_THETA`` (log space, no overflow)."""
    log_pdf = (alpha - 1.0) * np.log(_THETA) + (beta - 1.0) * np.log1p(-_THETA) - betaln(alpha, beta)
    return np.exp(log_pdf)


def _draw_sbg(ax, artists, alpha, beta, horizon, discount_rate, margin):
    t = np.arange(horizon + 1)
    later = t[1:]
    share_active = survival.sbg_survival(alpha, beta, t)
    rates = survival.sbg_retention(alpha, beta, later)
    mean_churn = alpha / (alpha + beta)
    flat_survival = (1.0 - mean_churn) ** t
    flat_rates = np.full(later.size, 1.0 - mean_churn)
    density = _beta_density(alpha, beta)

    if not artists:
        (artists["survival"],) = ax.plot([], [], color=plotting.PALETTE[0], label=tr("S(t): share still active"))
        (artists["retention"],) = ax.plot([], [], color=plotting.PALETTE[1], marker="o", markersize=3,
                                          label=tr("r(t): retention rate of period t"))
        # Dotted: the same cohort without heterogeneity (everybody has the average churn).
        (artists["flat_survival"],) = ax.plot([], [], color=plotting.PALETTE[0], linestyle=":",
                                              label=tr("dotted: everyone has the average churn"))
        (artists["flat_retention"],) = ax.plot([], [], color=plotting.PALETTE[1], linestyle=":")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        plotting.percent_axis(ax, "y")
        plotting.label(ax, tr("A cohort under the sBG model"), tr("Periods since acquisition"),
                       tr("Share of cohort / rate"))
        # The value of a new customer, as the legend's last line: the discount rate and the margin move it.
        ax.plot([], [], " ", label="CLV")
        legend = ax.legend(loc="center right", fontsize=8, frameon=True, framealpha=0.85, edgecolor="none")
        artists["value"] = legend.get_texts()[-1]
        # A side panel with the distribution of churn probabilities across customers.
        ax.set_position([0.105, 0.13, 0.575, 0.77])   # room for the y label in either language
        side = ax.figure.add_axes([0.75, 0.13, 0.22, 0.77])
        (artists["density"],) = side.plot(_THETA, density, color=plotting.PALETTE[2])
        side.set_xlim(0, 1)
        side.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
        side.set_yticks([])
        plotting.label(side, tr("Who is in the cohort"), tr("Churn probability"), tr("Density across customers"))
        side.title.set_fontsize(10)
        side.grid(False)
        artists["mean"] = side.axvline(mean_churn, color=plotting.PALETTE[1], linewidth=1, linestyle="--")
        artists["side"] = side
    artists["survival"].set_data(t, share_active)
    artists["flat_survival"].set_data(t, flat_survival)
    artists["retention"].set_data(later, rates)
    artists["flat_retention"].set_data(later, flat_rates)
    artists["density"].set_ydata(density)
    artists["mean"].set_xdata([mean_churn, mean_churn])
    # Scale the side panel on the interior of the grid: the density may shoot up at the ends.
    interior = density[4:-4]
    artists["side"].set_ylim(0, 1.15 * float(interior.max()))
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)

    lifetime_horizon = float(survival.sbg_expected_lifetime(alpha, beta, horizon=horizon))
    lifetime = float(survival.sbg_expected_lifetime(alpha, beta)) if alpha > 1 else float("inf")
    if discount_rate == 0 and alpha <= 1:
        del_value = clv_value = float("inf")
    else:
        del_value = float(survival.sbg_del(alpha, beta, discount_rate))
        clv_value = float(survival.sbg_clv(margin, alpha, beta, discount_rate))
    results = {
        "mean_churn": mean_churn,
        "polarisation": 1.0 / (alpha + beta + 1.0),
        "retention_first": float(rates[0]),
        "retention_last": float(rates[-1]),
        "survival_end": float(share_active[-1]),
        "survival_end_flat": float(flat_survival[-1]),
        "lifetime_horizon": lifetime_horizon,
        "lifetime": lifetime,
        "del": del_value,
        "clv": clv_value,
    }
    rate = f"{discount_rate:.0%}"
    artists["value"].set_text(
        tr("CLV: USD {clv} (USD {margin} a period, {rate})").format(clv=f"{clv_value:,.0f}", margin=f"{margin:,.0f}",
                                                                   rate=rate)
        if np.isfinite(clv_value) else tr("CLV: infinite at a {rate} discount rate").format(rate=rate))
    lifetime_text = (tr("{lifetime} periods").format(lifetime=f"{lifetime:.2f}") if np.isfinite(lifetime)
                     else tr("<b>infinite</b> (alpha &le; 1: S(t) falls too slowly)"))
    value_text = (tr("DEL {del_value} periods; <b>CLV</b> USD {clv}").format(del_value=f"{del_value:.2f}",
                                                                          clv=f"{clv_value:,.0f}")
                  if np.isfinite(del_value)
                  else tr("DEL and CLV infinite: with alpha &le; 1 value customers with a discount rate &gt; 0"))
    html = "<br>".join([
        tr("Average churn of a new customer: {churn}; polarisation 1/(&alpha;+&beta;+1) = {polarisation}").format(
            churn=f"{mean_churn:.1%}", polarisation=f"{results['polarisation']:.2f}"),
        tr("Retention rises from <b>{first}</b> (period 1) to <b>{last}</b> (period {horizon}), although no "
           "customer's churn probability changes.").format(first=f"{rates[0]:.1%}", last=f"{rates[-1]:.1%}",
                                                           horizon=horizon),
        tr("Still active after {horizon} periods: <b>{share}</b> (without heterogeneity: {flat}).").format(
            horizon=horizon, share=f"{share_active[-1]:.1%}", flat=f"{flat_survival[-1]:.1%}"),
        tr("Expected lifetime within {horizon} periods: {within}; unlimited: {unlimited}.").format(
            horizon=horizon, within=f"{lifetime_horizon:.2f}", unlimited=lifetime_text),
        tr("At {rate} a period and USD {margin} a period: {value}.").format(rate=rate, margin=f"{margin:,.0f}",
                                                                           value=value_text),
    ])
    return results, html


def sbg_explorer(alpha=0.704, beta=1.182, horizon=12, discount_rate=0.10, margin=100.0) -> Explorer:
    """Sliders for the sBG model: alpha, beta, the horizon, the discount rate and the margin.

    Defaults: the regular cohort of Fader and Hardie (2007), yearly periods, a
    10 % discount rate and a margin of USD 100 a year paid at the start of every
    year the customer is active.  Small alpha + beta means very different
    customers (a polarised cohort); large alpha + beta with the same ratio
    approaches one churn probability for everybody.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.
    .. [2] P. S. Fader and B. G. S. Hardie, "Customer-Base Valuation in a
       Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
       Science 29(1), 85-93, 2010.
    """
    controls = {
        "alpha": _float_slider(tr("alpha (Beta of churn)"), alpha, 0.1, 5.0, 0.05, ".3f"),
        "beta": _float_slider(tr("beta (Beta of churn)"), beta, 0.1, 20.0, 0.1, ".3f"),
        "horizon": _int_slider(tr("Horizon (periods)"), horizon, 2, 60),
        "discount_rate": _float_slider(tr("Discount rate / period"), discount_rate, 0.0, 0.30, 0.01),
        "margin": _float_slider(tr("Margin per period (USD)"), margin, 0, 500, 10, ".0f"),
    }
    return Explorer(controls, _draw_sbg)


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "sBG explorer": (sbg_explorer, [{"alpha": 0.3 + 0.25 * i, "beta": 0.5 + 1.3 * i, "horizon": 6 + 3 * i,
                                     "discount_rate": 0.02 * (i % 8)} for i in range(15)]),
}
