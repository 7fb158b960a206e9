r"""Retention and churn from counts: rates, cohort tables and period-on-period retention.

Chapter 1 uses the arithmetic of a constant rate (:func:`retention_rate`,
:func:`churn_rate`, :func:`expected_lifetime`).  Chapter 4 (customer loyalty,
客户忠诚) measures retention in data with **cohort tables**: :func:`cohort_table`
counts, for each acquisition cohort, the customers still active ``t`` periods
after acquisition; :func:`retention_table` turns the counts into shares of the
cohort and :func:`period_retention` into period-on-period retention rates
:math:`r_t = S(t) / S(t-1)`.  Cells that the data cannot know yet
(right-censored) are NaN, never zero.  Survival curves and the sBG model that
projects them are in :mod:`coursekit.models.survival`.

Definitions (per period, e.g. a month, a quarter or a year):

* retention rate (客户保持率) r = customers retained / customers at the start of
  the period (customers acquired during the period are left out of both);
* churn rate (客户流失率) c = 1 - r.

References
----------
.. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
   Journal of Interactive Marketing 21(1), 76-90, 2007.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import (
    check_flags,
    check_fraction,
    check_number,
    check_numeric,
    check_whole_numbers,
)

__all__ = [
    "retention_rate",
    "churn_rate",
    "expected_lifetime",
    "cohort_table",
    "retention_table",
    "period_retention",
]


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


def _check_table(table) -> np.ndarray:
    """Validate a cohort table of counts (rows: cohorts, columns 0..T) and return its values."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame as returned by cohort_table, got {type(table).__name__}")
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError(f"table must have at least one cohort (row) and the period 0 column, got shape {table.shape}")
    columns = list(table.columns)
    if columns != list(range(len(columns))):
        raise ValueError(
            "table must have the columns 0, 1, ..., T (periods since acquisition) as returned by "
            f"cohort_table, got {columns[:6]}{' ...' if len(columns) > 6 else ''}"
        )
    try:
        values = table.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise TypeError("table must hold numbers (customer counts; NaN for cells not yet observed)") from None
    if np.isinf(values).any():
        raise ValueError("table must hold finite counts, got an infinite value")
    missing = np.isnan(values)
    if missing[:, 0].any():
        row = table.index[np.flatnonzero(missing[:, 0])[0]]
        raise ValueError(f"table must give the cohort size in column 0 for every cohort, got NaN for cohort {row!r}")
    empty = values[:, 0] <= 0
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise ValueError(
            f"every cohort must have a size > 0 in column 0, got {values[i, 0]:g} for cohort {table.index[i]!r}"
        )
    if (values[~missing] < 0).any():
        raise ValueError(f"table must hold counts >= 0, got {values[~missing][values[~missing] < 0][0]:g}")
    if values.shape[1] > 1:
        gap = missing[:, :-1] & ~missing[:, 1:]
        if gap.any():
            row = table.index[np.flatnonzero(gap.any(axis=1))[0]]
            raise ValueError(
                f"cohort {row!r} has a count after a missing (NaN) cell; censored cells must come last in each row"
            )
        with np.errstate(invalid="ignore"):
            rising = np.diff(values, axis=1) > 0
        if rising.any():
            i, j = np.argwhere(rising)[0]
            raise ValueError(
                f"survivor counts must not increase with time: cohort {table.index[i]!r} has "
                f"{values[i, j]:g} active in period {j} and {values[i, j + 1]:g} in period {j + 1}"
            )
    return values


