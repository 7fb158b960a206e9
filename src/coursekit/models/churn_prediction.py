r"""Predicting churn from behaviour, and judging the prediction as a manager would (Chapter 5).

A churn model is fitted on the past and used on the future, so its data come in *snapshots*: what was
known about each customer on a day (:func:`snapshot_features`) and what happened in the period after
it (:func:`churn_label`).  Train on one snapshot, test on a later one.  The model itself comes from
scikit-learn (e.g. ``sklearn.linear_model.LogisticRegression``); this module holds what a manager needs
around it:

* :func:`gains_table` -- customers ranked by score, in groups: churners caught, lift;
* :func:`calibration_table` -- predicted against observed churn, by group;
* :func:`targeting_profit` -- the money of contacting the top of the list, false alarms included.

In a non-contractual business "churn" must be defined: here, no purchase in the ``horizon_days`` after
the snapshot.

References
----------
.. [1] S. A. Neslin, S. Gupta, W. Kamakura, J. Lu and C. H. Mason, "Defection Detection: Measuring and
   Understanding the Predictive Accuracy of Customer Churn Models", Journal of Marketing Research
   43(2), 204-211, 2006.
.. [2] E. Ascarza, "Retention Futility: Targeting High-Risk Customers Might Be Ineffective", Journal
   of Marketing Research 55(1), 80-98, 2018.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import (
    check_column_name,
    check_date,
    check_date_column,
    check_flags,
    check_fraction,
    check_frame,
    check_number,
    check_positive_int,
    check_vector,
)

__all__ = ["snapshot_features", "churn_label", "rank_groups", "gains_table", "calibration_table", "targeting_profit"]


def _log(orders, by, date, amount):
    by, date = check_column_name("by", by), check_column_name("date", date)
    columns = [by, date] + ([check_column_name("amount", amount)] if amount is not None else [])
    frame = check_frame("orders", orders, columns, min_rows=1, no_missing=True)
    return frame.assign(**{date: check_date_column("orders", frame, date)})


def snapshot_features(orders, as_of, *, by="customer_id", date="order_date", amount="amount") -> pd.DataFrame:
    """What was known about each customer at the end of ``as_of``: recency, frequency, tenure, spend.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order: columns ``by``, ``date`` and ``amount``.
    as_of : str, datetime.date or pandas.Timestamp
        The snapshot day; orders after it are ignored.
    by, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (those with an order on or before ``as_of``): ``recency_days`` (days
        since the last order), ``frequency`` (orders so far), ``tenure_days`` (days since the first
        order), ``monetary`` (mean order amount), ``orders_last_90`` (orders in the last 90 days).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_date": ["2024-01-01", "2024-03-01", "2024-02-15"],
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> snapshot_features(log, "2024-03-31")
                 recency_days  frequency  tenure_days  monetary  orders_last_90
    customer_id
    A                      30          2           90      20.0               1
    B                      45          1           45       5.0               1
    """
    log = _log(orders, by, date, amount)
    day = check_date("as_of", as_of, whole_day=True)
    past = log[log[date] <= day]
    if past.empty:
        raise ValueError(f"no order on or before as_of ({day.date()}): nothing is known at that snapshot")
    grouped = past.groupby(by, observed=True)
    recent = (past[date] > day - pd.Timedelta(days=90)).groupby(past[by], observed=True).sum()
    features = pd.DataFrame({
        "recency_days": (day - grouped[date].max()).dt.days,
        "frequency": grouped.size(),
        "tenure_days": (day - grouped[date].min()).dt.days,
        "monetary": grouped[amount].mean(),
        "orders_last_90": recent.astype(np.int64),
    })
    features.index.name = by
    return features


def churn_label(orders, as_of, horizon_days, customers=None, *, by="customer_id", date="order_date") -> pd.Series:
    """Whether each customer made no purchase in the ``horizon_days`` after ``as_of`` (True = churned).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order: columns ``by`` and ``date``.
    as_of : str, datetime.date or pandas.Timestamp
        The snapshot day.
    horizon_days : int
        Length of the period after the snapshot, >= 1.
    customers : array_like, optional
        The customers to label (e.g. the index of :func:`snapshot_features`); by default everyone
        with an order on or before ``as_of``.
    by, date : str
        Column names.

    Returns
    -------
    pandas.Series of bool
        Indexed by customer, named ``churned``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_date": ["2024-01-01", "2024-05-01", "2024-02-15"]})
    >>> churn_label(log, "2024-03-31", 90).tolist()
    [False, True]
    """
    log = _log(orders, by, date, None)
    day = check_date("as_of", as_of, whole_day=True)
    horizon = check_positive_int("horizon_days", horizon_days)
    if customers is None:
        customers = pd.Index(log.loc[log[date] <= day, by].unique(), name=by)
    else:
        customers = pd.Index(customers, name=by)
    window = log[(log[date] > day) & (log[date] <= day + pd.Timedelta(days=horizon))]
    bought = set(window[by])
    return pd.Series([c not in bought for c in customers], index=customers, name="churned")


def _scores_and_outcomes(score, outcome):
    s = check_vector("score", score)
    y = check_flags("outcome", outcome, s.size)
    return s, y


def rank_groups(score, groups: int = 10) -> np.ndarray:
    """Each customer's group, 1..``groups``, when the customers are ranked by ``score`` (highest first)
    and cut into ``groups`` groups as equal as they can be (ties keep their order).

    The ranking of :func:`gains_table` and of :func:`coursekit.models.uplift.uplift_table`.

    Raises
    ------
    ValueError
        If ``score`` is empty or holds missing values, or ``groups`` is not a whole number from 1 to the
        number of customers.

    Examples
    --------
    >>> rank_groups([0.1, 0.9, 0.5, 0.7], groups=2)
    array([2, 1, 2, 1])
    """
    s = check_vector("score", score)
    k = check_positive_int("groups", groups)
    if k > s.size:
        raise ValueError(f"groups must be at most the number of customers ({s.size}), got {k}")
    order = np.argsort(-s, kind="stable")
    group = np.empty(s.size, dtype=np.int64)
    group[order] = np.arange(s.size) * k // s.size + 1
    return group


def gains_table(score, outcome, groups: int = 10) -> pd.DataFrame:
    r"""Customers ranked by score (highest first) in ``groups`` equal groups: churners caught and lift.

    ``lift`` of a group is its churn rate divided by the overall churn rate; ``captured`` is the
    cumulative share of all churners found by contacting that group and the ones above it.  A model
    no better than chance has lift 1 everywhere and captures 10 % of the churners per tenth.

    Parameters
    ----------
    score : array_like
        Higher = more likely to churn.
    outcome : array_like of bool
        What happened (True = churned).
    groups : int, default 10
        Number of groups (deciles by default), 1 <= groups <= number of customers.

    Returns
    -------
    pandas.DataFrame
        Indexed by group 1..groups: ``customers``, ``churners``, ``churn_rate``, ``lift``,
        ``captured``.

    References
    ----------
    .. [1] S. A. Neslin et al., Journal of Marketing Research 43(2), 204-211, 2006 (top-decile lift).

    Examples
    --------
    >>> gains_table([0.9, 0.8, 0.2, 0.1], [True, False, False, False], groups=2)
           customers  churners  churn_rate  lift  captured
    group
    1              2         1         0.5   2.0       1.0
    2              2         0         0.0   0.0       1.0
    """
    s, y = _scores_and_outcomes(score, outcome)
    group = rank_groups(s, groups)
    table = pd.DataFrame({"group": group, "churned": y}).groupby("group")["churned"].agg(customers="size", churners="sum")
    table["churners"] = table["churners"].astype(np.int64)
    base = y.mean()
    table["churn_rate"] = table["churners"] / table["customers"]
    table["lift"] = table["churn_rate"] / base if base > 0 else np.nan
    table["captured"] = table["churners"].cumsum() / max(int(y.sum()), 1)
    return table


def calibration_table(probability, outcome, groups: int = 10) -> pd.DataFrame:
    """Predicted against observed churn in groups of customers ranked by predicted probability.

    A calibrated model's ``predicted`` and ``observed`` agree in every group; a model that only ranks
    well (good lift) can still be off in level, and then its probabilities cannot be used for money.

    Parameters
    ----------
    probability : array_like
        Predicted churn probabilities in [0, 1].
    outcome : array_like of bool
    groups : int, default 10

    Returns
    -------
    pandas.DataFrame
        Indexed by group (1 = highest predicted): ``customers``, ``predicted`` (mean probability),
        ``observed`` (churn rate).

    Examples
    --------
    >>> calibration_table([0.9, 0.7, 0.2, 0.0], [True, True, False, False], groups=2)
           customers  predicted  observed
    group
    1              2        0.8       1.0
    2              2        0.1       0.0
    """
    p = check_vector("probability", probability)
    check_fraction("probability", p, allow_one=True)
    y = check_flags("outcome", outcome, p.size)
    table = gains_table(p, y, groups)
    order = np.argsort(-p, kind="stable")
    group = np.empty(p.size, dtype=np.int64)
    group[order] = np.arange(p.size) * len(table) // p.size + 1
    predicted = pd.Series(p).groupby(group).mean()
    return pd.DataFrame({"customers": table["customers"], "predicted": predicted.to_numpy(),
                         "observed": table["churn_rate"]})


def targeting_profit(score, outcome, top_share, *, contact_cost, value_if_saved, save_rate) -> dict:
    r"""The money of contacting the ``top_share`` of customers with the highest scores.

    Each contact costs ``contact_cost``; a contacted customer who would have churned is saved with
    probability ``save_rate`` and is then worth ``value_if_saved``.  A contacted customer who would
    have stayed (a false alarm) costs the contact and brings nothing:

    .. math:: \text{profit} = n_{\text{churners contacted}} \cdot s \cdot V - n_{\text{contacted}} \cdot c

    This assumes the offer works the same on every churner it reaches; Ascarza (2018) shows that
    the customers most likely to leave are often not the ones an offer can keep (uplift, Chapter 5).

    Parameters
    ----------
    score, outcome : array_like
        As :func:`gains_table`.
    top_share : float
        Share of customers contacted, in (0, 1].
    contact_cost, value_if_saved : float
        Money per contact and per saved customer, >= 0.
    save_rate : float
        Share of contacted churners the offer keeps, in [0, 1].

    Returns
    -------
    dict
        ``contacted``, ``churners_contacted``, ``false_alarms``, ``saved`` (expected), ``cost``,
        ``value`` and ``profit``.

    Examples
    --------
    >>> targeting_profit([0.9, 0.8, 0.2, 0.1], [True, False, False, False], 0.5,
    ...                  contact_cost=10, value_if_saved=100, save_rate=0.3)["profit"]
    10.0
    """
    s, y = _scores_and_outcomes(score, outcome)
    share = check_number("top_share", top_share, low=0, high=1, low_open=True)
    cost = check_number("contact_cost", contact_cost, low=0)
    value = check_number("value_if_saved", value_if_saved, low=0)
    rate = check_fraction("save_rate", save_rate, allow_one=True)
    n = int(np.ceil(float(share) * s.size))
    top = np.argsort(-s, kind="stable")[:n]
    churners = int(y[top].sum())
    saved = churners * float(rate)
    result = {"contacted": n, "churners_contacted": churners, "false_alarms": n - churners, "saved": saved,
              "cost": n * float(cost), "value": saved * float(value)}
    result["profit"] = result["value"] - result["cost"]
    return result
