"""Reading a submission and rebuilding the notebook to run: the source's cells with the student's answers."""

from __future__ import annotations

import json
import re
import warnings

from coursekit.course.grading.source import Source, nbgrader_utils

__all__ = ["read_submission", "build_run"]

# Answer code that reaches into the interpreter is flagged for review.
_SUSPICIOUS = [
    (re.compile(r"\bbuiltins\b|__builtins__"), "builtins"),
    (re.compile(r"\bsys\s*\.\s*modules\b"), "sys.modules"),
    (re.compile(r"\bget_ipython\s*\("), "get_ipython()"),
    (re.compile(r"\bimport\s+gc\b|\bgc\s*\."), "gc"),
    (re.compile(r"\bctypes\b"), "ctypes"),
    (re.compile(r"\bsettrace\b|\bsetprofile\b"), "settrace/setprofile"),
    (re.compile(r"\bos\s*\.\s*_exit\b"), "os._exit"),
    (re.compile(r"\blinecache\b|__code__|__globals__|\binspect\s*\.\s*getsource"), "code introspection"),
    (re.compile(r"\bimportlib\b|\breload\s*\("), "importlib"),
]


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


def _suspicious(source: str) -> list[str]:
    return [label for pattern, label in _SUSPICIOUS if pattern.search(source)]


def _same_code(a: str, b: str) -> bool:
    norm = lambda s: "\n".join(line.rstrip() for line in s.strip().splitlines())  # noqa: E731
    return norm(a) == norm(b)


def build_run(src: Source, nb) -> tuple[list, dict, list]:
    """Rebuild the cells to run from the source cell list and the student's answers.

    Returns (cells to run, answers, notes).
    """
    student = {}
    duplicates = set()
    for cell in nb.cells:
        gid = _nbgrader_meta(cell).get("grade_id")
        if isinstance(gid, str) and gid in src.stubs:
            if gid in student:
                duplicates.add(gid)
            else:
                student[gid] = cell
    notes = []
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
    if not student:
        ids = ", ".join(src.answer_ids[:3])
        return [], {}, [f"no answer cell of {src.name} (grade_ids {ids} ...): is this the right notebook?"]
    answers, run = {}, []
    missing = [gid for gid in src.answer_ids if gid not in student]
    if missing:
        notes.append(f"answer cells missing (counted as unanswered): {', '.join(missing)}")
    if duplicates:
        notes.append(f"answer cells present twice (the first was graded): {', '.join(sorted(duplicates))}")
    if edited:
        notes.append(f"test or locked cells edited in the submission (the source's were run): {', '.join(edited)}")
    if deleted:
        notes.append(f"test cells deleted in the submission (the source's were run): {', '.join(deleted)}")
    for entry in src.cells:
        kind = entry["kind"]
        if kind == "answer":
            gid = entry["grade_id"]
            cell = student.get(gid)
            source = _cell_text(cell) if cell is not None else src.stubs[gid]
            if cell is None:
                state = "missing"
            elif _same_code(source, src.stubs[gid]):
                state = "unanswered"
            else:
                state = "answered"
            if cell is not None and cell.get("cell_type") != entry["cell_type"]:
                notes.append(f"answer cell {gid} was turned into a {cell.get('cell_type')} cell; "
                             f"graded as {entry['cell_type']}")
            flags = _suspicious(source) if entry["cell_type"] == "code" and state == "answered" else []
            if flags:
                notes.append(f"review answer {gid}: uses {', '.join(flags)}")
            answers[gid] = {"source": source, "state": state, "cell_type": entry["cell_type"], "outputs": [],
                            "status": "not run"}
            if entry["cell_type"] == "code" and source.strip():
                run.append({"kind": "answer", "grade_id": gid, "code": source, "label": f"answer cell {gid}"})
        elif entry["cell_type"] == "code" and entry["source"].strip():
            item = {"kind": kind, "grade_id": entry["grade_id"], "code": entry["source"]}
            if kind == "test":
                item["label"] = f"test cell {entry['grade_id']}"
                item["reads"] = entry["reads"]
            else:
                item["label"] = f"course cell {entry['index'] + 1}"
            run.append(item)
    return run, answers, notes
