r"""Purchase patterns in order data: cycles, overdue customers, anomalies, associations.

Chapter 2 (the customer database, 客户数据库) uses an order history to answer the
questions of the readings' cases:

* :func:`purchase_intervals` -- the gaps, in days, between consecutive
  purchases of each customer (or of each customer in each category);
* :func:`purchase_cycles` -- each group's own purchase rhythm (the median gap),
  its spread, and the date of the next purchase that rhythm predicts, as in
  the Dick's Supermarkets case, where promotions are timed to each shopper's
  own buying cycle;
* :func:`overdue` -- the churn early-warning list (客户流失预警): groups whose
  silence is long *relative to their own cycle*, not to one cut-off for
  everybody;
* :func:`interval_anomalies` -- past gaps far longer (or shorter) than a
  group's usual cycle; the "store that knew" case, in which a shop noticed
  that a regular buyer of sanitary products had stopped buying them;
* :func:`category_association` -- correlation of period sales between
  categories ("when A's sales rise, B's rise too");
* :func:`basket_lift` -- support, confidence and lift of category pairs bought
  in the same basket (association rules).

Conventions shared by every function here:

* ``orders`` is a plain :class:`pandas.DataFrame`, one row per order (or per
  order line), such as :func:`coursekit.data.transactions.load_orders` or the orders
  table of the course database.  Column names are arguments, with the names
  of the transactions dataset as defaults.
* Dates may be ``datetime64`` columns or ISO text (``"2023-04-27"``); the
  time of day is ignored, and days are calendar days.
* A **purchase** of a group is a calendar day on which the group has at least
  one order: two orders on the same day are one purchase occasion, so a gap
  is always at least one day.
* Missing values in the columns used are refused with a message that names
  the column.

References
----------
.. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
   customers: who are they and what will they do next?", Management Science
   33(1), 1-24, 1987.
.. [2] R. Agrawal, T. Imieliński and A. Swami, "Mining association rules
   between sets of items in large databases", Proceedings of the 1993 ACM
   SIGMOD International Conference on Management of Data, 207-216, 1993.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from coursekit._validate import (
    check_choice,
    check_column_name,
    check_column_names,
    check_date,
    check_date_column,
    check_fraction,
    check_frame,
    check_number,
    check_numeric_column,
    check_positive_int,
)

__all__ = [
    "purchase_intervals",
    "purchase_cycles",
    "overdue",
    "interval_anomalies",
    "category_association",
    "basket_lift",
    "repeat_buying_summary",
]

_NS = "datetime64[ns]"
_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------
def _occasions(orders, keys: list[str], date: str) -> pd.DataFrame:
    """Distinct (group, day) purchase occasions, sorted by group and day, with a RangeIndex.

    The private column ``_group`` numbers the groups 0, 1, ... in sorted order, so that later
    steps group by one integer column instead of re-factorising the key columns.
    """
    check_frame("orders", orders, keys + [date], min_rows=1, no_missing=True)
    if date in keys:
        raise ValueError(f"date must not be one of the grouping columns by={keys!r}, got date={date!r}")
    reserved = sorted(set(keys) & {"_group", "previous_date", "interval_days", "cycle_days", "ratio", "kind"})
    if reserved:
        raise ValueError(
            f"by must not use the column names that the result adds, got {reserved}; rename those columns first"
        )
    occ = orders[keys].copy()
    occ[date] = check_date_column("orders", orders, date)
    occ = occ.drop_duplicates().sort_values(keys + [date], kind="mergesort").reset_index(drop=True)
    new_group = np.zeros(len(occ), dtype=bool)
    new_group[0] = True
    for key in keys:  # a handful of columns, each compared in one vectorised step
        values = occ[key].to_numpy()
        new_group[1:] |= values[1:] != values[:-1]
    occ["_group"] = np.cumsum(new_group) - 1
    return occ


def _with_intervals(occ: pd.DataFrame, date: str) -> pd.DataFrame:
    """Add ``previous_date`` and ``interval_days`` (NaT/NaN for each group's first purchase)."""
    out = occ.copy()
    same = out["_group"].eq(out["_group"].shift(1))
    previous = out[date].shift(1).where(same)
    out.insert(out.columns.get_loc(date), "previous_date", previous)
    out["interval_days"] = (out[date] - previous) / _DAY
    return out


def _group_index(occ: pd.DataFrame, keys: list[str]):
    """Index (or MultiIndex) of the groups of an occasions frame, in the order of ``_group``."""
    firsts = occ.drop_duplicates("_group")[keys]
    if len(keys) == 1:
        return pd.Index(firsts[keys[0]], name=keys[0])
    return pd.MultiIndex.from_frame(firsts)


# --------------------------------------------------------------------------------------------
# intervals and cycles
# --------------------------------------------------------------------------------------------
def purchase_intervals(orders, by=("customer_id",), date="order_date") -> pd.DataFrame:
    r"""Gaps in days between consecutive purchases of each group.

    For a group (a customer, or a customer in one category, ...) with purchase
    days :math:`t_1 < t_2 < \dots < t_n` the intervals are

    .. math:: \Delta_k = t_k - t_{k-1}, \qquad k = 2, \dots, n,

    in whole days.  A purchase is a calendar day with at least one order of the
    group, so :math:`\Delta_k \ge 1`; a group with one purchase has no
    interval and does not appear.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or order line) with the columns in ``by`` and
        ``date``.
    by : str or sequence of str, default ("customer_id",)
        Column(s) that define a group, e.g. ``("customer_id", "category")`` for
        each customer's rhythm in each category.
    date : str, default "order_date"
        Column of order dates (datetime64 or ISO text); the time of day is
        ignored.

    Returns
    -------
    pandas.DataFrame
        One row per interval, sorted by group and date, with the ``by``
        columns, ``previous_date`` (datetime64, the earlier purchase), the
        ``date`` column (the later purchase) and ``interval_days`` (int64,
        days).

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    Two orders of B on 24 January are one purchase:

    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["A", "A", "A", "B", "B", "B", "B", "C"],
    ...     "order_date": pd.to_datetime(["2023-01-01", "2023-01-29", "2023-02-28", "2023-01-10",
    ...                                   "2023-01-17", "2023-01-24", "2023-01-24", "2023-03-01"]),
    ... })
    >>> purchase_intervals(orders)
      customer_id previous_date order_date  interval_days
    0           A    2023-01-01 2023-01-29             28
    1           A    2023-01-29 2023-02-28             30
    2           B    2023-01-10 2023-01-17              7
    3           B    2023-01-17 2023-01-24              7

    On the transactions dataset, per customer and category:

    >>> from coursekit.data import load_orders
    >>> gaps = purchase_intervals(load_orders(), by=("customer_id", "category"))
    >>> len(gaps), float(gaps["interval_days"].median())
    (16773, 42.0)
    """
    keys = check_column_names("by", by)
    date = check_column_name("date", date)
    occ = _with_intervals(_occasions(orders, keys, date), date)
    out = occ[occ["previous_date"].notna()].drop(columns="_group").reset_index(drop=True)
    out["interval_days"] = out["interval_days"].astype("int64")
    return out


def _cycle_stats(intervals: pd.DataFrame, spread: str) -> pd.DataFrame:
    """Median interval and its spread (IQR or MAD) per ``_group`` of an intervals frame."""
    if len(intervals) == 0:  # no group has enough purchases
        return pd.DataFrame({"cycle_days": [], "cycle_spread": []}, dtype=float)
    grouped = intervals.groupby("_group", sort=True)["interval_days"]
    median = grouped.median()
    if spread == "iqr":
        q = grouped.quantile([0.25, 0.75]).unstack()
        spread_values = q[0.75] - q[0.25]
    else:
        deviation = (intervals["interval_days"] - grouped.transform("median")).abs()
        spread_values = deviation.groupby(intervals["_group"], sort=True).median()
    return pd.DataFrame({"cycle_days": median, "cycle_spread": spread_values})


def purchase_cycles(orders, by=("customer_id",), date="order_date", min_purchases=3, spread="iqr") -> pd.DataFrame:
    r"""Each group's own purchase cycle and the date of its next expected purchase.

    With the intervals :math:`\Delta_2, \dots, \Delta_n` of a group (see
    :func:`purchase_intervals`), the cycle is their median and the predicted
    next purchase follows the last one by one cycle:

    .. math:: c = \operatorname{median}(\Delta_2, \dots, \Delta_n), \qquad
              \hat t_{n+1} = t_n + \lfloor c + 1/2 \rfloor \text{ days}.

    The median, unlike the mean, is not pulled up by one long break.  The
    spread is either the interquartile range
    :math:`Q_{0.75} - Q_{0.25}` of the intervals (quantiles by linear
    interpolation, NumPy's default) or the median absolute deviation
    :math:`\operatorname{median}_k |\Delta_k - c|` (unscaled), both in days.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with the columns in ``by`` and ``date``.
    by : str or sequence of str, default ("customer_id",)
        Column(s) that define a group.
    date : str, default "order_date"
        Column of order dates (datetime64 or ISO text).
    min_purchases : int, default 3
        Fewest purchases (distinct days, so ``min_purchases - 1`` intervals)
        for a cycle to be estimated; at least 2.
    spread : {"iqr", "mad"}, default "iqr"
        Measure of how regular the rhythm is.

    Returns
    -------
    pandas.DataFrame
        One row per group (every group of ``orders``, none dropped), indexed by
        the ``by`` column(s) in sorted order, with columns ``n_purchases``
        (int64, distinct purchase days), ``last_purchase`` (datetime64),
        ``cycle_days`` and ``cycle_spread`` (float, days), ``predicted_next``
        (datetime64) and ``reason`` (str).  Groups with fewer than
        ``min_purchases`` purchases get NaN/NaT in the cycle columns and a
        ``reason`` saying why; the others have a missing ``reason``.

    Notes
    -----
    The cycle describes a group while it is active; a customer who has
    stopped buying still has the cycle of the past.  That is what makes
    :func:`overdue` possible.  With only two or three intervals the median is
    a rough estimate: raise ``min_purchases`` for a stricter list.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.
    .. [2] F. R. Hampel, "The influence curve and its role in robust
       estimation", Journal of the American Statistical Association 69(346),
       383-393, 1974.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["A"] * 5 + ["B"] * 4 + ["C"],
    ...     "order_date": pd.to_datetime([
    ...         "2023-01-01", "2023-01-29", "2023-02-28", "2023-03-30", "2023-04-27",
    ...         "2023-01-10", "2023-01-17", "2023-01-24", "2023-01-24", "2023-03-01"]),
    ... })
    >>> cycles = purchase_cycles(orders)
    >>> cycles[["n_purchases", "cycle_days", "cycle_spread", "predicted_next"]]
                 n_purchases  cycle_days  cycle_spread predicted_next
    customer_id
    A                      5        29.0           2.0     2023-05-26
    B                      3         7.0           0.0     2023-01-31
    C                      1         NaN           NaN            NaT
    >>> cycles.loc["C", "reason"]
    'only 1 purchase(s); a cycle needs at least 3'

    On the transactions dataset:

    >>> from coursekit.data import load_orders
    >>> cycles = purchase_cycles(load_orders())
    >>> len(cycles), int(cycles["cycle_days"].notna().sum())
    (5000, 2344)
    >>> float(cycles["cycle_days"].median())
    33.0
    """
    keys = check_column_names("by", by)
    date = check_column_name("date", date)
    min_purchases = check_positive_int("min_purchases", min_purchases)
    if min_purchases < 2:
        raise ValueError(f"min_purchases must be at least 2 (a cycle needs one interval), got {min_purchases}")
    check_choice("spread", spread, ("iqr", "mad"))

    occ = _with_intervals(_occasions(orders, keys, date), date)
    group = occ["_group"].to_numpy()
    n_groups = int(group[-1]) + 1
    sizes = np.bincount(group, minlength=n_groups)
    last_rows = np.cumsum(sizes) - 1  # occasions are sorted by day within each group
    result = pd.DataFrame(
        {"n_purchases": sizes.astype("int64"), "last_purchase": occ[date].to_numpy()[last_rows]},
        index=_group_index(occ, keys),
    )

    eligible = occ[occ["previous_date"].notna() & (sizes[group] >= min_purchases)]
    stats = _cycle_stats(eligible, spread).reindex(np.arange(n_groups))
    result["cycle_days"] = stats["cycle_days"].to_numpy(dtype=float)
    result["cycle_spread"] = stats["cycle_spread"].to_numpy(dtype=float)
    step = pd.to_timedelta(np.floor(result["cycle_days"].to_numpy() + 0.5), unit="D")
    result["predicted_next"] = (result["last_purchase"] + step).astype(_NS)

    short = result["n_purchases"] < min_purchases
    reason = pd.Series(pd.NA, index=result.index, dtype="str")
    reason[short] = (
        "only " + result.loc[short, "n_purchases"].astype(str)
        + f" purchase(s); a cycle needs at least {min_purchases}"
    )
    result["reason"] = reason
    return result


def overdue(cycles, as_of, tolerance=1.5) -> pd.DataFrame:
    r"""Churn early warning: groups silent for longer than ``tolerance`` times their own cycle.

    For a group with cycle :math:`c` (see :func:`purchase_cycles`) and last
    purchase :math:`t_n`, the days since the last purchase and the overdue
    ratio on day ``as_of`` are

    .. math:: s = \text{as\_of} - t_n, \qquad \rho = s / c,

    and the group is listed when :math:`s > \text{tolerance} \cdot c`, i.e.
    :math:`\rho > \text{tolerance}`.  Each group is judged against its own
    rhythm: a weekly shopper silent for a month is alarming, a quarterly buyer
    silent for a month is not.  One fixed cut-off for everybody ("three
    months without an order") cannot tell these apart.

    Parameters
    ----------
    cycles : pandas.DataFrame
        The output of :func:`purchase_cycles` (at least the columns
        ``last_purchase`` and ``cycle_days``).  Groups without a cycle
        (``cycle_days`` NaN) cannot be judged and are left out.
    as_of : str, datetime.date or pandas.Timestamp
        The day of the assessment, on or after every ``last_purchase``.
    tolerance : float, default 1.5
        How many cycles of silence count as overdue; > 0.

    Returns
    -------
    pandas.DataFrame
        The overdue groups, most overdue first (ties keep the order of
        ``cycles``), with the columns of ``cycles`` except ``reason``, plus
        ``days_since_last`` (int64, days) and ``overdue_ratio`` (float,
        :math:`\rho`, in cycles).

    Notes
    -----
    The Dick's Supermarkets case of the course reading R3 times offers to each
    shopper's own purchase cycle; the same record shows when a shopper has
    missed it.  An overdue customer may have churned, may be buying elsewhere,
    or may have had a change in life (the "store that knew" case): the list
    tells whom to look at, not why.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.
    .. [2] W. Reinartz and V. Kumar, "On the profitability of long-life
       customers in a noncontractual setting: an empirical investigation and
       implications for marketing", Journal of Marketing 64(4), 17-35, 2000.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["A"] * 5 + ["B"] * 4 + ["C"],
    ...     "order_date": pd.to_datetime([
    ...         "2023-01-01", "2023-01-29", "2023-02-28", "2023-03-30", "2023-04-27",
    ...         "2023-01-10", "2023-01-17", "2023-01-24", "2023-01-24", "2023-03-01"]),
    ... })
    >>> late = overdue(purchase_cycles(orders), as_of="2023-06-30")
    >>> late[["cycle_days", "days_since_last", "overdue_ratio"]].round(2)
                 cycle_days  days_since_last  overdue_ratio
    customer_id
    B                   7.0              157          22.43
    A                  29.0               64           2.21

    On the transactions dataset, at the end of its window:

    >>> from coursekit.data import load_orders
    >>> late = overdue(purchase_cycles(load_orders()), as_of="2023-12-31")
    >>> len(late)
    1312
    """
    if not isinstance(cycles, pd.DataFrame):
        raise TypeError(
            f"cycles must be a pandas DataFrame (the output of purchase_cycles), got {type(cycles).__name__}"
        )
    absent = [c for c in ("last_purchase", "cycle_days") if c not in cycles.columns]
    if absent:
        raise ValueError(
            f"cycles must have the columns ['last_purchase', 'cycle_days'] (the output of purchase_cycles), "
            f"got {cycles.columns.tolist()}"
        )
    day = check_date("as_of", as_of)
    tolerance = check_number("tolerance", tolerance, low=0.0, low_open=True)
    if np.ndim(tolerance) != 0:
        raise TypeError(f"tolerance must be a single number, got {tolerance!r}")
    if not pd.api.types.is_datetime64_dtype(cycles["last_purchase"].dtype):
        raise TypeError(f"cycles['last_purchase'] must hold datetime64 dates, got {cycles['last_purchase'].dtype}")
    if not pd.api.types.is_numeric_dtype(cycles["cycle_days"].dtype):
        raise TypeError(f"cycles['cycle_days'] must hold numbers, got {cycles['cycle_days'].dtype}")

    known = cycles[cycles["cycle_days"].notna()]
    if known["last_purchase"].isna().any():
        raise ValueError("cycles['last_purchase'] must not be missing where cycle_days is known")
    if (known["cycle_days"] <= 0).any():
        raise ValueError(f"cycles['cycle_days'] must be > 0, got {known['cycle_days'].min():g}")
    latest = known["last_purchase"].max() if len(known) else day
    if latest > day:
        raise ValueError(
            f"as_of must be on or after every last_purchase, got as_of={day.date()} and a last purchase "
            f"on {latest.date()}; compute the cycles from the orders up to as_of"
        )
    days = ((day - known["last_purchase"].dt.normalize()) / _DAY).astype("int64")
    ratio = days / known["cycle_days"]
    out = known.drop(columns=[c for c in ("reason",) if c in known.columns]).copy()
    out["days_since_last"] = days
    out["overdue_ratio"] = ratio.astype(float)
    out = out[out["overdue_ratio"] > tolerance]
    return out.sort_values("overdue_ratio", ascending=False, kind="mergesort")


def interval_anomalies(
    orders, by=("customer_id",), date="order_date", threshold=2.0, min_purchases=4, side="long"
) -> pd.DataFrame:
    r"""Purchases that came after a gap far from the group's usual cycle.

    Each interval :math:`\Delta_k` of a group (see :func:`purchase_intervals`)
    is compared with the group's cycle :math:`c`, the median of all its
    intervals (see :func:`purchase_cycles`):

    .. math:: \text{ratio}_k = \Delta_k / c .

    An interval is a *long* anomaly when :math:`\text{ratio}_k \ge
    \text{threshold}` (a break: the customer stopped, then came back) and a
    *short* anomaly when :math:`\text{ratio}_k \le 1 / \text{threshold}` (a
    burst, e.g. stocking up).  The ratio is used instead of a z-score because
    a very regular buyer has an almost zero spread, which would make every
    small deviation look extreme.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with the columns in ``by`` and ``date``.
    by : str or sequence of str, default ("customer_id",)
        Column(s) that define a group, e.g. ``("customer_id", "category")``.
    date : str, default "order_date"
        Column of order dates (datetime64 or ISO text).
    threshold : float, default 2.0
        How many times longer (or shorter) than the cycle a gap must be; > 1.
    min_purchases : int, default 4
        Fewest purchases for a group to be assessed (at least 3, so that the
        median of at least two intervals is the reference).
    side : {"long", "short", "both"}, default "long"
        Which anomalies to return: breaks (the usual question), bursts, or
        both.

    Returns
    -------
    pandas.DataFrame
        One row per anomalous interval, the most extreme first (by
        :math:`\max(\text{ratio}, 1/\text{ratio})`, ties by group and date),
        with the ``by`` columns, ``previous_date``, the ``date`` column,
        ``interval_days`` (int64), ``cycle_days`` (float), ``ratio`` (float)
        and ``kind`` (``"long"`` or ``"short"``).

    Notes
    -----
    The median includes the interval being judged, so with few intervals a
    single long break raises its own reference; ``min_purchases`` guards
    against that.  An ongoing silence (no purchase yet) is not an interval:
    use :func:`overdue` for it.

    References
    ----------
    .. [1] F. R. Hampel, "The influence curve and its role in robust
       estimation", Journal of the American Statistical Association 69(346),
       383-393, 1974.
    .. [2] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    A buyer of sanitary products every four weeks stops for about nine months:

    >>> import pandas as pd
    >>> days = [0, 28, 56, 84, 112, 140, 420, 448, 476]
    >>> orders = pd.DataFrame({
    ...     "customer_id": "M",
    ...     "order_date": pd.Timestamp("2023-01-05") + pd.to_timedelta(days, unit="D"),
    ... })
    >>> interval_anomalies(orders)
      customer_id previous_date order_date  interval_days  cycle_days  ratio  kind
    0           M    2023-05-25 2024-02-29            280        28.0   10.0  long

    On the transactions dataset, breaks of at least three cycles:

    >>> from coursekit.data import load_orders
    >>> orders = load_orders()
    >>> found = interval_anomalies(orders, threshold=3)
    >>> len(found), found["customer_id"].nunique()
    (2362, 1047)
    >>> found.loc[[0], ["customer_id", "previous_date", "order_date", "interval_days", "cycle_days"]]
      customer_id previous_date order_date  interval_days  cycle_days
    0      C00454    2021-11-25 2023-08-08            621         9.0

    Orders there arrive as a Poisson process, whose gaps are often very short,
    so per customer and category bursts outnumber breaks:

    >>> found = interval_anomalies(orders, by=("customer_id", "category"), threshold=3, side="both")
    >>> found["kind"].value_counts().to_dict()
    {'short': 2384, 'long': 1449}
    """
    keys = check_column_names("by", by)
    date = check_column_name("date", date)
    threshold = check_number("threshold", threshold, low=1.0, low_open=True)
    if np.ndim(threshold) != 0:
        raise TypeError(f"threshold must be a single number, got {threshold!r}")
    min_purchases = check_positive_int("min_purchases", min_purchases)
    if min_purchases < 3:
        raise ValueError(
            f"min_purchases must be at least 3 (the reference is the median of at least two intervals), "
            f"got {min_purchases}"
        )
    check_choice("side", side, ("both", "long", "short"))

    occ = _with_intervals(_occasions(orders, keys, date), date)
    sizes = np.bincount(occ["_group"].to_numpy())
    gaps = occ[occ["previous_date"].notna() & (sizes[occ["_group"].to_numpy()] >= min_purchases)].copy()
    gaps["cycle_days"] = gaps.groupby("_group", sort=False)["interval_days"].transform("median")
    gaps = gaps.drop(columns="_group")
    gaps["ratio"] = gaps["interval_days"] / gaps["cycle_days"]
    long = gaps["ratio"] >= threshold
    short = gaps["ratio"] <= 1.0 / threshold
    keep = {"both": long | short, "long": long, "short": short}[side]
    out = gaps[keep].copy()
    out["kind"] = pd.Series(np.where(long[keep], "long", "short"), index=out.index, dtype="str")
    out["interval_days"] = out["interval_days"].astype("int64")
    fold = np.maximum(out["ratio"], 1.0 / out["ratio"])
    order = np.lexsort((out.index.to_numpy(), -fold.to_numpy()))
    return out.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# associations between categories
# --------------------------------------------------------------------------------------------
def category_association(
    orders,
    period="MS",
    category="category",
    date="order_date",
    amount="amount",
    transform="level",
    method="pearson",
) -> pd.DataFrame:
    r"""Correlation of period sales between every pair of categories.

    Sales of category :math:`a` in period :math:`p` are
    :math:`S_{a,p} = \sum_{o \in a, p} \text{amount}_o` (or the number of
    orders when ``amount`` is None); periods without sales count as 0.  For
    each pair :math:`(a, b)` the result is the correlation across periods

    .. math:: \rho_{ab} = \operatorname{corr}_p(X_{a,p}, X_{b,p}),

    where :math:`X = S` (``transform="level"``) or the change from the
    previous period, :math:`X_{a,p} = S_{a,p} - S_{a,p-1}`
    (``transform="diff"``).

    A positive :math:`\rho_{ab}` says that A's sales and B's sales rise and
    fall together.  Levels of two growing series are correlated even when
    nothing links them (both follow the growth of the customer base); the
    differences remove such a shared trend and are the fairer test.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with the columns ``category``, ``date`` and
        ``amount``.
    period : str, default "MS"
        A pandas frequency alias for the periods, e.g. ``"MS"`` (calendar
        months), ``"W"`` (weeks ending on Sunday), ``"QS"`` (quarters).
    category : str, default "category"
        Column of the categories (or products) to compare.
    date : str, default "order_date"
        Column of order dates (datetime64 or ISO text).
    amount : str or None, default "amount"
        Column of order values (finite numbers); None counts orders instead.
    transform : {"level", "diff"}, default "level"
        Correlate the period sales themselves or their period-to-period
        changes.
    method : {"pearson", "spearman"}, default "pearson"
        Pearson's linear correlation or Spearman's rank correlation.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair of categories that occur in ``orders``,
        sorted by ``correlation`` (highest first, NaN last), with columns
        ``category_a``, ``category_b``, ``correlation`` (dimensionless, in
        [-1, 1]; NaN when a category's sales do not vary) and ``n_periods``
        (int64, the number of values correlated).

    Notes
    -----
    The first and last periods may be incomplete (the data may start or end
    mid-month); drop them from ``orders`` for a cleaner comparison.

    References
    ----------
    .. [1] K. Pearson, "Notes on regression and inheritance in the case of two
       parents", Proceedings of the Royal Society of London 58, 240-242, 1895.
    .. [2] G. U. Yule, "Why do we sometimes get nonsense-correlations between
       time-series? A study in sampling and the nature of time-series",
       Journal of the Royal Statistical Society 89(1), 1-63, 1926.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_date": pd.to_datetime(["2023-01-05", "2023-01-09", "2023-02-11", "2023-02-12",
    ...                                   "2023-03-02", "2023-03-20", "2023-01-15", "2023-03-08"]),
    ...     "category": ["baby", "diapers", "baby", "diapers", "baby", "diapers", "pet", "pet"],
    ...     "amount": [10.0, 20.0, 30.0, 40.0, 20.0, 30.0, 5.0, 5.0],
    ... })
    >>> category_association(orders).round(3)
      category_a category_b  correlation  n_periods
    0       baby    diapers        1.000          3
    1       baby        pet       -0.866          3
    2    diapers        pet       -0.866          3

    The monthly sales of the transactions dataset all grow with the customer
    base; their changes are far less correlated than their levels:

    >>> from coursekit.data import load_orders
    >>> orders = load_orders()
    >>> levels = category_association(orders)
    >>> changes = category_association(orders, transform="diff")
    >>> round(float(levels["correlation"].mean()), 3), round(float(changes["correlation"].mean()), 3)
    (0.955, 0.052)
    """
    category = check_column_name("category", category)
    date = check_column_name("date", date)
    if amount is not None:
        amount = check_column_name("amount", amount)
    if not isinstance(period, str) or period == "":
        raise TypeError(f"period must be a pandas frequency alias such as 'MS' or 'W', got {period!r}")
    try:
        offset = pd.tseries.frequencies.to_offset(period)
    except ValueError as err:
        raise ValueError(
            f"period must be a pandas frequency alias such as 'MS' or 'W', got {period!r}: {err}"
        ) from None
    check_choice("transform", transform, ("level", "diff"))
    check_choice("method", method, ("pearson", "spearman"))
    columns = [category, date] + ([amount] if amount is not None else [])
    check_frame("orders", orders, columns, min_rows=1, no_missing=True)

    frame = pd.DataFrame({"_day": check_date_column("orders", orders, date), "_cat": orders[category]})
    frame["_value"] = 1.0 if amount is None else check_numeric_column("orders", orders, amount, nonnegative=False)
    sales = frame.groupby([pd.Grouper(key="_day", freq=offset), "_cat"], observed=True)["_value"].sum()
    wide = sales.unstack("_cat", fill_value=0.0)
    full = pd.date_range(wide.index.min(), wide.index.max(), freq=offset)
    wide = wide.reindex(full, fill_value=0.0)
    if wide.shape[1] < 2:
        raise ValueError(f"orders[{category!r}] must hold at least two categories to compare, got {wide.shape[1]}")
    if transform == "diff":
        wide = wide.diff().iloc[1:]
    n_periods = len(wide)
    if n_periods < 3:
        raise ValueError(
            f"a correlation needs at least 3 {'changes' if transform == 'diff' else 'periods'}, got {n_periods} "
            f"with period={period!r}; choose a shorter period or give more data"
        )
    corr = wide.astype(float).corr(method=method).to_numpy()
    names = wide.columns
    i, j = np.triu_indices(len(names), k=1)
    out = pd.DataFrame(
        {
            "category_a": names.take(i),
            "category_b": names.take(j),
            "correlation": corr[i, j],
            "n_periods": np.full(i.size, n_periods, dtype="int64"),
        }
    )
    rho = out["correlation"].to_numpy()
    order = np.lexsort((j, i, -np.nan_to_num(rho, nan=0.0), np.isnan(rho)))
    return out.iloc[order].reset_index(drop=True)


def basket_lift(orders, basket="order_id", item="category", min_support=0.0, min_confidence=0.0) -> pd.DataFrame:
    r"""Support, confidence and lift of the rules "basket has A → basket has B".

    With :math:`N` baskets, of which :math:`n_A` contain item A, :math:`n_B`
    contain B and :math:`n_{AB}` contain both,

    .. math::
        \text{support}(A \Rightarrow B) = \frac{n_{AB}}{N}, \qquad
        \text{confidence}(A \Rightarrow B) = \frac{n_{AB}}{n_A}, \qquad
        \text{lift}(A \Rightarrow B) = \frac{n_{AB} \, N}{n_A \, n_B}.

    Confidence is the share of A-baskets that also hold B; lift compares it
    with B's share of all baskets, so lift 1 means A tells nothing about B,
    lift above 1 that they go together and below 1 that they tend to exclude
    each other.  Lift is symmetric, confidence is not.

    All pairs are counted at once: the baskets form a sparse boolean matrix
    :math:`X` (baskets × items), and :math:`X^\top X` holds every
    :math:`n_{AB}` (off the diagonal) and every :math:`n_A` (on it).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order or order line, with the ``basket`` and ``item``
        columns.
    basket : str or sequence of str, default "order_id"
        Column(s) that identify a basket.  When each order holds a single
        category (as in the transactions dataset), ``"customer_id"`` makes
        each customer's whole history one basket, and
        ``("customer_id", "order_date")`` each customer-day one basket.  Such
        baskets mostly hold a single item, which pushes every lift below 1:
        compare lifts with each other, not with 1, in that case.
    item : str, default "category"
        Column of the items (categories or products).
    min_support : float, default 0.0
        Smallest support of a pair to list, in [0, 1].
    min_confidence : float, default 0.0
        Smallest confidence of a rule to list, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (A, B), A ≠ B, bought together in at least one
        basket and passing both thresholds, sorted by ``lift`` (highest first),
        then ``support`` (highest first), then item order.  Columns:
        ``antecedent``, ``consequent``, ``n_baskets`` (int64, :math:`n_{AB}`),
        ``antecedent_support`` (:math:`n_A / N`), ``consequent_support``
        (:math:`n_B / N`), ``support``, ``confidence`` and ``lift`` (floats,
        dimensionless).  Pairs never bought together (lift 0) are not listed.

    References
    ----------
    .. [1] R. Agrawal, T. Imieliński and A. Swami, "Mining association rules
       between sets of items in large databases", Proceedings of the 1993 ACM
       SIGMOD International Conference on Management of Data, 207-216, 1993.
    .. [2] S. Brin, R. Motwani, J. D. Ullman and S. Tsur, "Dynamic itemset
       counting and implication rules for market basket data", Proceedings of
       the 1997 ACM SIGMOD International Conference on Management of Data,
       255-264, 1997.

    Examples
    --------
    Four baskets; diapers are in both baby baskets:

    >>> import pandas as pd
    >>> lines = pd.DataFrame({
    ...     "order_id": ["o1", "o1", "o2", "o2", "o3", "o4", "o4"],
    ...     "category": ["baby", "diapers", "baby", "diapers", "pet", "diapers", "pet"],
    ... })
    >>> rules = basket_lift(lines)
    >>> rules[["antecedent", "consequent", "n_baskets", "support", "confidence", "lift"]].round(3)
      antecedent consequent  n_baskets  support  confidence   lift
    0       baby    diapers          2     0.50       1.000  1.333
    1    diapers       baby          2     0.50       0.667  1.333
    2    diapers        pet          1     0.25       0.333  0.667
    3        pet    diapers          1     0.25       0.500  0.667

    Each order of the transactions dataset holds one category, so baskets by
    ``order_id`` hold no pairs.  Taking each customer's whole history as a
    basket shows which categories the same customers buy:

    >>> from coursekit.data import load_orders
    >>> rules = basket_lift(load_orders(), basket="customer_id")
    >>> first = rules.iloc[0]
    >>> first["antecedent"], first["consequent"], int(first["n_baskets"])
    ('personal_care', 'beauty', 635)
    >>> round(float(rules["lift"].min()), 3), round(float(rules["lift"].max()), 3)
    (0.978, 1.089)
    """
    keys = check_column_names("basket", basket)
    item = check_column_name("item", item)
    if item in keys:
        raise ValueError(f"item must not be one of the basket columns {keys!r}, got item={item!r}")
    min_support = check_fraction("min_support", min_support, allow_one=True)
    min_confidence = check_fraction("min_confidence", min_confidence, allow_one=True)
    for name, value in (("min_support", min_support), ("min_confidence", min_confidence)):
        if np.ndim(value) != 0:
            raise TypeError(f"{name} must be a single number, got {value!r}")
    check_frame("orders", orders, keys + [item], min_rows=1, no_missing=True)

    basket_code = orders.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    item_code, items = pd.factorize(orders[item], sort=True)
    n_baskets = int(basket_code.max()) + 1
    n_items = len(items)
    x = sparse.csr_matrix(
        (np.ones(basket_code.size, dtype=np.int64), (basket_code, item_code)), shape=(n_baskets, n_items)
    )
    x.sum_duplicates()
    x.data[:] = 1  # presence, not quantity
    co = (x.T @ x).tocoo()
    n_item = np.asarray(x.sum(axis=0)).ravel().astype(float)
    off = co.row != co.col
    a, b, n_ab = co.row[off], co.col[off], co.data[off].astype(np.int64)
    support = n_ab / n_baskets
    confidence = n_ab / n_item[a]
    out = pd.DataFrame(
        {
            "antecedent": items.take(a),
            "consequent": items.take(b),
            "n_baskets": n_ab,
            "antecedent_support": n_item[a] / n_baskets,
            "consequent_support": n_item[b] / n_baskets,
            "support": support,
            "confidence": confidence,
            "lift": n_ab * float(n_baskets) / (n_item[a] * n_item[b]),  # symmetric in a and b
        }
    )
    keep = (support >= min_support) & (confidence >= min_confidence)
    out = out[keep]
    order = np.lexsort((b[keep], a[keep], -out["support"].to_numpy(), -out["lift"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def repeat_buying_summary(transactions, calibration_end, observation_end=None, *, by="customer_id", date="date",
                          amount=None, unit_days=7.0) -> pd.DataFrame:
    """Summarise a purchase log for the repeat-buying models: one row per customer.

    Purchases on the same day are one purchase (their amounts added).  Each customer's first
    purchase starts its clock; within the calibration period (up to and including
    ``calibration_end``) the summary holds, in units of ``unit_days`` days:

    * ``frequency`` -- repeat purchases (purchase days after the first);
    * ``recency`` -- time from the first purchase to the last repeat purchase (0 if none);
    * ``T`` -- time from the first purchase to ``calibration_end``;
    * ``monetary_value`` (if ``amount`` is given) -- the average amount of the repeat purchases
      (NaN if none);

    and, if ``observation_end`` is given, ``holdout_frequency`` (purchases after
    ``calibration_end`` up to ``observation_end``) and ``holdout_length`` (that period's length).
    Customers whose first purchase is after ``calibration_end`` are left out.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase (or purchase line): the customer column ``by`` and the date column
        ``date`` (and ``amount`` if given), no missing values.
    calibration_end, observation_end : str, datetime.date or pandas.Timestamp
        Last day of the calibration period and (optional) of the holdout period.
    by, date : str
        Column names of the customer and the day.
    amount : str, optional
        Column of the amounts.
    unit_days : float, default 7
        Days per unit of time (7: weeks; 365.25 / 12: months).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer.

    Raises
    ------
    ValueError, TypeError
        For a missing column, missing values, dates out of order or ``unit_days`` <= 0.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting Your Customers' the Easy Way",
       Marketing Science 24(2), 275-284, 2005 (the summary (x, t_x, T) of the BG/NBD).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-03-01", "2024-02-01"])})
    >>> repeat_buying_summary(log, "2024-02-29", "2024-03-31").round(2)
                 frequency  recency     T  holdout_frequency  holdout_length
    customer_id
    A                  1.0      2.0  8.43                1.0            4.43
    B                  0.0      0.0  4.00                0.0            4.43
    """
    by, date = check_column_name("by", by), check_column_name("date", date)
    columns = [by, date] + ([check_column_name("amount", amount)] if amount is not None else [])
    frame = check_frame("transactions", transactions, columns, min_rows=1, no_missing=True)
    days_per_unit = check_number("unit_days", unit_days, low=0, low_open=True)
    cal = check_date("calibration_end", calibration_end, whole_day=True)
    end = None if observation_end is None else check_date("observation_end", observation_end, whole_day=True)
    if end is not None and end < cal:
        raise ValueError(f"observation_end ({end.date()}) must not be before calibration_end ({cal.date()})")
    day = check_date_column("transactions", frame, date).dt.normalize()
    log = frame.assign(**{date: day})
    if amount is None:
        log = log[[by, date]].drop_duplicates().sort_values([by, date], kind="stable")
    else:
        log = log.groupby([by, date], as_index=False, sort=True, observed=True)[amount].sum()
    first = log.groupby(by, observed=True)[date].transform("min")
    log, first = log[first <= cal], first[first <= cal]
    in_cal = log[date] <= cal
    repeat = in_cal & (log.groupby(by, observed=True).cumcount() > 0)
    elapsed = (log[date] - first).dt.days / days_per_unit
    group = log[by]
    summary = pd.DataFrame({
        "frequency": repeat.groupby(group, observed=True).sum().astype(float),
        "recency": elapsed.where(repeat).groupby(group, observed=True).max().fillna(0.0),
        "T": (cal - first.groupby(group, observed=True).first()).dt.days / days_per_unit,
    })
    if amount is not None:
        summary["monetary_value"] = log[amount].where(repeat).groupby(group, observed=True).mean()
    if end is not None:
        summary["holdout_frequency"] = ((~in_cal) & (log[date] <= end)).groupby(group, observed=True).sum().astype(float)
        summary["holdout_length"] = (end - cal).days / days_per_unit
    summary.index.name = by
    return summary
