"""Argument checks shared by every public coursekit function.

Each check raises :class:`ValueError` (or :class:`TypeError` for a value of the
wrong kind) with a message that names the argument, says what was received and
what is allowed.  Checks accept Python numbers and NumPy arrays alike, so the
calculators can be vectorised over a grid of inputs.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_number_array",
    "check_number",
    "check_fraction",
    "check_positive_int",
    "check_choice",
    "as_output",
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
