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
``order_lines.csv``
    One row per order line (``order_id``, ``line_no``, ``channel``,
    ``identifier``, ``order_date``, ``category``, ``quantity``,
    ``unit_price``).  A store order carries the CRM id of the loyalty card
    shown at the till; a web order the account id, or the e-mail typed at a
    guest checkout.

The answers (``crm/answers/``) are for tests, teachers and hidden exercises;
students never need them: ``identity.csv`` (source, source_row_id, person_id
for every row of the four contact files), ``people.csv`` (the true person
behind the records), ``defects.csv`` (every defect put in on purpose),
``orders.csv`` (order_id, person_id), ``cycles.csv`` (each person's purchase
rhythm per category), ``events.csv`` (pregnancies that pause and start
purchase rhythms) and ``factors.csv`` (the monthly demand factor of each
category).

The generative model
--------------------
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
   account id, the second one (15 %) or a guest e-mail (20 %).  Appliance purchases made in the firm's own channels (60 %
   of those of people who order, within their active window) are order
   lines too.
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

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int
from coursekit.models.bucket import HOLES
from coursekit.data.transactions import _check_directory, _float_text, _ids, _write_csv

__all__ = [
    "CrmData",
    "make_crm",
    "write_crm",
    "make_contacts",
    "crm_dir",
    "load_crm_people",
    "load_crm_identity",
    "load_crm_defects",
    "load_crm_orders",
    "load_crm_cycles",
    "load_crm_events",
    "load_crm_factors",
    "SOURCES",
    "CONTACT_SOURCES",
    "SOURCE_FILES",
    "SOURCE_COLUMNS",
    "ROW_ID_COLUMN",
    "REGULAR_CATEGORIES",
    "ORDER_CATEGORIES",
    "TICKET_CATEGORIES",
    "INCENTIVES",
    "PRODUCTS",
    "CITIES",
    "CITY_NAMES_ZH",
    "AREA_CODES",
    "DEFECT_REASONS",
    "DEFECT_PLAN",
    "CATEGORY_PROBABILITY",
    "CYCLE_RANGE_DAYS",
    "SEED",
    "N_PEOPLE",
    "START",
    "END",
    "REFERENCE_DATE",
    "main",
]

#: Seed and size of the course's dataset.
SEED = 20240602
N_PEOPLE = 2000
#: First and last day of the order history; "today" for ages and overdue lists.
START = "2022-01-01"
END = "2023-12-31"
REFERENCE_DATE = "2024-01-01"

#: The five raw sources, in the order the pipeline reads them.
SOURCES: tuple[str, ...] = (
    "crm_export",
    "web_registrations",
    "warranty_cards",
    "service_tickets",
    "order_lines",
)
#: The sources whose rows describe a person (matched into customers).
CONTACT_SOURCES: tuple[str, ...] = SOURCES[:4]
SOURCE_FILES: dict[str, str] = {s: f"{s}.csv" for s in SOURCES}
SOURCE_COLUMNS: dict[str, list[str]] = {
    "crm_export": ["crm_id", "name", "phone", "email", "birth_date", "city", "created"],
    "web_registrations": [
        "account_id",
        "name",
        "email",
        "phone",
        "registered_at",
        "incentive",
        "marketing_consent",
    ],
    "warranty_cards": ["card_id", "name", "phone", "city", "product", "serial_number", "purchase_date"],
    "service_tickets": ["ticket_id", "contact", "opened_at", "category", "complaint", "summary", "resolved_at"],
    "order_lines": [
        "order_id",
        "line_no",
        "channel",
        "identifier",
        "order_date",
        "category",
        "quantity",
        "unit_price",
    ],
}
#: Column holding each source's row id (order lines use "order_id-line_no").
ROW_ID_COLUMN: dict[str, str | None] = {
    "crm_export": "crm_id",
    "web_registrations": "account_id",
    "warranty_cards": "card_id",
    "service_tickets": "ticket_id",
    "order_lines": None,
}

REGULAR_CATEGORIES: tuple[str, ...] = (
    "vegetables",
    "household",
    "personal_care",
    "pet_food",
    "baby_products",
    "analgesics",
)
OCCASIONAL_CATEGORIES: tuple[str, ...] = ("snacks", "beverages")
ORDER_CATEGORIES: tuple[str, ...] = REGULAR_CATEGORIES + OCCASIONAL_CATEGORIES + ("appliances",)
TICKET_CATEGORIES: tuple[str, ...] = HOLES
INCENTIVES: tuple[str, ...] = ("none", "prize_draw", "points", "small_gift")

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

CITIES: tuple[str, ...] = (
    "Hangzhou",
    "Shanghai",
    "Beijing",
    "Guangzhou",
    "Shenzhen",
    "Nanjing",
    "Suzhou",
    "Ningbo",
    "Chengdu",
    "Wuhan",
)
CITY_SHARES = (0.24, 0.14, 0.10, 0.08, 0.08, 0.09, 0.08, 0.07, 0.06, 0.06)
CITY_NAMES_ZH: dict[str, str] = {
    "Hangzhou": "杭州",
    "Shanghai": "上海",
    "Beijing": "北京",
    "Guangzhou": "广州",
    "Shenzhen": "深圳",
    "Nanjing": "南京",
    "Suzhou": "苏州",
    "Ningbo": "宁波",
    "Chengdu": "成都",
    "Wuhan": "武汉",
}
AREA_CODES: dict[str, str] = {
    "Hangzhou": "0571",
    "Shanghai": "021",
    "Beijing": "010",
    "Guangzhou": "020",
    "Shenzhen": "0755",
    "Nanjing": "025",
    "Suzhou": "0512",
    "Ningbo": "0574",
    "Chengdu": "028",
    "Wuhan": "027",
}

