"""coursekit.notebooks and the `coursekit` command refuse bad input clearly."""

import pytest

from coursekit import cli, notebooks


def test_execute_refuses_what_is_not_a_notebook(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"\.ipynb"):
        notebooks.execute(tmp_path / "notes.txt")
    with pytest.raises(ValueError, match=r"\.ipynb"):
        notebooks.execute(tmp_path / "missing.ipynb")


def test_generate_refuses_unknown_assignment(tmp_path):
    with pytest.raises(ValueError, match="assignment must be one of"):
        notebooks.generate("homework")
    with pytest.raises(ValueError, match="no source folder"):
        notebooks.generate("cases", root=tmp_path)


def test_solution_notebooks_are_found():
    names = [p.name for p in notebooks.solution_notebooks()]
    assert "01_why_retention_matters.ipynb" in names


def test_cli_requires_a_command(capsys):
    with pytest.raises(SystemExit):
        cli.main([])
    assert "usage" in capsys.readouterr().err
