"""Tests of coursekit.models.wom against hand-computed values."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.models.clv import clv
from coursekit.models.wom import Reach, referral_value, word_of_mouth_reach


def test_reach_defaults():
    # 90 satisfied x 3 = 270, 10 dissatisfied x 10 = 100; net 170; ratio 100/270.
    reach = word_of_mouth_reach(90, 10)
    assert isinstance(reach, Reach)
    assert (reach.positive, reach.negative, reach.net) == (270.0, 100.0, 170.0)
    assert_allclose(reach.ratio, 100 / 270)
    assert all(isinstance(x, float) for x in (reach.positive, reach.negative, reach.net, reach.ratio))
    with pytest.raises(AttributeError):
        reach.net = 0.0  # frozen


def test_reach_custom_tells():
    # the low end of the claim: 2 and 8 people -> 50*2 = 100, 50*8 = 400, ratio 4
    reach = word_of_mouth_reach(50, 50, tells_if_satisfied=2, tells_if_dissatisfied=8)
    assert_allclose([reach.positive, reach.negative, reach.net, reach.ratio], [100, 400, -300, 4])


def test_reach_ratio_edge_cases():
    assert word_of_mouth_reach(0, 5).ratio == math.inf
    assert word_of_mouth_reach(0, 0).ratio == 0.0
    assert word_of_mouth_reach(10, 0).ratio == 0.0
    assert word_of_mouth_reach(10, 5, tells_if_satisfied=0).ratio == math.inf
    ratios = word_of_mouth_reach(np.array([0, 0, 10]), np.array([0, 4, 3])).ratio
    assert_allclose(ratios, [0.0, math.inf, 1.0])
    assert not np.isnan(ratios).any()


def test_reach_vectorised():
    satisfied = np.arange(0, 101, 10)
    reach = word_of_mouth_reach(satisfied[:, None], 100 - satisfied[None, :], tells_if_dissatisfied=np.array([8.0]))
    assert reach.positive.shape == reach.negative.shape == reach.net.shape == reach.ratio.shape == (11, 11)
    assert_allclose(reach.net, 3 * satisfied[:, None] - 8 * (100 - satisfied[None, :]))
    # Scalar inputs that broadcast against an array give arrays in every field.
    assert word_of_mouth_reach(np.array([1.0, 2.0]), 1).negative.shape == (2,)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"satisfied": -1}, ValueError, r"satisfied must be in \[0, inf\), got -1"),
        ({"dissatisfied": -0.5}, ValueError, r"dissatisfied must be in \[0, inf\), got -0.5"),
        ({"satisfied": np.nan}, ValueError, "satisfied must be a number, got NaN"),
        ({"dissatisfied": math.inf}, ValueError, "dissatisfied must be a finite number"),
        ({"tells_if_satisfied": -3}, ValueError, r"tells_if_satisfied must be in \[0, inf\)"),
        ({"tells_if_dissatisfied": np.nan}, ValueError, "tells_if_dissatisfied must be a number, got NaN"),
        ({"satisfied": "90"}, TypeError, "satisfied must be a number"),
        ({"satisfied": np.array([1.0, -2.0])}, ValueError, "satisfied must be in"),
    ],
)
def test_reach_rejects_bad_input(kwargs, error, match):
    args = {"satisfied": 90, "dissatisfied": 10} | kwargs
    with pytest.raises(error, match=match):
        word_of_mouth_reach(**args)


def test_referral_value():
    # 1000 * 4 * 0.25 = 1000
    assert referral_value(1000, 4, 0.25) == 1000.0
    assert isinstance(referral_value(1000, 4, 0.25), float)
    assert referral_value(1000, 4, 0.0) == 0.0
    assert referral_value(1000, 4, 1.0) == 4000.0
    # combines with clv: 100 * 0.8 / 0.3 per referred customer, 3 referrals, 10 % convert
    assert_allclose(referral_value(clv(100, 0.8, 0.1), 3, 0.1), 0.3 * 800 / 3)
    grid = referral_value(1000, np.array([[0], [2], [4]]), np.array([0.1, 0.5]))
    assert_allclose(grid, [[0, 0], [200, 1000], [400, 2000]])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((1000, -1, 0.1), ValueError, r"referrals_per_customer must be in \[0, inf\), got -1"),
        ((1000, 2, 1.5), ValueError, r"conversion_rate must be in \[0, 1\], got 1.5"),
        ((1000, 2, -0.1), ValueError, r"conversion_rate must be in \[0, 1\]"),
        ((np.nan, 2, 0.1), ValueError, "clv_value must be a number, got NaN"),
        ((1000, 2, np.nan), ValueError, "conversion_rate must be a number, got NaN"),
        ((1000, "2", 0.1), TypeError, "referrals_per_customer must be a number"),
    ],
)
def test_referral_value_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        referral_value(*args)
