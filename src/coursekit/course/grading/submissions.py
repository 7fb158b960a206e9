"""Finding the submissions in a folder, a zip export or a single notebook, and naming their students."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

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
                problem = (f"not a notebook ({entry.suffix} file)" if entry.suffix
                           else "not a notebook (no .ipynb suffix)")
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
                    problem = (f"{len(nbs)} notebooks in the folder and not exactly one named like "
                               f"{notebook}.ipynb: {listed}")
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
