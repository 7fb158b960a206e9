"""Replay the catalogue of attacks (``tests/course/attacks.py``) against the teacher notebooks' tests.

Each notebook runs once, in one kernel; after each attacked test cell a probe cell replays the
catalogue's answers for it: it keeps the notebook's namespace, runs the answer's code and then the test
cell's code, records "pass" or "fail" (with the message), and puts the namespace back.  An answer
whose own code raises is reported as "broken", so a mistake in the catalogue never counts as a test
that rejected a wrong answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from coursekit.course import notebooks
from tests.course import kernels
from tests.course.attacks import ATTACKS

MARK = "@@attack@@"
PATHS = {p.stem: p for p in notebooks.solution_notebooks()}

REPLAY = '''
import json as _ck_json
_ck_test = {test!r}
for _ck_i, _ck_code in enumerate({codes!r}):
    _ck_saved = dict(globals())
    try:
        exec(compile(_ck_code, "<attack>", "exec"), globals())
    except BaseException as _ck_error:  # the catalogue's code itself is wrong: not a verdict on the test
        _ck_result = ["broken", f"the attack's code raised {{type(_ck_error).__name__}}: {{_ck_error}}"]
    else:
        try:
            exec(compile(_ck_test, "<test cell>", "exec"), globals())
            _ck_result = ["pass", ""]
        except BaseException as _ck_error:  # an AssertionError, NotAnswered or a crash of the test on this answer
            _ck_result = ["fail", f"{{type(_ck_error).__name__}}: {{_ck_error}}"]
    for _ck_name in [n for n in globals() if n not in _ck_saved and not n.startswith("_ck_")]:
        del globals()[_ck_name]
    globals().update({{k: v for k, v in _ck_saved.items() if not k.startswith("_ck_")}})
    print({mark!r} + _ck_json.dumps([{grade_id!r}, _ck_i] + _ck_result))
'''


def replay(path: Path, attacks) -> dict[tuple[str, int], list[str]]:
    nb = nbformat.read(path, as_version=4)
    by_test: dict[str, list[str]] = {}
    for attack in attacks:
        by_test.setdefault(attack.test, []).append(attack.code)
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    seen = set()
    for cell in nb.cells:
        run.cells.append(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade") and grade_id in by_test:
            seen.add(grade_id)
            run.cells.append(nbformat.v4.new_code_cell(REPLAY.format(
                test=cell.source, codes=by_test[grade_id], mark=MARK, grade_id=grade_id)))
    assert seen == set(by_test), f"no test cell with grade_id {sorted(set(by_test) - seen)} in {path.name}"
    kernels.execute(run, path.parent)
    results = {}
    for cell in run.cells:
        for line in kernels.printed_lines(cell, MARK):
            grade_id, i, outcome, message = json.loads(line)
            results[grade_id, i] = [outcome, message]
    return results


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(ATTACKS))
def test_hidden_tests_reject_wrong_answers_and_accept_right_ones(stem):
    attacks = ATTACKS[stem]
    results = replay(PATHS[stem], attacks)
    counters: dict[str, int] = {}
    wrong = []
    for attack in attacks:
        i = counters.get(attack.test, 0)
        counters[attack.test] = i + 1
        outcome, message = results.get((attack.test, i), ["not run", "the replay cell did not report"])
        if outcome != attack.expect:
            wrong.append(f"{attack.test}: {attack.what!r} should {attack.expect} but did {outcome} {message}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_names_real_notebooks_and_outcomes():
    for stem, attacks in ATTACKS.items():
        assert stem in PATHS, stem
        assert attacks and all(a.expect in ("pass", "fail") for a in attacks), stem
        for attack in attacks:
            compile(attack.code, attack.what, "exec")
