"""The worker: one submission, one process, one kernel.

:class:`Slot` keeps one long-lived worker process (``python -c "...worker_main()"``) that
preloads the modules the course's cells import, then runs one job at a time: each rebuilt
notebook in its own kernel, forked from the warm worker (or started by jupyter_client),
with its own session, temporary folder, resource limits and time limit, and the in-kernel
guard of :mod:`coursekit.course.grading.guard` between the cells.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import json
import os
import queue
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ipykernel.kernelapp import IPKernelApp
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_client import KernelManager
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_core import utils as jupyter_core_utils

import coursekit
from coursekit.course.grading.guard import GUARD_CALL, GUARD_CONFIG, GUARD_SOURCE
from coursekit.course.grading.source import Source

__all__ = [
    "SOCKET_PATH_MAX", "OUTPUT_CAP", "TRACEBACK_CAP", "WORKER_GRACE",
    "work_folder_parent", "worker_main", "worker_env", "Slot", "preload_modules",
]


#: Longest path a Unix socket may have (``sun_path`` holds 108 bytes with its NUL on Linux).
SOCKET_PATH_MAX = 107


def work_folder_parent() -> str | None:
    """Where a batch's work folder goes: the temp folder, or ``/tmp`` when that is too deep.

    Each kernel talks over Unix sockets at ``<work>/jobNNNN/k-N``; under a deep temporary folder
    (pytest's, or a teacher's long ``TMPDIR``) that path exceeds :data:`SOCKET_PATH_MAX` and the
    kernel cannot start.  Returns None (use :func:`tempfile.gettempdir`) or ``"/tmp"``.
    """
    longest = len(tempfile.gettempdir()) + len("/coursekit-grade-12345678/job0000/k-00")
    return "/tmp" if longest > SOCKET_PATH_MAX - 7 and os.path.isdir("/tmp") else None


#: Characters of output kept per answer cell (text and images together).
OUTPUT_CAP = 200_000
#: Characters of an error traceback kept per answer cell.
TRACEBACK_CAP = 20_000
#: Seconds the main process waits beyond ``timeout`` before killing a worker.
WORKER_GRACE = 45.0

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Timeout(Exception):
    pass


class _KernelDied(Exception):
    pass


class _Outputs:
    """Collect a cell's outputs, keeping at most ``cap`` characters."""

    def __init__(self, cap: int):
        self.items: list = []
        self.used = 0
        self.cap = cap
        self.dropped = 0

    def _room(self, n: int) -> int:
        return max(0, self.cap - self.used) if n > 0 else 0

    def _text(self, name: str, text: str) -> None:
        keep = text[: self._room(len(text))]
        self.dropped += len(text) - len(keep)
        if not keep:
            return
        self.used += len(keep)
        if self.items and self.items[-1].get("type") == "stream" and self.items[-1]["name"] == name:
            self.items[-1]["text"] += keep
        else:
            self.items.append({"type": "stream", "name": name, "text": keep})

    def add(self, msg: dict) -> None:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            self._text(content.get("name", "stdout"), str(content.get("text", "")))
        elif kind in ("display_data", "execute_result"):
            data = content.get("data", {})
            png = data.get("image/png")
            if isinstance(png, str) and len(png) <= self._room(len(png)):
                self.used += len(png)
                self.items.append({"type": "image", "png": png})
            elif "text/plain" in data:
                self._text("result", str(data["text/plain"]) + "\n")
            elif png is not None:
                self.dropped += len(png)
        elif kind == "error":
            tb = _ANSI.sub("", "\n".join(content.get("traceback", [])))
            if len(tb) > TRACEBACK_CAP:
                tb = tb[:TRACEBACK_CAP] + "\n[... traceback truncated]"
            self.items.append({"type": "error", "ename": str(content.get("ename", "")),
                               "evalue": str(content.get("evalue", ""))[:2000], "traceback": tb})
        elif kind == "clear_output":
            self.items.clear()
            self.used = 0

    def final(self) -> list:
        if self.dropped:
            self.items.append({"type": "stream", "name": "note",
                               "text": f"[output truncated: {self.dropped:,} more characters were not kept]\n"})
        return self.items


