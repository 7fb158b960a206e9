"""coursekit.course.notebooks and the `coursekit` command refuse bad input clearly."""

import pytest

from coursekit.course import cli, notebooks


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


def test_executing_twice_gives_the_same_file(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3)"),
                nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "twice.ipynb"
    nbformat.write(nb, path)
    notebooks.execute(path)
    first = path.read_bytes()
    notebooks.execute(path)
    assert path.read_bytes() == first
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert outputs and notebooks.WIDGET_VIEW not in outputs[0]["data"] and "IntSlider" in outputs[0]["data"]["text/plain"]
