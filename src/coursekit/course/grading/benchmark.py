"""The benchmark of ``coursekit grade``: the same class graded by it and by plain sequential ``nbgrader autograde``."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coursekit
from coursekit._validate import check_number, check_positive_int
from coursekit.course.grading.source import cell_names, nbgrader_utils, resolve_source

__all__ = ["measure_grading"]


def _bench_submissions(source: Path, student: Path) -> list[bytes]:
    """Three realistic submissions: correct, partly correct, untouched."""
    import nbformat  # heavy (1.3 s): imported where used, so that a grading worker starts without it

    utils, _ = nbgrader_utils()
    sol = nbformat.read(source, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in sol.cells if utils.is_solution(c)}
    correct = nbformat.read(student, as_version=4)
    partial = nbformat.read(student, as_version=4)
    for cell in correct.cells:
        if utils.is_solution(cell):
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    k = 0
    for cell in partial.cells:
        if utils.is_solution(cell):
            gid = cell.metadata["nbgrader"]["grade_id"]
            binds = sorted(cell_names(answers[gid])[1])
            cell.source = answers[gid] if k % 2 == 0 else "\n".join(f"{name} = 1" for name in binds)
            k += 1
    untouched = student.read_bytes()
    return [nbformat.writes(correct).encode(), nbformat.writes(partial).encode(), untouched]


def _bench_env() -> dict:
    """This ``coursekit`` first on PYTHONPATH, this Python's ``bin`` (nbgrader, jupyter) first on PATH."""
    env = dict(os.environ)
    package_parent = str(Path(coursekit.__file__).resolve().parents[1])
    env["PYTHONPATH"] = package_parent + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def measure_grading(n=100, jobs=None, *, notebook="chapters/01_why_retention_matters", timeout=120.0,
                    root=None) -> dict:
    """Time ``coursekit grade`` against sequential ``nbgrader autograde`` on the same class.

    Builds ``n`` realistic submissions of a notebook (cycling through a
    correct, a partly correct and an untouched one), grades them with the
    ``coursekit grade`` command and then with plain ``nbgrader autograde`` in
    a temporary course directory (``generate_assignment`` first), in the same
    run, and compares the wall times and the scores.

    Parameters
    ----------
    n : int, default 100
        Number of submissions.
    jobs : int, optional
        Parallel jobs for ``coursekit grade``; default the number of usable cores.
    notebook : str, default "chapters/01_why_retention_matters"
        The chapter or case to grade.
    timeout : float, default 120
        Per-notebook time limit of ``coursekit grade``.
    root : str or Path, optional
        Course directory; default the repository root.

    Returns
    -------
    dict
        ``n``, ``jobs``, ``coursekit_seconds`` and ``nbgrader_seconds`` (wall
        times, s), ``ratio`` = nbgrader_seconds / coursekit_seconds (how many
        times faster ``coursekit grade`` is), ``scores_agree`` (every
        student's total equals nbgrader's score).

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation, "nbgrader
       autograde", https://nbgrader.readthedocs.io/
    .. [2] nbgrader issues #174 (parallel autograding) and #1456 (progress),
       https://github.com/jupyter/nbgrader/issues

    Examples
    --------
    A benchmark (it generates the student notebooks and grades twice), so the example is
    shown, not run as a doctest; ``tests/course/test_grading.py`` runs it with ``n=1``::

        m = measure_grading(n=1, jobs=1)
        sorted(m)    # ['coursekit_seconds', 'jobs', 'n', 'nbgrader_seconds', 'ratio', 'scores_agree']
        (m["n"], m["jobs"], m["scores_agree"])    # (1, 1, True)
    """
    from coursekit.course import notebooks  # nbformat, nbclient, nbgrader: kept out of the grading worker
    n = check_positive_int("n", n)
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    jobs = check_positive_int("jobs", jobs)
    timeout = check_number("timeout", timeout, low=0, low_open=True)
    source = resolve_source(notebook, root)
    root = source.parents[2]
    assignment, stem = source.parent.name, source.stem
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-grade-") as tmp:
        tmp = Path(tmp)
        course = tmp / "course"
        course.mkdir()
        shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(root / "solutions", course / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        notebooks.generate(assignment, root=course)
        variants = _bench_submissions(course / "solutions" / assignment / source.name,
                                      course / assignment / source.name)
        folder = tmp / "submissions"
        folder.mkdir()
        students = [f"s{i:03d}" for i in range(n)]
        for i, sid in enumerate(students):
            data = variants[i % len(variants)]
            (folder / f"{sid}_{stem}.ipynb").write_bytes(data)
            dest = course / "submitted" / sid / assignment
            dest.mkdir(parents=True)
            (dest / source.name).write_bytes(data)
        env = _bench_env()
        cli = [sys.executable, "-c", "import sys; from coursekit.course.cli import main; sys.exit(main())"]
        t0 = time.perf_counter()
        done = subprocess.run(
            cli + ["grade", str(source), str(folder), "--out", str(tmp / "out"), "--jobs", str(jobs),
                   "--timeout", f"{timeout:g}", "--quiet"],
            env=env, capture_output=True, text=True,
        )
        coursekit_seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"coursekit grade failed:\n{done.stdout}\n{done.stderr}")
        nbgrader = Path(sys.executable).parent / "nbgrader"
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(nbgrader) if nbgrader.exists() else "nbgrader", "autograde", assignment, "--create", "--force"],
            cwd=course, env=env, capture_output=True, text=True,
        )
        nbgrader_seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader autograde failed:\n{done.stdout}\n{done.stderr}")
        with open(tmp / "out" / "gradebook.csv", newline="", encoding="utf-8") as f:
            ours = {row["student"]: float(row["total"]) for row in csv.DictReader(f)}
        from nbgrader.api import Gradebook  # optional dependency: the teacher extra

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            theirs = {sid: float(gb.find_submission_notebook(stem, assignment, sid).score) for sid in students}
    return {
        "n": n,
        "jobs": jobs,
        "coursekit_seconds": coursekit_seconds,
        "nbgrader_seconds": nbgrader_seconds,
        "ratio": nbgrader_seconds / coursekit_seconds,
        "scores_agree": all(abs(ours.get(s, -1) - theirs[s]) < 1e-9 for s in students),
    }
