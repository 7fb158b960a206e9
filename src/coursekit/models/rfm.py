r"""RFM analysis and share of wallet: who the core customers are.

RFM (recency, frequency, monetary value) summarises each customer's order
history by three numbers and scores them, so that a database of thousands of
customers can be sorted into a handful of groups that call for different
treatment ("different customers, different service levels"):

* :func:`rfm_table` -- days since the last order (recency, R), number of orders
  (frequency, F) and total spend (monetary value, M) of each customer on a
  given day;
* :func:`rfm_scores` -- R, F and M scores from 1 to ``bins`` by quantiles
  (quintiles by default), the classic three-digit RFM cell such as ``"545"``;
* :func:`rfm_segment` and :func:`segment_rules` -- a named segment per
  customer (Champions, Loyal customers, At risk, ...) from a small rule table;
* :func:`share_of_wallet` -- the share of a customer's spending in a category
  that the firm captures (客户占有率), the second of the readings' questions
  for finding core customers ("who gives you the largest share of their
  purchases?").

Share of wallet lives here, next to RFM, because both describe a customer's
value to the firm; :mod:`coursekit.models.roi` is about the value of a database
project as a whole.

References
----------
.. [1] A. M. Hughes, Strategic Database Marketing, Probus Publishing, Chicago,
   1994.
.. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
   iso-value curves for customer base analysis", Journal of Marketing Research
   42(4), 415-430, 2005.
.. [3] R.-S. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer
   wallet", Journal of Marketing 71(2), 94-113, 2007.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import (
    as_output,
    check_choice,
    check_column_name,
    check_date,
    check_date_column,
    check_frame,
    check_number,
    check_numeric_column,
    check_positive_int,
)

_DAY = pd.Timedelta(days=1)

__all__ = ["rfm_table", "rfm_scores", "segment_rules", "rfm_segment", "share_of_wallet", "SEGMENTS"]

# One rule per segment: (name, lowest R, highest R, lowest FM, highest FM (exclusive), description).
# FM = (F + M) / 2 on 5-point scores.  The rules partition the grid R in 1..5 x FM in [1, 5].
_RULES = (
    ("Champions", 4, 5, 4.0, 5.5,
     "bought recently, buy often and spend the most: reward them, ask for reviews and referrals"),
    ("Potential loyalists", 4, 5, 2.0, 4.0,
     "recent customers with average frequency and spend: offer membership or a loyalty programme"),
    ("New customers", 4, 5, 1.0, 2.0,
     "bought recently but rarely and little: welcome them and help them to a second purchase"),
    ("Loyal customers", 3, 3, 3.0, 5.5,
     "frequent, high spenders whose last order is a while ago: keep them engaged, up-sell"),
    ("Need attention", 3, 3, 1.0, 3.0,
     "middling recency, low frequency and spend: a limited-time offer or a reminder"),
    ("Can't lose them", 1, 2, 4.0, 5.5,
     "were among the best customers but have not bought for long: win them back personally"),
    ("At risk", 1, 2, 3.0, 4.0,
     "used to buy fairly often and much, silent for long: a personal reactivation offer"),
    ("Hibernating", 2, 2, 1.0, 3.0,
     "long silent, few small orders: a low-cost reminder; do not overspend"),
    ("Lost", 1, 1, 1.0, 3.0,
     "longest silent, few small orders: little to invest; learn why they left"),
)

#: Names of the RFM segments, in the order of the rule table (best first within each recency band).
SEGMENTS = tuple(rule[0] for rule in _RULES)


def rfm_table(orders, as_of, customer="customer_id", date="order_date", amount="amount", order=None) -> pd.DataFrame:
    r"""Recency, frequency and monetary value of each customer on day ``as_of``.

    For customer :math:`i` with orders :math:`o` on days :math:`t_o` and of
    amounts :math:`a_o`:

    .. math::
        R_i = \text{as\_of} - \max_o t_o \ \text{(days)}, \qquad
        F_i = \#\{o\}, \qquad
        M_i = \sum_o a_o .

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or per order line, see ``order``), with the
        columns ``customer``, ``date`` and ``amount``; every order must be on
        or before ``as_of`` (select ``orders[orders[date] <= as_of]`` to look
        back in time).
    as_of : str, datetime.date or pandas.Timestamp
        Day of the analysis (usually the last day of the data).
    customer : str, default "customer_id"
        Column identifying the customer.
    date : str, default "order_date"
        Column of order dates (datetime64 or ISO text); the time of day is
        ignored.
    amount : str, default "amount"
        Column of order values, finite and >= 0, in currency units.
    order : str, optional
        Column of order ids, for a table of order *lines* (several rows per
        order, like the orders table of the course database): frequency then
        counts distinct orders and monetary adds up the lines.  By default
        every row is one order.

    Returns
    -------
    pandas.DataFrame
        One row per customer, indexed by ``customer`` in sorted order, with
        columns ``recency_days`` (int64, days, 0 = bought on ``as_of``),
        ``frequency`` (int64, orders) and ``monetary`` (float, total spend in
        the units of ``amount``).

    Notes
    -----
    Frequency counts orders, so two orders on one day count twice;
    :func:`coursekit.models.purchases.purchase_cycles` counts purchase days instead.
    Monetary value is the total, as in Hughes (1994); Fader, Hardie and Lee
    (2005) use the average order value, which is ``monetary / frequency``.

    References
    ----------
    .. [1] A. M. Hughes, Strategic Database Marketing, Probus Publishing,
       Chicago, 1994.
    .. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
       iso-value curves for customer base analysis", Journal of Marketing
       Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["A", "B", "A", "C", "A", "B"],
    ...     "order_date": pd.to_datetime(["2023-01-05", "2023-02-01", "2023-03-10",
    ...                                   "2023-03-15", "2023-06-20", "2023-06-28"]),
    ...     "amount": [20.0, 55.0, 35.0, 12.5, 40.0, 60.0],
    ... })
    >>> rfm_table(orders, as_of="2023-06-30")
                 recency_days  frequency  monetary
    customer_id
    A                      10          3      95.0
    B                       2          2     115.0
    C                     107          1      12.5

    Order lines: B's two lines belong to one order.

    >>> lines = pd.DataFrame({"order_id": ["o1", "o2", "o2"], "customer_id": ["A", "B", "B"],
    ...                       "order_date": ["2023-06-01", "2023-06-20", "2023-06-20"],
    ...                       "amount": [10.0, 4.0, 6.0]})
    >>> rfm_table(lines, "2023-06-30", order="order_id")
                 recency_days  frequency  monetary
    customer_id
    A                      29          1      10.0
    B                      10          1      10.0

    On the transactions dataset, on the last day of its window:

    >>> from coursekit.data import load_orders
    >>> table = rfm_table(load_orders(), as_of="2023-12-31")
    >>> len(table), int(table["frequency"].sum()), round(float(table["monetary"].sum()), 2)
    (5000, 27125, 1174287.78)
    >>> float(table["recency_days"].median())
    151.0
    """
    customer = check_column_name("customer", customer)
    date = check_column_name("date", date)
    amount = check_column_name("amount", amount)
    columns = [customer, date, amount]
    if order is not None:
        columns.append(check_column_name("order", order))
    if len(set(columns)) != len(columns):
        raise ValueError(f"customer, date, amount (and order) must be different columns, got {columns!r}")
    day = check_date("as_of", as_of)
    check_frame("orders", orders, columns, min_rows=1, no_missing=True)
    days = check_date_column("orders", orders, date)
    values = check_numeric_column("orders", orders, amount, nonnegative=True)
    late = days > day
    if late.any():
        raise ValueError(
            f"orders must all be on or before as_of={day.date()}, got {int(late.sum())} later order(s), the last "
            f"on {days.max().date()}; select orders[orders[{date!r}] <= as_of] or choose a later as_of"
        )
    frame = pd.DataFrame({customer: orders[customer].to_numpy(), "_day": days.to_numpy(), "_amount": values.to_numpy()})
    grouped = frame.groupby(customer, sort=True, observed=True)
    last = grouped["_day"].max()
    if order is None:
        frequency = grouped.size()
    else:
        pairs = pd.DataFrame({customer: frame[customer], "_order": orders[order].to_numpy()}).drop_duplicates()
        frequency = pairs.groupby(customer, sort=True, observed=True).size()
    table = pd.DataFrame(
        {
            "recency_days": ((day - last) / _DAY).astype("int64"),
            "frequency": frequency.astype("int64"),
            "monetary": grouped["_amount"].sum().astype(float),
        }
    )
    table.index.name = customer
    return table


def _scores(values: pd.Series, bins: int, ties: str, ascending: bool) -> np.ndarray:
    """Quantile scores 1..bins: ``ceil(rank * bins / n)`` in exact integer arithmetic."""
    n = len(values)
    ranks = values.rank(method=ties, ascending=ascending).to_numpy()
    twice = np.rint(2.0 * ranks).astype(np.int64)  # average ranks are multiples of 1/2
    return (twice * bins + 2 * n - 1) // (2 * n)


def rfm_scores(
    table, bins=5, ties="first", recency="recency_days", frequency="frequency", monetary="monetary"
) -> pd.DataFrame:
    r"""R, F and M scores from 1 to ``bins`` by quantiles (quintiles by default).

    Each measure is ranked over the :math:`n` customers, :math:`1 \le
    \text{rank}_i \le n`, and the rank is cut into ``bins`` groups of equal
    size:

    .. math:: \text{score}_i = \left\lceil \text{rank}_i \cdot \text{bins} / n \right\rceil
              \in \{1, \dots, \text{bins}\}.

    Frequency and monetary value are ranked from the smallest up (more orders,
    more spend = higher score); recency is ranked from the *largest* up, so
    that the most recent buyers (fewest days) get the highest R score.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`rfm_table` (or any frame with the three columns
        named below), one row per customer, no missing values.
    bins : int, default 5
        Number of score levels, from 2 to 9 (single digits keep the
        three-digit cell code unambiguous).
    ties : {"first", "average"}, default "first"
        How equal values are ranked.  ``"first"`` gives tied customers
        consecutive ranks in the order of ``table`` (for the output of
        :func:`rfm_table`, by customer id), so the groups have equal sizes
        (differing by at most one) and the result is deterministic, but equal
        customers may get different scores.  ``"average"`` gives tied
        customers their average rank and therefore the same score; the groups
        are then unequal.
    recency, frequency, monetary : str
        Column names of the three measures.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table``, with the int64 columns ``R``, ``F`` and ``M``
        and ``rfm_cell`` (str, the three scores written together, e.g.
        ``"545"``).

    Notes
    -----
    Frequency is heavily tied (many customers have exactly one order), so
    with ``ties="first"`` the F score of a one-order customer depends on its
    place in the table.  Quantile scores are relative: the same customer can
    move to another quintile when other customers change.

    References
    ----------
    .. [1] A. M. Hughes, Strategic Database Marketing, Probus Publishing,
       Chicago, 1994.
    .. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
       iso-value curves for customer base analysis", Journal of Marketing
       Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"recency_days": [5, 40, 200, 5, 90], "frequency": [9, 3, 1, 1, 3],
    ...      "monetary": [450.0, 90.0, 20.0, 35.0, 150.0]},
    ...     index=pd.Index(["A", "B", "C", "D", "E"], name="customer_id"))
    >>> rfm_scores(table)
                 R  F  M rfm_cell
    customer_id
    A            4  5  5      455
    B            3  3  3      333
    C            1  1  1      111
    D            5  2  2      522
    E            2  4  4      244
    >>> rfm_scores(table, ties="average")[["R", "F"]]
                 R  F
    customer_id
    A            5  5
    B            3  4
    C            1  2
    D            5  2
    E            2  4

    Quintiles of the transactions dataset:

    >>> from coursekit.data import load_orders
    >>> scores = rfm_scores(rfm_table(load_orders(), as_of="2023-12-31"))
    >>> scores["R"].value_counts().sort_index().tolist()
    [1000, 1000, 1000, 1000, 1000]
    >>> scores["rfm_cell"].value_counts().head(3).to_dict()
    {'555': 327, '111': 239, '321': 207}
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (the output of rfm_table), got {type(table).__name__}")
    named = (("recency", recency), ("frequency", frequency), ("monetary", monetary))
    columns = [check_column_name(n, v) for n, v in named]
    bins = check_positive_int("bins", bins)
    if not 2 <= bins <= 9:
        raise ValueError(f"bins must be between 2 and 9 (single-digit scores), got {bins}")
    check_choice("ties", ties, ("first", "average"))
    check_frame("table", table, columns, min_rows=1, no_missing=True)
    measures = {c: check_numeric_column("table", table, c, nonnegative=True) for c in columns}
    result = pd.DataFrame(
        {
            "R": _scores(measures[columns[0]], bins, ties, ascending=False),
            "F": _scores(measures[columns[1]], bins, ties, ascending=True),
            "M": _scores(measures[columns[2]], bins, ties, ascending=True),
        },
        index=table.index,
    )
    result["rfm_cell"] = (
        result["R"].astype(str) + result["F"].astype(str) + result["M"].astype(str)
    ).astype("str")
    return result


