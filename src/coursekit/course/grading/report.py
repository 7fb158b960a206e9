"""Reports of ``coursekit grade``: gradebook CSV, feedback pages, class summary.

Written by :func:`write_reports` into the output folder of
:func:`coursekit.course.grading.grade_submissions`:

``gradebook.csv``
    One row per submission: ``student, file``, the points of every question
    (columns named by nbgrader ``grade_id``), ``total, max, status, reason,
    sha256``.  Questions of a submission that was not run are left empty.
    Text cells are spreadsheet-safe (:func:`spreadsheet_safe`).
``feedback/<student>.html``
    For the student: each question with their answer code, their own printed
    output, the points, and for a failed test its error message and whether a
    visible or a hidden test failed.  The source of hidden tests is never shown
    (tracebacks of test cells are not kept; an output quoting test code is
    withheld).
``summary.md`` and ``histogram.png``
    For the teacher: counts per status, score statistics, the score histogram,
    the pass rate of every question and the submissions that need attention.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import jinja2
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coursekit import plotting
from coursekit.language import N_, translate

__all__ = ["NO_SANDBOX_WARNING", "FORMULA_START", "gradebook_columns", "gradebook_rows", "safe_name", "spreadsheet_safe", "write_reports"]

#: Said in every row and in the summary when student code ran without the sandbox.
NO_SANDBOX_WARNING = ("WARNING: graded without the sandbox (--no-sandbox): student code ran with the teacher's "
                      "rights and could read or change files")

#: Statuses for which the notebook was run (scores are meaningful).
RUN_STATUSES = ("graded", "failed", "timeout")


def safe_name(student: str) -> str:
    """Return a file name for a student id (letters, digits, ``.``, ``-``, ``_`` only).

    Parameters
    ----------
    student : str
        A student id.

    Returns
    -------
    str
        The id with every other character replaced by ``_`` (``"student"`` if empty).

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ (feedback files are named by student id).

    Examples
    --------
    >>> safe_name("Ann Lee_123456")
    'Ann_Lee_123456'
    >>> safe_name("bob#2")
    'bob_2'
    """
    if not isinstance(student, str):
        raise TypeError(f"student must be a string, got {type(student).__name__}")
    name = re.sub(r"[^\w.-]+", "_", student).strip("._")
    return name or "student"


def _fmt(x) -> str:
    if x is None:
        return ""
    return f"{float(x):g}"


def _points(x) -> str:
    return f"{_fmt(x)} point{'' if float(x) == 1 else 's'}"


def gradebook_columns(report) -> list[str]:
    """Column names of the gradebook of a :class:`~coursekit.course.grading.GradeReport`.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader export": one row per
       student and assignment with score and maximum).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> gradebook_columns(SimpleNamespace(questions=[("q1", 2.0, "auto")]))
    ['student', 'file', 'q1', 'total', 'max', 'status', 'reason', 'sha256']
    """
    return ["student", "file", *[gid for gid, _, _ in report.questions], "total", "max", "status", "reason", "sha256"]


def gradebook_rows(report) -> list[list[str]]:
    """Rows of the gradebook (strings, as written to the CSV), one per submission.

    Points are written with ``%g`` (``2`` not ``2.0``); the points of a
    submission that was not run are left empty.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader export").

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(student="ada", file="ada.ipynb", points={"q1": 2.0}, total=2.0, max_points=2.0,
    ...                     status="graded", reason="", sha256="ab")
    >>> gradebook_rows(SimpleNamespace(questions=[("q1", 2.0, "auto")], results=[r]))
    [['ada', 'ada.ipynb', '2', '2', '2', 'graded', '', 'ab']]
    """
    rows = []
    for r in report.results:
        ran = r.status in RUN_STATUSES
        points = [_fmt(r.points.get(gid)) if ran else "" for gid, _, _ in report.questions]
        rows.append([r.student, r.file, *points, _fmt(r.total), _fmt(r.max_points), r.status, r.reason, r.sha256])
    return rows


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """Return a CSV text cell that Excel, LibreOffice and Google Sheets cannot read as a formula.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading single quote, as the OWASP guidance on CSV
    injection recommends; every other cell is returned unchanged (quotes and
    separators inside a cell are the :mod:`csv` writer's business).  Only the
    gradebook's text columns are escaped: its numbers stay numbers.

    Parameters
    ----------
    cell : str
        The text of one cell.

    Returns
    -------
    str
        The cell, safe to open in a spreadsheet.

    References
    ----------
    .. [1] OWASP Foundation, "CSV Injection",
       https://owasp.org/www-community/attacks/CSV_Injection (prepend a single
       quote to cells beginning with ``=``, ``+``, ``-``, ``@``, tab or
       carriage return).

    Examples
    --------
    >>> print(spreadsheet_safe('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> spreadsheet_safe("+1"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("ada")
    ("'+1", "'@SUM(A1)", 'ada')
    """
    if not isinstance(cell, str):
        raise TypeError(f"cell must be a string, got {type(cell).__name__}")
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _write_gradebook(report) -> None:
    """Write ``gradebook.csv``: every text cell made spreadsheet-safe, the numbers left as numbers."""
    columns = gradebook_columns(report)
    numeric = {i for i, name in enumerate(columns) if 1 < i < len(columns) - 3}  # questions, total, max
    with open(report.gradebook, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([spreadsheet_safe(c) for c in columns])
        for row in gradebook_rows(report):
            writer.writerow([c if i in numeric else spreadsheet_safe(c) for i, c in enumerate(row)])


# --------------------------------------------------------------------------- feedback

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;font-size:.85rem;white-space:pre-wrap}
.out{background:#fff;border-left:3px solid #0072B2}
.err{background:#fff4f0;border-left:3px solid #D55E00}
.pass{color:#009E73;font-weight:bold} .fail{color:#D55E00;font-weight:bold} .manual{color:#555;font-weight:bold}
.banner{padding:.6rem 1rem;background:#f0f4f8;border-radius:.3rem}
.note{color:#555;font-size:.9rem}
"""


#: The feedback page's own words; a submission's page has them in its language (:func:`_words`).
FEEDBACK_WORDS = {
    "feedback": N_("Feedback"), "score": N_("Score"), "status": N_("status"),
    "not_graded": N_("Your submission could not be graded automatically; your teacher has been told why."),
    "printed": N_("What your code printed:"), "not_run": N_("This cell was not run (the notebook stopped before it)."),
    "question": N_("Question"), "manual": N_("To be graded by the teacher"), "passed": N_("Tests passed"),
    "failing": N_("Failing check (visible in your notebook):"), "other": N_("Other answers"), "file": N_("File"),
    "answered": N_("Your answer"), "unanswered": N_("Your answer (not answered: the stub is unchanged)"),
    "missing": N_("Your answer (missing: this cell was not in your notebook)"),
    "hidden": N_("A hidden test failed"), "visible": N_("A visible test failed"), "not_passed": N_("Not passed"),
    "withheld": N_("[output withheld: it quotes the course's test code]"),
    "tb_withheld": N_("(traceback withheld: it quotes the course's test code)"),
}


def _words(code: str) -> dict:
    """:data:`FEEDBACK_WORDS` in the language ``code`` (``"en"`` or ``"zh-CN"``), and the page's ``lang``."""
    return {"lang": code, **{key: translate(text, code) for key, text in FEEDBACK_WORDS.items()}}


def _withheld(text: str, hidden_text) -> bool:
    return any(line and line in text for line in hidden_text)


#: The feedback page (Jinja2, autoescaped: every student-controlled string is escaped).
FEEDBACK_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ w.lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ css | safe }}</style></head><body>
<h1>{{ title }}</h1>
<div class="banner"><b>{{ w.score }}: {{ total }} / {{ max_points }}</b> · {{ w.status }}: {{ status }}
{%- if reason %}<br><span class="note">{{ reason }}</span>{% endif %}</div>
{% if not graded %}<p>{{ w.not_graded }}</p>{% endif %}
{% macro answer_block(a) -%}
<h3>{{ a.label }} <span class="note">({{ a.gid }})</span></h3>
<pre>{{ a.source }}</pre>
{% if a.outputs %}<p class="note">{{ w.printed }}</p>
{% for out in a.outputs %}<pre class="{{ out.css }}">{{ out.text }}</pre>
{% endfor %}{% elif a.not_run %}<p class="note">{{ w.not_run }}</p>
{% endif %}
{%- endmacro %}
{% for q in questions %}
<h2>{{ w.question }} {{ q.gid }} ({{ q.points }})</h2>
{% for a in q.answers %}{{ answer_block(a) }}{% endfor %}
{% if q.manual %}<p><span class="manual">{{ w.manual }}</span> · {{ q.score }}</p>
{% elif q.passed %}<p><span class="pass">✓ {{ w.passed }}</span> · {{ q.score }}</p>
{% else %}<p><span class="fail">✗ {{ q.which }}</span> · {{ q.score }}</p>
{% if q.message %}<pre class="err">{{ q.message }}</pre>{% endif %}
{% if q.line %}<p class="note">{{ w.failing }}</p><pre>{{ q.line }}</pre>{% endif %}
{% endif %}
{% endfor %}
{% if rest %}<h2>{{ w.other }}</h2>
{% for a in rest %}{{ answer_block(a) }}{% endfor %}{% endif %}
<p class="note">{{ w.file }}: {{ file }} · SHA-256 {{ sha256 }}</p>
</body></html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
_FEEDBACK = _ENV.from_string(FEEDBACK_TEMPLATE)


