"""What every case notebook in solutions/cases/ must contain (issue: the case library).

1. the situation retold; 2. data the student works with; 3. computational questions
(autograded, at least 4) and discussion questions (at least 3); 4. in the solution
version only (cells tagged "instructor-only"): worked answers and a teaching note with
learning goals, a 45-minute class plan, common mistakes and links to the chapters.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from coursekit.course import notebooks
from tests.course import rules
from tests.course.slides import check_slide_metadata

CASES = [p for p in notebooks.solution_notebooks() if p.parent.name == "cases"]


@pytest.fixture(params=CASES, ids=lambda p: p.name)
def case(request):
    return request.param, nbformat.read(request.param, as_version=4)


def is_part_b(path) -> bool:
    """A case's B part (``NNb_*.ipynb``): released after the class has decided part A, graded on its own."""
    return path.name[2] == "b"


def test_nine_cases():
    assert len([p for p in CASES if not is_part_b(p)]) == 9, [p.name for p in CASES]
    assert sorted(int(p.name[:2]) for p in CASES if is_part_b(p)) == [3, 8], "Cases 3 and 8 have a B part"


def test_metadata_for_the_index(case):
    path, nb = case
    meta = nb.metadata.get("coursekit", {})
    assert meta.get("title") and meta.get("skills") and meta.get("chapters"), path.name
    assert 0 < meta["minutes"] <= 120
    assert all(1 <= c <= 5 for c in meta["chapters"])


def test_business_school_structure(case):
    path, nb = case
    student_md = "\n".join(c.source for c in nb.cells
                           if c.cell_type == "markdown" and not notebooks.is_instructor_only(c))
    for heading in ("## 1. The situation", "## 2. The data", "## 3. Questions", "## Discussion questions"):
        assert heading in student_md, f"{path.name} lacks {heading!r}"
    rules.check_discussion(nb, path.name)


def test_autograded_questions(case):
    path, nb = case
    n = int(path.name[:2])
    graded = [c.metadata["nbgrader"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    least = 3 if is_part_b(path) else 4
    assert len(graded) >= least, f"{path.name}: {len(graded)} autograded questions, at least {least} required"
    for meta in graded:
        assert meta["points"] > 0 and meta["locked"]
        assert re.fullmatch(rf"case{n}_[a-z0-9_]+", meta["grade_id"]), meta["grade_id"]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            visible, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
            assert "assert" in visible and "assert" in hidden, cell.metadata["nbgrader"]["grade_id"]


def test_teaching_note_and_worked_answers_are_instructor_only(case):
    path, nb = case
    notes = "\n".join(c.source for c in nb.cells if notebooks.is_instructor_only(c))
    if is_part_b(path):  # a B part's short teaching note: test_case_teaching_notes.py
        assert "## Teaching note (part B)" in notes, f"{path.name}: the instructor-only cells lack the part-B teaching note"
        return
    for part in ("Teaching note", "What students usually get wrong", "Links to the chapters", "Worked answers"):
        assert part in notes, f"{path.name}: the instructor-only cells lack {part!r}"
    # the older notes' goals and 45-minute plan, or the full teaching note of issue 13 (test_case_teaching_notes.py)
    assert ("Learning goals" in notes and "45-minute class plan" in notes) or \
        ("Learning objectives" in notes and "90-minute plan" in notes), f"{path.name}: the teaching note lacks its goals and plan"


def test_slide_metadata(case):
    _, nb = case
    check_slide_metadata(nb)


def test_executed_without_errors(case):
    _, nb = case
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
