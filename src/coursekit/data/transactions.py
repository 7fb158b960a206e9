r"""The transactions dataset: customers and orders of an online retailer, with known truth.

The course needs data whose ground truth is known, so that a model fitted in a
notebook can be checked against the process that produced the data.  This
module builds the transactions dataset from a documented generative model with
a fixed seed, writes it as CSV files that are reproducible byte for byte
(declared once as :class:`coursekit.tables.Table` specs) and loads them
back as typed frames (:func:`load_customers`, :func:`load_orders`,
:func:`load_truth`; :func:`customer_revenue` sums the orders).  ``make data``
(``python -m coursekit.data``, see :mod:`coursekit.data.registry`) regenerates
every dataset of the repository's ``datasets/`` folder.

The transactions dataset
------------------------
:func:`make_transactions` simulates the customers of an online retailer of
everyday goods.  Nothing in it is scripted to look like the 80/20 rule or to
show churn: both emerge from differences between customers, in the spirit of
the Pareto/NBD model of Schmittlein, Morrison and Colombo (1987).

1. **Acquisition.**  Customers join between ``start`` and ``end``.  The rate of
   acquisition grows exponentially, by ``ACQUISITION_GROWTH_PER_YEAR`` (50 %)
   a year, so that recent cohorts are larger.  A customer's acquisition date is
   the date of the first order (as in the Pareto/NBD set-up, where the clock of
   a customer starts with the first purchase).
2. **Channel and region.**  Each customer comes through one acquisition
   channel, drawn with the shares in ``CHANNEL_SHARES``, and lives in one
   region drawn with the shares in ``REGION_SHARES``.  The channel multiplies
   the customer's purchase rate, churn rate and spend by the factors of
   ``CHANNEL_EFFECTS``; the region has no effect at all, so it can serve in
   exercises on differences that are pure noise.
3. **Purchase rate.**  While alive, customer :math:`i` places repeat orders as
   a Poisson process with rate :math:`\lambda_i = c^{\lambda}_{k(i)} \, g_i`
   orders per month, with :math:`g_i \sim \mathrm{Gamma}(r, \text{scale}
   = m_\lambda / r)` (shape :math:`r = 0.7`, mean :math:`m_\lambda = 0.45`
   orders a month) and :math:`c^{\lambda}_{k}` the factor of channel
   :math:`k`.
4. **Lifetime.**  Customer :math:`i` stays alive for
   :math:`\tau_i \sim \mathrm{Exponential}(\mu_i)` months, where the churn rate
   is :math:`\mu_i = c^{\mu}_{k(i)} \, h_i` with
   :math:`h_i \sim \mathrm{Gamma}(s, \text{scale} = m_\mu / s)` (shape
   :math:`s = 1.5`, mean :math:`m_\mu = 1/20` per month).  A customer whose
   acquisition time plus lifetime falls before the end of the window has
   churned by the end; the others are right-censored.
5. **Spend.**  Customer :math:`i` has a mean order value
   :math:`\bar a_i = c^{a}_{k(i)} \exp(Z_i)` with
   :math:`Z_i \sim \mathcal N(\ln 40, 0.6^2)`, in currency units (CU).  Each
   order's amount is drawn from a Gamma distribution with shape 3 and mean
   :math:`\bar a_i`, then rounded to 0.01 CU.
6. **Category.**  Each customer has preferences over the product categories
   drawn from a symmetric Dirichlet distribution (concentration 0.5), and each
   order's category is drawn from them.  The amount does not depend on the
   category.

Months are calendar-free units of 365.25 / 12 days.  Times are simulated in
continuous days from ``start`` and truncated to dates, so an order never falls
before its customer's acquisition date, after the churn date, or after
``end``.  Independent random streams (spawned from one
:class:`numpy.random.SeedSequence`) drive the separate steps.

References
----------
.. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
   customers: who are they and what will they do next?", Management Science
   33(1), 1-24, 1987.
.. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting your customers'
   the easy way: an alternative to the Pareto/NBD model", Marketing Science
   24(2), 275-284, 2005.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_date, check_frame, check_positive_int, check_seed
from coursekit.data.sampling import day_dates, ids, pick, streams
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "TransactionsData",
    "make_transactions",
    "write_transactions",
    "load_customers",
    "load_orders",
    "load_truth",
    "customer_revenue",
    "CUSTOMERS_TABLE",
    "ORDERS_TABLE",
    "TRUTH_TABLE",
    "CHANNELS",
    "CHANNEL_SHARES",
    "CHANNEL_EFFECTS",
    "REGIONS",
    "REGION_SHARES",
    "CATEGORIES",
    "DAYS_PER_MONTH",
]

#: Length of the model's month, in days.
DAYS_PER_MONTH = 365.25 / 12

#: Acquisition channels, in their fixed (display) order.
CHANNELS = ("referral", "search_ads", "social_media", "marketplace", "promotion")

#: Share of new customers that each channel brings.
CHANNEL_SHARES = {
    "referral": 0.12,
    "search_ads": 0.28,
    "social_media": 0.22,
    "marketplace": 0.20,
    "promotion": 0.18,
}

#: Multiplicative effect of each channel on (purchase rate, churn rate, spend).
CHANNEL_EFFECTS = {
    "referral": (1.25, 0.55, 1.15),
    "search_ads": (1.00, 1.00, 1.00),
    "social_media": (0.90, 1.30, 0.90),
    "marketplace": (1.10, 1.00, 0.85),
    "promotion": (0.80, 2.20, 0.70),
}

#: Regions, in their fixed order (a placebo attribute with no effect).
REGIONS = ("north", "east", "south", "west", "central")

#: Share of customers in each region.
REGION_SHARES = {"north": 0.18, "east": 0.30, "south": 0.24, "west": 0.12, "central": 0.16}

#: Product categories, in their fixed order.
CATEGORIES = ("groceries", "household", "personal_care", "beauty", "baby", "pet")

# Parameters of the transactions model (see the module docstring).
ACQUISITION_GROWTH_PER_YEAR = 0.5
RATE_SHAPE = 0.7
RATE_MEAN_PER_MONTH = 0.45
CHURN_SHAPE = 1.5
CHURN_MEAN_PER_MONTH = 1 / 20
SPEND_LOG_MEAN = float(np.log(40.0))
SPEND_LOG_SD = 0.6
ORDER_AMOUNT_SHAPE = 3.0
CATEGORY_CONCENTRATION = 0.5

DEFAULT_SEED = 20240601
DEFAULT_N_CUSTOMERS = 5000
DEFAULT_START = "2021-01-01"
DEFAULT_END = "2023-12-31"

class TransactionsData(NamedTuple):
    """The three frames of the transactions dataset.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer: ``customer_id``, ``acquired``, ``channel``,
        ``region``.
    orders : pandas.DataFrame
        One row per order: ``order_id``, ``customer_id``, ``order_date``,
        ``amount`` (currency units), ``category``.
    truth : pandas.DataFrame
        The latent parameters that generated each customer's behaviour, kept
        apart from the observable data.
    """

    customers: pd.DataFrame
    orders: pd.DataFrame
    truth: pd.DataFrame


def make_transactions(
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    start=DEFAULT_START,
    end=DEFAULT_END,
) -> TransactionsData:
    r"""Simulate the customers and orders of an online retailer.

    The generative model (acquisition with growth, channel effects,
    Pareto/NBD-style purchase and churn behaviour, Gamma order amounts) is set
    out in the module docstring.  The result depends only on the arguments: the
    same arguments give identical frames on every run.

    Parameters
    ----------
    n_customers : int, default 5000
        Number of customers acquired in the window (a whole number >= 1).
    seed : int, default 20240601
        Seed of the random number generator (a whole number >= 0).
    start, end : str, datetime.date or pandas.Timestamp
        First and last calendar day of the window (both included).  Customers
        are acquired and orders observed only within it; ``end`` must be after
        ``start``.

    Returns
    -------
    TransactionsData
        A named tuple ``(customers, orders, truth)``:

        * ``customers`` -- ``customer_id`` (str, ``"C00001"`` ...),
          ``acquired`` (datetime64, date of the first order), ``channel``
          (categorical), ``region`` (categorical); sorted by acquisition.
        * ``orders`` -- ``order_id`` (str, ``"O000001"`` ...), ``customer_id``,
          ``order_date`` (datetime64), ``amount`` (float, currency units,
          rounded to 0.01), ``category`` (categorical); sorted by date and id.
        * ``truth`` -- ``customer_id``, ``purchase_rate_per_month``
          (:math:`\lambda_i`, repeat orders per month while alive),
          ``churn_rate_per_month`` (:math:`\mu_i`, per month),
          ``mean_spend`` (:math:`\bar a_i`, currency units per order),
          ``lifetime_months`` (:math:`\tau_i`, months from acquisition to
          churn, which may run past ``end``), ``churned_by_end`` (bool) and
          ``churn_date`` (datetime64, NaT for customers alive at ``end``).

    Notes
    -----
    With acquisition time :math:`a_i` and observation end :math:`T` (the end
    of day ``end``), customer :math:`i` is observed alive for
    :math:`\min(\tau_i, T - a_i)`.  Given the latent parameters, the number of
    repeat orders is :math:`N_i \sim \mathrm{Poisson}(\lambda_i \min(\tau_i,
    T - a_i))` and their times are independent and uniform on that interval,
    which is the Poisson process of rate :math:`\lambda_i`.  The expected
    number of repeat orders over an unlimited horizon is
    :math:`E[\lambda_i / \mu_i]`.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> data = make_transactions(n_customers=200, seed=7)
    >>> len(data.customers), len(data.truth)
    (200, 200)
    >>> data.customers.columns.tolist()
    ['customer_id', 'acquired', 'channel', 'region']
    >>> data.orders.columns.tolist()
    ['order_id', 'customer_id', 'order_date', 'amount', 'category']
    >>> data.customers["customer_id"].iloc[0]
    'C00001'
    >>> bool(data.orders["order_date"].is_monotonic_increasing)
    True
    """
    n_customers = check_positive_int("n_customers", n_customers)
    seed = check_seed(seed)
    start_ts = check_date("start", start, example=DEFAULT_START, whole_day=True)
    end_ts = check_date("end", end, example=DEFAULT_END, whole_day=True)
    if end_ts <= start_ts:
        raise ValueError(
            f"end must be a later date than start, got start={start_ts.date()} and end={end_ts.date()}"
        )

    rng_acq, rng_attr, rng_rate, rng_life, rng_spend, rng_orders, rng_cat = streams(seed, 7)
    horizon = float((end_ts - start_ts).days + 1)  # days; the window is [0, horizon)

    # 1. Acquisition times (days from start), density proportional to exp(g t).
    growth = np.log1p(ACQUISITION_GROWTH_PER_YEAR) / 365.25
    u = rng_acq.random(n_customers)
    acq = np.log1p(u * np.expm1(growth * horizon)) / growth
    acq = np.minimum(acq, np.nextafter(horizon, 0.0))
    acq.sort()

    # 2. Channel and region.
    channel = pick(rng_attr, CHANNEL_SHARES, n_customers)
    region = pick(rng_attr, REGION_SHARES, n_customers)
    effects = np.array([CHANNEL_EFFECTS[c] for c in CHANNELS])
    eff_rate, eff_churn, eff_spend = effects[channel].T

    # 3-5. Latent purchase rate, churn rate, lifetime and mean spend.
    rate = eff_rate * rng_rate.gamma(RATE_SHAPE, RATE_MEAN_PER_MONTH / RATE_SHAPE, n_customers)
    churn = eff_churn * rng_life.gamma(CHURN_SHAPE, CHURN_MEAN_PER_MONTH / CHURN_SHAPE, n_customers)
    lifetime = rng_life.exponential(1.0, n_customers) / churn  # months
    mean_spend = eff_spend * rng_spend.lognormal(SPEND_LOG_MEAN, SPEND_LOG_SD, n_customers)

    # Rounding the truth once here makes the CSV round trip exact.
    rate = np.round(rate, 6)
    churn = np.round(churn, 6)
    lifetime = np.round(lifetime, 4)
    mean_spend = np.round(mean_spend, 4)

    churn_time = acq + lifetime * DAYS_PER_MONTH  # days from start
    churned = churn_time < horizon
    observed_days = np.minimum(churn_time, horizon) - acq

    # Repeat orders: Poisson counts, uniform times on the observed lifetime.
    n_repeat = rng_orders.poisson(rate * observed_days / DAYS_PER_MONTH)
    owner = np.concatenate([np.arange(n_customers), np.repeat(np.arange(n_customers), n_repeat)])
    offset = np.concatenate(
        [np.zeros(n_customers), rng_orders.random(owner.size - n_customers) * observed_days[owner[n_customers:]]]
    )
    order_time = np.minimum(acq[owner] + offset, np.nextafter(horizon, 0.0))
    amount = rng_orders.gamma(ORDER_AMOUNT_SHAPE, mean_spend[owner] / ORDER_AMOUNT_SHAPE)
    amount = np.maximum(np.round(amount, 2), 0.01)

    # 6. Category: customer preferences (Dirichlet via Gamma), one draw per order.
    pref = rng_cat.gamma(CATEGORY_CONCENTRATION, 1.0, (n_customers, len(CATEGORIES)))
    cum = np.cumsum(pref, axis=1)
    cum /= cum[:, -1:]
    category = (rng_cat.random(owner.size)[:, None] > cum[owner]).sum(axis=1)
    category = np.minimum(category, len(CATEGORIES) - 1)

    # Order ids follow time; ties broken by customer.
    order = np.lexsort((owner, order_time))
    owner, order_time, amount, category = owner[order], order_time[order], amount[order], category[order]

    origin = str(start_ts.date())
    customer_id = ids("C", n_customers, 5)
    acquired = day_dates(origin, np.floor(acq))

    customers = pd.DataFrame(
        {
            "customer_id": pd.array(customer_id, dtype="str"),
            "acquired": acquired,
            "channel": pd.Categorical.from_codes(channel, categories=list(CHANNELS)),
            "region": pd.Categorical.from_codes(region, categories=list(REGIONS)),
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": pd.array(ids("O", owner.size, 6), dtype="str"),
            "customer_id": pd.array(customer_id[owner], dtype="str"),
            "order_date": day_dates(origin, np.floor(order_time)),
            "amount": amount,
            "category": pd.Categorical.from_codes(category, categories=list(CATEGORIES)),
        }
    )
    churn_date = day_dates(origin, np.floor(np.where(churned, churn_time, 0.0))).where(churned)
    truth = pd.DataFrame(
        {
            "customer_id": pd.array(customer_id, dtype="str"),
            "purchase_rate_per_month": rate,
            "churn_rate_per_month": churn,
            "mean_spend": mean_spend,
            "lifetime_months": lifetime,
            "churned_by_end": churned,
            "churn_date": churn_date,
        }
    )
    return TransactionsData(customers=customers, orders=orders, truth=truth)


#: ``transactions_customers.csv``: one row per customer, sorted by acquisition date.
CUSTOMERS_TABLE = Table(
    "transactions_customers.csv",
    [
        Column("customer_id"),
        Column("acquired", "date"),
        Column("channel", "category", categories=CHANNELS),
        Column("region", "category", categories=REGIONS),
    ],
)

#: ``transactions_orders.csv``: one row per order, sorted by date and then order id.
ORDERS_TABLE = Table(
    "transactions_orders.csv",
    [
        Column("order_id"),
        Column("customer_id"),
        Column("order_date", "date"),
        Column("amount", "float", decimals=2),
        Column("category", "category", categories=CATEGORIES),
    ],
)

#: ``transactions_truth.csv``: the latent parameters of each customer (empty churn date if alive).
TRUTH_TABLE = Table(
    "transactions_truth.csv",
    [
        Column("customer_id"),
        Column("purchase_rate_per_month", "float", decimals=6),
        Column("churn_rate_per_month", "float", decimals=6),
        Column("mean_spend", "float", decimals=4),
        Column("lifetime_months", "float", decimals=4),
        Column("churned_by_end", "bool"),
        Column("churn_date", "date", optional=True),
    ],
)


def write_transactions(directory, data: TransactionsData | None = None) -> list[Path]:
    """Write the transactions dataset as three CSV files.

    Every column is formatted explicitly by its :class:`~coursekit.tables.Table`
    spec (ISO dates, a fixed number of decimals, ``True``/``False`` flags, an
    empty field for a missing date), so the bytes depend only on the data.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; it is created if it does not exist.
    data : TransactionsData, optional
        Frames to write.  By default the course's dataset,
        ``make_transactions()`` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        Paths of ``transactions_customers.csv``, ``transactions_orders.csv``
        and ``transactions_truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated
       Values (CSV) Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_transactions(tmp, make_transactions(n_customers=50, seed=3))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text().splitlines()[0])
    ['transactions_customers.csv', 'transactions_orders.csv', 'transactions_truth.csv']
    customer_id,acquired,channel,region
    """
    return write_tables(directory, data, TransactionsData, make_transactions, (CUSTOMERS_TABLE, ORDERS_TABLE, TRUTH_TABLE))


def load_customers(directory=None) -> pd.DataFrame:
    """Load the customers of the transactions dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_customers.csv``; :func:`coursekit.tables.data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by acquisition date:

        * ``customer_id`` (str) -- ``"C00001"`` ...
        * ``acquired`` (datetime64[ns]) -- date of the first order.
        * ``channel`` (category) -- acquisition channel, categories in the
          order of :data:`CHANNELS`.
        * ``region`` (category) -- region, in the order of
          :data:`REGIONS`.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> customers = load_customers()
    >>> customers.shape
    (5000, 4)
    >>> customers["channel"].cat.categories.tolist()
    ['referral', 'search_ads', 'social_media', 'marketplace', 'promotion']
    """
    return CUSTOMERS_TABLE.read(directory)


def load_orders(directory=None) -> pd.DataFrame:
    """Load the orders of the transactions dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_orders.csv``; :func:`coursekit.tables.data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per order, sorted by date and then order id:

        * ``order_id`` (str) -- ``"O000001"`` ...
        * ``customer_id`` (str) -- the customer who placed the order.
        * ``order_date`` (datetime64[ns]) -- day of the order.
        * ``amount`` (float) -- order value in currency units (CU), > 0,
          rounded to 0.01 CU.
        * ``category`` (category) -- product category, in the order of
          :data:`CATEGORIES`.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
       iso-value curves for customer base analysis", Journal of Marketing
       Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> orders = load_orders()
    >>> orders.shape
    (27125, 5)
    >>> round(float(orders["amount"].sum()), 2)
    1174287.78
    """
    return ORDERS_TABLE.read(directory)


def load_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the transactions dataset.

    These are the latent quantities that generated each customer's orders.
    They are not observable in practice; the course uses them to check models.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_truth.csv``; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer:

        * ``customer_id`` (str).
        * ``purchase_rate_per_month`` (float) -- repeat orders per month while
          alive, :math:`\\lambda_i`.
        * ``churn_rate_per_month`` (float) -- :math:`\\mu_i`, per month; the
          lifetime is exponential with this rate.
        * ``mean_spend`` (float) -- mean order value :math:`\\bar a_i`, CU.
        * ``lifetime_months`` (float) -- months from acquisition to churn
          (may run past the end of the window).
        * ``churned_by_end`` (bool) -- whether the customer churned within the
          window.
        * ``churn_date`` (datetime64[ns]) -- day of churn, NaT if alive at the
          end.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> truth = load_truth()
    >>> round(float(truth["churned_by_end"].mean()), 4)
    0.4224
    >>> bool(truth.loc[~truth["churned_by_end"], "churn_date"].isna().all())
    True
    """
    return TRUTH_TABLE.read(directory)


