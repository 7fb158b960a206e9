r"""Case 4 -- *Ken Robb's secret: Dick's Supermarkets* (reading R3).

Serves the case notebook ``cases/04_ken_robbs_secret.ipynb``.  It holds:

* the Dick's dataset: a year of loyalty-card baskets of eight rural stores --
  :func:`make_dicks` (the documented generative model), :func:`write_dicks` (files
  ``dicks/customers.csv``, ``dicks/baskets.csv``, ``dicks/items.csv``, ``dicks/truth.csv``,
  declared as :class:`coursekit.tables.Table` specs) and the loaders
  :func:`load_dicks_customers`, :func:`load_dicks_baskets`, :func:`load_dicks_items`,
  :func:`load_dicks_truth`;
* the calculators: :func:`nine_types` (analgesic buyers by brand loyalty and usage),
  :func:`weekly_spend`, :func:`personalised_list` (who qualifies and which offers are due in the
  next fortnight), :func:`conversion_offers` (depth of the first store-brand offer) and
  :func:`coupon_economics` (what the coupons cost the store and the manufacturers);
* the explorer :func:`coupon_explorer`, with its ``BENCH`` slider moves for ``make bench``.

``DATASETS`` maps the dataset's name to its writer.  Loaders read from the course's datasets
folder by default (:func:`coursekit.tables.data_dir`).

References
----------
.. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your customers: who are
   they and what will they do next?", Management Science 33(1), 1-24, 1987.
.. [2] B. J. Pine II, D. Peppers and M. Rogers, "Do You Want to Keep Your Customers
   Forever?", Harvard Business Review 73(2), 103-114, 1995.
.. [3] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
   2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit import plotting
from coursekit._validate import (
    as_output,
    check_choice,
    check_date,
    check_date_column,
    check_fraction,
    check_frame,
    check_number,
    check_positive_int,
    check_scalar,
    check_seed,
)
from coursekit.data.sampling import day_dates, renewals, streams
from coursekit.language import tr
from coursekit.models.programmes import breakeven_lift
from coursekit.tables import Column, Table, write_tables
from coursekit.widgets import Explorer, float_slider

__all__ = [
    "DICKS_SEED",
    "DICKS_START",
    "DICKS_STORES",
    "DICKS_CATEGORIES",
    "LOYALTY_GROUPS",
    "USAGE_LEVELS",
    "NINE_TYPES",
    "CUSTOMERS_TABLE",
    "BASKETS_TABLE",
    "ITEMS_TABLE",
    "TRUTH_TABLE",
    "DicksData",
    "make_dicks",
    "write_dicks",
    "load_dicks_customers",
    "load_dicks_baskets",
    "load_dicks_items",
    "load_dicks_truth",
    "nine_types",
    "weekly_spend",
    "personalised_list",
    "conversion_offers",
    "DEFAULT_DEPTH",
    "CouponCost",
    "coupon_economics",
    "coupon_explorer",
    "DATASETS",
    "BENCH",
]

_NS = "datetime64[ns]"
_STR = "str"
_DAY = pd.Timedelta(days=1)

DICKS_SEED = 20240813
DICKS_START = "1999-01-03"
_DICKS_DAYS = 364
#: The eight stores (fictitious labels; the reading names no towns).
DICKS_STORES = tuple(f"store_{i}" for i in range(1, 9))
_STORE_SHARES = np.array([0.20, 0.16, 0.14, 0.12, 0.11, 0.10, 0.09, 0.08])
#: Categories whose purchases are tracked item by item.
DICKS_CATEGORIES = ("analgesics", "pet_food", "baby", "vegetables")
#: Brand loyalty groups of analgesic buyers and their usage levels (reading R3).
LOYALTY_GROUPS = ("national", "switcher", "store")
USAGE_LEVELS = ("light", "medium", "heavy")
NINE_TYPES = tuple(f"{b}/{u}" for b in LOYALTY_GROUPS for u in USAGE_LEVELS)
_BUYER_SHARE = {"analgesics": 0.50, "pet_food": 0.35, "baby": 0.12, "vegetables": 0.60}
_CYCLE_RANGE = {"pet_food": (10.0, 24.0), "baby": (6.0, 12.0), "vegetables": (6.0, 11.0)}
_USAGE_SHARES = {"light": 0.35, "medium": 0.40, "heavy": 0.25}
_USAGE_CYCLE = {"light": (85.0, 150.0), "medium": (38.0, 65.0), "heavy": (18.0, 32.0)}
_LOYALTY_SHARES = {"national": 0.45, "switcher": 0.30, "store": 0.25}
_P_NATIONAL = {"national": (0.96, 0.96), "switcher": (0.30, 0.70), "store": (0.04, 0.04)}
_ANALGESIC_PRICE = {"national": 5.49, "store": 3.29}
_ITEM_MEAN = {"pet_food": 11.0, "baby": 14.0, "vegetables": 6.0}
_GAP_SHAPE = 6.0
_MAX_WAIT_DAYS = 10

#: The files of the dataset, in the datasets folder.
CUSTOMERS_TABLE = Table("dicks/customers.csv", [
    Column("card_id"),
    Column("home_store", "category", categories=DICKS_STORES),
])
BASKETS_TABLE = Table("dicks/baskets.csv", [
    Column("card_id"),
    Column("store", "category", categories=DICKS_STORES),
    Column("date", "date"),
    Column("spend", "float", decimals=2, low=0),
])
ITEMS_TABLE = Table("dicks/items.csv", [
    Column("card_id"),
    Column("date", "date"),
    Column("category", "category", categories=DICKS_CATEGORIES),
    Column("brand", blank=True),
    Column("units", "int", low=1),
    Column("amount", "float", decimals=2, low=0),
])
TRUTH_TABLE = Table("dicks/truth.csv", [
    Column("card_id"),
    Column("trips_per_week", "float", decimals=3, low=0),
    Column("weekly_spend", "float", decimals=2, low=0),
    Column("analgesic_loyalty", blank=True),
    Column("p_national", "float", decimals=3, optional=True, low=0, high=1),
    Column("analgesic_usage", blank=True),
    *(Column(f"{c}_cycle", "float", decimals=1, optional=True, low=0) for c in DICKS_CATEGORIES),
])



class DicksData(NamedTuple):
    """Frames of the Dick's Supermarkets dataset (see :func:`make_dicks`)."""

    customers: pd.DataFrame
    baskets: pd.DataFrame
    items: pd.DataFrame
    truth: pd.DataFrame


