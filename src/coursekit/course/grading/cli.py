"""The command line of ``coursekit grade`` (declared on the ``coursekit`` parser by :mod:`coursekit.course.cli`)."""

from __future__ import annotations

import sys

from coursekit.course.grading.api import grade_submissions
from coursekit.course.grading.sandbox import SandboxUnavailable

__all__ = ["add_arguments", "main"]


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
    >>> (a.notebook, a.submissions, a.out, a.jobs, a.timeout, a.memory, a.quiet, a.no_sandbox)
    ('chapters/01_why_retention_matters', 'subs.zip', 'build/grades', 4, 120.0, 3072, False, False)
    """
    parser.add_argument("notebook", help="chapter or case to grade, e.g. chapters/01_why_retention_matters")
    parser.add_argument("submissions", help="folder, .zip or .ipynb file of submissions (LMS export)")
    parser.add_argument("--out", default="build/grades", help="output folder (default: build/grades)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: number of cores)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per notebook (default: 120)")
    parser.add_argument("--memory", type=int, default=3072,
                        help="address-space limit per student's run in MiB (default: 3072)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade without bubblewrap: student code runs with your rights (a warning in every row)")
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
                                   memory_mb=args.memory, progress=not args.quiet,
                                   sandbox=not args.no_sandbox)
    except (ValueError, TypeError, RuntimeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, SandboxUnavailable):
            reason += "; or grade without the sandbox with --no-sandbox (student code then runs with your rights)"
        print(f"coursekit grade: error: {reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ncoursekit grade: interrupted; no report written (every worker and kernel was stopped)",
              file=sys.stderr)
        return 130
    counts = report.counts()
    shown = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    print(f"graded {len(report.results)} submissions of {report.notebook} in {report.seconds:.1f} s ({shown})")
    print(f"gradebook: {report.gradebook}\nsummary:   {report.summary}\nfeedback:  {report.feedback_dir}/")
    return 0
