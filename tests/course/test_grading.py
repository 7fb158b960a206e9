"""``coursekit grade``: a whole class of Chapter 1 submissions, good, bad and hostile.

The submissions are made here from the committed Chapter 1 notebooks: the
solution, the student version with some answers filled in (right or wrong),
with test cells edited or deleted, with an infinite loop, a crash, ``sys.exit``,
``os._exit``, tampering with built-ins and course modules, a missing cell, a
renamed notebook, a memory blow-up, a flood of output, a corrupt file and a
non-notebook.  One batch grades them all (``jobs=2``, 40 s per notebook); every
expected score below is the sum of the points of the tests the honest answers
pass, computed from the source notebook's metadata.

Tests that run kernels are marked ``slow``.  The smaller batches are grouped in
classes of their own, so that ``--dist loadscope`` runs them on another worker
than the module's big batch.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursekit.course import cli, grading
from coursekit.course.grading import rebuild
from coursekit.course.grading import report as grading_report
from coursekit.course.grading import sandbox as grading_sandbox
from coursekit.course.notebooks import repo_root

ROOT = repo_root()
NOTEBOOK = "chapters/01_why_retention_matters"
STEM = "01_why_retention_matters"
SOURCE = ROOT / "solutions" / "chapters" / f"{STEM}.ipynb"
STUDENT = ROOT / "chapters" / f"{STEM}.ipynb"


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


SOURCE_NB = nbformat.read(SOURCE, as_version=4)
SOLUTIONS = {_nbgrader(c)["grade_id"]: c.source for c in SOURCE_NB.cells if _nbgrader(c).get("solution")}
POINTS = {_nbgrader(c)["grade_id"]: float(_nbgrader(c)["points"]) for c in SOURCE_NB.cells if _nbgrader(c).get("grade")}
FULL = sum(POINTS.values())
ORDER = list(POINTS)  # questions in notebook order
HIDDEN_LINES = [
    line.strip()
    for c in SOURCE_NB.cells
    if _nbgrader(c).get("grade")
    for line in c.source.split("### BEGIN HIDDEN TESTS")[-1].split("### END HIDDEN TESTS")[0].splitlines()
    if "BEGIN HIDDEN" in c.source and len(line.strip()) > 12
]


def q(answer_id: str) -> str:
    """Question (test cell grade_id) of an answer cell."""
    return answer_id.removesuffix("_answer")


def wrong(answer_id: str) -> str:
    """A wrong answer: every name the solution assigns at top level set to -1."""
    tree = ast.parse(SOLUTIONS[answer_id])
    names = [t.id for node in tree.body if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)]
    return "\n".join(f"{name} = -1" for name in names)


def make(answers: dict | None = None, tests: dict | None = None, *, base: Path = STUDENT) -> bytes:
    """A submission from the student notebook: answers[gid] = code or None (cell deleted); same for tests."""
    nb = nbformat.read(base, as_version=4)
    answers, tests = answers or {}, tests or {}
    keep = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        table = answers if meta.get("solution") else tests if meta.get("grade") else {}
        if gid in table:
            if table[gid] is None:
                continue
            cell.source = table[gid]
        keep.append(cell)
    nb.cells = keep
    return nbformat.writes(nb).encode()


def correct(**override) -> dict:
    out = dict(SOLUTIONS)
    out.update(override)
    return out


A = {q(gid): gid for gid in SOLUTIONS}  # question -> answer cell id

PARTIAL = {
    A["ch1_retention_counts"]: SOLUTIONS[A["ch1_retention_counts"]] + '\nprint("my retention:", retention_q)',
    A["ch1_expected_lifetime"]: SOLUTIONS[A["ch1_expected_lifetime"]],
    # visible tests pass, a hidden test fails
    A["ch1_fedex_revenue"]: "fedex_revenue = 1500 * 12 * 10\nyears_for_360k = 25",
    # a visible test fails
    A["ch1_clv_value"]: "fedex_clv = 3600\nclv_gain_pct = 1",
    A["ch1_hundred_swap"]: SOLUTIONS[A["ch1_hundred_swap"]],
}

MALLORY = {  # patches a built-in and a course function the hidden tests use; wrong answers otherwise
    A["ch1_retention_counts"]: "import builtins\nbuiltins.abs = lambda x: 0\nretention_q = 0.5\nchurn_q = 0.5",
    A["ch1_top20_share"]: "concentration.top_share = lambda *args, **kwargs: 0.5\ntop20_share = 0.5",
}

TRUDY = {  # shadows abs, rebinds a course module, rigs comparisons, swallows exceptions
    A["ch1_retention_counts"]: "def abs(x):\n    return 0\nretention_q = 0.5\nchurn_q = 0.5",
    A["ch1_fedex_revenue"]: (
        "class Anything(float):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n"
        "fedex_revenue = Anything(1)\nyears_for_360k = Anything(20)"
    ),
    A["ch1_top20_share"]: ("import types\nconcentration = types.SimpleNamespace(top_share=lambda *a, **k: 0.5)\n"
                           "top20_share = 0.5"),
    A["ch1_claim_margin"]: "get_ipython().set_custom_exc((Exception,), lambda *args, **kwargs: None)\nmargin_25 = 1.0",
    A["ch1_hundred_swap"]: SOLUTIONS[A["ch1_hundred_swap"]],
}

EDITED_TESTS = {gid: "assert True" for gid in POINTS}
EDITED_TESTS["ch1_plug_saving"] = None  # a test cell deleted altogether


def _pts(*questions) -> float:
    return sum(POINTS[x] for x in questions)


def _before(question: str) -> list[str]:
    return ORDER[: ORDER.index(question)]


def all_wrong(**override) -> dict:
    out = {gid: wrong(gid) for gid in SOLUTIONS}
    out.update(override)
    return out


def with_cells(extra: dict, *, answers: dict | None = None, drop_ids=False, minor=None, move=None) -> bytes:
    """The student notebook with correct answers, cells added after given cells, ids dropped, a cell moved.

    extra maps a grade_id (or "top") to the list of code cells the student added after that cell.
    """
    nb = nbformat.read(STUDENT, as_version=4)
    cells = [nbformat.v4.new_code_cell(c) for c in extra.get("top", [])]
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if meta.get("solution"):
            cell.source = (answers or SOLUTIONS).get(gid, cell.source)
        cells.append(cell)
        cells += [nbformat.v4.new_code_cell(c) for c in extra.get(gid, [])]
    if move is not None:  # move that answer cell to the end of the notebook
        i = next(i for i, c in enumerate(cells) if _nbgrader(c).get("grade_id") == move)
        cells.append(cells.pop(i))
    nb.cells = cells
    if drop_ids or minor is not None:
        raw = json.loads(nbformat.writes(nb))
        if drop_ids:
            for cell in raw["cells"]:
                cell.pop("id", None)
        if minor is not None:
            raw["nbformat_minor"] = minor
        return json.dumps(raw, indent=1).encode()
    return nbformat.writes(nb).encode()


# what a hostile student's code would like to reach
SECRETS = [str(ROOT / "solutions"), str(ROOT / "solutions" / "chapters" / f"{STEM}.ipynb"), str(ROOT),
           "/root", "/home", "/work", "/etc/passwd", "/tmp/pytest-of-root"]

FLOAT_LOOKALIKE = (  # compares equal to (and less and greater than) anything, and says it is numpy's
    "class float64(float):\n    __module__ = 'numpy'\n"
    "    def __eq__(self, other): return True\n    def __ne__(self, other): return False\n"
    "    def __lt__(self, other): return True\n    def __gt__(self, other): return True\n"
    "    def __le__(self, other): return True\n    def __ge__(self, other): return True\n"
    "    def __abs__(self): return 0.0\n    def __sub__(self, other): return float64(0)\n"
    "    __rsub__ = __sub__\n    __hash__ = float.__hash__\n"
    "fedex_revenue = float64(1)\nyears_for_360k = float64(1)"
)
PATCH_EVERYTHING = (  # the in-kernel guard's nightmare: none of it reaches the tests any more
    "import builtins, sys, types, threading, time\nimport numpy, pandas.testing\n"
    "builtins.abs = lambda x: 0\nbuiltins.all = lambda x: True\nbuiltins.AssertionError = type('N', (Exception,), {})\n"
    "numpy.isclose = lambda *a, **k: True\npandas.testing.assert_frame_equal = lambda *a, **k: None\n"
    "sys.modules['coursekit.models.concentration'] = types.SimpleNamespace(top_share=lambda *a, **k: 0.5)\n"
    "from IPython.core.interactiveshell import InteractiveShell\n"
    "InteractiveShell.run_code = lambda self, *a, **k: None\n"
    "sys.addaudithook(lambda event, args: None)\n"
    "def spin():\n    while True:\n        builtins.abs = lambda x: 0\n        time.sleep(0.001)\n"
    "threading.Thread(target=spin, daemon=True).start()\n"
)
POISON_CACHE = (  # change the cached course data in place, then answer to match the poisoned copy
    "revenue = data.customer_revenue()\nrevenue[:] = 1.0\norders = data.load_orders()\norders['amount'] = 1.0\n"
    "top20_share = 0.2"
)
READ_SOLUTIONS = (  # look for the solutions, the teacher's files, classmates' originals; answer from them if found
    "import os, glob\n"
    f"places = {SECRETS[:2]!r} + ['/etc/passwd', '/etc/shadow', {str(ROOT / 'nbgrader_config.py')!r}]\n"
    "places.append(os.path.join(os.environ.get('COURSEKIT_DATA', '/'), '..', 'solutions'))\n"
    f"places += glob.glob({str(ROOT)!r} + '/*/*.ipynb') + glob.glob({str(ROOT)!r} + '/*/*/*.ipynb')\n"
    "places += glob.glob('/tmp/**/*.ipynb', recursive=True) + glob.glob('/tmp/**/gradebook.csv', recursive=True)\n"
    "found = [p for p in places if os.path.exists(p)]\n"
    "print('found:', found)\n"
    "margin_25 = 999.0 if found else 1.0\n"
)
FORGE = (  # write a fake 'all passed' reply and fake test records everywhere it can
    "import os, json\n"
    "fake = json.dumps({'job': 0, 'exit': 0, 'timed_out': False, 'truncated': False, 'seconds': 0.1, 'data': ''})\n"
    "tests = ''.join(json.dumps({'t': 'test', 'grade_id': g, 'status': 'ok'}) + '\\n' for g in "
    f"{ORDER!r})\n"
    "for fd in range(0, 256):\n"
    "    try: os.write(fd, (fake + '\\n' + tests).encode())\n"
    "    except OSError: pass\n"
    "for fd in range(0, 64):\n"
    "    try:\n        with open(f'/proc/{os.getppid()}/fd/{fd}', 'w') as f: f.write(fake + '\\n')\n"
    "    except OSError: pass\n"
)
DAEMON = (  # a double-forked, setsid daemon that outlives the notebook and tries to rewrite reports and originals
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        for _ in range(1200):\n"
    f"            for path in {SECRETS!r} + TARGETS:\n"
    "                try:\n                    open(path, 'w').write('pwned')\n"
    "                except OSError:\n                    pass\n"
    "            time.sleep(0.05)\n"
    "    os._exit(0)\n"
)
KILL_EVERYTHING = "import os, signal\nos.kill(-1, signal.SIGKILL)\n"
KILL_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
STOP_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n"
FORK_BOMB = ("import os, time\nfor _ in range(400):\n    try:\n        if os.fork() == 0:\n            time.sleep(600)\n"
             "            os._exit(0)\n    except OSError:\n        break\n")
MOCK = "from unittest.mock import MagicMock\nfedex_pv = MagicMock()\nfedex_pv.__lt__ = lambda *a: True"


# student id -> (file name, bytes, expected status, expected total, what it is)
CLASS = {
    "ada": (f"ada_{STEM}.ipynb", SOURCE.read_bytes(), "graded", FULL, "the solution itself"),
    "lee_12345": (f"lee_12345_67890_{STEM}.ipynb", make(PARTIAL), "graded",
                  _pts("ch1_retention_counts", "ch1_expected_lifetime", "ch1_hundred_swap"),
                  "partly right: a hidden and a visible test fail"),
    "carl": (f"carl/{STEM}.ipynb", STUDENT.read_bytes(), "graded", 0.0, "untouched student notebook"),
    "dora": ("dora/Untitled1.ipynb", make(correct()), "graded", FULL, "right answers, notebook renamed"),
    "edith": (f"edith_{STEM}.ipynb",
              make({gid: (SOLUTIONS[gid] if q(gid) in ("ch1_retention_counts", "ch1_expected_lifetime") else wrong(gid))
                    for gid in SOLUTIONS}, EDITED_TESTS),
              "graded", _pts("ch1_retention_counts", "ch1_expected_lifetime"),
              "every test cell replaced by `assert True`, one deleted"),
    "lou": (f"lou_{STEM}.ipynb", make(correct(**{A["ch1_fedex_revenue"]: "while True:\n    pass"})), "timeout",
            _pts(*_before("ch1_fedex_revenue")), "infinite loop"),
    "cris": (f"cris_{STEM}.ipynb", make(correct(**{A["ch1_expected_lifetime"]: 'raise RuntimeError("I give up")'})),
             "graded", FULL - POINTS["ch1_expected_lifetime"], "an answer cell raises"),
    "sam": (f"sam_{STEM}.ipynb",
            make(correct(**{A["ch1_bucket_steady_state"]:
                            "import sys\nsys.exit()\n" + SOLUTIONS[A["ch1_bucket_steady_state"]]})),
            "graded", FULL - POINTS["ch1_bucket_steady_state"], "sys.exit() in an answer cell"),
    "exit_a": (f"exit_a_{STEM}.ipynb",
               make(correct(**{A["ch1_bucket_steady_state"]: SOLUTIONS[A["ch1_bucket_steady_state"]] + "\nexit()"})),
               "failed", _pts(*_before("ch1_bucket_steady_state")), "exit() (graded twice: same result)"),
    "exit_b": (f"exit_b_{STEM}.ipynb",
               make(correct(**{A["ch1_bucket_steady_state"]: SOLUTIONS[A["ch1_bucket_steady_state"]] + "\nexit()"})),
               "failed", _pts(*_before("ch1_bucket_steady_state")), "exit() again"),
    "oscar": (f"oscar_{STEM}.ipynb", make(correct(**{A["ch1_plug_saving"]: "import os\nos._exit(1)"})), "failed",
              _pts(*_before("ch1_plug_saving")), "os._exit(1)"),
    "mallory": (f"mallory_{STEM}.ipynb", make(MALLORY), "graded", 0.0, "patches abs and a course function"),
    "trudy": (f"trudy_{STEM}.ipynb", make(TRUDY), "graded", _pts("ch1_hundred_swap"),
              "shadows abs, rebinds a module, float subclass equal to anything, custom exception handler"),
    "mia": (f"mia_{STEM}.ipynb", make(correct(**{A["ch1_clv_value"]: None}), {"ch1_clv_value": None}), "graded",
            FULL - POINTS["ch1_clv_value"], "answer and test cell deleted"),
    "max": (f"max_{STEM}.ipynb",
            make(correct(**{A["ch1_bucket_steady_state"]:
                            "hog = bytearray(64 * 1024**3)\n" + SOLUTIONS[A["ch1_bucket_steady_state"]]})),
            "graded", FULL - POINTS["ch1_bucket_steady_state"], "allocates 64 GiB"),
    "hugo": (f"hugo_{STEM}.ipynb",
             make(correct(**{A["ch1_fedex_revenue"]: 'for i in range(40_000):\n    print("spam " * 20)\n'
                             + SOLUTIONS[A["ch1_fedex_revenue"]]})),
             "graded", FULL, "prints 4 MB"),
    "numpy_float": (f"numpy_float_{STEM}.ipynb", make(correct(**{A["ch1_fedex_revenue"]: FLOAT_LOOKALIKE})), "graded",
                    FULL - POINTS["ch1_fedex_revenue"], "float subclass posing as numpy.float64, equal to anything"),
    "mock": (f"mock_{STEM}.ipynb", make(correct(**{A["ch1_fedex_discounted"]: MOCK})), "graded",
             FULL - POINTS["ch1_fedex_discounted"], "a MagicMock as the answer"),
    "patcher": (f"patcher_{STEM}.ipynb",
                make(all_wrong(**{A["ch1_retention_counts"]: PATCH_EVERYTHING + wrong(A["ch1_retention_counts"])})),
                "graded", 0.0, "patches built-ins, numpy, pandas.testing, sys.modules, IPython's run_code on the "
                "class, an audit hook and a re-patching thread; wrong answers"),
    "poisoner": (f"poisoner_{STEM}.ipynb", make(correct(**{A["ch1_top20_share"]: POISON_CACHE})), "graded",
                 FULL - POINTS["ch1_top20_share"], "poisons the cached course data in place"),
    "snoop": (f"snoop_{STEM}.ipynb", make(correct(**{A["ch1_claim_margin"]: READ_SOLUTIONS})), "graded",
              FULL - POINTS["ch1_claim_margin"], "looks for solutions/, the teacher's files and classmates' copies"),
    "forger": (f"forger_{STEM}.ipynb",
               make(all_wrong(**{A["ch1_retention_counts"]: FORGE + wrong(A["ch1_retention_counts"])})),
               "graded", 0.0, "writes a forged 'all passed' reply and test records to every descriptor"),
    "daemon": (f"daemon_{STEM}.ipynb", b"", "graded", FULL,
               "leaves a setsid daemon rewriting the gradebook, a classmate's page and originals"),
    "killer": (f"killer_{STEM}.ipynb", make(correct(**{A["ch1_plug_saving"]: KILL_EVERYTHING})), "failed", 0.0,
               "kill(-1, SIGKILL): every process it can signal"),
    "parricide": (f"parricide_{STEM}.ipynb", make(correct(**{A["ch1_plug_saving"]: KILL_PARENT})), "failed", 0.0,
                  "kills its grading process"),
    "stopper": (f"stopper_{STEM}.ipynb", make(correct(**{A["ch1_plug_saving"]: STOP_PARENT})), "failed", 0.0,
                "SIGSTOPs its grading process"),
    "bomb": (f"bomb_{STEM}.ipynb",
             make(correct(**{A["ch1_plug_saving"]: FORK_BOMB + SOLUTIONS[A["ch1_plug_saving"]]})),
             "graded", FULL, "fork bomb: forks until the process limit stops it, children left behind"),
    "helper": (f"helper_{STEM}.ipynb",
               with_cells({"top": ["import math"],
                           "ch1_fedex_revenue": ["def yearly(monthly):\n    return 12 * monthly"],
                           A["ch1_fedex_discounted"]: ["fedex_pv = float(sum(1500 / 1.08 ** (m / 12) "
                                                      "for m in range(1, 121)))"]},
                          answers=correct(**{A["ch1_fedex_discounted"]: "# YOUR CODE HERE\nraise NotImplementedError()",
                                             A["ch1_clv_value"]: "fedex_clv = clv.clv(yearly(300), 0.85, 0.10)\n"
                                             "clv_gain_pct = 100 * (clv.clv(3600, 0.90, 0.10) / fedex_clv - 1)"})),
               "graded", FULL, "honest: own import and helper in added cells, answer in a new cell below the stub"),
    "mover": (f"mover_{STEM}.ipynb", with_cells({}, move=A["ch1_hundred_swap"]), "graded", FULL,
              "honest: an answer cell moved to the end"),
    "old_format": (f"old_format_{STEM}.ipynb", with_cells({}, drop_ids=True, minor=4), "graded", FULL,
                   "honest: nbformat 4.4, no cell ids"),
    "windows": (f"windows_{STEM}.ipynb",
                b"\xef\xbb\xbf" + with_cells({}, drop_ids=True).replace(b"\n", b"\r\n"), "graded", FULL,
                "honest: a BOM and CRLF line ends"),
    "xss": (f"xss_{STEM}.ipynb",
            make(correct(**{A["ch1_hundred_swap"]: "print('<script>alert(1)</script>')\n#<img src=x onerror=alert(2)>\n"
                            + SOLUTIONS[A["ch1_hundred_swap"]]})), "graded", FULL,
            "HTML and script in its code and output (escaped in the feedback page)"),
    "zed": (f"zed_{STEM}.ipynb", SOURCE.read_bytes()[:5000], "invalid", 0.0, "truncated JSON"),
    "wendy": (f"wendy_{STEM}.ipynb",
              nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])).encode(),
              "invalid", 0.0, "another notebook"),
    "notes": ("notes.txt", b"bring coffee", "invalid", 0.0, "not a notebook"),
}


def _digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _runner_processes(marker: str) -> list[int]:
    """Live processes whose environment holds this batch's marker (every grading process has it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory, sandbox):
    folder = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("grades")
    # a private copy of the datasets (hard links): its path marks this batch's processes
    data = tmp_path_factory.mktemp("data") / "datasets"
    shutil.copytree(ROOT / "datasets", data, copy_function=os.link)
    targets = [str(out / "gradebook.csv"), str(out / "feedback" / "ada.html"), str(folder / f"ada_{STEM}.ipynb")]
    daemon = DAEMON.replace("TARGETS", repr(targets)) + SOLUTIONS[A["ch1_fedex_revenue"]]
    files = {k: (v[0], make(correct(**{A["ch1_fedex_revenue"]: daemon})) if k == "daemon" else v[1])
             for k, v in CLASS.items()}
    for name, content in files.values():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    before = _digest(folder)
    err = io.StringIO()
    old = os.environ.get("COURSEKIT_DATA")
    os.environ["COURSEKIT_DATA"] = str(data)
    try:
        with contextlib.redirect_stderr(err):
            report = grading.grade_submissions(NOTEBOOK, folder, out, jobs=2, timeout=40, progress=True)
        time.sleep(1.0)  # a daemon that survived would be rewriting the files now
    finally:
        if old is None:
            os.environ.pop("COURSEKIT_DATA")
        else:
            os.environ["COURSEKIT_DATA"] = old
    return {"report": report, "folder": folder, "before": before, "after": _digest(folder), "out": out,
            "stderr": err.getvalue(), "by": {r.student: r for r in report.results}, "files": files,
            "left": _runner_processes(str(data)), "data": data}


