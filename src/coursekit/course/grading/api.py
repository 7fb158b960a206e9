"""The public API: :func:`grade_submissions` grades a class and writes the reports."""

from __future__ import annotations

import hashlib
import os
import queue
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from coursekit._validate import check_number, check_positive_int
from coursekit.course.grading.progress import Progress
from coursekit.course.grading.rebuild import build_run, read_submission
from coursekit.course.grading.report import write_reports
from coursekit.course.grading.results import GradeReport, SubmissionResult
from coursekit.course.grading.scoring import score_submission
from coursekit.course.grading.source import Source, load_source, resolve_source
from coursekit.course.grading.submissions import find_submissions
from coursekit.course.grading.worker import OUTPUT_CAP, Slot, preload_modules, work_folder_parent, worker_env

__all__ = ["grade_submissions", "GradeReport", "SubmissionResult"]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def grade_submissions(source, submissions, out_dir, jobs=None, timeout=120.0, *, memory_mb=3072,
                      progress=None, root=None) -> GradeReport:
    """Grade every submission of a chapter or case and write the reports.

    Each submission is rebuilt from the source notebook's cell list (tests,
    hidden tests and every non-answer cell from ``solutions/``, the answer
    cells, matched by nbgrader ``grade_id``, from the submission), run top to
    bottom in its own resource-limited kernel, and scored with nbgrader's
    rule: a graded test cell earns its points if it runs without error, else 0.
    The total is :math:`\\sum_q p_q \\, [\\text{test } q \\text{ passed}]` over
    the autograded questions *q* with points :math:`p_q`.

    Parameters
    ----------
    source : str or Path
        The chapter or case, e.g. ``"chapters/01_why_retention_matters"``
        (see :func:`~coursekit.course.grading.source.resolve_source`).
    submissions : str or Path
        A folder, a ``.zip`` or a single ``.ipynb``
        (see :func:`~coursekit.course.grading.submissions.find_submissions`).
    out_dir : str or Path
        Folder for ``gradebook.csv``, ``summary.md``, ``histogram.png`` and
        ``feedback/``; created if needed.  Must not lie inside ``submissions``.
    jobs : int, optional
        Submissions run at the same time; default the number of usable cores.
    timeout : float, default 120
        Seconds allowed per notebook, kernel start included.
    memory_mb : int, default 3072
        Address-space limit of each kernel (and its worker), in MiB.
    progress : bool, optional
        Show a progress bar on stderr; default: when stderr is a terminal.
    root : str or Path, optional
        Course directory holding ``solutions/``; default the repository root.

    Returns
    -------
    GradeReport
        Results per submission (sorted by student id) and the paths written.

    Raises
    ------
    ValueError
        For an unknown notebook (the message lists the allowed ones), a
        missing path, an empty folder, a zip or folder without notebooks, a
        single file that is not a readable notebook, or bad ``jobs``,
        ``timeout`` or ``memory_mb``.

    Notes
    -----
    Submissions are never written: each file is read once, copied into a
    temporary folder, hashed (SHA-256, in the gradebook) and hashed again at
    the end; a changed original is reported in the ``reason`` column.

    References
    ----------
    .. [1] Project Jupyter et al., "nbgrader: A tool for creating and grading
       assignments in the Jupyter Notebook", *Journal of Open Source
       Education* 2(16), 32 (2019), doi:10.21105/jose.00032.
    .. [2] Jupyter Development Team, *nbgrader* documentation ("nbgrader
       autograde", the ``OverwriteCells`` preprocessor),
       https://nbgrader.readthedocs.io/
    .. [3] IEEE Std 1003.1 (POSIX.1), ``getrlimit``/``setrlimit`` and
       ``killpg``; Python's :mod:`resource` module documentation.

    Examples
    --------
    A folder holding one submission, the solution itself (a whole grading run, kernels
    included, so the example is not run as a doctest: ``tests/course/test_grading.py``
    grades the same submission):

    >>> import tempfile, pathlib, shutil
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> subs = tmp / "subs"; subs.mkdir()
    >>> sol = resolve_source("chapters/01_why_retention_matters")
    >>> _ = shutil.copy(sol, subs / "ada_01_why_retention_matters.ipynb")
    >>> report = grade_submissions("chapters/01_why_retention_matters", subs, tmp / "out", jobs=1)  # doctest: +SKIP
    >>> r = report.results[0]  # doctest: +SKIP
    >>> (r.student, r.status, r.total, r.max_points)  # doctest: +SKIP
    ('ada', 'graded', 17.0, 17.0)
    >>> sorted(p.name for p in (tmp / "out").iterdir())  # doctest: +SKIP
    ['feedback', 'gradebook.csv', 'histogram.png', 'summary.md']
    """
    started = time.monotonic()
    src_path = resolve_source(source, root)
    course_root = src_path.parents[2]
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    jobs = check_positive_int("jobs", jobs)
    if jobs > 256:
        raise ValueError(f"jobs must be at most 256, got {jobs}")
    timeout = check_number("timeout", timeout, low=0, low_open=True)
    memory_mb = check_positive_int("memory_mb", memory_mb)
    if memory_mb < 512:
        raise ValueError(f"memory_mb must be at least 512 (a kernel with numpy and pandas needs it), got {memory_mb}")
    if not isinstance(out_dir, (str, os.PathLike)) or not str(out_dir).strip():
        raise ValueError(f"out_dir must be a folder path, got {out_dir!r}")
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    out_dir = Path(out_dir)
    sub_path = Path(submissions) if isinstance(submissions, (str, os.PathLike)) else None
    if sub_path is not None and sub_path.is_dir():
        try:
            out_dir.resolve().relative_to(sub_path.resolve())
        except ValueError:
            pass
        else:
            raise ValueError(f"out_dir {str(out_dir)!r} must not lie inside the submissions folder {str(sub_path)!r}")

    src = load_source(src_path)
    stem = src_path.stem
    env_extra = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                 "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    data_dir = course_root / "datasets"
    if not os.environ.get("COURSEKIT_DATA") and data_dir.is_dir():
        env_extra["COURSEKIT_DATA"] = str(data_dir)

    with tempfile.TemporaryDirectory(prefix="coursekit-grade-", dir=work_folder_parent()) as tmp:
        tmp = Path(tmp)
        found = find_submissions(submissions, stem, workdir=tmp)
        single = sub_path is not None and sub_path.is_file() and sub_path.suffix.lower() == ".ipynb"
        original_hashes = {}
        if sub_path is not None and sub_path.is_file():
            original_hashes[sub_path] = _sha256(sub_path)
        max_points = _max_auto(src)

        def prepare(n, sid, rel, path, problem):
            """Read one submission; return (result, cells to run, job spec or None)."""
            try:
                return _prepare(n, sid, rel, path, problem)
            except OSError as exc:
                result = SubmissionResult(student=sid, file=rel, status="invalid", max_points=max_points)
                result.reason = f"could not read the file: {exc.strerror or exc}"
                return result, [], None
            except Exception as exc:  # noqa: BLE001 - one odd file must not stop the batch
                result = SubmissionResult(student=sid, file=rel, status="invalid", max_points=max_points)
                result.reason = f"not a valid Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})"
                return result, [], None

        def _prepare(n, sid, rel, path, problem):
            result = SubmissionResult(student=sid, file=rel, status="invalid", max_points=max_points)
            if "#" in sid and sid.rsplit("#", 1)[-1].isdigit():
                result.notes.append(f"duplicate student id {sid.rsplit('#', 1)[0]!r}")
            cells, spec = [], None
            if path is not None and problem == "":
                data = path.read_bytes()
                result.sha256 = hashlib.sha256(data).hexdigest()
                if sub_path is not None and sub_path.is_dir():
                    original_hashes[path] = result.sha256
                job = tmp / f"job{n:04d}"
                job.mkdir()
                (job / "submission.ipynb").write_bytes(data)  # the copy that is read; the original is not touched
                nb, problem = read_submission((job / "submission.ipynb").read_bytes())
                if nb is not None:
                    cells, result.answers, notes = build_run(src, nb)
                    if cells:
                        result.notes += notes
                        spec = {"job_dir": str(job), "cells": cells, "timeout": timeout, "memory_mb": memory_mb,
                                "output_cap": OUTPUT_CAP, "env": env_extra, "protected_data": src.protected_data,
                                "protected_tools": src.protected_tools}
                    else:
                        problem = notes[-1]
            elif path is not None and path.is_file():
                result.sha256 = _sha256(path)
            result.reason = problem
            return result, cells, spec

        ready = {}
        if single:  # a single notebook is refused with a one-line reason before anything starts
            ready[0] = prepare(0, *found[0])
            if ready[0][2] is None:
                raise ValueError(f"submissions {str(sub_path)!r}: {ready[0][0].reason}")
        bar = Progress(len(found), sys.stderr.isatty() if progress is None else progress)
        bar.update()
        init = {"preload": preload_modules(src), "memory_mb": memory_mb}
        slot_env = worker_env({**env_extra, "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
        slots = [Slot(init, slot_env, tmp / f"worker{i}.log") for i in range(max(1, min(jobs, len(found))))]
        free: queue.Queue = queue.Queue()
        for slot in slots:
            free.put(slot)

        def run(spec):
            slot = free.get()
            try:
                return slot.run(spec, timeout)
            finally:
                free.put(slot)

        results, futures = [], {}
        pool = ThreadPoolExecutor(max_workers=len(slots))
        try:
            # submissions start running while the next ones are still being read
            for n, (sid, rel, path, problem) in enumerate(found):
                result, cells, spec = ready.pop(n) if n in ready else prepare(n, sid, rel, path, problem)
                results.append(result)
                if spec is None:
                    _finish(result)
                    bar.update("invalid")
                else:
                    futures[pool.submit(run, spec)] = (result, cells)
            for future in as_completed(futures):
                result, cells = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the batch
                    outcome = {"status": "error", "reason": f"grader error: {type(exc).__name__}: {exc}", "cells": []}
                result.status = outcome.get("status", "error")
                result.reason = outcome.get("reason", "")
                result.seconds = float(outcome.get("seconds", 0.0))
                result.notes += _group_notes(outcome.get("notes", []))
                score_submission(src, result, cells, outcome)
                _finish(result)
                bar.update(result.status)
        except BaseException:  # Ctrl-C, bad single input or a bug: no worker or kernel may outlive the batch
            pool.shutdown(wait=False, cancel_futures=True)
            for slot in slots:
                slot.kill()
            raise
        pool.shutdown(wait=True)
        for slot in slots:
            slot.close()
        for path, digest in original_hashes.items():
            if _sha256(path) != digest:
                for result in results:
                    if result.sha256 == digest or path == sub_path:
                        warning = "WARNING: the original file changed during grading"
                        result.reason = "; ".join(x for x in (result.reason, warning) if x)
    results.sort(key=lambda r: (r.student.casefold(), r.file))
    report = GradeReport(
        notebook=src.name, questions=list(src.questions), results=results, out_dir=out_dir,
        gradebook=out_dir / "gradebook.csv", summary=out_dir / "summary.md", histogram=out_dir / "histogram.png",
        feedback_dir=out_dir / "feedback", seconds=0.0, jobs=jobs,
    )
    report.seconds = time.monotonic() - started
    write_reports(report, hidden_text=src.hidden_text)
    return report


def _group_notes(notes: list) -> list:
    """Collect the guard's restorations into one note; keep the other notes as they are."""
    restored = [n for n in notes if not n.startswith(("review", "the grading guard")) and "shadows" not in n
                and "tested as a plain" not in n]
    out = [n for n in notes if n not in restored]
    if restored:
        out.insert(0, "environment restored after answer code changed it: " + ", ".join(restored))
    return out


def _max_auto(src: Source) -> float:
    return float(sum(p for _, p, kind in src.questions if kind == "auto"))


def _finish(result: SubmissionResult) -> None:
    """Merge the notes into the reason column."""
    parts = [result.reason] if result.reason else []
    parts += [n for n in result.notes if n not in parts]
    result.reason = "; ".join(parts)
