"""Tests of coursekit.crm.normalise: phones, e-mails, names, cities, dates, name similarity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit import crm
from coursekit.crm.normalise import by_distinct_value, strip_text


def _s(values):
    return pd.Series(values, dtype="str")


def test_normalise_phone_on_tricky_examples():
    cases = {
        "+86 138-1234-5678": ("13812345678", ""),
        "13812345678": ("13812345678", ""),
        " 138 1234 5678 ": ("13812345678", ""),
        "+8613812345678": ("13812345678", ""),
        "0086 138 1234 5678": ("13812345678", ""),
        "8613812345678": ("13812345678", ""),
        "138.1234.5678": ("13812345678", ""),
        "(0571) 8888 1234": ("057188881234", ""),
        "0571-88881234": ("057188881234", ""),
        "+86 571 8888 1234": ("057188881234", ""),
        "+86 10 2261 9939": ("01022619939", ""),  # Beijing's area code starts with 1
        "021-55556666": ("02155556666", ""),
        "138O1234567": (None, "phone_letters"),  # letter O for zero: flagged, not repaired
        "1381234567l": (None, "phone_letters"),  # letter l for one
        "1381234567": (None, "bad_phone"),
        "23812345678": (None, "bad_phone"),
        "": (None, ""),
    }
    result = crm.normalise_phone(_s(list(cases) + [None]))
    expected_values = [v for v, _ in cases.values()] + [None]
    expected_reasons = [r for _, r in cases.values()] + [""]
    got = [None if pd.isna(v) else v for v in result.values]
    assert got == expected_values
    assert result.reasons.tolist() == expected_reasons
    assert result.failed.tolist() == [r != "" for r in expected_reasons]


def test_normalisers_keep_the_index():
    series = pd.Series(["13812345678", "x"], index=[10, 3], dtype="str")
    assert crm.normalise_phone(series).values.index.tolist() == [10, 3]
    assert crm.parse_dates(series).reasons.index.tolist() == [10, 3]
    assert crm.normalise_name(series).index.tolist() == [10, 3]


def test_normalise_email():
    result = crm.normalise_email(
        _s(
            [
                "  Fang.Wang85@163.COM ",
                "fang.wang85163.com",
                "a@@b.com",
                "x@163",
                "fang wang@163.com",
                "a_b+c@mail.qq.com",
                "",
            ]
        )
    )
    assert [None if pd.isna(v) else v for v in result.values] == [
        "fang.wang85@163.com",
        None,
        None,
        None,
        None,
        "a_b+c@mail.qq.com",
        None,
    ]
    assert result.reasons.tolist() == ["", "bad_email", "bad_email", "bad_email", "bad_email", "", ""]


def test_normalise_name_and_key():
    raw = _s(["  WANG,  Fang ", "fang   wang", "Wang Fang", "王 芳", " 王芳 ", "Emma Clark", "CLARK, Emma", "", None])
    names = crm.normalise_name(raw)
    assert [None if pd.isna(v) else v for v in names] == [
        "Fang Wang",
        "Fang Wang",
        "Wang Fang",
        "王芳",
        "王芳",
        "Emma Clark",
        "Emma Clark",
        None,
        None,
    ]
    keys = crm.name_key(raw)
    assert [None if pd.isna(v) else v for v in keys] == [
        "fang wang",
        "fang wang",
        "fang wang",
        "王芳",
        "王芳",
        "clark emma",
        "clark emma",
        None,
        None,
    ]
    assert crm.name_key(_s(["Anna Maria Rossi", "Rossi, Anna Maria"])).tolist() == ["anna maria rossi"] * 2


def test_normalise_city():
    assert crm.normalise_city(_s(["杭州", " hangzhou ", "HANGZHOU", "上海", "Xi'an", ""])).fillna("-").tolist() == [
        "Hangzhou",
        "Hangzhou",
        "Hangzhou",
        "Shanghai",
        "Xi'An",
        "-",
    ]


def test_parse_dates_formats_and_failures():
    raw = _s(
        [
            "1985-03-02",
            "02/03/1985",
            "1985.3.2",
            "1985年3月2日",
            "1985/03/02",
            " 1985-3-2 ",
            "2023-05-04 13:22:05",
            "2023-05-04 13:22",
            "2023-02-30",
            "0000-00-00 00:00:00",
            "31/02/1990",
            "1985-13-02",
            "n/a",
            "19850302",
            "",
        ]
    )
    result = crm.parse_dates(raw)
    expected = ["1985-03-02"] * 6 + ["2023-05-04 13:22:05", "2023-05-04 13:22:00"] + [None] * 7
    got = [None if pd.isna(v) else str(v) for v in result.values]
    assert [g if g is None else g.replace(" 00:00:00", "") for g in got] == expected
    assert result.reasons.tolist() == [""] * 8 + ["bad_date"] * 6 + [""]
    assert result.values.dtype == "datetime64[ns]"
    us = crm.parse_dates(_s(["02/03/1985"]), dayfirst=False)
    assert us.values.iloc[0] == pd.Timestamp("1985-02-03")


@pytest.mark.parametrize(
    "normaliser",
    [crm.normalise_phone, crm.normalise_email, crm.normalise_name, crm.name_key, crm.normalise_city, crm.parse_dates],
    ids=lambda f: f.__name__,
)
def test_normaliser_argument_errors(normaliser):
    with pytest.raises(TypeError, match="series must be a pandas Series of text"):
        normaliser(["13812345678"])
    with pytest.raises(TypeError, match="series must hold text"):
        normaliser(pd.Series([1.5, 2.0]))


def test_parse_dates_refuses_a_non_boolean_dayfirst():
    with pytest.raises(TypeError, match="dayfirst must be True or False"):
        crm.parse_dates(_s(["1985-01-01"]), dayfirst="yes")


def test_strip_text_and_by_distinct_value():
    assert [None if pd.isna(v) else v for v in strip_text(_s([" a ", "", None]))] == ["a", None, None]
    calls = []

    def upper(distinct):
        calls.append(len(distinct))
        return distinct.str.upper()

    out = by_distinct_value(pd.Series(["a", "b", "a", None], index=[5, 6, 7, 8], dtype="str"), upper)
    assert out.index.tolist() == [5, 6, 7, 8]
    assert [None if pd.isna(v) else v for v in out] == ["A", "B", "A", None]
    assert calls == [3]  # "a", "b" and the missing value, once each


def test_name_similarity_matches_a_brute_force_jaccard():
    def jaccard(a, b, q):
        ga = {f"^{a}$"[i : i + q] for i in range(len(a) + 3 - q)}
        gb = {f"^{b}$"[i : i + q] for i in range(len(b) + 3 - q)}
        return len(ga & gb) / len(ga | gb)

    a = _s(["fang wang", "fang wang", "fang wang", "王芳", "li na", "emma clark", None])
    b = _s(["fang wang", "fnag wang", "wei wang", "王芳", "na li", "james clark", "x"])
    for q in (1, 2, 3):
        expected = [np.nan if pd.isna(x) else jaccard(x, y, q) for x, y in zip(a.tolist(), b.tolist(), strict=True)]
        assert_allclose(crm.name_similarity(a, b, q=q), expected, rtol=1e-12)
    assert_allclose(crm.name_similarity(a[:3], b[:3]), [1.0, 7 / 11, 5 / 12])
    with pytest.raises(ValueError, match="same length"):
        crm.name_similarity(a, b[:2])
    with pytest.raises(ValueError, match="q must be an integer >= 1"):
        crm.name_similarity(a, b, q=0)