# (pinyin, characters); listed from the most to the least frequent.
_SURNAMES = (
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"),
    ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"), ("Guo", "郭"), ("He", "何"), ("Gao", "高"),
    ("Lin", "林"), ("Luo", "罗"), ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"),
    ("Tang", "唐"), ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"),
)  # fmt: skip
_GIVEN = (
    ("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静"), ("Li", "丽"),
    ("Qiang", "强"), ("Lei", "磊"), ("Jun", "军"), ("Yang", "洋"), ("Yong", "勇"), ("Yan", "艳"),
    ("Jie", "杰"), ("Juan", "娟"), ("Tao", "涛"), ("Ming", "明"), ("Chao", "超"), ("Xiuying", "秀英"),
    ("Xia", "霞"), ("Ping", "平"), ("Gang", "刚"), ("Hui", "慧"), ("Jianhua", "建华"), ("Zhiqiang", "志强"),
    ("Xiaoling", "晓玲"), ("Haiyan", "海燕"), ("Yufei", "宇飞"), ("Zihan", "子涵"), ("Haoran", "浩然"),
    ("Yuxuan", "雨轩"), ("Shuang", "爽"), ("Dan", "丹"), ("Bo", "波"), ("Hong", "红"), ("Lan", "兰"),
    ("Kai", "凯"), ("Ting", "婷"), ("Peng", "鹏"), ("Xinyi", "欣怡"), ("Junjie", "俊杰"),
)  # fmt: skip
_WESTERN_GIVEN = (
    "Emma", "Olivia", "Sophie", "Anna", "Laura", "Maria", "Julia", "Clara",
    "James", "Daniel", "Thomas", "Lucas", "David", "Michael", "Peter", "Martin",
)  # fmt: skip
_WESTERN_SURNAMES = (
    "Smith", "Brown", "Taylor", "Clark", "Martin", "Garcia", "Rossi", "Novak",
    "Weber", "Dubois", "Jensen", "Kowalski", "Silva", "Murphy", "Walker", "Fischer",
)  # fmt: skip
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "186", "187",
    "188", "189", "199",
)  # fmt: skip
_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com", "gmail.com", "outlook.com", "foxmail.com")
_DOMAIN_SHARES = (0.28, 0.24, 0.12, 0.08, 0.12, 0.10, 0.06)

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

#: Defect reasons, shared with :mod:`coursekit.crm.database`.
DEFECT_REASONS: dict[str, str] = {
    "bad_date": "the text is not a valid calendar date in a supported format",
    "future_date": "the date lies after the reference date",
    "impossible_age": "the birth date gives an age below 0 or above 110 years",
    "phone_letters": "the phone number holds letters (O or l typed for 0 or 1?)",
    "bad_phone": "the phone number has the wrong number of digits",
    "bad_email": "the e-mail address is malformed",
    "missing_required": "a required field is empty",
    "bad_quantity": "the quantity is not a whole number >= 1",
    "bad_price": "the unit price is not a number > 0",
}
#: (source, field, reason) -> number of rows given that defect (for 2,000
#: people; scaled in proportion, at least 1, for other sizes).
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
_NS = "datetime64[ns]"


