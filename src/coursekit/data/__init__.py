"""The course's datasets, their generators, writers and loaders.

Every dataset is synthetic, with a known truth, except the CDNOW sample (real purchases, vendored
and checksum-tested: :mod:`~coursekit.data.cdnow`).  Every synthetic dataset has its own module, which
holds its generator (``make_*``), its files as
:class:`coursekit.tables.Table` specs (the one CSV writer and reader of the course), its
writer (``write_*``) and its loaders (``load_*``):

=======================================  ==========================================================
:mod:`~coursekit.data.transactions`      customers and orders of an online retailer (chapters 1, 5)
:mod:`~coursekit.data.survey`            the customer survey (chapters 3, 4)
:mod:`~coursekit.data.complaints`        the complaint log of a supplies shop (chapter 3)
:mod:`~coursekit.data.subscriptions`     a subscription service and Fader and Hardie's table (ch. 4)
:mod:`~coursekit.data.bank_accounts`     the reading's German bank: count vs value churn (ch. 4)
:mod:`~coursekit.data.campaign`          a randomised retention campaign (chapter 5)
:mod:`~coursekit.data.retention_offer`   a randomised offer with customer features: uplift (chapter 5)
:mod:`~coursekit.data.crm_sources`       the raw CRM source files of chapter 2 (and their answers)
:mod:`~coursekit.data.cdnow`             real data: the CDNOW sample, 1997-98 (chapter 4, repeat buying)
=======================================  ==========================================================

:mod:`~coursekit.data.registry` lists every dataset (the case datasets are written by
``coursekit.cases``) and regenerates them: ``python -m coursekit.data`` (``make data``).
:mod:`~coursekit.data.sampling` holds the random building blocks the generators share.

Every loader is available from the package itself (``data.load_orders()``,
``data.load_crm_people()`` ...), reading the repository's ``datasets/`` folder
(:func:`data_dir`) by default.

>>> from coursekit import data
>>> data.load_orders().shape
(27125, 5)
"""

from coursekit.data.bank_accounts import load_bank_accounts, load_bank_accounts_truth
from coursekit.data.campaign import load_campaign, load_campaign_truth
from coursekit.data.cdnow import cdnow_summary, load_cdnow_transactions
from coursekit.data.complaints import load_complaints, load_complaints_truth
from coursekit.data.crm_answers import (
    load_crm_cycles,
    load_crm_defects,
    load_crm_events,
    load_crm_factors,
    load_crm_identity,
    load_crm_orders,
    load_crm_people,
)
from coursekit.data.retention_offer import load_retention_offer, load_retention_offer_truth
from coursekit.data.subscriptions import (
    fader_hardie_survivors,
    load_fader_hardie,
    load_subscriptions,
    load_subscriptions_truth,
)
from coursekit.data.survey import load_stated_importance, load_survey, load_survey_parameters, load_survey_truth
from coursekit.data.transactions import customer_revenue, load_customers, load_orders, load_truth
from coursekit.tables import data_dir

__all__ = [
    "data_dir",
    "load_customers",
    "load_orders",
    "load_truth",
    "customer_revenue",
    "load_survey",
    "load_stated_importance",
    "load_survey_truth",
    "load_survey_parameters",
    "load_complaints",
    "load_complaints_truth",
    "load_subscriptions",
    "load_subscriptions_truth",
    "load_fader_hardie",
    "fader_hardie_survivors",
    "load_bank_accounts",
    "load_bank_accounts_truth",
    "load_campaign",
    "load_campaign_truth",
    "load_retention_offer",
    "load_retention_offer_truth",
    "load_cdnow_transactions",
    "cdnow_summary",
    "load_crm_identity",
    "load_crm_people",
    "load_crm_defects",
    "load_crm_orders",
    "load_crm_cycles",
    "load_crm_events",
    "load_crm_factors",
]
