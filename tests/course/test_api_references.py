"""The notebooks' prose names only functions that exist (a renamed function must not leave stale text).

Every ``module.name`` in backticks in a markdown cell of a teacher notebook, where ``module`` is a
coursekit module (``clv``, ``freshbox``, ``purchases`` …), must name an attribute of that module; a
trailing ``*`` (``miao.load_miao_*``) must match at least one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import nbformat
import pytest

import coursekit
from coursekit.course import notebooks

SOLUTIONS = notebooks.solution_notebooks()
REFERENCE = re.compile(r"`([a-z_]+)\.([A-Za-z_]\w*)(\*?)")


def _modules() -> dict:
    found = {}
    for info in pkgutil.walk_packages(coursekit.__path__, "coursekit."):
        short = info.name.rsplit(".", 1)[-1]
        if not short.startswith("_") and short != "__main__":
            found.setdefault(short, importlib.import_module(info.name))
    return found


MODULES = _modules()


def stale_references(nb) -> list[str]:
    stale = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in REFERENCE.finditer(cell.source):
            module, name, star = match.groups()
            if module not in MODULES:
                continue
            names = dir(MODULES[module])
            if not (any(n.startswith(name) for n in names) if star else name in names):
                stale.append(match.group(0) + "`")
    return stale


def test_the_check_finds_a_stale_name():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Use `clv.clv`, `miao.load_miao_*` and `clv.old_clv_name` or `casedata.load_x`.")])
    assert stale_references(nb) == ["`clv.old_clv_name`"]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_prose_names_existing_functions(path):
    assert not stale_references(nbformat.read(path, as_version=4))
