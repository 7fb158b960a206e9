r"""Chapter 5 explorer: where a retention budget should go.

The four quadrants of the customer value matrix (:data:`coursekit.models.allocation.EXAMPLE_SEGMENTS`)
can each receive Berry's three kinds of retention instrument
(:data:`coursekit.models.allocation.BERRY_INSTRUMENTS`: financial, social, structural), each with
diminishing returns.  For a total budget the explorer compares

* the allocation that maximises customer equity (:func:`coursekit.models.allocation.allocate_budget`),
* with the naive even split, the same amount for every customer
  (:func:`coursekit.models.allocation.even_split`),

as grouped bars, one group per quadrant and one bar per instrument, and reports the customer
equity of both, the gain from optimising and the shadow price of the budget (what one more
dollar of budget would add).

A third slider credits quadrant II (low current value, high growth potential) with a higher
margin, as if its potential were already realised.  Customer equity counts only today's margin
and retention -- it has no growth term -- so at the default margin the optimiser funds nothing
in quadrants I and II; credited with its potential, quadrant II starts to receive money.

Examples
--------
>>> ex = budget_explorer()
>>> round(ex.results["gain"])
810747
>>> sorted(ex.results["funded_segments"])
['III', 'IV']
>>> ex.set(margin_ii=300.0)
>>> "II" in ex.results["funded_segments"]
True
"""

from __future__ import annotations

import numpy as np

from coursekit import plotting
from coursekit.language import tr
from coursekit.models import allocation as _allocation
from coursekit.models.value_matrix import STRATEGY_TABLE as _STRATEGY_TABLE
from coursekit.widgets._core import Explorer
from coursekit.widgets._core import float_slider as _float_slider

__all__ = ["budget_explorer", "BENCH"]

_WIDTH = 0.13          # width of one bar
_GAP = 0.02            # gap between the optimal and the even-split bar of one instrument


def _segments(margin_ii: float):
    segments = _allocation.EXAMPLE_SEGMENTS.copy()
    segments.loc[segments["segment"] == "II", "margin"] = float(margin_ii)
    return segments


def _positions(n_segments: int, n_instruments: int):
    """x of the optimal and the even-split bar of every (segment, instrument) cell."""
    group = np.arange(n_segments)[:, None]
    offset = (np.arange(n_instruments)[None, :] - (n_instruments - 1) / 2) * (2 * _WIDTH + 2 * _GAP)
    centre = group + offset
    return (centre - _WIDTH / 2 - _GAP / 2).ravel(), (centre + _WIDTH / 2 + _GAP / 2).ravel()


