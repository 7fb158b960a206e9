"""The answers the hidden tests were attacked with (issue 12, rules 1 and 2), kept as a catalogue.

A hidden test is only as good as the wrong answers it rejects and the right answers it accepts.  Each
entry below replays one answer against one test cell of a teacher notebook: ``code`` runs in the
notebook's namespace just after the test cell (the solution has run, so the code may use the
notebook's data and the solution's own values), rebinding the names the exercise asks for; then the
test cell's code runs.  ``expect`` says whether it must ``"pass"`` (another standard convention, or a
differently written right answer) or ``"fail"`` (a typical mistake or a cheat).  The notebook's values
are put back afterwards, so later tests see the solution again.

``tests/course/test_attacks.py`` runs the catalogue.  Add an entry whenever you fix a test that failed
a right answer or passed a wrong one, so that the fix stays fixed.
"""

from __future__ import annotations

from typing import NamedTuple


class Attack(NamedTuple):
    """One answer replayed against one test cell."""

    test: str       #: grade_id of the test cell
    what: str       #: the answer, in a few words
    code: str       #: rebinds the exercise's names in the notebook's namespace
    expect: str     #: "pass" or "fail"


ATTACKS: dict[str, list[Attack]] = {
    "01_why_retention_matters": [
        Attack("ch1_retention_counts", "new subscribers subtracted from the start instead of the end",
               "retention_q = (48_000 - 6_100) / 48_000; churn_q = 1 - retention_q", "fail"),
        Attack("ch1_retention_counts", "retention as a percentage",
               "retention_q = 100 * retention_q; churn_q = 100 - retention_q", "fail"),
        Attack("ch1_expected_lifetime", "lifetime counted from the next quarter (r / (1 - r))",
               "lifetime_quarters = 0.925 / 0.075; lifetime_years = lifetime_quarters / 4", "fail"),
        Attack("ch1_fedex_revenue", "the reading's printed product",
               "fedex_revenue = 360_000; years_for_360k = 20", "fail"),
        Attack("ch1_fedex_discounted", "monthly payments discounted at 8% a month",
               "fedex_pv = float(np.sum(1500 / 1.08 ** np.arange(1, 121)))", "fail"),
        Attack("ch1_fedex_discounted", "payments at the start of each month",
               "fedex_pv = float(np.sum(1500 / 1.08 ** (np.arange(0, 120) / 12)))", "fail"),
        Attack("ch1_clv_value", "the sum started at t = 0 (first margin now, the 'start' convention)",
               "_t = np.arange(0, 500); fedex_clv = float(np.sum(3600 * (0.85 / 1.1) ** _t)); "
               "clv_gain_pct = 100 * (float(np.sum(3600 * (0.9 / 1.1) ** _t)) / fedex_clv - 1)", "fail"),
        Attack("ch1_clv_value", "no discounting",
               "_t = np.arange(1, 501); fedex_clv = float(np.sum(3600 * 0.85 ** _t)); "
               "clv_gain_pct = 100 * (float(np.sum(3600 * 0.9 ** _t)) / fedex_clv - 1)", "fail"),
        Attack("ch1_clv_value", "the closed form instead of the sum (same number)",
               "fedex_clv = 3600 * 0.85 / 0.25; clv_gain_pct = 100 * ((0.9 / 0.2) / (0.85 / 0.25) - 1)", "pass"),
        Attack("ch1_clv_value", "the gain as a fraction",
               "clv_gain_pct = clv_gain_pct / 100", "fail"),
        Attack("ch1_hundred_swap", "old minus new (sign reversed)",
               "profit_change = -profit_change", "fail"),
        Attack("ch1_top20_share", "the top 20 customers instead of the top 20%",
               "_t = data.customer_revenue().sort_values(ascending=False); top20_share = _t.iloc[:20].sum() / _t.sum()",
               "fail"),
    ],
    "02_customer_database": [
        Attack("ch2_dedup_count", "records instead of customers",
               "n_customers = len(contacts)", "fail"),
        Attack("ch2_next_purchase", "the half-day cycle rounded half to even (Python's round)",
               "next_pet_food = orders.loc[(orders['customer_id'] == 'CU00059') & (orders['category'] == 'pet_food'), "
               "'order_date'].max() + pd.Timedelta(days=round(pet_food_cycle))", "pass"),
        Attack("ch2_next_purchase", "the cycle added unrounded",
               "next_pet_food = orders.loc[(orders['customer_id'] == 'CU00059') & (orders['category'] == 'pet_food'), "
               "'order_date'].max() + pd.Timedelta(days=pet_food_cycle)", "pass"),
        Attack("ch2_next_purchase", "the mean gap instead of the median",
               "_d = np.sort(pd.to_datetime(orders.loc[(orders['customer_id'] == 'CU00059') & (orders['category'] == 'pet_food'), "
               "'order_date']).unique()); pet_food_cycle = float(np.mean(np.diff(_d) / np.timedelta64(1, 'D'))); "
               "next_pet_food = pd.Timestamp(_d[-1]) + pd.Timedelta(days=round(pet_food_cycle))", "fail"),
        Attack("ch2_roi_payback", "in-year interpolation of the discounted cumulative gain",
               "_c = np.cumsum([450_000 / 1.08 ** k for k in range(1, 10)]); _k = int(np.argmax(_c >= 1_200_000)); "
               "payback_8 = _k + (1_200_000 - _c[_k - 1]) / (450_000 / 1.08 ** (_k + 1))", "pass"),
        Attack("ch2_roi_payback", "the payback rounded to two decimals",
               "payback_8 = round(payback_8, 2)", "pass"),
        Attack("ch2_roi_payback", "the IDC rate as a percentage",
               "idc_per_year = 100 * idc_per_year", "fail"),
        Attack("ch2_roi_payback", "undiscounted payback",
               "payback_8 = 1_200_000 / 450_000 + 1e-9", "fail"),
        Attack("ch2_roi_payback", "the total ROI divided by the years (not compounded)",
               "idc_per_year = 3.21 / 2.73", "fail"),
    ],
    "04_customer_loyalty": [
        Attack("ch4_hypotheses_banking", "the interval with z = 1.96 instead of t",
               "_se = (h1_ci[1] - h1_ci[0]) / 2 / __import__('scipy').stats.t.ppf(0.975, int((survey['industry'] == 'banking').sum()) - 3); "
               "h1_ci = (h1_coef - 1.96 * _se, h1_coef + 1.96 * _se)", "pass"),
        Attack("ch4_hypotheses_banking", "the whole survey instead of the bank customers",
               "h1_coef = float(hypotheses.loc['H1', 'coefficient']); "
               "h1_ci = (float(hypotheses.loc['H1', 'ci_low']), float(hypotheses.loc['H1', 'ci_high']))", "fail"),
        Attack("ch4_switching_decision", "the sunk set-up counted as a switching cost",
               "total_cost = cost.total; npv_switch = switching.switch_is_worth_it(1500, total_cost, years=4, discount_rate=0.08).npv; "
               "worth_without_sunk = bool(npv_switch > 0)", "fail"),
        Attack("ch4_switching_decision", "the forfeited prepaid fees left out as if they were sunk",
               "total_cost = cost.relevant - 1200; npv_switch = switching.switch_is_worth_it(1500, total_cost, years=4, discount_rate=0.08).npv; "
               "worth_without_sunk = bool(npv_switch > 0)", "fail"),
        Attack("ch4_cohort_retention", "Series divided by Series (labels aligned, NaN)",
               "r_2022_07 = (row.iloc[1:7] / row.iloc[0:6]).to_numpy()", "fail"),
        Attack("ch4_sbg_likelihood", "the customers still active left out",
               "ll_regular = float(left @ np.log(p_churn))", "fail"),
        Attack("ch4_sbg_likelihood", "the survivors counted with log S(8) (one year too many)",
               "ll_regular = float(left @ np.log(p_churn) + survivors[-1] * np.log(s7 - p_churn[-1] * (b_ + 6) / (a_ + b_ + 7)))",
               "fail"),
        Attack("ch4_sbg_likelihood", "the recursion with t - 1 in the numerator (off by one)",
               "p_churn = np.array([a_ / (a_ + b_)] + [0.0] * 6)\nfor _t in range(2, 8):\n"
               "    p_churn[_t - 1] = p_churn[_t - 2] * (b_ + _t - 1) / (a_ + b_ + _t - 1)\n"
               "s7 = 1 - p_churn.sum(); ll_regular = float(left @ np.log(p_churn) + survivors[-1] * np.log(s7))", "fail"),
        Attack("ch4_sbg_likelihood", "P(T=t) from the library's Beta functions (same numbers)",
               "from scipy.special import betaln as _bl2\n_t = np.arange(1, 8)\n"
               "p_churn = np.exp(_bl2(a_ + 1, b_ + _t - 1) - _bl2(a_, b_)); s7 = 1 - p_churn.sum(); "
               "ll_regular = float(left @ np.log(p_churn) + survivors[-1] * np.log(s7))", "pass"),
        Attack("ch4_bgnbd_likelihood", "T in place of t_x in the drop-out term",
               "_c, _al, _dr = bgnbd_terms(0.243, 4.414, 0.793, 2.426); "
               "_dr = np.where(x > 0, _dr + (0.243 + x) * (np.log(4.414 + t_x) - np.log(4.414 + T)), -np.inf); "
               "_ll = _c + np.logaddexp(_al, _dr); ll_first = float(_ll[0]); ll_cdnow = float(_ll.sum())", "fail"),
        Attack("ch4_bgnbd_likelihood", "the drop-out term kept for customers with no repeat purchase",
               "from scipy.special import betaln as _b; _c, _al, _ = bgnbd_terms(0.243, 4.414, 0.793, 2.426); "
               "_dr = _b(1.793, 2.426 + x - 1) - _b(0.793, 2.426) - (0.243 + x) * np.log(4.414 + t_x); "
               "_ll = _c + np.logaddexp(_al, _dr); ll_first = float(_ll[0]); ll_cdnow = float(_ll.sum())", "fail"),
        Attack("ch4_bgnbd_likelihood", "the library's log-likelihood at the published parameters",
               "ll_cdnow = bgnbd.bgnbd_log_likelihood((0.243, 4.414, 0.793, 2.426), x, t_x, T); "
               "ll_first = bgnbd.bgnbd_log_likelihood((0.243, 4.414, 0.793, 2.426), x[:1], t_x[:1], T[:1])", "pass"),
        Attack("ch4_p_alive", "P(alive) from the Pareto/NBD fit",
               "p_alive = pareto_nbd.pareto_nbd_p_alive(fit_p, x, t_x, T); n_probably_gone = int((p_alive < 0.5).sum())", "fail"),
        Attack("ch4_p_alive", "the unconditional forecast of a new customer, not each customer's history",
               "holdout_forecast = float((bgnbd.bgnbd_expected_transactions(fit_b, T + 39) - bgnbd.bgnbd_expected_transactions(fit_b, T)).sum()); "
               "forecast_error_pct = 100 * (holdout_forecast - cdnow['holdout_frequency'].sum()) / cdnow['holdout_frequency'].sum()", "fail"),
        Attack("ch4_p_alive", "the error relative to the forecast instead of the actual",
               "forecast_error_pct = 100 * (holdout_forecast - cdnow['holdout_frequency'].sum()) / holdout_forecast", "fail"),
        Attack("ch4_residual_clv", "the annual discount rate used as a weekly one",
               "clv_residual = 0.30 * spend_all * pareto_nbd.pareto_nbd_discounted_expected_transactions(fit_p, 0.15, x, t_x, T); "
               "cohort_value = float(clv_residual.sum()); share_no_repeat = float(clv_residual[x == 0].sum() / cohort_value)", "fail"),
        Attack("ch4_residual_clv", "revenue instead of margin",
               "clv_residual = spend_all * det_all; cohort_value = float(clv_residual.sum()); "
               "share_no_repeat = float(clv_residual[x == 0].sum() / cohort_value)", "fail"),
        Attack("ch4_residual_clv", "one-time buyers valued at zero",
               "clv_residual = np.where(x > 0, clv_residual, 0.0); cohort_value = float(clv_residual.sum()); share_no_repeat = 0.0", "fail"),
        Attack("ch4_residual_clv", "undiscounted purchases over the next ten years",
               "clv_residual = 0.30 * spend_all * pareto_nbd.pareto_nbd_conditional_expected_transactions(fit_p, 520, x, t_x, T); "
               "cohort_value = float(clv_residual.sum()); share_no_repeat = float(clv_residual[x == 0].sum() / cohort_value)", "fail"),
        Attack("ch4_residual_clv", "DET in Fader, Hardie & Lee's own form, with Psi(s, s; z)",
               "from scipy.special import hyperu as _U; _r, _a, _s, _b = fit_p.params; _z = np.log(1.15) / 52 * (_b + T); "
               "_det = pareto_nbd.pareto_nbd_p_alive(fit_p, x, t_x, T) * (_r + x) * (_b + T) / (_a + T) * _z ** (_s - 1) * _U(_s, _s, _z); "
               "clv_residual = 0.30 * spend_all * _det; cohort_value = float(clv_residual.sum()); "
               "share_no_repeat = float(clv_residual[x == 0].sum() / cohort_value)", "pass"),
    ],
    "05_retention_strategies": [
        Attack("ch5_churn_targeting", "recency ranked the wrong way (shortest silence first)",
               "lift_recency = churn_prediction.gains_table(-known_test['recency_days'], churned_test)['lift'].iloc[0]", "fail"),
        Attack("ch5_churn_targeting", "the churn rate of the top decile instead of its lift",
               "lift_recency = churn_prediction.gains_table(known_test['recency_days'], churned_test)['churn_rate'].iloc[0]", "fail"),
        Attack("ch5_churn_targeting", "the best list at the old price of 5 CU a call",
               "_m5 = {s: churn_prediction.targeting_profit(churn_score, churned_test, s, contact_cost=5, "
               "value_if_saved=120, save_rate=0.2) for s in shares}; "
               "best_share = max(_m5, key=lambda s: _m5[s]['profit']); false_alarms_best = _m5[best_share]['false_alarms']", "fail"),
        Attack("ch5_churn_targeting", "false alarms counted as the churners on the list",
               "false_alarms_best = money_12[best_share]['churners_contacted']", "fail"),
        Attack("ch5_churn_targeting", "best list written as a percentage",
               "best_share = 100 * best_share", "fail"),
        Attack("ch5_churn_targeting", "the lift computed by hand from a sorted frame",
               "_k = known_test.assign(churned=churned_test).sort_values('recency_days', ascending=False); "
               "lift_recency = _k['churned'].iloc[:272].mean() / churned_test.mean()", "pass"),
        Attack("ch5_uplift_targeting", "the treated model's prediction minus the risk model's (sign reversed)",
               "uplift_wave2 = -uplift_wave2", "fail"),
        Attack("ch5_uplift_targeting", "risk passed off as uplift",
               "uplift_wave2 = risk_wave2.copy(); profit_uplift = profit_risk", "fail"),
        Attack("ch5_uplift_targeting", "the treated model trained on wave 2 (peeking at the test wave)",
               "_t2 = wave2[wave2['arm'] == 'treatment']; "
               "_tm2 = LogisticRegression(max_iter=1000).fit(offer_features(_t2), _t2['churned']); "
               "uplift_wave2 = risk_wave2 - _tm2.predict_proba(offer_features(wave2))[:, 1]; "
               "profit_uplift = uplift.targeting_value(uplift_wave2, treated_wave2, churned_wave2, 0.2, "
               "value_if_saved=600, offer_cost=30)['profit']", "fail"),
        Attack("ch5_uplift_targeting", "profit assuming every targeted churner is saved (no experiment)",
               "_k = 2000; _top = np.argsort(-uplift_wave2)[:_k]; profit_uplift = float(churned_wave2[_top].sum() * 600 - 30 * _k)", "fail"),
        Attack("ch5_uplift_targeting", "the top 20% by risk taken from the lowest risk",
               "profit_risk = uplift.targeting_value(-risk_wave2, treated_wave2, churned_wave2, 0.2, "
               "value_if_saved=600, offer_cost=30)['profit']", "fail"),
        Attack("ch5_uplift_targeting", "the experiment's saved customers counted by hand",
               "_top = np.argsort(-uplift_wave2, kind='stable')[:2000]; _t, _c = treated_wave2[_top], churned_wave2[_top]; "
               "profit_uplift = float(2000 * (_c[~_t].mean() - _c[_t].mean()) * 600 - 2000 * 30)", "pass"),
        Attack("ch5_equity_test", "the retention spend that maximises the retention rate per CU (cheapest per retained member)",
               "_R = np.linspace(0.5, 96, 1911); _r = 0.80 * (1 - np.exp(-wine['retention'][1] * _R)); "
               "best_retention_spend = float(_R[np.argmin(_R / _r)])", "fail"),
        Attack("ch5_equity_test", "future years not discounted",
               "best_equity = acquisition_retention.optimal_spending(**{**wine, 'discount_rate': 0.0}).equity", "fail"),
        Attack("ch5_equity_test", "the spend that buys the acquisition judgement (5 CU), not the optimum",
               "best_acquisition_spend = 5.0", "fail"),
        Attack("ch5_equity_test", "doubling the acquisition spend instead",
               "equity_double_retention = acquisition_retention.customer_equity(2 * best_acquisition_spend, best_retention_spend, **wine)", "fail"),
        Attack("ch5_equity_test", "the optimum found on a grid by hand",
               "_A, _R = np.meshgrid(np.arange(0, 40.01, 0.05), np.arange(0, 90.01, 0.05), indexing='ij'); "
               "_E = acquisition_retention.customer_equity(_A, _R, **wine); _i = np.unravel_index(np.argmax(_E), _E.shape); "
               "best_acquisition_spend, best_retention_spend, best_equity = float(_A[_i]), float(_R[_i]), float(_E.max()); "
               "equity_double_retention = acquisition_retention.customer_equity(best_acquisition_spend, 2 * best_retention_spend, **wine)", "pass"),
        Attack("ch5_quadrant_iv", "mean cuts instead of median cuts",
               "_i = (cv > cv.mean()) & (gp > gp.mean()); n_iv = int(_i.sum()); "
               "iv_value_share = float(cv[_i].sum() / cv.sum())", "fail"),
        Attack("ch5_quadrant_iv", "the share of customers instead of the share of value",
               "iv_value_share = n_iv / len(cv)", "fail"),
        Attack("ch5_campaign_lift", "control minus treated",
               "lift_iv, ci_iv_low, ci_iv_high = -lift_iv, -ci_iv_high, -ci_iv_low", "fail"),
        Attack("ch5_sample_size", "unpooled variance with exact z",
               "from scipy.stats import norm as _norm; "
               "n_per_arm = int(np.ceil((_norm.ppf(0.975) + _norm.ppf(0.8)) ** 2 * (0.8 * 0.2 + 0.83 * 0.17) / 0.03 ** 2)); "
               "n_total = 2 * n_per_arm", "pass"),
        Attack("ch5_sample_size", "pooled variance with the tables' z = 1.96 and 0.84",
               "_pb = 0.815; n_per_arm = int(np.ceil((1.96 * np.sqrt(2 * _pb * (1 - _pb)) "
               "+ 0.84 * np.sqrt(0.8 * 0.2 + 0.83 * 0.17)) ** 2 / 0.03 ** 2)); n_total = 2 * n_per_arm", "pass"),
        Attack("ch5_sample_size", "a one-sided test (z = 1.645)",
               "n_per_arm = int(np.ceil((1.645 + 0.8416) ** 2 * (0.8 * 0.2 + 0.83 * 0.17) / 0.03 ** 2)); "
               "n_total = 2 * n_per_arm", "fail"),
        Attack("ch5_sample_size", "both arms together given as n_per_arm",
               "n_per_arm = 2 * n_per_arm; n_total = 2 * n_per_arm", "fail"),
    ],
    "01_fedex_customer_worth": [
        Attack("case1_expected_revenue", "the reading's printed product, kept",
               "headline_revenue = 360_000", "fail"),
        Attack("case1_expected_revenue", "expected life summed from year 1 (r + r² + …), not from this year",
               "expected_years = 0.85 / 0.15; expected_revenue = 18_000 * expected_years", "fail"),
        Attack("case1_account_clv", "start-of-year timing, where the question says end of year",
               "clv_regular = clv.clv(2_700, 0.85, 0.10, timing='start'); value_share = clv_regular / 180_000", "fail"),
        Attack("case1_account_clv", "revenue in place of margin",
               "clv_regular = clv.clv(18_000, 0.85, 0.10); clv_regular_10y = clv.clv(18_000, 0.85, 0.10, periods=10); "
               "value_share = clv_regular / 180_000", "fail"),
        Attack("case1_account_clv", "years 0 to 9 for the 10-year horizon (off by one)",
               "clv_regular_10y = sum(2_700 * 0.85 ** t / 1.1 ** t for t in range(0, 10))", "fail"),
        Attack("case1_account_clv", "the CLV written out by hand as a long finite sum",
               "clv_regular = sum(2_700 * (0.85 / 1.1) ** t for t in range(1, 400)); value_share = clv_regular / 180_000", "pass"),
        Attack("case1_account_clv", "value_share as a percentage",
               "value_share = 100 * clv_regular / 180_000", "fail"),
        Attack("case1_customer_equity", "undiscounted expected lifetimes m / (1 − r)",
               "equity_total = sum(n * rev * 12 * mr / (1 - r) for n, rev, mr, r in "
               "[(48_000, 250, 0.18, 0.70), (15_000, 1500, 0.15, 0.85), (1_200, 12_000, 0.10, 0.93)])", "fail"),
        Attack("case1_retention_gain", "the gain as a fraction",
               "equity_gain_pct = equity_gain_pct / 100", "fail"),
        Attack("case1_retention_gain", "every segment lifted by five points",
               "equity_gain = equity_gain * 2.5", "fail"),
        Attack("case1_acquisition_ceiling", "an existing account's CLV (first year not certain)",
               "own_value = clv.clv(2_700, 0.85, 0.10); referral_part = 0.2 * own_value; "
               "max_acquisition = own_value + referral_part", "fail"),
        Attack("case1_acquisition_ceiling", "referrals counted as 0.5 signed firms (conversion ignored)",
               "referral_part = 0.5 * own_value; max_acquisition = own_value + referral_part", "fail"),
    ],
    "02_leaky_bucket": [
        Attack("case2_overall_churn", "the mean of the monthly rates instead of pooled cancellations / exposure",
               "monthly_churn = float((monthly['cancellations'] / monthly['customers_start']).mean()); "
               "expected_life_months = 1 / monthly_churn", "fail"),
        Attack("case2_overall_churn", "churn as a percentage",
               "monthly_churn = 100 * monthly_churn; expected_life_months = 1 / monthly_churn", "fail"),
        Attack("case2_steady_state", "the hole with the most cancellations named by a wrong name",
               "biggest_hole = 'rude_staff'", "fail"),
        Attack("case2_steady_state", "refill priced at the margin instead of the acquisition cost",
               "refill = 22 * monthly['new_customers'].mean()", "fail"),
        Attack("case2_plug_first", "the biggest hole chosen, not the best net value",
               "first_hole = 'poor_service'; first_net = service_net", "fail"),
        Attack("case2_budget", "the best single repair alone",
               "best_set = {first_hole}; best_net = first_net", "fail"),
        Attack("case2_budget", "the right set written as a frozenset-built set from a list",
               "best_set = set(list(best_set))", "pass"),
        Attack("case2_silent_leavers", "the ratio inverted (true / estimated)",
               "rude_ratio = 1 / rude_ratio", "fail"),
        Attack("case2_silent_leavers", "the plan under the estimated rates kept",
               "true_best_set = sorted(best_set)", "fail"),
    ],
    "03_store_that_knew": [
        Attack("case3_cycles", "all purchases of the year, not only those up to AS_OF",
               "_s = shop[shop['category'] == 'sanitary']; n_used = len(_s); "
               "_c = purchases.purchase_cycles(_s, by='card_id', date='date', min_purchases=4); "
               "n_regular = int(_c['cycle_days'].notna().sum()); median_cycle = float(_c['cycle_days'].median())", "fail"),
        Attack("case3_first_alert", "the alert one day early (silence of exactly 3 cycles)",
               "miao_alert_date = miao_alert_date - pd.Timedelta(days=1); days_before_birth = days_before_birth + 1", "fail"),
        Attack("case3_first_alert", "the alert date as a string",
               "miao_alert_date = str(miao_alert_date.date())", "fail"),
        Attack("case3_alert_list", "the rule run on the whole history (December 2001), not on AS_OF",
               "_late = shop['date'].max(); n_alerts = len(miao.silence_alerts(shop, _late, tolerance=3)); "
               "refined = miao.silence_alerts(shop, _late, tolerance=3, active_days=30); n_alerts_active = len(refined)", "fail"),
        Attack("case3_alert_list", "the still-shopping condition left out",
               "refined = miao.silence_alerts(shop, AS_OF, tolerance=3); n_alerts_active = len(refined)", "fail"),
        Attack("case3_alert_list", "a tolerance of 2 cycles",
               "n_alerts = len(miao.silence_alerts(shop, AS_OF, tolerance=2)); "
               "refined = miao.silence_alerts(shop, AS_OF, tolerance=2, active_days=30); n_alerts_active = len(refined)", "fail"),
        Attack("case3_alert_list", "the stricter list written by hand from the purchases",
               "_recent = set(shop.loc[(shop['category'] != 'sanitary') & (shop['date'] <= AS_OF) & "
               "(shop['date'] > AS_OF - pd.Timedelta(days=30)), 'card_id']); "
               "refined = alerts[[c in _recent for c in alerts.index]]; n_alerts_active = len(refined)", "pass"),
        Attack("case3_share_safely", "an unkeyed SHA-256 of the card number",
               "import hashlib; shared = refined.reset_index()[['card_id', 'cycle_days', 'days_since_last']]; "
               "shared['card_id'] = [hashlib.sha256(c.encode()).hexdigest() for c in shared['card_id']]", "fail"),
    ],
    "03b_the_false_alarms": [
        Attack("case3_rule_quality", "true alarms reported as false alarms",
               "false_alarms = n_alerts - false_alarms", "fail"),
        Attack("case3_refined_rule", "precision as true alarms / all pregnancies",
               "_t = miao.load_miao_truth(); _on = _t[(_t['start'] <= AS_OF) & (_t['end'].isna() | (_t['end'] > AS_OF)) "
               "& (_t['event'] == 'pregnancy')]; "
               "precision_refined = (len(refined) - false_alarms_refined) / len(_on)", "fail"),
    ],
    "03_care_and_satisfaction": [
        Attack("ch3_satisfaction_classes", "no tolerance: any shortfall counts as dissatisfied",
               "_d = guest_perceived.mean(axis=1) - guest_expected.mean(axis=1); "
               "guest_classes = ['dissatisfied' if x < 0 else 'delighted' if x > 0 else 'satisfied' for x in _d]", "fail"),
        Attack("ch3_delighted_share", "the share as a percentage",
               "delighted_courtesy = 100 * delighted_courtesy", "fail"),
        Attack("ch3_quick_stay_rate", "the Wilson interval by hand with the tables' z = 1.96",
               "_n = len(quick); _p = quick['stayed'].mean(); _z = 1.96; "
               "_c = (_p + _z**2 / (2 * _n)) / (1 + _z**2 / _n); "
               "_h = _z / (1 + _z**2 / _n) * np.sqrt(_p * (1 - _p) / _n + _z**2 / (4 * _n**2)); "
               "quick_ci = (_c - _h, _c + _h)", "pass"),
        Attack("ch3_quick_stay_rate", "claim_inside as text",
               "claim_inside = str(claim_inside)", "fail"),
        Attack("ch3_response_lift", "extra_kept rounded to whole complainers",
               "extra_kept = round(extra_kept); new_overall_rate = (log['stayed'].sum() + extra_kept) / len(log)", "pass"),
        Attack("ch3_response_lift", "all the slow complainers who would stay, not the extra ones",
               "extra_kept = len(slow) * log.loc[log['response_hours'] <= 4, 'stayed'].mean(); "
               "new_overall_rate = (log['stayed'].sum() + extra_kept) / len(log)", "fail"),
        Attack("ch3_derived_top", "the stated ranking's top given for both",
               "top_derived = top_stated", "fail"),
        Attack("ch3_nps_segment", "NPS as a fraction",
               "ordinary_nps = ordinary_nps / 100; ordinary_se = ordinary_se / 100; "
               "ordinary_ci = (ordinary_nps - 1.96 * ordinary_se, ordinary_nps + 1.96 * ordinary_se)", "fail"),
        Attack("ch3_nps_segment", "the interval with z = 1.959964",
               "ordinary_ci = (ordinary_nps - 1.959964 * ordinary_se, ordinary_nps + 1.959964 * ordinary_se)", "pass"),
        Attack("ch3_nps_segment", "the standard error of a single proportion (promoters only)",
               "ordinary_se = 100 * np.sqrt(ordinary_promoters * (1 - ordinary_promoters) / len(ordinary_scores)); "
               "ordinary_ci = (ordinary_nps - 1.96 * ordinary_se, ordinary_nps + 1.96 * ordinary_se)", "fail"),
        Attack("ch3_wom_breakeven", "the ratio inverted",
               "breakeven_tells = 10 * happy / unhappy", "fail"),
    ],
    "04_ken_robbs_secret": [
        Attack("case4_nine_types", "the table transposed (usage as rows)",
               "type_counts = type_counts.T", "fail"),
        Attack("case4_nine_types", "every analgesic buyer classified, one-purchase buyers too",
               "n_classified = items.loc[items['category'] == 'analgesics', 'card_id'].nunique()", "fail"),
        Attack("case4_qualifying", "the share of the most loyal given as the share that qualifies",
               "share_qualified = n_loyal / 1000", "fail"),
        Attack("case4_qualifying", "the most loyal counted with the USD 25 cut",
               "n_loyal = n_qualified - 1", "fail"),
        Attack("case4_deepest_offer", "store-brand buyers included",
               "_t = dicks.nine_types(items); _h = set(_t.index[_t['usage'] == 'heavy']); "
               "deepest = sorted(_h & set(due.loc[due['category'] == 'analgesics', 'card_id'])); n_deepest = len(deepest)",
               "fail"),
        Attack("case4_coupon_cost", "the store's share of redemptions without the lists",
               "store_cost = manufacturer_cost / 4", "fail"),
        Attack("case4_breakeven", "the lift in percentage points",
               "lift_needed = 100 * lift_needed", "fail"),
        Attack("case4_breakeven", "the break-even retention itself, not the lift",
               "lift_needed = 0.80 + lift_needed", "fail"),
    ],
    "05_small_rolls": [
        Attack("case5_requests_by_type", "raw counts instead of a rate per 100",
               "hits_per_100 = hits_per_100 * found['n_comments'] / 100", "fail"),
        Attack("case5_requests_by_type", "the type with the lowest rate",
               "top_type = str(hits_per_100.idxmin())", "fail"),
        Attack("case5_precision_recall", "precision and recall swapped",
               "precision, recall = recall, precision", "fail"),
        Attack("case5_better_rule", "the truth labels of this log as the rule (answer key)",
               "wanted = list(log.loc[truth['small_roll_request'], 'comment'].unique()[:12]); unwanted = []; "
               "my_quality = small_rolls.rule_quality(truth['small_roll_request'], truth['small_roll_request'])", "fail"),
        Attack("case5_better_rule", "the starting rule only (too many false hits)",
               "wanted = list(phrases); unwanted = []; "
               "my_quality = small_rolls.rule_quality(care.keyword_matches(log['comment'], wanted).any(axis=1), "
               "truth['small_roll_request'])", "fail"),
        Attack("case5_cost_of_the_unmet_need", "the gap as a difference of fractions",
               "gap_points = gap_points / 100", "fail"),
    ],
    "06_bank_wrong_churn": [
        Attack("case6_three_churns", "count churn as a percentage",
               "count_churn_1 = 100 * count_churn_1", "fail"),
        Attack("case6_three_churns", "balance churn weighted by end balances",
               "balance_churn_1 = float(y1.loc[y1['closed'], 'balance_end'].sum() / y1['balance_end'].sum())", "fail"),
        Attack("case6_three_churns", "value churn without the sharp cuts",
               "value_churn_1 = balance_churn_1", "fail"),
        Attack("case6_where_value_leaks", "the large customers' share of the closed accounts, not of the money",
               "large_share_of_loss = float(y1.loc[y1['closed'], 'segment'].eq('large').mean())", "fail"),
        Attack("case6_cut_threshold", "the threshold read as the share kept (end <= t x start)",
               "value_churn_by_threshold = pd.Series([account_churn.value_churn(y1, 1 - t) for t in thresholds], "
               "index=thresholds)[::-1].set_axis(thresholds)", "fail"),
        Attack("case6_cut_threshold", "the spread over all four thresholds",
               "spread_points = 100 * (value_churn_by_threshold.max() - value_churn_by_threshold.min())", "fail"),
        Attack("case6_kpi_report", "closures only (balance churn) on the dashboard",
               "kpi_by_year = pd.Series({y: account_churn.balance_churn(accounts[accounts['year'] == y]) for y in (1, 2)})",
               "fail"),
        Attack("case6_programme_value", "ROI as a percentage",
               "roi_programme = 100 * roi_programme", "fail"),
        Attack("case6_programme_value", "break-even over one year instead of three",
               "break_even_reduction = cost_1 / (lost_to_cuts * 0.02)", "fail"),
    ],
    "07_six_key_accounts": [
        Attack("case7_share_of_wallet", "the change as a difference of fractions",
               "sow_change_points = sow_change_points / 100", "fail"),
        Attack("case7_share_of_wallet", "shares as Series in another order (index kept)",
               "sow_prev = sow_prev.sort_values(); sow_last = sow_last.sort_values()", "pass"),
        Attack("case7_slipping_accounts", "slipping read from revenue (a 10% fall) instead of share of wallet",
               "_b = accounts.set_index('account_id'); "
               "slipping_ids = sorted(_b.index[_b['revenue_last'] <= 0.9 * _b['revenue_prev']]); "
               "slipping_six = _b.loc[[a for a in slipping_ids if a in _b.index[:6]], 'name'].tolist()", "fail"),
        Attack("case7_revenue_at_risk", "the whole book's share in percent",
               "share_at_risk = 100 * share_at_risk", "fail"),
        Attack("case7_revenue_at_risk", "last year's revenue of the six largest only",
               "revenue_at_risk = float(accounts.head(6)['revenue_last'].sum())", "fail"),
        Attack("case7_what_they_need", "every slipping account told to replace its manager",
               "needs = {k: 'replace the account manager' for k in needs}", "fail"),
        Attack("case7_switching_exposure", "held by barriers without the condition that the rival offer is worth something",
               "held_by_barriers = exposure.loc[~exposure['switching_pays'], 'name'].tolist()",
               "fail"),
    ],
    "08_satisfaction_spending": [
        Attack("case8_wave1_ratings", "the median rating instead of the mean",
               "phone_mean = float(wave1['phone_support'].median())", "fail"),
        Attack("case8_wave1_ratings", "the highest-rated attribute",
               "lowest_rated = str(wave1[list(hotline.HOTLINE_ATTRIBUTES)].mean().idxmax())", "fail"),
        Attack("case8_wave1_priorities", "correlations in place of the regression's coefficients",
               "importance_1 = wave1[attributes].corrwith(wave1['overall_satisfaction'])", "fail"),
        Attack("case8_wave1_priorities", "unstandardised coefficients",
               "importance_1 = satisfaction.derived_importance(wave1, attributes)['coefficient']", "fail"),
        Attack("case8_wave1_priorities", "the low-importance, low-performance quadrant",
               "_perf = wave1[attributes].mean(); "
               "concentrate_1 = sorted(a for a in attributes if importance_1[a] < importance_1.mean() and _perf[a] < _perf.mean())", "fail"),
        Attack("case8_wave1_priorities", "the grid computed by hand from a least-squares fit",
               "_x = wave1[attributes].to_numpy(float); _y = wave1['overall_satisfaction'].to_numpy(float); "
               "_b = np.linalg.lstsq(np.column_stack([np.ones(len(_y)), (_x - _x.mean(0)) / _x.std(0)]), "
               "(_y - _y.mean()) / _y.std(), rcond=None)[0][1:]; importance_1 = pd.Series(_b, index=attributes); "
               "_perf = wave1[attributes].mean(); "
               "concentrate_1 = sorted(a for a in attributes if importance_1[a] >= importance_1.mean() and _perf[a] < _perf.mean())", "pass"),
        Attack("case8_baseline_retention", "value retention without the sharp cuts",
               "value_retention_1 = 1 - wave1.loc[wave1['closed'], 'balance_start'].sum() / wave1['balance_start'].sum()", "fail"),
        Attack("case8_baseline_retention", "the count retention given for both",
               "value_retention_1 = count_retention_1", "fail"),
        Attack("case8_break_even", "CLV with the first margin counted now (start of year)",
               "break_even_clv = programme_cost / (14_000 * 1.10 / 0.16); break_even_points = 100 * break_even_clv / 12_000", "fail"),
        Attack("case8_break_even", "one running year only",
               "programme_cost = 2.0e6 + 3.5e6; break_even_margin = programme_cost / 14_000; "
               "break_even_clv = programme_cost / (14_000 * 0.94 / 0.16); break_even_points = 100 * break_even_clv / 12_000", "fail"),
        Attack("case8_break_even", "the rise as a fraction, not percentage points",
               "break_even_points = break_even_clv / 12_000", "fail"),
        Attack("case8_break_even", "the points spread over one year's book only",
               "break_even_points = 100 * break_even_clv / 6_000", "fail"),
    ],
    "08b_two_years_later": [
        Attack("case8_hotline_change", "wave 1 minus wave 3",
               "phone_change = -phone_change; overall_change = -overall_change", "fail"),
        Attack("case8_retention_change", "the change as a difference of fractions",
               "value_retention_change_points = value_retention_change_points / 100", "fail"),
        Attack("case8_retention_change", "count retention in place of value retention",
               "value_retention = count_retention.copy(); "
               "value_retention_change_points = 100 * (value_retention[3] - value_retention[1])", "fail"),
        Attack("case8_importance_by_wave", "one regression on all waves pooled, its top attribute used for every wave",
               "_all = satisfaction.derived_importance(waves, list(hotline.HOTLINE_ATTRIBUTES))['importance']; "
               "top_by_wave = {w: str(_all.idxmax()) for w in (1, 2, 3)}; "
               "phone_importance = pd.Series({w: float(_all['phone_support']) for w in (1, 2, 3)})", "fail"),
        Attack("case8_programme_roi", "CLV with the first margin counted now (start of year)",
               "gain_clv = extra_customers * 14_000 * 1.10 / (1 + 0.10 - 0.94); "
               "programme_roi_clv = roi.roi(gain_clv, programme_cost)", "fail"),
        Attack("case8_programme_roi", "extra customers rounded to whole customers",
               "extra_customers = round(extra_customers); gain = extra_customers * 14_000; "
               "programme_roi = roi.roi(gain, programme_cost); gain_clv = extra_customers * 14_000 * 0.94 / 0.16; "
               "programme_roi_clv = roi.roi(gain_clv, programme_cost)", "pass"),
        Attack("case8_programme_roi", "one running year only",
               "programme_cost = 2.0e6 + 3.5e6; programme_roi = roi.roi(gain, programme_cost); "
               "programme_roi_clv = roi.roi(gain_clv, programme_cost)", "fail"),
    ],
    "09_still_alive": [
        Attack("case9_silence", "the time of the last purchase taken as the silence",
               "silent = t_x.copy(); n_written_off = int((silent >= 13).sum()); median_silence = float(np.median(silent))", "fail"),
        Attack("case9_silence", "silent for more than 13 weeks (strictly)",
               "n_written_off = int((silent > 13).sum())", "fail"),
        Attack("case9_silence", "the mean silence instead of the median",
               "median_silence = float(np.mean(silent))", "fail"),
        Attack("case9_silence", "the silence computed by hand",
               "silent = calib['T'].to_numpy() - calib['recency'].to_numpy(); n_written_off = int(np.sum(silent >= 13)); "
               "median_silence = float(pd.Series(silent).median())", "pass"),
        Attack("case9_p_alive", "the BG/NBD in place of the Pareto/NBD",
               "from coursekit.models import bgnbd as _bg; _fb = _bg.fit_bgnbd(x, t_x, T); p_alive = _bg.bgnbd_p_alive(_fb, x, t_x, T); "
               "expected_alive = float(p_alive.sum())", "fail"),
        Attack("case9_p_alive", "customers with P(alive) >= 0.5 counted instead of the expected number",
               "expected_alive = float((p_alive >= 0.5).sum())", "fail"),
        Attack("case9_p_alive", "the model's doubters among the customers the rule keeps",
               "n_silent_but_alive = int(((cdnow.weeks_silent(x, t_x, T) < 13) & (p_alive < 0.5)).sum())", "fail"),
        Attack("case9_p_alive", "P(alive) from the published parameters (the same fit, rounded)",
               "p_alive = pareto_nbd.pareto_nbd_p_alive((0.553, 10.578, 0.606, 11.669), x, t_x, T); expected_alive = float(p_alive.sum())", "pass"),
        Attack("case9_value", "each customer's own average spend, one-time buyers at zero",
               "expected_spend = pareto_nbd.pareto_nbd_conditional_expected_transactions(fit_p, 39, x, t_x, T) * "
               "np.nan_to_num(calib['monetary_value'].to_numpy()); "
               "top500_value_share = float(np.sort(expected_spend)[::-1][:500].sum() / expected_spend.sum())", "fail"),
        Attack("case9_value", "expected purchases only, no dollars",
               "expected_spend = pareto_nbd.pareto_nbd_conditional_expected_transactions(fit_p, 39, x, t_x, T); "
               "top500_value_share = float(np.sort(expected_spend)[::-1][:500].sum() / expected_spend.sum())", "fail"),
        Attack("case9_value", "the share held by the 500 lowest",
               "top500_value_share = float(np.sort(expected_spend)[:500].sum() / expected_spend.sum())", "fail"),
        Attack("case9_value", "the top 500 share as a percentage",
               "top500_value_share = 100 * top500_value_share", "fail"),
        Attack("case9_holdout", "divided by the written-off customers' own purchases",
               "rule_missed_share = 1.0 - 1e-9", "fail"),
        Attack("case9_holdout", "the share of written-off customers who bought, not of purchases",
               "rule_missed_share = float((holdout[gone_by_rule] > 0).mean())", "fail"),
        Attack("case9_holdout", "purchases per customer of Question 2's group instead of the share who bought",
               "alive_list_buyers = float(holdout[silent_alive].mean()) / 10", "fail"),
        Attack("case9_holdout", "the 500 with the highest P(alive) instead of expected spending",
               "top500_purchase_share = float(holdout[np.argsort(-p_alive)[:500]].sum() / holdout.sum())", "fail"),
        Attack("case9_holdout", "the holdout read from the summary by hand",
               "_h = summary['holdout_frequency']; _g = pd.Series(silent >= 13, index=summary.index); "
               "rule_missed_share = float(_h[_g].sum() / _h.sum())", "pass"),
    ],
}
