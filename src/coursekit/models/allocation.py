r"""Allocating a retention budget across segments and Berry's three levels of retention.

Berry (1995) orders retention programmes by the kind of bond they create:

1. **financial** bonds -- price incentives such as frequency rewards, points, discounts and club
   benefits; cheap to start and easy for competitors to copy;
2. **social** bonds -- personal service, customer communities and clubs, two-way communication;
3. **structural** bonds -- value the customer cannot get elsewhere: technical support, training,
   shared systems, supply-chain collaboration.  They raise the cost of leaving and are the
   hardest to copy, but the most expensive to build.

(:data:`RETENTION_LEVELS` lists them with examples.)  Here each level is an *instrument* with a
diminishing-returns response.  Spending :math:`x_{ij}` per customer on instrument :math:`j` in
segment :math:`i` lifts that segment's retention rate by

.. math:: \ell_{ij}(x_{ij}) = a_{ij} \left(1 - e^{-x_{ij} / c_{ij}}\right),

where :math:`a_{ij}` is the instrument's maximum lift (retention points, as a fraction) and
:math:`c_{ij}` its *cost per customer*: the spend per customer that buys
:math:`1 - 1/e \approx 63\,\%` of the maximum lift.  Lifts of several instruments add up:
:math:`r_i = r_{0i} + \sum_j \ell_{ij}`.  Because each lift saturates, the retention rate can
never exceed :math:`r_{0i} + \sum_j a_{ij}`, which the functions require to be below 1: the
saturation is what keeps retention capped below 1.

Customer equity uses the margin multiple of :mod:`coursekit.models.clv` (Gupta & Lehmann 2003):

.. math:: \text{CE} = \sum_i N_i \, m_i \, \frac{r_i}{1 + d - r_i},

with :math:`N_i` customers of margin :math:`m_i` per period and the discount rate :math:`d`.
:func:`allocate_budget` spends a fixed budget :math:`B = \sum_{ij} N_i x_{ij}` so as to maximise
CE, and compares the result with :func:`even_split`.  The budget is treated as the money that
moves the retention rates; the customer base is then valued at the retention it buys (a
teaching simplification: the budget is fixed, so subtracting it would not change the best
allocation).

References
----------
.. [1] L. L. Berry, "Relationship Marketing of Services -- Growing Interest, Emerging
   Perspectives", Journal of the Academy of Marketing Science 23(4), 236-245, 1995.
.. [2] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
.. [3] R. C. Blattberg and J. Deighton, "Manage marketing by the customer equity test",
   Harvard Business Review 74(4), 136-144, 1996.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from coursekit._validate import check_choice, check_number

__all__ = [
    "RETENTION_LEVELS",
    "BERRY_INSTRUMENTS",
    "EXAMPLE_SEGMENTS",
    "BudgetAllocation",
    "retention_lift",
    "customer_equity",
    "even_split",
    "allocate_budget",
]

#: Berry's three levels of retention, with examples from the course readings (R1, R2).
RETENTION_LEVELS: pd.DataFrame = pd.DataFrame(
    {
        "level": [1, 2, 3],
        "instrument": ["financial", "social", "structural"],
        "bond": [
            "price incentives for staying",
            "personal relationships and community",
            "added value built into how the customer works",
        ],
        "examples": [
            "frequency rewards, points, member discounts and gifts, club membership, return guarantees",
            "customer clubs and communities, personalised pages and service, two-way communication",
            "technical support, training, shared extranets, supply-chain collaboration",
        ],
        "copied_by_competitors": ["easily", "with effort", "hardly"],
    }
)

#: Illustrative response parameters of the three levels (not estimates): maximum retention lift
#: (fraction) and cost per customer (money units per customer for 63 % of the maximum lift).
BERRY_INSTRUMENTS: pd.DataFrame = pd.DataFrame(
    {
        "instrument": ["financial", "social", "structural"],
        "max_lift": [0.03, 0.04, 0.05],
        "cost_per_customer": [15.0, 30.0, 80.0],
    }
)

#: Illustrative segments: the four quadrants of the customer value matrix
#: (:mod:`coursekit.models.value_matrix`) with customers, margin per year and base annual retention.
EXAMPLE_SEGMENTS: pd.DataFrame = pd.DataFrame(
    {
        "segment": ["I", "II", "III", "IV"],
        "customers": [4000, 2000, 2500, 1500],
        "margin": [20.0, 60.0, 150.0, 300.0],
        "retention": [0.55, 0.60, 0.80, 0.85],
    }
)


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------
class _Model:
    """Validated segments x instruments response model (arrays, no pandas)."""

    def __init__(self, segments, instruments, discount_rate):
        _require_frame("segments", segments, ["segment", "customers", "margin", "retention"])
        _require_frame("instruments", instruments, ["instrument", "max_lift", "cost_per_customer"])
        names = segments["segment"].tolist()
        if len(names) == 0:
            raise ValueError("segments must have at least one row, got an empty table")
        if len(set(names)) != len(names):
            raise ValueError(f"segments['segment'] must name each segment once, got {names!r}")
        self.segment_names = names
        self.customers = np.atleast_1d(check_number('segments["customers"]', segments["customers"].to_numpy(), low=0.0, low_open=True))
        self.margin = np.atleast_1d(check_number('segments["margin"]', segments["margin"].to_numpy(), low=0.0))
        self.base = np.atleast_1d(check_number('segments["retention"]', segments["retention"].to_numpy(), low=0.0, high=1.0, high_open=True))
        self.d = check_number("discount_rate", discount_rate, low=0.0)
        if not isinstance(self.d, float):
            raise TypeError(f"discount_rate must be a single number, got {discount_rate!r}")

        if "segment" in instruments.columns:
            self._per_segment(instruments)
        else:
            inst = instruments["instrument"].tolist()
            if len(inst) == 0:
                raise ValueError("instruments must have at least one row, got an empty table")
            if len(set(inst)) != len(inst):
                raise ValueError(f"instruments['instrument'] must name each instrument once, got {inst!r}")
            self.instrument_names = inst
            a = np.atleast_1d(check_number('instruments["max_lift"]', instruments["max_lift"].to_numpy(), low=0.0))
            c = np.atleast_1d(check_number('instruments["cost_per_customer"]', instruments["cost_per_customer"].to_numpy(), low=0.0, low_open=True))
            self.max_lift = np.tile(a, (len(names), 1))
            self.cost = np.tile(c, (len(names), 1))

        ceiling = self.base + self.max_lift.sum(axis=1)
        bad = ceiling >= 1.0
        if bad.any():
            k = int(np.argmax(bad))
            raise ValueError(
                "base retention plus the sum of the maximum lifts must stay below 1 in every segment "
                f"(retention is capped by the saturation of the lifts), got {ceiling[k]:g} in segment "
                f"{names[k]!r}; lower max_lift"
            )
        self.shape = self.max_lift.shape

    def _per_segment(self, instruments):
        names = self.segment_names
        seg = instruments["segment"].tolist()
        inst = list(pd.unique(instruments["instrument"].to_numpy()))
        unknown = sorted({str(s) for s in seg} - {str(s) for s in names})
        if unknown:
            raise ValueError(f"instruments['segment'] must name segments of the segments table, got unknown {unknown!r}")
        pairs = list(zip(seg, instruments["instrument"].tolist()))
        if len(set(pairs)) != len(pairs) or len(pairs) != len(names) * len(inst):
            raise ValueError(
                "instruments with a 'segment' column must list every (segment, instrument) pair exactly "
                f"once: {len(names)} segments x {len(inst)} instruments = {len(names) * len(inst)} rows, "
                f"got {len(pairs)} rows ({len(set(pairs))} distinct pairs)"
            )
        a = np.atleast_1d(check_number('instruments["max_lift"]', instruments["max_lift"].to_numpy(), low=0.0))
        c = np.atleast_1d(check_number('instruments["cost_per_customer"]', instruments["cost_per_customer"].to_numpy(), low=0.0, low_open=True))
        row = {s: k for k, s in enumerate(names)}
        col = {s: k for k, s in enumerate(inst)}
        self.max_lift = np.zeros((len(names), len(inst)))
        self.cost = np.ones((len(names), len(inst)))
        rows = np.array([row[s] for s in seg])
        cols = np.array([col[s] for s in instruments["instrument"].tolist()])
        self.max_lift[rows, cols] = a
        self.cost[rows, cols] = c
        self.instrument_names = inst

    # spend S (segments x instruments, money units) -> per-customer spend, lifts, retention, CE
    def lifts(self, spend):
        x = spend / self.customers[:, None]
        return self.max_lift * -np.expm1(-x / self.cost)

    def retention(self, spend):
        return self.base + self.lifts(spend).sum(axis=1)

    def segment_equity(self, spend):
        r = self.retention(spend)
        return self.customers * self.margin * r / (1.0 + self.d - r)

    def equity(self, spend):
        return float(self.segment_equity(spend).sum())

    def gradient(self, spend):
        """dCE / dS_ij: equity per extra money unit spent on each cell."""
        r = self.retention(spend)
        dfdr = (1.0 + self.d) / (1.0 + self.d - r) ** 2
        x = spend / self.customers[:, None]
        dldx = self.max_lift / self.cost * np.exp(-x / self.cost)
        return (self.margin * dfdr)[:, None] * dldx  # N_i cancels: dx/dS = 1/N_i

    def concave(self):
        """CE is concave on spend >= 0 iff 2 sum_j a_ij <= 1 + d - r0_i in every segment."""
        return bool(np.all(2.0 * self.max_lift.sum(axis=1) <= 1.0 + self.d - self.base))

    def spend_frame(self, spend):
        frame = pd.DataFrame(spend, index=pd.Index(self.segment_names, name="segment"), columns=list(self.instrument_names))
        frame.columns.name = "instrument"
        return frame

    def as_matrix(self, spend) -> np.ndarray:
        """Accept a segments x instruments DataFrame (labels checked) or an array."""
        if isinstance(spend, pd.DataFrame):
            missing_rows = [s for s in self.segment_names if s not in spend.index]
            missing_cols = [s for s in self.instrument_names if s not in spend.columns]
            if missing_rows or missing_cols:
                raise ValueError(
                    "spend must be indexed by the segments and have the instruments as columns; "
                    f"missing segments {missing_rows!r}, missing instruments {missing_cols!r}"
                )
            spend = spend.loc[self.segment_names, list(self.instrument_names)].to_numpy(dtype=float)
        arr = check_number("spend", spend, low=0.0)
        arr = np.asarray(arr, dtype=float)
        if arr.shape != self.shape:
            raise ValueError(f"spend must have shape {self.shape} (segments x instruments), got {arr.shape}")
        return arr


def _require_frame(name, frame, columns):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{name} must have the columns {columns}, got {frame.columns.tolist()} (missing {absent})")


def _check_budget(budget) -> float:
    value = check_number("budget", budget, low=0.0)
    if not isinstance(value, float):
        raise TypeError(f"budget must be a single number, got {budget!r}")
    return value


def _even(model: _Model, budget: float, by: str) -> np.ndarray:
    by = check_choice("by", by, ("customer", "cell"))
    n_seg, n_inst = model.shape
    if by == "cell":
        return np.full(model.shape, budget / (n_seg * n_inst))
    share = model.customers / model.customers.sum()
    return np.repeat((budget * share / n_inst)[:, None], n_inst, axis=1)


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------
def retention_lift(spend_per_customer, max_lift, cost_per_customer):
    r"""Retention lift bought by a spend per customer, with diminishing returns.

    .. math:: \ell(x) = a \left(1 - e^{-x / c}\right)

    The first money spent buys the most: the marginal lift :math:`(a / c) e^{-x/c}` falls as
    spending grows and the lift approaches the ceiling :math:`a`.  At :math:`x = c` the
    instrument delivers :math:`1 - 1/e \approx 63\,\%` of it.

    Parameters
    ----------
    spend_per_customer : float or array_like
        Money spent per customer on the instrument, >= 0.
    max_lift : float or array_like
        Ceiling of the lift, :math:`a`, as a retention fraction in [0, 1) (0.05 = 5 points).
    cost_per_customer : float or array_like
        Scale :math:`c` of the response in money units per customer, > 0.

    Returns
    -------
    float or numpy.ndarray
        The lift, as a fraction (add it to the retention rate).

    Raises
    ------
    ValueError
        If a value is NaN, infinite or outside its range.
    TypeError
        If a value is not a number.

    References
    ----------
    .. [1] L. L. Berry, "Relationship Marketing of Services -- Growing Interest, Emerging
       Perspectives", Journal of the Academy of Marketing Science 23(4), 236-245, 1995.

    Examples
    --------
    >>> round(retention_lift(30, 0.04, 30), 5)
    0.02528
    >>> retention_lift([0, 1e6], 0.04, 30)
    array([0.  , 0.04])
    """
    x = check_number("spend_per_customer", spend_per_customer, low=0.0)
    a = check_number("max_lift", max_lift, low=0.0, high=1.0, high_open=True)
    c = check_number("cost_per_customer", cost_per_customer, low=0.0, low_open=True)
    lift = np.asarray(a) * -np.expm1(-np.asarray(x) / np.asarray(c))
    return float(lift) if lift.ndim == 0 else lift


def customer_equity(segments, instruments, spend=None, discount_rate=0.1) -> float:
    r"""Customer equity of the segments after a given retention spend.

    .. math:: \text{CE} = \sum_i N_i \, m_i \, \frac{r_i}{1 + d - r_i}, \qquad
              r_i = r_{0i} + \sum_j a_{ij}\left(1 - e^{-S_{ij} / (N_i c_{ij})}\right)

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per segment with ``segment`` (unique label), ``customers`` (> 0), ``margin``
        (money units per customer per period, >= 0) and ``retention`` (base retention per
        period, in [0, 1)).
    instruments : pandas.DataFrame
        One row per instrument with ``instrument`` (label), ``max_lift`` (>= 0, fraction) and
        ``cost_per_customer`` (> 0, money units); or, with an extra ``segment`` column, one row
        per (segment, instrument) pair, for responses that differ between segments.  In every
        segment ``retention + sum(max_lift)`` must be below 1.
    spend : pandas.DataFrame, array_like or None, default None
        Total money per segment (rows) and instrument (columns), >= 0; ``None`` means no spend.
        A DataFrame is matched by labels; an array must have the shape (segments, instruments).
    discount_rate : float, default 0.1
        Discount rate per period, >= 0 (same period as ``retention`` and ``margin``).

    Returns
    -------
    float
        Customer equity in money units.

    Raises
    ------
    ValueError, TypeError
        For missing columns, duplicate labels, values out of range (negative costs or spend,
        retention outside [0, 1), ...), a retention ceiling at or above 1, or a spend table of
        the wrong shape.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.

    Examples
    --------
    With no spend, each segment is worth ``N m r / (1 + d - r)``; for the example segments
    ``4000*20*.55/.55 + 2000*60*.6/.5 + 2500*150*.8/.3 + 1500*300*.85/.25``:

    >>> round(customer_equity(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS), 2)
    2754000.0
    """
    model = _Model(segments, instruments, discount_rate)
    spend = np.zeros(model.shape) if spend is None else model.as_matrix(spend)
    return model.equity(spend)


def even_split(segments, instruments, budget, by="customer") -> pd.DataFrame:
    """The naive allocation: the budget spread evenly.

    Parameters
    ----------
    segments, instruments : pandas.DataFrame
        As in :func:`customer_equity`.
    budget : float
        Total money to spend, >= 0.
    by : {"customer", "cell"}, default "customer"
        ``"customer"``: every customer gets the same amount, split equally over the instruments
        (segments receive money in proportion to their size).  ``"cell"``: every
        (segment, instrument) cell gets the same total, whatever the segment's size.

    Returns
    -------
    pandas.DataFrame
        Spend in money units, indexed by ``segment``, one column per instrument; it sums to
        ``budget``.

    Raises
    ------
    ValueError, TypeError
        For invalid tables (as in :func:`customer_equity`), a negative budget or an unknown
        ``by``.

    References
    ----------
    .. [1] R. C. Blattberg and J. Deighton, "Manage marketing by the customer equity test",
       Harvard Business Review 74(4), 136-144, 1996.

    Examples
    --------
    >>> even_split(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, 300_000).round(1)
    instrument  financial   social  structural
    segment
    I             40000.0  40000.0     40000.0
    II            20000.0  20000.0     20000.0
    III           25000.0  25000.0     25000.0
    IV            15000.0  15000.0     15000.0
    """
    model = _Model(segments, instruments, 0.0)
    budget = _check_budget(budget)
    return model.spend_frame(_even(model, budget, by))


@dataclass(frozen=True)
class BudgetAllocation:
    """Result of :func:`allocate_budget`.

    Attributes
    ----------
    spend : pandas.DataFrame
        Optimal spend in money units, segments (index) x instruments (columns).
    table : pandas.DataFrame
        One row per (segment, instrument): ``spend``, ``spend_per_customer``, ``lift`` (retention
        points as a fraction) and ``marginal_return`` (extra customer equity per extra money
        unit at the optimum).
    segments : pandas.DataFrame
        One row per segment: ``customers``, ``margin``, ``base_retention``, ``retention``
        (after spend), ``spend``, ``equity`` (after spend) and ``equity_gain`` (over no spend).
    equity : float
        Customer equity of the optimal allocation.
    even_split_equity : float
        Customer equity of :func:`even_split` with the same budget.
    no_spend_equity : float
        Customer equity without any retention spend.
    gain : float
        ``equity - even_split_equity``: what optimising adds over spreading evenly.
    marginal_return : float
        The common marginal return of the funded cells (the shadow price of the budget): one
        more money unit of budget would add about this much customer equity.
    concave : bool
        Whether customer equity is concave in spend for these parameters, so that the optimum
        found is the global one (see :func:`allocate_budget`).
    """

    spend: pd.DataFrame
    table: pd.DataFrame
    segments: pd.DataFrame
    equity: float
    even_split_equity: float
    no_spend_equity: float
    gain: float
    marginal_return: float
    concave: bool


def _greedy_start(model: _Model, budget: float, steps: int = 200) -> np.ndarray:
    """Marginal analysis: give each slice of the budget to the cell that gains most from it."""
    spend = np.zeros(model.shape)
    step = budget / steps
    for _ in range(steps):
        r = model.retention(spend)
        x = spend / model.customers[:, None]
        extra = model.max_lift * (np.exp(-x / model.cost) - np.exp(-(x + step / model.customers[:, None]) / model.cost))
        r_new = r[:, None] + extra
        f = lambda q: q / (1.0 + model.d - q)  # noqa: E731
        gain = (model.customers * model.margin)[:, None] * (f(r_new) - f(r)[:, None])
        k = np.unravel_index(np.argmax(gain), model.shape)
        spend[k] += step
    return spend


def _optimise(model: _Model, budget: float) -> np.ndarray:
    n = model.max_lift.size
    if budget == 0.0:
        return np.zeros(model.shape)
    scale = max(model.equity(np.zeros(model.shape)), float((model.customers * model.margin).sum()), 1e-300)
    if not np.any(model.max_lift * model.margin[:, None] > 0):
        return _even(model, budget, "customer")  # nothing responds: every allocation is optimal

    def objective(w):
        spend = budget * w.reshape(model.shape)
        return -model.equity(spend) / scale, -budget * model.gradient(spend).ravel() / scale

    constraint = {"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones(n)}
    starts = [_even(model, budget, "customer")]
    if not model.concave():  # several local optima are possible: try more starting points
        starts += [_even(model, budget, "cell"), _greedy_start(model, budget)]
    best, best_value = None, -np.inf
    for start in starts:
        result = minimize(
            objective,
            (start / budget).ravel(),
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * n,
            constraints=[constraint],
            options={"ftol": 1e-14, "maxiter": 1000},
        )
        w = np.clip(result.x, 0.0, None)
        w[w < 1e-12] = 0.0  # round-off of SLSQP's active bounds
        w /= w.sum()
        spend = budget * w.reshape(model.shape)
        value = model.equity(spend)
        if value > best_value:
            best, best_value = spend, value
    return best


def allocate_budget(segments, instruments, budget, discount_rate=0.1, even_by="customer") -> BudgetAllocation:
    r"""Spend a retention budget across segments and instruments to maximise customer equity.

    Solves

    .. math:: \max_{S \ge 0} \; \text{CE}(S) = \sum_i N_i m_i \frac{r_i(S)}{1 + d - r_i(S)}
              \quad \text{subject to} \quad \sum_{ij} S_{ij} = B,

    with :math:`r_i(S) = r_{0i} + \sum_j a_{ij}(1 - e^{-S_{ij}/(N_i c_{ij})})` (see the module
    docstring).  At the optimum the Karush--Kuhn--Tucker conditions hold: every funded cell
    earns the same marginal return :math:`\partial \text{CE} / \partial S_{ij} = \lambda` and no
    unfunded cell earns more than :math:`\lambda`.

    **Method.**  Sequential least-squares quadratic programming (SciPy's ``SLSQP``) on the
    budget shares, with the analytic gradient

    .. math:: \frac{\partial \text{CE}}{\partial S_{ij}} = m_i \frac{1 + d}{(1 + d - r_i)^2}
              \cdot \frac{a_{ij}}{c_{ij}} e^{-S_{ij}/(N_i c_{ij})},

    started from the even split by customer.  A greedy water-filling alone would not be exact here:
    customer equity is *convex* in retention (:math:`r/(1+d-r)` curves upwards), so the
    instruments of one segment interact and the problem is not separable.  Customer equity is
    nevertheless concave in spend -- and the KKT point found is the global optimum -- exactly
    when :math:`2 \sum_j a_{ij} \le 1 + d - r_{0i}` in every segment (diminishing returns of
    the instruments outweigh the convexity of the margin multiple); the result reports this as
    ``concave``.  When it fails, several local optima are possible, so SLSQP is also started
    from the even split by cell and from a greedy marginal-analysis allocation (each slice of
    the budget to the cell that gains most from it), and the best of the three is kept.

    Parameters
    ----------
    segments, instruments : pandas.DataFrame
        As in :func:`customer_equity`.
    budget : float
        Total money to spend, in money units, >= 0.
    discount_rate : float, default 0.1
        Discount rate per period, >= 0.
    even_by : {"customer", "cell"}, default "customer"
        The even split to compare with (see :func:`even_split`).

    Returns
    -------
    BudgetAllocation
        The spend table, per-cell and per-segment tables, the customer equity of the optimum, of
        the even split and without spend, the gain over the even split, the shadow price of the
        budget and the concavity flag.

    Raises
    ------
    ValueError
        For a negative budget, retention outside [0, 1), negative (or zero) costs, negative
        maximum lifts, customers <= 0, a negative margin or discount rate, duplicate or missing
        labels, or a retention ceiling ``retention + sum(max_lift)`` at or above 1.
    TypeError
        If a table is not a DataFrame or a number is not numeric.

    Notes
    -----
    Ten segments by three instruments take a few tens of milliseconds.

    References
    ----------
    .. [1] L. L. Berry, "Relationship Marketing of Services -- Growing Interest, Emerging
       Perspectives", Journal of the Academy of Marketing Science 23(4), 236-245, 1995.
    .. [2] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.
    .. [3] D. Kraft, "A software package for sequential quadratic programming", Technical Report
       DFVLR-FB 88-28, DLR German Aerospace Center, 1988.
    .. [4] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006
       (chapter 12, the KKT conditions).

    Examples
    --------
    >>> result = allocate_budget(EXAMPLE_SEGMENTS, BERRY_INSTRUMENTS, 300_000)
    >>> result.spend.round(-2)
    instrument  financial   social  structural
    segment
    I                 0.0      0.0         0.0
    II                0.0      0.0         0.0
    III           14900.0      0.0         0.0
    IV            53200.0  88100.0    143900.0
    >>> round(result.equity), round(result.even_split_equity), round(result.gain)
    (4044283, 3233536, 810747)
    >>> round(result.marginal_return, 3)
    2.637
    >>> result.concave
    True
    """
    model = _Model(segments, instruments, discount_rate)
    budget = _check_budget(budget)
    even = _even(model, budget, even_by)
    spend = _optimise(model, budget)
    zero = np.zeros(model.shape)

    grad = model.gradient(spend)
    lifts = model.lifts(spend)
    funded = spend > 1e-9 * max(budget, 1.0)
    shadow = float(grad[funded].mean()) if funded.any() else float(grad.max())

    n_seg, n_inst = model.shape
    table = pd.DataFrame(
        {
            "segment": np.repeat(np.asarray(model.segment_names, dtype=object), n_inst),
            "instrument": np.tile(np.asarray(model.instrument_names, dtype=object), n_seg),
            "spend": spend.ravel(),
            "spend_per_customer": (spend / model.customers[:, None]).ravel(),
            "lift": lifts.ravel(),
            "marginal_return": grad.ravel(),
        }
    )
    seg_equity = model.segment_equity(spend)
    per_segment = pd.DataFrame(
        {
            "customers": model.customers,
            "margin": model.margin,
            "base_retention": model.base,
            "retention": model.retention(spend),
            "spend": spend.sum(axis=1),
            "equity": seg_equity,
            "equity_gain": seg_equity - model.segment_equity(zero),
        },
        index=pd.Index(model.segment_names, name="segment"),
    )
    equity = float(seg_equity.sum())
    even_equity = model.equity(even)
    return BudgetAllocation(
        spend=model.spend_frame(spend),
        table=table,
        segments=per_segment,
        equity=equity,
        even_split_equity=even_equity,
        no_spend_equity=model.equity(zero),
        gain=equity - even_equity,
        marginal_return=shadow,
        concave=model.concave(),
    )
