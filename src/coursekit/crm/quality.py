r"""The quality report of Chapter 2's pipeline: every value removed and every row rejected, with its reason.

Cleaning must not drop or rewrite anything silently.  Each decision of
:mod:`coursekit.crm.cleaning` becomes one line of the report -- source, row id, field, the
text found, a reason code of :data:`coursekit.crm.schema.REASONS` and the action taken
(``"rejected"`` or ``"set to missing"``) -- so that for every source the rows read equal the
rows loaded plus the rows rejected, and the people who keep the source can fix it.

References
----------
.. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality means to data
   consumers", Journal of Management Information Systems 12(4), 5-33, 1996.
.. [2] E. Rahm and H. H. Do, "Data cleaning: problems and current approaches", IEEE Data
   Engineering Bulletin 23(4), 3-13, 2000.

Examples
--------
>>> QualityIssue("crm_export", "C00007", "email", "x@", "bad_email", "set to missing").explanation
'the e-mail address is malformed'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit._validate import check_choice, check_frame
from coursekit.crm.schema import QUALITY_COLUMNS, REASONS, SOURCES

__all__ = ["ACTIONS", "QualityIssue", "quality_report", "issue_rows"]

#: What cleaning does with a value that fails: reject its row, or load the row without it.
ACTIONS: tuple[str, ...] = ("rejected", "set to missing")


@dataclass(frozen=True)
class QualityIssue:
    """One line of the quality report: what failed, where, and what was done.

    Attributes
    ----------
    source : str
        Source file (one of :data:`coursekit.crm.schema.SOURCES`).
    source_row_id : str
        Row id in that file (``order_id-line_no`` for order lines).
    field : str
        Column of the file that failed.
    value : str
        The text found there (empty for a missing value).
    reason : str
        Reason code, a key of :data:`coursekit.crm.schema.REASONS`.
    action : str
        ``"rejected"`` (the row was not loaded) or ``"set to missing"`` (the
        row was loaded without this value).
    """

    source: str
    source_row_id: str
    field: str
    value: str
    reason: str
    action: str

    def __post_init__(self):
        check_choice("reason", self.reason, tuple(REASONS))
        check_choice("action", self.action, ACTIONS)

    @property
    def explanation(self) -> str:
        """The meaning of :attr:`reason` in words."""
        return REASONS[self.reason]


def quality_report(*parts) -> pd.DataFrame:
    """Assemble quality issues into the report frame, in a stable order.

    Parameters
    ----------
    *parts : pandas.DataFrame or iterable of QualityIssue
        Frames with the columns :data:`coursekit.crm.schema.QUALITY_COLUMNS`, or
        :class:`QualityIssue` records.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`coursekit.crm.schema.QUALITY_COLUMNS` (all str), sorted by source (in
        :data:`coursekit.crm.schema.SOURCES` order), row id and field, with
        a RangeIndex.

    References
    ----------
    .. [1] R. Y. Wang and D. M. Strong, "Beyond accuracy: what data quality
       means to data consumers", Journal of Management Information Systems
       12(4), 5-33, 1996.

    Examples
    --------
    >>> issue = QualityIssue("crm_export", "C00007", "phone", "138O1234567", "phone_letters", "set to missing")
    >>> quality_report([issue])[["source_row_id", "reason", "action"]].to_dict("records")
    [{'source_row_id': 'C00007', 'reason': 'phone_letters', 'action': 'set to missing'}]
    >>> issue.explanation
    'the phone number holds letters (O or l typed for 0 or 1?)'
    """
    frames = []
    for part in parts:
        if isinstance(part, pd.DataFrame):
            check_frame("each part", part, QUALITY_COLUMNS)
            frames.append(part[QUALITY_COLUMNS])
        else:
            records = list(part)
            bad = [r for r in records if not isinstance(r, QualityIssue)]
            if bad:
                raise TypeError(
                    f"each part must be a DataFrame or an iterable of QualityIssue, got {type(bad[0]).__name__}"
                )
            frames.append(pd.DataFrame([r.__dict__ for r in records], columns=QUALITY_COLUMNS))
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in QUALITY_COLUMNS})
    report = pd.concat(frames, ignore_index=True).astype("str")
    rank = report["source"].map({s: i for i, s in enumerate(SOURCES)}).fillna(len(SOURCES))
    report = report.assign(_rank=rank).sort_values(["_rank", "source_row_id", "field", "reason"], kind="stable")
    return report.drop(columns="_rank").reset_index(drop=True)


def issue_rows(source: str, row_ids, field: str, values, reasons, mask) -> pd.DataFrame:
    """Return report lines for the rows of one field selected by ``mask``, the action still empty.

    Parameters
    ----------
    source : str or array-like of str
        Source of every row (one name, or one per row).
    row_ids : array-like of str
        Row id of every row.
    field : str
        The field that failed.
    values : array-like of str
        The text of the field in every row (missing becomes ``""``).
    reasons : str or array-like of str
        Reason code(s) of :data:`coursekit.crm.schema.REASONS`.
    mask : array-like of bool
        The rows that failed.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`coursekit.crm.schema.QUALITY_COLUMNS`, one row per ``True`` of
        ``mask``; the caller fills in ``action``.

    Examples
    --------
    >>> rows = issue_rows("crm_export", ["C1", "C2"], "phone", ["138", "13812345678"], "bad_phone", [True, False])
    >>> rows[["source_row_id", "value", "reason"]].to_dict("records")
    [{'source_row_id': 'C1', 'value': '138', 'reason': 'bad_phone'}]
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in QUALITY_COLUMNS})
    return pd.DataFrame(
        {
            "source": source if np.isscalar(source) else np.asarray(source, dtype=object)[mask],
            "source_row_id": np.asarray(row_ids, dtype=object)[mask],
            "field": field,
            "value": np.asarray(pd.Series(values).fillna(""), dtype=object)[mask],
            "reason": np.asarray(reasons, dtype=object)[mask] if not np.isscalar(reasons) else reasons,
            "action": "",
        },
        columns=QUALITY_COLUMNS,
    )
