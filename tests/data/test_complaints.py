"""Tests of coursekit.data.complaints: reproducible files, typed loaders, the planted effects, errors.

That the committed files regenerate byte for byte is tested for every dataset in test_registry.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.data import complaints as cp
from coursekit.data.complaints import COMPLAINT_COLUMNS, ComplaintsData, make_complaints, write_complaints
from coursekit.models.bucket import HOLES

REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"
COMPLAINT_FILES = ["complaints.csv", "complaints_truth.csv"]
STR = pd.Series(["x"]).astype("str").dtype


@pytest.fixture(scope="module")
def complaints_data() -> ComplaintsData:
    return make_complaints()


# --------------------------------------------------------------------------
# Reproducibility and files
# --------------------------------------------------------------------------


def test_same_seed_same_frames(complaints_data):
    for a, b in zip(complaints_data, make_complaints(), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_seed_different_data():
    assert not make_complaints(300, seed=1).complaints["response_hours"].equals(
        make_complaints(300, seed=2).complaints["response_hours"]
    )


def test_files_are_plain_csv(tmp_path):
    paths = write_complaints(tmp_path, make_complaints(30, seed=4))
    assert [p.name for p in paths] == COMPLAINT_FILES
    for path in paths:
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
    complaint_lines = paths[0].read_text().splitlines()
    assert complaint_lines[0] == ",".join(COMPLAINT_COLUMNS)
    received = complaint_lines[1].split(",")[5]
    assert len(received) == 16 and received[4] == "-" and received[10] == " "


# --------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------


def test_loaders_return_what_the_generator_made(complaints_data):
    pd.testing.assert_frame_equal(cp.load_complaints(), complaints_data.complaints)
    pd.testing.assert_frame_equal(cp.load_complaints_truth(), complaints_data.truth)


def test_loader_dtypes():
    log = cp.load_complaints()
    assert log.columns.tolist() == list(COMPLAINT_COLUMNS)
    assert log["received_at"].dtype == "datetime64[ns]"
    assert log["category"].cat.categories.tolist() == list(HOLES)
    assert log["compensation"].cat.categories.tolist() == ["none", "discount", "replacement", "refund"]
    assert log["resolved"].dtype == bool and log["stayed"].dtype == bool
    assert log["response_hours"].dtype == np.float64
    assert log["comment"].dtype == STR


def _copy_with(tmp_path, name, old, new):
    text = (REPO_DATASETS / name).read_text()
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1))
    return tmp_path


@pytest.mark.parametrize(
    ("name", "old", "new", "loader", "match"),
    [
        ("complaints.csv", ",True,", ",yes,", cp.load_complaints, "must hold True or False"),
        ("complaints.csv", "2023-01-01 08:10", "01/01/2023 08:10", cp.load_complaints,
         "column 'received_at' of complaints.csv must hold times as %Y-%m-%d %H:%M"),
        ("complaints.csv", ",phone,", ",fax,", cp.load_complaints, "column 'channel' of complaints.csv must hold only"),
        ("complaints_truth.csv", ",False,", ",maybe,", cp.load_complaints_truth, "column 'small_roll_request'"),
    ],
)
def test_loaders_refuse_corrupt_files(tmp_path, name, old, new, loader, match):
    folder = _copy_with(tmp_path, name, old, new)
    with pytest.raises(ValueError, match=match):
        loader(folder)


def test_loaders_say_how_to_regenerate_a_missing_file(tmp_path):
    for loader in (cp.load_complaints, cp.load_complaints_truth):
        with pytest.raises(FileNotFoundError, match="make data"):
            loader(tmp_path)
    with pytest.raises(TypeError, match="directory must be None or a non-empty str"):
        cp.load_complaints(42)


# --------------------------------------------------------------------------
# Generator and writer arguments
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: make_complaints(0), ValueError, "n_complaints must be an integer >= 1"),
        (lambda: make_complaints(20_001), ValueError,
         r"n_complaints must be at most 20000 \(one complaint per customer\), got 20001"),
        (lambda: make_complaints(10, seed=True), TypeError, "seed must be a non-negative integer"),
        (lambda: make_complaints(10, seed=-3), ValueError, "seed must be a non-negative integer, got -3"),
    ],
)
def test_generator_argument_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_writer_argument_errors(tmp_path):
    with pytest.raises(TypeError, match="data must be a ComplaintsData or None, got tuple"):
        write_complaints(tmp_path, (1, 2))
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder, got the existing file"):
        write_complaints(file)
    with pytest.raises(TypeError, match="directory must be a non-empty str or pathlib.Path"):
        write_complaints(None)


# --------------------------------------------------------------------------
# The complaint log's structure and planted effects
# --------------------------------------------------------------------------


def test_complaint_log_structure(complaints_data):
    log, truth = complaints_data
    assert len(log) == 3000
    assert log["complaint_id"].is_unique and log["customer_id"].is_unique
    assert log["received_at"].is_monotonic_increasing
    assert (log["received_at"].dt.year == 2023).all()
    assert log["received_at"].dt.hour.between(7, 21).all()
    assert (log["response_hours"] >= 0.1).all()
    assert (log["comment"].str.len() > 10).all()
    assert (truth["complaint_id"] == log["complaint_id"]).all()
    assert set(log["category"].unique()) == set(HOLES)
    # small-roll requests are poor-selection complaints from hotels, mostly budget hotels
    requests = log[truth["small_roll_request"].to_numpy()]
    assert (requests["category"] == "poor_selection").all()
    counts = requests["customer_type"].value_counts()
    assert counts["budget_hotel"] >= 40 and counts["budget_hotel"] > 10 * counts.drop("budget_hotel").sum() / 2
    assert set(requests["customer_type"].unique()) <= {"budget_hotel", "business_hotel"}


def test_complaint_effects(complaints_data):
    log, truth = complaints_data
    assert log.loc[log["resolved"], "stayed"].mean() > log.loc[~log["resolved"], "stayed"].mean() + 0.15
    by_comp = log.groupby("compensation", observed=True)["stayed"].mean()
    assert (by_comp.drop("none") > by_comp["none"]).all()
    # faster answers are resolved more often
    quick = log["response_hours"] <= 4
    assert log.loc[quick, "resolved"].mean() > log.loc[log["response_hours"] > 72, "resolved"].mean()
    # unmet small-roll requests stay less than other budget-hotel complaints
    budget = log["customer_type"] == "budget_hotel"
    request = truth["small_roll_request"].to_numpy()
    stay = truth["stay_probability"]
    assert stay[budget & request].mean() < stay[budget & ~request].mean()
