r"""Count churn, balance churn and value churn: when counting customers hides the value that walks away.

The reading on loyalty (R4) gives the example of a large German bank -- it names no source --
that lost about 5 % of its checking-account customers a year, customers who held only about
3 % of the bank's balances, while about 31.5 % of its *large* customers cut their balances
sharply every year, which took about 24 % of the total balances.  Counting closed accounts
(count churn) reports a harmless 5 %; following the money (value churn) reports a loss five
times larger.  The point that spending changes among retained customers can outweigh
defections is also the theme of Coyles and Gokey (2002).

The measures of Chapter 4 work on any frame with one row per customer and period, the columns
``balance_start``, ``balance_end`` (currency units, CU; 0 for a closed account) and ``closed``
(bool), such as the bank-accounts dataset (:func:`coursekit.data.bank_accounts.load_bank_accounts`):

* :func:`count_churn` -- the share of accounts closed;
* :func:`balance_churn` -- the share of starting balances held by the accounts that closed;
* :func:`sharp_cuts` -- open accounts whose balance fell by at least a threshold;
* :func:`value_churn` -- the share of starting balances lost to closures *and* sharp cuts;
* :func:`churn_summary` -- all of them side by side, by segment, with a total row.

Share of wallet is computed elsewhere in the package; this module only measures churn.

References
----------
.. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey Quarterly
   2002(2), 2002.
.. [2] F. F. Reichheld and W. E. Sasser Jr., "Zero defections: quality comes to services",
   Harvard Business Review 68(5), 105-111, 1990.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import check_column_names, check_frame, check_numeric_column, check_scalar

__all__ = ["REQUIRED_COLUMNS", "count_churn", "balance_churn", "sharp_cuts", "value_churn", "churn_summary"]

#: The columns every measure needs: balances at the start and end of the period (CU) and the
#: closure flag.
REQUIRED_COLUMNS = ("balance_start", "balance_end", "closed")


def _check_accounts(frame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate an accounts frame; return (start, end, closed) arrays."""
    check_frame("frame", frame, REQUIRED_COLUMNS, min_rows=1, no_missing=True)
    start, end = (
        check_numeric_column("frame", frame, column, nonnegative=True).to_numpy() for column in REQUIRED_COLUMNS[:2]
    )
    flags = frame["closed"]
    if not pd.api.types.is_bool_dtype(flags):
        raise TypeError(f"frame['closed'] must hold True/False, got the dtype {flags.dtype}")
    closed = flags.to_numpy(dtype=bool)
    if (end[closed] != 0).any():
        raise ValueError(
            f"closed accounts must end with balance_end == 0, got {end[closed][end[closed] != 0][0]:g}"
        )
    if start.sum() <= 0:
        raise ValueError("frame must hold a positive total of balance_start: shares of a zero total are undefined")
    return start, end, closed


def _check_threshold(cut_threshold) -> float:
    return check_scalar("cut_threshold", cut_threshold, low=0.0, high=1.0, low_open=True)


def count_churn(frame) -> float:
    r"""Count churn: the share of accounts closed during the period.

    .. math:: c_{\text{count}} = \frac{\#\{i : \text{closed}_i\}}{n}

    Each row is one customer in one period (e.g. one year); with several years in the frame
    the result is the churn per customer-year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``balance_start``, ``balance_end`` (CU, finite, >= 0; 0 for closed accounts)
        and ``closed`` (bool).

    Returns
    -------
    float
        A share in [0, 1].

    Raises
    ------
    TypeError, ValueError
        If the frame lacks a column, holds missing, negative or non-numeric balances, has a
        non-boolean ``closed`` column, a closed account with a non-zero end balance, or a zero
        total of starting balances.

    References
    ----------
    .. [1] F. F. Reichheld and W. E. Sasser Jr., "Zero defections: quality comes to services",
       Harvard Business Review 68(5), 105-111, 1990.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"segment": ["regular"] * 4 + ["large"] * 2,
    ...                     "balance_start": [100, 200, 300, 400, 5000, 4000],
    ...                     "balance_end":   [0, 210, 290, 420, 1000, 4100],
    ...                     "closed": [True, False, False, False, False, False]})
    >>> round(count_churn(toy), 4)
    0.1667
    """
    _, _, closed = _check_accounts(frame)
    return float(closed.mean())


