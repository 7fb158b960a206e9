r"""Data and calculators for cases 1-4 of the case library.

Each case of the library (``solutions/cases/``) works with data that fit its story.  This
module holds the generators of those data (documented generative models with fixed seeds and
known ground truth, written byte for byte reproducibly) and the few calculators the cases need
beyond the chapter modules.

Case 1 -- *FedEx: what is a customer worth?* (reading R0)
    :func:`fedex_accounts` (a hand-specified, illustrative table of business accounts by
    segment), :func:`segment_equity` (CLV per account and the customer equity of each segment)
    and :func:`acquisition_ceiling` (the most a firm should pay to win one account, referrals
    included).
Case 2 -- *The leaky bucket: which hole to plug first* (R0)
    The FreshBox dataset (:func:`make_freshbox`, :func:`write_freshbox`, loaders
    :func:`load_freshbox_monthly`, :func:`load_freshbox_cancellations`,
    :func:`load_freshbox_truth`): two years of cancellations of a meal-kit subscription, each
    with the reason the subscriber ticked (one of the six holes of the bucket, or none).
    :func:`leak_rates` turns them into monthly leak rates per hole; :func:`plug_plan` ranks the
    repairs by what they save net of what they cost, :func:`best_repairs` picks the best set within
    a budget and :func:`repair_explorer` is the interactive version.
Case 3 -- *The store that knew* (R1)
    The Miao dataset (:func:`make_miao`, :func:`write_miao`, loaders :func:`load_miao_cards`,
    :func:`load_miao_purchases`, :func:`load_miao_truth`): loyalty-card purchases of a
    neighbourhood store, 1999-2001, in which some regular buyers of sanitary products stop
    buying them for a long time -- because of a pregnancy, or for many other reasons.
    :func:`silence_alerts` is the store's real-time rule and :func:`alert_quality` scores it
    against the truth; :func:`alarm_explorer` is the interactive version.
Case 4 -- *Ken Robb's secret: Dick's Supermarkets* (R3)
    The Dick's dataset (:func:`make_dicks`, :func:`write_dicks`, loaders
    :func:`load_dicks_customers`, :func:`load_dicks_baskets`, :func:`load_dicks_items`,
    :func:`load_dicks_truth`): a year of loyalty-card baskets of eight rural stores.
    :func:`nine_types` (analgesic buyers by brand loyalty and usage), :func:`weekly_spend`,
    :func:`personalised_list` (who qualifies and which offers are due in the next fortnight),
    :func:`conversion_offers` (depth of the first store-brand offer) and
    :func:`coupon_economics` (what the coupons cost the store and the manufacturers);
    :func:`coupon_explorer` is the interactive version.

Writers take the datasets folder and write into a sub-folder of it (``freshbox/``, ``miao/``,
``dicks/``); loaders take the same folder (default :func:`coursekit.data.loaders.data_dir`).

References
----------
.. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity: Building and Managing
   Relationships as Valuable Assets*, Harvard Business School Press, 2001.
.. [2] S. Gupta and D. R. Lehmann, "Customers as Assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
.. [3] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
   2021.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit.models import bucket as _bucket
from coursekit._validate import as_output, check_choice, check_fraction, check_number, check_positive_int
from coursekit.models.clv import clv as _clv
from coursekit.models.clv import profit_stream_npv
from coursekit.data.transactions import _check_directory, _date_text, _float_text, _write_csv
from coursekit.models.purchases import overdue, purchase_cycles
from coursekit.models.wom import referral_value

__all__ = [
    # case 1
    "FEDEX_SEGMENTS",
    "fedex_accounts",
    "segment_equity",
    "AcquisitionCeiling",
    "acquisition_ceiling",
    # case 2
    "FRESHBOX_SEED",
    "FRESHBOX_RATES",
    "FRESHBOX_STATED",
    "UNSTATED",
    "FreshBoxData",
    "make_freshbox",
    "write_freshbox",
    "load_freshbox_monthly",
    "load_freshbox_cancellations",
    "load_freshbox_truth",
    "leak_rates",
    "plug_plan",
    "RepairChoice",
    "best_repairs",
    "repair_explorer",
    # case 3
    "MIAO_SEED",
    "MIAO_CARD",
    "MIAO_EVENTS",
    "MiaoData",
    "make_miao",
    "write_miao",
    "load_miao_cards",
    "load_miao_purchases",
    "load_miao_truth",
    "silence_alerts",
    "AlertQuality",
    "alert_quality",
    "alarm_explorer",
    # case 4
    "DICKS_SEED",
    "DICKS_STORES",
    "DICKS_CATEGORIES",
    "LOYALTY_GROUPS",
    "USAGE_LEVELS",
    "NINE_TYPES",
    "DicksData",
    "make_dicks",
    "write_dicks",
    "load_dicks_customers",
    "load_dicks_baskets",
    "load_dicks_items",
    "load_dicks_truth",
    "nine_types",
    "weekly_spend",
    "personalised_list",
    "conversion_offers",
    "DEFAULT_DEPTH",
    "CouponCost",
    "coupon_economics",
    "coupon_explorer",
    "DATASETS",
]

_NS = "datetime64[ns]"
_STR = "str"
_DAY = pd.Timedelta(days=1)


# ============================================================================================
# shared helpers
# ============================================================================================
def _check_frame(name: str, frame, columns) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{name} must have the columns {list(columns)}; missing {absent} (it has {frame.columns.tolist()})")
    for column in columns:
        if frame[column].isna().any():
            raise ValueError(f"{name}[{column!r}] must not hold missing values")
    return frame


def _check_seed(seed) -> int:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def _streams(seed: int, k: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


def _single(name: str, value, **bounds) -> float:
    checked = check_number(name, value, **bounds)
    if not isinstance(checked, float):
        raise TypeError(f"{name} must be a single number, got {value!r}")
    return checked


def _as_day(name: str, value) -> pd.Timestamp:
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, numbers.Number):
        raise TypeError(f"{name} must be a date (str, datetime.date or pandas.Timestamp), got {value!r}")
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as '2001-03-01', got {value!r}") from None
    if pd.isna(day):
        raise ValueError(f"{name} must be a date, got a missing value")
    return day.normalize()


def _dates_of(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        try:
            values = pd.to_datetime(values, format="%Y-%m-%d")
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{column!r}] must hold dates (datetime64 or ISO text)") from None
    return values.dt.normalize().astype(_NS)


def _folder(directory, name: str) -> Path:
    """The dataset's sub-folder ``name`` of ``directory`` (default: the course's datasets folder)."""
    if directory is None:
        from coursekit.data.loaders import data_dir

        base = data_dir()
    elif isinstance(directory, (str, Path)) and str(directory) != "":
        base = Path(directory)
    else:
        raise TypeError(
            f"directory must be None or a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}"
        )
    folder = base / name
    if not folder.is_dir():
        raise FileNotFoundError(
            f"the dataset folder {str(folder)!r} does not exist; regenerate it with `make data` "
            f"(or coursekit.cases.casedata.write_{name}(<datasets folder>))"
        )
    return folder


def _read(directory, name: str, filename: str, columns: list[str]) -> pd.DataFrame:
    from coursekit.data.loaders import _read as _read_csv

    return _read_csv(_folder(directory, name), filename, columns)


def _parse_dates(raw: pd.DataFrame, column: str, filename: str) -> pd.Series:
    text = raw[column].replace("", None)
    try:
        return pd.to_datetime(text, format="%Y-%m-%d").astype(_NS)
    except (TypeError, ValueError) as err:
        raise ValueError(f"column {column!r} of {filename} must hold ISO dates (YYYY-MM-DD): {err}") from None


def _parse_numbers(raw: pd.DataFrame, column: str, filename: str, kind: str = "float") -> pd.Series:
    text = raw[column].replace("", None)
    try:
        values = pd.to_numeric(text)
    except (TypeError, ValueError):
        raise ValueError(f"column {column!r} of {filename} must hold numbers") from None
    return values.astype("int64" if kind == "int" else float)


def _parse_bool(raw: pd.DataFrame, column: str, filename: str) -> pd.Series:
    values = raw[column]
    bad = ~values.isin(["True", "False"])
    if bad.any():
        raise ValueError(f"column {column!r} of {filename} must hold True/False, got {values[bad].iloc[0]!r}")
    return values == "True"


def _categorical(raw: pd.DataFrame, column: str, categories, filename: str, *, ordered: bool = False) -> pd.Series:
    values = raw[column]
    unknown = sorted(set(values.unique()) - set(categories))
    if unknown:
        raise ValueError(f"column {column!r} of {filename} must hold only {list(categories)}; got {unknown!r}")
    return values.astype(pd.CategoricalDtype(list(categories), ordered=ordered))


def _day_dates(origin: str, days) -> pd.Series:
    return pd.Series(np.datetime64(origin, "D") + np.asarray(days, dtype="int64")).astype(_NS)


def _renewals(rng: np.random.Generator, start, end, gap_sampler, first_offset):
    """Renewal times in ``[start, end)`` for each row: ``start + first_offset`` then gaps.

    ``gap_sampler(rows, k)`` returns a (rows, k) array of positive gaps.  Returns ``(row, time)``
    of every renewal inside its window, row-major.
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    n = start.size
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    first = start + np.asarray(first_offset, dtype=float)
    k = 8
    gaps = gap_sampler(n, k)
    while True:
        times = first[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(gaps, axis=1)], axis=1)
        if (times[:, -1] >= end).all():
            break
        gaps = np.concatenate([gaps, gap_sampler(n, k)], axis=1)
        k *= 2
    keep = times < end[:, None]
    rows = np.repeat(np.arange(n), keep.sum(axis=1))
    return rows, times[keep]


# ============================================================================================
# case 1 -- FedEx: what is a customer worth?
# ============================================================================================
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
    frame["segment"] = frame["segment"].astype(_STR)
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
    frame = _check_frame("segments", segments, _SEGMENT_COLUMNS)
    accounts = check_number("segments['accounts']", frame["accounts"].to_numpy(), low=0.0)
    revenue = check_number("segments['monthly_revenue']", frame["monthly_revenue"].to_numpy(), low=0.0)
    rate = check_number("segments['margin_rate']", frame["margin_rate"].to_numpy(), low=0.0, high=1.0)
    retention = check_fraction("segments['retention']", frame["retention"].to_numpy())
    d = _single("discount_rate", discount_rate, low=-1.0, low_open=True)
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


# ============================================================================================
# case 2 -- the leaky bucket: FreshBox cancellations
# ============================================================================================
FRESHBOX_SEED = 20240811
FRESHBOX_START = "2022-01-01"
#: True monthly leak rate of each hole (probability that a subscriber leaves through it in a month).
FRESHBOX_RATES: dict[str, float] = {
    "rude_staff": 0.003,
    "out_of_stock": 0.011,
    "poor_service": 0.015,
    "untrained_staff": 0.004,
    "poor_quality": 0.009,
    "poor_selection": 0.007,
}
#: Probability that a leaver through each hole ticks that reason on the cancellation form.
FRESHBOX_STATED: dict[str, float] = {
    "rude_staff": 0.40,
    "out_of_stock": 0.80,
    "poor_service": 0.75,
    "untrained_staff": 0.55,
    "poor_quality": 0.70,
    "poor_selection": 0.85,
}
#: The reason code of a cancellation without a stated reason.
UNSTATED = "not_given"
_REASONS = (*_bucket.HOLES, UNSTATED)
_FRESHBOX_MONTHLY = ["month", "customers_start", "new_customers", "cancellations"]
_FRESHBOX_CANCEL = ["cancel_id", "cancel_date", "reason"]
_FRESHBOX_TRUTH = ["hole", "leak_rate", "p_stated", "leavers", "stated"]


class FreshBoxData(NamedTuple):
    """Frames of the FreshBox dataset (see :func:`make_freshbox`)."""

    monthly: pd.DataFrame
    cancellations: pd.DataFrame
    truth: pd.DataFrame


