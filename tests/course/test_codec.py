"""The data-only codec of answer values (coursekit.course.grading.codec): round trips, hostile values, attacks."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import fractions
import json
import os
import sys
import zoneinfo
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from coursekit import data
from coursekit.course.grading.codec import MAX_DEPTH, NotAValue, decode, decode_answers, encode, encode_answers
from coursekit.crm.matching import MatchQuality
from coursekit.models.experiments import ABTest
from coursekit.models.retention import cohort_table
from coursekit.models.satisfaction import NPSResult, nps
from coursekit.models.survival import fit_sbg


def assert_same(back, value):
    """Equal value *and* equal types (dtypes for arrays and frames)."""
    assert type(back) is type(value)
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_exact=True)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value, check_exact=True)
    elif isinstance(value, pd.Index):
        pd.testing.assert_index_equal(back, value, exact=True, check_exact=True)
        assert back.names == value.names
    elif isinstance(value, pd.Categorical):
        pd.testing.assert_extension_array_equal(back, value)
        assert back.dtype == value.dtype
    elif isinstance(value, np.ndarray | np.generic):
        assert back.dtype == value.dtype
        np.testing.assert_array_equal(back, value, strict=True)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert_same(getattr(back, field.name), getattr(value, field.name))
    elif type(value) in (list, tuple):
        assert len(back) == len(value)
        for b, v in zip(back, value):
            assert_same(b, v)
    elif type(value) is dict:
        assert list(back) == list(value)
        for k in value:
            assert_same(back[k], value[k])
    elif type(value) in (float, complex) and value != value:
        assert back != back
    elif value is pd.NaT:
        assert back is pd.NaT
    else:
        assert back == value
        if isinstance(value, datetime.datetime):
            assert back.tzinfo == value.tzinfo and back.fold == value.fold


def roundtrip(value):
    payload = encode(value)
    assert isinstance(payload, bytes)
    json.loads(payload)  # plain RFC 8259 JSON
    return decode(payload)


def _cohorts():
    toy = pd.DataFrame({"cohort": ["A", "A", "A", "A", "B", "B"], "periods_observed": [3, 3, 1, 2, 1, 1],
                        "churned": [False, False, True, True, True, False]})
    return cohort_table(toy)


VALUES = {
    "none": None, "true": True, "int": 7, "big int": 10**300, "negative int": -12, "float": 0.1, "nan": float("nan"),
    "inf": float("inf"), "-inf": float("-inf"), "-0.0": -0.0, "complex": 1.5 - 2j, "str": "客户 ✓ \ud800 \x00",
    "bytes": b"\x00\xff", "list": [1, "a", [2.5, None]], "tuple": (1, (2, 3)), "empty tuple": (),
    "dict": {"b": 1, 2: "two", (1, 2): [3], None: 0.5, 1.5: True}, "set": {1, 2, 3}, "frozenset": frozenset({"a", "b"}),
    "decimal": decimal.Decimal("12.3400"), "fraction": fractions.Fraction(3, 7),
    "date": datetime.date(2026, 12, 4), "datetime": datetime.datetime(2026, 12, 4, 20, 41, 5, 123),
    "datetime utc": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    "datetime offset": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
    "datetime zone": datetime.datetime(2026, 3, 1, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    "timedelta": datetime.timedelta(days=-3, seconds=5, microseconds=7),
    "np.float64": np.float64(2.5), "np.float32": np.float32(1.25), "np.int64": np.int64(-5), "np.uint8": np.uint8(200),
    "np.bool_": np.bool_(True), "np.complex128": np.complex128(1 + 2j), "np.datetime64": np.datetime64("2026-01-02"),
    "np.timedelta64": np.timedelta64(3, "h"), "np.str_": np.str_("abc"),
    "ndarray float": np.array([[1.0, np.nan], [np.inf, -0.0]]), "ndarray int32": np.arange(6, dtype=np.int32).reshape(3, 2),
    "ndarray bool": np.array([True, False]), "ndarray str": np.array(["a", "bcd"]), "ndarray empty": np.zeros((0, 3)),
    "ndarray big-endian": np.array([1.5, 2.5], dtype=">f8").astype("<f8"), "ndarray 0-d": np.array(3.0),
    "ndarray datetime64": np.array(["2026-01-01", "NaT"], dtype="datetime64[D]"),
    "ndarray timedelta64": np.array([1, 2], dtype="timedelta64[ms]"), "ndarray complex": np.array([1j, 2]),
    "ndarray object of values": np.array([1, "a", None, 2.5], dtype=object),
    "Timestamp": pd.Timestamp("2026-01-02 03:04:05.123456789"), "Timestamp tz": pd.Timestamp("2026-07-01 12:00", tz="Europe/Paris"),
    "Timestamp utc": pd.Timestamp("2026-07-01", tz="UTC"), "NaT": pd.NaT, "Timedelta": pd.Timedelta("1 days 00:00:01.5"),
    "Period": pd.Period("2026-03", freq="M"),
    "Categorical": pd.Categorical(["b", "a", None, "b"], categories=["b", "a"], ordered=True),
    "Index int": pd.Index([3, 1, 2], name="id"), "Index str": pd.Index(["x", "y"]), "RangeIndex": pd.RangeIndex(2, 20, 3, name="r"),
    "MultiIndex": pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["k", None]),
    "DatetimeIndex freq": pd.date_range("2026-01-01", periods=4, freq="D", name="day"),
    "PeriodIndex": pd.period_range("2026-01", periods=3, freq="M"),
    "CategoricalIndex": pd.CategoricalIndex(["a", "b", "a"]),
    "Series float": pd.Series([1.0, np.nan], index=["a", "b"], name="x"), "Series str": pd.Series(["a", None, "c"]),
    "Series object": pd.Series([1, "a", None], dtype=object, name=("a", 1)),
    "Series Int64": pd.Series([1, None, 3], dtype="Int64"), "Series boolean": pd.Series([True, None], dtype="boolean"),
    "Series Float64": pd.Series([1.5, None], dtype="Float64"), "Series string NA": pd.Series(["a", None], dtype="string"),
    "Series tz": pd.Series(pd.date_range("2026-03-29", periods=3, freq="h", tz="Europe/Paris")),
    "Series timedelta": pd.Series(pd.to_timedelta([1, 2], unit="s")),
    "Series category": pd.Series(["lo", "hi", "lo"], dtype=pd.CategoricalDtype(["lo", "hi"], ordered=True)),
    "DataFrame mixed": pd.DataFrame({
        "f": [1.5, np.nan, 3.0], "i": [1, 2, 3], "b": [True, False, True], "s": ["a", "b", None],
        "c": pd.Categorical(["x", "y", "x"]), "d": pd.to_datetime(["2026-01-01", None, "2026-01-03"]).as_unit("ns"),
        "dtz": pd.date_range("2026-01-01", periods=3, tz="UTC"), "I": pd.array([1, None, 3], dtype="Int64"),
        "B": pd.array([True, None, False], dtype="boolean"), "S": pd.array(["a", None, "c"], dtype="string"),
        "o": pd.Series([1, "a", 2.5], dtype=object)}, index=pd.Index([10, 20, 30], name="row")),
    "DataFrame duplicate columns": pd.DataFrame([[1, 2.0], [3, 4.0]], columns=["a", "a"]),
    "DataFrame multiindex": pd.DataFrame({("a", 1): [1.0], ("b", 2): [2.0]}, index=pd.MultiIndex.from_tuples([("x", 1)])),
    "DataFrame empty": pd.DataFrame(),
    "NPSResult": nps([1, 9, 10, 7, 3]), "SBGFit": fit_sbg(data.fader_hardie_survivors()), "cohort table": _cohorts(),
    "orders head": data.load_orders().head(), "list of results": [nps([10, 10, 2])],
    "NotAValue": NotAValue("not defined"),
}


@pytest.mark.parametrize("value", list(VALUES.values()), ids=list(VALUES))
def test_round_trip(value):
    assert_same(roundtrip(value), value)


def test_result_classes_keep_their_class():
    fit = fit_sbg(data.fader_hardie_survivors())
    back = roundtrip(fit)
    assert type(back) is type(fit) and back == fit
    assert type(roundtrip(nps([9, 9, 1]))) is NPSResult
    for cls in (ABTest, MatchQuality):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


class EqualFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class FakeFloat64:
    __module__ = "numpy"

    def __eq__(self, other):
        return True


FakeFloat64.__name__ = FakeFloat64.__qualname__ = "float64"


class Reducer:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


class SubDict(dict):
    pass


class SubArray(np.ndarray):
    pass


class FakeNPS:
    """A class that claims to be NPSResult."""

    __module__ = "coursekit.models.satisfaction"


FakeNPS.__qualname__ = "NPSResult"


class SpoofedClass:
    """An object whose ``__class__`` says float (``isinstance`` would believe it)."""

    __class__ = property(lambda self: float)


@dataclasses.dataclass(frozen=True)
class StudentResult:
    """A frozen dataclass the student defined: not a coursekit result."""

    nps: float


def _generator():
    yield 1


HOSTILE = {
    "float subclass with __eq__": EqualFloat(1.0),
    "class spoofing numpy.float64": FakeFloat64(),
    "MagicMock": mock.MagicMock(),
    "lambda": lambda x: x,
    "builtin function": print,
    "generator": _generator(),
    "module": os,
    "class": int,
    "object with __reduce__": Reducer(),
    "dict subclass": SubDict(a=1),
    "np.matrix": np.matrix([[1.0]]),
    "ndarray subclass": np.zeros(2).view(SubArray),
    "object array with a function": np.array([1, print], dtype=object),
    "DataFrame object column with a function": pd.DataFrame({"f": [print, 1]}),
    "list holding a MagicMock": [1, mock.MagicMock()],
    "dict with a lambda value": {"a": lambda: 0},
    "class spoofing NPSResult": FakeNPS(),
    "Series subclass": type("S", (pd.Series,), {})([1.0]),
    "structured array": np.zeros(2, dtype=[("a", "i4")]),
    "self-referencing list": (lambda a: (a.append(a), a)[1])([]),
    "integer of 5000 digits": 10**5000,
    "object spoofing __class__": SpoofedClass(),
    "student's own frozen dataclass": StudentResult(1.0),
    "Series with a MagicMock name": pd.Series([1.0], name=mock.MagicMock()),
    "np.longdouble": np.longdouble(1.0),
}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_values_are_not_values(value):
    back = decode(encode(value))
    assert type(back) is NotAValue
    assert back.reason


def test_reasons_name_what_was_wrong():
    assert decode(encode(lambda: 0)) == NotAValue("a function is not a value")
    assert decode(encode(os)) == NotAValue("a module is not a value")
    assert "EqualFloat" in decode(encode(EqualFloat(2.0))).reason
    assert decode(encode(np.zeros(10**6), max_bytes=10**5)).reason.startswith("too large")
    assert decode(encode(list(range(100)), max_items=50)).reason.startswith("too large")
    assert decode(encode("x" * 1000, max_bytes=500)).reason.startswith("too large")


def test_answers_of_a_cell():
    namespace = {"x": 1.5, "frame": pd.DataFrame({"a": [1]}), "f": print, "big": np.zeros(10**5)}
    back = decode_answers(encode_answers(namespace, ["x", "frame", "f", "missing", "big"], max_bytes=100_000))
    assert list(back) == ["x", "frame", "f", "missing", "big"]
    assert back["x"] == 1.5
    pd.testing.assert_frame_equal(back["frame"], namespace["frame"], check_exact=True)
    assert back["f"] == NotAValue("a function is not a value")
    assert back["missing"] == NotAValue("not defined")
    assert back["big"].reason.startswith("too large")


def payload(node):
    return json.dumps({"codec": "coursekit-values", "version": 1, "value": node}).encode()


def result_node(module, qualname):
    return {"t": "result", "module": module, "class": qualname, "fields": [["command", {"t": "str", "v": "id"}]]}


def nested(depth):
    node = {"t": "none"}
    for _ in range(depth):
        node = {"t": "list", "items": [node]}
    return node


b64 = base64.b64encode(b"\x00" * 8).decode()

ATTACKS = {
    "unknown tag": (payload({"t": "pickle", "v": "gASV"}), "unknown tag"),
    "os.system": (payload(result_node("os", "system")), "not a coursekit result module"),
    "subprocess.Popen": (payload(result_node("subprocess", "Popen")), "not a coursekit result module"),
    "builtins.eval": (payload(result_node("builtins", "eval")), "not a coursekit result module"),
    "coursekit function": (payload(result_node("coursekit.models.satisfaction", "nps")), "not a frozen dataclass"),
    "dotted class name": (payload(result_node("coursekit.models.satisfaction", "os.system")), "not allowed"),
    "wrong result fields": (payload(result_node("coursekit.models.satisfaction", "NPSResult")), "has the fields"),
    "huge declared shape": (payload({"t": "ndarray", "dtype": "<f8", "shape": [10**9, 10**9], "data": b64}), "too large"),
    "shape not matching data": (payload({"t": "ndarray", "dtype": "<f8", "shape": [3], "data": b64}), "wrong length"),
    "negative dimension": (payload({"t": "ndarray", "dtype": "<f8", "shape": [-1], "data": b64}), "array dimension"),
    "object dtype via data": (payload({"t": "ndarray", "dtype": "|O", "shape": [1], "data": b64}), "keys"),
    "structured dtype": (payload({"t": "ndarray", "dtype": "i4,i4", "shape": [1], "data": b64}), "invalid dtype"),
    "depth bomb (JSON)": (b'{"codec":"coursekit-values","version":1,"value":' + b"[" * 200_000 + b"]" * 200_000 + b"}",
                          "nested too deeply"),
    "depth bomb (nodes)": (payload(nested(MAX_DEPTH + 5)), "nested deeper"),
    "invalid JSON": (b'{"codec": "coursekit-values", "version": 1, "value": {"t": "none"', "invalid JSON"),
    "NaN constant": (b'{"codec":"coursekit-values","version":1,"value":{"t":"float","v":NaN}}', "invalid JSON constant"),
    "not UTF-8": (b"\xff\xfe", "invalid JSON"),
    "too many bytes": (payload({"t": "str", "v": "x" * (17 * 1024 * 1024)}), "too many bytes"),
    "wrong codec": (json.dumps({"codec": "pickle", "version": 1, "value": {"t": "none"}}).encode(), "unknown codec"),
    "extra key": (payload({"t": "int", "v": "1", "eval": "x"}), "keys"),
    "int not digits": (payload({"t": "int", "v": "__import__('os')"}), "invalid int"),
    "float expression": (payload({"t": "float", "v": "1e5+2"}), "invalid float"),
    "unhashable set element": (payload({"t": "set", "items": [{"t": "list", "items": []}]}), "not hashable"),
    "unknown nullable dtype": (payload({"t": "series", "name": {"t": "none"},
                                        "index": {"t": "range", "start": 0, "stop": 1, "step": 1, "name": {"t": "none"}},
                                        "values": {"t": "masked", "dtype": "object", "data": {}, "mask": {}}}),
                               "nullable dtype"),
    "frame columns mismatch": (payload({"t": "frame",
                                        "columns": {"t": "range", "start": 0, "stop": 2, "step": 1, "name": {"t": "none"}},
                                        "index": {"t": "range", "start": 0, "stop": 1, "step": 1, "name": {"t": "none"}},
                                        "data": []}), "do not match"),
    "bad time zone": (payload({"t": "datetime", "v": "2026-01-01T00:00:00", "tz": {"zone": "../../etc/passwd"},
                               "fold": 0}), "invalid time zone"),
    "timestamp 'now'": (payload({"t": "timestamp", "v": "now", "unit": "ns", "tz": None}), "invalid timestamp"),
    "categorical code out of range": (payload({"t": "categorical", "ordered": False,
                                               "categories": {"t": "range", "start": 0, "stop": 1, "step": 1,
                                                              "name": {"t": "none"}},
                                               "codes": {"t": "ndarray", "dtype": "<i1", "shape": [1],
                                                         "data": base64.b64encode(b"\x05").decode()}}),
                                      "invalid categorical"),
    "bool array byte 5": (payload({"t": "ndarray", "dtype": "|b1", "shape": [1],
                                   "data": base64.b64encode(b"\x05").decode()}), "other than 0 and 1"),
    "too many elements": (payload({"t": "list", "items": [{"t": "none"}] * 10}), "too many elements"),
}


@pytest.mark.parametrize(("data", "message"), list(ATTACKS.values()), ids=list(ATTACKS))
def test_decode_attacks_raise_value_error(data, message):
    before = set(sys.modules)
    with pytest.raises(ValueError, match=message):
        decode(data, max_items=5 if message == "too many elements" else 4_000_000)
    assert not {m for m in set(sys.modules) - before if not m.startswith("coursekit.")}


def test_decode_answers_attacks():
    good = json.loads(encode_answers({"x": 1}, ["x"]))
    bad_name = dict(good, answers=[["__import__('os')", {"t": "none"}]])
    twice = dict(good, answers=[["x", {"t": "none"}], ["x", {"t": "none"}]])
    with pytest.raises(ValueError, match="answer name"):
        decode_answers(json.dumps(bad_name).encode())
    with pytest.raises(ValueError, match="twice"):
        decode_answers(json.dumps(twice).encode())
    with pytest.raises(ValueError, match="not a coursekit-values payload"):
        decode_answers(encode(1))


def test_never_pickle():
    source = open(sys.modules["coursekit.course.grading.codec"].__file__, encoding="utf-8").read()
    for word in ("import pickle", "eval(", "exec(", "__import__"):
        assert word not in source
