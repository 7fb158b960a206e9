"""Inside the grading sandbox: a warm process that runs a class's notebooks one student at a time.

``coursekit grade`` grades in two phases (see :mod:`coursekit.course.grading`); each worker keeps
one long-lived process per phase, started inside bubblewrap as ``python -m
coursekit.course.grading.runner``.  That process (the *zygote*) imports what the course's cells
import and runs the course's opening cells once; then, for each submission, it forks a child that
starts from that warm state, so a student's run does not pay for the imports again.

* ``answers`` (untrusted): the child runs the student's answer cells and the cells the student
  added, between the course's own cells, and at each *capture point* (the place of a test cell, or
  of a course cell that reads an answer) writes the values of the answer names there through
  :func:`coursekit.course.grading.codec.encode_answers`.  No test is ever sent to this process.
* ``tests`` (trusted code only): the child runs the source notebook's course cells and test cells
  (hidden tests included); at each capture point it injects the decoded values instead of running
  student code.  It reports, per test cell, whether it raised and on which line.

Between two students the zygote kills every process of the sandbox except itself and its
ancestors (it is their *child subreaper*, so a daemonised process is still found), reaps them and
deletes the work folder; a child cannot reach the zygote's memory (the zygote is not *dumpable*,
and the child holds no capability) nor its channel to the grader (the child closes it).  A child
that kills the zygote only ends the sandbox: the grader reports that submission as ``failed`` and
starts a new sandbox for the next.

Protocol: one JSON document per line on stdin (first the set-up, then one job per line); one JSON
line per job on stdout, written by the zygote only: ``{"job", "exit", "timed_out", "truncated",
"seconds", "data"}`` where ``data`` is the base64 of what the child wrote to its record pipe (JSON
lines; untrusted in the ``answers`` phase: the grader validates every record).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import ctypes
import json
import os
import resource
import select
import shutil
import signal
import sys
import time
import traceback

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from coursekit.course.grading.codec import NotAValue, decode_answers, encode_answers

__all__ = ["main", "RECORD_CAP"]

#: Bytes a child may write to its record pipe; the rest is dropped (the reply says ``truncated``).
RECORD_CAP = 96 * 1024 * 1024

_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
_IGNORED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPIPE", "SIGTSTP",
            "SIGTTIN", "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ")


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the sandbox is Linux only anyway
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Capped:
    """A text stream keeping at most ``cap`` characters (student prints, tracebacks)."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.used, self.dropped = cap, [], 0, 0

    def write(self, text) -> int:
        text = str(text)
        keep = text[: max(0, self.cap - self.used)]
        self.parts.append(keep)
        self.used += len(keep)
        self.dropped += len(text) - len(keep)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[output truncated: {self.dropped:,} more characters were not kept]\n"
        return out


class _Exit:
    """``exit()`` / ``quit()``: as in Jupyter, the kernel's run ends after this cell."""

    def __init__(self, shell):
        self.shell = shell

    def __repr__(self) -> str:
        return "Call exit() to end the notebook's run."

    def __call__(self, *args, **kwargs) -> None:
        self.shell.exit_now = True


def _shell():
    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    config.InteractiveShell.colors = "NoColor"
    config.InteractiveShell.xmode = "Plain"
    shell = InteractiveShell.instance(config=config)
    # as in Jupyter, exit() and quit() end the kernel's run (the rest of the notebook is not run)
    shell.user_ns["exit"] = shell.user_ns["quit"] = _Exit(shell)
    return shell


def _close_figures() -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        with contextlib.suppress(Exception):
            plt.close("all")


def _run_cell(shell, code: str, cap: int) -> dict:
    """Run one cell with IPython semantics; return status, error and what it printed."""
    stream = _Capped(cap)
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        try:
            result = shell.run_cell(code, store_history=False)
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt raised past IPython
            result = None
            error = exc
        else:
            error = result.error_before_exec or result.error_in_exec
    _close_figures()
    out = {"status": "ok" if error is None else "error", "out": stream.text()}
    if error is not None:
        out.update(ename=type(error).__name__, evalue=str(error)[:2000])
    return out


# ------------------------------------------------------------------------------------------ the two phases


