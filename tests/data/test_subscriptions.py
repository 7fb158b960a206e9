"""Tests of coursekit.data.subscriptions: the subscription dataset, the Fader-Hardie table, their loaders.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.special import betaln

from coursekit.data.subscriptions import (
    FADER_HARDIE_2007_TABLE1,
    PLAN_CHURN,
    PLAN_FEES,
    PLANS,
    SubscriptionsData,
    fader_hardie_survivors,
    load_fader_hardie,
    load_subscriptions,
    load_subscriptions_truth,
    make_subscriptions,
    write_fader_hardie,
    write_subscriptions,
)
from coursekit.models.retention import cohort_table
from coursekit.models.survival import fit_sbg, fit_sbg_lifetimes, kaplan_meier, sbg_retention

FILES = ["subscriptions.csv", "subscriptions_truth.csv", "fader_hardie_2007_table1.csv"]


@pytest.fixture(scope="module")
def data() -> SubscriptionsData:
    return make_subscriptions()


def write_all(directory) -> list[Path]:
    return write_subscriptions(directory) + write_fader_hardie(directory)


# ------------------------------------------------------------------------------------------
# reproducibility
# ------------------------------------------------------------------------------------------
def test_writing_twice_gives_identical_bytes(tmp_path):
    first, second = write_all(tmp_path / "a"), write_all(tmp_path / "b")
    assert [p.name for p in first] == FILES
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes()


def test_same_seed_same_frames_and_other_seed_differs(data):
    again = make_subscriptions()
    for a, b in zip(data, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    other = make_subscriptions(seed=1)
    assert not other.truth["theta"].equals(data.truth["theta"])


def test_loaders_return_what_the_generator_made(data):
    pd.testing.assert_frame_equal(load_subscriptions(), data.customers)
    pd.testing.assert_frame_equal(load_subscriptions_truth(), data.truth)


def test_files_are_plain_csv(tmp_path):
    paths = write_subscriptions(tmp_path, make_subscriptions(n_cohorts=3, first_cohort_size=20, seed=2))
    for path in paths:
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
    lines = paths[0].read_text().splitlines()
    assert lines[0] == "customer_id,cohort,plan,monthly_fee,start_date,end_date,periods_observed,churned"
    censored = [line for line in lines[1:] if line.endswith(",False")]
    assert censored and all(",," in line for line in censored)  # empty end_date


# ------------------------------------------------------------------------------------------
# structure of the subscription data
# ------------------------------------------------------------------------------------------
def test_dtypes():
    customers = load_subscriptions()
    truth = load_subscriptions_truth()
    text = pd.Series(["x"]).astype("str").dtype
    assert customers["customer_id"].dtype == text and customers["cohort"].dtype == text
    assert customers["plan"].cat.categories.tolist() == list(PLANS)
    assert customers["monthly_fee"].dtype == np.float64
    assert customers["start_date"].dtype == "datetime64[ns]" and customers["end_date"].dtype == "datetime64[ns]"
    assert customers["periods_observed"].dtype == np.int64
    assert customers["churned"].dtype == bool
    assert truth["plan"].cat.categories.tolist() == list(PLANS)
    assert truth["lifetime_periods"].dtype == np.int64
    for column in ["alpha", "beta", "theta"]:
        assert truth[column].dtype == np.float64


def test_structure(data):
    customers, truth = data
    assert customers["customer_id"].is_unique and customers["customer_id"].iloc[0] == "S00001"
    assert truth["customer_id"].tolist() == customers["customer_id"].tolist()
    # 24 monthly cohorts growing by 3 % a month from 200
    sizes = customers.groupby("cohort").size()
    assert sizes.index.tolist() == [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    assert_allclose(sizes.to_numpy(), np.round(200 * 1.03 ** np.arange(24)))
    assert len(customers) == int(sizes.sum()) == 6887
    # every subscription starts on the first of its cohort's month
    assert (customers["start_date"].dt.strftime("%Y-%m") == customers["cohort"]).all()
    assert (customers["start_date"].dt.day == 1).all()
    assert customers["start_date"].is_monotonic_increasing
    fee = customers["plan"].map(PLAN_FEES).astype(float)
    assert_allclose(customers["monthly_fee"], fee)


def test_censoring_and_dates_are_consistent(data):
    customers, truth = data
    cohort_index = customers["start_date"].dt.year * 12 + customers["start_date"].dt.month - (2022 * 12 + 1)
    horizon = 24 - cohort_index
    churned = customers["churned"]
    periods = customers["periods_observed"]
    assert (customers["end_date"].isna() == ~churned).all()
    assert (periods >= 1).all() and (periods <= horizon).all()
    # the censored have faced every renewal date of their cohort up to 2024-01-01
    assert (periods[~churned] == horizon[~churned]).all()
    # the churned left on a renewal date, `periods` months after starting, not after 2024-01-01
    months_between = (customers["end_date"].dt.year - customers["start_date"].dt.year) * 12 + (
        customers["end_date"].dt.month - customers["start_date"].dt.month
    )
    assert (months_between[churned] == periods[churned]).all()
    assert (customers.loc[churned, "end_date"].dt.day == 1).all()
    assert customers["end_date"].max() <= pd.Timestamp("2024-01-01")
    # the truth agrees: observed lifetimes are the true ones, censored ones run longer
    lifetime = truth["lifetime_periods"]
    assert (lifetime[churned] == periods[churned]).all()
    assert (lifetime[~churned] > periods[~churned]).all()


def test_truth_parameters_and_theta_distribution(data):
    _, truth = data
    for plan, (alpha, beta) in PLAN_CHURN.items():
        rows = truth[truth["plan"] == plan]
        assert (rows["alpha"] == alpha).all() and (rows["beta"] == beta).all()
        theta = rows["theta"].to_numpy()
        assert ((theta > 0) & (theta < 1)).all()
        mean = alpha / (alpha + beta)
        sd = np.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
        assert abs(theta.mean() - mean) < 4 * sd / np.sqrt(theta.size)
    # plan shares near 70 / 30 (binomial, 4 standard errors)
    share = (truth["plan"] == "basic").mean()
    assert abs(share - 0.7) < 4 * np.sqrt(0.21 / len(truth))


def _standard_errors(fit, durations, observed):
    """Asymptotic standard errors of (alpha, beta) from a finite-difference Hessian."""
    d, o = np.asarray(durations), np.asarray(observed, bool)
    t_c, n_c = np.unique(d[o], return_counts=True)
    t_s, n_s = np.unique(d[~o], return_counts=True)

    def ll(a, b):
        return n_c @ (betaln(a + 1, b + t_c - 1) - betaln(a, b)) + n_s @ (betaln(a, b + t_s) - betaln(a, b))

    x, h = np.array([fit.alpha, fit.beta]), 1e-4 * np.array([fit.alpha, fit.beta])
    e = np.eye(2) * h
    hess = np.array([[(ll(*(x + e[i] + e[j])) - ll(*(x + e[i] - e[j])) - ll(*(x - e[i] + e[j]))
                       + ll(*(x - e[i] - e[j]))) / (4 * h[i] * h[j]) for j in range(2)] for i in range(2)])
    return np.sqrt(np.diag(np.linalg.inv(-hess)))


@pytest.mark.parametrize("plan", PLANS)
def test_sbg_fit_recovers_each_plans_parameters(plan):
    """Within one plan the data are exactly sBG: the fit lands within 4 standard errors of the truth
    (measured: basic 1.318 / 7.147 vs 1.3 / 7.0; premium 2.122 / 32.16 vs 1.8 / 25.0, whose
    standard errors are large because its customers rarely churn within 24 months)."""
    customers = load_subscriptions()
    rows = customers[customers["plan"] == plan]
    fit = fit_sbg_lifetimes(rows["periods_observed"], rows["churned"])
    se = _standard_errors(fit, rows["periods_observed"], rows["churned"])
    alpha, beta = PLAN_CHURN[plan]
    assert abs(fit.alpha - alpha) < 4 * se[0], (fit, se)
    assert abs(fit.beta - beta) < 4 * se[1], (fit, se)
    # the mean churn probability is estimated much more tightly than alpha and beta separately
    assert abs(fit.mean_churn - alpha / (alpha + beta)) < 0.02


def test_aggregate_retention_rises_with_tenure():
    customers = load_subscriptions()
    km = kaplan_meier(customers["periods_observed"], customers["churned"])
    r = km.loc[km["time"].between(1, 20), "retention"].to_numpy()
    slope = np.polyfit(np.arange(1, 21), r, 1)[0]
    assert slope > 0
    assert r[:4].mean() < r[-4:].mean() - 0.03
    # while every customer's own churn probability is constant, and the basic plan's model
    # retention rises from 0.843 to 0.96 over 24 months
    assert_allclose(sbg_retention(*PLAN_CHURN["basic"], [1, 24]), [7 / 8.3, 30 / 31.3])


def test_cohort_table_of_the_dataset():
    customers = load_subscriptions()
    table = cohort_table(customers)
    assert table.shape == (24, 25)
    sizes = customers.groupby("cohort").size()
    assert_allclose(table[0].to_numpy(), sizes.to_numpy())
    # cohort k (0 = 2022-01) is known up to period 24 - k and NaN after
    known = table.notna().sum(axis=1).to_numpy()
    assert_allclose(known, 25 - np.arange(24))
    # brute-force count for one cohort
    rows = customers[customers["cohort"] == "2022-07"]
    for t in range(0, 19):
        alive = ((rows["periods_observed"] > t) | (~rows["churned"] & (rows["periods_observed"] >= t))).sum()
        assert table.loc["2022-07", t] == alive


# ------------------------------------------------------------------------------------------
# Fader & Hardie (2007) table
# ------------------------------------------------------------------------------------------
def test_fader_hardie_table_is_the_published_one():
    table = load_fader_hardie()
    assert table.columns.tolist() == ["year", "regular", "high_end"]
    assert table["year"].tolist() == list(range(13)) and table["year"].dtype == np.int64
    assert table["regular"].tolist() == [100.0, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
    assert table["high_end"].tolist() == [100.0, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]
    assert list(FADER_HARDIE_2007_TABLE1["regular"]) == table["regular"].tolist()


def test_fader_hardie_survivors_fit_the_paper():
    regular = fader_hardie_survivors("regular", last_year=7)
    assert regular.tolist() == [1000, 631, 468, 382, 326, 289, 262, 241]
    assert regular.dtype == np.int64
    high = fader_hardie_survivors("high_end")
    assert high.size == 13 and high[-1] == 394
    fit = fit_sbg(fader_hardie_survivors("high_end", last_year=7))
    assert (round(fit.alpha, 3), round(fit.beta, 3)) == (0.668, 3.806)


# ------------------------------------------------------------------------------------------
# errors
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_cohorts": 0}, ValueError, "n_cohorts"),
        ({"n_cohorts": 2.5}, ValueError, "n_cohorts"),
        ({"first_cohort_size": "10"}, TypeError, "first_cohort_size"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 2.0}, TypeError, "seed"),
        ({"first_cohort": "2022-01-01 10:00"}, ValueError, "first_cohort"),
        ({"first_cohort": "2022-01-15"}, ValueError, "first day of a month"),
        ({"first_cohort": "January"}, ValueError, "first_cohort"),
        ({"first_cohort": 2022}, TypeError, "first_cohort"),
    ],
)
def test_make_subscriptions_validates(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_subscriptions(**kwargs)


def test_make_subscriptions_small_and_custom_start():
    small = make_subscriptions(n_cohorts=1, first_cohort_size=5, seed=0, first_cohort="2020-06-01")
    assert len(small.customers) == 5
    assert (small.customers["cohort"] == "2020-06").all()
    assert (small.customers["periods_observed"] == 1).all()


def test_writers_and_loaders_validate(tmp_path):
    with pytest.raises(TypeError, match="data"):
        write_subscriptions(tmp_path, data="no")
    with pytest.raises(TypeError, match="directory"):
        write_fader_hardie(3)
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ValueError, match="directory"):
        write_subscriptions(afile)
    empty = tmp_path / "empty"
    empty.mkdir()
    for loader in (load_subscriptions, load_subscriptions_truth, load_fader_hardie):
        with pytest.raises(FileNotFoundError, match="make data"):
            loader(empty)
    (empty / "fader_hardie_2007_table1.csv").write_text("year,regular\n0,100.0\n")
    with pytest.raises(ValueError, match="columns"):
        load_fader_hardie(empty)
    bad = tmp_path / "bad"
    write_subscriptions(bad, make_subscriptions(n_cohorts=2, first_cohort_size=3, seed=0))
    path = bad / "subscriptions.csv"
    path.write_text(path.read_text().replace(",False", ",maybe", 1))
    with pytest.raises(ValueError, match="True or False"):
        load_subscriptions(bad)
    path.write_text(path.read_text().replace(",basic,", ",gold,", 1))
    with pytest.raises(ValueError, match="plan"):
        load_subscriptions(bad)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"segment": "luxury"}, ValueError, "segment"),
        ({"last_year": 1}, ValueError, "between 2 and 12"),
        ({"last_year": 13}, ValueError, "between 2 and 12"),
        ({"last_year": 7.5}, ValueError, "last_year"),
    ],
)
def test_fader_hardie_survivors_validates(kwargs, error, match):
    with pytest.raises(error, match=match):
        fader_hardie_survivors(**kwargs)
