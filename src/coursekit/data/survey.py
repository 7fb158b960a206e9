r"""The customer survey of chapters 3 and 4: answers with known attribute weights and loyalty types.

A synthetic dataset with known ground truth: its generator (:func:`make_survey`), its files
(declared as :class:`coursekit.tables.Table` specs and written byte for byte
reproducibly by :func:`write_survey`) and its typed loaders (``load_*``).  The complaint log of
the same chapters lives in :mod:`coursekit.data.complaints`.

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

References
----------
.. [1] R. L. Oliver, "A Cognitive Model of the Antecedents and Consequences of
   Satisfaction Decisions", Journal of Marketing Research 17(4), 460-469, 1980.
.. [2] A. Gustafsson and M. D. Johnson, "Determining Attribute Importance in a
   Service Satisfaction Model", Journal of Service Research 7(2), 124-141, 2004.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import expit

from coursekit._validate import check_positive_int, check_seed
from coursekit.data.sampling import allocate, ids, pick, scale_round, streams
from coursekit.tables import Column, Table, write_tables

__all__ = [
    "SurveyData",
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
    "SURVEY_SEED",
    "SURVEY_TABLE",
    "IMPORTANCE_TABLE",
    "SURVEY_TRUTH_TABLE",
    "PARAMETERS_TABLE",
    "make_survey",
    "write_survey",
    "load_survey",
    "load_stated_importance",
    "load_survey_truth",
    "load_survey_parameters",
]

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



#: ``survey.csv``: one row per respondent, every score on its scale (:data:`SURVEY_SCALES`).
SURVEY_TABLE = Table(
    "survey.csv",
    [
        Column("respondent_id"),
        Column("industry", "category", categories=INDUSTRIES),
        Column("customer_tier", "category", categories=TIERS),
        Column("tenure_years", "float", decimals=1, low=0),
        *[Column(column, "int", low=low, high=high) for column, (low, high) in SURVEY_SCALES.items()],
        Column("stayed_next_year", "bool"),
    ],
)

#: ``survey_importance.csv``: the stated importance of each attribute.
IMPORTANCE_TABLE = Table(
    "survey_importance.csv",
    [
        Column("attribute"),
        Column("stated_importance", "float", decimals=2, low=1, high=7),
        Column("stated_top2_share", "float", decimals=3, low=0, high=1),
        Column("stated_rank", "int", low=1, high=len(ATTRIBUTES)),
    ],
)

#: ``survey_truth.csv``: each respondent's loyalty type and stay probability.
SURVEY_TRUTH_TABLE = Table(
    "survey_truth.csv",
    [
        Column("respondent_id"),
        Column("loyalty_type", "category", categories=LOYALTY_TYPES),
        Column("stay_probability", "float", decimals=4, low=0, high=1),
    ],
)

#: ``survey_truth_parameters.csv``: every true coefficient, weight and share, one per row.
PARAMETERS_TABLE = Table(
    "survey_truth_parameters.csv",
    [Column("parameter"), Column("value", "float", decimals=4), Column("description")],
)


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
    seed = check_seed(seed)
    (rng_who, rng_type, rng_perc, rng_exp, rng_value, rng_out, rng_loyal, rng_stated) = streams(seed, 8)
    k_attr = len(ATTRIBUTES)

    # 1. Who answers.
    industry = pick(rng_who, INDUSTRY_SHARES, n)
    tier = pick(rng_who, TIER_SHARES, n)
    ltype = np.empty(n, dtype=np.int64)
    for k, name in enumerate(INDUSTRIES):
        members = np.flatnonzero(industry == k)
        shares = np.array([LOYALTY_SHARES[name][c] for c in LOYALTY_TYPES])
        labels = np.repeat(np.arange(len(LOYALTY_TYPES)), allocate(shares, members.size))
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
    perception = scale_round(latent_p, 1, 7)
    tier_e = np.array([_EXPECTATION_TIER[t] for t in TIERS])[tier]
    level = _EXPECTATION_LEVEL_SD * rng_exp.standard_normal(n)
    latent_e = (
        _EXPECTATION_BASE
        + tier_e[:, None]
        + level[:, None]
        + _EXPECTATION_NOISE * rng_exp.standard_normal((n, k_attr))
    )
    expectation = scale_round(latent_e, 1, 7)

    # 3. Customer value and perceived value.
    customer_value = scale_round(_CUSTOMER_VALUE_MEAN + _CUSTOMER_VALUE_SD * rng_value.standard_normal(n), 1, 7)
    perceived_value = scale_round(
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
    satisfaction = scale_round(latent_s, 1, 7)
    latent_r = (
        _REPURCHASE_INTERCEPT
        + H1_PERCEIVED_VALUE_TO_REPURCHASE * (perceived_value - 4)
        + H3_SATISFACTION_TO_REPURCHASE * (satisfaction - 4)
        + _REPURCHASE_NOISE * rng_out.standard_normal(n)
    )
    repurchase = scale_round(latent_r, 1, 7)

    # 6. Trust and likelihood to recommend.
    trust = scale_round(
        _TRUST_INTERCEPT
        + _TRUST_ON_SATISFACTION * (satisfaction - 4)
        + np.array([_TRUST_TYPE[c] for c in LOYALTY_TYPES])[ltype]
        + _TRUST_NOISE * rng_out.standard_normal(n),
        1,
        7,
    )
    recommend = scale_round(
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
        indicators[name] = scale_round(mu + _INDICATOR_NOISE * rng_loyal.standard_normal(n), 1, 7)

    # 8. A year later.
    logit = (
        np.array([_STAY_INTERCEPT[c] for c in LOYALTY_TYPES])[ltype]
        + np.array([_STAY_ON_SATISFACTION[c] for c in LOYALTY_TYPES])[ltype] * (satisfaction - 4)
        + _STAY_ON_HASSLE * (indicators["switching_hassle"] - 4)
    )
    stay_probability = np.round(expit(logit), 4)
    stayed = rng_loyal.random(n) < stay_probability

    respondent_id = ids("R", n, 4)
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
    stated = scale_round(stated_means + _STATED_NOISE * rng_stated.standard_normal((n, k_attr)), 1, 7)
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
        ("satisfaction_intercept", _SATISFACTION_INTERCEPT,
         "latent satisfaction when every perception and customer value is 4"),
        ("satisfaction_noise_sd", _SATISFACTION_NOISE, "sd of the satisfaction error"),
        ("h1_perceived_value_to_repurchase", H1_PERCEIVED_VALUE_TO_REPURCHASE,
         "H1: repurchase-intention points per perceived-value point"),
        ("h2_customer_value_to_satisfaction", H2_CUSTOMER_VALUE_TO_SATISFACTION,
         "H2: satisfaction points per customer-value point"),
        ("h3_satisfaction_to_repurchase", H3_SATISFACTION_TO_REPURCHASE,
         "H3: repurchase-intention points per satisfaction point"),
        ("repurchase_intercept", _REPURCHASE_INTERCEPT,
         "latent repurchase intention when perceived value and satisfaction are 4"),
        ("repurchase_noise_sd", _REPURCHASE_NOISE, "sd of the repurchase-intention error"),
        ("halo_loading", _HALO_LOADING, "loading of every perception on the shared halo factor"),
        ("perception_noise_sd", _PERCEPTION_NOISE, "sd of each perception's own error"),
    ]
    for c in LOYALTY_TYPES:
        meaning = f"logit of staying a year for a {c} with satisfaction 4 and hassle 4"
        rows.append((f"stay_intercept_{c}", _STAY_INTERCEPT[c], meaning))
        rows.append(
            (f"stay_satisfaction_slope_{c}", _STAY_ON_SATISFACTION[c], f"logit change per satisfaction point, {c}s")
        )
    rows.append(("stay_switching_hassle_slope", _STAY_ON_HASSLE, "logit change per switching-hassle point"))
    for name in INDUSTRIES:
        for c in LOYALTY_TYPES:
            rows.append((f"share_{c}_{name}", LOYALTY_SHARES[name][c], f"share of {c}s among {name} respondents"))
    for ind, means in LOYALTY_INDICATOR_MEANS.items():
        for c in LOYALTY_TYPES:
            rows.append((f"mean_{ind}_{c}", means[c], f"mean {ind} score of {c}s before rounding"))
    names, values, descriptions = zip(*rows, strict=True)
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
    return write_tables(directory, data, SurveyData, make_survey, (SURVEY_TABLE, IMPORTANCE_TABLE, SURVEY_TRUTH_TABLE, PARAMETERS_TABLE))


def load_survey(directory=None) -> pd.DataFrame:
    """Load the customer survey.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``survey.csv``; :func:`coursekit.tables.data_dir` by
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
    return SURVEY_TABLE.read(directory)


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
    return IMPORTANCE_TABLE.read(directory)


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
    return SURVEY_TRUTH_TABLE.read(directory)


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
    table = PARAMETERS_TABLE.read(directory)
    values = pd.Series(
        table["value"].to_numpy(), index=pd.Index(table["parameter"], name="parameter"), name="value"
    )
    values.attrs["description"] = dict(zip(table["parameter"], table["description"], strict=True))
    return values
