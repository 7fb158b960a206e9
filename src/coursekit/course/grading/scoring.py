"""Scoring a run with nbgrader's semantics: a graded test cell earns its points if it ran without error."""

from __future__ import annotations

import copy

from coursekit.course.grading.results import SubmissionResult
from coursekit.course.grading.source import Source, nbgrader_utils

__all__ = ["score_submission"]


def score_submission(src: Source, result: SubmissionResult, run_cells: list, outcome: dict) -> None:
    """Fill in points, tests and answer outputs from a worker's outcome."""
    import nbformat  # heavy (1.3 s): imported where used, so that a grading worker starts without it

    utils, _ = nbgrader_utils()
    by_grade = {}
    for cell, res in zip(run_cells, outcome.get("cells", []), strict=False):
        if cell["kind"] == "answer":
            ans = result.answers[cell["grade_id"]]
            ans["status"] = res.get("status", "not run")
            ans["outputs"] = res.get("outputs", [])
        elif cell["kind"] == "test":
            by_grade[cell["grade_id"]] = res
    course_errors = [
        f"{cell['label']} ({res.get('ename')})"
        for cell, res in zip(run_cells, outcome.get("cells", []), strict=False)
        if cell["kind"] == "course" and res.get("status") == "error"
    ]
    if course_errors:
        more = " ..." if len(course_errors) > 3 else ""
        result.notes.append(f"course cells raised errors: {', '.join(course_errors[:3])}{more}")
    for entry in src.cells:
        if not entry.get("question"):
            continue
        gid = entry["grade_id"]
        cell = nbformat.v4.new_code_cell(entry["source"]) if entry["cell_type"] == "code" else (
            nbformat.v4.new_markdown_cell(entry["source"]))
        cell.metadata = nbformat.from_dict(copy.deepcopy(entry["metadata"]))
        if entry["kind"] == "test":
            res = by_grade.get(gid, {"status": "not run"})
            ran = res.get("status") in ("ok", "error")
            tampered = res.get("tampered") or []
            failed = not ran or res.get("status") == "error" or bool(tampered)
            error = nbformat.v4.new_output("error", ename=res.get("ename", "Error"), evalue=res.get("evalue", ""),
                                           traceback=[])
            cell.outputs = [error] if failed else []
            score, max_score = utils.determine_grade(cell)
            lineno = res.get("lineno")
            part = None
            if failed and ran and not tampered:
                part = "hidden" if lineno in set(entry["hidden"]) else "visible"
            if not ran:
                stopped = outcome.get("status") != "graded"
                message = "not run: " + ("the notebook stopped before this test" if stopped else "skipped")
            elif tampered:
                message = "the test environment changed while this test ran: " + "; ".join(tampered[:3])
            elif failed:
                ename, evalue = res.get("ename", "Error"), res.get("evalue", "")
                message = f"{ename}: {evalue}" if evalue else ename
            else:
                message = ""
            visible_line = ""
            if part == "visible" and isinstance(lineno, int):
                lines = entry["source"].splitlines()
                if 0 < lineno <= len(lines):
                    visible_line = lines[lineno - 1].strip()
            result.tests[gid] = {"passed": not failed, "message": message, "part": part, "ran": ran,
                                 "points": float(score), "max": float(max_score), "line": visible_line,
                                 "answers": list(entry.get("answers", []))}
            result.points[gid] = float(score)
        else:  # manually graded answer or task: nbgrader leaves it to the teacher (0 if unanswered)
            if entry["kind"] == "answer":
                cell.source = result.answers[gid]["source"]
                cell.metadata["nbgrader"]["checksum"] = src.stub_checksums[gid]
            score, max_score = utils.determine_grade(cell)
            result.points[gid] = None if score is None else float(score)
            result.tests[gid] = {"passed": None, "message": "graded by the teacher" if score is None else "unanswered",
                                 "part": None, "ran": False, "points": result.points[gid], "max": float(max_score),
                                 "line": "", "answers": [gid] if entry["kind"] == "answer" else []}
    result.total = float(sum(p for gid, p, kind in src.questions if kind == "auto" and result.points.get(gid)))
