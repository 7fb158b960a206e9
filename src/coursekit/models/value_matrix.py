r"""The customer value matrix (客户价值细分矩阵): where retention money should go.

Reading R1 sorts customers on two axes -- what a customer is worth to the firm *today* (current
value) and how much more the customer *could* be worth (growth potential, 增值潜力) -- and gives
each of the four resulting types its own share of the retention budget and its own kind of
relationship (R1, "Table 3-3").  The numbering used here is the one of that table:

========  =============  ================  ====================  ==================================
quadrant  current value  growth potential  resources             relationship
========  =============  ================  ====================  ==================================
I         low            low               none                  wind the relationship down
II        low            high              moderate              rebuild the relationship
III       high           low               priority              keep it at a high level
IV        high           high              top priority          keep and grow it at any effort
========  =============  ================  ====================  ==================================

(The matrix drawing in R1's slides appears to put the labels II and III the other way round; the
course follows the table, which states each type's values in words.)

The tools:

* :data:`STRATEGY_TABLE` -- the table above as a DataFrame;
* :func:`value_matrix` -- the quadrant of every customer from two value measures and two cuts
  (medians by default);
* :func:`place_customers` and :func:`quadrant_summary` -- the same, joined with the strategy, and
  a per-quadrant summary (how many customers, how much of today's value);
* :func:`current_value_from_orders` -- current value as the margin of the last 12 months, from
  a plain order table such as :func:`coursekit.data.transactions.load_orders`;
* :func:`growth_potential_from_wallet` -- growth potential as the margin on the share of the
  customer's category spending that still goes to competitors (share-of-wallet headroom).

References
----------
.. [1] P. C. Verhoef and B. Donkers, "Predicting customer potential value: an application in the
   insurance industry", Decision Support Systems 32(2), 189-199, 2001.
.. [2] R. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer wallet", Journal of
   Marketing 71(2), 94-113, 2007.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import as_number_array, as_output, check_fraction, check_number, check_positive_int

__all__ = [
    "QUADRANTS",
    "STRATEGY_TABLE",
    "value_matrix",
    "place_customers",
    "quadrant_summary",
    "current_value_from_orders",
    "growth_potential_from_wallet",
]

#: The four customer types, in the order of R1's Table 3-3.
QUADRANTS: tuple[str, ...] = ("I", "II", "III", "IV")

_QUADRANT_DTYPE = pd.CategoricalDtype(list(QUADRANTS), ordered=True)

#: Resource allocation and retention strategy of the four customer types (R1, Table 3-3),
#: in the course's own words.  Shared module data: copy it before modifying it.
STRATEGY_TABLE: pd.DataFrame = pd.DataFrame(
    {
        "quadrant": pd.Categorical(list(QUADRANTS), dtype=_QUADRANT_DTYPE),
        "current_value": ["low", "low", "high", "high"],
        "growth_potential": ["low", "high", "low", "high"],
        "resource_allocation": ["none", "moderate", "priority", "top priority"],
        "retention_strategy": [
            "stop investing and let the relationship end",
            "rebuild the relationship to unlock its potential",
            "keep the relationship at a high level",
            "spare no effort to keep the relationship and grow it",
        ],
    }
)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _values(name: str, values) -> tuple[np.ndarray, pd.Index | None]:
    """One finite value per customer as a 1-D float array, and the index of a Series input."""
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} must be a 1-D sequence or a pandas Series, got a DataFrame")
    arr = as_number_array(name, values.to_numpy() if isinstance(values, pd.Series) else values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per customer), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one customer, got an empty sequence")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers, got {arr[~np.isfinite(arr)][0]:g}")
    return arr, index


def _pair(current_value, growth_potential):
    """Validate the two value measures and return them with a common index."""
    cv, cv_index = _values("current_value", current_value)
    gp, gp_index = _values("growth_potential", growth_potential)
    if cv.size != gp.size:
        raise ValueError(
            f"current_value and growth_potential must have one value per customer each, "
            f"got {cv.size} and {gp.size} values"
        )
    if cv_index is not None and gp_index is not None and not cv_index.equals(gp_index):
        raise ValueError("current_value and growth_potential must be Series with the same index (same customers, same order)")
    index = cv_index if cv_index is not None else gp_index
    if index is None:
        index = pd.RangeIndex(cv.size)
    return cv, gp, index


def _cut(name: str, cut, values: np.ndarray) -> float:
    if cut is None:
        return float(np.median(values))
    checked = check_number(name, cut)
    if not isinstance(checked, float):
        raise TypeError(f"{name} must be a single number or None, got {cut!r}")
    return checked


# --------------------------------------------------------------------------------------------
# the matrix
# --------------------------------------------------------------------------------------------
def value_matrix(current_value, growth_potential, current_cut=None, potential_cut=None) -> pd.Series:
    r"""Quadrant of the customer value matrix (I--IV) of every customer.

    A customer is *high* on an axis when the value is strictly above the cut, and *low*
    otherwise (a value equal to the cut counts as low).  With :math:`h_c` and :math:`h_p` the two
    high/low flags, the quadrant is

    .. math:: \text{quadrant} = (\text{I}, \text{II}, \text{III}, \text{IV})[2 h_c + h_p],

    i.e. I = low/low, II = low current/high potential, III = high current/low potential,
    IV = high/high, the numbering of R1's Table 3-3 (see :data:`STRATEGY_TABLE`).

    Parameters
    ----------
    current_value : array_like or pandas.Series
        What each customer is worth today, e.g. the margin of the last 12 months
        (:func:`current_value_from_orders`), in money units.  Finite numbers, one per customer.
    growth_potential : array_like or pandas.Series
        How much more each customer could be worth, e.g. the share-of-wallet headroom
        (:func:`growth_potential_from_wallet`) or a predicted growth of CLV, in money units.
        Same length (and, for two Series, the same index) as ``current_value``.
    current_cut, potential_cut : float or None, default None
        Thresholds between low and high.  ``None`` uses the median of the given values, so that
        about half the customers are high on each axis (fewer when many values tie at the
        median, since ties count as low).  Give a fixed number -- a margin that justifies a key
        account manager, say -- to keep the cut stable from one period to the next.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories ``I < II < III < IV``, named ``"quadrant"``, indexed
        like the Series input (or 0..n-1 for plain arrays).

    Raises
    ------
    ValueError
        If an input is empty, not one-dimensional, holds NaN or infinite values, the two inputs
        have different lengths or indexes, or a cut is NaN or infinite.
    TypeError
        If an input is not numeric or a cut is not a single number.

    Notes
    -----
    Median cuts make the matrix relative: half the customers are always "high", however
    valuable the whole base is.  Business-defined cuts are absolute.  Either way the quadrant is
    a summary of two continuous measures; customers close to a cut deserve a second look.

    References
    ----------
    .. [1] Course reading R1, section 3 "客户保持管理", Table 3-3 (the four customer types and
       their resource allocation and retention strategies).
    .. [2] P. C. Verhoef and B. Donkers, "Predicting customer potential value: an application in
       the insurance industry", Decision Support Systems 32(2), 189-199, 2001.

    Examples
    --------
    >>> q = value_matrix([100, 20, 300, 500, 10], [5, 80, 10, 90, 1])
    >>> q.tolist()
    ['I', 'II', 'III', 'IV', 'I']

    With the median cuts (100 and 10) the first customer, whose current value is exactly the
    median, counts as low; fixed cuts change that:

    >>> value_matrix([100, 20, 300, 500, 10], [5, 80, 10, 90, 1], current_cut=50, potential_cut=50).tolist()
    ['III', 'II', 'III', 'IV', 'I']
    """
    cv, gp, index = _pair(current_value, growth_potential)
    c_cut = _cut("current_cut", current_cut, cv)
    p_cut = _cut("potential_cut", potential_cut, gp)
    codes = 2 * (cv > c_cut).astype(np.int8) + (gp > p_cut).astype(np.int8)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=_QUADRANT_DTYPE), index=index, name="quadrant")


def place_customers(current_value, growth_potential, current_cut=None, potential_cut=None) -> pd.DataFrame:
    """Each customer's quadrant together with the resource allocation and strategy it calls for.

    Combines :func:`value_matrix` with :data:`STRATEGY_TABLE`.

    Parameters
    ----------
    current_value, growth_potential : array_like or pandas.Series
        As in :func:`value_matrix` (money units, one value per customer).
    current_cut, potential_cut : float or None, default None
        As in :func:`value_matrix`; ``None`` means the median.

    Returns
    -------
    pandas.DataFrame
        One row per customer, indexed like the input, with the columns ``current_value``,
        ``growth_potential`` (floats), ``quadrant`` (ordered categorical),
        ``resource_allocation`` and ``retention_strategy`` (str).

    Raises
    ------
    ValueError, TypeError
        As in :func:`value_matrix`.

    References
    ----------
    .. [1] Course reading R1, Table 3-3.

    Examples
    --------
    >>> import pandas as pd
    >>> cv = pd.Series([100.0, 20.0, 300.0, 500.0], index=["a", "b", "c", "d"])
    >>> gp = pd.Series([5.0, 80.0, 10.0, 90.0], index=cv.index)
    >>> place_customers(cv, gp)[["quadrant", "resource_allocation"]]
      quadrant resource_allocation
    a        I                none
    b       II            moderate
    c      III            priority
    d       IV        top priority
    """
    cv, gp, index = _pair(current_value, growth_potential)
    quadrant = value_matrix(cv, gp, current_cut, potential_cut)
    codes = quadrant.cat.codes.to_numpy()
    allocation = STRATEGY_TABLE["resource_allocation"].to_numpy(dtype=object)[codes]
    strategy = STRATEGY_TABLE["retention_strategy"].to_numpy(dtype=object)[codes]
    return pd.DataFrame(
        {
            "current_value": cv,
            "growth_potential": gp,
            "quadrant": quadrant.to_numpy(),
            "resource_allocation": pd.array(allocation, dtype="str"),
            "retention_strategy": pd.array(strategy, dtype="str"),
        },
        index=index,
    )


def quadrant_summary(current_value, growth_potential, current_cut=None, potential_cut=None) -> pd.DataFrame:
    """How many customers, and how much value, sit in each quadrant of the matrix.

    Parameters
    ----------
    current_value, growth_potential : array_like or pandas.Series
        As in :func:`value_matrix` (money units, one value per customer).
    current_cut, potential_cut : float or None, default None
        As in :func:`value_matrix`; ``None`` means the median.

    Returns
    -------
    pandas.DataFrame
        One row per quadrant I--IV (all four, even when empty), indexed by ``quadrant``, with
        ``customers`` (int), ``share_of_customers``, ``current_value`` (total, money units),
        ``share_of_current_value`` (of the total of all customers; NaN when that total is 0),
        ``growth_potential`` (total) and ``resource_allocation``.

    Raises
    ------
    ValueError, TypeError
        As in :func:`value_matrix`.

    References
    ----------
    .. [1] Course reading R1, Table 3-3.

    Examples
    --------
    >>> s = quadrant_summary([100, 20, 300, 500, 10], [5, 80, 10, 90, 1])
    >>> s[["customers", "share_of_current_value"]].round(3)
              customers  share_of_current_value
    quadrant
    I                 2                   0.118
    II                1                   0.022
    III               1                   0.323
    IV                1                   0.538
    """
    cv, gp, _ = _pair(current_value, growth_potential)
    codes = value_matrix(cv, gp, current_cut, potential_cut).cat.codes.to_numpy()
    counts = np.bincount(codes, minlength=4)
    value = np.bincount(codes, weights=cv, minlength=4)
    potential = np.bincount(codes, weights=gp, minlength=4)
    total = cv.sum()
    share_value = value / total if total != 0 else np.full(4, np.nan)
    return pd.DataFrame(
        {
            "customers": counts.astype(np.int64),
            "share_of_customers": counts / cv.size,
            "current_value": value,
            "share_of_current_value": share_value,
            "growth_potential": potential,
            "resource_allocation": STRATEGY_TABLE["resource_allocation"].to_numpy(),
        },
        index=pd.CategoricalIndex(list(QUADRANTS), dtype=_QUADRANT_DTYPE, name="quadrant"),
    )


# --------------------------------------------------------------------------------------------
# the two axes from data
# --------------------------------------------------------------------------------------------
def current_value_from_orders(orders, margin_rate, as_of=None, months=12) -> pd.Series:
    r"""Current value of each customer: the margin earned in the last ``months`` months.

    .. math:: \text{CV}_i = \mu \sum_{o \in \mathcal{O}_i,\; t_o \in (T - M,\, T]} a_o

    with :math:`a_o` the amount of order :math:`o`, :math:`\mu` the margin rate, :math:`T` the
    reference date ``as_of`` and :math:`M` the window of ``months`` calendar months.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with the columns ``customer_id``, ``order_date`` (datetime) and
        ``amount`` (money units, finite), e.g. :func:`coursekit.data.transactions.load_orders`.
    margin_rate : float
        Share of revenue that is margin, in [0, 1] (0.3 = a 30 % contribution margin).
    as_of : date-like or None, default None
        End of the window (included).  ``None`` takes the last order date in ``orders``.
        Orders after ``as_of`` are ignored.
    months : int, default 12
        Length of the window in calendar months, a whole number >= 1.  The window starts the day
        after ``as_of`` minus ``months`` months.

    Returns
    -------
    pandas.Series
        Margin in money units, named ``"current_value"``, indexed by ``customer_id``: every
        customer with at least one order on or before ``as_of``, in order of first appearance in
        ``orders``; customers with no order in the window get 0.

    Raises
    ------
    TypeError
        If ``orders`` is not a DataFrame or ``as_of`` is not a date.
    ValueError
        If a column is missing, ``order_date`` is not datetime or has missing values, ``amount``
        is not finite, ``margin_rate`` is outside [0, 1], ``months`` is not a whole number >= 1,
        or no order falls on or before ``as_of``.

    Notes
    -----
    A flat margin rate turns revenue into margin; use a per-order margin column (passed as
    ``amount`` with ``margin_rate=1``) when costs differ between products.

    References
    ----------
    .. [1] P. C. Verhoef and B. Donkers, "Predicting customer potential value: an application in
       the insurance industry", Decision Support Systems 32(2), 189-199, 2001.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "b", "a", "c"],
    ...     "order_date": pd.to_datetime(["2022-06-01", "2023-01-15", "2023-03-01", "2023-12-31"]),
    ...     "amount": [100.0, 50.0, 80.0, 40.0]})
    >>> current_value_from_orders(orders, margin_rate=0.25).tolist()
    [20.0, 12.5, 10.0]

    On the course's transactions data (window 2023-01-01 to 2023-12-31):

    >>> from coursekit.data import load_orders
    >>> cv = current_value_from_orders(load_orders(), margin_rate=0.3)
    >>> len(cv), round(float(cv.sum()), 2), int((cv > 0).sum())
    (5000, 190555.44, 3532)
    """
    if not isinstance(orders, pd.DataFrame):
        raise TypeError(f"orders must be a pandas DataFrame, got {type(orders).__name__}")
    needed = ["customer_id", "order_date", "amount"]
    absent = [c for c in needed if c not in orders.columns]
    if absent:
        raise ValueError(f"orders must have the columns {needed}, got {orders.columns.tolist()}")
    mu = check_fraction("margin_rate", margin_rate, allow_one=True)
    if not isinstance(mu, float):
        raise TypeError(f"margin_rate must be a single number, got {margin_rate!r}")
    months = check_positive_int("months", months)
    dates = orders["order_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise ValueError(f"orders['order_date'] must be datetime64, got dtype {dates.dtype}")
    if dates.isna().any():
        raise ValueError("orders['order_date'] must not have missing dates")
    amount = pd.to_numeric(orders["amount"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(amount).all():
        raise ValueError("orders['amount'] must hold finite numbers, got missing, infinite or non-numeric values")
    if as_of is None:
        if len(orders) == 0:
            raise ValueError("orders must hold at least one order, got an empty table")
        end = dates.max()
    else:
        try:
            end = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            raise TypeError(f"as_of must be a date such as '2023-12-31' or None, got {as_of!r}") from None
        if pd.isna(end):
            raise ValueError(f"as_of must be a date or None, got a missing value {as_of!r}")
    start = end - pd.DateOffset(months=months)
    known = (dates <= end).to_numpy()
    if not known.any():
        raise ValueError(f"orders must hold at least one order on or before as_of={end.date()}, got none")
    ids = orders["customer_id"].to_numpy()[known]
    in_window = (dates > start).to_numpy()[known]
    index = pd.Index(pd.unique(ids), name="customer_id")
    totals = pd.Series(amount[known] * in_window, index=ids).groupby(level=0, sort=False).sum()
    result = (mu * totals.reindex(index)).astype(float)
    result.name = "current_value"
    result.index.name = "customer_id"
    return result


def growth_potential_from_wallet(spend_with_us, total_category_spend, margin_rate):
    r"""Growth potential as the margin on the customer's spending that goes elsewhere.

    .. math:: \text{GP}_i = \mu_i \, (W_i - S_i) = \mu_i \, W_i \, (1 - \text{SOW}_i),
              \qquad \text{SOW}_i = S_i / W_i,

    where :math:`S_i` is what the customer spends with us, :math:`W_i` the customer's total
    spending in the category (the wallet), :math:`\text{SOW}_i` our share of wallet and
    :math:`\mu_i` the margin rate.  A customer who already buys everything from us has no
    headroom; a big spender who buys little from us has a lot.

    Parameters
    ----------
    spend_with_us : float, array_like or pandas.Series
        Spending with the firm per period, money units, >= 0.
    total_category_spend : float, array_like or pandas.Series
        The customer's total spending in the category over the same period (from a survey, a
        panel or a model), money units, >= ``spend_with_us``.
    margin_rate : float, array_like or pandas.Series
        Margin as a share of revenue, in [0, 1].

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Potential margin per period, money units.  A Series (named ``"growth_potential"``, with
        the index of the first Series argument) when any input is a Series, a float when all
        inputs are scalars, an array otherwise.

    Raises
    ------
    ValueError
        If a value is NaN, infinite, negative, ``margin_rate`` is above 1, or
        ``total_category_spend < spend_with_us``.
    TypeError
        If a value is not numeric.

    Notes
    -----
    Headroom is an upper bound: no firm wins the whole wallet.  Multiply by a realistic
    attainable share if the ranking of customers is not enough.

    References
    ----------
    .. [1] R. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer wallet", Journal of
       Marketing 71(2), 94-113, 2007.

    Examples
    --------
    >>> growth_potential_from_wallet(200, 1000, 0.3)
    240.0
    >>> growth_potential_from_wallet([200, 900], [1000, 1000], 0.3)
    array([240.,  30.])
    """
    index = None
    for arg in (spend_with_us, total_category_spend, margin_rate):
        if isinstance(arg, pd.Series):
            index = arg.index
            break

    def _plain(x):
        return x.to_numpy() if isinstance(x, pd.Series) else x

    s = check_number("spend_with_us", _plain(spend_with_us), low=0.0)
    w = check_number("total_category_spend", _plain(total_category_spend), low=0.0)
    mu = check_number("margin_rate", _plain(margin_rate), low=0.0, high=1.0)
    try:
        s_b, w_b, mu_b = np.broadcast_arrays(s, w, mu)
    except ValueError:
        raise ValueError(
            "spend_with_us, total_category_spend and margin_rate must have compatible shapes, got "
            f"{np.shape(s)}, {np.shape(w)} and {np.shape(mu)}"
        ) from None
    bad = w_b < s_b
    if bad.any():
        raise ValueError(
            "total_category_spend must be >= spend_with_us (the wallet includes our share), got "
            f"total_category_spend={w_b[bad].flat[0]:g} < spend_with_us={s_b[bad].flat[0]:g}"
        )
    potential = mu_b * (w_b - s_b)
    if index is not None:
        if potential.ndim != 1 or potential.size != len(index):
            raise ValueError(f"a Series input must match the others in length, got shapes {potential.shape} and {len(index)}")
        return pd.Series(potential, index=index, name="growth_potential")
    return as_output(potential)
