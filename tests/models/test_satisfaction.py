"""Tests of coursekit.models.satisfaction: hand-computed values, brute-force checks, the course data and every error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from coursekit.data import survey as sd
from coursekit.models.satisfaction import (
    IPA_QUADRANTS,
    SATISFACTION_CLASSES,
    NPSResult,
    derived_importance,
    disconfirmation,
    ipa,
    nps,
    nps_by,
    satisfaction_class,
)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return sd.load_survey()


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
        (
            lambda: disconfirmation(8, 5),
            ValueError,
            r"expectation must lie on the 1-7 scale \(values in \[1, 7\]\), got 8",
        ),
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
        (
            lambda: disconfirmation([5, np.nan], [5, 5]),
            ValueError,
            r"expectation must not contain missing values \(NaN\)",
        ),
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
        (
            lambda: disconfirmation(5, 5, scale=(7, 1)),
            ValueError,
            r"scale must be a pair \(lowest, highest\) with lowest < highest",
        ),
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
            [
                direct.promoters,
                direct.passives,
                direct.detractors,
                direct.nps,
                direct.se,
                direct.ci_low,
                direct.ci_high,
            ],
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
        (
            lambda: nps(pd.Series([9, 12], name="recommend")),
            ValueError,
            r"scores \(column 'recommend'\) must lie on the 0-10",
        ),
        (lambda: nps([]), ValueError, "scores must hold at least one answer"),
        (lambda: nps([[9, 10], [1, 2]]), ValueError, "scores must be one-dimensional"),
        (lambda: nps("9"), TypeError, "scores must hold numbers"),
        (lambda: nps([9, 10], confidence=1.0), ValueError, r"confidence must be in \(0, 1\), got 1"),
        (lambda: nps([9, 10], confidence=0), ValueError, r"confidence must be in \(0, 1\)"),
        (lambda: nps([9, 10], confidence=[0.9]), TypeError, "confidence must be a single number"),
        (lambda: nps_by([1, 2], "x"), TypeError, "frame must be a pandas DataFrame"),
        (lambda: nps_by(pd.DataFrame({"g": [1]}), "g"), ValueError, r"frame must have the column\(s\) \['recommend'\]"),
        (lambda: nps_by(pd.DataFrame({"recommend": [1]}), "g"), ValueError, "by must name columns of frame"),
        (
            lambda: nps_by(pd.DataFrame({"recommend": [1], "g": [None]}), "g"),
            ValueError,
            "by column 'g' must not contain missing",
        ),
        (
            lambda: nps_by(pd.DataFrame({"recommend": [1]}), []),
            TypeError,
            "by must be a column name or a non-empty list",
        ),
        (
            lambda: nps_by(pd.DataFrame({"recommend": [1, 20], "g": [1, 1]}), "g"),
            ValueError,
            r"frame\['recommend'\].*0-10 scale.*got 20",
        ),
        (lambda: nps_by(pd.DataFrame({"recommend": [], "g": []}), "g"), ValueError, "frame must hold at least one row"),
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
        (
            lambda f: derived_importance(f, ["a", "zz"], outcome="y"),
            ValueError,
            r"frame must have the column\(s\) \['zz'\]",
        ),
        (
            lambda f: derived_importance(f, "a", outcome="y"),
            TypeError,
            "attributes must be a list of column names or a mapping",
        ),
        (lambda f: derived_importance(f, [], outcome="y"), ValueError, "attributes must name at least one column"),
        (lambda f: derived_importance(f, ["a", "a"], outcome="y"), ValueError, "attributes must not repeat"),
        (
            lambda f: derived_importance(f, ["a"], outcome="y", method="ols"),
            ValueError,
            "method must be one of 'regression', 'correlation'; got 'ols'",
        ),
        (
            lambda f: derived_importance(f.assign(a=f["a"] + 7), ["a"], outcome="y"),
            ValueError,
            r"frame\['a'\] \(column 'a'\) must lie on the 1-7 scale",
        ),
        (
            lambda f: derived_importance(f, ["a"], outcome="y", outcome_scale=(0, 5)),
            ValueError,
            r"frame\['y'\] \(column 'y'\) must lie on the 0-5 scale",
        ),
        (
            lambda f: derived_importance(f.assign(a=np.nan), ["a"], outcome="y"),
            ValueError,
            "must not contain missing values",
        ),
        (
            lambda f: derived_importance(f.assign(a=4), ["a", "b"], outcome="y"),
            ValueError,
            "attribute column 'a' is constant",
        ),
        (
            lambda f: derived_importance(f.assign(y=4), ["a", "b"], outcome="y"),
            ValueError,
            "outcome column 'y' is constant",
        ),
        (lambda f: derived_importance(f.assign(c=f["a"]), ["a", "c"], outcome="y"), ValueError, "perfectly collinear"),
        (
            lambda f: derived_importance(f.head(4), ["a", "b", "c"], outcome="y"),
            ValueError,
            "more rows than attributes",
        ),
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
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "c": 2}),
            ValueError,
            r"missing from importance: \['b'\], missing from performance: \['c'\]",
        ),
        (
            lambda: ipa({"a": 4, "b": 8}, {"a": 1, "b": 2}),
            ValueError,
            r"performance must lie on the 1-7 scale \(values in \[1, 7\]\), got 8",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": np.nan}),
            ValueError,
            "importance must not contain missing values",
        ),
        (lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": np.inf}), ValueError, "importance must hold finite numbers"),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 9}, importance_scale=(1, 7)),
            ValueError,
            "importance must lie on the 1-7 scale",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs="midpoint"),
            ValueError,
            "crosshairs='midpoint' needs importance_scale",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs="centre"),
            ValueError,
            "crosshairs must be one of 'mean', 'median', 'midpoint'",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs=(1, 2, 3)),
            ValueError,
            "crosshairs must be 'mean', 'median', 'midpoint' or a pair",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": 1, "b": 2}, crosshairs=(np.nan, 2)),
            ValueError,
            r"crosshairs\[0\] must be a number",
        ),
        (lambda: ipa({"a": 4}, {"a": 1}), ValueError, "performance must cover at least two attributes"),
        (lambda: ipa([4, 5], {"a": 1, "b": 2}), TypeError, "performance must be a pandas Series or a mapping"),
        (lambda: ipa({"a": 4, "b": 5}, pd.DataFrame({"x": [1, 2]})), ValueError, "must have an 'importance' column"),
        (
            lambda: ipa(pd.Series([4, 5], index=["a", "a"]), {"a": 1}),
            ValueError,
            "performance must list each attribute once",
        ),
        (
            lambda: ipa({"a": 4, "b": 5}, {"a": True, "b": False}),
            TypeError,
            "importance must hold numbers, got booleans",
        ),
    ],
)
def test_ipa_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
