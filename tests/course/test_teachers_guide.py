"""The teacher's guide (docs/teachers/) stays in step with the notebooks.

* Every chapter section, chapter and case a semester plan names exists.
* A section's minutes in the plan are the minutes its chapter gives under the heading; "Chapter N core"
  is the sum of the chapter's core sections.
* Every session of both plans adds up to 90 minutes, each plan has two sessions a week, and each plan
  covers every chapter's core and every case.
* Every weights table of the assessment plan adds up to 100%.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from coursekit.course import notebooks

ROOT = notebooks.repo_root()
GUIDE = ROOT / "docs" / "teachers"
SESSION_MINUTES = 90
SECTION = re.compile(r"^## (\d+)\.(\d+) [^\n]*\n\*(Core|Optional) · about (\d+) minutes\*")
ITEM = re.compile(r"^(.*?)\s*\((\d+)\)$")


def chapter_sections() -> dict[tuple[int, int], tuple[str, int]]:
    """(chapter, section) -> ("Core" or "Optional", minutes), read from the teacher's notebooks."""
    found = {}
    for path in sorted((ROOT / "solutions" / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            match = SECTION.match(cell.source) if cell.cell_type == "markdown" else None
            if match:
                found[int(match[1]), int(match[2])] = (match[3], int(match[4]))
    return found


def cases() -> set[int]:
    return {int(p.name[:2]) for p in (ROOT / "solutions" / "cases").glob("[0-9][0-9]_*.ipynb")}


def plan_rows(heading: str) -> list[dict]:
    """The rows of the table under ``## <heading>`` in semester.md."""
    text = (GUIDE / "semester.md").read_text(encoding="utf-8")
    part = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("| week")]
    rows = []
    for line in lines:
        week, session, plan, before, graded = [c.strip() for c in line.strip("|").split("|")]
        rows.append({"week": int(week), "session": int(session), "plan": plan, "before": before, "graded": graded})
    return rows


def minutes_of(item: str, sections, case_numbers) -> tuple[int, str | None]:
    """The minutes an item of a plan must have according to the notebooks (or None for free items)."""
    if m := re.fullmatch(r"§(\d+)\.(\d+)", item):
        key = (int(m[1]), int(m[2]))
        assert key in sections, f"{item}: no such section in solutions/chapters"
        return sections[key][1], "section"
    if m := re.fullmatch(r"Chapter (\d+) (core|optional)", item):
        kind = m[2].capitalize()
        total = sum(minutes for (ch, _), (k, minutes) in sections.items() if ch == int(m[1]) and k == kind)
        assert total, f"{item}: no such chapter or no {m[2]} sections"
        return total, "chapter"
    if m := re.fullmatch(r"Case (\d+)", item):
        assert int(m[1]) in case_numbers, f"{item}: no such case in solutions/cases"
        return SESSION_MINUTES, "case"
    assert not re.search(r"§|Chapter \d|Case \d", item), f"{item!r}: a reference the test cannot read"
    return None, None


PLANS = ["14-week plan", "8-week plan"]


@pytest.mark.parametrize("heading", PLANS)
def test_a_plan_fits_its_sessions_and_matches_the_notebooks(heading):
    sections, case_numbers = chapter_sections(), cases()
    rows = plan_rows(heading)
    weeks = int(heading.split("-")[0])
    assert [(r["week"], r["session"]) for r in rows] == [(w, s) for w in range(1, weeks + 1) for s in (1, 2)]
    covered_sections, covered_cores, covered_cases = set(), set(), set()
    for row in rows:
        total = 0
        for item in row["plan"].split(" + "):
            match = ITEM.match(item.strip())
            assert match, f"week {row['week']}: {item!r} has no (minutes)"
            name, minutes = match[1], int(match[2])
            expected, kind = minutes_of(name, sections, case_numbers)
            if expected is not None:
                assert minutes == expected, f"week {row['week']}: {name} takes {expected} minutes in the notebooks, not {minutes}"
            if kind == "section":
                covered_sections.add(tuple(int(x) for x in name[1:].split(".")))
            elif kind == "chapter" and name.endswith("core"):
                covered_cores.add(int(name.split()[1]))
            elif kind == "case":
                covered_cases.add(int(name.split()[1]))
            total += minutes
        assert total == SESSION_MINUTES, f"week {row['week']} session {row['session']}: {total} minutes, not {SESSION_MINUTES}"
    cores_by_sections = {ch for ch in {c for c, _ in sections}
                         if all(key in covered_sections for key, (k, _) in sections.items() if key[0] == ch and k == "Core")}
    assert covered_cores | cores_by_sections == {c for c, _ in sections}, "every chapter's core sections are in the plan"
    assert covered_cases == case_numbers, "every case is in the plan"


def test_every_session_is_ninety_minutes_in_the_chapters_too():
    """A chapter's core fits one session, which is what 'Chapter N core (90)' relies on."""
    sections = chapter_sections()
    for chapter in {c for c, _ in sections}:
        core = sum(m for (c, _), (k, m) in sections.items() if c == chapter and k == "Core")
        assert core <= SESSION_MINUTES, f"Chapter {chapter}'s core takes {core} minutes"


def test_assessment_weights_add_up_to_100():
    text = (GUIDE / "assessment.md").read_text(encoding="utf-8")
    tables = re.findall(r"\| component \| weight \(%\) \|.*?\n((?:\|.*\n)+)", text)
    assert len(tables) == 2, "one weights table per plan"
    for table in tables:
        weights = [int(line.split("|")[2]) for line in table.splitlines() if line.startswith("| ") and not line.startswith("|---")]
        assert sum(weights) == 100, weights


def test_the_guide_is_linked_from_the_readme_and_its_pages_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/teachers/README.md" in readme
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for page in re.findall(r"\]\(([a-z-]+\.md)\)", index):
        assert (GUIDE / page).is_file(), page


def test_the_check_catches_a_wrong_plan():
    sections, case_numbers = chapter_sections(), cases()
    with pytest.raises(AssertionError, match="no such case"):
        minutes_of("Case 10", sections, case_numbers)
    with pytest.raises(AssertionError, match="no such section"):
        minutes_of("§1.42", sections, case_numbers)
    assert minutes_of("§1.3", sections, case_numbers) == (sections[1, 3][1], "section")
    assert minutes_of("Chapter 3 core", sections, case_numbers)[0] == sum(
        m for (c, _), (k, m) in sections.items() if c == 3 and k == "Core")
    with pytest.raises(AssertionError, match="cannot read"):
        minutes_of("Case three §x", sections, case_numbers)
