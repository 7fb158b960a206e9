"""Interactive explorers used in the chapters (ipywidgets).

Each explorer is a row of sliders, a picture and a short summary.  Moving a
slider recomputes with the tested ``coursekit`` functions and redraws the
picture *in place*: the figure is rendered to PNG into an
:class:`ipywidgets.Image`, so nothing flickers and it works the same in
JupyterLab, in RISE slides and in Voilà.

>>> ex = clv_explorer()
>>> ex.set(retention=0.9)               # what a slider move does
>>> ex.results["clv"] > 0
True
>>> sorted(ex.controls)[:3]
['discount_rate', 'margin_pct', 'monthly_revenue']

In a notebook, make the explorer the last expression of a cell to show it.
"""

from __future__ import annotations

import io

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import bucket as _bucket
from . import clv as _clv
from . import plotting

__all__ = ["Explorer", "clv_explorer", "bucket_explorer"]

_SLIDER_STYLE = {"description_width": "170px"}
_LAYOUT = W.Layout(width="460px")


def _float_slider(description, value, lo, hi, step, fmt=".2f"):
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt, continuous_update=False, style=_SLIDER_STYLE, layout=_LAYOUT)


def _int_slider(description, value, lo, hi, step=1):
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       continuous_update=False, style=_SLIDER_STYLE, layout=_LAYOUT)


