"""Tests of coursekit.models.loyalty: loyalty types, shares, the swing model, OLS and the H1-H3 test."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from coursekit.models import loyalty
from coursekit.models.loyalty import (
    LOYALTY_TYPES,
    READING_SWING_WEIGHTS,
    OLSResult,
    Swing,
    decision_table,
    loyalty_type,
    ols,
    satisfied_but_left,
    swing_effect,
    type_shares,
)

ITEMS = ["believes_brand_best", "reevaluates_often", "switching_hassle", "price_sensitivity"]


def _survey(rows):
    return pd.DataFrame(rows, columns=ITEMS)


def _rule_by_hand(belief, reeval, hassle, price, r=5, b=5, p=5, h=5):
    """The decision table of the docstring, one respondent at a time."""
    if reeval >= r:
        return "comparer"
    if belief >= b:
        return "advocate"
    if price >= p and hassle < h:
        return "comparer"
    return "user"


# --------------------------------------------------------------------------------------------
# decision table and loyalty types
# --------------------------------------------------------------------------------------------
def test_decision_table_lists_the_rules_with_thresholds():
    table = decision_table(reevaluate_cut=6, belief_cut=5.5, price_cut=4, hassle_cut=3)
    assert table.index.tolist() == [1, 2, 3, 4]
    assert table["loyalty_type"].tolist() == ["comparer", "advocate", "comparer", "user"]
    assert table.loc[1, "condition"] == "reevaluates_often >= 6"
    assert table.loc[2, "condition"] == "believes_brand_best >= 5.5"
    assert table.loc[3, "condition"] == "price_sensitivity >= 4 and switching_hassle < 3"


def test_each_rule_of_the_table_fires():
    survey = _survey(
        [
            [7, 6, 1, 1],  # re-evaluates often -> comparer even though convinced (rule 1)
            [6, 2, 1, 7],  # convinced, rarely re-evaluates -> advocate, price does not matter (rule 2)
            [2, 3, 2, 6],  # price-sensitive, no hassle -> comparer (rule 3)
            [2, 3, 6, 6],  # price-sensitive but held by hassle -> user (rule 4)
            [3, 1, 1, 1],  # nothing stands out -> user (rule 4)
        ]
    )
    result = loyalty_type(survey, with_rule=True)
    assert result["loyalty_type"].tolist() == ["comparer", "advocate", "comparer", "user", "user"]
    assert result["rule"].tolist() == [1, 2, 3, 4, 4]
    assert result["rule"].dtype == np.int64


def test_thresholds_are_inclusive_and_movable():
    survey = _survey([[4, 4, 4, 4], [5, 4, 4, 4]])
    assert loyalty_type(survey).tolist() == ["user", "advocate"]
    assert loyalty_type(survey, reevaluate_cut=4).tolist() == ["comparer", "comparer"]
    assert loyalty_type(survey, belief_cut=4).tolist() == ["advocate", "advocate"]
    assert loyalty_type(survey, price_cut=4).tolist() == ["comparer", "advocate"]
    assert loyalty_type(survey, price_cut=4, hassle_cut=4).tolist() == ["user", "advocate"]


def test_loyalty_type_matches_the_rule_applied_row_by_row():
    grid = np.array(list(itertools.product(range(1, 8), repeat=4)), dtype=float)  # 2401 profiles
    survey = _survey(grid)
    for cuts in [(5, 5, 5, 5), (4, 6, 3, 2), (7, 1, 7, 7), (2.5, 3.5, 4.5, 5.5)]:
        got = loyalty_type(
            survey, reevaluate_cut=cuts[0], belief_cut=cuts[1], price_cut=cuts[2], hassle_cut=cuts[3]
        ).tolist()
        expected = [_rule_by_hand(b, r, h, p, *cuts) for b, r, h, p in grid]
        assert got == expected


def test_loyalty_type_output_is_categorical_and_keeps_the_index():
    survey = _survey([[7, 1, 1, 1], [1, 7, 1, 1]]).set_axis(["r1", "r2"])
    types = loyalty_type(survey)
    assert types.name == "loyalty_type"
    assert types.index.tolist() == ["r1", "r2"]
    assert isinstance(types.dtype, pd.CategoricalDtype)
    assert types.cat.categories.tolist() == list(LOYALTY_TYPES)


def test_loyalty_type_with_other_column_names():
    frame = pd.DataFrame({"best": [7], "reeval": [1], "hassle": [1], "price": [1]})
    got = loyalty_type(frame, believes_best="best", reevaluates="reeval", hassle="hassle", price="price")
    assert got.tolist() == ["advocate"]


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        ([[1, 1, 1, 1]], {}, TypeError, "frame must be a pandas DataFrame, got list"),
        (_survey([]), {}, ValueError, "frame must hold at least one row"),
        (_survey([[1, 1, 1, 1]]).drop(columns="price_sensitivity"), {}, ValueError,
         r"price='price_sensitivity' is not a column of the frame"),
        (_survey([[1, np.nan, 1, 1]]), {}, ValueError,
         r"column 'reevaluates_often' \(reevaluates\) must not hold missing values, got 1"),
        (_survey([[0, 1, 1, 1]]), {}, ValueError,
         r"column 'believes_brand_best' \(believes_best\) must lie on the 1-7 scale, got 0"),
        (_survey([[1, 1, 8, 1]]), {}, ValueError,
         r"column 'switching_hassle' \(hassle\) must lie on the 1-7 scale, got 8"),
        (_survey([[1, 1, 1, np.inf]]), {}, ValueError, "must hold finite numbers"),
        (pd.DataFrame({c: ["high"] for c in ITEMS}), {}, TypeError, "must hold numbers, got dtype"),
        (_survey([[1, 1, 1, 1]]), {"belief_cut": 0}, ValueError, r"belief_cut must be in \[1, 7\], got 0"),
        (_survey([[1, 1, 1, 1]]), {"price_cut": 7.5}, ValueError, r"price_cut must be in \[1, 7\], got 7.5"),
        (_survey([[1, 1, 1, 1]]), {"hassle_cut": np.nan}, ValueError, "hassle_cut must be a number, got NaN"),
        (_survey([[1, 1, 1, 1]]), {"reevaluate_cut": [5, 6]}, TypeError, "reevaluate_cut must be a single number"),
        (_survey([[1, 1, 1, 1]]), {"reevaluate_cut": "5"}, TypeError, "reevaluate_cut must be a number"),
        (_survey([[1, 1, 1, 1]]), {"with_rule": "yes"}, TypeError, "with_rule must be True or False"),
        (_survey([[1, 1, 1, 1]]), {"price": 3}, TypeError, r"price must be a column name \(a non-empty str\)"),
    ],
)
def test_loyalty_type_errors(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        loyalty_type(frame, **kwargs)


def test_decision_table_errors():
    with pytest.raises(ValueError, match=r"reevaluate_cut must be in \[1, 7\], got 0.5"):
        decision_table(reevaluate_cut=0.5)
    with pytest.raises(TypeError, match="hassle_cut must be a number"):
        decision_table(hassle_cut=None)


# --------------------------------------------------------------------------------------------
# type shares
# --------------------------------------------------------------------------------------------
def test_type_shares_by_industry_column():
    frame = pd.DataFrame(
        {
            "loyalty_type": ["advocate", "comparer", "comparer", "user", "comparer", "advocate", "comparer"],
            "industry": ["retail", "retail", "mobile", "mobile", "mobile", "retail", "retail"],
        }
    )
    shares = type_shares(frame)
    assert shares.columns.tolist() == list(LOYALTY_TYPES)
    assert shares.index.tolist() == ["mobile", "retail"]
    assert shares.index.name == "industry"
    assert_allclose(shares.loc["mobile"].to_numpy(), [0, 1 / 3, 2 / 3])
    assert_allclose(shares.loc["retail"].to_numpy(), [0.5, 0, 0.5])
    assert_allclose(shares.sum(axis=1), 1.0)
    counts = type_shares(frame, normalize=False)
    assert counts.loc["mobile"].tolist() == [0, 1, 2]
    assert counts.dtypes.unique().tolist() == [np.dtype("int64")]


def test_type_shares_from_series_with_labels_and_overall():
    types = pd.Series(["user", "user", "comparer", "advocate"], index=[10, 11, 12, 13])
    overall = type_shares(types, by=None)
    assert overall.index.tolist() == ["all"]
    assert_allclose(overall.loc["all"].to_numpy(), [0.25, 0.5, 0.25])
    by_labels = type_shares(types, by=["a", "b", "a", "b"])
    assert_allclose(by_labels.loc["a"].to_numpy(), [0, 0.5, 0.5])
    by_series = type_shares(types, by=pd.Series(["x", "x", "y", "y"], index=types.index, name="region"))
    assert by_series.index.name == "region"
    assert_allclose(by_series.loc["y"].to_numpy(), [0.5, 0, 0.5])


def test_type_shares_accepts_loyalty_type_output():
    survey = _survey([[7, 1, 1, 1], [1, 7, 1, 1], [1, 1, 7, 1]])
    survey["industry"] = ["bank", "bank", "telecom"]
    survey["loyalty_type"] = loyalty_type(survey)
    shares = type_shares(survey)
    assert_allclose(shares.loc["bank"].to_numpy(), [0.5, 0, 0.5])
    assert_allclose(shares.loc["telecom"].to_numpy(), [0, 1, 0])


@pytest.mark.parametrize(
    ("types", "kwargs", "error", "match"),
    [
        (["user"], {}, TypeError, "types must be a pandas Series or DataFrame, got list"),
        (pd.DataFrame({"type": ["user"]}), {}, ValueError, "types must have a column 'loyalty_type'"),
        (pd.Series([], dtype=object), {"by": None}, ValueError, "types must hold at least one respondent"),
        (pd.Series(["user", "fan"]), {"by": None}, ValueError,
         "types must hold only 'advocate', 'user', 'comparer'; got 'fan'"),
        (pd.Series(["user"]), {}, ValueError, r"by='industry' names a column, but the data is a Series"),
        (pd.DataFrame({"loyalty_type": ["user"]}), {}, ValueError, r"by='industry' is not a column of the frame"),
        (pd.Series(["user", "user"]), {"by": ["a"]}, ValueError, r"by must have one label per row \(2\), got 1"),
        (pd.Series(["user", "user"]), {"by": ["a", None]}, ValueError, "by must not hold missing group labels"),
        (pd.Series(["user"]), {"by": 3}, TypeError, "by must be None, a column name or a sequence"),
        (pd.Series(["user"]), {"by": None, "normalize": 1}, TypeError, "normalize must be True or False"),
        (pd.Series(["user"], index=[5]), {"by": pd.Series(["a"])}, ValueError, "by must have the same index"),
    ],
)
def test_type_shares_errors(types, kwargs, error, match):
    with pytest.raises(error, match=match):
        type_shares(types, **kwargs)


# --------------------------------------------------------------------------------------------
# swing effect
# --------------------------------------------------------------------------------------------
SHARES = {"advocate": 0.30, "user": 0.25, "comparer": 0.45}


def test_swing_effect_hand_values():
    swing = swing_effect(SHARES, 1.0)
    assert isinstance(swing, Swing)
    assert swing.table.index.tolist() == list(LOYALTY_TYPES)
    assert_allclose(swing.table["weight"], [1, 1, 2])
    assert_allclose(swing.table["contribution"], [0.30, 0.25, 0.90])
    assert_allclose(swing.total, 1.45)
    # a drop of 2 points among comparers only: 0.45 * 2 * -2
    assert_allclose(swing_effect(SHARES, {"comparer": -2.0}).total, -1.8)
    # mixed shifts
    assert_allclose(swing_effect(SHARES, {"advocate": 1.0, "user": -1.0, "comparer": 0.5}).total, 0.30 - 0.25 + 0.45)


def test_swing_effect_comparers_count_twice_per_customer():
    # Same share, same shift: comparers move the outcome twice as much (the reading's claim).
    equal = {"advocate": 1 / 3, "user": 1 / 3, "comparer": 1 / 3}
    comparers = swing_effect(equal, {"comparer": 1.0}).total
    advocates = swing_effect(equal, {"advocate": 1.0}).total
    users = swing_effect(equal, {"user": 1.0}).total
    assert_allclose(comparers / advocates, 2.0)
    assert_allclose(comparers / users, 2.0)
    assert READING_SWING_WEIGHTS == {"advocate": 1.0, "user": 1.0, "comparer": 2.0}


def test_swing_effect_custom_weights_and_series_input():
    shares = pd.Series(SHARES)
    swing = swing_effect(shares, 2.0, weights=pd.Series({"advocate": 0.5, "user": 1.0, "comparer": 3.0}))
    assert_allclose(swing.total, 2 * (0.30 * 0.5 + 0.25 * 1.0 + 0.45 * 3.0))
    row = type_shares(pd.Series(["advocate", "comparer", "comparer", "user"]), by=None).loc["all"]
    assert_allclose(swing_effect(row, 1.0).total, 0.25 + 0.25 + 2 * 0.5)


@pytest.mark.parametrize(
    ("shares", "shift", "weights", "error", "match"),
    [
        ([0.3, 0.3, 0.4], 1.0, None, TypeError, "shares must be a mapping"),
        ({"advocate": 0.3, "user": 0.3}, 1.0, None, ValueError,
         r"shares must give a value for every type .* missing \['comparer'\]"),
        ({**SHARES, "fan": 0.0}, 1.0, None, ValueError, r"shares has unknown loyalty type\(s\) \['fan'\]"),
        ({"advocate": 0.5, "user": 0.5, "comparer": 0.5}, 1.0, None, ValueError, "shares must sum to 1"),
        ({"advocate": -0.1, "user": 0.6, "comparer": 0.5}, 1.0, None, ValueError,
         r"shares\['advocate'\] must be in \[0, inf\)"),
        ({"advocate": np.nan, "user": 0.5, "comparer": 0.5}, 1.0, None, ValueError, "must be a number, got NaN"),
        (SHARES, np.nan, None, ValueError, "attitude_shift must be a number, got NaN"),
        (SHARES, [1.0, 2.0], None, TypeError, "attitude_shift must be a number or a mapping"),
        (SHARES, {"fan": 1.0}, None, ValueError, "attitude_shift has unknown loyalty type"),
        (SHARES, 1.0, {"advocate": 1, "user": 1, "comparer": -2}, ValueError,
         r"weights\['comparer'\] must be in \[0, inf\)"),
        (SHARES, 1.0, {"advocate": 1, "user": 1}, ValueError, "weights must give a value for every type"),
        (SHARES, 1.0, {"advocate": 1, "user": 1, "comparer": [2]}, TypeError,
         r"weights\['comparer'\] must be a single number"),
    ],
)
def test_swing_effect_errors(shares, shift, weights, error, match):
    with pytest.raises(error, match=match):
        swing_effect(shares, shift, weights)


# --------------------------------------------------------------------------------------------
# OLS
# --------------------------------------------------------------------------------------------
def _simulated(n=200, seed=7):
    rng = np.random.default_rng(seed)
    x1 = rng.normal(4, 1.5, n)
    x2 = rng.normal(0, 1, n) + 0.3 * x1
    y = 1.5 + 0.8 * x1 - 0.5 * x2 + rng.normal(0, 1 + 0.3 * np.abs(x1 - 4), n)  # heteroskedastic
    return pd.DataFrame({"x1": x1, "x2": x2, "y": y})


def test_ols_simple_regression_by_hand():
    data = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [2.0, 4.1, 5.9, 8.2, 9.8]})
    fit = ols(data, "y", "x")
    # slope = Sxy / Sxx = 19.7 / 10; intercept = 6 - 1.97 * 3
    slope, intercept = 1.97, 6.0 - 1.97 * 3
    resid = data["y"] - intercept - slope * data["x"]
    s2 = float((resid**2).sum()) / 3
    se_slope = np.sqrt(s2 / 10)
    se_intercept = np.sqrt(s2 * (1 / 5 + 9 / 10))
    assert isinstance(fit, OLSResult)
    assert_allclose(fit.table["coef"], [intercept, slope])
    assert_allclose(fit.table["std_err"], [se_intercept, se_slope])
    assert_allclose(fit.table.loc["x", "t"], slope / se_slope)
    assert_allclose(fit.table.loc["x", "p_value"], 2 * stats.t.sf(slope / se_slope, 3))
    crit = stats.t.ppf(0.975, 3)
    interval = fit.table.loc["x", ["ci_low", "ci_high"]].to_numpy(float)
    assert_allclose(interval, [slope - crit * se_slope, slope + crit * se_slope])
    sst = float(((data["y"] - 6.0) ** 2).sum())
    assert_allclose(fit.r_squared, 1 - 3 * s2 / sst)
    assert_allclose(fit.adj_r_squared, 1 - (1 - fit.r_squared) * 4 / 3)
    assert_allclose(fit.sigma, np.sqrt(s2))
    assert (fit.n, fit.df_resid, fit.outcome, fit.predictors, fit.cov_type) == (5, 3, "y", ("x",), "classical")
    assert fit.table.index.tolist() == ["const", "x"]
    assert fit.table.index.name == "term"


def test_ols_matches_normal_equations_with_two_predictors():
    data = _simulated()
    fit = ols(data, "y", ["x1", "x2"], alpha=0.1)
    X = np.column_stack([np.ones(len(data)), data["x1"], data["x2"]])
    y = data["y"].to_numpy()
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    resid = y - X @ beta
    se = np.sqrt(np.diag(resid @ resid / (len(y) - 3) * xtx_inv))
    assert_allclose(fit.table["coef"], beta, rtol=1e-10)
    assert_allclose(fit.table["std_err"], se, rtol=1e-10)
    crit = stats.t.ppf(0.95, len(y) - 3)
    assert_allclose(fit.table["ci_high"] - fit.table["coef"], crit * se, rtol=1e-10)
    assert fit.alpha == 0.1


def test_ols_hc1_matches_the_sandwich_computed_row_by_row():
    data = _simulated(n=60, seed=3)
    fit = ols(data, "y", ["x1", "x2"], cov="HC1")
    X = np.column_stack([np.ones(len(data)), data["x1"], data["x2"]])
    y = data["y"].to_numpy()
    n, k = X.shape
    bread = np.linalg.inv(X.T @ X)
    resid = y - X @ (bread @ X.T @ y)
    meat = np.zeros((k, k))
    for i in range(n):
        meat += resid[i] ** 2 * np.outer(X[i], X[i])
    vcov = n / (n - k) * bread @ meat @ bread
    assert_allclose(fit.table["std_err"], np.sqrt(np.diag(vcov)), rtol=1e-10)
    assert fit.cov_type == "HC1"
    classical = ols(data, "y", ["x1", "x2"])
    assert_allclose(fit.table["coef"], classical.table["coef"])
    assert not np.allclose(fit.table["std_err"], classical.table["std_err"])


def test_ols_recovers_the_true_coefficients():
    fit = ols(_simulated(n=5000, seed=11), "y", ["x1", "x2"], cov="HC1")
    assert_allclose(fit.table["coef"], [1.5, 0.8, -0.5], atol=0.1)
    truth = np.array([1.5, 0.8, -0.5])
    assert ((fit.table["ci_low"] < truth) & (truth < fit.table["ci_high"])).all()


def test_ols_accepts_boolean_predictors():
    data = pd.DataFrame({"d": [True, False, True, False, True, False], "y": [3.0, 1.0, 3.2, 0.9, 2.8, 1.1]})
    fit = ols(data, "y", ["d"])
    assert_allclose(fit.table.loc["d", "coef"], (3.0 + 3.2 + 2.8) / 3 - (1.0 + 0.9 + 1.1) / 3)


XY = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 3, 2]})


@pytest.mark.parametrize(
    ("frame", "outcome", "predictors", "kwargs", "error", "match"),
    [
        ({"y": [1, 2]}, "y", ["x"], {}, TypeError, "frame must be a pandas DataFrame"),
        (XY, "y", [], {}, ValueError, "predictors must name at least one column"),
        (XY, "y", ["x", "x"], {}, ValueError, "predictors must be distinct"),
        (XY, "y", ["y"], {}, ValueError, "predictors must not include the outcome"),
        (XY, "y", ["const"], {}, ValueError, "must not include 'const'"),
        (XY, "y", {"x"}, {}, TypeError, "predictors must be a column name or a list"),
        (XY, "y", [1], {}, TypeError, "predictors must be a column name"),
        (XY, 5, ["x"], {}, TypeError, "outcome must be a column name"),
        (XY, "y", ["z"], {}, ValueError, r"predictors='z' is not a column"),
        (XY.assign(y=[1.0, np.nan, 2]), "y", ["x"], {}, ValueError, "must not hold missing values"),
        (XY.assign(x=["a", "b", "c"]), "y", ["x"], {}, TypeError, r"column 'x' \(predictors\) must hold numbers"),
        (XY.iloc[:2], "y", ["x"], {}, ValueError, r"more rows than coefficients \(2: .*\), got 2"),
        (
            pd.DataFrame({"x": [1.0, 2, 3, 4], "z": [2.0, 4, 6, 8], "y": [1.0, 3, 2, 5]}),
            "y",
            ["x", "z"],
            {},
            ValueError,
            r"are collinear: the design matrix .* has rank 2 < 3",
        ),
        (pd.DataFrame({"x": [1.0, 1, 1, 1], "y": [1.0, 3, 2, 5]}), "y", ["x"], {}, ValueError, "are collinear"),
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [2.0, 2, 2, 2]}), "y", ["x"], {}, ValueError,
         "outcome 'y' is constant"),
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [3.0, 5, 7, 9]}), "y", ["x"], {}, ValueError,
         "fit the outcome exactly"),
        (XY, "y", ["x"], {"cov": "HC3"}, ValueError, "cov must be one of 'classical', 'HC1'; got 'HC3'"),
        (XY, "y", ["x"], {"alpha": 1.0}, ValueError, r"alpha must be in \(0, 1\), got 1"),
        (XY, "y", ["x"], {"alpha": [0.05]}, TypeError, "alpha must be a single number"),
    ],
)
def test_ols_errors(frame, outcome, predictors, kwargs, error, match):
    with pytest.raises(error, match=match):
        ols(frame, outcome, predictors, **kwargs)


# --------------------------------------------------------------------------------------------
# H1-H3
# --------------------------------------------------------------------------------------------
def _survey_with_effects(h1, h2, h3, n=600, seed=5):
    rng = np.random.default_rng(seed)
    cv = rng.normal(5, 1, n)
    pv = rng.normal(5, 1, n)
    sat = 2 + h2 * cv + rng.normal(0, 1, n)
    rep = 1 + h1 * pv + h3 * sat + rng.normal(0, 1, n)
    return pd.DataFrame(
        {"perceived_value": pv, "customer_value": cv, "overall_satisfaction": sat, "repurchase_intention": rep}
    )


def test_all_three_hypotheses_supported_when_all_effects_are_positive():
    survey = _survey_with_effects(0.5, 0.6, 0.4)
    result = loyalty.retention_hypotheses(survey)
    assert result.index.tolist() == ["H1", "H2", "H3"]
    assert result.index.name == "hypothesis"
    assert result["supported"].tolist() == [True, True, True]
    assert result["supported"].dtype == bool
    assert result.loc["H1", "outcome"] == "repurchase_intention"
    assert result.loc["H2", "predictor"] == "customer_value"
    # the coefficients are those of the two regressions
    rep = ols(survey, "repurchase_intention", ["perceived_value", "overall_satisfaction"])
    sat = ols(survey, "overall_satisfaction", ["customer_value"])
    assert_allclose(result.loc["H1", "coefficient"], rep.table.loc["perceived_value", "coef"])
    assert_allclose(result.loc["H3", "p_value"], rep.table.loc["overall_satisfaction", "p_value"])
    assert_allclose(result.loc["H2", ["ci_low", "ci_high"]].to_numpy(float),
                    sat.table.loc["customer_value", ["ci_low", "ci_high"]].to_numpy(float))
    assert_allclose(result["coefficient"], [0.5, 0.6, 0.4], atol=0.12)


def test_absent_or_negative_effects_are_not_supported():
    result = loyalty.retention_hypotheses(_survey_with_effects(0.5, 0.6, 0.0))
    assert result["supported"].tolist() == [True, True, False]
    negative = loyalty.retention_hypotheses(_survey_with_effects(-0.5, 0.6, 0.4))
    assert negative.loc["H1", "p_value"] < 0.05  # significant, but in the wrong direction
    assert not negative.loc["H1", "supported"]


def test_retention_hypotheses_alpha_cov_and_column_names():
    survey = _survey_with_effects(0.5, 0.6, 0.4).rename(
        columns={
            "perceived_value": "pv",
            "customer_value": "cv",
            "overall_satisfaction": "sat",
            "repurchase_intention": "rep",
        }
    )
    result = loyalty.retention_hypotheses(
        survey, perceived_value="pv", customer_value="cv", satisfaction="sat", repurchase="rep", alpha=0.01, cov="HC1"
    )
    robust = ols(survey, "rep", ["pv", "sat"], cov="HC1", alpha=0.01)
    assert_allclose(result.loc["H3", "std_err"], robust.table.loc["sat", "std_err"])
    assert_allclose(result.loc["H3", "ci_low"], robust.table.loc["sat", "ci_low"])


def test_retention_hypotheses_errors():
    survey = _survey_with_effects(0.5, 0.6, 0.4)
    with pytest.raises(ValueError, match="must name distinct columns"):
        loyalty.retention_hypotheses(survey, customer_value="perceived_value")
    with pytest.raises(ValueError, match=r"predictors='perceived_value' is not a column"):
        loyalty.retention_hypotheses(survey.drop(columns="perceived_value"))
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        loyalty.retention_hypotheses(survey.to_dict())
    with pytest.raises(TypeError, match="satisfaction must be a column name"):
        loyalty.retention_hypotheses(survey, satisfaction=None)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\)"):
        loyalty.retention_hypotheses(survey, alpha=0)


# --------------------------------------------------------------------------------------------
# satisfied but left
# --------------------------------------------------------------------------------------------
CUSTOMERS = pd.DataFrame(
    {
        "overall_satisfaction": [7, 6, 5, 6, 2, 7, 4],
        "stayed_next_year": [True, False, True, False, False, True, False],
        "loyalty_type": ["advocate", "comparer", "user", "comparer", "comparer", "advocate", "user"],
    }
)


def test_satisfied_but_left_overall_and_by_type():
    assert_allclose(satisfied_but_left(CUSTOMERS), 2 / 5)
    assert_allclose(satisfied_but_left(CUSTOMERS, satisfied_threshold=6), 2 / 4)
    assert_allclose(satisfied_but_left(CUSTOMERS, satisfied_threshold=1), 4 / 7)
    table = satisfied_but_left(CUSTOMERS, by="loyalty_type")
    assert table.index.tolist() == ["advocate", "comparer", "user"]
    assert table["satisfied"].tolist() == [2, 2, 1]
    assert table["left"].tolist() == [0, 2, 0]
    assert_allclose(table["share_left"], [0, 1, 0])


def test_satisfied_but_left_by_labels_zero_one_flags_and_empty_groups():
    frame = CUSTOMERS.assign(stayed_next_year=CUSTOMERS["stayed_next_year"].astype(int))
    types = pd.Series(pd.Categorical(frame["loyalty_type"], categories=list(LOYALTY_TYPES)), name="loyalty_type")
    table = satisfied_but_left(frame, satisfied_threshold=6.5, by=types)
    assert table.index.tolist() == list(LOYALTY_TYPES)
    assert table["satisfied"].tolist() == [2, 0, 0]
    assert table.loc["advocate", "share_left"] == 0.0
    assert np.isnan(table.loc["comparer", "share_left"])  # no satisfied comparer: undefined
    renamed = frame.rename(columns={"overall_satisfaction": "sat", "stayed_next_year": "kept"})
    assert_allclose(satisfied_but_left(renamed, satisfaction="sat", stayed="kept"), 0.4)


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        (CUSTOMERS, {"satisfied_threshold": 8}, ValueError, "no customer has overall_satisfaction >= 8"),
        (CUSTOMERS, {"satisfied_threshold": np.nan}, ValueError, "satisfied_threshold must be a number, got NaN"),
        (CUSTOMERS, {"satisfied_threshold": [5]}, TypeError, "satisfied_threshold must be a single number"),
        (CUSTOMERS.assign(stayed_next_year=["yes"] * 7), {}, TypeError,
         r"column 'stayed_next_year' \(stayed\) must hold True/False"),
        (CUSTOMERS.assign(stayed_next_year=[1, 0, 2, 0, 1, 1, 0]), {}, TypeError, "must hold True/False"),
        (CUSTOMERS.assign(stayed_next_year=[True, None, True, False, False, True, False]), {}, ValueError,
         "must not hold missing values"),
        (CUSTOMERS.drop(columns="stayed_next_year"), {}, ValueError, "stayed='stayed_next_year' is not a column"),
        (CUSTOMERS.assign(overall_satisfaction=np.nan), {}, ValueError,
         r"\(satisfaction\) must not hold missing values"),
        (CUSTOMERS, {"by": "segment"}, ValueError, "by='segment' is not a column"),
        (CUSTOMERS.values, {}, TypeError, "frame must be a pandas DataFrame"),
    ],
)
def test_satisfied_but_left_errors(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        satisfied_but_left(frame, **kwargs)


def test_satisfied_but_left_by_a_numeric_column():
    # Regression: a numeric grouping column (e.g. survey waves) used to raise under pandas 3.
    frame = pd.DataFrame({"overall_satisfaction": [6, 7, 3, 6], "stayed_next_year": [True, False, True, True],
                          "wave": [1, 1, 2, 2]})
    table = loyalty.satisfied_but_left(frame, by="wave")
    assert table.index.tolist() == [1, 2]
    assert table["share_left"].tolist() == [0.5, 0.0]