def make_freshbox(months: int = 24, initial: int = 12_000, inflow: float = 650.0, seed: int = FRESHBOX_SEED) -> FreshBoxData:
    r"""Simulate the cancellations of FreshBox, a meal-kit subscription, hole by hole.

    Generative model (monthly steps from January 2022).  At the start of month :math:`t` the firm
    has :math:`N_t` subscribers.  During the month they leave through the six holes of the leaky
    bucket with the probabilities :data:`FRESHBOX_RATES` (competing risks):
    :math:`(L_{t,1}, \dots, L_{t,6}, N_t - \sum_i L_{t,i}) \sim
    \text{Multinomial}(N_t; p_1, \dots, p_6, 1 - \sum_i p_i)`.  A leaver through hole :math:`i`
    ticks that reason on the cancellation form with probability :math:`q_i`
    (:data:`FRESHBOX_STATED`), otherwise the reason is recorded as ``"not_given"``:
    :math:`S_{t,i} \sim \text{Binomial}(L_{t,i}, q_i)`.  New subscribers
    :math:`A_t \sim \text{Poisson}(I)` join at the end of the month, so
    :math:`N_{t+1} = N_t - \sum_i L_{t,i} + A_t`.  Each cancellation falls on a uniform day of its
    month.  Four independent random streams (leaving, stating, joining, days) are spawned from
    ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    months : int, default 24
        Number of months simulated (>= 1).
    initial : int, default 12000
        Subscribers at the start of the first month (>= 0).
    inflow : float, default 650.0
        Mean number of new subscribers per month (>= 0).
    seed : int, default FRESHBOX_SEED
        Seed of the random streams (>= 0).

    Returns
    -------
    FreshBoxData
        ``monthly`` (``month`` datetime64 first day, ``customers_start``, ``new_customers``,
        ``cancellations``: int64), ``cancellations`` (``cancel_id`` str, ``cancel_date``
        datetime64, ``reason`` str: a hole or ``"not_given"``) in date order, and ``truth``
        (one row per hole: ``hole``, ``leak_rate``, ``p_stated``, ``leavers`` and ``stated``
        over the whole period).

    Raises
    ------
    ValueError, TypeError
        For arguments out of range or of the wrong kind.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business
       School Press, 2001.

    Examples
    --------
    >>> data = make_freshbox(months=3, initial=1000, inflow=50, seed=1)
    >>> data.monthly[["customers_start", "new_customers", "cancellations"]].to_numpy().tolist()
    [[1000, 44, 45], [999, 48, 45], [1002, 55, 43]]
    >>> int(data.truth["leavers"].sum()) == len(data.cancellations)
    True
    """
    months = check_positive_int("months", months)
    initial = check_positive_int("initial", initial, allow_zero=True)
    inflow = _single("inflow", inflow, low=0.0)
    seed = _check_seed(seed)
    r_leave, r_state, r_new, r_day = _streams(seed, 4)
    p = np.array([FRESHBOX_RATES[h] for h in _bucket.HOLES])
    q = np.array([FRESHBOX_STATED[h] for h in _bucket.HOLES])
    probs = np.append(p, 1.0 - p.sum())
    starts = np.zeros(months, dtype=np.int64)
    new = np.zeros(months, dtype=np.int64)
    leavers = np.zeros((months, p.size), dtype=np.int64)
    stated = np.zeros((months, p.size), dtype=np.int64)
    n = initial
    for t in range(months):  # one multinomial draw per month: counts, not individuals
        starts[t] = n
        leavers[t] = r_leave.multinomial(n, probs)[:-1]
        stated[t] = r_state.binomial(leavers[t], q)
        new[t] = r_new.poisson(inflow)
        n = n - int(leavers[t].sum()) + int(new[t])
    month_start = pd.date_range(FRESHBOX_START, periods=months, freq="MS")
    # one row per cancellation: stated ones with their hole, the rest "not_given"
    n_holes = p.size
    codes = np.concatenate([np.arange(n_holes), [n_holes]])
    per_month = np.concatenate([stated, (leavers - stated).sum(axis=1, keepdims=True)], axis=1)
    row_month = np.repeat(np.repeat(np.arange(months), codes.size), per_month.ravel())
    row_code = np.repeat(np.tile(codes, months), per_month.ravel())
    length = month_start.days_in_month.to_numpy()[row_month]
    day = (r_day.random(row_month.size) * length).astype(np.int64)
    dates = month_start.to_numpy()[row_month] + day.astype("timedelta64[D]")
    order = np.lexsort((r_day.random(row_month.size), dates))
    reasons = np.array(_REASONS, dtype=object)[row_code[order]]
    cancellations = pd.DataFrame(
        {
            "cancel_id": pd.array([f"X{i:06d}" for i in range(1, order.size + 1)], dtype=_STR),
            "cancel_date": pd.Series(dates[order]).astype(_NS),
            "reason": pd.array(reasons, dtype=_STR),
        }
    )
    monthly = pd.DataFrame(
        {
            "month": pd.Series(month_start).astype(_NS),
            "customers_start": starts,
            "new_customers": new,
            "cancellations": leavers.sum(axis=1),
        }
    )
    truth = pd.DataFrame(
        {
            "hole": pd.array(list(_bucket.HOLES), dtype=_STR),
            "leak_rate": p,
            "p_stated": q,
            "leavers": leavers.sum(axis=0),
            "stated": stated.sum(axis=0),
        }
    )
    return FreshBoxData(monthly=monthly, cancellations=cancellations, truth=truth)


def write_freshbox(directory, data: FreshBoxData | None = None) -> list[Path]:
    """Write the FreshBox dataset into ``directory/freshbox/``.

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``freshbox/`` is created in it.
    data : FreshBoxData, optional
        What to write; by default :func:`make_freshbox` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        ``freshbox/monthly.csv``, ``freshbox/cancellations.csv`` and ``freshbox/truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_freshbox(tmp, make_freshbox(months=2, initial=100, inflow=5, seed=3))
    ...     print([p.name for p in paths], paths[0].read_text().splitlines()[0])
    ['monthly.csv', 'cancellations.csv', 'truth.csv'] month,customers_start,new_customers,cancellations
    """
    directory = _check_directory("directory", directory)
    if data is None:
        data = make_freshbox()
    elif not isinstance(data, FreshBoxData):
        raise TypeError(f"data must be a FreshBoxData or None, got {type(data).__name__}")
    folder = directory / "freshbox"
    folder.mkdir(parents=True, exist_ok=True)
    m, c, t = data
    monthly = pd.DataFrame(
        {
            "month": _date_text(m["month"]),
            "customers_start": m["customers_start"].astype(str),
            "new_customers": m["new_customers"].astype(str),
            "cancellations": m["cancellations"].astype(str),
        }
    )
    cancellations = pd.DataFrame(
        {"cancel_id": c["cancel_id"].astype(str), "cancel_date": _date_text(c["cancel_date"]), "reason": c["reason"].astype(str)}
    )
    truth = pd.DataFrame(
        {
            "hole": t["hole"].astype(str),
            "leak_rate": _float_text(t["leak_rate"], 4),
            "p_stated": _float_text(t["p_stated"], 2),
            "leavers": t["leavers"].astype(str),
            "stated": t["stated"].astype(str),
        }
    )
    return [
        _write_csv(monthly, folder / "monthly.csv"),
        _write_csv(cancellations, folder / "cancellations.csv"),
        _write_csv(truth, folder / "truth.csv"),
    ]


def load_freshbox_monthly(directory=None) -> pd.DataFrame:
    """Load FreshBox's monthly subscriber counts (``freshbox/monthly.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per month: ``month`` (datetime64[ns], first day), ``customers_start``,
        ``new_customers`` and ``cancellations`` (int64, subscribers).

    Examples
    --------
    >>> monthly = load_freshbox_monthly()
    >>> len(monthly), int(monthly["customers_start"].iloc[0])
    (24, 12000)
    """
    name = "monthly.csv"
    raw = _read(directory, "freshbox", name, _FRESHBOX_MONTHLY)
    out = pd.DataFrame({"month": _parse_dates(raw, "month", name)})
    for column in _FRESHBOX_MONTHLY[1:]:
        out[column] = _parse_numbers(raw, column, name, "int")
    return out


def load_freshbox_cancellations(directory=None) -> pd.DataFrame:
    """Load FreshBox's cancellation log (``freshbox/cancellations.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per cancellation, in date order: ``cancel_id`` (str), ``cancel_date``
        (datetime64[ns]) and ``reason`` (categorical: the six holes of
        :data:`coursekit.models.bucket.HOLES`, then ``"not_given"``).

    Examples
    --------
    >>> log = load_freshbox_cancellations()
    >>> log["reason"].cat.categories.tolist()[-1]
    'not_given'
    """
    name = "cancellations.csv"
    raw = _read(directory, "freshbox", name, _FRESHBOX_CANCEL)
    return pd.DataFrame(
        {
            "cancel_id": raw["cancel_id"].astype(_STR),
            "cancel_date": _parse_dates(raw, "cancel_date", name),
            "reason": _categorical(raw, "reason", _REASONS, name),
        }
    )


