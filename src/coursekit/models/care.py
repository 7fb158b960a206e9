r"""Customer care after the sale (客户关怀): complaints, response time, a tiered care plan, comment mining.

The calculators of chapter 3 that act on what customers say and do after a purchase:

* :func:`retention_by_response` -- how many complainers stay, by how fast
  the firm answered, with Wilson intervals
  (:func:`coursekit.models.experiments.wilson_interval`).
* :func:`care_plan_cost` -- the cost and payoff of care by customer tier.
* :func:`keyword_matches` and :func:`keyword_counts` -- simple mining of
  complaint comments.

Measuring satisfaction itself (disconfirmation, NPS, derived importance, IPA) is in
:mod:`coursekit.models.satisfaction`.

References
----------
.. [1] E. B. Wilson, "Probable Inference, the Law of Succession, and Statistical
   Inference", Journal of the American Statistical Association 22(158), 209-212, 1927.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from coursekit._validate import (
    check_confidence,
    check_finite_values,
    check_frame,
    check_number,
)
from coursekit.models.experiments import wilson_limits

__all__ = [
    "DEFAULT_RESPONSE_BANDS",
    "CARE_ACTIONS",
    "retention_by_response",
    "care_plan_cost",
    "keyword_matches",
    "keyword_counts",
]

#: Default edges of the response-time bands of :func:`retention_by_response`, in hours.
DEFAULT_RESPONSE_BANDS: tuple[float, ...] = (0.0, 4.0, 24.0, 72.0, math.inf)

#: Care actions by tier from the course readings (an example plan, not data).
CARE_ACTIONS = {
    "gold": "an annual trip",
    "silver": "holiday gifts",
    "ordinary": "greeting cards and SMS",
}

_CARE_INPUTS = ("customers", "cost_per_customer", "retention_without", "retention_with", "margin_per_retained")
_KEYWORD_TOTALS = ("n_comments", "any_keyword")


def normal_quantile(confidence: float) -> float:
    """Two-sided standard-normal quantile for ``confidence`` (1.959964 for 0.95)."""
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


# --------------------------------------------------------------------------
# Complaints: who stays after a complaint
# --------------------------------------------------------------------------


def _band_labels(edges: np.ndarray) -> list[str]:
    """Labels such as '0-4 h' and 'over 72 h' for the bands between ``edges``."""
    labels = []
    for low, high in zip(edges[:-1], edges[1:]):
        labels.append(f"over {low:g} h" if np.isinf(high) else f"{low:g}-{high:g} h")
    return labels


def retention_by_response(
    complaints,
    bands=DEFAULT_RESPONSE_BANDS,
    confidence=0.95,
    hours="response_hours",
    stayed="stayed",
) -> pd.DataFrame:
    r"""Share of complainers who stayed, by how fast the firm responded.

    Complaints are grouped into response-time bands; the first band is closed
    at both ends, the others are open on the left: :math:`[b_0, b_1], (b_1,
    b_2], \dots`.  In each band with :math:`n` complainers of whom :math:`x`
    stayed, the stay rate is :math:`x / n` with a Wilson interval
    (:func:`coursekit.models.experiments.wilson_interval`).

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complainer, with the columns named by ``hours`` and
        ``stayed``.
    bands : sequence of numbers, default (0, 4, 24, 72, inf)
        Increasing band edges in hours (at least two; the first >= 0; the
        last may be ``inf``).  Every response time must fall within them.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).
    hours : str, default "response_hours"
        Column of response times in hours (finite, >= 0).
    stayed : str, default "stayed"
        Column of booleans (or 0/1): still a customer at follow-up.

    Returns
    -------
    pandas.DataFrame
        One row per band, indexed by a label such as ``"0-4 h"`` or
        ``"over 72 h"`` (index name ``response_band``), with columns
        ``lower`` and ``upper`` (hours), ``complaints`` and ``stayed``
        (counts), ``stay_rate``, ``ci_low`` and ``ci_high`` (proportions;
        NaN for an empty band).

    Raises
    ------
    ValueError
        If a column is missing, a response time is missing, negative or
        outside the bands, ``stayed`` holds anything but booleans or 0/1,
        the bands are not increasing, or ``confidence`` is outside (0, 1).
    TypeError
        If ``complaints`` is not a DataFrame or ``bands`` is not a sequence.

    Notes
    -----
    The course readings repeat that a quick response to a service failure
    keeps about 70 % of dissatisfied customers.  This is a commonly cited
    claim whose original study we have not traced; compare 0.70 with the
    interval of the quickest band instead of taking it on trust.  The bands
    describe association, not cause: complaints answered quickly may also be
    easier ones.

    References
    ----------
    .. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer
       Evaluations of Service Complaint Experiences: Implications for
       Relationship Marketing", Journal of Marketing 62(2), 60-76, 1998.
    .. [2] E. B. Wilson, "Probable Inference, the Law of Succession, and
       Statistical Inference", Journal of the American Statistical
       Association 22(158), 209-212, 1927.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"response_hours": [1, 3, 4, 10, 30, 100],
    ...                     "stayed": [True, True, False, True, False, False]})
    >>> retention_by_response(log)[["complaints", "stayed", "stay_rate"]].round(3)
                   complaints  stayed  stay_rate
    response_band
    0-4 h                   3       2      0.667
    4-24 h                  1       1      1.000
    24-72 h                 1       0      0.000
    over 72 h               1       0      0.000
    """
    check_frame("complaints", complaints, [hours, stayed], min_rows=1)
    if isinstance(bands, (str, bytes)) or not isinstance(bands, (Sequence, np.ndarray)):
        raise TypeError(f"bands must be a sequence of band edges in hours such as (0, 4, 24, 72, inf), got {bands!r}")
    try:
        edges = np.asarray([float(b) for b in bands] if not isinstance(bands, np.ndarray) else bands, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"bands must hold numbers (hours), got {bands!r}") from None
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(f"bands must have at least two edges, got {list(bands)!r}")
    if np.isnan(edges).any() or edges[0] < 0:
        raise ValueError(f"bands must be hours >= 0 without NaN, got {list(bands)!r}")
    if not np.all(np.diff(edges) > 0) or np.isinf(edges[:-1]).any():
        raise ValueError(f"bands must be strictly increasing finite edges (the last may be inf), got {list(bands)!r}")
    h = check_finite_values(f"complaints[{hours!r}]", complaints[hours])
    if (h < 0).any():
        raise ValueError(f"complaints[{hours!r}] must hold response times >= 0 hours, got {h[h < 0][0]:g}")
    outside = (h < edges[0]) | (h > edges[-1])
    if outside.any():
        raise ValueError(
            f"complaints[{hours!r}] must fall within the bands [{edges[0]:g}, {edges[-1]:g}], got {h[outside][0]:g}"
        )
    kept = complaints[stayed]
    if kept.dtype != bool:
        values = pd.to_numeric(kept, errors="coerce")
        if values.isna().any() or not values.isin([0, 1]).all():
            raise ValueError(f"complaints[{stayed!r}] must hold booleans (or 0/1) without missing values")
    kept = kept.to_numpy(dtype=bool)
    band = np.clip(np.searchsorted(edges, h, side="left") - 1, 0, edges.size - 2)
    count = np.bincount(band, minlength=edges.size - 1)
    success = np.bincount(band, weights=kept.astype(float), minlength=edges.size - 1)
    z = normal_quantile(check_confidence(confidence))
    safe = np.maximum(count, 1).astype(float)
    low, high = wilson_limits(success, safe, z)
    empty = count == 0
    rate = np.where(empty, np.nan, success / safe)
    return pd.DataFrame(
        {
            "lower": edges[:-1],
            "upper": edges[1:],
            "complaints": count.astype(np.int64),
            "stayed": success.astype(np.int64),
            "stay_rate": rate,
            "ci_low": np.where(empty, np.nan, low),
            "ci_high": np.where(empty, np.nan, high),
        },
        index=pd.Index(_band_labels(edges), name="response_band"),
    )


# --------------------------------------------------------------------------
# Tiered care plan
# --------------------------------------------------------------------------


def care_plan_cost(tiers, include_total=True) -> pd.DataFrame:
    r"""Cost and payoff of a customer-care plan that differs by tier.

    For each tier with :math:`N` customers, care costing :math:`c` per
    customer, retention :math:`r_0` without care and :math:`r_1` with it, and
    margin :math:`m` per retained customer (all over the plan's period, e.g.
    a year):

    .. math::

        \text{cost} = N c, \qquad
        \Delta = N (r_1 - r_0), \qquad
        \text{cost per extra retained} = \frac{N c}{\Delta},

        \text{retained margin} = \Delta\, m, \qquad
        \text{net value} = \Delta\, m - N c, \qquad
        c^{*} = (r_1 - r_0)\, m,

    where :math:`\Delta` is the number of extra customers kept thanks to care
    and :math:`c^{*}` the break-even cost of care per customer.

    Parameters
    ----------
    tiers : pandas.DataFrame or mapping
        One row per tier (the index gives the tier names), or a mapping
        ``tier -> {field: value}``, with the fields

        * ``customers`` -- customers in the tier (> 0);
        * ``cost_per_customer`` -- cost of care per customer (money, >= 0);
        * ``retention_without`` -- retention over the period without care,
          in [0, 1];
        * ``retention_with`` -- retention with care, in [``retention_without``, 1];
        * ``margin_per_retained`` -- margin earned from each customer kept
          (money per customer, finite; may be negative).

        Other columns (e.g. ``action``) are ignored.
    include_total : bool, default True
        Add a ``"total"`` row with summed counts and money, and the ratio
        columns recomputed from the sums.

    Returns
    -------
    pandas.DataFrame
        One row per tier (plus ``"total"``), columns ``customers``, ``cost``,
        ``extra_retained``, ``cost_per_extra_retained`` (``inf`` when care
        keeps nobody extra at a positive cost, NaN when it costs nothing and
        keeps nobody), ``retained_margin``, ``net_value`` and
        ``break_even_cost_per_customer``.

    Raises
    ------
    ValueError
        If a field is missing, NaN or out of range, retention with care is
        below retention without, there are no tiers, or a tier is called
        ``"total"`` while ``include_total`` is true.
    TypeError
        If ``tiers`` is not a DataFrame or mapping, or a value is not a
        number.

    Notes
    -----
    The readings' example plan gives gold customers an annual trip, silver
    customers holiday gifts and ordinary customers greeting cards
    (:data:`CARE_ACTIONS`); the costs and retention effects are the firm's
    own estimates, not figures from the readings.

    References
    ----------
    .. [1] V. A. Zeithaml, R. T. Rust and K. N. Lemon, "The Customer Pyramid:
       Creating and Serving Profitable Customers", California Management
       Review 43(4), 118-142, 2001.
    .. [2] R. C. Blattberg, G. Getz and J. S. Thomas, *Customer Equity*,
       Harvard Business School Press, 2001.

    Examples
    --------
    >>> plan = {
    ...     "gold": {"customers": 100, "cost_per_customer": 800, "retention_without": 0.80,
    ...              "retention_with": 0.92, "margin_per_retained": 9000},
    ...     "silver": {"customers": 1000, "cost_per_customer": 60, "retention_without": 0.70,
    ...                "retention_with": 0.75, "margin_per_retained": 1500},
    ...     "ordinary": {"customers": 10000, "cost_per_customer": 2, "retention_without": 0.55,
    ...                  "retention_with": 0.56, "margin_per_retained": 150},
    ... }
    >>> care_plan_cost(plan)[["cost", "extra_retained", "net_value"]].round(1)
                  cost  extra_retained  net_value
    tier
    gold       80000.0            12.0    28000.0
    silver     60000.0            50.0    15000.0
    ordinary   20000.0           100.0    -5000.0
    total     160000.0           162.0    38000.0
    """
    if not isinstance(include_total, (bool, np.bool_)):
        raise TypeError(f"include_total must be True or False, got {include_total!r}")
    if isinstance(tiers, pd.DataFrame):
        table = tiers
    elif isinstance(tiers, Mapping):
        rows = {}
        for tier, fields in tiers.items():
            if not isinstance(fields, Mapping):
                raise TypeError(f"tiers[{tier!r}] must be a mapping of {list(_CARE_INPUTS)}, got {type(fields).__name__}")
            rows[tier] = dict(fields)
        table = pd.DataFrame.from_dict(rows, orient="index")
    else:
        raise TypeError(f"tiers must be a pandas DataFrame or a mapping tier -> fields, got {type(tiers).__name__}")
    if len(table) == 0:
        raise ValueError("tiers must hold at least one tier, got none")
    absent = [c for c in _CARE_INPUTS if c not in table.columns]
    if absent:
        raise ValueError(f"tiers must give {list(_CARE_INPUTS)} for every tier; missing {absent}")
    if table.index.has_duplicates:
        raise ValueError(f"tiers must name each tier once, got duplicates {table.index[table.index.duplicated()].tolist()}")
    if include_total and "total" in table.index:
        raise ValueError("tiers must not include a tier called 'total' when include_total is true (it is added)")
    values = {}
    for column in _CARE_INPUTS:
        try:
            raw = table[column].to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"tiers[{column!r}] must hold numbers, got {table[column].tolist()!r}") from None
        if column == "customers":
            values[column] = check_number("tiers['customers']", raw, low=0.0, low_open=True)
        elif column == "cost_per_customer":
            values[column] = check_number("tiers['cost_per_customer']", raw, low=0.0)
        elif column.startswith("retention"):
            values[column] = check_number(f"tiers[{column!r}]", raw, low=0.0, high=1.0)
        else:
            values[column] = check_number(f"tiers[{column!r}]", raw)
        values[column] = np.atleast_1d(values[column])
    lift = values["retention_with"] - values["retention_without"]
    if (lift < 0).any():
        tier = table.index[np.flatnonzero(lift < 0)[0]]
        raise ValueError(
            f"tiers: retention_with must be >= retention_without (care is assumed not to drive customers away); "
            f"tier {tier!r} has {values['retention_with'][lift < 0][0]:g} < {values['retention_without'][lift < 0][0]:g}"
        )
    customers = values["customers"]
    cost = customers * values["cost_per_customer"]
    extra = customers * lift
    margin = extra * values["margin_per_retained"]
    index = list(table.index)
    if include_total:
        customers = np.append(customers, customers.sum())
        cost = np.append(cost, cost.sum())
        extra = np.append(extra, extra.sum())
        margin = np.append(margin, margin.sum())
        index.append("total")
    with np.errstate(divide="ignore", invalid="ignore"):
        per_retained = np.where(extra > 0, cost / np.where(extra > 0, extra, 1.0), np.where(cost > 0, np.inf, np.nan))
    return pd.DataFrame(
        {
            "customers": customers,
            "cost": cost,
            "extra_retained": extra,
            "cost_per_extra_retained": per_retained,
            "retained_margin": margin,
            "net_value": margin - cost,
            "break_even_cost_per_customer": margin / customers,
        },
        index=pd.Index(index, name="tier"),
    )


# --------------------------------------------------------------------------
# Complaint-text mining
# --------------------------------------------------------------------------


def _check_comments(comments) -> pd.Series:
    """Return comments as a Series of str, refusing missing or non-text values."""
    if isinstance(comments, (str, bytes)):
        raise TypeError("comments must be a sequence of texts (one per complaint), got a single string")
    if isinstance(comments, pd.Series):
        series = comments
    elif isinstance(comments, (Sequence, np.ndarray, pd.Index)):
        series = pd.Series(list(comments), dtype=object)
    else:
        raise TypeError(f"comments must be a pandas Series or a list of texts, got {type(comments).__name__}")
    if series.isna().any():
        raise ValueError("comments must not contain missing values; replace them with '' first")
    kind = pd.api.types.infer_dtype(series, skipna=False)
    if kind not in ("string", "empty"):
        raise TypeError(f"comments must hold texts (str), got values of kind {kind!r}")
    return series


def _check_keywords(keywords) -> list[str]:
    """Return keywords as a list of distinct non-empty strings."""
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, (Sequence, np.ndarray, pd.Index)) or isinstance(keywords, bytes):
        raise TypeError(f"keywords must be a phrase or a list of phrases, got {type(keywords).__name__}")
    keywords = list(keywords)
    if not keywords:
        raise ValueError("keywords must hold at least one phrase, got none")
    for word in keywords:
        if not isinstance(word, str):
            raise TypeError(f"keywords must be strings, got {type(word).__name__} {word!r}")
        if not word.strip():
            raise ValueError(f"keywords must be non-empty phrases, got {word!r}")
        if word in _KEYWORD_TOTALS:
            raise ValueError(f"keywords must not be {word!r}, a name reserved for a column of the result")
    folded = [w.casefold() for w in keywords]
    if len(set(folded)) != len(folded):
        raise ValueError(f"keywords must be distinct (ignoring case), got {keywords!r}")
    return keywords


def keyword_matches(comments, keywords) -> pd.DataFrame:
    r"""Which comments contain which phrases (case-insensitive).

    Comment :math:`i` matches phrase :math:`k` when the phrase occurs anywhere
    in it as a literal substring, ignoring case: "small roll" matches "Small
    rolls, please" but not "smaller rolls".

    Parameters
    ----------
    comments : pandas.Series or sequence of str
        One text per complaint; no missing values.
    keywords : str or sequence of str
        Phrases to look for (distinct ignoring case).

    Returns
    -------
    pandas.DataFrame
        Booleans, one row per comment (the Series' index, or 0..n-1) and one
        column per phrase.  ``.any(axis=1)`` flags comments with any phrase.

    Raises
    ------
    ValueError
        If a comment is missing or a phrase is empty or repeated.
    TypeError
        If comments or phrases are not text.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schütze, *Introduction to
       Information Retrieval*, Cambridge University Press, 2008.

    Examples
    --------
    >>> texts = ["Please sell SMALL ROLLS", "We need smaller rolls", "Late delivery"]
    >>> keyword_matches(texts, ["small roll", "smaller roll"])
       small roll  smaller roll
    0        True         False
    1       False          True
    2       False         False
    """
    series = _check_comments(comments)
    words = _check_keywords(keywords)
    text = series.astype(str)
    return pd.DataFrame(
        {w: text.str.contains(w, case=False, regex=False).to_numpy(dtype=bool) for w in words},
        index=series.index,
    )


def keyword_counts(comments, keywords, by=None) -> pd.DataFrame:
    r"""Count the comments that contain each phrase, optionally by group.

    For group :math:`g` and phrase :math:`k` the count is the number of
    comments of the group that contain the phrase (a comment counts once
    however often the phrase occurs; see :func:`keyword_matches`).

    Parameters
    ----------
    comments : pandas.Series or sequence of str
        One text per complaint; no missing values.
    keywords : str or sequence of str
        Phrases to count (distinct ignoring case; not ``"n_comments"`` or
        ``"any_keyword"``).
    by : pandas.Series or array_like, optional
        Group of each comment (e.g. ``log["customer_type"]``), same length as
        ``comments``; no missing values.

    Returns
    -------
    pandas.DataFrame
        One row per group (all categories of a categorical ``by``, sorted
        otherwise), or a single row ``"all"`` without ``by``; columns
        ``n_comments`` (comments in the group), one count per phrase, and
        ``any_keyword`` (comments containing at least one phrase).

    Raises
    ------
    ValueError
        If a comment or group is missing, the lengths or indexes differ, or
        a phrase is empty, repeated or reserved.
    TypeError
        If comments or phrases are not text.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schütze, *Introduction to
       Information Retrieval*, Cambridge University Press, 2008.

    Examples
    --------
    >>> texts = ["Please sell small rolls", "Mini rolls for our rooms?", "Late delivery", "Small rolls!"]
    >>> kinds = ["budget_hotel", "budget_hotel", "office", "restaurant"]
    >>> keyword_counts(texts, ["small roll", "mini roll"], by=kinds)
                  n_comments  small roll  mini roll  any_keyword
    group
    budget_hotel           2           1          1            2
    office                 1           0          0            0
    restaurant             1           1          0            1
    """
    matches = keyword_matches(comments, keywords)
    table = matches.astype(np.int64)
    table.insert(0, "n_comments", 1)
    table["any_keyword"] = matches.any(axis=1).astype(np.int64)
    if by is None:
        total = table.sum(axis=0).to_frame("all").T
        total.index.name = "group"
        return total.astype(np.int64)
    if isinstance(by, (str, bytes)):
        raise TypeError("by must hold one group per comment (e.g. log['customer_type']), got a single string")
    if isinstance(by, pd.Series):
        if len(by) != len(table):
            raise ValueError(f"by must have one group per comment: got {len(by)} groups for {len(table)} comments")
        if isinstance(comments, pd.Series) and not by.index.equals(comments.index):
            raise ValueError("by and comments must have the same index (the same complaints in the same order)")
        name = by.name if by.name is not None else "group"
        groups = pd.Series(by.to_numpy(), index=table.index, name=name, dtype=by.dtype)
    elif isinstance(by, pd.Categorical):
        if len(by) != len(table):
            raise ValueError(f"by must have one group per comment: got {len(by)} groups for {len(table)} comments")
        groups = pd.Series(by, index=table.index, name="group")
    else:
        try:
            values = list(by)
        except TypeError:
            raise TypeError(f"by must be a Series or a sequence of group labels, got {type(by).__name__}") from None
        if len(values) != len(table):
            raise ValueError(f"by must have one group per comment: got {len(values)} groups for {len(table)} comments")
        groups = pd.Series(values, index=table.index, name="group")
    if groups.isna().any():
        raise ValueError("by must not contain missing values; fill or drop them first")
    counts = table.groupby(groups, observed=False, sort=True).sum()
    counts.index.name = groups.name
    return counts.astype(np.int64)
