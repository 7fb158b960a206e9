"""Every case explorer's ``BENCH`` table (what ``make bench`` replays) builds the explorer and replays its moves."""

from __future__ import annotations

import pytest

from coursekit.cases import bank, cdnow, dicks, freshbox, hotline, key_accounts, miao, small_rolls

MODULES = (freshbox, miao, dicks, small_rolls, bank, key_accounts, hotline, cdnow)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_bench_moves_replay(module):
    assert 1 <= len(module.BENCH) <= 2  # a case in two parts may have an explorer in each
    for factory, moves in module.BENCH.values():
        ex = factory()
        assert len(moves) == 15
        ex.set(**moves[-1])
        assert ex.results