@pytest.mark.slow
def test_every_submission_gets_a_row(batch):
    assert sorted(batch["by"]) == sorted(CLASS)


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(CLASS))
def test_score_and_status(batch, student):
    _, _, status, total, _ = CLASS[student]
    r = batch["by"][student]
    assert (r.status, r.total) == (status, total), r.reason
    assert r.max_points == FULL


@pytest.mark.slow
def test_originals_unchanged_and_checksums_recorded(batch):
    assert batch["after"] == batch["before"]
    for student, (name, data) in batch["files"].items():
        r = batch["by"][student]
        assert r.sha256 == hashlib.sha256(data).hexdigest()
        assert r.file == name
        assert "changed during grading" not in r.reason


@pytest.mark.slow
def test_nothing_left_behind(batch):
    assert batch["left"] == []  # no grading process, no daemon, no fork-bomb child
    out = batch["out"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.parent != out / "feedback") == [
        "feedback", "gradebook.csv", "histogram.png", "summary.md"]
    assert "pwned" not in (out / "gradebook.csv").read_text(encoding="utf-8")
    assert "pwned" not in (out / "feedback" / "ada.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in batch["data"].iterdir()) == sorted(p.name for p in (ROOT / "datasets").iterdir())


@pytest.mark.slow
def test_reasons(batch):
    by = batch["by"]
    assert "answer cell ch1_fedex_revenue_answer" in by["lou"].reason and "40 s" in by["lou"].reason
    assert "process ended while running answer cell ch1_plug_saving_answer (exit code 1)" in by["oscar"].reason
    assert by["exit_a"].reason == by["exit_b"].reason
    assert "called exit() in answer cell ch1_bucket_steady_state_answer" in by["exit_a"].reason
    for name in ("killer", "parricide"):
        assert "the notebook stopped its grading process: the grading process ended (SIGKILL" in by[name].reason
    assert "stopped answering" in by["stopper"].reason
    assert by["zed"].reason.startswith("corrupt JSON (line")
    assert by["notes"].reason == "not a notebook (.txt file)"
    assert "no answer cell of chapters/01_why_retention_matters" in by["wendy"].reason
    assert "answer cells missing (counted as unanswered): ch1_clv_value_answer" in by["mia"].reason
    assert by["ada"].reason == "" and by["carl"].reason == ""
    assert "test cells deleted in the submission (the source's were used): ch1_plug_saving" in by["edith"].reason
    edited = "test or locked cells edited in the submission (the source's were used): ch1_retention_counts"
    assert edited in by["edith"].reason
    assert "3 cells added by the student, run in place" in by["helper"].reason


@pytest.mark.slow
def test_answers_that_are_not_values(batch):
    by = batch["by"]
    assert "fedex_revenue (an object of class float64 is not a value" in by["numpy_float"].reason
    assert "answers that are not values" in by["mock"].reason and "fedex_pv (" in by["mock"].reason
    assert "answers that are not values" in by["trudy"].reason
    message = by["mock"].tests["ch1_fedex_discounted"]["message"]
    assert message.startswith("not a value: fedex_pv: an object of class MagicMock"), message
    assert by["trudy"].points["ch1_hundred_swap"] == POINTS["ch1_hundred_swap"]


@pytest.mark.slow
def test_student_code_sees_nothing_of_the_host(batch):
    page = (batch["report"].feedback_dir / "snoop.html").read_text(encoding="utf-8")
    assert "found: []" in page, "the sandbox let the student see one of: " + ", ".join(SECRETS)


@pytest.mark.slow
def test_edited_and_deleted_tests_change_nothing(batch):
    edith = batch["by"]["edith"]
    assert edith.points["ch1_plug_saving"] == 0  # her deleted test cell ran from the source
    assert all(edith.points[x] == 0 for x in ORDER if x not in ("ch1_retention_counts", "ch1_expected_lifetime"))


@pytest.mark.slow
def test_visible_and_hidden_failures_are_told_apart(batch):
    lee = batch["by"]["lee_12345"]
    assert lee.tests["ch1_fedex_revenue"]["part"] == "hidden"
    assert lee.tests["ch1_fedex_revenue"]["message"] == "AssertionError: years_for_360k = 360,000 / one year of revenue"
    assert lee.tests["ch1_clv_value"]["part"] == "visible"
    assert lee.tests["ch1_clv_value"]["line"].startswith("assert 3600 < fedex_clv")
    assert lee.tests["ch1_retention_counts"] == {**lee.tests["ch1_retention_counts"], "passed": True, "message": ""}


@pytest.mark.slow
def test_gradebook_csv(batch):
    report = batch["report"]
    with open(report.gradebook, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student", "file", *ORDER, "total", "max", "status", "reason", "sha256"]
    got = {row["student"]: row for row in rows}
    for student, (_, _, status, total, _) in CLASS.items():
        assert got[student]["status"] == status
        assert float(got[student]["total"]) == total
        assert float(got[student]["max"]) == FULL
    assert sum(float(got["lee_12345"][x]) for x in ORDER) == CLASS["lee_12345"][3]
    assert got["zed"]["ch1_retention_counts"] == ""  # nothing was run
    assert report.to_frame().shape == (len(CLASS), len(ORDER) + 7)


@pytest.mark.slow
def test_feedback_pages(batch):
    report = batch["report"]
    pages = {p.stem: p.read_text(encoding="utf-8") for p in report.feedback_dir.glob("*.html")}
    assert set(pages) == {grading_report.safe_name(s) for s in CLASS}
    lee = pages["lee_12345"]
    assert "my retention: 0.925" in lee  # the student's own print is kept
    assert "A hidden test failed" in lee and "years_for_360k = 360,000 / one year of revenue" in lee
    assert "A visible test failed" in lee
    assert "output truncated" in pages["hugo"]
    assert "I give up" in pages["cris"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["xss"] and "<script" not in pages["xss"]
    assert "<img src=x" not in pages["xss"]
    for name, page in pages.items():
        leaked = [line for line in HIDDEN_LINES if line in page]
        assert not leaked, f"feedback of {name} shows hidden test code: {leaked[:2]}"


@pytest.mark.slow
def test_summary_and_histogram(batch):
    report = batch["report"]
    text = report.summary.read_text(encoding="utf-8")
    assert "![Score histogram](histogram.png)" in text
    assert "without the sandbox" not in text
    ran = [r for r in report.results if r.status in ("graded", "failed", "timeout")]
    passed = sum(1 for r in ran if r.tests["ch1_hundred_swap"]["passed"])
    assert f"| ch1_hundred_swap | 2 | {passed}/{len(ran)} |" in text
    assert report.histogram.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert report.counts() == {s: sum(1 for v in CLASS.values() if v[2] == s) for s in grading.STATUSES}


@pytest.mark.slow
def test_progress_bar(batch):
    err = batch["stderr"]
    last = err.strip().splitlines()[-1]
    counts = batch["report"].counts()
    assert last.startswith(f"grading [{'#' * 24}] {len(CLASS)}/{len(CLASS)}")
    assert f"{counts['graded']} graded · {counts['failed']} failed · {counts['timeout']} timed out" in last


@pytest.mark.parametrize(
    "name, expected",
    [
        (f"alice_{STEM}.ipynb", "alice"),
        ("alice.ipynb", "alice"),
        (f"{STEM}_alice.ipynb", "alice"),
        ("Alice-01-Why-Retention-Matters (2).ipynb", "Alice"),
        (f"smith_12345_67890_{STEM}.ipynb", "smith_12345"),
        (f"smith_late_12345_67890_{STEM}-1.ipynb", "smith_12345"),
        ("Ann Lee_123456_assignsubmission_file_", "Ann Lee_123456"),
        (f"Ann Lee_123456_assignsubmission_file_{STEM}.ipynb", "Ann Lee_123456"),
        ("bob", "bob"),
        (f"{STEM}.ipynb", STEM),
    ],
)
def test_student_id(name, expected):
    assert grading.student_id(name, STEM) == expected


def test_student_id_refuses_empty():
    with pytest.raises(ValueError, match="name must be a non-empty file or folder name"):
        grading.student_id("  ", STEM)
    with pytest.raises(ValueError, match="notebook must be a non-empty notebook name"):
        grading.student_id("alice.ipynb", "")


def test_find_submissions_folder_rules(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / f"{STEM}.ipynb").write_text("{}")
    (tmp_path / "ann" / "scratch.ipynb").write_text("{}")
    (tmp_path / "ann" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "ann" / ".ipynb_checkpoints" / f"{STEM}-checkpoint.ipynb").write_text("{}")
    (tmp_path / "bo").mkdir()
    (tmp_path / "bo" / "a.ipynb").write_text("{}")
    (tmp_path / "bo" / "b.ipynb").write_text("{}")
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / "essay.pdf").write_text("%PDF")
    (tmp_path / "dee.ipynb").write_text("{}")
    (tmp_path / f"dee_{STEM}.ipynb").write_text("{}")
    got = [(s, f, p) for s, f, _, p in grading.find_submissions(tmp_path, STEM)]
    assert got == [
        ("ann", f"ann/{STEM}.ipynb", ""),
        ("bo", "bo/", f"2 notebooks in the folder and not exactly one named like {STEM}.ipynb: a.ipynb, b.ipynb"),
        ("cy", "cy/", "no .ipynb notebook in the folder (found essay.pdf)"),
        ("dee", "dee.ipynb", ""),
        ("dee#2", f"dee_{STEM}.ipynb", ""),
    ]


# ---------------------------------------------------------------------------- refusals


def _cli(capsys, *args) -> tuple[int, str]:
    code = cli.main(["grade", *map(str, args)])
    err = capsys.readouterr().err
    return code, err


def test_cli_unknown_notebook_lists_allowed(capsys, tmp_path):
    code, err = _cli(capsys, "chapters/99_nothing", tmp_path)
    assert code == 2
    assert err.startswith("coursekit grade: error: notebook must be one of ") and f"'{NOTEBOOK}'" in err
    assert err.endswith("; got 'chapters/99_nothing'\n") and err.count("\n") == 1


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: d / "missing", "submissions '{p}' does not exist"),
        (lambda d: d, "submissions folder '{p}' is empty"),
        (lambda d: (d / "a.txt").write_text("x") and d, "submissions folder '{p}' holds no .ipynb notebook"),
        (lambda d: (d / "essay.pdf").write_text("x") and d / "essay.pdf",
         "submissions must be a folder, a .zip or an .ipynb file; '{p}' is not a notebook (.pdf)"),
        (lambda d: (d / "x.ipynb").write_text('{"cells": [') and d / "x.ipynb",
         "submissions '{p}': corrupt JSON (line 1, column 12: Expecting value)"),
        (lambda d: (d / "x.ipynb").write_text("[1, 2]") and d / "x.ipynb",
         "submissions '{p}': not a Jupyter notebook: the JSON has no 'cells' list or no 'nbformat' version"),
    ],
    ids=["missing", "empty-folder", "no-notebooks", "not-a-notebook", "corrupt-json", "json-not-notebook"],
)
def test_cli_refuses_bad_input_with_one_line(capsys, tmp_path, setup, message):
    subs = tmp_path / "subs"
    subs.mkdir()
    path = setup(subs)
    code, err = _cli(capsys, NOTEBOOK, path, "--out", tmp_path / "out")
    assert code == 2
    assert err == "coursekit grade: error: " + message.format(p=path) + "\n"


