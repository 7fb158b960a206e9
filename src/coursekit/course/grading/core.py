"""Grading a whole class: ``coursekit grade`` (``make grade``).

A teacher holds the notebooks of a class, as a folder or a zip file exported
by a learning-management system, and wants one gradebook.  nbgrader is the
engine of this course (its format, its autograde semantics), but on its own it
grades one notebook after another, shows no progress and a single broken
submission can stop a batch.  :func:`grade_submissions` keeps nbgrader's
semantics and adds what a class needs:

* **Only the answers come from the student.**  Each submission is rebuilt from
  the cell list of its source in ``solutions/``: every test cell (with its
  hidden tests), every locked and every unmarked cell comes from the source;
  only the student's solution cells, matched by nbgrader ``grade_id``, come
  from the submission (a missing solution cell counts as unanswered; cells the
  student added are not run).  Editing or deleting a test cell changes nothing.
  This is nbgrader's *OverwriteCells* step, applied to every cell.
* **nbgrader scoring.**  A graded test cell scores its points if it runs
  without error and 0 otherwise (:func:`nbgrader.utils.determine_grade`);
  manually graded answers are left for the teacher.
* **Isolation and speed.**  ``jobs`` worker processes run submissions in
  parallel.  A worker imports the modules the course's cells import once;
  every submission then gets its own kernel, forked from that warm worker (so
  it skips those imports): its own process and process group (session), its
  own temporary working directory, and address-space, CPU-time and file-size
  limits set with :func:`resource.setrlimit` in the kernel's process; a
  per-notebook time limit (kernel start included) is enforced by the worker,
  and the main process kills a worker that stops answering.  Where ``fork``
  is unavailable (or ``COURSEKIT_GRADE_FORK=0``) kernels are started by
  jupyter_client instead, with the same limits.  The kernel's working
  directory is an empty temporary folder; course data is read through
  ``coursekit`` (``COURSEKIT_DATA`` points to the course's ``datasets/``),
  threaded BLAS is limited to one thread per kernel, and IPython's history
  is kept in memory.  An infinite loop, a crash, ``sys.exit``,
  ``os._exit``, a memory blow-up or a flood of output (each answer cell's
  stored output is capped at :data:`OUTPUT_CAP` characters) costs only that
  student's grade, and the reason is recorded.
* **A clean test environment.**  Before the course's cells and tests run
  again, a guard inside the kernel undoes what answer code changed in the
  environment the tests rely on (see *Fairness* below).
* **Originals are never written.**  Submissions are read once, copied into a
  temporary folder and their SHA-256 recorded in the gradebook; the originals
  are hashed again at the end.
* **Reports.**  ``gradebook.csv``, one feedback page per student
  (``feedback/<student>.html``) and a summary for the teacher
  (``summary.md`` with ``histogram.png``), see :mod:`coursekit.course.grading.report`.

Submissions and student ids
---------------------------
``submissions`` is a folder, a ``.zip`` file or a single ``.ipynb`` file.

* A file directly in the folder (or zip) is one student's submission; the
  student id comes from the file name.  A sub-folder is one student's folder
  (the id comes from the folder name); the notebook inside is the one named
  like the assignment's notebook, or the only notebook in the folder.
* A zip whose content is one single folder is entered (LMS exports often wrap
  everything in one folder).  ``__MACOSX``, hidden files and
  ``.ipynb_checkpoints`` are ignored.
* Student ids (:func:`student_id`): the notebook's own name (e.g.
  ``01_why_retention_matters``, also with ``-``, spaces or copy markers such
  as ``-1`` or ``(2)``) is removed; Moodle's ``_assignsubmission_file_`` and
  what follows is removed, which leaves ``Full Name_<participant id>``;
  Canvas's ``name[_late]_<user id>_<submission id>`` becomes
  ``name_<user id>``; separators at both ends are stripped.  If nothing is
  left the whole name is used.  Two submissions with the same id get
  ``#2``, ``#3`` ... appended, in file-name order, and a note.
* Non-notebook files, corrupt notebooks and notebooks of another assignment
  (no answer cell of this notebook) get the status ``invalid`` with the
  reason; they do not stop the batch.

Statuses
--------
``graded``
    The rebuilt notebook ran to its end; the score is final.
``failed``
    The kernel died (``os._exit``, ``exit()``, a crash, a resource limit):
    tests that ran before count, the rest score 0.
``timeout``
    The notebook exceeded ``timeout`` seconds; its kernel's process group was
    killed; tests that ran before count, the rest score 0.
``invalid``
    Not gradeable (not a notebook, corrupt JSON, wrong notebook, ambiguous
    folder); score 0, nothing was run.
``error``
    The grader itself could not run the submission (e.g. no kernel could be
    started): grade it again.

Fairness: what answer code may and may not do
---------------------------------------------
The tests run in the student's kernel, after the student's code, so answer
code could try to change what the tests see.  Before every course cell or
test that follows an answer cell, the guard restores (and records in the
``reason`` column, as *environment restored*):

* Python's built-ins (``builtins.abs = lambda x: 0``); the functions,
  classes and sub-modules of every ``coursekit`` module
  (``segments.top_share = ...``) and of ``numpy``, ``numpy.testing``,
  ``numpy.linalg``, ``numpy.random``, ``pandas``, ``pandas.testing``,
  ``pandas.api.types``, ``scipy.stats``, ``scipy.optimize``, ``math``,
  ``cmath``, ``operator``, ``statistics`` and ``functools``; the methods of
  the classes that ``coursekit`` and ``pandas`` export
  (``pandas.Series.sum = ...``); modules replaced in ``sys.modules``;
* names bound by the course's own cells to modules, functions and classes
  (``segments = ...``, ``np = ...``), and the course's data that tests read;
* IPython's hooks (custom exception handlers, input and AST transformers,
  event callbacks, instance-level method overrides), ``sys.settrace``,
  ``sys.excepthook`` and ``sys.displayhook``.

A name defined by answer code that shadows a built-in (``def abs(x): ...``)
is hidden from the test cells, which therefore use the real built-in (so an
answer must not be named like a built-in).  An answer read by a test that is
an instance of a notebook-defined subclass of ``float``, ``int``,
``complex``, ``str`` or ``bytes`` (whose comparisons could be rigged) is
tested as the plain value; an instance of any other notebook-defined class is
flagged for review.  A test during which the environment changes (e.g. a
background thread patching functions) scores 0.  Answer code that reaches into
the interpreter (``builtins``, ``sys.modules``, ``gc``, ``ctypes``,
``get_ipython``, ``os._exit`` ...) is flagged for review, not penalised, and
test cells edited or deleted in the submission are listed.  Tampering is
undone, not punished: the teacher reads the ``reason`` column and decides.

Limits: this is an in-kernel guard, not a sandbox.  Student code runs with
the teacher's user rights and can read any file (including ``solutions/``)
and, with enough effort, find and disable the guard from inside the kernel;
hidden-test text is kept out of students' feedback (test tracebacks are never
shown, cached test sources are purged, outputs quoting test code are
withheld), but bytecode of test-defined functions stays reachable.  Mutating
objects in place (``df.iloc[0] = ...``) is not detected.  Grade untrusted
submissions in a container or a throw-away virtual machine.
"""

from __future__ import annotations

import ast
import copy
import csv
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from coursekit._validate import check_number, check_positive_int

__all__ = [
    "STATUSES",
    "SubmissionResult",
    "GradeReport",
    "allowed_notebooks",
    "resolve_source",
    "student_id",
    "find_submissions",
    "grade_submissions",
    "measure_grading",
    "main",
]

#: Every status a submission can get, from best to worst.
STATUSES = ("graded", "failed", "timeout", "invalid", "error")

