r"""Customer care and satisfaction (客户关怀与客户满意): measuring and acting on it.

The calculators of chapter 3:

* :func:`disconfirmation` and :func:`satisfaction_class` -- the
  expectation--disconfirmation view of satisfaction (客户满意): perceived
  performance below expectation leaves a customer dissatisfied, matching it
  satisfied, above it delighted.
* :func:`nps` and :func:`nps_by` -- the Net Promoter Score with a confidence
  interval, overall and by segment.
* :func:`derived_importance` and :func:`ipa` -- which attributes drive
  satisfaction (derived from the data, not only stated) and the
  importance--performance grid that says where to act.
* :func:`wilson_interval` and :func:`retention_by_response` -- how many
  complainers stay, by how fast the firm answered.
* :func:`care_plan_cost` -- the cost and payoff of care by customer tier.
* :func:`keyword_matches` and :func:`keyword_counts` -- simple mining of
  complaint comments.

Every function checks that survey scores lie on their scale and raises
:class:`ValueError` naming the argument (and the column) otherwise.  Word of
mouth is not recomputed here: :func:`coursekit.models.wom.word_of_mouth_reach` takes
the counts of satisfied and dissatisfied customers found with these tools.

Examples
--------
>>> from coursekit.models.wom import word_of_mouth_reach
>>> classes = satisfaction_class([5, 6, 4, 6], [4, 6, 6, 7])
>>> classes.tolist()
['dissatisfied', 'satisfied', 'delighted', 'delighted']
>>> unhappy = int((classes == "dissatisfied").sum())
>>> word_of_mouth_reach(len(classes) - unhappy, unhappy).net
-1.0

References
----------
.. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and Consequences of
   Satisfaction Decisions", Journal of Marketing Research 17(4), 460-469, 1980.
.. [2] F. F. Reichheld, "The One Number You Need to Grow", Harvard Business
   Review 81(12), 46-54, 2003.
.. [3] J. A. Martilla and J. C. James, "Importance-Performance Analysis",
   Journal of Marketing 41(1), 77-79, 1977.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from coursekit._validate import as_output, check_choice, check_number

__all__ = [
    "SATISFACTION_CLASSES",
    "IPA_QUADRANTS",
    "DEFAULT_RESPONSE_BANDS",
    "CARE_ACTIONS",
    "NPSResult",
    "disconfirmation",
    "satisfaction_class",
    "nps",
    "nps_by",
    "derived_importance",
    "ipa",
    "wilson_interval",
    "retention_by_response",
    "care_plan_cost",
    "keyword_matches",
    "keyword_counts",
]

#: Satisfaction classes of the expectation--disconfirmation model, worst first.
SATISFACTION_CLASSES: tuple[str, ...] = ("dissatisfied", "satisfied", "delighted")

#: Quadrants of the importance--performance grid (Martilla and James, 1977).
IPA_QUADRANTS: tuple[str, ...] = ("Concentrate here", "Keep up the good work", "Low priority", "Possible overkill")

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


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------


def _check_scale(name: str, scale) -> tuple[float, float]:
    """Return ``scale`` as ``(low, high)`` floats with ``low < high``."""
    if isinstance(scale, (str, bytes)) or not isinstance(scale, Sequence) or len(scale) != 2:
        raise TypeError(f"{name} must be a pair (lowest, highest) such as (1, 7), got {scale!r}")
    low = check_number(f"{name}[0]", scale[0])
    high = check_number(f"{name}[1]", scale[1])
    if not low < high:
        raise ValueError(f"{name} must be a pair (lowest, highest) with lowest < highest, got {scale!r}")
    return low, high


def _label(name: str, values) -> str:
    """Name an argument, adding the column name of a named Series."""
    if isinstance(values, pd.Series) and values.name is not None:
        return f"{name} (column {values.name!r})"
    return name


def _check_scores(name: str, values, scale: tuple[float, float], *, integer: bool = False) -> np.ndarray:
    """Return survey scores as a float array after checking type, NaN and scale.

    A DataFrame is checked column by column so that the message names the
    offending column.
    """
    low, high = scale
    if isinstance(values, pd.DataFrame):
        for column in values.columns:
            _check_scores(name, values[column].rename(column), scale, integer=integer)
        return values.to_numpy(dtype=float)
    label = _label(name, values)
    if isinstance(values, (bool, np.bool_)) or values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{label} must hold numbers on the {low:g}-{high:g} scale, got {type(values).__name__} {values!r}")
    if isinstance(values, pd.Series) and (values.dtype == bool or isinstance(values.dtype, pd.BooleanDtype)):
        raise TypeError(f"{label} must hold numbers on the {low:g}-{high:g} scale, got booleans")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{label} must hold numbers on the {low:g}-{high:g} scale, got {values!r}") from None
    if np.asarray(values).dtype == bool:
        raise TypeError(f"{label} must hold numbers on the {low:g}-{high:g} scale, got booleans")
    if np.isnan(arr).any():
        raise ValueError(f"{label} must not contain missing values (NaN); drop or impute them first")
    outside = (arr < low) | (arr > high)
    if outside.any():
        raise ValueError(
            f"{label} must lie on the {low:g}-{high:g} scale (values in [{low:g}, {high:g}]), "
            f"got {arr[outside].flat[0]:g}"
        )
    if integer:
        fractional = arr != np.round(arr)
        if fractional.any():
            raise ValueError(
                f"{label} must hold whole numbers on the {low:g}-{high:g} scale, got {arr[fractional].flat[0]:g}"
            )
    return arr


def _check_frame(name: str, frame, columns) -> None:
    """Check that ``frame`` is a non-empty DataFrame holding ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{name} must have the column(s) {absent}, got columns {frame.columns.tolist()}")
    if len(frame) == 0:
        raise ValueError(f"{name} must have at least one row, got an empty DataFrame")


