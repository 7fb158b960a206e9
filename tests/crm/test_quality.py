"""Tests of coursekit.crm.quality: the records of the quality report and its assembly."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit import crm
from coursekit.crm.quality import issue_rows


def test_quality_issue_records():
    issue = crm.QualityIssue("web_registrations", "W00001", "email", "x", "bad_email", "rejected")
    assert issue.explanation == crm.REASONS["bad_email"]
    report = crm.quality_report([issue], pd.DataFrame([issue.__dict__]))
    assert len(report) == 2 and report.columns.tolist() == crm.QUALITY_COLUMNS
    assert len(crm.quality_report()) == 0
    with pytest.raises(ValueError, match="reason must be one of 'bad_date'"):
        crm.QualityIssue("crm_export", "C1", "name", "", "ugly", "rejected")
    with pytest.raises(ValueError, match="action must be one of 'rejected', 'set to missing'"):
        crm.QualityIssue("crm_export", "C1", "name", "", "missing_required", "ignored")
    with pytest.raises(TypeError, match="each part must be a DataFrame or an iterable of QualityIssue"):
        crm.quality_report(["not an issue"])
    with pytest.raises(ValueError, match=r"each part must have the column\(s\) \['action'\]"):
        crm.quality_report(pd.DataFrame([issue.__dict__]).drop(columns="action"))


def test_quality_report_sorts_by_source_order_then_row_id():
    issues = [
        crm.QualityIssue("order_lines", "O1-1", "quantity", "0", "bad_quantity", "rejected"),
        crm.QualityIssue("web_registrations", "W2", "email", "x", "bad_email", "rejected"),
        crm.QualityIssue("crm_export", "C9", "phone", "1", "bad_phone", "set to missing"),
        crm.QualityIssue("crm_export", "C1", "phone", "1", "bad_phone", "set to missing"),
    ]
    report = crm.quality_report(issues)
    assert report["source_row_id"].tolist() == ["C1", "C9", "W2", "O1-1"]
    assert report.index.tolist() == [0, 1, 2, 3]


def test_issue_rows_select_the_failed_rows():
    rows = issue_rows(
        ["crm_export", "web_registrations", "crm_export"],
        ["C1", "W1", "C2"],
        "phone",
        pd.Series(["138", None, "139"], dtype="str"),
        ["bad_phone", "phone_letters", "bad_phone"],
        [True, True, False],
    )
    assert rows.columns.tolist() == crm.QUALITY_COLUMNS
    assert rows[["source", "source_row_id", "value", "reason", "action"]].values.tolist() == [
        ["crm_export", "C1", "138", "bad_phone", ""],
        ["web_registrations", "W1", "", "phone_letters", ""],
    ]
    assert len(issue_rows("crm_export", ["C1"], "phone", ["x"], "bad_phone", [False])) == 0
