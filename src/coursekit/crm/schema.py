r"""The layout of Chapter 2's raw source files and the rules the cleaning pipeline checks.

The pipeline (:mod:`coursekit.crm`) and the generator of the course's files
(:mod:`coursekit.data.crm_sources`) must agree on what the files look like: the five
sources, their file names and columns, which column holds a row's id, the values a
field may take, the fields a row cannot do without, the reason codes of the quality
report and the reference date ("today").  They are defined here, once.  The generator
imports them from this module; the pipeline never imports the generator.

The files (in ``datasets/crm/``)
--------------------------------
``crm_export.csv``
    The sales CRM: one row per customer file opened by a salesperson.
``web_registrations.csv``
    Web-shop accounts, with the sign-up incentive (:data:`INCENTIVES`) and the
    marketing consent (``yes`` / ``no``).
``warranty_cards.csv``
    Warranty / service cards mailed back after buying an appliance.
``service_tickets.csv``
    Records of the service department; the category is a hole of the leaky bucket
    (:data:`TICKET_CATEGORIES`), the only identifier the caller's phone or e-mail.
``order_lines.csv``
    One row per order line; the identifier is a CRM id, a web account id or an e-mail.

Every file is UTF-8 text with one header line (:data:`SOURCE_COLUMNS`), deliberately
messy (that is the lesson), so it is declared as text columns only (:data:`SOURCE_TABLES`)
and read as text by :func:`coursekit.crm.cleaning.extract`.  The answer file
``answers/identity.csv`` (:data:`IDENTITY_TABLE`) holds the true person behind every
contact row; a real firm has no such file, the course uses it to measure matching.

References
----------
.. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality means to data
   consumers", Journal of Management Information Systems 12(4), 5-33, 1996.
.. [2] T. Gebru et al., "Datasheets for datasets", Communications of the ACM 64(12),
   86-92, 2021.

Examples
--------
>>> SOURCE_COLUMNS["crm_export"]
['crm_id', 'name', 'phone', 'email', 'birth_date', 'city', 'created']
>>> REQUIRED["warranty_cards"]
('card_id', 'name', 'serial_number')
>>> crm_dir().name
'crm'
"""

from __future__ import annotations

from pathlib import Path

from coursekit.models.bucket import HOLES
from coursekit.tables import REGENERATE, Column, Table, dataset_folder

__all__ = [
    "REFERENCE_DATE",
    "SOURCES",
    "CONTACT_SOURCES",
    "SOURCE_FILES",
    "SOURCE_COLUMNS",
    "ROW_ID_COLUMN",
    "ORDER_CATEGORIES",
    "TICKET_CATEGORIES",
    "INCENTIVES",
    "CITY_NAMES_ZH",
    "DEFECT_REASONS",
    "REASONS",
    "REQUIRED",
    "MAX_AGE",
    "QUALITY_COLUMNS",
    "CONTACT_COLUMNS",
    "SOURCE_TABLES",
    "IDENTITY_TABLE",
    "crm_dir",
]

#: "Today" of the course's files: ages and future dates are measured from it.
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
#: File name of each source.
SOURCE_FILES: dict[str, str] = {s: f"{s}.csv" for s in SOURCES}
#: Header of each source file.
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

#: Categories an order line may hold: six everyday categories bought in a rhythm, two
#: occasional ones and appliances.
ORDER_CATEGORIES: tuple[str, ...] = (
    "vegetables",
    "household",
    "personal_care",
    "pet_food",
    "baby_products",
    "analgesics",
    "snacks",
    "beverages",
    "appliances",
)
#: Categories of a service ticket: the holes of the leaky bucket.
TICKET_CATEGORIES: tuple[str, ...] = HOLES
#: Sign-up incentives of a web account.
INCENTIVES: tuple[str, ...] = ("none", "prize_draw", "points", "small_gift")
#: The cities of the firm's customers and their names in Chinese characters.
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

#: The defects the generator puts into the files on purpose, and what they mean.
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
#: Reason codes of the quality report and what they mean.
REASONS: dict[str, str] = {
    **DEFECT_REASONS,
    "bad_value": "the value is not one of those the field allows",
    "duplicate_id": "the row id occurs earlier in the same file",
    "unknown_customer": "the order's identifier matches no loaded customer record",
}
#: Required fields of each source: a row that fails one of them is rejected.
REQUIRED: dict[str, tuple[str, ...]] = {
    "crm_export": ("crm_id", "name"),
    "web_registrations": ("account_id", "email"),
    "warranty_cards": ("card_id", "name", "serial_number"),
    "service_tickets": ("ticket_id", "contact", "opened_at", "category", "complaint"),
    "order_lines": ("order_id", "line_no", "channel", "identifier", "order_date", "category", "quantity", "unit_price"),
}
#: Oldest plausible age (years) at the reference date.
MAX_AGE = 110

#: Columns of the quality report.
QUALITY_COLUMNS: list[str] = ["source", "source_row_id", "field", "value", "reason", "action"]
#: Columns of the standardised contact records (:func:`coursekit.crm.cleaning.clean_contacts`).
CONTACT_COLUMNS: list[str] = [
    "source",
    "source_row_id",
    "record_date",
    "name",
    "name_key",
    "phone",
    "email",
    "birth_date",
    "city",
]

#: The raw files as :class:`coursekit.tables.Table` specs (in the ``crm`` folder):
#: text columns only, an empty field allowed anywhere -- checking them is the pipeline's job.
SOURCE_TABLES: dict[str, Table] = {
    s: Table(SOURCE_FILES[s], [Column(c, "str", optional=True) for c in SOURCE_COLUMNS[s]]) for s in SOURCES
}
#: The answer file of the true person behind every contact row (in the ``crm`` folder).
IDENTITY_TABLE = Table(
    "answers/identity.csv", [Column("source", "str"), Column("source_row_id", "str"), Column("person_id", "str")]
)


def crm_dir(directory=None) -> Path:
    """Return the folder of the raw CRM files.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The datasets folder holding ``crm/`` (default
        :func:`coursekit.tables.data_dir`), or the ``crm`` folder itself.

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
    >>> crm_dir(crm_dir()) == crm_dir()
    True
    """
    base = dataset_folder(directory)
    for folder in (base / "crm", base):
        if (folder / SOURCE_FILES["crm_export"]).is_file():
            return folder
    raise FileNotFoundError(f"no CRM source files in {str(base)!r} or {str(base / 'crm')!r}; {REGENERATE}")
