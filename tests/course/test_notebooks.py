"""coursekit.course.notebooks and the single-source pipeline: solutions/ -> nbgrader -> chapters/ (and cases/).

* ``execute`` and ``generate`` refuse bad input clearly, and executing twice gives the same file;
* the committed student notebooks are exactly what nbgrader's converter makes now;
* no student notebook carries a solution or a hidden test;
* nbgrader's autograde, configured by this repository's ``nbgrader_config.py``, gives
  the full score to a solution notebook submitted as a student's, and zero to the
  untouched student notebook (one test class per notebook, so that ``--dist loadscope``
  spreads them over the workers; nbgrader's API runs in the test process, which saves
  starting ``nbgrader`` once per notebook).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from coursekit.course import notebooks

ROOT = notebooks.repo_root()
SOURCES = notebooks.solution_notebooks(editions=True)   # both editions: plain nbgrader must work for each
ASSIGNMENTS = sorted({p.parent.name for p in SOURCES})


def _autograde(course: Path, assignment: str, notebook: str, student: str) -> None:
    """``nbgrader autograde <assignment> --notebook <notebook> --student <student> --create --force``, in process."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.notebook_id = notebook
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    result = api.autograde(assignment, student, force=True, create=True)
    assert result["success"], result.get("error", "") + result.get("log", "")


@pytest.fixture(scope="session")
def fresh_course(tmp_path_factory):
    """A copy of the course with freshly generated student notebooks (once per xdist worker)."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions", course / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for assignment in ASSIGNMENTS:
        notebooks.generate(assignment, root=course)
    return course


# ---------------------------------------------------------------------------- execute and generate


def test_execute_refuses_what_is_not_a_notebook(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"\.ipynb"):
        notebooks.execute(tmp_path / "notes.txt")
    with pytest.raises(ValueError, match=r"\.ipynb"):
        notebooks.execute(tmp_path / "missing.ipynb")


def test_generate_refuses_unknown_assignment(tmp_path):
    with pytest.raises(ValueError, match="assignment must be one of"):
        notebooks.generate("homework")
    with pytest.raises(ValueError, match="no source folder"):
        notebooks.generate("cases", root=tmp_path)


def test_solution_notebooks_are_found():
    names = [p.name for p in notebooks.solution_notebooks()]
    assert "01_why_retention_matters.ipynb" in names


def test_executing_twice_gives_the_same_file(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3)"),
                nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "twice.ipynb"
    nbformat.write(nb, path)
    notebooks.execute(path)
    first = path.read_bytes()
    notebooks.execute(path)
    assert path.read_bytes() == first
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert outputs and notebooks.WIDGET_VIEW not in outputs[0]["data"]
    assert "IntSlider" in outputs[0]["data"]["text/plain"]


# ---------------------------------------------------------------------------- the committed student versions


def test_there_are_sources():
    assert SOURCES, "solutions/ holds no notebooks"
    assert "chapters" in ASSIGNMENTS


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_student_notebook_equals_fresh_generation(fresh_course, source):
    rel = Path(source.parent.name) / source.name
    committed = ROOT / rel
    assert committed.exists(), f"{rel} is missing: run `make release`"
    fresh = fresh_course / rel
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{rel} differs from what nbgrader generates from solutions/{rel}: run `make release`"
    )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_stray_or_missing_files_in_student_folders(fresh_course, assignment):
    fresh = {p.relative_to(fresh_course / assignment) for p in (fresh_course / assignment).rglob("*") if p.is_file()}
    committed = {p.relative_to(ROOT / assignment) for p in (ROOT / assignment).rglob("*")
                 if p.is_file() and ".ipynb_checkpoints" not in p.parts}
    assert committed == fresh, "student folder out of date: run `make release`"
    for rel in fresh:
        assert (ROOT / assignment / rel).read_bytes() == (fresh_course / assignment / rel).read_bytes(), rel


@pytest.mark.parametrize("assignment", ["cases", "cases-zh"])
def test_case_index_is_current(assignment):
    assert (ROOT / "solutions" / assignment / "README.md").read_text(encoding="utf-8") == \
        notebooks.case_index(assignment=assignment), f"solutions/{assignment}/README.md is out of date: run `make release`"


def test_the_chinese_case_index_lists_every_case_in_chinese():
    index = notebooks.case_index(assignment="cases-zh")
    english = notebooks.case_index()
    assert index.count("](") == english.count("]("), "every case of the library is in the Chinese index"
    for row in (line for line in index.splitlines() if line.startswith("| [")):
        title = row.split("](")[0]
        assert re.search(r"[\u4e00-\u9fff]", title), f"a case title left in English: {row[:80]}"
    with pytest.raises(ValueError, match="assignment must be one of"):
        notebooks.case_index(assignment="chapters")


def test_instructor_only_cells_stay_out_of_student_versions():
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


# ---------------------------------------------------------------------------- autograde, one class per notebook


class AutogradeOneNotebook:
    """nbgrader's autograde of one notebook: the solution scores full marks, the untouched student version 0.

    Subclassed once per source notebook below: ``--dist loadscope`` keeps the tests of
    one class on one worker, so the notebooks (5 to 10 s each) spread over the workers.
    """

    source: Path

    @pytest.mark.slow
    @pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # raised inside nbgrader 0.9's gradebook code
    def test_full_score_for_solution_zero_for_untouched(self, fresh_course):
        assignment, stem = self.source.parent.name, self.source.stem
        for student, origin in (("solver", self.source), ("untouched", ROOT / assignment / self.source.name)):
            dest = fresh_course / "submitted" / student / assignment
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy(origin, dest / self.source.name)
            _autograde(fresh_course, assignment, stem, student)
        with Gradebook(f"sqlite:///{fresh_course / 'gradebook.db'}") as gb:
            solver = gb.find_submission_notebook(stem, assignment, "solver")
            untouched = gb.find_submission_notebook(stem, assignment, "untouched")
            assert solver.max_score > 0
            assert solver.score == solver.max_score, f"{stem}: solution scored {solver.score}/{solver.max_score}"
            assert untouched.score == 0, f"{stem}: untouched student notebook scored {untouched.score}"


for _source in SOURCES:
    _name = "TestAutograde_" + re.sub(r"\W", "_", f"{_source.parent.name}_{_source.stem}")
    globals()[_name] = type(_name, (AutogradeOneNotebook,), {"source": _source})
del _source, _name


@pytest.mark.parametrize("path", notebooks.solution_notebooks(), ids=lambda p: p.stem)
def test_explorers_are_committed_with_a_static_picture(path):
    """Issue 11: an export, GitHub or a reopened notebook shows each explorer's first picture, not ``HBox(…``."""
    nb = nbformat.read(path, as_version=4)
    shown = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()
             and re.search(r"_explorer\(", c.source.strip().splitlines()[-1])]
    assert shown, f"{path.name} shows no explorer"
    for cell in shown:
        data = [o.get("data", {}) for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
        assert any("image/png" in d for d in data), f"{path.name}: {cell.source!r} has no static picture"
        assert not any(d.get("text/plain", "").startswith(("HBox", "VBox")) for d in data)
