"""Tests of coursekit.models.roi: ROI, annualised ROI, payback period and the quoted database figures."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from coursekit.models.roi import annualised_roi, database_roi_examples, payback_period, roi


def test_roi_values():
    assert roi(500_000, 100_000) == 4.0
    assert roi(100, 100) == 0.0
    assert roi(0, 50) == -1.0
    assert roi(-20, 100) == -1.2  # a loss on top of the cost
    assert_allclose(roi([100, 50, 700], [100, 100, 100]), [0.0, -0.5, 6.0])
    assert isinstance(roi(2, 1), float)


def test_annualised_roi_compounds_back_to_the_total():
    assert_allclose(annualised_roi(3.21, 2.73), 4.21 ** (1 / 2.73) - 1)
    assert_allclose(annualised_roi(3.21, 2.73), 0.69307, atol=1e-5)  # about 69 % a year
    assert annualised_roi(0.5, 1) == 0.5
    assert annualised_roi(-1.0, 3) == -1.0
    rates = annualised_roi(np.array([0.21, 3.0]), np.array([2, 2]))
    assert_allclose(rates, [0.1, 1.0])
    total, years = np.array([0.4, 2.5, 6.0]), np.array([0.5, 3.0, 7.25])
    assert_allclose((1 + annualised_roi(total, years)) ** years - 1, total)


def test_payback_period_simple_and_discounted():
    assert payback_period(120_000, 40_000) == 3.0
    assert payback_period(0, 10) == 0.0
    n = payback_period(120_000, 40_000, discount_rate=0.10)
    assert_allclose(n, -np.log(1 - 0.3) / np.log(1.1))
    # at n the present value of the gains equals the cost
    assert_allclose(40_000 * (1 - 1.1 ** -n) / 0.1, 120_000)
    assert payback_period(120_000, 12_000, discount_rate=0.10) == np.inf  # C d = g: only in the limit
    assert payback_period(120_000, 10_000, discount_rate=0.10) == np.inf
    grid = payback_period(100.0, [10.0, 20.0, 50.0], discount_rate=[0.0, 0.05, 0.2])
    assert_allclose(grid, [10.0, -np.log(1 - 0.25) / np.log(1.05), -np.log(1 - 0.4) / np.log(1.2)])
    # discounting only lengthens the payback
    rates = np.linspace(0.0, 0.2, 9)
    assert (np.diff(payback_period(100.0, 20.0, discount_rate=rates)) > 0).all()


def test_database_roi_examples():
    table = database_roi_examples()
    assert table.columns.tolist() == [
        "source", "year", "subject", "n_projects", "total_roi", "years", "annualised_roi", "note",
    ]
    assert table["source"].tolist() == ["META Group", "META Group", "IDC 1996"]
    assert_allclose(table["total_roi"], [4.0, 6.0, 3.21])
    idc = table.iloc[2]
    assert idc["year"] == 1996 and idc["n_projects"] == 62 and idc["years"] == 2.73
    assert_allclose(idc["annualised_roi"], annualised_roi(3.21, 2.73))
    assert table.loc[:1, ["year", "n_projects"]].isna().all().all()
    assert table.loc[:1, ["years", "annualised_roi"]].isna().all().all()
    assert str(table["year"].dtype) == "Int64"
    table.loc[0, "total_roi"] = 0.0  # a fresh frame each call
    assert database_roi_examples().loc[0, "total_roi"] == 4.0


def test_database_roi_docstring_marks_the_figures_as_claims():
    doc = database_roi_examples.__doc__
    assert "commonly cited claim" in doc
    assert "not peer-reviewed" in doc
    assert "The Foundations of Wisdom: A Study of the Financial Impact of Data Warehousing" in " ".join(doc.split())


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: roi(100, 0), ValueError, r"cost must be in \(0, inf\), got 0"),
        (lambda: roi(100, -5), ValueError, r"cost must be in \(0, inf\)"),
        (lambda: roi(float("nan"), 10), ValueError, "gain must be a number, got NaN"),
        (lambda: roi("100", 10), TypeError, "gain must be a number"),
        (lambda: roi(np.inf, 10), ValueError, "gain must be a finite number"),
        (lambda: annualised_roi(-1.5, 2), ValueError, r"total_roi must be in \[-1, inf\), got -1.5"),
        (lambda: annualised_roi(3.21, 0), ValueError, r"years must be in \(0, inf\), got 0"),
        (lambda: annualised_roi(True, 2), TypeError, "total_roi must be a number, got the boolean"),
        (lambda: payback_period(-1, 10), ValueError, r"cost must be in \[0, inf\)"),
        (lambda: payback_period(100, 0), ValueError, r"gain_per_period must be in \(0, inf\)"),
        (lambda: payback_period(100, 10, discount_rate=-0.1), ValueError, r"discount_rate must be in \[0, inf\)"),
        (lambda: payback_period(100, None), TypeError, "gain_per_period must be a number"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
