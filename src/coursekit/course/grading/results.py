"""What grading produces: one :class:`SubmissionResult` per submission, one :class:`GradeReport` per batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coursekit.course.grading import report

__all__ = ["STATUSES", "SubmissionResult", "GradeReport"]

#: Every status a submission can get, from best to worst.
STATUSES = ("graded", "failed", "timeout", "invalid", "error")


@dataclass
class SubmissionResult:
    """The outcome of one submission.

    Attributes
    ----------
    student : str
        Student id derived from the file or folder name (see :func:`~coursekit.course.grading.submissions.student_id`).
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
    language : str
        The edition the submission was written in, ``"en"`` or ``"zh-CN"``: its feedback page is in it.
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
    language: str = "en"


@dataclass
class GradeReport:
    """What :func:`~coursekit.course.grading.api.grade_submissions` produced.

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
    sandboxed : bool
        Whether student code ran inside the sandbox (False with ``--no-sandbox``).
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
    sandboxed: bool = True

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

    def to_frame(self) -> pd.DataFrame:
        """The gradebook as a pandas DataFrame (one row per submission)."""
        return pd.DataFrame(report.gradebook_rows(self), columns=report.gradebook_columns(self))
