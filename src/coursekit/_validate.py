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
    "check_fraction",
    "check_positive_int",
    "check_choice",
    "as_output",
    "check_frame",
    "check_seed",
    "check_date",
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
            f"{name} must have the column(s) {wanted}; missing {missing} (it has {frame.columns.tolist()})"
        )
    if len(frame) < min_rows:
        raise ValueError(f"{name} must hold at least {min_rows} row(s), got an empty DataFrame")
    if no_missing:
        for column in wanted:
            n_missing = int(frame[column].isna().sum())
            if n_missing:
                raise ValueError(f"{name}[{column!r}] must not hold missing values; {n_missing} are missing")
    return frame


def check_seed(seed) -> int:
    """Check a random seed: a whole number >= 0."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def check_date(name: str, value, *, example: str = "2024-01-01") -> pd.Timestamp:
    """Return a single date (str, datetime.date, numpy.datetime64 or Timestamp) as a midnight Timestamp."""
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
    return stamp.normalize().as_unit("ns")
