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

from coursekit import tables
from coursekit._validate import check_number, check_positive_int
from coursekit.course.grading.phases import grade_one
from coursekit.course.grading.progress import Progress
from coursekit.course.grading.rebuild import answer_job, plan_source, read_submission
from coursekit.course.grading.report import NO_SANDBOX_WARNING, write_reports
from coursekit.course.grading.results import GradeReport, SubmissionResult
from coursekit.course.grading.sandbox import require_bwrap
from coursekit.course.grading.source import Source, load_source, resolve_source
from coursekit.course.grading.submissions import find_submissions
from coursekit.course.grading.worker import OUTPUT_CAP, Runner, runner_env

__all__ = ["grade_submissions", "GradeReport", "SubmissionResult"]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def grade_submissions(source, submissions, out_dir, jobs=None, timeout=120.0, *, memory_mb=3072,
                      progress=None, root=None, sandbox=True) -> GradeReport:
    """Grade every submission of a chapter or case and write the reports.

    Each submission is graded in two phases, each in a sandbox (see
    :mod:`coursekit.course.grading`): the student's cells run between the
    course's own cells and only the values of the answers come out; then the
    source's course and test cells (hidden tests included) run with those values
    and no student code.  Scoring follows nbgrader's rule: a graded test cell
    earns its points if it runs without error, else 0.
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
        Address-space limit of each student's run, in MiB.
    progress : bool, optional
        Show a progress bar on stderr; default: when stderr is a terminal.
    root : str or Path, optional
        Course directory holding ``solutions/``; default the repository root.
    sandbox : bool, default True
        Run both phases inside bubblewrap.  ``False`` (``--no-sandbox``) runs them with your
        own rights: student code can then read and write your files; every row and the
        summary say so.

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
    SandboxUnavailable
        ``sandbox`` is true and bubblewrap is missing or cannot run here (the
        message names the package to install); a :class:`RuntimeError`.

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
    A folder holding one submission, the solution itself (a whole grading run, sandboxes
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
    if not isinstance(sandbox, bool):
        raise TypeError(f"sandbox must be True or False, got {sandbox!r}")
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
    plan = plan_source(src)
    stem = src_path.stem
    # a class may mix the English and the Chinese edition: each submission is graded against the source in its
    # own language (same cells, same grade_ids, same points; its feedback then comes in that language)
    editions = {_language(src): (src, plan)}
    twin = _other_edition(src_path)
    if twin is not None:
        twin_src = load_source(twin)
        if [q[:2] for q in twin_src.questions] == [q[:2] for q in src.questions]:
            editions.setdefault(_language(twin_src), (twin_src, plan_source(twin_src)))
    if sandbox:
        require_bwrap()  # SandboxUnavailable (a RuntimeError) names the package to install
    data_dir = Path(os.environ.get("COURSEKIT_DATA") or course_root / "datasets")
    if not data_dir.is_dir():
        try:
            data_dir = tables.data_dir()  # the datasets/ of the repository holding this package
        except FileNotFoundError:
            data_dir = None
    # the only course folder a sandbox sees: read-only, and never solutions/ or the submissions
    env = {"COURSEKIT_DATA": str(data_dir.resolve())} if data_dir is not None else {}
    readonly = [data_dir.resolve()] if data_dir is not None else []
    cpu = int(timeout) + 5
    base = {"prefix": plan.prefix, "memory_mb": memory_mb, "cpu_seconds": cpu, "timeout": timeout,
            "output_cap": OUTPUT_CAP}

    with tempfile.TemporaryDirectory(prefix="coursekit-grade-") as tmp:
        tmp = Path(tmp)
        found = find_submissions(submissions, stem, workdir=tmp)
        single = sub_path is not None and sub_path.is_file() and sub_path.suffix.lower() == ".ipynb"
        original_hashes = {}
        if sub_path is not None and sub_path.is_file():
            original_hashes[sub_path] = _sha256(sub_path)
        max_points = _max_auto(src)

        def prepare(sid, rel, path, problem):
            """Read one submission; return (result, answer-phase steps or None)."""
            result = SubmissionResult(student=sid, file=rel, status="invalid", max_points=max_points)
            if "#" in sid and sid.rsplit("#", 1)[-1].isdigit():
                result.notes.append(f"duplicate student id {sid.rsplit('#', 1)[0]!r}")
            steps = None
            try:
                if path is not None and problem == "":
                    data = path.read_bytes()  # read once; the original is never written
                    result.sha256 = hashlib.sha256(data).hexdigest()
                    if sub_path is not None and sub_path.is_dir():
                        original_hashes[path] = result.sha256
                    nb, problem = read_submission(data)
                    if nb is not None:
                        lang = nb.metadata.get("language", "en") if nb.metadata.get("language") in editions else \
                            _language(src)
                        language_of[id(result)] = result.language = lang
                        steps, result.answers, notes = answer_job(*editions[lang], nb)
                        if steps:
                            result.notes += notes
                        else:
                            steps, problem = None, notes[-1]
                elif path is not None and path.is_file():
                    result.sha256 = _sha256(path)
            except OSError as exc:
                steps, problem = None, f"could not read the file: {exc.strerror or exc}"
            except Exception as exc:  # noqa: BLE001 - one odd file must not stop the batch
                steps, problem = None, f"not a valid Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})"
            result.reason = problem
            return result, steps

        language_of: dict[int, str] = {}
        ready = {}
        if single:  # a single notebook is refused with a one-line reason before anything starts
            ready[0] = prepare(*found[0])
            if ready[0][1] is None:
                raise ValueError(f"submissions {str(sub_path)!r}: {ready[0][0].reason}")
        bar = Progress(len(found), sys.stderr.isatty() if progress is None else progress)
        bar.update()
        n_pairs = max(1, min(jobs, len(found)))
        runners = []
        pairs: dict[str, queue.Queue] = {}

        def pairs_for(lang):
            """The runner pairs of one edition, started the first time a submission in it is graded."""
            if lang not in pairs:
                ed_plan = editions[lang][1]
                pairs[lang] = queue.Queue()
                for i in range(n_pairs):
                    answer = Runner(dict(base, prefix=ed_plan.prefix, role="answers"), runner_env(env), readonly,
                                    memory_mb, sandbox, tmp / f"answers-{lang}{i}.log")
                    tests = Runner(dict(base, prefix=ed_plan.prefix, role="tests", steps=ed_plan.test_steps),
                                   runner_env(env), readonly, memory_mb, sandbox, tmp / f"tests-{lang}{i}.log")
                    runners.extend([answer, tests])
                    pairs[lang].put((answer, tests))
            return pairs[lang]

        for lang in editions:  # start the sources' own runners now; a second edition's when needed
            if lang == _language(src):
                pairs_for(lang)

        def run(n, result, steps, lang):
            ed_src, ed_plan = editions[lang]
            pool_ = pairs[lang]
            pair = pool_.get()
            try:
                return grade_one(ed_src, ed_plan, result, steps, n, pair, timeout)
            finally:
                pool_.put(pair)

        results, futures = [], {}
        pool = ThreadPoolExecutor(max_workers=n_pairs)
        try:
            # submissions start running while the next ones are still being read
            for n, (sid, rel, path, problem) in enumerate(found):
                result, steps = ready.pop(n) if n in ready else prepare(sid, rel, path, problem)
                results.append(result)
                if steps is None:
                    _finish(result, sandbox)
                    bar.update("invalid")
                else:
                    lang = language_of.get(id(result), _language(src))
                    pairs_for(lang)
                    futures[pool.submit(run, n, result, steps, lang)] = result
            for future in as_completed(futures):
                result = futures[future]
                try:
                    future.result()
                except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the batch
                    result.status = "error"
                    result.reason = f"grader error: {type(exc).__name__}: {exc}"
                _finish(result, sandbox)
                bar.update(result.status)
        except BaseException:  # Ctrl-C, bad single input or a bug: no grading process may outlive the batch
            pool.shutdown(wait=False, cancel_futures=True)
            for runner in runners:
                runner.kill()
            raise
        pool.shutdown(wait=True)
        for runner in runners:
            runner.close()
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
        feedback_dir=out_dir / "feedback", seconds=0.0, jobs=jobs, sandboxed=sandbox,
    )
    report.seconds = time.monotonic() - started
    write_reports(report, hidden_text=[line for ed_src, _ in editions.values() for line in ed_src.hidden_text])
    return report


def _language(src: Source) -> str:
    """The language of a source notebook: ``"zh-CN"`` for the Chinese edition, ``"en"`` otherwise."""
    return src.nb.metadata.get("language", "en")


def _other_edition(src_path: Path) -> Path | None:
    """The same notebook in the other edition (``solutions/cases/x`` <-> ``solutions/cases-zh/x``), if built."""
    folder = src_path.parent.name
    twin_folder = folder.removesuffix("-zh") if folder.endswith("-zh") else folder + "-zh"
    twin = src_path.parent.parent / twin_folder / src_path.name
    return twin if twin.is_file() else None


def _max_auto(src: Source) -> float:
    return float(sum(p for _, p, kind in src.questions if kind == "auto"))


def _finish(result: SubmissionResult, sandboxed: bool) -> None:
    """Merge the notes into the reason column (with the warning of a run without the sandbox)."""
    parts = [result.reason] if result.reason else []
    if not sandboxed and result.status != "invalid":
        result.notes.append(NO_SANDBOX_WARNING)
    parts += [n for n in result.notes if n not in parts]
    result.reason = "; ".join(parts)
