"""The vendored CDNOW sample (issue 14): the file is unchanged, and our summary reproduces the published one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coursekit.data import cdnow
from coursekit.tables import data_dir

FIXTURE = Path(__file__).parent / "fixtures" / "cdnow_summary_published.csv"
#: SHA-256 of lifetimes 0.11.3's lifetimes/datasets/CDNOW_sample.txt
SAMPLE_SHA256 = "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a"


def test_the_vendored_file_is_the_published_one():
    raw = (data_dir() / cdnow.CDNOW_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SAMPLE_SHA256
    assert (data_dir() / "cards" / "cdnow.md").is_file()


def test_the_log_has_the_sample_s_customers_and_records():
    log = cdnow.load_cdnow_transactions()
    assert log.columns.tolist() == ["customer_id", "master_id", "date", "cds", "amount"]
    assert len(log) == 6919 and log["customer_id"].nunique() == 2357
    first = log.groupby("customer_id")["date"].min()
    assert first.min() == pd.Timestamp("1997-01-01") and first.max() <= pd.Timestamp("1997-03-31")
    assert (log["amount"] >= 0).all() and (log["cds"] >= 1).all()


def test_the_summary_reproduces_the_published_calibration_summary():
    """Fader & Hardie's summary (distributed with lifetimes as cdnow_customers_summary_with_transactions.csv)."""
    ours = cdnow.cdnow_summary()
    published = pd.read_csv(FIXTURE).set_index("ID")
    assert ours.index.tolist() == published.index.tolist()
    assert (ours["frequency"].to_numpy() == published["x"].to_numpy()).all()
    # the published file rounds to two decimals
    np.testing.assert_allclose(ours["recency"], published["t_x"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["T"], published["T"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["monetary_value"].fillna(0.0), published["zbar"], atol=0.005 + 1e-9)
    assert int((ours["frequency"] == 0).sum()) == 1411 and int(ours["frequency"].sum()) == 2457
    assert int(ours["holdout_frequency"].sum()) == 1882 and (ours["holdout_weeks"] == 39).all()


def test_the_summary_moves_with_the_calibration_period():
    short = cdnow.cdnow_summary(calibration_end="1997-06-30")
    assert len(short) == 2357 and (short["frequency"] <= cdnow.cdnow_summary()["frequency"]).all()
    np.testing.assert_allclose(short["holdout_weeks"], (pd.Timestamp("1998-06-30") - pd.Timestamp("1997-06-30")).days / 7)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="observation_end"):
        cdnow.cdnow_summary(calibration_end="1998-01-01", observation_end="1997-12-31")
    with pytest.raises(ValueError, match="transactions"):
        cdnow.cdnow_summary(pd.DataFrame({"customer_id": [1]}))
    with pytest.raises(FileNotFoundError, match="vendored"):
        cdnow.load_cdnow_transactions(tmp_path)
    (tmp_path / "cdnow").mkdir()
    (tmp_path / "cdnow" / "CDNOW_sample.txt").write_text("1 2 3\n")
    with pytest.raises(ValueError, match="5 columns"):
        cdnow.load_cdnow_transactions(tmp_path)