def segment_rules() -> pd.DataFrame:
    r"""The rule table that :func:`rfm_segment` applies, for display.

    Segments are defined on 5-point scores by the R score and the mean of the
    F and M scores, :math:`FM = (F + M) / 2`.  Each customer belongs to exactly
    one segment: the rules split the grid :math:`R \in \{1..5\}` ×
    :math:`FM \in [1, 5]` without gaps or overlaps.

    ====================  =====  ==============  ===================================
    segment               R      FM              reading
    ====================  =====  ==============  ===================================
    Champions             4-5    4 ≤ FM          recent, frequent, big spenders
    Potential loyalists   4-5    2 ≤ FM < 4      recent, average frequency/spend
    New customers         4-5    FM < 2          recent, one or two small orders
    Loyal customers       3      3 ≤ FM          frequent, big spenders, less recent
    Need attention        3      FM < 3          middling on every count
    Can't lose them       1-2    4 ≤ FM          were the best, long silent
    At risk               1-2    3 ≤ FM < 4      were good, long silent
    Hibernating           2      FM < 3          long silent, small
    Lost                  1      FM < 3          longest silent, small
    ====================  =====  ==============  ===================================

    The segment names follow common industry practice; the thresholds are
    this course's choice, not a published standard.

    Returns
    -------
    pandas.DataFrame
        One row per segment, in the order above, with columns ``segment``,
        ``r_min``, ``r_max`` (int, R scores included), ``fm_min``, ``fm_max``
        (float, ``fm_min <= FM < fm_max``) and ``description`` (str, who they
        are and a suggested action).

    References
    ----------
    .. [1] A. M. Hughes, Strategic Database Marketing, Probus Publishing,
       Chicago, 1994.

    Examples
    --------
    >>> rules = segment_rules()
    >>> rules[["segment", "r_min", "r_max", "fm_min", "fm_max"]]
                   segment  r_min  r_max  fm_min  fm_max
    0            Champions      4      5     4.0     5.5
    1  Potential loyalists      4      5     2.0     4.0
    2        New customers      4      5     1.0     2.0
    3      Loyal customers      3      3     3.0     5.5
    4       Need attention      3      3     1.0     3.0
    5      Can't lose them      1      2     4.0     5.5
    6              At risk      1      2     3.0     4.0
    7          Hibernating      2      2     1.0     3.0
    8                 Lost      1      1     1.0     3.0
    """
    return pd.DataFrame(
        list(_RULES), columns=["segment", "r_min", "r_max", "fm_min", "fm_max", "description"]
    ).astype({"segment": "str", "description": "str"})


