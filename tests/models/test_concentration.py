"""Tests of coursekit.models.concentration: concentration and Lorenz curves, top shares, Gini."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit.models.concentration import concentration_curve, gini, lorenz_curve, pareto_table, top_share


def test_concentration_curve_hand_values():
    curve = concentration_curve([1, 3, 0, 4])
    assert curve.columns.tolist() == ["customer_share", "value_share"]
    assert_allclose(curve["customer_share"], [0, 0.25, 0.5, 0.75, 1])
    assert_allclose(curve["value_share"], [0, 0.5, 0.875, 1, 1])


def test_lorenz_curve_hand_values():
    curve = lorenz_curve(np.array([1, 3, 0, 4]))
    assert curve.columns.tolist() == ["population_share", "cumulative_share"]
    assert_allclose(curve["population_share"], [0, 0.25, 0.5, 0.75, 1])
    assert_allclose(curve["cumulative_share"], [0, 0, 0.125, 0.5, 1])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_curves_are_monotone_with_fixed_endpoints(seed):
    values = np.random.default_rng(seed).lognormal(3, 1.2, 101)
    for curve in (concentration_curve(values), lorenz_curve(values)):
        x, y = curve.iloc[:, 0].to_numpy(), curve.iloc[:, 1].to_numpy()
        assert (x[0], y[0]) == (0.0, 0.0)
        assert (x[-1], y[-1]) == (1.0, 1.0)
        assert (np.diff(x) > 0).all() and (np.diff(y) >= 0).all()
    conc = concentration_curve(values)["value_share"].to_numpy()
    lor = lorenz_curve(values)["cumulative_share"].to_numpy()
    assert (conc >= np.linspace(0, 1, 102) - 1e-12).all()  # above the diagonal
    assert (lor <= np.linspace(0, 1, 102) + 1e-12).all()  # below the diagonal
    # the top k hold what the bottom n - k do not
    assert_allclose(conc, 1 - lor[::-1], atol=1e-12)


def test_top_share_examples_from_the_brief():
    assert top_share([10, 0, 0, 0, 0], 0.2) == 1.0
    assert_allclose(top_share([1, 1, 1, 1], 0.5), 0.5)


def test_top_share_interpolates():
    values = [5, 3, 2]  # shares 0, 0.5, 0.8, 1 at 0, 1/3, 2/3, 1
    assert_allclose(top_share(values, 1 / 3), 0.5)
    assert_allclose(top_share(values, 0.5), 0.65)
    assert_allclose(top_share(values, 1.0), 1.0)
    assert_allclose(top_share(values, [1 / 6, 2 / 3]), [0.25, 0.8])
    assert_allclose(top_share([1, 1, 1, 1], 0.3), 0.3)
    assert isinstance(top_share(values), float)


def test_top_share_accepts_series_and_is_increasing():
    values = pd.Series(np.random.default_rng(4).gamma(0.5, 10, 250))
    grid = np.linspace(0.01, 1, 50)
    shares = top_share(values, grid)
    assert (np.diff(shares) >= 0).all()
    assert (shares >= grid - 1e-12).all()


def test_gini_hand_values():
    assert_allclose(gini([1, 1, 1, 1]), 0.0, atol=1e-15)
    assert_allclose(gini([0, 0, 0, 1]), 0.75)
    assert_allclose(gini([1, 2, 3, 4]), 0.25)
    assert_allclose(gini([7]), 0.0)
    assert_allclose(gini([3, 1]), 0.25)  # |3-1| * 2 / (2 * 4 * 2)


@pytest.mark.parametrize("seed", [0, 1])
def test_gini_matches_pair_formula_and_lorenz_area(seed):
    x = np.random.default_rng(seed).lognormal(2, 1, 60)
    n = x.size
    pairs = np.abs(x[:, None] - x[None, :]).sum() / (2 * n**2 * x.mean())
    assert_allclose(gini(x), pairs, rtol=1e-12)
    lor = lorenz_curve(x)["cumulative_share"].to_numpy()
    area = np.sum((lor[1:] + lor[:-1]) / 2) / n
    assert_allclose(gini(x), 1 - 2 * area, rtol=1e-12)


def test_gini_is_scale_invariant():
    x = np.array([1.0, 4.0, 9.0, 0.5])
    assert_allclose(gini(x), gini(1000 * x))


def test_pareto_table():
    table = pareto_table([10, 5, 3, 1, 1], fractions=(0.2, 0.4, 1.0))
    assert table.columns.tolist() == ["top_fraction", "value_share"]
    assert_allclose(table["top_fraction"], [0.2, 0.4, 1.0])
    assert_allclose(table["value_share"], [0.5, 0.75, 1.0])
    assert len(pareto_table(np.arange(1, 101))) == 5


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        ([], ValueError, "empty"),
        ([[1, 2], [3, 4]], ValueError, "one-dimensional"),
        ([1, -2, 3], ValueError, "non-negative"),
        ([1, np.inf], ValueError, "finite"),
        ([1, np.nan], ValueError, "NaN"),
        ([0, 0, 0], ValueError, "all be zero"),
        ("abc", TypeError, "values"),
        (None, TypeError, "values"),
        (["a", "b"], TypeError, "values"),
    ],
)
@pytest.mark.parametrize("func", [concentration_curve, lorenz_curve, gini, top_share, pareto_table])
def test_values_are_validated(func, values, error, match):
    with pytest.raises(error, match=match):
        func(values)


@pytest.mark.parametrize("fraction", [0, -0.1, 1.5, np.nan, [0.2, 0.0]])
def test_fraction_is_validated(fraction):
    with pytest.raises(ValueError, match="fraction"):
        top_share([1, 2, 3], fraction)


def test_fractions_are_validated():
    with pytest.raises(ValueError, match="fractions"):
        pareto_table([1, 2, 3], fractions=(0.2, 2.0))
    with pytest.raises(ValueError, match="fractions"):
        pareto_table([1, 2, 3], fractions=())
    with pytest.raises(TypeError, match="fraction"):
        top_share([1, 2, 3], "0.2")
