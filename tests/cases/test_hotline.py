"""Tests of coursekit.cases.hotline: case 8's hotline survey, importance and IPA by wave, explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.cases import hotline as hl
from coursekit.models import account_churn, satisfaction


@pytest.fixture(scope="module")
def hotline():
    return hl.make_hotline_survey()


def test_hotline_weights_are_recovered_by_regression(hotline):
    s = hotline.survey
    for w in (1, 2, 3):
        table = satisfaction.derived_importance(s[s["wave"] == w], list(hl.HOTLINE_ATTRIBUTES))
        assert_allclose(table["coefficient"], hl.HOTLINE_WEIGHTS[w], atol=0.07)
    imp = hl.importance_by_wave(s)
    assert imp.loc[1, "rank"].idxmin() == "phone_support"
    assert imp.loc[3, "rank"].idxmin() == "online_cash_management"


def test_hotline_story_holds(hotline):
    s = hotline.survey
    phone = s.groupby("wave")["phone_support"].mean()
    assert phone[3] - phone[1] > 1.5
    summary = account_churn.churn_summary(s, by="wave")
    # the count barely moves; the money leaves
    assert abs(summary.loc[3, "count_churn"] - summary.loc[1, "count_churn"]) < 0.03
    assert summary.loc[3, "value_churn"] - summary.loc[1, "value_churn"] > 0.08
    assert not s.loc[s["wave"] == 1, "used_hotline"].any()
    assert (s.loc[s["closed"], "balance_end"] == 0).all() and (s.loc[~s["closed"], "balance_end"] > 0).all()


def test_hotline_truth_is_consistent(hotline):
    s, t = hotline.survey, hotline.truth
    assert (t["balance_cut"] <= ~s["closed"]).all()
    cut = t["balance_cut"].to_numpy()
    assert_allclose(s["balance_end"][cut], np.round(s["balance_start"][cut] * (1 - t["cut_depth"][cut]), 1).clip(0.1))
    logit = -2.4 - 0.35 * (s["overall_satisfaction"] - 4)
    assert_allclose(t["close_probability"], 1 / (1 + np.exp(-logit)))
    assert (t["cut_probability"][s["closed"]] == 0).all()


def test_make_hotline_survey_refuses_bad_arguments():
    with pytest.raises(ValueError, match="at least 20"):
        hl.make_hotline_survey(n_per_wave=10)
    with pytest.raises(TypeError, match="n_per_wave"):
        hl.make_hotline_survey(n_per_wave=None)
    with pytest.raises(ValueError, match="seed"):
        hl.make_hotline_survey(seed=-3)


def test_hotline_files_round_trip(tmp_path, hotline):
    paths = hl.write_hotline_survey(tmp_path, hotline)
    assert [p.name for p in paths] == list(hl.HOTLINE_FILES)
    s = hl.load_hotline_survey(tmp_path)
    t = hl.load_hotline_truth(tmp_path)
    p = hl.load_hotline_parameters(tmp_path)
    pd.testing.assert_frame_equal(s, hotline.survey, check_dtype=False, atol=0.05)
    assert_allclose(t["cut_depth"], hotline.truth["cut_depth"], atol=1e-6)
    pd.testing.assert_frame_equal(p, hotline.parameters, check_dtype=False)


def test_importance_and_ipa_by_wave_match_the_satisfaction_module(hotline):
    s = hotline.survey
    imp = hl.importance_by_wave(s)
    grid = hl.ipa_by_wave(s)
    for w in (1, 2, 3):
        rows = s[s["wave"] == w]
        direct = satisfaction.derived_importance(rows, list(hl.HOTLINE_ATTRIBUTES))
        assert_allclose(imp.loc[w, "importance"], direct["importance"])
        assert_allclose(imp.loc[w, "performance"], rows[list(hl.HOTLINE_ATTRIBUTES)].mean())
        quad = satisfaction.ipa(rows[list(hl.HOTLINE_ATTRIBUTES)].mean(), direct)
        assert grid.loc[w, "quadrant"].tolist() == quad["quadrant"].astype(str).tolist()
    assert grid.loc[3, "quadrant"]["online_cash_management"] == "Concentrate here"
    assert grid.loc[1, "quadrant"]["phone_support"] == "Concentrate here"


def test_importance_by_wave_refuses_bad_input(hotline):
    with pytest.raises(ValueError, match="not a column"):
        hl.importance_by_wave(hotline.survey, by="quarter")
    with pytest.raises(TypeError, match="column name"):
        hl.importance_by_wave(hotline.survey, by=["wave"])
    with pytest.raises(ValueError, match=r"frame must have the column\(s\) \['fees'\]"):
        hl.importance_by_wave(hotline.survey.drop(columns="fees"))
    with pytest.raises(TypeError, match="DataFrame"):
        hl.importance_by_wave([1, 2, 3])


def test_hotline_ipa_explorer_moves_with_the_wave():
    ex = hl.hotline_ipa_explorer()
    assert ex.results["top_attribute"] == "phone_support"
    assert ex.results["quadrants"]["phone_support"] == "Concentrate here"
    ex.set(wave=3)
    grid = hl.ipa_by_wave(hl.load_hotline_survey()).loc[3]
    offsets = ex._artists["dots"].get_offsets()
    assert_allclose(offsets[:, 0], grid["performance"])
    assert ex.results["top_attribute"] == "online_cash_management"


def test_loaders_reject_damaged_files(tmp_path):
    hl.write_hotline_survey(tmp_path, hl.make_hotline_survey(n_per_wave=20, seed=2))
    path = tmp_path / "hotline_survey.csv"
    path.write_text(path.read_text().replace(",False,", ",maybe,", 1))
    with pytest.raises(ValueError, match="column 'used_hotline' of hotline_survey.csv must hold True or False"):
        hl.load_hotline_survey(tmp_path)
    path = tmp_path / "hotline_survey_parameters.csv"
    path.write_text(path.read_text().replace(",0.28,", ",1.28,", 1))
    with pytest.raises(ValueError, match=r"column 'weight' of hotline_survey_parameters.csv must lie in \[0, 1\]"):
        hl.load_hotline_parameters(tmp_path)
