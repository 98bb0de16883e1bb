"""The nbconvert exporter: found through nbconvert's own registry, and equal to `nbrefactor convert`."""
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from nbconvert.exporters import get_export_names, get_exporter
from nbconvert.utils.exceptions import ConversionException
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbrefactor.cli import main

from nbrefactor.exporter import NbrefactorExporter


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart (click < 8.2 mixes it into stdout unless told)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "diabetes"


def _copy_example(name, folder):
    return Path(shutil.copy(EXAMPLES / name, folder))


def _cli_outputs(notebook):
    result = cli_runner().invoke(main, ["convert", str(notebook)])
    assert result.exit_code == 0, result.output
    return {path.name: path.read_text(encoding="utf-8") for path in notebook.parent.glob("*.py")}


def _python_notebook(*cells):
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    return notebook


def test_nbconvert_finds_the_exporter_by_name():
    assert get_exporter("nbrefactor") is NbrefactorExporter
    assert "nbrefactor" in get_export_names()


def test_exporter_is_offered_in_the_jupyter_export_menu_as_a_python_file():
    exporter = get_exporter("nbrefactor")()

    assert exporter.export_from_notebook.startswith("nbrefactor")
    assert exporter.output_mimetype == "text/x-python"
    assert exporter.file_extension == ".py"


@pytest.mark.slow
@pytest.mark.parametrize(
    "notebook_name, module",
    [("diabetes_training.ipynb", "train"), ("diabetes_scoring.ipynb", "score")],
)
def test_exporter_output_is_byte_identical_to_the_cli(tmp_path, notebook_name, module):
    exported_copy = _copy_example(notebook_name, tmp_path)
    cli_folder = tmp_path / "cli"
    cli_folder.mkdir()
    expected = _cli_outputs(_copy_example(notebook_name, cli_folder))

    script, resources = get_exporter("nbrefactor")().from_filename(str(exported_copy))

    assert script == expected[f"{module}.py"]
    assert resources["outputs"] == {f"./test_{module}.py": expected[f"test_{module}.py"].encode("utf-8")}
    assert resources["unique_key"] == module
    assert resources["output_extension"] == ".py"


@pytest.mark.slow
@pytest.mark.parametrize(
    "where, arguments, outputs",
    [
        ("notebook folder", ["diabetes_training.ipynb"], "."),
        ("parent folder", ["nb/diabetes_training.ipynb"], "nb"),
        ("notebook folder, --output-dir", ["diabetes_training.ipynb", "--output-dir", "../out"], "../out"),
        ("elsewhere, --output-dir", ["../nb/diabetes_training.ipynb", "--output-dir", "out"], "out"),
    ],
)
def test_jupyter_nbconvert_writes_what_the_cli_would_write(tmp_path, where, arguments, outputs):
    folder = tmp_path / "nb"
    folder.mkdir()
    notebook = _copy_example("diabetes_training.ipynb", folder)
    cwd = {"notebook folder": folder, "parent folder": tmp_path}.get(where.split(",")[0], tmp_path / "elsewhere")
    cwd.mkdir(exist_ok=True)

    completed = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "nbrefactor", *arguments], cwd=cwd, capture_output=True, text=True,
    )

    assert completed.returncode == 0, completed.stderr
    written = (cwd / outputs).resolve()
    assert sorted(path.name for path in written.glob("*.py")) == ["test_train.py", "train.py"]
    if written == folder:
        check = cli_runner().invoke(main, ["convert", "--check", str(notebook)])
        assert check.exit_code == 0, check.output


def test_a_name_chosen_with_output_is_kept(tmp_path):
    notebook = _copy_example("diabetes_training.ipynb", tmp_path)

    _, resources = NbrefactorExporter().from_filename(str(notebook), resources={"unique_key": "pipeline"})

    assert resources["unique_key"] == "pipeline"


def test_configured_script_name_names_the_script_and_its_tests(tmp_path):
    notebook = _copy_example("diabetes_training.ipynb", tmp_path)
    exporter = NbrefactorExporter(script_name="pipeline")

    _, resources = exporter.from_filename(str(notebook))

    assert resources["unique_key"] == "pipeline"
    assert list(resources["outputs"]) == ["./test_pipeline.py"]


def test_exporter_follows_the_project_configuration_like_the_cli(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.nbrefactor]\nname = "pipeline"\n', encoding="utf-8")
    notebook = _copy_example("diabetes_training.ipynb", tmp_path)

    script, resources = NbrefactorExporter().from_filename(str(notebook))

    expected = _cli_outputs(notebook)
    assert resources["unique_key"] == "pipeline"
    assert script == expected["pipeline.py"]


def test_findings_are_logged_as_warnings(caplog):
    notebook = _python_notebook(new_markdown_cell("## Fit"), new_code_cell("model = reg + 1"))
    exporter = NbrefactorExporter(log=logging.getLogger("nbrefactor-exporter-test"))

    with caplog.at_level(logging.WARNING, logger="nbrefactor-exporter-test"):
        exporter.from_notebook_node(notebook, resources={"metadata": {"name": "fit"}})

    assert [record.getMessage() for record in caplog.records] == ["fit.ipynb:cell_1:1:9: undefined name 'reg'"]


def test_a_notebook_nbrefactor_cannot_convert_is_a_conversion_error():
    notebook = _python_notebook(new_code_cell("x <- 1"))
    notebook.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}

    with pytest.raises(ConversionException, match="not a Python notebook"):
        NbrefactorExporter().from_notebook_node(notebook, resources={"metadata": {"name": "analysis"}})


@pytest.mark.parametrize(
    "notebook_name, script",
    [("diabetes_training.ipynb", "train.py"), ("diabetes_scoring.ipynb", "score.py")],
)
def test_the_cli_never_imports_nbconvert(tmp_path, notebook_name, script):
    notebook = _copy_example(notebook_name, tmp_path)
    program = (
        "import sys\n"
        "from nbrefactor.cli import main\n"
        f"main(['convert', {str(notebook)!r}], standalone_mode=False)\n"
        "print('nbconvert' in sys.modules)\n"
    )

    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)

    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / script).is_file()
    assert completed.stdout.strip() == "False"
