"""The source notebook of a chapter or case: which notebooks are gradeable, where a notebook's
source is, and the source prepared for grading (cells, questions, answer stubs, hidden tests)."""

from __future__ import annotations

import ast
import copy
import os
from dataclasses import dataclass
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager
from traitlets.config.loader import PyFileConfigLoader

__all__ = ["allowed_notebooks", "resolve_source", "nbgrader_utils", "cell_names", "Source", "load_source"]


def allowed_notebooks(root=None) -> list[str]:
    """Return the gradeable notebooks of the course, as ``"<assignment>/<name>"``.

    Parameters
    ----------
    root : str or Path, optional
        Course directory (holding ``solutions/``); default the repository root.

    Returns
    -------
    list of str
        One entry per source notebook in ``solutions/chapters`` and
        ``solutions/cases``, sorted.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ (course directory layout: source and release folders).

    Examples
    --------
    >>> "chapters/01_why_retention_matters" in allowed_notebooks()
    True
    """
    from coursekit.course import notebooks  # nbformat, nbclient, nbgrader: kept out of the grading worker

    root = notebooks.repo_root() if root is None else Path(root)
    return [
        f"{p.parent.name}/{p.stem}"
        for p in notebooks.solution_notebooks(root)
        if p.parent.name in notebooks.ASSIGNMENTS
    ]


def resolve_source(notebook, root=None) -> Path:
    """Return the source notebook (in ``solutions/``) of a chapter or case.

    Parameters
    ----------
    notebook : str or Path
        ``"chapters/01_why_retention_matters"``; the ``.ipynb`` suffix, a
        leading ``solutions/`` or ``./`` and a path to the source or to the
        student version are accepted, and so is the bare name when it is unique.
    root : str or Path, optional
        Course directory; default the repository root.

    Returns
    -------
    pathlib.Path
        ``<root>/solutions/<assignment>/<name>.ipynb``.

    Raises
    ------
    ValueError
        If the notebook is not one of :func:`allowed_notebooks` (the message
        lists them).

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ (course directory layout).

    Examples
    --------
    >>> from coursekit.course.notebooks import repo_root
    >>> resolve_source("chapters/01_why_retention_matters.ipynb").relative_to(repo_root()).as_posix()
    'solutions/chapters/01_why_retention_matters.ipynb'
    >>> resolve_source("01_why_retention_matters").name
    '01_why_retention_matters.ipynb'
    """
    if not isinstance(notebook, (str, os.PathLike)):
        raise TypeError("notebook must be a string such as 'chapters/01_why_retention_matters', "
                        f"got {type(notebook).__name__}")
    from coursekit.course import notebooks  # nbformat, nbclient, nbgrader: kept out of the grading worker

    root = notebooks.repo_root() if root is None else Path(root)
    allowed = allowed_notebooks(root)
    text = str(notebook).strip().replace("\\", "/")
    if text.endswith(".ipynb"):
        text = text[: -len(".ipynb")]
    parts = [p for p in text.split("/") if p not in ("", ".")]
    key = "/".join(parts[-2:]) if len(parts) >= 2 else (parts[0] if parts else "")
    if key in allowed:
        match = key
    else:
        by_name = [a for a in allowed if a.split("/")[1] == key]
        if len(by_name) != 1:
            shown = ", ".join(repr(a) for a in allowed) or "(none: solutions/ holds no notebook)"
            raise ValueError(f"notebook must be one of {shown}; got {str(notebook)!r}")
        match = by_name[0]
    return root / "solutions" / f"{match}.ipynb"


def nbgrader_utils():
    """nbgrader's ``utils`` module and its ``ClearSolutions`` preprocessor.

    Raises
    ------
    RuntimeError
        If nbgrader is not installed (a student install): the message says how
        to install the teacher tools (:data:`coursekit.course.notebooks.NBGRADER_MISSING`).
    """
    from coursekit.course import notebooks  # nbformat, nbclient, nbgrader: kept out of the grading worker

    notebooks.require_nbgrader()
    from nbgrader import utils  # optional dependency: the teacher extra
    from nbgrader.preprocessors import ClearSolutions

    return utils, ClearSolutions


