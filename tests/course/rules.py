"""Issue 12's rules for every notebook, as checks the chapter and case structure tests share.

* Discussion questions (rule 8): one markdown cell per question (``**Q1.** …``), then the student's
  answer cell (``**Your answer:**``), then an ``instructor-only`` cell with a model answer and a
  3-point rubric.
* Sections (rule 10, chapters): every numbered section says under its heading whether it is core or
  optional and how long it takes; the core of a chapter fits a 90-minute session.
* Hand-built tools (rule 9, chapters): at most half of the exercises are answered by ``coursekit``
  calls alone (:func:`is_single_call`); the others compute something themselves.
"""

from __future__ import annotations

import ast
import re

from coursekit.course import notebooks

QUESTION = re.compile(r"^\*\*Q\d+\.\*\*")
MARK = re.compile(r"^\*(Core|Optional) · about (\d+) minutes\*$")
SECTION = re.compile(r"^## \d+\.\d+ ")


def check_discussion(nb, name: str) -> int:
    """Check the discussion questions' format; return how many there are."""
    cells = nb.cells
    start = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Discussion questions")]
    assert len(start) == 1, f"{name}: one '## Discussion questions' cell"
    i, questions = start[0] + 1, 0
    while i < len(cells) and not (cells[i].cell_type == "markdown" and cells[i].source.startswith("## ")):
        cell = cells[i]
        if cell.cell_type == "markdown" and QUESTION.match(cell.source) and not notebooks.is_instructor_only(cell):
            questions += 1
            label = cell.source.split("**")[1]
            assert i + 2 < len(cells), f"{name}: {label} lacks its answer and model-answer cells"
            answer, model = cells[i + 1], cells[i + 2]
            assert answer.cell_type == "markdown" and answer.source.startswith("**Your answer:**") \
                and not notebooks.is_instructor_only(answer), f"{name}: {label} is not followed by '**Your answer:**'"
            assert notebooks.is_instructor_only(model) and model.source.startswith("**Model answer.**"), \
                f"{name}: {label} lacks an instructor-only '**Model answer.**' cell after the answer cell"
            assert "**Rubric (3 points).**" in model.source and all(s in model.source for s in ("3/3", "2/3", "1/3")), \
                f"{name}: {label}'s model answer lacks its 3/3, 2/3, 1/3 rubric"
            i += 3
            continue
        i += 1
    assert questions >= 3, f"{name}: {questions} discussion questions in the rule-8 format, at least 3"
    return questions


def check_sections(nb, name: str) -> int:
    """Every numbered section is marked core/optional with minutes; return the core minutes."""
    core = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and SECTION.match(cell.source):
            lines = [line.strip() for line in cell.source.splitlines()[1:] if line.strip()]
            heading = cell.source.splitlines()[0]
            assert lines and MARK.match(lines[0]), \
                f"{name}: {heading!r} needs '*Core · about N minutes*' or '*Optional · about N minutes*' under it"
            kind, minutes = MARK.match(lines[0]).groups()
            core += int(minutes) if kind == "Core" else 0
    assert 0 < core <= 90, f"{name}: the core sections take {core} minutes; a 90-minute session must hold them"
    return core


def _solution(source: str) -> str:
    match = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    return match.group(1) if match else source


def _course_names(nb) -> set[str]:
    """Names the notebook binds to coursekit modules (``from coursekit.models import clv`` → clv)."""
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("coursekit"):
                names.update(a.asname or a.name for a in node.names)
            elif isinstance(node, ast.Import):
                names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("coursekit"))
    return names


#: Calls that only convert or reshape a result: they do not make an answer hand-built.
_CONVERSIONS = {"float", "int", "bool", "str", "list", "tuple", "dict", "round", "len", "sorted", "print"}
_RESHAPING = {"item", "to_numpy", "tolist", "to_dict", "copy", "reset_index", "set_index", "sort_values", "rename",
              "astype", "head", "tail"}


def is_single_call(source: str, course: set[str]) -> bool:
    """True when the answer is the library's work: ``coursekit`` calls, selections and conversions only.

    An answer that computes anything itself (arithmetic, NumPy or pandas reductions, its own loops or
    comprehensions) is hand-built.
    """
    tree = ast.parse(_solution(source))
    if any(isinstance(n, (ast.BinOp, ast.For, ast.While, ast.ListComp, ast.DictComp, ast.GeneratorExp,
                          ast.FunctionDef, ast.Lambda)) for n in ast.walk(tree)):
        return False
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    course_calls = [c for c in calls if _root(c.func) in course]
    others = [c for c in calls if c not in course_calls and not _harmless(c)]
    return bool(course_calls) and not others


def _root(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _harmless(call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _CONVERSIONS
    return isinstance(func, ast.Attribute) and func.attr in _RESHAPING


def single_call_share(nb) -> tuple[int, int]:
    """(exercises answered by coursekit calls alone, exercises)."""
    course = _course_names(nb)
    answers = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    return sum(is_single_call(c.source, course) for c in answers), len(answers)
