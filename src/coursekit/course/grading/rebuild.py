"""Reading a submission, and planning the two grading phases from the source and the submission.

The *plan* of a source notebook (:func:`plan_source`, once per batch) says where the capture
points are: before each test cell, and before each course cell that reads an answer, the names
whose last binding (in the source's order) is an answer cell.  Names last bound by a course or a
test cell are never taken from the student: the test phase computes them itself.

:func:`answer_job` then lays out one student's answer phase: the source's course cells, the
student's answer cells (matched by nbgrader ``grade_id``) and the cells the student added (each
after the source cell it follows in the student's notebook), with the capture steps in between.
No test cell is part of it.
"""

from __future__ import annotations

import ast
import json
import warnings
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager

from coursekit.course.grading.source import Source, cell_names, nbgrader_utils

__all__ = ["read_submission", "Plan", "plan_source", "answer_job", "assigned_names"]

def read_submission(data: bytes):
    """Parse a submission's bytes; return (notebook, "") or (None, problem)."""
    import nbformat  # heavy (1.3 s): imported where used, so that a grading worker starts without it
    from nbformat import reader as nbreader

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not UTF-8 text"
    if not text.strip():
        return None, "corrupt notebook: the file is empty"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"corrupt JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    cells = raw.get("cells", raw.get("worksheets")) if isinstance(raw, dict) else None
    if not isinstance(cells, list) or "nbformat" not in raw:
        return None, "not a Jupyter notebook: the JSON has no 'cells' list or no 'nbformat' version"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # no schema validation: Jupyter opens slightly off-schema notebooks, and so do we
            nb = nbformat.convert(nbreader.reads(text), 4)
    except Exception as exc:  # noqa: BLE001 - any reader failure makes the file invalid
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        return None, f"not a valid Jupyter notebook ({type(exc).__name__}: {first})"
    return nb, ""


def _nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata ({} when missing or malformed)."""
    meta = cell.get("metadata") if hasattr(cell, "get") else None
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def _cell_text(cell) -> str:
    """A cell's source as one string, whatever shape a hand-edited notebook gives it."""
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return source if isinstance(source, str) else str(source)


def _same_code(a: str, b: str) -> bool:
    norm = lambda s: "\n".join(line.rstrip() for line in s.strip().splitlines())  # noqa: E731
    return norm(a) == norm(b)


def assigned_names(source: str) -> set[str]:
    """Names a cell binds, including those it changes in place (``df["x"] = ...``, ``obj.a = ...``).

    Examples
    --------
    >>> sorted(assigned_names("a = 1\\nb[0] = 2\\nc.x = 3\\nimport numpy as np\\nfor i in range(2): pass"))
    ['a', 'b', 'c', 'i', 'np']
    """
    names = set(cell_names(source)[1])
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001 - an unparsable cell binds nothing we can name
        return names
    for node in ast.walk(tree):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            base = node.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
    return names


@dataclass
class Plan:
    """Where a source notebook's answers are captured and injected (the same for every student).

    Attributes
    ----------
    prefix : list of str
        Course code cells before the first answer cell: run once by each warm grading process.
    after : list of int
        Indexes (in ``Source.cells``) of the code cells after the prefix, in order.
    points : dict
        Capture point per cell index: ``{"point": n, "names": [...]}`` (a test cell always has one).
    test_steps : list of dict
        The test phase's steps after the prefix: ``inject``, ``run`` (course cells), ``test``.
    """

    prefix: list
    after: list
    points: dict
    test_steps: list


def plan_source(src: Source) -> Plan:
    """Plan the capture points and the test phase of a source notebook."""
    code = [e for e in src.cells if e["cell_type"] == "code" and (e["source"].strip() or e["kind"] == "test")]
    first_answer = next((i for i, e in enumerate(code) if e["kind"] == "answer"), len(code))
    prefix = [e["source"] for e in code[:first_answer] if e["kind"] == "course"]
    last = {}
    for entry in code[:first_answer]:
        for name in cell_names(entry["source"])[1]:
            last[name] = entry["kind"]
    points, steps, after = {}, [], []
    for entry in code[first_answer:]:
        after.append(entry["index"])
        kind = entry["kind"]
        if kind == "answer":
            for name in assigned_names(entry["source"]):
                last[name] = "answer"
            continue
        reads, binds = cell_names(entry["source"])
        # a name the cell binds itself (a loop or comprehension variable) is the cell's own
        names = sorted(n for n in reads - binds if last.get(n) == "answer")
        if names or kind == "test":
            points[entry["index"]] = {"point": len(points), "names": names}
            steps.append({"op": "inject", "point": points[entry["index"]]["point"], "names": names})
        if kind == "test":
            steps.append({"op": "test", "grade_id": entry["grade_id"], "code": entry["source"]})
        else:
            steps.append({"op": "run", "key": f"course:{entry['index']}", "code": entry["source"]})
        for name in binds:
            last[name] = kind
    return Plan(prefix, after, points, steps)


