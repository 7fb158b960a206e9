r"""Concentration of value across customers: Pareto and Lorenz curves.

Chapter 1 of the course asks how unevenly revenue is spread over customers.
The tools here answer it for any non-negative values (revenue, margin, orders)
with one value per customer:

* :func:`concentration_curve` -- customers ranked from the most to the least
  valuable, with the cumulative share of the total (the "Pareto curve");
* :func:`top_share` and :func:`pareto_table` -- the share held by the top
  fraction of customers, read off that curve;
* :func:`lorenz_curve` -- the classic Lorenz curve, customers ranked from the
  least valuable up;
* :func:`gini` -- the Gini coefficient, one number for the inequality.

The other segmentations of the course live in their own modules: RFM scores and
segments (:mod:`coursekit.models.rfm`, Chapter 2) and the customer value matrix with
its strategy table (:mod:`coursekit.models.value_matrix`, Chapter 5).

The "80/20 rule" (the Pareto principle, named by J. M. Juran after Vilfredo
Pareto's observations on income) is a rule of thumb, not a law: the share of
the top 20 % depends on the business and the period, and these functions
measure it instead of assuming it.

References
----------
.. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
   Publications of the American Statistical Association 9(70), 209-219, 1905.
.. [2] J. M. Juran, "Universals in management planning and controlling",
   The Management Review 43(11), 748-761, 1954.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import as_number_array, check_number

__all__ = [
    "concentration_curve", "top_share", "lorenz_curve", "gini", "pareto_table",
]


def _check_values(values) -> np.ndarray:
    """Return ``values`` as a 1-D float array of non-negative finite numbers."""
    arr = as_number_array("values", values)
    if arr.ndim != 1:
        raise ValueError(f"values must be one-dimensional (one value per customer), got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError("values must hold at least one value, got an empty sequence")
    if not np.isfinite(arr).all():
        raise ValueError(f"values must be finite, got {arr[~np.isfinite(arr)][0]:g}")
    if (arr < 0).any():
        raise ValueError(
            f"values must be non-negative (shares of a total are defined for non-negative values), "
            f"got {arr[arr < 0][0]:g}"
        )
    if arr.sum() == 0:
        raise ValueError(
            "values must not all be zero: shares of a total of 0 are undefined, "
            f"got {arr.size} zero value(s)"
        )
    return arr


def _check_fractions(name: str, fraction):
    """Check that ``fraction`` (a number or 1-D array) lies in (0, 1]."""
    checked = check_number(name, fraction, low=0.0, low_open=True, high=1.0)
    if np.ndim(checked) > 1:
        raise ValueError(f"{name} must be a number or a one-dimensional array, got shape {np.shape(checked)}")
    if np.ndim(checked) == 1 and np.size(checked) == 0:
        raise ValueError(f"{name} must hold at least one fraction, got an empty sequence")
    return checked


def _cumulative_shares(arr: np.ndarray, descending: bool) -> np.ndarray:
    """Cumulative shares of the sorted values, starting with 0 and ending at 1."""
    ordered = np.sort(arr)
    if descending:
        ordered = ordered[::-1]
    cum = np.concatenate([[0.0], np.cumsum(ordered)])
    shares = cum / cum[-1]
    shares[-1] = 1.0
    return shares


def concentration_curve(values) -> pd.DataFrame:
    r"""Cumulative share of the total held by the most valuable customers.

    Sort the :math:`n` values in descending order,
    :math:`x_{(1)} \ge x_{(2)} \ge \dots \ge x_{(n)}`.  The curve joins the
    points

    .. math:: \left(\frac{k}{n},\; \frac{\sum_{j=1}^{k} x_{(j)}}{\sum_{j=1}^{n} x_{(j)}}\right),
              \qquad k = 0, 1, \dots, n,

    so it starts at (0, 0), ends at (1, 1) and is increasing and concave; its
    height at customer share 0.2 is the share of the top 20 % of customers.

    Parameters
    ----------
    values : array_like of float
        One non-negative, finite value per customer (for example revenue in
        currency units), not all zero.  The unit cancels out in the shares.

    Returns
    -------
    pandas.DataFrame
        :math:`n + 1` rows with columns ``customer_share`` (fraction of
        customers, most valuable first) and ``value_share`` (fraction of the
        total), both dimensionless in [0, 1].

    See Also
    --------
    lorenz_curve : the same information with customers in ascending order.

    References
    ----------
    .. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.

    Examples
    --------
    >>> concentration_curve([1, 3, 0, 4])
       customer_share  value_share
    0            0.00        0.000
    1            0.25        0.500
    2            0.50        0.875
    3            0.75        1.000
    4            1.00        1.000
    """
    arr = _check_values(values)
    n = arr.size
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "value_share": _cumulative_shares(arr, descending=True),
        }
    )


def top_share(values, fraction=0.2):
    r"""Share of the total held by the top ``fraction`` of customers.

    The share is the concentration curve (see :func:`concentration_curve`)
    evaluated at ``fraction`` by linear interpolation between its points
    :math:`(k/n, S_k)`:

    .. math:: \mathrm{top}(f) = S_k + (nf - k)\,(S_{k+1} - S_k),
              \qquad k = \lfloor nf \rfloor,

    where :math:`S_k` is the share of the :math:`k` largest values.  When
    :math:`nf` is a whole number this is exactly the share of the top
    :math:`nf` customers; otherwise the next customer counts in proportion,
    so the result is continuous and increasing in ``fraction``.

    Parameters
    ----------
    values : array_like of float
        One non-negative, finite value per customer, not all zero.
    fraction : float or array_like of float, default 0.2
        Fraction of customers, in (0, 1].  An array gives an array of shares.

    Returns
    -------
    float or numpy.ndarray
        Share of the total, dimensionless in (0, 1].

    References
    ----------
    .. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.
    .. [2] J. M. Juran, "Universals in management planning and controlling",
       The Management Review 43(11), 748-761, 1954.

    Examples
    --------
    >>> top_share([10, 0, 0, 0, 0], 0.2)
    1.0
    >>> top_share([1, 1, 1, 1], 0.5)
    0.5
    >>> top_share([1, 1, 1, 1], 0.3)  # 1.2 customers of 4 hold 1.2/4 of the total
    0.3
    >>> top_share([5, 3, 2], [0.5, 1.0])
    array([0.65, 1.  ])
    """
    arr = _check_values(values)
    fraction = _check_fractions("fraction", fraction)
    n = arr.size
    result = np.interp(fraction, np.arange(n + 1) / n, _cumulative_shares(arr, descending=True))
    if np.ndim(result) == 0:
        return float(result)
    return result


def lorenz_curve(values) -> pd.DataFrame:
    r"""Lorenz curve: cumulative share of the total held by the poorest customers.

    Sort the :math:`n` values in ascending order,
    :math:`x_{(1)} \le \dots \le x_{(n)}`.  The curve joins the points

    .. math:: \left(\frac{k}{n},\; L_k = \frac{\sum_{j=1}^{k} x_{(j)}}{\sum_{j=1}^{n} x_{(j)}}\right),
              \qquad k = 0, 1, \dots, n,

    from (0, 0) to (1, 1).  It is increasing and convex and lies on or below
    the diagonal, which is the curve of perfect equality.

    Parameters
    ----------
    values : array_like of float
        One non-negative, finite value per customer, not all zero.

    Returns
    -------
    pandas.DataFrame
        :math:`n + 1` rows with columns ``population_share`` (fraction of
        customers, least valuable first) and ``cumulative_share`` (fraction of
        the total), both dimensionless in [0, 1].

    References
    ----------
    .. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.

    Examples
    --------
    >>> lorenz_curve([1, 3, 0, 4])
       population_share  cumulative_share
    0              0.00             0.000
    1              0.25             0.000
    2              0.50             0.125
    3              0.75             0.500
    4              1.00             1.000
    """
    arr = _check_values(values)
    n = arr.size
    return pd.DataFrame(
        {
            "population_share": np.arange(n + 1) / n,
            "cumulative_share": _cumulative_shares(arr, descending=False),
        }
    )


def gini(values) -> float:
    r"""Gini coefficient of the values (0 = all equal, towards 1 = concentrated).

    This is the population (":math:`n^2`") convention, the mean absolute
    difference over all ordered pairs, self-pairs included, divided by twice
    the mean:

    .. math:: G = \frac{\sum_{i=1}^{n}\sum_{j=1}^{n} |x_i - x_j|}{2 n^2 \bar x}
                = \frac{\sum_{i=1}^{n} (2i - n - 1)\, x_{(i)}}{n^2 \bar x},

    with :math:`x_{(1)} \le \dots \le x_{(n)}` the sorted values; the second
    form costs :math:`O(n \log n)`.  It equals one minus twice the area under
    the Lorenz curve drawn with straight segments.  :math:`G = 0` when all
    values are equal and :math:`G = 1 - 1/n` when one customer holds
    everything, so the maximum approaches 1 only for large :math:`n`.  The
    "sample" convention multiplies by :math:`n / (n - 1)` so that this
    maximum is 1; it is not used here.

    Parameters
    ----------
    values : array_like of float
        One non-negative, finite value per customer, not all zero.

    Returns
    -------
    float
        Dimensionless, in [0, 1 - 1/n].

    References
    ----------
    .. [1] C. Gini, "Variabilità e mutabilità", Studi Economico-Giuridici
       della R. Università di Cagliari 3(2), 3-159, 1912.
    .. [2] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    >>> gini([1, 2, 3, 4])
    0.25
    """
    arr = np.sort(_check_values(values))
    n = arr.size
    ranks = np.arange(1, n + 1)
    value = float(np.sum((2 * ranks - n - 1) * arr) / (n * arr.sum()))
    return min(max(value, 0.0), 1.0)


def pareto_table(values, fractions=(0.01, 0.05, 0.1, 0.2, 0.5)) -> pd.DataFrame:
    r"""Table of the share of the total held by several top fractions of customers.

    Each row applies :func:`top_share` (linear interpolation on the
    concentration curve) to one fraction :math:`f`:
    :math:`\mathrm{top}(f)`, the share of the total held by the
    :math:`100 f` % most valuable customers.

    Parameters
    ----------
    values : array_like of float
        One non-negative, finite value per customer, not all zero.
    fractions : sequence of float, default (0.01, 0.05, 0.1, 0.2, 0.5)
        Fractions of customers, each in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per fraction, in the given order, with columns
        ``top_fraction`` (fraction of customers) and ``value_share`` (share of
        the total), both dimensionless.

    References
    ----------
    .. [1] J. M. Juran, "Universals in management planning and controlling",
       The Management Review 43(11), 748-761, 1954.

    Examples
    --------
    >>> pareto_table([10, 5, 3, 1, 1], fractions=(0.2, 0.4, 1.0))
       top_fraction  value_share
    0           0.2         0.50
    1           0.4         0.75
    2           1.0         1.00
    """
    arr = _check_values(values)
    fractions = np.atleast_1d(_check_fractions("fractions", fractions))
    return pd.DataFrame({"top_fraction": fractions, "value_share": top_share(arr, fractions)})
