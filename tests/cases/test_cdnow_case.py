"""Case 9 (coursekit.cases.cdnow): the silence of each CDNOW customer and the P(alive) explorer."""

from __future__ import annotations

import numpy as np
import pytest

from coursekit import data
from coursekit.cases import cdnow
from coursekit.models import pareto_nbd


def test_weeks_silent_on_the_cdnow_sample():
    summary = data.cdnow_summary()
    silent = cdnow.weeks_silent(summary["frequency"], summary["recency"], summary["T"])
    one_time = summary["frequency"].to_numpy() == 0
    np.testing.assert_allclose(silent[one_time], summary["T"].to_numpy()[one_time])
    assert np.all(silent >= 0) and np.all(silent <= summary["T"].to_numpy())


def test_the_explorer_draws_the_published_model():
    ex = cdnow.alive_explorer(frequency=3, weeks_observed=30, rule_weeks=10)
    expected = pareto_nbd.pareto_nbd_p_alive(cdnow.PUBLISHED_PARETO_NBD, [3], [20.0], [30.0])[0]
    assert ex.results["p_alive_at_rule"] == pytest.approx(expected, abs=0.01)
    ex.set(frequency=12)
    frequent = ex.results["p_alive_at_rule"]
    ex.set(frequency=1)
    assert frequent < ex.results["p_alive_at_rule"]      # the same silence says more about a frequent buyer
    assert ex.results["silence_half"] is None or ex.results["silence_half"] > 10


@pytest.mark.parametrize("kwargs, match", [
    ({"fit": (1.0, 2.0, 3.0)}, "four Pareto/NBD parameters"),
    ({"fit": (1.0, -2.0, 3.0, 4.0)}, "alpha"),
    ({"frequency": 40}, "frequency"),
    ({"weeks_observed": 100}, "weeks_observed"),
    ({"rule_weeks": 0}, "rule_weeks"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cdnow.alive_explorer(**kwargs)


def test_weeks_silent_refuses_a_last_purchase_after_the_end():
    with pytest.raises(ValueError):
        cdnow.weeks_silent([1], [40.0], [38.0])
