r"""The service-profit chain as a small, transparent simulation.

Heskett et al. (1994) link a firm's profit to the way it treats its own people: investment in
internal service quality (tools, training, recognition -- *internal marketing*) keeps employees
satisfied and loyal; experienced, loyal employees deliver better service; better service keeps
customers; loyal customers drive revenue and profit.  Reading R2 cites the chain as the reason
internal marketing belongs in a retention strategy.

This module turns the chain into a deterministic period-by-period model with one documented,
parameterised function per link.  It is a **teaching model**: the functional forms are chosen to
be simple and monotone, and the default parameters are illustrative, not estimates from data.
Periods are years.

Links (all parameters in :class:`ChainParameters`)
--------------------------------------------------
1. :func:`employee_retention` -- internal investment per employee :math:`I` raises the share
   of employees who stay a year, with diminishing returns:
   :math:`e = e_{\min} + (e_{\max} - e_{\min})(1 - e^{-I / s})`.
2. :func:`service_quality` -- the staff who stayed last year are experienced; the leavers are
   replaced by novices.  Service quality is an index in [0, 1] that rises linearly with the
   experienced share :math:`x_t = e_{t-1}`: :math:`q = q_0 + (1 - q_0) x`.
3. :func:`customer_retention` -- better service keeps more customers:
   :math:`r = r_{\min} + (r_{\max} - r_{\min}) q`.
4. Customers and profit -- :math:`N_{t+1} = r_t N_t + A`; the :math:`N_t` customers served in
   period :math:`t` each earn the margin :math:`m`; one employee serves :math:`k` customers,
   so the staff is :math:`H_t = N_t / k`; costs are the internal investment :math:`I H_t`, the
   cost of replacing leavers :math:`R (1 - e_t) H_t` and acquisition :math:`a A`.

:func:`simulate_chain` runs the chain; :func:`compare_investment` runs it for several levels of
internal investment and shows how the long-run customer retention and the discounted profit
respond.

References
----------
.. [1] J. L. Heskett, T. O. Jones, G. W. Loveman, W. E. Sasser Jr. and L. A. Schlesinger,
   "Putting the Service-Profit Chain to Work", Harvard Business Review 72(2), 164-174, 1994.
.. [2] F. F. Reichheld, *The Loyalty Effect: The Hidden Force Behind Growth, Profits, and
   Lasting Value*, Boston: Harvard Business School Press, 1996.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import as_number_array, check_number, check_positive_int

__all__ = [
    "ChainParameters",
    "employee_retention",
    "service_quality",
    "customer_retention",
    "simulate_chain",
    "compare_investment",
]


@dataclass(frozen=True)
class ChainParameters:
    """Parameters of the service-profit chain (illustrative defaults; periods are years).

    Attributes
    ----------
    employee_retention_min : float, default 0.60
        Share of employees who stay a year without internal investment, in [0, 1].
    employee_retention_max : float, default 0.90
        Ceiling of employee retention however much is invested, in [``employee_retention_min``, 1].
    investment_scale : float, default 2000.0
        Investment per employee per year (money units) that buys 63 % of the possible gain in
        employee retention, > 0.
    quality_floor : float, default 0.40
        Service quality (index 0..1) delivered by an all-novice staff, in [0, 1].
    customer_retention_min : float, default 0.50
        Customer retention at service quality 0, in [0, 1).
    customer_retention_max : float, default 0.90
        Customer retention at service quality 1, in [``customer_retention_min``, 1).
    customers_per_employee : float, default 100.0
        Customers one employee serves, > 0.
    margin : float, default 200.0
        Margin per customer per year, money units, >= 0.
    replacement_cost : float, default 10000.0
        Cost of recruiting and training a replacement for one leaver, money units, >= 0.
    new_customers : float, default 2000.0
        New customers acquired per year, >= 0.
    acquisition_cost : float, default 150.0
        Cost per new customer, money units, >= 0.
    discount_rate : float, default 0.10
        Discount rate per year, >= 0.
    """

    employee_retention_min: float = 0.60
    employee_retention_max: float = 0.90
    investment_scale: float = 2000.0
    quality_floor: float = 0.40
    customer_retention_min: float = 0.50
    customer_retention_max: float = 0.90
    customers_per_employee: float = 100.0
    margin: float = 200.0
    replacement_cost: float = 10000.0
    new_customers: float = 2000.0
    acquisition_cost: float = 150.0
    discount_rate: float = 0.10

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            checked = check_number(f.name, value)
            if not isinstance(checked, float):
                raise TypeError(f"{f.name} must be a single number, got {value!r}")
            object.__setattr__(self, f.name, checked)
        check_number("employee_retention_min", self.employee_retention_min, low=0.0, high=1.0)
        check_number("employee_retention_max", self.employee_retention_max, low=self.employee_retention_min, high=1.0)
        check_number("investment_scale", self.investment_scale, low=0.0, low_open=True)
        check_number("quality_floor", self.quality_floor, low=0.0, high=1.0)
        check_number("customer_retention_min", self.customer_retention_min, low=0.0, high=1.0, high_open=True)
        check_number(
            "customer_retention_max", self.customer_retention_max, low=self.customer_retention_min, high=1.0, high_open=True
        )
        check_number("customers_per_employee", self.customers_per_employee, low=0.0, low_open=True)
        for name in ("margin", "replacement_cost", "new_customers", "acquisition_cost", "discount_rate"):
            check_number(name, getattr(self, name), low=0.0)


def _params(params) -> ChainParameters:
    if params is None:
        return ChainParameters()
    if not isinstance(params, ChainParameters):
        raise TypeError(f"params must be a ChainParameters or None, got {type(params).__name__}")
    return params


def employee_retention(investment_per_employee, params=None):
    r"""Link 1: internal investment per employee -> share of employees who stay a year.

    .. math:: e = e_{\min} + (e_{\max} - e_{\min}) \left(1 - e^{-I / s}\right)

    Parameters
    ----------
    investment_per_employee : float or array_like
        Internal investment (training, tools, recognition) per employee per year, money units,
        >= 0.
    params : ChainParameters, optional
        Uses ``employee_retention_min``, ``employee_retention_max`` and ``investment_scale``.

    Returns
    -------
    float or numpy.ndarray
        Employee retention per year, a fraction.

    Raises
    ------
    ValueError
        If the investment is negative, NaN or infinite.
    TypeError
        If it is not a number or ``params`` is not a :class:`ChainParameters`.

    References
    ----------
    .. [1] J. L. Heskett et al., "Putting the Service-Profit Chain to Work", Harvard Business
       Review 72(2), 164-174, 1994.

    Examples
    --------
    >>> employee_retention(0.0)
    0.6
    >>> round(employee_retention(2000.0), 4)
    0.7896
    """
    p = _params(params)
    i = check_number("investment_per_employee", investment_per_employee, low=0.0)
    e = p.employee_retention_min + (p.employee_retention_max - p.employee_retention_min) * -np.expm1(
        -np.asarray(i) / p.investment_scale
    )
    return float(e) if np.ndim(e) == 0 else e


def service_quality(experienced_share, params=None):
    r"""Link 2: share of experienced staff -> service quality index.

    .. math:: q = q_0 + (1 - q_0) \, x

    Parameters
    ----------
    experienced_share : float or array_like
        Share of staff who have been with the firm at least a year, in [0, 1].  In the
        simulation it equals the previous year's employee retention.
    params : ChainParameters, optional
        Uses ``quality_floor`` (:math:`q_0`).

    Returns
    -------
    float or numpy.ndarray
        Service quality, an index in [0, 1].

    Raises
    ------
    ValueError
        If the share is outside [0, 1] or NaN.
    TypeError
        If it is not a number or ``params`` is not a :class:`ChainParameters`.

    References
    ----------
    .. [1] J. L. Heskett et al., "Putting the Service-Profit Chain to Work", Harvard Business
       Review 72(2), 164-174, 1994.

    Examples
    --------
    >>> round(service_quality(0.6), 4)
    0.76
    """
    p = _params(params)
    x = check_number("experienced_share", experienced_share, low=0.0, high=1.0)
    q = p.quality_floor + (1.0 - p.quality_floor) * np.asarray(x)
    return float(q) if np.ndim(q) == 0 else q


def customer_retention(quality, params=None):
    r"""Link 3: service quality -> customer retention per year.

    .. math:: r = r_{\min} + (r_{\max} - r_{\min}) \, q

    Parameters
    ----------
    quality : float or array_like
        Service quality index, in [0, 1].
    params : ChainParameters, optional
        Uses ``customer_retention_min`` and ``customer_retention_max``.

    Returns
    -------
    float or numpy.ndarray
        Customer retention per year, a fraction below 1.

    Raises
    ------
    ValueError
        If the quality is outside [0, 1] or NaN.
    TypeError
        If it is not a number or ``params`` is not a :class:`ChainParameters`.

    References
    ----------
    .. [1] J. L. Heskett et al., "Putting the Service-Profit Chain to Work", Harvard Business
       Review 72(2), 164-174, 1994.

    Examples
    --------
    >>> round(customer_retention(0.76), 4)
    0.804
    """
    p = _params(params)
    q = check_number("quality", quality, low=0.0, high=1.0)
    r = p.customer_retention_min + (p.customer_retention_max - p.customer_retention_min) * np.asarray(q)
    return float(r) if np.ndim(r) == 0 else r


def _make_rng(seed) -> np.random.Generator:
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be None, a non-negative integer, a SeedSequence or a Generator, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def simulate_chain(
    periods=20,
    internal_investment=0.0,
    params=None,
    initial_customers=10000.0,
    initial_experienced=None,
    stochastic=False,
    seed=None,
) -> pd.DataFrame:
    r"""Run the service-profit chain for a number of years.

    In each year :math:`t = 0, 1, \dots` (see the module docstring for the links):

    1. employee retention :math:`e_t` follows from the year's internal investment :math:`I_t`;
    2. service quality :math:`q_t` follows from the experienced share :math:`x_t` (the share of
       staff who stayed through the previous year, :math:`x_{t+1} = e_t`);
    3. customer retention :math:`r_t` follows from :math:`q_t`;
    4. the :math:`N_t` customers earn :math:`m N_t`; the staff :math:`H_t = N_t / k` costs
       :math:`I_t H_t` in internal investment and :math:`R (1 - e_t) H_t` in replacements;
       :math:`A` new customers cost :math:`a A`; next year starts with
       :math:`N_{t+1} = r_t N_t + A` customers.

    Profit is discounted to year 0 at the start of each year (year 0 undiscounted).  The
    deterministic run follows expected values; ``stochastic=True`` draws leavers among staff and
    customers from binomial distributions and new customers from a Poisson distribution.

    Parameters
    ----------
    periods : int, default 20
        Number of years, a whole number >= 1.
    internal_investment : float or array_like, default 0.0
        Internal investment per employee per year, money units, >= 0: one number for every
        year, or one per year (length ``periods``), e.g. zero for five years and then 2,000 to
        show the chain reacting to a new policy.
    params : ChainParameters, optional
        Parameters of the links and the economics; defaults of :class:`ChainParameters`.
    initial_customers : float, default 10000.0
        Customers at the start of year 0, >= 0 (rounded to whole customers when stochastic).
    initial_experienced : float or None, default None
        Experienced share of staff in year 0, in [0, 1]; ``None`` uses the employee retention
        of the year-0 investment, as if that policy had always been in place.
    stochastic : bool, default False
        Draw one random path instead of the expected path.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator, optional
        Seed of the random path; only allowed with ``stochastic=True``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year`` 0..periods-1, with ``internal_investment``, ``employee_retention``,
        ``experienced_share``, ``service_quality``, ``customer_retention``, ``customers`` (at the
        start of the year), ``new_customers``, ``employees``, ``margin``, ``internal_spend``,
        ``replacement_spend``, ``acquisition_spend``, ``profit``, ``discounted_profit`` and
        ``cumulative_discounted_profit``.  In a stochastic run ``employee_retention`` and
        ``customer_retention`` are the realised shares and the counts are whole numbers.

    Raises
    ------
    ValueError
        If a value is NaN or out of range, the investment path has the wrong length, or a seed
        is given for a deterministic run.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    A teaching model, not an empirical estimate: it shows the *mechanism* of the chain -- with
    its delays (quality responds one year after staff retention, and the customer base needs
    several years to grow to its new level) -- and lets students ask whether internal marketing
    pays for itself.  With the default parameters and no internal investment the customer
    retention settles at 0.804; investing 2,000 per employee raises it to about 0.850.

    References
    ----------
    .. [1] J. L. Heskett, T. O. Jones, G. W. Loveman, W. E. Sasser Jr. and L. A. Schlesinger,
       "Putting the Service-Profit Chain to Work", Harvard Business Review 72(2), 164-174, 1994.

    Examples
    --------
    Fifteen years without internal investment, and with 2,000 per employee a year from year 0
    (the staff is still that of the old policy in year 0, so the customers feel the change a
    year later):

    >>> base = simulate_chain(periods=15)
    >>> invest = simulate_chain(periods=15, internal_investment=2000, initial_experienced=0.6)
    >>> rounding = {"customer_retention": 4, "customers": 1, "profit": 1}
    >>> base[["customer_retention", "customers", "profit"]].iloc[[0, 14]].round(rounding)
          customer_retention  customers     profit
    year
    0                 0.804    10000.0  1300000.0
    14                0.804    10194.5  1331113.1
    >>> invest[["customer_retention", "customers", "profit"]].iloc[[0, 1, 14]].round(rounding)
          customer_retention  customers     profit
    year
    0                 0.8040    10000.0  1289636.2
    1                 0.8495    10040.0  1295994.7
    14                0.8495    12900.1  1750648.7
    >>> round(invest["cumulative_discounted_profit"].iloc[-1] - base["cumulative_discounted_profit"].iloc[-1])
    1605992
    """
    p = _params(params)
    periods = check_positive_int("periods", periods)
    invest = check_number("internal_investment", internal_investment, low=0.0)
    invest = np.broadcast_to(np.asarray(invest, dtype=float), (periods,)) if np.ndim(invest) == 0 else np.asarray(invest)
    if invest.shape != (periods,):
        raise ValueError(
            f"internal_investment must be one number or one per year ({periods} values), got shape {invest.shape}"
        )
    n0 = check_number("initial_customers", initial_customers, low=0.0)
    if not isinstance(n0, float):
        raise TypeError(f"initial_customers must be a single number, got {initial_customers!r}")
    if not isinstance(stochastic, (bool, np.bool_)):
        raise TypeError(f"stochastic must be True or False, got {type(stochastic).__name__} {stochastic!r}")
    if seed is not None and not stochastic:
        raise ValueError("seed applies only to a stochastic run; pass stochastic=True or drop the seed")
    e_path = employee_retention(invest, p)
    if initial_experienced is None:
        x = float(e_path[0])
    else:
        x = check_number("initial_experienced", initial_experienced, low=0.0, high=1.0)
        if not isinstance(x, float):
            raise TypeError(f"initial_experienced must be a single number or None, got {initial_experienced!r}")

    rng = _make_rng(seed) if stochastic else None
    k = p.customers_per_employee
    cols = {name: np.empty(periods) for name in (
        "employee_retention", "experienced_share", "service_quality", "customer_retention",
        "customers", "new_customers", "employees",
    )}
    customers = float(round(n0)) if stochastic else n0
    for t in range(periods):  # a few dozen years: the loop is over time, not over customers
        q = p.quality_floor + (1.0 - p.quality_floor) * x
        r = p.customer_retention_min + (p.customer_retention_max - p.customer_retention_min) * q
        staff = customers / k
        e = e_path[t]
        if stochastic:
            heads = int(round(staff))
            stayed = rng.binomial(heads, e) if heads > 0 else 0
            e_real = stayed / heads if heads > 0 else e
            kept = rng.binomial(int(customers), r)
            r_real = kept / customers if customers > 0 else r
            arrivals = float(rng.poisson(p.new_customers))
            staff = float(heads)
        else:
            e_real, r_real, kept, arrivals = e, r, r * customers, p.new_customers
        cols["employee_retention"][t] = e_real
        cols["experienced_share"][t] = x
        cols["service_quality"][t] = q
        cols["customer_retention"][t] = r_real
        cols["customers"][t] = customers
        cols["new_customers"][t] = arrivals
        cols["employees"][t] = staff
        x = e_real
        customers = kept + arrivals

    frame = pd.DataFrame({"internal_investment": invest.astype(float)}, index=pd.RangeIndex(periods, name="year"))
    for name, values in cols.items():
        frame[name] = values
    frame["margin"] = frame["customers"] * p.margin
    frame["internal_spend"] = frame["internal_investment"] * frame["employees"]
    frame["replacement_spend"] = (1.0 - frame["employee_retention"]) * frame["employees"] * p.replacement_cost
    frame["acquisition_spend"] = frame["new_customers"] * p.acquisition_cost
    frame["profit"] = frame["margin"] - frame["internal_spend"] - frame["replacement_spend"] - frame["acquisition_spend"]
    frame["discounted_profit"] = frame["profit"] / (1.0 + p.discount_rate) ** np.arange(periods)
    frame["cumulative_discounted_profit"] = frame["discounted_profit"].cumsum()
    return frame


def compare_investment(levels, periods=20, params=None, initial_customers=10000.0) -> pd.DataFrame:
    """Long-run effect of several levels of internal investment (internal marketing).

    Each level is run with :func:`simulate_chain` from the same starting point: the customer
    base of ``initial_customers`` and the experienced share of the *no-investment* policy, so
    every run starts from the same firm and changes policy in year 0.

    Parameters
    ----------
    levels : array_like
        Internal investment per employee per year to compare, money units, >= 0 (one or more).
    periods : int, default 20
        Years simulated, a whole number >= 1.
    params : ChainParameters, optional
        Parameters of the chain.
    initial_customers : float, default 10000.0
        Customers at the start, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per level, indexed by ``internal_investment``, with ``employee_retention``,
        ``customer_retention`` and ``customers`` in the last year, ``profit`` in the last year and
        ``npv`` (the cumulative discounted profit over all years).

    Raises
    ------
    ValueError, TypeError
        For invalid levels or arguments, as in :func:`simulate_chain`.

    References
    ----------
    .. [1] J. L. Heskett et al., "Putting the Service-Profit Chain to Work", Harvard Business
       Review 72(2), 164-174, 1994.

    Examples
    --------
    Internal marketing raises customer retention at every level, but with diminishing returns;
    the net present value peaks at a moderate investment:

    >>> table = compare_investment([0, 1000, 2000, 4000, 8000])
    >>> table["npv_millions"] = table["npv"] / 1e6
    >>> table[["employee_retention", "customer_retention", "npv_millions"]].round(3)
                         employee_retention  customer_retention  npv_millions
    internal_investment
    0.0                               0.600               0.804        12.359
    1000.0                            0.718               0.832        13.817
    2000.0                            0.790               0.850        14.405
    4000.0                            0.859               0.866        13.870
    8000.0                            0.895               0.875        10.058
    """
    arr = as_number_array("levels", levels)
    levels = np.atleast_1d(check_number("levels", arr, low=0.0))
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"levels must be a non-empty 1-D sequence of investments, got shape {np.shape(arr)}")
    p = _params(params)
    start_x = p.employee_retention_min
    rows = []
    for level in levels:
        run = simulate_chain(periods, float(level), p, initial_customers, initial_experienced=start_x)
        last = run.iloc[-1]
        rows.append(
            (
                last["employee_retention"],
                last["customer_retention"],
                last["customers"],
                last["profit"],
                run["cumulative_discounted_profit"].iloc[-1],
            )
        )
    return pd.DataFrame(
        rows,
        columns=["employee_retention", "customer_retention", "customers", "profit", "npv"],
        index=pd.Index(levels.astype(float), name="internal_investment"),
    )
