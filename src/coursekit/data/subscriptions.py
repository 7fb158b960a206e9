r"""Contractual retention data: a simulated subscription service and a published retention table.

Two datasets for Chapter 4 (customer loyalty, 客户忠诚), where retention is
measured from cohorts and projected with the shifted-beta-geometric (sBG)
model of :mod:`coursekit.models.retention`.

The subscriptions dataset
-------------------------
:func:`make_subscriptions` simulates a monthly subscription service (a
contractual setting: a customer's churn is observed the day she fails to
renew).  Nothing in it makes retention rise with tenure on purpose; the rise
comes from differences between customers alone.

1. **Cohorts.**  Customers are acquired in ``n_cohorts`` monthly cohorts
   (default 24, January 2022 to December 2023).  Cohort :math:`c = 0, 1,
   \dots` has :math:`\mathrm{round}(n_0 (1 + g)^c)` customers, :math:`n_0 =`
   ``first_cohort_size`` (200) and growth :math:`g =` ``COHORT_GROWTH`` (3 % a
   month).  Every subscription starts on the first day of its cohort's month
   and renews on the first day of each later month.
2. **Plan.**  Each customer picks the basic or the premium plan with the
   shares of ``PLAN_SHARES``; the plan fixes the monthly fee
   (``PLAN_FEES``) and the distribution of churn probabilities.
3. **Churn probability.**  Customer :math:`i` has her own probability
   :math:`\theta_i \sim \mathrm{Beta}(\alpha_p, \beta_p)` of not renewing at
   each renewal date, constant over her life, with :math:`(\alpha_p, \beta_p)`
   of her plan :math:`p` in ``PLAN_CHURN``.  :math:`\theta_i` is rounded to 8
   significant digits before use, so the truth file holds the exact value.
4. **Lifetime.**  The number of months she pays for is
   :math:`T_i \sim \mathrm{Geometric}(\theta_i)` on :math:`\{1, 2, \dots\}`;
   she leaves on the renewal date :math:`T_i` months after her start.
5. **Observation.**  The data are extracted on ``observed_until``, the first
   day of the month after the last cohort (2024-01-01 by default), after that
   day's renewals.  Cohort :math:`c` has then faced :math:`m_c =`
   ``n_cohorts`` :math:`- c` renewal dates.  A customer with
   :math:`T_i \le m_c` has churned (observed for :math:`T_i` periods); the
   others are still active, right-censored after :math:`m_c` periods.

Within a plan this is exactly the sBG model of Fader and Hardie (2007), so
:func:`coursekit.models.survival.fit_sbg_lifetimes` on one plan's customers should
recover that plan's :math:`(\alpha_p, \beta_p)`; pooled over both plans the
churn probabilities follow a mixture of two Beta distributions.

The Fader-Hardie table
----------------------
:func:`write_fader_hardie` stores Table 1 of Fader and Hardie (2007), typed
in from the paper, and :func:`load_fader_hardie` reads it back;
:func:`fader_hardie_survivors` turns it into survivor counts.

Every file is declared once as a :class:`coursekit.tables.Table` spec, which both the
writers and the loaders use.

References
----------
.. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
   Journal of Interactive Marketing 21(1), 76-90, 2007.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_choice, check_date, check_positive_int, check_seed
from coursekit.data.sampling import ids, pick, streams
from coursekit.tables import Column, Table, output_folder, write_tables

__all__ = [
    "PLANS",
    "PLAN_SHARES",
    "PLAN_CHURN",
    "PLAN_FEES",
    "COHORT_GROWTH",
    "FADER_HARDIE_2007_TABLE1",
    "SubscriptionsData",
    "make_subscriptions",
    "write_subscriptions",
    "load_subscriptions",
    "load_subscriptions_truth",
    "write_fader_hardie",
    "load_fader_hardie",
    "fader_hardie_survivors",
    "SUBSCRIPTIONS_TABLE",
    "SUBSCRIPTIONS_TRUTH_TABLE",
    "FADER_HARDIE_TABLE",
]

#: Subscription plans, in their fixed (display) order.
PLANS = ("basic", "premium")

#: Share of new customers choosing each plan.
PLAN_SHARES = {"basic": 0.7, "premium": 0.3}

#: (alpha, beta) of the Beta distribution of monthly churn probabilities, by plan.
#: Basic: mean churn 1.3 / 8.3 = 15.7 % a month; premium: 1.8 / 26.8 = 6.7 % a month.
PLAN_CHURN = {"basic": (1.3, 7.0), "premium": (1.8, 25.0)}

#: Monthly fee of each plan, in currency units (CU).
PLAN_FEES = {"basic": 12.0, "premium": 30.0}

#: Growth of the cohort size from one month to the next.
COHORT_GROWTH = 0.03

DEFAULT_SEED = 20240704
DEFAULT_N_COHORTS = 24
DEFAULT_FIRST_COHORT_SIZE = 200
DEFAULT_FIRST_COHORT = "2022-01"

#: Table 1 of Fader and Hardie (2007): percentage of each cohort of 1,000 customers still
#: active at the start of years 0..12.
FADER_HARDIE_2007_TABLE1 = {
    "year": tuple(range(13)),
    "regular": (100.0, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3),
    "high_end": (100.0, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4),
}
_FADER_HARDIE_COHORT_SIZE = 1000

_DATETIME = "datetime64[ns]"

#: ``subscriptions.csv``: what the firm observes, one row per customer (empty end date if active).
SUBSCRIPTIONS_TABLE = Table(
    "subscriptions.csv",
    [
        Column("customer_id"),
        Column("cohort"),
        Column("plan", "category", categories=PLANS),
        Column("monthly_fee", "float", decimals=2),
        Column("start_date", "date"),
        Column("end_date", "date", optional=True),
        Column("periods_observed", "int"),
        Column("churned", "bool"),
    ],
)

#: ``subscriptions_truth.csv``: each customer's churn probability (8 significant digits) and lifetime.
SUBSCRIPTIONS_TRUTH_TABLE = Table(
    "subscriptions_truth.csv",
    [
        Column("customer_id"),
        Column("plan", "category", categories=PLANS),
        Column("alpha", "float", decimals=4),
        Column("beta", "float", decimals=4),
        Column("theta", "float", fmt="%.8g"),
        Column("lifetime_periods", "int"),
    ],
)

#: ``fader_hardie_2007_table1.csv``: Table 1 of Fader and Hardie (2007), percent still active.
FADER_HARDIE_TABLE = Table(
    "fader_hardie_2007_table1.csv",
    [Column("year", "int"), Column("regular", "float", decimals=1), Column("high_end", "float", decimals=1)],
)


class SubscriptionsData(NamedTuple):
    """The two frames of the subscriptions dataset.

    Attributes
    ----------
    customers : pandas.DataFrame
        What the firm observes, one row per customer (see :func:`load_subscriptions`).
    truth : pandas.DataFrame
        The latent churn probabilities and full lifetimes (see
        :func:`load_subscriptions_truth`), kept apart from the observable data.
    """

    customers: pd.DataFrame
    truth: pd.DataFrame


def _check_first_cohort(value) -> np.datetime64:
    """Return the first cohort's month as ``datetime64[M]`` (a 'YYYY-MM' string or a first-of-month date)."""
    given = value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        value = value + "-01"
    try:
        stamp = check_date("first_cohort", value, example="2022-01-01", whole_day=True)
        month = np.datetime64(stamp.strftime("%Y-%m"), "M")
    except ValueError as err:
        raise ValueError(
            f"first_cohort must be a month such as '2022-01' or the first day of a month, got {given!r} ({err})"
        ) from None
    if stamp.day != 1:
        raise ValueError(f"first_cohort must be a month ('2022-01') or the first day of a month, got {given!r}")
    if not 1900 <= stamp.year <= 2200:
        raise ValueError(f"first_cohort must be a month between 1900 and 2200, got {given!r} (read as {stamp.date()})")
    return month


