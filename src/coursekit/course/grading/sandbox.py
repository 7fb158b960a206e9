"""The grading sandbox: run one Python process inside bubblewrap, seeing nothing of the host.

Issue 10's design runs student code (and, in a second phase, the trusted tests) in a sandbox.
``coursekit grade`` starts its warm grading processes with :func:`sandbox_argv`; :func:`run_sandboxed`
runs one command to its end.  What a sandboxed process gets (Linux only, with bubblewrap, the ``bwrap`` command):

* **Namespaces** (``--unshare-all --unshare-user``): new user, PID, network, IPC, UTS and cgroup
  namespaces and a new mount namespace.  It sees only its own processes (``/proc`` is the sandbox's), has no
  network at all (not even the host's loopback; no DNS), and cannot signal the grader or a
  classmate's sandbox.  ``--new-session`` (no ``TIOCSTI`` injection into the grader's terminal),
  ``--die-with-parent``, ``--disable-userns`` (no nested user namespaces), every capability dropped.
* **Files: only what is needed is mounted, nothing is hidden afterwards.**  The new root is an
  empty read-only tmpfs; read-only binds of ``/usr`` (with the ``/bin``, ``/lib*``, ``/sbin``
  symlinks or folders), the few ``/etc`` files the dynamic loader needs (:data:`ETC_FILES`), the
  Python installation (``sys.base_prefix``), the virtual environment (``sys.prefix``), the folder
  the ``coursekit`` package is imported from, and the caller's ``readonly`` paths (the course's
  ``datasets/``).  Binding ``/`` read-only and covering the secrets with tmpfs would fail open:
  every path forgotten in the list (a classmate's copy in the grader's temp folder, the teacher's
  home, a mounted share) would be readable.  Binding only what is needed fails closed: the course
  repository (``solutions/``!), the submissions, the output folder and the host's ``/tmp`` are
  simply not there.
* **One writable place**: a private tmpfs at ``/tmp`` (``HOME`` and the working directory), size-
  capped (:attr:`SandboxLimits.tmp_mb`); plus a small private ``/dev/shm`` (at most :data:`SHM_MB`
  MiB, for POSIX semaphores); the rest of ``/dev`` and the root are read-only.
* **Environment**: cleared (``--clearenv``); only :data:`BASE_ENV`, ``PATH``/``HOME`` and the
  caller's ``env`` are set, so no secret of the grader's environment leaks in.
* **Limits** (:class:`SandboxLimits`): address space, CPU seconds, processes (threads count),
  file size, open files and no core files are set with ``setrlimit`` *inside* the sandbox, just
  before the command is executed (``prlimit``, or a two-line Python launcher where ``prlimit`` is
  missing); the wall-clock limit is enforced from outside: on timeout the grader kills ``bwrap``,
  whose death kills the sandbox's PID namespace init, and with it every process inside, daemons
  and double-forked children included.
* **Running as root** (CI, containers): the process-count limit is not enforced for host uid 0
  (the kernel exempts it), so there the sandbox runs as the unprivileged host user ``nobody``
  (65534): a privileged ``bwrap`` sets up the mounts and namespaces, ``setpriv`` drops to
  ``nobody`` with no capabilities and ``no_new_privs``, and a second, unprivileged ``bwrap`` enters
  the new user namespace.  Each sandbox has its own user namespace, so the process count is per
  sandbox, not shared by parallel sandboxes.  Inside, the only process that is not the command's
  is bwrap's (pid 1 runs as root and cannot be signalled; the inner bwrap runs as ``nobody`` and
  killing it ends the sandbox); neither holds anything the command could use.

The result channel is the process's exit status and its stdout (and stderr) bytes, size-capped.
**Whatever the sandbox prints is untrusted data**: the caller parses and validates it (a data-only
codec, sizes, types) and never executes or unpickles it, nor trusts a line that claims to come
from the grader.

References
----------
bubblewrap, README and ``bwrap(1)`` man page: https://github.com/containers/bubblewrap
``setrlimit(2)``, ``user_namespaces(7)``, ``pid_namespaces(7)`` (Linux man pages).

Examples
--------
Limits are validated when they are made:

>>> SandboxLimits(memory_mb=512, wall_seconds=10).memory_mb
512
>>> SandboxLimits(processes=0)
Traceback (most recent call last):
...
ValueError: processes must be a positive integer, got 0

With bubblewrap installed (``apt install bubblewrap``)::

    result = run_sandboxed([sys.executable, "-c", "print(6 * 7)"])
    result.returncode, result.stdout    # (0, b'42\\n')
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import coursekit

#: Where to get bubblewrap; quoted by :class:`SandboxUnavailable`.
INSTALL_HINT = ("install bubblewrap: `sudo apt install bubblewrap` (Debian/Ubuntu) or "
                "`sudo dnf install bubblewrap` (Fedora)")

#: Files of the host's ``/etc`` bound read-only (when they exist): what the dynamic loader and
#: the C library need.  No ``passwd``, ``hosts``, ``resolv.conf``, certificates.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives")

#: The environment of every sandboxed process (``PATH`` and ``HOME`` are added).
BASE_ENV = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TMPDIR": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONNOUSERSITE": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}

#: Size cap of the sandbox's private ``/dev/shm`` tmpfs, MiB.
SHM_MB = 16

#: The unprivileged uid/gid of the sandboxed process (``nobody``).
SANDBOX_UID = 65534

#: Run inside the sandbox when ``prlimit`` is missing: set the limits, then exec the command.
_LAUNCHER = (
    "import os, resource, sys\n"
    "n = sys.argv.index('--')\n"
    "for spec in sys.argv[1:n]:\n"
    "    name, value = spec.split('=')\n"
    "    resource.setrlimit(getattr(resource, name), (int(value), int(value)))\n"
    "os.execv(sys.argv[n + 1], sys.argv[n + 1:])\n"
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces on this machine."""


