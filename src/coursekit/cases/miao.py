r"""Case 3 -- *The store that knew* (reading R1).

Serves the case notebooks ``cases/03_store_that_knew.ipynb`` and ``cases/03b_the_false_alarms.ipynb``.  It holds:

* the Miao dataset: loyalty-card purchases of a neighbourhood store, 1999-2001, in which some
  regular buyers of sanitary products stop buying them for a long time -- because of a
  pregnancy, or for many other reasons -- :func:`make_miao` (the documented generative model),
  :func:`write_miao` (files ``miao/cards.csv``, ``miao/purchases.csv``, ``miao/truth.csv``,
  declared as :class:`coursekit.tables.Table` specs) and the loaders
  :func:`load_miao_cards`, :func:`load_miao_purchases`, :func:`load_miao_truth`;
* the calculators: :func:`silence_alerts` (the store's real-time rule) and
  :func:`alert_quality` (the rule scored against the truth);
* the explorer :func:`alarm_explorer`, with its ``BENCH`` slider moves for ``make bench``.

``DATASETS`` maps the dataset's name to its writer.  Loaders read from the course's datasets
folder by default (:func:`coursekit.tables.data_dir`).

References
----------
.. [1] C. Duhigg, "How Companies Learn Your Secrets", The New York Times Magazine,
   16 February 2012.
.. [2] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
   2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit import plotting
from coursekit._validate import check_date, check_date_column, check_frame, check_positive_int, check_scalar, check_seed
from coursekit.data.sampling import day_dates, renewals, streams
from coursekit.language import tr
from coursekit.models.purchases import overdue, purchase_cycles
from coursekit.tables import Column, Table, write_tables
from coursekit.widgets import Explorer, float_slider, int_slider

__all__ = [
    "MIAO_SEED",
    "MIAO_START",
    "MIAO_END",
    "MIAO_CARD",
    "MIAO_EVENTS",
    "MIAO_CATEGORIES",
    "MIAO_EVENT_COUNTS",
    "CARDS_TABLE",
    "PURCHASES_TABLE",
    "TRUTH_TABLE",
    "MiaoData",
    "make_miao",
    "write_miao",
    "load_miao_cards",
    "load_miao_purchases",
    "load_miao_truth",
    "silence_alerts",
    "AlertQuality",
    "alert_quality",
    "alarm_explorer",
    "list_explorer",
    "DATASETS",
    "BENCH",
]

_NS = "datetime64[ns]"
_STR = "str"

MIAO_SEED = 20240812
MIAO_START = "1999-07-01"
MIAO_END = "2001-12-31"
#: Card of the Miao household in the default dataset.
MIAO_CARD = "C0217"
#: Reasons why a regular buyer of sanitary products stops buying them at the store.
MIAO_EVENTS = ("pregnancy", "away", "elsewhere", "moved", "stopped")
MIAO_CATEGORIES = ("groceries", "sanitary", "baby")
#: Number of cards with each event, besides the Miao household's pregnancy.
MIAO_EVENT_COUNTS = {"pregnancy": 10, "away": 12, "elsewhere": 9, "moved": 6, "stopped": 5}
_MIAO_STORY = {"issued": "2000-02-21", "start": "2000-08-25", "birth": "2001-05-18", "end": "2001-09-10"}

#: The files of the dataset, in the datasets folder.
CARDS_TABLE = Table("miao/cards.csv", [Column("card_id"), Column("issued", "date")])
PURCHASES_TABLE = Table("miao/purchases.csv", [
    Column("card_id"),
    Column("date", "date"),
    Column("category", "category", categories=MIAO_CATEGORIES),
    Column("amount", "float", decimals=2, low=0),
])
TRUTH_TABLE = Table("miao/truth.csv", [
    Column("card_id"),
    Column("event", "category", categories=MIAO_EVENTS),
    Column("start", "date"),
    Column("end", "date", optional=True),
    Column("birth", "date", optional=True),
    Column("note", blank=True),
])




class MiaoData(NamedTuple):
    """Frames of the Miao dataset (see :func:`make_miao`)."""

    cards: pd.DataFrame
    purchases: pd.DataFrame
    truth: pd.DataFrame


def _day_index(text: str) -> int:
    return int((np.datetime64(text, "D") - np.datetime64(MIAO_START, "D")).astype(int))


def make_miao(n_cards: int = 300, seed: int = MIAO_SEED) -> MiaoData:
    r"""Simulate the loyalty-card purchases of a neighbourhood store, July 1999 - December 2001.

    Generative model (days counted from 1 July 1999; 915 days).

    1. **Cards.**  ``n_cards`` households; 75 % hold a card from day 0, the others get one on a
       uniform day in [0, 500).  Card :data:`MIAO_CARD` (index 216, or ``n_cards // 2`` for a
       smaller store) is the Miao household, issued on 21 February 2000.
    2. **Groceries.**  Every household shops from its card's issue on, with gaps drawn from a
       Gamma distribution (shape 2) with a household mean uniform in [5, 14] days (Miao: 7).
    3. **Sanitary products.**  78 % of households (always the Miao one) buy them regularly: the
       household's cycle :math:`\mu` is uniform in [25, 31] days (Miao: 28); each gap is
       :math:`\mu + \varepsilon`, :math:`\varepsilon \sim N(0, 1.5^2)`, at least 15 days, and
       doubled with probability 0.06 (two packs bought at once).
    4. **Events** (one at most per household, among sanitary buyers whose card was issued by
       day 330), with the numbers of :data:`MIAO_EVENT_COUNTS`:

       * ``pregnancy`` -- from day :math:`s` (uniform in [issue + 120, 715]) sanitary purchases
         stop; the birth comes :math:`266 \pm 10` days later and the purchases resume 50-250
         days after the birth (``end``); baby products are bought from the birth on, every
         Gamma(shape 4, mean uniform in [6, 11]) days.  Miao: 25 August 2000, birth 18 May
         2001, purchases resume 10 September 2001.
       * ``away`` -- every purchase stops for 40-110 days (a long trip).
       * ``elsewhere`` -- sanitary purchases stop for 100-300 days (bought at another shop),
         groceries go on.
       * ``moved`` -- every purchase stops for good.
       * ``stopped`` -- sanitary purchases stop for good, groceries go on.

    5. **Amounts.**  Groceries Gamma(shape 3, mean 32) US$, sanitary products uniform in
       [3.5, 7.5], baby products Gamma(shape 4, mean 15); rounded to cents.

    Several purchases of one category by one household on one day count once.  Six independent
    random streams are spawned from ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    n_cards : int, default 300
        Number of households (at least 60).
    seed : int, default MIAO_SEED
        Seed (>= 0).

    Returns
    -------
    MiaoData
        ``cards`` (``card_id``, ``issued``), ``purchases`` (``card_id``, ``date``,
        ``category``, ``amount``; date order) and ``truth`` (one row per household with an
        event: ``card_id``, ``event``, ``start``, ``end`` -- NaT for a permanent stop --,
        ``birth`` -- NaT except for pregnancies --, and ``note``).

    Raises
    ------
    ValueError, TypeError
        For arguments out of range or of the wrong kind.

    References
    ----------
    .. [1] C. Duhigg, "How Companies Learn Your Secrets", The New York Times Magazine,
       16 February 2012.

    Examples
    --------
    >>> small = make_miao(n_cards=80, seed=4)
    >>> small.truth["event"].value_counts().sort_index().to_dict()
    {'away': 12, 'elsewhere': 9, 'moved': 6, 'pregnancy': 11, 'stopped': 5}
    >>> sorted(small.purchases["category"].unique())
    ['baby', 'groceries', 'sanitary']
    """
    n = check_positive_int("n_cards", n_cards)
    if n < 60:
        raise ValueError(f"n_cards must be at least 60 (the events need enough households), got {n}")
    seed = check_seed(seed)
    r_card, r_groc, r_san, r_event, r_baby, r_amount = streams(seed, 6)
    days = _day_index(MIAO_END) + 1
    miao = 216 if n > 216 else n // 2

    issued = np.where(r_card.random(n) < 0.75, 0, r_card.integers(0, 500, n))
    buys_sanitary = r_card.random(n) < 0.78
    cycle = np.round(r_card.uniform(25.0, 31.0, n), 1)
    grocery_gap = np.round(r_card.uniform(5.0, 14.0, n), 1)
    issued[miao], buys_sanitary[miao] = _day_index(_MIAO_STORY["issued"]), True
    cycle[miao], grocery_gap[miao] = 28.0, 7.0

    # --- events: disjoint households, drawn from the eligible ones ---------------------------
    eligible = np.flatnonzero(buys_sanitary & (issued <= 330) & (np.arange(n) != miao))
    needed = sum(MIAO_EVENT_COUNTS.values())
    if eligible.size < needed:
        extra = np.flatnonzero(~buys_sanitary & (issued <= 330) & (np.arange(n) != miao))
        take = extra[: needed - eligible.size]
        buys_sanitary[take] = True
        eligible = np.sort(np.concatenate([eligible, take]))
        if eligible.size < needed:
            raise ValueError(f"n_cards={n} leaves too few households with an early card for the events")
    chosen = r_event.permutation(eligible)[:needed]
    event = np.full(n, "", dtype=object)
    bounds = np.cumsum([0, *MIAO_EVENT_COUNTS.values()])
    for name, lo, hi in zip(MIAO_EVENT_COUNTS, bounds[:-1], bounds[1:], strict=True):
        event[chosen[lo:hi]] = name
    event[miao] = "pregnancy"
    start = np.full(n, -1, dtype=np.int64)
    end = np.full(n, -1, dtype=np.int64)  # -1: no end (permanent) or no event
    birth = np.full(n, -1, dtype=np.int64)
    u = r_event.random((n, 3))

    def between(lo, hi, x):
        return (lo + x * np.maximum(hi - lo, 0)).astype(np.int64)

    preg = event == "pregnancy"
    preg[miao] = False
    start[preg] = between(issued[preg] + 120, 715, u[preg, 0])
    birth[preg] = start[preg] + 266 + np.round(u[preg, 1] * 20 - 10).astype(np.int64)
    end[preg] = birth[preg] + 50 + (u[preg, 2] * 200).astype(np.int64)
    away = event == "away"
    start[away] = between(issued[away] + 60, days - 120, u[away, 0])
    end[away] = start[away] + 40 + (u[away, 1] * 70).astype(np.int64)
    elsewhere = event == "elsewhere"
    start[elsewhere] = between(issued[elsewhere] + 90, days - 150, u[elsewhere, 0])
    end[elsewhere] = start[elsewhere] + 100 + (u[elsewhere, 1] * 200).astype(np.int64)
    for name in ("moved", "stopped"):
        m = event == name
        start[m] = between(issued[m] + 150, days - 60, u[m, 0])
    start[miao], birth[miao], end[miao] = (_day_index(_MIAO_STORY[k]) for k in ("start", "birth", "end"))

    # --- purchases ----------------------------------------------------------------------------
    g_rows, g_time = renewals(
        issued, np.full(n, days), lambda k, m: r_groc.gamma(2.0, 1.0, (k, m)) * (grocery_gap / 2.0)[:, None],
        r_groc.random(n) * grocery_gap,
    )
    sanitary_households = np.flatnonzero(buys_sanitary)
    mu = cycle[sanitary_households]

    def sanitary_gaps(k, m):
        gaps = np.maximum(mu[:, None] + r_san.normal(0.0, 1.5, (k, m)), 15.0)
        return gaps * np.where(r_san.random((k, m)) < 0.06, 2.0, 1.0)

    s_rows, s_time = renewals(issued[sanitary_households], np.full(mu.size, days), sanitary_gaps,
                              r_san.random(mu.size) * mu)
    s_rows = sanitary_households[s_rows]
    mothers = np.flatnonzero(event == "pregnancy")
    baby_gap = r_baby.uniform(6.0, 11.0, mothers.size)
    first_baby = birth[mothers] - r_baby.integers(0, 5, mothers.size)
    b_rows, b_time = renewals(
        first_baby, np.full(mothers.size, days),
        lambda k, m: r_baby.gamma(4.0, 1.0, (k, m)) * (baby_gap / 4.0)[:, None], np.zeros(mothers.size),
    )
    b_rows = mothers[b_rows]

    card = np.concatenate([g_rows, s_rows, b_rows])
    day = np.floor(np.concatenate([g_time, s_time, b_time])).astype(np.int64)
    cat = np.concatenate([np.zeros(g_rows.size, int), np.ones(s_rows.size, int), np.full(b_rows.size, 2)])
    e = event[card]
    in_window = (day >= start[card]) & ((end[card] < 0) | (day < end[card]))
    everything_off = ((e == "away") | (e == "moved")) & in_window
    sanitary_off = (cat == 1) & ((e == "pregnancy") | (e == "elsewhere") | (e == "stopped")) & in_window
    keep = ~(everything_off | sanitary_off) & (day < days)
    card, day, cat = card[keep], day[keep], cat[keep]
    key = (card * days + day) * 3 + cat
    key = np.unique(key)
    cat = key % 3
    day = (key // 3) % days
    card = key // 3 // days
    amount = np.select(
        [cat == 0, cat == 1],
        [r_amount.gamma(3.0, 32.0 / 3.0, key.size), r_amount.uniform(3.5, 7.5, key.size)],
        r_amount.gamma(4.0, 15.0 / 4.0, key.size),
    )
    order = np.lexsort((cat, card, day))
    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)], dtype=object)
    purchases = pd.DataFrame(
        {
            "card_id": pd.array(ids[card[order]], dtype=_STR),
            "date": day_dates(MIAO_START, day[order]),
            "category": pd.array(np.array(MIAO_CATEGORIES, dtype=object)[cat[order]], dtype=_STR),
            "amount": np.round(amount[order], 2),
        }
    )
    cards = pd.DataFrame({"card_id": pd.array(ids, dtype=_STR), "issued": day_dates(MIAO_START, issued)})
    has = np.flatnonzero(event != "")

    def optional(values):
        dates = day_dates(MIAO_START, np.where(values >= 0, values, 0))
        return dates.where(values >= 0)

    truth = pd.DataFrame(
        {
            "card_id": pd.array(ids[has], dtype=_STR),
            "event": pd.array(event[has].astype(str), dtype=_STR),
            "start": day_dates(MIAO_START, start[has]),
            "end": optional(end[has]).astype(_NS),
            "birth": optional(birth[has]).astype(_NS),
            "note": pd.array(np.where(has == miao, "the Miao household", ""), dtype=_STR),
        }
    )
    return MiaoData(cards=cards, purchases=purchases, truth=truth)



def write_miao(directory, data: MiaoData | None = None) -> list[Path]:
    """Write the Miao dataset into ``directory/miao/``.

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``miao/`` is created in it.
    data : MiaoData, optional
        What to write; by default :func:`make_miao` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        ``miao/cards.csv``, ``miao/purchases.csv`` and ``miao/truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_miao(tmp, make_miao(n_cards=60, seed=2))
    ...     print([p.name for p in paths], paths[1].read_text().splitlines()[0])
    ['cards.csv', 'purchases.csv', 'truth.csv'] card_id,date,category,amount
    """
    return write_tables(directory, data, MiaoData, make_miao, (CARDS_TABLE, PURCHASES_TABLE, TRUTH_TABLE))


def load_miao_cards(directory=None) -> pd.DataFrame:
    """Load the store's loyalty cards (``miao/cards.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``card_id`` (str) and ``issued`` (datetime64[ns]), one row per card.

    Examples
    --------
    >>> cards = load_miao_cards()
    >>> len(cards), str(cards.set_index("card_id").loc[MIAO_CARD, "issued"].date())
    (300, '2000-02-21')
    """
    return CARDS_TABLE.read(directory)


def load_miao_purchases(directory=None) -> pd.DataFrame:
    """Load the store's loyalty-card purchases (``miao/purchases.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per household, day and category bought, in date order: ``card_id`` (str),
        ``date`` (datetime64[ns]), ``category`` (categorical: groceries, sanitary, baby) and
        ``amount`` (float, US$).

    Examples
    --------
    >>> p = load_miao_purchases()
    >>> p["category"].value_counts().sort_index().to_dict()
    {'groceries': 29366, 'sanitary': 6323, 'baby': 248}
    """
    return PURCHASES_TABLE.read(directory)


def load_miao_truth(directory=None) -> pd.DataFrame:
    """Load what really happened to the households (``miao/truth.csv``) -- the store never sees it.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per household with an event: ``card_id`` (str), ``event`` (categorical,
        :data:`MIAO_EVENTS`), ``start``, ``end`` (NaT: permanent) and ``birth`` (NaT except for
        pregnancies) as datetime64[ns], and ``note`` (str).

    Examples
    --------
    >>> truth = load_miao_truth()
    >>> truth.loc[truth["note"] != "", ["card_id", "event"]].to_numpy().tolist()
    [['C0217', 'pregnancy']]
    """
    return TRUTH_TABLE.read(directory)


def _check_purchases(purchases, card: str, date: str, category: str) -> pd.DataFrame:
    for name, value in (("card", card), ("date", date), ("category_column", category)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a column name (str), got {value!r}")
    frame = check_frame("purchases", purchases, [card, date, category], no_missing=True)
    return pd.DataFrame(
        {card: frame[card].astype(str), date: check_date_column("purchases", frame, date),
         category: frame[category].astype(str)}
    )


def silence_alerts(purchases, as_of, category: str = "sanitary", tolerance: float = 3.0, min_purchases: int = 4,
                   active_days: int | None = None, card: str = "card_id", date: str = "date",
                   category_column: str = "category") -> pd.DataFrame:
    r"""The store's real-time rule: regular buyers of a category who have gone silent.

    Using only purchases on or before ``as_of``, each card's cycle in ``category`` is the median
    gap between its purchases (:func:`coursekit.models.purchases.purchase_cycles`), and a card is
    alerted when its silence is longer than ``tolerance`` cycles
    (:func:`coursekit.models.purchases.overdue`):

    .. math:: \text{as\_of} - t_{\text{last}} > \text{tolerance} \times c .

    With ``active_days`` the rule also asks that the household still shops at the store: at
    least one purchase of *another* category in the ``active_days`` days up to ``as_of``.  A
    household that stopped everything (a trip, a move) is then not alerted.

    Parameters
    ----------
    purchases : pandas.DataFrame
        One row per purchase with the ``card``, ``date`` and ``category_column`` columns.
    as_of : str, datetime.date or pandas.Timestamp
        The day the rule runs.
    category : str, default "sanitary"
        The category whose silence is watched.
    tolerance : float, default 3.0
        Cycles of silence before an alert, > 0.
    min_purchases : int, default 4
        Purchases in the category needed to estimate a cycle (>= 2).
    active_days : int or None, default None
        Window (days) for the still-shopping check, or ``None`` for no check.
    card, date, category_column : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per alerted card, the most overdue first, indexed by the card column, with
        ``n_purchases``, ``last_purchase``, ``cycle_days``, ``days_since_last`` and
        ``overdue_ratio`` (silence in cycles), plus ``last_other`` (date of the last purchase
        of another category, NaT if none) when ``active_days`` is given.

    Raises
    ------
    ValueError, TypeError
        For missing columns or arguments out of range.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your customers: who are
       they and what will they do next?", Management Science 33(1), 1-24, 1987.

    Examples
    --------
    Household A buys every 28 days and stops at the end of April; B stops everything then too:

    >>> days = [0, 28, 56, 84, 112]
    >>> rows = [("A", d, "sanitary") for d in days] + [("B", d, "sanitary") for d in days]
    >>> rows += [("A", d, "groceries") for d in range(0, 300, 7)] + [("B", d, "groceries") for d in range(0, 113, 7)]
    >>> p = pd.DataFrame(rows, columns=["card_id", "day", "category"])
    >>> p["date"] = pd.Timestamp("2000-01-03") + pd.to_timedelta(p["day"], unit="D")
    >>> silence_alerts(p, "2000-09-01")[["cycle_days", "days_since_last", "overdue_ratio"]].round(2)
             cycle_days  days_since_last  overdue_ratio
    card_id
    A              28.0              130           4.64
    B              28.0              130           4.64
    >>> silence_alerts(p, "2000-09-01", active_days=30).index.tolist()
    ['A']
    """
    frame = _check_purchases(purchases, card, date, category_column)
    day = check_date("as_of", as_of, example="2001-03-01")
    if not isinstance(category, str):
        raise TypeError(f"category must be a str, got {category!r}")
    tolerance = check_scalar("tolerance", tolerance, low=0.0, low_open=True)
    min_purchases = check_positive_int("min_purchases", min_purchases)
    if min_purchases < 2:
        raise ValueError(f"min_purchases must be at least 2, got {min_purchases}")
    if active_days is not None:
        active_days = check_positive_int("active_days", active_days)
    past = frame[frame[date] <= day]
    watched = past[past[category_column] == category]
    if watched.empty:
        raise ValueError(f"no purchase of category {category!r} on or before {day.date()}")
    cycles = purchase_cycles(watched[[card, date]], by=card, date=date, min_purchases=min_purchases)
    late = overdue(cycles, as_of=day, tolerance=tolerance)
    columns = ["n_purchases", "last_purchase", "cycle_days", "days_since_last", "overdue_ratio"]
    late = late[columns]
    if active_days is not None:
        others = past[past[category_column] != category]
        last_other = others.groupby(card, sort=False)[date].max()
        late = late.assign(last_other=last_other.reindex(late.index).astype(_NS).to_numpy())
        recent = late["last_other"] > day - pd.Timedelta(days=active_days)
        late = late[recent.to_numpy()]
    return late


@dataclass(frozen=True)
class AlertQuality:
    """Result of :func:`alert_quality`.

    Attributes
    ----------
    alerts, true_alarms, false_alarms, missed : int
        Cards alerted; alerted cards whose silence is caused by the event; alerted cards without
        it; cards going through the event on ``as_of`` that were not alerted.
    precision : float
        ``true_alarms / alerts`` (NaN without alerts).
    table : pandas.DataFrame
        One row per alerted card (index), column ``cause``: the event going on at ``as_of``
        (from the truth) or ``"none"``.
    """

    alerts: int
    true_alarms: int
    false_alarms: int
    missed: int
    precision: float
    table: pd.DataFrame


def _ongoing(truth: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    frame = check_frame("truth", truth, ["card_id", "event", "start"], no_missing=True)
    if "end" not in frame.columns:
        raise ValueError("truth must have the column 'end' (NaT for an event without end)")
    start = check_date_column("truth", frame, "start")
    end = pd.to_datetime(frame["end"]).astype(_NS)
    on = (start <= day) & (end.isna() | (end > day))
    return frame.loc[on.to_numpy(), ["card_id", "event"]].astype({"card_id": str, "event": str})


def alert_quality(alerts, truth, as_of, event: str = "pregnancy") -> AlertQuality:
    r"""Score a list of alerts against what really happened.

    An alert is *true* when the alerted household is going through ``event`` on ``as_of``
    (``start <= as_of`` and ``end`` missing or after ``as_of``), *false* otherwise (another
    event, or nothing at all).  Households going through the event that were not alerted are
    *missed*.  Precision is :math:`\text{true} / \text{alerts}`.

    Parameters
    ----------
    alerts : pandas.DataFrame or sequence of str
        The alerted cards: the output of :func:`silence_alerts` (its index) or a list of ids.
    truth : pandas.DataFrame
        Columns ``card_id``, ``event``, ``start`` and ``end`` (as :func:`load_miao_truth`).
    as_of : str, datetime.date or pandas.Timestamp
        The day the alerts were made.
    event : str, default "pregnancy"
        The event the rule is meant to find.

    Returns
    -------
    AlertQuality
        Counts, precision and the cause of each alert.

    Raises
    ------
    ValueError, TypeError
        For missing columns or inputs of the wrong kind.

    References
    ----------
    .. [1] T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27(8),
       861-874, 2006.

    Examples
    --------
    >>> truth = pd.DataFrame({"card_id": ["A", "B", "C"], "event": ["pregnancy", "away", "pregnancy"],
    ...                       "start": pd.to_datetime(["2000-05-01", "2000-05-01", "2000-08-20"]),
    ...                       "end": pd.to_datetime(["2001-06-01", "2000-07-01", "2001-09-01"])})
    >>> q = alert_quality(["A", "B", "D"], truth, "2000-09-01")
    >>> q.alerts, q.true_alarms, q.false_alarms, q.missed, round(q.precision, 3)
    (3, 1, 2, 1, 0.333)
    >>> q.table["cause"].tolist()
    ['pregnancy', 'none', 'none']
    """
    day = check_date("as_of", as_of, example="2001-03-01")
    if isinstance(alerts, pd.DataFrame):
        ids = [str(i) for i in alerts.index]
    elif isinstance(alerts, (list, tuple, pd.Index, pd.Series, np.ndarray)):
        ids = [str(i) for i in alerts]
    else:
        raise TypeError(
            f"alerts must be a DataFrame (from silence_alerts) or a sequence of card ids, got {type(alerts).__name__}"
        )
    if not isinstance(event, str):
        raise TypeError(f"event must be a str, got {event!r}")
    ongoing = _ongoing(truth, day)
    cause_of = dict(zip(ongoing["card_id"], ongoing["event"], strict=True))
    cause = [cause_of.get(i, "none") for i in ids]
    table = pd.DataFrame({"cause": pd.array(cause, dtype=_STR)}, index=pd.Index(ids, name="card_id", dtype=_STR))
    true = sum(c == event for c in cause)
    target = set(ongoing.loc[ongoing["event"] == event, "card_id"])
    missed = len(target - set(ids))
    precision = true / len(ids) if ids else float("nan")
    return AlertQuality(alerts=len(ids), true_alarms=int(true), false_alarms=len(ids) - int(true), missed=missed,
                        precision=float(precision), table=table)


#: Fixed vertical jitter of the still-shopping strip (the same cards keep their places between redraws).
_JITTER = np.random.default_rng(7).uniform(-0.4, 0.4, 500)


def alarm_explorer(purchases, truth, as_of, tolerance: float = 3.0, active_days: int = 0):
    """Sliders for the store's rule: tolerance and the still-shopping check, scored against the truth.

    The cycles are computed once (:func:`coursekit.models.purchases.purchase_cycles` on the sanitary
    purchases up to ``as_of``); each slider move re-applies
    :func:`coursekit.models.purchases.overdue` and the still-shopping filter of
    :func:`silence_alerts` and scores the alerts with :func:`alert_quality`.

    Parameters
    ----------
    purchases, truth : pandas.DataFrame
        As :func:`load_miao_purchases` and :func:`load_miao_truth`.
    as_of : str, datetime.date or pandas.Timestamp
        The day the rule runs.
    tolerance : float, default 3.0
        Initial tolerance (cycles of silence), between 1.5 and 12.
    active_days : int, default 0
        Initial still-shopping window in days (0 = no check), between 0 and 240.

    Returns
    -------
    coursekit.widgets.Explorer
        The explorer; ``results`` holds ``alerts``, ``true_alarms``, ``false_alarms`` and
        ``precision``.

    Examples
    --------
    >>> ex = alarm_explorer(load_miao_purchases(), load_miao_truth(), "2001-03-01")
    >>> ex.set(tolerance=4.0, active_days=30)
    >>> ex.results["alerts"] == len(silence_alerts(load_miao_purchases(), "2001-03-01", tolerance=4.0,
    ...                                            active_days=30))
    True
    """
    frame = _check_purchases(purchases, "card_id", "date", "category")
    day = check_date("as_of", as_of, example="2001-03-01")
    past = frame[frame["date"] <= day]
    sanitary = past[past["category"] == "sanitary"]
    cycles = purchase_cycles(sanitary[["card_id", "date"]], by="card_id", date="date", min_purchases=4)
    last_other = past[past["category"] != "sanitary"].groupby("card_id")["date"].max()
    causes = ["pregnancy", *[e for e in MIAO_EVENTS if e != "pregnancy"], "none"]
    x = np.arange(len(causes))
    # Days since each card's last purchase of anything else: the still-shopping check cuts this axis.
    quiet_days = (day - last_other).dt.days
    longest = max(float(quiet_days.max()) if len(quiet_days) else 0.0, 120.0)

    def draw(ax, artists, tolerance, active_days):
        silent = overdue(cycles, as_of=day, tolerance=tolerance)
        late = silent
        if active_days > 0:
            recent = last_other.reindex(late.index) > day - pd.Timedelta(days=int(active_days))
            late = late[recent.fillna(False).to_numpy(dtype=bool)]
        q = alert_quality(late, truth, day)
        counts = q.table["cause"].value_counts().reindex(causes, fill_value=0).to_numpy()
        # The cards the silence rule finds (before the check), placed by how long they have bought nothing else.
        quiet = quiet_days.reindex(silent.index).to_numpy(dtype=float)  # NaN: never bought anything else
        kept = quiet < active_days if active_days > 0 else np.ones(quiet.size, dtype=bool)
        gaps = np.nan_to_num(quiet, nan=longest)
        strip = np.column_stack([gaps, _JITTER[: gaps.size] if gaps.size <= _JITTER.size else
                                 np.resize(_JITTER, gaps.size)])
        if not artists:
            colours = [plotting.PALETTE[2]] + [plotting.PALETTE[1]] * (len(causes) - 1)
            ax.set_position([0.09, 0.2, 0.5, 0.7])
            artists["bars"] = ax.bar(x, counts, color=colours)
            names = {"pregnancy": tr("pregnancy"), "away": tr("away"), "elsewhere": tr("elsewhere"),
                     "moved": tr("moved"), "stopped": tr("stopped"), "none": tr("none")}
            ax.set_xticks(x, [names.get(c, c) for c in causes], rotation=30, ha="right")
            plotting.label(ax, tr("Who the rule alerts, by what really happened"), tr("Cause of the silence"),
                           tr("Alerted cards"))
            side = ax.figure.add_axes([0.68, 0.2, 0.29, 0.7])
            artists["dots"] = side.scatter(strip[:, 0], strip[:, 1], s=14)
            artists["cut"] = side.axvline(active_days, color=plotting.PALETTE[3], linestyle="--", linewidth=1)
            side.set_xlim(-5, longest * 1.05)
            side.set_ylim(-0.6, 0.6)
            side.set_yticks([])
            plotting.label(side, tr("Still shopping?"), tr("Days since any other purchase"), tr("Silent cards"))
            side.title.set_fontsize(10)
            artists["side"] = side
        else:
            for bar, h in zip(artists["bars"], counts, strict=True):
                bar.set_height(h)
            artists["dots"].set_offsets(strip)
            artists["cut"].set_xdata([active_days, active_days])
        artists["dots"].set_facecolor([plotting.PALETTE[2] if k else "0.75" for k in kept])
        artists["cut"].set_visible(active_days > 0)
        ax.set_ylim(0, max(5, counts.max() * 1.15))
        results = {"alerts": q.alerts, "true_alarms": q.true_alarms, "false_alarms": q.false_alarms,
                   "missed": q.missed, "precision": q.precision}
        precision = tr("n/a") if q.alerts == 0 else f"{q.precision:.0%}"
        check = tr("off") if active_days == 0 else tr("{days} days").format(days=int(active_days))
        html = (tr("<b>{alerts}</b> alerts: <b>{true}</b> pregnancies, <b>{false}</b> false alarms (precision "
                   "{precision}); {missed} pregnancies going on were not alerted.").format(
                    alerts=q.alerts, true=q.true_alarms, false=q.false_alarms, precision=precision, missed=q.missed)
                + "<br>" + tr("Still-shopping check: {check}; {dropped} of the {silent} silent cards dropped "
                              "(grey dots, right).").format(check=check, dropped=int((~kept).sum()), silent=gaps.size))
        return results, html

    controls = {
        "tolerance": float_slider(tr("Silence (cycles)"), float(tolerance), 1.5, 12.0, 0.5, ".1f"),
        "active_days": int_slider(tr("Still shopping (days, 0=off)"), int(active_days), 0, 240, 5),
    }
    return Explorer(controls, draw)


def list_explorer(purchases, as_of, tolerance: float = 3.0, active_days: int = 30):
    """Sliders for the store's list as the store sees it on the day (case 3, part A): no truth.

    Left: every card with a sanitary cycle, by its current silence in cycles (days since the last
    sanitary purchase / cycle, :func:`coursekit.models.purchases.overdue`'s ratio); the cards beyond
    the tolerance are the rule's alerts (orange).  Right: the alerted cards by days since any other
    purchase; the still-shopping check drops those beyond ``active_days`` (grey).  Part B's
    :func:`alarm_explorer` adds what really happened to each card.

    Parameters
    ----------
    purchases : pandas.DataFrame
        As :func:`load_miao_purchases`.
    as_of : str, datetime.date or pandas.Timestamp
        The day the rule runs; only purchases up to it are used.
    tolerance : float, default 3.0
        Initial tolerance (cycles of silence), between 1.5 and 12.
    active_days : int, default 30
        Initial still-shopping window in days (0 = no check), between 0 and 240.

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``silent`` (cards past the tolerance) and ``alerts`` (after the check).

    Examples
    --------
    >>> shop = load_miao_purchases()
    >>> ex = list_explorer(shop, "2001-03-01")
    >>> ex.set(tolerance=4.0, active_days=30)
    >>> ex.results["alerts"] == len(silence_alerts(shop, "2001-03-01", tolerance=4.0, active_days=30))
    True
    """
    frame = _check_purchases(purchases, "card_id", "date", "category")
    day = check_date("as_of", as_of, example="2001-03-01")
    check_scalar("tolerance", tolerance, low=1.5, high=12.0)
    check_scalar("active_days", active_days, low=0, high=240)
    past = frame[frame["date"] <= day]
    sanitary = past[past["category"] == "sanitary"]
    cycles = purchase_cycles(sanitary[["card_id", "date"]], by="card_id", date="date", min_purchases=4)
    cycles = cycles[cycles["cycle_days"].notna()]
    ratio = ((day - cycles["last_purchase"]).dt.days / cycles["cycle_days"]).clip(upper=12.0)
    last_other = past[past["category"] != "sanitary"].groupby("card_id")["date"].max()
    quiet_days = (day - last_other).dt.days
    longest = max(float(quiet_days.max()) if len(quiet_days) else 0.0, 120.0)
    edges = np.arange(0.0, 12.5, 0.5)
    heights, _ = np.histogram(ratio.to_numpy(dtype=float), bins=edges)

    def draw(ax, artists, tolerance, active_days):
        flagged = ratio.index[ratio.to_numpy() > tolerance]
        quiet = quiet_days.reindex(flagged).to_numpy(dtype=float)  # NaN: never bought anything else
        kept = quiet < active_days if active_days > 0 else np.ones(quiet.size, dtype=bool)
        gaps = np.nan_to_num(quiet, nan=longest)
        strip = np.column_stack([gaps, np.resize(_JITTER, gaps.size)])
        colours = [plotting.PALETTE[1] if left >= tolerance else plotting.PALETTE[0] for left in edges[:-1]]
        if not artists:
            ax.set_position([0.09, 0.2, 0.5, 0.7])
            artists["bars"] = ax.bar(edges[:-1], heights, width=0.45, align="edge", color=colours)
            artists["line"] = ax.axvline(tolerance, color=plotting.PALETTE[3], linestyle="--", linewidth=1)
            ax.set_yscale("symlog", linthresh=5)
            plotting.label(ax, tr("Cards by their current silence"),
                           tr("Days of silence / own cycle (12 = 12 or more)"), tr("Cards"))
            side = ax.figure.add_axes([0.68, 0.2, 0.29, 0.7])
            artists["dots"] = side.scatter(strip[:, 0], strip[:, 1], s=14)
            artists["cut"] = side.axvline(active_days, color=plotting.PALETTE[3], linestyle="--", linewidth=1)
            side.set_xlim(-5, longest * 1.05)
            side.set_ylim(-0.6, 0.6)
            side.set_yticks([])
            plotting.label(side, tr("Still shopping?"), tr("Days since any other purchase"), tr("Alerted cards"))
            side.title.set_fontsize(10)
        else:
            for bar, colour in zip(artists["bars"], colours, strict=True):
                bar.set_color(colour)
            artists["line"].set_xdata([tolerance, tolerance])
            artists["dots"].set_offsets(strip if gaps.size else np.empty((0, 2)))
            artists["cut"].set_xdata([active_days, active_days])
        artists["dots"].set_facecolor([plotting.PALETTE[1] if k else "0.75" for k in kept])
        artists["cut"].set_visible(active_days > 0)
        results = {"silent": int(flagged.size), "alerts": int(kept.sum())}
        check = tr("off") if active_days == 0 else tr("{days} days").format(days=int(active_days))
        html = (tr("Silent for more than {cycles} of their own cycles: <b>{cards}</b> cards.").format(
                    cycles=f"{tolerance:.1f}", cards=flagged.size)
                + "<br>" + tr("Still-shopping check: {check}; the list has <b>{households}</b> households. What is "
                              "behind each silence, the store cannot see.").format(check=check,
                                                                                  households=int(kept.sum())))
        return results, html

    controls = {
        "tolerance": float_slider(tr("Silence (cycles)"), float(tolerance), 1.5, 12.0, 0.5, ".1f"),
        "active_days": int_slider(tr("Still shopping (days, 0=off)"), int(active_days), 0, 240, 5),
    }
    return Explorer(controls, draw)


#: Writers of this module's dataset: name -> writer(directory) returning the paths written.
DATASETS = {"miao": write_miao}


def _alarm_explorer_for_bench():
    """The explorer as the notebook builds it (loaded data, rule run on 1 March 2001)."""
    return alarm_explorer(load_miao_purchases(), load_miao_truth(), pd.Timestamp("2001-03-01"),
                          tolerance=3.0, active_days=30)


#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 3 alarm explorer": (_alarm_explorer_for_bench,
                              [{"tolerance": 1.5 + 0.25 * i, "active_days": 10 * (i % 6)} for i in range(15)]),
    "case 3 list explorer (part A)": (lambda: list_explorer(load_miao_purchases(), pd.Timestamp("2001-03-01")),
                                      [{"tolerance": 1.5 + 0.25 * i, "active_days": 10 * (i % 6)} for i in range(15)]),
}