def make_dicks(n_customers: int = 1000, seed: int = DICKS_SEED) -> DicksData:
    r"""Simulate a year of loyalty-card baskets at eight rural supermarkets (1999).

    Generative model (52 weeks from Sunday 3 January 1999; a sample of cardholders).

    1. **Customers.**  Home store drawn with shares 0.20, 0.16, 0.14, 0.12, 0.11, 0.10, 0.09,
       0.08 (stores 1-8).  Trips per week :math:`\lambda \sim` Gamma(shape 3, mean 1.1), clipped
       to [0.25, 3.5]; intended weekly spend :math:`W \sim` LogNormal(ln 30, 0.55) US$.
    2. **Baskets.**  :math:`\text{Poisson}(52 \lambda)` trip days, uniform over the year (one
       basket per customer and day); 88 % at the home store, the rest at another store drawn
       uniformly.  Each basket's grocery spend is Gamma(shape 2.5, mean :math:`W/\lambda`);
       the tracked items bought on that trip are added to it.
    3. **Tracked categories.**  A customer buys analgesics with probability 0.50, pet food
       0.35, baby products 0.12, vegetables 0.60.  Each category has the customer's own cycle
       :math:`\mu` (days): pet food uniform in [10, 24], baby [6, 12], vegetables [6, 11];
       analgesics by usage level -- light (share 0.35) [85, 150], medium (0.40) [38, 65],
       heavy (0.25) [18, 32].  Needs arise with Gamma(shape 6, mean :math:`\mu`) gaps, the first
       uniformly in :math:`[0, \mu)`; a need is bought on the customer's first trip on or
       within 10 days after it, otherwise elsewhere (not recorded).
    4. **Analgesic brand.**  Loyalty group national (share 0.45), switcher (0.30) or store
       (0.25); the probability of buying the national brand (e.g. Tylenol) on a purchase is
       0.96, uniform in [0.3, 0.7], or 0.04.  Units 1 (2 with probability 0.12) at US$5.49
       (national) or US$3.29 (store brand).  Other items: one unit, Gamma(shape 4) amounts with
       means 11 (pet food), 14 (baby) and 6 (vegetables) US$.

    Five independent random streams are spawned from ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    n_customers : int, default 1000
        Cardholders in the sample (>= 1).
    seed : int, default DICKS_SEED
        Seed (>= 0).

    Returns
    -------
    DicksData
        ``customers`` (``card_id``, ``home_store``), ``baskets`` (``card_id``, ``store``,
        ``date``, ``spend``), ``items`` (``card_id``, ``date``, ``category``, ``brand`` --
        ``national``/``store`` for analgesics, empty otherwise --, ``units``, ``amount``) and
        ``truth`` (one row per customer: trips per week, intended weekly spend, analgesic
        loyalty group, probability of the national brand, usage level and the cycle of each
        category, NaN where the customer does not buy it).

    Raises
    ------
    ValueError, TypeError
        For arguments out of range or of the wrong kind.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your customers: who are
       they and what will they do next?", Management Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> d = make_dicks(n_customers=40, seed=1)
    >>> sorted(d.items["category"].unique())
    ['analgesics', 'baby', 'pet_food', 'vegetables']
    >>> bool((d.baskets.groupby(["card_id", "date"]).size() == 1).all())
    True
    """
    n = check_positive_int("n_customers", n_customers)
    seed = check_seed(seed)
    r_cust, r_trip, r_item, r_brand, r_amount = streams(seed, 5)
    days = _DICKS_DAYS
    home = r_cust.choice(len(DICKS_STORES), size=n, p=_STORE_SHARES)
    lam = np.clip(r_cust.gamma(3.0, 1.1 / 3.0, n), 0.25, 3.5)
    weekly = np.exp(np.log(30.0) + 0.55 * r_cust.standard_normal(n))
    member = {c: r_cust.random(n) < _BUYER_SHARE[c] for c in DICKS_CATEGORIES}
    usage_code = r_cust.choice(3, size=n, p=[_USAGE_SHARES[u] for u in USAGE_LEVELS])
    loyalty_code = r_cust.choice(3, size=n, p=[_LOYALTY_SHARES[g] for g in LOYALTY_GROUPS])
    lo = np.array([_P_NATIONAL[g][0] for g in LOYALTY_GROUPS])[loyalty_code]
    hi = np.array([_P_NATIONAL[g][1] for g in LOYALTY_GROUPS])[loyalty_code]
    p_national = np.round(lo + (hi - lo) * r_cust.random(n), 3)
    cycles = {}
    u = r_cust.random((n, len(DICKS_CATEGORIES)))
    for j, c in enumerate(DICKS_CATEGORIES):
        if c == "analgesics":
            a = np.array([_USAGE_CYCLE[x][0] for x in USAGE_LEVELS])[usage_code]
            b = np.array([_USAGE_CYCLE[x][1] for x in USAGE_LEVELS])[usage_code]
        else:
            a, b = _CYCLE_RANGE[c]
        cycles[c] = np.where(member[c], np.round(a + (b - a) * u[:, j], 1), np.nan)

    # --- baskets ------------------------------------------------------------------------------
    n_trips = r_trip.poisson(52.0 * lam)
    owner = np.repeat(np.arange(n), n_trips)
    key = np.unique(owner * days + r_trip.integers(0, days, owner.size))
    t_cust, t_day = key // days, key % days
    away = r_trip.random(key.size) >= 0.88
    other = (home[t_cust] + 1 + r_trip.integers(0, len(DICKS_STORES) - 1, key.size)) % len(DICKS_STORES)
    t_store = np.where(away, other, home[t_cust])
    mean_basket = (weekly / lam)[t_cust]
    spend = r_trip.gamma(2.5, 1.0, key.size) * mean_basket / 2.5

    # --- tracked items: needs, bought on the next trip within 10 days ------------------------
    item_cust, item_cat, item_trip = [], [], []
    for j, c in enumerate(DICKS_CATEGORIES):
        who = np.flatnonzero(member[c])
        mu = cycles[c][who]
        rows, times = renewals(np.zeros(who.size), np.full(who.size, float(days)),
                               lambda k, m, mu=mu: r_item.gamma(_GAP_SHAPE, 1.0, (k, m)) * (mu / _GAP_SHAPE)[:, None],
                               r_item.random(who.size) * mu)
        cust = who[rows]
        need = np.ceil(times).astype(np.int64)
        pos = np.searchsorted(key, cust * days + need)
        ok = pos < key.size
        pos = np.where(ok, pos, 0)
        ok &= (t_cust[pos] == cust) & (t_day[pos] - need <= _MAX_WAIT_DAYS)
        trip = np.unique(pos[ok])  # two needs met on one trip: one purchase
        item_cust.append(t_cust[trip])
        item_cat.append(np.full(trip.size, j))
        item_trip.append(trip)
    i_cust = np.concatenate(item_cust)
    i_cat = np.concatenate(item_cat)
    i_trip = np.concatenate(item_trip)
    is_analgesic = i_cat == 0
    national = r_brand.random(i_cust.size) < p_national[i_cust]
    units = np.where(is_analgesic & (r_brand.random(i_cust.size) < 0.12), 2, 1)
    item_mean = np.array([0.0] + [_ITEM_MEAN[c] for c in DICKS_CATEGORIES[1:]])[i_cat]
    price = np.where(national, _ANALGESIC_PRICE["national"], _ANALGESIC_PRICE["store"])
    amount = np.where(is_analgesic, units * price, np.round(r_amount.gamma(4.0, 1.0, i_cust.size) * item_mean / 4.0, 2))
    brand = np.where(is_analgesic, np.where(national, "national", "store"), "")
    spend = np.round(spend, 2)
    np.add.at(spend, i_trip, amount)

    ids = np.array([f"D{i:04d}" for i in range(1, n + 1)], dtype=object)
    stores = np.array(DICKS_STORES, dtype=object)
    customers = pd.DataFrame({"card_id": pd.array(ids, dtype=_STR), "home_store": pd.array(stores[home], dtype=_STR)})
    baskets = pd.DataFrame(
        {
            "card_id": pd.array(ids[t_cust], dtype=_STR),
            "store": pd.array(stores[t_store], dtype=_STR),
            "date": day_dates(DICKS_START, t_day),
            "spend": np.round(spend, 2),
        }
    )
    order = np.lexsort((i_cat, i_cust, t_day[i_trip]))
    items = pd.DataFrame(
        {
            "card_id": pd.array(ids[i_cust[order]], dtype=_STR),
            "date": day_dates(DICKS_START, t_day[i_trip[order]]),
            "category": pd.array(np.array(DICKS_CATEGORIES, dtype=object)[i_cat[order]], dtype=_STR),
            "brand": pd.array(brand[order].astype(object), dtype=_STR),
            "units": units[order].astype("int64"),
            "amount": np.round(amount[order], 2),
        }
    )
    analgesic = member["analgesics"]
    truth = pd.DataFrame(
        {
            "card_id": pd.array(ids, dtype=_STR),
            "trips_per_week": np.round(lam, 3),
            "weekly_spend": np.round(weekly, 2),
            "analgesic_loyalty": pd.array(np.where(analgesic, np.array(LOYALTY_GROUPS)[loyalty_code], ""), dtype=_STR),
            "p_national": np.where(analgesic, p_national, np.nan),
            "analgesic_usage": pd.array(np.where(analgesic, np.array(USAGE_LEVELS)[usage_code], ""), dtype=_STR),
            **{f"{c}_cycle": cycles[c] for c in DICKS_CATEGORIES},
        }
    )
    return DicksData(customers=customers, baskets=baskets, items=items, truth=truth)