class Explorer:
    """Sliders + an in-place redrawn figure + a summary line.

    Parameters
    ----------
    controls : dict of str -> ipywidgets value widget
        The inputs; their current values are passed by name to ``draw``.
    draw : callable
        ``draw(ax, artists, **values) -> (results: dict, summary_html: str)``.
        On the first call ``artists`` is an empty dict: create the plot elements
        and keep them in it; on later calls update their data (much faster than
        clearing and redrawing the axes).  Returns the numbers it computed and
        an HTML summary.
    """

    def __init__(self, controls: dict, draw, *, figsize=(7.5, 4.0)):
        if not controls or not callable(draw):
            raise ValueError("an Explorer needs at least one control and a callable draw function")
        self.controls = dict(controls)
        self._draw = draw
        self._artists: dict = {}
        plotting.use_course_style()
        # A fixed layout: tight_layout would draw every frame twice (once to measure it).
        self.figure = Figure(figsize=figsize, dpi=80)
        self.figure.set_layout_engine("none")
        self.figure.subplots_adjust(left=0.15, right=0.97, bottom=0.13, top=0.9)
        self._canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self.image = W.Image(format="png")
        self.summary = W.HTML()
        self.results: dict = {}
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = W.HBox([W.VBox(list(self.controls.values()) + [self.summary]), self.image])
        self.refresh()

    def values(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> None:
        """Set several controls at once (as a user would) and redraw once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; allowed: {sorted(self.controls)}")
        with self.widget.hold_sync():
            for control in self.controls.values():
                control.unobserve(self._on_change, names="value")
            try:
                for name, value in values.items():
                    self.controls[name].value = value
            finally:
                for control in self.controls.values():
                    control.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute, update the plot's data and re-render it in place."""
        self.results, html = self._draw(self.ax, self._artists, **self.values())
        self.ax.relim()
        self.ax.autoscale_view()
        buffer = io.BytesIO()
        # Straight to the Agg canvas (savefig adds ~20 ms of bookkeeping); light PNG compression.
        self._canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
        self.image.value = buffer.getvalue()
        self.summary.value = html

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- CLV
def _draw_clv(ax, artists, monthly_revenue, margin_pct, retention, discount_rate, years):
    annual_margin = monthly_revenue * 12 * margin_pct / 100
    t = np.arange(years)
    # Expected discounted margin of each year: paid at the start of year t+1 if still a customer.
    per_year = annual_margin * (retention / (1 + discount_rate)) ** t
    value = _clv.clv(annual_margin, retention, discount_rate, periods=years, timing="start")
    forever = _clv.clv(annual_margin, retention, discount_rate, timing="start")
    revenue = _clv.lifetime_revenue(monthly_revenue, years)
    edges = np.arange(years + 1) + 0.5
    if not artists:
        artists["bars"] = ax.stairs(per_year, edges, fill=True, color=plotting.PALETTE[0], alpha=0.6,
                                    label="expected discounted margin that year")
        (artists["total"],) = ax.plot(t + 1, np.cumsum(per_year), color=plotting.PALETTE[1], marker="o",
                                      label="cumulative (CLV so far)")
        artists["forever"] = ax.axhline(forever, color=plotting.PALETTE[2], linestyle="--",
                                        label="CLV, infinite horizon")
        plotting.money_axis(ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        plotting.label(ax, "What one customer is worth, year by year", "Year of the relationship",
                       "Money (discounted)", legend=True)
    else:
        artists["bars"].set_data(per_year, edges)
        artists["total"].set_data(t + 1, np.cumsum(per_year))
        artists["forever"].set_ydata([forever, forever])
    results = {"lifetime_revenue": revenue, "clv": value, "clv_infinite": forever,
               "margin_multiple": _clv.margin_multiple(retention, discount_rate)}
    html = (f"<b>Undiscounted revenue</b> if the customer stays all {years} years: ${revenue:,.0f}<br>"
            f"<b>CLV</b> (margin, retention, discounting; {years} years): ${value:,.0f}<br>"
            f"<b>CLV</b> with no horizon: ${forever:,.0f} "
            f"(margin multiple {results['margin_multiple']:.2f})")
    return results, html


def clv_explorer(monthly_revenue=1500.0, margin_pct=20.0, retention=0.8, discount_rate=0.08, years=10) -> Explorer:
    """Sliders for the CLV of one customer (FedEx-style inputs).

    Annual margin = monthly revenue × 12 × margin %; the first year's margin is
    received at the start of the relationship and each later year's only if the
    customer is retained (``clv(..., timing="start")``).
    """
    controls = {
        "monthly_revenue": _float_slider("Monthly revenue ($)", monthly_revenue, 100, 5000, 100, ".0f"),
        "margin_pct": _float_slider("Margin (% of revenue)", margin_pct, 5, 100, 5, ".0f"),
        "retention": _float_slider("Annual retention", retention, 0.0, 0.99, 0.01),
        "discount_rate": _float_slider("Annual discount rate", discount_rate, 0.0, 0.25, 0.01),
        "years": _int_slider("Horizon (years)", years, 1, 30),
    }
    return Explorer(controls, _draw_clv)


# ------------------------------------------------------------------------ Bucket
_INITIAL, _MARGIN, _ACQUISITION = 10_000, 30.0, 200.0


def _draw_bucket(ax, artists, inflow, months, **rates_pct):
    if not artists:
        (artists["expected"],) = ax.plot([], [], label="expected path")
        (artists["sample"],) = ax.plot([], [], alpha=0.7, linewidth=1, label="one simulated path")
        artists["steady"] = ax.axhline(0, color=plotting.PALETTE[2], linestyle="--", label="steady state")
        artists["warning"] = ax.text(0.5, 0.5, "The holes add up to 100% or more a month:\n"
                                     "every customer leaves at once.", ha="center", va="center",
                                     transform=ax.transAxes, visible=False)
        plotting.label(ax, "Leaky bucket: customers over time", "Month", "Customers", legend=True)
    rates = {hole: rates_pct[hole] / 100 for hole in _bucket.HOLES}
    impossible = sum(rates.values()) >= 1
    artists["warning"].set_visible(impossible)
    for name in ("expected", "sample", "steady"):
        artists[name].set_visible(not impossible)
    if impossible:
        return {}, "<b>Total monthly churn must stay below 100%.</b>"
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
        html = (f"Total churn {b.churn:.1%} a month; the bucket settles at <b>{level:,.0f}</b> customers.<br>"
                f"Refilling it costs ${results['refill_cost']:,.0f} a month in acquisition.<br>"
                f"Plug first: <b>{_bucket.HOLE_LABELS[best['hole']]}</b> "
                f"(saves ${best['saved_acquisition_per_month']:,.0f} a month).")
    else:
        artists["steady"].set_visible(False)
        html = "No leaks: every customer stays and the bucket only fills."
    top = max(expected["customers"].max(), sample["customers"].max(), results.get("steady_state", 0))
    ax.set_xlim(0, months)
    ax.set_ylim(0, 1.08 * top)
    return results, html


def bucket_explorer(inflow=400, months=60, rates_pct=None) -> Explorer:
    """A slider per hole of the leaky bucket (monthly % of customers lost), the inflow and the horizon.

    The firm starts with 10,000 customers; each earns $30 a month and a new one
    costs $200 to acquire.
    """
    rates_pct = dict({hole: 1.0 for hole in _bucket.HOLES}, **(rates_pct or {}))
    controls = {hole: _float_slider(f"{_bucket.HOLE_LABELS[hole]} (%/month)", rates_pct[hole], 0, 10, 0.25)
                for hole in _bucket.HOLES}
    controls["inflow"] = _int_slider("New customers / month", inflow, 0, 2000, 50)
    controls["months"] = _int_slider("Horizon (months)", months, 12, 120, 6)
    return Explorer(controls, _draw_bucket)
