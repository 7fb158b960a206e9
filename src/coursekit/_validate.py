"""Argument checks shared by every public coursekit function.

Each check raises :class:`ValueError` (or :class:`TypeError` for a value of the
wrong kind) with a message that names the argument, says what was received and
what is allowed.  Checks accept Python numbers and NumPy arrays alike, so the
calculators can be vectorised over a grid of inputs.
"""

from __future__ import annotations

import datetime as _dt
import numbers

import numpy as np
import pandas as pd

__all__ = [
    "as_number_array",
    "check_number",
    "check_scalar",
    "check_fraction",
    "check_positive_int",
    "check_choice",
    "as_output",
    "check_frame",
    "check_seed",
    "check_date",
    "check_numeric",
    "check_whole_numbers",
    "check_vector",
    "check_flags",
    "check_column_name",
    "check_column_names",
    "check_date_column",
    "check_numeric_column",
    "check_periods",
    "check_finite_values",
    "check_confidence",
    "check_repeat_summary",
]


def as_number_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a float array, refusing non-numbers and NaN."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number, got the boolean {value!r}")
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must be a number, got NaN")
    return arr


def check_number(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    finite: bool = True,
):
    """Check that ``value`` (a number or array) lies in the given interval.

    Returns the value as a float (scalar input) or a float array (array input).
    """
    arr = as_number_array(name, value)
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    bad = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if bad.any():
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        got = arr[bad].flat[0] if arr.ndim else float(arr)
        raise ValueError(f"{name} must be in {lo}, {hi}, got {got:g}")
    if arr.ndim == 0:
        return float(arr)
    return arr


def check_scalar(name: str, value, **bounds) -> float:
    """Check a single number (not an array) with the bounds of :func:`check_number`; return it as a float."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number, got {value!r}")
    return check_number(name, value, **bounds)


def check_fraction(name: str, value, *, allow_one: bool = False):
    """Check a probability-like value in [0, 1) (or [0, 1] with ``allow_one``)."""
    return check_number(name, value, low=0.0, high=1.0, high_open=not allow_one)


def check_positive_int(name: str, value, *, allow_zero: bool = False) -> int:
    """Check that ``value`` is a whole number (> 0, or >= 0 with ``allow_zero``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, float, np.floating)):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value) or value != int(value):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
    value = int(value)
    floor = 0 if allow_zero else 1
    if value < floor:
        raise ValueError(f"{name} must be an integer >= {floor}, got {value}")
    return value


def check_choice(name: str, value, allowed) -> str:
    """Check that ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def as_output(value):
    """Return a Python float for a 0-d result and a float array otherwise."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    return arr


def check_frame(name: str, frame, columns=(), *, min_rows: int = 0, no_missing: bool = False) -> pd.DataFrame:
    """Check that ``frame`` is a DataFrame holding ``columns``; return it unchanged.

    ``min_rows=1`` refuses an empty frame; ``no_missing=True`` refuses missing
    values in the named columns.  Every coursekit function that takes a frame
    checks it here, so the messages read the same everywhere.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    wanted = list(dict.fromkeys(columns))
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} must have the column(s) {missing}, got the columns {frame.columns.tolist()} "
            f"(it needs {wanted})"
        )
    if len(frame) < min_rows:
        rows = "one row" if min_rows == 1 else f"{min_rows} rows"
        raise ValueError(f"{name} must hold at least {rows}, got {len(frame)}")
    if no_missing:
        for column in wanted:
            n_missing = int(frame[column].isna().sum())
            if n_missing:
                raise ValueError(
                    f"{name}[{column!r}] must not hold missing values, got {n_missing} missing; "
                    "drop or fill those rows first"
                )
    return frame


def check_seed(seed) -> int:
    """Check a random seed: a whole number >= 0."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def check_date(name: str, value, *, example: str = "2024-01-01", whole_day: bool = False) -> pd.Timestamp:
    """Return a single date (str, datetime.date, numpy.datetime64 or Timestamp) as a midnight Timestamp.

    A time of day is dropped, or refused with ``whole_day=True`` (for a calendar day such as the
    first or last day of a window).
    """
    if not isinstance(value, (str, _dt.date, np.datetime64, pd.Timestamp)):
        raise TypeError(
            f"{name} must be a date given as an ISO string such as {example!r}, "
            f"a datetime.date or a pandas.Timestamp, got {type(value).__name__} {value!r}"
        )
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as {example!r}, got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as {example!r}, got a missing value {value!r}")
    if stamp.tzinfo is not None:
        raise ValueError(f"{name} must be a date without a time zone, got {value!r}")
    if whole_day and stamp != stamp.normalize():
        raise ValueError(f"{name} must be a calendar date without a time of day, got {value!r}")
    return stamp.normalize().as_unit("ns")


