"""Tests of coursekit.crm.matching: blocking, scoring, clustering and the quality of a matching."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from coursekit import crm
from coursekit.crm.matching import block_keys
from coursekit.data.crm_answers import load_crm_identity
from coursekit.data.crm_contacts import make_contacts


def test_candidate_pairs_equal_brute_force_key_sharing():
    contacts, _ = crm.clean_contacts(make_contacts(400, seed=12))
    pairs = crm.candidate_pairs(contacts)
    keys = {k: block_keys(contacts, k).to_numpy(dtype=object) for k in crm.BLOCKING_KEYS}
    expected = {}
    for i, j in itertools.combinations(range(len(contacts)), 2):
        shared = tuple(not pd.isna(keys[k][i]) and keys[k][i] == keys[k][j] for k in crm.BLOCKING_KEYS)
        if any(shared):
            expected[(i, j)] = shared
    got = {(r.left, r.right): tuple(getattr(r, f"by_{k}") for k in crm.BLOCKING_KEYS) for r in pairs.itertuples()}
    assert got == expected
    assert (pairs["left"] < pairs["right"]).all()


def test_blocking_compares_few_pairs_on_the_course_data(cleaned):
    contacts = cleaned.contacts
    pairs = crm.candidate_pairs(contacts)
    assert len(pairs) < 0.001 * len(contacts) * (len(contacts) - 1) / 2
    only_phone = crm.candidate_pairs(contacts, keys="phone")
    assert only_phone.columns.tolist() == ["left", "right", "by_phone"]
    assert len(only_phone) == int(pairs["by_phone"].sum())


def test_max_block_size_skips_large_blocks():
    contacts = pd.DataFrame(
        {
            "name_key": ["a b"] * 5,
            "phone": ["13812345678"] * 4 + ["13900000000"],
            "email": [None] * 5,
            "birth_date": pd.to_datetime([None] * 5),
            "city": [None] * 5,
        }
    ).astype({"name_key": "str", "phone": "str", "email": "str", "city": "str"})
    assert len(crm.candidate_pairs(contacts, keys=["phone"])) == 6
    assert len(crm.candidate_pairs(contacts, keys=["phone"], max_block_size=3)) == 0
    with pytest.raises(ValueError, match="max_block_size must be at least 2"):
        crm.candidate_pairs(contacts, max_block_size=1)
    with pytest.raises(ValueError, match="keys must be distinct names among"):
        crm.candidate_pairs(contacts, keys=["phone", "zip"])
    with pytest.raises(ValueError, match="keys must be distinct names among"):
        crm.candidate_pairs(contacts, keys=["phone", "phone"])
    with pytest.raises(ValueError, match="RangeIndex"):
        crm.candidate_pairs(contacts.set_index(pd.Index([5, 6, 7, 8, 9])))


def test_score_pairs_by_hand(toy_contacts):
    contacts = toy_contacts
    pairs = pd.DataFrame({"left": [0, 0, 2, 4, 0], "right": [1, 3, 3, 5, 4]})
    scored = crm.score_pairs(contacts, pairs)
    w = crm.WEIGHTS
    # 0-1: transposed name (similar), same phone, city same
    assert scored.loc[0, "name"] == w["name_similar"]
    # 0-3: same name, same phone, different e-mails
    # 2-3: same e-mail only
    # 4-5: Latin vs characters: not comparable; same landline; same city
    # 0-4: different names, different phones, different birth dates, same city
    expected = [
        w["name_similar"] + w["phone_exact"] + w["city_same"],
        w["name_exact"] + w["phone_exact"] + w["email_different"],
        w["email_exact"],
        w["phone_exact"] + w["city_same"],
        w["name_different"] + w["phone_different"] + w["birth_date_different"] + w["city_same"],
    ]
    assert_allclose(scored["score"], expected)
    assert np.isnan(scored.loc[3, "name_similarity"]) and scored.loc[3, "name"] == 0.0
    heavy = crm.score_pairs(contacts, pairs, weights={"city_same": 10.0})
    assert_allclose(heavy["score"] - scored["score"], [9.5, 0, 0, 9.5, 9.5])
    with pytest.raises(ValueError, match="weights keys must be among"):
        crm.score_pairs(contacts, pairs, weights={"shoe_size": 1.0})
    with pytest.raises(TypeError, match="weights must be a dict"):
        crm.score_pairs(contacts, pairs, weights=[1.0])
    with pytest.raises(ValueError, match="pairs must hold positions"):
        crm.score_pairs(contacts, pd.DataFrame({"left": [0], "right": [6]}))


def test_one_digit_phone_typo_scores_as_near(toy_contacts):
    contacts = toy_contacts
    contacts.loc[1, "phone"] = "18209742481"
    scored = crm.score_pairs(contacts, pd.DataFrame({"left": [0], "right": [1]}))
    assert scored.loc[0, "phone"] == crm.WEIGHTS["phone_one_digit"]


def test_match_links_transitively_and_respects_the_threshold(toy_contacts):
    contacts = toy_contacts
    clusters = crm.match(contacts)
    # C1, WC1, W1 share the phone; T1 shares W1's e-mail; the household landline links nobody
    # named differently, but the record in characters is not comparable and joins C2.
    assert clusters.tolist() == [0, 0, 0, 0, 1, 1]
    assert clusters.name == "cluster"
    assert crm.match(contacts, threshold=100).tolist() == [0, 1, 2, 3, 4, 5]
    assert len(crm.match(contacts.iloc[:0].reset_index(drop=True))) == 0
    with pytest.raises(TypeError, match="threshold must be a number"):
        crm.match(contacts, threshold="high")


def test_match_quality_against_the_answer_file(cleaned, clusters):
    truth = crm.true_person_ids(cleaned.contacts)
    assert truth.notna().all()
    quality = crm.match_quality(clusters, truth)
    print(f"\nmatching: precision {quality.precision:.4f}, recall {quality.recall:.4f}, F1 {quality.f1:.4f}")
    assert quality.precision >= 0.95
    assert quality.recall >= 0.90
    assert quality.n_records == len(cleaned.contacts)
    assert quality.n_clusters == clusters.nunique()
    # matching must do better than doing nothing and than trusting names alone
    by_name = crm.match_quality(
        cleaned.contacts["name_key"].fillna(pd.Series(range(len(cleaned.contacts))).astype(str)), truth
    )
    assert quality.f1 > by_name.f1


def test_match_quality_equals_brute_force_pair_counting():
    rng = np.random.default_rng(4)
    predicted = rng.integers(0, 12, 60)
    truth = rng.integers(0, 9, 60)
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(60), 2):
        same_p, same_t = predicted[i] == predicted[j], truth[i] == truth[j]
        tp += same_p and same_t
        fp += same_p and not same_t
        fn += same_t and not same_p
    q = crm.match_quality(predicted, truth)
    assert (q.true_positives, q.false_positives, q.false_negatives) == (tp, fp, fn)
    assert_allclose([q.precision, q.recall], [tp / (tp + fp), tp / (tp + fn)])
    assert_allclose(q.f1, 2 * q.precision * q.recall / (q.precision + q.recall))
    perfect = crm.match_quality(["a", "a", "b"], [1, 1, 2])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    none = crm.match_quality([0, 1, 2], [0, 1, 2])
    assert np.isnan(none.precision) and np.isnan(none.recall)
    with pytest.raises(ValueError, match="same length"):
        crm.match_quality([0, 1], [0])
    with pytest.raises(ValueError, match="must not hold missing values"):
        crm.match_quality(pd.Series([0, None]), [0, 1])


def test_true_person_ids_uses_the_identity_file(cleaned):
    ids = crm.true_person_ids(cleaned.contacts.head(5), identity=load_crm_identity())
    assert ids.tolist() == crm.true_person_ids(cleaned.contacts.head(5)).tolist()
    unknown = pd.DataFrame({"source": ["crm_export"], "source_row_id": ["C99999"]})
    assert crm.true_person_ids(unknown).isna().all()


def test_match_scales_to_make_contacts():
    sample = make_contacts(5_000, seed=21)
    contacts, issues = crm.clean_contacts(sample)
    assert len(issues) == 0 and len(contacts) == 5_000
    quality = crm.match_quality(crm.match(contacts), sample["person_id"])
    assert quality.precision >= 0.95 and quality.recall >= 0.85