def make_subscriptions(
    n_cohorts: int = DEFAULT_N_COHORTS,
    first_cohort_size: int = DEFAULT_FIRST_COHORT_SIZE,
    seed: int = DEFAULT_SEED,
    first_cohort=DEFAULT_FIRST_COHORT,
) -> SubscriptionsData:
    r"""Simulate the customers of a monthly subscription service.

    The generative model (monthly cohorts, two plans, Beta-distributed churn
    probabilities, geometric lifetimes, right-censoring at the extraction
    date) is set out in the module docstring.  The same arguments give
    identical frames on every run.

    Parameters
    ----------
    n_cohorts : int, default 24
        Number of monthly acquisition cohorts (>= 1).
    first_cohort_size : int, default 200
        Customers in the first cohort (>= 1); later cohorts grow by
        ``COHORT_GROWTH`` a month.
    seed : int, default 20240704
        Seed of the random number generator (>= 0).
    first_cohort : str or date, default "2022-01"
        Month of the first cohort, as ``"YYYY-MM"`` or the first day of a month.

    Returns
    -------
    SubscriptionsData
        ``(customers, truth)``; the columns are described in
        :func:`load_subscriptions` and :func:`load_subscriptions_truth`.

    Raises
    ------
    ValueError
        If a count is < 1, the seed is negative or ``first_cohort`` is not a
        month.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Given :math:`\theta_i`, :math:`P(T_i = t) = \theta_i (1 - \theta_i)^{t-1}`;
    integrating over :math:`\theta_i \sim \mathrm{Beta}(\alpha, \beta)` gives
    the sBG probabilities :math:`B(\alpha + 1, \beta + t - 1) / B(\alpha,
    \beta)`.  The share of a plan's customers still active after :math:`t`
    renewals is therefore :math:`S(t) = B(\alpha, \beta + t) / B(\alpha,
    \beta)` in expectation, and the retention rate
    :math:`(\beta + t - 1)/(\alpha + \beta + t - 1)` rises with :math:`t`.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> data = make_subscriptions(n_cohorts=3, first_cohort_size=10, seed=1)
    >>> len(data.customers), data.customers["cohort"].unique().tolist()
    (31, ['2022-01', '2022-02', '2022-03'])
    >>> int(data.customers["periods_observed"].max())
    3
    >>> bool((data.customers["end_date"].isna() == ~data.customers["churned"]).all())
    True
    """
    n_cohorts = check_positive_int("n_cohorts", n_cohorts)
    first_cohort_size = check_positive_int("first_cohort_size", first_cohort_size)
    seed = check_seed(seed)
    month0 = _check_first_cohort(first_cohort)

    sizes = np.round(first_cohort_size * (1.0 + COHORT_GROWTH) ** np.arange(n_cohorts)).astype(np.int64)
    cohort = np.repeat(np.arange(n_cohorts), sizes)
    n = cohort.size
    rng_plan, rng_theta, rng_life = streams(seed, 3)

    plan = pick(rng_plan, [PLAN_SHARES[p] for p in PLANS], n)
    alpha = np.array([PLAN_CHURN[p][0] for p in PLANS])[plan]
    beta = np.array([PLAN_CHURN[p][1] for p in PLANS])[plan]
    theta = rng_theta.beta(alpha, beta)
    theta = np.char.mod("%.8g", theta).astype(float)  # the exact values written to the truth file
    lifetime = rng_life.geometric(theta).astype(np.int64)

    horizon = n_cohorts - cohort  # renewal dates each cohort has faced by observed_until
    churned = lifetime <= horizon
    observed = np.where(churned, lifetime, horizon)
    start_month = month0 + cohort.astype("timedelta64[M]")
    start = pd.DatetimeIndex(start_month.astype("datetime64[D]")).astype(_DATETIME)
    end_month = start_month + np.where(churned, lifetime, 0).astype("timedelta64[M]")
    end = pd.Series(pd.DatetimeIndex(end_month.astype("datetime64[D]")).astype(_DATETIME)).where(churned)

    customer_ids = pd.array(ids("S", n, 5), dtype="str")
    plans = pd.Categorical.from_codes(plan, categories=list(PLANS))
    fees = np.array([PLAN_FEES[p] for p in PLANS])[plan]
    labels = np.datetime_as_string(start_month, unit="M")
    customers = pd.DataFrame(
        {
            "customer_id": customer_ids,
            "cohort": pd.array(labels, dtype="str"),
            "plan": plans,
            "monthly_fee": fees,
            "start_date": start,
            "end_date": end,
            "periods_observed": observed.astype(np.int64),
            "churned": churned,
        }
    )
    truth = pd.DataFrame(
        {
            "customer_id": customer_ids,
            "plan": plans.copy(),
            "alpha": alpha,
            "beta": beta,
            "theta": theta,
            "lifetime_periods": lifetime,
        }
    )
    return SubscriptionsData(customers=customers, truth=truth)


