r"""The bank-accounts dataset (Chapter 4, case 6): two years of customers, balances and closures.

The reading on loyalty (R4) gives the example of a large German bank -- it names no source --
that lost about 5 % of its checking-account customers a year, customers who held only about
3 % of the bank's balances, while about 31.5 % of its *large* customers cut their balances
sharply every year, which took about 24 % of the total balances.  Counting closed accounts
(count churn) reports a harmless 5 %; following the money (value churn) reports a loss five
times larger.  The point that spending changes among retained customers can outweigh
defections is also the theme of Coyles and Gokey (2002); we have not been able to confirm
that the bank's figures come from that article, so the course presents them as the reading's
example.

This module holds the **bank-accounts dataset**: :func:`make_bank_accounts` simulates such a
bank, calibrated so that the reading's four figures hold in expectation;
:func:`write_bank_accounts` writes it byte for byte reproducibly (its files are declared as
:class:`coursekit.tables.Table` specs); :func:`load_bank_accounts` and
:func:`load_bank_accounts_truth` read it back as typed frames.  The churn measures that
Chapter 4 applies to it -- count, balance and value churn -- are in
:mod:`coursekit.models.account_churn`.

The generative model
--------------------
A fixed cohort of ``n_customers`` checking-account customers is followed for ``years`` years
(2 by default); each row of the data is one customer in one year.  All amounts are in currency
units (CU) and rounded to 0.01; an open account never holds less than 1 CU.

1. **Segment.**  Each customer is a *large* customer (key account) with probability
   ``large_share`` = 0.2, and *regular* otherwise; the segment does not change.
2. **Opening balances** (start of year 1) are lognormal within the segment: median 1,200 CU
   and log-sd 1.0 for regular customers, median 50,000 CU and log-sd 0.8 for large ones.  The
   mixture is heavy-tailed: large customers hold about 90 % of the balances.
3. **Closures.**  In year :math:`y`, customer :math:`i` with starting balance :math:`B_i`
   closes the account with probability

   .. math:: p_i = a_y \, (B_i / \tilde B_y)^{-\beta_y},

   where :math:`\tilde B_y` is the median starting balance of the year.  The two constants are
   solved (on the year's actual balances) so that the expected share of customers who close is
   ``target_count_churn`` (5 %) and the expected share of balances they hold is
   ``target_closed_balance_share`` (3 %): :math:`\sum_i p_i = 0.05\,n` and
   :math:`\sum_i p_i B_i = 0.03 \sum_i B_i`.  Closed accounts end the year at 0 and leave the
   data.
4. **Sharp cuts.**  A large customer who keeps the account cuts the balance sharply with
   probability :math:`q_y`, solved so that the expected number of cutters is
   ``target_large_cut_rate`` (31.5 %) of the year's large customers.  A cutter removes the
   fraction :math:`D_i \sim \mathrm{Beta}(\mu_y \kappa, (1 - \mu_y)\kappa)` of the balance
   (:math:`\kappa = 12`), with the mean depth :math:`\mu_y` solved so that the expected loss is
   ``target_cut_balance_share`` (24 %) of the year's total starting balances.  Regular
   customers do not cut in this model.
5. **Everyone else** sees an ordinary change: the balance is multiplied by
   :math:`\exp(\varepsilon_i)`, :math:`\varepsilon_i \sim \mathcal N(0.03, 0.2^2)`.
6. The end balance of year :math:`y` is the start balance of year :math:`y + 1`.

The realised figures differ from the targets by sampling noise only; the per-customer
probabilities and cut depths are kept in a separate truth table.

References
----------
.. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey Quarterly
   2002(2), 2002.
.. [2] F. F. Reichheld and W. E. Sasser Jr., "Zero defections: quality comes to services",
   Harvard Business Review 68(5), 105-111, 1990.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize

from coursekit._validate import check_positive_int, check_scalar, check_seed
from coursekit.data.sampling import ids, streams
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "SEGMENTS",
    "READING_COUNT_CHURN",
    "READING_CLOSED_BALANCE_SHARE",
    "READING_LARGE_CUT_RATE",
    "READING_CUT_BALANCE_SHARE",
    "ACCOUNTS_TABLE",
    "BANK_TRUTH_TABLE",
    "BankAccountsData",
    "make_bank_accounts",
    "write_bank_accounts",
    "load_bank_accounts",
    "load_bank_accounts_truth",
]

#: Customer segments, in display order.
SEGMENTS = ("regular", "large")

#: The reading's figures (R4, a German bank, no source given): yearly share of checking-account
#: customers who close their account ...
READING_COUNT_CHURN = 0.05
#: ... the share of total balances those customers held ...
READING_CLOSED_BALANCE_SHARE = 0.03
#: ... the yearly share of large customers who cut their balances sharply ...
READING_LARGE_CUT_RATE = 0.315
#: ... and the share of total balances those cuts take away.
READING_CUT_BALANCE_SHARE = 0.24

# Parameters of the generative model (see the module docstring).
LARGE_SHARE = 0.2
REGULAR_MEDIAN = 1_200.0
REGULAR_LOG_SD = 1.0
LARGE_MEDIAN = 50_000.0
LARGE_LOG_SD = 0.8
DRIFT = 0.03
VOLATILITY = 0.2
DEPTH_CONCENTRATION = 12.0
MIN_BALANCE = 1.0
MAX_MEAN_DEPTH = 0.97

DEFAULT_SEED = 20240604
DEFAULT_N_CUSTOMERS = 20_000
DEFAULT_YEARS = 2

_SEGMENT_DTYPE = pd.CategoricalDtype(list(SEGMENTS), ordered=False)

#: ``bank_accounts.csv``: the observable data, one row per customer and year.
ACCOUNTS_TABLE = Table(
    "bank_accounts.csv",
    [
        Column("customer_id"),
        Column("year", "int", low=1),
        Column("segment", "category", categories=SEGMENTS),
        Column("balance_start", "float", decimals=2),
        Column("balance_end", "float", decimals=2),
        Column("closed", "bool"),
    ],
)

#: ``bank_accounts_truth.csv``: the latent probabilities and cuts of the same rows.
BANK_TRUTH_TABLE = Table(
    "bank_accounts_truth.csv",
    [
        Column("customer_id"),
        Column("year", "int", low=1),
        Column("close_probability", "float", decimals=8),
        Column("cut_probability", "float", decimals=8),
        Column("balance_cut", "bool"),
        Column("cut_depth", "float", decimals=10),
    ],
)


class BankAccountsData(NamedTuple):
    """The frames of the bank-accounts dataset.

    Attributes
    ----------
    accounts : pandas.DataFrame
        One row per customer and year (the observable data): ``customer_id``, ``year``,
        ``segment``, ``balance_start``, ``balance_end``, ``closed``.
    truth : pandas.DataFrame
        The same rows with the latent quantities: ``close_probability``, ``cut_probability``,
        ``balance_cut`` (bool) and ``cut_depth`` (fraction removed; 0 for non-cutters).
    calibration : pandas.DataFrame
        One row per year with the solved constants ``a``, ``beta``, ``median_balance``,
        ``cut_probability`` (:math:`q_y`) and ``mean_depth`` (:math:`\\mu_y`), and the expected
        figures ``expected_count_churn``, ``expected_closed_balance_share``,
        ``expected_large_cut_rate`` and ``expected_cut_balance_share``.
    """

    accounts: pd.DataFrame
    truth: pd.DataFrame
    calibration: pd.DataFrame


# --------------------------------------------------------------------------------------------
# generation
# --------------------------------------------------------------------------------------------
def _check_target(name: str, value) -> float:
    return check_scalar(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def _closure_probabilities(balance: np.ndarray, count_share: float, balance_share: float):
    """Solve p_i = a (B_i / median)^-beta for the two expected shares; return (p, a, beta, median)."""
    median = float(np.median(balance))
    log_x = np.log(balance / median)

    def weights(beta):
        # subtract the largest exponent before exponentiating, for numerical range
        e = -beta * log_x
        return np.exp(e - e.max()), e.max()

    def gap(beta):
        w, _ = weights(beta)
        return float(np.sum(w * balance) / np.sum(w) / np.mean(balance) * count_share - balance_share)

    low, high = -5.0, 5.0
    if gap(low) < 0 or gap(high) > 0:
        raise ValueError(
            f"target_closed_balance_share={balance_share:g} cannot be reached with target_count_churn="
            f"{count_share:g} by closure probabilities of the form a * (balance / median)^-beta "
            f"with |beta| <= 5 on these balances; choose closer targets"
        )
    beta = float(optimize.brentq(gap, low, high, xtol=1e-14, rtol=1e-14, maxiter=200))
    w, shift = weights(beta)
    p = count_share * balance.size * w / np.sum(w)
    a = float(count_share * balance.size / np.sum(w) * np.exp(-shift))
    if p.max() > 1.0:
        raise ValueError(
            f"the closure probabilities implied by target_count_churn={count_share:g} and "
            f"target_closed_balance_share={balance_share:g} exceed 1 for some customers; choose closer targets"
        )
    return p, a, beta, median


def make_bank_accounts(
    n_customers: int = DEFAULT_N_CUSTOMERS,
    years: int = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    *,
    target_count_churn=READING_COUNT_CHURN,
    target_closed_balance_share=READING_CLOSED_BALANCE_SHARE,
    target_large_cut_rate=READING_LARGE_CUT_RATE,
    target_cut_balance_share=READING_CUT_BALANCE_SHARE,
    large_share=LARGE_SHARE,
) -> BankAccountsData:
    r"""Simulate a bank's checking-account customers, echoing the reading's German bank.

    The generative model is set out in the module docstring: lognormal balances within a
    regular and a large segment; yearly closures whose probability falls with the balance;
    sharp cuts by some large customers; ordinary lognormal changes for everyone else.  The
    constants of each year are solved so that the four target figures hold in expectation; the
    realised figures differ by sampling noise.  The same arguments give identical frames.

    Parameters
    ----------
    n_customers : int, default 20000
        Customers on the books at the start of year 1 (a whole number >= 10).
    years : int, default 2
        Number of years followed (a whole number >= 1).
    seed : int, default 20240604
        Seed of the random number generator (a whole number >= 0).
    target_count_churn : float, default 0.05
        Expected share of the year's customers who close their account, in (0, 1).
    target_closed_balance_share : float, default 0.03
        Expected share of the year's starting balances held by those who close, in (0, 1).
    target_large_cut_rate : float, default 0.315
        Expected share of the year's large customers who cut their balance sharply, in (0, 1).
    target_cut_balance_share : float, default 0.24
        Expected loss from those cuts as a share of the year's total starting balances, in (0, 1).
    large_share : float, default 0.2
        Probability that a customer belongs to the large segment, in (0, 1).

    Returns
    -------
    BankAccountsData
        ``(accounts, truth, calibration)``; see :class:`BankAccountsData`.  ``accounts`` and
        ``truth`` are sorted by year and customer id.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a number of its allowed range, or the targets cannot be met by
        the model (e.g. large customers hold too little of the balances for the cut loss, or
        a closure probability would exceed 1); the message names the target.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> data = make_bank_accounts(n_customers=2000, seed=1)
    >>> data.accounts.columns.tolist()
    ['customer_id', 'year', 'segment', 'balance_start', 'balance_end', 'closed']
    >>> data.calibration["expected_count_churn"].round(4).tolist()
    [0.05, 0.05]
    >>> data.calibration["expected_cut_balance_share"].round(4).tolist()
    [0.24, 0.24]
    """
    n = check_positive_int("n_customers", n_customers)
    if n < 10:
        raise ValueError(f"n_customers must be at least 10, got {n}")
    n_years = check_positive_int("years", years)
    seed = check_seed(seed)
    c_count = _check_target("target_count_churn", target_count_churn)
    c_balance = _check_target("target_closed_balance_share", target_closed_balance_share)
    cut_rate = _check_target("target_large_cut_rate", target_large_cut_rate)
    cut_share = _check_target("target_cut_balance_share", target_cut_balance_share)
    p_large = _check_target("large_share", large_share)

    rngs = streams(seed, 2 + 4 * n_years)
    large = rngs[0].random(n) < p_large
    z = rngs[1].standard_normal(n)
    opening = np.where(
        large,
        LARGE_MEDIAN * np.exp(LARGE_LOG_SD * z),
        REGULAR_MEDIAN * np.exp(REGULAR_LOG_SD * z),
    )
    balance = np.maximum(np.round(opening, 2), MIN_BALANCE)
    customer_ids = ids("K", n, 5)
    index = np.arange(n)

    account_parts, truth_parts, calibration_rows = [], [], []
    for year in range(1, n_years + 1):
        rng_close, rng_cut, rng_depth, rng_noise = rngs[2 + 4 * (year - 1) : 6 + 4 * (year - 1)]
        m = balance.size
        is_large = large[index]
        p, a, beta, median = _closure_probabilities(balance, c_count, c_balance)
        closed = rng_close.random(m) < p
        n_large = int(is_large.sum())
        if n_large == 0:
            raise ValueError(f"no large customers are left in year {year}; increase n_customers or large_share")
        stay_weight = float(np.sum(1.0 - p[is_large]))
        q = cut_rate * n_large / stay_weight
        if q > 1.0:
            raise ValueError(
                f"target_large_cut_rate={cut_rate:g} is out of reach in year {year}: with the closures, "
                "fewer large customers keep their account than the target asks to cut"
            )
        kept_large_balance = float(np.sum((1.0 - p[is_large]) * balance[is_large]))
        mu = cut_share * float(balance.sum()) / (q * kept_large_balance)
        if mu > MAX_MEAN_DEPTH:
            raise ValueError(
                f"target_cut_balance_share={cut_share:g} is out of reach in year {year}: large customers "
                f"hold only {balance[is_large].sum() / balance.sum():.1%} of the balances, so the cutters "
                f"would have to remove {mu:.0%} on average (at most {MAX_MEAN_DEPTH:.0%} allowed)"
            )
        cuts = is_large & ~closed & (rng_cut.random(m) < q)
        depth_draw = rng_depth.beta(mu * DEPTH_CONCENTRATION, (1.0 - mu) * DEPTH_CONCENTRATION, m)
        growth = np.exp(rng_noise.normal(DRIFT, VOLATILITY, m))
        end = np.where(cuts, balance * (1.0 - depth_draw), balance * growth)
        end = np.where(closed, 0.0, np.maximum(np.round(end, 2), MIN_BALANCE))

        account_parts.append(
            pd.DataFrame(
                {
                    "customer_id": pd.array(customer_ids[index], dtype="str"),
                    "year": np.full(m, year, dtype=np.int64),
                    "segment": pd.Categorical.from_codes(is_large.astype(np.int8), dtype=_SEGMENT_DTYPE),
                    "balance_start": balance,
                    "balance_end": end,
                    "closed": closed,
                }
            )
        )
        truth_parts.append(
            pd.DataFrame(
                {
                    "customer_id": pd.array(customer_ids[index], dtype="str"),
                    "year": np.full(m, year, dtype=np.int64),
                    "close_probability": p,
                    "cut_probability": np.where(is_large, q, 0.0),
                    "balance_cut": cuts,
                    "cut_depth": np.where(cuts, depth_draw, 0.0),
                }
            )
        )
        total = float(balance.sum())
        calibration_rows.append(
            {
                "year": year,
                "a": a,
                "beta": beta,
                "median_balance": median,
                "cut_probability": q,
                "mean_depth": mu,
                "expected_count_churn": float(p.mean()),
                "expected_closed_balance_share": float(np.sum(p * balance) / total),
                "expected_large_cut_rate": q * stay_weight / n_large,
                "expected_cut_balance_share": q * mu * kept_large_balance / total,
            }
        )
        index = index[~closed]
        balance = end[~closed]

    accounts = pd.concat(account_parts, ignore_index=True)
    truth = pd.concat(truth_parts, ignore_index=True)
    calibration = pd.DataFrame(calibration_rows).set_index("year")
    return BankAccountsData(accounts=accounts, truth=truth, calibration=calibration)


def write_bank_accounts(directory, data: BankAccountsData | None = None) -> list[Path]:
    """Write the bank-accounts dataset as two CSV files, byte for byte reproducibly.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if it does not exist.
    data : BankAccountsData, optional
        Frames to write; by default the course's dataset, ``make_bank_accounts()``.

    Returns
    -------
    list of pathlib.Path
        Paths of ``bank_accounts.csv`` (observable data) and ``bank_accounts_truth.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is not a :class:`BankAccountsData`.
    ValueError
        If ``directory`` is an existing file.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_bank_accounts(tmp, make_bank_accounts(n_customers=50, seed=3))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text().splitlines()[0])
    ['bank_accounts.csv', 'bank_accounts_truth.csv']
    customer_id,year,segment,balance_start,balance_end,closed
    """
    return write_tables(directory, data, BankAccountsData, make_bank_accounts, (ACCOUNTS_TABLE, BANK_TRUTH_TABLE))


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def load_bank_accounts(directory=None) -> pd.DataFrame:
    """Load the bank-accounts dataset (the observable data).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``bank_accounts.csv``; :func:`coursekit.tables.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer and year, sorted by year and customer:

        * ``customer_id`` (str) -- ``"K00001"`` ...
        * ``year`` (int64) -- 1, 2, ...
        * ``segment`` (category) -- ``"regular"`` or ``"large"`` (fixed per customer).
        * ``balance_start`` (float) -- balance at the start of the year, CU.
        * ``balance_end`` (float) -- balance at the end of the year, CU (0 if closed).
        * ``closed`` (bool) -- the customer closed the account during the year; such a
          customer has no row in later years.

    Raises
    ------
    FileNotFoundError
        If the file is missing (the message says how to regenerate it).
    ValueError
        If the file's header or values are not as written by :func:`write_bank_accounts`.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> accounts = load_bank_accounts()
    >>> accounts.groupby("year").size().tolist()
    [20000, 19033]
    >>> accounts["segment"].cat.categories.tolist()
    ['regular', 'large']
    """
    return ACCOUNTS_TABLE.read(directory)


def load_bank_accounts_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the bank-accounts dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``bank_accounts_truth.csv``; :func:`coursekit.tables.data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`load_bank_accounts`, in the same order:

        * ``customer_id`` (str), ``year`` (int64);
        * ``close_probability`` (float) -- probability of closing in that year, :math:`p_i`;
        * ``cut_probability`` (float) -- probability of a sharp cut for a large customer who
          keeps the account, :math:`q_y` (0 for regular customers);
        * ``balance_cut`` (bool) -- the customer made a sharp cut that year;
        * ``cut_depth`` (float) -- fraction of the balance removed by the cut (0 if none).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If the file's header or values are not as written by :func:`write_bank_accounts`.

    References
    ----------
    .. [1] S. Coyles and T. C. Gokey, "Customer retention is not enough", The McKinsey
       Quarterly 2002(2), 2002.

    Examples
    --------
    >>> truth = load_bank_accounts_truth()
    >>> truth.groupby("year")["close_probability"].mean().round(4).tolist()
    [0.05, 0.05]
    """
    return BANK_TRUTH_TABLE.read(directory)