def test_cli_refuses_zip_without_notebooks(capsys, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    code, err = _cli(capsys, NOTEBOOK, archive, "--out", tmp_path / "out")
    assert (code, err) == (2, f"coursekit grade: error: submissions zip '{archive}' holds no .ipynb notebook\n")


def test_cli_refuses_broken_zip(capsys, tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04 definitely not a zip")
    code, err = _cli(capsys, NOTEBOOK, archive, "--out", tmp_path / "out")
    assert code == 2 and err.startswith(f"coursekit grade: error: submissions '{archive}' is not a readable zip file")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"jobs": 0}, ValueError, "jobs must be an integer >= 1, got 0"),
        ({"jobs": 1.5}, ValueError, "jobs must be a whole number, got 1.5"),
        ({"jobs": 1000}, ValueError, "jobs must be at most 256, got 1000"),
        ({"timeout": 0}, ValueError, r"timeout must be in \(0, inf\), got 0"),
        ({"timeout": float("nan")}, ValueError, "timeout must be a number, got NaN"),
        ({"memory_mb": 100}, ValueError, "memory_mb must be at least 512"),
        ({"progress": "yes"}, TypeError, "progress must be True, False or None, got 'yes'"),
    ],
)
def test_api_refuses_bad_arguments(tmp_path, kwargs, exc, match):
    (tmp_path / "a.ipynb").write_text("{}")
    with pytest.raises(exc, match=match):
        grading.grade_submissions(NOTEBOOK, tmp_path, tmp_path.parent / "out", **kwargs)