def load_freshbox_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the FreshBox data (``freshbox/truth.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per hole: ``hole`` (str), ``leak_rate`` (float, true monthly rate),
        ``p_stated`` (float, probability that a leaver names the reason), ``leavers`` and
        ``stated`` (int64, over the 24 months).

    Examples
    --------
    >>> load_freshbox_truth().set_index("hole")["leak_rate"].sum().round(3)
    np.float64(0.049)
    """
    name = "truth.csv"
    raw = _read(directory, "freshbox", name, _FRESHBOX_TRUTH)
    return pd.DataFrame(
        {
            "hole": raw["hole"].astype(_STR),
            "leak_rate": _parse_numbers(raw, "leak_rate", name),
            "p_stated": _parse_numbers(raw, "p_stated", name),
            "leavers": _parse_numbers(raw, "leavers", name, "int"),
            "stated": _parse_numbers(raw, "stated", name, "int"),
        }
    )


def leak_rates(cancellations, monthly, reason: str = "reason", exposure: str = "customers_start",
               unstated: str = UNSTATED) -> pd.DataFrame:
    r"""Monthly leak rate of each hole, estimated from a cancellation log.

    With :math:`S_i` cancellations that name hole :math:`i`, :math:`U` that name none and an
    exposure of :math:`E = \sum_t N_t` subscriber-months (the subscribers at the start of each
    month, summed), the unnamed cancellations are shared out in proportion to the named ones:

    .. math:: \hat L_i = S_i + U \frac{S_i}{\sum_j S_j}, \qquad
              \hat p_i = \frac{\hat L_i}{E}, \qquad \hat p_i^{\text{named}} = \frac{S_i}{E}.

    The proportional share assumes that every kind of leaver is equally likely to name the
    reason.  If some (e.g. those who met rude staff) keep quiet more often, their hole is
    underestimated.

    Parameters
    ----------
    cancellations : pandas.DataFrame
        One row per cancellation with a ``reason`` column holding hole names
        (:data:`coursekit.models.bucket.HOLES`) or ``unstated``.
    monthly : pandas.DataFrame
        One row per month with the ``exposure`` column (subscribers at risk that month, >= 0).
    reason, exposure, unstated : str
        Column names and the code of an unnamed reason.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``hole`` (the six holes in :data:`coursekit.models.bucket.HOLES` order), with
        ``named`` (int64, :math:`S_i`), ``allocated`` (float, :math:`\hat L_i`), ``rate_named``
        and ``rate`` (float, per subscriber per month) and ``share`` (fraction of all leavers).

    Raises
    ------
    ValueError
        If a column is missing, a reason is not a hole or ``unstated``, the exposure is not
        positive, or no cancellation names a hole while some name none.
    TypeError
        If an input is not a DataFrame.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business
       School Press, 2001.

    Examples
    --------
    100 subscribers for two months; 3 left over rude staff, 1 over poor quality, 4 said
    nothing:

    >>> log = pd.DataFrame({"reason": ["rude_staff"] * 3 + ["poor_quality"] + ["not_given"] * 4})
    >>> est = leak_rates(log, pd.DataFrame({"customers_start": [100, 100]}))
    >>> est.loc[["rude_staff", "poor_quality"], ["named", "allocated", "rate"]]
                  named  allocated  rate
    hole
    rude_staff        3        6.0  0.03
    poor_quality      1        2.0  0.01
    """
    if not isinstance(reason, str) or not isinstance(exposure, str) or not isinstance(unstated, str):
        raise TypeError("reason, exposure and unstated must be strings (column names and a code)")
    log = _check_frame("cancellations", cancellations, [reason])
    months = _check_frame("monthly", monthly, [exposure])
    codes = log[reason].astype(str)
    allowed = set(_bucket.HOLES) | {unstated}
    bad = sorted(set(codes.unique()) - allowed)
    if bad:
        raise ValueError(
            f"cancellations[{reason!r}] must hold hole names {list(_bucket.HOLES)} or {unstated!r}; got {bad}"
        )
    total_exposure = float(check_number(f"monthly[{exposure!r}]", months[exposure].to_numpy(dtype=float), low=0.0).sum())
    if total_exposure <= 0:
        raise ValueError(f"monthly[{exposure!r}] must add up to a positive exposure, got {total_exposure:g}")
    counts = codes.value_counts()
    named = counts.reindex(list(_bucket.HOLES), fill_value=0).astype("int64")
    unnamed = int(counts.get(unstated, 0))
    if named.sum() == 0 and unnamed > 0:
        raise ValueError("no cancellation names a hole, so the unnamed ones cannot be shared out")
    share_named = named / named.sum() if named.sum() > 0 else named.astype(float)
    allocated = named + unnamed * share_named
    out = pd.DataFrame(
        {
            "named": named.to_numpy(),
            "allocated": allocated.to_numpy(dtype=float),
            "rate_named": named.to_numpy() / total_exposure,
            "rate": allocated.to_numpy(dtype=float) / total_exposure,
        },
        index=pd.Index(list(_bucket.HOLES), name="hole"),
    )
    out["share"] = out["allocated"] / out["allocated"].sum() if out["allocated"].sum() > 0 else 0.0
    return out


def plug_plan(bucket, repairs) -> pd.DataFrame:
    r"""Rank candidate repairs of the bucket's holes by their net monthly value.

    For a repair that removes a share :math:`f_i` of hole :math:`i`'s leak rate :math:`p_i` at a
    monthly cost :math:`K_i`, with the bucket at its steady state :math:`N^* = I / c`
    (:func:`coursekit.models.bucket.hole_value`):

    .. math:: \text{saved}_i = a \, p_i f_i N^*, \qquad
              \text{net}_i = \text{saved}_i - K_i, \qquad
              \text{return}_i = \text{saved}_i / K_i,

    where :math:`a` is the acquisition cost: holding the base at :math:`N^*` needs
    :math:`p_i f_i N^*` fewer new customers a month.  (If the firm keeps buying the same inflow
    instead, the base grows by ``extra_customers``, each earning the monthly margin.)

    Parameters
    ----------
    bucket : coursekit.models.bucket.Bucket
        The bucket, with a steady state.
    repairs : pandas.DataFrame
        One row per candidate repair with ``hole`` (a hole name, each at most once),
        ``fraction`` (share of the hole's rate removed, in [0, 1]) and ``monthly_cost`` (money
        per month, >= 0).  Other columns (e.g. a description) are kept.

    Returns
    -------
    pandas.DataFrame
        The repairs with ``rate_before``, ``rate_after``, ``saved_per_month``,
        ``extra_customers``, ``extra_margin_per_month``, ``net_per_month`` and
        ``return_per_dollar`` (``inf`` for a free repair), sorted by ``net_per_month`` from
        best to worst (ties keep the input order), index 0..k-1.

    Raises
    ------
    ValueError
        If a column is missing, a hole is unknown or repeated, or a value is out of range.
    TypeError
        If ``bucket`` is not a Bucket or ``repairs`` not a DataFrame.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*, Harvard Business
       School Press, 2001.

    Examples
    --------
    >>> b = _bucket.Bucket({"rude_staff": 0.01, "poor_service": 0.03}, inflow=400, acquisition_cost=100)
    >>> repairs = pd.DataFrame({"hole": ["poor_service", "rude_staff"], "fraction": [0.5, 0.8],
    ...                         "monthly_cost": [5000.0, 1000.0]})
    >>> plug_plan(b, repairs)[["hole", "saved_per_month", "net_per_month", "return_per_dollar"]]
               hole  saved_per_month  net_per_month  return_per_dollar
    0  poor_service          15000.0        10000.0                3.0
    1    rude_staff           8000.0         7000.0                8.0
    """
    if not isinstance(bucket, _bucket.Bucket):
        raise TypeError(f"bucket must be a coursekit.models.bucket.Bucket, got {type(bucket).__name__}")
    table = _check_frame("repairs", repairs, ["hole", "fraction", "monthly_cost"]).reset_index(drop=True)
    holes = table["hole"].astype(str)
    for hole in holes:
        check_choice("repairs['hole']", hole, _bucket.HOLES)
    if holes.duplicated().any():
        raise ValueError(f"repairs['hole'] must name each hole at most once, got {holes[holes.duplicated()].tolist()} twice")
    fractions = check_number("repairs['fraction']", table["fraction"].to_numpy(dtype=float), low=0.0, high=1.0)
    costs = check_number("repairs['monthly_cost']", table["monthly_cost"].to_numpy(dtype=float), low=0.0)
    values = [_bucket.hole_value(bucket, h, float(f)) for h, f in zip(holes, np.atleast_1d(fractions))]
    out = table.copy()
    out["rate_before"] = [v.rate_before for v in values]
    out["rate_after"] = [v.rate_after for v in values]
    out["saved_per_month"] = [v.saved_acquisition_per_month for v in values]
    out["extra_customers"] = [v.extra_customers for v in values]
    out["extra_margin_per_month"] = [v.extra_margin_per_month for v in values]
    saved = out["saved_per_month"].to_numpy(dtype=float)
    costs = np.atleast_1d(costs)
    out["net_per_month"] = saved - costs
    with np.errstate(divide="ignore", invalid="ignore"):
        out["return_per_dollar"] = np.where(costs > 0, saved / np.where(costs > 0, costs, 1.0), np.inf)
    out = out.sort_values("net_per_month", ascending=False, kind="stable")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class RepairChoice:
    """Result of :func:`best_repairs`.

    Attributes
    ----------
    holes : tuple of str
        Holes of the chosen repairs, in the order of the plan.
    cost_per_month : float
        Their total monthly cost (money per month).
    net_per_month : float
        Their total net monthly value (money per month).
    saved_per_month : float
        Their total saved acquisition spend (money per month).
    """

    holes: tuple
    cost_per_month: float
    net_per_month: float
    saved_per_month: float


_MAX_REPAIRS = 20


def best_repairs(plan, budget) -> RepairChoice:
    r"""The set of repairs with the largest total net value within a monthly budget.

    Under the hold-the-base view of :func:`plug_plan` the repairs' savings add up:
    holding the base at :math:`N^*` needs :math:`\sum_{i \in S} p_i f_i N^*` fewer new customers a
    month.  The function solves the small knapsack problem

    .. math:: \max_{S} \sum_{i \in S} \text{net}_i \quad \text{subject to} \quad
              \sum_{i \in S} K_i \le \text{budget}

    by trying every subset (at most 2**20), so the answer is exact.  Ties go to the cheaper set,
    then to the set that comes first in binary order of the plan's rows.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`plug_plan` (at least ``hole``, ``monthly_cost``, ``net_per_month`` and
        ``saved_per_month``), at most 20 rows.
    budget : float
        Money available per month for repairs, >= 0.

    Returns
    -------
    RepairChoice
        The chosen holes with their total cost, net value and savings.

    Raises
    ------
    ValueError, TypeError
        For a plan without the columns, with more than 20 rows, or a negative budget.

    References
    ----------
    .. [1] S. Martello and P. Toth, *Knapsack Problems: Algorithms and Computer Implementations*,
       Wiley, 1990.

    Examples
    --------
    >>> plan = pd.DataFrame({"hole": ["a", "b", "c"], "monthly_cost": [5.0, 4.0, 3.0],
    ...                      "net_per_month": [6.0, 4.0, 3.5], "saved_per_month": [11.0, 8.0, 6.5]})
    >>> best_repairs(plan, budget=7)
    RepairChoice(holes=('b', 'c'), cost_per_month=7.0, net_per_month=7.5, saved_per_month=14.5)
    >>> best_repairs(plan, budget=2).holes
    ()
    """
    table = _check_frame("plan", plan, ["hole", "monthly_cost", "net_per_month", "saved_per_month"])
    if len(table) > _MAX_REPAIRS:
        raise ValueError(f"plan must have at most {_MAX_REPAIRS} repairs for an exhaustive search, got {len(table)}")
    budget = _single("budget", budget, low=0.0)
    cost = np.atleast_1d(check_number("plan['monthly_cost']", table["monthly_cost"].to_numpy(dtype=float), low=0.0))
    net = table["net_per_month"].to_numpy(dtype=float)
    saved = table["saved_per_month"].to_numpy(dtype=float)
    k = len(table)
    masks = (np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1
    total_cost = masks @ cost
    total_net = masks @ net
    feasible = total_cost <= budget + 1e-9
    order = np.lexsort((np.arange(2**k), total_cost, -np.where(feasible, total_net, -np.inf)))
    best = order[0]
    chosen = masks[best].astype(bool)
    return RepairChoice(
        holes=tuple(table["hole"].astype(str).to_numpy()[chosen]),
        cost_per_month=float(total_cost[best]),
        net_per_month=float(total_net[best]),
        saved_per_month=float(masks[best] @ saved),
    )


def repair_explorer(bucket, repairs, budget: float = 8_000.0):
    """Sliders for the repair decision: the monthly budget and the cost of winning a customer.

    Each move rebuilds the bucket with the new acquisition cost, ranks the repairs with
    :func:`plug_plan` and picks the best set within the budget with :func:`best_repairs`.

    Parameters
    ----------
    bucket : coursekit.models.bucket.Bucket
        The firm's bucket (its ``acquisition_cost`` is the slider's start value).
    repairs : pandas.DataFrame
        Candidate repairs, as for :func:`plug_plan`.
    budget : float, default 8000
        Initial monthly budget (money per month), between 0 and 30,000.

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``chosen`` (tuple of holes), ``net_per_month`` and ``first_hole``.

    Examples
    --------
    >>> b = _bucket.Bucket({"rude_staff": 0.01, "poor_service": 0.03}, inflow=400, acquisition_cost=100)
    >>> repairs = pd.DataFrame({"hole": ["poor_service", "rude_staff"], "fraction": [0.5, 0.8],
    ...                         "monthly_cost": [5000.0, 1000.0]})
    >>> ex = repair_explorer(b, repairs, budget=3000)
    >>> ex.results["chosen"], ex.results["first_hole"]
    (('rude_staff',), 'poor_service')
    """
    import dataclasses

    from coursekit import plotting
    from coursekit.widgets import Explorer, float_slider

    if not isinstance(bucket, _bucket.Bucket):
        raise TypeError(f"bucket must be a coursekit.models.bucket.Bucket, got {type(bucket).__name__}")
    plug_plan(bucket, repairs)  # validate once
    holes = list(repairs["hole"].astype(str))
    labels = [_bucket.HOLE_LABELS[h] for h in holes]
    y = np.arange(len(holes))

    def draw(ax, artists, budget, acquisition_cost):
        plan = plug_plan(dataclasses.replace(bucket, acquisition_cost=acquisition_cost), repairs).set_index("hole")
        plan = plan.loc[holes]
        choice = best_repairs(plan.reset_index(), budget)
        net = plan["net_per_month"].to_numpy()
        colours = [plotting.PALETTE[2] if h in choice.holes else plotting.PALETTE[5] for h in holes]
        if not artists:
            artists["bars"] = ax.barh(y, net, color=colours)
            ax.set_yticks(y, labels)
            ax.invert_yaxis()
            ax.figure.subplots_adjust(left=0.25)
            ax.axvline(0, color="0.3", linewidth=1)
            plotting.money_axis(ax, "x")
            plotting.label(ax, "Net monthly value of each repair (green: chosen)", "US$ per month", "Hole")
        else:
            for bar, width, colour in zip(artists["bars"], net, colours):
                bar.set_width(width)
                bar.set_color(colour)
        span = max(1.0, np.abs(net).max()) * 1.15
        ax.set_xlim(min(0.0, net.min() * 1.15), span)
        first = str(plan["net_per_month"].idxmax())
        results = {"chosen": choice.holes, "net_per_month": choice.net_per_month, "first_hole": first}
        chosen = ", ".join(_bucket.HOLE_LABELS[h] for h in choice.holes) or "nothing"
        html = (f"Within ${budget:,.0f} a month: fix <b>{chosen}</b> (cost ${choice.cost_per_month:,.0f}, "
                f"net gain ${choice.net_per_month:,.0f} a month).<br>Best single repair: "
                f"<b>{_bucket.HOLE_LABELS[first]}</b>.")
        return results, html

    controls = {
        "budget": float_slider("Monthly budget ($)", float(budget), 0.0, 30_000.0, 500.0, ",.0f"),
        "acquisition_cost": float_slider("Cost of a new customer ($)", float(bucket.acquisition_cost), 10.0, 300.0,
                                         5.0, ".0f"),
    }
    return Explorer(controls, draw)


# ============================================================================================
# case 3 -- the store that knew: the Miao data
# ============================================================================================
MIAO_SEED = 20240812
MIAO_START = "1999-07-01"
MIAO_END = "2001-12-31"
#: Card of the Miao household in the default dataset.
MIAO_CARD = "C0217"
#: Reasons why a regular buyer of sanitary products stops buying them at the store.
MIAO_EVENTS = ("pregnancy", "away", "elsewhere", "moved", "stopped")
MIAO_CATEGORIES = ("groceries", "sanitary", "baby")
#: Number of cards with each event, besides the Miao household's pregnancy.
MIAO_EVENT_COUNTS = {"pregnancy": 10, "away": 12, "elsewhere": 9, "moved": 6, "stopped": 5}
_MIAO_STORY = {"issued": "2000-02-21", "start": "2000-08-25", "birth": "2001-05-18", "end": "2001-09-10"}
_MIAO_CARDS = ["card_id", "issued"]
_MIAO_PURCHASES = ["card_id", "date", "category", "amount"]
_MIAO_TRUTH = ["card_id", "event", "start", "end", "birth", "note"]


class MiaoData(NamedTuple):
    """Frames of the Miao dataset (see :func:`make_miao`)."""

    cards: pd.DataFrame
    purchases: pd.DataFrame
    truth: pd.DataFrame


def _day_index(text: str) -> int:
    return int((np.datetime64(text, "D") - np.datetime64(MIAO_START, "D")).astype(int))


def make_miao(n_cards: int = 300, seed: int = MIAO_SEED) -> MiaoData:
    r"""Simulate the loyalty-card purchases of a neighbourhood store, July 1999 - December 2001.

    Generative model (days counted from 1 July 1999; 915 days).

    1. **Cards.**  ``n_cards`` households; 75 % hold a card from day 0, the others get one on a
       uniform day in [0, 500).  Card :data:`MIAO_CARD` (index 216, or ``n_cards // 2`` for a
       smaller store) is the Miao household, issued on 21 February 2000.
    2. **Groceries.**  Every household shops from its card's issue on, with gaps drawn from a
       Gamma distribution (shape 2) with a household mean uniform in [5, 14] days (Miao: 7).
    3. **Sanitary products.**  78 % of households (always the Miao one) buy them regularly: the
       household's cycle :math:`\mu` is uniform in [25, 31] days (Miao: 28); each gap is
       :math:`\mu + \varepsilon`, :math:`\varepsilon \sim N(0, 1.5^2)`, at least 15 days, and
       doubled with probability 0.06 (two packs bought at once).
    4. **Events** (one at most per household, among sanitary buyers whose card was issued by
       day 330), with the numbers of :data:`MIAO_EVENT_COUNTS`:

       * ``pregnancy`` -- from day :math:`s` (uniform in [issue + 120, 715]) sanitary purchases
         stop; the birth comes :math:`266 \pm 10` days later and the purchases resume 50-250
         days after the birth (``end``); baby products are bought from the birth on, every
         Gamma(shape 4, mean uniform in [6, 11]) days.  Miao: 25 August 2000, birth 18 May
         2001, purchases resume 10 September 2001.
       * ``away`` -- every purchase stops for 40-110 days (a long trip).
       * ``elsewhere`` -- sanitary purchases stop for 100-300 days (bought at another shop),
         groceries go on.
       * ``moved`` -- every purchase stops for good.
       * ``stopped`` -- sanitary purchases stop for good, groceries go on.

    5. **Amounts.**  Groceries Gamma(shape 3, mean 32) US$, sanitary products uniform in
       [3.5, 7.5], baby products Gamma(shape 4, mean 15); rounded to cents.

    Several purchases of one category by one household on one day count once.  Six independent
    random streams are spawned from ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    n_cards : int, default 300
        Number of households (at least 60).
    seed : int, default MIAO_SEED
        Seed (>= 0).

    Returns
    -------
    MiaoData
        ``cards`` (``card_id``, ``issued``), ``purchases`` (``card_id``, ``date``,
        ``category``, ``amount``; date order) and ``truth`` (one row per household with an
        event: ``card_id``, ``event``, ``start``, ``end`` -- NaT for a permanent stop --,
        ``birth`` -- NaT except for pregnancies --, and ``note``).

    Raises
    ------
    ValueError, TypeError
        For arguments out of range or of the wrong kind.

    References
    ----------
    .. [1] C. Duhigg, "How Companies Learn Your Secrets", The New York Times Magazine,
       16 February 2012.

    Examples
    --------
    >>> small = make_miao(n_cards=80, seed=4)
    >>> small.truth["event"].value_counts().sort_index().to_dict()
    {'away': 12, 'elsewhere': 9, 'moved': 6, 'pregnancy': 11, 'stopped': 5}
    >>> sorted(small.purchases["category"].unique())
    ['baby', 'groceries', 'sanitary']
    """
    n = check_positive_int("n_cards", n_cards)
    if n < 60:
        raise ValueError(f"n_cards must be at least 60 (the events need enough households), got {n}")
    seed = _check_seed(seed)
    r_card, r_groc, r_san, r_event, r_baby, r_amount = _streams(seed, 6)
    days = _day_index(MIAO_END) + 1
    miao = 216 if n > 216 else n // 2

    issued = np.where(r_card.random(n) < 0.75, 0, r_card.integers(0, 500, n))
    buys_sanitary = r_card.random(n) < 0.78
    cycle = np.round(r_card.uniform(25.0, 31.0, n), 1)
    grocery_gap = np.round(r_card.uniform(5.0, 14.0, n), 1)
    issued[miao], buys_sanitary[miao], cycle[miao], grocery_gap[miao] = _day_index(_MIAO_STORY["issued"]), True, 28.0, 7.0

    # --- events: disjoint households, drawn from the eligible ones ---------------------------
    eligible = np.flatnonzero(buys_sanitary & (issued <= 330) & (np.arange(n) != miao))
    needed = sum(MIAO_EVENT_COUNTS.values())
    if eligible.size < needed:
        extra = np.flatnonzero(~buys_sanitary & (issued <= 330) & (np.arange(n) != miao))
        take = extra[: needed - eligible.size]
        buys_sanitary[take] = True
        eligible = np.sort(np.concatenate([eligible, take]))
        if eligible.size < needed:
            raise ValueError(f"n_cards={n} leaves too few households with an early card for the events")
    chosen = r_event.permutation(eligible)[:needed]
    event = np.full(n, "", dtype=object)
    bounds = np.cumsum([0, *MIAO_EVENT_COUNTS.values()])
    for name, lo, hi in zip(MIAO_EVENT_COUNTS, bounds[:-1], bounds[1:]):
        event[chosen[lo:hi]] = name
    event[miao] = "pregnancy"
    start = np.full(n, -1, dtype=np.int64)
    end = np.full(n, -1, dtype=np.int64)  # -1: no end (permanent) or no event
    birth = np.full(n, -1, dtype=np.int64)
    u = r_event.random((n, 3))

    def between(lo, hi, x):
        return (lo + x * np.maximum(hi - lo, 0)).astype(np.int64)

    preg = event == "pregnancy"
    preg[miao] = False
    start[preg] = between(issued[preg] + 120, 715, u[preg, 0])
    birth[preg] = start[preg] + 266 + np.round(u[preg, 1] * 20 - 10).astype(np.int64)
    end[preg] = birth[preg] + 50 + (u[preg, 2] * 200).astype(np.int64)
    away = event == "away"
    start[away] = between(issued[away] + 60, days - 120, u[away, 0])
    end[away] = start[away] + 40 + (u[away, 1] * 70).astype(np.int64)
    elsewhere = event == "elsewhere"
    start[elsewhere] = between(issued[elsewhere] + 90, days - 150, u[elsewhere, 0])
    end[elsewhere] = start[elsewhere] + 100 + (u[elsewhere, 1] * 200).astype(np.int64)
    for name in ("moved", "stopped"):
        m = event == name
        start[m] = between(issued[m] + 150, days - 60, u[m, 0])
    start[miao], birth[miao], end[miao] = (_day_index(_MIAO_STORY[k]) for k in ("start", "birth", "end"))

    # --- purchases ----------------------------------------------------------------------------
    g_rows, g_time = _renewals(
        r_groc, issued, np.full(n, days), lambda k, m: r_groc.gamma(2.0, 1.0, (k, m)) * (grocery_gap / 2.0)[:, None],
        r_groc.random(n) * grocery_gap,
    )
    sanitary_households = np.flatnonzero(buys_sanitary)
    mu = cycle[sanitary_households]

    def sanitary_gaps(k, m):
        gaps = np.maximum(mu[:, None] + r_san.normal(0.0, 1.5, (k, m)), 15.0)
        return gaps * np.where(r_san.random((k, m)) < 0.06, 2.0, 1.0)

    s_rows, s_time = _renewals(r_san, issued[sanitary_households], np.full(mu.size, days), sanitary_gaps,
                               r_san.random(mu.size) * mu)
    s_rows = sanitary_households[s_rows]
    mothers = np.flatnonzero(event == "pregnancy")
    baby_gap = r_baby.uniform(6.0, 11.0, mothers.size)
    first_baby = birth[mothers] - r_baby.integers(0, 5, mothers.size)
    b_rows, b_time = _renewals(
        r_baby, first_baby, np.full(mothers.size, days),
        lambda k, m: r_baby.gamma(4.0, 1.0, (k, m)) * (baby_gap / 4.0)[:, None], np.zeros(mothers.size),
    )
    b_rows = mothers[b_rows]

    card = np.concatenate([g_rows, s_rows, b_rows])
    day = np.floor(np.concatenate([g_time, s_time, b_time])).astype(np.int64)
    cat = np.concatenate([np.zeros(g_rows.size, int), np.ones(s_rows.size, int), np.full(b_rows.size, 2)])
    e = event[card]
    in_window = (day >= start[card]) & ((end[card] < 0) | (day < end[card]))
    everything_off = ((e == "away") | (e == "moved")) & in_window
    sanitary_off = (cat == 1) & ((e == "pregnancy") | (e == "elsewhere") | (e == "stopped")) & in_window
    keep = ~(everything_off | sanitary_off) & (day < days)
    card, day, cat = card[keep], day[keep], cat[keep]
    key = (card * days + day) * 3 + cat
    key = np.unique(key)
    cat = key % 3
    day = (key // 3) % days
    card = key // 3 // days
    amount = np.select(
        [cat == 0, cat == 1],
        [r_amount.gamma(3.0, 32.0 / 3.0, key.size), r_amount.uniform(3.5, 7.5, key.size)],
        r_amount.gamma(4.0, 15.0 / 4.0, key.size),
    )
    order = np.lexsort((cat, card, day))
    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)], dtype=object)
    purchases = pd.DataFrame(
        {
            "card_id": pd.array(ids[card[order]], dtype=_STR),
            "date": _day_dates(MIAO_START, day[order]),
            "category": pd.array(np.array(MIAO_CATEGORIES, dtype=object)[cat[order]], dtype=_STR),
            "amount": np.round(amount[order], 2),
        }
    )
    cards = pd.DataFrame({"card_id": pd.array(ids, dtype=_STR), "issued": _day_dates(MIAO_START, issued)})
    has = np.flatnonzero(event != "")

    def optional(values):
        dates = _day_dates(MIAO_START, np.where(values >= 0, values, 0))
        return dates.where(values >= 0)

    truth = pd.DataFrame(
        {
            "card_id": pd.array(ids[has], dtype=_STR),
            "event": pd.array(event[has].astype(str), dtype=_STR),
            "start": _day_dates(MIAO_START, start[has]),
            "end": optional(end[has]).astype(_NS),
            "birth": optional(birth[has]).astype(_NS),
            "note": pd.array(np.where(has == miao, "the Miao household", ""), dtype=_STR),
        }
    )
    return MiaoData(cards=cards, purchases=purchases, truth=truth)


def write_miao(directory, data: MiaoData | None = None) -> list[Path]:
    """Write the Miao dataset into ``directory/miao/``.

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``miao/`` is created in it.
    data : MiaoData, optional
        What to write; by default :func:`make_miao` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        ``miao/cards.csv``, ``miao/purchases.csv`` and ``miao/truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_miao(tmp, make_miao(n_cards=60, seed=2))
    ...     print([p.name for p in paths], paths[1].read_text().splitlines()[0])
    ['cards.csv', 'purchases.csv', 'truth.csv'] card_id,date,category,amount
    """
    directory = _check_directory("directory", directory)
    if data is None:
        data = make_miao()
    elif not isinstance(data, MiaoData):
        raise TypeError(f"data must be a MiaoData or None, got {type(data).__name__}")
    folder = directory / "miao"
    folder.mkdir(parents=True, exist_ok=True)
    cards, purchases, truth = data
    return [
        _write_csv(pd.DataFrame({"card_id": cards["card_id"].astype(str), "issued": _date_text(cards["issued"])}),
                   folder / "cards.csv"),
        _write_csv(
            pd.DataFrame(
                {
                    "card_id": purchases["card_id"].astype(str),
                    "date": _date_text(purchases["date"]),
                    "category": purchases["category"].astype(str),
                    "amount": _float_text(purchases["amount"], 2),
                }
            ),
            folder / "purchases.csv",
        ),
        _write_csv(
            pd.DataFrame(
                {
                    "card_id": truth["card_id"].astype(str),
                    "event": truth["event"].astype(str),
                    "start": _date_text(truth["start"]),
                    "end": _date_text(truth["end"]),
                    "birth": _date_text(truth["birth"]),
                    "note": truth["note"].astype(str),
                }
            ),
            folder / "truth.csv",
        ),
    ]


def load_miao_cards(directory=None) -> pd.DataFrame:
    """Load the store's loyalty cards (``miao/cards.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``card_id`` (str) and ``issued`` (datetime64[ns]), one row per card.

    Examples
    --------
    >>> cards = load_miao_cards()
    >>> len(cards), str(cards.set_index("card_id").loc[MIAO_CARD, "issued"].date())
    (300, '2000-02-21')
    """
    name = "cards.csv"
    raw = _read(directory, "miao", name, _MIAO_CARDS)
    return pd.DataFrame({"card_id": raw["card_id"].astype(_STR), "issued": _parse_dates(raw, "issued", name)})


def load_miao_purchases(directory=None) -> pd.DataFrame:
    """Load the store's loyalty-card purchases (``miao/purchases.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per household, day and category bought, in date order: ``card_id`` (str),
        ``date`` (datetime64[ns]), ``category`` (categorical: groceries, sanitary, baby) and
        ``amount`` (float, US$).

    Examples
    --------
    >>> p = load_miao_purchases()
    >>> p["category"].value_counts().sort_index().to_dict()
    {'groceries': 29366, 'sanitary': 6323, 'baby': 248}
    """
    name = "purchases.csv"
    raw = _read(directory, "miao", name, _MIAO_PURCHASES)
    return pd.DataFrame(
        {
            "card_id": raw["card_id"].astype(_STR),
            "date": _parse_dates(raw, "date", name),
            "category": _categorical(raw, "category", MIAO_CATEGORIES, name),
            "amount": _parse_numbers(raw, "amount", name),
        }
    )


def load_miao_truth(directory=None) -> pd.DataFrame:
    """Load what really happened to the households (``miao/truth.csv``) -- the store never sees it.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per household with an event: ``card_id`` (str), ``event`` (categorical,
        :data:`MIAO_EVENTS`), ``start``, ``end`` (NaT: permanent) and ``birth`` (NaT except for
        pregnancies) as datetime64[ns], and ``note`` (str).

    Examples
    --------
    >>> truth = load_miao_truth()
    >>> truth.loc[truth["note"] != "", ["card_id", "event"]].to_numpy().tolist()
    [['C0217', 'pregnancy']]
    """
    name = "truth.csv"
    raw = _read(directory, "miao", name, _MIAO_TRUTH)
    return pd.DataFrame(
        {
            "card_id": raw["card_id"].astype(_STR),
            "event": _categorical(raw, "event", MIAO_EVENTS, name),
            "start": _parse_dates(raw, "start", name),
            "end": _parse_dates(raw, "end", name),
            "birth": _parse_dates(raw, "birth", name),
            "note": raw["note"].astype(_STR),
        }
    )


def _check_purchases(purchases, card: str, date: str, category: str) -> pd.DataFrame:
    for name, value in (("card", card), ("date", date), ("category_column", category)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a column name (str), got {value!r}")
    frame = _check_frame("purchases", purchases, [card, date, category])
    return pd.DataFrame(
        {card: frame[card].astype(str), date: _dates_of("purchases", frame, date), category: frame[category].astype(str)}
    )


def silence_alerts(purchases, as_of, category: str = "sanitary", tolerance: float = 3.0, min_purchases: int = 4,
                   active_days: int | None = None, card: str = "card_id", date: str = "date",
                   category_column: str = "category") -> pd.DataFrame:
    r"""The store's real-time rule: regular buyers of a category who have gone silent.

    Using only purchases on or before ``as_of``, each card's cycle in ``category`` is the median
    gap between its purchases (:func:`coursekit.models.purchases.purchase_cycles`), and a card is
    alerted when its silence is longer than ``tolerance`` cycles
    (:func:`coursekit.models.purchases.overdue`):

    .. math:: \text{as\_of} - t_{\text{last}} > \text{tolerance} \times c .

    With ``active_days`` the rule also asks that the household still shops at the store: at
    least one purchase of *another* category in the ``active_days`` days up to ``as_of``.  A
    household that stopped everything (a trip, a move) is then not alerted.

    Parameters
    ----------
    purchases : pandas.DataFrame
        One row per purchase with the ``card``, ``date`` and ``category_column`` columns.
    as_of : str, datetime.date or pandas.Timestamp
        The day the rule runs.
    category : str, default "sanitary"
        The category whose silence is watched.
    tolerance : float, default 3.0
        Cycles of silence before an alert, > 0.
    min_purchases : int, default 4
        Purchases in the category needed to estimate a cycle (>= 2).
    active_days : int or None, default None
        Window (days) for the still-shopping check, or ``None`` for no check.
    card, date, category_column : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per alerted card, the most overdue first, indexed by the card column, with
        ``n_purchases``, ``last_purchase``, ``cycle_days``, ``days_since_last`` and
        ``overdue_ratio`` (silence in cycles), plus ``last_other`` (date of the last purchase
        of another category, NaT if none) when ``active_days`` is given.

    Raises
    ------
    ValueError, TypeError
        For missing columns or arguments out of range.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your customers: who are
       they and what will they do next?", Management Science 33(1), 1-24, 1987.

    Examples
    --------
    Household A buys every 28 days and stops at the end of April; B stops everything then too:

    >>> days = [0, 28, 56, 84, 112]
    >>> rows = [("A", d, "sanitary") for d in days] + [("B", d, "sanitary") for d in days]
    >>> rows += [("A", d, "groceries") for d in range(0, 300, 7)] + [("B", d, "groceries") for d in range(0, 113, 7)]
    >>> p = pd.DataFrame(rows, columns=["card_id", "day", "category"])
    >>> p["date"] = pd.Timestamp("2000-01-03") + pd.to_timedelta(p["day"], unit="D")
    >>> silence_alerts(p, "2000-09-01")[["cycle_days", "days_since_last", "overdue_ratio"]].round(2)
             cycle_days  days_since_last  overdue_ratio
    card_id
    A              28.0              130           4.64
    B              28.0              130           4.64
    >>> silence_alerts(p, "2000-09-01", active_days=30).index.tolist()
    ['A']
    """
    frame = _check_purchases(purchases, card, date, category_column)
    day = _as_day("as_of", as_of)
    if not isinstance(category, str):
        raise TypeError(f"category must be a str, got {category!r}")
    tolerance = _single("tolerance", tolerance, low=0.0, low_open=True)
    min_purchases = check_positive_int("min_purchases", min_purchases)
    if min_purchases < 2:
        raise ValueError(f"min_purchases must be at least 2, got {min_purchases}")
    if active_days is not None:
        active_days = check_positive_int("active_days", active_days)
    past = frame[frame[date] <= day]
    watched = past[past[category_column] == category]
    if watched.empty:
        raise ValueError(f"no purchase of category {category!r} on or before {day.date()}")
    cycles = purchase_cycles(watched[[card, date]], by=card, date=date, min_purchases=min_purchases)
    late = overdue(cycles, as_of=day, tolerance=tolerance)
    columns = ["n_purchases", "last_purchase", "cycle_days", "days_since_last", "overdue_ratio"]
    late = late[columns]
    if active_days is not None:
        others = past[past[category_column] != category]
        last_other = others.groupby(card, sort=False)[date].max()
        late = late.assign(last_other=last_other.reindex(late.index).astype(_NS).to_numpy())
        recent = late["last_other"] > day - pd.Timedelta(days=active_days)
        late = late[recent.to_numpy()]
    return late


@dataclass(frozen=True)
class AlertQuality:
    """Result of :func:`alert_quality`.

    Attributes
    ----------
    alerts, true_alarms, false_alarms, missed : int
        Cards alerted; alerted cards whose silence is caused by the event; alerted cards without
        it; cards going through the event on ``as_of`` that were not alerted.
    precision : float
        ``true_alarms / alerts`` (NaN without alerts).
    table : pandas.DataFrame
        One row per alerted card (index), column ``cause``: the event going on at ``as_of``
        (from the truth) or ``"none"``.
    """

    alerts: int
    true_alarms: int
    false_alarms: int
    missed: int
    precision: float
    table: pd.DataFrame


def _ongoing(truth: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    frame = _check_frame("truth", truth, ["card_id", "event", "start"])
    if "end" not in frame.columns:
        raise ValueError("truth must have the column 'end' (NaT for an event without end)")
    start = _dates_of("truth", frame, "start")
    end = pd.to_datetime(frame["end"]).astype(_NS)
    on = (start <= day) & (end.isna() | (end > day))
    return frame.loc[on.to_numpy(), ["card_id", "event"]].astype({"card_id": str, "event": str})


def alert_quality(alerts, truth, as_of, event: str = "pregnancy") -> AlertQuality:
    r"""Score a list of alerts against what really happened.

    An alert is *true* when the alerted household is going through ``event`` on ``as_of``
    (``start <= as_of`` and ``end`` missing or after ``as_of``), *false* otherwise (another
    event, or nothing at all).  Households going through the event that were not alerted are
    *missed*.  Precision is :math:`\text{true} / \text{alerts}`.

    Parameters
    ----------
    alerts : pandas.DataFrame or sequence of str
        The alerted cards: the output of :func:`silence_alerts` (its index) or a list of ids.
    truth : pandas.DataFrame
        Columns ``card_id``, ``event``, ``start`` and ``end`` (as :func:`load_miao_truth`).
    as_of : str, datetime.date or pandas.Timestamp
        The day the alerts were made.
    event : str, default "pregnancy"
        The event the rule is meant to find.

    Returns
    -------
    AlertQuality
        Counts, precision and the cause of each alert.

    Raises
    ------
    ValueError, TypeError
        For missing columns or inputs of the wrong kind.

    References
    ----------
    .. [1] T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27(8),
       861-874, 2006.

    Examples
    --------
    >>> truth = pd.DataFrame({"card_id": ["A", "B", "C"], "event": ["pregnancy", "away", "pregnancy"],
    ...                       "start": pd.to_datetime(["2000-05-01", "2000-05-01", "2000-08-20"]),
    ...                       "end": pd.to_datetime(["2001-06-01", "2000-07-01", "2001-09-01"])})
    >>> q = alert_quality(["A", "B", "D"], truth, "2000-09-01")
    >>> q.alerts, q.true_alarms, q.false_alarms, q.missed, round(q.precision, 3)
    (3, 1, 2, 1, 0.333)
    >>> q.table["cause"].tolist()
    ['pregnancy', 'none', 'none']
    """
    day = _as_day("as_of", as_of)
    if isinstance(alerts, pd.DataFrame):
        ids = [str(i) for i in alerts.index]
    elif isinstance(alerts, (list, tuple, pd.Index, pd.Series, np.ndarray)):
        ids = [str(i) for i in alerts]
    else:
        raise TypeError(f"alerts must be a DataFrame (from silence_alerts) or a sequence of card ids, got {type(alerts).__name__}")
    if not isinstance(event, str):
        raise TypeError(f"event must be a str, got {event!r}")
    ongoing = _ongoing(truth, day)
    cause_of = dict(zip(ongoing["card_id"], ongoing["event"]))
    cause = [cause_of.get(i, "none") for i in ids]
    table = pd.DataFrame({"cause": pd.array(cause, dtype=_STR)}, index=pd.Index(ids, name="card_id", dtype=_STR))
    true = sum(c == event for c in cause)
    target = set(ongoing.loc[ongoing["event"] == event, "card_id"])
    missed = len(target - set(ids))
    precision = true / len(ids) if ids else float("nan")
    return AlertQuality(alerts=len(ids), true_alarms=int(true), false_alarms=len(ids) - int(true), missed=missed,
                        precision=float(precision), table=table)


def alarm_explorer(purchases, truth, as_of, tolerance: float = 3.0, active_days: int = 0):
    """Sliders for the store's rule: tolerance and the still-shopping check, scored against the truth.

    The cycles are computed once (:func:`coursekit.models.purchases.purchase_cycles` on the sanitary
    purchases up to ``as_of``); each slider move re-applies
    :func:`coursekit.models.purchases.overdue` and the still-shopping filter of
    :func:`silence_alerts` and scores the alerts with :func:`alert_quality`.

    Parameters
    ----------
    purchases, truth : pandas.DataFrame
        As :func:`load_miao_purchases` and :func:`load_miao_truth`.
    as_of : str, datetime.date or pandas.Timestamp
        The day the rule runs.
    tolerance : float, default 3.0
        Initial tolerance (cycles of silence), between 1.5 and 12.
    active_days : int, default 0
        Initial still-shopping window in days (0 = no check), between 0 and 90.

    Returns
    -------
    coursekit.widgets.Explorer
        The explorer; ``results`` holds ``alerts``, ``true_alarms``, ``false_alarms`` and
        ``precision``.

    Examples
    --------
    >>> ex = alarm_explorer(load_miao_purchases(), load_miao_truth(), "2001-03-01")
    >>> ex.set(tolerance=4.0, active_days=30)
    >>> ex.results["alerts"] == len(silence_alerts(load_miao_purchases(), "2001-03-01", tolerance=4.0,
    ...                                            active_days=30))
    True
    """
    from coursekit.widgets import Explorer, float_slider, int_slider
    from coursekit import plotting

    frame = _check_purchases(purchases, "card_id", "date", "category")
    day = _as_day("as_of", as_of)
    past = frame[frame["date"] <= day]
    sanitary = past[past["category"] == "sanitary"]
    cycles = purchase_cycles(sanitary[["card_id", "date"]], by="card_id", date="date", min_purchases=4)
    last_other = past[past["category"] != "sanitary"].groupby("card_id")["date"].max()
    causes = ["pregnancy", *[e for e in MIAO_EVENTS if e != "pregnancy"], "none"]
    x = np.arange(len(causes))

    def draw(ax, artists, tolerance, active_days):
        late = overdue(cycles, as_of=day, tolerance=tolerance)
        if active_days > 0:
            recent = last_other.reindex(late.index) > day - pd.Timedelta(days=int(active_days))
            late = late[recent.fillna(False).to_numpy(dtype=bool)]
        q = alert_quality(late, truth, day)
        counts = q.table["cause"].value_counts().reindex(causes, fill_value=0).to_numpy()
        if not artists:
            colours = [plotting.PALETTE[2]] + [plotting.PALETTE[1]] * (len(causes) - 1)
            artists["bars"] = ax.bar(x, counts, color=colours)
            ax.set_xticks(x, causes)
            plotting.label(ax, "Who the rule alerts, by what really happened", "Cause of the silence", "Alerted cards")
        else:
            for bar, h in zip(artists["bars"], counts):
                bar.set_height(h)
        ax.set_ylim(0, max(5, counts.max() * 1.15))
        results = {"alerts": q.alerts, "true_alarms": q.true_alarms, "false_alarms": q.false_alarms,
                   "missed": q.missed, "precision": q.precision}
        precision = "n/a" if q.alerts == 0 else f"{q.precision:.0%}"
        html = (f"<b>{q.alerts}</b> alerts: <b>{q.true_alarms}</b> pregnancies, <b>{q.false_alarms}</b> false alarms "
                f"(precision {precision}); {q.missed} pregnancies going on were not alerted")
        return results, html

    controls = {
        "tolerance": float_slider("Silence (cycles)", float(tolerance), 1.5, 12.0, 0.5, ".1f"),
        "active_days": int_slider("Still shopping (days, 0=off)", int(active_days), 0, 90, 5),
    }
    return Explorer(controls, draw)


# ============================================================================================
# case 4 -- Ken Robb's secret: Dick's Supermarkets
# ============================================================================================
DICKS_SEED = 20240813
DICKS_START = "1999-01-03"
_DICKS_DAYS = 364
#: The eight stores (fictitious labels; the reading names no towns).
DICKS_STORES = tuple(f"store_{i}" for i in range(1, 9))
_STORE_SHARES = np.array([0.20, 0.16, 0.14, 0.12, 0.11, 0.10, 0.09, 0.08])
#: Categories whose purchases are tracked item by item.
DICKS_CATEGORIES = ("analgesics", "pet_food", "baby", "vegetables")
#: Brand loyalty groups of analgesic buyers and their usage levels (reading R3).
LOYALTY_GROUPS = ("national", "switcher", "store")
USAGE_LEVELS = ("light", "medium", "heavy")
NINE_TYPES = tuple(f"{b}/{u}" for b in LOYALTY_GROUPS for u in USAGE_LEVELS)
_BUYER_SHARE = {"analgesics": 0.50, "pet_food": 0.35, "baby": 0.12, "vegetables": 0.60}
_CYCLE_RANGE = {"pet_food": (10.0, 24.0), "baby": (6.0, 12.0), "vegetables": (6.0, 11.0)}
_USAGE_SHARES = {"light": 0.35, "medium": 0.40, "heavy": 0.25}
_USAGE_CYCLE = {"light": (85.0, 150.0), "medium": (38.0, 65.0), "heavy": (18.0, 32.0)}
_LOYALTY_SHARES = {"national": 0.45, "switcher": 0.30, "store": 0.25}
_P_NATIONAL = {"national": (0.96, 0.96), "switcher": (0.30, 0.70), "store": (0.04, 0.04)}
_ANALGESIC_PRICE = {"national": 5.49, "store": 3.29}
_ITEM_MEAN = {"pet_food": 11.0, "baby": 14.0, "vegetables": 6.0}
_GAP_SHAPE = 6.0
_MAX_WAIT_DAYS = 10
_DICKS_CUSTOMERS = ["card_id", "home_store"]
_DICKS_BASKETS = ["card_id", "store", "date", "spend"]
_DICKS_ITEMS = ["card_id", "date", "category", "brand", "units", "amount"]
_DICKS_TRUTH = ["card_id", "trips_per_week", "weekly_spend", "analgesic_loyalty", "p_national", "analgesic_usage",
                "analgesics_cycle", "pet_food_cycle", "baby_cycle", "vegetables_cycle"]


class DicksData(NamedTuple):
    """Frames of the Dick's Supermarkets dataset (see :func:`make_dicks`)."""

    customers: pd.DataFrame
    baskets: pd.DataFrame
    items: pd.DataFrame
    truth: pd.DataFrame


