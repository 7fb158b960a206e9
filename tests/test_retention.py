import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.models.retention import churn_rate, expected_lifetime, retention_rate


def test_rates_from_counts():
    assert_allclose(retention_rate(2000, 1640), 0.82)
    assert_allclose(churn_rate(2000, 1640), 0.18)
    assert_allclose(retention_rate(np.array([10, 20]), np.array([5, 20])), [0.5, 1.0])


def test_expected_lifetime_matches_a_simulated_mean():
    # Geometric lifetimes: mean of many simulated customers approaches 1/(1-r).
    rng = np.random.default_rng(0)
    lifetimes = rng.geometric(1 - 0.8, size=200_000)  # counts the first period
    assert_allclose(lifetimes.mean(), expected_lifetime(0.8), rtol=0.01)
    assert expected_lifetime(0.0) == 1.0


@pytest.mark.parametrize(
    "args, message",
    [((0, 0), "customers_at_start"), ((100, -1), "retained"), ((100, 120), "exceed"), ((float("nan"), 1), "NaN")],
)
def test_bad_counts(args, message):
    with pytest.raises(ValueError, match=message):
        retention_rate(*args)


@pytest.mark.parametrize("r", [-0.1, 1.0, 1.2, float("nan")])
def test_bad_retention(r):
    with pytest.raises(ValueError, match="retention"):
        expected_lifetime(r)
