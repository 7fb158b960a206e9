"""The datasets of the case modules: committed files equal a fresh generation, byte for byte.

Also what every case dataset shares: a fixed seed gives the same frames, another seed other
ones; writers refuse data of the wrong kind; loaders refuse a missing folder; each dataset has a
data card.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coursekit.cases import dicks, freshbox, hotline, key_accounts, miao

REPO_DATASETS = Path(__file__).resolve().parents[2] / "datasets"

#: Every case dataset: name -> writer, as the modules register them.
WRITERS = {**freshbox.DATASETS, **miao.DATASETS, **dicks.DATASETS, **key_accounts.DATASETS, **hotline.DATASETS}

#: (maker, small arguments, the frames' type) of every case dataset.
MAKERS = {
    "freshbox": (freshbox.make_freshbox, {"months": 4, "initial": 500}, freshbox.FreshBoxData),
    "miao": (miao.make_miao, {"n_cards": 80}, miao.MiaoData),
    "dicks": (dicks.make_dicks, {"n_customers": 60}, dicks.DicksData),
    "key_accounts": (key_accounts.make_key_accounts, {"n_accounts": 12}, key_accounts.KeyAccountsData),
    "hotline_survey": (hotline.make_hotline_survey, {"n_per_wave": 30}, hotline.HotlineData),
}

#: One loader per dataset, to check the refusals they share.
LOADERS = [freshbox.load_freshbox_monthly, miao.load_miao_cards, dicks.load_dicks_items,
           key_accounts.load_key_accounts_truth, hotline.load_hotline_parameters]


def test_every_dataset_is_covered():
    assert set(WRITERS) == set(MAKERS) == {"freshbox", "miao", "dicks", "key_accounts", "hotline_survey"}


@pytest.mark.parametrize("name", list(WRITERS))
def test_committed_files_equal_a_fresh_generation(tmp_path, name):
    fresh = WRITERS[name](tmp_path)
    assert fresh, name
    for path in fresh:
        rel = path.relative_to(tmp_path)
        committed = REPO_DATASETS / rel
        assert committed.is_file(), f"{committed} is missing; regenerate it with `make data`"
        raw = path.read_bytes()
        assert committed.read_bytes() == raw, f"{rel} differs from a fresh generation"
        assert b"\r" not in raw and raw.endswith(b"\n")
    for folder in {p.relative_to(tmp_path).parent for p in fresh} - {Path(".")}:
        committed_files = {p.relative_to(REPO_DATASETS) for p in (REPO_DATASETS / folder).rglob("*.csv")}
        assert committed_files == {p.relative_to(tmp_path) for p in fresh}, "a stale file in the dataset's folder"


@pytest.mark.parametrize("name", list(MAKERS))
def test_same_seed_same_frames_other_seed_other_frames(name):
    maker, kwargs, _ = MAKERS[name]
    a, b, c = maker(**kwargs, seed=5), maker(**kwargs, seed=5), maker(**kwargs, seed=6)
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert not all(x.equals(z) for x, z in zip(a, c, strict=True))


@pytest.mark.parametrize("name", list(MAKERS))
def test_written_files_load_back(tmp_path, name):
    maker, kwargs, kind = MAKERS[name]
    data = maker(**kwargs, seed=3)
    paths = WRITERS[name](tmp_path, data)
    assert len(paths) == len(kind._fields)
    with pytest.raises(TypeError, match="data must be"):
        WRITERS[name](tmp_path, data=pd.DataFrame())
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder"):
        WRITERS[name](file, data)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_loaders_refuse_a_missing_folder_or_file(tmp_path, loader):
    with pytest.raises(FileNotFoundError, match="make data"):
        loader(tmp_path)
    with pytest.raises(FileNotFoundError, match="make data"):
        loader(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="directory"):
        loader(3)


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_dataset_has_a_card(name):
    card = REPO_DATASETS / "cards" / f"{name}.md"
    assert card.is_file(), card
    text = card.read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "make data" in text