def _execute(kc, km, code, deadline, *, silent=False, store_history=True, user_expressions=None, sink=None):
    """Run code in the kernel; return the execute reply's content."""
    msg_id = kc.execute(code, silent=silent, store_history=store_history, user_expressions=user_expressions or {},
                        allow_stdin=False, stop_on_error=False)
    idle, reply = False, None
    while not idle or reply is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Timeout
        try:
            wait = min(remaining, 0.5)
            msg = kc.get_iopub_msg(timeout=wait) if not idle else kc.get_shell_msg(timeout=wait)
        except queue.Empty:
            if not km.is_alive():
                raise _KernelDied from None
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if not idle:
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif sink is not None:
                sink.add(msg)
        elif msg["msg_type"] == "execute_reply":
            reply = msg["content"]
    return reply


def _guard(kc, km, deadline, steps):
    """Call the in-kernel guard with a list of (name, args) steps.

    Returns one answer dict per step, or None if the guard is gone or broken.
    """
    expr = GUARD_CALL.format(steps=[(name, args) for name, args in steps])
    reply = _execute(kc, km, "", deadline, silent=True, store_history=False, user_expressions={"g": expr})
    value = reply.get("user_expressions", {}).get("g", {})
    if value.get("status") != "ok":
        return None
    try:
        out = ast.literal_eval(value.get("data", {}).get("text/plain", ""))
    except (ValueError, SyntaxError):
        return None
    if not isinstance(out, list) or len(out) != len(steps) or not all(isinstance(x, dict) for x in out):
        return None
    return out


def _kill_group(pid) -> None:
    if not pid:
        return
    try:
        os.killpg(int(pid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _describe_exit(code) -> str:
    """Say how a process ended, from a ``subprocess``-style return code."""
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


def _session_leader(pid: int) -> bool:
    """Whether ``pid`` still leads its own session and process group (as a grading kernel does).

    A kernel whose worker died is reaped by ``init``, and its pid may be
    reused; a reused pid is very unlikely to lead a session of its own.  Where
    there is no ``/proc`` this cannot be checked and the answer is True.
    """
    if not os.path.isdir("/proc/self"):
        return True
    try:
        with open(f"/proc/{int(pid)}/stat", encoding="utf-8", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return False
    try:
        return int(fields[2]) == int(pid) and int(fields[3]) == int(pid)  # process group, session
    except (ValueError, IndexError):
        return False


def _set_limits(memory_mb: int, timeout: float) -> None:
    """Resource limits of a grading kernel (set in the kernel's own process)."""
    limit = int(memory_mb) * 2**20
    hard_as = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard_as != resource.RLIM_INFINITY:
        limit = min(limit, hard_as)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = int(timeout) + 30
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 2**20, 512 * 2**20))


_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]