#: Largest submission file read (bytes); larger files are ``invalid``.
MAX_NOTEBOOK_BYTES = 100 * 2**20
#: Largest total size of the files of a zip archive (bytes).
MAX_ZIP_BYTES = 2 * 2**30
#: Characters of output kept per answer cell (text and images together).
OUTPUT_CAP = 200_000
#: Characters of an error traceback kept per answer cell.
TRACEBACK_CAP = 20_000
#: Seconds the main process waits beyond ``timeout`` before killing a worker.
WORKER_GRACE = 45.0

_NBGRADER_MISSING = "coursekit grade needs nbgrader: install the dev extra (pip install -e '.[dev]')"

# Answer code that reaches into the interpreter is flagged for review.
_SUSPICIOUS = [
    (re.compile(r"\bbuiltins\b|__builtins__"), "builtins"),
    (re.compile(r"\bsys\s*\.\s*modules\b"), "sys.modules"),
    (re.compile(r"\bget_ipython\s*\("), "get_ipython()"),
    (re.compile(r"\bimport\s+gc\b|\bgc\s*\."), "gc"),
    (re.compile(r"\bctypes\b"), "ctypes"),
    (re.compile(r"\bsettrace\b|\bsetprofile\b"), "settrace/setprofile"),
    (re.compile(r"\bos\s*\.\s*_exit\b"), "os._exit"),
    (re.compile(r"\blinecache\b|__code__|__globals__|\binspect\s*\.\s*getsource"), "code introspection"),
    (re.compile(r"\bimportlib\b|\breload\s*\("), "importlib"),
]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class SubmissionResult:
    """The outcome of one submission.

    Attributes
    ----------
    student : str
        Student id derived from the file or folder name (see :func:`student_id`).
    file : str
        The submission's path relative to the submissions folder (for a zip,
        ``archive.zip:member``).
    status : str
        One of :data:`STATUSES`.
    reason : str
        Why the status is not ``graded``, and notes for the teacher.
    sha256 : str
        SHA-256 of the submitted file's bytes ("" if it could not be read).
    points : dict
        Points per question (``grade_id`` of each graded cell); ``None`` for a
        manually graded answer, or when nothing was run.
    total, max_points : float
        Autograded points scored and available.
    seconds : float
        Wall time of the run (0 if nothing was run).
    notes : list of str
        Environment restorations, review flags, missing cells.
    tests : dict
        Per question: ``passed`` (bool or None), ``message``, ``part``
        (``"visible"`` or ``"hidden"``), ``ran`` (bool).
    answers : dict
        Per answer cell: ``source``, ``state`` (answered / unanswered / missing),
        ``outputs`` (the student's own printed output, capped).
    feedback : str
        Path of the feedback page ("" before the reports are written).
    """

    student: str
    file: str
    status: str
    reason: str = ""
    sha256: str = ""
    points: dict = field(default_factory=dict)
    total: float = 0.0
    max_points: float = 0.0
    seconds: float = 0.0
    notes: list = field(default_factory=list)
    tests: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    feedback: str = ""


@dataclass
class GradeReport:
    """What :func:`grade_submissions` produced.

    Attributes
    ----------
    notebook : str
        The graded notebook, ``"<assignment>/<name>"``.
    questions : list of (grade_id, points, kind)
        Graded cells in notebook order; kind is ``"auto"`` or ``"manual"``.
    results : list of SubmissionResult
        One per submission, sorted by student id.
    out_dir, gradebook, summary, histogram, feedback_dir : pathlib.Path
        Where the reports were written.
    seconds : float
        Wall time of the whole batch.
    jobs : int
        Number of submissions run at the same time.
    """

    notebook: str
    questions: list
    results: list
    out_dir: Path
    gradebook: Path
    summary: Path
    histogram: Path
    feedback_dir: Path
    seconds: float
    jobs: int

    @property
    def max_points(self) -> float:
        """Autograded points available."""
        return float(sum(p for _, p, kind in self.questions if kind == "auto"))

    def counts(self) -> dict:
        """Number of submissions per status (every status of :data:`STATUSES`)."""
        out = {s: 0 for s in STATUSES}
        for r in self.results:
            out[r.status] += 1
        return out

    def to_frame(self):
        """The gradebook as a pandas DataFrame (one row per submission)."""
        import pandas as pd

        from coursekit.course.grading import report as grading_report

        return pd.DataFrame(grading_report.gradebook_rows(self), columns=grading_report.gradebook_columns(self))


# ---------------------------------------------------------------------------
# The source notebook
# ---------------------------------------------------------------------------


def allowed_notebooks(root=None) -> list[str]:
    """Return the gradeable notebooks of the course, as ``"<assignment>/<name>"``.

    Parameters
    ----------
    root : str or Path, optional
        Course directory (holding ``solutions/``); default the repository root.

    Returns
    -------
    list of str
        One entry per source notebook in ``solutions/chapters`` and
        ``solutions/cases``, sorted.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ (course directory layout: source and release folders).

    Examples
    --------
    >>> "chapters/01_why_retention_matters" in allowed_notebooks()
    True
    """
    from coursekit.course import notebooks

    root = notebooks.repo_root() if root is None else Path(root)
    return [
        f"{p.parent.name}/{p.stem}"
        for p in notebooks.solution_notebooks(root)
        if p.parent.name in notebooks.ASSIGNMENTS
    ]


def resolve_source(notebook, root=None) -> Path:
    """Return the source notebook (in ``solutions/``) of a chapter or case.

    Parameters
    ----------
    notebook : str or Path
        ``"chapters/01_why_retention_matters"``; the ``.ipynb`` suffix, a
        leading ``solutions/`` or ``./`` and a path to the source or to the
        student version are accepted, and so is the bare name when it is unique.
    root : str or Path, optional
        Course directory; default the repository root.

    Returns
    -------
    pathlib.Path
        ``<root>/solutions/<assignment>/<name>.ipynb``.

    Raises
    ------
    ValueError
        If the notebook is not one of :func:`allowed_notebooks` (the message
        lists them).

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ (course directory layout).

    Examples
    --------
    >>> from coursekit.course.notebooks import repo_root
    >>> resolve_source("chapters/01_why_retention_matters.ipynb").relative_to(repo_root()).as_posix()
    'solutions/chapters/01_why_retention_matters.ipynb'
    >>> resolve_source("01_why_retention_matters").name
    '01_why_retention_matters.ipynb'
    """
    if not isinstance(notebook, (str, os.PathLike)):
        raise TypeError(f"notebook must be a string such as 'chapters/01_why_retention_matters', got {type(notebook).__name__}")
    from coursekit.course import notebooks

    root = notebooks.repo_root() if root is None else Path(root)
    allowed = allowed_notebooks(root)
    text = str(notebook).strip().replace("\\", "/")
    if text.endswith(".ipynb"):
        text = text[: -len(".ipynb")]
    parts = [p for p in text.split("/") if p not in ("", ".")]
    key = "/".join(parts[-2:]) if len(parts) >= 2 else (parts[0] if parts else "")
    if key in allowed:
        match = key
    else:
        by_name = [a for a in allowed if a.split("/")[1] == key]
        if len(by_name) != 1:
            shown = ", ".join(repr(a) for a in allowed) or "(none: solutions/ holds no notebook)"
            raise ValueError(f"notebook must be one of {shown}; got {str(notebook)!r}")
        match = by_name[0]
    return root / "solutions" / f"{match}.ipynb"


def _nbgrader_utils():
    try:
        from nbgrader import utils
        from nbgrader.preprocessors import ClearSolutions
    except ImportError as exc:  # pragma: no cover - nbgrader is installed with the dev extra
        raise RuntimeError(_NBGRADER_MISSING) from exc
    return utils, ClearSolutions