def write_subscriptions(directory, data: SubscriptionsData | None = None) -> list[Path]:
    """Write the subscriptions dataset as two CSV files, reproducible byte for byte.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if needed.
    data : SubscriptionsData, optional
        Frames to write; by default ``make_subscriptions()`` with its default
        arguments (the course's dataset).

    Returns
    -------
    list of pathlib.Path
        Paths of ``subscriptions.csv`` and ``subscriptions_truth.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` not a SubscriptionsData.
    ValueError
        If ``directory`` is an existing file.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated
       Values (CSV) Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_subscriptions(tmp, make_subscriptions(n_cohorts=2, first_cohort_size=3, seed=0))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text().splitlines()[0])
    ['subscriptions.csv', 'subscriptions_truth.csv']
    customer_id,cohort,plan,monthly_fee,start_date,end_date,periods_observed,churned
    """
    return write_tables(directory, data, SubscriptionsData, make_subscriptions, (SUBSCRIPTIONS_TABLE, SUBSCRIPTIONS_TRUTH_TABLE))


def load_subscriptions(directory=None) -> pd.DataFrame:
    """Load the observable subscriptions data: one row per customer.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``subscriptions.csv``; :func:`coursekit.tables.data_dir`
        by default.

    Returns
    -------
    pandas.DataFrame
        Sorted by start date, then customer id:

        * ``customer_id`` (str) -- ``"S00001"`` ...
        * ``cohort`` (str) -- month of acquisition, ``"YYYY-MM"``.
        * ``plan`` (category) -- ``"basic"`` or ``"premium"``.
        * ``monthly_fee`` (float) -- fee per month, currency units (CU).
        * ``start_date`` (datetime64[ns]) -- first day of the subscription
          (the first of the cohort's month).
        * ``end_date`` (datetime64[ns]) -- the renewal date the customer did
          not renew (NaT if still active).
        * ``periods_observed`` (int64) -- months paid for if churned, else
          renewal dates faced so far (the censoring time).
        * ``churned`` (bool) -- whether the churn was observed.

    Raises
    ------
    FileNotFoundError
        If the file is missing (the message says how to regenerate it).
    ValueError
        If the file does not have the expected columns or values.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> subs = load_subscriptions()
    >>> subs.shape
    (6887, 8)
    >>> subs["plan"].value_counts().to_dict()
    {'basic': 4856, 'premium': 2031}
    >>> round(float(subs["churned"].mean()), 4)
    0.5643
    """
    return SUBSCRIPTIONS_TABLE.read(directory)


