"""Tests of coursekit.models.bucket, the leaky-bucket model of customer retention."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from coursekit.models.bucket import (
    HOLE_LABELS,
    HOLE_LABELS_ZH,
    HOLES,
    Bucket,
    HoleValue,
    expected_path,
    hole_value,
    hole_values,
    refill_cost,
    replacement_inflow,
    simulate,
    steady_state,
)

COLUMNS = [
    "customers",
    "new",
    "lost",
    "lost_rude_staff",
    "lost_out_of_stock",
    "lost_poor_service",
    "lost_untrained_staff",
    "lost_poor_quality",
    "lost_poor_selection",
    "acquisition_spend",
    "retention_spend",
    "margin",
    "profit",
]


@pytest.fixture
def tiny():
    # churn c = 0.2, survival s = 0.8, steady state 10 / 0.2 = 50 customers
    return Bucket(
        {"rude_staff": 0.1, "poor_quality": 0.1},
        inflow=10,
        initial=100,
        margin=2,
        acquisition_cost=5,
        retention_cost=1,
    )


def exact_variance(bucket, periods, poisson=False):
    """Variance of the simulated count N_t for t = 0..periods.

    Every customer leaves or stays independently of the others, so N_t is a
    sum of independent survivors: N_0 starters each alive with probability
    s**t, and I arrivals in each earlier month k = 1..t, alive with
    probability s**(t-k).  A sum of independent Bernoulli(q) has variance
    sum q(1-q).  With Poisson arrivals each cohort's survivors are Poisson
    with mean I * s**j, whose variance equals that mean.
    """
    s = bucket.survival
    n0, inflow = round(bucket.initial), bucket.inflow
    out = np.zeros(periods + 1)
    for t in range(periods + 1):
        q0 = s**t
        cohorts = np.array([s**j for j in range(t)])
        per_cohort = cohorts if poisson else cohorts * (1 - cohorts)
        out[t] = n0 * q0 * (1 - q0) + inflow * per_cohort.sum()
    return out


# --- constants ---------------------------------------------------------------


def test_hole_names_and_labels():
    assert HOLES == (
        "rude_staff",
        "out_of_stock",
        "poor_service",
        "untrained_staff",
        "poor_quality",
        "poor_selection",
    )
    assert list(HOLE_LABELS) == list(HOLES)
    assert list(HOLE_LABELS_ZH) == list(HOLES)
    assert HOLE_LABELS["untrained_staff"] == "Untrained staff"
    assert HOLE_LABELS_ZH["untrained_staff"] == "员工未经培训"
    assert HOLE_LABELS_ZH["out_of_stock"] == "缺货"


# --- Bucket ------------------------------------------------------------------


def test_bucket_normalises_rates(tiny):
    assert list(tiny.leak_rates) == list(HOLES)
    assert tiny.leak_rates["out_of_stock"] == 0.0
    assert_allclose(tiny.rates, [0.1, 0, 0, 0, 0.1, 0])
    assert_allclose(tiny.churn, 0.2)
    assert_allclose(tiny.survival, 0.8)
    assert isinstance(tiny.inflow, float)


def test_bucket_copies_the_callers_mapping():
    rates = {"poor_service": 0.1}
    b = Bucket(rates)
    rates["poor_service"] = 0.5
    assert b.leak_rates["poor_service"] == 0.1


def test_bucket_is_hashable_and_comparable(tiny):
    twin = Bucket(dict(tiny.leak_rates), 10, 100, 2, 5, 1)
    assert twin == tiny
    assert hash(twin) == hash(tiny)
    assert twin != tiny.with_rates(rude_staff=0.05)


def test_plugged(tiny):
    half = tiny.plugged("rude_staff", 0.5)
    assert_allclose(half.leak_rates["rude_staff"], 0.05)
    assert_allclose(half.churn, 0.15)
    assert half.inflow == tiny.inflow and half.margin == tiny.margin
    full = tiny.plugged("poor_quality")
    assert full.leak_rates["poor_quality"] == 0.0
    assert_allclose(full.churn, 0.1)
    # an already closed hole stays closed; the original bucket is untouched
    assert tiny.plugged("poor_selection") == tiny
    assert_allclose(tiny.churn, 0.2)


def test_with_rates(tiny):
    b = tiny.with_rates(rude_staff=0.0, poor_selection=0.3)
    assert_allclose(b.rates, [0, 0, 0, 0, 0.1, 0.3])
    assert b.initial == tiny.initial


# --- expected_path -----------------------------------------------------------


def test_expected_path_three_months_by_hand(tiny):
    path = expected_path(tiny, 3)
    assert list(path.columns) == COLUMNS
    assert_array_equal(path.index, [0, 1, 2, 3])
    assert path.index.name == "month"
    assert (path.dtypes == np.float64).all()
    # N1 = 0.8*100 + 10 = 90, N2 = 0.8*90 + 10 = 82, N3 = 0.8*82 + 10 = 75.6
    assert_allclose(path["customers"], [100, 90, 82, 75.6])
    assert_allclose(path["new"], [0, 10, 10, 10])
    # lost = 0.2 * N_{t-1}; each of the two open holes takes half of it
    assert_allclose(path["lost"], [0, 20, 18, 16.4])
    assert_allclose(path["lost_rude_staff"], [0, 10, 9, 8.2])
    assert_allclose(path["lost_poor_quality"], [0, 10, 9, 8.2])
    assert_allclose(path["lost_poor_service"], [0, 0, 0, 0])
    # money: margin 2 and retention 1 on N_{t-1}; acquisition 5 on the 10 new
    assert_allclose(path["acquisition_spend"], [0, 50, 50, 50])
    assert_allclose(path["retention_spend"], [0, 100, 90, 82])
    assert_allclose(path["margin"], [0, 200, 180, 164])
    assert_allclose(path["profit"], [0, 50, 40, 32])


def test_closed_form_matches_recursion():
    b = Bucket(
        {"out_of_stock": 0.013, "poor_service": 0.021, "untrained_staff": 0.007},
        inflow=123.4,
        initial=4567,
    )
    n, loop = b.initial, [b.initial]
    for _ in range(240):
        n = b.survival * n + b.inflow
        loop.append(n)
    assert_allclose(expected_path(b, 240)["customers"], loop, rtol=1e-12)


def test_expected_path_without_churn_is_linear():
    b = Bucket({}, inflow=7, initial=3)
    path = expected_path(b, 4)
    assert_allclose(path["customers"], [3, 10, 17, 24, 31])
    assert_allclose(path["lost"], 0)


def test_steady_state_and_convergence(tiny):
    assert_allclose(steady_state(tiny), 10 / 0.2)
    path = expected_path(tiny, 200)
    gap = path["customers"].to_numpy() - 50
    # the gap to the steady state shrinks by the factor s = 0.8 each month
    assert_allclose(gap, 50 * 0.8 ** np.arange(201), rtol=1e-9, atol=1e-12)
    assert_allclose(path["customers"].iloc[-1], 50, rtol=1e-12)
    # at the steady state the bucket stands still
    still = expected_path(Bucket(dict(tiny.leak_rates), inflow=10, initial=50), 12)
    assert_allclose(still["customers"], 50)
    assert_allclose(still["lost"].iloc[1:], still["new"].iloc[1:])


def test_expected_path_conservation(tiny):
    for b in (tiny, tiny.with_rates(poor_service=0.05, out_of_stock=0.31)):
        path = expected_path(b, 60)
        change = path["customers"].diff().iloc[1:]
        assert_allclose(change, (path["new"] - path["lost"]).iloc[1:], atol=1e-9)
        assert_allclose(path["lost"], path[COLUMNS[3:9]].sum(axis=1), atol=1e-9)
        assert_allclose(
            path["profit"],
            path["margin"] - path["acquisition_spend"] - path["retention_spend"],
        )


# --- steady state, refill, replacement ---------------------------------------


def test_steady_state_special_cases():
    with pytest.raises(ValueError, match="no steady state"):
        steady_state(Bucket({}, inflow=5))
    # neither leaking nor filling: the bucket keeps its initial customers
    assert steady_state(Bucket({}, initial=40)) == 40
    assert steady_state(Bucket({"rude_staff": 0.1}, initial=40)) == 0


def test_refill_cost_and_replacement_inflow(tiny):
    # 5 per new customer * churn 0.2 * 50 customers = 50 = 5 * inflow 10
    assert_allclose(refill_cost(tiny), 50)
    assert_allclose(refill_cost(tiny), tiny.acquisition_cost * tiny.inflow)
    assert refill_cost(Bucket({}, inflow=5, acquisition_cost=9)) == 0.0
    assert_allclose(replacement_inflow(tiny, 1000), 200)
    assert_allclose(replacement_inflow(tiny, [0, 50, 75]), [0, 10, 15])
    # holding the steady-state level needs exactly the current inflow
    assert_allclose(replacement_inflow(tiny, steady_state(tiny)), tiny.inflow)


# --- hole_value / hole_values ------------------------------------------------


def test_hole_value_by_hand():
    b = Bucket(
        {"rude_staff": 0.01, "poor_service": 0.03, "out_of_stock": 0.01},
        inflow=500,
        margin=20,
        acquisition_cost=100,
    )
    v = hole_value(b, "poor_service", fraction=0.5)
    assert isinstance(v, HoleValue)
    assert v.hole == "poor_service"
    # churn 0.05 -> 0.05 - 0.015 = 0.035
    assert_allclose([v.rate_before, v.rate_after], [0.03, 0.015])
    assert_allclose(v.customers_before, 500 / 0.05)  # 10 000
    assert_allclose(v.customers_after, 500 / 0.035)  # 14 285.71...
    assert_allclose(v.extra_customers, 500 / 0.035 - 10_000)
    assert_allclose(v.extra_margin_per_month, 20 * (500 / 0.035 - 10_000))
    # 100 per new customer * 0.015 * 10 000 customers = 15 000 per month
    assert_allclose(v.saved_acquisition_per_month, 15_000)
    assert_allclose(v.max_monthly_spend_to_plug, 15_000)


def test_hole_value_closed_hole_is_worth_nothing(tiny):
    v = hole_value(tiny, "poor_selection")
    assert v.rate_before == v.rate_after == 0.0
    assert v.extra_customers == 0.0
    assert v.saved_acquisition_per_month == 0.0


def test_hole_value_last_hole_fills_without_bound():
    b = Bucket({"poor_service": 0.05}, inflow=10, margin=2, acquisition_cost=3)
    v = hole_value(b, "poor_service")
    assert math.isinf(v.customers_after) and math.isinf(v.extra_customers)
    assert v.extra_margin_per_month == math.inf
    assert_allclose(v.saved_acquisition_per_month, 3 * 0.05 * 200)
    free = hole_value(Bucket({"poor_service": 0.05}, inflow=10), "poor_service")
    assert free.extra_margin_per_month == 0.0


def test_hole_values_ordering():
    b = Bucket(
        {"rude_staff": 0.01, "poor_quality": 0.04, "out_of_stock": 0.02, "poor_selection": 0.03},
        inflow=100,
        acquisition_cost=10,
    )
    table = hole_values(b)
    assert isinstance(table, pd.DataFrame)
    assert len(table) == 6
    assert list(table.columns) == [
        "hole",
        "rate_before",
        "rate_after",
        "customers_before",
        "customers_after",
        "extra_customers",
        "extra_margin_per_month",
        "saved_acquisition_per_month",
        "max_monthly_spend_to_plug",
    ]
    # ties (the two closed holes) keep the HOLES order
    assert list(table["hole"]) == [
        "poor_quality",
        "poor_selection",
        "out_of_stock",
        "rude_staff",
        "poor_service",
        "untrained_staff",
    ]
    # customers_before = 100 / 0.1 = 1000; saved = 10 * p * 1000 = 10 000 p
    assert_allclose(table["saved_acquisition_per_month"], [400, 300, 200, 100, 0, 0])
    assert table["saved_acquisition_per_month"].is_monotonic_decreasing
    half = hole_values(b, fraction=0.5)
    assert_allclose(half["saved_acquisition_per_month"], [200, 150, 100, 50, 0, 0])


# --- simulate ----------------------------------------------------------------


def test_simulate_single_run_table(tiny):
    sim = simulate(tiny, 24, seed=11)
    assert list(sim.columns) == COLUMNS
    assert sim.index.name == "month"
    assert_array_equal(sim.index, np.arange(25))
    for column in COLUMNS[:9]:
        assert sim[column].dtype == np.int64, column
    assert sim["customers"].iloc[0] == 100
    assert (sim.iloc[0, 1:] == 0).all()
    assert (sim["new"].iloc[1:] == 10).all()
    # closed holes never leak
    assert (sim[["lost_out_of_stock", "lost_poor_service"]] == 0).all().all()
    # conservation month by month, and the money columns follow the counts
    change = sim["customers"].diff().iloc[1:]
    assert_array_equal(change, (sim["new"] - sim["lost"]).iloc[1:])
    assert_array_equal(sim["lost"], sim[COLUMNS[3:9]].sum(axis=1))
    start = sim["customers"].shift(1, fill_value=0)
    assert_allclose(sim["margin"], 2 * start)
    assert_allclose(sim["retention_spend"], 1 * start)
    assert_allclose(sim["acquisition_spend"], 5 * sim["new"])
    assert_allclose(
        sim["profit"], sim["margin"] - sim["acquisition_spend"] - sim["retention_spend"]
    )


def test_simulate_poisson_inflow_conserves(tiny):
    sim = simulate(tiny, 36, seed=5, random_inflow=True)
    change = sim["customers"].diff().iloc[1:]
    assert_array_equal(change, (sim["new"] - sim["lost"]).iloc[1:])
    assert sim["new"].iloc[1:].nunique() > 1


def test_simulate_many_runs_shape_and_conservation(tiny):
    paths = simulate(tiny, 10, seed=2, runs=50)
    assert isinstance(paths, np.ndarray)
    assert paths.shape == (50, 11)
    assert paths.dtype == np.int64
    assert (paths[:, 0] == 100).all()
    # with fixed inflow a month can add at most the 10 newcomers
    assert (np.diff(paths, axis=1) <= 10).all()


def test_simulate_is_deterministic_with_a_seed(tiny):
    pd.testing.assert_frame_equal(simulate(tiny, 30, seed=42), simulate(tiny, 30, seed=42))
    assert_array_equal(simulate(tiny, 30, seed=42, runs=20), simulate(tiny, 30, seed=42, runs=20))
    a = simulate(tiny, 30, seed=1, runs=20)
    b = simulate(tiny, 30, seed=2, runs=20)
    assert not np.array_equal(a, b)
    gen = np.random.default_rng(42)
    assert_array_equal(simulate(tiny, 30, seed=gen, runs=20), simulate(tiny, 30, seed=42, runs=20))


@pytest.mark.parametrize("poisson", [False, True])
def test_simulation_mean_matches_expected_path(poisson):
    b = Bucket(
        {"rude_staff": 0.03, "poor_service": 0.05, "poor_selection": 0.02},
        inflow=40,
        initial=900,
    )
    runs, periods = 2000, 36
    paths = simulate(b, periods, seed=2024, runs=runs, random_inflow=poisson)
    mean = paths.mean(axis=0)
    expected = expected_path(b, periods)["customers"].to_numpy()
    # Tolerance: the mean of 2000 independent runs is close to normal with
    # standard error sqrt(Var(N_t) / 2000), where Var(N_t) is known exactly
    # (see exact_variance).  A 5-standard-error miss has two-sided
    # probability about 6e-7 per month, under 3e-5 over all 37 months, so a
    # failure means a bug, not bad luck.  Month 0 has no variance at all.
    se = np.sqrt(exact_variance(b, periods, poisson) / runs)
    assert se[0] == 0 and mean[0] == 900
    assert np.all(np.abs(mean - expected) <= 5 * se)
    # the spread across runs agrees with the exact variance too (loose check)
    assert_allclose(paths[:, 1:].var(axis=0), exact_variance(b, periods, poisson)[1:], rtol=0.25)


def test_simulate_rounds_initial_and_inflow():
    b = Bucket({"poor_quality": 0.1}, inflow=3.4, initial=10.6)
    sim = simulate(b, 5, seed=0)
    assert sim["customers"].iloc[0] == 11
    assert (sim["new"].iloc[1:] == 3).all()


def test_ten_million_customers_over_ten_years():
    b = Bucket(
        {"rude_staff": 0.004, "out_of_stock": 0.006, "poor_service": 0.01, "poor_quality": 0.005},
        inflow=200_000,
        initial=10_000_000,
    )
    sim = simulate(b, 120, seed=7)
    expected = expected_path(b, 120)
    assert sim["customers"].dtype == np.int64
    # Each count is a sum of independent survivors, so its standard
    # deviation is at most sqrt(E[N_t]) (about 3 000 here); 6 of them allow
    # only a one-in-a-billion miss per month.
    sd_bound = np.sqrt(expected["customers"].to_numpy())
    assert np.all(np.abs(sim["customers"] - expected["customers"]) <= 6 * sd_bound)
    # Given the N_{t-1} customers present, the number leaving through hole i
    # is binomial(N_{t-1}, p_i), with standard deviation below sqrt(p_i N_{t-1}).
    lost = sim[COLUMNS[3:9]].to_numpy()[1:]
    conditional_mean = np.outer(sim["customers"].to_numpy()[:-1], b.rates)
    assert np.all(np.abs(lost - conditional_mean) <= 6 * np.sqrt(conditional_mean))
    assert (lost[:, [3, 5]] == 0).all()
    assert (lost[:, [0, 1, 2, 4]] > 0).all()


# --- argument checks ---------------------------------------------------------


@pytest.mark.parametrize(
    "rates, match",
    [
        ({"rude": 0.1}, r"leak_rates key must be one of .*'rude_staff'.*got 'rude'"),
        ({"rude_staff": -0.1}, r"leak_rates\['rude_staff'\] must be in \[0, 1\), got -0.1"),
        ({"poor_service": 1.0}, r"leak_rates\['poor_service'\] must be in \[0, 1\), got 1"),
        ({"poor_service": float("nan")}, r"leak_rates\['poor_service'\] must be a number, got NaN"),
        ({"poor_service": 0.6, "poor_quality": 0.5}, r"sum\(leak_rates\) = 1.1"),
        ({"poor_service": 0.5, "poor_quality": 0.5}, r"sum\(leak_rates\) = 1"),
    ],
)
def test_bad_leak_rates(rates, match):
    with pytest.raises(ValueError, match=match):
        Bucket(rates)


def test_leak_rates_type_errors():
    with pytest.raises(TypeError, match="leak_rates must be a mapping"):
        Bucket([0.1, 0.2])
    with pytest.raises(TypeError, match="leak_rates"):
        Bucket({"rude_staff": "0.1"})
    with pytest.raises(TypeError, match=r"leak_rates\['rude_staff'\] must be a single number"):
        Bucket({"rude_staff": [0.1, 0.2]})


@pytest.mark.parametrize("name", ["inflow", "initial", "acquisition_cost", "retention_cost"])
def test_negative_amounts_refused(name):
    with pytest.raises(ValueError, match=rf"{name} must be in \[0, inf\), got -1"):
        Bucket({"rude_staff": 0.1}, **{name: -1})
    with pytest.raises(ValueError, match=rf"{name} must be a number, got NaN"):
        Bucket({"rude_staff": 0.1}, **{name: float("nan")})


def test_margin_may_be_negative_but_not_nan():
    assert Bucket({}, margin=-3).margin == -3.0
    with pytest.raises(ValueError, match="margin must be a number, got NaN"):
        Bucket({}, margin=float("nan"))
    with pytest.raises(ValueError, match="margin must be a finite number"):
        Bucket({}, margin=float("inf"))


def test_unknown_hole_names(tiny):
    with pytest.raises(ValueError, match=r"hole must be one of 'rude_staff', .*'poor_selection'; got 'price'"):
        hole_value(tiny, "price")
    with pytest.raises(ValueError, match="hole must be one of"):
        tiny.plugged("price")
    with pytest.raises(ValueError, match="leak_rates key must be one of"):
        tiny.with_rates(price=0.1)


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_bad_fraction(tiny, fraction):
    with pytest.raises(ValueError, match=r"fraction must be in \[0, 1\]"):
        tiny.plugged("rude_staff", fraction)
    with pytest.raises(ValueError, match=r"fraction must be in \[0, 1\]"):
        hole_value(tiny, "rude_staff", fraction)
    with pytest.raises(ValueError, match=r"fraction must be in \[0, 1\]"):
        hole_values(tiny, fraction)


@pytest.mark.parametrize("func", [expected_path, simulate])
def test_bad_periods(tiny, func):
    with pytest.raises(ValueError, match="periods must be an integer >= 1, got 0"):
        func(tiny, 0)
    with pytest.raises(ValueError, match="periods must be an integer >= 1, got -3"):
        func(tiny, -3)
    with pytest.raises(ValueError, match="periods must be a whole number, got 2.5"):
        func(tiny, 2.5)
    with pytest.raises(TypeError, match="periods must be a whole number"):
        func(tiny, "12")
    # a float holding a whole number is accepted
    assert len(func(tiny, 3.0)) == 4


def test_bad_simulation_arguments(tiny):
    with pytest.raises(ValueError, match="runs must be an integer >= 1, got 0"):
        simulate(tiny, 5, runs=0)
    with pytest.raises(ValueError, match="runs must be a whole number, got 1.5"):
        simulate(tiny, 5, runs=1.5)
    with pytest.raises(TypeError, match="random_inflow must be True or False"):
        simulate(tiny, 5, random_inflow="yes")
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        simulate(tiny, 5, seed=-1)
    with pytest.raises(TypeError, match="seed must be None"):
        simulate(tiny, 5, seed=1.5)
    with pytest.raises(ValueError, match=r"below 2\*\*62"):
        simulate(Bucket({"rude_staff": 0.1}, initial=5e18), 5)


def test_bucket_argument_checked():
    for func in (expected_path, simulate):
        with pytest.raises(TypeError, match="bucket must be a coursekit.models.bucket.Bucket"):
            func({"rude_staff": 0.1}, 5)
    for func in (steady_state, refill_cost, hole_values):
        with pytest.raises(TypeError, match="bucket must be"):
            func(None)
    with pytest.raises(TypeError, match="bucket must be"):
        hole_value("bucket", "rude_staff")
    with pytest.raises(TypeError, match="bucket must be"):
        replacement_inflow(3, 100)


def test_bad_target(tiny):
    with pytest.raises(ValueError, match=r"target must be in \[0, inf\), got -5"):
        replacement_inflow(tiny, -5)
    with pytest.raises(ValueError, match="target must be a number, got NaN"):
        replacement_inflow(tiny, [1, float("nan")])
