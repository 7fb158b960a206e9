"""coursekit.cases.casedata2: helpers and datasets of cases 5-8 (small rolls, the bank, key accounts, the hotline)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.data import bank_accounts as accounts, survey as survey_data
from coursekit.cases import casedata2 as cd
from coursekit.models import loyalty, satisfaction

REPO_DATASETS = Path(__file__).resolve().parents[1] / "datasets"


# ============================================================================ rule_quality
def test_rule_quality_counts_match_brute_force():
    rng = np.random.default_rng(1)
    flagged = rng.random(500) < 0.3
    truth = rng.random(500) < 0.2
    q = cd.rule_quality(flagged, truth)
    tp = sum(f and t for f, t in zip(flagged, truth))
    fp = sum(f and not t for f, t in zip(flagged, truth))
    fn = sum((not f) and t for f, t in zip(flagged, truth))
    tn = sum((not f) and (not t) for f, t in zip(flagged, truth))
    assert (q.true_positives, q.false_positives, q.false_negatives, q.true_negatives) == (tp, fp, fn, tn)
    assert q.n == 500 and q.flagged == tp + fp and q.actual == tp + fn
    assert_allclose([q.precision, q.recall], [tp / (tp + fp), tp / (tp + fn)])
    assert_allclose(q.f1, 2 * tp / (2 * tp + fp + fn))
    table = q.table()
    assert table.to_numpy().tolist() == [[tp, fn], [fp, tn]]


def test_rule_quality_on_the_complaint_log_matches_the_data_card():
    log = survey_data.load_complaints()
    truth = survey_data.load_complaints_truth()
    hits = satisfaction.keyword_matches(log["comment"], list(survey_data.SMALL_ROLL_PHRASES)).any(axis=1)
    q = cd.rule_quality(hits, truth["small_roll_request"])
    assert (q.flagged, q.true_positives, q.actual) == (72, 58, 62)
    assert_allclose([q.precision, q.recall], [58 / 72, 58 / 62])


def test_rule_quality_accepts_zero_one_and_handles_empty_classes():
    q = cd.rule_quality([0, 0, 0], [0, 1, 0])
    assert np.isnan(q.precision) and q.recall == 0 and np.isnan(q.f1)
    q = cd.rule_quality([1, 0], [0, 0])
    assert q.precision == 0 and np.isnan(q.recall)
    q = cd.rule_quality([True, False], [False, True])
    assert q.precision == 0 and q.recall == 0 and q.f1 == 0


def test_rule_quality_refuses_bad_input():
    with pytest.raises(ValueError, match="same length"):
        cd.rule_quality([True, False], [True])
    with pytest.raises(ValueError, match="at least one item"):
        cd.rule_quality([], [])
    with pytest.raises(ValueError, match="missing"):
        cd.rule_quality(pd.Series([True, None]), [True, False])
    with pytest.raises(TypeError, match="True/False"):
        cd.rule_quality(["yes", "no"], [True, False])
    with pytest.raises(TypeError, match="sequence of True/False"):
        cd.rule_quality("yes", [True])
    with pytest.raises(TypeError, match="DataFrame"):
        cd.rule_quality(pd.DataFrame({"a": [True]}), [True])
    with pytest.raises(ValueError, match="same index"):
        cd.rule_quality(pd.Series([True, False], index=[1, 2]), pd.Series([True, False], index=[2, 1]))


# ============================================================================ launch_economics
def test_launch_economics_matches_the_formulas():
    plan = cd.launch_economics(57, 0.3, 0.5, 1_500.0, 60_000.0, years=4, discount_rate=0.1)
    needing = 57 / 0.3
    margin = needing * 0.5 * 1_500.0
    pv = sum(margin / 1.1**t for t in range(1, 5))
    assert_allclose([plan.customers_with_need, plan.buyers, plan.annual_margin], [needing, needing * 0.5, margin])
    assert_allclose(plan.pv_margin, pv)
    assert_allclose(plan.net_value, pv - 60_000.0)
    assert_allclose(plan.roi, (pv - 60_000.0) / 60_000.0)
    # payback: the n at which the annuity of the margin equals the cost
    n = plan.payback_years
    assert_allclose(margin * (1 - 1.1**-n) / 0.1, 60_000.0)


def test_launch_economics_broadcasts_and_never_pays_back_without_margin():
    plan = cd.launch_economics(60, np.array([0.25, 0.5, 1.0]), 0.6, 1_200.0, 80_000.0)
    assert_allclose(plan.payback_years, 80_000.0 / (np.array([240.0, 120.0, 60.0]) * 0.6 * 1_200.0))
    assert plan.launch_cost.shape == (3,)
    none = cd.launch_economics(0, 0.25, 0.6, 1_200.0, 80_000.0)
    assert none.payback_years == np.inf and none.roi == -1.0


@pytest.mark.parametrize("kwargs, match", [
    ({"registration_rate": 0.0}, "registration_rate"),
    ({"registration_rate": 1.5}, "registration_rate"),
    ({"conversion": -0.1}, "conversion"),
    ({"margin_per_buyer": -1.0}, "margin_per_buyer"),
    ({"launch_cost": 0.0}, "launch_cost"),
    ({"registered": float("nan")}, "registered"),
    ({"years": 0}, "years"),
    ({"discount_rate": -0.1}, "discount_rate"),
])
def test_launch_economics_refuses_bad_input(kwargs, match):
    args = {"registered": 60, "registration_rate": 0.25, "conversion": 0.6, "margin_per_buyer": 1200.0,
            "launch_cost": 80_000.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        cd.launch_economics(**args)


def test_launch_economics_refuses_a_non_integer_horizon():
    with pytest.raises(TypeError, match="years"):
        cd.launch_economics(60, 0.25, 0.6, 1200.0, 80_000.0, years="3")


# ============================================================================ value_at_stake
def test_value_at_stake_matches_the_formulas():
    v = cd.value_at_stake(50e6, 0.4, 0.025, 2e6, years=3, discount_rate=0.05)
    annual = 50e6 * 0.4 * 0.025
    pv = sum(annual / 1.05**t for t in (1, 2, 3))
    assert_allclose([v.kept_value, v.annual_margin, v.pv_margin], [20e6, annual, pv])
    assert_allclose([v.net_value, v.roi], [pv - 2e6, (pv - 2e6) / 2e6])
    arr = cd.value_at_stake(50e6, [0.0, 1.0], 0.02, 1e6)
    assert_allclose(arr.net_value, [-1e6, 0.0])
    assert arr.cost.shape == (2,)


@pytest.mark.parametrize("kwargs, match", [
    ({"lost_value": -1.0}, "lost_value"),
    ({"reduction": 1.2}, "reduction"),
    ({"margin_rate": -0.01}, "margin_rate"),
    ({"cost": 0.0}, "cost"),
    ({"years": 0}, "years"),
    ({"discount_rate": -0.5}, "discount_rate"),
])
def test_value_at_stake_refuses_bad_input(kwargs, match):
    args = {"lost_value": 1e6, "reduction": 0.5, "margin_rate": 0.02, "cost": 1e4}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        cd.value_at_stake(**args)


# ============================================================================ key accounts
@pytest.fixture(scope="module")
def key():
    return cd.make_key_accounts()


def test_story_accounts_are_the_six_largest_with_their_profiles(key):
    a, t = key.accounts, key.truth
    assert a["account_id"].tolist()[:6] == list(cd.STORY_ACCOUNTS)
    assert a["name"].tolist()[:6] == list(cd.STORY_ACCOUNTS.values())
    assert a["revenue_prev"].is_monotonic_decreasing
    assert a["revenue_prev"].iloc[5] > a["revenue_prev"].iloc[6]
    assert t["role"].tolist()[:6] == ["loyal_emotion", "loyal_reasoned", "loyal_inertia", "slipping_unanswered",
                                      "slipping_unanswered", "slipping_salesperson"]
    # the reading's three reasons for loyalty map to the three loyalty types, and the rule agrees
    types = loyalty.loyalty_type(a.head(6)).tolist()
    assert types == ["advocate", "comparer", "user", "comparer", "comparer", "comparer"]
    assert types == t["loyalty_type"].tolist()[:6]


def test_role_shares_of_the_other_accounts_are_exact(key):
    others = key.truth["role"].iloc[6:].value_counts()
    expected = cd._allocate(cd._ROLE_SHARES, 24)
    assert [int(others.get(r, 0)) for r in cd.KEY_ACCOUNT_ROLES] == expected.tolist()


def test_share_of_wallet_drop_recovers_the_slipping_accounts(key):
    a, t = key.accounts, key.truth
    drop = a["revenue_prev"] / a["wallet_prev"] - a["revenue_last"] / a["wallet_last"]
    assert ((drop >= 0.10).to_numpy() == t["slipping"].to_numpy()).all()
    # a revenue rule confuses shrinking businesses with slipping ones
    fall = 1 - a["revenue_last"] / a["revenue_prev"]
    shrinking = (t["role"] == "shrinking").to_numpy()
    assert (fall[shrinking] > 0.15).all() and (drop[shrinking].abs() < 0.05).all()


def test_truth_follows_the_leave_model(key):
    a, t = key.accounts, key.truth
    extreme = (a[list(cd.SATISFACTION_ITEMS)] <= 2).any(axis=1).to_numpy()
    cost = a["termination_fee"] + 0.1 * (a["migration_hours"] + a["retraining_hours"])
    pv = a["competitor_advantage"] * sum(1.08**-k for k in (1, 2, 3))
    logit = -3.0 + 2.6 * extreme + 0.8 * (pv > cost).to_numpy()
    assert_allclose(t["leave_probability"], np.round(1 / (1 + np.exp(-logit)), 4))
    assert (t["need"] == t["role"].map(cd.ROLE_NEED)).all()
    assert extreme[t["slipping"].to_numpy()].all()


def test_story_contacts(key):
    c = key.contacts
    req = c[c["kind"] == "new_service_request"]
    ka04 = req[req["account_id"] == "KA04"]
    assert len(ka04) == 4 and not ka04["responded"].any() and (ka04["topic"] == "IoT fleet tracking").all()
    ka05 = req[req["account_id"] == "KA05"]
    assert len(ka05) == 3 and ka05["responded"].sum() == 1 and ka05["days_to_response"].max() == 64.0
    ka06 = c[(c["account_id"] == "KA06") & (c["kind"] == "complaint")]
    assert (ka06["topic"] == "salesperson").sum() == 3
    assert c["date"].is_monotonic_increasing
    assert c["date"].min() >= pd.Timestamp("2023-07-01") and c["date"].max() <= pd.Timestamp("2024-06-30")
    assert c["days_to_response"].isna().equals(~c["responded"])


def test_key_accounts_reproducible_and_seed_dependent():
    a = cd.make_key_accounts(n_accounts=12, seed=5)
    b = cd.make_key_accounts(n_accounts=12, seed=5)
    pd.testing.assert_frame_equal(a.accounts, b.accounts)
    pd.testing.assert_frame_equal(a.contacts, b.contacts)
    other = cd.make_key_accounts(n_accounts=12, seed=6)
    assert not a.accounts["revenue_prev"].equals(other.accounts["revenue_prev"])
    six = cd.make_key_accounts(n_accounts=6)
    assert six.accounts["name"].tolist() == list(cd.STORY_ACCOUNTS.values())


def test_make_key_accounts_refuses_bad_arguments():
    with pytest.raises(ValueError, match="at least 6"):
        cd.make_key_accounts(n_accounts=5)
    with pytest.raises(TypeError, match="n_accounts"):
        cd.make_key_accounts(n_accounts="30")
    with pytest.raises(ValueError, match="seed"):
        cd.make_key_accounts(seed=-1)


def test_key_account_files_round_trip(tmp_path, key):
    cd.write_key_accounts(tmp_path, key)
    a = cd.load_key_accounts(tmp_path)
    c = cd.load_key_account_contacts(tmp_path)
    t = cd.load_key_accounts_truth(tmp_path)
    assert a.columns.tolist() == list(cd.ACCOUNT_COLUMNS)
    assert_allclose(a["revenue_last"], key.accounts["revenue_last"], atol=0.05)
    assert (a[list(cd.SATISFACTION_ITEMS)].to_numpy() == key.accounts[list(cd.SATISFACTION_ITEMS)].to_numpy()).all()
    assert a["years_as_customer"].dtype == np.int64 and isinstance(a["industry"].dtype, pd.CategoricalDtype)
    assert c["responded"].dtype == bool and c["date"].dtype == "datetime64[ns]"
    assert_allclose(c["days_to_response"], key.contacts["days_to_response"], atol=0.05)
    assert t["slipping"].tolist() == key.truth["slipping"].tolist()
    assert t["role"].astype(str).tolist() == key.truth["role"].tolist()


# ============================================================================ hotline survey
@pytest.fixture(scope="module")
def hotline():
    return cd.make_hotline_survey()


def test_hotline_weights_are_recovered_by_regression(hotline):
    s = hotline.survey
    for w in (1, 2, 3):
        table = satisfaction.derived_importance(s[s["wave"] == w], list(cd.HOTLINE_ATTRIBUTES))
        assert_allclose(table["coefficient"], cd.HOTLINE_WEIGHTS[w], atol=0.07)
    imp = cd.importance_by_wave(s)
    assert imp.loc[1, "rank"].idxmin() == "phone_support"
    assert imp.loc[3, "rank"].idxmin() == "online_cash_management"


def test_hotline_story_holds(hotline):
    s = hotline.survey
    phone = s.groupby("wave")["phone_support"].mean()
    assert phone[3] - phone[1] > 1.5
    summary = accounts.churn_summary(s, by="wave")
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
        cd.make_hotline_survey(n_per_wave=10)
    with pytest.raises(TypeError, match="n_per_wave"):
        cd.make_hotline_survey(n_per_wave=None)
    with pytest.raises(ValueError, match="seed"):
        cd.make_hotline_survey(seed=-3)


def test_hotline_files_round_trip(tmp_path, hotline):
    cd.write_hotline_survey(tmp_path, hotline)
    s = cd.load_hotline_survey(tmp_path)
    t = cd.load_hotline_truth(tmp_path)
    p = cd.load_hotline_parameters(tmp_path)
    pd.testing.assert_frame_equal(s, hotline.survey, check_dtype=False, atol=0.05)
    assert_allclose(t["cut_depth"], hotline.truth["cut_depth"], atol=1e-6)
    pd.testing.assert_frame_equal(p, hotline.parameters, check_dtype=False)


def test_importance_and_ipa_by_wave_match_the_satisfaction_module(hotline):
    s = hotline.survey
    imp = cd.importance_by_wave(s)
    grid = cd.ipa_by_wave(s)
    for w in (1, 2, 3):
        rows = s[s["wave"] == w]
        direct = satisfaction.derived_importance(rows, list(cd.HOTLINE_ATTRIBUTES))
        assert_allclose(imp.loc[w, "importance"], direct["importance"])
        assert_allclose(imp.loc[w, "performance"], rows[list(cd.HOTLINE_ATTRIBUTES)].mean())
        quad = satisfaction.ipa(rows[list(cd.HOTLINE_ATTRIBUTES)].mean(), direct)
        assert grid.loc[w, "quadrant"].tolist() == quad["quadrant"].astype(str).tolist()
    assert grid.loc[3, "quadrant"]["online_cash_management"] == "Concentrate here"
    assert grid.loc[1, "quadrant"]["phone_support"] == "Concentrate here"


def test_importance_by_wave_refuses_bad_input(hotline):
    with pytest.raises(ValueError, match="not a column"):
        cd.importance_by_wave(hotline.survey, by="quarter")
    with pytest.raises(TypeError, match="column name"):
        cd.importance_by_wave(hotline.survey, by=["wave"])
    with pytest.raises(ValueError, match="missing"):
        cd.importance_by_wave(hotline.survey.drop(columns="fees"))
    with pytest.raises(TypeError, match="DataFrame"):
        cd.importance_by_wave([1, 2, 3])


# ============================================================================ contact summary and switching
def test_contact_summary_matches_a_brute_force_count(key):
    c = key.contacts
    summary = cd.contact_summary(c, key.accounts["account_id"])
    assert summary.index.tolist() == key.accounts["account_id"].tolist()
    for account in ("KA04", "KA05", "KA06", "KA17"):
        rows = c[c["account_id"] == account]
        req = rows[rows["kind"] == "new_service_request"]
        assert summary.loc[account, "contacts"] == len(rows)
        assert summary.loc[account, "new_service_request"] == len(req)
        assert summary.loc[account, "requests_unanswered"] == int((~req["responded"]).sum())
        answered = req.loc[req["responded"], "days_to_response"]
        if len(answered):
            assert_allclose(summary.loc[account, "median_days_to_answer"], answered.median())
        else:
            assert np.isnan(summary.loc[account, "median_days_to_answer"])
        assert summary.loc[account, "salesperson_complaints"] == int(
            ((rows["kind"] == "complaint") & (rows["topic"] == "salesperson")).sum())
    assert summary[list(cd.CONTACT_KINDS)].sum(axis=1).equals(summary["contacts"])


def test_contact_summary_refuses_bad_input(key):
    with pytest.raises(ValueError, match="missing"):
        cd.contact_summary(key.contacts.drop(columns="topic"))
    with pytest.raises(TypeError, match="responded"):
        cd.contact_summary(key.contacts.assign(responded=key.contacts["responded"].astype(int)))
    with pytest.raises(ValueError, match="repeat"):
        cd.contact_summary(key.contacts, account_ids=["KA01", "KA01"])
    with pytest.raises(TypeError, match="DataFrame"):
        cd.contact_summary({"account_id": []})


def test_account_switching_costs_match_the_formula(key):
    a = key.accounts
    table = cd.account_switching_costs(a)
    cost = a["termination_fee"] + 0.1 * (a["migration_hours"] + a["retraining_hours"])
    pv = a["competitor_advantage"] * sum(1.08**-k for k in (1, 2, 3))
    assert_allclose(table["switching_cost"], cost)
    assert_allclose(table["pv_advantage"], pv)
    assert table["switching_pays"].tolist() == (pv > cost).tolist()
    assert table.loc[["KA01", "KA03", "KA04"], "switching_pays"].tolist() == [True, False, True]


def test_account_switching_costs_refuses_bad_input(key):
    with pytest.raises(ValueError, match="termination_fee of KA01"):
        cd.account_switching_costs(key.accounts.assign(termination_fee=-1.0))
    with pytest.raises(ValueError, match="value_of_time"):
        cd.account_switching_costs(key.accounts, value_of_time=-0.1)
    with pytest.raises(ValueError, match="missing"):
        cd.account_switching_costs(key.accounts.drop(columns="retraining_hours"))


# ============================================================================ committed files and loaders
def test_committed_files_are_regenerated_byte_for_byte(tmp_path):
    fresh = cd.write_key_accounts(tmp_path) + cd.write_hotline_survey(tmp_path)
    assert [p.name for p in fresh] == list(cd.KEY_ACCOUNTS_FILES) + list(cd.HOTLINE_FILES)
    for path in fresh:
        committed = REPO_DATASETS / path.name
        assert committed.is_file(), f"{committed} is missing; run python -m coursekit.cases.casedata2 datasets"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} differs; regenerate the datasets"


def test_registry_and_command_line(tmp_path, capsys):
    assert set(cd.DATASETS) == {"key_accounts", "hotline_survey"}
    assert cd.main([str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(cd.KEY_ACCOUNTS_FILES + cd.HOTLINE_FILES)


def test_writers_refuse_bad_input(tmp_path):
    with pytest.raises(TypeError, match="KeyAccountsData"):
        cd.write_key_accounts(tmp_path, data="x")
    with pytest.raises(TypeError, match="HotlineData"):
        cd.write_hotline_survey(tmp_path, data=("a", "b", "c"))
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(ValueError, match="folder"):
        cd.write_key_accounts(file)


def test_loaders_reject_damaged_files(tmp_path):
    cd.write_key_accounts(tmp_path)
    cd.write_hotline_survey(tmp_path)
    path = tmp_path / "key_accounts.csv"
    text = path.read_text().splitlines()
    text[1] = text[1].replace(",6,6,5,7,5,6,", ",6,6,5,9,5,6,", 1)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match="sat_salesperson"):
        cd.load_key_accounts(tmp_path)
    path = tmp_path / "hotline_survey.csv"
    path.write_text(path.read_text().replace(",False,", ",maybe,", 1))
    with pytest.raises(ValueError, match="True or False"):
        cd.load_hotline_survey(tmp_path)
    path = tmp_path / "key_accounts_contacts.csv"
    path.write_text(path.read_text().replace("sales_visit", "lunch", 1))
    with pytest.raises(ValueError, match="kind"):
        cd.load_key_account_contacts(tmp_path)
    with pytest.raises(FileNotFoundError):
        cd.load_key_accounts_truth(tmp_path / "nowhere")


def test_loaders_return_fresh_frames():
    a = cd.load_key_accounts()
    a.loc[0, "revenue_prev"] = -1.0
    assert cd.load_key_accounts().loc[0, "revenue_prev"] == 5200.0


# ============================================================================ explorers
def test_launch_explorer_matches_launch_economics():
    ex = cd.launch_explorer()
    ex.set(registration_rate=0.2, conversion=0.5, margin_per_buyer=1000.0, launch_cost=100_000.0)
    plan = cd.launch_economics(60, 0.2, 0.5, 1000.0, 100_000.0, years=3)
    assert_allclose([ex.results["buyers"], ex.results["payback_years"], ex.results["roi"]],
                    [plan.buyers, plan.payback_years, plan.roi])
    y = ex._artists["plan"].get_ydata()
    assert_allclose(y[[0, 12]], [-100_000.0, -100_000.0 + plan.annual_margin])
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()
    before = bytes(ex.image.value)
    ex.controls["conversion"].value = 0.9
    assert bytes(ex.image.value) != before


def test_bank_programme_explorer_matches_a_hand_computation():
    bank = accounts.load_bank_accounts()
    ex = cd.bank_programme_explorer(bank)
    ex.set(cut_threshold=0.5, reduction_pct=40.0, margin_pct=2.0, cost_per_customer=250.0, years=2)
    large = bank[(bank["year"] == 1) & (bank["segment"] == "large")]
    cut = (~large["closed"]) & (large["balance_end"] <= 0.5 * large["balance_start"])
    lost = (large["balance_start"] - large["balance_end"])[cut].sum()
    assert_allclose(ex.results["lost_value"], lost)
    assert_allclose(ex.results["pv_margin"], lost * 0.4 * 0.02 * 2)
    assert_allclose(ex.results["net_value"], lost * 0.4 * 0.02 * 2 - 250.0 * len(large))
    with pytest.raises(ValueError, match="year"):
        cd.bank_programme_explorer(bank, year=9)


def test_key_account_explorer_flags_the_slipping_accounts():
    ex = cd.key_account_explorer()
    truth = cd.load_key_accounts_truth()
    a = cd.load_key_accounts()
    assert ex.results["flagged"] == truth.loc[truth["slipping"], "account_id"].tolist()
    assert_allclose(ex.results["revenue_at_risk"], a.loc[truth["slipping"], "revenue_last"].sum())
    ex.set(sow_drop_pts=0)
    assert len(ex.results["flagged"]) > len(truth[truth["slipping"]])


def test_hotline_ipa_explorer_moves_with_the_wave():
    ex = cd.hotline_ipa_explorer()
    assert ex.results["top_attribute"] == "phone_support"
    assert ex.results["quadrants"]["phone_support"] == "Concentrate here"
    ex.set(wave=3)
    grid = cd.ipa_by_wave(cd.load_hotline_survey()).loc[3]
    offsets = ex._artists["dots"].get_offsets()
    assert_allclose(offsets[:, 0], grid["performance"])
    assert ex.results["top_attribute"] == "online_cash_management"


def test_bench_lists_every_explorer():
    assert len(cd.BENCH) == 4
    for factory, moves in cd.BENCH.values():
        ex = factory()
        ex.set(**moves[-1])
        assert ex.results
