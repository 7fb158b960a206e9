r"""The retention-offer dataset: a randomised offer to subscribers, their behaviour before it, and whom it kept.

:func:`make_retention_offer` simulates a subscription business that sends a retention offer (a
month free) to half of its subscribers, chosen at random, in two waves of ``n_per_wave`` customers:
March (wave 1) and June (wave 2).  For each customer the file records what the firm knew before the
offer and what happened in the 90 days after it:

* ``tenure_months`` -- months since the customer subscribed (1--96);
* ``monthly_fee`` -- the plan's price in currency units (CU);
* ``support_calls`` -- calls to customer service in the last 90 days;
* ``joined_on_promotion`` -- the customer first subscribed at an introductory discount;
* ``usage_change`` -- use of the service in the last three months relative to the three before
  (-0.25 = a quarter less);
* ``arm`` -- ``control`` or ``treatment`` (exactly half of each wave, by a random permutation);
* ``churned`` -- cancelled within 90 days of the offer.

Behind the data each customer has one hidden *reason* to leave, and the offer helps only one of
them.  This is the course's invented design, built to show the point of Ascarza (2018): the customers
most likely to leave are not the ones an offer can keep.

============  =====  ====================================  ===========================================
reason        share  churn within 90 days, no offer        effect of the offer on that probability
============  =====  ====================================  ===========================================
``content``   ~55%   6% + 10% e^{-tenure/12}               +2 points (the offer reminds them to cancel)
``price``     ~20%   30% + 0.5 points per CU above 45      -18 points (a cheaper month answers the reason)
``service``   ~13%   55%                                   -3 points (the fault remains)
``moved_on``  ~12%   70%                                   -1 point (they no longer need the service)
============  =====  ====================================  ===========================================

The reason shapes what the firm sees: ``service`` customers call support (Poisson mean 2.2 against 0.4),
``moved_on`` customers use the service less (usage falls by 45% on average), ``price`` customers
joined on a promotion more often (65% against 15%), and the share of ``price`` customers rises with
the fee and falls with tenure (logistic in both).  Separate random
streams spawned from ``numpy.random.SeedSequence(seed)`` draw the reasons, the features, the
assignment and the outcomes.

:func:`write_retention_offer` writes ``retention_offer.csv`` (what the firm has) and
``retention_offer_truth.csv`` (each customer's reason and true churn probabilities with and without
the offer); :func:`load_retention_offer` and :func:`load_retention_offer_truth` read them back.  The
uplift calculations are in :mod:`coursekit.models.uplift`.

References
----------
.. [1] E. Ascarza, "Retention Futility: Targeting High-Risk Customers Might Be Ineffective", Journal
   of Marketing Research 55(1), 80-98, 2018.
.. [2] P. Gutierrez and J.-Y. Gérardy, "Causal Inference and Uplift Modelling: A Review of the
   Literature", Proceedings of Machine Learning Research 67, 1-13, 2017.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int, check_seed
from coursekit.data.sampling import ids, streams
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "OFFER_REASONS",
    "OFFER_SEED",
    "OFFER_N_PER_WAVE",
    "OFFER_TABLE",
    "OFFER_TRUTH_TABLE",
    "RetentionOfferData",
    "make_retention_offer",
    "write_retention_offer",
    "load_retention_offer",
    "load_retention_offer_truth",
]

#: The hidden reasons to leave, in the order of the truth file's categories.
OFFER_REASONS = ("content", "price", "service", "moved_on")
OFFER_SEED = 20250301
OFFER_N_PER_WAVE = 10_000
_ARMS = ("control", "treatment")

#: ``retention_offer.csv``: one row per customer, what the firm knew and what happened.
OFFER_TABLE = Table(
    "retention_offer.csv",
    [
        Column("customer_id"),
        Column("wave", "int"),
        Column("tenure_months", "int"),
        Column("monthly_fee", "float", decimals=2),
        Column("support_calls", "int"),
        Column("joined_on_promotion", "bool"),
        Column("usage_change", "float", decimals=3),
        Column("arm", "category", categories=_ARMS),
        Column("churned", "bool"),
    ],
)

#: ``retention_offer_truth.csv``: each customer's reason and true 90-day churn probabilities.
OFFER_TRUTH_TABLE = Table(
    "retention_offer_truth.csv",
    [
        Column("customer_id"),
        Column("reason", "category", categories=OFFER_REASONS),
        Column("p_churn_control", "float", decimals=4),
        Column("p_churn_treated", "float", decimals=4),
    ],
)


class RetentionOfferData(NamedTuple):
    """The two frames of the retention-offer dataset.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer: the columns of :data:`OFFER_TABLE`.
    truth : pandas.DataFrame
        One row per customer: ``customer_id``, ``reason``, ``p_churn_control``, ``p_churn_treated``.
    """

    customers: pd.DataFrame
    truth: pd.DataFrame


def _churn_probabilities(reason, tenure, fee):
    """True 90-day churn probabilities without and with the offer, by the module's table."""
    content = 0.06 + 0.10 * np.exp(-tenure / 12)
    price = np.clip(0.30 + 0.005 * (fee - 45), 0.20, 0.50)
    p0 = np.choose(reason, [content, price, np.full(tenure.shape, 0.55), np.full(tenure.shape, 0.70)])
    effect = np.array([0.02, -0.18, -0.03, -0.01])[reason]
    return p0, p0 + effect