def _names(source: str) -> tuple[set, set]:
    """Names a cell reads and binds (IPython syntax allowed); empty if unparsable."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        tree = ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001 - an unparsable cell simply contributes no names
        return set(), set()
    reads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
        elif isinstance(node, ast.alias):
            binds.add((node.asname or node.name).split(".")[0])
    return reads, binds


def _hidden_lines(source: str) -> set:
    """1-based line numbers between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``."""
    out, inside = set(), False
    for i, line in enumerate(source.splitlines(), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            out.add(i)
    return out


@dataclass
class _Source:
    """A source notebook, prepared for grading."""

    path: Path
    name: str  # "<assignment>/<stem>"
    nb: object
    cells: list  # per cell: dict(kind, grade_id, cell_type, source, points, ...)
    questions: list  # (grade_id, points, kind)
    answer_ids: list
    stubs: dict
    stub_checksums: dict
    protected_data: list  # course data that tests read
    protected_tools: list  # names that course cells and tests read (restored if bound to a tool)
    hidden_text: list


def _load_source(path: Path) -> _Source:
    import nbformat

    utils, ClearSolutions = _nbgrader_utils()
    nb = nbformat.read(path, as_version=4)
    cleared, _ = ClearSolutions().preprocess(copy.deepcopy(nb), {})
    stubs, stub_checksums = {}, {}
    for cell in cleared.cells:
        if utils.is_solution(cell):
            gid = cell.metadata["nbgrader"]["grade_id"]
            stubs[gid] = cell.source
            stub_checksums[gid] = utils.compute_checksum(cell)
    cells, questions, answer_ids, pending = [], [], [], []
    test_reads, course_reads, course_binds, answer_binds, hidden_text = set(), set(), set(), set(), []
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        entry = {"index": index, "cell_type": cell.cell_type, "source": cell.source, "grade_id": gid,
                 "metadata": copy.deepcopy(dict(cell.metadata))}
        if utils.is_solution(cell):
            entry["kind"] = "answer"
            answer_ids.append(gid)
            pending.append(gid)
            answer_binds |= _names(cell.source)[1]
            if utils.is_grade(cell):  # manually graded answer
                entry["points"] = float(meta.get("points", 0))
                entry["question"] = True
                questions.append((gid, entry["points"], "manual"))
        elif utils.is_grade(cell) and cell.cell_type == "code":
            entry.update(kind="test", points=float(meta.get("points", 0)), hidden=sorted(_hidden_lines(cell.source)),
                         answers=pending, question=True)
            pending = []
            questions.append((gid, entry["points"], "auto"))
            reads, binds = _names(cell.source)
            entry["reads"] = sorted(reads)
            test_reads |= reads - binds  # a name the test defines itself needs no protection
            course_reads |= reads - binds
            course_binds |= binds
            lines = cell.source.splitlines()
            hidden_text += [lines[i - 1].strip() for i in entry["hidden"] if len(lines[i - 1].strip()) >= 12]
        elif utils.is_grade(cell):  # manually graded markdown/task cell from the source
            entry["kind"] = "course"
            entry["points"] = float(meta.get("points", 0))
            entry["question"] = True
            questions.append((gid, entry["points"], "manual"))
        else:
            entry["kind"] = "course"
            if cell.cell_type == "code":
                reads, binds = _names(cell.source)
                course_reads |= reads - binds
                course_binds |= binds
        cells.append(entry)
    if not questions:
        raise ValueError(f"source notebook {path} has no graded cell (nbgrader metadata grade: true)")
    protected = sorted((test_reads & course_binds) - answer_binds)
    tools = sorted((course_reads & course_binds) - answer_binds)
    name = f"{path.parent.name}/{path.stem}"
    return _Source(path, name, nb, cells, questions, answer_ids, stubs, stub_checksums, protected, tools, hidden_text)


# ---------------------------------------------------------------------------
# Finding submissions and student ids
# ---------------------------------------------------------------------------

_SEP = r"[\s_\-.]"


def _stem_pattern(stem: str) -> re.Pattern:
    tokens = [t for t in re.split(r"[\s_\-.]+", stem) if t]
    body = f"{_SEP}*".join(re.escape(t) for t in tokens)
    copies = rf"(?:{_SEP}*(?:\(\d+\)|copy\d*|\d+))*"
    return re.compile(body + copies, re.IGNORECASE)


def student_id(name: str, notebook: str) -> str:
    """Derive a student id from a submission's file or folder name.

    Rules, applied in order (case-insensitive):

    1. a trailing ``.ipynb`` is dropped and Unicode is NFC-normalised;
    2. Moodle: ``_assignsubmission_`` and everything after it is removed
       (``Ann Lee_123456_assignsubmission_file_`` becomes ``Ann Lee_123456``);
    3. the notebook's own name is removed wherever it occurs, with ``_``,
       ``-``, ``.`` or spaces between its words, and with copy markers after it
       (``-1``, ``(2)``, ``copy``);
    4. Canvas: ``name[_late]_<user id>_<submission id>`` becomes
       ``name_<user id>``;
    5. separators at both ends are stripped and runs of separators inside are
       collapsed to one;
    6. if nothing is left, the name from step 1 is the id.

    Parameters
    ----------
    name : str
        The file name (``alice_01_why_retention_matters.ipynb``) or the name of
        a student's folder (``alice``).
    notebook : str
        The notebook's name without suffix, e.g. ``"01_why_retention_matters"``.

    Returns
    -------
    str
        The student id.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader zip_collect":
       collecting submissions exported by a learning-management system and
       naming students from their file names).

    Examples
    --------
    >>> nb = "01_why_retention_matters"
    >>> student_id("alice_01_why_retention_matters.ipynb", nb)
    'alice'
    >>> student_id("bob.ipynb", nb)
    'bob'
    >>> student_id("smith_12345_67890_01_why_retention_matters-1.ipynb", nb)
    'smith_12345'
    >>> student_id("lee_LATE_2201_9983_01-why-retention-matters.ipynb", nb)
    'lee_2201'
    >>> student_id("Ann Lee_123456_assignsubmission_file_", nb)
    'Ann Lee_123456'
    >>> student_id("01_why_retention_matters.ipynb", nb)
    '01_why_retention_matters'
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty file or folder name, got {name!r}")
    if not isinstance(notebook, str) or not notebook.strip():
        raise ValueError(f"notebook must be a non-empty notebook name, got {notebook!r}")
    base = unicodedata.normalize("NFC", name.strip())
    if base.lower().endswith(".ipynb"):
        base = base[: -len(".ipynb")]
    text = re.split(r"_assignsubmission_", base, maxsplit=1, flags=re.IGNORECASE)[0]
    text = _stem_pattern(notebook).sub(" ", text)
    text = re.sub(rf"{_SEP}*\s{_SEP}*", lambda m: "_" if "_" in m.group(0) else " ", text)
    text = text.strip(" _-.")
    canvas = re.fullmatch(r"(?P<name>.+?)(?:_late)?_(?P<uid>\d+)_(?P<sid>\d+)", text, flags=re.IGNORECASE)
    if canvas:
        text = f"{canvas.group('name')}_{canvas.group('uid')}"
    text = re.sub(r"_{2,}", "_", text).strip(" _-.")
    return text or base


def _ignored(path_parts) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" or p == ".ipynb_checkpoints" for p in path_parts)


