"""Tests of coursekit.data.crm_answers: the answer files load as typed frames equal to what the generator made."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursekit.data import crm_answers as ca
from coursekit.data.crm_sources import DEFECT_PLAN, make_crm, write_crm


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small dataset written into a temporary folder, and what the generator made."""
    folder = tmp_path_factory.mktemp("datasets")
    data = make_crm(n_people=120, seed=3)
    write_crm(folder, data)
    return folder, data


def test_loaders_return_typed_frames():
    people = ca.load_crm_people()
    assert people["birth_date"].dtype == "datetime64[ns]" and people["churn_date"].dtype == "datetime64[ns]"
    assert people["person_id"].is_unique and len(people) == 2000
    assert (people["landline"] == "").any() and people["landline"].notna().all()  # empty, not missing
    cycles = ca.load_crm_cycles()
    assert cycles["mean_interval_days"].dtype == np.float64
    assert cycles["start"].dtype == "datetime64[ns]" and (cycles["end"] > cycles["start"]).all()
    assert ca.load_crm_events()["start"].dtype == "datetime64[ns]"
    assert ca.load_crm_factors()["factor"].dtype == np.float64
    assert len(ca.load_crm_defects()) == sum(DEFECT_PLAN.values())
    assert ca.load_crm_orders()["order_id"].is_unique
    assert len(ca.load_crm_identity()) == 4563


@pytest.mark.parametrize("name", ["identity", "defects", "orders"])
def test_text_answers_are_what_the_generator_made(small, name):
    folder, data = small
    loaded = getattr(ca, f"load_crm_{name}")(folder)
    pd.testing.assert_frame_equal(loaded, getattr(data, name).astype("str"))


def test_typed_answers_are_what_the_generator_made(small):
    folder, data = small
    people = ca.load_crm_people(folder / "crm")  # the crm folder itself is accepted too
    assert people["birth_date"].dt.strftime("%Y-%m-%d").tolist() == data.people["birth_date"].tolist()
    churn = people["churn_date"].dt.strftime("%Y-%m-%d").fillna("")
    assert churn.tolist() == data.people["churn_date"].tolist()
    cycles = ca.load_crm_cycles(folder)
    np.testing.assert_allclose(cycles["mean_interval_days"], data.cycles["mean_interval_days"])
    assert (cycles["start"].to_numpy() == pd.to_datetime(data.cycles["start"]).to_numpy()).all()
    factors = ca.load_crm_factors(folder)
    np.testing.assert_allclose(factors["factor"], data.factors["factor"], atol=5e-5)


def test_loaders_say_which_file_is_missing_or_wrong(tmp_path):
    (tmp_path / "crm" / "answers").mkdir(parents=True)
    (tmp_path / "crm" / "crm_export.csv").write_text("x\n")
    with pytest.raises(FileNotFoundError, match=r"people\.csv' does not exist; regenerate"):
        ca.load_crm_people(tmp_path)
    (tmp_path / "crm" / "answers" / "orders.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="orders.csv must have the columns"):
        ca.load_crm_orders(tmp_path)
