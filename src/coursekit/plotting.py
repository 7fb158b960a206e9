"""One plotting style for the whole course.

Every figure in the course goes through this module, so that plots look alike
across chapters and every axes carries a title and labelled axes (the helper
:func:`label` refuses to leave them empty).

Usage in a notebook::

    from coursekit import plotting
    plotting.use_course_style()
    fig, ax = plotting.figure()
    ax.plot(x, y)
    plotting.label(ax, "Title", "x label (unit)", "y label (unit)")

Figures may carry Chinese labels: the course installs an OFL-licensed CJK font
as a Python dependency (``noto-cjk-sans-otc``, Noto Sans CJK) and registers it
here, after DejaVu Sans, so Latin text keeps its look and CJK characters fall
back to Noto (matplotlib's per-glyph font fallback, 3.6 and later, which works on
the list of families in ``font.family``, not on the generic ``sans-serif``).
The font has no bold weight: a bold Chinese title is drawn in the regular weight,
and matplotlib's note about it is silenced.

>>> "Noto Sans CJK JP" in mpl.rcParams["font.sans-serif"] or "Noto Sans CJK JP" in _STYLE["font.sans-serif"]
True
"""

from __future__ import annotations

import logging

import matplotlib as mpl
import matplotlib.pyplot as plt
import noto_cjk_sans_otc
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, PercentFormatter

__all__ = ["CJK_FONT", "PALETTE", "use_course_style", "figure", "label", "money_axis", "percent_axis", "money_text"]

#: Colour-blind-safe palette (Okabe & Ito, 2008), in the order series are drawn.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: The CJK font the course ships (Noto Sans CJK, SIL Open Font License 1.1), registered once.
CJK_FONT = "Noto Sans CJK JP"
font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

_STYLE = {
    "figure.figsize": (7.5, 4.2),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.autolayout": True,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.family": ["DejaVu Sans", CJK_FONT],
    "font.sans-serif": ["DejaVu Sans", CJK_FONT],
    "svg.hashsalt": "coursekit",
}


def use_course_style() -> None:
    """Apply the course style to matplotlib's global settings."""
    mpl.rcParams.update(_STYLE)


def figure(ncols: int = 1, nrows: int = 1, **kwargs):
    """Create a figure in the course style; returns ``(fig, ax)`` like :func:`plt.subplots`."""
    if not isinstance(ncols, int) or not isinstance(nrows, int) or ncols < 1 or nrows < 1:
        raise ValueError(f"ncols and nrows must be whole numbers >= 1, got {ncols!r} and {nrows!r}")
    with mpl.rc_context(_STYLE):
        fig, ax = plt.subplots(nrows, ncols, **kwargs)
    return fig, ax


def label(ax, title: str, xlabel: str, ylabel: str, *, legend: bool = False):
    """Set the title and both axis labels (all three required, non-empty)."""
    for name, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string: every course plot is titled and labelled")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    return ax


def money_axis(ax, axis: str = "y", symbol: str = "$"):
    """Format an axis as money with thousands separators (e.g. ``$360,000``)."""
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    fmt = FuncFormatter(lambda v, _: f"{'-' if v < 0 else ''}{symbol}{abs(v):,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def percent_axis(ax, axis: str = "y", xmax: float = 1.0):
    """Format an axis holding fractions (``xmax=1``) or percentages (``xmax=100``) as percent."""
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(xmax=xmax, decimals=0))
    return ax


def money_text(value: float, symbol: str = "") -> str:
    """An amount as whole units with thousands separators, for summaries next to a figure: ``-$1,234``.

    Examples
    --------
    >>> money_text(-1234.5, "$"), money_text(980000)
    ('-$1,234', '980,000')
    """
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.0f}"