def rfm_segment(scores, r="R", f="F", m="M") -> pd.Series:
    r"""A named segment for each customer from 5-point R, F and M scores.

    With :math:`FM = (F + M) / 2`, each customer gets the one segment of
    :func:`segment_rules` whose ranges contain its R and FM.

    Parameters
    ----------
    scores : pandas.DataFrame
        The output of :func:`rfm_scores` with ``bins=5`` (or any frame with
        integer scores 1..5 in the columns named below).
    r, f, m : str, default "R", "F", "M"
        Column names of the three scores.

    Returns
    -------
    pandas.Series
        Categorical segment names (categories in the order of
        :data:`SEGMENTS`), indexed like ``scores``, named ``"segment"``.

    References
    ----------
    .. [1] A. M. Hughes, Strategic Database Marketing, Probus Publishing,
       Chicago, 1994.
    .. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
       iso-value curves for customer base analysis", Journal of Marketing
       Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"R": [5, 5, 3, 1, 2, 1], "F": [5, 1, 4, 5, 2, 1], "M": [4, 2, 3, 5, 3, 2]},
    ...                       index=list("ABCDEF"))
    >>> rfm_segment(scores)
    A          Champions
    B      New customers
    C    Loyal customers
    D    Can't lose them
    E        Hibernating
    F               Lost
    Name: segment, dtype: category
    Categories (9, str): ['Champions', 'Potential loyalists', 'New customers', 'Loyal customers', ...,
                          'Can't lose them', 'At risk', 'Hibernating', 'Lost']

    Segment sizes in the transactions dataset:

    >>> from coursekit.data import load_orders
    >>> scores = rfm_scores(rfm_table(load_orders(), as_of="2023-12-31"))
    >>> rfm_segment(scores).value_counts(sort=False).to_dict()
    {'Champions': 1000, 'Potential loyalists': 792, 'New customers': 208, 'Loyal customers': 539,
     'Need attention': 461, "Can't lose them": 382, 'At risk': 352, 'Hibernating': 585, 'Lost': 681}
    """
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"scores must be a pandas DataFrame (the output of rfm_scores), got {type(scores).__name__}")
    names = [check_column_name(n, v) for n, v in (("r", r), ("f", f), ("m", m))]
    check_frame("scores", scores, names, min_rows=1, no_missing=True)
    values = []
    for column in names:
        col = check_numeric_column("scores", scores, column, nonnegative=True).to_numpy()
        bad = (col != np.round(col)) | (col < 1) | (col > 5)
        if bad.any():
            raise ValueError(
                f"scores[{column!r}] must hold whole scores from 1 to 5 (rfm_scores with bins=5), "
                f"got {col[bad][0]:g}"
            )
        values.append(col)
    r_score, f_score, m_score = values
    fm = (f_score + m_score) / 2.0
    conditions = [
        (r_score >= r_min) & (r_score <= r_max) & (fm >= fm_min) & (fm < fm_max)
        for _, r_min, r_max, fm_min, fm_max, _ in _RULES
    ]
    codes = np.select(conditions, np.arange(len(_RULES)), default=-1)
    segment = pd.Categorical.from_codes(codes, categories=list(SEGMENTS))
    return pd.Series(segment, index=scores.index, name="segment")


