"""A data-only codec for answer values: what leaves the grading sandbox, and nothing else.

The answer phase of ``coursekit grade`` runs student code in a sandbox; the test phase runs
trusted code only and needs the student's answer *values*.  They travel as UTF-8 JSON
(RFC 8259 [1]_), every node tagged with its exact type, size-capped.  Never pickle: the Python
documentation warns that unpickling data can execute arbitrary code [2]_.

What is carried (exact types only, ``type(x) is float`` and never ``isinstance``, so a subclass,
a mock or an object that compares equal to anything is refused): ``None``, ``bool``, ``int``,
``float``, ``complex``, ``str``, ``bytes``, ``list``, ``tuple``, ``dict``, ``set``,
``frozenset``, :class:`decimal.Decimal`, :class:`fractions.Fraction`, :mod:`datetime` dates,
datetimes and timedeltas; numpy scalars and arrays of numeric, bool, str, datetime64 and
timedelta64 dtypes (object arrays whose every element is a value); pandas ``Timestamp``,
``Timedelta``, ``NaT``, ``Period``, ``Categorical``, ``Index`` (range, multi, datetime, ...),
``Series`` and ``DataFrame`` (numpy, categorical, tz-aware datetime, nullable ``Int64`` /
``Float64`` / ``boolean``, ``string``/``str`` and period columns); and the frozen dataclasses
and NamedTuples defined in :mod:`coursekit.models`, :mod:`coursekit.crm` and
:mod:`coursekit.cases` (the results of course functions).

Anything else encodes as a :class:`NotAValue` marker with the reason, so the grader can record
"not a value" for that answer.  :func:`decode` validates strictly and raises :class:`ValueError`
on anything unexpected: it never evaluates text and imports nothing but the modules of
``coursekit.models``, ``coursekit.crm`` and ``coursekit.cases``.

References
----------
.. [1] T. Bray (ed.), "The JavaScript Object Notation (JSON) Data Interchange Format",
   RFC 8259, IETF, 2017.
.. [2] Python documentation, :mod:`pickle`: "Warning: The pickle module is not secure. Only
   unpickle data you trust." https://docs.python.org/3/library/pickle.html

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> frame = pd.DataFrame({"x": [1.5, np.nan], "y": ["a", "b"]}, index=pd.Index([3, 4], name="id"))
>>> back = decode(encode(frame))
>>> pd.testing.assert_frame_equal(back, frame, check_exact=True)
>>> decode(encode(lambda x: x))
NotAValue(reason='a function is not a value')
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import fractions
import functools
import importlib
import json
import pkgutil
import re
import sys
import types
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd

import coursekit

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_ITEMS", "NotAValue", "decode", "decode_answers", "encode", "encode_answers"]

#: Largest encoded payload, in bytes (a value, or a whole cell's answers).
MAX_BYTES = 16 * 1024 * 1024
#: Deepest nesting of containers.
MAX_DEPTH = 64
#: Most elements (container items plus array elements) in one payload.
MAX_ITEMS = 4_000_000
#: Most decimal digits of an integer (below Python's own ``int`` to ``str`` limit).
MAX_DIGITS = 4000

CODEC = "coursekit-values"
VERSION = 1
RESULT_PACKAGES = ("models", "crm", "cases")

_DTYPE = re.compile(r"[<|](b1|i[1248]|u[1248]|f[248]|c(8|16)|[Mm]8(\[(Y|M|W|D|h|m|s|ms|us|ns|ps|fs|as)\])?|U\d{1,6})")
_INT = re.compile(rf"-?\d{{1,{MAX_DIGITS}}}")
_DECIMAL = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,6})?|NaN|sNaN|Infinity)")
_FLOAT = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?|nan|inf)")
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]{0,30}(/[A-Za-z0-9_+\-]{1,30}){0,3}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")
_TIMESTAMP = re.compile(r"-?\d{4,6}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?)?")
_FREQ = re.compile(r"-?\d{0,6}[A-Za-z][A-Za-z0-9\-]{0,15}")

_NUMPY_SCALARS = frozenset({
    np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
    np.float16, np.float32, np.float64, np.complex64, np.complex128, np.datetime64, np.timedelta64, np.str_,
})
_MASKED = {"Int8": pd.arrays.IntegerArray, "Int16": pd.arrays.IntegerArray, "Int32": pd.arrays.IntegerArray,
           "Int64": pd.arrays.IntegerArray, "UInt8": pd.arrays.IntegerArray, "UInt16": pd.arrays.IntegerArray,
           "UInt32": pd.arrays.IntegerArray, "UInt64": pd.arrays.IntegerArray,
           "Float32": pd.arrays.FloatingArray, "Float64": pd.arrays.FloatingArray, "boolean": pd.arrays.BooleanArray}
_INDEX_TYPES = (pd.Index, pd.DatetimeIndex, pd.TimedeltaIndex, pd.PeriodIndex, pd.CategoricalIndex)


@dataclasses.dataclass(frozen=True)
class NotAValue:
    """The marker of an answer that is not a value the course grades.

    Parameters
    ----------
    reason : str
        Why, in words for the feedback page ("a function is not a value", "not defined").
    """

    reason: str


class _Refused(Exception):
    """Raised inside :func:`encode` when a part of the value cannot be carried."""


@functools.lru_cache(maxsize=1)
def result_modules() -> frozenset[str]:
    """The modules whose frozen dataclasses and NamedTuples may be carried (found without importing them).

    Returns
    -------
    frozenset of str
        Dotted names ``coursekit.models.<module>``, ``coursekit.crm.<module>``, ``coursekit.cases.<module>``.
    """
    root = Path(coursekit.__file__).resolve().parent
    names = set()
    for package in RESULT_PACKAGES:
        for info in pkgutil.iter_modules([str(root / package)]):
            if not info.ispkg:
                names.add(f"coursekit.{package}.{info.name}")
    return frozenset(names)


def _is_result_class(cls, module: str, qualname: str) -> bool:
    if not isinstance(cls, type) or cls.__module__ != module or cls.__qualname__ != qualname:
        return False
    if dataclasses.is_dataclass(cls):
        return bool(cls.__dataclass_params__.frozen)
    return tuple in cls.__bases__ and isinstance(getattr(cls, "_fields", None), tuple)


def _result_class(module: str, qualname: str):
    """The allow-listed class ``module.qualname`` for :func:`decode` (imports only coursekit result modules)."""
    if not isinstance(module, str) or module not in result_modules():
        raise ValueError(f"class module {module!r} is not a coursekit result module")
    if not isinstance(qualname, str) or not _IDENTIFIER.fullmatch(qualname):
        raise ValueError(f"class name {qualname!r} is not allowed")
    cls = vars(importlib.import_module(module)).get(qualname)
    if not _is_result_class(cls, module, qualname):
        raise ValueError(f"{module}.{qualname} is not a frozen dataclass or NamedTuple of coursekit")
    return cls


# --------------------------------------------------------------------------------------------- encode


class _Encoder:
    def __init__(self, max_bytes: int, max_items: int, max_depth: int):
        self.max_bytes, self.max_items, self.max_depth = max_bytes, max_items, max_depth
        self.items = 0

    def count(self, n: int = 1):
        self.items += n
        if self.items > self.max_items:
            raise _Refused(f"too large: more than {self.max_items:,} elements")

    def node(self, x, depth: int = 0):  # noqa: C901 - one dispatch on the exact type
        if depth > self.max_depth:
            raise _Refused(f"too large: nested deeper than {self.max_depth} levels")
        self.count()
        t = type(x)
        if x is None:
            return {"t": "none"}
        if t is bool:
            return {"t": "bool", "v": x}
        if t is int:
            if x.bit_length() > 3.33 * MAX_DIGITS:
                raise _Refused(f"too large: an integer of more than {MAX_DIGITS} digits")
            text = str(x)
            if len(text.lstrip("-")) > MAX_DIGITS:
                raise _Refused(f"too large: an integer of more than {MAX_DIGITS} digits")
            return {"t": "int", "v": text}
        if t is float:
            return {"t": "float", "v": repr(x)}
        if t is complex:
            return {"t": "complex", "re": repr(x.real), "im": repr(x.imag)}
        if t is str:
            return {"t": "str", "v": x}
        if t is bytes:
            return {"t": "bytes", "v": base64.b64encode(x).decode("ascii")}
        if t is list or t is tuple or t is set or t is frozenset:
            return {"t": t.__name__, "items": [self.node(v, depth + 1) for v in x]}
        if t is dict:
            return {"t": "dict", "items": [[self.node(k, depth + 1), self.node(v, depth + 1)] for k, v in x.items()]}
        if t is NotAValue:
            return {"t": "notavalue", "reason": str(x.reason)}
        if t is decimal.Decimal:
            return {"t": "decimal", "v": str(x)}
        if t is fractions.Fraction:
            return {"t": "fraction", "num": str(x.numerator), "den": str(x.denominator)}
        if t is datetime.date:
            return {"t": "date", "v": x.isoformat()}
        if t is datetime.datetime:
            return {"t": "datetime", "v": x.replace(tzinfo=None).isoformat(), "tz": _tz(x.tzinfo), "fold": x.fold}
        if t is datetime.timedelta:
            return {"t": "timedelta", "v": [x.days, x.seconds, x.microseconds]}
        if t in _NUMPY_SCALARS:
            node = self.ndarray(np.asarray(x))
            node["t"] = "npscalar"
            return node
        if t is np.ndarray:
            return self.ndarray(x, depth)
        if x is pd.NaT:
            return {"t": "nat"}
        if t is pd.Timestamp:
            utc = x if x.tz is None else x.tz_convert("UTC").tz_localize(None)
            return {"t": "timestamp", "v": utc.isoformat(), "unit": x.unit, "tz": _tz(x.tz)}
        if t is pd.Timedelta:
            return {"t": "pdtimedelta", "v": str(x.value), "unit": x.unit}
        if t is pd.Period:
            return {"t": "period", "ordinal": str(x.ordinal), "freq": x.freqstr}
        if t is pd.Categorical:
            return self.array(x, depth)
        if t is pd.RangeIndex or t is pd.MultiIndex or t in _INDEX_TYPES:
            return self.index(x, depth)
        if t is pd.Series:
            return {"t": "series", "name": self.node(x.name, depth + 1), "index": self.index(x.index, depth + 1),
                    "values": self.array(x.array, depth + 1)}
        if t is pd.DataFrame:
            return {"t": "frame", "columns": self.index(x.columns, depth + 1), "index": self.index(x.index, depth + 1),
                    "data": [self.array(x.iloc[:, i].array, depth + 1) for i in range(x.shape[1])]}
        return self.result(x, t, depth)

    def result(self, x, t, depth):
        module, qualname = getattr(t, "__module__", None), getattr(t, "__qualname__", None)
        if module in result_modules() and module in sys.modules:
            cls = vars(sys.modules[module]).get(qualname)
            if cls is t and _is_result_class(t, module, qualname):
                if dataclasses.is_dataclass(t):
                    fields = [[f.name, self.node(getattr(x, f.name), depth + 1)]
                              for f in dataclasses.fields(t) if f.init]
                else:
                    fields = [[name, self.node(v, depth + 1)] for name, v in zip(t._fields, tuple.__iter__(x))]
                return {"t": "result", "module": module, "class": qualname, "fields": fields}
        if isinstance(x, types.FunctionType | types.BuiltinFunctionType | types.MethodType | functools.partial):
            raise _Refused("a function is not a value")
        if isinstance(x, types.GeneratorType | types.CoroutineType | types.AsyncGeneratorType):
            raise _Refused("a generator is not a value")
        if isinstance(x, types.ModuleType):
            raise _Refused("a module is not a value")
        if isinstance(x, type):
            raise _Refused("a class is not a value")
        name = getattr(t, "__qualname__", "?")
        raise _Refused(f"an object of class {name} is not a value the course grades")

    def ndarray(self, a, depth=0):
        dtype = a.dtype
        if dtype.kind == "O":
            self.count(a.size)
            flat = a.ravel(order="C")
            items = [self.node(flat[i], depth + 1) for i in range(a.size)]
            return {"t": "ndarray", "dtype": "|O", "shape": list(a.shape), "items": items}
        little = dtype.newbyteorder("<") if dtype.byteorder not in ("|", "<") else dtype
        if dtype.fields is not None or dtype.hasobject or not _DTYPE.fullmatch(little.str):
            raise _Refused(f"an array of dtype {dtype} is not a value the course grades")
        self.count(a.size)
        if a.nbytes * 4 // 3 > self.max_bytes:
            raise _Refused(f"too large: an array of {a.nbytes:,} bytes (at most {self.max_bytes:,} bytes)")
        raw = np.ascontiguousarray(a, dtype=little).tobytes()
        return {"t": "ndarray", "dtype": little.str, "shape": list(a.shape), "data": base64.b64encode(raw).decode("ascii")}

    def array(self, arr, depth):
        """A column of a Series, DataFrame or Index: a 1-D numpy or pandas array."""
        t = type(arr)
        if t is np.ndarray:
            return self.ndarray(arr, depth)
        if t is pd.arrays.NumpyExtensionArray or t is pd.arrays.TimedeltaArray:
            return self.ndarray(arr.to_numpy(), depth)
        if t is pd.arrays.DatetimeArray:
            if arr.tz is None:
                return self.ndarray(arr.to_numpy(), depth)
            utc = arr.tz_convert("UTC").tz_localize(None).to_numpy()
            return {"t": "dtz", "utc": self.ndarray(utc, depth), "tz": _tz(arr.tz)}
        if t is pd.Categorical:
            return {"t": "categorical", "categories": self.index(arr.categories, depth + 1),
                    "codes": self.ndarray(np.asarray(arr.codes), depth), "ordered": bool(arr.ordered)}
        if t in (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray):
            name = str(arr.dtype)
            if _MASKED.get(name) is not t:
                raise _Refused(f"a column of dtype {name} is not a value the course grades")
            mask = np.asarray(arr.isna(), dtype=bool)
            data = arr.to_numpy(dtype=arr.dtype.numpy_dtype, na_value=False if name == "boolean" else 0)
            return {"t": "masked", "dtype": name, "data": self.ndarray(data, depth), "mask": self.ndarray(mask, depth)}
        if t is pd.arrays.StringArray:
            dtype = arr.dtype
            if dtype.storage != "python":
                raise _Refused(f"a column of dtype {dtype!r} is not a value the course grades")
            self.count(len(arr))
            missing = np.asarray(arr.isna(), dtype=bool)
            items = [None if m else str(v) for v, m in zip(arr.to_numpy(dtype=object), missing)]
            na = "nan" if isinstance(dtype.na_value, float) else "NA"
            return {"t": "string", "na": na, "items": items}
        if t is pd.arrays.PeriodArray:
            return {"t": "period", "freq": arr.freqstr, "ordinals": self.ndarray(np.asarray(arr.asi8), depth)}
        raise _Refused(f"a column of dtype {getattr(arr, 'dtype', t.__name__)} is not a value the course grades")

    def index(self, index, depth):
        t = type(index)
        if depth > self.max_depth:
            raise _Refused(f"too large: nested deeper than {self.max_depth} levels")
        self.count()
        if t is pd.RangeIndex:
            return {"t": "range", "start": index.start, "stop": index.stop, "step": index.step,
                    "name": self.node(index.name, depth + 1)}
        if t is pd.MultiIndex:
            return {"t": "multiindex", "levels": [self.index(level, depth + 1) for level in index.levels],
                    "codes": [self.ndarray(np.asarray(c), depth + 1) for c in index.codes],
                    "names": [self.node(n, depth + 1) for n in index.names]}
        if t in _INDEX_TYPES:
            freq = getattr(index, "freqstr", None) if t in (pd.DatetimeIndex, pd.TimedeltaIndex) else None
            return {"t": "index", "values": self.array(index.array, depth + 1), "name": self.node(index.name, depth + 1),
                    "freq": freq}
        raise _Refused(f"an index of class {t.__qualname__} is not a value the course grades")


def _tz(tz):
    if tz is None:
        return None
    if type(tz) is datetime.timezone:
        return {"offset": int(tz.utcoffset(None).total_seconds())}
    if type(tz) is zoneinfo.ZoneInfo and _ZONE.fullmatch(str(tz.key)):
        return {"zone": tz.key}
    raise _Refused(f"a time zone of class {type(tz).__qualname__} is not a value the course grades")


def _dump(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _value_node(value, max_bytes, max_items, max_depth):
    try:
        node = _Encoder(max_bytes, max_items, max_depth).node(value)
    except _Refused as refused:
        return {"t": "notavalue", "reason": str(refused)}
    except RecursionError:
        return {"t": "notavalue", "reason": "too large: nested too deeply"}
    except Exception as error:  # a value whose parts could not be read (a broken object)
        return {"t": "notavalue", "reason": f"not a value ({type(error).__name__} while reading it)"}
    return node


def encode(value, *, max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS, max_depth: int = MAX_DEPTH) -> bytes:
    """Encode a value as type-tagged UTF-8 JSON, or a :class:`NotAValue` marker if it is not one.

    Parameters
    ----------
    value : object
        An answer value (see the module docstring for what is carried).
    max_bytes, max_items, max_depth : int
        Caps on the encoded size, the number of elements and the nesting depth.

    Returns
    -------
    bytes
        The payload; :func:`decode` turns it back into an equal value or a :class:`NotAValue`.
        Never raises for a value it cannot carry.

    Examples
    --------
    >>> decode(encode({"a": [1, 2.5, None]}))
    {'a': [1, 2.5, None]}
    """
    node = _value_node(value, max_bytes, max_items, max_depth)
    data = _dump({"codec": CODEC, "version": VERSION, "value": node})
    if len(data) > max_bytes:
        data = _dump({"codec": CODEC, "version": VERSION, "value": {
            "t": "notavalue", "reason": f"too large: {len(data):,} bytes encoded (at most {max_bytes:,})"}})
    return data


def encode_answers(namespace: dict, names, *, max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS,
                   max_depth: int = MAX_DEPTH) -> bytes:
    """Encode the answers of a cell: the values of ``names`` in ``namespace``.

    Parameters
    ----------
    namespace : dict
        The student's namespace (e.g. a kernel's ``globals()``).
    names : iterable of str
        The names the solution's answer cell assigns; a missing one becomes ``NotAValue("not defined")``.
    max_bytes, max_items, max_depth : int
        Caps for the whole payload (answers over the byte cap become ``NotAValue("too large ...")``,
        largest first).

    Returns
    -------
    bytes
        The payload for :func:`decode_answers`.

    Examples
    --------
    >>> decode_answers(encode_answers({"x": 1.5, "f": print}, ["x", "f", "y"]))
    {'x': 1.5, 'f': NotAValue(reason='a function is not a value'), 'y': NotAValue(reason='not defined')}
    """
    answers = []
    for name in names:
        name = str(name)
        if name in namespace:
            node = _value_node(namespace[name], max_bytes, max_items, max_depth)
        else:
            node = {"t": "notavalue", "reason": "not defined"}
        answers.append([name, node])
    sizes = [len(_dump(node)) for _, node in answers]
    while sum(sizes) + 1000 > max_bytes and any(s > 200 for s in sizes):
        i = max(range(len(sizes)), key=sizes.__getitem__)
        answers[i][1] = {"t": "notavalue", "reason": f"too large: {sizes[i]:,} bytes encoded (at most {max_bytes:,})"}
        sizes[i] = len(_dump(answers[i][1]))
    return _dump({"codec": CODEC, "version": VERSION, "answers": answers})


# --------------------------------------------------------------------------------------------- decode


def _keys(node, tag, *keys):
    if set(node) != {"t", *keys}:
        raise ValueError(f"a {tag!r} node must have the keys {sorted(keys)}, got {sorted(map(str, node))}")
    return [node[k] for k in keys]


def _string(value, what, pattern=None, max_len=10_000):
    if not isinstance(value, str) or len(value) > max_len or (pattern is not None and not pattern.fullmatch(value)):
        raise ValueError(f"invalid {what}: {str(value)[:80]!r}")
    return value


def _integer(value, what, low=None, high=None):
    if type(value) is not int or (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"invalid {what}: {str(value)[:80]!r}")
    return value


def _list(value, what):
    if type(value) is not list:
        raise ValueError(f"invalid {what}: expected a list")
    return value


def _tz_from(spec):
    if spec is None:
        return None
    if type(spec) is not dict or len(spec) != 1:
        raise ValueError("invalid time zone")
    if "offset" in spec:
        return datetime.timezone(datetime.timedelta(seconds=_integer(spec["offset"], "time zone offset", -86399, 86399)))
    if "zone" in spec:
        try:
            return zoneinfo.ZoneInfo(_string(spec["zone"], "time zone", _ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, OSError) as error:
            raise ValueError(f"unknown time zone {spec['zone']!r}") from error
    raise ValueError("invalid time zone")


class _Decoder:
    def __init__(self, max_items: int, max_depth: int):
        self.max_items, self.max_depth = max_items, max_depth
        self.items = 0

    def count(self, n: int = 1):
        self.items += n
        if self.items > self.max_items:
            raise ValueError(f"too many elements (more than {self.max_items:,})")

    def value(self, node, depth=0):  # noqa: C901 - one dispatch on the tag
        if depth > self.max_depth:
            raise ValueError(f"nested deeper than {self.max_depth} levels")
        if type(node) is not dict or type(node.get("t")) is not str:
            raise ValueError("every node must be an object with a string tag 't'")
        self.count()
        tag = node["t"]
        if tag == "none":
            _keys(node, tag)
            return None
        if tag == "bool":
            (v,) = _keys(node, tag, "v")
            if type(v) is not bool:
                raise ValueError("invalid bool")
            return v
        if tag == "int":
            return int(_string(_keys(node, tag, "v")[0], "int", _INT))
        if tag == "float":
            return float(_string(_keys(node, tag, "v")[0], "float", _FLOAT, 40))
        if tag == "complex":
            re_, im = _keys(node, tag, "re", "im")
            return complex(float(_string(re_, "float", _FLOAT, 40)), float(_string(im, "float", _FLOAT, 40)))
        if tag == "str":
            (v,) = _keys(node, tag, "v")
            if type(v) is not str:
                raise ValueError("invalid str")
            return v
        if tag == "bytes":
            return self.b64(_keys(node, tag, "v")[0])
        if tag in ("list", "tuple", "set", "frozenset"):
            items = [self.value(v, depth + 1) for v in _list(_keys(node, tag, "items")[0], tag)]
            try:
                return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
            except TypeError as error:
                raise ValueError(f"a {tag} element is not hashable") from error
        if tag == "dict":
            out = {}
            for pair in _list(_keys(node, tag, "items")[0], tag):
                if type(pair) is not list or len(pair) != 2:
                    raise ValueError("a dict item must be a [key, value] pair")
                key = self.value(pair[0], depth + 1)
                try:
                    out[key] = self.value(pair[1], depth + 1)
                except TypeError as error:
                    raise ValueError("a dict key is not hashable") from error
            return out
        if tag == "notavalue":
            return NotAValue(_string(_keys(node, tag, "reason")[0], "reason", max_len=1000))
        if tag == "decimal":
            return decimal.Decimal(_string(_keys(node, tag, "v")[0], "decimal", _DECIMAL, 200))
        if tag == "fraction":
            num, den = _keys(node, tag, "num", "den")
            num, den = int(_string(num, "numerator", _INT)), int(_string(den, "denominator", _INT))
            if den <= 0:
                raise ValueError("invalid fraction denominator")
            return fractions.Fraction(num, den)
        if tag == "date":
            return datetime.date.fromisoformat(_string(_keys(node, tag, "v")[0], "date", max_len=20))
        if tag == "datetime":
            v, tz, fold = _keys(node, tag, "v", "tz", "fold")
            naive = datetime.datetime.fromisoformat(_string(v, "datetime", max_len=40))
            if naive.tzinfo is not None:
                raise ValueError("invalid datetime")
            return naive.replace(tzinfo=_tz_from(tz), fold=_integer(fold, "fold", 0, 1))
        if tag == "timedelta":
            v = _list(_keys(node, tag, "v")[0], "timedelta")
            if len(v) != 3:
                raise ValueError("invalid timedelta")
            return datetime.timedelta(*(_integer(p, "timedelta part", -10**9, 10**9) for p in v))
        if tag == "npscalar":
            array = self.ndarray(dict(node, t="ndarray"), depth)
            if array.ndim != 0 or array.dtype == object:
                raise ValueError("a numpy scalar must have shape [] and a numeric dtype")
            return array[()]
        if tag == "ndarray":
            return self.ndarray(node, depth)
        if tag == "nat":
            _keys(node, tag)
            return pd.NaT
        if tag == "timestamp":
            v, unit, tz = _keys(node, tag, "v", "unit", "tz")
            stamp = pd.Timestamp(_string(v, "timestamp", _TIMESTAMP, 40)).as_unit(_unit(unit))
            if stamp is pd.NaT or stamp.tz is not None:
                raise ValueError("invalid timestamp")
            zone = _tz_from(tz)
            return stamp if zone is None else stamp.tz_localize("UTC").tz_convert(zone)
        if tag == "pdtimedelta":
            v, unit = _keys(node, tag, "v", "unit")
            return pd.Timedelta(int(_string(v, "timedelta", _INT, 30)), unit="ns").as_unit(_unit(unit))
        if tag == "period":
            if "ordinals" in node:
                raise ValueError("a period array is not a value on its own")
            ordinal, freq = _keys(node, tag, "ordinal", "freq")
            return pd.Period(ordinal=int(_string(ordinal, "ordinal", _INT, 30)), freq=_string(freq, "freq", _FREQ))
        if tag == "categorical":
            return self.array(node, depth)
        if tag in ("range", "multiindex", "index"):
            return self.index(node, depth)
        if tag == "series":
            name, index, values = _keys(node, tag, "name", "index", "values")
            index = self.index(index, depth + 1)
            values = self.array(values, depth + 1)
            if len(values) != len(index):
                raise ValueError(f"a series of {len(values)} values has an index of {len(index)} labels")
            return pd.Series(values, index=index, name=self.label(name, depth), copy=False)
        if tag == "frame":
            columns, index, data = _keys(node, tag, "columns", "index", "data")
            columns, index = self.index(columns, depth + 1), self.index(index, depth + 1)
            arrays = [self.array(a, depth + 1) for a in _list(data, "frame data")]
            if len(arrays) != len(columns) or any(len(a) != len(index) for a in arrays):
                raise ValueError("a frame's columns do not match its column labels or its index")
            frame = pd.DataFrame({i: pd.Series(a, index=index, copy=False) for i, a in enumerate(arrays)}, index=index)
            frame.columns = columns
            return frame
        if tag == "result":
            module, qualname, fields = _keys(node, tag, "module", "class", "fields")
            cls = _result_class(module, qualname)
            pairs = _list(fields, "result fields")
            if any(type(p) is not list or len(p) != 2 or type(p[0]) is not str for p in pairs):
                raise ValueError("result fields must be [name, value] pairs")
            names = [p[0] for p in pairs]
            expected = ([f.name for f in dataclasses.fields(cls) if f.init] if dataclasses.is_dataclass(cls)
                        else list(cls._fields))
            if names != expected:
                raise ValueError(f"{module}.{qualname} has the fields {expected}, got {names[:20]}")
            values = {name: self.value(v, depth + 1) for name, v in pairs}
            try:
                return cls(**values)
            except (TypeError, ValueError) as error:
                raise ValueError(f"{module}.{qualname} refused its fields: {error}") from error
        raise ValueError(f"unknown tag {tag[:40]!r}")

    def label(self, node, depth):
        label = self.value(node, depth + 1)
        try:
            hash(label)
        except TypeError as error:
            raise ValueError("a label must be hashable") from error
        return label

    def b64(self, text):
        if not isinstance(text, str):
            raise ValueError("invalid base64 data")
        try:
            return base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError) as error:
            raise ValueError("invalid base64 data") from error

    def ndarray(self, node, depth):
        dtype_text = node.get("dtype") if type(node) is dict else None
        if dtype_text == "|O":
            _, shape, items = _keys(node, "ndarray", "dtype", "shape", "items")
            size = self.shape(shape)
            items = _list(items, "array items")
            if len(items) != size:
                raise ValueError(f"an object array of shape {shape} has {len(items)} items")
            out = np.empty(size, dtype=object)
            for i, item in enumerate(items):
                out[i] = self.value(item, depth + 1)
            return out.reshape(shape)
        dtype_text, shape, data = _keys(node, "ndarray", "dtype", "shape", "data")
        dtype = np.dtype(_string(dtype_text, "dtype", _DTYPE, 20))
        size = self.shape(shape)
        if not isinstance(data, str) or len(data) > (size * dtype.itemsize * 4) // 3 + 8:
            raise ValueError(f"the data of an array of shape {shape} and dtype {dtype_text} has the wrong length")
        raw = self.b64(data)
        if len(raw) != size * dtype.itemsize:
            raise ValueError(f"the data of an array of shape {shape} and dtype {dtype_text} has the wrong length")
        if dtype.kind == "b" and raw.translate(None, b"\x00\x01"):
            raise ValueError("a bool array holds bytes other than 0 and 1")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()

    def shape(self, shape):
        shape = _list(shape, "shape")
        if len(shape) > 32:
            raise ValueError("an array has at most 32 dimensions")
        size = 1
        for n in shape:
            size *= _integer(n, "array dimension", 0, 2**63)
            if size > self.max_items:
                raise ValueError(f"an array of shape {shape[:8]} is too large (more than {self.max_items:,} elements)")
        self.count(size)
        return size

    def vector(self, node, depth, kinds="biufcMmU"):
        array = self.ndarray(node, depth)
        if array.ndim != 1 or array.dtype.kind not in kinds:
            raise ValueError(f"expected a 1-D array of kind {kinds}, got {array.dtype} with shape {array.shape}")
        return array

    def array(self, node, depth):
        """A column: the inverse of :meth:`_Encoder.array`."""
        if type(node) is not dict:
            raise ValueError("invalid array node")
        tag = node.get("t")
        if tag == "ndarray":
            return self.vector(node, depth, "biufcMmUO")
        if tag == "dtz":
            utc, tz = _keys(node, tag, "utc", "tz")
            values = self.vector(utc, depth, "M")
            zone = _tz_from(tz)
            if zone is None:
                raise ValueError("a tz-aware column needs a time zone")
            return pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(zone).array
        if tag == "categorical":
            categories, codes, ordered = _keys(node, tag, "categories", "codes", "ordered")
            categories = self.index(categories, depth + 1)
            codes = self.vector(codes, depth, "i")
            if type(ordered) is not bool or (len(codes) and (codes.min() < -1 or codes.max() >= len(categories))):
                raise ValueError("invalid categorical")
            return pd.Categorical.from_codes(codes, categories=categories, ordered=ordered)
        if tag == "masked":
            name, data, mask = _keys(node, tag, "dtype", "data", "mask")
            cls = _MASKED.get(name) if isinstance(name, str) else None
            if cls is None:
                raise ValueError(f"nullable dtype {str(name)[:40]!r} is not allowed")
            numpy_dtype = pd.api.types.pandas_dtype(name).numpy_dtype
            data, mask = self.vector(data, depth, "biuf"), self.vector(mask, depth, "b")
            if data.dtype != numpy_dtype or len(data) != len(mask):
                raise ValueError(f"invalid data for a {name} column")
            return cls(data, mask)
        if tag == "string":
            na, items = _keys(node, tag, "na", "items")
            items = _list(items, "string items")
            self.count(len(items))
            if na not in ("nan", "NA") or any(v is not None and type(v) is not str for v in items):
                raise ValueError("invalid string column")
            dtype = pd.StringDtype("python", na_value=np.nan if na == "nan" else pd.NA)
            return pd.array([pd.NA if v is None else v for v in items], dtype=dtype)
        if tag == "period":
            freq, ordinals = _keys(node, tag, "freq", "ordinals")
            dtype = pd.PeriodDtype(_string(freq, "freq", _FREQ))
            return pd.arrays.PeriodArray(self.vector(ordinals, depth, "i").astype(np.int64), dtype=dtype)
        raise ValueError(f"unknown array tag {str(tag)[:40]!r}")

    def index(self, node, depth):
        if depth > self.max_depth:
            raise ValueError(f"nested deeper than {self.max_depth} levels")
        if type(node) is not dict:
            raise ValueError("invalid index node")
        self.count()
        tag = node.get("t")
        if tag == "range":
            start, stop, step, name = _keys(node, tag, "start", "stop", "step", "name")
            start, stop, step = (_integer(v, "range bound", -2**63, 2**63 - 1) for v in (start, stop, step))
            if step == 0:
                raise ValueError("a range step must not be 0")
            return pd.RangeIndex(start, stop, step, name=self.label(name, depth))
        if tag == "multiindex":
            levels, codes, names = _keys(node, tag, "levels", "codes", "names")
            levels = [self.index(level, depth + 1) for level in _list(levels, "levels")]
            codes = [self.vector(c, depth + 1, "i") for c in _list(codes, "codes")]
            names = [self.label(n, depth) for n in _list(names, "names")]
            if not levels or len(codes) != len(levels) or len(names) != len(levels):
                raise ValueError("a multi-index needs as many codes and names as levels")
            return pd.MultiIndex(levels=levels, codes=codes, names=names, verify_integrity=True)
        if tag == "index":
            values, name, freq = _keys(node, tag, "values", "name", "freq")
            values = self.array(values, depth + 1)
            if isinstance(values, np.ndarray) and values.dtype == object:
                index = pd.Index(values, dtype=object, name=self.label(name, depth))
            else:
                index = pd.Index(values, name=self.label(name, depth), copy=False)
            if freq is not None:
                if type(index) not in (pd.DatetimeIndex, pd.TimedeltaIndex):
                    raise ValueError("only a datetime or timedelta index has a frequency")
                index = type(index)(index, freq=_string(freq, "freq", _FREQ))
            return index
        raise ValueError(f"unknown index tag {str(tag)[:40]!r}")


def _unit(unit):
    if unit not in ("s", "ms", "us", "ns"):
        raise ValueError(f"invalid time unit {str(unit)[:20]!r}")
    return unit


def _load(data: bytes, max_bytes: int, key: str):
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ValueError(f"expected bytes, got {type(data).__name__}")
    if len(data) > max_bytes:
        raise ValueError(f"too many bytes: {len(data):,} (at most {max_bytes:,})")

    def refuse_constant(name):
        raise ValueError(f"invalid JSON constant {name}")

    try:
        payload = json.loads(bytes(data).decode("utf-8"), parse_constant=refuse_constant)
    except RecursionError as error:
        raise ValueError("invalid payload: nested too deeply") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"invalid JSON: {error}") from error
    if type(payload) is not dict or set(payload) != {"codec", "version", key}:
        raise ValueError(f"not a {CODEC} payload with {key!r}")
    if payload["codec"] != CODEC or payload["version"] != VERSION:
        raise ValueError(f"unknown codec or version: {str(payload['codec'])[:40]!r} {str(payload['version'])[:10]!r}")
    return payload[key]


def _guarded(function, *args):
    try:
        return function(*args)
    except ValueError:
        raise
    except RecursionError as error:
        raise ValueError("invalid payload: nested too deeply") from error
    except (TypeError, KeyError, IndexError, OverflowError, AttributeError, ArithmeticError) as error:
        raise ValueError(f"invalid payload: {type(error).__name__}: {error}") from error


def decode(data: bytes, *, max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS, max_depth: int = MAX_DEPTH):
    """Decode a payload of :func:`encode`, validating every node.

    Parameters
    ----------
    data : bytes
        Untrusted bytes, as they came out of the sandbox.
    max_bytes, max_items, max_depth : int
        Caps on the payload size, the number of elements and the nesting depth.

    Returns
    -------
    object
        The value, or a :class:`NotAValue`.

    Raises
    ------
    ValueError
        If the bytes are not a valid payload: invalid JSON, an unknown tag, a dtype or class outside
        the allow-list, a shape that does not match the data, or a cap exceeded.  The message says what.
    """
    node = _load(data, max_bytes, "value")
    return _guarded(_Decoder(max_items, max_depth).value, node)


def decode_answers(data: bytes, *, max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS,
                   max_depth: int = MAX_DEPTH) -> dict:
    """Decode a payload of :func:`encode_answers`: ``{name: value or NotAValue}``.

    Parameters
    ----------
    data : bytes
        Untrusted bytes, as they came out of the sandbox.
    max_bytes, max_items, max_depth : int
        Caps, as in :func:`decode` (for the whole cell).

    Returns
    -------
    dict
        The answers in the order they were encoded.

    Raises
    ------
    ValueError
        As :func:`decode`, or if a name is not an identifier or is repeated.
    """
    answers = _list(_load(data, max_bytes, "answers"), "answers")
    decoder = _Decoder(max_items, max_depth)
    out = {}
    for pair in answers:
        if type(pair) is not list or len(pair) != 2:
            raise ValueError("an answer must be a [name, value] pair")
        name = _string(pair[0], "answer name", _IDENTIFIER)
        if name in out:
            raise ValueError(f"answer {name!r} appears twice")
        out[name] = _guarded(decoder.value, pair[1])
    return out

