"""environment.yml (conda/Binder) and pyproject.toml (pip/make) install the same thing;
a student install leaves the teacher's tools out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from coursekit.course import notebooks

ROOT = notebooks.repo_root()


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _extras_included(requirements) -> set:
    """Extras of this package that a list of requirements pulls in (``coursekit[teacher]``)."""
    out = set()
    for r in requirements:
        match = re.fullmatch(r"\s*coursekit\[([\w,\s-]+)\]\s*", r)
        if match:
            out |= {e.strip() for e in match.group(1).split(",")}
    return out


def test_same_python_version():
    requires = _pyproject()["project"]["requires-python"]
    conda = [d for d in _environment()["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert conda == ["python=3.11"], conda
    assert ">=3.11" in requires and "<3.12" in requires, requires


def test_environment_installs_the_package_with_every_extra():
    pip = next(d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e .[dev]" in pip, pip
    extras = _pyproject()["project"]["optional-dependencies"]
    assert set(extras) - {"dev"} <= _extras_included(extras["dev"]), "the dev extra must include every other extra"
    assert "-c constraints.txt" in pip, "environment.yml must use the same pins as make (constraints.txt)"
    # Anything else listed must be a dependency that pyproject already declares.
    declared = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    for extra in _pyproject()["project"]["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    others = [p for p in pip if not p.startswith("-")]
    assert all(_name(p) in declared for p in others), others
    conda_pkgs = [d for d in _environment()["dependencies"] if isinstance(d, str)]
    assert all(_name(p.split("=")[0]) in declared | {"python", "pip"} for p in conda_pkgs), conda_pkgs


def test_constraints_pin_every_declared_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[_name(name)] = version
    project = _pyproject()["project"]
    wanted = [*project["dependencies"], *[r for e in project["optional-dependencies"].values() for r in e]]
    missing = [r for r in wanted if _name(r) not in pins and _name(r) != project["name"]]
    assert not missing, f"constraints.txt does not pin {missing}: regenerate it with pip freeze"


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "lab-teacher", "test", "release", "data", "bench"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile lacks `make {target}`"
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_teacher_tools_are_an_extra():
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    assert "nbgrader" in {_name(r) for r in extras["teacher"]}
    assert "nbgrader" not in {_name(r) for r in project["dependencies"]}, "a student install needs no nbgrader"
    assert "teacher" in _extras_included(extras["dev"]), "dev must include the teacher extra"
    assert "jupyterlab-slideshow" in {_name(r) for r in project["dependencies"]}, "slides are for everyone"


def test_student_layers_import_without_nbgrader():
    code = ("import sys, coursekit.models, coursekit.crm, coursekit.data, coursekit.cases, coursekit.widgets, "
            "coursekit.plotting; assert 'nbgrader' not in sys.modules, 'a student layer imports nbgrader'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_student_lab_turns_off_every_nbgrader_part():
    """`make lab` reads jupyter/student: every server extension nbgrader enables, and its lab extension, are off."""
    enabled = json.loads(Path(sys.prefix, "etc", "jupyter", "jupyter_server_config.d", "nbgrader.json").read_text())
    student = json.loads((ROOT / "jupyter" / "student" / "jupyter_server_config.json").read_text())
    turned_on = {name for name, on in enabled["ServerApp"]["jpserver_extensions"].items() if on}
    assert turned_on and student["ServerApp"]["jpserver_extensions"] == dict.fromkeys(turned_on, False)
    page = json.loads((ROOT / "jupyter" / "student" / "labconfig" / "page_config.json").read_text())
    lab_extension = json.loads(Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader",
                                    "package.json").read_text())["name"]
    assert page["disabledExtensions"] == {lab_extension: True}
    assert "JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG)" in (ROOT / "Makefile").read_text()
