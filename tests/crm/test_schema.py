"""Tests of coursekit.crm.schema: the layout of the raw files agrees with itself and with the files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coursekit import crm
from coursekit.crm.schema import CITY_NAMES_ZH, IDENTITY_TABLE, SOURCE_TABLES
from coursekit.models.bucket import HOLES

DATASETS = Path(__file__).resolve().parents[2] / "datasets"


@pytest.mark.parametrize("source", crm.SOURCES)
def test_each_committed_file_has_the_declared_header(source):
    table = SOURCE_TABLES[source]
    assert table.filename == crm.SOURCE_FILES[source]
    assert table.names == crm.SOURCE_COLUMNS[source]
    with (DATASETS / "crm" / table.filename).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == crm.SOURCE_COLUMNS[source]
    row_id = crm.ROW_ID_COLUMN[source]
    assert row_id is None or row_id == crm.SOURCE_COLUMNS[source][0]
    assert set(crm.REQUIRED[source]) <= set(crm.SOURCE_COLUMNS[source])


def test_reasons_extend_the_defect_reasons_and_allowed_values_are_distinct():
    assert crm.DEFECT_REASONS.items() <= crm.REASONS.items()
    assert {"bad_value", "duplicate_id", "unknown_customer"} <= set(crm.REASONS)
    assert crm.CONTACT_SOURCES == crm.SOURCES[:4]
    assert crm.TICKET_CATEGORIES == HOLES
    for values in (crm.ORDER_CATEGORIES, crm.INCENTIVES, tuple(CITY_NAMES_ZH)):
        assert len(set(values)) == len(values)
    assert crm.ORDER_CATEGORIES[-1] == "appliances"


def test_identity_table_reads_the_answer_file():
    identity = IDENTITY_TABLE.read(crm.crm_dir())
    assert identity.columns.tolist() == ["source", "source_row_id", "person_id"]
    assert set(identity["source"]) == set(crm.CONTACT_SOURCES)


def test_crm_dir_accepts_the_datasets_folder_or_the_crm_folder(tmp_path):
    assert crm.crm_dir(DATASETS) == DATASETS / "crm"
    assert crm.crm_dir(DATASETS / "crm") == DATASETS / "crm"
    assert crm.crm_dir(str(DATASETS)) == DATASETS / "crm"
    with pytest.raises(FileNotFoundError, match="no CRM source files.*regenerate"):
        crm.crm_dir(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        crm.crm_dir(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="directory must be None or a non-empty str"):
        crm.crm_dir(3)


def test_crm_dir_defaults_to_the_environment_folder(tmp_path, monkeypatch):
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "crm_export.csv").write_text(",".join(crm.SOURCE_COLUMNS["crm_export"]) + "\n")
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path))
    assert crm.crm_dir() == tmp_path / "crm"
