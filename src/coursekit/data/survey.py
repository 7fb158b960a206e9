r"""The customer survey and the complaint log of chapters 3 and 4.

Two synthetic datasets with known ground truth live here, each with a
generator (``make_*``), a writer (``write_*``) that saves byte-for-byte
reproducible CSV files, and typed loaders (``load_*``).

The survey (``survey.csv``)
---------------------------
:func:`make_survey` simulates 1,500 customers of firms in six industries who
answer one questionnaire.  Every answer is an integer on its own scale
(:data:`SURVEY_SCALES`); the latent model behind them is transparent:

1. **Who answers.**  Industry, customer tier (gold / silver / ordinary) and a
   latent loyalty type (advocate / user / comparer).  The loyalty types are
   allocated with *exactly* the industry shares of :data:`LOYALTY_SHARES`
   (largest-remainder rounding, then a random order): comparers make up more
   than 40 % of every industry, and most customers of mobile telecom and
   online shopping are comparers.
2. **Attribute perceptions and expectations.**  For each attribute *j* of
   :data:`ATTRIBUTES` the perception is
   :math:`P_{ij} = \operatorname{round}(m_j + \delta_{k(i)j} + \tau^P_{t(i)}
   + 0.8\,h_i + 0.9\,z_{ij})`, clipped to 1..7, where :math:`h_i \sim N(0, 1)`
   is a halo (general impression) shared by all attributes, so perceptions are
   correlated; the expectation is :math:`E_{ij} = \operatorname{round}(e_j +
   \tau^E_{t(i)} + 0.5\,g_i + 0.8\,u_{ij})`, clipped to 1..7, independent of
   the perceptions.
3. **Value.**  Customer value (benefits relative to cost) :math:`V_i =
   \operatorname{round}(4.4 + 1.2\,v_i)` is independent of the perceptions;
   perceived value is :math:`W_i = \operatorname{round}(4 + 0.5 (V_i - 4) +
   0.4 (\bar P_i - 4.7) + 0.9\,\epsilon_i)`.
4. **Satisfaction (H2 and the attribute weights).**
   :math:`S^*_i = 4.3 + \sum_j w_j (P_{ij} - 4) + \beta_2 (V_i - 4) +
   0.6\,\epsilon^S_i`, observed as ``overall_satisfaction`` = round and clip
   to 1..7.  The true weights :math:`w_j` (:data:`ATTRIBUTE_WEIGHTS`) differ
   from what customers *say* matters (:data:`STATED_IMPORTANCE_MEANS`).
   Because expectations enter only through :math:`P = E + (P - E)`,
   satisfaction is consistent with Oliver's expectation--disconfirmation
   model with equal weights on expectation and disconfirmation.
5. **Repurchase intention (H1 and H3).**  :math:`R^*_i = 4.5 + \beta_1 (W_i -
   4) + \beta_3 (S_i - 4) + 0.7\,\epsilon^R_i`, rounded and clipped to 1..7.
6. **Trust and recommendation.**  Trust rises with satisfaction and is higher
   for advocates; ``recommend`` (0-10) rises with satisfaction and trust, with
   a bonus for advocates.
7. **Loyalty indicators.**  ``believes_brand_best``, ``reevaluates_often``,
   ``switching_hassle`` and ``price_sensitivity`` have type-specific means
   (:data:`LOYALTY_INDICATOR_MEANS`) plus noise (sd 1.0), rounded and clipped
   to 1..7.
8. **A year later.**  ``stayed_next_year`` is Bernoulli with
   :math:`\operatorname{logit} p_i = \alpha_{c(i)} + \gamma_{c(i)} (S_i - 4) +
   0.25 (\text{hassle}_i - 4)`; comparers have a low intercept and twice the
   satisfaction slope of the other types, so many *satisfied* comparers still
   leave.

Structural equations use the *observed* (rounded) regressors, so an ordinary
least-squares regression of the observed outcome on them recovers the true
coefficients up to rounding and clipping of the outcome.  The truth files hold
each respondent's loyalty type and stay probability
(``survey_truth.csv``) and every coefficient, weight and share
(``survey_truth_parameters.csv``); ``survey_importance.csv`` is the stated
importance of each attribute (mean of 1-7 ratings).

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
.. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and Consequences of
   Satisfaction Decisions", Journal of Marketing Research 17(4), 460-469, 1980.
.. [2] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a
   Service Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.
.. [3] S. S. Tax, S. W. Brown and M. Chandrashekaran, "Customer Evaluations of
   Service Complaint Experiences: Implications for Relationship Marketing",
   Journal of Marketing 62(2), 60-76, 1998.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursekit._validate import check_positive_int
from coursekit.models.bucket import HOLES

__all__ = [
    "SurveyData",
    "ComplaintsData",
    "INDUSTRIES",
    "INDUSTRY_SHARES",
    "TIERS",
    "TIER_SHARES",
    "ATTRIBUTES",
    "EXPECTATION_COLUMNS",
    "PERCEPTION_COLUMNS",
    "ATTRIBUTE_WEIGHTS",
    "STATED_IMPORTANCE_MEANS",
    "H1_PERCEIVED_VALUE_TO_REPURCHASE",
    "H2_CUSTOMER_VALUE_TO_SATISFACTION",
    "H3_SATISFACTION_TO_REPURCHASE",
    "LOYALTY_TYPES",
    "LOYALTY_SHARES",
    "LOYALTY_INDICATOR_MEANS",
    "SURVEY_SCALES",
    "SURVEY_COLUMNS",
    "CUSTOMER_TYPES",
    "CUSTOMER_TYPE_SHARES",
    "CHANNELS",
    "COMPENSATIONS",
    "QUICK_RESPONSE_CLAIM",
    "SMALL_ROLL_PHRASES",
    "COMPLAINT_COLUMNS",
    "make_survey",
    "write_survey",
    "make_complaints",
    "write_complaints",
    "load_survey",
    "load_stated_importance",
    "load_survey_truth",
    "load_survey_parameters",
    "load_complaints",
    "load_complaints_truth",
    "SURVEY_SEED",
    "COMPLAINTS_SEED",
    "main",
]

# --------------------------------------------------------------------------
# Survey: design and true parameters
# --------------------------------------------------------------------------

#: Seed of the course's survey.
SURVEY_SEED = 20240703
DEFAULT_N_RESPONDENTS = 1500

#: Industries of the firms whose customers answer, in display order.
INDUSTRIES: tuple[str, ...] = ("retail", "mobile_telecom", "banking", "insurance", "utilities", "online_shopping")

#: Share of respondents from each industry.
INDUSTRY_SHARES = {
    "retail": 0.20,
    "mobile_telecom": 0.18,
    "banking": 0.17,
    "insurance": 0.13,
    "utilities": 0.14,
    "online_shopping": 0.18,
}

#: Customer tiers used by the firm's care plan, from the most valuable down.
TIERS: tuple[str, ...] = ("gold", "silver", "ordinary")

#: Share of respondents in each tier.
TIER_SHARES = {"gold": 0.10, "silver": 0.25, "ordinary": 0.65}

#: Service attributes rated for expectation and perception (1-7).  The names
#: are generic across industries: ``delivery_speed`` is how fast the goods or
#: the service arrive, ``website_ease`` how easy the website or app is.
ATTRIBUTES: tuple[str, ...] = (
    "product_quality",
    "delivery_speed",
    "staff_courtesy",
    "price_fairness",
    "website_ease",
    "after_sales",
)

#: Column of each attribute's expectation score.
EXPECTATION_COLUMNS = {a: f"{a}_expectation" for a in ATTRIBUTES}

#: Column of each attribute's perception score.
PERCEPTION_COLUMNS = {a: f"{a}_perception" for a in ATTRIBUTES}

#: True weight of each attribute's perception in latent satisfaction
#: (satisfaction points per perception point): the *derived* importance.
ATTRIBUTE_WEIGHTS = {
    "product_quality": 0.36,
    "delivery_speed": 0.13,
    "staff_courtesy": 0.23,
    "price_fairness": 0.07,
    "website_ease": 0.03,
    "after_sales": 0.30,
}

#: Mean of the 1-7 importance that respondents *state* for each attribute;
#: price and quality are said to matter most, courtesy and after-sales least.
STATED_IMPORTANCE_MEANS = {
    "product_quality": 6.1,
    "delivery_speed": 5.6,
    "staff_courtesy": 4.5,
    "price_fairness": 6.3,
    "website_ease": 5.0,
    "after_sales": 4.7,
}

#: H1: repurchase-intention points per perceived-value point.
H1_PERCEIVED_VALUE_TO_REPURCHASE = 0.30
#: H2: satisfaction points per customer-value point.
H2_CUSTOMER_VALUE_TO_SATISFACTION = 0.35
#: H3: repurchase-intention points per satisfaction point.
H3_SATISFACTION_TO_REPURCHASE = 0.50

#: Loyalty types (after the readings' brand advocates, users and comparers).
LOYALTY_TYPES: tuple[str, ...] = ("advocate", "user", "comparer")

#: Share of each loyalty type within each industry (allocated exactly).
LOYALTY_SHARES = {
    "retail": {"advocate": 0.32, "user": 0.18, "comparer": 0.50},
    "mobile_telecom": {"advocate": 0.10, "user": 0.18, "comparer": 0.72},
    "banking": {"advocate": 0.18, "user": 0.36, "comparer": 0.46},
    "insurance": {"advocate": 0.12, "user": 0.42, "comparer": 0.46},
    "utilities": {"advocate": 0.08, "user": 0.47, "comparer": 0.45},
    "online_shopping": {"advocate": 0.12, "user": 0.12, "comparer": 0.76},
}

#: Mean of each loyalty indicator (1-7) by loyalty type.
LOYALTY_INDICATOR_MEANS = {
    "believes_brand_best": {"advocate": 6.0, "user": 4.0, "comparer": 3.2},
    "reevaluates_often": {"advocate": 2.0, "user": 2.5, "comparer": 5.6},
    "switching_hassle": {"advocate": 4.0, "user": 5.8, "comparer": 2.8},
    "price_sensitivity": {"advocate": 2.8, "user": 3.8, "comparer": 5.6},
}

# Perception and expectation model (step 2).
_PERCEPTION_BASE = np.array([5.0, 4.8, 5.0, 4.3, 4.7, 4.4])
_PERCEPTION_SHIFT = {  # industry x attribute, added to the base
    "retail": [0.0, 0.0, 0.3, 0.0, -0.3, 0.0],
    "mobile_telecom": [0.0, 0.0, -0.3, -0.6, 0.0, -0.4],
    "banking": [0.0, 0.0, 0.0, -0.3, 0.2, 0.0],
    "insurance": [0.0, 0.0, 0.0, 0.0, -0.2, -0.5],
    "utilities": [0.0, -0.3, 0.0, -0.2, -0.6, 0.0],
    "online_shopping": [0.0, 0.3, -0.4, 0.0, 0.6, 0.0],
}
_PERCEPTION_TIER = {"gold": 0.3, "silver": 0.1, "ordinary": 0.0}
_HALO_LOADING = 0.8
_PERCEPTION_NOISE = 0.9
_EXPECTATION_BASE = np.array([5.6, 5.2, 5.0, 5.0, 4.8, 5.0])
_EXPECTATION_TIER = {"gold": 0.5, "silver": 0.2, "ordinary": 0.0}
_EXPECTATION_LEVEL_SD = 0.5
_EXPECTATION_NOISE = 0.8

# Value, satisfaction and repurchase (steps 3-5).
_CUSTOMER_VALUE_MEAN = 4.4
_CUSTOMER_VALUE_SD = 1.2
_PERCEIVED_VALUE_ON_CV = 0.5
_PERCEIVED_VALUE_ON_PERCEPTION = 0.4
_PERCEIVED_VALUE_NOISE = 0.9
_SATISFACTION_INTERCEPT = 4.0
_SATISFACTION_NOISE = 0.5
_REPURCHASE_INTERCEPT = 4.3
_REPURCHASE_NOISE = 0.5

# Trust and recommendation (step 6).
_TRUST_INTERCEPT = 4.0
_TRUST_ON_SATISFACTION = 0.5
_TRUST_TYPE = {"advocate": 0.8, "user": 0.0, "comparer": -0.3}
_TRUST_NOISE = 0.9
_RECOMMEND_INTERCEPT = 6.0
_RECOMMEND_ON_SATISFACTION = 1.2
_RECOMMEND_ON_TRUST = 0.3
_RECOMMEND_TYPE = {"advocate": 1.0, "user": 0.0, "comparer": -0.3}
_RECOMMEND_NOISE = 1.3
_INDICATOR_NOISE = 1.0

# A year later (step 8).
_STAY_INTERCEPT = {"advocate": 2.4, "user": 1.8, "comparer": 0.2}
_STAY_ON_SATISFACTION = {"advocate": 0.3, "user": 0.3, "comparer": 0.6}
_STAY_ON_HASSLE = 0.25

# Tenure (years): Gamma(shape 1.5) with a type-specific mean, times a tier factor.
_TENURE_SHAPE = 1.5
_TENURE_MEAN = {"advocate": 6.0, "user": 6.5, "comparer": 2.5}
_TENURE_TIER = {"gold": 1.5, "silver": 1.2, "ordinary": 1.0}
_STATED_NOISE = 0.9

#: Scale (lowest, highest) of every score column of the survey.
SURVEY_SCALES: dict[str, tuple[int, int]] = {
    **{col: (1, 7) for a in ATTRIBUTES for col in (EXPECTATION_COLUMNS[a], PERCEPTION_COLUMNS[a])},
    "overall_satisfaction": (1, 7),
    "recommend": (0, 10),
    "repurchase_intention": (1, 7),
    "perceived_value": (1, 7),
    "customer_value": (1, 7),
    "trust": (1, 7),
    "believes_brand_best": (1, 7),
    "reevaluates_often": (1, 7),
    "switching_hassle": (1, 7),
    "price_sensitivity": (1, 7),
}

#: Columns of ``survey.csv``, in file order.
SURVEY_COLUMNS: tuple[str, ...] = (
    "respondent_id",
    "industry",
    "customer_tier",
    "tenure_years",
    *[col for a in ATTRIBUTES for col in (EXPECTATION_COLUMNS[a], PERCEPTION_COLUMNS[a])],
    "overall_satisfaction",
    "recommend",
    "repurchase_intention",
    "perceived_value",
    "customer_value",
    "trust",
    "believes_brand_best",
    "reevaluates_often",
    "switching_hassle",
    "price_sensitivity",
    "stayed_next_year",
)

# --------------------------------------------------------------------------
# Complaint log: design and true parameters
# --------------------------------------------------------------------------

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


class SurveyData(NamedTuple):
    """The four frames of the survey dataset.

    Attributes
    ----------
    survey : pandas.DataFrame
        One row per respondent, the columns of :data:`SURVEY_COLUMNS`.
    stated_importance : pandas.DataFrame
        One row per attribute: ``attribute``, ``stated_importance`` (mean of
        1-7 ratings), ``stated_top2_share`` (share rating 6 or 7) and
        ``stated_rank`` (1 = said to matter most).
    truth : pandas.DataFrame
        One row per respondent: ``respondent_id``, ``loyalty_type`` and
        ``stay_probability``.
    parameters : pandas.DataFrame
        The true parameters, one per row: ``parameter``, ``value``,
        ``description``.
    """

    survey: pd.DataFrame
    stated_importance: pd.DataFrame
    truth: pd.DataFrame
    parameters: pd.DataFrame


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


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _datagen():
    """Return :mod:`coursekit.data.transactions` (imported late: it may register this module's writers)."""
    from coursekit.data import transactions as datagen

    return datagen


def _streams(seed: int, k: int) -> list[np.random.Generator]:
    """Return ``k`` independent generators spawned from ``seed``."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


def _pick(rng: np.random.Generator, shares, n: int) -> np.ndarray:
    """Draw ``n`` codes 0..k-1 with the probabilities in ``shares`` (dict or sequence)."""
    p = np.asarray(list(shares.values()) if isinstance(shares, dict) else shares, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum())


def _pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Draw one code per row of the probability matrix ``probs`` (rows sum to 1)."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    code = (rng.random(probs.shape[0])[:, None] > cum).sum(axis=1)
    return np.minimum(code, probs.shape[1] - 1)


def _allocate(shares: np.ndarray, n: int) -> np.ndarray:
    """Split ``n`` into whole counts proportional to ``shares`` (largest remainder)."""
    exact = shares / shares.sum() * n
    counts = np.floor(exact).astype(int)
    remainder = exact - counts
    extra = np.argsort(-remainder, kind="stable")[: n - counts.sum()]
    counts[extra] += 1
    return counts


def _scale_round(latent: np.ndarray, low: int, high: int) -> np.ndarray:
    """Round latent scores to the nearest integer and clip them to ``[low, high]``."""
    return np.clip(np.rint(latent), low, high).astype(np.int64)


def _logistic(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


def _bool_text(values) -> np.ndarray:
    """Format booleans as ``True`` / ``False``."""
    return np.where(np.asarray(values, dtype=bool), "True", "False")


# --------------------------------------------------------------------------
# Survey generator and writer
# --------------------------------------------------------------------------


def make_survey(n_respondents: int = DEFAULT_N_RESPONDENTS, seed: int = SURVEY_SEED) -> SurveyData:
    r"""Simulate the customer survey with known attribute weights and loyalty types.

    The generative model is set out in the module docstring; its parameters are
    the module's constants and are also returned in ``parameters``.  The same
    arguments give identical frames on every run.

    Parameters
    ----------
    n_respondents : int, default 1500
        Number of respondents (a whole number >= 1).
    seed : int, default 20240703
        Seed of the random number generator (a whole number >= 0).

    Returns
    -------
    SurveyData
        Named tuple ``(survey, stated_importance, truth, parameters)``:

        * ``survey`` -- ``respondent_id`` (str, ``"R0001"`` ...), ``industry``
          and ``customer_tier`` (categoricals), ``tenure_years`` (float,
          years, one decimal), the integer scores of :data:`SURVEY_SCALES` and
          ``stayed_next_year`` (bool).
        * ``stated_importance`` -- one row per attribute of
          :data:`ATTRIBUTES`.
        * ``truth`` -- ``respondent_id``, ``loyalty_type`` (categorical) and
          ``stay_probability`` (the model's probability of staying a year).
        * ``parameters`` -- every true coefficient, weight and share.

    Raises
    ------
    TypeError, ValueError
        If ``n_respondents`` or ``seed`` is not a whole number in range.

    Notes
    -----
    Loyalty types are allocated exactly: in an industry of :math:`n_k`
    respondents, type :math:`c` gets :math:`n_k s_{kc}` respondents rounded by
    the largest-remainder method, so the true shares equal
    :data:`LOYALTY_SHARES` up to one respondent.

    References
    ----------
    .. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and
       Consequences of Satisfaction Decisions", Journal of Marketing Research
       17(4), 460-469, 1980.
    .. [2] F. F. Reichheld, "The One Number You Need to Grow", Harvard
       Business Review 81(12), 46-54, 2003.

    Examples
    --------
    >>> data = make_survey(n_respondents=200, seed=1)
    >>> data.survey.shape
    (200, 27)
    >>> data.truth["loyalty_type"].value_counts().sort_index().to_dict()
    {'advocate': 32, 'user': 54, 'comparer': 114}
    """
    n = check_positive_int("n_respondents", n_respondents)
    seed = check_positive_int("seed", seed, allow_zero=True)
    (rng_who, rng_type, rng_perc, rng_exp, rng_value, rng_out, rng_loyal, rng_stated) = _streams(seed, 8)
    k_attr = len(ATTRIBUTES)

    # 1. Who answers.
    industry = _pick(rng_who, INDUSTRY_SHARES, n)
    tier = _pick(rng_who, TIER_SHARES, n)
    ltype = np.empty(n, dtype=np.int64)
    for k, name in enumerate(INDUSTRIES):
        members = np.flatnonzero(industry == k)
        shares = np.array([LOYALTY_SHARES[name][c] for c in LOYALTY_TYPES])
        labels = np.repeat(np.arange(len(LOYALTY_TYPES)), _allocate(shares, members.size))
        ltype[members] = rng_type.permutation(labels)
    tenure_mean = np.array([_TENURE_MEAN[c] for c in LOYALTY_TYPES])[ltype]
    tenure_mean = tenure_mean * np.array([_TENURE_TIER[t] for t in TIERS])[tier]
    tenure = rng_who.gamma(_TENURE_SHAPE, tenure_mean / _TENURE_SHAPE)
    tenure = np.maximum(np.round(tenure, 1), 0.1)

    # 2. Perceptions (with a halo) and expectations (independent of them).
    shift = np.array([_PERCEPTION_SHIFT[name] for name in INDUSTRIES])[industry]
    tier_p = np.array([_PERCEPTION_TIER[t] for t in TIERS])[tier]
    halo = rng_perc.standard_normal(n)
    latent_p = (
        _PERCEPTION_BASE
        + shift
        + tier_p[:, None]
        + _HALO_LOADING * halo[:, None]
        + _PERCEPTION_NOISE * rng_perc.standard_normal((n, k_attr))
    )
    perception = _scale_round(latent_p, 1, 7)
    tier_e = np.array([_EXPECTATION_TIER[t] for t in TIERS])[tier]
    level = _EXPECTATION_LEVEL_SD * rng_exp.standard_normal(n)
    latent_e = (
        _EXPECTATION_BASE
        + tier_e[:, None]
        + level[:, None]
        + _EXPECTATION_NOISE * rng_exp.standard_normal((n, k_attr))
    )
    expectation = _scale_round(latent_e, 1, 7)

    # 3. Customer value and perceived value.
    customer_value = _scale_round(_CUSTOMER_VALUE_MEAN + _CUSTOMER_VALUE_SD * rng_value.standard_normal(n), 1, 7)
    perceived_value = _scale_round(
        4.0
        + _PERCEIVED_VALUE_ON_CV * (customer_value - 4)
        + _PERCEIVED_VALUE_ON_PERCEPTION * (perception.mean(axis=1) - 4.7)
        + _PERCEIVED_VALUE_NOISE * rng_value.standard_normal(n),
        1,
        7,
    )

    # 4-5. Satisfaction (weights, H2) and repurchase intention (H1, H3).
    weights = np.array([ATTRIBUTE_WEIGHTS[a] for a in ATTRIBUTES])
    latent_s = (
        _SATISFACTION_INTERCEPT
        + (perception - 4) @ weights
        + H2_CUSTOMER_VALUE_TO_SATISFACTION * (customer_value - 4)
        + _SATISFACTION_NOISE * rng_out.standard_normal(n)
    )
    satisfaction = _scale_round(latent_s, 1, 7)
    latent_r = (
        _REPURCHASE_INTERCEPT
        + H1_PERCEIVED_VALUE_TO_REPURCHASE * (perceived_value - 4)
        + H3_SATISFACTION_TO_REPURCHASE * (satisfaction - 4)
        + _REPURCHASE_NOISE * rng_out.standard_normal(n)
    )
    repurchase = _scale_round(latent_r, 1, 7)

    # 6. Trust and likelihood to recommend.
    trust = _scale_round(
        _TRUST_INTERCEPT
        + _TRUST_ON_SATISFACTION * (satisfaction - 4)
        + np.array([_TRUST_TYPE[c] for c in LOYALTY_TYPES])[ltype]
        + _TRUST_NOISE * rng_out.standard_normal(n),
        1,
        7,
    )
    recommend = _scale_round(
        _RECOMMEND_INTERCEPT
        + _RECOMMEND_ON_SATISFACTION * (satisfaction - 4)
        + _RECOMMEND_ON_TRUST * (trust - 4)
        + np.array([_RECOMMEND_TYPE[c] for c in LOYALTY_TYPES])[ltype]
        + _RECOMMEND_NOISE * rng_out.standard_normal(n),
        0,
        10,
    )

    # 7. Loyalty indicators.
    indicators = {}
    for name, means in LOYALTY_INDICATOR_MEANS.items():
        mu = np.array([means[c] for c in LOYALTY_TYPES])[ltype]
        indicators[name] = _scale_round(mu + _INDICATOR_NOISE * rng_loyal.standard_normal(n), 1, 7)

    # 8. A year later.
    logit = (
        np.array([_STAY_INTERCEPT[c] for c in LOYALTY_TYPES])[ltype]
        + np.array([_STAY_ON_SATISFACTION[c] for c in LOYALTY_TYPES])[ltype] * (satisfaction - 4)
        + _STAY_ON_HASSLE * (indicators["switching_hassle"] - 4)
    )
    stay_probability = np.round(_logistic(logit), 4)
    stayed = rng_loyal.random(n) < stay_probability

    respondent_id = _datagen()._ids("R", n, 4)
    columns: dict[str, object] = {
        "respondent_id": pd.array(respondent_id, dtype=_STR),
        "industry": pd.Categorical.from_codes(industry, categories=list(INDUSTRIES)),
        "customer_tier": pd.Categorical.from_codes(tier, categories=list(TIERS)),
        "tenure_years": tenure,
    }
    for j, a in enumerate(ATTRIBUTES):
        columns[EXPECTATION_COLUMNS[a]] = expectation[:, j]
        columns[PERCEPTION_COLUMNS[a]] = perception[:, j]
    columns.update(
        {
            "overall_satisfaction": satisfaction,
            "recommend": recommend,
            "repurchase_intention": repurchase,
            "perceived_value": perceived_value,
            "customer_value": customer_value,
            "trust": trust,
            **indicators,
            "stayed_next_year": stayed,
        }
    )
    survey = pd.DataFrame(columns)

    # Stated importance: each respondent rates each attribute 1-7.
    stated_means = np.array([STATED_IMPORTANCE_MEANS[a] for a in ATTRIBUTES])
    stated = _scale_round(stated_means + _STATED_NOISE * rng_stated.standard_normal((n, k_attr)), 1, 7)
    stated_mean = np.round(stated.mean(axis=0), 2)
    order = np.lexsort((np.arange(k_attr), -stated_mean))
    rank = np.empty(k_attr, dtype=np.int64)
    rank[order] = np.arange(1, k_attr + 1)
    stated_importance = pd.DataFrame(
        {
            "attribute": pd.array(list(ATTRIBUTES), dtype=_STR),
            "stated_importance": stated_mean,
            "stated_top2_share": np.round((stated >= 6).mean(axis=0), 3),
            "stated_rank": rank,
        }
    )
    truth = pd.DataFrame(
        {
            "respondent_id": pd.array(respondent_id, dtype=_STR),
            "loyalty_type": pd.Categorical.from_codes(ltype, categories=list(LOYALTY_TYPES)),
            "stay_probability": stay_probability,
        }
    )
    return SurveyData(survey, stated_importance, truth, _survey_parameters())


def _survey_parameters() -> pd.DataFrame:
    """The true parameters of the survey model as a long table."""
    rows: list[tuple[str, float, str]] = []
    for a in ATTRIBUTES:
        rows.append(
            (f"weight_{a}", ATTRIBUTE_WEIGHTS[a], f"satisfaction points per point of {a} perception (true importance)")
        )
    rows += [
        ("satisfaction_intercept", _SATISFACTION_INTERCEPT, "latent satisfaction when every perception and customer value is 4"),
        ("satisfaction_noise_sd", _SATISFACTION_NOISE, "sd of the satisfaction error"),
        ("h1_perceived_value_to_repurchase", H1_PERCEIVED_VALUE_TO_REPURCHASE,
         "H1: repurchase-intention points per perceived-value point"),
        ("h2_customer_value_to_satisfaction", H2_CUSTOMER_VALUE_TO_SATISFACTION,
         "H2: satisfaction points per customer-value point"),
        ("h3_satisfaction_to_repurchase", H3_SATISFACTION_TO_REPURCHASE,
         "H3: repurchase-intention points per satisfaction point"),
        ("repurchase_intercept", _REPURCHASE_INTERCEPT, "latent repurchase intention when perceived value and satisfaction are 4"),
        ("repurchase_noise_sd", _REPURCHASE_NOISE, "sd of the repurchase-intention error"),
        ("halo_loading", _HALO_LOADING, "loading of every perception on the shared halo factor"),
        ("perception_noise_sd", _PERCEPTION_NOISE, "sd of each perception's own error"),
    ]
    for c in LOYALTY_TYPES:
        rows.append((f"stay_intercept_{c}", _STAY_INTERCEPT[c], f"logit of staying a year for a {c} with satisfaction 4 and hassle 4"))
        rows.append((f"stay_satisfaction_slope_{c}", _STAY_ON_SATISFACTION[c], f"logit change per satisfaction point, {c}s"))
    rows.append(("stay_switching_hassle_slope", _STAY_ON_HASSLE, "logit change per switching-hassle point"))
    for name in INDUSTRIES:
        for c in LOYALTY_TYPES:
            rows.append((f"share_{c}_{name}", LOYALTY_SHARES[name][c], f"share of {c}s among {name} respondents"))
    for ind, means in LOYALTY_INDICATOR_MEANS.items():
        for c in LOYALTY_TYPES:
            rows.append((f"mean_{ind}_{c}", means[c], f"mean {ind} score of {c}s before rounding"))
    names, values, descriptions = zip(*rows)
    return pd.DataFrame(
        {
            "parameter": pd.array(list(names), dtype=_STR),
            "value": np.array(values, dtype=float),
            "description": pd.array(list(descriptions), dtype=_STR),
        }
    )


def write_survey(directory, data: SurveyData | None = None) -> list[Path]:
    """Write the survey dataset as four CSV files.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; it is created if it does not exist.
    data : SurveyData, optional
        Frames to write; by default the course's survey, ``make_survey()``.

    Returns
    -------
    list of pathlib.Path
        Paths of ``survey.csv``, ``survey_importance.csv``,
        ``survey_truth.csv`` and ``survey_truth_parameters.csv``.

    Raises
    ------
    TypeError
        If ``directory`` is not a path or ``data`` not a :class:`SurveyData`.
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
    ...     paths = write_survey(tmp, make_survey(n_respondents=20, seed=2))
    ...     print([p.name for p in paths])
    ...     print(paths[1].read_text().splitlines()[0])
    ['survey.csv', 'survey_importance.csv', 'survey_truth.csv', 'survey_truth_parameters.csv']
    attribute,stated_importance,stated_top2_share,stated_rank
    """
    dg = _datagen()
    directory = dg._check_directory("directory", directory)
    if data is None:
        data = make_survey()
    elif not isinstance(data, SurveyData):
        raise TypeError(f"data must be a SurveyData or None, got {type(data).__name__}")
    survey, stated, truth, parameters = data
    text = {}
    for column in SURVEY_COLUMNS:
        values = survey[column]
        if column == "tenure_years":
            text[column] = dg._float_text(values, 1)
        elif column == "stayed_next_year":
            text[column] = _bool_text(values)
        else:
            text[column] = values.astype(str)
    return [
        dg._write_csv(pd.DataFrame(text), directory / "survey.csv"),
        dg._write_csv(
            pd.DataFrame(
                {
                    "attribute": stated["attribute"].astype(str),
                    "stated_importance": dg._float_text(stated["stated_importance"], 2),
                    "stated_top2_share": dg._float_text(stated["stated_top2_share"], 3),
                    "stated_rank": stated["stated_rank"].astype(str),
                }
            ),
            directory / "survey_importance.csv",
        ),
        dg._write_csv(
            pd.DataFrame(
                {
                    "respondent_id": truth["respondent_id"].astype(str),
                    "loyalty_type": truth["loyalty_type"].astype(str),
                    "stay_probability": dg._float_text(truth["stay_probability"], 4),
                }
            ),
            directory / "survey_truth.csv",
        ),
        dg._write_csv(
            pd.DataFrame(
                {
                    "parameter": parameters["parameter"].astype(str),
                    "value": dg._float_text(parameters["value"], 4),
                    "description": parameters["description"].astype(str),
                }
            ),
            directory / "survey_truth_parameters.csv",
        ),
    ]


# --------------------------------------------------------------------------
# Complaint log generator and writer
# --------------------------------------------------------------------------


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
    seed = check_positive_int("seed", seed, allow_zero=True)
    rng_who, rng_what, rng_time, rng_response, rng_outcome, rng_text = _streams(seed, 6)

    ctype = _pick(rng_who, CUSTOMER_TYPE_SHARES, n)
    customer_number = rng_who.choice(_N_CUSTOMER_IDS, size=n, replace=False) + 1

    # What the complaint is about; small-roll requests and misleading mentions.
    request = rng_what.random(n) < np.array([_SMALL_ROLL_RATE[t] for t in CUSTOMER_TYPES])[ctype]
    decoy = (rng_what.random(n) < np.array([_DECOY_RATE[t] for t in CUSTOMER_TYPES])[ctype]) & ~request
    category = _pick_rows(rng_what, np.array([_CATEGORY_PROBS[t] for t in CUSTOMER_TYPES])[ctype])
    category[request] = HOLES.index("poor_selection")
    decoy_category = {t: HOLES.index(c) for t, (_, c) in _DECOY_TEXT.items()}
    for t, code in decoy_category.items():
        category[decoy & (ctype == CUSTOMER_TYPES.index(t))] = code
    channel = _pick(rng_what, _CHANNEL_SHARES, n)

    # When it arrived: a uniform day of 2023, between 07:00 and 22:00.
    minutes = rng_time.integers(0, 365, n) * 1440 + rng_time.integers(7 * 60, 22 * 60, n)

    # Response, resolution, compensation and the outcome a year later.
    median = np.array([_CHANNEL_MEDIAN_HOURS[c] for c in CHANNELS])[channel]
    hours = np.maximum(np.round(median * np.exp(_RESPONSE_SIGMA * rng_response.standard_normal(n)), 1), 0.1)
    log_hours = np.log1p(hours)
    p_resolve = _logistic(
        _RESOLVE_INTERCEPT + _RESOLVE_ON_LOG_HOURS * log_hours + np.array([_RESOLVE_CATEGORY[h] for h in HOLES])[category]
    )
    resolved = rng_outcome.random(n) < p_resolve
    compensation = _pick_rows(rng_outcome, np.array([_COMPENSATION_PROBS[h] for h in HOLES])[category])
    logit = (
        _STAY_COMPLAINT_INTERCEPT
        + _STAY_ON_LOG_HOURS * log_hours
        + _STAY_ON_RESOLVED * resolved
        + np.array([_STAY_COMPENSATION[c] for c in COMPENSATIONS])[compensation]
        + np.array([_STAY_CUSTOMER_TYPE[t] for t in CUSTOMER_TYPES])[ctype]
        + _STAY_UNMET_NEED * request
    )
    stay_probability = np.round(_logistic(logit), 4)
    stayed = rng_outcome.random(n) < stay_probability

    # The comment: a template around a product, or a fixed sentence.
    k_templates = len(next(iter(_TEMPLATES.values())))
    template = rng_text.integers(0, k_templates, n)
    before = np.array([[b for b, _ in _TEMPLATES[h]] for h in HOLES], dtype=object)[category, template]
    after = np.array([[a for _, a in _TEMPLATES[h]] for h in HOLES], dtype=object)[category, template]
    product = np.array([_PRODUCTS[t] for t in CUSTOMER_TYPES], dtype=object)[ctype, rng_text.integers(0, 4, n)]
    comment = before + product + after
    roll_text = np.array([t for t, _ in _SMALL_ROLL_TEMPLATES], dtype=object)
    roll_choice = _pick(rng_text, [w for _, w in _SMALL_ROLL_TEMPLATES], n)
    comment = np.where(request, roll_text[roll_choice], comment)
    for t, (text, _) in _DECOY_TEXT.items():
        comment = np.where(decoy & (ctype == CUSTOMER_TYPES.index(t)), text, comment)

    order = np.lexsort((customer_number, minutes))
    received = _YEAR_START + minutes[order].astype("timedelta64[m]")
    complaint_id = pd.array(_datagen()._ids("CP", n, 5), dtype=_STR)
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
    dg = _datagen()
    directory = dg._check_directory("directory", directory)
    if data is None:
        data = make_complaints()
    elif not isinstance(data, ComplaintsData):
        raise TypeError(f"data must be a ComplaintsData or None, got {type(data).__name__}")
    complaints, truth = data
    return [
        dg._write_csv(
            pd.DataFrame(
                {
                    "complaint_id": complaints["complaint_id"].astype(str),
                    "customer_id": complaints["customer_id"].astype(str),
                    "customer_type": complaints["customer_type"].astype(str),
                    "category": complaints["category"].astype(str),
                    "channel": complaints["channel"].astype(str),
                    "received_at": complaints["received_at"].dt.strftime("%Y-%m-%d %H:%M"),
                    "response_hours": dg._float_text(complaints["response_hours"], 1),
                    "resolved": _bool_text(complaints["resolved"]),
                    "compensation": complaints["compensation"].astype(str),
                    "stayed": _bool_text(complaints["stayed"]),
                    "comment": complaints["comment"].astype(str),
                }
            ),
            directory / "complaints.csv",
        ),
        dg._write_csv(
            pd.DataFrame(
                {
                    "complaint_id": truth["complaint_id"].astype(str),
                    "small_roll_request": _bool_text(truth["small_roll_request"]),
                    "stay_probability": dg._float_text(truth["stay_probability"], 4),
                }
            ),
            directory / "complaints_truth.csv",
        ),
    ]


# --------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------


def _read(directory, filename: str, columns) -> pd.DataFrame:
    """Read ``filename`` from ``directory`` (default data folder) as text columns."""
    from coursekit.data import loaders as datasets

    return datasets._read(directory, filename, list(columns))


def _as_category(raw: pd.DataFrame, column: str, categories, filename: str) -> pd.Series:
    from coursekit.data import loaders as datasets

    return datasets._as_category(raw, column, categories, filename)


def _as_bool(raw: pd.DataFrame, column: str, filename: str) -> np.ndarray:
    """Parse a ``True``/``False`` column."""
    values = raw[column]
    bad = sorted(set(values.unique()) - {"True", "False"})
    if bad:
        raise ValueError(f"column {column!r} of {filename} must hold True or False; got {bad!r}")
    return (values == "True").to_numpy(dtype=bool)


def _as_number(raw: pd.DataFrame, column: str, filename: str, kind: str, low=None, high=None) -> np.ndarray:
    """Parse a numeric column, checking that every value lies in ``[low, high]``."""
    values = pd.to_numeric(raw[column], errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any():
        first = raw[column][np.isnan(values)].iloc[0]
        raise ValueError(f"column {column!r} of {filename} must hold numbers, got {first!r}")
    if kind == "int" and (values != np.round(values)).any():
        raise ValueError(f"column {column!r} of {filename} must hold whole numbers, got {values[values != np.round(values)][0]:g}")
    outside = np.zeros(values.shape, dtype=bool)
    if low is not None:
        outside |= values < low
    if high is not None:
        outside |= values > high
    if outside.any():
        allowed = f"[{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise ValueError(
            f"column {column!r} of {filename} must hold values in {allowed} (its scale), got {values[outside][0]:g}"
        )
    return values.astype(np.int64) if kind == "int" else values


def load_survey(directory=None) -> pd.DataFrame:
    """Load the customer survey.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``survey.csv``; :func:`coursekit.data.loaders.data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per respondent, columns :data:`SURVEY_COLUMNS`:
        ``respondent_id`` (str), ``industry`` and ``customer_tier``
        (categoricals in the order of :data:`INDUSTRIES` and :data:`TIERS`),
        ``tenure_years`` (float, years), every score of
        :data:`SURVEY_SCALES` (int64) and ``stayed_next_year`` (bool).

    Raises
    ------
    FileNotFoundError
        If the file is missing (the message says how to regenerate it).
    ValueError
        If a column is missing or a score lies outside its scale.

    References
    ----------
    .. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and
       Consequences of Satisfaction Decisions", Journal of Marketing Research
       17(4), 460-469, 1980.

    Examples
    --------
    >>> survey = load_survey()
    >>> survey.shape
    (1500, 27)
    >>> round(float(survey["overall_satisfaction"].mean()), 3)
    4.967
    """
    name = "survey.csv"
    raw = _read(directory, name, SURVEY_COLUMNS)
    out: dict[str, object] = {
        "respondent_id": raw["respondent_id"].astype(_STR),
        "industry": _as_category(raw, "industry", INDUSTRIES, name),
        "customer_tier": _as_category(raw, "customer_tier", TIERS, name),
        "tenure_years": _as_number(raw, "tenure_years", name, "float", low=0),
    }
    for column, (low, high) in SURVEY_SCALES.items():
        out[column] = _as_number(raw, column, name, "int", low, high)
    out["stayed_next_year"] = _as_bool(raw, "stayed_next_year", name)
    return pd.DataFrame(out)[list(SURVEY_COLUMNS)]


def load_stated_importance(directory=None) -> pd.DataFrame:
    """Load the importance that respondents state for each attribute.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``survey_importance.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per attribute of :data:`ATTRIBUTES`: ``attribute`` (str),
        ``stated_importance`` (float, mean rating on 1-7),
        ``stated_top2_share`` (float, share of respondents rating 6 or 7) and
        ``stated_rank`` (int, 1 = said to matter most).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or a value lies outside its range.

    References
    ----------
    .. [1] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance
       in a Service Satisfaction Model", Journal of Service Research 7(2),
       124-141, 2004.

    Examples
    --------
    >>> stated = load_stated_importance()
    >>> stated.sort_values("stated_rank")["attribute"].tolist()[:2]
    ['price_fairness', 'product_quality']
    """
    name = "survey_importance.csv"
    raw = _read(directory, name, ["attribute", "stated_importance", "stated_top2_share", "stated_rank"])
    k = len(raw)
    return pd.DataFrame(
        {
            "attribute": raw["attribute"].astype(_STR),
            "stated_importance": _as_number(raw, "stated_importance", name, "float", 1, 7),
            "stated_top2_share": _as_number(raw, "stated_top2_share", name, "float", 0, 1),
            "stated_rank": _as_number(raw, "stated_rank", name, "int", 1, max(k, 1)),
        }
    )


def load_survey_truth(directory=None) -> pd.DataFrame:
    """Load each respondent's true loyalty type and stay probability.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``survey_truth.csv``; the data folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per respondent: ``respondent_id`` (str), ``loyalty_type``
        (categorical in the order of :data:`LOYALTY_TYPES`) and
        ``stay_probability`` (float in [0, 1]).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or holds an unexpected value.

    References
    ----------
    .. [1] R. L. Oliver, "Whence Consumer Loyalty?", Journal of Marketing 63
       (special issue), 33-44, 1999.

    Examples
    --------
    >>> truth = load_survey_truth()
    >>> truth["loyalty_type"].value_counts().sort_index().to_dict()
    {'advocate': 246, 'user': 402, 'comparer': 852}
    """
    name = "survey_truth.csv"
    raw = _read(directory, name, ["respondent_id", "loyalty_type", "stay_probability"])
    return pd.DataFrame(
        {
            "respondent_id": raw["respondent_id"].astype(_STR),
            "loyalty_type": _as_category(raw, "loyalty_type", LOYALTY_TYPES, name),
            "stay_probability": _as_number(raw, "stay_probability", name, "float", 0, 1),
        }
    )


def load_survey_parameters(directory=None) -> pd.Series:
    """Load the true parameters of the survey model.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``survey_truth_parameters.csv``; the data folder by
        default.

    Returns
    -------
    pandas.Series
        Float values indexed by parameter name (``weight_<attribute>``,
        ``h1_perceived_value_to_repurchase``,
        ``h2_customer_value_to_satisfaction``,
        ``h3_satisfaction_to_repurchase``, ``share_<type>_<industry>``, ...);
        the series' ``attrs["description"]`` maps each name to its meaning.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If a column is missing or a value is not a number.

    References
    ----------
    .. [1] T. Gebru et al., "Datasheets for datasets", Communications of the
       ACM 64(12), 86-92, 2021.

    Examples
    --------
    >>> params = load_survey_parameters()
    >>> float(params["h3_satisfaction_to_repurchase"])
    0.5
    """
    name = "survey_truth_parameters.csv"
    raw = _read(directory, name, ["parameter", "value", "description"])
    values = pd.Series(
        _as_number(raw, "value", name, "float"),
        index=pd.Index(raw["parameter"].astype(_STR), name="parameter"),
        name="value",
    )
    values.attrs["description"] = dict(zip(raw["parameter"], raw["description"]))
    return values


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
    name = "complaints.csv"
    raw = _read(directory, name, COMPLAINT_COLUMNS)
    try:
        received = pd.to_datetime(raw["received_at"], format="%Y-%m-%d %H:%M").astype("datetime64[ns]")
    except (TypeError, ValueError) as err:
        raise ValueError(f"column 'received_at' of {name} must hold times as YYYY-MM-DD HH:MM: {err}") from None
    return pd.DataFrame(
        {
            "complaint_id": raw["complaint_id"].astype(_STR),
            "customer_id": raw["customer_id"].astype(_STR),
            "customer_type": _as_category(raw, "customer_type", CUSTOMER_TYPES, name),
            "category": _as_category(raw, "category", HOLES, name),
            "channel": _as_category(raw, "channel", CHANNELS, name),
            "received_at": received,
            "response_hours": _as_number(raw, "response_hours", name, "float", low=0),
            "resolved": _as_bool(raw, "resolved", name),
            "compensation": _as_category(raw, "compensation", COMPENSATIONS, name),
            "stayed": _as_bool(raw, "stayed", name),
            "comment": raw["comment"].astype(_STR),
        }
    )


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
    name = "complaints_truth.csv"
    raw = _read(directory, name, ["complaint_id", "small_roll_request", "stay_probability"])
    return pd.DataFrame(
        {
            "complaint_id": raw["complaint_id"].astype(_STR),
            "small_roll_request": _as_bool(raw, "small_roll_request", name),
            "stay_probability": _as_number(raw, "stay_probability", name, "float", 0, 1),
        }
    )


def main(argv=None) -> int:
    """Command line: ``python -m coursekit.data.survey [DIRECTORY]``.

    Writes the survey and the complaint log into ``DIRECTORY`` (``datasets``
    by default) and prints the files written and the time taken.
    """
    from coursekit.data.transactions import write_command

    return write_command(
        argv, prog="python -m coursekit.data.survey",
        description="Regenerate the survey and complaint-log datasets (byte-for-byte reproducible).",
        writers=[write_survey, write_complaints],
    )


if __name__ == "__main__":
    sys.exit(main())
