"""The grading sandbox (issue 10), tested by attacking it from inside.

Every test that needs bubblewrap takes the ``sandbox`` fixture: where bwrap is missing or cannot
create namespaces, the test FAILS when ``CI`` is set (decision 13: CI must run the sandbox tests)
and is skipped with "install bubblewrap" otherwise.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from coursekit.course.grading import sandbox as sb
from coursekit.course.grading.sandbox import SandboxLimits, SandboxUnavailable, run_sandboxed

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "datasets"
PY = sys.executable


def run(code: str, **kwargs):
    return run_sandboxed([PY, "-c", textwrap.dedent(code)], **kwargs)


def host_processes_with(marker: str) -> list[int]:
    """Host pids whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


# --- the result channel ----------------------------------------------------------------------

def test_stdout_and_exit_status_come_back(sandbox):
    result = run("import sys; print('hello'); sys.exit(3)")
    assert (result.returncode, result.stdout, result.timed_out, result.killed_by_signal) == (3, b"hello\n", False, None)


def test_stdin_passes_data_in(sandbox):
    data = bytes(range(256)) * 1000
    result = run("import sys, hashlib; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin=data)
    assert result.stdout.decode().strip() == hashlib.sha256(data).hexdigest()


def test_the_package_and_pandas_import(sandbox):
    result = run("import coursekit, pandas, numpy; print(numpy.arange(3).sum())")
    assert result.stdout == b"3\n", result.stderr


def test_output_cap_truncates_a_huge_print(sandbox):
    result = run("import sys; sys.stdout.write('x' * 20_000_000); print('ok', file=sys.stderr)",
                 limits=SandboxLimits(output_bytes=1000))
    assert len(result.stdout) == 1000 and result.stdout_truncated
    assert result.returncode == 0 and not result.timed_out and result.stderr == b"ok\n"


# --- hidden from the sandbox -------------------------------------------------------------------

def test_cannot_read_the_solutions_of_this_repository(sandbox):
    assert (REPO / "solutions").is_dir()
    result = run(f"""
        import os
        for path in [{str(REPO / 'solutions')!r}, {str(REPO / 'README.md')!r}, {str(REPO / '.git')!r},
                     {str(REPO / 'tests')!r}, '../solutions', '/proc/1/root{REPO}/solutions']:
            print(path, os.path.exists(path))
        print(sorted(os.listdir({str(REPO)!r})))
    """)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert all(line.endswith(" False") for line in lines[:-1]), lines
    assert set(eval(lines[-1])) <= {".venv", "src", "datasets"}, lines[-1]


def test_cannot_read_a_classmates_file_outside(sandbox, tmp_path):
    classmate = tmp_path / "classmate" / "answer.ipynb"
    classmate.parent.mkdir()
    classmate.write_text("the answer is 42")
    result = run(f"open({str(classmate)!r}).read()")
    assert result.returncode == 1 and b"FileNotFoundError" in result.stderr


def test_environment_holds_no_secret_of_the_host(sandbox, monkeypatch):
    monkeypatch.setenv("COURSEKIT_SECRET", "hunter2-do-not-leak")
    result = run("import os; print(dict(os.environ))", env={"COURSEKIT_DATA": str(DATASETS)})
    env = eval(result.stdout)
    assert "COURSEKIT_SECRET" not in env and b"hunter2" not in result.stdout
    assert env["COURSEKIT_DATA"] == str(DATASETS) and env["HOME"] == "/tmp"


# --- processes ---------------------------------------------------------------------------------

def test_cannot_see_or_signal_host_processes(sandbox):
    result = run(f"""
        import os
        try:
            os.kill({os.getpid()}, 0)
            print("signalled the grader")
        except ProcessLookupError:
            print("no such process")
        pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
        print(pids)
        print(any(b'py' + b'test' in open(f'/proc/{{p}}/cmdline', 'rb').read() for p in pids))
    """)
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "no such process", result
    assert max(eval(lines[1])) < 10 and lines[2] == "False"


def test_no_controlling_terminal_so_no_tiocsti(sandbox):
    result = run("""
        import os
        try:
            os.open('/dev/tty', os.O_RDWR)
            print('tty open')
        except OSError as error:
            print('no tty', error.errno)
        print(os.getsid(0) != 0)
    """)
    assert result.stdout.decode().startswith("no tty"), result


def test_wall_clock_timeout_kills_everything_including_a_setsid_daemon(sandbox):
    marker = f"coursekit-sandbox-daemon-{uuid.uuid4().hex}"
    code = f"""
        import os, subprocess, sys, time
        # a double-forked, setsid daemon, then an endless loop
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.05)', {marker!r}])
            os._exit(0)
        subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.05)', {marker!r}],
                         start_new_session=True)
        print('started', flush=True)
        while True:
            pass
    """
    start = time.monotonic()
    result = run(code, limits=SandboxLimits(wall_seconds=2))
    assert result.timed_out and result.killed_by_signal == signal.SIGKILL
    assert result.stdout == b"started\n" and time.monotonic() - start < 10
    time.sleep(0.2)
    assert host_processes_with(marker) == []


def test_a_daemon_left_behind_dies_with_the_sandbox(sandbox):
    marker = f"coursekit-sandbox-daemon-{uuid.uuid4().hex}"
    result = run(f"""
        import subprocess, sys
        subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.05)', {marker!r}],
                         start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print('bye')
    """, limits=SandboxLimits(wall_seconds=20))
    assert result.stdout == b"bye\n" and not result.timed_out, result
    time.sleep(0.2)
    assert host_processes_with(marker) == []


def test_fork_bomb_is_stopped_by_the_process_cap(sandbox):
    marker = f"coursekit-sandbox-bomb-{uuid.uuid4().hex}"
    result = run(f"""
        import os, time  # {marker}
        n = 0
        try:
            for _ in range(500):
                if os.fork() == 0:
                    time.sleep(1)
                    os._exit(0)
                n += 1
        except OSError as error:
            print('fork refused after', n, error.errno)
        print(n)
    """, limits=SandboxLimits(processes=16, wall_seconds=20))
    assert result.stdout.decode().startswith("fork refused after"), result
    assert int(result.stdout.split()[-1]) < 16
    assert host_processes_with(marker) == []


def test_memory_limit_turns_a_big_allocation_into_memory_error(sandbox):
    result = run("""
        try:
            block = bytearray(800 * 1024 * 1024)
            print('allocated')
        except MemoryError:
            print('MemoryError')
    """, limits=SandboxLimits(memory_mb=400))
    assert result.stdout == b"MemoryError\n", result


def test_cpu_limit_kills_an_endless_computation(sandbox):
    result = run("while True: pass", limits=SandboxLimits(cpu_seconds=1, wall_seconds=20))
    assert not result.timed_out
    assert result.killed_by_signal in {signal.SIGXCPU, signal.SIGKILL}, result


# --- files -------------------------------------------------------------------------------------

def test_cannot_write_outside_its_tmpfs(sandbox, tmp_path):
    targets = ["/x", "/etc/x", "/usr/x", "/dev/x", "/proc/x", str(REPO / "src" / "x"), str(Path(sys.prefix) / "x"),
               str(DATASETS / "x"), str(tmp_path / "x"), "/root/x"]
    result = run(f"""
        for target in {targets!r}:
            try:
                open(target, 'w').write('pwned')
                print(target, 'written')
            except OSError as error:
                print(target, 'refused')
        open('/tmp/scratch', 'w').write('fine')
        print(open('/tmp/scratch').read())
    """, readonly=[DATASETS])
    lines = result.stdout.decode().splitlines()
    assert lines[-1] == "fine", result
    assert all(line.endswith(" refused") for line in lines[:-1]), lines
    assert not any(Path(t).exists() for t in targets[5:])


def test_datasets_folder_is_readable_but_not_writable(sandbox):
    some_csv = sorted(DATASETS.rglob("*.csv"))[0]
    result = run(f"""
        import os
        print(len(open({str(some_csv)!r}, 'rb').read()))
        for attempt in (lambda: open({str(some_csv)!r}, 'a'), lambda: os.remove({str(some_csv)!r}),
                        lambda: os.mkdir({str(DATASETS / 'new')!r})):
            try:
                attempt()
                print('changed')
            except OSError:
                print('refused')
    """, readonly=[DATASETS])
    assert result.stdout.decode().split() == [str(some_csv.stat().st_size), "refused", "refused", "refused"], result


def test_file_size_and_tmpfs_size_are_capped(sandbox):
    result = run("""
        for size_mb, path in ((3, '/tmp/big'), (1, '/tmp/small')):
            try:
                with open(path, 'wb') as f:
                    f.write(b'0' * (size_mb * 1024 * 1024))
                print('wrote', size_mb)
            except OSError as error:
                print('refused', size_mb, error.errno)
        written = 0
        try:
            for i in range(100):
                with open(f'/tmp/fill{i}', 'wb') as f:
                    f.write(b'0' * 1024 * 1024)
                written += 1
        except OSError as error:
            print('full after', written, error.errno)
    """, limits=SandboxLimits(file_mb=2, tmp_mb=8))
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("refused 3") and lines[1] == "wrote 1", result
    assert lines[2].startswith("full after") and int(lines[2].split()[2]) < 8


# --- no network --------------------------------------------------------------------------------

def test_no_network_to_a_listener_on_the_host(sandbox):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = run(f"""
            import socket
            try:
                socket.create_connection(('127.0.0.1', {port}), timeout=2)
                print('connected')
            except OSError as error:
                print('refused', error.errno)
            try:
                socket.getaddrinfo('example.com', 80)
                print('resolved')
            except OSError:
                print('no dns')
        """)
        listener.settimeout(0.2)
        with pytest.raises(TimeoutError):
            listener.accept()
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("refused") and lines[1] == "no dns", result


# --- arguments and availability -----------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "error", "name"), [
    ({"memory_mb": 0}, ValueError, "memory_mb"),
    ({"cpu_seconds": 1.5}, TypeError, "cpu_seconds"),
    ({"processes": True}, TypeError, "processes"),
    ({"file_mb": -1}, ValueError, "file_mb"),
    ({"wall_seconds": float("inf")}, ValueError, "wall_seconds"),
    ({"wall_seconds": "10"}, TypeError, "wall_seconds"),
    ({"output_bytes": None}, TypeError, "output_bytes"),
])
def test_limits_are_validated(kwargs, error, name):
    with pytest.raises(error, match=name):
        SandboxLimits(**kwargs)


