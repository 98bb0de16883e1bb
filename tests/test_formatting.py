"""`format = "black"` / `format = "ruff"`: the generated Python formatted by the tool, idempotently."""
import pytest
from click.testing import CliRunner
from support import notebook_text

from nbrefactor import formatting
from nbrefactor.cli import main
from nbrefactor.config import Settings
from nbrefactor.model import NotebookError
from nbrefactor.pipeline import refactor

LOOSE = notebook_text(
    ("code", "import json"),
    ("markdown", "# Load"),
    ("code", "values = {'a':1,'b' :[1,2,3]}  # keep this comment"),
    ("markdown", "# Report"),
    ("code", "text = json.dumps( values )\nprint(text)"),
)


@pytest.fixture(params=["black", "ruff"])
def tool(request):
    if request.param == "black":
        pytest.importorskip("black")
    elif formatting._ruff_command() is None:
        pytest.skip("ruff is not installed")
    return request.param


def test_the_generated_python_is_formatted_and_keeps_its_comments(tool):
    files = dict(refactor(LOOSE, path="nb.ipynb", settings=Settings(format=tool)).files)

    assert "values = {\"a\": 1, \"b\": [1, 2, 3]}  # keep this comment" in files["nb.py"]
    assert "json.dumps(values)" in files["nb.py"]
    for name, text in files.items():
        compile(text, name, "exec")


def test_formatting_is_deterministic_and_a_second_convert_changes_nothing(tool, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb.ipynb").write_text(LOOSE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f'[tool.nbrefactor]\nformat = "{tool}"\n', encoding="utf-8")
    runner = CliRunner()

    first = runner.invoke(main, ["convert", "nb.ipynb"])
    written = (tmp_path / "nb.py").read_bytes()
    second = runner.invoke(main, ["convert", "-v", "nb.ipynb"])
    checked = runner.invoke(main, ["convert", "--check", "nb.ipynb"])

    assert (first.exit_code, second.exit_code, checked.exit_code) == (0, 0, 0), first.output + second.output
    assert "unchanged nb.py" in second.output
    assert (tmp_path / "nb.py").read_bytes() == written


def test_without_the_setting_the_notebooks_layout_is_kept():
    files = dict(refactor(LOOSE, path="nb.ipynb").files)

    assert "values = {'a':1,'b' :[1,2,3]}  # keep this comment" in files["nb.py"]


def test_a_formatter_that_is_not_installed_is_one_located_line(monkeypatch):
    monkeypatch.setattr(formatting, "_ruff_command", lambda: None)

    with pytest.raises(NotebookError, match=r'^nb.ipynb: format = "ruff", but ruff is not installed'):
        refactor(LOOSE, path="nb.ipynb", settings=Settings(format="ruff"))


def test_an_unknown_formatter_in_the_configuration_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb.ipynb").write_text(LOOSE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.nbrefactor]\nformat = "yapf"\n', encoding="utf-8")

    done = CliRunner().invoke(main, ["convert", "nb.ipynb"])

    assert done.exit_code == 2
    assert "'format' in [tool.nbrefactor] must be one of black, ruff" in done.output
    assert not (tmp_path / "nb.py").exists()