def write_dicks(directory, data: DicksData | None = None) -> list[Path]:
    """Write the Dick's Supermarkets dataset into ``directory/dicks/``.

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``dicks/`` is created in it.
    data : DicksData, optional
        What to write; by default :func:`make_dicks` with its default arguments.

    Returns
    -------
    list of pathlib.Path
        ``dicks/customers.csv``, ``dicks/baskets.csv``, ``dicks/items.csv`` and
        ``dicks/truth.csv``.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_dicks(tmp, make_dicks(n_customers=20, seed=2))
    ...     print([p.name for p in paths], paths[2].read_text().splitlines()[0])
    ['customers.csv', 'baskets.csv', 'items.csv', 'truth.csv'] card_id,date,category,brand,units,amount
    """
    return write_tables(directory, data, DicksData, make_dicks, (CUSTOMERS_TABLE, BASKETS_TABLE, ITEMS_TABLE, TRUTH_TABLE))


def load_dicks_customers(directory=None) -> pd.DataFrame:
    """Load the cardholders of the Dick's sample (``dicks/customers.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``card_id`` (str) and ``home_store`` (categorical, :data:`DICKS_STORES`).

    Examples
    --------
    >>> load_dicks_customers()["home_store"].value_counts().sort_index().to_dict()["store_1"]
    191
    """
    return CUSTOMERS_TABLE.read(directory)


