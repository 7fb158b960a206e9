r"""Raw source files of the customer database (Chapter 2) and their ground truth.

Chapter 2 builds a unified customer database (统一客户数据库) from the files a
mid-sized firm really has: it sells household appliances through its own
stores and web shop and through distributors, and it also sells everyday
goods in its stores.  Each department keeps its own records of the same
people, typed by different hands, in different formats, with mistakes.  This
module simulates those files from a documented generative model with a fixed
seed, and keeps the truth that a real firm never has: which person every
source row belongs to, which rows carry which defect, each person's purchase
rhythm and churn date.

The files (``write_crm(directory)`` writes them into ``directory/crm/``)
-------------------------------------------------------------------------
``crm_export.csv``
    The sales CRM: one row per customer file opened by a salesperson
    (``crm_id``, ``name``, ``phone``, ``email``, ``birth_date``, ``city``,
    ``created``).  About 7 % of the people in it were entered twice.
``web_registrations.csv``
    Web-shop accounts (``account_id``, ``name``, ``email``, ``phone``,
    ``registered_at``, ``incentive``, ``marketing_consent``).  The firm
    rewards sign-up with a prize draw, points or a small gift, as the lesson
    plan of the readings recommends; many people register for the reward and
    never order.
``warranty_cards.csv``
    Warranty / service cards mailed back after buying an appliance
    (``card_id``, ``name``, ``phone``, ``city``, ``product``,
    ``serial_number``, ``purchase_date``), transcribed from handwriting:
    upper-case names with typos, hand-written date formats.
``service_tickets.csv``
    Records of the service department (``ticket_id``, ``contact``,
    ``opened_at``, ``category``, ``complaint``, ``summary``, ``resolved_at``).
    The only identifier is the phone number or e-mail the caller gave.  The
    categories are the six holes of the leaky bucket
    (:data:`coursekit.models.bucket.HOLES`).

The layout of these files -- names, columns, row ids, allowed values, the
defect reasons -- is defined in :mod:`coursekit.crm.schema`, which the cleaning
pipeline reads too.
``order_lines.csv``
    One row per order line (``order_id``, ``line_no``, ``channel``,
    ``identifier``, ``order_date``, ``category``, ``quantity``,
    ``unit_price``).  A store order carries the CRM id of the loyalty card
    shown at the till; a web order the account id, or the e-mail typed at a
    guest checkout.

The answers (``crm/answers/``, loaded by :mod:`coursekit.data.crm_answers`) are for
tests, teachers and hidden exercises; students never need them: ``identity.csv`` (source, source_row_id, person_id
for every row of the four contact files), ``people.csv`` (the true person
behind the records), ``defects.csv`` (every defect put in on purpose),
``orders.csv`` (order_id, person_id), ``cycles.csv`` (each person's purchase
rhythm per category), ``events.csv`` (pregnancies that pause and start
purchase rhythms) and ``factors.csv`` (the monthly demand factor of each
category).

The generative model
--------------------
The people and the way each source writes their fields (steps 1 and 8) are drawn by
:mod:`coursekit.data.crm_contacts`, which also makes the scalable benchmark records
(:func:`coursekit.data.crm_contacts.make_contacts`).

1. **People.**  ``n_people`` (2,000) people.  62 % have a Chinese name
   written in pinyin, 28 % a Chinese name written in characters (汉字) and
   10 % a Western name; Chinese surnames and given names are drawn with
   Zipf-like weights (weight proportional to 1 / rank), so common names such
   as Wang Wei recur among different people, as they do in China.  Everybody
   has a unique mobile number (11 digits), one e-mail address and a birth
   date between 1946 and 2004; 25 % also have a landline (area code of their
   city + 8 digits), 5 % used an older mobile number in older records, and
   5 % share the landline of a household member (same city).
2. **Presence in the sources.**  72 % of the people have a CRM file (7 % of
   them two), 12 % of those are leads who never bought in a store; 45 %
   have a web account (4 % two, the second under another e-mail), and 70 %
   of web account holders order online.  Every person buys appliances as a
   Poisson process, 0.55 purchases on average between 2020-01-01 and
   2023-12-20, and mails back the warranty card of 75 % of them.  Service
   tickets arrive as a Poisson process, 0.5 per person on average in
   2022-2023, and every person who churns files a complaint in the 5-40 days
   before churning with probability 0.5.  A person found in no source gets
   one warranty card.
3. **Purchase rhythms.**  A person who orders starts on 2022-01-01 (45 %,
   existing customers) or on a uniform day up to 90 days before the end,
   and buys some of six everyday categories (vegetables, household,
   personal_care, pet_food, baby_products, analgesics) with the
   probabilities of :data:`CATEGORY_PROBABILITY` (a person drawing none
   gets one category at random).  Two pairs are linked at the customer
   level: a buyer of baby products buys analgesics with probability 0.65
   (0.15 otherwise) and a pet owner buys household goods with probability
   0.85 (0.30 otherwise).  Each (person, category) has its
   own mean interval :math:`\mu`, uniform on the range of
   :data:`CYCLE_RANGE_DAYS` (9 to 40 days), and gaps
   :math:`\sim \mathrm{Gamma}(12, \mu / 12)` (coefficient of variation
   0.29); the first purchase falls uniformly in the first cycle.
4. **Churn.**  35 % of the people who order and start at least 180 days
   before the end stop buying for good on a uniform day between 90 days
   after their start and 45 days before the end.
5. **Baskets.**  Purchases of one person in the same channel, with the same
   identifier and in the same 5-day bin (offset per person) form one order,
   dated on the earliest purchase (two purchases of one category in a bin
   become one line); 15 % of orders also hold snacks or beverages.  A
   person who has both a store and a web channel buys in the store with a
   personal probability, uniform on [0.3, 0.9]; a store order carries the
   person's first CRM id (70 %) or the duplicate one, a web order the first
   account id, the second one (15 %) or a guest e-mail (20 %).  Appliance
   purchases made in the firm's own channels (60 % of those of people who
   order, within their active window) are order lines too.
6. **Quantities and prices.**  Quantity is :math:`1 + \mathrm{Poisson}(q_c
   F_{c,m})` with the category's base :math:`q_c` and a monthly factor
   :math:`F_{c,m}`.  Pet food and household goods share one factor, which
   rises over the two years and moves with a common AR(1) shock, so that
   "when A's sales rise, B's rise too"; every other category has its own
   small independent factor.  Unit prices are the category's base price
   times a log-normal factor (s.d. 0.12), to the cent.
7. **Pregnancies.**  1.5 % of the people who buy personal care products
   and start early enough stop buying them for about 280 days, and baby
   products appear in their orders from about 270 days on, as in the
   readings' case of the store that knew.
8. **Rendering.**  Every field is written the way its source would write
   it: names in mixed case, "Surname, Given" order or extra spaces, Chinese
   names in characters or pinyin; phones as ``13812345678``, ``+86
   138-1234-5678``, ``(0571) 8888 1234``...; e-mails with mixed case and
   stray spaces; birth dates as ``1985-03-02``, ``02/03/1985`` (day first),
   ``1985.3.2`` or ``1985年3月2日``.  What each source holds:

   ============  ======================================  =====  =====  =====
   source        phone (landline / older mobile if any)  email  birth  city
   ============  ======================================  =====  =====  =====
   CRM           95 % (15 % / 50 %)                      80 %   80 %   90 %
   web account   100 %, the mobile (verified by SMS)     100 %  --     --
   warranty      95 % (10 % / 30 %), 3 % one digit off   --     --     100 %
   ticket        70 % (10 % / 0 %), else the e-mail      30 %   --     --
   ============  ======================================  =====  =====  =====

   Chinese names written in characters appear in pinyin in 10 % (CRM),
   40 % (web) and 20 % (warranty cards) of records; warranty cards carry a
   handwriting typo in 20 % of the names in Latin letters.
9. **Defects.**  A known list of rows gets exactly one defect each (bad
   dates, future dates, impossible ages, phones with letters or a wrong
   number of digits, malformed e-mails, empty required fields, bad
   quantities or prices); see :data:`DEFECT_PLAN`.  Rows whose loss would
   orphan orders (a CRM file or web account used by an order) never receive
   a defect that rejects them.

Every step draws from its own random stream, spawned from one
:class:`numpy.random.SeedSequence`, so the files depend only on the seed.

References
----------
.. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
   Journal of the American Statistical Association 64(328), 1183-1210, 1969.
.. [2] P. Christen, *Data Matching: Concepts and Techniques for Record
   Linkage, Entity Resolution, and Duplicate Detection*, Springer, 2012.
.. [3] T. Gebru et al., "Datasheets for datasets", Communications of the
   ACM 64(12), 86-92, 2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int, check_seed
from coursekit.crm.schema import (
    INCENTIVES,
    ORDER_CATEGORIES,
    ROW_ID_COLUMN,
    SOURCE_COLUMNS,
    SOURCE_TABLES,
    SOURCES,
    TICKET_CATEGORIES,
)
from coursekit.data import sampling
from coursekit.data.crm_answers import ANSWER_TABLES
from coursekit.data.crm_contacts import (
    SEED,
    as_text,
    crm_fields,
    days_after,
    iso_dates,
    iso_datetimes,
    make_people,
    render_dates,
    render_emails,
    select,
    ticket_contacts,
    warranty_fields,
    web_fields,
)
from coursekit.tables import output_folder

__all__ = [
    "CrmData",
    "make_crm",
    "write_crm",
    "REGULAR_CATEGORIES",
    "CATEGORY_PROBABILITY",
    "CYCLE_RANGE_DAYS",
    "PRODUCTS",
    "DEFECT_PLAN",
    "N_PEOPLE",
    "START",
    "END",
]

#: Seed (:data:`coursekit.data.crm_contacts.SEED`) and size of the course's dataset.
N_PEOPLE = 2000
#: First and last day of the order history; "today" for ages and overdue lists.
START = "2022-01-01"
END = "2023-12-31"

#: The everyday categories bought in a personal rhythm, and the occasional ones
#: (of :data:`coursekit.crm.schema.ORDER_CATEGORIES`, whose last one is appliances).
REGULAR_CATEGORIES: tuple[str, ...] = ORDER_CATEGORIES[:6]
OCCASIONAL_CATEGORIES: tuple[str, ...] = ORDER_CATEGORIES[6:8]

#: Probability that a person who orders buys each everyday category regularly
#: (analgesics and household goods depend on baby products and pet food).
CATEGORY_PROBABILITY: dict[str, float] = {
    "vegetables": 0.20,
    "household": 0.30,  # 0.85 for pet owners
    "personal_care": 0.25,
    "pet_food": 0.20,
    "baby_products": 0.10,
    "analgesics": 0.15,  # 0.65 for buyers of baby products
}
#: Range (days) of the personal mean interval between purchases, per category.
CYCLE_RANGE_DAYS: dict[str, tuple[float, float]] = {
    "vegetables": (9.0, 18.0),
    "household": (20.0, 40.0),
    "personal_care": (24.0, 32.0),
    "pet_food": (14.0, 30.0),
    "baby_products": (9.0, 20.0),
    "analgesics": (25.0, 40.0),
}
CYCLE_SHAPE = 12.0
#: Base quantity q_c (quantity = 1 + Poisson(q_c F)) and base unit price (CU).
BASE_QUANTITY = {
    "vegetables": 1.5,
    "household": 0.8,
    "personal_care": 0.5,
    "pet_food": 0.6,
    "baby_products": 1.0,
    "analgesics": 0.2,
    "snacks": 1.0,
    "beverages": 2.0,
}
BASE_PRICE = {
    "vegetables": 6.5,
    "household": 18.0,
    "personal_care": 25.0,
    "pet_food": 45.0,
    "baby_products": 60.0,
    "analgesics": 22.0,
    "snacks": 8.0,
    "beverages": 5.0,
}
#: Appliances: product code -> (serial prefix, list price in CU).
PRODUCTS: dict[str, tuple[str, float]] = {
    "refrigerator": ("RF", 3299.0),
    "washing_machine": ("WM", 2499.0),
    "air_conditioner": ("AC", 3599.0),
    "microwave": ("MW", 599.0),
    "rice_cooker": ("RC", 399.0),
    "water_heater": ("WH", 1299.0),
    "vacuum_cleaner": ("VC", 899.0),
    "electric_kettle": ("EK", 129.0),
    "television": ("TV", 2999.0),
    "air_purifier": ("AP", 1599.0),
}


_SUMMARIES: dict[tuple[str, bool], tuple[str, str]] = {
    ("rude_staff", True): (
        "Customer says a sales assistant was rude at the counter.",
        "Caller complains that staff at the service desk were impolite.",
    ),
    ("rude_staff", False): (
        "Customer asked for the name of the store manager.",
        "Customer asked how to give feedback about a staff member.",
    ),
    ("out_of_stock", True): (
        "Item the customer came for was out of stock again.",
        "Customer complains that a promoted product was sold out.",
    ),
    ("out_of_stock", False): (
        "Customer asked when a product will be back in stock.",
        "Customer asked to be told when an item is restocked.",
    ),
    ("poor_service", True): (
        "Repair visit was late and the appliance still does not work.",
        "Customer waited too long for a delivery and complains.",
    ),
    ("poor_service", False): (
        "Customer asked to reschedule a repair visit.",
        "Customer asked about delivery times.",
    ),
    ("untrained_staff", True): (
        "Staff could not explain how to install the appliance.",
        "Customer got wrong advice about the warranty terms.",
    ),
    ("untrained_staff", False): (
        "Customer asked for an installation guide.",
        "Customer asked which accessories fit the appliance.",
    ),
    ("poor_quality", True): (
        "Appliance stopped working within the warranty period.",
        "Customer reports a faulty product and wants a refund.",
    ),
    ("poor_quality", False): (
        "Customer asked how to descale the appliance.",
        "Customer asked about spare parts for an older model.",
    ),
    ("poor_selection", True): (
        "Customer complains that the store carries too few brands.",
        "Customer could not find the size they need.",
    ),
    ("poor_selection", False): (
        "Customer suggested stocking smaller packs for hotels.",
        "Customer suggested adding an energy-saving model.",
    ),
}

#: (source, field, reason) -> number of rows given that defect (for 2,000
#: people; scaled in proportion, at least 1, for other sizes); the reasons are
#: those of :data:`coursekit.crm.schema.DEFECT_REASONS`.
DEFECT_PLAN: dict[tuple[str, str, str], int] = {
    ("crm_export", "birth_date", "bad_date"): 14,
    ("crm_export", "birth_date", "impossible_age"): 12,
    ("crm_export", "phone", "phone_letters"): 14,
    ("crm_export", "phone", "bad_phone"): 8,
    ("crm_export", "email", "bad_email"): 10,
    ("crm_export", "name", "missing_required"): 6,
    ("crm_export", "created", "bad_date"): 5,
    ("web_registrations", "email", "bad_email"): 8,
    ("web_registrations", "email", "missing_required"): 5,
    ("web_registrations", "phone", "phone_letters"): 6,
    ("web_registrations", "registered_at", "bad_date"): 4,
    ("warranty_cards", "purchase_date", "bad_date"): 12,
    ("warranty_cards", "purchase_date", "future_date"): 6,
    ("warranty_cards", "name", "missing_required"): 5,
    ("warranty_cards", "serial_number", "missing_required"): 4,
    ("warranty_cards", "phone", "phone_letters"): 6,
    ("service_tickets", "contact", "missing_required"): 5,
    ("service_tickets", "contact", "phone_letters"): 4,
    ("service_tickets", "contact", "bad_email"): 3,
    ("order_lines", "quantity", "bad_quantity"): 10,
    ("order_lines", "unit_price", "bad_price"): 4,
    ("order_lines", "unit_price", "missing_required"): 4,
    ("order_lines", "identifier", "missing_required"): 5,
    ("order_lines", "order_date", "bad_date"): 5,
}
# Defects that make a row unusable; they go only to rows no order depends on.
_REJECTING = {
    ("crm_export", "name"),
    ("web_registrations", "email"),
}

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class CrmData:
    """The raw source files of the customer database and their ground truth.

    Attributes
    ----------
    sources : dict of str to pandas.DataFrame
        The five raw files as text frames (every column a string, empty
        string for an empty field), keyed by :data:`coursekit.crm.schema.SOURCES`,
        columns as in :data:`coursekit.crm.schema.SOURCE_COLUMNS`.
    identity : pandas.DataFrame
        ``source``, ``source_row_id``, ``person_id``: the person behind every
        row of the four contact files.
    people : pandas.DataFrame
        One row per person: ``person_id``, ``name`` (canonical), ``script``
        (``pinyin``, ``hanzi`` or ``western``), ``phone`` (mobile, 11 digits),
        ``landline`` (digits, or empty), ``old_phone``, ``email``,
        ``birth_date``, ``city``, ``household_of`` (person whose landline is
        shared, or empty), ``churn_date`` (empty if the person did not churn).
    defects : pandas.DataFrame
        ``source``, ``source_row_id``, ``field``, ``defect``: every defect put
        in on purpose.
    orders : pandas.DataFrame
        ``order_id``, ``person_id``.
    cycles : pandas.DataFrame
        ``person_id``, ``category``, ``mean_interval_days``, ``start``,
        ``end``: the true purchase rhythm of each person in each everyday
        category over the window [start, end).
    events : pandas.DataFrame
        ``person_id``, ``event``, ``start``, ``end``: pregnancies (personal
        care purchases pause from start to end).
    factors : pandas.DataFrame
        ``month`` (``YYYY-MM``), ``category``, ``factor``: monthly demand
        factors :math:`F_{c,m}`.
    """

    sources: dict
    identity: pd.DataFrame
    people: pd.DataFrame
    defects: pd.DataFrame
    orders: pd.DataFrame
    cycles: pd.DataFrame
    events: pd.DataFrame
    factors: pd.DataFrame


def make_crm(n_people: int = N_PEOPLE, seed: int = SEED) -> CrmData:
    r"""Simulate the five raw source files of the firm and their ground truth.

    The generative model is set out in the module docstring.  The result
    depends only on the arguments.

    Parameters
    ----------
    n_people : int, default 2000
        Number of true people (a whole number >= 50).
    seed : int, default 20240602
        Seed of the random number generator (a whole number >= 0).

    Returns
    -------
    CrmData
        The raw text frames (``sources``) and the answer frames.

    References
    ----------
    .. [1] P. Christen, *Data Matching: Concepts and Techniques for Record
       Linkage, Entity Resolution, and Duplicate Detection*, Springer, 2012.

    Examples
    --------
    >>> data = make_crm(n_people=200, seed=1)
    >>> sorted(data.sources)
    ['crm_export', 'order_lines', 'service_tickets', 'warranty_cards', 'web_registrations']
    >>> data.sources["crm_export"].columns.tolist()
    ['crm_id', 'name', 'phone', 'email', 'birth_date', 'city', 'created']
    >>> int(data.people["person_id"].nunique())
    200
    """
    n_people = check_positive_int("n_people", n_people)
    if n_people < 50:
        raise ValueError(f"n_people must be at least 50 (the defect list needs rows to put defects in), got {n_people}")
    seed = check_seed(seed)
    streams = np.random.SeedSequence(seed).spawn(10)
    (r_people, r_presence, r_orders, r_appl, r_tickets, r_crm, r_web, r_card, r_defect, r_qty) = (
        np.random.default_rng(s) for s in streams
    )
    people = make_people(n_people, r_people)
    n = n_people
    start = np.datetime64(START, "D")
    end = np.datetime64(END, "D")
    horizon = int((end - start) / _DAY) + 1  # days in the order window

    # --- presence and activity --------------------------------------------------------------
    in_crm = r_presence.random(n) < 0.72
    crm_dup = in_crm & (r_presence.random(n) < 0.07)
    lead = in_crm & (r_presence.random(n) < 0.12)
    in_web = r_presence.random(n) < 0.45
    web_dup = in_web & (r_presence.random(n) < 0.04)
    web_orders = in_web & (r_presence.random(n) < 0.70)
    has_store = in_crm & ~lead
    has_web = web_orders
    ordering = has_store | has_web
    existing = r_presence.random(n) < 0.45
    join = np.where(existing, 0, r_presence.integers(0, horizon - 90, n))
    can_churn = ordering & (join <= horizon - 180)
    churned = can_churn & (r_presence.random(n) < 0.35)
    churn_day = np.where(
        churned, join + 90 + (r_presence.random(n) * np.maximum(horizon - 45 - join - 90, 1)).astype(int), horizon
    )
    stop = np.where(churned, churn_day, horizon)  # exclusive end of the active window
    store_share = np.where(has_store & has_web, r_presence.uniform(0.3, 0.9, n), np.where(has_store, 1.0, 0.0))

    # --- regular categories and their cycles ---------------------------------------------------
    u = r_orders.random((n, len(REGULAR_CATEGORIES)))
    cats = np.zeros((n, len(REGULAR_CATEGORIES)), dtype=bool)
    ix = {c: i for i, c in enumerate(REGULAR_CATEGORIES)}
    for c in ("vegetables", "personal_care", "pet_food", "baby_products"):
        cats[:, ix[c]] = u[:, ix[c]] < CATEGORY_PROBABILITY[c]
    cats[:, ix["household"]] = u[:, ix["household"]] < np.where(
        cats[:, ix["pet_food"]], 0.85, CATEGORY_PROBABILITY["household"]
    )
    cats[:, ix["analgesics"]] = u[:, ix["analgesics"]] < np.where(
        cats[:, ix["baby_products"]], 0.65, CATEGORY_PROBABILITY["analgesics"]
    )
    none = np.flatnonzero(~cats.any(axis=1))
    cats[none, r_orders.integers(0, len(REGULAR_CATEGORIES), none.size)] = True
    cats &= ordering[:, None]

    # Pregnancies: personal care pauses ~280 days, baby products start ~270 days in.
    eligible = np.flatnonzero(cats[:, ix["personal_care"]] & ~churned & (join < horizon - 500))
    n_preg = min(eligible.size, max(1, int(round(0.015 * n))))
    preg = np.sort(r_orders.choice(eligible, size=n_preg, replace=False)) if n_preg else np.array([], dtype=int)
    preg_start = join[preg] + 60 + (r_orders.random(preg.size) * 120).astype(int)
    preg_end = preg_start + 280
    baby_start = np.full(n, -1)
    baby_start[preg] = preg_start + 270
    cats[preg, ix["baby_products"]] = True

    pp_idx, cat_idx = np.nonzero(cats)
    lo = np.array([CYCLE_RANGE_DAYS[c][0] for c in REGULAR_CATEGORIES])[cat_idx]
    hi = np.array([CYCLE_RANGE_DAYS[c][1] for c in REGULAR_CATEGORIES])[cat_idx]
    mu = np.round(r_orders.uniform(lo, hi), 1)
    w_start = join[pp_idx].astype(float)
    is_preg_baby = (baby_start[pp_idx] >= 0) & (cat_idx == ix["baby_products"])
    w_start = np.where(is_preg_baby, baby_start[pp_idx], w_start)
    w_end = stop[pp_idx].astype(float)
    n_max = int(np.ceil(((w_end - w_start) / mu).max() * 1.6)) + 4
    gaps = r_orders.gamma(CYCLE_SHAPE, 1.0, (pp_idx.size, n_max)) * (mu / CYCLE_SHAPE)[:, None]
    first = w_start + r_orders.random(pp_idx.size) * mu
    times = first[:, None] + np.cumsum(gaps, axis=1) - gaps[:, :1]
    keep = times < w_end[:, None]
    ev_pair = np.repeat(np.arange(pp_idx.size), keep.sum(axis=1))
    ev_day = np.floor(times[keep]).astype(np.int64)
    ev_person = pp_idx[ev_pair]
    ev_cat = cat_idx[ev_pair]
    # the pause of personal care during a pregnancy
    pause_start = np.full(n, -1)
    pause_end = np.full(n, -1)
    pause_start[preg], pause_end[preg] = preg_start, preg_end
    paused = (ev_cat == ix["personal_care"]) & (ev_day >= pause_start[ev_person]) & (ev_day < pause_end[ev_person])
    ev_person, ev_cat, ev_day = ev_person[~paused], ev_cat[~paused], ev_day[~paused]
    cycles = pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy()[pp_idx],
            "category": np.array(REGULAR_CATEGORIES)[cat_idx],
            "mean_interval_days": mu,
            "start": days_after(START, w_start),
            "end": days_after(START, w_end),
        }
    )

    # --- appliances: purchases, own-channel order lines, warranty cards ----------------------------
    n_appl = r_appl.poisson(0.55, n)
    appl_person = np.repeat(np.arange(n), n_appl)
    appl_date = days_after(
        "2020-01-01",
        r_appl.integers(0, (np.datetime64("2023-12-20") - np.datetime64("2020-01-01")).astype(int), appl_person.size),
    )
    appl_product = r_appl.integers(0, len(PRODUCTS), appl_person.size)
    appl_day = ((appl_date - start) / _DAY).astype(np.int64)
    own = (
        ordering[appl_person]
        & (appl_day >= join[appl_person])
        & (appl_day < stop[appl_person])
        & (r_appl.random(appl_person.size) < 0.6)
    )
    card = r_appl.random(appl_person.size) < 0.75

    # --- service tickets ---------------------------------------------------------------------------
    t_stop = np.minimum(stop + 30, horizon)
    n_tix = r_tickets.poisson(0.5 * t_stop / horizon)
    tk_person = np.repeat(np.arange(n), n_tix)
    tk_day = (r_tickets.random(tk_person.size) * t_stop[tk_person]).astype(np.int64)
    tk_cat = sampling.pick(r_tickets, [0.12, 0.20, 0.20, 0.10, 0.25, 0.13], tk_person.size)
    pre = np.flatnonzero(churned & (r_tickets.random(n) < 0.5))
    pre_day = np.maximum(churn_day[pre] - r_tickets.integers(5, 41, pre.size), 0)
    pre_cat = sampling.pick(r_tickets, [0.3, 0.15, 0.3, 0.1, 0.1, 0.05], pre.size)
    tk_person = np.concatenate([tk_person, pre])
    tk_day = np.concatenate([tk_day, pre_day])
    tk_cat = np.concatenate([tk_cat, pre_cat])
    tk_complaint = np.concatenate([r_tickets.random(tk_person.size - pre.size) < 0.75, np.ones(pre.size, dtype=bool)])

    # Everybody shows up somewhere: a person in no source gets a warranty card.
    seen = in_crm | in_web
    seen[appl_person[card]] = True
    seen[tk_person] = True
    lonely = np.flatnonzero(~seen)
    appl_person = np.concatenate([appl_person, lonely])
    appl_date = np.concatenate([appl_date, days_after("2020-01-01", r_appl.integers(0, 1400, lonely.size))])
    appl_product = np.concatenate([appl_product, r_appl.integers(0, len(PRODUCTS), lonely.size)])
    own = np.concatenate([own, np.zeros(lonely.size, dtype=bool)])
    card = np.concatenate([card, np.ones(lonely.size, dtype=bool)])

    # --- CRM export ------------------------------------------------------------------------------------
    crm_person = np.concatenate([np.flatnonzero(in_crm), np.flatnonzero(crm_dup)])
    crm_second = np.concatenate([np.zeros(in_crm.sum(), dtype=bool), np.ones(crm_dup.sum(), dtype=bool)])
    first_seen = np.minimum(join, horizon - 1)
    created_first = np.where(
        lead[crm_person] | ~ordering[crm_person],
        r_crm.integers(-7 * 365, horizon, crm_person.size),
        first_seen[crm_person] - r_crm.integers(0, 1500, crm_person.size) * existing[crm_person],
    )
    created_first = np.maximum(created_first, -7 * 365)
    created = np.where(
        crm_second,
        created_first + (r_crm.random(crm_person.size) * np.maximum(horizon - 1 - created_first, 1)).astype(int),
        created_first,
    )
    order_crm = np.argsort(created * 10_000 + crm_person, kind="stable")
    crm_person, crm_second, created = crm_person[order_crm], crm_second[order_crm], created[order_crm]
    crm_id = sampling.ids("C", crm_person.size, 5)
    crm = crm_fields(people.iloc[crm_person].reset_index(drop=True), r_crm)
    crm.insert(0, "crm_id", crm_id)
    crm["created"] = iso_dates(days_after(START, created))

    # --- web registrations ------------------------------------------------------------------------------
    web_person = np.concatenate([np.flatnonzero(in_web), np.flatnonzero(web_dup)])
    web_second = np.concatenate([np.zeros(in_web.sum(), dtype=bool), np.ones(web_dup.sum(), dtype=bool)])
    reg_first = np.where(
        web_orders[web_person],
        first_seen[web_person] - r_web.integers(0, 800, web_person.size),
        r_web.integers(-3 * 365, horizon, web_person.size),
    )
    reg_first = np.maximum(reg_first, -3 * 365)
    reg = np.where(
        web_second,
        reg_first + (r_web.random(web_person.size) * np.maximum(horizon - 1 - reg_first, 1)).astype(int),
        reg_first,
    )
    reg_sec = r_web.integers(8 * 3600, 23 * 3600, web_person.size)
    order_web = np.lexsort((reg_sec, reg))
    web_person, web_second, reg, reg_sec = (
        web_person[order_web],
        web_second[order_web],
        reg[order_web],
        reg_sec[order_web],
    )
    web = web_fields(people.iloc[web_person].reset_index(drop=True), web_second, r_web)
    account_id = sampling.ids("W", web_person.size, 5)
    web.insert(0, "account_id", account_id)
    web["registered_at"] = iso_datetimes(days_after(START, reg), reg_sec)
    incentive = np.where(
        web_orders[web_person],
        sampling.pick(r_web, [0.35, 0.2, 0.3, 0.15], web_person.size),
        sampling.pick(r_web, [0.15, 0.5, 0.2, 0.15], web_person.size),
    )
    web["incentive"] = np.array(INCENTIVES)[incentive]
    web["marketing_consent"] = np.where(r_web.random(web_person.size) < 0.6, "yes", "no")
    web = web[SOURCE_COLUMNS["web_registrations"]]

    # --- order events -> orders and lines ---------------------------------------------------------------
    rng = r_orders
    ev_kind = np.zeros(ev_person.size, dtype=np.int64)  # 0 everyday, 1 appliance
    ap_sel = np.flatnonzero(own)
    ev_person = np.concatenate([ev_person, appl_person[ap_sel]])
    ev_day = np.concatenate([ev_day, ((appl_date[ap_sel] - start) / _DAY).astype(np.int64)])
    ev_cat = np.concatenate([ev_cat, np.full(ap_sel.size, ORDER_CATEGORIES.index("appliances"))])
    ev_kind = np.concatenate([ev_kind, np.ones(ap_sel.size, dtype=np.int64)])
    ev_product = np.concatenate([np.full(ev_person.size - ap_sel.size, -1), appl_product[ap_sel]])
    store = rng.random(ev_person.size) < store_share[ev_person]
    # identifiers: CRM ids (primary 70 %), web account ids (primary 85 %), or the e-mail (guest)
    crm_rows = pd.DataFrame({"p": crm_person, "second": crm_second, "row": np.arange(crm_person.size)})
    crm_primary = crm_rows[~crm_rows["second"]].set_index("p")["row"].reindex(range(n), fill_value=-1).to_numpy()
    crm_alt = crm_rows[crm_rows["second"]].set_index("p")["row"].reindex(range(n), fill_value=-1).to_numpy()
    web_rows = pd.DataFrame({"p": web_person, "second": web_second, "row": np.arange(web_person.size)})
    web_primary = web_rows[~web_rows["second"]].set_index("p")["row"].reindex(range(n), fill_value=-1).to_numpy()
    web_alt = web_rows[web_rows["second"]].set_index("p")["row"].reindex(range(n), fill_value=-1).to_numpy()
    use_alt_crm = (crm_alt[ev_person] >= 0) & (rng.random(ev_person.size) < 0.3)
    crm_row = np.where(use_alt_crm, crm_alt[ev_person], crm_primary[ev_person])
    u_web = rng.random(ev_person.size)
    guest = u_web < 0.2
    use_alt_web = (web_alt[ev_person] >= 0) & (u_web >= 0.2) & (u_web < 0.35)
    web_row = np.where(use_alt_web, web_alt[ev_person], web_primary[ev_person])
    ident_code = np.where(store, crm_row, np.where(guest, -2, 100_000 + web_row))
    bins = (ev_day + (ev_person % 5)) // 5
    ev = pd.DataFrame(
        {
            "p": ev_person,
            "store": store,
            "ident": ident_code,
            "bin": bins,
            "day": ev_day,
            "cat": ev_cat,
            "kind": ev_kind,
            "product": ev_product,
        }
    )
    ev["order"] = ev.groupby(["p", "store", "ident", "bin"], sort=False).ngroup()
    ev["day"] = ev.groupby("order")["day"].transform("min")
    everyday = (
        ev[ev["kind"] == 0]
        .groupby(["order", "cat"], as_index=False)
        .agg(
            p=("p", "first"), store=("store", "first"), ident=("ident", "first"), day=("day", "first"), n=("p", "size")
        )
    )
    everyday["product"] = -1
    appliances = ev.loc[ev["kind"] == 1, ["order", "cat", "p", "store", "ident", "day", "product"]].assign(n=1)
    orders_first = everyday.groupby("order", as_index=False).first()
    extra = orders_first[rng.random(len(orders_first)) < 0.15].copy()
    extra["cat"] = np.where(
        rng.random(len(extra)) < 0.5, ORDER_CATEGORIES.index("snacks"), ORDER_CATEGORIES.index("beverages")
    )
    extra["n"] = 1
    extra["product"] = -1
    lines = pd.concat([everyday, appliances, extra], ignore_index=True)
    lines = lines.sort_values(["day", "p", "order", "cat", "product"], kind="stable").reset_index(drop=True)
    order_code, order_first = pd.factorize(lines["order"])
    n_orders = order_first.size
    lines["order_no"] = order_code
    lines["line_no"] = lines.groupby("order_no").cumcount() + 1
    month = (days_after(START, lines["day"]).astype("datetime64[M]") - np.datetime64(START, "M")).astype(int)
    n_months = int((np.datetime64(END, "M") - np.datetime64(START, "M")).astype(int)) + 1

    # demand factors: pet food and household share a rising AR(1) factor
    shock = np.zeros(n_months)
    eps = r_qty.normal(0.0, 1.0, n_months)
    for m in range(n_months):
        shock[m] = (0.6 * shock[m - 1] if m else 0.0) + np.sqrt(1 - 0.36) * eps[m]
    shared = np.exp(0.35 * shock + 0.45 * np.arange(n_months) / (n_months - 1))
    factor = np.exp(0.08 * r_qty.normal(0.0, 1.0, (len(ORDER_CATEGORIES), n_months)))
    factor[ORDER_CATEGORIES.index("pet_food")] = shared
    factor[ORDER_CATEGORIES.index("household")] = shared
    factor[ORDER_CATEGORIES.index("appliances")] = 1.0
    factor = np.round(factor, 4)
    base_q = np.array([BASE_QUANTITY.get(c, 0.0) for c in ORDER_CATEGORIES])
    cat_arr = lines["cat"].to_numpy()
    lam = base_q[cat_arr] * factor[cat_arr, month]
    quantity = np.where(cat_arr == ORDER_CATEGORIES.index("appliances"), 1, 1 + r_qty.poisson(lam))
    base_p = np.array([BASE_PRICE.get(c, 0.0) for c in ORDER_CATEGORIES])
    list_price = np.array([v[1] for v in PRODUCTS.values()])
    prod = lines["product"].to_numpy()
    price = np.where(
        prod >= 0,
        list_price[np.maximum(prod, 0)] * r_qty.uniform(0.85, 1.0, len(lines)),
        base_p[cat_arr] * np.exp(r_qty.normal(0.0, 0.12, len(lines))),
    )
    price = np.round(price, 2)

    order_ids = sampling.ids("O", n_orders, 6)
    ident = lines["ident"].to_numpy()
    lp = lines["p"].to_numpy()
    identifier = np.where(
        ident >= 100_000,
        account_id[np.clip(ident - 100_000, 0, account_id.size - 1)],
        np.where(ident >= 0, crm_id[np.clip(ident, 0, crm_id.size - 1)], ""),
    ).astype(object)
    guest_rows = ident == -2
    if guest_rows.any():
        identifier[guest_rows] = render_emails(
            as_text(people["email"].to_numpy()[lp[guest_rows]]), rng, (0.8, 0.1, 0.05, 0.05)
        ).to_numpy()
    order_lines = pd.DataFrame(
        {
            "order_id": order_ids[order_code],
            "line_no": lines["line_no"].astype(str).to_numpy(),
            "channel": np.where(lines["store"].to_numpy(), "store", "web"),
            "identifier": identifier,
            "order_date": iso_dates(days_after(START, lines["day"])).to_numpy(),
            "category": np.array(ORDER_CATEGORIES)[cat_arr],
            "quantity": quantity.astype(str),
            "unit_price": np.char.mod("%.2f", price),
        }
    )
    order_person = pd.DataFrame({"order_id": order_ids[order_code], "person_id": people["person_id"].to_numpy()[lp]})
    order_person = order_person.drop_duplicates("order_id").reset_index(drop=True)

    # --- warranty cards ----------------------------------------------------------------------------------
    c_sel = np.flatnonzero(card)
    c_order = np.lexsort((appl_person[c_sel], appl_date[c_sel]))
    c_sel = c_sel[c_order]
    card_person = appl_person[c_sel]
    cards = warranty_fields(people.iloc[card_person].reset_index(drop=True), r_card)
    card_id = sampling.ids("WC", c_sel.size, 5)
    cards.insert(0, "card_id", card_id)
    codes = np.array([v[0] for v in PRODUCTS.values()])
    product = appl_product[c_sel]
    yymm = pd.Series(appl_date[c_sel].astype("datetime64[D]")).dt.strftime("%y%m").to_numpy(dtype=str)
    serial_no = r_card.choice(10**6, size=c_sel.size, replace=False)
    cards["product"] = np.array(list(PRODUCTS))[product]
    cards["serial_number"] = as_text(
        np.char.add(np.char.add(np.char.add(codes[product], yymm), "-"), np.char.zfill(serial_no.astype(str), 6))
    )
    cards["purchase_date"] = render_dates(appl_date[c_sel], r_card, [0.45, 0.25, 0.15, 0.15])

    # --- service tickets ------------------------------------------------------------------------------------
    tk_sec = r_tickets.integers(8 * 3600, 20 * 3600, tk_person.size)
    t_order = np.lexsort((tk_person, tk_sec, tk_day))
    tk_person, tk_day, tk_cat, tk_complaint, tk_sec = (
        a[t_order] for a in (tk_person, tk_day, tk_cat, tk_complaint, tk_sec)
    )
    contacts = ticket_contacts(people.iloc[tk_person].reset_index(drop=True), r_tickets)
    which = r_tickets.integers(0, 2, tk_person.size)
    summary = [
        _SUMMARIES[(TICKET_CATEGORIES[c], bool(k))][w] for c, k, w in zip(tk_cat, tk_complaint, which, strict=True)
    ]
    open_at = days_after(START, tk_day).astype("datetime64[s]") + tk_sec.astype(np.int64)
    duration = np.round(r_tickets.gamma(2.0, 36.0, tk_person.size) * 3600).astype(np.int64)  # seconds
    resolved_at = open_at + duration
    still_open = (r_tickets.random(tk_person.size) < 0.15) | (resolved_at > np.datetime64(END + "T23:59:59"))
    res_text = np.char.replace(np.datetime_as_string(resolved_at, unit="s").astype(str), "T", " ")
    tickets = pd.DataFrame(
        {
            "ticket_id": sampling.ids("T", tk_person.size, 5),
            "contact": contacts["contact"].to_numpy(),
            "opened_at": np.char.replace(np.datetime_as_string(open_at, unit="s").astype(str), "T", " "),
            "category": np.array(TICKET_CATEGORIES)[tk_cat],
            "complaint": np.where(tk_complaint, "True", "False"),
            "summary": summary,
            "resolved_at": np.where(still_open, "", res_text),
        }
    )

    sources = {
        "crm_export": crm[SOURCE_COLUMNS["crm_export"]].astype(str),
        "web_registrations": web.astype(str),
        "warranty_cards": cards[SOURCE_COLUMNS["warranty_cards"]].astype(str),
        "service_tickets": tickets.astype(str),
        "order_lines": order_lines.astype(str),
    }
    pid = people["person_id"].to_numpy()
    identity = pd.concat(
        [
            pd.DataFrame({"source": "crm_export", "source_row_id": crm_id, "person_id": pid[crm_person]}),
            pd.DataFrame({"source": "web_registrations", "source_row_id": account_id, "person_id": pid[web_person]}),
            pd.DataFrame({"source": "warranty_cards", "source_row_id": card_id, "person_id": pid[card_person]}),
            pd.DataFrame(
                {"source": "service_tickets", "source_row_id": tickets["ticket_id"], "person_id": pid[tk_person]}
            ),
        ],
        ignore_index=True,
    )

    # --- defects ---------------------------------------------------------------------------------------------
    used_crm = set(order_lines.loc[order_lines["channel"] == "store", "identifier"])
    used_web = set(order_lines["identifier"])
    guest_people = set(lp[guest_rows])
    protected = {
        "crm_export": np.isin(crm_id, list(used_crm)),
        "web_registrations": np.isin(account_id, list(used_web)) | np.isin(web_person, list(guest_people)),
    }
    defects = _put_defects(sources, protected, r_defect, n / N_PEOPLE)

    churn_dates = np.where(churned, iso_dates(days_after(START, churn_day)).to_numpy(), "")
    people_out = pd.DataFrame(
        {
            "person_id": pid,
            "name": people["name"],
            "script": people["script"],
            "phone": people["phone"],
            "landline": people["landline"],
            "old_phone": people["old_phone"],
            "email": people["email"],
            "birth_date": iso_dates(people["birth_date"].to_numpy()),
            "city": people["city"],
            "household_of": people["household_of"],
            "churn_date": churn_dates,
        }
    )
    events = pd.DataFrame(
        {
            "person_id": pid[preg],
            "event": "pregnancy",
            "start": days_after(START, preg_start),
            "end": days_after(START, preg_end),
        }
    )
    months = pd.period_range(START, END, freq="M").strftime("%Y-%m")
    factors = pd.DataFrame(
        {
            "month": np.tile(np.asarray(months), len(ORDER_CATEGORIES)),
            "category": np.repeat(np.array(ORDER_CATEGORIES), n_months),
            "factor": factor.ravel(),
        }
    )
    return CrmData(
        sources=sources,
        identity=identity,
        people=people_out,
        defects=defects,
        orders=order_person,
        cycles=cycles,
        events=events,
        factors=factors,
    )


def _row_ids(source: str, frame: pd.DataFrame) -> np.ndarray:
    if source == "order_lines":
        return (frame["order_id"] + "-" + frame["line_no"]).to_numpy(dtype=object)
    return frame[ROW_ID_COLUMN[source]].to_numpy(dtype=object)


def _corrupt(source: str, field: str, reason: str, values: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Defective versions of ``values`` (the clean text of the chosen rows)."""
    k = len(values)
    pick = rng.integers(0, 1_000_000, k)
    if reason == "missing_required":
        return as_text(np.full(k, ""))
    if reason == "bad_date":
        if field in ("registered_at",):
            return as_text(np.full(k, "0000-00-00 00:00:00"))
        bad = np.array(["1985-13-02", "30/02/1990", "1988.14.3", "n/a", "0000-00-00", "31.31.1979", "?"])
        if field == "order_date":
            bad = np.array(["2023-02-30", "2022-13-01", "2023-04-31"])
        if field == "created":
            bad = np.array(["2021-02-30", "2019-00-10", "unknown"])
        if field == "purchase_date":
            bad = np.array(["2023-13-01", "32/01/2022", "2021.2.30", "2022年13月5日", "see receipt"])
        return as_text(bad[pick % bad.size])
    if reason == "future_date":
        years = 2031 + pick % 5
        return as_text(np.char.add(years.astype(str), "-06-01"))
    if reason == "impossible_age":
        bad = np.array(["1899-01-01", "1900-05-05", "1890.7.4", "2031-05-04", "15/08/2035", "1850-01-01"])
        return as_text(bad[pick % bad.size])
    if reason == "phone_letters":
        text = values.copy()
        has_zero = text.str.slice(3).str.contains("0").to_numpy()
        head, tail = text.str.slice(0, 3), text.str.slice(3)
        zero = head + tail.str.replace("0", "O", n=1, regex=False)
        one = head + tail.str.replace("1", "l", n=1, regex=False)
        out = select(has_zero.astype(int), [one, zero])
        unchanged = (out == text).to_numpy()
        out[unchanged] = text[unchanged].str.slice(0, -1) + "O"
        return out
    if reason == "bad_phone":
        return values.str.slice(0, -2)
    if reason == "bad_email":
        email = values.str.strip().str.lower()
        variants = [
            email.str.replace("@", "", regex=False),
            email.str.replace("@", "@@", regex=False),
            email.str.replace(".com", "", regex=False),
            email.str.replace("@", " @", regex=False),
        ]
        return select(pick % 4, variants)
    if reason == "bad_quantity":
        bad = np.array(["0", "-1", "1.5", "two"])
        return as_text(bad[pick % bad.size])
    if reason == "bad_price":
        bad = np.array(["-4.50", "0.00", "12,5O"])
        return as_text(bad[pick % bad.size])
    raise ValueError(f"unknown defect {reason!r}")  # pragma: no cover