@dataclass(frozen=True)
class CrmData:
    """The raw source files of the customer database and their ground truth.

    Attributes
    ----------
    sources : dict of str to pandas.DataFrame
        The five raw files as text frames (every column a string, empty
        string for an empty field), keyed by :data:`SOURCES`, columns as in
        :data:`SOURCE_COLUMNS`.
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


# ----------------------------------------------------------------------------------------------
# small vectorised helpers
# ----------------------------------------------------------------------------------------------
def _s(values) -> pd.Series:
    """A pandas string Series with a RangeIndex."""
    return pd.Series(np.asarray(values, dtype=object), dtype="str").reset_index(drop=True)


def _zipf_pick(rng: np.random.Generator, k: int, n: int) -> np.ndarray:
    """Draw ``n`` codes 0..k-1 with weights proportional to 1 / (rank + 1)."""
    w = 1.0 / np.arange(1, k + 1)
    return rng.choice(k, size=n, p=w / w.sum())


def _select(choice: np.ndarray, variants: list[pd.Series]) -> pd.Series:
    """Row i takes ``variants[choice[i]][i]``."""
    out = variants[0].copy()
    for code, variant in enumerate(variants[1:], start=1):
        mask = choice == code
        if mask.any():
            out[mask] = variant[mask]
    return out


def _draw(rng: np.random.Generator, probs, n: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum())


def _days(start: str, offsets) -> np.ndarray:
    """Dates ``start`` + floor(offsets) days as datetime64[D]."""
    return np.datetime64(start, "D") + np.floor(np.asarray(offsets, dtype=float)).astype(np.int64)


def _fmt_date(dates: np.ndarray) -> pd.Series:
    """ISO dates as text."""
    return _s(np.datetime_as_string(np.asarray(dates, dtype="datetime64[D]"), unit="D"))


def _fmt_datetime(dates: np.ndarray, seconds: np.ndarray) -> pd.Series:
    """ISO date + time (``YYYY-MM-DD HH:MM:SS``) as text."""
    stamps = np.asarray(dates, dtype="datetime64[D]").astype("datetime64[s]") + seconds.astype(np.int64)
    return _s(np.char.replace(np.datetime_as_string(stamps, unit="s").astype(str), "T", " "))


# ----------------------------------------------------------------------------------------------
# people
# ----------------------------------------------------------------------------------------------
def _make_people(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """The true people: names, phones, e-mails, birth dates, cities."""
    script = _draw(rng, [0.62, 0.28, 0.10], n)  # 0 pinyin, 1 hanzi, 2 western
    sur = _zipf_pick(rng, len(_SURNAMES), n)
    giv = _zipf_pick(rng, len(_GIVEN), n)
    wgiv = rng.integers(0, len(_WESTERN_GIVEN), n)
    wsur = rng.integers(0, len(_WESTERN_SURNAMES), n)
    western = script == 2
    sur_latin = np.where(western, np.array(_WESTERN_SURNAMES)[wsur], np.array([s[0] for s in _SURNAMES])[sur])
    giv_latin = np.where(western, np.array(_WESTERN_GIVEN)[wgiv], np.array([g[0] for g in _GIVEN])[giv])
    sur_han = np.where(western, "", np.array([s[1] for s in _SURNAMES])[sur])
    giv_han = np.where(western, "", np.array([g[1] for g in _GIVEN])[giv])

    city = np.array(CITIES)[_draw(rng, CITY_SHARES, n)]

    # Unique mobile numbers (and older ones), unique 8-digit landline numbers.
    has_old = rng.random(n) < 0.05
    n_old = int(has_old.sum())
    suffix = rng.choice(10**8, size=n + n_old, replace=False)
    prefix = np.array(_MOBILE_PREFIXES)[rng.integers(0, len(_MOBILE_PREFIXES), n + n_old)]
    mobiles = np.char.add(prefix, np.char.zfill(suffix.astype(str), 8))
    mobile = mobiles[:n]
    old_phone = np.full(n, "", dtype=object)
    old_phone[has_old] = mobiles[n:]
    has_land = rng.random(n) < 0.25
    land_numbers = 20_000_000 + rng.choice(70_000_000, size=n, replace=False)
    area = np.array([AREA_CODES[c] for c in city])
    landline = np.where(has_land, np.char.add(area, land_numbers.astype(str)), "").astype(object)

    # Households: 5 % of people share the landline (and city) of someone else.
    owners = np.flatnonzero(has_land)
    household_of = np.full(n, -1)
    candidates = np.flatnonzero(~has_land)
    k = min(int(round(0.05 * n)), owners.size, candidates.size)
    if k:
        members = rng.choice(candidates, size=k, replace=False)
        heads = rng.choice(owners, size=k, replace=False)
        household_of[members] = heads
        landline[members] = landline[heads]
        city[members] = city[heads]
        same_surname = western[members] & western[heads]
        sur_latin[members[same_surname]] = sur_latin[heads[same_surname]]

    # E-mail: one per person, unique.
    yy = np.char.zfill((rng.integers(0, 100, n)).astype(str), 2)
    lg, ls = np.char.lower(giv_latin.astype(str)), np.char.lower(sur_latin.astype(str))
    pattern = _draw(rng, [0.35, 0.3, 0.15, 0.2], n)
    local = _select(
        pattern,
        [
            _s(np.char.add(np.char.add(np.char.add(lg, "."), ls), yy)),
            _s(np.char.add(np.char.add(ls, lg), yy)),
            _s(np.char.add(np.char.add(lg, "_"), ls)),
            _s(rng.integers(100_000, 3_000_000_000, n).astype(str)),
        ],
    )
    domain = np.array(_DOMAINS)[_draw(rng, _DOMAIN_SHARES, n)]
    domain = np.where(pattern == 3, "qq.com", domain)
    email = local + "@" + _s(domain)
    repeat = email.groupby(email).cumcount().to_numpy()
    email = _select((repeat > 0).astype(int), [email, local + _s(np.char.add("x", repeat.astype(str))) + "@" + _s(domain)])
    if email.duplicated().any():  # pragma: no cover - guarded by construction
        raise RuntimeError("generated e-mail addresses are not unique")

    birth = _days("1946-01-01", rng.integers(0, (np.datetime64("2004-12-31") - np.datetime64("1946-01-01")).astype(int), n))

    name = np.where(
        script == 1,
        np.char.add(sur_han.astype(str), giv_han.astype(str)),
        np.char.add(np.char.add(giv_latin.astype(str), " "), sur_latin.astype(str)),
    )
    person_id = _ids("P", n, 4)
    return pd.DataFrame(
        {
            "person_id": person_id,
            "name": name,
            "script": np.array(["pinyin", "hanzi", "western"])[script],
            "given": giv_latin,
            "surname": sur_latin,
            "given_han": giv_han,
            "surname_han": sur_han,
            "phone": mobile,
            "landline": landline,
            "old_phone": old_phone,
            "email": email.to_numpy(dtype=object),
            "birth_date": birth,
            "city": city,
            "household_of": np.where(household_of >= 0, person_id[np.maximum(household_of, 0)], ""),
        }
    )


# ----------------------------------------------------------------------------------------------
# rendering of fields
# ----------------------------------------------------------------------------------------------
def _typo(words: pd.Series, rng: np.random.Generator) -> pd.Series:
    """One handwriting slip per word: swap two letters, drop one or double one."""
    n = len(words)
    op = rng.integers(0, 3, n)
    u = rng.random(n)
    out = []
    for w, o, r in zip(words.tolist(), op, u):  # a few hundred short words
        if len(w) < 3:
            out.append(w + w[-1])
            continue
        i = 1 + int(r * (len(w) - 2))  # never the first letter
        if o == 0:
            out.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])
        elif o == 1:
            out.append(w[:i] + w[i + 1 :])
        else:
            out.append(w[: i + 1] + w[i] + w[i + 1 :])
    return _s(out)


def _render_names(
    pp: pd.DataFrame,
    rng: np.random.Generator,
    styles,
    *,
    pinyin_rate: float,
    typo_rate: float = 0.0,
) -> pd.Series:
    """Names as a source writes them.

    ``styles`` are the probabilities of: "Given Surname", "given surname",
    "GIVEN SURNAME", "Surname, Given", "SURNAME, Given", "  Given   Surname ",
    "Surname Given" (the last only for Chinese names).
    """
    n = len(pp)
    given = _s(pp["given"])
    surname = _s(pp["surname"])
    typo = rng.random(n) < typo_rate
    if typo.any():
        given[typo] = _typo(given[typo], rng).to_numpy()
    style = _draw(rng, styles, n)
    chinese = (pp["script"] != "western").to_numpy()
    style = np.where((style == 6) & ~chinese, 0, style)
    latin = _select(
        style,
        [
            given + " " + surname,
            (given + " " + surname).str.lower(),
            (given + " " + surname).str.upper(),
            surname + ", " + given,
            surname.str.upper() + ", " + given,
            "  " + given + "   " + surname + " ",
            surname + " " + given,
        ],
    )
    han_style = _draw(rng, [0.8, 0.1, 0.1], n)
    han_full = _s(pp["surname_han"]) + _s(pp["given_han"])
    han = _select(han_style, [han_full, " " + han_full + " ", _s(pp["surname_han"]) + " " + _s(pp["given_han"])])
    written_han = (pp["script"] == "hanzi").to_numpy() & (rng.random(n) >= pinyin_rate)
    return _select(written_han.astype(int), [latin, han])


def _render_mobile(digits: pd.Series, style: np.ndarray) -> pd.Series:
    a, b, c = digits.str.slice(0, 3), digits.str.slice(3, 7), digits.str.slice(7)
    return _select(
        style,
        [
            digits,
            "+86 " + a + "-" + b + "-" + c,
            a + " " + b + " " + c,
            "+86" + digits,
            "0086 " + a + " " + b + " " + c,
            a + "-" + b + "-" + c,
        ],
    )


def _render_landline(digits: pd.Series, style: np.ndarray) -> pd.Series:
    n = digits.str.len()
    area = _select((n == 11).astype(int), [digits.str.slice(0, 4), digits.str.slice(0, 3)])
    number = _select((n == 11).astype(int), [digits.str.slice(4), digits.str.slice(3)])
    n1, n2 = number.str.slice(0, 4), number.str.slice(4)
    return _select(
        style,
        [
            "(" + area + ") " + n1 + " " + n2,
            area + "-" + number,
            "+86 " + area.str.slice(1) + " " + n1 + " " + n2,
            digits,
        ],
    )


def _render_phones(digits: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Mobile (11 digits, leading 1) or landline (leading 0) numbers in mixed formats."""
    n = len(digits)
    mobile_style = _draw(rng, [0.40, 0.15, 0.15, 0.10, 0.05, 0.15], n)
    land_style = _draw(rng, [0.35, 0.35, 0.10, 0.20], n)
    is_land = digits.str.startswith("0").to_numpy()
    out = _select(is_land.astype(int), [_render_mobile(digits, mobile_style), _render_landline(digits, land_style)])
    out[(digits == "").to_numpy()] = ""
    return out