def _answers_child(shell, job: dict, emit, cap: int) -> None:
    """Untrusted: run the student's cells and course cells, emit values at the capture points."""
    for step in job["steps"]:
        if step["op"] == "run":
            emit({"t": "start", "key": step["key"]})
            emit({"t": "cell", "key": step["key"], **_run_cell(shell, step["code"], cap)})
            if shell.exit_now:  # exit() or quit(): in Jupyter the kernel would stop here
                emit({"t": "exit", "key": step["key"]})
                return
        else:  # capture
            payload = encode_answers(shell.user_ns, step["names"])
            emit({"t": "capture", "point": step["point"], "payload": payload.decode("utf-8")})
    emit({"t": "end"})


def _test_lineno(error: BaseException, filename: str):
    """The line of the test cell that raised (the innermost frame compiled from the cell)."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _run_test(shell, code: str, grade_id: str) -> dict:
    """Run a test cell (trusted code) and report whether it raised, and where."""
    filename = f"<test cell {grade_id}>"
    sink = _Capped(10_000)
    try:
        tree = ast.parse(shell.transform_cell(code), filename)
        compiled = compile(tree, filename, "exec")
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            exec(compiled, shell.user_ns)  # noqa: S102 - the course's own test code
    except BaseException as error:  # noqa: BLE001 - a failing test is an error of any kind
        _close_figures()
        return {"status": "error", "ename": type(error).__name__, "evalue": str(error)[:2000],
                "lineno": _test_lineno(error, filename)}
    _close_figures()
    return {"status": "ok"}


def _tests_child(shell, steps: list, job: dict, emit) -> None:
    """Trusted: course cells and tests, with the student's decoded values injected."""
    values = job["values"]
    for step in steps:
        op = step["op"]
        if op == "inject":
            point = str(step["point"])
            if point not in values:  # the student's run stopped before this point
                answers, reason = {}, "the notebook stopped before this point"
            else:
                try:
                    answers, reason = decode_answers(base64.b64decode(values[point])), ""
                except ValueError as exc:
                    answers, reason = {}, f"malformed answer values ({exc})"
            for name in step["names"]:
                value = answers.get(name, NotAValue(reason or "not sent"))
                if isinstance(value, NotAValue):
                    shell.user_ns.pop(name, None)
                    emit({"t": "missing", "point": step["point"], "name": name, "reason": value.reason})
                else:
                    shell.user_ns[name] = value
        elif op == "run":
            result = _run_cell(shell, step["code"], 10_000)
            if result["status"] != "ok":
                emit({"t": "course", "key": step["key"], "ename": result.get("ename", "")})
        else:  # test
            emit({"t": "test", "grade_id": step["grade_id"], **_run_test(shell, step["code"], step["grade_id"])})
    emit({"t": "end"})


# ------------------------------------------------------------------------------------------ the zygote


def _ancestors() -> set[int]:
    """This process and its ancestors in the sandbox's PID namespace (never killed by the sweep)."""
    keep, pid = {os.getpid()}, os.getpid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        keep.add(pid)
    return keep


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _sweep(sandboxed: bool, child: int, keep: set[int]) -> None:
    """Kill everything a student's run left behind.

    In the sandbox that is every process but the zygote and its ancestors (the sandbox's PID
    namespace holds nothing else); without a sandbox, the child's session only.
    """
    for _ in range(200):
        if sandboxed:
            victims = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in keep]
        else:
            victims = [child]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                (os.kill if sandboxed else os.killpg)(pid, signal.SIGKILL)
        _reap()
        if not sandboxed or not victims:
            return
        time.sleep(0.005)


def _wipe(folder: str) -> None:
    def unlock(function, path, _):
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path) or path, 0o700)
            os.chmod(path, 0o700)
        with contextlib.suppress(OSError):
            function(path)

    shutil.rmtree(folder, onerror=unlock)


#: The sandbox's writable places, cleaned between two students.
_WRITABLE = ("/tmp", "/dev/shm")


def _snapshot() -> set[str]:
    """Every path under the writable places, not descending into mount points (the read-only binds)."""
    paths = set()
    for root in _WRITABLE:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(folder, d))]
            paths.update(os.path.join(folder, name) for name in dirs + files)
    return paths