def customer_revenue(orders=None, customers=None, directory=None) -> pd.Series:
    r"""Total spend of each customer over the observation window.

    .. math:: R_i = \sum_{o \,:\, c(o) = i} a_o

    where :math:`a_o` is the amount of order :math:`o` and :math:`c(o)` its
    customer.  Customers without orders get :math:`R_i = 0`.

    Parameters
    ----------
    orders : pandas.DataFrame, optional
        Orders with columns ``customer_id`` and ``amount``; by default
        :func:`load_orders`.
    customers : pandas.DataFrame, optional
        Customers with a column ``customer_id``, which fixes the index; by
        default :func:`load_customers`.  When ``orders`` is given and
        ``customers`` is not, the customers are those present in ``orders``.
    directory : str or pathlib.Path, optional
        Folder to load from when frames are not given; :func:`coursekit.tables.data_dir` by
        default.

    Returns
    -------
    pandas.Series
        Revenue in currency units (CU), rounded to 0.01, indexed by
        ``customer_id`` in the order of ``customers``, named ``"revenue"``.

    References
    ----------
    .. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.

    Examples
    --------
    >>> revenue = customer_revenue()
    >>> len(revenue), revenue.name
    (5000, 'revenue')
    >>> round(float(revenue.sum()), 2)
    1174287.78
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.5, 2.0, 3.0]})
    >>> customer_revenue(toy, pd.DataFrame({"customer_id": ["a", "b", "c"]})).tolist()
    [4.5, 2.0, 0.0]
    """
    if orders is None:
        orders = load_orders(directory)
        if customers is None:
            customers = load_customers(directory)
    check_frame("orders", orders, ["customer_id", "amount"])
    if customers is not None:
        check_frame("customers", customers, ["customer_id"])
        index = pd.Index(customers["customer_id"], name="customer_id")
        if index.has_duplicates:
            raise ValueError("customers must list each customer_id once, got duplicates")
    else:
        index = pd.Index(pd.unique(orders["customer_id"]), name="customer_id")
    amount = pd.to_numeric(orders["amount"], errors="coerce")
    if amount.isna().any() or not np.isfinite(amount.to_numpy(dtype=float)).all():
        raise ValueError("orders['amount'] must hold finite numbers, got missing or non-numeric values")
    totals = amount.groupby(orders["customer_id"].to_numpy(), sort=False).sum()
    missing = totals.index.difference(index)
    if len(missing):
        raise ValueError(
            f"orders must refer only to listed customers, got {len(missing)} unknown "
            f"customer_id(s) such as {missing[0]!r}"
        )
    revenue = totals.reindex(index, fill_value=0.0).astype(float).round(2)
    revenue.name = "revenue"
    revenue.index.name = "customer_id"
    return revenue
