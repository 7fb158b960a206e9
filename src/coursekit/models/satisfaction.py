r"""Customer satisfaction (客户满意): disconfirmation, NPS, derived importance and IPA.

The measuring calculators of chapter 3:

* :func:`disconfirmation` and :func:`satisfaction_class` -- satisfaction
  (客户满意) as perceived performance compared with expectation (Kotler's
  definition), with the comparison inferred as the gap P - E (SERVQUAL-style;
  Oliver's 1980 model asks customers for it directly): below expectation
  leaves a customer dissatisfied, matching it satisfied, above it delighted
  (客户惊喜).
* :func:`nps` and :func:`nps_by` -- the Net Promoter Score with a confidence
  interval, overall and by segment.
* :func:`derived_importance` and :func:`ipa` -- which attributes drive
  satisfaction (derived from the data, not only stated) and the
  importance--performance grid that says where to act.

Complaints and response time, the tiered care plan and comment mining are in
:mod:`coursekit.models.care`.

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

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from coursekit._validate import (
    as_output,
    check_choice,
    check_confidence,
    check_finite_values,
    check_frame,
    check_number,
)

__all__ = [
    "SATISFACTION_CLASSES",
    "IPA_QUADRANTS",
    "NPSResult",
    "disconfirmation",
    "satisfaction_class",
    "nps",
    "nps_by",
    "derived_importance",
    "ipa",
]

#: Satisfaction classes of the expectation--disconfirmation model, worst first.
SATISFACTION_CLASSES: tuple[str, ...] = ("dissatisfied", "satisfied", "delighted")

#: Quadrants of the importance--performance grid (Martilla and James, 1977).
IPA_QUADRANTS: tuple[str, ...] = ("Concentrate here", "Keep up the good work", "Low priority", "Possible overkill")



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

    This is the *inferred* (subtractive) disconfirmation: expectation and
    perception are rated separately and subtracted, as in SERVQUAL
    (Parasuraman, Zeithaml and Berry, 1988).  Oliver (1980) measured
    disconfirmation *subjectively*, asking customers directly whether the
    experience was better or worse than expected; the two measures need not
    agree.

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
    .. [2] A. Parasuraman, V. A. Zeithaml and L. L. Berry, "SERVQUAL: A
       Multiple-Item Scale for Measuring Consumer Perceptions of Service
       Quality", Journal of Retailing 64(1), 12-40, 1988.

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
    conf = check_confidence(confidence)
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
    check_frame("frame", frame, [score], min_rows=1)
    keys = _check_by(frame, by)
    arr = _check_scores(f"frame[{score!r}]", frame[score], (0, 10), integer=True)
    conf = check_confidence(confidence)
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
    check_frame("frame", frame, [*columns, outcome], min_rows=1)
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
        i = check_finite_values("importance", imp)
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
