"""Interactive explorers used in the chapters (ipywidgets).

Each explorer is a row of sliders, a picture and a short summary.  Moving a
slider recomputes with the tested ``coursekit`` functions and redraws the
picture *in place*: the figure is rendered to PNG into an
:class:`ipywidgets.Image`, so nothing flickers and it works the same in
JupyterLab, in RISE slides and in Voilà.

One module per chapter holds that chapter's explorers, named after the chapter:
``why_retention`` (1), ``customer_database`` (2), ``care_and_satisfaction`` (3),
``customer_loyalty`` (4) and ``retention_strategies`` (5); the shared machinery is
:class:`Explorer` with its sliders (module ``_core``).  Each chapter module
also defines ``BENCH``: the slider moves ``make bench`` replays to time the
explorer's redraw.

>>> ex = clv_explorer()
>>> ex.set(retention=0.9)               # what a slider move does
>>> ex.results["clv"] > 0
True
>>> sorted(ex.controls)[:3]
['discount_rate', 'margin_pct', 'monthly_revenue']

In a notebook, make the explorer the last expression of a cell to show it.
"""

from coursekit.widgets import (
    care_and_satisfaction,
    customer_database,
    customer_loyalty,
    retention_strategies,
    why_retention,
)
from coursekit.widgets._core import Explorer, float_slider, int_slider
from coursekit.widgets.why_retention import bucket_explorer, clv_explorer

#: Every chapter module in chapter order, for ``make bench``.
CHAPTER_MODULES = (why_retention, customer_database, care_and_satisfaction, customer_loyalty, retention_strategies)

__all__ = ["Explorer", "float_slider", "int_slider", "CHAPTER_MODULES", "clv_explorer", "bucket_explorer"]