@pytest.mark.parametrize(("args", "kwargs", "error", "name"), [
    ("python -c pass", {}, TypeError, "argv"),
    ([], {}, TypeError, "argv"),
    ([PY], {"stdin": "text"}, TypeError, "stdin"),
    ([PY], {"readonly": "/tmp"}, TypeError, "readonly"),
    ([PY], {"readonly": ["/no/such/folder"]}, ValueError, "readonly"),
    ([PY], {"limits": {"memory_mb": 1}}, TypeError, "limits"),
    ([PY], {"env": {"A=B": "1"}}, ValueError, "env"),
    ([PY], {"env": {"A": 1}}, TypeError, "env"),
])
def test_arguments_are_validated(args, kwargs, error, name):
    with pytest.raises(error, match=name):
        run_sandboxed(args, **kwargs)


def test_missing_bwrap_names_the_package_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert sb.bwrap_path() is None
    with pytest.raises(SandboxUnavailable, match="apt install bubblewrap"):
        sb.require_bwrap()
    with pytest.raises(SandboxUnavailable, match="dnf install bubblewrap"):
        run_sandboxed([PY, "-c", "pass"])


def test_limits_hold_without_prlimit_too(sandbox, monkeypatch):
    which = sb.shutil.which
    monkeypatch.setattr(sb.shutil, "which", lambda name: None if name == "prlimit" else which(name))
    result = run("""
        import os, resource
        print(resource.getrlimit(resource.RLIMIT_NPROC)[0], resource.getrlimit(resource.RLIMIT_AS)[0] >> 20)
    """, limits=SandboxLimits(processes=12, memory_mb=700))
    assert result.stdout == b"12 700\n", result