def _extract_zip(archive: Path, dest: Path) -> Path:
    """Extract the files of a zip safely (no absolute paths, no ``..``, size-capped)."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"submissions {str(archive)!r} is not a readable zip file ({exc})") from None
    total = 0
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            parts = [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]
            if not parts or ".." in parts or _ignored(parts):
                continue
            total += info.file_size
            if total > MAX_ZIP_BYTES:
                raise ValueError(f"submissions zip {str(archive)!r} unpacks to more than {MAX_ZIP_BYTES // 2**30} GiB")
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if info.file_size > MAX_NOTEBOOK_BYTES:
                target.write_bytes(b"")  # placeholder: reported as too large below
                (target.parent / (target.name + ".__too_large__")).write_text(str(info.file_size))
                continue
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return dest


def _files_under(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not _ignored(p.relative_to(folder).parts) and not p.name.endswith(".__too_large__")
    )


def find_submissions(submissions, notebook: str, workdir=None) -> list:
    """List the submissions in a folder, a zip file or a single notebook.

    Parameters
    ----------
    submissions : str or Path
        A folder (files directly inside are one submission each; each
        sub-folder is one student's folder), a ``.zip`` of the same, or one
        ``.ipynb`` file.
    notebook : str
        The notebook's name without suffix (e.g. ``"01_why_retention_matters"``),
        used for student ids and to pick the notebook inside a student's folder.
    workdir : str or Path, optional
        Where a zip is extracted; required for a zip.

    Returns
    -------
    list of (student, file, path, problem)
        ``problem`` is "" for a candidate notebook and otherwise the reason it
        is invalid; ``path`` is the file to read.  Sorted by student id.

    Raises
    ------
    ValueError
        If ``submissions`` does not exist, is neither a folder, a zip nor a
        notebook, is an empty folder, or holds no ``.ipynb`` file.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader zip_collect").

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "alice_01_why_retention_matters.ipynb").write_text("{}")
    >>> (d / "bob").mkdir(); _ = (d / "bob" / "Untitled.ipynb").write_text("{}")
    >>> _ = (d / "notes.txt").write_text("hi")
    >>> [(s, f, p) for s, f, _, p in find_submissions(d, "01_why_retention_matters")]
    [('alice', 'alice_01_why_retention_matters.ipynb', ''), ('bob', 'bob/Untitled.ipynb', ''), ('notes', 'notes.txt', 'not a notebook (.txt file)')]
    """
    if not isinstance(notebook, str) or not notebook:
        raise ValueError(f"notebook must be a non-empty notebook name, got {notebook!r}")
    if not isinstance(submissions, (str, os.PathLike)):
        raise TypeError(f"submissions must be a path to a folder, a .zip or an .ipynb file, got {type(submissions).__name__}")
    path = Path(submissions)
    if not str(submissions).strip() or not path.exists():
        raise ValueError(f"submissions {str(submissions)!r} does not exist")
    prefix = ""
    if path.is_file():
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            if workdir is None:
                raise ValueError("workdir is required to read a zip of submissions")
            root = _extract_zip(path, Path(workdir) / "unzipped")
            while True:
                entries = [p for p in root.iterdir() if not _ignored([p.name])]
                if len(entries) == 1 and entries[0].is_dir():
                    root = entries[0]
                else:
                    break
            prefix = path.name + ":"
            files = _files_under(root)
            if not any(f.suffix.lower() == ".ipynb" for f in files):
                raise ValueError(f"submissions zip {str(path)!r} holds no .ipynb notebook")
        elif path.suffix.lower() == ".ipynb":
            return [(student_id(path.name, notebook), path.name, path, "")]
        else:
            raise ValueError(
                f"submissions must be a folder, a .zip or an .ipynb file; {str(path)!r} is not a notebook ({path.suffix or 'no suffix'})"
            )
    elif path.is_dir():
        root = path
        files = _files_under(root)
        if not files:
            raise ValueError(f"submissions folder {str(path)!r} is empty")
        if not any(f.suffix.lower() == ".ipynb" for f in files):
            raise ValueError(f"submissions folder {str(path)!r} holds no .ipynb notebook")
    else:
        raise ValueError(f"submissions {str(path)!r} is neither a folder nor a file")

    found = []
    placeholders = {p.with_name(p.name[: -len(".__too_large__")]) for p in root.rglob("*.__too_large__")}

    def too_large(p: Path) -> bool:
        return p in placeholders or p.stat().st_size > MAX_NOTEBOOK_BYTES

    for entry in sorted(root.iterdir()):
        if _ignored([entry.name]) or entry.name.endswith(".__too_large__"):
            continue
        if entry.is_file():
            rel = prefix + entry.name
            sid = student_id(entry.name if entry.suffix.lower() == ".ipynb" else entry.stem, notebook)
            problem = ""
            if too_large(entry):
                problem = f"file too large (more than {MAX_NOTEBOOK_BYTES // 2**20} MiB)"
            elif entry.suffix.lower() != ".ipynb":
                problem = f"not a notebook ({entry.suffix or 'no suffix'} file)" if entry.suffix else "not a notebook (no .ipynb suffix)"
            found.append((sid, rel, entry, problem))
        elif entry.is_dir():
            sid = student_id(entry.name, notebook)
            inside = _files_under(entry)
            nbs = [f for f in inside if f.suffix.lower() == ".ipynb"]
            pattern = _stem_pattern(notebook)
            chosen, problem = None, ""
            if len(nbs) == 1:
                chosen = nbs[0]
            elif nbs:
                exact = [f for f in nbs if f.stem == notebook]
                named = [f for f in nbs if pattern.search(f.stem)]
                pick = exact or named
                if len(pick) == 1:
                    chosen = pick[0]
                else:
                    listed = ", ".join(f.relative_to(entry).as_posix() for f in nbs)
                    problem = f"{len(nbs)} notebooks in the folder and not exactly one named like {notebook}.ipynb: {listed}"
            elif inside:
                listed = ", ".join(f.relative_to(entry).as_posix() for f in inside[:5])
                problem = f"no .ipynb notebook in the folder (found {listed})"
            else:
                problem = "empty folder"
            rel = prefix + (chosen.relative_to(root).as_posix() if chosen else entry.name + "/")
            if chosen is not None and too_large(chosen):
                problem = f"file too large (more than {MAX_NOTEBOOK_BYTES // 2**20} MiB)"
            found.append((sid, rel, chosen, problem))
    # duplicate ids get #2, #3 ... in file order
    seen: dict = {}
    out = []
    for sid, rel, p, problem in sorted(found, key=lambda t: (t[0].casefold(), t[1])):
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            sid = f"{sid}#{seen[sid]}"
        out.append((sid, rel, p, problem))
    return out


# ---------------------------------------------------------------------------
# Reading a submission and rebuilding the notebook to run
# ---------------------------------------------------------------------------


def _read_submission(data: bytes):
    """Parse a submission's bytes; return (notebook, "") or (None, problem)."""
    import nbformat
    from nbformat import reader as nbreader

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not UTF-8 text"
    if not text.strip():
        return None, "corrupt notebook: the file is empty"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"corrupt JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list) or "nbformat" not in raw:
        return None, "not a Jupyter notebook: the JSON has no 'cells' list or no 'nbformat' version"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # no schema validation: Jupyter opens slightly off-schema notebooks, and so do we
            nb = nbformat.convert(nbreader.reads(text), 4)
    except Exception as exc:  # noqa: BLE001 - any reader failure makes the file invalid
        return None, f"not a valid Jupyter notebook ({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''})"
    return nb, ""


def _nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata ({} when missing or malformed)."""
    meta = cell.get("metadata") if hasattr(cell, "get") else None
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def _cell_text(cell) -> str:
    """A cell's source as one string, whatever shape a hand-edited notebook gives it."""
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return source if isinstance(source, str) else str(source)


def _suspicious(source: str) -> list[str]:
    return [label for pattern, label in _SUSPICIOUS if pattern.search(source)]


def _same_code(a: str, b: str) -> bool:
    norm = lambda s: "\n".join(line.rstrip() for line in s.strip().splitlines())  # noqa: E731
    return norm(a) == norm(b)