@dataclasses.dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one sandboxed run.

    Parameters
    ----------
    memory_mb : int
        Address space of each process (``RLIMIT_AS``), MiB: a bigger allocation raises
        ``MemoryError`` (Python) or fails.
    cpu_seconds : int
        CPU time of each process (``RLIMIT_CPU``): past it the process gets ``SIGXCPU``, then
        ``SIGKILL`` one second later.
    processes : int
        Processes and threads in the sandbox (``RLIMIT_NPROC``, counted per sandbox).
    file_mb : int
        Largest file a process may write (``RLIMIT_FSIZE``), MiB.
    open_files : int
        Open file descriptors per process (``RLIMIT_NOFILE``).
    tmp_mb : int
        Size of the private ``/tmp`` tmpfs, the only writable place, MiB.
    wall_seconds : float
        Wall-clock limit of the whole run, enforced from outside (the sandbox is killed).
    output_bytes : int
        Bytes of stdout (and, separately, of stderr) kept; the rest is read and dropped.

    Examples
    --------
    >>> SandboxLimits().wall_seconds
    60.0
    >>> SandboxLimits(wall_seconds="1")
    Traceback (most recent call last):
    ...
    TypeError: wall_seconds must be a number, got str
    """

    memory_mb: int = 2048
    cpu_seconds: int = 60
    processes: int = 64
    file_mb: int = 64
    open_files: int = 256
    tmp_mb: int = 256
    wall_seconds: float = 60.0
    output_bytes: int = 8 * 1024 * 1024

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "wall_seconds":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise TypeError(f"wall_seconds must be a number, got {type(value).__name__}")
                if not math.isfinite(value) or value <= 0:
                    raise ValueError(f"wall_seconds must be a positive finite number, got {value!r}")
                object.__setattr__(self, "wall_seconds", float(value))
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{field.name} must be an integer, got {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{field.name} must be a positive integer, got {value!r}")

    def rlimits(self) -> dict[str, int]:
        """The ``setrlimit`` values, by ``resource`` constant name.

        Examples
        --------
        >>> SandboxLimits(memory_mb=1, cpu_seconds=2).rlimits()["RLIMIT_AS"]
        1048576
        """
        mib = 1024 * 1024
        return {
            "RLIMIT_AS": self.memory_mb * mib,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_mb * mib,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        }


@dataclasses.dataclass(frozen=True)
class SandboxResult:
    """What comes back from a sandboxed run: untrusted bytes and an exit status.

    Attributes
    ----------
    returncode : int
        bwrap's exit status: the command's, or ``128 + signal`` when it was killed by a signal;
        negative when the grader killed the sandbox (``-9`` on timeout).
    stdout, stderr : bytes
        At most :attr:`SandboxLimits.output_bytes` each.  Untrusted: validate before use.
    timed_out : bool
        The wall-clock limit was reached and the sandbox killed.
    killed_by_signal : int or None
        The signal that ended the command (from ``128 + signal``, or the grader's kill).
    stdout_truncated, stderr_truncated : bool
        More was printed than was kept.
    seconds : float
        Wall-clock duration of the run.
    """

    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    killed_by_signal: int | None
    stdout_truncated: bool
    stderr_truncated: bool
    seconds: float


def bwrap_path() -> str | None:
    """The ``bwrap`` executable on ``PATH``, or None.

    Examples
    --------
    >>> bwrap_path() is None or bwrap_path().endswith("bwrap")
    True
    """
    return shutil.which("bwrap")


@functools.cache
def _probe(bwrap: str, setpriv: str | None) -> str:
    """Run ``true`` in a minimal sandbox once; return bwrap's complaint, or "" when it works."""
    argv = _outer_argv(bwrap, setpriv, [], SandboxLimits(), {}) + ["true"]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return "" if done.returncode == 0 else done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"


def require_bwrap() -> str:
    """The path of a working ``bwrap``; raise :class:`SandboxUnavailable` naming the package otherwise.

    A working bwrap is one that can create the sandbox's namespaces here (some systems forbid
    unprivileged user namespaces); checked once per process with a trivial run.

    Raises
    ------
    SandboxUnavailable
        bwrap is not installed, ``setpriv`` is missing when running as root, or bwrap fails.
    """
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable(f"the grading sandbox needs bubblewrap (`bwrap`), not found on PATH; {INSTALL_HINT}")
    setpriv = None
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("running as root, the grading sandbox needs `setpriv` (util-linux) to drop to "
                                     "an unprivileged user; install util-linux")
    problem = _probe(bwrap, setpriv)
    if problem:
        raise SandboxUnavailable(f"bubblewrap ({bwrap}) cannot create a sandbox here: {problem}")
    return bwrap


def _host_paths() -> list[Path]:
    """The Python installation, the virtual environment and the folder ``coursekit`` imports from."""
    package_root = Path(coursekit.__file__).resolve().parents[1]
    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    # a symlinked interpreter (venv -> pyenv, /usr/local/bin/python -> ...) lives where it resolves to
    paths.append(Path(sys.executable).resolve().parents[1])
    paths.append(package_root)
    return paths


def _mount_args(readonly: Sequence[Path]) -> list[str]:
    """bwrap options building the new root: read-only binds of what is needed, nothing else."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    for name in ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    binds = []
    for path in [*_host_paths(), *readonly]:
        if path == Path("/") or any(path == b or b in path.parents for b in binds) or Path("/usr") in path.parents:
            continue
        binds = [b for b in binds if path not in b.parents] + [path]
    made = {Path("/tmp")}  # the private tmpfs, mounted before these binds
    for path in sorted(binds):
        # bwrap would create the missing parents with mode 0700: make them traversable
        for parent in reversed(path.parents[:-1]):
            if parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(path), str(path)]
    return args


def _outer_argv(bwrap: str, setpriv: str | None, readonly: Sequence[Path], limits: SandboxLimits,
                env: Mapping[str, str]) -> list[str]:
    """The bwrap command line up to the sandboxed command (see the module docstring)."""
    tmp_bytes = str(limits.tmp_mb * 1024 * 1024)
    argv = [bwrap]
    if setpriv is None:
        argv += ["--unshare-all", "--unshare-user", "--disable-userns", "--uid", str(SANDBOX_UID),
                 "--gid", str(SANDBOX_UID), "--cap-drop", "ALL"]
    else:
        # root: --unshare-all would add a user namespace mapping only uid 0, where setpriv cannot
        # become nobody; the user namespace comes from the inner bwrap (see the module docstring)
        argv += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup",
                 "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    argv += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    # the private /tmp first: a course (and its venv) that lives under /tmp is bound inside it
    argv += ["--perms", "1777", "--size", tmp_bytes, "--tmpfs", "/tmp"]
    argv += _mount_args(readonly)
    shm_bytes = str(min(limits.tmp_mb, SHM_MB) * 1024 * 1024)
    argv += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", shm_bytes, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
             "--remount-ro", "/", "--chdir", "/tmp", "--clearenv"]
    path = os.pathsep.join(dict.fromkeys([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]))
    for key, value in {**BASE_ENV, "PATH": path, "HOME": "/tmp", **env}.items():
        argv += ["--setenv", key, value]
    argv.append("--")
    if setpriv is not None:
        uid = str(SANDBOX_UID)
        argv += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", "--no-new-privs", "--",
                 bwrap, "--unshare-user", "--disable-userns", "--uid", uid, "--gid", uid, "--die-with-parent",
                 "--dev-bind", "/", "/", "--chdir", "/tmp", "--"]
    return argv


def _limit_argv(limits: SandboxLimits) -> list[str]:
    """Set the rlimits inside the sandbox, then exec the command: ``prlimit`` or a Python launcher."""
    rlimits = limits.rlimits()
    prlimit = shutil.which("prlimit")
    if prlimit is not None:
        options = {"RLIMIT_AS": "as", "RLIMIT_CPU": "cpu", "RLIMIT_NPROC": "nproc", "RLIMIT_FSIZE": "fsize",
                   "RLIMIT_NOFILE": "nofile", "RLIMIT_CORE": "core"}
        return [prlimit, *(f"--{options[k]}={v}" for k, v in rlimits.items()), "--"]
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, *(f"{k}={v}" for k, v in rlimits.items()), "--"]


def _check_env(env: Mapping[str, str] | None) -> dict[str, str]:
    if env is None:
        return {}
    if not isinstance(env, Mapping):
        raise TypeError(f"env must be a mapping of str to str, got {type(env).__name__}")
    for key, value in env.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"env must map str to str, got {key!r}: {value!r}")
        if not key or "=" in key or "\0" in key or "\0" in value:
            raise ValueError(f"env: invalid variable {key!r}")
    return dict(env)


def _read_capped(stream, cap: int, out: list):
    """Read ``stream`` to its end, keeping the first ``cap`` bytes; out = [bytes, truncated]."""
    kept, truncated = bytearray(), False
    while chunk := stream.read(65536):
        room = cap - len(kept)
        if len(chunk) > room:
            truncated = True
        kept += chunk[:max(room, 0)]
    out += [bytes(kept), truncated]


def _feed(stream, data: bytes):
    try:
        stream.write(data)
    except (BrokenPipeError, OSError):
        pass
    finally:
        try:
            stream.close()
        except OSError:
            pass


def sandbox_argv(argv: Sequence[str], *, readonly: Sequence[str | os.PathLike] = (),
                 limits: SandboxLimits | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """The full command line that runs ``argv`` inside the sandbox (for a long-lived process).

    :func:`run_sandboxed` runs a command to its end; a grading worker keeps one sandboxed
    process alive for many submissions and starts it with :class:`subprocess.Popen` on this
    command (with ``start_new_session=True``, so that killing its process group kills bwrap and
    with it everything inside).  The wall-clock limit is then the caller's to enforce.

    Parameters
    ----------
    argv, readonly, limits, env
        As in :func:`run_sandboxed`.

    Returns
    -------
    list of str
        ``bwrap ... -- prlimit ... -- argv...``.

    Raises
    ------
    SandboxUnavailable
        bubblewrap is missing or not working (:func:`require_bwrap`).
    TypeError, ValueError
        A malformed argument, named in the message.
    """
    if isinstance(argv, str | bytes) or not isinstance(argv, Sequence) or not argv:
        raise TypeError("argv must be a non-empty sequence of str (the command and its arguments)")
    if not all(isinstance(a, str) for a in argv):
        raise TypeError("argv must hold str only")
    if isinstance(readonly, str | bytes | os.PathLike):
        raise TypeError("readonly must be a sequence of paths, not a single path")
    limits = SandboxLimits() if limits is None else limits
    if not isinstance(limits, SandboxLimits):
        raise TypeError(f"limits must be a SandboxLimits, got {type(limits).__name__}")
    paths = []
    for path in readonly:
        resolved = Path(path).resolve()
        if not resolved.exists():
            raise ValueError(f"readonly: {path} does not exist")
        paths.append(resolved)
    env = _check_env(env)
    bwrap = require_bwrap()
    setpriv = shutil.which("setpriv") if os.geteuid() == 0 else None
    return _outer_argv(bwrap, setpriv, paths, limits, env) + _limit_argv(limits) + list(argv)


def run_sandboxed(argv: Sequence[str], *, readonly: Sequence[str | os.PathLike] = (),
                  limits: SandboxLimits | None = None, stdin: bytes = b"",
                  env: Mapping[str, str] | None = None) -> SandboxResult:
    """Run ``argv`` (a Python process) inside bubblewrap and return its exit status and output.

    Parameters
    ----------
    argv : sequence of str
        The command, e.g. ``[sys.executable, "-c", code]``; the program must be inside what the
        sandbox sees (the venv's Python is).
    readonly : sequence of path-like
        Host folders or files bound read-only at the same path, e.g. the course's ``datasets/``.
        Never the course repository, the submissions or the output folder.
    limits : SandboxLimits, optional
        Resource limits; :class:`SandboxLimits` defaults when None.
    stdin : bytes
        Fed to the process's standard input, then closed.
    env : mapping of str to str, optional
        Extra environment variables (the host's environment is never passed in).

    Returns
    -------
    SandboxResult
        Exit status and capped stdout/stderr.  The output is untrusted data: validate it.

    Raises
    ------
    SandboxUnavailable
        bubblewrap is missing or not working (:func:`require_bwrap`).
    TypeError, ValueError
        A malformed argument, named in the message.

    Notes
    -----
    Start-up costs about 10-30 ms on top of the command (two bwrap processes when running as
    root).  See the module docstring for what the sandbox mounts, hides and limits.

    Examples
    --------
    With bubblewrap installed::

        run_sandboxed([sys.executable, "-c", "import os; print(sorted(os.listdir('/')))"]).stdout
        # b"['bin', 'dev', 'etc', 'lib', 'lib64', 'proc', 'root', 'sbin', 'tmp', 'usr', 'work']\\n"
        run_sandboxed([sys.executable, "-c", "while True: pass"],
                      limits=SandboxLimits(wall_seconds=1)).timed_out    # True
    """
    if not isinstance(stdin, bytes):
        raise TypeError(f"stdin must be bytes, got {type(stdin).__name__}")
    limits = SandboxLimits() if limits is None else limits
    command = sandbox_argv(argv, readonly=readonly, limits=limits, env=env)

    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, close_fds=True)
    out: list = []
    err: list = []
    threads = [threading.Thread(target=_read_capped, args=(process.stdout, limits.output_bytes, out), daemon=True),
               threading.Thread(target=_read_capped, args=(process.stderr, limits.output_bytes, err), daemon=True),
               threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True)]
    for thread in threads:
        thread.start()
    timed_out = False
    try:
        process.wait(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        if process.poll() is None:
            # bwrap's death kills the sandbox's PID namespace init, hence everything inside
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
    for thread in threads:
        thread.join(timeout=5)
    for stream in (process.stdout, process.stderr):
        stream.close()
    seconds = time.monotonic() - start
    code = process.returncode
    if code < 0:
        killed = -code
    elif 128 < code < 128 + signal.NSIG:
        killed = code - 128
    else:
        killed = None
    stdout, stdout_truncated = out if out else (b"", False)
    stderr, stderr_truncated = err if err else (b"", False)
    return SandboxResult(code, stdout, stderr, timed_out, killed, stdout_truncated, stderr_truncated, seconds)