def _put_defects(sources: dict, protected: dict, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """Give each planned number of rows (times ``scale``) one defect each; return the defect list.

    A defect type gets fewer rows than planned only when a small dataset has
    too few suitable rows; the list returned is always exactly what was done.
    """
    rows = []
    for source in SOURCES:
        frame = sources[source]
        ids = _row_ids(source, frame)
        plan = [(f, r, k) for (s, f, r), k in DEFECT_PLAN.items() if s == source]
        order = rng.permutation(len(frame))
        taken = np.zeros(len(frame), dtype=bool)
        for field, reason, k in plan:
            k = max(1, int(round(k * scale)))
            ok = ~taken
            if (source, field) in _REJECTING and reason in ("missing_required", "bad_email"):
                ok &= ~protected[source]
            if source == "service_tickets" and reason == "phone_letters":
                ok &= frame["contact"].str.match(r"^[\d+(]").to_numpy()
            if source == "service_tickets" and reason == "bad_email":
                ok &= frame["contact"].str.contains("@", regex=False).to_numpy()
            if field == "phone" and reason in ("phone_letters", "bad_phone"):
                ok &= (frame[field] != "").to_numpy()
                if reason == "bad_phone":
                    ok &= (frame[field].str.replace(r"\D", "", regex=True).str.len() == 11).to_numpy()
                    ok &= frame[field].str.match(r"^1").to_numpy()
            if field == "email" and reason == "bad_email":
                ok &= (frame[field] != "").to_numpy()
            chosen = np.sort(order[ok[order]][:k])
            taken[chosen] = True
            column = frame.columns.get_loc(field)
            frame.iloc[chosen, column] = _corrupt(
                source, field, reason, frame.iloc[chosen, column].reset_index(drop=True), rng
            ).to_numpy()
            rows.append(
                pd.DataFrame({"source": source, "source_row_id": ids[chosen], "field": field, "defect": reason})
            )
    defects = pd.concat(rows, ignore_index=True)
    rank = {s: i for i, s in enumerate(SOURCES)}
    defects["_s"] = defects["source"].map(rank)
    defects = defects.sort_values(["_s", "source_row_id", "field"], kind="stable").drop(columns="_s")
    return defects.reset_index(drop=True)


def write_crm(directory, data: CrmData | None = None) -> list[Path]:
    """Write the raw source files into ``directory/crm/`` and the answers into ``crm/answers/``.

    The files are written through their :class:`coursekit.tables.Table`
    specs: the raw sources as the text the generator made
    (:data:`coursekit.crm.schema.SOURCE_TABLES`), the answers with typed
    columns (:data:`coursekit.data.crm_answers.ANSWER_TABLES`), so the bytes
    depend only on the data (UTF-8, ``\\n`` line ends, RFC 4180 quoting).

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``crm/`` and ``crm/answers/`` are created in it.
    data : CrmData, optional
        What to write; by default the course's dataset, :func:`make_crm`.

    Returns
    -------
    list of pathlib.Path
        The five source files (in :data:`coursekit.crm.schema.SOURCES` order),
        then the seven answer files.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated
       Values (CSV) Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_crm(tmp, make_crm(n_people=120, seed=2))
    ...     print([p.name for p in paths[:5]])
    ...     print(paths[0].read_text(encoding="utf-8").splitlines()[0])
    ['crm_export.csv', 'web_registrations.csv', 'warranty_cards.csv', 'service_tickets.csv', 'order_lines.csv']
    crm_id,name,phone,email,birth_date,city,created
    """
    folder = output_folder(directory, "crm")
    if data is None:
        data = make_crm()
    elif not isinstance(data, CrmData):
        raise TypeError(f"data must be a CrmData or None, got {type(data).__name__}")
    paths = [SOURCE_TABLES[s].write(data.sources[s], folder) for s in SOURCES]
    answers = {
        "identity": data.identity,
        "people": data.people,
        "defects": data.defects,
        "orders": data.orders,
        "cycles": data.cycles,
        "events": data.events,
        "factors": data.factors,
    }
    paths += [spec.write(answers[name], folder) for name, spec in ANSWER_TABLES.items()]
    return paths