def test_killing_the_grader_kills_the_sandbox(sandbox, tmp_path):
    marker = f"coursekit-sandbox-orphan-{uuid.uuid4().hex}"
    grader = tmp_path / "grader.py"
    grader.write_text(textwrap.dedent(f"""
        import sys
        from coursekit.course.grading.sandbox import SandboxLimits, run_sandboxed
        code = "import subprocess, sys, time\\n" \\
               "subprocess.Popen([sys.executable, '-c', 'import time\\\\nwhile True: time.sleep(0.05)', {marker!r}], " \\
               "start_new_session=True)\\nprint('ready', flush=True)\\ntime.sleep(60)"
        run_sandboxed([sys.executable, "-c", code, {marker!r}], limits=SandboxLimits(wall_seconds=60))
    """))
    process = subprocess.Popen([PY, str(grader)])

    def daemon_started() -> bool:  # bwrap's own command lines carry the marker too: look for the child itself
        for pid in host_processes_with(marker):
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if len(argv) > 2 and argv[2].startswith(b"import time"):
                return True
        return False

    deadline = time.monotonic() + 30
    while not daemon_started() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert daemon_started(), "the sandbox did not start"
    process.kill()  # SIGKILL: the grader gets no chance to clean up
    process.wait()
    deadline = time.monotonic() + 15
    while host_processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert host_processes_with(marker) == []
