"""Shared fixtures of the tests of coursekit.crm: the course's pipeline run once per session, and a toy."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit import crm


@pytest.fixture(scope="session")
def raw():
    return crm.extract()


@pytest.fixture(scope="session")
def cleaned(raw):
    return crm.clean(raw)


@pytest.fixture(scope="session")
def clusters(cleaned):
    return crm.match(cleaned.contacts)


@pytest.fixture(scope="session")
def merged(cleaned, clusters):
    return crm.merge(cleaned.contacts, clusters)


@pytest.fixture(scope="session")
def con():
    connection = crm.build_database()
    yield connection
    connection.close()


@pytest.fixture
def toy_contacts() -> pd.DataFrame:
    """Six standardised records: C1, WC1 (a typo), W1 share a phone, T1 shares W1's e-mail; C2 and WC2 a landline."""
    return pd.DataFrame(
        {
            "source": [
                "crm_export",
                "warranty_cards",
                "service_tickets",
                "web_registrations",
                "crm_export",
                "warranty_cards",
            ],
            "source_row_id": ["C1", "WC1", "T1", "W1", "C2", "WC2"],
            "record_date": pd.to_datetime(
                ["2020-01-01", "2023-01-01", "2023-02-01", "2021-01-01", "2022-01-01", "2022-05-01"]
            ),
            "name": ["Jun Guo", "Jnu Guo", None, "Jun Guo", "Wei Wang", "王伟"],
            "name_key": ["guo jun", "guo jnu", None, "guo jun", "wang wei", "王伟"],
            "phone": ["18209742471", "18209742471", None, "18209742471", "057188881234", "057188881234"],
            "email": ["jun@163.com", None, "guojun@qq.com", "guojun@qq.com", None, None],
            "birth_date": pd.to_datetime(["1977-10-12", None, None, None, "1960-01-01", None]),
            "city": ["Hangzhou", "Hangzhou", None, None, "Hangzhou", "Hangzhou"],
        }
    ).astype({c: "str" for c in ("source", "source_row_id", "name", "name_key", "phone", "email", "city")})
