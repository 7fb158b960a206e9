"""The Chapter 2 explorers: the matching threshold and the churn early warning."""

import numpy as np
import pandas as pd
import pytest

from coursekit import crm
from coursekit.data.crm_answers import load_crm_identity, load_crm_people
from coursekit.models import purchases
from coursekit.widgets import customer_database


@pytest.fixture(scope="module")
def contacts():
    return crm.clean(crm.extract()).contacts


@pytest.fixture(scope="module")
def course():
    return customer_database._course_data()


def _toy_contacts():
    # three people: A twice (same phone), B twice (same e-mail, one name typo), C once
    return pd.DataFrame({
        "source": ["crm_export", "web_registrations", "crm_export", "service_tickets", "warranty_cards"],
        "source_row_id": ["C1", "W1", "C2", "T1", "WC1"],
        "name_key": ["fang wang", "fang wang", "li na", None, "wei zhang"],
        "phone": ["13812345678", "13812345678", None, None, "13900000000"],
        "email": [None, "fw@163.com", "ln@qq.com", "ln@qq.com", None],
        "birth_date": pd.to_datetime(["1985-03-02", None, None, None, None]),
        "city": ["Hangzhou", None, "Beijing", None, "Wuhan"],
    })


def _toy_cycles():
    index = pd.Index(["A", "B", "C", "D"], name="customer_id")
    return pd.DataFrame({
        "n_purchases": [10, 8, 5, 2],
        "last_purchase": pd.to_datetime(["2023-12-20", "2023-10-01", "2023-12-30", "2023-06-01"]),
        "cycle_days": [10.0, 30.0, 7.0, np.nan],
    }, index=index)


# ----------------------------------------------------------------------------- matching
def test_matching_default_view_equals_the_database_matcher(contacts):
    ex = customer_database.matching_explorer()
    labels = crm.match(contacts)
    quality = crm.match_quality(labels, crm.true_person_ids(contacts))
    assert ex.results["customers"] == labels.nunique() == 2199
    assert ex.results["precision"] == pytest.approx(quality.precision)
    assert ex.results["recall"] == pytest.approx(quality.recall)
    assert ex.results["false_pairs"] == quality.false_positives
    assert ex.results["missed_pairs"] == quality.false_negatives
    assert ex.results["candidate_pairs"] == len(crm.candidate_pairs(contacts))
    assert ex.results["all_pairs"] == len(contacts) * (len(contacts) - 1) // 2
    np.testing.assert_array_equal(ex.results["labels"], labels.to_numpy())
    assert bytes(ex.image.value).startswith(b"\x89PNG")
    assert ex.ax.get_title() and ex.ax.get_xlabel() and ex.ax.get_ylabel()
    assert "2,199 customers" in ex.summary.value


@pytest.mark.parametrize("threshold", [-6.0, -2.5, 6.5, 10.0, 15.5])
def test_a_slider_move_relinks_at_the_new_threshold(contacts, threshold):
    ex = customer_database.matching_explorer()
    before = bytes(ex.image.value)
    ex.controls["threshold"].value = threshold
    assert bytes(ex.image.value) != before
    labels = crm.match(contacts, threshold=threshold)
    quality = crm.match_quality(labels, crm.true_person_ids(contacts))
    assert ex.results["customers"] == labels.nunique()
    assert ex.results["precision"] == pytest.approx(quality.precision)
    assert ex.results["recall"] == pytest.approx(quality.recall)
    assert ex.results["linked_pairs"] == int(
        (crm.score_pairs(contacts, crm.candidate_pairs(contacts))["score"] >= threshold).sum()
    )


def test_curves_hold_the_quality_at_every_slider_position(contacts):
    ex = customer_database.matching_explorer()
    grid = customer_database._grid()
    precision_line, recall_line = ex.ax.get_lines()[:2]
    np.testing.assert_allclose(precision_line.get_xdata(), grid)
    truth = crm.true_person_ids(contacts)
    for i in (0, 7, 20, 24, 25, 32, 40, len(grid) - 1):
        quality = crm.match_quality(crm.match(contacts, threshold=grid[i]), truth)
        np.testing.assert_allclose(precision_line.get_ydata()[i], quality.precision, equal_nan=True)
        np.testing.assert_allclose(recall_line.get_ydata()[i], quality.recall)