def test_api_refuses_out_dir_inside_submissions(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="out_dir .* must not lie inside the submissions folder"):
        grading.grade_submissions(NOTEBOOK, tmp_path, tmp_path / "grades")


def test_resolve_source_forms_and_errors():
    expected = ROOT / "solutions" / "chapters" / f"{STEM}.ipynb"
    for form in (NOTEBOOK, f"{NOTEBOOK}.ipynb", f"solutions/{NOTEBOOK}.ipynb", f"./{NOTEBOOK}", STEM, str(STUDENT)):
        assert grading.resolve_source(form) == expected
    with pytest.raises(ValueError,
                       match=r"notebook must be one of .*'chapters/01_why_retention_matters'.*; got 'cases/x'"):
        grading.resolve_source("cases/x")
    with pytest.raises(TypeError, match="notebook must be a string"):
        grading.resolve_source(3)


def test_unreadable_notebooks_are_told_apart():
    assert rebuild.read_submission(b"\xff\xfe\x00")[1] == "not a notebook: the file is not UTF-8 text"
    assert rebuild.read_submission(b"   ")[1] == "corrupt notebook: the file is empty"
    assert rebuild.read_submission(json.dumps({"cells": []}).encode())[1].startswith("not a Jupyter notebook")
    nb, problem = rebuild.read_submission(SOURCE.read_bytes())
    assert problem == "" and len(nb.cells) == len(SOURCE_NB.cells)