def cell_names(source: str) -> tuple[set, set]:
    """Names a cell reads and binds (IPython syntax allowed); empty if unparsable."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001 - an unparsable cell simply contributes no names
        return set(), set()
    reads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
        elif isinstance(node, ast.alias):
            binds.add((node.asname or node.name).split(".")[0])
    return reads, binds


def _hidden_lines(source: str) -> set:
    """1-based line numbers between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``."""
    out, inside = set(), False
    for i, line in enumerate(source.splitlines(), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            out.add(i)
    return out


@dataclass
class Source:
    """A source notebook, prepared for grading."""

    path: Path
    name: str  # "<assignment>/<stem>"
    nb: object
    cells: list  # per cell: dict(kind, grade_id, cell_type, source, points, ...)
    questions: list  # (grade_id, points, kind)
    answer_ids: list
    stubs: dict
    stub_checksums: dict
    other_stubs: dict  # nbgrader's default stubs: an answer cell left as one of these is unanswered too
    hidden_text: list


def load_source(path: Path) -> Source:
    """Read a source notebook and prepare it for grading (cells, questions, answer stubs, hidden-test lines)."""
    import nbformat  # heavy (1.3 s): imported where used, so that a grading worker starts without it

    utils, ClearSolutions = nbgrader_utils()
    nb = nbformat.read(path, as_version=4)
    config_file = path.parents[2] / "nbgrader_config.py"  # the course's own stubs (see nbgrader_config.py)
    config = PyFileConfigLoader(config_file.name, str(config_file.parent)).load_config() if config_file.is_file() else None
    cleared, _ = (ClearSolutions(config=config) if config else ClearSolutions()).preprocess(copy.deepcopy(nb), {})
    default, _ = ClearSolutions().preprocess(copy.deepcopy(nb), {})  # nbgrader's own stubs (older releases)
    stubs, stub_checksums, other_stubs = {}, {}, {}
    for cell, plain in zip(cleared.cells, default.cells, strict=True):
        if utils.is_solution(cell):
            gid = cell.metadata["nbgrader"]["grade_id"]
            stubs[gid] = cell.source
            stub_checksums[gid] = utils.compute_checksum(cell)
            other_stubs[gid] = plain.source
    cells, questions, answer_ids, pending = [], [], [], []
    hidden_text = []
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        entry = {"index": index, "cell_type": cell.cell_type, "source": cell.source, "grade_id": gid,
                 "metadata": copy.deepcopy(dict(cell.metadata))}
        if utils.is_solution(cell):
            entry["kind"] = "answer"
            answer_ids.append(gid)
            pending.append(gid)
            if utils.is_grade(cell):  # manually graded answer
                entry["points"] = float(meta.get("points", 0))
                entry["question"] = True
                questions.append((gid, entry["points"], "manual"))
        elif utils.is_grade(cell) and cell.cell_type == "code":
            entry.update(kind="test", points=float(meta.get("points", 0)), hidden=sorted(_hidden_lines(cell.source)),
                         answers=pending, question=True)
            pending = []
            questions.append((gid, entry["points"], "auto"))
            entry["reads"] = sorted(cell_names(cell.source)[0])
            lines = cell.source.splitlines()
            hidden_text += [lines[i - 1].strip() for i in entry["hidden"] if len(lines[i - 1].strip()) >= 12]
        elif utils.is_grade(cell):  # manually graded markdown/task cell from the source
            entry["kind"] = "course"
            entry["points"] = float(meta.get("points", 0))
            entry["question"] = True
            questions.append((gid, entry["points"], "manual"))
        else:
            entry["kind"] = "course"
        cells.append(entry)
    if not questions:
        raise ValueError(f"source notebook {path} has no graded cell (nbgrader metadata grade: true)")
    name = f"{path.parent.name}/{path.stem}"
    return Source(path, name, nb, cells, questions, answer_ids, stubs, stub_checksums, other_stubs, hidden_text)