def _restore(baseline: set[str]) -> None:
    """Remove whatever a run added under the writable places (deepest first)."""
    for path in sorted(_snapshot() - baseline, key=lambda p: p.count("/"), reverse=True):
        parent = os.path.dirname(path)
        if parent not in _WRITABLE:  # a folder the run made read-only (the roots keep their modes)
            with contextlib.suppress(OSError):
                os.chmod(parent, 0o700)
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.unlink(path)


def _child(setup: dict, shell, job: dict, write_fd: int, reply_fd: int, work: str) -> None:  # pragma: no cover
    """In the forked child: close the grader's channels, set the limits, run the job, exit."""
    code = 0
    try:
        os.setsid()
        os.close(reply_fd)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        for name in _IGNORED:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        memory = int(setup["memory_mb"]) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(setup["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        os.makedirs(work, mode=0o700)
        os.chdir(work)
        shell.user_ns["__file__"] = os.path.join(work, "notebook.ipynb")

        def emit(record: dict) -> None:
            _write_all(write_fd, (json.dumps(record, allow_nan=True) + "\n").encode("utf-8", "replace"))

        if setup["role"] == "answers":
            _answers_child(shell, job, emit, int(setup["output_cap"]))
        else:
            _tests_child(shell, setup["steps"], job, emit)
    except BaseException:  # noqa: BLE001 - report nothing more; the grader sees the missing "end"
        code = 70
        with contextlib.suppress(Exception):
            sys.__stderr__.write(traceback.format_exc())
    finally:
        os._exit(code)


def _run_job(setup: dict, shell, job: dict, reply_fd: int, keep: set[int], baseline: set[str]) -> dict:
    """Fork one child for one job; collect its records; clean up everything it left."""
    timeout = float(setup["timeout"])
    work = os.path.join(setup["work_root"], f"job-{int(job['job'])}")
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child(setup, shell, job, write_fd, reply_fd, work)
    os.close(write_fd)
    data, truncated, timed_out, status = bytearray(), False, False, None
    deadline = start + timeout
    eof = False
    while status is None or not eof:
        if status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
                deadline = min(deadline, time.monotonic() + 2.0)  # what is still in the pipe
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if status is None:
                timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], min(remaining, 0.05 if status is None else remaining))
        if ready and not eof:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                eof = True
            elif len(data) < RECORD_CAP:
                data += chunk[: RECORD_CAP - len(data)]
                truncated = truncated or len(data) >= RECORD_CAP
            else:
                truncated = True
        elif eof:
            time.sleep(0.01)
    seconds = time.monotonic() - start
    if status is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    _sweep(setup["sandboxed"], pid, keep)
    os.close(read_fd)
    if setup["sandboxed"]:  # the sandbox's /tmp and /dev/shm are private: nothing may pass to the next student
        _restore(baseline)
    else:
        _wipe(work)
    _reap()
    code = os.waitstatus_to_exitcode(status)
    return {"job": job["job"], "exit": code, "timed_out": timed_out, "truncated": truncated,
            "seconds": round(seconds, 4), "data": base64.b64encode(bytes(data)).decode("ascii")}


def main() -> None:
    """The zygote: read the set-up, warm up, then one job per stdin line until stdin ends."""
    reply_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nothing but the zygote's replies may reach the grader's channel
    setup = json.loads(sys.stdin.readline())
    _prctl(_PR_SET_DUMPABLE, 0)
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    for name in _IGNORED:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    os.makedirs(setup["work_root"], mode=0o700, exist_ok=True)
    baseline = _snapshot() if setup["sandboxed"] else set()  # what bwrap made (the parents of its binds), work_root
    os.chdir(setup["work_root"])
    shell = _shell()
    problems = []
    for i, code in enumerate(setup["prefix"]):
        result = _run_cell(shell, code, 10_000)
        if result["status"] != "ok":
            problems.append(f"course cell {i + 1}: {result.get('ename')}: {result.get('evalue', '')[:200]}")
    sys.stdout.flush()
    keep = _ancestors()
    _write_all(reply_fd, (json.dumps({"ready": True, "problems": problems}) + "\n").encode())
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        reply = _run_job(setup, shell, job, reply_fd, keep, baseline)
        _write_all(reply_fd, (json.dumps(reply) + "\n").encode())


if __name__ == "__main__":
    main()