def _match_cells(src: Source, nb) -> tuple[dict, dict, list]:
    """Match the student's cells to the source's: answers by grade_id, course cells by id or text.

    Returns (answer cells by grade_id, added code cells by the source index they follow, duplicates).
    """
    by_gid = {e["grade_id"]: e["index"] for e in src.cells if e["grade_id"]}
    course = [e for e in src.cells if e["kind"] == "course" and not e["grade_id"]]
    by_id = {}
    for entry in course:
        cell_id = src.nb.cells[entry["index"]].get("id")
        if cell_id:
            by_id[cell_id] = entry["index"]
    by_text = {}
    for entry in course:
        by_text.setdefault((entry["cell_type"], entry["source"].strip()), entry["index"])
    answers, added, duplicates, anchor = {}, {}, [], -1
    for cell in nb.cells:
        gid = _nbgrader_meta(cell).get("grade_id")
        text = _cell_text(cell)
        if isinstance(gid, str) and gid in by_gid:
            anchor = by_gid[gid]
            if gid in src.stubs:
                if gid in answers:
                    duplicates.append(gid)
                else:
                    answers[gid] = cell
            continue
        cell_id = cell.get("id")
        if isinstance(cell_id, str) and cell_id in by_id and cell.get("cell_type") == src.cells[by_id[cell_id]]["cell_type"]:
            anchor = by_id[cell_id]
            continue
        key = (cell.get("cell_type"), text.strip())
        if key in by_text:
            anchor = by_text[key]
            continue
        if cell.get("cell_type") == "code" and text.strip():
            added.setdefault(anchor, []).append(text)
    return answers, added, duplicates


def answer_job(src: Source, plan: Plan, nb) -> tuple[list, dict, list]:
    """Lay out one student's answer phase.

    Returns
    -------
    steps : list of dict
        ``run`` steps (``key`` ``course:<index>``, ``answer:<grade_id>`` or ``added:<n>``) and
        ``capture`` steps, in order.
    answers : dict
        Per answer cell: ``source``, ``state`` (answered / unanswered / missing), ``cell_type``.
    notes : list of str
        For the teacher (missing or duplicated answer cells, edited or deleted test cells); when the
        notebook has no answer cell of this source, ``steps`` is empty and the last note says so.
    """
    student, added, duplicates = _match_cells(src, nb)
    if not student:
        ids = ", ".join(src.answer_ids[:3])
        return [], {}, [f"no answer cell of {src.name} (grade_ids {ids} ...): is this the right notebook?"]
    notes = []
    missing = [gid for gid in src.answer_ids if gid not in student]
    if missing:
        notes.append(f"answer cells missing (counted as unanswered): {', '.join(missing)}")
    if duplicates:
        notes.append(f"answer cells present twice (the first was graded): {', '.join(sorted(set(duplicates)))}")
    notes += _edited_tests(src, nb)
    answers = {}
    for entry in src.cells:
        if entry["kind"] != "answer":
            continue
        gid = entry["grade_id"]
        cell = student.get(gid)
        source = _cell_text(cell) if cell is not None else src.stubs[gid]
        unchanged = _same_code(source, src.stubs[gid]) or _same_code(source, src.other_stubs[gid])
        state = "missing" if cell is None else "unanswered" if unchanged else "answered"
        if cell is not None and cell.get("cell_type") != entry["cell_type"]:
            notes.append(f"answer cell {gid} was turned into a {cell.get('cell_type')} cell; graded as {entry['cell_type']}")
        answers[gid] = {"source": source, "state": state, "cell_type": entry["cell_type"], "outputs": [],
                        "status": "not run"}
    steps, n_added = [], 0
    after = set(plan.after)

    def add_cells(texts):
        nonlocal n_added
        for text in texts:
            steps.append({"op": "run", "key": f"added:{n_added}", "code": text})
            n_added += 1

    # cells added before the first answer run after the course's opening cells
    add_cells([t for anchor, texts in sorted(added.items()) if anchor not in after for t in texts])
    for index in plan.after:
        entry = src.cells[index]
        if index in plan.points and entry["kind"] != "answer":
            point = plan.points[index]
            steps.append({"op": "capture", "point": point["point"], "names": point["names"]})
        if entry["kind"] == "answer":
            if entry["cell_type"] == "code" and answers[entry["grade_id"]]["source"].strip():
                steps.append({"op": "run", "key": f"answer:{entry['grade_id']}",
                              "code": answers[entry["grade_id"]]["source"]})
        elif entry["kind"] == "course":
            steps.append({"op": "run", "key": f"course:{index}", "code": entry["source"]})
        add_cells(added.get(index, []))
    if n_added:
        notes.append(f"{n_added} cell{'s' if n_added > 1 else ''} added by the student, run in place")
    return steps, answers, notes


def _edited_tests(src: Source, nb) -> list[str]:
    """Notes on test or locked cells edited or deleted in the submission (the source's are used)."""
    utils, _ = nbgrader_utils()
    locked = {e["grade_id"] for e in src.cells if e["grade_id"] and e["kind"] != "answer"}
    present, edited = set(), []
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if isinstance(gid, str) and gid in locked:
            present.add(gid)
            checksum = meta.get("checksum")
            try:
                changed = bool(checksum) and utils.compute_checksum(cell) != checksum
            except Exception:  # noqa: BLE001 - a mangled cell counts as edited
                changed = True
            if changed and gid not in edited:
                edited.append(gid)
    deleted = [gid for gid in (e["grade_id"] for e in src.cells if e["kind"] == "test") if gid not in present]
    notes = []
    if edited:
        notes.append(f"test or locked cells edited in the submission (the source's were used): {', '.join(edited)}")
    if deleted:
        notes.append(f"test cells deleted in the submission (the source's were used): {', '.join(deleted)}")
    return notes
