"""``coursekit grade`` and its files: every submission gets a row, a spreadsheet-safe gradebook, honest statuses.

A hostile or damaged zip export (bad CRC, ``..`` and absolute paths, symbolic
links, a bomb, junk, broken notebooks) must still give one row per submission,
with status ``invalid`` and a reason, while the honest submissions in the same
zip are graded normally and nothing is written outside the work folder.  Text
cells of ``gradebook.csv`` must not be read as formulas by a spreadsheet.  A
kernel that dies, or kills its worker, is ``failed``; only a real time-out is
``timeout``.

Most tests call :func:`find_submissions` and the report writers directly, or
grade batches whose every submission is invalid (no kernel is started); the
tests that run kernels are marked ``slow``.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest

from coursekit.course import grading
from coursekit.course.grading import report as grading_report
from coursekit.course.grading import submissions as grading_submissions
from tests.course.test_grading import (
    FULL,
    NOTEBOOK,
    ROOT,
    SOURCE,
    STEM,
    STUDENT,
    _runner_processes,
    _tiny_course,
    _tiny_submission,
)

CAP = 2**20  # the member size cap of these tests (monkeypatched; 100 MiB in real use)
WRAP = "Chapter 1"  # the LMS's wrapper folder


def _stored(zf: zipfile.ZipFile, name: str, data: bytes, **attrs) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 12, 0, 0))
    info.compress_type = attrs.pop("compress_type", zipfile.ZIP_STORED)
    for key, value in attrs.items():
        setattr(info, key, value)
    zf.writestr(info, data)


def _flip_byte_in(archive: Path, member: str) -> None:
    """Corrupt a member's data (one byte in the middle of it): its CRC no longer matches."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    raw = bytearray(archive.read_bytes())
    at = info.header_offset
    name_len = int.from_bytes(raw[at + 26: at + 28], "little")
    extra_len = int.from_bytes(raw[at + 28: at + 30], "little")
    raw[at + 30 + name_len + extra_len + info.compress_size // 2] ^= 0xFF
    archive.write_bytes(bytes(raw))


def _patch(archive: Path, member: str, local: int, central: int, value: bytes) -> None:
    """Overwrite a field of a member's local header and of its central directory record."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    raw = bytearray(archive.read_bytes())
    raw[info.header_offset + local: info.header_offset + local + len(value)] = value
    name = member.encode()  # this member's central directory record, found by its name
    pos = raw.index(b"PK\x01\x02")
    while pos != -1:
        n = int.from_bytes(raw[pos + 28: pos + 30], "little")
        if raw[pos + 46: pos + 46 + n] == name:
            raw[pos + central: pos + central + len(value)] = value
            break
        pos = raw.find(b"PK\x01\x02", pos + 4)
    archive.write_bytes(bytes(raw))


def _lie_about_size(archive: Path, member: str, size: int) -> None:
    """Declare a smaller uncompressed size for a member."""
    _patch(archive, member, 22, 24, size.to_bytes(4, "little"))


def _mark_encrypted(archive: Path, member: str) -> None:
    """Set the "encrypted" flag of a member (the zipfile writer clears it)."""
    _patch(archive, member, 6, 8, (0x1).to_bytes(2, "little"))


def _hostile_zip(folder: Path, escape_to: Path, honest: bool = True) -> Path:
    """An LMS export with three honest submissions and every kind of damaged or hostile member."""
    archive = folder / "export.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as zf:
        warnings.simplefilter("ignore", UserWarning)  # the duplicate name is deliberate
        if honest:
            _stored(zf, f"{WRAP}/ada_{STEM}.ipynb", SOURCE.read_bytes())
            _stored(zf, f"{WRAP}/bo/{STEM}.ipynb", STUDENT.read_bytes())
            _stored(zf, f"{WRAP}/dee/{STEM}.ipynb", STUDENT.read_bytes())
        _stored(zf, f"{WRAP}/crc_{STEM}.ipynb", SOURCE.read_bytes())
        _stored(zf, f"{WRAP}/liar_{STEM}.ipynb", b" " * (3 * CAP), compress_type=zipfile.ZIP_DEFLATED)
        _stored(zf, f"{WRAP}/bomb_{STEM}.ipynb", b" " * (3 * CAP), compress_type=zipfile.ZIP_DEFLATED)
        _stored(zf, "../evil.ipynb", SOURCE.read_bytes())
        _stored(zf, "..\\..\\windows_evil.ipynb", SOURCE.read_bytes())
        _stored(zf, str(escape_to / f"abs_{STEM}.ipynb"), SOURCE.read_bytes())
        _stored(zf, f"C:/Users/drive_{STEM}.ipynb", SOURCE.read_bytes())
        _stored(zf, f"{WRAP}/link_{STEM}.ipynb", "../../../solutions/chapters/x.ipynb",
                external_attr=(stat.S_IFLNK | 0o777) << 16, create_system=3)
        _stored(zf, f"{WRAP}/cy/{STEM}.ipynb", "/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16,
                create_system=3)
        _stored(zf, f"{WRAP}/dee/extra.ipynb", SOURCE.read_bytes())
        _stored(zf, f"{WRAP}/fifo_{STEM}.ipynb", b"", external_attr=(stat.S_IFIFO | 0o644) << 16, create_system=3)
        _stored(zf, f"{WRAP}/secret_{STEM}.ipynb", b"{}")
        _stored(zf, f"{WRAP}/junk.txt", b"bring coffee")
        _stored(zf, f"{WRAP}/nojson_{STEM}.ipynb", b"this is not JSON")
        _stored(zf, f"{WRAP}/empty_{STEM}.ipynb", b"")
        _stored(zf, f"{WRAP}/twice_{STEM}.ipynb", b"{}")
        _stored(zf, f"{WRAP}/twice_{STEM}.ipynb", b"{}")
        _stored(zf, "__MACOSX/._junk", b"\x00")
    _flip_byte_in(archive, f"{WRAP}/crc_{STEM}.ipynb")
    _flip_byte_in(archive, f"{WRAP}/dee/extra.ipynb")
    _lie_about_size(archive, f"{WRAP}/liar_{STEM}.ipynb", 1000)
    _mark_encrypted(archive, f"{WRAP}/secret_{STEM}.ipynb")
    return archive


P = "export.zip:"
# student -> (file column, path extracted?, problem (exact, or a start when it ends with "…"))
EXPECTED = {
    "ada": (f"{P}ada_{STEM}.ipynb", True, ""),
    "bo": (f"{P}bo/{STEM}.ipynb", True, ""),
    "crc": (f"{P}crc_{STEM}.ipynb", False, f"zip member has a bad CRC: {WRAP}/crc_{STEM}.ipynb"),
    # declares 1,000 bytes, holds 3 MiB: never more than the declared size is read, and the CRC fails
    "liar": (f"{P}liar_{STEM}.ipynb", False, f"zip member has a bad CRC: {WRAP}/liar_{STEM}.ipynb"),
    "bomb": (f"{P}bomb_{STEM}.ipynb", False,
             f"zip member too large: it declares {3 * CAP:,} bytes, more than the 1 MiB limit: "
             f"{WRAP}/bomb_{STEM}.ipynb"),
    "evil": (f"{P}../evil.ipynb", False, "zip member path escapes the archive: ../evil.ipynb"),
    "windows_evil": (f"{P}..\\..\\windows_evil.ipynb", False,
                     "zip member path escapes the archive: ..\\..\\windows_evil.ipynb"),
    "abs": (None, False, "zip member has an absolute path: /"),
    "drive": (f"{P}C:/Users/drive_{STEM}.ipynb", False,
              f"zip member has an absolute path: C:/Users/drive_{STEM}.ipynb"),
    "link": (f"{P}link_{STEM}.ipynb", False, f"zip member is a symbolic link: {WRAP}/link_{STEM}.ipynb"),
    "cy": (f"{P}cy/{STEM}.ipynb", False, f"zip member is a symbolic link: {WRAP}/cy/{STEM}.ipynb"),
    "dee": (f"{P}dee/{STEM}.ipynb", True, ""),
    "dee#2": (f"{P}dee/extra.ipynb", False, f"zip member has a bad CRC: {WRAP}/dee/extra.ipynb"),
    "fifo": (f"{P}fifo_{STEM}.ipynb", False, f"zip member is not a regular file: {WRAP}/fifo_{STEM}.ipynb"),
    "secret": (f"{P}secret_{STEM}.ipynb", False, f"zip member is encrypted: {WRAP}/secret_{STEM}.ipynb"),
    "junk": (f"{P}junk.txt", True, "not a notebook (.txt file)"),
    "nojson": (f"{P}nojson_{STEM}.ipynb", True, ""),
    "empty": (f"{P}empty_{STEM}.ipynb", True, ""),
    "twice": (f"{P}twice_{STEM}.ipynb", True, ""),
    "twice#2": (f"{P}twice_{STEM}.ipynb", False, f"zip member appears more than once: {WRAP}/twice_{STEM}.ipynb"),
}
HONEST = {"ada": FULL, "bo": 0.0, "dee": 0.0}
# reasons given when the extracted file is read (for the members refused while extracting, see EXPECTED)
READ_REASONS = {
    "junk": "not a notebook (.txt file)",
    "nojson": "corrupt JSON (line 1",
    "empty": "corrupt notebook: the file is empty",
    "twice": "not a Jupyter notebook",
}


def _tree(folder: Path) -> set:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(grading_submissions, "MAX_NOTEBOOK_BYTES", CAP)


# ---------------------------------------------------------------------------- finding the submissions


def test_hostile_zip_every_member_gets_a_row(tmp_path, small_cap):
    escape_to = tmp_path / "outside"
    archive = _hostile_zip(tmp_path, escape_to)
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    before = _tree(tmp_path)
    found = grading.find_submissions(archive, STEM, workdir=work)
    got = {sid: (rel, path, problem) for sid, rel, path, problem in found}
    assert sorted(got) == sorted(EXPECTED)
    for sid, (rel, extracted, problem) in EXPECTED.items():
        grel, gpath, gproblem = got[sid]
        if rel is not None:
            assert grel == rel, sid
        assert (gpath is not None) == extracted, sid
        assert gproblem.startswith(problem) if sid == "abs" else gproblem == problem, sid
    assert got["abs"][0] == f"{P}{escape_to}/abs_{STEM}.ipynb"
    # nothing outside the work folder; inside it, only what was extracted (no partial or oversized file)
    after = _tree(tmp_path)
    assert {p for p in after - before if not p.startswith("deep/work/")} == set()
    assert not escape_to.exists()
    unzipped = work / "unzipped"
    assert sorted(p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file()) == sorted(
        f"{WRAP}/{rel.removeprefix(P)}" for sid, (rel, extracted, _) in EXPECTED.items() if extracted)
    assert not any(p.is_symlink() for p in unzipped.rglob("*"))
    assert max(p.stat().st_size for p in unzipped.rglob("*") if p.is_file()) <= CAP


def test_archive_total_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(grading_submissions, "MAX_ZIP_BYTES", 1000)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("a", "b", "c"):
            zf.writestr(f"{name}.ipynb", b"x" * 400)
    got = [(s, p) for s, _, _, p in grading.find_submissions(archive, STEM, workdir=tmp_path / "w")]
    assert got == [("a", ""), ("b", ""), ("c", "not extracted: the zip unpacks to more than 1,000 bytes in all: c.ipynb")]
    assert not (tmp_path / "w" / "unzipped" / "c.ipynb").exists()


def test_escaping_members_do_not_spoil_the_wrapper_folder(tmp_path):
    """A hostile member outside the LMS's wrapper folder must not make the wrapper look like a student."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{WRAP}/ann/{STEM}.ipynb", b"{}")
        zf.writestr(f"{WRAP}/bo_{STEM}.ipynb", b"{}")
        zf.writestr(f"{WRAP}/../../../evil_{STEM}.ipynb", b"{}")
    got = [(s, f, p) for s, f, _, p in grading.find_submissions(archive, STEM, workdir=tmp_path / "w")]
    assert got == [("ann", f"export.zip:ann/{STEM}.ipynb", ""), ("bo", f"export.zip:bo_{STEM}.ipynb", ""),
                   ("evil", f"export.zip:{WRAP}/../../../evil_{STEM}.ipynb",
                    f"zip member path escapes the archive: {WRAP}/../../../evil_{STEM}.ipynb")]


def test_a_zip_of_refused_notebooks_is_graded_not_refused(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        _stored(zf, "/abs.ipynb", b"{}")
    assert [(s, p) for s, _, _, p in grading.find_submissions(archive, STEM, workdir=tmp_path / "w")] == [
        ("abs", "zip member has an absolute path: /abs.ipynb")]


def test_symlinks_in_a_folder_are_not_followed(tmp_path):
    subs = tmp_path / "subs"
    (subs / "cy").mkdir(parents=True)
    (subs / f"ann_{STEM}.ipynb").write_text("{}")
    (subs / f"eve_{STEM}.ipynb").symlink_to(SOURCE)
    (subs / "cy" / f"{STEM}.ipynb").symlink_to(SOURCE)
    got = [(s, f, p) for s, f, _, p in grading.find_submissions(subs, STEM)]
    assert got == [("ann", f"ann_{STEM}.ipynb", ""), ("cy", f"cy/{STEM}.ipynb", "a symbolic link (not followed)"),
                   ("eve", f"eve_{STEM}.ipynb", "a symbolic link (not followed)")]


def test_member_names():
    parts = grading_submissions._member_parts
    assert parts("a/b.ipynb") == (("a", "b.ipynb"), "")
    assert parts("a\\b.ipynb") == (("a", "b.ipynb"), "")
    assert parts("./a//b.ipynb") == (("a", "b.ipynb"), "")
    assert parts("a/../b.ipynb") == (None, "zip member path has a '..' part: a/../b.ipynb")
    assert parts("a/../../b.ipynb")[1] == "zip member path escapes the archive: a/../../b.ipynb"
    assert parts("\\\\server\\share\\x.ipynb")[1].startswith("zip member has an absolute path")
    assert parts("c:x.ipynb")[1].startswith("zip member has an absolute path")
    assert parts("a\nb.ipynb") == (("a\nb.ipynb",), "")
    assert parts("x\x00.ipynb")[1] == "zip member has a NUL character in its name: x\\x00.ipynb"


# ---------------------------------------------------------------------------- the whole batch


def _by_student(out: Path) -> dict:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row["student"]: row for row in rows}


def test_batch_of_refused_members_finishes_with_a_row_each(tmp_path, small_cap, monkeypatch, sandbox):
    """Every member of the hostile zip but the honest ones: no kernel starts, every row is there."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))  # the grader's work folder, watched below
    escape_to = tmp_path / "outside"
    archive = _hostile_zip(tmp_path, escape_to, honest=False)
    expected = {s: v for s, v in EXPECTED.items() if s not in HONEST}
    expected["dee"] = (f"{P}dee/extra.ipynb", False, expected.pop("dee#2")[2])  # dee's only notebook is refused
    before = _tree(tmp_path)
    report = grading.grade_submissions(NOTEBOOK, archive, tmp_path / "out", jobs=1, timeout=30)
    by = {r.student: r for r in report.results}
    assert set(by) == set(expected)
    for sid, (rel, _, problem) in expected.items():
        assert by[sid].status == "invalid", sid
        assert by[sid].reason.startswith(problem or READ_REASONS[sid]), (sid, by[sid].reason)
        assert rel is None or by[sid].file == rel
    rows = _by_student(tmp_path / "out")
    assert set(rows) == set(expected)
    assert {r["status"] for r in rows.values()} == {"invalid"}
    assert all(r.total == 0 for r in by.values())
    # nothing outside the output folder (the work folder is removed at the end)
    assert {p for p in _tree(tmp_path) - before if p.split("/")[0] != "out"} == set()
    assert not escape_to.exists() and list(tmp.iterdir()) == []


# ---------------------------------------------------------------------------- spreadsheet-safe CSV

TRICKY = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3", "\tx", "\rx", "ada"]


def _report(tmp_path, results):
    out = tmp_path / "out"
    return grading.GradeReport("chapters/x", [("q", 2.0, "auto")], results, out, out / "gradebook.csv",
                               out / "summary.md", out / "histogram.png", out / "feedback", 1.0, 1)


def test_gradebook_cells_are_not_formulas(tmp_path):
    results = [grading.SubmissionResult(sid, f"{sid}.ipynb", "graded", reason="=1+1" if sid == "ada" else "",
                                        points={"q": 2.0}, total=2.0, max_points=2.0) for sid in TRICKY]
    results.append(grading.SubmissionResult("neg", "neg.ipynb", "graded", points={"q": -1.0}, total=-1.0,
                                            max_points=2.0))
    rep = _report(tmp_path, results)
    grading_report.write_reports(rep)
    with open(rep.gradebook, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["student", "file", "q", "total", "max", "status", "reason", "sha256"]
    body = {row[0]: row for row in rows[1:]}
    for sid in TRICKY:
        safe = sid if sid == "ada" else "'" + sid
        assert body[safe][:2] == [safe, safe + ".ipynb"]
        assert body[safe][2:6] == ["2", "2", "2", "graded"]
    assert body["ada"][6] == "'=1+1"
    assert body["neg"][2:5] == ["-1", "-1", "2"]  # numbers stay numbers
    for row in rows:
        assert not any(cell.startswith(grading_report.FORMULA_START) for i, cell in enumerate(row) if i not in (2, 3, 4))
    # the DataFrame and the HTML pages show the ids as they are
    assert list(rep.to_frame()["student"][: len(TRICKY)]) == TRICKY
    page = (rep.feedback_dir / "HYPERLINK_http_x.html").read_text(encoding="utf-8")
    assert "· =HYPERLINK(&#34;http://x&#34;)</title>" in page  # escaped by the template


def test_formula_ids_from_file_names_end_to_end(tmp_path, sandbox):
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("=SUM(1+1).ipynb", "+1.ipynb", "@SUM(A1).txt", "-x.ipynb"):
        (subs / name).write_text("not a notebook")
    report = grading.grade_submissions(NOTEBOOK, subs, tmp_path / "out", jobs=1, timeout=30)
    assert sorted(r.student for r in report.results) == sorted(["=SUM(1+1)", "+1", "@SUM(A1)", "x"])
    rows = _by_student(tmp_path / "out")
    assert sorted(rows) == sorted(["'=SUM(1+1)", "'+1", "'@SUM(A1)", "x"])  # student ids drop a leading "-"
    assert rows["'@SUM(A1)"]["file"] == "'@SUM(A1).txt"
    assert rows["x"]["file"] == "'-x.ipynb"
    assert all(r["status"] == "invalid" and r["total"] == "0" for r in rows.values())


# ---------------------------------------------------------------------------- statuses (kernels)


def _private_data(tmp_path: Path, monkeypatch) -> str:
    """A hard-linked copy of the datasets for this batch: its path marks the batch's grading processes."""
    data = tmp_path / "marked-datasets"
    shutil.copytree(ROOT / "datasets", data, copy_function=os.link)
    monkeypatch.setenv("COURSEKIT_DATA", str(data))
    return str(data)


@pytest.mark.slow
@pytest.mark.usefixtures("sandbox")
class TestStatuses:
    """A dead kernel is ``failed`` with the reason; only a real infinite loop is ``timeout``."""

    def test_dead_kernels_fail_and_loops_time_out(self, tmp_path, monkeypatch):
        tmp = tmp_path / "tmp"
        tmp.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        marker = _private_data(tmp_path, monkeypatch)
        source = _tiny_course(tmp_path / "course")
        honest = {"a1": "x = 2", "a2": "y = 42", "a3": "z = 3", "a4": "w = z + 1", "m1": "Because."}
        cases = {
            "honest": honest,
            "exits": {**honest, "a2": "import os\nos._exit(1)"},
            "selfkill": {**honest, "a2": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"},
            "workerkill": {**honest, "a2": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"},
            "workerint": {**honest, "a2": "import os, signal, time\nos.kill(os.getppid(), signal.SIGINT)\n"
                                          "time.sleep(5)"},
            "loops": {**honest, "a2": "while True:\n    pass"},
            "after": honest,  # graded after the workers were killed: they restart
        }
        subs = tmp_path / "subs"
        subs.mkdir()
        for name, answers in cases.items():
            (subs / f"{name}.ipynb").write_bytes(_tiny_submission(source, answers))
        report = grading.grade_submissions("chapters/99_tiny", subs, tmp_path / "out", jobs=2, timeout=15,
                                           root=tmp_path / "course")
        by = {r.student: r for r in report.results}
        got = {s: (r.status, r.points.get("t1"), r.points.get("t2")) for s, r in by.items()}
        assert got["honest"] == got["after"] == ("graded", 1.0, 1.0)
        assert got["exits"] == ("failed", 1.0, 0.0)
        assert got["selfkill"] == ("failed", 1.0, 0.0)
        assert got["workerkill"] == ("failed", 0.0, 0.0)  # its grading process died with everything it held
        assert got["workerint"] == ("graded", 1.0, 0.0)  # the grading process ignores the signal (a2 sets no y)
        assert got["loops"] == ("timeout", 1.0, 0.0)
        assert by["exits"].reason.startswith("the notebook's process ended while running answer cell a2 (exit code 1)")
        assert by["selfkill"].reason.startswith("the notebook's process ended while running answer cell a2 (SIGKILL")
        assert by["workerkill"].reason.startswith("the notebook stopped its grading process: the grading "
                                                  "process ended (SIGKILL"), by["workerkill"].reason
        assert by["loops"].reason.startswith("stopped after 15 s (time limit) while running answer cell a2")
        rows = _by_student(tmp_path / "out")
        assert {s: r["status"] for s, r in rows.items()} == {s: by[s].status for s in cases}
        assert _runner_processes(marker) == []


@pytest.mark.slow
@pytest.mark.usefixtures("sandbox")
class TestHostileZipBatch:
    """The hostile zip, honest members included: they are graded normally next to the refused ones."""

    def test_honest_members_are_graded(self, tmp_path, small_cap, monkeypatch):
        tmp = tmp_path / "tmp"
        tmp.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        marker = _private_data(tmp_path, monkeypatch)
        escape_to = tmp_path / "outside"
        archive = _hostile_zip(tmp_path, escape_to)
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        before = _tree(tmp_path)
        report = grading.grade_submissions(NOTEBOOK, archive, tmp_path / "out", jobs=2, timeout=60)
        by = {r.student: r for r in report.results}
        assert set(by) == set(EXPECTED)
        for sid, total in HONEST.items():
            assert (by[sid].status, by[sid].total, by[sid].reason) == ("graded", total, ""), sid
        for sid, (_, _, problem) in EXPECTED.items():
            if sid not in HONEST:
                assert by[sid].status == "invalid" and by[sid].reason.startswith(problem or READ_REASONS[sid]), sid
        rows = _by_student(tmp_path / "out")
        assert set(rows) == set(EXPECTED)
        assert float(rows["ada"]["total"]) == FULL
        assert hashlib.sha256(archive.read_bytes()).hexdigest() == digest
        assert {p for p in _tree(tmp_path) - before if p.split("/")[0] != "out"} == set()
        assert not escape_to.exists() and list(tmp.iterdir()) == []
        assert _runner_processes(marker) == []