def _build_run(src: _Source, nb) -> tuple[list, dict, list]:
    """Rebuild the cells to run from the source cell list and the student's answers.

    Returns (cells to run, answers, notes).
    """
    student = {}
    duplicates = set()
    for cell in nb.cells:
        gid = _nbgrader_meta(cell).get("grade_id")
        if isinstance(gid, str) and gid in src.stubs:
            if gid in student:
                duplicates.add(gid)
            else:
                student[gid] = cell
    notes = []
    utils, _ = _nbgrader_utils()
    locked = {e["grade_id"] for e in src.cells if e["grade_id"] and e["kind"] != "answer"}
    present, edited = set(), []
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if isinstance(gid, str) and gid in locked:
            present.add(gid)
            checksum = meta.get("checksum")
            try:
                changed = bool(checksum) and utils.compute_checksum(cell) != checksum
            except Exception:  # noqa: BLE001 - a mangled cell counts as edited
                changed = True
            if changed and gid not in edited:
                edited.append(gid)
    deleted = [gid for gid in (e["grade_id"] for e in src.cells if e["kind"] == "test") if gid not in present]
    if not student:
        return [], {}, [f"no answer cell of {src.name} (grade_ids {', '.join(src.answer_ids[:3])} ...): is this the right notebook?"]
    answers, run = {}, []
    missing = [gid for gid in src.answer_ids if gid not in student]
    if missing:
        notes.append(f"answer cells missing (counted as unanswered): {', '.join(missing)}")
    if duplicates:
        notes.append(f"answer cells present twice (the first was graded): {', '.join(sorted(duplicates))}")
    if edited:
        notes.append(f"test or locked cells edited in the submission (the source's were run): {', '.join(edited)}")
    if deleted:
        notes.append(f"test cells deleted in the submission (the source's were run): {', '.join(deleted)}")
    for entry in src.cells:
        kind = entry["kind"]
        if kind == "answer":
            gid = entry["grade_id"]
            cell = student.get(gid)
            source = _cell_text(cell) if cell is not None else src.stubs[gid]
            if cell is None:
                state = "missing"
            elif _same_code(source, src.stubs[gid]):
                state = "unanswered"
            else:
                state = "answered"
            if cell is not None and cell.get("cell_type") != entry["cell_type"]:
                notes.append(f"answer cell {gid} was turned into a {cell.get('cell_type')} cell; graded as {entry['cell_type']}")
            flags = _suspicious(source) if entry["cell_type"] == "code" and state == "answered" else []
            if flags:
                notes.append(f"review answer {gid}: uses {', '.join(flags)}")
            answers[gid] = {"source": source, "state": state, "cell_type": entry["cell_type"], "outputs": [],
                            "status": "not run"}
            if entry["cell_type"] == "code" and source.strip():
                run.append({"kind": "answer", "grade_id": gid, "code": source, "label": f"answer cell {gid}"})
        elif entry["cell_type"] == "code" and entry["source"].strip():
            item = {"kind": kind, "grade_id": entry["grade_id"], "code": entry["source"]}
            if kind == "test":
                item["label"] = f"test cell {entry['grade_id']}"
                item["reads"] = entry["reads"]
            else:
                item["label"] = f"course cell {entry['index'] + 1}"
            run.append(item)
    return run, answers, notes


# ---------------------------------------------------------------------------
# The in-kernel guard (sent as source text to every grading kernel)
# ---------------------------------------------------------------------------

_GUARD_SOURCE = r'''
def _coursekit_guard_install(config):
    import builtins, linecache, sys, types

    ip = get_ipython()
    ns = ip.user_ns
    missing = object()
    exact = frozenset(config["modules"])
    prefixes = tuple(config["packages"])
    class_modules = frozenset(config["class_modules"])
    roots = frozenset(n.split(".")[0] for n in list(exact) + list(prefixes))
    class_prefixes = tuple(config["class_prefixes"])
    protected = frozenset(config["protected_data"])
    tools = frozenset(config["protected_tools"])
    markers = tuple(config["markers"])
    volatile = frozenset(config["volatile"])
    hook_lists = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    S = {"ns": dict(ns), "course": set(ns), "dirty": False, "stash": {}, "converted": {}}
    # answers of a notebook-defined subclass of a built-in type (which could rig
    # comparisons) are tested as the plain built-in value
    plain_types = ((float, float.__float__), (int, int.__int__), (complex, complex.__complex__),
                   (str, str.__str__), (bytes, bytes.__bytes__))

    def watched(value):
        return isinstance(value, (types.ModuleType, type)) or callable(value)

    def in_scope(name, heads):
        return any(name == p or name.startswith(p + ".") for p in heads)

    def snap_builtins():
        return {k: v for k, v in vars(builtins).items() if k not in volatile}

    def snap_hooks():
        return {
            "events": {k: list(v) for k, v in ip.events.callbacks.items()},
            "lists": {a: list(getattr(ip, a)) for a in hook_lists},
            "custom": (ip.custom_exceptions, ip.CustomTB),
            "sys": (sys.gettrace(), sys.getprofile(), sys.excepthook, sys.displayhook),
            "compile": ip.compile,
            "instance": set(vars(ip)),
        }

    def snap_modules():
        mods, classes = {}, {}
        for name, mod in list(sys.modules.items()):
            if mod is None or not (name in exact or in_scope(name, prefixes)):
                continue
            d = getattr(mod, "__dict__", None)
            if type(d) is not dict:
                continue
            mods[name] = (mod, {k: v for k, v in d.items() if watched(v)})
            if name in class_modules or in_scope(name, class_prefixes):
                for v in list(d.values()):
                    owner = getattr(v, "__module__", "") or ""
                    if isinstance(v, type) and id(v) not in classes and (owner.split(".")[0] in roots):
                        classes[id(v)] = (v, dict(vars(v)))
        return mods, classes

    def snapshot():
        S["builtins"] = snap_builtins()
        S["hooks"] = snap_hooks()
        S["modules"], S["classes"] = snap_modules()

    def check_builtins():
        notes = []
        b = vars(builtins)
        for k, v in S["builtins"].items():
            if b.get(k, missing) is not v:
                notes.append("builtins.%s %s" % (k, "deleted" if k not in b else "replaced"))
                b[k] = v
        for k in [k for k in b if k not in S["builtins"] and k not in volatile]:
            notes.append("builtins.%s added" % k)
            del b[k]
        if ns.get("__builtins__", missing) is not builtins and ns.get("__builtins__", missing) is not b:
            notes.append("__builtins__ rebound")
            ns["__builtins__"] = builtins
        return notes

    def check_modules():
        notes = []
        for name, (mod, snap) in S["modules"].items():
            if sys.modules.get(name, missing) is not mod:
                notes.append("sys.modules[%r] replaced" % name)
                sys.modules[name] = mod
            d = mod.__dict__
            for k, v in snap.items():
                if d.get(k, missing) is not v:
                    notes.append("%s.%s %s" % (name, k, "deleted" if k not in d else "replaced"))
                    d[k] = v
        for cls, snap in S["classes"].values():
            d = vars(cls)
            for k, v in snap.items():
                if d.get(k, missing) is not v:
                    notes.append("%s.%s.%s %s" % (cls.__module__, cls.__qualname__, k, "deleted" if k not in d else "replaced"))
                    try:
                        setattr(cls, k, v)
                    except Exception:
                        pass
            for k in [k for k in d if k not in snap]:
                if callable(d[k]) or (k.startswith("__") and k.endswith("__")):
                    notes.append("%s.%s.%s added" % (cls.__module__, cls.__qualname__, k))
                    try:
                        delattr(cls, k)
                    except Exception:
                        pass
        return notes

    def check_hooks():
        notes = []
        h = S["hooks"]
        for k, cbs in h["events"].items():
            cur = ip.events.callbacks.get(k)
            if cur is None or len(cur) != len(cbs) or any(a is not b for a, b in zip(cur, cbs)):
                notes.append("IPython %s callbacks changed" % k)
                ip.events.callbacks[k] = list(cbs)
        for a in hook_lists:
            cur = getattr(ip, a)
            if len(cur) != len(h["lists"][a]) or any(x is not y for x, y in zip(cur, h["lists"][a])):
                notes.append("IPython %s changed" % a)
                setattr(ip, a, list(h["lists"][a]))
        if ip.custom_exceptions is not h["custom"][0] or ip.CustomTB is not h["custom"][1]:
            notes.append("IPython custom exception handler set")
            ip.custom_exceptions, ip.CustomTB = h["custom"]
        trace, profile, excepthook, displayhook = h["sys"]
        if sys.gettrace() is not trace:
            notes.append("sys.settrace used")
            sys.settrace(trace)
        if sys.getprofile() is not profile:
            notes.append("sys.setprofile used")
            sys.setprofile(profile)
        if sys.excepthook is not excepthook:
            notes.append("sys.excepthook replaced")
            sys.excepthook = excepthook
        if sys.displayhook is not displayhook:
            notes.append("sys.displayhook replaced")
            sys.displayhook = displayhook
        if ip.compile is not h["compile"]:
            notes.append("IPython compiler replaced")
            ip.compile = h["compile"]
        for k in [k for k in vars(ip) if k not in h["instance"]]:
            if callable(getattr(type(ip), k, None)):
                notes.append("IPython method %s overridden" % k)
                try:
                    delattr(ip, k)
                except Exception:
                    pass
        return notes

    def clear_last():
        for a in ("last_type", "last_value", "last_traceback", "last_exc"):
            if hasattr(sys, a):
                try:
                    delattr(sys, a)
                except Exception:
                    pass

    def before_answer(args):
        if S["dirty"]:  # an answer cell ran since the last course cell: nothing new to trust
            return {"notes": []}
        cur = dict(ns)
        for k, v in cur.items():
            if S["ns"].get(k, missing) is not v:
                S["course"].add(k)
        S["course"] &= set(cur)
        S["ns"] = cur
        snapshot()
        for cache in (linecache.cache, getattr(linecache, "_ipython_cache", {})):
            for key in list(cache):
                try:
                    text = "".join(cache[key][2])
                except Exception:
                    continue
                if any(m in text for m in markers):
                    cache.pop(key, None)
        clear_last()
        S["dirty"] = True
        return {"notes": []}

    def before_course(args):
        notes = []
        if S["dirty"]:
            for k in sorted(S["course"]):
                old, now = S["ns"].get(k, missing), ns.get(k, missing)
                if now is old or k.startswith("_"):
                    continue
                if old is not missing and (k in protected or (k in tools and watched(old))):
                    notes.append("name %s (set by the course) rebound" % k)
                    ns[k] = old
                else:
                    S["course"].discard(k)
            notes += check_builtins() + check_modules() + check_hooks()
            S["ns"] = dict(ns)
            S["dirty"] = False
        if args.get("test"):
            snapshot()
            b = S["builtins"]
            for k in list(ns):
                if not k.startswith("_") and k in b and k not in S["course"] and ns[k] is not b[k]:
                    S["stash"][k] = ns.pop(k)
                    notes.append("%s shadows a built-in (tests used the built-in)" % k)
            for k in args.get("reads", ()):
                v = ns.get(k, missing)
                if v is missing or getattr(type(v), "__module__", None) != "__main__":
                    continue
                for base, plain in plain_types:
                    if isinstance(v, base):
                        S["converted"][k] = (v, plain(v))
                        ns[k] = S["converted"][k][1]
                        notes.append("%s (a %s subclass defined in the notebook) was tested as a plain %s"
                                     % (k, base.__name__, base.__name__))
                        break
                else:
                    notes.append("review: %s is an object of class %s defined in the notebook" % (k, type(v).__name__))
            clear_last()
        return {"notes": notes}

    def after_test(args):
        notes = check_builtins() + check_modules() + check_hooks()
        lineno = None
        tb = getattr(sys, "last_traceback", None)
        while tb is not None:
            if tb.tb_frame.f_code.co_name == "<module>":
                lineno = tb.tb_lineno
                break
            tb = tb.tb_next
        clear_last()
        for k, v in S["stash"].items():
            if k not in ns:
                ns[k] = v
        S["stash"].clear()
        for k, (orig, plain) in S["converted"].items():
            if ns.get(k, missing) is plain:
                ns[k] = orig
        S["converted"].clear()
        # S["ns"] is left as it was: what course cells and tests bound since the
        # last check becomes trusted at the next before_answer
        return {"notes": notes, "lineno": lineno}

    calls = {"before_answer": before_answer, "before_course": before_course, "after_test": after_test}

    def call(steps):
        return [calls[name](args) for name, args in steps]

    snapshot()
    guard = types.ModuleType("_coursekit_grading_guard")
    guard.call = call
    sys.modules["_coursekit_grading_guard"] = guard
'''