# --------------------------------------------------------------------------------------------
# cohort tables
# --------------------------------------------------------------------------------------------
def cohort_table(frame, cohort="cohort", duration="periods_observed", churned="churned"):
    r"""Customers still active, by acquisition cohort and period since acquisition.

    Customer :math:`i` of cohort :math:`k` is observed for :math:`d_i` periods.
    If she churned (``churned`` True) her lifetime is :math:`T_i = d_i`: she was
    active at the start of periods :math:`0, \dots, d_i - 1` after acquisition
    and gone from period :math:`d_i` on.  If she is still active (censored),
    she is known to be active at periods :math:`0, \dots, d_i`.  The cell
    :math:`(k, t)` holds

    .. math:: S_k(t) = \#\{i \in k : T_i > t\},

    the customers of cohort :math:`k` who made it through :math:`t` renewal
    decisions (period 0 is the cohort's size).  A cell is NaN when some customer
    of the cohort was censored before :math:`t`: the count is not known yet,
    which is different from zero.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer.
    cohort : str, default "cohort"
        Column with the acquisition cohort (any sortable label, e.g. ``"2022-01"``).
    duration : str, default "periods_observed"
        Column with the number of periods observed, a whole number >= 0
        (>= 1 for a churned customer).
    churned : str, default "churned"
        Column of booleans: True if the customer's churn was observed, False if
        she was still active at the end of the observation (right-censored).

    Returns
    -------
    pandas.DataFrame
        Rows: cohorts in sorted order (index named after ``cohort``); columns:
        periods since acquisition ``0, 1, ..., max(duration)`` (named
        ``"period"``); values: customers still active (float, because censored
        cells are NaN).

    Raises
    ------
    ValueError
        If a column is missing, the frame is empty, a cohort label is missing,
        a duration is not a whole number >= 0, a churn flag is not boolean, or a
        churned customer has a duration of 0.
    TypeError
        If ``frame`` is not a DataFrame, or the duration / churn columns do
        not hold numbers / booleans.

    See Also
    --------
    retention_table : the same table as shares of each cohort.
    period_retention : period-on-period retention rates.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    Cohort A (4 customers) was observed for 3 periods, cohort B (2 customers)
    for 1 period:

    >>> import pandas as pd
    >>> toy = pd.DataFrame({
    ...     "cohort": ["A", "A", "A", "A", "B", "B"],
    ...     "periods_observed": [1, 2, 3, 3, 1, 1],
    ...     "churned": [True, True, False, False, True, False]})
    >>> cohort_table(toy)
    period    0    1    2    3
    cohort
    A       4.0  3.0  2.0  2.0
    B       2.0  1.0  NaN  NaN
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    for arg, column in (("cohort", cohort), ("duration", duration), ("churned", churned)):
        if column not in frame.columns:
            raise ValueError(f"{arg}={column!r} is not a column of frame; its columns are {frame.columns.tolist()}")
    if len(frame) == 0:
        raise ValueError("frame must have at least one row (one customer)")
    labels = frame[cohort]
    if labels.isna().any():
        raise ValueError(f"frame[{cohort!r}] must name a cohort for every customer, got missing values")
    check_numeric(f"frame[{duration!r}]", frame[duration])
    periods = check_whole_numbers(f"frame[{duration!r}]", frame[duration].to_numpy(dtype=float, na_value=np.nan), minimum=0)
    gone = check_flags(f"frame[{churned!r}]", frame[churned], len(frame))
    if (gone & (periods < 1)).any():
        raise ValueError(
            f"a churned customer must have been observed for at least 1 period, got frame[{duration!r}] = 0 "
            f"with frame[{churned!r}] = True"
        )
    codes, uniques = pd.factorize(labels, sort=True)
    k = len(uniques)
    last = int(periods.max())
    d = periods.astype(np.int64)
    width = last + 1
    size = np.bincount(codes, minlength=k).astype(float)
    churn = np.bincount(codes[gone] * width + d[gone], minlength=k * width).reshape(k, width)
    active = size[:, None] - np.cumsum(churn, axis=1)
    horizon = np.full(k, np.inf)
    np.minimum.at(horizon, codes[~gone], d[~gone].astype(float))
    known = np.arange(width)[None, :] <= horizon[:, None]
    return pd.DataFrame(
        np.where(known, active, np.nan),
        index=pd.Index(uniques, name=cohort),
        columns=pd.RangeIndex(width, name="period"),
    )


def retention_table(table):
    r"""Share of each cohort still active: :math:`S_k(t) / S_k(0)`.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts as returned by :func:`cohort_table`: one row per cohort, columns
        ``0, 1, ..., T``, column 0 the cohort size (> 0), counts that never
        increase along a row, NaN only at the end of a row (censored cells).

    Returns
    -------
    pandas.DataFrame
        Same shape, index and columns; values in [0, 1], NaN where the count is
        NaN.

    Raises
    ------
    ValueError
        If a cohort has size 0, a count is negative or increases with time, a
        NaN is followed by a number, or the columns are not ``0..T``.
    TypeError
        If ``table`` is not a DataFrame of numbers.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame([[4.0, 3.0, 2.0, 2.0], [2.0, 1.0, None, None]],
    ...                       index=["A", "B"], columns=range(4))
    >>> retention_table(counts)
         0     1    2    3
    A  1.0  0.75  0.5  0.5
    B  1.0  0.50  NaN  NaN
    """
    values = _check_table(table)
    return pd.DataFrame(values / values[:, :1], index=table.index, columns=table.columns)


def period_retention(table):
    r"""Period-on-period retention rates :math:`r_k(t) = S_k(t) / S_k(t-1)` of each cohort.

    :math:`r_k(t)` is the share of the customers of cohort :math:`k` active at
    the start of period :math:`t - 1` who renewed into period :math:`t` (the
    retention rate, 客户保持率, of that period, for that cohort).

    Parameters
    ----------
    table : pandas.DataFrame
        Counts as returned by :func:`cohort_table` (see :func:`retention_table`
        for the rules).

    Returns
    -------
    pandas.DataFrame
        One row per cohort, columns ``1, ..., T`` (named ``"period"``); NaN
        where either count is unknown or where nobody was left to retain
        (:math:`S_k(t-1) = 0`).

    Raises
    ------
    ValueError, TypeError
        As :func:`retention_table`.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame([[1000.0, 631.0, 468.0, 382.0]], index=["regular"], columns=range(4))
    >>> period_retention(counts).round(4)
    period        1       2       3
    regular   0.631  0.7417  0.8162
    """
    values = _check_table(table)
    if values.shape[1] < 2:
        raise ValueError("table must have at least the columns 0 and 1 to give a retention rate")
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(values[:, :-1] > 0, values[:, 1:] / values[:, :-1], np.nan)
    return pd.DataFrame(rates, index=table.index, columns=pd.RangeIndex(1, values.shape[1], name="period"))