def load_subscriptions_truth(directory=None) -> pd.DataFrame:
    r"""Load the ground truth of the subscriptions dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``subscriptions_truth.csv``;
        :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer, in the order of :func:`load_subscriptions`:

        * ``customer_id`` (str).
        * ``plan`` (category).
        * ``alpha``, ``beta`` (float) -- parameters of the Beta distribution
          the customer's churn probability was drawn from (those of her plan).
        * ``theta`` (float) -- her monthly churn probability :math:`\theta_i`.
        * ``lifetime_periods`` (int64) -- months she pays for in total,
          :math:`T_i`, which may run past the extraction date.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If the file does not have the expected columns or values.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007.

    Examples
    --------
    >>> truth = load_subscriptions_truth()
    >>> truth.groupby("plan", observed=True)[["alpha", "beta"]].first()
             alpha  beta
    plan
    basic      1.3   7.0
    premium    1.8  25.0
    >>> round(float(truth["theta"].mean()), 4)
    0.132
    """
    return SUBSCRIPTIONS_TRUTH_TABLE.read(directory)


def write_fader_hardie(directory) -> list[Path]:
    """Write Table 1 of Fader and Hardie (2007) as ``fader_hardie_2007_table1.csv``.

    The numbers are hand-coded constants (:data:`FADER_HARDIE_2007_TABLE1`),
    typed in from the paper; nothing is random.  Columns: ``year`` (0..12),
    ``regular`` and ``high_end`` (percent of the cohort of 1,000 still active
    at the start of the year, one decimal).

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if needed.

    Returns
    -------
    list of pathlib.Path
        The path of the file written.

    Raises
    ------
    TypeError
        If ``directory`` is not a path.
    ValueError
        If ``directory`` is an existing file.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007 (Table 1).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(write_fader_hardie(tmp)[0].read_text().splitlines()[:3])
    ['year,regular,high_end', '0,100.0,100.0', '1,63.1,86.9']
    """
    return [FADER_HARDIE_TABLE.write(pd.DataFrame(FADER_HARDIE_2007_TABLE1), output_folder(directory))]


