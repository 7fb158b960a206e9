r"""Case 2 -- *The leaky bucket: which hole to plug first* (reading R0).

Serves the case notebook ``cases/02_leaky_bucket.ipynb``.  It holds:

* the FreshBox dataset: two years of cancellations of a meal-kit subscription, each with the
  reason the subscriber ticked (one of the six holes of the bucket, or none) --
  :func:`make_freshbox` (the documented generative model), :func:`write_freshbox` (files
  ``freshbox/monthly.csv``, ``freshbox/cancellations.csv``, ``freshbox/truth.csv``, declared as
  :class:`coursekit.tables.Table` specs) and the loaders :func:`load_freshbox_monthly`,
  :func:`load_freshbox_cancellations`, :func:`load_freshbox_truth`;
* the calculators: :func:`leak_rates` (monthly leak rate per hole from the cancellation log),
  :func:`plug_plan` (repairs ranked by what they save net of what they cost) and
  :func:`best_repairs` (the best set of repairs within a budget);
* the explorer :func:`repair_explorer`, with its ``BENCH`` slider moves for ``make bench``.

``DATASETS`` maps the dataset's name to its writer.  Loaders read from the course's datasets
folder by default (:func:`coursekit.tables.data_dir`).

References
----------
.. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity: Building and Managing
   Relationships as Valuable Assets*, Harvard Business School Press, 2001.
.. [2] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
   2021.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit import plotting
from coursekit._validate import check_choice, check_frame, check_number, check_positive_int, check_scalar, check_seed
from coursekit.data.sampling import streams
from coursekit.language import choose, tr
from coursekit.models import bucket as _bucket
from coursekit.tables import Column, Table, write_tables
from coursekit.widgets import Explorer, float_slider

__all__ = [
    "FRESHBOX_SEED",
    "FRESHBOX_BLANK_MONTH",
    "FRESHBOX_START",
    "FRESHBOX_RATES",
    "FRESHBOX_STATED",
    "UNSTATED",
    "MONTHLY_TABLE",
    "CANCELLATIONS_TABLE",
    "TRUTH_TABLE",
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
    "DATASETS",
    "BENCH",
]

_NS = "datetime64[ns]"
_STR = "str"

FRESHBOX_SEED = 20240811
FRESHBOX_START = "2022-01-01"
#: The month of the course's dataset whose cancellation form had no reason field (0-based: April 2023).
FRESHBOX_BLANK_MONTH = 15
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

#: The files of the dataset, in the datasets folder.
MONTHLY_TABLE = Table("freshbox/monthly.csv", [
    Column("month", "date"),
    Column("customers_start", "int", low=0),
    Column("new_customers", "int", low=0),
    Column("cancellations", "int", low=0),
])
CANCELLATIONS_TABLE = Table("freshbox/cancellations.csv", [
    Column("cancel_id"),
    Column("cancel_date", "date"),
    Column("reason", "category", categories=_REASONS),
])
TRUTH_TABLE = Table("freshbox/truth.csv", [
    Column("hole"),
    Column("leak_rate", "float", decimals=4, low=0, high=1),
    Column("p_stated", "float", decimals=2, low=0, high=1),
    Column("leavers", "int", low=0),
    Column("stated", "int", low=0),
])




class FreshBoxData(NamedTuple):
    """Frames of the FreshBox dataset (see :func:`make_freshbox`)."""

    monthly: pd.DataFrame
    cancellations: pd.DataFrame
    truth: pd.DataFrame


def make_freshbox(months: int = 24, initial: int = 12_000, inflow: float = 650.0,
                  seed: int = FRESHBOX_SEED, blank_month: int | None = None) -> FreshBoxData:
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
    ``numpy.random.SeedSequence(seed)``.  With ``blank_month`` = :math:`k`, the form of month
    :math:`k` (0-based) had no reason field: all its cancellations are recorded as
    ``"not_given"`` (:math:`S_{k,i} = 0`; the draws are made as usual, so the other months do
    not change).  The course's dataset has such a month, :data:`FRESHBOX_BLANK_MONTH`.

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
    blank_month : int, optional
        0-based month whose cancellation form recorded no reasons, in ``[0, months)``; none by
        default.

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
    inflow = check_scalar("inflow", inflow, low=0.0)
    seed = check_seed(seed)
    if blank_month is not None:
        blank_month = check_positive_int("blank_month", blank_month, allow_zero=True)
        if blank_month >= months:
            raise ValueError(f"blank_month must be a month of the simulation, 0 to {months - 1}, got {blank_month}")
    r_leave, r_state, r_new, r_day = streams(seed, 4)
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
        if t == blank_month:
            stated[t] = 0  # the form had no reason field this month
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
        What to write; by default :func:`make_freshbox` with its default arguments and the
        course's blank month (:data:`FRESHBOX_BLANK_MONTH`).

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
    if data is None:
        data = make_freshbox(blank_month=FRESHBOX_BLANK_MONTH)
    return write_tables(directory, data, FreshBoxData, make_freshbox, (MONTHLY_TABLE, CANCELLATIONS_TABLE, TRUTH_TABLE))


def load_freshbox_monthly(directory=None) -> pd.DataFrame:
    """Load FreshBox's monthly subscriber counts (``freshbox/monthly.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

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
    return MONTHLY_TABLE.read(directory)


