"""One submission through the two grading phases: answers (untrusted), then tests (trusted code only).

:func:`grade_one` sends the student's answer phase to a warm ``answers`` process, validates what
comes back (records written by a process that ran student code: every field is checked, nothing is
executed or unpickled), passes the captured values on to a warm ``tests`` process, and scores the
test results with nbgrader's rule (:mod:`coursekit.course.grading.scoring`).
"""

from __future__ import annotations

import base64
import json

from coursekit.course.grading.codec import MAX_BYTES
from coursekit.course.grading.rebuild import Plan
from coursekit.course.grading.results import SubmissionResult
from coursekit.course.grading.scoring import score_submission
from coursekit.course.grading.source import Source
from coursekit.course.grading.worker import OUTPUT_CAP, RunnerDied, describe_exit

__all__ = ["grade_one", "parse_records"]

_TEXT_CAP = 2000
#: Reasons of a missing answer that are not worth a note: the student did not get that far.
_UNANSWERED = ("not defined", "the notebook stopped before this point")


def parse_records(data: bytes, kinds: set) -> list[dict]:
    """The JSON-line records of a run, keeping only well-formed ones of the given kinds.

    Examples
    --------
    >>> parse_records(b'{"t": "end"}\\nnot json\\n{"t": "evil"}\\n[1]\\n', {"end"})
    [{'t': 'end'}]
    >>> parse_records(b'{"t": []}\\n{"t": "end", "key": [1]}\\n' + b"[" * 99_999, {"end"})  # hostile records
    []
    """
    out = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # untrusted bytes: malformed or absurdly nested
            continue
        if isinstance(record, dict) and isinstance(record.get("t"), str) and record["t"] in kinds:
            if "key" in record and not isinstance(record["key"], str):
                continue
            out.append(record)
    return out


def _text(value, cap: int = _TEXT_CAP) -> str:
    return value[:cap] if isinstance(value, str) else ""