def _outputs(outputs, hidden_text, words=FEEDBACK_WORDS) -> list[dict]:
    """The printed outputs of an answer cell, as (css class, text) for the template."""
    shown = []
    for out in outputs:
        kind = out.get("type")
        if kind == "stream":
            text = out.get("text", "")
            if _withheld(text, hidden_text):
                text = words["withheld"]
            shown.append({"css": "out", "text": text})
        elif kind == "error":
            tb = out.get("traceback", "") or f"{out.get('ename', '')}: {out.get('evalue', '')}"
            if _withheld(tb, hidden_text):
                tb = f"{out.get('ename', 'Error')} {words['tb_withheld']}"
            shown.append({"css": "err", "text": tb})
    return shown


def _answer(gid, answer, hidden_text, words=FEEDBACK_WORDS) -> dict:
    state = answer.get("state", "missing")
    label = words[state]
    return {"gid": gid, "label": label, "source": answer.get("source", ""),
            "outputs": _outputs(answer.get("outputs", []), hidden_text, words),
            "not_run": answer.get("status") == "not run"}


def _question(gid, points, test, answers, words=FEEDBACK_WORDS) -> dict:
    score = f"{_fmt(test['points']) if test['points'] is not None else '–'} / {_points(test['max'])}"
    which = words[test["part"]] if test.get("part") in ("hidden", "visible") else words["not_passed"]
    return {"gid": gid, "points": _points(points), "answers": answers, "manual": test["passed"] is None,
            "passed": bool(test["passed"]), "score": score, "which": which, "message": test.get("message", ""),
            "line": test.get("line", "")}