_GUARD_CALL = "__import__('sys').modules['_coursekit_grading_guard'].call({steps!r})"

_GUARD_CONFIG = {
    # modules whose functions and classes tests may call: these modules ...
    "modules": ["builtins", "math", "cmath", "operator", "statistics", "functools", "numpy", "numpy.testing",
                "numpy.linalg", "numpy.random", "pandas", "pandas.testing", "pandas.api.types", "scipy.stats",
                "scipy.optimize"],
    # ... and these packages with all their modules
    "packages": ["coursekit"],
    # classes whose methods are watched: those exported by these modules ...
    "class_modules": ["pandas"],
    # ... and by these packages with all their modules
    "class_prefixes": ["coursekit"],
    # names IPython itself puts into builtins around each execution
    "volatile": ["_", "__", "___", "exit", "quit", "get_ipython", "display", "__IPYTHON__", "__IPYTHON__active",
                 "dreload", "__builtin__"],
    "markers": ["BEGIN HIDDEN TESTS"],
}


# ---------------------------------------------------------------------------
# The worker: one submission, one process, one kernel
# ---------------------------------------------------------------------------


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
            msg = kc.get_iopub_msg(timeout=min(remaining, 0.5)) if not idle else kc.get_shell_msg(timeout=min(remaining, 0.5))
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
    expr = _GUARD_CALL.format(steps=[(name, args) for name, args in steps])
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


def _set_limits(memory_mb: int, timeout: float) -> None:
    """Resource limits of a grading kernel (set in the kernel's own process)."""
    import resource

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
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

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
                import asyncio

                loop = asyncio.new_event_loop()  # never reuse the worker's event loop
                asyncio.set_event_loop(loop)
                try:
                    from jupyter_core import utils as _jc_utils

                    _jc_utils._loop.set(loop)
                except Exception:  # noqa: BLE001
                    pass
                sys.argv = ["ipykernel_launcher", "-f", conn, *_KERNEL_ARGS]
                from ipykernel.kernelapp import IPKernelApp

                IPKernelApp.launch_instance(argv=sys.argv[1:])
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:  # noqa: BLE001
                import traceback

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
        from jupyter_client import KernelManager

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
    return hasattr(os, "fork") and sys.platform.startswith("linux") and os.environ.get("COURSEKIT_GRADE_FORK", "1") != "0"


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
        config = dict(_GUARD_CONFIG, protected_data=spec["protected_data"], protected_tools=spec["protected_tools"])
        install = _GUARD_SOURCE + f"\n_coursekit_guard_install({config!r})\ndel _coursekit_guard_install\n"
        reply = _execute(kc, kernel, install, deadline, silent=True, store_history=False)
        if reply.get("status") != "ok":
            out.update(status="error", reason=f"the grading guard could not be installed: {reply.get('ename')}: {reply.get('evalue')}")
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
                    out["notes"].append(f"the grading guard stopped answering before {current} (disabled by answer code?): later tests score 0")
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
    except _Timeout:
        for r in results:
            if r["status"] == "running":
                r["status"] = "interrupted"
        out.update(status="timeout", reason=f"stopped after {timeout:g} s (time limit) while running {current}")
    except _KernelDied:
        for r in results:
            if r["status"] == "running":
                r["status"] = "interrupted"
        out.update(status="failed", reason=f"the kernel died while running {current} ({kernel.death()})")
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


