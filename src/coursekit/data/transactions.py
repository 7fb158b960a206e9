r"""Generators of the course's synthetic datasets.

The course needs data whose ground truth is known, so that a model fitted in a
notebook can be checked against the process that produced the data.  This
module builds such data from documented generative models with a fixed seed,
and writes them as CSV files that are reproducible byte for byte.  Running
``python -m coursekit.data.transactions datasets`` (the ``make data`` target) regenerates
the repository's ``datasets/`` folder.

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

Adding a dataset
----------------
Each dataset has a ``make_*`` function that returns frames and a writer that
saves them; the writer is registered in :data:`DATASETS` under the dataset's
name, and :func:`write_datasets` calls every registered writer.

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


import argparse
import importlib
import datetime as _dt
import sys
import time
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int

__all__ = [
    "TransactionsData",
    "make_transactions",
    "write_transactions",
    "write_datasets",
    "DATASETS",
    "CHANNELS",
    "CHANNEL_SHARES",
    "CHANNEL_EFFECTS",
    "REGIONS",
    "REGION_SHARES",
    "CATEGORIES",
    "DAYS_PER_MONTH",
    "main",
    "write_command",
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

_DATETIME = "datetime64[ns]"


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


def _check_date(name: str, value) -> pd.Timestamp:
    """Return ``value`` as a midnight Timestamp, or raise naming ``name``."""
    if not isinstance(value, (str, _dt.date, np.datetime64)):
        raise TypeError(
            f"{name} must be a date given as an ISO string such as '2021-01-01', "
            f"a datetime.date or a pandas.Timestamp, got {type(value).__name__} {value!r}"
        )
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as '2021-01-01', got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as '2021-01-01', got a missing value {value!r}")
    if stamp.tzinfo is not None:
        raise ValueError(f"{name} must be a date without a time zone, got {value!r}")
    if stamp != stamp.normalize():
        raise ValueError(f"{name} must be a calendar date without a time of day, got {value!r}")
    return stamp


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Return identifiers ``prefix`` + zero-padded 1..n as an object array."""
    width = max(width, len(str(n)))
    numbers = np.arange(1, n + 1).astype(str)
    return np.char.add(prefix, np.char.zfill(numbers, width)).astype(object)


def _to_dates(origin: np.datetime64, days: np.ndarray) -> pd.DatetimeIndex:
    """Return the calendar dates ``origin`` + floor(``days``) as datetime64[ns]."""
    offsets = np.floor(days).astype(np.int64).astype("timedelta64[D]")
    return pd.DatetimeIndex(origin + offsets).astype(_DATETIME)