# ---------------------------------------------------------------------------- a tiny course


def _meta(gid, *, solution=False, grade=False, points=None):
    meta = {"grade": grade, "grade_id": gid, "locked": not solution, "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _tiny_course(root: Path) -> Path:
    """A course with one small notebook whose tests use a course helper and course data."""
    code, md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    cells = [
        code("import math\nbase = 21"),
        code("### BEGIN SOLUTION\nx = 2\n### END SOLUTION", metadata=_meta("a1", solution=True)),
        code("assert isinstance(x, int), 'x must be a whole number'\n### BEGIN HIDDEN TESTS\n"
             "assert math.isclose(x, 2.0), 'x is not 2'\n### END HIDDEN TESTS",
             metadata=_meta("t1", grade=True, points=1)),
        code("### BEGIN SOLUTION\ny = 42\n### END SOLUTION", metadata=_meta("a2", solution=True)),
        code("double = lambda v: 2 * v"),
        code("assert y == double(base), 'y is twice base'", metadata=_meta("t2", grade=True, points=1)),
        code("### BEGIN SOLUTION\nz = 3\n### END SOLUTION", metadata=_meta("a3", solution=True)),
        code("### BEGIN SOLUTION\nw = z + 1\n### END SOLUTION", metadata=_meta("a4", solution=True)),
        code("assert w == double(2)", metadata=_meta("t3", grade=True, points=1)),
        md("### BEGIN SOLUTION\nBecause retention compounds.\n### END SOLUTION",
           metadata=_meta("m1", solution=True, grade=True, points=2)),
    ]
    kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernelspec})
    folder = root / "solutions" / "chapters"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "99_tiny.ipynb")
    return folder / "99_tiny.ipynb"


