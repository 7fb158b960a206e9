r"""The answer files of Chapter 2's raw CRM data: the truth a real firm never has, and their loaders.

:func:`coursekit.data.crm_sources.write_crm` writes, next to the five raw source files, the
ground truth of the generative model into ``crm/answers/`` (declared here as
:class:`coursekit.tables.Table` specs, :data:`ANSWER_TABLES`).  Tests, teachers and
hidden exercises use them; students never need them:

==============  ===========================================================================
file            what it holds
==============  ===========================================================================
identity.csv    the true person behind every row of the four contact files
people.csv      the true people: canonical name, phones, e-mail, birth date, city, churn date
defects.csv     every defect put into the source files on purpose
orders.csv      the true person of every order
cycles.csv      each person's purchase rhythm per everyday category
events.csv      pregnancies that pause and start purchase rhythms
factors.csv     the monthly demand factor of each category
==============  ===========================================================================

Each loader takes the datasets folder (default :func:`coursekit.tables.data_dir`) or its
``crm`` folder, checks the file against its spec and returns a typed frame.

References
----------
.. [1] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12), 86-92,
   2021.

Examples
--------
>>> [spec.filename for spec in ANSWER_TABLES.values()][:2]
['answers/identity.csv', 'answers/people.csv']
"""

from __future__ import annotations

import pandas as pd

from coursekit.crm.schema import IDENTITY_TABLE, crm_dir
from coursekit.tables import Column, Table

__all__ = [
    "ANSWER_TABLES",
    "load_crm_identity",
    "load_crm_people",
    "load_crm_defects",
    "load_crm_orders",
    "load_crm_cycles",
    "load_crm_events",
    "load_crm_factors",
]

#: The answer files in ``crm/``, in the order :func:`coursekit.data.crm_sources.write_crm` writes them.
ANSWER_TABLES: dict[str, Table] = {
    "identity": IDENTITY_TABLE,
    "people": Table(
        "answers/people.csv",
        [
            Column("person_id"),
            Column("name"),
            Column("script"),
            Column("phone"),
            Column("landline", optional=True),
            Column("old_phone", optional=True),
            Column("email"),
            Column("birth_date", "date"),
            Column("city"),
            Column("household_of", optional=True),
            Column("churn_date", "date", optional=True),
        ],
    ),
    "defects": Table(
        "answers/defects.csv", [Column("source"), Column("source_row_id"), Column("field"), Column("defect")]
    ),
    "orders": Table("answers/orders.csv", [Column("order_id"), Column("person_id")]),
    "cycles": Table(
        "answers/cycles.csv",
        [
            Column("person_id"),
            Column("category"),
            Column("mean_interval_days", "float", decimals=1),
            Column("start", "date"),
            Column("end", "date"),
        ],
    ),
    "events": Table(
        "answers/events.csv", [Column("person_id"), Column("event"), Column("start", "date"), Column("end", "date")]
    ),
    "factors": Table(
        "answers/factors.csv", [Column("month"), Column("category"), Column("factor", "float", decimals=4)]
    ),
}


def _load(name: str, directory) -> pd.DataFrame:
    """Read the answer file ``name`` of :data:`ANSWER_TABLES` from the ``crm`` folder of ``directory``."""
    return ANSWER_TABLES[name].read(crm_dir(directory))


def load_crm_identity(directory=None) -> pd.DataFrame:
    """Load the true identity of every contact row (``answers/identity.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

    Returns
    -------
    pandas.DataFrame
        ``source`` (str, one of :data:`coursekit.crm.schema.CONTACT_SOURCES`), ``source_row_id``
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
    return _load("identity", directory)


def load_crm_people(directory=None) -> pd.DataFrame:
    """Load the true people behind the records (``answers/people.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

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
    frame = _load("people", directory)
    for column in ("landline", "old_phone", "household_of"):  # empty when the person has none
        frame[column] = frame[column].fillna("")
    return frame


def load_crm_defects(directory=None) -> pd.DataFrame:
    """Load the list of defects put into the source files (``answers/defects.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``source_row_id``, ``field``, ``defect`` (one of
        :data:`coursekit.crm.schema.DEFECT_REASONS`), all str.

    References
    ----------
    .. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality
       means to data consumers", Journal of Management Information Systems
       12(4), 5-33, 1996.

    Examples
    --------
    >>> defects = load_crm_defects()
    >>> from coursekit.data.crm_sources import DEFECT_PLAN
    >>> len(defects) == sum(DEFECT_PLAN.values())
    True
    """
    return _load("defects", directory)


def load_crm_orders(directory=None) -> pd.DataFrame:
    """Load the true person of every order (``answers/orders.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

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
    return _load("orders", directory)


def load_crm_cycles(directory=None) -> pd.DataFrame:
    """Load the true purchase rhythms (``answers/cycles.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

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
    return _load("cycles", directory)


def load_crm_events(directory=None) -> pd.DataFrame:
    """Load the pregnancies that pause personal-care purchases (``answers/events.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

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
    return _load("events", directory)


def load_crm_factors(directory=None) -> pd.DataFrame:
    """Load the monthly demand factors of the categories (``answers/factors.csv``).

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder (default :func:`coursekit.tables.data_dir`)
        or its ``crm`` folder.

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
    return _load("factors", directory)
