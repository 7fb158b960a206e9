"""The `coursekit` command: usage errors, and the teacher commands in a student install (no nbgrader)."""

import subprocess
import sys

import pytest

from coursekit.course import cli, notebooks


def test_cli_requires_a_command(capsys):
    with pytest.raises(SystemExit):
        cli.main([])
    assert "usage" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["release", "generate", "grade"])
def test_teacher_commands_without_nbgrader_say_how_to_install_it(monkeypatch, capsys, tmp_path, command):
    monkeypatch.setitem(sys.modules, "nbgrader", None)  # importing nbgrader now fails, as in a student install
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ada.ipynb").write_text("{}")
    grade = ["chapters/01_why_retention_matters", str(tmp_path / "subs"), "--out", str(tmp_path / "out")]
    assert cli.main([command, *(grade if command == "grade" else [])]) == 2
    err = capsys.readouterr().err
    assert err == f"coursekit {command}: error: {notebooks.NBGRADER_MISSING}\n"
    assert "pip install -e '.[teacher]'" in err


def test_the_command_line_imports_without_nbgrader():
    code = ("import sys; sys.modules['nbgrader'] = None; "
            "from coursekit.course import cli; sys.exit(cli.main(['release']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"coursekit release: error: {notebooks.NBGRADER_MISSING}\n"