def load_dicks_baskets(directory=None) -> pd.DataFrame:
    """Load the baskets (shopping trips) of the Dick's sample (``dicks/baskets.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per trip: ``card_id`` (str), ``store`` (categorical), ``date``
        (datetime64[ns]) and ``spend`` (float, US$, the whole basket).

    Examples
    --------
    >>> b = load_dicks_baskets()
    >>> str(b["date"].min().date()), str(b["date"].max().date())
    ('1999-01-03', '2000-01-01')
    """
    return BASKETS_TABLE.read(directory)


def load_dicks_items(directory=None) -> pd.DataFrame:
    """Load the tracked item purchases of the Dick's sample (``dicks/items.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per customer, day and tracked category, in date order: ``card_id`` (str),
        ``date`` (datetime64[ns]), ``category`` (categorical, :data:`DICKS_CATEGORIES`),
        ``brand`` (str: ``national`` or ``store`` for analgesics, empty otherwise), ``units``
        (int64) and ``amount`` (float, US$).

    Examples
    --------
    >>> items = load_dicks_items()
    >>> items.loc[items["category"] == "analgesics", "brand"].value_counts().to_dict()
    {'national': 1884, 'store': 986}
    """
    return ITEMS_TABLE.read(directory)


def load_dicks_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the Dick's sample (``dicks/truth.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``card_id`` (str), ``trips_per_week`` and ``weekly_spend`` (the
        model's intended values), ``analgesic_loyalty`` and ``analgesic_usage`` (str, empty for
        non-buyers), ``p_national`` and the cycles ``analgesics_cycle``, ``pet_food_cycle``,
        ``baby_cycle``, ``vegetables_cycle`` (float days, NaN for non-buyers).

    Examples
    --------
    >>> t = load_dicks_truth()
    >>> t["analgesic_loyalty"].value_counts().sort_index().to_dict()
    {'': 514, 'national': 234, 'store': 98, 'switcher': 154}
    """
    return TRUTH_TABLE.read(directory)


def nine_types(items, card: str = "card_id", category: str | None = "category", brand: str = "brand",
               units: str = "units", item: str = "analgesics", brand_cuts=(0.2, 0.8), usage_cuts=(4, 9),
               min_purchases: int = 2) -> pd.DataFrame:
    r"""Split the buyers of an item into Ken Robb's nine types: brand loyalty x usage.

    For each buyer with :math:`u_N` units of the national brand and :math:`u_S` of the store
    brand over the period, the national share is :math:`s = u_N / (u_N + u_S)`, and

    * loyalty: ``national`` if :math:`s \ge` ``brand_cuts[1]``, ``store`` if
      :math:`s \le` ``brand_cuts[0]``, ``switcher`` in between;
    * usage: ``light`` if :math:`u_N + u_S \le` ``usage_cuts[0]``, ``medium`` if
      :math:`\le` ``usage_cuts[1]``, ``heavy`` above.

    Usage is measured in units over the period of the data (a year for the Dick's sample):
    scale the cuts for a shorter window.

    Parameters
    ----------
    items : pandas.DataFrame
        One row per purchase line with the ``card``, ``brand`` (``"national"`` or ``"store"``),
        ``units`` (> 0) and, unless ``category`` is None, ``category`` columns.
    card, category, brand, units : str
        Column names (``category=None``: every row is the item).
    item : str, default "analgesics"
        The category to classify.
    brand_cuts : (float, float), default (0.2, 0.8)
        National-share cut points, ``0 <= low < high <= 1``.
    usage_cuts : (float, float), default (4, 9)
        Units cut points, ``0 <= low < high``.
    min_purchases : int, default 2
        Purchase lines needed for a buyer to be classified (>= 1).

    Returns
    -------
    pandas.DataFrame
        One row per classified buyer (index: the card column, sorted), with ``purchases``,
        ``units``, ``national_units``, ``store_units`` (int64), ``national_share`` (float),
        ``loyalty`` (categorical :data:`LOYALTY_GROUPS`), ``usage`` (ordered categorical
        :data:`USAGE_LEVELS`) and ``type`` (categorical :data:`NINE_TYPES`, e.g.
        ``"national/heavy"``).

    Raises
    ------
    ValueError, TypeError
        For missing columns, unknown brands, bad cut points or counts.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).
    .. [2] B. J. Pine II, D. Peppers and M. Rogers, "Do You Want to Keep Your Customers
       Forever?", Harvard Business Review 73(2), 103-114, 1995.

    Examples
    --------
    >>> lines = pd.DataFrame({"card_id": ["A"] * 12 + ["B"] * 3 + ["C"] * 6 + ["D"],
    ...                       "brand": ["national"] * 12 + ["store"] * 3 + ["national", "store"] * 3 + ["store"],
    ...                       "units": 1})
    >>> nine_types(lines, category=None)[["units", "national_share", "loyalty", "usage", "type"]]
             units  national_share   loyalty   usage            type
    card_id
    A           12             1.0  national   heavy  national/heavy
    B            3             0.0     store   light     store/light
    C            6             0.5  switcher  medium switcher/medium
    """
    for name, value in (("card", card), ("brand", brand), ("units", units), ("item", item)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {value!r}")
    if category is not None and not isinstance(category, str):
        raise TypeError(f"category must be a column name or None, got {category!r}")
    columns = [card, brand, units] + ([category] if category is not None else [])
    frame = check_frame("items", items, columns)
    if category is not None:
        frame = frame[frame[category].astype(str) == item]
    if frame.empty:
        raise ValueError(f"items holds no purchase of {item!r}")
    frame = check_frame("items", frame, [card, brand, units], no_missing=True)
    brands = frame[brand].astype(str)
    bad = sorted(set(brands.unique()) - {"national", "store"})
    if bad:
        raise ValueError(f"items[{brand!r}] must be 'national' or 'store' for {item}, got {bad}")
    qty = check_number(f"items[{units!r}]", frame[units].to_numpy(dtype=float), low=0.0, low_open=True)
    b = _pair("brand_cuts", brand_cuts, high=1.0)
    c = _pair("usage_cuts", usage_cuts)
    min_purchases = check_positive_int("min_purchases", min_purchases)
    work = pd.DataFrame({"card": frame[card].astype(str).to_numpy(), "units": np.atleast_1d(qty),
                         "national": np.where(brands.to_numpy() == "national", np.atleast_1d(qty), 0.0)})
    grouped = work.groupby("card", sort=True)
    out = pd.DataFrame({"purchases": grouped.size(), "units": grouped["units"].sum(),
                        "national_units": grouped["national"].sum()})
    out = out[out["purchases"] >= min_purchases]
    out["store_units"] = out["units"] - out["national_units"]
    for column in ("purchases", "units", "national_units", "store_units"):
        out[column] = out[column].round().astype("int64")
    out["national_share"] = out["national_units"] / out["units"]
    share = out["national_share"].to_numpy()
    loyalty = np.where(share >= b[1], "national", np.where(share <= b[0], "store", "switcher"))
    total = out["units"].to_numpy()
    usage = np.where(total <= c[0], "light", np.where(total <= c[1], "medium", "heavy"))
    out["loyalty"] = pd.Categorical(loyalty, categories=list(LOYALTY_GROUPS))
    out["usage"] = pd.Categorical(usage, categories=list(USAGE_LEVELS), ordered=True)
    out["type"] = pd.Categorical(np.char.add(np.char.add(loyalty.astype(str), "/"), usage.astype(str)),
                                 categories=list(NINE_TYPES))
    out.index = out.index.astype(_STR)
    out.index.name = card
    return out


def _pair(name: str, value, high: float | None = None) -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1 or len(value) != 2:
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}")
    low_cut = check_scalar(f"{name}[0]", value[0], low=0.0, high=high)
    high_cut = check_scalar(f"{name}[1]", value[1], low=0.0, high=high)
    if not low_cut < high_cut:
        raise ValueError(f"{name} must satisfy low < high, got {value!r}")
    return low_cut, high_cut


def weekly_spend(baskets, card: str = "card_id", date: str = "date", spend: str = "spend", weeks=None) -> pd.Series:
    r"""Average weekly spend of each customer.

    .. math:: \bar w_i = \frac{\sum_{\text{baskets of } i} \text{spend}}{W},

    with :math:`W` the number of weeks covered: by default the span of the whole table,
    :math:`(\max \text{date} - \min \text{date} + 1\,\text{day}) / 7`, the same for every
    customer (a customer who shopped only in December is not treated as a big spender).

    Parameters
    ----------
    baskets : pandas.DataFrame
        One row per basket with the ``card``, ``date`` and ``spend`` (>= 0) columns.
    card, date, spend : str
        Column names.
    weeks : float or None, default None
        Weeks covered (> 0); ``None`` for the span of the data.

    Returns
    -------
    pandas.Series
        Weekly spend (float, money per week) indexed by card (sorted), named ``weekly_spend``.

    Raises
    ------
    ValueError, TypeError
        For missing columns, negative spend or a bad ``weeks``.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (the US$25-a-week threshold).

    Examples
    --------
    >>> b = pd.DataFrame({"card_id": ["A", "A", "B"], "spend": [30.0, 40.0, 14.0],
    ...                   "date": pd.to_datetime(["1999-01-03", "1999-01-10", "1999-01-16"])})
    >>> weekly_spend(b)
    card_id
    A    35.0
    B     7.0
    Name: weekly_spend, dtype: float64
    """
    for name, value in (("card", card), ("date", date), ("spend", spend)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a column name (str), got {value!r}")
    frame = check_frame("baskets", baskets, [card, date, spend], no_missing=True)
    amounts = check_number(f"baskets[{spend!r}]", frame[spend].to_numpy(dtype=float), low=0.0)
    if weeks is None:
        dates = check_date_column("baskets", frame, date)
        weeks = ((dates.max() - dates.min()) / _DAY + 1.0) / 7.0
    weeks = check_scalar("weeks", weeks, low=0.0, low_open=True)
    totals = pd.Series(np.atleast_1d(amounts), index=frame[card].astype(str).to_numpy())
    totals = totals.groupby(level=0, sort=True).sum()
    out = totals / weeks
    out.index = out.index.astype(_STR)
    out.index.name = card
    out.name = "weekly_spend"
    return out


def personalised_list(cycles, spend, as_of, min_weekly_spend: float = 25.0, horizon_days: int = 14,
                      grace_days: int = 0, card: str = "card_id", category: str = "category") -> pd.DataFrame:
    r"""The offers due on each qualifying customer's next shopping list.

    A customer qualifies when her weekly spend is at least ``min_weekly_spend`` (US$25 at Dick's).
    An item is *due* on her list when its predicted next purchase
    (:func:`coursekit.models.purchases.purchase_cycles`, last purchase + cycle) falls in the list's
    window:

    .. math:: \text{as\_of} - g \le \hat t_{\text{next}} < \text{as\_of} + h,

    with :math:`h` = ``horizon_days`` (the list goes out every other week: 14) and :math:`g` =
    ``grace_days`` (how late a predicted purchase may be and still count).

    Parameters
    ----------
    cycles : pandas.DataFrame
        Output of ``purchase_cycles(items, by=(card, category), date=...)``: indexed by card
        and category (or with them as columns) with a ``predicted_next`` column.
    spend : pandas.Series
        Weekly spend indexed by card (:func:`weekly_spend`).
    as_of : str, datetime.date or pandas.Timestamp
        The first day the list covers.
    min_weekly_spend : float, default 25.0
        Qualifying weekly spend (>= 0).
    horizon_days : int, default 14
        Days the list covers (>= 1).
    grace_days : int, default 0
        Days before ``as_of`` a predicted purchase may fall and still be due (>= 0).
    card, category : str
        Names of the card and category levels/columns.

    Returns
    -------
    pandas.DataFrame
        One row per due offer, sorted by card then date: ``card_id``, ``category``,
        ``predicted_next`` (datetime64), ``days_until`` (int64, may be negative within the
        grace) and ``weekly_spend``.

    Raises
    ------
    ValueError, TypeError
        For missing levels/columns or arguments out of range.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).

    Examples
    --------
    >>> cyc = pd.DataFrame({"card_id": ["A", "A", "B"], "category": ["analgesics", "pet_food", "analgesics"],
    ...                     "predicted_next": pd.to_datetime(["2000-01-05", "2000-02-20", "2000-01-04"])})
    >>> spend = pd.Series({"A": 40.0, "B": 12.0})
    >>> personalised_list(cyc, spend, "2000-01-03")
      card_id    category predicted_next  days_until  weekly_spend
    0       A  analgesics     2000-01-05           2          40.0
    """
    if not isinstance(cycles, pd.DataFrame):
        raise TypeError(f"cycles must be a DataFrame (the output of purchase_cycles), got {type(cycles).__name__}")
    table = cycles.reset_index() if card not in cycles.columns else cycles.copy()
    table = check_frame("cycles", table.dropna(subset=[c for c in ("predicted_next",) if c in table.columns]),
                        [card, category, "predicted_next"], no_missing=True)
    if not isinstance(spend, pd.Series):
        raise TypeError(f"spend must be a pandas Series of weekly spend indexed by card, got {type(spend).__name__}")
    if spend.isna().any():
        raise ValueError("spend must not hold missing values")
    day = check_date("as_of", as_of, example="2000-01-03")
    threshold = check_scalar("min_weekly_spend", min_weekly_spend, low=0.0)
    horizon = check_positive_int("horizon_days", horizon_days)
    grace = check_positive_int("grace_days", grace_days, allow_zero=True)
    spend = spend.copy()
    spend.index = spend.index.astype(str)
    qualified = spend[spend >= threshold]
    nxt = check_date_column("cycles", table, "predicted_next")
    days_until = ((nxt - day) / _DAY).astype("int64")
    due = (days_until >= -grace) & (days_until < horizon) & table[card].astype(str).isin(qualified.index).to_numpy()
    out = pd.DataFrame(
        {
            "card_id": pd.array(table.loc[due.to_numpy(), card].astype(str), dtype=_STR),
            "category": pd.array(table.loc[due.to_numpy(), category].astype(str), dtype=_STR),
            "predicted_next": nxt[due.to_numpy()].to_numpy(),
            "days_until": days_until[due.to_numpy()].to_numpy(),
        }
    )
    out["weekly_spend"] = qualified.reindex(out["card_id"]).to_numpy(dtype=float)
    out = out.sort_values(["card_id", "predicted_next", "category"], kind="stable").reset_index(drop=True)
    return out


#: Default depth of the first store-brand offer by usage level (share off the store-brand price).
DEFAULT_DEPTH = {"light": 0.10, "medium": 0.20, "heavy": 0.35}


def conversion_offers(types, depth=None, targets=("national", "switcher")) -> pd.DataFrame:
    r"""Depth of the first store-brand offer for each buyer the conversion campaign targets.

    Reading R3: to turn national-brand buyers into store-brand buyers, the heaviest users --
    the most valuable -- get the deepest first offer.  Buyers in the ``targets`` loyalty groups
    get the discount of their usage level; store-brand loyalists are not targeted.

    Parameters
    ----------
    types : pandas.DataFrame
        Output of :func:`nine_types` (columns ``loyalty`` and ``usage``).
    depth : dict, optional
        Discount (fraction of the price, in [0, 1)) for ``light``, ``medium`` and ``heavy``;
        default :data:`DEFAULT_DEPTH` (10 %, 20 %, 35 %).
    targets : sequence of str, default ("national", "switcher")
        Loyalty groups targeted.

    Returns
    -------
    pandas.DataFrame
        The targeted rows of ``types`` with a ``discount`` column, deepest first (ties by index).

    Raises
    ------
    ValueError, TypeError
        For missing columns, unknown groups or levels, or discounts out of range.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).

    Examples
    --------
    >>> types = pd.DataFrame({"loyalty": ["national", "store", "switcher"], "usage": ["heavy", "heavy", "light"]},
    ...                      index=pd.Index(["A", "B", "C"], name="card_id"))
    >>> conversion_offers(types)
              loyalty  usage  discount
    card_id
    A        national  heavy      0.35
    C        switcher  light      0.10
    """
    frame = check_frame("types", types, ["loyalty", "usage"], no_missing=True)
    depth = dict(DEFAULT_DEPTH if depth is None else depth)
    if set(depth) != set(USAGE_LEVELS):
        raise ValueError(f"depth must give a discount for each of {list(USAGE_LEVELS)}, got {sorted(depth)}")
    for level, value in depth.items():
        depth[level] = check_fraction(f"depth[{level!r}]", value)
    if isinstance(targets, str):
        targets = [targets]
    for group in targets:
        check_choice("targets", group, LOYALTY_GROUPS)
    picked = frame[frame["loyalty"].astype(str).isin(list(targets)).to_numpy()].copy()
    picked["discount"] = picked["usage"].astype(str).map(depth).astype(float)
    order = np.lexsort((np.arange(len(picked)), -picked["discount"].to_numpy()))
    return picked.iloc[order]


@dataclass(frozen=True)
class CouponCost:
    """Result of :func:`coupon_economics` (US$ per year; floats or arrays).

    Attributes
    ----------
    issued : face value of every coupon sent.
    redeemed : face value of the coupons used.
    manufacturer_cost : part of ``redeemed`` the manufacturers pay.
    store_coupon_cost : part of ``redeemed`` the store pays.
    store_list_cost : printing and mailing the lists.
    store_total : ``store_coupon_cost + store_list_cost``.
    store_per_customer : ``store_total / customers``.
    manufacturer_share_of_total : manufacturers' share of all programme costs.
    """

    issued: float | np.ndarray
    redeemed: float | np.ndarray
    manufacturer_cost: float | np.ndarray
    store_coupon_cost: float | np.ndarray
    store_list_cost: float | np.ndarray
    store_total: float | np.ndarray
    store_per_customer: float | np.ndarray
    manufacturer_share_of_total: float | np.ndarray


def coupon_economics(customers, face_value_per_list, redemption_rate, manufacturer_share, lists_per_year=26,
                     cost_per_list=0.0) -> CouponCost:
    r"""Who pays for a personalised-coupon programme: the store or the manufacturers.

    For :math:`N` customers receiving :math:`L` lists a year, each with coupons of face value
    :math:`F`, of which a share :math:`\rho` is redeemed, and manufacturers funding a share
    :math:`\phi` of every redeemed coupon:

    .. math:: \text{issued} = N L F, \quad \text{redeemed} = \rho \, \text{issued}, \quad
              \text{manufacturers} = \phi \, \text{redeemed}, \quad
              \text{store} = (1 - \phi) \, \text{redeemed} + N L k,

    where :math:`k` is the cost of printing and mailing one list.  The store's cost per customer
    and year is the "points cost" :math:`c` of :func:`coursekit.models.programmes.breakeven_lift`.

    Parameters
    ----------
    customers : float or array_like
        Customers receiving lists, > 0.
    face_value_per_list : float or array_like
        Face value of the coupons on one list, US$, >= 0.
    redemption_rate : float or array_like
        Share of the face value redeemed, in [0, 1].
    manufacturer_share : float or array_like
        Share of redeemed value the manufacturers fund, in [0, 1].
    lists_per_year : float or array_like, default 26
        Lists per customer per year (every other week: 26), >= 0.
    cost_per_list : float or array_like, default 0.0
        Printing and mailing cost of one list, US$, >= 0.

    Returns
    -------
    CouponCost
        Yearly amounts in US$.

    Raises
    ------
    ValueError, TypeError
        For values out of range or not numbers.

    References
    ----------
    .. [1] Course reading R3, case "Ken Robb's secret" (Dick's Supermarkets).
    .. [2] G. R. Dowling and M. Uncles, "Do customer loyalty programs really work?", Sloan
       Management Review 38(4), 71-82, 1997.

    Examples
    --------
    200 loyal customers, US$35 of coupons on each of 26 lists, 20 % redeemed, manufacturers
    fund 80 %, lists cost US$0.40 each:

    >>> c = coupon_economics(200, 35, 0.20, 0.80, cost_per_list=0.40)
    >>> c.issued, round(c.redeemed, 2), round(c.manufacturer_cost, 2), round(c.store_total, 2)
    (182000.0, 36400.0, 29120.0, 9360.0)
    >>> round(c.store_per_customer, 2)
    46.8
    """
    n = check_number("customers", customers, low=0.0, low_open=True)
    f = check_number("face_value_per_list", face_value_per_list, low=0.0)
    rho = check_fraction("redemption_rate", redemption_rate, allow_one=True)
    phi = check_fraction("manufacturer_share", manufacturer_share, allow_one=True)
    lists = check_number("lists_per_year", lists_per_year, low=0.0)
    k = check_number("cost_per_list", cost_per_list, low=0.0)
    issued = np.asarray(n) * lists * f
    redeemed = np.asarray(rho) * issued
    manufacturer = np.asarray(phi) * redeemed
    store_coupons = redeemed - manufacturer
    store_lists = np.asarray(n) * lists * k
    store_total = store_coupons + store_lists
    everything = manufacturer + store_total
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(everything > 0, manufacturer / np.where(everything > 0, everything, 1.0), 0.0)
    return CouponCost(
        issued=as_output(issued),
        redeemed=as_output(redeemed),
        manufacturer_cost=as_output(manufacturer),
        store_coupon_cost=as_output(store_coupons),
        store_list_cost=as_output(store_lists),
        store_total=as_output(store_total),
        store_per_customer=as_output(store_total / np.asarray(n)),
        manufacturer_share_of_total=as_output(share),
    )


def coupon_explorer(face_value_per_list: float = 35.0, redemption_rate: float = 0.2, manufacturer_share: float = 0.8,
                    weekly_spend: float = 60.0, margin_rate: float = 0.25, retention: float = 0.8,
                    discount_rate: float = 0.1, cost_per_list: float = 0.4):
    """Sliders for the coupon programme: who pays, and the retention lift the store needs.

    Each move recomputes :func:`coupon_economics` for one loyal customer and the break-even
    retention lift with :func:`coursekit.models.programmes.breakeven_lift` (annual margin
    ``weekly_spend * 52 * margin_rate``, annual ``retention`` and ``discount_rate`` fixed by the
    arguments).

    Parameters
    ----------
    face_value_per_list, redemption_rate, manufacturer_share, weekly_spend : float
        Initial slider values (US$, fraction, fraction, US$ a week).
    margin_rate, retention, discount_rate, cost_per_list : float
        Fixed inputs: the store's margin on the customer's spend, annual retention, annual
        discount rate, and the cost of one list (US$).

    Returns
    -------
    coursekit.widgets.Explorer
        ``results`` holds ``store_per_customer``, ``manufacturer_per_customer`` and
        ``breakeven_lift``.

    Examples
    --------
    >>> ex = coupon_explorer()
    >>> round(ex.results["store_per_customer"], 2), round(ex.results["breakeven_lift"], 4)
    (46.8, 0.0133)
    >>> ex.set(manufacturer_share=0.0)
    >>> round(ex.results["store_per_customer"], 2)
    192.4
    """
    margin_rate = check_scalar("margin_rate", margin_rate, low=0.0, high=1.0, low_open=True)
    retention = check_fraction("retention", retention)
    discount_rate = check_scalar("discount_rate", discount_rate, low=0.0)
    cost_per_list = check_scalar("cost_per_list", cost_per_list, low=0.0)
    labels = [tr("Store"), tr("Manufacturers")]

    def draw(ax, artists, face_value_per_list, redemption_rate, manufacturer_share, weekly_spend):
        cost = coupon_economics(1, face_value_per_list, redemption_rate, manufacturer_share,
                                cost_per_list=cost_per_list)
        margin = weekly_spend * 52 * margin_rate
        heights = [cost.store_per_customer, cost.manufacturer_cost]
        if not artists:
            artists["bars"] = ax.bar(labels, heights, color=[plotting.PALETTE[1], plotting.PALETTE[0]])
            plotting.money_axis(ax)
            plotting.label(ax, tr("Yearly cost of one loyal customer's coupons"), tr("Who pays"),
                           tr("USD per customer per year"))
            # What the store earns from the customer and the lift it needs, on the picture (weekly spend moves it).
            artists["need"] = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=9,
                                      bbox={"facecolor": "white", "edgecolor": "0.8", "boxstyle": "round"})
        else:
            for bar, h in zip(artists["bars"], heights, strict=True):
                bar.set_height(h)
        ax.set_ylim(0, max(50.0, max(heights) * 1.4))  # headroom for the box at the top
        if cost.store_per_customer < margin:
            lift = breakeven_lift(cost.store_per_customer, margin, retention, discount_rate)
            lift_text = tr("{points} points").format(points=f"{lift * 100:.2f}") if np.isfinite(lift) else \
                tr("out of reach")
            lift_short = lift_text
        else:
            lift = float("nan")
            lift_text = tr("out of reach (the coupons cost more than the margin)")
            lift_short = tr("out of reach")
        artists["need"].set_text(tr("Store's margin on her spend: USD {margin} a year").format(margin=f"{margin:,.0f}")
                                 + "\n" + tr("retention lift to break even: {lift}").format(lift=lift_short))
        results = {"store_per_customer": cost.store_per_customer, "manufacturer_per_customer": cost.manufacturer_cost,
                   "breakeven_lift": lift}
        html = (tr("Store pays <b>USD {store}</b>, manufacturers <b>USD {manufacturers}</b> per customer a year; "
                   "annual margin USD {margin}.").format(store=f"{cost.store_per_customer:,.2f}",
                                                         manufacturers=f"{cost.manufacturer_cost:,.2f}",
                                                         margin=f"{margin:,.0f}")
                + "<br>" + tr("Retention lift needed to break even: <b>{lift}</b> (from {retention}).").format(
                    lift=lift_text, retention=f"{retention:.0%}"))
        return results, html

    controls = {
        "face_value_per_list": float_slider(tr("Coupons per list (USD)"), float(face_value_per_list), 0.0, 60.0, 1.0, ".0f"),
        "redemption_rate": float_slider(tr("Redemption rate"), float(redemption_rate), 0.0, 1.0, 0.01),
        "manufacturer_share": float_slider(tr("Manufacturer share"), float(manufacturer_share), 0.0, 1.0, 0.05),
        "weekly_spend": float_slider(tr("Weekly spend (USD)"), float(weekly_spend), 25.0, 200.0, 5.0, ".0f"),
    }
    return Explorer(controls, draw)


#: Writers of this module's dataset: name -> writer(directory) returning the paths written.
DATASETS = {"dicks": write_dicks}

#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 4 coupon explorer": (coupon_explorer,
                               [{"redemption_rate": 0.1 + 0.02 * i, "manufacturer_share": 0.5 + 0.03 * i}
                                for i in range(15)]),
}