def test_threshold_line_and_markers_follow_the_slider():
    ex = customer_database.matching_explorer()
    ex.set(threshold=9.0)
    cut = ex._artists["cut"]
    np.testing.assert_allclose(cut.get_xdata(), [9.0, 9.0])
    x, y = ex._artists["dots"].get_data()
    np.testing.assert_allclose(x, [9.0, 9.0])
    np.testing.assert_allclose(y, [ex.results["precision"], ex.results["recall"]])


def test_no_link_at_all_gives_one_customer_per_record_and_no_precision():
    ex = customer_database.matching_explorer(threshold=22.0)
    assert ex.results["customers"] == ex.results["records"]
    assert ex.results["linked_pairs"] == 0
    assert np.isnan(ex.results["precision"])
    assert ex.results["recall"] == 0.0
    assert "n/a (no pair linked)" in ex.summary.value


def test_toy_records_with_explicit_truth():
    toy = _toy_contacts()
    ex = customer_database.matching_explorer(toy, truth=["A", "A", "B", "B", "C"])
    assert ex.results["customers"] == 3
    assert ex.results["precision"] == 1.0 and ex.results["recall"] == 1.0
    assert ex.results["all_pairs"] == 10
    ex.set(threshold=7.0)                     # only the phone + name pair (9 points) survives
    assert ex.results["customers"] == 4
    assert ex.results["recall"] == pytest.approx(0.5)


def test_matching_rejects_bad_input():
    toy = _toy_contacts()
    with pytest.raises(TypeError, match="contacts must be a pandas DataFrame"):
        customer_database.matching_explorer(toy.to_dict(), truth=list("AABBC"))
    with pytest.raises(ValueError, match="missing \\['name_key'\\]"):
        customer_database.matching_explorer(toy.drop(columns="name_key"), truth=list("AABBC"))
    with pytest.raises(ValueError, match="at least two records"):
        customer_database.matching_explorer(toy.iloc[:1], truth=["A"])
    with pytest.raises(ValueError, match="one person per record"):
        customer_database.matching_explorer(toy, truth=list("AABB"))
    with pytest.raises(ValueError, match="must not hold missing"):
        customer_database.matching_explorer(toy, truth=["A", "A", None, "B", "C"])
    with pytest.raises(ValueError, match="threshold must be in"):
        customer_database.matching_explorer(toy, truth=list("AABBC"), threshold=30)


# ------------------------------------------------------------------------ early warning
def test_early_warning_default_view_counts_against_the_answer_file(course):
    contacts, _, cycles, churned = course
    # independent truth: persons with a churn date, through the identity answer file
    people = load_crm_people()
    identity = load_crm_identity()
    link = contacts[["source", "source_row_id", "customer_id"]].merge(identity, on=["source", "source_row_id"])
    churned_people = set(people.loc[people["churn_date"].notna(), "person_id"])
    truly = set(link.loc[link["person_id"].isin(churned_people), "customer_id"])
    ew = customer_database.early_warning_explorer()
    listed = purchases.overdue(cycles, "2024-01-01", 1.5)
    judged = cycles[cycles["cycle_days"].notna()]
    assert ew.results["flagged"] == len(listed) == 511
    assert ew.results["caught"] == len(set(listed.index) & truly) == 471
    assert ew.results["churners"] == len(set(judged.index) & truly)
    assert ew.results["false_alarms"] == ew.results["flagged"] - ew.results["caught"]
    silent = (pd.Timestamp("2024-01-01") - judged["last_purchase"]).dt.days
    fixed = set(judged.index[silent > 60])
    assert ew.results["fixed_flagged"] == len(fixed)
    assert ew.results["fixed_caught"] == len(fixed & truly)
    assert ew.results["judged"] + ew.results["not_judged"] == len(cycles)
    pd.testing.assert_frame_equal(ew.results["listed"], listed.drop(columns="reason", errors="ignore"))
    assert bytes(ew.image.value).startswith(b"\x89PNG")
    assert ew.ax.get_title() and ew.ax.get_xlabel() and ew.ax.get_ylabel()
    assert set(churned.index) >= set(judged.index)