def _worker_main() -> None:
    """A grading worker: preload the notebook's modules once, then run jobs read from stdin.

    Protocol (one JSON document per line on stdin): first ``{"preload": [...],
    "memory_mb": N}``, then one job spec per line.  The worker answers
    ``@@coursekit-grade ready`` once, then ``@@coursekit-grade done`` after
    writing each job's ``result.json``.  It exits at the end of stdin.
    """
    import importlib
    import resource

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
        except BaseException as exc:  # noqa: BLE001
            result = {"status": "error", "reason": f"grader error: {type(exc).__name__}: {exc}", "cells": [],
                      "notes": [], "seconds": 0.0}
        target = Path(spec["job_dir"]) / "result.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(result), encoding="utf-8")
        tmp.replace(target)
        print(_PROTOCOL, "done", flush=True)


def _worker_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = package_parent + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


class _Slot:
    """One long-lived worker process; runs one job at a time.

    The worker is started lazily, restarted after it dies or is killed (a hung
    job), and killed with its current kernel when the batch is interrupted.
    """

    def __init__(self, init: dict, env: dict, log: Path):
        self.init, self.env, self.log = init, env, log
        self.proc = None
        self.job = None
        self.buffer = b""

    def _line(self, deadline: float) -> str | None:
        """Next protocol line from the worker; None on timeout or if the worker ended."""
        import select

        proc = self.proc
        if proc is None:
            return None
        fd = proc.stdout.fileno()
        while True:
            while b"\n" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\n", 1)
                text = raw.decode(errors="replace").strip()
                if text.startswith(_PROTOCOL):
                    return text[len(_PROTOCOL):].strip()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return None
                if not chunk:
                    return None
                self.buffer += chunk

    def _start(self) -> None:
        code = "from coursekit.course.grading.core import _worker_main; _worker_main()"
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
            self.proc.stdin.write((json.dumps(spec) + "\n").encode())
            self.proc.stdin.flush()
        except (OSError, RuntimeError) as exc:
            self.kill()
            return {"status": "error", "reason": f"grader error: {exc}", "cells": [], "notes": [], "seconds": 0.0}
        proc = self.proc
        answer = self._line(time.monotonic() + timeout + WORKER_GRACE)
        self.job = None
        if answer == "done" and (job / "result.json").exists():
            return json.loads((job / "result.json").read_text(encoding="utf-8"))
        if proc.poll() is None:  # hung: kill its kernel and the worker
            self.kill(job)
            return {"status": "timeout", "reason": f"stopped after {timeout:g} s (time limit); the worker was killed",
                    "cells": [], "notes": [], "seconds": timeout + WORKER_GRACE}
        code = proc.returncode
        self.proc = None
        return {"status": "error", "reason": f"the grading worker ended unexpectedly ({_describe_exit(code)})",
                "cells": [], "notes": [], "seconds": 0.0}

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


def _preload_modules(src: "_Source") -> list[str]:
    """Modules the course's own cells import (preloaded once per worker)."""
    names = ["IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "jupyter_client"]
    for entry in src.cells:
        if entry["kind"] == "answer" or entry["cell_type"] != "code":
            continue
        try:
            from IPython.core.inputtransformer2 import TransformerManager

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


# ---------------------------------------------------------------------------
# Scoring (nbgrader semantics)
# ---------------------------------------------------------------------------


def _score(src: _Source, result: SubmissionResult, run_cells: list, outcome: dict) -> None:
    """Fill in points, tests and answer outputs from a worker's outcome."""
    import nbformat

    utils, _ = _nbgrader_utils()
    by_grade = {}
    for cell, res in zip(run_cells, outcome.get("cells", [])):
        if cell["kind"] == "answer":
            ans = result.answers[cell["grade_id"]]
            ans["status"] = res.get("status", "not run")
            ans["outputs"] = res.get("outputs", [])
        elif cell["kind"] == "test":
            by_grade[cell["grade_id"]] = res
    course_errors = [
        f"{cell['label']} ({res.get('ename')})"
        for cell, res in zip(run_cells, outcome.get("cells", []))
        if cell["kind"] == "course" and res.get("status") == "error"
    ]
    if course_errors:
        result.notes.append(f"course cells raised errors: {', '.join(course_errors[:3])}{' ...' if len(course_errors) > 3 else ''}")
    for entry in src.cells:
        if not entry.get("question"):
            continue
        gid = entry["grade_id"]
        cell = nbformat.v4.new_code_cell(entry["source"]) if entry["cell_type"] == "code" else (
            nbformat.v4.new_markdown_cell(entry["source"]))
        cell.metadata = nbformat.from_dict(copy.deepcopy(entry["metadata"]))
        if entry["kind"] == "test":
            res = by_grade.get(gid, {"status": "not run"})
            ran = res.get("status") in ("ok", "error")
            tampered = res.get("tampered") or []
            failed = not ran or res.get("status") == "error" or bool(tampered)
            cell.outputs = [nbformat.v4.new_output("error", ename=res.get("ename", "Error"), evalue=res.get("evalue", ""),
                                                   traceback=[])] if failed else []
            score, max_score = utils.determine_grade(cell)
            lineno = res.get("lineno")
            part = None
            if failed and ran and not tampered:
                part = "hidden" if lineno in set(entry["hidden"]) else "visible"
            if not ran:
                message = "not run: " + ("the notebook stopped before this test" if outcome.get("status") != "graded" else "skipped")
            elif tampered:
                message = "the test environment changed while this test ran: " + "; ".join(tampered[:3])
            elif failed:
                ename, evalue = res.get("ename", "Error"), res.get("evalue", "")
                message = f"{ename}: {evalue}" if evalue else ename
            else:
                message = ""
            visible_line = ""
            if part == "visible" and isinstance(lineno, int):
                lines = entry["source"].splitlines()
                if 0 < lineno <= len(lines):
                    visible_line = lines[lineno - 1].strip()
            result.tests[gid] = {"passed": not failed, "message": message, "part": part, "ran": ran,
                                 "points": float(score), "max": float(max_score), "line": visible_line,
                                 "answers": list(entry.get("answers", []))}
            result.points[gid] = float(score)
        else:  # manually graded answer or task: nbgrader leaves it to the teacher (0 if unanswered)
            if entry["kind"] == "answer":
                cell.source = result.answers[gid]["source"]
                cell.metadata["nbgrader"]["checksum"] = src.stub_checksums[gid]
            score, max_score = utils.determine_grade(cell)
            result.points[gid] = None if score is None else float(score)
            result.tests[gid] = {"passed": None, "message": "graded by the teacher" if score is None else "unanswered",
                                 "part": None, "ran": False, "points": result.points[gid], "max": float(max_score),
                                 "line": "", "answers": [gid] if entry["kind"] == "answer" else []}
    result.total = float(sum(p for gid, p, kind in src.questions if kind == "auto" and result.points.get(gid)))


# ---------------------------------------------------------------------------
# Progress bar
# ---------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr (in place on a terminal, every 10 % otherwise)."""

    def __init__(self, total: int, enabled: bool, stream=None, width: int = 24):
        self.total, self.enabled, self.width = total, enabled, width
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.ran = 0  # submissions whose notebook was run (the ETA is based on these)
        self.counts = {s: 0 for s in STATUSES}
        self.start = time.monotonic()
        self.last_decile = -1
        self.lock = threading.Lock()

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        c = self.counts
        elapsed = time.monotonic() - self.start
        eta = f" · {(elapsed / self.ran) * (self.total - self.done):.0f} s left" if self.ran and self.done < self.total else ""
        extra = "".join(f" · {c[s]} {s}" for s in ("invalid", "error") if c[s])
        return (f"grading [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} · "
                f"{c['graded']} graded · {c['failed']} failed · {c['timeout']} timed out{extra}{eta}")

    def update(self, status: str | None = None) -> None:
        if status is not None:
            with self.lock:
                self.done += 1
                self.counts[status] += 1
                self.ran += status != "invalid"
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line().ljust(110) + ("\n" if self.done == self.total else ""))
        else:
            decile = int(10 * self.done / self.total) if self.total else 10
            if decile == self.last_decile:
                return
            self.last_decile = decile
            self.stream.write(self.line() + "\n")
        self.stream.flush()