def balance_churn(frame) -> float:
    r"""Balance churn: the share of starting balances held by the accounts that closed.

    .. math:: c_{\text{balance}} = \frac{\sum_{i:\ \text{closed}_i} B^{\text{start}}_i}{\sum_i B^{\text{start}}_i}

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`count_churn`.

    Returns
    -------
    float
        A share in [0, 1].

    Raises
    ------
    TypeError, ValueError
        As :func:`count_churn`.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"balance_start": [100, 200, 300, 400, 5000, 4000],
    ...                     "balance_end":   [0, 210, 290, 420, 1000, 4100],
    ...                     "closed": [True, False, False, False, False, False]})
    >>> balance_churn(toy)
    0.01
    """
    start, _, closed = _check_accounts(frame)
    return float(start[closed].sum() / start.sum())


def sharp_cuts(frame, cut_threshold=0.5) -> pd.Series:
    r"""Flag open accounts whose balance fell by at least ``cut_threshold`` of its start.

    .. math:: \text{cut}_i = \lnot\text{closed}_i \ \wedge\ B^{\text{end}}_i \le (1 - \theta)\, B^{\text{start}}_i
              \ \wedge\ B^{\text{start}}_i > 0

    This is the observable version of the reading's "cut their balances sharply"; the truth
    table of the dataset says who actually made such a cut.

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`count_churn`.
    cut_threshold : float, default 0.5
        Minimum relative fall :math:`\theta` that counts as sharp, in (0, 1].

    Returns
    -------
    pandas.Series
        Booleans indexed like ``frame``, named ``"sharp_cut"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`count_churn`; also if ``cut_threshold`` is not in (0, 1].

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"balance_start": [100, 200, 5000, 4000],
    ...                     "balance_end":   [0, 90, 1000, 4100],
    ...                     "closed": [True, False, False, False]})
    >>> sharp_cuts(toy).tolist()
    [False, True, True, False]
    >>> sharp_cuts(toy, cut_threshold=0.6).tolist()
    [False, False, True, False]
    """
    start, end, closed = _check_accounts(frame)
    theta = _check_threshold(cut_threshold)
    flags = ~closed & (start > 0) & (end <= (1.0 - theta) * start)
    return pd.Series(flags, index=frame.index, name="sharp_cut")


def value_churn(frame, cut_threshold=0.5) -> float:
    r"""Value churn: the share of starting balances lost to closures *and* sharp cuts.

    .. math::

        c_{\text{value}} = \frac{\sum_{i:\ \text{closed}_i} B^{\text{start}}_i
                          + \sum_{i:\ \text{cut}_i} (B^{\text{start}}_i - B^{\text{end}}_i)}
                          {\sum_i B^{\text{start}}_i}

    with "cut" as in :func:`sharp_cuts`.  Ordinary ups and downs of the other accounts are not
    counted, so the measure isolates the money that walks away.

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`count_churn`.
    cut_threshold : float, default 0.5
        As for :func:`sharp_cuts`.

    Returns
    -------
    float
        A share in [0, 1].

    Raises
    ------
    TypeError, ValueError
        As :func:`sharp_cuts`.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    One closure of 100 and one large customer cutting 5,000 to 1,000, out of 10,000 in all:

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"balance_start": [100, 200, 300, 400, 5000, 4000],
    ...                     "balance_end":   [0, 210, 290, 420, 1000, 4100],
    ...                     "closed": [True, False, False, False, False, False]})
    >>> value_churn(toy)
    0.41
    """
    start, end, closed = _check_accounts(frame)
    cut = sharp_cuts(frame, cut_threshold).to_numpy()
    lost = start[closed].sum() + (start[cut] - end[cut]).sum()
    return float(lost / start.sum())