def load_fader_hardie(directory=None) -> pd.DataFrame:
    """Load Table 1 of Fader and Hardie (2007): the retention of two cohorts over 12 years.

    Two cohorts of 1,000 customers each, acquired in the same year: a
    "regular" and a "high end" segment.  For each the table gives the
    percentage still active at the start of years 0 to 12.  Fader and Hardie
    fit the shifted-beta-geometric model to years 0-7 and project years 8-12;
    their estimates are alpha = 0.704, beta = 1.182 (regular) and
    alpha = 0.668, beta = 3.806 (high end).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``fader_hardie_2007_table1.csv``;
        :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        13 rows: ``year`` (int64, 0..12), ``regular`` and ``high_end``
        (float, percent of the cohort still active).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If the file does not have the expected columns.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007 (Table 1).

    Examples
    --------
    >>> table = load_fader_hardie()
    >>> table.head(3)
       year  regular  high_end
    0     0    100.0     100.0
    1     1     63.1      86.9
    2     2     46.8      74.3
    """
    return FADER_HARDIE_TABLE.read(directory)


def fader_hardie_survivors(segment="regular", last_year=12, directory=None) -> np.ndarray:
    """Survivor counts S(0), ..., S(last_year) of a Fader-Hardie cohort of 1,000 customers.

    The percentages of :func:`load_fader_hardie` times 1,000 / 100, rounded to
    whole customers (they are whole already: the table has one decimal).
    Ready for :func:`coursekit.models.survival.fit_sbg`.

    Parameters
    ----------
    segment : {"regular", "high_end"}, default "regular"
        Which cohort.
    last_year : int, default 12
        Last year to include, 2..12 (Fader and Hardie calibrate on 7).
    directory : str or pathlib.Path, optional
        Folder holding the table; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    numpy.ndarray of int64
        ``last_year + 1`` counts, starting with 1000.

    Raises
    ------
    ValueError
        If ``segment`` or ``last_year`` is invalid.

    References
    ----------
    .. [1] P. S. Fader and B. G. S. Hardie, "How to Project Customer Retention",
       Journal of Interactive Marketing 21(1), 76-90, 2007 (Table 1).

    Examples
    --------
    >>> fader_hardie_survivors("regular", last_year=7)
    array([1000,  631,  468,  382,  326,  289,  262,  241])
    """
    check_choice("segment", segment, ("regular", "high_end"))
    last = check_positive_int("last_year", last_year)
    if not 2 <= last <= 12:
        raise ValueError(f"last_year must be between 2 and 12 (the table covers years 0-12), got {last}")
    table = load_fader_hardie(directory)
    share = table[segment].to_numpy(dtype=float)[: last + 1]
    return np.round(share * _FADER_HARDIE_COHORT_SIZE / 100.0).astype(np.int64)
