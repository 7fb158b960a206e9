"""Chapter 2's pipeline: from the raw source files to a unified customer database (统一客户数据库).

Most firms keep customer data in pieces: the sales CRM, the web shop, the warranty cards
mailed back after a purchase, the service department's complaint records and the order
system each know part of a customer, under their own spelling.  The textbook's recipe to join
them has three stages -- gather and clean the sources, store them centrally, query them --
and this package implements it on the course's raw files (``datasets/crm/``), one module
per step:

=================================  ==================================================================
:mod:`~coursekit.crm.schema`       the layout of the raw files and the rules cleaning checks
:mod:`~coursekit.crm.normalise`    each field into one canonical form (phones, e-mails, names, dates)
:mod:`~coursekit.crm.quality`      the quality report: every value removed, every row rejected, why
:mod:`~coursekit.crm.cleaning`     :func:`extract` the files as text, :func:`clean` them
:mod:`~coursekit.crm.matching`     record linkage: blocking, scoring, :func:`match`, its quality
:mod:`~coursekit.crm.merging`      one row per customer, each value from the most trusted source
:mod:`~coursekit.crm.sqlite`       :func:`build_database` in SQLite, :func:`query` it
:mod:`~coursekit.crm.privacy`      :func:`pseudonymise` identifiers with HMAC before sharing
=================================  ==================================================================

The public functions, records and constants of these modules are available from the package
itself (``from coursekit import crm; crm.clean(crm.extract())``); the modules of the steps are
named ``cleaning``, ``matching`` and ``merging`` so that ``crm.clean``, ``crm.match`` and
``crm.merge`` are the functions, not modules of the same name.

Examples
--------
>>> from coursekit import crm
>>> con = crm.build_database()
>>> crm.query(con, "SELECT COUNT(*) AS customers FROM customers")
   customers
0       2199
"""

from coursekit.crm.cleaning import Cleaned, clean, clean_contacts, extract
from coursekit.crm.matching import (
    BLOCKING_KEYS,
    NAME_SIMILAR,
    THRESHOLD,
    WEIGHTS,
    MatchQuality,
    candidate_pairs,
    match,
    match_quality,
    score_pairs,
    true_person_ids,
)
from coursekit.crm.merging import SOURCE_PRIORITY, Merged, merge
from coursekit.crm.normalise import (
    Normalised,
    name_key,
    name_similarity,
    normalise_city,
    normalise_email,
    normalise_name,
    normalise_phone,
    parse_dates,
)
from coursekit.crm.privacy import MIN_KEY_LENGTH, pseudonymise
from coursekit.crm.quality import QualityIssue, quality_report
from coursekit.crm.schema import (
    CONTACT_COLUMNS,
    CONTACT_SOURCES,
    DEFECT_REASONS,
    INCENTIVES,
    MAX_AGE,
    ORDER_CATEGORIES,
    QUALITY_COLUMNS,
    REASONS,
    REFERENCE_DATE,
    REQUIRED,
    ROW_ID_COLUMN,
    SOURCE_COLUMNS,
    SOURCE_FILES,
    SOURCES,
    TICKET_CATEGORIES,
    crm_dir,
)
from coursekit.crm.sqlite import SCHEMA, build_database, query

__all__ = [
    # schema
    "REFERENCE_DATE",
    "SOURCES",
    "CONTACT_SOURCES",
    "SOURCE_FILES",
    "SOURCE_COLUMNS",
    "ROW_ID_COLUMN",
    "ORDER_CATEGORIES",
    "TICKET_CATEGORIES",
    "INCENTIVES",
    "DEFECT_REASONS",
    "REASONS",
    "REQUIRED",
    "MAX_AGE",
    "QUALITY_COLUMNS",
    "CONTACT_COLUMNS",
    "crm_dir",
    # normalise
    "Normalised",
    "normalise_phone",
    "normalise_email",
    "normalise_name",
    "normalise_city",
    "name_key",
    "parse_dates",
    "name_similarity",
    # quality
    "QualityIssue",
    "quality_report",
    # cleaning
    "Cleaned",
    "extract",
    "clean_contacts",
    "clean",
    # matching
    "MatchQuality",
    "BLOCKING_KEYS",
    "WEIGHTS",
    "THRESHOLD",
    "NAME_SIMILAR",
    "candidate_pairs",
    "score_pairs",
    "match",
    "true_person_ids",
    "match_quality",
    # merging
    "SOURCE_PRIORITY",
    "Merged",
    "merge",
    # sqlite
    "SCHEMA",
    "build_database",
    "query",
    # privacy
    "MIN_KEY_LENGTH",
    "pseudonymise",
]
