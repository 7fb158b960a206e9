"""Loaders of the course's datasets.

The CSV files live in the repository's ``datasets/`` folder and are produced by
:mod:`coursekit.data.transactions` (``make data``).  The loaders return typed frames:
dates as ``datetime64[ns]``, identifiers as strings, channels, regions and
categories as categoricals with a fixed order of categories, and amounts as
floats in currency units.  Each call returns a fresh frame, so a notebook may
modify what it gets without affecting later calls.

Set the environment variable ``COURSEKIT_DATA`` to read the files from another
folder.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit.data.transactions import CATEGORIES, CHANNELS, REGIONS

#: Loaders that live next to their dataset's generator, re-exported here so that
#: every dataset loads as ``coursekit.data.loaders.<loader>()``.  They are imported
#: on first use (those modules import this one).
_ELSEWHERE = {
    **dict.fromkeys(["load_survey", "load_stated_importance", "load_survey_truth", "load_survey_parameters",
                     "load_complaints", "load_complaints_truth"], "coursekit.data.survey"),
    **dict.fromkeys(["load_subscriptions", "load_subscriptions_truth", "load_fader_hardie",
                     "fader_hardie_survivors"], "coursekit.data.subscriptions"),
    **dict.fromkeys(["load_bank_accounts", "load_bank_accounts_truth"], "coursekit.data.bank_accounts"),
    **dict.fromkeys(["load_campaign", "load_campaign_truth"], "coursekit.models.experiments"),
    **dict.fromkeys(["load_freshbox_monthly", "load_freshbox_cancellations", "load_freshbox_truth",
                     "load_miao_cards", "load_miao_purchases", "load_miao_truth",
                     "load_dicks_customers", "load_dicks_baskets", "load_dicks_items", "load_dicks_truth"],
                    "coursekit.cases.casedata"),
    **dict.fromkeys(["load_key_accounts", "load_key_account_contacts", "load_key_accounts_truth",
                     "load_hotline_survey", "load_hotline_truth", "load_hotline_parameters"], "coursekit.cases.casedata2"),
}

__all__ = [
    "data_dir",
    "load_customers",
    "load_orders",
    "load_truth",
    "customer_revenue",
    *_ELSEWHERE,
]


def __getattr__(name: str):
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module 'coursekit.data.loaders' has no attribute {name!r}")

ENV_VAR = "COURSEKIT_DATA"
_REGENERATE = "regenerate the files with `make data` (python -m coursekit.data.transactions datasets) in the repository"
_DATETIME = "datetime64[ns]"


def data_dir() -> Path:
    """Return the folder that holds the course's CSV datasets.

    The folder is the value of the environment variable ``COURSEKIT_DATA`` if
    it is set and not empty, and otherwise the ``datasets/`` folder of the
    repository that contains this (editable-installed) package.

    Returns
    -------
    pathlib.Path
        An existing folder.

    Raises
    ------
    FileNotFoundError
        If the folder does not exist; the message says how to regenerate it.

    References
    ----------
    .. [1] Python Software Foundation, "pathlib -- Object-oriented filesystem
       paths", The Python Standard Library documentation.

    Examples
    --------
    >>> data_dir().name
    'datasets'
    >>> (data_dir() / "transactions_orders.csv").is_file()
    True
    """
    configured = os.environ.get(ENV_VAR, "")
    if configured:
        path = Path(configured).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(
                f"{ENV_VAR} points to {configured!r}, which is not an existing folder; "
                f"unset it to use the repository's datasets/ folder, or {_REGENERATE}"
            )
        return path
    path = Path(__file__).resolve().parents[3] / "datasets"
    if not path.is_dir():
        raise FileNotFoundError(f"the datasets folder {str(path)!r} does not exist; {_REGENERATE}")
    return path


def _resolve_file(directory, filename: str) -> Path:
    """Return the path of ``filename`` in ``directory`` (default :func:`data_dir`)."""
    if directory is None:
        folder = data_dir()
    elif isinstance(directory, (str, Path)) and str(directory) != "":
        folder = Path(directory)
    else:
        raise TypeError(
            f"directory must be None or a non-empty str or pathlib.Path, got {type(directory).__name__} {directory!r}"
        )
    path = folder / filename
    if not path.is_file():
        raise FileNotFoundError(f"the dataset file {str(path)!r} does not exist; {_REGENERATE}")
    return path


@functools.lru_cache(maxsize=16)
def _read_raw(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    """Read a CSV as text columns; cached on the file's path, time and size."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def _read(directory, filename: str, columns: list[str]) -> pd.DataFrame:
    """Return a fresh copy of the text frame of ``filename``, checking its header."""
    path = _resolve_file(directory, filename)
    stat = path.stat()
    frame = _read_raw(str(path), stat.st_mtime_ns, stat.st_size).copy()
    if frame.columns.tolist() != columns:
        raise ValueError(
            f"{filename} must have the columns {columns}, got {frame.columns.tolist()}; {_REGENERATE}"
        )
    return frame


