"""The bundled example: its committed outputs are current, and the scripts do what the notebooks did."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import EXAMPLES
from nbrefactor import refactor
from support import write_outputs

DIABETES = EXAMPLES / "diabetes"
NOTEBOOKS = sorted(DIABETES.glob("*.ipynb"))

# Runs a script as __main__ and prints, as JSON, the values its main() (or run()) held at the end.
CAPTURE_SCRIPT = """
import json, runpy, sys
held = {}
def keep(frame, event, arg):
    if event == "return" and frame.f_code.co_name in ("main", "run"):
        held[frame.f_code.co_name] = dict(frame.f_locals, returned=arg)
sys.setprofile(keep)
runpy.run_path(sys.argv[1], run_name="__main__")
sys.setprofile(None)
print(json.dumps({name: {k: repr(v) for k, v in values.items()} for name, values in held.items()}))
"""
# Runs a notebook's code cells top to bottom and prints chosen variables as JSON.
NOTEBOOK_SCRIPT = """
import json, sys
import nbformat
notebook = nbformat.read(sys.argv[1], as_version=4)
names = sys.argv[2:]
namespace = {"__name__": "__main__"}
for cell in notebook.cells:
    if cell.cell_type == "code":
        exec(compile(cell.source, "cell", "exec"), namespace)
print(json.dumps({name: repr(namespace[name]) for name in names}))
"""


def _convert(notebook: pathlib.Path):
    return refactor(notebook.read_text(encoding="utf-8"), path=str(notebook), source_label=notebook.name)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_committed_outputs_are_current(notebook: pathlib.Path, update_golden: bool):
    result = _convert(notebook)
    if update_golden:
        write_outputs(result.outputs, DIABETES)
    for name, text in result.files:
        assert (DIABETES / name).read_text(encoding="utf-8") == text, name


def _run(arguments, folder: pathlib.Path) -> str:
    completed = subprocess.run([sys.executable, *arguments], cwd=folder, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _last_json(arguments, folder: pathlib.Path) -> dict:
    return json.loads(_run(arguments, folder).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Both examples converted into one folder, with the training script run there."""
    folder = tmp_path_factory.mktemp("diabetes")
    for notebook in NOTEBOOKS:
        shutil.copy(notebook, folder)
        write_outputs(_convert(notebook).outputs, folder)
    (folder / "capture.py").write_text(CAPTURE_SCRIPT)
    (folder / "notebook.py").write_text(NOTEBOOK_SCRIPT)
    held = _last_json(["capture.py", "train.py"], folder)
    return folder, held


@pytest.mark.slow  # runs the scripts (and pytest) in child processes
def test_train_script_gives_the_notebooks_metrics(trained, tmp_path: pathlib.Path):
    folder, held = trained
    shutil.copy(DIABETES / "diabetes_training.ipynb", tmp_path)
    (tmp_path / "notebook.py").write_text(NOTEBOOK_SCRIPT)
    notebook = _last_json(["notebook.py", "diabetes_training.ipynb", "metrics"], tmp_path)
    assert held["main"]["metrics"] == notebook["metrics"]
    assert (folder / "sklearn_regression_model.pkl").exists()
    assert "mse" in notebook["metrics"]


@pytest.mark.slow  # runs the scripts (and pytest) in child processes
def test_score_script_predicts_what_the_scoring_notebook_predicts(trained):
    folder, _ = trained
    printed = _run(["score.py"], folder)
    notebook = _last_json(["notebook.py", "diabetes_scoring.ipynb", "result"], folder)
    held = _last_json(["capture.py", "score.py"], folder)
    assert "Test result: " in printed
    assert held["run"]["result"] == notebook["result"]


@pytest.mark.slow  # runs the scripts (and pytest) in child processes
def test_generated_tests_pass_beside_the_trained_model(trained):
    """The import tests, test_main (training in a copy of the folder) and the scoring of the sample request."""
    folder, _ = trained
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "test_train.py", "test_score.py"],
        cwd=folder, capture_output=True, text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    for test in ("test_train.py::test_main", "test_score.py::test_run_scores_the_sample_request_as_json"):
        assert f"PASSED {test}" in completed.stdout, completed.stdout
    assert "4 passed" in completed.stdout
