"""Tests of coursekit.data.crm_contacts: the people, how each source writes them, and make_contacts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursekit.crm import normalise_email, normalise_phone, parse_dates
from coursekit.crm.schema import CONTACT_SOURCES
from coursekit.data import sampling
from coursekit.data.crm_contacts import (
    crm_fields,
    make_contacts,
    make_people,
    ticket_contacts,
    warranty_fields,
    web_fields,
)


@pytest.fixture(scope="module")
def people():
    return make_people(400, np.random.default_rng(7))


def test_people_have_unique_phones_and_emails(people):
    assert people["person_id"].tolist()[:2] == ["P0001", "P0002"]
    assert people["phone"].is_unique and people["email"].is_unique
    assert people["phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert set(people["script"]) == {"pinyin", "hanzi", "western"}
    shared = people[people["household_of"] != ""]
    heads = people.set_index("person_id").loc[shared["household_of"]]
    assert (shared["landline"].to_numpy() == heads["landline"].to_numpy()).all()


@pytest.mark.parametrize(
    ("render", "columns"),
    [
        (crm_fields, ["name", "phone", "email", "birth_date", "city"]),
        (lambda pp, rng: web_fields(pp, np.zeros(len(pp), dtype=bool), rng), ["name", "email", "phone"]),
        (warranty_fields, ["name", "phone", "city"]),
        (ticket_contacts, ["contact", "phone", "email"]),
    ],
    ids=["crm", "web", "warranty", "ticket"],
)
def test_rendered_fields_normalise_back_to_the_truth(people, render, columns):
    fields = render(people, np.random.default_rng(3))
    assert fields.columns.tolist() == columns and len(fields) == len(people)
    phone = normalise_phone(fields["phone"])
    assert not phone.failed.any()  # messy, but every rendered phone is a valid number
    truth = set(people["phone"]) | set(people["landline"]) | set(people["old_phone"])
    near = phone.values.dropna()
    assert near.isin(truth).mean() > 0.95  # warranty cards carry a wrong digit now and then
    if "email" in fields:
        email = normalise_email(fields["email"])
        assert not email.failed.any()
        assert email.values.dropna().isin(set(people["email"])).all()
    if "birth_date" in fields:
        dates = parse_dates(fields["birth_date"])
        assert not dates.failed.any()
        present = dates.values.notna()
        assert (dates.values[present].to_numpy() == people["birth_date"].to_numpy()[present.to_numpy()]).all()


def test_ids_pad_and_widen():
    assert sampling.ids("C", 3, 5).tolist() == ["C00001", "C00002", "C00003"]
    assert sampling.ids("P", 12, 1)[-1] == "P12"


def test_make_contacts_is_deterministic_and_shaped():
    a = make_contacts(2_000, seed=8)
    b = make_contacts(2_000, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (2_000, 8)
    assert a.columns.tolist() == [
        "source",
        "source_row_id",
        "person_id",
        "name",
        "phone",
        "email",
        "birth_date",
        "city",
    ]
    assert set(a["source"]) == set(CONTACT_SOURCES)
    assert not a.duplicated(["source", "source_row_id"]).any()
    assert a["person_id"].nunique() == pytest.approx(800, rel=0.1)
    tickets = a[a["source"] == "service_tickets"]
    assert ((tickets["phone"] == "") != (tickets["email"] == "")).all()
    assert (tickets["name"] == "").all()
    assert not make_contacts(500, seed=9)["name"].equals(make_contacts(500, seed=10)["name"])
    assert len(make_contacts(1, seed=0)) == 1


def test_make_contacts_argument_errors():
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        make_contacts(0)
    with pytest.raises(ValueError, match="n must be a whole number"):
        make_contacts(2.5)
    with pytest.raises(TypeError, match="n must be a whole number"):
        make_contacts("10")
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        make_contacts(10, seed=-1)