def _finite_values(name: str, values) -> np.ndarray:
    """Return a Series or array of plain numbers as a float array (no booleans, NaN or inf)."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and (dtype == bool or isinstance(dtype, pd.BooleanDtype)):
        raise TypeError(f"{name} must hold numbers, got booleans")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold numbers, got {values!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain missing values (NaN); drop or impute them first")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers, got {arr[~np.isfinite(arr)].flat[0]:g}")
    return arr


def _check_confidence(confidence) -> float:
    """Check a confidence level in (0, 1) and return it as a float."""
    value = check_number("confidence", confidence, low=0.0, high=1.0, low_open=True, high_open=True)
    if np.ndim(value):
        raise TypeError(f"confidence must be a single number such as 0.95, got an array of shape {np.shape(value)}")
    return value


def _z(confidence: float) -> float:
    """Two-sided standard-normal quantile for ``confidence``."""
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def _pandas_like(result: np.ndarray, *candidates, name: str):
    """Wrap ``result`` like the first pandas input among ``candidates``."""
    for like in candidates:
        if isinstance(like, pd.DataFrame):
            return pd.DataFrame(result, index=like.index, columns=like.columns)
        if isinstance(like, pd.Series):
            return pd.Series(result, index=like.index, name=name)
    return as_output(result)


def _paired(expectation, perception, scale) -> tuple[np.ndarray, np.ndarray]:
    """Check expectation and perception scores and broadcast them together."""
    low_high = _check_scale("scale", scale)
    e = _check_scores("expectation", expectation, low_high)
    p = _check_scores("perception", perception, low_high)
    pandas_inputs = [x for x in (expectation, perception) if isinstance(x, (pd.Series, pd.DataFrame))]
    if len(pandas_inputs) == 2 and not pandas_inputs[0].index.equals(pandas_inputs[1].index):
        raise ValueError("expectation and perception must have the same index (the same respondents in the same order)")
    try:
        e, p = np.broadcast_arrays(e, p)
    except ValueError:
        raise ValueError(
            f"expectation and perception must have matching shapes, got {np.shape(e)} and {np.shape(p)}"
        ) from None
    return e, p


# --------------------------------------------------------------------------
# Expectation--disconfirmation
# --------------------------------------------------------------------------


def disconfirmation(expectation, perception, scale=(1, 7)):
    r"""Disconfirmation: perceived performance minus expectation.

    .. math:: d = P - E

    in scale points.  A negative :math:`d` means the experience fell short of
    what the customer expected (negative disconfirmation), a positive one that
    it exceeded it.

    Parameters
    ----------
    expectation : float, array_like, pandas.Series or pandas.DataFrame
        Expected performance, on ``scale``.
    perception : float, array_like, pandas.Series or pandas.DataFrame
        Perceived performance, on ``scale``; must broadcast against
        ``expectation``.
    scale : tuple of two numbers, default (1, 7)
        Lowest and highest possible score of the rating scale.

    Returns
    -------
    float, numpy.ndarray, pandas.Series or pandas.DataFrame
        :math:`P - E` in scale points: a float for scalar input; for pandas
        input a Series or DataFrame with the index (and column names) of
        ``perception``, or of ``expectation`` when only it is a pandas
        object; an array otherwise.

    Raises
    ------
    ValueError
        If a score is NaN or off the scale, the shapes do not match, two
        pandas inputs have different indexes, or ``scale`` is not increasing.
    TypeError
        If a score is not a number or ``scale`` is not a pair.

    References
    ----------
    .. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and
       Consequences of Satisfaction Decisions", Journal of Marketing Research
       17(4), 460-469, 1980.

    Examples
    --------
    >>> disconfirmation(6, 4)
    -2.0
    >>> disconfirmation([5, 5, 5], [4, 5, 7])
    array([-1.,  0.,  2.])
    """
    e, p = _paired(expectation, perception, scale)
    return _pandas_like(p - e, perception, expectation, name="disconfirmation")


def satisfaction_class(expectation, perception, tolerance=0.5, scale=(1, 7)):
    r"""Classify customers as dissatisfied, satisfied or delighted.

    With disconfirmation :math:`d = P - E` (:func:`disconfirmation`) and
    tolerance :math:`t`:

    * :math:`d < -t` -- ``"dissatisfied"`` (performance below expectation);
    * :math:`|d| \le t` -- ``"satisfied"`` (performance matches expectation);
    * :math:`d > t` -- ``"delighted"`` (performance above expectation).

    Differences within :math:`10^{-9}` of the tolerance count as matching, so
    that floating-point noise in averaged scores does not flip a class.

    Parameters
    ----------
    expectation, perception : float, array_like, pandas.Series or pandas.DataFrame
        Scores on ``scale`` (see :func:`disconfirmation`).
    tolerance : float, default 0.5
        Half-width of the "matching" zone, in scale points (finite, >= 0).
        With whole-number scores the default 0.5 means exactly equal scores
        are "satisfied".
    scale : tuple of two numbers, default (1, 7)
        Lowest and highest possible score.

    Returns
    -------
    str, numpy.ndarray, pandas.Series or pandas.DataFrame
        A class from :data:`SATISFACTION_CLASSES` for scalar input, an array
        of str for array input, or -- for pandas input -- a Series or
        DataFrame of ordered categoricals (dissatisfied < satisfied <
        delighted) labelled like ``perception`` (or ``expectation`` when only
        it is a pandas object).

    Raises
    ------
    ValueError
        If a score is NaN or off the scale, shapes do not match, or
        ``tolerance`` is negative or not finite.
    TypeError
        If a score or the tolerance is not a number.

    References
    ----------
    .. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and
       Consequences of Satisfaction Decisions", Journal of Marketing Research
       17(4), 460-469, 1980.
    .. [2] P. Kotler and K. L. Keller, *Marketing Management*, 15th ed.,
       Pearson, 2016 (satisfaction as performance relative to expectations).

    Examples
    --------
    >>> satisfaction_class(6, 4)
    'dissatisfied'
    >>> satisfaction_class([5, 5, 5], [4, 5, 7]).tolist()
    ['dissatisfied', 'satisfied', 'delighted']
    >>> satisfaction_class(5.2, 5.6, tolerance=0.5)
    'satisfied'
    """
    tol = check_number("tolerance", tolerance, low=0.0)
    if np.ndim(tol):
        raise TypeError(f"tolerance must be a single number, got an array of shape {np.shape(tol)}")
    e, p = _paired(expectation, perception, scale)
    d = np.round(p - e, 9)
    labels = np.select([d < -tol, d > tol], ["dissatisfied", "delighted"], "satisfied")
    dtype = pd.CategoricalDtype(list(SATISFACTION_CLASSES), ordered=True)
    for like in (perception, expectation):
        if isinstance(like, pd.DataFrame):
            return pd.DataFrame(labels, index=like.index, columns=like.columns).astype(dtype)
        if isinstance(like, pd.Series):
            return pd.Series(labels, index=like.index, name="satisfaction_class").astype(dtype)
    if labels.ndim == 0:
        return str(labels)
    return labels


# --------------------------------------------------------------------------
# Net Promoter Score
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NPSResult:
    """Result of :func:`nps`.

    Attributes
    ----------
    nps : float
        Net Promoter Score in points, from -100 to 100.
    promoters, passives, detractors : float
        Shares (0-1) of respondents scoring 9-10, 7-8 and 0-6.
    n : int
        Number of respondents.
    se : float
        Standard error of the score, in points.
    ci_low, ci_high : float
        Normal-approximation (Wald) confidence interval, in points, clipped to
        [-100, 100].
    confidence : float
        Confidence level of the interval.
    """

    nps: float
    promoters: float
    passives: float
    detractors: float
    n: int
    se: float
    ci_low: float
    ci_high: float
    confidence: float


def _nps_parts(promoters, detractors, n, z):
    """NPS, standard error and clipped Wald interval from shares (vectorised)."""
    diff = promoters - detractors
    var = np.maximum(promoters + detractors - diff**2, 0.0) / n
    se = 100.0 * np.sqrt(var)
    score = 100.0 * diff
    return score, se, np.maximum(score - z * se, -100.0), np.minimum(score + z * se, 100.0)


def nps(scores, confidence=0.95) -> NPSResult:
    r"""Net Promoter Score of 0-10 "likelihood to recommend" answers, with a CI.

    Respondents scoring 9-10 are promoters, 7-8 passives, 0-6 detractors.
    With shares :math:`p_+` and :math:`p_-` of promoters and detractors among
    :math:`n` respondents,

    .. math::

        \mathrm{NPS} = 100\,(p_+ - p_-), \qquad
        \widehat{\mathrm{Var}}(p_+ - p_-) = \frac{p_+ + p_- - (p_+ - p_-)^2}{n},

    the variance of the mean of the indicator :math:`x_i = [\text{promoter}] -
    [\text{detractor}] \in \{-1, 0, 1\}` under multinomial sampling.  The
    interval is :math:`\mathrm{NPS} \pm z_{(1+c)/2} \cdot 100 \sqrt{\widehat
    {\mathrm{Var}}}`, clipped to [-100, 100].

    Parameters
    ----------
    scores : array_like or pandas.Series
        Whole numbers from 0 to 10, one per respondent (at least one).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    NPSResult
        Score (points), the three shares, ``n``, standard error and interval.

    Raises
    ------
    ValueError
        If a score is missing, outside 0-10 or not whole, ``scores`` is empty
        or not one-dimensional, or ``confidence`` is outside (0, 1).
    TypeError
        If the scores are not numbers.

    Notes
    -----
    This Wald interval is simple and adequate for the hundreds of answers of a
    typical segment; Rocks (2016) finds adjusted-Wald and score intervals
    better for small samples and scores near -100 or 100.

    References
    ----------
    .. [1] F. F. Reichheld, "The One Number You Need to Grow", Harvard
       Business Review 81(12), 46-54, 2003.
    .. [2] B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The
       American Statistician 70(4), 365-372, 2016.

    Examples
    --------
    Five promoters, two passives and three detractors out of ten:

    >>> result = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    >>> result.nps, result.promoters, result.passives, result.detractors, result.n
    (20.0, 0.5, 0.2, 0.3, 10)
    >>> round(result.se, 2), round(result.ci_low, 2), round(result.ci_high, 2)
    (27.57, -34.03, 74.03)
    """
    label = _label("scores", scores)
    arr = _check_scores("scores", scores, (0, 10), integer=True)
    if arr.ndim != 1:
        raise ValueError(f"{label} must be one-dimensional (one answer per respondent), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{label} must hold at least one answer, got none")
    conf = _check_confidence(confidence)
    n = int(arr.size)
    promoters = float(np.count_nonzero(arr >= 9)) / n
    detractors = float(np.count_nonzero(arr <= 6)) / n
    passives = float(np.count_nonzero((arr >= 7) & (arr <= 8))) / n
    score, se, low, high = _nps_parts(promoters, detractors, n, _z(conf))
    return NPSResult(
        nps=float(score),
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        n=n,
        se=float(se),
        ci_low=float(low),
        ci_high=float(high),
        confidence=conf,
    )


def _check_by(frame: pd.DataFrame, by) -> list:
    """Return the grouping columns as a list, checking that they exist and are complete."""
    if isinstance(by, (str, numbers.Number)):
        keys = [by]
    elif isinstance(by, (list, tuple, pd.Index)):
        keys = list(by)
    else:
        keys = []
    if not keys:
        raise TypeError(f"by must be a column name or a non-empty list of column names, got {by!r}")
    absent = [k for k in keys if k not in frame.columns]
    if absent:
        raise ValueError(f"by must name columns of frame; {absent} not among {frame.columns.tolist()}")
    for key in keys:
        if frame[key].isna().any():
            raise ValueError(f"by column {key!r} must not contain missing values; fill or drop them first")
    return keys


def nps_by(frame, by, score="recommend", confidence=0.95) -> pd.DataFrame:
    r"""Net Promoter Score of each segment (industry, tier, ...), with CIs.

    For every group the score, shares and interval are computed exactly as in
    :func:`nps`.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    by : str or list of str
        Column(s) defining the segments; no missing values.
    score : str, default "recommend"
        Column of 0-10 likelihood-to-recommend answers.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per observed segment (sorted by the ``by`` columns; for
        categoricals in category order), columns ``n`` (int), ``promoters``,
        ``passives``, ``detractors`` (shares), ``nps``, ``se``, ``ci_low`` and
        ``ci_high`` (points).

    Raises
    ------
    ValueError
        If a column is missing, a score is missing, not whole or outside 0-10,
        a ``by`` column has missing values, or ``confidence`` is outside
        (0, 1).
    TypeError
        If ``frame`` is not a DataFrame or ``by`` is not a name or list.

    References
    ----------
    .. [1] F. F. Reichheld, "The One Number You Need to Grow", Harvard
       Business Review 81(12), 46-54, 2003.
    .. [2] B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The
       American Statistician 70(4), 365-372, 2016.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"shop": ["a", "a", "a", "b", "b"], "recommend": [10, 9, 3, 7, 10]})
    >>> nps_by(answers, "shop")[["n", "nps"]].round(2)
          n    nps
    shop
    a     3  33.33
    b     2  50.00
    """
    _check_frame("frame", frame, [score])
    keys = _check_by(frame, by)
    arr = _check_scores(f"frame[{score!r}]", frame[score], (0, 10), integer=True)
    conf = _check_confidence(confidence)
    indicators = pd.DataFrame(
        {"promoter": (arr >= 9).astype(float), "detractor": (arr <= 6).astype(float)}, index=frame.index
    )
    grouped = indicators.groupby([frame[k] for k in keys], observed=True, sort=True)
    table = grouped.agg(n=("promoter", "size"), promoters=("promoter", "mean"), detractors=("detractor", "mean"))
    n = table["n"].to_numpy(dtype=float)
    promoters = table["promoters"].to_numpy()
    detractors = table["detractors"].to_numpy()
    score_, se, low, high = _nps_parts(promoters, detractors, n, _z(conf))
    return pd.DataFrame(
        {
            "n": table["n"].astype(np.int64),
            "promoters": promoters,
            "passives": 1.0 - promoters - detractors,
            "detractors": detractors,
            "nps": score_,
            "se": se,
            "ci_low": low,
            "ci_high": high,
        },
        index=table.index,
    )


# --------------------------------------------------------------------------
# Derived importance and importance--performance analysis
# --------------------------------------------------------------------------


def _attribute_columns(attributes) -> tuple[list, list]:
    """Return (labels, columns) from a sequence of columns or a label -> column mapping."""
    if isinstance(attributes, Mapping):
        labels, columns = list(attributes.keys()), list(attributes.values())
    elif isinstance(attributes, (str, bytes)) or not isinstance(attributes, (Sequence, pd.Index, np.ndarray)):
        raise TypeError(
            f"attributes must be a list of column names or a mapping label -> column, got {attributes!r}"
        )
    else:
        labels = columns = list(attributes)
    if not columns:
        raise ValueError("attributes must name at least one column, got none")
    if len(set(columns)) != len(columns) or len(set(labels)) != len(labels):
        raise ValueError(f"attributes must not repeat a column or label, got {attributes!r}")
    return labels, columns


def derived_importance(
    frame,
    attributes,
    outcome="overall_satisfaction",
    method="regression",
    scale=(1, 7),
    outcome_scale=(1, 7),
) -> pd.DataFrame:
    r"""Importance of attributes derived from their link with an outcome.

    Customers' *stated* importance often says that everything matters, price
    most.  Derived importance asks the data instead: how strongly does each
    attribute's rating move the overall outcome?

    * ``method="regression"`` -- standardised coefficients of the multiple
      regression of the outcome on all attributes,
      :math:`\beta^{\mathrm{std}}_j = b_j \, s_{x_j} / s_y`, where
      :math:`b` solves the least-squares problem
      :math:`\min_b \lVert y - b_0 - X b \rVert^2`
      (:func:`numpy.linalg.lstsq` on standardised data).  Each coefficient is
      the effect of one attribute holding the others fixed.
    * ``method="correlation"`` -- Pearson correlations :math:`r_j` of each
      attribute with the outcome.  Correlated attributes (a "halo") share
      credit, so correlations spread importance more evenly.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    attributes : list of str or mapping
        Columns of the attribute ratings; or a mapping ``label -> column``
        (e.g. :data:`coursekit.data.survey.PERCEPTION_COLUMNS`) to label the
        result by attribute.
    outcome : str, default "overall_satisfaction"
        Column of the outcome (overall satisfaction, repurchase intention...).
    method : {"regression", "correlation"}, default "regression"
        How to derive importance.
    scale : tuple of two numbers, default (1, 7)
        Scale of the attribute ratings.
    outcome_scale : tuple of two numbers, default (1, 7)
        Scale of the outcome.

    Returns
    -------
    pandas.DataFrame
        Indexed by attribute label (index name ``attribute``), in the order
        given, with columns

        * ``importance`` -- standardised coefficient or correlation
          (dimensionless);
        * ``coefficient`` -- the unstandardised slope in outcome points per
          attribute point (multiple-regression slope, or the simple-regression
          slope :math:`r_j s_y / s_{x_j}` for ``"correlation"``);
        * ``rank`` -- 1 for the most important (largest ``importance``).

        ``attrs`` holds ``method``, ``n``, and for regression the
        ``intercept`` (outcome points) and ``r_squared``.

    Raises
    ------
    ValueError
        If a column is missing, a rating is missing or off its scale, an
        attribute is constant, there are too few rows (regression needs more
        rows than attributes + 1) or the attributes are perfectly collinear.
    TypeError
        If ``frame`` is not a DataFrame or ``attributes`` is not a list or
        mapping.

    Notes
    -----
    The same regression tests the retention hypotheses of chapter 4:
    ``derived_importance(survey, ["perceived_value", "overall_satisfaction"],
    outcome="repurchase_intention")["coefficient"]`` estimates H1 and H3.

    References
    ----------
    .. [1] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance
       in a Service Satisfaction Model", Journal of Service Research 7(2),
       124-141, 2004.
    .. [2] D. R. Bacon, "A Comparison of Approaches to Importance-Performance
       Analysis", International Journal of Market Research 45(1), 55-71,
       2003.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"quality": [1, 2, 3, 4, 5, 6, 7, 4],
    ...                     "price": [4, 4, 5, 3, 4, 5, 3, 4],
    ...                     "overall": [2, 2, 4, 4, 5, 7, 6, 4]})
    >>> derived_importance(toy, ["quality", "price"], outcome="overall").round(3)
               importance  coefficient  rank
    attribute
    quality         0.993        0.870     1
    price           0.296        0.685     2
    """
    labels, columns = _attribute_columns(attributes)
    _check_frame("frame", frame, [*columns, outcome])
    check_choice("method", method, ("regression", "correlation"))
    attr_scale = _check_scale("scale", scale)
    out_scale = _check_scale("outcome_scale", outcome_scale)
    x = np.column_stack([_check_scores(f"frame[{c!r}]", frame[c], attr_scale) for c in columns])
    y = _check_scores(f"frame[{outcome!r}]", frame[outcome], out_scale)
    n, k = x.shape
    sx = x.std(axis=0)
    sy = y.std()
    constant = [c for c, s in zip(columns, sx) if s == 0]
    if constant:
        raise ValueError(f"attribute column {constant[0]!r} is constant; its importance cannot be derived")
    if sy == 0:
        raise ValueError(f"outcome column {outcome!r} is constant; importance cannot be derived")
    zx = (x - x.mean(axis=0)) / sx
    zy = (y - y.mean()) / sy
    attrs: dict[str, object] = {"method": method, "n": n}
    if method == "regression":
        if n <= k + 1:
            raise ValueError(f"frame must have more rows than attributes + 1 for a regression, got {n} rows and {k} attributes")
        design = np.column_stack([np.ones(n), zx])
        solution, _, rank, _ = np.linalg.lstsq(design, zy, rcond=None)
        if rank < k + 1:
            raise ValueError(
                "attributes are perfectly collinear (one is a linear combination of others); drop one of them"
            )
        importance = solution[1:]
        fitted = design @ solution
        attrs["r_squared"] = float(1.0 - np.sum((zy - fitted) ** 2) / np.sum(zy**2))
        coefficient = importance * sy / sx
        attrs["intercept"] = float(y.mean() - coefficient @ x.mean(axis=0))
    else:
        importance = zx.T @ zy / n
        coefficient = importance * sy / sx
    result = pd.DataFrame(
        {"importance": importance, "coefficient": coefficient},
        index=pd.Index(labels, name="attribute"),
    )
    result["rank"] = result["importance"].rank(ascending=False, method="min").astype(np.int64)
    result.attrs.update(attrs)
    return result


def _per_attribute(name: str, values) -> pd.Series:
    """Return per-attribute values as a float Series (from a Series, mapping or importance table)."""
    if isinstance(values, pd.DataFrame):
        if "importance" not in values.columns:
            raise ValueError(f"{name} given as a DataFrame must have an 'importance' column, got {values.columns.tolist()}")
        values = values["importance"]
    if isinstance(values, Mapping):
        values = pd.Series(dict(values))
    if not isinstance(values, pd.Series):
        raise TypeError(
            f"{name} must be a pandas Series or a mapping indexed by attribute, got {type(values).__name__}"
        )
    if values.index.has_duplicates:
        raise ValueError(f"{name} must list each attribute once, got duplicates {values.index[values.index.duplicated()].tolist()}")
    if len(values) < 2:
        raise ValueError(f"{name} must cover at least two attributes, got {len(values)}")
    return values


def ipa(performance, importance, crosshairs="mean", performance_scale=(1, 7), importance_scale=None) -> pd.DataFrame:
    r"""Importance--performance analysis: which quadrant each attribute falls in.

    Each attribute is placed by its performance (e.g. mean perception) and its
    importance (derived or stated).  Cross-hairs split the plane into
    Martilla and James's four quadrants:

    ==================  ====================  ===========================
    importance          performance           quadrant
    ==================  ====================  ===========================
    high (>= cut)       low (< cut)           "Concentrate here"
    high (>= cut)       high (>= cut)         "Keep up the good work"
    low (< cut)         low (< cut)           "Low priority"
    low (< cut)         high (>= cut)         "Possible overkill"
    ==================  ====================  ===========================

    A value exactly on a cross-hair counts as high.

    Parameters
    ----------
    performance : pandas.Series or mapping
        Performance of each attribute on ``performance_scale`` (at least two
        attributes).
    importance : pandas.Series, mapping or DataFrame
        Importance of the same attributes; a DataFrame from
        :func:`derived_importance` is accepted (its ``importance`` column).
    crosshairs : {"mean", "median", "midpoint"} or tuple, default "mean"
        Where the cross-hairs go: the mean (or median) performance and
        importance over the attributes (data-centred grid); the midpoints of
        ``performance_scale`` and ``importance_scale`` (scale-centred grid);
        or explicit ``(performance_cut, importance_cut)``.
    performance_scale : tuple of two numbers, default (1, 7)
        Scale of the performance values.
    importance_scale : tuple of two numbers, optional
        Scale of the importance values (e.g. (1, 7) for stated ratings);
        required for ``crosshairs="midpoint"``; when given, importance values
        are checked against it.

    Returns
    -------
    pandas.DataFrame
        Indexed by attribute, in the order of ``performance``: columns
        ``performance``, ``importance`` (floats) and ``quadrant``
        (categorical in the order of :data:`IPA_QUADRANTS`).  ``attrs`` holds
        ``performance_crosshair`` and ``importance_crosshair``.

    Raises
    ------
    ValueError
        If the two inputs do not cover the same attributes, a value is
        missing or off its scale, or ``crosshairs`` is unknown or
        ``"midpoint"`` without ``importance_scale``.
    TypeError
        If an input is not a Series or mapping.

    Notes
    -----
    Martilla and James stressed that the grid shows *relative* positions and
    that placing the cross-hairs is a judgement; data-centred cross-hairs
    guarantee that attributes spread over the quadrants, scale-centred ones
    keep an absolute meaning (Bacon 2003 compares the approaches).  With
    stated importance, ratings crowd near the top of the scale, which is one
    reason to use derived importance.

    References
    ----------
    .. [1] J. A. Martilla and J. C. James, "Importance-Performance Analysis",
       Journal of Marketing 41(1), 77-79, 1977.
    .. [2] D. R. Bacon, "A Comparison of Approaches to Importance-Performance
       Analysis", International Journal of Market Research 45(1), 55-71,
       2003.

    Examples
    --------
    >>> import pandas as pd
    >>> perf = pd.Series({"quality": 5.5, "speed": 4.0, "price": 3.5, "website": 6.0})
    >>> imp = pd.Series({"quality": 0.40, "speed": 0.35, "price": 0.10, "website": 0.15})
    >>> ipa(perf, imp)["quadrant"].tolist()
    ['Keep up the good work', 'Concentrate here', 'Low priority', 'Possible overkill']
    >>> table = ipa(perf, imp, crosshairs="midpoint", importance_scale=(0, 1))
    >>> table.attrs["performance_crosshair"], table.attrs["importance_crosshair"]
    (4.0, 0.5)
    """
    perf = _per_attribute("performance", performance)
    imp = _per_attribute("importance", importance)
    missing = [a for a in perf.index if a not in imp.index]
    extra = [a for a in imp.index if a not in perf.index]
    if missing or extra:
        raise ValueError(
            f"performance and importance must cover the same attributes; "
            f"missing from importance: {missing}, missing from performance: {extra}"
        )
    imp = imp.reindex(perf.index)
    perf_scale = _check_scale("performance_scale", performance_scale)
    p = _check_scores("performance", perf, perf_scale)
    if importance_scale is None:
        i = _finite_values("importance", imp)
    else:
        i = _check_scores("importance", imp, _check_scale("importance_scale", importance_scale))
    if isinstance(crosshairs, str):
        check_choice("crosshairs", crosshairs, ("mean", "median", "midpoint"))
        if crosshairs == "mean":
            p_cut, i_cut = float(p.mean()), float(i.mean())
        elif crosshairs == "median":
            p_cut, i_cut = float(np.median(p)), float(np.median(i))
        else:
            if importance_scale is None:
                raise ValueError(
                    "crosshairs='midpoint' needs importance_scale, the scale of the importance values "
                    "(e.g. (1, 7) for stated ratings); derived importance has no scale midpoint, use 'mean'"
                )
            low, high = _check_scale("importance_scale", importance_scale)
            p_cut, i_cut = (perf_scale[0] + perf_scale[1]) / 2.0, (low + high) / 2.0
    elif isinstance(crosshairs, Sequence) and len(crosshairs) == 2:
        p_cut = check_number("crosshairs[0]", crosshairs[0])
        i_cut = check_number("crosshairs[1]", crosshairs[1])
    else:
        raise ValueError(
            f"crosshairs must be 'mean', 'median', 'midpoint' or a pair (performance_cut, importance_cut), got {crosshairs!r}"
        )
    high_imp = i >= i_cut
    high_perf = p >= p_cut
    quadrant = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        list(IPA_QUADRANTS[:3]),
        IPA_QUADRANTS[3],
    )
    result = pd.DataFrame(
        {
            "performance": p,
            "importance": i,
            "quadrant": pd.Categorical(quadrant, categories=list(IPA_QUADRANTS)),
        },
        index=pd.Index(perf.index, name="attribute"),
    )
    result.attrs.update({"performance_crosshair": p_cut, "importance_crosshair": i_cut})
    return result


# --------------------------------------------------------------------------
# Complaints: who stays after a complaint
# --------------------------------------------------------------------------


def wilson_interval(successes, n, confidence=0.95):
    r"""Wilson score confidence interval for a proportion.

    With :math:`\hat p = x / n` and :math:`z = z_{(1+c)/2}`:

    .. math::

        \frac{\hat p + \frac{z^2}{2n}}{1 + \frac{z^2}{n}}
        \pm \frac{z}{1 + \frac{z^2}{n}}
        \sqrt{\frac{\hat p (1 - \hat p)}{n} + \frac{z^2}{4 n^2}}.

    Unlike the plain normal interval it stays inside [0, 1] and behaves well
    for small :math:`n` and proportions near 0 or 1.

    Parameters
    ----------
    successes : int or array_like
        Number of successes :math:`x` (whole numbers, 0 <= x <= n).
    n : int or array_like
        Number of trials (whole numbers >= 1); broadcasts with ``successes``.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    tuple of (float or numpy.ndarray, float or numpy.ndarray)
        Lower and upper limits, as proportions.

    Raises
    ------
    ValueError
        If a count is negative, not whole, ``successes > n``, ``n < 1`` or
        ``confidence`` is outside (0, 1).
    TypeError
        If a count is not a number.

    References
    ----------
    .. [1] E. B. Wilson, "Probable Inference, the Law of Succession, and
       Statistical Inference", Journal of the American Statistical
       Association 22(158), 209-212, 1927.
    .. [2] A. Agresti and B. A. Coull, "Approximate Is Better than 'Exact' for
       Interval Estimation of Binomial Proportions", The American
       Statistician 52(2), 119-126, 1998.

    Examples
    --------
    >>> low, high = wilson_interval(7, 10)
    >>> round(low, 4), round(high, 4)
    (0.3968, 0.8922)
    >>> wilson_interval(0, 5)[0]
    0.0
    """
    x = check_number("successes", successes, low=0.0)
    m = check_number("n", n, low=1.0)
    for name, value in (("successes", x), ("n", m)):
        arr = np.asarray(value)
        if (arr != np.round(arr)).any():
            raise ValueError(f"{name} must hold whole numbers, got {arr[arr != np.round(arr)].flat[0]:g}")
    try:
        x_arr, m_arr = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    except ValueError:
        raise ValueError(f"successes and n must broadcast together, got shapes {np.shape(x)} and {np.shape(m)}") from None
    if (x_arr > m_arr).any():
        bad = np.flatnonzero((x_arr > m_arr).ravel())[0]
        raise ValueError(
            f"successes must not exceed n, got successes={x_arr.flat[bad]:g} > n={m_arr.flat[bad]:g}"
        )
    z = _z(_check_confidence(confidence))
    low, high = _wilson(x_arr, m_arr, z)
    return as_output(low), as_output(high)


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson limits for arrays with n >= 1 (no checks)."""
    p = x / n
    denom = 1.0 + z**2 / n
    centre = (p + z**2 / (2.0 * n)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / n + z**2 / (4.0 * n**2))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


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
    (:func:`wilson_interval`).

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
    _check_frame("complaints", complaints, [hours, stayed])
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
    h = _finite_values(f"complaints[{hours!r}]", complaints[hours])
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
    z = _z(_check_confidence(confidence))
    safe = np.maximum(count, 1).astype(float)
    low, high = _wilson(success, safe, z)
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
