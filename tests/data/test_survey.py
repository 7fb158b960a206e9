"""Tests of coursekit.data.survey: reproducible files, typed loaders, the planted effects, errors.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data import survey as sd
from coursekit.data.survey import (
    ATTRIBUTES,
    INDUSTRIES,
    LOYALTY_SHARES,
    LOYALTY_TYPES,
    SURVEY_COLUMNS,
    SURVEY_SCALES,
    SurveyData,
    make_survey,
    write_survey,
)

REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"
SURVEY_FILES = ["survey.csv", "survey_importance.csv", "survey_truth.csv", "survey_truth_parameters.csv"]
STR = pd.Series(["x"]).astype("str").dtype


@pytest.fixture(scope="module")
def survey_data() -> SurveyData:
    return make_survey()


# --------------------------------------------------------------------------
# Reproducibility and files
# --------------------------------------------------------------------------


def test_same_seed_same_frames(survey_data):
    for a, b in zip(survey_data, make_survey(), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_seed_different_data():
    assert not make_survey(300, seed=1).survey["recommend"].equals(make_survey(300, seed=2).survey["recommend"])


def test_files_are_plain_csv(tmp_path):
    paths = write_survey(tmp_path, make_survey(30, seed=4))
    assert [p.name for p in paths] == SURVEY_FILES
    for path in paths:
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
    survey_lines = paths[0].read_text().splitlines()
    assert survey_lines[0] == ",".join(SURVEY_COLUMNS)
    assert len(survey_lines) == 31
    assert tuple(sd.SURVEY_TABLE.names) == SURVEY_COLUMNS


# --------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------


def test_loaders_return_what_the_generator_made(survey_data):
    pd.testing.assert_frame_equal(sd.load_survey(), survey_data.survey)
    pd.testing.assert_frame_equal(sd.load_stated_importance(), survey_data.stated_importance)
    pd.testing.assert_frame_equal(sd.load_survey_truth(), survey_data.truth)
    params = sd.load_survey_parameters()
    assert params.index.tolist() == survey_data.parameters["parameter"].tolist()
    assert_allclose(params.to_numpy(), survey_data.parameters["value"].to_numpy())
    assert params.attrs["description"]["h1_perceived_value_to_repurchase"].startswith("H1")


def test_loader_dtypes():
    survey = sd.load_survey()
    assert survey.columns.tolist() == list(SURVEY_COLUMNS)
    assert survey["respondent_id"].dtype == STR
    assert survey["industry"].cat.categories.tolist() == list(INDUSTRIES)
    assert survey["customer_tier"].cat.categories.tolist() == ["gold", "silver", "ordinary"]
    assert survey["tenure_years"].dtype == np.float64
    for column in SURVEY_SCALES:
        assert survey[column].dtype == np.int64, column
    assert survey["stayed_next_year"].dtype == bool
    truth = sd.load_survey_truth()
    assert truth["loyalty_type"].cat.categories.tolist() == list(LOYALTY_TYPES)


def test_loaders_return_fresh_frames():
    first = sd.load_survey()
    first.loc[0, "recommend"] = 0
    assert sd.load_survey().loc[0, "recommend"] == make_survey().survey.loc[0, "recommend"]


def _copy_with(tmp_path, name, old, new):
    text = (REPO_DATASETS / name).read_text()
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1))
    return tmp_path


def test_loaders_refuse_values_off_their_scale(tmp_path):
    header, first = (REPO_DATASETS / "survey.csv").read_text().splitlines()[:2]
    fields = first.split(",")
    fields[SURVEY_COLUMNS.index("recommend")] = "11"
    (tmp_path / "survey.csv").write_text(header + "\n" + ",".join(fields) + "\n")
    with pytest.raises(ValueError, match=r"column 'recommend' of survey.csv must lie in \[0, 10\]; got 11"):
        sd.load_survey(tmp_path)
    fields[SURVEY_COLUMNS.index("recommend")] = "7.5"
    (tmp_path / "survey.csv").write_text(header + "\n" + ",".join(fields) + "\n")
    with pytest.raises(ValueError, match="column 'recommend' of survey.csv must hold whole numbers; got 7.5"):
        sd.load_survey(tmp_path)
    fields[SURVEY_COLUMNS.index("recommend")] = "high"
    (tmp_path / "survey.csv").write_text(header + "\n" + ",".join(fields) + "\n")
    with pytest.raises(ValueError, match="column 'recommend' of survey.csv must hold numbers; got 'high'"):
        sd.load_survey(tmp_path)


@pytest.mark.parametrize(
    ("name", "old", "new", "loader", "match"),
    [
        ("survey.csv", ",retail,", ",grocery,", sd.load_survey, r"column 'industry' of survey.csv must hold only"),
        ("survey.csv", "stayed_next_year", "stayed", sd.load_survey, "survey.csv must have the columns"),
        ("survey_truth.csv", ",advocate,", ",fan,", sd.load_survey_truth, "column 'loyalty_type'"),
        ("survey_importance.csv", "6.21", "9.21", sd.load_stated_importance,
         r"column 'stated_importance' of survey_importance.csv must lie in \[1, 7\]"),
        ("survey_truth_parameters.csv", "0.3600", "n/a", sd.load_survey_parameters,
         "column 'value' of survey_truth_parameters.csv must hold numbers"),
    ],
)
def test_loaders_refuse_corrupt_files(tmp_path, name, old, new, loader, match):
    folder = _copy_with(tmp_path, name, old, new)
    with pytest.raises(ValueError, match=match):
        loader(folder)


def test_loaders_say_how_to_regenerate_a_missing_file(tmp_path):
    for loader in (sd.load_survey, sd.load_stated_importance, sd.load_survey_truth, sd.load_survey_parameters):
        with pytest.raises(FileNotFoundError, match="make data"):
            loader(tmp_path)
    with pytest.raises(TypeError, match="directory must be None or a non-empty str"):
        sd.load_survey(42)


# --------------------------------------------------------------------------
# Generator arguments
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: make_survey(0), ValueError, "n_respondents must be an integer >= 1, got 0"),
        (lambda: make_survey(10.5), ValueError, "n_respondents must be a whole number, got 10.5"),
        (lambda: make_survey("100"), TypeError, "n_respondents must be a whole number"),
        (lambda: make_survey(10, seed=-1), ValueError, "seed must be a non-negative integer, got -1"),
        (lambda: make_survey(10, seed=True), TypeError, "seed must be a non-negative integer"),
    ],
)
def test_generator_argument_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_writer_argument_errors(tmp_path):
    with pytest.raises(TypeError, match="data must be a SurveyData or None, got tuple"):
        write_survey(tmp_path, (1, 2, 3, 4))
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder, got the existing file"):
        write_survey(file)
    with pytest.raises(TypeError, match="directory must be a non-empty str or pathlib.Path"):
        write_survey(None)


# --------------------------------------------------------------------------
# The survey's structure and planted effects
# --------------------------------------------------------------------------


def test_survey_scores_lie_on_their_scales(survey_data):
    survey = survey_data.survey
    assert len(survey) == 1500 and survey["respondent_id"].is_unique
    for column, (low, high) in SURVEY_SCALES.items():
        assert survey[column].between(low, high).all(), column
        assert survey[column].nunique() >= 5, column  # answers spread over the scale
    assert (survey["tenure_years"] >= 0.1).all()


def test_loyalty_types_follow_the_industry_shares(survey_data):
    survey, truth = survey_data.survey, survey_data.truth
    shares = pd.crosstab(survey["industry"], truth["loyalty_type"], normalize="index")
    sizes = survey["industry"].value_counts()
    for industry in INDUSTRIES:
        for kind in LOYALTY_TYPES:
            # allocated exactly: off by less than one respondent
            assert abs(shares.loc[industry, kind] - LOYALTY_SHARES[industry][kind]) < 1 / sizes[industry]
    assert (shares["comparer"] > 0.40).all()  # the readings' "over 40 % in every industry"
    assert shares.loc["mobile_telecom", "comparer"] > 0.6 and shares.loc["online_shopping", "comparer"] > 0.6
    assert shares["user"].idxmax() in ("utilities", "insurance")


def test_loyalty_indicators_separate_the_types(survey_data):
    frame = survey_data.survey.assign(loyalty_type=survey_data.truth["loyalty_type"])
    means = frame.groupby("loyalty_type", observed=True)[
        ["believes_brand_best", "reevaluates_often", "switching_hassle", "price_sensitivity"]
    ].mean()
    assert means["believes_brand_best"].idxmax() == "advocate"
    assert means.loc["advocate", "reevaluates_often"] < 3 and means.loc["user", "reevaluates_often"] < 3
    assert means["switching_hassle"].idxmax() == "user"
    assert means["reevaluates_often"].idxmax() == "comparer" and means["price_sensitivity"].idxmax() == "comparer"


def test_satisfied_comparers_still_leave(survey_data):
    frame = survey_data.survey.assign(loyalty_type=survey_data.truth["loyalty_type"])
    satisfied = frame[frame["overall_satisfaction"] >= 6]
    stay = satisfied.groupby("loyalty_type", observed=True)["stayed_next_year"].mean()
    assert stay["comparer"] < stay["advocate"] - 0.1
    assert 1 - stay["comparer"] > 0.15  # a real share of satisfied comparers leaves
    # the truth file's probabilities agree with the outcome on average
    assert_allclose(frame["stayed_next_year"].mean(), survey_data.truth["stay_probability"].mean(), atol=0.03)


def test_survey_stated_importance_contrasts_with_the_true_weights(survey_data):
    stated = survey_data.stated_importance.set_index("attribute")
    assert stated.index.tolist() == list(ATTRIBUTES)
    assert stated.sort_values("stated_rank").index[0] == "price_fairness"
    weights = pd.Series(sd.ATTRIBUTE_WEIGHTS)
    assert weights.idxmax() == "product_quality" and weights.rank(ascending=False)["price_fairness"] == 5
    assert_allclose(stated["stated_importance"], pd.Series(sd.STATED_IMPORTANCE_MEANS)[stated.index], atol=0.15)
    assert stated["stated_rank"].sort_values().tolist() == list(range(1, 7))


def test_survey_parameters_hold_the_truth(survey_data):
    params = survey_data.parameters.set_index("parameter")["value"]
    for a in ATTRIBUTES:
        assert params[f"weight_{a}"] == sd.ATTRIBUTE_WEIGHTS[a]
    assert params["h1_perceived_value_to_repurchase"] == sd.H1_PERCEIVED_VALUE_TO_REPURCHASE
    assert params["h2_customer_value_to_satisfaction"] == sd.H2_CUSTOMER_VALUE_TO_SATISFACTION
    assert params["h3_satisfaction_to_repurchase"] == sd.H3_SATISFACTION_TO_REPURCHASE
    assert params["share_comparer_online_shopping"] == LOYALTY_SHARES["online_shopping"]["comparer"]
    for industry in INDUSTRIES:
        assert_allclose(sum(params[f"share_{k}_{industry}"] for k in LOYALTY_TYPES), 1.0)


def test_ols_on_the_survey_recovers_the_structural_equations(survey_data):
    """Brute-force least squares (normal equations), independent of coursekit.models.satisfaction."""
    survey = survey_data.survey

    def ols(columns, outcome):
        x = np.column_stack([np.ones(len(survey)), survey[columns].to_numpy(dtype=float)])
        y = survey[outcome].to_numpy(dtype=float)
        return np.linalg.solve(x.T @ x, x.T @ y)[1:]

    perceptions = list(sd.PERCEPTION_COLUMNS.values())
    weights = np.array([sd.ATTRIBUTE_WEIGHTS[a] for a in ATTRIBUTES])
    b = ols([*perceptions, "customer_value"], "overall_satisfaction")
    assert_allclose(b[:-1], weights, atol=0.05)
    assert_allclose(b[-1], sd.H2_CUSTOMER_VALUE_TO_SATISFACTION, atol=0.05)
    h1, h3 = ols(["perceived_value", "overall_satisfaction"], "repurchase_intention")
    assert_allclose([h1, h3], [sd.H1_PERCEIVED_VALUE_TO_REPURCHASE, sd.H3_SATISFACTION_TO_REPURCHASE], atol=0.05)
