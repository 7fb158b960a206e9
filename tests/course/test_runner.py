"""The warm grading process, attacked directly: what one student's run can reach of the next.

Each test starts a real :class:`~coursekit.course.grading.worker.Runner` in the sandbox (answers
phase, no opening cells) and sends it jobs whose "student code" attacks the process that forked it,
then looks at what the next job sees.
"""

from __future__ import annotations

import base64
import json

import pytest

from coursekit.course.grading import worker
from coursekit.course.grading.worker import Runner, RunnerDied, runner_env

pytestmark = pytest.mark.usefixtures("sandbox")


def _records(reply: dict) -> list[dict]:
    return [json.loads(line) for line in base64.b64decode(reply["data"]).splitlines() if line.strip()]


def _printed(reply: dict) -> str:
    return "".join(r.get("out", "") for r in _records(reply) if r["t"] == "cell")


@pytest.fixture
def runner(tmp_path):
    setup = {"role": "answers", "prefix": ["import os, sys"], "memory_mb": 1024, "cpu_seconds": 30,
             "timeout": 5, "output_cap": 100_000}
    r = Runner(setup, runner_env(), [], 1024, True, tmp_path / "runner.log")
    yield r
    r.close()


def job(n: int, code: str) -> dict:
    return {"job": n, "steps": [{"op": "run", "key": "answer:a", "code": code}]}


def test_a_run_cannot_reach_the_process_that_forked_it(runner):
    code = (
        "import ctypes, os\n"
        "parent = os.getppid()\n"
        "for what in ('mem', 'fd/1', 'fd/0', 'environ'):\n"
        "    try:\n"
        "        open(f'/proc/{parent}/{what}', 'rb').close()\n"
        "        print(what, 'OPENED')\n"
        "    except OSError as e:\n"
        "        print(what, type(e).__name__)\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "print('ptrace', libc.ptrace(16, parent, 0, 0), ctypes.get_errno() != 0)\n"  # PTRACE_ATTACH
    )
    printed = _printed(runner.run(job(1, code), 5))
    assert "OPENED" not in printed, printed
    assert "ptrace -1 True" in printed
    assert _printed(runner.run(job(2, "print('still here')"), 5)) == "still here\n"


def test_nothing_of_one_run_is_left_for_the_next(runner):
    leave = (
        "import os, time\n"
        "open('/tmp/for_the_next.txt', 'w').write('psst')\n"
        "open('/dev/shm/shared', 'w').write('psst')\n"
        "open('mine.txt', 'w').write('psst')\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n"
        "time.sleep(0.2)\n"
        "print(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
    )
    look = (
        "import os\n"
        "print(os.path.exists('/tmp/for_the_next.txt'), sorted(os.listdir('/dev/shm')), sorted(os.listdir('..')))\n"
        "print(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
    )
    first = _printed(runner.run(job(1, leave), 5))
    second = _printed(runner.run(job(2, look), 5)).splitlines()
    assert second[0] == "False [] ['job-2']", second
    assert int(second[1]) < int(first), (first, second)  # the daemon is gone


def test_a_run_that_kills_its_process_ends_only_that_sandbox(runner):
    with pytest.raises(RunnerDied, match="ended"):
        runner.run(job(1, "import os, signal\nos.kill(-1, signal.SIGKILL)"), 5)
    assert _printed(runner.run(job(2, "print(6 * 7)"), 5)) == "42\n"  # a new process, started for the next


def test_a_stopped_process_is_killed_after_the_time_limit(runner, monkeypatch):
    monkeypatch.setattr(worker, "GRACE", 1.0)
    with pytest.raises(RunnerDied, match="stopped answering"):
        runner.run(job(1, "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)"), 2)
    assert _printed(runner.run(job(2, "print('next')"), 5)) == "next\n"


def test_timeouts_and_exit_codes_are_reported(runner):
    reply = runner.run(job(1, "while True: pass"), 5)
    assert reply["timed_out"] is True  # the process kills the run at its own limit (5 s) and answers
    reply = runner.run(job(2, "import os\nos._exit(3)"), 5)
    assert (reply["timed_out"], reply["exit"]) == (False, 3)
