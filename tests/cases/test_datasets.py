"""What every case dataset shares: a fixed seed gives the same frames, another seed other ones;
written files load back; writers refuse data of the wrong kind; loaders refuse a missing folder.

That the committed files equal a fresh generation, and that each has a data card, is checked for
every registered dataset in ``tests/data/test_registry.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit.cases import dicks, freshbox, hotline, key_accounts, miao

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
