"""Issue 12, rule 3: no graded value is shown to a student before the student computes it.

Each teacher notebook is run once with a probe after every answer cell that records the numbers the
answer binds.  Then everything a student sees above that answer (the prose, the code and the outputs of
the demonstration cells, the visible part of earlier test cells; not instructor-only cells, not the
student's own answer cells) must not contain any of those numbers, written as the course writes numbers
(``9,180``, ``0.704``, ``27.5%``).  Numbers that the question itself gives are inputs, not answers.
"""

from __future__ import annotations

import ast
import json
import math
import re

import nbformat
import pytest

from coursekit.course import notebooks
from tests.course import kernels
from tests.course.pending import expect_gap

SOLUTIONS = notebooks.solution_notebooks()
MARK = "@@graded-values@@"



def _bound_names(source: str) -> list[str]:
    body = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    tree = ast.parse(body.group(1) if body else source)
    names = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name) and leaf.id not in names:
                    names.append(leaf.id)
    return names


def _probe(names: list[str]) -> str:
    return (f"import json as _j, numbers as _n\n_v = {{}}\nfor _k in {names!r}:\n"
            "    _x = globals().get(_k)\n"
            "    if isinstance(_x, _n.Real) and not isinstance(_x, bool):\n        _v[_k] = float(_x)\n"
            f"print({MARK!r} + _j.dumps(_v))")


def graded_values(path) -> dict[int, dict[str, float]]:
    """Answer cell index → the numbers it binds, from one run of the teacher notebook."""
    nb = nbformat.read(path, as_version=4)
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    where = {}
    for i, cell in enumerate(nb.cells):
        run.cells.append(cell)
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            where[len(run.cells)] = i
            run.cells.append(nbformat.v4.new_code_cell(_probe(_bound_names(cell.source))))
    kernels.execute(run, path.parent)
    values = {}
    for k, i in where.items():
        found = kernels.printed_lines(run.cells[k], MARK)
        values[i] = json.loads(found[0]) if found else {}
    return values


def written_forms(value: float) -> set[str]:
    """How the course would print a number, keeping only forms with three or more significant digits."""
    if not math.isfinite(value) or value == 0:
        return set()
    forms = {f"{value:,.0f}", f"{value:.0f}", f"{value:,.1f}", f"{value:,.2f}", f"{value:.3f}"}
    if abs(value) < 1:
        forms |= {f"{100 * value:.1f}%", f"{100 * value:.2f}%"}
    kept = set()
    for form in forms:
        number = form.rstrip("%")
        if "." in number:
            number = number.rstrip("0").rstrip(".")  # 30.0 is the two-digit 30
        digits = re.sub(r"\D", "", number).lstrip("0")
        if len(digits) >= 3:
            kept.add(form.lstrip("-"))
    return kept


def _visible(cell) -> str:
    """What a student sees of a cell above the exercise (sources and outputs; no hidden tests)."""
    source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
    if cell.cell_type != "code":
        return source
    shown = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            shown.append(out.text)
        for key in ("text/plain", "text/html", "text/markdown"):
            if key in out.get("data", {}):
                shown.append(out["data"][key])
    return source + "\n" + "\n".join(shown)


def shown_too_early(nb, values: dict[int, dict[str, float]]) -> list[str]:
    problems = []
    for i, bound in values.items():
        question = nb.cells[i - 1].source if i > 0 else ""
        above = "\n".join(_visible(c) for c in nb.cells[:i - 1]
                          if not notebooks.is_instructor_only(c)
                          and not c.metadata.get("nbgrader", {}).get("solution"))
        for name, value in bound.items():
            for form in written_forms(value):
                pattern = re.compile(rf"(?<![\d.,]){re.escape(form)}(?!\d|,\d)")
                if pattern.search(above) and not pattern.search(question):
                    grade_id = nb.cells[i].metadata["nbgrader"].get("grade_id")
                    context = above[max(0, pattern.search(above).start() - 60):pattern.search(above).end() + 20]
                    problems.append(f"{grade_id}: {name} = {form} is shown above the question: …{context!r}…")
                    break
    return problems


def test_written_forms():
    assert {"9,180", "9180", "9,180.40"} <= written_forms(9180.4)
    assert "27.5%" in written_forms(0.275) and "12" not in written_forms(12.0)
    assert not written_forms(30.0) and not written_forms(0.5)


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_no_graded_value_is_shown_before_the_student_computes_it(path, request):
    expect_gap(request, path.stem, "graded_values")
    nb = nbformat.read(path, as_version=4)
    problems = shown_too_early(nb, graded_values(path))
    assert not problems, "\n".join(problems)


def hidden_asserts(nb):
    """(grade_id, hidden-test source, assert node) for every assert between the hidden-test markers."""
    for cell in nb.cells:
        if cell.cell_type != "code" or "### BEGIN HIDDEN TESTS" not in cell.source:
            continue
        hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for node in ast.walk(ast.parse(hidden)):
            if isinstance(node, ast.Assert):
                yield grade_id, hidden, node


def revealing_messages(nb) -> list[str]:
    """Hidden-test messages that print a computed expected value (``f"expected about {x:,.0f}"``)."""
    found = []
    for _, hidden, node in hidden_asserts(nb):
        if isinstance(node.msg, ast.JoinedStr):
            text = ast.get_source_segment(hidden, node.msg)
            if re.search(r"expected|should be|correct (value|answer) is", text, re.I):
                found.append(text)
    return found


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_hidden_tests_never_print_the_expected_value(path):
    """Feedback says what is wrong (too high, a percentage, the wrong rows), not the number to copy."""
    assert not revealing_messages(nbformat.read(path, as_version=4))


def silent_hidden_asserts(nb) -> list[str]:
    """Hidden-test asserts without a message: the student's feedback would say only "AssertionError"."""
    return [f"{grade_id}: {ast.get_source_segment(hidden, node)}"
            for grade_id, hidden, node in hidden_asserts(nb) if node.msg is None]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_hidden_assert_says_what_is_wrong(path, request):
    """A failed hidden test tells the student what to check (without the number), never a bare AssertionError."""
    expect_gap(request, path.stem, "hidden_messages")
    assert not silent_hidden_asserts(nbformat.read(path, as_version=4))