def _wrong_digit(digits: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Replace one digit (not among the first three) by another digit."""
    n = len(digits)
    pos = 3 + (rng.random(n) * (digits.str.len().to_numpy() - 3)).astype(int)
    shift = rng.integers(1, 10, n)
    chars = [list(d) for d in digits.tolist()]
    for ch, p, s in zip(chars, pos, shift):
        ch[p] = str((int(ch[p]) + s) % 10)
    return _s(["".join(ch) for ch in chars])


def _render_emails(email: pd.Series, rng: np.random.Generator, probs=(0.6, 0.15, 0.1, 0.15)) -> pd.Series:
    """E-mails as typed: as is, capitalised, upper case, with stray spaces."""
    style = _draw(rng, probs, len(email))
    return _select(
        style,
        [email, email.str.slice(0, 1).str.upper() + email.str.slice(1), email.str.upper(), " " + email + "  "],
    )


def _render_dates(dates: np.ndarray, rng: np.random.Generator, probs) -> pd.Series:
    """Hand-written dates: 1985-03-02, 02/03/1985 (day first), 1985.3.2, 1985年3月2日."""
    iso = _fmt_date(dates)
    y, m, d = iso.str.slice(0, 4), iso.str.slice(5, 7), iso.str.slice(8, 10)
    m1, d1 = m.str.lstrip("0"), d.str.lstrip("0")
    style = _draw(rng, probs, len(iso))
    return _select(style, [iso, d + "/" + m + "/" + y, y + "." + m1 + "." + d1, y + "年" + m1 + "月" + d1 + "日"])


def _render_cities(city: pd.Series, rng: np.random.Generator, probs=(0.6, 0.1, 0.1, 0.15, 0.05)) -> pd.Series:
    style = _draw(rng, probs, len(city))
    return _select(style, [city, city.str.lower(), city.str.upper(), city.map(CITY_NAMES_ZH), " " + city + " "])


def _blank(values: pd.Series, keep_probability: float, rng: np.random.Generator) -> pd.Series:
    out = values.copy()
    out[rng.random(len(values)) >= keep_probability] = ""
    return out


def _choose_phone(pp: pd.DataFrame, rng: np.random.Generator, *, landline: float, old: float) -> pd.Series:
    """The number a record holds: mobile, or the landline / older mobile with some probability."""
    n = len(pp)
    land = _s(pp["landline"])
    oldp = _s(pp["old_phone"])
    use_land = (land != "").to_numpy() & (rng.random(n) < landline)
    use_old = (oldp != "").to_numpy() & (rng.random(n) < old) & ~use_land
    return _select(use_land.astype(int) + 2 * use_old.astype(int), [_s(pp["phone"]), land, oldp])


# ----------------------------------------------------------------------------------------------
# contact records of each source (shared by make_crm and make_contacts)
# ----------------------------------------------------------------------------------------------
def _crm_fields(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    phone = _blank(_render_phones(_choose_phone(pp, rng, landline=0.15, old=0.5), rng), 0.95, rng)
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.30, 0.10, 0.10, 0.20, 0.10, 0.10, 0.10], pinyin_rate=0.1),
            "phone": phone,
            "email": _blank(_render_emails(_s(pp["email"]), rng), 0.8, rng),
            "birth_date": _blank(_render_dates(pp["birth_date"].to_numpy(), rng, [0.45, 0.25, 0.2, 0.1]), 0.8, rng),
            "city": _blank(_render_cities(_s(pp["city"]), rng), 0.9, rng),
        }
    )


def _web_fields(pp: pd.DataFrame, second: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    email = _s(pp["email"])
    if second.any():  # a second account needs another address
        local = email.str.split("@").str[0]
        other = np.array(_DOMAINS)[rng.integers(0, len(_DOMAINS), len(pp))]
        alt = local + "." + _s(pp.index.to_numpy().astype(str)) + "@" + _s(other)
        email = _select(second.astype(int), [email, alt])
    phone = _render_phones(_choose_phone(pp, rng, landline=0.0, old=0.0), rng)  # verified by SMS
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.45, 0.35, 0.05, 0.0, 0.0, 0.05, 0.10], pinyin_rate=0.4),
            "email": _render_emails(email, rng, (0.7, 0.15, 0.05, 0.10)),
            "phone": phone,
        }
    )


def _warranty_fields(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    digits = _choose_phone(pp, rng, landline=0.1, old=0.3)
    slip = rng.random(len(pp)) < 0.03
    if slip.any():
        digits[slip] = _wrong_digit(digits[slip], rng).to_numpy()
    return pd.DataFrame(
        {
            "name": _render_names(pp, rng, [0.05, 0.0, 0.75, 0.0, 0.15, 0.05, 0.0], pinyin_rate=0.2, typo_rate=0.2),
            "phone": _blank(_render_phones(digits, rng), 0.95, rng),
            "city": _render_cities(_s(pp["city"]), rng, (0.5, 0.05, 0.25, 0.15, 0.05)),
        }
    )


def _ticket_contacts(pp: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    by_email = rng.random(len(pp)) < 0.3
    phone = _render_phones(_choose_phone(pp, rng, landline=0.1, old=0.0), rng)
    email = _render_emails(_s(pp["email"]), rng)
    return pd.DataFrame(
        {
            "contact": _select(by_email.astype(int), [phone, email]),
            "phone": _select(by_email.astype(int), [phone, _s(np.full(len(pp), ""))]),
            "email": _select(by_email.astype(int), [_s(np.full(len(pp), "")), email]),
        }
    )


# ----------------------------------------------------------------------------------------------
# the course's dataset
# ----------------------------------------------------------------------------------------------
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
    seed = check_positive_int("seed", seed, allow_zero=True)
    streams = np.random.SeedSequence(seed).spawn(10)
    (r_people, r_presence, r_orders, r_appl, r_tickets, r_crm, r_web, r_card, r_defect, r_qty) = (
        np.random.default_rng(s) for s in streams
    )
    people = _make_people(n_people, r_people)
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
    cats[:, ix["household"]] = u[:, ix["household"]] < np.where(cats[:, ix["pet_food"]], 0.85, CATEGORY_PROBABILITY["household"])
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
            "start": _days(START, w_start),
            "end": _days(START, w_end),
        }
    )

    # --- appliances: purchases, own-channel order lines, warranty cards ----------------------------
    n_appl = r_appl.poisson(0.55, n)
    appl_person = np.repeat(np.arange(n), n_appl)
    appl_date = _days("2020-01-01", r_appl.integers(0, (np.datetime64("2023-12-20") - np.datetime64("2020-01-01")).astype(int), appl_person.size))
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
    tk_cat = _draw(r_tickets, [0.12, 0.20, 0.20, 0.10, 0.25, 0.13], tk_person.size)
    pre = np.flatnonzero(churned & (r_tickets.random(n) < 0.5))
    pre_day = np.maximum(churn_day[pre] - r_tickets.integers(5, 41, pre.size), 0)
    pre_cat = _draw(r_tickets, [0.3, 0.15, 0.3, 0.1, 0.1, 0.05], pre.size)
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
    appl_date = np.concatenate([appl_date, _days("2020-01-01", r_appl.integers(0, 1400, lonely.size))])
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
    crm_id = _ids("C", crm_person.size, 5)
    crm = _crm_fields(people.iloc[crm_person].reset_index(drop=True), r_crm)
    crm.insert(0, "crm_id", crm_id)
    crm["created"] = _fmt_date(_days(START, created))

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
    web_person, web_second, reg, reg_sec = web_person[order_web], web_second[order_web], reg[order_web], reg_sec[order_web]
    web = _web_fields(people.iloc[web_person].reset_index(drop=True), web_second, r_web)
    account_id = _ids("W", web_person.size, 5)
    web.insert(0, "account_id", account_id)
    web["registered_at"] = _fmt_datetime(_days(START, reg), reg_sec)
    incentive = np.where(
        web_orders[web_person],
        _draw(r_web, [0.35, 0.2, 0.3, 0.15], web_person.size),
        _draw(r_web, [0.15, 0.5, 0.2, 0.15], web_person.size),
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
    everyday = ev[ev["kind"] == 0].groupby(["order", "cat"], as_index=False).agg(
        p=("p", "first"), store=("store", "first"), ident=("ident", "first"), day=("day", "first"), n=("p", "size")
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
    month = ((_days(START, lines["day"]).astype("datetime64[M]") - np.datetime64(START, "M")).astype(int))
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

    order_ids = _ids("O", n_orders, 6)
    ident = lines["ident"].to_numpy()
    lp = lines["p"].to_numpy()
    identifier = np.where(
        ident >= 100_000,
        account_id[np.clip(ident - 100_000, 0, account_id.size - 1)],
        np.where(ident >= 0, crm_id[np.clip(ident, 0, crm_id.size - 1)], ""),
    ).astype(object)
    guest_rows = ident == -2
    if guest_rows.any():
        identifier[guest_rows] = _render_emails(_s(people["email"].to_numpy()[lp[guest_rows]]), rng, (0.8, 0.1, 0.05, 0.05)).to_numpy()
    order_lines = pd.DataFrame(
        {
            "order_id": order_ids[order_code],
            "line_no": lines["line_no"].astype(str).to_numpy(),
            "channel": np.where(lines["store"].to_numpy(), "store", "web"),
            "identifier": identifier,
            "order_date": _fmt_date(_days(START, lines["day"])).to_numpy(),
            "category": np.array(ORDER_CATEGORIES)[cat_arr],
            "quantity": quantity.astype(str),
            "unit_price": _float_text(price, 2),
        }
    )
    order_person = pd.DataFrame({"order_id": order_ids[order_code], "person_id": people["person_id"].to_numpy()[lp]})
    order_person = order_person.drop_duplicates("order_id").reset_index(drop=True)

    # --- warranty cards ----------------------------------------------------------------------------------
    c_sel = np.flatnonzero(card)
    c_order = np.lexsort((appl_person[c_sel], appl_date[c_sel]))
    c_sel = c_sel[c_order]
    card_person = appl_person[c_sel]
    cards = _warranty_fields(people.iloc[card_person].reset_index(drop=True), r_card)
    card_id = _ids("WC", c_sel.size, 5)
    cards.insert(0, "card_id", card_id)
    codes = np.array([v[0] for v in PRODUCTS.values()])
    product = appl_product[c_sel]
    yymm = pd.Series(appl_date[c_sel].astype("datetime64[D]")).dt.strftime("%y%m").to_numpy(dtype=str)
    serial_no = r_card.choice(10**6, size=c_sel.size, replace=False)
    cards["product"] = np.array(list(PRODUCTS))[product]
    cards["serial_number"] = _s(np.char.add(np.char.add(np.char.add(codes[product], yymm), "-"), np.char.zfill(serial_no.astype(str), 6)))
    cards["purchase_date"] = _render_dates(appl_date[c_sel], r_card, [0.45, 0.25, 0.15, 0.15])

    # --- service tickets ------------------------------------------------------------------------------------
    tk_sec = r_tickets.integers(8 * 3600, 20 * 3600, tk_person.size)
    t_order = np.lexsort((tk_person, tk_sec, tk_day))
    tk_person, tk_day, tk_cat, tk_complaint, tk_sec = (a[t_order] for a in (tk_person, tk_day, tk_cat, tk_complaint, tk_sec))
    contacts = _ticket_contacts(people.iloc[tk_person].reset_index(drop=True), r_tickets)
    which = r_tickets.integers(0, 2, tk_person.size)
    summary = [_SUMMARIES[(HOLES[c], bool(k))][w] for c, k, w in zip(tk_cat, tk_complaint, which)]
    open_at = _days(START, tk_day).astype("datetime64[s]") + tk_sec.astype(np.int64)
    duration = np.round(r_tickets.gamma(2.0, 36.0, tk_person.size) * 3600).astype(np.int64)  # seconds
    resolved_at = open_at + duration
    still_open = (r_tickets.random(tk_person.size) < 0.15) | (resolved_at > np.datetime64(END + "T23:59:59"))
    res_text = np.char.replace(np.datetime_as_string(resolved_at, unit="s").astype(str), "T", " ")
    tickets = pd.DataFrame(
        {
            "ticket_id": _ids("T", tk_person.size, 5),
            "contact": contacts["contact"].to_numpy(),
            "opened_at": np.char.replace(np.datetime_as_string(open_at, unit="s").astype(str), "T", " "),
            "category": np.array(HOLES)[tk_cat],
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
            pd.DataFrame({"source": "service_tickets", "source_row_id": tickets["ticket_id"], "person_id": pid[tk_person]}),
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

    churn_dates = np.where(churned, _fmt_date(_days(START, churn_day)).to_numpy(), "")
    people_out = pd.DataFrame(
        {
            "person_id": pid,
            "name": people["name"],
            "script": people["script"],
            "phone": people["phone"],
            "landline": people["landline"],
            "old_phone": people["old_phone"],
            "email": people["email"],
            "birth_date": _fmt_date(people["birth_date"].to_numpy()),
            "city": people["city"],
            "household_of": people["household_of"],
            "churn_date": churn_dates,
        }
    )
    events = pd.DataFrame(
        {"person_id": pid[preg], "event": "pregnancy", "start": _days(START, preg_start), "end": _days(START, preg_end)}
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
        return _s(np.full(k, ""))
    if reason == "bad_date":
        if field in ("registered_at",):
            return _s(np.full(k, "0000-00-00 00:00:00"))
        bad = np.array(["1985-13-02", "30/02/1990", "1988.14.3", "n/a", "0000-00-00", "31.31.1979", "?"])
        if field == "order_date":
            bad = np.array(["2023-02-30", "2022-13-01", "2023-04-31"])
        if field == "created":
            bad = np.array(["2021-02-30", "2019-00-10", "unknown"])
        if field == "purchase_date":
            bad = np.array(["2023-13-01", "32/01/2022", "2021.2.30", "2022年13月5日", "see receipt"])
        return _s(bad[pick % bad.size])
    if reason == "future_date":
        years = 2031 + pick % 5
        return _s(np.char.add(years.astype(str), "-06-01"))
    if reason == "impossible_age":
        bad = np.array(["1899-01-01", "1900-05-05", "1890.7.4", "2031-05-04", "15/08/2035", "1850-01-01"])
        return _s(bad[pick % bad.size])
    if reason == "phone_letters":
        text = values.copy()
        has_zero = text.str.slice(3).str.contains("0").to_numpy()
        head, tail = text.str.slice(0, 3), text.str.slice(3)
        zero = head + tail.str.replace("0", "O", n=1, regex=False)
        one = head + tail.str.replace("1", "l", n=1, regex=False)
        out = _select(has_zero.astype(int), [one, zero])
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
        return _select(pick % 4, variants)
    if reason == "bad_quantity":
        bad = np.array(["0", "-1", "1.5", "two"])
        return _s(bad[pick % bad.size])
    if reason == "bad_price":
        bad = np.array(["-4.50", "0.00", "12,5O"])
        return _s(bad[pick % bad.size])
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
            frame.iloc[chosen, column] = _corrupt(source, field, reason, frame.iloc[chosen, column].reset_index(drop=True), rng).to_numpy()
            rows.append(pd.DataFrame({"source": source, "source_row_id": ids[chosen], "field": field, "defect": reason}))
    defects = pd.concat(rows, ignore_index=True)
    rank = {s: i for i, s in enumerate(SOURCES)}
    defects["_s"] = defects["source"].map(rank)
    defects = defects.sort_values(["_s", "source_row_id", "field"], kind="stable").drop(columns="_s")
    return defects.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# scalable contact records (benchmark of matching)
# ----------------------------------------------------------------------------------------------
def make_contacts(n: int = 100_000, seed: int = SEED) -> pd.DataFrame:
    """Generate ``n`` messy contact records of about ``n / 2.5`` people.

    The records are drawn from the same people and renderers as the course's
    files (same name pool, phone and e-mail formats, typos), without
    deliberate defects, in one unified layout.  They serve to measure how
    matching scales (:func:`coursekit.crm.database.clean_contacts` then
    :func:`coursekit.crm.database.match`).  Each person has 1 + Poisson(1.5)
    records; each record comes from a CRM file (35 %), a web account (20 %),
    a warranty card (20 %) or a service ticket (25 %).

    Parameters
    ----------
    n : int, default 100000
        Number of records (a whole number >= 1).
    seed : int, default 20240602
        Seed of the random number generator (a whole number >= 0).

    Returns
    -------
    pandas.DataFrame
        ``n`` rows with text columns ``source``, ``source_row_id``,
        ``person_id`` (the truth), ``name``, ``phone``, ``email``,
        ``birth_date``, ``city`` (empty string where a source has no such
        field or left it empty).

    References
    ----------
    .. [1] P. Christen, "A survey of indexing techniques for scalable record
       linkage and deduplication", IEEE Transactions on Knowledge and Data
       Engineering 24(9), 1537-1555, 2012.

    Examples
    --------
    >>> sample = make_contacts(1000, seed=3)
    >>> sample.shape
    (1000, 8)
    >>> sample["source"].value_counts().index.tolist()[:1]
    ['crm_export']
    """
    n = check_positive_int("n", n)
    seed = check_positive_int("seed", seed, allow_zero=True)
    rng_people, rng_rec = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    n_people = max(1, int(np.ceil(n / 2.5)))
    people = _make_people(n_people, rng_people)
    per_person = 1 + rng_rec.poisson(1.5, n_people)
    person = np.repeat(np.arange(n_people), per_person)
    if person.size < n:
        person = np.concatenate([person, rng_rec.integers(0, n_people, n - person.size)])
    person = rng_rec.permutation(person)[:n]
    source = _draw(rng_rec, [0.35, 0.2, 0.2, 0.25], n)
    empty = _s(np.full(n, ""))
    out = pd.DataFrame(
        {
            "source": np.array(CONTACT_SOURCES)[source],
            "source_row_id": "",
            "person_id": people["person_id"].to_numpy()[person],
            "name": empty,
            "phone": empty,
            "email": empty,
            "birth_date": empty,
            "city": empty,
        }
    )
    for code, src in enumerate(CONTACT_SOURCES):
        rows = np.flatnonzero(source == code)
        if rows.size == 0:
            continue
        pp = people.iloc[person[rows]].reset_index(drop=True)
        if src == "crm_export":
            fields = _crm_fields(pp, rng_rec)
        elif src == "web_registrations":
            fields = _web_fields(pp, np.zeros(rows.size, dtype=bool), rng_rec)
        elif src == "warranty_cards":
            fields = _warranty_fields(pp, rng_rec)
        else:
            fields = _ticket_contacts(pp, rng_rec)[["phone", "email"]]
        for column in fields.columns:
            out.iloc[rows, out.columns.get_loc(column)] = fields[column].to_numpy()
        prefix = {"crm_export": "C", "web_registrations": "W", "warranty_cards": "WC", "service_tickets": "T"}[src]
        out.iloc[rows, out.columns.get_loc("source_row_id")] = _ids(prefix, rows.size, 6)
    return out.astype(str)


# ----------------------------------------------------------------------------------------------
# writing and loading
# ----------------------------------------------------------------------------------------------
_ANSWER_FILES = ("identity.csv", "people.csv", "defects.csv", "orders.csv", "cycles.csv", "events.csv", "factors.csv")


def write_crm(directory, data: CrmData | None = None) -> list[Path]:
    """Write the raw source files into ``directory/crm/`` and the answers into ``crm/answers/``.

    Every column is text formatted by the generator, so the bytes depend only
    on the data (UTF-8, ``\\n`` line ends, RFC 4180 quoting).

    Parameters
    ----------
    directory : str or pathlib.Path
        The datasets folder; ``crm/`` and ``crm/answers/`` are created in it.
    data : CrmData, optional
        What to write; by default the course's dataset, :func:`make_crm`.

    Returns
    -------
    list of pathlib.Path
        The five source files (in :data:`SOURCES` order), then the seven
        answer files.

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
    directory = _check_directory("directory", directory)
    if data is None:
        data = make_crm()
    elif not isinstance(data, CrmData):
        raise TypeError(f"data must be a CrmData or None, got {type(data).__name__}")
    folder = directory / "crm"
    answers = folder / "answers"
    answers.mkdir(parents=True, exist_ok=True)
    paths = [_write_csv(data.sources[s], folder / SOURCE_FILES[s]) for s in SOURCES]
    cycles = data.cycles.copy()
    cycles["mean_interval_days"] = _float_text(cycles["mean_interval_days"], 1)
    for column in ("start", "end"):
        cycles[column] = _fmt_date(cycles[column].to_numpy()).to_numpy()
    events = data.events.copy()
    for column in ("start", "end"):
        events[column] = _fmt_date(events[column].to_numpy()).to_numpy()
    factors = data.factors.assign(factor=_float_text(data.factors["factor"], 4))
    frames = [data.identity, data.people, data.defects, data.orders, cycles, events, factors]
    paths += [_write_csv(frame.astype(str), answers / name) for frame, name in zip(frames, _ANSWER_FILES)]
    return paths


def crm_dir(directory=None) -> Path:
    """Return the folder of the raw CRM files.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.data.loaders.data_dir`), or the ``crm`` folder itself.

    Returns
    -------
    pathlib.Path
        An existing folder that holds ``crm_export.csv``.

    Raises
    ------
    FileNotFoundError
        If no such folder exists; the message says how to regenerate it.

    References
    ----------
    .. [1] Python Software Foundation, "pathlib -- Object-oriented filesystem
       paths", The Python Standard Library documentation.

    Examples
    --------
    >>> crm_dir().name
    'crm'
    """
    from coursekit.data.loaders import data_dir

    if directory is None:
        base = data_dir()
    elif isinstance(directory, (str, Path)) and str(directory) != "":
        base = Path(directory)
    else:
        raise TypeError(
            f"directory must be None or a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}"
        )
    for folder in (base / "crm", base):
        if (folder / SOURCE_FILES["crm_export"]).is_file():
            return folder
    raise FileNotFoundError(
        f"no CRM source files in {str(base)!r} or {str(base / 'crm')!r}; regenerate them with "
        "`python -m coursekit.data.crm_sources datasets` (or `make data`) in the repository"
    )


@functools.lru_cache(maxsize=32)
def _read_text(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def _read_answer(directory, name: str, columns: list[str]) -> pd.DataFrame:
    path = crm_dir(directory) / "answers" / name
    if not path.is_file():
        raise FileNotFoundError(f"the answer file {str(path)!r} does not exist; regenerate with `make data`")
    stat = path.stat()
    frame = _read_text(str(path), stat.st_mtime_ns, stat.st_size).copy()
    if frame.columns.tolist() != columns:
        raise ValueError(f"{name} must have the columns {columns}, got {frame.columns.tolist()}")
    return frame.astype("str")


def _dates(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.replace("", None), format="%Y-%m-%d").astype(_NS)


def load_crm_identity(directory=None) -> pd.DataFrame:
    """Load the true identity of every contact row (``answers/identity.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``source`` (str, one of :data:`CONTACT_SOURCES`), ``source_row_id``
        (str), ``person_id`` (str).

    References
    ----------
    .. [1] I. P. Fellegi and A. B. Sunter, "A theory for record linkage",
       Journal of the American Statistical Association 64(328), 1183-1210,
       1969.

    Examples
    --------
    >>> identity = load_crm_identity()
    >>> identity.groupby("source", sort=False).size()
    source
    crm_export           1512
    web_registrations     956
    warranty_cards        938
    service_tickets      1157
    dtype: int64
    >>> int(identity["person_id"].nunique())
    2000
    """
    return _read_answer(directory, "identity.csv", ["source", "source_row_id", "person_id"])


def load_crm_people(directory=None) -> pd.DataFrame:
    """Load the true people behind the records (``answers/people.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``person_id``, ``name`` (canonical: "Given Surname" or characters),
        ``script`` (pinyin / hanzi / western), ``phone`` (11-digit mobile),
        ``landline``, ``old_phone``, ``email`` (str, empty when none),
        ``birth_date`` (datetime64[ns]), ``city``, ``household_of`` (str),
        ``churn_date`` (datetime64[ns], NaT if the person did not churn).

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the
       ACM 64(12), 86-92, 2021.

    Examples
    --------
    >>> people = load_crm_people()
    >>> len(people), int(people["churn_date"].notna().sum())
    (2000, 468)
    """
    frame = _read_answer(
        directory,
        "people.csv",
        [
            "person_id",
            "name",
            "script",
            "phone",
            "landline",
            "old_phone",
            "email",
            "birth_date",
            "city",
            "household_of",
            "churn_date",
        ],
    )
    frame["birth_date"] = _dates(frame["birth_date"])
    frame["churn_date"] = _dates(frame["churn_date"])
    return frame


def load_crm_defects(directory=None) -> pd.DataFrame:
    """Load the list of defects put into the source files (``answers/defects.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``source_row_id``, ``field``, ``defect`` (one of
        :data:`DEFECT_REASONS`), all str.

    References
    ----------
    .. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality
       means to data consumers", Journal of Management Information Systems
       12(4), 5-33, 1996.

    Examples
    --------
    >>> defects = load_crm_defects()
    >>> len(defects) == sum(DEFECT_PLAN.values())
    True
    """
    return _read_answer(directory, "defects.csv", ["source", "source_row_id", "field", "defect"])


def load_crm_orders(directory=None) -> pd.DataFrame:
    """Load the true person of every order (``answers/orders.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``order_id``, ``person_id`` (str).

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the
       ACM 64(12), 86-92, 2021.

    Examples
    --------
    >>> load_crm_orders().columns.tolist()
    ['order_id', 'person_id']
    """
    return _read_answer(directory, "orders.csv", ["order_id", "person_id"])


def load_crm_cycles(directory=None) -> pd.DataFrame:
    """Load the true purchase rhythms (``answers/cycles.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``person_id`` (str), ``category`` (str), ``mean_interval_days``
        (float, days), ``start`` and ``end`` (datetime64[ns], the window
        [start, end) in which the rhythm runs; ``end`` is the churn date or
        the day after the history ends).

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> cycles = load_crm_cycles()
    >>> float(cycles["mean_interval_days"].min()) >= 9.0
    True
    """
    frame = _read_answer(directory, "cycles.csv", ["person_id", "category", "mean_interval_days", "start", "end"])
    frame["mean_interval_days"] = frame["mean_interval_days"].astype(float)
    frame["start"] = _dates(frame["start"])
    frame["end"] = _dates(frame["end"])
    return frame


def load_crm_events(directory=None) -> pd.DataFrame:
    """Load the pregnancies that pause personal-care purchases (``answers/events.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``person_id``, ``event`` (str), ``start``, ``end`` (datetime64[ns]).

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the
       ACM 64(12), 86-92, 2021.

    Examples
    --------
    >>> load_crm_events()["event"].unique().tolist()
    ['pregnancy']
    """
    frame = _read_answer(directory, "events.csv", ["person_id", "event", "start", "end"])
    frame["start"] = _dates(frame["start"])
    frame["end"] = _dates(frame["end"])
    return frame


def load_crm_factors(directory=None) -> pd.DataFrame:
    """Load the monthly demand factors of the categories (``answers/factors.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.data.loaders.data_dir`).

    Returns
    -------
    pandas.DataFrame
        ``month`` (str, ``YYYY-MM``), ``category`` (str), ``factor`` (float,
        multiplies the category's base quantity :math:`q_c`).

    References
    ----------
    .. [1] G. E. P. Box and G. M. Jenkins, *Time Series Analysis:
       Forecasting and Control*, Holden-Day, 1970.

    Examples
    --------
    >>> f = load_crm_factors().pivot(index="month", columns="category", values="factor")
    >>> bool((f["pet_food"] == f["household"]).all())
    True
    """
    frame = _read_answer(directory, "factors.csv", ["month", "category", "factor"])
    frame["factor"] = frame["factor"].astype(float)
    return frame


def main(argv=None) -> int:
    """Command line: ``python -m coursekit.data.crm_sources [DIRECTORY]`` writes ``DIRECTORY/crm/``."""
    from coursekit.data.transactions import write_command

    return write_command(
        argv, prog="python -m coursekit.data.crm_sources",
        description="Regenerate the raw CRM source files and their answers (byte-for-byte reproducible).",
        writers=[write_crm],
    )


if __name__ == "__main__":
    sys.exit(main())
