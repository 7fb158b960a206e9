r"""Case 1 -- *FedEx: what is a customer worth?* (reading R0).

Serves the case notebook ``cases/01_fedex_customer_worth.ipynb``.  The reading values one FedEx
customer who brings US$1,500 a month; this module puts that customer in an illustrative account
base and values the base:

* :data:`FEDEX_SEGMENTS` and :func:`fedex_accounts` -- a hand-specified, illustrative table of
  business accounts by segment (not FedEx's figures);
* :func:`segment_equity` -- the CLV of one account and the customer equity of each segment;
* :func:`acquisition_ceiling` -- the most a firm should pay to win one account, referrals
  included;
* :func:`retention_cohort` -- the cohort of regular accounts behind the segment's retention rate,
  generated with a known true rate, so that the case can show how sure that rate is.

The case has no dataset file (the cohort is generated on the fly) and no explorer.

References
----------
.. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity: Building and Managing
   Relationships as Valuable Assets*, Harvard Business School Press, 2001.
.. [2] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import (
    as_output,
    check_fraction,
    check_frame,
    check_number,
    check_positive_int,
    check_scalar,
    check_seed,
)
from coursekit.models.clv import clv as _clv
from coursekit.models.clv import profit_stream_npv
from coursekit.models.wom import referral_value

__all__ = ["FEDEX_SEGMENTS", "fedex_accounts", "segment_equity", "AcquisitionCeiling", "acquisition_ceiling",
           "COHORT_SEED", "retention_cohort"]

#: Illustrative business accounts of a parcel carrier, by segment (not FedEx's figures).
#: ``monthly_revenue`` in US$ per account, ``margin_rate`` the contribution margin as a share of
#: revenue, ``retention`` the annual probability that an account is still shipping a year later.
FEDEX_SEGMENTS: dict[str, list] = {
    "segment": ["occasional", "regular", "key"],
    "accounts": [48_000, 15_000, 1_200],
    "monthly_revenue": [250.0, 1_500.0, 12_000.0],
    "margin_rate": [0.18, 0.15, 0.10],
    "retention": [0.70, 0.85, 0.93],
}

_SEGMENT_COLUMNS = ["segment", "accounts", "monthly_revenue", "margin_rate", "retention"]


def fedex_accounts() -> pd.DataFrame:
    """The illustrative account base of case 1: three segments of business shippers.

    The course reading R0 values one FedEx customer who brings US$1,500 a month.  This table
    puts that customer in a base of accounts so that the case can move from one customer's
    lifetime revenue to the customer equity of a whole base.  The figures are **illustrative**
    (chosen for teaching, not published by FedEx).

    Returns
    -------
    pandas.DataFrame
        One row per segment with ``segment`` (str), ``accounts`` (int64, number of accounts),
        ``monthly_revenue`` (float, US$ per account per month), ``margin_rate`` (float,
        contribution margin as a share of revenue) and ``retention`` (float, annual retention
        rate).  A fresh copy on every call.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business
       School Press, 2001.

    Examples
    --------
    >>> fedex_accounts()
          segment  accounts  monthly_revenue  margin_rate  retention
    0  occasional     48000            250.0         0.18       0.70
    1     regular     15000           1500.0         0.15       0.85
    2         key      1200          12000.0         0.10       0.93
    """
    frame = pd.DataFrame(FEDEX_SEGMENTS)
    frame["segment"] = frame["segment"].astype("str")
    frame["accounts"] = frame["accounts"].astype("int64")
    return frame


def segment_equity(segments, discount_rate, horizon=None) -> pd.DataFrame:
    r"""CLV of one account and the customer equity of each segment.

    For segment :math:`s` with :math:`N_s` accounts, monthly revenue :math:`R_s`, margin rate
    :math:`\mu_s` and annual retention :math:`r_s`, the annual margin per account is
    :math:`m_s = 12 R_s \mu_s` and, with margins received at the end of each year by the
    accounts still active (``clv(..., timing="end")``, Gupta & Lehmann 2003),

    .. math:: \text{CLV}_s = \sum_{t=1}^{T} \frac{m_s r_s^t}{(1+d)^t}
              \;\xrightarrow{T\to\infty}\; \frac{m_s r_s}{1 + d - r_s},
              \qquad E_s = N_s \, \text{CLV}_s .

    The customer equity of the current base is :math:`\sum_s E_s` (Blattberg, Getz & Thomas
    2001 add the value of customers not yet acquired; this is the part already in the firm).

    Parameters
    ----------
    segments : pandas.DataFrame
        Columns ``segment``, ``accounts`` (>= 0), ``monthly_revenue`` (>= 0, money per month),
        ``margin_rate`` (in [0, 1]) and ``retention`` (annual, in [0, 1)), as in
        :func:`fedex_accounts`.
    discount_rate : float
        Annual discount rate, > -1 (0.1 = 10 %).
    horizon : int or None, default None
        Years counted (whole number >= 0), or ``None`` for no limit.

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``annual_margin`` (money per account per year), ``clv`` (money
        per account), ``equity`` (money, ``accounts * clv``) and ``equity_share`` (fraction of
        the total equity).

    Raises
    ------
    ValueError
        If a column is missing or holds values outside its range.
    TypeError
        If ``segments`` is not a DataFrame.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business
       School Press, 2001.
    .. [2] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.

    Examples
    --------
    >>> table = segment_equity(fedex_accounts(), 0.10)
    >>> table[["segment", "annual_margin", "clv", "equity"]].round(0)
          segment  annual_margin      clv       equity
    0  occasional          540.0    945.0   45360000.0
    1     regular         2700.0   9180.0  137700000.0
    2         key        14400.0  78776.0   94531765.0
    >>> round(float(table["equity"].sum()))
    277591765
    """
    frame = check_frame("segments", segments, _SEGMENT_COLUMNS, no_missing=True)
    accounts = check_number("segments['accounts']", frame["accounts"].to_numpy(), low=0.0)
    revenue = check_number("segments['monthly_revenue']", frame["monthly_revenue"].to_numpy(), low=0.0)
    rate = check_number("segments['margin_rate']", frame["margin_rate"].to_numpy(), low=0.0, high=1.0)
    retention = check_fraction("segments['retention']", frame["retention"].to_numpy())
    d = check_scalar("discount_rate", discount_rate, low=-1.0, low_open=True)
    annual = 12.0 * np.asarray(revenue) * np.asarray(rate)
    value = np.asarray(_clv(annual, retention, d, periods=horizon), dtype=float)
    out = frame[_SEGMENT_COLUMNS].copy().reset_index(drop=True)
    out["annual_margin"] = annual
    out["clv"] = value
    out["equity"] = np.asarray(accounts) * value
    total = out["equity"].sum()
    out["equity_share"] = out["equity"] / total if total > 0 else 0.0
    return out


@dataclass(frozen=True)
class AcquisitionCeiling:
    """Result of :func:`acquisition_ceiling` (money units, floats or arrays).

    Attributes
    ----------
    own_value : float or numpy.ndarray
        Present value at signing of the new account's own margins.
    referral_value : float or numpy.ndarray
        Value of the accounts it brings in by referral.
    ceiling : float or numpy.ndarray
        ``own_value + referral_value``: the most the firm can spend to win the account and
        still break even.
    """

    own_value: float | np.ndarray
    referral_value: float | np.ndarray
    ceiling: float | np.ndarray


def acquisition_ceiling(annual_margin, retention, discount_rate, referrals=0.0, conversion_rate=0.0, horizon=None):
    r"""The most a firm should spend to win one new account.

    A newly signed account yields :math:`m` at the end of its first year for sure and at the end
    of year :math:`t` with probability :math:`r^{t-1}` (the Reichheld--Sasser convention of
    :func:`coursekit.models.clv.profit_stream_npv`, no acquisition cost):

    .. math:: V = \sum_{t \ge 1} \frac{m \, r^{t-1}}{(1+d)^t} = \frac{m}{1 + d - r}.

    If the account refers :math:`n` firms over its life and a share :math:`c` of them sign, each
    worth :math:`V` too (one generation, not discounted for the delay; see
    :func:`coursekit.models.wom.referral_value`), the break-even acquisition spend is

    .. math:: A^{*} = V + V n c = V (1 + n c).

    Parameters
    ----------
    annual_margin : float or array_like
        Margin per account per year, money units, finite.
    retention : float or array_like
        Annual retention rate, in [0, 1).
    discount_rate : float or array_like
        Annual discount rate, > -1.
    referrals : float or array_like, default 0.0
        Firms referred per account over its life, >= 0.
    conversion_rate : float or array_like, default 0.0
        Share of referred firms that sign, in [0, 1].
    horizon : int or None, default None
        Years counted (>= 1), or ``None`` for no limit.

    Returns
    -------
    AcquisitionCeiling
        ``own_value``, ``referral_value`` and ``ceiling`` in money units.

    Raises
    ------
    ValueError
        If a value is NaN or out of range.
    TypeError
        If a value is not a number.

    References
    ----------
    .. [1] F. F. Reichheld and W. E. Sasser Jr., "Zero Defections: Quality Comes to Services",
       Harvard Business Review 68(5), 105-111, 1990.
    .. [2] V. Kumar, J. A. Petersen and R. P. Leone, "How Valuable Is Word of Mouth?", Harvard
       Business Review 85(10), 139-146, 2007.

    Examples
    --------
    A regular account (margin 2,700 a year, 85 % retention, 10 % discount rate) that refers
    0.5 firms, of which 40 % sign:

    >>> c = acquisition_ceiling(2700, 0.85, 0.10, referrals=0.5, conversion_rate=0.4)
    >>> round(c.own_value, 2), round(c.referral_value, 2), round(c.ceiling, 2)
    (10800.0, 2160.0, 12960.0)
    """
    own = profit_stream_npv(retention, discount_rate, annual_margin, horizon=horizon)
    ref = referral_value(own, referrals, conversion_rate)
    return AcquisitionCeiling(own_value=own, referral_value=ref, ceiling=as_output(np.asarray(own) + ref))


#: Seed of the course's retention cohort (case 1, Exhibit 3).
COHORT_SEED = 19971101


def retention_cohort(n_accounts: int = 400, retention: float = 0.85, seed: int = COHORT_SEED) -> pd.DataFrame:
    r"""The cohort behind a segment's retention rate: which accounts still ship a year later.

    A firm does not know its retention rate; it estimates it from a cohort.  This generator draws
    that cohort with a **known true rate**, so that the case can show how far an estimate from a
    few hundred accounts may sit from the truth.  Model: account :math:`i` still ships a year
    later with probability ``retention``, independently
    (:math:`S_i \sim \text{Bernoulli}(r)`); its monthly revenue in the first year is
    LogNormal(ln 1,500, 0.35) US$, the reading's regular customer with spread.

    Parameters
    ----------
    n_accounts : int, default 400
        Accounts in the cohort, >= 1.
    retention : float, default 0.85
        True yearly retention rate, in [0, 1].
    seed : int, default :data:`COHORT_SEED`
        Seed of the random stream, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per account: ``account_id`` (str), ``monthly_revenue`` (float, US$) and
        ``still_shipping`` (bool).

    Raises
    ------
    ValueError, TypeError
        If ``n_accounts`` is not a whole number >= 1, ``retention`` not in [0, 1] or ``seed`` not
        a whole number >= 0.

    References
    ----------
    .. [1] E. B. Wilson, "Probable Inference, the Law of Succession, and Statistical Inference",
       Journal of the American Statistical Association 22(158), 209-212, 1927 (the interval the
       case puts on the estimate).

    Examples
    --------
    >>> cohort = retention_cohort()
    >>> cohort.shape, cohort["still_shipping"].dtype == bool
    ((400, 3), True)
    >>> round(float(cohort["still_shipping"].mean()), 3)
    0.848
    >>> retention_cohort(n_accounts=0)
    Traceback (most recent call last):
    ...
    ValueError: n_accounts must be an integer >= 1, got 0
    """
    n = check_positive_int("n_accounts", n_accounts)
    r = check_fraction("retention", retention, allow_one=True)
    rng = np.random.default_rng(check_seed(seed))
    still = rng.random(n) < r
    revenue = np.round(1_500.0 * np.exp(0.35 * rng.standard_normal(n)), 2)
    return pd.DataFrame({"account_id": [f"R{i + 1:04d}" for i in range(n)], "monthly_revenue": revenue,
                         "still_shipping": still})