def make_dicks(n_customers: int = 1000, seed: int = DICKS_SEED) -> DicksData:
    r"""Simulate a year of loyalty-card baskets at eight rural supermarkets (1999).

    Generative model (52 weeks from Sunday 3 January 1999; a sample of cardholders).

    1. **Customers.**  Home store drawn with shares 0.20, 0.16, 0.14, 0.12, 0.11, 0.10, 0.09,
       0.08 (stores 1-8).  Trips per week :math:`\lambda \sim` Gamma(shape 3, mean 1.1), clipped
       to [0.25, 3.5]; intended weekly spend :math:`W \sim` LogNormal(ln 30, 0.55) US$.
    2. **Baskets.**  :math:`\text{Poisson}(52 \lambda)` trip days, uniform over the year (one
       basket per customer and day); 88 % at the home store, the rest at another store drawn
       uniformly.  Each basket's grocery spend is Gamma(shape 2.5, mean :math:`W/\lambda`);
       the tracked items bought on that trip are added to it.
    3. **Tracked categories.**  A customer buys analgesics with probability 0.50, pet food
       0.35, baby products 0.12, vegetables 0.60.  Each category has the customer's own cycle
       :math:`\mu` (days): pet food uniform in [10, 24], baby [6, 12], vegetables [6, 11];
       analgesics by usage level -- light (share 0.35) [85, 150], medium (0.40) [38, 65],
       heavy (0.25) [18, 32].  Needs arise with Gamma(shape 6, mean :math:`\mu`) gaps, the first
       uniformly in :math:`[0, \mu)`; a need is bought on the customer's first trip on or
       within 10 days after it, otherwise elsewhere (not recorded).
    4. **Analgesic brand.**  Loyalty group national (share 0.45), switcher (0.30) or store
       (0.25); the probability of buying the national brand (e.g. Tylenol) on a purchase is
       0.96, uniform in [0.3, 0.7], or 0.04.  Units 1 (2 with probability 0.12) at US$5.49
       (national) or US$3.29 (store brand).  Other items: one unit, Gamma(shape 4) amounts with
       means 11 (pet food), 14 (baby) and 6 (vegetables) US$.

    Five independent random streams are spawned from ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    n_customers : int, default 1000
        Cardholders in the sample (>= 1).
    seed : int, default DICKS_SEED
        Seed (>= 0).

    Returns
    -------
    DicksData
        ``customers`` (``card_id``, ``home_store``), ``baskets`` (``card_id``, ``store``,
        ``date``, ``spend``), ``items`` (``card_id``, ``date``, ``category``, ``brand`` --
        ``national``/``store`` for analgesics, empty otherwise --, ``units``, ``amount``) and
        ``truth`` (one row per customer: trips per week, intended weekly spend, analgesic
        loyalty group, probability of the national brand, usage level and the cycle of each
        category, NaN where the customer does not buy it).

    Raises
    ------
    ValueError, TypeError
        For arguments out of range or of the wrong kind.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your customers: who are
       they and what will they do next?", Management Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> d = make_dicks(n_customers=40, seed=1)
    >>> sorted(d.items["category"].unique())
    ['analgesics', 'baby', 'pet_food', 'vegetables']
    >>> bool((d.baskets.groupby(["card_id", "date"]).size() == 1).all())
    True
    """
    n = check_positive_int("n_customers", n_customers)
    seed = _check_seed(seed)
    r_cust, r_trip, r_item, r_brand, r_amount = _streams(seed, 5)
    days = _DICKS_DAYS
    home = r_cust.choice(len(DICKS_STORES), size=n, p=_STORE_SHARES)
    lam = np.clip(r_cust.gamma(3.0, 1.1 / 3.0, n), 0.25, 3.5)
    weekly = np.exp(np.log(30.0) + 0.55 * r_cust.standard_normal(n))
    member = {c: r_cust.random(n) < _BUYER_SHARE[c] for c in DICKS_CATEGORIES}
    usage_code = r_cust.choice(3, size=n, p=[_USAGE_SHARES[u] for u in USAGE_LEVELS])
    loyalty_code = r_cust.choice(3, size=n, p=[_LOYALTY_SHARES[g] for g in LOYALTY_GROUPS])
    lo = np.array([_P_NATIONAL[g][0] for g in LOYALTY_GROUPS])[loyalty_code]
    hi = np.array([_P_NATIONAL[g][1] for g in LOYALTY_GROUPS])[loyalty_code]
    p_national = np.round(lo + (hi - lo) * r_cust.random(n), 3)
    cycles = {}
    u = r_cust.random((n, len(DICKS_CATEGORIES)))
    for j, c in enumerate(DICKS_CATEGORIES):
        if c == "analgesics":
            a = np.array([_USAGE_CYCLE[x][0] for x in USAGE_LEVELS])[usage_code]
            b = np.array([_USAGE_CYCLE[x][1] for x in USAGE_LEVELS])[usage_code]
        else:
            a, b = _CYCLE_RANGE[c]
        cycles[c] = np.where(member[c], np.round(a + (b - a) * u[:, j], 1), np.nan)

    # --- baskets ------------------------------------------------------------------------------
    n_trips = r_trip.poisson(52.0 * lam)
    owner = np.repeat(np.arange(n), n_trips)
    key = np.unique(owner * days + r_trip.integers(0, days, owner.size))
    t_cust, t_day = key // days, key % days
    away = r_trip.random(key.size) >= 0.88
    other = (home[t_cust] + 1 + r_trip.integers(0, len(DICKS_STORES) - 1, key.size)) % len(DICKS_STORES)
    t_store = np.where(away, other, home[t_cust])
    mean_basket = (weekly / lam)[t_cust]
    spend = r_trip.gamma(2.5, 1.0, key.size) * mean_basket / 2.5

    # --- tracked items: needs, bought on the next trip within 10 days ------------------------
    item_cust, item_cat, item_trip = [], [], []
    for j, c in enumerate(DICKS_CATEGORIES):
        who = np.flatnonzero(member[c])
        mu = cycles[c][who]
        rows, times = _renewals(r_item, np.zeros(who.size), np.full(who.size, float(days)),
                                lambda k, m: r_item.gamma(_GAP_SHAPE, 1.0, (k, m)) * (mu / _GAP_SHAPE)[:, None],
                                r_item.random(who.size) * mu)
        cust = who[rows]
        need = np.ceil(times).astype(np.int64)
        pos = np.searchsorted(key, cust * days + need)
        ok = pos < key.size
        pos = np.where(ok, pos, 0)
        ok &= (t_cust[pos] == cust) & (t_day[pos] - need <= _MAX_WAIT_DAYS)
        trip = np.unique(pos[ok])  # two needs met on one trip: one purchase
        item_cust.append(t_cust[trip])
        item_cat.append(np.full(trip.size, j))
        item_trip.append(trip)
    i_cust = np.concatenate(item_cust)
    i_cat = np.concatenate(item_cat)
    i_trip = np.concatenate(item_trip)
    is_analgesic = i_cat == 0
    national = r_brand.random(i_cust.size) < p_national[i_cust]
    units = np.where(is_analgesic & (r_brand.random(i_cust.size) < 0.12), 2, 1)
    item_mean = np.array([0.0] + [_ITEM_MEAN[c] for c in DICKS_CATEGORIES[1:]])[i_cat]
    price = np.where(national, _ANALGESIC_PRICE["national"], _ANALGESIC_PRICE["store"])
    amount = np.where(is_analgesic, units * price, np.round(r_amount.gamma(4.0, 1.0, i_cust.size) * item_mean / 4.0, 2))
    brand = np.where(is_analgesic, np.where(national, "national", "store"), "")
    spend = np.round(spend, 2)
    np.add.at(spend, i_trip, amount)

    ids = np.array([f"D{i:04d}" for i in range(1, n + 1)], dtype=object)
    stores = np.array(DICKS_STORES, dtype=object)
    customers = pd.DataFrame({"card_id": pd.array(ids, dtype=_STR), "home_store": pd.array(stores[home], dtype=_STR)})
    baskets = pd.DataFrame(
        {
            "card_id": pd.array(ids[t_cust], dtype=_STR),
            "store": pd.array(stores[t_store], dtype=_STR),
            "date": _day_dates(DICKS_START, t_day),
            "spend": np.round(spend, 2),
        }
    )
    order = np.lexsort((i_cat, i_cust, t_day[i_trip]))
    items = pd.DataFrame(
        {
            "card_id": pd.array(ids[i_cust[order]], dtype=_STR),
            "date": _day_dates(DICKS_START, t_day[i_trip[order]]),
            "category": pd.array(np.array(DICKS_CATEGORIES, dtype=object)[i_cat[order]], dtype=_STR),
            "brand": pd.array(brand[order].astype(object), dtype=_STR),
            "units": units[order].astype("int64"),
            "amount": np.round(amount[order], 2),
        }
    )
    analgesic = member["analgesics"]
    truth = pd.DataFrame(
        {
            "card_id": pd.array(ids, dtype=_STR),
            "trips_per_week": np.round(lam, 3),
            "weekly_spend": np.round(weekly, 2),
            "analgesic_loyalty": pd.array(np.where(analgesic, np.array(LOYALTY_GROUPS)[loyalty_code], ""), dtype=_STR),
            "p_national": np.where(analgesic, p_national, np.nan),
            "analgesic_usage": pd.array(np.where(analgesic, np.array(USAGE_LEVELS)[usage_code], ""), dtype=_STR),
            **{f"{c}_cycle": cycles[c] for c in DICKS_CATEGORIES},
        }
    )
    return DicksData(customers=customers, baskets=baskets, items=items, truth=truth)


