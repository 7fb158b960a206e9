r"""Small building blocks shared by the synthetic-data generators.

Every generator of the course draws from independent random streams spawned from one seed
(:func:`streams`), so that changing one step of a model does not shift the draws of the others,
and the files depend only on the seed.  The other helpers are the few steps that several
generators repeat: splitting a count exactly by shares (:func:`allocate`), drawing categories
with given shares (:func:`pick`, and one draw per row of a probability matrix with
:func:`pick_rows`), rounding latent scores onto a rating scale (:func:`scale_round`), numbering
records (:func:`ids`), drawing the event times of a renewal process (:func:`renewals`) and
turning day numbers into calendar dates (:func:`day_dates`).

References
----------
.. [1] NumPy developers, "Parallel random number generation" (``SeedSequence.spawn``),
   https://numpy.org/doc/stable/reference/random/parallel.html.
.. [2] M. L. Balinski and H. P. Young, *Fair Representation*, 2nd ed., Brookings Institution
   Press, 2001 (the largest-remainder method).

Examples
--------
>>> first, second = streams(7, 2)
>>> round(float(first.random()), 4) == round(float(streams(7, 2)[0].random()), 4)
True
>>> allocate(np.array([0.5, 0.3, 0.2]), 7).tolist()
[4, 2, 1]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["streams", "allocate", "pick", "pick_rows", "scale_round", "ids", "renewals", "day_dates"]


def streams(seed: int, k: int) -> list[np.random.Generator]:
    """Return ``k`` independent generators spawned from ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    seed : int
        Seed (>= 0), checked by the caller.
    k : int
        Number of streams.

    Returns
    -------
    list of numpy.random.Generator
        One generator per step of a model; the same seed gives the same generators.

    Examples
    --------
    >>> a, b = streams(1, 2)
    >>> bool(a.random() != b.random())
    True
    """
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


def allocate(shares, n: int) -> np.ndarray:
    """Split ``n`` into whole counts proportional to ``shares`` (largest remainder).

    Each count is the floor of its exact share of ``n``; the units left over go to the largest
    remainders (ties to the first), so the counts add up to ``n`` exactly.

    Parameters
    ----------
    shares : array_like of float
        Non-negative weights, not all zero (they need not add up to 1).
    n : int
        Total to split, >= 0.

    Returns
    -------
    numpy.ndarray of int
        Counts adding up to ``n``.

    Examples
    --------
    >>> allocate([0.14, 0.34, 0.20, 0.10, 0.08, 0.14], 24).tolist()
    [3, 8, 5, 3, 2, 3]
    """
    shares = np.asarray(shares, dtype=float)
    exact = shares / shares.sum() * n
    counts = np.floor(exact).astype(int)
    extra = np.argsort(-(exact - counts), kind="stable")[: n - counts.sum()]
    counts[extra] += 1
    return counts


def pick(rng: np.random.Generator, shares, n: int) -> np.ndarray:
    """Draw ``n`` codes ``0 .. k-1`` with probabilities proportional to ``shares``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream to draw from.
    shares : dict or array_like of float
        Non-negative weights of the ``k`` categories (a dict's values, in its order); they are
        normalised to add up to 1.
    n : int
        Number of draws.

    Returns
    -------
    numpy.ndarray of int
        One code per draw (``rng.choice`` with those probabilities).

    Examples
    --------
    >>> codes = pick(np.random.default_rng(0), {"a": 0.2, "b": 0.8}, 1000)
    >>> bool(0.75 < (codes == 1).mean() < 0.85)
    True
    """
    p = np.asarray(list(shares.values()) if isinstance(shares, dict) else shares, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum())


def pick_rows(rng: np.random.Generator, probs) -> np.ndarray:
    """Draw one code per row of the probability matrix ``probs`` (inverse-CDF on one uniform each).

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream to draw from (one uniform per row).
    probs : array_like of float, shape (rows, k)
        Non-negative weights of the ``k`` categories for each row (normalised per row).

    Returns
    -------
    numpy.ndarray of int
        One code ``0 .. k-1`` per row.

    Examples
    --------
    >>> pick_rows(np.random.default_rng(1), [[1.0, 0.0], [0.0, 1.0], [0.0, 2.0]]).tolist()
    [0, 1, 1]
    """
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    code = (rng.random(probs.shape[0])[:, None] > cum).sum(axis=1)
    return np.minimum(code, probs.shape[1] - 1)


def scale_round(latent, low: int, high: int) -> np.ndarray:
    """Round latent scores to the nearest whole number and clip them to ``[low, high]``.

    Examples
    --------
    >>> scale_round([0.2, 3.5, 4.49, 9.0], 1, 7).tolist()
    [1, 4, 4, 7]
    """
    return np.clip(np.rint(latent), low, high).astype(np.int64)


def ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Identifiers ``prefix`` + the numbers 1..n zero-padded to ``width`` digits (more if n needs them).

    Examples
    --------
    >>> ids("C", 3, 5).tolist()
    ['C00001', 'C00002', 'C00003']
    >>> ids("K", 12, 1)[-1]
    'K12'
    """
    width = max(width, len(str(n)))
    numbers = np.arange(1, n + 1).astype(str)
    return np.char.add(prefix, np.char.zfill(numbers, width)).astype(object)


def renewals(start, end, gaps: Callable[[int, int], np.ndarray], first) -> tuple[np.ndarray, np.ndarray]:
    """Event times of one renewal process per row, inside each row's window ``[start, end)``.

    Row :math:`i`'s first event is at ``start[i] + first[i]`` and the next ones follow after
    the gaps that ``gaps(rows, k)`` draws (a ``(rows, k)`` array of positive gaps, called with
    ``k = 8, 8, 16, 32 ...`` until every row has passed its end).

    Parameters
    ----------
    start, end : array_like of float
        Window of each row (e.g. days).
    gaps : callable
        ``gaps(rows, k)`` returning a ``(rows, k)`` array of positive gaps.
    first : array_like of float
        Offset of each row's first event from its start.

    Returns
    -------
    rows : numpy.ndarray of int
        Row of each event, row-major.
    times : numpy.ndarray of float
        Time of each event.

    Examples
    --------
    >>> rows, times = renewals([0.0, 5.0], [10.0, 9.0], lambda r, k: np.full((r, k), 3.0), [1.0, 0.0])
    >>> rows.tolist(), times.tolist()
    ([0, 0, 0, 1, 1], [1.0, 4.0, 7.0, 5.0, 8.0])
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    n = start.size
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    begin = start + np.asarray(first, dtype=float)
    k = 8
    drawn = gaps(n, k)
    while True:
        times = begin[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(drawn, axis=1)], axis=1)
        if (times[:, -1] >= end).all():
            break
        drawn = np.concatenate([drawn, gaps(n, k)], axis=1)
        k *= 2
    keep = times < end[:, None]
    rows = np.repeat(np.arange(n), keep.sum(axis=1))
    return rows, times[keep]


def day_dates(origin: str, days) -> pd.Series:
    """The calendar dates (``datetime64[ns]``) ``days`` whole days after ``origin``.

    Examples
    --------
    >>> day_dates("2000-02-27", [0, 2]).dt.strftime("%Y-%m-%d").tolist()
    ['2000-02-27', '2000-02-29']
    """
    return pd.Series(np.datetime64(origin, "D") + np.asarray(days, dtype="int64")).astype("datetime64[ns]")
