"""Repository-wide pytest set-up: every notebook is a test.

A plain ``pytest`` collects, besides ``tests/`` and the doctests of
``src/coursekit``, every notebook of the course with nbval:

* ``solutions/**.ipynb`` run in **strict** mode: every code cell's output must
  match the committed output (so every number the course shows is checked);
* ``chapters/**.ipynb`` and ``cases/**.ipynb`` (student versions) run in
  **lax** mode, every cell, as a student's *Run All* does with every exercise
  unanswered: each cell must run without error, except the test cells (tagged
  ``raises-exception``), which say "not answered yet"
  (:class:`coursekit.exercises.NotAnswered`) and let the run go on.

Passing ``--nbval`` or ``--nbval-lax`` explicitly falls back to nbval's own
behaviour for the notebooks given on the command line.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
STRICT = {"solutions"}
LAX = {"chapters", "cases", "chapters-zh", "cases-zh"}


def _top_folder(path: Path) -> str | None:
    try:
        return path.resolve().relative_to(ROOT).parts[0]
    except (ValueError, IndexError):
        return None


def pytest_collect_file(parent, file_path):
    option = parent.config.option
    if file_path.suffix != ".ipynb" or option.nbval or option.nbval_lax:
        return None
    if ".ipynb_checkpoints" in file_path.parts:
        return None
    top = _top_folder(file_path)
    if top not in STRICT | LAX:
        return None
    from nbval.plugin import IPyNbFile

    item = IPyNbFile.from_parent(parent, path=file_path)
    item.compare_outputs = top in STRICT
    return item
