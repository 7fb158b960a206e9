"""Tests of coursekit.data.sampling: the random building blocks shared by the generators."""

from __future__ import annotations

import numpy as np
import pytest

from coursekit.data.sampling import allocate, ids, pick, pick_rows, scale_round, streams


def test_streams_are_reproducible_and_independent():
    a, b = streams(3, 2)
    again = streams(3, 2)
    assert a.random() == again[0].random() and b.random() == again[1].random()
    assert streams(3, 2)[0].random() != streams(3, 2)[1].random()


@pytest.mark.parametrize("n", [0, 1, 7, 24, 1000])
def test_allocate_adds_up_and_stays_within_one_of_the_exact_share(n):
    shares = np.array([0.14, 0.34, 0.20, 0.10, 0.08, 0.14])
    counts = allocate(shares, n)
    assert counts.sum() == n
    assert (np.abs(counts - shares / shares.sum() * n) < 1).all()


def test_pick_draws_with_the_given_shares():
    codes = pick(np.random.default_rng(0), {"a": 1.0, "b": 3.0}, 40_000)
    assert set(np.unique(codes)) == {0, 1}
    assert abs((codes == 1).mean() - 0.75) < 0.01
    # a dict and the sequence of its values draw the same codes
    same = pick(np.random.default_rng(0), [1.0, 3.0], 40_000)
    assert (codes == same).all()


def test_pick_rows_draws_each_row_from_its_own_probabilities():
    probs = np.tile([0.2, 0.5, 0.3], (30_000, 1))
    probs[::2] = [0.0, 0.0, 1.0]
    codes = pick_rows(np.random.default_rng(1), probs)
    assert (codes[::2] == 2).all()
    shares = np.bincount(codes[1::2], minlength=3) / codes[1::2].size
    np.testing.assert_allclose(shares, [0.2, 0.5, 0.3], atol=0.015)


def test_scale_round_and_ids():
    assert scale_round([-3.0, 1.49, 1.51, 6.5, 99.0], 1, 7).tolist() == [1, 1, 2, 6, 7]
    assert ids("R", 3, 4).tolist() == ["R0001", "R0002", "R0003"]
    assert ids("S", 100_000, 5)[-1] == "S100000"
