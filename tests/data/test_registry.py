"""Tests of coursekit.data.registry: every dataset regenerates byte for byte; `python -m coursekit.data`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.data import registry
from coursekit.data.registry import DATASETS, main, write_datasets, writer

REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"


@pytest.mark.parametrize("name", list(DATASETS))
def test_regenerates_byte_for_byte(tmp_path, name):
    """`make data` (python -m coursekit.data datasets) reproduces the committed files of ``name``."""
    fresh = writer(name)(tmp_path)
    assert fresh, name
    for path in fresh:
        rel = path.relative_to(tmp_path)
        committed = REPO_DATASETS / rel
        assert committed.is_file(), f"{committed} is missing; run `make data`"
        raw = path.read_bytes()
        assert committed.read_bytes() == raw, f"{rel} differs from a fresh generation; run `make data`"
        assert b"\r" not in raw and raw.endswith(b"\n"), rel
    for folder in {p.relative_to(tmp_path).parent for p in fresh} - {Path(".")}:
        committed_files = {p.relative_to(REPO_DATASETS) for p in (REPO_DATASETS / folder).rglob("*.csv")}
        stale = committed_files - {p.relative_to(tmp_path) for p in fresh}
        assert not stale, f"committed files that {name} no longer writes: {sorted(map(str, stale))}"


def test_every_committed_csv_is_written_by_a_registered_dataset(tmp_path):
    written = {p.relative_to(tmp_path) for p in write_datasets(tmp_path)}
    committed = {p.relative_to(REPO_DATASETS) for p in REPO_DATASETS.rglob("*.csv")}
    assert committed <= written, f"committed CSVs no writer writes: {sorted(map(str, committed - written))}"


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_has_a_card(name):
    """A data card in ``datasets/cards/<name>.md``, or (transactions) a section of ``datasets/README.md``."""
    card = REPO_DATASETS / "cards" / f"{name}.md"
    readme = (REPO_DATASETS / "README.md").read_text(encoding="utf-8")
    assert card.is_file() or f"## Data card: {name}\n" in readme, card
    assert "make data" in (card.read_text(encoding="utf-8") if card.is_file() else readme)


def test_the_registry_imports_no_layer_above_the_data_layer():
    code = (
        "import sys, coursekit.data.registry\n"
        "layers = ('coursekit.cases', 'coursekit.widgets', 'coursekit.course')\n"
        "above = sorted(m for m in sys.modules if m.startswith(layers))\n"
        "assert not above, above\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_writers_given_by_path_are_imported_when_used(monkeypatch):
    assert callable(writer("transactions"))
    by_path = ("crm", "miao", "freshbox", "dicks", "key_accounts", "hotline_survey")
    assert all(isinstance(DATASETS[n], str) for n in by_path)
    monkeypatch.setitem(registry.DATASETS, "nowhere", "coursekit.cases.nowhere:write_nowhere")
    with pytest.raises(ImportError, match="the writer of the dataset 'nowhere', coursekit.cases.nowhere:write_nowhere"):
        writer("nowhere")
    with pytest.raises(ValueError, match="name must be one of 'transactions'"):
        writer("nope")


def test_main_writes_only_the_named_datasets(tmp_path, capsys):
    assert main([str(tmp_path / "out"), "--only", "transactions", "--only", "campaign"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "campaign_customers.csv",
        "campaign_truth.csv",
        "transactions_customers.csv",
        "transactions_orders.csv",
        "transactions_truth.csv",
    ]
    out = capsys.readouterr().out
    assert out.count("wrote ") == 5 and "done in" in out


def test_python_dash_m_coursekit_data(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "coursekit.data", str(tmp_path), "--only", "fader_hardie_2007"],
        check=True, capture_output=True, text=True,
    )
    assert "fader_hardie_2007_table1.csv" in result.stdout
    assert (tmp_path / "fader_hardie_2007_table1.csv").read_bytes() == (
        REPO_DATASETS / "fader_hardie_2007_table1.csv"
    ).read_bytes()


def test_write_datasets_validates(tmp_path):
    with pytest.raises(ValueError, match="names"):
        write_datasets(tmp_path, names=["nope"])
    with pytest.raises(ValueError, match="names"):
        write_datasets(tmp_path, names=[])
    with pytest.raises(TypeError, match="directory"):
        write_datasets(3)
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ValueError, match="directory"):
        write_datasets(afile)