class _ForkedKernel:
    """A kernel forked from the warm worker: its own process, session, folder and limits.

    The worker has already imported the modules the notebook needs, so the
    kernel starts without paying for those imports again.  The kernel is the
    worker's child: the worker reaps it, so its pid cannot be reused while the
    worker may still kill its process group.
    """

    def __init__(self, job: Path, work: Path, env: dict, memory_mb: int, timeout: float):
        self.status = None
        conn = str(job / "kernel.json")
        write_connection_file(fname=conn, transport="ipc", ip=str(job / "k"))
        log = os.open(job / "kernel.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        devnull = os.open(os.devnull, os.O_RDONLY)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the kernel process
            code = 1
            try:
                os.setsid()
                os.dup2(devnull, 0)
                os.dup2(log, 1)
                os.dup2(log, 2)
                os.closerange(3, 65536)
                os.chdir(work)
                os.environ.update(env)
                _set_limits(memory_mb, timeout)
                loop = asyncio.new_event_loop()  # never reuse the worker's event loop
                asyncio.set_event_loop(loop)
                try:
                    jupyter_core_utils._loop.set(loop)
                except Exception:  # noqa: BLE001
                    pass
                sys.argv = ["ipykernel_launcher", "-f", conn, *_KERNEL_ARGS]
                IPKernelApp.launch_instance(argv=sys.argv[1:])
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:  # noqa: BLE001
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(log)
        os.close(devnull)
        self.pid = pid
        self.kc = BlockingKernelClient(connection_file=conn)
        self.kc.load_connection_file()
        self.kc.start_channels()

    def is_alive(self) -> bool:
        if self.status is not None:
            return False
        try:
            done, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            self.status = -1
            return False
        if done == 0:
            return True
        self.status = status
        return False

    def death(self) -> str:
        if self.is_alive():
            return "still running"
        if self.status is None or self.status == -1:
            return "exit status unknown"
        return _describe_exit(os.waitstatus_to_exitcode(self.status))

    def close(self) -> None:
        try:
            self.kc.stop_channels()
            self.kc.context.destroy(linger=0)
        except Exception:  # noqa: BLE001
            pass
        _kill_group(self.pid)  # the kernel and anything it started
        if self.status is None:
            try:
                _, self.status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                self.status = -1


class _SpawnedKernel:
    """A kernel started by jupyter_client (where ``fork`` is not available or failed)."""

    def __init__(self, job: Path, work: Path, env: dict, memory_mb: int, timeout: float):
        env = {**os.environ, **env}
        env.pop("JPY_PARENT_PID", None)
        self.km = KernelManager(kernel_name="python3", transport="ipc", ip=str(job / "k"))
        self.km.connection_file = str(job / "kernel.json")
        self.km.start_kernel(cwd=str(work), env=env, extra_arguments=_KERNEL_ARGS,
                             preexec_fn=lambda: _set_limits(memory_mb, timeout))
        self.pid = self.km.provisioner.pid
        self.kc = self.km.client()
        self.kc.start_channels()

    def is_alive(self) -> bool:
        return bool(self.km.is_alive())

    def death(self) -> str:
        proc = getattr(self.km.provisioner, "process", None)
        code = None
        if proc is not None:
            try:
                code = proc.wait(timeout=2)
            except Exception:  # noqa: BLE001
                code = proc.returncode
        return _describe_exit(code)

    def close(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass
        _kill_group(self.pid)
        proc = getattr(self.km.provisioner, "process", None)
        if proc is not None:
            try:
                proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                pass
        try:
            self.km.cleanup_resources()
        except Exception:  # noqa: BLE001
            pass


def _wait_ready(kernel, deadline: float) -> None:
    """Wait until the kernel answers; fail fast if it exits during start-up."""
    while True:
        if not kernel.is_alive():
            raise RuntimeError(f"the kernel exited during start-up ({kernel.death()})")
        try:
            kernel.kc.wait_for_ready(timeout=max(0.5, min(2.0, deadline - time.monotonic())))
            return
        except RuntimeError:
            if time.monotonic() >= deadline:
                raise


def _can_fork() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and os.environ.get("COURSEKIT_GRADE_FORK", "1") != "0")


def _run_job(spec: dict) -> dict:
    """Run one rebuilt notebook in a fresh, resource-limited kernel (inside a worker)."""
    job = Path(spec["job_dir"])
    work = job / "work"
    work.mkdir(parents=True, exist_ok=True)
    timeout = float(spec["timeout"])
    cells = spec["cells"]
    results = [{"status": "not run"} for _ in cells]
    out = {"status": "graded", "reason": "", "cells": results, "notes": [], "seconds": 0.0}
    env = dict(spec["env"])
    env["IPYTHONDIR"] = str(job / "ipython")
    env["JPY_PARENT_PID"] = str(os.getpid())
    kernel = None
    current = "kernel start"
    start = time.monotonic()
    deadline = start + timeout
    try:
        kinds = [_ForkedKernel, _SpawnedKernel] if _can_fork() else [_SpawnedKernel]
        for n, kind in enumerate(kinds):
            try:
                kernel = kind(job, work, env, spec["memory_mb"], timeout)
                (job / "kernel.pid").write_text(str(kernel.pid))
                _wait_ready(kernel, min(deadline, time.monotonic() + 60.0))
                break
            except Exception as exc:  # noqa: BLE001 - try the next way of starting a kernel
                if kernel is not None:
                    kernel.close()
                    kernel = None
                if time.monotonic() >= deadline:
                    raise _Timeout from None
                if n == len(kinds) - 1:
                    out.update(status="error", reason=f"could not start a kernel: {type(exc).__name__}: {exc}")
                    return out
        kc = kernel.kc
        config = dict(GUARD_CONFIG, protected_data=spec["protected_data"], protected_tools=spec["protected_tools"])
        install = GUARD_SOURCE + f"\n_coursekit_guard_install({config!r})\ndel _coursekit_guard_install\n"
        reply = _execute(kc, kernel, install, deadline, silent=True, store_history=False)
        if reply.get("status") != "ok":
            out.update(status="error", reason="the grading guard could not be installed: "
                                              f"{reply.get('ename')}: {reply.get('evalue')}")
            return out
        guard_ok = True
        dirty = False  # an answer cell ran since the guard last restored the environment
        after = None  # index of a test cell whose after_test step is still to be sent
        for i, cell in enumerate(cells):
            current = cell["label"]
            kind = cell["kind"]
            res = results[i]
            steps = [("after_test", {})] if after is not None else []
            if kind == "answer":
                if not dirty:
                    steps.append(("before_answer", {}))
                dirty = True
            elif dirty or kind == "test":
                steps.append(("before_course", {"test": kind == "test", "reads": cell.get("reads", [])}))
                dirty = False
            if steps and guard_ok:
                answers = _guard(kc, kernel, deadline, steps)
                if answers is None:
                    guard_ok = False
                    out["notes"].append(f"the grading guard stopped answering before {current} "
                                        "(disabled by answer code?): later tests score 0")
                    if after is not None:
                        results[after]["tampered"] = ["the grading guard stopped answering"]
                else:
                    if after is not None:
                        first = answers.pop(0)
                        results[after]["lineno"] = first.get("lineno")
                        if first.get("notes"):
                            results[after]["tampered"] = first["notes"]
                    for answer in answers:
                        out["notes"] += [n for n in answer.get("notes", []) if n not in out["notes"]]
            elif after is not None:
                results[after]["tampered"] = ["the test environment could not be verified"]
            after = None
            print(_PROTOCOL, "cell", current, flush=True)  # the grader names this cell if the worker dies
            sink = _Outputs(int(spec["output_cap"])) if kind == "answer" else None
            t0 = time.monotonic()
            res["status"] = "running"
            reply = _execute(kc, kernel, cell["code"], deadline, store_history=kind != "test", sink=sink)
            res.update(status=reply.get("status", "error"), seconds=time.monotonic() - t0)
            if res["status"] != "ok":
                res.update(ename=str(reply.get("ename", "")), evalue=str(reply.get("evalue", ""))[:2000])
            if sink is not None:
                res["outputs"] = sink.final()
            if kind == "test":
                after = i
        if after is not None:
            if guard_ok:
                answers = _guard(kc, kernel, deadline, [("after_test", {})])
                if answers is None:
                    results[after]["tampered"] = ["the grading guard stopped answering"]
                else:
                    results[after]["lineno"] = answers[0].get("lineno")
                    if answers[0].get("notes"):
                        results[after]["tampered"] = answers[0]["notes"]
            else:
                results[after]["tampered"] = ["the test environment could not be verified"]
    except (_Timeout, _KernelDied) as exc:
        for r in results:
            if r["status"] == "running":
                r["status"] = "interrupted"
        died = isinstance(exc, _KernelDied) or (kernel is not None and not kernel.is_alive())
        death = kernel.death() if died and kernel is not None else ""
        if not died or death.startswith("SIGXCPU"):  # a loop that used up its CPU time is a timeout too
            limit = "CPU time limit" if died else "time limit"
            out.update(status="timeout", reason=f"stopped after {timeout:g} s ({limit}) while running {current}")
        else:
            out.update(status="failed", reason=f"the kernel died while running {current} ({death})")
    except MemoryError:
        for r in results:
            if r["status"] == "running":
                r["status"] = "interrupted"
        out.update(status="failed", reason=f"the output of {current} was too large to receive (memory limit)")
    except Exception as exc:  # noqa: BLE001 - the worker must always report
        out.update(status="error", reason=f"grader error while running {current}: {type(exc).__name__}: {exc}")
    finally:
        out["seconds"] = time.monotonic() - start
        if kernel is not None:
            kernel.close()
    return out


_PROTOCOL = "@@coursekit-grade"


def worker_main() -> None:
    """A grading worker: preload the notebook's modules once, then run jobs read from stdin.

    Protocol (one JSON document per line on stdin): first ``{"preload": [...],
    "memory_mb": N}``, then one job spec per line.  The worker answers
    ``@@coursekit-grade ready`` once, ``@@coursekit-grade cell <label>`` before
    each cell it runs (so that the grader can name the cell if the worker
    dies), then ``@@coursekit-grade done`` after writing each job's
    ``result.json``.  It exits at the end of stdin.
    """
    init = json.loads(sys.stdin.readline())
    for name in init.get("preload", []):
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - a module that cannot be preloaded is imported by the kernel itself
            pass
    # the worker itself is limited too: a flood of output cannot take the machine's memory
    limit = int(init["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    print(_PROTOCOL, "ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        spec = json.loads(line)
        try:
            result = _run_job(spec)
        except KeyboardInterrupt:  # the worker runs in a session of its own: only the notebook can signal it
            result = {"status": "failed", "reason": "the notebook's code interrupted its grading worker (SIGINT)",
                      "cells": [], "notes": [], "seconds": 0.0}
        except BaseException as exc:  # noqa: BLE001
            result = {"status": "error", "reason": f"grader error: {type(exc).__name__}: {exc}", "cells": [],
                      "notes": [], "seconds": 0.0}
        target = Path(spec["job_dir"]) / "result.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(result), encoding="utf-8")
        tmp.replace(target)
        print(_PROTOCOL, "done", flush=True)


def worker_env(extra: dict | None = None) -> dict:
    """Environment of a grading worker: this ``coursekit`` first on PYTHONPATH, this Python's ``bin`` first on PATH."""
    env = dict(os.environ)
    package_parent = str(Path(coursekit.__file__).resolve().parents[1])  # the folder holding coursekit/ (src/)
    env["PYTHONPATH"] = package_parent + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


class Slot:
    """One long-lived worker process; runs one job at a time.

    The worker is started lazily, restarted after it dies or is killed (a hung
    job), and killed with its current kernel when the batch is interrupted.
    """

    def __init__(self, init: dict, env: dict, log: Path):
        self.init, self.env, self.log = init, env, log
        self.proc = None
        self.job = None
        self.buffer = b""
        self.ended = False
        self.current = ""  # the cell the worker said it is running

    def _line(self, deadline: float) -> str | None:
        """Next protocol line from the worker; None on timeout or if the worker ended (then ``self.ended``)."""
        proc = self.proc
        self.ended = False
        if proc is None:
            return None
        fd = proc.stdout.fileno()
        while True:
            while b"\n" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\n", 1)
                text = raw.decode(errors="replace").strip()
                if text.startswith(_PROTOCOL + " cell "):
                    self.current = text[len(_PROTOCOL + " cell "):][:200]
                elif text.startswith(_PROTOCOL):
                    return text[len(_PROTOCOL):].strip()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:  # end of the worker's output: it ended (or is ending)
                    self.ended = True
                    return None
                self.buffer += chunk

    def _start(self) -> None:
        code = "from coursekit.course.grading.worker import worker_main; worker_main()"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=log, env=self.env, start_new_session=True)
        self.buffer = b""
        self.proc.stdin.write((json.dumps(self.init) + "\n").encode())
        self.proc.stdin.flush()
        if self._line(time.monotonic() + 300) != "ready":
            self.kill()
            raise RuntimeError(f"the grading worker did not start (see {self.log})")

    def run(self, spec: dict, timeout: float) -> dict:
        job = Path(spec["job_dir"])
        job.mkdir(parents=True, exist_ok=True)
        try:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            self.job = job
            self.current = ""
            self.proc.stdin.write((json.dumps(spec) + "\n").encode())
            self.proc.stdin.flush()
        except (OSError, RuntimeError) as exc:
            self.kill()
            return {"status": "error", "reason": f"grader error: {exc}", "cells": [], "notes": [], "seconds": 0.0}
        proc = self.proc
        started = time.monotonic()
        answer = self._line(started + timeout + WORKER_GRACE)
        self.job = None
        if answer == "done" and (job / "result.json").exists():
            return json.loads((job / "result.json").read_text(encoding="utf-8"))
        if self.ended:  # its output closed: the worker is ending; give it a moment to be reaped
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:  # hung: kill its kernel and the worker
            self.kill(job)
            if self.ended:
                return {"status": "failed", "cells": [], "notes": [], "seconds": time.monotonic() - started,
                        "reason": "the grading worker closed its output and stopped answering while running "
                                  "this notebook; the worker and the kernel were killed"}
            return {"status": "timeout", "reason": f"stopped after {timeout:g} s (time limit); the worker was killed",
                    "cells": [], "notes": [], "seconds": timeout + WORKER_GRACE}
        # the worker died during the job: the notebook killed it (or the machine ran out of memory); its kernel,
        # now an orphan, goes too
        code = proc.returncode
        self.proc = None
        self._kill_orphan(job)
        where = self.current or "the notebook"
        return {"status": "failed", "cells": [], "notes": [], "seconds": time.monotonic() - started,
                "reason": f"the kernel died with its grading worker while running {where} ({_describe_exit(code)})"}

    @staticmethod
    def _kill_orphan(job: Path) -> None:
        """Kill the process group of a job's kernel whose worker is gone, if that kernel still runs."""
        pid_file = job / "kernel.pid"
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        if pid > 1 and _session_leader(pid):
            _kill_group(pid)

    def kill(self, job: Path | None = None) -> None:
        """Kill the worker's current kernel's process group, then the worker's."""
        proc, job = self.proc, job or self.job
        self.proc = None
        if proc is None or proc.poll() is not None:  # already ended (and reaped): its pids may be reused
            return
        pid_file = job / "kernel.pid" if job is not None else None
        if pid_file is not None and pid_file.exists():
            _kill_group(pid_file.read_text().strip())  # the kernel is the worker's child: not reaped yet
        _kill_group(proc.pid)
        proc.wait()

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            _kill_group(proc.pid)
            proc.wait()


def preload_modules(src: Source) -> list[str]:
    """Modules the course's own cells import (preloaded once per worker)."""
    names = ["IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "jupyter_client"]
    for entry in src.cells:
        if entry["kind"] == "answer" or entry["cell_type"] != "code":
            continue
        try:
            tree = ast.parse(TransformerManager().transform_cell(entry["source"]))
        except Exception:  # noqa: BLE001
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    seen, out = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out