def churn_summary(frame, by="segment", cut_threshold=0.5) -> pd.DataFrame:
    r"""Count churn next to balance and value churn, by group, with a total row ``"all"``.

    For each group :math:`g` (and for all rows together), with :math:`T` the total starting
    balance of the whole frame and :math:`T_g` that of the group:

    * ``customers``, ``closed``, ``count_churn`` = closed / customers;
    * ``balance_churn`` = starting balance of the closed accounts / :math:`T_g`;
    * ``sharp_cuts``, ``cut_rate`` = sharp cuts / customers (see :func:`sharp_cuts`);
    * ``value_churn`` = (closed balances + amounts cut) / :math:`T_g`;
    * ``balance_share`` = :math:`T_g / T`;
    * ``closure_loss``, ``cut_loss``, ``value_loss`` = the amounts lost by closures, by cuts
      and by both, as shares of the whole frame's :math:`T` (they add up over groups).

    Each row of ``frame`` is one customer in one period; to get yearly figures from a frame
    with several years, group by ``["year", "segment"]`` or filter one year first.

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`count_churn`, plus the grouping column(s).
    by : str, list of str or None, default "segment"
        Column(s) to group by; ``None`` for the total row only.
    cut_threshold : float, default 0.5
        As for :func:`sharp_cuts`.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty group and a last row ``"all"`` (``("all", "all", ...)`` when
        grouping by several columns); the columns listed above.

    Raises
    ------
    TypeError, ValueError
        As :func:`sharp_cuts`; also if ``by`` is not a column name, a list of them or None, or
        a grouping column is absent or has missing values.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"segment": ["regular"] * 4 + ["large"] * 2,
    ...                     "balance_start": [100, 200, 300, 400, 5000, 4000],
    ...                     "balance_end":   [0, 210, 290, 420, 1000, 4100],
    ...                     "closed": [True, False, False, False, False, False]})
    >>> summary = churn_summary(toy)
    >>> summary[["customers", "count_churn", "cut_rate", "value_churn", "value_loss"]].round(4)
             customers  count_churn  cut_rate  value_churn  value_loss
    segment
    large            2       0.0000    0.5000       0.4444        0.40
    regular          4       0.2500    0.0000       0.1000        0.01
    all              6       0.1667    0.1667       0.4100        0.41

    The large customer who cut from 5,000 to 1,000 is one account in six, yet 40 % of the
    money: count churn (1 in 6) says nothing about it.
    """
    start, end, closed = _check_accounts(frame)
    cut = sharp_cuts(frame, cut_threshold).to_numpy()
    keys = [] if by is None else check_column_names("by", by)
    check_frame("frame", frame, keys, no_missing=True)
    parts = pd.DataFrame(
        {
            "customers": np.ones(start.size, dtype=np.int64),
            "closed": closed.astype(np.int64),
            "sharp_cuts": cut.astype(np.int64),
            "_start": start,
            "_closed_balance": np.where(closed, start, 0.0),
            "_cut_amount": np.where(cut, start - end, 0.0),
        },
        index=frame.index,
    )
    total_row = parts.sum().to_frame().T
    if keys:
        grouped = parts.groupby([frame[k] for k in keys], sort=True, observed=True).sum()
        if len(keys) == 1:
            index = pd.Index(list(grouped.index) + ["all"], dtype=object, name=keys[0])
        else:
            index = pd.MultiIndex.from_tuples(list(grouped.index) + [("all",) * len(keys)], names=keys)
        sums = pd.concat([grouped, total_row], ignore_index=True)
    else:
        sums = total_row
        index = pd.Index(["all"])
    total = float(start.sum())
    group_total = sums["_start"].to_numpy(dtype=float)
    safe_total = np.where(group_total > 0, group_total, 1.0)  # a zero-balance group loses nothing
    customers = sums["customers"].to_numpy(dtype=float)
    closed_balance = sums["_closed_balance"].to_numpy(dtype=float)
    cut_amount = sums["_cut_amount"].to_numpy(dtype=float)
    table = pd.DataFrame(
        {
            "customers": sums["customers"].to_numpy(dtype=np.int64),
            "closed": sums["closed"].to_numpy(dtype=np.int64),
            "count_churn": sums["closed"].to_numpy(dtype=float) / customers,
            "balance_churn": closed_balance / safe_total,
            "sharp_cuts": sums["sharp_cuts"].to_numpy(dtype=np.int64),
            "cut_rate": sums["sharp_cuts"].to_numpy(dtype=float) / customers,
            "value_churn": (closed_balance + cut_amount) / safe_total,
            "balance_share": group_total / total,
            "closure_loss": closed_balance / total,
            "cut_loss": cut_amount / total,
            "value_loss": (closed_balance + cut_amount) / total,
        },
        index=index,
    )
    return table
