"""Retention and churn: rates from counts, and what a constant rate implies.

This module starts with the arithmetic of Chapter 1; the cohort tables,
survival curves and the shifted-beta-geometric model of Chapter 4 are added
here later.

Definitions (per period, e.g. a month, a quarter or a year):

* retention rate (客户保持率) r = customers retained / customers at the start of
  the period (customers acquired during the period are left out of both);
* churn rate (客户流失率) c = 1 - r.

References
----------
P. S. Fader & B. G. S. Hardie, "How to Project Customer Retention",
Journal of Interactive Marketing 21(1), 2007, pp. 76-90.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_fraction, check_number

__all__ = ["retention_rate", "churn_rate", "expected_lifetime"]


def retention_rate(customers_at_start, retained):
    """Share of the customers present at the start of a period who are still customers at its end.

    .. math:: r = \\frac{N_{\\text{retained}}}{N_{\\text{start}}}

    Parameters
    ----------
    customers_at_start : float or array
        Customers at the start of the period (> 0).
    retained : float or array
        How many of *those* customers are still active at the end (0 ≤ retained ≤ start).
        Customers acquired during the period are not counted: subtract them from an
        end-of-period total first.

    Returns
    -------
    float or ndarray
        The retention rate, a number in [0, 1].

    Examples
    --------
    >>> retention_rate(2000, 1640)
    0.82
    >>> retention_rate(48_000, 50_500 - 6_100)   # end total minus the quarter's new customers
    0.925
    """
    start = check_number("customers_at_start", customers_at_start, low=0, low_open=True)
    kept = check_number("retained", retained, low=0)
    if np.any(np.asarray(kept) > np.asarray(start)):
        raise ValueError(
            "retained must not exceed customers_at_start (did you count new customers? "
            "leave customers acquired during the period out)"
        )
    return kept / start


def churn_rate(customers_at_start, retained):
    """Churn rate c = 1 - r: the share of the starting customers lost during the period.

    Examples
    --------
    >>> round(churn_rate(2000, 1640), 2)
    0.18
    """
    return 1.0 - retention_rate(customers_at_start, retained)


def expected_lifetime(retention):
    """Expected number of periods a customer stays when the retention rate is constant.

    A customer is present in the first period and each later period with
    probability r, so the lifetime is geometric with mean

    .. math:: E[T] = \\sum_{t=0}^{\\infty} r^t = \\frac{1}{1-r} = \\frac{1}{c}.

    Parameters
    ----------
    retention : float or array
        Per-period retention rate in [0, 1).

    Returns
    -------
    float or ndarray
        Expected lifetime, in periods (counting the first one).

    Examples
    --------
    >>> expected_lifetime(0.8)
    5.0
    >>> round(expected_lifetime(0.925), 2)
    13.33
    """
    r = check_fraction("retention", retention)
    return 1.0 / (1.0 - r)