def check_numeric(name: str, value) -> None:
    """Refuse arrays of strings or booleans where numbers are expected (NumPy would convert them)."""
    if isinstance(value, (pd.Series, pd.Index)):
        if pd.api.types.is_bool_dtype(value) or not pd.api.types.is_numeric_dtype(value):
            raise TypeError(f"{name} must hold numbers, got a Series of dtype {value.dtype}")
        return
    kind = np.asarray(value).dtype.kind
    if kind in "USb":
        raise TypeError(f"{name} must hold numbers, got {'booleans' if kind == 'b' else 'text'}: {value!r}")

def check_whole_numbers(name: str, value, *, minimum: int) -> np.ndarray:
    """Return ``value`` as a float array of whole numbers >= ``minimum`` (scalar or array)."""
    check_numeric(name, value)
    arr = as_number_array(name, value)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite whole numbers, got {value!r}")
    fractional = arr != np.round(arr)
    if fractional.any():
        raise ValueError(f"{name} must hold whole numbers, got {arr[fractional].flat[0]:g}")
    small = arr < minimum
    if small.any():
        raise ValueError(f"{name} must hold whole numbers >= {minimum}, got {arr[small].flat[0]:g}")
    return arr

def check_vector(name: str, value) -> np.ndarray:
    """Return a non-empty one-dimensional float array (no NaN)."""
    if isinstance(value, pd.DataFrame):
        raise TypeError(f"{name} must be one-dimensional (a list, array or Series), got a DataFrame")
    check_numeric(name, value)
    arr = as_number_array(name, value)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    return arr

def check_flags(name: str, value, size: int) -> np.ndarray:
    """Return a boolean array of length ``size`` from booleans or 0/1 numbers."""
    if isinstance(value, pd.DataFrame):
        raise TypeError(f"{name} must be one-dimensional booleans, got a DataFrame")
    if isinstance(value, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)) and pd.isna(value).any():
        raise ValueError(f"{name} must hold True or False, got missing values")
    arr = np.asarray(value)
    if arr.dtype == object:  # e.g. a nullable boolean Series, or a list mixing bools and numbers
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must hold booleans (True = churn observed), got {value!r}") from None
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} must hold True or False, got NaN")
    if arr.dtype.kind in "iuf":
        outside = ~np.isin(arr, (0, 1))
        if outside.any():
            raise ValueError(f"{name} must hold True/False (or 1/0), got other values such as {arr[outside].flat[0]!r}")
        arr = arr.astype(bool)
    elif arr.dtype != bool:
        raise TypeError(f"{name} must hold booleans (True = churn observed), got dtype {arr.dtype}")
    if arr.ndim != 1 or arr.size != size:
        raise ValueError(f"{name} must be one-dimensional with one flag per duration ({size}), got shape {arr.shape}")
    return arr


def check_column_name(name: str, value) -> str:
    """A column argument must be a non-empty string."""
    if not isinstance(value, str) or value == "":
        raise TypeError(f"{name} must be a column name (a non-empty str), got {type(value).__name__} {value!r}")
    return value


def check_column_names(name: str, value) -> list[str]:
    """A grouping argument: one column name or a non-empty sequence of distinct names."""
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (tuple, list)) or len(value) == 0:
        raise TypeError(
            f"{name} must be a column name or a non-empty tuple/list of column names, "
            f"got {type(value).__name__} {value!r}"
        )
    keys = [check_column_name(name, v) for v in value]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{name} must name distinct columns, got {value!r}")
    return keys


def check_date_column(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """The dates of ``frame[column]`` as calendar days (``datetime64[ns]`` at midnight)."""
    values = frame[column]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        raise ValueError(
            f"{name}[{column!r}] must hold dates without a time zone, got {values.dtype}; "
            "convert with .dt.tz_localize(None)"
        )
    if pd.api.types.is_datetime64_dtype(values.dtype):
        days = values
    elif pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        try:
            days = pd.to_datetime(values, format="ISO8601")
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"{name}[{column!r}] must hold dates (datetime64 or ISO text such as '2023-04-27'): {err}"
            ) from None
        if isinstance(days.dtype, pd.DatetimeTZDtype):
            raise ValueError(f"{name}[{column!r}] must hold dates without a time zone, got {days.dtype}")
    else:
        raise TypeError(
            f"{name}[{column!r}] must hold dates (datetime64 or ISO text), got the dtype {values.dtype}"
        )
    return days.dt.normalize().astype("datetime64[ns]")


