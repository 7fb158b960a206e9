"""What a student may see of a notebook before answering it: the published form of the site and slides.

The course website (``coursekit site``) and the slide decks (``coursekit slides``) show each notebook *with*
its outputs, to readers who have not solved anything.  They are built from the student version
(``chapters/``, ``cases/``, their ``-zh`` editions: no solutions, no hidden tests, no teaching notes), and
each of its code cells takes the outputs of the same cell (same id, same source) in the executed teacher's
notebook, except where an output could give an answer away:

* an answer cell (``# YOUR CODE HERE``) and a test cell show no output;
* a cell that reads a name an answer binds (``retention_q``), or a name bound by such a cell, and so on
  down the notebook, shows no output either: it would print what the answer computes.  A short note in
  the notebook's language says that the output appears when the student runs it after answering.

An explorer's output is its static picture (the live sliders need a kernel); under it, its own text form
(in the notebook's language) says to run the notebook in JupyterLab to move them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

from coursekit.course.notebooks import repo_root
from coursekit.language import N_, translate

__all__ = ["student_view", "teacher_notebook", "answer_dependent_cells", "ANSWER_NOTE"]

#: The note under a cell whose output would show an answer.
ANSWER_NOTE = N_("*The output of this cell depends on your answers above: it appears when you run the notebook "
                 "in JupyterLab.*")
#: The output mime type of a live widget (an explorer in a running kernel).
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The last line of a cell that shows an explorer.
_EXPLORER_CALL = re.compile(r"_explorer\(")


def teacher_notebook(student_path, root: Path | None = None) -> Path:
    """The executed teacher's notebook (``solutions/<assignment>/<name>``) of a student notebook.

    >>> teacher_notebook("chapters/01_why_retention_matters.ipynb").relative_to(repo_root()).as_posix()
    'solutions/chapters/01_why_retention_matters.ipynb'
    """
    if not isinstance(student_path, (str, Path)):
        raise TypeError(f"student_path must be a path to a student notebook, got {type(student_path).__name__}")
    root = repo_root() if root is None else Path(root)
    path = Path(student_path)
    if path.suffix != ".ipynb":
        raise ValueError(f"student_path must be a .ipynb notebook, got {str(student_path)!r}")
    return root / "solutions" / path.parent.name / path.name


def _solution_source(cell) -> str:
    match = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)
    return match.group(1) if match else cell.source


def _parse(source: str):
    """The syntax tree of a cell, IPython's ``%magic``/``!shell`` lines left out; None if it is not Python."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _events(node, local=frozenset()):
    """The names a piece of code reads (``"read"``) and binds (``"bind"``), in the order Python evaluates
    them: an assignment's value before its targets, a loop's iterable before its variable and body, a
    comprehension's loops before its element; a function's own arguments are neither."""
    if isinstance(node, ast.Name):
        if node.id not in local:
            yield node.id, "read" if isinstance(node.ctx, ast.Load) else "bind"
        return
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        arguments = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            yield from _events(default, local)
        for statement in node.body if isinstance(node.body, list) else [node.body]:
            yield from _events(statement, local | arguments)
        if not isinstance(node, ast.Lambda):
            yield node.name, "bind"
        return
    if isinstance(node, ast.ClassDef):
        for statement in node.body:
            yield from _events(statement, local)
        yield node.name, "bind"
        return
    if isinstance(node, ast.alias):
        yield (node.asname or node.name).split(".")[0], "bind"
        return
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        if node.value is not None:
            yield from _events(node.value, local)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            yield node.target.id, "read"
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            yield from _events(target, local)
        return
    if isinstance(node, (ast.For, ast.AsyncFor)):
        order = [node.iter, node.target, *node.body, *node.orelse]
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        order = [*node.generators, node.elt]
    elif isinstance(node, ast.DictComp):
        order = [*node.generators, node.key, node.value]
    elif isinstance(node, ast.comprehension):
        order = [node.iter, node.target, *node.ifs]
    else:
        order = ast.iter_child_nodes(node)
    for child in order:
        yield from _events(child, local)


