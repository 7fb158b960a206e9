r"""The complaint log of chapter 3: a supplies shop's complaints, with known effects and planted requests.

A synthetic dataset with known ground truth: its generator (:func:`make_complaints`), its files
(declared as :class:`coursekit.tables.Table` specs and written byte for byte
reproducibly by :func:`write_complaints`) and its typed loaders (``load_*``).  The customer
survey of the same chapters lives in :mod:`coursekit.data.survey`.

The complaint log (``complaints.csv``)
--------------------------------------
:func:`make_complaints` simulates the first complaint in 2023 of 3,000
business and household customers of a shop that sells hotel, catering and
office supplies.  Categories are the six holes of the leaky bucket
(:data:`coursekit.models.bucket.HOLES`).  Response time is log-normal with a
channel-specific median; a complaint is resolved with probability
:math:`\operatorname{logit}^{-1}(1.6 - 0.35 \ln(1 + h) + \rho_{\text{cat}})`;
the complainer is still a customer 12 months later with probability
:math:`\operatorname{logit}^{-1}(a - 0.5 \ln(1 + h) + 1.0\,\text{resolved} +
\kappa_{\text{comp}} + \theta_{\text{type}} - 0.6\,\text{unmet})`, with
``a`` calibrated so that about 70 % of those answered within four hours stay
(a commonly cited claim, see :data:`QUICK_RESPONSE_CLAIM`).  Some budget
hotels ask for small rolls of toilet paper that the shop does not stock; the
ground truth (``complaints_truth.csv``) flags these requests.

References
----------
.. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer Evaluations of
   Service Complaint Experiences: Implications for Relationship Marketing",
   Journal of Marketing 62(2), 60-76, 1998.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import expit

from coursekit._validate import check_positive_int, check_seed
from coursekit.data.sampling import ids, pick, pick_rows, streams
from coursekit.models.bucket import HOLES
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "ComplaintsData",
    "CUSTOMER_TYPES",
    "CUSTOMER_TYPE_SHARES",
    "CHANNELS",
    "COMPENSATIONS",
    "QUICK_RESPONSE_CLAIM",
    "SMALL_ROLL_PHRASES",
    "COMPLAINT_COLUMNS",
    "COMPLAINTS_SEED",
    "COMPLAINTS_TABLE",
    "COMPLAINTS_TRUTH_TABLE",
    "make_complaints",
    "write_complaints",
    "load_complaints",
    "load_complaints_truth",
]


#: Seed of the course's complaint log.
COMPLAINTS_SEED = 20240704
DEFAULT_N_COMPLAINTS = 3000
_YEAR_START = np.datetime64("2023-01-01T00:00", "m")
_N_CUSTOMER_IDS = 20000

#: Kinds of customer of the supplies shop, in display order.
CUSTOMER_TYPES: tuple[str, ...] = ("budget_hotel", "business_hotel", "restaurant", "office", "household")

#: Share of complaints from each kind of customer.
CUSTOMER_TYPE_SHARES = {
    "budget_hotel": 0.22,
    "business_hotel": 0.15,
    "restaurant": 0.25,
    "office": 0.23,
    "household": 0.15,
}

#: Channels through which complaints arrive.
CHANNELS: tuple[str, ...] = ("phone", "email", "web_form", "in_store", "social_media")

_CHANNEL_SHARES = {"phone": 0.30, "email": 0.20, "web_form": 0.18, "in_store": 0.17, "social_media": 0.15}
#: Median response time of each channel, in hours (log-normal, sigma 1.2).
_CHANNEL_MEDIAN_HOURS = {"phone": 5.0, "email": 26.0, "web_form": 20.0, "in_store": 3.0, "social_media": 9.0}
_RESPONSE_SIGMA = 1.2

#: Compensation offered, from nothing to money back.
COMPENSATIONS: tuple[str, ...] = ("none", "discount", "replacement", "refund")

# Probability of each category (HOLES order) by customer type.
_CATEGORY_PROBS = {
    "budget_hotel": [0.10, 0.20, 0.18, 0.10, 0.22, 0.20],
    "business_hotel": [0.12, 0.15, 0.25, 0.12, 0.22, 0.14],
    "restaurant": [0.10, 0.25, 0.22, 0.10, 0.23, 0.10],
    "office": [0.10, 0.22, 0.25, 0.13, 0.15, 0.15],
    "household": [0.15, 0.15, 0.20, 0.12, 0.25, 0.13],
}
# Probability of each compensation (COMPENSATIONS order) by category.
_COMPENSATION_PROBS = {
    "rude_staff": [0.60, 0.35, 0.00, 0.05],
    "out_of_stock": [0.55, 0.35, 0.00, 0.10],
    "poor_service": [0.55, 0.30, 0.05, 0.10],
    "untrained_staff": [0.65, 0.30, 0.00, 0.05],
    "poor_quality": [0.30, 0.15, 0.35, 0.20],
    "poor_selection": [0.85, 0.15, 0.00, 0.00],
}
# Resolution model.
_RESOLVE_INTERCEPT = 1.6
_RESOLVE_ON_LOG_HOURS = -0.35
_RESOLVE_CATEGORY = {
    "rude_staff": 0.3,
    "out_of_stock": -0.4,
    "poor_service": 0.0,
    "untrained_staff": 0.2,
    "poor_quality": 0.3,
    "poor_selection": -1.0,
}
# Stay model (logit scale).
_STAY_COMPLAINT_INTERCEPT = 0.55
_STAY_ON_LOG_HOURS = -0.5
_STAY_ON_RESOLVED = 1.0
_STAY_COMPENSATION = {"none": 0.0, "discount": 0.35, "replacement": 0.6, "refund": 0.45}
_STAY_CUSTOMER_TYPE = {"budget_hotel": 0.0, "business_hotel": 0.2, "restaurant": 0.0, "office": 0.3, "household": -0.2}
_STAY_UNMET_NEED = -0.6

#: "If the firm attends quickly to a service failure, about 70 % of
#: dissatisfied customers keep doing business with it" -- a commonly cited
#: claim repeated in the course readings without a source.
QUICK_RESPONSE_CLAIM = 0.70

#: Phrases with which budget hotels ask for small toilet-paper rolls; a simple
#: keyword search for them finds most, not all, of the requests.
SMALL_ROLL_PHRASES: tuple[str, ...] = ("small roll", "smaller roll", "mini roll")

# Probability that a complaint is a small-roll request / a misleading mention.
_SMALL_ROLL_RATE = {"budget_hotel": 0.09, "business_hotel": 0.012, "restaurant": 0.0, "office": 0.0, "household": 0.0}
_DECOY_RATE = {"budget_hotel": 0.0, "business_hotel": 0.0, "restaurant": 0.012, "office": 0.015, "household": 0.0}

_SMALL_ROLL_TEMPLATES = (
    ("Please stock small rolls of toilet paper; the big rolls do not fit the holders in our guest rooms.", 0.17),
    ("Do you sell small rolls? Our guests waste the big ones.", 0.15),
    ("We need smaller rolls of toilet paper for our rooms.", 0.15),
    ("Smaller rolls would suit our budget rooms much better than what you carry.", 0.13),
    ("Could you order mini rolls of toilet tissue for hotels like ours?", 0.15),
    ("Looking for mini rolls for the guest bathrooms, none on your shelves.", 0.13),
    ("Is there any chance of compact toilet rolls for small hotels?", 0.06),
    ("The standard toilet rolls are too big for our rooms; please sell a half-size roll.", 0.06),
)
_DECOY_TEXT = {
    "restaurant": ("Your mini rolls of cling film tear too easily.", "poor_quality"),
    "office": ("The small rolls of packing tape are always out of stock.", "out_of_stock"),
}
_PRODUCTS = {
    "budget_hotel": ("toilet paper", "towels", "soap bars", "bin liners"),
    "business_hotel": ("bathrobes", "shampoo bottles", "toilet paper", "coffee pods"),
    "restaurant": ("napkins", "paper towels", "takeaway boxes", "dish soap"),
    "office": ("printer paper", "toner", "folders", "receipt rolls"),
    "household": ("kitchen towels", "detergent", "toilet paper", "light bulbs"),
}
_TEMPLATES = {
    "rude_staff": (
        ("The sales assistant was rude when I asked about ", "."),
        ("Your driver was very impolite when delivering our ", "."),
        ("I was spoken to rudely on the phone about an order of ", "."),
        ("Staff ignored me and then snapped at me while I was buying ", "."),
    ),
    "out_of_stock": (
        ("We could not get ", " again; it is always out of stock."),
        ("Ordered ", " but were told it is sold out."),
        ("Your shelf for ", " was empty again this week."),
        ("The backorder for ", " is still not filled."),
    ),
    "poor_service": (
        ("Delivery of our ", " arrived three days late."),
        ("Nobody called back about the missing ", "."),
        ("The wrong quantity of ", " was delivered and no one fixed it."),
        ("Waited forty minutes at the counter to pay for ", "."),
    ),
    "untrained_staff": (
        ("The new clerk knew nothing about the ", " we use."),
        ("Staff gave us wrong information about ", "."),
        ("Nobody in the shop could explain the difference between the brands of ", "."),
        ("The assistant entered our order of ", " wrongly twice."),
    ),
    "poor_quality": (
        ("We are unhappy with the quality of the ", " we bought."),
        ("Half of the ", " in the last box was damaged."),
        ("The new batch of ", " is much worse than before."),
        ("Our guests and staff complained about the ", " you supplied."),
    ),
    "poor_selection": (
        ("You only stock one brand of ", "."),
        ("Please offer more sizes and kinds of ", "."),
        ("The range of ", " is too narrow for our needs."),
        ("Could you carry an eco-friendly option for ", "?"),
    ),
}

#: Columns of ``complaints.csv``, in file order.
COMPLAINT_COLUMNS: tuple[str, ...] = (
    "complaint_id",
    "customer_id",
    "customer_type",
    "category",
    "channel",
    "received_at",
    "response_hours",
    "resolved",
    "compensation",
    "stayed",
    "comment",
)

_STR = "str"


class ComplaintsData(NamedTuple):
    """The two frames of the complaint-log dataset.

    Attributes
    ----------
    complaints : pandas.DataFrame
        One row per complaint, the columns of :data:`COMPLAINT_COLUMNS`.
    truth : pandas.DataFrame
        One row per complaint: ``complaint_id``, ``small_roll_request`` (the
        comment asks for small toilet-paper rolls) and ``stay_probability``.
    """

    complaints: pd.DataFrame
    truth: pd.DataFrame


#: ``complaints.csv``: one row per complaint, in time order (received to the minute).
COMPLAINTS_TABLE = Table(
    "complaints.csv",
    [
        Column("complaint_id"),
        Column("customer_id"),
        Column("customer_type", "category", categories=CUSTOMER_TYPES),
        Column("category", "category", categories=HOLES),
        Column("channel", "category", categories=CHANNELS),
        Column("received_at", "date", fmt="%Y-%m-%d %H:%M"),
        Column("response_hours", "float", decimals=1, low=0),
        Column("resolved", "bool"),
        Column("compensation", "category", categories=COMPENSATIONS),
        Column("stayed", "bool"),
        Column("comment"),
    ],
)

#: ``complaints_truth.csv``: which comments ask for small rolls, and each stay probability.
COMPLAINTS_TRUTH_TABLE = Table(
    "complaints_truth.csv",
    [
        Column("complaint_id"),
        Column("small_roll_request", "bool"),
        Column("stay_probability", "float", decimals=4, low=0, high=1),
    ],
)


def make_complaints(n_complaints: int = DEFAULT_N_COMPLAINTS, seed: int = COMPLAINTS_SEED) -> ComplaintsData:
    r"""Simulate a year's complaint log of a supplies shop, with known effects.

    Each row is one customer's first complaint of 2023.  The model (module
    docstring) makes faster responses, resolution and compensation raise the
    chance that the complainer is still a customer 12 months later, and plants
    requests for small toilet-paper rolls among budget hotels.

    Parameters
    ----------
    n_complaints : int, default 3000
        Number of complaints (a whole number from 1 to 20,000, the size of
        the shop's customer base).
    seed : int, default 20240704
        Seed of the random number generator (a whole number >= 0).

    Returns
    -------
    ComplaintsData
        Named tuple ``(complaints, truth)``:

        * ``complaints`` -- ``complaint_id`` (str, ``"CP00001"`` ..., in time
          order), ``customer_id`` (str), ``customer_type``, ``category``,
          ``channel`` (categoricals), ``received_at`` (datetime64, to the
          minute), ``response_hours`` (float, hours, one decimal, >= 0.1),
          ``resolved`` (bool), ``compensation`` (categorical), ``stayed``
          (bool) and ``comment`` (str).
        * ``truth`` -- ``complaint_id``, ``small_roll_request`` (bool) and
          ``stay_probability`` (float).

    Raises
    ------
    TypeError, ValueError
        If ``n_complaints`` or ``seed`` is not a whole number in range.

    Notes
    -----
    With response time :math:`h` hours the stay probability is
    :math:`\operatorname{logit}^{-1}(1.2 - 0.5 \ln(1 + h) + 1.0\,r + \kappa_c
    + \theta_t - 0.6\,u)` with :math:`r` resolved, :math:`\kappa_c` the
    compensation effect (discount 0.35, replacement 0.6, refund 0.45),
    :math:`\theta_t` the customer-type effect and :math:`u` an unmet
    small-roll request.

    References
    ----------
    .. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer
       Evaluations of Service Complaint Experiences: Implications for
       Relationship Marketing", Journal of Marketing 62(2), 60-76, 1998.
    .. [2] C. W. L. Hart, J. L. Heskett and W. E. Sasser Jr., "The Profitable
       Art of Service Recovery", Harvard Business Review 68(4), 148-156, 1990.

    Examples
    --------
    >>> log = make_complaints(n_complaints=100, seed=1).complaints
    >>> log.shape
    (100, 11)
    >>> log["complaint_id"].iloc[0], bool(log["received_at"].is_monotonic_increasing)
    ('CP00001', True)
    """
    n = check_positive_int("n_complaints", n_complaints)
    if n > _N_CUSTOMER_IDS:
        raise ValueError(f"n_complaints must be at most {_N_CUSTOMER_IDS} (one complaint per customer), got {n}")
    seed = check_seed(seed)
    rng_who, rng_what, rng_time, rng_response, rng_outcome, rng_text = streams(seed, 6)

    ctype = pick(rng_who, CUSTOMER_TYPE_SHARES, n)
    customer_number = rng_who.choice(_N_CUSTOMER_IDS, size=n, replace=False) + 1

    # What the complaint is about; small-roll requests and misleading mentions.
    request = rng_what.random(n) < np.array([_SMALL_ROLL_RATE[t] for t in CUSTOMER_TYPES])[ctype]
    decoy = (rng_what.random(n) < np.array([_DECOY_RATE[t] for t in CUSTOMER_TYPES])[ctype]) & ~request
    category = pick_rows(rng_what, np.array([_CATEGORY_PROBS[t] for t in CUSTOMER_TYPES])[ctype])
    category[request] = HOLES.index("poor_selection")
    decoy_category = {t: HOLES.index(c) for t, (_, c) in _DECOY_TEXT.items()}
    for t, code in decoy_category.items():
        category[decoy & (ctype == CUSTOMER_TYPES.index(t))] = code
    channel = pick(rng_what, _CHANNEL_SHARES, n)

    # When it arrived: a uniform day of 2023, between 07:00 and 22:00.
    minutes = rng_time.integers(0, 365, n) * 1440 + rng_time.integers(7 * 60, 22 * 60, n)

    # Response, resolution, compensation and the outcome a year later.
    median = np.array([_CHANNEL_MEDIAN_HOURS[c] for c in CHANNELS])[channel]
    hours = np.maximum(np.round(median * np.exp(_RESPONSE_SIGMA * rng_response.standard_normal(n)), 1), 0.1)
    log_hours = np.log1p(hours)
    p_resolve = expit(
        _RESOLVE_INTERCEPT
        + _RESOLVE_ON_LOG_HOURS * log_hours
        + np.array([_RESOLVE_CATEGORY[h] for h in HOLES])[category]
    )
    resolved = rng_outcome.random(n) < p_resolve
    compensation = pick_rows(rng_outcome, np.array([_COMPENSATION_PROBS[h] for h in HOLES])[category])
    logit = (
        _STAY_COMPLAINT_INTERCEPT
        + _STAY_ON_LOG_HOURS * log_hours
        + _STAY_ON_RESOLVED * resolved
        + np.array([_STAY_COMPENSATION[c] for c in COMPENSATIONS])[compensation]
        + np.array([_STAY_CUSTOMER_TYPE[t] for t in CUSTOMER_TYPES])[ctype]
        + _STAY_UNMET_NEED * request
    )
    stay_probability = np.round(expit(logit), 4)
    stayed = rng_outcome.random(n) < stay_probability

    # The comment: a template around a product, or a fixed sentence.
    k_templates = len(next(iter(_TEMPLATES.values())))
    template = rng_text.integers(0, k_templates, n)
    before = np.array([[b for b, _ in _TEMPLATES[h]] for h in HOLES], dtype=object)[category, template]
    after = np.array([[a for _, a in _TEMPLATES[h]] for h in HOLES], dtype=object)[category, template]
    product = np.array([_PRODUCTS[t] for t in CUSTOMER_TYPES], dtype=object)[ctype, rng_text.integers(0, 4, n)]
    comment = before + product + after
    roll_text = np.array([t for t, _ in _SMALL_ROLL_TEMPLATES], dtype=object)
    roll_choice = pick(rng_text, [w for _, w in _SMALL_ROLL_TEMPLATES], n)
    comment = np.where(request, roll_text[roll_choice], comment)
    for t, (text, _) in _DECOY_TEXT.items():
        comment = np.where(decoy & (ctype == CUSTOMER_TYPES.index(t)), text, comment)

    order = np.lexsort((customer_number, minutes))
    received = _YEAR_START + minutes[order].astype("timedelta64[m]")
    complaint_id = pd.array(ids("CP", n, 5), dtype=_STR)
    complaints = pd.DataFrame(
        {
            "complaint_id": complaint_id,
            "customer_id": pd.array(np.char.add("S", np.char.zfill(customer_number[order].astype(str), 5)), dtype=_STR),
            "customer_type": pd.Categorical.from_codes(ctype[order], categories=list(CUSTOMER_TYPES)),
            "category": pd.Categorical.from_codes(category[order], categories=list(HOLES)),
            "channel": pd.Categorical.from_codes(channel[order], categories=list(CHANNELS)),
            "received_at": pd.DatetimeIndex(received).astype("datetime64[ns]"),
            "response_hours": hours[order],
            "resolved": resolved[order],
            "compensation": pd.Categorical.from_codes(compensation[order], categories=list(COMPENSATIONS)),
            "stayed": stayed[order],
            "comment": pd.array(comment[order].astype(str), dtype=_STR),
        }
    )
    truth = pd.DataFrame(
        {
            "complaint_id": complaint_id,
            "small_roll_request": request[order],
            "stay_probability": stay_probability[order],
        }
    )
    return ComplaintsData(complaints, truth)


def write_complaints(directory, data: ComplaintsData | None = None) -> list[Path]:
    """Write the complaint log as two CSV files.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; it is created if it does not exist.
    data : ComplaintsData, optional
        Frames to write; by default the course's log, ``make_complaints()``.

    Returns
    -------
    list of pathlib.Path
        Paths of ``complaints.csv`` and ``complaints_truth.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` not a
        :class:`ComplaintsData`.
    ValueError
        If ``directory`` names an existing file.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated
       Values (CSV) Files", RFC 4180, 2005.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_complaints(tmp, make_complaints(n_complaints=20, seed=2))
    ...     print([p.name for p in paths])
    ...     print(paths[1].read_text().splitlines()[0])
    ['complaints.csv', 'complaints_truth.csv']
    complaint_id,small_roll_request,stay_probability
    """
    return write_tables(directory, data, ComplaintsData, make_complaints, (COMPLAINTS_TABLE, COMPLAINTS_TRUTH_TABLE))


def load_complaints(directory=None) -> pd.DataFrame:
    """Load the complaint log of the supplies shop.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``complaints.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per complaint, in time order: ``complaint_id`` and
        ``customer_id`` (str), ``customer_type``, ``category`` (the bucket's
        holes, :data:`coursekit.models.bucket.HOLES`), ``channel`` (categoricals),
        ``received_at`` (datetime64[ns]), ``response_hours`` (float, hours),
        ``resolved`` (bool), ``compensation`` (categorical), ``stayed``
        (bool, still a customer 12 months later) and ``comment`` (str).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer
       Evaluations of Service Complaint Experiences: Implications for
       Relationship Marketing", Journal of Marketing 62(2), 60-76, 1998.

    Examples
    --------
    >>> log = load_complaints()
    >>> log.shape
    (3000, 11)
    >>> round(float(log["stayed"].mean()), 3)
    0.535
    """
    return COMPLAINTS_TABLE.read(directory)


def load_complaints_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the complaint log.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``complaints_truth.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per complaint: ``complaint_id`` (str), ``small_roll_request``
        (bool, the comment asks for small toilet-paper rolls) and
        ``stay_probability`` (float, the model's chance that the complainer
        stays 12 months).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schütze, *Introduction to
       Information Retrieval*, Cambridge University Press, 2008 (precision and
       recall).

    Examples
    --------
    >>> truth = load_complaints_truth()
    >>> int(truth["small_roll_request"].sum())
    62
    """
    return COMPLAINTS_TRUTH_TABLE.read(directory)