def share_of_wallet(spend_with_us, total_category_spend):
    r"""Share of a customer's spending in a category that the firm captures (客户占有率).

    .. math:: \text{SOW} = \frac{\text{spend with us}}{\text{total spend in the category}}
              \in [0, 1].

    A customer with a high share already buys most of the category from the
    firm; a big spender with a low share is where the growth is.  The total
    usually comes from a survey or an estimate, as the firm cannot see what a
    customer buys elsewhere.

    Parameters
    ----------
    spend_with_us : float, array_like or pandas.Series
        What the customer spends with the firm in the category over a period,
        finite and >= 0, in currency units.
    total_category_spend : float, array_like or pandas.Series
        What the customer spends in the category with all suppliers over the
        same period, in the same units; > 0 and >= ``spend_with_us``.  Arrays
        broadcast with ``spend_with_us`` (by position, not by index).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The share, dimensionless in [0, 1]; a Series (same index and a name
        ``"share_of_wallet"``) when ``spend_with_us`` is a Series, a float
        when both inputs are scalars.

    References
    ----------
    .. [1] R.-S. Du, W. A. Kamakura and C. F. Mela, "Size and share of
       customer wallet", Journal of Marketing 71(2), 94-113, 2007.

    Examples
    --------
    >>> share_of_wallet(120.0, 400.0)
    0.3
    >>> share_of_wallet([50, 300, 0], [100, 320, 80])
    array([0.5   , 0.9375, 0.    ])
    >>> import pandas as pd
    >>> share_of_wallet(pd.Series([30.0, 90.0], index=["A", "B"]), [60.0, 100.0])
    A    0.5
    B    0.9
    Name: share_of_wallet, dtype: float64
    """
    ours = check_number("spend_with_us", spend_with_us, low=0.0)
    total = check_number("total_category_spend", total_category_spend, low=0.0, low_open=True)
    try:
        ours_b, total_b = np.broadcast_arrays(np.asarray(ours), np.asarray(total))
    except ValueError:
        raise ValueError(
            f"spend_with_us and total_category_spend must have matching shapes, got {np.shape(ours)} "
            f"and {np.shape(total)}"
        ) from None
    over = ours_b > total_b
    if over.any():
        raise ValueError(
            f"spend_with_us must not exceed total_category_spend (the total includes what is spent with us), "
            f"got {ours_b[over].flat[0]:g} > {total_b[over].flat[0]:g}"
        )
    share = as_output(ours_b / total_b)
    if isinstance(spend_with_us, pd.Series):
        if np.ndim(share) != 1 or len(share) != len(spend_with_us):
            raise ValueError(
                f"total_category_spend must be a number or have one value per row of spend_with_us "
                f"({len(spend_with_us)}), got shape {np.shape(total)}"
            )
        return pd.Series(share, index=spend_with_us.index, name="share_of_wallet")
    return share