def _reads_before_binding(tree) -> tuple[set[str], set[str]]:
    """(names a cell reads before it binds them itself, names it binds)."""
    reads, binds = set(), set()
    for name, kind in _events(tree):
        if kind == "bind":
            binds.add(name)
        elif name not in binds:
            reads.add(name)
    return reads, binds


def answer_dependent_cells(teacher) -> set[str]:
    """Ids of the code cells of a teacher's notebook whose output depends on an answer.

    A cell depends on an answer when it reads a name bound inside an answer cell's solution, or a name
    bound by a cell that depends on an answer, before binding that name anew itself (a cell that cannot
    be parsed is taken to depend on one once any answer came before it).  A name that a cell which does
    not depend on an answer binds anew is clean again.  Answer and test cells themselves are not listed.

    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("x = 1", id="a", metadata={"nbgrader": {"solution": True}}),
    ...     nbformat.v4.new_code_cell("y = 2 * x", id="b"),
    ...     nbformat.v4.new_code_cell("print(y)", id="c"),
    ...     nbformat.v4.new_code_cell("x = 3\\nprint(x)", id="d"),
    ...     nbformat.v4.new_code_cell("print(x)", id="e")])
    >>> sorted(answer_dependent_cells(nb))
    ['b', 'c']
    """
    if not isinstance(teacher, nbformat.NotebookNode):
        raise TypeError(f"teacher must be a notebook (nbformat.NotebookNode), got {type(teacher).__name__}")
    tainted: set[str] = set()
    dependent: set[str] = set()
    for cell in teacher.cells:
        if cell.cell_type != "code":
            continue
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("solution"):
            tree = _parse(_solution_source(cell))
            tainted |= _reads_before_binding(tree)[1] if tree is not None else set()
            continue
        if grading.get("grade"):
            continue
        tree = _parse(cell.source)
        if tree is None:
            if tainted:
                dependent.add(cell.id)
            continue
        reads, binds = _reads_before_binding(tree)
        if reads & tainted:
            dependent.add(cell.id)
            tainted |= binds
        else:
            tainted -= binds
    return dependent


def _note(text: str):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["coursekit"] = {"published-note": True}
    return cell


def student_view(student_path, root: Path | None = None) -> nbformat.NotebookNode:
    """The student notebook at ``student_path`` with the outputs a student may see before answering.

    See the module's description for what is shown.  The result is a new notebook; no file is written.

    Parameters
    ----------
    student_path : str or Path
        A student notebook (``chapters/…``, ``cases/…``, ``chapters-zh/…``, ``cases-zh/…``).
    root : Path, optional
        The course directory; defaults to the repository root.

    Examples
    --------
    >>> nb = student_view(repo_root() / "chapters" / "01_why_retention_matters.ipynb")
    >>> any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
    True
    >>> [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.get("outputs")]
    []
    """
    root = repo_root() if root is None else Path(root)
    teacher_path = teacher_notebook(student_path, root)
    student_path = Path(student_path) if Path(student_path).is_absolute() else root / student_path
    for path in (student_path, teacher_path):
        if not path.is_file():
            raise ValueError(f"no notebook at {path}")
    nb = nbformat.read(student_path, as_version=4)
    teacher = nbformat.read(teacher_path, as_version=4)
    code = nb.metadata.get("language", "en")  # "en" or "zh-CN", as translate() takes it
    by_id = {cell.id: cell for cell in teacher.cells}
    dependent = answer_dependent_cells(teacher)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        source = by_id.get(cell.id)
        if cell.metadata.get("nbgrader", {}).get("solution") or cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        if source is None or source.source != cell.source:
            continue
        if cell.id in dependent:
            if source.get("outputs"):
                cells.append(_note(translate(ANSWER_NOTE, code)))
            continue
        explorer = None
        for output in source.get("outputs", []):
            output = nbformat.from_dict(output)
            if output.get("output_type") == "error":
                continue
            if "execution_count" in output:
                output.execution_count = None
            data = output.get("data", {})
            if "image/png" in data and _EXPLORER_CALL.search(cell.source.strip().splitlines()[-1]):
                explorer = str(data.get("text/plain", "")).strip().strip("'\"")
            data.pop(_WIDGET_VIEW, None)
            cell.outputs.append(output)
        if explorer:
            cells.append(_note(f"*{explorer}*"))
    nb.cells = cells
    return nb
