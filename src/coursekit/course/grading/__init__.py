"""Grading a whole class: ``coursekit grade`` (``make grade``).

A teacher holds the notebooks of a class, as a folder or a zip file exported
by a learning-management system, and wants one gradebook.  nbgrader is the
engine of this course (its format, its autograde semantics), but on its own it
grades one notebook after another, shows no progress and a single broken
submission can stop a batch.  :func:`grade_submissions` keeps nbgrader's
semantics and adds what a class needs:

* **The tests never meet student code.**  Every exercise of this course asks
  for values (numbers, text, arrays, tables, small course result objects), so
  a submission is graded in two phases, each in a sandbox:

  1. *Answers* (untrusted, :mod:`~coursekit.course.grading.runner`): the
     student's notebook runs as the student wrote it: the course's own cells
     from ``solutions/``, the student's answer cells (matched by nbgrader
     ``grade_id``) and the cells the student added (each after the cell it
     follows in the student's notebook; cells added before the first exercise
     run after the course's opening cells), and no test cell.  At each *capture
     point* (the place of a test cell, or of a course cell that reads an answer)
     the values of the names whose last binding is a solution's answer cell
     leave through the data-only codec (:mod:`~coursekit.course.grading.codec`);
     anything else (a function, a mock, a float subclass, an object of the
     student's own class) is recorded as *not a value*.
  2. *Tests* (trusted code only): the source's course and test cells (hidden
     tests included) run with the decoded values injected at the capture
     points; a name that is not a value is left undefined, so its tests fail.
     Names that course cells bind (course data, helpers) are never taken from
     the student.  Feedback is built from this phase.

  Editing, deleting or monkey-patching anything (tests, built-ins, numpy, the
  course's modules or data, IPython) changes nothing: none of it reaches the
  process where the tests run.
* **The sandbox** (:mod:`~coursekit.course.grading.sandbox`, bubblewrap): new
  user, PID, network, IPC and mount namespaces; the system, the Python
  environment and the course's ``datasets/`` read-only, a private ``/tmp`` the
  only writable place; ``solutions/``, the submissions, the output folder and
  the teacher's home are not there at all; limits on memory, CPU, processes,
  file size; a wall-clock limit enforced from outside.  A student's code sees
  and can signal only its own sandbox's processes.
* **Speed: warm processes.**  Each of the ``jobs`` workers keeps one process
  per phase that has imported the course's modules and run its opening cells;
  each submission runs in a child forked from it (so it does not pay for the
  imports), one at a time; after each one the process kills everything left in
  its sandbox (daemons included: it is their subreaper) and wipes the work
  folder.  A child that kills or stops its grading process only ends that
  sandbox: the submission is ``failed`` and a new process starts for the next.
* **Without bubblewrap** ``coursekit grade`` refuses to grade and names the
  package to install; ``sandbox=False`` (``--no-sandbox``) runs the same two
  phases with the teacher's rights, with a warning in every row and the summary.
* **Originals are never written.**  Submissions are read once and their
  SHA-256 recorded in the gradebook; the originals are hashed again at the end.
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
    The student's notebook ran to its end; the score is final.
``failed``
    The student's run ended early: ``os._exit``, ``exit()`` (as in Jupyter, the
    rest of the notebook is not run), a crash, a memory kill, killing or
    stopping its grading process; the reason says how and where.  Tests whose
    place the run reached count, the rest score 0.
``timeout``
    The student's run exceeded ``timeout`` seconds (or its CPU-time limit);
    tests whose place it reached count, the rest score 0.
``invalid``
    Not gradeable (not a notebook, corrupt JSON, wrong notebook, ambiguous
    folder, a refused zip member); score 0, nothing was run.
``error``
    The grader itself could not finish the submission (e.g. its test phase did
    not finish): grade it again.

Limits
------
The sandbox needs Linux and bubblewrap.  ``sys.exit()`` in an answer cell is
shown as an error and the run goes on (as in Jupyter).  An answer that is a
function cannot be graded (no exercise asks for one).  Without the sandbox, a
student's code runs with the teacher's rights and a daemon started with
``setsid`` escapes the clean-up.

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
    Reading a submission; the plan of a source (capture points, the test phase)
    and one student's answer phase.
``runner``
    Inside the sandbox: the warm process of a phase, forking one child per submission.
``worker``
    The grader's side of a runner process: start it (sandboxed or not), send jobs, read replies.
``phases``
    One submission through both phases, validated and scored.
``sandbox``
    bubblewrap: the sandbox's command line and one-shot runs.
``codec``
    The data-only codec of answer values.
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