def feedback_html(result, notebook: str, questions, hidden_text=()) -> str:
    """Return the feedback page of one submission as a self-contained HTML string.

    Parameters
    ----------
    result : SubmissionResult
        A graded (or failed) submission.
    notebook : str
        The notebook's name, ``"<assignment>/<name>"``.
    questions : list of (grade_id, points, kind)
        The graded cells, in notebook order.
    hidden_text : sequence of str
        Lines of hidden tests; any output quoting one is withheld.

    Returns
    -------
    str
        The HTML page.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader generate_feedback").

    Examples
    --------
    >>> from coursekit.course.grading import SubmissionResult
    >>> r = SubmissionResult("ada", "ada.ipynb", "graded", total=0.0, max_points=1.0,
    ...     tests={"q": {"passed": False, "message": "AssertionError: not 1 / churn", "part": "hidden",
    ...                  "points": 0.0, "max": 1.0, "line": "", "answers": ["a"]}},
    ...     answers={"a": {"source": "x = 2", "state": "answered", "outputs": [], "status": "ok"}})
    >>> page = feedback_html(r, "chapters/x", [("q", 1.0, "auto")], hidden_text=["assert x == 1"])
    >>> "A hidden test failed" in page and "not 1 / churn" in page and "assert x == 1" not in page
    True

    A submission of the Chinese edition gets its page in Chinese:

    >>> r.language = "zh-CN"
    >>> "一项隐藏测试未通过" in feedback_html(r, "chapters/x", [("q", 1.0, "auto")])
    True
    """
    words = _words(result.language)
    questions_shown, shown = [], set()
    for gid, points, _ in questions:
        test = result.tests.get(gid)
        if test is None:
            continue
        answers = [_answer(aid, result.answers[aid], hidden_text, words) for aid in test.get("answers", [])
                   if aid in result.answers]
        shown.update(test.get("answers", []))
        questions_shown.append(_question(gid, points, test, answers, words))
    rest = [_answer(aid, result.answers[aid], hidden_text, words) for aid in result.answers if aid not in shown]
    return _FEEDBACK.render(
        w=words, title=f"{words['feedback']} · {notebook} · {result.student}", css=_CSS, total=_fmt(result.total),
        max_points=_fmt(result.max_points), status=result.status, reason=result.reason,
        graded=result.status not in ("invalid", "error"), questions=questions_shown, rest=rest,
        file=result.file, sha256=result.sha256)


