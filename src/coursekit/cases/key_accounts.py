r"""Case 7 -- *Six key accounts* (reading R4).

Serves the case notebook ``cases/07_six_key_accounts.ipynb``.  It holds:

* the key-accounts dataset: the key-account book of an Australian telecom, with the reading's
  six largest accounts -- :func:`make_key_accounts` (the documented generative model),
  :func:`write_key_accounts` (files ``key_accounts.csv``, ``key_accounts_contacts.csv``,
  ``key_accounts_truth.csv``, declared as :class:`coursekit.tables.Table` specs) and the
  loaders :func:`load_key_accounts`, :func:`load_key_account_contacts`,
  :func:`load_key_accounts_truth`; its data card is ``datasets/cards/key_accounts.md``;
* the calculators: :func:`contact_summary` (what each account asked for and what it got) and
  :func:`account_switching_costs` (each account's switching cost with
  :func:`coursekit.models.switching.switching_cost`);
* the explorer :func:`key_account_explorer`, with its ``BENCH`` slider moves for
  ``make bench``.

``DATASETS`` maps the dataset's name to its writer.  Loaders read from the course's datasets
folder by default (:func:`coursekit.tables.data_dir`).

References
----------
.. [1] R.-S. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer wallet", Journal of
   Marketing 71(2), 94-113, 2007.
.. [2] T. O. Jones and W. E. Sasser Jr., "Why satisfied customers defect", Harvard Business
   Review 73(6), 88-99, 1995.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import expit

from coursekit import plotting
from coursekit._validate import check_frame, check_number, check_positive_int, check_scalar, check_seed
from coursekit.data.sampling import allocate, scale_round, streams
from coursekit.language import tr
from coursekit.models import switching as _switching
from coursekit.models.rfm import share_of_wallet
from coursekit.models.roi import annuity_factor
from coursekit.plotting import money_text
from coursekit.tables import Column, Table, write_tables
from coursekit.widgets import Explorer, float_slider, int_slider

__all__ = [
    "KEY_ACCOUNT_ROLES",
    "ROLE_LOYALTY_TYPE",
    "ROLE_NEED",
    "SATISFACTION_ITEMS",
    "ATTITUDE_ITEMS",
    "CONTACT_KINDS",
    "KEY_ACCOUNTS_SEED",
    "DEFAULT_N_ACCOUNTS",
    "VALUE_OF_TIME",
    "FY_START",
    "FY_DAYS",
    "STORY_ACCOUNTS",
    "ACCOUNTS_TABLE",
    "CONTACTS_TABLE",
    "TRUTH_TABLE",
    "ACCOUNT_COLUMNS",
    "CONTACT_COLUMNS",
    "KEY_TRUTH_COLUMNS",
    "KEY_ACCOUNTS_FILES",
    "KeyAccountsData",
    "make_key_accounts",
    "write_key_accounts",
    "load_key_accounts",
    "load_key_account_contacts",
    "load_key_accounts_truth",
    "contact_summary",
    "account_switching_costs",
    "key_account_explorer",
    "DATASETS",
    "BENCH",
]

#: Roles of the generative model (the truth): why an account behaves as it does.
KEY_ACCOUNT_ROLES = (
    "loyal_emotion",          # attached to the supplier (an advocate)
    "loyal_reasoned",         # compares and currently chooses the firm (a comparer)
    "loyal_inertia",          # does not want the bother of changing (a user)
    "slipping_unanswered",    # asked for new services and got no answer
    "slipping_salesperson",   # put off by a poor salesperson
    "shrinking",              # its own business shrinks: revenue falls, share of wallet does not
)

#: The attitude type behind each role (the types of :data:`coursekit.models.loyalty.LOYALTY_TYPES`).
ROLE_LOYALTY_TYPE = {
    "loyal_emotion": "advocate",
    "loyal_reasoned": "comparer",
    "loyal_inertia": "user",
    "slipping_unanswered": "comparer",
    "slipping_salesperson": "comparer",
    "shrinking": "user",
}

#: What each role needs from the account team (the truth file's ``need``).
ROLE_NEED = {
    "loyal_emotion": "keep the relationship",
    "loyal_reasoned": "stay the best value",
    "loyal_inertia": "add value before the barriers fall",
    "slipping_unanswered": "answer the new-service requests",
    "slipping_salesperson": "replace the account manager",
    "shrinking": "grow with the customer",
}

#: Satisfaction items of the key-account survey (1-7) and the attitude items of the loyalty rule.
SATISFACTION_ITEMS = ("sat_network", "sat_service", "sat_new_services", "sat_salesperson", "sat_price")
ATTITUDE_ITEMS = ("believes_brand_best", "reevaluates_often", "switching_hassle", "price_sensitivity")

#: Kinds of contact in the contact log.
CONTACT_KINDS = ("new_service_request", "fault_report", "billing_query", "sales_visit", "complaint")

KEY_ACCOUNTS_SEED = 20240707
DEFAULT_N_ACCOUNTS = 30
VALUE_OF_TIME = 0.1  # k AUD per hour of the customer's staff time ($100 an hour)
FY_START = "2023-07-01"  # Australian financial year 2023-24
FY_DAYS = 366

_INDUSTRIES = ("mining", "health", "insurance", "logistics", "retail", "energy", "banking", "government",
               "education", "manufacturing", "media", "agriculture")

# The six largest accounts: the story of the reading (R4).  Columns: account_id, name, industry,
# role, years as customer, revenue previous year (k AUD), share of wallet previous and last year,
# growth of the account's telecom wallet; then the survey items
# (sat_network, sat_service, sat_new_services, sat_salesperson, sat_price, overall_satisfaction,
#  believes_brand_best, reevaluates_often, switching_hassle, price_sensitivity);
# then termination fee (k AUD), migration hours, retraining hours, competitor advantage (k AUD/yr).
_STORY = (
    ("KA01", "Wattle Creek Mining", "mining", "loyal_emotion", 14, 5200.0, 0.86, 0.87, 0.04,
     (6, 6, 5, 7, 5, 6, 7, 2, 4, 3), (80.0, 900.0, 600.0, 260.0)),
    ("KA02", "Banksia Health", "health", "loyal_reasoned", 6, 4600.0, 0.78, 0.80, 0.06,
     (6, 5, 5, 5, 5, 5, 4, 6, 3, 5), (40.0, 600.0, 400.0, -90.0)),
    ("KA03", "Bluegum Insurance", "insurance", "loyal_inertia", 11, 4100.0, 0.83, 0.82, 0.02,
     (4, 4, 4, 4, 3, 4, 3, 2, 7, 4), (300.0, 3500.0, 2500.0, 330.0)),
    ("KA04", "Coral Coast Freight", "logistics", "slipping_unanswered", 8, 3800.0, 0.76, 0.52, 0.08,
     (5, 4, 1, 4, 4, 3, 3, 6, 3, 5), (60.0, 700.0, 400.0, 700.0)),
    ("KA05", "Ironbark Stores", "retail", "slipping_unanswered", 5, 3400.0, 0.72, 0.55, 0.05,
     (5, 5, 2, 5, 4, 4, 3, 6, 4, 5), (50.0, 800.0, 500.0, 520.0)),
    ("KA06", "Red Gully Energy", "energy", "slipping_salesperson", 9, 3100.0, 0.81, 0.63, 0.01,
     (5, 4, 5, 1, 4, 3, 4, 5, 3, 4), (70.0, 600.0, 400.0, 280.0)),
)

#: Names of the six accounts of the reading's story, by account id (the six largest by revenue).
STORY_ACCOUNTS = {row[0]: row[1] for row in _STORY}

# Contacts of the six story accounts: kind -> (count, answered, median days to answer); topics below.
_STORY_CONTACTS = {
    "KA01": {"fault_report": 3, "billing_query": 2, "sales_visit": 6, "new_service_request": (1, 1, 5.0)},
    "KA02": {"fault_report": 5, "billing_query": 3, "sales_visit": 6, "new_service_request": (2, 2, 6.0),
             "complaint": ("network",)},
    "KA03": {"fault_report": 4, "billing_query": 4, "sales_visit": 2, "complaint": ("billing",)},
    "KA04": {"fault_report": 4, "billing_query": 2, "sales_visit": 4, "new_service_request": (4, 0, 0.0),
             "complaint": ("new service",)},
    "KA05": {"fault_report": 3, "billing_query": 1, "sales_visit": 5, "new_service_request": (3, 1, 64.0)},
    "KA06": {"fault_report": 4, "billing_query": 2, "sales_visit": 2, "new_service_request": (1, 1, 6.0),
             "complaint": ("salesperson", "salesperson", "salesperson")},
}
_STORY_REQUEST_TOPIC = {"KA01": "private 5G", "KA02": "managed security", "KA04": "IoT fleet tracking",
                        "KA05": "SD-WAN", "KA06": "video conferencing"}
_REQUEST_TOPICS = ("SD-WAN", "IoT fleet tracking", "private 5G", "cloud contact centre", "managed security",
                   "video conferencing")

# Shares of the roles among the other (smaller) key accounts.
_ROLE_SHARES = np.array([0.14, 0.34, 0.20, 0.10, 0.08, 0.14])

# Role means of the survey items, in the order of _STORY's item tuple (overall is computed).
_ITEM_MEANS = {
    #                 net  serv  new  sales price  best reev hass price_s
    "loyal_emotion": (6.0, 6.0, 5.5, 6.5, 5.0, 6.5, 2.0, 4.0, 3.0),
    "loyal_reasoned": (6.0, 5.5, 5.0, 5.0, 5.0, 4.0, 6.0, 3.0, 5.0),
    "loyal_inertia": (4.5, 4.0, 4.0, 4.5, 2.6, 3.0, 2.0, 6.5, 3.5),
    "slipping_unanswered": (5.0, 4.5, 2.2, 4.5, 4.0, 3.0, 6.0, 3.5, 5.0),
    "slipping_salesperson": (5.0, 4.5, 4.5, 2.0, 4.0, 3.5, 5.5, 3.5, 4.5),
    "shrinking": (5.5, 5.0, 5.0, 5.0, 4.5, 4.5, 3.0, 4.5, 3.5),
}
_ITEM_NOISE = 0.55
_KEY_ITEM_NOISE = 0.8  # noise on the item that defines a slipping role: some slipping accounts never say so
_OVERALL_WEIGHTS = np.array([0.20, 0.20, 0.25, 0.20, 0.15])
_OVERALL_NOISE = 0.3

# Share of wallet and wallet dynamics by role: (mean SOW last year, change of SOW mean, sd;
# wallet growth mean, sd).
_SOW = {
    "loyal_emotion": (0.85, 0.00, 0.02, 0.04, 0.04),
    "loyal_reasoned": (0.75, 0.01, 0.02, 0.05, 0.04),
    "loyal_inertia": (0.82, -0.01, 0.02, 0.02, 0.04),
    "slipping_unanswered": (0.75, -0.20, 0.04, 0.05, 0.04),
    "slipping_salesperson": (0.78, -0.16, 0.04, 0.02, 0.04),
    "shrinking": (0.80, 0.00, 0.02, -0.25, 0.04),
}
# Switching items by role: termination fee (k AUD) median, migration hours median, retraining
# hours median, competitor advantage as a share of revenue (mean).
_SWITCHING = {
    "loyal_emotion": (70.0, 700.0, 450.0, 0.05),
    "loyal_reasoned": (50.0, 600.0, 400.0, -0.02),
    "loyal_inertia": (250.0, 3000.0, 2000.0, 0.08),
    "slipping_unanswered": (50.0, 600.0, 400.0, 0.18),
    "slipping_salesperson": (60.0, 600.0, 400.0, 0.10),
    "shrinking": (80.0, 800.0, 500.0, 0.04),
}
# Contacts by role: mean counts of fault reports, billing queries, sales visits, new-service
# requests; share of requests answered and median days to answer them; mean complaints.
_CONTACT_RATES = {
    "loyal_emotion": (3.5, 2.0, 6.0, 1.0, 0.95, 6.0, 0.3),
    "loyal_reasoned": (4.0, 2.5, 6.0, 1.2, 0.95, 6.0, 0.4),
    "loyal_inertia": (4.0, 3.0, 2.0, 0.3, 0.90, 10.0, 0.5),
    "slipping_unanswered": (3.5, 2.0, 4.0, 3.0, 0.15, 50.0, 0.5),
    "slipping_salesperson": (3.5, 2.0, 2.0, 0.8, 0.90, 8.0, 0.3),
    "shrinking": (3.0, 2.0, 4.0, 0.5, 0.95, 6.0, 0.3),
}
# The wallet (the account's whole telecom spend) is an estimate from the account review: recorded
# wallet = true wallet x exp(N(0, _WALLET_ERROR)), each year, for the accounts other than the six.
_WALLET_ERROR = 0.06
_SOW_CAP = 0.99  # a recorded share of wallet never exceeds this (the review is capped at what we bill)

# Leave model: logit p = a + b * extreme dissatisfaction (push) + c * (switching pays: a rival offer pulls).
_LEAVE_INTERCEPT = -3.0
_LEAVE_EXTREME = 2.6
_LEAVE_SWITCH_PAYS = 0.8
_EXTREME_CUT = 2  # a satisfaction item at or below this is "extreme dissatisfaction"

_NAME_FIRST = ("Acacia", "Boronia", "Jarrah", "Mallee", "Saltbush", "Waratah", "Brolga", "Spinifex", "Quandong",
               "Tuart", "Myall", "Lilly Pilly", "Karri", "Coolabah", "Grevillea", "Paperbark", "Emu Plains",
               "Murray Bend", "Dingo Flat", "Gidgee", "Kurrajong", "Yarra Bend", "Bottlebrush", "Ti Tree",
               "Blackbutt", "Sandstone", "Tanami", "Barramundi")
_NAME_SECOND = {"mining": "Resources", "health": "Health", "insurance": "Mutual", "logistics": "Transport",
                "retail": "Markets", "energy": "Power", "banking": "Credit Union", "government": "Shire Council",
                "education": "College", "manufacturing": "Fabrication", "media": "Media", "agriculture": "Grains"}

#: The files of the dataset, in the datasets folder.
ACCOUNTS_TABLE = Table("key_accounts.csv", [
    Column("account_id"),
    Column("name"),
    Column("industry", "category", categories=_INDUSTRIES),
    Column("years_as_customer", "int", low=0),
    *(Column(c, "float", decimals=1, low=0) for c in ("revenue_prev", "revenue_last", "wallet_prev", "wallet_last")),
    *(Column(c, "int", low=1, high=7) for c in (*SATISFACTION_ITEMS, "overall_satisfaction", *ATTITUDE_ITEMS)),
    *(Column(c, "float", decimals=0, low=0) for c in ("termination_fee", "migration_hours", "retraining_hours")),
    Column("competitor_advantage", "float", decimals=1),
])
CONTACTS_TABLE = Table("key_accounts_contacts.csv", [
    Column("contact_id"),
    Column("account_id"),
    Column("date", "date"),
    Column("kind", "category", categories=CONTACT_KINDS),
    Column("topic"),
    Column("responded", "bool"),
    Column("days_to_response", "float", decimals=1, optional=True, low=0),
])
TRUTH_TABLE = Table("key_accounts_truth.csv", [
    Column("account_id"),
    Column("role", "category", categories=KEY_ACCOUNT_ROLES),
    Column("loyalty_type", "category", categories=("advocate", "user", "comparer")),
    Column("slipping", "bool"),
    Column("need"),
    Column("leave_probability", "float", decimals=4, low=0, high=1),
    Column("sow_change_true", "float", decimals=1),
])
ACCOUNT_COLUMNS = tuple(ACCOUNTS_TABLE.names)
CONTACT_COLUMNS = tuple(CONTACTS_TABLE.names)
KEY_TRUTH_COLUMNS = tuple(TRUTH_TABLE.names)
KEY_ACCOUNTS_FILES = tuple(t.filename for t in (ACCOUNTS_TABLE, CONTACTS_TABLE, TRUTH_TABLE))



class KeyAccountsData(NamedTuple):
    """The frames of the key-accounts dataset.

    Attributes
    ----------
    accounts : pandas.DataFrame
        One row per key account, the columns of ``ACCOUNT_COLUMNS``.
    contacts : pandas.DataFrame
        One row per contact in the financial year, the columns of ``CONTACT_COLUMNS``.
    truth : pandas.DataFrame
        One row per account: ``account_id``, ``role``, ``loyalty_type``, ``slipping``, ``need``
        and ``leave_probability``.
    """

    accounts: pd.DataFrame
    contacts: pd.DataFrame
    truth: pd.DataFrame



def make_key_accounts(n_accounts: int = DEFAULT_N_ACCOUNTS, seed: int = KEY_ACCOUNTS_SEED) -> KeyAccountsData:
    r"""Simulate the key-account book of an Australian telecom, with the reading's six accounts.

    The reading (R4) tells of an Australian telecom that analysed its six large customers: three
    were loyal -- out of attachment, by reasoned choice, or because changing was a bother -- and
    three were slipping, because requests for new services went unanswered or because of
    salespeople they did not like.  The dataset holds those six as the six largest accounts
    (their profiles are fixed, see ``STORY_ACCOUNTS``) and ``n_accounts - 6`` smaller key
    accounts drawn from the same roles.  Amounts are in thousands of Australian dollars (k AUD)
    per financial year; "prev" is 2022-23 and "last" 2023-24.

    The model, per account with role :math:`k` (:data:`KEY_ACCOUNT_ROLES`):

    1. **Roles** of the other accounts: exactly the shares 0.14, 0.34, 0.20, 0.10, 0.08, 0.14
       of the roles in the order of :data:`KEY_ACCOUNT_ROLES` (largest-remainder rounding),
       randomly ordered.
    2. **Revenue** of the previous year: lognormal, median 900, log-sd 0.45, capped at 2,600
       (the six story accounts earn 3,100-5,200).
    3. **Share of wallet** (SOW) previous year: role mean + N(0, 0.03), and last year's SOW = the
       previous one + a role-specific change (about -0.20 when new-service requests go
       unanswered, -0.16 with a poor salesperson, about 0 otherwise; sd 0.02-0.04); clipped to
       [0.05, 0.98].  The account's whole telecom spend (its *wallet*) is revenue / SOW and grows
       by a factor :math:`e^{g}`, :math:`g` normal (mean -0.25 for shrinking businesses, 0.02 to
       0.05 otherwise, sd 0.04).  Last year's revenue is SOW x wallet.  The **recorded** wallets
       are the account reviews' estimates: true wallet x :math:`e^{\varepsilon}`,
       :math:`\varepsilon \sim N(0, 0.06)`, each year independently, for every account but the
       six (whose wallets are exact), and never below revenue / 0.99.  So the recorded change of
       SOW is the true change plus noise (sd about 7 points): a 10-point rule on it misses some
       slipping accounts and flags some steady ones.
    4. **Survey items** (1-7): role means plus N(0, 0.55) noise (0.8 on the item that defines a
       slipping role, so some slipping accounts never rate it <= 2; the inertia accounts rate the
       price low, about 2.6, and stay), rounded and clipped; overall satisfaction = rounded weighted mean of the
       five satisfaction items (weights 0.20, 0.20, 0.25, 0.20, 0.15) + N(0, 0.3).
    5. **Switching items**: termination fee, migration and retraining hours lognormal around
       role medians (log-sd 0.3); competitor advantage (what the best rival offer is worth to
       the account per year, k AUD; negative when the firm's offer is better) = revenue x
       (role mean + N(0, 0.02)).
    6. **Contacts** in the financial year: Poisson counts of fault reports, billing queries,
       sales visits, new-service requests and complaints with role means; a request is answered
       with a role probability (0.15 when requests go unanswered, 0.90-0.95 otherwise) after a
       lognormal number of days; faults and queries are almost always answered within days.
    7. **Truth**: the role, its loyalty type (:data:`ROLE_LOYALTY_TYPE`), whether it is slipping,
       the true change of SOW,
       what it needs (:data:`ROLE_NEED`) and the probability of leaving next year,
       :math:`\operatorname{logit} p = -3.0 + 2.6\,x + 0.8\,s`, where :math:`x = 1` for extreme
       dissatisfaction (some satisfaction item <= 2) and :math:`s = 1` when switching would pay
       for the account (the present value of the competitor advantage over 3 years at 8 %
       exceeds its switching cost at 0.1 k AUD an hour).  R4 says that where competition is weak
       extreme dissatisfaction is the main reason large customers leave; here rivals do make
       offers (worth up to about 1,800 k AUD in present value), so the model weighs the push
       (:math:`x`, the larger effect) and the pull (:math:`s`).

    Parameters
    ----------
    n_accounts : int, default 30
        Number of key accounts, >= 6 (the six story accounts are always included).
    seed : int, default 20240707
        Seed of the random streams, >= 0.

    Returns
    -------
    KeyAccountsData
        Accounts (sorted by previous-year revenue, largest first), contacts (by date) and truth.

    Raises
    ------
    ValueError, TypeError
        If ``n_accounts`` is not a whole number >= 6 or ``seed`` not a whole number >= 0.

    References
    ----------
    .. [1] R.-S. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer wallet", Journal
       of Marketing 71(2), 94-113, 2007.
    .. [2] T. O. Jones and W. E. Sasser Jr., "Why satisfied customers defect", Harvard Business
       Review 73(6), 88-99, 1995.

    Examples
    --------
    >>> data = make_key_accounts(n_accounts=10, seed=1)
    >>> data.accounts.shape, data.truth.shape
    ((10, 22), (10, 7))
    >>> data.accounts["name"].head(3).tolist()
    ['Wattle Creek Mining', 'Banksia Health', 'Bluegum Insurance']
    >>> data.truth.set_index("account_id").loc["KA04", "need"]
    'answer the new-service requests'
    """
    n = check_positive_int("n_accounts", n_accounts)
    if n < len(_STORY):
        raise ValueError(f"n_accounts must be at least {len(_STORY)} (the six accounts of the story), got {n}")
    seed = check_seed(seed)
    rng_role, rng_rev, rng_sow, rng_items, rng_switch, rng_contacts, rng_names, rng_review = streams(seed, 8)
    m = n - len(_STORY)
    # --- roles, names, industries of the other accounts
    counts = allocate(_ROLE_SHARES, m)
    roles = np.repeat(np.arange(len(KEY_ACCOUNT_ROLES)), counts)
    roles = roles[rng_role.permutation(m)]
    role_names = [KEY_ACCOUNT_ROLES[r] for r in roles]
    industries = rng_names.choice(len(_INDUSTRIES), size=m)
    first = rng_names.permutation(len(_NAME_FIRST))
    names = [
        f"{_NAME_FIRST[first[i % len(_NAME_FIRST)]]}{'' if i < len(_NAME_FIRST) else f' {i // len(_NAME_FIRST) + 1}'} "
        f"{_NAME_SECOND[_INDUSTRIES[industries[i]]]}"
        for i in range(m)
    ]
    # --- revenue and wallet
    revenue_prev = np.minimum(900.0 * np.exp(0.45 * rng_rev.standard_normal(m)), 2600.0)
    sow_par = np.array([_SOW[r] for r in role_names]).reshape(m, 5)
    sow_prev = np.clip(sow_par[:, 0] + 0.03 * rng_sow.standard_normal(m), 0.05, 0.98)
    sow_last = np.clip(sow_prev + sow_par[:, 1] + sow_par[:, 2] * rng_sow.standard_normal(m), 0.05, 0.98)
    growth = sow_par[:, 3] + sow_par[:, 4] * rng_sow.standard_normal(m)
    # --- survey items
    means = np.array([_ITEM_MEANS[r] for r in role_names]).reshape(m, 9)
    noise = np.full((m, 9), _ITEM_NOISE)
    noise[roles == 3, 2] = _KEY_ITEM_NOISE
    noise[roles == 4, 3] = _KEY_ITEM_NOISE
    items = scale_round(means + noise * rng_items.standard_normal((m, 9)), 1, 7)
    overall = scale_round(items[:, :5] @ _OVERALL_WEIGHTS + _OVERALL_NOISE * rng_items.standard_normal(m), 1, 7)
    # --- switching items
    sw = np.array([_SWITCHING[r] for r in role_names]).reshape(m, 4)
    spread = np.exp(0.3 * rng_switch.standard_normal((m, 3)))
    fee = np.round(sw[:, 0] * spread[:, 0], 0)
    migration = np.round(sw[:, 1] * spread[:, 1], -1)
    retraining = np.round(sw[:, 2] * spread[:, 2], -1)
    advantage = revenue_prev * (sw[:, 3] + 0.02 * rng_switch.standard_normal(m))
    # --- the six story accounts in front
    story = {
        "account_id": [s[0] for s in _STORY],
        "name": [s[1] for s in _STORY],
        "industry": [s[2] for s in _STORY],
        "role": [s[3] for s in _STORY],
        "years_as_customer": [s[4] for s in _STORY],
        "revenue_prev": [s[5] for s in _STORY],
        "sow_prev": [s[6] for s in _STORY],
        "sow_last": [s[7] for s in _STORY],
        "growth": [float(np.log1p(s[8])) for s in _STORY],
    }
    items_story = np.array([s[9] for s in _STORY], dtype=np.int64)
    switch_story = np.array([s[10] for s in _STORY], dtype=float)
    ids = [f"KA{i + 1:02d}" for i in range(n)]
    years = np.concatenate([story["years_as_customer"], 1 + rng_role.poisson(6.0, size=m)])
    role_all = story["role"] + role_names
    revenue_prev_all = np.round(np.concatenate([story["revenue_prev"], revenue_prev]), 1)
    sow_prev_all = np.concatenate([story["sow_prev"], sow_prev])
    sow_last_all = np.concatenate([story["sow_last"], sow_last])
    growth_all = np.concatenate([story["growth"], growth])
    true_wallet_prev = np.round(revenue_prev_all / sow_prev_all, 1)
    true_wallet_last = np.round(true_wallet_prev * np.exp(growth_all), 1)
    revenue_last = np.round(sow_last_all * true_wallet_last, 1)
    # the recorded wallets are the account reviews' estimates (exact for the six story accounts)
    error = np.exp(_WALLET_ERROR * rng_review.standard_normal((n, 2)))
    error[: len(_STORY)] = 1.0
    wallet_prev = np.round(np.maximum(true_wallet_prev * error[:, 0], revenue_prev_all / _SOW_CAP), 1)
    wallet_last = np.round(np.maximum(true_wallet_last * error[:, 1], revenue_last / _SOW_CAP), 1)
    story_items = items_story[:, [0, 1, 2, 3, 4, 6, 7, 8, 9]]
    all_items = np.vstack([story_items, items]) if m else story_items
    all_overall = np.concatenate([items_story[:, 5], overall])
    others = np.column_stack([fee, migration, retraining, advantage])
    switching = np.vstack([switch_story, others]) if m else switch_story
    accounts = pd.DataFrame({
        "account_id": ids,
        "name": story["name"] + names,
        "industry": story["industry"] + [_INDUSTRIES[i] for i in industries],
        "years_as_customer": years.astype(np.int64),
        "revenue_prev": revenue_prev_all,
        "revenue_last": revenue_last,
        "wallet_prev": wallet_prev,
        "wallet_last": wallet_last,
    })
    for j, col in enumerate(SATISFACTION_ITEMS):
        accounts[col] = all_items[:, j]
    accounts["overall_satisfaction"] = all_overall
    for j, col in enumerate(ATTITUDE_ITEMS):
        accounts[col] = all_items[:, 5 + j]
    accounts["termination_fee"] = switching[:, 0]
    accounts["migration_hours"] = switching[:, 1]
    accounts["retraining_hours"] = switching[:, 2]
    accounts["competitor_advantage"] = np.round(switching[:, 3], 1)
    # --- truth
    extreme = (accounts[list(SATISFACTION_ITEMS)].to_numpy() <= _EXTREME_CUT).any(axis=1)
    cost = accounts["termination_fee"] + (accounts["migration_hours"] + accounts["retraining_hours"]) * VALUE_OF_TIME
    pays = accounts["competitor_advantage"].to_numpy() * annuity_factor(3, 0.08) > cost.to_numpy()
    leave = expit(_LEAVE_INTERCEPT + _LEAVE_EXTREME * extreme + _LEAVE_SWITCH_PAYS * pays)
    truth = pd.DataFrame({
        "account_id": ids,
        "role": role_all,
        "loyalty_type": [ROLE_LOYALTY_TYPE[r] for r in role_all],
        "slipping": [r.startswith("slipping") for r in role_all],
        "need": [ROLE_NEED[r] for r in role_all],
        "leave_probability": np.round(leave, 4),
        "sow_change_true": np.round(100 * (sow_last_all - sow_prev_all), 1),
    })
    contacts = _make_contacts(ids, role_all, rng_contacts)
    # Number the accounts by previous-year revenue, largest first (the six story accounts lead).
    order = np.argsort(-accounts["revenue_prev"].to_numpy(), kind="stable")
    renumber = {ids[old]: f"KA{new + 1:02d}" for new, old in enumerate(order)}
    accounts = accounts.iloc[order].reset_index(drop=True)
    truth = truth.iloc[order].reset_index(drop=True)
    accounts["account_id"] = accounts["account_id"].map(renumber)
    truth["account_id"] = truth["account_id"].map(renumber)
    contacts["account_id"] = contacts["account_id"].map(renumber)
    return KeyAccountsData(accounts=accounts, contacts=contacts, truth=truth)


def _make_contacts(ids, roles, rng: np.random.Generator) -> pd.DataFrame:
    """The contact log of the financial year (story accounts fixed, others drawn by role)."""
    rows = []  # (account, kind, topic, responded, days)
    for account, role in zip(ids, roles, strict=True):
        if account in _STORY_CONTACTS:
            spec = _STORY_CONTACTS[account]
            for kind in ("fault_report", "billing_query", "sales_visit"):
                for _ in range(spec.get(kind, 0)):
                    rows.append((account, kind, None, None, None))
            if "new_service_request" in spec:
                count, answered, median = spec["new_service_request"]
                for i in range(count):
                    ok = i < answered
                    rows.append((account, "new_service_request", _STORY_REQUEST_TOPIC[account], ok,
                                 median if ok else None))
            for topic in spec.get("complaint", ()):
                rows.append((account, "complaint", topic, None, None))
            continue
        faults, billing, visits, requests, answer_p, answer_days, complaints = _CONTACT_RATES[role]
        for kind, mean in (("fault_report", faults), ("billing_query", billing), ("sales_visit", visits)):
            rows.extend((account, kind, None, None, None) for _ in range(rng.poisson(mean)))
        topic = _REQUEST_TOPICS[rng.integers(len(_REQUEST_TOPICS))]
        for _ in range(rng.poisson(requests)):
            ok = bool(rng.random() < answer_p)
            rows.append((account, "new_service_request", topic, ok,
                         float(answer_days * np.exp(0.4 * rng.standard_normal())) if ok else None))
        for _ in range(rng.poisson(complaints)):
            rows.append((account, "complaint", ("network", "billing")[rng.integers(2)], None, None))
        if role == "slipping_salesperson":
            rows.extend((account, "complaint", "salesperson", None, None) for _ in range(2 + rng.poisson(1.0)))
    k = len(rows)
    account = np.array([r[0] for r in rows], dtype=object)
    kind = np.array([r[1] for r in rows], dtype=object)
    topic = np.array([r[2] for r in rows], dtype=object)
    responded = np.array([r[3] for r in rows], dtype=object)
    days = np.array([r[4] for r in rows], dtype=object)
    # Everything but requests: topic from the kind, answered within days (visits are "answered" by definition).
    default_topic = {"fault_report": "network", "billing_query": "billing", "sales_visit": "account review"}
    for kd, tp in default_topic.items():
        topic[kind == kd] = tp
    other = np.array([r is None for r in responded])
    quick_ok = rng.random(k) < 0.97
    quick_days = np.exp(np.log(1.5) + 0.6 * rng.standard_normal(k))
    visit = kind == "sales_visit"
    responded[other] = np.where(visit[other], True, quick_ok[other])
    days[other] = np.where(visit[other], 0.0, np.where(quick_ok[other], quick_days[other], np.nan))
    days = np.array([np.nan if v is None else float(v) for v in days], dtype=float)
    day = rng.integers(0, FY_DAYS, size=k)
    order = np.lexsort((np.arange(k), day))
    date = (np.datetime64(FY_START) + day.astype("timedelta64[D]")).astype("datetime64[ns]")
    frame = pd.DataFrame({
        "contact_id": [f"C{i + 1:04d}" for i in range(k)],
        "account_id": account[order].astype(str),
        "date": pd.to_datetime(date[order]),
        "kind": kind[order].astype(str),
        "topic": topic[order].astype(str),
        "responded": responded[order].astype(bool),
        "days_to_response": np.round(days[order], 1),
    })
    return frame



def write_key_accounts(directory, data: KeyAccountsData | None = None) -> list[Path]:
    """Write the key-accounts dataset as three CSV files, byte for byte reproducibly.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if it does not exist.
    data : KeyAccountsData, optional
        Frames to write; by default the course's dataset, ``make_key_accounts()``.

    Returns
    -------
    list of pathlib.Path
        Paths of ``key_accounts.csv``, ``key_accounts_contacts.csv`` and
        ``key_accounts_truth.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` is not a :class:`KeyAccountsData`.
    ValueError
        If ``directory`` is an existing file.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_key_accounts(tmp, make_key_accounts(n_accounts=8, seed=2))
    ...     print([p.name for p in paths])
    ...     print(paths[2].read_text().splitlines()[0])
    ['key_accounts.csv', 'key_accounts_contacts.csv', 'key_accounts_truth.csv']
    account_id,role,loyalty_type,slipping,need,leave_probability,sow_change_true
    """
    return write_tables(directory, data, KeyAccountsData, make_key_accounts, (ACCOUNTS_TABLE, CONTACTS_TABLE, TRUTH_TABLE))


def load_key_accounts(directory=None) -> pd.DataFrame:
    """Load the key accounts of the Australian telecom (one row per account).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``key_accounts.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``revenue_prev`` (largest first): ``account_id``, ``name`` (str),
        ``industry`` (categorical), ``years_as_customer`` (int), ``revenue_prev``,
        ``revenue_last``, ``wallet_prev``, ``wallet_last`` (float, k AUD per financial year;
        the wallet is the account's telecom spend with all suppliers), the satisfaction items
        ``sat_network``, ``sat_service``, ``sat_new_services``, ``sat_salesperson``,
        ``sat_price`` and ``overall_satisfaction`` (int, 1-7), the attitude items
        ``believes_brand_best``, ``reevaluates_often``, ``switching_hassle``,
        ``price_sensitivity`` (int, 1-7), ``termination_fee`` (k AUD), ``migration_hours``,
        ``retraining_hours`` (hours of the customer's staff) and ``competitor_advantage``
        (k AUD per year that the best rival offer is worth to the account; negative when the
        firm's offer is better).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] R.-S. Du, W. A. Kamakura and C. F. Mela, "Size and share of customer wallet",
       Journal of Marketing 71(2), 94-113, 2007.

    Examples
    --------
    >>> accounts = load_key_accounts()
    >>> accounts.shape
    (30, 22)
    >>> accounts["name"].head(6).tolist() == list(STORY_ACCOUNTS.values())
    True
    """
    return ACCOUNTS_TABLE.read(directory)


def load_key_account_contacts(directory=None) -> pd.DataFrame:
    """Load the contact log of the key accounts over the financial year 2023-24.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``key_accounts_contacts.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per contact, by date: ``contact_id``, ``account_id`` (str), ``date``
        (datetime64[ns]), ``kind`` (categorical, :data:`CONTACT_KINDS`), ``topic`` (str: the
        service asked for, or network / billing / salesperson / account review ...),
        ``responded`` (bool) and ``days_to_response`` (float, days; NaN when there was no
        response; 0 for sales visits).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer Evaluations of Service
       Complaint Experiences: Implications for Relationship Marketing", Journal of Marketing
       62(2), 60-76, 1998.

    Examples
    --------
    >>> contacts = load_key_account_contacts()
    >>> requests = contacts[(contacts["account_id"] == "KA04") & (contacts["kind"] == "new_service_request")]
    >>> len(requests), int(requests["responded"].sum())
    (4, 0)
    """
    return CONTACTS_TABLE.read(directory)


def load_key_accounts_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the key-accounts dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``key_accounts_truth.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per account, in the order of :func:`load_key_accounts`: ``account_id`` (str),
        ``role`` (categorical, :data:`KEY_ACCOUNT_ROLES`), ``loyalty_type`` (categorical:
        advocate, user, comparer), ``slipping`` (bool), ``need`` (str, :data:`ROLE_NEED`) and
        ``leave_probability`` (float, the model's chance that the account leaves next year) and
        ``sow_change_true`` (float, the true change of share of wallet in percentage points; the
        recorded wallets of :func:`load_key_accounts` are estimates, so the recorded change differs).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12),
       86-92, 2021.

    Examples
    --------
    >>> truth = load_key_accounts_truth()
    >>> truth.head(6)["role"].tolist()[:3]
    ['loyal_emotion', 'loyal_reasoned', 'loyal_inertia']
    >>> int(truth["slipping"].sum())
    8
    """
    return TRUTH_TABLE.read(directory)


def contact_summary(contacts, account_ids=None) -> pd.DataFrame:
    r"""What each account asked for and what it got: the contact log summed up per account.

    For account :math:`a`: the number of contacts of each kind, the new-service requests that
    were answered and unanswered, the share answered, the median days to answer a request, and
    the complaints about the salesperson (``topic == "salesperson"``).

    Parameters
    ----------
    contacts : pandas.DataFrame
        The contact log (:func:`load_key_account_contacts`): columns ``account_id``, ``kind``,
        ``topic``, ``responded`` (bool) and ``days_to_response`` (float, NaN if no response).
    account_ids : sequence of str, optional
        Accounts to report, in this order (accounts without contacts get zeros); by default
        every account in the log, sorted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``account_id``: ``contacts``, one count column per kind of
        :data:`CONTACT_KINDS`, ``requests_answered``, ``requests_unanswered`` (int),
        ``request_answer_rate`` (float; NaN without requests), ``median_days_to_answer``
        (float, days; NaN when no request was answered) and ``salesperson_complaints`` (int).

    Raises
    ------
    TypeError
        If ``contacts`` is not a DataFrame or ``responded`` is not boolean.
    ValueError
        If a column is missing, ``account_id`` has missing values or ``account_ids`` repeats
        an account.

    References
    ----------
    .. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer Evaluations of Service
       Complaint Experiences: Implications for Relationship Marketing", Journal of Marketing
       62(2), 60-76, 1998.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "account_id": ["A", "A", "A", "B", "B"],
    ...     "kind": ["new_service_request", "new_service_request", "sales_visit", "complaint",
    ...              "new_service_request"],
    ...     "topic": ["SD-WAN", "SD-WAN", "account review", "salesperson", "private 5G"],
    ...     "responded": [False, True, True, False, True],
    ...     "days_to_response": [float("nan"), 30.0, 0.0, float("nan"), 4.0]})
    >>> summary = contact_summary(log, account_ids=["A", "B", "C"])
    >>> print(summary[["new_service_request", "requests_unanswered", "median_days_to_answer",
    ...                "salesperson_complaints"]].to_string())
                new_service_request  requests_unanswered  median_days_to_answer  salesperson_complaints
    account_id
    A                             2                    1                   30.0                       0
    B                             1                    0                    4.0                       1
    C                             0                    0                    NaN                       0
    """
    check_frame("contacts", contacts, ["account_id", "kind", "topic", "responded", "days_to_response"])
    if contacts["account_id"].isna().any():
        raise ValueError("column 'account_id' of contacts must not hold missing values")
    if not pd.api.types.is_bool_dtype(contacts["responded"]):
        raise TypeError(f"column 'responded' of contacts must hold True/False, got dtype {contacts['responded'].dtype}")
    ids = contacts["account_id"].astype(str)
    if account_ids is None:
        index = pd.Index(sorted(ids.unique()), name="account_id")
    else:
        if isinstance(account_ids, str):
            account_ids = [account_ids]
        index = pd.Index([str(a) for a in account_ids], name="account_id")
        if index.has_duplicates:
            raise ValueError(f"account_ids must not repeat an account, got {index[index.duplicated()].tolist()}")
    kind = contacts["kind"].astype(str)
    request = (kind == "new_service_request").to_numpy()
    answered = request & contacts["responded"].to_numpy(dtype=bool)
    parts = pd.DataFrame({"contacts": 1}, index=contacts.index)
    for k in CONTACT_KINDS:
        parts[k] = (kind == k).to_numpy().astype(np.int64)
    parts["requests_answered"] = answered.astype(np.int64)
    parts["requests_unanswered"] = (request & ~answered).astype(np.int64)
    parts["salesperson_complaints"] = ((kind == "complaint") & (contacts["topic"].astype(str) == "salesperson")
                                       ).to_numpy().astype(np.int64)
    sums = parts.groupby(ids.to_numpy()).sum().reindex(index, fill_value=0).astype(np.int64)
    days = pd.Series(contacts["days_to_response"].to_numpy(dtype=float)[answered], index=ids.to_numpy()[answered])
    median = days.groupby(level=0).median().reindex(index)
    table = sums[["contacts", *CONTACT_KINDS, "requests_answered", "requests_unanswered"]].copy()
    requests = table["new_service_request"].to_numpy(dtype=float)
    answered_share = table["requests_answered"] / np.where(requests > 0, requests, 1)
    table["request_answer_rate"] = np.where(requests > 0, answered_share, np.nan)
    table["median_days_to_answer"] = median.to_numpy(dtype=float)
    table["salesperson_complaints"] = sums["salesperson_complaints"]
    table.index.name = "account_id"
    return table


def account_switching_costs(accounts, value_of_time=VALUE_OF_TIME, years=3, discount_rate=0.08) -> pd.DataFrame:
    r"""Each account's cost of switching supplier, and whether the best rival offer would repay it.

    The switching cost of account :math:`a` is computed with
    :func:`coursekit.models.switching.switching_cost`: the termination fee is a termination barrier
    (money), migrating services is a transaction cost (hours) and retraining staff is a
    learning cost (hours), all hours valued at ``value_of_time``:

    .. math:: C_a = \text{fee}_a + (h^{\text{migration}}_a + h^{\text{retraining}}_a)\,v .

    Whether switching pays is :func:`coursekit.models.switching.switch_is_worth_it` with the account's
    competitor advantage :math:`S_a` as the yearly saving:
    :math:`\mathrm{NPV}_a = \sum_{t=1}^{T} S_a (1 + d)^{-t} - C_a`.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Columns ``account_id``, ``termination_fee`` (money), ``migration_hours``,
        ``retraining_hours`` (hours) and ``competitor_advantage`` (money per year), no missing
        values (:func:`load_key_accounts`).
    value_of_time : float, default 0.1
        Money per hour of the customer's staff time (0.1 k AUD = $100), >= 0.
    years : int, default 3
        Horizon over which the account weighs the rival offer, whole years >= 1.
    discount_rate : float, default 0.08
        Yearly discount rate, > -1.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``account_id``: ``termination``, ``transaction``, ``learning`` (the cost of
        each barrier), ``switching_cost`` (their sum), ``pv_advantage`` (present value of the
        rival offer over the horizon), ``npv_of_switching`` and ``switching_pays`` (bool).

    Raises
    ------
    TypeError
        If ``accounts`` is not a DataFrame.
    ValueError
        If a column is missing or a value is missing, negative (costs) or not finite.

    References
    ----------
    .. [1] T. A. Burnham, J. K. Frels and V. Mahajan, "Consumer switching costs: a typology,
       antecedents, and consequences", Journal of the Academy of Marketing Science 31(2),
       109-126, 2003.

    Examples
    --------
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"account_id": ["A", "B"], "termination_fee": [300.0, 60.0],
    ...                     "migration_hours": [3500.0, 700.0], "retraining_hours": [2500.0, 400.0],
    ...                     "competitor_advantage": [330.0, 700.0]})
    >>> print(account_switching_costs(toy).round(1).to_string())
                termination  transaction  learning  switching_cost  pv_advantage  npv_of_switching  switching_pays
    account_id
    A                 300.0        350.0     250.0           900.0         850.4             -49.6           False
    B                  60.0         70.0      40.0           170.0        1804.0            1634.0            True
    """
    columns = ["account_id", "termination_fee", "migration_hours", "retraining_hours", "competitor_advantage"]
    check_frame("accounts", accounts, columns)
    v = check_scalar("value_of_time", value_of_time, low=0.0)
    rows = []
    for account, fee, migration, retraining in zip(accounts["account_id"], accounts["termination_fee"],
                                                   accounts["migration_hours"], accounts["retraining_hours"],
                                                   strict=True):
        money = {"termination": check_scalar(f"termination_fee of {account}", fee, low=0.0)}
        hours = {"transaction": check_scalar(f"migration_hours of {account}", migration, low=0.0),
                 "learning": check_scalar(f"retraining_hours of {account}", retraining, low=0.0)}
        cost = _switching.switching_cost(money=money, hours=hours, value_of_time=v)
        rows.append((cost.table.loc["termination", "total"], cost.table.loc["transaction", "total"],
                     cost.table.loc["learning", "total"], cost.total))
    table = pd.DataFrame(rows, columns=["termination", "transaction", "learning", "switching_cost"],
                         index=pd.Index(accounts["account_id"].astype(str).to_numpy(), name="account_id"))
    advantage = check_number("competitor_advantage", accounts["competitor_advantage"].to_numpy(dtype=float))
    decision = _switching.switch_is_worth_it(advantage, table["switching_cost"].to_numpy(), years=years,
                                             discount_rate=discount_rate)
    table["pv_advantage"] = np.asarray(decision.pv_savings, dtype=float) * np.ones(len(table))
    table["npv_of_switching"] = np.asarray(decision.npv, dtype=float) * np.ones(len(table))
    table["switching_pays"] = np.asarray(decision.worth_it, dtype=bool) & np.ones(len(table), dtype=bool)
    return table


def key_account_explorer(accounts=None):
    """Sliders for spotting slipping key accounts (case 7): share-of-wallet drop and extreme dissatisfaction.

    Each account is a dot at (share of wallet last year, share of wallet this year); accounts
    below the diagonal by at least the chosen drop are flagged as slipping (orange); a black ring
    marks extreme dissatisfaction (some satisfaction item at or below the chosen score).  The
    summary gives the revenue at risk of the flagged accounts.

    Examples
    --------
    >>> ex = key_account_explorer()
    >>> ex.set(sow_drop_pts=10, extreme_score=2)
    >>> ex.results["flagged"][:3]
    ['KA04', 'KA05', 'KA06']
    """
    data = load_key_accounts() if accounts is None else accounts
    sow_prev = np.asarray(share_of_wallet(data["revenue_prev"].to_numpy(float), data["wallet_prev"].to_numpy(float)))
    sow_last = np.asarray(share_of_wallet(data["revenue_last"].to_numpy(float), data["wallet_last"].to_numpy(float)))
    worst = data[list(SATISFACTION_ITEMS)].min(axis=1).to_numpy()
    ids = data["account_id"].astype(str).to_numpy()
    revenue = data["revenue_last"].to_numpy(float)

    def draw(ax, artists, sow_drop_pts, extreme_score):
        flag = (sow_prev - sow_last) >= sow_drop_pts / 100 - 1e-12
        extreme = worst <= extreme_score
        colours = np.where(flag, plotting.PALETTE[1], plotting.PALETTE[0])
        if not artists:
            ax.plot([0, 1], [0, 1], color="0.6", linewidth=1)
            artists["dots"] = ax.scatter(sow_prev, sow_last, c=colours, s=40, zorder=3)
            artists["rings"] = ax.scatter(sow_prev[extreme], sow_last[extreme], s=140, facecolors="none",
                                          edgecolors="black", zorder=4)
            (artists["line"],) = ax.plot([0, 1], [0, 1], color=plotting.PALETTE[1], linestyle="--", linewidth=1)
            plotting.percent_axis(ax, "x")
            plotting.percent_axis(ax, "y")
            plotting.label(ax, tr("Key accounts: share of wallet, last year vs this year"),
                           tr("Share of wallet 2022-23"), tr("Share of wallet 2023-24"))
        artists["dots"].set_facecolors(colours)
        artists["rings"].set_offsets(np.column_stack([sow_prev[extreme], sow_last[extreme]]) if extreme.any()
                                     else np.empty((0, 2)))
        artists["line"].set_ydata([0 - sow_drop_pts / 100, 1 - sow_drop_pts / 100])
        ax.set_xlim(0.4, 1.0)
        ax.set_ylim(0.4, 1.0)
        flagged = ids[flag].tolist()
        at_risk = float(revenue[flag].sum())
        both = ids[flag & extreme].tolist()
        results = {"flagged": flagged, "revenue_at_risk": at_risk, "flagged_and_extreme": both}
        if both:
            extreme_text = tr("Of them with extreme dissatisfaction (an item &le; {score}): {accounts}").format(
                score=extreme_score, accounts=", ".join(both))
        else:
            extreme_text = tr("Of them with extreme dissatisfaction (an item &le; {score}): none").format(
                score=extreme_score)
        html = (tr("Slipping (share of wallet down &ge; {points} points): <b>{accounts}</b> accounts, "
                   "{revenue} k AUD of revenue at risk").format(points=f"{sow_drop_pts:.0f}", accounts=len(flagged),
                                                                revenue=money_text(at_risk))
                + "<br>" + extreme_text)
        return results, html

    controls = {
        "sow_drop_pts": float_slider(tr("Share-of-wallet drop (points)"), 10.0, 0, 30, 1, ".0f"),
        "extreme_score": int_slider(tr("Extreme dissatisfaction: item <="), 2, 1, 4),
    }
    return Explorer(controls, draw)


#: Writers of this module's dataset: name -> writer(directory) returning the paths written.
DATASETS = {"key_accounts": write_key_accounts}

#: Slider moves that ``make bench`` replays to time the explorer's redraw.
BENCH = {
    "case 7 key account explorer": (key_account_explorer,
                                    [{"sow_drop_pts": 2.0 * i, "extreme_score": 1 + i % 4} for i in range(15)]),
}