def _label(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "answer":
        return f"answer cell {rest}"
    if kind == "added":
        return f"a cell you added (no. {int(rest) + 1 if rest.isdigit() else rest})"
    if kind == "course":
        return f"course cell {int(rest) + 1 if rest.isdigit() else rest}"
    return "the notebook"


def _answer_phase(steps: list, reply: dict, result: SubmissionResult, timeout: float) -> tuple[dict, str, str]:
    """Read the answer phase's records: (captured payloads by point, status, reason)."""
    keys = {s["key"] for s in steps if s["op"] == "run"}
    points = {s["point"] for s in steps if s["op"] == "capture"}
    try:
        data = base64.b64decode(reply["data"], validate=True)
    except ValueError:
        data = b""
    captured, running, ended, exited = {}, None, False, None
    for record in parse_records(data, {"start", "cell", "capture", "end", "exit"}):
        kind = record["t"]
        if kind == "end":
            ended = True
        elif kind == "exit" and record.get("key") in keys:
            exited = record["key"]
        elif kind == "start" and record.get("key") in keys:
            running = record["key"]
        elif kind == "cell" and record.get("key") in keys:
            running = None if running == record["key"] else running
            key = record["key"]
            if key.startswith("answer:"):
                gid = key.split(":", 1)[1]
                answer = result.answers.get(gid)
                if answer is not None and answer["status"] == "not run":
                    status = "error" if record.get("status") == "error" else "ok"
                    outputs = []
                    printed = _text(record.get("out"), OUTPUT_CAP + 200)  # with the note on what was cut
                    if printed:
                        outputs.append({"type": "stream", "name": "stdout", "text": printed})
                    if status == "error":
                        outputs.append({"type": "error", "ename": _text(record.get("ename"), 200),
                                        "evalue": _text(record.get("evalue")), "traceback": ""})
                    answer.update(status=status, outputs=outputs)
        elif kind == "capture":
            point, payload = record.get("point"), record.get("payload")
            if (type(point) is int and point in points and point not in captured and isinstance(payload, str)
                    and len(payload) <= MAX_BYTES):
                captured[point] = payload
    where = _label(running) if running else "the notebook"
    code = reply["exit"]
    if reply["timed_out"] or code == -24:  # SIGXCPU: the CPU-time limit
        limit = "time limit" if reply["timed_out"] else "CPU time limit"
        return captured, "timeout", f"stopped after {timeout:g} s ({limit}) while running {where}"
    if exited is not None:
        return captured, "failed", f"the notebook called exit() in {_label(exited)}; later tests not run"
    if reply.get("truncated") is True:
        return captured, "failed", f"the notebook wrote too much output while running {where}; later tests not run"
    if code != 0 or not ended:
        return captured, "failed", f"the notebook's process ended while running {where} ({describe_exit(code)})"
    return captured, "graded", ""


def grade_one(src: Source, plan: Plan, result: SubmissionResult, steps: list, n: int, pair, timeout: float) -> None:
    """Grade one submission in place: its status, reason, points, tests and answer outputs.

    Parameters
    ----------
    src, plan
        The source notebook and its plan (:func:`~coursekit.course.grading.rebuild.plan_source`).
    result : SubmissionResult
        Filled in.
    steps : list
        The student's answer phase (:func:`~coursekit.course.grading.rebuild.answer_job`).
    n : int
        The job number (unique in the batch).
    pair : (Runner, Runner)
        The warm ``answers`` and ``tests`` processes of one worker.
    timeout : float
        Seconds allowed to each phase.
    """
    answers_runner, tests_runner = pair
    try:
        reply = answers_runner.run({"job": n, "steps": steps}, timeout)
    except RunnerDied as exc:
        reply = None
        captured, status, reason = {}, "failed", f"the notebook stopped its grading process: {exc}"
    if reply is not None:
        captured, status, reason = _answer_phase(steps, reply, result, timeout)
        result.seconds = float(reply.get("seconds", 0.0)) if isinstance(reply.get("seconds"), float) else 0.0
    values = {str(point): base64.b64encode(payload.encode("utf-8")).decode("ascii")
              for point, payload in captured.items()}
    tests, missing, course_errors = {}, {}, []
    try:
        done = tests_runner.run({"job": n, "values": values}, timeout)
    except RunnerDied as exc:
        done = None
        status, reason = "error", f"grader error: the test phase did not finish: {exc}; grade it again"
    if done is not None:
        data = base64.b64decode(done["data"])
        for record in parse_records(data, {"test", "missing", "course", "end"}):
            if record["t"] == "test":
                tests[record.get("grade_id")] = record
            elif record["t"] == "missing" and isinstance(record.get("name"), str):
                missing.setdefault((record.get("point"), record["name"]), _text(record.get("reason"), 200))
            elif record["t"] == "course":
                course_errors.append(record)
        if done["timed_out"] or done["exit"] != 0:
            how = "time limit" if done["timed_out"] else describe_exit(done["exit"])
            status = "failed"
            reason = "; ".join(x for x in (reason, f"the tests could not finish with these answers ({how})") if x)
    reached = {p["point"] for p in plan.points.values() if p["point"] in captured}
    run_cells, cells = [], []
    for gid, answer in result.answers.items():
        run_cells.append({"kind": "answer", "grade_id": gid})
        cells.append({"status": answer["status"], "outputs": answer["outputs"]})
    for index, point in plan.points.items():
        entry = src.cells[index]
        if entry["kind"] != "test":
            continue
        record = tests.get(entry["grade_id"])
        if point["point"] not in reached or record is None:
            cell = {"status": "not run"}
        elif record.get("status") == "ok":
            cell = {"status": "ok"}
        else:
            lineno = record.get("lineno")
            cell = {"status": "error", "ename": _text(record.get("ename"), 200), "evalue": _text(record.get("evalue")),
                    "lineno": lineno if type(lineno) is int else None}
            unusable = [f"{name}: {why}" for (p, name), why in missing.items()
                        if p == point["point"] and why not in _UNANSWERED]
            if unusable and cell["ename"] in ("NameError", "NotAnswered"):  # say why the name was missing, not just that it was
                cell.update(ename="not a value", evalue="; ".join(unusable)[:_TEXT_CAP])
        run_cells.append({"kind": "test", "grade_id": entry["grade_id"]})
        cells.append(cell)
    result.status, result.reason = status, reason
    not_values = sorted({f"{name} ({why})" for (_, name), why in missing.items() if why not in _UNANSWERED})
    if not_values:
        result.notes.append("answers that are not values (a test can only read numbers, text, arrays, tables and "
                            "course results): " + ", ".join(not_values[:5]))
    if course_errors and status == "graded":
        labels = sorted({_label(_text(r.get("key"), 50)) for r in course_errors})
        result.notes.append(f"course cells raised errors with these answers: {', '.join(labels[:3])}")
    score_submission(src, result, run_cells, {"status": status, "cells": cells})