def check_numeric_column(name: str, frame: pd.DataFrame, column: str, *, nonnegative: bool) -> pd.Series:
    """``frame[column]`` as finite floats (and >= 0 if asked)."""
    values = frame[column]
    if pd.api.types.is_bool_dtype(values.dtype) or not pd.api.types.is_numeric_dtype(values.dtype):
        raise TypeError(f"{name}[{column!r}] must hold numbers, got the dtype {values.dtype}")
    values = values.astype(float)
    arr = values.to_numpy()
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}[{column!r}] must hold finite numbers, got {arr[~np.isfinite(arr)][0]!r}")
    if nonnegative and (arr < 0).any():
        raise ValueError(f"{name}[{column!r}] must hold numbers >= 0, got {arr[arr < 0][0]:g}")
    return values


def check_periods(name: str, value, *, minimum: int):
    """Check a number of periods: a whole number >= ``minimum``, scalar or array.

    Scalars go through :func:`check_positive_int` and come back as ``int``; arrays come back as
    float arrays of whole numbers, so a notebook can evaluate several horizons at once.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if np.ndim(value) == 0:
        return check_positive_int(name, value, allow_zero=minimum == 0)
    arr = as_number_array(name, value)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite whole numbers, got {value!r}")
    fractional = arr != np.round(arr)
    if fractional.any():
        raise ValueError(f"{name} must hold whole numbers, got {arr[fractional].flat[0]:g}")
    too_small = arr < minimum
    if too_small.any():
        raise ValueError(f"{name} must hold integers >= {minimum}, got {arr[too_small].flat[0]:g}")
    return arr


def check_finite_values(name: str, values) -> np.ndarray:
    """Return a Series or array of plain numbers as a float array (no booleans, NaN or inf)."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and pd.api.types.is_bool_dtype(dtype):
        raise TypeError(f"{name} must hold numbers, got booleans")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold numbers, got {values!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain missing values (NaN); drop or impute them first")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers, got {arr[~np.isfinite(arr)].flat[0]:g}")
    return arr


def check_confidence(confidence) -> float:
    """Check a confidence level in (0, 1) and return it as a float."""
    value = check_number("confidence", confidence, low=0.0, high=1.0, low_open=True, high_open=True)
    if np.ndim(value):
        raise TypeError(f"confidence must be a single number such as 0.95, got an array of shape {np.shape(value)}")
    return value


def check_repeat_summary(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a customer-by-sufficient-statistic summary (repeat-buying models); return float arrays.

    ``frequency`` holds whole numbers >= 0 (repeat purchases), ``recency`` the time of the last repeat
    purchase since the first one (0 when there is none) and ``T`` the time observed since the first
    purchase; all one-dimensional and of one length, with 0 <= recency <= T, T > 0 and recency > 0
    whenever frequency > 0.
    """
    x = check_whole_numbers("frequency", check_vector("frequency", frequency), minimum=0)
    t_x = check_vector("recency", recency)
    big_t = check_vector("T", T)
    if not (x.size == t_x.size == big_t.size):
        raise ValueError(f"frequency, recency and T must have one value per customer, got lengths {x.size}, {t_x.size}, {big_t.size}")
    if not (np.isfinite(t_x).all() and np.isfinite(big_t).all()):
        raise ValueError("recency and T must be finite")
    if (big_t <= 0).any():
        raise ValueError(f"T must be > 0 (time observed since the first purchase), got {big_t[big_t <= 0].flat[0]:g}")
    if (t_x < 0).any() or (t_x > big_t * (1 + 1e-12)).any():
        bad = t_x[(t_x < 0) | (t_x > big_t * (1 + 1e-12))].flat[0]
        raise ValueError(f"recency must lie between 0 and T (the time of the last repeat purchase), got {bad:g}")
    if ((x > 0) & (t_x <= 0)).any():
        raise ValueError("recency must be > 0 for a customer with repeat purchases (frequency > 0)")
    if ((x == 0) & (t_x != 0)).any():
        raise ValueError("recency must be 0 for a customer with no repeat purchase (frequency == 0)")
    return x, t_x, big_t