def _draw_budget(ax, artists, budget, discount_rate, margin_ii):
    segments = _segments(margin_ii)
    instruments = _allocation.BERRY_INSTRUMENTS
    result = _allocation.allocate_budget(segments, instruments, budget, discount_rate)
    even = _allocation.even_split(segments, instruments, budget)
    optimal = result.spend.to_numpy() / 1000.0
    spread = even.to_numpy() / 1000.0
    n_seg, n_inst = optimal.shape

    if not artists:
        x_opt, x_even = _positions(n_seg, n_inst)
        colours = [plotting.PALETTE[j] for _ in range(n_seg) for j in range(n_inst)]
        artists["optimal"] = ax.bar(x_opt, optimal.ravel(), width=_WIDTH, color=colours)
        # Light fill, no hatching: hatches cost Agg ~150 ms a frame.
        artists["even"] = ax.bar(x_even, spread.ravel(), width=_WIDTH, color=colours, alpha=0.3,
                                 edgecolor=colours, linewidth=1.0)
        # R1's resource allocation of each quadrant, after its name ("IV: top priority").
        allocations = {"none": tr("{quadrant}: none"), "moderate": tr("{quadrant}: moderate"),
                       "priority": tr("{quadrant}: priority"), "top priority": tr("{quadrant}: top priority")}
        labels = [allocations[a].format(quadrant=s) if a in allocations else f"{s}: {a}"
                  for s, a in zip(segments["segment"], _STRATEGY_TABLE["resource_allocation"])]
        ax.set_xticks(np.arange(n_seg), labels)
        ax.set_xlim(-0.6, n_seg - 0.4)
        ax.grid(axis="x", visible=False)
        plotting.label(ax, tr("Retention budget by quadrant and instrument"),
                       tr("Quadrant of the value matrix (R1's resource allocation)"), tr("Spend ($ thousand)"))
    for bar, height in zip(artists["optimal"], optimal.ravel()):
        bar.set_height(height)
    for bar, height in zip(artists["even"], spread.ravel()):
        bar.set_height(height)
    top = max(float(optimal.max()), float(spread.max()), 1.0)
    ax.set_ylim(0, 1.1 * top)

    funded = [s for s, total in zip(result.segments.index, result.segments["spend"]) if total > 1e-6 * max(budget, 1.0)]
    results = {
        "equity": result.equity,
        "even_split_equity": result.even_split_equity,
        "no_spend_equity": result.no_spend_equity,
        "gain": result.gain,
        "marginal_return": result.marginal_return,
        "spend": result.spend,
        "funded_segments": funded,
        "concave": result.concave,
    }
    # The colour key lives in the summary: a matplotlib legend would cost ~40 ms a frame.
    names = {"financial": tr("financial"), "social": tr("social"), "structural": tr("structural")}
    key = " ".join(f'<span style="color:{plotting.PALETTE[j]}">&#9632; {names.get(name, name)}</span>'
                   for j, name in enumerate(instruments["instrument"]))
    gain = f"{result.gain:,.0f}"
    html = "<br>".join([
        tr("Bars: {key}; solid = optimal, pale = even split.").format(key=key),
        tr("Budget USD {budget} at a {rate} discount rate; quadrant II credited with a margin of USD {margin} a "
           "year.").format(budget=f"{budget:,.0f}", rate=f"{discount_rate:.0%}", margin=f"{margin_ii:,.0f}"),
        tr("Customer equity without spend USD {none}; even split USD {even}; <b>optimal USD {optimal}</b>.").format(
            none=f"{result.no_spend_equity:,.0f}", even=f"{result.even_split_equity:,.0f}",
            optimal=f"{result.equity:,.0f}"),
        (tr("Optimising adds <b>USD {gain}</b> over the even split. Funded quadrants: <b>{funded}</b>.").format(
            gain=gain, funded=", ".join(funded)) if funded else
         tr("Optimising adds <b>USD {gain}</b> over the even split. Funded quadrants: <b>none</b>.").format(gain=gain)),
        tr("One more dollar of budget would add about USD {value} of customer equity.").format(
            value=f"{result.marginal_return:.2f}"),
    ])
    return results, html


def budget_explorer(budget=300_000.0, discount_rate=0.10, margin_ii=60.0) -> Explorer:
    """Sliders for the retention budget, the discount rate and the margin credited to quadrant II.

    Segments and instruments are the illustrative tables of :mod:`coursekit.models.allocation`.  The
    discount rate starts at 9 %: from there up, customer equity is concave in spend for these
    tables (``allocate_budget(...).concave``), so the optimum is the global one and the optimiser
    needs a single start -- which keeps each redraw fast.

    References
    ----------
    .. [1] L. L. Berry, "Relationship Marketing of Services -- Growing Interest, Emerging
       Perspectives", Journal of the Academy of Marketing Science 23(4), 236-245, 1995.
    .. [2] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business School
       Press, 2001.
    """
    controls = {
        "budget": _float_slider(tr("Retention budget (USD)"), budget, 0, 1_000_000, 25_000, ",.0f"),
        "discount_rate": _float_slider(tr("Discount rate / year"), discount_rate, 0.09, 0.25, 0.01),
        "margin_ii": _float_slider(tr("Margin credited to II (USD)"), margin_ii, 20, 400, 10, ".0f"),
    }
    return Explorer(controls, _draw_budget)


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "retention budget explorer": (
        budget_explorer,
        [{"budget": 50_000.0 + 60_000.0 * i, "discount_rate": 0.09 + 0.01 * (i % 12),
          "margin_ii": 40.0 + 25.0 * i} for i in range(15)],
    ),
}
