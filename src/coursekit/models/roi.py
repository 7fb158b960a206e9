r"""Return on investment of a customer-database project.

Chapter 2 argues that a unified customer database pays for itself, and the
course reading R3 quotes two studies to show by how much.  This module holds
the arithmetic to check such claims and to size a project of one's own:

* :func:`roi` -- total return on investment, (gain - cost) / cost;
* :func:`annualised_roi` -- the constant yearly rate that compounds to a
  total ROI over a number of years, so that projects of different lengths
  can be compared;
* :func:`payback_period` -- how many periods the gains take to repay the cost,
  optionally with discounting;
* :func:`database_roi_examples` -- the figures quoted by the reading, with
  their annualised equivalents.

Every function validates its arguments, refuses NaN, broadcasts NumPy arrays
and returns a Python ``float`` when all inputs are scalars.  ROI is a ratio:
4.0 means 400 %.

References
----------
.. [1] R. A. Brealey, S. C. Myers and F. Allen, Principles of Corporate
   Finance, 10th ed., McGraw-Hill/Irwin, New York, 2011.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import as_output, check_number

__all__ = ["roi", "annualised_roi", "payback_period", "annuity_factor", "database_roi_examples"]


def roi(gain, cost):
    r"""Return on investment: the net gain as a multiple of the cost.

    .. math:: \text{ROI} = \frac{G - C}{C},

    where :math:`G` is the total gain (the benefit the investment brings,
    e.g. extra margin) and :math:`C` the total cost, in the same money units
    and over the same horizon.  ROI 0 means the project just repays its cost;
    4.0 (400 %) means it returns its cost and four times more.

    Parameters
    ----------
    gain : float or array_like
        Total gain attributable to the investment, in money units; finite (a
        negative gain is a loss on top of the cost).
    cost : float or array_like
        Total cost of the investment, in the same units; > 0.

    Returns
    -------
    float or numpy.ndarray
        The ROI as a ratio (multiply by 100 for a percentage), >= -1 when the
        gain is >= 0.

    Notes
    -----
    This is the simple, undiscounted ROI that the studies quoted by the
    readings report.  It ignores when the money arrives; compare projects of
    different lengths with :func:`annualised_roi`, and account for timing with
    a discounted cash-flow analysis (see :func:`payback_period`).

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers and F. Allen, Principles of Corporate
       Finance, 10th ed., McGraw-Hill/Irwin, New York, 2011.

    Examples
    --------
    >>> roi(500_000, 100_000)
    4.0
    >>> roi([100, 50], 100)
    array([ 0. , -0.5])
    """
    g = check_number("gain", gain)
    c = check_number("cost", cost, low=0.0, low_open=True)
    return as_output((np.asarray(g) - c) / c)


def annualised_roi(total_roi, years):
    r"""Yearly rate that compounds to a total ROI over ``years`` years.

    .. math:: r_{\text{year}} = (1 + \text{ROI}_{\text{total}})^{1/\text{years}} - 1 .

    Invested money multiplied by :math:`1 + \text{ROI}_{\text{total}}` over
    the whole horizon grows by the factor :math:`1 + r_{\text{year}}` each year.

    Parameters
    ----------
    total_roi : float or array_like
        ROI over the whole horizon, as a ratio (3.21 = 321 %); >= -1.
    years : float or array_like
        Length of the horizon in years; > 0, need not be whole.

    Returns
    -------
    float or numpy.ndarray
        The annual rate, as a ratio per year.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers and F. Allen, Principles of Corporate
       Finance, 10th ed., McGraw-Hill/Irwin, New York, 2011.

    Examples
    --------
    The IDC figure quoted by reading R3, 321 % over 2.73 years, is about 69 %
    a year:

    >>> round(annualised_roi(3.21, 2.73), 4)
    0.6932
    >>> annualised_roi(0.21, [1, 2])
    array([0.21, 0.1 ])
    """
    total = check_number("total_roi", total_roi, low=-1.0)
    y = check_number("years", years, low=0.0, low_open=True)
    return as_output(np.power(1.0 + np.asarray(total), 1.0 / np.asarray(y)) - 1.0)


def payback_period(cost, gain_per_period, discount_rate=0.0):
    r"""Number of periods until the gains repay the cost.

    With a constant gain :math:`g` at the end of every period and no
    discounting, the payback period is simply

    .. math:: n = C / g .

    With a discount rate :math:`d > 0` per period, it is the (fractional)
    :math:`n` at which the present value of the gains reaches the cost,
    :math:`g \, (1 - (1 + d)^{-n}) / d = C`:

    .. math:: n = -\frac{\ln(1 - C d / g)}{\ln(1 + d)},

    and :math:`n = \infty` when :math:`C d \ge g` (the gains never repay the
    cost in present value).

    Parameters
    ----------
    cost : float or array_like
        Initial cost, money units; >= 0.
    gain_per_period : float or array_like
        Gain at the end of each period, same money units; > 0.
    discount_rate : float or array_like, default 0.0
        Discount rate per period (0.1 = 10 %), >= 0.

    Returns
    -------
    float or numpy.ndarray
        The payback period in periods (fractional; ``inf`` when never repaid).

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers and F. Allen, Principles of Corporate
       Finance, 10th ed., McGraw-Hill/Irwin, New York, 2011.

    Examples
    --------
    >>> payback_period(120_000, 40_000)
    3.0
    >>> round(payback_period(120_000, 40_000, discount_rate=0.10), 3)
    3.742
    >>> payback_period(120_000, 10_000, discount_rate=0.10)
    inf
    """
    c = check_number("cost", cost, low=0.0)
    g = check_number("gain_per_period", gain_per_period, low=0.0, low_open=True)
    d = check_number("discount_rate", discount_rate, low=0.0)
    c, g, d = np.broadcast_arrays(np.asarray(c, dtype=float), np.asarray(g, dtype=float), np.asarray(d, dtype=float))
    x = c * d / g
    with np.errstate(divide="ignore", invalid="ignore"):
        discounted = -np.log1p(-np.minimum(x, 1.0)) / np.log1p(d)
    n = np.where(d == 0.0, c / g, np.where(x >= 1.0, np.inf, discounted))
    return as_output(n)


def annuity_factor(years: int, discount_rate):
    r"""Present value of 1 a year received at the end of each of ``years`` years.

    .. math:: a_{T,d} = \sum_{t=1}^{T} (1 + d)^{-t}

    Parameters
    ----------
    years : int
        Horizon :math:`T` in whole years (checked by the caller).
    discount_rate : float or array_like
        Yearly discount rate :math:`d`, > -1.

    Returns
    -------
    float or numpy.ndarray
        The factor, with the shape of ``discount_rate``.

    Examples
    --------
    >>> float(annuity_factor(3, 0.0)), round(float(annuity_factor(3, 0.08)), 6)
    (3.0, 2.577097)
    """
    t = np.arange(1, years + 1, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    return np.exp(-np.log1p(d)[..., None] * t).sum(axis=-1)


def database_roi_examples() -> pd.DataFrame:
    r"""Return-on-investment figures for customer databases quoted by the course reading R3.

    These are **commonly cited claims** from vendor and analyst studies, as
    quoted by the course reading R3 (a textbook chapter on customer
    databases); they are not peer-reviewed, and the reading gives no detail
    of how they were measured.  They are kept here so that the course can
    put them in perspective, for instance by converting a total ROI into a
    yearly rate with :func:`annualised_roi`.

    * META Group (an IT research and advisory firm): firms that had adopted
      customer databases reported an ROI above 400 %, some as high as 600 %.
      The reading gives neither the year nor the horizon, so no annual rate
      can be computed.
    * IDC (International Data Corporation), 1996: 62 data-warehouse projects
      of the early 1990s averaged an ROI of 321 % over an average of 2.73
      years, i.e. about 69 % a year.

    Returns
    -------
    pandas.DataFrame
        One row per figure, with columns ``source`` (str), ``year`` (Int64,
        year of the study; missing when not stated), ``subject`` (str),
        ``n_projects`` (Int64, projects studied; missing when not stated),
        ``total_roi`` (float, ratio), ``years`` (float, horizon; NaN when not
        stated), ``annualised_roi`` (float, from :func:`annualised_roi`; NaN
        without a horizon) and ``note`` (str).

    References
    ----------
    .. [1] International Data Corporation (IDC), "The Foundations of Wisdom:
       A Study of the Financial Impact of Data Warehousing", IDC, 1996
       (commonly cited claim; figures as quoted by the course reading R3).
    .. [2] META Group survey of firms using customer databases, as quoted by
       the course reading R3 (commonly cited claim; no publication details
       given).

    Examples
    --------
    >>> examples = database_roi_examples()
    >>> examples[["source", "total_roi", "years", "annualised_roi"]].round(4)
           source  total_roi  years  annualised_roi
    0  META Group       4.00    NaN             NaN
    1  META Group       6.00    NaN             NaN
    2    IDC 1996       3.21   2.73          0.6932
    """
    total = np.array([4.0, 6.0, 3.21])
    years = np.array([np.nan, np.nan, 2.73])
    annual = np.full(3, np.nan)
    known = ~np.isnan(years)
    annual[known] = annualised_roi(total[known], years[known])
    return pd.DataFrame(
        {
            "source": pd.array(["META Group", "META Group", "IDC 1996"], dtype="str"),
            "year": pd.array([None, None, 1996], dtype="Int64"),
            "subject": pd.array(
                [
                    "firms that adopted customer databases (typical)",
                    "firms that adopted customer databases (best)",
                    "data-warehouse projects of the early 1990s",
                ],
                dtype="str",
            ),
            "n_projects": pd.array([None, None, 62], dtype="Int64"),
            "total_roi": total,
            "years": years,
            "annualised_roi": annual,
            "note": pd.array(
                [
                    "lower bound ('above 400%'); horizon not stated",
                    "'some as high as 600%'; horizon not stated",
                    "average ROI over an average of 2.73 years",
                ],
                dtype="str",
            ),
        }
    )
