"""What every chapter source notebook must contain (the Chapter 1 pattern).

Graded exercises with points and readable grade ids, visible and hidden tests,
discussion questions, a summary, a bilingual glossary, references, slide
metadata on every cell, and plots that go through the course style.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from coursekit.course import notebooks
from tests.course import rules
from tests.course.pending import expect_gap
from tests.course.slides import check_slide_metadata

CHAPTERS = [p for p in notebooks.solution_notebooks() if p.parent.name == "chapters"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load(path):
    return nbformat.read(path, as_version=4)


def _markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.name)
def chapter(request):
    return request.param, _load(request.param)


def test_chapter_one_exists():
    assert any(p.name == "01_why_retention_matters.ipynb" for p in CHAPTERS)


def test_notebook_names_follow_the_convention(chapter):
    path, _ = chapter
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


def test_at_least_eight_graded_exercises_with_points(chapter):
    path, nb = chapter
    prefix = f"ch{int(path.name[:2])}_"
    graded = [c.metadata["nbgrader"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    answers = [c.metadata["nbgrader"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(graded) >= 8, f"{path.name} has {len(graded)} graded test cells, at least 8 are required"
    ids = [m["grade_id"] for m in graded + answers]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    for meta in graded:
        assert meta.get("points", 0) > 0, f"{meta['grade_id']} has no points"
        assert meta.get("locked") is True
        assert re.fullmatch(prefix + r"[a-z0-9_]+", meta["grade_id"]), meta["grade_id"]
    graded_ids = {m["grade_id"] for m in graded}
    for meta in answers:
        assert meta["grade_id"].removesuffix("_answer") in graded_ids, f"{meta['grade_id']} has no test cell"


def test_every_test_cell_has_visible_and_hidden_tests(chapter):
    _, nb = chapter
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        visible, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        assert "assert" in visible, f"{meta['grade_id']}: no visible test to guide the student"
        assert "assert" in rest and "### END HIDDEN TESTS" in rest, f"{meta['grade_id']}: no hidden test"
        assert re.search(r'assert .+, ["f]', visible), f"{meta['grade_id']}: visible asserts need a helpful message"


def test_solution_cells_mark_their_solution(chapter):
    _, nb = chapter
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, meta["grade_id"]


def test_teaching_sections_present(chapter):
    _, nb = chapter
    text = _markdown(nb)
    assert "## Learning objectives" in text
    assert "## Summary" in text
    assert "## References" in text
    assert "## Key terms" in text
    glossary = text.split("## Key terms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in glossary.splitlines() if line.startswith("|") and CJK.search(line)]
    assert len(rows) >= 8, "the glossary needs English terms with their Chinese equivalents"


def test_discussion_questions_have_answer_space_model_answers_and_rubrics(chapter, request):
    path, nb = chapter
    expect_gap(request, path.name, "discussion")
    rules.check_discussion(nb, path.name)


def test_sections_are_marked_core_or_optional_and_the_core_fits_90_minutes(chapter, request):
    path, nb = chapter
    expect_gap(request, path.name, "sections")
    rules.check_sections(nb, path.name)


def test_at_most_half_the_exercises_are_library_calls_alone(chapter):
    path, nb = chapter
    library, exercises = rules.single_call_share(nb)
    assert 2 * library <= exercises, f"{path.name}: {library} of {exercises} answers are coursekit calls alone"


def test_slide_metadata(chapter):
    _, nb = chapter
    check_slide_metadata(nb)


def test_plots_are_titled_and_labelled(chapter):
    _, nb = chapter
    for cell in nb.cells:
        if cell.cell_type == "code" and "plotting.figure(" in cell.source:
            assert "plotting.label(" in cell.source, "every figure is labelled with plotting.label"


def test_solutions_are_executed_and_error_free(chapter):
    _, nb = chapter
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "run `make release`: the solution notebook is not fully executed"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


ALL_NOTEBOOKS = [*notebooks.solution_notebooks(), *sorted(notebooks.repo_root().glob("chapters/*.ipynb")),
                 *sorted(notebooks.repo_root().glob("cases/*.ipynb"))]
# JupyterLab renders $...$ (and \$...\$) as TeX: money written with a dollar sign turns into italic
# maths ("The 180,000oflifetimerevenue...").  Money is written "USD 1,500"; maths stays $...$.
_DISPLAY = re.compile(r"\$\$.*?\$\$", re.S)
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")  # a word that is not a TeX command


def accidental_maths(markdown: str) -> list[str]:
    """What in a markdown cell would render as maths by accident (empty when nothing would)."""
    problems = []
    if "\\$" in markdown:
        problems.append("an escaped dollar sign \\$ (JupyterLab pairs them as maths; write USD 1,500)")
    text = _CODE.sub("", _DISPLAY.sub("", markdown))
    spans = text.split("$")
    if len(spans) % 2 == 0:
        problems.append("an unpaired dollar sign (money? write USD 1,500)")
    for inner in spans[1::2]:
        if len(_WORD.findall(re.sub(r"\\(text|mathrm|operatorname)\{[^}]*\}", "", inner))) >= 3:  # prose
            problems.append(f"prose between dollar signs renders as maths: ${inner[:60]}$")
    return problems


def test_accidental_maths_is_found():
    assert accidental_maths("an account brings $1,500 a month; FedEx says $180,000 over ten years") != []
    assert accidental_maths("worth **$120**.") != []
    assert accidental_maths("worth \\$120.") != []
    assert accidental_maths("life $1/c$ periods, $1 - \\bar\\theta_{\\text{survivors}}(t)$, `$x` and $$a + b$$") == []
    assert accidental_maths("worth USD 1,500 a month") == []


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}")
def test_no_markdown_renders_as_maths_by_accident(path):
    found = [f"cell {index + 1}: {problem}" for index, cell in enumerate(_load(path).cells)
             if cell.cell_type == "markdown" for problem in accidental_maths(cell.source)]
    assert not found, found[:5]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}")
def test_kernelspec_is_the_one_the_course_installs(path):
    # the Makefile installs "Python 3 (coursekit)"; another display name marks a notebook modified on opening
    assert _load(path).metadata.kernelspec == {"display_name": "Python 3 (coursekit)", "language": "python",
                                               "name": "python3"}