def _as_dates(frame: pd.DataFrame, column: str, filename: str) -> pd.Series:
    """Parse ISO dates (an empty field is a missing date)."""
    text = frame[column].replace("", None)
    try:
        return pd.to_datetime(text, format="%Y-%m-%d").astype(_DATETIME)
    except (TypeError, ValueError) as err:
        raise ValueError(f"column {column!r} of {filename} must hold ISO dates (YYYY-MM-DD): {err}") from None


def _as_category(frame: pd.DataFrame, column: str, categories, filename: str) -> pd.Series:
    """Cast a text column to a categorical with a fixed order of categories."""
    values = frame[column]
    unknown = sorted(set(values.unique()) - set(categories))
    if unknown:
        raise ValueError(
            f"column {column!r} of {filename} must hold only {', '.join(map(repr, categories))}; got {unknown!r}"
        )
    return values.astype(pd.CategoricalDtype(list(categories), ordered=False))


def _as_float(frame: pd.DataFrame, column: str) -> pd.Series:
    """Cast a text column of decimal numbers to float64."""
    return frame[column].astype(float)


def load_customers(directory=None) -> pd.DataFrame:
    """Load the customers of the transactions dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_customers.csv``; :func:`data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by acquisition date:

        * ``customer_id`` (str) -- ``"C00001"`` ...
        * ``acquired`` (datetime64[ns]) -- date of the first order.
        * ``channel`` (category) -- acquisition channel, categories in the
          order of :data:`coursekit.data.transactions.CHANNELS`.
        * ``region`` (category) -- region, in the order of
          :data:`coursekit.data.transactions.REGIONS`.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> customers = load_customers()
    >>> customers.shape
    (5000, 4)
    >>> customers["channel"].cat.categories.tolist()
    ['referral', 'search_ads', 'social_media', 'marketplace', 'promotion']
    """
    name = "transactions_customers.csv"
    raw = _read(directory, name, ["customer_id", "acquired", "channel", "region"])
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("str"),
            "acquired": _as_dates(raw, "acquired", name),
            "channel": _as_category(raw, "channel", CHANNELS, name),
            "region": _as_category(raw, "region", REGIONS, name),
        }
    )


def load_orders(directory=None) -> pd.DataFrame:
    """Load the orders of the transactions dataset.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_orders.csv``; :func:`data_dir` by
        default.

    Returns
    -------
    pandas.DataFrame
        One row per order, sorted by date and then order id:

        * ``order_id`` (str) -- ``"O000001"`` ...
        * ``customer_id`` (str) -- the customer who placed the order.
        * ``order_date`` (datetime64[ns]) -- day of the order.
        * ``amount`` (float) -- order value in currency units (CU), > 0,
          rounded to 0.01 CU.
        * ``category`` (category) -- product category, in the order of
          :data:`coursekit.data.transactions.CATEGORIES`.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: using
       iso-value curves for customer base analysis", Journal of Marketing
       Research 42(4), 415-430, 2005.

    Examples
    --------
    >>> orders = load_orders()
    >>> orders.shape
    (27125, 5)
    >>> round(float(orders["amount"].sum()), 2)
    1174287.78
    """
    name = "transactions_orders.csv"
    raw = _read(directory, name, ["order_id", "customer_id", "order_date", "amount", "category"])
    return pd.DataFrame(
        {
            "order_id": raw["order_id"].astype("str"),
            "customer_id": raw["customer_id"].astype("str"),
            "order_date": _as_dates(raw, "order_date", name),
            "amount": _as_float(raw, "amount"),
            "category": _as_category(raw, "category", CATEGORIES, name),
        }
    )