def _tiny_submission(source: Path, answers: dict) -> bytes:
    """The tiny notebook with the given answers; every other answer cell keeps nbgrader's stub."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution"):
            stub = "# YOUR CODE HERE\nraise NotImplementedError()" if cell.cell_type == "code" else "YOUR ANSWER HERE"
            cell.source = answers.get(meta["grade_id"], stub)
    return nbformat.writes(nb).encode()


@pytest.mark.slow
@pytest.mark.usefixtures("sandbox")
class TestSmallBatches:
    """A zip export, a single notebook from the command line, a tiny course, grading without the sandbox."""

    def test_zip_export_with_wrapper_folder(self, tmp_path):
        archive = tmp_path / "export.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr(f"Chapter 1/Ann Lee_123456_assignsubmission_file_/{STEM}.ipynb", SOURCE.read_bytes())
            zf.writestr(f"Chapter 1/Bo Chen_654321_assignsubmission_file_/{STEM}.ipynb", STUDENT.read_bytes())
            zf.writestr("__MACOSX/._junk", b"\x00")
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        report = grading.grade_submissions(NOTEBOOK, archive, tmp_path / "out", jobs=2, timeout=60)
        got = {r.student: (r.status, r.total, r.file) for r in report.results}
        assert got == {
            "Ann Lee_123456": ("graded", FULL, f"export.zip:Ann Lee_123456_assignsubmission_file_/{STEM}.ipynb"),
            "Bo Chen_654321": ("graded", 0.0, f"export.zip:Bo Chen_654321_assignsubmission_file_/{STEM}.ipynb"),
        }
        assert hashlib.sha256(archive.read_bytes()).hexdigest() == digest

    def test_cli_grades_a_single_notebook(self, capsys, tmp_path):
        path = tmp_path / f"ada_{STEM}.ipynb"
        shutil.copy(SOURCE, path)
        code = cli.main(["grade", NOTEBOOK, str(path), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"])
        captured = capsys.readouterr()
        assert code == 0 and captured.err == ""
        assert captured.out.startswith(f"graded 1 submissions of {NOTEBOOK} in ")
        with open(tmp_path / "out" / "gradebook.csv", newline="", encoding="utf-8") as f:
            (row,) = list(csv.DictReader(f))
        assert (row["student"], row["status"], float(row["total"])) == ("ada", "graded", FULL)
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
            "feedback", "gradebook.csv", "histogram.png", "summary.md"]

    def test_tiny_course(self, tmp_path):
        source = _tiny_course(tmp_path / "course")
        honest = {"a1": "x = 2", "a2": "y = 42", "a3": "z = 3", "a4": "w = z + 1", "m1": "Because retention compounds."}
        subs = tmp_path / "subs"
        subs.mkdir()
        submissions = {
            "honest": honest,
            "stub": {"a1": "x = 2"},
            # rebinds a course helper bound just before a test, then answers to match the fake helper
            "helper": {**honest, "a3": "z = 41\ndouble = lambda v: 42"},
            # rebinds course data a test reads
            "data": {**honest, "a2": "base = 0\ny = 0"},
            # keeps re-patching math.isclose from a thread, also while the test runs
            "thread": {**honest, "a1": ("import math as m, threading, time\nx = 3\n"
                                        "def spin():\n    while True:\n        m.isclose = lambda *a, **k: True\n"
                                        "        time.sleep(0.0005)\n"
                                        "threading.Thread(target=spin, daemon=True).start()\ntime.sleep(0.05)")},
            # an answer object of a notebook-defined class: flagged for review
            "rigged": {**honest,
                       "a2": "class Always:\n    def __eq__(self, other):\n        return True\ny = Always()"},
        }
        for name, answers in submissions.items():
            (subs / f"{name}.ipynb").write_bytes(_tiny_submission(source, answers))
        report = grading.grade_submissions("chapters/99_tiny", subs, tmp_path / "out", jobs=2, timeout=60,
                                           root=tmp_path / "course")
        by = {r.student: r for r in report.results}
        assert report.questions == [("t1", 1.0, "auto"), ("t2", 1.0, "auto"), ("t3", 1.0, "auto"),
                                    ("m1", 2.0, "manual")]
        got = {s: (r.status, r.points) for s, r in by.items()}
        assert got["honest"] == ("graded", {"t1": 1.0, "t2": 1.0, "t3": 1.0, "m1": None})
        # the stub of every other answer stays: a2..a4 fail, the unanswered written answer scores 0
        assert got["stub"] == ("graded", {"t1": 1.0, "t2": 0.0, "t3": 0.0, "m1": 0.0})
        # the tests use the course's own helper and data, whatever the answer code rebinds
        assert got["helper"] == ("graded", {"t1": 1.0, "t2": 1.0, "t3": 0.0, "m1": None})
        assert got["data"] == ("graded", {"t1": 1.0, "t2": 0.0, "t3": 1.0, "m1": None})
        assert got["thread"][1]["t1"] == 0.0
        assert got["rigged"][1]["t2"] == 0.0
        assert "y (an object of class Always is not a value" in by["rigged"].reason
        assert by["honest"].total == 3.0 and by["honest"].reason == ""
        summary = report.summary.read_text(encoding="utf-8")
        assert "| m1 | 2 | graded by the teacher |" in summary


    def test_without_the_sandbox(self, tmp_path):
        source = _tiny_course(tmp_path / "course")
        subs = tmp_path / "subs"
        subs.mkdir()
        honest = {"a1": "x = 2", "a2": "y = 42", "a3": "z = 3", "a4": "w = z + 1", "m1": "Because."}
        (subs / "honest.ipynb").write_bytes(_tiny_submission(source, honest))
        (subs / "bad.ipynb").write_bytes(b"{")
        report = grading.grade_submissions("chapters/99_tiny", subs, tmp_path / "out", jobs=1, timeout=60,
                                           root=tmp_path / "course", sandbox=False)
        by = {r.student: r for r in report.results}
        assert (by["honest"].status, by["honest"].total) == ("graded", 3.0)
        assert by["honest"].reason == grading_report.NO_SANDBOX_WARNING
        assert by["bad"].status == "invalid" and "sandbox" not in by["bad"].reason  # nothing of it ran
        assert f"**{grading_report.NO_SANDBOX_WARNING}.**" in report.summary.read_text(encoding="utf-8")
        assert report.sandboxed is False


def test_missing_bubblewrap_is_refused_naming_the_package(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(grading_sandbox, "bwrap_path", lambda: None)
    code = cli.main(["grade", NOTEBOOK, str(SOURCE), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bubblewrap" in err and "sudo apt install bubblewrap" in err and "--no-sandbox" in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(grading_sandbox.SandboxUnavailable, match="bubblewrap"):
        grading.grade_submissions(NOTEBOOK, SOURCE, tmp_path / "out")


def test_sandbox_argument_is_checked(tmp_path):
    with pytest.raises(TypeError, match="sandbox must be True or False"):
        grading.grade_submissions(NOTEBOOK, SOURCE, tmp_path / "out", sandbox="no")


@pytest.mark.slow
@pytest.mark.usefixtures("sandbox")
class TestMeasureGrading:
    """The benchmark of ``coursekit bench``, on one submission (it generates the student notebooks and grades twice)."""

    def test_one_submission_scores_agree_with_nbgrader(self):
        m = grading.measure_grading(n=1, jobs=1)
        assert sorted(m) == ["coursekit_seconds", "jobs", "n", "nbgrader_seconds", "ratio", "scores_agree"]
        assert (m["n"], m["jobs"], m["scores_agree"]) == (1, 1, True)
        assert m["coursekit_seconds"] > 0 and m["nbgrader_seconds"] > 0


@pytest.mark.slow
@pytest.mark.usefixtures("sandbox")
def test_a_class_mixing_the_two_editions_is_graded_in_each_submissions_language(tmp_path):
    """Issue 15: the same command grades an English and a Chinese submission with the same grade_ids and points;
    each runs against the source in its own language, so its messages come in that language."""
    root = repo_root()
    english = root / "solutions" / "cases" / "03b_the_false_alarms.ipynb"
    chinese_student = root / "cases-zh" / "03b_the_false_alarms.ipynb"
    if not chinese_student.is_file():
        pytest.fail("the Chinese edition of Case 3B is missing: run `make release`")
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(english, subs / "alice.ipynb")                     # the English teacher's answers: full marks
    shutil.copy(chinese_student, subs / "chen.ipynb")              # a Chinese student who answered nothing
    report = grading.grade_submissions("cases/03b_the_false_alarms", subs, tmp_path / "out", jobs=2, timeout=60)
    rows = {r.student: r for r in report.results}
    assert rows["alice"].status == rows["chen"].status == "graded"
    assert rows["alice"].total == rows["alice"].max_points == rows["chen"].max_points
    assert rows["chen"].total == 0
    chen = (tmp_path / "out" / "feedback" / "chen.html").read_text(encoding="utf-8")
    alice = (tmp_path / "out" / "feedback" / "alice.html").read_text(encoding="utf-8")
    assert "尚未作答" in chen and "not answered yet" not in chen
    assert "尚未作答" not in alice
    # the page's own words are in the submission's language too
    assert rows["chen"].language == "zh-CN" and rows["alice"].language == "en"
    assert '<html lang="zh-CN">' in chen and "得分" in chen and "题目" in chen and "Question" not in chen
    assert '<html lang="en">' in alice and "Score" in alice and "得分" not in alice
