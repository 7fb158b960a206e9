r"""The CDNOW sample: real purchases of 2,357 customers of an online music store, 1997-1998.

CDNOW sold CDs on the web from 1994.  The sample holds every purchase, from January 1997 to the
end of June 1998, of one customer in ten of those who made their first purchase at CDNOW in the
first quarter of 1997: 2,357 customers and 6,919 purchase records.  It is the standard teaching
and benchmark data of the repeat-buying models (BG/NBD, Pareto/NBD, gamma-gamma).  The file is
vendored, unchanged, from the ``lifetimes`` package on PyPI (``lifetimes/datasets/CDNOW_sample.txt``,
version 0.11.3); its data card is ``datasets/cards/cdnow.md``.

* :func:`load_cdnow_transactions` -- the purchase log;
* :func:`cdnow_summary` -- the customer-by-sufficient-statistic summary of a calibration period
  (frequency, recency, T in weeks, average repeat spend) with the purchases of a holdout period,
  the form the models need.  With the defaults (calibration weeks 1-39, to 30 September 1997;
  holdout weeks 40-78, to 30 June 1998) it reproduces the published summary.

References
----------
.. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting Your Customers' the Easy Way: An
   Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284, 2005.
.. [2] P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: Using Iso-Value Curves for
   Customer Base Analysis", Journal of Marketing Research 42(4), 415-430, 2005.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from coursekit._validate import check_date, check_frame
from coursekit.models.purchases import repeat_buying_summary
from coursekit.tables import data_dir

__all__ = ["CDNOW_FILE", "CALIBRATION_END", "OBSERVATION_END", "load_cdnow_transactions", "cdnow_summary"]

#: The vendored purchase log, relative to the datasets folder.
CDNOW_FILE = Path("cdnow") / "CDNOW_sample.txt"
#: End of the calibration period of the published analyses (week 39 after 1 January 1997).
CALIBRATION_END = "1997-09-30"
#: End of the data (week 78): the end of the holdout period.
OBSERVATION_END = "1998-06-30"
_START = pd.Timestamp("1997-01-01")


def load_cdnow_transactions(directory=None) -> pd.DataFrame:
    """Load the CDNOW sample's purchase log.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Folder holding ``cdnow/CDNOW_sample.txt``; the course's datasets folder by default.

    Returns
    -------
    pandas.DataFrame
        One row per purchase record, in file order: ``customer_id`` (int, 1-2357, the sample's
        id), ``master_id`` (int, the id in the full CDNOW cohort), ``date`` (datetime64),
        ``cds`` (int, CDs bought) and ``amount`` (float, US$).

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        If the file does not have the five whitespace-separated columns of the CDNOW sample.

    Examples
    --------
    >>> log = load_cdnow_transactions()
    >>> log.shape, log["customer_id"].nunique()
    ((6919, 5), 2357)
    >>> str(log["date"].min().date()), str(log["date"].max().date())
    ('1997-01-01', '1998-06-30')
    """
    path = (data_dir() if directory is None else Path(directory)) / CDNOW_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; it is vendored in the repository (datasets/cdnow/)")
    raw = pd.read_csv(path, sep=r"\s+", header=None, dtype=str, engine="python")
    if raw.shape[1] != 5:
        raise ValueError(f"{path.name} must have 5 columns (master id, id, date, CDs, amount), got {raw.shape[1]}")
    try:
        log = pd.DataFrame({
            "customer_id": raw[1].astype(np.int64),
            "master_id": raw[0].astype(np.int64),
            "date": pd.to_datetime(raw[2], format="%Y%m%d"),
            "cds": raw[3].astype(np.int64),
            "amount": raw[4].astype(float),
        })
    except ValueError as err:
        raise ValueError(f"{path.name} holds a value that is not a CDNOW record: {err}") from None
    return log


def cdnow_summary(transactions=None, calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END) -> pd.DataFrame:
    """Summarise a purchase log for the repeat-buying models: one row per customer, in weeks.

    :func:`coursekit.models.purchases.repeat_buying_summary` with the CDNOW defaults.

    Each customer's first purchase starts its clock.  Within the calibration period (up to and
    including ``calibration_end``):

    * ``frequency`` -- repeat purchases: days with a purchase after the first day (records of one
      day are one purchase, their amounts added, as in the published summaries);
    * ``recency`` -- weeks from the first purchase to the last repeat purchase (0 if none);
    * ``T`` -- weeks from the first purchase to the end of the calibration period;
    * ``monetary_value`` -- the average amount of the repeat purchases, US$ (NaN if none).

    and after it, up to ``observation_end``: ``holdout_frequency`` (purchases) and
    ``holdout_weeks`` (the holdout period's length).  Weeks are days / 7 between the two dates, so
    a customer who first bought on 1 January 1997 has T = 272 / 7 = 38.86 weeks, as published.

    Parameters
    ----------
    transactions : pandas.DataFrame, optional
        As :func:`load_cdnow_transactions` (columns ``customer_id``, ``date``, ``amount``); the
        CDNOW sample by default.
    calibration_end, observation_end : str, datetime.date or pandas.Timestamp
        Last day of the calibration period and of the data.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``.  Only customers whose first purchase falls on or before
        ``calibration_end``.

    Raises
    ------
    ValueError, TypeError
        If a column is missing or the dates are out of order.

    References
    ----------
    .. [1] P. S. Fader, B. G. S. Hardie and K. L. Lee, Marketing Science 24(2), 275-284, 2005.

    Examples
    --------
    >>> s = cdnow_summary()
    >>> s.loc[1, ["frequency", "recency", "T", "holdout_frequency"]].round(2).tolist()
    [2.0, 30.43, 38.86, 1.0]
    >>> len(s), int((s["frequency"] == 0).sum())
    (2357, 1411)
    """
    log = load_cdnow_transactions() if transactions is None else check_frame(
        "transactions", transactions, ["customer_id", "date", "amount"], min_rows=1, no_missing=True)
    cal = check_date("calibration_end", calibration_end, example=CALIBRATION_END, whole_day=True)
    end = check_date("observation_end", observation_end, example=OBSERVATION_END, whole_day=True)
    summary = repeat_buying_summary(log, cal, end, by="customer_id", date="date", amount="amount", unit_days=7.0)
    summary = summary[["frequency", "recency", "T", "monetary_value", "holdout_frequency", "holdout_length"]]
    return summary.rename(columns={"holdout_length": "holdout_weeks"})
