"""Tests of the coursekit.data package: the data folder, and every loader re-exported as a real attribute."""

from __future__ import annotations

import inspect

import pytest

import coursekit.data
from coursekit import data, tables
from coursekit.data import (
    bank_accounts,
    campaign,
    cdnow,
    complaints,
    crm_answers,
    retention_offer,
    subscriptions,
    survey,
    transactions,
)

#: The modules whose loaders the package re-exports.
MODULES = (transactions, survey, complaints, subscriptions, bank_accounts, campaign, retention_offer, crm_answers, cdnow)


def test_data_dir_is_the_repository_folder(monkeypatch):
    monkeypatch.delenv("COURSEKIT_DATA", raising=False)
    path = data.data_dir()
    assert path.name == "datasets"
    assert (path / "transactions_orders.csv").is_file()


def test_data_dir_env_var(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="make data"):
        data.data_dir()


def test_every_loader_is_a_real_attribute_of_the_package():
    loaders = {
        name: function
        for module in MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and (name.startswith("load_") or name in data.__all__)
    }
    assert len(loaders) == 29
    assert set(loaders) | {"data_dir"} == set(data.__all__)
    for name, function in loaders.items():
        assert getattr(data, name) is function, name
        assert name in dir(data), name
    assert data.data_dir is tables.data_dir
    assert not hasattr(coursekit.data, "__getattr__")
    assert len(data.load_survey()) == 1500
    assert len(data.load_campaign()) == 6000
