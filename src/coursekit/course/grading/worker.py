"""The grader's side of a grading process: start it (in the sandbox or not), send jobs, read replies.

A :class:`Runner` keeps one long-lived process of :mod:`coursekit.course.grading.runner` for one
phase (``answers`` or ``tests``).  It is started lazily, restarted after it dies (a student's code
may kill it), and killed, with everything inside its sandbox, when it stops answering or when the
batch ends.  The only thing read from it is one JSON line per job, validated here; the bytes a
student's run produced travel inside that line, base64-encoded, and are validated by the caller.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coursekit
from coursekit.course.grading.runner import RECORD_CAP
from coursekit.course.grading.sandbox import SandboxLimits, sandbox_argv

__all__ = ["OUTPUT_CAP", "PROCESSES", "START_TIMEOUT", "GRACE", "Runner", "RunnerDied", "describe_exit", "runner_env"]

#: Characters of printed output kept per answer cell.
OUTPUT_CAP = 200_000
#: Seconds a grading process may take to import the course's modules and run its opening cells.
START_TIMEOUT = 300.0
#: Processes and threads a grading sandbox may hold (the warm process, one student's run and its children).
PROCESSES = 32
#: Seconds the grader waits beyond a job's own time limit before it kills the process.
GRACE = 20.0


class RunnerDied(RuntimeError):
    """The grading process ended or stopped answering during a job."""


def describe_exit(code) -> str:
    """Say how a process ended, from a ``subprocess``-style return code.

    Examples
    --------
    >>> describe_exit(-9)
    'SIGKILL, killed, e.g. out of memory'
    >>> describe_exit(3)
    'exit code 3'
    """
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {"SIGKILL": "killed, e.g. out of memory", "SIGXCPU": "CPU time limit", "SIGSEGV": "crash",
                "SIGABRT": "abort", "SIGXFSZ": "file size limit"}.get(name, "")
        return f"{name}{', ' + hint if hint else ''}"
    return f"exit code {code}"


def runner_env(extra: dict | None = None) -> dict:
    """Environment of a grading process: this ``coursekit`` importable, threaded BLAS off, Agg plots."""
    package_parent = str(Path(coursekit.__file__).resolve().parents[1])  # the folder holding coursekit/
    env = {"PYTHONPATH": package_parent, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.update(extra or {})
    return env


class Runner:
    """One long-lived grading process for one phase.

    Parameters
    ----------
    setup : dict
        The process's set-up (role, opening cells, limits; see :mod:`~coursekit.course.grading.runner`).
    env : dict
        Extra environment variables (``COURSEKIT_DATA``...).
    readonly : list of Path
        Host paths the sandbox binds read-only (the course's ``datasets/``).
    memory_mb : int
        Address-space limit of the process (its children set their own).
    sandboxed : bool
        Run inside bubblewrap (:mod:`~coursekit.course.grading.sandbox`); without it the process runs
        with the teacher's rights (``--no-sandbox``).
    log : Path
        Where the process's stderr goes (for the teacher, when something breaks).
    """

    def __init__(self, setup: dict, env: dict, readonly: list, memory_mb: int, sandboxed: bool, log: Path):
        self.setup, self.env, self.readonly, self.sandboxed, self.log = setup, env, readonly, sandboxed, log
        self.memory_mb = memory_mb
        self.proc = None
        self.buffer = b""
        self.problems: list = []
        self.work = None
        self.jobs = 0
        self.eof = False

    def _command(self) -> tuple[list, dict | None]:
        argv = [sys.executable, "-m", "coursekit.course.grading.runner"]
        if not self.sandboxed:
            return argv, {**os.environ, **self.env}
        limits = SandboxLimits(memory_mb=self.memory_mb + 1024, cpu_seconds=24 * 3600, processes=PROCESSES,
                               file_mb=64, open_files=256, tmp_mb=512, wall_seconds=24 * 3600.0,
                               output_bytes=RECORD_CAP)
        return sandbox_argv(argv, readonly=self.readonly, limits=limits, env=self.env), None

    def _start(self) -> None:
        setup = dict(self.setup, sandboxed=self.sandboxed)
        if self.sandboxed:
            setup["work_root"] = "/tmp/grading"
        else:
            self.work = tempfile.mkdtemp(prefix="coursekit-grade-run-")
            setup["work_root"] = os.path.join(self.work, "run")
        command, env = self._command()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                         env=env, start_new_session=True, close_fds=True,
                                         cwd=self.work or "/")
        self.buffer = b""
        self.proc.stdin.write((json.dumps(setup) + "\n").encode())
        self.proc.stdin.flush()
        line = self._line(time.monotonic() + START_TIMEOUT)
        try:
            ready = json.loads(line) if line is not None else None
        except ValueError:
            ready = None
        if not isinstance(ready, dict) or ready.get("ready") is not True:
            self.kill()
            raise RuntimeError(f"the grading process did not start (see {self.log})")
        self.problems = [str(p) for p in ready.get("problems", [])][:20]

    def _line(self, deadline: float) -> bytes | None:
        """The next line from the process; None on timeout or when its output ends."""
        fd = self.proc.stdout.fileno()
        self.eof = False
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if ready:
                try:
                    chunk = os.read(fd, 1 << 20)
                except OSError:
                    chunk = b""
                if not chunk:
                    self.eof = True
                    return None
                self.buffer += chunk
                if len(self.buffer) > 2 * RECORD_CAP:  # a reply is at most 4/3 of RECORD_CAP
                    return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def run(self, job: dict, timeout: float) -> dict:
        """Send one job; return the validated reply (``exit``, ``timed_out``, ``truncated``, ``data``).

        Raises
        ------
        RunnerDied
            The process ended, or did not answer within ``timeout`` + :data:`GRACE` seconds; it is
            killed (with everything in its sandbox) and will be started again for the next job.
        """
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as exc:
            self.kill()
            raise RunnerDied(f"the grading process could not be reached ({exc})") from None
        line = self._line(time.monotonic() + timeout + GRACE)
        reply = None
        if line is not None:
            try:
                reply = json.loads(line)
            except ValueError:
                reply = None
        valid = (isinstance(reply, dict) and reply.get("job") == job["job"] and isinstance(reply.get("data"), str)
                 and type(reply.get("exit")) is int and type(reply.get("timed_out")) is bool)
        if not valid:
            if line is None and self.eof:  # its output ended: give the process a moment to exit
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            alive = self.proc.poll() is None
            code = self.proc.returncode
            if self.sandboxed and code is not None and 128 < code < 128 + 65:  # bwrap: 128 + the signal
                code = 128 - code
            self.kill()
            if alive:
                raise RunnerDied("the grading process stopped answering; it was killed")
            raise RunnerDied(f"the grading process ended ({describe_exit(code)})")
        self.jobs += 1
        return reply

    def kill(self) -> None:
        """Kill the process's group: bwrap, hence everything in the sandbox."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """End the process (stdin closed, then killed if it does not end)."""
        proc = self.proc
        if proc is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
