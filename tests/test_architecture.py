"""The package's layout rules (docs/architecture.md), checked on the source text.

* layers import downward only;
* no module imports another module's ``_private`` name;
* no module is over 1,200 lines, and none is named with a number;
* imports sit at the top of a module, except the notebook tooling of ``coursekit.course``
  (nbgrader, which a student install does not have, and nbformat/nbclient, slow to import).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coursekit"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
MAX_LINES = 1200

#: What each layer may import from coursekit (besides itself).  A layer is the first part of
#: the dotted name below ``coursekit``; the two top-level modules are layers of their own.
ALLOWED = {
    "_validate": set(),
    "language": set(),
    "plotting": {"_validate", "language"},
    "exercises": {"language"},
    "tables": {"_validate"},
    "models": {"_validate"},
    "crm": {"_validate", "models", "tables"},
    "data": {"_validate", "models", "tables", "crm.schema"},
    "widgets": {"_validate", "language", "plotting", "tables", "models", "crm", "data"},
    "cases": {"_validate", "language", "plotting", "tables", "models", "crm", "data", "widgets"},
    "course": {"_validate", "language", "plotting", "tables", "models", "crm", "data", "widgets", "cases"},
    "__init__": set(),
}

#: Notebook tooling that ``coursekit.course`` imports where it is used: nbgrader is in the
#: ``teacher`` extra only, and a grading worker process that imports the package must start
#: fast (nbformat and nbgrader take about 2 s to import).
LAZY_IN_COURSE = {"nbgrader", "nbclient", "nbconvert", "nbformat", "jupyter_client", "traitlets",
                  "coursekit.course.notebooks"}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path):
    """(line, imported module, imported names, at top level?) for every import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    own = _name(path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, [], id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = own.split(".") if is_package else own.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module, [a.name for a in node.names], id(node) in top


def _allowed(layer: str, target: str) -> bool:
    rest = target.split(".", 1)[1] if "." in target else ""
    if not rest or rest.split(".")[0] == layer:
        return True
    return any(rest == a or rest.startswith(a + ".") for a in ALLOWED.get(layer, set()))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_layers_import_downward_only(path):
    layer = _layer(_name(path))
    wrong = []
    for line, module, names, _ in _imports(path):
        targets = [module] if module != "coursekit" else [f"coursekit.{n}" for n in names]
        for target in targets:
            if target.startswith("coursekit.") and not _allowed(layer, target):
                wrong.append(f"line {line}: {target}")
    assert not wrong, f"{_name(path)} ({layer}) may import only {sorted(ALLOWED[layer])}: {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_no_private_names_from_other_modules(path):
    own = _name(path)
    wrong = [
        f"line {line}: {module}.{name}"
        for line, module, names, _ in _imports(path)
        if module.startswith("coursekit") and module != own
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    for line, module, _, _ in _imports(path):
        parts = module.split(".")
        for i, part in enumerate(parts[1:], start=1):
            # a private module (``widgets._core``) belongs to its package; ``_validate`` is shared
            if part.startswith("_") and module != "coursekit._validate" and not own.startswith(".".join(parts[:i])):
                wrong.append(f"line {line}: {module}")
    assert not wrong, f"{own} imports private names of other modules: {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_no_private_attributes_of_other_modules(path):
    # ``from coursekit.models import purchases`` then ``purchases._as_day(...)`` is the same reach
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("coursekit"):
            modules |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name.startswith("coursekit")}
    wrong = [
        f"line {node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
        and node.attr.startswith("_") and not node.attr.startswith("__")
    ]
    assert not wrong, f"{_name(path)} uses private names of other modules: {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_imports_at_the_top(path):
    inner = [(line, module, names) for line, module, names, top in _imports(path) if not top]
    if _layer(_name(path)) == "course":
        inner = [
            (line, m, names) for line, m, names in inner
            if m.split(".")[0] not in LAZY_IN_COURSE and m not in LAZY_IN_COURSE
            and not (names and all(f"{m}.{n}" in LAZY_IN_COURSE for n in names))
        ]
    assert not inner, f"{_name(path)} imports inside functions (move them to the top): {inner}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_modules_are_small_and_named_after_what_they_hold(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines; split it (at most {MAX_LINES})"
    assert not re.search(r"\d", path.stem), f"{_name(path)} is named with a number; name it after what it holds"
    assert path.stem not in {"utils", "helpers", "misc", "common"}, f"{_name(path)}: name it after what it holds"


def test_every_layer_is_a_package():
    for layer in ("models", "crm", "data", "cases", "widgets", "course"):
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
