r"""Customer loyalty (客户忠诚): loyalty types, the swing of comparers, and the H1-H3 regressions.

Chapter 4 of the course separates *being satisfied* from *being loyal* and asks which customers
move a firm's results.  This module holds the tools for it:

* :func:`loyalty_type` -- sorts survey respondents into the three attitude types of the course
  readings (R4): **brand advocates** (品牌拥护者), **brand users** (品牌使用者) and **brand
  comparers** (品牌比较者), by a small, documented decision table (:func:`decision_table`);
* :func:`type_shares` -- the mix of the three types, overall or by industry;
* :func:`swing_effect` -- a transparent model of the reading's claim that a change of attitude
  among comparers moves results about twice as much as the same change among the other types;
* :func:`ols` -- ordinary least squares with classical or HC1 (robust) standard errors, written
  with NumPy so that the algebra can be shown in class;
* :func:`retention_hypotheses` -- the conceptual retention model of the slides (R1), with
  its hypotheses H1-H3, tested by two regressions;
* :func:`satisfied_but_left` -- how many satisfied customers left anyway.

Survey items are expected on 1-7 agreement scales (1 = strongly disagree, 7 = strongly agree).
The default column names are those of the course's survey dataset (``believes_brand_best``,
``reevaluates_often``, ``switching_hassle``, ``price_sensitivity``, ``perceived_value``,
``customer_value``, ``overall_satisfaction``, ``repurchase_intention``, ``stayed_next_year``,
``industry``); every function lets you name other columns.

References
----------
.. [1] A. S. Dick and K. Basu, "Customer loyalty: toward an integrated conceptual framework",
   Journal of the Academy of Marketing Science 22(2), 99-113, 1994.
.. [2] T. O. Jones and W. E. Sasser Jr., "Why satisfied customers defect", Harvard Business
   Review 73(6), 88-99, 1995.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, stats

from coursekit._validate import check_choice, check_column_name, check_fraction, check_frame, check_number

__all__ = [
    "LOYALTY_TYPES",
    "TYPE_NAMES",
    "TYPE_NAMES_ZH",
    "READING_SWING_WEIGHTS",
    "HYPOTHESES",
    "decision_table",
    "loyalty_type",
    "type_shares",
    "Swing",
    "swing_effect",
    "OLSResult",
    "ols",
    "retention_hypotheses",
    "satisfied_but_left",
]

#: The three loyalty types of the readings, in display order.
LOYALTY_TYPES = ("advocate", "user", "comparer")
#: How a chart or a table names each type, in English and in Chinese (the glossary's terms).
TYPE_NAMES = {"advocate": "brand advocates", "user": "brand users", "comparer": "brand comparers"}
TYPE_NAMES_ZH = {"advocate": "品牌拥护者", "user": "品牌使用者", "comparer": "品牌比较者"}

#: Outcome change per customer per unit of attitude change, relative to an advocate: the reading's
#: claim (R4) that comparers' attitude moves results about twice as much as the other two types'.
READING_SWING_WEIGHTS = {"advocate": 1.0, "user": 1.0, "comparer": 2.0}

#: The conceptual retention model of the slides (R1): hypothesis -> (predictor role, outcome role,
#: statement).  Roles are the keyword arguments of :func:`retention_hypotheses`.
HYPOTHESES = {
    "H1": ("perceived_value", "repurchase", "higher perceived value -> stronger repurchase intention"),
    "H2": ("customer_value", "satisfaction", "higher customer value -> higher satisfaction"),
    "H3": ("satisfaction", "repurchase", "higher satisfaction -> stronger repurchase intention"),
}

_SCALE = (1.0, 7.0)
_TYPE_DTYPE = pd.CategoricalDtype(list(LOYALTY_TYPES), ordered=False)


# --------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------
def _numeric_column(frame: pd.DataFrame, column: str, argname: str, *, scale=None) -> np.ndarray:
    """Return a column as finite floats (optionally within ``scale``), naming the argument."""
    check_column_name(argname, column)
    if column not in frame.columns:
        raise ValueError(
            f"{argname}={column!r} is not a column of the frame; the columns are {frame.columns.tolist()}"
        )
    series = frame[column]
    if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
        raise TypeError(f"column {column!r} ({argname}) must hold numbers, got dtype {series.dtype}")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any():
        raise ValueError(
            f"column {column!r} ({argname}) must not hold missing values, got {int(np.isnan(values).sum())}; "
            "drop or impute those rows first"
        )
    if not np.isfinite(values).all():
        raise ValueError(f"column {column!r} ({argname}) must hold finite numbers, got an infinite value")
    if scale is not None:
        low, high = scale
        outside = (values < low) | (values > high)
        if outside.any():
            raise ValueError(
                f"column {column!r} ({argname}) must lie on the {low:g}-{high:g} scale, "
                f"got {values[outside][0]:g}"
            )
    return values


def _check_cut(name: str, value) -> float:
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number, got {value!r}")
    return check_number(name, value, low=_SCALE[0], high=_SCALE[1])


def _groups(frame_or_series, by, argname: str):
    """Return group labels (a Series aligned with the data) or None for 'overall'."""
    if by is None:
        return None
    n = len(frame_or_series)
    if isinstance(by, str):
        if not isinstance(frame_or_series, pd.DataFrame):
            raise ValueError(
                f"{argname}={by!r} names a column, but the data is a {type(frame_or_series).__name__}; "
                "pass a DataFrame holding that column, or pass the group labels themselves "
                f"(a Series or array of length {n}), or {argname}=None for overall figures"
            )
        if by not in frame_or_series.columns:
            raise ValueError(
                f"{argname}={by!r} is not a column of the frame; the columns are {frame_or_series.columns.tolist()}"
            )
        labels = frame_or_series[by]
    elif isinstance(by, (pd.Series, np.ndarray, list, tuple, pd.Index, pd.Categorical)):
        if len(by) != n:
            raise ValueError(f"{argname} must have one label per row ({n}), got {len(by)} labels")
        if isinstance(by, pd.Series):
            if not by.index.equals(frame_or_series.index):
                raise ValueError(f"{argname} must have the same index as the data it groups")
            labels = by
        else:
            labels = pd.Series(np.asarray(by, dtype=object), index=frame_or_series.index)
    else:
        raise TypeError(
            f"{argname} must be None, a column name or a sequence of group labels, got {type(by).__name__} {by!r}"
        )
    if pd.isna(labels).any():
        raise ValueError(f"{argname} must not hold missing group labels, got {int(pd.isna(labels).sum())}")
    return labels


# --------------------------------------------------------------------------------------------
# loyalty types
# --------------------------------------------------------------------------------------------
def decision_table(reevaluate_cut=5, belief_cut=5, price_cut=5, hassle_cut=5) -> pd.DataFrame:
    """The decision table behind :func:`loyalty_type`, with the thresholds filled in.

    The rows are tried from top to bottom and the first row whose condition holds gives the
    type.  Every condition compares a 1-7 agreement score with a threshold ("high" means the
    score is at least the threshold).

    ===  =======================================================  ========  ===================
    row  condition                                                type      reading (R4)
    ===  =======================================================  ========  ===================
    1    re-evaluation >= ``reevaluate_cut``                      comparer  keeps weighing price,
                                                                            features, service
    2    belief that the brand is best >= ``belief_cut``          advocate  convinced, rarely
                                                                            re-evaluates
    3    price sensitivity >= ``price_cut`` and switching         comparer  price-driven, nothing
         hassle < ``hassle_cut``                                            holds them
    4    otherwise                                                user      rarely re-evaluates,
                                                                            partly held by
                                                                            switching costs
    ===  =======================================================  ========  ===================

    Parameters
    ----------
    reevaluate_cut, belief_cut, price_cut, hassle_cut : float, default 5
        Thresholds on the 1-7 scale (5 = "somewhat agree"), each in [1, 7].

    Returns
    -------
    pandas.DataFrame
        Index ``rule`` (1-4); columns ``condition`` (str) and ``loyalty_type`` (str).

    Raises
    ------
    ValueError, TypeError
        If a threshold is not a number in [1, 7].

    References
    ----------
    .. [1] A. S. Dick and K. Basu, "Customer loyalty: toward an integrated conceptual
       framework", Journal of the Academy of Marketing Science 22(2), 99-113, 1994.

    Examples
    --------
    >>> decision_table()["loyalty_type"].tolist()
    ['comparer', 'advocate', 'comparer', 'user']
    >>> decision_table(price_cut=6).loc[3, "condition"]
    'price_sensitivity >= 6 and switching_hassle < 5'
    """
    r = _check_cut("reevaluate_cut", reevaluate_cut)
    b = _check_cut("belief_cut", belief_cut)
    p = _check_cut("price_cut", price_cut)
    h = _check_cut("hassle_cut", hassle_cut)
    table = pd.DataFrame(
        {
            "condition": [
                f"reevaluates_often >= {r:g}",
                f"believes_brand_best >= {b:g}",
                f"price_sensitivity >= {p:g} and switching_hassle < {h:g}",
                "otherwise",
            ],
            "loyalty_type": ["comparer", "advocate", "comparer", "user"],
        },
        index=pd.Index([1, 2, 3, 4], name="rule"),
    )
    return table


def loyalty_type(
    frame,
    *,
    believes_best="believes_brand_best",
    reevaluates="reevaluates_often",
    hassle="switching_hassle",
    price="price_sensitivity",
    reevaluate_cut=5,
    belief_cut=5,
    price_cut=5,
    hassle_cut=5,
    with_rule=False,
):
    """Classify respondents as brand advocates, brand users or brand comparers.

    The readings (R4) describe three attitudes of (large) customers:

    * **advocates** (品牌拥护者) believe their brand is the best and rarely re-evaluate it;
    * **users** (品牌使用者) also rarely re-evaluate, partly because switching would cost them
      (utilities, housing, insurance); they respond well to offers;
    * **comparers** (品牌比较者) keep weighing price, features and service, are not swayed by
      emotion and are price-sensitive.

    The rule turns this into the decision table of :func:`decision_table` (first matching row
    wins): frequent re-evaluation makes a comparer; otherwise a firm belief that the brand is
    best makes an advocate; otherwise a price-sensitive customer with no switching hassle is a
    comparer; everyone else is a user.  The rule is a teaching device, not a validated scale:
    change the thresholds and see how the mix moves.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent with the four items below on 1-7 scales, no missing values.
    believes_best, reevaluates, hassle, price : str
        Column names of the items "my brand is the best", "I often re-evaluate my choice",
        "switching would be a hassle" and "price matters most to me".
    reevaluate_cut, belief_cut, price_cut, hassle_cut : float, default 5
        Thresholds in [1, 7]; a score counts as high when it is at least the threshold.
    with_rule : bool, default False
        Also return the number of the decision-table row that fired.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The type of each respondent (categorical with categories ``LOYALTY_TYPES``), named
        ``"loyalty_type"`` and indexed like ``frame``; with ``with_rule=True`` a DataFrame with
        the columns ``loyalty_type`` and ``rule`` (int, 1-4).

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, a column name is not a string or a column is not
        numeric.
    ValueError
        If a column is missing, holds missing values or leaves the 1-7 scale, or a threshold is
        outside [1, 7].

    References
    ----------
    .. [1] A. S. Dick and K. Basu, "Customer loyalty: toward an integrated conceptual
       framework", Journal of the Academy of Marketing Science 22(2), 99-113, 1994.
    .. [2] P. Klemperer, "Markets with consumer switching costs", The Quarterly Journal of
       Economics 102(2), 375-394, 1987.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "believes_brand_best": [7, 6, 2, 3, 2],
    ...     "reevaluates_often":   [1, 2, 6, 2, 3],
    ...     "switching_hassle":    [3, 2, 2, 6, 2],
    ...     "price_sensitivity":   [2, 6, 7, 6, 6]})
    >>> loyalty_type(survey).tolist()
    ['advocate', 'advocate', 'comparer', 'user', 'comparer']
    >>> loyalty_type(survey, with_rule=True)["rule"].tolist()
    [2, 2, 1, 4, 3]
    """
    check_frame("frame", frame, min_rows=1)
    r_cut = _check_cut("reevaluate_cut", reevaluate_cut)
    b_cut = _check_cut("belief_cut", belief_cut)
    p_cut = _check_cut("price_cut", price_cut)
    h_cut = _check_cut("hassle_cut", hassle_cut)
    if not isinstance(with_rule, (bool, np.bool_)):
        raise TypeError(f"with_rule must be True or False, got {with_rule!r}")
    belief = _numeric_column(frame, believes_best, "believes_best", scale=_SCALE)
    reeval = _numeric_column(frame, reevaluates, "reevaluates", scale=_SCALE)
    hass = _numeric_column(frame, hassle, "hassle", scale=_SCALE)
    pri = _numeric_column(frame, price, "price", scale=_SCALE)
    conditions = [
        reeval >= r_cut,
        belief >= b_cut,
        (pri >= p_cut) & (hass < h_cut),
    ]
    rule = np.select(conditions, [1, 2, 3], default=4)
    codes = np.array([2, 0, 2, 1])[rule - 1]  # comparer, advocate, comparer, user
    types = pd.Series(
        pd.Categorical.from_codes(codes, dtype=_TYPE_DTYPE), index=frame.index, name="loyalty_type"
    )
    if with_rule:
        return pd.DataFrame({"loyalty_type": types, "rule": pd.Series(rule.astype(np.int64), index=frame.index)})
    return types


def type_shares(types, by="industry", normalize=True) -> pd.DataFrame:
    """Share (or count) of advocates, users and comparers, overall or by group.

    .. math:: s_{g,k} = \\frac{\\#\\{i \\in g : \\text{type}_i = k\\}}{\\#\\{i \\in g\\}}

    Parameters
    ----------
    types : pandas.DataFrame or pandas.Series
        Either a Series of loyalty types (as returned by :func:`loyalty_type`) or a DataFrame
        with a column ``loyalty_type`` (and the grouping column).
    by : str, array_like or None, default "industry"
        A column of ``types`` (DataFrame input), or one group label per row, or ``None`` for a
        single row ``"all"``.
    normalize : bool, default True
        Shares (each row sums to 1) if True, counts if False.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted, or ``"all"``), columns ``advocate``, ``user``, ``comparer``.

    Raises
    ------
    TypeError
        If ``types`` is neither a Series nor a DataFrame, or ``by`` is of the wrong kind.
    ValueError
        If a type is not one of ``LOYALTY_TYPES``, a label is missing, or ``by`` names an absent
        column or has the wrong length.

    Notes
    -----
    The reading (R4) claims that comparers make up more than 40 % of the customers in every
    industry, and that the mix differs by industry (few advocates in mobile and internet
    services).  With survey data this table lets a student check the claim instead of taking it
    on trust.

    References
    ----------
    .. [1] A. S. Dick and K. Basu, "Customer loyalty: toward an integrated conceptual
       framework", Journal of the Academy of Marketing Science 22(2), 99-113, 1994.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"loyalty_type": ["advocate", "comparer", "comparer", "user"],
    ...                   "industry": ["retail", "retail", "mobile", "mobile"]})
    >>> type_shares(t)
              advocate  user  comparer
    industry
    mobile         0.0   0.5       0.5
    retail         0.5   0.0       0.5
    >>> type_shares(t["loyalty_type"], by=None, normalize=False)
         advocate  user  comparer
    all         1     1         2
    """
    if isinstance(types, pd.DataFrame):
        if "loyalty_type" not in types.columns:
            raise ValueError(
                f"types must have a column 'loyalty_type' when it is a DataFrame; got {types.columns.tolist()}"
            )
        values = types["loyalty_type"]
    elif isinstance(types, pd.Series):
        values = types
    else:
        raise TypeError(f"types must be a pandas Series or DataFrame, got {type(types).__name__}")
    if len(values) == 0:
        raise ValueError("types must hold at least one respondent, got none")
    if not isinstance(normalize, (bool, np.bool_)):
        raise TypeError(f"normalize must be True or False, got {normalize!r}")
    text = values.astype(object)
    bad = ~text.isin(LOYALTY_TYPES)
    if bad.any():
        raise ValueError(
            f"types must hold only {', '.join(map(repr, LOYALTY_TYPES))}; got {text[bad].iloc[0]!r}"
        )
    labels = _groups(types, by, "by")
    categorical = pd.Categorical(text, categories=list(LOYALTY_TYPES))
    if labels is None:
        keys = pd.Series("all", index=values.index)
        name = None
    else:
        keys = labels
        name = labels.name if isinstance(by, (str, pd.Series)) and labels.name is not None else None
    counts = pd.crosstab(keys.array, categorical, dropna=False)  # arrays: no index alignment
    counts = counts.reindex(columns=list(LOYALTY_TYPES), fill_value=0).astype(np.int64)
    counts.columns = pd.Index(list(LOYALTY_TYPES))
    counts.index.name = name
    counts = counts[counts.sum(axis=1) > 0]  # unused categories of a categorical grouping
    if not normalize:
        return counts
    return counts.div(counts.sum(axis=1), axis=0)


# --------------------------------------------------------------------------------------------
# the swing of comparers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Swing:
    """Result of :func:`swing_effect`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per loyalty type with ``share`` (of customers), ``weight`` (outcome change per
        customer per unit of attitude change), ``shift`` (attitude change of the type) and
        ``contribution`` = share x weight x shift.
    total : float
        Sum of the contributions: the change of the outcome per customer.
    """

    table: pd.DataFrame
    total: float


def _type_mapping(name: str, value, *, default=None, low=None) -> dict:
    """Check a mapping loyalty type -> number; missing types get ``default`` (if given)."""
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (dict or Series) from loyalty type to a number, got {value!r}")
    unknown = [k for k in value if k not in LOYALTY_TYPES]
    if unknown:
        raise ValueError(f"{name} has unknown loyalty type(s) {unknown!r}; allowed: {', '.join(LOYALTY_TYPES)}")
    missing = [k for k in LOYALTY_TYPES if k not in value]
    if missing and default is None:
        raise ValueError(f"{name} must give a value for every type ({', '.join(LOYALTY_TYPES)}); missing {missing!r}")
    out = {}
    for k in LOYALTY_TYPES:
        v = value.get(k, default)
        if np.ndim(v) != 0:
            raise TypeError(f"{name}[{k!r}] must be a single number, got {v!r}")
        out[k] = check_number(f"{name}[{k!r}]", v, low=low)
    return out


def swing_effect(shares, attitude_shift, weights=None) -> Swing:
    r"""How much a change of attitude in each loyalty type moves an outcome.

    .. math::

        \Delta Y = \sum_{k \in \{\text{advocate}, \text{user}, \text{comparer}\}}
                   s_k \, w_k \, \delta_k

    where :math:`s_k` is the share of customers of type :math:`k`, :math:`\delta_k` the change of
    their attitude (e.g. in points of a 1-7 scale) and :math:`w_k` the change of the outcome per
    customer for a one-unit change of attitude.  :math:`\Delta Y` is then the change of the
    outcome per customer (e.g. of sales per customer, in whatever unit :math:`w` is measured).

    The default weights encode the reading's claim (R4), not a measurement: a change of attitude
    among comparers moves results about twice as much as the same change among advocates or
    users, so :math:`w = (1, 1, 2)` with advocates as the unit.  Together with the claim that
    comparers are more than 40 % of customers in every industry, this is why the reading calls
    comparers the core of the customer base.  We read the "twice" as per customer; read as
    per group it would already follow from group sizes.  Replace the weights with estimates
    when data allow.

    Parameters
    ----------
    shares : mapping or pandas.Series
        Share of each type, keys ``"advocate"``, ``"user"``, ``"comparer"``; each in [0, 1] and
        summing to 1 (within 1e-6).  A row of :func:`type_shares` fits.
    attitude_shift : float or mapping
        Attitude change, either one number applied to every type or a mapping by type (types
        left out get 0, so ``{"comparer": -1}`` shifts comparers only).  Any finite numbers.
    weights : mapping, optional
        Outcome change per customer per unit of attitude change, by type, each finite and >= 0;
        :data:`READING_SWING_WEIGHTS` by default.

    Returns
    -------
    Swing
        The per-type table and the total change.

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the kinds above, a type is unknown or missing, a value is NaN
        or out of range, or the shares do not sum to 1.

    References
    ----------
    .. [1] Commonly cited claim, repeated in the course reading R4 without a source: comparers
       exceed 40 % of customers in every industry and their attitude changes move results
       twice as much as those of the other types.

    Examples
    --------
    >>> shares = {"advocate": 0.30, "user": 0.25, "comparer": 0.45}
    >>> round(swing_effect(shares, 1.0).total, 4)
    1.45
    >>> round(swing_effect(shares, {"comparer": -1.0}).total, 4)
    -0.9
    >>> round(swing_effect(shares, {"advocate": -1.0}).total, 4)
    -0.3
    >>> swing_effect(shares, 1.0).table["contribution"].round(4).tolist()
    [0.3, 0.25, 0.9]
    """
    s = _type_mapping("shares", shares, low=0.0)
    for k, v in s.items():
        check_fraction(f"shares[{k!r}]", v, allow_one=True)
    total_share = sum(s.values())
    if abs(total_share - 1.0) > 1e-6:
        raise ValueError(f"shares must sum to 1 (within 1e-6), got {total_share:.6g}")
    if isinstance(attitude_shift, (Mapping, pd.Series)):
        d = _type_mapping("attitude_shift", attitude_shift, default=0.0)
    else:
        if np.ndim(attitude_shift) != 0:
            raise TypeError(f"attitude_shift must be a number or a mapping by type, got {attitude_shift!r}")
        one = check_number("attitude_shift", attitude_shift)
        d = dict.fromkeys(LOYALTY_TYPES, one)
    w = _type_mapping("weights", READING_SWING_WEIGHTS if weights is None else weights, low=0.0)
    table = pd.DataFrame(
        {
            "share": [s[k] for k in LOYALTY_TYPES],
            "weight": [w[k] for k in LOYALTY_TYPES],
            "shift": [d[k] for k in LOYALTY_TYPES],
        },
        index=pd.Index(list(LOYALTY_TYPES), name="loyalty_type"),
    )
    table["contribution"] = table["share"] * table["weight"] * table["shift"]
    return Swing(table=table, total=float(table["contribution"].sum()))


# --------------------------------------------------------------------------------------------
# ordinary least squares
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class OLSResult:
    """Result of :func:`ols`.

    Attributes
    ----------
    table : pandas.DataFrame
        Tidy coefficient table, index ``term`` (``"const"`` then the predictors), columns
        ``coef``, ``std_err``, ``t``, ``p_value``, ``ci_low``, ``ci_high``.
    r_squared, adj_r_squared : float
        Coefficient of determination and its degrees-of-freedom adjusted version.
    sigma : float
        Residual standard error, :math:`\\sqrt{\\mathrm{SSR} / (n - k)}`.
    n, df_resid : int
        Number of observations and residual degrees of freedom :math:`n - k`.
    outcome : str
        Name of the outcome column.
    predictors : tuple of str
        Names of the predictor columns (the intercept is added automatically).
    cov_type : str
        ``"classical"`` or ``"HC1"``.
    alpha : float
        1 - confidence level of the intervals.
    """

    table: pd.DataFrame
    r_squared: float
    adj_r_squared: float
    sigma: float
    n: int
    df_resid: int
    outcome: str
    predictors: tuple
    cov_type: str
    alpha: float


def ols(frame, outcome, predictors, *, cov="classical", alpha=0.05) -> OLSResult:
    r"""Ordinary least squares regression with an intercept, via a QR decomposition.

    With :math:`X = [\mathbf 1, x_1, \dots, x_p]` (:math:`n \times k`, :math:`k = p + 1`) and
    :math:`X = QR`:

    .. math::

        \hat\beta = R^{-1} Q^\top y, \qquad e = y - X\hat\beta, \qquad
        s^2 = \frac{e^\top e}{n - k}, \qquad (X^\top X)^{-1} = R^{-1} R^{-\top}.

    Covariance of :math:`\hat\beta`: classical :math:`s^2 (X^\top X)^{-1}`; or HC1 (White's
    heteroskedasticity-consistent estimator with the :math:`n/(n-k)` correction)
    :math:`\frac{n}{n-k} (X^\top X)^{-1} X^\top \mathrm{diag}(e_i^2) X (X^\top X)^{-1}`.
    Then :math:`t_j = \hat\beta_j / \mathrm{se}_j`, two-sided p-values from Student's t with
    :math:`n - k` degrees of freedom, intervals :math:`\hat\beta_j \pm t_{1-\alpha/2, n-k}\,
    \mathrm{se}_j`, and :math:`R^2 = 1 - e^\top e / \sum_i (y_i - \bar y)^2`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data, one row per observation.  Missing values are refused (drop or impute first).
    outcome : str
        Column of the dependent variable.
    predictors : str or sequence of str
        Column(s) of the explanatory variables; distinct, not the outcome.
    cov : {"classical", "HC1"}, default "classical"
        Covariance estimator of the coefficients.
    alpha : float, default 0.05
        Confidence intervals have level :math:`1 - \alpha`; in (0, 1).

    Returns
    -------
    OLSResult
        Coefficient table and fit statistics.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, a name is not a string or a column is not numeric.
    ValueError
        If a column is absent or holds missing/infinite values, there are not more observations
        than coefficients, the predictors are collinear (with each other or the intercept), the
        outcome is constant, or the fit is exact.

    References
    ----------
    .. [1] W. H. Greene, *Econometric Analysis*, 8th ed., Pearson, 2018, chapters 3-4.
    .. [2] H. White, "A heteroskedasticity-consistent covariance matrix estimator and a direct
       test for heteroskedasticity", Econometrica 48(4), 817-838, 1980.
    .. [3] J. G. MacKinnon and H. White, "Some heteroskedasticity-consistent covariance matrix
       estimators with improved finite sample properties", Journal of Econometrics 29(3),
       305-325, 1985.

    Examples
    --------
    By hand: :math:`S_{xy} = 19.7`, :math:`S_{xx} = 10`, so the slope is 1.97 and the intercept
    :math:`6 - 1.97 \cdot 3 = 0.09`.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [2.0, 4.1, 5.9, 8.2, 9.8]})
    >>> fit = ols(data, "y", ["x"])
    >>> fit.table[["coef", "std_err"]].round(4)
           coef  std_err
    term
    const  0.09   0.1827
    x      1.97   0.0551
    >>> round(fit.r_squared, 4), fit.n, fit.df_resid
    (0.9976, 5, 3)
    """
    check_frame("frame", frame, min_rows=1)
    check_column_name("outcome", outcome)
    if isinstance(predictors, str):
        predictors = [predictors]
    if not isinstance(predictors, (list, tuple, pd.Index)):
        raise TypeError(f"predictors must be a column name or a list of column names, got {predictors!r}")
    predictors = list(predictors)
    if not predictors:
        raise ValueError("predictors must name at least one column, got an empty list")
    for p in predictors:
        check_column_name("predictors", p)
    if len(set(predictors)) != len(predictors):
        raise ValueError(f"predictors must be distinct, got {predictors!r}")
    if outcome in predictors:
        raise ValueError(f"predictors must not include the outcome {outcome!r}")
    if "const" in predictors:
        raise ValueError("predictors must not include 'const': the intercept is added automatically")
    check_choice("cov", cov, ("classical", "HC1"))
    if np.ndim(alpha) != 0:
        raise TypeError(f"alpha must be a single number, got {alpha!r}")
    alpha = check_number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)

    y = _numeric_column(frame, outcome, "outcome")
    columns = [_numeric_column(frame, p, "predictors") for p in predictors]
    n, k = len(y), len(predictors) + 1
    if n <= k:
        raise ValueError(
            f"frame must have more rows than coefficients ({k}: the intercept and {k - 1} predictor(s)), got {n}"
        )
    X = np.column_stack([np.ones(n)] + columns)
    rank = np.linalg.matrix_rank(X)
    if rank < k:
        raise ValueError(
            f"predictors {predictors!r} are collinear: the design matrix (intercept + predictors) has rank "
            f"{rank} < {k}; drop a predictor that is constant or a linear combination of the others"
        )
    sst = float(np.sum((y - y.mean()) ** 2))
    if sst == 0.0:
        raise ValueError(f"outcome {outcome!r} is constant; there is nothing to explain (R^2 undefined)")

    q, r = np.linalg.qr(X)
    beta = linalg.solve_triangular(r, q.T @ y)
    resid = y - X @ beta
    ssr = float(resid @ resid)
    if ssr <= 1e-24 * sst:
        raise ValueError(
            "the predictors fit the outcome exactly (zero residuals): standard errors are 0 and t is undefined"
        )
    df = n - k
    r_inv = linalg.solve_triangular(r, np.eye(k))
    xtx_inv = r_inv @ r_inv.T
    if cov == "classical":
        vcov = ssr / df * xtx_inv
    else:
        scaled = X * resid[:, None]
        vcov = n / df * (xtx_inv @ (scaled.T @ scaled) @ xtx_inv)
    se = np.sqrt(np.diag(vcov))
    t_stat = beta / se
    p_value = 2.0 * stats.t.sf(np.abs(t_stat), df)
    crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    table = pd.DataFrame(
        {
            "coef": beta,
            "std_err": se,
            "t": t_stat,
            "p_value": p_value,
            "ci_low": beta - crit * se,
            "ci_high": beta + crit * se,
        },
        index=pd.Index(["const"] + predictors, name="term"),
    )
    r2 = 1.0 - ssr / sst
    return OLSResult(
        table=table,
        r_squared=float(r2),
        adj_r_squared=float(1.0 - (1.0 - r2) * (n - 1) / df),
        sigma=float(np.sqrt(ssr / df)),
        n=int(n),
        df_resid=int(df),
        outcome=outcome,
        predictors=tuple(predictors),
        cov_type=cov,
        alpha=float(alpha),
    )


def retention_hypotheses(
    frame,
    *,
    perceived_value="perceived_value",
    customer_value="customer_value",
    satisfaction="overall_satisfaction",
    repurchase="repurchase_intention",
    alpha=0.05,
    cov="classical",
) -> pd.DataFrame:
    r"""Test the conceptual retention model of the slides (R1): hypotheses H1, H2 and H3.

    The model states three directional hypotheses:

    * **H1** higher perceived value (客户认知价值) -> stronger repurchase intention (重复购买意图);
    * **H2** higher customer value (客户价值) -> higher satisfaction (客户满意度);
    * **H3** higher satisfaction -> stronger repurchase intention.

    They are tested with two least-squares regressions (:func:`ols`):

    .. math::

        \text{repurchase}_i &= \beta_0 + \beta_1\,\text{perceived value}_i
                              + \beta_3\,\text{satisfaction}_i + \varepsilon_i
                              \quad (\text{H1: } \beta_1 > 0,\ \text{H3: } \beta_3 > 0) \\
        \text{satisfaction}_i &= \gamma_0 + \beta_2\,\text{customer value}_i + u_i
                              \quad (\text{H2: } \beta_2 > 0)

    A hypothesis counts as **supported** when its coefficient is positive and its two-sided
    p-value is below ``alpha`` (equivalently, for ``alpha = 0.05``, the 95 % interval lies above
    zero).

    What such a test can and cannot show.  A cross-sectional survey regression measures
    *association*: respondents who report more value also report more intention to repurchase,
    holding the other predictor fixed.  It does not show that raising value would raise
    intention (causation): the arrow may run the other way (loyal customers rate their supplier
    more kindly), and variables left out of the model (income, habit, switching costs, the
    competition a respondent faces) may drive both.  When every variable comes from the same
    questionnaire, a respondent's general mood or wish to look consistent inflates all the
    correlations at once (common-method bias).  And intention is not behaviour: check it
    against who actually stayed (see :func:`satisfied_but_left`).  A "not supported" result
    with a small sample is absence of evidence, not evidence of no effect.

    Parameters
    ----------
    frame : pandas.DataFrame
        Survey responses, one row per respondent, no missing values in the four columns.
    perceived_value, customer_value, satisfaction, repurchase : str
        Column names of the four constructs.
    alpha : float, default 0.05
        Significance level, in (0, 1); intervals have level 1 - alpha.
    cov : {"classical", "HC1"}, default "classical"
        Standard errors of :func:`ols`.

    Returns
    -------
    pandas.DataFrame
        Index ``hypothesis`` (``"H1"``, ``"H2"``, ``"H3"``); columns ``statement``, ``outcome``,
        ``predictor``, ``coefficient``, ``std_err``, ``ci_low``, ``ci_high``, ``p_value`` and
        ``supported`` (bool).

    Raises
    ------
    TypeError, ValueError
        As :func:`ols`; also if two roles name the same column.

    References
    ----------
    .. [1] V. A. Zeithaml, "Consumer perceptions of price, quality, and value: a means-end model
       and synthesis of evidence", Journal of Marketing 52(3), 2-22, 1988.
    .. [2] J. J. Cronin Jr., M. K. Brady and G. T. M. Hult, "Assessing the effects of quality,
       value, and customer satisfaction on consumer behavioral intentions in service
       environments", Journal of Retailing 76(2), 193-218, 2000.
    .. [3] P. M. Podsakoff, S. B. MacKenzie, J.-Y. Lee and N. P. Podsakoff, "Common method
       biases in behavioral research: a critical review of the literature and recommended
       remedies", Journal of Applied Psychology 88(5), 879-903, 2003.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> n = 400
    >>> cv = rng.normal(5, 1, n); pv = rng.normal(5, 1, n)
    >>> sat = 1 + 0.6 * cv + rng.normal(0, 1, n)
    >>> rep = 0.5 + 0.4 * pv + 0.0 * sat + rng.normal(0, 1, n)
    >>> survey = pd.DataFrame({"perceived_value": pv, "customer_value": cv,
    ...                        "overall_satisfaction": sat, "repurchase_intention": rep})
    >>> result = retention_hypotheses(survey)
    >>> result["supported"].tolist()
    [True, True, False]
    >>> result["coefficient"].round(2).tolist()
    [0.46, 0.64, -0.01]
    """
    check_frame("frame", frame, min_rows=1)
    roles = {
        "perceived_value": perceived_value,
        "customer_value": customer_value,
        "satisfaction": satisfaction,
        "repurchase": repurchase,
    }
    for role, column in roles.items():
        check_column_name(role, column)
    if len(set(roles.values())) != len(roles):
        raise ValueError(
            "perceived_value, customer_value, satisfaction and repurchase must name distinct columns, "
            f"got {roles!r}"
        )
    repurchase_fit = ols(frame, repurchase, [perceived_value, satisfaction], cov=cov, alpha=alpha)
    satisfaction_fit = ols(frame, satisfaction, [customer_value], cov=cov, alpha=alpha)
    fits = {repurchase: repurchase_fit, satisfaction: satisfaction_fit}
    rows = []
    for label, (pred_role, out_role, statement) in HYPOTHESES.items():
        pred, out = roles[pred_role], roles[out_role]
        row = fits[out].table.loc[pred]
        rows.append(
            {
                "hypothesis": label,
                "statement": statement,
                "outcome": out,
                "predictor": pred,
                "coefficient": float(row["coef"]),
                "std_err": float(row["std_err"]),
                "ci_low": float(row["ci_low"]),
                "ci_high": float(row["ci_high"]),
                "p_value": float(row["p_value"]),
                "supported": bool(row["coef"] > 0 and row["p_value"] < alpha),
            }
        )
    return pd.DataFrame(rows).set_index("hypothesis")


# --------------------------------------------------------------------------------------------
# satisfied, yet gone
# --------------------------------------------------------------------------------------------
def satisfied_but_left(
    frame,
    satisfied_threshold=5,
    *,
    by=None,
    satisfaction="overall_satisfaction",
    stayed="stayed_next_year",
):
    """Share of satisfied customers who nevertheless left.

    .. math::

        \\text{share} = \\frac{\\#\\{i : \\text{sat}_i \\ge \\theta,\\ \\text{stayed}_i = \\text{False}\\}}
                             {\\#\\{i : \\text{sat}_i \\ge \\theta\\}}

    Satisfaction is not loyalty: customers who call themselves satisfied still leave when a
    competitor offers more, when their needs change or when nothing holds them (comparers).
    Computed by loyalty type, the share shows whom satisfaction keeps and whom it does not.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer, with a numeric satisfaction column and a stayed column (bool, or
        0/1), no missing values.
    satisfied_threshold : float, default 5
        A customer is satisfied when satisfaction >= this value (on the scale of the column).
    by : str, array_like or None, default None
        Group by a column of ``frame`` (e.g. ``"loyalty_type"``) or by one label per row (e.g.
        the Series returned by :func:`loyalty_type`); ``None`` for one overall share.
    satisfaction, stayed : str
        Column names.

    Returns
    -------
    float or pandas.DataFrame
        With ``by=None`` the share (a float in [0, 1]).  Otherwise a DataFrame indexed by group
        (sorted), with columns ``satisfied`` (int), ``left`` (int) and ``share_left`` (float;
        NaN for a group without satisfied customers, where the share is undefined).

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, a column has the wrong type or ``stayed`` is not boolean.
    ValueError
        If a column is absent or has missing values, ``satisfied_threshold`` is not finite, or
        (overall) no customer is satisfied.

    References
    ----------
    .. [1] T. O. Jones and W. E. Sasser Jr., "Why satisfied customers defect", Harvard Business
       Review 73(6), 88-99, 1995.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({
    ...     "overall_satisfaction": [7, 6, 5, 6, 2, 7],
    ...     "stayed_next_year": [True, False, True, False, False, True],
    ...     "loyalty_type": ["advocate", "comparer", "user", "comparer", "comparer", "advocate"]})
    >>> satisfied_but_left(customers)
    0.4
    >>> satisfied_but_left(customers, by="loyalty_type")
                  satisfied  left  share_left
    loyalty_type
    advocate              2     0         0.0
    comparer              2     2         1.0
    user                  1     0         0.0
    """
    check_frame("frame", frame, min_rows=1)
    if np.ndim(satisfied_threshold) != 0:
        raise TypeError(f"satisfied_threshold must be a single number, got {satisfied_threshold!r}")
    theta = check_number("satisfied_threshold", satisfied_threshold)
    sat = _numeric_column(frame, satisfaction, "satisfaction")
    check_column_name("stayed", stayed)
    if stayed not in frame.columns:
        raise ValueError(f"stayed={stayed!r} is not a column of the frame; the columns are {frame.columns.tolist()}")
    flags = frame[stayed]
    if pd.isna(flags).any():
        raise ValueError(f"column {stayed!r} (stayed) must not hold missing values, got {int(pd.isna(flags).sum())}")
    if pd.api.types.is_bool_dtype(flags):
        stayed_arr = flags.to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(flags) and flags.isin([0, 1]).all():
        stayed_arr = flags.to_numpy(dtype=float) == 1.0
    else:
        raise TypeError(f"column {stayed!r} (stayed) must hold True/False (or 0/1), got dtype {flags.dtype}")
    labels = _groups(frame, by, "by")
    satisfied = sat >= theta
    left = satisfied & ~stayed_arr
    if labels is None:
        if not satisfied.any():
            raise ValueError(
                f"no customer has {satisfaction} >= {theta:g}; the share of satisfied customers who left is undefined"
            )
        return float(left.sum() / satisfied.sum())
    counts = pd.DataFrame(
        {"satisfied": satisfied.astype(np.int64), "left": left.astype(np.int64)}, index=frame.index
    ).groupby(pd.Series(labels.array, index=frame.index), sort=True, observed=False).sum()
    counts.index.name = labels.name if isinstance(by, (str, pd.Series)) else None
    counts["share_left"] = counts["left"] / counts["satisfied"].where(counts["satisfied"] > 0)
    return counts