# ---------------------------------------------------------------------------
# The public API
# ---------------------------------------------------------------------------


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
        (see :func:`resolve_source`).
    submissions : str or Path
        A folder, a ``.zip`` or a single ``.ipynb`` (see :func:`find_submissions`).
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
    >>> import tempfile, pathlib, shutil
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> subs = tmp / "subs"; subs.mkdir()
    >>> sol = resolve_source("chapters/01_why_retention_matters")
    >>> _ = shutil.copy(sol, subs / "ada_01_why_retention_matters.ipynb")
    >>> report = grade_submissions("chapters/01_why_retention_matters", subs, tmp / "out", jobs=1)
    >>> r = report.results[0]
    >>> (r.student, r.status, r.total, r.max_points)
    ('ada', 'graded', 17.0, 17.0)
    >>> sorted(p.name for p in (tmp / "out").iterdir())
    ['feedback', 'gradebook.csv', 'histogram.png', 'summary.md']
    """
    from coursekit.course.grading import report as grading_report

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

    src = _load_source(src_path)
    stem = src_path.stem
    env_extra = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                 "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    data_dir = course_root / "datasets"
    if not os.environ.get("COURSEKIT_DATA") and data_dir.is_dir():
        env_extra["COURSEKIT_DATA"] = str(data_dir)

    with tempfile.TemporaryDirectory(prefix="coursekit-grade-") as tmp:
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
                nb, problem = _read_submission((job / "submission.ipynb").read_bytes())
                if nb is not None:
                    cells, result.answers, notes = _build_run(src, nb)
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
        bar = _Progress(len(found), sys.stderr.isatty() if progress is None else progress)
        bar.update()
        init = {"preload": _preload_modules(src), "memory_mb": memory_mb}
        worker_env = _worker_env({**env_extra, "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
        slots = [_Slot(init, worker_env, tmp / f"worker{i}.log") for i in range(max(1, min(jobs, len(found))))]
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
                _score(src, result, cells, outcome)
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
                        result.reason = "; ".join(x for x in (result.reason, "WARNING: the original file changed during grading") if x)
    results.sort(key=lambda r: (r.student.casefold(), r.file))
    report = GradeReport(
        notebook=src.name, questions=list(src.questions), results=results, out_dir=out_dir,
        gradebook=out_dir / "gradebook.csv", summary=out_dir / "summary.md", histogram=out_dir / "histogram.png",
        feedback_dir=out_dir / "feedback", seconds=0.0, jobs=jobs,
    )
    report.seconds = time.monotonic() - started
    grading_report.write_reports(report, hidden_text=src.hidden_text)
    return report


def _group_notes(notes: list) -> list:
    """Collect the guard's restorations into one note; keep the other notes as they are."""
    restored = [n for n in notes if not n.startswith(("review", "the grading guard")) and "shadows" not in n
                and "tested as a plain" not in n]
    out = [n for n in notes if n not in restored]
    if restored:
        out.insert(0, "environment restored after answer code changed it: " + ", ".join(restored))
    return out


def _max_auto(src: _Source) -> float:
    return float(sum(p for _, p, kind in src.questions if kind == "auto"))


def _finish(result: SubmissionResult) -> None:
    """Merge the notes into the reason column."""
    parts = [result.reason] if result.reason else []
    parts += [n for n in result.notes if n not in parts]
    result.reason = "; ".join(parts)


# ---------------------------------------------------------------------------
# Benchmark: coursekit grade versus sequential nbgrader autograde
# ---------------------------------------------------------------------------


def _bench_submissions(source: Path, student: Path) -> list[bytes]:
    """Three realistic submissions: correct, partly correct, untouched."""
    import nbformat

    utils, _ = _nbgrader_utils()
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
            binds = sorted(_names(answers[gid])[1])
            cell.source = answers[gid] if k % 2 == 0 else "\n".join(f"{name} = 1" for name in binds)
            k += 1
    untouched = student.read_bytes()
    return [nbformat.writes(correct).encode(), nbformat.writes(partial).encode(), untouched]


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
    >>> m = measure_grading(n=1, jobs=1)
    >>> sorted(m)
    ['coursekit_seconds', 'jobs', 'n', 'nbgrader_seconds', 'ratio', 'scores_agree']
    >>> (m["n"], m["jobs"], m["scores_agree"])
    (1, 1, True)
    """
    from coursekit.course import notebooks

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
        variants = _bench_submissions(course / "solutions" / assignment / source.name, course / assignment / source.name)
        folder = tmp / "submissions"
        folder.mkdir()
        students = [f"s{i:03d}" for i in range(n)]
        for i, sid in enumerate(students):
            data = variants[i % len(variants)]
            (folder / f"{sid}_{stem}.ipynb").write_bytes(data)
            dest = course / "submitted" / sid / assignment
            dest.mkdir(parents=True)
            (dest / source.name).write_bytes(data)
        env = _worker_env()
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
        from nbgrader.api import Gradebook

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


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def add_arguments(parser) -> None:
    """Declare the arguments of ``coursekit grade`` on an argparse parser.

    References
    ----------
    .. [1] Python documentation, :mod:`argparse`.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(); add_arguments(p)
    >>> a = p.parse_args(["chapters/01_why_retention_matters", "subs.zip", "--jobs", "4"])
    >>> (a.notebook, a.submissions, a.out, a.jobs, a.timeout, a.memory, a.quiet)
    ('chapters/01_why_retention_matters', 'subs.zip', 'build/grades', 4, 120.0, 3072, False)
    """
    parser.add_argument("notebook", help="chapter or case to grade, e.g. chapters/01_why_retention_matters")
    parser.add_argument("submissions", help="folder, .zip or .ipynb file of submissions (LMS export)")
    parser.add_argument("--out", default="build/grades", help="output folder (default: build/grades)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: number of cores)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per notebook (default: 120)")
    parser.add_argument("--memory", type=int, default=3072, help="address-space limit per kernel in MiB (default: 3072)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def main(args) -> int:
    """Run ``coursekit grade`` with parsed arguments; print a one-line reason and return 2 on bad input.

    Returns 0 when the reports were written (whatever the students' statuses),
    2 on bad input, 130 when interrupted (every worker and kernel stopped).

    References
    ----------
    .. [1] Python documentation, :mod:`argparse`; exit status 2 for usage
       errors follows argparse's convention.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(); add_arguments(p)
    >>> main(p.parse_args(["chapters/99_nothing", "."]))  # doctest: +ELLIPSIS
    2
    """
    try:
        report = grade_submissions(args.notebook, args.submissions, args.out, jobs=args.jobs, timeout=args.timeout,
                                   memory_mb=args.memory, progress=not args.quiet)
    except (ValueError, TypeError, RuntimeError) as exc:
        print(f"coursekit grade: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ncoursekit grade: interrupted; no report written (every worker and kernel was stopped)", file=sys.stderr)
        return 130
    counts = report.counts()
    shown = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    print(f"graded {len(report.results)} submissions of {report.notebook} in {report.seconds:.1f} s ({shown})")
    print(f"gradebook: {report.gradebook}\nsummary:   {report.summary}\nfeedback:  {report.feedback_dir}/")
    return 0
