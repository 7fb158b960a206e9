"""The leaky bucket (漏桶): customers pour in at the top and leak out of holes.

The course readings attribute this picture of customer retention to the
American marketing professor Daniel Charmichael (丹尼尔·查密考尔); we have not
traced a primary source for the attribution, so treat it as the readings'
attribution rather than a checked citation.  The firm is a bucket, its
customers are the water, and every hole is a reason customers walk away:
rude staff, goods out of stock, poor service, untrained staff, poor quality
and poor selection.  As long as the holes stay open the firm has to keep
pouring in new customers, at a price, merely to keep the water level (and
with it revenue) where it is.

Model
-----
Time is counted in months.  At the start of month ``t`` the bucket holds
``N[t-1]`` customers.  During the month each of them independently either
leaves through hole ``i`` with probability ``p_i`` or stays.  The holes are
competing risks, so a customer leaves through at most one hole; the total
monthly churn is ``c = sum_i p_i`` (which must be below 1) and the monthly
survival probability is ``s = 1 - c``.  At the end of the month ``I`` new
customers arrive::

    N[t] = s * N[t-1] + I

Repeating the recursion gives the closed form::

    N[t] = s**t * N[0] + I * (1 - s**t) / c      (c > 0)
    N[t] = N[0] + I * t                          (c = 0)

and, when ``c > 0``, the long-run level ``N* = I / c`` at which the customers
lost each month (``c * N*``) exactly equal the customers won (``I``).

Money
-----
All money amounts are in the same (unspecified) currency per month.  The
customers present at the start of a month earn the ``margin`` and receive the
``retention_cost`` for that month; the ``inflow`` new customers each cost
``acquisition_cost`` and start earning the following month.

References
----------
.. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity: Building
   and Managing Relationships as Valuable Assets*, Boston: Harvard Business
   School Press, 2001.
.. [2] F. F. Reichheld, *The Loyalty Effect: The Hidden Force Behind Growth,
   Profits, and Lasting Value*, Boston: Harvard Business School Press, 1996.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import check_choice, check_fraction, check_number, check_positive_int

__all__ = [
    "HOLES",
    "HOLE_LABELS",
    "HOLE_LABELS_ZH",
    "Bucket",
    "HoleValue",
    "expected_path",
    "simulate",
    "steady_state",
    "refill_cost",
    "replacement_inflow",
    "hole_value",
    "hole_values",
]

#: The six holes of the bucket, in the order used by every array and table.
HOLES: tuple[str, ...] = (
    "rude_staff",
    "out_of_stock",
    "poor_service",
    "untrained_staff",
    "poor_quality",
    "poor_selection",
)

#: English labels of the holes, for plots and tables.
HOLE_LABELS: dict[str, str] = {
    "rude_staff": "Rude staff",
    "out_of_stock": "Out of stock",
    "poor_service": "Poor service",
    "untrained_staff": "Untrained staff",
    "poor_quality": "Poor quality",
    "poor_selection": "Poor selection",
}

#: Chinese labels of the holes, as they appear in the course readings.
HOLE_LABELS_ZH: dict[str, str] = {
    "rude_staff": "员工态度粗鲁",
    "out_of_stock": "缺货",
    "poor_service": "服务差",
    "untrained_staff": "员工未经培训",
    "poor_quality": "质量低劣",
    "poor_selection": "选择少",
}

# Column order shared by expected_path and simulate.
_LOST_COLUMNS = tuple(f"lost_{hole}" for hole in HOLES)
_COLUMNS = (
    "customers",
    "new",
    "lost",
    *_LOST_COLUMNS,
    "acquisition_spend",
    "retention_spend",
    "margin",
    "profit",
)
_COUNT_COLUMNS = ("customers", "new", "lost", *_LOST_COLUMNS)
_MONEY_COLUMNS = ("acquisition_spend", "retention_spend", "margin", "profit")

# Simulated counts are int64; keep the largest possible head count well inside it.
_MAX_SIM_CUSTOMERS = 2**62


@dataclass(frozen=True)
class Bucket:
    """A leaky bucket of customers: leak rates per hole, inflow and unit economics.

    Parameters
    ----------
    leak_rates : Mapping[str, float]
        Monthly probability ``p_i`` that a customer present at the start of
        a month leaves through hole ``i`` during that month.  Keys must be
        taken from :data:`HOLES`; a hole that is not given has rate 0.  Each
        rate lies in [0, 1) and their sum, the monthly churn ``c``, must be
        below 1.  After construction ``leak_rates`` is a plain ``dict`` with
        every hole of :data:`HOLES` as a key, in that order.  Treat it as
        read-only and use :meth:`with_rates` or :meth:`plugged` for changes.
    inflow : float, default 0.0
        New customers arriving each month, ``I`` (customers per month, >= 0).
    initial : float, default 0.0
        Customers in the bucket at month 0, ``N[0]`` (customers, >= 0).
    margin : float, default 0.0
        Profit contribution per customer per month (money per customer per
        month).  May be negative for customers who lose money.
    acquisition_cost : float, default 0.0
        Cost of winning one new customer (money per new customer, >= 0).
    retention_cost : float, default 0.0
        Cost of looking after one existing customer for a month (money per
        customer per month, >= 0).

    Attributes
    ----------
    churn : float
        Total monthly churn ``c = sum_i p_i`` (probability per month).
    survival : float
        Monthly survival probability ``s = 1 - c``.
    rates : numpy.ndarray
        The six leak rates as a float array in :data:`HOLES` order.

    Raises
    ------
    TypeError
        If ``leak_rates`` is not a mapping or a value is not a number.
    ValueError
        If a key is not a hole name, a rate is NaN or outside [0, 1), the
        rates add up to 1 or more, or a count or cost is negative.

    Notes
    -----
    The one-month update is ``N[t] = (1 - c) * N[t-1] + I``.  A figure often
    quoted in retention teaching is that winning a customer costs five to ten
    times as much as keeping one; that ratio is a commonly cited claim, not a
    measured constant, so set ``acquisition_cost`` and ``retention_cost``
    from the firm's own figures.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.
    .. [2] F. F. Reichheld, *The Loyalty Effect*, Harvard Business School
       Press, 1996.

    Examples
    --------
    >>> b = Bucket({"poor_service": 0.03, "rude_staff": 0.02}, inflow=500)
    >>> round(b.churn, 10), round(b.survival, 10)
    (0.05, 0.95)
    >>> b.rates
    array([0.02, 0.  , 0.03, 0.  , 0.  , 0.  ])
    >>> round(b.plugged("poor_service", 0.5).churn, 10)
    0.035
    """

    leak_rates: Mapping[str, float]
    inflow: float = 0.0
    initial: float = 0.0
    margin: float = 0.0
    acquisition_cost: float = 0.0
    retention_cost: float = 0.0

    def __post_init__(self):
        rates = self.leak_rates
        if not isinstance(rates, Mapping):
            raise TypeError(
                "leak_rates must be a mapping from hole name to monthly rate, "
                f"got {type(rates).__name__} {rates!r}"
            )
        full = dict.fromkeys(HOLES, 0.0)
        for key, value in rates.items():
            check_choice("leak_rates key", key, HOLES)
            rate = check_fraction(f"leak_rates[{key!r}]", value)
            if not isinstance(rate, float):
                raise TypeError(f"leak_rates[{key!r}] must be a single number, got {value!r}")
            full[key] = rate
        total = math.fsum(full.values())
        if total >= 1.0:
            raise ValueError(
                "the leak_rates must add up to less than 1 (the total monthly churn), "
                f"got sum(leak_rates) = {total:g}"
            )
        object.__setattr__(self, "leak_rates", full)
        for name in ("inflow", "initial", "acquisition_cost", "retention_cost"):
            object.__setattr__(self, name, _scalar(name, getattr(self, name), low=0.0))
        object.__setattr__(self, "margin", _scalar("margin", self.margin))

    def __hash__(self):
        return hash(
            (
                tuple(self.leak_rates[h] for h in HOLES),
                self.inflow,
                self.initial,
                self.margin,
                self.acquisition_cost,
                self.retention_cost,
            )
        )

    @property
    def churn(self) -> float:
        """Total monthly churn ``c``, the sum of the six leak rates."""
        return math.fsum(self.leak_rates[h] for h in HOLES)

    @property
    def survival(self) -> float:
        """Monthly survival probability ``s = 1 - c``."""
        return 1.0 - self.churn

    @property
    def rates(self) -> np.ndarray:
        """The leak rates as a new float array in :data:`HOLES` order."""
        return np.array([self.leak_rates[h] for h in HOLES], dtype=float)

    def plugged(self, hole: str, fraction: float = 1.0) -> Bucket:
        """Return a copy with the rate of one hole cut by ``fraction``.

        Parameters
        ----------
        hole : str
            One of :data:`HOLES`.
        fraction : float, default 1.0
            Share of the hole's rate removed, in [0, 1]: the new rate is
            ``p_hole * (1 - fraction)``; 1.0 plugs the hole completely.

        Returns
        -------
        Bucket
            A new bucket; every other field is unchanged.

        Examples
        --------
        >>> b = Bucket({"rude_staff": 0.04, "out_of_stock": 0.02})
        >>> b.plugged("rude_staff", 0.25).leak_rates["rude_staff"]
        0.03
        >>> b.plugged("out_of_stock").leak_rates["out_of_stock"]
        0.0
        """
        check_choice("hole", hole, HOLES)
        fraction = _scalar("fraction", fraction, low=0.0, high=1.0)
        new_rate = self.leak_rates[hole] * (1.0 - fraction)
        return dataclasses.replace(self, leak_rates={**self.leak_rates, hole: new_rate})

    def with_rates(self, **changes: float) -> Bucket:
        """Return a copy with some leak rates replaced.

        Parameters
        ----------
        **changes : float
            New monthly rates keyed by hole name, e.g. ``poor_quality=0.01``.
            Holes not named keep their rate; the result is validated like
            any new bucket.

        Returns
        -------
        Bucket
            A new bucket; every field other than ``leak_rates`` is unchanged.

        Examples
        --------
        >>> b = Bucket({"poor_quality": 0.03}).with_rates(poor_quality=0.01, poor_selection=0.02)
        >>> round(b.churn, 10)
        0.03
        """
        return dataclasses.replace(self, leak_rates={**self.leak_rates, **changes})


@dataclass(frozen=True)
class HoleValue:
    """What plugging one hole is worth; returned by :func:`hole_value`.

    Attributes
    ----------
    hole : str
        The hole name, one of :data:`HOLES`.
    rate_before, rate_after : float
        Monthly leak rate of the hole before and after plugging.
    customers_before, customers_after : float
        Long-run customer level (see :func:`steady_state`) before and after
        plugging, with the same inflow (customers).  ``customers_after`` is
        ``inf`` when plugging leaves no leak at all while new customers keep
        arriving.
    extra_customers : float
        ``customers_after - customers_before`` (customers).
    extra_margin_per_month : float
        ``extra_customers * margin`` (money per month), gross of the
        retention cost of the extra customers.
    saved_acquisition_per_month : float
        Acquisition spend saved each month if the firm holds its base at
        ``customers_before`` and buys fewer new customers instead:
        ``acquisition_cost * p_hole * fraction * customers_before``
        (money per month).
    max_monthly_spend_to_plug : float
        Break-even: the most the firm can spend each month on keeping the
        hole plugged and still come out ahead under the hold-the-base
        strategy; equal to ``saved_acquisition_per_month`` (money per month).
    """

    hole: str
    rate_before: float
    rate_after: float
    customers_before: float
    customers_after: float
    extra_customers: float
    extra_margin_per_month: float
    saved_acquisition_per_month: float
    max_monthly_spend_to_plug: float


def expected_path(bucket: Bucket, periods: int) -> pd.DataFrame:
    """Expected customer count and monthly cash flows of a bucket.

    Parameters
    ----------
    bucket : Bucket
        The bucket to follow.
    periods : int
        Number of months to follow, a whole number >= 1.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` = 0, 1, ..., ``periods``; all columns float:

        ``customers``
            ``N[t]``, customers at the end of month ``t`` (month 0: the
            initial customers).
        ``new``
            ``I``, new customers won in month ``t`` (customers).
        ``lost``, ``lost_<hole>``
            ``c * N[t-1]`` and ``p_i * N[t-1]``, customers lost in month
            ``t`` in total and through each hole.
        ``acquisition_spend``
            ``new * acquisition_cost`` (money).
        ``retention_spend``
            ``N[t-1] * retention_cost`` (money).
        ``margin``
            ``N[t-1] * margin``, the margin earned from the customers
            present at the start of the month (money).
        ``profit``
            ``margin - acquisition_spend - retention_spend`` (money).

        Row 0 carries ``customers = N[0]`` and zeros in every flow column.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`.
    ValueError
        If ``periods`` is not a whole number >= 1.

    Notes
    -----
    The customer count uses the closed form
    ``N[t] = s**t * N[0] + I * (1 - s**t) / c`` (``N[0] + I * t`` when
    ``c = 0``), with ``1 - s**t`` evaluated as ``-expm1(t * log1p(-c))`` so
    that small churn rates keep their precision.  Every row satisfies
    ``customers[t] = customers[t-1] + new[t] - lost[t]``.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> b = Bucket({"poor_service": 0.1}, inflow=100, initial=500,
    ...            margin=10, acquisition_cost=50)
    >>> path = expected_path(b, 3)
    >>> path[["customers", "new", "lost", "profit"]]
           customers    new  lost  profit
    month
    0          500.0    0.0   0.0     0.0
    1          550.0  100.0  50.0     0.0
    2          595.0  100.0  55.0   500.0
    3          635.5  100.0  59.5   950.0
    """
    _check_bucket(bucket)
    periods = check_positive_int("periods", periods)
    t = np.arange(periods + 1, dtype=float)
    c, inflow, n0 = bucket.churn, bucket.inflow, bucket.initial
    if c > 0.0:
        log_s = math.log1p(-c)
        decay = np.exp(t * log_s)  # s**t
        filled = -np.expm1(t * log_s) / c  # (1 - s**t) / c
        customers = decay * n0 + inflow * filled
    else:
        customers = n0 + inflow * t
    start = customers[:-1]
    lost_by_hole = np.zeros((periods + 1, len(HOLES)))
    lost_by_hole[1:] = start[:, None] * bucket.rates[None, :]
    new = np.full(periods + 1, inflow)
    new[0] = 0.0
    start_full = np.concatenate(([0.0], start))
    return _frame(bucket, customers, new, lost_by_hole, start_full, dtype=float)


def simulate(
    bucket: Bucket,
    periods: int,
    seed=None,
    runs: int = 1,
    random_inflow: bool = False,
):
    """Simulate the bucket customer by customer (in aggregate) with random leaks.

    Each month the ``N[t-1]`` customers present are split by one multinomial
    draw into the six holes and "stayed", with probabilities
    ``(p_1, ..., p_6, s)``; then the month's new customers arrive.

    Parameters
    ----------
    bucket : Bucket
        The bucket to simulate.  ``initial`` is rounded to a whole number of
        customers.
    periods : int
        Number of months, a whole number >= 1.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator, optional
        Passed to :func:`numpy.random.default_rng`.  The same integer seed
        gives the same result.
    runs : int, default 1
        Number of independent runs, a whole number >= 1.  All runs are drawn
        together, one vectorised multinomial draw per month.
    random_inflow : bool, default False
        If False, exactly ``round(inflow)`` new customers arrive each month
        (Python rounding, ties to even).  If True, the month's arrivals are
        Poisson with mean ``inflow``.

    Returns
    -------
    pandas.DataFrame or numpy.ndarray
        With ``runs == 1``: a DataFrame with the columns of
        :func:`expected_path`, indexed by ``month``, where the count columns
        (``customers``, ``new``, ``lost``, ``lost_<hole>``) are int64 and the
        money columns are float64.
        With ``runs > 1``: an int64 array of customer counts with shape
        ``(runs, periods + 1)``; column 0 is the initial count.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`, ``random_inflow`` is not a
        bool or ``seed`` has the wrong type.
    ValueError
        If ``periods`` or ``runs`` is not a whole number >= 1, ``seed`` is a
        negative integer, or the bucket could hold more than ``2**62``
        customers.

    Notes
    -----
    The mean of the simulated counts equals :func:`expected_path` when
    ``initial`` and ``inflow`` are whole numbers (or with
    ``random_inflow=True`` for any ``inflow``).  With fixed, non-whole inflow
    the mean follows the path with the rounded inflow.  The work is one
    multinomial draw per month whatever the number of customers, so ten
    million customers over 120 months take a fraction of a second.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> b = Bucket({"rude_staff": 0.02, "poor_quality": 0.03}, inflow=50, initial=1000)
    >>> one = simulate(b, 12, seed=1)
    >>> one.shape
    (13, 13)
    >>> bool((one["customers"].diff()[1:] == (one["new"] - one["lost"])[1:]).all())
    True
    >>> many = simulate(b, 12, seed=1, runs=2000)
    >>> many.shape
    (2000, 13)
    >>> int(many[:, 0].min()), int(many[:, 0].max())
    (1000, 1000)
    """
    _check_bucket(bucket)
    periods = check_positive_int("periods", periods)
    runs = check_positive_int("runs", runs)
    if not isinstance(random_inflow, (bool, np.bool_)):
        raise TypeError(
            f"random_inflow must be True or False, got {type(random_inflow).__name__} {random_inflow!r}"
        )
    rng = _make_rng(seed)

    n0 = int(round(bucket.initial))
    inflow = bucket.inflow
    fixed_inflow = int(round(inflow))
    # Poisson arrivals exceed their mean by more than 20 sd + 20 with negligible probability.
    per_month = inflow + 20.0 * math.sqrt(inflow) + 20.0 if random_inflow else float(fixed_inflow)
    if n0 + periods * per_month >= _MAX_SIM_CUSTOMERS:
        raise ValueError(
            "simulate needs initial + periods * inflow below 2**62 customers so counts fit "
            f"in int64, got initial={bucket.initial:g}, inflow={inflow:g}, periods={periods}"
        )

    # Probabilities of the six holes and of staying; the last one is the remainder.
    pvals = np.append(bucket.rates, bucket.survival)
    customers = np.empty((runs, periods + 1), dtype=np.int64)
    customers[:, 0] = n0
    keep_flows = runs == 1
    if keep_flows:
        new = np.zeros(periods + 1, dtype=np.int64)
        lost_by_hole = np.zeros((periods + 1, len(HOLES)), dtype=np.int64)
    current = customers[:, 0].copy()
    for t in range(1, periods + 1):
        split = rng.multinomial(current, pvals)  # shape (runs, 7)
        arrivals = rng.poisson(inflow, size=runs) if random_inflow else fixed_inflow
        current = split[:, -1] + arrivals
        customers[:, t] = current
        if keep_flows:
            lost_by_hole[t] = split[0, :-1]
            new[t] = arrivals[0] if random_inflow else arrivals
    if not keep_flows:
        return customers

    counts = customers[0]
    start_full = np.concatenate(([0], counts[:-1])).astype(np.int64)
    return _frame(bucket, counts, new, lost_by_hole, start_full, dtype=np.int64)


def steady_state(bucket: Bucket) -> float:
    """Long-run number of customers in the bucket, ``N* = I / c``.

    Parameters
    ----------
    bucket : Bucket
        The bucket.

    Returns
    -------
    float
        ``inflow / churn`` (customers), the level at which the customers
        lost each month, ``c * N*``, equal the ``I`` won.  It does not depend
        on ``initial``.  A bucket with no leak and no inflow never changes,
        so its long-run level is ``initial``.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`.
    ValueError
        If the churn is 0 while the inflow is positive: the bucket then
        fills without bound and has no steady state.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> steady_state(Bucket({"out_of_stock": 0.02, "poor_selection": 0.03}, inflow=500))
    10000.0
    """
    _check_bucket(bucket)
    return _long_run(bucket)


def refill_cost(bucket: Bucket) -> float:
    """Monthly acquisition spend that just replaces the customers lost at steady state.

    Parameters
    ----------
    bucket : Bucket
        The bucket.

    Returns
    -------
    float
        ``acquisition_cost * c * N*`` (money per month), which equals
        ``acquisition_cost * inflow`` whenever a steady state ``N*`` exists.
        A bucket without leaks loses nobody, so its refill cost is 0.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`.

    Notes
    -----
    This is the price of the holes: money spent only to stand still.  The
    often repeated line that acquiring a customer costs five to ten times as
    much as retaining one is a commonly cited claim rather than a measured
    constant; the ratio differs from firm to firm.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.
    .. [2] F. F. Reichheld, *The Loyalty Effect*, Harvard Business School
       Press, 1996.

    Examples
    --------
    >>> refill_cost(Bucket({"rude_staff": 0.05}, inflow=400, acquisition_cost=80))
    32000.0
    """
    _check_bucket(bucket)
    c = bucket.churn
    if c == 0.0:
        return 0.0
    return bucket.acquisition_cost * c * _long_run(bucket)


def replacement_inflow(bucket: Bucket, target):
    """New customers per month needed to hold the bucket at ``target`` customers.

    Parameters
    ----------
    bucket : Bucket
        The bucket; only its leak rates are used.
    target : float or array_like
        Customer level to hold (customers, >= 0).  Arrays are handled
        element-wise.

    Returns
    -------
    float or numpy.ndarray
        ``c * target`` (customers per month), the number lost each month at
        that level.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket` or ``target`` is not numeric.
    ValueError
        If ``target`` is negative, infinite or NaN.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> b = Bucket({"poor_service": 0.04})
    >>> replacement_inflow(b, 25000)
    1000.0
    >>> replacement_inflow(b, [1000, 2000])
    array([40., 80.])
    """
    _check_bucket(bucket)
    target = check_number("target", target, low=0.0)
    return bucket.churn * target


def hole_value(bucket: Bucket, hole: str, fraction: float = 1.0) -> HoleValue:
    """What plugging one hole (fully or partly) is worth each month.

    Parameters
    ----------
    bucket : Bucket
        The bucket; it must have a steady state (see :func:`steady_state`).
    hole : str
        One of :data:`HOLES`.
    fraction : float, default 1.0
        Share of the hole's rate removed, in [0, 1].

    Returns
    -------
    HoleValue
        With ``p = rate_before``, ``N0* = customers_before`` and
        ``N1* = customers_after`` (both with the same inflow):

        * ``rate_after = p * (1 - fraction)``
        * ``extra_customers = N1* - N0*`` (customers)
        * ``extra_margin_per_month = extra_customers * margin`` (money per month)
        * ``saved_acquisition_per_month = acquisition_cost * p * fraction * N0*``
          (money per month): holding the base at ``N0*`` after plugging needs
          ``p * fraction * N0*`` fewer new customers each month.
        * ``max_monthly_spend_to_plug = saved_acquisition_per_month``
          (money per month), the break-even budget for plugging.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`.
    ValueError
        If ``hole`` is not in :data:`HOLES` (the message lists them),
        ``fraction`` is outside [0, 1] or NaN, or the bucket has no steady
        state before plugging.

    Notes
    -----
    When plugging removes the last leak while the inflow is positive, the
    bucket fills without bound: ``customers_after`` and ``extra_customers``
    are ``inf`` and ``extra_margin_per_month`` is ``inf`` times the sign of
    the margin (0 when the margin is 0).

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.
    .. [2] F. F. Reichheld, *The Loyalty Effect*, Harvard Business School
       Press, 1996.

    Examples
    --------
    >>> b = Bucket({"rude_staff": 0.01, "poor_service": 0.03, "out_of_stock": 0.01},
    ...            inflow=500, margin=20, acquisition_cost=100)
    >>> v = hole_value(b, "poor_service")
    >>> v.customers_before, v.customers_after, v.extra_customers
    (10000.0, 25000.0, 15000.0)
    >>> v.extra_margin_per_month, v.saved_acquisition_per_month
    (300000.0, 30000.0)
    """
    _check_bucket(bucket)
    check_choice("hole", hole, HOLES)
    fraction = _scalar("fraction", fraction, low=0.0, high=1.0)
    after = bucket.plugged(hole, fraction)
    before_level = _long_run(bucket)
    if after.churn == 0.0 and after.inflow > 0.0:
        after_level = math.inf
    else:
        after_level = _long_run(after)
    extra = after_level - before_level
    extra_margin = 0.0 if bucket.margin == 0.0 else extra * bucket.margin
    p = bucket.leak_rates[hole]
    saved = bucket.acquisition_cost * (p * fraction) * before_level
    return HoleValue(
        hole=hole,
        rate_before=p,
        rate_after=after.leak_rates[hole],
        customers_before=before_level,
        customers_after=after_level,
        extra_customers=extra,
        extra_margin_per_month=extra_margin,
        saved_acquisition_per_month=saved,
        max_monthly_spend_to_plug=saved,
    )


def hole_values(bucket: Bucket, fraction: float = 1.0) -> pd.DataFrame:
    """:func:`hole_value` for every hole, the most valuable hole first.

    Parameters
    ----------
    bucket : Bucket
        The bucket; it must have a steady state.
    fraction : float, default 1.0
        Share of each hole's rate removed, in [0, 1], one hole at a time.

    Returns
    -------
    pandas.DataFrame
        One row per hole of :data:`HOLES` with the fields of
        :class:`HoleValue` as columns, sorted by
        ``saved_acquisition_per_month`` from largest to smallest (ties keep
        the :data:`HOLES` order), with index 0..5.  Row 0 is the hole to plug
        first.

    Raises
    ------
    TypeError
        If ``bucket`` is not a :class:`Bucket`.
    ValueError
        If ``fraction`` is outside [0, 1] or NaN, or the bucket has no
        steady state.

    References
    ----------
    .. [1] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> b = Bucket({"rude_staff": 0.01, "poor_service": 0.03, "out_of_stock": 0.01},
    ...            inflow=500, margin=20, acquisition_cost=100)
    >>> hole_values(b)[["hole", "saved_acquisition_per_month"]]
                  hole  saved_acquisition_per_month
    0     poor_service                      30000.0
    1       rude_staff                      10000.0
    2     out_of_stock                      10000.0
    3  untrained_staff                          0.0
    4     poor_quality                          0.0
    5   poor_selection                          0.0
    """
    _check_bucket(bucket)
    fraction = _scalar("fraction", fraction, low=0.0, high=1.0)
    rows = [dataclasses.asdict(hole_value(bucket, hole, fraction)) for hole in HOLES]
    table = pd.DataFrame(rows, columns=[f.name for f in dataclasses.fields(HoleValue)])
    table = table.sort_values("saved_acquisition_per_month", ascending=False, kind="stable")
    return table.reset_index(drop=True)


# ---------------------------------------------------------------------------
# helpers


def _scalar(name, value, **bounds) -> float:
    """Validate a single finite number (not an array) with check_number."""
    result = check_number(name, value, **bounds)
    if not isinstance(result, float):
        raise TypeError(f"{name} must be a single number, got {value!r}")
    return result


def _check_bucket(bucket) -> None:
    if not isinstance(bucket, Bucket):
        raise TypeError(f"bucket must be a coursekit.models.bucket.Bucket, got {type(bucket).__name__} {bucket!r}")


def _long_run(bucket: Bucket) -> float:
    """Steady state I / c, or initial for a bucket that neither leaks nor fills."""
    c = bucket.churn
    if c > 0.0:
        return bucket.inflow / c
    if bucket.inflow > 0.0:
        raise ValueError(
            "the bucket has no steady state: churn (sum of leak_rates) is 0 while "
            f"inflow is {bucket.inflow:g} > 0, so the customer count grows without bound"
        )
    return bucket.initial


def _make_rng(seed) -> np.random.Generator:
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            "seed must be None, a non-negative integer, a numpy SeedSequence or a numpy "
            f"Generator, got {type(seed).__name__} {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def _frame(bucket, customers, new, lost_by_hole, start, *, dtype) -> pd.DataFrame:
    """Assemble the path table; ``start`` holds N[t-1] with 0 in row 0."""
    index = pd.RangeIndex(len(customers), name="month")
    data = {
        "customers": np.asarray(customers, dtype=dtype),
        "new": np.asarray(new, dtype=dtype),
        "lost": lost_by_hole.sum(axis=1).astype(dtype),
    }
    for column, hole_column in zip(_LOST_COLUMNS, lost_by_hole.T):
        data[column] = np.asarray(hole_column, dtype=dtype)
    start = np.asarray(start, dtype=float)
    acquisition = np.asarray(new, dtype=float) * bucket.acquisition_cost
    retention = start * bucket.retention_cost
    margin = start * bucket.margin
    data["acquisition_spend"] = acquisition
    data["retention_spend"] = retention
    data["margin"] = margin
    data["profit"] = margin - acquisition - retention
    return pd.DataFrame(data, index=index, columns=list(_COLUMNS))