def test_toy_early_warning_by_hand():
    cycles = _toy_cycles()
    churned = pd.Series([False, True, False, True], index=cycles.index)
    ew = customer_database.early_warning_explorer(cycles, churned, as_of="2024-01-01", tolerance=1.5, cutoff_days=20)
    # silences: A 12 days (1.2 cycles), B 92 (3.07), C 2 (0.29); D has no cycle
    assert ew.results["judged"] == 3 and ew.results["not_judged"] == 1
    assert ew.results["churners"] == 1
    assert list(ew.results["listed"].index) == ["B"]
    assert (ew.results["flagged"], ew.results["caught"], ew.results["false_alarms"]) == (1, 1, 0)
    assert ew.results["alarm_after_days"] == pytest.approx(45.0)      # 1.5 x 30 days
    assert (ew.results["fixed_flagged"], ew.results["fixed_caught"]) == (1, 1)
    ew.set(tolerance=1.1, cutoff_days=10)
    assert list(ew.results["listed"].index) == ["B", "A"]
    assert (ew.results["flagged"], ew.results["caught"], ew.results["false_alarms"]) == (2, 1, 1)
    assert ew.results["precision"] == pytest.approx(0.5) and ew.results["recall"] == 1.0
    assert (ew.results["fixed_flagged"], ew.results["fixed_false_alarms"]) == (2, 1)
    assert ew.results["fixed_alarm_after_days"] == pytest.approx(10.0)
    np.testing.assert_allclose(ew._artists["own"].get_ydata(), 1.1 * ew._artists["own"].get_xdata())
    np.testing.assert_allclose(ew._artists["fixed"].get_ydata(), [10, 10])
    assert "catches <b>1</b> of 1 churners" in ew.summary.value


def test_early_warning_rejects_bad_input():
    cycles = _toy_cycles()
    churned = pd.Series([False, True, False, True], index=cycles.index)
    with pytest.raises(TypeError, match="cycles must be a pandas DataFrame"):
        customer_database.early_warning_explorer(cycles.to_dict(), churned)
    with pytest.raises(ValueError, match="missing \\['cycle_days'\\]"):
        customer_database.early_warning_explorer(cycles.drop(columns="cycle_days"), churned)
    with pytest.raises(ValueError, match="one row per customer"):
        customer_database.early_warning_explorer(cycles.set_index("n_purchases", append=True), churned)
    with pytest.raises(ValueError, match="churned must be given"):
        customer_database.early_warning_explorer(cycles)
    with pytest.raises(TypeError, match="churned must be a pandas Series"):
        customer_database.early_warning_explorer(cycles, churned.to_numpy())
    with pytest.raises(ValueError, match="cover every customer"):
        customer_database.early_warning_explorer(cycles, churned.drop("B"))
    with pytest.raises(ValueError, match="tolerance must be in"):
        customer_database.early_warning_explorer(cycles, churned, tolerance=0.2)
    with pytest.raises(ValueError, match="cutoff_days must be in"):
        customer_database.early_warning_explorer(cycles, churned, cutoff_days=1000)
    with pytest.raises(ValueError, match="whole number of days"):
        customer_database.early_warning_explorer(cycles, churned, cutoff_days=30.5)
    with pytest.raises(ValueError, match="on or after every last purchase"):
        customer_database.early_warning_explorer(cycles, churned, as_of="2023-12-01")
    with pytest.raises(ValueError, match="at least one customer with a cycle"):
        customer_database.early_warning_explorer(cycles.assign(cycle_days=np.nan), churned)


# ------------------------------------------------------------------------------- bench
def test_bench_moves_use_existing_controls():
    for factory, moves in customer_database.BENCH.values():
        ex = factory()
        for move in moves:
            assert set(move) <= set(ex.controls)
            for name, value in move.items():
                assert ex.controls[name].min <= value <= ex.controls[name].max
        ex.set(**moves[-1])
        assert ex.results
    with pytest.raises(ValueError, match="unknown control"):
        customer_database.matching_explorer().set(colour="red")
