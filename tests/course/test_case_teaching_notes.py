"""Issue 13: every case is a teaching case a teacher can run in a 90-minute class.

The teacher's version of each case has a teaching note (``instructor-only`` cells from ``## Teaching
note`` on) with the parts a case-method teacher needs; its two class plans are tables whose minute
ranges run without gaps from 0 to 90 and from 0 to 45; the epilogue cites what happened next (or says
that nothing was published). The student version holds none of it. The case header says which reading
and chapters it draws on, how long the class is and what to prepare.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from coursekit.course import notebooks
from tests.course.pending import expect_gap

ROOT = notebooks.repo_root()
TEACHER = sorted((ROOT / "solutions" / "cases").glob("[0-9][0-9]_*.ipynb"))

#: the parts of a teaching note, as ``###`` headings, in this order
PARTS = ("Learning objectives", "Pre-class assignment", "90-minute plan", "45-minute cut", "Opening question",
         "Discussion blocks", "Board plan", "Analysis", "Closing takeaways", "Epilogue", "Grading rubric")
EPILOGUE = r"\(\d{4}|\d{4}\)|, \d{4}|nothing\b[^.]*\bpublished|no published account"
RANGE = re.compile(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|")


def teaching_note(nb) -> str:
    cells = nb.cells
    start = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Teaching note")]
    assert len(start) == 1, "one '## Teaching note' cell"
    note = [c for c in cells[start[0]:] if c.cell_type == "markdown" and notebooks.is_instructor_only(c)]
    assert note and note[0] is cells[start[0]], "the teaching note is instructor-only"
    return "\n".join(c.source for c in note)


def parts(text: str) -> dict[str, str]:
    found = {}
    for block in re.split(r"\n(?=### )", text):
        if block.startswith("### "):
            title, _, body = block.partition("\n")
            found[title[4:].strip()] = body
    return found


def check_plan(body: str, length: int) -> None:
    ranges = [(int(a), int(b)) for a, b in (RANGE.match(line).groups() for line in body.splitlines() if RANGE.match(line))]
    assert ranges, "a table with minute ranges such as | 0–10 | …"
    assert ranges[0][0] == 0 and ranges[-1][1] == length, f"the plan runs from 0 to {length} minutes, not {ranges[0][0]}–{ranges[-1][1]}"
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        assert start == end, f"the plan has a gap or an overlap at minute {end}"


def check_note(nb) -> None:
    found = parts(teaching_note(nb))
    missing = [p for p in PARTS if p not in found or not found[p].strip()]
    assert not missing, f"the teaching note lacks: {', '.join(missing)}"
    check_plan(found["90-minute plan"], 90)
    check_plan(found["45-minute cut"], 45)
    epilogue = found["Epilogue"]
    assert re.search(EPILOGUE, epilogue), \
        "the epilogue cites a published source (author, year) or says that nothing was published"


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.stem)
def test_the_teaching_note_has_every_part(path, request):
    expect_gap(request, path.stem, "teaching_note")
    check_note(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.stem)
def test_the_case_header_says_reading_chapters_time_and_preparation(path, request):
    expect_gap(request, path.stem, "case_header")
    header = nbformat.read(path, as_version=4).cells[0].source
    assert re.search(r"reading R\d", header), "the header names the reading"
    assert re.search(r"Chapters? \d", header), "the header names the chapters"
    assert "**Class:** 90 minutes" in header, "the header gives the class length: '**Class:** 90 minutes'"
    assert "**Prepare:**" in header, "the header says what to prepare: '**Prepare:** …'"


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.stem)
def test_the_student_version_holds_no_teaching_note(path):
    student = nbformat.read(ROOT / "cases" / path.name, as_version=4)
    text = "\n".join(c.source for c in student.cells)
    assert "## Teaching note" not in text
    for part in ("### 90-minute plan", "### Board plan", "### Epilogue", "### Grading rubric", "**Model answer.**",
                 "### What the story invents", "### What the evidence can and cannot support"):
        assert part not in text, part


#: the parts a teaching note adds for the story and the data (issue 13)
STORY_PARTS = ("What the story invents", "What the evidence can and cannot support")
DATE = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b")


def check_story(nb) -> None:
    cells = nb.cells
    at = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## 1. The situation")]
    assert len(at) == 1, "one '## 1. The situation' cell"
    situation = cells[at[0]].source
    assert "**The decision.**" in situation, "the story ends with '**The decision.**': who decides, by when, on what"
    assert DATE.search(situation), "the story has a deadline: a day and a month (e.g. 'by 14 December')"
    assert len(situation.split()) >= 250, f"the story is {len(situation.split())} words; a teaching case needs 250 or more"
    exhibits = cells[at[0] + 1] if at[0] + 1 < len(cells) else None
    assert exhibits is not None and exhibits.cell_type == "markdown" and exhibits.source.startswith("### Exhibits"), \
        "'### Exhibits' follows the story"
    assert "**Exhibit 1" in exhibits.source and "**Exhibit 2" in exhibits.source, "at least two exhibits: market context and the firm's numbers"
    assert any(c.cell_type == "code" for c in cells[at[0] + 2:at[0] + 4]), "the firm's numbers are computed from the case's data"
    found = parts(teaching_note(nb))
    missing = [p for p in STORY_PARTS if not found.get(p, "").strip()]
    assert not missing, f"the teaching note lacks: {', '.join(missing)}"


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.stem)
def test_the_case_is_a_story_with_exhibits(path):
    check_story(nbformat.read(path, as_version=4))


PART_B = sorted((ROOT / "solutions" / "cases").glob("[0-9][0-9]b_*.ipynb"))
#: the parts of a B part's teaching note
B_PARTS = ("When to release", "Discussion blocks", "Analysis", "Grading rubric")
#: what part A must not read: the data its B part reveals
REVEALED = {3: ("load_miao_truth", "alert_quality", "alarm_explorer"),
            8: ("load_hotline_survey()", "load_hotline_truth", "load_hotline_parameters", "importance_by_wave")}


def part_a(path_b):
    return next(p for p in TEACHER if p.name[:2] == path_b.name[:2])


def test_the_cases_with_a_reveal_have_a_b_part():
    """Issue 13: the satisfaction-spending case (8) and the store-that-knew case (3) are decided before the reveal."""
    assert sorted(int(p.name[:2]) for p in PART_B) == sorted(REVEALED)


@pytest.mark.parametrize("path", PART_B, ids=lambda p: p.stem)
def test_a_b_part_is_released_and_graded_on_its_own(path):
    b = nbformat.read(path, as_version=4)
    a_path = part_a(path)
    header = b.cells[0].source
    assert "**Release:**" in header and a_path.name in header, "the B header says when it is released, after which part A"
    assert re.search(r"reading R\d", header) and "**Prepare:**" in header, "the B header names the reading and what to prepare"
    assert any(c.metadata.get("nbgrader", {}).get("grade") for c in b.cells), "part B has its own graded exercises"
    notes = [c.source for c in b.cells if c.cell_type == "markdown" and c.source.startswith("## Teaching note (part B)")]
    assert len(notes) == 1 and notebooks.is_instructor_only(next(c for c in b.cells if c.source == notes[0]))
    found = parts(notes[0])
    missing = [p for p in B_PARTS if not found.get(p, "").strip()]
    assert not missing, f"the part-B teaching note lacks: {', '.join(missing)}"
    # part A announces it and plans its release
    a_note = parts(teaching_note(nbformat.read(a_path, as_version=4)))
    assert path.name in a_note.get("Part B", ""), "part A's teaching note has a '### Part B' section naming the B notebook"
    assert "Part B" in a_note["90-minute plan"], "part A's 90-minute plan says when part B is released"
    assert "part b" in a_note["45-minute cut"].lower(), "the 45-minute cut says what happens to part B"


@pytest.mark.parametrize("path", PART_B, ids=lambda p: p.stem)
def test_part_a_does_not_show_what_part_b_reveals(path):
    student_a = nbformat.read(ROOT / "cases" / part_a(path).name, as_version=4)
    code = "\n".join(c.source for c in student_a.cells if c.cell_type == "code")
    shown = [name for name in REVEALED[int(path.name[:2])] if name in code]
    assert not shown, f"part A's student version reads what part B reveals: {shown}"
    student_b = nbformat.read(ROOT / "cases" / path.name, as_version=4)
    assert "## Teaching note" not in "\n".join(c.source for c in student_b.cells)


def test_the_story_check_catches_a_case_without_a_story():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 1. The situation\n\nA firm sells boxes."),
                                         nbformat.v4.new_markdown_cell("### Exhibits\n\n**Exhibit 1 — x**")])
    with pytest.raises(AssertionError, match="The decision"):
        check_story(nb)


def test_the_checks_catch_a_broken_note():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "## Teaching note\n\n" + "\n\n".join(f"### {p}\n\ntext (Author, 2001)" for p in PARTS),
        metadata={"tags": ["instructor-only"]})])
    with pytest.raises(AssertionError, match="minute ranges"):
        check_note(nb)
    assert re.search(EPILOGUE, "we found no published account of it") and not re.search(EPILOGUE, "it did well")
    body = "| minutes | block |\n|---|---|\n| 0–40 | a |\n| 45–90 | b |"
    with pytest.raises(AssertionError, match="gap or an overlap at minute 40"):
        check_plan(body, 90)
    check_plan("| 0–45 | a |\n| 45–90 | b |", 90)