# --------------------------------------------------------------------------- summary


def _histogram(report, totals) -> None:
    top = report.max_points
    bins = np.arange(-0.5, top + 1.0, 1.0) if top <= 40 else np.linspace(0, top, 21)
    with mpl.rc_context():  # the course style, without changing the caller's settings
        plotting.use_course_style()
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.hist(totals, bins=bins, color=plotting.PALETTE[0], edgecolor="white")
        ax.set_xlim(bins[0], bins[-1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        plotting.label(ax, f"Scores · {report.notebook} ({len(totals)} submissions run)",
                       f"Total points (out of {_fmt(top)})", "Number of students")
        fig.savefig(report.histogram, metadata={"Software": None})


def summary_markdown(report) -> str:
    """Return the teacher's summary of a graded batch as Markdown.

    The pass rate of a question is passed / run over the submissions whose
    notebook was run (statuses graded, failed, timeout); a test not reached
    counts as not passed.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(student="ada", file="ada.ipynb", status="graded", total=2.0, max_points=2.0, reason="",
    ...                     tests={"q1": {"passed": True, "part": None}})
    >>> rep = SimpleNamespace(notebook="chapters/x", questions=[("q1", 2.0, "auto")], results=[r], max_points=2.0,
    ...                       seconds=3.0, jobs=2, counts=lambda: {"graded": 1, "failed": 0})
    >>> print(summary_markdown(rep).splitlines()[0])
    # Grading summary · chapters/x
    """
    results = report.results
    ran = [r for r in results if r.status in RUN_STATUSES]
    totals = np.array([r.total for r in ran], dtype=float)
    lines = [f"# Grading summary · {report.notebook}", "",
             f"{len(results)} submissions, graded in {report.seconds:.1f} s with {report.jobs} parallel jobs.", "",
             "| status | submissions |", "|---|---|"]
    if not getattr(report, "sandboxed", True):
        lines[2:2] = [f"**{NO_SANDBOX_WARNING}.**", ""]
    lines += [f"| {k} | {v} |" for k, v in report.counts().items()]
    lines.append("")
    if len(totals):
        lines += [
            f"Scores of the {len(totals)} submissions that ran (out of {_fmt(report.max_points)} points): "
            f"mean {totals.mean():.2f}, median {np.median(totals):g}, min {totals.min():g}, max {totals.max():g}; "
            f"{int((totals == report.max_points).sum())} full marks.",
            "",
            "![Score histogram](histogram.png)",
            "",
            "## Questions",
            "",
            "Pass rate among the submissions that ran (a test not reached counts as not passed).",
            "",
            "| question | points | passed | pass rate | visible test failed | hidden test failed |",
            "|---|---|---|---|---|---|",
        ]
        for gid, points, kind in report.questions:
            if kind != "auto":
                lines.append(f"| {gid} | {_fmt(points)} | graded by the teacher | | | |")
                continue
            tests = [r.tests.get(gid, {}) for r in ran]
            passed = sum(1 for t in tests if t.get("passed"))
            vis = sum(1 for t in tests if t.get("part") == "visible")
            hid = sum(1 for t in tests if t.get("part") == "hidden")
            rate = passed / len(tests)
            lines.append(f"| {gid} | {_fmt(points)} | {passed}/{len(tests)} | {rate:.0%} | {vis} | {hid} |")
        lines.append("")
    attention = [r for r in results if r.status != "graded" or r.reason]
    lines += ["## Needs attention", ""]
    if attention:
        lines += ["| student | file | status | total | reason |", "|---|---|---|---|---|"]
        for r in attention:
            reason = r.reason.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r.student} | {r.file} | {r.status} | {_fmt(r.total)} | {reason} |")
    else:
        lines.append("Nothing: every submission was graded without notes.")
    lines.append("")
    return "\n".join(lines)


def write_reports(report, hidden_text=()) -> None:
    """Write the gradebook, the feedback pages, the summary and the histogram of a batch.

    Parameters
    ----------
    report : GradeReport
        The batch; its ``out_dir``, ``gradebook``, ``summary``, ``histogram``
        and ``feedback_dir`` say where.  Existing ``feedback/*.html`` files are
        replaced, nothing else in ``out_dir`` is touched.
    hidden_text : sequence of str
        Lines of hidden tests, withheld from feedback.

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coursekit.course.grading import GradeReport, SubmissionResult
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> r = SubmissionResult("ada", "ada.ipynb", "graded", points={"q": 1.0}, total=1.0, max_points=1.0,
    ...     tests={"q": {"passed": True, "message": "", "part": None, "points": 1.0, "max": 1.0, "line": "",
    ...                  "answers": []}})
    >>> rep = GradeReport("chapters/x", [("q", 1.0, "auto")], [r], out, out / "gradebook.csv", out / "summary.md",
    ...                   out / "histogram.png", out / "feedback", 1.0, 1)
    >>> write_reports(rep)
    >>> (out / "gradebook.csv").read_text().splitlines()[1]
    'ada,ada.ipynb,1,1,1,graded,,'
    >>> sorted(p.name for p in (out / "feedback").iterdir())
    ['ada.html']
    """
    out = Path(report.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fb = Path(report.feedback_dir)
    if fb.is_dir():
        for old in fb.glob("*.html"):
            old.unlink()
    fb.mkdir(parents=True, exist_ok=True)
    _write_gradebook(report)
    used = set()
    for r in report.results:
        name = safe_name(r.student)
        while name in used:
            name += "_"
        used.add(name)
        path = fb / f"{name}.html"
        path.write_text(feedback_html(r, report.notebook, report.questions, hidden_text), encoding="utf-8")
        r.feedback = str(path)
    ran = [r.total for r in report.results if r.status in RUN_STATUSES]
    if ran:
        _histogram(report, np.array(ran, dtype=float))
    elif Path(report.histogram).exists():
        Path(report.histogram).unlink()
    Path(report.summary).write_text(summary_markdown(report), encoding="utf-8")