def make_retention_offer(n_per_wave=OFFER_N_PER_WAVE, seed=OFFER_SEED) -> RetentionOfferData:
    """Simulate the randomised retention offer, with each customer's true response.

    The generative model is set out in the module docstring.  The same arguments give identical
    frames on every run.

    Parameters
    ----------
    n_per_wave : int, default 10000
        Customers in each of the two waves, a whole number >= 2.
    seed : int, default 20250301
        Seed of the random number generator, a whole number >= 0.

    Returns
    -------
    RetentionOfferData
        ``customers`` (``customer_id`` ``"R00001"`` ..., ``wave`` 1 or 2, the five features, ``arm``,
        ``churned``) and ``truth`` (``reason`` and the true churn probabilities without and with the
        offer).

    Raises
    ------
    ValueError
        If ``n_per_wave < 2`` or ``seed < 0``.
    TypeError
        If an argument is not a whole number.

    References
    ----------
    .. [1] E. Ascarza, Journal of Marketing Research 55(1), 80-98, 2018.

    Examples
    --------
    >>> offer = make_retention_offer(n_per_wave=1000, seed=1)
    >>> offer.customers.groupby("wave")["arm"].value_counts().tolist()
    [500, 500, 500, 500]
    >>> sorted(offer.truth["reason"].cat.categories)
    ['content', 'moved_on', 'price', 'service']
    """
    n_wave = check_positive_int("n_per_wave", n_per_wave)
    if n_wave < 2:
        raise ValueError(f"n_per_wave must be an integer >= 2 (one customer per arm at least), got {n_wave}")
    seed = check_seed(seed)
    rng_base, rng_reason, rng_calls, rng_usage, rng_arm, rng_out = streams(seed, 6)
    n = 2 * n_wave
    tenure = np.minimum(1 + np.floor(rng_base.exponential(24.0, n)), 96).astype(np.int64)
    fee = np.round(np.exp(rng_base.normal(np.log(45.0), 0.30, n)), 2)
    # the price-driven share rises with the fee and falls with tenure; the other three share the rest
    price_share = 1 / (1 + np.exp(-(-1.6 + 0.06 * (fee - 45) - 0.03 * (tenure - 24))))
    u = rng_reason.random(n)
    rest = (1 - price_share)
    reason = np.where(u < price_share, 1,
                      np.where(u < price_share + rest * 0.16, 2,
                               np.where(u < price_share + rest * 0.31, 3, 0)))
    calls = rng_calls.poisson(np.where(reason == 2, 2.2, 0.4))
    usage = rng_usage.normal(0.0, 0.15, n) - np.where(reason == 3, 0.45, 0.0)
    promo = rng_calls.random(n) < np.where(reason == 1, 0.65, 0.15)
    usage = np.round(np.clip(usage, -1.0, 1.0), 3)
    treated = np.concatenate([(rng_arm.permutation(n_wave) < n_wave // 2) for _ in range(2)]).astype(np.int8)
    p0, p1 = _churn_probabilities(reason, tenure, fee)
    churned = rng_out.random(n) < np.where(treated == 1, p1, p0)
    customer_id = pd.array(ids("R", n, 5), dtype="str")
    customers = pd.DataFrame(
        {
            "customer_id": customer_id,
            "wave": np.repeat([1, 2], n_wave).astype(np.int64),
            "tenure_months": tenure,
            "monthly_fee": fee,
            "support_calls": calls.astype(np.int64),
            "joined_on_promotion": promo,
            "usage_change": usage,
            "arm": pd.Categorical.from_codes(treated, categories=list(_ARMS)),
            "churned": churned,
        }
    )
    truth = pd.DataFrame(
        {
            "customer_id": customer_id,
            "reason": pd.Categorical.from_codes(reason, categories=list(OFFER_REASONS)),
            "p_churn_control": np.round(p0, 4),
            "p_churn_treated": np.round(p1, 4),
        }
    )
    return RetentionOfferData(customers=customers, truth=truth)


def write_retention_offer(directory, data: RetentionOfferData | None = None) -> list[Path]:
    """Write the dataset as ``retention_offer.csv`` and ``retention_offer_truth.csv``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if it does not exist.
    data : RetentionOfferData, optional
        Frames to write; by default ``make_retention_offer()`` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        The two paths.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is not a :class:`RetentionOfferData`.
    ValueError
        If ``directory`` is an existing file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_retention_offer(tmp, make_retention_offer(n_per_wave=4, seed=3))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text().splitlines()[0])
    ['retention_offer.csv', 'retention_offer_truth.csv']
    customer_id,wave,tenure_months,monthly_fee,support_calls,joined_on_promotion,usage_change,arm,churned
    """
    return write_tables(directory, data, RetentionOfferData, make_retention_offer, (OFFER_TABLE, OFFER_TRUTH_TABLE))


def load_retention_offer(directory=None) -> pd.DataFrame:
    """Load what the firm knows about the retention offer: features, arm and outcome per customer.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``retention_offer.csv``; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``customer_id``, ``wave`` (1 = March, 2 = June), ``tenure_months``,
        ``monthly_fee`` (CU), ``support_calls`` (last 90 days), ``joined_on_promotion`` (bool),
        ``usage_change`` (fraction),
        ``arm`` (categorical: control, treatment), ``churned`` (bool, within 90 days).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file's header or values are not those of the dataset.

    Examples
    --------
    >>> offer = load_retention_offer()
    >>> offer.shape
    (20000, 9)
    >>> offer.groupby(["wave", "arm"], observed=True).size().tolist()
    [5000, 5000, 5000, 5000]
    """
    return OFFER_TABLE.read(directory)


def load_retention_offer_truth(directory=None) -> pd.DataFrame:
    """Load each customer's hidden reason to leave and true churn probabilities with and without the offer.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``retention_offer_truth.csv``; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``customer_id``, ``reason`` (categorical: content, price, service,
        moved_on), ``p_churn_control``, ``p_churn_treated`` (probabilities).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file's header or values are not those of the dataset.

    Examples
    --------
    >>> truth = load_retention_offer_truth()
    >>> list(truth.columns)
    ['customer_id', 'reason', 'p_churn_control', 'p_churn_treated']
    """
    return OFFER_TRUTH_TABLE.read(directory)
