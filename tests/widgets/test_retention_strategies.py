"""The Chapter 5 explorer: the retention budget across quadrants and Berry's instruments."""

import numpy as np
import pytest

from coursekit.models import allocation
from coursekit.widgets import retention_strategies


def _segments(margin_ii):
    segments = allocation.EXAMPLE_SEGMENTS.copy()
    segments.loc[segments["segment"] == "II", "margin"] = margin_ii
    return segments


def test_default_view_is_the_allocation_of_the_module_example():
    ex = retention_strategies.budget_explorer()
    expected = allocation.allocate_budget(allocation.EXAMPLE_SEGMENTS, allocation.BERRY_INSTRUMENTS, 300_000, 0.10)
    assert ex.results["equity"] == pytest.approx(expected.equity)
    assert ex.results["gain"] == pytest.approx(expected.equity - expected.even_split_equity)
    assert round(ex.results["gain"]) == 810747
    assert ex.results["funded_segments"] == ["III", "IV"]      # no growth term: I and II get nothing
    assert ex.results["concave"] is True
    assert bytes(ex.image.value).startswith(b"\x89PNG")
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()
    assert "Funded quadrants: <b>III, IV</b>" in ex.summary.value


def test_bars_show_the_optimal_and_the_even_spend_in_thousands():
    ex = retention_strategies.budget_explorer()
    ex.set(budget=450_000.0, discount_rate=0.15)
    optimal = allocation.allocate_budget(allocation.EXAMPLE_SEGMENTS, allocation.BERRY_INSTRUMENTS, 450_000, 0.15)
    even = allocation.even_split(allocation.EXAMPLE_SEGMENTS, allocation.BERRY_INSTRUMENTS, 450_000)
    heights_opt = np.array([bar.get_height() for bar in ex._artists["optimal"]])
    heights_even = np.array([bar.get_height() for bar in ex._artists["even"]])
    np.testing.assert_allclose(heights_opt, optimal.spend.to_numpy().ravel() / 1000, atol=1e-6)
    np.testing.assert_allclose(heights_even, even.to_numpy().ravel() / 1000)
    np.testing.assert_allclose(heights_opt.sum(), 450.0)
    np.testing.assert_allclose(heights_even.sum(), 450.0)
    assert ex.ax.get_ylim()[1] >= max(heights_opt.max(), heights_even.max())


def test_crediting_quadrant_two_with_its_potential_funds_it():
    ex = retention_strategies.budget_explorer()
    before = bytes(ex.image.value)
    ex.controls["margin_ii"].value = 300.0           # a slider move redraws in place
    assert bytes(ex.image.value) != before
    expected = allocation.allocate_budget(_segments(300.0), allocation.BERRY_INSTRUMENTS, 300_000, 0.10)
    assert "II" in ex.results["funded_segments"]
    assert ex.results["spend"].loc["II"].sum() > 0
    np.testing.assert_allclose(ex.results["spend"].to_numpy(), expected.spend.to_numpy(), atol=1e-3)
    assert ex.results["no_spend_equity"] == pytest.approx(
        allocation.customer_equity(_segments(300.0), allocation.BERRY_INSTRUMENTS, discount_rate=0.10)
    )


def test_zero_budget_funds_nothing():
    ex = retention_strategies.budget_explorer(budget=0.0)
    assert ex.results["funded_segments"] == []
    assert ex.results["gain"] == 0.0
    assert ex.results["equity"] == pytest.approx(ex.results["no_spend_equity"])
    assert "none" in ex.summary.value
    assert ex.ax.get_ylim() == (0.0, 1.1)


def test_every_discount_rate_of_the_slider_keeps_the_problem_concave():
    ex = retention_strategies.budget_explorer()
    lowest = ex.controls["discount_rate"].min
    for margin in (ex.controls["margin_ii"].min, ex.controls["margin_ii"].max):
        ex.set(discount_rate=lowest, margin_ii=margin, budget=ex.controls["budget"].max)
        assert ex.results["concave"], "the slider must not reach discount rates with several local optima"


def test_summary_carries_the_colour_key_and_rejects_unknown_controls():
    ex = retention_strategies.budget_explorer()
    for name in ("financial", "social", "structural"):
        assert name in ex.summary.value
    with pytest.raises(ValueError, match="unknown control"):
        ex.set(colour="red")


def test_bench_moves_use_existing_controls():
    for factory, moves in retention_strategies.BENCH.values():
        ex = factory()
        for move in moves:
            assert set(move) <= set(ex.controls)
        ex.set(**moves[-1])
        assert ex.results["equity"] >= ex.results["even_split_equity"] - 1e-6
