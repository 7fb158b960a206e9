"""Building the course's notebooks: execute the sources, generate student versions.

The single source of every notebook is ``solutions/<assignment>/NN_name.ipynb``
(nbgrader format).  Two steps turn it into what students and tests see:

1. :func:`execute` runs a solution notebook top to bottom in a fresh kernel
   and stores its outputs, so the committed solutions show every number and
   plot (``pytest`` later re-runs them under strict nbval and compares);
2. :func:`generate` calls nbgrader's own converter
   (``nbgrader generate_assignment``) to write the student versions into
   ``chapters/`` and ``cases/``: outputs cleared, solutions replaced by stubs,
   hidden tests removed, cells locked and checksummed.

Both are wrapped by ``coursekit release`` (``make release``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from coursekit._validate import check_number
from coursekit.language import N_, translate

__all__ = ["ASSIGNMENTS", "INSTRUCTOR_ONLY", "NBGRADER_MISSING", "repo_root", "solution_notebooks", "execute",
           "generate", "require_nbgrader", "is_instructor_only", "drop_instructor_cells", "DropInstructorCells",
           "case_index", "write_case_index"]

#: nbgrader assignments of this course: each is a folder in ``solutions/``
#: whose student version is written to the folder of the same name at the root.  The ``-zh`` ones are
#: the Chinese edition, built from the English ones and their catalogues (``coursekit translate``).
ASSIGNMENTS = ("chapters", "cases", "chapters-zh", "cases-zh")
#: the English assignments: the single source of every notebook
SOURCES = ("chapters", "cases")


def repo_root() -> Path:
    """Return the repository root (the nbgrader course directory)."""
    return Path(__file__).resolve().parents[3]


def solution_notebooks(root: Path | None = None, *, editions: bool = False) -> list[Path]:
    """List every English source notebook under ``solutions/``, sorted by path.

    With ``editions=True`` the Chinese teacher's notebooks (``solutions/*-zh/``) are listed too.
    """
    root = repo_root() if root is None else Path(root)
    folders = ASSIGNMENTS if editions else SOURCES
    return sorted(
        p for folder in folders for p in (root / "solutions" / folder).glob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def execute(path, *, timeout: float = 300, inplace: bool = True) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook top to bottom in a fresh kernel.

    Parameters
    ----------
    path : str or Path
        The notebook to run; its folder is the kernel's working directory.
    timeout : float, default 300
        Seconds allowed per cell.
    inplace : bool, default True
        Write the executed notebook back to ``path``.

    Returns
    -------
    (notebook, seconds)
        The executed notebook and the wall time of the run, kernel start included.

    Notes
    -----
    Cell timing metadata, widget state and widget views (random model ids) are
    not stored, so that executing an unchanged notebook twice gives the same file.
    """
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    timeout = check_number("timeout", timeout, low=0, low_open=True)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    _drop_widget_views(nb)
    if inplace:
        nbformat.write(nb, path)
    return nb, seconds


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _drop_widget_views(nb) -> None:
    """Remove live-widget views from the outputs (their model ids are random and,
    without stored widget state, a saved view shows nothing); the static picture
    (an explorer's ``image/png``, for exports, GitHub and a reopened notebook) and the text form stay."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


#: Cell tag for what only the instructor's (solution) version shows: teaching notes
#: and worked answers to discussion questions.  Student versions drop these cells.
INSTRUCTOR_ONLY = "instructor-only"


def is_instructor_only(cell) -> bool:
    """True for a cell tagged :data:`INSTRUCTOR_ONLY`."""
    return INSTRUCTOR_ONLY in cell.get("metadata", {}).get("tags", [])


def drop_instructor_cells(nb):
    """Remove every :data:`INSTRUCTOR_ONLY` cell from ``nb`` (in place) and return it."""
    nb.cells = [cell for cell in nb.cells if not is_instructor_only(cell)]
    return nb


#: What a student install (``pip install -e .``) says when a teacher command needs nbgrader.
NBGRADER_MISSING = ("nbgrader is not installed: generating student notebooks and grading are teacher tools, "
                    "left out of a student install; install them with pip install -e '.[teacher]'")


def require_nbgrader() -> None:
    """Raise :class:`RuntimeError` (:data:`NBGRADER_MISSING`) unless nbgrader is installed.

    nbgrader is in the ``teacher`` extra (``dev`` includes it): ``coursekit release``,
    ``generate`` and ``grade`` need it, the chapters and cases do not.

    Examples
    --------
    >>> require_nbgrader()  # in a teacher or developer install: nothing to say
    """
    if importlib.util.find_spec("nbgrader") is None:
        raise RuntimeError(NBGRADER_MISSING)


try:  # the nbgrader preprocessor is only needed where nbgrader is installed (teachers, tests)
    from nbgrader.preprocessors import NbGraderPreprocessor as _NbGraderPreprocessor
except ImportError:  # pragma: no cover - nbgrader is part of the teacher extra
    _NbGraderPreprocessor = None

if _NbGraderPreprocessor is not None:

    class DropInstructorCells(_NbGraderPreprocessor):
        """nbgrader preprocessor: leave :data:`INSTRUCTOR_ONLY` cells out of student versions.

        ``nbgrader_config.py`` puts it first in ``GenerateAssignment.preprocessors``,
        so nbgrader's own converter produces the student notebooks as usual, minus
        the teaching notes.
        """

        def preprocess(self, nb, resources):
            return drop_instructor_cells(nb), resources


#: The case libraries with an index, and the language of each.
_INDEXED = {"cases": "en", "cases-zh": "zh_CN"}
#: The case index's own words (the Chinese edition's come from the package's catalogue).
_INDEX_TITLE = N_("# Case library")
_INDEX_INTRO = N_(
    "Case studies retold from the course readings, and one on real customers (Case 9, CDNOW),\n"
    "each with data to work with, autograded questions and discussion questions. Open a case\n"
    "in JupyterLab and run it top to bottom;\n"
    "answer the ✏️ questions in place. (This index is generated from the notebooks by\n"
    "`make release`; the instructor's versions with worked answers and teaching notes are in\n"
    "`solutions/{assignment}/`.)")
_INDEX_HEADER = N_("| Case | Chapters | Time | Skills practised |")
_INDEX_MINUTES = N_("{minutes} min")
_INDEX_JOIN = N_("; ")


def case_index(root: Path | None = None, assignment: str = "cases") -> str:
    """The Markdown index of a case library, built from the case notebooks' metadata.

    Each source notebook in ``solutions/cases/`` carries ``metadata["coursekit"]``
    with ``title``, ``chapters`` (list of chapter numbers), ``minutes`` (time
    needed) and ``skills`` (list of strings).  ``coursekit release`` writes the
    index to ``solutions/<assignment>/README.md``, which nbgrader copies to ``<assignment>/``.
    ``assignment="cases-zh"`` indexes the Chinese edition (its metadata translated by
    :func:`coursekit.course.translation.build_notebook`), in Chinese.
    """
    if assignment not in _INDEXED:
        raise ValueError(f"assignment must be one of {', '.join(map(repr, _INDEXED))}, got {assignment!r}")
    root = repo_root() if root is None else Path(root)
    code = _INDEXED[assignment]
    rows = []
    for path in sorted((root / "solutions" / assignment).glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("coursekit")
        if not meta or not {"title", "chapters", "minutes", "skills"} <= set(meta):
            raise ValueError(f"{path.name}: metadata['coursekit'] needs title, chapters, minutes and skills")
        chapters = ", ".join(str(c) for c in sorted(meta["chapters"]))
        minutes = translate(_INDEX_MINUTES, code).format(minutes=meta["minutes"])
        rows.append(f"| [{meta['title']}]({path.name}) | {chapters} | {minutes} | "
                    f"{translate(_INDEX_JOIN, code).join(meta['skills'])} |")
    header = [translate(_INDEX_TITLE, code), "", translate(_INDEX_INTRO, code).format(assignment=assignment), "",
              translate(_INDEX_HEADER, code), "|---|---|---|---|"]
    return "\n".join(header + rows) + "\n"


def write_case_index(root: Path | None = None) -> list[Path]:
    """Write :func:`case_index` to ``solutions/<assignment>/README.md`` for each case library that has cases."""
    root = repo_root() if root is None else Path(root)
    written = []
    for assignment in _INDEXED:
        folder = root / "solutions" / assignment
        if any(folder.glob("*.ipynb")):
            path = folder / "README.md"
            path.write_text(case_index(root, assignment), encoding="utf-8")
            written.append(path)
    return written


def _nbgrader_env() -> dict:
    """Environment for the nbgrader command: this interpreter's ``bin`` first on PATH
    (nbgrader runs ``alembic`` by name)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def generate(assignment: str, root: Path | None = None) -> list[Path]:
    """Write the student versions of ``solutions/<assignment>/`` to ``<root>/<assignment>/``.

    Runs ``nbgrader generate_assignment <assignment> --force`` in ``root`` (the
    course directory configured by ``nbgrader_config.py``).

    Parameters
    ----------
    assignment : {"chapters", "cases"}
        Which folder of ``solutions/`` to convert.
    root : Path, optional
        Course directory holding ``nbgrader_config.py`` and ``solutions/``;
        defaults to the repository root.

    Returns
    -------
    list of Path
        The student notebooks written.

    Raises
    ------
    RuntimeError
        If nbgrader is not installed (:func:`require_nbgrader`) or its converter fails.
    """
    if assignment not in ASSIGNMENTS:
        raise ValueError(f"assignment must be one of {ASSIGNMENTS}, got {assignment!r}")
    root = repo_root() if root is None else Path(root)
    if not (root / "solutions" / assignment).is_dir():
        raise ValueError(f"no source folder {root / 'solutions' / assignment}")
    require_nbgrader()
    nbgrader = Path(sys.executable).parent / "nbgrader"
    cmd = [str(nbgrader) if nbgrader.exists() else "nbgrader", "generate_assignment", assignment, "--force"]
    result = subprocess.run(cmd, cwd=root, env=_nbgrader_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{result.stdout}\n{result.stderr}")
    out = root / assignment
    for junk in (out / ".ipynb_checkpoints",):
        shutil.rmtree(junk, ignore_errors=True)
    return sorted(out.glob("*.ipynb"))
