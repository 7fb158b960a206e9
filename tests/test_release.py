"""The single-source pipeline: solutions/ -> nbgrader -> chapters/ (and cases/).

* the committed student notebooks are exactly what nbgrader's converter makes now;
* no student notebook carries a solution or a hidden test;
* ``nbgrader autograde`` on this repository gives the full score to a solution
  notebook submitted as a student's, and zero to the untouched student notebook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.course import notebooks

ROOT = notebooks.repo_root()
SOURCES = notebooks.solution_notebooks()
ASSIGNMENTS = sorted({p.parent.name for p in SOURCES})


def _copy_course(dest: Path) -> Path:
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions", dest / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


@pytest.fixture(scope="module")
def fresh_course(tmp_path_factory):
    """A copy of the course in a temporary folder with freshly generated student notebooks."""
    course = _copy_course(tmp_path_factory.mktemp("course"))
    for assignment in ASSIGNMENTS:
        notebooks.generate(assignment, root=course)
    return course


def test_there_are_sources():
    assert SOURCES, "solutions/ holds no notebooks"
    assert "chapters" in ASSIGNMENTS


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_student_notebook_equals_fresh_generation(fresh_course, source):
    rel = Path(source.parent.name) / source.name
    committed = ROOT / rel
    assert committed.exists(), f"{rel} is missing: run `make release`"
    fresh = fresh_course / rel
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{rel} differs from what nbgrader generates from solutions/{rel}: run `make release`"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_stray_or_missing_files_in_student_folders(fresh_course, assignment):
    fresh = {p.relative_to(fresh_course / assignment) for p in (fresh_course / assignment).rglob("*") if p.is_file()}
    committed = {p.relative_to(ROOT / assignment) for p in (ROOT / assignment).rglob("*")
                 if p.is_file() and ".ipynb_checkpoints" not in p.parts}
    assert committed == fresh, "student folder out of date: run `make release`"
    for rel in fresh:
        assert (ROOT / assignment / rel).read_bytes() == (fresh_course / assignment / rel).read_bytes(), rel


def test_case_index_is_current():
    if not (ROOT / "solutions" / "cases").is_dir():
        pytest.skip("no cases yet")
    assert (ROOT / "solutions" / "cases" / "README.md").read_text(encoding="utf-8") == notebooks.case_index(), (
        "solutions/cases/README.md is out of date: run `make release`"
    )


def test_instructor_only_cells_stay_out_of_student_versions(fresh_course):
    for source in SOURCES:
        student = nbformat.read(ROOT / source.parent.name / source.name, as_version=4)
        assert not [c for c in student.cells if notebooks.is_instructor_only(c)]
        kept = [c for c in nbformat.read(source, as_version=4).cells if not notebooks.is_instructor_only(c)]
        assert len(student.cells) == len(kept), f"{source.name}: student version has a different cell count"


def _marked_blocks(source: str, begin: str, end: str) -> list[str]:
    """Non-blank lines strictly between begin/end markers."""
    out, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside and line.strip():
            out.append(line.strip())
    return out


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_student_notebook_has_no_solution_or_hidden_test(source):
    student = nbformat.read(ROOT / source.parent.name / source.name, as_version=4)
    text = "\n".join(c.source for c in student.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"student notebook contains {marker!r}"
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code"), "student outputs not cleared"
    src = nbformat.read(source, as_version=4)
    student_by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in student.cells}
    for cell in src.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("solution") or meta.get("grade")):
            continue
        hidden = _marked_blocks(cell.source, "BEGIN SOLUTION", "END SOLUTION") + _marked_blocks(
            cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
        )
        released = student_by_id[meta["grade_id"]]
        visible = {line.strip() for line in released.splitlines()}
        leaked = [line for line in hidden if line in visible and line not in {"pass", "else:", "return"}]
        assert not leaked, f"cell {meta['grade_id']} leaks solution/hidden lines: {leaked[:3]}"


def _run_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=course, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_autograde_full_score_for_solution_zero_for_untouched(fresh_course):
    from nbgrader.api import Gradebook

    course = fresh_course
    graded = []
    for source in SOURCES:
        assignment = source.parent.name
        for student, origin in (("solver", source), ("untouched", ROOT / assignment / source.name)):
            dest = course / "submitted" / student / assignment
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy(origin, dest / source.name)
        graded.append((assignment, source.stem))
    for assignment in ASSIGNMENTS:
        _run_nbgrader(course, "autograde", assignment, "--create", "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment, notebook in graded:
            solver = gb.find_submission_notebook(notebook, assignment, "solver")
            untouched = gb.find_submission_notebook(notebook, assignment, "untouched")
            assert solver.max_score > 0
            assert solver.score == solver.max_score, f"{notebook}: solution scored {solver.score}/{solver.max_score}"
            assert untouched.score == 0, f"{notebook}: untouched student notebook scored {untouched.score}"
