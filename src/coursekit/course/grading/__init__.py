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
  stored output is capped at :data:`~coursekit.course.grading.worker.OUTPUT_CAP` characters) costs only that
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
* A zip is read member by member, never trusting it: a member with a bad CRC
  or corrupt data, an absolute path, a drive letter or a ``..`` part
  (backslashes count as separators), a symbolic link or other special file,
  an encrypted member, a duplicate name, or a member larger than
  :data:`~coursekit.course.grading.submissions.MAX_NOTEBOOK_BYTES` (declared
  or actually read; the whole archive is capped at
  :data:`~coursekit.course.grading.submissions.MAX_ZIP_BYTES`) is not
  extracted and gets an ``invalid`` row with the reason (e.g. ``zip member
  path escapes the archive: ../evil.ipynb``), for the student of its folder
  or file name.  Nothing is written outside the grader's temporary folder.
  In a submissions folder, symbolic links are not followed (``invalid``).
* ``gradebook.csv`` is safe to open in a spreadsheet: a text cell beginning
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  ``'`` (OWASP, *CSV Injection*); numbers stay numbers.

Statuses
--------
``graded``
    The rebuilt notebook ran to its end; the score is final.
``failed``
    The kernel died (``os._exit``, ``exit()``, a crash, a memory limit), with
    how it ended in the reason (``exit code 1``, ``SIGKILL``): tests that ran
    before count, the rest score 0.  A notebook that kills or interrupts its
    grading worker is ``failed`` too (its kernel goes with the worker, and
    every test scores 0).
``timeout``
    The notebook exceeded ``timeout`` seconds (or its CPU-time limit); its
    kernel's process group was killed; tests that ran before count, the rest
    score 0.
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

Modules
-------
``results``
    :class:`SubmissionResult`, :class:`GradeReport` and :data:`STATUSES`.
``source``
    The source notebook: :func:`allowed_notebooks`, :func:`resolve_source`, and the
    source prepared for grading (answer stubs, tests, hidden-test lines).
``submissions``
    Finding submissions in a folder, a zip or a notebook, and :func:`student_id`.
``rebuild``
    Reading a submission and rebuilding the notebook to run from the source's cells.
``guard``
    The in-kernel guard (source text sent to every grading kernel).
``worker``
    One submission, one process, one kernel: worker processes, kernels, limits.
``scoring``
    nbgrader's scoring of a run.
``progress``
    The progress bar.
``api``
    :func:`grade_submissions`.
``benchmark``
    :func:`measure_grading`: ``coursekit grade`` against sequential ``nbgrader autograde``.
``cli``
    ``coursekit grade``: :func:`add_arguments` and :func:`main`.
``report``
    The gradebook, the feedback pages and the summary.
"""

from coursekit.course.grading.api import grade_submissions
from coursekit.course.grading.benchmark import measure_grading
from coursekit.course.grading.cli import add_arguments, main
from coursekit.course.grading.results import STATUSES, GradeReport, SubmissionResult
from coursekit.course.grading.source import allowed_notebooks, resolve_source
from coursekit.course.grading.submissions import find_submissions, student_id

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
    "add_arguments",
    "main",
]
