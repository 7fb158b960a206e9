r"""Uplift: whom a retention offer changes, judged with a randomised experiment (Chapter 5).

A churn model scores *risk*, :math:`P(\text{churn} \mid x)`.  An offer is worth sending where it changes
the outcome, so the quantity to rank by is the **uplift**

.. math:: u(x) = P(\text{churn} \mid x, \text{no offer}) - P(\text{churn} \mid x, \text{offer}),

the churn probability the offer removes.  The *two-model* estimate fits one churn model on the control
arm of an experiment and one on the treated arm and takes the difference of their predictions
(Gutierrez & Gérardy 2017).  Ascarza (2018) found in two field experiments that the customers with the
highest risk were not those with the highest uplift, so targeting by risk wasted the offer.

Whatever the model, a ranking is judged on customers it was *not* trained on, with the experiment's
own randomisation: among the customers a ranking puts on top, compare the churn of the treated with the
churn of the control group.  That difference is an unbiased estimate of the uplift of the offer on that
group, because within any group defined by the score the arms were still assigned at random.

* :func:`uplift_table` -- customers ranked by score, in groups: churn in each arm and the uplift;
* :func:`saved_curve` -- customers saved, estimated from the experiment, when the top share is targeted;
* :func:`targeting_value` -- the money of sending the offer to the top of a ranking.

The models themselves come from scikit-learn (or any other library); this module needs only their
scores.

References
----------
.. [1] E. Ascarza, "Retention Futility: Targeting High-Risk Customers Might Be Ineffective", Journal of
   Marketing Research 55(1), 80-98, 2018.
.. [2] P. Gutierrez and J.-Y. Gérardy, "Causal Inference and Uplift Modelling: A Review of the
   Literature", Proceedings of Machine Learning Research 67, 1-13, 2017.
.. [3] N. J. Radcliffe, "Using Control Groups to Target on Predicted Lift: Building and Assessing
   Uplift Models", Direct Marketing Analytics Journal 1, 14-21, 2007.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit._validate import check_flags, check_number, check_vector
from coursekit.models.churn_prediction import rank_groups

__all__ = ["uplift_table", "saved_curve", "targeting_value"]


def _inputs(score, treated, churned):
    s = check_vector("score", score)
    t = check_flags("treated", treated, s.size)
    y = check_flags("churned", churned, s.size)
    if t.all() or not t.any():
        raise ValueError("treated must mark some customers True (offer) and some False (control): "
                         "the uplift is estimated by comparing the two arms")
    return s, t, y


def _ranked_counts(s, t, y):
    """Cumulative treated/control customers and churners, customers ranked by score (highest first)."""
    order = np.argsort(-s, kind="stable")
    t, y = t[order], y[order]
    n_t, n_c = np.cumsum(t), np.cumsum(~t)
    churn_t, churn_c = np.cumsum(y & t), np.cumsum(y & ~t)
    return n_t, n_c, churn_t, churn_c


def uplift_table(score, treated, churned, groups: int = 10) -> pd.DataFrame:
    r"""Customers ranked by score (highest first) in ``groups`` equal groups: churn in each arm, and the uplift.

    In group :math:`g`, ``uplift`` is the control group's churn rate minus the treated group's: the
    share of the group's customers the offer kept.  A useful uplift model puts the largest uplift in
    group 1 and the smallest (possibly negative) at the bottom; a risk model need not.

    Parameters
    ----------
    score : array_like
        Any ranking score (higher = ranked first), e.g. predicted uplift or predicted churn risk.
    treated : array_like of bool
        True for customers who received the offer, False for the control group; both must occur.
    churned : array_like of bool
        What happened (True = churned).
    groups : int, default 10
        Number of groups, 1 <= groups <= number of customers.

    Returns
    -------
    pandas.DataFrame
        Indexed by group 1..groups: ``customers``, ``treated``, ``control``, ``churn_treated``,
        ``churn_control``, ``uplift`` (NaN where a group has no customer of one arm).

    Raises
    ------
    ValueError
        If the arrays differ in length, hold missing values, or all customers are in one arm.

    References
    ----------
    .. [1] N. J. Radcliffe, Direct Marketing Analytics Journal 1, 14-21, 2007.

    Examples
    --------
    >>> uplift_table([4, 3, 2, 1], [True, False, True, False], [False, True, True, True], groups=2)
           customers  treated  control  churn_treated  churn_control  uplift
    group
    1              2        1        1            0.0            1.0     1.0
    2              2        1        1            1.0            1.0     0.0
    """
    s, t, y = _inputs(score, treated, churned)
    group = rank_groups(s, groups)
    frame = pd.DataFrame({"group": group, "treated": t, "churn_t": y & t, "churn_c": y & ~t})
    table = frame.groupby("group").agg(customers=("treated", "size"), treated=("treated", "sum"),
                                       churners_t=("churn_t", "sum"), churners_c=("churn_c", "sum"))
    table["control"] = table["customers"] - table["treated"]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["churn_treated"] = table["churners_t"] / table["treated"].replace(0, np.nan)
        table["churn_control"] = table["churners_c"] / table["control"].replace(0, np.nan)
    table["uplift"] = table["churn_control"] - table["churn_treated"]
    return table[["customers", "treated", "control", "churn_treated", "churn_control", "uplift"]].astype(
        {"customers": np.int64, "treated": np.int64, "control": np.int64})


def saved_curve(score, treated, churned, shares) -> np.ndarray:
    r"""Customers the offer would save if the top ``share`` of the ranking were targeted, from the experiment.

    Among the :math:`k` customers with the highest scores, the experiment gives churn rates
    :math:`\hat p_c` (control) and :math:`\hat p_t` (treated); targeting all :math:`k` saves an
    estimated :math:`k(\hat p_c - \hat p_t)` customers.  Plotted against the share targeted, this is
    the *uplift curve* (a Qini curve scaled to the number of customers): a random ranking gives a
    straight line from 0 to the offer's average effect on everybody.

    Parameters
    ----------
    score, treated, churned : array_like
        As :func:`uplift_table`.
    shares : float or array_like
        Shares of customers targeted, each in (0, 1].

    Returns
    -------
    numpy.ndarray
        Estimated customers saved, one per share (NaN where the top has no customer of one arm).

    Raises
    ------
    ValueError
        If a share is outside (0, 1], or the inputs are invalid as in :func:`uplift_table`.

    References
    ----------
    .. [1] N. J. Radcliffe, Direct Marketing Analytics Journal 1, 14-21, 2007.

    Examples
    --------
    >>> saved_curve([4, 3, 2, 1], [True, False, True, False], [False, True, True, True], [0.5, 1.0]).tolist()
    [2.0, 2.0]
    """
    s, t, y = _inputs(score, treated, churned)
    share = np.atleast_1d(check_number("shares", shares, low=0, high=1, low_open=True)).astype(float)
    k = np.ceil(share * s.size).astype(np.int64)
    n_t, n_c, churn_t, churn_c = _ranked_counts(s, t, y)
    idx = k - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        rate_t = np.where(n_t[idx] > 0, churn_t[idx] / np.maximum(n_t[idx], 1), np.nan)
        rate_c = np.where(n_c[idx] > 0, churn_c[idx] / np.maximum(n_c[idx], 1), np.nan)
    return k * (rate_c - rate_t)


def targeting_value(score, treated, churned, top_share, *, value_if_saved, offer_cost) -> dict:
    r"""The money of sending the offer to the ``top_share`` of a ranking, with the saved customers from the experiment.

    .. math:: \text{profit} = k\,(\hat p_c - \hat p_t)\,V - k\,c

    where :math:`k` customers are targeted, :math:`\hat p_c - \hat p_t` is the uplift the experiment
    measures among them (:func:`saved_curve`), :math:`V` is the value of a saved customer and
    :math:`c` the cost of one offer.  Unlike :func:`coursekit.models.churn_prediction.targeting_profit`,
    nothing is assumed about whom the offer saves: the experiment shows it.

    Parameters
    ----------
    score, treated, churned : array_like
        As :func:`uplift_table`.
    top_share : float
        Share of customers targeted, in (0, 1].
    value_if_saved, offer_cost : float
        Money per saved customer and per offer sent, >= 0.

    Returns
    -------
    dict
        ``targeted``, ``churn_treated``, ``churn_control``, ``uplift``, ``saved``, ``cost``, ``value``,
        ``profit``.

    Raises
    ------
    ValueError
        If the targeted customers do not include both arms, or an argument is out of range.

    References
    ----------
    .. [1] E. Ascarza, Journal of Marketing Research 55(1), 80-98, 2018.

    Examples
    --------
    >>> money = targeting_value([4, 3, 2, 1], [True, False, True, False], [False, True, True, True], 0.5,
    ...                         value_if_saved=100, offer_cost=10)
    >>> money["saved"], money["profit"]
    (2.0, 180.0)
    """
    s, t, y = _inputs(score, treated, churned)
    share = check_number("top_share", top_share, low=0, high=1, low_open=True)
    value = check_number("value_if_saved", value_if_saved, low=0)
    cost = check_number("offer_cost", offer_cost, low=0)
    k = int(np.ceil(float(share) * s.size))
    n_t, n_c, churn_t, churn_c = _ranked_counts(s, t, y)
    if n_t[k - 1] == 0 or n_c[k - 1] == 0:
        raise ValueError(f"the top {k} customers hold only one arm; target a larger top_share so that the "
                         "experiment can measure the uplift among them")
    rate_t, rate_c = churn_t[k - 1] / n_t[k - 1], churn_c[k - 1] / n_c[k - 1]
    saved = k * (rate_c - rate_t)
    result = {"targeted": k, "churn_treated": float(rate_t), "churn_control": float(rate_c),
              "uplift": float(rate_c - rate_t), "saved": float(saved), "cost": k * float(cost),
              "value": float(saved) * float(value)}
    result["profit"] = result["value"] - result["cost"]
    return result
