"""Tests of coursekit.models.satisfaction: hand-computed values, brute-force checks, the course data and every error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from coursekit.data import survey as sd
from coursekit.models.satisfaction import (CARE_ACTIONS, DEFAULT_RESPONSE_BANDS, IPA_QUADRANTS, SATISFACTION_CLASSES, NPSResult, care_plan_cost, derived_importance, disconfirmation, ipa, keyword_counts, keyword_matches, nps, nps_by, retention_by_response, satisfaction_class, wilson_interval)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return sd.load_survey()


@pytest.fixture(scope="module")
def complaints() -> pd.DataFrame:
    return sd.load_complaints()


# --------------------------------------------------------------------------
# disconfirmation and satisfaction classes
# --------------------------------------------------------------------------


def test_disconfirmation_values_and_types():
    assert disconfirmation(6, 4) == -2.0
    assert isinstance(disconfirmation(6, 4), float)
    assert_allclose(disconfirmation([5, 5, 5], [4, 5, 7]), [-1, 0, 2])
    # broadcasting: one expectation against several perceptions
    assert_allclose(disconfirmation(4, np.array([[1, 7], [4, 5]])), [[-3, 3], [0, 1]])
    # other scales
    assert disconfirmation(0, 10, scale=(0, 10)) == 10.0


def test_disconfirmation_keeps_pandas_labels():
    e = pd.Series([5, 6], index=[10, 11], name="e")
    p = pd.Series([6, 6], index=[10, 11], name="p")
    d = disconfirmation(e, p)
    assert isinstance(d, pd.Series) and d.name == "disconfirmation"
    assert d.index.tolist() == [10, 11] and d.tolist() == [1.0, 0.0]
    # only expectation is a Series: its index is kept
    assert disconfirmation(e, [7, 7]).index.tolist() == [10, 11]
    frame_e = pd.DataFrame({"quality_expectation": [5, 6], "speed_expectation": [4, 4]})
    frame_p = pd.DataFrame({"quality_perception": [6, 6], "speed_perception": [2, 7]})
    out = disconfirmation(frame_e, frame_p)
    assert out.columns.tolist() == ["quality_perception", "speed_perception"]
    assert_allclose(out.to_numpy(), [[1, -2], [0, 3]])


def test_satisfaction_class_boundaries():
    # default tolerance 0.5 with whole numbers: only equality is "satisfied"
    assert satisfaction_class(5, 4) == "dissatisfied"
    assert satisfaction_class(5, 5) == "satisfied"
    assert satisfaction_class(5, 6) == "delighted"
    # the tolerance edge counts as matching, also after floating-point noise (4.3 - 3.8 != 0.5 exactly)
    assert satisfaction_class(5.0, 5.5) == "satisfied"
    assert satisfaction_class(3.8, 4.3) == "satisfied"
    assert satisfaction_class(4.3, 3.8) == "satisfied"
    assert satisfaction_class(5.0, 5.51) == "delighted"
    assert satisfaction_class(5.0, 4.49) == "dissatisfied"
    # tolerance 0: any difference counts
    assert satisfaction_class(5.0, 5.1, tolerance=0) == "delighted"
    assert satisfaction_class(5.0, 5.0, tolerance=0) == "satisfied"
    # wide tolerance
    assert satisfaction_class([4, 4, 4], [1, 6, 7], tolerance=2.0).tolist() == [
        "dissatisfied",
        "satisfied",
        "delighted",
    ]


def test_satisfaction_class_pandas_are_ordered_categoricals():
    e = pd.Series([5, 6, 3])
    p = pd.Series([6, 6, 1], name="quality_perception")
    classes = satisfaction_class(e, p)
    assert classes.cat.ordered and classes.cat.categories.tolist() == list(SATISFACTION_CLASSES)
    assert classes.tolist() == ["delighted", "satisfied", "dissatisfied"]
    assert (classes > "satisfied").tolist() == [True, False, False]
    frame = satisfaction_class(pd.DataFrame({"a_e": [1, 7]}), pd.DataFrame({"a_p": [2, 7]}))
    assert frame.columns.tolist() == ["a_p"] and frame["a_p"].tolist() == ["delighted", "satisfied"]


def test_satisfaction_classes_on_the_survey(survey):
    e = survey[list(sd.EXPECTATION_COLUMNS.values())].to_numpy()
    p = survey[list(sd.PERCEPTION_COLUMNS.values())].to_numpy()
    classes = satisfaction_class(e, p)
    assert classes.shape == (len(survey), len(sd.ATTRIBUTES))
    # brute force: sign of the difference for whole numbers
    expected = np.array(SATISFACTION_CLASSES)[np.sign(p - e).astype(int) + 1]
    assert (classes == expected).all()
    # delighted respondents are more satisfied overall than dissatisfied ones (Oliver's model)
    mean_d = disconfirmation(e, p).mean(axis=1)
    overall = survey["overall_satisfaction"].to_numpy()
    assert overall[mean_d > 0].mean() > overall[mean_d < -1].mean() + 0.5


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: disconfirmation(8, 5), ValueError, r"expectation must lie on the 1-7 scale \(values in \[1, 7\]\), got 8"),
        (lambda: disconfirmation(5, 0), ValueError, r"perception must lie on the 1-7 scale .* got 0"),
        (lambda: disconfirmation(5, 11, scale=(0, 10)), ValueError, "perception must lie on the 0-10 scale"),
        (
            lambda: disconfirmation(pd.Series([5, 9], name="speed_expectation"), [5, 5]),
            ValueError,
            r"expectation \(column 'speed_expectation'\) must lie on the 1-7 scale",
        ),
        (
            lambda: disconfirmation(pd.DataFrame({"x": [1, 2], "y": [3, 0]}), 4),
            ValueError,
            r"expectation \(column 'y'\) must lie on the 1-7 scale .*got 0",
        ),
        (lambda: disconfirmation([5, np.nan], [5, 5]), ValueError, r"expectation must not contain missing values \(NaN\)"),
        (lambda: disconfirmation("5", 5), TypeError, "expectation must hold numbers on the 1-7 scale"),
        (lambda: disconfirmation(["a", "b"], [5, 5]), TypeError, "expectation must hold numbers"),
        (lambda: disconfirmation(True, 5), TypeError, "expectation must hold numbers"),
        (lambda: disconfirmation(np.array([True, False]), [5, 5]), TypeError, "got booleans"),
        (lambda: disconfirmation(pd.Series([True]), 5), TypeError, "got booleans"),
        (lambda: disconfirmation([1, 2, 3], [1, 2]), ValueError, "must have matching shapes, got .3,. and .2,."),
        (
            lambda: disconfirmation(pd.Series([1, 2], index=[0, 1]), pd.Series([1, 2], index=[1, 2])),
            ValueError,
            "must have the same index",
        ),
        (lambda: disconfirmation(5, 5, scale=(7, 1)), ValueError, r"scale must be a pair \(lowest, highest\) with lowest < highest"),
        (lambda: disconfirmation(5, 5, scale=7), TypeError, r"scale must be a pair \(lowest, highest\)"),
        (lambda: disconfirmation(5, 5, scale=(1, np.nan)), ValueError, r"scale\[1\] must be a number, got NaN"),
        (lambda: satisfaction_class(8, 5), ValueError, "expectation must lie on the 1-7 scale"),
        (lambda: satisfaction_class(5, 5, tolerance=-0.1), ValueError, r"tolerance must be in \[0, inf\), got -0.1"),
        (lambda: satisfaction_class(5, 5, tolerance=np.nan), ValueError, "tolerance must be a number, got NaN"),
        (lambda: satisfaction_class(5, 5, tolerance=[0.5, 1]), TypeError, "tolerance must be a single number"),
        (lambda: satisfaction_class(5, 5, tolerance="0.5"), TypeError, "tolerance must be a number"),
    ],
)
def test_disconfirmation_and_class_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------
# NPS
# --------------------------------------------------------------------------


def test_nps_hand_computed():
    # promoters 10, 9, 9, 10, 9 (5); passives 8, 7 (2); detractors 6, 3, 5 (3)
    result = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    assert isinstance(result, NPSResult)
    assert (result.promoters, result.passives, result.detractors, result.n) == (0.5, 0.2, 0.3, 10)
    assert_allclose(result.nps, 20.0)
    var = (0.5 + 0.3 - 0.2**2) / 10  # = 0.076
    se = 100 * math.sqrt(var)
    z = stats.norm.ppf(0.975)
    assert_allclose(result.se, se)
    assert_allclose([result.ci_low, result.ci_high], [20 - z * se, 20 + z * se])
    assert_allclose([result.ci_low, result.ci_high], [-34.0325, 74.0325], atol=1e-4)
    assert result.confidence == 0.95
    with pytest.raises(AttributeError):
        result.nps = 0.0  # frozen


def test_nps_variance_is_that_of_the_indicator_mean():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 11, 400)
    x = (scores >= 9).astype(float) - (scores <= 6)
    result = nps(scores, confidence=0.9)
    assert_allclose(result.nps, 100 * x.mean())
    assert_allclose(result.se, 100 * x.std(ddof=0) / math.sqrt(x.size))
    assert_allclose(result.ci_high - result.nps, stats.norm.ppf(0.95) * result.se)


def test_nps_edge_cases():
    everyone = nps([10, 9, 10])
    assert (everyone.nps, everyone.se, everyone.ci_low, everyone.ci_high) == (100.0, 0.0, 100.0, 100.0)
    assert nps([0]).nps == -100.0
    assert nps([7, 8]).nps == 0.0 and nps([7, 8]).se == 0.0
    # the interval is clipped to [-100, 100]
    near_top = nps([10] * 9 + [0])
    assert near_top.ci_high == 100.0 and near_top.ci_low < near_top.nps
    # whole-number floats and pandas integers are accepted
    assert nps(np.array([9.0, 6.0])).nps == 0.0
    assert nps(pd.Series([9, 6], dtype="Int64")).nps == 0.0


def test_nps_by_matches_nps_per_group(survey):
    table = nps_by(survey, "industry")
    assert table.index.tolist() == list(sd.INDUSTRIES)
    assert table.columns.tolist() == ["n", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"]
    for industry, row in table.iterrows():
        direct = nps(survey.loc[survey["industry"] == industry, "recommend"])
        assert row["n"] == direct.n
        assert_allclose(
            row[["promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"]].to_numpy(dtype=float),
            [direct.promoters, direct.passives, direct.detractors, direct.nps, direct.se, direct.ci_low, direct.ci_high],
        )
    assert table["n"].sum() == len(survey)
    two = nps_by(survey, ["industry", "customer_tier"], confidence=0.9)
    assert two.index.nlevels == 2 and two["n"].sum() == len(survey)
    one = two.loc[("retail", "gold")]
    sub = survey[(survey["industry"] == "retail") & (survey["customer_tier"] == "gold")]
    assert_allclose(one["nps"], nps(sub["recommend"]).nps)


def test_nps_on_the_survey(survey):
    result = nps(survey["recommend"])
    assert result.n == 1500
    assert_allclose(result.nps, -8.8, atol=1e-9)
    by_tier = nps_by(survey, "customer_tier")["nps"]
    assert by_tier["gold"] > by_tier["ordinary"]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: nps([9, 11]), ValueError, r"scores must lie on the 0-10 scale \(values in \[0, 10\]\), got 11"),
        (lambda: nps([-1, 5]), ValueError, "scores must lie on the 0-10 scale"),
        (lambda: nps([7.5, 9]), ValueError, "scores must hold whole numbers on the 0-10 scale, got 7.5"),
        (lambda: nps([9, np.nan]), ValueError, "scores must not contain missing values"),
        (lambda: nps(pd.Series([9, 12], name="recommend")), ValueError, r"scores \(column 'recommend'\) must lie on the 0-10"),
        (lambda: nps([]), ValueError, "scores must hold at least one answer"),
        (lambda: nps([[9, 10], [1, 2]]), ValueError, "scores must be one-dimensional"),
        (lambda: nps("9"), TypeError, "scores must hold numbers"),
        (lambda: nps([9, 10], confidence=1.0), ValueError, r"confidence must be in \(0, 1\), got 1"),
        (lambda: nps([9, 10], confidence=0), ValueError, r"confidence must be in \(0, 1\)"),
        (lambda: nps([9, 10], confidence=[0.9]), TypeError, "confidence must be a single number"),
        (lambda: nps_by([1, 2], "x"), TypeError, "frame must be a pandas DataFrame"),
        (lambda: nps_by(pd.DataFrame({"g": [1]}), "g"), ValueError, r"frame must have the column\(s\) \['recommend'\]"),
        (lambda: nps_by(pd.DataFrame({"recommend": [1]}), "g"), ValueError, "by must name columns of frame"),
        (lambda: nps_by(pd.DataFrame({"recommend": [1], "g": [None]}), "g"), ValueError, "by column 'g' must not contain missing"),
        (lambda: nps_by(pd.DataFrame({"recommend": [1]}), []), TypeError, "by must be a column name or a non-empty list"),
        (lambda: nps_by(pd.DataFrame({"recommend": [1, 20], "g": [1, 1]}), "g"), ValueError, r"frame\['recommend'\].*0-10 scale.*got 20"),
        (lambda: nps_by(pd.DataFrame({"recommend": [], "g": []}), "g"), ValueError, "frame must have at least one row"),
    ],
)
def test_nps_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------
# derived importance and IPA
# --------------------------------------------------------------------------


def _toy_ratings(n=200, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 8, (n, 3)).astype(float)
    y = np.clip(np.rint(1 + 0.5 * x[:, 0] + 0.2 * x[:, 1] + rng.normal(0, 0.5, n)), 1, 7)
    return pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "y": y})


def test_derived_importance_regression_brute_force():
    toy = _toy_ratings()
    result = derived_importance(toy, ["a", "b", "c"], outcome="y")
    x = toy[["a", "b", "c"]].to_numpy()
    y = toy["y"].to_numpy()
    design = np.column_stack([np.ones(len(y)), x])
    raw = np.linalg.solve(design.T @ design, design.T @ y)  # normal equations
    assert_allclose(result["coefficient"], raw[1:])
    assert_allclose(result.attrs["intercept"], raw[0])
    assert_allclose(result["importance"], raw[1:] * x.std(axis=0, ddof=1) / y.std(ddof=1))
    resid = y - design @ raw
    assert_allclose(result.attrs["r_squared"], 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))
    assert result["rank"].tolist() == [1, 2, 3]
    assert result.index.name == "attribute" and result.attrs["method"] == "regression" and result.attrs["n"] == 200


def test_derived_importance_correlation_brute_force():
    toy = _toy_ratings()
    result = derived_importance(toy, {"alpha": "a", "beta": "b", "gamma": "c"}, outcome="y", method="correlation")
    assert result.index.tolist() == ["alpha", "beta", "gamma"]
    r = [np.corrcoef(toy[c], toy["y"])[0, 1] for c in "abc"]
    assert_allclose(result["importance"], r)
    slopes = [np.polyfit(toy[c], toy["y"], 1)[0] for c in "abc"]
    assert_allclose(result["coefficient"], slopes)


def test_derived_importance_ties_share_a_rank():
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "y": [2, 3, 4, 5]})
    result = derived_importance(frame, ["a", "b"], outcome="y", method="correlation")
    assert result["rank"].tolist() == [1, 1]


def test_derived_importance_recovers_the_true_weights(survey):
    params = sd.load_survey_parameters()
    truth = pd.Series({a: params[f"weight_{a}"] for a in sd.ATTRIBUTES})
    result = derived_importance(survey, sd.PERCEPTION_COLUMNS)
    # the truly important attributes come first, in the true order
    assert result.sort_values("rank").index.tolist() == truth.sort_values(ascending=False).index.tolist()
    assert_allclose(result["coefficient"], truth[result.index], atol=0.05)
    # what respondents say ranks price first; the data rank it fifth of six
    stated = sd.load_stated_importance().set_index("attribute")
    assert stated["stated_rank"].idxmin() == "price_fairness"
    assert result.loc["price_fairness", "rank"] == 5
    # correlations (a halo links the perceptions) compress the spread
    corr = derived_importance(survey, sd.PERCEPTION_COLUMNS, method="correlation")["importance"]
    assert corr.min() / corr.max() > result["importance"].min() / result["importance"].max()


def test_h1_h2_h3_are_recovered(survey):
    params = sd.load_survey_parameters()
    rep = derived_importance(survey, ["perceived_value", "overall_satisfaction"], outcome="repurchase_intention")
    assert_allclose(rep.loc["perceived_value", "coefficient"], params["h1_perceived_value_to_repurchase"], atol=0.05)
    assert_allclose(rep.loc["overall_satisfaction", "coefficient"], params["h3_satisfaction_to_repurchase"], atol=0.05)
    sat = derived_importance(survey, ["customer_value"], outcome="overall_satisfaction")
    assert_allclose(sat.loc["customer_value", "coefficient"], params["h2_customer_value_to_satisfaction"], atol=0.05)
    # each is positive and clearly away from zero
    assert (rep["coefficient"] > 0.2).all() and sat["coefficient"].iloc[0] > 0.2


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda f: derived_importance(f, ["a", "zz"], outcome="y"), ValueError, r"frame must have the column\(s\) \['zz'\]"),
        (lambda f: derived_importance(f, "a", outcome="y"), TypeError, "attributes must be a list of column names or a mapping"),
        (lambda f: derived_importance(f, [], outcome="y"), ValueError, "attributes must name at least one column"),
        (lambda f: derived_importance(f, ["a", "a"], outcome="y"), ValueError, "attributes must not repeat"),
        (lambda f: derived_importance(f, ["a"], outcome="y", method="ols"), ValueError, "method must be one of 'regression', 'correlation'; got 'ols'"),
        (lambda f: derived_importance(f.assign(a=f["a"] + 7), ["a"], outcome="y"), ValueError, r"frame\['a'\] \(column 'a'\) must lie on the 1-7 scale"),
        (lambda f: derived_importance(f, ["a"], outcome="y", outcome_scale=(0, 5)), ValueError, r"frame\['y'\] \(column 'y'\) must lie on the 0-5 scale"),
        (lambda f: derived_importance(f.assign(a=np.nan), ["a"], outcome="y"), ValueError, "must not contain missing values"),
        (lambda f: derived_importance(f.assign(a=4), ["a", "b"], outcome="y"), ValueError, "attribute column 'a' is constant"),
        (lambda f: derived_importance(f.assign(y=4), ["a", "b"], outcome="y"), ValueError, "outcome column 'y' is constant"),
        (lambda f: derived_importance(f.assign(c=f["a"]), ["a", "c"], outcome="y"), ValueError, "perfectly collinear"),
        (lambda f: derived_importance(f.head(4), ["a", "b", "c"], outcome="y"), ValueError, "more rows than attributes"),
        (lambda f: derived_importance(f, ["a"], outcome="y", scale=(1,)), TypeError, "scale must be a pair"),
        (lambda f: derived_importance(f.to_dict(), ["a"], outcome="y"), TypeError, "frame must be a pandas DataFrame"),
    ],
)
def test_derived_importance_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(_toy_ratings())


def test_ipa_quadrants_hand_made():
    perf = pd.Series({"quality": 5.5, "speed": 4.0, "price": 3.5, "website": 6.0})  # mean 4.75
    imp = pd.Series({"website": 0.15, "price": 0.10, "speed": 0.35, "quality": 0.40})  # mean 0.25, other order
    table = ipa(perf, imp)
    assert table.index.tolist() == ["quality", "speed", "price", "website"]
    assert table["quadrant"].tolist() == [
        "Keep up the good work",
        "Concentrate here",
        "Low priority",
        "Possible overkill",
    ]
    assert table["quadrant"].cat.categories.tolist() == list(IPA_QUADRANTS)
    assert_allclose([table.attrs["performance_crosshair"], table.attrs["importance_crosshair"]], [4.75, 0.25])
    assert_allclose(table["importance"], [0.40, 0.35, 0.10, 0.15])


def test_ipa_crosshair_options():
    perf = {"a": 4.0, "b": 5.0, "c": 6.0}
    imp = {"a": 2.0, "b": 6.0, "c": 4.0}
    # a value on the cross-hair counts as high
    median = ipa(perf, imp, crosshairs="median")
    assert median["quadrant"].tolist() == ["Low priority", "Keep up the good work", "Keep up the good work"]
    midpoint = ipa(perf, imp, crosshairs="midpoint", importance_scale=(1, 7))
    assert (midpoint.attrs["performance_crosshair"], midpoint.attrs["importance_crosshair"]) == (4.0, 4.0)
    # a: performance 4 sits on the cross-hair (high), importance 2 is low
    assert midpoint["quadrant"].tolist() == ["Possible overkill", "Keep up the good work", "Keep up the good work"]
    explicit = ipa(perf, imp, crosshairs=(5.5, 5.0))
    assert explicit["quadrant"].tolist() == ["Low priority", "Concentrate here", "Possible overkill"]


def test_ipa_on_the_survey(survey):
    perf = survey[list(sd.PERCEPTION_COLUMNS.values())].mean().set_axis(list(sd.ATTRIBUTES))
    derived = ipa(perf, derived_importance(survey, sd.PERCEPTION_COLUMNS))
    assert derived.loc["after_sales", "quadrant"] == "Concentrate here"
    assert derived.loc["product_quality", "quadrant"] == "Keep up the good work"
    assert derived.loc["price_fairness", "quadrant"] == "Low priority"
    stated = sd.load_stated_importance().set_index("attribute")["stated_importance"]
    said = ipa(perf, stated, importance_scale=(1, 7))
    assert said.loc["price_fairness", "quadrant"] == "Concentrate here"
    # stated ratings crowd at the top: against scale midpoints everything looks fine
    crowded = ipa(perf, stated, crosshairs="midpoint", importance_scale=(1, 7))
    assert set(crowded["quadrant"]) == {"Keep up the good work"}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "c": 2}), ValueError, r"missing from importance: \['b'\], missing from performance: \['c'\]"),
        (lambda: ipa({"a": 4, "b": 8}, {"a": 1, "b": 2}), ValueError, r"performance must lie on the 1-7 scale \(values in \[1, 7\]\), got 8"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": np.nan}), ValueError, "importance must not contain missing values"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": np.inf}), ValueError, "importance must hold finite numbers"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 9}, importance_scale=(1, 7)), ValueError, "importance must lie on the 1-7 scale"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs="midpoint"), ValueError, "crosshairs='midpoint' needs importance_scale"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs="centre"), ValueError, "crosshairs must be one of 'mean', 'median', 'midpoint'"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs=(1, 2, 3)), ValueError, "crosshairs must be 'mean', 'median', 'midpoint' or a pair"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs=(np.nan, 2)), ValueError, r"crosshairs\[0\] must be a number"),
        (lambda: ipa({"a": 4}, {"a": 1}), ValueError, "performance must cover at least two attributes"),
        (lambda: ipa([4, 5], {"a": 1, "b": 2}), TypeError, "performance must be a pandas Series or a mapping"),
        (lambda: ipa({"a": 4, "b": 5}, pd.DataFrame({"x": [1, 2]})), ValueError, "must have an 'importance' column"),
        (lambda: ipa(pd.Series([4, 5], index=["a", "a"]), {"a": 1}), ValueError, "performance must list each attribute once"),
        (lambda: ipa({"a": 4, "b": 5}, {"a": True, "b": False}), TypeError, "importance must hold numbers, got booleans"),
    ],
)
def test_ipa_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------
# Wilson intervals and retention by response time
# --------------------------------------------------------------------------


def _wilson_by_roots(x, n, z):
    """The Wilson limits are the roots p of (x/n - p)^2 = z^2 p (1 - p) / n."""
    phat = x / n
    a = 1 + z**2 / n
    b = -(2 * phat + z**2 / n)
    c = phat**2
    roots = np.sort(np.roots([a, b, c]).real)
    return roots[0], roots[1]


@pytest.mark.parametrize(("x", "n"), [(7, 10), (1, 3), (608, 865), (50, 269), (0, 4), (5, 5)])
def test_wilson_interval_brute_force(x, n):
    low, high = wilson_interval(x, n)
    ref = _wilson_by_roots(x, n, stats.norm.ppf(0.975))
    assert_allclose([low, high], ref, atol=1e-9)
    assert 0.0 <= low <= x / n <= high <= 1.0


def test_wilson_interval_values_and_vectorisation():
    low, high = wilson_interval(7, 10)
    assert_allclose([low, high], [0.396778, 0.892209], atol=1e-6)
    lows, highs = wilson_interval(np.array([0, 7, 10]), 10, confidence=0.9)
    assert lows.shape == highs.shape == (3,)
    assert lows[0] == 0.0 and highs[2] == 1.0
    assert_allclose(lows[1], _wilson_by_roots(7, 10, stats.norm.ppf(0.95))[0])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((11, 10), ValueError, r"successes must not exceed n, got successes=11 > n=10"),
        ((-1, 10), ValueError, r"successes must be in \[0, inf\)"),
        ((1.5, 10), ValueError, "successes must hold whole numbers, got 1.5"),
        ((1, 0), ValueError, r"n must be in \[1, inf\), got 0"),
        ((1, 2.5), ValueError, "n must hold whole numbers"),
        ((np.nan, 2), ValueError, "successes must be a number, got NaN"),
        (("1", 2), TypeError, "successes must be a number"),
        (([1, 2], [3, 4, 5]), ValueError, "successes and n must broadcast together"),
        ((1, 2, 1.5), ValueError, r"confidence must be in \(0, 1\)"),
    ],
)
def test_wilson_interval_errors(args, error, match):
    with pytest.raises(error, match=match):
        wilson_interval(*args)


def test_retention_by_response_hand_computed():
    log = pd.DataFrame(
        {
            "response_hours": [0.0, 1, 4, 4.01, 24, 30, 72, 100, 500],
            "stayed": [True, True, False, True, True, False, False, False, True],
        }
    )
    table = retention_by_response(log)
    assert table.index.tolist() == ["0-4 h", "4-24 h", "24-72 h", "over 72 h"]
    assert table.index.name == "response_band"
    assert table["complaints"].tolist() == [3, 2, 2, 2]  # 0 and 4 fall in the first band, 24 and 72 close theirs
    assert table["stayed"].tolist() == [2, 2, 0, 1]
    assert_allclose(table["stay_rate"], [2 / 3, 1.0, 0.0, 0.5])
    low, high = wilson_interval(np.array([2, 2, 0, 1]), np.array([3, 2, 2, 2]))
    assert_allclose(table["ci_low"], low)
    assert_allclose(table["ci_high"], high)
    assert table["lower"].tolist() == [0, 4, 24, 72] and table["upper"].tolist()[-1] == math.inf


def test_retention_by_response_custom_bands_and_empty_band():
    log = pd.DataFrame({"hours": [0.5, 1.5, 2.5], "kept": [1, 0, 1]})
    table = retention_by_response(log, bands=[0, 1, 2, 3, 10], hours="hours", stayed="kept", confidence=0.8)
    assert table.index.tolist() == ["0-1 h", "1-2 h", "2-3 h", "3-10 h"]
    assert table["complaints"].tolist() == [1, 1, 1, 0]
    assert np.isnan(table.loc["3-10 h", ["stay_rate", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()
    assert_allclose(table["stay_rate"].iloc[:3], [1.0, 0.0, 1.0])
    assert DEFAULT_RESPONSE_BANDS == (0.0, 4.0, 24.0, 72.0, math.inf)


def test_quick_response_keeps_about_70_percent(complaints):
    table = retention_by_response(complaints)
    rates = table["stay_rate"].to_numpy()
    assert (np.diff(rates) < 0).all(), "the stay rate must fall band by band"
    quick = table.iloc[0]
    assert_allclose(quick["stay_rate"], sd.QUICK_RESPONSE_CLAIM, atol=0.03)
    assert quick["ci_low"] <= 0.70 <= quick["ci_high"]
    assert table.iloc[-1]["stay_rate"] < 0.3  # slow answers keep far fewer
    assert table["complaints"].sum() == len(complaints)
    # the model's expected rates tell the same story
    truth = sd.load_complaints_truth()
    band = pd.cut(complaints["response_hours"], [0, 4, 24, 72, np.inf], include_lowest=True)
    expected = truth["stay_probability"].groupby(band.to_numpy(), observed=True).mean().to_numpy()
    assert (np.diff(expected) < 0).all()
    assert_allclose(expected[0], 0.70, atol=0.03)


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        ({"response_hours": [1.0, -2.0], "stayed": [True, False]}, {}, ValueError, r"complaints\['response_hours'\] must hold response times >= 0 hours, got -2"),
        ({"response_hours": [1.0, np.nan], "stayed": [True, False]}, {}, ValueError, "must not contain missing values"),
        ({"response_hours": ["1", "x"], "stayed": [True, False]}, {}, TypeError, r"complaints\['response_hours'\] must hold numbers"),
        ({"response_hours": [1.0, 80.0], "stayed": [True, False]}, {"bands": (0, 4, 72)}, ValueError, r"must fall within the bands \[0, 72\], got 80"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, 2]}, {}, ValueError, r"complaints\['stayed'\] must hold booleans \(or 0/1\)"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, None]}, {}, ValueError, r"complaints\['stayed'\] must hold booleans"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": (0, 24, 4, np.inf)}, ValueError, "bands must be strictly increasing"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": (0, np.inf, 100)}, ValueError, "bands must be strictly increasing finite edges"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": (4,)}, ValueError, "bands must have at least two edges"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": (-1, 4)}, ValueError, "bands must be hours >= 0"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": "0-4"}, TypeError, "bands must be a sequence of band edges"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"bands": (0, "x")}, TypeError, r"bands must hold numbers \(hours\)"),
        ({"response_hours": [1.0, 2.0], "stayed": [True, False]}, {"confidence": 95}, ValueError, r"confidence must be in \(0, 1\)"),
        ({"hours": [1.0], "stayed": [True]}, {}, ValueError, r"complaints must have the column\(s\) \['response_hours'\]"),
    ],
)
def test_retention_by_response_errors(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        retention_by_response(pd.DataFrame(frame), **kwargs)


def test_retention_by_response_needs_a_frame():
    with pytest.raises(TypeError, match="complaints must be a pandas DataFrame"):
        retention_by_response({"response_hours": [1.0], "stayed": [True]})


# --------------------------------------------------------------------------
# Care plan
# --------------------------------------------------------------------------

PLAN = {
    "gold": {"customers": 100, "cost_per_customer": 800, "retention_without": 0.80, "retention_with": 0.92, "margin_per_retained": 9000},
    "silver": {"customers": 1000, "cost_per_customer": 60, "retention_without": 0.70, "retention_with": 0.75, "margin_per_retained": 1500},
    "ordinary": {"customers": 10000, "cost_per_customer": 2, "retention_without": 0.55, "retention_with": 0.56, "margin_per_retained": 150},
}


def test_care_plan_cost_hand_computed():
    table = care_plan_cost(PLAN)
    assert table.index.tolist() == ["gold", "silver", "ordinary", "total"]
    # gold: cost 100*800 = 80,000; extra 100*0.12 = 12; margin 12*9000 = 108,000; net 28,000
    assert_allclose(table.loc["gold"], [100, 80_000, 12, 80_000 / 12, 108_000, 28_000, 0.12 * 9000])
    # silver: 60,000; 50; 75,000; 15,000; break-even 0.05*1500 = 75 per customer
    assert_allclose(table.loc["silver"], [1000, 60_000, 50, 1200, 75_000, 15_000, 75])
    # ordinary: 20,000; 100; 15,000; -5,000; break-even 1.5 < cost 2
    assert_allclose(table.loc["ordinary"], [10_000, 20_000, 100, 200, 15_000, -5_000, 1.5])
    assert_allclose(table.loc["total"], [11_100, 160_000, 162, 160_000 / 162, 198_000, 38_000, 198_000 / 11_100])
    assert table.columns.tolist() == [
        "customers",
        "cost",
        "extra_retained",
        "cost_per_extra_retained",
        "retained_margin",
        "net_value",
        "break_even_cost_per_customer",
    ]
    # a tier pays when its care costs less than the break-even cost
    pays = table["net_value"].iloc[:3] > 0
    assert (pays == (table["break_even_cost_per_customer"].iloc[:3] > pd.Series({t: PLAN[t]["cost_per_customer"] for t in PLAN}))).all()


def test_care_plan_cost_frame_input_and_edge_cases():
    frame = pd.DataFrame(PLAN).T.assign(action=pd.Series(CARE_ACTIONS))
    table = care_plan_cost(frame, include_total=False)
    assert table.index.tolist() == ["gold", "silver", "ordinary"]
    assert_allclose(table["net_value"], [28_000, 15_000, -5_000])
    flat = care_plan_cost(
        {
            "free": {"customers": 10, "cost_per_customer": 0, "retention_without": 0.5, "retention_with": 0.5, "margin_per_retained": 10},
            "paid": {"customers": 10, "cost_per_customer": 1, "retention_without": 0.5, "retention_with": 0.5, "margin_per_retained": 10},
        }
    )
    assert np.isnan(flat.loc["free", "cost_per_extra_retained"])
    assert flat.loc["paid", "cost_per_extra_retained"] == math.inf
    assert flat.loc["total", "cost_per_extra_retained"] == math.inf
    loss = care_plan_cost({"g": {**PLAN["gold"], "margin_per_retained": -100}}, include_total=False)
    assert_allclose(loss.loc["g", "net_value"], -80_000 - 1_200)


@pytest.mark.parametrize(
    ("tiers", "kwargs", "error", "match"),
    [
        ({"gold": {**PLAN["gold"], "retention_with": 0.7}}, {}, ValueError, "retention_with must be >= retention_without.*tier 'gold' has 0.7 < 0.8"),
        ({"gold": {**PLAN["gold"], "retention_with": 1.2}}, {}, ValueError, r"tiers\['retention_with'\] must be in \[0, 1\], got 1.2"),
        ({"gold": {**PLAN["gold"], "customers": 0}}, {}, ValueError, r"tiers\['customers'\] must be in \(0, inf\), got 0"),
        ({"gold": {**PLAN["gold"], "cost_per_customer": -5}}, {}, ValueError, r"tiers\['cost_per_customer'\] must be in \[0, inf\)"),
        ({"gold": {**PLAN["gold"], "margin_per_retained": np.nan}}, {}, ValueError, r"tiers\['margin_per_retained'\] must be a number, got NaN"),
        ({"gold": {**PLAN["gold"], "margin_per_retained": "lots"}}, {}, TypeError, r"tiers\['margin_per_retained'\] must hold numbers"),
        ({"gold": {k: v for k, v in PLAN["gold"].items() if k != "customers"}}, {}, ValueError, r"missing \['customers'\]"),
        ({"total": PLAN["gold"]}, {}, ValueError, "must not include a tier called 'total'"),
        ({}, {}, ValueError, "tiers must hold at least one tier"),
        ({"gold": [1, 2]}, {}, TypeError, r"tiers\['gold'\] must be a mapping"),
        ([PLAN["gold"]], {}, TypeError, "tiers must be a pandas DataFrame or a mapping"),
        (PLAN, {"include_total": "yes"}, TypeError, "include_total must be True or False"),
    ],
)
def test_care_plan_cost_errors(tiers, kwargs, error, match):
    with pytest.raises(error, match=match):
        care_plan_cost(tiers, **kwargs)


def test_care_plan_cost_duplicate_tiers():
    frame = pd.DataFrame([PLAN["gold"], PLAN["gold"]], index=["gold", "gold"])
    with pytest.raises(ValueError, match="tiers must name each tier once"):
        care_plan_cost(frame)


# --------------------------------------------------------------------------
# Keyword mining
# --------------------------------------------------------------------------


def test_keyword_matches_case_insensitive_literal():
    texts = pd.Series(["Please sell SMALL ROLLS", "We need smaller rolls", "mini rolls (2x)", "a.b"], index=[5, 6, 7, 8])
    m = keyword_matches(texts, ["small roll", "smaller roll", "mini rolls (2x)", "a.b"])
    assert m.index.tolist() == [5, 6, 7, 8]
    assert m.to_numpy().tolist() == [
        [True, False, False, False],
        [False, True, False, False],
        [False, False, True, False],
        [False, False, False, True],
    ]
    assert m.dtypes.eq(bool).all()
    assert keyword_matches(["ab"], "A").iloc[0, 0]


def test_keyword_counts_by_group_brute_force():
    texts = ["small rolls please", "SMALL ROLLS and mini rolls", "late", "mini roll?", "nothing"]
    kinds = pd.Series(pd.Categorical(["hotel", "hotel", "office", "shop", "hotel"], categories=["hotel", "office", "shop", "home"]), name="kind")
    table = keyword_counts(texts, ["small roll", "mini roll"], by=kinds)
    assert table.index.tolist() == ["hotel", "office", "shop", "home"]  # every category, even unobserved ones
    assert table.index.name == "kind"
    assert table.to_dict("index") == {
        "hotel": {"n_comments": 3, "small roll": 2, "mini roll": 1, "any_keyword": 2},
        "office": {"n_comments": 1, "small roll": 0, "mini roll": 0, "any_keyword": 0},
        "shop": {"n_comments": 1, "small roll": 0, "mini roll": 1, "any_keyword": 1},
        "home": {"n_comments": 0, "small roll": 0, "mini roll": 0, "any_keyword": 0},
    }
    overall = keyword_counts(texts, ["small roll", "mini roll"])
    assert overall.index.tolist() == ["all"]
    assert overall.iloc[0].tolist() == [5, 2, 2, 3]
    plain = keyword_counts(texts, "late", by=["a", "b", "a", "b", "a"])
    assert plain.index.tolist() == ["a", "b"] and plain["late"].tolist() == [1, 0]
    cat = keyword_counts(texts, "late", by=pd.Categorical(list("xxyyx"), categories=["x", "y", "z"]))
    assert cat.index.tolist() == ["x", "y", "z"]


def test_keyword_mining_finds_the_small_roll_requests(complaints):
    truth = sd.load_complaints_truth()["small_roll_request"].to_numpy()
    found = keyword_matches(complaints["comment"], list(sd.SMALL_ROLL_PHRASES)).any(axis=1).to_numpy()
    recall = (found & truth).sum() / truth.sum()
    precision = (found & truth).sum() / found.sum()
    assert recall >= 0.9
    assert precision >= 0.75
    table = keyword_counts(complaints["comment"], list(sd.SMALL_ROLL_PHRASES), by=complaints["customer_type"])
    assert table["any_keyword"].idxmax() == "budget_hotel"
    share = table["any_keyword"] / table["n_comments"]
    assert share["budget_hotel"] > 5 * share.drop("budget_hotel").max()
    assert table["n_comments"].sum() == len(complaints)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: keyword_matches("small rolls", "small"), TypeError, "comments must be a sequence of texts"),
        (lambda: keyword_matches(["a", None], "a"), ValueError, "comments must not contain missing values"),
        (lambda: keyword_matches(["a", 3], "a"), TypeError, r"comments must hold texts \(str\)"),
        (lambda: keyword_matches(pd.Series([1, 2]), "a"), TypeError, r"comments must hold texts \(str\)"),
        (lambda: keyword_matches(42, "a"), TypeError, "comments must be a pandas Series or a list of texts"),
        (lambda: keyword_matches(["a"], []), ValueError, "keywords must hold at least one phrase"),
        (lambda: keyword_matches(["a"], ["a", " "]), ValueError, "keywords must be non-empty phrases"),
        (lambda: keyword_matches(["a"], ["Roll", "roll"]), ValueError, r"keywords must be distinct \(ignoring case\)"),
        (lambda: keyword_matches(["a"], ["a", 1]), TypeError, "keywords must be strings, got int 1"),
        (lambda: keyword_matches(["a"], 5), TypeError, "keywords must be a phrase or a list of phrases"),
        (lambda: keyword_matches(["a"], "any_keyword"), ValueError, "a name reserved for a column"),
        (lambda: keyword_counts(["a", "b"], "a", by=["x"]), ValueError, "by must have one group per comment: got 1 groups for 2"),
        (lambda: keyword_counts(["a", "b"], "a", by=pd.Series(["x"])), ValueError, "by must have one group per comment"),
        (lambda: keyword_counts(["a", "b"], "a", by=["x", None]), ValueError, "by must not contain missing values"),
        (lambda: keyword_counts(["a", "b"], "a", by="customer_type"), TypeError, "by must hold one group per comment"),
        (lambda: keyword_counts(["a", "b"], "a", by=5), TypeError, "by must be a Series or a sequence of group labels"),
        (
            lambda: keyword_counts(pd.Series(["a", "b"], index=[1, 2]), "a", by=pd.Series(["x", "y"], index=[0, 1])),
            ValueError,
            "by and comments must have the same index",
        ),
    ],
)
def test_keyword_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