def load_truth(directory=None) -> pd.DataFrame:
    """Load the ground truth of the transactions dataset.

    These are the latent quantities that generated each customer's orders.
    They are not observable in practice; the course uses them to check models.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``transactions_truth.csv``; :func:`data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        One row per customer:

        * ``customer_id`` (str).
        * ``purchase_rate_per_month`` (float) -- repeat orders per month while
          alive, :math:`\\lambda_i`.
        * ``churn_rate_per_month`` (float) -- :math:`\\mu_i`, per month; the
          lifetime is exponential with this rate.
        * ``mean_spend`` (float) -- mean order value :math:`\\bar a_i`, CU.
        * ``lifetime_months`` (float) -- months from acquisition to churn
          (may run past the end of the window).
        * ``churned_by_end`` (bool) -- whether the customer churned within the
          window.
        * ``churn_date`` (datetime64[ns]) -- day of churn, NaT if alive at the
          end.

    References
    ----------
    .. [1] D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting your
       customers: who are they and what will they do next?", Management
       Science 33(1), 1-24, 1987.

    Examples
    --------
    >>> truth = load_truth()
    >>> round(float(truth["churned_by_end"].mean()), 4)
    0.4224
    >>> bool(truth.loc[~truth["churned_by_end"], "churn_date"].isna().all())
    True
    """
    name = "transactions_truth.csv"
    columns = [
        "customer_id",
        "purchase_rate_per_month",
        "churn_rate_per_month",
        "mean_spend",
        "lifetime_months",
        "churned_by_end",
        "churn_date",
    ]
    raw = _read(directory, name, columns)
    flags = raw["churned_by_end"]
    bad = sorted(set(flags.unique()) - {"True", "False"})
    if bad:
        raise ValueError(f"column 'churned_by_end' of {name} must hold True or False; got {bad!r}")
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("str"),
            "purchase_rate_per_month": _as_float(raw, "purchase_rate_per_month"),
            "churn_rate_per_month": _as_float(raw, "churn_rate_per_month"),
            "mean_spend": _as_float(raw, "mean_spend"),
            "lifetime_months": _as_float(raw, "lifetime_months"),
            "churned_by_end": (flags == "True").to_numpy(dtype=bool),
            "churn_date": _as_dates(raw, "churn_date", name),
        }
    )


def customer_revenue(orders=None, customers=None, directory=None) -> pd.Series:
    r"""Total spend of each customer over the observation window.

    .. math:: R_i = \sum_{o \,:\, c(o) = i} a_o

    where :math:`a_o` is the amount of order :math:`o` and :math:`c(o)` its
    customer.  Customers without orders get :math:`R_i = 0`.

    Parameters
    ----------
    orders : pandas.DataFrame, optional
        Orders with columns ``customer_id`` and ``amount``; by default
        :func:`load_orders`.
    customers : pandas.DataFrame, optional
        Customers with a column ``customer_id``, which fixes the index; by
        default :func:`load_customers`.  When ``orders`` is given and
        ``customers`` is not, the customers are those present in ``orders``.
    directory : str or pathlib.Path, optional
        Folder to load from when frames are not given; :func:`data_dir` by
        default.

    Returns
    -------
    pandas.Series
        Revenue in currency units (CU), rounded to 0.01, indexed by
        ``customer_id`` in the order of ``customers``, named ``"revenue"``.

    References
    ----------
    .. [1] M. O. Lorenz, "Methods of measuring the concentration of wealth",
       Publications of the American Statistical Association 9(70), 209-219,
       1905.

    Examples
    --------
    >>> revenue = customer_revenue()
    >>> len(revenue), revenue.name
    (5000, 'revenue')
    >>> round(float(revenue.sum()), 2)
    1174287.78
    >>> import pandas as pd
    >>> toy = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.5, 2.0, 3.0]})
    >>> customer_revenue(toy, pd.DataFrame({"customer_id": ["a", "b", "c"]})).tolist()
    [4.5, 2.0, 0.0]
    """
    if orders is None:
        orders = load_orders(directory)
        if customers is None:
            customers = load_customers(directory)
    _check_frame("orders", orders, ["customer_id", "amount"])
    if customers is not None:
        _check_frame("customers", customers, ["customer_id"])
        index = pd.Index(customers["customer_id"], name="customer_id")
        if index.has_duplicates:
            raise ValueError("customers must list each customer_id once, got duplicates")
    else:
        index = pd.Index(pd.unique(orders["customer_id"]), name="customer_id")
    amount = pd.to_numeric(orders["amount"], errors="coerce")
    if amount.isna().any() or not np.isfinite(amount.to_numpy(dtype=float)).all():
        raise ValueError("orders['amount'] must hold finite numbers, got missing or non-numeric values")
    totals = amount.groupby(orders["customer_id"].to_numpy(), sort=False).sum()
    missing = totals.index.difference(index)
    if len(missing):
        raise ValueError(
            f"orders must refer only to listed customers, got {len(missing)} unknown "
            f"customer_id(s) such as {missing[0]!r}"
        )
    revenue = totals.reindex(index, fill_value=0.0).astype(float).round(2)
    revenue.name = "revenue"
    revenue.index.name = "customer_id"
    return revenue


def _check_frame(name: str, frame, columns: list[str]) -> None:
    """Check that ``frame`` is a DataFrame with ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{name} must have the columns {columns}, got {frame.columns.tolist()}")