def _pick(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    """Draw ``n`` codes 0..k-1 with the probabilities listed in ``shares``."""
    p = np.array(list(shares.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


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
    seed = check_positive_int("seed", seed, allow_zero=True)
    start_ts = _check_date("start", start)
    end_ts = _check_date("end", end)
    if end_ts <= start_ts:
        raise ValueError(
            f"end must be a later date than start, got start={start_ts.date()} and end={end_ts.date()}"
        )

    streams = np.random.SeedSequence(seed).spawn(7)
    rng_acq, rng_attr, rng_rate, rng_life, rng_spend, rng_orders, rng_cat = (
        np.random.default_rng(s) for s in streams
    )
    horizon = float((end_ts - start_ts).days + 1)  # days; the window is [0, horizon)

    # 1. Acquisition times (days from start), density proportional to exp(g t).
    growth = np.log1p(ACQUISITION_GROWTH_PER_YEAR) / 365.25
    u = rng_acq.random(n_customers)
    acq = np.log1p(u * np.expm1(growth * horizon)) / growth
    acq = np.minimum(acq, np.nextafter(horizon, 0.0))
    acq.sort()

    # 2. Channel and region.
    channel = _pick(rng_attr, CHANNEL_SHARES, n_customers)
    region = _pick(rng_attr, REGION_SHARES, n_customers)
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

    start64 = np.datetime64(start_ts.date(), "D")
    customer_id = _ids("C", n_customers, 5)
    acquired = _to_dates(start64, acq)

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
            "order_id": pd.array(_ids("O", owner.size, 6), dtype="str"),
            "customer_id": pd.array(customer_id[owner], dtype="str"),
            "order_date": _to_dates(start64, order_time),
            "amount": amount,
            "category": pd.Categorical.from_codes(category, categories=list(CATEGORIES)),
        }
    )
    churn_date = pd.Series(_to_dates(start64, np.where(churned, churn_time, 0.0))).where(churned)
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


def _date_text(values: pd.Series) -> pd.Series:
    """Format a datetime column as ISO dates, with an empty field for NaT."""
    return values.dt.strftime("%Y-%m-%d").fillna("")


def _float_text(values, decimals: int) -> np.ndarray:
    """Format floats with a fixed number of decimals."""
    return np.char.mod(f"%.{decimals}f", np.asarray(values, dtype=float))


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame of text columns as a UTF-8 CSV with ``\\n`` line ends."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_transactions(directory, data: TransactionsData | None = None) -> list[Path]:
    """Write the transactions dataset as three CSV files.

    Every column is formatted explicitly (ISO dates, a fixed number of
    decimals, ``True``/``False`` flags, an empty field for a missing date), so
    the bytes depend only on the data.

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
    directory = _check_directory("directory", directory)
    if data is None:
        data = make_transactions()
    elif not isinstance(data, TransactionsData):
        raise TypeError(f"data must be a TransactionsData or None, got {type(data).__name__}")
    customers, orders, truth = data
    paths = [
        _write_csv(
            pd.DataFrame(
                {
                    "customer_id": customers["customer_id"].astype(str),
                    "acquired": _date_text(customers["acquired"]),
                    "channel": customers["channel"].astype(str),
                    "region": customers["region"].astype(str),
                }
            ),
            directory / "transactions_customers.csv",
        ),
        _write_csv(
            pd.DataFrame(
                {
                    "order_id": orders["order_id"].astype(str),
                    "customer_id": orders["customer_id"].astype(str),
                    "order_date": _date_text(orders["order_date"]),
                    "amount": _float_text(orders["amount"], 2),
                    "category": orders["category"].astype(str),
                }
            ),
            directory / "transactions_orders.csv",
        ),
        _write_csv(
            pd.DataFrame(
                {
                    "customer_id": truth["customer_id"].astype(str),
                    "purchase_rate_per_month": _float_text(truth["purchase_rate_per_month"], 6),
                    "churn_rate_per_month": _float_text(truth["churn_rate_per_month"], 6),
                    "mean_spend": _float_text(truth["mean_spend"], 4),
                    "lifetime_months": _float_text(truth["lifetime_months"], 4),
                    "churned_by_end": np.where(truth["churned_by_end"].to_numpy(bool), "True", "False"),
                    "churn_date": _date_text(truth["churn_date"]),
                }
            ),
            directory / "transactions_truth.csv",
        ),
    ]
    return paths


#: Registry of datasets: name -> function(directory) writing its files and
#: returning their paths.  Add new datasets here.
def _lazy(module: str, function: str) -> Callable[[Path], list[Path]]:
    """A writer that imports ``module`` only when called (those modules import this one)."""

    def writer(directory):
        return getattr(importlib.import_module(module), function)(directory)

    writer.__name__ = function
    writer.__doc__ = f"Call :func:`{module}.{function}`."
    return writer


#: Every dataset of the course: name -> writer(directory) returning the paths written.
#: ``make data`` (``python -m coursekit.data.transactions datasets``) calls them all, in this order.
DATASETS: dict[str, Callable[[Path], list[Path]]] = {
    "transactions": write_transactions,
    "survey": _lazy("coursekit.data.survey", "write_survey"),
    "complaints": _lazy("coursekit.data.survey", "write_complaints"),
    "subscriptions": _lazy("coursekit.data.subscriptions", "write_subscriptions"),
    "fader_hardie_2007": _lazy("coursekit.data.subscriptions", "write_fader_hardie"),
    "bank_accounts": _lazy("coursekit.data.bank_accounts", "write_bank_accounts"),
    "campaign": _lazy("coursekit.models.experiments", "write_campaign"),
    "crm": _lazy("coursekit.data.crm_sources", "write_crm"),
    "key_accounts": _lazy("coursekit.cases.casedata2", "write_key_accounts"),
    "hotline_survey": _lazy("coursekit.cases.casedata2", "write_hotline_survey"),
    "freshbox": _lazy("coursekit.cases.casedata", "write_freshbox"),
    "miao": _lazy("coursekit.cases.casedata", "write_miao"),
    "dicks": _lazy("coursekit.cases.casedata", "write_dicks"),
}


def _check_directory(name: str, directory) -> Path:
    """Return ``directory`` as a Path, creating it; refuse non-paths and files."""
    if not isinstance(directory, (str, Path)) or str(directory) == "":
        raise TypeError(f"{name} must be a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}")
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{name} must be a folder, got the existing file {str(path)!r}")
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_datasets(directory, names=None) -> list[Path]:
    """Write every registered dataset (or the ones named) into ``directory``.

    The files are reproducible byte for byte: writing twice, on any day, gives
    identical files.  This is what ``make data`` runs.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; it is created if it does not exist.
    names : iterable of str, optional
        Names of datasets from :data:`DATASETS` to write; all of them by
        default.

    Returns
    -------
    list of pathlib.Path
        Paths of the files written, in registry order.

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the
       ACM 64(12), 86-92, 2021.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print([p.name for p in write_datasets(tmp, "transactions")])
    ['transactions_customers.csv', 'transactions_orders.csv', 'transactions_truth.csv']
    """
    directory = _check_directory("directory", directory)
    if names is None:
        selected = list(DATASETS)
    else:
        if isinstance(names, str):
            names = [names]
        selected = list(names)
        unknown = [n for n in selected if n not in DATASETS]
        if not selected or unknown:
            raise ValueError(
                f"names must list datasets among {', '.join(map(repr, DATASETS))}; got {names!r}"
            )
    paths: list[Path] = []
    for name in selected:
        paths.extend(DATASETS[name](directory))
    return paths


def write_command(argv, *, prog: str, description: str, writers) -> int:
    """The command line shared by every dataset module: ``python -m <module> [DIRECTORY]``.

    Parses an optional ``DIRECTORY`` (``datasets`` by default), calls each writer
    with it, prints every file written with its size and the time taken, and
    returns 0.  Each generator module's ``main`` calls this with its own writers;
    :func:`main` below does the same for all of them.

    Examples
    --------
    >>> import tempfile, contextlib, io
    >>> out = io.StringIO()
    >>> with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(out):
    ...     status = write_command([tmp], prog="demo", description="demo", writers=[write_transactions])
    >>> status, out.getvalue().count("wrote ")
    (0, 3)
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("directory", nargs="?", default="datasets", help="folder to write into (default: datasets)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = [path for writer in writers for path in writer(args.directory)]
    _report(paths, time.perf_counter() - began)
    return 0


def _report(paths, elapsed: float) -> None:
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"done in {elapsed:.2f} s")


def main(argv=None) -> int:
    """Command line: ``python -m coursekit.data.transactions [DIRECTORY]``.

    Writes every registered dataset into ``DIRECTORY`` (``datasets`` by
    default) and prints the files written and the time taken.
    """
    parser = argparse.ArgumentParser(
        prog="python -m coursekit.data.transactions",
        description="Regenerate the coursekit datasets (byte-for-byte reproducible).",
    )
    parser.add_argument("directory", nargs="?", default="datasets", help="folder to write into (default: datasets)")
    parser.add_argument("--only", action="append", choices=list(DATASETS), help="write only this dataset (repeatable)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = write_datasets(args.directory, args.only)
    _report(paths, time.perf_counter() - began)
    return 0


if __name__ == "__main__":
    sys.exit(main())
