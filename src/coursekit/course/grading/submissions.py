"""Finding the submissions in a folder, a zip export or a single notebook, and naming their students."""

from __future__ import annotations

import lzma
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import NamedTuple

__all__ = ["MAX_NOTEBOOK_BYTES", "MAX_ZIP_BYTES", "student_id", "find_submissions"]

#: Largest submission file read (bytes); larger files are ``invalid``.
MAX_NOTEBOOK_BYTES = 100 * 2**20
#: Largest total size of the files of a zip archive (bytes).
MAX_ZIP_BYTES = 2 * 2**30

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


def _shown(name: str) -> str:
    """A member name as shown in a reason: control characters escaped, at most 200 characters."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return text if len(text) <= 200 else text[:200] + "…"


class _Rejected(NamedTuple):
    """A zip member that was not extracted, and why."""

    name: str  # the member's name in the archive
    parts: tuple | None  # where it would have been extracted; None when its name is unsafe
    reason: str


def _member_parts(name: str) -> tuple[tuple | None, str]:
    """The path parts of a zip member's name, or None and why the name is unsafe.

    Backslashes count as separators (Windows tools write them); an absolute
    path, a drive letter, a UNC path or a ``..`` part makes the name unsafe.
    """
    shown = _shown(name)
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return None, f"zip member has an absolute path: {shown}"
    raw = path.split("/")
    if ".." in raw:
        depth = 0
        for part in raw:
            depth += -1 if part == ".." else 0 if part in ("", ".") else 1
            if depth < 0:
                return None, f"zip member path escapes the archive: {shown}"
        return None, f"zip member path has a '..' part: {shown}"
    if "\x00" in path:
        return None, f"zip member has a NUL character in its name: {shown}"
    parts = tuple(p for p in raw if p not in ("", "."))
    if not parts:
        return None, f"zip member has an empty name: {shown}"
    return parts, ""


def _extract_zip(archive: Path, dest: Path) -> list:
    """Extract the files of a zip one by one into ``dest``; return the members that were refused.

    Every member is checked before and while it is read: its name (no
    absolute path, drive letter or ``..`` part; backslashes are separators),
    its type (no symbolic link or other special file), its size (the declared
    size and the bytes actually read are both capped at
    :data:`MAX_NOTEBOOK_BYTES`, the whole archive at :data:`MAX_ZIP_BYTES`),
    and its integrity (CRC, compression, encryption).  A member that fails is
    not extracted (a partly written file is removed) and comes back as a
    :class:`_Rejected` with the reason; nothing is ever written outside
    ``dest``, and files are created with ``O_EXCL | O_NOFOLLOW``.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ValueError(f"submissions {str(archive)!r} is not a readable zip file ({exc})") from None
    dest.mkdir(parents=True, exist_ok=True)
    top = dest.resolve()
    cap, total_cap = MAX_NOTEBOOK_BYTES, MAX_ZIP_BYTES
    total = 0
    rejected = []
    with zf:
        for info in zf.infolist():
            name = info.orig_filename
            parts, problem = _member_parts(name)
            if parts is not None and _ignored(parts):
                continue
            if info.is_dir() and not problem:
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if problem:
                pass
            elif mode == stat.S_IFLNK:
                problem = f"zip member is a symbolic link: {_shown(name)}"
            elif mode not in (0, stat.S_IFREG):
                problem = f"zip member is not a regular file: {_shown(name)}"
            elif info.flag_bits & 0x1:
                problem = f"zip member is encrypted: {_shown(name)}"
            elif info.file_size > cap:
                problem = (f"zip member too large: it declares {info.file_size:,} bytes, more than the "
                           f"{_mib(cap)} limit: {_shown(name)}")
            elif total >= total_cap:
                problem = f"not extracted: the zip unpacks to more than {_mib(total_cap)} in all: {_shown(name)}"
            if problem:
                rejected.append(_Rejected(name, parts, problem))
                continue
            target = dest.joinpath(*parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.parent.resolve().is_relative_to(top):  # cannot happen: no links are ever created
                    raise OSError("the target folder lies outside the extraction folder")
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except FileExistsError:
                rejected.append(_Rejected(name, parts, f"zip member appears more than once: {_shown(name)}"))
                continue
            except OSError as exc:
                why = exc.strerror or str(exc)
                rejected.append(_Rejected(name, parts, f"zip member could not be extracted ({why}): {_shown(name)}"))
                continue
            problem, size = "", 0
            try:
                with os.fdopen(fd, "wb") as out, zf.open(info) as src:
                    while block := src.read(1 << 16):
                        size += len(block)
                        if size > cap:
                            problem = (f"zip member too large: it unpacks to more than {_mib(cap)} "
                                       f"(declared {info.file_size:,} bytes): {_shown(name)}")
                            break
                        if total + size > total_cap:
                            problem = (f"not extracted: the zip unpacks to more than {_mib(total_cap)} in all: "
                                       f"{_shown(name)}")
                            break
                        out.write(block)
            except zipfile.BadZipFile as exc:
                problem = (f"zip member has a bad CRC: {_shown(name)}" if "CRC" in str(exc)
                           else f"zip member is corrupt ({exc}): {_shown(name)}")
            except (zlib.error, EOFError, lzma.LZMAError, OSError, ValueError) as exc:
                problem = f"zip member is corrupt ({type(exc).__name__}: {exc}): {_shown(name)}"
            except NotImplementedError as exc:
                problem = f"zip member cannot be read ({exc}): {_shown(name)}"
            except RuntimeError as exc:  # e.g. encrypted without the flag in the directory
                problem = f"zip member cannot be read ({exc}): {_shown(name)}"
            if problem:
                target.unlink(missing_ok=True)
                rejected.append(_Rejected(name, parts, problem))
                if problem.startswith("not extracted"):
                    total = total_cap
                continue
            total += size
    return rejected


def _mib(n: int) -> str:
    if n >= 2**30 and n % 2**30 == 0:
        return f"{n // 2**30} GiB"
    if n >= 2**20:
        return f"{n / 2**20:g} MiB"
    return f"{n:,} bytes"


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _ignored(p.relative_to(folder).parts))