def load_freshbox_cancellations(directory=None) -> pd.DataFrame:
    """Load FreshBox's cancellation log (``freshbox/cancellations.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

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
    return CANCELLATIONS_TABLE.read(directory)


def load_freshbox_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the FreshBox data (``freshbox/truth.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

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
    return TRUTH_TABLE.read(directory)


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
    log = check_frame("cancellations", cancellations, [reason], no_missing=True)
    months = check_frame("monthly", monthly, [exposure], no_missing=True)
    codes = log[reason].astype(str)
    allowed = set(_bucket.HOLES) | {unstated}
    bad = sorted(set(codes.unique()) - allowed)
    if bad:
        raise ValueError(
            f"cancellations[{reason!r}] must hold hole names {list(_bucket.HOLES)} or {unstated!r}; got {bad}"
        )
    exposures = check_number(f"monthly[{exposure!r}]", months[exposure].to_numpy(dtype=float), low=0.0)
    total_exposure = float(np.sum(exposures))
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
    table = check_frame("repairs", repairs, ["hole", "fraction", "monthly_cost"], no_missing=True)
    table = table.reset_index(drop=True)
    holes = table["hole"].astype(str)
    for hole in holes:
        check_choice("repairs['hole']", hole, _bucket.HOLES)
    if holes.duplicated().any():
        twice = holes[holes.duplicated()].tolist()
        raise ValueError(f"repairs['hole'] must name each hole at most once, got {twice} twice")
    fractions = check_number("repairs['fraction']", table["fraction"].to_numpy(dtype=float), low=0.0, high=1.0)
    costs = check_number("repairs['monthly_cost']", table["monthly_cost"].to_numpy(dtype=float), low=0.0)
    values = [_bucket.hole_value(bucket, h, float(f)) for h, f in zip(holes, np.atleast_1d(fractions), strict=True)]
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
    table = check_frame("plan", plan, ["hole", "monthly_cost", "net_per_month", "saved_per_month"], no_missing=True)
    if len(table) > _MAX_REPAIRS:
        raise ValueError(f"plan must have at most {_MAX_REPAIRS} repairs for an exhaustive search, got {len(table)}")
    budget = check_scalar("budget", budget, low=0.0)
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
    if not isinstance(bucket, _bucket.Bucket):
        raise TypeError(f"bucket must be a coursekit.models.bucket.Bucket, got {type(bucket).__name__}")
    plug_plan(bucket, repairs)  # validate once
    holes = list(repairs["hole"].astype(str))
    names = choose(_bucket.HOLE_LABELS, _bucket.HOLE_LABELS_ZH)          # the holes as the student reads them
    labels = [names[h] for h in holes]
    comma = choose(", ", "、")
    y = np.arange(len(holes))

    def draw(ax, artists, budget, acquisition_cost):
        plan = plug_plan(replace(bucket, acquisition_cost=acquisition_cost), repairs).set_index("hole")
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
            plotting.label(ax, tr("Net monthly value of each repair (green: chosen)"), tr("US$ per month"), tr("Hole"))
        else:
            for bar, width, colour in zip(artists["bars"], net, colours, strict=True):
                bar.set_width(width)
                bar.set_color(colour)
        span = max(1.0, np.abs(net).max()) * 1.15
        ax.set_xlim(min(0.0, net.min() * 1.15), span)
        first = str(plan["net_per_month"].idxmax())
        results = {"chosen": choice.holes, "net_per_month": choice.net_per_month, "first_hole": first}
        amounts = {"budget": f"{budget:,.0f}", "cost": f"{choice.cost_per_month:,.0f}",
                   "net": f"{choice.net_per_month:,.0f}"}
        if choice.holes:
            fix = tr("Within USD {budget} a month: fix <b>{chosen}</b> (cost USD {cost}, net gain USD {net} "
                     "a month).").format(chosen=comma.join(names[h] for h in choice.holes), **amounts)
        else:
            fix = tr("Within USD {budget} a month: fix <b>nothing</b> (cost USD {cost}, net gain USD {net} "
                     "a month).").format(**amounts)
        html = fix + "<br>" + tr("Best single repair: <b>{hole}</b>.").format(hole=names[first])
        return results, html

    controls = {
        "budget": float_slider(tr("Monthly budget (USD)"), float(budget), 0.0, 30_000.0, 500.0, ",.0f"),
        "acquisition_cost": float_slider(tr("Cost of a new customer (USD)"), float(bucket.acquisition_cost), 10.0,
                                         300.0, 5.0, ".0f"),
    }
    return Explorer(controls, draw)


#: Writers of this module's dataset: name -> writer(directory) returning the paths written.
DATASETS = {"freshbox": write_freshbox}


def _repair_explorer_for_bench():
    """The explorer as the notebook builds it (FreshBox's estimated bucket, six repairs)."""
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


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 2 repair explorer": (_repair_explorer_for_bench,
                               [{"budget": 2_000.0 + 1_000 * i, "acquisition_cost": 40.0 + 10 * i} for i in range(15)]),
}