def _optional_float(values, decimals: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    text = _float_text(np.where(np.isnan(values), 0.0, values), decimals)
    return np.where(np.isnan(values), "", text)


def write_dicks(directory, data: DicksData | None = None) -> list[Path]:
    """Write the Dick's Supermarkets dataset into ``directory/dicks/``.

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``dicks/`` is created in it.
    data : DicksData, optional
        What to write; by default :func:`make_dicks` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        ``dicks/customers.csv``, ``dicks/baskets.csv``, ``dicks/items.csv`` and
        ``dicks/truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_dicks(tmp, make_dicks(n_customers=20, seed=2))
    ...     print([p.name for p in paths], paths[2].read_text().splitlines()[0])
    ['customers.csv', 'baskets.csv', 'items.csv', 'truth.csv'] card_id,date,category,brand,units,amount
    """
    directory = _check_directory("directory", directory)
    if data is None:
        data = make_dicks()
    elif not isinstance(data, DicksData):
        raise TypeError(f"data must be a DicksData or None, got {type(data).__name__}")
    folder = directory / "dicks"
    folder.mkdir(parents=True, exist_ok=True)
    customers, baskets, items, truth = data
    truth_text = pd.DataFrame(
        {
            "card_id": truth["card_id"].astype(str),
            "trips_per_week": _float_text(truth["trips_per_week"], 3),
            "weekly_spend": _float_text(truth["weekly_spend"], 2),
            "analgesic_loyalty": truth["analgesic_loyalty"].astype(str),
            "p_national": _optional_float(truth["p_national"], 3),
            "analgesic_usage": truth["analgesic_usage"].astype(str),
            **{f"{c}_cycle": _optional_float(truth[f"{c}_cycle"], 1) for c in DICKS_CATEGORIES},
        }
    )
    return [
        _write_csv(customers.astype(str), folder / "customers.csv"),
        _write_csv(
            pd.DataFrame(
                {
                    "card_id": baskets["card_id"].astype(str),
                    "store": baskets["store"].astype(str),
                    "date": _date_text(baskets["date"]),
                    "spend": _float_text(baskets["spend"], 2),
                }
            ),
            folder / "baskets.csv",
        ),
        _write_csv(
            pd.DataFrame(
                {
                    "card_id": items["card_id"].astype(str),
                    "date": _date_text(items["date"]),
                    "category": items["category"].astype(str),
                    "brand": items["brand"].astype(str),
                    "units": items["units"].astype(str),
                    "amount": _float_text(items["amount"], 2),
                }
            ),
            folder / "items.csv",
        ),
        _write_csv(truth_text, folder / "truth.csv"),
    ]


def load_dicks_customers(directory=None) -> pd.DataFrame:
    """Load the cardholders of the Dick's sample (``dicks/customers.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``card_id`` (str) and ``home_store`` (categorical, :data:`DICKS_STORES`).

    Examples
    --------
    >>> load_dicks_customers()["home_store"].value_counts().sort_index().to_dict()["store_1"]
    191
    """
    name = "customers.csv"
    raw = _read(directory, "dicks", name, _DICKS_CUSTOMERS)
    return pd.DataFrame({"card_id": raw["card_id"].astype(_STR),
                         "home_store": _categorical(raw, "home_store", DICKS_STORES, name)})


def load_dicks_baskets(directory=None) -> pd.DataFrame:
    """Load the baskets (shopping trips) of the Dick's sample (``dicks/baskets.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per trip: ``card_id`` (str), ``store`` (categorical), ``date``
        (datetime64[ns]) and ``spend`` (float, US$, the whole basket).

    Examples
    --------
    >>> b = load_dicks_baskets()
    >>> str(b["date"].min().date()), str(b["date"].max().date())
    ('1999-01-03', '2000-01-01')
    """
    name = "baskets.csv"
    raw = _read(directory, "dicks", name, _DICKS_BASKETS)
    return pd.DataFrame(
        {
            "card_id": raw["card_id"].astype(_STR),
            "store": _categorical(raw, "store", DICKS_STORES, name),
            "date": _parse_dates(raw, "date", name),
            "spend": _parse_numbers(raw, "spend", name),
        }
    )


def load_dicks_items(directory=None) -> pd.DataFrame:
    """Load the tracked item purchases of the Dick's sample (``dicks/items.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per customer, day and tracked category, in date order: ``card_id`` (str),
        ``date`` (datetime64[ns]), ``category`` (categorical, :data:`DICKS_CATEGORIES`),
        ``brand`` (str: ``national`` or ``store`` for analgesics, empty otherwise), ``units``
        (int64) and ``amount`` (float, US$).

    Examples
    --------
    >>> items = load_dicks_items()
    >>> items.loc[items["category"] == "analgesics", "brand"].value_counts().to_dict()
    {'national': 1884, 'store': 986}
    """
    name = "items.csv"
    raw = _read(directory, "dicks", name, _DICKS_ITEMS)
    return pd.DataFrame(
        {
            "card_id": raw["card_id"].astype(_STR),
            "date": _parse_dates(raw, "date", name),
            "category": _categorical(raw, "category", DICKS_CATEGORIES, name),
            "brand": raw["brand"].astype(_STR),
            "units": _parse_numbers(raw, "units", name, "int"),
            "amount": _parse_numbers(raw, "amount", name),
        }
    )


def load_dicks_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the Dick's sample (``dicks/truth.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``card_id`` (str), ``trips_per_week`` and ``weekly_spend`` (the
        model's intended values), ``analgesic_loyalty`` and ``analgesic_usage`` (str, empty for
        non-buyers), ``p_national`` and the cycles ``analgesics_cycle``, ``pet_food_cycle``,
        ``baby_cycle``, ``vegetables_cycle`` (float days, NaN for non-buyers).

    Examples
    --------
    >>> t = load_dicks_truth()
    >>> t["analgesic_loyalty"].value_counts().sort_index().to_dict()
    {'': 514, 'national': 234, 'store': 98, 'switcher': 154}
    """
    name = "truth.csv"
    raw = _read(directory, "dicks", name, _DICKS_TRUTH)
    out = pd.DataFrame({"card_id": raw["card_id"].astype(_STR)})
    for column in _DICKS_TRUTH[1:]:
        if column in ("analgesic_loyalty", "analgesic_usage"):
            out[column] = raw[column].astype(_STR)
        else:
            out[column] = _parse_numbers(raw, column, name)
    return out


def nine_types(items, card: str = "card_id", category: str | None = "category", brand: str = "brand",
               units: str = "units", item: str = "analgesics", brand_cuts=(0.2, 0.8), usage_cuts=(4, 9),
               min_purchases: int = 2) -> pd.DataFrame:
    r"""Split the buyers of an item into Ken Robb's nine types: brand loyalty x usage.

    For each buyer with :math:`u_N` units of the national brand and :math:`u_S` of the store
    brand over the period, the national share is :math:`s = u_N / (u_N + u_S)`, and

    * loyalty: ``national`` if :math:`s \ge` ``brand_cuts[1]``, ``store`` if
      :math:`s \le` ``brand_cuts[0]``, ``switcher`` in between;
    * usage: ``light`` if :math:`u_N + u_S \le` ``usage_cuts[0]``, ``medium`` if
      :math:`\le` ``usage_cuts[1]``, ``heavy`` above.

    Usage is measured in units over the period of the data (a year for the Dick's sample):
    scale the cuts for a shorter window.

    Parameters
    ----------
    items : pandas.DataFrame
        One row per purchase line with the ``card``, ``brand`` (``"national"`` or ``"store"``),
        ``units`` (> 0) and, unless ``category`` is None, ``category`` columns.
    card, category, brand, units : str
        Column names (``category=None``: every row is the item).
    item : str, default "analgesics"
        The category to classify.
    brand_cuts : (float, float), default (0.2, 0.8)
        National-share cut points, ``0 <= low < high <= 1``.
    usage_cuts : (float, float), default (4, 9)
        Units cut points, ``0 <= low < high``.
    min_purchases : int, default 2
        Purchase lines needed for a buyer to be classified (>= 1).

    Returns
    -------
    pandas.DataFrame
        One row per classified buyer (index: the card column, sorted), with ``purchases``,
        ``units``, ``national_units``, ``store_units`` (int64), ``national_share`` (float),
        ``loyalty`` (categorical :data:`LOYALTY_GROUPS`), ``usage`` (ordered categorical
        :data:`USAGE_LEVELS`) and ``type`` (categorical :data:`NINE_TYPES`, e.g.
        ``"national/heavy"``).

    Raises
    ------
    ValueError, TypeError
        For missing columns, unknown brands, bad cut points or counts.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).
    .. [2] B. J. Pine II, D. Peppers and M. Rogers, "Do You Want to Keep Your Customers
       Forever?", Harvard Business Review 73(2), 103-114, 1995.

    Examples
    --------
    >>> lines = pd.DataFrame({"card_id": ["A"] * 12 + ["B"] * 3 + ["C"] * 6 + ["D"],
    ...                       "brand": ["national"] * 12 + ["store"] * 3 + ["national", "store"] * 3 + ["store"],
    ...                       "units": 1})
    >>> nine_types(lines, category=None)[["units", "national_share", "loyalty", "usage", "type"]]
             units  national_share   loyalty   usage            type
    card_id
    A           12             1.0  national   heavy  national/heavy
    B            3             0.0     store   light     store/light
    C            6             0.5  switcher  medium switcher/medium
    """
    for name, value in (("card", card), ("brand", brand), ("units", units), ("item", item)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {value!r}")
    if category is not None and not isinstance(category, str):
        raise TypeError(f"category must be a column name or None, got {category!r}")
    columns = [card, brand, units] + ([category] if category is not None else [])
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    absent = [c for c in columns if c not in items.columns]
    if absent:
        raise ValueError(f"items must have the columns {columns}; missing {absent} (it has {items.columns.tolist()})")
    frame = items
    if category is not None:
        frame = frame[frame[category].astype(str) == item]
    if frame.empty:
        raise ValueError(f"items holds no purchase of {item!r}")
    frame = _check_frame("items", frame, [card, brand, units])
    brands = frame[brand].astype(str)
    bad = sorted(set(brands.unique()) - {"national", "store"})
    if bad:
        raise ValueError(f"items[{brand!r}] must be 'national' or 'store' for {item}, got {bad}")
    qty = check_number(f"items[{units!r}]", frame[units].to_numpy(dtype=float), low=0.0, low_open=True)
    b = _pair("brand_cuts", brand_cuts, high=1.0)
    c = _pair("usage_cuts", usage_cuts)
    min_purchases = check_positive_int("min_purchases", min_purchases)
    work = pd.DataFrame({"card": frame[card].astype(str).to_numpy(), "units": np.atleast_1d(qty),
                         "national": np.where(brands.to_numpy() == "national", np.atleast_1d(qty), 0.0)})
    grouped = work.groupby("card", sort=True)
    out = pd.DataFrame({"purchases": grouped.size(), "units": grouped["units"].sum(), "national_units": grouped["national"].sum()})
    out = out[out["purchases"] >= min_purchases]
    out["store_units"] = out["units"] - out["national_units"]
    for column in ("purchases", "units", "national_units", "store_units"):
        out[column] = out[column].round().astype("int64")
    out["national_share"] = out["national_units"] / out["units"]
    share = out["national_share"].to_numpy()
    loyalty = np.where(share >= b[1], "national", np.where(share <= b[0], "store", "switcher"))
    total = out["units"].to_numpy()
    usage = np.where(total <= c[0], "light", np.where(total <= c[1], "medium", "heavy"))
    out["loyalty"] = pd.Categorical(loyalty, categories=list(LOYALTY_GROUPS))
    out["usage"] = pd.Categorical(usage, categories=list(USAGE_LEVELS), ordered=True)
    out["type"] = pd.Categorical(np.char.add(np.char.add(loyalty.astype(str), "/"), usage.astype(str)),
                                 categories=list(NINE_TYPES))
    out.index = out.index.astype(_STR)
    out.index.name = card
    return out


def _pair(name: str, value, high: float | None = None) -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1 or len(value) != 2:
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}")
    low_cut = _single(f"{name}[0]", value[0], low=0.0, high=high)
    high_cut = _single(f"{name}[1]", value[1], low=0.0, high=high)
    if not low_cut < high_cut:
        raise ValueError(f"{name} must satisfy low < high, got {value!r}")
    return low_cut, high_cut


def weekly_spend(baskets, card: str = "card_id", date: str = "date", spend: str = "spend", weeks=None) -> pd.Series:
    r"""Average weekly spend of each customer.

    .. math:: \bar w_i = \frac{\sum_{\text{baskets of } i} \text{spend}}{W},

    with :math:`W` the number of weeks covered: by default the span of the whole table,
    :math:`(\max \text{date} - \min \text{date} + 1\,\text{day}) / 7`, the same for every
    customer (a customer who shopped only in December is not treated as a big spender).

    Parameters
    ----------
    baskets : pandas.DataFrame
        One row per basket with the ``card``, ``date`` and ``spend`` (>= 0) columns.
    card, date, spend : str
        Column names.
    weeks : float or None, default None
        Weeks covered (> 0); ``None`` for the span of the data.

    Returns
    -------
    pandas.Series
        Weekly spend (float, money per week) indexed by card (sorted), named ``weekly_spend``.

    Raises
    ------
    ValueError, TypeError
        For missing columns, negative spend or a bad ``weeks``.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (the US$25-a-week threshold).

    Examples
    --------
    >>> b = pd.DataFrame({"card_id": ["A", "A", "B"], "spend": [30.0, 40.0, 14.0],
    ...                   "date": pd.to_datetime(["1999-01-03", "1999-01-10", "1999-01-16"])})
    >>> weekly_spend(b)
    card_id
    A    35.0
    B     7.0
    Name: weekly_spend, dtype: float64
    """
    for name, value in (("card", card), ("date", date), ("spend", spend)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a column name (str), got {value!r}")
    frame = _check_frame("baskets", baskets, [card, date, spend])
    amounts = check_number(f"baskets[{spend!r}]", frame[spend].to_numpy(dtype=float), low=0.0)
    if weeks is None:
        dates = _dates_of("baskets", frame, date)
        weeks = ((dates.max() - dates.min()) / _DAY + 1.0) / 7.0
    weeks = _single("weeks", weeks, low=0.0, low_open=True)
    totals = pd.Series(np.atleast_1d(amounts), index=frame[card].astype(str).to_numpy()).groupby(level=0, sort=True).sum()
    out = totals / weeks
    out.index = out.index.astype(_STR)
    out.index.name = card
    out.name = "weekly_spend"
    return out


def personalised_list(cycles, spend, as_of, min_weekly_spend: float = 25.0, horizon_days: int = 14,
                      grace_days: int = 0, card: str = "card_id", category: str = "category") -> pd.DataFrame:
    r"""The offers due on each qualifying customer's next shopping list.

    A customer qualifies when her weekly spend is at least ``min_weekly_spend`` (US$25 at Dick's).
    An item is *due* on her list when its predicted next purchase
    (:func:`coursekit.models.purchases.purchase_cycles`, last purchase + cycle) falls in the list's
    window:

    .. math:: \text{as\_of} - g \le \hat t_{\text{next}} < \text{as\_of} + h,

    with :math:`h` = ``horizon_days`` (the list goes out every other week: 14) and :math:`g` =
    ``grace_days`` (how late a predicted purchase may be and still count).

    Parameters
    ----------
    cycles : pandas.DataFrame
        Output of ``purchase_cycles(items, by=(card, category), date=...)``: indexed by card
        and category (or with them as columns) with a ``predicted_next`` column.
    spend : pandas.Series
        Weekly spend indexed by card (:func:`weekly_spend`).
    as_of : str, datetime.date or pandas.Timestamp
        The first day the list covers.
    min_weekly_spend : float, default 25.0
        Qualifying weekly spend (>= 0).
    horizon_days : int, default 14
        Days the list covers (>= 1).
    grace_days : int, default 0
        Days before ``as_of`` a predicted purchase may fall and still be due (>= 0).
    card, category : str
        Names of the card and category levels/columns.

    Returns
    -------
    pandas.DataFrame
        One row per due offer, sorted by card then date: ``card_id``, ``category``,
        ``predicted_next`` (datetime64), ``days_until`` (int64, may be negative within the
        grace) and ``weekly_spend``.

    Raises
    ------
    ValueError, TypeError
        For missing levels/columns or arguments out of range.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).

    Examples
    --------
    >>> cyc = pd.DataFrame({"card_id": ["A", "A", "B"], "category": ["analgesics", "pet_food", "analgesics"],
    ...                     "predicted_next": pd.to_datetime(["2000-01-05", "2000-02-20", "2000-01-04"])})
    >>> spend = pd.Series({"A": 40.0, "B": 12.0})
    >>> personalised_list(cyc, spend, "2000-01-03")
      card_id    category predicted_next  days_until  weekly_spend
    0       A  analgesics     2000-01-05           2          40.0
    """
    if not isinstance(cycles, pd.DataFrame):
        raise TypeError(f"cycles must be a DataFrame (the output of purchase_cycles), got {type(cycles).__name__}")
    table = cycles.reset_index() if card not in cycles.columns else cycles.copy()
    table = _check_frame("cycles", table.dropna(subset=[c for c in ("predicted_next",) if c in table.columns]),
                         [card, category, "predicted_next"])
    if not isinstance(spend, pd.Series):
        raise TypeError(f"spend must be a pandas Series of weekly spend indexed by card, got {type(spend).__name__}")
    if spend.isna().any():
        raise ValueError("spend must not hold missing values")
    day = _as_day("as_of", as_of)
    threshold = _single("min_weekly_spend", min_weekly_spend, low=0.0)
    horizon = check_positive_int("horizon_days", horizon_days)
    grace = check_positive_int("grace_days", grace_days, allow_zero=True)
    spend = spend.copy()
    spend.index = spend.index.astype(str)
    qualified = spend[spend >= threshold]
    nxt = _dates_of("cycles", table, "predicted_next")
    days_until = ((nxt - day) / _DAY).astype("int64")
    due = (days_until >= -grace) & (days_until < horizon) & table[card].astype(str).isin(qualified.index).to_numpy()
    out = pd.DataFrame(
        {
            "card_id": pd.array(table.loc[due.to_numpy(), card].astype(str), dtype=_STR),
            "category": pd.array(table.loc[due.to_numpy(), category].astype(str), dtype=_STR),
            "predicted_next": nxt[due.to_numpy()].to_numpy(),
            "days_until": days_until[due.to_numpy()].to_numpy(),
        }
    )
    out["weekly_spend"] = qualified.reindex(out["card_id"]).to_numpy(dtype=float)
    out = out.sort_values(["card_id", "predicted_next", "category"], kind="stable").reset_index(drop=True)
    return out


#: Default depth of the first store-brand offer by usage level (share off the store-brand price).
DEFAULT_DEPTH = {"light": 0.10, "medium": 0.20, "heavy": 0.35}


def conversion_offers(types, depth=None, targets=("national", "switcher")) -> pd.DataFrame:
    r"""Depth of the first store-brand offer for each buyer the conversion campaign targets.

    Reading R3: to turn national-brand buyers into store-brand buyers, the heaviest users --
    the most valuable -- get the deepest first offer.  Buyers in the ``targets`` loyalty groups
    get the discount of their usage level; store-brand loyalists are not targeted.

    Parameters
    ----------
    types : pandas.DataFrame
        Output of :func:`nine_types` (columns ``loyalty`` and ``usage``).
    depth : dict, optional
        Discount (fraction of the price, in [0, 1)) for ``light``, ``medium`` and ``heavy``;
        default :data:`DEFAULT_DEPTH` (10 %, 20 %, 35 %).
    targets : sequence of str, default ("national", "switcher")
        Loyalty groups targeted.

    Returns
    -------
    pandas.DataFrame
        The targeted rows of ``types`` with a ``discount`` column, deepest first (ties by index).

    Raises
    ------
    ValueError, TypeError
        For missing columns, unknown groups or levels, or discounts out of range.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).

    Examples
    --------
    >>> types = pd.DataFrame({"loyalty": ["national", "store", "switcher"], "usage": ["heavy", "heavy", "light"]},
    ...                      index=pd.Index(["A", "B", "C"], name="card_id"))
    >>> conversion_offers(types)
              loyalty  usage  discount
    card_id
    A        national  heavy      0.35
    C        switcher  light      0.10
    """
    frame = _check_frame("types", types, ["loyalty", "usage"])
    depth = dict(DEFAULT_DEPTH if depth is None else depth)
    if set(depth) != set(USAGE_LEVELS):
        raise ValueError(f"depth must give a discount for each of {list(USAGE_LEVELS)}, got {sorted(depth)}")
    for level, value in depth.items():
        depth[level] = check_fraction(f"depth[{level!r}]", value)
    if isinstance(targets, str):
        targets = [targets]
    for group in targets:
        check_choice("targets", group, LOYALTY_GROUPS)
    picked = frame[frame["loyalty"].astype(str).isin(list(targets)).to_numpy()].copy()
    picked["discount"] = picked["usage"].astype(str).map(depth).astype(float)
    order = np.lexsort((np.arange(len(picked)), -picked["discount"].to_numpy()))
    return picked.iloc[order]


@dataclass(frozen=True)
class CouponCost:
    """Result of :func:`coupon_economics` (US$ per year; floats or arrays).

    Attributes
    ----------
    issued : face value of every coupon sent.
    redeemed : face value of the coupons used.
    manufacturer_cost : part of ``redeemed`` the manufacturers pay.
    store_coupon_cost : part of ``redeemed`` the store pays.
    store_list_cost : printing and mailing the lists.
    store_total : ``store_coupon_cost + store_list_cost``.
    store_per_customer : ``store_total / customers``.
    manufacturer_share_of_total : manufacturers' share of all programme costs.
    """

    issued: float | np.ndarray
    redeemed: float | np.ndarray
    manufacturer_cost: float | np.ndarray
    store_coupon_cost: float | np.ndarray
    store_list_cost: float | np.ndarray
    store_total: float | np.ndarray
    store_per_customer: float | np.ndarray
    manufacturer_share_of_total: float | np.ndarray


def coupon_economics(customers, face_value_per_list, redemption_rate, manufacturer_share, lists_per_year=26,
                     cost_per_list=0.0) -> CouponCost:
    r"""Who pays for a personalised-coupon programme: the store or the manufacturers.

    For :math:`N` customers receiving :math:`L` lists a year, each with coupons of face value
    :math:`F`, of which a share :math:`\rho` is redeemed, and manufacturers funding a share
    :math:`\phi` of every redeemed coupon:

    .. math:: \text{issued} = N L F, \quad \text{redeemed} = \rho \, \text{issued}, \quad
              \text{manufacturers} = \phi \, \text{redeemed}, \quad
              \text{store} = (1 - \phi) \, \text{redeemed} + N L k,

    where :math:`k` is the cost of printing and mailing one list.  The store's cost per customer
    and year is the "points cost" :math:`c` of :func:`coursekit.models.programmes.breakeven_lift`.

    Parameters
    ----------
    customers : float or array_like
        Customers receiving lists, > 0.
    face_value_per_list : float or array_like
        Face value of the coupons on one list, US$, >= 0.
    redemption_rate : float or array_like
        Share of the face value redeemed, in [0, 1].
    manufacturer_share : float or array_like
        Share of redeemed value the manufacturers fund, in [0, 1].
    lists_per_year : float or array_like, default 26
        Lists per customer per year (every other week: 26), >= 0.
    cost_per_list : float or array_like, default 0.0
        Printing and mailing cost of one list, US$, >= 0.

    Returns
    -------
    CouponCost
        Yearly amounts in US$.

    Raises
    ------
    ValueError, TypeError
        For values out of range or not numbers.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).
    .. [2] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
       Management Review 38(4), 71-82, 1997.

    Examples
    --------
    200 loyal customers, US$35 of coupons on each of 26 lists, 20 % redeemed, manufacturers
    fund 80 %, lists cost US$0.40 each:

    >>> c = coupon_economics(200, 35, 0.20, 0.80, cost_per_list=0.40)
    >>> c.issued, round(c.redeemed, 2), round(c.manufacturer_cost, 2), round(c.store_total, 2)
    (182000.0, 36400.0, 29120.0, 9360.0)
    >>> round(c.store_per_customer, 2)
    46.8
    """
    n = check_number("customers", customers, low=0.0, low_open=True)
    f = check_number("face_value_per_list", face_value_per_list, low=0.0)
    rho = check_fraction("redemption_rate", redemption_rate, allow_one=True)
    phi = check_fraction("manufacturer_share", manufacturer_share, allow_one=True)
    lists = check_number("lists_per_year", lists_per_year, low=0.0)
    k = check_number("cost_per_list", cost_per_list, low=0.0)
    issued = np.asarray(n) * lists * f
    redeemed = np.asarray(rho) * issued
    manufacturer = np.asarray(phi) * redeemed
    store_coupons = redeemed - manufacturer
    store_lists = np.asarray(n) * lists * k
    store_total = store_coupons + store_lists
    everything = manufacturer + store_total
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(everything > 0, manufacturer / np.where(everything > 0, everything, 1.0), 0.0)
    return CouponCost(
        issued=as_output(issued),
        redeemed=as_output(redeemed),
        manufacturer_cost=as_output(manufacturer),
        store_coupon_cost=as_output(store_coupons),
        store_list_cost=as_output(store_lists),
        store_total=as_output(store_total),
        store_per_customer=as_output(store_total / np.asarray(n)),
        manufacturer_share_of_total=as_output(share),
    )


def coupon_explorer(face_value_per_list: float = 35.0, redemption_rate: float = 0.2, manufacturer_share: float = 0.8,
                    weekly_spend: float = 60.0, margin_rate: float = 0.25, retention: float = 0.8,
                    discount_rate: float = 0.1, cost_per_list: float = 0.4):
    """Sliders for the coupon programme: who pays, and the retention lift the store needs.

    Each move recomputes :func:`coupon_economics` for one loyal customer and the break-even
    retention lift with :func:`coursekit.models.programmes.breakeven_lift` (annual margin
    ``weekly_spend * 52 * margin_rate``, annual ``retention`` and ``discount_rate`` fixed by the
    arguments).

    Parameters
    ----------
    face_value_per_list, redemption_rate, manufacturer_share, weekly_spend : float
        Initial slider values (US$, fraction, fraction, US$ a week).
    margin_rate, retention, discount_rate, cost_per_list : float
        Fixed inputs: the store's margin on the customer's spend, annual retention, annual
        discount rate, and the cost of one list (US$).

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``store_per_customer``, ``manufacturer_per_customer`` and
        ``breakeven_lift``.

    Examples
    --------
    >>> ex = coupon_explorer()
    >>> round(ex.results["store_per_customer"], 2), round(ex.results["breakeven_lift"], 4)
    (46.8, 0.0133)
    >>> ex.set(manufacturer_share=0.0)
    >>> round(ex.results["store_per_customer"], 2)
    192.4
    """
    from coursekit.models.programmes import breakeven_lift
    from coursekit.widgets import Explorer, float_slider
    from coursekit import plotting

    margin_rate = _single("margin_rate", margin_rate, low=0.0, high=1.0, low_open=True)
    retention = check_fraction("retention", retention)
    discount_rate = _single("discount_rate", discount_rate, low=0.0)
    cost_per_list = _single("cost_per_list", cost_per_list, low=0.0)
    labels = ["Store", "Manufacturers"]

    def draw(ax, artists, face_value_per_list, redemption_rate, manufacturer_share, weekly_spend):
        cost = coupon_economics(1, face_value_per_list, redemption_rate, manufacturer_share, cost_per_list=cost_per_list)
        margin = weekly_spend * 52 * margin_rate
        heights = [cost.store_per_customer, cost.manufacturer_cost]
        if not artists:
            artists["bars"] = ax.bar(labels, heights, color=[plotting.PALETTE[1], plotting.PALETTE[0]])
            plotting.money_axis(ax)
            plotting.label(ax, "Yearly cost of one loyal customer's coupons", "Who pays", "US$ per customer per year")
        else:
            for bar, h in zip(artists["bars"], heights):
                bar.set_height(h)
        ax.set_ylim(0, max(50.0, max(heights) * 1.15))
        if cost.store_per_customer < margin:
            lift = breakeven_lift(cost.store_per_customer, margin, retention, discount_rate)
            lift_text = f"{lift * 100:.2f} points" if np.isfinite(lift) else "out of reach"
        else:
            lift = float("nan")
            lift_text = "out of reach (the coupons cost more than the margin)"
        results = {"store_per_customer": cost.store_per_customer, "manufacturer_per_customer": cost.manufacturer_cost,
                   "breakeven_lift": lift}
        html = (f"Store pays <b>${cost.store_per_customer:,.2f}</b>, manufacturers <b>${cost.manufacturer_cost:,.2f}</b> "
                f"per customer a year; annual margin ${margin:,.0f}.<br>Retention lift needed to break even: "
                f"<b>{lift_text}</b> (from {retention:.0%}).")
        return results, html

    controls = {
        "face_value_per_list": float_slider("Coupons per list ($)", float(face_value_per_list), 0.0, 60.0, 1.0, ".0f"),
        "redemption_rate": float_slider("Redemption rate", float(redemption_rate), 0.0, 1.0, 0.01),
        "manufacturer_share": float_slider("Manufacturer share", float(manufacturer_share), 0.0, 1.0, 0.05),
        "weekly_spend": float_slider("Weekly spend ($)", float(weekly_spend), 25.0, 200.0, 5.0, ".0f"),
    }
    return Explorer(controls, draw)


#: Writers of this module's datasets, for registration in :data:`coursekit.data.transactions.DATASETS`.
DATASETS = {"freshbox": write_freshbox, "miao": write_miao, "dicks": write_dicks}


def _alarm_explorer_for_bench():
    """The Case 3 explorer as the notebook builds it (loaded data, rule run on 1 March 2001)."""
    return alarm_explorer(load_miao_purchases(), load_miao_truth(), pd.Timestamp("2001-03-01"),
                          tolerance=3.0, active_days=30)


def _repair_explorer_for_bench():
    """The Case 2 explorer as the notebook builds it (FreshBox's estimated bucket, six repairs)."""
    from coursekit.models import bucket as _bucket

    monthly = load_freshbox_monthly()
    rates = leak_rates(load_freshbox_cancellations(), monthly)["rate"].to_dict()
    estimated = _bucket.Bucket(leak_rates=rates, inflow=monthly["new_customers"].mean(), margin=22.0,
                               acquisition_cost=90.0)
    repairs = pd.DataFrame({
        "hole": list(_bucket.HOLES),
        "repair": ["coaching", "buffer stock", "premium courier", "training", "cold chain", "more recipes"],
        "fraction": [0.7, 0.6, 0.5, 0.7, 0.5, 0.5],
        "monthly_cost": [600.0, 4_000.0, 7_500.0, 1_200.0, 3_500.0, 2_500.0],
    })
    return repair_explorer(estimated, repairs, budget=8_000)


#: Slider moves that ``make bench`` replays to time the case explorers' redraw.
BENCH = {
    "case 2 repair explorer": (_repair_explorer_for_bench,
                               [{"budget": 2_000.0 + 1_000 * i, "acquisition_cost": 40.0 + 10 * i} for i in range(15)]),
    "case 3 alarm explorer": (_alarm_explorer_for_bench,
                              [{"tolerance": 1.5 + 0.25 * i, "active_days": 10 * (i % 6)} for i in range(15)]),
    "case 4 coupon explorer": (coupon_explorer,
                               [{"redemption_rate": 0.1 + 0.02 * i, "manufacturer_share": 0.5 + 0.03 * i}
                                for i in range(15)]),
}
