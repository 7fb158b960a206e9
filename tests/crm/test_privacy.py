"""Tests of coursekit.crm.privacy: pseudonyms are keyed (HMAC-SHA256), stable and not reversible without the key."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from coursekit import crm

KEY = "a-long-secret"


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "customer_id": ["CU00001", "CU00002", "CU00001", None],
            "referrer": ["CU00002", "CU00001", None, "CU00003"],
            "x": [1, 2, 3, 4],
        }
    )


def test_same_key_same_pseudonym_and_missing_stays_missing(frame):
    a = crm.pseudonymise(frame, ["customer_id", "referrer"], KEY)
    pd.testing.assert_frame_equal(a, crm.pseudonymise(frame, ["customer_id", "referrer"], KEY))
    assert a.loc[0, "customer_id"] == a.loc[2, "customer_id"] != a.loc[1, "customer_id"]
    assert pd.isna(a.loc[3, "customer_id"]) and pd.isna(a.loc[2, "referrer"])
    assert a["x"].tolist() == [1, 2, 3, 4]
    assert frame.loc[0, "customer_id"] == "CU00001"  # the input is untouched


def test_same_value_in_two_columns_or_frames_gets_the_same_pseudonym(frame):
    a = crm.pseudonymise(frame, ["customer_id", "referrer"], KEY)
    assert a.loc[0, "customer_id"] == a.loc[1, "referrer"]  # CU00001 in both columns: joins still work
    other = crm.pseudonymise(pd.DataFrame({"id": ["CU00003", "CU00001"]}), "id", KEY)
    assert other.loc[1, "id"] == a.loc[0, "customer_id"]
    assert other.loc[0, "id"] == a.loc[3, "referrer"]


def test_a_different_key_gives_different_pseudonyms(frame):
    a = crm.pseudonymise(frame, "customer_id", KEY)
    b = crm.pseudonymise(frame, "customer_id", "another-secret")
    assert (a["customer_id"].dropna() != b["customer_id"].dropna()).all()


def test_pseudonyms_are_hmac_sha256_and_not_a_plain_or_salted_hash(frame):
    a = crm.pseudonymise(frame, "customer_id", KEY, length=64)
    value = b"CU00001"
    got = a.loc[0, "customer_id"]
    assert got == hmac.new(KEY.encode(), value, "sha256").hexdigest()  # the standard library as an oracle
    # without the key, hashing guesses does not find it -- neither unkeyed nor with the key as a prefix
    assert got != hashlib.sha256(value).hexdigest()
    assert got != hashlib.sha256(KEY.encode() + value).hexdigest()
    assert got != hashlib.sha256(KEY.encode() + b"\x1f" + value).hexdigest()
    guesses = {hashlib.sha256(f"CU{i:05d}".encode()).hexdigest() for i in range(1, 1000)}
    assert got not in guesses


def test_a_bytes_key_equals_its_utf8_text(frame):
    pd.testing.assert_frame_equal(
        crm.pseudonymise(frame, "customer_id", KEY), crm.pseudonymise(frame, "customer_id", KEY.encode("utf-8"))
    )


@pytest.mark.parametrize("length", [4, 16, 64])
def test_length_is_the_number_of_hex_digits(frame, length):
    pseudonyms = crm.pseudonymise(frame, "customer_id", KEY, length=length)["customer_id"].dropna()
    assert pseudonyms.str.len().eq(length).all()
    assert pseudonyms.str.fullmatch(r"[0-9a-f]+").all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"key": ""}, ValueError, "key must be a secret of at least 8 characters, got 0"),
        ({"key": "short"}, ValueError, "key must be a secret of at least 8 characters, got 5"),
        ({"key": b"short"}, ValueError, "key must be a secret of at least 8 characters, got 5"),
        ({"key": None}, TypeError, "key must be a secret str or bytes"),
        ({"columns": "name"}, ValueError, r"frame must have the column\(s\) \['name'\]"),
        ({"columns": []}, ValueError, "columns must name at least one column"),
        ({"length": 80}, ValueError, "length must be between 4 and 64"),
        ({"length": 3}, ValueError, "length must be between 4 and 64"),
        ({"frame": {"id": ["a"]}}, TypeError, "frame must be a pandas DataFrame"),
    ],
)
def test_pseudonymise_errors(kwargs, error, match):
    arguments = {"frame": pd.DataFrame({"id": ["a"]}), "columns": "id", "key": "long-enough-key", **kwargs}
    with pytest.raises(error, match=match):
        crm.pseudonymise(**arguments)