def _wrapper(paths: list) -> tuple:
    """The folders that wrap every path (LMS exports often put everything in one folder)."""
    prefix: tuple = ()
    while paths and all(len(p) > len(prefix) + 1 for p in paths) and len({p[len(prefix)] for p in paths}) == 1:
        prefix += (paths[0][len(prefix)],)
    return prefix


def _id_of(name: str, notebook: str, is_file: bool) -> str:
    """Student id of a top-level file or folder name (``"unnamed"`` for a name with nothing in it)."""
    if is_file and not name.lower().endswith(".ipynb"):
        name = PurePosixPath(name).stem or name
    return student_id(name, notebook) if name.strip() else "unnamed"


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
        is invalid; ``path`` is the file to read (None when there is none).
        Sorted by student id.

    Raises
    ------
    ValueError
        If ``submissions`` does not exist, is neither a folder, a zip nor a
        notebook, is an empty folder, is not a readable zip, or holds no
        ``.ipynb`` file.

    Notes
    -----
    A zip is extracted member by member (see :func:`_extract_zip`); a member
    that is refused (corrupt, bad CRC, unsafe path, symbolic link, too large)
    still gives a row, with the reason as ``problem``, for the student it
    belongs to: the student of its top-level file or folder, or, for a member
    whose path is absolute or escapes the archive, the student of its file
    name.  In a student's folder, a refused notebook that would have been the
    folder's notebook makes the folder's row invalid; any other refused member
    gets a row of its own (a duplicate student id, ``alice#2``).

    References
    ----------
    .. [1] Jupyter Development Team, *nbgrader* documentation,
       https://nbgrader.readthedocs.io/ ("nbgrader zip_collect").
    .. [2] PKWARE, *APPNOTE.TXT - .ZIP File Format Specification*, version
       6.3.10, section 4.4.17 (file names: relative, forward slashes, no drive
       letter).
    .. [3] Python documentation, :mod:`zipfile` ("Decompression pitfalls";
       ``ZipFile.extractall`` warns never to extract untrusted archives
       without checking member names).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "alice_01_why_retention_matters.ipynb").write_text("{}")
    >>> (d / "bob").mkdir(); _ = (d / "bob" / "Untitled.ipynb").write_text("{}")
    >>> _ = (d / "notes.txt").write_text("hi")
    >>> [(s, f, p) for s, f, _, p in find_submissions(d, "01_why_retention_matters")]
    [('alice', 'alice_01_why_retention_matters.ipynb', ''), ('bob', 'bob/Untitled.ipynb', ''),
     ('notes', 'notes.txt', 'not a notebook (.txt file)')]
    """
    if not isinstance(notebook, str) or not notebook:
        raise ValueError(f"notebook must be a non-empty notebook name, got {notebook!r}")
    if not isinstance(submissions, (str, os.PathLike)):
        raise TypeError("submissions must be a path to a folder, a .zip or an .ipynb file, "
                        f"got {type(submissions).__name__}")
    path = Path(submissions)
    if not str(submissions).strip() or not path.exists():
        raise ValueError(f"submissions {str(submissions)!r} does not exist")
    prefix = ""
    rejected: list = []
    wrap: tuple = ()
    if path.is_file():
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            if workdir is None:
                raise ValueError("workdir is required to read a zip of submissions")
            dest = Path(workdir) / "unzipped"
            rejected = _extract_zip(path, dest)
            files = _files_under(dest)
            located = [f.relative_to(dest).parts for f in files] + [r.parts for r in rejected if r.parts]
            wrap = _wrapper(located)
            root = dest.joinpath(*wrap)
            prefix = path.name + ":"
            names = [f.name for f in files] + [PurePosixPath(r.name.replace("\\", "/")).name for r in rejected]
            if not any(n.lower().endswith(".ipynb") for n in names):
                raise ValueError(f"submissions zip {str(path)!r} holds no .ipynb notebook")
        elif path.suffix.lower() == ".ipynb":
            return [(student_id(path.name, notebook), path.name, path, "")]
        else:
            raise ValueError(
                f"submissions must be a folder, a .zip or an .ipynb file; {str(path)!r} is not a notebook "
                f"({path.suffix or 'no suffix'})"
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

    def too_large(p: Path) -> str:
        cap = MAX_NOTEBOOK_BYTES
        return f"file too large (more than {_mib(cap)})" if p.stat().st_size > cap else ""

    found, refused = [], []
    # refused zip members: a row of their own at the top, or a part of a student's folder
    folder_bad: dict = {}
    for r in rejected:
        if r.parts is not None and r.parts[: len(wrap)] == wrap:
            rel = r.parts[len(wrap):]
            if len(rel) > 1:
                folder_bad.setdefault(rel[0], []).append(("/".join(rel[1:]), r))
                continue
            name, shown = rel[0], rel[0]
        else:  # an unsafe name: the student of its file name
            name, shown = PurePosixPath(r.name.replace("\\", "/")).name, r.name
        refused.append((_id_of(name, notebook, True), prefix + shown, None, r.reason))

    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if _ignored([entry.name]):
            continue
        if entry.is_symlink():  # e.g. an export unpacked by a tool that restores links: never followed
            found.append((_id_of(entry.name, notebook, not entry.is_dir()), prefix + entry.name, None,
                          "a symbolic link (not followed)"))
        elif entry.is_file():
            rel = prefix + entry.name
            sid = _id_of(entry.name, notebook, True)
            problem = too_large(entry)
            if not problem and entry.suffix.lower() != ".ipynb":
                problem = (f"not a notebook ({entry.suffix} file)" if entry.suffix
                           else "not a notebook (no .ipynb suffix)")
            found.append((sid, rel, entry, problem))
        elif entry.is_dir():
            inside = [(f.relative_to(entry).as_posix(), f, "a symbolic link (not followed)" if f.is_symlink() else "")
                      for f in _files_under(entry)]
            inside += [(rel, None, r.reason) for rel, r in folder_bad.pop(entry.name, [])]
            found += _folder_rows(entry.name, sorted(inside, key=lambda t: t[0]), notebook, prefix, too_large)
    for name, bad in sorted(folder_bad.items()):  # folders whose every member was refused
        inside = sorted(((rel, None, r.reason) for rel, r in bad), key=lambda t: t[0])
        found += _folder_rows(name, inside, notebook, prefix, too_large)
    found += refused  # after the extracted files: a duplicate id's #2 goes to the refused member
    # duplicate ids get #2, #3 ... in file order
    seen: dict = {}
    out = []
    for sid, rel, p, problem in sorted(found, key=lambda t: (t[0].casefold(), t[1])):
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            sid = f"{sid}#{seen[sid]}"
        out.append((sid, rel, p, problem))
    return out


def _folder_rows(name: str, inside: list, notebook: str, prefix: str, too_large) -> list:
    """Rows of one student's folder; ``inside`` lists (path in the folder, file or None, why it was refused)."""
    sid = _id_of(name, notebook, False)
    nbs = [t for t in inside if t[0].lower().endswith(".ipynb")]
    chosen, problem = None, ""
    if len(nbs) == 1:
        chosen = nbs[0]
    elif nbs:
        pattern = _stem_pattern(notebook)
        exact = [t for t in nbs if PurePosixPath(t[0]).stem == notebook]
        named = [t for t in nbs if pattern.search(PurePosixPath(t[0]).stem)]
        pick = exact or named
        if len(pick) == 1:
            chosen = pick[0]
        else:
            listed = ", ".join(t[0] for t in nbs)
            problem = f"{len(nbs)} notebooks in the folder and not exactly one named like {notebook}.ipynb: {listed}"
    elif inside:
        listed = ", ".join(t[0] for t in inside[:5])
        problem = f"no .ipynb notebook in the folder (found {listed})"
    else:
        problem = "empty folder"
    path = None
    if chosen is not None:
        path = chosen[1]
        problem = chosen[2] or too_large(path)
    rows = [(sid, prefix + name + "/" + (chosen[0] if chosen else ""), path, problem)]
    # a refused member that is not the folder's notebook still gets a row
    rows += [(sid, prefix + name + "/" + t[0], None, t[2]) for t in inside if t[2] and t is not chosen]
    return rows
